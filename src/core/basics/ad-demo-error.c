/* ad-demo-error.c: the Basics demo "Error handling"
 *
 * A task fails after a short delay. Its GError travels through
 * g_task_return_error() and the callback to the caller, which shows its
 * message; the run itself still succeeds, with the error in its summary.
 *
 * asyncio: an exception raised in a task and caught where the task is
 * awaited. Here: g_task_propagate_boolean() hands the caller the GError.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Basics"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-basics-private.h"
#include "ad-sleep.h"

const AdBasicsParam ad_demo_error_params[] = {
  { "delay-ms", N_("Time before the task fails (ms)"), AD_BASICS_PARAM_UINT, 0, 60000, 500 },
};

static void
error_task_slept_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) failing = user_data;
  AdBasicsRun *run = g_task_get_task_data (failing);
  GError *error = NULL;

  if (!ad_sleep_finish (result, &error))
    {
      g_task_return_error (failing, error);
      return;
    }

  ad_basics_say (run, _("Task: something went wrong, returning an error"));
  g_task_return_new_error (failing, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The input had no closing bracket"));
}

static void
error_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdBasicsRun *run = ad_basics_run_of (task);
  GError *error = NULL;

  run->pending--;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      run->summary = g_strdup (_("No error"));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      ad_basics_run_fail (run, error);
    }
  else
    {
      ad_basics_say_printf (run, _("Caller: the task failed: %s"), error->message);
      run->summary = g_strdup_printf (_("Error: %s"), error->message);
      g_error_free (error);
    }

  ad_basics_run_maybe_return (task);
}

void
ad_demo_error_run (GTask *task)
{
  AdBasicsRun *run = ad_basics_run_of (task);
  GTask *failing = g_task_new (NULL, g_task_get_cancellable (task), error_done_cb,
                               g_object_ref (task));

  g_task_set_task_data (failing, run, NULL);
  g_task_set_name (failing, "[async-demo] basics: failing task");
  ad_basics_say (run, _("Caller: starting a task that will fail"));
  run->pending++;
  ad_sleep_async (ad_basics_param (run, "delay-ms"), g_task_get_cancellable (task),
                  error_task_slept_cb, failing);
}
