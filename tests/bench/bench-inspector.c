/* bench-inspector.c: the Tasks page under 10,000 tasks a second
 *
 * Shows the real page in a window and, for five seconds, starts 10,000
 * tasks a second in batches of 101: a group with 70 I/O tasks on the main
 * loop (finished at the next tick) and 30 CPU chunks that start and finish
 * on GLib's pool threads. A late tick catches up, so the rate holds. Then prints what the inspector cost the main loop:
 * the loop monitor's worst lateness and its stalls over 16 ms (with their
 * culprits), the frame rate, and how much the timeline drew. Run it with
 * a display (build-aux/with-display.sh); it never fails on speed.
 *
 * To see where the cost goes: BENCH_NO_PAGE=1 (the load alone),
 * BENCH_PAUSE=1 (timeline paused), BENCH_NO_TIMELINE=1, BENCH_NO_GRAPH=1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <locale.h>

#include "ad-core.h"
#include "ad-tasks-page.h"

#define BATCH_EVERY_MS 10
#define IO_PER_BATCH   70
#define CPU_PER_BATCH  30

#define TASKS_PER_SECOND 10000

typedef struct
{
  GPtrArray *pending;     /* AdTask: the last batch's I/O tasks and group */
  gint64     start;
  guint      n_batches;
  guint64    n_tasks;
  guint      n_chunks_running;
  gboolean   done;
} Load;

static void
chunk_thread (GTask        *gtask,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AdTask *task = task_data;
  volatile guint sum = 0;

  ad_task_start (task);
  for (guint i = 0; i < 20000; i++)
    sum += i;
  ad_task_finish (task, NULL);
  g_task_return_boolean (gtask, sum > 0);
}

static void
chunk_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Load *load = user_data;

  load->n_chunks_running--;
}

static void
start_batch (Load *load)
{
  AdTaskRegistry *registry = ad_task_registry_get_default ();
  g_autofree char *name = g_strdup_printf ("batch %u", load->n_batches++);
  AdTask *group, *previous;

  group = ad_task_registry_create (registry, name, AD_TASK_KIND_GROUP, NULL, NULL);
  ad_task_start (group);
  previous = ad_task_push_current (group);

  for (guint i = 0; i < IO_PER_BATCH; i++)
    {
      g_autofree char *child = g_strdup_printf ("GET /page/%u", i);
      AdTask *task = ad_task_registry_create (registry, child, AD_TASK_KIND_IO, group, NULL);

      ad_task_start (task);
      g_ptr_array_add (load->pending, task);
    }
  for (guint i = 0; i < CPU_PER_BATCH; i++)
    {
      g_autofree char *child = g_strdup_printf ("chunk %u", i);
      g_autoptr(GTask) gtask = g_task_new (NULL, NULL, chunk_done_cb, load);

      g_task_set_task_data (gtask,
                            ad_task_registry_create (registry, child, AD_TASK_KIND_CPU, group, NULL),
                            g_object_unref);
      load->n_chunks_running++;
      g_task_run_in_thread (gtask, chunk_thread);
    }
  ad_task_pop_current (previous);
  g_ptr_array_add (load->pending, group);
  load->n_tasks += 1 + IO_PER_BATCH + CPU_PER_BATCH;
}

/* Finishes the last batches and starts as many as the rate asks for since
 * the start: a late timer catches up instead of lowering the load. */
static gboolean
batch_cb (gpointer user_data)
{
  Load *load = user_data;
  gint64 due;

  for (guint i = 0; i < load->pending->len; i++)
    ad_task_finish (g_ptr_array_index (load->pending, i), NULL);
  g_ptr_array_set_size (load->pending, 0);

  if (load->done)
    return G_SOURCE_REMOVE;

  due = (g_get_monotonic_time () - load->start) * TASKS_PER_SECOND / G_USEC_PER_SEC;
  while ((gint64) load->n_tasks < due)
    start_batch (load);

  return G_SOURCE_CONTINUE;
}

static gboolean
stop_cb (gpointer user_data)
{
  Load *load = user_data;

  load->done = TRUE;

  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  AdLoopMonitor *monitor;
  GtkWidget *window, *page;
  GdkFrameClock *clock;
  g_autoptr(GArray) stalls = NULL;
  Load load = { 0 };
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 5.0;
  gint64 start, frames_before, elapsed;

  setlocale (LC_ALL, "");
  ad_core_init ();
  if (!gtk_init_check ())
    {
      g_printerr ("bench-inspector: needs a display (build-aux/with-display.sh)\n");
      return 0;
    }

  monitor = ad_loop_monitor_get_default ();
  ad_loop_monitor_set_stall_threshold (monitor, 16);
  /* Also without the page (BENCH_NO_PAGE=1: the load's own cost) */
  ad_loop_monitor_start (monitor);

  /* Look like the app: its style sheet comes with the GUI library */
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  page = ad_tasks_page_new ();
  if (g_getenv ("BENCH_NO_PAGE") == NULL)
    gtk_window_set_child (GTK_WINDOW (window), page);
  else
    g_object_ref_sink (page);
  gtk_window_present (GTK_WINDOW (window));

  if (g_getenv ("BENCH_PAUSE") != NULL)
    ad_timeline_view_set_paused (ad_tasks_page_get_timeline (AD_TASKS_PAGE (page)), TRUE);

  if (g_getenv ("BENCH_NO_TIMELINE"))
    gtk_widget_set_visible (GTK_WIDGET (ad_tasks_page_get_timeline (AD_TASKS_PAGE (page))), FALSE);
  if (g_getenv ("BENCH_NO_GRAPH"))
    gtk_widget_set_visible (GTK_WIDGET (ad_tasks_page_get_latency_graph (AD_TASKS_PAGE (page))), FALSE);
  /* Settle: the first frames compile shaders and load fonts */
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 500000)
    g_main_context_iteration (NULL, FALSE);
  ad_loop_monitor_reset (monitor);

  clock = gtk_widget_get_frame_clock (window);
  frames_before = gdk_frame_clock_get_frame_counter (clock);
  load.pending = g_ptr_array_new_with_free_func (g_object_unref);
  load.start = g_get_monotonic_time ();
  g_timeout_add (BATCH_EVERY_MS, batch_cb, &load);
  g_timeout_add ((guint) (seconds * 1000), stop_cb, &load);

  start = g_get_monotonic_time ();
  while (!load.done)
    g_main_context_iteration (NULL, TRUE);
  elapsed = g_get_monotonic_time () - start;
  while (load.n_chunks_running > 0)
    g_main_context_iteration (NULL, TRUE);
  batch_cb (&load);

  g_print ("tasks created: %" G_GUINT64_FORMAT " in %.1f s (%.0f tasks/s)\n", load.n_tasks,
           elapsed / 1e6, load.n_tasks / (elapsed / 1e6));
  g_print ("frames: %.1f per second\n",
           (gdk_frame_clock_get_frame_counter (clock) - frames_before) / (elapsed / 1e6));
  g_print ("max main-loop stall: %.1f ms; stalls over 16 ms: %" G_GUINT64_FORMAT "\n",
           ad_loop_monitor_get_max_latency (monitor) / 1000.0, ad_loop_monitor_get_n_stalls (monitor));
  stalls = ad_loop_monitor_get_stalls (monitor);
  for (guint i = 0; i < stalls->len && i < 10; i++)
    g_print ("  stall %.1f ms at %.2f s in %s\n",
             g_array_index (stalls, AdLoopStall, i).duration_us / 1000.0,
             (g_array_index (stalls, AdLoopStall, i).time_us - load.start) / 1e6,
             g_array_index (stalls, AdLoopStall, i).culprit ?: "(unnamed callback)");
  g_print ("timeline: last frame drew %u bars and merged runs\n",
           ad_timeline_view_get_n_drawn (ad_tasks_page_get_timeline (AD_TASKS_PAGE (page))));
  g_print ("%s\n", ad_tasks_page_get_counts_text (AD_TASKS_PAGE (page)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_ptr_array_unref (load.pending);

  return 0;
}
