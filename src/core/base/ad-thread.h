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

G_END_DECLS
