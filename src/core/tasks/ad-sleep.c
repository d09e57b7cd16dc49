/* ad-sleep.c: a cancellable asynchronous sleep (asyncio.sleep)
 *
 * A timeout source and a cancellable source race on the caller's
 * thread-default main context; whichever fires first returns the task and
 * destroys the other. Both run on the same context, so there is no race
 * with a cancellation triggered from another thread.
 *
 * Each sleep is a timer task in the default registry (under the current
 * task, if any). The task has its own cancellable, linked to the
 * caller's: cancelling the sleep by id stops this sleep only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Core"

#include "config.h"

#include "ad-source.h"
#include "ad-sleep.h"
#include "ad-task-registry.h"

typedef struct
{
  GSource *timeout;
  GSource *cancel;
  AdTask  *task;
} SleepData;

static void
sleep_data_free (SleepData *data)
{
  if (data->timeout != NULL)
    {
      g_source_destroy (data->timeout);
      g_source_unref (data->timeout);
    }
  if (data->cancel != NULL)
    {
      g_source_destroy (data->cancel);
      g_source_unref (data->cancel);
    }
  g_clear_object (&data->task);
  g_free (data);
}

static gboolean
sleep_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  SleepData *data = g_task_get_task_data (task);
  AdTask *previous;

  /* What runs now is the continuation of whoever awaited the sleep (as in
   * asyncio): make that task current, which also shows it on a timeline. */
  previous = ad_task_push_current (ad_task_get_parent (data->task));
  ad_task_finish (data->task, NULL);
  g_task_return_boolean (task, TRUE);
  ad_task_pop_current (previous);
  /* Dropping the task data destroys the cancellable source. */
  g_task_set_task_data (task, NULL, NULL);

  return G_SOURCE_REMOVE;
}

static gboolean
sleep_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  SleepData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  AdTask *previous;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  previous = ad_task_push_current (ad_task_get_parent (data->task));
  ad_task_finish (data->task, error);
  g_task_return_error (task, g_steal_pointer (&error));
  ad_task_pop_current (previous);
  g_task_set_task_data (task, NULL, NULL);

  return G_SOURCE_REMOVE;
}

/**
 * ad_sleep_async:
 * @msec: how long to sleep, in milliseconds
 * @cancellable: (nullable): ends the sleep early with %G_IO_ERROR_CANCELLED
 *
 * Completes after @msec on the thread-default main context, or as soon as
 * @cancellable (or the sleep's task, by id) is cancelled.
 */
void
ad_sleep_async (guint                msec,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  GCancellable *own;
  SleepData *data;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (SleepData, 1);
  name = g_strdup_printf ("sleep %u ms", msec);
  data->task = ad_task_registry_create (ad_task_registry_get_default (), name,
                                        AD_TASK_KIND_TIMER, ad_task_get_current (), NULL);
  own = ad_task_get_cancellable (data->task);
  if (cancellable != NULL)
    ad_task_link_cancellable (data->task, cancellable);
  ad_task_start (data->task);

  task = g_task_new (NULL, own, callback, user_data);
  g_task_set_source_tag (task, ad_sleep_async);
  g_task_set_name (task, "[async-demo] sleep");
  g_task_set_task_data (task, data, (GDestroyNotify) sleep_data_free);

  if (g_cancellable_set_error_if_cancelled (own, &error))
    {
      ad_task_finish (data->task, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->timeout = g_timeout_source_new (msec);
  g_source_set_name (data->timeout, "[async-demo] sleep timer");
  ad_source_set_callback_traced (data->timeout, sleep_timeout_cb, g_object_ref (task),
                                 g_object_unref);
  g_source_attach (data->timeout, g_task_get_context (task));

  /* Always watched: the task may be cancelled by id. */
  data->cancel = g_cancellable_source_new (own);
  g_source_set_name (data->cancel, "[async-demo] sleep cancel");
  g_source_set_callback (data->cancel, G_SOURCE_FUNC (sleep_cancelled_cb),
                         g_object_ref (task), g_object_unref);
  g_source_attach (data->cancel, g_task_get_context (task));
}

/**
 * ad_sleep_finish:
 *
 * Returns: %TRUE when the full time passed; %FALSE with @error set to
 *   %G_IO_ERROR_CANCELLED when the sleep was cancelled
 */
gboolean
ad_sleep_finish (GAsyncResult  *result,
                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_sleep_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
