/* ad-thread.h: thread identity and thread-safe small helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void         ad_thread_init_main    (void);
gboolean     ad_core_is_main_thread (void);
const char  *ad_thread_name         (void);
const char  *ad_intern_string       (const char *string);

/* How much lower than the app's the scheduling priority of its CPU workers
 * is (a nice increment): the main thread then wins every core it needs to
 * draw on time, and the workers still take all the rest. */
#define AD_THREAD_WORKER_NICE 10

gboolean     ad_thread_lower_priority (int increment);

G_END_DECLS
