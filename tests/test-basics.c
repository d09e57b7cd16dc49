/* test-basics.c: every Basics demo, headless, with its expected outcome
 *
 * Short durations through the demos' parameters keep the suite quick.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-core.h"
#include "ad-test-utils.h"

typedef struct
{
  AdLogModel *log;
  char       *summary;
  GError     *error;
  gint64      elapsed;
} DemoResult;

static void
demo_result_clear (DemoResult *result)
{
  /* Let the log's pending publish (which holds a reference) run. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (result->log);
  g_free (result->summary);
  g_clear_error (&result->error);
}

static void
run_demo (const char   *id,
          GVariant     *params,
          GCancellable *cancellable,
          DemoResult   *out)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  out->log = ad_log_model_new (1000);
  ad_basics_run_async (id, params, out->log, cancellable, ad_test_store_result, &result);
  ad_test_wait_result (&result, 20000);
  out->elapsed = g_get_monotonic_time () - start;
  out->summary = ad_basics_run_finish (result, &out->error);
  ad_log_model_flush (out->log);
}

/* Returns the first record containing @needle, or NULL. */
static AdLogEntry *
find_line (AdLogModel *log,
           const char *needle)
{
  g_autoptr(GPtrArray) snapshot = ad_log_model_snapshot (log);

  for (guint i = 0; i < snapshot->len; i++)
    {
      AdLogEntry *entry = g_ptr_array_index (snapshot, i);

      if (strstr (ad_log_entry_get_message (entry), needle) != NULL)
        return entry;
    }

  return NULL;
}

static guint
count_lines (AdLogModel *log,
             const char *needle)
{
  g_autoptr(GPtrArray) snapshot = ad_log_model_snapshot (log);
  guint n = 0;

  for (guint i = 0; i < snapshot->len; i++)
    if (strstr (ad_log_entry_get_message (g_ptr_array_index (snapshot, i)), needle) != NULL)
      n++;

  return n;
}

/* A typed sentinel: a bare NULL in varargs may be an int. */
#define END ((const char *) NULL)

static GVariant *
dict (const char *key1,
      GVariant   *value1,
      ...)
{
  GVariantBuilder builder;
  const char *key = key1;
  GVariant *value = value1;
  va_list ap;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  va_start (ap, value1);
  while (key != NULL)
    {
      g_variant_builder_add (&builder, "{sv}", key, value);
      key = va_arg (ap, const char *);
      if (key != NULL)
        value = va_arg (ap, GVariant *);
    }
  va_end (ap);

  return g_variant_builder_end (&builder);
}

static void
test_table (void)
{
  guint n_demos;
  const AdBasicsDemo *demos = ad_basics_get_demos (&n_demos);
  const char *expected[] = { "concurrent", "cancellation", "timeout", "error", "group",
                             "thread-loop", "locks", "blocking" };

  g_assert_cmpuint (n_demos, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < n_demos; i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *own = g_strdup_printf ("src/core/basics/ad-demo-%s.c", expected[i]);
      g_autofree char *text = NULL;
      g_autofree char *opening = NULL;

      g_assert_cmpstr (demos[i].id, ==, expected[i]);
      g_assert_true (ad_basics_lookup (expected[i]) == &demos[i]);
      g_assert_nonnull (strstr (demos[i].explanation, "asyncio"));
      /* Each demo is its own file, which the GUI shows first; it opens
       * with a comment naming it and its asyncio idea. */
      g_assert_cmpstr (demos[i].source_file, ==, own);
      path = g_test_build_filename (G_TEST_DIST, "..", demos[i].source_file, NULL);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      opening = g_strdup_printf ("/* ad-demo-%s.c: ", expected[i]);
      g_assert_true (g_str_has_prefix (text, opening));
      g_assert_nonnull (strstr (text, "asyncio"));
      /* The library file it demonstrates, when there is one, exists too. */
      if (demos[i].library_file != NULL)
        {
          g_autofree char *library = g_test_build_filename (G_TEST_DIST, "..",
                                                            demos[i].library_file, NULL);

          g_assert_true (g_file_test (library, G_FILE_TEST_IS_REGULAR));
        }
      for (guint p = 0; p < demos[i].n_params; p++)
        {
          const AdBasicsParam *param = &demos[i].params[p];

          g_assert_cmpuint (param->default_value, >=, param->min);
          g_assert_cmpuint (param->default_value, <=, param->max);
        }
    }
  g_assert_null (ad_basics_lookup ("nope"));
}

static void
test_bad_arguments (void)
{
  DemoResult r = { 0 };

  run_demo ("nope", NULL, NULL, &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  demo_result_clear (&r);

  memset (&r, 0, sizeof r);
  run_demo ("timeout", dict ("timeout-ms", g_variant_new_uint32 (0), END), NULL, &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  demo_result_clear (&r);

  memset (&r, 0, sizeof r);
  run_demo ("timeout", dict ("work-ms", g_variant_new_uint32 (10), END), NULL, &r);
  g_assert_no_error (r.error);
  demo_result_clear (&r);

  memset (&r, 0, sizeof r);
  run_demo ("group", dict ("fail", g_variant_new_uint32 (1), END), NULL, &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  demo_result_clear (&r);
}

static void
test_concurrent (void)
{
  DemoResult together = { 0 }, sequential = { 0 };

  run_demo ("concurrent", dict ("delay-ms", g_variant_new_uint32 (200), END), NULL, &together);
  g_assert_no_error (together.error);
  g_assert_cmpint (together.elapsed, >=, 200000);
  g_assert_cmpint (together.elapsed, <, 200000 + 180000 * ad_test_slow_factor ());
  g_assert_nonnull (find_line (together.log, "Hello, Alice!"));
  g_assert_nonnull (find_line (together.log, "Hello, Bob!"));

  run_demo ("concurrent", dict ("delay-ms", g_variant_new_uint32 (200),
                                "sequential", g_variant_new_boolean (TRUE), END),
            NULL, &sequential);
  g_assert_no_error (sequential.error);
  g_assert_cmpint (sequential.elapsed, >=, 400000);
  g_assert_cmpint (together.elapsed, <, sequential.elapsed);
  g_assert_nonnull (strstr (sequential.summary, "Finished after 0.4 s"));

  demo_result_clear (&together);
  demo_result_clear (&sequential);
}

/* A summary "PREFIX N.N s": N.N is measured, so it must lie between the
 * demo's own delay and the run's elapsed time (a loaded machine adds to the
 * second, never takes from the first). */
static void
assert_summary_seconds (const DemoResult *r,
                        const char       *prefix,
                        double            at_least)
{
  double seconds;

  g_assert_nonnull (r->summary);
  g_assert_true (g_str_has_prefix (r->summary, prefix));
  g_assert_true (g_str_has_suffix (r->summary, " s"));
  seconds = g_ascii_strtod (r->summary + strlen (prefix), NULL);
  g_assert_cmpfloat (seconds, >=, at_least - 0.05);
  g_assert_cmpfloat (seconds, <=, r->elapsed / (double) G_USEC_PER_SEC + 0.05);
}

static void
test_cancellation (void)
{
  DemoResult r = { 0 };

  run_demo ("cancellation", dict ("work-ms", g_variant_new_uint32 (5000),
                                  "cancel-after-ms", g_variant_new_uint32 (200), END),
            NULL, &r);
  /* The demo succeeds and reports the cancellation calmly. */
  g_assert_no_error (r.error);
  assert_summary_seconds (&r, "Cancelled after ", 0.2);
  g_assert_cmpint (r.elapsed, <, 2 * G_TIME_SPAN_SECOND * ad_test_slow_factor ());
  g_assert_nonnull (find_line (r.log, "Task: cancelled, cleaning up"));
  demo_result_clear (&r);
}

static void
test_timeout (void)
{
  DemoResult slow = { 0 }, quick = { 0 };

  run_demo ("timeout", dict ("work-ms", g_variant_new_uint32 (2000),
                             "timeout-ms", g_variant_new_uint32 (100), END), NULL, &slow);
  g_assert_no_error (slow.error);
  assert_summary_seconds (&slow, "Timed out after ", 0.1);
  g_assert_cmpint (slow.elapsed, <, G_USEC_PER_SEC * ad_test_slow_factor ());

  run_demo ("timeout", dict ("work-ms", g_variant_new_uint32 (50),
                             "timeout-ms", g_variant_new_uint32 (2000), END), NULL, &quick);
  g_assert_no_error (quick.error);
  g_assert_nonnull (strstr (quick.summary, "Finished in time"));

  demo_result_clear (&slow);
  demo_result_clear (&quick);
}

static void
test_error (void)
{
  DemoResult r = { 0 };

  run_demo ("error", dict ("delay-ms", g_variant_new_uint32 (20), END), NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.summary, ==, "Error: The input had no closing bracket");
  g_assert_nonnull (find_line (r.log, "Caller: the task failed: The input had no closing bracket"));
  demo_result_clear (&r);
}

static void
test_group (void)
{
  DemoResult ok = { 0 }, failed = { 0 };

  run_demo ("group", dict ("scale-ms", g_variant_new_uint32 (50), END), NULL, &ok);
  g_assert_no_error (ok.error);
  g_assert_nonnull (strstr (ok.summary, "Results [0, 2, 4, 6, 8]"));
  g_assert_nonnull (find_line (ok.log, "Gathered in start order: [0, 2, 4, 6, 8]"));
  /* The workers ran together: about 4 × 50 ms, not 10 × 50. */
  g_assert_cmpint (ok.elapsed, <, 200000 + 250000 * ad_test_slow_factor ());

  /* Workers 2 and 3 end 200 ms apart, so even a slow (sanitized, loaded)
   * loop sees worker 2 fail before worker 3 could return. */
  run_demo ("group", dict ("scale-ms", g_variant_new_uint32 (200),
                           "fail", g_variant_new_boolean (TRUE), END), NULL, &failed);
  g_assert_no_error (failed.error);
  g_assert_cmpstr (failed.summary, ==, "Group failed: Worker 2 failed");
  g_assert_nonnull (find_line (failed.log, "Worker 3: cancelled"));
  g_assert_nonnull (find_line (failed.log, "Worker 4: cancelled"));
  g_assert_null (find_line (failed.log, "Worker 3: returns"));
  g_assert_nonnull (find_line (failed.log, "(2 workers cancelled)"));

  demo_result_clear (&ok);
  demo_result_clear (&failed);
}

static void
test_thread_loop (void)
{
  DemoResult r = { 0 };
  AdLogEntry *tick, *received;

  run_demo ("thread-loop", dict ("ticks", g_variant_new_uint32 (3),
                                 "interval-ms", g_variant_new_uint32 (20), END), NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.summary, ==, "3 results handed from a thread’s loop to the main loop");
  tick = find_line (r.log, "Worker loop: timer fired, result 9");
  received = find_line (r.log, "Main loop: received result 9 from thread ad-loop-thread");
  g_assert_nonnull (tick);
  g_assert_nonnull (received);
  g_assert_cmpstr (ad_log_entry_get_thread_name (tick), ==, "ad-loop-thread");
  g_assert_cmpstr (ad_log_entry_get_thread_name (received), ==, "main");
  g_assert_cmpuint (count_lines (r.log, "Main loop: received result"), ==, 3);
  demo_result_clear (&r);
}

static void
test_locks (void)
{
  DemoResult r = { 0 };

  run_demo ("locks", dict ("threads", g_variant_new_uint32 (2),
                           "increments", g_variant_new_uint32 (20000),
                           "tasks", g_variant_new_uint32 (10),
                           "limit", g_variant_new_uint32 (3),
                           "task-ms", g_variant_new_uint32 (20), END), NULL, &r);
  g_assert_no_error (r.error);
  /* The locked count is exact; whether the unlocked one lost updates is
   * up to the scheduler, so only the limiter's bound is asserted. */
  g_assert_nonnull (find_line (r.log, "With a GMutex: 40000 of 40000"));
  g_assert_nonnull (find_line (r.log, "At most 3 of 10 tasks ran at once"));
  g_assert_null (find_line (r.log, "(4 running)"));
  g_assert_nonnull (strstr (r.summary, "at most 3 tasks at once"));
  demo_result_clear (&r);
}

static void
test_blocking (void)
{
  DemoResult r = { 0 };

  run_demo ("blocking", dict ("block-ms", g_variant_new_uint32 (250), END), NULL, &r);
  g_assert_no_error (r.error);
  g_assert_nonnull (strstr (r.summary, "caused by “[async-demo] basics: a bad callback”"));
  demo_result_clear (&r);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_each (void)
{
  guint n_demos;
  const AdBasicsDemo *demos = ad_basics_get_demos (&n_demos);

  /* Every demo stops promptly when cancelled and reports CANCELLED. */
  for (guint i = 0; i < n_demos; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      DemoResult r = { 0 };

      g_timeout_add (30, cancel_cb, cancellable);
      run_demo (demos[i].id, NULL, cancellable, &r);
      g_test_message ("%s: %s", demos[i].id, r.error ? r.error->message : r.summary);
      /* Every demo, none skipped: "blocking" is cancelled at 30 ms, inside
       * its first 50 ms wait, and each of its waits watches the
       * cancellable; "locks" counts in threads that check it every 4096
       * increments, then naps behind the limiter, cancellably. */
      g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpint (r.elapsed, <, G_USEC_PER_SEC * ad_test_slow_factor ());
      demo_result_clear (&r);
    }
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/basics/table", test_table);
  g_test_add_func ("/basics/bad-arguments", test_bad_arguments);
  g_test_add_func ("/basics/concurrent", test_concurrent);
  g_test_add_func ("/basics/cancellation", test_cancellation);
  g_test_add_func ("/basics/timeout", test_timeout);
  g_test_add_func ("/basics/error", test_error);
  g_test_add_func ("/basics/group", test_group);
  g_test_add_func ("/basics/thread-loop", test_thread_loop);
  g_test_add_func ("/basics/locks", test_locks);
  g_test_add_func ("/basics/blocking", test_blocking);
  g_test_add_func ("/basics/cancel-each", test_cancel_each);

  return g_test_run ();
}
