/* ad-task-group.c: structured concurrency (asyncio.TaskGroup, a nursery)
 *
 * Design:
 *  - Every child is a registered AdTask under the group's task, and runs
 *    with that task's own cancellable. Cancelling one child by id stops
 *    that child only; cancelling the group cancels the group task's
 *    cancellable, which a GCancellableSource watches on the group's main
 *    context and fans out to the children from there: all the group's
 *    bookkeeping happens on one thread, whichever thread cancelled.
 *  - A child's failure is decided in its callback on the group's thread:
 *    the first error (other than G_IO_ERROR_CANCELLED) is kept and the
 *    group cancels itself; later ones are counted. Precedence of the
 *    group's own result: first child error, then timeout, then
 *    cancellation, then success.
 *  - The wait completes when it was asked for and no child runs, so a
 *    group never finishes before its children. Children may be added
 *    while it waits (from a child's callback, say).
 *  - Each running child holds a reference to the group, so dropping the
 *    group early is safe; a group dropped without a wait still finishes
 *    its task (so the registry never shows it as running forever).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Tasks"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-debug.h"
#include "ad-source.h"
#include "ad-task-group.h"

typedef struct
{
  AdTaskGroup       *group;       /* owned while running */
  guint              index;
  AdTask            *task;
  gboolean           owns_task;   /* FALSE for a nested group: it finishes its own task */
  AdAsyncFinishFunc  finish;
  gpointer           user_data;
  GDestroyNotify     destroy;
  AdTaskGroup       *subgroup;
  GValue             value;
  GError            *error;
  gboolean           done;
} Child;

struct _AdTaskGroup
{
  GObject         parent_instance;

  AdTaskRegistry *registry;
  AdTask         *task;
  GThread        *owner;
  GCancellable   *cancellable;     /* the group task's */
  GMainContext   *context;
  GPtrArray      *children;        /* Child */
  guint           n_running;
  guint           n_failed;
  GError         *first_error;
  gboolean        timed_out;
  gboolean        finished;
  GSource        *cancel_source;
  GSource        *timeout_source;
  GTask          *wait_task;
  GSource        *wait_cancel_source;
};

G_DEFINE_FINAL_TYPE (AdTaskGroup, ad_task_group, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TASK,
  PROP_N_CHILDREN,
  PROP_N_RUNNING,
  PROP_N_FAILED,
  PROP_FINISHED,
  N_PROPS
};

enum {
  CHILD_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
child_free (Child *child)
{
  if (child->destroy != NULL)
    child->destroy (child->user_data);
  g_clear_object (&child->subgroup);
  g_clear_object (&child->task);
  g_clear_object (&child->group);
  if (G_IS_VALUE (&child->value))
    g_value_unset (&child->value);
  g_clear_error (&child->error);
  g_free (child);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GError *
group_result_error (AdTaskGroup *self)
{
  if (self->first_error != NULL)
    return g_error_copy (self->first_error);
  if (self->timed_out)
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("The task group timed out"));
  if (g_cancellable_is_cancelled (self->cancellable))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                _("The task group was cancelled"));

  return NULL;
}

static void
group_finish (AdTaskGroup *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) wait_task = NULL;

  g_assert (!self->finished);
  g_assert (self->n_running == 0);

  self->finished = TRUE;
  clear_source (&self->timeout_source);
  clear_source (&self->cancel_source);
  clear_source (&self->wait_cancel_source);

  error = group_result_error (self);
  ad_task_finish (self->task, error);

  wait_task = g_steal_pointer (&self->wait_task);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);

  if (wait_task != NULL)
    {
      if (error != NULL)
        g_task_return_error (wait_task, g_steal_pointer (&error));
      else
        g_task_return_boolean (wait_task, TRUE);
    }
}

static void
maybe_finish (AdTaskGroup *self)
{
  if (!self->finished && self->wait_task != NULL && self->n_running == 0)
    group_finish (self);
}

static void
cancel_children (AdTaskGroup *self)
{
  /* Copy: a cancelled child may complete and change the array. */
  g_autoptr(GPtrArray) cancellables = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->children->len; i++)
    {
      Child *child = g_ptr_array_index (self->children, i);

      if (!child->done)
        g_ptr_array_add (cancellables, g_object_ref (ad_task_get_cancellable (child->task)));
    }

  for (guint i = 0; i < cancellables->len; i++)
    g_cancellable_cancel (g_ptr_array_index (cancellables, i));
}

static gboolean
group_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  AdTaskGroup *self = user_data;

  g_debug ("Group “%s” cancelled: cancelling %u running children",
           ad_task_get_name (self->task), self->n_running);
  g_clear_pointer (&self->cancel_source, g_source_unref);
  cancel_children (self);

  return G_SOURCE_REMOVE;
}

static void
ad_task_group_dispose (GObject *object)
{
  AdTaskGroup *self = AD_TASK_GROUP (object);

  /* Dropped without waiting: no child runs (each holds a reference). */
  if (!self->finished && self->task != NULL)
    {
      g_autoptr(GError) error = group_result_error (self);

      self->finished = TRUE;
      ad_task_finish (self->task, error);
    }
  clear_source (&self->timeout_source);
  clear_source (&self->cancel_source);
  clear_source (&self->wait_cancel_source);

  G_OBJECT_CLASS (ad_task_group_parent_class)->dispose (object);
}

static void
ad_task_group_finalize (GObject *object)
{
  AdTaskGroup *self = AD_TASK_GROUP (object);

  g_ptr_array_unref (self->children);
  g_clear_error (&self->first_error);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->task);
  g_clear_object (&self->registry);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (ad_task_group_parent_class)->finalize (object);
}

static void
ad_task_group_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AdTaskGroup *self = AD_TASK_GROUP (object);

  switch (prop_id)
    {
    case PROP_TASK:
      g_value_set_object (value, self->task);
      break;
    case PROP_N_CHILDREN:
      g_value_set_uint (value, self->children->len);
      break;
    case PROP_N_RUNNING:
      g_value_set_uint (value, self->n_running);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_task_group_class_init (AdTaskGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ad_task_group_dispose;
  object_class->finalize = ad_task_group_finalize;
  object_class->get_property = ad_task_group_get_property;

  properties[PROP_TASK] = g_param_spec_object ("task", NULL, NULL, AD_TYPE_TASK, ro);
  properties[PROP_N_CHILDREN] = g_param_spec_uint ("n-children", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_RUNNING] = g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_FINISHED] = g_param_spec_boolean ("finished", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AdTaskGroup::child-finished:
   * @group: the group
   * @index: the child's index, in the order children were added
   * @task: the child's task
   *
   * Emitted on the group's thread as each child finishes (as_completed);
   * its value and error are available from the group by @index.
   */
  signals[CHILD_FINISHED] =
    g_signal_new ("child-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, AD_TYPE_TASK);
}

static void
ad_task_group_init (AdTaskGroup *self)
{
  self->children = g_ptr_array_new_with_free_func ((GDestroyNotify) child_free);
  self->owner = g_thread_self ();
  self->context = g_main_context_ref_thread_default ();
}

/**
 * ad_task_group_new:
 * @name: what the group does, shown in the task tree
 *
 * Creates a group in the default registry, under the current task (see
 * ad_task_get_current()) if there is one.
 */
AdTaskGroup *
ad_task_group_new (const char *name)
{
  return ad_task_group_new_full (ad_task_registry_get_default (), name, ad_task_get_current ());
}

/**
 * ad_task_group_new_full:
 * @registry: where the group and its children are registered
 * @name: what the group does
 * @parent: (nullable): the task the group runs under
 */
AdTaskGroup *
ad_task_group_new_full (AdTaskRegistry *registry,
                        const char     *name,
                        AdTask         *parent)
{
  AdTaskGroup *self;

  g_return_val_if_fail (AD_IS_TASK_REGISTRY (registry), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (!parent || AD_IS_TASK (parent), NULL);

  self = g_object_new (AD_TYPE_TASK_GROUP, NULL);
  self->registry = g_object_ref (registry);
  self->task = ad_task_registry_create (registry, name, AD_TASK_KIND_GROUP, parent, NULL);
  self->cancellable = g_object_ref (ad_task_get_cancellable (self->task));
  ad_task_start (self->task);

  self->cancel_source = g_cancellable_source_new (self->cancellable);
  g_source_set_name (self->cancel_source, "[async-demo] task group cancel");
  g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (group_cancelled_cb), self, NULL);
  g_source_attach (self->cancel_source, self->context);

  return self;
}

static void
child_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Child *child = user_data;
  g_autoptr(AdTaskGroup) self = g_steal_pointer (&child->group);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = child->finish (source, result, &child->value, &error, child->user_data);
  g_assert (ok == (error == NULL));

  child->done = TRUE;
  if (child->owns_task)
    ad_task_finish (child->task, error);
  self->n_running--;

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->n_failed++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
      if (self->first_error == NULL)
        {
          g_debug ("Group “%s”: child “%s” failed (%s), cancelling the others",
                   ad_task_get_name (self->task), ad_task_get_name (child->task), error->message);
          self->first_error = g_error_copy (error);
          g_cancellable_cancel (self->cancellable);
        }
    }
  child->error = g_steal_pointer (&error);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
  g_signal_emit (self, signals[CHILD_FINISHED], 0, child->index, child->task);

  maybe_finish (self);
}

static Child *
child_new (AdTaskGroup *self)
{
  Child *child = g_new0 (Child, 1);

  child->index = self->children->len;
  g_ptr_array_add (self->children, child);

  return child;
}

static void
child_launch (AdTaskGroup      *self,
              Child            *child,
              AdAsyncStartFunc  start)
{
  GCancellable *cancellable = ad_task_get_cancellable (child->task);
  AdTask *previous;

  child->group = g_object_ref (self);
  self->n_running++;

  if (g_cancellable_is_cancelled (self->cancellable))
    g_cancellable_cancel (cancellable);

  previous = ad_task_push_current (child->task);
  start (cancellable, child_done_cb, child, child->user_data);
  ad_task_pop_current (previous);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CHILDREN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
}

/**
 * ad_task_group_add:
 * @name: what the child does, shown in the task tree
 * @kind: what it waits on
 * @start: starts the operation
 * @finish: finishes it and keeps its result
 * @user_data: passed to @start and @finish
 * @destroy: (nullable): frees @user_data when the group is freed
 *
 * Starts a child now. The group must not have finished.
 *
 * Returns: the child's index: its place in the results
 */
guint
ad_task_group_add (AdTaskGroup       *self,
                   const char        *name,
                   AdTaskKind         kind,
                   AdAsyncStartFunc   start,
                   AdAsyncFinishFunc  finish,
                   gpointer           user_data,
                   GDestroyNotify     destroy)
{
  Child *child;

  g_return_val_if_fail (AD_IS_TASK_GROUP (self), G_MAXUINT);
  g_return_val_if_fail (!self->finished, G_MAXUINT);
  g_return_val_if_fail (name != NULL, G_MAXUINT);
  g_return_val_if_fail (start != NULL && finish != NULL, G_MAXUINT);

  ad_debug_check_thread (self->owner, G_STRFUNC);

  child = child_new (self);
  child->task = ad_task_registry_create (self->registry, name, kind, self->task, NULL);
  child->owns_task = TRUE;
  child->finish = finish;
  child->user_data = user_data;
  child->destroy = destroy;

  ad_task_start (child->task);
  child_launch (self, child, start);

  return child->index;
}

static void
subgroup_start (GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             callback_data,
                gpointer             user_data)
{
  ad_task_group_wait_async (AD_TASK_GROUP (user_data), cancellable, callback, callback_data);
}

static gboolean
subgroup_finish (GObject       *source,
                 GAsyncResult  *result,
                 GValue        *value,
                 GError       **error,
                 gpointer       user_data)
{
  return ad_task_group_wait_finish (AD_TASK_GROUP (source), result, error);
}

/**
 * ad_task_group_add_group:
 * @child: a group made with @self's task as parent
 *   (`ad_task_group_new_full (registry, name, ad_task_group_get_task (self))`),
 *   with its children added
 *
 * Makes @child a child of @self: @self waits for it, cancels it with the
 * rest, and fails if it fails.
 *
 * Returns: the child's index
 */
guint
ad_task_group_add_group (AdTaskGroup *self,
                         AdTaskGroup *child_group)
{
  Child *child;

  g_return_val_if_fail (AD_IS_TASK_GROUP (self), G_MAXUINT);
  g_return_val_if_fail (AD_IS_TASK_GROUP (child_group), G_MAXUINT);
  g_return_val_if_fail (!self->finished, G_MAXUINT);
  g_return_val_if_fail (ad_task_get_parent (child_group->task) == self->task, G_MAXUINT);

  child = child_new (self);
  child->task = g_object_ref (child_group->task);
  child->owns_task = FALSE;
  child->subgroup = g_object_ref (child_group);
  child->finish = subgroup_finish;
  child->user_data = child_group;

  /* The child's task is the subgroup's: cancelling it (by id, or from
   * here) cancels the subgroup, which waits for its own children. */
  child->group = g_object_ref (self);
  self->n_running++;
  if (g_cancellable_is_cancelled (self->cancellable))
    g_cancellable_cancel (child_group->cancellable);
  subgroup_start (NULL, child_done_cb, child, child_group);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CHILDREN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);

  return child->index;
}

static gboolean
group_timeout_cb (gpointer user_data)
{
  AdTaskGroup *self = user_data;

  g_debug ("Group “%s” timed out", ad_task_get_name (self->task));
  g_clear_pointer (&self->timeout_source, g_source_unref);
  self->timed_out = TRUE;
  g_cancellable_cancel (self->cancellable);

  return G_SOURCE_REMOVE;
}

/**
 * ad_task_group_set_timeout:
 * @timeout_ms: from now; 0 removes the timeout
 *
 * When the time passes before the group finishes, its children are
 * cancelled and it finishes with %G_IO_ERROR_TIMED_OUT (asyncio.timeout).
 */
void
ad_task_group_set_timeout (AdTaskGroup *self,
                           guint        timeout_ms)
{
  g_return_if_fail (AD_IS_TASK_GROUP (self));

  if (self->finished)
    return;

  clear_source (&self->timeout_source);
  if (timeout_ms == 0)
    return;

  self->timeout_source = g_timeout_source_new (timeout_ms);
  g_source_set_name (self->timeout_source, "[async-demo] task group timeout");
  ad_source_set_callback_traced (self->timeout_source, group_timeout_cb, self, NULL);
  g_source_attach (self->timeout_source, self->context);
}

/**
 * ad_task_group_cancel:
 *
 * Cancels every child; the group finishes with %G_IO_ERROR_CANCELLED once
 * they all have finished. Any thread.
 */
void
ad_task_group_cancel (AdTaskGroup *self)
{
  g_return_if_fail (AD_IS_TASK_GROUP (self));

  g_cancellable_cancel (self->cancellable);
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  AdTaskGroup *self = user_data;

  g_clear_pointer (&self->wait_cancel_source, g_source_unref);
  g_cancellable_cancel (self->cancellable);

  return G_SOURCE_REMOVE;
}

/**
 * ad_task_group_wait_async:
 * @cancellable: (nullable): cancels the group (and so every child)
 *
 * Completes when every child has finished. At most one wait per group.
 */
void
ad_task_group_wait_async (AdTaskGroup         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AD_IS_TASK_GROUP (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->wait_task == NULL && !self->finished);

  ad_debug_check_thread (self->owner, G_STRFUNC);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_task_group_wait_async);
  g_task_set_name (task, "[async-demo] task group wait");
  /* The result comes only once the children are done, cancelled or not. */
  g_task_set_check_cancellable (task, FALSE);
  self->wait_task = g_object_ref (task);

  if (cancellable != NULL)
    {
      self->wait_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_name (self->wait_cancel_source, "[async-demo] task group wait cancel");
      g_source_set_callback (self->wait_cancel_source, G_SOURCE_FUNC (wait_cancelled_cb),
                             self, NULL);
      g_source_attach (self->wait_cancel_source, self->context);
    }

  maybe_finish (self);
}

/**
 * ad_task_group_wait_finish:
 *
 * Returns: %TRUE when every child succeeded (or was cancelled on its own);
 *   otherwise %FALSE with the first child's error, %G_IO_ERROR_TIMED_OUT
 *   or %G_IO_ERROR_CANCELLED
 */
gboolean
ad_task_group_wait_finish (AdTaskGroup   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_task_group_wait_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ad_task_group_get_task:
 *
 * Returns: (transfer none): the group's own task
 */
AdTask *
ad_task_group_get_task (AdTaskGroup *self)
{
  g_return_val_if_fail (AD_IS_TASK_GROUP (self), NULL);

  return self->task;
}

gboolean
ad_task_group_is_finished (AdTaskGroup *self)
{
  g_return_val_if_fail (AD_IS_TASK_GROUP (self), FALSE);

  return self->finished;
}

guint
ad_task_group_get_n_children (AdTaskGroup *self)
{
  g_return_val_if_fail (AD_IS_TASK_GROUP (self), 0);

  return self->children->len;
}

guint
ad_task_group_get_n_running (AdTaskGroup *self)
{
  g_return_val_if_fail (AD_IS_TASK_GROUP (self), 0);

  return self->n_running;
}

/**
 * ad_task_group_get_n_failed:
 *
 * Returns: how many children failed (cancelled ones do not count)
 */
guint
ad_task_group_get_n_failed (AdTaskGroup *self)
{
  g_return_val_if_fail (AD_IS_TASK_GROUP (self), 0);

  return self->n_failed;
}

static Child *
get_child (AdTaskGroup *self,
           guint        index)
{
  g_return_val_if_fail (AD_IS_TASK_GROUP (self), NULL);
  g_return_val_if_fail (index < self->children->len, NULL);

  return g_ptr_array_index (self->children, index);
}

/**
 * ad_task_group_get_child_task:
 *
 * Returns: (transfer none): the task of the child at @index
 */
AdTask *
ad_task_group_get_child_task (AdTaskGroup *self,
                              guint        index)
{
  Child *child = get_child (self, index);

  return child ? child->task : NULL;
}

/**
 * ad_task_group_get_child_value:
 *
 * Returns: (nullable) (transfer none): the result of the child at @index,
 *   or %NULL when it has none (not finished, failed, or no value)
 */
const GValue *
ad_task_group_get_child_value (AdTaskGroup *self,
                               guint        index)
{
  Child *child = get_child (self, index);

  if (child == NULL || !child->done || child->error != NULL || !G_IS_VALUE (&child->value))
    return NULL;

  return &child->value;
}

/**
 * ad_task_group_get_child_error:
 *
 * Returns: (nullable) (transfer none): the error of the child at @index
 */
const GError *
ad_task_group_get_child_error (AdTaskGroup *self,
                               guint        index)
{
  Child *child = get_child (self, index);

  return child ? child->error : NULL;
}
