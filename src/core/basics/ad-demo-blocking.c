/* ad-demo-blocking.c: the Basics demo "Blocking the loop"
 *
 * A badly written callback blocks the main loop with g_usleep(). The
 * loop monitor (ad-loop-monitor.c) sees its heartbeat arrive late,
 * reports a stall and names the source that was running.
 *
 * asyncio: debug mode's "Executing <Handle ...> took 0.300 seconds".
 * The fix, in both worlds: move blocking work to a thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Basics"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-basics-private.h"
#include "ad-loop-monitor.h"
#include "ad-sleep.h"
#include "ad-source.h"

const AdBasicsParam ad_demo_blocking_params[] = {
  { "block-ms", N_("Blocking time (ms)"), AD_BASICS_PARAM_UINT, 1, 10000, 300 },
  { "threshold-ms", N_("Stall threshold (ms)"), AD_BASICS_PARAM_UINT, 1, 10000, 100 },
};

typedef struct
{
  AdLoopMonitor *monitor;
  gulong         stall_handler;
  guint          block_ms;
  gint64         stall_us;
  char          *culprit;
  gboolean       stalled;
} Blocking;

static void
blocking_free (Blocking *state)
{
  if (state->monitor != NULL)
    {
      g_signal_handler_disconnect (state->monitor, state->stall_handler);
      ad_loop_monitor_stop (state->monitor);
      g_clear_object (&state->monitor);
    }
  g_free (state->culprit);
  g_free (state);
}

static gboolean
bad_callback (gpointer user_data)
{
  Blocking *state = user_data;

  /* The mistake on purpose: a blocking call on the main loop. */
  g_usleep (state->block_ms * G_TIME_SPAN_MILLISECOND);

  return G_SOURCE_REMOVE;
}

static void
blocking_stall_cb (AdLoopMonitor *monitor,
                   gint64         duration_us,
                   const char    *culprit,
                   gpointer       user_data)
{
  Blocking *state = user_data;

  if (state->stalled)
    return;

  state->stalled = TRUE;
  state->stall_us = duration_us;
  state->culprit = g_strdup (culprit);
}

static void
blocking_after_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdBasicsRun *run = ad_basics_run_of (task);
  Blocking *state = run->state;
  GError *error = NULL;

  run->pending--;
  ad_loop_monitor_stop (state->monitor);
  if (!ad_sleep_finish (result, &error))
    {
      ad_basics_run_fail (run, error);
    }
  else if (state->stalled)
    {
      const char *culprit = state->culprit ? state->culprit : _("an unknown source");

      ad_basics_say_printf (run, _("Loop monitor: the main loop stalled for %.0f ms in “%s”"),
                            state->stall_us / 1000.0, culprit);
      run->summary = g_strdup_printf (_("Stall of %.0f ms caused by “%s”"),
                                      state->stall_us / 1000.0, culprit);
    }
  else
    {
      ad_basics_say (run, _("Loop monitor: no stall above the threshold"));
      run->summary = g_strdup (_("No stall detected"));
    }

  ad_basics_run_maybe_return (task);
}

static void
blocking_started_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdBasicsRun *run = ad_basics_run_of (task);
  Blocking *state = run->state;
  GCancellable *cancellable;
  GError *error = NULL;

  if (!ad_sleep_finish (result, &error))
    {
      run->pending--;
      ad_basics_run_fail (run, error);
      ad_basics_run_maybe_return (task);
      return;
    }

  ad_basics_say_printf (run, _("Scheduling a callback that blocks the loop for %u ms"),
                        state->block_ms);
  ad_idle_add_named (G_PRIORITY_DEFAULT, "[async-demo] basics: a bad callback", bad_callback,
                     state, NULL);
  /* Give the heartbeat time to run again after the block. */
  cancellable = g_task_get_cancellable (task);
  ad_sleep_async (state->block_ms + 100, cancellable, blocking_after_cb, g_steal_pointer (&task));
}

void
ad_demo_blocking_run (GTask *task)
{
  AdBasicsRun *run = ad_basics_run_of (task);
  Blocking *state = g_new0 (Blocking, 1);

  run->state = state;
  run->state_free = (GDestroyNotify) blocking_free;
  state->block_ms = ad_basics_param (run, "block-ms");
  state->monitor = ad_loop_monitor_new (g_task_get_context (task));
  ad_loop_monitor_set_stall_threshold (state->monitor, ad_basics_param (run, "threshold-ms"));
  state->stall_handler = g_signal_connect (state->monitor, "stall",
                                           G_CALLBACK (blocking_stall_cb), state);
  ad_loop_monitor_start (state->monitor);
  ad_basics_say (run, _("Loop monitor: watching the main loop"));

  run->pending++;
  ad_sleep_async (50, g_task_get_cancellable (task), blocking_started_cb, g_object_ref (task));
}
