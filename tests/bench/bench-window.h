/* bench-window.h: what the parts of bench-window share
 *
 * bench-window.c has the settings, the table and main();
 * bench-window-measure.c waits on the main loop, measures a row and shows
 * the window's pages; bench-window-scenarios.c drives each page's
 * scenario. What a row records and why: the header of bench-window.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-application.h"
#include "ad-core.h"
#include "ad-window.h"

#define GOAL_STALL_MS    16.0
#define GOAL_FRAME_MS    17.0
#define GOAL_IDLE_CPU    1.0
#define GOAL_STARTUP_MS  250.0

#define POLL_MS          50      /* how often a wait for a condition looks */
#define SETTLE_MS        500     /* after a page switch: transition, first layout */
#define QUIET_MS         500     /* then no frame for that long, if it comes */

/* ---- settings (bench-window.c) ---------------------------------------------- */

extern double idle_seconds;

guint      scaled_ms           (double          seconds);
/* A bound on a run that should end on its own: scaled, but never below
 * 15 s, so that a quick run still lets the heavy ones finish. */
guint      cap_ms              (double          seconds);

/* ---- waiting on the main loop (bench-window-measure.c) ----------------------- */

typedef gboolean (*Predicate) (gpointer data);

/* Runs the main loop for @ms, with one timer: nothing else wakes it. */
void       run_for             (guint           ms);
/* Runs the main loop until @pred holds or @timeout_ms passed; looks every
 * POLL_MS, and at once after any event. Returns whether @pred held. */
gboolean   run_until           (Predicate       pred,
                                gpointer        data,
                                guint           timeout_ms);

/* ---- measuring (bench-window-measure.c) ------------------------------------- */

typedef struct
{
  char    *name;
  double   stall_ms;
  char    *stall_culprit;
  guint    n_frames;
  double   p50_ms, p99_ms;      /* frame intervals, < 0: not measured */
  guint    n_dropped;
  double   max_gap_ms;          /* the longest frame interval */
  double   clock_p99_ms;        /* p99 of the frame clock's own frame-time steps */
  guint    n_late;              /* frames painted over a refresh interval after they were due */
  double   late_p99_ms;         /* p99 of frame time (due) → after-paint */
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
  gint64         last_frame_time;
  GArray        *clock_intervals; /* gint64 µs, frame time to frame time */
  GArray        *frames;        /* Frame */

  /* The current measure */
  gint64         wall_start;
  gint64         cpu_start;
  gint64         children_start;
  gint64         runq_wait_start;
} Bench;

extern Bench bench;

typedef struct
{
  gint64 start;       /* before-paint */
  gint64 layout_done; /* our "layout" handler runs after GTK's */
  gint64 end;         /* after-paint */
  gint64 cpu_start;   /* the same on the main thread's CPU clock */
  gint64 cpu_layout_done;
  gint64 cpu_end;
  gint64 due;         /* the frame clock's frame time: when the frame was due */
} Frame;

void       row_free            (gpointer        data);
gint64     cpu_us              (int             who);
void       before_paint_cb     (GdkFrameClock  *clock,
                                Bench          *b);
void       layout_cb           (GdkFrameClock  *clock,
                                Bench          *b);
void       after_paint_cb      (GdkFrameClock  *clock,
                                Bench          *b);
void       measure_begin       (gboolean        forced_frames);
/* Ends the measure and adds its row to bench.rows (which owns it and @notes). */
Row       *measure_end         (const char     *name,
                                char           *notes);

/* ---- the window (bench-window-measure.c) ------------------------------------ */

gboolean   window_mapped       (gpointer        data);
gboolean   window_painted      (gpointer        data);
void       window_added_cb     (GtkApplication *app,
                                GtkWindow      *window,
                                gpointer        data);
GtkWidget *show_page           (const char     *name);
GtkWidget *find_button         (GtkWidget      *root,
                                const char     *action);
/* A click on the button of @action, as the user would. */
void       click               (GtkWidget      *root,
                                const char     *action);

/* ---- the scenarios (bench-window-scenarios.c) ------------------------------- */

void       scenario_self_check (void);
void       scenario_mandelbrot (void);
void       scenario_speedup    (void);
void       scenario_crawl      (void);
void       scenario_chat       (void);
void       scenario_tasks      (void);
void       scenario_idle       (const char     *page_name);
