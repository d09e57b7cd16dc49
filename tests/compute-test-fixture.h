/* compute-test-fixture.h: what test-compute.c and test-compute-runs.c share
 *
 * The worker binary under test, whether the process backend's sub-tests
 * can run in this build, a job made and run to its end on this thread's
 * main loop, and the Mandelbrot view both use. Header-only (static
 * inline): each test program is one file in tests/meson.build.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-core.h"
#include "ad-test-utils.h"
#include "ad-tsan.h"

/* The async-demo binary, for the worker processes (ASYNC_DEMO_BINARY). */
static const char *binary;

/* The process backend has no threads of its own (all of it runs on the
 * main thread), but GSubprocess watches children on GLib's worker thread
 * ("gmain"), which frees and reads what the main thread allocated in GLib
 * (the argv copy, child-watch sources, closures) after a hand-off through
 * GLib's futex locks, invisible in Debian's uninstrumented GLib: a run of
 * test-compute (before its cancellation and worker tests moved to
 * test-compute-runs) with the process tests on gave 109 reports, every
 * one with GLib allocator or string calls at the top of both stacks (free,
 * memset, strlen interceptors, which race_top: cannot name), and one GIO
 * stream read into a buffer of ours. So under TSan these sub-tests run
 * only in the "compute-processes-tsan" and "compute-runs-processes-tsan"
 * tests (tests/meson.build), which set AD_TEST_TSAN_PROCESSES and TSan's
 * ignore_noninstrumented_modules=1: interceptors called from GLib stay
 * quiet there, our own instrumented accesses are still checked. In the plain TSan run of test-compute and
 * test-compute-runs they are skipped one by one; ASan, UBSan and valgrind
 * cover them too. */
static inline gboolean
processes_testable (void)
{
#ifdef AD_HAVE_TSAN
  if (g_getenv ("AD_TEST_TSAN_PROCESSES") == NULL)
    {
      g_test_skip ("GSubprocess hands off through GLib's worker thread: "
                   "run by compute(-runs)-processes-tsan instead");
      return FALSE;
    }
#endif
  return TRUE;
}

static inline AdComputeJob *
job_new (const AdComputeParams *params,
         AdComputeBackend       backend,
         guint                  n_workers)
{
  AdComputeJob *job = ad_compute_job_new (params, backend, n_workers);

  ad_compute_job_set_worker_binary (job, binary);
  return job;
}

/* Runs a job to completion; returns its result or NULL with @error set. */
static inline AdComputeResult *
run_job (AdComputeJob  *job,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ad_compute_job_run_async (job, cancellable, ad_test_store_result, &result);
  ad_test_wait_result (&result, 60000);

  return ad_compute_job_run_finish (job, result, error);
}

static inline void
mandelbrot_params (AdComputeParams *params)
{
  ad_compute_params_init_defaults (params, AD_COMPUTE_WORKLOAD_MANDELBROT);
  params->width = 301;   /* edge tiles narrower and shorter than the rest */
  params->height = 157;
  params->max_iter = 300;
  params->center_x = -0.6;
  params->center_y = 0.1;
  params->scale = 2.9;
}

/* Initialises the core and GTest, and reads the worker binary's path. */
static inline void
compute_test_init (int    *argc,
                   char ***argv)
{
  ad_core_init ();
  g_test_init (argc, argv, NULL);

  binary = g_getenv ("ASYNC_DEMO_BINARY");
  g_assert_nonnull (binary);
}
