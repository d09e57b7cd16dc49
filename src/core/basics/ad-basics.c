/* ad-basics.c: the index of the Basics demos and the run dispatcher
 *
 * Eight small programs, each the GLib way of a piece of the asyncio
 * tutorial, one file each as gtk4-demo does: ad-demo-concurrent.c,
 * ad-demo-cancellation.c, ad-demo-timeout.c, ad-demo-error.c,
 * ad-demo-group.c, ad-demo-thread-loop.c, ad-demo-locks.c and
 * ad-demo-blocking.c. What they share (the run, its log, posting from a
 * thread, a sleeping operation) is in ad-basics-run.c, declared in
 * ad-basics-private.h. This file holds the table the GUI and the CLI
 * read, and ad_basics_run_async(), which checks the parameters and calls
 * the demo's run function.
 *
 * How to add a Basics demo (docs/HACKING.md links here):
 *  1. Write src/core/basics/ad-demo-NAME.c: a header comment with the
 *     title and what it teaches (the asyncio idea and its GLib
 *     counterpart), `const AdBasicsParam ad_demo_NAME_params[]` and
 *     `void ad_demo_NAME_run (GTask *task)`. Start every operation with
 *     `run->pending++`, end each callback with
 *     ad_basics_run_maybe_return(), pass the task's cancellable on, and
 *     set run->summary (a failure the demo shows is a summary, not an
 *     error; only the run's own cancellation goes to ad_basics_run_fail()).
 *  2. Declare both in ad-basics-private.h, with the number of parameters
 *     in the array's size.
 *  3. Add an entry to demos[] and runners[] below, in the order the page
 *     lists them: id, N_() title, N_() explanation naming the asyncio
 *     counterpart, the demo's own file, and the library file it shows
 *     (or NULL).
 *  4. Add the file to src/core/meson.build (core_sources) and to
 *     po/POTFILES.in (sorted), German translations of its strings to
 *     po/de.po, and `sources/ad-demo-NAME.c` (plus its library file, if
 *     new) to src/gui/async-demo.gresource.xml so the Source tab shows it.
 *  5. Test it in tests/test-basics.c: run it headless with its smallest
 *     parameters and assert its summary and log; /basics/cancel-each and
 *     the GUI's /window/sources pick it up from the table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Basics"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-basics-private.h"

/* ---- the table --------------------------------------------------------- */

#define PARAMS(p) p, G_N_ELEMENTS (p)
#define DEMO_FILE(name) "src/core/basics/ad-demo-" name ".c"

static const AdBasicsDemo demos[] = {
  { "concurrent", N_("Concurrent tasks"),
    N_("Two greetings wait one second each. Started together they finish together after about "
       "one second; one after the other they take two. asyncio: asyncio.gather() of two "
       "coroutines versus awaiting them in turn."),
    DEMO_FILE ("concurrent"), "src/core/basics/ad-hello.c",
    PARAMS (ad_demo_concurrent_params) },
  { "cancellation", N_("Cancellation"),
    N_("A long task is cancelled by its caller. The task notices, cleans up and finishes; the "
       "caller reports it calmly. asyncio: task.cancel() and catching CancelledError."),
    DEMO_FILE ("cancellation"), NULL,
    PARAMS (ad_demo_cancellation_params) },
  { "timeout", N_("Timeout"),
    N_("An operation gets a deadline. When it passes, the operation is cancelled and the caller "
       "gets “timed out”, which differs from a cancellation by the user. asyncio: "
       "asyncio.wait_for() and asyncio.timeout()."),
    DEMO_FILE ("timeout"), "src/core/tasks/ad-timeout.c",
    PARAMS (ad_demo_timeout_params) },
  { "error", N_("Error handling"),
    N_("A task fails; its GError travels through the callback to the caller, which shows it. "
       "asyncio: an exception raised in a task and caught where it is awaited."),
    DEMO_FILE ("error"), NULL,
    PARAMS (ad_demo_error_params) },
  { "group", N_("Task group"),
    N_("Five workers run in a group and their results are gathered in start order. When one "
       "fails, the group cancels the others and reports the error. asyncio: asyncio.TaskGroup."),
    DEMO_FILE ("group"), "src/core/tasks/ad-task-group.c",
    PARAMS (ad_demo_group_params) },
  { "thread-loop", N_("A thread with its own main loop"),
    N_("A worker thread runs its own GMainContext and GMainLoop with a timer and hands each "
       "result to the main loop through an idle source attached to the main context. The "
       "Crawler page's sample site serves from such a thread, so that the window's loop only "
       "runs the crawler. asyncio: a second event loop in a thread and "
       "loop.call_soon_threadsafe()."),
    DEMO_FILE ("thread-loop"), NULL,
    PARAMS (ad_demo_thread_loop_params) },
  { "locks", N_("Locks and semaphores"),
    N_("Threads increment a shared counter without and with a GMutex: without it, updates are "
       "lost. Then a limiter lets only a few tasks run at once. asyncio: asyncio.Lock and "
       "asyncio.Semaphore (and threading.Lock)."),
    DEMO_FILE ("locks"), "src/core/tasks/ad-limiter.c",
    PARAMS (ad_demo_locks_params) },
  { "blocking", N_("Blocking the loop"),
    N_("A badly written callback blocks the main loop. The loop monitor notices the stall and "
       "names the callback. asyncio: debug mode’s “Executing … took 0.300 seconds”."),
    DEMO_FILE ("blocking"), "src/core/monitor/ad-loop-monitor.c",
    PARAMS (ad_demo_blocking_params) },
};

/**
 * ad_basics_get_demos:
 * @n_demos: (out): receives the number of demos
 *
 * Returns: (array length=n_demos) (transfer none): the demos, in order
 */
const AdBasicsDemo *
ad_basics_get_demos (guint *n_demos)
{
  *n_demos = G_N_ELEMENTS (demos);

  return demos;
}

/**
 * ad_basics_lookup:
 *
 * Returns: (nullable) (transfer none): the demo with that id
 */
const AdBasicsDemo *
ad_basics_lookup (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (demos); i++)
    if (g_strcmp0 (demos[i].id, id) == 0)
      return &demos[i];

  return NULL;
}

const AdBasicsParam *
ad_basics_find_param (const AdBasicsDemo *demo,
                      const char         *name)
{
  for (guint i = 0; i < demo->n_params; i++)
    if (g_str_equal (demo->params[i].name, name))
      return &demo->params[i];

  return NULL;
}

/* ---- dispatch ---------------------------------------------------------- */

/* Each demo's run function, by id (ad-demo-NAME.c). */
static const struct
{
  const char      *id;
  AdBasicsRunFunc  run;
} runners[] = {
  { "concurrent", ad_demo_concurrent_run },
  { "cancellation", ad_demo_cancellation_run },
  { "timeout", ad_demo_timeout_run },
  { "error", ad_demo_error_run },
  { "group", ad_demo_group_run },
  { "thread-loop", ad_demo_thread_loop_run },
  { "locks", ad_demo_locks_run },
  { "blocking", ad_demo_blocking_run },
};

G_STATIC_ASSERT (G_N_ELEMENTS (runners) == G_N_ELEMENTS (demos));

static gboolean
check_params (const AdBasicsDemo  *demo,
              GVariant            *params,
              GError             **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *item;

  if (params == NULL)
    return TRUE;

  g_variant_iter_init (&iter, params);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &item))
    {
      g_autoptr(GVariant) value = item;
      const AdBasicsParam *spec = ad_basics_find_param (demo, key);
      const GVariantType *type = spec && spec->type == AD_BASICS_PARAM_BOOLEAN
                                 ? G_VARIANT_TYPE_BOOLEAN : G_VARIANT_TYPE_UINT32;

      if (spec == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The demo “%s” has no parameter “%s”"), demo->id, key);
          return FALSE;
        }
      if (!g_variant_is_of_type (value, type))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The parameter “%s” has the wrong type"), key);
          return FALSE;
        }
      if (spec->type == AD_BASICS_PARAM_UINT &&
          (g_variant_get_uint32 (value) < spec->min || g_variant_get_uint32 (value) > spec->max))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The parameter “%s” must be between %u and %u"), key, spec->min,
                       spec->max);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * ad_basics_run_async:
 * @demo_id: the id of a demo in the table
 * @params: (nullable): an a{sv} dictionary of parameters; a floating
 *   reference is sunk
 * @log: where the demo narrates
 * @cancellable: (nullable): stops the demo
 *
 * Runs one Basics demo on the thread-default main context.
 */
void
ad_basics_run_async (const char          *demo_id,
                     GVariant            *params,
                     AdLogModel          *log,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const AdBasicsDemo *demo;
  GError *error = NULL;
  AdBasicsRun *run;

  g_return_if_fail (demo_id != NULL);
  g_return_if_fail (!params || g_variant_is_of_type (params, G_VARIANT_TYPE_VARDICT));
  g_return_if_fail (AD_IS_LOG_MODEL (log));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_basics_run_async);
  g_task_set_name (task, "[async-demo] basics");
  /* Return only after everything the demo started has finished. */
  g_task_set_check_cancellable (task, FALSE);

  if (params != NULL)
    g_variant_ref_sink (params);

  demo = ad_basics_lookup (demo_id);
  if (demo == NULL)
    {
      g_clear_pointer (&params, g_variant_unref);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("There is no demo called “%s”"), demo_id);
      return;
    }
  if (!check_params (demo, params, &error))
    {
      g_clear_pointer (&params, g_variant_unref);
      g_task_return_error (task, error);
      return;
    }

  run = ad_basics_run_new (demo, log, g_steal_pointer (&params));
  g_task_set_task_data (task, run, (GDestroyNotify) ad_basics_run_free);

  ad_basics_say_printf (run, _("Demo: %s"), _(demo->title));
  for (guint i = 0; i < G_N_ELEMENTS (runners); i++)
    if (g_str_equal (runners[i].id, demo->id))
      runners[i].run (task);
}

/**
 * ad_basics_run_finish:
 *
 * Returns: (transfer full): the demo's one-line summary, or %NULL with
 *   @error set when the run was cancelled or its arguments were wrong
 */
char *
ad_basics_run_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_basics_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
