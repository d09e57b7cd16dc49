/* ad-chat-server-panel.c: the Chat page's server: start and stop it, see
 * who is connected, kick, read its log, and copy the command to join it
 *
 * The panel owns an AdChatServer for as long as it lives, on the main loop
 * like the rest of the GUI: starting is a bind() and listen(), which never
 * block, so it is a plain call; stopping is asynchronous, because the
 * server gives every client up to two seconds to read its goodbye. Start
 * stays disabled until that stop has finished, so a restart never races
 * the old listener.
 *
 * The server writes its clients' lines on one sender thread of its own
 * (its "threads" property), so that a busy room's sends (about 100,000 a
 * second in bench-window) do not take the main loop's time; accepting,
 * reading and the room stay on the main thread, and every signal the
 * panel follows is emitted there. They run in a main context of the
 * server's own, which an AdContextPump runs from the window's loop just
 * below GDK's redraw (as the Crawler page does with its crawl; the guard
 * is on while the server runs): a busy room's reads wait for a due frame.
 * Calls that make the server start or stop something push that context
 * as the thread-default one.
 *
 * The clients table shows the server's own clients model (a GListModel of
 * AdChatConnection) through an AdFrameList, which follows it at most once
 * a frame: 100 clients leaving at once were 100 removals, each a relayout
 * of the table (80 ms in bench-window's "chat 100 leave"). An AdListRamp lets it grow a
 * few rows a frame when a crowd joins an empty room at once (100 clients
 * in 40 ms made 100 rows of six cells in two frames: a 150-290 ms layout). The counters in its rows
 * follow the connections' notify signals, which the server coalesces to a
 * few per second, so a busy room does not redraw the table per byte.
 * The log is an AdLogModel fed from the server's signals, shown by the
 * same AdLogView as every other page's log.
 *
 * Listening on 127.0.0.1 is the default; any other address lets other
 * machines in, which the panel says next to the address entry. A port in
 * use is the common failure: the error says so and suggests 0, which lets
 * the system pick a free port (the join command then shows the real one).
 *
 * Disposing the panel (closing the window) stops the server at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Chat"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-a11y.h"
#include "ad-cell-tooltip.h"
#include "ad-chat-server-panel.h"
#include "ad-frame-list.h"
#include "ad-list-ramp.h"
#include "ad-log-view.h"

/* On the wire, in the kicked client's "*** you were kicked: REASON". The
 * protocol's notices are English: the server cannot know the reader's
 * language. */
#define KICK_REASON "kicked by the server's operator"

/* How long the server's context may wait behind frames (ad-context-pump.c). */
#define SERVER_GUARD_MS 33

struct _AdChatServerPanel
{
  GtkWidget            parent_instance;

  AdChatServer        *server;
  GMainContext        *server_context;    /* the server runs here, pumped below redraw */
  AdContextPump       *pump;              /* unowned: the server's */
  AdLogModel          *log;
  AdFrameList         *clients;           /* the server's, at most once a frame */
  AdListRamp          *ramp;              /* the clients, a few rows a frame */
  GCancellable        *stop_cancellable;  /* non-NULL while stopping */
  guint                state_tick_id;     /* a status update waiting for the next frame */
  char                *error;

  GtkEntry            *address_entry;
  GtkSpinButton       *port_spin;
  GtkWidget           *address_warning;
  GtkLabel            *address_warning_label;
  GtkLabel            *error_label;
  GtkLabel            *status_label;
  GtkLabel            *command_label;
  GtkWidget           *stop_button;
  GtkColumnView       *clients_view;
  GtkColumnViewColumn *nick_column;
  GtkColumnViewColumn *address_column;
  GtkColumnViewColumn *bytes_in_column;
  GtkColumnViewColumn *bytes_out_column;
  GtkColumnViewColumn *queue_column;
  GtkColumnViewColumn *kick_column;
  AdLogView           *log_view;

  /* The nick each connection had, for "A is now known as B": the server
   * has no signal for a new nick, only each connection's notify::nick. */
  GHashTable          *nicks;   /* AdChatConnection (ref) -> char* */
};

G_DEFINE_FINAL_TYPE (AdChatServerPanel, ad_chat_server_panel, GTK_TYPE_WIDGET)

/* ---- the clients table ------------------------------------------------------ */

/* "42 B", "1.2 kB": short enough for a narrow column; the tooltip has
 * the exact count. */
static char *
format_bytes (guint64   bytes,
              char    **tooltip)
{
  *tooltip = g_format_size_full (bytes, G_FORMAT_SIZE_LONG_FORMAT);
  if (bytes < 1000)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);

      /* Translators: a number of bytes, abbreviated, as in "42 B" */
      return g_strdup_printf (C_("bytes", "%s B"), number);
    }

  return g_format_size (bytes);
}

/* Each text cell shows one property of its AdChatConnection and follows
 * its notifications while bound. The text only: a tooltip set on every
 * update would cost an X round trip each (see ad-cell-tooltip.h). */
static void
update_cell (GObject    *item,
             GParamSpec *pspec,
             GtkLabel   *label)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *text = NULL;
  g_autofree char *exact = NULL;

  g_object_get_property (item, pspec->name, &value);
  if (G_VALUE_HOLDS_STRING (&value))
    text = g_value_dup_string (&value);
  else if (G_VALUE_HOLDS_UINT64 (&value))
    text = format_bytes (g_value_get_uint64 (&value), &exact);
  else
    text = g_strdup_printf ("%u", g_value_get_uint (&value));

  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
}

typedef struct
{
  GWeakRef    item;      /* the GtkListItem whose child the label is */
  const char *property;
} BytesTooltip;

static void
bytes_tooltip_free (gpointer data)
{
  BytesTooltip *bt = data;

  g_weak_ref_clear (&bt->item);
  g_free (bt);
}

/* The exact count behind "1.2 kB". */
static char *
bytes_tooltip (GtkWidget *label,
               gpointer   data)
{
  BytesTooltip *bt = data;
  g_autoptr(GtkListItem) item = g_weak_ref_get (&bt->item);
  GObject *conn = item != NULL ? gtk_list_item_get_item (item) : NULL;
  guint64 bytes = 0;

  if (conn == NULL)
    return NULL;

  g_object_get (conn, bt->property, &bytes, NULL);
  return g_format_size_full (bytes, G_FORMAT_SIZE_LONG_FORMAT);
}

static void
setup_text_cell (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 const char               *property)
{
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = !g_str_equal (property, "nick") && !g_str_equal (property, "address");

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (!numeric)
    {
      /* The nick or address may be ellipsized. */
      ad_cell_tooltip_set_full_text (GTK_LABEL (label));
    }
  else if (g_str_has_prefix (property, "bytes-"))
    {
      BytesTooltip *bt = g_new0 (BytesTooltip, 1);

      g_weak_ref_init (&bt->item, item);
      bt->property = property;
      ad_cell_tooltip_set_func (label, bytes_tooltip, bt, bytes_tooltip_free);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_text_cell (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                const char               *property)
{
  GObject *conn = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *detailed = g_strconcat ("notify::", property, NULL);

  update_cell (conn, g_object_class_find_property (G_OBJECT_GET_CLASS (conn), property),
               GTK_LABEL (label));
  g_signal_connect_object (conn, detailed, G_CALLBACK (update_cell), label, 0);
}

static void
unbind_text_cell (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  const char               *property)
{
  GObject *conn = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  if (conn != NULL)
    g_signal_handlers_disconnect_by_func (conn, update_cell, label);
}

static void
setup_kick_cell (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  /* An icon, not the word: the column is narrow (a fixed width keeps the
   * table's layout cheap) and a translated "Kick" would be clipped in it.
   * bind_kick_cell() gives the button its accessible name. */
  GtkWidget *button = gtk_button_new_from_icon_name ("window-close-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Kick: disconnect this client"));
  gtk_list_item_set_child (item, button);
}

static void
bind_kick_cell (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  AdChatConnection *conn = gtk_list_item_get_item (item);
  GtkWidget *button = gtk_list_item_get_child (item);
  g_autofree char *label = NULL;

  /* The target first: an action with a parameter refuses a button
   * without one. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u",
                                    ad_chat_connection_get_id (conn));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "chat-server.kick");
  /* Translators: the accessible name of a Kick button; %s is a nick */
  label = g_strdup_printf (_("Kick %s"), ad_chat_connection_get_nick (conn));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
set_text_factory (GtkColumnViewColumn *column,
                  const char          *property)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_text_cell), (gpointer) property);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_text_cell), (gpointer) property);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_text_cell), (gpointer) property);
  gtk_column_view_column_set_factory (column, factory);
}

/* ---- state -------------------------------------------------------------------- */

static gboolean
address_is_loopback (const char *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

  return inet == NULL || g_inet_address_get_is_loopback (inet);
}

static void
update_address_warning (AdChatServerPanel *self)
{
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_entry));
  gboolean loopback = address_is_loopback (address);

  if (!loopback)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is an IP address such as 0.0.0.0 */
      text = g_strdup_printf (_("Listening on %s lets other machines connect. Only this computer "
                                "can reach 127.0.0.1."), address);
      gtk_label_set_text (self->address_warning_label, text);
    }
  gtk_widget_set_visible (self->address_warning, !loopback);
}

static void
set_error (AdChatServerPanel *self,
           const char        *error)
{
  g_free (self->error);
  self->error = g_strdup (error);
  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

/* The host a client on this machine should connect to. */
char *
ad_chat_server_panel_dup_client_host (AdChatServerPanel *self)
{
  const char *address;
  g_autoptr(GInetAddress) inet = NULL;

  g_return_val_if_fail (AD_IS_CHAT_SERVER_PANEL (self), NULL);

  address = ad_chat_server_get_address (self->server);
  if (address == NULL)
    return g_strdup (AD_CHAT_DEFAULT_ADDRESS);

  /* Listening on every address: join through the loopback one. */
  inet = g_inet_address_new_from_string (address);
  if (inet != NULL && g_inet_address_get_is_any (inet))
    return g_strdup (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 ? "::1"
                                                                             : "127.0.0.1");

  return g_strdup (address);
}

/* Makes a control insensitive, moving the focus out of it first: GTK 4.8
 * does not tell a focused GtkText that it lost the focus that way, and
 * warns at its next event. */
static void
set_control_sensitive (AdChatServerPanel *self,
                       GtkWidget         *control,
                       gboolean           sensitive)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (!sensitive && focus != NULL && (focus == control || gtk_widget_is_ancestor (focus, control)))
    {
      if (!gtk_widget_grab_focus (self->stop_button))
        gtk_root_set_focus (root, NULL);
    }
  gtk_widget_set_sensitive (control, sensitive);
}

static void
update_state (AdChatServerPanel *self)
{
  gboolean running = ad_chat_server_get_running (self->server);
  gboolean stopping = self->stop_cancellable != NULL;
  g_autofree char *status = NULL;
  g_autofree char *command = NULL;

  ad_context_pump_set_guard (self->pump, running || stopping ? SERVER_GUARD_MS : 0);

  if (self->state_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->state_tick_id);
      self->state_tick_id = 0;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat-server.start", !running && !stopping);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat-server.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat-server.copy-command", running);
  set_control_sensitive (self, GTK_WIDGET (self->address_entry), !running && !stopping);
  set_control_sensitive (self, GTK_WIDGET (self->port_spin), !running && !stopping);

  if (running)
    {
      g_autofree char *host = ad_chat_server_panel_dup_client_host (self);
      guint n = ad_chat_server_get_n_clients (self->server);

      /* Translators: %s:%u is an address and a port; the last %u a number of clients */
      status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Listening on %s:%u, %u client",
                                             "Listening on %s:%u, %u clients", n),
                                ad_chat_server_get_address (self->server),
                                ad_chat_server_get_port (self->server), n);
      /* An IPv6 address is fine for nc as it is: it takes host and port
       * as two arguments. */
      command = g_strdup_printf ("nc %s %u", host, ad_chat_server_get_port (self->server));
    }
  else
    {
      status = g_strdup (stopping ? _("Stopping…") : _("Stopped"));
      command = g_strdup (_("Start the server to join it"));
    }

  gtk_label_set_text (self->status_label, status);
  gtk_label_set_text (self->command_label, command);
  gtk_widget_set_sensitive (GTK_WIDGET (self->command_label), running);
}

static gboolean
state_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  AdChatServerPanel *self = AD_CHAT_SERVER_PANEL (widget);

  self->state_tick_id = 0;
  update_state (self);

  return G_SOURCE_REMOVE;
}

/* The number of clients changes once per client: a crowd joining or
 * leaving updates the status line once a frame, not once a client. */
static void
n_clients_changed_cb (AdChatServerPanel *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    update_state (self);
  else if (self->state_tick_id == 0)
    self->state_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), state_tick_cb, NULL,
                                                        NULL);
}

/* ---- the server's signals, into the log ----------------------------------------- */

static void
log_line (AdChatServerPanel *self,
          const char        *message)
{
  ad_log_model_append (self->log, G_LOG_LEVEL_INFO, G_LOG_DOMAIN, message);
}

static void
nick_changed_cb (AdChatConnection  *conn,
                 GParamSpec        *pspec,
                 AdChatServerPanel *self)
{
  const char *old = g_hash_table_lookup (self->nicks, conn);
  const char *nick = ad_chat_connection_get_nick (conn);
  g_autofree char *line = NULL;

  if (g_strcmp0 (old, nick) == 0)
    return;
  /* Translators: the old nick, then the new one */
  line = g_strdup_printf (_("%s is now known as %s"), old, nick);
  log_line (self, line);
  g_hash_table_replace (self->nicks, g_object_ref (conn), g_strdup (nick));
}

static void
client_joined_cb (AdChatServer      *server,
                  AdChatConnection  *conn,
                  AdChatServerPanel *self)
{
  g_autofree char *line = NULL;

  /* Translators: a nick, then an address and port */
  line = g_strdup_printf (_("%s joined from %s"), ad_chat_connection_get_nick (conn),
                          ad_chat_connection_get_address (conn));
  log_line (self, line);
  g_hash_table_replace (self->nicks, g_object_ref (conn),
                        g_strdup (ad_chat_connection_get_nick (conn)));
  g_signal_connect_object (conn, "notify::nick", G_CALLBACK (nick_changed_cb), self, 0);
}

static void
client_left_cb (AdChatServer      *server,
                AdChatConnection  *conn,
                const char        *reason,
                AdChatServerPanel *self)
{
  g_autofree char *line = NULL;

  /* Translators: a nick, then why it left, as the server says it (English) */
  line = g_strdup_printf (_("%s left (%s)"), ad_chat_connection_get_nick (conn), reason);
  log_line (self, line);
  g_signal_handlers_disconnect_by_func (conn, nick_changed_cb, self);
  g_hash_table_remove (self->nicks, conn);
}

static void
message_cb (AdChatServer      *server,
            AdChatConnection  *conn,
            const char        *text,
            gboolean           action,
            AdChatServerPanel *self)
{
  g_autofree char *line = NULL;

  /* The room's own notation, as on the wire. */
  if (action)
    line = g_strdup_printf ("* %s %s", ad_chat_connection_get_nick (conn), text);
  else
    line = g_strdup_printf ("<%s> %s", ad_chat_connection_get_nick (conn), text);
  log_line (self, line);
}

/* ---- actions ------------------------------------------------------------------ */

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AdChatServerPanel *self = AD_CHAT_SERVER_PANEL (widget);
  g_autofree char *address = NULL;
  guint port;
  g_autoptr(GError) error = NULL;
  gboolean started;

  if (ad_chat_server_get_running (self->server) || self->stop_cancellable != NULL)
    return;

  address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_entry))));
  if (address[0] == '\0')
    {
      g_free (address);
      address = g_strdup (AD_CHAT_DEFAULT_ADDRESS);
    }
  gtk_spin_button_update (self->port_spin);
  port = (guint) gtk_spin_button_get_value_as_int (self->port_spin);

  g_main_context_push_thread_default (self->server_context);
  started = ad_chat_server_start (self->server, address, (guint16) port, &error);
  g_main_context_pop_thread_default (self->server_context);
  if (!started)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        /* Translators: %u is a port number */
        message = g_strdup_printf (_("Port %u is already in use. Choose another port, or 0 to "
                                     "let the system pick a free one."), port);
      else
        message = g_strdup_printf (_("Could not start the server: %s"), error->message);
      set_error (self, message);
      log_line (self, message);
      return;
    }

  set_error (self, NULL);
  {
    g_autofree char *line = NULL;

    /* Translators: an address and a port */
    line = g_strdup_printf (_("Listening on %s:%u"), ad_chat_server_get_address (self->server),
                            ad_chat_server_get_port (self->server));
    log_line (self, line);
  }
  update_state (self);
}

static void
stop_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AdChatServerPanel) self = ad_weak_ref_steal (user_data);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;

  ad_chat_server_stop_finish (AD_CHAT_SERVER (source), result, &error);

  /* A panel gone or disposed meanwhile says nothing. */
  if (self == NULL || cancellable != self->stop_cancellable)
    return;

  g_clear_object (&self->stop_cancellable);
  log_line (self, _("Stopped"));
  update_state (self);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AdChatServerPanel *self = AD_CHAT_SERVER_PANEL (widget);

  if (!ad_chat_server_get_running (self->server) || self->stop_cancellable != NULL)
    return;

  log_line (self, _("Stopping: telling every client the server is shutting down"));
  self->stop_cancellable = g_cancellable_new ();
  /* Weak: closing the window while clients read their goodbyes disposes
   * the panel at once, which stops the server without waiting. */
  g_main_context_push_thread_default (self->server_context);
  ad_chat_server_stop_async (self->server, self->stop_cancellable, stop_cb, ad_weak_ref_new (self));
  g_main_context_pop_thread_default (self->server_context);
  update_state (self);
}

static void
copy_command_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AdChatServerPanel *self = AD_CHAT_SERVER_PANEL (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          gtk_label_get_text (self->command_label));
}

static void
kick_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AdChatServerPanel *self = AD_CHAT_SERVER_PANEL (widget);
  GListModel *clients = ad_chat_server_get_clients (self->server);
  guint id = g_variant_get_uint32 (parameter);

  for (guint i = 0; i < g_list_model_get_n_items (clients); i++)
    {
      g_autoptr(AdChatConnection) conn = g_list_model_get_item (clients, i);

      if (ad_chat_connection_get_id (conn) == id)
        {
          g_autofree char *line = NULL;

          /* Translators: %s is a nick */
          line = g_strdup_printf (_("Kicking %s"), ad_chat_connection_get_nick (conn));
          log_line (self, line);
          g_main_context_push_thread_default (self->server_context);
          ad_chat_server_kick (self->server, conn, KICK_REASON);
          g_main_context_pop_thread_default (self->server_context);
          return;
        }
    }
}

/* ---- GObject ------------------------------------------------------------------ */

static void
ad_chat_server_panel_dispose (GObject *object)
{
  AdChatServerPanel *self = (AdChatServerPanel *) object;
  GtkWidget *child;

  if (self->state_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->state_tick_id);
      self->state_tick_id = 0;
    }
  g_main_context_push_thread_default (self->server_context);
  if (self->stop_cancellable != NULL)
    {
      g_cancellable_cancel (self->stop_cancellable);
      g_clear_object (&self->stop_cancellable);
    }
  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      /* The window is closing: no goodbyes to wait for. */
      ad_chat_server_stop (self->server);
      ad_context_pump_set_guard (self->pump, 0);
    }
  g_main_context_pop_thread_default (self->server_context);

  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_CHAT_SERVER_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->ramp);
  g_clear_object (&self->clients);
  /* What the stop left running holds the server, which holds the pump. */
  g_main_context_push_thread_default (self->server_context);
  g_clear_object (&self->server);
  g_main_context_pop_thread_default (self->server_context);
  if (self->nicks != NULL)
    {
      GHashTableIter iter;
      gpointer conn;

      g_hash_table_iter_init (&iter, self->nicks);
      while (g_hash_table_iter_next (&iter, &conn, NULL))
        g_signal_handlers_disconnect_by_func (conn, nick_changed_cb, self);
      g_clear_pointer (&self->nicks, g_hash_table_unref);
    }

  G_OBJECT_CLASS (ad_chat_server_panel_parent_class)->dispose (object);
}

static void
ad_chat_server_panel_finalize (GObject *object)
{
  AdChatServerPanel *self = (AdChatServerPanel *) object;

  g_clear_object (&self->log);
  g_clear_pointer (&self->server_context, g_main_context_unref);
  g_free (self->error);

  G_OBJECT_CLASS (ad_chat_server_panel_parent_class)->finalize (object);
}

static void
ad_chat_server_panel_class_init (AdChatServerPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_chat_server_panel_dispose;
  object_class->finalize = ad_chat_server_panel_finalize;

  g_type_ensure (AD_TYPE_LOG_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ad-chat-server-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, address_entry);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, port_spin);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, address_warning);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, address_warning_label);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, command_label);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, stop_button);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, clients_view);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, nick_column);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, address_column);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, bytes_in_column);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, bytes_out_column);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, queue_column);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, kick_column);
  gtk_widget_class_bind_template_child (widget_class, AdChatServerPanel, log_view);
  gtk_widget_class_bind_template_callback_full (widget_class, "update_address_warning",
                                                G_CALLBACK (update_address_warning));

  gtk_widget_class_install_action (widget_class, "chat-server.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "chat-server.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "chat-server.copy-command", NULL,
                                   copy_command_action);
  gtk_widget_class_install_action (widget_class, "chat-server.kick", "u", kick_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ad_chat_server_panel_init (AdChatServerPanel *self)
{
  g_autoptr(GtkListItemFactory) kick_factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSingleSelection) selection = NULL;

  /* The server takes the thread-default context as it is made. */
  self->server_context = g_main_context_new ();
  g_main_context_push_thread_default (self->server_context);
  self->server = ad_chat_server_new ();
  g_main_context_pop_thread_default (self->server_context);
  self->pump = ad_context_pump_new (self->server_context, NULL, GDK_PRIORITY_REDRAW + 10,
                                    "[async-demo] chat server context pump");
  g_object_set_data_full (G_OBJECT (self->server), "ad-chat-server-panel-pump", self->pump,
                          (GDestroyNotify) ad_context_pump_free);
  self->log = ad_log_model_new (AD_LOG_MODEL_DEFAULT_CAPACITY);
  /* One sender thread writes the clients' lines (ad-chat-server.c): at
   * 1,000 lines/s to 100 clients the sends were half of the main loop's
   * time and made frames late (bench-window, "chat 1000 lines/s"). */
  ad_chat_server_set_threads (self->server, 1);
  self->nicks = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  ad_a11y_fix_names (GTK_WIDGET (self));

  gtk_editable_set_text (GTK_EDITABLE (self->address_entry), AD_CHAT_DEFAULT_ADDRESS);
  gtk_spin_button_set_value (self->port_spin, AD_CHAT_DEFAULT_PORT);

  set_text_factory (self->nick_column, "nick");
  set_text_factory (self->address_column, "address");
  set_text_factory (self->bytes_in_column, "bytes-in");
  set_text_factory (self->bytes_out_column, "bytes-out");
  set_text_factory (self->queue_column, "queue-depth");
  g_signal_connect (kick_factory, "setup", G_CALLBACK (setup_kick_cell), NULL);
  g_signal_connect (kick_factory, "bind", G_CALLBACK (bind_kick_cell), NULL);
  gtk_column_view_column_set_factory (self->kick_column, kick_factory);

  self->clients = ad_frame_list_new (g_object_ref (ad_chat_server_get_clients (self->server)),
                                     GTK_WIDGET (self->clients_view));
  /* A removed row costs the table ~0.15 ms of the frame (GTK 4.8): 100
   * clients leaving together took one 15 ms layout; 12 a frame keep each
   * near 2 ms, and the table is caught up within nine frames. */
  ad_frame_list_set_max_changes (self->clients, 12);
  self->ramp = ad_list_ramp_new (g_object_ref (G_LIST_MODEL (self->clients)),
                                 GTK_WIDGET (self->clients_view));
  selection = gtk_single_selection_new (g_object_ref (ad_list_ramp_get_model (self->ramp)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (self->clients_view, GTK_SELECTION_MODEL (selection));

  ad_log_view_set_model (self->log_view, self->log);
  log_line (self, _("The server is stopped. Press Start to listen."));

  g_signal_connect_swapped (self->server, "notify::running", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->server, "notify::n-clients", G_CALLBACK (n_clients_changed_cb),
                            self);
  g_signal_connect (self->server, "client-joined", G_CALLBACK (client_joined_cb), self);
  g_signal_connect (self->server, "client-left", G_CALLBACK (client_left_cb), self);
  g_signal_connect (self->server, "message", G_CALLBACK (message_cb), self);

  update_address_warning (self);
  set_error (self, NULL);
  update_state (self);
}

/**
 * ad_chat_server_panel_get_server:
 *
 * Returns: (transfer none): the panel's server
 */
AdChatServer *
ad_chat_server_panel_get_server (AdChatServerPanel *self)
{
  g_return_val_if_fail (AD_IS_CHAT_SERVER_PANEL (self), NULL);

  return self->server;
}

/**
 * ad_chat_server_panel_get_log:
 *
 * Returns: (transfer none): the server's log, as the panel shows it
 */
AdLogModel *
ad_chat_server_panel_get_log (AdChatServerPanel *self)
{
  g_return_val_if_fail (AD_IS_CHAT_SERVER_PANEL (self), NULL);

  return self->log;
}

/**
 * ad_chat_server_panel_get_join_command:
 *
 * Returns: the command line shown to join the running server
 */
const char *
ad_chat_server_panel_get_join_command (AdChatServerPanel *self)
{
  g_return_val_if_fail (AD_IS_CHAT_SERVER_PANEL (self), NULL);

  return gtk_label_get_text (self->command_label);
}

/**
 * ad_chat_server_panel_get_error:
 *
 * Returns: (nullable): why the last start failed, as shown
 */
const char *
ad_chat_server_panel_get_error (AdChatServerPanel *self)
{
  g_return_val_if_fail (AD_IS_CHAT_SERVER_PANEL (self), NULL);

  return self->error;
}

/**
 * ad_chat_server_panel_set_port:
 *
 * Sets the port to listen on next, as typing it would.
 */
void
ad_chat_server_panel_set_port (AdChatServerPanel *self,
                               guint              port)
{
  g_return_if_fail (AD_IS_CHAT_SERVER_PANEL (self));
  g_return_if_fail (port <= G_MAXUINT16);

  gtk_spin_button_set_value (self->port_spin, port);
}
