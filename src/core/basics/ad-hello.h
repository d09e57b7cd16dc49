/* ad-hello.h: the tutorial's first program, on the GLib main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-log-model.h"

G_BEGIN_DECLS

typedef enum
{
  AD_HELLO_FLAGS_NONE       = 0,
  AD_HELLO_FLAGS_SEQUENTIAL = 1 << 0,
} AdHelloFlags;

#define AD_HELLO_DEFAULT_DELAY_MS 1000

void     ad_hello_run_async  (AdLogModel          *log,
                              AdHelloFlags         flags,
                              guint                delay_ms,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
gboolean ad_hello_run_finish (GAsyncResult        *result,
                              GError             **error);

G_END_DECLS
