/* ad-chat-page.c: the Chat page: a chat server beside any number of chat
 * clients, so that one window shows both ends of every line
 *
 * The server panel (AdChatServerPanel) runs the built-in server; each tab
 * of the notebook is a client (AdChatClientView) that connects to any
 * host and port, the built-in server's by default: when it starts, the
 * "New Client" fields take its address and port. Two tabs talk to each
 * other through the server exactly as two terminals running `nc` would,
 * and a terminal can join the same room with the command the server panel
 * shows.
 *
 * Everything runs on the main loop without blocking; the page owns no
 * cancellable of its own, because each panel and tab owns its work and
 * cancels it when disposed: closing the window stops the server and ends
 * every client.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Chat"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ad-a11y.h"
#include "ad-chat-page.h"

struct _AdChatPage
{
  GtkWidget          parent_instance;

  AdChatServerPanel *server_panel;
  GtkEntry          *host_entry;
  GtkSpinButton     *port_spin;
  GtkEntry          *nick_entry;
  GtkStack          *clients_stack;
  GtkNotebook       *notebook;
};

G_DEFINE_FINAL_TYPE (AdChatPage, ad_chat_page, GTK_TYPE_WIDGET)

static void
update_clients_stack (AdChatPage *self)
{
  gtk_stack_set_visible_child_name (self->clients_stack,
                                    gtk_notebook_get_n_pages (self->notebook) > 0 ? "tabs"
                                                                                  : "empty");
}

/* New clients join the built-in server by default, wherever it listens. */
static void
server_running_cb (AdChatServer *server,
                   GParamSpec   *pspec,
                   AdChatPage   *self)
{
  g_autofree char *host = NULL;

  if (!ad_chat_server_get_running (server))
    return;

  host = ad_chat_server_panel_dup_client_host (self->server_panel);
  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), host);
  gtk_spin_button_set_value (self->port_spin, ad_chat_server_get_port (server));
}

/* Folded (a phone), from the server to the clients and back. */
static void
ad_chat_page_show_next (GtkWidget *button)
{
  GtkWidget *leaflet = gtk_widget_get_ancestor (button, ADW_TYPE_LEAFLET);

  adw_leaflet_navigate (ADW_LEAFLET (leaflet), ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
ad_chat_page_show_previous (GtkWidget *button)
{
  GtkWidget *leaflet = gtk_widget_get_ancestor (button, ADW_TYPE_LEAFLET);

  adw_leaflet_navigate (ADW_LEAFLET (leaflet), ADW_NAVIGATION_DIRECTION_BACK);
}

static void
client_close_cb (AdChatClientView *view,
                 AdChatPage       *self)
{
  int page = gtk_notebook_page_num (self->notebook, GTK_WIDGET (view));

  if (page >= 0)
    gtk_notebook_remove_page (self->notebook, page);
  update_clients_stack (self);
}

static void
tab_close_clicked_cb (AdChatClientView *view)
{
  gtk_widget_activate_action (GTK_WIDGET (view), "chat-client.close", NULL);
}

static GtkWidget *
tab_label_new (AdChatClientView *view)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic");

  g_object_bind_property (view, "title", label, "label", G_BINDING_SYNC_CREATE);
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_add_css_class (close, "circular");
  gtk_widget_set_tooltip_text (close, _("Close this client"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Close this client"), -1);
  g_signal_connect_object (close, "clicked", G_CALLBACK (tab_close_clicked_cb), view,
                           G_CONNECT_SWAPPED);

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), close);

  return box;
}

static void
new_client_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AdChatPage *self = AD_CHAT_PAGE (widget);
  g_autofree char *host = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_entry)));
  g_autofree char *nick = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->nick_entry)));
  AdChatClientView *view;
  guint port;

  g_strstrip (host);
  g_strstrip (nick);

  gtk_spin_button_update (self->port_spin);
  port = (guint) gtk_spin_button_get_value_as_int (self->port_spin);

  view = ad_chat_page_add_client (self, host[0] != '\0' ? host : AD_CHAT_DEFAULT_ADDRESS,
                                  (guint16) port, nick);
  gtk_widget_grab_focus (GTK_WIDGET (view));
}

static void
ad_chat_page_dispose (GObject *object)
{
  AdChatPage *self = (AdChatPage *) object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_CHAT_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ad_chat_page_parent_class)->dispose (object);
}

static void
ad_chat_page_class_init (AdChatPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_chat_page_dispose;

  g_type_ensure (AD_TYPE_CHAT_SERVER_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ad-chat-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AdChatPage, server_panel);
  gtk_widget_class_bind_template_child (widget_class, AdChatPage, host_entry);
  gtk_widget_class_bind_template_child (widget_class, AdChatPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, AdChatPage, nick_entry);
  gtk_widget_class_bind_template_child (widget_class, AdChatPage, clients_stack);
  gtk_widget_class_bind_template_child (widget_class, AdChatPage, notebook);
  gtk_widget_class_bind_template_callback (widget_class, ad_chat_page_show_next);
  gtk_widget_class_bind_template_callback (widget_class, ad_chat_page_show_previous);

  gtk_widget_class_install_action (widget_class, "chat.new-client", NULL, new_client_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ad_chat_page_init (AdChatPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ad_a11y_fix_names (GTK_WIDGET (self));

  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), AD_CHAT_DEFAULT_ADDRESS);
  gtk_spin_button_set_value (self->port_spin, AD_CHAT_DEFAULT_PORT);
  g_signal_connect_object (ad_chat_server_panel_get_server (self->server_panel),
                           "notify::running", G_CALLBACK (server_running_cb), self, 0);
  update_clients_stack (self);
}

/**
 * ad_chat_page_get_server_panel:
 *
 * Returns: (transfer none): the built-in server's panel
 */
AdChatServerPanel *
ad_chat_page_get_server_panel (AdChatPage *self)
{
  g_return_val_if_fail (AD_IS_CHAT_PAGE (self), NULL);

  return self->server_panel;
}

/**
 * ad_chat_page_add_client:
 * @host: a host name or address
 * @port: a port
 * @nick: (nullable): the nick to ask for
 *
 * Opens a client in a new tab and shows it; it connects at once.
 *
 * Returns: (transfer none): the client's view
 */
AdChatClientView *
ad_chat_page_add_client (AdChatPage *self,
                         const char *host,
                         guint16     port,
                         const char *nick)
{
  AdChatClientView *view;
  int page;

  g_return_val_if_fail (AD_IS_CHAT_PAGE (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port > 0, NULL);

  view = ad_chat_client_view_new (host, port, nick);
  g_signal_connect_object (view, "close", G_CALLBACK (client_close_cb), self, 0);
  page = gtk_notebook_append_page (self->notebook, GTK_WIDGET (view), tab_label_new (view));
  gtk_notebook_set_tab_reorderable (self->notebook, GTK_WIDGET (view), TRUE);
  gtk_notebook_set_current_page (self->notebook, page);
  update_clients_stack (self);

  return view;
}

guint
ad_chat_page_get_n_clients (AdChatPage *self)
{
  g_return_val_if_fail (AD_IS_CHAT_PAGE (self), 0);

  return (guint) gtk_notebook_get_n_pages (self->notebook);
}

/**
 * ad_chat_page_get_client:
 * @index: a tab's position
 *
 * Returns: (transfer none) (nullable): the client in that tab
 */
AdChatClientView *
ad_chat_page_get_client (AdChatPage *self,
                         guint       index)
{
  GtkWidget *child;

  g_return_val_if_fail (AD_IS_CHAT_PAGE (self), NULL);

  child = gtk_notebook_get_nth_page (self->notebook, (int) index);

  return child != NULL ? AD_CHAT_CLIENT_VIEW (child) : NULL;
}
