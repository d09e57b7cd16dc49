/* ad-async.h: "any _async/_finish pair" as a value
 *
 * Task groups, timeouts and limiters run operations they know nothing
 * about. An operation is described by two functions and a pointer:
 *
 *  - an AdAsyncStartFunc starts it with the cancellable the runner owns
 *    and the callback the runner wants called: typically a one-line
 *    adaptor around `foo_async (…, cancellable, callback, callback_data)`;
 *  - an AdAsyncFinishFunc calls `foo_finish()` and stores the result, if
 *    any, in a GValue that the runner has zero-initialised. It returns
 *    FALSE with @error set when the operation failed.
 *
 * The result travels as a GValue so that a runner can keep results of any
 * type (gather) and a GUI can show them without knowing the operation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * AdAsyncStartFunc:
 * @cancellable: the runner's cancellable for this operation: pass it on
 * @callback: call it (through the operation's GTask) exactly once
 * @callback_data: pass it to @callback
 * @user_data: the pointer given with the operation
 */
typedef void     (*AdAsyncStartFunc)  (GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             callback_data,
                                       gpointer             user_data);

/**
 * AdAsyncFinishFunc:
 * @source_object: (nullable): the source object @callback received
 * @result: the result @callback received
 * @value: a zero-filled GValue: initialise and set it to keep a result,
 *   or leave it unset (G_VALUE_INIT) when there is none
 * @error: where the operation's error goes
 * @user_data: the pointer given with the operation
 *
 * Returns: %TRUE on success, %FALSE with @error set on failure
 */
typedef gboolean (*AdAsyncFinishFunc) (GObject             *source_object,
                                       GAsyncResult        *result,
                                       GValue              *value,
                                       GError             **error,
                                       gpointer             user_data);

/* How a runner carries an AdAsyncFinishFunc's result through its own GTask:
 * the GValue is allocated with g_new0(), returned with
 * ad_async_return_value() (which takes it) and taken by the runner's
 * _finish() with ad_async_propagate_value(). */
void     ad_async_value_free       (GValue   *value);
void     ad_async_return_value     (GTask    *task,
                                    GValue   *value);
gboolean ad_async_propagate_value  (GTask    *task,
                                    GValue   *value,
                                    GError  **error);

G_END_DECLS
