/* ad-task.c: one registered operation
 *
 * Design:
 *  - Identity (id, name, kind, parent, creation time) is set once by the
 *    registry and never changes, so it is read without a lock.
 *  - State is written by whichever thread runs the operation, under a
 *    per-task mutex: an uncontended GMutex costs a few nanoseconds, less
 *    than the atomics a lock-free design would need for a consistent
 *    state + times + error snapshot.
 *  - Each state change is reported to the registry, which queues the task
 *    once per publish; the registry then calls ad_task_publish_notify() on
 *    its main thread, which emits "notify" for what changed since the last
 *    publish. So GTK may bind to the properties, and a million progress
 *    updates between two publishes cost one notification.
 *  - The cancellable is created on demand (most tasks are never cancelled
 *    by id), or is the one the operation passed in.
 *  - A task holds a reference to its registry until its finish has been
 *    published, so reporting never races with the registry's disposal; a
 *    child holds its parent, and a parent's children list holds the
 *    children: the registry breaks that cycle when it drops the parent
 *    from its history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Tasks"

#include "config.h"

#include "ad-thread.h"
#include "ad-debug.h"
#include "ad-task-private.h"
#include "ad-tsan.h"

G_DEFINE_ENUM_TYPE (AdTaskKind, ad_task_kind,
                    G_DEFINE_ENUM_VALUE (AD_TASK_KIND_TIMER, "timer"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_KIND_IO, "io"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_KIND_CPU, "cpu"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_KIND_PROCESS, "process"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_KIND_SERVER, "server"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_KIND_GROUP, "group"))

G_DEFINE_ENUM_TYPE (AdTaskState, ad_task_state,
                    G_DEFINE_ENUM_VALUE (AD_TASK_STATE_PENDING, "pending"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_STATE_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_STATE_SUCCEEDED, "succeeded"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_STATE_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_STATE_CANCELLED, "cancelled"))

G_DEFINE_FINAL_TYPE (AdTask, ad_task, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KIND,
  PROP_PARENT,
  PROP_CREATED_TIME,
  PROP_STATE,
  PROP_STARTED_TIME,
  PROP_FINISHED_TIME,
  PROP_THREAD_NAME,
  PROP_PROGRESS,
  PROP_ERROR_MESSAGE,
  PROP_TIMED_OUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static guint notify_signal_id;

static _Thread_local AdTask *current_task;

static void
ad_task_dispose (GObject *object)
{
  AdTask *self = AD_TASK (object);

  g_clear_object (&self->children);

  G_OBJECT_CLASS (ad_task_parent_class)->dispose (object);
}

static void
ad_task_finalize (GObject *object)
{
  AdTask *self = AD_TASK (object);

  if (self->link_outer != NULL)
    {
      g_cancellable_disconnect (self->link_outer, self->link_handler);
      g_clear_object (&self->link_outer);
    }
  g_clear_object (&self->cancellable);
  g_clear_object (&self->registry);
  g_clear_object (&self->parent);
  g_free (self->name);
  g_free (self->error_message);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ad_task_parent_class)->finalize (object);
}

static void
ad_task_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  AdTask *self = AD_TASK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_uint64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_PARENT:
      g_value_set_object (value, self->parent);
      break;
    case PROP_CREATED_TIME:
      g_value_set_int64 (value, self->created);
      break;
    case PROP_STATE:
      g_value_set_enum (value, ad_task_get_state (self));
      break;
    case PROP_STARTED_TIME:
      g_value_set_int64 (value, ad_task_get_started_time (self));
      break;
    case PROP_FINISHED_TIME:
      g_value_set_int64 (value, ad_task_get_finished_time (self));
      break;
    case PROP_THREAD_NAME:
      g_value_set_string (value, ad_task_get_thread_name (self));
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, ad_task_get_progress (self));
      break;
    case PROP_ERROR_MESSAGE:
      g_value_take_string (value, ad_task_dup_error_message (self));
      break;
    case PROP_TIMED_OUT:
      g_value_set_boolean (value, ad_task_get_timed_out (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_task_class_init (AdTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ad_task_dispose;
  object_class->finalize = ad_task_finalize;
  object_class->get_property = ad_task_get_property;

  properties[PROP_ID] = g_param_spec_uint64 ("id", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, AD_TYPE_TASK_KIND, AD_TASK_KIND_TIMER, ro);
  properties[PROP_PARENT] = g_param_spec_object ("parent", NULL, NULL, AD_TYPE_TASK, ro);
  properties[PROP_CREATED_TIME] =
    g_param_spec_int64 ("created-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, AD_TYPE_TASK_STATE, AD_TASK_STATE_PENDING, ro);
  properties[PROP_STARTED_TIME] =
    g_param_spec_int64 ("started-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_FINISHED_TIME] =
    g_param_spec_int64 ("finished-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_THREAD_NAME] = g_param_spec_string ("thread-name", NULL, NULL, NULL, ro);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1.0, 1.0, -1.0, ro);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PROP_TIMED_OUT] = g_param_spec_boolean ("timed-out", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  notify_signal_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
}

static void
ad_task_init (AdTask *self)
{
  g_mutex_init (&self->mutex);
  self->progress = -1.0;
  self->pub_progress = -1.0;
}

/* Thread names cached per thread as interned strings: a task keeps the
 * pointer after the thread (and its own cached name) is gone. */
const char *
ad_task_intern_thread_name (void)
{
  static GPrivate interned_key;
  const char *name = g_private_get (&interned_key);

  if (G_UNLIKELY (name == NULL))
    {
      name = ad_intern_string (ad_thread_name ());
      g_private_set (&interned_key, (gpointer) name);
    }

  return name;
}

AdTask *
ad_task_new_internal (AdTaskRegistry *registry,
                      guint64         id,
                      const char     *name,
                      AdTaskKind      kind,
                      AdTask         *parent,
                      GCancellable   *cancellable)
{
  AdTask *self = g_object_new (AD_TYPE_TASK, NULL);

  self->registry = g_object_ref (registry);
  self->id = id;
  self->name = g_strdup (name);
  self->kind = kind;
  self->parent = parent ? g_object_ref (parent) : NULL;
  self->created = g_get_monotonic_time ();
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;

  return self;
}

guint64
ad_task_get_id (AdTask *self)
{
  g_return_val_if_fail (AD_IS_TASK (self), 0);

  return self->id;
}

const char *
ad_task_get_name (AdTask *self)
{
  g_return_val_if_fail (AD_IS_TASK (self), NULL);

  return self->name;
}

AdTaskKind
ad_task_get_kind (AdTask *self)
{
  g_return_val_if_fail (AD_IS_TASK (self), AD_TASK_KIND_TIMER);

  return self->kind;
}

/**
 * ad_task_get_parent:
 *
 * Returns: (transfer none) (nullable): the task this one runs under
 */
AdTask *
ad_task_get_parent (AdTask *self)
{
  g_return_val_if_fail (AD_IS_TASK (self), NULL);

  return self->parent;
}

gint64
ad_task_get_created_time (AdTask *self)
{
  g_return_val_if_fail (AD_IS_TASK (self), 0);

  return self->created;
}

AdTaskState
ad_task_get_state (AdTask *self)
{
  AdTaskState state;

  g_return_val_if_fail (AD_IS_TASK (self), AD_TASK_STATE_PENDING);

  ad_mutex_lock (&self->mutex);
  state = self->state;
  ad_mutex_unlock (&self->mutex);

  return state;
}

gboolean
ad_task_is_finished (AdTask *self)
{
  return ad_task_get_state (self) >= AD_TASK_STATE_SUCCEEDED;
}

/**
 * ad_task_get_started_time:
 *
 * Returns: the g_get_monotonic_time() of ad_task_start(), or 0
 */
gint64
ad_task_get_started_time (AdTask *self)
{
  gint64 ret;

  g_return_val_if_fail (AD_IS_TASK (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->started;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_task_get_finished_time:
 *
 * Returns: the g_get_monotonic_time() of ad_task_finish(), or 0
 */
gint64
ad_task_get_finished_time (AdTask *self)
{
  gint64 ret;

  g_return_val_if_fail (AD_IS_TASK (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->finished;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_task_get_thread_name:
 *
 * Returns: (nullable): the name of the thread that started the task (or
 *   finished it, if it never started); an interned string
 */
const char *
ad_task_get_thread_name (AdTask *self)
{
  const char *ret;

  g_return_val_if_fail (AD_IS_TASK (self), NULL);

  ad_mutex_lock (&self->mutex);
  ret = self->thread_name;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_task_get_progress:
 *
 * Returns: the fraction done in [0, 1], or -1 when the task reports none
 */
double
ad_task_get_progress (AdTask *self)
{
  double ret;

  g_return_val_if_fail (AD_IS_TASK (self), -1.0);

  ad_mutex_lock (&self->mutex);
  ret = self->progress;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_task_dup_error_message:
 *
 * Returns: (transfer full) (nullable): the message of the error the task
 *   finished with
 */
char *
ad_task_dup_error_message (AdTask *self)
{
  char *ret;

  g_return_val_if_fail (AD_IS_TASK (self), NULL);

  ad_mutex_lock (&self->mutex);
  ret = g_strdup (self->error_message);
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_task_get_timed_out:
 *
 * Returns: %TRUE when the task finished with %G_IO_ERROR_TIMED_OUT
 */
gboolean
ad_task_get_timed_out (AdTask *self)
{
  gboolean ret;

  g_return_val_if_fail (AD_IS_TASK (self), FALSE);

  ad_mutex_lock (&self->mutex);
  ret = self->timed_out;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_task_get_cancellable:
 *
 * Returns: (transfer none): the cancellable that ad_task_cancel() and
 *   ad_task_registry_cancel() cancel; the operation must watch it
 */
GCancellable *
ad_task_get_cancellable (AdTask *self)
{
  GCancellable *ret;

  g_return_val_if_fail (AD_IS_TASK (self), NULL);

  ad_mutex_lock (&self->mutex);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  ret = self->cancellable;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_task_start:
 *
 * Marks the task running, now, on the calling thread. Any thread.
 */
void
ad_task_start (AdTask *self)
{
  gint64 now = g_get_monotonic_time ();
  const char *thread_name = ad_task_intern_thread_name ();
  AdTaskRegistry *registry;

  g_return_if_fail (AD_IS_TASK (self));

  ad_mutex_lock (&self->mutex);
  if (self->state != AD_TASK_STATE_PENDING)
    {
      ad_mutex_unlock (&self->mutex);
      g_critical ("Task “%s” started twice or after it finished", self->name);
      return;
    }
  self->state = AD_TASK_STATE_RUNNING;
  self->started = now;
  self->thread_name = thread_name;
  registry = self->registry;
  ad_mutex_unlock (&self->mutex);

  ad_task_registry_report (registry, self, AD_TASK_EVENT_STARTED, AD_TASK_STATE_RUNNING,
                           now, thread_name, TRUE);
}

/**
 * ad_task_set_progress:
 * @fraction: the fraction done, in [0, 1]
 *
 * Any thread; the "progress" notification comes with the next publish.
 */
void
ad_task_set_progress (AdTask *self,
                      double  fraction)
{
  AdTaskRegistry *registry = NULL;

  g_return_if_fail (AD_IS_TASK (self));

  fraction = CLAMP (fraction, 0.0, 1.0);

  ad_mutex_lock (&self->mutex);
  if (self->state < AD_TASK_STATE_SUCCEEDED && self->progress != fraction)
    {
      self->progress = fraction;
      /* Another thread may finish the task meanwhile, and the registry
       * let go of it: hold it for the report. */
      registry = g_object_ref (self->registry);
    }
  ad_mutex_unlock (&self->mutex);

  if (registry != NULL)
    {
      ad_task_registry_report (registry, self, AD_TASK_EVENT_STARTED, AD_TASK_STATE_RUNNING,
                               0, NULL, FALSE);
      g_object_unref (registry);
    }
}

/**
 * ad_task_finish:
 * @error: (nullable): why the operation failed, or %NULL for success
 *
 * Marks the task finished: succeeded without @error, cancelled with
 * %G_IO_ERROR_CANCELLED, failed otherwise (and timed out with
 * %G_IO_ERROR_TIMED_OUT). Any thread; exactly once.
 */
void
ad_task_finish (AdTask       *self,
                const GError *error)
{
  gint64 now = g_get_monotonic_time ();
  const char *thread_name = ad_task_intern_thread_name ();
  AdTaskRegistry *registry;
  AdTaskState state;

  g_return_if_fail (AD_IS_TASK (self));

  if (error == NULL)
    state = AD_TASK_STATE_SUCCEEDED;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    state = AD_TASK_STATE_CANCELLED;
  else
    state = AD_TASK_STATE_FAILED;

  ad_mutex_lock (&self->mutex);
  if (self->state >= AD_TASK_STATE_SUCCEEDED)
    {
      ad_mutex_unlock (&self->mutex);
      g_critical ("Task “%s” finished twice", self->name);
      return;
    }
  self->state = state;
  self->finished = now;
  if (self->thread_name == NULL)
    self->thread_name = thread_name;
  if (error != NULL)
    {
      self->error_message = g_strdup (error->message);
      self->timed_out = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    }
  registry = self->registry;
  ad_mutex_unlock (&self->mutex);

  /* After this call the registry may drop its last reference at any
   * time: do not touch it again. */
  ad_task_registry_report (registry, self, AD_TASK_EVENT_FINISHED, state, now, thread_name, TRUE);
}

static void
link_cancelled_cb (GCancellable *outer,
                   gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/**
 * ad_task_link_cancellable:
 * @outer: a cancellable the operation's caller passed
 *
 * Cancels the task's own cancellable when @outer is cancelled (at once if
 * it already is), so that the caller's cancellable and ad_task_cancel()
 * both stop the operation, while cancelling the task by id leaves the
 * caller's other operations alone. At most once per task.
 */
void
ad_task_link_cancellable (AdTask       *self,
                          GCancellable *outer)
{
  GCancellable *own;
  gulong handler;

  g_return_if_fail (AD_IS_TASK (self));
  g_return_if_fail (G_IS_CANCELLABLE (outer));
  g_return_if_fail (self->link_outer == NULL);

  own = ad_task_get_cancellable (self);
  g_return_if_fail (own != outer);

  handler = g_cancellable_connect (outer, G_CALLBACK (link_cancelled_cb),
                                   g_object_ref (own), g_object_unref);

  ad_mutex_lock (&self->mutex);
  self->link_outer = g_object_ref (outer);
  self->link_handler = handler;
  ad_mutex_unlock (&self->mutex);
}

/**
 * ad_task_cancel:
 *
 * Cancels the task and every unfinished task under it. Any thread.
 */
void
ad_task_cancel (AdTask *self)
{
  AdTaskRegistry *registry = NULL;

  g_return_if_fail (AD_IS_TASK (self));

  ad_mutex_lock (&self->mutex);
  if (self->registry != NULL)
    registry = g_object_ref (self->registry);
  ad_mutex_unlock (&self->mutex);

  if (registry != NULL)
    {
      ad_task_registry_cancel_subtree (registry, self);
      g_object_unref (registry);
    }
  else
    {
      g_cancellable_cancel (ad_task_get_cancellable (self));
    }
}

/**
 * ad_task_get_children:
 *
 * Returns: (transfer none): the tasks started under this one, live and
 *   finished, in creation order (as published: main thread only). Use it
 *   as the child function of a GtkTreeListModel.
 */
GListModel *
ad_task_get_children (AdTask *self)
{
  g_return_val_if_fail (AD_IS_TASK (self), NULL);

  ad_assert_main_thread ();

  if (self->children == NULL)
    self->children = ad_task_list_new ();

  return G_LIST_MODEL (self->children);
}

/**
 * ad_task_get_current:
 *
 * Like asyncio.current_task(): the task whose operation the calling thread
 * is starting right now (task groups set it around their start functions),
 * so that the operation can register its own sub-tasks under it.
 *
 * Returns: (transfer none) (nullable): the current task
 */
AdTask *
ad_task_get_current (void)
{
  return current_task;
}

/* What ad_task_push_current() pushed on this thread, so that the matching
 * pop reports LEFT to the registry that saw ENTERED, even if the task let
 * go of its registry in between (its finish was published). A fixed
 * depth: deeper nesting still works, it is only not reported. */
#define MAX_FRAMES 32

typedef struct
{
  AdTask         *task;
  AdTaskRegistry *registry;   /* owned; NULL when nobody listened */
} Frame;

static _Thread_local Frame frames[MAX_FRAMES];
static _Thread_local guint n_frames;

/**
 * ad_task_push_current:
 * @task: (nullable): the task to make current
 *
 * Makes @task current on this thread while its code runs: a start
 * function, or the continuation of an operation it awaited. Registry
 * listeners see %AD_TASK_EVENT_ENTERED here and %AD_TASK_EVENT_LEFT at the
 * matching ad_task_pop_current(), which is how a timeline knows when a
 * task's code ran on which thread. Calls nest and must pair up.
 *
 * Returns: (transfer none) (nullable): the previous current task: give it
 *   to ad_task_pop_current()
 */
AdTask *
ad_task_push_current (AdTask *task)
{
  AdTask *previous = current_task;

  g_return_val_if_fail (task == NULL || AD_IS_TASK (task), previous);

  if (n_frames < MAX_FRAMES)
    {
      Frame *frame = &frames[n_frames];
      AdTaskState state = AD_TASK_STATE_PENDING;

      frame->task = task;
      frame->registry = NULL;
      if (task != NULL)
        {
          ad_mutex_lock (&task->mutex);
          if (task->registry != NULL && ad_task_registry_has_listeners (task->registry))
            frame->registry = g_object_ref (task->registry);
          state = task->state;
          ad_mutex_unlock (&task->mutex);
        }
      if (frame->registry != NULL)
        ad_task_registry_notify (frame->registry, task, AD_TASK_EVENT_ENTERED, state,
                                 g_get_monotonic_time (), ad_task_intern_thread_name ());
    }
  n_frames++;

  current_task = task;

  return previous;
}

/**
 * ad_task_pop_current:
 * @previous: (nullable): what the matching ad_task_push_current() returned
 */
void
ad_task_pop_current (AdTask *previous)
{
  g_return_if_fail (n_frames > 0);

  n_frames--;
  if (n_frames < MAX_FRAMES && frames[n_frames].registry != NULL)
    {
      Frame frame = frames[n_frames];

      frames[n_frames] = (Frame) { NULL, NULL };
      ad_task_registry_notify (frame.registry, frame.task, AD_TASK_EVENT_LEFT,
                               ad_task_get_state (frame.task), g_get_monotonic_time (),
                               ad_task_intern_thread_name ());
      /* The task or its owner holds the registry too (the default one is
       * never freed): this is not the last reference. */
      g_object_unref (frame.registry);
    }

  current_task = previous;
}

/* Main thread, from the registry's publish. */
void
ad_task_publish_notify (AdTask *self)
{
  AdTaskState state;
  double progress;
  gint64 started, finished;

  ad_mutex_lock (&self->mutex);
  state = self->state;
  progress = self->progress;
  started = self->started;
  finished = self->finished;
  ad_mutex_unlock (&self->mutex);

  if (state == self->pub_state && progress == self->pub_progress &&
      started == self->pub_started && finished == self->pub_finished)
    return;

  /* Most tasks are never shown: skip the notify machinery for them. */
  if (g_signal_handler_find (self, G_SIGNAL_MATCH_ID, notify_signal_id, 0, NULL, NULL, NULL) == 0)
    {
      self->pub_state = state;
      self->pub_progress = progress;
      self->pub_started = started;
      self->pub_finished = finished;
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (state != self->pub_state)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (progress != self->pub_progress)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  if (started != self->pub_started)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED_TIME]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREAD_NAME]);
    }
  if (finished != self->pub_finished)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED_TIME]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMED_OUT]);
    }
  self->pub_state = state;
  self->pub_progress = progress;
  self->pub_started = started;
  self->pub_finished = finished;
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
ad_task_kind_to_string (AdTaskKind kind)
{
  switch (kind)
    {
    case AD_TASK_KIND_TIMER: return "timer";
    case AD_TASK_KIND_IO: return "io";
    case AD_TASK_KIND_CPU: return "cpu";
    case AD_TASK_KIND_PROCESS: return "process";
    case AD_TASK_KIND_SERVER: return "server";
    case AD_TASK_KIND_GROUP: return "group";
    default: return "unknown";
    }
}

const char *
ad_task_state_to_string (AdTaskState state)
{
  switch (state)
    {
    case AD_TASK_STATE_PENDING: return "pending";
    case AD_TASK_STATE_RUNNING: return "running";
    case AD_TASK_STATE_SUCCEEDED: return "succeeded";
    case AD_TASK_STATE_FAILED: return "failed";
    case AD_TASK_STATE_CANCELLED: return "cancelled";
    default: return "unknown";
    }
}
