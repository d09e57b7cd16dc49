/* ad-chat-server-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_CHAT_SERVER_PANEL (ad_chat_server_panel_get_type ())
G_DECLARE_FINAL_TYPE (AdChatServerPanel, ad_chat_server_panel, AD, CHAT_SERVER_PANEL, GtkWidget)

AdChatServer *ad_chat_server_panel_get_server       (AdChatServerPanel *self);
AdLogModel   *ad_chat_server_panel_get_log          (AdChatServerPanel *self);
const char   *ad_chat_server_panel_get_join_command (AdChatServerPanel *self);
const char   *ad_chat_server_panel_get_error        (AdChatServerPanel *self);
char         *ad_chat_server_panel_dup_client_host  (AdChatServerPanel *self);
void          ad_chat_server_panel_set_port         (AdChatServerPanel *self,
                                                     guint              port);

G_END_DECLS
