/* ad-task-registry.h: every operation the app starts, as a live model
 *
 * The registry is the single place where timers, fetches, compute chunks,
 * worker processes, connections and task groups are recorded. Recording
 * is cheap and thread-safe (see tests/bench/bench-registry.c); the models
 * the GUI shows change only on the registry's main thread, in one coalesced
 * publish at most every #AdTaskRegistry:publish-interval milliseconds.
 *
 * For the GUI:
 *  - ad_task_registry_get_live(): every unfinished task, in creation order
 *  - ad_task_registry_get_roots(): the unfinished tasks without a parent;
 *    with ad_task_get_children() as the child function this is the root
 *    of a GtkTreeListModel showing the live task tree
 *  - ad_task_registry_get_history(): the last #AdTaskRegistry:history-size
 *    finished tasks, oldest first
 *  - ad_task_registry_cancel() cancels a task and its subtree by id
 *
 * For a trace recorder or timeline: ad_task_registry_add_listener() calls
 * a function synchronously on the thread that created, started or
 * finished a task, with a timestamp and the thread's name. It must be
 * cheap and thread-safe, and must not call back into the registry. The
 * same listeners see ad_task_push_current() and ad_task_pop_current() as
 * %AD_TASK_EVENT_ENTERED and %AD_TASK_EVENT_LEFT: the interval in which a
 * task's own code ran on that thread (a start function, a continuation).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-task.h"

G_BEGIN_DECLS

#define AD_TASK_REGISTRY_DEFAULT_HISTORY_SIZE        1000
#define AD_TASK_REGISTRY_DEFAULT_PUBLISH_INTERVAL_MS 100

typedef enum
{
  AD_TASK_EVENT_CREATED,
  AD_TASK_EVENT_STARTED,
  AD_TASK_EVENT_FINISHED,
  AD_TASK_EVENT_ENTERED,
  AD_TASK_EVENT_LEFT,
} AdTaskEventType;

/**
 * AdTaskEventType:
 * @AD_TASK_EVENT_CREATED: ad_task_registry_create()
 * @AD_TASK_EVENT_STARTED: ad_task_start()
 * @AD_TASK_EVENT_FINISHED: ad_task_finish()
 * @AD_TASK_EVENT_ENTERED: ad_task_push_current() made the task current:
 *   its code starts running on this thread
 * @AD_TASK_EVENT_LEFT: the matching ad_task_pop_current()
 */

/**
 * AdTaskEvent:
 * @type: what happened
 * @task: (transfer none): the task; valid during the call
 * @task_id: its id
 * @parent_id: its parent's id, or 0
 * @state: the state the task has after the event
 * @time_us: when, in g_get_monotonic_time() microseconds
 * @thread_name: (transfer none): the thread that reported it (an interned
 *   string: it stays valid)
 */
typedef struct
{
  AdTaskEventType  type;
  AdTask          *task;
  guint64          task_id;
  guint64          parent_id;
  AdTaskState      state;
  gint64           time_us;
  const char      *thread_name;
} AdTaskEvent;

typedef void (*AdTaskEventFunc) (const AdTaskEvent *event,
                                 gpointer           user_data);

#define AD_TYPE_TASK_REGISTRY (ad_task_registry_get_type ())
G_DECLARE_FINAL_TYPE (AdTaskRegistry, ad_task_registry, AD, TASK_REGISTRY, GObject)

AdTaskRegistry *ad_task_registry_get_default          (void);
AdTaskRegistry *ad_task_registry_new                  (guint            history_size);

/* Recording: any thread */
AdTask         *ad_task_registry_create               (AdTaskRegistry  *self,
                                                       const char      *name,
                                                       AdTaskKind       kind,
                                                       AdTask          *parent,
                                                       GCancellable    *cancellable);
gboolean        ad_task_registry_cancel               (AdTaskRegistry  *self,
                                                       guint64          id);
AdTask         *ad_task_registry_lookup               (AdTaskRegistry  *self,
                                                       guint64          id);
guint           ad_task_registry_get_n_live           (AdTaskRegistry  *self);
guint64         ad_task_registry_get_n_created        (AdTaskRegistry  *self);
guint           ad_task_registry_add_listener         (AdTaskRegistry  *self,
                                                       AdTaskEventFunc  func,
                                                       gpointer         user_data,
                                                       GDestroyNotify   destroy);
void            ad_task_registry_remove_listener      (AdTaskRegistry  *self,
                                                       guint            listener_id);

/* The models and their settings: main thread */
GListModel     *ad_task_registry_get_live             (AdTaskRegistry  *self);
GListModel     *ad_task_registry_get_roots            (AdTaskRegistry  *self);
GListModel     *ad_task_registry_get_history          (AdTaskRegistry  *self);
void            ad_task_registry_set_history_size     (AdTaskRegistry  *self,
                                                       guint            history_size);
guint           ad_task_registry_get_publish_interval (AdTaskRegistry  *self);
void            ad_task_registry_set_publish_interval (AdTaskRegistry  *self,
                                                       guint            interval_ms);
void            ad_task_registry_flush                (AdTaskRegistry  *self);
guint64         ad_task_registry_get_n_publishes      (AdTaskRegistry  *self);
guint           ad_task_registry_report_unfinished    (AdTaskRegistry  *self);

G_END_DECLS
