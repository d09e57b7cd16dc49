/* ad-chat-client.h: a chat client on the GLib main loop, with reconnection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-chat-protocol.h"

G_BEGIN_DECLS

typedef enum
{
  AD_CHAT_CLIENT_DISCONNECTED,
  AD_CHAT_CLIENT_CONNECTING,
  AD_CHAT_CLIENT_CONNECTED,
  AD_CHAT_CLIENT_WAITING,       /* backing off before the next attempt */
} AdChatClientState;

#define AD_CHAT_CLIENT_MIN_BACKOFF_MS 500
#define AD_CHAT_CLIENT_MAX_BACKOFF_MS 30000

#define AD_TYPE_CHAT_LINE_KIND (ad_chat_line_kind_get_type ())
GType ad_chat_line_kind_get_type (void) G_GNUC_CONST;
#define AD_TYPE_CHAT_CLIENT_STATE (ad_chat_client_state_get_type ())
GType ad_chat_client_state_get_type (void) G_GNUC_CONST;

#define AD_TYPE_CHAT_CLIENT (ad_chat_client_get_type ())
G_DECLARE_FINAL_TYPE (AdChatClient, ad_chat_client, AD, CHAT_CLIENT, GObject)

AdChatClient      *ad_chat_client_new           (const char           *host,
                                                 guint16               port,
                                                 const char           *nick);
void               ad_chat_client_run_async     (AdChatClient         *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean           ad_chat_client_run_finish    (AdChatClient         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
gboolean           ad_chat_client_send          (AdChatClient         *self,
                                                 const char           *text);
void               ad_chat_client_quit          (AdChatClient         *self);

const char        *ad_chat_client_get_host      (AdChatClient         *self);
guint16            ad_chat_client_get_port      (AdChatClient         *self);
const char        *ad_chat_client_get_nick      (AdChatClient         *self);
AdChatClientState  ad_chat_client_get_state     (AdChatClient         *self);
const char        *ad_chat_client_get_last_error (AdChatClient        *self);
guint              ad_chat_client_get_retry_delay (AdChatClient       *self);
void               ad_chat_client_set_reconnect (AdChatClient         *self,
                                                 gboolean              reconnect);

G_END_DECLS
