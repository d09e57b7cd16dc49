/* ad-chat-room.h: the chat room and its command policy, without sockets
 *
 * The room knows its members (nicks, rate limits, activity), the history
 * and the commands. It is told "a member said LINE" and answers through
 * an AdChatRoomSink: what to send to one member, what to broadcast, and
 * returns its decisions (rate-limited, rejected nick, quit…). The server
 * (ad-chat-server.c) wires it to the connections; tests drive it alone
 * with an injected clock (every call that needs the time takes @now, in
 * g_get_monotonic_time() microseconds).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AD_CHAT_ROOM_WHO_MAX_NAMES 50

/* A member, as the room sees it: embedded in whatever carries the bytes
 * (AdChatConnection), which fills in @peer and @id. */
typedef struct
{
  gpointer  peer;          /* the connection, unowned: for the sink */
  char     *nick;          /* set by the room once the member joins */
  guint     id;            /* arrival order: making room closes the oldest */
  guint     index;         /* position in the room's members */
  double    tokens;        /* rate limit: token bucket */
  gint64    tokens_time;
  gint64    last_activity;
  guint16   line_started;  /* when its unfinished line began, seconds mod 2^16 */
  guint     in_room : 1;
  guint     rate_warned : 1;
  guint     spoke : 1;     /* has completed a line */
} AdChatMember;

/* Where the room's output goes; every callback is required. */
typedef struct
{
  /* Queue @line (with its "\n") for @to alone. */
  void     (*send)      (AdChatMember *to,
                         GBytes       *line,
                         gpointer      user_data);
  /* Queue @line for every member in the room but @except (may be NULL). */
  void     (*broadcast) (AdChatMember *except,
                         GBytes       *line,
                         gpointer      user_data);
  /* @member's nick changed (also when it joins). */
  void     (*renamed)   (AdChatMember *member,
                         gpointer      user_data);
  /* @member said @text (cleaned) to the room; @action for /me. */
  void     (*said)      (AdChatMember *member,
                         const char   *text,
                         gboolean      action,
                         gpointer      user_data);
  /* Whether @member is in the middle of a line (its framer's business). */
  gboolean (*in_line)   (AdChatMember *member,
                         gpointer      user_data);
} AdChatRoomSink;

/* What became of a line. */
typedef enum
{
  AD_CHAT_VERDICT_IGNORED,          /* empty line, or the member is not in the room */
  AD_CHAT_VERDICT_SAID,             /* a message or a /me, broadcast */
  AD_CHAT_VERDICT_REPLIED,          /* /who, /help: answered to the sender */
  AD_CHAT_VERDICT_NICK_CHANGED,
  AD_CHAT_VERDICT_NICK_UNCHANGED,   /* /nick to one's own nick */
  AD_CHAT_VERDICT_NICK_INVALID,
  AD_CHAT_VERDICT_NICK_TAKEN,
  AD_CHAT_VERDICT_UNKNOWN_COMMAND,
  AD_CHAT_VERDICT_TOO_LONG,
  AD_CHAT_VERDICT_RATE_LIMITED,
  AD_CHAT_VERDICT_QUIT,             /* the member asked to leave: say goodbye */
} AdChatVerdict;

/* Why a member must go, with the last line it gets. */
typedef enum
{
  AD_CHAT_GOODBYE_QUIT,
  AD_CHAT_GOODBYE_IDLE,
  AD_CHAT_GOODBYE_LINE_TIMEOUT,
  AD_CHAT_GOODBYE_MADE_ROOM,
  AD_CHAT_GOODBYE_FULL,
  AD_CHAT_GOODBYE_TOO_SLOW,
  AD_CHAT_GOODBYE_SHUTDOWN,
} AdChatGoodbye;

typedef struct
{
  AdChatMember  *member;
  AdChatGoodbye  why;
} AdChatDeparture;

typedef struct
{
  /* Settings: read freely; write through the setters where there is one. */
  guint           history_length;
  double          rate_limit;     /* lines per second; 0: no limit */
  guint           rate_burst;
  guint           idle_timeout;   /* seconds; 0: never */
  guint           line_timeout;   /* seconds; 0: never */
  guint           max_clients;
  guint           max_line_length;
  gboolean        announce;
  gboolean        closing;        /* shutting down: leaves are not announced */

  /* State: read only. */
  GPtrArray      *members;        /* AdChatMember (unowned); member->index is its position */
  GHashTable     *nicks;          /* nick key → AdChatMember (unowned) */
  GQueue          history;        /* GBytes, oldest first */
  guint64         n_messages;
  guint           next_guest;

  const AdChatRoomSink *sink;
  gpointer        user_data;
} AdChatRoom;

void             ad_chat_member_clear          (AdChatMember    *member);

AdChatRoom      *ad_chat_room_new              (const AdChatRoomSink *sink,
                                                gpointer         user_data);
void             ad_chat_room_free             (AdChatRoom      *self);
void             ad_chat_room_set_history_length (AdChatRoom    *self,
                                                guint            history_length);

guint            ad_chat_room_get_n_members    (AdChatRoom      *self);
gboolean         ad_chat_room_is_full          (AdChatRoom      *self);
AdChatMember    *ad_chat_room_lookup           (AdChatRoom      *self,
                                                const char      *nick);

void             ad_chat_room_join             (AdChatRoom      *self,
                                                AdChatMember    *member,
                                                gint64           now);
void             ad_chat_room_announce_join    (AdChatRoom      *self,
                                                AdChatMember    *member);
void             ad_chat_room_leave            (AdChatRoom      *self,
                                                AdChatMember    *member);
void             ad_chat_room_announce_leave   (AdChatRoom      *self,
                                                AdChatMember    *member,
                                                const char      *reason);
AdChatVerdict    ad_chat_room_handle_line      (AdChatRoom      *self,
                                                AdChatMember    *member,
                                                const char      *line,
                                                gsize            length,
                                                gboolean         too_long,
                                                gint64           now);

GArray          *ad_chat_room_sweep            (AdChatRoom      *self,
                                                gint64           now);
AdChatMember    *ad_chat_room_pick_to_make_room (AdChatRoom     *self);
GBytes          *ad_chat_room_goodbye_line     (AdChatRoom      *self,
                                                AdChatGoodbye    why);
char            *ad_chat_room_kick_reason      (const char      *reason);
GBytes          *ad_chat_room_kick_line        (const char      *clean_reason);

guint16          ad_chat_room_seconds          (gint64           now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdChatRoom, ad_chat_room_free)

G_END_DECLS
