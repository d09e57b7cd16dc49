/* test-async-tools.c: sleep, timeouts and the limiter on a real main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-core.h"
#include "ad-test-utils.h"

/* ---- an operation: sleep N ms, then return N ---------------------------- */

static void
nap_slept_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (ad_sleep_finish (result, &error))
    g_task_return_int (task, GPOINTER_TO_UINT (g_task_get_task_data (task)));
  else
    g_task_return_error (task, error);
}

static void
nap_start (GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             callback_data,
           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, callback_data);

  g_task_set_task_data (task, user_data, NULL);
  ad_sleep_async (GPOINTER_TO_UINT (user_data), cancellable, nap_slept_cb, task);
}

static gboolean
nap_finish (GObject       *source,
            GAsyncResult  *result,
            GValue        *value,
            GError       **error,
            gpointer       user_data)
{
  gssize ret = g_task_propagate_int (G_TASK (result), error);

  if (ret < 0)
    return FALSE;

  g_value_init (value, G_TYPE_UINT);
  g_value_set_uint (value, ret);
  return TRUE;
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* ---- sleep ------------------------------------------------------------- */

static void
test_sleep_accuracy (void)
{
  for (guint msec = 20; msec <= 120; msec += 50)
    {
      g_autoptr(GAsyncResult) result = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;

      ad_sleep_async (msec, NULL, ad_test_store_result, &result);
      ad_test_wait_result (&result, 5000);
      elapsed = g_get_monotonic_time () - start;
      g_assert_true (ad_sleep_finish (result, NULL));
      /* Never early; late only by scheduling noise. */
      g_assert_cmpint (elapsed, >=, msec * G_TIME_SPAN_MILLISECOND);
      g_assert_cmpint (elapsed, <,
                       msec * G_TIME_SPAN_MILLISECOND + 300000 * ad_test_slow_factor ());
    }
}

static void
test_sleep_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  ad_sleep_async (10000, cancellable, ad_test_store_result, &result);
  g_timeout_add (30, cancel_cb, cancellable);
  ad_test_wait_result (&result, 5000);
  g_assert_false (ad_sleep_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC * ad_test_slow_factor ());
}

static void
test_sleep_registered (void)
{
  AdTaskRegistry *registry = ad_task_registry_get_default ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdTask) task = NULL;
  GListModel *live = ad_task_registry_get_live (registry);

  ad_sleep_async (5000, NULL, ad_test_store_result, &result);
  ad_task_registry_flush (registry);
  g_assert_cmpuint (g_list_model_get_n_items (live), >=, 1);
  task = g_list_model_get_item (live, g_list_model_get_n_items (live) - 1);
  g_assert_cmpstr (ad_task_get_name (task), ==, "sleep 5000 ms");
  g_assert_cmpint (ad_task_get_kind (task), ==, AD_TASK_KIND_TIMER);
  g_assert_cmpint (ad_task_get_state (task), ==, AD_TASK_STATE_RUNNING);

  /* Cancelled by id, like the GUI's cancel button does. */
  g_assert_true (ad_task_registry_cancel (registry, ad_task_get_id (task)));
  ad_test_wait_result (&result, 5000);
  g_assert_false (ad_sleep_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (ad_task_get_state (task), ==, AD_TASK_STATE_CANCELLED);

  /* The caller's cancellable is left alone by a cancel by id. */
  {
    g_autoptr(GCancellable) caller = g_cancellable_new ();
    g_autoptr(AdTask) t2 = NULL;

    ad_sleep_async (5000, caller, ad_test_store_result, &result2);
    ad_task_registry_flush (registry);
    t2 = g_list_model_get_item (live, g_list_model_get_n_items (live) - 1);
    ad_task_cancel (t2);
    ad_test_wait_result (&result2, 5000);
    g_assert_false (ad_sleep_finish (result2, NULL));
    g_assert_false (g_cancellable_is_cancelled (caller));
  }
}

/* ---- timeouts ---------------------------------------------------------- */

static void
test_timeout_fires (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  ad_timeout_run_async (60, nap_start, nap_finish, GUINT_TO_POINTER (5000), NULL,
                        ad_test_store_result, &result);
  ad_test_wait_result (&result, 5000);
  elapsed = g_get_monotonic_time () - start;

  g_assert_false (ad_timeout_run_finish (result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (elapsed, >=, 60000);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC * ad_test_slow_factor ());
}

static void
test_timeout_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ad_timeout_run_async (1000, nap_start, nap_finish, GUINT_TO_POINTER (5000), cancellable,
                        ad_test_store_result, &result);
  g_timeout_add (30, cancel_cb, cancellable);
  ad_test_wait_result (&result, 5000);

  /* The user's cancel is a cancel, not a timeout. */
  g_assert_false (ad_timeout_run_finish (result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_timeout_in_time (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;

  ad_timeout_run_async (2000, nap_start, nap_finish, GUINT_TO_POINTER (20), NULL,
                        ad_test_store_result, &result);
  ad_test_wait_result (&result, 5000);

  g_assert_true (ad_timeout_run_finish (result, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_value_get_uint (&value), ==, 20);
  g_value_unset (&value);
}

/* ---- the limiter ------------------------------------------------------- */

typedef struct
{
  AdLimiter *limiter;
  guint      in_flight;
  guint      max_in_flight;
  guint      done;
  GArray    *order;
} Stress;

typedef struct
{
  Stress *stress;
  guint   index;
} Op;

static gboolean
op_work_done_cb (gpointer user_data)
{
  Op *op = user_data;

  op->stress->in_flight--;
  op->stress->done++;
  ad_limiter_release (op->stress->limiter);
  g_free (op);

  return G_SOURCE_REMOVE;
}

static void
op_acquired_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Op *op = user_data;
  Stress *stress = op->stress;

  g_assert_true (ad_limiter_acquire_finish (AD_LIMITER (source), result, NULL));
  stress->in_flight++;
  stress->max_in_flight = MAX (stress->max_in_flight, stress->in_flight);
  g_assert_cmpuint (ad_limiter_get_n_running (stress->limiter), <=,
                    ad_limiter_get_limit (stress->limiter));
  if (stress->order != NULL)
    g_array_append_val (stress->order, op->index);

  /* Work for a variable number of iterations, through a real source. */
  if (op->index % 3 == 0)
    g_idle_add (op_work_done_cb, op);
  else
    g_timeout_add (op->index % 2, op_work_done_cb, op);
}

static void
test_limiter_stress (void)
{
  g_autoptr(AdLimiter) limiter = ad_limiter_new (4);
  Stress stress = { .limiter = limiter };
  const guint n = 3000;

  for (guint i = 0; i < n; i++)
    {
      Op *op = g_new0 (Op, 1);

      op->stress = &stress;
      op->index = i;
      ad_limiter_acquire_async (limiter, NULL, op_acquired_cb, op);
    }
  g_assert_cmpuint (ad_limiter_get_n_waiting (limiter), ==, n - 4);

  while (stress.done < n)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (stress.max_in_flight, ==, 4);
  g_assert_cmpuint (ad_limiter_get_max_running (limiter), ==, 4);
  g_assert_cmpuint (ad_limiter_get_n_running (limiter), ==, 0);
  g_assert_cmpuint (ad_limiter_get_n_waiting (limiter), ==, 0);
}

static void
test_limiter_fifo (void)
{
  g_autoptr(AdLimiter) limiter = ad_limiter_new (2);
  Stress stress = { .limiter = limiter, .order = g_array_new (FALSE, FALSE, sizeof (guint)) };

  for (guint i = 0; i < 50; i++)
    {
      Op *op = g_new0 (Op, 1);

      op->stress = &stress;
      op->index = i;
      ad_limiter_acquire_async (limiter, NULL, op_acquired_cb, op);
    }
  while (stress.done < 50)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < 50; i++)
    g_assert_cmpuint (g_array_index (stress.order, guint, i), ==, i);
  g_array_unref (stress.order);
}

static void
test_limiter_queued_cancel (void)
{
  AdLimiter *limiter = ad_limiter_new (1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GAsyncResult) last = NULL;
  g_autoptr(GError) error = NULL;

  ad_limiter_acquire_async (limiter, NULL, ad_test_store_result, &first);
  ad_limiter_acquire_async (limiter, cancellable, ad_test_store_result, &cancelled);
  ad_limiter_acquire_async (limiter, NULL, ad_test_store_result, &last);
  ad_test_wait_result (&first, 1000);
  g_assert_true (ad_limiter_acquire_finish (limiter, first, NULL));
  g_assert_cmpuint (ad_limiter_get_n_waiting (limiter), ==, 2);

  g_cancellable_cancel (cancellable);
  ad_test_wait_result (&cancelled, 1000);
  g_assert_false (ad_limiter_acquire_finish (limiter, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* It left the queue without taking a slot. */
  g_assert_cmpuint (ad_limiter_get_n_waiting (limiter), ==, 1);
  g_assert_cmpuint (ad_limiter_get_n_running (limiter), ==, 1);
  g_assert_null (last);

  ad_limiter_release (limiter);
  ad_test_wait_result (&last, 1000);
  g_assert_true (ad_limiter_acquire_finish (limiter, last, NULL));
  g_assert_cmpuint (ad_limiter_get_n_running (limiter), ==, 1);
  ad_limiter_release (limiter);
  g_assert_cmpuint (ad_limiter_get_n_running (limiter), ==, 0);

  g_clear_object (&first);
  g_clear_object (&cancelled);
  g_clear_object (&last);
  g_assert_finalize_object (limiter);
}

static void
test_limiter_set_limit (void)
{
  g_autoptr(AdLimiter) limiter = ad_limiter_new (1);
  GAsyncResult *results[4] = { NULL };

  for (guint i = 0; i < 4; i++)
    ad_limiter_acquire_async (limiter, NULL, ad_test_store_result, &results[i]);
  ad_test_spin (20);
  g_assert_cmpuint (ad_limiter_get_n_running (limiter), ==, 1);
  g_assert_cmpuint (ad_limiter_get_n_waiting (limiter), ==, 3);

  /* Raising the limit admits waiters at once. */
  ad_limiter_set_limit (limiter, 3);
  g_assert_cmpuint (ad_limiter_get_n_running (limiter), ==, 3);
  g_assert_cmpuint (ad_limiter_get_n_waiting (limiter), ==, 1);

  /* Lowering it lets the running ones finish; no one new gets in. */
  ad_limiter_set_limit (limiter, 1);
  ad_limiter_release (limiter);
  ad_limiter_release (limiter);
  g_assert_cmpuint (ad_limiter_get_n_running (limiter), ==, 1);
  g_assert_cmpuint (ad_limiter_get_n_waiting (limiter), ==, 1);
  ad_limiter_release (limiter);
  g_assert_cmpuint (ad_limiter_get_n_running (limiter), ==, 1);
  g_assert_cmpuint (ad_limiter_get_n_waiting (limiter), ==, 0);
  ad_limiter_release (limiter);

  ad_test_spin (20);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_nonnull (results[i]);
      g_object_unref (results[i]);
    }
}

static void
test_limiter_run (void)
{
  g_autoptr(AdLimiter) limiter = ad_limiter_new (2);
  GAsyncResult *results[3] = { NULL };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < 3; i++)
    ad_limiter_run_async (limiter, nap_start, nap_finish, GUINT_TO_POINTER (100), NULL,
                          ad_test_store_result, &results[i]);
  for (guint i = 0; i < 3; i++)
    {
      GValue value = G_VALUE_INIT;

      ad_test_wait_result (&results[i], 5000);
      g_assert_true (ad_limiter_run_finish (limiter, results[i], &value, NULL));
      g_assert_cmpuint (g_value_get_uint (&value), ==, 100);
      g_object_unref (results[i]);
    }
  /* Two at once, then the third: two rounds. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 200000);
  g_assert_cmpuint (ad_limiter_get_max_running (limiter), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sleep/accuracy", test_sleep_accuracy);
  g_test_add_func ("/sleep/cancel", test_sleep_cancel);
  g_test_add_func ("/sleep/registered", test_sleep_registered);
  g_test_add_func ("/timeout/fires", test_timeout_fires);
  g_test_add_func ("/timeout/cancelled", test_timeout_cancelled);
  g_test_add_func ("/timeout/in-time", test_timeout_in_time);
  g_test_add_func ("/limiter/stress", test_limiter_stress);
  g_test_add_func ("/limiter/fifo", test_limiter_fifo);
  g_test_add_func ("/limiter/queued-cancel", test_limiter_queued_cancel);
  g_test_add_func ("/limiter/set-limit", test_limiter_set_limit);
  g_test_add_func ("/limiter/run", test_limiter_run);

  return g_test_run ();
}
