/* ad-trace-file.c: saving and loading a trace file off the main thread
 *
 * Both halves are GTasks on GLib's pool with no source object: a caller
 * (a page, a command) is never kept alive by a file operation, so its last
 * reference can never drop on a worker thread. What the worker reads is
 * immutable and its own:
 *  - save takes a snapshot of the trace on the calling thread (the live
 *    trace keeps changing as the recorder is pulled), then serializes and
 *    writes the snapshot on the worker;
 *  - load reads and parses on the worker and returns a fresh AdTrace.
 * The format is Trace Event JSON (ad-trace-export.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Trace"

#include "config.h"

#include "ad-trace-export.h"
#include "ad-trace-file.h"
#include "ad-tsan.h"

typedef struct
{
  AdTrace *snapshot;  /* save only */
  GFile   *file;
} FileOp;

static void
file_op_free (FileOp *op)
{
  g_clear_object (&op->snapshot);
  g_clear_object (&op->file);
  g_free (op);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FileOp *op = task_data;
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  /* The snapshot and file were handed over complete (GLib's hand-off is
   * invisible to TSan in an uninstrumented GLib: see ad-tsan.h). */
  AD_TSAN_ACQUIRE (task);
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      /* Every way out hands the operation back: the main thread frees it. */
      AD_TSAN_RELEASE (task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = ad_trace_export_to_data (op->snapshot, &length);
  if (!g_file_replace_contents (op->file, data, length, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    {
      AD_TSAN_RELEASE (task);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      guint n = ad_trace_get_n_slices (op->snapshot);

      AD_TSAN_RELEASE (task);
      g_task_return_int (task, n);
    }
}

/**
 * ad_trace_file_save_async:
 * @trace: the trace to save; it is copied now, so it may change afterwards
 * @file: where to write (replaced atomically)
 *
 * Writes @trace as Trace Event JSON on a worker thread.
 */
void
ad_trace_file_save_async (AdTrace             *trace,
                          GFile               *file,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FileOp *op;

  g_return_if_fail (AD_IS_TRACE (trace));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op = g_new0 (FileOp, 1);
  op->snapshot = ad_trace_copy (trace);
  op->file = g_object_ref (file);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_name (task, "[async-demo] save trace");
  g_task_set_source_tag (task, ad_trace_file_save_async);
  g_task_set_task_data (task, op, (GDestroyNotify) file_op_free);
  AD_TSAN_RELEASE (task);
  g_task_run_in_thread (task, save_thread);
}

/**
 * ad_trace_file_save_finish:
 * @n_written: (out) (optional): how many slices and instants were written
 *
 * Returns: whether the file was written
 */
gboolean
ad_trace_file_save_finish (GAsyncResult  *result,
                           guint         *n_written,
                           GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_trace_file_save_async,
                        FALSE);

  /* The pool thread is done with the operation: take it back. */
  AD_TSAN_ACQUIRE (result);
  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_written != NULL)
    *n_written = (guint) n;
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FileOp *op = task_data;
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  AdTrace *trace;
  gsize length;

  AD_TSAN_ACQUIRE (task);
  if (!g_file_load_contents (op->file, cancellable, &data, &length, NULL, &error) ||
      g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      /* Every way out hands the operation back: the main thread frees it. */
      AD_TSAN_RELEASE (task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  trace = ad_trace_import_from_data (data, length, &error);
  if (trace == NULL)
    {
      AD_TSAN_RELEASE (task);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      /* The trace was made here: hand it over whole. */
      AD_TSAN_RELEASE (task);
      g_task_return_pointer (task, trace, g_object_unref);
    }
}

/**
 * ad_trace_file_load_async:
 * @file: a Trace Event JSON file
 *
 * Reads and parses @file on a worker thread.
 */
void
ad_trace_file_load_async (GFile               *file,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FileOp *op;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op = g_new0 (FileOp, 1);
  op->file = g_object_ref (file);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_name (task, "[async-demo] load trace");
  g_task_set_source_tag (task, ad_trace_file_load_async);
  g_task_set_task_data (task, op, (GDestroyNotify) file_op_free);
  AD_TSAN_RELEASE (task);
  g_task_run_in_thread (task, load_thread);
}

/**
 * ad_trace_file_load_finish:
 *
 * Returns: (transfer full): the trace read, or %NULL with @error set
 */
AdTrace *
ad_trace_file_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_trace_file_load_async, NULL);

  /* The pool thread made the trace: take it over. */
  AD_TSAN_ACQUIRE (result);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ad_trace_file_get_file:
 * @result: the result of a save or a load, in its callback
 *
 * Lets a callback name the file in what it shows without keeping state.
 *
 * Returns: (transfer none): the file that the operation wrote or read
 */
GFile *
ad_trace_file_get_file (GAsyncResult *result)
{
  FileOp *op;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_trace_file_save_async
                        || g_task_get_source_tag (G_TASK (result)) == ad_trace_file_load_async,
                        NULL);

  op = g_task_get_task_data (G_TASK (result));
  return op->file;
}
