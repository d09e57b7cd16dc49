/* test-task-group.c: structured concurrency on a real main loop
 *
 * Children are real timers (ad_sleep_async) that return a value, fail,
 * or ignore cancellation for a while, so the tests see what a user of a
 * group sees: gather order, as-completed order, first-error cancellation,
 * nesting, timeouts, and that nothing runs after the group has finished.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-core.h"
#include "ad-test-utils.h"

typedef struct
{
  guint     delay_ms;
  int       value;
  gboolean  fail;
  gboolean  deaf;        /* ignores cancellation */
  gboolean  running;
  gboolean  finished;
  gboolean *any_running_after; /* unused marker */
} Worker;

static guint n_workers_running;
/* The values of the workers in the order their sleeps really ended. */
static GArray *completions;

static void
worker_slept_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Worker *worker = g_task_get_task_data (task);
  GError *error = NULL;

  worker->running = FALSE;
  worker->finished = TRUE;
  n_workers_running--;
  if (completions != NULL)
    g_array_append_val (completions, worker->value);

  if (!ad_sleep_finish (result, &error))
    g_task_return_error (task, error);
  else if (worker->fail)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "worker %d failed",
                             worker->value);
  else
    g_task_return_int (task, worker->value);
}

static void
worker_start (GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             callback_data,
              gpointer             user_data)
{
  Worker *worker = user_data;
  GTask *task = g_task_new (NULL, cancellable, callback, callback_data);

  g_task_set_task_data (task, worker, NULL);
  g_task_set_check_cancellable (task, FALSE);
  worker->running = TRUE;
  n_workers_running++;
  ad_sleep_async (worker->delay_ms, worker->deaf ? NULL : cancellable, worker_slept_cb, task);
}

static gboolean
worker_finish (GObject       *source,
               GAsyncResult  *result,
               GValue        *value,
               GError       **error,
               gpointer       user_data)
{
  gssize ret = g_task_propagate_int (G_TASK (result), error);

  if (ret == -1 && error != NULL && *error != NULL)
    return FALSE;

  g_value_init (value, G_TYPE_INT);
  g_value_set_int (value, (int) ret);
  return TRUE;
}

static void
add_worker (AdTaskGroup *group,
            Worker      *worker)
{
  g_autofree char *name = g_strdup_printf ("worker %d", worker->value);

  ad_task_group_add (group, name, AD_TASK_KIND_TIMER, worker_start, worker_finish, worker, NULL);
}

static void
child_finished_cb (AdTaskGroup *group,
                   guint        index,
                   AdTask      *task,
                   gpointer     user_data)
{
  GArray *order = user_data;

  g_assert_true (ad_task_group_get_child_task (group, index) == task);
  g_assert_true (ad_task_is_finished (task));
  g_array_append_val (order, index);
}

static guint
n_tree_children (AdTaskGroup *group)
{
  return g_list_model_get_n_items (ad_task_get_children (ad_task_group_get_task (group)));
}

static AdTaskRegistry *
registry_new (void)
{
  AdTaskRegistry *registry = ad_task_registry_new (1000);

  ad_task_registry_set_publish_interval (registry, 0);
  return registry;
}

static void
test_gather (void)
{
  AdTaskRegistry *registry = registry_new ();
  AdTaskGroup *group = ad_task_group_new_full (registry, "gather", NULL);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Worker workers[5] = { 0 };

  completions = g_array_new (FALSE, FALSE, sizeof (int));
  g_signal_connect (group, "child-finished", G_CALLBACK (child_finished_cb), order);
  /* The first added finishes last: results still come back in start order.
   * 80 ms apart; a loop stalled longer than that (a loaded machine, valgrind)
   * may see two timers in one iteration and run them in the order they were
   * added, so as-completed order is checked against the real completions. */
  for (guint i = 0; i < 5; i++)
    {
      workers[i] = (Worker) { .delay_ms = (5 - i) * 80, .value = i * 2 };
      add_worker (group, &workers[i]);
    }
  g_assert_cmpuint (ad_task_group_get_n_running (group), ==, 5);

  ad_task_group_wait_async (group, NULL, ad_test_store_result, &result);
  ad_test_wait_result (&result, 5000);
  g_assert_true (ad_task_group_wait_finish (group, result, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 5; i++)
    {
      const GValue *value = ad_task_group_get_child_value (group, i);

      g_assert_nonnull (value);
      g_assert_cmpint (g_value_get_int (value), ==, (gint64) i * 2);
      g_assert_cmpint (ad_task_get_state (ad_task_group_get_child_task (group, i)), ==,
                       AD_TASK_STATE_SUCCEEDED);
      /* as_completed: "child-finished" follows the order in which the
       * children really finished (the shortest sleeper first, unless the
       * loop stalled), not the order they were started. */
      g_assert_cmpint ((gint64) g_array_index (order, guint, i) * 2, ==,
                       g_array_index (completions, int, i));
    }
  g_assert_cmpuint (order->len, ==, 5);
  g_assert_cmpint (ad_task_get_state (ad_task_group_get_task (group)), ==, AD_TASK_STATE_SUCCEEDED);
  g_assert_cmpint (ad_task_get_kind (ad_task_group_get_task (group)), ==, AD_TASK_KIND_GROUP);

  /* The children are registered under the group. */
  ad_task_registry_flush (registry);
  g_assert_cmpuint (n_tree_children (group), ==, 5);

  g_clear_pointer (&completions, g_array_unref);
  g_clear_object (&result);
  g_assert_finalize_object (group);
  g_assert_finalize_object (registry);
}

static void
test_first_error (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new ();
  g_autoptr(AdTaskGroup) group = ad_task_group_new_full (registry, "fail", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Worker workers[5] = { 0 };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < 5; i++)
    {
      workers[i] = (Worker) { .delay_ms = 10000, .value = i };
      if (i == 2)
        workers[i] = (Worker) { .delay_ms = 30, .value = i, .fail = TRUE };
      /* Far enough after worker 2 that a loaded loop never sees both. */
      if (i == 3)
        workers[i] = (Worker) { .delay_ms = 400, .value = i, .fail = TRUE };
      add_worker (group, &workers[i]);
    }
  ad_task_group_wait_async (group, NULL, ad_test_store_result, &result);
  ad_test_wait_result (&result, 5000);

  g_assert_false (ad_task_group_wait_finish (group, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "worker 2 failed");
  /* The siblings were cancelled, not waited for. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_TIME_SPAN_SECOND);
  for (guint i = 0; i < 5; i++)
    {
      AdTask *task = ad_task_group_get_child_task (group, i);
      const GError *child_error = ad_task_group_get_child_error (group, i);

      g_assert_true (workers[i].finished);
      if (i == 2)
        {
          g_assert_cmpint (ad_task_get_state (task), ==, AD_TASK_STATE_FAILED);
        }
      else if (i == 3)
        {
          /* Cancelled before it could fail: no second failure. */
          g_assert_error (child_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
        }
      else
        {
          g_assert_error (child_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_cmpint (ad_task_get_state (task), ==, AD_TASK_STATE_CANCELLED);
        }
    }
  g_assert_cmpuint (ad_task_group_get_n_failed (group), ==, 1);
  g_assert_cmpint (ad_task_get_state (ad_task_group_get_task (group)), ==, AD_TASK_STATE_FAILED);
  ad_task_registry_flush (registry);
}

static void
test_errors_counted (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new ();
  g_autoptr(AdTaskGroup) group = ad_task_group_new_full (registry, "two failures", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  /* Both fail; the second ignores the cancellation the first caused. */
  Worker a = { .delay_ms = 20, .value = 1, .fail = TRUE };
  Worker b = { .delay_ms = 120, .value = 2, .fail = TRUE, .deaf = TRUE };

  add_worker (group, &a);
  add_worker (group, &b);
  ad_task_group_wait_async (group, NULL, ad_test_store_result, &result);
  ad_test_wait_result (&result, 5000);

  g_assert_false (ad_task_group_wait_finish (group, result, &error));
  g_assert_cmpstr (error->message, ==, "worker 1 failed");
  g_assert_cmpuint (ad_task_group_get_n_failed (group), ==, 2);
  g_assert_cmpstr (ad_task_group_get_child_error (group, 1)->message, ==, "worker 2 failed");
  /* The group waited for the deaf child. */
  g_assert_true (b.finished);
  ad_task_registry_flush (registry);
}

static gboolean
cancel_group_cb (gpointer user_data)
{
  ad_task_group_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_nested_cancel (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new ();
  g_autoptr(AdTaskGroup) outer = ad_task_group_new_full (registry, "outer", NULL);
  g_autoptr(AdTaskGroup) inner =
    ad_task_group_new_full (registry, "inner", ad_task_group_get_task (outer));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Worker outer_worker = { .delay_ms = 10000, .value = 1 };
  Worker inner_workers[3] = {
    { .delay_ms = 10000, .value = 10 },
    { .delay_ms = 10000, .value = 11 },
    { .delay_ms = 10000, .value = 12 },
  };

  n_workers_running = 0;
  add_worker (outer, &outer_worker);
  for (guint i = 0; i < 3; i++)
    add_worker (inner, &inner_workers[i]);
  ad_task_group_add_group (outer, inner);
  g_assert_cmpuint (n_workers_running, ==, 4);

  ad_task_group_wait_async (outer, NULL, ad_test_store_result, &result);
  g_timeout_add (50, cancel_group_cb, outer);
  ad_test_wait_result (&result, 5000);

  g_assert_false (ad_task_group_wait_finish (outer, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (n_workers_running, ==, 0);
  g_assert_true (ad_task_group_is_finished (inner));
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (ad_task_get_state (ad_task_group_get_child_task (inner, i)), ==,
                     AD_TASK_STATE_CANCELLED);
  g_assert_cmpint (ad_task_get_state (ad_task_group_get_task (inner)), ==, AD_TASK_STATE_CANCELLED);
  /* A cancellation is not a failure. */
  g_assert_cmpuint (ad_task_group_get_n_failed (outer), ==, 0);

  /* The tree: outer → { worker 1, inner → { 3 workers } } */
  ad_task_registry_flush (registry);
  g_assert_cmpuint (n_tree_children (outer), ==, 2);
  g_assert_cmpuint (n_tree_children (inner), ==, 3);
}

static void
test_cancel_by_id (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new ();
  g_autoptr(AdTaskGroup) group = ad_task_group_new_full (registry, "by id", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Worker slow = { .delay_ms = 10000, .value = 1 };
  Worker quick = { .delay_ms = 50, .value = 2 };

  add_worker (group, &slow);
  add_worker (group, &quick);
  ad_task_group_wait_async (group, NULL, ad_test_store_result, &result);

  /* Cancelling one child by id stops it alone; the group carries on. */
  g_assert_true (ad_task_registry_cancel (
    registry, ad_task_get_id (ad_task_group_get_child_task (group, 0))));
  ad_test_wait_result (&result, 5000);
  g_assert_true (ad_task_group_wait_finish (group, result, &error));
  g_assert_error (ad_task_group_get_child_error (group, 0), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_value_get_int (ad_task_group_get_child_value (group, 1)), ==, 2);

  /* Cancelling the group's task by id cancels the children. */
  {
    g_autoptr(AdTaskGroup) g2 = ad_task_group_new_full (registry, "by id 2", NULL);
    g_autoptr(GAsyncResult) r2 = NULL;
    g_autoptr(GError) e2 = NULL;
    Worker w = { .delay_ms = 10000, .value = 3 };

    add_worker (g2, &w);
    ad_task_group_wait_async (g2, NULL, ad_test_store_result, &r2);
    ad_task_registry_cancel (registry, ad_task_get_id (ad_task_group_get_task (g2)));
    ad_test_wait_result (&r2, 5000);
    g_assert_false (ad_task_group_wait_finish (g2, r2, &e2));
    g_assert_error (e2, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_true (w.finished);
  }
  ad_task_registry_flush (registry);
}

static void
test_wait_cancellable (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new ();
  g_autoptr(AdTaskGroup) group = ad_task_group_new_full (registry, "wait cancel", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Worker w = { .delay_ms = 10000, .value = 1 };

  add_worker (group, &w);
  ad_task_group_wait_async (group, cancellable, ad_test_store_result, &result);
  g_cancellable_cancel (cancellable);
  ad_test_wait_result (&result, 5000);
  g_assert_false (ad_task_group_wait_finish (group, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (w.finished);
  ad_task_registry_flush (registry);
}

static void
test_timeout (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new ();
  g_autoptr(AdTaskGroup) group = ad_task_group_new_full (registry, "timeout", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Worker fast = { .delay_ms = 10, .value = 1 };
  Worker slow = { .delay_ms = 10000, .value = 2 };
  gint64 start = g_get_monotonic_time ();

  ad_task_group_set_timeout (group, 100);
  add_worker (group, &fast);
  add_worker (group, &slow);
  ad_task_group_wait_async (group, NULL, ad_test_store_result, &result);
  ad_test_wait_result (&result, 5000);

  g_assert_false (ad_task_group_wait_finish (group, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 100000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (g_value_get_int (ad_task_group_get_child_value (group, 0)), ==, 1);
  g_assert_error (ad_task_group_get_child_error (group, 1), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (ad_task_get_timed_out (ad_task_group_get_task (group)));
  g_assert_cmpuint (ad_task_group_get_n_failed (group), ==, 0);
  ad_task_registry_flush (registry);
}

static void
test_nothing_after (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new ();
  g_autoptr(AdTaskGroup) group = ad_task_group_new_full (registry, "drain", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Worker failing = { .delay_ms = 10, .value = 1, .fail = TRUE };
  Worker deaf[3] = {
    { .delay_ms = 80, .value = 2, .deaf = TRUE },
    { .delay_ms = 150, .value = 3, .deaf = TRUE },
    { .delay_ms = 200, .value = 4 },
  };

  n_workers_running = 0;
  add_worker (group, &failing);
  for (guint i = 0; i < 3; i++)
    add_worker (group, &deaf[i]);
  ad_task_group_wait_async (group, NULL, ad_test_store_result, &result);
  ad_test_wait_result (&result, 5000);

  /* When the wait completes, every child has finished: the deaf ones were
   * waited for, even though the group had failed long before. */
  g_assert_false (ad_task_group_wait_finish (group, result, &error));
  g_assert_cmpuint (n_workers_running, ==, 0);
  g_assert_cmpuint (ad_task_group_get_n_running (group), ==, 0);
  for (guint i = 0; i < 4; i++)
    g_assert_true (ad_task_is_finished (ad_task_group_get_child_task (group, i)));
  g_assert_cmpint (g_value_get_int (ad_task_group_get_child_value (group, 2)), ==, 3);
  g_assert_true (ad_task_group_get_child_value (group, 3) == NULL);
  ad_task_registry_flush (registry);
}

static void
test_empty (void)
{
  g_autoptr(AdTaskRegistry) registry = registry_new ();
  AdTaskGroup *group = ad_task_group_new_full (registry, "empty", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ad_task_group_wait_async (group, NULL, ad_test_store_result, &result);
  ad_test_wait_result (&result, 1000);
  g_assert_true (ad_task_group_wait_finish (group, result, &error));
  g_clear_object (&result);
  g_assert_finalize_object (group);
  ad_task_registry_flush (registry);
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/group/gather", test_gather);
  g_test_add_func ("/group/first-error", test_first_error);
  g_test_add_func ("/group/errors-counted", test_errors_counted);
  g_test_add_func ("/group/nested-cancel", test_nested_cancel);
  g_test_add_func ("/group/cancel-by-id", test_cancel_by_id);
  g_test_add_func ("/group/wait-cancellable", test_wait_cancellable);
  g_test_add_func ("/group/timeout", test_timeout);
  g_test_add_func ("/group/nothing-after-finish", test_nothing_after);
  g_test_add_func ("/group/empty", test_empty);

  return g_test_run ();
}
