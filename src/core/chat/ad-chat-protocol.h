/* ad-chat-protocol.h: the chat's line protocol as pure functions (no I/O)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AD_CHAT_DEFAULT_PORT            8888
#define AD_CHAT_DEFAULT_ADDRESS         "127.0.0.1"
#define AD_CHAT_DEFAULT_MAX_LINE_LENGTH 1024
#define AD_CHAT_NICK_MAX_LENGTH         20

/* What a line from a client asks for. */
typedef enum
{
  AD_CHAT_COMMAND_EMPTY,    /* nothing left after cleaning: ignore */
  AD_CHAT_COMMAND_MESSAGE,  /* plain text for the others */
  AD_CHAT_COMMAND_NICK,
  AD_CHAT_COMMAND_WHO,
  AD_CHAT_COMMAND_ME,
  AD_CHAT_COMMAND_QUIT,
  AD_CHAT_COMMAND_HELP,
  AD_CHAT_COMMAND_UNKNOWN,
} AdChatCommand;

/* What a line from the server is (see docs/chat-protocol.md). */
typedef enum
{
  AD_CHAT_LINE_MESSAGE,  /* <nick> text */
  AD_CHAT_LINE_ACTION,   /* * nick text */
  AD_CHAT_LINE_NOTICE,   /* *** text */
  AD_CHAT_LINE_ERROR,    /* !!! text */
  AD_CHAT_LINE_OTHER,
} AdChatLineKind;

/* Splits a byte stream into lines of bounded length. All state is here,
 * so a fuzzer can drive it with arbitrary chunks. */
typedef struct
{
  guint8   *partial;      /* the incomplete line; NULL when there is none */
  gsize     partial_len;
  gsize     max_length;
  gboolean  discarding;   /* inside an over-long line: drop up to '\n' */
} AdChatFramer;

/* Called for each complete line (without "\n" or "\r\n"), or once with
 * @line NULL and @too_long TRUE as soon as a line exceeds the limit.
 * Return FALSE to stop: the rest of the chunk is dropped. */
typedef gboolean (*AdChatLineFunc) (const char *line,
                                    gsize       length,
                                    gboolean    too_long,
                                    gpointer    user_data);

void           ad_chat_framer_init     (AdChatFramer   *framer,
                                        gsize           max_length);
void           ad_chat_framer_clear    (AdChatFramer   *framer);
void           ad_chat_framer_feed     (AdChatFramer   *framer,
                                        const guint8   *data,
                                        gsize           length,
                                        AdChatLineFunc  func,
                                        gpointer        user_data);

char          *ad_chat_sanitize        (const char     *data,
                                        gsize           length);
AdChatCommand  ad_chat_parse_line      (const char     *data,
                                        gsize           length,
                                        char          **argument);
gboolean       ad_chat_nick_is_valid   (const char     *nick);
char          *ad_chat_nick_key        (const char     *nick);
AdChatLineKind ad_chat_classify_line   (const char     *line,
                                        char          **nick,
                                        char          **text);

G_END_DECLS
