/* ad-demo-thread-loop.c: the Basics demo "A thread with its own main loop"
 *
 * A worker thread runs its own GMainContext and GMainLoop with a timer.
 * Each tick's result goes to the main loop as an idle source attached to
 * the main context; the main loop logs it, and the log shows which thread
 * wrote each line. Cancelling quits the worker's loop from its own
 * context.
 *
 * asyncio: a second event loop in a thread, and
 * loop.call_soon_threadsafe() to hand results back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Basics"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-basics-private.h"
#include "ad-thread.h"

const AdBasicsParam ad_demo_thread_loop_params[] = {
  { "ticks", N_("Results from the thread"), AD_BASICS_PARAM_UINT, 1, 100, 3 },
  { "interval-ms", N_("Interval of the thread’s timer (ms)"), AD_BASICS_PARAM_UINT,
    1, 10000, 300 },
};

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

  ad_basics_posted_acquire ();
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
  ad_basics_post_to_context (state->main_context, "[async-demo] basics: deliver a result",
                             deliver_cb, delivery, (GDestroyNotify) delivery_free);

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
  AdBasicsRun *run;

  ad_basics_posted_acquire ();
  task = g_steal_pointer (&state->task);
  run = ad_basics_run_of (task);

  /* The thread has left its loop and is about to return: joining is quick. */
  g_thread_join (g_steal_pointer (&state->thread));
  run->pending--;

  if (g_cancellable_is_cancelled (state->cancellable))
    {
      ad_basics_run_fail (run, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                    _("Operation was cancelled")));
    }
  else
    {
      ad_basics_say (run, _("Main loop: the worker thread has finished"));
      run->summary = g_strdup_printf (_("%u results handed from a thread’s loop to the main loop"),
                                      state->received);
    }

  ad_basics_run_maybe_return (task);
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
  ad_basics_post_to_context (state->main_context, "[async-demo] basics: worker thread finished",
                             thread_finished_cb, thread_loop_ref (state),
                             (GDestroyNotify) thread_loop_unref);
  /* Never the last reference: the run holds one until thread_finished_cb. */
  thread_loop_unref (state);

  return NULL;
}

void
ad_demo_thread_loop_run (GTask *task)
{
  AdBasicsRun *run = ad_basics_run_of (task);
  ThreadLoop *state = g_new0 (ThreadLoop, 1);

  g_atomic_ref_count_init (&state->ref_count);
  state->task = g_object_ref (task);
  state->main_context = g_main_context_ref (g_task_get_context (task));
  state->log = g_object_ref (run->log);
  state->cancellable = g_task_get_cancellable (task)
                       ? g_object_ref (g_task_get_cancellable (task)) : g_cancellable_new ();
  state->ticks = ad_basics_param (run, "ticks");
  state->interval_ms = ad_basics_param (run, "interval-ms");
  run->state = state;
  run->state_free = (GDestroyNotify) thread_loop_unref;

  ad_basics_say (run, _("Main loop: starting a thread with its own main loop"));
  run->pending++;
  state->thread = g_thread_new ("ad-loop-thread", thread_loop_main, thread_loop_ref (state));
}
