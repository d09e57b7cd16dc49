/* ad-http-client.c: HTTP/1.1 GETs on kept-alive connections, for the crawler
 *
 * Why: libsoup 3.2 spends ~300 K instructions of the main loop per request (curl's whole process
 * ~40 K), so fetch could not keep up with curl. What verifies it: test-http-client sends every
 * framing case (and broken ones) to both this client and libsoup, and requires the same answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <glib/gi18n-lib.h>

#include "ad-http-client.h"

/* What it does, and what it leaves to others:
 *
 * - GET only, HTTP/1.1, over GSocketClient (TCP, TLS for https with
 *   GIO's certificate checks, and the system's proxy settings).
 * - The status line and header fields are parsed by libsoup
 *   (soup_headers_parse_response()), and the body's framing is decided
 *   from them as libsoup decides it (soup_message_headers_get_encoding()):
 *   no body for 1xx, 204 and 304; chunked; Content-Length; or to the end
 *   of the connection. Interim 1xx answers are skipped. Where libsoup is
 *   lenient, so is this (headers cut by the end of the connection, a
 *   short body on a connection not kept), so that both read the same.
 * - Connections are kept alive and reused, newest first, per scheme, host
 *   and port. A request on a reused connection that the server closed in
 *   between (nothing of the answer came) is sent again, once, on a new
 *   one. A connection goes back to the pool only when its answer was read
 *   to the end, with nothing more after it.
 * - It sets no limit on connections: each one carries one request at a
 *   time, and the callers limit the requests in flight (per host too).
 * - No redirects, cookies, authentication or content decoding (it asks
 *   for none): ad-fetch.c follows redirects, and a crawler needs no more.
 *
 * Everything happens on the thread-default main context of the caller,
 * which must be the same for every call on one client. */

/* The most a response's header block may take. */
#define MAX_HEADER_BYTES ((gsize) 64 * 1024)
/* The longest line of the chunked framing (size and extensions, trailer). */
#define MAX_CHUNK_LINE ((gsize) 126)
/* The buffer each connection reads headers (and chunk sizes) into. */
#define READ_BUFFER_SIZE ((gsize) 16 * 1024)

typedef struct
{
  char                  *key;      /* scheme://host:port */
  GIOStream             *stream;
  GSocket               *socket;   /* under the stream (TLS or not) */
  gboolean               tls;
  GPollableInputStream  *in;
  GPollableOutputStream *out;
  guint8                *buf;      /* read, not yet consumed: buf[start..end) */
  gsize                  start;
  gsize                  end;
  gsize                  size;
  guint                  served;   /* answers read to the end on it */
} Connection;

struct _AdHttpClient
{
  GObject        parent_instance;

  char          *user_agent;
  GSocketClient *tcp;
  GSocketClient *tls;
  GTlsDatabase  *tls_database;   /* NULL: the system's */
  GHashTable    *idle;           /* key -> GQueue of Connection*, newest last */
  guint          n_idle;
  guint          max_idle;
  guint          n_connected;    /* idle and busy */
};

G_DEFINE_FINAL_TYPE (AdHttpClient, ad_http_client, G_TYPE_OBJECT)

typedef enum
{
  FRAMING_NONE,
  FRAMING_LENGTH,
  FRAMING_CHUNKED,
  FRAMING_EOF,
} Framing;

typedef enum
{
  CHUNK_SIZE,
  CHUNK_DATA,
  CHUNK_DATA_END,
  CHUNK_TRAILER,
} ChunkState;

struct _AdHttpExchange
{
  AdHttpClient       *client;
  Connection         *conn;
  char               *key;
  char               *host;
  int                 port;
  gboolean            https;
  GString            *request;
  gsize               sent;
  gboolean            reused;
  gboolean            retried;
  gboolean            answered;   /* a byte of the answer came */

  guint               status;
  SoupMessageHeaders *headers;
  Framing             framing;
  ChunkState          chunk;
  guint64             remaining;  /* of the body (LENGTH) or of this chunk (DATA) */
  gboolean            keep_alive;
  gboolean            done;       /* the body was read to its end */
};

enum
{
  PROP_0,
  PROP_USER_AGENT,
  PROP_MAX_IDLE,
  PROP_TLS_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void exchange_write (GTask *task);
static void exchange_read_head (GTask *task);

/* ---- connections ----------------------------------------------------------------- */

static void
connection_free (AdHttpClient *self,
                 Connection   *conn)
{
  if (conn == NULL)
    return;
  self->n_connected--;
  /* Closing a socket cannot block; the TLS close notify is skipped. */
  if (conn->socket != NULL)
    g_socket_close (conn->socket, NULL);
  g_clear_object (&conn->stream);
  g_clear_object (&conn->socket);
  g_free (conn->buf);
  g_free (conn->key);
  g_free (conn);
}

static Connection *
connection_new (AdHttpClient      *self,
                const char        *key,
                GSocketConnection *stream,
                gboolean           tls)
{
  Connection *conn = g_new0 (Connection, 1);

  conn->key = g_strdup (key);
  conn->stream = G_IO_STREAM (stream);
  conn->socket = g_object_ref (g_socket_connection_get_socket (stream));
  conn->tls = tls;
  conn->in = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (conn->stream));
  conn->out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (conn->stream));
  conn->size = READ_BUFFER_SIZE;
  conn->buf = g_malloc (conn->size);
  /* A request is one small write: send it now, not after the last ACK. */
  g_socket_set_option (conn->socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  self->n_connected++;
  return conn;
}

/* An idle connection for @key that still looks open, or NULL. */
static Connection *
pool_take (AdHttpClient *self,
           const char   *key)
{
  GQueue *queue = g_hash_table_lookup (self->idle, key);

  while (queue != NULL && queue->length > 0)
    {
      Connection *conn = g_queue_pop_tail (queue);

      self->n_idle--;
      /* An idle plain connection that is readable was closed by the
       * server (or sent what nobody asked for). TLS may have a late
       * handshake record pending, so it is only found out by using it. */
      if (!conn->tls && g_socket_condition_check (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0)
        {
          connection_free (self, conn);
          continue;
        }
      return conn;
    }
  return NULL;
}

static void
pool_put (AdHttpClient *self,
          Connection   *conn)
{
  GQueue *queue;

  if (self->n_idle >= self->max_idle)
    {
      connection_free (self, conn);
      return;
    }
  queue = g_hash_table_lookup (self->idle, conn->key);
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->idle, g_strdup (conn->key), queue);
    }
  conn->start = conn->end = 0;
  g_queue_push_tail (queue, conn);
  self->n_idle++;
}

/* Reads what the socket has into the connection's buffer: > 0 bytes, 0
 * at the end of the stream, -1 with @error (G_IO_ERROR_WOULD_BLOCK when
 * nothing came yet). */
static gssize
connection_fill (Connection    *conn,
                 gsize          limit,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gssize n;

  if (conn->start > 0)
    {
      memmove (conn->buf, conn->buf + conn->start, conn->end - conn->start);
      conn->end -= conn->start;
      conn->start = 0;
    }
  if (conn->end == conn->size)
    {
      if (conn->size >= limit)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       _("The server’s header lines are longer than %u KB"),
                       (guint) (limit / 1024));
          return -1;
        }
      conn->size = MIN (conn->size * 2, limit);
      conn->buf = g_realloc (conn->buf, conn->size);
    }
  n = g_pollable_input_stream_read_nonblocking (conn->in, conn->buf + conn->end,
                                                conn->size - conn->end, cancellable, error);
  if (n > 0)
    conn->end += n;
  return n;
}

/* The end of a line in buf[from..end): the offset after its '\n', or 0. */
static gsize
connection_find_line (Connection *conn,
                      gsize       from)
{
  const guint8 *nl = memchr (conn->buf + from, '\n', conn->end - from);

  return nl != NULL ? (gsize) (nl - conn->buf) + 1 : 0;
}

/* The end of the header block that starts at buf[start]: the offset after
 * its blank line, or 0 if it has not all come; *@content_end: where the
 * lines before the blank one end. The block ends as libsoup ends it (so
 * that both read the same answers): at a line "\n" or "\r\n" that
 * follows a '\n', two or three bytes into the block at least (empty
 * lines before the status line are not all skipped; the parser takes
 * what it can of them). */
static gsize
connection_find_head_end (Connection *conn,
                          gsize      *content_end)
{
  const guint8 *buf = conn->buf;
  gsize line = conn->start;

  for (;;)
    {
      gsize next = connection_find_line (conn, line);
      gsize before = line - conn->start;

      if (next == 0)
        return 0;
      if (before > 0 && buf[line - 1] == '\n' &&
          ((next - line == 1 && before >= 2) ||
           (next - line == 2 && buf[line] == '\r' && before >= 3)))
        {
          *content_end = line;
          return next;
        }
      line = next;
    }
}

/* ---- the request --------------------------------------------------------------- */

void
ad_http_exchange_free (AdHttpExchange *exchange)
{
  if (exchange == NULL)
    return;

  /* A connection is kept only when its answer was read to the end. */
  if (exchange->conn != NULL)
    connection_free (exchange->client, exchange->conn);
  g_clear_pointer (&exchange->headers, soup_message_headers_unref);
  if (exchange->request != NULL)
    g_string_free (exchange->request, TRUE);
  g_free (exchange->key);
  g_free (exchange->host);
  g_object_unref (exchange->client);
  g_free (exchange);
}

/* The body has been read to its end: the connection goes back to the pool
 * when the next answer can follow on it. */
static void
exchange_done (AdHttpExchange *exchange)
{
  Connection *conn = g_steal_pointer (&exchange->conn);

  exchange->done = TRUE;
  if (conn == NULL)
    return;
  conn->served++;
  if (exchange->keep_alive && exchange->framing != FRAMING_EOF && conn->start == conn->end)
    pool_put (exchange->client, conn);
  else
    connection_free (exchange->client, conn);
}

static GError *
closed_error (void)
{
  return g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                      _("The server closed the connection before it answered"));
}

static void exchange_start (GTask *task);

/* Fails the request, or sends it again on a new connection when a reused
 * one turned out closed before anything of the answer came. */
static void
exchange_fail (GTask  *task,
               GError *error)
{
  AdHttpExchange *exchange = g_task_get_task_data (task);

  if (exchange->conn != NULL)
    {
      connection_free (exchange->client, exchange->conn);
      exchange->conn = NULL;
    }

  if (exchange->reused && !exchange->answered && !exchange->retried &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      exchange->retried = TRUE;
      exchange->reused = FALSE;
      exchange->sent = 0;
      exchange_start (task);
      return;
    }

  g_task_set_task_data (task, NULL, NULL);
  ad_http_exchange_free (exchange);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
exchange_source_cb (GObject  *stream,
                    gpointer  user_data)
{
  GTask *task = user_data;
  AdHttpExchange *exchange = g_task_get_task_data (task);

  if (exchange->sent < exchange->request->len)
    exchange_write (task);
  else
    exchange_read_head (task);
  return G_SOURCE_REMOVE;
}

static void
exchange_wait (GTask    *task,
               gboolean  for_output)
{
  AdHttpExchange *exchange = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GSource) source = NULL;

  if (for_output)
    source = g_pollable_output_stream_create_source (exchange->conn->out, cancellable);
  else
    source = g_pollable_input_stream_create_source (exchange->conn->in, cancellable);
  g_source_set_name (source, "[async-demo] http answer");
  g_source_set_callback (source, G_SOURCE_FUNC (exchange_source_cb), task, NULL);
  g_source_attach (source, g_task_get_context (task));
}

/* How the body is framed (RFC 9112, section 6.3), as libsoup decides. */
static gboolean
exchange_take_framing (AdHttpExchange  *exchange,
                       SoupHTTPVersion  version,
                       GError         **error)
{
  SoupMessageHeaders *headers = exchange->headers;

  if (version == SOUP_HTTP_1_0)
    exchange->keep_alive = soup_message_headers_header_contains (headers, "Connection",
                                                                 "keep-alive");
  else
    exchange->keep_alive = !soup_message_headers_header_contains (headers, "Connection",
                                                                  "close");

  if (exchange->status == SOUP_STATUS_NO_CONTENT || exchange->status == SOUP_STATUS_NOT_MODIFIED)
    {
      exchange->framing = FRAMING_NONE;
      return TRUE;
    }

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CHUNKED:
      exchange->framing = FRAMING_CHUNKED;
      exchange->chunk = CHUNK_SIZE;
      return TRUE;
    case SOUP_ENCODING_CONTENT_LENGTH:
      /* libsoup reads a negative length with strtoull() into a negative
       * goffset (fuzz-http-diff found both): -1 is "no length" to its body
       * stream, read to the end of the connection (whole only when the
       * connection was not to be kept), and a smaller one is refused by
       * the stream, which then reads nothing. Neither connection is kept. */
      if (soup_message_headers_get_content_length (headers) < 0)
        {
          exchange->framing = FRAMING_LENGTH;
          exchange->remaining = soup_message_headers_get_content_length (headers) == -1
                                ? G_MAXUINT64 : 0;
          if (exchange->remaining == 0)
            exchange->keep_alive = FALSE;
          return TRUE;
        }
      exchange->framing = FRAMING_LENGTH;
      exchange->remaining = (guint64) soup_message_headers_get_content_length (headers);
      return TRUE;
    case SOUP_ENCODING_NONE:
      exchange->framing = FRAMING_NONE;
      return TRUE;
    case SOUP_ENCODING_EOF:
      exchange->framing = FRAMING_EOF;
      exchange->keep_alive = FALSE;
      return TRUE;
    case SOUP_ENCODING_UNRECOGNIZED:
    case SOUP_ENCODING_BYTERANGES:
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The server’s answer has a body length or transfer encoding this client cannot read"));
      return FALSE;
    }
}

/* Reads until the header block is in; skips interim (1xx) answers. */
static void
exchange_read_head (GTask *task)
{
  AdHttpExchange *exchange = g_task_get_task_data (task);
  Connection *conn = exchange->conn;

  for (;;)
    {
      GError *error = NULL;
      SoupHTTPVersion version;
      gsize content_end = 0;
      gsize end = connection_find_head_end (conn, &content_end);
      gssize n;

      if (end == 0)
        {
          n = connection_fill (conn, MAX_HEADER_BYTES, g_task_get_cancellable (task), &error);
          if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_error_free (error);
              exchange_wait (task, FALSE);
              return;
            }
          if (n < 0)
            {
              exchange_fail (task, error);
              return;
            }
          if (n == 0 && conn->end == conn->start)
            {
              exchange_fail (task, exchange->answered
                                   ? g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                                  _("The connection closed in the middle of the answer’s headers"))
                                   : closed_error ());
              return;
            }
          if (n > 0)
            {
              exchange->answered = TRUE;
              continue;
            }
          /* As libsoup does: the end of the connection ends the header
           * block too (fuzz-http-diff); the body's framing decides
           * whether the answer is whole. */
          end = content_end = conn->end;
        }

      soup_message_headers_clear (exchange->headers);
      if (!soup_headers_parse_response ((const char *) conn->buf + conn->start,
                                        (int) (content_end - conn->start), exchange->headers, &version,
                                        &exchange->status, NULL))
        {
          exchange_fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                            _("The server’s answer is not HTTP")));
          return;
        }
      conn->start = end;

      /* An interim answer; the real one follows. A 101 too: nothing here
       * asks to switch protocols (libsoup reads on likewise). */
      if (SOUP_STATUS_IS_INFORMATIONAL (exchange->status))
        continue;

      if (!exchange_take_framing (exchange, version, &error))
        {
          exchange_fail (task, error);
          return;
        }
      g_task_return_pointer (task, exchange, (GDestroyNotify) ad_http_exchange_free);
      g_object_unref (task);
      return;
    }
}

static void
exchange_write (GTask *task)
{
  AdHttpExchange *exchange = g_task_get_task_data (task);

  while (exchange->sent < exchange->request->len)
    {
      GError *error = NULL;
      gssize n;

      n = g_pollable_output_stream_write_nonblocking (exchange->conn->out,
                                                      exchange->request->str + exchange->sent,
                                                      exchange->request->len - exchange->sent,
                                                      g_task_get_cancellable (task), &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_error_free (error);
          exchange_wait (task, TRUE);
          return;
        }
      if (n < 0)
        {
          exchange_fail (task, error);
          return;
        }
      exchange->sent += n;
    }
  exchange_read_head (task);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  AdHttpExchange *exchange = g_task_get_task_data (task);
  GSocketConnection *stream;
  GError *error = NULL;

  stream = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (stream == NULL)
    {
      exchange_fail (task, error);
      return;
    }
  exchange->conn = connection_new (exchange->client, exchange->key, stream, exchange->https);
  exchange_write (task);
}

static void
exchange_start (GTask *task)
{
  AdHttpExchange *exchange = g_task_get_task_data (task);
  AdHttpClient *self = exchange->client;
  g_autoptr(GSocketConnectable) address = NULL;

  exchange->answered = FALSE;
  exchange->conn = exchange->retried ? NULL : pool_take (self, exchange->key);
  if (exchange->conn != NULL)
    {
      exchange->reused = TRUE;
      exchange_write (task);
      return;
    }

  address = g_network_address_new (exchange->host, exchange->port);
  g_socket_client_connect_async (exchange->https ? self->tls : self->tcp, address,
                                 g_task_get_cancellable (task), connected_cb, task);
}

/* Appends @port in decimal (no printf: a request is built per page). */
static void
append_port (GString *out,
             int      port)
{
  char digits[16];
  gsize n = 0;

  do
    {
      digits[n++] = (char) ('0' + port % 10);
      port /= 10;
    }
  while (port > 0 && n < sizeof digits);
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

/* Appends @text, with anything but visible ASCII percent-encoded. */
static void
append_request_target (GString    *out,
                       const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p > 0x20 && *p < 0x7f)
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
}

/**
 * ad_http_client_send_async:
 * @url: an absolute http or https URL
 *
 * Sends a GET for @url and reads the answer's status and headers; the
 * body is read with ad_http_exchange_read().
 */
void
ad_http_client_send_async (AdHttpClient        *self,
                           const char          *url,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  AdHttpExchange *exchange;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  const char *scheme;
  const char *path;
  const char *query;
  const char *host;

  g_return_if_fail (AD_IS_HTTP_CLIENT (self));
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_http_client_send_async);
  g_task_set_name (task, "[async-demo] http request");

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &error);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a valid http or https URL"), url);
      g_object_unref (task);
      return;
    }

  exchange = g_new0 (AdHttpExchange, 1);
  exchange->client = g_object_ref (self);
  exchange->https = g_ascii_strcasecmp (scheme, "https") == 0;
  exchange->port = g_uri_get_port (uri);
  if (exchange->port <= 0)
    exchange->port = exchange->https ? 443 : 80;
  exchange->host = g_strdup (host);
  {
    GString *key = g_string_new (exchange->https ? "https://" : "http://");

    g_string_append (key, host);
    g_string_append_c (key, ':');
    append_port (key, exchange->port);
    exchange->key = g_string_free (key, FALSE);
  }
  exchange->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  /* The task's data until it returns the exchange (or frees it, failing). */
  g_task_set_task_data (task, exchange, NULL);

  path = g_uri_get_path (uri);
  query = g_uri_get_query (uri);
  exchange->request = g_string_sized_new (256);
  g_string_append (exchange->request, "GET ");
  append_request_target (exchange->request, *path != '\0' ? path : "/");
  if (query != NULL)
    {
      g_string_append_c (exchange->request, '?');
      append_request_target (exchange->request, query);
    }
  g_string_append (exchange->request, " HTTP/1.1\r\nHost: ");
  if (strchr (host, ':') != NULL)
    g_string_append_printf (exchange->request, "[%s]", host);
  else
    append_request_target (exchange->request, host);
  if (exchange->port != (exchange->https ? 443 : 80))
    {
      g_string_append_c (exchange->request, ':');
      append_port (exchange->request, exchange->port);
    }
  g_string_append (exchange->request, "\r\nAccept: */*\r\n");
  if (self->user_agent != NULL && *self->user_agent != '\0')
    {
      g_string_append (exchange->request, "User-Agent: ");
      g_string_append (exchange->request, self->user_agent);
      g_string_append (exchange->request, "\r\n");
    }
  g_string_append (exchange->request, "\r\n");

  exchange_start (task);
}

/**
 * ad_http_client_send_finish:
 *
 * Returns: (transfer full): the exchange, its status and headers read
 */
AdHttpExchange *
ad_http_client_send_finish (AdHttpClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  AdHttpExchange *exchange;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  exchange = g_task_propagate_pointer (G_TASK (result), error);
  if (exchange != NULL && exchange->framing == FRAMING_NONE)
    exchange_done (exchange);
  return exchange;
}

guint
ad_http_exchange_get_status (AdHttpExchange *exchange)
{
  return exchange->status;
}

SoupMessageHeaders *
ad_http_exchange_get_headers (AdHttpExchange *exchange)
{
  return exchange->headers;
}

/* Whether it went out on a connection that had answered before. */
gboolean
ad_http_exchange_get_reused (AdHttpExchange *exchange)
{
  return exchange->reused;
}

/* ---- the body ------------------------------------------------------------------ */

static GError *
body_cut_error (void)
{
  return g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                      _("The connection closed before the end of the body"));
}

static GError *
bad_chunk_error (void)
{
  return g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                      _("The server sent a malformed chunk"));
}

/* Copies buffered bytes, or reads from the socket, at most @count. */
static gssize
body_read_raw (Connection    *conn,
               guint8        *buffer,
               gsize          count,
               GCancellable  *cancellable,
               GError       **error)
{
  if (conn->start < conn->end)
    {
      gsize n = MIN (count, conn->end - conn->start);

      memcpy (buffer, conn->buf + conn->start, n);
      conn->start += n;
      return n;
    }
  return g_pollable_input_stream_read_nonblocking (conn->in, buffer, count, cancellable, error);
}

/* One line of the chunked framing (size line, data's end, trailer) in the
 * buffer: its length without the line end in *@len, and its start; NULL
 * with *@result set when it has not all come (-1 and an error, or 0 at
 * the end of the connection). */
static const char *
chunk_line (Connection    *conn,
            gsize         *len,
            gssize        *result,
            GCancellable  *cancellable,
            GError       **error)
{
  for (;;)
    {
      gsize next = connection_find_line (conn, conn->start);
      const char *line = (const char *) conn->buf + conn->start;
      gssize n;

      if (next != 0)
        {
          *len = next - conn->start - 1;
          if (*len > 0 && line[*len - 1] == '\r')
            (*len)--;
          conn->start = next;
          return line;
        }
      n = connection_fill (conn, MAX_HEADER_BYTES, cancellable, error);
      if (n <= 0)
        {
          *result = n;
          return NULL;
        }
    }
}

static gssize
body_read_chunked (AdHttpExchange  *exchange,
                   guint8          *buffer,
                   gsize            count,
                   GCancellable    *cancellable,
                   GError         **error)
{
  Connection *conn = exchange->conn;

  for (;;)
    {
      const char *line;
      gsize len;
      gssize n = 0;

      if (exchange->chunk == CHUNK_DATA)
        {
          n = body_read_raw (conn, buffer, MIN (count, exchange->remaining), cancellable, error);
          if (n == 0)
            {
              g_propagate_error (error, body_cut_error ());
              return -1;
            }
          if (n > 0)
            {
              exchange->remaining -= n;
              if (exchange->remaining == 0)
                exchange->chunk = CHUNK_DATA_END;
            }
          return n;
        }

      line = chunk_line (conn, &len, &n, cancellable, error);
      if (line == NULL)
        {
          if (n == 0)
            g_propagate_error (error, body_cut_error ());
          return -1;
        }
      /* libsoup reads these lines into 128 bytes and misreads longer ones;
       * a size with its extensions fits in far fewer. */
      if (len > MAX_CHUNK_LINE)
        {
          g_propagate_error (error, bad_chunk_error ());
          return -1;
        }

      switch (exchange->chunk)
        {
        case CHUNK_SIZE:
          {
            guint64 size = 0;
            gsize i;

            for (i = 0; i < len && g_ascii_isxdigit (line[i]); i++)
              {
                if (size > G_MAXUINT64 >> 4)
                  break;
                size = size << 4 | (guint64) g_ascii_xdigit_value (line[i]);
              }
            /* Hex digits, then nothing, blanks or an extension. */
            if (i == 0 || (i < len && line[i] != ';' && line[i] != ' ' && line[i] != '\t'))
              {
                g_propagate_error (error, bad_chunk_error ());
                return -1;
              }
            exchange->remaining = size;
            exchange->chunk = size > 0 ? CHUNK_DATA : CHUNK_TRAILER;
          }
          break;
        case CHUNK_DATA_END:
          if (len != 0)
            {
              g_propagate_error (error, bad_chunk_error ());
              return -1;
            }
          exchange->chunk = CHUNK_SIZE;
          break;
        case CHUNK_TRAILER:
          if (len == 0)
            return 0;
          break;
        case CHUNK_DATA:
        default:
          g_assert_not_reached ();
        }
    }
}

/**
 * ad_http_exchange_read:
 *
 * Reads what has come of the body, without blocking: at most @count
 * bytes, 0 at its end, or -1 with @error (%G_IO_ERROR_WOULD_BLOCK: wait
 * for ad_http_exchange_create_source()).
 */
gssize
ad_http_exchange_read (AdHttpExchange  *exchange,
                       void            *buffer,
                       gsize            count,
                       GCancellable    *cancellable,
                       GError         **error)
{
  Connection *conn = exchange->conn;
  gssize n;

  if (exchange->done)
    return 0;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  switch (exchange->framing)
    {
    case FRAMING_LENGTH:
      if (exchange->remaining == 0)
        n = 0;
      else
        {
          n = body_read_raw (conn, buffer, MIN (count, exchange->remaining), cancellable, error);
          /* A short body is whole when the connection was not to be
           * kept, as libsoup has it: some servers send a wrong length. */
          if (n == 0 && exchange->keep_alive)
            {
              g_propagate_error (error, body_cut_error ());
              return -1;
            }
          if (n > 0)
            exchange->remaining -= n;
        }
      break;
    case FRAMING_CHUNKED:
      n = body_read_chunked (exchange, buffer, count, cancellable, error);
      break;
    case FRAMING_EOF:
      n = body_read_raw (conn, buffer, count, cancellable, error);
      break;
    case FRAMING_NONE:
    default:
      n = 0;
      break;
    }

  if (n == 0)
    exchange_done (exchange);
  return n;
}

/**
 * ad_http_exchange_create_source:
 *
 * A source that fires when more of the body may be read.
 */
GSource *
ad_http_exchange_create_source (AdHttpExchange *exchange,
                                GCancellable   *cancellable)
{
  g_return_val_if_fail (exchange->conn != NULL, NULL);

  return g_pollable_input_stream_create_source (exchange->conn->in, cancellable);
}

/* ---- the client ---------------------------------------------------------------- */

static void
queue_free (gpointer data)
{
  g_queue_free (data);
}

void
ad_http_client_close_idle (AdHttpClient *self)
{
  GHashTableIter iter;
  GQueue *queue;

  g_return_if_fail (AD_IS_HTTP_CLIENT (self));

  g_hash_table_iter_init (&iter, self->idle);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &queue))
    {
      Connection *conn;

      while ((conn = g_queue_pop_head (queue)) != NULL)
        connection_free (self, conn);
    }
  g_hash_table_remove_all (self->idle);
  self->n_idle = 0;
}

static void
ad_http_client_finalize (GObject *object)
{
  AdHttpClient *self = AD_HTTP_CLIENT (object);

  ad_http_client_close_idle (self);
  g_hash_table_unref (self->idle);
  g_clear_object (&self->tcp);
  g_clear_object (&self->tls);
  g_clear_object (&self->tls_database);
  g_free (self->user_agent);

  G_OBJECT_CLASS (ad_http_client_parent_class)->finalize (object);
}

static void
ad_http_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AdHttpClient *self = AD_HTTP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    case PROP_MAX_IDLE:
      g_value_set_uint (value, self->max_idle);
      break;
    case PROP_TLS_DATABASE:
      g_value_set_object (value, self->tls_database);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_http_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AdHttpClient *self = AD_HTTP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_USER_AGENT:
      ad_http_client_set_user_agent (self, g_value_get_string (value));
      break;
    case PROP_MAX_IDLE:
      ad_http_client_set_max_idle (self, g_value_get_uint (value));
      break;
    case PROP_TLS_DATABASE:
      ad_http_client_set_tls_database (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_http_client_class_init (AdHttpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ad_http_client_finalize;
  object_class->get_property = ad_http_client_get_property;
  object_class->set_property = ad_http_client_set_property;

  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AdHttpClient:max-idle:
   *
   * How many idle connections are kept open, for all hosts together.
   */
  properties[PROP_MAX_IDLE] =
    g_param_spec_uint ("max-idle", NULL, NULL, 0, G_MAXUINT, 16,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AdHttpClient:tls-database:
   *
   * The certificates https servers are checked against; %NULL: the
   * system's (GIO's default database).
   */
  properties[PROP_TLS_DATABASE] =
    g_param_spec_object ("tls-database", NULL, NULL, G_TYPE_TLS_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* A TLS connection about to shake hands checks the server against the
 * client's database, when it has one. */
static void
tls_event_cb (GSocketClient      *tcp,
              GSocketClientEvent  event,
              GSocketConnectable *connectable,
              GIOStream          *connection,
              gpointer            user_data)
{
  AdHttpClient *self = user_data;

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && self->tls_database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), self->tls_database);
}

static void
ad_http_client_init (AdHttpClient *self)
{
  self->idle = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, queue_free);
  self->max_idle = 16;
  self->tcp = g_socket_client_new ();
  self->tls = g_socket_client_new ();
  g_socket_client_set_tls (self->tls, TRUE);
  g_signal_connect_object (self->tls, "event", G_CALLBACK (tls_event_cb), self, 0);
}

AdHttpClient *
ad_http_client_new (const char *user_agent)
{
  return g_object_new (AD_TYPE_HTTP_CLIENT, "user-agent", user_agent, NULL);
}

const char *
ad_http_client_get_user_agent (AdHttpClient *self)
{
  g_return_val_if_fail (AD_IS_HTTP_CLIENT (self), NULL);
  return self->user_agent;
}

void
ad_http_client_set_user_agent (AdHttpClient *self,
                               const char   *user_agent)
{
  g_return_if_fail (AD_IS_HTTP_CLIENT (self));

  /* Not a header injection: a user agent is one line. */
  if (user_agent != NULL && strpbrk (user_agent, "\r\n") != NULL)
    user_agent = NULL;
  if (g_strcmp0 (self->user_agent, user_agent) == 0)
    return;
  g_free (self->user_agent);
  self->user_agent = g_strdup (user_agent);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_AGENT]);
}

guint
ad_http_client_get_max_idle (AdHttpClient *self)
{
  g_return_val_if_fail (AD_IS_HTTP_CLIENT (self), 0);
  return self->max_idle;
}

void
ad_http_client_set_max_idle (AdHttpClient *self,
                             guint         max_idle)
{
  g_return_if_fail (AD_IS_HTTP_CLIENT (self));

  if (self->max_idle == max_idle)
    return;
  self->max_idle = max_idle;
  if (self->n_idle > max_idle)
    ad_http_client_close_idle (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_IDLE]);
}

/* Idle connections kept open. */
guint
ad_http_client_get_n_idle (AdHttpClient *self)
{
  g_return_val_if_fail (AD_IS_HTTP_CLIENT (self), 0);
  return self->n_idle;
}

/* Open connections, idle or carrying a request. */
guint
ad_http_client_get_n_connected (AdHttpClient *self)
{
  g_return_val_if_fail (AD_IS_HTTP_CLIENT (self), 0);
  return self->n_connected;
}

GTlsDatabase *
ad_http_client_get_tls_database (AdHttpClient *self)
{
  g_return_val_if_fail (AD_IS_HTTP_CLIENT (self), NULL);
  return self->tls_database;
}

void
ad_http_client_set_tls_database (AdHttpClient *self,
                                 GTlsDatabase *database)
{
  g_return_if_fail (AD_IS_HTTP_CLIENT (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  if (g_set_object (&self->tls_database, database))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_DATABASE]);
}
