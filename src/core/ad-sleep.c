/* ad-sleep.c: a cancellable asynchronous sleep (asyncio.sleep)
 *
 * A timeout source and a cancellable source race on the caller's
 * thread-default main context; whichever fires first returns the task and
 * destroys the other. Both run on the same context, so there is no race
 * with a cancellation triggered from another thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Core"

#include "config.h"

#include "ad-sleep.h"

typedef struct
{
  GSource *timeout;
  GSource *cancel;
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
  g_free (data);
}

static gboolean
sleep_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;

  g_task_return_boolean (task, TRUE);
  /* Dropping the task data destroys the cancellable source. */
  g_task_set_task_data (task, NULL, NULL);

  return G_SOURCE_REMOVE;
}

static gboolean
sleep_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;

  g_task_return_error_if_cancelled (task);
  g_task_set_task_data (task, NULL, NULL);

  return G_SOURCE_REMOVE;
}

/**
 * ad_sleep_async:
 * @msec: how long to sleep, in milliseconds
 * @cancellable: (nullable): ends the sleep early with %G_IO_ERROR_CANCELLED
 *
 * Completes after @msec on the thread-default main context, or as soon as
 * @cancellable is cancelled.
 */
void
ad_sleep_async (guint                msec,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SleepData *data;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_sleep_async);
  g_task_set_name (task, "[async-demo] sleep");

  if (g_task_return_error_if_cancelled (task))
    return;

  data = g_new0 (SleepData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) sleep_data_free);

  data->timeout = g_timeout_source_new (msec);
  g_source_set_name (data->timeout, "[async-demo] sleep timer");
  g_source_set_callback (data->timeout, sleep_timeout_cb, g_object_ref (task), g_object_unref);
  g_source_attach (data->timeout, g_task_get_context (task));

  if (cancellable != NULL)
    {
      data->cancel = g_cancellable_source_new (cancellable);
      g_source_set_name (data->cancel, "[async-demo] sleep cancel");
      g_source_set_callback (data->cancel, G_SOURCE_FUNC (sleep_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (data->cancel, g_task_get_context (task));
    }
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
