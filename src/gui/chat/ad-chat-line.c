/* ad-chat-line.c: one line of a chat client's conversation, for its list
 *
 * An immutable record (kind, local time of arrival, nick, text) made on
 * the main thread when the client receives a line, or when the user sends
 * one: the server never echoes a sender's own message, so the view adds
 * it itself, marked "own". A plain GObject so that a GtkListView can show
 * a GListStore of them and recycle its rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Chat"

#include "config.h"

#include "ad-chat-line.h"

struct _AdChatLine
{
  GObject         parent_instance;

  AdChatLineKind  kind;
  gboolean        own;
  GDateTime      *time;
  char           *nick;
  char           *text;
};

G_DEFINE_FINAL_TYPE (AdChatLine, ad_chat_line, G_TYPE_OBJECT)

static void
ad_chat_line_finalize (GObject *object)
{
  AdChatLine *self = AD_CHAT_LINE (object);

  g_clear_pointer (&self->time, g_date_time_unref);
  g_free (self->nick);
  g_free (self->text);

  G_OBJECT_CLASS (ad_chat_line_parent_class)->finalize (object);
}

static void
ad_chat_line_class_init (AdChatLineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ad_chat_line_finalize;
}

static void
ad_chat_line_init (AdChatLine *self)
{
}

/**
 * ad_chat_line_new:
 * @kind: what the line is
 * @nick: (nullable): the sender of a message or an action
 * @text: the text, without the sender
 *
 * Returns: (transfer full): a line stamped with the current local time
 */
AdChatLine *
ad_chat_line_new (AdChatLineKind  kind,
                  const char     *nick,
                  const char     *text)
{
  AdChatLine *self = g_object_new (AD_TYPE_CHAT_LINE, NULL);

  self->kind = kind;
  self->time = g_date_time_new_now_local ();
  self->nick = g_strdup (nick);
  self->text = g_strdup (text != NULL ? text : "");

  return self;
}

AdChatLineKind
ad_chat_line_get_kind (AdChatLine *self)
{
  g_return_val_if_fail (AD_IS_CHAT_LINE (self), AD_CHAT_LINE_OTHER);
  return self->kind;
}

const char *
ad_chat_line_get_nick (AdChatLine *self)
{
  g_return_val_if_fail (AD_IS_CHAT_LINE (self), NULL);
  return self->nick;
}

const char *
ad_chat_line_get_text (AdChatLine *self)
{
  g_return_val_if_fail (AD_IS_CHAT_LINE (self), NULL);
  return self->text;
}

/**
 * ad_chat_line_get_time:
 *
 * Returns: (transfer none): when the line arrived or was sent
 */
GDateTime *
ad_chat_line_get_time (AdChatLine *self)
{
  g_return_val_if_fail (AD_IS_CHAT_LINE (self), NULL);
  return self->time;
}

/**
 * ad_chat_line_get_own:
 *
 * Returns: %TRUE for a line this client sent
 */
gboolean
ad_chat_line_get_own (AdChatLine *self)
{
  g_return_val_if_fail (AD_IS_CHAT_LINE (self), FALSE);
  return self->own;
}

void
ad_chat_line_set_own (AdChatLine *self,
                      gboolean    own)
{
  g_return_if_fail (AD_IS_CHAT_LINE (self));
  self->own = !!own;
}
