/* ad-trace.h: a timeline of lanes and slices, built from task events
 *
 * An AdTrace turns the raw events of an AdTraceRecorder (or an imported
 * Trace Event file) into what a timeline draws:
 *
 *  - lanes: the main loop, each worker thread, each worker process;
 *  - run slices: a task's code ran on a lane from start to end. They come
 *    from ad_task_push_current()/pop_current() (entered/left events) on any
 *    thread, and from a CPU task started and finished on the same worker
 *    thread (a compute chunk occupies its thread from start to finish). A
 *    worker process task is a slice on its own lane from start to finish.
 *    Slices nest (a start function that starts a sub-task): @depth;
 *  - instants: a task started or finished on a lane outside any slice of
 *    its own (a timer firing, a fetch completing).
 *
 * Concurrency then reads as slices interleaved on the main lane, and
 * parallelism as slices stacked across lanes at the same time.
 *
 * The trace keeps at most #AdTrace:max-slices closed slices (and instants):
 * the oldest go first and are counted. Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-trace-recorder.h"

G_BEGIN_DECLS

#define AD_TRACE_DEFAULT_MAX_SLICES 100000
#define AD_TRACE_MAX_LANES          64

typedef enum
{
  AD_TRACE_LANE_MAIN,
  AD_TRACE_LANE_THREAD,
  AD_TRACE_LANE_PROCESS,
} AdTraceLaneKind;

typedef struct
{
  char            *name;       /* "main", "pool-async-demo #2", "worker 4711" */
  AdTraceLaneKind  kind;
  guint32          pid;        /* for export: 1 for threads of this process */
  guint32          tid;
} AdTraceLane;

typedef enum
{
  AD_TRACE_SLICE_RUN,
  AD_TRACE_SLICE_INSTANT,
} AdTraceSliceType;

/**
 * AdTraceSlice:
 * @start_us: when it began (monotonic µs; imported traces: their own clock)
 * @end_us: when it ended (== @start_us for an instant)
 * @task_id: the task
 * @parent_id: its parent, or 0
 * @lane: index of its lane
 * @type: an #AdTraceSliceType
 * @kind: the task's #AdTaskKind
 * @state: the task's #AdTaskState at the end (for an instant: after it)
 * @depth: nesting depth on its lane (0 = outermost)
 * @open: still running (its end is the trace's current end)
 * @origin: how it was recorded (internal)
 * @name: the task's name (possibly truncated)
 */
typedef struct
{
  gint64   start_us;
  gint64   end_us;
  guint64  task_id;
  guint64  parent_id;
  guint16  lane;
  guint8   type;
  guint8   kind;
  guint8   state;
  guint8   depth;
  guint8   open;
  guint8   origin;
  char     name[AD_TRACE_NAME_SIZE];
} AdTraceSlice;

#define AD_TYPE_TRACE (ad_trace_get_type ())
G_DECLARE_FINAL_TYPE (AdTrace, ad_trace, AD, TRACE, GObject)

AdTrace            *ad_trace_new              (guint               max_slices);

/* Filling it */
AdTrace            *ad_trace_copy             (AdTrace            *self);
void                ad_trace_ingest           (AdTrace            *self,
                                               const AdTraceEvent *events,
                                               guint               n_events);
guint               ad_trace_pull             (AdTrace            *self,
                                               AdTraceRecorder    *recorder);
void                ad_trace_advance          (AdTrace            *self,
                                               gint64              now_us);
guint               ad_trace_add_lane         (AdTrace            *self,
                                               const char         *name,
                                               AdTraceLaneKind     kind,
                                               guint32             pid,
                                               guint32             tid);
void                ad_trace_add_slice        (AdTrace            *self,
                                               const AdTraceSlice *slice);

/* Reading it */
guint               ad_trace_get_n_lanes      (AdTrace            *self);
const AdTraceLane  *ad_trace_get_lane         (AdTrace            *self,
                                               guint               index);
guint               ad_trace_get_n_slices     (AdTrace            *self);
const AdTraceSlice *ad_trace_get_slice        (AdTrace            *self,
                                               guint               index);
guint               ad_trace_find_index       (AdTrace            *self,
                                               gint64              from_us);
guint               ad_trace_collect_open     (AdTrace            *self,
                                               GArray             *slices);
guint               ad_trace_collect          (AdTrace            *self,
                                               gint64              from_us,
                                               gint64              to_us,
                                               GArray             *slices);
gint64              ad_trace_get_start_time   (AdTrace            *self);
gint64              ad_trace_get_end_time     (AdTrace            *self);
guint64             ad_trace_get_n_dropped    (AdTrace            *self);
guint64             ad_trace_get_n_finished   (AdTrace            *self,
                                               AdTaskState         state);
guint               ad_trace_get_max_slices   (AdTrace            *self);

G_END_DECLS
