/* ad-speedup-run.c: the Compute page's speed-up measurement
 *
 * One asynchronous sequence of compute jobs over the same parameters,
 * under one cancellable: 1 thread, 2 … N threads, then N processes. Each
 * job starts from the callback of the previous one. After each, the run
 * emits "measured" with the configuration, its time, its speed-up over
 * one thread and its efficiency (speed-up per worker); the page fills its
 * table and its AdSpeedupChart from that. #AdSpeedupRun:job is the job
 * running now, so a view can follow its progress; it is %NULL between
 * jobs and once the run has returned.
 *
 * A run keeps no widget: the page's callback holds a weak reference
 * (ad-weak-ref.h), and cancelling the cancellable stops the current job,
 * after which the run returns %G_IO_ERROR_CANCELLED.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include "ad-speedup-run.h"

typedef struct
{
  AdComputeBackend backend;
  guint            n_workers;
} Config;

struct _AdSpeedupRun
{
  GObject          parent_instance;

  AdComputeParams  params;
  char            *worker_binary;
  GArray          *configs;      /* Config */
  guint            index;        /* the configuration running now */
  gint64           baseline;     /* 1 thread's elapsed time, µs */
  double           best;
  AdComputeJob    *job;
  GTask           *task;
};

G_DEFINE_FINAL_TYPE (AdSpeedupRun, ad_speedup_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_JOB,
  PROP_INDEX,
  N_PROPS
};

enum {
  MEASURED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
ad_speedup_run_finalize (GObject *object)
{
  AdSpeedupRun *self = AD_SPEEDUP_RUN (object);

  g_assert (self->task == NULL);

  g_clear_object (&self->job);
  g_clear_pointer (&self->configs, g_array_unref);
  g_clear_pointer (&self->worker_binary, g_free);

  G_OBJECT_CLASS (ad_speedup_run_parent_class)->finalize (object);
}

static void
ad_speedup_run_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AdSpeedupRun *self = AD_SPEEDUP_RUN (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_speedup_run_class_init (AdSpeedupRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ad_speedup_run_finalize;
  object_class->get_property = ad_speedup_run_get_property;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, AD_TYPE_COMPUTE_JOB,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AdSpeedupRun::measured:
   * @backend: the configuration's #AdComputeBackend
   * @n_workers: its number of workers
   * @elapsed: its time, in µs
   * @speedup: the speed-up over one thread
   * @efficiency: the speed-up per worker, from 0 to about 1
   *
   * Emitted after each configuration's job, in order.
   */
  signals[MEASURED] =
    g_signal_new ("measured", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 5,
                  AD_TYPE_COMPUTE_BACKEND, G_TYPE_UINT, G_TYPE_INT64, G_TYPE_DOUBLE,
                  G_TYPE_DOUBLE);
}

static void
ad_speedup_run_init (AdSpeedupRun *self)
{
  self->configs = g_array_new (FALSE, FALSE, sizeof (Config));
}

/**
 * ad_speedup_run_new:
 * @params: the workload, copied
 * @max_workers: the most threads to try (the number of cores)
 * @worker_binary: (nullable): the async-demo binary for the process
 *   configuration; %NULL for the running program
 *
 * Returns: (transfer full): a run of @max_workers + 1 jobs, ready to run once
 */
AdSpeedupRun *
ad_speedup_run_new (const AdComputeParams *params,
                    guint                  max_workers,
                    const char            *worker_binary)
{
  AdSpeedupRun *self;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (max_workers >= 1, NULL);

  self = g_object_new (AD_TYPE_SPEEDUP_RUN, NULL);
  self->params = *params;
  self->worker_binary = g_strdup (worker_binary);
  for (guint n = 1; n <= max_workers; n++)
    g_array_append_val (self->configs, ((Config) { AD_COMPUTE_BACKEND_THREADS, n }));
  g_array_append_val (self->configs, ((Config) { AD_COMPUTE_BACKEND_PROCESSES, max_workers }));

  return self;
}

/**
 * ad_speedup_run_get_job:
 *
 * Returns: (transfer none) (nullable): the job running now
 */
AdComputeJob *
ad_speedup_run_get_job (AdSpeedupRun *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP_RUN (self), NULL);

  return self->job;
}

/* The configuration running now, from 0. */
guint
ad_speedup_run_get_index (AdSpeedupRun *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP_RUN (self), 0);

  return self->index;
}

guint
ad_speedup_run_get_n_configs (AdSpeedupRun *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP_RUN (self), 0);

  return self->configs->len;
}

static void
run_set_job (AdSpeedupRun *self,
             AdComputeJob *job)
{
  if (g_set_object (&self->job, job))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

static void run_start_job (AdSpeedupRun *self);

static void
run_record (AdSpeedupRun    *self,
            AdComputeResult *result)
{
  const Config *config = &g_array_index (self->configs, Config, self->index);
  gint64 elapsed = MAX (ad_compute_result_get_elapsed (result), 1);
  double speedup;

  if (self->index == 0)
    self->baseline = elapsed;
  speedup = (double) self->baseline / elapsed;
  self->best = MAX (self->best, speedup);

  g_signal_emit (self, signals[MEASURED], 0, config->backend, config->n_workers, elapsed,
                 speedup, speedup / config->n_workers);
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(AdSpeedupRun) self = user_data;
  g_autoptr(AdComputeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  result = ad_compute_job_run_finish (AD_COMPUTE_JOB (source), res, &error);
  run_set_job (self, NULL);

  if (result == NULL)
    {
      task = g_steal_pointer (&self->task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run_record (self, result);
  if (self->index + 1 < self->configs->len)
    {
      self->index++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDEX]);
      run_start_job (self);
      return;
    }

  task = g_steal_pointer (&self->task);
  g_task_return_boolean (task, TRUE);
}

static void
run_start_job (AdSpeedupRun *self)
{
  const Config *config = &g_array_index (self->configs, Config, self->index);
  g_autoptr(AdComputeJob) job = ad_compute_job_new (&self->params, config->backend,
                                                    config->n_workers);

  if (self->worker_binary != NULL)
    ad_compute_job_set_worker_binary (job, self->worker_binary);
  run_set_job (self, job);
  ad_compute_job_run_async (job, g_task_get_cancellable (self->task), job_done_cb,
                            g_object_ref (self));
}

/**
 * ad_speedup_run_run_async:
 * @cancellable: (nullable): stops the current job and the run
 *
 * Runs every configuration in turn; @callback runs once the last job (or
 * the one that failed or was cancelled) has returned.
 */
void
ad_speedup_run_run_async (AdSpeedupRun        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (AD_IS_SPEEDUP_RUN (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL && self->index == 0 && self->baseline == 0);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, ad_speedup_run_run_async);
  g_task_set_name (self->task, "[async-demo] speed-up run");

  run_start_job (self);
}

/**
 * ad_speedup_run_run_finish:
 * @best_speedup: (out) (optional): the best speed-up measured
 *
 * Returns: %TRUE when every configuration ran; %FALSE with @error set
 *   (%G_IO_ERROR_CANCELLED when cancelled) otherwise
 */
gboolean
ad_speedup_run_run_finish (AdSpeedupRun  *self,
                           GAsyncResult  *result,
                           double        *best_speedup,
                           GError       **error)
{
  g_return_val_if_fail (AD_IS_SPEEDUP_RUN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (best_speedup != NULL)
    *best_speedup = self->best;
  return TRUE;
}
