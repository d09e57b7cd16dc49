/* ad-test-utils.h: helpers shared by the test suites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Iterates the thread-default main context until *@flag is TRUE, failing
 * the test if that takes longer than @timeout_ms. */
#define ad_test_wait_for(flag, timeout_ms) \
  ad_test_wait_for_impl (&(flag), (timeout_ms), #flag, __FILE__, __LINE__)

void     ad_test_wait_for_impl (const gboolean *flag,
                                guint           timeout_ms,
                                const char     *expr,
                                const char     *file,
                                int             line);

/* Iterates the thread-default main context for @msec. */
void     ad_test_spin          (guint           msec);

/* Stores the result of an async call into *(GAsyncResult **) user_data. */
void     ad_test_store_result  (GObject        *source,
                                GAsyncResult   *result,
                                gpointer        user_data);

GAsyncResult *ad_test_wait_result (GAsyncResult **slot,
                                   guint          timeout_ms);

G_END_DECLS
