/* ad-timeline-view-draw.c: the timeline's geometry and its frame
 *
 * Where each lane's row and each bar go for a time range and a width, and
 * the snapshot that draws the axis, the lanes and the bars of the visible
 * range (see ad-timeline-view.c for the design).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ad-task-ui.h"
#include "ad-timeline-view-private.h"

/* ---- geometry --------------------------------------------------------- */

gint64
ad_timeline_view_end_time (AdTimelineView *self)
{
  if (self->live && !self->paused)
    return g_get_monotonic_time ();
  return self->end_us;
}

double
ad_timeline_view_us_per_px (AdTimelineView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self)) - LABEL_WIDTH;

  return (double) self->span_us / MAX (width, 1);
}

void
ad_timeline_view_update_lanes (AdTimelineView *self)
{
  guint n = self->trace ? ad_trace_get_n_lanes (self->trace) : 0;
  guint row = 0;

  if (n == self->n_rows && self->lane_order != NULL)
    return;

  g_free (self->lane_order);
  self->lane_order = g_new (guint, MAX (n, 1));
  /* The main loop first, then threads, then processes, each in order of
   * appearance. */
  for (int kind = AD_TRACE_LANE_MAIN; kind <= AD_TRACE_LANE_PROCESS; kind++)
    for (guint i = 0; i < n; i++)
      if ((int) ad_trace_get_lane (self->trace, i)->kind == kind)
        self->lane_order[row++] = i;
  self->n_rows = row;

  gtk_widget_queue_resize (GTK_WIDGET (self));
}

int
ad_timeline_view_row_of_lane (AdTimelineView *self,
             guint           lane)
{
  for (guint r = 0; r < self->n_rows; r++)
    if (self->lane_order[r] == lane)
      return r;

  return -1;
}

void
ad_timeline_view_bar_rect (AdTimelineView     *self,
          const AdTraceSlice *slice,
          gint64              t0,
          double              upp,
          int                 row,
          graphene_rect_t    *rect)
{
  int depth = MIN (slice->depth, MAX_ROWS - 1);
  double x0 = LABEL_WIDTH + (slice->start_us - t0) / upp;
  double x1 = LABEL_WIDTH + (slice->end_us - t0) / upp;
  double y = AXIS_HEIGHT + row * LANE_HEIGHT + 3 + depth * 5;
  double h = LANE_HEIGHT - 6 - depth * 5;

  if (slice->type == AD_TRACE_SLICE_INSTANT)
    {
      x0 -= 1;
      x1 = x0 + 2;
      y = AXIS_HEIGHT + row * LANE_HEIGHT + 2;
      h = (LANE_HEIGHT - 4) / 2.0;
    }
  x0 = MAX (x0, LABEL_WIDTH);
  graphene_rect_init (rect, x0, y, MAX (x1 - x0, 2), h);
}

/* ---- drawing ---------------------------------------------------------- */

const char *
ad_timeline_view_lane_title (const AdTraceLane *lane)
{
  if (lane->kind == AD_TRACE_LANE_MAIN)
    return _("Main loop");
  return lane->name;
}

static void
draw_text (GtkSnapshot   *snapshot,
           PangoLayout   *layout,
           const char    *text,
           double         x,
           double         y,
           const GdkRGBA *color)
{
  pango_layout_set_text (layout, text, -1);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static gint64
nice_step (gint64 min_step)
{
  static const gint64 steps[] = { 1, 2, 5 };
  gint64 scale = 1;

  for (;;)
    {
      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        if (steps[i] * scale >= min_step)
          return steps[i] * scale;
      scale *= 10;
    }
}

static void
draw_axis (AdTimelineView *self,
           GtkSnapshot    *snapshot,
           PangoLayout    *layout,
           const GdkRGBA  *fg,
           gint64          t0,
           double          upp,
           int             width,
           int             height)
{
  gboolean following = self->live && !self->paused;
  /* Following the clock, times count back from now ("−1.5 s"); otherwise
   * they count from the start of the trace. */
  gint64 origin = following ? t0 + self->span_us
                            : (self->trace ? ad_trace_get_start_time (self->trace) : t0);
  gint64 step = nice_step ((gint64) (upp * 110));
  gint64 first = origin - ((origin - t0) / step) * step;
  GdkRGBA grid = *fg, label = *fg;

  grid.alpha = 0.12;
  label.alpha = 0.7;

  for (gint64 t = first; t <= t0 + self->span_us; t += step)
    {
      double x = LABEL_WIDTH + (t - t0) / upp;
      g_autofree char *amount = NULL;
      g_autofree char *text = NULL;

      if (x < LABEL_WIDTH || (!following && t < origin))
        continue;
      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (x, AXIS_HEIGHT - 4, 1,
                                                                       height - AXIS_HEIGHT + 4));
      amount = ad_format_duration (ABS (t - origin));
      if (following)
        text = t == origin ? g_strdup (_("now")) : g_strdup_printf ("−%s", amount);
      else
        text = g_steal_pointer (&amount);
      if (x + 3 < width - 20)
        draw_text (snapshot, layout, text, x + 3, 2, &label);
    }
}

static void
draw_bar_label (GtkSnapshot           *snapshot,
                PangoLayout           *layout,
                const AdTraceSlice    *slice,
                const graphene_rect_t *rect)
{
  GdkRGBA white = { 1, 1, 1, 1 };
  g_autofree char *text = NULL;
  int text_width;

  if (rect->size.width < 14 || rect->size.height < 12)
    return;

  if (rect->size.width > 60)
    text = g_strdup_printf ("%s  %s", ad_task_kind_get_letter (slice->kind), slice->name);
  else
    text = g_strdup (ad_task_kind_get_letter (slice->kind));

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &text_width, NULL);
  gtk_snapshot_push_clip (snapshot, rect);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (rect->origin.x + 4,
                                                rect->origin.y + (rect->size.height - 16) / 2));
  gtk_snapshot_append_layout (snapshot, layout, &white);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);
}

static void
draw_slice (AdTimelineView     *self,
            GtkSnapshot        *snapshot,
            PangoLayout        *layout,
            const AdTraceSlice *slice,
            gint64              t0,
            double              upp,
            int                 width)
{
  int row = ad_timeline_view_row_of_lane (self, slice->lane);
  graphene_rect_t rect;
  GdkRGBA color;

  if (row < 0)
    return;

  ad_timeline_view_bar_rect (self, slice, t0, upp, row, &rect);
  if (rect.origin.x > width)
    return;

  /* Narrow bars and ticks: merged per pixel column of their row */
  if (rect.size.width <= 2 || slice->type == AD_TRACE_SLICE_INSTANT)
    {
      int depth = slice->type == AD_TRACE_SLICE_INSTANT ? MAX_ROWS : MIN (slice->depth, MAX_ROWS - 1);
      gsize column = (gsize) (rect.origin.x - LABEL_WIDTH);
      gsize index = ((gsize) row * (MAX_ROWS + 1) + depth) * (width - LABEL_WIDTH + 1) + column;

      if (index < self->n_columns && self->columns[index] == 0)
        self->columns[index] = slice->kind + 1;
      return;
    }

  ad_task_kind_get_color (slice->kind, &color);
  if (slice->open)
    color.alpha = 0.75;
  gtk_snapshot_append_color (snapshot, &color, &rect);
  self->n_drawn++;

  if (slice->state == AD_TASK_STATE_FAILED || slice->state == AD_TASK_STATE_CANCELLED)
    {
      /* A failure has a dark red edge, a cancellation a grey one; the
       * tooltip and the tree say which in words. */
      GdkRGBA edge;
      float widths[4] = { 2, 2, 2, 2 };
      GskRoundedRect outline;
      GdkRGBA edges[4];

      gdk_rgba_parse (&edge, slice->state == AD_TASK_STATE_FAILED ? "#a51d2d" : "#3d3846");
      for (guint i = 0; i < 4; i++)
        edges[i] = edge;
      gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
      gtk_snapshot_append_border (snapshot, &outline, widths, edges);
    }

  draw_bar_label (snapshot, layout, slice, &rect);
}

static void
flush_columns (AdTimelineView *self,
               GtkSnapshot    *snapshot,
               int             width)
{
  gsize n_cols = width - LABEL_WIDTH + 1;

  for (guint row = 0; row < self->n_rows; row++)
    for (int depth = 0; depth <= MAX_ROWS; depth++)
      {
        guint8 *cols = self->columns + ((gsize) row * (MAX_ROWS + 1) + depth) * n_cols;
        gsize c = 0;

        while (c < n_cols)
          {
            gsize start;
            guint8 kind;
            GdkRGBA color;
            double y, h;

            if (cols[c] == 0)
              {
                c++;
                continue;
              }
            start = c;
            kind = cols[c];
            while (c < n_cols && cols[c] != 0)
              c++;

            ad_task_kind_get_color (kind - 1, &color);
            if (depth == MAX_ROWS)
              {
                y = AXIS_HEIGHT + row * LANE_HEIGHT + 2;
                h = (LANE_HEIGHT - 4) / 2.0;
                color.alpha = 0.9;
              }
            else
              {
                y = AXIS_HEIGHT + row * LANE_HEIGHT + 3 + depth * 5;
                h = LANE_HEIGHT - 6 - depth * 5;
              }
            gtk_snapshot_append_color (snapshot, &color,
                                       &GRAPHENE_RECT_INIT (LABEL_WIDTH + start, y,
                                                            MAX (c - start, 2), h));
            self->n_drawn++;
          }
      }
}

void
ad_timeline_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AdTimelineView *self = AD_TIMELINE_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  gint64 t1 = ad_timeline_view_end_time (self);
  gint64 t0 = t1 - self->span_us;
  double upp = ad_timeline_view_us_per_px (self);
  GdkRGBA fg, stripe, label_bg, focus;
  gsize n_columns;

  ad_widget_get_fg_color (widget, &fg);
  stripe = fg;
  stripe.alpha = 0.04;
  label_bg = fg;
  label_bg.alpha = 0.07;
  /* The focus ring in the text colour: it stands out on every bar colour
   * and in light and dark styles alike */
  focus = fg;

  self->n_drawn = 0;
  ad_timeline_view_update_lanes (self);

  if (width <= LABEL_WIDTH)
    {
      g_object_unref (layout);
      return;
    }

  for (guint r = 0; r < MAX (self->n_rows, MIN_LANES); r++)
    if (r % 2 == 1)
      gtk_snapshot_append_color (snapshot, &stripe,
                                 &GRAPHENE_RECT_INIT (0, AXIS_HEIGHT + r * LANE_HEIGHT, width,
                                                      LANE_HEIGHT));

  draw_axis (self, snapshot, layout, &fg, t0, upp, width, height);

  n_columns = (gsize) MAX (self->n_rows, 1) * (MAX_ROWS + 1) * (width - LABEL_WIDTH + 1);
  if (n_columns != self->n_columns)
    {
      g_free (self->columns);
      self->columns = g_malloc (n_columns);
      self->n_columns = n_columns;
    }
  memset (self->columns, 0, self->n_columns);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (LABEL_WIDTH, AXIS_HEIGHT,
                                                         width - LABEL_WIDTH, height - AXIS_HEIGHT));
  if (self->trace != NULL)
    {
      guint n = ad_trace_get_n_slices (self->trace);

      for (guint i = ad_trace_find_index (self->trace, t0); i < n; i++)
        {
          const AdTraceSlice *slice = ad_trace_get_slice (self->trace, i);

          if (slice->end_us >= t0 && slice->start_us <= t1)
            draw_slice (self, snapshot, layout, slice, t0, upp, width);
        }

      g_array_set_size (self->scratch, 0);
      ad_trace_collect_open (self->trace, self->scratch);
      for (guint i = 0; i < self->scratch->len; i++)
        {
          AdTraceSlice *slice = &g_array_index (self->scratch, AdTraceSlice, i);

          /* Live, an open bar reaches the clock, not the last event */
          if (self->live)
            slice->end_us = MAX (slice->end_us, t1);
          if (slice->end_us >= t0 && slice->start_us <= t1)
            draw_slice (self, snapshot, layout, slice, t0, upp, width);
        }
      flush_columns (self, snapshot, width);

      if (self->has_focus_bar)
        {
          int row = ad_timeline_view_row_of_lane (self, self->focus.lane);

          if (row >= 0)
            {
              graphene_rect_t rect;
              GskRoundedRect outline;
              float widths[4] = { 2, 2, 2, 2 };
              GdkRGBA colors[4] = { focus, focus, focus, focus };

              ad_timeline_view_bar_rect (self, &self->focus, t0, upp, row, &rect);
              /* Visible however narrow the bar: at least 10 px, the lane's height */
              if (rect.size.width < 10)
                graphene_rect_init (&rect, rect.origin.x + rect.size.width / 2 - 5, rect.origin.y,
                                    10, rect.size.height);
              rect.origin.y = AXIS_HEIGHT + row * LANE_HEIGHT + 1;
              rect.size.height = LANE_HEIGHT - 2;
              graphene_rect_inset (&rect, -2, 0);
              gsk_rounded_rect_init_from_rect (&outline, &rect, 3);
              gtk_snapshot_append_border (snapshot, &outline, widths, colors);
            }
        }
    }
  gtk_snapshot_pop (snapshot);

  /* Lane titles over their own column */
  gtk_snapshot_append_color (snapshot, &label_bg,
                             &GRAPHENE_RECT_INIT (0, AXIS_HEIGHT, LABEL_WIDTH - 4,
                                                  MAX (self->n_rows, 1) * LANE_HEIGHT));
  pango_layout_set_width (layout, (LABEL_WIDTH - 16) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_MIDDLE);
  for (guint r = 0; r < self->n_rows; r++)
    draw_text (snapshot, layout, ad_timeline_view_lane_title (ad_trace_get_lane (self->trace, self->lane_order[r])),
               8, AXIS_HEIGHT + r * LANE_HEIGHT + (LANE_HEIGHT - 17) / 2.0, &fg);
  if (self->n_rows == 0)
    {
      GdkRGBA dim = fg;

      dim.alpha = 0.55;
      pango_layout_set_width (layout, -1);
      draw_text (snapshot, layout, _("No task has run since recording started"),
                 LABEL_WIDTH + 12, AXIS_HEIGHT + 6, &dim);
    }

  if (gtk_widget_has_visible_focus (widget) && !self->has_focus_bar)
    {
      GskRoundedRect outline;
      float widths[4] = { 2, 2, 2, 2 };
      GdkRGBA colors[4] = { focus, focus, focus, focus };

      gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (1, 1, width - 2, height - 2), 4);
      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
    }

  g_object_unref (layout);
  ad_timeline_view_update_description (self);
}

void
ad_timeline_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  AdTimelineView *self = AD_TIMELINE_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = LABEL_WIDTH + 150;
      *natural = LABEL_WIDTH + 600;
    }
  else
    {
      ad_timeline_view_update_lanes (self);
      *minimum = *natural = AXIS_HEIGHT + MAX (self->n_rows, MIN_LANES) * LANE_HEIGHT + 2;
    }
}
