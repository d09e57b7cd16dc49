/* test-speedup.c: the speed-up measurement (src/core/compute/ad-speedup.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-core.h"
#include "ad-test-utils.h"

static void
test_summarize (void)
{
  const gint64 odd[] = { 30, 10, 20 };
  const gint64 even[] = { 40, 10, 30, 20 };
  const gint64 one[] = { 7 };
  gint64 median, min, max;

  ad_speedup_summarize (odd, G_N_ELEMENTS (odd), &median, &min, &max);
  g_assert_cmpint (median, ==, 20);
  g_assert_cmpint (min, ==, 10);
  g_assert_cmpint (max, ==, 30);

  /* Even: the mean of the middle two. */
  ad_speedup_summarize (even, G_N_ELEMENTS (even), &median, &min, &max);
  g_assert_cmpint (median, ==, 25);
  g_assert_cmpint (min, ==, 10);
  g_assert_cmpint (max, ==, 40);

  ad_speedup_summarize (one, 1, &median, &min, &max);
  g_assert_cmpint (median, ==, 7);
  g_assert_cmpint (min, ==, 7);
  g_assert_cmpint (max, ==, 7);
}

/* The rule: above 100 % is within noise when N × the slowest run reaches
 * one thread's fastest run, super-linear otherwise; up to 100 % is OK. */
static void
test_judge (void)
{
  g_assert_cmpint (ad_speedup_judge (1.0, 2, 1000, 500), ==, AD_SPEEDUP_VERDICT_OK);
  g_assert_cmpint (ad_speedup_judge (0.6, 2, 1000, 900), ==, AD_SPEEDUP_VERDICT_OK);
  /* 2 × 500 reaches 1000: within noise. */
  g_assert_cmpint (ad_speedup_judge (1.05, 2, 1000, 500), ==, AD_SPEEDUP_VERDICT_WITHIN_NOISE);
  /* 2 × 495 × 1.02 ≥ 1000: within the noise floor. */
  g_assert_cmpint (ad_speedup_judge (1.05, 2, 1000, 495), ==, AD_SPEEDUP_VERDICT_WITHIN_NOISE);
  /* 2 × 450 × 1.02 < 1000: every run beat the ideal. */
  g_assert_cmpint (ad_speedup_judge (1.05, 2, 1000, 450), ==, AD_SPEEDUP_VERDICT_SUPERLINEAR);
  g_assert_cmpint (ad_speedup_judge (1.05, 1, 1000, 900), ==, AD_SPEEDUP_VERDICT_SUPERLINEAR);
}

/* The figures: 1 thread 0.22 s, 2 threads 0.07 s (3.18×, 159 %).
 * With tight timings that is super-linear; with one slow 2-thread run
 * reaching 0.11 s, within noise; never an OK 159 %. */
static void
test_row_fill (void)
{
  AdSpeedupRow one = { .backend = AD_COMPUTE_BACKEND_THREADS, .n_workers = 1, .n_samples = 3,
                         .median = 220000, .min = 215000, .max = 230000 };
  AdSpeedupRow two = { .backend = AD_COMPUTE_BACKEND_THREADS, .n_workers = 2, .n_samples = 3,
                         .median = 70000, .min = 68000, .max = 72000 };
  AdSpeedupRow noisy = { .backend = AD_COMPUTE_BACKEND_THREADS, .n_workers = 2, .n_samples = 3,
                         .median = 70000, .min = 68000, .max = 110000 };
  AdSpeedupRow procs = { .backend = AD_COMPUTE_BACKEND_PROCESSES, .n_workers = 2, .n_samples = 3,
                         .median = 121000, .min = 118000, .max = 125000 };
  g_autofree char *e_one = NULL, *e_two = NULL, *e_noisy = NULL, *e_procs = NULL;
  g_autofree char *label = NULL;

  ad_speedup_row_fill (&one, &one);
  g_assert_cmpfloat (one.speedup, ==, 1.0);
  g_assert_cmpfloat (one.efficiency, ==, 1.0);
  g_assert_cmpint (one.verdict, ==, AD_SPEEDUP_VERDICT_OK);
  g_assert_cmpfloat_with_epsilon (one.speedup_low, 220000.0 / 230000, 1e-9);
  g_assert_cmpfloat_with_epsilon (one.speedup_high, 220000.0 / 215000, 1e-9);

  ad_speedup_row_fill (&two, &one);
  g_assert_cmpfloat_with_epsilon (two.speedup, 220000.0 / 70000, 1e-9);
  g_assert_cmpfloat_with_epsilon (two.efficiency, two.speedup / 2, 1e-9);
  g_assert_cmpint (two.verdict, ==, AD_SPEEDUP_VERDICT_SUPERLINEAR);
  g_assert_cmpfloat (two.speedup_low, <=, two.speedup);
  g_assert_cmpfloat (two.speedup, <=, two.speedup_high);

  ad_speedup_row_fill (&noisy, &one);
  g_assert_cmpint (noisy.verdict, ==, AD_SPEEDUP_VERDICT_WITHIN_NOISE);

  ad_speedup_row_fill (&procs, &one);
  g_assert_cmpint (procs.verdict, ==, AD_SPEEDUP_VERDICT_OK);

  /* Never a bare figure above 100 %. */
  e_one = ad_speedup_row_format_efficiency (&one);
  e_two = ad_speedup_row_format_efficiency (&two);
  e_noisy = ad_speedup_row_format_efficiency (&noisy);
  e_procs = ad_speedup_row_format_efficiency (&procs);
  g_assert_cmpstr (e_one, ==, "100 %");
  g_assert_cmpstr (e_two, ==, "157 % (super-linear)");
  g_assert_cmpstr (e_noisy, ==, "≈100 % (within noise)");
  g_assert_cmpstr (e_procs, ==, "91 %");
  /* Nor a speed-up above N×: within noise it reads as the ideal. */
  {
    g_autofree char *s_noisy = ad_speedup_row_format_speedup (&noisy);
    g_autofree char *s_procs = ad_speedup_row_format_speedup (&procs);
    g_autofree char *s_two = ad_speedup_row_format_speedup (&two);

    g_assert_cmpstr (s_noisy, ==, "≈2.00×");
    g_assert_cmpstr (s_procs, ==, "1.82×");
    g_assert_cmpstr (s_two, ==, "3.14×");
  }
  g_assert_cmpstr (ad_speedup_verdict_explain (AD_SPEEDUP_VERDICT_OK), ==, "");
  g_assert_nonnull (strstr (ad_speedup_verdict_explain (AD_SPEEDUP_VERDICT_SUPERLINEAR),
                            "cache"));
  g_assert_nonnull (strstr (ad_speedup_verdict_explain (AD_SPEEDUP_VERDICT_WITHIN_NOISE),
                            "spread"));

  label = ad_speedup_row_dup_label (&procs);
  g_assert_cmpstr (label, ==, "2 processes");
}

typedef struct
{
  guint  n_jobs;
  guint  n_progress;
  double last_progress;
  gboolean progress_went_back;
  gboolean warmed_up_first;
} RunLog;

static void
on_job (AdSpeedup  *speedup,
        GParamSpec *pspec,
        RunLog     *log)
{
  if (ad_speedup_get_job (speedup) == NULL)
    return;
  if (log->n_jobs == 0)
    log->warmed_up_first = ad_speedup_get_phase (speedup) == AD_SPEEDUP_PHASE_WARMING_UP;
  log->n_jobs++;
}

static void
on_progress (AdSpeedup  *speedup,
             GParamSpec *pspec,
             RunLog     *log)
{
  double progress = ad_speedup_get_progress (speedup);

  if (progress < log->last_progress)
    log->progress_went_back = TRUE;
  log->last_progress = progress;
  log->n_progress++;
}

/* A whole measurement: a tiny sum is scaled until one thread runs the
 * minimum time, then three interleaved rounds of 1, 2 threads and 2
 * processes; the rows hold medians inside their ranges. */
static void
test_run (void)
{
  AdComputeParams params;
  g_autoptr(AdSpeedup) speedup = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;
  RunLog log = { 0 };
  const AdSpeedupRow *base;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  params.n = 1000;
  speedup = ad_speedup_new (&params, 2, g_getenv ("ASYNC_DEMO_BINARY"));
  /* Under valgrind a thread's start alone may take the minimum. */
  ad_speedup_set_min_seconds (speedup, 0.05 * ad_test_slow_factor ());
  g_assert_cmpuint (ad_speedup_get_rounds (speedup), ==, 3);
  g_assert_cmpuint (ad_speedup_get_n_configs (speedup), ==, 3);
  g_assert_cmpuint (ad_speedup_get_n_rows (speedup), ==, 0);
  g_signal_connect (speedup, "notify::job", G_CALLBACK (on_job), &log);
  g_signal_connect (speedup, "notify::progress", G_CALLBACK (on_progress), &log);

  ad_speedup_run_async (speedup, NULL, ad_test_store_result, &result);
  g_assert_cmpint (ad_speedup_get_phase (speedup), ==, AD_SPEEDUP_PHASE_WARMING_UP);
  ad_test_wait_until (result != NULL, 60000);
  g_assert_true (ad_speedup_run_finish (speedup, result, &error));
  g_assert_no_error (error);

  g_assert_cmpint (ad_speedup_get_phase (speedup), ==, AD_SPEEDUP_PHASE_DONE);
  g_assert_null (ad_speedup_get_job (speedup));
  g_assert_true (log.warmed_up_first);
  /* At least one warm-up on a thread and one on processes, then 3 × 3. */
  g_assert_cmpuint (log.n_jobs, >=, 2 + 9);
  g_assert_false (log.progress_went_back);
  g_assert_cmpfloat (ad_speedup_get_progress (speedup), ==, 1.0);

  /* Scaled: 1000 is microseconds of work. */
  g_assert_cmpuint (ad_speedup_get_params (speedup)->n, >, 1000);
  g_assert_cmpfloat (ad_speedup_get_scale (speedup), >, 1);
  described = ad_speedup_describe_workload (speedup);
  g_test_message ("%s", described);
  g_assert_true (g_str_has_prefix (described, "Workload scaled to n = "));

  g_assert_cmpuint (ad_speedup_get_n_rows (speedup), ==, 3);
  base = ad_speedup_get_row (speedup, 0);
  g_assert_cmpfloat (base->speedup, ==, 1.0);
  for (guint i = 0; i < 3; i++)
    {
      const AdSpeedupRow *row = ad_speedup_get_row (speedup, i);

      g_test_message ("%u %s: median %.3f s [%.3f, %.3f], %.2f×, %.0f %%, verdict %d",
                      row->n_workers, row->backend == AD_COMPUTE_BACKEND_THREADS ? "threads"
                                                                                 : "processes",
                      row->median / 1e6, row->min / 1e6, row->max / 1e6, row->speedup,
                      100 * row->efficiency, row->verdict);
      g_assert_cmpuint (row->n_samples, ==, 3);
      g_assert_cmpuint (row->n_workers, ==, i == 0 ? 1 : 2);
      g_assert_cmpint (row->backend, ==, i < 2 ? AD_COMPUTE_BACKEND_THREADS
                                               : AD_COMPUTE_BACKEND_PROCESSES);
      g_assert_cmpint (row->min, <=, row->median);
      g_assert_cmpint (row->median, <=, row->max);
      g_assert_cmpfloat_with_epsilon (row->efficiency, row->speedup / row->n_workers, 1e-12);
      g_assert_cmpfloat (row->speedup_low, <=, row->speedup);
      g_assert_cmpfloat (row->speedup, <=, row->speedup_high);
      if (row->efficiency > 1)
        g_assert_cmpint (row->verdict, !=, AD_SPEEDUP_VERDICT_OK);
    }
}

/* The Mandelbrot set grows in pixels, keeping its view. */
static void
test_scale_mandelbrot (void)
{
  AdComputeParams params;
  g_autoptr(AdSpeedup) speedup = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;
  const AdComputeParams *scaled;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_MANDELBROT);
  params.width = 64;
  params.height = 48;
  params.max_iter = 100;
  speedup = ad_speedup_new (&params, 1, g_getenv ("ASYNC_DEMO_BINARY"));
  ad_speedup_set_min_seconds (speedup, 0.02 * ad_test_slow_factor ());
  ad_speedup_set_rounds (speedup, 1);
  ad_speedup_run_async (speedup, NULL, ad_test_store_result, &result);
  ad_test_wait_until (result != NULL, 60000);
  g_assert_true (ad_speedup_run_finish (speedup, result, &error));
  g_assert_no_error (error);

  scaled = ad_speedup_get_params (speedup);
  g_assert_cmpuint (scaled->width, >, 64);
  g_assert_cmpuint (scaled->height, >, 48);
  g_assert_cmpfloat (scaled->center_x, ==, params.center_x);
  g_assert_cmpfloat (scaled->scale, ==, params.scale);
  described = ad_speedup_describe_workload (speedup);
  g_test_message ("%s", described);
  g_assert_nonnull (strstr (described, "pixels"));
  g_assert_cmpuint (ad_speedup_get_n_rows (speedup), ==, 2);
}

/* Nothing to scale: the workload as given, and said so. */
static void
test_unscaled (void)
{
  AdComputeParams params;
  g_autoptr(AdSpeedup) speedup = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  params.n = 100000;
  speedup = ad_speedup_new (&params, 1, g_getenv ("ASYNC_DEMO_BINARY"));
  ad_speedup_set_min_seconds (speedup, 0);
  ad_speedup_set_rounds (speedup, 1);
  ad_speedup_run_async (speedup, NULL, ad_test_store_result, &result);
  ad_test_wait_until (result != NULL, 60000);
  g_assert_true (ad_speedup_run_finish (speedup, result, &error));
  g_assert_cmpuint (ad_speedup_get_params (speedup)->n, ==, 100000);
  g_assert_cmpfloat (ad_speedup_get_scale (speedup), ==, 1.0);
  described = ad_speedup_describe_workload (speedup);
  g_assert_true (g_str_has_prefix (described, "Workload as set: n = 100000"));
}

/* Cancelled while warming up: G_IO_ERROR_CANCELLED, no job left, no rows. */
static void
test_cancel (void)
{
  AdComputeParams params;
  g_autoptr(AdSpeedup) speedup = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  params.n = G_GUINT64_CONSTANT (1000000000000);
  speedup = ad_speedup_new (&params, 2, g_getenv ("ASYNC_DEMO_BINARY"));
  ad_speedup_run_async (speedup, cancellable, ad_test_store_result, &result);
  ad_test_spin (20);
  g_cancellable_cancel (cancellable);
  ad_test_wait_until (result != NULL, 20000);
  g_assert_false (ad_speedup_run_finish (speedup, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (ad_speedup_get_job (speedup));
  g_assert_cmpuint (ad_speedup_get_n_rows (speedup), ==, 0);
}

/* Invalid input fails at once, with the compute error. */
static void
test_invalid (void)
{
  AdComputeParams params;
  g_autoptr(AdSpeedup) speedup = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_MANDELBROT);
  params.width = 0;
  speedup = ad_speedup_new (&params, 2, NULL);
  ad_speedup_run_async (speedup, NULL, ad_test_store_result, &result);
  ad_test_wait_until (result != NULL, 5000);
  g_assert_false (ad_speedup_run_finish (speedup, result, &error));
  g_assert_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_INVALID);
  g_assert_null (ad_speedup_get_job (speedup));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ad_core_init ();

  g_test_add_func ("/speedup/summarize", test_summarize);
  g_test_add_func ("/speedup/judge", test_judge);
  g_test_add_func ("/speedup/row-fill", test_row_fill);
  g_test_add_func ("/speedup/run", test_run);
  g_test_add_func ("/speedup/scale-mandelbrot", test_scale_mandelbrot);
  g_test_add_func ("/speedup/unscaled", test_unscaled);
  g_test_add_func ("/speedup/cancel", test_cancel);
  g_test_add_func ("/speedup/invalid", test_invalid);

  return g_test_run ();
}
