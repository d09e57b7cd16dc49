/* ad-chat-client-view.c: one chat client in a tab: the conversation, who
 * is in the room, an entry, and the state of the connection
 *
 * The view owns an AdChatClient and one GCancellable per session: the
 * session (connect, read, write, reconnect with backoff) runs on the main
 * loop in the core, and the view only listens. Disposing the view cancels
 * the session and disconnects from the client, so nothing calls back into
 * a view that is gone; the session's callback holds only a weak reference
 * (closing a tab disposes it at once) and checks that its cancellable is
 * still the current one.
 *
 * The conversation is a GListStore of AdChatLine (bounded: the oldest lines
 * go first) in a GtkListView. Kinds differ in more than colour: an action
 * reads "* nick", a notice "***", an error "!!!", and notices are italic.
 * The server never echoes our own messages, so the view adds them itself.
 *
 * The user list uses what the protocol offers: once per connection the view
 * asks "/who" (the answer lists everybody, sorted), then follows the
 * "joined", "left" and "is now known as" notices. Those notices exist only
 * when the server announces (the default); a /who by the user refreshes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Chat"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ad-a11y.h"
#include "ad-chat-client-view.h"
#include "ad-chat-line.h"

struct _AdChatClientView
{
  GtkWidget          parent_instance;

  AdChatClient      *client;
  GCancellable      *cancellable;  /* non-NULL while a session runs */
  GListStore        *lines;        /* AdChatLine */
  GtkStringList     *users;
  char              *title;
  char              *status;
  char              *own_nick;     /* as the user list has it */
  gboolean           asked_who;    /* this connection */
  gboolean           follow;
  double             last_upper;

  GtkLabel          *status_label;
  GtkImage          *status_icon;
  GtkScrolledWindow *lines_scroller;
  GtkListView       *lines_view;
  GtkListView       *users_view;
  GtkLabel          *users_label;
  GtkEntry          *entry;
};

G_DEFINE_FINAL_TYPE (AdChatClientView, ad_chat_client_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_RUNNING,
  N_PROPS
};

enum {
  CLOSE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- the conversation ----------------------------------------------------------- */

static void
setup_line (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *time = gtk_label_new (NULL);
  GtkWidget *nick = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "chat-line");
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "numeric");
  gtk_label_set_yalign (GTK_LABEL (time), 0.0f);
  gtk_widget_add_css_class (nick, "chat-nick");
  gtk_label_set_xalign (GTK_LABEL (nick), 1.0f);
  gtk_label_set_yalign (GTK_LABEL (nick), 0.0f);
  gtk_label_set_width_chars (GTK_LABEL (nick), 8);
  gtk_label_set_max_width_chars (GTK_LABEL (nick), 12);
  gtk_label_set_ellipsize (GTK_LABEL (nick), PANGO_ELLIPSIZE_START);
  gtk_label_set_xalign (GTK_LABEL (text), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_hexpand (text, TRUE);

  gtk_box_append (GTK_BOX (box), time);
  gtk_box_append (GTK_BOX (box), nick);
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
set_kind_class (GtkWidget  *widget,
                const char *css_class,
                gboolean    on)
{
  if (on)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

static void
bind_line (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  AdChatLine *line = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *time = gtk_widget_get_first_child (box);
  GtkWidget *nick = gtk_widget_get_next_sibling (time);
  GtkWidget *text = gtk_widget_get_next_sibling (nick);
  AdChatLineKind kind = ad_chat_line_get_kind (line);
  g_autofree char *time_text = g_date_time_format (ad_chat_line_get_time (line), "%H:%M:%S");
  g_autofree char *nick_text = NULL;

  /* The kind is in the words, not only in the style. */
  switch (kind)
    {
    case AD_CHAT_LINE_MESSAGE:
      nick_text = g_strdup (ad_chat_line_get_nick (line));
      break;
    case AD_CHAT_LINE_ACTION:
      nick_text = g_strdup_printf ("* %s", ad_chat_line_get_nick (line));
      break;
    case AD_CHAT_LINE_NOTICE:
      nick_text = g_strdup ("***");
      break;
    case AD_CHAT_LINE_ERROR:
      nick_text = g_strdup ("!!!");
      break;
    case AD_CHAT_LINE_OTHER:
    default:
      nick_text = g_strdup ("");
      break;
    }

  gtk_label_set_text (GTK_LABEL (time), time_text);
  gtk_label_set_text (GTK_LABEL (nick), nick_text);
  gtk_label_set_text (GTK_LABEL (text), ad_chat_line_get_text (line));

  set_kind_class (nick, "chat-own", ad_chat_line_get_own (line));
  set_kind_class (nick, "dim-label", kind == AD_CHAT_LINE_NOTICE);
  set_kind_class (text, "chat-notice", kind == AD_CHAT_LINE_NOTICE);
  set_kind_class (text, "dim-label", kind == AD_CHAT_LINE_NOTICE);
  set_kind_class (text, "chat-action", kind == AD_CHAT_LINE_ACTION);
  set_kind_class (nick, "error", kind == AD_CHAT_LINE_ERROR);
  set_kind_class (text, "error", kind == AD_CHAT_LINE_ERROR);
}

static void
add_line (AdChatClientView *self,
          AdChatLine       *line)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->lines));

  if (n >= AD_CHAT_CLIENT_VIEW_MAX_LINES)
    {
      guint drop = n - AD_CHAT_CLIENT_VIEW_MAX_LINES + 1;

      g_list_store_splice (self->lines, 0, drop, NULL, 0);
    }
  g_list_store_append (self->lines, line);
}

/* Like a terminal: follow new lines while scrolled to the bottom, stay put
 * while the user reads further up. */
static void
vadjustment_upper_cb (GtkAdjustment    *adj,
                      GParamSpec       *pspec,
                      AdChatClientView *self)
{
  self->last_upper = gtk_adjustment_get_upper (adj);
  if (self->follow)
    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) -
                                   gtk_adjustment_get_page_size (adj));
}

static void
vadjustment_value_cb (GtkAdjustment    *adj,
                      AdChatClientView *self)
{
  double upper = gtk_adjustment_get_upper (adj);

  if (gtk_adjustment_get_value (adj) >= upper - gtk_adjustment_get_page_size (adj) - 4.0)
    self->follow = TRUE;
  else if (upper == self->last_upper)
    self->follow = FALSE;
  self->last_upper = upper;
}

/* ---- the user list ----------------------------------------------------------------- */

static gboolean
find_user (AdChatClientView *self,
           const char       *nick,
           guint            *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->users));

  for (guint i = 0; i < n; i++)
    {
      int cmp = g_ascii_strcasecmp (gtk_string_list_get_string (self->users, i), nick);

      if (cmp >= 0)
        {
          *position = i;
          return cmp == 0;
        }
    }
  *position = n;

  return FALSE;
}

static void
update_users_label (AdChatClientView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->users));
  g_autofree char *text = NULL;

  /* Translators: the heading of the user list, with how many there are */
  text = g_strdup_printf (_("Users (%u)"), n);
  gtk_label_set_text (self->users_label, text);
}

static void
add_user (AdChatClientView *self,
          const char       *nick)
{
  const char *add[] = { nick, NULL };
  guint position;

  if (!ad_chat_nick_is_valid (nick) || find_user (self, nick, &position))
    return;
  gtk_string_list_splice (self->users, position, 0, add);
  update_users_label (self);
}

static void
remove_user (AdChatClientView *self,
             const char       *nick)
{
  guint position;

  if (!find_user (self, nick, &position))
    return;
  gtk_string_list_remove (self->users, position);
  update_users_label (self);
}

static void
clear_users (AdChatClientView *self)
{
  gtk_string_list_splice (self->users, 0, g_list_model_get_n_items (G_LIST_MODEL (self->users)),
                          NULL);
  update_users_label (self);
}

/* "N here: a b c" or "N here: a b … and M more". */
static gboolean
parse_who (AdChatClientView *self,
           const char       *text)
{
  const char *names = strstr (text, " here: ");
  g_auto(GStrv) words = NULL;

  if (names == NULL || !g_ascii_isdigit (text[0]))
    return FALSE;

  clear_users (self);
  words = g_strsplit (names + strlen (" here: "), " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (g_str_equal (words[i], "and"))
        break;
      add_user (self, words[i]);
    }

  return TRUE;
}

/* Follows the room from the server's notices (docs/chat-protocol.md). */
static void
track_notice (AdChatClientView *self,
              const char       *text)
{
  const char *space = strchr (text, ' ');
  g_autofree char *first = space != NULL ? g_strndup (text, space - text) : NULL;

  if (g_str_has_prefix (text, "you are "))
    {
      const char *nick = text + strlen ("you are ");

      /* Our own renames are not announced to us. */
      if (self->own_nick != NULL)
        remove_user (self, self->own_nick);
      g_free (self->own_nick);
      self->own_nick = g_strdup (nick);
      if (self->asked_who)
        add_user (self, nick);
      else
        {
          /* Once per connection; lines already queued (the nick we asked
           * for) go first, so the answer has our final nick. */
          self->asked_who = TRUE;
          ad_chat_client_send (self->client, "/who");
        }
      return;
    }
  if (parse_who (self, text) || first == NULL)
    return;

  if (g_str_equal (space, " joined"))
    add_user (self, first);
  else if (g_str_has_prefix (space, " left ("))
    remove_user (self, first);
  else if (g_str_has_prefix (space, " is now known as "))
    {
      remove_user (self, first);
      add_user (self, space + strlen (" is now known as "));
    }
}

/* ---- the client's state ----------------------------------------------------------- */

static void
set_title (AdChatClientView *self,
           const char       *title)
{
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
update_state (AdChatClientView *self)
{
  AdChatClientState state = ad_chat_client_get_state (self->client);
  const char *host = ad_chat_client_get_host (self->client);
  guint port = ad_chat_client_get_port (self->client);
  const char *nick = ad_chat_client_get_nick (self->client);
  const char *error = ad_chat_client_get_last_error (self->client);
  const char *icon = "network-offline-symbolic";
  gboolean running = self->cancellable != NULL;
  g_autofree char *title = NULL;

  g_clear_pointer (&self->status, g_free);
  switch (state)
    {
    case AD_CHAT_CLIENT_CONNECTING:
      /* Translators: %s:%u is a host and a port */
      self->status = g_strdup_printf (_("Connecting to %s:%u…"), host, port);
      icon = "network-transmit-receive-symbolic";
      break;
    case AD_CHAT_CLIENT_CONNECTED:
      /* Translators: a host, a port, then the nick the server gave us */
      self->status = g_strdup_printf (_("Connected to %s:%u as %s"), host, port,
                                      nick != NULL ? nick : "…");
      icon = "network-idle-symbolic";
      break;
    case AD_CHAT_CLIENT_WAITING:
      {
        double seconds = ad_chat_client_get_retry_delay (self->client) / 1000.0;

        /* Translators: why the connection ended, then a delay in seconds */
        self->status = g_strdup_printf (_("Disconnected (%s). Reconnecting in %.1f s…"),
                                        error != NULL ? error : _("no reason given"), seconds);
        icon = "network-error-symbolic";
      }
      break;
    case AD_CHAT_CLIENT_DISCONNECTED:
    default:
      if (error != NULL && running)
        self->status = g_strdup_printf (_("Disconnected: %s"), error);
      else if (error != NULL)
        /* Translators: %s says why the connection ended */
        self->status = g_strdup_printf (_("Disconnected (%s). Press Reconnect to try again."),
                                        error);
      else
        self->status = g_strdup (_("Disconnected. Press Reconnect to join again."));
      break;
    }

  if (state != AD_CHAT_CLIENT_CONNECTED)
    {
      self->asked_who = FALSE;
      g_clear_pointer (&self->own_nick, g_free);
      clear_users (self);
    }

  gtk_label_set_text (self->status_label, self->status);
  gtk_image_set_from_icon_name (self->status_icon, icon);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat-client.disconnect", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat-client.reconnect", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat-client.send",
                                 running && state == AD_CHAT_CLIENT_CONNECTED);

  if (nick != NULL)
    title = g_strdup (nick);
  else
    title = g_strdup_printf ("%s:%u", host, port);
  set_title (self, title);
}

static void
line_received_cb (AdChatClient     *client,
                  AdChatLineKind    kind,
                  const char       *nick,
                  const char       *text,
                  const char       *whole,
                  AdChatClientView *self)
{
  g_autoptr(AdChatLine) line = ad_chat_line_new (kind, nick, kind == AD_CHAT_LINE_OTHER ? whole
                                                                                       : text);

  if (kind == AD_CHAT_LINE_NOTICE)
    track_notice (self, text);
  add_line (self, line);
}

/* ---- the session -------------------------------------------------------------- */

static void run_session (AdChatClientView *self);

/* The session holds only a weak reference to the view: a tab removed from
 * its notebook must be disposed (and so cancel its session) at once, not
 * live on, invisible, until the session ends by itself. */
static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(AdChatClientView) self = ad_weak_ref_steal (user_data);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;

  ad_chat_client_run_finish (AD_CHAT_CLIENT (source), result, &error);

  /* A view gone meanwhile, or a newer session: say nothing. */
  if (self == NULL || cancellable != self->cancellable)
    return;

  g_clear_object (&self->cancellable);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(AdChatLine) line = ad_chat_line_new (AD_CHAT_LINE_ERROR, NULL, error->message);

      add_line (self, line);
    }
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
run_session (AdChatClientView *self)
{
  if (self->cancellable != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  ad_chat_client_run_async (self->client, self->cancellable, run_cb, ad_weak_ref_new (self));
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* ---- actions ------------------------------------------------------------------ */

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AdChatClientView *self = AD_CHAT_CLIENT_VIEW (widget);
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  g_autofree char *argument = NULL;
  AdChatCommand command;

  command = ad_chat_parse_line (text, strlen (text), &argument);
  if (command == AD_CHAT_COMMAND_EMPTY)
    return;

  if (!ad_chat_client_send (self->client, text))
    {
      gtk_widget_error_bell (widget);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");

  /* The server does not echo what we say: show it ourselves, as the
   * others will read it. */
  if (command == AD_CHAT_COMMAND_MESSAGE || command == AD_CHAT_COMMAND_ME)
    {
      g_autoptr(AdChatLine) line = NULL;
      const char *nick;
      AdChatLineKind kind = command == AD_CHAT_COMMAND_ME ? AD_CHAT_LINE_ACTION
                                                          : AD_CHAT_LINE_MESSAGE;

      nick = ad_chat_client_get_nick (self->client);
      line = ad_chat_line_new (kind, nick != NULL ? nick : "…", argument);
      ad_chat_line_set_own (line, TRUE);
      self->follow = TRUE;
      add_line (self, line);
    }
}

/* Enter sends. */
static void
entry_activate_cb (AdChatClientView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "chat-client.send", NULL);
}

static void
disconnect_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AdChatClientView *self = AD_CHAT_CLIENT_VIEW (widget);

  /* Politely: "/quit", and the session ends when the server closes. */
  ad_chat_client_quit (self->client);
}

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  run_session (AD_CHAT_CLIENT_VIEW (widget));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[CLOSE], 0);
}

/* ---- GObject -------------------------------------------------------------------- */

/* Focusing the view focuses its entry: a new tab is ready for typing. */
static gboolean
ad_chat_client_view_grab_focus (GtkWidget *widget)
{
  AdChatClientView *self = AD_CHAT_CLIENT_VIEW (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
ad_chat_client_view_dispose (GObject *object)
{
  AdChatClientView *self = (AdChatClientView *) object;
  GtkWidget *child;

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_CHAT_CLIENT_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ad_chat_client_view_parent_class)->dispose (object);
}

static void
ad_chat_client_view_finalize (GObject *object)
{
  AdChatClientView *self = (AdChatClientView *) object;

  g_clear_object (&self->client);
  g_clear_object (&self->lines);
  g_clear_object (&self->users);
  g_free (self->title);
  g_free (self->status);
  g_free (self->own_nick);

  G_OBJECT_CLASS (ad_chat_client_view_parent_class)->finalize (object);
}

static void
ad_chat_client_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AdChatClientView *self = AD_CHAT_CLIENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_chat_client_view_class_init (AdChatClientViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_chat_client_view_dispose;
  object_class->finalize = ad_chat_client_view_finalize;
  object_class->get_property = ad_chat_client_view_get_property;
  widget_class->grab_focus = ad_chat_client_view_grab_focus;

  /**
   * AdChatClientView:title:
   *
   * The client's nick once the server gave it one, else host:port: for
   * the tab.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * AdChatClientView:running:
   *
   * Whether a session runs (connected, connecting or waiting to reconnect).
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AdChatClientView::close:
   *
   * The user asked to close this client (its tab).
   */
  signals[CLOSE] =
    g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ad-chat-client-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AdChatClientView, status_label);
  gtk_widget_class_bind_template_child (widget_class, AdChatClientView, status_icon);
  gtk_widget_class_bind_template_child (widget_class, AdChatClientView, lines_scroller);
  gtk_widget_class_bind_template_child (widget_class, AdChatClientView, lines_view);
  gtk_widget_class_bind_template_child (widget_class, AdChatClientView, users_view);
  gtk_widget_class_bind_template_child (widget_class, AdChatClientView, users_label);
  gtk_widget_class_bind_template_child (widget_class, AdChatClientView, entry);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "chat-client.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "chat-client.disconnect", NULL,
                                   disconnect_action);
  gtk_widget_class_install_action (widget_class, "chat-client.reconnect", NULL,
                                   reconnect_action);
  gtk_widget_class_install_action (widget_class, "chat-client.close", NULL, close_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
setup_user (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_user (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkStringObject *nick = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (nick));
}

static void
ad_chat_client_view_init (AdChatClientView *self)
{
  g_autoptr(GtkListItemFactory) line_factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) user_factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) lines_selection = NULL;
  g_autoptr(GtkNoSelection) users_selection = NULL;
  GtkAdjustment *vadj;

  self->lines = g_list_store_new (AD_TYPE_CHAT_LINE);
  self->users = gtk_string_list_new (NULL);
  self->follow = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
  ad_a11y_fix_names (GTK_WIDGET (self));

  g_signal_connect (line_factory, "setup", G_CALLBACK (setup_line), NULL);
  g_signal_connect (line_factory, "bind", G_CALLBACK (bind_line), NULL);
  gtk_list_view_set_factory (self->lines_view, line_factory);
  lines_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->lines)));
  gtk_list_view_set_model (self->lines_view, GTK_SELECTION_MODEL (lines_selection));

  g_signal_connect (user_factory, "setup", G_CALLBACK (setup_user), NULL);
  g_signal_connect (user_factory, "bind", G_CALLBACK (bind_user), NULL);
  gtk_list_view_set_factory (self->users_view, user_factory);
  users_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->users)));
  gtk_list_view_set_model (self->users_view, GTK_SELECTION_MODEL (users_selection));

  vadj = gtk_scrolled_window_get_vadjustment (self->lines_scroller);
  g_signal_connect_object (vadj, "notify::upper", G_CALLBACK (vadjustment_upper_cb), self, 0);
  g_signal_connect_object (vadj, "value-changed", G_CALLBACK (vadjustment_value_cb), self, 0);

  update_users_label (self);
}

/**
 * ad_chat_client_view_new:
 * @host: the server's host name or address
 * @port: the server's port
 * @nick: (nullable): the nick to ask for; %NULL keeps the server's guest name
 *
 * Returns: (transfer floating): a view whose client starts connecting at once
 */
AdChatClientView *
ad_chat_client_view_new (const char *host,
                         guint16     port,
                         const char *nick)
{
  AdChatClientView *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port > 0, NULL);

  self = g_object_new (AD_TYPE_CHAT_CLIENT_VIEW, NULL);
  self->client = ad_chat_client_new (host, port, nick != NULL && nick[0] != '\0' ? nick : NULL);
  g_signal_connect (self->client, "line-received", G_CALLBACK (line_received_cb), self);
  g_signal_connect_swapped (self->client, "notify::state", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->client, "notify::nick", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->client, "notify::retry-delay", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->client, "notify::last-error", G_CALLBACK (update_state), self);
  run_session (self);

  return self;
}

/**
 * ad_chat_client_view_get_client:
 *
 * Returns: (transfer none): the view's client
 */
AdChatClient *
ad_chat_client_view_get_client (AdChatClientView *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT_VIEW (self), NULL);

  return self->client;
}

/**
 * ad_chat_client_view_get_lines:
 *
 * Returns: (transfer none): the conversation, a list of #AdChatLine
 */
GListModel *
ad_chat_client_view_get_lines (AdChatClientView *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT_VIEW (self), NULL);

  return G_LIST_MODEL (self->lines);
}

/**
 * ad_chat_client_view_get_users:
 *
 * Returns: (transfer none): the nicks in the room, a list of #GtkStringObject
 */
GListModel *
ad_chat_client_view_get_users (AdChatClientView *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT_VIEW (self), NULL);

  return G_LIST_MODEL (self->users);
}

const char *
ad_chat_client_view_get_title (AdChatClientView *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT_VIEW (self), NULL);

  return self->title;
}

/**
 * ad_chat_client_view_get_status:
 *
 * Returns: (nullable): the connection's state as the view shows it
 */
const char *
ad_chat_client_view_get_status (AdChatClientView *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT_VIEW (self), NULL);

  return self->status;
}

gboolean
ad_chat_client_view_get_running (AdChatClientView *self)
{
  g_return_val_if_fail (AD_IS_CHAT_CLIENT_VIEW (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * ad_chat_client_view_set_draft:
 *
 * Puts @text in the entry, as typing it would.
 */
void
ad_chat_client_view_set_draft (AdChatClientView *self,
                               const char       *text)
{
  g_return_if_fail (AD_IS_CHAT_CLIENT_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}
