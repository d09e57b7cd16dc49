/* test-idle-views.c: views that move with time rest when nothing happens
 *
 * The live timeline and the latency graph stop redrawing (or redraw once
 * a second) while no task runs and nothing new comes, and follow again as
 * soon as something does: an idle Tasks page costs no CPU (issue 14).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-core.h"
#include "ad-latency-graph-private.h"
#include "ad-tasks-page.h"
#include "ad-tasks-page-private.h"
#include "ad-timeline-view-private.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"

static AdTraceEvent
event_at (AdTaskEventType type,
          guint64         task_id,
          gint64          time_us)
{
  AdTraceEvent event = {
    .time_us = time_us,
    .task_id = task_id,
    .thread_name = g_intern_static_string ("main"),
    .thread_id = 1,
    .type = type,
    .kind = AD_TASK_KIND_IO,
    .state = type == AD_TASK_EVENT_LEFT ? AD_TASK_STATE_SUCCEEDED : AD_TASK_STATE_RUNNING,
  };

  g_strlcpy (event.name, "idle test task", sizeof event.name);
  return event;
}

/* Live and empty: no tick. A task that began in view runs: every frame or
 * so. One running for longer than the view's span is a bar across it, the
 * same every frame: no tick. Finished: ticking while its bar drifts
 * through the view, then not at all. */
static void
test_timeline (void)
{
  g_autoptr(AdTrace) trace = ad_trace_new (1000);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *widget = g_object_new (AD_TYPE_TIMELINE_VIEW, NULL);
  AdTimelineView *timeline = AD_TIMELINE_VIEW (widget);
  AdTraceEvent event;

  ad_timeline_view_set_trace (timeline, trace);
  ad_timeline_view_set_span (timeline, (gint64) 10 * G_USEC_PER_SEC);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 300);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));
  ad_test_wait_until (gtk_widget_get_mapped (widget), 5000);
  g_assert_true (ad_timeline_view_get_live (timeline));

  /* Nothing in the trace: it stops ticking after a calm second */
  ad_test_wait_until (ad_timeline_view_get_tick_interval (timeline) == 0, 5000);

  /* A task starts running: every frame again, for as long as it runs in
   * view */
  event = event_at (AD_TASK_EVENT_ENTERED, 1, g_get_monotonic_time ());
  ad_trace_ingest (trace, &event, 1);
  ad_timeline_view_trace_changed (timeline);
  g_assert_cmpuint (ad_timeline_view_get_tick_interval (timeline), ==, REDRAW_MS);
  ad_test_spin (1500);
  ad_trace_advance (trace, g_get_monotonic_time ());
  g_assert_cmpuint (ad_timeline_view_get_tick_interval (timeline), ==, REDRAW_MS);

  /* Zoomed in to half a second, it began before the view: a still bar */
  ad_timeline_view_set_span (timeline, G_USEC_PER_SEC / 2);
  ad_test_wait_until (ad_timeline_view_get_tick_interval (timeline) == 0, 5000);

  /* It finishes: its bar drifts out of the view, then the view rests */
  event = event_at (AD_TASK_EVENT_LEFT, 1, g_get_monotonic_time ());
  ad_trace_ingest (trace, &event, 1);
  ad_timeline_view_trace_changed (timeline);
  g_assert_cmpuint (ad_timeline_view_get_tick_interval (timeline), ==, REDRAW_MS);
  ad_test_wait_until (ad_timeline_view_get_tick_interval (timeline) == 0, 5000);

  /* Paused: never ticks */
  ad_timeline_view_trace_changed (timeline);
  g_assert_cmpuint (ad_timeline_view_get_tick_interval (timeline), ==, REDRAW_MS);
  ad_timeline_view_set_paused (timeline, TRUE);
  g_assert_cmpuint (ad_timeline_view_get_tick_interval (timeline), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
block_cb (gpointer user_data)
{
  g_usleep ((gulong) 150 * 1000);
  return G_SOURCE_REMOVE;
}

/* Without news (no late sample, no stall) a refresh does not redraw; a
 * stall does at once. */
static void
test_latency_graph (void)
{
  g_autoptr(AdLoopMonitor) monitor = ad_loop_monitor_new (NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *widget = g_object_new (AD_TYPE_LATENCY_GRAPH, "monitor", monitor, NULL);
  AdLatencyGraph *graph = AD_LATENCY_GRAPH (widget);
  guint n;

  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));
  ad_test_wait_until (gtk_widget_get_mapped (widget), 5000);

  /* Drawn once for its monitor; no samples since: no redraw */
  n = ad_latency_graph_get_n_redraws (graph);
  g_assert_cmpuint (n, >=, 1);
  for (guint i = 0; i < 5; i++)
    {
      ad_test_spin (20);
      ad_latency_graph_refresh (graph);
    }
  g_assert_cmpuint (ad_latency_graph_get_n_redraws (graph), ==, n);

  /* A stall is news */
  ad_loop_monitor_set_stall_threshold (monitor, 50);
  ad_loop_monitor_start (monitor);
  g_idle_add (block_cb, NULL);
  ad_test_wait_until (ad_loop_monitor_get_n_stalls (monitor) > 0, 5000);
  ad_loop_monitor_stop (monitor);
  ad_latency_graph_refresh (graph);
  g_assert_cmpuint (ad_latency_graph_get_n_redraws (graph), ==, n + 1);

  /* Nothing new since, and less than a second later: no redraw */
  ad_latency_graph_refresh (graph);
  g_assert_cmpuint (ad_latency_graph_get_n_redraws (graph), ==, n + 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The Tasks page's refresh: every 250 ms while tasks run or events come,
 * once a second when quiet; a new task brings the fast one back at once,
 * before the slow tick would. */
static void
test_tasks_page_refresh (void)
{
  g_autoptr(AdTaskRegistry) registry = ad_task_registry_new (100);
  g_autoptr(AdTraceRecorder) recorder = ad_trace_recorder_new (4096);
  GtkWidget *window = gtk_window_new ();
  AdTasksPage *page = AD_TASKS_PAGE (ad_tasks_page_new ());
  g_autoptr(AdTask) task = NULL;
  gint64 woke;

  ad_task_registry_set_publish_interval (registry, 20);
  ad_trace_recorder_attach (recorder, registry);
  ad_tasks_page_set_registry (page, registry, recorder);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  ad_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (page)), 5000);
  g_assert_cmpuint (ad_tasks_page_get_refresh_interval (page), ==, 250);

  /* Nothing happens: the pull rests after a second, then the refresh slows */
  ad_test_wait_until (ad_tasks_page_get_refresh_interval (page) == 1000, 5000);

  /* A task: the fast refresh is back within a publish, not a slow tick */
  woke = g_get_monotonic_time ();
  task = ad_task_registry_create (registry, "wake the page", AD_TASK_KIND_IO, NULL, NULL);
  ad_task_start (task);
  ad_test_wait_until (ad_tasks_page_get_refresh_interval (page) == 250, 5000);
  if (ad_test_slow_factor () == 1)
    g_assert_cmpint (g_get_monotonic_time () - woke, <, 900 * G_TIME_SPAN_MILLISECOND);

  /* While it runs the page stays fast */
  ad_test_spin (1500);
  g_assert_cmpuint (ad_tasks_page_get_refresh_interval (page), ==, 250);

  /* Done and quiet again: slow again; hidden: not ticking */
  ad_task_finish (task, NULL);
  ad_test_wait_until (ad_tasks_page_get_refresh_interval (page) == 1000, 5000);
  gtk_widget_set_visible (GTK_WIDGET (page), FALSE);
  g_assert_cmpuint (ad_tasks_page_get_refresh_interval (page), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  ad_test_spin (20);
  ad_trace_recorder_detach (recorder);
  ad_task_registry_flush (registry);
}

int
main (int   argc,
      char *argv[])
{
  if (ad_gui_test_init (&argc, &argv) == NULL)
    return g_test_run ();

  g_test_add_func ("/idle-views/timeline", test_timeline);
  g_test_add_func ("/idle-views/latency-graph", test_latency_graph);
  g_test_add_func ("/idle-views/tasks-page-refresh", test_tasks_page_refresh);

  return g_test_run ();
}
