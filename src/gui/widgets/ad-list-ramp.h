/* ad-list-ramp.h: lets a list view's model grow a few rows a frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AD_TYPE_LIST_RAMP (ad_list_ramp_get_type ())

G_DECLARE_FINAL_TYPE (AdListRamp, ad_list_ramp, AD, LIST_RAMP, GObject)

AdListRamp *ad_list_ramp_new       (GListModel *model,
                                    GtkWidget  *view);
GListModel *ad_list_ramp_get_model (AdListRamp *self);
void        ad_list_ramp_show_all  (AdListRamp *self);

G_END_DECLS
