/* ad-trace-export.c: AdTrace to and from Chrome's Trace Event JSON
 *
 * Design:
 *  - Times are written relative to the trace's start, so the numbers are
 *    small and a file means the same on any machine; the monotonic origin
 *    is kept in "otherData" for reference.
 *  - Open slices are written as complete events ending at the trace's end
 *    with "unfinished" in their args: a reader shows them as they were.
 *  - Import is lenient the way trace viewers are: unknown phases and
 *    fields are skipped, lanes are keyed by (pid, tid), and a lane without
 *    a thread_name metadata event is named after its tid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Trace"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ad-trace-export.h"

G_DEFINE_QUARK (ad-trace-error-quark, ad_trace_error)

static void
add_metadata (JsonBuilder *builder,
              const char  *what,
              guint32      pid,
              guint32      tid,
              const char  *member,
              const char  *string_value,
              gint64       int_value)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, what);
  json_builder_set_member_name (builder, "ph");
  json_builder_add_string_value (builder, "M");
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, pid);
  json_builder_set_member_name (builder, "tid");
  json_builder_add_int_value (builder, tid);
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  if (string_value != NULL)
    json_builder_add_string_value (builder, string_value);
  else
    json_builder_add_int_value (builder, int_value);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
add_slice (JsonBuilder        *builder,
           AdTrace            *trace,
           const AdTraceSlice *slice,
           gint64              origin)
{
  const AdTraceLane *lane = ad_trace_get_lane (trace, slice->lane);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, slice->name);
  json_builder_set_member_name (builder, "cat");
  json_builder_add_string_value (builder, ad_task_kind_to_string (slice->kind));
  json_builder_set_member_name (builder, "ph");
  if (slice->type == AD_TRACE_SLICE_INSTANT)
    {
      json_builder_add_string_value (builder, "i");
      json_builder_set_member_name (builder, "s");
      json_builder_add_string_value (builder, "t");
    }
  else
    {
      json_builder_add_string_value (builder, "X");
      json_builder_set_member_name (builder, "dur");
      json_builder_add_int_value (builder, slice->end_us - slice->start_us);
    }
  json_builder_set_member_name (builder, "ts");
  json_builder_add_int_value (builder, slice->start_us - origin);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, lane->pid);
  json_builder_set_member_name (builder, "tid");
  json_builder_add_int_value (builder, lane->tid);

  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "task_id");
  json_builder_add_int_value (builder, slice->task_id);
  json_builder_set_member_name (builder, "parent_id");
  json_builder_add_int_value (builder, slice->parent_id);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, ad_task_state_to_string (slice->state));
  json_builder_set_member_name (builder, "depth");
  json_builder_add_int_value (builder, slice->depth);
  if (slice->open)
    {
      json_builder_set_member_name (builder, "unfinished");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}

/**
 * ad_trace_export_to_json:
 *
 * Returns: (transfer full): the trace as a Trace Event JSON object
 */
JsonNode *
ad_trace_export_to_json (AdTrace *trace)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GArray) slices = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  g_autoptr(GHashTable) pids = g_hash_table_new (NULL, NULL);
  gint64 origin = ad_trace_get_start_time (trace);

  g_return_val_if_fail (AD_IS_TRACE (trace), NULL);

  ad_trace_collect (trace, G_MININT64, G_MAXINT64, slices);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "traceEvents");
  json_builder_begin_array (builder);

  for (guint i = 0; i < ad_trace_get_n_lanes (trace); i++)
    {
      const AdTraceLane *lane = ad_trace_get_lane (trace, i);
      int sort_index;

      if (!g_hash_table_contains (pids, GUINT_TO_POINTER (lane->pid)))
        {
          g_hash_table_add (pids, GUINT_TO_POINTER (lane->pid));
          add_metadata (builder, "process_name", lane->pid, lane->tid, "name",
                        lane->kind == AD_TRACE_LANE_PROCESS ? lane->name : "async-demo", 0);
        }
      add_metadata (builder, "thread_name", lane->pid, lane->tid, "name", lane->name, 0);
      sort_index = lane->kind == AD_TRACE_LANE_MAIN ? -1 : (int) i;
      add_metadata (builder, "thread_sort_index", lane->pid, lane->tid, "sort_index", NULL,
                    sort_index);
    }

  for (guint i = 0; i < slices->len; i++)
    add_slice (builder, trace, &g_array_index (slices, AdTraceSlice, i), origin);

  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "displayTimeUnit");
  json_builder_add_string_value (builder, "ms");
  json_builder_set_member_name (builder, "otherData");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "generator");
  json_builder_add_string_value (builder, "Async Demo");
  json_builder_set_member_name (builder, "origin_us");
  json_builder_add_int_value (builder, origin);
  json_builder_set_member_name (builder, "dropped");
  json_builder_add_int_value (builder, ad_trace_get_n_dropped (trace));
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * ad_trace_export_to_data:
 * @length: (out) (optional): the length of the text
 *
 * Returns: (transfer full): the trace as Trace Event JSON text
 */
char *
ad_trace_export_to_data (AdTrace *trace,
                         gsize   *length)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (AD_IS_TRACE (trace), NULL);

  root = ad_trace_export_to_json (trace);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, length);
}

/**
 * ad_trace_export_to_file:
 * @path: where to write (replaced atomically)
 */
gboolean
ad_trace_export_to_file (AdTrace     *trace,
                         const char  *path,
                         GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (AD_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = ad_trace_export_to_data (trace, &length);

  return g_file_set_contents (path, data, length, error);
}

/* ---- import ----------------------------------------------------------- */

static gint64
member_int (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return fallback;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    default:
      return fallback;
    }
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static int
enum_from_nick (GType       type,
                const char *nick,
                int         fallback)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *value = nick ? g_enum_get_value_by_nick (klass, nick) : NULL;

  return value ? value->value : fallback;
}

typedef struct
{
  guint32         pid;
  guint32         tid;
  char           *name;
  AdTraceLaneKind kind;
  gint64          sort_index;
  guint           index;      /* in the trace, once added */
} ImportLane;

static void
import_lane_free (gpointer data)
{
  ImportLane *lane = data;

  g_free (lane->name);
  g_free (lane);
}

static ImportLane *
import_lane (GHashTable *lanes,
             guint32     pid,
             guint32     tid)
{
  guint64 key = ((guint64) pid << 32) | tid;
  ImportLane *lane = g_hash_table_lookup (lanes, &key);

  if (lane == NULL)
    {
      guint64 *k = g_new (guint64, 1);

      *k = key;
      lane = g_new0 (ImportLane, 1);
      lane->pid = pid;
      lane->tid = tid;
      lane->sort_index = G_MAXINT32;
      lane->index = G_MAXUINT;
      g_hash_table_insert (lanes, k, lane);
    }

  return lane;
}

static int
compare_lanes (gconstpointer a,
               gconstpointer b)
{
  const ImportLane *la = *(ImportLane **) a;
  const ImportLane *lb = *(ImportLane **) b;

  if (la->sort_index != lb->sort_index)
    return la->sort_index < lb->sort_index ? -1 : 1;
  if (la->pid != lb->pid)
    return la->pid < lb->pid ? -1 : 1;
  return la->tid < lb->tid ? -1 : la->tid > lb->tid;
}

/**
 * ad_trace_import_from_json:
 * @root: a Trace Event document: an object with "traceEvents", or the
 *   bare array form
 *
 * Returns: (transfer full): a new trace
 */
AdTrace *
ad_trace_import_from_json (JsonNode  *root,
                           GError   **error)
{
  g_autoptr(AdTrace) trace = NULL;
  g_autoptr(GHashTable) lanes = NULL;
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GArray) slices = NULL;
  g_autoptr(GArray) slice_lanes = NULL;
  JsonArray *events = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (root != NULL, NULL);

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (root), "traceEvents");

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        events = json_node_get_array (node);
    }
  else if (JSON_NODE_HOLDS_ARRAY (root))
    events = json_node_get_array (root);

  if (events == NULL)
    {
      g_set_error (error, AD_TRACE_ERROR, AD_TRACE_ERROR_INVALID,
                   _("This is not a trace: it has no list of trace events"));
      return NULL;
    }

  lanes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, import_lane_free);
  slices = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  slice_lanes = g_array_new (FALSE, FALSE, sizeof (ImportLane *));

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      JsonObject *event, *args;
      const char *ph, *name;
      ImportLane *lane;
      AdTraceSlice slice = { 0 };
      JsonNode *args_node;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      event = json_node_get_object (node);
      ph = member_string (event, "ph");
      name = member_string (event, "name");
      if (ph == NULL)
        continue;

      lane = import_lane (lanes, member_int (event, "pid", 0), member_int (event, "tid", 0));
      args_node = json_object_get_member (event, "args");
      args = args_node && JSON_NODE_HOLDS_OBJECT (args_node) ? json_node_get_object (args_node)
                                                               : NULL;

      if (g_str_equal (ph, "M"))
        {
          if (args == NULL || name == NULL)
            continue;
          if (g_str_equal (name, "thread_name") && member_string (args, "name") != NULL)
            {
              g_free (lane->name);
              lane->name = g_strdup (member_string (args, "name"));
            }
          else if (g_str_equal (name, "thread_sort_index"))
            lane->sort_index = member_int (args, "sort_index", lane->sort_index);
          continue;
        }

      if (!g_str_equal (ph, "X") && !g_str_equal (ph, "i") && !g_str_equal (ph, "I"))
        continue;

      slice.type = g_str_equal (ph, "X") ? AD_TRACE_SLICE_RUN : AD_TRACE_SLICE_INSTANT;
      slice.start_us = member_int (event, "ts", 0);
      slice.end_us = slice.start_us + (slice.type == AD_TRACE_SLICE_RUN
                                       ? MAX (member_int (event, "dur", 0), 0) : 0);
      slice.kind = enum_from_nick (AD_TYPE_TASK_KIND, member_string (event, "cat"),
                                   AD_TASK_KIND_CPU);
      slice.state = AD_TASK_STATE_SUCCEEDED;
      if (args != NULL)
        {
          slice.task_id = member_int (args, "task_id", 0);
          slice.parent_id = member_int (args, "parent_id", 0);
          slice.state = enum_from_nick (AD_TYPE_TASK_STATE, member_string (args, "state"),
                                        AD_TASK_STATE_SUCCEEDED);
          slice.depth = CLAMP (member_int (args, "depth", 0), 0, G_MAXUINT8);
          slice.open = json_object_has_member (args, "unfinished");
        }
      g_strlcpy (slice.name, name ? name : "", sizeof slice.name);
      g_array_append_val (slices, slice);
      g_array_append_val (slice_lanes, lane);
    }

  /* Lanes in their sort order; a process of its own is a process lane. */
  trace = ad_trace_new (MAX (slices->len, AD_TRACE_DEFAULT_MAX_SLICES));
  sorted = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, lanes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sorted, value);
  g_ptr_array_sort (sorted, compare_lanes);

  for (guint i = 0; i < sorted->len; i++)
    {
      ImportLane *lane = g_ptr_array_index (sorted, i);
      AdTraceLaneKind kind;

      if (lane->name == NULL)
        lane->name = g_strdup_printf ("%u", lane->tid);

      if (g_str_equal (lane->name, "main"))
        kind = AD_TRACE_LANE_MAIN;
      else if (lane->pid != 1 && lane->pid == lane->tid)
        kind = AD_TRACE_LANE_PROCESS;
      else
        kind = AD_TRACE_LANE_THREAD;
      lane->index = ad_trace_add_lane (trace, lane->name, kind, lane->pid, lane->tid);
    }

  for (guint i = 0; i < slices->len; i++)
    {
      AdTraceSlice *slice = &g_array_index (slices, AdTraceSlice, i);

      slice->lane = g_array_index (slice_lanes, ImportLane *, i)->index;
      ad_trace_add_slice (trace, slice);
    }

  return g_steal_pointer (&trace);
}

/**
 * ad_trace_import_from_data:
 * @length: the length of @data, or -1 if it is nul-terminated
 *
 * Returns: (transfer full): a new trace
 */
AdTrace *
ad_trace_import_from_data (const char  *data,
                           gssize       length,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, error))
    return NULL;
  /* An empty text parses, to nothing */
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, AD_TRACE_ERROR, AD_TRACE_ERROR_INVALID,
                           _("This is not a trace: the file is empty"));
      return NULL;
    }

  return ad_trace_import_from_json (json_parser_get_root (parser), error);
}

AdTrace *
ad_trace_import_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;

  return ad_trace_import_from_data (data, length, error);
}
