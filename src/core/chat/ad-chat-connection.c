/* ad-chat-connection.c: one client of an AdChatServer
 *
 * A connection reads and writes its socket without ever blocking and with
 * as little memory as we could manage, because a server may hold thousands
 * of them on one thread:
 *
 *  - Reading: the server's epoll set holds every client's socket (one
 *    GSource per client made each main-loop iteration poll them all); a
 *    ready client gets one non-blocking recv() into the server's shared
 *    read buffer, fed to the framer, which keeps bytes only for an
 *    incomplete line. An idle connection owns no buffer and no GSource.
 *    (Without epoll, each connection has a GSocket source instead.)
 *  - Writing: the lines for a client go out at once, one non-blocking
 *    send() (one line) or sendmsg() (the broadcasts of a batch of input)
 *    straight on the descriptor, no GTask, no copy, no GError when the
 *    socket is full, when nothing waits before them; otherwise they wait
 *    in a ring of GBytes (a broadcast line is formatted once and shared by
 *    reference), written the same way by the server's flush. Only when the
 *    socket is full do we create a source that waits for it to become
 *    writable. With sender threads, the same queue is written by the
 *    connection's shard instead (ad-chat-shard.c), and the main thread only
 *    posts lines to it.
 *
 * Each connection in the room is a task in the registry (kind "server",
 * under the server's task) from join to close: it succeeds when the client
 * leaves normally, fails when it is lost or too slow, and cancelling it (from
 * the task list) kicks the client.
 *
 * Properties (nick, address, counters, queue depth) are for the GUI's client
 * list; the counters are notified on the server's coalescing tick, not per
 * byte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Chat"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "ad-chat-server-private.h"
#include "ad-task-registry.h"

#define MAX_VECTORS       64
#define RING_KEEP_SIZE    16

/* A pass over the room sends all its pending lines in one sendmsg(). */
G_STATIC_ASSERT (AD_CHAT_PENDING_MAX <= MAX_VECTORS);

G_DEFINE_FINAL_TYPE (AdChatConnection, ad_chat_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NICK,
  PROP_ADDRESS,
  PROP_BYTES_IN,
  PROP_BYTES_OUT,
  PROP_QUEUE_DEPTH,
  PROP_QUEUED_BYTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A line leaves the queue: a shard hands it back to the main thread. */
static inline void
release_line (AdChatConnection *self,
              GBytes           *line)
{
  if (self->shard != NULL)
    _ad_chat_shard_release (self->shard, line);
  else
    g_bytes_unref (line);
}

/* Forgets the queue (on whichever thread owns the output). */
void
_ad_chat_connection_drop_queue (AdChatConnection *self)
{
  for (guint i = 0; i < self->ring_len; i++)
    release_line (self, self->ring[(self->ring_head + i) & (self->ring_size - 1)]);
  g_clear_pointer (&self->ring, g_free);
  self->ring_size = self->ring_head = 0;
  AD_CHAT_STORE (self->ring_len, 0);
  self->head_offset = 0;
  AD_CHAT_STORE (self->queued_bytes, 0);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
ad_chat_connection_dispose (GObject *object)
{
  AdChatConnection *self = AD_CHAT_CONNECTION (object);

  if (self->state != AD_CHAT_CONNECTION_CLOSED)
    _ad_chat_connection_close (self, NULL);

  G_OBJECT_CLASS (ad_chat_connection_parent_class)->dispose (object);
}

static void
ad_chat_connection_finalize (GObject *object)
{
  AdChatConnection *self = AD_CHAT_CONNECTION (object);

  ad_chat_member_clear (&self->member);
  g_free (self->address);

  G_OBJECT_CLASS (ad_chat_connection_parent_class)->finalize (object);
}

static void
ad_chat_connection_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AdChatConnection *self = AD_CHAT_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_uint (value, self->member.id);
      break;
    case PROP_NICK:
      g_value_set_string (value, self->member.nick);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_BYTES_IN:
      g_value_set_uint64 (value, self->bytes_in);
      break;
    case PROP_BYTES_OUT:
      g_value_set_uint64 (value, AD_CHAT_LOAD (self->bytes_out));
      break;
    case PROP_QUEUE_DEPTH:
      g_value_set_uint (value, AD_CHAT_LOAD (self->ring_len));
      break;
    case PROP_QUEUED_BYTES:
      g_value_set_uint64 (value, AD_CHAT_LOAD (self->queued_bytes));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_chat_connection_class_init (AdChatConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ad_chat_connection_dispose;
  object_class->finalize = ad_chat_connection_finalize;
  object_class->get_property = ad_chat_connection_get_property;

  properties[PROP_ID] =
    g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NICK] =
    g_param_spec_string ("nick", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BYTES_IN] =
    g_param_spec_uint64 ("bytes-in", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BYTES_OUT] =
    g_param_spec_uint64 ("bytes-out", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * AdChatConnection:queue-depth:
   *
   * How many lines wait to be written to this client.
   */
  properties[PROP_QUEUE_DEPTH] =
    g_param_spec_uint ("queue-depth", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_QUEUED_BYTES] =
    g_param_spec_uint64 ("queued-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ad_chat_connection_init (AdChatConnection *self)
{
}

/* ---- reading ---------------------------------------------------------------- */

typedef struct
{
  AdChatConnection *self;
  gint64            now;
  guint             lines;
} LineContext;

static gboolean
line_cb (const char *line,
         gsize       length,
         gboolean    too_long,
         gpointer    user_data)
{
  LineContext *ctx = user_data;

  ctx->lines++;
  return _ad_chat_server_handle_line (ctx->self->server, ctx->self, line, length, too_long,
                                      ctx->now);
}

/**
 * _ad_chat_connection_read:
 *
 * One non-blocking receive into the server's shared buffer, fed to the
 * framer (the server's epoll set, or our own source, said it is readable).
 *
 * Returns: %FALSE once the connection is lost (the server was told)
 */
gboolean
_ad_chat_connection_read (AdChatConnection *self)
{
  guint8 *buffer = _ad_chat_server_get_read_buffer (self->server);
  LineContext ctx = { self, 0, 0 };
  gboolean was_in_line;
  gssize n;

  do
    n = recv (self->fd, buffer, AD_CHAT_READ_BUFFER_SIZE, MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return TRUE;

  if (n <= 0)
    {
      g_debug ("connection %u: %s", self->member.id,
               n == 0 ? "end of stream" : g_strerror (errno));
      _ad_chat_server_connection_lost (self->server, self, n == 0 ? NULL : "connection lost");
      return FALSE;
    }

  self->bytes_in += n;
  _ad_chat_server_stats_changed (self->server, self);

  /* Once it has left, a client's input is read (to see the end of the
   * stream) and dropped. */
  if (self->state != AD_CHAT_CONNECTION_OPEN)
    return TRUE;

  ctx.now = g_get_monotonic_time ();
  was_in_line = _ad_chat_connection_in_line (self);
  ad_chat_framer_feed (&self->framer, buffer, n, line_cb, &ctx);
  /* A new unfinished line starts its clock (the server's line timeout);
   * more bytes of the same line do not restart it. */
  if (self->state == AD_CHAT_CONNECTION_OPEN && _ad_chat_connection_in_line (self) &&
      (!was_in_line || ctx.lines > 0))
    self->member.line_started = ad_chat_room_seconds (ctx.now);

  return TRUE;
}

/* Without the server's epoll set: our own source. */
static gboolean
read_cb (GSocket      *socket,
         GIOCondition  condition,
         gpointer      user_data)
{
  g_autoptr(AdChatConnection) self = g_object_ref (user_data);

  if (!_ad_chat_connection_read (self))
    return G_SOURCE_REMOVE;
  _ad_chat_server_maybe_flush (self->server);

  return G_SOURCE_CONTINUE;
}

/* Whether the client is in the middle of a line (or of an over-long one
 * being discarded). */
gboolean
_ad_chat_connection_in_line (AdChatConnection *self)
{
  return self->framer.partial != NULL || self->framer.discarding;
}

/* ---- writing ---------------------------------------------------------------- */

static gboolean
write_cb (GSocket      *socket,
          GIOCondition  condition,
          gpointer      user_data)
{
  g_autoptr(AdChatConnection) self = g_object_ref (user_data);

  g_clear_pointer (&self->write_source, g_source_unref);
  if (!_ad_chat_connection_flush (self))
    _ad_chat_server_connection_lost (self->server, self, "write failed");

  return G_SOURCE_REMOVE;
}

static void
wait_writable (AdChatConnection *self)
{
  if (self->write_source != NULL)
    return;

  self->write_source = g_socket_create_source (self->socket, G_IO_OUT, NULL);
  g_source_set_static_name (self->write_source, "[async-demo] chat write");
  g_source_set_callback (self->write_source, G_SOURCE_FUNC (write_cb), self, NULL);
  g_source_attach (self->write_source, _ad_chat_server_get_context (self->server));
}

/* Drops @sent written bytes from the head of the queue. */
static void
consume (AdChatConnection *self,
         gsize             sent)
{
  AD_CHAT_STORE (self->queued_bytes, self->queued_bytes - sent);
  AD_CHAT_STORE (self->bytes_out, self->bytes_out + sent);

  while (sent > 0)
    {
      GBytes *head = self->ring[self->ring_head];
      gsize left = g_bytes_get_size (head) - self->head_offset;

      if (sent < left)
        {
          self->head_offset += (guint32) sent;
          return;
        }

      sent -= left;
      release_line (self, head);
      self->ring[self->ring_head] = NULL;
      self->ring_head = (self->ring_head + 1) & (self->ring_size - 1);
      AD_CHAT_STORE (self->ring_len, self->ring_len - 1);
      self->head_offset = 0;
    }
}

/**
 * _ad_chat_connection_write_ring:
 *
 * Writes as much of the queue as the socket takes now: non-blocking
 * sendmsg() calls of up to 64 lines straight on the descriptor (no GError
 * for a full socket). On whichever thread owns the output.
 *
 * Returns: 1 when the queue is empty, 0 when the socket is full, -1 when
 *   it failed (the peer is gone)
 */
int
_ad_chat_connection_write_ring (AdChatConnection *self)
{
  while (self->ring_len > 0)
    {
      struct iovec vectors[MAX_VECTORS];
      struct msghdr message = { .msg_iov = vectors };
      guint n = MIN (self->ring_len, MAX_VECTORS);
      gsize total = 0;
      gssize sent;

      for (guint i = 0; i < n; i++)
        {
          GBytes *bytes = self->ring[(self->ring_head + i) & (self->ring_size - 1)];
          gsize size;
          const guint8 *data = g_bytes_get_data (bytes, &size);

          if (i == 0)
            {
              data += self->head_offset;
              size -= self->head_offset;
            }
          vectors[i].iov_base = (void *) data;
          vectors[i].iov_len = size;
          total += size;
        }
      message.msg_iovlen = n;

      /* One line (the common case when the room is not flooded): send()
       * spares the kernel copying a msghdr and an iovec. */
      do
        sent = n == 1 ? send (self->fd, vectors[0].iov_base, total, MSG_DONTWAIT | MSG_NOSIGNAL)
                      : sendmsg (self->fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
      while (sent < 0 && errno == EINTR);
      if (sent < 0)
        {
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
          g_debug ("connection %u: %s", self->member.id, g_strerror (errno));
          return -1;
        }

      consume (self, sent);
      if ((gsize) sent < total)
        return 0;  /* the socket is full: wait rather than spin */
    }

  /* A small ring is kept for the next burst; a big one goes. */
  if (self->ring_size > RING_KEEP_SIZE)
    _ad_chat_connection_drop_queue (self);

  return 1;
}

/**
 * _ad_chat_connection_flush:
 *
 * Writes as much of the queue as the socket takes now (main thread).
 *
 * Returns: %FALSE when the socket failed (the peer is gone)
 */
gboolean
_ad_chat_connection_flush (AdChatConnection *self)
{
  int written;

  self->flush_pending = FALSE;

  if (self->state == AD_CHAT_CONNECTION_CLOSED || self->write_source != NULL)
    return TRUE;

  written = _ad_chat_connection_write_ring (self);
  if (written < 0)
    return FALSE;
  if (written == 0)
    wait_writable (self);

  _ad_chat_server_stats_changed (self->server, self);

  if (self->ring_len == 0 && self->state == AD_CHAT_CONNECTION_CLOSING)
    _ad_chat_connection_half_close (self);

  return TRUE;
}

/* Appends @line to the queue (on whichever thread owns the output). */
void
_ad_chat_connection_push (AdChatConnection *self,
                          GBytes           *line)
{
  if (self->ring_len == self->ring_size)
    {
      guint size = MAX (8, self->ring_size * 2);
      GBytes **ring = g_new (GBytes *, size);

      for (guint i = 0; i < self->ring_len; i++)
        ring[i] = self->ring[(self->ring_head + i) & (self->ring_size - 1)];
      g_free (self->ring);
      self->ring = ring;
      self->ring_size = size;
      self->ring_head = 0;
    }

  self->ring[(self->ring_head + self->ring_len) & (self->ring_size - 1)] = g_bytes_ref (line);
  AD_CHAT_STORE (self->ring_len, self->ring_len + 1);
  AD_CHAT_STORE (self->queued_bytes, self->queued_bytes + g_bytes_get_size (line));
}

/* Writes @lines at once when nothing waits before them: one send() (one
 * line) or sendmsg(), no queue, no GError. What the socket does not take
 * is queued: the rest of a line that went in part, and the lines after it;
 * a full socket is then waited for rather than tried again at the flush.
 * An error other than a full socket queues everything, for the flush to
 * report outside any loop over the room. Main thread, no shard; at most
 * MAX_VECTORS lines. */
void
_ad_chat_connection_send_lines (AdChatConnection  *self,
                                GBytes           **lines,
                                guint              n_lines)
{
  gboolean tried = FALSE;
  gssize sent = 0;

  if (self->state == AD_CHAT_CONNECTION_CLOSED || self->state == AD_CHAT_CONNECTION_LINGERING)
    return;

  if (self->ring_len == 0 && self->write_source == NULL)
    {
      struct iovec vectors[MAX_VECTORS];
      struct msghdr message = { .msg_iov = vectors, .msg_iovlen = n_lines };
      gsize total = 0;

      g_assert (n_lines <= MAX_VECTORS);
      for (guint i = 0; i < n_lines; i++)
        {
          gsize size;

          vectors[i].iov_base = (void *) g_bytes_get_data (lines[i], &size);
          vectors[i].iov_len = size;
          total += size;
        }

      do
        sent = n_lines == 1 ? send (self->fd, vectors[0].iov_base, total,
                                    MSG_DONTWAIT | MSG_NOSIGNAL)
                            : sendmsg (self->fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
      while (sent < 0 && errno == EINTR);

      if (sent == (gssize) total)
        {
          AD_CHAT_STORE (self->bytes_out, self->bytes_out + sent);
          _ad_chat_server_stats_changed (self->server, self);
          return;
        }
      tried = TRUE;
      if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        sent = 0;
    }

  for (guint i = 0; i < n_lines; i++)
    _ad_chat_connection_push (self, lines[i]);

  if (tried && sent >= 0)
    {
      consume (self, sent);
      wait_writable (self);
    }
  else if (!self->flush_pending && self->write_source == NULL)
    {
      self->flush_pending = TRUE;
      _ad_chat_server_want_flush (self->server, self);
    }
  _ad_chat_server_stats_changed (self->server, self);
}

/* Queues @line behind whatever waits, for the server's next flush. */
void
_ad_chat_connection_queue (AdChatConnection *self,
                           GBytes           *line)
{
  if (self->state == AD_CHAT_CONNECTION_CLOSED || self->state == AD_CHAT_CONNECTION_LINGERING)
    return;

  _ad_chat_connection_push (self, line);
  if (!self->flush_pending && self->write_source == NULL)
    {
      self->flush_pending = TRUE;
      _ad_chat_server_want_flush (self->server, self);
    }
  _ad_chat_server_stats_changed (self->server, self);
}

/* A line for this client alone: after the broadcasts read before it
 * (the server's pending ones), at once if nothing waits before it. */
void
_ad_chat_connection_enqueue (AdChatConnection *self,
                             GBytes           *line)
{
  if (self->state == AD_CHAT_CONNECTION_CLOSED || self->state == AD_CHAT_CONNECTION_LINGERING)
    return;

  if (self->shard != NULL)
    {
      _ad_chat_shard_post (self->shard, AD_CHAT_SHARD_SEND, self, line);
      return;
    }

  _ad_chat_server_send_pending (self->server);
  _ad_chat_connection_send_lines (self, &line, 1);
}

/**
 * _ad_chat_connection_is_slow:
 *
 * Whether the queue holds more than @max_queue_bytes even after writing
 * what the socket takes now: a queue that only waits for the server's
 * flush is not the client's fault. Never reports a failed write (the flush
 * does, outside any loop over the room). Main thread, no shard.
 */
gboolean
_ad_chat_connection_is_slow (AdChatConnection *self,
                             gsize             max_queue_bytes)
{
  if (self->queued_bytes <= max_queue_bytes)
    return FALSE;

  if (self->write_source == NULL && _ad_chat_connection_write_ring (self) == 0)
    wait_writable (self);

  return self->queued_bytes > max_queue_bytes;
}

/* ---- closing ---------------------------------------------------------------- */

/* Everything is written: send FIN and wait for the peer's, so that the
 * last lines are not lost to a reset. */
void
_ad_chat_connection_half_close (AdChatConnection *self)
{
  g_autoptr(GError) error = NULL;

  self->state = AD_CHAT_CONNECTION_LINGERING;
  if (!g_socket_shutdown (self->socket, FALSE, TRUE, &error))
    g_debug ("connection %u: %s", self->member.id, error->message);
}

/**
 * _ad_chat_connection_close:
 * @last_words: (nullable): a line to try to send first, without waiting
 *
 * Closes the socket now and forgets the queue.
 */
void
_ad_chat_connection_close (AdChatConnection *self,
                           GBytes           *last_words)
{
  if (self->state == AD_CHAT_CONNECTION_CLOSED)
    return;

  if (last_words != NULL && self->shard == NULL)
    {
      GOutputVector vectors[2] = {
        { "\n", self->head_offset > 0 ? 1 : 0 },  /* end a half-written line */
        { g_bytes_get_data (last_words, NULL), g_bytes_get_size (last_words) },
      };

      /* Best effort: a slow client's socket is probably full. */
      g_socket_send_message (self->socket, NULL, vectors, 2, NULL, 0, 0, NULL, NULL);
    }

  self->state = AD_CHAT_CONNECTION_CLOSED;
  if (self->task != NULL)
    {
      GCancellable *cancellable = ad_task_get_cancellable (self->task);
      g_autoptr(GError) outcome = NULL;

      g_cancellable_disconnect (cancellable, self->cancelled_id);
      self->cancelled_id = 0;
      if (g_cancellable_is_cancelled (cancellable))
        outcome = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      else if (self->failure != NULL)
        outcome = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, self->failure);
      ad_task_finish (self->task, outcome);
      g_clear_object (&self->task);
    }
  if (self->polled)
    {
      epoll_ctl (self->server->epoll_fd, EPOLL_CTL_DEL, self->fd, NULL);
      self->polled = FALSE;
    }
  clear_source (&self->read_source);
  ad_chat_framer_clear (&self->framer);

  /* The shard's thread owns the output and the stream from here on: it
   * tries the last words, then closes. */
  if (self->shard != NULL)
    {
      _ad_chat_shard_post (self->shard, AD_CHAT_SHARD_CLOSE, self, last_words);
      return;
    }

  clear_source (&self->write_source);
  _ad_chat_connection_drop_queue (self);
  _ad_chat_connection_close_stream (self);
}

/* Closes the socket (on whichever thread owns the output). */
void
_ad_chat_connection_close_stream (AdChatConnection *self)
{
  g_autoptr(GError) error = NULL;

  if (self->stream == NULL)
    return;
  if (!g_io_stream_close (G_IO_STREAM (self->stream), NULL, &error))
    g_debug ("connection %u: %s", self->member.id, error->message);
  g_clear_object (&self->stream);
  self->socket = NULL;
  self->fd = -1;
}

/* ---- the task ---------------------------------------------------------------- */

static gboolean
task_cancelled_idle (gpointer user_data)
{
  AdChatConnection *self = user_data;

  if (self->state == AD_CHAT_CONNECTION_OPEN)
    _ad_chat_server_task_cancelled (self->server, self);

  return G_SOURCE_REMOVE;
}

/* Any thread may cancel a task: act on the server's own context. */
static void
task_cancelled_cb (GCancellable     *cancellable,
                   AdChatConnection *self)
{
  g_main_context_invoke_full (_ad_chat_server_get_context (self->server), G_PRIORITY_DEFAULT,
                              task_cancelled_idle, g_object_ref (self), g_object_unref);
}

void
_ad_chat_connection_register (AdChatConnection *self,
                              AdTaskRegistry   *registry,
                              AdTask           *parent)
{
  g_autofree char *name = g_strdup_printf ("chat client %s", self->address);

  self->task = ad_task_registry_create (registry, name, AD_TASK_KIND_SERVER, parent, NULL);
  self->cancelled_id = g_cancellable_connect (ad_task_get_cancellable (self->task),
                                              G_CALLBACK (task_cancelled_cb), self, NULL);
  ad_task_start (self->task);
}

/* ---- the rest --------------------------------------------------------------- */

AdChatConnection *
_ad_chat_connection_new (AdChatServer      *server,
                         GSocketConnection *stream,
                         guint              id,
                         gsize              max_line_length)
{
  AdChatConnection *self = g_object_new (AD_TYPE_CHAT_CONNECTION, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (stream, NULL);

  self->server = server;
  self->shard_index = -1;
  if (server->shards != NULL)
    {
      /* The shard's reference, dropped when it reports the socket closed. */
      self->shard = server->shards[id % server->n_shards];
      g_object_ref (self);
    }
  self->stream = g_object_ref (stream);
  self->socket = g_socket_connection_get_socket (stream);
  self->fd = g_socket_get_fd (self->socket);
  self->member.peer = self;
  self->member.id = id;
  self->state = AD_CHAT_CONNECTION_OPEN;
  self->member.last_activity = g_get_monotonic_time ();
  ad_chat_framer_init (&self->framer, max_line_length);

  if (G_IS_INET_SOCKET_ADDRESS (remote))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (remote);
      g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
      guint16 port = g_inet_socket_address_get_port (inet);

      if (g_socket_address_get_family (remote) == G_SOCKET_FAMILY_IPV6)
        self->address = g_strdup_printf ("[%s]:%u", host, port);
      else
        self->address = g_strdup_printf ("%s:%u", host, port);
    }
  else
    self->address = g_strdup ("?");

  g_socket_set_blocking (self->socket, FALSE);
  /* Lines are already batched per main-loop iteration; Nagle's algorithm
   * would only hold them back waiting for (delayed) acknowledgements. */
  if (!g_socket_set_option (self->socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL))
    g_debug ("connection %u: could not set TCP_NODELAY", id);
  if (server->epoll_fd >= 0)
    {
      struct epoll_event event = { .events = EPOLLIN, .data.ptr = self };

      if (epoll_ctl (server->epoll_fd, EPOLL_CTL_ADD, self->fd, &event) == 0)
        self->polled = TRUE;
      else
        g_debug ("connection %u: epoll: %s", id, g_strerror (errno));
    }
  if (!self->polled)
    {
      self->read_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
      g_source_set_static_name (self->read_source, "[async-demo] chat read");
      g_source_set_callback (self->read_source, G_SOURCE_FUNC (read_cb), self, NULL);
      g_source_attach (self->read_source, _ad_chat_server_get_context (server));
    }

  return self;
}

/* The room changed our nick (member.nick). */
void
_ad_chat_connection_nick_changed (AdChatConnection *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NICK]);
}

/* Whether anyone listens to our notifications. With thousands of busy
 * clients and nobody watching (headless), emitting "notify" would cost far
 * more than the counters it reports. (g_signal_has_handler_pending() cannot
 * tell: GObject's class closure for "notify" makes it always TRUE.) */
static gboolean
is_watched (AdChatConnection *self)
{
  static guint notify_id;

  if (notify_id == 0)
    notify_id = g_signal_lookup ("notify", G_TYPE_OBJECT);

  return g_signal_handler_find (self, G_SIGNAL_MATCH_ID, notify_id, 0, NULL, NULL, NULL) != 0;
}

/* Called on the server's tick: notifies the counters that changed. */
void
_ad_chat_connection_notify_stats (AdChatConnection *self)
{
  GObject *object = G_OBJECT (self);
  gboolean changed_in = self->notified_in != self->bytes_in;
  guint64 bytes_out = AD_CHAT_LOAD (self->bytes_out);
  guint depth = AD_CHAT_LOAD (self->ring_len);
  gboolean changed_out = self->notified_out != bytes_out;
  gboolean changed_depth = self->notified_depth != depth;

  self->notified_in = self->bytes_in;
  self->notified_out = bytes_out;
  self->notified_depth = depth;

  if (!(changed_in || changed_out || changed_depth) || !is_watched (self))
    return;

  g_object_freeze_notify (object);
  if (changed_in)
    g_object_notify_by_pspec (object, properties[PROP_BYTES_IN]);
  if (changed_out)
    g_object_notify_by_pspec (object, properties[PROP_BYTES_OUT]);
  if (changed_depth)
    {
      g_object_notify_by_pspec (object, properties[PROP_QUEUE_DEPTH]);
      g_object_notify_by_pspec (object, properties[PROP_QUEUED_BYTES]);
    }
  g_object_thaw_notify (object);
}

guint
ad_chat_connection_get_id (AdChatConnection *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CONNECTION (self), 0);
  return self->member.id;
}

const char *
ad_chat_connection_get_nick (AdChatConnection *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CONNECTION (self), NULL);
  return self->member.nick;
}

const char *
ad_chat_connection_get_address (AdChatConnection *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CONNECTION (self), NULL);
  return self->address;
}

guint64
ad_chat_connection_get_bytes_in (AdChatConnection *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CONNECTION (self), 0);
  return self->bytes_in;
}

guint64
ad_chat_connection_get_bytes_out (AdChatConnection *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CONNECTION (self), 0);
  return AD_CHAT_LOAD (self->bytes_out);
}

guint
ad_chat_connection_get_queue_depth (AdChatConnection *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CONNECTION (self), 0);
  return AD_CHAT_LOAD (self->ring_len);
}

/**
 * ad_chat_connection_is_open:
 *
 * Returns: %TRUE while the client is in the room
 */
gboolean
ad_chat_connection_is_open (AdChatConnection *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CONNECTION (self), FALSE);
  return self->state == AD_CHAT_CONNECTION_OPEN;
}
