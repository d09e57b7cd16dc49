/* ad-chat-connection.h: one client of an AdChatServer, as the GUI sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AD_TYPE_CHAT_CONNECTION (ad_chat_connection_get_type ())
G_DECLARE_FINAL_TYPE (AdChatConnection, ad_chat_connection, AD, CHAT_CONNECTION, GObject)

guint        ad_chat_connection_get_id           (AdChatConnection *self);
const char  *ad_chat_connection_get_nick         (AdChatConnection *self);
const char  *ad_chat_connection_get_address      (AdChatConnection *self);
guint64      ad_chat_connection_get_bytes_in     (AdChatConnection *self);
guint64      ad_chat_connection_get_bytes_out    (AdChatConnection *self);
guint        ad_chat_connection_get_queue_depth  (AdChatConnection *self);
gboolean     ad_chat_connection_is_open          (AdChatConnection *self);

G_END_DECLS
