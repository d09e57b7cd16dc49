/* ad-chat-line.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_CHAT_LINE (ad_chat_line_get_type ())
G_DECLARE_FINAL_TYPE (AdChatLine, ad_chat_line, AD, CHAT_LINE, GObject)

AdChatLine     *ad_chat_line_new       (AdChatLineKind  kind,
                                        const char     *nick,
                                        const char     *text);
AdChatLineKind  ad_chat_line_get_kind  (AdChatLine     *self);
const char     *ad_chat_line_get_nick  (AdChatLine     *self);
const char     *ad_chat_line_get_text  (AdChatLine     *self);
GDateTime      *ad_chat_line_get_time  (AdChatLine     *self);
gboolean        ad_chat_line_get_own   (AdChatLine     *self);
void            ad_chat_line_set_own   (AdChatLine     *self,
                                        gboolean        own);

G_END_DECLS
