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
#include <locale.h>

#include "ad-application.h"
#include "ad-compute-page.h"
#include "ad-core.h"
#include "ad-test-utils.h"
#include "ad-window.h"

static AdApplication *app;

/* Valgrind (AD_TEST_SLOW) runs the workers and the main loop many times slower. */
#define SCALED(ms) (g_getenv ("AD_TEST_SLOW") == NULL ? (ms) : (ms) * 10)

static GtkWidget *
find_widget (GtkWidget  *root,
             gboolean  (*predicate) (GtkWidget *, gconstpointer),
             gconstpointer data)
{
  if (predicate (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, predicate, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

static gboolean
is_label_starting_with (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), data);
}

static gboolean
is_button_with_action (GtkWidget     *widget,
                       gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static AdWindow *
open_window (void)
{
  AdWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = AD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  ad_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (window)) && gtk_widget_get_width (GTK_WIDGET (window)) > 0, 5000);

  return window;
}

static void
close_window (AdWindow *window)
{
  g_autoptr(GObject) ref = g_object_ref (G_OBJECT (window));

  gtk_window_close (GTK_WINDOW (window));
  ad_test_spin (50);
  g_assert_finalize_object (g_steal_pointer (&ref));
}

static AdComputePage *
show_compute_page (AdWindow *window)
{
  GtkStack *stack = ad_window_get_stack (window);
  GtkWidget *page = gtk_stack_get_child_by_name (stack, "compute");

  g_assert_nonnull (page);
  g_assert_cmpstr (gtk_stack_page_get_title (gtk_stack_get_page (stack, page)), ==, "Compute");
  gtk_stack_set_visible_child (stack, page);
  ad_test_wait_until (gtk_widget_get_mapped (page), 5000);
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
  GtkWidget *button = find_widget (GTK_WIDGET (page), is_button_with_action, action);

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
  AdWindow *window = open_window ();
  AdComputePage *page = show_compute_page (window);

  ad_compute_page_set_workload (page, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  ad_compute_page_set_n (page, 10000000);
  ad_compute_page_set_workers (page, AD_COMPUTE_BACKEND_THREADS, ad_compute_max_workers ());
  click_and_wait (page, "compute.run", 30000);

  /* The exact 128-bit answer, on the page for the user to read. */
  g_assert_cmpstr (ad_compute_page_get_result_text (page), ==, "333333283333335000000");
  g_assert_nonnull (find_widget (GTK_WIDGET (page), is_label_with_text, "333333283333335000000"));
  g_assert_nonnull (find_widget (GTK_WIDGET (page), is_label_starting_with,
                                 "Longest main-loop stall: "));
  g_assert_nonnull (find_widget (GTK_WIDGET (page), is_label_starting_with, "Elapsed: "));

  /* The same answer from worker processes. */
  ad_compute_page_set_workers (page, AD_COMPUTE_BACKEND_PROCESSES, ad_compute_max_workers ());
  click_and_wait (page, "compute.run", 30000);
  g_assert_cmpstr (ad_compute_page_get_result_text (page), ==, "333333283333335000000");
  g_assert_cmpint (ad_compute_result_get_backend (ad_compute_page_get_result (page)), ==,
                   AD_COMPUTE_BACKEND_PROCESSES);

  close_window (window);
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
  AdWindow *window = open_window ();
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

  close_window (window);
}

static void
test_mandelbrot_zoom (void)
{
  AdWindow *window = open_window ();
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

  close_window (window);
}

static void
test_cancel (void)
{
  AdWindow *window = open_window ();
  AdComputePage *page = show_compute_page (window);
  GtkWidget *run_button = find_widget (GTK_WIDGET (page), is_button_with_action, "compute.run");
  AdTaskRegistry *registry;
  gint64 cancelled_at, deadline;
  guint n_live;

  /* Minutes of work, cancelled after a moment. */
  ad_compute_page_set_workload (page, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  ad_compute_page_set_n (page, G_GUINT64_CONSTANT (1000000000000));
  g_signal_emit_by_name (run_button, "clicked");
  g_assert_true (ad_compute_page_get_running (page));
  ad_test_spin (200);
  g_assert_true (ad_compute_page_get_running (page));

  cancelled_at = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "compute.cancel", NULL));
  wait_stopped (page, 5000);
  g_test_message ("stopped %.1f ms after Cancel", (g_get_monotonic_time () - cancelled_at) / 1e3);
  /* The workers stop within milliseconds (tests/test-compute.c); here the
   * callback also waits for the main loop, which draws with Mesa's
   * software renderer on the same two busy cores: allow for a few frames. */
  if (g_getenv ("AD_TEST_SLOW") == NULL)
    g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, (gint64) 2 * G_USEC_PER_SEC);
  g_assert_nonnull (find_widget (GTK_WIDGET (page), is_label_with_text, "—"));

  /* Closing the window mid-run cancels it and leaves nothing behind: the
   * run's tasks (the run and its chunks) all end. */
  registry = ad_task_registry_get_default ();
  ad_test_spin (100);
  n_live = ad_task_registry_get_n_live (registry);
  g_signal_emit_by_name (run_button, "clicked");
  ad_test_spin (100);
  g_assert_cmpuint (ad_task_registry_get_n_live (registry), >, n_live);
  close_window (window);
  deadline = g_get_monotonic_time () + SCALED (5000) * G_TIME_SPAN_MILLISECOND;
  while (ad_task_registry_get_n_live (registry) > n_live && g_get_monotonic_time () < deadline)
    ad_test_spin (20);
  g_assert_cmpuint (ad_task_registry_get_n_live (registry), ==, n_live);
}

static void
test_speedup (void)
{
  AdWindow *window = open_window ();
  AdComputePage *page = show_compute_page (window);
  AdSpeedupChart *chart = ad_compute_page_get_speedup_chart (page);
  guint max = ad_compute_max_workers ();
  guint n_workers;
  double speedup, efficiency;

  ad_compute_page_set_workload (page, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  ad_compute_page_set_n (page, 2000000);
  click_and_wait (page, "compute.speedup", 60000);

  /* 1 … N threads, then N processes. */
  g_assert_cmpuint (ad_speedup_chart_get_n_points (chart), ==, max + 1);
  ad_speedup_chart_get_point (chart, 0, &n_workers, &speedup, &efficiency);
  g_assert_cmpuint (n_workers, ==, 1);
  g_assert_cmpfloat_with_epsilon (speedup, 1.0, 1e-9);
  ad_speedup_chart_get_point (chart, max, &n_workers, &speedup, &efficiency);
  g_assert_cmpuint (n_workers, ==, max);
  g_assert_cmpfloat (speedup, >, 0);
  g_assert_cmpfloat_with_epsilon (efficiency, speedup / max, 1e-9);
  g_assert_nonnull (find_widget (GTK_WIDGET (page), is_label_with_text, "Efficiency"));
  g_assert_nonnull (find_widget (GTK_WIDGET (page), is_label_starting_with, "Best speed-up: "));
  ad_test_spin (50);

  close_window (window);
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

static void
test_save_png (void)
{
  AdWindow *window = open_window ();
  AdComputePage *page = show_compute_page (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("compute-page-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "mandelbrot.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkTexture) texture = NULL;
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
  g_assert_true (gtk_widget_is_sensitive (find_widget (GTK_WIDGET (page), is_button_with_action,
                                                       "compute.save-image")));

  ad_compute_page_save_png_async (page, file, NULL, save_done, &outcome);
  while (outcome == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (outcome, G_IO_ERROR, G_IO_ERROR_EXISTS);  /* our "ok" */
  g_clear_error (&outcome);

  /* A valid PNG of the right size: GdkPixbuf's loader reads it back. */
  texture = gdk_texture_new_from_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 200);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 150);

  g_unlink (path);
  g_rmdir (dir);
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  setlocale (LC_ALL, "");
  ad_core_init ();
  bindtextdomain (GETTEXT_PACKAGE, AD_TEST_LOCALEDIR);
  textdomain (GETTEXT_PACKAGE);

  ad_test_keep_glib_quark_block ();
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: GUI tests not registered");
      return g_test_run ();
    }

  app = g_object_new (AD_TYPE_APPLICATION,
                      "application-id", APP_ID,
                      "flags", G_APPLICATION_NON_UNIQUE,
                      "resource-base-path", RESOURCE_BASE,
                      NULL);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/compute-page/sum-squares", test_sum_squares);
  g_test_add_func ("/compute-page/mandelbrot-tiles", test_mandelbrot_tiles);
  g_test_add_func ("/compute-page/mandelbrot-zoom", test_mandelbrot_zoom);
  g_test_add_func ("/compute-page/cancel", test_cancel);
  g_test_add_func ("/compute-page/speedup", test_speedup);
  g_test_add_func ("/compute-page/save-png", test_save_png);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);

  return ret;
}
