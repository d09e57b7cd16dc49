/* ad-demo-concurrent.c: the Basics demo "Concurrent tasks"
 *
 * Two greetings that each wait a second, started together or one after
 * the other: together they take one second, in turn two. The waiting is
 * a timer on the main loop, so nothing blocks while it runs.
 *
 * asyncio: asyncio.gather() of two coroutines versus awaiting them in
 * turn. Here: two ad_hello_run_async() operations in flight at once
 * (ad-hello.c), and one GAsyncReadyCallback when both are done.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Basics"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-basics-private.h"
#include "ad-hello.h"

const AdBasicsParam ad_demo_concurrent_params[] = {
  { "sequential", N_("One after the other"), AD_BASICS_PARAM_BOOLEAN, 0, 1, 0 },
  { "delay-ms", N_("Delay of each greeting (ms)"), AD_BASICS_PARAM_UINT, 0, 60000, 1000 },
};

static void
concurrent_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdBasicsRun *run = ad_basics_run_of (task);
  GError *error = NULL;

  run->pending--;
  if (ad_hello_run_finish (result, &error))
    run->summary = g_strdup_printf (_("Finished after %.1f s"), ad_basics_run_seconds (run));
  else
    ad_basics_run_fail (run, error);

  ad_basics_run_maybe_return (task);
}

void
ad_demo_concurrent_run (GTask *task)
{
  AdBasicsRun *run = ad_basics_run_of (task);
  gboolean sequential = ad_basics_param (run, "sequential");

  ad_basics_say (run, sequential ? _("Awaiting the greetings one after the other")
                                 : _("Starting both greetings at once"));
  run->pending++;
  ad_hello_run_async (run->log, sequential ? AD_HELLO_FLAGS_SEQUENTIAL : AD_HELLO_FLAGS_NONE,
                      ad_basics_param (run, "delay-ms"), g_task_get_cancellable (task),
                      concurrent_done_cb, g_object_ref (task));
}
