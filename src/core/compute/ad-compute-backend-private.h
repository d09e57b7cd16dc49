/* ad-compute-backend-private.h: how a compute job runs its chunks
 *
 * An AdComputeJob keeps the plan (which chunks, in which order), the
 * partial results, the progress and the run's task in the registry. A
 * backend only runs the chunks: it starts N workers, feeds them chunks,
 * and reports back to the job on the main thread. Two backends exist:
 * worker threads (ad-compute-backend-threads.c) and worker processes
 * (ad-compute-backend-processes.c).
 *
 * The contract, every call on the main thread unless said otherwise:
 *
 *   start       starts the workers and feeds them chunks; on failure it
 *               reports it with ad_compute_job_report_failure() and still
 *               returns a backend (with nothing running, it is stopped)
 *   cancel      (optional) the job's cancellable fired: stop the workers
 *               (threads need nothing: they poll the cancellable)
 *   is_stopped  every worker has stopped and nothing is in flight
 *   finish      once stopped: release what the run holds (join threads)
 *   dup_worker_ids  (optional) the ids of the live worker processes
 *   free        with the job
 *
 * A backend reports each finished chunk with ad_compute_job_take_chunk()
 * (chunk done and, for Mandelbrot, tile done), then
 * ad_compute_job_notify_progress() once per batch; a worker that died or
 * misbehaved with ad_compute_job_report_failure() (which cancels the
 * others); and whenever a worker stopped or a pending call returned, it
 * calls ad_compute_job_check_done(): the job asks is_stopped and returns
 * the run when it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-compute-job.h"
#include "ad-task-registry.h"

G_BEGIN_DECLS

/* A finished chunk on its way from a worker to the job. */
typedef struct
{
  guint      index;
  guint      worker;   /* the thread's or process's number */
  gboolean   cancelled;
  AdTask    *task;     /* the chunk's task; unreferenced on the main thread */
  AdUInt128  sum;
  guint64    count;
  GBytes    *tile;     /* packed RGB rows */
} AdComputeChunkOutput;

void ad_compute_chunk_output_free (AdComputeChunkOutput *output);

typedef struct _AdComputeBackendImpl   AdComputeBackendImpl;
typedef struct _AdComputeBackendVTable AdComputeBackendVTable;

struct _AdComputeBackendVTable
{
  const char            *name;
  AdComputeBackendImpl *(*start)          (AdComputeJob         *job);
  void                  (*cancel)         (AdComputeBackendImpl *impl);
  gboolean              (*is_stopped)     (AdComputeBackendImpl *impl);
  void                  (*finish)         (AdComputeBackendImpl *impl);
  GStrv                 (*dup_worker_ids) (AdComputeBackendImpl *impl);
  void                  (*free)           (AdComputeBackendImpl *impl);
};

/* The first member of every backend's state. */
struct _AdComputeBackendImpl
{
  const AdComputeBackendVTable *vtable;
  AdComputeJob                 *job;     /* unowned: the job owns the backend */
};

extern const AdComputeBackendVTable ad_compute_backend_threads;
extern const AdComputeBackendVTable ad_compute_backend_processes;

/* What the job offers its backend. Immutable during a run and readable
 * from any thread: */
const AdComputeParams *ad_compute_job_get_params          (AdComputeJob          *self);
GCancellable          *ad_compute_job_get_cancellable     (AdComputeJob          *self);
AdTaskRegistry        *ad_compute_job_get_registry        (AdComputeJob          *self);
AdTask                *ad_compute_job_create_chunk_task   (AdComputeJob          *self,
                                                           AdTask                *parent,
                                                           guint                  index);
/* Main thread only: */
GMainContext          *ad_compute_job_get_context         (AdComputeJob          *self);
const char            *ad_compute_job_get_worker_binary   (AdComputeJob          *self);
void                   ad_compute_job_take_chunk          (AdComputeJob          *self,
                                                           AdComputeChunkOutput  *output);
void                   ad_compute_job_notify_progress     (AdComputeJob          *self);
void                   ad_compute_job_report_failure      (AdComputeJob          *self,
                                                           GError                *error);
void                   ad_compute_job_check_done          (AdComputeJob          *self);

G_END_DECLS
