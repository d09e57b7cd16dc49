/* ad-compute-job.c: one run of a compute workload on threads or processes
 *
 * A job cuts its workload into independent chunks (ad_compute_plan_chunk():
 * the same cut for any number of workers, so the answer is always the
 * same), runs them on N workers, hands each finished chunk to the main
 * thread, and combines the partial results there into a fresh
 * AdComputeResult. A job runs once; make a new one to run again.
 *
 * Threads. Each run has a pool of its own: exactly N threads, started
 * with g_thread_new() and joined when the run ends. Not GTask's shared
 * pool: GIO itself uses it (file enumeration, DNS, every
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
 * chunk is queued), write into memory of their own, and push a finished
 * chunk onto a mutex-protected queue. The first push after a drain adds one
 * low-priority idle to the main context (the idle holds a job reference,
 * taken on the worker and released on the main thread when the source is
 * destroyed; the task keeps the job alive anyway); the idle drains every
 * chunk finished since. Progress, "chunk-done" and "tile-done" are emitted
 * from there, so a fast run costs a handful of main-loop wake-ups, not one
 * per chunk. The run's callback fires when every loop has posted its end
 * and its thread has been joined (a wait of microseconds: the thread has
 * nothing left to do but return), so nothing of the run is still
 * computing when it does.
 *
 * Tasks. A run is a CPU task in the default AdTaskRegistry (under the
 * current task, if any; cancelling it cancels the run) and each chunk a
 * CPU task under it, created, started and finished by the thread that
 * computes it, so the task list shows which thread took which chunk. With
 * processes, each worker is a process task under the run and its chunks
 * are tasks under it. A chunk's task reference always travels back to the
 * main thread with the chunk and is dropped there.
 *
 * Processes. N worker processes (`async-demo compute-worker`, the app's own
 * binary found through /proc/self/exe) speak the line protocol described
 * in ad-compute-worker.c. Each worker takes the next chunk when it answers
 * the previous one; all pipe I/O is asynchronous on the main loop, so the
 * app never blocks on a worker. A worker that dies (crash, SIGKILL, OOM)
 * ends its stdout; its exit status, read by g_subprocess_wait_async(),
 * becomes the run's error ("killed by signal 9") and the others are
 * stopped. Cancelling kills every worker with g_subprocess_force_exit()
 * and the run returns once all have been reaped. SIGPIPE is ignored
 * process-wide when the first worker starts, so that writing to a worker
 * that just died fails with EPIPE instead of killing the app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>

#include "ad-compute-job.h"
#include "ad-compute-worker.h"
#include "ad-source.h"
#include "ad-task-registry.h"
#include "ad-tsan.h"

/* A finished chunk on its way from a worker thread to the main thread. */
typedef struct
{
  guint      index;
  guint      worker;   /* the thread's or process's number */
  gboolean   cancelled;
  AdTask    *task;     /* the chunk's task; unreferenced on the main thread */
  AdUInt128  sum;
  guint64    count;
  GBytes    *tile;     /* packed RGB rows */
} ChunkOutput;

/* One worker process, owned by the job; freed with it. */
typedef struct
{
  AdComputeJob     *job;        /* unowned: every pending call holds a job reference */
  guint             id;
  char             *pid;        /* the process id, kept after the process is reaped */
  GSubprocess      *process;
  GDataInputStream *input;      /* the worker's stdout */
  GOutputStream    *output;     /* the worker's stdin */
  char             *request;
  int               chunk;      /* the chunk it computes, or -1 */
  AdTask           *task;       /* the process's task */
  AdTask           *chunk_task; /* the task of the chunk it computes */
  guint8           *tile;
  gsize             tile_len;
  gboolean          writing;    /* a write or the close is pending */
  gboolean          exited;
} Worker;

struct _AdComputeJob
{
  GObject           parent_instance;

  /* Immutable once constructed; readable from any thread */
  AdComputeParams   params;
  AdComputeBackend  backend;
  guint             n_workers;
  guint             n_chunks;
  GArray           *base_primes;  /* built on the main thread before the run */
  GCancellable     *cancellable;  /* the job's own: the workers poll it */
  AdTaskRegistry   *registry;
  AdTask           *run_task;     /* the run's task, parent of the chunks' */

  /* Main thread only */
  char             *worker_binary;
  GTask            *task;
  GMainContext     *context;      /* where the task returns; workers post to it */
  GCancellable     *caller_cancellable;
  gulong            caller_handler;
  gint64            started;
  gboolean          running;
  guint             chunks_done;
  guint             loops_done;   /* worker threads that have stopped */
  GError           *error;        /* the first failure */
  AdUInt128        *sums;
  guint64          *counts;
  guint8           *image;
  GPtrArray        *threads;      /* GThread, joined when the run ends */
  GPtrArray        *workers;
  guint             next_chunk;
  guint             n_alive;
  guint             n_ops;        /* pending calls on the workers' pipes and processes */
  GSource          *cancel_source;

  /* Protected by mutex */
  GMutex            mutex;
  GQueue            finished;     /* ChunkOutput */
  guint             loops_stopped;
  gboolean          drain_pending;

  /* Atomic */
  int               next_index;   /* the next chunk a worker thread claims */
  int               next_worker;  /* numbers the worker threads */
};

G_DEFINE_FINAL_TYPE (AdComputeJob, ad_compute_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WORKLOAD,
  PROP_BACKEND,
  PROP_N_WORKERS,
  PROP_N_CHUNKS,
  PROP_CHUNKS_DONE,
  PROP_PROGRESS,
  PROP_RUNNING,
  N_PROPS
};

enum {
  CHUNK_DONE,
  TILE_DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void job_maybe_finish (AdComputeJob *self);

static void
chunk_output_free (ChunkOutput *output)
{
  g_clear_object (&output->task);
  g_clear_pointer (&output->tile, g_bytes_unref);
  g_free (output);
}

static void
worker_free (Worker *worker)
{
  g_clear_object (&worker->task);
  g_clear_object (&worker->chunk_task);
  g_clear_object (&worker->process);
  g_clear_object (&worker->input);
  g_clear_object (&worker->output);
  g_free (worker->pid);
  g_free (worker->request);
  g_free (worker->tile);
  g_free (worker);
}

/**
 * ad_compute_max_workers:
 *
 * Returns: the most workers a job accepts: the number of processors
 */
guint
ad_compute_max_workers (void)
{
  return MAX (1, g_get_num_processors ());
}

static void
ad_compute_job_finalize (GObject *object)
{
  AdComputeJob *self = AD_COMPUTE_JOB (object);

  g_assert (self->task == NULL);
  g_assert (self->cancel_source == NULL);

  g_clear_pointer (&self->base_primes, g_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->run_task);
  g_clear_object (&self->registry);
  g_clear_pointer (&self->worker_binary, g_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->sums, g_free);
  g_clear_pointer (&self->counts, g_free);
  g_clear_pointer (&self->image, g_free);
  g_clear_pointer (&self->workers, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_queue_clear_full (&self->finished, (GDestroyNotify) chunk_output_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ad_compute_job_parent_class)->finalize (object);
}

static void
ad_compute_job_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AdComputeJob *self = AD_COMPUTE_JOB (object);

  switch (prop_id)
    {
    case PROP_WORKLOAD:
      g_value_set_enum (value, self->params.workload);
      break;
    case PROP_BACKEND:
      g_value_set_enum (value, self->backend);
      break;
    case PROP_N_WORKERS:
      g_value_set_uint (value, self->n_workers);
      break;
    case PROP_N_CHUNKS:
      g_value_set_uint (value, self->n_chunks);
      break;
    case PROP_CHUNKS_DONE:
      g_value_set_uint (value, self->chunks_done);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, ad_compute_job_get_progress (self));
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_compute_job_class_init (AdComputeJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ad_compute_job_finalize;
  object_class->get_property = ad_compute_job_get_property;

  properties[PROP_WORKLOAD] =
    g_param_spec_enum ("workload", NULL, NULL,
                       AD_TYPE_COMPUTE_WORKLOAD, AD_COMPUTE_WORKLOAD_SUM_SQUARES,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BACKEND] =
    g_param_spec_enum ("backend", NULL, NULL,
                       AD_TYPE_COMPUTE_BACKEND, AD_COMPUTE_BACKEND_THREADS,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_WORKERS] =
    g_param_spec_uint ("n-workers", NULL, NULL, 1, G_MAXUINT, 1,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_CHUNKS] =
    g_param_spec_uint ("n-chunks", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * AdComputeJob:chunks-done:
   *
   * Chunks finished so far; notified at most once per main-loop wake-up.
   */
  properties[PROP_CHUNKS_DONE] =
    g_param_spec_uint ("chunks-done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * AdComputeJob:progress:
   *
   * The fraction of chunks finished, from 0 to 1.
   */
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AdComputeJob::chunk-done:
   * @index: the chunk's index in the plan
   * @worker: which worker computed it, from 0 to #AdComputeJob:n-workers - 1
   *   (a page can colour tiles by thread or process)
   *
   * Emitted on the main thread for every chunk that finished, before
   * #AdComputeJob::tile-done for a Mandelbrot tile.
   */
  signals[CHUNK_DONE] =
    g_signal_new ("chunk-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  /**
   * AdComputeJob::tile-done:
   * @x: the tile's left column
   * @y: the tile's top row
   * @width: the tile's width
   * @height: the tile's height
   * @pixels: the tile's 8-bit RGB pixels, rows of @width × 3 bytes
   *
   * Emitted on the main thread for every Mandelbrot tile, as it completes
   * (in whatever order the workers finish them).
   */
  signals[TILE_DONE] =
    g_signal_new ("tile-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 5,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_BYTES);
}

static void
ad_compute_job_init (AdComputeJob *self)
{
  g_mutex_init (&self->mutex);
  g_queue_init (&self->finished);
  self->cancellable = g_cancellable_new ();
}

/**
 * ad_compute_job_new:
 * @params: the workload and its parameters; copied. Check them first with
 *   ad_compute_params_validate(): ad_compute_job_run_async() fails with
 *   %AD_COMPUTE_ERROR_INVALID otherwise.
 * @backend: threads or worker processes
 * @n_workers: how many threads or processes, from 1 to ad_compute_max_workers()
 *
 * Returns: (transfer full): a job, ready to run once
 */
AdComputeJob *
ad_compute_job_new (const AdComputeParams *params,
                    AdComputeBackend       backend,
                    guint                  n_workers)
{
  AdComputeJob *self;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (n_workers >= 1 && n_workers <= ad_compute_max_workers (), NULL);

  self = g_object_new (AD_TYPE_COMPUTE_JOB, NULL);
  self->params = *params;
  self->backend = backend;
  self->n_workers = n_workers;
  self->n_chunks = ad_compute_plan_n_chunks (params);

  return self;
}

AdComputeBackend
ad_compute_job_get_backend (AdComputeJob *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_JOB (self), 0);

  return self->backend;
}

guint
ad_compute_job_get_n_workers (AdComputeJob *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_JOB (self), 0);

  return self->n_workers;
}

guint
ad_compute_job_get_n_chunks (AdComputeJob *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_JOB (self), 0);

  return self->n_chunks;
}

guint
ad_compute_job_get_chunks_done (AdComputeJob *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_JOB (self), 0);

  return self->chunks_done;
}

double
ad_compute_job_get_progress (AdComputeJob *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_JOB (self), 0.0);

  return self->n_chunks > 0 ? (double) self->chunks_done / self->n_chunks : 0.0;
}

gboolean
ad_compute_job_get_running (AdComputeJob *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_JOB (self), FALSE);

  return self->running;
}

/**
 * ad_compute_job_set_worker_binary:
 * @path: (nullable): the async-demo binary; %NULL for /proc/self/exe
 *
 * Tests and benchmarks, which are programs of their own, point the process
 * backend at the async-demo binary with this.
 */
void
ad_compute_job_set_worker_binary (AdComputeJob *self,
                                  const char   *path)
{
  g_return_if_fail (AD_IS_COMPUTE_JOB (self));
  g_return_if_fail (!self->running);

  g_free (self->worker_binary);
  self->worker_binary = g_strdup (path);
}

/**
 * ad_compute_job_dup_worker_ids:
 *
 * Returns: (transfer full): the process ids of the running worker
 *   processes, as strings (empty with the threads backend)
 */
GStrv
ad_compute_job_dup_worker_ids (AdComputeJob *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (AD_IS_COMPUTE_JOB (self), NULL);

  for (guint i = 0; self->workers != NULL && i < self->workers->len; i++)
    {
      Worker *worker = g_ptr_array_index (self->workers, i);

      if (!worker->exited)
        g_strv_builder_add (builder, worker->pid);
    }

  return g_strv_builder_end (builder);
}

/**
 * ad_compute_job_get_task:
 *
 * Returns: (transfer none) (nullable): the run's task in the registry
 *   (its children are the chunks, or the worker processes), once the run
 *   has started
 */
AdTask *
ad_compute_job_get_task (AdComputeJob *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_JOB (self), NULL);

  return self->run_task;
}

/**
 * ad_compute_job_cancel:
 *
 * Stops the run, as cancelling the cancellable given to
 * ad_compute_job_run_async() does. Safe from any thread.
 */
void
ad_compute_job_cancel (AdComputeJob *self)
{
  g_return_if_fail (AD_IS_COMPUTE_JOB (self));

  g_cancellable_cancel (self->cancellable);
}

/* ---- both backends: the main thread's side ----------------------------- */

static void
job_fail (AdComputeJob *self,
          GError       *error)
{
  g_debug ("compute job %p failed: %s", self, error->message);

  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);

  /* Stops the other workers (threads poll it, processes are killed). */
  g_cancellable_cancel (self->cancellable);
}

/* Stores a finished chunk's partial result; main thread. */
static void
job_take_chunk (AdComputeJob *self,
                ChunkOutput  *output)
{
  AdComputeChunk chunk;

  if (output->cancelled)
    {
      /* Only its task came back, to be released here. */
      chunk_output_free (output);
      return;
    }

  ad_compute_plan_chunk (&self->params, output->index, &chunk);

  switch (self->params.workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
      self->sums[output->index] = output->sum;
      break;
    case AD_COMPUTE_WORKLOAD_PRIMES:
      self->counts[output->index] = output->count;
      break;
    case AD_COMPUTE_WORKLOAD_MANDELBROT:
    default:
      {
        gsize image_stride = (gsize) self->params.width * AD_MANDELBROT_BPP;
        gsize tile_stride = (gsize) chunk.width * AD_MANDELBROT_BPP;
        const guint8 *tile = g_bytes_get_data (output->tile, NULL);
        guint8 *corner = self->image + chunk.y * image_stride
                         + (gsize) chunk.x * AD_MANDELBROT_BPP;

        for (guint row = 0; row < chunk.height; row++)
          memcpy (corner + row * image_stride, tile + row * tile_stride, tile_stride);
      }
      break;
    }

  self->chunks_done++;

  g_signal_emit (self, signals[CHUNK_DONE], 0, output->index, output->worker);
  if (output->tile != NULL)
    g_signal_emit (self, signals[TILE_DONE], 0,
                   chunk.x, chunk.y, chunk.width, chunk.height, output->tile);

  chunk_output_free (output);
}

static void
job_notify_progress (AdComputeJob *self)
{
  ad_task_set_progress (self->run_task, ad_compute_job_get_progress (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHUNKS_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static AdComputeResult *
job_combine (AdComputeJob *self)
{
  g_autoptr(AdComputeResult) result =
    ad_compute_result_new (&self->params, self->backend, self->n_workers, self->n_chunks,
                           g_get_monotonic_time () - self->started);

  switch (self->params.workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
      {
        AdUInt128 sum = 0;

        for (guint i = 0; i < self->n_chunks; i++)
          sum += self->sums[i];
        ad_compute_result_set_sum (result, sum);
      }
      break;

    case AD_COMPUTE_WORKLOAD_PRIMES:
      {
        guint64 count = 0;

        for (guint i = 0; i < self->n_chunks; i++)
          count += self->counts[i];
        ad_compute_result_set_count (result, count);
      }
      break;

    case AD_COMPUTE_WORKLOAD_MANDELBROT:
    default:
      {
        gsize len = (gsize) self->params.width * self->params.height * AD_MANDELBROT_BPP;
        g_autoptr(GBytes) pixels = g_bytes_new_take (g_steal_pointer (&self->image), len);

        ad_compute_result_set_pixels (result, pixels);
      }
      break;
    }

  return g_steal_pointer (&result);
}

/* Returns the task, exactly once, when every worker has stopped. */
static void
job_finish (AdComputeJob *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_assert (task != NULL);

  if (self->caller_handler != 0)
    g_cancellable_disconnect (self->caller_cancellable, self->caller_handler);
  self->caller_handler = 0;
  g_clear_object (&self->caller_cancellable);
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }

  self->running = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (self->error == NULL
      && (g_cancellable_is_cancelled (self->cancellable) || self->chunks_done < self->n_chunks))
    self->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       _("The run was cancelled"));
  ad_task_finish (self->run_task, self->error);

  if (self->error != NULL)
    g_task_return_error (task, g_steal_pointer (&self->error));
  else
    g_task_return_pointer (task, job_combine (self), g_object_unref);
}

/* ---- threads ----------------------------------------------------------- */

static gboolean
job_drain_cb (gpointer user_data)
{
  AdComputeJob *self = user_data;
  GQueue batch;

  ad_mutex_lock (&self->mutex);
  batch = self->finished;
  g_queue_init (&self->finished);
  self->loops_done = self->loops_stopped;
  self->drain_pending = FALSE;
  ad_mutex_unlock (&self->mutex);

  for (GList *l = batch.head; l != NULL; l = l->next)
    job_take_chunk (self, l->data);
  if (batch.length > 0)
    job_notify_progress (self);
  g_queue_clear (&batch);

  job_maybe_finish (self);

  return G_SOURCE_REMOVE;
}

/* A chunk's task, named after what it computes. Any thread. */
static AdTask *
job_chunk_task_new (AdComputeJob *self,
                    AdTask       *parent,
                    guint         index)
{
  AdComputeChunk chunk;
  g_autofree char *name = NULL;

  ad_compute_plan_chunk (&self->params, index, &chunk);
  if (self->params.workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    name = g_strdup_printf ("tile %u (%u, %u)", index, chunk.x, chunk.y);
  else
    name = g_strdup_printf ("chunk %u [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ")",
                            index, chunk.lo, chunk.hi);

  return ad_task_registry_create (self->registry, name, AD_TASK_KIND_CPU, parent, NULL);
}

/* Computes one chunk; FALSE when cancelled. Worker thread. */
static gboolean
job_compute_chunk (AdComputeJob *self,
                   ChunkOutput  *output)
{
  AdComputeChunk chunk;

  ad_compute_plan_chunk (&self->params, output->index, &chunk);

  switch (self->params.workload)
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
        return ad_mandelbrot_render (&self->params, chunk.x, chunk.y, chunk.width,
                                     chunk.height, tile, stride, self->cancellable);
      }
    }
}

/* Hands a finished chunk (or, with %NULL, the end of a worker loop) to the
 * main thread: one pending idle drains everything posted until it runs. */
static void
job_post (AdComputeJob *self,
          ChunkOutput  *output)
{
  ad_mutex_lock (&self->mutex);
  if (output != NULL)
    g_queue_push_tail (&self->finished, output);
  else
    self->loops_stopped++;
  if (!self->drain_pending)
    {
      GSource *source = g_idle_source_new ();

      self->drain_pending = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_name (source, "[async-demo] compute drain");
      ad_source_set_callback_traced (source, job_drain_cb, g_object_ref (self), g_object_unref);
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
  ad_mutex_unlock (&self->mutex);
}

/* One worker thread. Each of the N loops claims the next chunk of the plan
 * until none is left or the run is cancelled; so a cancel costs no
 * per-chunk bookkeeping however many chunks remain. The inputs it reads
 * were built before the thread was created. */
static gpointer
job_worker_loop (gpointer data)
{
  AdComputeJob *self = data;
  guint worker = (guint) g_atomic_int_add (&self->next_worker, 1);

  while (!g_cancellable_is_cancelled (self->cancellable))
    {
      guint index = (guint) g_atomic_int_add (&self->next_index, 1);
      ChunkOutput *output;

      if (index >= self->n_chunks)
        break;

      output = g_new0 (ChunkOutput, 1);
      output->index = index;
      output->worker = worker;
      output->task = job_chunk_task_new (self, self->run_task, index);
      ad_task_start (output->task);
      if (!job_compute_chunk (self, output))
        {
          g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         _("The run was cancelled"));

          ad_task_finish (output->task, error);
          output->cancelled = TRUE;
          job_post (self, output);
          break;
        }
      ad_task_finish (output->task, NULL);
      job_post (self, output);
    }

  job_post (self, NULL);

  return NULL;
}

static void
job_start_threads (AdComputeJob *self)
{
  g_autoptr(GError) error = NULL;

  self->threads = g_ptr_array_new ();

  for (guint i = 0; i < self->n_workers; i++)
    {
      g_autofree char *name = g_strdup_printf ("compute-%u", i + 1);
      GThread *thread = g_thread_try_new (name, job_worker_loop, self, &error);

      /* Out of threads: run on those that started, if any. */
      if (thread == NULL)
        break;
      g_ptr_array_add (self->threads, thread);
    }

  if (self->threads->len == 0)
    job_fail (self, g_steal_pointer (&error));
}

static void
job_join_threads (AdComputeJob *self)
{
  g_autoptr(GPtrArray) threads = g_steal_pointer (&self->threads);

  for (guint i = 0; threads != NULL && i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
}

/* ---- processes --------------------------------------------------------- */

static void worker_dispatch (Worker *worker);

/* Every pending operation on a worker's pipes or process holds a job
 * reference and counts in n_ops: the run returns only when all of them
 * have called back, so nothing of it is left in flight. */
#define WORKER_CALLBACK(name)                                   \
  static void                                                   \
  name##_cb (GObject      *source,                              \
             GAsyncResult *result,                              \
             gpointer      user_data)                           \
  {                                                             \
    Worker *worker = user_data;                                 \
    g_autoptr(AdComputeJob) self = worker->job;                 \
                                                                \
    self->n_ops--;                                              \
    name##_handle (worker, source, result);                     \
    job_maybe_finish (self);                                    \
  }

static void
job_op_begin (AdComputeJob *self)
{
  g_object_ref (self);
  self->n_ops++;
}

/* The chunk the worker computed has come back: store it, ask for the next. */
static void
worker_chunk_back (Worker      *worker,
                   ChunkOutput *output)
{
  AdComputeJob *self = worker->job;

  worker->chunk = -1;
  ad_task_finish (worker->chunk_task, NULL);
  output->task = g_steal_pointer (&worker->chunk_task);
  job_take_chunk (self, output);
  job_notify_progress (self);
  worker_dispatch (worker);
  job_maybe_finish (self);
}

static void worker_read_failed (Worker *worker,
                                GError *error);

static void
worker_protocol_error (Worker     *worker,
                       const char *what)
{
  job_fail (worker->job,
            g_error_new (AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_PROTOCOL,
                         _("Worker process %s sent an unexpected reply: %s"),
                         worker->pid, what));
}

static void
worker_tile_handle (Worker       *worker,
                    GObject      *source,
                    GAsyncResult *result)
{
  AdComputeJob *self = worker->job;
  g_autoptr(GError) error = NULL;
  ChunkOutput *output;
  gsize n_read = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &n_read, &error)
      || n_read < worker->tile_len)
    {
      worker_read_failed (worker, error);
      return;
    }
  if (self->task == NULL)
    return;

  output = g_new0 (ChunkOutput, 1);
  output->index = (guint) worker->chunk;
  output->worker = worker->id;
  output->tile = g_bytes_new_take (g_steal_pointer (&worker->tile), worker->tile_len);
  worker_chunk_back (worker, output);
}

WORKER_CALLBACK (worker_tile)

/* Reading a worker's output stopped short. Cancelled: nothing to do. The
 * end of its output: it died, and worker_exited_cb() reports how. A read
 * error: report it. Either way make sure it is gone, so it gets reaped. */
static void
worker_read_failed (Worker *worker,
                    GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL && worker->job->task != NULL)
    job_fail (worker->job,
              g_error_new (AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED,
                           _("Cannot read from worker process %s: %s"),
                           worker->pid, error->message));
  if (!worker->exited)
    g_subprocess_force_exit (worker->process);
}

static void
worker_line_handle (Worker       *worker,
                    GObject      *source,
                    GAsyncResult *result)
{
  AdComputeJob *self = worker->job;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  AdComputeChunk chunk;
  ChunkOutput *output;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                    NULL, &error);
  if (line == NULL)
    {
      worker_read_failed (worker, error);
      return;
    }
  if (self->task == NULL || worker->chunk < 0)
    return;

  ad_compute_plan_chunk (&self->params, (guint) worker->chunk, &chunk);

  if (g_str_has_prefix (line, "ok ") && self->params.workload != AD_COMPUTE_WORKLOAD_MANDELBROT)
    {
      output = g_new0 (ChunkOutput, 1);
      output->index = (guint) worker->chunk;
  output->worker = worker->id;
      if (self->params.workload == AD_COMPUTE_WORKLOAD_SUM_SQUARES
          ? !ad_uint128_from_string (line + 3, &output->sum)
          : !g_ascii_string_to_unsigned (line + 3, 10, 0, G_MAXUINT64, &output->count, NULL))
        {
          chunk_output_free (output);
          worker_protocol_error (worker, line);
          return;
        }
      worker_chunk_back (worker, output);
    }
  else if (g_str_has_prefix (line, "tile ")
           && self->params.workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    {
      guint64 len = 0;

      worker->tile_len = (gsize) chunk.width * chunk.height * AD_MANDELBROT_BPP;
      if (!g_ascii_string_to_unsigned (line + 5, 10, 0, G_MAXUINT64, &len, NULL)
          || len != worker->tile_len)
        {
          worker_protocol_error (worker, line);
          return;
        }
      g_free (worker->tile);
      worker->tile = g_malloc (worker->tile_len);
      job_op_begin (self);
      g_input_stream_read_all_async (G_INPUT_STREAM (worker->input),
                                     worker->tile, worker->tile_len, G_PRIORITY_DEFAULT,
                                     self->cancellable, worker_tile_cb, worker);
    }
  else
    {
      worker_protocol_error (worker, line);
    }
}

WORKER_CALLBACK (worker_line)

static void
worker_written_handle (Worker       *worker,
                       GObject      *source,
                       GAsyncResult *result)
{
  AdComputeJob *self = worker->job;

  /* A failed write (EPIPE: the worker died) shows up as the end of its
   * output and its exit status; nothing to report here. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  worker->writing = FALSE;

  /* The answer may have come back before this callback ran. */
  if (self->task != NULL)
    worker_dispatch (worker);
}

WORKER_CALLBACK (worker_written)

/* Hands the worker the next chunk, or lets it go when there is none. */
static void
worker_dispatch (Worker *worker)
{
  AdComputeJob *self = worker->job;
  AdComputeChunk chunk;

  /* One request at a time; the stdin pipe takes one operation at a time. */
  if (worker->exited || worker->chunk >= 0 || worker->writing)
    return;

  if (g_cancellable_is_cancelled (self->cancellable) || self->next_chunk >= self->n_chunks)
    {
      /* End of input: the worker exits with status 0. Closing a pipe's
       * end never blocks, and GIO would run an asynchronous close on its
       * thread pool: close it here. */
      g_output_stream_close (worker->output, NULL, NULL);
      return;
    }

  worker->chunk = (int) self->next_chunk++;
  ad_compute_plan_chunk (&self->params, (guint) worker->chunk, &chunk);
  worker->chunk_task = job_chunk_task_new (self, worker->task, (guint) worker->chunk);
  ad_task_start (worker->chunk_task);
  g_free (worker->request);
  worker->request = ad_compute_worker_format_request (&self->params, &chunk);

  worker->writing = TRUE;
  job_op_begin (self);
  g_output_stream_write_all_async (worker->output, worker->request, strlen (worker->request),
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   worker_written_cb, worker);
  job_op_begin (self);
  g_data_input_stream_read_line_async (worker->input, G_PRIORITY_DEFAULT, self->cancellable,
                                       worker_line_cb, worker);
}

static void
worker_exited_handle (Worker       *worker,
                      GObject      *source,
                      GAsyncResult *result)
{
  AdComputeJob *self = worker->job;
  GSubprocess *process = G_SUBPROCESS (source);
  g_autoptr(GError) task_error = NULL;
  gboolean clean;

  g_subprocess_wait_finish (process, result, NULL);
  worker->exited = TRUE;
  self->n_alive--;

  clean = g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0
          && worker->chunk < 0;
  g_debug ("compute worker %u (process %s) exited", worker->id, worker->pid);

  if (!clean && !g_cancellable_is_cancelled (self->cancellable))
    {
      const char *id = worker->pid;
      GError *error;

      if (g_subprocess_get_if_signaled (process))
        {
          int sig = g_subprocess_get_term_sig (process);

          error = g_error_new (AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED,
                               _("Worker process %s was killed by signal %d (%s)"),
                               id, sig, g_strsignal (sig));
        }
      else if (g_subprocess_get_exit_status (process) != 0)
        error = g_error_new (AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED,
                             _("Worker process %s exited with status %d"),
                             id, g_subprocess_get_exit_status (process));
      else
        error = g_error_new (AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED,
                             _("Worker process %s exited before answering"), id);
      task_error = g_error_copy (error);
      job_fail (self, error);
    }
  else if (!clean)
    {
      task_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                        _("The run was cancelled"));
    }

  if (worker->chunk_task != NULL)
    {
      ad_task_finish (worker->chunk_task, task_error);
      g_clear_object (&worker->chunk_task);
    }
  ad_task_finish (worker->task, task_error);

  job_maybe_finish (self);
}

WORKER_CALLBACK (worker_exited)

/* On the main thread when the job's cancellable fires: stop the workers. */
static gboolean
job_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  AdComputeJob *self = user_data;

  for (guint i = 0; i < self->workers->len; i++)
    {
      Worker *worker = g_ptr_array_index (self->workers, i);

      if (!worker->exited)
        g_subprocess_force_exit (worker->process);
    }

  return G_SOURCE_REMOVE;
}

static char *
job_find_binary (AdComputeJob  *self,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *path;

  if (self->worker_binary != NULL)
    return g_strdup (self->worker_binary);

  path = g_file_read_link ("/proc/self/exe", &local_error);
  if (path == NULL)
    g_set_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED,
                 _("Cannot find the program to start as a worker: %s"), local_error->message);

  return path;
}

static void
job_start_processes (AdComputeJob *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = NULL;

  /* Writing to a dead worker's stdin must fail with EPIPE, not kill us. */
  signal (SIGPIPE, SIG_IGN);

  self->workers = g_ptr_array_new_with_free_func ((GDestroyNotify) worker_free);

  self->cancel_source = g_cancellable_source_new (self->cancellable);
  g_source_set_name (self->cancel_source, "[async-demo] compute cancel");
  g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (job_cancelled_cb), self, NULL);
  g_source_attach (self->cancel_source, self->context);

  /* Cancelled before it started: start nothing. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  binary = job_find_binary (self, &error);
  if (binary == NULL)
    {
      job_fail (self, g_steal_pointer (&error));
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  for (guint i = 0; i < self->n_workers; i++)
    {
      Worker *worker = g_new0 (Worker, 1);

      worker->job = self;
      worker->id = i;
      worker->chunk = -1;
      worker->process = g_subprocess_launcher_spawn (launcher, &error, binary,
                                                     AD_COMPUTE_WORKER_COMMAND, NULL);
      if (worker->process == NULL)
        {
          g_free (worker);
          job_fail (self, g_error_new (AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED,
                                       _("Cannot start a worker process: %s"), error->message));
          return;
        }
      worker->pid = g_strdup (g_subprocess_get_identifier (worker->process));
      {
        g_autofree char *name = g_strdup_printf ("worker process %s", worker->pid);

        worker->task = ad_task_registry_create (self->registry, name, AD_TASK_KIND_PROCESS,
                                                self->run_task, self->cancellable);
        ad_task_start (worker->task);
      }
      worker->input = g_data_input_stream_new (g_subprocess_get_stdout_pipe (worker->process));
      worker->output = g_object_ref (g_subprocess_get_stdin_pipe (worker->process));
      g_ptr_array_add (self->workers, worker);
      self->n_alive++;

      /* No cancellable: a worker is always reaped, cancelled or not. */
      job_op_begin (self);
      g_subprocess_wait_async (worker->process, NULL, worker_exited_cb, worker);
    }

  for (guint i = 0; i < self->workers->len; i++)
    worker_dispatch (g_ptr_array_index (self->workers, i));
}

/* ---- the run ----------------------------------------------------------- */

static void
job_maybe_finish (AdComputeJob *self)
{
  if (self->task == NULL)
    return;

  if (self->backend == AD_COMPUTE_BACKEND_THREADS)
    {
      if (self->threads != NULL && self->loops_done < self->threads->len)
        return;
      /* Every loop has posted its end: its thread is returning. */
      job_join_threads (self);
    }
  else
    {
      if (self->n_alive > 0 || self->n_ops > 0)
        return;
    }

  job_finish (self);
}

/* The run's name in the task list: "compute primes n=1000000 on 2 threads". */
static char *
job_describe (AdComputeJob *self)
{
  const char *workload = ad_compute_workload_to_string (self->params.workload);
  const char *backend = self->backend == AD_COMPUTE_BACKEND_THREADS ? "threads" : "processes";

  if (self->params.workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    return g_strdup_printf ("compute %s %u×%u, %u iterations, on %u %s", workload,
                            self->params.width, self->params.height, self->params.max_iter,
                            self->n_workers, backend);

  return g_strdup_printf ("compute %s n=%" G_GUINT64_FORMAT " on %u %s", workload,
                          self->params.n, self->n_workers, backend);
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  /* Any thread; the job's cancellable is thread-safe. */
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/**
 * ad_compute_job_run_async:
 * @cancellable: (nullable): stops the run (so does ad_compute_job_cancel())
 *
 * Runs the job on its workers. Progress, "chunk-done" and "tile-done" are
 * emitted on the calling thread's thread-default main context, where
 * @callback runs once every worker has stopped.
 */
void
ad_compute_job_run_async (AdComputeJob        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (AD_IS_COMPUTE_JOB (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL && self->started == 0);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, ad_compute_job_run_async);
  g_task_set_name (self->task, "[async-demo] compute");
  g_task_set_check_cancellable (self->task, FALSE);

  self->context = g_main_context_ref_thread_default ();
  self->started = g_get_monotonic_time ();
  self->running = TRUE;

  /* The run's task: cancelling it (from a task list, by id) cancels the run. */
  self->registry = g_object_ref (ad_task_registry_get_default ());
  {
    g_autofree char *name = job_describe (self);

    self->run_task = ad_task_registry_create (self->registry, name, AD_TASK_KIND_CPU,
                                              ad_task_get_current (), self->cancellable);
    ad_task_start (self->run_task);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (!ad_compute_params_validate (&self->params, &error))
    {
      self->error = g_steal_pointer (&error);
      job_finish (self);
      return;
    }

  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                    self->cancellable, NULL);
    }

  /* The partial results and the immutable inputs, built here on the main
   * thread before any worker starts. */
  switch (self->params.workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
      self->sums = g_new0 (AdUInt128, self->n_chunks);
      break;
    case AD_COMPUTE_WORKLOAD_PRIMES:
      self->counts = g_new0 (guint64, self->n_chunks);
      if (self->backend == AD_COMPUTE_BACKEND_THREADS)
        self->base_primes = ad_primes_base (self->params.n);
      break;
    case AD_COMPUTE_WORKLOAD_MANDELBROT:
    default:
      self->image = g_malloc0 ((gsize) self->params.width * self->params.height
                               * AD_MANDELBROT_BPP);
      break;
    }

  g_debug ("compute %s: %u chunks on %u %s", ad_compute_workload_to_string (self->params.workload),
           self->n_chunks, self->n_workers,
           self->backend == AD_COMPUTE_BACKEND_THREADS ? "threads" : "processes");

  if (self->backend == AD_COMPUTE_BACKEND_THREADS)
    job_start_threads (self);
  else
    job_start_processes (self);

  job_maybe_finish (self);
}

/**
 * ad_compute_job_run_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set:
 *   %G_IO_ERROR_CANCELLED when cancelled, %AD_COMPUTE_ERROR_INVALID for bad
 *   parameters, %AD_COMPUTE_ERROR_WORKER_FAILED when a worker process died
 */
AdComputeResult *
ad_compute_job_run_finish (AdComputeJob  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (AD_IS_COMPUTE_JOB (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_compute_job_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
