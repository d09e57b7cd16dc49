/* ad-demo-locks.c: the Basics demo "Locks and semaphores"
 *
 * Threads increment a shared counter, first without a lock (updates
 * are lost), then with a GMutex (none are). Then tasks queue behind a
 * limiter that lets only a few run at once.
 *
 * asyncio: asyncio.Lock and asyncio.Semaphore (and threading.Lock).
 * Here: GMutex for threads, AdLimiter (ad-limiter.c) for async tasks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Basics"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-basics-private.h"
#include "ad-limiter.h"
#include "ad-thread.h"
#include "ad-tsan.h"

const AdBasicsParam ad_demo_locks_params[] = {
  { "threads", N_("Threads"), AD_BASICS_PARAM_UINT, 2, 16, 4 },
  { "increments", N_("Increments per thread"), AD_BASICS_PARAM_UINT, 1, 10000000, 200000 },
  { "tasks", N_("Tasks behind the limiter"), AD_BASICS_PARAM_UINT, 1, 100, 10 },
  { "limit", N_("Limit"), AD_BASICS_PARAM_UINT, 1, 100, 3 },
  { "task-ms", N_("Length of each task (ms)"), AD_BASICS_PARAM_UINT, 0, 10000, 300 },
};

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
  AdBasicsRun *run;
  AdLimiter   *limiter;
  AdBasicsNap *naps;
  guint        n_tasks;
  guint        running;
  guint        max_running;
  guint        lost;
  gboolean     counted;
  GThread     *counting_thread;
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
  AdBasicsRun *run = ad_basics_run_of (task);
  Locks *state = run->state;
  Counter counter = { 0 };
  guint expected, unlocked, locked;

  counter.n_threads = ad_basics_param (run, "threads");
  counter.increments = ad_basics_param (run, "increments");
  counter.cancellable = g_task_get_cancellable (task);
  g_mutex_init (&counter.mutex);
  expected = counter.n_threads * counter.increments;

  ad_basics_say_printf (run,
                        _("%u threads add 1 to a shared counter %u times each, without a lock…"),
                        counter.n_threads, counter.increments);
  counter.locked = FALSE;
  unlocked = count_with_threads (&counter);
  ad_basics_say_printf (run, _("Without a lock: %u instead of %u (%u updates lost)"), unlocked,
                        expected, expected - unlocked);

  counter.locked = TRUE;
  locked = count_with_threads (&counter);
  ad_basics_say_printf (run, _("With a GMutex: %u of %u"), locked, expected);
  g_mutex_clear (&counter.mutex);

  state->lost = expected - unlocked;
  state->counted = locked == expected;

  /* The task's reference goes with the callback to the main loop. */
  ad_basics_post_to_context (g_task_get_context (task), "[async-demo] basics: counting done",
                             counters_done_cb, task, NULL);

  return NULL;
}

static void
limited_nap_start (GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             callback_data,
                   gpointer             user_data)
{
  AdBasicsNap *nap = user_data;
  Locks *state = nap->run->state;

  state->running++;
  state->max_running = MAX (state->max_running, state->running);
  ad_basics_say_printf (nap->run, _("%s starts (%u running)"), nap->who, state->running);
  ad_basics_nap_start (cancellable, callback, callback_data, nap);
}

static gboolean
limited_nap_finish (GObject       *source,
                    GAsyncResult  *result,
                    GValue        *value,
                    GError       **error,
                    gpointer       user_data)
{
  AdBasicsNap *nap = user_data;
  Locks *state = nap->run->state;

  state->running--;
  return ad_basics_nap_finish (source, result, value, error, user_data);
}

static void
limited_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdBasicsRun *run = ad_basics_run_of (task);
  Locks *state = run->state;
  GError *error = NULL;

  run->pending--;
  if (!ad_limiter_run_finish (AD_LIMITER (source), result, NULL, &error))
    ad_basics_run_fail (run, error);

  if (run->pending == 0 && run->error == NULL)
    {
      ad_basics_say_printf (run, _("At most %u of %u tasks ran at once"), state->max_running,
                            state->n_tasks);
      run->summary = g_strdup_printf (_("%u updates lost without a lock, none with one; "
                                        "at most %u tasks at once"),
                                      state->lost, state->max_running);
    }

  ad_basics_run_maybe_return (task);
}

static gboolean
counters_done_cb (gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  AdBasicsRun *run;
  Locks *state;
  guint limit, task_ms;

  ad_basics_posted_acquire ();
  task = user_data;
  run = ad_basics_run_of (task);
  state = run->state;
  limit = ad_basics_param (run, "limit");
  task_ms = ad_basics_param (run, "task-ms");

  g_thread_join (g_steal_pointer (&state->counting_thread));
  run->pending--;
  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  state->n_tasks = ad_basics_param (run, "tasks");
  state->limiter = ad_limiter_new (limit);
  state->naps = g_new0 (AdBasicsNap, state->n_tasks);
  ad_basics_say_printf (run, _("Now %u tasks behind a limiter of %u"), state->n_tasks, limit);
  for (guint i = 0; i < state->n_tasks; i++)
    {
      g_autofree char *who = g_strdup_printf (_("Task %u"), i);

      state->naps[i] = (AdBasicsNap) { run, task_ms, ad_intern_string (who) };
      run->pending++;
      ad_limiter_run_async (state->limiter, limited_nap_start, limited_nap_finish,
                            &state->naps[i], g_task_get_cancellable (task), limited_done_cb,
                            g_object_ref (task));
    }

  return G_SOURCE_REMOVE;
}

void
ad_demo_locks_run (GTask *task)
{
  AdBasicsRun *run = ad_basics_run_of (task);
  Locks *state = g_new0 (Locks, 1);

  state->run = run;
  run->state = state;
  run->state_free = (GDestroyNotify) locks_free;

  run->pending++;
  state->counting_thread = g_thread_new ("ad-counting", counters_main, g_object_ref (task));
}
