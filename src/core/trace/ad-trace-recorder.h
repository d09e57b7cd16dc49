/* ad-trace-recorder.h: a flight recorder for the task registry
 *
 * An AdTraceRecorder listens to an AdTaskRegistry and copies every event
 * (created, started, finished, entered, left) into a bounded ring buffer,
 * on whatever thread reported it. When the ring is full the oldest events
 * are overwritten and counted as dropped, so memory stays flat however
 * long the app runs. Readers (the timeline, the exporter) take the events
 * recorded since their last read with a cursor; see AdTrace for the lanes
 * and slices built from them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-task-registry.h"

G_BEGIN_DECLS

#define AD_TRACE_RECORDER_DEFAULT_CAPACITY 65536

/* Names are copied into the slot, truncated to fit (on a UTF-8 boundary):
 * no allocation per event and no name table that grows without end. */
#define AD_TRACE_NAME_SIZE 56

/**
 * AdTraceEvent:
 * @time_us: when, in g_get_monotonic_time() microseconds
 * @task_id: the task's id
 * @parent_id: its parent's id, or 0
 * @thread_name: the reporting thread's name (an interned string)
 * @thread_id: a number for the reporting thread, unique in the process
 *   (GLib gives all pool threads the same name)
 * @type: an #AdTaskEventType
 * @kind: the task's #AdTaskKind
 * @state: the task's #AdTaskState after the event
 * @name: the task's name, possibly truncated
 */
typedef struct
{
  gint64      time_us;
  guint64     task_id;
  guint64     parent_id;
  const char *thread_name;
  guint32     thread_id;
  guint8      type;
  guint8      kind;
  guint8      state;
  guint8      reserved;
  char        name[AD_TRACE_NAME_SIZE];
} AdTraceEvent;

#define AD_TYPE_TRACE_RECORDER (ad_trace_recorder_get_type ())
G_DECLARE_FINAL_TYPE (AdTraceRecorder, ad_trace_recorder, AD, TRACE_RECORDER, GObject)

AdTraceRecorder *ad_trace_recorder_get_default   (void);
AdTraceRecorder *ad_trace_recorder_new           (guint            capacity);
void             ad_trace_recorder_attach        (AdTraceRecorder *self,
                                                  AdTaskRegistry  *registry);
void             ad_trace_recorder_detach        (AdTraceRecorder *self);

/* Any thread */
void             ad_trace_recorder_record        (AdTraceRecorder *self,
                                                  const AdTaskEvent *event);
guint            ad_trace_recorder_read          (AdTraceRecorder *self,
                                                  guint64         *cursor,
                                                  GArray          *events,
                                                  guint64         *n_missed);
void             ad_trace_recorder_clear         (AdTraceRecorder *self);
guint            ad_trace_recorder_get_capacity  (AdTraceRecorder *self);
guint            ad_trace_recorder_get_n_events  (AdTraceRecorder *self);
guint64          ad_trace_recorder_get_n_recorded (AdTraceRecorder *self);
guint64          ad_trace_recorder_get_n_dropped (AdTraceRecorder *self);

guint32          ad_trace_thread_id              (void);

G_END_DECLS
