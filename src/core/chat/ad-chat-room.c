/* ad-chat-room.c: the chat room and its command policy, without sockets
 *
 * Nicks, the commands and their replies, the rate limit, announcements,
 * the history for newcomers, and the decisions on who must go (idle, line
 * timeout, making room for a newcomer). Output goes through the sink given
 * at creation; nothing here blocks or touches a socket. The wire format is
 * in docs/chat-protocol.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Chat"

#include "config.h"

#include <string.h>

#include "ad-chat-protocol.h"
#include "ad-chat-room.h"

/* Returns a protocol line (with its "\n") ready to be queued. (The
 * attribute is G_GNUC_PRINTF spelt out: cppcheck does not know the macro.) */
__attribute__ ((__format__ (__printf__, 1, 2)))
static GBytes *
line_printf (const char *format,
             ...)
{
  va_list args;
  GString *str = g_string_new (NULL);
  gsize len;

  va_start (args, format);
  g_string_append_vprintf (str, format, args);
  va_end (args);
  g_string_append_c (str, '\n');
  len = str->len;

  return g_bytes_new_take (g_string_free (str, FALSE), len);
}

#define send_printf(room, member, ...) \
  G_STMT_START { \
    g_autoptr(GBytes) line_ = line_printf (__VA_ARGS__); \
    (room)->sink->send ((member), line_, (room)->user_data); \
  } G_STMT_END

static void
send_line (AdChatRoom   *self,
           AdChatMember *member,
           GBytes       *line)
{
  self->sink->send (member, line, self->user_data);
}

static void
broadcast (AdChatRoom   *self,
           AdChatMember *except,
           GBytes       *line)
{
  self->sink->broadcast (except, line, self->user_data);
}

/* Monotonic seconds, modulo 2^16: enough for timeouts under 18 hours. */
guint16
ad_chat_room_seconds (gint64 now)
{
  return (guint16) (now / G_USEC_PER_SEC);
}

void
ad_chat_member_clear (AdChatMember *member)
{
  g_clear_pointer (&member->nick, g_free);
}

/* ---- the room ----------------------------------------------------------------- */

AdChatRoom *
ad_chat_room_new (const AdChatRoomSink *sink,
                  gpointer              user_data)
{
  AdChatRoom *self = g_new0 (AdChatRoom, 1);

  g_return_val_if_fail (sink != NULL, NULL);

  self->sink = sink;
  self->user_data = user_data;
  self->history_length = 20;
  self->rate_limit = 10.0;
  self->rate_burst = 20;
  self->idle_timeout = 600;
  self->line_timeout = 10;
  self->max_clients = 1000;
  self->max_line_length = AD_CHAT_DEFAULT_MAX_LINE_LENGTH;
  self->announce = TRUE;
  self->members = g_ptr_array_new ();
  self->nicks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->history);

  return self;
}

void
ad_chat_room_free (AdChatRoom *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->members);
  g_hash_table_unref (self->nicks);
  g_queue_clear_full (&self->history, (GDestroyNotify) g_bytes_unref);
  g_free (self);
}

void
ad_chat_room_set_history_length (AdChatRoom *self,
                                 guint       history_length)
{
  self->history_length = history_length;
  while (self->history.length > self->history_length)
    g_bytes_unref (g_queue_pop_head (&self->history));
}

guint
ad_chat_room_get_n_members (AdChatRoom *self)
{
  return self->members->len;
}

gboolean
ad_chat_room_is_full (AdChatRoom *self)
{
  return self->members->len >= self->max_clients;
}

/* Returns the member holding @nick (in any case), or NULL. */
AdChatMember *
ad_chat_room_lookup (AdChatRoom *self,
                     const char *nick)
{
  g_autofree char *key = ad_chat_nick_key (nick);

  return g_hash_table_lookup (self->nicks, key);
}

static void
remember (AdChatRoom *self,
          GBytes     *line)
{
  if (self->history_length == 0)
    return;

  g_queue_push_tail (&self->history, g_bytes_ref (line));
  while (self->history.length > self->history_length)
    g_bytes_unref (g_queue_pop_head (&self->history));
}

static char *
next_guest_nick (AdChatRoom *self)
{
  for (;;)
    {
      char *nick = g_strdup_printf ("guest-%u", ++self->next_guest);

      if (!g_hash_table_contains (self->nicks, nick))
        return nick;
      g_free (nick);
    }
}

static void
set_nick (AdChatRoom   *self,
          AdChatMember *member,
          const char   *nick)
{
  g_free (member->nick);
  member->nick = g_strdup (nick);
  self->sink->renamed (member, self->user_data);
}

/* Lets @member in under a guest nick: welcome and history. The others hear
 * of it with ad_chat_room_announce_join(). */
void
ad_chat_room_join (AdChatRoom   *self,
                   AdChatMember *member,
                   gint64        now)
{
  g_autofree char *nick = next_guest_nick (self);

  g_return_if_fail (!member->in_room);

  member->index = self->members->len;
  member->in_room = TRUE;
  g_ptr_array_add (self->members, member);
  set_nick (self, member, nick);
  g_hash_table_insert (self->nicks, g_steal_pointer (&nick), member);
  member->tokens = self->rate_burst;
  member->tokens_time = now;
  member->last_activity = now;

  send_printf (self, member, "*** welcome to the Async Demo chat; type /help for the commands");
  send_printf (self, member, "*** you are %s", member->nick);
  for (GList *l = self->history.head; l != NULL; l = l->next)
    send_line (self, member, l->data);
}

/* Tells the others that @member joined, if joins are announced. */
void
ad_chat_room_announce_join (AdChatRoom   *self,
                            AdChatMember *member)
{
  if (self->announce)
    {
      g_autoptr(GBytes) notice = line_printf ("*** %s joined", member->nick);

      broadcast (self, member, notice);
    }
}

/* Takes @member out of the room (its nick, the broadcasts). The others hear
 * of it with ad_chat_room_announce_leave(). */
void
ad_chat_room_leave (AdChatRoom   *self,
                    AdChatMember *member)
{
  guint index = member->index;
  g_autofree char *key = ad_chat_nick_key (member->nick);

  g_return_if_fail (member->in_room);
  g_assert (g_ptr_array_index (self->members, index) == member);

  g_ptr_array_remove_index_fast (self->members, index);
  if (index < self->members->len)
    ((AdChatMember *) g_ptr_array_index (self->members, index))->index = index;
  g_hash_table_remove (self->nicks, key);
  member->in_room = FALSE;
}

/* Tells the others that @member left for @reason, if leaves are announced
 * and the room is not closing. */
void
ad_chat_room_announce_leave (AdChatRoom   *self,
                             AdChatMember *member,
                             const char   *reason)
{
  if (self->announce && !self->closing)
    {
      g_autoptr(GBytes) notice = line_printf ("*** %s left (%s)", member->nick, reason);

      broadcast (self, NULL, notice);
    }
}

/* ---- commands ------------------------------------------------------------------- */

static gboolean
take_token (AdChatRoom   *self,
            AdChatMember *member,
            gint64        now)
{
  if (self->rate_limit <= 0)
    return TRUE;

  member->tokens = MIN ((double) self->rate_burst,
                        member->tokens +
                        (now - member->tokens_time) * self->rate_limit / G_USEC_PER_SEC);
  member->tokens_time = now;

  if (member->tokens >= 1.0)
    {
      member->tokens -= 1.0;
      member->rate_warned = FALSE;
      return TRUE;
    }

  if (!member->rate_warned)
    {
      send_printf (self, member, "!!! rate limit: at most %g lines per second; line dropped",
                   self->rate_limit);
      member->rate_warned = TRUE;
    }

  return FALSE;
}

static void
say (AdChatRoom   *self,
     AdChatMember *member,
     const char   *text,
     gboolean      action)
{
  g_autoptr(GBytes) line = action ? line_printf ("* %s %s", member->nick, text)
                                  : line_printf ("<%s> %s", member->nick, text);

  self->n_messages++;
  remember (self, line);
  broadcast (self, member, line);
  self->sink->said (member, text, action, self->user_data);
}

static AdChatVerdict
change_nick (AdChatRoom   *self,
             AdChatMember *member,
             const char   *nick)
{
  g_autofree char *key = NULL;
  g_autofree char *old_key = NULL;
  g_autofree char *old = NULL;
  AdChatMember *holder;

  if (!ad_chat_nick_is_valid (nick))
    {
      send_printf (self, member, "!!! invalid nick; use 1 to %d letters, digits, - or _, "
                   "starting with a letter", AD_CHAT_NICK_MAX_LENGTH);
      return AD_CHAT_VERDICT_NICK_INVALID;
    }

  key = ad_chat_nick_key (nick);
  holder = g_hash_table_lookup (self->nicks, key);
  if (holder != NULL && holder != member)
    {
      send_printf (self, member, "!!! the nick %s is taken", nick);
      return AD_CHAT_VERDICT_NICK_TAKEN;
    }
  if (g_strcmp0 (member->nick, nick) == 0)
    {
      send_printf (self, member, "*** you are %s", nick);
      return AD_CHAT_VERDICT_NICK_UNCHANGED;
    }

  old = g_strdup (member->nick);
  old_key = ad_chat_nick_key (old);
  g_hash_table_remove (self->nicks, old_key);
  g_hash_table_insert (self->nicks, g_steal_pointer (&key), member);
  set_nick (self, member, nick);

  send_printf (self, member, "*** you are %s", nick);
  if (self->announce)
    {
      g_autoptr(GBytes) notice = line_printf ("*** %s is now known as %s", old, nick);

      broadcast (self, member, notice);
    }

  return AD_CHAT_VERDICT_NICK_CHANGED;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_ascii_strcasecmp (*(const char **) a, *(const char **) b);
}

static void
who (AdChatRoom   *self,
     AdChatMember *member)
{
  g_autoptr(GPtrArray) names = g_ptr_array_sized_new (self->members->len);
  GString *str = g_string_new (NULL);
  g_autoptr(GBytes) line = NULL;
  gsize len;

  for (guint i = 0; i < self->members->len; i++)
    g_ptr_array_add (names, ((AdChatMember *) g_ptr_array_index (self->members, i))->nick);
  g_ptr_array_sort (names, compare_strings);

  g_string_printf (str, "*** %u here:", names->len);
  for (guint i = 0; i < names->len && i < AD_CHAT_ROOM_WHO_MAX_NAMES; i++)
    g_string_append_printf (str, " %s", (const char *) g_ptr_array_index (names, i));
  if (names->len > AD_CHAT_ROOM_WHO_MAX_NAMES)
    g_string_append_printf (str, " and %u more", names->len - AD_CHAT_ROOM_WHO_MAX_NAMES);
  g_string_append_c (str, '\n');

  len = str->len;
  line = g_bytes_new_take (g_string_free (str, FALSE), len);
  send_line (self, member, line);
}

static void
help (AdChatRoom   *self,
      AdChatMember *member)
{
  static const char text[] =
    "*** commands:\n"
    "*** /nick NAME   change your nick (letters, digits, - and _; up to 20)\n"
    "*** /who         list who is here (also /users)\n"
    "*** /me ACTION   tell what you are doing\n"
    "*** /quit        leave\n"
    "*** /help        this text\n"
    "*** start a line with // to send a message that starts with /\n";
  g_autoptr(GBytes) line = g_bytes_new_static (text, sizeof text - 1);

  send_line (self, member, line);
}

/**
 * ad_chat_room_handle_line:
 * @line: a line without its end, as the framer gives it
 * @too_long: the line was over the limit and discarded
 * @now: monotonic time, in microseconds
 *
 * Handles one line from @member. On %AD_CHAT_VERDICT_QUIT the member is
 * still in the room: the caller says goodbye (AD_CHAT_GOODBYE_QUIT).
 */
AdChatVerdict
ad_chat_room_handle_line (AdChatRoom   *self,
                          AdChatMember *member,
                          const char   *data,
                          gsize         length,
                          gboolean      too_long,
                          gint64        now)
{
  g_autofree char *argument = NULL;
  AdChatCommand command;

  if (!member->in_room)
    return AD_CHAT_VERDICT_IGNORED;

  member->last_activity = now;
  if (too_long)
    {
      send_printf (self, member, "!!! line too long (over %u bytes); discarded",
                   self->max_line_length);
      return AD_CHAT_VERDICT_TOO_LONG;
    }
  member->spoke = TRUE;

  command = ad_chat_parse_line (data, length, &argument);
  if (command == AD_CHAT_COMMAND_EMPTY)
    return AD_CHAT_VERDICT_IGNORED;
  if (command != AD_CHAT_COMMAND_QUIT && !take_token (self, member, now))
    return AD_CHAT_VERDICT_RATE_LIMITED;

  switch (command)
    {
    case AD_CHAT_COMMAND_MESSAGE:
      say (self, member, argument, FALSE);
      return AD_CHAT_VERDICT_SAID;

    case AD_CHAT_COMMAND_ME:
      say (self, member, argument, TRUE);
      return AD_CHAT_VERDICT_SAID;

    case AD_CHAT_COMMAND_NICK:
      return change_nick (self, member, argument);

    case AD_CHAT_COMMAND_WHO:
      who (self, member);
      return AD_CHAT_VERDICT_REPLIED;

    case AD_CHAT_COMMAND_HELP:
      help (self, member);
      return AD_CHAT_VERDICT_REPLIED;

    case AD_CHAT_COMMAND_QUIT:
      return AD_CHAT_VERDICT_QUIT;

    case AD_CHAT_COMMAND_UNKNOWN:
      send_printf (self, member, "!!! unknown command /%s; type /help for the commands",
                   argument);
      return AD_CHAT_VERDICT_UNKNOWN_COMMAND;

    case AD_CHAT_COMMAND_EMPTY:
    default:
      g_assert_not_reached ();
    }
}

/* ---- who must go -------------------------------------------------------------- */

/**
 * ad_chat_room_sweep:
 * @now: monotonic time, in microseconds
 *
 * Decides who is out: members idle for longer than the idle timeout, then
 * members that began a line more than line-timeout seconds ago and have
 * not finished it. Nobody leaves here: the caller says goodbye to each
 * (if still in the room).
 *
 * Returns: (transfer full): an array of AdChatDeparture, idle ones first
 */
GArray *
ad_chat_room_sweep (AdChatRoom *self,
                    gint64      now)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (AdChatDeparture));
  g_autoptr(GArray) stuck = NULL;
  gint64 limit = now - (gint64) self->idle_timeout * G_USEC_PER_SEC;
  guint16 seconds = ad_chat_room_seconds (now);

  if ((self->idle_timeout == 0 && self->line_timeout == 0) || self->closing)
    return out;

  stuck = g_array_new (FALSE, FALSE, sizeof (AdChatDeparture));
  for (guint i = 0; i < self->members->len; i++)
    {
      AdChatMember *member = g_ptr_array_index (self->members, i);

      if (self->line_timeout > 0 && self->sink->in_line (member, self->user_data) &&
          (guint16) (seconds - member->line_started) > self->line_timeout)
        g_array_append_val (stuck, ((AdChatDeparture) { member, AD_CHAT_GOODBYE_LINE_TIMEOUT }));
      else if (self->idle_timeout > 0 && member->last_activity < limit)
        g_array_append_val (out, ((AdChatDeparture) { member, AD_CHAT_GOODBYE_IDLE }));
    }
  g_array_append_vals (out, stuck->data, stuck->len);

  return out;
}

/**
 * ad_chat_room_pick_to_make_room:
 *
 * The room is full: picks the oldest member that has never finished a
 * line and is in the middle of one (one that sent half a line and stopped,
 * most likely to hold a place), so that a newcomer gets in. A member that
 * has spoken, or that only reads, is never picked.
 *
 * Returns: (nullable): the member to close (AD_CHAT_GOODBYE_MADE_ROOM)
 */
AdChatMember *
ad_chat_room_pick_to_make_room (AdChatRoom *self)
{
  AdChatMember *oldest = NULL;

  for (guint i = 0; i < self->members->len; i++)
    {
      AdChatMember *member = g_ptr_array_index (self->members, i);

      if (!member->spoke && self->sink->in_line (member, self->user_data) &&
          (oldest == NULL || member->id < oldest->id))
        oldest = member;
    }

  return oldest;
}

/* Returns the last line a member gets when it goes for @why. */
GBytes *
ad_chat_room_goodbye_line (AdChatRoom    *self,
                           AdChatGoodbye  why)
{
  switch (why)
    {
    case AD_CHAT_GOODBYE_QUIT:
      return line_printf ("*** bye");
    case AD_CHAT_GOODBYE_IDLE:
      return line_printf ("*** idle for too long; disconnecting");
    case AD_CHAT_GOODBYE_LINE_TIMEOUT:
      return line_printf ("!!! line not finished within %u s; disconnecting",
                          self->line_timeout);
    case AD_CHAT_GOODBYE_MADE_ROOM:
      return line_printf ("!!! the server is full and you never finished a line; "
                          "disconnecting");
    case AD_CHAT_GOODBYE_FULL:
      return line_printf ("!!! the server is full (%u clients); try again later",
                          self->max_clients);
    case AD_CHAT_GOODBYE_TOO_SLOW:
      return line_printf ("!!! you fell too far behind; disconnecting");
    case AD_CHAT_GOODBYE_SHUTDOWN:
      return line_printf ("*** server shutting down");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Returns the reason a kicked member and the room are told ("kicked:
 * REASON"), cleaned like any text that goes on the wire. */
char *
ad_chat_room_kick_reason (const char *reason)
{
  g_autofree char *why = g_strdup_printf ("kicked: %s", reason != NULL ? reason : "no reason");

  return ad_chat_sanitize (why, strlen (why));
}

GBytes *
ad_chat_room_kick_line (const char *clean_reason)
{
  return line_printf ("*** you were %s", clean_reason);
}
