/* bench-window.c: the real window under load: stalls, frames and CPU
 *
 * Opens the app's own window (AdApplication, AdWindow, as the GUI tests
 * do) and drives its pages through their actions and widgets, one
 * scenario after another, each a few seconds; one row each:
 *
 *   self-check          one 100 ms block of the loop, which every
 *                       instrument must see (else the row says so)
 *   mandelbrot 5000 it. a render of the whole view at 5,000 iterations on
 *                       every worker thread
 *   mandelbrot cancel   the same render, cancelled half-way (by the first
 *                       one's time), and how long the stop took
 *   speed-up run        the Compute page's "Measure Speed-up" (1 … N
 *                       threads, then N processes), on the same image
 *   crawl 10k pages     the built-in 10,000-page sample site
 *   chat 100 join       100 raw TCP clients (a helper thread) join the
 *                       Chat page's server, which runs on the main loop
 *   chat 1000 lines/s   they send 1,000 lines of 64 bytes a second in all
 *                       (10 each, the server's rate limit) and read the
 *                       99 copies of each
 *   chat 100 leave      they all close their sockets at once
 *   tasks 10k/s         the Tasks page while 10,000 tasks a second are
 *                       registered (groups of I/O tasks on the main loop
 *                       and CPU tasks on GLib's pool threads)
 *   idle PAGE           every page, doing nothing
 *
 * What a row records:
 *
 *   - the worst main-loop stall: an AdLoopMonitor of its own on the main
 *     context (10 ms heartbeat, stalls over 16 ms listed with the culprit
 *     when the callback was traced), so that the app's default monitor,
 *     which the Tasks page graphs, and the Compute page's are left alone;
 *   - frames, from the window's GdkFrameClock: the time between two
 *     "after-paint"s (p50, p99), the intervals over 1.5 refresh intervals
 *     ("dropped"), and "before-paint" to "after-paint" (update, layout and
 *     paint: "work p99", wall time). The notes give the same p99 on the
 *     main thread's CPU clock (CLOCK_THREAD_CPUTIME_ID): on a loaded
 *     machine the wall time of a frame counts its waits for a core, so
 *     only the CPU figure says whether the frame itself is expensive. Under load the clock is kept ticking
 *     (gdk_frame_clock_begin_updating(), as an animation would), so that
 *     an interval measures how late the loop let a frame happen, not
 *     whether anything wanted to draw; the first interval starts with the
 *     measure and the last ends with it. A gap between frames much longer
 *     than the worst stall means that the loop ran but drew nothing: most
 *     likely sources of a higher priority than GDK's redraw (G_PRIORITY_
 *     HIGH_IDLE + 20) were ready at every iteration. The notes say so. (As under any animation, while frames run late GDK's
 *     redraw priority keeps idles of a lower priority waiting.) Idle, the
 *     clock is left alone and the row counts the frames drawn anyway. A
 *     stall that no traced callback explains is put on a frame when one
 *     took at least half of it, with its layout and paint times;
 *   - the CPU time of the process (getrusage: user + system, all its
 *     threads, Mesa's included; worker processes apart) as a percentage of
 *     one core over the wall time;
 *   - how long the main thread was ready to run but waited for a core
 *     (/proc/thread-self/schedstat, the run-queue delay): on a machine
 *     shared with other programs, much of a stall can be that wait, which
 *     no change to the app removes (its worker threads and processes run
 *     at a lower priority and should not add to it). The notes give it as
 *     "run-queue wait" when over 1 % of the wall time, beside the load
 *     average. Idle, the CPU is measured over the first
 *     half with the stall monitor stopped (its heartbeat costs CPU of its
 *     own, given in the notes), the rest over the second half.
 *
 * plus the start-up time: from the spawn of the process to the first
 * after-paint of the window.
 *
 * It runs itself twice, as child processes, with GSK_RENDERER=cairo and
 * with GTK's default renderer (GL, on llvmpipe under Xvfb), and prints a
 * table for each beside the goals of issue 14 (stall ≤ 16 ms, p99 frame
 * interval ≤ 17 ms, idle CPU ≤ 1 %, start-up ≤ 250 ms). It never fails on
 * speed; it exits non-zero only when a run crashed.
 *
 * Run: build-aux/with-display.sh _build/tests/bench/bench-window
 *      meson test -C _build --benchmark --verbose bench-window
 * Environment: BENCH_WINDOW_SCALE (default 1: multiplies every duration;
 * 0.3 for a quick run), BENCH_WINDOW_IDLE (seconds idle on each page,
 * default 10, also scaled), BENCH_WINDOW_RENDERERS (default
 * "cairo,default"), BENCH_WINDOW_ONLY (comma-separated: mandelbrot,
 * speedup, crawl, chat, tasks, idle), BENCH_WINDOW_VERBOSE (progress on
 * stderr),
 * ASYNC_DEMO_BINARY (the worker processes' binary; default: this build's).
 *
 * Hooks the pages lack, worked around here: the Crawler page has no
 * notification when a run ends (polled every 50 ms, as every wait here);
 * the Compute page says nothing of its progress but through its progress
 * bar (the view's tile count is read instead).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Bench"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include "ad-application.h"
#include "ad-chat-page.h"
#include "ad-compute-page.h"
#include "ad-core.h"
#include "ad-crawler-page.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"
#include "ad-tasks-page.h"
#include "ad-window.h"

#define GOAL_STALL_MS    16.0
#define GOAL_FRAME_MS    17.0
#define GOAL_IDLE_CPU    1.0
#define GOAL_STARTUP_MS  250.0

#define POLL_MS          50      /* how often a wait for a condition looks */
#define SETTLE_MS        500     /* after a page switch: transition, first layout */
#define QUIET_MS         500     /* then no frame for that long, if it comes */

/* ---- settings ------------------------------------------------------------ */

static double scale = 1.0;
static double idle_seconds = 10.0;
static char **only;

static guint
scaled_ms (double seconds)
{
  return (guint) MAX (200, seconds * scale * 1000);
}

/* A bound on a run that should end on its own: scaled, but never below
 * 15 s, so that a quick run still lets the heavy ones finish. */
static guint
cap_ms (double seconds)
{
  return MAX (15000, scaled_ms (seconds));
}

static gboolean
wanted (const char *scenario)
{
  return only == NULL || g_strv_contains ((const char * const *) only, scenario);
}

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
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef gboolean (*Predicate) (gpointer data);

/* Runs the main loop until @pred holds or @timeout_ms passed; looks every
 * POLL_MS, and at once after any event. Returns whether @pred held. */
static gboolean
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

typedef struct
{
  char    *name;
  double   stall_ms;
  char    *stall_culprit;
  guint    n_frames;
  double   p50_ms, p99_ms;      /* frame intervals, < 0: not measured */
  guint    n_dropped;
  double   max_gap_ms;          /* the longest frame interval */
  double   work_p99_ms;         /* before-paint → after-paint */
  double   layout_p99_ms;       /* before-paint → end of the layout phase */
  double   paint_p99_ms;        /* end of the layout phase → after-paint */
  double   work_cpu_p99_ms;     /* the same three on the main thread's CPU clock */
  double   layout_cpu_p99_ms;
  double   paint_cpu_p99_ms;
  double   seconds;             /* wall time measured */
  double   cpu_percent;
  double   children_cpu_percent;
  double   runq_wait_ms;        /* the main thread's wait for a core */
  double   load_average;        /* of the machine, over the last minute */
  gboolean idle;
  char    *notes;
} Row;

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->name);
  g_free (row->stall_culprit);
  g_free (row->notes);
  g_free (row);
}

typedef struct
{
  AdApplication *app;
  AdWindow      *window;
  GdkFrameClock *clock;
  AdLoopMonitor *monitor;
  GPtrArray     *rows;          /* Row */
  const char    *renderer;

  /* Start-up */
  gint64         t0;            /* exec of the process (or main()) */
  gint64         first_paint;
  gint64         last_paint;    /* any after-paint, recording or not */

  /* The frame recorder */
  gboolean       recording;
  gboolean       forced;
  gint64         before_paint;
  gint64         layout_done;
  gint64         before_paint_cpu;
  gint64         layout_done_cpu;
  gint64         last_after_paint;
  GArray        *intervals;     /* gint64 µs */
  GArray        *frames;        /* Frame */

  /* The current measure */
  gint64         wall_start;
  gint64         cpu_start;
  gint64         children_start;
  gint64         runq_wait_start;
} Bench;

static Bench bench;

typedef struct
{
  gint64 start;       /* before-paint */
  gint64 layout_done; /* our "layout" handler runs after GTK's */
  gint64 end;         /* after-paint */
  gint64 cpu_start;   /* the same on the main thread's CPU clock */
  gint64 cpu_layout_done;
  gint64 cpu_end;
} Frame;

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

static gint64
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

static void
before_paint_cb (GdkFrameClock *clock,
                 Bench         *b)
{
  b->before_paint = g_get_monotonic_time ();
  b->before_paint_cpu = thread_cpu_us ();
}

static void
layout_cb (GdkFrameClock *clock,
           Bench         *b)
{
  b->layout_done = g_get_monotonic_time ();
  b->layout_done_cpu = thread_cpu_us ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *b)
{
  gint64 now = g_get_monotonic_time ();

  if (b->first_paint == 0)
    b->first_paint = now;
  b->last_paint = now;

  if (!b->recording)
    return;

  if (b->last_after_paint != 0)
    {
      gint64 interval = now - b->last_after_paint;

      g_array_append_val (b->intervals, interval);
    }
  if (b->before_paint != 0)
    {
      gint64 cpu = thread_cpu_us ();
      Frame frame = { b->before_paint, MAX (b->layout_done, b->before_paint), now,
                      b->before_paint_cpu, MAX (b->layout_done_cpu, b->before_paint_cpu), cpu };

      g_array_append_val (b->frames, frame);
    }
  b->last_after_paint = now;
}

static void
measure_begin (gboolean forced_frames)
{
  if (g_getenv ("BENCH_WINDOW_VERBOSE") != NULL)
    g_printerr ("bench-window: measuring from %.1f s\n", (g_get_monotonic_time () - bench.t0) / 1e6);
  ad_loop_monitor_reset (bench.monitor);
  if (!ad_loop_monitor_get_running (bench.monitor))
    ad_loop_monitor_start (bench.monitor);

  g_array_set_size (bench.intervals, 0);
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

static Row *
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
  for (guint i = 0; i < bench.intervals->len; i++)
    if (g_array_index (bench.intervals, gint64, i) * 2 > refresh * 3)
      row->n_dropped++;
  row->max_gap_ms = bench.forced ? percentile_ms (bench.intervals, 1.0) : -1;
  row->p50_ms = bench.forced ? percentile_ms (bench.intervals, 0.50) : -1;
  row->p99_ms = bench.forced ? percentile_ms (bench.intervals, 0.99) : -1;
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

static gboolean
window_mapped (gpointer data)
{
  return bench.window != NULL && gtk_widget_get_mapped (GTK_WIDGET (bench.window));
}

static gboolean
window_painted (gpointer data)
{
  return bench.first_paint != 0;
}

static void
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

static GtkWidget *
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

static GtkWidget *
find_button (GtkWidget  *root,
             const char *action)
{
  GtkWidget *button = ad_gui_test_find_button (root, action);

  if (button == NULL)
    g_error ("no button for %s", action);

  return button;
}

/* A click on the button of @action, as the user would. */
static void
click (GtkWidget  *root,
       const char *action)
{
  GtkWidget *button = find_button (root, action);

  if (!gtk_widget_is_sensitive (button))
    g_printerr ("bench-window: clicking %s, which is insensitive\n", action);
  g_signal_emit_by_name (button, "clicked");
}

/* ---- (0) the instruments themselves ----------------------------------------- */

static gboolean
block_cb (gpointer data)
{
  g_usleep (100 * G_TIME_SPAN_MILLISECOND);

  return G_SOURCE_REMOVE;
}

/* One second with one 100 ms block of the main loop: the row must show a
 * stall of about 100 ms and at least one dropped frame, or the figures
 * below mean nothing. */
static void
scenario_self_check (void)
{
  Row *row;

  measure_begin (TRUE);
  run_for (300);
  ad_timeout_add_named (G_PRIORITY_DEFAULT, 1, "[bench-window] self-check block", block_cb, NULL,
                        NULL);
  run_for (700);
  row = measure_end ("self-check", NULL);
  row->notes = g_strdup_printf ("one 100 ms block of the loop: %s",
                                row->stall_ms >= 90 && row->p99_ms >= 90 && row->n_dropped >= 1
                                ? "seen" : "NOT SEEN: the instruments are broken");
  /* The watchdog names the traced culprit; the table prints it. */
}

/* ---- (1) and (2): the Compute page ---------------------------------------- */

static const char *
worker_binary (void)
{
  const char *path = g_getenv ("ASYNC_DEMO_BINARY");

  return path != NULL ? path : ASYNC_DEMO_BUILD_BINARY;
}

static gboolean
compute_stopped (gpointer page)
{
  return !ad_compute_page_get_running (page);
}

typedef struct
{
  AdComputePage *page;
  guint          n_tiles;
} TileWait;

static gboolean
compute_tiles_shown (gpointer data)
{
  TileWait *wait = data;

  return ad_mandelbrot_view_get_n_tiles (ad_compute_page_get_mandelbrot_view (wait->page)) >=
         wait->n_tiles || !ad_compute_page_get_running (wait->page);
}

/* A full render, then the same render again, cancelled half-way through:
 * when half its tiles are on screen, or at the first one's time. */
static void
scenario_mandelbrot (void)
{
  AdComputePage *page = AD_COMPUTE_PAGE (show_page ("compute"));
  AdMandelbrotView *view = ad_compute_page_get_mandelbrot_view (page);
  gint64 started, render_us, cancelled, stopped;
  guint n_tiles, tiles_at_cancel;
  gboolean finished;

  ad_compute_page_set_worker_binary (page, worker_binary ());
  ad_compute_page_set_workload (page, AD_COMPUTE_WORKLOAD_MANDELBROT);
  ad_compute_page_set_max_iter (page, 5000);
  ad_compute_page_set_image_size (page, 0, 0);  /* the view's size on screen */
  ad_compute_page_set_workers (page, AD_COMPUTE_BACKEND_THREADS, ad_compute_max_workers ());
  run_for (200);

  measure_begin (TRUE);
  started = g_get_monotonic_time ();
  click (GTK_WIDGET (page), "compute.run");
  finished = run_until (compute_stopped, page, cap_ms (30));
  render_us = g_get_monotonic_time () - started;
  if (!finished)
    {
      click (GTK_WIDGET (page), "compute.cancel");
      run_until (compute_stopped, page, 10000);
    }
  run_for (300);  /* the result on screen */
  n_tiles = ad_mandelbrot_view_get_n_tiles (view);
  measure_end ("mandelbrot 5000 it.",
               g_strdup_printf ("%u×%u px, %u threads; %s in %.2f s; %u tiles shown",
                                ad_mandelbrot_view_get_image_width (view),
                                ad_mandelbrot_view_get_image_height (view),
                                ad_compute_max_workers (),
                                finished ? "rendered" : "CANCELLED (time cap)", render_us / 1e6,
                                n_tiles));

  measure_begin (TRUE);
  started = g_get_monotonic_time ();
  click (GTK_WIDGET (page), "compute.run");
  run_until (compute_tiles_shown, &(TileWait) { page, MAX (n_tiles / 2, 1) },
             (guint) MAX (render_us / 1000, 1));
  tiles_at_cancel = ad_mandelbrot_view_get_n_tiles (view);
  finished = !ad_compute_page_get_running (page);
  cancelled = g_get_monotonic_time ();
  if (!finished)
    click (GTK_WIDGET (page), "compute.cancel");
  run_until (compute_stopped, page, 10000);
  stopped = g_get_monotonic_time ();
  run_for (300);
  measure_end ("mandelbrot cancel",
               finished ? g_strdup_printf ("finished before the cancel, in %.2f s",
                                           (stopped - started) / 1e6)
                        : g_strdup_printf ("cancelled after %.2f s with %u of %u tiles shown; "
                                           "stopped %.0f ms later (notify::running)",
                                           (cancelled - started) / 1e6, tiles_at_cancel, n_tiles,
                                           (stopped - cancelled) / 1e3));
}

static void
scenario_speedup (void)
{
  AdComputePage *page = AD_COMPUTE_PAGE (show_page ("compute"));
  guint max_iter = 5000;
  gint64 started;
  gboolean finished;

  ad_compute_page_set_worker_binary (page, worker_binary ());
  ad_compute_page_set_workload (page, AD_COMPUTE_WORKLOAD_MANDELBROT);
  ad_compute_page_set_max_iter (page, max_iter);
  ad_compute_page_set_image_size (page, 0, 0);
  run_for (200);

  measure_begin (TRUE);
  started = g_get_monotonic_time ();
  click (GTK_WIDGET (page), "compute.speedup");
  finished = run_until (compute_stopped, page, cap_ms (30));
  if (!finished)
    {
      click (GTK_WIDGET (page), "compute.cancel");
      run_until (compute_stopped, page, 10000);
    }
  run_for (300);
  measure_end ("speed-up run",
               g_strdup_printf ("mandelbrot %u it., 1…%u threads + %u processes; %s after "
                                "%.1f s; %s",
                                max_iter, ad_compute_max_workers (), ad_compute_max_workers (),
                                finished ? "done" : "CANCELLED (time cap)",
                                (g_get_monotonic_time () - started) / 1e6,
                                ad_compute_page_get_result_text (page)));
}

/* ---- (3) the Crawler page -------------------------------------------------- */

static gboolean
crawler_stopped (gpointer page)
{
  return !ad_crawler_page_get_running (page);
}

static void
scenario_crawl (void)
{
  AdCrawlerPage *page = AD_CRAWLER_PAGE (show_page ("crawler"));
  AdCrawler *crawler = ad_crawler_page_get_crawler (page);
  GtkWidget *samples = ad_gui_test_find_named (GTK_WIDGET (page), "sample-choice");
  guint max_pages = 0;
  gint64 started;
  gboolean finished;

  g_assert (samples != NULL);
  /* The 10,000-page sample: choosing it puts its start URL in the entry. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (samples), 1);
  run_for (300);

  measure_begin (TRUE);
  started = g_get_monotonic_time ();
  click (GTK_WIDGET (page), "crawler.start");
  g_object_get (crawler, "max-pages", &max_pages, NULL);
  finished = run_until (crawler_stopped, page, cap_ms (45));
  if (!finished)
    {
      click (GTK_WIDGET (page), "crawler.cancel");
      run_until (crawler_stopped, page, 10000);
    }
  run_for (300);
  measure_end ("crawl 10k pages",
               g_strdup_printf ("%u pages (max %u) in %.1f s%s; %s", ad_crawler_get_done (crawler),
                                max_pages, (g_get_monotonic_time () - started) / 1e6,
                                finished ? "" : ", CANCELLED (time cap)",
                                ad_crawler_page_get_status (page)));
}

/* ---- (4) the Chat page ------------------------------------------------------ */

#define CHAT_CLIENTS     100u
#define CHAT_RATE        1000   /* lines a second, all clients together */
#define CHAT_LINE_BYTES  64

typedef struct
{
  guint16        port;
  int            fds[CHAT_CLIENTS];
  gboolean       at_line_start[CHAT_CLIENTS];
  gint           connected;     /* atomic */
  gint           stop;          /* atomic: 1 start sending, 2 stop */
  gint           finished;      /* atomic: the thread closed its sockets */
  guint64        sent;
  guint64        received;      /* lines */
  guint64        errors;        /* "!!! " lines: rate limit, errors */
  guint64        unsent;        /* lines a full socket buffer refused */
  guint64        closed;
  char          *error;
} ChatLoad;

static void
chat_read (ChatLoad *load,
           guint     i)
{
  char buffer[65536];

  while (g_atomic_int_get (&load->stop) < 2)
    {
      ssize_t n = recv (load->fds[i], buffer, sizeof buffer, 0);

      if (n == 0)
        {
          load->closed++;  /* the server closed it */
          close (load->fds[i]);
          load->fds[i] = -1;
          return;
        }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
      if (n < 0)
        {
          load->closed++;  /* reset by the server */
          close (load->fds[i]);
          load->fds[i] = -1;
          return;
        }

      for (ssize_t j = 0; j < n; j++)
        {
          if (load->at_line_start[i] && buffer[j] == '!')
            load->errors++;
          load->at_line_start[i] = buffer[j] == '\n';
          if (buffer[j] == '\n')
            load->received++;
        }
    }
}

/* The helper thread: connects, then, once told, sends CHAT_RATE lines a
 * second round-robin over the clients and reads everything they get. */
static gpointer
chat_thread (gpointer data)
{
  ChatLoad *load = data;
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (load->port) };
  struct pollfd pfds[CHAT_CLIENTS];
  char line[CHAT_LINE_BYTES + 1];
  gint64 start = 0;
  guint next = 0;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  for (guint i = 0; i < CHAT_CLIENTS; i++)
    {
      int one = 1;

      load->fds[i] = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (load->fds[i] < 0 || connect (load->fds[i], (struct sockaddr *) &addr, sizeof addr) < 0)
        {
          load->error = g_strdup_printf ("connect: %s", g_strerror (errno));
          if (load->fds[i] >= 0)
            close (load->fds[i]);
          for (guint j = 0; j < i; j++)
            close (load->fds[j]);
          g_atomic_int_set (&load->finished, 1);
          return NULL;
        }
      setsockopt (load->fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      fcntl (load->fds[i], F_SETFL, fcntl (load->fds[i], F_GETFL) | O_NONBLOCK);
      load->at_line_start[i] = TRUE;
      g_atomic_int_inc (&load->connected);
    }

  while (g_atomic_int_get (&load->stop) < 2)
    {
      gint64 now = g_get_monotonic_time ();
      int timeout = 100;

      if (g_atomic_int_get (&load->stop) == 1)
        {
          gint64 due;

          if (start == 0)
            start = now;
          due = (now - start) * CHAT_RATE / G_USEC_PER_SEC;
          while ((gint64) load->sent < due)
            {
              guint i = next++ % CHAT_CLIENTS;
              int len;

              if (load->fds[i] < 0)
                continue;
              len = g_snprintf (line, sizeof line, "m %u %" G_GUINT64_FORMAT " ", i, load->sent);
              memset (line + len, 'x', CHAT_LINE_BYTES - 1 - len);
              line[CHAT_LINE_BYTES - 1] = '\n';
              /* A full socket buffer drops the line: the server is behind. */
              if (send (load->fds[i], line, CHAT_LINE_BYTES, MSG_NOSIGNAL) != CHAT_LINE_BYTES)
                load->unsent++;
              load->sent++;
            }
          timeout = 1;
        }

      for (guint i = 0; i < CHAT_CLIENTS; i++)
        {
          pfds[i].fd = load->fds[i];
          pfds[i].events = POLLIN;
          pfds[i].revents = 0;
        }
      if (poll (pfds, CHAT_CLIENTS, timeout) > 0)
        for (guint i = 0; i < CHAT_CLIENTS; i++)
          if (pfds[i].revents != 0 && load->fds[i] >= 0)
            chat_read (load, i);
    }

  for (guint i = 0; i < CHAT_CLIENTS; i++)
    if (load->fds[i] >= 0)
      close (load->fds[i]);
  g_atomic_int_set (&load->finished, 1);

  return NULL;
}

typedef struct
{
  AdChatServer *server;
  guint         n;
} ChatWait;

static gboolean
chat_has_clients (gpointer data)
{
  ChatWait *wait = data;

  return ad_chat_server_get_n_clients (wait->server) >= wait->n;
}

static gboolean
chat_empty (gpointer server)
{
  return ad_chat_server_get_n_clients (server) == 0;
}

static gboolean
chat_thread_finished (gpointer data)
{
  return g_atomic_int_get (&((ChatLoad *) data)->finished);
}

static gboolean
chat_start_sensitive (gpointer panel)
{
  return gtk_widget_is_sensitive (find_button (panel, "chat-server.start"));
}

/* Three rows: the clients join, they talk, they all leave at once. */
static void
scenario_chat (void)
{
  AdChatPage *page = AD_CHAT_PAGE (show_page ("chat"));
  AdChatServerPanel *panel = ad_chat_page_get_server_panel (page);
  AdChatServer *server = ad_chat_server_panel_get_server (panel);
  ChatLoad load = { 0 };
  ChatWait wait = { server, CHAT_CLIENTS };
  GThread *thread;
  gint64 started, elapsed;
  guint64 messages_before;
  gboolean ok;


  ad_chat_server_panel_set_port (panel, 0);
  click (GTK_WIDGET (panel), "chat-server.start");
  if (!ad_chat_server_get_running (server))
    {
      g_printerr ("bench-window: the chat server did not start: %s\n",
                  ad_chat_server_panel_get_error (panel));
      return;
    }
  load.port = ad_chat_server_get_port (server);

  measure_begin (TRUE);
  started = g_get_monotonic_time ();
  thread = g_thread_new ("bench-chat", chat_thread, &load);
  ok = run_until (chat_has_clients, &wait, 20000);
  elapsed = g_get_monotonic_time () - started;
  run_for (SETTLE_MS);
  measure_end ("chat 100 join",
               g_strdup_printf ("%u of %u clients in the room after %.2f s%s%s",
                                ad_chat_server_get_n_clients (server), CHAT_CLIENTS,
                                elapsed / 1e6, load.error ? "; " : "",
                                load.error ? load.error : ""));

  if (ok)
    {
      messages_before = ad_chat_server_get_n_messages (server);
      measure_begin (TRUE);
      started = g_get_monotonic_time ();
      g_atomic_int_set (&load.stop, 1);
      run_for (scaled_ms (5));
      elapsed = g_get_monotonic_time () - started;
      measure_end ("chat 1000 lines/s",
                   g_strdup_printf ("sent %.0f lines/s of %u bytes, server relayed %.0f/s, "
                                    "clients read %.0f lines/s; %" G_GUINT64_FORMAT " unsent, %"
                                    G_GUINT64_FORMAT " \"!!!\" lines, %" G_GUINT64_FORMAT
                                    " disconnected; server log of %u lines",
                                    load.sent / (elapsed / 1e6), CHAT_LINE_BYTES,
                                    (ad_chat_server_get_n_messages (server) - messages_before) /
                                    (elapsed / 1e6),
                                    load.received / (elapsed / 1e6), load.unsent, load.errors,
                                    load.closed,
                                    ad_log_model_get_capacity (ad_chat_server_panel_get_log (panel))));
    }

  /* All at once, without /quit: the sockets close. */
  measure_begin (TRUE);
  started = g_get_monotonic_time ();
  g_atomic_int_set (&load.stop, 2);
  run_until (chat_thread_finished, &load, 10000);
  g_thread_join (thread);
  ok = run_until (chat_empty, server, 20000);
  elapsed = g_get_monotonic_time () - started;
  run_for (300);
  measure_end ("chat 100 leave",
               g_strdup_printf ("%s after %.2f s", ok ? "room empty" : "clients LEFT OVER",
                                elapsed / 1e6));
  g_free (load.error);

  click (GTK_WIDGET (panel), "chat-server.stop");
  run_until (chat_start_sensitive, panel, 5000);
}

/* ---- (5) the Tasks page under 10,000 tasks a second ------------------------- */

#define TASKS_PER_SECOND 10000
#define TASKS_TICK_MS    10
#define TASKS_IO         70     /* per group: finished at the next tick */
#define TASKS_CPU        30     /* per group: run on GLib's pool threads */

typedef struct
{
  GPtrArray *open;               /* AdTask: the last groups and their I/O tasks */
  gint64     start;
  guint64    n_tasks;
  guint      n_groups;
  guint      n_threads_running;
  gboolean   stopping;
} TaskLoad;

static void
cpu_task_thread (GTask        *gtask,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AdTask *task = task_data;
  volatile guint64 x = 0;

  ad_task_start (task);
  for (guint i = 0; i < 20000; i++)
    x += i ^ (x >> 3);
  ad_task_finish (task, NULL);
  g_task_return_boolean (gtask, TRUE);
}

static void
cpu_task_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  TaskLoad *load = data;

  load->n_threads_running--;
}

static void
task_load_add_group (TaskLoad *load)
{
  AdTaskRegistry *registry = ad_task_registry_get_default ();
  g_autofree char *name = g_strdup_printf ("load %u", load->n_groups++);
  AdTask *group = ad_task_registry_create (registry, name, AD_TASK_KIND_GROUP, NULL, NULL);
  AdTask *previous;

  ad_task_start (group);
  previous = ad_task_push_current (group);
  for (guint i = 0; i < TASKS_IO; i++)
    {
      g_autofree char *io_name = g_strdup_printf ("GET /item/%u", i);
      AdTask *io = ad_task_registry_create (registry, io_name, AD_TASK_KIND_IO, group, NULL);

      ad_task_start (io);
      g_ptr_array_add (load->open, io);
    }
  for (guint i = 0; i < TASKS_CPU; i++)
    {
      g_autofree char *cpu_name = g_strdup_printf ("block %u", i);
      g_autoptr(GTask) gtask = g_task_new (NULL, NULL, cpu_task_done_cb, load);

      g_task_set_task_data (gtask,
                            ad_task_registry_create (registry, cpu_name, AD_TASK_KIND_CPU,
                                                     group, NULL),
                            g_object_unref);
      load->n_threads_running++;
      g_task_run_in_thread (gtask, cpu_task_thread);
    }
  ad_task_pop_current (previous);
  g_ptr_array_add (load->open, group);
  load->n_tasks += 1 + TASKS_IO + TASKS_CPU;
}

/* Ends what the last tick opened, then opens as many groups as the rate
 * asks for since the start: a late tick catches up. */
static gboolean
task_load_tick (gpointer data)
{
  TaskLoad *load = data;
  gint64 due;

  for (guint i = 0; i < load->open->len; i++)
    ad_task_finish (g_ptr_array_index (load->open, i), NULL);
  g_ptr_array_set_size (load->open, 0);
  if (load->stopping)
    return G_SOURCE_REMOVE;

  due = (g_get_monotonic_time () - load->start) * TASKS_PER_SECOND / G_USEC_PER_SEC;
  while ((gint64) load->n_tasks < due)
    task_load_add_group (load);

  return G_SOURCE_CONTINUE;
}

static gboolean
task_threads_done (gpointer data)
{
  return ((TaskLoad *) data)->n_threads_running == 0;
}

static void
scenario_tasks (void)
{
  AdTasksPage *page = AD_TASKS_PAGE (show_page ("tasks"));
  TaskLoad load = { 0 };
  gint64 elapsed;
  guint tick;

  load.open = g_ptr_array_new_with_free_func (g_object_unref);

  measure_begin (TRUE);
  load.start = g_get_monotonic_time ();
  tick = g_timeout_add (TASKS_TICK_MS, task_load_tick, &load);
  run_for (scaled_ms (5));
  elapsed = g_get_monotonic_time () - load.start;
  load.stopping = TRUE;
  g_source_remove (tick);
  task_load_tick (&load);
  run_until (task_threads_done, &load, 10000);
  run_for (300);
  measure_end ("tasks 10k/s",
               g_strdup_printf ("%.0f tasks/s registered; %s", load.n_tasks / (elapsed / 1e6),
                                ad_tasks_page_get_counts_text (page)));
  g_ptr_array_unref (load.open);
}

/* ---- (6) idle --------------------------------------------------------------- */

static void
scenario_idle (const char *page_name)
{
  g_autofree char *name = g_strdup_printf ("idle %s", page_name);
  guint half = scaled_ms (idle_seconds / 2);
  gint64 wall_start, cpu_start;
  double cpu_with_monitor;
  Row *row;

  show_page (page_name);

  /* First half: CPU alone, no heartbeat of ours. */
  ad_loop_monitor_stop (bench.monitor);
  bench.wall_start = wall_start = g_get_monotonic_time ();
  bench.cpu_start = cpu_start = cpu_us (RUSAGE_SELF);
  bench.children_start = cpu_us (RUSAGE_CHILDREN);
  run_for (half);
  {
    gint64 wall = g_get_monotonic_time () - wall_start;
    double cpu = 100.0 * (cpu_us (RUSAGE_SELF) - cpu_start) / wall;

    /* Second half: the stall monitor and the frames (not forced). */
    measure_begin (FALSE);
    run_for (half);
    cpu_with_monitor = 100.0 * (cpu_us (RUSAGE_SELF) - bench.cpu_start) /
                       (g_get_monotonic_time () - bench.wall_start);
    row = measure_end (name, NULL);
    row->idle = TRUE;
    row->cpu_percent = cpu;
    row->notes = g_strdup_printf ("CPU of the first %.1f s, stall monitor off (on: %.2f %%); %u "
                                  "frames drawn", half / 1000.0, cpu_with_monitor, row->n_frames);
  }
}

/* ---- the table --------------------------------------------------------------- */

static char *
format_ms (double ms)
{
  return ms < 0 ? g_strdup ("—") : g_strdup_printf ("%.1f", ms);
}

static void
print_table (void)
{
  g_print ("\n%-20s | %8s %5s | %6s %6s %5s | %7s | %9s | %6s %5s | %s\n",
           "scenario", "stall ms", "goal", "p50 ms", "p99 ms", "goal", "dropped", "work p99",
           "CPU %", "goal", "notes");
  g_print ("%s\n", "---------------------+----------------+---------------------+---------+"
                   "-----------+--------------+------");
  for (guint i = 0; i < bench.rows->len; i++)
    {
      Row *row = g_ptr_array_index (bench.rows, i);
      g_autofree char *p50 = format_ms (row->p50_ms);
      g_autofree char *p99 = format_ms (row->p99_ms);
      g_autofree char *work = format_ms (row->work_p99_ms);
      g_autofree char *dropped = row->p99_ms < 0 ? g_strdup ("—")
                                                 : g_strdup_printf ("%u", row->n_dropped);
      g_autofree char *cpu = g_strdup_printf ("%.1f", row->cpu_percent);

      if (row->idle)
        {
          g_free (cpu);
          cpu = g_strdup_printf ("%.2f", row->cpu_percent);
        }
      g_print ("%-20s | %8.1f %5s | %6s %6s %5s | %7s | %9s | %6s %5s | %.1f s; %s",
               row->name, row->stall_ms, "<=16", p50, p99, row->p99_ms < 0 ? "" : "<=17",
               dropped, work, cpu, row->idle ? "<=1" : "", row->seconds,
               row->notes ? row->notes : "");
      if (row->max_gap_ms > 100 && row->max_gap_ms > 2 * row->stall_ms)
        g_print ("; FRAMES STARVED: no frame for %.0f ms while the loop never stalled over %.0f ms",
                 row->max_gap_ms, row->stall_ms);
      if (row->work_p99_ms > GOAL_FRAME_MS)
        g_print ("; frame work p99: layout %.0f ms, paint %.0f ms", row->layout_p99_ms,
                 row->paint_p99_ms);
      /* Wall time of a frame counts the waits for a core; its CPU time not. */
      if (row->n_frames > 0)
        g_print ("; frame work p99 on the CPU %.1f ms (layout %.1f, paint %.1f)",
                 row->work_cpu_p99_ms, row->layout_cpu_p99_ms, row->paint_cpu_p99_ms);
      if (row->children_cpu_percent >= 0.05)
        g_print ("; worker processes %.0f %% CPU", row->children_cpu_percent);
      if (row->runq_wait_ms > 10 * row->seconds)
        g_print ("; run-queue wait of the main thread %.0f ms (%.0f %% of the time), load %.1f",
                 row->runq_wait_ms, row->runq_wait_ms / (10 * row->seconds), row->load_average);
      if (row->stall_culprit != NULL)
        g_print ("; worst stall in %s", row->stall_culprit);
      g_print ("\n");
    }
}

/* ---- main ---------------------------------------------------------------------- */

static int
run_child (int   argc,
           char *argv[])
{
  const char *t0 = g_getenv ("BENCH_WINDOW_T0");
  GskRenderer *renderer;
  gint64 mapped;

  bench.t0 = t0 != NULL ? g_ascii_strtoll (t0, NULL, 10) : g_get_monotonic_time ();

  setlocale (LC_ALL, "");
  ad_core_init ();
  bindtextdomain (GETTEXT_PACKAGE, AD_TEST_LOCALEDIR);
  textdomain (GETTEXT_PACKAGE);
  ad_test_keep_glib_quark_block ();  /* not a leak, under LeakSanitizer */

  ad_application_prepare_environment ();  /* as main() does */
  if (!gtk_init_check ())
    {
      g_printerr ("bench-window: needs a display (build-aux/with-display.sh)\n");
      return 0;
    }

  bench.rows = g_ptr_array_new_with_free_func (row_free);
  bench.intervals = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  bench.monitor = ad_loop_monitor_new (NULL);
  ad_loop_monitor_set_stall_threshold (bench.monitor, (guint) GOAL_STALL_MS);

  /* The app as the GUI tests make it: registered, held, no D-Bus name. */
  bench.app = g_object_new (AD_TYPE_APPLICATION,
                            "application-id", APP_ID,
                            "flags", G_APPLICATION_NON_UNIQUE,
                            "resource-base-path", RESOURCE_BASE,
                            NULL);
  g_signal_connect (bench.app, "window-added", G_CALLBACK (window_added_cb), NULL);
  g_application_register (G_APPLICATION (bench.app), NULL, NULL);
  g_application_hold (G_APPLICATION (bench.app));
  g_application_activate (G_APPLICATION (bench.app));
  g_assert (bench.window != NULL);

  bench.clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench.window));
  g_assert (bench.clock != NULL);
  g_signal_connect (bench.clock, "before-paint", G_CALLBACK (before_paint_cb), &bench);
  g_signal_connect (bench.clock, "layout", G_CALLBACK (layout_cb), &bench);
  g_signal_connect (bench.clock, "after-paint", G_CALLBACK (after_paint_cb), &bench);
  run_until (window_mapped, NULL, 10000);
  mapped = g_get_monotonic_time ();
  run_until (window_painted, NULL, 10000);

  renderer = gtk_native_get_renderer (GTK_NATIVE (bench.window));
  g_print ("renderer %s, window %d×%d, %u workers\n",
           renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none",
           gtk_widget_get_width (GTK_WIDGET (bench.window)),
           gtk_widget_get_height (GTK_WIDGET (bench.window)), ad_compute_max_workers ());
  g_print ("start-up: %.0f ms from exec to the first frame (goal ≤ %.0f ms); mapped after %.0f "
           "ms\n",
           (bench.first_paint - bench.t0) / 1e3, GOAL_STARTUP_MS, (mapped - bench.t0) / 1e3);
  run_for (SETTLE_MS);

  scenario_self_check ();
  if (wanted ("mandelbrot"))
    scenario_mandelbrot ();
  if (wanted ("speedup"))
    scenario_speedup ();
  if (wanted ("crawl"))
    scenario_crawl ();
  if (wanted ("chat"))
    scenario_chat ();
  if (wanted ("tasks"))
    scenario_tasks ();
  if (wanted ("idle"))
    {
      static const char *pages[] = { "basics", "crawler", "compute", "chat", "tasks" };

      for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
        scenario_idle (pages[i]);
    }

  print_table ();

  ad_loop_monitor_stop (bench.monitor);
  g_signal_handlers_disconnect_by_data (bench.clock, &bench);
  gtk_window_destroy (GTK_WINDOW (bench.window));
  run_for (100);
  g_application_release (G_APPLICATION (bench.app));
  g_clear_object (&bench.app);
  g_clear_object (&bench.monitor);
  g_ptr_array_unref (bench.rows);
  g_array_unref (bench.intervals);
  g_array_unref (bench.frames);

  return 0;
}

/* Runs this program again for each renderer, with the time of the spawn
 * for the start-up figure. */
static int
run_parent (const char *self_path)
{
  const char *renderers = g_getenv ("BENCH_WINDOW_RENDERERS");
  g_auto(GStrv) list = g_strsplit (renderers ? renderers : "cairo,default", ",", -1);
  int status = 0;

  g_print ("bench-window: scale %.2f, idle %.1f s a page; goals: stall ≤ %.0f ms, p99 frame "
           "interval ≤ %.0f ms, idle CPU ≤ %.0f %%, start-up ≤ %.0f ms\n",
           scale, idle_seconds * scale, GOAL_STALL_MS, GOAL_FRAME_MS, GOAL_IDLE_CPU,
           GOAL_STARTUP_MS);

  for (guint i = 0; list[i] != NULL; i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *t0 = NULL;

      if (g_str_equal (list[i], "default"))
        g_subprocess_launcher_unsetenv (launcher, "GSK_RENDERER");
      else
        g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", list[i], TRUE);
      g_subprocess_launcher_setenv (launcher, "BENCH_WINDOW_CHILD", "1", TRUE);
      g_print ("\n=== GSK_RENDERER=%s ===\n", g_str_equal (list[i], "default") ? "(default)"
                                                                              : list[i]);
      fflush (stdout);  /* before the child's lines, also into a pipe */
      t0 = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
      g_subprocess_launcher_setenv (launcher, "BENCH_WINDOW_T0", t0, TRUE);
      child = g_subprocess_launcher_spawn (launcher, &error, self_path, NULL);
      if (child == NULL || !g_subprocess_wait (child, NULL, &error))
        {
          g_printerr ("bench-window: %s\n", error->message);
          return 1;
        }
      if (!g_subprocess_get_successful (child))
        {
          g_printerr ("bench-window: the %s run failed\n", list[i]);
          status = 1;
        }
    }

  return status;
}

int
main (int   argc,
      char *argv[])
{
  const char *value;
  g_autofree char *self_path = NULL;

  if ((value = g_getenv ("BENCH_WINDOW_SCALE")) != NULL)
    scale = MAX (0.01, g_ascii_strtod (value, NULL));
  if ((value = g_getenv ("BENCH_WINDOW_IDLE")) != NULL)
    idle_seconds = MAX (0.2, g_ascii_strtod (value, NULL));
  if ((value = g_getenv ("BENCH_WINDOW_ONLY")) != NULL)
    only = g_strsplit (value, ",", -1);

  setlocale (LC_ALL, "");
  if (g_getenv ("BENCH_WINDOW_CHILD") != NULL)
    return run_child (argc, argv);

  self_path = g_file_read_link ("/proc/self/exe", NULL);

  return run_parent (self_path != NULL ? self_path : argv[0]);
}
