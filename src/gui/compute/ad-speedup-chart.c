/* ad-speedup-chart.c: how a workload scales, as a chart
 *
 * One column per configuration of a Speed-up run (1 thread, 2 … N threads,
 * N processes): a bar for the speed-up over one thread, labelled "1.9×",
 * a dashed line for the ideal (N workers, N times faster) and a line with
 * dots for the efficiency (speed-up per worker) on its own axis at the
 * right, labelled "96 %". Every value is written out, so colour is never
 * the only thing that tells the series apart, and the legend uses the
 * same shapes as the chart.
 *
 * Drawn with cairo and Pango into the snapshot: a handful of shapes,
 * redrawn only when a point arrives or the size changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ad-speedup-chart.h"

typedef struct
{
  char   *label;
  guint   n_workers;
  double  speedup;
} Point;

struct _AdSpeedupChart
{
  GtkWidget  parent_instance;

  GArray    *points;   /* Point */
};

G_DEFINE_FINAL_TYPE (AdSpeedupChart, ad_speedup_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_N_POINTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GdkRGBA speedup_color = { 0.21, 0.52, 0.89, 1 };    /* blue */
static const GdkRGBA efficiency_color = { 0.90, 0.38, 0.00, 1 }; /* orange */

#define MARGIN_LEFT   64
#define MARGIN_RIGHT  64
#define MARGIN_TOP    40
#define MARGIN_BOTTOM 48

static void
point_clear (Point *point)
{
  g_free (point->label);
}

/* Draws @text with its anchor at (@x, @y): @xalign and @yalign from 0 to 1. */
static void
draw_text (GtkWidget  *widget,
           cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      xalign,
           double      yalign)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - w * xalign, y - h * yalign);
  pango_cairo_show_layout (cr, layout);
}

static void
set_color (cairo_t       *cr,
           const GdkRGBA *color,
           double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
draw_empty (GtkWidget     *widget,
            cairo_t       *cr,
            const GdkRGBA *fg,
            int            width,
            int            height)
{
  set_color (cr, fg, 0.6);
  draw_text (widget, cr, _("Start a speed-up run to see how the work scales"),
             width / 2.0, height / 2.0, 0.5, 0.5);
}

static void
draw_chart (AdSpeedupChart *self,
            cairo_t        *cr,
            int             width,
            int             height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA fg;
  double plot_w = width - MARGIN_LEFT - MARGIN_RIGHT;
  double plot_h = height - MARGIN_TOP - MARGIN_BOTTOM;
  double x0 = MARGIN_LEFT, y0 = MARGIN_TOP + plot_h;
  double y_max = 1, e_max = 1, slot, tick;
  guint n = self->points->len;
  const double dashes[] = { 6, 4 };

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  if (n == 0 || plot_w < 40 || plot_h < 40)
    {
      draw_empty (widget, cr, &fg, width, height);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      y_max = MAX (y_max, MAX (p->speedup, (double) p->n_workers));
      e_max = MAX (e_max, p->speedup / p->n_workers);
    }
  /* Efficiency can exceed 100 % (a cold first run, a busy machine): the
   * right axis grows to keep every dot inside the plot. */
  e_max = ceil (e_max * 1.15 * 4) / 4;
  y_max = ceil (y_max * 1.15 * 2) / 2;
  tick = y_max > 8 ? ceil (y_max / 8) : (y_max > 3 ? 1 : 0.5);
  slot = plot_w / n;

#define Y_OF(v) (y0 - (v) / y_max * plot_h)
#define E_OF(e) (y0 - (e) * plot_h / e_max)
#define X_OF(i) (x0 + slot * ((i) + 0.5))

  cairo_set_line_width (cr, 1);

  /* Grid and the speed-up axis at the left. */
  for (int i = 0; i * tick <= y_max + 1e-9; i++)
    {
      double v = i * tick;
      g_autofree char *text = g_strdup_printf ("%g×", v);

      set_color (cr, &fg, 0.12);
      cairo_move_to (cr, x0, round (Y_OF (v)) + 0.5);
      cairo_line_to (cr, x0 + plot_w, round (Y_OF (v)) + 0.5);
      cairo_stroke (cr);
      set_color (cr, &fg, 0.7);
      draw_text (widget, cr, text, x0 - 6, Y_OF (v), 1, 0.5);
    }

  /* The efficiency axis at the right: 0 to 100 %. */
  for (int e = 0; e <= (int) (e_max * 100); e += e_max > 2 ? 50 : 25)
    {
      /* TRANSLATORS: a percentage on the chart's efficiency axis */
      g_autofree char *text = g_strdup_printf (_("%d %%"), e);

      set_color (cr, &efficiency_color, 1);
      draw_text (widget, cr, text, x0 + plot_w + 6, E_OF (e / 100.0), 0, 0.5);
    }

  /* Axis titles. */
  set_color (cr, &fg, 0.8);
  cairo_save (cr);
  cairo_translate (cr, 4, MARGIN_TOP + plot_h / 2);
  cairo_rotate (cr, -G_PI / 2);
  draw_text (widget, cr, _("Speed-up"), 0, 0, 0.5, 0);
  cairo_restore (cr);
  cairo_save (cr);
  cairo_translate (cr, width - 4, MARGIN_TOP + plot_h / 2);
  cairo_rotate (cr, G_PI / 2);
  set_color (cr, &efficiency_color, 1);
  draw_text (widget, cr, _("Efficiency"), 0, 0, 0.5, 0);
  cairo_restore (cr);

  /* The bars, labelled with their value and configuration. */
  for (guint i = 0; i < n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);
      double bar_w = MIN (slot * 0.5, 80);
      g_autofree char *value = g_strdup_printf ("%.2f×", p->speedup);

      set_color (cr, &speedup_color, 0.85);
      cairo_rectangle (cr, X_OF (i) - bar_w / 2, Y_OF (p->speedup), bar_w,
                       y0 - Y_OF (p->speedup));
      cairo_fill (cr);
      set_color (cr, &fg, 1);
      draw_text (widget, cr, value, X_OF (i) - bar_w / 2 + 4, Y_OF (p->speedup) - 2, 0, 1);
      set_color (cr, &fg, 0.9);
      draw_text (widget, cr, p->label, X_OF (i), y0 + 8, 0.5, 0);
    }

  /* The ideal: N workers, N times faster. */
  set_color (cr, &fg, 0.75);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  for (guint i = 0; i < n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if (i == 0)
        cairo_move_to (cr, x0 + slot * 0.1, Y_OF (p->n_workers));
      cairo_line_to (cr, X_OF (i), Y_OF (p->n_workers));
      if (i == n - 1)
        cairo_line_to (cr, x0 + plot_w - slot * 0.1, Y_OF (p->n_workers));
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  /* Efficiency: speed-up per worker, a line with dots and values. */
  set_color (cr, &efficiency_color, 1);
  cairo_set_line_width (cr, 2);
  for (guint i = 0; i < n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      cairo_line_to (cr, X_OF (i), E_OF (p->speedup / p->n_workers));
    }
  cairo_stroke (cr);
  for (guint i = 0; i < n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);
      double e = p->speedup / p->n_workers;
      /* TRANSLATORS: an efficiency on the chart, such as "96 %" */
      g_autofree char *text = g_strdup_printf (_("%.0f %%"), e * 100);

      cairo_arc (cr, X_OF (i), E_OF (e), 4, 0, 2 * G_PI);
      cairo_fill (cr);
      draw_text (widget, cr, text, X_OF (i) + 8, E_OF (e) - 4, 0, 1);
    }

  /* The legend, with the chart's own shapes. */
  {
    double lx = x0, ly = 12;

    set_color (cr, &speedup_color, 0.85);
    cairo_rectangle (cr, lx, ly + 2, 14, 12);
    cairo_fill (cr);
    set_color (cr, &fg, 0.9);
    draw_text (widget, cr, _("Speed-up over 1 thread"), lx + 20, ly + 8, 0, 0.5);

    lx += plot_w * 0.36;
    set_color (cr, &fg, 0.75);
    cairo_set_line_width (cr, 1.5);
    cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
    cairo_move_to (cr, lx, ly + 8);
    cairo_line_to (cr, lx + 24, ly + 8);
    cairo_stroke (cr);
    cairo_set_dash (cr, NULL, 0, 0);
    set_color (cr, &fg, 0.9);
    draw_text (widget, cr, _("Ideal (N workers, N×)"), lx + 30, ly + 8, 0, 0.5);

    lx += plot_w * 0.34;
    set_color (cr, &efficiency_color, 1);
    cairo_set_line_width (cr, 2);
    cairo_move_to (cr, lx, ly + 8);
    cairo_line_to (cr, lx + 24, ly + 8);
    cairo_stroke (cr);
    cairo_arc (cr, lx + 12, ly + 8, 4, 0, 2 * G_PI);
    cairo_fill (cr);
    set_color (cr, &fg, 0.9);
    draw_text (widget, cr, _("Efficiency"), lx + 30, ly + 8, 0, 0.5);
  }

#undef Y_OF
#undef E_OF
#undef X_OF
}

static void
ad_speedup_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_chart (AD_SPEEDUP_CHART (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
ad_speedup_chart_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 360 : 220;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 560 : 320;
}

static void
ad_speedup_chart_finalize (GObject *object)
{
  AdSpeedupChart *self = AD_SPEEDUP_CHART (object);

  g_clear_pointer (&self->points, g_array_unref);

  G_OBJECT_CLASS (ad_speedup_chart_parent_class)->finalize (object);
}

static void
ad_speedup_chart_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AdSpeedupChart *self = AD_SPEEDUP_CHART (object);

  switch (prop_id)
    {
    case PROP_N_POINTS:
      g_value_set_uint (value, self->points->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_speedup_chart_class_init (AdSpeedupChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ad_speedup_chart_finalize;
  object_class->get_property = ad_speedup_chart_get_property;
  widget_class->snapshot = ad_speedup_chart_snapshot;
  widget_class->measure = ad_speedup_chart_measure;

  properties[PROP_N_POINTS] =
    g_param_spec_uint ("n-points", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "speedupchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ad_speedup_chart_init (AdSpeedupChart *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (Point));
  g_array_set_clear_func (self->points, (GDestroyNotify) point_clear);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Speed-up chart"),
                                  -1);
}

void
ad_speedup_chart_clear (AdSpeedupChart *self)
{
  g_return_if_fail (AD_IS_SPEEDUP_CHART (self));

  if (self->points->len == 0)
    return;

  g_array_set_size (self->points, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);
}

/**
 * ad_speedup_chart_add_point:
 * @label: the configuration, such as "2 threads"
 * @n_workers: how many workers it ran on (the ideal speed-up)
 * @speedup: how much faster than one thread it was
 */
void
ad_speedup_chart_add_point (AdSpeedupChart *self,
                            const char     *label,
                            guint           n_workers,
                            double          speedup)
{
  Point point;

  g_return_if_fail (AD_IS_SPEEDUP_CHART (self));
  g_return_if_fail (label != NULL);
  g_return_if_fail (n_workers > 0);

  point.label = g_strdup (label);
  point.n_workers = n_workers;
  point.speedup = MAX (speedup, 0);
  g_array_append_val (self->points, point);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);
  /* The array owns point.label now (its clear function frees it). */
  // cppcheck-suppress memleak
}

guint
ad_speedup_chart_get_n_points (AdSpeedupChart *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP_CHART (self), 0);

  return self->points->len;
}

/**
 * ad_speedup_chart_get_point:
 * @n_workers: (out) (optional):
 * @speedup: (out) (optional):
 * @efficiency: (out) (optional): @speedup / @n_workers
 */
void
ad_speedup_chart_get_point (AdSpeedupChart *self,
                            guint           index,
                            guint          *n_workers,
                            double         *speedup,
                            double         *efficiency)
{
  const Point *p;

  g_return_if_fail (AD_IS_SPEEDUP_CHART (self));
  g_return_if_fail (index < self->points->len);

  p = &g_array_index (self->points, Point, index);
  if (n_workers != NULL)
    *n_workers = p->n_workers;
  if (speedup != NULL)
    *speedup = p->speedup;
  if (efficiency != NULL)
    *efficiency = p->speedup / p->n_workers;
}
