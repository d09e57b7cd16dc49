/* ad-chat-server-clients.c: the chat server's clients on the main loop
 *
 * Part of AdChatServer (ad-chat-server.c is its GObject face: properties,
 * signals, starting and stopping): admitting newcomers, wiring them to the
 * room (its output: sends, broadcasts; its decisions: goodbyes), their
 * I/O (one epoll set for the input, the queues written once the input at
 * hand is read), the counters' tick and the once-a-second sweep. The design choices are listed in ad-chat-server.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Chat"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>

#include "ad-chat-room.h"
#include "ad-chat-server-private.h"

/* ---- helpers ------------------------------------------------------------------ */

GSource *
_ad_chat_server_attach_timeout (AdChatServer *self,
                                guint         msec,
                                const char   *name,
                                GSourceFunc   func)
{
  GSource *source = g_timeout_source_new (msec);

  g_source_set_static_name (source, name);
  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);

  return source;
}

void
_ad_chat_clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}


/* ---- the room's sink: its output, to the connections ------------------------- */

static void
room_send (AdChatMember *to,
           GBytes       *line,
           gpointer      user_data)
{
  _ad_chat_connection_enqueue (CONN (to), line);
}

static void run_pass (AdChatServer *self, gboolean may_read);

/* Adds @conn to @slow if its queue is over the bound even after a write. */
static void
check_slow (AdChatServer      *self,
            AdChatConnection  *conn,
            GPtrArray        **slow)
{
  if (conn->queued_bytes > self->max_queue_bytes &&
      _ad_chat_connection_is_slow (conn, self->max_queue_bytes))
    {
      if (*slow == NULL)
        *slow = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (*slow, g_object_ref (conn));
    }
}

/* Drops the clients in @slow that are still in the room (outside any loop
 * over it). */
static void
drop_slow_ones (AdChatServer *self,
                GPtrArray    *slow)
{
  for (guint i = 0; slow != NULL && i < slow->len; i++)
    {
      AdChatConnection *conn = g_ptr_array_index (slow, i);

      if (conn->state == AD_CHAT_CONNECTION_OPEN)
        _ad_chat_server_drop_slow (self, conn);
    }
}

/* Sends @line to every client in the room but @except. Read from a client
 * (the input at hand is being read): with the other lines of that batch,
 * in one pass once it is read. Otherwise (joins and leaves outside a batch,
 * the sweep, a kick): into every queue, for the next flush, so that a
 * burst of them (a flood of connections making room, say) leaves in one
 * send per client rather than one pass each. */
static void
room_broadcast (AdChatMember *except,
                GBytes       *line,
                gpointer      user_data)
{
  AdChatServer *self = user_data;
  GPtrArray *members = self->room->members;
  AdChatPending *pending;

  /* With sender threads: one command per shard, and they fan it out. */
  if (self->shards != NULL)
    {
      _ad_chat_shards_broadcast (self->shards, except != NULL ? CONN (except) : NULL, line);
      return;
    }

  if (!self->collecting && !self->sending)
    {
      g_autoptr(GPtrArray) slow = NULL;

      for (guint i = 0; i < members->len; i++)
        {
          AdChatMember *member = g_ptr_array_index (members, i);

          if (member != except)
            {
              _ad_chat_connection_queue (CONN (member), line);
              check_slow (self, CONN (member), &slow);
            }
        }
      drop_slow_ones (self, slow);
      return;
    }

  if (self->n_pending == AD_CHAT_PENDING_MAX)
    run_pass (self, FALSE);
  pending = &self->pending[self->n_pending++];
  pending->line = g_bytes_ref (line);
  pending->except = except;
  pending->until = self->visits + members->len;
}

static guint read_input (AdChatServer *self, guint max_events);

/* The pending broadcasts go out in one pass over the room, a member at a
 * time from the cursor on: each client gets every line it has not had (but
 * its own) in one send() or sendmsg(), straight from the loop when its
 * queue is empty. A line is done once the pass has visited every member
 * (lines come in order, so they finish in order: only the first ones are
 * looked at). With @may_read, the first lap reads the input every
 * AD_CHAT_PASS_STRIDE members: a line that arrives meanwhile rides along
 * to the members not yet visited, in the same sends, and the pass goes on
 * round the room for it. Re-entered (a direct send, a member leaving: see
 * _ad_chat_server_send_pending()), it finishes every line first. */
static void
run_pass (AdChatServer *self,
          gboolean      may_read)
{
  GPtrArray *members = self->room->members;
  g_autoptr(GPtrArray) slow = NULL;
  gboolean outer = !self->sending;
  guint visited = 0;

  self->sending = TRUE;
  while (self->n_pending > 0)
    {
      GBytes *lines[AD_CHAT_PENDING_MAX];
      guint n_lines = 0, done = 0;
      AdChatMember *member = NULL;

      if (self->cursor >= members->len)
        self->cursor = 0;
      if (members->len > 0)
        member = g_ptr_array_index (members, self->cursor);

      for (guint j = 0; member != NULL && j < self->n_pending; j++)
        if (self->pending[j].except != member)
          lines[n_lines++] = self->pending[j].line;
      if (n_lines > 0)
        {
          AdChatConnection *conn = CONN (member);

          _ad_chat_connection_send_lines (conn, lines, n_lines);
          check_slow (self, conn, &slow);
        }

      /* Lines finish in the order they came: the first ones. */
      if (member != NULL)
        {
          self->cursor++;
          self->visits++;
        }
      while (done < self->n_pending &&
             (member == NULL || (gint) (self->pending[done].until - self->visits) <= 0))
        g_bytes_unref (self->pending[done++].line);
      if (done > 0)
        {
          self->n_pending -= done;
          memmove (self->pending, self->pending + done, self->n_pending * sizeof self->pending[0]);
        }

      if (may_read && outer && self->n_pending > 0 && ++visited < members->len &&
          visited % AD_CHAT_PASS_STRIDE == 0 && self->epoll_fd >= 0 && !self->flushing)
        read_input (self, AD_CHAT_FLUSH_STRIDE);
    }
  if (outer)
    self->sending = FALSE;

  drop_slow_ones (self, slow);
}

/**
 * _ad_chat_server_send_pending:
 *
 * Sends every pending broadcast to every member now: before anything else
 * is written to a client, and before the room changes, so the order holds.
 */
void
_ad_chat_server_send_pending (AdChatServer *self)
{
  if (self->n_pending > 0)
    run_pass (self, FALSE);
}

static void
room_renamed (AdChatMember *member,
              gpointer      user_data)
{
  _ad_chat_connection_nick_changed (CONN (member));
}

static void
room_said (AdChatMember *member,
           const char   *text,
           gboolean      action,
           gpointer      user_data)
{
  _ad_chat_server_said (user_data, CONN (member), text, action);
}

static gboolean
room_in_line (AdChatMember *member,
              gpointer      user_data)
{
  return _ad_chat_connection_in_line (CONN (member));
}

static const AdChatRoomSink room_sink = {
  room_send, room_broadcast, room_renamed, room_said, room_in_line,
};

AdChatRoom *
_ad_chat_server_room_new (AdChatServer *self)
{
  return ad_chat_room_new (&room_sink, self);
}

/* ---- joining and leaving ------------------------------------------------------ */

static void
join_room (AdChatServer     *self,
           AdChatConnection *conn)
{
  g_object_ref (conn);  /* the room's reference, returned by _ad_chat_server_leave_room() */
  _ad_chat_server_send_pending (self);  /* lines read before the join are not for it */
  ad_chat_room_join (self->room, &conn->member, g_get_monotonic_time ());
  if (conn->shard != NULL)
    _ad_chat_shard_post (conn->shard, AD_CHAT_SHARD_ADD, conn, NULL);
  if (self->task != NULL)
    _ad_chat_connection_register (conn, self->registry, self->task);

  g_debug ("%s joined from %s", conn->member.nick, conn->address);
  _ad_chat_server_joined (self, conn);
  ad_chat_room_announce_join (self->room, &conn->member);
}

/* Takes @conn out of the room (its nick, the list, the broadcasts) and
 * tells the others. Returns the room's reference. */
AdChatConnection *
_ad_chat_server_leave_room (AdChatServer     *self,
                            AdChatConnection *conn,
                            const char       *reason)
{
  _ad_chat_server_send_pending (self);  /* lines read before it left are */
  if (conn->state == AD_CHAT_CONNECTION_OPEN)
    conn->state = AD_CHAT_CONNECTION_CLOSING;
  ad_chat_room_leave (self->room, &conn->member);
  if (conn->shard != NULL)
    _ad_chat_shard_post (conn->shard, AD_CHAT_SHARD_LEAVE, conn, NULL);

  g_debug ("%s left (%s)", conn->member.nick, reason);
  _ad_chat_server_left (self, conn, reason);
  ad_chat_room_announce_leave (self->room, &conn->member, reason);

  return conn;
}

/* A polite exit: @last_words are written, then FIN, then the socket closes
 * when the peer closes or at the deadline. */
void
_ad_chat_server_say_goodbye (AdChatServer     *self,
                             AdChatConnection *conn,
                             const char       *reason,
                             GBytes           *last_words)
{
  AdChatConnection *ref;

  if (conn->state == AD_CHAT_CONNECTION_OPEN)
    ref = _ad_chat_server_leave_room (self, conn, reason);
  else
    ref = g_object_ref (conn);  /* a refused newcomer */

  conn->state = AD_CHAT_CONNECTION_CLOSING;
  conn->deadline = g_get_monotonic_time () + AD_CHAT_LINGER_USEC;
  g_ptr_array_add (self->closing, ref);
  if (last_words != NULL)
    _ad_chat_connection_enqueue (conn, last_words);
  if (conn->shard != NULL)
    _ad_chat_shard_post (conn->shard, AD_CHAT_SHARD_FINISH, conn, NULL);
  else if (conn->ring_len == 0)
    _ad_chat_connection_half_close (conn);
}

static void
say_goodbye_for (AdChatServer     *self,
                 AdChatConnection *conn,
                 const char       *reason,
                 AdChatGoodbye     why)
{
  g_autoptr(GBytes) bye = ad_chat_room_goodbye_line (self->room, why);

  _ad_chat_server_say_goodbye (self, conn, reason, bye);
}

void
_ad_chat_server_drop_slow (AdChatServer     *self,
                           AdChatConnection *conn)
{
  AdChatConnection *ref = _ad_chat_server_leave_room (self, conn, "too slow");
  g_autoptr(GBytes) notice = ad_chat_room_goodbye_line (self->room, AD_CHAT_GOODBYE_TOO_SLOW);

  conn->failure = "fell too far behind";
  _ad_chat_connection_close (conn, notice);
  g_object_unref (ref);
}

void
_ad_chat_server_connection_lost (AdChatServer     *self,
                                 AdChatConnection *conn,
                                 const char       *reason)
{
  if (conn->state == AD_CHAT_CONNECTION_OPEN)
    {
      AdChatConnection *ref =
        _ad_chat_server_leave_room (self, conn, reason ? reason : "disconnected");

      if (reason != NULL)
        conn->failure = "connection lost";
      _ad_chat_connection_close (conn, NULL);
      g_object_unref (ref);
    }
  else if (conn->state != AD_CHAT_CONNECTION_CLOSED)
    {
      _ad_chat_connection_close (conn, NULL);
      g_ptr_array_remove_fast (self->closing, conn);
      _ad_chat_server_maybe_finish_stop (self);
    }
}

/* Hands one line from @conn to the room; returns FALSE once @conn has left. */
gboolean
_ad_chat_server_handle_line (AdChatServer     *self,
                             AdChatConnection *conn,
                             const char       *data,
                             gsize             length,
                             gboolean          too_long,
                             gint64            now)
{
  if (conn->state != AD_CHAT_CONNECTION_OPEN)
    return FALSE;

  if (ad_chat_room_handle_line (self->room, &conn->member, data, length, too_long, now) ==
      AD_CHAT_VERDICT_QUIT)
    say_goodbye_for (self, conn, "quit", AD_CHAT_GOODBYE_QUIT);

  /* Replies count against the bound too: a client that sends commands
   * but never reads the answers is as slow as one that never reads. (A
   * shard checks its own queues.) */
  if (conn->state == AD_CHAT_CONNECTION_OPEN && conn->shard == NULL &&
      _ad_chat_connection_is_slow (conn, self->max_queue_bytes))
    _ad_chat_server_drop_slow (self, conn);

  return conn->state == AD_CHAT_CONNECTION_OPEN;
}

/* ---- the main-loop side -------------------------------------------------------- */

/* One source does the clients' I/O (issue 15: the time is in the kernel's
 * loopback TCP, per send, so the rest must stay out of the way):
 *
 *  - Input: every client's socket is in one epoll set, and the source
 *    polls only that descriptor. A GSource per client made every main-loop
 *    iteration poll() them all: 0.75 ms per iteration at 1,000 clients,
 *    9 % of the server's CPU at 100,000 deliveries/s, before a line was read.
 *  - Output: the broadcasts of a batch of input wait until it is read,
 *    then go out in one pass over the room (run_pass()), each client
 *    getting them all in one send straight from the loop when its queue is
 *    empty (no per-client allocation or reference); a queue that waits for
 *    its socket takes them instead. A pass over 1,000 clients is 1,000
 *    sends (~5-8 ms on the benchmark's machine), so it looks at the input
 *    every AD_CHAT_PASS_STRIDE clients: a line that arrives meanwhile
 *    rides along to the clients not yet visited, and the pass goes round
 *    to the others (issue 15: a line that came just after another no
 *    longer waits for the whole first fan-out; p99 at 100 clients 1.55 ->
 *    0.99 ms, medians of 8 interleaved runs on a loaded machine).
 *  - A line for one client (a reply, a goodbye) is written at once the
 *    same way, after the pending broadcasts. Broadcasts made outside a
 *    batch of input (joins and leaves from the accept handler, the sweep,
 *    a kick) go into every queue, so a burst of them leaves in one send per
 *    client. The source's flush writes the queues (and those left over by
 *    full sockets or failed sends).
 *
 * Without epoll (epoll_create1() failed), each client has its own GSource
 * and its reader flushes.
 */

/* Reads the clients whose sockets are ready, up to @max_events of them. */
static guint
read_input (AdChatServer *self,
            guint         max_events)
{
  struct epoll_event events[AD_CHAT_INPUT_BATCH];
  gboolean was_collecting;
  int n;

  do
    n = epoll_wait (self->epoll_fd, events, MIN (max_events, G_N_ELEMENTS (events)), 0);
  while (n < 0 && errno == EINTR);

  /* A client may close another (making room, kicking): hold them all. */
  for (int i = 0; i < n; i++)
    g_object_ref (events[i].data.ptr);
  was_collecting = self->collecting;
  self->collecting = TRUE;
  for (int i = 0; i < n; i++)
    {
      AdChatConnection *conn = events[i].data.ptr;

      if (conn->polled)
        _ad_chat_connection_read (conn);
    }
  self->collecting = was_collecting;
  /* The lines of this batch, in one pass (a pass that read them goes on
   * with them). */
  if (!was_collecting && !self->sending && self->n_pending > 0)
    run_pass (self, TRUE);
  for (int i = 0; i < n; i++)
    g_object_unref (events[i].data.ptr);

  return MAX (n, 0);
}

/* Writes every queue that got lines, looking at the input between them. */
static void
flush_all (AdChatServer *self)
{
  /* Only the first pass reads: under a flood of input the flush still
   * ends, and the main loop gets its turn. */
  gboolean look = self->epoll_fd >= 0;

  if (self->flushing)
    return;  /* reading in the middle of a flush: that flush writes it */
  self->flushing = TRUE;

  while (self->flush_list->len > 0)
    {
      GPtrArray *batch = self->flush_list;

      self->flush_list = self->flush_spare;
      self->flush_spare = batch;

      for (guint i = 0; i < batch->len; i++)
        {
          AdChatConnection *conn = g_ptr_array_index (batch, i);

          if (!_ad_chat_connection_flush (conn))
            _ad_chat_server_connection_lost (self, conn, "write failed");
          if (look && i % AD_CHAT_FLUSH_STRIDE == AD_CHAT_FLUSH_STRIDE - 1 && i + 1 < batch->len)
            read_input (self, AD_CHAT_FLUSH_STRIDE);
        }
      g_ptr_array_set_size (batch, 0);
      look = FALSE;
    }

  self->flushing = FALSE;
}

static gboolean
service_dispatch (GSource     *source,
                  GSourceFunc  callback,
                  gpointer     user_data)
{
  AdChatServer *self = *(AdChatServer **) (void *) (source + 1);

  g_object_ref (self);  /* a client's line may drop the last other reference */
  g_source_set_ready_time (source, -1);
  self->dispatching = TRUE;
  if (self->epoll_tag != NULL && (g_source_query_unix_fd (source, self->epoll_tag) & G_IO_IN))
    read_input (self, AD_CHAT_INPUT_BATCH);
  flush_all (self);
  self->dispatching = FALSE;
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs service_funcs = { NULL, NULL, service_dispatch, NULL, NULL, NULL };

/* The source that reads the clients and writes their queues. */
GSource *
_ad_chat_server_service_source_new (AdChatServer *self)
{
  GSource *source = g_source_new (&service_funcs, sizeof (GSource) + sizeof (AdChatServer *));

  /* Unowned: the server destroys the source first. */
  *(AdChatServer **) (void *) (source + 1) = self;
  g_source_set_static_name (source, "[async-demo] chat I/O");
  if (self->epoll_fd >= 0)
    self->epoll_tag = g_source_add_unix_fd (source, self->epoll_fd, G_IO_IN);
  g_source_attach (source, self->context);

  return source;
}

void
_ad_chat_server_disable_epoll (AdChatServer *self)
{
  g_return_if_fail (ad_chat_server_get_n_clients (self) == 0);

  if (self->epoll_fd < 0)
    return;

  g_source_remove_unix_fd (self->service_source, self->epoll_tag);
  self->epoll_tag = NULL;
  close (self->epoll_fd);
  self->epoll_fd = -1;
}

/* After a client's own source read it (no epoll): write now. */
void
_ad_chat_server_maybe_flush (AdChatServer *self)
{
  if (!self->dispatching)
    flush_all (self);
}

void
_ad_chat_server_want_flush (AdChatServer     *self,
                            AdChatConnection *conn)
{
  /* Arm the source once per batch (setting the ready time takes the
   * context's lock, and a broadcast lands here once per client), and not
   * at all while it runs: it flushes before it returns. */
  if (self->flush_list->len == 0 && !self->dispatching && !self->flushing)
    g_source_set_ready_time (self->service_source, 0);
  g_ptr_array_add (self->flush_list, g_object_ref (conn));
}

static gboolean
stats_cb (gpointer user_data)
{
  AdChatServer *self = user_data;
  g_autoptr(GPtrArray) dirty = g_steal_pointer (&self->stats_dirty);

  g_clear_pointer (&self->stats_source, g_source_unref);
  self->stats_dirty = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < dirty->len; i++)
    {
      AdChatConnection *conn = g_ptr_array_index (dirty, i);

      conn->stats_dirty = FALSE;
      _ad_chat_connection_notify_stats (conn);
    }

  return G_SOURCE_REMOVE;
}

void
_ad_chat_server_stats_changed (AdChatServer     *self,
                               AdChatConnection *conn)
{
  if (conn->stats_dirty)
    return;

  conn->stats_dirty = TRUE;
  g_ptr_array_add (self->stats_dirty, g_object_ref (conn));
  if (self->stats_source == NULL)
    self->stats_source =
      _ad_chat_server_attach_timeout (self, 250, "[async-demo] chat stats", stats_cb);
}

/* Once a second: idle clients out, lingering sockets closed. */
gboolean
_ad_chat_server_sweep_cb (gpointer user_data)
{
  AdChatServer *self = user_data;
  gint64 now = g_get_monotonic_time ();

  g_autoptr(GArray) out = ad_chat_room_sweep (self->room, now);

  for (guint i = 0; i < out->len; i++)
    {
      AdChatDeparture *departure = &g_array_index (out, AdChatDeparture, i);
      AdChatConnection *conn = CONN (departure->member);

      if (conn->state == AD_CHAT_CONNECTION_OPEN)
        say_goodbye_for (self, conn,
                         departure->why == AD_CHAT_GOODBYE_IDLE ? "idle" : "line timeout",
                         departure->why);
    }

  for (guint i = self->closing->len; i > 0; i--)
    {
      AdChatConnection *conn = g_ptr_array_index (self->closing, i - 1);

      if (conn->deadline < now)
        {
          _ad_chat_connection_close (conn, NULL);
          g_ptr_array_remove_index_fast (self->closing, i - 1);
        }
    }

  _ad_chat_server_maybe_finish_stop (self);

  return G_SOURCE_CONTINUE;
}

/* The server is full: closes the member the room picks (one that never
 * finished a line and holds a place with half of one), if any. */
static void
make_room (AdChatServer *self)
{
  AdChatMember *member = ad_chat_room_pick_to_make_room (self->room);

  if (member == NULL)
    return;

  g_debug ("%s makes room: never finished a line", member->nick);
  say_goodbye_for (self, CONN (member), "made room", AD_CHAT_GOODBYE_MADE_ROOM);
}

static void
admit (AdChatServer      *self,
       GSocketConnection *stream)
{
  g_autoptr(AdChatConnection) conn = NULL;

  conn = _ad_chat_connection_new (self, stream, ++self->next_id, self->room->max_line_length);

  /* Full: read what the members sent first, so that the room knows who
   * holds a place with half a line (a burst of connections would otherwise
   * outrun the reading of their first bytes, and newcomers be refused). */
  if (ad_chat_room_is_full (self->room) && self->epoll_fd >= 0)
    read_input (self, AD_CHAT_INPUT_BATCH);
  if (ad_chat_room_is_full (self->room))
    make_room (self);

  if (ad_chat_room_is_full (self->room))
    {
      g_debug ("refused %s: full", conn->address);
      conn->state = AD_CHAT_CONNECTION_CLOSING;  /* never in the room */
      say_goodbye_for (self, conn, "full", AD_CHAT_GOODBYE_FULL);
      return;
    }

  join_room (self, conn);
}

gboolean
_ad_chat_server_incoming_cb (GSocketService    *service,
                             GSocketConnection *stream,
                             GObject           *source_object,
                             gpointer           user_data)
{
  AdChatServer *self = user_data;

  admit (self, stream);

  /* GSocketService accepts one connection per main-loop iteration, and an
   * iteration costs time in proportion to the number of sources (every
   * client has one). Take the rest of the accept queue now: a burst of
   * 10,000 connections then costs a few hundred iterations, not 10,000. */
  for (guint i = 0; i < 256 && self->listen_socket != NULL; i++)
    {
      g_autoptr(GSocket) socket = g_socket_accept (self->listen_socket, NULL, NULL);
      g_autoptr(GSocketConnection) more = NULL;

      if (socket == NULL)
        break;  /* the queue is empty (or the error shows again next time) */
      more = g_socket_connection_factory_create_connection (socket);
      admit (self, more);
    }

  return TRUE;
}

