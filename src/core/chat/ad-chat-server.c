/* ad-chat-server.c: a line-based chat server on the GLib main loop
 *
 * One thread serves every client: a GSocketService accepts (it never
 * blocks), each client becomes an AdChatConnection that reads and writes
 * without blocking, and this file wires them to the room (ad-chat-room.c:
 * nicks, commands, history, limits and who must go, without sockets): it
 * carries out the room's broadcasts and goodbyes. The wire protocol is in
 * docs/chat-protocol.md and its parsing in ad-chat-protocol.c.
 *
 * Design choices, each for a measured reason:
 *
 *  - A broadcast formats the line once into a GBytes that every client's
 *    queue shares by reference. One source does the clients' I/O
 *    (ad-chat-server-clients.c): it polls one epoll set of all their
 *    sockets and reads the ready ones; the broadcasts of the batch go out
 *    when it is read, in one pass over the room, one send per client
 *    straight from the loop (queued only behind a full socket); during a
 *    long pass it reads again every 8 clients, and a line that arrives
 *    meanwhile rides along to the clients not yet visited, the pass going
 *    round the room for it. Measured (issue
 *    15, perf at 100,000 deliveries/s): 80-90 % of the server's CPU is the
 *    kernel's loopback TCP inside send() (the receiver's side runs in the
 *    sender's syscall), ~8 µs a send with the client reading on the other
 *    core; a broadcast to N clients is N sends, whatever the batching. The
 *    poll() of one GSource per client cost 9 % more at 1,000 clients.
 *  - Optionally (the "threads" property, `chat-server --threads N`), N
 *    sender threads each write a shard of the clients (ad-chat-shard.c):
 *    the main thread still accepts, reads and runs the room, and hands each
 *    shard one command per broadcast, so the sends run in parallel. Off by
 *    default: it only pays with cores to spare. On 2 cores shared with the
 *    clients (issue 15, 100 clients, 2 threads, 3 runs at RT priority) the
 *    lines reach the sockets sooner (p50 0.33 -> 0.23 ms) but are read
 *    later (0.37 -> 0.55 ms): the load generator needs ~3.6 µs of CPU per
 *    line it reads, about what a send costs us, and both cores are sending;
 *    one thread only adds the hand-off (p50 +0.15 ms). The GUI's server
 *    uses one sender thread, to keep the sends off the main loop it draws.
 *  - A line must be finished within line-timeout seconds of its first byte,
 *    and a full server makes room by closing the oldest client that never
 *    finished a line and is in the middle of one: half-line floods cannot
 *    lock users out (docs/chat-protocol.md, "Unfinished lines").
 *  - No timer per client: one sweep per second enforces the idle timeout and
 *    the goodbye deadlines; one 250 ms tick, armed only when something
 *    changed, notifies the counters the GUI binds to.
 *  - Limits are enforced where the bytes arrive: line length in the framer,
 *    a token bucket per client, a bound on every output queue (a client
 *    that falls that far behind is disconnected and never slows the
 *    others), a maximum number of clients (refused with a line).
 *  - Leaving politely: a client that quits, is kicked, idles out or is told
 *    the server is going down gets its last lines written, then a FIN, and
 *    the socket closes when the peer closes or after two seconds. Lost and
 *    too-slow clients are closed at once.
 *  - GSocketService accepts one connection per iteration; the incoming
 *    handler takes the rest of the accept queue from our (non-blocking)
 *    listening socket, so that a burst of connections is admitted quickly.
 *  - The server is a task in the registry (kind "server") while it runs,
 *    and each client in the room a child task; cancelling the server's task
 *    stops it politely, cancelling a client's kicks it.
 *  - Leaving the room goes through _ad_chat_server_leave_room() only,
 *    outside any loop over the room, so a client vanishing mid-broadcast
 *    is safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Chat"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "ad-chat-room.h"
#include "ad-chat-server-private.h"
#include "ad-task-registry.h"

G_DEFINE_FINAL_TYPE (AdChatServer, ad_chat_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_CLIENTS,
  PROP_N_CLIENTS,
  PROP_MAX_CLIENTS,
  PROP_MAX_LINE_LENGTH,
  PROP_HISTORY_LENGTH,
  PROP_MAX_QUEUE_BYTES,
  PROP_RATE_LIMIT,
  PROP_RATE_BURST,
  PROP_IDLE_TIMEOUT,
  PROP_LINE_TIMEOUT,
  PROP_ANNOUNCE,
  PROP_THREADS,
  PROP_REGISTRY,
  N_PROPS
};

enum {
  CLIENT_JOINED,
  CLIENT_LEFT,
  MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void register_server   (AdChatServer *self);
static void set_uint          (AdChatServer *self,
                               guint        *field,
                               guint         value,
                               guint         prop_id);

/* ---- starting and stopping -------------------------------------------------- */

/**
 * ad_chat_server_start:
 * @address: (nullable): an IP address to listen on; %NULL for
 *   %AD_CHAT_DEFAULT_ADDRESS (loopback only: listening elsewhere must be
 *   an explicit choice)
 * @port: the TCP port, or 0 for any free one (see ad_chat_server_get_port())
 *
 * Binds and starts accepting. Binding does not block.
 */
gboolean
ad_chat_server_start (AdChatServer  *self,
                      const char    *address,
                      guint16        port,
                      GError       **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) requested = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (AD_IS_CHAT_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->service != NULL || self->stop_task != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("The chat server is running"));
      return FALSE;
    }

  if (address == NULL)
    address = AD_CHAT_DEFAULT_ADDRESS;
  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address"), address);
      return FALSE;
    }

  /* Our own listening socket, so that incoming_cb() can drain the accept
   * queue; non-blocking, so that draining stops when it is empty. */
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  requested = g_inet_socket_address_new (inet, port);
  /* The default backlog (10) makes a burst of connections wait for SYN
   * retransmits; the kernel caps this at net.core.somaxconn. */
  g_socket_set_listen_backlog (socket, 4096);
  if (!g_socket_bind (socket, requested, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;
  g_socket_set_blocking (socket, FALSE);
  effective = g_socket_get_local_address (socket, error);
  if (effective == NULL)
    return FALSE;

  service = g_socket_service_new ();
  if (!g_socket_listener_add_socket (G_SOCKET_LISTENER (service), socket, NULL, error))
    return FALSE;

  if (self->n_threads > 0 && self->shards == NULL)
    {
      self->shards = _ad_chat_shards_new (self, self->n_threads, self->max_queue_bytes);
      self->n_shards = self->n_threads;
    }

  g_signal_connect (service, "incoming", G_CALLBACK (_ad_chat_server_incoming_cb), self);
  g_socket_service_start (service);

  self->service = g_steal_pointer (&service);
  self->listen_socket = g_steal_pointer (&socket);
  self->room->closing = FALSE;
  g_free (self->address);
  self->address = g_inet_address_to_string (inet);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  if (self->sweep_source == NULL)
    self->sweep_source = _ad_chat_server_attach_timeout (self, 1000, "[async-demo] chat sweep",
                                                         _ad_chat_server_sweep_cb);
  register_server (self);

  g_debug ("listening on %s:%u", self->address, self->port);
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

static gboolean
server_task_cancelled_cb (GCancellable *cancellable,
                          gpointer      user_data)
{
  AdChatServer *self = user_data;

  g_clear_pointer (&self->task_cancel_source, g_source_unref);
  if (self->service != NULL)
    ad_chat_server_stop_async (self, NULL, NULL, NULL);

  return G_SOURCE_REMOVE;
}

static void
register_server (AdChatServer *self)
{
  g_autofree char *name = g_strdup_printf ("chat server %s:%u", self->address, self->port);

  if (self->registry == NULL)
    self->registry = g_object_ref (ad_task_registry_get_default ());

  g_clear_object (&self->task);
  self->task = ad_task_registry_create (self->registry, name, AD_TASK_KIND_SERVER, NULL, NULL);
  /* Cancelling the task, from any thread, stops the server on its context. */
  self->task_cancel_source = g_cancellable_source_new (ad_task_get_cancellable (self->task));
  g_source_set_static_name (self->task_cancel_source, "[async-demo] chat server task cancel");
  g_source_set_callback (self->task_cancel_source, G_SOURCE_FUNC (server_task_cancelled_cb),
                         self, NULL);
  g_source_attach (self->task_cancel_source, self->context);
  ad_task_start (self->task);
}

/* The server and all its connections are closed. */
static void
finish_server_task (AdChatServer *self)
{
  g_autoptr(GError) error = NULL;

  if (self->task == NULL)
    return;

  _ad_chat_clear_source (&self->task_cancel_source);
  if (g_cancellable_is_cancelled (ad_task_get_cancellable (self->task)))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  ad_task_finish (self->task, error);
  g_clear_object (&self->task);
}

/* Every connection is closed: the sender threads run their last commands
 * (closing the sockets) and end. */
static void
stop_shards (AdChatServer *self)
{
  if (self->shards == NULL)
    return;

  g_clear_pointer (&self->shards, _ad_chat_shards_free);
  self->n_shards = 0;
}

static void
stop_listening (AdChatServer *self)
{
  if (self->service == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->service, self);
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_clear_object (&self->service);
  g_clear_object (&self->listen_socket);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
_ad_chat_server_maybe_finish_stop (AdChatServer *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->stop_task == NULL || self->room->members->len > 0 || self->closing->len > 0)
    return;

  task = g_steal_pointer (&self->stop_task);
  stop_shards (self);
  _ad_chat_clear_source (&self->cancel_source);
  _ad_chat_clear_source (&self->sweep_source);
  finish_server_task (self);
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

/**
 * ad_chat_server_stop:
 *
 * Stops at once: stops listening, sends every client a last line without
 * waiting, and closes every connection. Use ad_chat_server_stop_async()
 * to let clients read their last lines.
 */
void
ad_chat_server_stop (AdChatServer *self)
{
  g_autoptr(GBytes) notice = NULL;

  g_return_if_fail (AD_IS_CHAT_SERVER (self));

  notice = ad_chat_room_goodbye_line (self->room, AD_CHAT_GOODBYE_SHUTDOWN);
  stop_listening (self);
  self->room->closing = TRUE;

  while (self->room->members->len > 0)
    {
      AdChatMember *last = g_ptr_array_index (self->room->members, self->room->members->len - 1);
      AdChatConnection *conn = CONN (last);
      AdChatConnection *ref = _ad_chat_server_leave_room (self, conn, "server shutting down");

      _ad_chat_connection_close (conn, notice);
      g_object_unref (ref);
    }

  while (self->closing->len > 0)
    {
      _ad_chat_connection_close (g_ptr_array_index (self->closing, self->closing->len - 1), NULL);
      g_ptr_array_set_size (self->closing, self->closing->len - 1);
    }

  _ad_chat_server_maybe_finish_stop (self);
  stop_shards (self);
  _ad_chat_clear_source (&self->sweep_source);
  finish_server_task (self);
}

static gboolean
stop_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  ad_chat_server_stop (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * ad_chat_server_stop_async:
 * @cancellable: (nullable): cancel to close the remaining connections at once
 *
 * Stops listening, tells every client "server shutting down", and completes
 * once every connection is closed: when the client has read its last lines
 * and closed, or after a two-second grace period.
 */
void
ad_chat_server_stop_async (AdChatServer        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) notice = NULL;

  g_return_if_fail (AD_IS_CHAT_SERVER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_chat_server_stop_async);
  g_task_set_name (task, "[async-demo] chat server stop");

  if (self->stop_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The chat server is already stopping"));
      return;
    }

  stop_listening (self);
  self->room->closing = TRUE;
  notice = ad_chat_room_goodbye_line (self->room, AD_CHAT_GOODBYE_SHUTDOWN);
  while (self->room->members->len > 0)
    {
      AdChatMember *last = g_ptr_array_index (self->room->members, self->room->members->len - 1);

      _ad_chat_server_say_goodbye (self, CONN (last), "server shutting down", notice);
    }

  self->stop_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (self->cancel_source, "[async-demo] chat stop cancel");
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (stop_cancelled_cb), self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }
  _ad_chat_server_maybe_finish_stop (self);
}

gboolean
ad_chat_server_stop_finish (AdChatServer  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_chat_server_stop_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ad_chat_server_kick:
 * @connection: a client in the room
 * @reason: (nullable): told to everyone
 *
 * Disconnects @connection politely, telling it and the others why.
 */
void
ad_chat_server_kick (AdChatServer     *self,
                     AdChatConnection *connection,
                     const char       *reason)
{
  g_autoptr(GBytes) notice = NULL;
  g_autofree char *clean = NULL;

  g_return_if_fail (AD_IS_CHAT_SERVER (self));
  g_return_if_fail (AD_IS_CHAT_CONNECTION (connection));

  if (connection->state != AD_CHAT_CONNECTION_OPEN || connection->server != self)
    return;

  clean = ad_chat_room_kick_reason (reason);
  notice = ad_chat_room_kick_line (clean);
  _ad_chat_server_say_goodbye (self, connection, clean, notice);
}

/* A client's task was cancelled (from the task list, say). */
void
_ad_chat_server_task_cancelled (AdChatServer     *self,
                                AdChatConnection *conn)
{
  ad_chat_server_kick (self, conn, "cancelled");
}

/* ---- what the room's changes look like from outside --------------------------- */

void
_ad_chat_server_joined (AdChatServer     *self,
                        AdChatConnection *conn)
{
  g_list_store_append (self->clients, conn);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CLIENTS]);
  g_signal_emit (self, signals[CLIENT_JOINED], 0, conn);
}

void
_ad_chat_server_left (AdChatServer     *self,
                      AdChatConnection *conn,
                      const char       *reason)
{
  guint position;

  if (g_list_store_find (self->clients, conn, &position))
    g_list_store_remove (self->clients, position);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CLIENTS]);
  g_signal_emit (self, signals[CLIENT_LEFT], 0, conn, reason);
}

void
_ad_chat_server_said (AdChatServer     *self,
                      AdChatConnection *conn,
                      const char       *text,
                      gboolean          action)
{
  g_signal_emit (self, signals[MESSAGE], 0, conn, text, action);
}

/* ---- GObject ------------------------------------------------------------------ */

guint8 *
_ad_chat_server_get_read_buffer (AdChatServer *self)
{
  return self->read_buffer;
}

GMainContext *
_ad_chat_server_get_context (AdChatServer *self)
{
  return self->context;
}

static void
ad_chat_server_dispose (GObject *object)
{
  AdChatServer *self = AD_CHAT_SERVER (object);

  if (self->room != NULL)
    ad_chat_server_stop (self);

  _ad_chat_clear_source (&self->service_source);
  _ad_chat_clear_source (&self->sweep_source);
  _ad_chat_clear_source (&self->stats_source);
  _ad_chat_clear_source (&self->cancel_source);
  _ad_chat_clear_source (&self->task_cancel_source);
  g_clear_object (&self->registry);
  g_clear_pointer (&self->flush_list, g_ptr_array_unref);
  g_clear_pointer (&self->flush_spare, g_ptr_array_unref);
  g_clear_pointer (&self->stats_dirty, g_ptr_array_unref);
  g_clear_object (&self->clients);

  G_OBJECT_CLASS (ad_chat_server_parent_class)->dispose (object);
}

static void
ad_chat_server_finalize (GObject *object)
{
  AdChatServer *self = AD_CHAT_SERVER (object);

  g_clear_pointer (&self->room, ad_chat_room_free);
  g_clear_pointer (&self->closing, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->address);
  if (self->epoll_fd >= 0)
    close (self->epoll_fd);

  G_OBJECT_CLASS (ad_chat_server_parent_class)->finalize (object);
}

static void
ad_chat_server_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AdChatServer *self = AD_CHAT_SERVER (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, ad_chat_server_get_running (self));
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_CLIENTS:
      g_value_set_object (value, self->clients);
      break;
    case PROP_N_CLIENTS:
      g_value_set_uint (value, ad_chat_server_get_n_clients (self));
      break;
    case PROP_MAX_CLIENTS:
      g_value_set_uint (value, self->room->max_clients);
      break;
    case PROP_MAX_LINE_LENGTH:
      g_value_set_uint (value, self->room->max_line_length);
      break;
    case PROP_HISTORY_LENGTH:
      g_value_set_uint (value, self->room->history_length);
      break;
    case PROP_MAX_QUEUE_BYTES:
      g_value_set_uint (value, self->max_queue_bytes);
      break;
    case PROP_RATE_LIMIT:
      g_value_set_double (value, self->room->rate_limit);
      break;
    case PROP_RATE_BURST:
      g_value_set_uint (value, self->room->rate_burst);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->room->idle_timeout);
      break;
    case PROP_LINE_TIMEOUT:
      g_value_set_uint (value, self->room->line_timeout);
      break;
    case PROP_ANNOUNCE:
      g_value_set_boolean (value, self->room->announce);
      break;
    case PROP_THREADS:
      g_value_set_uint (value, self->n_threads);
      break;
    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_chat_server_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AdChatServer *self = AD_CHAT_SERVER (object);

  switch (prop_id)
    {
    case PROP_MAX_CLIENTS:
      ad_chat_server_set_max_clients (self, g_value_get_uint (value));
      break;
    case PROP_MAX_LINE_LENGTH:
      /* The pspec holds it in range; new clients get it. */
      set_uint (self, &self->room->max_line_length, g_value_get_uint (value), PROP_MAX_LINE_LENGTH);
      break;
    case PROP_HISTORY_LENGTH:
      ad_chat_server_set_history_length (self, g_value_get_uint (value));
      break;
    case PROP_MAX_QUEUE_BYTES:
      ad_chat_server_set_max_queue_bytes (self, g_value_get_uint (value));
      break;
    case PROP_RATE_LIMIT:
      ad_chat_server_set_rate_limit (self, g_value_get_double (value));
      break;
    case PROP_RATE_BURST:
      ad_chat_server_set_rate_burst (self, g_value_get_uint (value));
      break;
    case PROP_IDLE_TIMEOUT:
      ad_chat_server_set_idle_timeout (self, g_value_get_uint (value));
      break;
    case PROP_LINE_TIMEOUT:
      ad_chat_server_set_line_timeout (self, g_value_get_uint (value));
      break;
    case PROP_ANNOUNCE:
      ad_chat_server_set_announce (self, g_value_get_boolean (value));
      break;
    case PROP_THREADS:
      ad_chat_server_set_threads (self, g_value_get_uint (value));
      break;
    case PROP_REGISTRY:
      self->registry = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RW_FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)
#define RO_FLAGS (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
ad_chat_server_class_init (AdChatServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ad_chat_server_dispose;
  object_class->finalize = ad_chat_server_finalize;
  object_class->get_property = ad_chat_server_get_property;
  object_class->set_property = ad_chat_server_set_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, RO_FLAGS);
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL, RO_FLAGS);
  /**
   * AdChatServer:port:
   *
   * The port the server listens on (the chosen one when started with 0).
   */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, RO_FLAGS);
  /**
   * AdChatServer:clients:
   *
   * The clients in the room, a #GListModel of #AdChatConnection.
   */
  properties[PROP_CLIENTS] =
    g_param_spec_object ("clients", NULL, NULL, G_TYPE_LIST_MODEL, RO_FLAGS);
  properties[PROP_N_CLIENTS] =
    g_param_spec_uint ("n-clients", NULL, NULL, 0, G_MAXUINT, 0, RO_FLAGS);
  properties[PROP_MAX_CLIENTS] =
    g_param_spec_uint ("max-clients", NULL, NULL, 1, G_MAXUINT,
                       AD_CHAT_SERVER_DEFAULT_MAX_CLIENTS, RW_FLAGS);
  /**
   * AdChatServer:max-line-length:
   *
   * The longest line a client may send, in bytes; it applies to clients
   * that connect after a change.
   */
  properties[PROP_MAX_LINE_LENGTH] =
    g_param_spec_uint ("max-line-length", NULL, NULL, 16, 65536,
                       AD_CHAT_DEFAULT_MAX_LINE_LENGTH, RW_FLAGS);
  properties[PROP_HISTORY_LENGTH] =
    g_param_spec_uint ("history-length", NULL, NULL, 0, 10000,
                       AD_CHAT_SERVER_DEFAULT_HISTORY_LENGTH, RW_FLAGS);
  /**
   * AdChatServer:max-queue-bytes:
   *
   * How far a client may fall behind, in bytes waiting for it, before it is
   * disconnected.
   */
  properties[PROP_MAX_QUEUE_BYTES] =
    g_param_spec_uint ("max-queue-bytes", NULL, NULL, 1024, G_MAXUINT,
                       AD_CHAT_SERVER_DEFAULT_MAX_QUEUE_BYTES, RW_FLAGS);
  /**
   * AdChatServer:rate-limit:
   *
   * Lines per second each client may send on average (0: no limit).
   */
  properties[PROP_RATE_LIMIT] =
    g_param_spec_double ("rate-limit", NULL, NULL, 0, 1e9,
                         AD_CHAT_SERVER_DEFAULT_RATE_LIMIT, RW_FLAGS);
  properties[PROP_RATE_BURST] =
    g_param_spec_uint ("rate-burst", NULL, NULL, 1, G_MAXUINT,
                       AD_CHAT_SERVER_DEFAULT_RATE_BURST, RW_FLAGS);
  /**
   * AdChatServer:idle-timeout:
   *
   * Seconds without a line after which a client is disconnected (0: never).
   */
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, G_MAXUINT,
                       AD_CHAT_SERVER_DEFAULT_IDLE_TIMEOUT, RW_FLAGS);
  /**
   * AdChatServer:line-timeout:
   *
   * Seconds a client may take to finish a line it has begun before it is
   * disconnected (0: no limit). It keeps connections that send half a
   * line and stop from holding their place for the idle timeout.
   */
  properties[PROP_LINE_TIMEOUT] =
    g_param_spec_uint ("line-timeout", NULL, NULL, 0, AD_CHAT_SERVER_MAX_LINE_TIMEOUT,
                       AD_CHAT_SERVER_DEFAULT_LINE_TIMEOUT, RW_FLAGS);
  /**
   * AdChatServer:announce:
   *
   * Whether joins, leaves and nick changes are announced to the room.
   */
  properties[PROP_ANNOUNCE] =
    g_param_spec_boolean ("announce", NULL, NULL, TRUE, RW_FLAGS);

  /**
   * AdChatServer:threads:
   *
   * Sender threads (0, the default: every client is served on the main
   * loop's thread). With N threads the main thread still accepts, reads and
   * runs the room, and N threads write the clients' lines, each a share of
   * the clients (ad-chat-shard.c). Takes effect at the next start.
   */
  properties[PROP_THREADS] =
    g_param_spec_uint ("threads", NULL, NULL, 0, AD_CHAT_SERVER_MAX_THREADS, 0, RW_FLAGS);

  /**
   * AdChatServer:registry:
   *
   * Where the server and its clients are registered as tasks; %NULL for
   * the default registry.
   */
  properties[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL, AD_TYPE_TASK_REGISTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AdChatServer::client-joined:
   * @connection: the newcomer
   */
  signals[CLIENT_JOINED] =
    g_signal_new ("client-joined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, AD_TYPE_CHAT_CONNECTION);
  /**
   * AdChatServer::client-left:
   * @connection: the client, already out of the room
   * @reason: why, for example "quit", "too slow", "idle"
   */
  signals[CLIENT_LEFT] =
    g_signal_new ("client-left", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, AD_TYPE_CHAT_CONNECTION, G_TYPE_STRING);
  /**
   * AdChatServer::message:
   * @connection: the sender
   * @text: the cleaned text
   * @action: %TRUE for a /me action
   *
   * Emitted for every message broadcast to the room.
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  AD_TYPE_CHAT_CONNECTION, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_BOOLEAN);
}

static void
ad_chat_server_init (AdChatServer *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->room = _ad_chat_server_room_new (self);
  self->room->max_clients = AD_CHAT_SERVER_DEFAULT_MAX_CLIENTS;
  self->room->max_line_length = AD_CHAT_DEFAULT_MAX_LINE_LENGTH;
  self->room->history_length = AD_CHAT_SERVER_DEFAULT_HISTORY_LENGTH;
  self->max_queue_bytes = AD_CHAT_SERVER_DEFAULT_MAX_QUEUE_BYTES;
  self->room->rate_limit = AD_CHAT_SERVER_DEFAULT_RATE_LIMIT;
  self->room->rate_burst = AD_CHAT_SERVER_DEFAULT_RATE_BURST;
  self->room->idle_timeout = AD_CHAT_SERVER_DEFAULT_IDLE_TIMEOUT;
  self->room->line_timeout = AD_CHAT_SERVER_DEFAULT_LINE_TIMEOUT;
  self->room->announce = TRUE;

  self->closing = g_ptr_array_new_with_free_func (g_object_unref);
  self->clients = g_list_store_new (AD_TYPE_CHAT_CONNECTION);
  self->flush_list = g_ptr_array_new_with_free_func (g_object_unref);
  self->flush_spare = g_ptr_array_new_with_free_func (g_object_unref);
  self->stats_dirty = g_ptr_array_new_with_free_func (g_object_unref);

  self->epoll_fd = epoll_create1 (EPOLL_CLOEXEC);
  if (self->epoll_fd < 0)
    g_debug ("epoll: %s; one source per client instead", g_strerror (errno));
  self->service_source = _ad_chat_server_service_source_new (self);
}

/**
 * ad_chat_server_new:
 *
 * Creates a stopped server with the default limits; it serves on the
 * thread-default main context of the thread that creates it.
 */
AdChatServer *
ad_chat_server_new (void)
{
  return g_object_new (AD_TYPE_CHAT_SERVER, NULL);
}

/* ---- accessors ---------------------------------------------------------------- */

gboolean
ad_chat_server_get_running (AdChatServer *self)
{
  g_return_val_if_fail (AD_IS_CHAT_SERVER (self), FALSE);
  return self->service != NULL;
}

const char *
ad_chat_server_get_address (AdChatServer *self)
{
  g_return_val_if_fail (AD_IS_CHAT_SERVER (self), NULL);
  return self->address;
}

guint16
ad_chat_server_get_port (AdChatServer *self)
{
  g_return_val_if_fail (AD_IS_CHAT_SERVER (self), 0);
  return self->port;
}

/**
 * ad_chat_server_get_clients:
 *
 * Returns: (transfer none): the clients in the room, a list of
 *   #AdChatConnection in the order they joined (until someone leaves)
 */
GListModel *
ad_chat_server_get_clients (AdChatServer *self)
{
  g_return_val_if_fail (AD_IS_CHAT_SERVER (self), NULL);
  return G_LIST_MODEL (self->clients);
}

guint
ad_chat_server_get_n_clients (AdChatServer *self)
{
  g_return_val_if_fail (AD_IS_CHAT_SERVER (self), 0);
  return self->room->members->len;
}

/**
 * ad_chat_server_get_n_messages:
 *
 * Returns: how many messages were broadcast since the server was created
 */
guint64
ad_chat_server_get_n_messages (AdChatServer *self)
{
  g_return_val_if_fail (AD_IS_CHAT_SERVER (self), 0);
  return self->room->n_messages;
}

static void
set_uint (AdChatServer *self,
          guint        *field,
          guint         value,
          guint         prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
ad_chat_server_set_max_clients (AdChatServer *self,
                                guint         max_clients)
{
  g_return_if_fail (AD_IS_CHAT_SERVER (self));
  g_return_if_fail (max_clients > 0);
  set_uint (self, &self->room->max_clients, max_clients, PROP_MAX_CLIENTS);
}

void
ad_chat_server_set_history_length (AdChatServer *self,
                                   guint         history_length)
{
  g_return_if_fail (AD_IS_CHAT_SERVER (self));
  g_return_if_fail (history_length <= 10000);

  if (self->room->history_length == history_length)
    return;
  ad_chat_room_set_history_length (self->room, history_length);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY_LENGTH]);
}

void
ad_chat_server_set_max_queue_bytes (AdChatServer *self,
                                    guint         max_queue_bytes)
{
  g_return_if_fail (AD_IS_CHAT_SERVER (self));
  g_return_if_fail (max_queue_bytes >= 1024);
  set_uint (self, &self->max_queue_bytes, max_queue_bytes, PROP_MAX_QUEUE_BYTES);
}

void
ad_chat_server_set_rate_limit (AdChatServer *self,
                               double        rate_limit)
{
  g_return_if_fail (AD_IS_CHAT_SERVER (self));
  g_return_if_fail (rate_limit >= 0);

  if (self->room->rate_limit == rate_limit)
    return;
  self->room->rate_limit = rate_limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT]);
}

void
ad_chat_server_set_rate_burst (AdChatServer *self,
                               guint         rate_burst)
{
  g_return_if_fail (AD_IS_CHAT_SERVER (self));
  g_return_if_fail (rate_burst > 0);
  set_uint (self, &self->room->rate_burst, rate_burst, PROP_RATE_BURST);
}

void
ad_chat_server_set_idle_timeout (AdChatServer *self,
                                 guint         seconds)
{
  g_return_if_fail (AD_IS_CHAT_SERVER (self));
  set_uint (self, &self->room->idle_timeout, seconds, PROP_IDLE_TIMEOUT);
}

void
ad_chat_server_set_line_timeout (AdChatServer *self,
                                 guint         seconds)
{
  g_return_if_fail (AD_IS_CHAT_SERVER (self));
  g_return_if_fail (seconds <= AD_CHAT_SERVER_MAX_LINE_TIMEOUT);
  set_uint (self, &self->room->line_timeout, seconds, PROP_LINE_TIMEOUT);
}

void
ad_chat_server_set_announce (AdChatServer *self,
                             gboolean      announce)
{
  g_return_if_fail (AD_IS_CHAT_SERVER (self));

  announce = !!announce;
  if (self->room->announce == announce)
    return;
  self->room->announce = announce;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANNOUNCE]);
}

void
ad_chat_server_set_threads (AdChatServer *self,
                            guint         n_threads)
{
  g_return_if_fail (AD_IS_CHAT_SERVER (self));
  g_return_if_fail (n_threads <= AD_CHAT_SERVER_MAX_THREADS);
  set_uint (self, &self->n_threads, n_threads, PROP_THREADS);
}

/**
 * ad_chat_server_get_threads:
 *
 * Returns: the number of sender threads (0: the main loop's thread writes)
 */
guint
ad_chat_server_get_threads (AdChatServer *self)
{
  g_return_val_if_fail (AD_IS_CHAT_SERVER (self), 0);
  return self->n_threads;
}
