/* ad-cmd-chat-server.c: `async-demo chat-server`, the chat server headless
 *
 * Serves until SIGINT or SIGTERM, then shuts down politely: every client
 * reads "server shutting down" before its connection closes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "ad-cli-private.h"
#include "ad-core.h"

static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CliRun *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!ad_chat_server_stop_finish (AD_CHAT_SERVER (source), result, &error))
    g_debug ("stop: %s", error->message);

  run->status = EXIT_CANCELLED;
  g_main_loop_quit (run->loop);
}

/* What Ctrl+C needs: the server to stop, and the run to end. */
typedef struct
{
  CliRun       *run;
  AdChatServer *server;
} Interrupt;

static void
interrupted_cb (GCancellable *cancellable,
                gpointer      user_data)
{
  Interrupt *interrupt = user_data;

  /* A second Ctrl+C while stopping changes nothing: the grace period is short. */
  if (ad_chat_server_get_running (interrupt->server))
    ad_chat_server_stop_async (interrupt->server, NULL, stopped_cb, interrupt->run);
}

static void
print_event (CliRun     *run,
             const char *type,
             const char *nick,
             const char *detail)
{
  if (run->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, type);
      json_builder_set_member_name (builder, "nick");
      json_builder_add_string_value (builder, nick);
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, detail);
      json_builder_end_object (builder);
      ad_cli_print_json (builder);
    }
  else if (g_str_equal (type, "joined"))
    g_print (_("%s joined from %s\n"), nick, detail);
  else
    g_print (_("%s left (%s)\n"), nick, detail);
  fflush (stdout);
}

static void
joined_cb (AdChatServer     *server,
           AdChatConnection *conn,
           CliRun           *run)
{
  print_event (run, "joined", ad_chat_connection_get_nick (conn),
               ad_chat_connection_get_address (conn));
}

static void
left_cb (AdChatServer     *server,
         AdChatConnection *conn,
         const char       *reason,
         CliRun           *run)
{
  print_event (run, "left", ad_chat_connection_get_nick (conn), reason);
}

int
ad_cmd_chat_server (int    argc,
                    char **argv)
{
  g_autofree char *bind = NULL;
  int port = AD_CHAT_DEFAULT_PORT;
  int max_clients = AD_CHAT_SERVER_DEFAULT_MAX_CLIENTS;
  double rate_limit = AD_CHAT_SERVER_DEFAULT_RATE_LIMIT;
  int idle_timeout = AD_CHAT_SERVER_DEFAULT_IDLE_TIMEOUT;
  int line_timeout = AD_CHAT_SERVER_DEFAULT_LINE_TIMEOUT;
  int history = AD_CHAT_SERVER_DEFAULT_HISTORY_LENGTH;
  int threads = 0;
  gboolean quiet = FALSE;
  gboolean verbose = FALSE;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "bind", 'b', 0, G_OPTION_ARG_STRING, &bind,
      N_("The address to listen on (default 127.0.0.1: this machine only)"), N_("ADDR") },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_("The TCP port (default 8888; 0 picks a free one)"), N_("PORT") },
    { "max-clients", 'm', 0, G_OPTION_ARG_INT, &max_clients,
      N_("How many clients may be connected at once (default 1000)"), N_("N") },
    { "rate-limit", 0, 0, G_OPTION_ARG_DOUBLE, &rate_limit,
      N_("Lines per second each client may send (default 10; 0 for no limit)"), N_("RATE") },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      N_("Disconnect clients silent for this many seconds (default 600; 0 never)"),
      N_("SECONDS") },
    { "line-timeout", 0, 0, G_OPTION_ARG_INT, &line_timeout,
      N_("Disconnect clients that take longer to finish a line (default 10; 0 never)"),
      N_("SECONDS") },
    { "history", 0, 0, G_OPTION_ARG_INT, &history,
      N_("How many messages newcomers see (default 20)"), N_("N") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads,
      N_("Threads that write to the clients (default 0: the main thread serves them all)"),
      N_("N") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("Do not announce joins, leaves and nick changes to the room"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_("Print joins and leaves"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON object per line"), NULL },
    { NULL }
  };
  g_autoptr(AdChatServer) server = NULL;
  g_autoptr(GError) error = NULL;
  CliRun run = { 0 };
  Interrupt interrupt;

  if (!ad_cli_parse_options (entries, NULL,
                             _("Run the chat server until interrupted (see docs/chat-protocol.md)."),
                             &argc, &argv))
    return EXIT_BAD_ARGS;
  if (argc > 1)
    {
      g_printerr (_("async-demo chat-server: unexpected argument “%s”\n"), argv[1]);
      return EXIT_BAD_ARGS;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr (_("async-demo chat-server: the port must be between 0 and 65535\n"));
      return EXIT_BAD_ARGS;
    }
  if (max_clients < 1 || rate_limit < 0 || idle_timeout < 0 || line_timeout < 0 ||
      line_timeout > AD_CHAT_SERVER_MAX_LINE_TIMEOUT || history < 0 || history > 10000 ||
      threads < 0 || threads > AD_CHAT_SERVER_MAX_THREADS)
    {
      g_printerr (_("async-demo chat-server: a limit is out of range\n"));
      return EXIT_BAD_ARGS;
    }

  server = ad_chat_server_new ();
  g_object_set (server,
                "max-clients", (guint) max_clients,
                "rate-limit", rate_limit,
                "idle-timeout", (guint) idle_timeout,
                "line-timeout", (guint) line_timeout,
                "history-length", (guint) history,
                "announce", !quiet,
                "threads", (guint) threads,
                NULL);

  if (!ad_chat_server_start (server, bind, (guint16) port, &error))
    {
      g_printerr ("async-demo chat-server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  ad_cli_run_init (&run);
  run.json = json;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "listening");
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, ad_chat_server_get_address (server));
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, ad_chat_server_get_port (server));
      json_builder_end_object (builder);
      ad_cli_print_json (builder);
    }
  else
    {
      /* Not translated: scripts read this line to find the port. */
      g_print ("listening on %s:%u\n", ad_chat_server_get_address (server),
               ad_chat_server_get_port (server));
    }
  fflush (stdout);

  if (verbose || json)
    {
      g_signal_connect (server, "client-joined", G_CALLBACK (joined_cb), &run);
      g_signal_connect (server, "client-left", G_CALLBACK (left_cb), &run);
    }

  interrupt = (Interrupt) { &run, server };
  g_signal_connect (run.cancellable, "cancelled", G_CALLBACK (interrupted_cb), &interrupt);

  ad_cli_run_loop (&run);

  g_signal_handlers_disconnect_by_data (server, &run);
  g_signal_handlers_disconnect_by_data (run.cancellable, &interrupt);
  ad_cli_run_clear (&run);

  return run.status;
}
