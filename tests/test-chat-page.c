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
#include <string.h>

#include "ad-application.h"
#include "ad-chat-line.h"
#include "ad-chat-page.h"
#include "ad-core.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"
#include "ad-window.h"

static AdApplication *app;

/* A Kick button whose target is the connection id @data points to. */
static gboolean
is_kick_button_for (GtkWidget     *widget,
                    gconstpointer  data)
{
  GVariant *target;

  if (!ad_gui_test_is_button_with_action (widget, "chat-server.kick"))
    return FALSE;
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));

  return target != NULL && g_variant_get_uint32 (target) == *(const guint *) data;
}

static void
click (GtkWidget  *root,
       const char *action)
{
  GtkWidget *button = ad_gui_test_find_button (root, action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
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
  ad_test_wait_until (is_connected (*first) && has_user (*first, "guest-1"), 5000);

  *second = ad_chat_page_add_client (page, "127.0.0.1", ad_chat_server_get_port (server), "bob");
  g_assert_cmpuint (ad_chat_page_get_n_clients (page), ==, 2);
  ad_test_wait_until (is_connected (*second) && has_user (*second, "bob") &&
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
  AdWindow *window = ad_gui_test_open_window (app);
  AdChatPage *page = AD_CHAT_PAGE (ad_gui_test_show_page (window, "chat", "Chat"));
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
  ad_test_wait_until (copied != NULL, 2000);
  g_assert_cmpstr (copied, ==, command);

  open_two_clients (page, server, &first, &second);

  /* Enter in the first tab's entry sends; the second tab reads it. */
  entry = ad_gui_test_find_by_type (GTK_WIDGET (first), GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "hello from the first tab");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (has_line (first, AD_CHAT_LINE_MESSAGE, "guest-1", "hello from the first tab"));
  ad_test_wait_until (has_line (second, AD_CHAT_LINE_MESSAGE, "guest-1",
                                "hello from the first tab"), 5000);

  /* And the server's log has it. */
  ad_test_wait_until (log_has (ad_chat_server_panel_get_log (panel),
                               "<guest-1> hello from the first tab"), 2000);

  /* An action the other way, with the Send button. */
  ad_chat_client_view_set_draft (second, "/me waves");
  notebook = ad_gui_test_find_by_type (GTK_WIDGET (page), GTK_TYPE_NOTEBOOK);
  gtk_notebook_set_current_page (GTK_NOTEBOOK (notebook), 1);
  click (GTK_WIDGET (second), "chat-client.send");
  ad_test_wait_until (has_line (first, AD_CHAT_LINE_ACTION, "bob", "waves"), 5000);

  /* The line is on screen, not only in the model. */
  gtk_notebook_set_current_page (GTK_NOTEBOOK (notebook), 0);
  ad_test_wait_until (ad_gui_test_find_label (GTK_WIDGET (first), "waves") != NULL, 2000);

  /* The clients table shows both nicks. */
  clients_view = ad_gui_test_find_by_type (GTK_WIDGET (panel), GTK_TYPE_COLUMN_VIEW);
  g_assert_nonnull (clients_view);
  ad_test_wait_until (ad_gui_test_find_label (clients_view, "guest-1") != NULL &&
                      ad_gui_test_find_label (clients_view, "bob") != NULL, 2000);

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_kick (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdChatPage *page = AD_CHAT_PAGE (ad_gui_test_show_page (window, "chat", "Chat"));
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
  ad_test_wait_until ((kick_button = ad_gui_test_find_widget (GTK_WIDGET (panel),
                                                             is_kick_button_for, &id)) != NULL,
                      2000);
  g_signal_emit_by_name (kick_button, "clicked");

  ad_test_wait_until (ad_chat_server_get_n_clients (server) == 1, 2000);
  g_assert_null (find_connection (server, "bob"));
  ad_test_wait_until (has_line (first, AD_CHAT_LINE_NOTICE, NULL, "bob left (kicked") &&
                      !has_user (first, "bob"), 5000);
  ad_test_wait_until (!ad_chat_client_view_get_running (second), 5000);
  g_assert_true (has_line (second, AD_CHAT_LINE_NOTICE, NULL, "you were kicked"));
  g_assert_true (g_str_has_prefix (ad_chat_client_view_get_status (second), "Disconnected"));
  ad_test_wait_until (log_has (ad_chat_server_panel_get_log (panel), "Kicking bob"), 2000);

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

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_stop (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdChatPage *page = AD_CHAT_PAGE (ad_gui_test_show_page (window, "chat", "Chat"));
  AdChatServerPanel *panel = ad_chat_page_get_server_panel (page);
  AdChatServer *server = start_server (page);
  AdChatClientView *first, *second;
  GtkWidget *start_button;

  open_two_clients (page, server, &first, &second);

  click (GTK_WIDGET (panel), "chat-server.stop");
  g_assert_false (ad_chat_server_get_running (server));
  start_button = ad_gui_test_find_button (GTK_WIDGET (panel), "chat-server.start");
  /* Start waits for the goodbyes. */
  ad_test_wait_until (gtk_widget_is_sensitive (start_button), 5000);
  g_assert_cmpstr (ad_chat_server_panel_get_join_command (panel), ==,
                   "Start the server to join it");

  /* Both clients were told, and wait to reconnect. */
  ad_test_wait_until (has_line (first, AD_CHAT_LINE_NOTICE, NULL, "server shutting down") &&
                      has_line (second, AD_CHAT_LINE_NOTICE, NULL, "server shutting down"), 5000);
  ad_test_wait_until (ad_chat_client_get_state (ad_chat_client_view_get_client (first)) ==
                      AD_CHAT_CLIENT_WAITING, 5000);
  g_assert_nonnull (strstr (ad_chat_client_view_get_status (first), "Reconnecting in"));
  g_assert_true (ad_chat_client_view_get_running (first));
  g_assert_cmpuint (g_list_model_get_n_items (ad_chat_client_view_get_users (first)), ==, 0);
  ad_test_wait_until (log_has (ad_chat_server_panel_get_log (panel), "Stopped"), 2000);

  ad_gui_test_close_window (GTK_WINDOW (window));
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
  AdWindow *window = ad_gui_test_open_window (app);
  AdChatPage *page = AD_CHAT_PAGE (ad_gui_test_show_page (window, "chat", "Chat"));
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
  ad_test_wait_until (connection != NULL, 5000);
  local = g_socket_connection_get_local_address (connection, NULL);
  address = g_strdup_printf ("%s:%u", loopback_str,
                             g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));

  ad_test_wait_until ((conn = find_connection (server, "guest-1")) != NULL, 5000);
  g_assert_cmpstr (ad_chat_connection_get_address (conn), ==, address);

  clients_view = ad_gui_test_find_by_type (GTK_WIDGET (panel), GTK_TYPE_COLUMN_VIEW);
  ad_test_wait_until (ad_gui_test_find_label (clients_view, "guest-1") != NULL &&
                      ad_gui_test_find_label (clients_view, address) != NULL, 2000);
  {
    g_autofree char *joined = g_strdup_printf ("guest-1 joined from %s", address);

    ad_test_wait_until (log_has (ad_chat_server_panel_get_log (panel), joined), 2000);
  }

  /* Hanging up takes it out of the table. */
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  ad_test_wait_until (ad_chat_server_get_n_clients (server) == 0, 5000);
  ad_test_wait_until (ad_gui_test_find_label (clients_view, "guest-1") == NULL, 2000);

  ad_gui_test_close_window (GTK_WINDOW (window));
}

/* A crowd joining an empty room at once: the clients table grows a few
 * rows a frame (an AdListRamp), never all of them in one frame, whose
 * layout would then make every row at once, and still shows them all. */
#define CROWD 60
#define RAMP_ROWS_PER_FRAME 4  /* ad-list-ramp.c */

typedef struct
{
  GListModel *rows;       /* the clients view's model */
  guint       last;
  guint       max_growth;
  guint       n_frames;
} RowsPerFrame;

static void
rows_after_paint_cb (GdkFrameClock *clock,
                     RowsPerFrame  *rpf)
{
  guint n = g_list_model_get_n_items (rpf->rows);

  if (n > rpf->last)
    rpf->max_growth = MAX (rpf->max_growth, n - rpf->last);
  rpf->last = n;
  rpf->n_frames++;
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *n_changes)
{
  (*n_changes)++;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *n_changes)
{
  (*n_changes)++;
}

static void
test_crowd (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdChatPage *page = AD_CHAT_PAGE (ad_gui_test_show_page (window, "chat", "Chat"));
  AdChatServerPanel *panel = ad_chat_page_get_server_panel (page);
  AdChatServer *server = start_server (page);
  GtkWidget *clients_view = ad_gui_test_find_by_type (GTK_WIDGET (panel), GTK_TYPE_COLUMN_VIEW);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (clients_view);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  GSocketConnection *connections[CROWD] = { NULL };
  RowsPerFrame rpf = { 0 };
  gulong handler, changes_handler, status_handler;
  guint n_changes = 0, n_status_changes = 0;
  g_autofree char *status_text = NULL;
  GtkWidget *status;

  status_text = g_strdup_printf ("Listening on %s:%u, 0 clients",
                                 ad_chat_server_get_address (server),
                                 ad_chat_server_get_port (server));
  status = ad_gui_test_find_label (GTK_WIDGET (panel), status_text);
  g_assert_nonnull (status);
  status_handler = g_signal_connect (status, "notify::label", G_CALLBACK (count_notify_cb),
                                     &n_status_changes);
  rpf.rows = G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (clients_view)));
  g_assert_cmpuint (g_list_model_get_n_items (rpf.rows), ==, 0);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (rows_after_paint_cb), &rpf);
  gdk_frame_clock_begin_updating (clock);

  for (guint i = 0; i < CROWD; i++)
    g_socket_client_connect_to_host_async (client, "127.0.0.1", ad_chat_server_get_port (server),
                                           NULL, connect_cb, &connections[i]);
  ad_test_wait_until (ad_chat_server_get_n_clients (server) == CROWD, 10000);
  ad_test_wait_until (g_list_model_get_n_items (rpf.rows) == CROWD, 10000);
  ad_test_spin (100);

  g_test_message ("%u rows over %u frames, at most %u in one", CROWD, rpf.n_frames,
                  rpf.max_growth);
  g_assert_cmpuint (rpf.max_growth, <=, RAMP_ROWS_PER_FRAME);
  g_assert_cmpuint (rpf.max_growth, >, 0);

  /* The status line counted them once a frame, not once a client. */
  g_free (status_text);
  status_text = g_strdup_printf ("Listening on %s:%u, %u clients",
                                 ad_chat_server_get_address (server),
                                 ad_chat_server_get_port (server), (guint) CROWD);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (status)), ==, status_text);
  g_test_message ("%u clients joined in %u status updates", CROWD, n_status_changes);
  g_assert_cmpuint (n_status_changes, <=, CROWD / 6);
  g_signal_handler_disconnect (status, status_handler);

  /* The crowd leaving at once: the table follows the server at most once
   * a frame (AdFrameList), so its rows go in a few changes, not one
   * relayout per client. */
  changes_handler = g_signal_connect (rpf.rows, "items-changed", G_CALLBACK (count_changes_cb),
                                      &n_changes);
  for (guint i = 0; i < CROWD; i++)
    g_clear_object (&connections[i]);
  ad_test_wait_until (ad_chat_server_get_n_clients (server) == 0, 10000);
  ad_test_wait_until (g_list_model_get_n_items (rpf.rows) == 0, 10000);
  g_test_message ("%u clients left in %u changes of the table", CROWD, n_changes);
  g_assert_cmpuint (n_changes, >, 0);
  g_assert_cmpuint (n_changes, <=, CROWD / 6);
  g_signal_handler_disconnect (rpf.rows, changes_handler);

  gdk_frame_clock_end_updating (clock);
  g_signal_handler_disconnect (clock, handler);

  ad_gui_test_close_window (GTK_WINDOW (window));
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

  window = ad_gui_test_open_window (app);
  page = AD_CHAT_PAGE (ad_gui_test_show_page (window, "chat", "Chat"));
  panel = ad_chat_page_get_server_panel (page);
  server = ad_chat_server_panel_get_server (panel);

  ad_chat_server_panel_set_port (panel, ad_chat_server_get_port (other));
  click (GTK_WIDGET (panel), "chat-server.start");
  g_assert_false (ad_chat_server_get_running (server));
  g_assert_nonnull (ad_chat_server_panel_get_error (panel));
  /* It names the port it could not have, and says how to get a free one. */
  {
    g_autofree char *port_taken = g_strdup_printf ("Port %u is already in use.",
                                                   ad_chat_server_get_port (other));

    g_assert_true (g_str_has_prefix (ad_chat_server_panel_get_error (panel), port_taken));
    g_assert_nonnull (strstr (ad_chat_server_panel_get_error (panel), " 0 "));
  }
  g_assert_nonnull (ad_gui_test_find_label (GTK_WIDGET (panel),
                                            ad_chat_server_panel_get_error (panel)));

  /* Another address than loopback is a choice the panel warns about. */
  {
    GtkWidget *address = ad_gui_test_find_by_type (GTK_WIDGET (panel), GTK_TYPE_ENTRY);
    const char *warning = "Listening on 0.0.0.0 lets other machines connect. Only this "
                          "computer can reach 127.0.0.1.";
    GtkWidget *label;

    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (address)), ==, "127.0.0.1");
    gtk_editable_set_text (GTK_EDITABLE (address), "0.0.0.0");
    label = ad_gui_test_find_label (GTK_WIDGET (panel), warning);
    g_assert_nonnull (label);
    g_assert_true (gtk_widget_is_visible (label));
    gtk_editable_set_text (GTK_EDITABLE (address), "127.0.0.1");
    g_assert_false (gtk_widget_is_visible (label));
  }

  /* Port 0 then works, and the error goes. */
  start_server (page);

  ad_gui_test_close_window (GTK_WINDOW (window));
  ad_chat_server_stop (other);
}

static void
test_close_while_running (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdChatPage *page = AD_CHAT_PAGE (ad_gui_test_show_page (window, "chat", "Chat"));
  AdChatServer *server = g_object_ref (start_server (page));
  AdChatClientView *first, *second;

  /* The page's server writes on a sender thread: closing the window must
   * stop it too, with clients connected. */
  g_assert_cmpuint (ad_chat_server_get_threads (server), ==, 1);
  open_two_clients (page, server, &first, &second);

  /* Closing the window stops the server and ends every client; nothing
   * keeps the window, the page or the server alive. */
  ad_gui_test_close_window (GTK_WINDOW (window));
  g_assert_false (ad_chat_server_get_running (server));
  g_assert_cmpuint (ad_chat_server_get_n_clients (server), ==, 0);
  ad_test_spin (100);
  g_assert_finalize_object (server);
}

static void
test_german (void)
{
  g_autofree char *old_language = NULL;
  AdWindow *window;
  AdChatPage *page;
  GtkWidget *start_button;

  old_language = ad_gui_test_set_language ("de");

  window = ad_gui_test_open_window (app);
  page = AD_CHAT_PAGE (ad_gui_test_show_page (window, "chat", "Chat"));
  start_button = ad_gui_test_find_button (GTK_WIDGET (page), "chat-server.start");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (start_button)), ==, "_Starten");
  g_assert_nonnull (ad_gui_test_find_label (GTK_WIDGET (page), "Verbundene Clients"));
  ad_gui_test_close_window (GTK_WINDOW (window));
  ad_gui_test_restore_language (g_steal_pointer (&old_language));
}

int
main (int   argc,
      char *argv[])
{
  app = ad_gui_test_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add_func ("/chat-page/talk", test_talk);
  g_test_add_func ("/chat-page/kick", test_kick);
  g_test_add_func ("/chat-page/stop", test_stop);
  g_test_add_func ("/chat-page/raw-client", test_raw_client);
  g_test_add_func ("/chat-page/crowd", test_crowd);
  g_test_add_func ("/chat-page/port-in-use", test_port_in_use);
  g_test_add_func ("/chat-page/close-while-running", test_close_while_running);
  g_test_add_func ("/chat-page/german", test_german);

  return ad_gui_test_run (&app);
}
