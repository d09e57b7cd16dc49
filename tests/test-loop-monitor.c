/* test-loop-monitor.c: the loop monitor sees real stalls and names them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-core.h"
#include "ad-test-utils.h"

typedef struct
{
  guint      n_stalls;
  gint64     duration;
  GPtrArray *culprits; /* one interned name (or NULL) per stall, in order */
  gboolean   off_main;
} StallSeen;

static void
stall_seen_clear (StallSeen *seen)
{
  g_clear_pointer (&seen->culprits, g_ptr_array_unref);
}

/* How many stalls, as signalled, named CULPRIT. */
static guint
stall_seen_count (StallSeen  *seen,
                  const char *culprit)
{
  guint n = 0;

  for (guint i = 0; seen->culprits != NULL && i < seen->culprits->len; i++)
    if (g_strcmp0 (g_ptr_array_index (seen->culprits, i), culprit) == 0)
      n++;
  return n;
}

static void
stall_cb (AdLoopMonitor *monitor,
          gint64         duration_us,
          const char    *culprit,
          gpointer       user_data)
{
  StallSeen *seen = user_data;

  seen->n_stalls++;
  seen->duration = duration_us;
  if (seen->culprits == NULL)
    seen->culprits = g_ptr_array_new ();
  g_ptr_array_add (seen->culprits, (gpointer) culprit);
  if (!ad_core_is_main_thread ())
    seen->off_main = TRUE;
}

static gboolean
block_cb (gpointer user_data)
{
  g_usleep (GPOINTER_TO_UINT (user_data) * G_TIME_SPAN_MILLISECOND);
  return G_SOURCE_REMOVE;
}

static void
test_stall_named (void)
{
  AdLoopMonitor *monitor = ad_loop_monitor_new (NULL);
  StallSeen seen = { 0 };
  g_autoptr(GArray) stalls = NULL;
  AdLoopStall *stall;

  g_signal_connect (monitor, "stall", G_CALLBACK (stall_cb), &seen);
  ad_loop_monitor_start (monitor);
  ad_test_spin (50);

  ad_idle_add_named (G_PRIORITY_DEFAULT, "test: a bad callback", block_cb,
                     GUINT_TO_POINTER (200), NULL);
  ad_test_spin (100);

  /* A loaded machine may add a stall of its own: look for ours. */
  g_assert_cmpuint (seen.n_stalls, >=, 1);
  g_assert_false (seen.off_main);
  g_assert_cmpint (ad_loop_monitor_get_max_latency (monitor), >=, 150000);

  /* Every stall recorded is one signalled, with the same culprit; ours is
   * named exactly once, and is the long one. */
  stalls = ad_loop_monitor_get_stalls (monitor);
  g_assert_cmpuint (stalls->len, ==, seen.n_stalls);
  stall = NULL;
  for (guint i = 0; i < stalls->len; i++)
    {
      AdLoopStall *s = &g_array_index (stalls, AdLoopStall, i);

      g_assert_cmpstr (s->culprit, ==, g_ptr_array_index (seen.culprits, i));
      if (g_strcmp0 (s->culprit, "test: a bad callback") == 0)
        {
          g_assert_null (stall);
          stall = s;
        }
    }
  g_assert_nonnull (stall);
  g_assert_cmpint (stall->duration_us, >=, 150000);
  g_assert_cmpuint (stall_seen_count (&seen, "test: a bad callback"), ==, 1);

  ad_loop_monitor_stop (monitor);
  stall_seen_clear (&seen);
  g_assert_finalize_object (monitor);
}

static void
test_short_block_ignored (void)
{
  g_autoptr(AdLoopMonitor) monitor = ad_loop_monitor_new (NULL);
  StallSeen seen = { 0 };
  guint64 counts[AD_LOOP_MONITOR_N_BUCKETS];
  guint64 total = 0;
  g_autoptr(GArray) samples = NULL;

  g_signal_connect (monitor, "stall", G_CALLBACK (stall_cb), &seen);
  ad_loop_monitor_start (monitor);
  for (guint i = 0; i < 5; i++)
    ad_idle_add_named (G_PRIORITY_DEFAULT, "test: a short callback", block_cb,
                       GUINT_TO_POINTER (5), NULL);
  ad_test_spin (150);
  ad_loop_monitor_stop (monitor);

  /* 5 ms callbacks are never reported. (A loaded machine may still
   * deschedule the whole process for 100 ms: such a stall has no traced
   * culprit, and is no failure of the short callbacks.) */
  g_assert_cmpuint (stall_seen_count (&seen, "test: a short callback"), ==, 0);
  g_assert_cmpuint (ad_loop_monitor_get_n_stalls (monitor), ==, seen.n_stalls);

  /* Every heartbeat is in the histogram and the sample list. */
  ad_loop_monitor_get_histogram (monitor, counts);
  for (guint i = 0; i < AD_LOOP_MONITOR_N_BUCKETS; i++)
    total += counts[i];
  g_assert_cmpuint (total, ==, ad_loop_monitor_get_n_samples (monitor));
  g_assert_cmpuint (total, >=, 3);
  samples = ad_loop_monitor_get_samples (monitor);
  g_assert_cmpuint (samples->len, ==, total);
  for (guint i = 1; i < samples->len; i++)
    g_assert_cmpint (g_array_index (samples, AdLatencySample, i).time_us, >,
                     g_array_index (samples, AdLatencySample, i - 1).time_us);

  /* The bucket limits rise to G_MAXINT64, and binning the samples by them
   * gives the histogram back, count for count. */
  {
    guint64 binned[AD_LOOP_MONITOR_N_BUCKETS] = { 0 };

    for (guint b = 1; b < AD_LOOP_MONITOR_N_BUCKETS; b++)
      g_assert_cmpint (ad_loop_monitor_get_bucket_limit (b), >,
                       ad_loop_monitor_get_bucket_limit (b - 1));
    g_assert_cmpint (ad_loop_monitor_get_bucket_limit (0), >, 0);
    g_assert_cmpint (ad_loop_monitor_get_bucket_limit (AD_LOOP_MONITOR_N_BUCKETS - 1), ==,
                     G_MAXINT64);
    for (guint i = 0; i < samples->len; i++)
      {
        gint64 latency = g_array_index (samples, AdLatencySample, i).latency_us;
        guint b = 0;

        while (latency >= ad_loop_monitor_get_bucket_limit (b))
          b++;
        binned[b]++;
      }
    for (guint b = 0; b < AD_LOOP_MONITOR_N_BUCKETS; b++)
      g_assert_cmpuint (binned[b], ==, counts[b]);
  }
  stall_seen_clear (&seen);
}

typedef struct
{
  AdLoopMonitor *monitor;
  gint64         seen_while_blocked;
} Watch;

static gboolean
block_and_watch_cb (gpointer user_data)
{
  Watch *watch = user_data;
  gint64 end = g_get_monotonic_time () + 250000;

  /* The loop is blocked here; the watchdog thread still sees it. */
  while (g_get_monotonic_time () < end)
    {
      watch->seen_while_blocked = MAX (watch->seen_while_blocked,
                                       ad_loop_monitor_get_current_block (watch->monitor));
      g_usleep (5000);
    }

  return G_SOURCE_REMOVE;
}

static void
test_watchdog_sees_block (void)
{
  g_autoptr(AdLoopMonitor) monitor = ad_loop_monitor_new (NULL);
  Watch watch = { monitor, 0 };

  ad_loop_monitor_start (monitor);
  ad_test_spin (30);
  ad_idle_add_named (G_PRIORITY_DEFAULT, "test: watched", block_and_watch_cb, &watch, NULL);
  ad_test_spin (100);
  ad_loop_monitor_stop (monitor);

  g_assert_cmpint (watch.seen_while_blocked, >=, 100000);
  g_assert_cmpint (ad_loop_monitor_get_current_block (monitor), ==, 0);
}

static void
test_unnamed_culprit (void)
{
  g_autoptr(AdLoopMonitor) monitor = ad_loop_monitor_new (NULL);
  StallSeen seen = { 0 };

  ad_loop_monitor_set_stall_threshold (monitor, 80);
  g_signal_connect (monitor, "stall", G_CALLBACK (stall_cb), &seen);
  ad_loop_monitor_start (monitor);
  ad_test_spin (30);
  g_idle_add (block_cb, GUINT_TO_POINTER (150));
  ad_test_spin (100);
  ad_loop_monitor_stop (monitor);

  /* A plain g_idle_add() callback cannot be named: the stall still counts. */
  g_assert_cmpuint (seen.n_stalls, >=, 1);
  {
    g_autoptr(GArray) stalls = ad_loop_monitor_get_stalls (monitor);
    gboolean found = FALSE;

    g_assert_cmpuint (stalls->len, ==, seen.n_stalls);
    for (guint i = 0; i < stalls->len; i++)
      {
        AdLoopStall *s = &g_array_index (stalls, AdLoopStall, i);

        g_assert_cmpstr (s->culprit, ==, g_ptr_array_index (seen.culprits, i));
        if (s->duration_us >= 120000)
          {
            g_assert_null (s->culprit);
            found = TRUE;
          }
      }
    g_assert_true (found);
  }
  stall_seen_clear (&seen);
}

/* ---- an idle loop is not woken by its monitor ---------------------------- */

typedef struct
{
  GMainContext  *context;
  GMainLoop     *loop;
  AdLoopMonitor *monitor;
  StallSeen      seen;
} RestingLoop;

static gpointer
resting_loop_thread (gpointer user_data)
{
  RestingLoop *r = user_data;

  g_main_context_push_thread_default (r->context);
  g_main_loop_run (r->loop);
  g_main_context_pop_thread_default (r->context);

  return NULL;
}

static gboolean
stop_cb (gpointer user_data)
{
  RestingLoop *r = user_data;

  ad_loop_monitor_stop (r->monitor);
  g_main_loop_quit (r->loop);
  return G_SOURCE_REMOVE;
}

/* Whether no heartbeat ran for 200 ms. */
static gboolean
samples_still (AdLoopMonitor *monitor)
{
  guint64 before = ad_loop_monitor_get_n_samples (monitor);

  g_usleep (200 * 1000);
  return ad_loop_monitor_get_n_samples (monitor) == before;
}

/* With nothing else to do, the heartbeat stops after a few beats; a
 * callback that wakes the loop and blocks it is still caught and named. */
static void
test_rests_when_idle (void)
{
  RestingLoop r = { 0 };
  GThread *thread;
  GSource *source;
  guint64 n_resting;
  guint64 n_stalls;

  r.context = g_main_context_new ();
  r.loop = g_main_loop_new (r.context, FALSE);
  r.monitor = ad_loop_monitor_new (r.context);
  g_signal_connect (r.monitor, "stall", G_CALLBACK (stall_cb), &r.seen);
  /* Not owned by anyone yet: this thread starts it, the loop thread runs it */
  g_assert_true (g_main_context_acquire (r.context));
  ad_loop_monitor_start (r.monitor);
  g_main_context_release (r.context);
  thread = g_thread_new ("resting-loop", resting_loop_thread, &r);

  ad_test_wait_until (ad_loop_monitor_get_n_samples (r.monitor) >= 5, 5000);
  ad_test_wait_until (samples_still (r.monitor), 5000);
  n_resting = ad_loop_monitor_get_n_samples (r.monitor);
  g_assert_cmpuint (n_resting, <, 100);
  /* Resting is not stalling: while the heartbeat rests no stall is
   * reported. (A beat before the rest may be late on a loaded machine,
   * under TSan: that one was real, so the count is taken here.) */
  n_stalls = ad_loop_monitor_get_n_stalls (r.monitor);
  g_usleep (300 * 1000);
  g_assert_cmpuint (ad_loop_monitor_get_n_stalls (r.monitor), ==, n_stalls);
  g_assert_cmpuint (ad_loop_monitor_get_n_samples (r.monitor), ==, n_resting);

  /* Something wakes the loop and blocks it */
  source = g_idle_source_new ();
  g_source_set_name (source, "[test] wakes and blocks");
  ad_source_set_callback_traced (source, block_cb, GUINT_TO_POINTER (150), NULL);
  g_source_attach (source, r.context);
  g_source_unref (source);
  ad_test_wait_until (ad_loop_monitor_get_n_stalls (r.monitor) >= n_stalls + 1, 5000);
  g_assert_cmpuint (ad_loop_monitor_get_n_samples (r.monitor), >, n_resting);

  g_main_context_invoke (r.context, stop_cb, &r);
  g_thread_join (thread);
  g_assert_cmpuint (stall_seen_count (&r.seen, "[test] wakes and blocks"), ==, 1);
  g_assert_cmpint (r.seen.duration, >=, 100 * 1000);

  stall_seen_clear (&r.seen);
  g_assert_finalize_object (r.monitor);
  g_main_loop_unref (r.loop);
  g_main_context_unref (r.context);
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/loop-monitor/stall-named", test_stall_named);
  g_test_add_func ("/loop-monitor/short-block-ignored", test_short_block_ignored);
  g_test_add_func ("/loop-monitor/watchdog-sees-block", test_watchdog_sees_block);
  g_test_add_func ("/loop-monitor/unnamed-culprit", test_unnamed_culprit);
  g_test_add_func ("/loop-monitor/rests-when-idle", test_rests_when_idle);

  return g_test_run ();
}
