/* ad-a11y.h: accessible names GTK 4.8 gets wrong, put right once
 *
 * GTK 4.8 announces a button with a mnemonic twice and with the
 * underscore: gtk_button_set_label() stores the raw label ("_Run") as the
 * accessible label, and the mnemonic makes the button labelled by its
 * inner GtkLabel too, whose accessible label is the text without the
 * underscore ("Run"); the name joins both: "_Run Run". A check button
 * with a mnemonic is announced as "_Errors only". The toggle button inside
 * a GtkDropDown has no name at all and is announced by its class.
 *
 * ad_a11y_fix_names() walks a widget tree once, after its template is
 * built, and fixes each of these so that the mnemonic still works and
 * the name is said once, without the underscore; a later change of a
 * button's label keeps the fix.
 *
 * ad_a11y_name_internals() names what GTK's and libadwaita's own windows
 * leave unnamed (see ad-a11y.c); ad_a11y_follow_help_overlay() does it
 * for a window's help overlay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void ad_a11y_fix_names           (GtkWidget            *root);
void ad_a11y_name_internals      (GtkWidget            *root);
void ad_a11y_follow_help_overlay (GtkApplicationWindow *window);

G_END_DECLS
