/* test-chat-client.c: AdChatClient against a real AdChatServer
 *
 * The client on this thread's main loop talks to a server on 127.0.0.1;
 * plain test clients (chat-test-fixture.h) watch the room.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "chat-test-fixture.h"

/* ---- client ------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *lines;
  guint      kinds[AD_CHAT_LINE_OTHER + 1];
} Received;

static void
received_cb (AdChatClient   *client,
             AdChatLineKind  kind,
             const char     *nick,
             const char     *text,
             const char     *line,
             Received       *received)
{
  g_ptr_array_add (received->lines, g_strdup (line));
  received->kinds[kind]++;
}

static gboolean
received_has (Received   *received,
              const char *line)
{
  for (guint i = 0; i < received->lines->len; i++)
    if (g_str_equal (g_ptr_array_index (received->lines, i), line))
      return TRUE;
  return FALSE;
}

static void
test_client (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(AdChatClient) client = ad_chat_client_new ("127.0.0.1", fixture->port, "alice");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Received received = { g_ptr_array_new_with_free_func (g_free) };
  TestClient *other = fixture_connect (fixture);

  g_signal_connect (client, "line-received", G_CALLBACK (received_cb), &received);
  ad_chat_client_run_async (client, cancellable, ad_test_store_result, &result);
  /* Queued while connecting, sent once connected, after the /nick. */
  g_assert_true (ad_chat_client_send (client, "hi \x1b[31mall"));
  wait_until (g_strcmp0 (ad_chat_client_get_nick (client), "alice") == 0, 5000);
  g_assert_cmpint (ad_chat_client_get_state (client), ==, AD_CHAT_CLIENT_CONNECTED);
  wait_until (has_line (other, "<alice> hi all"), 5000);

  test_client_send (other, "hello alice\n/me smiles\n");
  wait_until (received_has (&received, "* guest-1 smiles"), 5000);
  g_assert_true (received_has (&received, "<guest-1> hello alice"));
  g_assert_cmpuint (received.kinds[AD_CHAT_LINE_MESSAGE], ==, 1);
  g_assert_cmpuint (received.kinds[AD_CHAT_LINE_ACTION], ==, 1);
  g_assert_cmpuint (received.kinds[AD_CHAT_LINE_NOTICE], >=, 2);

  /* The server goes away: the client waits, then comes back. */
  ad_chat_server_stop (fixture->server);
  wait_until (ad_chat_client_get_state (client) == AD_CHAT_CLIENT_WAITING, 5000);
  g_assert_nonnull (ad_chat_client_get_last_error (client));
  g_assert_true (ad_chat_server_start (fixture->server, "127.0.0.1", fixture->port, &error));
  g_assert_no_error (error);
  wait_until (ad_chat_client_get_state (client) == AD_CHAT_CLIENT_CONNECTED &&
              ad_chat_server_get_n_clients (fixture->server) == 1, 10000);
  g_assert_null (result);

  /* Cancelling ends the session quietly. */
  g_cancellable_cancel (cancellable);
  ad_test_wait_result (&result, 5000);
  g_assert_false (ad_chat_client_run_finish (client, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (ad_chat_client_get_state (client), ==, AD_CHAT_CLIENT_DISCONNECTED);
  wait_until (ad_chat_server_get_n_clients (fixture->server) == 0, 5000);

  g_signal_handlers_disconnect_by_data (client, &received);
  g_ptr_array_unref (received.lines);
  g_clear_object (&result);
  /* The session has ended, but its cancelled reads and writes return in
   * later iterations, each holding a reference until then. */
  wait_until (G_OBJECT (client)->ref_count == 1, 5000);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_client_quit (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(AdChatClient) client = ad_chat_client_new ("127.0.0.1", fixture->port, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ad_chat_client_run_async (client, NULL, ad_test_store_result, &result);
  wait_until (ad_chat_client_get_nick (client) != NULL, 5000);
  g_assert_true (g_str_has_prefix (ad_chat_client_get_nick (client), "guest-"));
  ad_chat_client_quit (client);
  ad_test_wait_result (&result, 5000);
  g_assert_true (ad_chat_client_run_finish (client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_client_refused (void)
{
  g_autoptr(AdChatServer) probe = ad_chat_server_new ();
  g_autoptr(AdChatClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A port that was free a moment ago: nobody listens there now. */
  g_assert_true (ad_chat_server_start (probe, NULL, 0, &error));
  port = ad_chat_server_get_port (probe);
  ad_chat_server_stop (probe);

  client = ad_chat_client_new ("127.0.0.1", port, NULL);
  ad_chat_client_set_reconnect (client, FALSE);
  ad_chat_client_run_async (client, NULL, ad_test_store_result, &result);
  ad_test_wait_result (&result, 5000);
  /* Without reconnecting, a failed connection ends the session. */
  g_assert_true (ad_chat_client_run_finish (client, result, &error));
  g_assert_nonnull (ad_chat_client_get_last_error (client));
}

/* A second run while one runs fails at once; the first is unharmed, and a
 * client whose session ended may run again. */
static void
test_client_run_twice (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(AdChatClient) client = ad_chat_client_new ("127.0.0.1", fixture->port, "bob");
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GAsyncResult) third = NULL;
  g_autoptr(GError) error = NULL;
  TestClient *other = fixture_connect (fixture);

  ad_chat_client_run_async (client, NULL, ad_test_store_result, &first);
  ad_chat_client_run_async (client, NULL, ad_test_store_result, &second);
  ad_test_wait_result (&second, 5000);
  g_assert_false (ad_chat_client_run_finish (client, second, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);

  wait_until (g_strcmp0 (ad_chat_client_get_nick (client), "bob") == 0, 5000);
  g_assert_true (ad_chat_client_send (client, "one"));
  wait_until (has_line (other, "<bob> one"), 5000);
  g_assert_cmpuint (ad_chat_server_get_n_clients (fixture->server), ==, 2);
  g_assert_null (first);

  ad_chat_client_quit (client);
  ad_test_wait_result (&first, 5000);
  g_assert_true (ad_chat_client_run_finish (client, first, &error));
  g_assert_no_error (error);
  g_assert_false (ad_chat_client_send (client, "nobody listens"));

  /* Again, after the end. */
  ad_chat_client_run_async (client, NULL, ad_test_store_result, &third);
  wait_until (has_line (other, "*** guest-3 is now known as bob"), 5000);
  ad_chat_client_quit (client);
  ad_test_wait_result (&third, 5000);
  g_assert_true (ad_chat_client_run_finish (client, third, &error));
  g_clear_object (&first);
  g_clear_object (&second);
  g_clear_object (&third);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static guint16
free_port (void)
{
  g_autoptr(AdChatServer) probe = ad_chat_server_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A port that was free a moment ago: nobody listens there now. */
  g_assert_true (ad_chat_server_start (probe, NULL, 0, &error));
  port = ad_chat_server_get_port (probe);
  ad_chat_server_stop (probe);

  return port;
}

static void
state_cb (AdChatClient *client,
          GParamSpec   *pspec,
          guint        *connecting)
{
  if (ad_chat_client_get_state (client) == AD_CHAT_CLIENT_CONNECTING)
    (*connecting)++;
}

/* quit() or cancel while backing off ends the session at once, and the
 * pending retry must not reconnect later, even for a new session. */
static void
test_client_quit_waiting (void)
{
  guint16 port = free_port ();
  g_autoptr(AdChatClient) client = ad_chat_client_new ("127.0.0.1", port, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(AdChatServer) server = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint connecting = 0;

  /* Cancel while waiting: quiet, and at once. */
  ad_chat_client_run_async (client, cancellable, ad_test_store_result, &result);
  wait_until (ad_chat_client_get_state (client) == AD_CHAT_CLIENT_WAITING, 5000);
  g_assert_cmpuint (ad_chat_client_get_retry_delay (client), ==, AD_CHAT_CLIENT_MIN_BACKOFF_MS);
  g_signal_connect (client, "notify::state", G_CALLBACK (state_cb), &connecting);
  g_cancellable_cancel (cancellable);
  ad_test_wait_result (&result, 5000);
  g_signal_handlers_disconnect_by_data (client, &connecting);
  /* Ended without another attempt. */
  g_assert_cmpuint (connecting, ==, 0);
  g_assert_false (ad_chat_client_run_finish (client, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpint (ad_chat_client_get_state (client), ==, AD_CHAT_CLIENT_DISCONNECTED);

  /* Quit while waiting: a normal end, at once. */
  ad_chat_client_run_async (client, NULL, ad_test_store_result, &result);
  wait_until (ad_chat_client_get_state (client) == AD_CHAT_CLIENT_WAITING, 5000);
  g_signal_connect (client, "notify::state", G_CALLBACK (state_cb), &connecting);
  ad_chat_client_quit (client);
  ad_test_wait_result (&result, 5000);
  g_signal_handlers_disconnect_by_data (client, &connecting);
  g_assert_cmpuint (connecting, ==, 0);
  g_assert_true (ad_chat_client_run_finish (client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (ad_chat_client_get_state (client), ==, AD_CHAT_CLIENT_DISCONNECTED);

  /* A new session at once, with the server back: the old session's retry
   * (due in half a second) must not open a second connection. */
  server = ad_chat_server_new ();
  g_assert_true (ad_chat_server_start (server, "127.0.0.1", port, &error));
  g_assert_no_error (error);
  ad_chat_client_run_async (client, NULL, ad_test_store_result, &result);
  wait_until (ad_chat_server_get_n_clients (server) == 1 &&
              ad_chat_client_get_nick (client) != NULL, 5000);
  ad_test_spin (2 * AD_CHAT_CLIENT_MIN_BACKOFF_MS);
  g_assert_cmpuint (ad_chat_server_get_n_clients (server), ==, 1);

  ad_chat_client_quit (client);
  ad_test_wait_result (&result, 5000);
  g_assert_true (ad_chat_client_run_finish (client, result, &error));
  g_clear_object (&result);
  ad_chat_server_stop (server);
  ad_test_spin (50);
  g_assert_finalize_object (g_steal_pointer (&server));
  g_assert_finalize_object (g_steal_pointer (&client));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ad_core_init ();
  warm_up ();

#define ADD(path, func) \
  g_test_add ("/chat/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("client", test_client);
  ADD ("client-quit", test_client_quit);
  ADD ("client-run-twice", test_client_run_twice);
#undef ADD
  g_test_add_func ("/chat/client-refused", test_client_refused);
  g_test_add_func ("/chat/client-quit-waiting", test_client_quit_waiting);

  return g_test_run ();
}
