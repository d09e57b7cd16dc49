/* ad-chat-client.c: a chat client on the GLib main loop, with reconnection
 *
 * The core of the chat page and of `async-demo chat`. One call,
 * ad_chat_client_run_async(), runs a whole session: connect, read lines,
 * write queued lines, and when the connection drops, wait and connect again
 * with exponential backoff (0.5 s, 1 s, 2 s … 30 s). The session ends when
 * the user quits (the server says goodbye and closes), when reconnecting is
 * off and the connection ends, or when the cancellable is cancelled (quiet:
 * %G_IO_ERROR_CANCELLED).
 *
 * Lines from the server go through the same framer and sanitiser as the
 * server's input: a hostile server cannot make us buffer without bound or
 * put escape sequences on the user's terminal. Each line is classified
 * (message, action, notice, error) and emitted as ::line-received, ready for
 * a list in the GUI. Lines typed while connecting are queued (a few) and
 * sent once connected; "/nick" goes first when a nick was asked for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Chat"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ad-chat-client.h"
#include "ad-sleep.h"

#define READ_SIZE      4096
#define MAX_QUEUED     256
#define MAX_LINE_BYTES 8192

struct _AdChatClient
{
  GObject             parent_instance;

  char               *host;
  guint16             port;
  char               *wanted_nick;
  char               *nick;
  AdChatClientState   state;
  char               *last_error;
  gboolean            reconnect;
  guint               retry_delay;  /* ms, while WAITING */
  guint               attempt;
  guint               session;      /* counts runs: a stale retry sees another */
  gboolean            quitting;

  GTask              *task;         /* the session */
  GSocketConnection  *connection;
  AdChatFramer        framer;
  guint8             *read_buffer;
  GQueue              out;          /* GBytes */
  gboolean            writing;
};

G_DEFINE_FINAL_TYPE (AdChatClient, ad_chat_client, G_TYPE_OBJECT)

GType
ad_chat_line_kind_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { AD_CHAT_LINE_MESSAGE, "AD_CHAT_LINE_MESSAGE", "message" },
        { AD_CHAT_LINE_ACTION, "AD_CHAT_LINE_ACTION", "action" },
        { AD_CHAT_LINE_NOTICE, "AD_CHAT_LINE_NOTICE", "notice" },
        { AD_CHAT_LINE_ERROR, "AD_CHAT_LINE_ERROR", "error" },
        { AD_CHAT_LINE_OTHER, "AD_CHAT_LINE_OTHER", "other" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type_id, g_enum_register_static ("AdChatLineKind", values));
    }

  return type_id;
}

GType
ad_chat_client_state_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { AD_CHAT_CLIENT_DISCONNECTED, "AD_CHAT_CLIENT_DISCONNECTED", "disconnected" },
        { AD_CHAT_CLIENT_CONNECTING, "AD_CHAT_CLIENT_CONNECTING", "connecting" },
        { AD_CHAT_CLIENT_CONNECTED, "AD_CHAT_CLIENT_CONNECTED", "connected" },
        { AD_CHAT_CLIENT_WAITING, "AD_CHAT_CLIENT_WAITING", "waiting" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type_id, g_enum_register_static ("AdChatClientState", values));
    }

  return type_id;
}

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_NICK,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_RETRY_DELAY,
  PROP_RECONNECT,
  N_PROPS
};

enum {
  LINE_RECEIVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_now (AdChatClient *self);
static void write_next  (AdChatClient *self);

/* ---- state ---------------------------------------------------------------------- */

static void
set_state (AdChatClient      *self,
           AdChatClientState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (AdChatClient *self,
                const char   *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_nick (AdChatClient *self,
          const char   *nick)
{
  if (g_strcmp0 (self->nick, nick) == 0)
    return;
  g_free (self->nick);
  self->nick = g_strdup (nick);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NICK]);
}

static void
close_connection (AdChatClient *self)
{
  if (self->connection != NULL)
    {
      /* Closing a socket does not block: no need for the async variant. */
      g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
      g_clear_object (&self->connection);
    }
  ad_chat_framer_clear (&self->framer);
  g_clear_pointer (&self->read_buffer, g_free);
}

/* Ends the session, exactly once. */
static void
finish (AdChatClient *self,
        GError       *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  close_connection (self);
  g_queue_clear_full (&self->out, (GDestroyNotify) g_bytes_unref);
  self->writing = FALSE;
  set_state (self, AD_CHAT_CLIENT_DISCONNECTED);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

typedef struct
{
  AdChatClient *self;
  guint         session;
} Retry;

static void
retry_free (Retry *retry)
{
  g_object_unref (retry->self);
  g_free (retry);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Retry, retry_free)

static void
retry_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Retry) retry = user_data;
  AdChatClient *self = retry->self;
  GError *error = NULL;
  gboolean slept = ad_sleep_finish (result, &error);

  /* The session that waited ended meanwhile (quit while waiting): this
   * wait is not the current session's, even if a new one runs now. */
  if (self->task == NULL || retry->session != self->session)
    {
      g_clear_error (&error);
      return;
    }
  if (!slept)
    {
      finish (self, error);
      return;
    }
  connect_now (self);
}

/* The connection is gone (or never came): try again later, or stop. */
static void
connection_ended (AdChatClient *self,
                  const char   *message)
{
  Retry *retry;

  close_connection (self);

  if (self->task == NULL)
    return;

  if (message != NULL)
    set_last_error (self, message);

  if (self->quitting || !self->reconnect)
    {
      finish (self, NULL);
      return;
    }

  self->retry_delay = AD_CHAT_CLIENT_MIN_BACKOFF_MS << MIN (self->attempt, 10);
  self->retry_delay = MIN (self->retry_delay, AD_CHAT_CLIENT_MAX_BACKOFF_MS);
  self->attempt++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_DELAY]);
  set_state (self, AD_CHAT_CLIENT_WAITING);
  g_debug ("reconnecting to %s:%u in %u ms", self->host, self->port, self->retry_delay);

  retry = g_new0 (Retry, 1);
  retry->self = g_object_ref (self);
  retry->session = self->session;
  ad_sleep_async (self->retry_delay, g_task_get_cancellable (self->task), retry_cb, retry);
}

/* ---- reading -------------------------------------------------------------------- */

static gboolean
line_cb (const char *data,
         gsize       length,
         gboolean    too_long,
         gpointer    user_data)
{
  AdChatClient *self = user_data;
  g_autofree char *line = NULL;
  g_autofree char *nick = NULL;
  g_autofree char *text = NULL;
  AdChatLineKind kind;

  if (too_long)
    return TRUE;

  line = ad_chat_sanitize (data, length);
  if (line[0] == '\0')
    return TRUE;

  kind = ad_chat_classify_line (line, &nick, &text);
  if (kind == AD_CHAT_LINE_NOTICE && g_str_has_prefix (text, "you are "))
    set_nick (self, text + strlen ("you are "));

  g_signal_emit (self, signals[LINE_RECEIVED], 0, kind, nick, text, line);

  /* A handler may have cancelled the session. */
  return self->connection != NULL;
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AdChatClient) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish (self, g_steal_pointer (&error));
      return;
    }
  if (self->connection == NULL || G_INPUT_STREAM (source) !=
      g_io_stream_get_input_stream (G_IO_STREAM (self->connection)))
    return;  /* an old connection */

  if (n <= 0)
    {
      connection_ended (self, n < 0 ? error->message : _("The server closed the connection"));
      return;
    }

  ad_chat_framer_feed (&self->framer, self->read_buffer, n, line_cb, self);
  if (self->connection == NULL)
    return;

  g_input_stream_read_async (G_INPUT_STREAM (source), self->read_buffer, READ_SIZE,
                             G_PRIORITY_DEFAULT, g_task_get_cancellable (self->task),
                             read_cb, g_object_ref (self));
}

/* ---- writing -------------------------------------------------------------------- */

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AdChatClient) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      /* The reader sees the end of the connection and decides. */
      g_debug ("write failed: %s", error->message);
      return;
    }

  if (!g_queue_is_empty (&self->out))
    g_bytes_unref (g_queue_pop_head (&self->out));
  write_next (self);
}

static void
write_next (AdChatClient *self)
{
  GBytes *line;
  GOutputStream *out;

  if (self->writing || self->connection == NULL || self->state != AD_CHAT_CLIENT_CONNECTED)
    return;

  line = g_queue_peek_head (&self->out);
  if (line == NULL)
    return;

  out = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  self->writing = TRUE;
  g_output_stream_write_all_async (out, g_bytes_get_data (line, NULL), g_bytes_get_size (line),
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (self->task),
                                   write_cb, g_object_ref (self));
}

static gboolean
queue_line (AdChatClient *self,
            const char   *text,
            gboolean      first)
{
  g_autofree char *clean = ad_chat_sanitize (text, strlen (text));
  GBytes *line;

  if (self->out.length >= MAX_QUEUED)
    return FALSE;

  line = g_bytes_new_take (g_strconcat (clean, "\n", NULL), strlen (clean) + 1);
  if (first && !self->writing)
    g_queue_push_head (&self->out, line);
  else
    g_queue_push_tail (&self->out, line);
  write_next (self);

  return TRUE;
}

/* ---- connecting ----------------------------------------------------------------- */

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AdChatClient) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  GInputStream *in;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish (self, g_steal_pointer (&error));
      else
        connection_ended (self, error->message);
      return;
    }

  g_debug ("connected to %s:%u", self->host, self->port);
  self->connection = g_steal_pointer (&connection);
  self->attempt = 0;
  ad_chat_framer_init (&self->framer, MAX_LINE_BYTES);
  self->read_buffer = g_malloc (READ_SIZE);
  set_last_error (self, NULL);
  set_state (self, AD_CHAT_CLIENT_CONNECTED);

  if (self->wanted_nick != NULL)
    {
      g_autofree char *command = g_strconcat ("/nick ", self->wanted_nick, NULL);

      queue_line (self, command, TRUE);
    }
  write_next (self);

  in = g_io_stream_get_input_stream (G_IO_STREAM (self->connection));
  g_input_stream_read_async (in, self->read_buffer, READ_SIZE, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (self->task), read_cb, g_object_ref (self));
}

static void
connect_now (AdChatClient *self)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  set_state (self, AD_CHAT_CLIENT_CONNECTING);
  g_socket_client_set_timeout (client, 0);
  g_socket_client_connect_to_host_async (client, self->host, self->port,
                                         g_task_get_cancellable (self->task),
                                         connect_cb, g_object_ref (self));
}

/**
 * ad_chat_client_run_async:
 * @cancellable: (nullable): cancel to disconnect and end the session
 *
 * Connects and stays connected (see #AdChatClient:reconnect) until the
 * session ends; see the file's header comment.
 */
void
ad_chat_client_run_async (AdChatClient        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AD_IS_CHAT_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_chat_client_run_async);
  g_task_set_name (task, "[async-demo] chat client");

  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The chat client is already running"));
      return;
    }

  self->task = g_steal_pointer (&task);
  self->session++;
  self->quitting = FALSE;
  self->attempt = 0;
  connect_now (self);
}

gboolean
ad_chat_client_run_finish (AdChatClient  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_chat_client_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ad_chat_client_send:
 * @text: a message or a command ("/me waves")
 *
 * Queues @text (cleaned, as one line) for the server; lines sent while
 * connecting go out once connected.
 *
 * Returns: %FALSE when the session is not running or too much is queued
 */
gboolean
ad_chat_client_send (AdChatClient *self,
                     const char   *text)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (self->task == NULL)
    return FALSE;

  return queue_line (self, text, FALSE);
}

/**
 * ad_chat_client_quit:
 *
 * Says /quit and ends the session once the server has closed.
 */
void
ad_chat_client_quit (AdChatClient *self)
{
  g_return_if_fail (AD_IS_CHAT_CLIENT (self));

  if (self->task == NULL || self->quitting)
    return;

  self->quitting = TRUE;
  if (self->state == AD_CHAT_CLIENT_CONNECTED || self->state == AD_CHAT_CLIENT_CONNECTING)
    queue_line (self, "/quit", FALSE);
  else
    finish (self, NULL);  /* waiting to reconnect: the pending retry sees the session ended */
}

/* ---- GObject -------------------------------------------------------------------- */

static void
ad_chat_client_dispose (GObject *object)
{
  AdChatClient *self = AD_CHAT_CLIENT (object);

  /* A running session holds a reference, so there is none here. */
  close_connection (self);
  g_queue_clear_full (&self->out, (GDestroyNotify) g_bytes_unref);

  G_OBJECT_CLASS (ad_chat_client_parent_class)->dispose (object);
}

static void
ad_chat_client_finalize (GObject *object)
{
  AdChatClient *self = AD_CHAT_CLIENT (object);

  g_free (self->host);
  g_free (self->wanted_nick);
  g_free (self->nick);
  g_free (self->last_error);

  G_OBJECT_CLASS (ad_chat_client_parent_class)->finalize (object);
}

static void
ad_chat_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AdChatClient *self = AD_CHAT_CLIENT (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_NICK:
      g_value_set_string (value, self->nick);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_RETRY_DELAY:
      g_value_set_uint (value, self->retry_delay);
      break;
    case PROP_RECONNECT:
      g_value_set_boolean (value, self->reconnect);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_chat_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AdChatClient *self = AD_CHAT_CLIENT (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_NICK:
      /* Construct-time: the nick to ask for once connected. */
      self->wanted_nick = g_value_dup_string (value);
      break;
    case PROP_RECONNECT:
      ad_chat_client_set_reconnect (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_chat_client_class_init (AdChatClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ad_chat_client_dispose;
  object_class->finalize = ad_chat_client_finalize;
  object_class->get_property = ad_chat_client_get_property;
  object_class->set_property = ad_chat_client_set_property;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, AD_CHAT_DEFAULT_ADDRESS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 1, G_MAXUINT16, AD_CHAT_DEFAULT_PORT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * AdChatClient:nick:
   *
   * The nick the server gave us. Set at construction, it is the nick to
   * ask for once connected.
   */
  properties[PROP_NICK] =
    g_param_spec_string ("nick", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, AD_TYPE_CHAT_CLIENT_STATE,
                       AD_CHAT_CLIENT_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * AdChatClient:retry-delay:
   *
   * While waiting to reconnect: how long the wait is, in milliseconds.
   */
  properties[PROP_RETRY_DELAY] =
    g_param_spec_uint ("retry-delay", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RECONNECT] =
    g_param_spec_boolean ("reconnect", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AdChatClient::line-received:
   * @kind: an #AdChatLineKind
   * @nick: (nullable): the sender of a message or an action
   * @text: the text without the sender
   * @line: the whole line, cleaned
   */
  signals[LINE_RECEIVED] =
    g_signal_new ("line-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4, AD_TYPE_CHAT_LINE_KIND,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
ad_chat_client_init (AdChatClient *self)
{
  self->reconnect = TRUE;
  g_queue_init (&self->out);
  ad_chat_framer_init (&self->framer, MAX_LINE_BYTES);
}

/**
 * ad_chat_client_new:
 * @host: a host name or address
 * @port: the server's port
 * @nick: (nullable): the nick to ask for, or %NULL to keep the server's
 */
AdChatClient *
ad_chat_client_new (const char *host,
                    guint16     port,
                    const char *nick)
{
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port > 0, NULL);

  return g_object_new (AD_TYPE_CHAT_CLIENT, "host", host, "port", (guint) port, "nick", nick,
                       NULL);
}

const char *
ad_chat_client_get_host (AdChatClient *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT (self), NULL);
  return self->host;
}

guint16
ad_chat_client_get_port (AdChatClient *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT (self), 0);
  return self->port;
}

const char *
ad_chat_client_get_nick (AdChatClient *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT (self), NULL);
  return self->nick;
}

AdChatClientState
ad_chat_client_get_state (AdChatClient *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT (self), AD_CHAT_CLIENT_DISCONNECTED);
  return self->state;
}

const char *
ad_chat_client_get_last_error (AdChatClient *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT (self), NULL);
  return self->last_error;
}

guint
ad_chat_client_get_retry_delay (AdChatClient *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT (self), 0);
  return self->retry_delay;
}

void
ad_chat_client_set_reconnect (AdChatClient *self,
                              gboolean      reconnect)
{
  g_return_if_fail (AD_IS_CHAT_CLIENT (self));

  reconnect = !!reconnect;
  if (self->reconnect == reconnect)
    return;
  self->reconnect = reconnect;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECT]);
}
