/* ad-cmd-chat.c: `async-demo chat HOST PORT`, a terminal chat client
 *
 * Standard input is read asynchronously (a GUnixInputStream on fd 0), so
 * the main loop keeps receiving while the user types; every line read is
 * sent, and every line received is printed, cleaned of escape sequences by
 * the client core. End of input (Ctrl+D) says /quit and waits for the
 * server's goodbye.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Cli"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>

#include "ad-cli-private.h"
#include "ad-core.h"

typedef struct
{
  CliRun            run;
  AdChatClient     *client;
  GDataInputStream *input;
} ChatCli;

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ChatCli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (ad_chat_client_run_finish (AD_CHAT_CLIENT (source), result, &error))
    cli->run.status = EXIT_SUCCESS;
  else if (cli->run.interrupted && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cli->run.status = EXIT_CANCELLED;
  else
    {
      g_printerr ("async-demo chat: %s\n", error->message);
      cli->run.status = EXIT_FAILURE;
    }

  g_main_loop_quit (cli->run.loop);
}

static void
stdin_line_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ChatCli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    g_printerr ("async-demo chat: %s\n", error->message);

  if (line == NULL && error == NULL)
    {
      /* End of input: leave politely. */
      ad_chat_client_quit (cli->client);
      return;
    }

  if (line != NULL && !ad_chat_client_send (cli->client, line))
    g_printerr (_("async-demo chat: not sent (not connected)\n"));

  g_data_input_stream_read_line_async (cli->input, G_PRIORITY_DEFAULT, cli->run.cancellable,
                                       stdin_line_cb, cli);
}

static void
line_received_cb (AdChatClient   *client,
                  AdChatLineKind  kind,
                  const char     *nick,
                  const char     *text,
                  const char     *line,
                  ChatCli        *cli)
{
  g_print ("%s\n", line);
  fflush (stdout);
}

static void
state_cb (AdChatClient *client,
          GParamSpec   *pspec,
          ChatCli      *cli)
{
  switch (ad_chat_client_get_state (client))
    {
    case AD_CHAT_CLIENT_CONNECTING:
      g_printerr (_("connecting to %s:%u…\n"), ad_chat_client_get_host (client),
                  ad_chat_client_get_port (client));
      break;
    case AD_CHAT_CLIENT_CONNECTED:
      g_printerr (_("connected\n"));
      break;
    case AD_CHAT_CLIENT_WAITING:
      {
        g_autofree char *delay = g_strdup_printf ("%.1f",
                                                  ad_chat_client_get_retry_delay (client) / 1000.0);

        g_printerr (_("disconnected (%s); reconnecting in %s s\n"),
                    ad_chat_client_get_last_error (client), delay);
      }
      break;
    case AD_CHAT_CLIENT_DISCONNECTED:
    default:
      break;
    }
}

int
ad_cmd_chat (int    argc,
             char **argv)
{
  g_autofree char *nick = NULL;
  gboolean no_reconnect = FALSE;
  GOptionEntry entries[] = {
    { "nick", 'n', 0, G_OPTION_ARG_STRING, &nick,
      N_("The nick to ask for"), N_("NAME") },
    { "no-reconnect", 0, 0, G_OPTION_ARG_NONE, &no_reconnect,
      N_("Stop when the connection ends instead of reconnecting"), NULL },
    { NULL }
  };
  g_autoptr(GInputStream) stdin_stream = NULL;
  ChatCli cli = { 0 };
  char *end = NULL;
  guint64 port;

  if (!ad_cli_parse_options (entries, N_("HOST PORT"),
                             _("Chat in the terminal: lines you type are sent, lines received are "
                               "printed. Ctrl+D quits."),
                             &argc, &argv))
    return EXIT_BAD_ARGS;
  if (argc != 3)
    {
      g_printerr (_("async-demo chat: expected HOST and PORT\n"));
      return EXIT_BAD_ARGS;
    }
  port = g_ascii_strtoull (argv[2], &end, 10);
  if (end == argv[2] || *end != '\0' || port == 0 || port > 65535)
    {
      g_printerr (_("async-demo chat: “%s” is not a port number\n"), argv[2]);
      return EXIT_BAD_ARGS;
    }
  if (nick != NULL && !ad_chat_nick_is_valid (nick))
    {
      g_printerr (_("async-demo chat: “%s” is not a valid nick\n"), nick);
      return EXIT_BAD_ARGS;
    }

  ad_cli_run_init (&cli.run);
  cli.client = ad_chat_client_new (argv[1], (guint16) port, nick);
  ad_chat_client_set_reconnect (cli.client, !no_reconnect);
  g_signal_connect (cli.client, "line-received", G_CALLBACK (line_received_cb), &cli);
  g_signal_connect (cli.client, "notify::state", G_CALLBACK (state_cb), &cli);

  stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  cli.input = g_data_input_stream_new (stdin_stream);
  g_data_input_stream_set_newline_type (cli.input, G_DATA_STREAM_NEWLINE_TYPE_ANY);

  ad_chat_client_run_async (cli.client, cli.run.cancellable, run_done_cb, &cli);
  g_data_input_stream_read_line_async (cli.input, G_PRIORITY_DEFAULT, cli.run.cancellable,
                                       stdin_line_cb, &cli);
  ad_cli_run_loop (&cli.run);

  /* Let the cancelled stdin read report before its data goes away. */
  g_cancellable_cancel (cli.run.cancellable);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_signal_handlers_disconnect_by_data (cli.client, &cli);
  g_clear_object (&cli.client);
  g_clear_object (&cli.input);
  ad_cli_run_clear (&cli.run);

  return cli.run.status;
}
