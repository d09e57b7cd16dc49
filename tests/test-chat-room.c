/* test-chat-room.c: the chat room's policy, driven without sockets
 *
 * The room's sink records what it would send to whom; the clock is the
 * @now every call takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-chat-room.h"

#define SEC ((gint64) G_USEC_PER_SEC)
#define T0  ((gint64) 1000 * SEC)

typedef struct
{
  AdChatMember member;
  gboolean     in_line;
  guint        renames;
} TestMember;

typedef struct
{
  AdChatRoom *room;
  GPtrArray  *events;  /* char *: "to NICK: LINE", "all but NICK: LINE", "said NICK: TEXT" */
  TestMember  members[64];
  guint       n_members;
} Fixture;

static char *
line_text (GBytes *line)
{
  gsize size;
  const char *data = g_bytes_get_data (line, &size);

  g_assert_cmpuint (size, >, 0);
  g_assert_cmpint ((guchar) data[size - 1], ==, '\n');

  return g_strndup (data, size - 1);
}

static void
sink_send (AdChatMember *to,
           GBytes       *line,
           gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *text = line_text (line);

  g_ptr_array_add (fixture->events, g_strdup_printf ("to %s: %s", to->nick, text));
}

static void
sink_broadcast (AdChatMember *except,
                GBytes       *line,
                gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *text = line_text (line);

  g_ptr_array_add (fixture->events, g_strdup_printf ("all but %s: %s",
                                                     except ? except->nick : "none", text));
}

static void
sink_renamed (AdChatMember *member,
              gpointer      user_data)
{
  ((TestMember *) member->peer)->renames++;
}

static void
sink_said (AdChatMember *member,
           const char   *text,
           gboolean      action,
           gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->events, g_strdup_printf ("said %s%s: %s", member->nick,
                                                     action ? " (action)" : "", text));
}

static gboolean
sink_in_line (AdChatMember *member,
              gpointer      user_data)
{
  return ((TestMember *) member->peer)->in_line;
}

static const AdChatRoomSink test_sink = {
  sink_send, sink_broadcast, sink_renamed, sink_said, sink_in_line,
};

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->room = ad_chat_room_new (&test_sink, fixture);
  fixture->events = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->room, ad_chat_room_free);
  for (guint i = 0; i < fixture->n_members; i++)
    ad_chat_member_clear (&fixture->members[i].member);
  g_ptr_array_unref (fixture->events);
}

/* A newcomer joins at @now; forgets what was recorded so far. */
static AdChatMember *
join (Fixture *fixture,
      gint64   now)
{
  TestMember *tm;

  g_assert_cmpuint (fixture->n_members, <, G_N_ELEMENTS (fixture->members));
  tm = &fixture->members[fixture->n_members++];
  tm->member.peer = tm;
  tm->member.id = fixture->n_members;
  ad_chat_room_join (fixture->room, &tm->member, now);
  ad_chat_room_announce_join (fixture->room, &tm->member);
  g_ptr_array_set_size (fixture->events, 0);

  return &tm->member;
}

static AdChatVerdict
say (Fixture      *fixture,
     AdChatMember *member,
     const char   *line,
     gint64        now)
{
  g_ptr_array_set_size (fixture->events, 0);
  return ad_chat_room_handle_line (fixture->room, member, line, strlen (line), FALSE, now);
}

/* Asserts the recorded events, in order, are exactly the NULL-terminated list. */
static void
assert_events (Fixture    *fixture,
               const char *first,
               ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *expected = first; expected != NULL; expected = va_arg (args, const char *))
    {
      g_assert_cmpuint (i, <, fixture->events->len);
      g_assert_cmpstr (g_ptr_array_index (fixture->events, i), ==, expected);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (fixture->events->len, ==, i);
}

static void
test_join_and_history (Fixture       *fixture,
                       gconstpointer  data)
{
  AdChatMember *a = join (fixture, T0);
  AdChatMember *b;
  TestMember tm = { 0 };

  g_assert_cmpstr (a->nick, ==, "guest-1");
  g_assert_cmpuint (((TestMember *) a->peer)->renames, ==, 1);

  ad_chat_room_set_history_length (fixture->room, 2);
  g_assert_cmpint (say (fixture, a, "one", T0), ==, AD_CHAT_VERDICT_SAID);
  assert_events (fixture, "all but guest-1: <guest-1> one", "said guest-1: one", (const char *) NULL);
  say (fixture, a, "two", T0);
  say (fixture, a, "three", T0);

  /* The newcomer gets the welcome, its nick and the last two lines; the
   * others hear of it. */
  tm.member.peer = &tm;
  tm.member.id = 99;
  g_ptr_array_set_size (fixture->events, 0);
  ad_chat_room_join (fixture->room, &tm.member, T0);
  b = &tm.member;
  ad_chat_room_announce_join (fixture->room, b);
  assert_events (fixture,
                 "to guest-2: *** welcome to the Async Demo chat; type /help for the commands",
                 "to guest-2: *** you are guest-2",
                 "to guest-2: <guest-1> two",
                 "to guest-2: <guest-1> three",
                 "all but guest-2: *** guest-2 joined",
                 (const char *) NULL);
  g_assert_cmpuint (ad_chat_room_get_n_members (fixture->room), ==, 2);
  g_assert_true (ad_chat_room_lookup (fixture->room, "GUEST-2") == b);
  g_assert_cmpuint (fixture->room->n_messages, ==, 3);

  /* Without announcements, nobody hears of joins and leaves. */
  fixture->room->announce = FALSE;
  g_ptr_array_set_size (fixture->events, 0);
  ad_chat_room_leave (fixture->room, b);
  ad_chat_room_announce_leave (fixture->room, b, "quit");
  assert_events (fixture, (const char *) NULL);
  g_assert_null (ad_chat_room_lookup (fixture->room, "guest-2"));
  ad_chat_member_clear (b);

  /* No history at all. */
  ad_chat_room_set_history_length (fixture->room, 0);
  g_assert_cmpuint (fixture->room->history.length, ==, 0);
  say (fixture, a, "four", T0);
  g_assert_cmpuint (fixture->room->history.length, ==, 0);
}

static void
test_leave (Fixture       *fixture,
            gconstpointer  data)
{
  AdChatMember *a = join (fixture, T0);
  AdChatMember *b = join (fixture, T0);
  AdChatMember *c = join (fixture, T0);

  ad_chat_room_leave (fixture->room, a);
  ad_chat_room_announce_leave (fixture->room, a, "quit");
  assert_events (fixture, "all but none: *** guest-1 left (quit)", (const char *) NULL);
  g_assert_false (a->in_room);
  g_assert_cmpuint (ad_chat_room_get_n_members (fixture->room), ==, 2);
  /* The last member moved into the hole keeps its index right. */
  g_assert_cmpuint (c->index, ==, 0);
  g_assert_cmpuint (b->index, ==, 1);
  g_assert_true (g_ptr_array_index (fixture->room->members, c->index) == c);
  g_assert_true (g_ptr_array_index (fixture->room->members, b->index) == b);
  g_assert_cmpint (say (fixture, a, "still here?", T0), ==, AD_CHAT_VERDICT_IGNORED);
  assert_events (fixture, (const char *) NULL);

  /* While the room closes, leaves are not announced. */
  fixture->room->closing = TRUE;
  g_ptr_array_set_size (fixture->events, 0);
  ad_chat_room_leave (fixture->room, b);
  ad_chat_room_announce_leave (fixture->room, b, "server shutting down");
  assert_events (fixture, (const char *) NULL);
}

static void
test_nick (Fixture       *fixture,
           gconstpointer  data)
{
  AdChatMember *a = join (fixture, T0);
  AdChatMember *b = join (fixture, T0);
  AdChatMember *c;
  TestMember *ta = a->peer;

  g_assert_cmpint (say (fixture, a, "/nick 1abc", T0), ==, AD_CHAT_VERDICT_NICK_INVALID);
  assert_events (fixture, "to guest-1: !!! invalid nick; use 1 to 20 letters, digits, - or _, "
                 "starting with a letter", (const char *) NULL);

  /* Nicks are unique in any case. */
  g_assert_cmpint (say (fixture, a, "/nick GUEST-2", T0), ==, AD_CHAT_VERDICT_NICK_TAKEN);
  assert_events (fixture, "to guest-1: !!! the nick GUEST-2 is taken", (const char *) NULL);
  g_assert_cmpstr (a->nick, ==, "guest-1");

  /* One's own nick: told, nothing changes, nobody else hears of it. */
  g_assert_cmpint (say (fixture, a, "/nick guest-1", T0), ==, AD_CHAT_VERDICT_NICK_UNCHANGED);
  assert_events (fixture, "to guest-1: *** you are guest-1", (const char *) NULL);
  g_assert_cmpuint (ta->renames, ==, 1);

  g_assert_cmpint (say (fixture, a, "/nick Alice", T0), ==, AD_CHAT_VERDICT_NICK_CHANGED);
  assert_events (fixture, "to Alice: *** you are Alice",
                 "all but Alice: *** guest-1 is now known as Alice", (const char *) NULL);
  g_assert_cmpuint (ta->renames, ==, 2);
  g_assert_true (ad_chat_room_lookup (fixture->room, "alice") == a);
  g_assert_null (ad_chat_room_lookup (fixture->room, "guest-1"));

  /* The old nick is free again; a case change of one's own nick is a change. */
  g_assert_cmpint (say (fixture, b, "/nick guest-1", T0), ==, AD_CHAT_VERDICT_NICK_CHANGED);
  g_assert_cmpint (say (fixture, a, "/nick ALICE", T0), ==, AD_CHAT_VERDICT_NICK_CHANGED);
  g_assert_true (ad_chat_room_lookup (fixture->room, "Alice") == a);

  /* The next guest skips a guest nick someone took. */
  g_assert_cmpint (say (fixture, b, "/nick guest-3", T0), ==, AD_CHAT_VERDICT_NICK_CHANGED);
  c = join (fixture, T0);
  g_assert_cmpstr (c->nick, ==, "guest-4");
}

static void
test_who (Fixture       *fixture,
          gconstpointer  data)
{
  AdChatMember *first = NULL;
  g_autoptr(GString) expected = g_string_new ("to a00: *** 60 here:");

  for (guint i = 0; i < 60; i++)
    {
      AdChatMember *m = join (fixture, T0);
      g_autofree char *nick = g_strdup_printf ("/nick %c%02u", i % 2 ? 'a' : 'A', 59 - i);

      g_assert_cmpint (say (fixture, m, nick, T0), ==, AD_CHAT_VERDICT_NICK_CHANGED);
      if (i == 59)
        first = m;
    }

  /* Sorted without regard to case, capped at 50 names. */
  for (guint i = 0; i < AD_CHAT_ROOM_WHO_MAX_NAMES; i++)
    g_string_append_printf (expected, " %c%02u", (59 - i) % 2 ? 'a' : 'A', i);
  g_string_append (expected, " and 10 more");

  g_assert_cmpint (say (fixture, first, "/who", T0), ==, AD_CHAT_VERDICT_REPLIED);
  assert_events (fixture, expected->str, (const char *) NULL);

  g_assert_cmpint (say (fixture, first, "/users", T0), ==, AD_CHAT_VERDICT_REPLIED);
  assert_events (fixture, expected->str, (const char *) NULL);
}

static void
test_who_few (Fixture       *fixture,
              gconstpointer  data)
{
  AdChatMember *a = join (fixture, T0);

  join (fixture, T0);
  g_assert_cmpint (say (fixture, a, "/who", T0), ==, AD_CHAT_VERDICT_REPLIED);
  assert_events (fixture, "to guest-1: *** 2 here: guest-1 guest-2", (const char *) NULL);
}

static void
test_rate_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  AdChatMember *a;

  fixture->room->rate_limit = 2.0;
  fixture->room->rate_burst = 3;
  a = join (fixture, T0);

  /* The burst. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (say (fixture, a, "hi", T0), ==, AD_CHAT_VERDICT_SAID);
  g_assert_cmpint (say (fixture, a, "hi", T0), ==, AD_CHAT_VERDICT_RATE_LIMITED);
  assert_events (fixture, "to guest-1: !!! rate limit: at most 2 lines per second; line dropped",
                 (const char *) NULL);
  /* Warned once until a line gets through; commands count too, /quit not. */
  g_assert_cmpint (say (fixture, a, "/who", T0), ==, AD_CHAT_VERDICT_RATE_LIMITED);
  assert_events (fixture, (const char *) NULL);
  g_assert_cmpint (say (fixture, a, "/quit", T0), ==, AD_CHAT_VERDICT_QUIT);

  /* Refill: 2 per second; a quarter second is half a token. */
  g_assert_cmpint (say (fixture, a, "hi", T0 + SEC / 4), ==, AD_CHAT_VERDICT_RATE_LIMITED);
  g_assert_cmpint (say (fixture, a, "hi", T0 + SEC / 2), ==, AD_CHAT_VERDICT_SAID);
  g_assert_cmpint (say (fixture, a, "hi", T0 + SEC / 2), ==, AD_CHAT_VERDICT_RATE_LIMITED);
  assert_events (fixture, "to guest-1: !!! rate limit: at most 2 lines per second; line dropped",
                 (const char *) NULL);

  /* A long pause refills up to the burst, no more. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (say (fixture, a, "hi", T0 + 100 * SEC), ==, AD_CHAT_VERDICT_SAID);
  g_assert_cmpint (say (fixture, a, "hi", T0 + 100 * SEC), ==, AD_CHAT_VERDICT_RATE_LIMITED);

  /* No limit. */
  fixture->room->rate_limit = 0;
  for (guint i = 0; i < 50; i++)
    g_assert_cmpint (say (fixture, a, "hi", T0 + 100 * SEC), ==, AD_CHAT_VERDICT_SAID);
}

static void
test_commands (Fixture       *fixture,
               gconstpointer  data)
{
  AdChatMember *a = join (fixture, T0);

  g_assert_cmpint (say (fixture, a, "/me waves", T0), ==, AD_CHAT_VERDICT_SAID);
  assert_events (fixture, "all but guest-1: * guest-1 waves", "said guest-1 (action): waves",
                 (const char *) NULL);

  g_assert_cmpint (say (fixture, a, "/frob it", T0), ==, AD_CHAT_VERDICT_UNKNOWN_COMMAND);
  assert_events (fixture, "to guest-1: !!! unknown command /frob; type /help for the commands",
                 (const char *) NULL);

  g_assert_cmpint (say (fixture, a, "//frob", T0), ==, AD_CHAT_VERDICT_SAID);
  assert_events (fixture, "all but guest-1: <guest-1> /frob", "said guest-1: /frob", (const char *) NULL);

  g_assert_cmpint (say (fixture, a, "/help", T0), ==, AD_CHAT_VERDICT_REPLIED);
  g_assert_cmpuint (fixture->events->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (fixture->events, 0),
                                   "to guest-1: *** commands:\n*** /nick NAME"));

  g_assert_cmpint (say (fixture, a, "", T0), ==, AD_CHAT_VERDICT_IGNORED);
  assert_events (fixture, (const char *) NULL);

  /* Quitting is the caller's to carry out: the member is still in. */
  g_assert_cmpint (say (fixture, a, "/quit", T0), ==, AD_CHAT_VERDICT_QUIT);
  assert_events (fixture, (const char *) NULL);
  g_assert_true (a->in_room);
}

static void
test_too_long (Fixture       *fixture,
               gconstpointer  data)
{
  AdChatMember *a = join (fixture, T0);

  fixture->room->max_line_length = 64;
  g_ptr_array_set_size (fixture->events, 0);
  g_assert_cmpint (ad_chat_room_handle_line (fixture->room, a, NULL, 0, TRUE, T0 + SEC), ==,
                   AD_CHAT_VERDICT_TOO_LONG);
  assert_events (fixture, "to guest-1: !!! line too long (over 64 bytes); discarded", (const char *) NULL);
  /* It counts as activity, not as having spoken. */
  g_assert_cmpint (a->last_activity, ==, T0 + SEC);
  g_assert_false (a->spoke);
  say (fixture, a, "hi", T0 + SEC);
  g_assert_true (a->spoke);
}

static void
test_sweep (Fixture       *fixture,
            gconstpointer  data)
{
  AdChatMember *idle, *stuck, *busy;
  g_autoptr(GArray) out = NULL;
  g_autoptr(GBytes) bye = NULL;
  g_autofree char *bye_text = NULL;

  fixture->room->idle_timeout = 60;
  fixture->room->line_timeout = 10;
  idle = join (fixture, T0);
  stuck = join (fixture, T0);
  busy = join (fixture, T0);

  /* @stuck began a line at T0 + 50 s and never finished it. */
  ((TestMember *) stuck->peer)->in_line = TRUE;
  stuck->line_started = ad_chat_room_seconds (T0 + 50 * SEC);
  say (fixture, stuck, "hi", T0 + 50 * SEC);
  say (fixture, busy, "hi", T0 + 55 * SEC);

  out = ad_chat_room_sweep (fixture->room, T0 + 60 * SEC);
  g_assert_cmpuint (out->len, ==, 0);
  g_clear_pointer (&out, g_array_unref);

  /* At 61 s: @idle is out; @stuck's line is 11 s old. Idle ones first. */
  out = ad_chat_room_sweep (fixture->room, T0 + 61 * SEC);
  g_assert_cmpuint (out->len, ==, 2);
  g_assert_true (g_array_index (out, AdChatDeparture, 0).member == idle);
  g_assert_cmpint (g_array_index (out, AdChatDeparture, 0).why, ==, AD_CHAT_GOODBYE_IDLE);
  g_assert_true (g_array_index (out, AdChatDeparture, 1).member == stuck);
  g_assert_cmpint (g_array_index (out, AdChatDeparture, 1).why, ==,
                   AD_CHAT_GOODBYE_LINE_TIMEOUT);
  g_clear_pointer (&out, g_array_unref);

  bye = ad_chat_room_goodbye_line (fixture->room, AD_CHAT_GOODBYE_LINE_TIMEOUT);
  bye_text = line_text (bye);
  g_assert_cmpstr (bye_text, ==, "!!! line not finished within 10 s; disconnecting");

  /* Without a line timeout, @stuck is only judged idle (it spoke at 50 s). */
  fixture->room->line_timeout = 0;
  out = ad_chat_room_sweep (fixture->room, T0 + 111 * SEC);
  g_assert_cmpuint (out->len, ==, 2);
  g_assert_true (g_array_index (out, AdChatDeparture, 1).member == stuck);
  g_assert_cmpint (g_array_index (out, AdChatDeparture, 1).why, ==, AD_CHAT_GOODBYE_IDLE);
  g_clear_pointer (&out, g_array_unref);

  /* Closing, or no timeouts at all: nobody. */
  fixture->room->closing = TRUE;
  out = ad_chat_room_sweep (fixture->room, T0 + 1000 * SEC);
  g_assert_cmpuint (out->len, ==, 0);
  g_clear_pointer (&out, g_array_unref);
  fixture->room->closing = FALSE;
  fixture->room->idle_timeout = 0;
  out = ad_chat_room_sweep (fixture->room, T0 + 1000 * SEC);
  g_assert_cmpuint (out->len, ==, 0);
}

static void
test_make_room (Fixture       *fixture,
                gconstpointer  data)
{
  AdChatMember *reader, *talker, *half1, *half2;

  fixture->room->max_clients = 4;
  reader = join (fixture, T0);   /* only reads */
  talker = join (fixture, T0);   /* spoke, then began a line */
  half2 = join (fixture, T0);
  g_assert_false (ad_chat_room_is_full (fixture->room));
  half1 = join (fixture, T0);
  g_assert_true (ad_chat_room_is_full (fixture->room));

  g_assert_null (ad_chat_room_pick_to_make_room (fixture->room));

  say (fixture, talker, "hi", T0);
  ((TestMember *) talker->peer)->in_line = TRUE;
  g_assert_null (ad_chat_room_pick_to_make_room (fixture->room));

  /* Of the two holding half a line, the one that came first. */
  ((TestMember *) half1->peer)->in_line = TRUE;
  ((TestMember *) half2->peer)->in_line = TRUE;
  half1->id = 1000;
  g_assert_true (ad_chat_room_pick_to_make_room (fixture->room) == half2);
  half1->id = 1;
  g_assert_true (ad_chat_room_pick_to_make_room (fixture->room) == half1);
  g_assert_false (reader->spoke);
}

static void
test_goodbyes (Fixture       *fixture,
               gconstpointer  data)
{
  static const struct { AdChatGoodbye why; const char *text; } cases[] = {
    { AD_CHAT_GOODBYE_QUIT, "*** bye" },
    { AD_CHAT_GOODBYE_IDLE, "*** idle for too long; disconnecting" },
    { AD_CHAT_GOODBYE_MADE_ROOM,
      "!!! the server is full and you never finished a line; disconnecting" },
    { AD_CHAT_GOODBYE_FULL, "!!! the server is full (7 clients); try again later" },
    { AD_CHAT_GOODBYE_TOO_SLOW, "!!! you fell too far behind; disconnecting" },
    { AD_CHAT_GOODBYE_SHUTDOWN, "*** server shutting down" },
  };
  g_autofree char *reason = NULL;
  g_autofree char *none = NULL;
  g_autoptr(GBytes) kick = NULL;
  g_autofree char *kick_text = NULL;

  fixture->room->max_clients = 7;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) line = ad_chat_room_goodbye_line (fixture->room, cases[i].why);
      g_autofree char *text = line_text (line);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* A kick's reason goes on the wire: cleaned of control characters. */
  reason = ad_chat_room_kick_reason ("spam\r\nFAKE LINE");
  g_assert_null (strchr (reason, '\n'));
  g_assert_null (strchr (reason, '\r'));
  g_assert_true (g_str_has_prefix (reason, "kicked: spam"));
  none = ad_chat_room_kick_reason (NULL);
  g_assert_cmpstr (none, ==, "kicked: no reason");
  kick = ad_chat_room_kick_line (none);
  kick_text = line_text (kick);
  g_assert_cmpstr (kick_text, ==, "*** you were kicked: no reason");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/chat-room/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("join-and-history", test_join_and_history);
  ADD ("leave", test_leave);
  ADD ("nick", test_nick);
  ADD ("who", test_who);
  ADD ("who-few", test_who_few);
  ADD ("rate-limit", test_rate_limit);
  ADD ("commands", test_commands);
  ADD ("too-long", test_too_long);
  ADD ("sweep", test_sweep);
  ADD ("make-room", test_make_room);
  ADD ("goodbyes", test_goodbyes);

#undef ADD

  return g_test_run ();
}
