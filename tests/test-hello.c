/* test-hello.c: the Hello demo's timing and cancellation, on a real main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-core.h"
#include "ad-test-utils.h"

/* Returns the elapsed time (µs) of the first record whose message is @message. */
static gint64
find_elapsed (AdLogModel *log,
              const char *message)
{
  g_autoptr(GPtrArray) snapshot = ad_log_model_snapshot (log);

  for (guint i = 0; i < snapshot->len; i++)
    {
      AdLogEntry *entry = g_ptr_array_index (snapshot, i);

      if (g_strcmp0 (ad_log_entry_get_message (entry), message) == 0)
        return ad_log_entry_get_elapsed (entry);
    }

  return -1;
}

typedef struct
{
  gint64 alice;   /* elapsed µs when Alice was greeted */
  gint64 bob;
  gint64 total;   /* µs from the call to its callback */
} HelloTimes;

/* Runs the demo to completion on this thread's main loop. */
static HelloTimes
run_hello (AdHelloFlags flags,
           guint        delay_ms)
{
  g_autoptr(AdLogModel) log = ad_log_model_new (100);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  HelloTimes times;

  ad_hello_run_async (log, flags, delay_ms, NULL, ad_test_store_result, &result);
  ad_test_wait_result (&result, 5000);
  times.total = g_get_monotonic_time () - start;

  g_assert_true (ad_hello_run_finish (result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (find_elapsed (log, "Hello, Async!"), >=, 0);
  times.alice = find_elapsed (log, "Hello, Alice!");
  times.bob = find_elapsed (log, "Hello, Bob!");

  return times;
}

static void
test_concurrent (void)
{
  HelloTimes t = run_hello (AD_HELLO_FLAGS_NONE, 300);

  /* Both waited at the same time: each after ~300 ms, the pair well
   * under the 600 ms a sequential run needs. */
  g_assert_cmpint (t.alice, >=, 300000);
  g_assert_cmpint (t.bob, >=, 300000);
  g_assert_cmpint (t.total, >=, 300000);
  g_assert_cmpint (t.total, <, 550000);
}

static void
test_sequential (void)
{
  HelloTimes t = run_hello (AD_HELLO_FLAGS_SEQUENTIAL, 200);

  g_assert_cmpint (t.alice, >=, 200000);
  /* Bob starts when Alice is done. */
  g_assert_cmpint (t.bob, >=, t.alice + 200000);
  g_assert_cmpint (t.total, >=, 400000);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(AdLogModel) log = ad_log_model_new (100);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 total;

  ad_hello_run_async (log, AD_HELLO_FLAGS_NONE, 10000, cancellable, ad_test_store_result, &result);
  g_timeout_add (100, cancel_cb, cancellable);
  ad_test_wait_result (&result, 5000);
  total = g_get_monotonic_time () - start;

  g_assert_false (ad_hello_run_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Stopped promptly, not after the 10 s delay. */
  g_assert_cmpint (total, <, 1000000);
  g_assert_cmpint (find_elapsed (log, "Hello, Alice!"), ==, -1);
  g_assert_cmpint (find_elapsed (log, "Hello, Bob!"), ==, -1);
}

static void
test_cancel_before_start (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  ad_hello_run_async (NULL, AD_HELLO_FLAGS_NONE, 10000, cancellable, ad_test_store_result, &result);
  ad_test_wait_result (&result, 1000);

  g_assert_false (ad_hello_run_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_sleep (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  ad_sleep_async (50, NULL, ad_test_store_result, &result);
  ad_test_wait_result (&result, 2000);
  elapsed = g_get_monotonic_time () - start;

  g_assert_true (ad_sleep_finish (result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (elapsed, >=, 50000);
  g_assert_cmpint (elapsed, <, 1000000);
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hello/concurrent", test_concurrent);
  g_test_add_func ("/hello/sequential", test_sequential);
  g_test_add_func ("/hello/cancel", test_cancel);
  g_test_add_func ("/hello/cancel-before-start", test_cancel_before_start);
  g_test_add_func ("/sleep/basic", test_sleep);

  return g_test_run ();
}
