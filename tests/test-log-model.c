/* test-log-model.c: the bounded, thread-safe log behind every log pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "ad-core.h"
#include "ad-test-utils.h"

typedef struct
{
  guint n_signals;
  guint n_added;
  guint n_removed;
  gboolean off_main_thread;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->n_signals++;
  changes->n_added += added;
  changes->n_removed += removed;
  if (!ad_core_is_main_thread ())
    changes->off_main_thread = TRUE;
}

static void
test_append_publishes_later (void)
{
  g_autoptr(AdLogModel) log = ad_log_model_new (10);
  Changes changes = { 0 };
  g_autoptr(AdLogEntry) first = NULL;

  g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed), &changes);

  ad_log_model_append (log, G_LOG_LEVEL_INFO, "Test", "one");
  ad_log_model_appendf (log, G_LOG_LEVEL_INFO, "Test", "two %d", 2);

  /* Nothing reaches the list model until the main loop publishes. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  g_assert_cmpuint (ad_log_model_get_n_appended (log), ==, 2);

  ad_test_spin (100);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 2);
  g_assert_cmpuint (changes.n_signals, ==, 1);
  first = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_cmpstr (ad_log_entry_get_message (first), ==, "one");
  g_assert_cmpstr (ad_log_entry_get_thread_name (first), ==, "main");
  g_assert_cmpstr (ad_log_entry_get_domain (first), ==, "Test");
  g_assert_cmpint (ad_log_entry_get_elapsed (first), >=, 0);

  g_signal_handlers_disconnect_by_func (log, on_items_changed, &changes);
  g_assert_finalize_object (g_steal_pointer (&log));
}

static void
test_ring_is_bounded (void)
{
  g_autoptr(AdLogModel) log = ad_log_model_new (5);
  g_autoptr(GPtrArray) snapshot = NULL;
  Changes changes = { 0 };

  g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed), &changes);

  for (guint i = 0; i < 12; i++)
    ad_log_model_appendf (log, G_LOG_LEVEL_INFO, "Test", "line %u", i);

  g_assert_cmpuint (ad_log_model_get_n_dropped (log), ==, 7);
  snapshot = ad_log_model_snapshot (log);
  g_assert_cmpuint (snapshot->len, ==, 5);
  g_assert_cmpstr (ad_log_entry_get_message (g_ptr_array_index (snapshot, 0)), ==, "line 7");
  g_assert_cmpstr (ad_log_entry_get_message (g_ptr_array_index (snapshot, 4)), ==, "line 11");

  ad_log_model_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 5);

  /* Three more: the published list drops its three oldest. */
  for (guint i = 12; i < 15; i++)
    ad_log_model_appendf (log, G_LOG_LEVEL_INFO, "Test", "line %u", i);
  ad_log_model_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 5);
  g_assert_cmpuint (changes.n_added - changes.n_removed, ==, 5);
  {
    g_autoptr(AdLogEntry) oldest = g_list_model_get_item (G_LIST_MODEL (log), 0);
    g_autoptr(AdLogEntry) newest = g_list_model_get_item (G_LIST_MODEL (log), 4);

    g_assert_cmpstr (ad_log_entry_get_message (oldest), ==, "line 10");
    g_assert_cmpstr (ad_log_entry_get_message (newest), ==, "line 14");
  }

  /* Shrinking the capacity trims both sides at once. */
  ad_log_model_set_capacity (log, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 2);
  g_clear_pointer (&snapshot, g_ptr_array_unref);
  snapshot = ad_log_model_snapshot (log);
  g_assert_cmpuint (snapshot->len, ==, 2);
  g_assert_cmpstr (ad_log_entry_get_message (g_ptr_array_index (snapshot, 1)), ==, "line 14");

  g_signal_handlers_disconnect_by_func (log, on_items_changed, &changes);
}

static void
test_clear_restarts_clock (void)
{
  g_autoptr(AdLogModel) log = ad_log_model_new (10);
  g_autoptr(AdLogEntry) entry = NULL;
  gint64 before;

  ad_log_model_append (log, G_LOG_LEVEL_INFO, "Test", "old");
  ad_log_model_flush (log);
  g_usleep (20000);

  before = g_get_monotonic_time ();
  ad_log_model_clear (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  g_assert_cmpint (ad_log_model_get_start_time (log), >=, before);

  ad_log_model_append (log, G_LOG_LEVEL_INFO, "Test", "new");
  ad_log_model_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_cmpstr (ad_log_entry_get_message (entry), ==, "new");
  /* Measured from the clear, not from the model's creation 20 ms ago. */
  g_assert_cmpint (ad_log_entry_get_elapsed (entry), <, 15000);
}

#define N_THREADS 4
#define N_PER_THREAD 2000

static gpointer
writer_thread (gpointer data)
{
  AdLogModel *log = data;

  for (guint i = 0; i < N_PER_THREAD; i++)
    ad_log_model_appendf (log, G_LOG_LEVEL_DEBUG, "Test", "%s %u", ad_thread_name (), i);

  return NULL;
}

static void
test_threads_coalesced (void)
{
  g_autoptr(AdLogModel) log = ad_log_model_new (N_THREADS * N_PER_THREAD);
  g_autoptr(GPtrArray) snapshot = NULL;
  GThread *threads[N_THREADS];
  Changes changes = { 0 };
  guint last_seen[N_THREADS];

  g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed), &changes);

  for (guint i = 0; i < N_THREADS; i++)
    {
      g_autofree char *name = g_strdup_printf ("writer-%u", i);

      threads[i] = g_thread_new (name, writer_thread, log);
    }
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);

  ad_test_spin (50);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, (guint64) N_THREADS * N_PER_THREAD);
  g_assert_false (changes.off_main_thread);
  /* Coalesced: far fewer emissions than records. */
  g_assert_cmpuint (changes.n_signals, <, (guint64) N_THREADS * N_PER_THREAD / 10);

  /* Each writer's records keep their order, and carry the writer's name. */
  snapshot = ad_log_model_snapshot (log);
  for (guint i = 0; i < N_THREADS; i++)
    last_seen[i] = G_MAXUINT;
  for (guint i = 0; i < snapshot->len; i++)
    {
      AdLogEntry *entry = g_ptr_array_index (snapshot, i);
      guint writer = G_MAXUINT, n = 0;
      int parsed = sscanf (ad_log_entry_get_message (entry), "writer-%u %u", &writer, &n);

      g_assert_cmpint (parsed, ==, 2);
      g_assert_cmpuint (writer, <, N_THREADS);
      g_assert_cmpstr (ad_log_entry_get_thread_name (entry), !=, "main");
      g_assert_true (g_str_has_prefix (ad_log_entry_get_thread_name (entry), "writer-"));
      g_assert_true (last_seen[writer] == G_MAXUINT || n == last_seen[writer] + 1);
      last_seen[writer] = n;
    }

  g_signal_handlers_disconnect_by_func (log, on_items_changed, &changes);
}

static void
test_dispose_with_pending_publish (void)
{
  AdLogModel *log = ad_log_model_new (10);

  /* A pending publish does not keep the model alive, and does not run
   * after the model is gone. */
  ad_log_model_append (log, G_LOG_LEVEL_INFO, "Test", "pending");
  g_assert_finalize_object (log);
  ad_test_spin (50);
}

/* Every items-changed is emitted while the model holds exactly what it
 * describes: a handler that reads the count sees the running total. */
typedef struct
{
  guint    shadow;
  gboolean consistent;
  guint    n_signals;
} Shadow;

static void
on_items_changed_shadow (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         Shadow     *shadow)
{
  g_assert_cmpuint (position + removed, <=, shadow->shadow);
  shadow->shadow = shadow->shadow - removed + added;
  shadow->n_signals++;
  if (g_list_model_get_n_items (model) != shadow->shadow)
    shadow->consistent = FALSE;
}

static void
test_trim_consistent (void)
{
  g_autoptr(AdLogModel) log = ad_log_model_new (8);
  Shadow shadow = { 0, TRUE, 0 };

  g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed_shadow), &shadow);
  for (guint round = 0; round < 4; round++)
    {
      for (guint i = 0; i < 5; i++)
        ad_log_model_appendf (log, G_LOG_LEVEL_INFO, "Test", "line %u.%u", round, i);
      ad_log_model_flush (log);
    }
  /* 20 records through a list of 8: the later publishes trim and add. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 8);
  g_assert_cmpuint (shadow.shadow, ==, 8);
  g_assert_cmpuint (shadow.n_signals, >, 4);
  g_assert_true (shadow.consistent);
  g_signal_handlers_disconnect_by_func (log, on_items_changed_shadow, &shadow);
}

/* With a publish limit, a burst reaches the list a few records at a time,
 * in order, each publish within the limit, and all of it soon; the ring's
 * trim still applies, and a flush publishes the rest at once. */
typedef struct
{
  guint max_added;
  guint n_signals;
} Paced;

static void
on_items_changed_paced (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        Paced      *paced)
{
  paced->max_added = MAX (paced->max_added, added);
  paced->n_signals++;
}

static gboolean
last_message_is (AdLogModel *log,
                 const char *message)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_autoptr(AdLogEntry) last = n > 0 ? g_list_model_get_item (G_LIST_MODEL (log), n - 1) : NULL;

  return last != NULL && g_str_equal (ad_log_entry_get_message (last), message);
}

static void
test_publish_limit (void)
{
  g_autoptr(AdLogModel) log = ad_log_model_new (50);
  Paced paced = { 0 };

  ad_log_model_set_publish_limit (log, 16);
  g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed_paced), &paced);

  /* 40 records: 16, 16 and 8, in order. */
  for (guint i = 0; i < 40; i++)
    ad_log_model_appendf (log, G_LOG_LEVEL_INFO, "Test", "line %02u", i);
  ad_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (log)) > 0, 5000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 16);
  ad_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (log)) == 40, 5000);
  g_assert_cmpuint (paced.max_added, ==, 16);
  g_assert_cmpuint (paced.n_signals, ==, 3);
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(AdLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      g_autofree char *expected = g_strdup_printf ("line %02u", i);

      g_assert_cmpstr (ad_log_entry_get_message (entry), ==, expected);
    }

  /* 100 more through a list of 50: the oldest go, the newest 50 stay. */
  for (guint i = 40; i < 140; i++)
    ad_log_model_appendf (log, G_LOG_LEVEL_INFO, "Test", "line %02u", i);
  ad_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (log)) == 50 &&
                      ad_log_model_get_n_appended (log) == 140, 5000);
  ad_test_wait_until (last_message_is (log, "line 139"), 5000);
  g_assert_cmpuint (paced.max_added, ==, 16);

  /* A flush takes everything pending, whatever the limit. */
  for (guint i = 140; i < 180; i++)
    ad_log_model_appendf (log, G_LOG_LEVEL_INFO, "Test", "line %02u", i);
  ad_log_model_flush (log);
  g_assert_cmpuint (paced.max_added, ==, 40);

  g_signal_handlers_disconnect_by_func (log, on_items_changed_paced, &paced);
}

/* One record: its properties (what the log view binds) say what it was
 * made with, its level loses the flags, and its line reads like the
 * command line's, with placeholders for what is missing */
static void
test_entry_fields (void)
{
  g_autoptr(AdLogEntry) entry = ad_log_entry_new (123456, 2500,
                                                  G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, "Dom",
                                                  "worker", "hello");
  g_autoptr(AdLogEntry) bare = ad_log_entry_new (1, 1234567, G_LOG_LEVEL_DEBUG, NULL, NULL, NULL);
  g_autofree char *domain = NULL;
  g_autofree char *thread = NULL;
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  g_autofree char *bare_line = NULL;
  gint64 time_us, elapsed_us;

  g_object_get (entry, "time", &time_us, "elapsed", &elapsed_us, "domain", &domain,
                "thread-name", &thread, "message", &message, NULL);
  g_assert_cmpint (time_us, ==, 123456);
  g_assert_cmpint (elapsed_us, ==, 2500);
  g_assert_cmpstr (domain, ==, "Dom");
  g_assert_cmpstr (thread, ==, "worker");
  g_assert_cmpstr (message, ==, "hello");
  g_assert_cmpint (ad_log_entry_get_level (entry), ==, G_LOG_LEVEL_WARNING);
  g_assert_cmpstr (ad_log_entry_get_domain (entry), ==, "Dom");

  line = ad_log_entry_format (entry);
  g_assert_cmpstr (line, ==, "      2.5 ms  worker     hello");
  bare_line = ad_log_entry_format (bare);
  g_assert_cmpstr (bare_line, ==, "   1234.6 ms  ?          ");
  g_assert_null (ad_log_entry_get_domain (bare));
  g_assert_null (ad_log_entry_get_message (bare));
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/log-model/entry-fields", test_entry_fields);
  g_test_add_func ("/log-model/append-publishes-later", test_append_publishes_later);
  g_test_add_func ("/log-model/ring-is-bounded", test_ring_is_bounded);
  g_test_add_func ("/log-model/clear-restarts-clock", test_clear_restarts_clock);
  g_test_add_func ("/log-model/threads-coalesced", test_threads_coalesced);
  g_test_add_func ("/log-model/dispose-with-pending-publish", test_dispose_with_pending_publish);
  g_test_add_func ("/log-model/trim-consistent", test_trim_consistent);
  g_test_add_func ("/log-model/publish-limit", test_publish_limit);

  return g_test_run ();
}
