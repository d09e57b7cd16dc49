/* test-chat.c: the chat server over real sockets
 *
 * The server runs on this thread's main loop on 127.0.0.1 at a free port;
 * the test clients are plain non-blocking GSockets on the same loop, so a
 * test can also play the hostile client (never reading, vanishing
 * mid-line, sending garbage). Every server test checks on teardown that
 * the server is finalized and that no file descriptor leaked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "chat-test-fixture.h"

/* test-chat-threads.c runs every server test again with sender threads. */
#ifndef CHAT_TEST_THREADS
#define CHAT_TEST_THREADS 0
#endif

/* ---- server ------------------------------------------------------------------- */

static void
test_broadcast (Fixture       *fixture,
                gconstpointer  data)
{
  TestClient *a = fixture_connect (fixture);
  TestClient *b = fixture_connect (fixture);
  TestClient *c = fixture_connect (fixture);
  guint next_a = 0, next_b = 0;

  wait_until (has_line (a, "*** guest-3 joined"), 5000);
  g_ptr_array_set_size (a->lines, 0);
  g_ptr_array_set_size (b->lines, 0);

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *la = g_strdup_printf ("a%u\n", i);
      g_autofree char *lb = g_strdup_printf ("b%u\n", i);

      test_client_send (a, la);
      test_client_send (b, lb);
    }

  wait_until (c->lines->len >= 100 && a->lines->len >= 50 && b->lines->len >= 50, 10000);

  /* Every line from each sender, in the order it was sent. */
  for (guint i = 0; i < c->lines->len; i++)
    {
      const char *line = g_ptr_array_index (c->lines, i);
      g_autofree char *expect_a = g_strdup_printf ("<guest-1> a%u", next_a);
      g_autofree char *expect_b = g_strdup_printf ("<guest-2> b%u", next_b);

      if (g_str_equal (line, expect_a))
        next_a++;
      else if (g_str_equal (line, expect_b))
        next_b++;
      else
        g_error ("unexpected or out-of-order line “%s”", line);
    }
  g_assert_cmpuint (next_a, ==, 50);
  g_assert_cmpuint (next_b, ==, 50);

  /* Nobody hears their own lines. */
  ad_test_spin (100);
  g_assert_cmpuint (count_prefix (a, "<guest-1>"), ==, 0);
  g_assert_cmpuint (count_prefix (b, "<guest-2>"), ==, 0);
  g_assert_cmpuint (count_prefix (a, "<guest-2>"), ==, 50);
  g_assert_cmpuint (ad_chat_server_get_n_messages (fixture->server), ==, 100);
}

static void
test_nick (Fixture       *fixture,
           gconstpointer  data)
{
  TestClient *a = fixture_connect (fixture);
  TestClient *b = fixture_connect (fixture);
  g_autoptr(AdChatConnection) first = NULL;

  test_client_send (a, "/nick alice\n");
  wait_until (has_line (a, "*** you are alice"), 5000);
  wait_until (has_line (b, "*** guest-1 is now known as alice"), 5000);

  /* Taken, case-insensitively; invalid; too long. */
  test_client_send (b, "/nick ALICE\n/nick 9lives\n/nick a23456789012345678901\n/nick\n");
  wait_until (count_prefix (b, "!!! ") >= 4, 5000);
  g_assert_true (has_line (b, "!!! the nick ALICE is taken"));
  g_assert_cmpuint (count_prefix (b, "!!! invalid nick"), ==, 3);

  /* A case change of one's own nick is fine. */
  test_client_send (a, "/nick Alice\n");
  wait_until (has_line (a, "*** you are Alice"), 5000);

  /* Messages carry the new nick; the old one is free again. */
  test_client_send (a, "hello\n");
  wait_until (has_line (b, "<Alice> hello"), 5000);
  test_client_send (a, "/nick carol\n");
  wait_until (has_line (a, "*** you are carol"), 5000);
  test_client_send (b, "/nick alice\n");
  wait_until (has_line (b, "*** you are alice"), 5000);

  first = g_list_model_get_item (ad_chat_server_get_clients (fixture->server), 0);
  g_assert_cmpstr (ad_chat_connection_get_nick (first), ==, "carol");
}

static void
test_commands (Fixture       *fixture,
               gconstpointer  data)
{
  TestClient *a = fixture_connect (fixture);
  TestClient *b = fixture_connect (fixture);

  test_client_send (a, "/who\n");
  wait_until (has_line (a, "*** 2 here: guest-1 guest-2"), 5000);
  test_client_send (b, "/users\n");
  wait_until (has_line (b, "*** 2 here: guest-1 guest-2"), 5000);

  test_client_send (a, "/me waves\n");
  wait_until (has_line (b, "* guest-1 waves"), 5000);

  test_client_send (a, "/help\n");
  wait_until (has_line (a, "*** start a line with // to send a message that starts with /"),
              5000);
  g_assert_true (count_prefix (a, "*** /nick") == 1);

  test_client_send (a, "/dance\n//dance\n");
  wait_until (has_line (a, "!!! unknown command /dance; type /help for the commands"), 5000);
  wait_until (has_line (b, "<guest-1> /dance"), 5000);

  test_client_send (a, "/quit\n");
  wait_until (a->eof, 5000);
  g_assert_true (has_line (a, "*** bye"));
  wait_until (has_line (b, "*** guest-1 left (quit)"), 5000);
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 1);
}

static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  TestClient *a = fixture_connect (fixture);
  TestClient *late;

  ad_chat_server_set_history_length (fixture->server, 20);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *line = g_strdup_printf ("m%u\n", i);

      test_client_send (a, line);
    }
  wait_until (ad_chat_server_get_n_messages (fixture->server) == 30, 5000);

  late = test_client_new (fixture->port);
  g_ptr_array_add (fixture->clients, late);
  wait_until (has_line (late, "<guest-1> m29"), 5000);

  /* The greeting, then exactly the last 20, in order. */
  g_assert_cmpuint (count_prefix (late, "<guest-1> "), ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *expect = g_strdup_printf ("<guest-1> m%u", i + 10);

      g_assert_cmpstr (g_ptr_array_index (late->lines, 2 + i), ==, expect);
    }
}

static void
test_long_line (Fixture       *fixture,
                gconstpointer  data)
{
  TestClient *a = fixture_connect (fixture);
  TestClient *b = fixture_connect (fixture);
  g_autofree char *huge = g_strnfill (200000, 'x');

  /* 200 kB without a newline, sent in pieces: rejected once, not buffered. */
  test_client_send (a, "before\n");
  test_client_send (a, huge);
  test_client_send (a, huge);
  test_client_send (a, "\nafter\n");
  wait_until (has_line (b, "<guest-1> after"), 5000);
  /* Order holds per client: with sender threads, the reply to a may land
   * after b's line. */
  wait_until (count_prefix (a, "!!! line too long") > 0, 5000);

  g_assert_cmpuint (count_prefix (a, "!!! line too long"), ==, 1);
  g_assert_cmpuint (b->lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (b->lines, 0), ==, "<guest-1> before");
}

static void
test_invalid_utf8 (Fixture       *fixture,
                   gconstpointer  data)
{
  TestClient *a = fixture_connect (fixture);
  TestClient *b = fixture_connect (fixture);

  test_client_send (a, "caf\xc3\xa9 \xc3\x28 \xff!\r\n");
  wait_until (b->lines->len >= 1, 5000);
  g_assert_cmpstr (g_ptr_array_index (b->lines, 0), ==,
                   "<guest-1> café \xef\xbf\xbd( \xef\xbf\xbd!");
  g_assert_true (g_utf8_validate (g_ptr_array_index (b->lines, 0), -1, NULL));
}

static void
test_escapes (Fixture       *fixture,
              gconstpointer  data)
{
  TestClient *a = fixture_connect (fixture);
  TestClient *b = fixture_connect (fixture);

  test_client_send (a, "\x1b[2J\x1b[Hclear \x1b]0;pwned\x07screen\x1b[31m!\x1b[0m\x07\x08\n");
  test_client_send (a, "\x1b[31m\n");  /* nothing left: not broadcast */
  test_client_send (a, "/me \x1b]52;c;Zm9v\x07pastes\n");
  wait_until (b->lines->len >= 2, 5000);
  g_assert_cmpstr (g_ptr_array_index (b->lines, 0), ==, "<guest-1> clear screen!");
  g_assert_cmpstr (g_ptr_array_index (b->lines, 1), ==, "* guest-1 pastes");
  for (guint i = 0; i < b->lines->len; i++)
    g_assert_null (strchr (g_ptr_array_index (b->lines, i), '\x1b'));
}

typedef struct
{
  guint  left;
  char  *reason;
} LeftData;

static void
left_cb (AdChatServer     *server,
         AdChatConnection *conn,
         const char       *reason,
         LeftData         *data)
{
  data->left++;
  g_free (data->reason);
  data->reason = g_strdup (reason);
}

static void
test_slow_client (Fixture       *fixture,
                  gconstpointer  data)
{
  TestClient *sender = fixture_connect (fixture);
  TestClient *reader = fixture_connect (fixture);
  TestClient *stuck = test_client_new_full (fixture->port, FALSE, 4096);
  g_autofree char *payload = g_strnfill (900, 'p');
  LeftData left = { 0 };
  guint sent = 0;

  g_ptr_array_add (fixture->clients, stuck);
  ad_chat_server_set_max_queue_bytes (fixture->server, 64 * 1024);
  wait_until (ad_chat_server_get_n_clients (fixture->server) == 3, 5000);
  g_signal_connect (fixture->server, "client-left", G_CALLBACK (left_cb), &left);

  /* Far more than the socket buffers and the queue bound hold. */
  while (left.left == 0)
    {
      g_autofree char *line = g_strdup_printf ("%u %s\n", sent++, payload);

      g_assert_cmpuint (sent, <, 100000);
      test_client_send (sender, line);
      if (sent % 16 == 0)
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpstr (left.reason, ==, "too slow");
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 2);

  /* The others kept receiving, everything, in order. */
  test_client_send (sender, "still here\n");
  wait_until (has_line (reader, "<guest-1> still here"), 10000);
  g_assert_true (has_line (reader, "*** guest-3 left (too slow)"));
  g_assert_cmpuint (count_prefix (reader, "<guest-1> "), ==, sent + 1);
  g_signal_handlers_disconnect_by_data (fixture->server, &left);
  g_free (left.reason);
}

static void
test_rate_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  TestClient *a, *b;
  GString *burst = g_string_new (NULL);

  ad_chat_server_set_rate_limit (fixture->server, 2);
  ad_chat_server_set_rate_burst (fixture->server, 5);
  a = fixture_connect (fixture);
  b = fixture_connect (fixture);

  for (guint i = 0; i < 30; i++)
    g_string_append_printf (burst, "flood %u\n", i);
  test_client_send (a, burst->str);
  g_string_free (burst, TRUE);

  wait_until (count_prefix (a, "!!! rate limit") == 1, 5000);
  ad_test_spin (200);
  /* The burst went through (a token may have come back meanwhile), the
   * rest was dropped with one warning, not twenty-five. */
  g_assert_cmpuint (count_prefix (b, "<guest-1> "), >=, 5);
  g_assert_cmpuint (count_prefix (b, "<guest-1> "), <=, 6);
  g_assert_true (has_line (b, "<guest-1> flood 4"));
  g_assert_false (has_line (b, "<guest-1> flood 29"));
  g_assert_cmpuint (count_prefix (a, "!!! rate limit"), ==, 1);

  /* Tokens come back with time. */
  ad_test_spin (1100);
  test_client_send (a, "later\n");
  wait_until (has_line (b, "<guest-1> later"), 5000);
}

static void
test_max_clients (Fixture       *fixture,
                  gconstpointer  data)
{
  TestClient *a, *refused, *again;

  ad_chat_server_set_max_clients (fixture->server, 2);
  a = fixture_connect (fixture);
  fixture_connect (fixture);

  refused = test_client_new (fixture->port);
  g_ptr_array_add (fixture->clients, refused);
  wait_until (refused->eof, 5000);
  g_assert_cmpuint (refused->lines->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (refused->lines, 0), ==,
                   "!!! the server is full (2 clients); try again later");
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 2);

  test_client_send (a, "/quit\n");
  wait_until (ad_chat_server_get_n_clients (fixture->server) == 1, 5000);
  again = fixture_connect (fixture);
  g_assert_false (again->eof);
}

/* Connects a client that sends @text (half a line) and stops; returns
 * once the server has read it. */
static TestClient *
connect_half_line (Fixture    *fixture,
                   const char *text)
{
  TestClient *client = fixture_connect (fixture);
  GListModel *clients = ad_chat_server_get_clients (fixture->server);
  /* The newest client is the last in the model. */
  g_autoptr(AdChatConnection) conn =
    g_list_model_get_item (clients, g_list_model_get_n_items (clients) - 1);

  test_client_send (client, text);
  wait_until (ad_chat_connection_get_bytes_in (conn) == strlen (text), 5000);

  return client;
}

static void
test_line_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *too_long = g_strnfill (1100, 'x');
  TestClient *reader, *typist, *slow, *longer;
  gint64 start;

  ad_chat_server_set_line_timeout (fixture->server, 1);
  reader = fixture_connect (fixture);
  typist = fixture_connect (fixture);
  start = g_get_monotonic_time ();
  slow = connect_half_line (fixture, "I am typing very slo");
  /* Over the length limit and never ended: discarded, and timed too. */
  longer = connect_half_line (fixture, too_long);

  /* A line sent in pieces, finished in time, is a line. */
  test_client_send (typist, "hel");
  ad_test_spin (300);
  test_client_send (typist, "lo\n");
  wait_until (has_line (reader, "<guest-2> hello"), 5000);

  wait_until (slow->eof && longer->eof, 10000);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_true (has_line (slow, "!!! line not finished within 1 s; disconnecting"));
  g_assert_true (has_line (longer, "!!! line too long (over 1024 bytes); discarded"));
  g_assert_true (has_line (longer, "!!! line not finished within 1 s; disconnecting"));
  g_assert_true (has_line (reader, "*** guest-3 left (line timeout)"));

  /* A client that only reads, or that finished its lines, stays. */
  g_assert_false (reader->eof);
  g_assert_false (typist->eof);
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 2);
}

/* Connections that send half a line and stop must not lock real users
 * out: a full server makes room by closing the oldest of them. */
static void
test_slow_line_flood (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char evicted[] =
    "!!! the server is full and you never finished a line; disconnecting";
  TestClient *lurker, *speaker, *flood[12];

  ad_chat_server_set_max_clients (fixture->server, 4);
  ad_chat_server_set_line_timeout (fixture->server, 0);  /* the eviction alone */
  lurker = fixture_connect (fixture);

  /* The fourth client fills the server; each next one makes room. */
  for (guint i = 0; i < 6; i++)
    flood[i] = connect_half_line (fixture, "hello, I am typ");
  wait_until (flood[0]->eof && flood[1]->eof && flood[2]->eof, 5000);
  g_assert_true (has_line (flood[0], evicted));
  g_assert_false (flood[3]->eof);
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 4);

  /* A real user gets in during the flood, and once it has said
   * something, the flood cannot push it out; nor a client that only reads. */
  speaker = fixture_connect (fixture);
  test_client_send (speaker, "hi\n");
  wait_until (count_prefix (lurker, "<guest-") == 1, 5000);
  /* Even in the middle of its next line. */
  test_client_send (speaker, "still ");
  for (guint i = 6; i < G_N_ELEMENTS (flood); i++)
    flood[i] = connect_half_line (fixture, "hello, I am typ");
  test_client_send (speaker, "here\n");
  wait_until (count_prefix (lurker, "<guest-") == 2, 5000);
  g_assert_false (lurker->eof);
  g_assert_false (speaker->eof);
  g_assert_false (flood[G_N_ELEMENTS (flood) - 1]->eof);
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 4);

}

/* The same flood in one burst: every connection (and a newcomer after
 * them) waits in the accept queue with its half line before the server
 * reads anything, so the server must read the members' input before it
 * decides that the room is full of real users. (Only with the epoll set:
 * without it, each client's input waits for its own source.) */
static void
test_slow_line_burst (Fixture       *fixture,
                      gconstpointer  data)
{
  TestClient *newcomer;

  if (g_getenv ("AD_TEST_CHAT_NO_EPOLL") != NULL)
    {
      g_test_skip ("one GSource per client: input is read by each client's own source");
      return;
    }
  ad_chat_server_set_max_clients (fixture->server, 4);
  ad_chat_server_set_line_timeout (fixture->server, 0);
  for (guint i = 0; i < 8; i++)
    {
      TestClient *client = test_client_new (fixture->port);

      g_ptr_array_add (fixture->clients, client);
      test_client_send (client, "hello, I am typ");
    }
  newcomer = test_client_new (fixture->port);
  g_ptr_array_add (fixture->clients, newcomer);

  wait_until (count_prefix (newcomer, "*** you are ") == 1 || count_prefix (newcomer, "!!! ") > 0,
              5000);
  g_assert_cmpuint (count_prefix (newcomer, "!!! "), ==, 0);
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 4);
}

static void
test_idle_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  TestClient *a, *b;

  ad_chat_server_set_idle_timeout (fixture->server, 1);
  a = fixture_connect (fixture);
  b = fixture_connect (fixture);

  /* b keeps talking, a says nothing. */
  for (guint i = 0; i < 8 && !a->eof; i++)
    {
      test_client_send (b, "tick\n");
      ad_test_spin (300);
    }
  wait_until (a->eof, 5000);
  g_assert_true (has_line (a, "*** idle for too long; disconnecting"));
  g_assert_false (b->eof);
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 1);
}

static gboolean
raise_fd_limit (guint needed)
{
  struct rlimit limit;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  limit.rlim_cur = limit.rlim_max;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);

  return limit.rlim_cur >= needed;
}

static gboolean
all_have_line (GPtrArray  *clients,
               guint       first,
               const char *line)
{
  for (guint i = first; i < clients->len; i++)
    if (!has_line (g_ptr_array_index (clients, i), line))
      return FALSE;
  return TRUE;
}

static void
test_many_clients (Fixture       *fixture,
                   gconstpointer  data)
{
  const guint n = 1000;
  TestClient *speaker;
  g_autofree char *expected = NULL;

  /* Each client is two descriptors here: ours and the server's. */
  if (!raise_fd_limit (2 * n + 100))
    {
      g_test_skip ("not enough file descriptors allowed");
      return;
    }

  /* No join notices: a thousand joins would be half a million lines. */
  ad_chat_server_set_announce (fixture->server, FALSE);
  ad_chat_server_set_max_clients (fixture->server, n + 10);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (fixture->clients, test_client_new (fixture->port));
  wait_until (ad_chat_server_get_n_clients (fixture->server) == n, 30000);
  speaker = g_ptr_array_index (fixture->clients, 0);
  wait_until (count_prefix (speaker, "*** you are ") == 1, 10000);
  for (guint i = 0; i < speaker->lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (speaker->lines, i), "*** you are "))
      expected = g_strdup_printf ("<%s> hello, everyone",
                                  (char *) g_ptr_array_index (speaker->lines, i) + 12);

  test_client_send (speaker, "hello, everyone\n");
  wait_until (all_have_line (fixture->clients, 1, expected), 30000);
  g_assert_false (has_line (speaker, expected));
}

static void
test_abrupt (Fixture       *fixture,
             gconstpointer  data)
{
  const guint n = 20;
  TestClient *sender, *witness;
  guint before = count_fds ();

  for (guint i = 0; i < n; i++)
    fixture_connect (fixture);
  sender = g_ptr_array_index (fixture->clients, 0);
  witness = g_ptr_array_index (fixture->clients, 1);
  wait_until (has_line (witness, "*** guest-20 joined"), 5000);
  g_ptr_array_set_size (witness->lines, 0);

  for (guint round = 0; round < 200; round++)
    {
      g_autofree char *line = g_strdup_printf ("line %u\n", round);

      test_client_send (sender, line);
      if (round % 20 == 10)
        {
          /* Vanish mid-broadcast: half a line, then either a FIN or a reset. */
          TestClient *victim = g_ptr_array_index (fixture->clients, fixture->clients->len - 1);

          test_client_send (victim, "half a li");
          if (round % 40 == 10)
            g_socket_set_option (victim->socket, SOL_SOCKET, SO_LINGER, 0, NULL);
          g_ptr_array_remove_index (fixture->clients, fixture->clients->len - 1);
        }
      g_main_context_iteration (NULL, FALSE);
    }

  wait_until (count_prefix (witness, "<guest-1> line ") == 200, 10000);
  for (guint i = 0, next = 0; i < witness->lines->len; i++)
    {
      const char *line = g_ptr_array_index (witness->lines, i);
      g_autofree char *expect = g_strdup_printf ("<guest-1> line %u", next);

      if (g_str_has_prefix (line, "<guest-1>"))
        {
          g_assert_cmpstr (line, ==, expect);
          next++;
        }
      else
        g_assert_true (g_str_has_prefix (line, "*** guest-"));
    }
  g_assert_false (has_line (witness, "<guest-20> half a li"));
  wait_until (ad_chat_server_get_n_clients (fixture->server) == 10, 5000);
  /* Ten clients are left, two descriptors each: every vanished client's
   * server side is closed too. */
  wait_until (count_fds () == before + 2 * 10, 5000);
}

static void
test_shutdown (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 5; i++)
    fixture_connect (fixture);
  /* One client that does not read: the grace period ends its wait. */
  g_ptr_array_add (fixture->clients, test_client_new_full (fixture->port, FALSE, 0));
  wait_until (ad_chat_server_get_n_clients (fixture->server) == 6, 5000);

  ad_chat_server_stop_async (fixture->server, NULL, ad_test_store_result, &result);
  g_assert_false (ad_chat_server_get_running (fixture->server));
  for (guint i = 0; i < 5; i++)
    {
      TestClient *client = g_ptr_array_index (fixture->clients, i);

      wait_until (client->eof, 5000);
      g_assert_cmpstr (g_ptr_array_index (client->lines, client->lines->len - 1), ==,
                       "*** server shutting down");
    }
  ad_test_wait_result (&result, 5000);
  g_assert_true (ad_chat_server_stop_finish (fixture->server, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (ad_chat_server_get_clients (fixture->server)), ==, 0);
}

static void
test_kick (Fixture       *fixture,
           gconstpointer  data)
{
  TestClient *a = fixture_connect (fixture);
  TestClient *b = fixture_connect (fixture);
  g_autoptr(AdChatConnection) conn =
    g_list_model_get_item (ad_chat_server_get_clients (fixture->server), 0);

  ad_chat_server_kick (fixture->server, conn, "spam\x1b[31m");
  wait_until (a->eof, 5000);
  g_assert_true (has_line (a, "*** you were kicked: spam"));
  wait_until (has_line (b, "*** guest-1 left (kicked: spam)"), 5000);
  g_assert_false (ad_chat_connection_is_open (conn));
}

static void
test_model (Fixture       *fixture,
            gconstpointer  data)
{
  GListModel *clients = ad_chat_server_get_clients (fixture->server);
  TestClient *a = fixture_connect (fixture);
  g_autoptr(AdChatConnection) conn = NULL;
  gpointer notified = NULL;  /* g_nullify_pointer() writes a whole pointer */

  fixture_connect (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (clients), ==, 2);
  g_assert_true (g_list_model_get_item_type (clients) == AD_TYPE_CHAT_CONNECTION);
  conn = g_list_model_get_item (clients, 0);
  g_assert_cmpstr (ad_chat_connection_get_nick (conn), ==, "guest-1");
  g_assert_true (g_str_has_prefix (ad_chat_connection_get_address (conn), "127.0.0.1:"));
  g_signal_connect_swapped (conn, "notify::bytes-in", G_CALLBACK (g_nullify_pointer), &notified);
  notified = GINT_TO_POINTER (1);

  test_client_send (a, "0123456789\n");
  /* Counters are notified on a coalescing tick. */
  wait_until (notified == NULL, 5000);
  g_assert_cmpuint (ad_chat_connection_get_bytes_in (conn), ==, 11);
  g_assert_cmpuint (ad_chat_connection_get_bytes_out (conn), >, 0);
  g_assert_cmpuint (ad_chat_connection_get_queue_depth (conn), ==, 0);
  g_signal_handlers_disconnect_by_data (conn, &notified);

  test_client_send (a, "/quit\n");
  wait_until (g_list_model_get_n_items (clients) == 1, 5000);
}

static AdTask *
find_task (GListModel *model,
           const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AdTask) task = g_list_model_get_item (model, i);

      if (g_str_equal (ad_task_get_name (task), name))
        return task;  /* the model keeps a reference */
    }
  return NULL;
}

static void
test_tasks (void)
{
  g_autoptr(AdTaskRegistry) registry = ad_task_registry_new (100);
  g_autoptr(AdChatServer) server =
    g_object_new (AD_TYPE_CHAT_SERVER, "registry", registry, "rate-limit", 0.0, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autoptr(TestClient) a = NULL;
  g_autoptr(TestClient) b = NULL;
  g_autoptr(AdTask) server_task = NULL;
  g_autoptr(AdTask) a_task = NULL;
  g_autoptr(AdTask) b_task = NULL;
  g_autoptr(AdChatConnection) a_conn = NULL;
  GListModel *children;

  g_assert_true (ad_chat_server_start (server, NULL, 0, &error));
  a = test_client_new (ad_chat_server_get_port (server));
  test_client_wait_ready (a);
  b = test_client_new (ad_chat_server_get_port (server));
  test_client_wait_ready (b);

  /* The server is a root task of kind "server", each client a child. */
  ad_task_registry_flush (registry);
  name = g_strdup_printf ("chat server 127.0.0.1:%u", ad_chat_server_get_port (server));
  server_task = g_object_ref (find_task (ad_task_registry_get_roots (registry), name));
  g_assert_cmpint (ad_task_get_kind (server_task), ==, AD_TASK_KIND_SERVER);
  g_assert_cmpint (ad_task_get_state (server_task), ==, AD_TASK_STATE_RUNNING);
  children = ad_task_get_children (server_task);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 2);

  a_conn = g_list_model_get_item (ad_chat_server_get_clients (server), 0);
  g_free (name);
  name = g_strdup_printf ("chat client %s", ad_chat_connection_get_address (a_conn));
  a_task = g_object_ref (find_task (children, name));
  g_assert_cmpint (ad_task_get_kind (a_task), ==, AD_TASK_KIND_SERVER);
  g_assert_true (ad_task_get_parent (a_task) == server_task);
  g_assert_cmpint (ad_task_get_state (a_task), ==, AD_TASK_STATE_RUNNING);

  /* Cancelling a client's task kicks the client. */
  ad_task_cancel (a_task);
  wait_until (a->eof, 5000);
  g_assert_true (has_line (a, "*** you were kicked: cancelled"));
  wait_until (ad_task_is_finished (a_task), 5000);
  g_assert_cmpint (ad_task_get_state (a_task), ==, AD_TASK_STATE_CANCELLED);

  /* A client that quits ends its task well. */
  ad_task_registry_flush (registry);
  g_clear_object (&a_conn);
  a_conn = g_list_model_get_item (ad_chat_server_get_clients (server), 0);  /* b's, now */
  g_free (name);
  name = g_strdup_printf ("chat client %s", ad_chat_connection_get_address (a_conn));
  b_task = g_object_ref (find_task (children, name));
  test_client_send (b, "/quit\n");
  wait_until (ad_task_is_finished (b_task), 5000);
  g_assert_cmpint (ad_task_get_state (b_task), ==, AD_TASK_STATE_SUCCEEDED);

  /* Cancelling the server's task stops the server. */
  ad_task_cancel (server_task);
  wait_until (ad_task_is_finished (server_task), 5000);
  g_assert_cmpint (ad_task_get_state (server_task), ==, AD_TASK_STATE_CANCELLED);
  g_assert_false (ad_chat_server_get_running (server));
  ad_test_spin (50);
  g_clear_object (&a_conn);
  g_assert_finalize_object (g_steal_pointer (&server));
}

/* ---- abuse and lifecycle -------------------------------------------------------- */

/* Reads whatever @client's socket holds; TRUE once the server has closed it
 * (end of stream or reset). For clients made without a reader. */
static gboolean
drain_until_closed (TestClient *client)
{
  char buffer[16384];

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (client->socket, buffer, sizeof buffer, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return FALSE;
      if (n <= 0)
        return TRUE;
    }
}

/* A client that sends commands and never reads the replies: the replies are
 * its own, no broadcast ever touches its queue, so only the guard at the
 * end of the command path can drop it. */
static void
test_command_flood (Fixture       *fixture,
                    gconstpointer  data)
{
  TestClient *other = fixture_connect (fixture);
  TestClient *flooder = test_client_new_full (fixture->port, FALSE, 4096);
  g_autoptr(GString) burst = g_string_new (NULL);
  TestClient *late;
  LeftData left = { 0 };
  guint sent = 0;

  g_ptr_array_add (fixture->clients, flooder);
  ad_chat_server_set_max_queue_bytes (fixture->server, 16 * 1024);
  wait_until (ad_chat_server_get_n_clients (fixture->server) == 2, 5000);
  g_signal_connect (fixture->server, "client-left", G_CALLBACK (left_cb), &left);

  for (guint i = 0; i < 32; i++)
    g_string_append (burst, i % 2 == 0 ? "/help\n" : "/who\n");
  while (left.left == 0)
    {
      /* A few megabytes of replies fill any socket buffer. */
      g_assert_cmpuint (sent, <, 200000);
      test_client_send_len (flooder, burst->str, burst->len);
      sent += 32;
      g_main_context_iteration (NULL, FALSE);
    }
  g_test_message ("the flooder was dropped after %u commands", sent);
  g_assert_cmpstr (left.reason, ==, "too slow");
  g_assert_cmpuint (left.left, ==, 1);
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 1);
  /* Its connection is closed, not merely out of the room. */
  wait_until (drain_until_closed (flooder), 5000);
  wait_until (has_line (other, "*** guest-2 left (too slow)"), 5000);

  /* The room still works: a newcomer joins and talks. */
  late = fixture_connect (fixture);
  test_client_send (late, "made it\n");
  wait_until (has_line (other, "<guest-3> made it"), 5000);
  g_assert_false (other->eof);
  g_assert_false (late->eof);
  g_signal_handlers_disconnect_by_data (fixture->server, &left);
  g_free (left.reason);
}

/* /who lists at most 50 names, sorted without regard to case, then a count. */
static void
test_who_cap (Fixture       *fixture,
              gconstpointer  data)
{
  const guint n = 53;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) expected = g_string_new (NULL);
  TestClient *asker = NULL;

  for (guint i = 1; i <= n; i++)
    {
      asker = fixture_connect (fixture);
      g_ptr_array_add (names, g_strdup_printf ("guest-%u", i));
    }
  g_ptr_array_sort (names, compare_names);

  g_string_printf (expected, "*** %u here:", n);
  for (guint i = 0; i < 50; i++)
    g_string_append_printf (expected, " %s", (const char *) g_ptr_array_index (names, i));
  g_string_append (expected, " and 3 more");

  g_ptr_array_set_size (asker->lines, 0);
  test_client_send (asker, "/who\n");
  wait_until (count_prefix (asker, "*** 53 here:") == 1, 5000);
  g_assert_cmpstr (g_ptr_array_index (asker->lines, 0), ==, expected->str);
}

/* /nick to one's own nick confirms it and tells nobody. */
static void
test_nick_same (Fixture       *fixture,
                gconstpointer  data)
{
  TestClient *a = fixture_connect (fixture);
  TestClient *b = fixture_connect (fixture);

  test_client_send (a, "/nick guest-1\n");
  wait_until (has_line (a, "*** you are guest-1"), 5000);
  g_assert_cmpuint (count_prefix (a, "!!! "), ==, 0);

  /* Lines from a reach b in order: once b has the marker, it would have
   * had any announcement. */
  test_client_send (a, "marker\n");
  wait_until (has_line (b, "<guest-1> marker"), 5000);
  g_assert_cmpuint (count_prefix (b, "*** guest-1 is now known as"), ==, 0);
  g_assert_cmpuint (b->lines->len, ==, 1);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* Every setting as a property: set, read back, notified once per change. */
static void
test_properties (void)
{
  g_autoptr(AdTaskRegistry) registry = ad_task_registry_new (10);
  g_autoptr(AdChatServer) server = g_object_new (AD_TYPE_CHAT_SERVER, "registry", registry, NULL);
  g_autoptr(AdTaskRegistry) got_registry = NULL;
  g_autoptr(GListModel) clients = NULL;
  g_autofree char *address = NULL;
  guint max_clients, max_line_length, history_length, max_queue_bytes, rate_burst;
  guint idle_timeout, line_timeout, n_clients, port;
  gboolean announce, running;
  double rate_limit;
  guint notified = 0;

  g_signal_connect_swapped (server, "notify", G_CALLBACK (count_cb), &notified);
  g_object_set (server, "max-clients", 7, "max-line-length", 64, "history-length", 3,
                "max-queue-bytes", 2048, "rate-limit", 2.5, "rate-burst", 4, "idle-timeout", 30,
                "line-timeout", 5, "announce", FALSE, NULL);
  g_assert_cmpuint (notified, ==, 9);
  g_object_get (server, "max-clients", &max_clients, "max-line-length", &max_line_length,
                "history-length", &history_length, "max-queue-bytes", &max_queue_bytes,
                "rate-limit", &rate_limit, "rate-burst", &rate_burst,
                "idle-timeout", &idle_timeout, "line-timeout", &line_timeout,
                "announce", &announce, "registry", &got_registry, "clients", &clients,
                "n-clients", &n_clients, "running", &running, "address", &address,
                "port", &port, NULL);
  g_assert_cmpuint (max_clients, ==, 7);
  g_assert_cmpuint (max_line_length, ==, 64);
  g_assert_cmpuint (history_length, ==, 3);
  g_assert_cmpuint (max_queue_bytes, ==, 2048);
  g_assert_cmpfloat (rate_limit, ==, 2.5);
  g_assert_cmpuint (rate_burst, ==, 4);
  g_assert_cmpuint (idle_timeout, ==, 30);
  g_assert_cmpuint (line_timeout, ==, 5);
  g_assert_false (announce);
  g_assert_true (got_registry == registry);
  g_assert_true (clients == ad_chat_server_get_clients (server));
  g_assert_cmpuint (n_clients, ==, 0);
  g_assert_false (running);
  g_assert_null (address);
  g_assert_cmpuint (port, ==, 0);

  /* The same values again: no notification. */
  g_object_set (server, "max-clients", 7, "max-line-length", 64, "history-length", 3,
                "max-queue-bytes", 2048, "rate-limit", 2.5, "rate-burst", 4, "idle-timeout", 30,
                "line-timeout", 5, "announce", FALSE, NULL);
  g_assert_cmpuint (notified, ==, 9);
}

/* start() while running, and while stopping, fails with BUSY and changes
 * nothing; once stopped, the server starts again. */
static void
test_start_twice (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestClient *a = fixture_connect (fixture);
  TestClient *b;

  g_assert_false (ad_chat_server_start (fixture->server, "127.0.0.1", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (ad_chat_server_get_running (fixture->server));
  g_assert_cmpuint (ad_chat_server_get_port (fixture->server), ==, fixture->port);
  test_client_send (a, "/who\n");
  wait_until (has_line (a, "*** 1 here: guest-1"), 5000);

  /* Stopping: a is told, but has not closed yet. */
  ad_chat_server_stop_async (fixture->server, NULL, ad_test_store_result, &result);
  g_assert_false (ad_chat_server_start (fixture->server, "127.0.0.1", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (ad_chat_server_get_running (fixture->server));

  wait_until (a->eof, 5000);
  g_socket_close (a->socket, NULL);
  ad_test_wait_result (&result, 5000);
  g_assert_true (ad_chat_server_stop_finish (fixture->server, result, &error));
  g_assert_no_error (error);

  g_assert_true (ad_chat_server_start (fixture->server, "127.0.0.1", fixture->port, &error));
  g_assert_no_error (error);
  b = fixture_connect (fixture);
  g_assert_false (b->eof);
}

/* A second stop_async() while the first is pending fails with PENDING; the
 * first completes normally. */
static void
test_stop_twice (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  TestClient *a = fixture_connect (fixture);

  ad_chat_server_stop_async (fixture->server, NULL, ad_test_store_result, &first);
  ad_chat_server_stop_async (fixture->server, NULL, ad_test_store_result, &second);

  ad_test_wait_result (&second, 5000);
  g_assert_false (ad_chat_server_stop_finish (fixture->server, second, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  g_assert_null (first);

  wait_until (a->eof, 5000);
  g_assert_cmpstr (g_ptr_array_index (a->lines, a->lines->len - 1), ==,
                   "*** server shutting down");
  g_socket_close (a->socket, NULL);
  ad_test_wait_result (&first, 5000);
  g_assert_true (ad_chat_server_stop_finish (fixture->server, first, &error));
  g_assert_no_error (error);
}

/* Cancelling a stop closes the stragglers at once: no waiting out the
 * two-second grace period for a client that never reads nor closes. */
static void
test_stop_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestClient *mute = test_client_new_full (fixture->port, FALSE, 0);
  gint64 start;

  g_ptr_array_add (fixture->clients, mute);
  wait_until (ad_chat_server_get_n_clients (fixture->server) == 1, 5000);

  ad_chat_server_stop_async (fixture->server, cancellable, ad_test_store_result, &result);
  ad_test_spin (50);
  g_assert_null (result);  /* the straggler holds it */

  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  wait_until (result != NULL, 5000);
  /* Before the grace period (two seconds from the stop) could end it;
   * not scaled under valgrind, or it would lose its meaning. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC / 2);
  g_assert_false (ad_chat_server_stop_finish (fixture->server, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  wait_until (drain_until_closed (mute), 5000);
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ad_core_init ();
  warm_up ();

#define ADD(path, func) \
  g_test_add ("/chat/" path, Fixture, GUINT_TO_POINTER (CHAT_TEST_THREADS), fixture_setup, \
              func, fixture_teardown)
  ADD ("broadcast", test_broadcast);
  ADD ("nick", test_nick);
  ADD ("commands", test_commands);
  ADD ("history", test_history);
  ADD ("long-line", test_long_line);
  ADD ("invalid-utf8", test_invalid_utf8);
  ADD ("escapes", test_escapes);
  ADD ("slow-client", test_slow_client);
  ADD ("rate-limit", test_rate_limit);
  ADD ("max-clients", test_max_clients);
  ADD ("idle-timeout", test_idle_timeout);
  ADD ("line-timeout", test_line_timeout);
  ADD ("slow-line-flood", test_slow_line_flood);
  ADD ("slow-line-burst", test_slow_line_burst);
  ADD ("many-clients", test_many_clients);
  ADD ("abrupt-disconnects", test_abrupt);
  ADD ("shutdown", test_shutdown);
  ADD ("kick", test_kick);
  ADD ("model", test_model);
  ADD ("command-flood", test_command_flood);
  ADD ("who-cap", test_who_cap);
  ADD ("nick-same", test_nick_same);
  ADD ("start-twice", test_start_twice);
  ADD ("stop-twice", test_stop_twice);
  ADD ("stop-cancel", test_stop_cancel);
#undef ADD
  g_test_add_func ("/chat/tasks", test_tasks);
  g_test_add_func ("/chat/properties", test_properties);

  return g_test_run ();
}
