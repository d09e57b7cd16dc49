/* test-context-pump.c: one main context run inside another (ad-context-pump.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <unistd.h>

#include "ad-core.h"
#include "ad-test-utils.h"

/* A GTask returns from GLib's pool: see ad-test-utils.h. */
AD_TEST_TSAN_IGNORE_UNINSTRUMENTED ()

/* The priority of the pumps here: below a hog at G_PRIORITY_DEFAULT_IDLE. */
#define PUMP_PRIORITY (G_PRIORITY_DEFAULT_IDLE + 10)

typedef struct
{
  guint         runs;
  GMainContext *thread_default;   /* during the last run */
  guint         order;            /* the value of *clock at the last run */
  guint        *clock;
} Probe;

static gboolean
probe_cb (gpointer data)
{
  Probe *probe = data;

  probe->runs++;
  probe->thread_default = g_main_context_get_thread_default ();
  if (probe->clock != NULL)
    probe->order = ++*probe->clock;
  return G_SOURCE_REMOVE;
}

static void
attach_idle (GMainContext *context,
             int           priority,
             Probe        *probe)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, priority);
  g_source_set_callback (source, probe_cb, probe, NULL);
  g_source_attach (source, context);
  g_source_unref (source);
}

/* Sources of the inner context run from the outer loop, on this thread,
 * with the inner context as the thread-default one; timers too. */
static void
test_runs_inner (void)
{
  g_autoptr(GMainContext) inner = g_main_context_new ();
  g_autoptr(AdContextPump) pump = ad_context_pump_new (inner, NULL, PUMP_PRIORITY, NULL);
  Probe idle = { 0 }, timer = { 0 };
  GSource *source = g_timeout_source_new (30);

  g_assert_true (ad_context_pump_get_inner (pump) == inner);
  attach_idle (inner, G_PRIORITY_DEFAULT, &idle);
  g_source_set_callback (source, probe_cb, &timer, NULL);
  g_source_attach (source, inner);
  g_source_unref (source);

  ad_test_wait_until (idle.runs == 1 && timer.runs == 1, 2000);
  g_assert_true (idle.thread_default == inner);
  g_assert_true (timer.thread_default == inner);
  g_assert_null (g_main_context_get_thread_default ());
}

/* The pump's priority is every inner source's priority in the outer
 * loop: an inner source of the highest priority waits for an outer one
 * of a higher priority than the pump's. */
static void
test_priority (void)
{
  g_autoptr(GMainContext) inner = g_main_context_new ();
  g_autoptr(AdContextPump) pump = ad_context_pump_new (inner, NULL, PUMP_PRIORITY, NULL);
  guint clock = 0;
  Probe in = { .clock = &clock }, out = { .clock = &clock };

  g_assert_nonnull (pump);

  attach_idle (inner, G_PRIORITY_HIGH, &in);
  attach_idle (NULL, G_PRIORITY_DEFAULT_IDLE, &out);

  ad_test_wait_until (in.runs == 1 && out.runs == 1, 2000);
  g_assert_cmpuint (out.order, ==, 1);
  g_assert_cmpuint (in.order, ==, 2);
}

static gboolean
hog_cb (gpointer data)
{
  return *(gboolean *) data ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* A source of a higher priority than the pump's that is ready at every
 * iteration (a window whose frames are slower than the refresh rate)
 * starves the inner context, unless the guard is set: then the inner
 * source runs within about one interval, and the guard counts a boost. */
static void
run_behind_hog (guint    guard_ms,
                Probe   *probe,
                guint   *boosts)
{
  g_autoptr(GMainContext) inner = g_main_context_new ();
  g_autoptr(AdContextPump) pump = ad_context_pump_new (inner, NULL, PUMP_PRIORITY, NULL);
  gboolean hogging = TRUE;
  GSource *hog = g_idle_source_new ();
  gint64 deadline = g_get_monotonic_time () + 400 * G_TIME_SPAN_MILLISECOND * ad_test_slow_factor ();

  ad_context_pump_set_guard (pump, guard_ms);
  g_source_set_priority (hog, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (hog, hog_cb, &hogging, NULL);
  g_source_attach (hog, NULL);
  attach_idle (inner, G_PRIORITY_DEFAULT, probe);

  while (probe->runs == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  *boosts = ad_context_pump_get_boosts (pump);

  hogging = FALSE;
  g_source_destroy (hog);
  g_source_unref (hog);
}

static void
test_guard (void)
{
  Probe starved = { 0 }, guarded = { 0 };
  guint boosts = 0;

  run_behind_hog (0, &starved, &boosts);
  g_assert_cmpuint (starved.runs, ==, 0);
  g_assert_cmpuint (boosts, ==, 0);

  run_behind_hog (30, &guarded, &boosts);
  g_assert_cmpuint (guarded.runs, ==, 1);
  g_assert_cmpuint (boosts, ==, 1);
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Blocking iterations of the outer loop until *@done_runs or a deadline
 * (a timer of the outer loop, so a missed wake-up fails, not hangs).
 * Returns: whether the deadline passed first */
static gboolean
iterate_until (const guint *done_runs)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add ((guint) (2000 * ad_test_slow_factor ()), set_flag_cb, &timed_out);

  while (*done_runs == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return timed_out;
}

static gboolean
set_flag_once_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* With nothing to do inside, the pump lets the outer loop sleep in poll():
 * re-registering the inner fds at every prepare would wake it each time
 * (adding a poll signals the context), a busy loop at 100 % of a core. */
static void
test_sleeps (void)
{
  g_autoptr(GMainContext) inner = g_main_context_new ();
  g_autoptr(AdContextPump) pump = ad_context_pump_new (inner, NULL, PUMP_PRIORITY, NULL);
  Probe timer = { 0 };
  GSource *source = g_timeout_source_new (50);
  gboolean done = FALSE;
  guint iterations = 0;

  g_assert_nonnull (pump);

  /* An inner timer, so the inner context has a timeout and a source. */
  g_source_set_callback (source, probe_cb, &timer, NULL);
  g_source_attach (source, inner);
  g_source_unref (source);
  g_timeout_add (200, set_flag_once_cb, &done);

  while (!done)
    {
      g_main_context_iteration (NULL, TRUE);
      iterations++;
    }
  g_test_message ("%u outer iterations in 200 ms", iterations);
  g_assert_cmpuint (timer.runs, ==, 1);
  g_assert_cmpuint (iterations, <=, 20);
}

static gboolean
count_cb (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* A boost lasts until the pump has run half as long as it waited, not one
 * dispatch: a starved inner context that always has work runs many times
 * a boost, and goes back below the hog in between. */
static void
test_guard_share (void)
{
  g_autoptr(GMainContext) inner = g_main_context_new ();
  g_autoptr(AdContextPump) pump = ad_context_pump_new (inner, NULL, PUMP_PRIORITY, NULL);
  guint inner_runs = 0, hog_runs = 0, boosts;
  GSource *hog = g_idle_source_new ();
  GSource *work = g_idle_source_new ();
  gint64 end = g_get_monotonic_time () + 800 * G_TIME_SPAN_MILLISECOND;

  ad_context_pump_set_guard (pump, 40);
  g_source_set_priority (hog, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (hog, count_cb, &hog_runs, NULL);
  g_source_attach (hog, NULL);
  g_source_set_callback (work, count_cb, &inner_runs, NULL);
  g_source_attach (work, inner);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  boosts = ad_context_pump_get_boosts (pump);
  g_test_message ("%u boosts, %u inner runs, %u hog runs", boosts, inner_runs, hog_runs);

  g_assert_cmpuint (boosts, >=, 2);
  g_assert_cmpuint (inner_runs, >=, 10 * (guint64) boosts);
  g_assert_cmpuint (hog_runs, >=, 10 * (guint64) boosts);

  g_source_destroy (hog);
  g_source_unref (hog);
  g_source_destroy (work);
  g_source_unref (work);
}

static void
worker_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  g_task_return_int (task, 7);
}

static void
worker_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Probe *probe = user_data;

  g_assert_cmpint (g_task_propagate_int (G_TASK (result), NULL), ==, 7);
  probe->runs++;
  probe->thread_default = g_main_context_get_thread_default ();
}

/* A GTask started with the inner context as the thread-default one
 * returns from a worker thread into it: the inner wake-up reaches the
 * outer loop while that sleeps in poll(). */
static void
test_thread_wakeup (void)
{
  g_autoptr(GMainContext) inner = g_main_context_new ();
  g_autoptr(AdContextPump) pump = ad_context_pump_new (inner, NULL, PUMP_PRIORITY, NULL);
  g_autoptr(GTask) task = NULL;
  Probe done = { 0 };

  g_assert_nonnull (pump);

  g_main_context_push_thread_default (inner);
  task = g_task_new (NULL, NULL, worker_done_cb, &done);
  g_task_run_in_thread (task, worker_thread);
  g_main_context_pop_thread_default (inner);

  /* Blocking iterations: only a wake-up through the pump's fds ends one. */
  g_assert_false (iterate_until (&done.runs));
  g_assert_cmpuint (done.runs, ==, 1);
  g_assert_true (done.thread_default == inner);
}

static gboolean
readable_cb (GObject  *stream,
             gpointer  user_data)
{
  Probe *probe = user_data;
  guchar byte;

  g_assert_cmpint (g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream),
                                                             &byte, 1, NULL, NULL), ==, 1);
  g_assert_cmpint (byte, ==, 'x');
  probe->runs++;
  return G_SOURCE_REMOVE;
}

/* A file descriptor watched in the inner context is polled by the outer
 * loop: a byte written into a pipe wakes a blocking iteration. */
static void
test_fd (void)
{
  g_autoptr(GMainContext) inner = g_main_context_new ();
  g_autoptr(AdContextPump) pump = ad_context_pump_new (inner, NULL, PUMP_PRIORITY, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) watch = NULL;
  Probe read = { 0 };
  int fds[2];

  g_assert_nonnull (pump);

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GInputStream) in = g_unix_input_stream_new (fds[0], TRUE);

    watch = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (in), NULL);
    g_source_set_callback (watch, G_SOURCE_FUNC (readable_cb), &read, NULL);
    g_source_attach (watch, inner);
  }

  /* Nothing to read: the inner context sleeps, and so does the outer one. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (read.runs, ==, 0);

  g_assert_cmpint (write (fds[1], "x", 1), ==, 1);
  g_assert_false (iterate_until (&read.runs));
  g_assert_cmpuint (read.runs, ==, 1);
  close (fds[1]);
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/context-pump/runs-inner", test_runs_inner);
  g_test_add_func ("/context-pump/priority", test_priority);
  g_test_add_func ("/context-pump/sleeps", test_sleeps);
  g_test_add_func ("/context-pump/guard", test_guard);
  g_test_add_func ("/context-pump/guard-share", test_guard_share);
  g_test_add_func ("/context-pump/thread-wakeup", test_thread_wakeup);
  g_test_add_func ("/context-pump/fd", test_fd);

  return g_test_run ();
}
