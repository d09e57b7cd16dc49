/* ad-task-ui.h: how the GUI shows task kinds and states
 *
 * One place for the colour, letter, label and icon of each kind and state,
 * so that the task tree, the timeline and its legend agree. Colours never
 * carry meaning alone: every kind has a letter drawn on its bars and every
 * state a label and an icon.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

void        ad_task_kind_get_color  (AdTaskKind   kind,
                                     GdkRGBA     *color);
const char *ad_task_kind_get_letter (AdTaskKind   kind);
const char *ad_task_kind_get_label  (AdTaskKind   kind);
const char *ad_task_state_get_label (AdTaskState  state);
const char *ad_task_state_get_icon  (AdTaskState  state);
char       *ad_format_duration      (gint64       usec);
void        ad_widget_get_fg_color  (GtkWidget   *widget,
                                     GdkRGBA     *color);

G_END_DECLS
