/* ad-chat-client-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_CHAT_CLIENT_VIEW (ad_chat_client_view_get_type ())
G_DECLARE_FINAL_TYPE (AdChatClientView, ad_chat_client_view, AD, CHAT_CLIENT_VIEW, GtkWidget)

#define AD_CHAT_CLIENT_VIEW_MAX_LINES 2000

AdChatClientView *ad_chat_client_view_new          (const char       *host,
                                                    guint16           port,
                                                    const char       *nick);
AdChatClient     *ad_chat_client_view_get_client   (AdChatClientView *self);
GListModel       *ad_chat_client_view_get_lines    (AdChatClientView *self);
GListModel       *ad_chat_client_view_get_users    (AdChatClientView *self);
const char       *ad_chat_client_view_get_title    (AdChatClientView *self);
const char       *ad_chat_client_view_get_status   (AdChatClientView *self);
gboolean          ad_chat_client_view_get_running  (AdChatClientView *self);
void              ad_chat_client_view_set_draft    (AdChatClientView *self,
                                                    const char       *text);

G_END_DECLS
