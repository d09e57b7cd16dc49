/* ad-chat-shard.c: sender threads for AdChatServer (--threads N)
 *
 * By default one thread serves every client (ad-chat-server.c). With N
 * sender threads, the main thread still accepts, reads, frames and runs the
 * room; what it hands over is the writing. Each connection belongs to one
 * shard (its id modulo N); a shard is a thread with its own GMainContext
 * that owns the output of its connections: their queues, their writes,
 * their write sources. (Letting the main thread keep a share too measured
 * no better on 2 cores: it competes with the shards and the clients.)
 *
 * The main thread talks to a shard through one ordered inbox of commands
 * (join, leave, send to one, broadcast, finish, close), so the lines a
 * client gets keep the order the room produced them in. A broadcast is one
 * command per shard carrying one reference to the formatted GBytes: the
 * shards then fan it out to their clients in parallel, which is the point
 * (a broadcast to N clients is N send() calls, each with the kernel's whole
 * loopback TCP path inside; measured in issue 15). A shard drains its whole
 * inbox, queues the lines, then writes each client that got any with one
 * sendmsg(): a quiet room gets every line at once, a busy one is batched by
 * how far the shard fell behind.
 *
 * The policy stays on the main thread: a shard that sees a client's queue
 * exceed max-queue-bytes (or its socket fail) stops writing to it and tells
 * the main thread, which drops it as the single-threaded server does.
 *
 * Lifetimes: the main thread holds one reference to each connection for
 * its shard (taken when the connection is made), and closes the socket and
 * drops it when the shard reports that it is done with the connection. So a shard uses connections without
 * touching their reference counts, and a connection is always finalized
 * on the main thread. Shard and main thread each have an inbox (a GArray
 * under the shard's lock) and a source that drains it on their context.
 * Lines go back the same way: a shard hands the references it is done with
 * to the main thread, which drops them the next time it posts (so a line
 * is freed by the thread that made it, after the shard's last read: with
 * GLib's atomic reference counts alone ThreadSanitizer could not see that
 * order, and nor could a reader of this file).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Chat"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "ad-chat-server-private.h"
#include "ad-tsan.h"

typedef struct
{
  AdChatShardOp     op;
  AdChatConnection *conn;  /* unowned (see Lifetimes); NULL for a broadcast to all, or quit */
  GBytes           *line;  /* owned, or NULL */
} Command;

/* What a shard tells the main thread. */
typedef enum
{
  REPORT_SLOW,    /* @conn fell too far behind: drop it (a reference for the main thread) */
  REPORT_LOST,    /* writing to @conn failed (a reference for the main thread) */
  REPORT_CLOSED,  /* the shard is done with @conn: close its socket, drop the shard's reference */
} ReportKind;

typedef struct
{
  ReportKind        kind;
  AdChatConnection *conn;
} Report;

struct _AdChatShard
{
  GMainContext *server_context;
  gsize         max_queue_bytes;
  guint         index;

  GThread      *thread;
  GMainContext *context;
  GSource      *inbox_source;

  GMutex        lock;
  GArray       *inbox;     /* Command, under lock */
  gboolean      woken;     /* under lock: the inbox source is armed */
  GArray       *reports;   /* Report, under lock: for the main thread */
  gboolean      reported;  /* under lock: the report source is armed */
  GSource      *report_source;  /* on the server's context */
  GPtrArray    *returned;  /* GBytes (owned), under lock: for the main thread to drop */

  /* The shard's thread only: */
  GArray       *work;      /* Command: the inbox being processed */
  GPtrArray    *members;   /* AdChatConnection getting broadcasts */
  GPtrArray    *dirty;     /* AdChatConnection with lines to write */
  GPtrArray    *released;  /* GBytes (owned, no free function) this dispatch is done with */

  /* The main thread only: */
  GPtrArray    *spare;     /* empty, to swap with returned */
  gboolean      running;
};

/* ---- telling the main thread -------------------------------------------------- */

static void
post_report (AdChatShard      *self,
             ReportKind        kind,
             AdChatConnection *conn)
{
  Report report = { kind, kind == REPORT_CLOSED ? conn : g_object_ref (conn) };
  gboolean wake;

  ad_mutex_lock (&self->lock);
  g_array_append_val (self->reports, report);
  wake = !self->reported;
  self->reported = TRUE;
  ad_mutex_unlock (&self->lock);

  if (wake)
    g_source_set_ready_time (self->report_source, 0);
}

static GArray *
take_reports (AdChatShard *self)
{
  GArray *reports;

  ad_mutex_lock (&self->lock);
  reports = self->reports;
  self->reports = g_array_new (FALSE, FALSE, sizeof (Report));
  self->reported = FALSE;
  ad_mutex_unlock (&self->lock);

  return reports;
}

/* Main thread. Applying a report may stop the server, and stopping frees
 * the shards: only @reports (ours) is used here. */
static void
apply_reports (GArray *reports)
{
  for (guint i = 0; i < reports->len; i++)
    {
      Report *report = &g_array_index (reports, Report, i);
      AdChatConnection *conn = report->conn;

      /* A closed connection's server may be gone; a closing one is not
       * dropped for being slow. */
      if (report->kind == REPORT_LOST && conn->state != AD_CHAT_CONNECTION_CLOSED)
        _ad_chat_server_connection_lost (conn->server, conn, "write failed");
      else if (report->kind == REPORT_SLOW && conn->state == AD_CHAT_CONNECTION_OPEN)
        _ad_chat_server_drop_slow (conn->server, conn);
      else if (report->kind == REPORT_CLOSED)
        _ad_chat_connection_close_stream (conn);
      g_object_unref (conn);
    }
  g_array_unref (reports);
}

static gboolean
report_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  AdChatShard *self = *(AdChatShard **) (source + 1);

  g_source_set_ready_time (source, -1);
  apply_reports (take_reports (self));

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs report_funcs = { NULL, NULL, report_dispatch, NULL, NULL, NULL };

/* Stops writing to @conn and lets the main thread apply the policy. */
static void
give_up (AdChatShard      *self,
         AdChatConnection *conn,
         gboolean          lost)
{
  if (conn->out_dead)
    return;
  conn->out_dead = TRUE;
  post_report (self, lost ? REPORT_LOST : REPORT_SLOW, conn);
}

/* ---- lines going back -------------------------------------------------------- */

/* A line @shard's thread is done with (it owned a reference). */
void
_ad_chat_shard_release (AdChatShard *shard,
                        GBytes      *line)
{
  g_ptr_array_add (shard->released, line);
}

static void
return_lines (AdChatShard *self)
{
  if (self->released->len == 0)
    return;

  /* Copied, not swapped: no GLib allocation moves between the threads
   * (GLib 2.74's slice allocator recycles memory per thread, through locks
   * ThreadSanitizer cannot see). */
  ad_mutex_lock (&self->lock);
  for (guint i = 0; i < self->released->len; i++)
    g_ptr_array_add (self->returned, g_ptr_array_index (self->released, i));
  ad_mutex_unlock (&self->lock);
  g_ptr_array_set_size (self->released, 0);
}

/* ---- writing ------------------------------------------------------------------ */

static void write_conn (AdChatShard *self, AdChatConnection *conn);

typedef struct
{
  AdChatShard      *shard;
  AdChatConnection *conn;
} Writable;

static gboolean
writable_cb (int           fd,
             GIOCondition  condition,
             gpointer      user_data)
{
  Writable *writable = user_data;
  AdChatConnection *conn = writable->conn;

  g_clear_pointer (&conn->write_source, g_source_unref);
  write_conn (writable->shard, conn);
  return_lines (writable->shard);

  return G_SOURCE_REMOVE;
}

static void
wait_writable (AdChatShard      *self,
               AdChatConnection *conn)
{
  Writable *writable;

  if (conn->write_source != NULL)
    return;

  writable = g_new (Writable, 1);
  writable->shard = self;
  writable->conn = conn;
  conn->write_source = g_unix_fd_source_new (g_socket_get_fd (conn->socket), G_IO_OUT);
  g_source_set_static_name (conn->write_source, "[async-demo] chat shard write");
  g_source_set_callback (conn->write_source, G_SOURCE_FUNC (writable_cb), writable,
                         g_free);
  g_source_attach (conn->write_source, self->context);
  /* The source owns writable: g_free is its destroy notify. */
  // cppcheck-suppress memleak
}

static void
half_close (AdChatConnection *conn)
{
  conn->out_finishing = FALSE;
  if (shutdown (g_socket_get_fd (conn->socket), SHUT_WR) < 0)
    g_debug ("connection %u: %s", conn->member.id, g_strerror (errno));
}

static void
write_conn (AdChatShard      *self,
            AdChatConnection *conn)
{
  if (conn->out_dead || conn->out_closed)
    return;

  if (conn->write_source == NULL)
    {
      int written = _ad_chat_connection_write_ring (conn);

      if (written < 0)
        {
          give_up (self, conn, TRUE);
          return;
        }
      if (written > 0)
        {
          if (conn->out_finishing)
            half_close (conn);
          return;
        }
      wait_writable (self, conn);
    }

  /* The socket is full: the same bound as on the main thread. */
  if (conn->queued_bytes > self->max_queue_bytes)
    give_up (self, conn, FALSE);
}

static void
queue_line (AdChatShard      *self,
            AdChatConnection *conn,
            GBytes           *line)
{
  if (conn->out_dead || conn->out_closed)
    return;

  _ad_chat_connection_push (conn, line);
  if (!conn->out_dirty)
    {
      conn->out_dirty = TRUE;
      g_ptr_array_add (self->dirty, conn);
    }
}

static void
remove_member (AdChatShard      *self,
               AdChatConnection *conn)
{
  guint index = (guint) conn->shard_index;
  AdChatConnection *last;

  if (conn->shard_index < 0)
    return;

  last = g_ptr_array_index (self->members, self->members->len - 1);
  last->shard_index = (gint) index;
  conn->shard_index = -1;
  g_ptr_array_remove_index_fast (self->members, index);
}

static void
close_conn (AdChatShard      *self,
            AdChatConnection *conn,
            GBytes           *last_words)
{
  if (conn->out_closed)
    return;

  if (last_words != NULL)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (last_words, &size);
      struct iovec vectors[2] = {
        { (void *) "\n", conn->head_offset > 0 ? 1 : 0 },  /* end a half-written line */
        { (void *) data, size },
      };
      struct msghdr message = { .msg_iov = vectors, .msg_iovlen = 2 };

      /* Best effort: a slow client's socket is probably full. */
      if (sendmsg (g_socket_get_fd (conn->socket), &message, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
        g_debug ("connection %u: last words: %s", conn->member.id, g_strerror (errno));
    }

  conn->out_dead = TRUE;
  remove_member (self, conn);
  if (conn->write_source != NULL)
    {
      g_source_destroy (conn->write_source);
      g_clear_pointer (&conn->write_source, g_source_unref);
    }
  _ad_chat_connection_drop_queue (conn);
  /* The main thread closes the socket: GIO objects stay on one thread. */
  conn->out_closed = TRUE;
  post_report (self, REPORT_CLOSED, conn);
}

static void
run_command (AdChatShard *self,
             Command     *command)
{
  AdChatConnection *conn = command->conn;

  switch (command->op)
    {
    case AD_CHAT_SHARD_ADD:
      if (conn->shard_index < 0 && !conn->out_dead)
        {
          conn->shard_index = (gint) self->members->len;
          g_ptr_array_add (self->members, conn);
        }
      break;
    case AD_CHAT_SHARD_LEAVE:
      remove_member (self, conn);
      break;
    case AD_CHAT_SHARD_SEND:
      queue_line (self, conn, command->line);
      break;
    case AD_CHAT_SHARD_BROADCAST:
      for (guint i = 0; i < self->members->len; i++)
        {
          AdChatConnection *member = g_ptr_array_index (self->members, i);

          if (member != conn)
            queue_line (self, member, command->line);
        }
      break;
    case AD_CHAT_SHARD_FINISH:
      conn->out_finishing = TRUE;
      if (!conn->out_dirty && conn->ring_len == 0 && !conn->out_dead && !conn->out_closed)
        half_close (conn);
      break;
    case AD_CHAT_SHARD_CLOSE:
      close_conn (self, conn, command->line);
      break;
    case AD_CHAT_SHARD_QUIT:
      self->running = FALSE;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Runs everything the main thread posted, then writes each client that
 * got lines once. */
static gboolean
inbox_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  AdChatShard *self = *(AdChatShard **) (source + 1);
  GArray *work;

  g_source_set_ready_time (source, -1);
  ad_mutex_lock (&self->lock);
  work = self->inbox;
  self->inbox = self->work;
  self->work = work;
  self->woken = FALSE;
  ad_mutex_unlock (&self->lock);

  for (guint i = 0; i < work->len; i++)
    {
      Command *command = &g_array_index (work, Command, i);

      run_command (self, command);
      if (command->line != NULL)
        g_ptr_array_add (self->released, g_steal_pointer (&command->line));
    }
  g_array_set_size (work, 0);

  for (guint i = 0; i < self->dirty->len; i++)
    {
      AdChatConnection *conn = g_ptr_array_index (self->dirty, i);

      conn->out_dirty = FALSE;
      write_conn (self, conn);
    }
  g_ptr_array_set_size (self->dirty, 0);
  return_lines (self);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs inbox_funcs = { NULL, NULL, inbox_dispatch, NULL, NULL, NULL };

static gpointer
shard_thread (gpointer data)
{
  AdChatShard *self = data;

  g_main_context_push_thread_default (self->context);
  while (self->running)
    g_main_context_iteration (self->context, TRUE);
  g_main_context_pop_thread_default (self->context);
  AD_TSAN_RELEASE (self);

  return NULL;
}

/* ---- the main thread's side -------------------------------------------------- */

/**
 * _ad_chat_shard_post:
 * @conn: (nullable): the client (alive until the shard reports it closed);
 *   for a broadcast, the one that does not get it
 * @line: (nullable): the line, with its "\n" (a reference is taken)
 *
 * Appends a command to @shard's inbox and wakes its thread when it was
 * not woken yet. Main thread.
 */
void
_ad_chat_shard_post (AdChatShard      *shard,
                     AdChatShardOp     op,
                     AdChatConnection *conn,
                     GBytes           *line)
{
  Command command = { op, conn, line != NULL ? g_bytes_ref (line) : NULL };
  GPtrArray *returned = NULL;
  gboolean wake;

  ad_mutex_lock (&shard->lock);
  g_array_append_val (shard->inbox, command);
  wake = !shard->woken;
  shard->woken = TRUE;
  if (shard->returned->len > 0)
    {
      returned = shard->returned;
      shard->returned = shard->spare;
    }
  ad_mutex_unlock (&shard->lock);

  /* The lines the shard is done with, dropped here (see Lifetimes). */
  if (returned != NULL)
    {
      g_ptr_array_set_size (returned, 0);
      shard->spare = returned;
    }

  /* Thread-safe: takes the shard's context lock and wakes its poll. */
  if (wake)
    g_source_set_ready_time (shard->inbox_source, 0);
}

void
_ad_chat_shards_broadcast (AdChatShard      **shards,
                           AdChatConnection  *except,
                           GBytes            *line)
{
  for (guint i = 0; shards[i] != NULL; i++)
    _ad_chat_shard_post (shards[i], AD_CHAT_SHARD_BROADCAST,
                         except != NULL && except->shard == shards[i] ? except : NULL, line);
}

static AdChatShard *
shard_new (AdChatServer *server,
           guint         index,
           gsize         max_queue_bytes)
{
  AdChatShard *self = g_new0 (AdChatShard, 1);
  g_autofree char *name = g_strdup_printf ("chat-send-%u", index);

  self->server_context = g_main_context_ref (_ad_chat_server_get_context (server));
  self->max_queue_bytes = max_queue_bytes;
  self->index = index;
  self->context = g_main_context_new ();
  g_mutex_init (&self->lock);
  self->inbox = g_array_new (FALSE, FALSE, sizeof (Command));
  self->work = g_array_new (FALSE, FALSE, sizeof (Command));
  self->reports = g_array_new (FALSE, FALSE, sizeof (Report));
  self->members = g_ptr_array_new ();
  self->dirty = g_ptr_array_new ();
  self->released = g_ptr_array_new ();
  self->returned = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->spare = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->running = TRUE;

  self->report_source = g_source_new (&report_funcs, sizeof (GSource) + sizeof (AdChatShard *));
  *(AdChatShard **) (self->report_source + 1) = self;
  g_source_set_static_name (self->report_source, "[async-demo] chat shard reports");
  g_source_attach (self->report_source, self->server_context);

  self->inbox_source = g_source_new (&inbox_funcs, sizeof (GSource) + sizeof (AdChatShard *));
  *(AdChatShard **) (self->inbox_source + 1) = self;
  g_source_set_static_name (self->inbox_source, "[async-demo] chat shard inbox");
  g_source_attach (self->inbox_source, self->context);

  self->thread = g_thread_new (name, shard_thread, self);

  return self;
}

/* Joins the thread once it has run every command posted before. */
static void
shard_free (AdChatShard *self)
{
  _ad_chat_shard_post (self, AD_CHAT_SHARD_QUIT, NULL, NULL);
  g_thread_join (self->thread);
  AD_TSAN_ACQUIRE (self);

  /* The last reports: the sockets it closed. */
  g_source_destroy (self->report_source);
  g_source_unref (self->report_source);
  apply_reports (g_steal_pointer (&self->reports));

  /* Every connection was closed before the server stops its shards. */
  g_warn_if_fail (self->members->len == 0);
  g_ptr_array_unref (self->members);
  g_ptr_array_unref (self->dirty);
  g_ptr_array_set_free_func (self->released, (GDestroyNotify) g_bytes_unref);
  g_ptr_array_unref (self->released);
  g_ptr_array_unref (self->returned);
  g_ptr_array_unref (self->spare);
  g_array_unref (self->inbox);
  g_array_unref (self->work);
  g_source_destroy (self->inbox_source);
  g_source_unref (self->inbox_source);
  g_main_context_unref (self->context);
  g_main_context_unref (self->server_context);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* Starts @n_shards sender threads; returns them NULL-terminated. */
AdChatShard **
_ad_chat_shards_new (AdChatServer *server,
                     guint         n_shards,
                     gsize         max_queue_bytes)
{
  AdChatShard **shards = g_new0 (AdChatShard *, n_shards + 1);

  for (guint i = 0; i < n_shards; i++)
    shards[i] = shard_new (server, i, max_queue_bytes);

  return shards;
}

void
_ad_chat_shards_free (AdChatShard **shards)
{
  for (guint i = 0; shards[i] != NULL; i++)
    shard_free (shards[i]);
  g_free (shards);
}
