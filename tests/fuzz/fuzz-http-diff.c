/* fuzz-http-diff.c: AdHttpClient against libsoup, on any answer a server may send
 *
 * The input is what a server on 127.0.0.1 answers to one GET, on a new
 * connection, before it closes it. AdHttpClient and a SoupSession (no content
 * decoding, no redirects: neither is the client's job) each fetch it, and
 * must agree: both fail, or both give the same status and body. Two known
 * differences are allowed: libsoup reads a chunk size with strtoul() and
 * no check of what follows, so it takes some malformed chunked bodies that
 * the client refuses (RFC 9112, 7.1), and the client must then fail, on a
 * chunked answer, with G_IO_ERROR_INVALID_DATA or PARTIAL_INPUT; and
 * libsoup sends a request answered 421 (Misdirected Request) again, which
 * the client leaves to its caller, so a 421 is not compared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static GSocketService *service;
static guint16 port;
static AdHttpClient *client;
static SoupSession *session;
static const guint8 *answer;
static gsize answer_len;

typedef struct
{
  GSocketConnection *stream;
  GString           *request;
  char               buf[1024];
} Peer;

static void
peer_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Peer *peer = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n > 0)
    {
      g_string_append_len (peer->request, peer->buf, n);
      if (strstr (peer->request->str, "\r\n\r\n") == NULL)
        {
          g_input_stream_read_async (G_INPUT_STREAM (source), peer->buf, sizeof peer->buf,
                                     G_PRIORITY_DEFAULT,
                                     NULL, peer_read_cb, peer);
          return;
        }
      /* The whole answer at once (the kernel's buffer holds it), then the
       * end of the connection. */
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (peer->stream)),
                                 answer, answer_len, NULL, NULL, NULL);
    }
  g_io_stream_close (G_IO_STREAM (peer->stream), NULL, NULL);
  g_object_unref (peer->stream);
  g_string_free (peer->request, TRUE);
  g_free (peer);
}

static gboolean
incoming_cb (GSocketService    *self,
             GSocketConnection *stream,
             GObject           *source,
             gpointer           user_data)
{
  Peer *peer = g_new0 (Peer, 1);

  peer->stream = g_object_ref (stream);
  peer->request = g_string_new (NULL);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (stream)), peer->buf,
                             sizeof peer->buf, G_PRIORITY_DEFAULT, NULL, peer_read_cb, peer);
  return TRUE;
}

/* Once, before the first input (the replay driver has no
 * LLVMFuzzerInitialize()). */
static void
init (void)
{
  g_autoptr(GError) error = NULL;

  if (service != NULL)
    return;

  /* libproxy's C++ exceptions crash under ASan (see tests/meson.build);
   * the peers are on 127.0.0.1 anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  /* libsoup warns on some answers (a Content-Length of "-2" set as a
   * GObject property): the reference's complaint, not a difference, so
   * warnings are not fatal here even under G_DEBUG=fatal-warnings;
   * criticals still are. */
  g_log_set_always_fatal (g_log_set_always_fatal (G_LOG_FATAL_MASK) & ~G_LOG_LEVEL_WARNING);
  service = g_socket_service_new ();
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), NULL);
  g_socket_service_start (service);
  client = ad_http_client_new ("fuzz");
  session = soup_session_new ();
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
}

typedef struct
{
  gboolean    done;
  guint       status;
  GByteArray *body;
  GError     *error;
  gboolean    chunked;
  AdHttpExchange *exchange;
} Fetch;

static void client_read (Fetch *fetch);

static gboolean
client_readable_cb (GObject  *stream,
                    gpointer  user_data)
{
  client_read (user_data);
  return G_SOURCE_REMOVE;
}

static void
client_read (Fetch *fetch)
{
  for (;;)
    {
      guint8 buffer[4096];
      GError *error = NULL;
      gssize n = ad_http_exchange_read (fetch->exchange, buffer, sizeof buffer, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          GSource *source = ad_http_exchange_create_source (fetch->exchange, NULL);

          g_error_free (error);
          g_source_set_callback (source, G_SOURCE_FUNC (client_readable_cb), fetch, NULL);
          g_source_attach (source, NULL);
          g_source_unref (source);
          return;
        }
      if (n <= 0)
        {
          fetch->error = error;
          fetch->done = TRUE;
          return;
        }
      g_byte_array_append (fetch->body, buffer, n);
    }
}

static void
client_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->exchange = ad_http_client_send_finish (client, result, &fetch->error);
  if (fetch->exchange == NULL)
    {
      fetch->done = TRUE;
      return;
    }
  fetch->status = ad_http_exchange_get_status (fetch->exchange);
  fetch->chunked = soup_message_headers_get_encoding (ad_http_exchange_get_headers (fetch->exchange)) ==
                   SOUP_ENCODING_CHUNKED;
  client_read (fetch);
}

static void
soup_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fetch *fetch = user_data;
  GBytes *body = soup_session_send_and_read_finish (session, result, &fetch->error);

  if (body != NULL)
    {
      g_byte_array_append (fetch->body, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_bytes_unref (body);
    }
  fetch->done = TRUE;
}

static void
wait_for (const gboolean *done)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!*done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  Fetch ours = { FALSE, 0, g_byte_array_new (), NULL, FALSE, NULL };
  Fetch theirs = { FALSE, 0, g_byte_array_new (), NULL, FALSE, NULL };

  init ();
  url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  answer = data;
  answer_len = size;

  ad_http_client_send_async (client, url, NULL, client_sent_cb, &ours);
  wait_for (&ours.done);
  g_clear_pointer (&ours.exchange, ad_http_exchange_free);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, soup_done_cb, &theirs);
  wait_for (&theirs.done);
  theirs.status = soup_message_get_status (msg);

  /* Each input on fresh connections: bytes left over from one answer
   * must not become the next one's. */
  ad_http_client_close_idle (client);
  soup_session_abort (session);

  if (ours.error == NULL && ours.status == SOUP_STATUS_MISDIRECTED_REQUEST)
    ; /* libsoup sent it again */
  else if (ours.error != NULL && theirs.error == NULL && ours.chunked &&
      (g_error_matches (ours.error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA) ||
       g_error_matches (ours.error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)))
    ; /* the chunk size libsoup takes and the client does not */
  else
    {
      if ((ours.error != NULL) != (theirs.error != NULL))
        {
          g_printerr ("client: %u %s; libsoup: %u %s\n", ours.status,
                      ours.error ? ours.error->message : "ok", theirs.status,
                      theirs.error ? theirs.error->message : "ok");
          g_assert_not_reached ();
        }
      if (ours.error == NULL)
        {
          g_assert_cmpuint (ours.status, ==, theirs.status);
          g_assert_cmpmem (ours.body->data, ours.body->len, theirs.body->data, theirs.body->len);
        }
    }

  g_byte_array_unref (ours.body);
  g_byte_array_unref (theirs.body);
  g_clear_error (&ours.error);
  g_clear_error (&theirs.error);
  return 0;
}
