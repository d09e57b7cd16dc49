/* ad-test-utils.h: helpers shared by the test suites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-tsan.h"

G_BEGIN_DECLS

/* Under ThreadSanitizer: GIO's own worker threads (the resolver, the proxy
 * resolver, GTask's pool) hand data to the main loop under GLib's futex
 * locks, which TSan cannot see in Debian's uninstrumented GLib; its
 * interceptors then report GLib's memcpy and free calls as races by the
 * hundred. A test program that needs it ignores interceptors called from
 * uninstrumented libraries (once, at file scope): every access our own
 * code makes is still checked, with the hand-offs annotated in ad-tsan.h. */
#ifdef AD_HAVE_TSAN
# define AD_TEST_TSAN_IGNORE_UNINSTRUMENTED()                   \
  const char *__tsan_default_options (void);                    \
  const char *__tsan_default_options (void)                     \
  {                                                             \
    return "ignore_noninstrumented_modules=1";                  \
  }
#else
# define AD_TEST_TSAN_IGNORE_UNINSTRUMENTED()
#endif

/* Iterates the thread-default main context until *@flag is TRUE, failing
 * the test if that takes longer than @timeout_ms. */
#define ad_test_wait_for(flag, timeout_ms) \
  ad_test_wait_for_impl (&(flag), (timeout_ms), #flag, __FILE__, __LINE__)

void     ad_test_wait_for_impl (const gboolean *flag,
                                guint           timeout_ms,
                                const char     *expr,
                                const char     *file,
                                int             line);

/* Iterates the thread-default main context until @expr holds, checking it
 * every 10 ms, and fails the test if that takes longer than @timeout_ms
 * (ten times that under valgrind, where AD_TEST_SLOW is set).
 * Use it instead of a fixed spin before asserting something that only
 * becomes true once the loop has run "enough" (a frame drawn, a widget
 * mapped): under valgrind or on a loaded machine "enough" varies. */
#define ad_test_wait_until(expr, timeout_ms)                                       \
  G_STMT_START {                                                                \
    gint64 ad_test_deadline_ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000 * \
                               (g_getenv ("AD_TEST_SLOW") != NULL ? 10 : 1);        \
    while (!(expr) && g_get_monotonic_time () < ad_test_deadline_)              \
      ad_test_spin (10);                                                        \
    if (!(expr))                                                                \
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,         \
                           "timed out after " #timeout_ms " ms waiting for " #expr); \
  } G_STMT_END

/* 10 under valgrind (AD_TEST_SLOW set), 1 otherwise: multiply the slack
 * of an elapsed-time upper bound by it, so the bound keeps its meaning
 * without failing on a slow run. */
gint64   ad_test_slow_factor   (void);

/* Iterates the thread-default main context for @msec. */
void     ad_test_spin          (guint           msec);

/* Stores the result of an async call into *(GAsyncResult **) user_data. */
void     ad_test_store_result  (GObject        *source,
                                GAsyncResult   *result,
                                gpointer        user_data);

GAsyncResult *ad_test_wait_result (GAsyncResult **slot,
                                   guint          timeout_ms);

/* Call first thing in main(): see ad-test-utils.c. */
void     ad_test_keep_glib_quark_block (void);

G_END_DECLS
