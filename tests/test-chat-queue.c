/* test-chat-queue.c: the chat server's output queues, over real sockets
 *
 * The server writes a line straight to the socket when the client's queue
 * is empty and queues it when the socket is full. These tests fill a
 * socket on purpose: a client that stops reading gets every line, in
 * order, once it reads again (as long as the backlog stays under the
 * bound), and a burst larger than the bound that the socket can take is
 * not mistaken for a slow client. The fixture checks on teardown that
 * every connection was finalized and no descriptor leaked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "chat-test-fixture.h"

#define PAYLOAD 200

static void
start_reading (TestClient *client)
{
  client->source = g_socket_create_source (client->socket, G_IO_IN, NULL);
  g_source_set_callback (client->source, G_SOURCE_FUNC (client_read_cb), client, NULL);
  g_source_attach (client->source, NULL);
}

static void
last_joined_cb (AdChatServer      *server,
                AdChatConnection  *conn,
                AdChatConnection **last)
{
  *last = conn;
}

static void
left_cb (AdChatServer     *server,
         AdChatConnection *conn,
         const char       *reason,
         guint            *left)
{
  (*left)++;
}

/* Lines "<guest-1> N ppp…" for N from 0 to @count - 1, in order, and
 * nothing else of guest-1's. */
static void
assert_all_in_order (TestClient *client,
                     guint       count)
{
  guint next = 0;

  for (guint i = 0; i < client->lines->len; i++)
    {
      const char *line = g_ptr_array_index (client->lines, i);
      g_autofree char *prefix = NULL;

      if (!g_str_has_prefix (line, "<guest-1> "))
        continue;
      prefix = g_strdup_printf ("<guest-1> %u ", next);
      g_assert_true (g_str_has_prefix (line, prefix));
      g_assert_cmpuint (strlen (line), ==, strlen (prefix) + PAYLOAD);
      next++;
    }
  g_assert_cmpuint (next, ==, count);
}

/* A client stops reading: its socket fills, the rest waits in its queue;
 * once it reads again it gets every line in order. */
static void
test_backlog_in_order (Fixture       *fixture,
                       gconstpointer  data)
{
  TestClient *sender = fixture_connect (fixture);
  TestClient *stuck = test_client_new_full (fixture->port, FALSE, 4096);
  g_autofree char *payload = g_strnfill (PAYLOAD, 'p');
  AdChatConnection *conn = NULL;
  guint left = 0, sent = 0, max_depth = 0;

  g_ptr_array_add (fixture->clients, stuck);
  ad_chat_server_set_max_queue_bytes (fixture->server, 16 * 1024 * 1024);
  g_signal_connect (fixture->server, "client-joined", G_CALLBACK (last_joined_cb), &conn);
  wait_until (conn != NULL, 5000);
  g_signal_connect (fixture->server, "client-left", G_CALLBACK (left_cb), &left);

  /* Until the server has had to queue a good share of them. */
  while (max_depth < 100)
    {
      g_autofree char *line = g_strdup_printf ("%u %s\n", sent++, payload);

      g_assert_cmpuint (sent, <, 200000);
      test_client_send (sender, line);
      g_main_context_iteration (NULL, FALSE);
      max_depth = MAX (max_depth, ad_chat_connection_get_queue_depth (conn));
    }
  g_assert_cmpuint (left, ==, 0);

  start_reading (stuck);
  wait_until (count_prefix (stuck, "<guest-1> ") == sent, 20000);
  assert_all_in_order (stuck, sent);
  g_assert_cmpuint (ad_chat_connection_get_queue_depth (conn), ==, 0);
  g_assert_true (ad_chat_connection_is_open (conn));
  g_assert_cmpuint (left, ==, 0);
  g_signal_handlers_disconnect_by_data (fixture->server, &conn);
  g_signal_handlers_disconnect_by_data (fixture->server, &left);
}

/* One read brings more lines than the bound; the clients read, so their
 * sockets take them all: nobody is "too slow". */
static void
test_burst_over_bound (Fixture       *fixture,
                       gconstpointer  data)
{
  TestClient *sender = fixture_connect (fixture);
  TestClient *reader = fixture_connect (fixture);
  g_autofree char *payload = g_strnfill (PAYLOAD, 'p');
  g_autoptr(GString) burst = g_string_new (NULL);
  guint left = 0;
  const guint count = 60;  /* 60 × ~215 bytes: 12 KB in one write */

  ad_chat_server_set_max_queue_bytes (fixture->server, 4096);
  g_signal_connect (fixture->server, "client-left", G_CALLBACK (left_cb), &left);
  for (guint i = 0; i < count; i++)
    g_string_append_printf (burst, "%u %s\n", i, payload);
  test_client_send_len (sender, burst->str, burst->len);

  wait_until (count_prefix (reader, "<guest-1> ") == count, 10000);
  assert_all_in_order (reader, count);
  g_assert_cmpuint (left, ==, 0);
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 2);
  g_signal_handlers_disconnect_by_data (fixture->server, &left);
}

/* The position of the first line of @client starting with @prefix, or -1. */
static gint
find_prefix (TestClient *client,
             const char *prefix)
{
  for (guint i = 0; i < client->lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (client->lines, i), prefix))
      return (gint) i;
  return -1;
}

/* More clients send at once than one read takes (64 sockets) and than one
 * pass sends (64 lines), two of them quit after their lines: the server's
 * passes over the room read more input midway, and the lines read then
 * ride along to the clients not yet visited and go round to the others.
 * Every client gets every other client's lines once each, in order, and a
 * client's "left" notice after its lines. */
static void
test_burst_from_many (Fixture       *fixture,
                      gconstpointer  data)
{
  const guint n_clients = 80, n_lines = 3, quitters[] = { 10, 70 };
  TestClient *clients[80];

  for (guint i = 0; i < n_clients; i++)
    clients[i] = fixture_connect (fixture);
  /* The last join notices, then a clean slate. */
  wait_until (count_prefix (clients[0], "*** ") == n_clients - 1, 10000);
  for (guint i = 0; i < n_clients; i++)
    g_ptr_array_set_size (clients[i]->lines, 0);

  for (guint i = 0; i < n_clients; i++)
    {
      g_autoptr(GString) burst = g_string_new (NULL);

      for (guint j = 0; j < n_lines; j++)
        g_string_append_printf (burst, "%u %u\n", i, j);
      if (i == quitters[0] || i == quitters[1])
        g_string_append (burst, "/quit\n");
      test_client_send_len (clients[i], burst->str, burst->len);
    }

  for (guint i = 0; i < n_clients; i++)
    {
      TestClient *client = clients[i];

      if (i == quitters[0] || i == quitters[1])
        continue;
      wait_until (count_prefix (client, "<") == (n_clients - 1) * n_lines &&
                  count_prefix (client, "*** ") == 2, 20000);
      for (guint from = 0; from < n_clients; from++)
        {
          gint last = -1;

          if (from == i)
            continue;
          for (guint j = 0; j < n_lines; j++)
            {
              g_autofree char *text = g_strdup_printf ("> %u %u", from, j);
              gint at = -1, count = 0;

              for (guint k = 0; k < client->lines->len; k++)
                if (g_str_has_suffix (g_ptr_array_index (client->lines, k), text))
                  {
                    at = (gint) k;
                    count++;
                  }
              g_assert_cmpint (count, ==, 1);
              g_assert_cmpint (at, >, last);
              last = at;
            }
          if (from == quitters[0] || from == quitters[1])
            {
              const char *line = g_ptr_array_index (client->lines, last);
              g_autofree char *nick = g_strndup (line + 1, strcspn (line, ">") - 1);
              g_autofree char *notice = g_strdup_printf ("*** %s left (quit)", nick);

              g_assert_cmpint (find_prefix (client, notice), >, last);
            }
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ad_core_init ();
  warm_up ();

  g_test_add ("/chat/queue/backlog-in-order", Fixture, NULL, fixture_setup,
              test_backlog_in_order, fixture_teardown);
  /* The same with sender threads: their queues are the shards'. */
  g_test_add ("/chat/queue/backlog-in-order-threads", Fixture, GUINT_TO_POINTER (2),
              fixture_setup, test_backlog_in_order, fixture_teardown);
  g_test_add ("/chat/queue/burst-over-bound", Fixture, NULL, fixture_setup,
              test_burst_over_bound, fixture_teardown);
  g_test_add ("/chat/queue/burst-from-many", Fixture, NULL, fixture_setup,
              test_burst_from_many, fixture_teardown);

  return g_test_run ();
}
