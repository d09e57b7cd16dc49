/* ad-trace-export.h: AdTrace to and from Chrome's Trace Event JSON
 *
 * The file opens in Perfetto (ui.perfetto.dev) and chrome://tracing:
 * `{"traceEvents": [...], "displayTimeUnit": "ms"}` with one "X"
 * (complete) event per run slice (ts and dur in µs from the trace's start,
 * pid, tid, name, cat = the task's kind, args with the task's id, parent,
 * state and nesting depth), one "i" (instant, thread-scoped) event per
 * instant, and "M" metadata events naming each process and lane
 * (process_name, thread_name, thread_sort_index). Importing reads the
 * same events back (and any other Trace Event file's X, i and M events).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ad-trace.h"

G_BEGIN_DECLS

#define AD_TRACE_ERROR (ad_trace_error_quark ())

typedef enum
{
  AD_TRACE_ERROR_INVALID,
} AdTraceError;

GQuark    ad_trace_error_quark      (void);

JsonNode *ad_trace_export_to_json   (AdTrace     *trace);
char     *ad_trace_export_to_data   (AdTrace     *trace,
                                     gsize       *length);
gboolean  ad_trace_export_to_file   (AdTrace     *trace,
                                     const char  *path,
                                     GError     **error);

AdTrace  *ad_trace_import_from_json (JsonNode    *root,
                                     GError     **error);
AdTrace  *ad_trace_import_from_data (const char  *data,
                                     gssize       length,
                                     GError     **error);
AdTrace  *ad_trace_import_from_file (const char  *path,
                                     GError     **error);

G_END_DECLS
