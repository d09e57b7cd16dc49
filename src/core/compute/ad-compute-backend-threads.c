/* ad-compute-backend-threads.c: a compute job's chunks on worker threads
 *
 * Each run has a pool of its own: exactly N threads, started with
 * g_thread_new() and joined when the run ends. Not GTask's shared pool:
 * GIO itself uses it (file enumeration, DNS, every
 * g_task_run_in_thread()), so a thousand CPU chunks queued there would
 * stall unrelated I/O, and it cannot be bounded to the N threads the user
 * chose. A GThreadPool with max_threads = N would bound it too, but each
 * thread runs one loop for the whole run, so a pool's thread reuse saves
 * only the ~50 µs of starting N threads, while its internal queue hands
 * work over through GLib locks that ThreadSanitizer cannot see (Debian's
 * GLib is not instrumented): pthread_create() and pthread_join() it sees.
 *
 * Each thread runs a loop that claims the next chunk of the plan with an
 * atomic counter (in plan order, so the first tiles appear first). The
 * kernels poll the job's cancellable every few microseconds to a
 * millisecond of work, and a cancelled loop stops at once however many
 * chunks were left.
 *
 * Workers touch nothing of the main thread's: they read the immutable
 * parameters (and base primes, built on the main thread before the first
 * thread starts), write into memory of their own, and push a finished
 * chunk onto a mutex-protected queue. The first push after a drain adds one
 * low-priority idle to the main context (the idle holds a job reference,
 * taken on the worker and released on the main thread when the source is
 * destroyed; the task keeps the job alive anyway); the idle drains every
 * chunk finished since. So a fast run costs a handful of main-loop
 * wake-ups, not one per chunk. The backend is stopped when every loop has
 * posted its end; finish joins the threads (a wait of microseconds: each
 * has nothing left to do but return), so nothing of the run is still
 * computing when the job returns.
 *
 * The worker threads run at a lower scheduling priority than the rest of
 * the app (ad_thread_lower_priority(), nice + AD_THREAD_WORKER_NICE, for
 * each of these threads alone): with every core busy computing, the main
 * thread still gets a core the moment it has a frame to draw, and the
 * workers lose nothing when it has not. These are the run's own threads,
 * so the lower priority never reaches GLib's shared pool.
 *
 * Each chunk is a CPU task under the run's, created, started and finished
 * by the thread that computes it, so the task list shows which thread took
 * which chunk; its reference travels back to the main thread with the
 * chunk and is dropped there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-compute-backend-private.h"
#include "ad-source.h"
#include "ad-thread.h"
#include "ad-tsan.h"

typedef struct
{
  AdComputeBackendImpl  parent;

  /* Immutable once the threads started; readable from any thread */
  const AdComputeParams *params;
  guint                 n_chunks;
  GCancellable         *cancellable;  /* the job's */
  GArray               *base_primes;

  /* Main thread only */
  GPtrArray            *threads;      /* GThread, joined when the run ends */
  guint                 loops_done;   /* worker threads that have stopped */

  /* Protected by mutex */
  GMutex                mutex;
  GQueue                finished;     /* AdComputeChunkOutput */
  guint                 loops_stopped;
  gboolean              drain_pending;
  gboolean              drain_urgent;  /* a pending drain runs at the default priority */
  GSource              *drains[2];     /* the pending drains: at most an idle one, an urgent one */

  /* Atomic */
  int                   next_index;   /* the next chunk a worker thread claims */
  int                   next_worker;  /* numbers the worker threads */
} AdComputeThreads;

static gboolean
threads_drain_cb (gpointer user_data)
{
  AdComputeThreads *self = user_data;
  AdComputeJob *job = self->parent.job;
  GSource *drains[2];
  GQueue batch;

  ad_mutex_lock (&self->mutex);
  batch = self->finished;
  g_queue_init (&self->finished);
  self->loops_done = self->loops_stopped;
  self->drain_pending = FALSE;
  self->drain_urgent = FALSE;
  drains[0] = g_steal_pointer (&self->drains[0]);
  drains[1] = g_steal_pointer (&self->drains[1]);
  ad_mutex_unlock (&self->mutex);

  /* This drain takes everything: the other pending one, if any, goes (and
   * with it its reference on the job, so a returned job can finalize). */
  for (guint i = 0; i < G_N_ELEMENTS (drains); i++)
    if (drains[i] != NULL)
      {
        if (drains[i] != g_main_current_source ())
          g_source_destroy (drains[i]);
        g_source_unref (drains[i]);
      }

  for (GList *l = batch.head; l != NULL; l = l->next)
    ad_compute_job_take_chunk (job, l->data);
  if (batch.length > 0)
    ad_compute_job_notify_progress (job);
  g_queue_clear (&batch);

  ad_compute_job_check_done (job);

  return G_SOURCE_REMOVE;
}

/* The drain idle's reference on the job, which owns the backend. */
static void
threads_drain_unref (gpointer user_data)
{
  AdComputeThreads *self = user_data;

  g_object_unref (self->parent.job);
}

/* Computes one chunk; FALSE when cancelled. Worker thread. */
static gboolean
threads_compute_chunk (AdComputeThreads     *self,
                       AdComputeChunkOutput *output)
{
  AdComputeChunk chunk;

  ad_compute_plan_chunk (self->params, output->index, &chunk);

  switch (self->params->workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
      return ad_sum_squares_range (chunk.lo, chunk.hi, self->cancellable, &output->sum);

    case AD_COMPUTE_WORKLOAD_PRIMES:
      return ad_primes_count_range ((const guint32 *) (void *) self->base_primes->data,
                                    self->base_primes->len, chunk.lo, chunk.hi,
                                    self->cancellable, &output->count);

    case AD_COMPUTE_WORKLOAD_MANDELBROT:
    default:
      {
        gsize stride = (gsize) chunk.width * AD_MANDELBROT_BPP;
        guint8 *tile = g_malloc (stride * chunk.height);

        output->tile = g_bytes_new_take (tile, stride * chunk.height);
        return ad_mandelbrot_render (self->params, chunk.x, chunk.y, chunk.width,
                                     chunk.height, tile, stride, self->cancellable);
      }
    }
}

/* Hands a finished chunk (or, with %NULL, the end of a worker loop) to the
 * main thread: one pending idle drains everything posted until it runs.
 *
 * Chunks wait at idle priority: progress may lag behind the frame clock.
 * The end of a loop does not: it adds a drain at the default priority
 * (whichever runs first drains; the other finds nothing to do), so that the run returns (a cancel is answered) even while the
 * main loop is never idle, as when drawing takes longer than a frame
 * (software rendering on a loaded machine: cancel took 20 to 60 s there
 * with idle priority only). */
static void
threads_post (AdComputeThreads     *self,
              AdComputeChunkOutput *output)
{
  ad_mutex_lock (&self->mutex);
  if (output != NULL)
    g_queue_push_tail (&self->finished, output);
  else
    self->loops_stopped++;
  /* Not g_source_set_priority() on the pending source: from this thread it
   * races with the main loop's iteration over its sources (GLib 2.74 moves
   * the source between priority lists while g_main_context_check() walks
   * them unlocked; valgrind saw the freed list node read). */
  if (!self->drain_pending || (output == NULL && !self->drain_urgent))
    {
      GSource *source = g_idle_source_new ();

      self->drain_pending = TRUE;
      self->drain_urgent = output == NULL;
      self->drains[self->drains[0] == NULL ? 0 : 1] = g_source_ref (source);
      g_source_set_priority (source, output != NULL ? G_PRIORITY_DEFAULT_IDLE
                                                    : G_PRIORITY_DEFAULT);
      g_source_set_name (source, "[async-demo] compute drain");
      g_object_ref (self->parent.job);
      ad_source_set_callback_traced (source, threads_drain_cb, self, threads_drain_unref);
      g_source_attach (source, ad_compute_job_get_context (self->parent.job));
      g_source_unref (source);
    }
  ad_mutex_unlock (&self->mutex);
}

/* One worker thread. Each of the N loops claims the next chunk of the plan
 * until none is left or the run is cancelled; so a cancel costs no
 * per-chunk bookkeeping however many chunks remain. The inputs it reads
 * were built before the thread was created. */
static gpointer
threads_worker_loop (gpointer data)
{
  AdComputeThreads *self = data;
  AdComputeJob *job = self->parent.job;
  guint worker = (guint) g_atomic_int_add (&self->next_worker, 1);

  ad_thread_lower_priority (AD_THREAD_WORKER_NICE);

  while (!g_cancellable_is_cancelled (self->cancellable))
    {
      guint index = (guint) g_atomic_int_add (&self->next_index, 1);
      AdComputeChunkOutput *output;

      if (index >= self->n_chunks)
        break;

      output = g_new0 (AdComputeChunkOutput, 1);
      output->index = index;
      output->worker = worker;
      output->task = ad_compute_job_create_chunk_task (job, ad_compute_job_get_task (job), index);
      ad_task_start (output->task);
      if (!threads_compute_chunk (self, output))
        {
          g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         _("The run was cancelled"));

          ad_task_finish (output->task, error);
          output->cancelled = TRUE;
          threads_post (self, output);
          break;
        }
      ad_task_finish (output->task, NULL);
      threads_post (self, output);
    }

  threads_post (self, NULL);

  return NULL;
}

static AdComputeBackendImpl *
threads_start (AdComputeJob *job)
{
  AdComputeThreads *self = g_new0 (AdComputeThreads, 1);
  g_autoptr(GError) error = NULL;
  guint n_workers = ad_compute_job_get_n_workers (job);

  self->parent.vtable = &ad_compute_backend_threads;
  self->parent.job = job;
  self->params = ad_compute_job_get_params (job);
  self->n_chunks = ad_compute_job_get_n_chunks (job);
  self->cancellable = ad_compute_job_get_cancellable (job);
  g_mutex_init (&self->mutex);
  g_queue_init (&self->finished);

  /* The immutable inputs, built here on the main thread before any
   * worker starts. */
  if (self->params->workload == AD_COMPUTE_WORKLOAD_PRIMES)
    self->base_primes = ad_primes_base (self->params->n);

  self->threads = g_ptr_array_new ();

  for (guint i = 0; i < n_workers; i++)
    {
      g_autofree char *name = g_strdup_printf ("compute-%u", i + 1);
      GThread *thread = g_thread_try_new (name, threads_worker_loop, self, &error);

      /* Out of threads: run on those that started, if any. */
      if (thread == NULL)
        break;
      g_ptr_array_add (self->threads, thread);
    }

  if (self->threads->len == 0)
    ad_compute_job_report_failure (job, g_steal_pointer (&error));

  return &self->parent;
}

static gboolean
threads_is_stopped (AdComputeBackendImpl *impl)
{
  AdComputeThreads *self = (AdComputeThreads *) impl;

  /* Every loop has posted its end: its thread is returning. */
  return self->threads == NULL || self->loops_done >= self->threads->len;
}

static void
threads_finish (AdComputeBackendImpl *impl)
{
  AdComputeThreads *self = (AdComputeThreads *) impl;
  g_autoptr(GPtrArray) threads = g_steal_pointer (&self->threads);

  for (guint i = 0; threads != NULL && i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
}

static void
threads_free (AdComputeBackendImpl *impl)
{
  AdComputeThreads *self = (AdComputeThreads *) impl;

  g_assert (self->threads == NULL);

  g_clear_pointer (&self->base_primes, g_array_unref);
  g_clear_pointer (&self->drains[0], g_source_unref);
  g_clear_pointer (&self->drains[1], g_source_unref);
  g_queue_clear_full (&self->finished, (GDestroyNotify) ad_compute_chunk_output_free);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

const AdComputeBackendVTable ad_compute_backend_threads = {
  .name = "threads",
  .start = threads_start,
  .cancel = NULL,
  .is_stopped = threads_is_stopped,
  .finish = threads_finish,
  .dup_worker_ids = NULL,
  .free = threads_free,
};
