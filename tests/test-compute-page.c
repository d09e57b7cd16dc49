/* test-compute-page.c: the Compute page in the real window, under a real
 * display (Xvfb in CI)
 *
 * The workloads are small: the machine's cores are shared. Worker
 * processes are the freshly built `async-demo` (ASYNC_DEMO_BINARY), since
 * /proc/self/exe is this test program.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ad-application.h"
#include "ad-compute-page.h"
#include "ad-core.h"
#include "ad-gui-test-utils.h"
#include "ad-window-private.h"
#include "ad-test-utils.h"
#include "ad-window.h"


/* A big-endian 32-bit number at any address (a file's bytes need not be
 * aligned for a guint32). */
static guint32
read_be32 (const char *p)
{
  const guchar *b = (const guchar *) p;

  return ((guint32) b[0] << 24) | ((guint32) b[1] << 16) | ((guint32) b[2] << 8) | b[3];
}

static AdApplication *app;

/* Valgrind (AD_TEST_SLOW) runs the workers and the main loop many times slower. */
#define SCALED(ms) ((ms) * (guint) ad_test_slow_factor ())

static gboolean
is_label_starting_with (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), data);
}

static AdComputePage *
show_compute_page (AdWindow *window)
{
  GtkWidget *page = ad_gui_test_show_page (window, "compute", "Compute");

  ad_compute_page_set_worker_binary (AD_COMPUTE_PAGE (page), g_getenv ("ASYNC_DEMO_BINARY"));

  return AD_COMPUTE_PAGE (page);
}

static void
on_running_changed (GObject    *object,
                    GParamSpec *pspec,
                    gboolean   *stopped)
{
  if (!ad_compute_page_get_running (AD_COMPUTE_PAGE (object)))
    *stopped = TRUE;
}

static void
wait_stopped (AdComputePage *page,
              guint          timeout_ms)
{
  gboolean stopped = !ad_compute_page_get_running (page);
  gulong id = g_signal_connect (page, "notify::running", G_CALLBACK (on_running_changed),
                                &stopped);

  ad_test_wait_for (stopped, SCALED (timeout_ms));
  g_signal_handler_disconnect (page, id);
}

/* Clicks the button bound to @action and waits for the run to end. */
static void
click_and_wait (AdComputePage *page,
                const char    *action,
                guint          timeout_ms)
{
  GtkWidget *button = ad_gui_test_find_button (GTK_WIDGET (page), action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ad_compute_page_get_running (page));
  g_assert_false (gtk_widget_is_sensitive (button));
  wait_stopped (page, timeout_ms);
  g_assert_true (gtk_widget_is_sensitive (button));
}

static void
test_sum_squares (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdComputePage *page = show_compute_page (window);

  ad_compute_page_set_workload (page, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  ad_compute_page_set_n (page, 10000000);
  ad_compute_page_set_workers (page, AD_COMPUTE_BACKEND_THREADS, ad_compute_max_workers ());
  click_and_wait (page, "compute.run", 30000);

  /* The exact 128-bit answer, on the page for the user to read. */
  g_assert_cmpstr (ad_compute_page_get_result_text (page), ==, "333333283333335000000");
  g_assert_nonnull (ad_gui_test_find_label (GTK_WIDGET (page), "333333283333335000000"));
  g_assert_nonnull (ad_gui_test_find_widget (GTK_WIDGET (page), is_label_starting_with,
                                             "Longest main-loop stall: "));
  g_assert_nonnull (ad_gui_test_find_widget (GTK_WIDGET (page), is_label_starting_with,
                                             "Elapsed: "));

  /* The same answer from worker processes. */
  ad_compute_page_set_workers (page, AD_COMPUTE_BACKEND_PROCESSES, ad_compute_max_workers ());
  click_and_wait (page, "compute.run", 30000);
  g_assert_cmpstr (ad_compute_page_get_result_text (page), ==, "333333283333335000000");
  g_assert_cmpint (ad_compute_result_get_backend (ad_compute_page_get_result (page)), ==,
                   AD_COMPUTE_BACKEND_PROCESSES);

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
small_mandelbrot (AdComputePage *page)
{
  ad_compute_page_set_workload (page, AD_COMPUTE_WORKLOAD_MANDELBROT);
  ad_compute_page_set_max_iter (page, 200);
  ad_compute_page_set_image_size (page, 200, 150);
  ad_compute_page_set_workers (page, AD_COMPUTE_BACKEND_THREADS, ad_compute_max_workers ());
}

static void
test_mandelbrot_tiles (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdComputePage *page = show_compute_page (window);
  AdMandelbrotView *view = ad_compute_page_get_mandelbrot_view (page);
  AdComputeResult *result;
  AdComputeParams params;
  g_autofree guint8 *serial = NULL;
  gsize len;

  small_mandelbrot (page);
  click_and_wait (page, "compute.run", 30000);

  result = ad_compute_page_get_result (page);
  g_assert_nonnull (result);
  /* 200×150 in 64-pixel tiles: 4 × 3, each painted as it arrived. */
  g_assert_cmpuint (ad_mandelbrot_view_get_n_tiles (view), ==, 12);
  g_assert_cmpuint (ad_compute_result_get_n_chunks (result), ==, 12);
  g_assert_cmpuint (ad_mandelbrot_view_get_image_width (view), ==, 200);
  g_assert_cmpuint (ad_mandelbrot_view_get_checksum (view), ==,
                    ad_compute_result_get_checksum (result));

  /* And the core, serially, agrees. */
  params = *ad_compute_result_get_params (result);
  len = (gsize) params.width * params.height * 3;
  serial = g_malloc (len);
  g_assert_true (ad_mandelbrot_render (&params, 0, 0, params.width, params.height, serial,
                                       (gsize) params.width * 3, NULL));
  g_assert_cmpuint (ad_mandelbrot_checksum (serial, len), ==,
                    ad_compute_result_get_checksum (result));

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_mandelbrot_zoom (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdComputePage *page = show_compute_page (window);
  AdMandelbrotView *view = ad_compute_page_get_mandelbrot_view (page);
  double x0, y0, s0, x1, y1, s1;
  guint64 before;

  small_mandelbrot (page);
  click_and_wait (page, "compute.run", 30000);
  before = ad_compute_result_get_checksum (ad_compute_page_get_result (page));
  ad_mandelbrot_view_get_viewport (view, &x0, &y0, &s0);

  /* The keyboard's action: zoom in around the centre; it starts a render. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.zoom-in", NULL));
  ad_mandelbrot_view_get_viewport (view, &x1, &y1, &s1);
  g_assert_cmpfloat (s1, <, s0);
  g_assert_cmpfloat_with_epsilon (x1, x0, 1e-9);
  g_assert_true (ad_compute_page_get_running (page));
  wait_stopped (page, 30000);
  g_assert_cmpfloat (ad_compute_result_get_params (ad_compute_page_get_result (page))->scale, ==,
                     s1);
  g_assert_cmpuint (ad_compute_result_get_checksum (ad_compute_page_get_result (page)), !=,
                    before);
  g_assert_cmpuint (ad_mandelbrot_view_get_checksum (view), ==,
                    ad_compute_result_get_checksum (ad_compute_page_get_result (page)));

  /* Until the new tiles arrive, the old image stands in, resampled: the
   * view never goes black. */
  {
    static const guint8 black[(gsize) 200 * 150 * 3];
    gsize len = sizeof black;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.zoom-out", NULL));
    g_assert_cmpuint (ad_mandelbrot_view_get_n_tiles (view), ==, 0);
    g_assert_cmpuint (ad_mandelbrot_view_get_checksum (view), !=,
                      ad_mandelbrot_checksum (black, len));
    wait_stopped (page, 30000);
  }

  /* Zoom at a point, then pan twice in a row: each cancels the render
   * before and the last one wins. */
  ad_mandelbrot_view_zoom (view, 2.0, 10, 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.pan", "(ii)", 1, 0));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.pan", "(ii)", 0, 1));
  ad_mandelbrot_view_get_viewport (view, &x0, &y0, &s0);
  g_assert_cmpfloat (s0, <, s1);
  wait_stopped (page, 30000);
  {
    const AdComputeParams *params = ad_compute_result_get_params (ad_compute_page_get_result (page));

    g_assert_cmpfloat (params->center_x, ==, x0);
    g_assert_cmpfloat (params->center_y, ==, y0);
    g_assert_cmpfloat (params->scale, ==, s0);
  }
  g_assert_cmpuint (ad_mandelbrot_view_get_n_tiles (view), ==, 12);
  g_assert_cmpuint (ad_mandelbrot_view_get_checksum (view), ==,
                    ad_compute_result_get_checksum (ad_compute_page_get_result (page)));

  ad_gui_test_close_window (GTK_WINDOW (window));
}

/* Keeps the first compute run's task the registry reports: a run task is
 * created on the main thread, where the test reads it. */
static void
keep_run_task_cb (const AdTaskEvent *event,
                  gpointer           user_data)
{
  AdTask **run_task = user_data;

  if (event->type == AD_TASK_EVENT_CREATED && *run_task == NULL && event->parent_id == 0
      && g_str_has_prefix (ad_task_get_name (event->task), "compute "))
    *run_task = g_object_ref (event->task);
}

static void
test_cancel (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdComputePage *page = show_compute_page (window);
  GtkWidget *run_button = ad_gui_test_find_button (GTK_WIDGET (page), "compute.run");
  AdTaskRegistry *registry;
  AdTask *run_task = NULL;
  gint64 cancelled_at;
  guint n_live;
  guint listener;

  registry = ad_task_registry_get_default ();
  listener = ad_task_registry_add_listener (registry, keep_run_task_cb, &run_task, NULL);

  /* Minutes of work, cancelled after a moment. */
  ad_compute_page_set_workload (page, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  ad_compute_page_set_n (page, G_GUINT64_CONSTANT (1000000000000));
  g_signal_emit_by_name (run_button, "clicked");
  g_assert_true (ad_compute_page_get_running (page));
  ad_test_spin (200);
  g_assert_true (ad_compute_page_get_running (page));

  g_assert_nonnull (run_task);
  g_assert_cmpint (ad_task_get_state (run_task), ==, AD_TASK_STATE_RUNNING);

  cancelled_at = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "compute.cancel", NULL));
  /* The workers stop within milliseconds (tests/test-compute.c); here the
   * callback also waits for the main loop, which draws with Mesa's
   * software renderer on the same two busy cores, so how long that takes
   * depends on the machine's load (3.6 s seen at load 15). What matters:
   * the run ends cancelled, within a generous deadline, and leaves the
   * page idle. */
  wait_stopped (page, 60000);
  g_test_message ("stopped %.1f ms after Cancel", (g_get_monotonic_time () - cancelled_at) / 1e3);
  g_assert_cmpint (ad_task_get_state (run_task), ==, AD_TASK_STATE_CANCELLED);
  ad_task_registry_remove_listener (registry, listener);
  g_clear_object (&run_task);
  g_assert_false (ad_compute_page_get_running (page));
  g_assert_true (gtk_widget_is_sensitive (run_button));
  g_assert_false (gtk_widget_is_sensitive (ad_gui_test_find_button (GTK_WIDGET (page),
                                                                    "compute.cancel")));
  g_assert_nonnull (ad_gui_test_find_label (GTK_WIDGET (page), "—"));

  /* Closing the window mid-run cancels it and leaves nothing behind: the
   * run's tasks (the run and its chunks) all end. */
  ad_test_spin (100);
  n_live = ad_task_registry_get_n_live (registry);
  g_signal_emit_by_name (run_button, "clicked");
  ad_test_wait_until (ad_task_registry_get_n_live (registry) > n_live, 5000);
  ad_gui_test_close_window (GTK_WINDOW (window));
  ad_test_wait_until (ad_task_registry_get_n_live (registry) <= n_live, 5000);
  g_assert_cmpuint (ad_task_registry_get_n_live (registry), ==, n_live);
}

/* A speed-up measurement from the page: the workload scaled and said so,
 * 1 … N threads then N processes in the chart and the table (medians,
 * ranges, never a bare efficiency above 100 %), and the Mandelbrot view
 * left alone while it measures: no tile reaches it. */
static void
test_speedup (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdComputePage *page = show_compute_page (window);
  AdSpeedupChart *chart = ad_compute_page_get_speedup_chart (page);
  AdMandelbrotView *view = ad_compute_page_get_mandelbrot_view (page);
  guint max = ad_compute_max_workers ();
  guint n_workers, n_tiles;
  guint64 checksum;
  double speedup, efficiency;

  ad_compute_page_set_workload (page, AD_COMPUTE_WORKLOAD_MANDELBROT);
  ad_compute_page_set_image_size (page, 64, 48);
  ad_compute_page_set_max_iter (page, 100);
  ad_compute_page_set_speedup_min_seconds (page, 0.05);
  /* An image first, so that any tile pushed during the measurement would show. */
  click_and_wait (page, "compute.run", 30000);
  n_tiles = ad_mandelbrot_view_get_n_tiles (view);
  checksum = ad_mandelbrot_view_get_checksum (view);
  g_assert_cmpuint (n_tiles, >, 0);
  click_and_wait (page, "compute.speedup", 60000);
  g_assert_cmpuint (ad_mandelbrot_view_get_n_tiles (view), ==, n_tiles);
  g_assert_cmpuint (ad_mandelbrot_view_get_checksum (view), ==, checksum);

  /* 1 … N threads, then N processes. */
  g_assert_cmpuint (ad_speedup_chart_get_n_points (chart), ==, max + 1);
  ad_speedup_chart_get_point (chart, 0, &n_workers, &speedup, &efficiency);
  g_assert_cmpuint (n_workers, ==, 1);
  g_assert_cmpfloat_with_epsilon (speedup, 1.0, 1e-9);
  ad_speedup_chart_get_point (chart, max, &n_workers, &speedup, &efficiency);
  g_assert_cmpuint (n_workers, ==, max);
  g_assert_cmpfloat (speedup, >, 0);
  /* The table under the chart shows the same run: its last row (after
   * the heading and one row per point) has this speed-up and efficiency. */
  {
    GtkWidget *heading = ad_gui_test_find_label (GTK_WIDGET (page), "Efficiency");
    GtkGrid *table;
    int last = (int) max + 1;
    g_autofree char *speedup_text = g_strdup_printf ("%.2f×", speedup);
    g_autofree char *ideal_text = g_strdup_printf ("≈%.2f×", (double) max);
    g_autofree char *efficiency_text = g_strdup_printf ("%.0f %%", 100 * efficiency);
    const char *cell;

    g_assert_nonnull (heading);
    table = GTK_GRID (gtk_widget_get_parent (heading));
    cell = gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (table, 3, last)));
    /* Above N× only as a super-linear result; within noise it reads as the ideal. */
    if (efficiency > 1.0 && g_str_has_prefix (cell, "≈"))
      g_assert_cmpstr (cell, ==, ideal_text);
    else
      g_assert_cmpstr (cell, ==, speedup_text);
    cell = gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (table, 4, last)));
    if (efficiency <= 1.0)
      g_assert_cmpstr (cell, ==, efficiency_text);
    else
      g_assert_true (g_str_has_suffix (cell, "(within noise)")
                     || g_str_has_suffix (cell, "(super-linear)"));
    /* The range: "0.12–0.15 s". */
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (table, 2,
                                                                                      last))),
                              "–"));
    g_assert_null (gtk_grid_get_child_at (table, 0, last + 1));
  }
  g_assert_nonnull (ad_gui_test_find_widget (GTK_WIDGET (page), is_label_starting_with,
                                             "Best speed-up: "));
  /* The note says how the workload was sized: scaled up, or as set when one
   * thread already took long enough (a slow machine, valgrind). */
  g_assert_true (ad_gui_test_find_widget (GTK_WIDGET (page), is_label_starting_with,
                                          "Workload scaled to ") != NULL ||
                 ad_gui_test_find_widget (GTK_WIDGET (page), is_label_starting_with,
                                          "Workload as set: ") != NULL);
  ad_test_spin (50);

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
save_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;

  if (!ad_compute_page_save_png_finish (AD_COMPUTE_PAGE (source), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "ok");
}

/* Activates Save Image and answers its chooser with @file. */
static void
save_with_chooser (AdComputePage *page,
                   GFile         *file)
{
  GtkFileChooser *chooser;
  g_autofree char *name = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "compute.save-image", NULL));
  chooser = ad_gui_test_wait_file_chooser ("Save Image");
  name = gtk_file_chooser_get_current_name (chooser);
  g_assert_cmpstr (name, ==, "mandelbrot.png");
  ad_gui_test_accept_file_chooser (chooser, file);
}

static void
test_save_png (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdComputePage *page = show_compute_page (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("compute-page-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "mandelbrot.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) unwritable = g_file_new_for_path ("/proc/ad-compute-page.png");
  g_autoptr(GdkTexture) texture = NULL;
  GtkWidget *label;
  GError *outcome = NULL;

  g_assert_no_error (error);

  /* Nothing to save yet. */
  ad_compute_page_save_png_async (page, file, NULL, save_done, &outcome);
  while (outcome == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (outcome, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&outcome);

  small_mandelbrot (page);
  click_and_wait (page, "compute.run", 30000);
  g_assert_true (gtk_widget_is_sensitive (ad_gui_test_find_button (GTK_WIDGET (page),
                                                                   "compute.save-image")));

  /* Save Image as the button does: its action, then its chooser. */
  save_with_chooser (page, file);
  /* Saved: a toast says so. */
  ad_test_wait_until (g_strcmp0 (ad_window_get_last_toast_title (
                                   AD_WINDOW (gtk_widget_get_root (GTK_WIDGET (page)))),
                                 "Saved mandelbrot.png") == 0,
                      SCALED (10000));
  g_assert_null (ad_gui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));

  /* A PNG (signature, then IHDR with the size) that GdkPixbuf's loader
   * reads back at the right size. */
  {
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (path, &contents, &length, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (length, >, 33);
    g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
    g_assert_cmpmem (contents + 12, 4, "IHDR", 4);
    /* Width and height, big-endian, right after the chunk type. */
    g_assert_cmpuint (read_be32 (contents + 16), ==, 200);
    g_assert_cmpuint (read_be32 (contents + 20), ==, 150);
  }
  texture = gdk_texture_new_from_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 200);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 150);

  /* Where nothing can be written (/proc, even as root, where a directory
   * chmod 0500 would stop nothing): the page says why. */
  save_with_chooser (page, unwritable);
  ad_test_wait_until ((label = ad_gui_test_find_widget (GTK_WIDGET (page), is_label_starting_with,
                                                        "Cannot save ad-compute-page.png: "))
                      != NULL, SCALED (10000));
  g_test_message ("%s", gtk_label_get_text (GTK_LABEL (label)));
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_cmpuint (strlen (gtk_label_get_text (GTK_LABEL (label))), >,
                    strlen ("Cannot save ad-compute-page.png: "));
  g_assert_false (g_file_query_exists (unwritable, NULL));

  g_unlink (path);
  g_rmdir (dir);
  ad_gui_test_close_window (GTK_WINDOW (window));
}

/* Closing the window with the Save Image chooser up: the chooser goes
 * with the page, nothing calls back into it, the window is finalized. */
static void
test_close_with_chooser (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdComputePage *page = show_compute_page (window);
  GtkFileChooser *chooser;

  small_mandelbrot (page);
  click_and_wait (page, "compute.run", 30000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "compute.save-image", NULL));
  chooser = ad_gui_test_wait_file_chooser ("Save Image");
  g_object_add_weak_pointer (G_OBJECT (chooser), (gpointer *) &chooser);

  ad_gui_test_close_window (GTK_WINDOW (window));
  ad_test_wait_until (chooser == NULL, 5000);
  g_assert_null (ad_gui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
}

/* ---- the widgets alone ------------------------------------------------ */

static void
on_viewport_changed (AdMandelbrotView *view,
                     guint            *count)
{
  (*count)++;
}

/* The view's keyboard actions (what +, −, the arrows and Home are bound
 * to) move the viewport by the documented steps and each says so once. */
static void
test_view_keyboard (void)
{
  g_autoptr(AdMandelbrotView) view = g_object_ref_sink (g_object_new (AD_TYPE_MANDELBROT_VIEW,
                                                                      NULL));
  AdComputeParams defaults;
  double cx, cy, scale, cx2, cy2, scale2;
  guint changed = 0;

  ad_compute_params_init_defaults (&defaults, AD_COMPUTE_WORKLOAD_MANDELBROT);
  g_signal_connect (view, "viewport-changed", G_CALLBACK (on_viewport_changed), &changed);
  ad_mandelbrot_view_begin (view, 200, 100);
  ad_mandelbrot_view_get_viewport (view, &cx, &cy, &scale);
  g_assert_cmpfloat_with_epsilon (scale, defaults.scale, 1e-12);

  /* Zoom in and out about the middle: the centre stays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.zoom-in", NULL));
  ad_mandelbrot_view_get_viewport (view, &cx2, &cy2, &scale2);
  g_assert_cmpfloat_with_epsilon (scale2, scale / 1.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (cx2, cx, 1e-12);
  g_assert_cmpfloat_with_epsilon (cy2, cy, 1e-12);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.zoom-out", NULL));
  ad_mandelbrot_view_get_viewport (view, &cx2, &cy2, &scale2);
  g_assert_cmpfloat_with_epsilon (scale2, scale, 1e-12);
  g_assert_cmpuint (changed, ==, 2);

  /* Right moves the centre a tenth of the width right; Up moves it up
   * (towards larger imaginary parts). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.pan", "(ii)", 1, 0));
  ad_mandelbrot_view_get_viewport (view, &cx2, &cy2, &scale2);
  g_assert_cmpfloat_with_epsilon (cx2, cx + 0.1 * scale, 1e-12);
  g_assert_cmpfloat_with_epsilon (cy2, cy, 1e-12);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.pan", "(ii)", 0, -1));
  ad_mandelbrot_view_get_viewport (view, &cx2, &cy2, &scale2);
  g_assert_cmpfloat_with_epsilon (cy2, cy + 0.1 * scale, 1e-12);
  g_assert_cmpuint (changed, ==, 4);

  /* Zooming out stops at the whole set. */
  for (guint i = 0; i < 20; i++)
    gtk_widget_activate_action (GTK_WIDGET (view), "view.zoom-out", NULL);
  ad_mandelbrot_view_get_viewport (view, NULL, NULL, &scale2);
  g_assert_cmpfloat (scale2, <=, 8.0);
  g_assert_cmpfloat (scale2, >, 4.0);

  /* Home goes back to the default viewport. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.reset", NULL));
  ad_mandelbrot_view_get_viewport (view, &cx2, &cy2, &scale2);
  g_assert_cmpfloat_with_epsilon (cx2, defaults.center_x, 1e-12);
  g_assert_cmpfloat_with_epsilon (cy2, defaults.center_y, 1e-12);
  g_assert_cmpfloat_with_epsilon (scale2, defaults.scale, 1e-12);
}

/* A 4 × 4 image whose pixel (x, y) is (x + 1, y + 1, 7). */
static GBytes *
numbered_image (void)
{
  guint8 *pixels = g_malloc ((gsize) 4 * 4 * 3);

  for (guint y = 0; y < 4; y++)
    for (guint x = 0; x < 4; x++)
      {
        guint8 *p = pixels + ((gsize) y * 4 + x) * 3;

        p[0] = (guint8) (x + 1);
        p[1] = (guint8) (y + 1);
        p[2] = 7;
      }

  return g_bytes_new_take (pixels, (gsize) 4 * 4 * 3);
}

/* The checksum of the numbered image with column x taken from old column
 * map[x] (-1: black). */
static guint64
remapped_checksum (const int map[4])
{
  guint8 pixels[4 * 4 * 3] = { 0 };

  for (guint y = 0; y < 4; y++)
    for (guint x = 0; x < 4; x++)
      if (map[x] >= 0)
        {
          guint8 *p = pixels + ((gsize) y * 4 + x) * 3;

          p[0] = (guint8) (map[x] + 1);
          p[1] = (guint8) (y + 1);
          p[2] = 7;
        }

  return ad_mandelbrot_checksum (pixels, sizeof pixels);
}

/* Until the new tiles come, the old image stands in, resampled into the
 * new viewport: moved by a pan, magnified by a zoom, black where it has
 * nothing to show. */
static void
test_view_resample (void)
{
  g_autoptr(AdMandelbrotView) view = g_object_ref_sink (g_object_new (AD_TYPE_MANDELBROT_VIEW,
                                                                      NULL));
  g_autoptr(GBytes) image = numbered_image ();
  static const int same[4] = { 0, 1, 2, 3 };
  static const int panned[4] = { 2, 3, -1, -1 };
  static const int zoomed[4] = { 1, 1, 2, 2 };

  ad_mandelbrot_view_begin (view, 4, 4);
  g_assert_cmpuint (ad_mandelbrot_view_get_checksum (view), ==,
                    remapped_checksum ((const int[4]) { -1, -1, -1, -1 }));
  ad_mandelbrot_view_add_tile (view, 0, 0, 4, 4, image, 0);
  g_assert_cmpuint (ad_mandelbrot_view_get_n_tiles (view), ==, 1);
  g_assert_cmpuint (ad_mandelbrot_view_get_checksum (view), ==, remapped_checksum (same));

  /* Two pixels right: old columns 2 and 3 show at 0 and 1. */
  ad_mandelbrot_view_pan (view, 2, 0);
  ad_mandelbrot_view_begin (view, 4, 4);
  g_assert_cmpuint (ad_mandelbrot_view_get_n_tiles (view), ==, 0);
  g_assert_cmpuint (ad_mandelbrot_view_get_checksum (view), ==, remapped_checksum (panned));

  /* Back, then twice closer about the middle: the two middle columns
   * fill the image, each twice as wide. */
  ad_mandelbrot_view_add_tile (view, 0, 0, 4, 4, image, 1);
  ad_mandelbrot_view_zoom (view, 2, 2, 2);
  ad_mandelbrot_view_begin (view, 4, 4);
  {
    guint8 expected[4 * 4 * 3];

    for (guint y = 0; y < 4; y++)
      for (guint x = 0; x < 4; x++)
        {
          guint8 *p = expected + ((gsize) y * 4 + x) * 3;

          p[0] = (guint8) (zoomed[x] + 1);
          p[1] = (guint8) (y / 2 + 1 + 1);
          p[2] = 7;
        }
    g_assert_cmpuint (ad_mandelbrot_view_get_checksum (view), ==,
                      ad_mandelbrot_checksum (expected, sizeof expected));
  }
}

/* How many pixels of @widget's drawing have the bars' blue. */
static guint
count_bar_pixels (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  const guint8 *data;
  guint count = 0;
  int stride;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  if (node != NULL)
    gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 px = *(const guint32 *) (const void *) (data + (gsize) y * stride + (gsize) x * 4);
        int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

        /* 0.85 × (0.21, 0.52, 0.89), premultiplied */
        if (ABS (r - 46) < 10 && ABS (g - 113) < 10 && ABS (b - 193) < 10)
          count++;
      }
  cairo_surface_destroy (surface);

  return count;
}

/* One thread, and two at @speedup, with no spread. */
static void
chart_set_speedups (AdSpeedupChart *chart,
                    double          speedup)
{
  AdSpeedupRow rows[2] = {
    { .backend = AD_COMPUTE_BACKEND_THREADS, .n_workers = 1, .n_samples = 3,
      .median = 1000000, .min = 1000000, .max = 1000000 },
    { .backend = AD_COMPUTE_BACKEND_THREADS, .n_workers = 2, .n_samples = 3 },
  };

  rows[1].median = rows[1].min = rows[1].max = (gint64) (1000000 / speedup);
  ad_speedup_row_fill (&rows[0], &rows[0]);
  ad_speedup_row_fill (&rows[1], &rows[0]);
  ad_speedup_chart_set_rows (chart, rows, 2);
}

/* The chart's layout: no bars without points; a bar's height follows its
 * speed-up on an axis that fits the largest value; the efficiency is the
 * speed-up per worker. */
static void
test_chart_layout (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  AdSpeedupChart *a = g_object_new (AD_TYPE_SPEEDUP_CHART, NULL);
  AdSpeedupChart *b = g_object_new (AD_TYPE_SPEEDUP_CHART, NULL);
  guint empty, linear, flat, n_workers;
  double speedup, efficiency;

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (a));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (b));
  gtk_widget_set_size_request (GTK_WIDGET (a), 400, 300);
  gtk_widget_set_size_request (GTK_WIDGET (b), 400, 300);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  ad_test_wait_until (gtk_widget_get_width (GTK_WIDGET (b)) >= 400, 5000);

  empty = count_bar_pixels (GTK_WIDGET (a));
  g_assert_cmpuint (empty, ==, 0);

  /* The same axis (up to 2, the most workers) for both charts. */
  chart_set_speedups (a, 2.0);
  chart_set_speedups (b, 1.0);
  linear = count_bar_pixels (GTK_WIDGET (a));
  flat = count_bar_pixels (GTK_WIDGET (b));
  g_test_message ("bar pixels: %u with 1× and 2×, %u with 1× and 1×", linear, flat);
  g_assert_cmpuint (flat, >, 0);
  /* The second bar twice as tall adds about one bar of 1×. */
  g_assert_cmpuint (linear, >, flat + flat / 4);

  g_assert_cmpuint (ad_speedup_chart_get_n_points (a), ==, 2);
  ad_speedup_chart_get_point (b, 1, &n_workers, &speedup, &efficiency);
  g_assert_cmpuint (n_workers, ==, 2);
  g_assert_cmpfloat_with_epsilon (speedup, 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (efficiency, 0.5, 1e-12);

  ad_speedup_chart_clear (a);
  g_assert_cmpuint (ad_speedup_chart_get_n_points (a), ==, 0);
  g_assert_cmpuint (count_bar_pixels (GTK_WIDGET (a)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  app = ad_gui_test_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add_func ("/compute-page/sum-squares", test_sum_squares);
  g_test_add_func ("/compute-page/mandelbrot-tiles", test_mandelbrot_tiles);
  g_test_add_func ("/compute-page/mandelbrot-zoom", test_mandelbrot_zoom);
  g_test_add_func ("/compute-page/cancel", test_cancel);
  g_test_add_func ("/compute-page/speedup", test_speedup);
  g_test_add_func ("/compute-page/save-png", test_save_png);
  g_test_add_func ("/compute-page/close-with-chooser", test_close_with_chooser);
  g_test_add_func ("/compute-page/view-keyboard", test_view_keyboard);
  g_test_add_func ("/compute-page/view-resample", test_view_resample);
  g_test_add_func ("/compute-page/chart-layout", test_chart_layout);

  return ad_gui_test_run (&app);
}
