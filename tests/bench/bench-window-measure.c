/* bench-window-measure.c: bench-window's instruments and its window
 *
 * Waits on the main loop for a time or a condition; measures a row: the
 * worst stall of the main loop, frame intervals and frame work from the
 * window's GdkFrameClock, the CPU time and the main thread's run-queue
 * wait; shows a page of the window and clicks its buttons. What each
 * figure means: the header of bench-window.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Bench"

#include "config.h"

#include <sys/resource.h>
#include <time.h>

#include "ad-core.h"
#include "ad-gui-test-utils.h"
#include "ad-window.h"

#include "bench-window.h"

/* ---- waiting on the main loop ---------------------------------------------- */

static gboolean
keep_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;

  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms, with one timer: nothing else wakes it. */
void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until @pred holds or @timeout_ms passed; looks every
 * POLL_MS, and at once after any event. Returns whether @pred held. */
gboolean
run_until (Predicate pred,
           gpointer  data,
           guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (POLL_MS, keep_cb, NULL);
  gboolean ok;

  while (!(ok = pred (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  return ok;
}

/* ---- measuring ------------------------------------------------------------- */

void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->name);
  g_free (row->stall_culprit);
  g_free (row->notes);
  g_free (row);
}

Bench bench;

/* The CPU time of the calling thread, in µs: a frame's work on it tells
 * an expensive frame from one that waited for a core. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

gint64
cpu_us (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

/* The main thread's time waiting on a run queue, in µs; 0 when unknown.
 * Call on the main thread. */
static gint64
runq_wait_us (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/thread-self/schedstat", &contents, NULL, NULL))
    return 0;
  fields = g_strsplit (contents, " ", 3);
  if (g_strv_length (fields) < 2)
    return 0;

  return g_ascii_strtoll (fields[1], NULL, 10) / 1000;
}

static double
load_average (void)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    return -1;

  return g_ascii_strtod (contents, NULL);
}

void
before_paint_cb (GdkFrameClock *clock,
                 Bench         *b)
{
  b->before_paint = g_get_monotonic_time ();
  b->before_paint_cpu = thread_cpu_us ();
}

void
layout_cb (GdkFrameClock *clock,
           Bench         *b)
{
  b->layout_done = g_get_monotonic_time ();
  b->layout_done_cpu = thread_cpu_us ();
}

void
after_paint_cb (GdkFrameClock *clock,
                Bench         *b)
{
  gint64 now = g_get_monotonic_time ();

  if (b->first_paint == 0)
    b->first_paint = now;
  b->last_paint = now;

  if (!b->recording)
    return;

  if (b->last_frame_time != 0)
    {
      gint64 step = gdk_frame_clock_get_frame_time (clock) - b->last_frame_time;

      g_array_append_val (b->clock_intervals, step);
    }
  b->last_frame_time = gdk_frame_clock_get_frame_time (clock);
  if (b->last_after_paint != 0)
    {
      gint64 interval = now - b->last_after_paint;

      g_array_append_val (b->intervals, interval);
    }
  if (b->before_paint != 0)
    {
      gint64 cpu = thread_cpu_us ();
      Frame frame = { b->before_paint, MAX (b->layout_done, b->before_paint), now,
                      b->before_paint_cpu, MAX (b->layout_done_cpu, b->before_paint_cpu), cpu,
                      gdk_frame_clock_get_frame_time (clock) };

      g_array_append_val (b->frames, frame);
    }
  b->last_after_paint = now;
}

void
measure_begin (gboolean forced_frames)
{
  if (g_getenv ("BENCH_WINDOW_VERBOSE") != NULL)
    g_printerr ("bench-window: measuring from %.1f s\n", (g_get_monotonic_time () - bench.t0) / 1e6);
  ad_loop_monitor_reset (bench.monitor);
  if (!ad_loop_monitor_get_running (bench.monitor))
    ad_loop_monitor_start (bench.monitor);

  g_array_set_size (bench.intervals, 0);
  g_array_set_size (bench.clock_intervals, 0);
  bench.last_frame_time = forced_frames ? g_get_monotonic_time () : 0;
  g_array_set_size (bench.frames, 0);
  bench.before_paint = 0;
  bench.layout_done = 0;
  bench.before_paint_cpu = 0;
  bench.layout_done_cpu = 0;
  bench.forced = forced_frames;
  if (forced_frames)
    gdk_frame_clock_begin_updating (bench.clock);
  bench.recording = TRUE;

  bench.wall_start = g_get_monotonic_time ();
  /* Forced, a frame is due now: a loop blocked from the start counts. */
  bench.last_after_paint = forced_frames ? bench.wall_start : 0;
  bench.cpu_start = cpu_us (RUSAGE_SELF);
  bench.children_start = cpu_us (RUSAGE_CHILDREN);
  bench.runq_wait_start = runq_wait_us ();
}

static int
cmp_int64 (gconstpointer a,
           gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
percentile_ms (GArray *values,
               double  fraction)
{
  guint index;

  if (values->len == 0)
    return -1;
  g_array_sort (values, cmp_int64);
  index = (guint) MIN ((double) values->len - 1, fraction * values->len);

  return g_array_index (values, gint64, index) / 1000.0;
}

/* A culprit for an untraced stall that ended at @end: a frame that took
 * at least half of it (GTK's layout and paint are nobody's callback). */
static char *
frame_culprit (gint64 end,
               gint64 duration)
{
  for (guint i = 0; i < bench.frames->len; i++)
    {
      const Frame *frame = &g_array_index (bench.frames, Frame, i);
      gint64 overlap = MIN (frame->end, end) - MAX (frame->start, end - duration);

      if (overlap * 2 >= duration)
        return g_strdup_printf ("a frame: layout %.0f ms, paint %.0f ms",
                                (frame->layout_done - frame->start) / 1000.0,
                                (frame->end - frame->layout_done) / 1000.0);
    }

  return NULL;
}

/* The stall monitor's part of a row. */
static void
row_take_stall (Row *row)
{
  g_autoptr(GArray) stalls = ad_loop_monitor_get_stalls (bench.monitor);
  gint64 worst = 0;

  row->stall_ms = ad_loop_monitor_get_max_latency (bench.monitor) / 1000.0;
  for (guint i = 0; i < stalls->len; i++)
    {
      const AdLoopStall *stall = &g_array_index (stalls, AdLoopStall, i);

      if (stall->duration_us > worst)
        {
          g_autofree char *frame = NULL;

          worst = stall->duration_us;
          if (stall->culprit == NULL)
            frame = frame_culprit (stall->time_us, stall->duration_us);
          g_free (row->stall_culprit);
          row->stall_culprit = g_strdup_printf ("%s (%.0f ms; %u over %u ms)",
                                                stall->culprit ?: frame ?: "untraced code",
                                                stall->duration_us / 1000.0, stalls->len,
                                                ad_loop_monitor_get_stall_threshold (bench.monitor));
        }
    }
}

Row *
measure_end (const char *name,
             char       *notes)
{
  gint64 wall = MAX (g_get_monotonic_time () - bench.wall_start, 1);
  gint64 refresh = 0;
  Row *row = g_new0 (Row, 1);

  bench.recording = FALSE;
  if (bench.forced)
    {
      /* The wait since the last frame counts too: no frame at all is the
       * worst case, not an empty one. */
      gint64 open = g_get_monotonic_time () - bench.last_after_paint;

      g_array_append_val (bench.intervals, open);
      open = g_get_monotonic_time () - bench.last_frame_time;
      g_array_append_val (bench.clock_intervals, open);
      gdk_frame_clock_end_updating (bench.clock);
    }

  row->name = g_strdup (name);
  row->notes = notes;
  row->seconds = wall / 1e6;
  row->cpu_percent = 100.0 * (cpu_us (RUSAGE_SELF) - bench.cpu_start) / wall;
  row->children_cpu_percent = 100.0 * (cpu_us (RUSAGE_CHILDREN) - bench.children_start) / wall;
  row->runq_wait_ms = (runq_wait_us () - bench.runq_wait_start) / 1000.0;
  row->load_average = load_average ();
  row_take_stall (row);

  gdk_frame_clock_get_refresh_info (bench.clock, g_get_monotonic_time (), &refresh, NULL);
  if (refresh <= 0)
    refresh = G_USEC_PER_SEC / 60;
  row->n_frames = bench.frames->len;
  for (guint i = 0; i < bench.clock_intervals->len; i++)
    if (g_array_index (bench.clock_intervals, gint64, i) * 2 > refresh * 3)
      row->n_dropped++;
  row->max_gap_ms = bench.forced ? percentile_ms (bench.intervals, 1.0) : -1;
  row->p50_ms = bench.forced ? percentile_ms (bench.intervals, 0.50) : -1;
  row->p99_ms = bench.forced ? percentile_ms (bench.intervals, 0.99) : -1;
  row->clock_p99_ms = bench.forced ? percentile_ms (bench.clock_intervals, 0.99) : -1;
  {
    g_autoptr(GArray) late = g_array_sized_new (FALSE, FALSE, sizeof (gint64), bench.frames->len);

    for (guint i = 0; i < bench.frames->len; i++)
      {
        const Frame *frame = &g_array_index (bench.frames, Frame, i);
        gint64 lateness = frame->end - frame->due;

        g_array_append_val (late, lateness);
        if (lateness > refresh)
          row->n_late++;
      }
    row->late_p99_ms = percentile_ms (late, 0.99);
  }
  {
    g_autoptr(GArray) work = g_array_sized_new (FALSE, FALSE, sizeof (gint64), bench.frames->len);
    g_autoptr(GArray) layout = g_array_sized_new (FALSE, FALSE, sizeof (gint64), bench.frames->len);
    g_autoptr(GArray) paint = g_array_sized_new (FALSE, FALSE, sizeof (gint64), bench.frames->len);
    g_autoptr(GArray) work_cpu = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                                    bench.frames->len);
    g_autoptr(GArray) layout_cpu = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                                      bench.frames->len);
    g_autoptr(GArray) paint_cpu = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                                     bench.frames->len);

    for (guint i = 0; i < bench.frames->len; i++)
      {
        const Frame *frame = &g_array_index (bench.frames, Frame, i);
        gint64 values[6] = { frame->end - frame->start, frame->layout_done - frame->start,
                             frame->end - frame->layout_done, frame->cpu_end - frame->cpu_start,
                             frame->cpu_layout_done - frame->cpu_start,
                             frame->cpu_end - frame->cpu_layout_done };

        g_array_append_val (work, values[0]);
        g_array_append_val (layout, values[1]);
        g_array_append_val (paint, values[2]);
        g_array_append_val (work_cpu, values[3]);
        g_array_append_val (layout_cpu, values[4]);
        g_array_append_val (paint_cpu, values[5]);
      }
    row->work_p99_ms = percentile_ms (work, 0.99);
    row->layout_p99_ms = percentile_ms (layout, 0.99);
    row->paint_p99_ms = percentile_ms (paint, 0.99);
    row->work_cpu_p99_ms = percentile_ms (work_cpu, 0.99);
    row->layout_cpu_p99_ms = percentile_ms (layout_cpu, 0.99);
    row->paint_cpu_p99_ms = percentile_ms (paint_cpu, 0.99);
  }

  g_ptr_array_add (bench.rows, row);

  return row;
}

/* ---- the window ----------------------------------------------------------- */

gboolean
window_mapped (gpointer data)
{
  return bench.window != NULL && gtk_widget_get_mapped (GTK_WIDGET (bench.window));
}

gboolean
window_painted (gpointer data)
{
  return bench.first_paint != 0;
}

void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        data)
{
  if (!AD_IS_WINDOW (window) || bench.window != NULL)
    return;

  bench.window = AD_WINDOW (window);
}

static gboolean
window_quiet (gpointer data)
{
  return g_get_monotonic_time () - bench.last_paint >= QUIET_MS * (gint64) 1000;
}

GtkWidget *
show_page (const char *name)
{
  GtkStack *stack = ad_window_get_stack (bench.window);
  GtkWidget *page = gtk_stack_get_child_by_name (stack, name);

  g_assert (page != NULL);
  gtk_stack_set_visible_child (stack, page);
  page = ad_window_get_page (bench.window, name);  /* the stack holds its slot */
  run_until (widget_mapped, page, 5000);
  run_for (SETTLE_MS);
  /* Until nothing draws for a while: a page's first rows may take long. */
  run_until (window_quiet, NULL, 1500);

  return page;
}

GtkWidget *
find_button (GtkWidget  *root,
             const char *action)
{
  GtkWidget *button = ad_gui_test_find_button (root, action);

  if (button == NULL)
    g_error ("no button for %s", action);

  return button;
}

/* A click on the button of @action, as the user would. */
void
click (GtkWidget  *root,
       const char *action)
{
  GtkWidget *button = find_button (root, action);

  if (!gtk_widget_is_sensitive (button))
    g_printerr ("bench-window: clicking %s, which is insensitive\n", action);
  g_signal_emit_by_name (button, "clicked");
}
