/* test-compute-priority.c: compute workers run below the main thread
 *
 * While a long render runs, the test reads the nice value of every thread
 * of this process (/proc/self/task/TID/stat) and of every worker process
 * (/proc/PID/stat): the workers must be AD_THREAD_WORKER_NICE below the
 * main thread, and the main thread and GLib's other threads untouched.
 * Linux only: elsewhere the nice value is per process and the workers keep
 * the app's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ad-core.h"
#include "ad-test-utils.h"
#include "ad-tsan.h"

static const char *binary;

/* The name and nice value of a task from its stat line: "TID (NAME) S
 * ... " with the nice value the 19th field; NAME may hold spaces and
 * parentheses, so fields are counted from the last ')'. */
static gboolean
read_stat (const char  *path,
           char       **name,
           int         *nice_value)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *open, *close;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  open = strchr (contents, '(');
  close = strrchr (contents, ')');
  if (open == NULL || close == NULL || close < open)
    return FALSE;

  /* After ") ": field 3 (state) is fields[0], so field 19 is fields[16]. */
  fields = g_strsplit (close + 2, " ", -1);
  if (g_strv_length (fields) < 17)
    return FALSE;
  if (name != NULL)
    *name = g_strndup (open + 1, (gsize) (close - open - 1));
  *nice_value = (int) g_ascii_strtoll (fields[16], NULL, 10);

  return TRUE;
}

typedef struct
{
  guint n_workers;   /* threads named compute-N */
  int   worker_nice; /* the highest nice value among them */
  int   other_nice;  /* the highest among the other threads */
} Threads;

static void
scan_threads (Threads *threads)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  memset (threads, 0, sizeof *threads);
  threads->worker_nice = threads->other_nice = -100;
  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *name = NULL;
      int nice_value;

      /* A thread may end between the listing and the read. */
      if (!read_stat (path, &name, &nice_value))
        continue;
      if (g_str_has_prefix (name, "compute-"))
        {
          threads->n_workers++;
          threads->worker_nice = MAX (threads->worker_nice, nice_value);
        }
      else
        {
          threads->other_nice = MAX (threads->other_nice, nice_value);
        }
    }
}

static gboolean
workers_started (Threads *threads,
                 guint    n)
{
  scan_threads (threads);

  return threads->n_workers >= n && threads->worker_nice > threads->other_nice;
}

/* A render far too long to finish: cancelled at the end of each test. */
static AdComputeJob *
start_long_job (AdComputeBackend  backend,
                GCancellable     *cancellable,
                GAsyncResult    **result)
{
  AdComputeParams params;
  AdComputeJob *job;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_MANDELBROT);
  params.width = params.height = 4096;
  params.max_iter = 100000;
  job = ad_compute_job_new (&params, backend, 2);
  ad_compute_job_set_worker_binary (job, binary);
  ad_compute_job_run_async (job, cancellable, ad_test_store_result, result);

  return job;
}

static void
stop_job (AdComputeJob  *job,
          GCancellable  *cancellable,
          GAsyncResult **result)
{
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  ad_test_wait_result (result, 10000);
  g_assert_null (ad_compute_job_run_finish (job, *result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (result);
  g_assert_finalize_object (job);
}

static void
test_threads (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  int main_nice = getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid));
  AdComputeJob *job;
  Threads threads;

  job = start_long_job (AD_COMPUTE_BACKEND_THREADS, cancellable, &result);
  ad_test_wait_until (workers_started (&threads, 2), 10000);

  g_test_message ("main thread nice %d, workers %d, other threads at most %d", main_nice,
                  threads.worker_nice, threads.other_nice);
  g_assert_cmpint (threads.worker_nice, ==, MIN (main_nice + AD_THREAD_WORKER_NICE, 19));
  /* Only the workers: not the main thread, nor GLib's threads. */
  g_assert_cmpint (getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid)), ==, main_nice);
  g_assert_cmpint (threads.other_nice, ==, main_nice);

  stop_job (job, cancellable, &result);
}

typedef struct
{
  AdComputeJob *job;
  int           nice_value;  /* the highest among the workers */
  guint         n;
} Processes;

static gboolean
processes_started (Processes *processes)
{
  g_auto(GStrv) ids = ad_compute_job_dup_worker_ids (processes->job);

  processes->n = 0;
  processes->nice_value = -100;
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename ("/proc", ids[i], "stat", NULL);
      int nice_value;

      if (read_stat (path, NULL, &nice_value))
        {
          processes->n++;
          processes->nice_value = MAX (processes->nice_value, nice_value);
        }
    }

  /* The worker lowers its priority as it starts: wait for it. */
  return processes->n >= 2 && processes->nice_value > getpriority (PRIO_PROCESS, 0);
}

static void
test_processes (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  int main_nice = getpriority (PRIO_PROCESS, 0);
  Processes processes = { NULL };

#ifdef AD_HAVE_TSAN
  /* GSubprocess hands off through GLib's worker thread, which TSan cannot
   * see in an uninstrumented GLib (see test-compute.c). */
  g_test_skip ("worker processes under TSan: see test-compute.c");
  return;
#endif

  processes.job = start_long_job (AD_COMPUTE_BACKEND_PROCESSES, cancellable, &result);
  ad_test_wait_until (processes_started (&processes), 10000);

  g_test_message ("main thread nice %d, worker processes %d", main_nice, processes.nice_value);
  g_assert_cmpint (processes.nice_value, ==, MIN (main_nice + AD_THREAD_WORKER_NICE, 19));
  g_assert_cmpint (getpriority (PRIO_PROCESS, 0), ==, main_nice);

  stop_job (processes.job, cancellable, &result);
}

int
main (int   argc,
      char *argv[])
{
  ad_test_keep_glib_quark_block ();
  g_test_init (&argc, &argv, NULL);
  ad_core_init ();

  binary = g_getenv ("ASYNC_DEMO_BINARY");
  g_assert_nonnull (binary);

#ifdef __linux__
  g_test_add_func ("/compute-priority/threads", test_threads);
  g_test_add_func ("/compute-priority/processes", test_processes);
#endif

  return g_test_run ();
}
