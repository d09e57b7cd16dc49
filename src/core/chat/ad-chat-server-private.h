/* ad-chat-server-private.h: what AdChatServer and AdChatConnection share
 *
 * The room (ad-chat-room.c) owns the policy (nicks, commands, limits), the
 * server wires it to the connections (broadcast, goodbyes); each connection
 * owns its socket, its framer and its output queue, and embeds its member
 * of the room. AdChatServer spans ad-chat-server.c (its GObject face) and
 * ad-chat-server-clients.c (its clients on the main loop); with
 * ad-chat-connection.c they are one unit, so both structs are here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-chat-connection.h"
#include "ad-chat-protocol.h"
#include "ad-chat-room.h"
#include "ad-chat-server.h"
#include "ad-task-registry.h"
#include "ad-task.h"

G_BEGIN_DECLS

#define AD_CHAT_READ_BUFFER_SIZE 16384
/* How long a closing connection may take to drain and say goodbye. */
#define AD_CHAT_LINGER_USEC      ((gint64) 2 * G_USEC_PER_SEC)

typedef struct _AdChatShard AdChatShard;

typedef enum
{
  AD_CHAT_CONNECTION_OPEN,       /* in the room */
  AD_CHAT_CONNECTION_CLOSING,    /* left: its last lines are being written */
  AD_CHAT_CONNECTION_LINGERING,  /* half-closed: reading to EOF or the deadline */
  AD_CHAT_CONNECTION_CLOSED,
} AdChatConnectionState;

struct _AdChatConnection
{
  GObject            parent_instance;

  AdChatServer      *server;        /* unowned: the server closes us before it dies */
  GSocketConnection *stream;
  GSocket           *socket;        /* owned by stream */
  int                fd;            /* the socket's, cached: one cache miss less per send */
  GSource           *read_source;   /* only without epoll (see AdChatServer:epoll_fd) */
  GSource           *write_source;  /* only while the socket is full */
  AdTask            *task;          /* in the registry, under the server's */
  gulong             cancelled_id;
  const char        *failure;       /* static: why the task failed, or NULL */
  char              *address;
  AdChatFramer       framer;

  /* The output queue: a ring of shared, immutable lines. */
  GBytes           **ring;
  guint              ring_size;
  guint              ring_head;
  guint              ring_len;
  guint32            head_offset;   /* bytes of ring[ring_head] already written (a line
                                     * is far shorter than 4 GB; 32 bits fill a hole) */
  gsize              queued_bytes;

  guint64            bytes_in;
  guint64            bytes_out;
  guint64            notified_in;
  guint64            notified_out;
  guint              notified_depth;

  /* With sender threads (ad-chat-shard.c), the output side of a shard's
   * connection (the ring above, bytes_out, the write source) belongs to the
   * shard's thread until it reports the connection done, and the main
   * thread only posts commands to it; these fields are the shard's alone. Not bit fields: the main thread writes
   * the bits below at the same time. */
  AdChatShard       *shard;         /* NULL: the main thread writes */
  gint               shard_index;   /* in the shard's broadcast list, or -1 */
  guint8             out_dirty;     /* in the shard's list of queues to write */
  guint8             out_dead;      /* too slow or lost: nothing more is written */
  guint8             out_finishing; /* half-close once the queue is written */
  guint8             out_closed;    /* the shard is done: the main thread closes the socket */

  AdChatMember       member;        /* the room's view: nick, id, rate limit, activity */
  gint64             deadline;      /* CLOSING and LINGERING: when to give up */
  guint              state : 2;
  guint              flush_pending : 1;
  guint              stats_dirty : 1;
  guint              polled : 1;    /* in the server's epoll set */
};

/* ad-chat-connection.c */
AdChatConnection *_ad_chat_connection_new        (AdChatServer      *server,
                                                  GSocketConnection *stream,
                                                  guint              id,
                                                  gsize              max_line_length);
void              _ad_chat_connection_nick_changed (AdChatConnection *self);
void              _ad_chat_connection_enqueue    (AdChatConnection  *self,
                                                  GBytes            *line);
gboolean          _ad_chat_connection_flush      (AdChatConnection  *self);
gboolean          _ad_chat_connection_read       (AdChatConnection  *self);
gboolean          _ad_chat_connection_is_slow    (AdChatConnection  *self,
                                                  gsize              max_queue_bytes);
gboolean          _ad_chat_connection_in_line    (AdChatConnection  *self);
void              _ad_chat_connection_half_close (AdChatConnection  *self);
void              _ad_chat_connection_close      (AdChatConnection  *self,
                                                  GBytes            *last_words);
void              _ad_chat_connection_notify_stats (AdChatConnection *self);
void              _ad_chat_connection_register   (AdChatConnection  *self,
                                                  AdTaskRegistry    *registry,
                                                  AdTask            *parent);
void              _ad_chat_connection_push       (AdChatConnection  *self,
                                                  GBytes            *line);
void              _ad_chat_connection_queue      (AdChatConnection  *self,
                                                  GBytes            *line);
void              _ad_chat_connection_send_lines (AdChatConnection  *self,
                                                  GBytes           **lines,
                                                  guint              n_lines);
int               _ad_chat_connection_write_ring (AdChatConnection  *self);
void              _ad_chat_connection_drop_queue (AdChatConnection  *self);
void              _ad_chat_connection_close_stream (AdChatConnection *self);

/* Relaxed atomics for the counters one thread writes and another reads
 * (a shard's thread writes, the main thread notifies). */
#define AD_CHAT_STORE(field, value) __atomic_store_n (&(field), (value), __ATOMIC_RELAXED)
#define AD_CHAT_LOAD(field)         __atomic_load_n (&(field), __ATOMIC_RELAXED)

/* ad-chat-shard.c: sender threads, each writing a share of the clients */
typedef enum
{
  AD_CHAT_SHARD_ADD,        /* @conn joined: it gets broadcasts from now on */
  AD_CHAT_SHARD_LEAVE,      /* @conn left: no more broadcasts */
  AD_CHAT_SHARD_SEND,       /* @line to @conn alone */
  AD_CHAT_SHARD_BROADCAST,  /* @line to every member but @conn (may be NULL) */
  AD_CHAT_SHARD_FINISH,     /* half-close @conn once its queue is written */
  AD_CHAT_SHARD_CLOSE,      /* try @line, forget @conn (the main thread closes it) */
  AD_CHAT_SHARD_QUIT,
} AdChatShardOp;

AdChatShard     **_ad_chat_shards_new            (AdChatServer      *server,
                                                  guint              n_shards,
                                                  gsize              max_queue_bytes);
void              _ad_chat_shards_free           (AdChatShard      **shards);
void              _ad_chat_shards_broadcast      (AdChatShard      **shards,
                                                  AdChatConnection  *except,
                                                  GBytes            *line);
void              _ad_chat_shard_post            (AdChatShard       *shard,
                                                  AdChatShardOp      op,
                                                  AdChatConnection  *conn,
                                                  GBytes            *line);
void              _ad_chat_shard_release         (AdChatShard       *shard,
                                                  GBytes            *line);

/* How many clients' sockets the input side reads per epoll_wait(), and how
 * many queues a flush writes between two looks at the input (see
 * ad-chat-server-clients.c, "the main-loop side"). */
#define AD_CHAT_INPUT_BATCH 64
#define AD_CHAT_FLUSH_STRIDE 32
/* How many clients a pass over the room sends to between two looks at the
 * input (one epoll_wait() per 8 sends of ~5 us: a line that comes during a
 * fan-out joins it sooner; p99 at 100 clients 0.81 -> 0.76 ms against 32). */
#define AD_CHAT_PASS_STRIDE 8

/* A broadcast read but not sent yet (see _ad_chat_server_send_pending()). */
#define AD_CHAT_PENDING_MAX 64

typedef struct
{
  GBytes       *line;       /* owned */
  AdChatMember *except;     /* the sender, who does not get it; or NULL */
  guint         until;      /* done when the server's visits reach this */
} AdChatPending;

struct _AdChatServer
{
  GObject          parent_instance;

  GMainContext    *context;
  GSocketService  *service;
  GSocket         *listen_socket;
  AdTaskRegistry  *registry;     /* NULL: the default one, at start */
  AdTask          *task;
  GSource         *task_cancel_source;
  char            *address;
  guint16          port;

  guint            max_queue_bytes;
  guint            n_threads;    /* sender threads; 0: everything on the main loop */
  AdChatShard    **shards;       /* NULL-terminated, while running with threads */
  guint            n_shards;

  AdChatRoom      *room;         /* nicks, commands, history, most limits; its members hold
                                  * a reference to their connection */
  GPtrArray       *closing;      /* AdChatConnection (owned) saying goodbye */
  GListStore      *clients;      /* the room, for the GUI */
  GPtrArray       *flush_list;   /* AdChatConnection (owned) with lines to write */
  GPtrArray       *flush_spare;
  GPtrArray       *stats_dirty;  /* AdChatConnection (owned) whose counters changed */
  GSource         *service_source; /* reads the clients (epoll), writes the queues */
  int              epoll_fd;       /* every client's socket; -1: one GSource per client */
  gpointer         epoll_tag;
  gboolean         dispatching;    /* in the service source: it flushes when done */
  gboolean         flushing;
  AdChatPending    pending[AD_CHAT_PENDING_MAX]; /* broadcasts read, not yet sent */
  guint            n_pending;
  gboolean         collecting;     /* reading input: broadcasts wait for the batch's end */
  gboolean         sending;        /* in a pass over the room (the pending lines') */
  guint            cursor;         /* the member the pass visits next */
  guint            visits;         /* members visited by passes, ever (wraps) */
  GSource         *sweep_source;
  GSource         *stats_source;
  GSource         *cancel_source;
  GTask           *stop_task;
  guint            next_id;

  guint8           read_buffer[AD_CHAT_READ_BUFFER_SIZE];
};

/* The connection a member of the room is embedded in (no load: the
 * broadcast loop runs this once per delivery). */
#define CONN(m) \
  ((AdChatConnection *) (void *) ((char *) (m) - G_STRUCT_OFFSET (AdChatConnection, member)))

/* ad-chat-server.c: the GObject face */
void              _ad_chat_server_maybe_finish_stop (AdChatServer    *self);
void              _ad_chat_server_joined          (AdChatServer      *self,
                                                   AdChatConnection  *conn);
void              _ad_chat_server_left            (AdChatServer      *self,
                                                   AdChatConnection  *conn,
                                                   const char        *reason);
void              _ad_chat_server_said            (AdChatServer      *self,
                                                   AdChatConnection  *conn,
                                                   const char        *text,
                                                   gboolean           action);

/* ad-chat-server-clients.c: the clients on the main loop */
AdChatRoom       *_ad_chat_server_room_new        (AdChatServer      *self);
GSource          *_ad_chat_server_service_source_new (AdChatServer   *self);
/* Tests: one GSource per client, as when epoll_create1() fails. Only
 * before the server starts. */
void              _ad_chat_server_disable_epoll   (AdChatServer      *self);
GSource          *_ad_chat_server_attach_timeout  (AdChatServer      *self,
                                                   guint              msec,
                                                   const char        *name,
                                                   GSourceFunc        func);
void              _ad_chat_clear_source           (GSource          **source);
AdChatConnection *_ad_chat_server_leave_room      (AdChatServer      *self,
                                                   AdChatConnection  *conn,
                                                   const char        *reason);
void              _ad_chat_server_say_goodbye     (AdChatServer      *self,
                                                   AdChatConnection  *conn,
                                                   const char        *reason,
                                                   GBytes            *last_words);
gboolean          _ad_chat_server_sweep_cb        (gpointer           user_data);
gboolean          _ad_chat_server_incoming_cb     (GSocketService    *service,
                                                   GSocketConnection *stream,
                                                   GObject           *source_object,
                                                   gpointer           user_data);

/* ad-chat-server*.c: called by connections */
guint8           *_ad_chat_server_get_read_buffer (AdChatServer      *self);
void              _ad_chat_server_send_pending    (AdChatServer      *self);
GMainContext     *_ad_chat_server_get_context     (AdChatServer      *self);
gboolean          _ad_chat_server_handle_line     (AdChatServer      *self,
                                                   AdChatConnection  *conn,
                                                   const char        *line,
                                                   gsize              length,
                                                   gboolean           too_long,
                                                   gint64             now);
void              _ad_chat_server_connection_lost (AdChatServer      *self,
                                                   AdChatConnection  *conn,
                                                   const char        *reason);
void              _ad_chat_server_maybe_flush     (AdChatServer      *self);
void              _ad_chat_server_want_flush      (AdChatServer      *self,
                                                   AdChatConnection  *conn);
void              _ad_chat_server_stats_changed   (AdChatServer      *self,
                                                   AdChatConnection  *conn);
void              _ad_chat_server_task_cancelled  (AdChatServer      *self,
                                                   AdChatConnection  *conn);
void              _ad_chat_server_drop_slow       (AdChatServer      *self,
                                                   AdChatConnection  *conn);

G_END_DECLS
