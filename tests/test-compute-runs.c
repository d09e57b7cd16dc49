/* test-compute-runs.c: a compute run's life: cancellation, failing workers, tasks
 *
 * A run cancelled with either backend, before it starts and through its
 * method; worker processes that are killed, missing, answer nonsense or
 * exit badly, and the worker protocol itself; and a run as a task in the
 * task registry, cancelled from there. Every run goes through the real
 * engine, as in test-compute.c: a real GThreadPool, real worker processes
 * (the async-demo binary in its hidden compute-worker mode) and a main
 * context pumped by the test until the run's callback fires.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "ad-core.h"
#include "ad-test-utils.h"
#include "ad-tsan.h"

#include "compute-test-fixture.h"

/* Its runs start threads of GLib's (GTask's pool, GType's lazy set-up on
 * them) right away: see ad-test-utils.h. */
AD_TEST_TSAN_IGNORE_UNINSTRUMENTED ()

/* ---- cancellation ------------------------------------------------------ */

typedef struct
{
  GCancellable *cancellable;
  gint64        cancelled_at;
} CancelAt;

static gboolean
cancel_cb (gpointer data)
{
  CancelAt *at = data;

  at->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (at->cancellable);
  return G_SOURCE_REMOVE;
}

/* Starts a run far too long to finish, cancels it after 100 ms and
 * returns the time from the cancel to the callback, in µs. */
static gint64
measure_cancel (AdComputeWorkload workload,
                AdComputeBackend  backend,
                GStrv            *worker_ids)
{
  AdComputeParams params;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AdComputeJob *job;
  CancelAt at = { cancellable, 0 };
  gint64 latency;

  ad_compute_params_init_defaults (&params, workload);
  params.n = AD_SUM_SQUARES_MAX_N;
  params.width = params.height = 8192;
  params.max_iter = 100000;
  job = job_new (&params, backend, MIN (2, ad_compute_max_workers ()));

  ad_compute_job_run_async (job, cancellable, ad_test_store_result, &result);
  g_timeout_add (100, cancel_cb, &at);
  ad_test_spin (50);
  if (worker_ids != NULL)
    *worker_ids = ad_compute_job_dup_worker_ids (job);
  ad_test_wait_result (&result, 10000);
  latency = g_get_monotonic_time () - at.cancelled_at;

  g_assert_null (ad_compute_job_run_finish (job, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (ad_compute_job_get_chunks_done (job), <, ad_compute_job_get_n_chunks (job));
  g_clear_object (&result);
  g_assert_finalize_object (job);

  return latency;
}

static void
test_cancel_threads (void)
{
  for (AdComputeWorkload w = 0; w <= AD_COMPUTE_WORKLOAD_MANDELBROT; w++)
    {
      gint64 latency = measure_cancel (w, AD_COMPUTE_BACKEND_THREADS, NULL);

      g_test_message ("%s: cancel to callback %.2f ms", ad_compute_workload_to_string (w),
                      latency / 1000.0);
      /* 20 ms is the goal (see the benchmark); loose here, the machine is shared. */
      g_assert_cmpint (latency, <, 500000);
    }
}

static void
test_cancel_processes (void)
{
  g_auto(GStrv) ids = NULL;
  gint64 latency;

  if (!processes_testable ())
    return;

  latency = measure_cancel (AD_COMPUTE_WORKLOAD_SUM_SQUARES, AD_COMPUTE_BACKEND_PROCESSES, &ids);

  g_test_message ("processes: cancel to callback %.2f ms", latency / 1000.0);
  g_assert_cmpint (latency, <, 500000);

  /* The workers were running, and are gone (killed and reaped). */
  g_assert_cmpuint (g_strv_length (ids), ==, MIN (2, ad_compute_max_workers ()));
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *proc = g_strdup_printf ("/proc/%s", ids[i]);

      g_assert_false (g_file_test (proc, G_FILE_TEST_EXISTS));
    }
}

static void
test_cancel_before_start (void)
{
  AdComputeParams params;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  AdComputeJob *job;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_PRIMES);
  params.n = AD_PRIMES_MAX_N;
  g_cancellable_cancel (cancellable);

  for (guint backend = 0; backend < 2; backend++)
    {
      job = job_new (&params, backend, 1);
      g_assert_null (run_job (job, cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      g_assert_finalize_object (job);
    }
}

static void
test_cancel_method (void)
{
  AdComputeParams params;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AdComputeJob *job;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  params.n = AD_SUM_SQUARES_MAX_N;
  job = job_new (&params, AD_COMPUTE_BACKEND_THREADS, 1);
  ad_compute_job_run_async (job, NULL, ad_test_store_result, &result);
  ad_test_spin (20);
  g_assert_true (ad_compute_job_get_running (job));
  ad_compute_job_cancel (job);
  ad_test_wait_result (&result, 5000);
  g_assert_null (ad_compute_job_run_finish (job, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&result);
  g_assert_finalize_object (job);
}

/* ---- worker processes -------------------------------------------------- */

static gboolean
kill_worker_cb (gpointer data)
{
  AdComputeJob *job = data;
  g_auto(GStrv) ids = ad_compute_job_dup_worker_ids (job);

  g_assert_cmpuint (g_strv_length (ids), >=, 1);
  kill ((pid_t) g_ascii_strtoll (ids[0], NULL, 10), SIGKILL);
  return G_SOURCE_REMOVE;
}

static void
test_worker_killed (void)
{
  AdComputeParams params;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AdComputeJob *job;
  gint64 start;

  if (!processes_testable ())
    return;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  params.n = AD_SUM_SQUARES_MAX_N;
  job = job_new (&params, AD_COMPUTE_BACKEND_PROCESSES, MIN (2, ad_compute_max_workers ()));
  ad_compute_job_run_async (job, NULL, ad_test_store_result, &result);
  g_timeout_add (200, kill_worker_cb, job);
  start = g_get_monotonic_time ();
  ad_test_wait_result (&result, 10000);

  /* A clear error, promptly: not a hang, not a partial result. */
  g_assert_null (ad_compute_job_run_finish (job, result, &error));
  g_assert_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED);
  g_assert_nonnull (strstr (error->message, "killed by signal 9"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, (gint64) 5 * G_USEC_PER_SEC);
  g_clear_object (&result);
  g_assert_finalize_object (job);
}

static void
test_worker_missing (void)
{
  AdComputeParams params;
  g_autoptr(GError) error = NULL;
  AdComputeJob *job;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  job = ad_compute_job_new (&params, AD_COMPUTE_BACKEND_PROCESSES, 1);
  ad_compute_job_set_worker_binary (job, "/nonexistent/async-demo");
  g_assert_null (run_job (job, NULL, &error));
  g_assert_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED);
  g_assert_finalize_object (job);
}

/* Runs a sum of squares on one "worker" that is a shell script. */
static GError *
run_fake_worker (const char *script)
{
  AdComputeParams params;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("async-demo-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "fake-worker", NULL);
  g_autofree char *text = g_strdup_printf ("#!/bin/sh\n%s\n", script);
  AdComputeJob *job;
  AdComputeResult *result;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_cmpint (g_chmod (path, 0700), ==, 0);

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  job = ad_compute_job_new (&params, AD_COMPUTE_BACKEND_PROCESSES, 1);
  ad_compute_job_set_worker_binary (job, path);
  result = run_job (job, NULL, &error);
  g_assert_null (result);
  g_assert_finalize_object (job);

  g_unlink (path);
  g_rmdir (dir);

  return g_steal_pointer (&error);
}

static void
test_worker_bad_reply (void)
{
  g_autoptr(GError) error = NULL;

  if (!processes_testable ())
    return;

  error = run_fake_worker ("read line; echo 'ok twelve'; exec sleep 10");
  g_assert_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "ok twelve"));
}

static void
test_worker_exit_status (void)
{
  g_autoptr(GError) error = NULL;

  if (!processes_testable ())
    return;

  error = run_fake_worker ("read line; exit 3");
  g_assert_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED);
  g_assert_nonnull (strstr (error->message, "exited with status 3"));
}

static void
test_protocol (void)
{
  AdComputeParams params, parsed;
  AdComputeChunk chunk, back;
  g_autoptr(GError) error = NULL;
  static const char * const bad[] = {
    "", "sum-squares", "sum-squares 1", "sum-squares 5 1", "sum-squares 1 x",
    "primes 0 1000000000000000", "cube 1 2", "mandelbrot 10 10 10 0 0 1 0 0 11 10",
    "mandelbrot 10 10 10 0 0 nan 0 0 10 10", "sum-squares 0 1 2",
  };

  mandelbrot_params (&params);
  params.center_x = 0.1;   /* not exact in binary: must round-trip anyway */
  ad_compute_plan_chunk (&params, 7, &chunk);
  {
    g_autofree char *line = ad_compute_worker_format_request (&params, &chunk);

    g_assert_true (g_str_has_suffix (line, "\n"));
    line[strlen (line) - 1] = '\0';
    g_assert_true (ad_compute_worker_parse_request (line, &parsed, &back, &error));
    g_assert_no_error (error);
    g_assert_true (parsed.center_x == params.center_x);
    g_assert_true (parsed.center_y == params.center_y);
    g_assert_true (parsed.scale == params.scale);
    g_assert_cmpuint (parsed.max_iter, ==, params.max_iter);
    g_assert_cmpuint (back.x, ==, chunk.x);
    g_assert_cmpuint (back.y, ==, chunk.y);
    g_assert_cmpuint (back.width, ==, chunk.width);
    g_assert_cmpuint (back.height, ==, chunk.height);
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (ad_compute_worker_parse_request (bad[i], &parsed, &back, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
}

static void
test_worker_serve (void)
{
  const char *requests = "sum-squares 0 10000000\n"
                         "primes 0 1000001\n"
                         "mandelbrot 8 4 50 0 0 3 2 1 3 2\n";
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (requests, -1, NULL);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *text;
  gsize len;

  g_assert_true (ad_compute_worker_serve (input, output, &error));
  g_assert_no_error (error);
  g_output_stream_close (output, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
  text = g_bytes_get_data (bytes, &len);

  g_assert_cmpuint (len, ==, strlen ("ok 333333283333335000000\nok 78498\ntile 18\n") + 18);
  g_assert_true (g_str_has_prefix (text, "ok 333333283333335000000\nok 78498\ntile 18\n"));

  /* A malformed request is answered with an error, and ends the worker. */
  {
    g_autoptr(GInputStream) in2 = g_memory_input_stream_new_from_data ("hello\n", -1, NULL);
    g_autoptr(GOutputStream) out2 = g_memory_output_stream_new_resizable ();
    g_autofree char *reply = NULL;

    g_assert_false (ad_compute_worker_serve (in2, out2, &error));
    g_assert_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_PROTOCOL);
    g_output_stream_write_all (out2, "", 1, NULL, NULL, NULL);
    g_output_stream_close (out2, NULL, NULL);
    reply = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out2));
    g_assert_true (g_str_has_prefix (reply, "error "));
  }
}

/* ---- the task registry ------------------------------------------------- */

static void
test_registry_threads (void)
{
  AdComputeParams params;
  g_autoptr(AdComputeJob) job = NULL;
  g_autoptr(AdComputeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AdTask *run;
  GListModel *chunks;
  guint n_threads = MIN (2, ad_compute_max_workers ());

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  job = job_new (&params, AD_COMPUTE_BACKEND_THREADS, n_threads);
  g_assert_null (ad_compute_job_get_task (job));
  result = run_job (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  ad_task_registry_flush (ad_task_registry_get_default ());

  /* The run is a CPU task; its children are the chunks, each computed
   * (started and finished) on one of the run's threads. */
  run = ad_compute_job_get_task (job);
  g_assert_nonnull (run);
  g_assert_cmpint (ad_task_get_kind (run), ==, AD_TASK_KIND_CPU);
  g_assert_cmpint (ad_task_get_state (run), ==, AD_TASK_STATE_SUCCEEDED);
  g_assert_cmpfloat (ad_task_get_progress (run), ==, 1.0);
  g_assert_nonnull (strstr (ad_task_get_name (run), "sum-squares"));

  chunks = ad_task_get_children (run);
  g_assert_cmpuint (g_list_model_get_n_items (chunks), ==, ad_compute_job_get_n_chunks (job));
  for (guint i = 0; i < g_list_model_get_n_items (chunks); i++)
    {
      g_autoptr(AdTask) chunk = g_list_model_get_item (chunks, i);

      g_assert_cmpint (ad_task_get_kind (chunk), ==, AD_TASK_KIND_CPU);
      g_assert_cmpint (ad_task_get_state (chunk), ==, AD_TASK_STATE_SUCCEEDED);
      g_assert_true (ad_task_get_parent (chunk) == run);
      g_assert_true (g_str_has_prefix (ad_task_get_thread_name (chunk), "compute-"));
    }
}

static void
test_registry_processes (void)
{
  AdComputeParams params;
  g_autoptr(AdComputeJob) job = NULL;
  g_autoptr(AdComputeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *processes;
  guint n_processes = MIN (2, ad_compute_max_workers ());
  guint n_chunks = 0;

  if (!processes_testable ())
    return;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_PRIMES);
  job = job_new (&params, AD_COMPUTE_BACKEND_PROCESSES, n_processes);
  result = run_job (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  ad_task_registry_flush (ad_task_registry_get_default ());

  /* Run → worker processes → the chunks each computed. */
  processes = ad_task_get_children (ad_compute_job_get_task (job));
  g_assert_cmpuint (g_list_model_get_n_items (processes), ==, n_processes);
  for (guint i = 0; i < n_processes; i++)
    {
      g_autoptr(AdTask) process = g_list_model_get_item (processes, i);
      GListModel *chunks = ad_task_get_children (process);

      g_assert_cmpint (ad_task_get_kind (process), ==, AD_TASK_KIND_PROCESS);
      g_assert_cmpint (ad_task_get_state (process), ==, AD_TASK_STATE_SUCCEEDED);
      g_assert_true (g_str_has_prefix (ad_task_get_name (process), "worker process "));
      for (guint j = 0; j < g_list_model_get_n_items (chunks); j++)
        {
          g_autoptr(AdTask) chunk = g_list_model_get_item (chunks, j);

          g_assert_cmpint (ad_task_get_kind (chunk), ==, AD_TASK_KIND_CPU);
          g_assert_cmpint (ad_task_get_state (chunk), ==, AD_TASK_STATE_SUCCEEDED);
        }
      n_chunks += g_list_model_get_n_items (chunks);
    }
  g_assert_cmpuint (n_chunks, ==, ad_compute_job_get_n_chunks (job));
}

static gboolean
cancel_task_cb (gpointer data)
{
  AdComputeJob *job = data;

  g_assert_true (ad_task_registry_cancel (ad_task_registry_get_default (),
                                          ad_task_get_id (ad_compute_job_get_task (job))));
  return G_SOURCE_REMOVE;
}

/* A task list's cancel button cancels the run through its task. */
static void
test_registry_cancel (void)
{
  AdComputeParams params;
  g_autoptr(AdComputeJob) job = NULL;
  g_autoptr(GError) error = NULL;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  params.n = AD_SUM_SQUARES_MAX_N;
  job = job_new (&params, AD_COMPUTE_BACKEND_THREADS, MIN (2, ad_compute_max_workers ()));
  g_timeout_add (50, cancel_task_cb, job);
  g_assert_null (run_job (job, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  ad_task_registry_flush (ad_task_registry_get_default ());
  g_assert_cmpint (ad_task_get_state (ad_compute_job_get_task (job)), ==,
                   AD_TASK_STATE_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  compute_test_init (&argc, &argv);

  g_test_add_func ("/compute/cancel/threads", test_cancel_threads);
  g_test_add_func ("/compute/cancel/processes", test_cancel_processes);
  g_test_add_func ("/compute/cancel/before-start", test_cancel_before_start);
  g_test_add_func ("/compute/cancel/method", test_cancel_method);
  g_test_add_func ("/compute/worker/killed", test_worker_killed);
  g_test_add_func ("/compute/worker/missing", test_worker_missing);
  g_test_add_func ("/compute/worker/bad-reply", test_worker_bad_reply);
  g_test_add_func ("/compute/worker/exit-status", test_worker_exit_status);
  g_test_add_func ("/compute/worker/protocol", test_protocol);
  g_test_add_func ("/compute/worker/serve", test_worker_serve);
  g_test_add_func ("/compute/registry/threads", test_registry_threads);
  g_test_add_func ("/compute/registry/processes", test_registry_processes);
  g_test_add_func ("/compute/registry/cancel", test_registry_cancel);

  return g_test_run ();
}
