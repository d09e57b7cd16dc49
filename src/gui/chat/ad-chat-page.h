/* ad-chat-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-chat-client-view.h"
#include "ad-chat-server-panel.h"

G_BEGIN_DECLS

#define AD_TYPE_CHAT_PAGE (ad_chat_page_get_type ())
G_DECLARE_FINAL_TYPE (AdChatPage, ad_chat_page, AD, CHAT_PAGE, GtkWidget)

AdChatServerPanel *ad_chat_page_get_server_panel (AdChatPage *self);
AdChatClientView  *ad_chat_page_add_client       (AdChatPage *self,
                                                  const char *host,
                                                  guint16     port,
                                                  const char *nick);
guint              ad_chat_page_get_n_clients    (AdChatPage *self);
AdChatClientView  *ad_chat_page_get_client       (AdChatPage *self,
                                                  guint       index);

G_END_DECLS
