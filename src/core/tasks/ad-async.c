/* ad-async.c: a runner's result, carried as a GValue through its GTask
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-async.h"

/**
 * ad_async_value_free:
 * @value: (transfer full): a GValue from g_new0(), set or not
 */
void
ad_async_value_free (GValue *value)
{
  if (G_IS_VALUE (value))
    g_value_unset (value);
  g_free (value);
}

/**
 * ad_async_return_value:
 * @task: the runner's task
 * @value: (transfer full): the operation's result (a GValue from g_new0(),
 *   left unset when the operation has none)
 *
 * Completes @task successfully with @value.
 */
void
ad_async_return_value (GTask  *task,
                       GValue *value)
{
  g_task_return_pointer (task, value, (GDestroyNotify) ad_async_value_free);
}

/**
 * ad_async_propagate_value:
 * @task: a task completed with ad_async_return_value() or an error
 * @value: (out caller-allocates) (optional): a zero-filled GValue that
 *   receives a copy of the result, when there is one
 * @error: where the task's error goes
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
ad_async_propagate_value (GTask   *task,
                          GValue  *value,
                          GError **error)
{
  GValue *ret = g_task_propagate_pointer (task, error);

  if (ret == NULL)
    return FALSE;

  if (value != NULL && G_IS_VALUE (ret))
    {
      g_value_init (value, G_VALUE_TYPE (ret));
      g_value_copy (ret, value);
    }
  ad_async_value_free (ret);

  return TRUE;
}
