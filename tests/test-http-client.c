/* test-http-client.c: AdHttpClient against libsoup, on the same raw answers
 *
 * A scripted server on 127.0.0.1 answers each path with fixed bytes: every
 * body framing (length, chunked with extensions and trailers, to the end
 * of the connection, none), interim answers, HTTP/1.0, bare LF line ends,
 * answers sent in pieces, and broken ones (cut short, not HTTP, a bad
 * chunk, headers too long, a closed connection). Each is fetched by
 * AdHttpClient and by a SoupSession, and both must agree: the same status
 * and body, or both an error. Then what only the client does: it reuses
 * connections, sends again on a fresh one when a kept one was closed,
 * closes one whose answer was not read to the end, and stops when
 * cancelled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ad-http-client.h"
#include "ad-test-utils.h"

/* gcc says __SANITIZE_ADDRESS__, clang 14 only __has_feature() */
#if defined(__SANITIZE_ADDRESS__)
# define AD_TEST_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define AD_TEST_ASAN 1
# endif
#endif

typedef struct
{
  const char *path;
  const char *answer;
  gboolean    close;       /* the server closes the connection after it */
  guint       pieces;      /* sent in this many parts, 20 ms apart (0, 1: at once) */
  gboolean    agree;       /* libsoup gives the same answer */
} Case;

#define LONG_BODY_LEN 200000

static char *long_body_answer;
static char *long_headers_answer;

static const Case cases[] = {
  { "/length", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello",
    FALSE, 0, TRUE },
  { "/empty", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", FALSE, 0, TRUE },
  { "/chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n",
    FALSE, 0, TRUE },
  { "/chunked-pieces", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "1a\r\nabcdefghijklmnopqrstuvwxyz\r\n3\r\n123\r\n0\r\n\r\n",
    FALSE, 7, TRUE },
  { "/lf", "HTTP/1.1 200 OK\nContent-Length: 3\n\nabc", FALSE, 0, TRUE },
  { "/eof", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", TRUE, 0, TRUE },
  { "/http10", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", TRUE, 0, TRUE },
  { "/http10-eof", "HTTP/1.0 200 OK\r\n\r\nold style", TRUE, 0, TRUE },
  { "/continue", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                 "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", FALSE, 0, TRUE },
  { "/no-content", "HTTP/1.1 204 No Content\r\n\r\n", FALSE, 0, TRUE },
  { "/not-modified", "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", FALSE, 0, TRUE },
  { "/not-found", "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\ngone", FALSE, 0, TRUE },
  { "/redirect", "HTTP/1.1 301 Moved\r\nLocation: /length\r\nContent-Length: 0\r\n\r\n",
    FALSE, 0, TRUE },
  { "/folded", "HTTP/1.1 200 OK\r\nX-Long: one\r\n two\r\nContent-Length: 1\r\n\r\nx", FALSE, 0,
    TRUE },
  { "/pieces", "HTTP/1.1 200 OK\r\nContent-Length: 26\r\n\r\nabcdefghijklmnopqrstuvwxyz",
    FALSE, 9, TRUE },
  { "/same-lengths", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
    FALSE, 0, TRUE },
  { "/long-body", NULL, FALSE, 0, TRUE },
  /* Answered once a connection: a second request on it is closed unanswered. */
  { "/once", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nonce", FALSE, 0, TRUE },
  /* Broken answers: an error from both. */
  { "/short", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this", TRUE, 0, TRUE },
  { "/chunked-short", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc", TRUE, 0,
    TRUE },
  { "/not-http", "SSH-2.0-OpenSSH_9.2\r\n\r\n", TRUE, 0, TRUE },
  { "/silent", "", TRUE, 0, TRUE },
  { "/headers-cut", "HTTP/1.1 200 OK\r\nContent-Le", TRUE, 0, TRUE },
  { "/unknown-coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: rot13\r\n\r\nuryyb", TRUE, 0,
    TRUE },
  { "/bad-length", "HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\nhello", TRUE, 0, TRUE },
  /* Where the two differ, on purpose. libsoup reads a chunk size with
   * strtoul(), so "zz" is a last chunk of 0 and the body is empty; the
   * client refuses a size that is no hex number (RFC 9112, 7.1). */
  { "/bad-chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    TRUE, 0, FALSE },
  { "/long-headers", NULL, TRUE, 0, TRUE },
};

static const Case *
find_case (const char *path)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    if (g_str_equal (cases[i].path, path))
      return &cases[i];
  return NULL;
}

static const char *
case_answer (const Case *c)
{
  if (g_str_equal (c->path, "/long-body"))
    return long_body_answer;
  if (g_str_equal (c->path, "/long-headers"))
    return long_headers_answer;
  return c->answer;
}

/* ---- the scripted server ------------------------------------------------------- */

typedef struct
{
  GSocketService *service;
  guint16         port;
  guint           accepted;      /* connections */
  guint           requests;
  gboolean        close_idle;    /* close each connection 50 ms after its answer */
  GTlsCertificate *certificate;  /* https, when set */
  char           *last_request;  /* the head of the last request */
  GPtrArray      *open;          /* Connection*, to close at the end */
} Server;

typedef struct
{
  Server            *server;
  GIOStream         *stream;
  GString           *request;
  char               buf[4096];
  const char        *answer;
  gsize              answer_len;
  gsize              sent;
  guint              pieces;
  gboolean           close;
  guint              timer;
  guint              served;
} Connection;

static void server_read (Connection *conn);

static void
connection_close (Connection *conn)
{
  g_clear_handle_id (&conn->timer, g_source_remove);
  g_io_stream_close (G_IO_STREAM (conn->stream), NULL, NULL);
}

static void
server_write_next (Connection *conn);

static gboolean
write_later_cb (gpointer user_data)
{
  Connection *conn = user_data;

  conn->timer = 0;
  server_write_next (conn);
  return G_SOURCE_REMOVE;
}

static gboolean
close_idle_cb (gpointer user_data)
{
  Connection *conn = user_data;

  conn->timer = 0;
  connection_close (conn);
  return G_SOURCE_REMOVE;
}

/* Sends the next piece of the answer (blocking writes: they are small). */
static void
server_write_next (Connection *conn)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn->stream));
  gsize piece = conn->pieces > 1 ? MAX (1, conn->answer_len / conn->pieces) : conn->answer_len;
  gsize n = MIN (piece, conn->answer_len - conn->sent);

  if (n > 0 && !g_output_stream_write_all (out, conn->answer + conn->sent, n, NULL, NULL, NULL))
    return;
  conn->sent += n;
  if (conn->sent < conn->answer_len)
    {
      conn->timer = g_timeout_add (20, write_later_cb, conn);
      return;
    }
  if (conn->close)
    connection_close (conn);
  else
    {
      if (conn->server->close_idle)
        conn->timer = g_timeout_add (50, close_idle_cb, conn);
      server_read (conn);
    }
}

static void
server_answer (Connection *conn)
{
  const char *line = conn->request->str;
  const char *end = strchr (line + 4, ' ');
  g_autofree char *path = end != NULL ? g_strndup (line + 4, end - line - 4) : NULL;
  const Case *c = path != NULL ? find_case (path) : NULL;
  gsize head = strstr (conn->request->str, "\r\n\r\n") - conn->request->str + 4;

  g_assert_true (g_str_has_prefix (line, "GET "));
  g_assert_nonnull (c);
  conn->server->requests++;
  g_free (conn->server->last_request);
  conn->server->last_request = g_strndup (conn->request->str, head);
  g_string_erase (conn->request, 0, head);
  if (g_str_equal (c->path, "/once") && conn->served++ > 0)
    {
      connection_close (conn);
      return;
    }
  conn->answer = case_answer (c);
  conn->answer_len = strlen (conn->answer);
  conn->sent = 0;
  conn->pieces = c->pieces;
  conn->close = c->close;
  server_write_next (conn);
}

static void
server_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Connection *conn = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    return;
  g_string_append_len (conn->request, conn->buf, n);
  if (strstr (conn->request->str, "\r\n\r\n") != NULL)
    server_answer (conn);
  else
    server_read (conn);
}

static void
server_read (Connection *conn)
{
  if (strstr (conn->request->str, "\r\n\r\n") != NULL)
    {
      server_answer (conn);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (conn->stream)),
                             conn->buf, sizeof conn->buf, G_PRIORITY_DEFAULT, NULL,
                             server_read_cb, conn);
}

static void
connection_free (gpointer data)
{
  Connection *conn = data;

  g_clear_handle_id (&conn->timer, g_source_remove);
  g_io_stream_close (G_IO_STREAM (conn->stream), NULL, NULL);
  g_object_unref (conn->stream);
  g_string_free (conn->request, TRUE);
  g_free (conn);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *stream,
             GObject           *source,
             gpointer           user_data)
{
  Server *server = user_data;
  Connection *conn = g_new0 (Connection, 1);

  server->accepted++;
  conn->server = server;
  if (server->certificate != NULL)
    conn->stream = g_tls_server_connection_new (G_IO_STREAM (stream), server->certificate, NULL);
  else
    conn->stream = g_object_ref (G_IO_STREAM (stream));
  g_assert_nonnull (conn->stream);
  conn->request = g_string_new (NULL);
  g_ptr_array_add (server->open, conn);
  server_read (conn);
  return TRUE;
}

static Server *
server_new (void)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;

  server->service = g_socket_service_new ();
  server->open = g_ptr_array_new_with_free_func (connection_free);
  server->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (server->service), NULL,
                                                      &error);
  g_assert_no_error (error);
  g_signal_connect (server->service, "incoming", G_CALLBACK (incoming_cb), server);
  g_socket_service_start (server->service);
  return server;
}

static void
server_free (Server *server)
{
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  /* Let the pending reads see their connections closed. */
  for (guint i = 0; i < server->open->len; i++)
    connection_close (g_ptr_array_index (server->open, i));
  ad_test_spin (20);
  g_ptr_array_unref (server->open);
  g_object_unref (server->service);
  g_clear_object (&server->certificate);
  g_free (server->last_request);
  g_free (server);
}

static char *
server_url (Server     *server,
            const char *path)
{
  return g_strdup_printf ("%s://127.0.0.1:%u%s", server->certificate ? "https" : "http",
                          server->port, path);
}

/* ---- fetching ------------------------------------------------------------------ */

typedef struct
{
  guint   status;
  GBytes *body;
  GError *error;
  gboolean reused;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_clear_error (&answer->error);
}

typedef struct
{
  AdHttpExchange *exchange;
  GByteArray     *body;
  GCancellable   *cancellable;
  Answer         *answer;
  gboolean        done;
} Read;

static void read_body (Read *read);

static gboolean
readable_cb (GObject  *stream,
             gpointer  user_data)
{
  read_body (user_data);
  return G_SOURCE_REMOVE;
}

static void
read_body (Read *read)
{
  for (;;)
    {
      guint8 buffer[1000];
      GError *error = NULL;
      gssize n = ad_http_exchange_read (read->exchange, buffer, sizeof buffer, read->cancellable,
                                        &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          GSource *source = ad_http_exchange_create_source (read->exchange, read->cancellable);

          g_error_free (error);
          g_source_set_callback (source, G_SOURCE_FUNC (readable_cb), read, NULL);
          g_source_attach (source, NULL);
          g_source_unref (source);
          return;
        }
      if (n < 0)
        {
          read->answer->error = error;
          read->done = TRUE;
          return;
        }
      if (n == 0)
        {
          read->answer->body = g_byte_array_free_to_bytes (g_steal_pointer (&read->body));
          read->done = TRUE;
          return;
        }
      g_byte_array_append (read->body, buffer, n);
    }
}

/* Fetches @url with the client: the status, and the body or an error. */
static void
client_get (AdHttpClient *client,
            const char   *url,
            GCancellable *cancellable,
            Answer       *answer)
{
  g_autoptr(GAsyncResult) result = NULL;
  Read read = { NULL, NULL, cancellable, answer, FALSE };

  ad_http_client_send_async (client, url, cancellable, ad_test_store_result, &result);
  ad_test_wait_result (&result, 10000);
  read.exchange = ad_http_client_send_finish (client, result, &answer->error);
  if (read.exchange == NULL)
    return;
  answer->status = ad_http_exchange_get_status (read.exchange);
  answer->reused = ad_http_exchange_get_reused (read.exchange);
  read.body = g_byte_array_new ();
  read_body (&read);
  ad_test_wait_for (read.done, 10000);
  if (read.body != NULL)
    g_byte_array_unref (read.body);
  ad_http_exchange_free (read.exchange);
}

/* The same with libsoup, the reference. */
static void
soup_get (SoupSession *session,
          const char  *url,
          Answer      *answer)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GAsyncResult) result = NULL;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, ad_test_store_result,
                                    &result);
  ad_test_wait_result (&result, 10000);
  answer->body = soup_session_send_and_read_finish (session, result, &answer->error);
  answer->status = soup_message_get_status (msg);
}

static void
test_same_as_libsoup (void)
{
  Server *server = server_new ();
  g_autoptr(AdHttpClient) client = ad_http_client_new ("test-http-client");
  g_autoptr(SoupSession) session = soup_session_new ();
  guint differ = 0;

  /* Twice: the second round goes out on kept connections. */
  for (guint round = 0; round < 2; round++)
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        const Case *c = &cases[i];
        g_autofree char *url = server_url (server, c->path);
        Answer ours = { 0 };
        Answer theirs = { 0 };

        client_get (client, url, NULL, &ours);
        soup_get (session, url, &theirs);
        g_test_message ("%s: client %u %s, libsoup %u %s", c->path, ours.status,
                        ours.error ? ours.error->message : "ok", theirs.status,
                        theirs.error ? theirs.error->message : "ok");

        if (c->agree)
          {
            g_assert_cmpint (ours.error != NULL, ==, theirs.error != NULL);
            if (ours.error == NULL)
              {
                g_assert_cmpuint (ours.status, ==, theirs.status);
                g_assert_true (g_bytes_equal (ours.body, theirs.body));
              }
          }
        else
          {
            /* Where they differ, the client refuses the answer. */
            g_assert_nonnull (ours.error);
            differ++;
          }
        answer_clear (&ours);
        answer_clear (&theirs);
      }

  g_assert_cmpuint (differ, ==, 2);
  /* Kept-alive answers shared connections: fewer than one per request. */
  g_assert_cmpuint (server->accepted, <, server->requests);
  g_object_unref (session);
  session = NULL;
  g_clear_object (&client);
  server_free (server);
}

/* Requests one after another share one connection; an answer to the end
 * of the connection, or one not read to its end, closes it. */
static void
test_reuse (void)
{
  Server *server = server_new ();
  g_autoptr(AdHttpClient) client = ad_http_client_new ("Tester/2.0");
  g_autofree char *length = server_url (server, "/length");
  g_autofree char *eof = server_url (server, "/eof");
  g_autofree char *expected = NULL;
  g_autofree char *long_body = server_url (server, "/long-body");
  g_autoptr(GAsyncResult) result = NULL;
  AdHttpExchange *exchange;

  for (guint i = 0; i < 3; i++)
    {
      Answer answer = { 0 };

      client_get (client, length, NULL, &answer);
      g_assert_no_error (answer.error);
      g_assert_cmpint (answer.reused, ==, i > 0);
      answer_clear (&answer);
    }
  g_assert_cmpuint (server->accepted, ==, 1);
  g_assert_cmpuint (ad_http_client_get_n_idle (client), ==, 1);
  /* The request: the path, the host with its port, the user agent. */
  expected = g_strdup_printf ("GET /length HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nAccept: */*\r\n"
                              "User-Agent: Tester/2.0\r\n\r\n", server->port);
  g_assert_cmpstr (server->last_request, ==, expected);

  {
    Answer answer = { 0 };

    client_get (client, eof, NULL, &answer);
    g_assert_no_error (answer.error);
    g_assert_cmpuint (ad_http_client_get_n_connected (client), ==, 0);
    answer_clear (&answer);
  }

  /* A long body left unread: its connection is closed, not pooled. */
  ad_http_client_send_async (client, long_body, NULL, ad_test_store_result, &result);
  ad_test_wait_result (&result, 10000);
  exchange = ad_http_client_send_finish (client, result, NULL);
  g_assert_nonnull (exchange);
  g_assert_cmpuint (ad_http_exchange_get_status (exchange), ==, 200);
  ad_http_exchange_free (exchange);
  g_assert_cmpuint (ad_http_client_get_n_connected (client), ==, 0);
  g_assert_cmpuint (ad_http_client_get_n_idle (client), ==, 0);

  g_clear_object (&client);
  server_free (server);
}

/* A kept connection the server closed meanwhile is found out before it
 * is used; one the server closes when the request comes (a keep-alive
 * limit, a restart) is replaced: the request goes out again, once, on a
 * new connection, and succeeds. */
static void
test_stale_connection (void)
{
  Server *server = server_new ();
  g_autoptr(AdHttpClient) client = ad_http_client_new (NULL);
  g_autofree char *length = server_url (server, "/length");
  g_autofree char *once = server_url (server, "/once");
  Answer answer = { 0 };

  server->close_idle = TRUE;
  client_get (client, length, NULL, &answer);
  g_assert_no_error (answer.error);
  answer_clear (&answer);
  g_assert_cmpuint (ad_http_client_get_n_idle (client), ==, 1);
  /* The server closes it 50 ms after the answer. */
  ad_test_spin (150);
  client_get (client, length, NULL, &answer);
  g_assert_no_error (answer.error);
  g_assert_false (answer.reused);
  g_assert_cmpmem (g_bytes_get_data (answer.body, NULL), g_bytes_get_size (answer.body),
                   "hello", 5);
  answer_clear (&answer);
  g_assert_cmpuint (server->accepted, ==, 2);

  server->close_idle = FALSE;
  ad_http_client_close_idle (client);
  for (guint i = 0; i < 3; i++)
    {
      client_get (client, once, NULL, &answer);
      g_assert_no_error (answer.error);
      g_assert_cmpuint (answer.status, ==, 200);
      g_assert_false (answer.reused);
      g_assert_cmpmem (g_bytes_get_data (answer.body, NULL), g_bytes_get_size (answer.body),
                       "once", 4);
      answer_clear (&answer);
    }
  /* Each retry took a new connection. */
  g_assert_cmpuint (server->accepted, ==, 2 + 3);

  g_clear_object (&client);
  server_free (server);
}

/* Cancelled while the answer comes in pieces: a cancellation error, and
 * the connection is dropped. */
static void
test_cancel (void)
{
  Server *server = server_new ();
  g_autoptr(AdHttpClient) client = ad_http_client_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *pieces = server_url (server, "/pieces");
  g_autoptr(GAsyncResult) result = NULL;
  AdHttpExchange *exchange;
  GError *error = NULL;

  ad_http_client_send_async (client, pieces, cancellable, ad_test_store_result, &result);
  g_cancellable_cancel (cancellable);
  ad_test_wait_result (&result, 10000);
  exchange = ad_http_client_send_finish (client, result, &error);
  g_assert_null (exchange);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  ad_test_wait_until (ad_http_client_get_n_connected (client) == 0, 5000);
  g_clear_object (&client);
  server_free (server);
}

/* https: the server's certificate is checked (against the system's
 * authorities, or the client's own database), and kept connections work
 * as over TCP. libsoup, given the same database, agrees. */
static void
test_tls (void)
{
  g_autofree char *pem = g_test_build_filename (G_TEST_DIST, "data", "self-signed-ip.pem", NULL);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(AdHttpClient) client = ad_http_client_new (NULL);
  g_autoptr(AdHttpClient) strict = ad_http_client_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Server *server;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend");
      return;
    }
#ifdef AD_TEST_ASAN
  /* LeakSanitizer's tracer crashes at exit reading the thread-local
   * storage that GnuTLS (loaded by GIO as a module) gives the pool thread
   * of a completed handshake (it runs with LSAN_OPTIONS=use_tls=0, which
   * then misses every root held there). The default, valgrind and TSan
   * configurations run this test. */
  g_test_skip ("LeakSanitizer cannot walk the TLS backend's thread-local storage");
  return;
#endif
  server = server_new ();
  server->certificate = g_tls_certificate_new_from_file (pem, &error);
  g_assert_no_error (error);
  database = g_tls_file_database_new (pem, &error);
  g_assert_no_error (error);
  ad_http_client_set_tls_database (client, database);
  soup_session_set_tls_database (session, database);
  url = server_url (server, "/chunked");

  for (guint i = 0; i < 2; i++)
    {
      Answer ours = { 0 };
      Answer theirs = { 0 };

      client_get (client, url, NULL, &ours);
      soup_get (session, url, &theirs);
      g_assert_no_error (ours.error);
      g_assert_no_error (theirs.error);
      g_assert_cmpuint (ours.status, ==, 200);
      g_assert_cmpint (ours.reused, ==, i > 0);
      g_assert_true (g_bytes_equal (ours.body, theirs.body));
      g_assert_cmpmem (g_bytes_get_data (ours.body, NULL), g_bytes_get_size (ours.body),
                       "hello world", 11);
      answer_clear (&ours);
      answer_clear (&theirs);
    }

  /* Without the database the self-signed certificate is refused. */
  {
    Answer answer = { 0 };

    client_get (strict, url, NULL, &answer);
    g_assert_nonnull (answer.error);
    g_assert_true (answer.error->domain == G_TLS_ERROR);
    answer_clear (&answer);
    g_assert_cmpuint (ad_http_client_get_n_connected (strict), ==, 0);
  }

  g_clear_object (&session);
  g_clear_object (&client);
  g_clear_object (&strict);
  server_free (server);
}

/* What is not an http(s) URL never reaches the network. */
static void
test_bad_url (void)
{
  g_autoptr(AdHttpClient) client = ad_http_client_new (NULL);
  const char *urls[] = { "ftp://example.com/", "http://", "not a url", "https:///path" };

  for (gsize i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      GError *error = NULL;

      ad_http_client_send_async (client, urls[i], NULL, ad_test_store_result, &result);
      ad_test_wait_result (&result, 5000);
      g_assert_null (ad_http_client_send_finish (client, result, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  g_assert_cmpuint (ad_http_client_get_n_connected (client), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  GString *headers = g_string_new ("HTTP/1.1 200 OK\r\n");
  GString *body = g_string_new (NULL);
  int status;

  ad_test_keep_glib_quark_block ();
  g_test_init (&argc, &argv, NULL);

  while (body->len < LONG_BODY_LEN)
    g_string_append (body, "0123456789abcdef\n");
  long_body_answer = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT
                                      "\r\n\r\n%s", body->len, body->str);
  while (headers->len < (gsize) 70 * 1024)
    g_string_append (headers, "X-Filler: 0123456789012345678901234567890123456789\r\n");
  g_string_append (headers, "Content-Length: 2\r\n\r\nok");
  long_headers_answer = g_string_free (headers, FALSE);

  g_test_add_func ("/http-client/same-as-libsoup", test_same_as_libsoup);
  g_test_add_func ("/http-client/reuse", test_reuse);
  g_test_add_func ("/http-client/stale-connection", test_stale_connection);
  g_test_add_func ("/http-client/cancel", test_cancel);
  g_test_add_func ("/http-client/tls", test_tls);
  g_test_add_func ("/http-client/bad-url", test_bad_url);
  status = g_test_run ();

  g_string_free (body, TRUE);
  g_free (long_body_answer);
  g_free (long_headers_answer);
  return status;
}
