/* test-task-registry.c: the task registry's states, tree, threads and models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-core.h"
#include "ad-test-utils.h"

static AdTaskRegistry *
registry_new (guint history_size)
{
  AdTaskRegistry *registry = ad_task_registry_new (history_size);

  ad_task_registry_set_publish_interval (registry, 0);

  return registry;
}

static AdTask *
new_task (AdTaskRegistry *registry,
          const char     *name,
          AdTask         *parent)
{
  return ad_task_registry_create (registry, name, AD_TASK_KIND_IO, parent, NULL);
}

static gboolean
model_contains (GListModel *model,
                AdTask     *task)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AdTask) item = g_list_model_get_item (model, i);

      if (item == task)
        return TRUE;
    }

  return FALSE;
}

static void
test_states (void)
{
  AdTaskRegistry *registry = registry_new (100);
  GListModel *live = ad_task_registry_get_live (registry);
  GListModel *history = ad_task_registry_get_history (registry);
  g_autoptr(GError) error = NULL;
  AdTask *ok, *failed, *cancelled, *timed_out;

  ok = new_task (registry, "ok", NULL);
  failed = ad_task_registry_create (registry, "failed", AD_TASK_KIND_CPU, NULL, NULL);
  cancelled = ad_task_registry_create (registry, "cancelled", AD_TASK_KIND_TIMER, NULL, NULL);
  timed_out = new_task (registry, "timed out", NULL);
  g_assert_cmpuint (ad_task_get_id (failed), >, ad_task_get_id (ok));
  g_assert_cmpint (ad_task_get_state (ok), ==, AD_TASK_STATE_PENDING);
  g_assert_cmpint (ad_task_get_started_time (ok), ==, 0);
  g_assert_cmpuint (ad_task_registry_get_n_live (registry), ==, 4);

  /* Nothing shows before the registry publishes. */
  g_assert_cmpuint (g_list_model_get_n_items (live), ==, 0);
  ad_task_registry_flush (registry);
  g_assert_cmpuint (g_list_model_get_n_items (live), ==, 4);

  ad_task_start (ok);
  ad_task_start (failed);
  ad_task_start (cancelled);
  ad_task_start (timed_out);
  g_assert_cmpint (ad_task_get_state (ok), ==, AD_TASK_STATE_RUNNING);
  g_assert_cmpstr (ad_task_get_thread_name (ok), ==, "main");
  g_assert_cmpint (ad_task_get_started_time (ok), >=, ad_task_get_created_time (ok));

  ad_task_finish (ok, NULL);
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no such page");
  ad_task_finish (failed, error);
  g_clear_error (&error);
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
  ad_task_finish (cancelled, error);
  g_clear_error (&error);
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "too slow");
  ad_task_finish (timed_out, error);
  g_assert_cmpuint (ad_task_registry_get_n_live (registry), ==, 0);

  ad_task_registry_flush (registry);
  g_assert_cmpuint (g_list_model_get_n_items (live), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 4);

  g_assert_cmpint (ad_task_get_state (ok), ==, AD_TASK_STATE_SUCCEEDED);
  g_assert_null (ad_task_dup_error_message (ok));
  g_assert_cmpint (ad_task_get_finished_time (ok), >=, ad_task_get_started_time (ok));
  g_assert_cmpint (ad_task_get_state (failed), ==, AD_TASK_STATE_FAILED);
  {
    g_autofree char *message = ad_task_dup_error_message (failed);

    g_assert_cmpstr (message, ==, "no such page");
  }
  g_assert_false (ad_task_get_timed_out (failed));
  g_assert_cmpint (ad_task_get_state (cancelled), ==, AD_TASK_STATE_CANCELLED);
  g_assert_false (ad_task_get_timed_out (cancelled));
  g_assert_cmpint (ad_task_get_state (timed_out), ==, AD_TASK_STATE_FAILED);
  g_assert_true (ad_task_get_timed_out (timed_out));

  g_assert_finalize_object (registry);
  g_assert_finalize_object (ok);
  g_assert_finalize_object (failed);
  g_assert_finalize_object (cancelled);
  g_assert_finalize_object (timed_out);
}

static void
test_tree (void)
{
  AdTaskRegistry *registry = registry_new (100);
  AdTask *crawl, *fetch1, *fetch2, *parse, *other;
  GListModel *children;

  crawl = new_task (registry, "crawl", NULL);
  fetch1 = ad_task_registry_create (registry, "fetch 1", AD_TASK_KIND_IO, crawl, NULL);
  fetch2 = ad_task_registry_create (registry, "fetch 2", AD_TASK_KIND_IO, crawl, NULL);
  parse = ad_task_registry_create (registry, "parse", AD_TASK_KIND_CPU, fetch1, NULL);
  other = ad_task_registry_create (registry, "other", AD_TASK_KIND_TIMER, NULL, NULL);
  ad_task_registry_flush (registry);

  g_assert_true (ad_task_get_parent (fetch1) == crawl);
  g_assert_null (ad_task_get_parent (crawl));
  g_assert_cmpuint (g_list_model_get_n_items (ad_task_registry_get_roots (registry)), ==, 2);
  g_assert_true (model_contains (ad_task_registry_get_roots (registry), crawl));
  g_assert_true (model_contains (ad_task_registry_get_roots (registry), other));

  children = ad_task_get_children (crawl);
  g_assert_true (g_list_model_get_item_type (children) == AD_TYPE_TASK);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 2);
  g_assert_true (model_contains (children, fetch1));
  g_assert_true (model_contains (children, fetch2));
  g_assert_cmpuint (g_list_model_get_n_items (ad_task_get_children (fetch1)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (ad_task_get_children (parse)), ==, 0);

  /* A finished child stays in its parent's children, leaves the live list. */
  ad_task_start (fetch2);
  ad_task_finish (fetch2, NULL);
  ad_task_registry_flush (registry);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 2);
  g_assert_false (model_contains (ad_task_registry_get_live (registry), fetch2));
  g_assert_cmpuint (g_list_model_get_n_items (ad_task_registry_get_live (registry)), ==, 4);

  /* A task created and finished within one tick still appears under its
   * parent and in the history. */
  {
    AdTask *quick = ad_task_registry_create (registry, "quick", AD_TASK_KIND_IO, crawl, NULL);

    ad_task_finish (quick, NULL);
    ad_task_registry_flush (registry);
    g_assert_true (model_contains (children, quick));
    g_assert_true (model_contains (ad_task_registry_get_history (registry), quick));
    g_assert_false (model_contains (ad_task_registry_get_live (registry), quick));
    g_object_unref (quick);
  }

  for (AdTask **t = (AdTask *[]) { parse, fetch1, crawl, other, NULL }; *t != NULL; t++)
    ad_task_finish (*t, NULL);
  ad_task_registry_flush (registry);
  g_assert_cmpuint (g_list_model_get_n_items (ad_task_registry_get_roots (registry)), ==, 0);

  g_assert_finalize_object (registry);
  g_object_unref (crawl);
  g_object_unref (fetch1);
  g_object_unref (fetch2);
  g_object_unref (other);
  g_assert_finalize_object (parse);
}

typedef struct
{
  AdTaskRegistry *registry;
  AdTask         *task;
  guint           n_progress;
} WorkerData;

static gpointer
worker_main (gpointer user_data)
{
  WorkerData *data = user_data;

  ad_task_start (data->task);
  for (guint i = 1; i <= data->n_progress; i++)
    ad_task_set_progress (data->task, i / (double) data->n_progress);
  ad_task_finish (data->task, NULL);

  return NULL;
}

typedef struct
{
  guint    n_notifies;
  gboolean off_main;
} NotifyCount;

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  NotifyCount *count = user_data;

  count->n_notifies++;
  if (!ad_core_is_main_thread ())
    count->off_main = TRUE;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  count_notify_cb (NULL, NULL, user_data);
}

static void
test_worker_threads (void)
{
  g_autoptr(AdTaskRegistry) registry = ad_task_registry_new (100);
  WorkerData data[2];
  GThread *threads[2];
  NotifyCount progress = { 0 }, changes = { 0 };
  guint64 publishes_before;

  /* A publish at most every 50 ms: 2 × 20000 events must coalesce. */
  ad_task_registry_set_publish_interval (registry, 50);
  g_signal_connect (ad_task_registry_get_live (registry), "items-changed",
                    G_CALLBACK (items_changed_cb), &changes);
  publishes_before = ad_task_registry_get_n_publishes (registry);

  for (guint i = 0; i < 2; i++)
    {
      data[i].registry = registry;
      data[i].task = ad_task_registry_create (registry, "worker", AD_TASK_KIND_CPU, NULL, NULL);
      data[i].n_progress = 20000;
      g_signal_connect (data[i].task, "notify::progress", G_CALLBACK (count_notify_cb), &progress);
    }
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("test-worker", worker_main, &data[i]);
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (ad_task_registry_get_n_live (registry), ==, 0);
  while (g_list_model_get_n_items (ad_task_registry_get_history (registry)) < 2)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpstr (ad_task_get_thread_name (data[i].task), ==, "test-worker");
      g_assert_cmpfloat (ad_task_get_progress (data[i].task), ==, 1.0);
      g_assert_cmpint (ad_task_get_state (data[i].task), ==, AD_TASK_STATE_SUCCEEDED);
    }
  /* Every notification and model change happened on the main thread, in
   * a few publishes rather than one per event. */
  g_assert_false (progress.off_main);
  g_assert_false (changes.off_main);
  g_assert_cmpuint (progress.n_notifies, <=, 4);
  g_assert_cmpuint (ad_task_registry_get_n_publishes (registry) - publishes_before, <=, 10);

  for (guint i = 0; i < 2; i++)
    g_object_unref (data[i].task);
}

static void
test_coalesced_idle (void)
{
  g_autoptr(AdTaskRegistry) registry = ad_task_registry_new (2000);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  guint64 before = ad_task_registry_get_n_publishes (registry);

  ad_task_registry_set_publish_interval (registry, 0);
  for (guint i = 0; i < 1000; i++)
    {
      AdTask *task = ad_task_registry_create (registry, "t", AD_TASK_KIND_TIMER, NULL, NULL);

      ad_task_start (task);
      ad_task_finish (task, NULL);
      g_ptr_array_add (tasks, task);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* 3000 events, one publish. */
  g_assert_cmpuint (ad_task_registry_get_n_publishes (registry) - before, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (ad_task_registry_get_history (registry)), ==, 1000);
}

static void
test_history_bound (void)
{
  AdTaskRegistry *registry = registry_new (10);
  GListModel *history = ad_task_registry_get_history (registry);
  guint64 last_id = 0;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(AdTask) task = new_task (registry, "t", NULL);

      ad_task_start (task);
      ad_task_finish (task, NULL);
      last_id = ad_task_get_id (task);
      if (i % 7 == 0)
        ad_task_registry_flush (registry);
    }
  ad_task_registry_flush (registry);

  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 10);
  {
    g_autoptr(AdTask) newest = g_list_model_get_item (history, 9);
    g_autoptr(AdTask) oldest = g_list_model_get_item (history, 0);

    g_assert_cmpuint (ad_task_get_id (newest), ==, last_id);
    g_assert_cmpuint (ad_task_get_id (oldest), ==, last_id - 9);
  }

  ad_task_registry_set_history_size (registry, 3);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 3);

  g_assert_finalize_object (registry);
}

static void
test_cancel_subtree (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new (100);
  g_autoptr(GCancellable) outer = g_cancellable_new ();
  g_autoptr(AdTask) root = new_task (registry, "root", NULL);
  g_autoptr(AdTask) child = new_task (registry, "child", root);
  g_autoptr(AdTask) grandchild =
    ad_task_registry_create (registry, "grandchild", AD_TASK_KIND_IO, child, outer);
  g_autoptr(AdTask) sibling = new_task (registry, "sibling", root);
  g_autoptr(AdTask) stranger = new_task (registry, "stranger", NULL);
  g_autoptr(AdTask) linked = new_task (registry, "linked", NULL);

  /* The operation's own cancellable is the task's. */
  g_assert_true (ad_task_get_cancellable (grandchild) == outer);

  g_assert_true (ad_task_registry_cancel (registry, ad_task_get_id (child)));
  g_assert_true (g_cancellable_is_cancelled (ad_task_get_cancellable (child)));
  g_assert_true (g_cancellable_is_cancelled (outer));
  g_assert_false (g_cancellable_is_cancelled (ad_task_get_cancellable (root)));
  g_assert_false (g_cancellable_is_cancelled (ad_task_get_cancellable (sibling)));

  g_assert_true (ad_task_registry_cancel (registry, ad_task_get_id (root)));
  g_assert_true (g_cancellable_is_cancelled (ad_task_get_cancellable (sibling)));
  g_assert_false (g_cancellable_is_cancelled (ad_task_get_cancellable (stranger)));

  /* A finished task can no longer be found by id. */
  ad_task_finish (stranger, NULL);
  g_assert_false (ad_task_registry_cancel (registry, ad_task_get_id (stranger)));

  /* A linked caller's cancellable cancels the task, not the other way round. */
  {
    g_autoptr(GCancellable) caller = g_cancellable_new ();

    ad_task_link_cancellable (linked, caller);
    ad_task_cancel (linked);
    g_assert_false (g_cancellable_is_cancelled (caller));
  }
  {
    g_autoptr(GCancellable) caller = g_cancellable_new ();
    g_autoptr(AdTask) t = new_task (registry, "t", NULL);

    ad_task_link_cancellable (t, caller);
    g_cancellable_cancel (caller);
    g_assert_true (g_cancellable_is_cancelled (ad_task_get_cancellable (t)));
    ad_task_finish (t, NULL);
  }

  for (AdTask **t = (AdTask *[]) { grandchild, child, sibling, root, linked, NULL }; *t; t++)
    ad_task_finish (*t, NULL);
  ad_task_registry_flush (registry);
}

typedef struct
{
  GMutex      mutex;
  GPtrArray  *lines;
} Trace;

static void
trace_cb (const AdTaskEvent *event,
          gpointer           user_data)
{
  Trace *trace = user_data;
  static const char *types[] = { "created", "started", "finished" };

  g_mutex_lock (&trace->mutex);
  g_ptr_array_add (trace->lines, g_strdup_printf ("%s %s %s %s", ad_task_get_name (event->task),
                                                  types[event->type],
                                                  ad_task_state_to_string (event->state),
                                                  event->thread_name));
  g_mutex_unlock (&trace->mutex);
}

static gpointer
trace_worker (gpointer user_data)
{
  AdTask *task = user_data;

  ad_task_start (task);
  ad_task_finish (task, NULL);

  return NULL;
}

static void
test_listener (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new (100);
  Trace trace = { .lines = g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(AdTask) a = NULL;
  g_autoptr(AdTask) b = NULL;
  guint id;

  g_mutex_init (&trace.mutex);
  id = ad_task_registry_add_listener (registry, trace_cb, &trace, NULL);

  a = ad_task_registry_create (registry, "a", AD_TASK_KIND_TIMER, NULL, NULL);
  ad_task_start (a);
  ad_task_set_progress (a, 0.5);
  ad_task_finish (a, NULL);
  b = ad_task_registry_create (registry, "b", AD_TASK_KIND_CPU, NULL, NULL);
  g_thread_join (g_thread_new ("tracer", trace_worker, b));

  ad_task_registry_remove_listener (registry, id);
  {
    g_autoptr(AdTask) c = ad_task_registry_create (registry, "c", AD_TASK_KIND_TIMER, NULL, NULL);

    ad_task_finish (c, NULL);
  }

  g_assert_cmpuint (trace.lines->len, ==, 6);
  g_assert_cmpstr (trace.lines->pdata[0], ==, "a created pending main");
  g_assert_cmpstr (trace.lines->pdata[1], ==, "a started running main");
  g_assert_cmpstr (trace.lines->pdata[2], ==, "a finished succeeded main");
  g_assert_cmpstr (trace.lines->pdata[3], ==, "b created pending main");
  g_assert_cmpstr (trace.lines->pdata[4], ==, "b started running tracer");
  g_assert_cmpstr (trace.lines->pdata[5], ==, "b finished succeeded tracer");

  g_ptr_array_unref (trace.lines);
  g_mutex_clear (&trace.mutex);
  ad_task_registry_flush (registry);
}

static gpointer
wrong_thread_main (gpointer user_data)
{
  ad_task_registry_get_live (user_data);

  return NULL;
}

static void
test_wrong_thread (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new (10);
  guint64 before = ad_debug_get_n_thread_errors ();

  ad_task_registry_get_live (registry);
  g_assert_cmpuint (ad_debug_get_n_thread_errors (), ==, before);

  ad_debug_set_enabled (TRUE);
  g_thread_join (g_thread_new ("intruder", wrong_thread_main, registry));
  ad_debug_set_enabled (FALSE);
  g_assert_cmpuint (ad_debug_get_n_thread_errors (), ==, before + 1);
}

static void
test_report_unfinished (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new (10);
  g_autoptr(AdTask) done = new_task (registry, "done", NULL);
  g_autoptr(AdTask) stuck = new_task (registry, "stuck", NULL);

  ad_task_finish (done, NULL);
  g_assert_cmpuint (ad_task_registry_report_unfinished (registry), ==, 1);
  ad_task_finish (stuck, NULL);
  g_assert_cmpuint (ad_task_registry_report_unfinished (registry), ==, 0);
  ad_task_registry_flush (registry);
}

static void
test_notify_on_publish (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new (10);
  g_autoptr(AdTask) task = new_task (registry, "t", NULL);
  NotifyCount state = { 0 };

  g_signal_connect (task, "notify::state", G_CALLBACK (count_notify_cb), &state);
  ad_task_start (task);
  ad_task_finish (task, NULL);
  /* Reported, not yet published: no notification yet. */
  g_assert_cmpuint (state.n_notifies, ==, 0);
  ad_task_registry_flush (registry);
  g_assert_cmpuint (state.n_notifies, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/registry/states", test_states);
  g_test_add_func ("/registry/tree", test_tree);
  g_test_add_func ("/registry/worker-threads", test_worker_threads);
  g_test_add_func ("/registry/coalesced-idle", test_coalesced_idle);
  g_test_add_func ("/registry/history-bound", test_history_bound);
  g_test_add_func ("/registry/cancel-subtree", test_cancel_subtree);
  g_test_add_func ("/registry/listener", test_listener);
  g_test_add_func ("/registry/wrong-thread", test_wrong_thread);
  g_test_add_func ("/registry/report-unfinished", test_report_unfinished);
  g_test_add_func ("/registry/notify-on-publish", test_notify_on_publish);

  return g_test_run ();
}
