/* ad-compute-job.h: one run of a compute workload on threads or processes
 *
 * For a page (everything below happens on the main thread):
 *
 *   AdComputeParams params;
 *
 *   ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_MANDELBROT);
 *   params.width = 800; params.height = 600;   // then check with ad_compute_params_validate()
 *   self->job = ad_compute_job_new (&params, AD_COMPUTE_BACKEND_THREADS, n_threads);
 *   g_signal_connect (self->job, "tile-done", G_CALLBACK (paint_tile_cb), self);
 *   g_signal_connect (self->job, "chunk-done", G_CALLBACK (count_per_worker_cb), self);
 *   g_signal_connect (self->job, "notify::progress", G_CALLBACK (progress_cb), self);
 *   ad_compute_job_run_async (self->job, self->cancellable, run_done_cb, self);
 *
 * "tile-done" hands over each Mandelbrot tile (rectangle and packed RGB
 * pixels) as it completes; "chunk-done" names the worker that computed
 * each chunk; "progress" is notified at most once per main-loop wake-up.
 * run_done_cb() gets a fresh AdComputeResult from ad_compute_job_run_finish()
 * (the answer, the image, the elapsed time), or G_IO_ERROR_CANCELLED after
 * g_cancellable_cancel() or ad_compute_job_cancel(): it fires only once every
 * worker has stopped. A job runs once; make a new one for the next run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-compute-error.h"
#include "ad-compute-kernels.h"
#include "ad-compute-result.h"
#include "ad-task.h"

G_BEGIN_DECLS

#define AD_TYPE_COMPUTE_JOB (ad_compute_job_get_type ())
G_DECLARE_FINAL_TYPE (AdComputeJob, ad_compute_job, AD, COMPUTE_JOB, GObject)

guint                  ad_compute_max_workers             (void);

AdComputeJob          *ad_compute_job_new                 (const AdComputeParams  *params,
                                                           AdComputeBackend        backend,
                                                           guint                   n_workers);
AdComputeBackend       ad_compute_job_get_backend         (AdComputeJob           *self);
guint                  ad_compute_job_get_n_workers       (AdComputeJob           *self);
guint                  ad_compute_job_get_n_chunks        (AdComputeJob           *self);
guint                  ad_compute_job_get_chunks_done     (AdComputeJob           *self);
double                 ad_compute_job_get_progress        (AdComputeJob           *self);
gboolean               ad_compute_job_get_running         (AdComputeJob           *self);
void                   ad_compute_job_set_worker_binary   (AdComputeJob           *self,
                                                           const char             *path);
GStrv                  ad_compute_job_dup_worker_ids      (AdComputeJob           *self);
AdTask                *ad_compute_job_get_task            (AdComputeJob           *self);

void                   ad_compute_job_run_async           (AdComputeJob           *self,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
AdComputeResult       *ad_compute_job_run_finish          (AdComputeJob           *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);
void                   ad_compute_job_cancel              (AdComputeJob           *self);

G_END_DECLS
