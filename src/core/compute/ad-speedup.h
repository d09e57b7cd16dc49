/* ad-speedup.h: an honest speed-up measurement, shared by the Compute page and the CLI
 *
 *   g_autoptr(AdSpeedup) speedup = ad_speedup_new (&params, ad_compute_max_workers (), NULL);
 *
 *   ad_speedup_set_rounds (speedup, 3);          // the default
 *   ad_speedup_set_min_seconds (speedup, 0.5);   // the default
 *   ad_speedup_run_async (speedup, cancellable, done_cb, data);
 *   …
 *   ad_speedup_run_finish (speedup, result, &error);
 *   for (guint i = 0; i < ad_speedup_get_n_rows (speedup); i++)
 *     row = ad_speedup_get_row (speedup, i);  // median, min, max, speed-up, efficiency, verdict
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-compute-job.h"

G_BEGIN_DECLS

#define AD_SPEEDUP_DEFAULT_ROUNDS      3
#define AD_SPEEDUP_DEFAULT_MIN_SECONDS 0.5
/* Timings closer than this fraction are treated as equal (timer and
 * scheduler jitter, and ranges of identical samples). */
#define AD_SPEEDUP_NOISE_FLOOR         0.02

typedef enum
{
  AD_SPEEDUP_VERDICT_OK,           /* efficiency at most 100 % */
  AD_SPEEDUP_VERDICT_WITHIN_NOISE, /* above 100 %, but the timings' spread reaches the ideal */
  AD_SPEEDUP_VERDICT_SUPERLINEAR,  /* above 100 % beyond the spread: a real effect (caches) */
} AdSpeedupVerdict;

typedef enum
{
  AD_SPEEDUP_PHASE_IDLE,
  AD_SPEEDUP_PHASE_WARMING_UP,     /* warm-up runs that also scale the workload */
  AD_SPEEDUP_PHASE_MEASURING,
  AD_SPEEDUP_PHASE_DONE,
} AdSpeedupPhase;

/* One configuration's figures. Times in µs. */
typedef struct
{
  gint64           median;
  gint64           min;
  gint64           max;
  double           speedup;      /* 1 thread's median / this median */
  double           efficiency;   /* speedup / n_workers */
  double           speedup_low;  /* 1 thread's median / this max: the whisker's ends */
  double           speedup_high; /* 1 thread's median / this min */
  AdComputeBackend backend;
  guint            n_workers;
  guint            n_samples;
  AdSpeedupVerdict verdict;
} AdSpeedupRow;

#define AD_TYPE_SPEEDUP (ad_speedup_get_type ())
G_DECLARE_FINAL_TYPE (AdSpeedup, ad_speedup, AD, SPEEDUP, GObject)

AdSpeedup             *ad_speedup_new                (const AdComputeParams *params,
                                                      guint                  max_workers,
                                                      const char            *worker_binary);
void                   ad_speedup_set_rounds         (AdSpeedup             *self,
                                                      guint                  rounds);
guint                  ad_speedup_get_rounds         (AdSpeedup             *self);
void                   ad_speedup_set_min_seconds    (AdSpeedup             *self,
                                                      double                 seconds);
double                 ad_speedup_get_min_seconds    (AdSpeedup             *self);
guint                  ad_speedup_get_n_configs      (AdSpeedup             *self);

AdSpeedupPhase         ad_speedup_get_phase          (AdSpeedup             *self);
guint                  ad_speedup_get_round          (AdSpeedup             *self);
guint                  ad_speedup_get_index          (AdSpeedup             *self);
double                 ad_speedup_get_progress       (AdSpeedup             *self);
AdComputeJob          *ad_speedup_get_job            (AdSpeedup             *self);

const AdComputeParams *ad_speedup_get_params         (AdSpeedup             *self);
double                 ad_speedup_get_scale          (AdSpeedup             *self);
char                  *ad_speedup_describe_workload  (AdSpeedup             *self);
char                  *ad_speedup_describe_method    (AdSpeedup             *self);

void                   ad_speedup_run_async          (AdSpeedup             *self,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
gboolean               ad_speedup_run_finish         (AdSpeedup             *self,
                                                      GAsyncResult          *result,
                                                      GError               **error);
guint                  ad_speedup_get_n_rows         (AdSpeedup             *self);
const AdSpeedupRow    *ad_speedup_get_rows           (AdSpeedup             *self,
                                                      guint                 *n_rows);
const AdSpeedupRow    *ad_speedup_get_row            (AdSpeedup             *self,
                                                      guint                  index);

/* The arithmetic, pure, for the runner and the tests. */
void                   ad_speedup_summarize          (const gint64          *samples,
                                                      guint                  n_samples,
                                                      gint64                *median,
                                                      gint64                *min,
                                                      gint64                *max);
void                   ad_speedup_row_fill           (AdSpeedupRow          *row,
                                                      const AdSpeedupRow    *baseline);
AdSpeedupVerdict       ad_speedup_judge              (double                 efficiency,
                                                      guint                  n_workers,
                                                      gint64                 baseline_min,
                                                      gint64                 max);
char                  *ad_speedup_row_dup_label      (const AdSpeedupRow    *row);
char                  *ad_speedup_row_format_speedup    (const AdSpeedupRow *row);
char                  *ad_speedup_row_format_efficiency (const AdSpeedupRow *row);
const char            *ad_speedup_verdict_explain    (AdSpeedupVerdict       verdict);

G_END_DECLS
