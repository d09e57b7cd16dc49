/* ad-log-entry.h: one immutable log record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AD_TYPE_LOG_ENTRY (ad_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (AdLogEntry, ad_log_entry, AD, LOG_ENTRY, GObject)

AdLogEntry     *ad_log_entry_new             (gint64          time_us,
                                              gint64          elapsed_us,
                                              GLogLevelFlags  level,
                                              const char     *domain,
                                              const char     *thread_name,
                                              const char     *message);
gint64          ad_log_entry_get_elapsed     (AdLogEntry     *self);
GLogLevelFlags  ad_log_entry_get_level       (AdLogEntry     *self);
const char     *ad_log_entry_get_domain      (AdLogEntry     *self);
const char     *ad_log_entry_get_thread_name (AdLogEntry     *self);
const char     *ad_log_entry_get_message     (AdLogEntry     *self);
char           *ad_log_entry_format          (AdLogEntry     *self);

G_END_DECLS
