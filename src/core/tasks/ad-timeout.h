/* ad-timeout.h: a deadline for any _async operation (asyncio.wait_for)
 *
 *     ad_timeout_run_async (1000, fetch_start, fetch_finish, url,
 *                           cancellable, fetched_cb, self);
 *
 * runs the operation with a cancellable of its own. When @timeout_ms pass
 * first, that cancellable is cancelled and, once the operation has
 * finished, the caller gets %G_IO_ERROR_TIMED_OUT. When the caller's
 * @cancellable is cancelled, the caller gets %G_IO_ERROR_CANCELLED as
 * usual: the two stay distinct. Like a task group, it completes only after
 * the operation has finished. An operation that ignores cancellation and
 * succeeds after the deadline still succeeds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-async.h"

G_BEGIN_DECLS

void     ad_timeout_run_async  (guint                timeout_ms,
                                AdAsyncStartFunc     start,
                                AdAsyncFinishFunc    finish,
                                gpointer             op_data,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
gboolean ad_timeout_run_finish (GAsyncResult        *result,
                                GValue              *value,
                                GError             **error);

G_END_DECLS
