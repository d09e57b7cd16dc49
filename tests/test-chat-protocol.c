/* test-chat-protocol.c: the chat protocol's pure functions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-core.h"

static gboolean
collect_cb (const char *line,
            gsize       length,
            gboolean    too_long,
            gpointer    user_data)
{
  g_ptr_array_add (user_data, too_long ? g_strdup ("<too long>") : g_strndup (line, length));
  return TRUE;
}

static void
test_protocol_framer (void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *long_line = g_strnfill (40, 'x');
  AdChatFramer framer;
  const char *input = "one\r\ntw";

  ad_chat_framer_init (&framer, 16);
  ad_chat_framer_feed (&framer, (const guint8 *) input, strlen (input), collect_cb, lines);
  ad_chat_framer_feed (&framer, (const guint8 *) "o\n\nthree\n", 9, collect_cb, lines);
  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "one");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "two");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "");
  g_assert_cmpstr (g_ptr_array_index (lines, 3), ==, "three");
  g_assert_null (framer.partial);

  /* An over-long line is reported once, as soon as it is too long, and
   * never buffered; the next line is fine. */
  g_ptr_array_set_size (lines, 0);
  for (guint i = 0; i < 10; i++)
    ad_chat_framer_feed (&framer, (const guint8 *) long_line, 40, collect_cb, lines);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "<too long>");
  g_assert_null (framer.partial);
  ad_chat_framer_feed (&framer, (const guint8 *) "xx\nok\n", 6, collect_cb, lines);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "ok");

  /* Exactly the limit fits, with or without "\r". */
  g_ptr_array_set_size (lines, 0);
  ad_chat_framer_feed (&framer, (const guint8 *) "0123456789abcdef\r\n", 18, collect_cb, lines);
  ad_chat_framer_feed (&framer, (const guint8 *) "0123456789abcdefg\n", 18, collect_cb, lines);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "0123456789abcdef");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "<too long>");

  /* One byte at a time. */
  g_ptr_array_set_size (lines, 0);
  for (const char *p = "ab\r\ncd\n"; *p != '\0'; p++)
    ad_chat_framer_feed (&framer, (const guint8 *) p, 1, collect_cb, lines);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "ab");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "cd");

  ad_chat_framer_clear (&framer);
}

static void
check_sanitize (const char *input,
                gssize      length,
                const char *expected)
{
  g_autofree char *out = ad_chat_sanitize (input, length < 0 ? strlen (input) : (gsize) length);

  g_assert_true (g_utf8_validate (out, -1, NULL));
  g_assert_cmpstr (out, ==, expected);
}

static void
test_protocol_sanitize (void)
{
  check_sanitize ("plain text", -1, "plain text");
  check_sanitize ("  trimmed\t", -1, "trimmed");
  check_sanitize ("tab\there", -1, "tab here");
  check_sanitize ("\x1b[31mred\x1b[0m", -1, "red");
  check_sanitize ("\x1b[1;31;48;5;200mbold\x1b[?25l", -1, "bold");
  check_sanitize ("a\x1b]0;evil title\x07" "b", -1, "ab");
  check_sanitize ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\" "b", -1, "alinkb");
  check_sanitize ("a\x1bPq#0;2;0;0;0\x1b\\b", -1, "ab");
  check_sanitize ("a\x1b" "cb", -1, "ab");       /* RIS */
  check_sanitize ("a\x1b(Bb", -1, "ab");        /* charset designation */
  check_sanitize ("a\xc2\x9b" "31mb", -1, "ab");  /* 8-bit CSI */
  check_sanitize ("a\xc2\x9d" "0;t\x07" "b", -1, "ab");  /* 8-bit OSC */
  check_sanitize ("bell\x07 bs\x08 cr\r del\x7f nul", -1, "bell bs cr del nul");
  check_sanitize ("nul\0inside", 10, "nulinside");
  check_sanitize ("bidi \xe2\x80\xaemoc.evil\xe2\x80\xac ok", -1, "bidi moc.evil ok");
  check_sanitize ("caf\xc3\xa9 \xe2\x9c\x93", -1, "café ✓");
  check_sanitize ("bad \xff\xfe end", -1, "bad \xef\xbf\xbd\xef\xbf\xbd end");
  check_sanitize ("cut \xe2\x9c", -1, "cut \xef\xbf\xbd\xef\xbf\xbd");
  check_sanitize ("\x1b[", -1, "");
  check_sanitize ("\x1b]unterminated osc", -1, "");
  check_sanitize ("", 0, "");
}

static void
check_parse (const char    *line,
             AdChatCommand  expected,
             const char    *argument)
{
  g_autofree char *arg = NULL;

  g_assert_cmpint (ad_chat_parse_line (line, strlen (line), &arg), ==, expected);
  g_assert_cmpstr (arg, ==, argument);
}

static void
test_protocol_parse (void)
{
  check_parse ("hello", AD_CHAT_COMMAND_MESSAGE, "hello");
  check_parse ("   ", AD_CHAT_COMMAND_EMPTY, "");
  check_parse ("\x1b[0m", AD_CHAT_COMMAND_EMPTY, "");
  check_parse ("/nick  alice ", AD_CHAT_COMMAND_NICK, "alice");
  check_parse ("/NICK bob", AD_CHAT_COMMAND_NICK, "bob");
  check_parse ("/who", AD_CHAT_COMMAND_WHO, "");
  check_parse ("/users", AD_CHAT_COMMAND_WHO, "");
  check_parse ("/me waves", AD_CHAT_COMMAND_ME, "waves");
  check_parse ("/me", AD_CHAT_COMMAND_EMPTY, "");
  check_parse ("/quit", AD_CHAT_COMMAND_QUIT, "");
  check_parse ("/help", AD_CHAT_COMMAND_HELP, "");
  check_parse ("/frobnicate now", AD_CHAT_COMMAND_UNKNOWN, "frobnicate");
  check_parse ("//not a command", AD_CHAT_COMMAND_MESSAGE, "/not a command");
  check_parse ("/nickname", AD_CHAT_COMMAND_UNKNOWN, "nickname");
}

static void
test_protocol_nick (void)
{
  g_autofree char *key = ad_chat_nick_key ("Alice");

  g_assert_true (ad_chat_nick_is_valid ("alice"));
  g_assert_true (ad_chat_nick_is_valid ("Bob_2-x"));
  g_assert_true (ad_chat_nick_is_valid ("a2345678901234567890"));
  g_assert_false (ad_chat_nick_is_valid ("a23456789012345678901"));
  g_assert_false (ad_chat_nick_is_valid (""));
  g_assert_false (ad_chat_nick_is_valid ("2pac"));
  g_assert_false (ad_chat_nick_is_valid ("-x"));
  g_assert_false (ad_chat_nick_is_valid ("two words"));
  g_assert_false (ad_chat_nick_is_valid ("caf\xc3\xa9"));
  g_assert_false (ad_chat_nick_is_valid ("a<b>"));
  g_assert_cmpstr (key, ==, "alice");
}

static void
test_protocol_classify (void)
{
  struct {
    const char     *line;
    AdChatLineKind  kind;
    const char     *nick;
    const char     *text;
  } cases[] = {
    { "<alice> hi there", AD_CHAT_LINE_MESSAGE, "alice", "hi there" },
    { "* bob waves", AD_CHAT_LINE_ACTION, "bob", "waves" },
    { "*** bob joined", AD_CHAT_LINE_NOTICE, NULL, "bob joined" },
    { "!!! the nick x is taken", AD_CHAT_LINE_ERROR, NULL, "the nick x is taken" },
    { "random", AD_CHAT_LINE_OTHER, NULL, "random" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *nick = NULL, *text = NULL;

      g_assert_cmpint (ad_chat_classify_line (cases[i].line, &nick, &text), ==, cases[i].kind);
      g_assert_cmpstr (nick, ==, cases[i].nick);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chat/protocol/framer", test_protocol_framer);
  g_test_add_func ("/chat/protocol/sanitize", test_protocol_sanitize);
  g_test_add_func ("/chat/protocol/parse", test_protocol_parse);
  g_test_add_func ("/chat/protocol/nick", test_protocol_nick);
  g_test_add_func ("/chat/protocol/classify", test_protocol_classify);

  return g_test_run ();
}
