/* chat-test-fixture.h: what test-chat.c and test-chat-client.c share
 *
 * Plain non-blocking test clients on this thread's main loop, and a fixture
 * with a server on 127.0.0.1 at a free port that checks on teardown that
 * the server is finalized and that no file descriptor leaked. Header-only
 * (static inline): each test program is one file in tests/meson.build.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "ad-chat-server-private.h"
#include "ad-core.h"
#include "ad-test-utils.h"

/* ---- helpers ------------------------------------------------------------------ */

static inline guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static inline gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main loop until @cond holds; fails after @timeout_ms. */
#define wait_until(cond, timeout_ms) \
  G_STMT_START { \
    gint64 end_ = g_get_monotonic_time () + (timeout_ms) * (gint64) 1000; \
    guint wake_ = g_timeout_add (10, wake_cb, NULL); \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > end_) \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (wake_); \
  } G_STMT_END

typedef struct
{
  GSocket   *socket;
  GSource   *source;
  GString   *partial;
  GPtrArray *lines;
  gboolean   eof;
} TestClient;

static inline gboolean
client_read_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  TestClient *client = user_data;
  char buffer[16384];

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      if (n <= 0)
        {
          client->eof = TRUE;
          g_clear_pointer (&client->source, g_source_unref);
          return G_SOURCE_REMOVE;
        }

      for (gssize i = 0; i < n; i++)
        {
          if (buffer[i] == '\n')
            {
              g_ptr_array_add (client->lines, g_strdup (client->partial->str));
              g_string_truncate (client->partial, 0);
            }
          else
            g_string_append_c (client->partial, buffer[i]);
        }
    }
}

static inline TestClient *
test_client_new_full (guint16  port,
                      gboolean reading,
                      int      rcvbuf)
{
  TestClient *client = g_new0 (TestClient, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GError) error = NULL;

  client->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  if (rcvbuf > 0)
    {
      g_socket_set_option (client->socket, SOL_SOCKET, SO_RCVBUF, rcvbuf, &error);
      g_assert_no_error (error);
    }
  /* Loopback: the kernel completes the handshake without the server's loop. */
  g_socket_connect (client->socket, address, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (client->socket, FALSE);

  client->partial = g_string_new (NULL);
  client->lines = g_ptr_array_new_with_free_func (g_free);
  if (reading)
    {
      client->source = g_socket_create_source (client->socket, G_IO_IN, NULL);
      g_source_set_callback (client->source, G_SOURCE_FUNC (client_read_cb), client, NULL);
      g_source_attach (client->source, NULL);
    }

  return client;
}

static inline TestClient *
test_client_new (guint16 port)
{
  return test_client_new_full (port, TRUE, 0);
}

static inline void
test_client_free (TestClient *client)
{
  if (client->source != NULL)
    {
      g_source_destroy (client->source);
      g_source_unref (client->source);
    }
  g_socket_close (client->socket, NULL);
  g_object_unref (client->socket);
  g_string_free (client->partial, TRUE);
  g_ptr_array_unref (client->lines);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestClient, test_client_free)

/* Sends everything, letting the server run while the socket is full. */
static inline void
test_client_send_len (TestClient *client,
                      const char *data,
                      gsize       length)
{
  while (length > 0)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (client->socket, data, length, NULL, &error);

      if (n < 0)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
          g_main_context_iteration (NULL, FALSE);
          continue;
        }
      data += n;
      length -= n;
    }
}

static inline void
test_client_send (TestClient *client,
                  const char *text)
{
  test_client_send_len (client, text, strlen (text));
}

static inline gboolean
has_line (TestClient *client,
          const char *line)
{
  for (guint i = 0; i < client->lines->len; i++)
    if (g_str_equal (g_ptr_array_index (client->lines, i), line))
      return TRUE;
  return FALSE;
}

static inline guint
count_prefix (TestClient *client,
              const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < client->lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (client->lines, i), prefix))
      n++;
  return n;
}

static inline int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_ascii_strcasecmp (*(const char **) a, *(const char **) b);
}

/* Waits for the greeting and forgets it. */
static inline void
test_client_wait_ready (TestClient *client)
{
  wait_until (count_prefix (client, "*** you are ") > 0, 5000);
  g_ptr_array_set_size (client->lines, 0);
}

/* ---- fixture: a server on a free port ------------------------------------------ */

typedef struct
{
  AdChatServer *server;
  guint16       port;
  guint         fds_before;
  guint         alive;       /* AdChatConnections not yet finalized */
  GPtrArray    *clients;
} Fixture;

static inline void
connection_finalized (gpointer  data,
                      GObject  *where_the_object_was)
{
  Fixture *fixture = data;

  fixture->alive--;
}

static inline void
joined_cb (AdChatServer     *server,
           AdChatConnection *conn,
           Fixture          *fixture)
{
  fixture->alive++;
  g_object_weak_ref (G_OBJECT (conn), connection_finalized, fixture);
}

static inline void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->fds_before = count_fds ();
  fixture->server = ad_chat_server_new ();
  /* @data: sender threads (test-chat-threads, test-chat-shards), or NULL. */
  ad_chat_server_set_threads (fixture->server, GPOINTER_TO_UINT (data));
  /* The chat-no-epoll runs: the fallback when epoll_create1() fails. */
  if (g_getenv ("AD_TEST_CHAT_NO_EPOLL") != NULL)
    _ad_chat_server_disable_epoll (fixture->server);
  /* Tests send bursts; the rate-limit test turns it back on. */
  ad_chat_server_set_rate_limit (fixture->server, 0);
  g_assert_true (ad_chat_server_start (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fixture->port = ad_chat_server_get_port (fixture->server);
  g_assert_cmpuint (fixture->port, >, 0);
  fixture->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) test_client_free);
  g_signal_connect (fixture->server, "client-joined", G_CALLBACK (joined_cb), fixture);
}

static inline void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  ad_chat_server_stop (fixture->server);
  g_ptr_array_unref (fixture->clients);
  /* Let the listener's cancelled accept report. */
  ad_test_spin (50);
  g_assert_finalize_object (fixture->server);
  /* Every connection object died with it. */
  g_assert_cmpuint (fixture->alive, ==, 0);
  g_assert_cmpuint (count_fds (), ==, fixture->fds_before);
}

static inline TestClient *
fixture_connect (Fixture *fixture)
{
  TestClient *client = test_client_new (fixture->port);

  g_ptr_array_add (fixture->clients, client);
  test_client_wait_ready (client);

  return client;
}

/* GLib opens a few descriptors once per process (the wakeups of its worker
 * thread and of the resolver's thread pool): open them before tests count. */
static inline void
warm_up (void)
{
  Fixture fixture = { 0 };
  g_autoptr(AdChatClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  fixture_setup (&fixture, NULL);
  fixture_connect (&fixture);
  client = ad_chat_client_new ("127.0.0.1", fixture.port, NULL);
  ad_chat_client_run_async (client, NULL, ad_test_store_result, &result);
  ad_chat_client_quit (client);
  ad_test_wait_result (&result, 5000);
  ad_chat_server_stop (fixture.server);
  g_ptr_array_unref (fixture.clients);
  ad_test_spin (50);
  g_assert_finalize_object (fixture.server);
  g_assert_cmpuint (fixture.alive, ==, 0);
}
