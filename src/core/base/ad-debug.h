/* ad-debug.h: the app's debug mode (asyncio's debug mode, for GLib)
 *
 * Enabled by ASYNC_DEMO_DEBUG=1 in the environment (read by ad_core_init())
 * or by the app's `debug-mode` GSettings key through ad_debug_set_enabled().
 * When on:
 *  - callbacks run through ad_source_set_callback_traced() (and the loop
 *    monitor's stalls) that take longer than AD_DEBUG_SLOW_CALLBACK_MS are
 *    logged with their duration and source name (g_info);
 *  - main-thread-only API called from another thread is reported with
 *    g_message (the checks always count, see ad_debug_get_n_thread_errors());
 *  - the app lists the tasks that never finished at shutdown with
 *    ad_task_registry_report_unfinished().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AD_DEBUG_SLOW_CALLBACK_MS 100

gboolean ad_debug_get_enabled         (void);
void     ad_debug_set_enabled         (gboolean     enabled);
void     ad_debug_init_from_env       (void);
gboolean ad_debug_requested_by_env    (void);
gboolean ad_debug_check_thread        (GThread     *owner,
                                       const char  *func);
guint64  ad_debug_get_n_thread_errors (void);

/* Reports (in debug mode) a call of main-thread-only API from elsewhere. */
#define ad_assert_main_thread() ad_debug_check_thread (NULL, G_STRFUNC)

G_END_DECLS
