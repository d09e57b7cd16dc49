/* ad-window-private.h: what the tests look at inside the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-window.h"

G_BEGIN_DECLS

/* The page @name if it was built (shown once, or asked for), else NULL. */
GtkWidget  *ad_window_peek_page            (AdWindow   *self,
                                            const char *name);

/* The leaflet holding the sidebar and the page. */
AdwLeaflet *ad_window_get_leaflet          (AdWindow *self);

/* The title of the last toast shown through win.toast, or NULL. */
const char *ad_window_get_last_toast_title (AdWindow *self);

/* The "Stop running work and quit?" question while it is shown, or NULL. */
AdwMessageDialog *ad_window_get_quit_dialog      (AdWindow *self);

/* Whether closing asks while work runs (TRUE unless a test says not). */
void        ad_window_set_ask_before_closing (AdWindow *self,
                                              gboolean  ask);

G_END_DECLS
