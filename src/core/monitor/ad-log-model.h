/* ad-log-model.h: a bounded, thread-safe log that the GUI shows as a list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-log-entry.h"

G_BEGIN_DECLS

#define AD_LOG_MODEL_DEFAULT_CAPACITY 5000

#define AD_TYPE_LOG_MODEL (ad_log_model_get_type ())
G_DECLARE_FINAL_TYPE (AdLogModel, ad_log_model, AD, LOG_MODEL, GObject)

AdLogModel *ad_log_model_new            (guint           capacity);
guint       ad_log_model_get_capacity   (AdLogModel     *self);
void        ad_log_model_set_capacity   (AdLogModel     *self,
                                         guint           capacity);
void        ad_log_model_append         (AdLogModel     *self,
                                         GLogLevelFlags  level,
                                         const char     *domain,
                                         const char     *message);
void        ad_log_model_appendf        (AdLogModel     *self,
                                         GLogLevelFlags  level,
                                         const char     *domain,
                                         const char     *format,
                                         ...) G_GNUC_PRINTF (4, 5);
void        ad_log_model_clear          (AdLogModel     *self);
void        ad_log_model_flush          (AdLogModel     *self);
void        ad_log_model_set_publish_limit (AdLogModel  *self,
                                            guint        max_records);
gint64      ad_log_model_get_start_time (AdLogModel     *self);
guint64     ad_log_model_get_n_appended (AdLogModel     *self);
guint64     ad_log_model_get_n_dropped  (AdLogModel     *self);
GPtrArray  *ad_log_model_snapshot       (AdLogModel     *self);

G_END_DECLS
