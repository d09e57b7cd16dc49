/* test-speedup-chart.c: the speed-up chart's text never overlaps
 *
 * The chart lays its texts out apart from drawing them; the test reads
 * that layout (ad-speedup-chart-private.h, the code path the snapshot
 * uses) at the widths a window can have, from the chart's minimum of 300
 * pixels up, and asserts that no two texts intersect and that every text
 * lies inside the widget.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-core.h"
#include "ad-gui-test-utils.h"
#include "ad-speedup-chart-private.h"
#include "ad-test-utils.h"

static AdApplication *app;

/* Medians, mins and maxes in ms, from one thread to N threads, then N processes. */
typedef struct
{
  guint        n_cores;
  const double times[9][3];
} Data;

static const Data two_cores = {
  2, {
    { 520, 505, 560 },   /* 1 thread */
    { 255, 250, 290 },   /* 2 threads: 102 %, within noise */
    { 280, 270, 300 },   /* 2 processes */
  }
};

static const Data two_cores_superlinear = {
  2, {
    { 520, 515, 525 },
    { 200, 198, 205 },   /* 130 %, super-linear */
    { 330, 300, 700 },
  }
};

static const Data four_cores = {
  4, {
    { 2010, 1990, 2100 },
    { 1020, 1000, 1200 },
    { 700, 650, 900 },
    { 540, 500, 620 },
    { 560, 520, 700 },
  }
};

static guint
data_fill (const Data   *data,
           AdSpeedupRow *rows)
{
  guint n = data->n_cores + 1;

  for (guint i = 0; i < n; i++)
    {
      rows[i].backend = i < data->n_cores ? AD_COMPUTE_BACKEND_THREADS
                                          : AD_COMPUTE_BACKEND_PROCESSES;
      rows[i].n_workers = MIN (i + 1, data->n_cores);
      rows[i].n_samples = 3;
      rows[i].median = (gint64) (data->times[i][0] * 1000);
      rows[i].min = (gint64) (data->times[i][1] * 1000);
      rows[i].max = (gint64) (data->times[i][2] * 1000);
    }
  for (guint i = 0; i < n; i++)
    ad_speedup_row_fill (&rows[i], &rows[0]);
  return n;
}

static gboolean
rects_overlap (const graphene_rect_t *a,
               const graphene_rect_t *b)
{
  return a->origin.x < b->origin.x + b->size.width && b->origin.x < a->origin.x + a->size.width
         && a->origin.y < b->origin.y + b->size.height
         && b->origin.y < a->origin.y + a->size.height;
}

static gboolean
texts_contain (GArray     *texts,
               const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    if (strcmp (g_array_index (texts, AdSpeedupChartText, i).text, text) == 0)
      return TRUE;
  return FALSE;
}

static void
check_layout (AdSpeedupChart *chart,
              int             width,
              int             height,
              guint           n_expected_min)
{
  g_autoptr(GArray) texts = ad_speedup_chart_layout_texts (chart, width, height);

  g_test_message ("%d × %d: %u texts", width, height, texts->len);
  g_assert_cmpuint (texts->len, >=, n_expected_min);
  for (guint i = 0; i < texts->len; i++)
    {
      const AdSpeedupChartText *a = &g_array_index (texts, AdSpeedupChartText, i);
      const graphene_rect_t *r = &a->extents;

      if (r->origin.x < 0 || r->origin.y < 0 || r->origin.x + r->size.width > width
          || r->origin.y + r->size.height > height || r->size.width <= 0
          || r->size.height <= 0)
        g_error ("at %d × %d, “%s” (%g, %g, %g × %g) is not inside the chart", width, height,
                 a->text, r->origin.x, r->origin.y, r->size.width, r->size.height);

      for (guint j = i + 1; j < texts->len; j++)
        {
          const AdSpeedupChartText *b = &g_array_index (texts, AdSpeedupChartText, j);

          if (rects_overlap (&a->extents, &b->extents))
            g_error ("at %d × %d, “%s” (%g, %g, %g × %g) overlaps “%s” (%g, %g, %g × %g)",
                     width, height, a->text, a->extents.origin.x, a->extents.origin.y,
                     a->extents.size.width, a->extents.size.height, b->text,
                     b->extents.origin.x, b->extents.origin.y, b->extents.size.width,
                     b->extents.size.height);
        }
    }
}

static void
check_sizes (AdSpeedupChart *chart,
             guint           n_expected_min)
{
  static const int widths[] = { 300, 324, 360, 420, 480, 640, 800, 1024, 1280 };
  static const int heights[] = { 260, 340, 600 };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    for (guint h = 0; h < G_N_ELEMENTS (heights); h++)
      check_layout (chart, widths[w], heights[h], n_expected_min);
}

/* Laid out in a shown window, so the fonts and styles are the real ones. */
static AdSpeedupChart *
chart_in_window (GtkWidget **window)
{
  AdSpeedupChart *chart = g_object_new (AD_TYPE_SPEEDUP_CHART, NULL);

  *window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (*window), GTK_WIDGET (chart));
  gtk_window_present (GTK_WINDOW (*window));
  ad_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (chart)), 5000);
  return chart;
}

static void
test_no_overlap (gconstpointer user_data)
{
  const Data *data = user_data;
  GtkWidget *window = NULL;
  AdSpeedupChart *chart = chart_in_window (&window);
  AdSpeedupRow rows[9] = { { 0, }, };
  guint n = data_fill (data, rows);

  ad_speedup_chart_set_rows (chart, rows, n);
  g_assert_cmpuint (ad_speedup_chart_get_n_points (chart), ==, n);
  {
    g_autoptr(GArray) texts = ad_speedup_chart_layout_texts (chart, 800, 340);
    g_autofree char *last = ad_speedup_row_dup_label (&rows[n - 1]);

    /* Legend, titles, and each column's name, speed-up and efficiency. */
    g_assert_true (texts_contain (texts, "Efficiency"));
    g_assert_true (texts_contain (texts, "Speed-up"));
    g_assert_true (texts_contain (texts, "Ideal (N workers, N×)"));
    g_assert_true (texts_contain (texts, "1 thread"));
    g_assert_true (texts_contain (texts, last));
    g_assert_true (texts_contain (texts, "1.00×"));
    /* Never a bare efficiency above 100 %: the axis stops at 100 % unless
     * a super-linear result is on it. */
    for (guint i = 0; i < texts->len && data != &two_cores_superlinear; i++)
      {
        const char *text = g_array_index (texts, AdSpeedupChartText, i).text;
        double value = g_ascii_strtod (text, NULL);

        if (g_str_has_suffix (text, " %") && value > 100)
          g_error ("“%s” is an efficiency above 100 %% without its mark", text);
      }
    if (data == &two_cores)
      g_assert_true (texts_contain (texts, "≈100 %"));
    if (data == &two_cores_superlinear)
      g_assert_true (texts_contain (texts, "130 % *"));
  }
  /* Legend (4), two titles, ticks on both axes (≥ 2 each), 3 per column. */
  check_sizes (chart, 4 + 2 + 4 + 3 * n);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An image to assistive technologies, labelled, described by its numbers,
 * and the description follows the data. */
static void
test_accessible (void)
{
  GtkWidget *window = NULL;
  AdSpeedupChart *chart = chart_in_window (&window);
  AdSpeedupRow rows[9] = { { 0, }, };
  guint n = data_fill (&two_cores, rows);
  const char *described = "Speed-up over one thread, medians, with the range from the slowest "
                          "to the fastest run: "
                          "1 thread: 1.00× (0.93× to 1.03×), efficiency 100 %; "
                          "2 threads: 2.04× (1.79× to 2.08×), efficiency ≈100 % (within noise); "
                          "2 processes: 1.86× (1.73× to 1.93×), efficiency 93 %.";

  gtk_test_accessible_assert_role (chart, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (chart, GTK_ACCESSIBLE_PROPERTY_LABEL, "Speed-up chart");
  gtk_test_accessible_assert_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "No measurement yet.");

  ad_speedup_chart_set_rows (chart, rows, n);
  gtk_test_accessible_assert_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, described);

  ad_speedup_chart_clear (chart);
  gtk_test_accessible_assert_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "No measurement yet.");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_empty (void)
{
  GtkWidget *window = NULL;
  AdSpeedupChart *chart = chart_in_window (&window);

  check_sizes (chart, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's test accessibility backend: the description can be read back
   * (the suite's GTK_A11Y=none would give the chart no context at all). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  app = ad_gui_test_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add_data_func ("/speedup-chart/two-cores", &two_cores, test_no_overlap);
  g_test_add_data_func ("/speedup-chart/two-cores-superlinear", &two_cores_superlinear,
                        test_no_overlap);
  g_test_add_data_func ("/speedup-chart/four-cores", &four_cores, test_no_overlap);
  g_test_add_func ("/speedup-chart/empty", test_empty);
  g_test_add_func ("/speedup-chart/accessible", test_accessible);

  return ad_gui_test_run (&app);
}
