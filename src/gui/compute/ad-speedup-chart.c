/* ad-speedup-chart.c: how a workload scales, as a chart
 *
 * One column per configuration of a speed-up measurement (1 thread, 2 … N
 * threads, N processes): a bar for the median speed-up over one thread
 * with a whisker from the slowest to the fastest run, a dashed line for
 * the ideal (N workers, N times faster), and a line with dots for the
 * efficiency (speed-up per worker) on its own axis at the right. Under
 * each column, its name, its speed-up ("1.96×") and its efficiency
 * ("98 %"; "≈100 %" when above 100 % within noise, "112 % *" when
 * super-linear: see ad_speedup_judge()). Colour is never the only thing
 * that tells the series apart: the legend uses the chart's own shapes.
 *
 * Layout is computed apart from drawing (chart_layout()): every text gets
 * its place first, in bands that cannot meet (the legend flows in lines
 * at the top; the axis titles and tick labels sit in the side margins,
 * ticks spaced at least one line apart; each column's texts are wrapped to
 * the column's width under the plot), then the snapshot draws the shapes
 * and the texts from that layout. The tests read the same layout through
 * ad-speedup-chart-private.h and check that no two texts intersect.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ad-speedup-chart-private.h"

typedef struct
{
  char   *label;
  guint   n_workers;
  double  speedup;
  double  low;
  double  high;
  double  efficiency;
  double  shown_efficiency;   /* where the dot goes: ≈100 % within noise */
  char   *speedup_text;      /* under the column: "1.96×", or "≈2.00×" within noise */
  char   *efficiency_text;   /* short, under the column */
  char   *efficiency_long;   /* with its verdict in words, for the description */
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

#define PAD      6   /* around the edges */
#define GAP      4   /* between texts and what they label */
#define SAMPLE  24   /* a legend entry's shape */

typedef enum
{
  INK_FG,
  INK_DIM,
  INK_EFFICIENCY,
} Ink;

typedef enum
{
  LEGEND_BAR,
  LEGEND_WHISKER,
  LEGEND_IDEAL,
  LEGEND_EFFICIENCY,
  N_LEGEND
} LegendShape;

typedef struct
{
  PangoLayout    *layout;
  PangoRectangle  logical;
  double          angle;     /* 0, or ±π/2 */
  Ink             ink;
  graphene_rect_t extents;
} Text;

typedef struct
{
  GArray *texts;             /* Text */
  guint   n;
  double  x0, y0, plot_w, plot_h, slot;
  double  y_max, tick, e_max, e_tick;
  double  legend_x[N_LEGEND], legend_y[N_LEGEND];
} Layout;

static void
point_clear (Point *point)
{
  g_free (point->label);
  g_free (point->speedup_text);
  g_free (point->efficiency_text);
  g_free (point->efficiency_long);
}

static void
text_clear (Text *text)
{
  g_clear_object (&text->layout);
}

static void
layout_clear (Layout *layout)
{
  g_clear_pointer (&layout->texts, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Layout, layout_clear)

/* A text's layout, wrapped to @max_width pixels (0: one line) and centred. */
static PangoLayout *
make_layout (GtkWidget  *widget,
             const char *str,
             int         max_width,
             gboolean    ellipsize)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, str);

  if (max_width > 0)
    {
      pango_layout_set_width (layout, MAX (max_width, 1) * PANGO_SCALE);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      if (ellipsize)
        pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

static void
layout_size (PangoLayout *layout,
             double      *width,
             double      *height)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  *width = logical.width;
  *height = logical.height;
}

/* Places @pl with its bounding box's anchor (@xalign, @yalign from 0 to 1)
 * at (@x, @y); rotated texts are a quarter turn, their box upright. */
static void
add_text (Layout      *layout,
          PangoLayout *pl,
          Ink          ink,
          double       angle,
          double       x,
          double       y,
          double       xalign,
          double       yalign)
{
  Text text = { pl, { 0, }, angle, ink, };
  double w, h;

  pango_layout_get_pixel_extents (pl, NULL, &text.logical);
  w = angle == 0 ? text.logical.width : text.logical.height;
  h = angle == 0 ? text.logical.height : text.logical.width;
  graphene_rect_init (&text.extents, x - w * xalign, y - h * yalign, w, h);
  g_array_append_val (layout->texts, text);
}

static const char *
legend_text (LegendShape shape)
{
  switch (shape)
    {
    case LEGEND_BAR:
      return _("Speed-up over 1 thread (median)");
    case LEGEND_WHISKER:
      return _("Fastest to slowest run");
    case LEGEND_IDEAL:
      return _("Ideal (N workers, N×)");
    case LEGEND_EFFICIENCY:
    case N_LEGEND:
    default:
      return _("Efficiency");
    }
}

/* The legend flows in lines at the top; returns its bottom. */
static double
layout_legend (AdSpeedupChart *self,
               Layout         *layout,
               int             width)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double x = PAD, y = PAD, line_h = 0;
  int max_text = width - 2 * PAD - SAMPLE - GAP;

  for (guint i = 0; i < N_LEGEND; i++)
    {
      PangoLayout *pl = make_layout (widget, legend_text (i), 0, FALSE);
      double w, h;

      layout_size (pl, &w, &h);
      if (w > max_text)
        {
          g_object_unref (pl);
          pl = make_layout (widget, legend_text (i), max_text, FALSE);
          pango_layout_set_alignment (pl, PANGO_ALIGN_LEFT);
          layout_size (pl, &w, &h);
        }
      if (x > PAD && x + SAMPLE + GAP + w > width - PAD)
        {
          x = PAD;
          y += line_h + GAP;
          line_h = 0;
        }
      layout->legend_x[i] = x;
      layout->legend_y[i] = y + MIN (h, 18) / 2;
      add_text (layout, pl, INK_FG, 0, x + SAMPLE + GAP, y, 0, 0);
      line_h = MAX (line_h, h);
      x += SAMPLE + GAP + w + 3 * GAP;
    }

  return y + line_h;
}

/* The finest step from @steps whose ticks are at least @min_px apart
 * over @span pixels; sets @max to the axis's top. */
static double
choose_tick (double        value_max,
             double        headroom,
             double        span,
             double        min_px,
             const double *steps,
             guint         n_steps,
             double       *max)
{
  for (guint i = 0; i < n_steps; i++)
    {
      double top = ceil (value_max * headroom / steps[i] - 1e-9) * steps[i];

      if (span * steps[i] / top >= min_px || i + 1 == n_steps)
        {
          *max = top;
          return steps[i];
        }
    }
  g_assert_not_reached ();
}

static void
chart_layout (AdSpeedupChart *self,
              int             width,
              int             height,
              Layout         *layout)
{
  static const double speedup_steps[] = { 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100 };
  static const double efficiency_steps[] = { 0.25, 0.5, 1, 2, 5 };
  GtkWidget *widget = GTK_WIDGET (self);
  guint n = self->points->len;
  double legend_bottom, title_h, line_h, value_max = 1, e_data = 1;
  double left_w = 0, right_w = 0, bottom, top;
  double row_h[3] = { 0, 0, 0 };
  guint first_text;

  memset (layout, 0, sizeof *layout);
  layout->texts = g_array_new (FALSE, FALSE, sizeof (Text));
  g_array_set_clear_func (layout->texts, (GDestroyNotify) text_clear);
  layout->n = n;

  if (n == 0)
    {
      PangoLayout *pl = make_layout (widget, _("Start a speed-up run to see how the work scales"),
                                     width - 2 * PAD, FALSE);

      add_text (layout, pl, INK_DIM, 0, width / 2.0, height / 2.0, 0.5, 0.5);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      value_max = MAX (value_max, MAX (p->high, (double) p->n_workers));
      e_data = MAX (e_data, p->shown_efficiency);
    }

  legend_bottom = layout_legend (self, layout, width);
  {
    g_autoptr(PangoLayout) probe = make_layout (widget, "0", 0, FALSE);
    double w;

    layout_size (probe, &w, &line_h);
    title_h = line_h;
  }

  /* Margins depend on the tick labels, whose choice depends on the plot's
   * height, which depends on the columns' wrapped texts, whose width
   * depends on the margins: settle it in a few passes. */
  first_text = layout->texts->len;
  for (guint pass = 0; pass < 3; pass++)
    {
      double new_left = 0, new_right = 0;

      g_array_set_size (layout->texts, first_text);
      layout->x0 = PAD + title_h + GAP + left_w + GAP;
      layout->plot_w = MAX (width - layout->x0 - (GAP + right_w + GAP + title_h + PAD), n);
      layout->slot = layout->plot_w / n;

      /* The columns' texts, wrapped to the column: name, speed-up, efficiency. */
      memset (row_h, 0, sizeof row_h);
      for (guint i = 0; i < n; i++)
        {
          const Point *p = &g_array_index (self->points, Point, i);
          const char *strs[3] = { p->label, p->speedup_text, p->efficiency_text };

          for (guint r = 0; r < 3; r++)
            {
              g_autoptr(PangoLayout) pl = make_layout (widget, strs[r],
                                                       (int) layout->slot - 2 * GAP, FALSE);
              double w, h;

              layout_size (pl, &w, &h);
              row_h[r] = MAX (row_h[r], h);
            }
        }
      bottom = GAP + row_h[0] + row_h[1] + row_h[2] + 2 + PAD;
      top = legend_bottom + 2 * GAP + line_h / 2;
      layout->plot_h = MAX (height - top - bottom, 1);
      layout->y0 = top + layout->plot_h;

      layout->tick = choose_tick (value_max, 1.05, layout->plot_h, line_h + GAP, speedup_steps,
                                  G_N_ELEMENTS (speedup_steps), &layout->y_max);
      /* The efficiency axis stops at 100 % unless a super-linear result
       * needs more. */
      layout->e_tick = choose_tick (e_data, 1, layout->plot_h, line_h + GAP, efficiency_steps,
                                    G_N_ELEMENTS (efficiency_steps), &layout->e_max);

      /* Tick labels, right-aligned left of the plot, left-aligned right of it. */
      for (int k = 0; k * layout->tick <= layout->y_max + 1e-9; k++)
        {
          double v = k * layout->tick;
          g_autofree char *str = g_strdup_printf ("%g×", v);
          PangoLayout *pl = make_layout (widget, str, 0, FALSE);
          double w, h;

          layout_size (pl, &w, &h);
          new_left = MAX (new_left, w);
          add_text (layout, pl, INK_DIM, 0, layout->x0 - GAP,
                    layout->y0 - v / layout->y_max * layout->plot_h, 1, 0.5);
        }
      for (int k = 0; k * layout->e_tick <= layout->e_max + 1e-9; k++)
        {
          double e = k * layout->e_tick;
          /* TRANSLATORS: a percentage on the chart's efficiency axis */
          g_autofree char *str = g_strdup_printf (_("%d %%"), (int) round (e * 100));
          PangoLayout *pl = make_layout (widget, str, 0, FALSE);
          double w, h;

          layout_size (pl, &w, &h);
          new_right = MAX (new_right, w);
          add_text (layout, pl, INK_EFFICIENCY, 0, layout->x0 + layout->plot_w + GAP,
                    layout->y0 - e / layout->e_max * layout->plot_h, 0, 0.5);
        }

      if (new_left <= left_w && new_right <= right_w)
        break;
      left_w = MAX (left_w, new_left);
      right_w = MAX (right_w, new_right);
    }

  /* The axis titles, a quarter turn, centred on the plot but kept below
   * the legend and shortened to fit. */
  {
    double lo = legend_bottom + GAP, hi = height - PAD;
    int room = (int) (hi - lo);
    const char *titles[2] = { _("Speed-up"), _("Efficiency") };

    for (guint t = 0; t < 2; t++)
      {
        PangoLayout *pl = make_layout (widget, titles[t], 0, FALSE);
        double w, h, cy;

        layout_size (pl, &w, &h);
        if (w > room)
          {
            g_object_unref (pl);
            pl = make_layout (widget, titles[t], room, TRUE);
            layout_size (pl, &w, &h);
          }
        cy = CLAMP (layout->y0 - layout->plot_h / 2, lo + w / 2, hi - w / 2);
        add_text (layout, pl, t == 0 ? INK_FG : INK_EFFICIENCY, t == 0 ? -G_PI / 2 : G_PI / 2,
                  t == 0 ? PAD : width - PAD, cy, t == 0 ? 0 : 1, 0.5);
      }
  }

  /* The columns' texts under the plot. */
  for (guint i = 0; i < n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);
      const char *strs[3] = { p->label, p->speedup_text, p->efficiency_text };
      const Ink inks[3] = { INK_FG, INK_FG, INK_EFFICIENCY };
      double x = layout->x0 + layout->slot * (i + 0.5);
      double y = layout->y0 + GAP;

      for (guint r = 0; r < 3; r++)
        {
          PangoLayout *pl = make_layout (widget, strs[r], (int) layout->slot - 2 * GAP, FALSE);

          add_text (layout, pl, inks[r], 0, x, y, 0.5, 0);
          y += row_h[r] + (r == 0 ? 2 : 0);
        }
    }
}

static void
set_color (cairo_t       *cr,
           const GdkRGBA *color,
           double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
draw_texts (cairo_t       *cr,
            const Layout  *layout,
            const GdkRGBA *fg)
{
  for (guint i = 0; i < layout->texts->len; i++)
    {
      const Text *t = &g_array_index (layout->texts, Text, i);
      double cx = t->extents.origin.x + t->extents.size.width / 2;
      double cy = t->extents.origin.y + t->extents.size.height / 2;

      if (t->ink == INK_EFFICIENCY)
        set_color (cr, &efficiency_color, 1);
      else
        set_color (cr, fg, t->ink == INK_DIM ? 0.7 : 0.9);
      cairo_save (cr);
      cairo_translate (cr, cx, cy);
      cairo_rotate (cr, t->angle);
      cairo_move_to (cr, -t->logical.width / 2.0 - t->logical.x,
                     -t->logical.height / 2.0 - t->logical.y);
      pango_cairo_show_layout (cr, t->layout);
      cairo_restore (cr);
    }
}

static void
draw_legend_shape (cairo_t       *cr,
                   LegendShape    shape,
                   double         x,
                   double         y,
                   const GdkRGBA *fg)
{
  const double dashes[] = { 6, 4 };

  switch (shape)
    {
    case LEGEND_BAR:
      set_color (cr, &speedup_color, 0.85);
      cairo_rectangle (cr, x + 5, y - 6, 14, 12);
      cairo_fill (cr);
      break;
    case LEGEND_WHISKER:
      set_color (cr, fg, 0.8);
      cairo_set_line_width (cr, 1.5);
      cairo_move_to (cr, x + 12, y - 7);
      cairo_line_to (cr, x + 12, y + 7);
      cairo_move_to (cr, x + 8, y - 7);
      cairo_line_to (cr, x + 16, y - 7);
      cairo_move_to (cr, x + 8, y + 7);
      cairo_line_to (cr, x + 16, y + 7);
      cairo_stroke (cr);
      break;
    case LEGEND_IDEAL:
      set_color (cr, fg, 0.75);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + SAMPLE, y);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      break;
    case LEGEND_EFFICIENCY:
    case N_LEGEND:
    default:
      set_color (cr, &efficiency_color, 1);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + SAMPLE, y);
      cairo_stroke (cr);
      cairo_arc (cr, x + SAMPLE / 2.0, y, 4, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    }
}

static void
draw_chart (AdSpeedupChart *self,
            cairo_t        *cr,
            const Layout   *l,
            const GdkRGBA  *fg)
{
  const double dashes[] = { 6, 4 };
  double bar_w = MIN (l->slot * 0.5, 80);

#define Y_OF(v) (l->y0 - (v) / l->y_max * l->plot_h)
#define E_OF(e) (l->y0 - (e) / l->e_max * l->plot_h)
#define X_OF(i) (l->x0 + l->slot * ((i) + 0.5))

  /* Grid. */
  cairo_set_line_width (cr, 1);
  set_color (cr, fg, 0.12);
  for (int k = 0; k * l->tick <= l->y_max + 1e-9; k++)
    {
      cairo_move_to (cr, l->x0, round (Y_OF (k * l->tick)) + 0.5);
      cairo_line_to (cr, l->x0 + l->plot_w, round (Y_OF (k * l->tick)) + 0.5);
    }
  cairo_stroke (cr);

  /* Bars at the medians, whiskers from the slowest to the fastest run. */
  for (guint i = 0; i < l->n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      set_color (cr, &speedup_color, 0.85);
      cairo_rectangle (cr, X_OF (i) - bar_w / 2, Y_OF (p->speedup), bar_w,
                       l->y0 - Y_OF (p->speedup));
      cairo_fill (cr);

      set_color (cr, fg, 0.8);
      cairo_set_line_width (cr, 1.5);
      cairo_move_to (cr, X_OF (i), Y_OF (p->low));
      cairo_line_to (cr, X_OF (i), Y_OF (p->high));
      cairo_move_to (cr, X_OF (i) - bar_w / 4, Y_OF (p->low));
      cairo_line_to (cr, X_OF (i) + bar_w / 4, Y_OF (p->low));
      cairo_move_to (cr, X_OF (i) - bar_w / 4, Y_OF (p->high));
      cairo_line_to (cr, X_OF (i) + bar_w / 4, Y_OF (p->high));
      cairo_stroke (cr);
    }

  /* The ideal: N workers, N times faster. */
  set_color (cr, fg, 0.75);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  for (guint i = 0; i < l->n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if (i == 0)
        cairo_move_to (cr, l->x0 + l->slot * 0.1, Y_OF (p->n_workers));
      cairo_line_to (cr, X_OF (i), Y_OF (p->n_workers));
      if (i == l->n - 1)
        cairo_line_to (cr, l->x0 + l->plot_w - l->slot * 0.1, Y_OF (p->n_workers));
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  /* Efficiency: a line with dots. */
  set_color (cr, &efficiency_color, 1);
  cairo_set_line_width (cr, 2);
  for (guint i = 0; i < l->n; i++)
    cairo_line_to (cr, X_OF (i),
                   E_OF (g_array_index (self->points, Point, i).shown_efficiency));
  cairo_stroke (cr);
  for (guint i = 0; i < l->n; i++)
    {
      cairo_arc (cr, X_OF (i), E_OF (g_array_index (self->points, Point, i).shown_efficiency),
                 4, 0, 2 * G_PI);
      cairo_fill (cr);
    }

  for (guint i = 0; i < N_LEGEND; i++)
    draw_legend_shape (cr, i, l->legend_x[i], l->legend_y[i], fg);

#undef Y_OF
#undef E_OF
#undef X_OF
}

static void
ad_speedup_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AdSpeedupChart *self = AD_SPEEDUP_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_auto(Layout) layout = { 0, };
  GdkRGBA fg;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  chart_layout (self, width, height, &layout);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (layout.n > 0)
    draw_chart (self, cr, &layout, &fg);
  draw_texts (cr, &layout, &fg);
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
  /* 300: fits a phone's 360 px beside the page's margins, and the texts
   * still do not meet (test-speedup-chart). */
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 300 : 260;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 560 : 340;
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

/* The numbers behind the chart, in words, for screen readers. */
static void
chart_update_description (AdSpeedupChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->points->len == 0)
    g_string_append (text, _("No measurement yet."));
  else
    g_string_append (text, _("Speed-up over one thread, medians, with the range from the "
                             "slowest to the fastest run:"));

  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      /* TRANSLATORS: one column of the speed-up chart, for screen readers:
       * "2 threads: 1.96× (1.90× to 1.99×), efficiency 98 %" */
      g_string_append_printf (text, _(" %s: %.2f× (%.2f× to %.2f×), efficiency %s;"),
                              p->label, p->speedup, p->low, p->high, p->efficiency_long);
    }
  if (text->str[text->len - 1] == ';')
    text->str[text->len - 1] = '.';

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

static void
ad_speedup_chart_init (AdSpeedupChart *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (Point));
  g_array_set_clear_func (self->points, (GDestroyNotify) point_clear);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Speed-up chart"),
                                  -1);
  chart_update_description (self);
}

/* The short efficiency under a column: "98 %", "≈100 %", "112 % *". */
static char *
format_short_efficiency (const AdSpeedupRow *row)
{
  switch (row->verdict)
    {
    case AD_SPEEDUP_VERDICT_WITHIN_NOISE:
      return g_strdup (_("≈100 %"));
    case AD_SPEEDUP_VERDICT_SUPERLINEAR:
      /* TRANSLATORS: a super-linear efficiency under the chart, explained in a note */
      return g_strdup_printf (_("%.0f %% *"), 100 * row->efficiency);
    case AD_SPEEDUP_VERDICT_OK:
    default:
      /* TRANSLATORS: an efficiency on the chart, such as "96 %" */
      return g_strdup_printf (_("%.0f %%"), MIN (100 * row->efficiency, 100));
    }
}

/**
 * ad_speedup_chart_set_rows:
 * @rows: (array length=n_rows) (nullable): a measurement's rows, one thread first
 *
 * Shows @rows, copied; none clears the chart.
 */
void
ad_speedup_chart_set_rows (AdSpeedupChart     *self,
                           const AdSpeedupRow *rows,
                           guint               n_rows)
{
  guint before;

  g_return_if_fail (AD_IS_SPEEDUP_CHART (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  before = self->points->len;
  g_array_set_size (self->points, 0);
  for (guint i = 0; i < n_rows; i++)
    {
      const AdSpeedupRow *row = &rows[i];
      Point point;

      g_return_if_fail (row->n_workers > 0);
      point.label = ad_speedup_row_dup_label (row);
      point.n_workers = row->n_workers;
      point.speedup = MAX (row->speedup, 0);
      point.low = MAX (MIN (row->speedup_low, point.speedup), 0);
      point.high = MAX (row->speedup_high, point.speedup);
      point.efficiency = row->efficiency;
      point.shown_efficiency = row->verdict == AD_SPEEDUP_VERDICT_WITHIN_NOISE
                               ? 1.0 : MAX (row->efficiency, 0);
      point.speedup_text = ad_speedup_row_format_speedup (row);
      point.efficiency_text = format_short_efficiency (row);
      point.efficiency_long = ad_speedup_row_format_efficiency (row);
      g_array_append_val (self->points, point);
      /* The array owns the strings now (its clear function frees them). */
      // cppcheck-suppress memleak
    }

  chart_update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (before != self->points->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);
}

void
ad_speedup_chart_clear (AdSpeedupChart *self)
{
  ad_speedup_chart_set_rows (self, NULL, 0);
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
 * @speedup: (out) (optional): the median speed-up
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
    *efficiency = p->efficiency;
}

static void
chart_text_clear (AdSpeedupChartText *text)
{
  g_free (text->text);
}

/**
 * ad_speedup_chart_layout_texts:
 *
 * Returns: (transfer full) (element-type AdSpeedupChartText): every text
 *   the chart draws at @width × @height, with its extents
 */
GArray *
ad_speedup_chart_layout_texts (AdSpeedupChart *self,
                               int             width,
                               int             height)
{
  g_auto(Layout) layout = { 0, };
  GArray *texts;

  g_return_val_if_fail (AD_IS_SPEEDUP_CHART (self), NULL);

  chart_layout (self, width, height, &layout);
  texts = g_array_sized_new (FALSE, FALSE, sizeof (AdSpeedupChartText), layout.texts->len);
  g_array_set_clear_func (texts, (GDestroyNotify) chart_text_clear);
  for (guint i = 0; i < layout.texts->len; i++)
    {
      const Text *t = &g_array_index (layout.texts, Text, i);
      AdSpeedupChartText out = { g_strdup (pango_layout_get_text (t->layout)), t->extents };

      g_array_append_val (texts, out);
    }
  return texts;
}
