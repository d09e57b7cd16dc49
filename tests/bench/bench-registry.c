/* bench-registry.c: what recording a task costs
 *
 * Prints the cost per task event (create, start and finish are three
 * events) of the task registry:
 *  - from the main thread, with the registry publishing every 1000 tasks
 *    (the publish cost is shown separately);
 *  - from two worker threads at once while the main loop publishes;
 *  - the same loop without recording, as the peer: the ratio is what the
 *    registry adds to a loop that names and runs trivial operations.
 * The goal is under 1 µs per event. Never fails on speed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "ad-core.h"

#define N_TASKS      300000
#define PUBLISH_EACH 1000

static volatile gsize sink;

static double
bare_loop (guint n)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      char *name = g_strdup_printf ("fetch %u", i);

      sink += strlen (name);
      g_free (name);
    }

  return (g_get_monotonic_time () - start) * 1000.0 / n;
}

static void
record_one (AdTaskRegistry *registry,
            guint           i)
{
  char *name = g_strdup_printf ("fetch %u", i);
  AdTask *task = ad_task_registry_create (registry, name, AD_TASK_KIND_IO, NULL, NULL);

  ad_task_start (task);
  ad_task_finish (task, NULL);
  g_object_unref (task);
  g_free (name);
}

static void
single_thread (double *per_event_ns,
               double *publish_ns)
{
  AdTaskRegistry *registry = ad_task_registry_new (1000);
  gint64 start, publishing = 0;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_TASKS; i++)
    {
      record_one (registry, i);
      if (i % PUBLISH_EACH == PUBLISH_EACH - 1)
        {
          gint64 t = g_get_monotonic_time ();

          ad_task_registry_flush (registry);
          publishing += g_get_monotonic_time () - t;
        }
    }
  *per_event_ns = (g_get_monotonic_time () - start - publishing) * 1000.0 / (3.0 * N_TASKS);
  *publish_ns = publishing * 1000.0 / (3.0 * N_TASKS);

  ad_task_registry_flush (registry);
  g_object_unref (registry);
}

typedef struct
{
  AdTaskRegistry *registry;
  guint           n;
  gint64          elapsed;
  gint            done;
} Worker;

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < worker->n; i++)
    record_one (worker->registry, i);
  worker->elapsed = g_get_monotonic_time () - start;
  g_atomic_int_set (&worker->done, 1);
  g_main_context_wakeup (NULL);

  return NULL;
}

static double
two_threads (void)
{
  AdTaskRegistry *registry = ad_task_registry_new (1000);
  Worker workers[2];
  GThread *threads[2];
  gint64 start = g_get_monotonic_time ();
  gint64 wall;

  ad_task_registry_set_publish_interval (registry, 10);
  for (guint i = 0; i < 2; i++)
    {
      workers[i] = (Worker) { registry, N_TASKS / 2, 0, 0 };
      threads[i] = g_thread_new ("bench-worker", worker_main, &workers[i]);
    }
  while (!g_atomic_int_get (&workers[0].done) || !g_atomic_int_get (&workers[1].done))
    g_main_context_iteration (NULL, TRUE);
  wall = g_get_monotonic_time () - start;
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  ad_task_registry_flush (registry);
  g_object_unref (registry);

  /* Per event from each thread's point of view (both run at once). */
  g_print ("  (2 threads: %.0f ms wall clock for %d tasks)\n", wall / 1000.0, N_TASKS);
  return MAX (workers[0].elapsed, workers[1].elapsed) * 1000.0 / (3.0 * (N_TASKS / 2.0));
}

int
main (int   argc,
      char *argv[])
{
  double bare, single, publish, two;

  ad_core_init ();

  /* Warm up allocator and types. */
  bare_loop (10000);
  single_thread (&single, &publish);

  bare = bare_loop (N_TASKS) / 3.0;
  single_thread (&single, &publish);
  two = two_threads ();

  printf ("registry: %d tasks × 3 events (create, start, finish)\n", N_TASKS);
  printf ("  main thread:        %7.1f ns/event recording + %5.1f ns/event publishing\n",
          single, publish);
  printf ("  2 worker threads:   %7.1f ns/event per thread (both at once, main loop publishing)\n",
          two);
  printf ("  peer, no recording: %7.1f ns/event (the same loop naming the operations)\n", bare);
  printf ("  ratio recording/peer: %.1f×; goal < 1000 ns/event: %s\n",
          (single + publish) / MAX (bare, 0.1),
          single + publish < 1000.0 && two < 1000.0 ? "met" : "NOT met");

  return 0;
}
