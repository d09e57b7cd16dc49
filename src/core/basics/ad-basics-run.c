/* ad-basics-run.c: what every Basics demo uses (ad-basics-private.h)
 *
 * Every demo:
 *  - runs on the caller's thread-default main context (the main loop),
 *    except where it shows threads on purpose;
 *  - narrates into an AdLogModel, so every line carries its time since
 *    the start and the name of the thread that wrote it;
 *  - returns a one-line summary, and returns only when everything it
 *    started has finished (also when cancelled).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Basics"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-basics-private.h"
#include "ad-sleep.h"
#include "ad-source.h"
#include "ad-tsan.h"

/* ---- the run ----------------------------------------------------------- */

/* @params: (transfer full) (nullable): already checked against @demo */
AdBasicsRun *
ad_basics_run_new (const AdBasicsDemo *demo,
                   AdLogModel         *log,
                   GVariant           *params)
{
  AdBasicsRun *run = g_new0 (AdBasicsRun, 1);

  run->demo = demo;
  run->log = g_object_ref (log);
  run->params = params;
  run->started = g_get_monotonic_time ();

  return run;
}

void
ad_basics_run_free (AdBasicsRun *run)
{
  if (run->state_free != NULL)
    run->state_free (run->state);
  g_clear_object (&run->log);
  g_clear_pointer (&run->params, g_variant_unref);
  g_clear_error (&run->error);
  g_free (run->summary);
  g_free (run);
}

AdBasicsRun *
ad_basics_run_of (GTask *task)
{
  return g_task_get_task_data (task);
}

void
ad_basics_say (AdBasicsRun *run,
               const char  *message)
{
  ad_log_model_append (run->log, G_LOG_LEVEL_INFO, G_LOG_DOMAIN, message);
}

void
ad_basics_say_printf (AdBasicsRun *run,
                      const char  *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  ad_basics_say (run, message);
}

double
ad_basics_run_seconds (AdBasicsRun *run)
{
  return (g_get_monotonic_time () - run->started) / (double) G_USEC_PER_SEC;
}

/* The value of a parameter of the run's demo, or its default. */
guint
ad_basics_param (AdBasicsRun *run,
                 const char  *name)
{
  const AdBasicsParam *spec = ad_basics_find_param (run->demo, name);
  g_autoptr(GVariant) value = NULL;

  g_assert (spec != NULL);

  if (run->params != NULL)
    value = g_variant_lookup_value (run->params, name, NULL);
  if (value == NULL)
    return spec->default_value;
  if (spec->type == AD_BASICS_PARAM_BOOLEAN)
    return g_variant_get_boolean (value);

  return g_variant_get_uint32 (value);
}

/* Keeps the first error that ends the run (a cancellation). */
void
ad_basics_run_fail (AdBasicsRun *run,
                    GError      *error)
{
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
}

/* Returns the task when nothing the demo started is in flight. */
void
ad_basics_run_maybe_return (GTask *task)
{
  AdBasicsRun *run = ad_basics_run_of (task);

  if (run->pending > 0)
    return;

  if (run->error != NULL)
    g_task_return_error (task, g_steal_pointer (&run->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&run->summary), g_free);
}

/* ---- handing work from a thread to the main loop ------------------------ */

/* Serialises posting from threads with the posted callbacks, in a way
 * ThreadSanitizer can see: GLib allocates for a source on the posting
 * thread and frees it on the main thread, ordered only by its own
 * (uninstrumented) lock. */
static GMutex post_mutex;

/* Queues @func on @context. Not g_main_context_invoke_full(): when no
 * thread owns @context at that moment (a test polling it, say), invoke
 * runs @func right here, on the calling thread. */
void
ad_basics_post_to_context (GMainContext   *context,
                           const char     *name,
                           GSourceFunc     func,
                           gpointer        data,
                           GDestroyNotify  destroy)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_name (source, name);
  ad_source_set_callback_traced (source, func, data, destroy);
  ad_mutex_lock (&post_mutex);
  g_source_attach (source, context);
  ad_mutex_unlock (&post_mutex);
  g_source_unref (source);
}

/* First thing in a posted callback: see everything the poster wrote. */
void
ad_basics_posted_acquire (void)
{
  ad_mutex_lock (&post_mutex);
  ad_mutex_unlock (&post_mutex);
}

/* ---- a sleeping operation, for the AdAsyncStartFunc users -------------- */

static void
nap_slept_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdBasicsNap *nap = g_task_get_task_data (task);
  GError *error = NULL;

  if (ad_sleep_finish (result, &error))
    {
      ad_basics_say_printf (nap->run, _("%s: done after %.1f s"), nap->who, nap->msec / 1000.0);
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      ad_basics_say_printf (nap->run, _("%s: cancelled, cleaning up"), nap->who);
      g_task_return_error (task, error);
    }
}

/* An AdAsyncStartFunc: @user_data is an AdBasicsNap that outlives it. */
void
ad_basics_nap_start (GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             callback_data,
                     gpointer             user_data)
{
  AdBasicsNap *nap = user_data;
  GTask *task = g_task_new (NULL, cancellable, callback, callback_data);

  g_task_set_task_data (task, nap, NULL);
  g_task_set_check_cancellable (task, FALSE);
  ad_basics_say_printf (nap->run, _("%s: working for %.1f s…"), nap->who, nap->msec / 1000.0);
  ad_sleep_async (nap->msec, cancellable, nap_slept_cb, task);
}

gboolean
ad_basics_nap_finish (GObject       *source,
                      GAsyncResult  *result,
                      GValue        *value,
                      GError       **error,
                      gpointer       user_data)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
