/* ad-task-registry.c: every operation the app starts, as a live model
 *
 * Two sides, as in AdLogModel:
 *
 *  - Recording (any thread): ad_task_registry_create(), ad_task_start(),
 *    ad_task_set_progress() and ad_task_finish() change the task under its
 *    own lock, then take the registry's lock only to put the task on the
 *    dirty list (once per publish) and, the first time after a publish,
 *    to set the ready time of the registry's publish source. No allocation
 *    and no main-loop wake-up per event.
 *  - Publishing (the registry's main thread): the publish source is one
 *    persistent GSource at G_PRIORITY_LOW whose ready time is set to
 *    max(now, last publish + publish-interval). Its dispatch takes the
 *    dirty list and, in one pass, appends new tasks to the live, root and
 *    parents' children models, moves finished tasks from the live models
 *    to the bounded history, and emits the tasks' property notifications.
 *    A burst of ten thousand events between two publishes costs a handful
 *    of items-changed emissions.
 *
 * Listeners (for a trace recorder) are called synchronously on the
 * reporting thread. An atomic count keeps the path free when there are
 * none; a GRWLock keeps adding and removing listeners safe while threads
 * report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Tasks"

#include "config.h"

#include "ad-debug.h"
#include "ad-source.h"
#include "ad-thread.h"
#include "ad-task-private.h"
#include "ad-tsan.h"

typedef struct
{
  guint           id;
  AdTaskEventFunc func;
  gpointer        user_data;
  GDestroyNotify  destroy;
} Listener;

struct _AdTaskRegistry
{
  GObject       parent_instance;

  /* Main thread */
  GThread      *owner;
  GMainContext *context;
  GSource      *publish_source;
  AdTaskList   *live;
  AdTaskList   *roots;
  AdTaskList   *history;
  guint         history_size;
  guint         n_live_published;
  guint64       n_publishes;

  /* Guarded by mutex */
  GMutex        mutex;
  GHashTable   *live_by_id;      /* id → AdTask (borrowed: the live models or dirty list hold it) */
  GPtrArray    *dirty;           /* AdTask, owned */
  guint64       next_id;
  guint64       n_created;
  gboolean      publish_scheduled;
  gint64        last_publish;
  guint         publish_interval_ms;

  /* Listeners */
  GRWLock       listeners_lock;
  GArray       *listeners;
  gint          n_listeners;     /* atomic */
  guint         next_listener_id;
};

G_DEFINE_FINAL_TYPE (AdTaskRegistry, ad_task_registry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_LIVE,
  PROP_HISTORY_SIZE,
  PROP_PUBLISH_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean publish_cb (gpointer user_data);

static gboolean
publish_source_dispatch (GSource     *source,
                         GSourceFunc  callback,
                         gpointer     user_data)
{
  g_source_set_ready_time (source, -1);

  return callback (user_data);
}

static GSourceFuncs publish_source_funcs = {
  .dispatch = publish_source_dispatch,
};

static void
listener_clear (gpointer data)
{
  Listener *listener = data;

  if (listener->destroy != NULL)
    listener->destroy (listener->user_data);
}

static void
break_tree (AdTaskList *list)
{
  for (guint i = 0; i < ad_task_list_get_length (list); i++)
    {
      AdTask *task = ad_task_list_peek (list, i);

      if (task->children != NULL)
        {
          break_tree (task->children);
          ad_task_list_clear (task->children);
        }
    }
}

static void
ad_task_registry_dispose (GObject *object)
{
  AdTaskRegistry *self = AD_TASK_REGISTRY (object);

  if (self->publish_source != NULL)
    {
      g_source_destroy (self->publish_source);
      g_clear_pointer (&self->publish_source, g_source_unref);
    }

  /* Children lists hold children that hold their parents: break the
   * cycles of everything the registry still shows. */
  if (self->history != NULL)
    {
      break_tree (self->history);
      ad_task_list_clear (self->history);
    }
  if (self->live != NULL)
    {
      break_tree (self->live);
      ad_task_list_clear (self->live);
    }
  if (self->roots != NULL)
    ad_task_list_clear (self->roots);

  G_OBJECT_CLASS (ad_task_registry_parent_class)->dispose (object);
}

static void
ad_task_registry_finalize (GObject *object)
{
  AdTaskRegistry *self = AD_TASK_REGISTRY (object);

  g_clear_object (&self->live);
  g_clear_object (&self->roots);
  g_clear_object (&self->history);
  g_hash_table_unref (self->live_by_id);
  g_ptr_array_unref (self->dirty);
  g_array_unref (self->listeners);
  g_rw_lock_clear (&self->listeners_lock);
  g_mutex_clear (&self->mutex);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (ad_task_registry_parent_class)->finalize (object);
}

static void
ad_task_registry_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AdTaskRegistry *self = AD_TASK_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_N_LIVE:
      g_value_set_uint (value, self->n_live_published);
      break;
    case PROP_HISTORY_SIZE:
      g_value_set_uint (value, self->history_size);
      break;
    case PROP_PUBLISH_INTERVAL:
      g_value_set_uint (value, ad_task_registry_get_publish_interval (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_task_registry_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AdTaskRegistry *self = AD_TASK_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_HISTORY_SIZE:
      ad_task_registry_set_history_size (self, g_value_get_uint (value));
      break;
    case PROP_PUBLISH_INTERVAL:
      ad_task_registry_set_publish_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_task_registry_class_init (AdTaskRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ad_task_registry_dispose;
  object_class->finalize = ad_task_registry_finalize;
  object_class->get_property = ad_task_registry_get_property;
  object_class->set_property = ad_task_registry_set_property;

  /**
   * AdTaskRegistry:n-live:
   *
   * The number of unfinished tasks, as published.
   */
  properties[PROP_N_LIVE] =
    g_param_spec_uint ("n-live", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY_SIZE] =
    g_param_spec_uint ("history-size", NULL, NULL, 0, 1000000,
                       AD_TASK_REGISTRY_DEFAULT_HISTORY_SIZE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PUBLISH_INTERVAL] =
    g_param_spec_uint ("publish-interval", NULL, NULL, 0, 10000,
                       AD_TASK_REGISTRY_DEFAULT_PUBLISH_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
attach_publish_source (AdTaskRegistry *self)
{
  /* The source calls back with a plain pointer: dispose destroys it. */
  self->publish_source = g_source_new (&publish_source_funcs, sizeof (GSource));
  g_source_set_priority (self->publish_source, G_PRIORITY_LOW);
  g_source_set_name (self->publish_source, "[async-demo] task registry publish");
  ad_source_set_callback_traced (self->publish_source, publish_cb, self, NULL);
  g_source_set_ready_time (self->publish_source, -1);
  g_source_attach (self->publish_source, self->context);
}

static void
ad_task_registry_init (AdTaskRegistry *self)
{
  g_mutex_init (&self->mutex);
  g_rw_lock_init (&self->listeners_lock);
  self->owner = g_thread_self ();
  self->context = g_main_context_ref_thread_default ();
  self->live = ad_task_list_new ();
  self->roots = ad_task_list_new ();
  self->history = ad_task_list_new ();
  self->history_size = AD_TASK_REGISTRY_DEFAULT_HISTORY_SIZE;
  self->publish_interval_ms = AD_TASK_REGISTRY_DEFAULT_PUBLISH_INTERVAL_MS;
  self->live_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->dirty = g_ptr_array_new_with_free_func (g_object_unref);
  self->next_id = 1;
  self->listeners = g_array_new (FALSE, FALSE, sizeof (Listener));
  g_array_set_clear_func (self->listeners, listener_clear);

  attach_publish_source (self);
}

/**
 * ad_task_registry_get_default:
 *
 * The process-wide registry, whose models belong to the main thread and
 * publish on the global default main context. ad_core_init() creates it
 * on the main thread; later calls may come from any thread.
 *
 * Returns: (transfer none): the default registry
 */
AdTaskRegistry *
ad_task_registry_get_default (void)
{
  static AdTaskRegistry *default_registry;

  if (g_once_init_enter (&default_registry))
    {
      AdTaskRegistry *registry = ad_task_registry_new (AD_TASK_REGISTRY_DEFAULT_HISTORY_SIZE);

      /* Publish on the global default context, whichever context is the
       * thread default here (ad_core_init() calls this on the main thread
       * before any loop runs). */
      g_source_destroy (registry->publish_source);
      g_source_unref (registry->publish_source);
      g_main_context_unref (registry->context);
      registry->context = g_main_context_ref (g_main_context_default ());
      attach_publish_source (registry);

      g_once_init_leave (&default_registry, registry);
    }

  return default_registry;
}

/**
 * ad_task_registry_new:
 * @history_size: how many finished tasks to keep
 *
 * Creates a private registry (for tests) whose models belong to the
 * calling thread and its thread-default main context.
 */
AdTaskRegistry *
ad_task_registry_new (guint history_size)
{
  return g_object_new (AD_TYPE_TASK_REGISTRY, "history-size", history_size, NULL);
}

static void
schedule_publish_locked (AdTaskRegistry *self,
                         gint64          now)
{
  gint64 ready;

  if (self->publish_scheduled || self->publish_source == NULL)
    return;

  self->publish_scheduled = TRUE;
  ready = self->last_publish + self->publish_interval_ms * (gint64) 1000;
  g_source_set_ready_time (self->publish_source, MAX (ready, now));
}

static void
call_listeners (AdTaskRegistry  *self,
                AdTask          *task,
                AdTaskEventType  type,
                AdTaskState      state,
                gint64           time_us,
                const char      *thread_name)
{
  AdTaskEvent event = {
    .type = type,
    .task = task,
    .task_id = task->id,
    .parent_id = task->parent ? task->parent->id : 0,
    .state = state,
    .time_us = time_us,
    .thread_name = thread_name,
  };

  g_rw_lock_reader_lock (&self->listeners_lock);
  AD_TSAN_ACQUIRE (&self->listeners_lock);
  for (guint i = 0; i < self->listeners->len; i++)
    {
      Listener *listener = &g_array_index (self->listeners, Listener, i);

      listener->func (&event, listener->user_data);
    }
  AD_TSAN_RELEASE (&self->listeners_lock);
  g_rw_lock_reader_unlock (&self->listeners_lock);
}

/* Any thread: whether anyone listens (a hint: one may come or go now). */
gboolean
ad_task_registry_has_listeners (AdTaskRegistry *self)
{
  return g_atomic_int_get (&self->n_listeners) > 0;
}

/* Any thread: tells the listeners only (entered and left events, which
 * change nothing the models show). */
void
ad_task_registry_notify (AdTaskRegistry  *self,
                         AdTask          *task,
                         AdTaskEventType  type,
                         AdTaskState      state,
                         gint64           time_us,
                         const char      *thread_name)
{
  if (g_atomic_int_get (&self->n_listeners) > 0)
    call_listeners (self, task, type, state, time_us, thread_name);
}

/* Any thread: queues @task for the next publish. */
void
ad_task_registry_report (AdTaskRegistry  *self,
                         AdTask          *task,
                         AdTaskEventType  type,
                         AdTaskState      state,
                         gint64           time_us,
                         const char      *thread_name,
                         gboolean         notify_listeners)
{
  if (notify_listeners && g_atomic_int_get (&self->n_listeners) > 0)
    call_listeners (self, task, type, state, time_us, thread_name);

  ad_mutex_lock (&self->mutex);
  if (type == AD_TASK_EVENT_FINISHED)
    {
      gint64 id = task->id;

      g_hash_table_remove (self->live_by_id, &id);
    }
  if (!task->queued)
    {
      task->queued = TRUE;
      g_ptr_array_add (self->dirty, g_object_ref (task));
    }
  schedule_publish_locked (self, time_us > 0 ? time_us : g_get_monotonic_time ());
  ad_mutex_unlock (&self->mutex);
}

/**
 * ad_task_registry_create:
 * @name: what the task does, shown to the user ("GET /index.html")
 * @kind: what it waits on
 * @parent: (nullable): the task it runs under
 * @cancellable: (nullable): the operation's own cancellable, which
 *   cancelling the task cancels; %NULL to let the task create one on
 *   demand (see ad_task_get_cancellable() and ad_task_link_cancellable())
 *
 * Registers a pending task. Any thread.
 *
 * Returns: (transfer full): the task
 */
AdTask *
ad_task_registry_create (AdTaskRegistry *self,
                         const char     *name,
                         AdTaskKind      kind,
                         AdTask         *parent,
                         GCancellable   *cancellable)
{
  AdTask *task;
  guint64 id;

  g_return_val_if_fail (AD_IS_TASK_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (!parent || AD_IS_TASK (parent), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  ad_mutex_lock (&self->mutex);
  id = self->next_id++;
  self->n_created++;
  ad_mutex_unlock (&self->mutex);

  task = ad_task_new_internal (self, id, name, kind, parent, cancellable);

  if (g_atomic_int_get (&self->n_listeners) > 0)
    call_listeners (self, task, AD_TASK_EVENT_CREATED, AD_TASK_STATE_PENDING, task->created,
                    ad_task_intern_thread_name ());

  ad_mutex_lock (&self->mutex);
  g_hash_table_insert (self->live_by_id, &task->id, task);
  task->queued = TRUE;
  g_ptr_array_add (self->dirty, g_object_ref (task));
  schedule_publish_locked (self, task->created);
  ad_mutex_unlock (&self->mutex);

  return task;
}

static gboolean
is_retired (gpointer item)
{
  return AD_TASK (item)->retired;
}

static void
publish (AdTaskRegistry *self)
{
  g_autoptr(GPtrArray) dirty = NULL;
  g_autoptr(GPtrArray) appeared = g_ptr_array_new ();
  g_autoptr(GPtrArray) appeared_roots = g_ptr_array_new ();
  g_autoptr(GPtrArray) finished = g_ptr_array_new ();
  g_autoptr(GPtrArray) evicted = NULL;
  gboolean any_retired = FALSE;
  guint n_live;

  ad_mutex_lock (&self->mutex);
  dirty = g_steal_pointer (&self->dirty);
  self->dirty = g_ptr_array_new_full (MAX (dirty->len, 16), g_object_unref);
  for (guint i = 0; i < dirty->len; i++)
    AD_TASK (g_ptr_array_index (dirty, i))->queued = FALSE;
  self->publish_scheduled = FALSE;
  self->last_publish = g_get_monotonic_time ();
  ad_mutex_unlock (&self->mutex);

  self->n_publishes++;

  for (guint i = 0; i < dirty->len; i++)
    {
      AdTask *task = g_ptr_array_index (dirty, i);
      gboolean done;

      ad_mutex_lock (&task->mutex);
      done = task->state >= AD_TASK_STATE_SUCCEEDED;
      ad_mutex_unlock (&task->mutex);

      if (!task->appeared)
        {
          task->appeared = TRUE;
          if (task->parent != NULL)
            {
              if (task->parent->children == NULL)
                task->parent->children = ad_task_list_new ();
              ad_task_list_append_many (task->parent->children, (gpointer *) &task, 1);
            }
          if (!done)
            {
              g_ptr_array_add (appeared, task);
              if (task->parent == NULL)
                g_ptr_array_add (appeared_roots, task);
            }
        }

      if (done && !task->retired)
        {
          task->retired = TRUE;
          any_retired = TRUE;
          g_ptr_array_add (finished, task);
        }
    }

  /* Finished tasks leave the live models (they may have appeared in an
   * earlier publish), new ones join, finished ones go to the history. */
  if (any_retired)
    {
      ad_task_list_remove_if (self->live, is_retired);
      ad_task_list_remove_if (self->roots, is_retired);
    }
  ad_task_list_append_many (self->live, appeared->pdata, appeared->len);
  ad_task_list_append_many (self->roots, appeared_roots->pdata, appeared_roots->len);
  ad_task_list_append_many (self->history, finished->pdata, finished->len);

  evicted = ad_task_list_trim_head (self->history, self->history_size);
  for (guint i = 0; i < evicted->len; i++)
    {
      AdTask *task = g_ptr_array_index (evicted, i);

      if (task->children != NULL)
        ad_task_list_clear (task->children);
    }

  for (guint i = 0; i < dirty->len; i++)
    ad_task_publish_notify (g_ptr_array_index (dirty, i));

  /* A retired task no longer reports: it lets go of the registry here, on
   * the main thread. The dirty list still holds the task itself. */
  for (guint i = 0; i < finished->len; i++)
    {
      AdTask *task = g_ptr_array_index (finished, i);
      AdTaskRegistry *registry;

      ad_mutex_lock (&task->mutex);
      registry = g_steal_pointer (&task->registry);
      ad_mutex_unlock (&task->mutex);
      /* The caller holds a reference: this is never the last one. */
      g_object_unref (registry);
    }

  n_live = ad_task_list_get_length (self->live);
  if (n_live != self->n_live_published)
    {
      self->n_live_published = n_live;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_LIVE]);
    }
}

static gboolean
publish_cb (gpointer user_data)
{
  AdTaskRegistry *self = g_object_ref (user_data);

  publish (self);
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

/**
 * ad_task_registry_flush:
 *
 * Publishes what was recorded now, instead of at the next tick. Main thread.
 */
void
ad_task_registry_flush (AdTaskRegistry *self)
{
  g_return_if_fail (AD_IS_TASK_REGISTRY (self));

  ad_debug_check_thread (self->owner, G_STRFUNC);

  g_object_ref (self);
  publish (self);
  g_object_unref (self);
}

/**
 * ad_task_registry_get_live:
 *
 * Returns: (transfer none): a #GListModel of the unfinished #AdTask, in
 *   creation order; it changes only on the main thread, when the registry
 *   publishes
 */
GListModel *
ad_task_registry_get_live (AdTaskRegistry *self)
{
  g_return_val_if_fail (AD_IS_TASK_REGISTRY (self), NULL);

  ad_debug_check_thread (self->owner, G_STRFUNC);

  return G_LIST_MODEL (self->live);
}

/**
 * ad_task_registry_get_roots:
 *
 * Returns: (transfer none): a #GListModel of the unfinished #AdTask that
 *   have no parent: the root of the live task tree
 */
GListModel *
ad_task_registry_get_roots (AdTaskRegistry *self)
{
  g_return_val_if_fail (AD_IS_TASK_REGISTRY (self), NULL);

  ad_debug_check_thread (self->owner, G_STRFUNC);

  return G_LIST_MODEL (self->roots);
}

/**
 * ad_task_registry_get_history:
 *
 * Returns: (transfer none): a #GListModel of the last
 *   #AdTaskRegistry:history-size finished #AdTask, oldest first
 */
GListModel *
ad_task_registry_get_history (AdTaskRegistry *self)
{
  g_return_val_if_fail (AD_IS_TASK_REGISTRY (self), NULL);

  ad_debug_check_thread (self->owner, G_STRFUNC);

  return G_LIST_MODEL (self->history);
}

void
ad_task_registry_set_history_size (AdTaskRegistry *self,
                                   guint           history_size)
{
  g_autoptr(GPtrArray) evicted = NULL;

  g_return_if_fail (AD_IS_TASK_REGISTRY (self));

  ad_debug_check_thread (self->owner, G_STRFUNC);

  if (self->history_size == history_size)
    return;

  self->history_size = history_size;
  evicted = ad_task_list_trim_head (self->history, history_size);
  for (guint i = 0; i < evicted->len; i++)
    {
      AdTask *task = g_ptr_array_index (evicted, i);

      if (task->children != NULL)
        ad_task_list_clear (task->children);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY_SIZE]);
}

guint
ad_task_registry_get_publish_interval (AdTaskRegistry *self)
{
  guint ret;

  g_return_val_if_fail (AD_IS_TASK_REGISTRY (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->publish_interval_ms;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_task_registry_set_publish_interval:
 * @interval_ms: the shortest time between two publishes; 0 publishes in
 *   the next main-loop iteration after any event
 */
void
ad_task_registry_set_publish_interval (AdTaskRegistry *self,
                                       guint           interval_ms)
{
  gboolean changed;

  g_return_if_fail (AD_IS_TASK_REGISTRY (self));

  ad_mutex_lock (&self->mutex);
  changed = self->publish_interval_ms != interval_ms;
  self->publish_interval_ms = interval_ms;
  ad_mutex_unlock (&self->mutex);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLISH_INTERVAL]);
}

/**
 * ad_task_registry_get_n_publishes:
 *
 * Returns: how many times the models were published (to see coalescing)
 */
guint64
ad_task_registry_get_n_publishes (AdTaskRegistry *self)
{
  g_return_val_if_fail (AD_IS_TASK_REGISTRY (self), 0);

  return self->n_publishes;
}

/**
 * ad_task_registry_get_n_live:
 *
 * Returns: the number of unfinished tasks now (not as published). Any thread.
 */
guint
ad_task_registry_get_n_live (AdTaskRegistry *self)
{
  guint ret;

  g_return_val_if_fail (AD_IS_TASK_REGISTRY (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = g_hash_table_size (self->live_by_id);
  ad_mutex_unlock (&self->mutex);

  return ret;
}

guint64
ad_task_registry_get_n_created (AdTaskRegistry *self)
{
  guint64 ret;

  g_return_val_if_fail (AD_IS_TASK_REGISTRY (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->n_created;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_task_registry_lookup:
 * @id: a task id
 *
 * Returns: (transfer full) (nullable): the unfinished task with that id
 */
AdTask *
ad_task_registry_lookup (AdTaskRegistry *self,
                         guint64         id)
{
  gint64 key = id;
  AdTask *task;

  g_return_val_if_fail (AD_IS_TASK_REGISTRY (self), NULL);

  ad_mutex_lock (&self->mutex);
  task = g_hash_table_lookup (self->live_by_id, &key);
  if (task != NULL)
    g_object_ref (task);
  ad_mutex_unlock (&self->mutex);

  return task;
}

static gboolean
is_descendant (AdTask *task,
               AdTask *ancestor)
{
  for (AdTask *t = task; t != NULL; t = t->parent)
    if (t == ancestor)
      return TRUE;

  return FALSE;
}

void
ad_task_registry_cancel_subtree (AdTaskRegistry *self,
                                 AdTask         *task)
{
  g_autoptr(GPtrArray) victims = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  ad_mutex_lock (&self->mutex);
  g_hash_table_iter_init (&iter, self->live_by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (is_descendant (value, task))
      g_ptr_array_add (victims, g_object_ref (value));
  ad_mutex_unlock (&self->mutex);

  g_cancellable_cancel (ad_task_get_cancellable (task));
  for (guint i = 0; i < victims->len; i++)
    g_cancellable_cancel (ad_task_get_cancellable (g_ptr_array_index (victims, i)));
}

/**
 * ad_task_registry_cancel:
 * @id: the id of an unfinished task
 *
 * Cancels the task and every unfinished task under it. Any thread.
 *
 * Returns: %TRUE if a live task had that id
 */
gboolean
ad_task_registry_cancel (AdTaskRegistry *self,
                         guint64         id)
{
  g_autoptr(AdTask) task = ad_task_registry_lookup (self, id);

  if (task == NULL)
    return FALSE;

  ad_task_registry_cancel_subtree (self, task);

  return TRUE;
}

/**
 * ad_task_registry_add_listener:
 * @func: called on the reporting thread for every created, started and
 *   finished task: keep it short, thread-safe and out of the registry
 *
 * Returns: an id for ad_task_registry_remove_listener()
 */
guint
ad_task_registry_add_listener (AdTaskRegistry  *self,
                               AdTaskEventFunc  func,
                               gpointer         user_data,
                               GDestroyNotify   destroy)
{
  Listener listener = { 0, func, user_data, destroy };

  g_return_val_if_fail (AD_IS_TASK_REGISTRY (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  g_rw_lock_writer_lock (&self->listeners_lock);
  AD_TSAN_ACQUIRE (&self->listeners_lock);
  listener.id = ++self->next_listener_id;
  g_array_append_val (self->listeners, listener);
  g_atomic_int_set (&self->n_listeners, self->listeners->len);
  AD_TSAN_RELEASE (&self->listeners_lock);
  g_rw_lock_writer_unlock (&self->listeners_lock);

  return listener.id;
}

void
ad_task_registry_remove_listener (AdTaskRegistry *self,
                                  guint           listener_id)
{
  g_return_if_fail (AD_IS_TASK_REGISTRY (self));

  g_rw_lock_writer_lock (&self->listeners_lock);
  AD_TSAN_ACQUIRE (&self->listeners_lock);
  for (guint i = 0; i < self->listeners->len; i++)
    {
      if (g_array_index (self->listeners, Listener, i).id == listener_id)
        {
          g_array_remove_index (self->listeners, i);
          break;
        }
    }
  g_atomic_int_set (&self->n_listeners, self->listeners->len);
  AD_TSAN_RELEASE (&self->listeners_lock);
  g_rw_lock_writer_unlock (&self->listeners_lock);
}

/**
 * ad_task_registry_report_unfinished:
 *
 * Lists every task that has not finished (with g_message), for the debug
 * mode's report at shutdown.
 *
 * Returns: how many there are
 */
guint
ad_task_registry_report_unfinished (AdTaskRegistry *self)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (AD_IS_TASK_REGISTRY (self), 0);

  ad_mutex_lock (&self->mutex);
  g_hash_table_iter_init (&iter, self->live_by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (tasks, g_object_ref (value));
  ad_mutex_unlock (&self->mutex);

  for (guint i = 0; i < tasks->len; i++)
    {
      AdTask *task = g_ptr_array_index (tasks, i);

      g_message ("Task %" G_GUINT64_FORMAT " “%s” (%s) never finished: %s for %.1f s",
                 task->id, task->name, ad_task_kind_to_string (task->kind),
                 ad_task_state_to_string (ad_task_get_state (task)),
                 (now - task->created) / (double) G_USEC_PER_SEC);
    }

  return tasks->len;
}
