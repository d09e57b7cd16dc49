/* ad-timeline-view.c: swimlanes of an AdTrace, drawn live
 *
 * One lane per main loop, worker thread and worker process; a bar for
 * each time a task's code ran on a lane, a tick for each task started or
 * finished there outside a bar of its own. Interleaved bars on the main
 * lane are concurrency; bars stacked across lanes at once are parallelism.
 *
 * Design:
 *  - One widget, drawn with GtkSnapshot: no widget per bar. Only the
 *    visible time range is visited (a binary search in the trace, then a
 *    scan to its end), and bars narrower than two pixels are merged per
 *    pixel column and lane row, so a frame costs at most a few thousand
 *    nodes however many tasks ran.
 *  - Live, the right edge is "now" and a timer redraws about 30 times a
 *    second while mapped. It runs at G_PRIORITY_LOW, as the task registry
 *    publishes: however slow drawing is (software rendering on a busy
 *    machine), the view never takes the loop from idle-priority work, as
 *    a per-frame tick callback would; pausing (space), panning or moving the keyboard focus
 *    holds the view still while recording goes on; End goes live again.
 *  - Mouse: wheel or touchpad scroll pans, Ctrl+wheel zooms around the
 *    pointer, dragging pans, hovering shows a tooltip, clicking selects a
 *    bar and emits ::task-activated.
 *  - Keyboard and accessibility: the view is focusable; Left/Right move to
 *    the previous/next bar on the lane, Up/Down to the nearest bar on the
 *    lane above/below, Home to the first bar, Return activates the bar,
 *    +/- zoom, Shift+Left/Right pan, space pauses. The focused bar's
 *    description is the accessible description, so a screen reader
 *    announces it, and each bar carries its kind's letter (colour is
 *    never the only cue).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ad-task-ui.h"
#include "ad-timeline-view-private.h"

G_DEFINE_FINAL_TYPE (AdTimelineView, ad_timeline_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TRACE,
  PROP_LIVE,
  PROP_PAUSED,
  PROP_SPAN,
  N_PROPS
};

enum {
  TASK_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void zoom_around (AdTimelineView *self,
                         double          factor,
                         gint64          anchor_us);

/* ---- hit testing, focus, description ---------------------------------- */

static gboolean
find_bar_at (AdTimelineView *self,
             double          x,
             double          y,
             AdTraceSlice   *found)
{
  gint64 t1 = ad_timeline_view_end_time (self), t0 = t1 - self->span_us;
  double upp = ad_timeline_view_us_per_px (self);
  int row = (int) ((y - AXIS_HEIGHT) / LANE_HEIGHT);
  gint64 t = t0 + (gint64) ((x - LABEL_WIDTH) * upp);
  gint64 slop = (gint64) (HIT_SLOP_PX * upp);
  g_autoptr(GArray) near = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  gboolean any = FALSE;

  if (self->trace == NULL || x < LABEL_WIDTH || y < AXIS_HEIGHT || row >= (int) self->n_rows)
    return FALSE;

  ad_trace_collect (self->trace, t - slop, t + slop, near);
  for (guint i = 0; i < near->len; i++)
    {
      AdTraceSlice *slice = &g_array_index (near, AdTraceSlice, i);

      if (self->live && slice->open)
        slice->end_us = MAX (slice->end_us, t1);
      if (slice->lane != self->lane_order[row])
        continue;
      /* The innermost bar wins; an instant only where no bar is */
      if (!any || (slice->type == AD_TRACE_SLICE_RUN &&
                   (found->type == AD_TRACE_SLICE_INSTANT || slice->depth > found->depth)))
        {
          *found = *slice;
          any = TRUE;
        }
    }

  return any;
}

static char *
describe (AdTimelineView     *self,
          const AdTraceSlice *slice,
          gboolean            markup)
{
  const AdTraceLane *lane = ad_trace_get_lane (self->trace, slice->lane);
  g_autofree char *duration = ad_format_duration (slice->end_us - slice->start_us);
  g_autofree char *at = ad_format_duration (slice->start_us - ad_trace_get_start_time (self->trace));
  g_autofree char *name = markup ? g_markup_escape_text (slice->name, -1) : g_strdup (slice->name);
  g_autofree char *what = NULL;

  if (slice->type == AD_TRACE_SLICE_INSTANT)
    /* Translators: "GET / (I/O) finished: Succeeded on Main loop at 1.25 s" */
    what = g_strdup_printf (slice->state >= AD_TASK_STATE_SUCCEEDED
                            ? _("%s (%s) finished: %s on %s at %s")
                            : _("%s (%s) started: %s on %s at %s"),
                            name, ad_task_kind_get_label (slice->kind),
                            ad_task_state_get_label (slice->state), ad_timeline_view_lane_title (lane), at);
  else
    /* Translators: "chunk 3 (CPU) ran on pool #2 for 12.5 ms from 1.25 s: Succeeded" */
    what = g_strdup_printf (slice->open ? _("%s (%s) running on %s for %s since %s: %s")
                                        : _("%s (%s) ran on %s for %s from %s: %s"),
                            name, ad_task_kind_get_label (slice->kind), ad_timeline_view_lane_title (lane),
                            duration, at, ad_task_state_get_label (slice->state));

  if (markup)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, slice->task_id);
      g_autofree char *parent = g_strdup_printf ("%" G_GUINT64_FORMAT, slice->parent_id);
      g_autofree char *ids = NULL;

      if (slice->parent_id != 0)
        ids = g_strdup_printf (_("Task %s, under task %s"), id, parent);
      else
        ids = g_strdup_printf (_("Task %s"), id);
      return g_strdup_printf ("%s\n<small>%s</small>", what, ids);
    }

  return g_steal_pointer (&what);
}

static gboolean
ad_timeline_view_query_tooltip (GtkWidget  *widget,
                                int         x,
                                int         y,
                                gboolean    keyboard,
                                GtkTooltip *tooltip)
{
  AdTimelineView *self = AD_TIMELINE_VIEW (widget);
  AdTraceSlice slice;
  g_autofree char *text = NULL;

  if (keyboard && self->has_focus_bar)
    slice = self->focus;
  else if (!find_bar_at (self, x, y, &slice))
    return FALSE;

  text = describe (self, &slice, TRUE);
  gtk_tooltip_set_markup (tooltip, text);

  return TRUE;
}

static void
announce_focus (AdTimelineView *self)
{
  ad_timeline_view_update_description (self);
}

static void
set_focus_bar (AdTimelineView     *self,
               const AdTraceSlice *slice)
{
  if (slice != NULL)
    {
      self->focus = *slice;
      self->has_focus_bar = TRUE;
    }
  else
    self->has_focus_bar = FALSE;

  announce_focus (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Scrolls (pausing the live view) so that the focused bar shows. */
static void
reveal_focus (AdTimelineView *self)
{
  gint64 t1 = ad_timeline_view_end_time (self), t0 = t1 - self->span_us;

  if (!self->has_focus_bar)
    return;
  if (self->focus.start_us >= t0 && self->focus.start_us <= t1 - self->span_us / 20)
    return;

  ad_timeline_view_set_paused (self, TRUE);
  self->end_us = self->focus.start_us + self->span_us / 2;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * ad_timeline_view_focus_bar:
 * @direction: 1 next bar on the lane, -1 previous, 2 the lane below,
 *   -2 the lane above, 0 the latest visible bar
 *
 * Moves the keyboard focus between bars.
 *
 * Returns: %TRUE if a bar has the focus
 */
gboolean
ad_timeline_view_focus_bar (AdTimelineView *self,
                            int             direction)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  const AdTraceSlice *best = NULL;
  guint lane;

  g_return_val_if_fail (AD_IS_TIMELINE_VIEW (self), FALSE);

  if (self->trace == NULL)
    return FALSE;
  ad_timeline_view_update_lanes (self);
  if (self->n_rows == 0)
    return FALSE;

  ad_trace_collect (self->trace, G_MININT64, G_MAXINT64, all);

  if (!self->has_focus_bar || direction == 0)
    {
      gint64 t1 = ad_timeline_view_end_time (self);

      /* The latest bar that started before the right edge, any lane */
      for (guint i = 0; i < all->len; i++)
        {
          const AdTraceSlice *s = &g_array_index (all, AdTraceSlice, i);

          if (s->start_us <= t1 && (best == NULL || s->start_us > best->start_us))
            best = s;
        }
    }
  else if (direction == 1 || direction == -1)
    {
      lane = self->focus.lane;
      for (guint i = 0; i < all->len; i++)
        {
          const AdTraceSlice *s = &g_array_index (all, AdTraceSlice, i);
          gboolean after = s->start_us > self->focus.start_us ||
                           (s->start_us == self->focus.start_us && s->task_id > self->focus.task_id);
          gboolean before = s->start_us < self->focus.start_us ||
                            (s->start_us == self->focus.start_us && s->task_id < self->focus.task_id);

          if (s->lane != lane)
            continue;
          if (direction == 1 && after &&
              (best == NULL || s->start_us < best->start_us ||
               (s->start_us == best->start_us && s->task_id < best->task_id)))
            best = s;
          if (direction == -1 && before &&
              (best == NULL || s->start_us > best->start_us ||
               (s->start_us == best->start_us && s->task_id > best->task_id)))
            best = s;
        }
    }
  else
    {
      int row = ad_timeline_view_row_of_lane (self, self->focus.lane) + (direction > 0 ? 1 : -1);

      if (row < 0 || row >= (int) self->n_rows)
        return TRUE;
      lane = self->lane_order[row];
      for (guint i = 0; i < all->len; i++)
        {
          const AdTraceSlice *s = &g_array_index (all, AdTraceSlice, i);

          if (s->lane == lane &&
              (best == NULL || ABS (s->start_us - self->focus.start_us) <
                               ABS (best->start_us - self->focus.start_us)))
            best = s;
        }
    }

  if (best == NULL)
    return self->has_focus_bar;

  /* Bars do not slide away under the keyboard focus: hold the view */
  ad_timeline_view_set_paused (self, TRUE);
  set_focus_bar (self, best);
  reveal_focus (self);

  return TRUE;
}

/**
 * ad_timeline_view_get_focused_task:
 *
 * Returns: the id of the task whose bar has the keyboard focus, or 0
 */
guint64
ad_timeline_view_get_focused_task (AdTimelineView *self)
{
  g_return_val_if_fail (AD_IS_TIMELINE_VIEW (self), 0);

  return self->has_focus_bar ? self->focus.task_id : 0;
}

/**
 * ad_timeline_view_describe_focus:
 *
 * Returns: (transfer full) (nullable): the focused bar in words, as the
 *   accessible description says it
 */
char *
ad_timeline_view_describe_focus (AdTimelineView *self)
{
  g_return_val_if_fail (AD_IS_TIMELINE_VIEW (self), NULL);

  if (!self->has_focus_bar || self->trace == NULL ||
      self->focus.lane >= ad_trace_get_n_lanes (self->trace))
    return NULL;

  return describe (self, &self->focus, FALSE);
}

/**
 * ad_timeline_view_get_n_drawn:
 *
 * Returns: how many bars and merged runs the last frame drew
 */
guint
ad_timeline_view_get_n_drawn (AdTimelineView *self)
{
  g_return_val_if_fail (AD_IS_TIMELINE_VIEW (self), 0);

  return self->n_drawn;
}

/* ---- input ------------------------------------------------------------ */

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   AdTimelineView  *self)
{
  AdTraceSlice slice;

  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (!find_bar_at (self, x, y, &slice))
    return;

  set_focus_bar (self, &slice);
  g_signal_emit (self, signals[TASK_ACTIVATED], 0, slice.task_id);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               AdTimelineView *self)
{
  self->drag_start_end = ad_timeline_view_end_time (self);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                AdTimelineView *self)
{
  if (ABS (dx) < 4 && !self->paused)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  ad_timeline_view_set_paused (self, TRUE);
  self->end_us = self->drag_start_end - (gint64) (dx * ad_timeline_view_us_per_px (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           AdTimelineView           *self)
{
  self->pointer_x = x;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           AdTimelineView           *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    {
      /* Around the pointer, when the view holds still */
      if ((self->paused || !self->live) && self->pointer_x >= LABEL_WIDTH)
        zoom_around (self, dy > 0 ? 1.25 : 0.8,
                     ad_timeline_view_end_time (self) - self->span_us +
                     (gint64) ((self->pointer_x - LABEL_WIDTH) * ad_timeline_view_us_per_px (self)));
      else
        ad_timeline_view_zoom (self, dy > 0 ? 1.25 : 0.8);
      return TRUE;
    }

  ad_timeline_view_pan (self, (ABS (dx) > ABS (dy) ? dx : dy) * 0.1);

  return TRUE;
}

static void
zoom_in_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  ad_timeline_view_zoom (AD_TIMELINE_VIEW (widget), 0.8);
}

static void
zoom_out_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ad_timeline_view_zoom (AD_TIMELINE_VIEW (widget), 1.25);
}

static void
pause_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  AdTimelineView *self = AD_TIMELINE_VIEW (widget);

  ad_timeline_view_set_paused (self, !self->paused);
}

static void
pan_cb (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  ad_timeline_view_pan (AD_TIMELINE_VIEW (widget), g_variant_get_double (parameter));
}

static void
move_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  ad_timeline_view_focus_bar (AD_TIMELINE_VIEW (widget), g_variant_get_int32 (parameter));
}

static void
first_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  AdTimelineView *self = AD_TIMELINE_VIEW (widget);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  const AdTraceSlice *best = NULL;

  if (self->trace == NULL)
    return;
  ad_trace_collect (self->trace, G_MININT64, G_MAXINT64, all);
  for (guint i = 0; i < all->len; i++)
    {
      const AdTraceSlice *s = &g_array_index (all, AdTraceSlice, i);

      if (best == NULL || s->start_us < best->start_us)
        best = s;
    }
  if (best != NULL)
    {
      set_focus_bar (self, best);
      reveal_focus (self);
    }
}

static void
live_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  AdTimelineView *self = AD_TIMELINE_VIEW (widget);

  set_focus_bar (self, NULL);
  if (self->live)
    ad_timeline_view_set_paused (self, FALSE);
  else if (self->trace != NULL)
    {
      self->end_us = ad_trace_get_end_time (self->trace);
      gtk_widget_queue_draw (widget);
    }
}

static void
activate_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AdTimelineView *self = AD_TIMELINE_VIEW (widget);

  if (self->has_focus_bar)
    g_signal_emit (self, signals[TASK_ACTIVATED], 0, self->focus.task_id);
}

/* ---- live redraw ------------------------------------------------------ */

static gboolean
redraw_cb (gpointer user_data)
{
  gtk_widget_queue_draw (GTK_WIDGET (user_data));

  return G_SOURCE_CONTINUE;
}

static void
update_ticking (AdTimelineView *self)
{
  gboolean want = self->live && !self->paused && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (want && self->tick_id == 0)
    self->tick_id = ad_timeout_add_named (G_PRIORITY_LOW, REDRAW_MS, "[async-demo] timeline redraw",
                                          redraw_cb, self, NULL);
  else if (!want && self->tick_id != 0)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
ad_timeline_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ad_timeline_view_parent_class)->map (widget);
  update_ticking (AD_TIMELINE_VIEW (widget));
}

static void
ad_timeline_view_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ad_timeline_view_parent_class)->unmap (widget);
  update_ticking (AD_TIMELINE_VIEW (widget));
}

/* ---- GObject ---------------------------------------------------------- */

static void
ad_timeline_view_dispose (GObject *object)
{
  AdTimelineView *self = AD_TIMELINE_VIEW (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->trace);

  G_OBJECT_CLASS (ad_timeline_view_parent_class)->dispose (object);
}

static void
ad_timeline_view_finalize (GObject *object)
{
  AdTimelineView *self = AD_TIMELINE_VIEW (object);

  g_free (self->lane_order);
  g_free (self->columns);
  g_free (self->description);
  g_array_unref (self->scratch);

  G_OBJECT_CLASS (ad_timeline_view_parent_class)->finalize (object);
}

static void
ad_timeline_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AdTimelineView *self = AD_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_TRACE:
      g_value_set_object (value, self->trace);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_SPAN:
      g_value_set_int64 (value, self->span_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_timeline_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AdTimelineView *self = AD_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_TRACE:
      ad_timeline_view_set_trace (self, g_value_get_object (value));
      break;
    case PROP_LIVE:
      ad_timeline_view_set_live (self, g_value_get_boolean (value));
      break;
    case PROP_PAUSED:
      ad_timeline_view_set_paused (self, g_value_get_boolean (value));
      break;
    case PROP_SPAN:
      ad_timeline_view_set_span (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_timeline_view_class_init (AdTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_timeline_view_dispose;
  object_class->finalize = ad_timeline_view_finalize;
  object_class->get_property = ad_timeline_view_get_property;
  object_class->set_property = ad_timeline_view_set_property;

  widget_class->snapshot = ad_timeline_view_snapshot;
  widget_class->measure = ad_timeline_view_measure;
  widget_class->query_tooltip = ad_timeline_view_query_tooltip;
  widget_class->map = ad_timeline_view_map;
  widget_class->unmap = ad_timeline_view_unmap;

  properties[PROP_TRACE] =
    g_param_spec_object ("trace", NULL, NULL, AD_TYPE_TRACE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AdTimelineView:live:
   *
   * Whether the trace is being recorded now: the right edge then follows
   * the clock (unless paused). An imported trace is not live.
   */
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AdTimelineView:span:
   *
   * The visible time range, in microseconds (the zoom).
   */
  properties[PROP_SPAN] =
    g_param_spec_int64 ("span", NULL, NULL, MIN_SPAN_US, MAX_SPAN_US, DEFAULT_SPAN_US,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AdTimelineView::task-activated:
   * @task_id: the task whose bar was clicked or activated
   */
  signals[TASK_ACTIVATED] =
    g_signal_new ("task-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);

  gtk_widget_class_install_action (widget_class, "timeline.zoom-in", NULL, zoom_in_cb);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-out", NULL, zoom_out_cb);
  gtk_widget_class_install_action (widget_class, "timeline.pause", NULL, pause_cb);
  gtk_widget_class_install_action (widget_class, "timeline.pan", "d", pan_cb);
  gtk_widget_class_install_action (widget_class, "timeline.move", "i", move_cb);
  gtk_widget_class_install_action (widget_class, "timeline.first", NULL, first_cb);
  gtk_widget_class_install_action (widget_class, "timeline.live", NULL, live_cb);
  gtk_widget_class_install_action (widget_class, "timeline.activate", NULL, activate_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "timeline.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "timeline.zoom-out",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "timeline.pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_SHIFT_MASK, "timeline.pan",
                                       "d", -0.1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_SHIFT_MASK, "timeline.pan",
                                       "d", 0.1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "timeline.move", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "timeline.move", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "timeline.move", "i", -2);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "timeline.move", "i", 2);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "timeline.first", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "timeline.live", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "timeline.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "timeline.activate",
                                       NULL);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_WIDGET);
}

static void
ad_timeline_view_init (AdTimelineView *self)
{
  GtkGesture *click, *drag;
  GtkEventController *scroll, *motion;

  self->live = TRUE;
  self->span_us = DEFAULT_SPAN_US;
  self->scratch = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline"), -1);
  ad_timeline_view_update_description (self);
}

/**
 * ad_timeline_view_get_trace:
 *
 * Returns: (transfer none) (nullable): the trace shown
 */
AdTrace *
ad_timeline_view_get_trace (AdTimelineView *self)
{
  g_return_val_if_fail (AD_IS_TIMELINE_VIEW (self), NULL);

  return self->trace;
}

void
ad_timeline_view_set_trace (AdTimelineView *self,
                            AdTrace        *trace)
{
  g_return_if_fail (AD_IS_TIMELINE_VIEW (self));
  g_return_if_fail (!trace || AD_IS_TRACE (trace));

  if (!g_set_object (&self->trace, trace))
    return;

  g_clear_pointer (&self->lane_order, g_free);
  self->n_rows = 0;
  self->has_focus_bar = FALSE;
  if (trace != NULL && !self->live)
    self->end_us = ad_trace_get_end_time (trace);
  ad_timeline_view_update_lanes (self);
  announce_focus (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACE]);
}

gboolean
ad_timeline_view_get_live (AdTimelineView *self)
{
  g_return_val_if_fail (AD_IS_TIMELINE_VIEW (self), FALSE);

  return self->live;
}

void
ad_timeline_view_set_live (AdTimelineView *self,
                           gboolean        live)
{
  g_return_if_fail (AD_IS_TIMELINE_VIEW (self));

  live = !!live;
  if (self->live == live)
    return;

  self->live = live;
  if (!live && self->trace != NULL)
    self->end_us = ad_trace_get_end_time (self->trace);
  update_ticking (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

gboolean
ad_timeline_view_get_paused (AdTimelineView *self)
{
  g_return_val_if_fail (AD_IS_TIMELINE_VIEW (self), FALSE);

  return self->paused;
}

/**
 * ad_timeline_view_set_paused:
 *
 * Holds the live view still (recording goes on), or follows the clock
 * again.
 */
void
ad_timeline_view_set_paused (AdTimelineView *self,
                             gboolean        paused)
{
  g_return_if_fail (AD_IS_TIMELINE_VIEW (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  if (paused)
    self->end_us = ad_timeline_view_end_time (self);
  self->paused = paused;
  update_ticking (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gint64
ad_timeline_view_get_span (AdTimelineView *self)
{
  g_return_val_if_fail (AD_IS_TIMELINE_VIEW (self), 0);

  return self->span_us;
}

void
ad_timeline_view_set_span (AdTimelineView *self,
                           gint64          span_us)
{
  g_return_if_fail (AD_IS_TIMELINE_VIEW (self));

  span_us = CLAMP (span_us, MIN_SPAN_US, MAX_SPAN_US);
  if (self->span_us == span_us)
    return;

  self->span_us = span_us;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPAN]);
}

/* Zooms keeping the time at @anchor_us where it is on screen. */
static void
zoom_around (AdTimelineView *self,
             double          factor,
             gint64          anchor_us)
{
  gint64 t1 = ad_timeline_view_end_time (self);
  double right = (double) (t1 - anchor_us) / self->span_us;  /* the anchor's place, from the right */

  ad_timeline_view_set_span (self, (gint64) (self->span_us * factor));
  if (self->paused || !self->live)
    self->end_us = anchor_us + (gint64) (right * self->span_us);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * ad_timeline_view_zoom:
 * @factor: below 1 zooms in, above 1 out
 *
 * Zooms around the focused bar if it shows, else around the right edge
 * (following live) or the centre (paused).
 */
void
ad_timeline_view_zoom (AdTimelineView *self,
                       double          factor)
{
  gint64 t1, anchor;

  g_return_if_fail (AD_IS_TIMELINE_VIEW (self));

  t1 = ad_timeline_view_end_time (self);
  if (self->has_focus_bar && self->focus.start_us >= t1 - self->span_us &&
      self->focus.start_us <= t1)
    anchor = self->focus.start_us + (self->focus.end_us - self->focus.start_us) / 2;
  else if (self->live && !self->paused)
    anchor = t1;
  else
    anchor = t1 - self->span_us / 2;

  zoom_around (self, factor, anchor);
}

/**
 * ad_timeline_view_pan:
 * @fraction: how far, in widths of the view: negative is earlier
 *
 * Moves the view in time, which pauses a live view.
 */
void
ad_timeline_view_pan (AdTimelineView *self,
                      double          fraction)
{
  g_return_if_fail (AD_IS_TIMELINE_VIEW (self));

  ad_timeline_view_set_paused (self, TRUE);
  self->end_us += (gint64) (fraction * self->span_us);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
