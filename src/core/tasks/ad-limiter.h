/* ad-limiter.h: at most N operations at once (asyncio.Semaphore)
 *
 *     ad_limiter_acquire_async (limiter, cancellable, got_slot_cb, self);
 *     …in got_slot_cb: if (ad_limiter_acquire_finish (limiter, result, &error))
 *                        start the operation; when it ends: ad_limiter_release (limiter);
 *
 * Waiters are served in FIFO order. Cancelling a waiter's cancellable
 * removes it from the queue: its acquire fails with %G_IO_ERROR_CANCELLED
 * and it never holds a slot. An acquire that succeeded holds a slot even
 * if its cancellable was cancelled afterwards: release it. The limit may
 * change at any time; raising it admits waiters at once, lowering it lets
 * running operations finish. #AdLimiter:n-running and #AdLimiter:n-waiting
 * show which limit binds.
 *
 * ad_limiter_run_async() wraps any _async/_finish pair in acquire/release.
 *
 * A limiter belongs to the thread (and thread-default main context) that
 * created it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-async.h"

G_BEGIN_DECLS

#define AD_TYPE_LIMITER (ad_limiter_get_type ())
G_DECLARE_FINAL_TYPE (AdLimiter, ad_limiter, AD, LIMITER, GObject)

AdLimiter *ad_limiter_new             (guint                limit);
guint      ad_limiter_get_limit       (AdLimiter           *self);
void       ad_limiter_set_limit       (AdLimiter           *self,
                                       guint                limit);
guint      ad_limiter_get_n_running   (AdLimiter           *self);
guint      ad_limiter_get_n_waiting   (AdLimiter           *self);
guint      ad_limiter_get_max_running (AdLimiter           *self);
void       ad_limiter_acquire_async   (AdLimiter           *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean   ad_limiter_acquire_finish  (AdLimiter           *self,
                                       GAsyncResult        *result,
                                       GError             **error);
void       ad_limiter_release         (AdLimiter           *self);
void       ad_limiter_run_async       (AdLimiter           *self,
                                       AdAsyncStartFunc     start,
                                       AdAsyncFinishFunc    finish,
                                       gpointer             op_data,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean   ad_limiter_run_finish      (AdLimiter           *self,
                                       GAsyncResult        *result,
                                       GValue              *value,
                                       GError             **error);

G_END_DECLS
