/* ad-latency-graph.c: how late the main loop ran, over time
 *
 * Draws the loop monitor's recent samples (how late each heartbeat ran)
 * as columns on a logarithmic scale from 0.1 ms to a second or more, so
 * that both a healthy loop (well under a millisecond) and a stall show.
 * The stall threshold is a dashed line; each stall is a red column with
 * the name of the callback that caused it written beside it.
 *
 * Design: the owner calls ad_latency_graph_refresh() on its own tick
 * (the Tasks page: every 250 ms), which copies the monitor's bounded
 * sample and stall lists once; the snapshot then draws at most one
 * column per pixel. The accessible description says the same in words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Latency"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ad-latency-graph.h"
#include "ad-task-ui.h"

#define AXIS_WIDTH 56
#define MIN_US     100.0
#define SPAN_US    ((gint64) 10 * G_USEC_PER_SEC)

struct _AdLatencyGraph
{
  GtkWidget      parent_instance;

  AdLoopMonitor *monitor;
  gulong         threshold_handler;
  GArray        *samples;     /* AdLatencySample */
  GArray        *stalls;      /* AdLoopStall */
  gint64         now;
  guint          n_stalls_shown;
};

G_DEFINE_FINAL_TYPE (AdLatencyGraph, ad_latency_graph, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MONITOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static double
max_us (AdLatencyGraph *self)
{
  double top = G_USEC_PER_SEC;

  if (self->monitor != NULL)
    top = MAX (top, ad_loop_monitor_get_stall_threshold (self->monitor) * 2000.0);
  for (guint i = 0; i < self->samples->len; i++)
    top = MAX (top, g_array_index (self->samples, AdLatencySample, i).latency_us);

  return top;
}

static double
y_of (double latency_us,
      double top_us,
      int    height)
{
  double v = log10 (MAX (latency_us, MIN_US) / MIN_US) / log10 (top_us / MIN_US);

  return height - 4 - v * (height - 18);
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

static void
ad_latency_graph_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AdLatencyGraph *self = AD_LATENCY_GRAPH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int plot = width - AXIS_WIDTH;
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  double top = max_us (self);
  gint64 t0 = self->now - SPAN_US;
  double upp = (double) SPAN_US / MAX (plot, 1);
  GdkRGBA fg, grid, ok, stall;
  float *columns;
  double label_limit = width;
  static const double ticks[] = { 100, 1000, 10000, 100000, 1000000, 10000000 };
  static const char * const tick_labels[] = { "100 µs", "1 ms", "10 ms", "100 ms", "1 s", "10 s" };

  if (plot <= 0)
    {
      g_object_unref (layout);
      return;
    }

  ad_widget_get_fg_color (widget, &fg);
  grid = fg;
  grid.alpha = 0.12;
  gdk_rgba_parse (&ok, "#3584e4");
  gdk_rgba_parse (&stall, "#e01b24");

  /* The scale */
  for (guint i = 0; i < G_N_ELEMENTS (ticks) && ticks[i] <= top; i++)
    {
      double y = y_of (ticks[i], top, height);
      GdkRGBA dim = fg;

      dim.alpha = 0.65;
      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (AXIS_WIDTH, y, plot, 1));
      draw_text (snapshot, layout, tick_labels[i], 2, y - 8, &dim);
    }

  /* The samples: the worst one per pixel column */
  columns = g_new0 (float, plot);
  for (guint i = 0; i < self->samples->len; i++)
    {
      const AdLatencySample *sample = &g_array_index (self->samples, AdLatencySample, i);
      int x = (int) ((sample->time_us - t0) / upp);

      if (x >= 0 && x < plot)
        columns[x] = MAX (columns[x], sample->latency_us);
    }
  for (int x = 0; x < plot; x++)
    if (columns[x] > 0)
      {
        double y = y_of (columns[x], top, height);
        gboolean over = self->monitor &&
                        columns[x] >= ad_loop_monitor_get_stall_threshold (self->monitor) * 1000.0;

        gtk_snapshot_append_color (snapshot, over ? &stall : &ok,
                                   &GRAPHENE_RECT_INIT (AXIS_WIDTH + x, MIN (y, height - 6), 1,
                                                        MAX (height - 4 - y, 2)));
      }
  g_free (columns);

  /* The threshold, dashed */
  if (self->monitor != NULL)
    {
      double threshold = ad_loop_monitor_get_stall_threshold (self->monitor) * 1000.0;
      double y = y_of (threshold, top, height);
      g_autofree char *text = NULL;
      g_autofree char *amount = ad_format_duration ((gint64) threshold);

      for (int x = 0; x < plot; x += 8)
        gtk_snapshot_append_color (snapshot, &stall,
                                   &GRAPHENE_RECT_INIT (AXIS_WIDTH + x, y, MIN (5, plot - x), 1));
      text = g_strdup_printf (_("stall threshold %s"), amount);
      draw_text (snapshot, layout, text, AXIS_WIDTH + 4, y - 17, &stall);
    }

  /* Stalls, each with its culprit; newest first, so that when labels
   * would overlap the latest one is written */
  self->n_stalls_shown = 0;
  for (guint i = self->stalls->len; i-- > 0;)
    {
      const AdLoopStall *s = &g_array_index (self->stalls, AdLoopStall, i);
      double x = AXIS_WIDTH + (s->time_us - t0) / upp;
      double y = y_of (s->duration_us, top, height);
      g_autofree char *amount = ad_format_duration (s->duration_us);
      g_autofree char *text = NULL;

      int text_width;

      if (x < AXIS_WIDTH || x >= width)
        continue;
      gtk_snapshot_append_color (snapshot, &stall,
                                 &GRAPHENE_RECT_INIT (x - 1, y, 3, MAX (height - 4 - y, 1)));
      self->n_stalls_shown++;
      /* Translators: a stall marker: "⚠ 250 ms in slow_cb" */
      text = g_strdup_printf (_("⚠ %s in %s"), amount, s->culprit ? s->culprit : _("unknown"));
      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &text_width, NULL);
      /* Right of the marker, or left of it near the right edge; never
       * over the label of a later stall */
      if (x + 4 + text_width <= label_limit)
        {
          draw_text (snapshot, layout, text, x + 4, 0, &fg);
          label_limit = x - 4;
        }
      else if (x - 4 - text_width >= AXIS_WIDTH && x - 4 <= label_limit)
        {
          draw_text (snapshot, layout, text, x - 4 - text_width, 0, &fg);
          label_limit = x - 8 - text_width;
        }
    }

  g_object_unref (layout);
}

static void
ad_latency_graph_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = AXIS_WIDTH + 150;
      *natural = AXIS_WIDTH + 600;
    }
  else
    {
      *minimum = 60;
      *natural = 96;
    }
}

/* The figures behind the graph, for a screen reader: the latest and the
 * worst recent lateness, and the longest stall with its culprit. */
static void
update_description (AdLatencyGraph *self)
{
  g_autofree char *latest_text = NULL;
  g_autofree char *max_text = NULL;
  g_autofree char *text = NULL;
  const AdLoopStall *longest = NULL;
  gint64 worst = 0;

  for (guint i = 0; i < self->samples->len; i++)
    worst = MAX (worst, g_array_index (self->samples, AdLatencySample, i).latency_us);
  max_text = ad_format_duration (worst);
  latest_text = ad_format_duration (self->samples->len > 0 ?
                                    g_array_index (self->samples, AdLatencySample,
                                                   self->samples->len - 1).latency_us :
                                    0);
  for (guint i = 0; i < self->stalls->len; i++)
    if (longest == NULL ||
        g_array_index (self->stalls, AdLoopStall, i).duration_us > longest->duration_us)
      longest = &g_array_index (self->stalls, AdLoopStall, i);

  if (longest != NULL)
    {
      g_autofree char *amount = ad_format_duration (longest->duration_us);

      text = g_strdup_printf (_("Latest lateness %s, worst recent %s; longest stall %s in %s"),
                              latest_text, max_text, amount,
                              longest->culprit ? longest->culprit : _("unknown"));
    }
  else
    text = g_strdup_printf (_("Latest lateness %s, worst recent %s; no stall"), latest_text,
                            max_text);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

/**
 * ad_latency_graph_refresh:
 *
 * Copies the monitor's samples and stalls and redraws.
 */
void
ad_latency_graph_refresh (AdLatencyGraph *self)
{
  g_return_if_fail (AD_IS_LATENCY_GRAPH (self));

  g_array_set_size (self->samples, 0);
  g_array_set_size (self->stalls, 0);
  self->now = g_get_monotonic_time ();

  if (self->monitor != NULL)
    {
      g_autoptr(GArray) samples = ad_loop_monitor_get_samples (self->monitor);
      g_autoptr(GArray) stalls = ad_loop_monitor_get_stalls (self->monitor);

      g_array_append_vals (self->samples, samples->data, samples->len);
      g_array_append_vals (self->stalls, stalls->data, stalls->len);
    }

  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ad_latency_graph_dispose (GObject *object)
{
  AdLatencyGraph *self = AD_LATENCY_GRAPH (object);

  ad_latency_graph_set_monitor (self, NULL);

  G_OBJECT_CLASS (ad_latency_graph_parent_class)->dispose (object);
}

static void
ad_latency_graph_finalize (GObject *object)
{
  AdLatencyGraph *self = AD_LATENCY_GRAPH (object);

  g_array_unref (self->samples);
  g_array_unref (self->stalls);

  G_OBJECT_CLASS (ad_latency_graph_parent_class)->finalize (object);
}

static void
ad_latency_graph_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AdLatencyGraph *self = AD_LATENCY_GRAPH (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_latency_graph_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AdLatencyGraph *self = AD_LATENCY_GRAPH (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      ad_latency_graph_set_monitor (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_latency_graph_class_init (AdLatencyGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_latency_graph_dispose;
  object_class->finalize = ad_latency_graph_finalize;
  object_class->get_property = ad_latency_graph_get_property;
  object_class->set_property = ad_latency_graph_set_property;

  widget_class->snapshot = ad_latency_graph_snapshot;
  widget_class->measure = ad_latency_graph_measure;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, AD_TYPE_LOOP_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "latencygraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ad_latency_graph_init (AdLatencyGraph *self)
{
  self->samples = g_array_new (FALSE, FALSE, sizeof (AdLatencySample));
  self->stalls = g_array_new (FALSE, FALSE, sizeof (AdLoopStall));
  self->now = g_get_monotonic_time ();

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Main loop latency"), -1);
}

/**
 * ad_latency_graph_get_monitor:
 *
 * Returns: (transfer none) (nullable): the monitor drawn
 */
AdLoopMonitor *
ad_latency_graph_get_monitor (AdLatencyGraph *self)
{
  g_return_val_if_fail (AD_IS_LATENCY_GRAPH (self), NULL);

  return self->monitor;
}

void
ad_latency_graph_set_monitor (AdLatencyGraph *self,
                              AdLoopMonitor  *monitor)
{
  g_return_if_fail (AD_IS_LATENCY_GRAPH (self));
  g_return_if_fail (!monitor || AD_IS_LOOP_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->threshold_handler != 0)
    {
      g_signal_handler_disconnect (self->monitor, self->threshold_handler);
      self->threshold_handler = 0;
    }
  g_set_object (&self->monitor, monitor);
  if (monitor != NULL)
    self->threshold_handler = g_signal_connect_swapped (monitor, "notify::stall-threshold",
                                                        G_CALLBACK (gtk_widget_queue_draw), self);

  ad_latency_graph_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}
