/* ad-hello.c: "Hello, Async!" and two concurrent greetings
 *
 * The asyncio tutorial's first program:
 *
 *     async def greet(name, delay):
 *         await asyncio.sleep(delay)
 *         print(f"Hello, {name}!")
 *
 *     print("Hello, Async!")
 *     await asyncio.gather(greet("Alice", 1), greet("Bob", 1))
 *
 * Here each greeting is an ad_sleep_async() on the main loop. Started
 * together, both wait at the same time, so the pair takes about one delay,
 * not two. With AD_HELLO_FLAGS_SEQUENTIAL the second greeting starts only
 * when the first has finished, which takes twice as long.
 *
 * The run returns only after every greeting has finished, also when it is
 * cancelled: nothing it started is still running when its callback fires.
 *
 * Each greeting is a task in the default registry, current while its sleep
 * starts (so the sleep is its child in the task tree, and its start and
 * its continuation show on the timeline).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Hello"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-hello.h"
#include "ad-sleep.h"
#include "ad-task-registry.h"

static const char * const names[] = { "Alice", "Bob" };

typedef struct
{
  AdLogModel   *log;
  AdHelloFlags  flags;
  guint         delay_ms;
  guint         next;      /* next greeting to start */
  guint         running;   /* greetings in flight */
  gint64        started;
  GError       *error;     /* the first failure */
} HelloRun;

typedef struct
{
  GTask      *task;        /* owned */
  AdTask     *greet_task;  /* owned: the greeting in the registry */
  const char *name;
} Greeting;

static void greet_start (GTask *task);

static void
hello_run_free (HelloRun *run)
{
  g_clear_object (&run->log);
  g_clear_error (&run->error);
  g_free (run);
}

static void
say (HelloRun   *run,
     const char *message)
{
  if (run->log != NULL)
    ad_log_model_append (run->log, G_LOG_LEVEL_INFO, G_LOG_DOMAIN, message);
  else
    g_info ("%s", message);
}

static void
hello_maybe_return (GTask *task)
{
  HelloRun *run = g_task_get_task_data (task);
  g_autofree char *line = NULL;

  if (run->running > 0)
    return;

  if (run->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&run->error));
      return;
    }

  if (run->next < G_N_ELEMENTS (names))
    {
      greet_start (task);
      return;
    }

  line = g_strdup_printf (_("All greetings done after %.2f s"),
                          (g_get_monotonic_time () - run->started) / (double) G_USEC_PER_SEC);
  say (run, line);
  g_task_return_boolean (task, TRUE);
}

static void
greet_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Greeting *greeting = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&greeting->task);
  HelloRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  run->running--;

  if (ad_sleep_finish (result, &error))
    {
      line = g_strdup_printf (_("Hello, %s!"), greeting->name);
    }
  else
    {
      line = g_strdup_printf (_("Greeting %s stopped: %s"), greeting->name, error->message);
    }
  say (run, line);
  ad_task_finish (greeting->greet_task, error);
  if (error != NULL && run->error == NULL)
    run->error = g_steal_pointer (&error);
  g_object_unref (greeting->greet_task);
  g_free (greeting);

  hello_maybe_return (task);
}

static void
greet_one (GTask *task)
{
  HelloRun *run = g_task_get_task_data (task);
  Greeting *greeting = g_new0 (Greeting, 1);
  g_autofree char *line = NULL;
  g_autofree char *task_name = NULL;
  AdTask *previous;

  greeting->task = g_object_ref (task);
  greeting->name = names[run->next++];
  run->running++;

  task_name = g_strdup_printf ("greet %s", greeting->name);
  greeting->greet_task = ad_task_registry_create (ad_task_registry_get_default (), task_name,
                                                  AD_TASK_KIND_TIMER, ad_task_get_current (),
                                                  NULL);
  ad_task_start (greeting->greet_task);
  previous = ad_task_push_current (greeting->greet_task);

  line = g_strdup_printf (_("Greeting %s in %.1f s…"), greeting->name, run->delay_ms / 1000.0);
  say (run, line);

  ad_sleep_async (run->delay_ms, g_task_get_cancellable (task), greet_done_cb, greeting);
  ad_task_pop_current (previous);
}

static void
greet_start (GTask *task)
{
  HelloRun *run = g_task_get_task_data (task);

  if (run->flags & AD_HELLO_FLAGS_SEQUENTIAL)
    {
      greet_one (task);
      return;
    }

  while (run->next < G_N_ELEMENTS (names))
    greet_one (task);
}

/**
 * ad_hello_run_async:
 * @log: (nullable): where the run narrates what it does
 * @flags: %AD_HELLO_FLAGS_SEQUENTIAL to await one greeting after the other
 * @delay_ms: how long each greeting waits
 * @cancellable: (nullable): stops the greetings
 *
 * Prints "Hello, Async!" and then greets Alice and Bob.
 */
void
ad_hello_run_async (AdLogModel          *log,
                    AdHelloFlags         flags,
                    guint                delay_ms,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HelloRun *run;

  g_return_if_fail (!log || AD_IS_LOG_MODEL (log));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_hello_run_async);
  g_task_set_name (task, "[async-demo] hello");
  g_task_set_check_cancellable (task, FALSE);

  run = g_new0 (HelloRun, 1);
  run->log = log ? g_object_ref (log) : NULL;
  run->flags = flags;
  run->delay_ms = delay_ms;
  run->started = g_get_monotonic_time ();
  g_task_set_task_data (task, run, (GDestroyNotify) hello_run_free);

  say (run, _("Hello, Async!"));
  greet_start (task);
}

/**
 * ad_hello_run_finish:
 *
 * Returns: %TRUE when both greetings finished; %FALSE with @error set
 *   (%G_IO_ERROR_CANCELLED when cancelled)
 */
gboolean
ad_hello_run_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_hello_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
