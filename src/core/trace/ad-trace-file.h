/* ad-trace-file.h: saving and loading a trace file off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-trace.h"

G_BEGIN_DECLS

void      ad_trace_file_save_async  (AdTrace              *trace,
                                     GFile                *file,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean  ad_trace_file_save_finish (GAsyncResult         *result,
                                     guint                *n_written,
                                     GError              **error);

void      ad_trace_file_load_async  (GFile                *file,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
AdTrace  *ad_trace_file_load_finish (GAsyncResult         *result,
                                     GError              **error);

GFile    *ad_trace_file_get_file    (GAsyncResult         *result);

G_END_DECLS
