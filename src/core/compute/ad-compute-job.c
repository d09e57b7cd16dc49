/* ad-compute-job.c: one run of a compute workload on threads or processes
 *
 * A job cuts its workload into independent chunks (ad_compute_plan_chunk():
 * the same cut for any number of workers, so the answer is always the
 * same), runs them on N workers through a backend
 * (ad-compute-backend-private.h: threads or processes), takes each
 * finished chunk on the main thread, and combines the partial results
 * there into a fresh AdComputeResult. A job runs once; make a new one to
 * run again.
 *
 * The job keeps what does not depend on where chunks run: the plan, the
 * partial results, the progress and the signals, and the run's task.
 * Backends report chunks in batches; progress, "chunk-done" and
 * "tile-done" are emitted from those reports, so a fast run costs a
 * handful of main-loop wake-ups, not one per chunk. The run's callback
 * fires once the backend says every worker has stopped, so nothing of the
 * run is still computing when it does.
 *
 * Tasks. A run is a CPU task in the default AdTaskRegistry (under the
 * current task, if any; cancelling it cancels the run) and each chunk a
 * CPU task under it (threads) or under its worker process's task
 * (processes). A chunk's task reference always travels back to the main
 * thread with the chunk and is dropped there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ad-compute-backend-private.h"
#include "ad-compute-job.h"
#include "ad-task-registry.h"

struct _AdComputeJob
{
  GObject           parent_instance;

  /* Immutable once constructed; readable from any thread */
  AdComputeParams   params;
  AdComputeBackend  backend;
  guint             n_workers;
  guint             n_chunks;
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
  GError           *error;        /* the first failure */
  AdUInt128        *sums;
  guint64          *counts;
  guint8           *image;
  AdComputeBackendImpl *impl;     /* runs the chunks */
  GSource          *cancel_source;
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

void
ad_compute_chunk_output_free (AdComputeChunkOutput *output)
{
  g_clear_object (&output->task);
  g_clear_pointer (&output->tile, g_bytes_unref);
  g_free (output);
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

  g_clear_object (&self->cancellable);
  g_clear_object (&self->run_task);
  g_clear_object (&self->registry);
  g_clear_pointer (&self->worker_binary, g_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->sums, g_free);
  g_clear_pointer (&self->counts, g_free);
  g_clear_pointer (&self->image, g_free);
  if (self->impl != NULL)
    self->impl->vtable->free (self->impl);
  g_clear_pointer (&self->context, g_main_context_unref);

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
  g_return_val_if_fail (AD_IS_COMPUTE_JOB (self), NULL);

  if (self->impl == NULL || self->impl->vtable->dup_worker_ids == NULL)
    return g_new0 (char *, 1);

  return self->impl->vtable->dup_worker_ids (self->impl);
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

/* ---- what the job offers its backend ---------------------------------- */

const AdComputeParams *
ad_compute_job_get_params (AdComputeJob *self)
{
  return &self->params;
}

GCancellable *
ad_compute_job_get_cancellable (AdComputeJob *self)
{
  return self->cancellable;
}

AdTaskRegistry *
ad_compute_job_get_registry (AdComputeJob *self)
{
  return self->registry;
}

GMainContext *
ad_compute_job_get_context (AdComputeJob *self)
{
  return self->context;
}

const char *
ad_compute_job_get_worker_binary (AdComputeJob *self)
{
  return self->worker_binary;
}

/* A chunk's task, named after what it computes. Any thread. */
AdTask *
ad_compute_job_create_chunk_task (AdComputeJob *self,
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

/* A worker failed: the run returns @error (the first one reported). */
void
ad_compute_job_report_failure (AdComputeJob *self,
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
void
ad_compute_job_take_chunk (AdComputeJob         *self,
                           AdComputeChunkOutput *output)
{
  AdComputeChunk chunk;

  if (output->cancelled)
    {
      /* Only its task came back, to be released here. */
      ad_compute_chunk_output_free (output);
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

  ad_compute_chunk_output_free (output);
}

void
ad_compute_job_notify_progress (AdComputeJob *self)
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

/* ---- the run ----------------------------------------------------------- */

/* A worker stopped or a backend's pending call returned: returns the run
 * once the backend has stopped. */
void
ad_compute_job_check_done (AdComputeJob *self)
{
  if (self->task == NULL)
    return;

  if (self->impl != NULL)
    {
      if (!self->impl->vtable->is_stopped (self->impl))
        return;
      if (self->impl->vtable->finish != NULL)
        self->impl->vtable->finish (self->impl);
    }

  job_finish (self);
}

static const AdComputeBackendVTable *
job_backend_vtable (AdComputeJob *self)
{
  return self->backend == AD_COMPUTE_BACKEND_THREADS ? &ad_compute_backend_threads
                                                     : &ad_compute_backend_processes;
}

/* On the main thread when the job's cancellable fires: stop the workers. */
static gboolean
job_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  AdComputeJob *self = user_data;

  self->impl->vtable->cancel (self->impl);

  return G_SOURCE_REMOVE;
}

/* The run's name in the task list: "compute primes n=1000000 on 2 threads". */
static char *
job_describe (AdComputeJob *self)
{
  const char *workload = ad_compute_workload_to_string (self->params.workload);
  const char *backend = job_backend_vtable (self)->name;

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
      break;
    case AD_COMPUTE_WORKLOAD_MANDELBROT:
    default:
      self->image = g_malloc0 ((gsize) self->params.width * self->params.height
                               * AD_MANDELBROT_BPP);
      break;
    }

  g_debug ("compute %s: %u chunks on %u %s", ad_compute_workload_to_string (self->params.workload),
           self->n_chunks, self->n_workers,
           job_backend_vtable (self)->name);

  self->impl = job_backend_vtable (self)->start (self);
  if (self->impl->vtable->cancel != NULL)
    {
      self->cancel_source = g_cancellable_source_new (self->cancellable);
      g_source_set_name (self->cancel_source, "[async-demo] compute cancel");
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (job_cancelled_cb), self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }

  ad_compute_job_check_done (self);
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
