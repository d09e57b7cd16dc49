/* ad-sleep.h: a cancellable asynchronous sleep on the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     ad_sleep_async  (guint                msec,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data);
gboolean ad_sleep_finish (GAsyncResult        *result,
                          GError             **error);

G_END_DECLS
