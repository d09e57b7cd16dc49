/* ad-demo-cancellation.c: the Basics demo "Cancellation"
 *
 * A long task is cancelled by its caller after a while. The task
 * notices (its sleep returns G_IO_ERROR_CANCELLED), says it is cleaning
 * up, and finishes; the caller reports the cancellation calmly, not as an
 * error.
 *
 * asyncio: task.cancel() and catching CancelledError. Here: the caller
 * owns a GCancellable, passes it to the task and calls
 * g_cancellable_cancel(); the task's callback still runs, exactly once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Basics"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-basics-private.h"
#include "ad-sleep.h"

const AdBasicsParam ad_demo_cancellation_params[] = {
  { "work-ms", N_("Length of the task (ms)"), AD_BASICS_PARAM_UINT, 0, 60000, 5000 },
  { "cancel-after-ms", N_("Cancel after (ms)"), AD_BASICS_PARAM_UINT, 0, 60000, 1000 },
};

typedef struct
{
  AdBasicsNap   nap;
  GCancellable *worker_cancellable;
  gint64        cancelled_at;
} Cancellation;

static void
cancellation_free (Cancellation *state)
{
  g_clear_object (&state->worker_cancellable);
  g_free (state);
}

static void
cancellation_worker_done_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdBasicsRun *run = ad_basics_run_of (task);
  Cancellation *state = run->state;
  g_autoptr(GError) error = NULL;

  run->pending--;
  if (ad_basics_nap_finish (source, result, NULL, &error, NULL))
    {
      ad_basics_say (run, _("Caller: the task finished before I cancelled it"));
      run->summary = g_strdup_printf (_("Finished after %.1f s, not cancelled"),
                                      ad_basics_run_seconds (run));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      ad_basics_say (run, _("Caller: the task confirmed its cancellation"));
      run->summary = g_strdup_printf (_("Cancelled after %.1f s"),
                                      (state->cancelled_at - run->started) /
                                      (double) G_USEC_PER_SEC);
    }

  ad_basics_run_maybe_return (task);
}

static void
cancellation_timer_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdBasicsRun *run = ad_basics_run_of (task);
  Cancellation *state = run->state;
  GError *error = NULL;

  run->pending--;
  if (ad_sleep_finish (result, &error))
    ad_basics_say_printf (run, _("Caller: cancelling the task after %.1f s"),
                          ad_basics_run_seconds (run));
  else
    ad_basics_run_fail (run, error);   /* the whole run was cancelled: stop the task too */

  state->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (state->worker_cancellable);

  ad_basics_run_maybe_return (task);
}

void
ad_demo_cancellation_run (GTask *task)
{
  AdBasicsRun *run = ad_basics_run_of (task);
  Cancellation *state = g_new0 (Cancellation, 1);

  run->state = state;
  run->state_free = (GDestroyNotify) cancellation_free;
  state->nap = (AdBasicsNap) { run, ad_basics_param (run, "work-ms"), _("Task") };
  state->worker_cancellable = g_cancellable_new ();

  run->pending += 2;
  ad_basics_nap_start (state->worker_cancellable, cancellation_worker_done_cb, g_object_ref (task),
                       &state->nap);
  ad_sleep_async (ad_basics_param (run, "cancel-after-ms"), g_task_get_cancellable (task),
                  cancellation_timer_cb, g_object_ref (task));
}
