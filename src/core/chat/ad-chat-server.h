/* ad-chat-server.h: a line-based chat server on the GLib main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-chat-connection.h"

G_BEGIN_DECLS

#define AD_CHAT_SERVER_DEFAULT_MAX_CLIENTS     1000
#define AD_CHAT_SERVER_DEFAULT_HISTORY_LENGTH  20
#define AD_CHAT_SERVER_DEFAULT_MAX_QUEUE_BYTES (256 * 1024)
#define AD_CHAT_SERVER_DEFAULT_RATE_LIMIT      10.0
#define AD_CHAT_SERVER_DEFAULT_RATE_BURST      20
#define AD_CHAT_SERVER_DEFAULT_IDLE_TIMEOUT    600
#define AD_CHAT_SERVER_DEFAULT_LINE_TIMEOUT    10
#define AD_CHAT_SERVER_MAX_LINE_TIMEOUT        3600
#define AD_CHAT_SERVER_MAX_THREADS             64

#define AD_TYPE_CHAT_SERVER (ad_chat_server_get_type ())
G_DECLARE_FINAL_TYPE (AdChatServer, ad_chat_server, AD, CHAT_SERVER, GObject)

AdChatServer *ad_chat_server_new                 (void);
gboolean      ad_chat_server_start               (AdChatServer         *self,
                                                  const char           *address,
                                                  guint16               port,
                                                  GError              **error);
void          ad_chat_server_stop_async          (AdChatServer         *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      ad_chat_server_stop_finish         (AdChatServer         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void          ad_chat_server_stop                (AdChatServer         *self);
void          ad_chat_server_kick                (AdChatServer         *self,
                                                  AdChatConnection     *connection,
                                                  const char           *reason);

gboolean      ad_chat_server_get_running         (AdChatServer         *self);
const char   *ad_chat_server_get_address         (AdChatServer         *self);
guint16       ad_chat_server_get_port            (AdChatServer         *self);
GListModel   *ad_chat_server_get_clients         (AdChatServer         *self);
guint         ad_chat_server_get_n_clients       (AdChatServer         *self);
guint64       ad_chat_server_get_n_messages      (AdChatServer         *self);

void          ad_chat_server_set_max_clients     (AdChatServer         *self,
                                                  guint                 max_clients);
void          ad_chat_server_set_history_length  (AdChatServer         *self,
                                                  guint                 history_length);
void          ad_chat_server_set_max_queue_bytes (AdChatServer         *self,
                                                  guint                 max_queue_bytes);
void          ad_chat_server_set_rate_limit      (AdChatServer         *self,
                                                  double                rate_limit);
void          ad_chat_server_set_rate_burst      (AdChatServer         *self,
                                                  guint                 rate_burst);
void          ad_chat_server_set_idle_timeout    (AdChatServer         *self,
                                                  guint                 seconds);
void          ad_chat_server_set_line_timeout    (AdChatServer         *self,
                                                  guint                 seconds);
void          ad_chat_server_set_announce        (AdChatServer         *self,
                                                  gboolean              announce);
void          ad_chat_server_set_threads         (AdChatServer         *self,
                                                  guint                 n_threads);
guint         ad_chat_server_get_threads         (AdChatServer         *self);

G_END_DECLS
