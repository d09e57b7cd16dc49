/* ad-chat-server-private.h: what AdChatServer and AdChatConnection share
 *
 * The room (ad-chat-room.c) owns the policy (nicks, commands, limits), the
 * server wires it to the connections (broadcast, goodbyes); each connection
 * owns its socket, its framer and its output queue, and embeds its member
 * of the room. Server and connection live in two files but are one unit,
 * so the connection's struct is here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-chat-connection.h"
#include "ad-chat-protocol.h"
#include "ad-chat-room.h"
#include "ad-chat-server.h"
#include "ad-task-registry.h"

G_BEGIN_DECLS

#define AD_CHAT_READ_BUFFER_SIZE 16384
/* How long a closing connection may take to drain and say goodbye. */
#define AD_CHAT_LINGER_USEC      ((gint64) 2 * G_USEC_PER_SEC)

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
  GSource           *read_source;
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
  gsize              head_offset;   /* bytes of ring[ring_head] already written */
  gsize              queued_bytes;

  guint64            bytes_in;
  guint64            bytes_out;
  guint64            notified_in;
  guint64            notified_out;
  guint              notified_depth;

  AdChatMember       member;        /* the room's view: nick, id, rate limit, activity */
  gint64             deadline;      /* CLOSING and LINGERING: when to give up */
  guint              sent_iteration; /* the main-loop iteration of the last write at once */
  guint              state : 2;
  guint              flush_pending : 1;
  guint              stats_dirty : 1;
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
gboolean          _ad_chat_connection_in_line    (AdChatConnection  *self);
void              _ad_chat_connection_half_close (AdChatConnection  *self);
void              _ad_chat_connection_close      (AdChatConnection  *self,
                                                  GBytes            *last_words);
void              _ad_chat_connection_notify_stats (AdChatConnection *self);
void              _ad_chat_connection_register   (AdChatConnection  *self,
                                                  AdTaskRegistry    *registry,
                                                  AdTask            *parent);

/* ad-chat-server.c: called by connections */
guint8           *_ad_chat_server_get_read_buffer (AdChatServer      *self);
GMainContext     *_ad_chat_server_get_context     (AdChatServer      *self);
guint             _ad_chat_server_write_now_stamp (AdChatServer      *self);
gboolean          _ad_chat_server_handle_line     (AdChatServer      *self,
                                                   AdChatConnection  *conn,
                                                   const char        *line,
                                                   gsize              length,
                                                   gboolean           too_long,
                                                   gint64             now);
void              _ad_chat_server_connection_lost (AdChatServer      *self,
                                                   AdChatConnection  *conn,
                                                   const char        *reason);
void              _ad_chat_server_maybe_flush     (AdChatServer      *self,
                                                   gint64             now);
void              _ad_chat_server_want_flush      (AdChatServer      *self,
                                                   AdChatConnection  *conn);
void              _ad_chat_server_stats_changed   (AdChatServer      *self,
                                                   AdChatConnection  *conn);
void              _ad_chat_server_task_cancelled  (AdChatServer      *self,
                                                   AdChatConnection  *conn);

G_END_DECLS
