/* ad-basics.c: the Basics demos, runnable headless and from the GUI
 *
 * Eight small programs, each the GLib way of a piece of the asyncio
 * tutorial. Every demo:
 *  - runs on the caller's thread-default main context (the main loop),
 *    except where it shows threads on purpose;
 *  - narrates into an AdLogModel, so every line carries its time since
 *    the start and the name of the thread that wrote it;
 *  - returns a one-line summary, and returns only when everything it
 *    started has finished (also when cancelled).
 *
 * One GTask per run owns a DemoRun (log, parameters, start time); each
 * demo hangs its own state off it. `pending` counts the operations in
 * flight so that a demo returns exactly once, after the last of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Basics"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-basics.h"
#include "ad-hello.h"
#include "ad-limiter.h"
#include "ad-loop-monitor.h"
#include "ad-sleep.h"
#include "ad-source.h"
#include "ad-task-group.h"
#include "ad-task-registry.h"
#include "ad-thread.h"
#include "ad-timeout.h"
#include "ad-tsan.h"

/* ---- the table --------------------------------------------------------- */

static const AdBasicsParam concurrent_params[] = {
  { "sequential", N_("One after the other"), AD_BASICS_PARAM_BOOLEAN, 0, 1, 0 },
  { "delay-ms", N_("Delay of each greeting (ms)"), AD_BASICS_PARAM_UINT, 0, 60000, 1000 },
};

static const AdBasicsParam cancellation_params[] = {
  { "work-ms", N_("Length of the task (ms)"), AD_BASICS_PARAM_UINT, 0, 60000, 5000 },
  { "cancel-after-ms", N_("Cancel after (ms)"), AD_BASICS_PARAM_UINT, 0, 60000, 1000 },
};

static const AdBasicsParam timeout_params[] = {
  { "work-ms", N_("Length of the operation (ms)"), AD_BASICS_PARAM_UINT, 0, 60000, 2000 },
  { "timeout-ms", N_("Timeout (ms)"), AD_BASICS_PARAM_UINT, 1, 60000, 1000 },
};

static const AdBasicsParam error_params[] = {
  { "delay-ms", N_("Time before the task fails (ms)"), AD_BASICS_PARAM_UINT, 0, 60000, 500 },
};

static const AdBasicsParam group_params[] = {
  { "scale-ms", N_("Worker i waits i × this (ms)"), AD_BASICS_PARAM_UINT, 0, 10000, 1000 },
  { "fail", N_("Worker 2 fails"), AD_BASICS_PARAM_BOOLEAN, 0, 1, 0 },
};

static const AdBasicsParam thread_loop_params[] = {
  { "ticks", N_("Results from the thread"), AD_BASICS_PARAM_UINT, 1, 100, 3 },
  { "interval-ms", N_("Interval of the thread’s timer (ms)"), AD_BASICS_PARAM_UINT, 1, 10000, 300 },
};

static const AdBasicsParam locks_params[] = {
  { "threads", N_("Threads"), AD_BASICS_PARAM_UINT, 2, 16, 4 },
  { "increments", N_("Increments per thread"), AD_BASICS_PARAM_UINT, 1, 10000000, 200000 },
  { "tasks", N_("Tasks behind the limiter"), AD_BASICS_PARAM_UINT, 1, 100, 10 },
  { "limit", N_("Limit"), AD_BASICS_PARAM_UINT, 1, 100, 3 },
  { "task-ms", N_("Length of each task (ms)"), AD_BASICS_PARAM_UINT, 0, 10000, 300 },
};

static const AdBasicsParam blocking_params[] = {
  { "block-ms", N_("Blocking time (ms)"), AD_BASICS_PARAM_UINT, 1, 10000, 300 },
  { "threshold-ms", N_("Stall threshold (ms)"), AD_BASICS_PARAM_UINT, 1, 10000, 100 },
};

#define PARAMS(p) p, G_N_ELEMENTS (p)

static const AdBasicsDemo demos[] = {
  { "concurrent", N_("Concurrent tasks"),
    N_("Two greetings wait one second each. Started together they finish together after about "
       "one second; one after the other they take two. asyncio: asyncio.gather() of two "
       "coroutines versus awaiting them in turn."),
    "src/core/basics/ad-hello.c", PARAMS (concurrent_params) },
  { "cancellation", N_("Cancellation"),
    N_("A long task is cancelled by its caller. The task notices, cleans up and finishes; the "
       "caller reports it calmly. asyncio: task.cancel() and catching CancelledError."),
    "src/core/basics/ad-basics.c", PARAMS (cancellation_params) },
  { "timeout", N_("Timeout"),
    N_("An operation gets a deadline. When it passes, the operation is cancelled and the caller "
       "gets “timed out”, which differs from a cancellation by the user. asyncio: "
       "asyncio.wait_for() and asyncio.timeout()."),
    "src/core/tasks/ad-timeout.c", PARAMS (timeout_params) },
  { "error", N_("Error handling"),
    N_("A task fails; its GError travels through the callback to the caller, which shows it. "
       "asyncio: an exception raised in a task and caught where it is awaited."),
    "src/core/basics/ad-basics.c", PARAMS (error_params) },
  { "group", N_("Task group"),
    N_("Five workers run in a group and their results are gathered in start order. When one "
       "fails, the group cancels the others and reports the error. asyncio: asyncio.TaskGroup."),
    "src/core/tasks/ad-task-group.c", PARAMS (group_params) },
  { "thread-loop", N_("A thread with its own main loop"),
    N_("A worker thread runs its own GMainContext and GMainLoop with a timer and hands each "
       "result to the main loop through an idle source attached to the main context. asyncio: "
       "a second event loop in a thread and loop.call_soon_threadsafe()."),
    "src/core/basics/ad-basics.c", PARAMS (thread_loop_params) },
  { "locks", N_("Locks and semaphores"),
    N_("Threads increment a shared counter without and with a GMutex: without it, updates are "
       "lost. Then a limiter lets only a few tasks run at once. asyncio: asyncio.Lock and "
       "asyncio.Semaphore (and threading.Lock)."),
    "src/core/tasks/ad-limiter.c", PARAMS (locks_params) },
  { "blocking", N_("Blocking the loop"),
    N_("A badly written callback blocks the main loop. The loop monitor notices the stall and "
       "names the callback. asyncio: debug mode’s “Executing … took 0.300 seconds”."),
    "src/core/monitor/ad-loop-monitor.c", PARAMS (blocking_params) },
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

/* ---- the run ----------------------------------------------------------- */

typedef struct
{
  const AdBasicsDemo *demo;
  AdLogModel         *log;
  GVariant           *params;
  gint64              started;
  guint               pending;
  GError             *error;      /* the run's own failure (cancellation) */
  char               *summary;
  gpointer            state;
  GDestroyNotify      state_free;
} DemoRun;

static void
demo_run_free (DemoRun *run)
{
  if (run->state_free != NULL)
    run->state_free (run->state);
  g_clear_object (&run->log);
  g_clear_pointer (&run->params, g_variant_unref);
  g_clear_error (&run->error);
  g_free (run->summary);
  g_free (run);
}

static DemoRun *
run_of (GTask *task)
{
  return g_task_get_task_data (task);
}

static void
say (DemoRun    *run,
     const char *message)
{
  ad_log_model_append (run->log, G_LOG_LEVEL_INFO, G_LOG_DOMAIN, message);
}

static void say_printf (DemoRun    *run,
                        const char *format,
                        ...) G_GNUC_PRINTF (2, 3);

static void
say_printf (DemoRun    *run,
            const char *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  say (run, message);
}

static double
seconds_since_start (DemoRun *run)
{
  return (g_get_monotonic_time () - run->started) / (double) G_USEC_PER_SEC;
}

static guint
param (DemoRun    *run,
       const char *name)
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
static void
run_fail (DemoRun *run,
          GError  *error)
{
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
}

/* Returns the task when nothing the demo started is in flight. */
static void
run_maybe_return (GTask *task)
{
  DemoRun *run = run_of (task);

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
static void
post_to_context (GMainContext   *context,
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
static void
posted_acquire (void)
{
  ad_mutex_lock (&post_mutex);
  ad_mutex_unlock (&post_mutex);
}

/* ---- a sleeping operation, for the AdAsyncStartFunc users -------------- */

typedef struct
{
  DemoRun    *run;
  guint       msec;
  const char *who;
} Nap;

static void
nap_slept_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Nap *nap = g_task_get_task_data (task);
  GError *error = NULL;

  if (ad_sleep_finish (result, &error))
    {
      say_printf (nap->run, _("%s: done after %.1f s"), nap->who, nap->msec / 1000.0);
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      say_printf (nap->run, _("%s: cancelled, cleaning up"), nap->who);
      g_task_return_error (task, error);
    }
}

static void
nap_start (GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             callback_data,
           gpointer             user_data)
{
  Nap *nap = user_data;
  GTask *task = g_task_new (NULL, cancellable, callback, callback_data);

  g_task_set_task_data (task, nap, NULL);
  g_task_set_check_cancellable (task, FALSE);
  say_printf (nap->run, _("%s: working for %.1f s…"), nap->who, nap->msec / 1000.0);
  ad_sleep_async (nap->msec, cancellable, nap_slept_cb, task);
}

static gboolean
nap_finish (GObject       *source,
            GAsyncResult  *result,
            GValue        *value,
            GError       **error,
            gpointer       user_data)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- 1. concurrent ----------------------------------------------------- */

static void
concurrent_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DemoRun *run = run_of (task);
  GError *error = NULL;

  run->pending--;
  if (ad_hello_run_finish (result, &error))
    run->summary = g_strdup_printf (_("Finished after %.1f s"), seconds_since_start (run));
  else
    run_fail (run, error);

  run_maybe_return (task);
}

static void
concurrent_run (GTask *task)
{
  DemoRun *run = run_of (task);
  gboolean sequential = param (run, "sequential");

  say (run, sequential ? _("Awaiting the greetings one after the other")
                       : _("Starting both greetings at once"));
  run->pending++;
  ad_hello_run_async (run->log, sequential ? AD_HELLO_FLAGS_SEQUENTIAL : AD_HELLO_FLAGS_NONE,
                      param (run, "delay-ms"), g_task_get_cancellable (task),
                      concurrent_done_cb, g_object_ref (task));
}

/* ---- 2. cancellation --------------------------------------------------- */

typedef struct
{
  Nap           nap;
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
  DemoRun *run = run_of (task);
  Cancellation *state = run->state;
  g_autoptr(GError) error = NULL;

  run->pending--;
  if (nap_finish (source, result, NULL, &error, NULL))
    {
      say (run, _("Caller: the task finished before I cancelled it"));
      run->summary = g_strdup_printf (_("Finished after %.1f s, not cancelled"),
                                      seconds_since_start (run));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      say (run, _("Caller: the task confirmed its cancellation"));
      run->summary = g_strdup_printf (_("Cancelled after %.1f s"),
                                      (state->cancelled_at - run->started) /
                                      (double) G_USEC_PER_SEC);
    }

  run_maybe_return (task);
}

static void
cancellation_timer_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DemoRun *run = run_of (task);
  Cancellation *state = run->state;
  GError *error = NULL;

  run->pending--;
  if (ad_sleep_finish (result, &error))
    say_printf (run, _("Caller: cancelling the task after %.1f s"), seconds_since_start (run));
  else
    run_fail (run, error);   /* the whole run was cancelled: stop the task too */

  state->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (state->worker_cancellable);

  run_maybe_return (task);
}

static void
cancellation_run (GTask *task)
{
  DemoRun *run = run_of (task);
  Cancellation *state = g_new0 (Cancellation, 1);

  run->state = state;
  run->state_free = (GDestroyNotify) cancellation_free;
  state->nap = (Nap) { run, param (run, "work-ms"), _("Task") };
  state->worker_cancellable = g_cancellable_new ();

  run->pending += 2;
  nap_start (state->worker_cancellable, cancellation_worker_done_cb, g_object_ref (task),
             &state->nap);
  ad_sleep_async (param (run, "cancel-after-ms"), g_task_get_cancellable (task),
                  cancellation_timer_cb, g_object_ref (task));
}

/* ---- 3. timeout -------------------------------------------------------- */

static void
timeout_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DemoRun *run = run_of (task);
  GError *error = NULL;

  run->pending--;
  if (ad_timeout_run_finish (result, NULL, &error))
    {
      say (run, _("Caller: the operation finished in time"));
      run->summary = g_strdup_printf (_("Finished in time after %.1f s"),
                                      seconds_since_start (run));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      say_printf (run, _("Caller: %s"), error->message);
      run->summary = g_strdup_printf (_("Timed out after %.1f s"), seconds_since_start (run));
      g_error_free (error);
    }
  else
    {
      run_fail (run, error);
    }

  run_maybe_return (task);
}

static void
timeout_run (GTask *task)
{
  DemoRun *run = run_of (task);
  Nap *nap = g_new0 (Nap, 1);
  guint timeout_ms = param (run, "timeout-ms");

  *nap = (Nap) { run, param (run, "work-ms"), _("Operation") };
  run->state = nap;
  run->state_free = g_free;

  say_printf (run, _("Caller: waiting at most %.1f s"), timeout_ms / 1000.0);
  run->pending++;
  ad_timeout_run_async (timeout_ms, nap_start, nap_finish, nap, g_task_get_cancellable (task),
                        timeout_done_cb, g_object_ref (task));
}

/* ---- 4. error ---------------------------------------------------------- */

static void
error_task_slept_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) failing = user_data;
  DemoRun *run = g_task_get_task_data (failing);
  GError *error = NULL;

  if (!ad_sleep_finish (result, &error))
    {
      g_task_return_error (failing, error);
      return;
    }

  say (run, _("Task: something went wrong, returning an error"));
  g_task_return_new_error (failing, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The input had no closing bracket"));
}

static void
error_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DemoRun *run = run_of (task);
  GError *error = NULL;

  run->pending--;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      run->summary = g_strdup (_("No error"));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      run_fail (run, error);
    }
  else
    {
      say_printf (run, _("Caller: the task failed: %s"), error->message);
      run->summary = g_strdup_printf (_("Error: %s"), error->message);
      g_error_free (error);
    }

  run_maybe_return (task);
}

static void
error_run (GTask *task)
{
  DemoRun *run = run_of (task);
  GTask *failing = g_task_new (NULL, g_task_get_cancellable (task), error_done_cb,
                               g_object_ref (task));

  g_task_set_task_data (failing, run, NULL);
  g_task_set_name (failing, "[async-demo] basics: failing task");
  say (run, _("Caller: starting a task that will fail"));
  run->pending++;
  ad_sleep_async (param (run, "delay-ms"), g_task_get_cancellable (task), error_task_slept_cb,
                  failing);
}

/* ---- 5. group ---------------------------------------------------------- */

#define GROUP_WORKERS 5

typedef struct
{
  DemoRun *run;
  guint    index;
  guint    msec;
  gboolean fail;
} GroupWorker;

typedef struct
{
  AdTaskGroup *group;
  GroupWorker  workers[GROUP_WORKERS];
} GroupState;

static void
group_state_free (GroupState *state)
{
  g_clear_object (&state->group);
  g_free (state);
}

static void
group_worker_slept_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GroupWorker *worker = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ad_sleep_finish (result, &error))
    {
      say_printf (worker->run, _("Worker %u: cancelled"), worker->index);
      g_task_return_error (task, error);
    }
  else if (worker->fail)
    {
      say_printf (worker->run, _("Worker %u: failing"), worker->index);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("Worker %u failed"),
                               worker->index);
    }
  else
    {
      say_printf (worker->run, _("Worker %u: returns %u"), worker->index, worker->index * 2);
      g_task_return_int (task, (gssize) worker->index * 2);
    }
}

static void
group_worker_start (GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             callback_data,
                    gpointer             user_data)
{
  GroupWorker *worker = user_data;
  GTask *task = g_task_new (NULL, cancellable, callback, callback_data);

  g_task_set_task_data (task, worker, NULL);
  g_task_set_check_cancellable (task, FALSE);
  say_printf (worker->run, _("Worker %u: waiting %.1f s"), worker->index, worker->msec / 1000.0);
  ad_sleep_async (worker->msec, cancellable, group_worker_slept_cb, task);
}

static gboolean
group_worker_finish (GObject       *source,
                     GAsyncResult  *result,
                     GValue        *value,
                     GError       **error,
                     gpointer       user_data)
{
  GError *local_error = NULL;
  gssize ret = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  g_value_init (value, G_TYPE_INT);
  g_value_set_int (value, (int) ret);
  return TRUE;
}

static void
group_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DemoRun *run = run_of (task);
  AdTaskGroup *group = AD_TASK_GROUP (source);
  GError *error = NULL;

  run->pending--;
  if (ad_task_group_wait_finish (group, result, &error))
    {
      g_autoptr(GString) values = g_string_new ("[");

      for (guint i = 0; i < ad_task_group_get_n_children (group); i++)
        g_string_append_printf (values, "%s%d", i ? ", " : "",
                                g_value_get_int (ad_task_group_get_child_value (group, i)));
      g_string_append_c (values, ']');
      say_printf (run, _("Gathered in start order: %s"), values->str);
      run->summary = g_strdup_printf (_("Results %s after %.1f s"), values->str,
                                      seconds_since_start (run));
    }
  else if (g_task_return_error_if_cancelled (task))
    {
      /* The run itself was cancelled: the group cancelled its workers. */
      g_error_free (error);
      return;
    }
  else
    {
      guint n_cancelled = 0;

      for (guint i = 0; i < ad_task_group_get_n_children (group); i++)
        if (ad_task_get_state (ad_task_group_get_child_task (group, i)) == AD_TASK_STATE_CANCELLED)
          n_cancelled++;
      say_printf (run, _("The group failed: %s (%u workers cancelled)"), error->message,
                  n_cancelled);
      run->summary = g_strdup_printf (_("Group failed: %s"), error->message);
      g_error_free (error);
    }

  run_maybe_return (task);
}

static void
group_run (GTask *task)
{
  DemoRun *run = run_of (task);
  GroupState *state = g_new0 (GroupState, 1);
  guint scale = param (run, "scale-ms");
  gboolean fail = param (run, "fail");

  run->state = state;
  run->state_free = (GDestroyNotify) group_state_free;
  state->group = ad_task_group_new ("Basics: task group");

  say (run, _("Starting five workers in a task group"));
  for (guint i = 0; i < GROUP_WORKERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("worker %u", i);

      state->workers[i] = (GroupWorker) { run, i, i * scale, fail && i == 2 };
      ad_task_group_add (state->group, name, AD_TASK_KIND_TIMER, group_worker_start,
                         group_worker_finish, &state->workers[i], NULL);
    }

  run->pending++;
  ad_task_group_wait_async (state->group, g_task_get_cancellable (task), group_done_cb,
                            g_object_ref (task));
}

/* ---- 6. a thread with its own main loop -------------------------------- */

typedef struct
{
  gatomicrefcount  ref_count;
  GTask           *task;            /* main thread only */
  GMainContext    *main_context;
  AdLogModel      *log;
  GCancellable    *cancellable;
  GThread         *thread;
  guint            ticks;
  guint            interval_ms;
  guint            sent;            /* worker thread only */
  GMainLoop       *loop;            /* worker thread only */
  guint            received;        /* main thread only */
} ThreadLoop;

typedef struct
{
  ThreadLoop *state;
  guint       value;
  const char *thread_name;          /* interned */
} Delivery;

static ThreadLoop *
thread_loop_ref (ThreadLoop *state)
{
  g_atomic_ref_count_inc (&state->ref_count);
  return state;
}

static void
thread_loop_unref (ThreadLoop *state)
{
  if (!g_atomic_ref_count_dec (&state->ref_count))
    return;

  g_main_context_unref (state->main_context);
  g_clear_object (&state->log);
  g_clear_object (&state->cancellable);
  g_free (state);
}

static gboolean
deliver_cb (gpointer user_data)
{
  Delivery *delivery = user_data;
  ThreadLoop *state;

  posted_acquire ();
  state = delivery->state;
  state->received++;
  ad_log_model_appendf (state->log, G_LOG_LEVEL_INFO, G_LOG_DOMAIN,
                        _("Main loop: received result %u from thread %s"),
                        delivery->value, delivery->thread_name);

  return G_SOURCE_REMOVE;
}

static void
delivery_free (Delivery *delivery)
{
  thread_loop_unref (delivery->state);
  g_free (delivery);
}

static gboolean
thread_tick_cb (gpointer user_data)
{
  ThreadLoop *state = user_data;
  Delivery *delivery = g_new0 (Delivery, 1);
  guint value = ++state->sent;

  ad_log_model_appendf (state->log, G_LOG_LEVEL_INFO, G_LOG_DOMAIN,
                        _("Worker loop: timer fired, result %u"), value * value);
  delivery->state = thread_loop_ref (state);
  delivery->value = value * value;
  delivery->thread_name = ad_intern_string (ad_thread_name ());
  post_to_context (state->main_context, "[async-demo] basics: deliver a result", deliver_cb,
                   delivery, (GDestroyNotify) delivery_free);

  if (state->sent < state->ticks)
    return G_SOURCE_CONTINUE;

  g_main_loop_quit (state->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
thread_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  ThreadLoop *state = user_data;

  ad_log_model_append (state->log, G_LOG_LEVEL_INFO, G_LOG_DOMAIN,
                       _("Worker loop: cancelled, quitting"));
  g_main_loop_quit (state->loop);

  return G_SOURCE_REMOVE;
}

static gboolean
thread_finished_cb (gpointer user_data)
{
  ThreadLoop *state = user_data;
  g_autoptr(GTask) task = NULL;
  DemoRun *run;

  posted_acquire ();
  task = g_steal_pointer (&state->task);
  run = run_of (task);

  /* The thread has left its loop and is about to return: joining is quick. */
  g_thread_join (g_steal_pointer (&state->thread));
  run->pending--;

  if (g_cancellable_is_cancelled (state->cancellable))
    {
      run_fail (run, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          _("Operation was cancelled")));
    }
  else
    {
      say (run, _("Main loop: the worker thread has finished"));
      run->summary = g_strdup_printf (_("%u results handed from a thread’s loop to the main loop"),
                                      state->received);
    }

  run_maybe_return (task);
  return G_SOURCE_REMOVE;
}

static gpointer
thread_loop_main (gpointer user_data)
{
  ThreadLoop *state = user_data;
  GMainContext *context = g_main_context_new ();
  GSource *timer, *cancel;

  g_main_context_push_thread_default (context);
  state->loop = g_main_loop_new (context, FALSE);

  timer = g_timeout_source_new (state->interval_ms);
  g_source_set_name (timer, "[async-demo] basics: worker loop timer");
  g_source_set_callback (timer, thread_tick_cb, state, NULL);
  g_source_attach (timer, context);

  cancel = g_cancellable_source_new (state->cancellable);
  g_source_set_name (cancel, "[async-demo] basics: worker loop cancel");
  g_source_set_callback (cancel, G_SOURCE_FUNC (thread_cancelled_cb), state, NULL);
  g_source_attach (cancel, context);

  ad_log_model_append (state->log, G_LOG_LEVEL_INFO, G_LOG_DOMAIN,
                       _("Worker loop: running my own main loop"));
  g_main_loop_run (state->loop);

  g_source_destroy (timer);
  g_source_unref (timer);
  g_source_destroy (cancel);
  g_source_unref (cancel);
  g_clear_pointer (&state->loop, g_main_loop_unref);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);

  /* Queued after every delivery, so the main loop sees them first. */
  post_to_context (state->main_context, "[async-demo] basics: worker thread finished",
                   thread_finished_cb, thread_loop_ref (state), (GDestroyNotify) thread_loop_unref);
  /* Never the last reference: the run holds one until thread_finished_cb. */
  thread_loop_unref (state);

  return NULL;
}

static void
thread_loop_run (GTask *task)
{
  DemoRun *run = run_of (task);
  ThreadLoop *state = g_new0 (ThreadLoop, 1);

  g_atomic_ref_count_init (&state->ref_count);
  state->task = g_object_ref (task);
  state->main_context = g_main_context_ref (g_task_get_context (task));
  state->log = g_object_ref (run->log);
  state->cancellable = g_task_get_cancellable (task)
                       ? g_object_ref (g_task_get_cancellable (task)) : g_cancellable_new ();
  state->ticks = param (run, "ticks");
  state->interval_ms = param (run, "interval-ms");
  run->state = state;
  run->state_free = (GDestroyNotify) thread_loop_unref;

  say (run, _("Main loop: starting a thread with its own main loop"));
  run->pending++;
  state->thread = g_thread_new ("ad-loop-thread", thread_loop_main, thread_loop_ref (state));
}

/* ---- 7. locks and semaphores ------------------------------------------- */

typedef struct
{
  guint   n_threads;
  guint   increments;
  gint    counter;
  GMutex  mutex;
  gboolean locked;
  GCancellable *cancellable;
} Counter;

typedef struct
{
  DemoRun    *run;
  AdLimiter  *limiter;
  Nap        *naps;
  guint       n_tasks;
  guint       running;
  guint       max_running;
  guint       lost;
  gboolean    counted;
  GThread    *counting_thread;
} Locks;

static void
locks_free (Locks *state)
{
  g_clear_object (&state->limiter);
  g_free (state->naps);
  g_free (state);
}

static gpointer
counter_thread (gpointer user_data)
{
  Counter *counter = user_data;

  for (guint i = 0; i < counter->increments; i++)
    {
      if (counter->locked)
        {
          ad_mutex_lock (&counter->mutex);
          counter->counter++;
          ad_mutex_unlock (&counter->mutex);
        }
      else
        {
          /* Read, then write: another thread may write in between, and
           * its update is lost. Atomic loads and stores keep this a race
           * of logic, not undefined behaviour. */
          gint value = g_atomic_int_get (&counter->counter);

          g_atomic_int_set (&counter->counter, value + 1);
        }
      if (i % 4096 == 0 && g_cancellable_is_cancelled (counter->cancellable))
        break;
    }

  return NULL;
}

static guint
count_with_threads (Counter *counter)
{
  GThread **threads = g_new0 (GThread *, counter->n_threads);

  counter->counter = 0;
  for (guint i = 0; i < counter->n_threads; i++)
    threads[i] = g_thread_new ("ad-counter", counter_thread, counter);
  for (guint i = 0; i < counter->n_threads; i++)
    g_thread_join (threads[i]);
  g_free (threads);

  return g_atomic_int_get (&counter->counter);
}

static gboolean counters_done_cb (gpointer user_data);

/* Runs on a dedicated thread: it only starts and joins its own threads,
 * which would tie up a pool thread for the whole count. */
static gpointer
counters_main (gpointer user_data)
{
  GTask *task = user_data;
  DemoRun *run = run_of (task);
  Locks *state = run->state;
  Counter counter = { 0 };
  guint expected, unlocked, locked;

  counter.n_threads = param (run, "threads");
  counter.increments = param (run, "increments");
  counter.cancellable = g_task_get_cancellable (task);
  g_mutex_init (&counter.mutex);
  expected = counter.n_threads * counter.increments;

  say_printf (run, _("%u threads add 1 to a shared counter %u times each, without a lock…"),
              counter.n_threads, counter.increments);
  counter.locked = FALSE;
  unlocked = count_with_threads (&counter);
  say_printf (run, _("Without a lock: %u instead of %u (%u updates lost)"), unlocked, expected,
              expected - unlocked);

  counter.locked = TRUE;
  locked = count_with_threads (&counter);
  say_printf (run, _("With a GMutex: %u of %u"), locked, expected);
  g_mutex_clear (&counter.mutex);

  state->lost = expected - unlocked;
  state->counted = locked == expected;

  /* The task's reference goes with the callback to the main loop. */
  post_to_context (g_task_get_context (task), "[async-demo] basics: counting done",
                   counters_done_cb, task, NULL);

  return NULL;
}

static void
limited_nap_start (GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             callback_data,
                   gpointer             user_data)
{
  Nap *nap = user_data;
  Locks *state = nap->run->state;

  state->running++;
  state->max_running = MAX (state->max_running, state->running);
  say_printf (nap->run, _("%s starts (%u running)"), nap->who, state->running);
  nap_start (cancellable, callback, callback_data, nap);
}

static gboolean
limited_nap_finish (GObject       *source,
                    GAsyncResult  *result,
                    GValue        *value,
                    GError       **error,
                    gpointer       user_data)
{
  Nap *nap = user_data;
  Locks *state = nap->run->state;

  state->running--;
  return nap_finish (source, result, value, error, user_data);
}

static void
limited_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DemoRun *run = run_of (task);
  Locks *state = run->state;
  GError *error = NULL;

  run->pending--;
  if (!ad_limiter_run_finish (AD_LIMITER (source), result, NULL, &error))
    run_fail (run, error);

  if (run->pending == 0 && run->error == NULL)
    {
      say_printf (run, _("At most %u of %u tasks ran at once"), state->max_running,
                  state->n_tasks);
      run->summary = g_strdup_printf (_("%u updates lost without a lock, none with one; "
                                        "at most %u tasks at once"),
                                      state->lost, state->max_running);
    }

  run_maybe_return (task);
}

static gboolean
counters_done_cb (gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  DemoRun *run;
  Locks *state;
  guint limit;

  posted_acquire ();
  task = user_data;
  run = run_of (task);
  state = run->state;
  limit = param (run, "limit");

  g_thread_join (g_steal_pointer (&state->counting_thread));
  run->pending--;
  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  state->n_tasks = param (run, "tasks");
  state->limiter = ad_limiter_new (limit);
  state->naps = g_new0 (Nap, state->n_tasks);
  say_printf (run, _("Now %u tasks behind a limiter of %u"), state->n_tasks, limit);
  for (guint i = 0; i < state->n_tasks; i++)
    {
      g_autofree char *who = g_strdup_printf (_("Task %u"), i);

      state->naps[i] = (Nap) { run, param (run, "task-ms"), ad_intern_string (who) };
      run->pending++;
      ad_limiter_run_async (state->limiter, limited_nap_start, limited_nap_finish,
                            &state->naps[i], g_task_get_cancellable (task), limited_done_cb,
                            g_object_ref (task));
    }

  return G_SOURCE_REMOVE;
}

static void
locks_run (GTask *task)
{
  DemoRun *run = run_of (task);
  Locks *state = g_new0 (Locks, 1);

  state->run = run;
  run->state = state;
  run->state_free = (GDestroyNotify) locks_free;

  run->pending++;
  state->counting_thread = g_thread_new ("ad-counting", counters_main, g_object_ref (task));
}

/* ---- 8. blocking the loop ---------------------------------------------- */

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
  DemoRun *run = run_of (task);
  Blocking *state = run->state;
  GError *error = NULL;

  run->pending--;
  ad_loop_monitor_stop (state->monitor);
  if (!ad_sleep_finish (result, &error))
    {
      run_fail (run, error);
    }
  else if (state->stalled)
    {
      const char *culprit = state->culprit ? state->culprit : _("an unknown source");

      say_printf (run, _("Loop monitor: the main loop stalled for %.0f ms in “%s”"),
                  state->stall_us / 1000.0, culprit);
      run->summary = g_strdup_printf (_("Stall of %.0f ms caused by “%s”"),
                                      state->stall_us / 1000.0, culprit);
    }
  else
    {
      say (run, _("Loop monitor: no stall above the threshold"));
      run->summary = g_strdup (_("No stall detected"));
    }

  run_maybe_return (task);
}

static void
blocking_started_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DemoRun *run = run_of (task);
  Blocking *state = run->state;
  GCancellable *cancellable;
  GError *error = NULL;

  if (!ad_sleep_finish (result, &error))
    {
      run->pending--;
      run_fail (run, error);
      run_maybe_return (task);
      return;
    }

  say_printf (run, _("Scheduling a callback that blocks the loop for %u ms"), state->block_ms);
  ad_idle_add_named (G_PRIORITY_DEFAULT, "[async-demo] basics: a bad callback", bad_callback,
                     state, NULL);
  /* Give the heartbeat time to run again after the block. */
  cancellable = g_task_get_cancellable (task);
  ad_sleep_async (state->block_ms + 100, cancellable, blocking_after_cb, g_steal_pointer (&task));
}

static void
blocking_run (GTask *task)
{
  DemoRun *run = run_of (task);
  Blocking *state = g_new0 (Blocking, 1);

  run->state = state;
  run->state_free = (GDestroyNotify) blocking_free;
  state->block_ms = param (run, "block-ms");
  state->monitor = ad_loop_monitor_new (g_task_get_context (task));
  ad_loop_monitor_set_stall_threshold (state->monitor, param (run, "threshold-ms"));
  state->stall_handler = g_signal_connect (state->monitor, "stall",
                                           G_CALLBACK (blocking_stall_cb), state);
  ad_loop_monitor_start (state->monitor);
  say (run, _("Loop monitor: watching the main loop"));

  run->pending++;
  ad_sleep_async (50, g_task_get_cancellable (task), blocking_started_cb, g_object_ref (task));
}

/* ---- dispatch ---------------------------------------------------------- */

typedef void (*DemoRunFunc) (GTask *task);

static const struct
{
  const char  *id;
  DemoRunFunc  run;
} runners[] = {
  { "concurrent", concurrent_run },
  { "cancellation", cancellation_run },
  { "timeout", timeout_run },
  { "error", error_run },
  { "group", group_run },
  { "thread-loop", thread_loop_run },
  { "locks", locks_run },
  { "blocking", blocking_run },
};

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
  DemoRun *run;

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

  run = g_new0 (DemoRun, 1);
  run->demo = demo;
  run->log = g_object_ref (log);
  run->params = params;
  run->started = g_get_monotonic_time ();
  g_task_set_task_data (task, run, (GDestroyNotify) demo_run_free);

  say_printf (run, _("Demo: %s"), _(demo->title));
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
