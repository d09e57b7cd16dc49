/* ad-timeline-view-ticks.c: when the live timeline redraws
 *
 * Live, the right edge of the view is "now", so the view must redraw as
 * the clock moves, but only as often as what it shows changes: about 30
 * times a second while a bar that began in view runs or the trace changed
 * in the last second, once a second while finished bars drift out of view,
 * never when nothing in view moves. The timer runs at G_PRIORITY_LOW (see
 * ad-timeline-view.c); ad_timeline_view_update_ticking() retimes it after
 * each change of the view's state, and ad_timeline_view_trace_changed()
 * wakes a resting view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-task-ui.h"
#include "ad-timeline-view-private.h"

/* Whether the trace changed since the last look: a slice closed, opened or
 * was dropped. Also counts the running slices that began after @since_us:
 * their left edge moves with the clock, while one that began before the
 * view's left edge is a bar across it that looks the same every frame. */
static gboolean
trace_changed (AdTimelineView *self,
               gint64          since_us,
               guint          *n_moving)
{
  guint n = ad_trace_get_n_slices (self->trace);
  gint64 last_end = n > 0 ? ad_trace_get_slice (self->trace, n - 1)->end_us : 0;
  guint n_open;
  gboolean changed;

  g_array_set_size (self->scratch, 0);
  n_open = ad_trace_collect_open (self->trace, self->scratch);
  *n_moving = 0;
  for (guint i = 0; i < n_open; i++)
    if (g_array_index (self->scratch, AdTraceSlice, i).start_us >= since_us)
      (*n_moving)++;
  g_array_set_size (self->scratch, 0);
  changed = n != self->seen_n_slices || last_end != self->seen_last_end ||
            n_open != self->seen_n_open;
  self->seen_n_slices = n;
  self->seen_last_end = last_end;
  self->seen_n_open = n_open;

  return changed;
}

/* How often the live view must move: every frame or so while a task that
 * began in view runs or the trace just changed; once a second while
 * finished bars are still in view (they drift left); not at all
 * otherwise, since the axis counts back from now and so never changes. */
static guint
wanted_tick (AdTimelineView *self)
{
  gint64 now;
  guint n_moving, n;

  if (!self->live || self->paused || self->trace == NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return 0;

  now = g_get_monotonic_time ();
  if (trace_changed (self, now - self->span_us, &n_moving))
    self->last_change_us = now;
  if (n_moving > 0 || now - self->last_change_us < CALM_US)
    return REDRAW_MS;

  n = ad_trace_get_n_slices (self->trace);
  if (n > 0 && ad_trace_get_slice (self->trace, n - 1)->end_us >= now - self->span_us)
    return SLOW_REDRAW_MS;

  return 0;
}

static gboolean redraw_cb (gpointer user_data);

/* Starts, retimes or stops the live redraw to what the view needs now:
 * after every change of live, paused, span, trace or mapping. */
void
ad_timeline_view_update_ticking (AdTimelineView *self)
{
  guint want = wanted_tick (self);

  if (want == self->tick_ms)
    return;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->tick_ms = want;
  if (want > 0)
    self->tick_id = ad_timeout_add_named (G_PRIORITY_LOW, want, "[async-demo] timeline redraw",
                                          redraw_cb, self, NULL);
}

static gboolean
redraw_cb (gpointer user_data)
{
  AdTimelineView *self = AD_TIMELINE_VIEW (user_data);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* May replace this source (removing it is safe here) */
  ad_timeline_view_update_ticking (self);

  return G_SOURCE_CONTINUE;
}

/**
 * ad_timeline_view_trace_changed:
 *
 * Tells a live view that its trace took new events (the owner pulled
 * them), so that it follows them every frame again.
 */
void
ad_timeline_view_trace_changed (AdTimelineView *self)
{
  g_return_if_fail (AD_IS_TIMELINE_VIEW (self));

  self->last_change_us = g_get_monotonic_time ();
  gtk_widget_queue_draw (GTK_WIDGET (self));
  ad_timeline_view_update_ticking (self);
}

/* Test-only (ad-timeline-view-private.h): the live tick's interval in ms,
 * 0 when it does not tick. */
guint
ad_timeline_view_get_tick_interval (AdTimelineView *self)
{
  g_return_val_if_fail (AD_IS_TIMELINE_VIEW (self), 0);

  return self->tick_id != 0 ? self->tick_ms : 0;
}
