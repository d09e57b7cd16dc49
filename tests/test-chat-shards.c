/* test-chat-shards.c: the chat server's sender threads, over real sockets
 *
 * What only the threaded path can get wrong (test-chat-threads runs every
 * other server test with threads too): the order of one client's lines
 * when its replies, the greeting and broadcasts travel through its shard;
 * a broadcast reaching every shard; a slow client dropped by the policy
 * on the main thread after its shard gave up on it; stopping while the
 * shards are busy writing. The fixture checks on teardown that every
 * connection was finalized and no descriptor leaked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "chat-test-fixture.h"

#define SHARDS 3

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

/* The number in "<nick> PREFIX%u", or -1. */
static gint64
line_number (const char *line,
             const char *prefix)
{
  if (!g_str_has_prefix (line, prefix))
    return -1;
  return g_ascii_strtoll (line + strlen (prefix), NULL, 10);
}

/* Three senders (on different shards) stream numbered lines and ask for
 * replies in between; a newcomer joins mid-stream. Every client must see
 * each sender's lines in order, without a gap, and the newcomer its
 * greeting first. */
static void
test_order (Fixture       *fixture,
            gconstpointer  data)
{
  TestClient *clients[7];
  TestClient *late = NULL;
  const guint n_lines = 300;

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    clients[i] = fixture_connect (fixture);
  wait_until (ad_chat_server_get_n_clients (fixture->server) == G_N_ELEMENTS (clients), 5000);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    g_ptr_array_set_size (clients[i]->lines, 0);

  for (guint n = 0; n < n_lines; n++)
    {
      for (guint s = 0; s < 3; s++)
        {
          g_autofree char *line = g_strdup_printf ("s%u %u\n", s, n);

          test_client_send (clients[s], line);
          /* A reply to one client between broadcasts to it. */
          if (n % 50 == 25)
            test_client_send (clients[s], "/who\n");
        }
      if (n == n_lines / 2)
        {
          late = test_client_new (fixture->port);
          g_ptr_array_add (fixture->clients, late);
        }
      if (n % 8 == 0)
        g_main_context_iteration (NULL, FALSE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      guint expect = i < 3 ? 2 * n_lines : 3 * n_lines;

      wait_until (count_prefix (clients[i], "<guest-") >= expect, 20000);
    }
  /* Every stream's last line: the senders' lines reach the newcomer in
   * each sender's order, not in one order across senders. */
  wait_until (late->lines->len > 0 && has_line (late, "<guest-1> s0 299") &&
              has_line (late, "<guest-2> s1 299") && has_line (late, "<guest-3> s2 299"), 20000);

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      gint64 next[3] = { 0, 0, 0 };

      for (guint l = 0; l < clients[i]->lines->len; l++)
        {
          const char *line = g_ptr_array_index (clients[i]->lines, l);

          for (guint s = 0; s < 3; s++)
            {
              g_autofree char *prefix = g_strdup_printf ("<guest-%u> s%u ", s + 1, s);
              gint64 number = line_number (line, prefix);

              if (number < 0)
                continue;
              if (number != next[s])
                g_error ("client %u: “%s” after line %" G_GINT64_FORMAT " of sender %u", i, line,
                         next[s] - 1, s);
              next[s]++;
            }
        }
      for (guint s = 0; s < 3; s++)
        g_assert_cmpint (next[s], ==, s == i ? 0 : n_lines);
      /* The replies reached their askers. */
      if (i < 3)
        g_assert_cmpuint (count_prefix (clients[i], "*** 7 here:") +
                          count_prefix (clients[i], "*** 8 here:"), ==, n_lines / 50);
    }

  /* The newcomer: its greeting first, then the history and the live lines
   * of each stream, from some line on, without a gap. */
  g_assert_true (g_str_has_prefix (g_ptr_array_index (late->lines, 0), "*** welcome "));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (late->lines, 1), "*** you are "));
  for (guint s = 0; s < 3; s++)
    {
      g_autofree char *prefix = g_strdup_printf ("<guest-%u> s%u ", s + 1, s);
      gint64 next = -1;

      for (guint l = 2; l < late->lines->len; l++)
        {
          gint64 number = line_number (g_ptr_array_index (late->lines, l), prefix);

          if (number < 0)
            continue;
          if (next >= 0 && number != next)
            g_error ("newcomer: line %" G_GINT64_FORMAT " of sender %u after %" G_GINT64_FORMAT,
                     number, s, next - 1);
          next = number + 1;
        }
      g_assert_cmpint (next, ==, n_lines);
    }
}

/* One line reaches the clients of every shard once, and not its sender. */
static void
test_broadcast_all (Fixture       *fixture,
                    gconstpointer  data)
{
  TestClient *clients[3 * SHARDS + 1];

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    clients[i] = fixture_connect (fixture);
  wait_until (ad_chat_server_get_n_clients (fixture->server) == G_N_ELEMENTS (clients), 5000);

  test_client_send (clients[0], "hello, shards\n");
  for (guint i = 1; i < G_N_ELEMENTS (clients); i++)
    wait_until (has_line (clients[i], "<guest-1> hello, shards"), 5000);

  /* Exactly once each; and a reply goes to its asker alone. */
  test_client_send (clients[1], "/who\n");
  wait_until (count_prefix (clients[1], "*** 10 here:") == 1, 5000);
  ad_test_spin (100);
  g_assert_false (has_line (clients[0], "<guest-1> hello, shards"));
  for (guint i = 1; i < G_N_ELEMENTS (clients); i++)
    g_assert_cmpuint (count_prefix (clients[i], "<guest-1> "), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    if (i != 1)
      g_assert_cmpuint (count_prefix (clients[i], "*** 10 here:"), ==, 0);
}

/* A client that never reads, on one shard, is dropped "too slow" by the
 * main thread's policy; the others, on every shard, get everything. */
static void
test_slow_client (Fixture       *fixture,
                  gconstpointer  data)
{
  TestClient *sender = fixture_connect (fixture);
  TestClient *readers[SHARDS];
  TestClient *stuck;
  g_autofree char *payload = g_strnfill (900, 'p');
  LeftData left = { 0 };
  guint sent = 0;

  for (guint i = 0; i < SHARDS; i++)
    readers[i] = fixture_connect (fixture);
  stuck = test_client_new_full (fixture->port, FALSE, 4096);
  g_ptr_array_add (fixture->clients, stuck);
  wait_until (ad_chat_server_get_n_clients (fixture->server) == SHARDS + 2, 5000);
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
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, SHARDS + 1);

  test_client_send (sender, "still here\n");
  for (guint i = 0; i < SHARDS; i++)
    {
      wait_until (has_line (readers[i], "<guest-1> still here"), 10000);
      g_assert_true (has_line (readers[i], "*** guest-5 left (too slow)"));
      g_assert_cmpuint (count_prefix (readers[i], "<guest-1> "), ==, sent + 1);
    }
  /* The stuck client is closed: its socket ends (after what it had). */
  g_signal_handlers_disconnect_by_data (fixture->server, &left);
  g_free (left.reason);
}

/* Stopping while every shard is writing: each client gets the end of its
 * stream, and teardown finds every connection finalized and no descriptor
 * left open. */
static void
test_stop_while_sending (Fixture       *fixture,
                         gconstpointer  data)
{
  TestClient *clients[4 * SHARDS];
  g_autofree char *payload = g_strnfill (400, 'q');
  TestClient *stuck;

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    clients[i] = fixture_connect (fixture);
  /* One that never reads: its shard still holds lines for it at the stop. */
  stuck = test_client_new_full (fixture->port, FALSE, 4096);
  g_ptr_array_add (fixture->clients, stuck);
  wait_until (ad_chat_server_get_n_clients (fixture->server) == G_N_ELEMENTS (clients) + 1, 5000);

  for (guint n = 0; n < 400; n++)
    {
      g_autofree char *line = g_strdup_printf ("%u %s\n", n, payload);

      test_client_send (clients[n % 3], line);
    }
  /* Let the room start broadcasting, then stop with the shards busy. */
  wait_until (count_prefix (clients[5], "<guest-") > 10, 5000);
  ad_chat_server_stop (fixture->server);
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    wait_until (clients[i]->eof, 10000);
}

/* The same with the polite stop: everyone is told, then closed. */
static void
test_stop_async_while_sending (Fixture       *fixture,
                               gconstpointer  data)
{
  TestClient *clients[4 * SHARDS];
  g_autofree char *payload = g_strnfill (400, 'q');
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    clients[i] = fixture_connect (fixture);
  wait_until (ad_chat_server_get_n_clients (fixture->server) == G_N_ELEMENTS (clients), 5000);

  for (guint n = 0; n < 400; n++)
    {
      g_autofree char *line = g_strdup_printf ("%u %s\n", n, payload);

      test_client_send (clients[n % 3], line);
    }
  wait_until (count_prefix (clients[5], "<guest-") > 10, 5000);
  ad_chat_server_stop_async (fixture->server, NULL, ad_test_store_result, &result);
  wait_until (result != NULL, 10000);
  g_assert_true (ad_chat_server_stop_finish (fixture->server, result, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      wait_until (clients[i]->eof, 10000);
      g_assert_true (has_line (clients[i], "*** server shutting down"));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ad_core_init ();
  warm_up ();

#define ADD(path, func) \
  g_test_add ("/chat-shards/" path, Fixture, GUINT_TO_POINTER (SHARDS), fixture_setup, func, \
              fixture_teardown)
  ADD ("order", test_order);
  ADD ("broadcast-all", test_broadcast_all);
  ADD ("slow-client", test_slow_client);
  ADD ("stop-while-sending", test_stop_while_sending);
  ADD ("stop-async-while-sending", test_stop_async_while_sending);
#undef ADD

  return g_test_run ();
}
