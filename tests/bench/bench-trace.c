/* bench-trace.c: what recording a trace costs per event
 *
 * Runs the same workload (create, start, enter, leave, finish a task:
 * five events) on a private registry three ways: with no listener, with a
 * recorder attached, and with the recorder attached on two threads at
 * once (the ring's lock contended). Prints ns per event and the overhead
 * the recorder adds, then the cost of building the timeline from the ring
 * and of exporting it. Never fails on speed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-core.h"

#define N_TASKS 100000
#define EVENTS_PER_TASK 5

static void
workload (AdTaskRegistry *registry,
          guint           n)
{
  for (guint i = 0; i < n; i++)
    {
      AdTask *task = ad_task_registry_create (registry, "bench task", AD_TASK_KIND_CPU, NULL, NULL);
      AdTask *previous;

      ad_task_start (task);
      previous = ad_task_push_current (task);
      ad_task_pop_current (previous);
      ad_task_finish (task, NULL);
      g_object_unref (task);
    }
}

static gpointer
worker (gpointer data)
{
  workload (data, N_TASKS);
  return NULL;
}

static double
run (AdTaskRegistry *registry,
     guint           n_threads)
{
  GThread *threads[2];
  gint64 start = g_get_monotonic_time ();

  for (guint t = 0; t < n_threads; t++)
    threads[t] = g_thread_new ("bench", worker, registry);
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);

  /* Let the registry publish (and free) what was recorded. */
  ad_task_registry_flush (registry);

  return (g_get_monotonic_time () - start) * 1000.0 / (N_TASKS * n_threads * EVENTS_PER_TASK);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdTaskRegistry) registry = NULL;
  g_autoptr(AdTraceRecorder) recorder = NULL;
  g_autoptr(AdTrace) trace = NULL;
  g_autofree char *json = NULL;
  double bare, recorded, contended;
  gint64 start;
  gsize length;
  guint n;

  ad_core_init ();
  registry = ad_task_registry_new (100);
  recorder = ad_trace_recorder_new (AD_TRACE_RECORDER_DEFAULT_CAPACITY);

  run (registry, 1);  /* warm up */
  bare = run (registry, 1);
  ad_trace_recorder_attach (recorder, registry);
  recorded = run (registry, 1);
  contended = run (registry, 2);

  g_print ("registry events, no listener:        %6.1f ns/event\n", bare);
  g_print ("with the trace recorder:             %6.1f ns/event (+%.1f ns)\n",
           recorded, recorded - bare);
  g_print ("with the recorder, two threads:      %6.1f ns/event (per event, wall time / events)\n",
           contended);
  g_print ("ring: %u slots of %zu bytes (%.1f MiB), %" G_GUINT64_FORMAT " events dropped\n",
           ad_trace_recorder_get_capacity (recorder), sizeof (AdTraceEvent),
           ad_trace_recorder_get_capacity (recorder) * sizeof (AdTraceEvent) / 1048576.0,
           ad_trace_recorder_get_n_dropped (recorder));

  trace = ad_trace_new (AD_TRACE_DEFAULT_MAX_SLICES);
  start = g_get_monotonic_time ();
  n = ad_trace_pull (trace, recorder);
  g_print ("timeline from the ring:              %6.1f ns/event (%u events, %u slices)\n",
           (g_get_monotonic_time () - start) * 1000.0 / MAX (n, 1), n,
           ad_trace_get_n_slices (trace));

  start = g_get_monotonic_time ();
  json = ad_trace_export_to_data (trace, &length);
  g_print ("export to Trace Event JSON:          %6.1f ms (%.1f MiB, %s)\n",
           (g_get_monotonic_time () - start) / 1000.0, length / 1048576.0,
           json != NULL && json[0] == '{' ? "an object" : "not an object");

  ad_trace_recorder_detach (recorder);

  return 0;
}
