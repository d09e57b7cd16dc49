/* ad-limiter.c: at most N operations at once (asyncio.Semaphore)
 *
 * A counter and a GQueue of waiting GTasks, all owned by one main context.
 * A waiter's cancellation is watched with a GCancellableSource on that
 * context, so removing it from the queue never races with granting it a
 * slot: both happen on the same thread. Granting returns the waiter's
 * GTask; since it was created in an earlier iteration, GTask calls back
 * right away, in FIFO order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Core"

#include "config.h"

#include "ad-debug.h"
#include "ad-limiter.h"

struct _AdLimiter
{
  GObject  parent_instance;

  GThread *owner;
  guint    limit;
  guint    n_running;
  guint    max_running;
  GQueue   waiters;          /* GTask, owned */
};

typedef struct
{
  GList   *link;             /* in waiters */
  GSource *cancel;
} Waiter;

G_DEFINE_FINAL_TYPE (AdLimiter, ad_limiter, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LIMIT,
  PROP_N_RUNNING,
  PROP_N_WAITING,
  PROP_MAX_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel != NULL)
    {
      g_source_destroy (waiter->cancel);
      g_source_unref (waiter->cancel);
    }
  g_free (waiter);
}

static void
set_n_running (AdLimiter *self,
               guint      n_running)
{
  if (self->n_running == n_running)
    return;

  self->n_running = n_running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);

  if (n_running > self->max_running)
    {
      self->max_running = n_running;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RUNNING]);
    }
}

/* Hands free slots to the oldest waiters. */
static void
admit_waiters (AdLimiter *self)
{
  gboolean admitted = FALSE;

  while (self->n_running < self->limit && !g_queue_is_empty (&self->waiters))
    {
      g_autoptr(GTask) task = g_queue_pop_head (&self->waiters);

      /* Drops the cancel source: the waiter now holds a slot. */
      g_task_set_task_data (task, NULL, NULL);
      set_n_running (self, self->n_running + 1);
      admitted = TRUE;
      g_task_return_boolean (task, TRUE);
    }

  if (admitted)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WAITING]);
}

static void
ad_limiter_dispose (GObject *object)
{
  AdLimiter *self = AD_LIMITER (object);
  GTask *task;

  /* Waiters hold the limiter as source object: none is left here unless
   * dispose was forced. Fail them rather than leak them. */
  while ((task = g_queue_pop_head (&self->waiters)) != NULL)
    {
      g_task_set_task_data (task, NULL, NULL);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The limiter was disposed");
      g_object_unref (task);
    }

  G_OBJECT_CLASS (ad_limiter_parent_class)->dispose (object);
}

static void
ad_limiter_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  AdLimiter *self = AD_LIMITER (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      g_value_set_uint (value, self->limit);
      break;
    case PROP_N_RUNNING:
      g_value_set_uint (value, self->n_running);
      break;
    case PROP_N_WAITING:
      g_value_set_uint (value, self->waiters.length);
      break;
    case PROP_MAX_RUNNING:
      g_value_set_uint (value, self->max_running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_limiter_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  AdLimiter *self = AD_LIMITER (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      ad_limiter_set_limit (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_limiter_class_init (AdLimiterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ad_limiter_dispose;
  object_class->get_property = ad_limiter_get_property;
  object_class->set_property = ad_limiter_set_property;

  properties[PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL, 1, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_RUNNING] = g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_WAITING] = g_param_spec_uint ("n-waiting", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_MAX_RUNNING] =
    g_param_spec_uint ("max-running", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ad_limiter_init (AdLimiter *self)
{
  self->owner = g_thread_self ();
  self->limit = 1;
  g_queue_init (&self->waiters);
}

/**
 * ad_limiter_new:
 * @limit: how many operations may hold a slot at once (at least 1)
 */
AdLimiter *
ad_limiter_new (guint limit)
{
  g_return_val_if_fail (limit > 0, NULL);

  return g_object_new (AD_TYPE_LIMITER, "limit", limit, NULL);
}

guint
ad_limiter_get_limit (AdLimiter *self)
{
  g_return_val_if_fail (AD_IS_LIMITER (self), 0);

  return self->limit;
}

void
ad_limiter_set_limit (AdLimiter *self,
                      guint      limit)
{
  g_return_if_fail (AD_IS_LIMITER (self));
  g_return_if_fail (limit > 0);

  ad_debug_check_thread (self->owner, G_STRFUNC);

  if (self->limit == limit)
    return;

  self->limit = limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIMIT]);
  admit_waiters (self);
}

guint
ad_limiter_get_n_running (AdLimiter *self)
{
  g_return_val_if_fail (AD_IS_LIMITER (self), 0);

  return self->n_running;
}

guint
ad_limiter_get_n_waiting (AdLimiter *self)
{
  g_return_val_if_fail (AD_IS_LIMITER (self), 0);

  return self->waiters.length;
}

/**
 * ad_limiter_get_max_running:
 *
 * Returns: the most slots ever held at once
 */
guint
ad_limiter_get_max_running (AdLimiter *self)
{
  g_return_val_if_fail (AD_IS_LIMITER (self), 0);

  return self->max_running;
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  AdLimiter *self = g_task_get_source_object (task);
  Waiter *waiter = g_task_get_task_data (task);

  g_queue_delete_link (&self->waiters, waiter->link);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WAITING]);

  g_task_return_error_if_cancelled (task);
  /* Destroys this source: the task holds the only reference to it. */
  g_task_set_task_data (task, NULL, NULL);
  g_object_unref (task);  /* the queue's reference */

  return G_SOURCE_REMOVE;
}

/**
 * ad_limiter_acquire_async:
 * @cancellable: (nullable): gives up waiting
 *
 * Waits for a free slot, in FIFO order.
 */
void
ad_limiter_acquire_async (AdLimiter           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Waiter *waiter;

  g_return_if_fail (AD_IS_LIMITER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  ad_debug_check_thread (self->owner, G_STRFUNC);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_limiter_acquire_async);
  g_task_set_name (task, "[async-demo] limiter acquire");
  /* A granted slot stays granted: the caller must release it. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->n_running < self->limit && g_queue_is_empty (&self->waiters))
    {
      set_n_running (self, self->n_running + 1);
      g_task_return_boolean (task, TRUE);
      return;
    }

  waiter = g_new0 (Waiter, 1);
  g_queue_push_tail (&self->waiters, g_object_ref (task));
  waiter->link = self->waiters.tail;
  g_task_set_task_data (task, waiter, (GDestroyNotify) waiter_free);

  if (cancellable != NULL)
    {
      waiter->cancel = g_cancellable_source_new (cancellable);
      g_source_set_name (waiter->cancel, "[async-demo] limiter waiter cancel");
      g_source_set_callback (waiter->cancel, G_SOURCE_FUNC (waiter_cancelled_cb), task, NULL);
      g_source_attach (waiter->cancel, g_task_get_context (task));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WAITING]);
}

/**
 * ad_limiter_acquire_finish:
 *
 * Returns: %TRUE when the caller holds a slot (and must release it);
 *   %FALSE with %G_IO_ERROR_CANCELLED when it gave up waiting
 */
gboolean
ad_limiter_acquire_finish (AdLimiter     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_limiter_acquire_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ad_limiter_release:
 *
 * Gives back a slot that an acquire granted; the oldest waiter gets it.
 */
void
ad_limiter_release (AdLimiter *self)
{
  g_return_if_fail (AD_IS_LIMITER (self));
  g_return_if_fail (self->n_running > 0);

  ad_debug_check_thread (self->owner, G_STRFUNC);

  set_n_running (self, self->n_running - 1);
  admit_waiters (self);
}

/* ---- ad_limiter_run_async --------------------------------------------- */

typedef struct
{
  AdAsyncStartFunc   start;
  AdAsyncFinishFunc  finish;
  gpointer           op_data;
} LimitedRun;

static void
limited_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdLimiter *self = g_task_get_source_object (task);
  LimitedRun *run = g_task_get_task_data (task);
  GValue *value = g_new0 (GValue, 1);
  GError *error = NULL;
  gboolean ok;

  /* Finish first: the operation is over only once its result is taken.
   * Releasing may start the next waiter's operation right away. */
  ok = run->finish (source, result, value, &error, run->op_data);
  ad_limiter_release (self);

  if (ok)
    {
      ad_async_return_value (task, value);
    }
  else
    {
      ad_async_value_free (value);
      g_task_return_error (task, error);
    }
}

static void
limited_acquired_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LimitedRun *run = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  if (!ad_limiter_acquire_finish (AD_LIMITER (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  run->start (cancellable, limited_done_cb, g_steal_pointer (&task), run->op_data);
}

/**
 * ad_limiter_run_async:
 * @op_data: passed to @start and @finish; must stay valid until @callback
 *
 * Acquires a slot, runs the operation, releases the slot.
 */
void
ad_limiter_run_async (AdLimiter           *self,
                      AdAsyncStartFunc     start,
                      AdAsyncFinishFunc    finish,
                      gpointer             op_data,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  LimitedRun *run;

  g_return_if_fail (AD_IS_LIMITER (self));
  g_return_if_fail (start != NULL && finish != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_limiter_run_async);
  g_task_set_name (task, "[async-demo] limited run");
  g_task_set_check_cancellable (task, FALSE);

  run = g_new0 (LimitedRun, 1);
  run->start = start;
  run->finish = finish;
  run->op_data = op_data;
  g_task_set_task_data (task, run, g_free);

  ad_limiter_acquire_async (self, cancellable, limited_acquired_cb, task);
}

/**
 * ad_limiter_run_finish:
 * @value: (out caller-allocates) (optional): receives the result, if any
 */
gboolean
ad_limiter_run_finish (AdLimiter     *self,
                       GAsyncResult  *result,
                       GValue        *value,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_limiter_run_async, FALSE);

  return ad_async_propagate_value (G_TASK (result), value, error);
}
