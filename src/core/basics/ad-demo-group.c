/* ad-demo-group.c: the Basics demo "Task group"
 *
 * Five workers run in a group; worker i waits i × scale. Their results
 * are gathered in start order. When one fails, the group cancels the
 * others and reports the first error.
 *
 * asyncio: asyncio.TaskGroup (and gather() for the ordered results).
 * Here: AdTaskGroup (ad-task-group.c) starts each child with the group's
 * cancellable and waits for all of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Basics"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-basics-private.h"
#include "ad-sleep.h"
#include "ad-task-group.h"

const AdBasicsParam ad_demo_group_params[] = {
  { "scale-ms", N_("Worker i waits i × this (ms)"), AD_BASICS_PARAM_UINT, 0, 10000, 1000 },
  { "fail", N_("Worker 2 fails"), AD_BASICS_PARAM_BOOLEAN, 0, 1, 0 },
};

#define GROUP_WORKERS 5

typedef struct
{
  AdBasicsRun *run;
  guint    index;
  guint    msec;
  gboolean fail;
} GroupWorker;

typedef struct
{
  AdTaskGroup *group;
  GroupWorker  workers[GROUP_WORKERS];
} GroupState;

static void
group_state_free (GroupState *state)
{
  g_clear_object (&state->group);
  g_free (state);
}

static void
group_worker_slept_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GroupWorker *worker = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ad_sleep_finish (result, &error))
    {
      ad_basics_say_printf (worker->run, _("Worker %u: cancelled"), worker->index);
      g_task_return_error (task, error);
    }
  else if (worker->fail)
    {
      ad_basics_say_printf (worker->run, _("Worker %u: failing"), worker->index);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("Worker %u failed"),
                               worker->index);
    }
  else
    {
      ad_basics_say_printf (worker->run, _("Worker %u: returns %u"), worker->index,
                            worker->index * 2);
      g_task_return_int (task, (gssize) worker->index * 2);
    }
}

static void
group_worker_start (GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             callback_data,
                    gpointer             user_data)
{
  GroupWorker *worker = user_data;
  GTask *task = g_task_new (NULL, cancellable, callback, callback_data);

  g_task_set_task_data (task, worker, NULL);
  g_task_set_check_cancellable (task, FALSE);
  ad_basics_say_printf (worker->run, _("Worker %u: waiting %.1f s"), worker->index,
                        worker->msec / 1000.0);
  ad_sleep_async (worker->msec, cancellable, group_worker_slept_cb, task);
}

static gboolean
group_worker_finish (GObject       *source,
                     GAsyncResult  *result,
                     GValue        *value,
                     GError       **error,
                     gpointer       user_data)
{
  GError *local_error = NULL;
  gssize ret = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  g_value_init (value, G_TYPE_INT);
  g_value_set_int (value, (int) ret);
  return TRUE;
}

static void
group_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AdBasicsRun *run = ad_basics_run_of (task);
  AdTaskGroup *group = AD_TASK_GROUP (source);
  GError *error = NULL;

  run->pending--;
  if (ad_task_group_wait_finish (group, result, &error))
    {
      g_autoptr(GString) values = g_string_new ("[");

      for (guint i = 0; i < ad_task_group_get_n_children (group); i++)
        g_string_append_printf (values, "%s%d", i ? ", " : "",
                                g_value_get_int (ad_task_group_get_child_value (group, i)));
      g_string_append_c (values, ']');
      ad_basics_say_printf (run, _("Gathered in start order: %s"), values->str);
      run->summary = g_strdup_printf (_("Results %s after %.1f s"), values->str,
                                      ad_basics_run_seconds (run));
    }
  else if (g_task_return_error_if_cancelled (task))
    {
      /* The run itself was cancelled: the group cancelled its workers. */
      g_error_free (error);
      return;
    }
  else
    {
      guint n_cancelled = 0;

      for (guint i = 0; i < ad_task_group_get_n_children (group); i++)
        if (ad_task_get_state (ad_task_group_get_child_task (group, i)) == AD_TASK_STATE_CANCELLED)
          n_cancelled++;
      ad_basics_say_printf (run, _("The group failed: %s (%u workers cancelled)"), error->message,
                            n_cancelled);
      run->summary = g_strdup_printf (_("Group failed: %s"), error->message);
      g_error_free (error);
    }

  ad_basics_run_maybe_return (task);
}

void
ad_demo_group_run (GTask *task)
{
  AdBasicsRun *run = ad_basics_run_of (task);
  GroupState *state = g_new0 (GroupState, 1);
  guint scale = ad_basics_param (run, "scale-ms");
  gboolean fail = ad_basics_param (run, "fail");

  run->state = state;
  run->state_free = (GDestroyNotify) group_state_free;
  state->group = ad_task_group_new ("Basics: task group");

  ad_basics_say (run, _("Starting five workers in a task group"));
  for (guint i = 0; i < GROUP_WORKERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("worker %u", i);

      state->workers[i] = (GroupWorker) { run, i, i * scale, fail && i == 2 };
      ad_task_group_add (state->group, name, AD_TASK_KIND_TIMER, group_worker_start,
                         group_worker_finish, &state->workers[i], NULL);
    }

  run->pending++;
  ad_task_group_wait_async (state->group, g_task_get_cancellable (task), group_done_cb,
                            g_object_ref (task));
}
