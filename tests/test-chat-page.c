/* test-chat-page.c: the Chat page in the real window under a real display
 *
 * Each test starts the page's server on a free port (0) and drives the
 * page as a user would: buttons and actions, real sockets on 127.0.0.1,
 * the real main loop. Conditions are awaited, never slept on, with
 * generous bounds (the machine is small and shared).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "ad-application.h"
#include "ad-chat-line.h"
#include "ad-chat-page.h"
#include "ad-core.h"
#include "ad-test-utils.h"
#include "ad-window.h"

static AdApplication *app;

/* Waits until @cond holds, iterating the main context; fails the test
 * after @ms milliseconds (ten times that under valgrind). */
#define wait_until(cond, ms) \
  G_STMT_START { \
    gint64 end_ = g_get_monotonic_time () + \
                  (gint64) (ms) * 1000 * (g_getenv ("AD_TEST_SLOW") != NULL ? 10 : 1); \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > end_) \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond); \
        ad_test_spin (10); \
      } \
  } G_STMT_END

typedef gboolean (*WidgetPredicate) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget       *root,
             WidgetPredicate  predicate,
             gconstpointer    data)
{
  if (predicate (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, predicate, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_button_with_action (GtkWidget     *widget,
                       gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

/* A Kick button whose target is the connection id @data points to. */
static gboolean
is_kick_button_for (GtkWidget     *widget,
                    gconstpointer  data)
{
  GVariant *target;

  if (!is_button_with_action (widget, "chat-server.kick"))
    return FALSE;
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));

  return target != NULL && g_variant_get_uint32 (target) == *(const guint *) data;
}

static void
click (GtkWidget  *root,
       const char *action)
{
  GtkWidget *button = find_widget (root, is_button_with_action, action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static AdWindow *
open_window (void)
{
  AdWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = AD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  ad_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (window)) && gtk_widget_get_width (GTK_WIDGET (window)) > 0, 5000);

  return window;
}

static void
close_window (AdWindow *window)
{
  g_autoptr(GObject) ref = g_object_ref (G_OBJECT (window));

  gtk_window_close (GTK_WINDOW (window));
  ad_test_spin (50);
  g_assert_finalize_object (g_steal_pointer (&ref));
}

static AdChatPage *
show_chat_page (AdWindow *window)
{
  GtkStack *stack = ad_window_get_stack (window);
  GtkWidget *page = gtk_stack_get_child_by_name (stack, "chat");

  g_assert_nonnull (page);
  g_assert_cmpstr (gtk_stack_page_get_title (gtk_stack_get_page (stack, page)), ==, "Chat");
  gtk_stack_set_visible_child (stack, page);
  ad_test_wait_until (gtk_widget_get_mapped (page), 5000);

  return AD_CHAT_PAGE (page);
}

/* Starts the page's server on a free port, with the Start button. */
static AdChatServer *
start_server (AdChatPage *page)
{
  AdChatServerPanel *panel = ad_chat_page_get_server_panel (page);
  AdChatServer *server = ad_chat_server_panel_get_server (panel);

  ad_chat_server_panel_set_port (panel, 0);
  click (GTK_WIDGET (panel), "chat-server.start");
  g_assert_true (ad_chat_server_get_running (server));
  g_assert_cmpuint (ad_chat_server_get_port (server), >, 0);
  g_assert_null (ad_chat_server_panel_get_error (panel));

  return server;
}

static gboolean
has_line (AdChatClientView *view,
          AdChatLineKind    kind,
          const char       *nick,
          const char       *text)
{
  GListModel *lines = ad_chat_client_view_get_lines (view);

  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(AdChatLine) line = g_list_model_get_item (lines, i);

      if (ad_chat_line_get_kind (line) == kind &&
          (nick == NULL || g_strcmp0 (ad_chat_line_get_nick (line), nick) == 0) &&
          g_str_has_prefix (ad_chat_line_get_text (line), text))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_user (AdChatClientView *view,
          const char       *nick)
{
  GListModel *users = ad_chat_client_view_get_users (view);

  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    {
      g_autoptr(GtkStringObject) user = g_list_model_get_item (users, i);

      if (g_strcmp0 (gtk_string_object_get_string (user), nick) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
log_has (AdLogModel *log,
         const char *message)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(AdLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (g_strcmp0 (ad_log_entry_get_message (entry), message) == 0)
        return TRUE;
    }

  return FALSE;
}

static AdChatConnection *
find_connection (AdChatServer *server,
                 const char   *nick)
{
  GListModel *clients = ad_chat_server_get_clients (server);

  for (guint i = 0; i < g_list_model_get_n_items (clients); i++)
    {
      g_autoptr(AdChatConnection) conn = g_list_model_get_item (clients, i);

      if (g_strcmp0 (ad_chat_connection_get_nick (conn), nick) == 0)
        return conn;  /* the server's model keeps it alive */
    }

  return NULL;
}

static gboolean
is_connected (AdChatClientView *view)
{
  return ad_chat_client_get_state (ad_chat_client_view_get_client (view)) ==
         AD_CHAT_CLIENT_CONNECTED;
}

/* Two clients in the room, each seeing both: the first opened with the
 * New Client button (its fields follow the server), the second as "bob". */
static void
open_two_clients (AdChatPage        *page,
                  AdChatServer      *server,
                  AdChatClientView **first,
                  AdChatClientView **second)
{
  click (GTK_WIDGET (page), "chat.new-client");
  g_assert_cmpuint (ad_chat_page_get_n_clients (page), ==, 1);
  *first = ad_chat_page_get_client (page, 0);
  g_assert_cmpuint (ad_chat_client_get_port (ad_chat_client_view_get_client (*first)), ==,
                    ad_chat_server_get_port (server));
  wait_until (is_connected (*first) && has_user (*first, "guest-1"), 5000);

  *second = ad_chat_page_add_client (page, "127.0.0.1", ad_chat_server_get_port (server), "bob");
  g_assert_cmpuint (ad_chat_page_get_n_clients (page), ==, 2);
  wait_until (is_connected (*second) && has_user (*second, "bob") &&
              has_user (*second, "guest-1") && has_user (*first, "bob"), 5000);
  g_assert_cmpuint (g_list_model_get_n_items (ad_chat_client_view_get_users (*first)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (ad_chat_client_view_get_users (*second)), ==, 2);
  g_assert_cmpstr (ad_chat_client_view_get_title (*second), ==, "bob");
  g_assert_cmpuint (ad_chat_server_get_n_clients (server), ==, 2);
}

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static void
test_talk (void)
{
  AdWindow *window = open_window ();
  AdChatPage *page = show_chat_page (window);
  AdChatServerPanel *panel = ad_chat_page_get_server_panel (page);
  AdChatServer *server = start_server (page);
  AdChatClientView *first, *second;
  g_autofree char *command = g_strdup_printf ("nc 127.0.0.1 %u", ad_chat_server_get_port (server));
  g_autofree char *copied = NULL;
  GtkWidget *entry;
  GtkWidget *notebook;
  GtkWidget *clients_view;

  /* The join command shows the real port, and Copy copies it. */
  g_assert_cmpstr (ad_chat_server_panel_get_join_command (panel), ==, command);
  click (GTK_WIDGET (panel), "chat-server.copy-command");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (panel)), NULL,
                                 clipboard_read_cb, &copied);
  wait_until (copied != NULL, 2000);
  g_assert_cmpstr (copied, ==, command);

  open_two_clients (page, server, &first, &second);

  /* Enter in the first tab's entry sends; the second tab reads it. */
  entry = find_widget (GTK_WIDGET (first), is_type, GSIZE_TO_POINTER (GTK_TYPE_ENTRY));
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "hello from the first tab");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (has_line (first, AD_CHAT_LINE_MESSAGE, "guest-1", "hello from the first tab"));
  wait_until (has_line (second, AD_CHAT_LINE_MESSAGE, "guest-1", "hello from the first tab"),
              5000);

  /* And the server's log has it. */
  wait_until (log_has (ad_chat_server_panel_get_log (panel), "<guest-1> hello from the first tab"),
              2000);

  /* An action the other way, with the Send button. */
  ad_chat_client_view_set_draft (second, "/me waves");
  notebook = find_widget (GTK_WIDGET (page), is_type, GSIZE_TO_POINTER (GTK_TYPE_NOTEBOOK));
  gtk_notebook_set_current_page (GTK_NOTEBOOK (notebook), 1);
  click (GTK_WIDGET (second), "chat-client.send");
  wait_until (has_line (first, AD_CHAT_LINE_ACTION, "bob", "waves"), 5000);

  /* The line is on screen, not only in the model. */
  gtk_notebook_set_current_page (GTK_NOTEBOOK (notebook), 0);
  wait_until (find_widget (GTK_WIDGET (first), is_label_with_text, "waves") != NULL, 2000);

  /* The clients table shows both nicks. */
  clients_view = find_widget (GTK_WIDGET (panel), is_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
  g_assert_nonnull (clients_view);
  wait_until (find_widget (clients_view, is_label_with_text, "guest-1") != NULL &&
              find_widget (clients_view, is_label_with_text, "bob") != NULL, 2000);

  close_window (window);
}

static void
test_kick (void)
{
  AdWindow *window = open_window ();
  AdChatPage *page = show_chat_page (window);
  AdChatServerPanel *panel = ad_chat_page_get_server_panel (page);
  AdChatServer *server = start_server (page);
  AdChatClientView *first, *second;
  AdChatConnection *bob;
  GtkWidget *kick_button;
  guint id;

  open_two_clients (page, server, &first, &second);
  /* No reconnecting: bob stays out once kicked. */
  ad_chat_client_set_reconnect (ad_chat_client_view_get_client (second), FALSE);

  bob = find_connection (server, "bob");
  g_assert_nonnull (bob);
  id = ad_chat_connection_get_id (bob);
  wait_until ((kick_button = find_widget (GTK_WIDGET (panel), is_kick_button_for, &id)) != NULL,
              2000);
  g_signal_emit_by_name (kick_button, "clicked");

  wait_until (ad_chat_server_get_n_clients (server) == 1, 2000);
  g_assert_null (find_connection (server, "bob"));
  wait_until (has_line (first, AD_CHAT_LINE_NOTICE, NULL, "bob left (kicked") &&
              !has_user (first, "bob"), 5000);
  wait_until (!ad_chat_client_view_get_running (second), 5000);
  g_assert_true (has_line (second, AD_CHAT_LINE_NOTICE, NULL, "you were kicked"));
  g_assert_true (g_str_has_prefix (ad_chat_client_view_get_status (second), "Disconnected"));
  wait_until (log_has (ad_chat_server_panel_get_log (panel), "Kicking bob"), 2000);

  /* Closing the tab ends it. */
  click (GTK_WIDGET (second), "chat-client.reconnect");
  g_assert_true (ad_chat_client_view_get_running (second));
  {
    g_autoptr(GObject) ref = g_object_ref (G_OBJECT (second));

    gtk_widget_activate_action (GTK_WIDGET (second), "chat-client.close", NULL);
    g_assert_cmpuint (ad_chat_page_get_n_clients (page), ==, 1);
    /* Only ours is left: nothing keeps a closed tab alive. */
    g_assert_cmpuint (G_OBJECT (ref)->ref_count, ==, 1);
    g_assert_finalize_object (g_steal_pointer (&ref));
  }

  close_window (window);
}

static void
test_stop (void)
{
  AdWindow *window = open_window ();
  AdChatPage *page = show_chat_page (window);
  AdChatServerPanel *panel = ad_chat_page_get_server_panel (page);
  AdChatServer *server = start_server (page);
  AdChatClientView *first, *second;
  GtkWidget *start_button;

  open_two_clients (page, server, &first, &second);

  click (GTK_WIDGET (panel), "chat-server.stop");
  g_assert_false (ad_chat_server_get_running (server));
  start_button = find_widget (GTK_WIDGET (panel), is_button_with_action, "chat-server.start");
  /* Start waits for the goodbyes. */
  wait_until (gtk_widget_is_sensitive (start_button), 5000);
  g_assert_cmpstr (ad_chat_server_panel_get_join_command (panel), ==,
                   "Start the server to join it");

  /* Both clients were told, and wait to reconnect. */
  wait_until (has_line (first, AD_CHAT_LINE_NOTICE, NULL, "server shutting down") &&
              has_line (second, AD_CHAT_LINE_NOTICE, NULL, "server shutting down"), 5000);
  wait_until (ad_chat_client_get_state (ad_chat_client_view_get_client (first)) ==
              AD_CHAT_CLIENT_WAITING, 5000);
  g_assert_nonnull (strstr (ad_chat_client_view_get_status (first), "Reconnecting in"));
  g_assert_true (ad_chat_client_view_get_running (first));
  g_assert_cmpuint (g_list_model_get_n_items (ad_chat_client_view_get_users (first)), ==, 0);
  wait_until (log_has (ad_chat_server_panel_get_log (panel), "Stopped"), 2000);

  close_window (window);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GSocketConnection **connection = user_data;

  *connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, NULL);
  g_assert_nonnull (*connection);
}

static void
test_raw_client (void)
{
  AdWindow *window = open_window ();
  AdChatPage *page = show_chat_page (window);
  AdChatServerPanel *panel = ad_chat_page_get_server_panel (page);
  AdChatServer *server = start_server (page);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autofree char *address = NULL;
  g_autofree char *loopback_str = g_inet_address_to_string (loopback);
  AdChatConnection *conn;
  GtkWidget *clients_view;

  /* What `nc 127.0.0.1 PORT` does. */
  g_socket_client_connect_to_host_async (client, "127.0.0.1", ad_chat_server_get_port (server),
                                         NULL, connect_cb, &connection);
  wait_until (connection != NULL, 5000);
  local = g_socket_connection_get_local_address (connection, NULL);
  address = g_strdup_printf ("%s:%u", loopback_str,
                             g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));

  wait_until ((conn = find_connection (server, "guest-1")) != NULL, 5000);
  g_assert_cmpstr (ad_chat_connection_get_address (conn), ==, address);

  clients_view = find_widget (GTK_WIDGET (panel), is_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
  wait_until (find_widget (clients_view, is_label_with_text, "guest-1") != NULL &&
              find_widget (clients_view, is_label_with_text, address) != NULL, 2000);
  {
    g_autofree char *joined = g_strdup_printf ("guest-1 joined from %s", address);

    wait_until (log_has (ad_chat_server_panel_get_log (panel), joined), 2000);
  }

  /* Hanging up takes it out of the table. */
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  wait_until (ad_chat_server_get_n_clients (server) == 0, 5000);
  wait_until (find_widget (clients_view, is_label_with_text, "guest-1") == NULL, 2000);

  close_window (window);
}

static void
test_port_in_use (void)
{
  g_autoptr(AdChatServer) other = ad_chat_server_new ();
  AdWindow *window;
  AdChatPage *page;
  AdChatServerPanel *panel;
  AdChatServer *server;
  g_autoptr(GError) error = NULL;

  g_assert_true (ad_chat_server_start (other, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  window = open_window ();
  page = show_chat_page (window);
  panel = ad_chat_page_get_server_panel (page);
  server = ad_chat_server_panel_get_server (panel);

  ad_chat_server_panel_set_port (panel, ad_chat_server_get_port (other));
  click (GTK_WIDGET (panel), "chat-server.start");
  g_assert_false (ad_chat_server_get_running (server));
  g_assert_nonnull (ad_chat_server_panel_get_error (panel));
  g_assert_nonnull (strstr (ad_chat_server_panel_get_error (panel), "already in use"));
  g_assert_nonnull (strstr (ad_chat_server_panel_get_error (panel), "0"));
  g_assert_nonnull (find_widget (GTK_WIDGET (panel), is_label_with_text,
                                 ad_chat_server_panel_get_error (panel)));

  /* Another address than loopback is a choice the panel warns about. */
  {
    GtkWidget *address = find_widget (GTK_WIDGET (panel), is_type,
                                      GSIZE_TO_POINTER (GTK_TYPE_ENTRY));
    const char *warning = "Listening on 0.0.0.0 lets other machines connect. Only this "
                          "computer can reach 127.0.0.1.";
    GtkWidget *label;

    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (address)), ==, "127.0.0.1");
    gtk_editable_set_text (GTK_EDITABLE (address), "0.0.0.0");
    label = find_widget (GTK_WIDGET (panel), is_label_with_text, warning);
    g_assert_nonnull (label);
    g_assert_true (gtk_widget_is_visible (label));
    gtk_editable_set_text (GTK_EDITABLE (address), "127.0.0.1");
    g_assert_false (gtk_widget_is_visible (label));
  }

  /* Port 0 then works, and the error goes. */
  start_server (page);

  close_window (window);
  ad_chat_server_stop (other);
}

static void
test_close_while_running (void)
{
  AdWindow *window = open_window ();
  AdChatPage *page = show_chat_page (window);
  AdChatServer *server = g_object_ref (start_server (page));
  AdChatClientView *first, *second;

  open_two_clients (page, server, &first, &second);

  /* Closing the window stops the server and ends every client; nothing
   * keeps the window, the page or the server alive. */
  close_window (window);
  g_assert_false (ad_chat_server_get_running (server));
  g_assert_cmpuint (ad_chat_server_get_n_clients (server), ==, 0);
  ad_test_spin (100);
  g_assert_finalize_object (server);
}

static void
test_german (void)
{
  g_autofree char *old_language = g_strdup (g_getenv ("LANGUAGE"));
  AdWindow *window;
  AdChatPage *page;
  GtkWidget *start_button;

  g_setenv ("LANGUAGE", "de", TRUE);

  window = open_window ();
  page = show_chat_page (window);
  start_button = find_widget (GTK_WIDGET (page), is_button_with_action, "chat-server.start");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (start_button)), ==, "_Starten");
  g_assert_nonnull (find_widget (GTK_WIDGET (page), is_label_with_text, "Verbundene Clients"));
  close_window (window);

  if (old_language != NULL)
    g_setenv ("LANGUAGE", old_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  setlocale (LC_ALL, "");
  ad_core_init ();
  bindtextdomain (GETTEXT_PACKAGE, AD_TEST_LOCALEDIR);
  textdomain (GETTEXT_PACKAGE);

  ad_test_keep_glib_quark_block ();
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: GUI tests not registered");
      return g_test_run ();
    }

  app = g_object_new (AD_TYPE_APPLICATION,
                      "application-id", APP_ID,
                      "flags", G_APPLICATION_NON_UNIQUE,
                      "resource-base-path", RESOURCE_BASE,
                      NULL);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/chat-page/talk", test_talk);
  g_test_add_func ("/chat-page/kick", test_kick);
  g_test_add_func ("/chat-page/stop", test_stop);
  g_test_add_func ("/chat-page/raw-client", test_raw_client);
  g_test_add_func ("/chat-page/port-in-use", test_port_in_use);
  g_test_add_func ("/chat-page/close-while-running", test_close_while_running);
  g_test_add_func ("/chat-page/german", test_german);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);

  return ret;
}
