/* ad-timeline-view-private.h: what the timeline's files share
 *
 * ad-timeline-view.c is the widget (properties, input, hit testing, focus
 * and its description); ad-timeline-view-draw.c is its geometry and
 * drawing: where a lane and a bar go, and the frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-timeline-view.h"

G_BEGIN_DECLS

#define LABEL_WIDTH   150
#define AXIS_HEIGHT   22
#define LANE_HEIGHT   30
#define MIN_LANES     3
#define MAX_ROWS      4        /* nesting depths drawn apart */
#define MIN_SPAN_US   (500)
#define DEFAULT_SPAN_US ((gint64) 5 * G_USEC_PER_SEC)
#define MAX_SPAN_US   ((gint64) 10 * 60 * G_USEC_PER_SEC)
#define HIT_SLOP_PX   3
#define REDRAW_MS     33       /* live scrolling: about 30 frames a second */

struct _AdTimelineView
{
  GtkWidget    parent_instance;

  AdTrace     *trace;
  gboolean     live;           /* the right edge follows the clock */
  gboolean     paused;
  gint64       span_us;
  gint64       end_us;         /* the right edge while paused or not live */
  guint        tick_id;

  guint       *lane_order;     /* display row → trace lane */
  guint        n_rows;

  /* The focused bar (keyboard), kept by identity across frames */
  gboolean     has_focus_bar;
  AdTraceSlice focus;

  double       drag_start_x;
  double       pointer_x;
  gint64       drag_start_end;
  guint        n_drawn;
  char        *description;    /* the accessible description, as last set */

  GArray      *scratch;        /* AdTraceSlice: open slices of a frame */
  guint8      *columns;        /* narrow bars per pixel column, per row */
  gsize        n_columns;
};

/* ad-timeline-view-a11y.c */
char       *ad_timeline_view_build_description  (AdTimelineView *self);
void        ad_timeline_view_update_description (AdTimelineView *self);

/* ad-timeline-view-draw.c */
gint64      ad_timeline_view_end_time     (AdTimelineView     *self);
double      ad_timeline_view_us_per_px    (AdTimelineView     *self);
void        ad_timeline_view_update_lanes (AdTimelineView     *self);
int         ad_timeline_view_row_of_lane  (AdTimelineView     *self,
                                           guint               lane);
void        ad_timeline_view_bar_rect     (AdTimelineView     *self,
                                           const AdTraceSlice *slice,
                                           gint64              t0,
                                           double              upp,
                                           int                 row,
                                           graphene_rect_t    *rect);
const char *ad_timeline_view_lane_title   (const AdTraceLane  *lane);
void        ad_timeline_view_snapshot     (GtkWidget          *widget,
                                           GtkSnapshot        *snapshot);
void        ad_timeline_view_measure      (GtkWidget          *widget,
                                           GtkOrientation      orientation,
                                           int                 for_size,
                                           int                *minimum,
                                           int                *natural,
                                           int                *minimum_baseline,
                                           int                *natural_baseline);

G_END_DECLS
