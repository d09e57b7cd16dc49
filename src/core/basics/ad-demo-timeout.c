/* ad-demo-timeout.c: the Basics demo "Timeout"
 *
 * An operation gets a deadline; when it passes, the operation is
 * cancelled and the caller gets G_IO_ERROR_TIMED_OUT, which it tells
 * apart from a cancellation by the user.
 *
 * asyncio: asyncio.wait_for() and asyncio.timeout(). Here:
 * ad_timeout_run_async() (ad-timeout.c) wraps any async operation with a
 * timer and a cancellable of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Basics"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-basics-private.h"
#include "ad-timeout.h"

const AdBasicsParam ad_demo_timeout_params[] = {
  { "work-ms", N_("Length of the operation (ms)"), AD_BASICS_PARAM_UINT, 0, 60000, 2000 },
  { "timeout-ms", N_("Timeout (ms)"), AD_BASICS_PARAM_UINT, 1, 60000, 1000 },
};

static void
timeout_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdBasicsRun *run = ad_basics_run_of (task);
  GError *error = NULL;

  run->pending--;
  if (ad_timeout_run_finish (result, NULL, &error))
    {
      ad_basics_say (run, _("Caller: the operation finished in time"));
      run->summary = g_strdup_printf (_("Finished in time after %.1f s"),
                                      ad_basics_run_seconds (run));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      ad_basics_say_printf (run, _("Caller: %s"), error->message);
      run->summary = g_strdup_printf (_("Timed out after %.1f s"), ad_basics_run_seconds (run));
      g_error_free (error);
    }
  else
    {
      ad_basics_run_fail (run, error);
    }

  ad_basics_run_maybe_return (task);
}

void
ad_demo_timeout_run (GTask *task)
{
  AdBasicsRun *run = ad_basics_run_of (task);
  AdBasicsNap *nap = g_new0 (AdBasicsNap, 1);
  guint timeout_ms = ad_basics_param (run, "timeout-ms");

  *nap = (AdBasicsNap) { run, ad_basics_param (run, "work-ms"), _("Operation") };
  run->state = nap;
  run->state_free = g_free;

  ad_basics_say_printf (run, _("Caller: waiting at most %.1f s"), timeout_ms / 1000.0);
  run->pending++;
  ad_timeout_run_async (timeout_ms, ad_basics_nap_start, ad_basics_nap_finish, nap,
                        g_task_get_cancellable (task), timeout_done_cb, g_object_ref (task));
}
