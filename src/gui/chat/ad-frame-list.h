/* ad-frame-list.h: a list model that follows another at most once a frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AD_TYPE_FRAME_LIST (ad_frame_list_get_type ())
G_DECLARE_FINAL_TYPE (AdFrameList, ad_frame_list, AD, FRAME_LIST, GObject)

AdFrameList *ad_frame_list_new         (GListModel  *source,
                                        GtkWidget   *widget);
void         ad_frame_list_sync        (AdFrameList *self);
void         ad_frame_list_set_max_changes (AdFrameList *self,
                                            guint        max_changes);
guint64      ad_frame_list_get_n_syncs (AdFrameList *self);

G_END_DECLS
