/* ad-chat-protocol.c: the chat's line protocol as pure functions (no I/O)
 *
 * Everything a hostile peer can influence goes through this file first:
 * framing (bounded line length, "\n" or "\r\n"), UTF-8 repair, removal of
 * control characters and terminal escape sequences, command parsing and
 * nick rules. None of it does I/O or keeps global state, so a fuzzer can
 * call it with arbitrary bytes, and the server and the client share it.
 *
 * The framer keeps an incomplete line only while it is incomplete (the
 * buffer is freed as soon as the line ends), so an idle connection costs
 * no line buffer at all; a line longer than the limit is reported at once
 * and the rest of it is dropped as it arrives, never buffered.
 *
 * The sanitiser works on code points with a small state machine that knows
 * the shapes of ECMA-48 sequences: ESC [ … final (CSI, also the 8-bit
 * U+009B), ESC ] … BEL or ST (OSC) and the other string sequences (DCS, SOS,
 * PM, APC), and two- or three-byte ESC sequences. What is left is printable
 * text: C0/C1 controls and DEL are removed, a tab becomes a space, bidi
 * overrides (“Trojan Source”) are removed, invalid UTF-8 becomes U+FFFD.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Chat"

#include "config.h"

#include <string.h>

#include "ad-chat-protocol.h"

/* ---- framing -------------------------------------------------------------- */

void
ad_chat_framer_init (AdChatFramer *framer,
                     gsize         max_length)
{
  g_return_if_fail (framer != NULL);
  g_return_if_fail (max_length > 0);

  framer->partial = NULL;
  framer->partial_len = 0;
  framer->max_length = max_length;
  framer->discarding = FALSE;
}

void
ad_chat_framer_clear (AdChatFramer *framer)
{
  g_clear_pointer (&framer->partial, g_free);
  framer->partial_len = 0;
  framer->discarding = FALSE;
}

/* A trailing '\r' (from "\r\n") does not count against the limit. */
static gboolean
line_fits (const guint8 *line,
           gsize         length,
           gsize         max_length)
{
  if (length > 0 && line[length - 1] == '\r')
    length--;
  return length <= max_length;
}

/**
 * ad_chat_framer_feed:
 * @framer: the framer
 * @data: (array length=length): the next bytes of the stream
 * @length: how many
 * @func: called for every complete line and every over-long one
 *
 * Splits @data into lines. A line is handed to @func without its "\n" or
 * "\r\n"; it may be empty and may contain any byte (sanitise it next).
 */
void
ad_chat_framer_feed (AdChatFramer   *framer,
                     const guint8   *data,
                     gsize           length,
                     AdChatLineFunc  func,
                     gpointer        user_data)
{
  const guint8 *p = data;
  const guint8 *end = data + length;

  g_return_if_fail (framer != NULL);
  g_return_if_fail (data != NULL || length == 0);

  while (p < end)
    {
      const guint8 *nl = memchr (p, '\n', end - p);
      gsize chunk = (nl != NULL ? nl : end) - p;

      if (framer->discarding)
        {
          /* Still inside an over-long line: drop up to its end. */
          if (nl == NULL)
            return;
          framer->discarding = FALSE;
          p = nl + 1;
          continue;
        }

      if (nl != NULL && framer->partial == NULL)
        {
          /* The common case: a whole line in the chunk, no copy. */
          gsize n = chunk;

          if (n > 0 && p[n - 1] == '\r')
            n--;
          if (!line_fits (p, chunk, framer->max_length))
            {
              if (!func (NULL, 0, TRUE, user_data))
                return;
            }
          else if (!func ((const char *) p, n, FALSE, user_data))
            return;
          p = nl + 1;
          continue;
        }

      /* An incomplete line, or the end of one begun in an earlier chunk.
       * Never keep more than the limit (plus room for a '\r'). */
      if (framer->partial_len + chunk > framer->max_length + 1)
        {
          ad_chat_framer_clear (framer);
          framer->discarding = (nl == NULL);
          if (!func (NULL, 0, TRUE, user_data))
            return;
          p = (nl != NULL) ? nl + 1 : end;
          continue;
        }

      framer->partial = g_realloc (framer->partial, framer->partial_len + chunk + 1);
      memcpy (framer->partial + framer->partial_len, p, chunk);
      framer->partial_len += chunk;

      if (nl == NULL)
        return;

      {
        g_autofree guint8 *line = g_steal_pointer (&framer->partial);
        gsize n = framer->partial_len;
        gboolean fits = line_fits (line, n, framer->max_length);

        framer->partial_len = 0;
        p = nl + 1;
        if (n > 0 && line[n - 1] == '\r')
          n--;
        line[n] = '\0';
        if (!(fits ? func ((const char *) line, n, FALSE, user_data)
                   : func (NULL, 0, TRUE, user_data)))
          return;
      }
    }
}

/* ---- sanitising ------------------------------------------------------------ */

typedef enum
{
  SCAN_TEXT,
  SCAN_ESC,          /* after ESC */
  SCAN_ESC_INTER,    /* ESC followed by intermediates (0x20–0x2F) */
  SCAN_CSI,          /* parameters and intermediates up to a final byte */
  SCAN_STRING,       /* OSC, DCS, SOS, PM, APC: up to BEL or ST */
  SCAN_STRING_ESC,   /* ESC inside a string: ST if '\' follows */
} ScanState;

static gboolean
is_removed_format_char (gunichar c)
{
  /* Bidi embeddings, overrides and isolates, and the BOM. */
  return (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) ||
         c == 0xFEFF;
}

/**
 * ad_chat_sanitize:
 * @data: (array length=length): one line, any bytes
 * @length: its length
 *
 * Returns: (transfer full): @data as valid UTF-8 without control
 *   characters, escape sequences or leading and trailing white space
 */
char *
ad_chat_sanitize (const char *data,
                  gsize       length)
{
  GString *out = g_string_sized_new (length + 1);
  ScanState state = SCAN_TEXT;
  gsize i = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  while (i < length)
    {
      gunichar c;
      gsize n;

      if (data[i] == '\0')
        {
          /* Terminals ignore NUL, even inside sequences; so do we. */
          i++;
          continue;
        }

      c = g_utf8_get_char_validated (data + i, length - i);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Invalid or truncated: replace one byte and resynchronise. An
           * escape sequence cannot continue through garbage. */
          i++;
          state = SCAN_TEXT;
          g_string_append_unichar (out, 0xFFFD);
          continue;
        }
      n = g_utf8_next_char (data + i) - (data + i);

      switch (state)
        {
        case SCAN_TEXT:
          if (c == 0x1B)
            state = SCAN_ESC;
          else if (c == 0x9B)
            state = SCAN_CSI;
          else if (c == 0x9D || c == 0x90 || c == 0x98 || c == 0x9E || c == 0x9F)
            state = SCAN_STRING;
          else if (c == '\t')
            g_string_append_c (out, ' ');
          else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || is_removed_format_char (c))
            ; /* dropped */
          else
            g_string_append_len (out, data + i, n);
          i += n;
          break;

        case SCAN_ESC:
          if (c == '[')
            state = SCAN_CSI;
          else if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_')
            state = SCAN_STRING;
          else if (c >= 0x20 && c <= 0x2F)
            state = SCAN_ESC_INTER;
          else if (c >= 0x30 && c <= 0x7E)
            state = SCAN_TEXT;
          else
            {
              /* Not a sequence after all: look at this character again. */
              state = SCAN_TEXT;
              continue;
            }
          i += n;
          break;

        case SCAN_ESC_INTER:
          if (c >= 0x30 && c <= 0x7E)
            state = SCAN_TEXT;
          else if (!(c >= 0x20 && c <= 0x2F))
            {
              state = SCAN_TEXT;
              continue;
            }
          i += n;
          break;

        case SCAN_CSI:
          if (c >= 0x40 && c <= 0x7E)
            state = SCAN_TEXT;
          else if (!(c >= 0x20 && c <= 0x3F))
            {
              /* A control or non-ASCII character cancels the sequence. */
              state = SCAN_TEXT;
              continue;
            }
          i += n;
          break;

        case SCAN_STRING:
          if (c == 0x07 || c == 0x9C)
            state = SCAN_TEXT;
          else if (c == 0x1B)
            state = SCAN_STRING_ESC;
          i += n;
          break;

        case SCAN_STRING_ESC:
          if (c == '\\')
            {
              state = SCAN_TEXT;
              i += n;
            }
          else
            state = SCAN_ESC;  /* the ESC began a new sequence */
          break;

        default:
          g_assert_not_reached ();
        }
    }

  g_strstrip (out->str);
  out->len = strlen (out->str);

  return g_string_free (out, FALSE);
}

/* ---- commands and nicks --------------------------------------------------- */

static const struct
{
  const char    *name;
  AdChatCommand  command;
} commands[] = {
  { "nick",  AD_CHAT_COMMAND_NICK },
  { "who",   AD_CHAT_COMMAND_WHO },
  { "users", AD_CHAT_COMMAND_WHO },
  { "me",    AD_CHAT_COMMAND_ME },
  { "quit",  AD_CHAT_COMMAND_QUIT },
  { "help",  AD_CHAT_COMMAND_HELP },
};

/**
 * ad_chat_parse_line:
 * @data: (array length=length): one line from a client, any bytes
 * @length: its length
 * @argument: (out) (transfer full): the cleaned message, the command's
 *   argument ("" when it has none), or the unknown command's name
 *
 * Sanitises the line, then tells a message from a command. A line that
 * starts with "//" is a message that starts with "/".
 */
AdChatCommand
ad_chat_parse_line (const char  *data,
                    gsize        length,
                    char       **argument)
{
  g_autofree char *clean = ad_chat_sanitize (data, length);
  const char *word, *rest;
  gsize word_len;

  g_return_val_if_fail (argument != NULL, AD_CHAT_COMMAND_EMPTY);

  if (clean[0] == '\0')
    {
      *argument = g_strdup ("");
      return AD_CHAT_COMMAND_EMPTY;
    }

  if (clean[0] != '/' || clean[1] == '/')
    {
      *argument = (clean[0] == '/') ? g_strdup (clean + 1) : g_steal_pointer (&clean);
      return AD_CHAT_COMMAND_MESSAGE;
    }

  word = clean + 1;
  word_len = strcspn (word, " ");
  rest = word + word_len;
  while (*rest == ' ')
    rest++;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (word_len == strlen (commands[i].name) &&
          g_ascii_strncasecmp (word, commands[i].name, word_len) == 0)
        {
          if (commands[i].command == AD_CHAT_COMMAND_ME && *rest == '\0')
            {
              *argument = g_strdup ("");
              return AD_CHAT_COMMAND_EMPTY;
            }
          *argument = g_strdup (rest);
          return commands[i].command;
        }
    }

  *argument = g_strndup (word, word_len);
  return AD_CHAT_COMMAND_UNKNOWN;
}

/**
 * ad_chat_nick_is_valid:
 * @nick: a proposed nick
 *
 * A nick is 1 to %AD_CHAT_NICK_MAX_LENGTH ASCII letters, digits, '-' or
 * '_', and starts with a letter. ASCII keeps look-alike nicks out and makes
 * case-insensitive uniqueness simple.
 */
gboolean
ad_chat_nick_is_valid (const char *nick)
{
  gsize len;

  if (nick == NULL || !g_ascii_isalpha (nick[0]))
    return FALSE;

  len = strlen (nick);
  if (len > AD_CHAT_NICK_MAX_LENGTH)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (nick[i]) && nick[i] != '-' && nick[i] != '_')
      return FALSE;

  return TRUE;
}

/**
 * ad_chat_nick_key:
 *
 * Returns: (transfer full): the key under which @nick is unique
 */
char *
ad_chat_nick_key (const char *nick)
{
  return g_ascii_strdown (nick, -1);
}

/**
 * ad_chat_classify_line:
 * @line: a sanitised line from the server
 * @nick: (out) (optional) (transfer full): the sender, for messages and actions
 * @text: (out) (optional) (transfer full): the text
 *
 * Returns: what kind of line it is
 */
AdChatLineKind
ad_chat_classify_line (const char  *line,
                       char       **nick,
                       char       **text)
{
  AdChatLineKind kind = AD_CHAT_LINE_OTHER;
  const char *nick_start = NULL, *nick_end = NULL, *body = line;

  g_return_val_if_fail (line != NULL, AD_CHAT_LINE_OTHER);

  if (g_str_has_prefix (line, "*** "))
    {
      kind = AD_CHAT_LINE_NOTICE;
      body = line + 4;
    }
  else if (g_str_has_prefix (line, "!!! "))
    {
      kind = AD_CHAT_LINE_ERROR;
      body = line + 4;
    }
  else if (g_str_has_prefix (line, "* ") && line[2] != '\0' && line[2] != ' ')
    {
      kind = AD_CHAT_LINE_ACTION;
      nick_start = line + 2;
      nick_end = nick_start + strcspn (nick_start, " ");
      body = (*nick_end == ' ') ? nick_end + 1 : nick_end;
    }
  else if (line[0] == '<' && (nick_end = strstr (line, "> ")) != NULL && nick_end > line + 1)
    {
      kind = AD_CHAT_LINE_MESSAGE;
      nick_start = line + 1;
      body = nick_end + 2;
    }

  if (nick != NULL)
    *nick = (nick_start != NULL) ? g_strndup (nick_start, nick_end - nick_start) : NULL;
  if (text != NULL)
    *text = g_strdup (body);

  return kind;
}
