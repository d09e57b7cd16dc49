/* ad-tasks-page-tick.c: what keeps the Tasks page live while it shows
 *
 * The 250 ms refresh (the counts, a state filter, the latency graph; once
 * a second while nothing runs and the pull rests, since each wake of an
 * idle loop also sets the loop monitor measuring for a while: 1.3 % of a
 * core idle at 250 ms; a change in the live tasks brings it back at
 * once), the 30 ms pull of the recorder's new events into the page's trace (which
 * rests after a quiet second and wakes when the refresh finds events, and
 * watches the creation rate to stop auto-expanding rows under a storm),
 * and the loop monitor, run while a latency graph is mapped. All start
 * when the page maps and stop when it unmaps or goes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Tasks"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-task-list.h"
#include "ad-task-ui.h"
#include "ad-tasks-page-private.h"

#define TICK_MS 250
#define IDLE_TICK_MS 1000
#define PULL_MS 30
#define QUIET_PULLS 33          /* about a second of pulls that found nothing */
#define AUTOEXPAND_MAX_RATE 1000

/* Pages showing a latency graph, and whether they started the monitor */
static guint n_monitoring;
static gboolean started_monitor;

static void start_pulling (AdTasksPage *self);
static gboolean refresh_cb (gpointer user_data);

/* (Re)starts the refresh at @interval_ms unless it already ticks so. */
static void
set_refresh_interval (AdTasksPage *self,
                      guint        interval_ms)
{
  if (self->refresh_id != 0 && self->refresh_ms == interval_ms)
    return;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_ms = interval_ms;
  self->refresh_id = ad_timeout_add_named (G_PRIORITY_DEFAULT, interval_ms,
                                           "[async-demo] tasks page refresh", refresh_cb,
                                           self, NULL);
}

guint
ad_tasks_page_get_refresh_interval (AdTasksPage *self)
{
  g_return_val_if_fail (AD_IS_TASKS_PAGE (self), 0);

  return self->refresh_id != 0 ? self->refresh_ms : 0;
}

static void
update_counts (AdTasksPage *self)
{
  GListModel *live = ad_task_registry_get_live (self->registry);
  guint n = g_list_model_get_n_items (live), running = 0, pending = 0;
  g_autofree char *succeeded = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                ad_trace_get_n_finished (self->trace, AD_TASK_STATE_SUCCEEDED));
  g_autofree char *failed = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                             ad_trace_get_n_finished (self->trace, AD_TASK_STATE_FAILED));
  g_autofree char *cancelled = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                ad_trace_get_n_finished (self->trace, AD_TASK_STATE_CANCELLED));
  for (guint i = 0; i < n; i++)
    {
      AdTask *task = ad_task_list_peek (AD_TASK_LIST (live), i);

      if (ad_task_get_state (task) == AD_TASK_STATE_PENDING)
        pending++;
      else
        running++;
    }

  g_free (self->counts_text);
  /* Translators: the header of the task list; the finished counts are since the app started */
  self->counts_text = g_strdup_printf (_("%u running · %u pending · finished: %s succeeded, %s failed, "
                                         "%s cancelled"),
                                       running, pending, succeeded, failed, cancelled);
  if (ad_trace_get_n_dropped (self->trace) > 0)
    {
      g_autofree char *n_dropped = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                    ad_trace_get_n_dropped (self->trace));
      g_autofree char *with = g_strdup_printf (_("%s · timeline dropped %s old events"),
                                               self->counts_text, n_dropped);

      g_free (self->counts_text);
      self->counts_text = g_steal_pointer (&with);
    }
  gtk_label_set_label (self->counts_label, self->counts_text);
}

/**
 * ad_tasks_page_refresh:
 *
 * What the page's tick does: refreshes the counts and the latency graph
 * (the cells follow their tasks themselves).
 */
void
ad_tasks_page_refresh (AdTasksPage *self)
{
  g_return_if_fail (AD_IS_TASKS_PAGE (self));

  if (ad_trace_pull (self->trace, self->recorder) > 0)
    {
      ad_timeline_view_trace_changed (self->timeline);
      start_pulling (self);
    }

  /* States change under a state filter: filter again (incrementally) */
  if (self->filter_state >= 0)
    ad_tasks_page_refilter (self);
  update_counts (self);
  ad_tasks_page_selection_changed (self);
  ad_latency_graph_refresh (self->latency_graph);
}

static gboolean
refresh_cb (gpointer user_data)
{
  AdTasksPage *self = user_data;
  GListModel *live = ad_task_registry_get_live (self->registry);
  gboolean quiet;
  guint id = self->refresh_id;

  ad_tasks_page_refresh (self);

  /* Quiet: the pull rests (nothing new for a second) and nothing runs. */
  quiet = self->pull_id == 0 && g_list_model_get_n_items (live) == 0;
  set_refresh_interval (self, quiet ? IDLE_TICK_MS : TICK_MS);

  return self->refresh_id == id ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* A task appeared or went: back to the fast refresh and the pull at once. */
static void
live_changed_cb (GListModel  *live,
                 guint        position,
                 guint        removed,
                 guint        added,
                 AdTasksPage *self)
{
  start_pulling (self);
  set_refresh_interval (self, TICK_MS);
}

/* Whether a running slice began within the timeline's span: its bar grows
 * with each pull's ad_trace_advance(). */
static gboolean
began_in_view (AdTasksPage *self,
               GArray      *open,
               gint64       now)
{
  gint64 since = now - ad_timeline_view_get_span (self->timeline);

  ad_trace_collect_open (self->trace, open);
  for (guint i = 0; i < open->len; i++)
    if (g_array_index (open, AdTraceSlice, i).start_us >= since)
      return TRUE;

  return FALSE;
}

static gboolean
pull_cb (gpointer user_data)
{
  AdTasksPage *self = AD_TASKS_PAGE (user_data);
  gint64 now = g_get_monotonic_time ();
  guint64 n_created = ad_task_registry_get_n_created (self->registry);
  guint n_events = ad_trace_pull (self->trace, self->recorder);
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));

  ad_trace_advance (self->trace, now);
  if (n_events > 0)
    ad_timeline_view_trace_changed (self->timeline);

  /* The creation rate over the last 50 ms or so, checked at each pull: a
   * storm is seen before the registry's next publish adds its rows */
  if (self->rate_since == 0)
    {
      self->rate_since = now;
      self->rate_n_created = n_created;
    }
  else if (now - self->rate_since >= 50000)
    {
      double rate = (n_created - self->rate_n_created) * (double) G_USEC_PER_SEC /
                    (now - self->rate_since);

      gtk_tree_list_model_set_autoexpand (self->tree_model, rate < AUTOEXPAND_MAX_RATE);
      self->rate_since = now;
      self->rate_n_created = n_created;
    }

  /* Nothing new and nothing running for a while: the 250 ms refresh pulls
   * alone until something happens (start_pulling()) */
  if (n_events > 0 || began_in_view (self, open, now))
    self->quiet_pulls = 0;
  else if (++self->quiet_pulls >= QUIET_PULLS)
    {
      self->pull_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
start_pulling (AdTasksPage *self)
{
  self->quiet_pulls = 0;
  if (self->pull_id != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  self->rate_since = 0;
  self->pull_id = ad_timeout_add_named (G_PRIORITY_LOW, PULL_MS, "[async-demo] tasks page pull",
                                        pull_cb, self, NULL);
}

/* When the page maps: the refresh, the pull, and the loop monitor while a
 * latency graph shows (counted across pages). */
void
ad_tasks_page_start_ticking (AdTasksPage *self)
{
  AdLoopMonitor *monitor = ad_latency_graph_get_monitor (self->latency_graph);

  set_refresh_interval (self, TICK_MS);
  if (self->live_changed_id == 0)
    self->live_changed_id = g_signal_connect (ad_task_registry_get_live (self->registry),
                                              "items-changed", G_CALLBACK (live_changed_cb),
                                              self);
  start_pulling (self);

  if (!self->monitoring && monitor != NULL)
    {
      self->monitoring = TRUE;
      if (n_monitoring++ == 0 && !ad_loop_monitor_get_running (monitor))
        {
          ad_loop_monitor_start (monitor);
          started_monitor = TRUE;
        }
    }
}

/* When the page unmaps or goes: stops all of it. */
void
ad_tasks_page_stop_ticking (AdTasksPage *self)
{
  AdLoopMonitor *monitor = ad_latency_graph_get_monitor (self->latency_graph);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->pull_id, g_source_remove);
  if (self->live_changed_id != 0)
    {
      g_signal_handler_disconnect (ad_task_registry_get_live (self->registry),
                                   self->live_changed_id);
      self->live_changed_id = 0;
    }
  if (!self->monitoring)
    return;

  self->monitoring = FALSE;
  /* Debug mode keeps the monitor it may have taken over */
  if (--n_monitoring == 0 && started_monitor && monitor != NULL && !ad_debug_get_enabled ())
    {
      ad_loop_monitor_stop (monitor);
      started_monitor = FALSE;
    }
}
