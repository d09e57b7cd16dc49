/* test-trace.c: the trace recorder, the timeline model and Trace Event JSON
 *
 * The workloads are real: sleeps in a task group on the main loop, and
 * compute chunks run with g_task_run_in_thread() on GLib's pool, each a
 * CPU task started and finished on its worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ad-core.h"
#include "ad-test-utils.h"
#include "ad-tsan.h"

/* ---- helpers ---------------------------------------------------------- */

static guint
count_slices (AdTrace          *trace,
              guint64           task_id,
              AdTraceSliceType  type,
              GArray           *out)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  guint n = 0;

  ad_trace_collect (trace, G_MININT64, G_MAXINT64, all);
  for (guint i = 0; i < all->len; i++)
    {
      const AdTraceSlice *slice = &g_array_index (all, AdTraceSlice, i);

      if (slice->task_id == task_id && slice->type == type)
        {
          n++;
          if (out != NULL)
            g_array_append_vals (out, slice, 1);
        }
    }

  return n;
}

static int
compare_start (gconstpointer a,
               gconstpointer b)
{
  const AdTraceSlice *sa = a, *sb = b;

  return sa->start_us < sb->start_us ? -1 : sa->start_us > sb->start_us;
}

/* ---- the ring --------------------------------------------------------- */

static void
test_ring_drops_oldest (void)
{
  g_autoptr(AdTaskRegistry) registry = ad_task_registry_new (10);
  g_autoptr(AdTraceRecorder) recorder = ad_trace_recorder_new (16);
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (AdTraceEvent));
  guint64 cursor = 0, missed = 0;
  guint64 first_id = 0;

  ad_trace_recorder_attach (recorder, registry);

  /* 10 tasks × (created, started, finished) = 30 events into 16 slots */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("task %u", i);
      g_autoptr(AdTask) task = ad_task_registry_create (registry, name, AD_TASK_KIND_IO, NULL, NULL);

      if (i == 0)
        first_id = ad_task_get_id (task);
      ad_task_start (task);
      ad_task_finish (task, NULL);
    }

  g_assert_cmpuint (ad_trace_recorder_get_n_recorded (recorder), ==, 30);
  g_assert_cmpuint (ad_trace_recorder_get_n_dropped (recorder), ==, 14);
  g_assert_cmpuint (ad_trace_recorder_get_n_events (recorder), ==, 16);

  g_assert_cmpuint (ad_trace_recorder_read (recorder, &cursor, events, &missed), ==, 16);
  g_assert_cmpuint (missed, ==, 14);
  g_assert_cmpuint (cursor, ==, 30);

  /* The survivors are the newest, oldest first: event 14 is the third
   * event of the fifth task (its finish), then task 5 is created… */
  g_assert_cmpint (g_array_index (events, AdTraceEvent, 0).type, ==, AD_TASK_EVENT_FINISHED);
  g_assert_cmpuint (g_array_index (events, AdTraceEvent, 0).task_id, ==, first_id + 4);
  g_assert_cmpstr (g_array_index (events, AdTraceEvent, 0).name, ==, "task 4");
  g_assert_cmpint (g_array_index (events, AdTraceEvent, 1).type, ==, AD_TASK_EVENT_CREATED);
  g_assert_cmpuint (g_array_index (events, AdTraceEvent, 15).task_id, ==, first_id + 9);
  for (guint i = 1; i < events->len; i++)
    g_assert_cmpint (g_array_index (events, AdTraceEvent, i).time_us, >=,
                     g_array_index (events, AdTraceEvent, i - 1).time_us);

  /* Nothing new: nothing read, nothing missed */
  g_array_set_size (events, 0);
  g_assert_cmpuint (ad_trace_recorder_read (recorder, &cursor, events, &missed), ==, 0);
  g_assert_cmpuint (missed, ==, 0);

  /* A reader that fell behind learns how much it missed */
  cursor = 3;
  ad_trace_recorder_read (recorder, &cursor, events, &missed);
  g_assert_cmpuint (missed, ==, 11);

  ad_trace_recorder_clear (recorder);
  g_assert_cmpuint (ad_trace_recorder_get_n_events (recorder), ==, 0);

  ad_trace_recorder_detach (recorder);
  {
    g_autoptr(AdTask) task = ad_task_registry_create (registry, "unseen", AD_TASK_KIND_IO, NULL, NULL);

    ad_task_finish (task, NULL);
  }
  g_assert_cmpuint (ad_trace_recorder_get_n_recorded (recorder), ==, 30);

  ad_task_registry_flush (registry);
  g_assert_finalize_object (g_steal_pointer (&recorder));
}

/* Writers on several threads while a reader pulls: every event is read
 * exactly once or counted as missed. */
typedef struct
{
  AdTaskRegistry *registry;
  guint           n;
} Writer;

static gpointer
writer_main (gpointer data)
{
  Writer *writer = data;

  for (guint i = 0; i < writer->n; i++)
    {
      AdTask *task = ad_task_registry_create (writer->registry, "w", AD_TASK_KIND_CPU, NULL, NULL);
      AdTask *previous;

      ad_task_start (task);
      previous = ad_task_push_current (task);
      ad_task_pop_current (previous);
      ad_task_finish (task, NULL);
      g_object_unref (task);
    }

  return NULL;
}

static void
test_ring_contended (void)
{
  g_autoptr(AdTaskRegistry) registry = ad_task_registry_new (10);
  g_autoptr(AdTraceRecorder) recorder = ad_trace_recorder_new (1024);
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (AdTraceEvent));
  Writer writer = { registry, 2000 };
  GThread *threads[3];
  guint64 cursor = 0, missed = 0, read = 0, total_missed = 0;
  gboolean running = TRUE;

  ad_trace_recorder_attach (recorder, registry);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("writer", writer_main, &writer);

  while (running)
    {
      running = ad_trace_recorder_get_n_recorded (recorder) < G_N_ELEMENTS (threads) * 2000 * 5;
      g_array_set_size (events, 0);
      read += ad_trace_recorder_read (recorder, &cursor, events, &missed);
      total_missed += missed;
      for (guint i = 0; i < events->len; i++)
        g_assert_cmpint (g_array_index (events, AdTraceEvent, i).kind, ==, AD_TASK_KIND_CPU);
      g_thread_yield ();
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_array_set_size (events, 0);
  read += ad_trace_recorder_read (recorder, &cursor, events, &missed);
  total_missed += missed;

  g_assert_cmpuint (read + total_missed, ==, G_N_ELEMENTS (threads) * 2000 * 5);
  g_assert_cmpuint (cursor, ==, ad_trace_recorder_get_n_recorded (recorder));

  ad_trace_recorder_detach (recorder);
  ad_task_registry_flush (registry);
}

static void
test_long_names_truncated (void)
{
  g_autoptr(AdTaskRegistry) registry = ad_task_registry_new (10);
  g_autoptr(AdTraceRecorder) recorder = ad_trace_recorder_new (64);
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (AdTraceEvent));
  g_autoptr(AdTask) task = NULL;
  GString *name = g_string_new (NULL);
  guint64 cursor = 0;
  const char *copied;

  for (guint i = 0; i < 40; i++)
    g_string_append (name, "ä");  /* two bytes each */

  ad_trace_recorder_attach (recorder, registry);
  task = ad_task_registry_create (registry, name->str, AD_TASK_KIND_IO, NULL, NULL);
  ad_task_finish (task, NULL);

  ad_trace_recorder_read (recorder, &cursor, events, NULL);
  copied = g_array_index (events, AdTraceEvent, 0).name;
  g_assert_true (g_utf8_validate (copied, -1, NULL));
  g_assert_cmpuint (strlen (copied), <, AD_TRACE_NAME_SIZE);
  g_assert_cmpuint (strlen (copied), >=, AD_TRACE_NAME_SIZE - 3);
  g_assert_true (g_str_has_prefix (name->str, copied));

  g_string_free (name, TRUE);
  ad_task_registry_flush (registry);
}

/* ---- entered and left ------------------------------------------------- */

static void
test_enter_leave_nest (void)
{
  g_autoptr(AdTaskRegistry) registry = ad_task_registry_new (10);
  g_autoptr(AdTraceRecorder) recorder = ad_trace_recorder_new (64);
  g_autoptr(AdTrace) trace = ad_trace_new (100);
  g_autoptr(AdTask) outer = ad_task_registry_create (registry, "outer", AD_TASK_KIND_GROUP,
                                                     NULL, NULL);
  g_autoptr(AdTask) inner = ad_task_registry_create (registry, "inner", AD_TASK_KIND_IO,
                                                     outer, NULL);
  g_autoptr(GArray) slices = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  AdTask *prev_outer, *prev_inner;
  const AdTraceSlice *o, *i;

  ad_trace_recorder_attach (recorder, registry);

  prev_outer = ad_task_push_current (outer);
  g_assert_true (ad_task_get_current () == outer);
  g_usleep (1000);
  prev_inner = ad_task_push_current (inner);
  g_usleep (1000);
  ad_task_pop_current (prev_inner);
  g_assert_true (ad_task_get_current () == outer);
  ad_task_pop_current (prev_outer);
  g_assert_null (ad_task_get_current ());

  ad_trace_pull (trace, recorder);
  g_assert_cmpuint (ad_trace_get_n_lanes (trace), ==, 1);
  g_assert_cmpstr (ad_trace_get_lane (trace, 0)->name, ==, "main");
  g_assert_cmpint (ad_trace_get_lane (trace, 0)->kind, ==, AD_TRACE_LANE_MAIN);

  g_assert_cmpuint (count_slices (trace, ad_task_get_id (outer), AD_TRACE_SLICE_RUN, slices), ==, 1);
  g_assert_cmpuint (count_slices (trace, ad_task_get_id (inner), AD_TRACE_SLICE_RUN, slices), ==, 1);
  o = &g_array_index (slices, AdTraceSlice, 0);
  i = &g_array_index (slices, AdTraceSlice, 1);
  g_assert_cmpuint (o->depth, ==, 0);
  g_assert_cmpuint (i->depth, ==, 1);
  g_assert_cmpuint (i->parent_id, ==, ad_task_get_id (outer));
  g_assert_cmpint (i->start_us, >=, o->start_us + 1000);
  g_assert_cmpint (i->end_us, <=, o->end_us);
  g_assert_cmpint (i->end_us - i->start_us, >=, 1000);
  g_assert_false (o->open);

  /* An open slice grows with the trace's end */
  prev_outer = ad_task_push_current (outer);
  ad_trace_pull (trace, recorder);
  ad_trace_advance (trace, g_get_monotonic_time () + 5000);
  g_array_set_size (slices, 0);
  g_assert_cmpuint (count_slices (trace, ad_task_get_id (outer), AD_TRACE_SLICE_RUN, slices), ==, 2);
  g_assert_true (g_array_index (slices, AdTraceSlice, 1).open);
  g_assert_cmpint (g_array_index (slices, AdTraceSlice, 1).end_us, >=,
                   g_array_index (slices, AdTraceSlice, 1).start_us + 5000);
  ad_task_pop_current (prev_outer);

  ad_task_finish (inner, NULL);
  ad_task_finish (outer, NULL);
  ad_task_registry_flush (registry);
}

/* ---- a task group of timers on the main loop -------------------------- */

static void
sleep_start (GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             callback_data,
             gpointer             user_data)
{
  ad_sleep_async (GPOINTER_TO_UINT (user_data), cancellable, callback, callback_data);
}

static gboolean
sleep_finish (GObject       *source,
              GAsyncResult  *result,
              GValue        *value,
              GError       **error,
              gpointer       user_data)
{
  return ad_sleep_finish (result, error);
}

static void
test_timer_group (void)
{
  AdTaskRegistry *registry = ad_task_registry_get_default ();
  g_autoptr(AdTraceRecorder) recorder = ad_trace_recorder_new (4096);
  g_autoptr(AdTrace) trace = ad_trace_new (1000);
  g_autoptr(AdTaskGroup) group = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  static const guint delays[] = { 30, 10, 20 };
  gint64 last_start = 0, first_finish = G_MAXINT64;

  ad_trace_recorder_attach (recorder, registry);

  group = ad_task_group_new ("timers");
  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    {
      g_autofree char *name = g_strdup_printf ("wait %u", delays[i]);

      ad_task_group_add (group, name, AD_TASK_KIND_TIMER, sleep_start, sleep_finish,
                         GUINT_TO_POINTER (delays[i]), NULL);
    }
  ad_task_group_wait_async (group, NULL, ad_test_store_result, &result);
  ad_test_wait_result (&result, 5000);
  g_assert_true (ad_task_group_wait_finish (group, result, &error));
  g_assert_no_error (error);

  ad_trace_pull (trace, recorder);
  ad_trace_recorder_detach (recorder);

  /* Everything ran on the main loop: one lane */
  g_assert_cmpuint (ad_trace_get_n_lanes (trace), ==, 1);
  g_assert_cmpint (ad_trace_get_lane (trace, 0)->kind, ==, AD_TRACE_LANE_MAIN);

  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    {
      AdTask *child = ad_task_group_get_child_task (group, i);
      g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
      g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
      const AdTraceSlice *start, *resume;

      /* Two runs of the child's code: its start function, then its
       * continuation when the sleep fired, at least the delay later */
      g_assert_cmpuint (count_slices (trace, ad_task_get_id (child), AD_TRACE_SLICE_RUN, runs),
                        ==, 2);
      g_array_sort (runs, compare_start);
      start = &g_array_index (runs, AdTraceSlice, 0);
      resume = &g_array_index (runs, AdTraceSlice, 1);
      g_assert_cmpuint (start->lane, ==, 0);
      g_assert_cmpuint (resume->lane, ==, 0);
      g_assert_cmpstr (start->name, ==, ad_task_get_name (child));
      g_assert_cmpint (start->kind, ==, AD_TASK_KIND_TIMER);
      g_assert_cmpint (resume->start_us - start->start_us, >=, (gint64) (delays[i] - 1) * 1000);
      g_assert_cmpint (start->end_us, <=, resume->start_us);
      last_start = MAX (last_start, start->start_us);
      first_finish = MIN (first_finish, resume->start_us);

      /* The sleep inside it: started and finished as instants */
      ad_task_registry_flush (registry);
      g_assert_cmpuint (g_list_model_get_n_items (ad_task_get_children (child)), ==, 1);
      {
        g_autoptr(AdTask) sleep = g_list_model_get_item (ad_task_get_children (child), 0);

        g_assert_cmpuint (count_slices (trace, ad_task_get_id (sleep), AD_TRACE_SLICE_INSTANT,
                                        marks), ==, 2);
        g_assert_cmpint (g_array_index (marks, AdTraceSlice, 1).state, ==,
                         AD_TASK_STATE_SUCCEEDED);
      }
    }

  /* Concurrency: every timer started before the first one fired */
  g_assert_cmpint (last_start, <, first_finish);
}

/* ---- a two-thread compute run ----------------------------------------- */

typedef struct
{
  AdTask *task;
  guint   n_in_flight;
  guint   max_in_flight;
  guint   n_done;
} ComputeRun;

static GMutex compute_mutex;
static guint compute_running, compute_max_running;

static void
chunk_thread (GTask        *gtask,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AdTask *task = task_data;
  volatile guint64 sum = 0;
  gint64 until;

  ad_task_start (task);
  g_mutex_lock (&compute_mutex);
  compute_running++;
  compute_max_running = MAX (compute_max_running, compute_running);
  g_mutex_unlock (&compute_mutex);

  /* A little computing, then a sleep standing in for the rest of the
   * chunk, so that two chunks overlap even on a busy machine. */
  for (guint i = 0; i < 100000; i++)
    sum += i;
  until = g_get_monotonic_time () + 15000;
  while (g_get_monotonic_time () < until)
    g_usleep (1000);

  g_mutex_lock (&compute_mutex);
  compute_running--;
  g_mutex_unlock (&compute_mutex);
  ad_task_finish (task, NULL);
  /* The sum is the chunk's result: always there, never zero */
  g_task_return_boolean (gtask, sum > 0);
}

static void launch_chunk (ComputeRun *run, AdTaskRegistry *registry, guint index);

static AdTaskRegistry *compute_registry;
static guint compute_next, compute_total;

static void
chunk_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ComputeRun *run = user_data;

  g_assert_true (g_task_propagate_boolean (G_TASK (result), NULL));
  run->n_in_flight--;
  run->n_done++;
  if (compute_next < compute_total)
    launch_chunk (run, compute_registry, compute_next++);
}

static void
launch_chunk (ComputeRun     *run,
              AdTaskRegistry *registry,
              guint           index)
{
  g_autofree char *name = g_strdup_printf ("chunk %u", index);
  g_autoptr(GTask) gtask = g_task_new (NULL, NULL, chunk_done_cb, run);
  AdTask *task = ad_task_registry_create (registry, name, AD_TASK_KIND_CPU, run->task, NULL);

  g_task_set_task_data (gtask, task, g_object_unref);
  g_task_set_name (gtask, "[test] chunk");
  run->n_in_flight++;
  run->max_in_flight = MAX (run->max_in_flight, run->n_in_flight);
  g_task_run_in_thread (gtask, chunk_thread);
}

G_GNUC_UNUSED static void
compute_two_threads (void)
{
  g_autoptr(AdTaskRegistry) registry = ad_task_registry_new (100);
  g_autoptr(AdTraceRecorder) recorder = ad_trace_recorder_new (4096);
  g_autoptr(AdTrace) trace = ad_trace_new (1000);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  g_autoptr(GHashTable) thread_lanes = g_hash_table_new (NULL, NULL);
  ComputeRun run = { 0 };
  guint n_chunks = 0;

  ad_trace_recorder_attach (recorder, registry);
  run.task = ad_task_registry_create (registry, "compute", AD_TASK_KIND_GROUP, NULL, NULL);
  ad_task_start (run.task);

  compute_registry = registry;
  compute_total = 6;
  compute_next = 2;
  compute_running = compute_max_running = 0;
  launch_chunk (&run, registry, 0);
  launch_chunk (&run, registry, 1);
  while (run.n_done < compute_total)
    g_main_context_iteration (NULL, TRUE);
  ad_task_finish (run.task, NULL);
  g_assert_cmpuint (run.max_in_flight, ==, 2);

  ad_trace_pull (trace, recorder);
  ad_trace_collect (trace, G_MININT64, G_MAXINT64, all);

  for (guint i = 0; i < all->len; i++)
    {
      const AdTraceSlice *slice = &g_array_index (all, AdTraceSlice, i);
      const AdTraceLane *lane = ad_trace_get_lane (trace, slice->lane);

      if (slice->type != AD_TRACE_SLICE_RUN)
        continue;

      /* Each chunk ran on a worker thread's lane, from start to finish */
      n_chunks++;
      g_assert_true (g_str_has_prefix (slice->name, "chunk "));
      g_assert_cmpint (slice->kind, ==, AD_TASK_KIND_CPU);
      g_assert_cmpint (lane->kind, ==, AD_TRACE_LANE_THREAD);
      g_assert_cmpint (slice->end_us - slice->start_us, >=, 15000);
      g_assert_cmpuint (slice->parent_id, ==, ad_task_get_id (run.task));
      g_assert_cmpint (slice->state, ==, AD_TASK_STATE_SUCCEEDED);
      g_assert_false (slice->open);
      g_hash_table_add (thread_lanes, GUINT_TO_POINTER (slice->lane));

      /* A thread runs one chunk at a time: no overlap on one lane; and
       * never more than two at once across lanes */
      for (guint j = 0; j < all->len; j++)
        {
          const AdTraceSlice *other = &g_array_index (all, AdTraceSlice, j);
          guint overlapping = 0;

          if (j == i || other->type != AD_TRACE_SLICE_RUN)
            continue;
          if (other->lane == slice->lane)
            g_assert_true (other->end_us <= slice->start_us || other->start_us >= slice->end_us);
          for (guint k = 0; k < all->len; k++)
            {
              const AdTraceSlice *s = &g_array_index (all, AdTraceSlice, k);

              if (s->type == AD_TRACE_SLICE_RUN && s->start_us <= other->start_us &&
                  s->end_us > other->start_us)
                overlapping++;
            }
          g_assert_cmpuint (overlapping, <=, 2);
        }
    }
  g_assert_cmpuint (n_chunks, ==, compute_total);

  /* Parallelism: two chunks ran at once, so at least two thread lanes */
  g_assert_cmpuint (compute_max_running, ==, 2);
  g_assert_cmpuint (g_hash_table_size (thread_lanes), >=, 2);
  for (guint i = 0; i < ad_trace_get_n_lanes (trace); i++)
    if (ad_trace_get_lane (trace, i)->kind == AD_TRACE_LANE_THREAD)
      g_assert_true (strchr (ad_trace_get_lane (trace, i)->name, '#') != NULL);

  ad_task_registry_flush (registry);
  g_object_unref (run.task);
}

static void
test_compute_two_threads (void)
{
#ifdef AD_HAVE_TSAN
  /* GLib's thread pool hands work to its threads under locks an
   * uninstrumented GLib hides from TSan; /trace/ring-contended covers the
   * recorder's own locking with plain threads. */
  g_test_skip ("GLib's thread pool is invisible to ThreadSanitizer");
#else
  compute_two_threads ();
#endif
}

/* ---- synthetic events: processes, bounds ------------------------------ */

static AdTraceEvent
make_event (AdTaskEventType type,
            guint64         id,
            AdTaskKind      kind,
            gint64          time_us,
            const char     *thread,
            guint32         thread_id,
            const char     *name)
{
  AdTraceEvent event = {
    .time_us = time_us,
    .task_id = id,
    .thread_name = g_intern_string (thread),
    .thread_id = thread_id,
    .type = type,
    .kind = kind,
    .state = type == AD_TASK_EVENT_FINISHED ? AD_TASK_STATE_SUCCEEDED : AD_TASK_STATE_RUNNING,
  };

  g_strlcpy (event.name, name, sizeof event.name);

  return event;
}

static void
test_process_lane (void)
{
  g_autoptr(AdTrace) trace = ad_trace_new (100);
  AdTraceEvent events[] = {
    make_event (AD_TASK_EVENT_STARTED, 7, AD_TASK_KIND_PROCESS, 1000, "main", 1, "worker 1"),
    make_event (AD_TASK_EVENT_STARTED, 8, AD_TASK_KIND_PROCESS, 1100, "main", 1, "worker 2"),
    make_event (AD_TASK_EVENT_FINISHED, 7, AD_TASK_KIND_PROCESS, 5000, "main", 1, "worker 1"),
  };
  g_autoptr(GArray) slices = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));

  ad_trace_ingest (trace, events, G_N_ELEMENTS (events));
  ad_trace_advance (trace, 9000);

  g_assert_cmpuint (ad_trace_get_n_lanes (trace), ==, 2);
  g_assert_cmpint (ad_trace_get_lane (trace, 0)->kind, ==, AD_TRACE_LANE_PROCESS);
  g_assert_cmpstr (ad_trace_get_lane (trace, 0)->name, ==, "worker 1");
  g_assert_cmpstr (ad_trace_get_lane (trace, 1)->name, ==, "worker 2");

  g_assert_cmpuint (count_slices (trace, 7, AD_TRACE_SLICE_RUN, slices), ==, 1);
  g_assert_cmpint (g_array_index (slices, AdTraceSlice, 0).start_us, ==, 1000);
  g_assert_cmpint (g_array_index (slices, AdTraceSlice, 0).end_us, ==, 5000);
  g_assert_cmpuint (count_slices (trace, 8, AD_TRACE_SLICE_RUN, slices), ==, 1);
  g_assert_true (g_array_index (slices, AdTraceSlice, 1).open);
  g_assert_cmpint (g_array_index (slices, AdTraceSlice, 1).end_us, ==, 9000);
}

static void
test_trace_bounded (void)
{
  g_autoptr(AdTrace) trace = ad_trace_new (100);
  g_autoptr(GArray) visible = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));

  for (guint i = 0; i < 10000; i++)
    {
      AdTraceEvent event = make_event (AD_TASK_EVENT_FINISHED, i + 1, AD_TASK_KIND_TIMER,
                                       (gint64) i * 10, "main", 1, "tick");

      ad_trace_ingest (trace, &event, 1);
    }

  g_assert_cmpuint (ad_trace_get_n_slices (trace), <=, 125);
  g_assert_cmpuint (ad_trace_get_n_slices (trace), >=, 100);
  g_assert_cmpuint (ad_trace_get_n_dropped (trace) + ad_trace_get_n_slices (trace), ==, 10000);
  g_assert_cmpuint (ad_trace_get_n_finished (trace, AD_TASK_STATE_SUCCEEDED), ==, 10000);
  g_assert_cmpuint (ad_trace_get_n_finished (trace, AD_TASK_STATE_FAILED), ==, 0);
  g_assert_cmpuint (ad_trace_get_slice (trace, ad_trace_get_n_slices (trace) - 1)->task_id, ==,
                    10000);

  /* A range query returns just what overlaps */
  ad_trace_collect (trace, 99000, 99500, visible);
  g_assert_cmpuint (visible->len, ==, 51);
  g_assert_cmpint (g_array_index (visible, AdTraceSlice, 0).start_us, ==, 99000);

  /* Lanes are bounded too: later threads share one lane */
  for (guint i = 0; i < 200; i++)
    {
      AdTraceEvent event = make_event (AD_TASK_EVENT_FINISHED, 1, AD_TASK_KIND_IO, 1, "pool", 100 + i,
                                       "x");

      ad_trace_ingest (trace, &event, 1);
    }
  g_assert_cmpuint (ad_trace_get_n_lanes (trace), ==, AD_TRACE_MAX_LANES);
}

/* When the recorder overwrote events before they were pulled, bars whose
 * end may be lost are closed, not left to grow. */
static void
test_gap_closes_open (void)
{
  g_autoptr(AdTaskRegistry) registry = ad_task_registry_new (10);
  g_autoptr(AdTraceRecorder) recorder = ad_trace_recorder_new (16);
  g_autoptr(AdTrace) trace = ad_trace_new (100);
  g_autoptr(AdTask) outer = ad_task_registry_create (registry, "outer", AD_TASK_KIND_GROUP,
                                                     NULL, NULL);
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  AdTask *previous;

  ad_trace_recorder_attach (recorder, registry);
  previous = ad_task_push_current (outer);
  ad_trace_pull (trace, recorder);
  g_assert_cmpuint (ad_trace_collect_open (trace, open), ==, 1);

  /* 40 events while nobody pulls: the ring laps */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(AdTask) task = ad_task_registry_create (registry, "noise", AD_TASK_KIND_IO, NULL, NULL);

      ad_task_finish (task, NULL);
    }
  ad_task_pop_current (previous);

  ad_trace_pull (trace, recorder);
  g_assert_cmpuint (ad_trace_get_n_dropped (trace), >, 0);
  g_array_set_size (open, 0);
  g_assert_cmpuint (ad_trace_collect_open (trace, open), ==, 0);
  g_assert_cmpuint (count_slices (trace, ad_task_get_id (outer), AD_TRACE_SLICE_RUN, NULL), ==, 1);

  ad_task_finish (outer, NULL);
  ad_task_registry_flush (registry);
}

/* ---- Trace Event JSON ------------------------------------------------- */

static AdTrace *
make_sample_trace (void)
{
  AdTrace *trace = ad_trace_new (100);
  AdTraceEvent events[] = {
    make_event (AD_TASK_EVENT_ENTERED, 1, AD_TASK_KIND_GROUP, 1000000, "main", 1, "crawl “Ä”"),
    make_event (AD_TASK_EVENT_STARTED, 2, AD_TASK_KIND_IO, 1000100, "main", 1, "GET /"),
    make_event (AD_TASK_EVENT_LEFT, 1, AD_TASK_KIND_GROUP, 1000300, "main", 1, "crawl “Ä”"),
    make_event (AD_TASK_EVENT_STARTED, 3, AD_TASK_KIND_CPU, 1000400, "pool-x", 5, "parse"),
    make_event (AD_TASK_EVENT_STARTED, 4, AD_TASK_KIND_CPU, 1000450, "pool-x", 6, "parse 2"),
    make_event (AD_TASK_EVENT_FINISHED, 3, AD_TASK_KIND_CPU, 1002400, "pool-x", 5, "parse"),
    make_event (AD_TASK_EVENT_STARTED, 5, AD_TASK_KIND_PROCESS, 1000500, "main", 1, "worker 1"),
    make_event (AD_TASK_EVENT_FINISHED, 2, AD_TASK_KIND_IO, 1003000, "main", 1, "GET /"),
  };

  events[1].parent_id = 1;
  events[7].state = AD_TASK_STATE_FAILED;
  ad_trace_ingest (trace, events, G_N_ELEMENTS (events));
  ad_trace_advance (trace, 1004000);

  return trace;
}

static void
check_trace_event_format (JsonNode *root,
                          guint     n_lanes)
{
  JsonArray *events;
  guint n_thread_names = 0, n_complete = 0, n_instant = 0;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  events = json_object_get_array_member (json_node_get_object (root), "traceEvents");
  g_assert_nonnull (events);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "displayTimeUnit"),
                   ==, "ms");

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *ph = json_object_get_string_member (event, "ph");

      g_assert_true (json_object_has_member (event, "name"));
      g_assert_true (json_object_has_member (event, "pid"));
      g_assert_true (json_object_has_member (event, "tid"));

      if (g_str_equal (ph, "M"))
        {
          g_assert_true (json_object_has_member (json_object_get_object_member (event, "args"),
                                                 json_object_has_member (event, "name") &&
                                                 g_str_equal (json_object_get_string_member (event, "name"),
                                                              "thread_sort_index")
                                                 ? "sort_index" : "name"));
          if (g_str_equal (json_object_get_string_member (event, "name"), "thread_name"))
            n_thread_names++;
        }
      else if (g_str_equal (ph, "X") || g_str_equal (ph, "i"))
        {
          JsonObject *args = json_object_get_object_member (event, "args");

          g_assert_cmpint (json_object_get_int_member (event, "ts"), >=, 0);
          g_assert_nonnull (json_object_get_string_member (event, "cat"));
          g_assert_nonnull (args);
          g_assert_true (json_object_has_member (args, "task_id"));
          g_assert_true (json_object_has_member (args, "state"));
          if (g_str_equal (ph, "X"))
            {
              g_assert_cmpint (json_object_get_int_member (event, "dur"), >=, 0);
              n_complete++;
            }
          else
            {
              g_assert_cmpstr (json_object_get_string_member (event, "s"), ==, "t");
              n_instant++;
            }
        }
      else
        g_assert_not_reached ();
    }

  g_assert_cmpuint (n_thread_names, ==, n_lanes);
  g_assert_cmpuint (n_complete, >, 0);
  g_assert_cmpuint (n_instant, >, 0);
}

static void
test_export_roundtrip (void)
{
  g_autoptr(AdTrace) trace = make_sample_trace ();
  g_autoptr(AdTrace) imported = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(GArray) a = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  g_autoptr(GArray) b = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *path = NULL;
  g_autofree char *events_a = NULL;
  g_autofree char *events_b = NULL;
  gsize length;
  int fd;

  g_assert_cmpuint (ad_trace_get_n_lanes (trace), ==, 4);  /* main, 2 threads, a process */

  data = ad_trace_export_to_data (trace, &length);
  g_assert_true (json_parser_load_from_data (parser, data, length, &error));
  g_assert_no_error (error);
  check_trace_event_format (json_parser_get_root (parser), 4);

  /* Through a file and back */
  fd = g_file_open_tmp ("trace-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (ad_trace_export_to_file (trace, path, &error));
  g_assert_no_error (error);
  imported = ad_trace_import_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (imported);
  g_unlink (path);

  g_assert_cmpuint (ad_trace_get_n_lanes (imported), ==, 4);
  g_assert_cmpstr (ad_trace_get_lane (imported, 0)->name, ==, "main");
  g_assert_cmpint (ad_trace_get_lane (imported, 0)->kind, ==, AD_TRACE_LANE_MAIN);
  for (guint i = 0; i < 4; i++)
    {
      const AdTraceLane *lane = ad_trace_get_lane (imported, i);

      if (g_str_equal (lane->name, "worker 1"))
        g_assert_cmpint (lane->kind, ==, AD_TRACE_LANE_PROCESS);
      else if (i > 0)
        g_assert_cmpint (lane->kind, ==, AD_TRACE_LANE_THREAD);
    }

  ad_trace_collect (trace, G_MININT64, G_MAXINT64, a);
  ad_trace_collect (imported, G_MININT64, G_MAXINT64, b);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const AdTraceSlice *sa = &g_array_index (a, AdTraceSlice, i);
      gboolean found = FALSE;

      for (guint j = 0; j < b->len && !found; j++)
        {
          const AdTraceSlice *sb = &g_array_index (b, AdTraceSlice, j);

          found = sb->task_id == sa->task_id && sb->type == sa->type &&
                  sb->start_us == sa->start_us - ad_trace_get_start_time (trace) &&
                  sb->end_us - sb->start_us == sa->end_us - sa->start_us &&
                  sb->kind == sa->kind && sb->state == sa->state && sb->depth == sa->depth &&
                  g_str_equal (sb->name, sa->name) && sb->parent_id == sa->parent_id &&
                  g_str_equal (ad_trace_get_lane (imported, sb->lane)->name,
                               ad_trace_get_lane (trace, sa->lane)->name);
        }
      g_assert_true (found);
    }

  /* Exporting the import gives the same events */
  first = json_node_copy (json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "traceEvents"));
  {
    g_autoptr(JsonNode) root = ad_trace_export_to_json (imported);

    second = json_node_copy (json_object_get_member (json_node_get_object (root), "traceEvents"));
  }
  events_a = json_to_string (first, FALSE);
  events_b = json_to_string (second, FALSE);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (first)), ==,
                    json_array_get_length (json_node_get_array (second)));
  g_assert_cmpstr (events_a, ==, events_b);
}

static void
test_import_invalid (void)
{
  g_autoptr(GError) error = NULL;
  AdTrace *trace;

  trace = ad_trace_import_from_data ("{\"foo\": 1}", -1, &error);
  g_assert_error (error, AD_TRACE_ERROR, AD_TRACE_ERROR_INVALID);
  g_assert_null (trace);
  g_clear_error (&error);

  trace = ad_trace_import_from_data ("{not json", -1, &error);
  g_assert_nonnull (error);
  g_assert_null (trace);
  g_clear_error (&error);

  /* Foreign traces: the bare array form, phases we do not know, floats */
  trace = ad_trace_import_from_data ("[{\"ph\":\"B\",\"name\":\"x\",\"ts\":1,\"pid\":1,\"tid\":1},"
                                     "{\"ph\":\"X\",\"name\":\"y\",\"ts\":2.5,\"dur\":3.9,"
                                     "\"pid\":3,\"tid\":4}]", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ad_trace_get_n_slices (trace), ==, 1);
  g_assert_cmpuint (ad_trace_get_n_lanes (trace), ==, 2);
  g_assert_cmpint (ad_trace_get_slice (trace, 0)->end_us - ad_trace_get_slice (trace, 0)->start_us,
                   ==, 3);
  g_object_unref (trace);
}

/* ---- ad-trace-file.c -------------------------------------------------- */

typedef struct
{
  GAsyncResult *result;
  gboolean      on_main_thread;
  gboolean      no_source;
} FileDone;

static void
file_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FileDone *done = user_data;

  done->on_main_thread = g_main_context_is_owner (g_main_context_default ());
  done->no_source = source == NULL;
  done->result = g_object_ref (result);
}

static GAsyncResult *
wait_file_done (FileDone *done)
{
  ad_test_wait_until (done->result != NULL, 5000);
  g_assert_true (done->on_main_thread);
  g_assert_true (done->no_source);
  return done->result;
}

/* Save, then load: the file is exactly the trace as it was when the save
 * began (later changes, open slices and drop counts included), and what
 * loads back is that trace */
static void
test_file_roundtrip (void)
{
  g_autoptr(AdTrace) trace = make_sample_trace ();
  g_autoptr(AdTrace) loaded = NULL;
  g_autofree char *dir = g_dir_make_tmp ("trace-file-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "saved.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *reexported = NULL;
  g_autofree char *again = NULL;
  AdTraceSlice extra = *ad_trace_get_slice (trace, 0);
  FileDone saved = { 0 }, load = { 0 };
  guint n_written = 0, n_expected;

  /* Enough slices that the trace lets some go */
  for (guint i = 0; i < 150; i++)
    ad_trace_add_slice (trace, &extra);
  g_assert_cmpuint (ad_trace_get_n_dropped (trace), >, 0);
  expected = ad_trace_export_to_data (trace, NULL);
  {
    g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));

    n_expected = ad_trace_collect (trace, G_MININT64, G_MAXINT64, all);
  }

  ad_trace_file_save_async (trace, file, NULL, file_done_cb, &saved);
  /* The save works on a copy: this is not in the file */
  g_strlcpy (extra.name, "added after the save began", sizeof extra.name);
  ad_trace_add_slice (trace, &extra);
  wait_file_done (&saved);
  g_assert_true (ad_trace_file_get_file (saved.result) == file);
  g_assert_true (ad_trace_file_save_finish (saved.result, &n_written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_written, ==, n_expected);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);

  ad_trace_file_load_async (file, NULL, file_done_cb, &load);
  wait_file_done (&load);
  g_assert_true (ad_trace_file_get_file (load.result) == file);
  loaded = ad_trace_file_load_finish (load.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (ad_trace_get_n_lanes (loaded), ==, 4);
  g_assert_cmpuint (ad_trace_get_n_slices (loaded), ==, n_written);
  /* Loading is import: the same as reading the text directly */
  {
    g_autoptr(AdTrace) direct = ad_trace_import_from_data (contents, -1, &error);

    g_assert_no_error (error);
    reexported = ad_trace_export_to_data (loaded, NULL);
    again = ad_trace_export_to_data (direct, NULL);
    g_assert_cmpstr (reexported, ==, again);
  }

  g_clear_object (&saved.result);
  g_clear_object (&load.result);
  g_unlink (path);
  g_rmdir (dir);
}

/* Files that are no trace, or no file: an error, never a trace */
static void
test_file_malformed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("trace-file-XXXXXX", NULL);
  const struct
  {
    const char *contents;  /* NULL: no such file */
    GQuark      domain;
    int         code;
  } cases[] = {
    { "[1, 2", JSON_PARSER_ERROR, -1 },
    { "{\"foo\": 1}", AD_TRACE_ERROR, AD_TRACE_ERROR_INVALID },
    { "", AD_TRACE_ERROR, AD_TRACE_ERROR_INVALID },
    { NULL, G_IO_ERROR, G_IO_ERROR_NOT_FOUND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad-%u.json", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(AdTrace) trace = NULL;
      FileDone done = { 0 };

      if (cases[i].contents != NULL)
        g_assert_true (g_file_set_contents (path, cases[i].contents, -1, NULL));
      ad_trace_file_load_async (file, NULL, file_done_cb, &done);
      wait_file_done (&done);
      trace = ad_trace_file_load_finish (done.result, &error);
      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (trace);
      g_assert_nonnull (error);
      g_assert_true (error->domain == cases[i].domain);
      if (cases[i].code >= 0)
        g_assert_cmpint (error->code, ==, cases[i].code);
      g_clear_object (&done.result);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Cancelled before the worker gets to it: quietly nothing, and no file */
static void
test_file_cancel (void)
{
  g_autoptr(AdTrace) trace = make_sample_trace ();
  g_autofree char *dir = g_dir_make_tmp ("trace-file-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cancelled.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AdTrace) loaded = NULL;
  FileDone saved = { 0 }, load = { 0 };
  guint n_written = 12345;

  g_cancellable_cancel (cancellable);
  ad_trace_file_save_async (trace, file, cancellable, file_done_cb, &saved);
  wait_file_done (&saved);
  g_assert_false (ad_trace_file_save_finish (saved.result, &n_written, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (n_written, ==, 12345);
  g_assert_false (g_file_query_exists (file, NULL));
  g_clear_error (&error);

  /* A file that exists and parses, still not loaded */
  g_assert_true (ad_trace_export_to_file (trace, path, &error));
  ad_trace_file_load_async (file, cancellable, file_done_cb, &load);
  wait_file_done (&load);
  loaded = ad_trace_file_load_finish (load.result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (loaded);

  g_clear_object (&saved.result);
  g_clear_object (&load.result);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/trace/ring-drops-oldest", test_ring_drops_oldest);
  g_test_add_func ("/trace/ring-contended", test_ring_contended);
  g_test_add_func ("/trace/long-names-truncated", test_long_names_truncated);
  g_test_add_func ("/trace/enter-leave-nest", test_enter_leave_nest);
  g_test_add_func ("/trace/timer-group", test_timer_group);
  g_test_add_func ("/trace/compute-two-threads", test_compute_two_threads);
  g_test_add_func ("/trace/process-lane", test_process_lane);
  g_test_add_func ("/trace/bounded", test_trace_bounded);
  g_test_add_func ("/trace/gap-closes-open", test_gap_closes_open);
  g_test_add_func ("/trace/export-roundtrip", test_export_roundtrip);
  g_test_add_func ("/trace/import-invalid", test_import_invalid);
  g_test_add_func ("/trace/file-roundtrip", test_file_roundtrip);
  g_test_add_func ("/trace/file-malformed", test_file_malformed);
  g_test_add_func ("/trace/file-cancel", test_file_cancel);

  return g_test_run ();
}
