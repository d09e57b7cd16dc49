/* ad-speedup.c: an honest speed-up measurement
 *
 * How a workload scales with workers, measured so that the figures mean
 * what they say:
 *
 * 1. Warm-up and calibration. The workload runs on one thread; while that
 *    takes less than the minimum time (0.5 s by default) it is scaled up
 *    (n for the sums, the image's pixels and then its iterations for the
 *    Mandelbrot set, aiming at 1.5 times the minimum) and runs again, until
 *    two runs in a row at one size take the minimum. These runs are the
 *    warm-up: caches, page faults and the CPU's clock are
 *    where they will be for the measurement. One run on N processes warms
 *    up the process path (the binary's pages, the dynamic linker) too.
 *    Short runs are where timer, scheduler and start-up costs dominate; a
 *    run of half a second drowns them.
 * 2. Rounds. Every configuration (1 … N threads, then N processes) runs
 *    once per round, the configurations interleaved, for at least three
 *    rounds: a slow minute on a shared machine (another program, thermal
 *    throttling) spreads over every configuration instead of spoiling one.
 * 3. Figures. Per configuration: the median, min and max of its wall times.
 *    Speed-up and efficiency come from the medians, against one thread's
 *    median; min and max give the whiskers.
 * 4. Verdict. An efficiency above 100 % is never reported as a result: see
 *    ad_speedup_judge() for the rule.
 *
 * Everything runs on the caller's main context, one job after the other
 * from the previous job's callback, under the run's cancellable. The
 * caller should keep its own main thread quiet meanwhile (the Compute page
 * stops painting its Mandelbrot view): the main thread shares the cores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ad-speedup.h"

#define MAX_WARMUPS        10
/* Aim this far above the minimum time, so that a measured run still clears
 * it when the machine gets a little faster (another program stops). */
#define AIM                1.5
#define MAX_STEP_FACTOR    64.0
/* The Mandelbrot image grows up to this many pixels a side (12 MB of RGB
 * at most), then its iteration limit grows. */
#define MAX_SCALED_SIDE    2048

typedef struct
{
  AdComputeBackend backend;
  guint            n_workers;
  GArray          *samples;    /* gint64, µs */
} Config;

struct _AdSpeedup
{
  GObject          parent_instance;

  AdComputeParams  base;         /* as given */
  AdComputeParams  params;       /* as measured: scaled */
  char            *worker_binary;
  guint            rounds;
  double           min_seconds;

  GArray          *configs;      /* Config */
  GArray          *rows;         /* AdSpeedupRow, once done */
  AdSpeedupPhase   phase;
  guint            round;
  guint            index;
  guint            n_warmups;      /* one-thread warm-up runs so far */
  guint            n_long;         /* of them, the last ones at this size that took the minimum */
  double           progress;
  AdComputeJob    *job;
  GTask           *task;
};

G_DEFINE_FINAL_TYPE (AdSpeedup, ad_speedup, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_JOB,
  PROP_PHASE,
  PROP_PROGRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
config_clear (Config *config)
{
  g_clear_pointer (&config->samples, g_array_unref);
}

static void
ad_speedup_finalize (GObject *object)
{
  AdSpeedup *self = AD_SPEEDUP (object);

  g_assert (self->task == NULL);

  g_clear_object (&self->job);
  g_clear_pointer (&self->configs, g_array_unref);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->worker_binary, g_free);

  G_OBJECT_CLASS (ad_speedup_parent_class)->finalize (object);
}

static void
ad_speedup_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  AdSpeedup *self = AD_SPEEDUP (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;
    case PROP_PHASE:
      g_value_set_uint (value, self->phase);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_speedup_class_init (AdSpeedupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ad_speedup_finalize;
  object_class->get_property = ad_speedup_get_property;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, AD_TYPE_COMPUTE_JOB,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* An AdSpeedupPhase. */
  properties[PROP_PHASE] =
    g_param_spec_uint ("phase", NULL, NULL, 0, AD_SPEEDUP_PHASE_DONE, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ad_speedup_init (AdSpeedup *self)
{
  self->rounds = AD_SPEEDUP_DEFAULT_ROUNDS;
  self->min_seconds = AD_SPEEDUP_DEFAULT_MIN_SECONDS;
  self->configs = g_array_new (FALSE, FALSE, sizeof (Config));
  g_array_set_clear_func (self->configs, (GDestroyNotify) config_clear);
  self->rows = g_array_new (FALSE, TRUE, sizeof (AdSpeedupRow));
}

/**
 * ad_speedup_new:
 * @params: the workload before scaling, copied
 * @max_workers: the most threads to try (the number of cores)
 * @worker_binary: (nullable): the async-demo binary for the process
 *   configuration; %NULL for the running program
 *
 * Returns: (transfer full): a measurement of 1 … @max_workers threads and
 *   @max_workers processes, ready to run once
 */
AdSpeedup *
ad_speedup_new (const AdComputeParams *params,
                guint                  max_workers,
                const char            *worker_binary)
{
  AdSpeedup *self;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (max_workers >= 1, NULL);

  self = g_object_new (AD_TYPE_SPEEDUP, NULL);
  self->base = *params;
  self->params = *params;
  self->worker_binary = g_strdup (worker_binary);
  for (guint n = 1; n <= max_workers + 1; n++)
    {
      Config config = {
        n <= max_workers ? AD_COMPUTE_BACKEND_THREADS : AD_COMPUTE_BACKEND_PROCESSES,
        MIN (n, max_workers),
        g_array_new (FALSE, FALSE, sizeof (gint64)),
      };

      g_array_append_val (self->configs, config);
    }

  return self;
}

void
ad_speedup_set_rounds (AdSpeedup *self,
                       guint      rounds)
{
  g_return_if_fail (AD_IS_SPEEDUP (self));
  g_return_if_fail (rounds >= 1);
  g_return_if_fail (self->phase == AD_SPEEDUP_PHASE_IDLE);

  self->rounds = rounds;
}

guint
ad_speedup_get_rounds (AdSpeedup *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), 0);

  return self->rounds;
}

/**
 * ad_speedup_set_min_seconds:
 * @seconds: how long one thread must at least run the workload; 0 keeps
 *   the workload as given
 */
void
ad_speedup_set_min_seconds (AdSpeedup *self,
                            double     seconds)
{
  g_return_if_fail (AD_IS_SPEEDUP (self));
  g_return_if_fail (seconds >= 0 && seconds <= 3600);
  g_return_if_fail (self->phase == AD_SPEEDUP_PHASE_IDLE);

  self->min_seconds = seconds;
}

double
ad_speedup_get_min_seconds (AdSpeedup *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), 0);

  return self->min_seconds;
}

guint
ad_speedup_get_n_configs (AdSpeedup *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), 0);

  return self->configs->len;
}

AdSpeedupPhase
ad_speedup_get_phase (AdSpeedup *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), AD_SPEEDUP_PHASE_IDLE);

  return self->phase;
}

/* The round running now, from 0 (0 too while warming up). */
guint
ad_speedup_get_round (AdSpeedup *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), 0);

  return self->round;
}

/* The configuration running now, from 0. */
guint
ad_speedup_get_index (AdSpeedup *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), 0);

  return self->index;
}

/* The measurement's progress, 0 to 1 (0 while warming up). */
double
ad_speedup_get_progress (AdSpeedup *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), 0);

  return self->progress;
}

/**
 * ad_speedup_get_job:
 *
 * Returns: (transfer none) (nullable): the job running now
 */
AdComputeJob *
ad_speedup_get_job (AdSpeedup *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), NULL);

  return self->job;
}

/**
 * ad_speedup_get_params:
 *
 * Returns: the workload as measured: the given one, scaled once the
 *   warm-up is over
 */
const AdComputeParams *
ad_speedup_get_params (AdSpeedup *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), NULL);

  return &self->params;
}

static double
params_work (const AdComputeParams *params)
{
  if (params->workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    return (double) params->width * params->height * params->max_iter;

  return (double) params->n;
}

/* How many times the given workload the measured one is (1: unscaled). */
double
ad_speedup_get_scale (AdSpeedup *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), 1);

  return params_work (&self->params) / MAX (params_work (&self->base), 1);
}

/* Scales @params's work by about @factor (> 1); FALSE when at its limits. */
static gboolean
params_scale (AdComputeParams *params,
              double           factor)
{
  AdComputeParams before = *params;

  if (params->workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    {
      double side = sqrt (factor);
      double room = MIN ((double) MAX_SCALED_SIDE / params->width,
                         (double) MAX_SCALED_SIDE / params->height);
      double iter_factor;

      side = MAX (MIN (side, room), 1);
      params->width = (guint) MIN (round (params->width * side), MAX_SCALED_SIDE);
      params->height = (guint) MIN (round (params->height * side), MAX_SCALED_SIDE);
      iter_factor = factor / (side * side);
      if (iter_factor > 1.01)
        params->max_iter = (guint) MIN (ceil (params->max_iter * iter_factor),
                                        AD_MANDELBROT_MAX_ITER);
    }
  else
    {
      guint64 max = AD_SUM_SQUARES_MAX_N;
      double n = ceil (MAX (params->n, 1) * factor);

      /* Each kernel has its own limit (the same today). */
      if (params->workload == AD_COMPUTE_WORKLOAD_PRIMES)
        max = AD_PRIMES_MAX_N;

      params->n = n >= (double) max ? max : (guint64) n;
    }

  return params_work (params) > params_work (&before);
}

/**
 * ad_speedup_describe_workload:
 *
 * Returns: (transfer full): one sentence on the measured workload and why
 *   it was scaled, such as "Workload scaled to n = 400000000 (×40), so that
 *   one thread runs at least 0.5 s."
 */
char *
ad_speedup_describe_workload (AdSpeedup *self)
{
  const AdComputeParams *p;
  g_autofree char *what = NULL;
  double scale;

  g_return_val_if_fail (AD_IS_SPEEDUP (self), NULL);

  p = &self->params;
  if (p->workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    /* TRANSLATORS: a Mandelbrot workload: width, height, iteration limit */
    what = g_strdup_printf (_("%u × %u pixels, %u iterations"), p->width, p->height,
                            p->max_iter);
  else
    what = g_strdup_printf ("n = %" G_GUINT64_FORMAT, p->n);

  scale = ad_speedup_get_scale (self);
  if (scale > 1.0001)
    /* TRANSLATORS: the first argument is the workload ("n = 400000000" or
     * "1280 × 960 pixels, 500 iterations"), then how many times the page's
     * workload it is, then the minimum time in seconds */
    return g_strdup_printf (_("Workload scaled to %s (×%.1f), so that one thread runs at least "
                              "%g s."), what, scale, self->min_seconds);

  /* TRANSLATORS: the workload ("n = 400000000"), then the minimum time in seconds */
  return g_strdup_printf (_("Workload as set: %s (one thread runs at least %g s)."), what,
                          self->min_seconds);
}

/**
 * ad_speedup_describe_method:
 *
 * Returns: (transfer full): how the figures were taken, one sentence
 */
char *
ad_speedup_describe_method (AdSpeedup *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), NULL);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Medians of %u round after a warm-up; the ranges span "
                                       "the fastest to the slowest run.",
                                       "Medians of %u rounds after a warm-up; the ranges span "
                                       "the fastest to the slowest run.", self->rounds),
                          self->rounds);
}

static void
speedup_set_phase (AdSpeedup      *self,
                   AdSpeedupPhase  phase)
{
  if (self->phase == phase)
    return;
  self->phase = phase;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
}

static void
speedup_update_progress (AdSpeedup *self)
{
  double progress = 0;

  if (self->phase == AD_SPEEDUP_PHASE_MEASURING)
    {
      double step = (double) self->round * self->configs->len + self->index;

      if (self->job != NULL)
        step += ad_compute_job_get_progress (self->job);
      progress = step / ((double) self->rounds * self->configs->len);
    }
  else if (self->phase == AD_SPEEDUP_PHASE_DONE)
    progress = 1;

  progress = CLAMP (progress, 0, 1);
  if (progress == self->progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
job_progress_cb (AdComputeJob *job,
                 GParamSpec   *pspec,
                 AdSpeedup    *self)
{
  speedup_update_progress (self);
}

static void
speedup_set_job (AdSpeedup    *self,
                 AdComputeJob *job)
{
  if (self->job == job)
    return;
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_set_object (&self->job, job);
  if (job != NULL)
    g_signal_connect (job, "notify::progress", G_CALLBACK (job_progress_cb), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

/* ---- the arithmetic ---------------------------------------------------- */

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/**
 * ad_speedup_summarize:
 * @samples: (array length=n_samples): wall times
 *
 * The median (the mean of the middle two for an even count), min and max.
 */
void
ad_speedup_summarize (const gint64 *samples,
                      guint         n_samples,
                      gint64       *median,
                      gint64       *min,
                      gint64       *max)
{
  g_autofree gint64 *sorted = NULL;

  g_return_if_fail (samples != NULL && n_samples > 0);

  sorted = g_memdup2 (samples, n_samples * sizeof (gint64));
  qsort (sorted, n_samples, sizeof (gint64), compare_gint64);
  *min = sorted[0];
  *max = sorted[n_samples - 1];
  if (n_samples % 2 == 1)
    *median = sorted[n_samples / 2];
  else
    *median = sorted[n_samples / 2 - 1] + (sorted[n_samples / 2] - sorted[n_samples / 2 - 1]) / 2;
}

/**
 * ad_speedup_judge:
 * @efficiency: speed-up per worker, from the medians
 * @n_workers: the configuration's workers
 * @baseline_min: one thread's fastest run, µs
 * @max: the configuration's slowest run, µs
 *
 * The rule. N workers can at best share one thread's work N ways, so a
 * configuration is ideal when it takes one thread's time divided by N. An
 * efficiency above 100 % says it took less. That is *within noise* when
 * the configuration's slowest run, times N, still reaches one thread's
 * fastest run (N × max ≥ baseline min, with AD_SPEEDUP_NOISE_FLOOR of
 * slack): the spread of the timings overlaps the ideal, and the medians
 * are merely on either side of it. Otherwise every run of the
 * configuration beat every one-thread run shared N ways: a real effect,
 * *super-linear* (each core brings its own cache, so each worker's share
 * fits better than the whole did on one core; or one thread ran at a
 * lower clock), never a gain from the workers themselves.
 *
 * Returns: %AD_SPEEDUP_VERDICT_OK for an efficiency up to 100 %
 */
AdSpeedupVerdict
ad_speedup_judge (double efficiency,
                  guint  n_workers,
                  gint64 baseline_min,
                  gint64 max)
{
  g_return_val_if_fail (n_workers > 0, AD_SPEEDUP_VERDICT_OK);

  if (efficiency <= 1.0)
    return AD_SPEEDUP_VERDICT_OK;
  if ((double) n_workers * max * (1 + AD_SPEEDUP_NOISE_FLOOR) >= (double) baseline_min)
    return AD_SPEEDUP_VERDICT_WITHIN_NOISE;
  return AD_SPEEDUP_VERDICT_SUPERLINEAR;
}

/**
 * ad_speedup_row_fill:
 * @row: a row with its n_workers, median, min and max set
 * @baseline: one thread's row (already filled), or @row itself
 *
 * Sets the speed-up, its whiskers, the efficiency and the verdict.
 */
void
ad_speedup_row_fill (AdSpeedupRow       *row,
                     const AdSpeedupRow *baseline)
{
  double base;

  g_return_if_fail (row != NULL && baseline != NULL);
  g_return_if_fail (row->n_workers > 0 && row->min > 0);
  g_return_if_fail (row->min <= row->median && row->median <= row->max);

  base = (double) baseline->median;
  row->speedup = row == baseline ? 1.0 : base / row->median;
  row->speedup_low = base / row->max;
  row->speedup_high = base / row->min;
  row->efficiency = row->speedup / row->n_workers;
  row->verdict = ad_speedup_judge (row->efficiency, row->n_workers, baseline->min, row->max);
}

/* Returns: (transfer full): "2 threads", "2 processes" */
char *
ad_speedup_row_dup_label (const AdSpeedupRow *row)
{
  guint n = row->n_workers;

  if (row->backend == AD_COMPUTE_BACKEND_THREADS)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u thread", "%u threads", n), n);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u process", "%u processes", n), n);
}

/**
 * ad_speedup_row_format_speedup:
 *
 * Returns: (transfer full): the speed-up as a result, "1.96×"; a median
 *   above N× that is within noise is shown as the ideal it cannot beat,
 *   "≈2.00×", as its efficiency is shown "≈100 %"
 */
char *
ad_speedup_row_format_speedup (const AdSpeedupRow *row)
{
  if (row->verdict == AD_SPEEDUP_VERDICT_WITHIN_NOISE && row->speedup > row->n_workers)
    return g_strdup_printf ("≈%.2f×", (double) row->n_workers);
  return g_strdup_printf ("%.2f×", row->speedup);
}

/**
 * ad_speedup_row_format_efficiency:
 *
 * Returns: (transfer full): the efficiency as a result, "96 %"; never a
 *   figure above 100 % without its verdict: "≈100 % (within noise)",
 *   "112 % (super-linear)"
 */
char *
ad_speedup_row_format_efficiency (const AdSpeedupRow *row)
{
  switch (row->verdict)
    {
    case AD_SPEEDUP_VERDICT_WITHIN_NOISE:
      return g_strdup (_("≈100 % (within noise)"));
    case AD_SPEEDUP_VERDICT_SUPERLINEAR:
      /* TRANSLATORS: an efficiency above 100 %, such as "112 % (super-linear)" */
      return g_strdup_printf (_("%.0f %% (super-linear)"), 100 * row->efficiency);
    case AD_SPEEDUP_VERDICT_OK:
    default:
      /* TRANSLATORS: an efficiency in the speed-up table, such as "96 %" */
      return g_strdup_printf (_("%.0f %%"), MIN (100 * row->efficiency, 100));
    }
}

/* Returns: the verdict in words, for a note under the figures; "" for OK */
const char *
ad_speedup_verdict_explain (AdSpeedupVerdict verdict)
{
  switch (verdict)
    {
    case AD_SPEEDUP_VERDICT_WITHIN_NOISE:
      return _("Within noise: the median beat the ideal (N workers, N× faster), but the spread "
               "of the timings reaches it. N workers cannot do more than N× the work.");
    case AD_SPEEDUP_VERDICT_SUPERLINEAR:
      return _("Super-linear: every run beat the ideal beyond the spread of the timings. The "
               "workers did not add speed; each core has its own cache, and a worker’s share "
               "of the data fits in it better than the whole did on one core (or one thread "
               "ran at a lower clock speed).");
    case AD_SPEEDUP_VERDICT_OK:
    default:
      return "";
    }
}

/* ---- running ----------------------------------------------------------- */

static void speedup_start_job (AdSpeedup        *self,
                               AdComputeBackend  backend,
                               guint             n_workers);

static void
speedup_finish_rows (AdSpeedup *self)
{
  g_array_set_size (self->rows, 0);
  for (guint i = 0; i < self->configs->len; i++)
    {
      const Config *config = &g_array_index (self->configs, Config, i);
      AdSpeedupRow row = { 0 };

      row.backend = config->backend;
      row.n_workers = config->n_workers;
      row.n_samples = config->samples->len;
      ad_speedup_summarize ((const gint64 *) (gpointer) config->samples->data,
                            config->samples->len, &row.median, &row.min, &row.max);
      g_array_append_val (self->rows, row);
    }
  for (guint i = 0; i < self->rows->len; i++)
    ad_speedup_row_fill (&g_array_index (self->rows, AdSpeedupRow, i),
                         &g_array_index (self->rows, AdSpeedupRow, 0));
}

static void
speedup_start_measured (AdSpeedup *self)
{
  const Config *config = &g_array_index (self->configs, Config, self->index);

  speedup_update_progress (self);
  speedup_start_job (self, config->backend, config->n_workers);
}

/* After a job: the next step of the warm-up, the next configuration, or
 * the end. */
static void
speedup_next (AdSpeedup *self,
              gint64     elapsed)
{
  g_autoptr(GTask) task = NULL;
  guint n_configs = self->configs->len;

  if (self->phase == AD_SPEEDUP_PHASE_WARMING_UP)
    {
      Config *last = &g_array_index (self->configs, Config, n_configs - 1);
      gint64 min_us = (gint64) (self->min_seconds * G_USEC_PER_SEC);

      if (self->job != NULL && ad_compute_job_get_backend (self->job)
                               == AD_COMPUTE_BACKEND_PROCESSES)
        {
          /* The process path is warm too: measure. */
          speedup_set_phase (self, AD_SPEEDUP_PHASE_MEASURING);
          speedup_set_job (self, NULL);
          speedup_start_measured (self);
          return;
        }

      /* The size is settled once two runs in a row at it took the minimum:
       * one slow run (the machine busy for a moment) does not settle it. */
      self->n_warmups++;
      self->n_long = elapsed >= min_us ? self->n_long + 1 : 0;
      if (self->n_long < 2 && self->n_warmups < MAX_WARMUPS)
        {
          double factor = CLAMP (AIM * min_us / MAX (elapsed, 1000), 1.25, MAX_STEP_FACTOR);

          speedup_set_job (self, NULL);
          if (self->n_long == 1)
            {
              g_debug ("speed-up: one thread took %.3f s; once more at this size",
                       elapsed / 1e6);
              speedup_start_job (self, AD_COMPUTE_BACKEND_THREADS, 1);
              return;
            }
          if (params_scale (&self->params, factor))
            {
              g_debug ("speed-up: one thread took %.3f s; scaling the work by %.2f",
                       elapsed / 1e6, factor);
              speedup_start_job (self, AD_COMPUTE_BACKEND_THREADS, 1);
              return;
            }
        }
      speedup_set_job (self, NULL);
      speedup_start_job (self, last->backend, last->n_workers);
      return;
    }

  g_array_append_val (g_array_index (self->configs, Config, self->index).samples, elapsed);
  if (self->index + 1 < n_configs)
    self->index++;
  else if (self->round + 1 < self->rounds)
    {
      self->index = 0;
      self->round++;
    }
  else
    {
      speedup_finish_rows (self);
      speedup_set_job (self, NULL);
      speedup_set_phase (self, AD_SPEEDUP_PHASE_DONE);
      speedup_update_progress (self);
      task = g_steal_pointer (&self->task);
      g_task_return_boolean (task, TRUE);
      return;
    }
  speedup_set_job (self, NULL);
  speedup_start_measured (self);
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(AdSpeedup) self = user_data;
  g_autoptr(AdComputeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  result = ad_compute_job_run_finish (AD_COMPUTE_JOB (source), res, &error);
  if (result == NULL)
    {
      speedup_set_job (self, NULL);
      task = g_steal_pointer (&self->task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  speedup_next (self, MAX (ad_compute_result_get_elapsed (result), 1));
}

static void
speedup_start_job (AdSpeedup        *self,
                   AdComputeBackend  backend,
                   guint             n_workers)
{
  g_autoptr(AdComputeJob) job = ad_compute_job_new (&self->params, backend, n_workers);

  if (self->worker_binary != NULL)
    ad_compute_job_set_worker_binary (job, self->worker_binary);
  speedup_set_job (self, job);
  ad_compute_job_run_async (job, g_task_get_cancellable (self->task), job_done_cb,
                            g_object_ref (self));
}

/**
 * ad_speedup_run_async:
 * @cancellable: (nullable): stops the current job and the measurement
 *
 * Warms up, scales the workload, then runs the rounds; @callback runs once
 * the last job (or the one that failed or was cancelled) has returned.
 */
void
ad_speedup_run_async (AdSpeedup           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (AD_IS_SPEEDUP (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL && self->phase == AD_SPEEDUP_PHASE_IDLE);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, ad_speedup_run_async);
  g_task_set_name (self->task, "[async-demo] speed-up measurement");

  if (!ad_compute_params_validate (&self->params, &error))
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  speedup_set_phase (self, AD_SPEEDUP_PHASE_WARMING_UP);
  speedup_start_job (self, AD_COMPUTE_BACKEND_THREADS, 1);
}

/**
 * ad_speedup_run_finish:
 *
 * Returns: %TRUE when every round ran (the rows are ready); %FALSE with
 *   @error set (%G_IO_ERROR_CANCELLED when cancelled) otherwise
 */
gboolean
ad_speedup_run_finish (AdSpeedup     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The number of rows: the configurations once the measurement is done, else 0. */
guint
ad_speedup_get_n_rows (AdSpeedup *self)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), 0);

  return self->rows->len;
}

/**
 * ad_speedup_get_rows:
 * @n_rows: (out) (optional):
 *
 * Returns: (transfer none) (array length=n_rows) (nullable): every row, in
 *   order; %NULL until the measurement is done
 */
const AdSpeedupRow *
ad_speedup_get_rows (AdSpeedup *self,
                     guint     *n_rows)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), NULL);

  if (n_rows != NULL)
    *n_rows = self->rows->len;
  return self->rows->len > 0 ? (const AdSpeedupRow *) (gpointer) self->rows->data : NULL;
}

/**
 * ad_speedup_get_row:
 *
 * Returns: (transfer none): the figures of configuration @index: 0 is one
 *   thread, then 2 … N threads, then N processes
 */
const AdSpeedupRow *
ad_speedup_get_row (AdSpeedup *self,
                    guint      index)
{
  g_return_val_if_fail (AD_IS_SPEEDUP (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);

  return &g_array_index (self->rows, AdSpeedupRow, index);
}
