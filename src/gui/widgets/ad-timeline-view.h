/* ad-timeline-view.h: swimlanes of an AdTrace, drawn live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_TIMELINE_VIEW (ad_timeline_view_get_type ())
G_DECLARE_FINAL_TYPE (AdTimelineView, ad_timeline_view, AD, TIMELINE_VIEW, GtkWidget)

AdTrace   *ad_timeline_view_get_trace            (AdTimelineView *self);
void       ad_timeline_view_set_trace            (AdTimelineView *self,
                                                  AdTrace        *trace);
gboolean   ad_timeline_view_get_live             (AdTimelineView *self);
void       ad_timeline_view_set_live             (AdTimelineView *self,
                                                  gboolean        live);
gboolean   ad_timeline_view_get_paused           (AdTimelineView *self);
void       ad_timeline_view_set_paused           (AdTimelineView *self,
                                                  gboolean        paused);
gint64     ad_timeline_view_get_span             (AdTimelineView *self);
void       ad_timeline_view_set_span             (AdTimelineView *self,
                                                  gint64          span_us);
void       ad_timeline_view_zoom                 (AdTimelineView *self,
                                                  double          factor);
void       ad_timeline_view_pan                  (AdTimelineView *self,
                                                  double          fraction);
gboolean   ad_timeline_view_focus_bar            (AdTimelineView *self,
                                                  int             direction);
guint64    ad_timeline_view_get_focused_task     (AdTimelineView *self);
char      *ad_timeline_view_describe_focus       (AdTimelineView *self);
guint      ad_timeline_view_get_n_drawn          (AdTimelineView *self);
void       ad_timeline_view_trace_changed        (AdTimelineView *self);

G_END_DECLS
