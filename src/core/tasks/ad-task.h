/* ad-task.h: one registered operation (a timer, a fetch, a compute chunk…)
 *
 * An AdTask is created by an AdTaskRegistry and reports its life through
 * ad_task_start(), ad_task_set_progress() and ad_task_finish(), which any
 * thread may call. Its identity (id, name, kind, parent, creation time) is
 * immutable. Its state is guarded by a lock, so the getters are safe from
 * any thread; its property notifications ("state", "progress", …) are
 * emitted only on the registry's main thread, when the registry publishes,
 * so GTK widgets may bind to them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * AdTaskKind:
 * @AD_TASK_KIND_TIMER: waits for time to pass (sleep, timeout)
 * @AD_TASK_KIND_IO: waits for the network or a file
 * @AD_TASK_KIND_CPU: computes on a worker thread
 * @AD_TASK_KIND_PROCESS: a worker process
 * @AD_TASK_KIND_SERVER: a listening server or one of its connections
 * @AD_TASK_KIND_GROUP: a task group, whose children are tasks under it
 */
typedef enum
{
  AD_TASK_KIND_TIMER,
  AD_TASK_KIND_IO,
  AD_TASK_KIND_CPU,
  AD_TASK_KIND_PROCESS,
  AD_TASK_KIND_SERVER,
  AD_TASK_KIND_GROUP,
} AdTaskKind;

/**
 * AdTaskState:
 * @AD_TASK_STATE_PENDING: registered, not started (e.g. queued in a limiter)
 * @AD_TASK_STATE_RUNNING: started
 * @AD_TASK_STATE_SUCCEEDED: finished without error
 * @AD_TASK_STATE_FAILED: finished with an error (a timeout is a failure
 *   with #AdTask:timed-out set)
 * @AD_TASK_STATE_CANCELLED: finished with %G_IO_ERROR_CANCELLED
 */
typedef enum
{
  AD_TASK_STATE_PENDING,
  AD_TASK_STATE_RUNNING,
  AD_TASK_STATE_SUCCEEDED,
  AD_TASK_STATE_FAILED,
  AD_TASK_STATE_CANCELLED,
} AdTaskState;

#define AD_TYPE_TASK_KIND  (ad_task_kind_get_type ())
#define AD_TYPE_TASK_STATE (ad_task_state_get_type ())
GType ad_task_kind_get_type  (void) G_GNUC_CONST;
GType ad_task_state_get_type (void) G_GNUC_CONST;

#define AD_TYPE_TASK (ad_task_get_type ())
G_DECLARE_FINAL_TYPE (AdTask, ad_task, AD, TASK, GObject)

/* Identity: immutable, any thread */
guint64       ad_task_get_id            (AdTask          *self);
const char   *ad_task_get_name          (AdTask          *self);
AdTaskKind    ad_task_get_kind          (AdTask          *self);
AdTask       *ad_task_get_parent        (AdTask          *self);
gint64        ad_task_get_created_time  (AdTask          *self);

/* State: any thread (a consistent snapshot of each value) */
AdTaskState   ad_task_get_state         (AdTask          *self);
gboolean      ad_task_is_finished       (AdTask          *self);
gint64        ad_task_get_started_time  (AdTask          *self);
gint64        ad_task_get_finished_time (AdTask          *self);
const char   *ad_task_get_thread_name   (AdTask          *self);
double        ad_task_get_progress      (AdTask          *self);
char         *ad_task_dup_error_message (AdTask          *self);
gboolean      ad_task_get_timed_out     (AdTask          *self);
GCancellable *ad_task_get_cancellable   (AdTask          *self);

/* Reporting: any thread */
void          ad_task_start             (AdTask          *self);
void          ad_task_set_progress      (AdTask          *self,
                                         double           fraction);
void          ad_task_finish            (AdTask          *self,
                                         const GError    *error);
void          ad_task_link_cancellable  (AdTask          *self,
                                         GCancellable    *outer);
void          ad_task_cancel            (AdTask          *self);

/* Tree: main thread */
GListModel   *ad_task_get_children      (AdTask          *self);

/* The task whose operation is being started on this thread, if any */
AdTask       *ad_task_get_current       (void);
AdTask       *ad_task_push_current      (AdTask          *task);
void          ad_task_pop_current       (AdTask          *previous);

const char   *ad_task_kind_to_string    (AdTaskKind       kind);
const char   *ad_task_state_to_string   (AdTaskState      state);

G_END_DECLS
