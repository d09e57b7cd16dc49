/* ad-timeout.c: a deadline for any _async operation (asyncio.wait_for)
 *
 * The operation gets an inner cancellable. A timeout source and, when the
 * caller passed one, a cancellable source on the caller's cancellable both
 * run on the caller's thread-default context and cancel the inner
 * cancellable; the timeout also remembers that it fired. When the
 * operation reports G_IO_ERROR_CANCELLED and only the timeout fired, the
 * error becomes G_IO_ERROR_TIMED_OUT. Everything happens on one thread, so
 * there is no race between the deadline and the result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-source.h"
#include "ad-timeout.h"

typedef struct
{
  guint              timeout_ms;
  AdAsyncFinishFunc  finish;
  gpointer           op_data;
  GCancellable      *inner;
  GSource           *timer;
  GSource           *cancel;
  gboolean           timed_out;
} TimeoutRun;

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
timeout_run_free (TimeoutRun *run)
{
  clear_source (&run->timer);
  clear_source (&run->cancel);
  g_clear_object (&run->inner);
  g_free (run);
}

static gboolean
timer_cb (gpointer user_data)
{
  TimeoutRun *run = user_data;

  g_debug ("Deadline of %u ms passed: cancelling the operation", run->timeout_ms);
  g_clear_pointer (&run->timer, g_source_unref);
  run->timed_out = TRUE;
  g_cancellable_cancel (run->inner);

  return G_SOURCE_REMOVE;
}

static gboolean
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  TimeoutRun *run = user_data;

  g_clear_pointer (&run->cancel, g_source_unref);
  /* The caller's cancellation wins over a deadline that passes later. */
  clear_source (&run->timer);
  g_cancellable_cancel (run->inner);

  return G_SOURCE_REMOVE;
}

static void
op_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TimeoutRun *run = g_task_get_task_data (task);
  GValue *value = g_new0 (GValue, 1);
  g_autoptr(GError) error = NULL;

  clear_source (&run->timer);
  clear_source (&run->cancel);

  if (run->finish (source, result, value, &error, run->op_data))
    {
      ad_async_return_value (task, value);
      return;
    }
  ad_async_value_free (value);

  if (run->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("Timed out after %.1f s"), run->timeout_ms / 1000.0);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * ad_timeout_run_async:
 * @timeout_ms: the deadline, from now
 * @start: starts the operation with the cancellable it must watch
 * @finish: finishes it
 * @op_data: passed to @start and @finish; must stay valid until @callback
 * @cancellable: (nullable): the caller's cancellable
 *
 * Runs an operation with a deadline.
 */
void
ad_timeout_run_async (guint                timeout_ms,
                      AdAsyncStartFunc     start,
                      AdAsyncFinishFunc    finish,
                      gpointer             op_data,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TimeoutRun *run;

  g_return_if_fail (start != NULL && finish != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_timeout_run_async);
  g_task_set_name (task, "[async-demo] timeout");
  g_task_set_check_cancellable (task, FALSE);

  run = g_new0 (TimeoutRun, 1);
  run->timeout_ms = timeout_ms;
  run->finish = finish;
  run->op_data = op_data;
  run->inner = g_cancellable_new ();
  g_task_set_task_data (task, run, (GDestroyNotify) timeout_run_free);

  run->timer = g_timeout_source_new (timeout_ms);
  g_source_set_name (run->timer, "[async-demo] timeout deadline");
  ad_source_set_callback_traced (run->timer, timer_cb, run, NULL);
  g_source_attach (run->timer, g_task_get_context (task));

  if (cancellable != NULL)
    {
      run->cancel = g_cancellable_source_new (cancellable);
      g_source_set_name (run->cancel, "[async-demo] timeout cancel");
      g_source_set_callback (run->cancel, G_SOURCE_FUNC (caller_cancelled_cb), run, NULL);
      g_source_attach (run->cancel, g_task_get_context (task));
      if (g_cancellable_is_cancelled (cancellable))
        g_cancellable_cancel (run->inner);
    }

  start (run->inner, op_done_cb, g_steal_pointer (&task), op_data);
}

/**
 * ad_timeout_run_finish:
 * @value: (out caller-allocates) (optional): a zero-filled GValue that
 *   receives the operation's result, if it had one
 *
 * Returns: %TRUE on success; %FALSE with %G_IO_ERROR_TIMED_OUT when the
 *   deadline passed, %G_IO_ERROR_CANCELLED when the caller cancelled, or
 *   the operation's own error
 */
gboolean
ad_timeout_run_finish (GAsyncResult  *result,
                       GValue        *value,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_timeout_run_async, FALSE);

  return ad_async_propagate_value (G_TASK (result), value, error);
}
