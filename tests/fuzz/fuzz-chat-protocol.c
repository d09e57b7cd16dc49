/* fuzz-chat-protocol.c: the chat's line protocol against arbitrary bytes
 *
 * The first byte picks a chunk size; the rest is a stream from a client,
 * fed to the framer in chunks of that size. Every line is sanitised,
 * parsed and classified, and the invariants the server relies on are
 * checked: lines within the limit, valid UTF-8 out, no control character
 * (so no escape sequence) left, no white space at either end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-chat-protocol.h"

#define MAX_LINE 64

static void
check_clean (const char *text)
{
  gsize len = strlen (text);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (c < 0x20 || (c >= 0x7F && c <= 0x9F));
      g_assert_false ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069));
    }
  if (len > 0)
    {
      g_assert_false (g_ascii_isspace (text[0]));
      g_assert_false (g_ascii_isspace (text[len - 1]));
    }
}

static gboolean
line_cb (const char *line,
         gsize       length,
         gboolean    too_long,
         gpointer    user_data)
{
  g_autofree char *clean = NULL;
  g_autofree char *argument = NULL;
  g_autofree char *nick = NULL;
  g_autofree char *text = NULL;
  AdChatCommand command;

  if (too_long)
    {
      g_assert_null (line);
      return TRUE;
    }

  g_assert_cmpuint (length, <=, MAX_LINE);
  g_assert_null (memchr (line, '\n', length));

  clean = ad_chat_sanitize (line, length);
  check_clean (clean);

  command = ad_chat_parse_line (line, length, &argument);
  g_assert_nonnull (argument);
  g_assert_true (g_utf8_validate (argument, -1, NULL));
  if (command == AD_CHAT_COMMAND_NICK && ad_chat_nick_is_valid (argument))
    g_assert_cmpuint (strlen (argument), <=, AD_CHAT_NICK_MAX_LENGTH);

  ad_chat_classify_line (clean, &nick, &text);
  g_assert_nonnull (text);

  return TRUE;
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  AdChatFramer framer;
  gsize chunk;

  if (size == 0)
    return 0;

  chunk = (data[0] % 32) + 1;
  data++;
  size--;

  ad_chat_framer_init (&framer, MAX_LINE);
  for (gsize offset = 0; offset < size; offset += chunk)
    {
      ad_chat_framer_feed (&framer, data + offset, MIN (chunk, size - offset), line_cb, NULL);
      g_assert_true (framer.partial_len <= MAX_LINE + 1);
    }
  ad_chat_framer_clear (&framer);

  return 0;
}
