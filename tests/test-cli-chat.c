/* test-cli-chat.c: `async-demo chat-server …`, run as a user would, with no display
 *
 * Each test starts the real server on a free port (--port 0), reads the
 * port from its first line, talks to it over plain TCP on 127.0.0.1 and
 * interrupts it at the end (it must exit with 130). The server is another
 * process, so the test's sockets and its stdout are read blocking; a
 * child that outlives a failed test is killed by the kernel
 * (PR_SET_PDEATHSIG).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "ad-cli-test-utils.h"

/* ---- the server ------------------------------------------------------------------- */

typedef struct
{
  GSubprocess      *proc;
  GDataInputStream *out;
  guint16           port;
} Server;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts `async-demo chat-server --port 0 @args…` and reads its first line:
 * "listening on ADDR:PORT", or with --json the object. */
static Server *
server_start (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  Server *server = g_new0 (Server, 1);
  gboolean json = FALSE;

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  g_ptr_array_add (argv, (char *) ad_cli_test_binary ());
  g_ptr_array_add (argv, (char *) "chat-server");
  g_ptr_array_add (argv, (char *) "--port");
  g_ptr_array_add (argv, (char *) "0");
  for (guint i = 0; args[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (char *) args[i]);
      json |= g_str_equal (args[i], "--json");
    }
  g_ptr_array_add (argv, NULL);

  server->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                               &error);
  g_assert_no_error (error);
  server->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->proc));
  first = g_data_input_stream_read_line_utf8 (server->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);

  if (json)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *obj = ad_cli_test_parse_object (parser, first);

      g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, "listening");
      g_assert_cmpstr (json_object_get_string_member (obj, "address"), ==, "127.0.0.1");
      server->port = json_object_get_int_member (obj, "port");
    }
  else
    {
      g_assert_true (g_str_has_prefix (first, "listening on 127.0.0.1:"));
      server->port = g_ascii_strtoull (first + strlen ("listening on 127.0.0.1:"), NULL, 10);
    }
  g_assert_cmpuint (server->port, >, 0);

  return server;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* The server's next line of output, within ten seconds: a line that never
 * comes fails the test rather than hanging it. */
static char *
server_line (Server *server)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * (gint64) G_USEC_PER_SEC;
  guint tick = g_timeout_add (10, tick_cb, NULL);
  char *line;

  g_data_input_stream_read_line_async (server->out, G_PRIORITY_DEFAULT, NULL, store_result,
                                       &result);
  while (result == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for a line from the server");
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);

  line = g_data_input_stream_read_line_finish_utf8 (server->out, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);

  return line;
}

/* Interrupts the server like Ctrl+C, checks it exits with 130 and returns
 * the rest of what it printed. */
static char *
server_stop (Server *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) rest = g_string_new (NULL);

  g_subprocess_send_signal (server->proc, SIGINT);
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (server->out, NULL, NULL,
                                                                   &error);

      g_assert_no_error (error);
      if (line == NULL)
        break;
      g_string_append_printf (rest, "%s\n", line);
    }
  g_subprocess_wait (server->proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (server->proc), ==, 130);

  g_object_unref (server->out);
  g_object_unref (server->proc);
  g_free (server);

  return g_string_free (g_steal_pointer (&rest), FALSE);
}

/* ---- a client ------------------------------------------------------------------- */

typedef struct
{
  GSocketConnection *conn;
  GDataInputStream  *in;
  char              *nick;
} Client;

/* Connects, reads the greeting up to "*** you are NICK" (or the first
 * line, when @greeting is FALSE). */
static Client *
client_connect (Server   *server,
                gboolean  greeting)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  Client *client = g_new0 (Client, 1);

  client->conn = g_socket_client_connect_to_host (socket_client, "127.0.0.1", server->port,
                                                  NULL, &error);
  g_assert_no_error (error);
  /* A server that never answers fails the test instead of hanging it. */
  g_socket_set_timeout (g_socket_connection_get_socket (client->conn), 10);
  client->in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (client->conn)));

  while (greeting && client->nick == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (client->in, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "*** you are "))
        client->nick = g_strdup (line + strlen ("*** you are "));
    }

  return client;
}

/* The next line, or NULL at the end of the stream. */
static char *
client_line (Client *client)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (client->in, NULL, NULL, &error);

  g_assert_no_error (error);

  return line;
}

static void
client_send (Client     *client,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (client->conn));

  g_output_stream_write_all (out, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
assert_next_line (Client     *client,
                  const char *expected)
{
  g_autofree char *line = client_line (client);

  g_assert_cmpstr (line, ==, expected);
}

static void
client_free (Client *client)
{
  g_io_stream_close (G_IO_STREAM (client->conn), NULL, NULL);
  g_object_unref (client->in);
  g_object_unref (client->conn);
  g_free (client->nick);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

/* ---- tests ---------------------------------------------------------------------- */

/* By default the room hears joins and leaves; stdout has the listening
 * line only. */
static void
test_default (void)
{
  Server *server = server_start (AD_CLI_ARGS (NULL));
  g_autoptr(Client) a = client_connect (server, TRUE);
  g_autoptr(Client) b = client_connect (server, TRUE);
  g_autofree char *rest = NULL;

  g_assert_cmpstr (a->nick, ==, "guest-1");
  g_assert_cmpstr (b->nick, ==, "guest-2");
  assert_next_line (a, "*** guest-2 joined");
  client_send (b, "/quit\n");
  assert_next_line (b, "*** bye");
  assert_next_line (a, "*** guest-2 left (quit)");
  g_clear_pointer (&a, client_free);
  g_clear_pointer (&b, client_free);

  rest = server_stop (server);
  g_assert_cmpstr (rest, ==, "");
}

/* --verbose prints joins (with the address) and leaves (with the reason). */
static void
test_verbose (void)
{
  Server *server = server_start (AD_CLI_ARGS ("--verbose"));
  g_autoptr(Client) a = client_connect (server, TRUE);
  g_autofree char *joined = server_line (server);
  g_autofree char *left = NULL;
  g_autofree char *rest = NULL;

  g_assert_true (g_str_has_prefix (joined, "guest-1 joined from 127.0.0.1:"));
  client_send (a, "/quit\n");
  assert_next_line (a, "*** bye");
  left = server_line (server);
  g_assert_cmpstr (left, ==, "guest-1 left (quit)");
  g_clear_pointer (&a, client_free);

  rest = server_stop (server);
  g_assert_cmpstr (rest, ==, "");
}

/* --json: the listening line and every event are one JSON object a line. */
static void
test_json (void)
{
  Server *server = server_start (AD_CLI_ARGS ("--json"));
  g_autoptr(Client) a = client_connect (server, TRUE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *joined = server_line (server);
  g_autofree char *left = NULL;
  g_autofree char *rest = NULL;
  JsonObject *obj;

  obj = ad_cli_test_parse_object (parser, joined);
  g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, "joined");
  g_assert_cmpstr (json_object_get_string_member (obj, "nick"), ==, "guest-1");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (obj, "detail"), "127.0.0.1:"));

  client_send (a, "/nick ann\n/quit\n");
  assert_next_line (a, "*** you are ann");
  assert_next_line (a, "*** bye");
  left = server_line (server);
  obj = ad_cli_test_parse_object (parser, left);
  g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, "left");
  g_assert_cmpstr (json_object_get_string_member (obj, "nick"), ==, "ann");
  g_assert_cmpstr (json_object_get_string_member (obj, "detail"), ==, "quit");
  g_clear_pointer (&a, client_free);

  rest = server_stop (server);
  g_assert_cmpstr (rest, ==, "");
}

/* --quiet: no joins, leaves or nick changes reach the room; messages do.
 * Lines from the server arrive in order, so the next line shows it. */
static void
test_quiet (void)
{
  Server *server = server_start (AD_CLI_ARGS ("--quiet"));
  g_autoptr(Client) a = client_connect (server, TRUE);
  g_autoptr(Client) b = client_connect (server, TRUE);
  g_autofree char *rest = NULL;

  client_send (b, "hello\n/nick bob\nagain\n/quit\n");
  assert_next_line (a, "<guest-2> hello");
  assert_next_line (a, "<bob> again");
  assert_next_line (b, "*** you are bob");
  assert_next_line (b, "*** bye");
  g_clear_pointer (&b, client_free);
  client_send (a, "/who\n");
  assert_next_line (a, "*** 1 here: guest-1");
  g_clear_pointer (&a, client_free);

  rest = server_stop (server);
  g_assert_cmpstr (rest, ==, "");
}

/* --max-clients N: the N+1th client reads the refusal, then the end. */
static void
test_max_clients (void)
{
  Server *server = server_start (AD_CLI_ARGS ("--max-clients", "2"));
  g_autoptr(Client) a = client_connect (server, TRUE);
  g_autoptr(Client) b = client_connect (server, TRUE);
  g_autoptr(Client) refused = client_connect (server, FALSE);
  g_autoptr(Client) again = NULL;
  g_autofree char *end = NULL;
  g_autofree char *rest = NULL;

  assert_next_line (refused, "!!! the server is full (2 clients); try again later");
  end = client_line (refused);
  g_assert_null (end);

  /* A place freed is a place taken. */
  client_send (b, "/quit\n");
  assert_next_line (b, "*** bye");
  assert_next_line (a, "*** guest-2 joined");
  assert_next_line (a, "*** guest-2 left (quit)");
  again = client_connect (server, TRUE);
  g_assert_cmpstr (again->nick, ==, "guest-3");

  g_clear_pointer (&a, client_free);
  g_clear_pointer (&b, client_free);
  g_clear_pointer (&refused, client_free);
  g_clear_pointer (&again, client_free);
  rest = server_stop (server);
  g_assert_cmpstr (rest, ==, "");
}

/* Sends 25 lines in one write. */
static void
flood (Client *a)
{
  g_autoptr(GString) burst = g_string_new (NULL);

  for (guint i = 0; i < 25; i++)
    g_string_append_printf (burst, "line %u\n", i);
  client_send (a, burst->str);
}

/* --rate-limit R: past the burst (20 lines), lines are dropped and the
 * sender is told once; with 0 nothing is dropped. */
static void
test_rate_limit (void)
{
  Server *server = server_start (AD_CLI_ARGS ("--rate-limit", "1", "--quiet"));
  g_autoptr(Client) a = client_connect (server, TRUE);
  g_autoptr(Client) b = client_connect (server, TRUE);
  g_autofree char *rest = NULL;

  flood (a);
  assert_next_line (a, "!!! rate limit: at most 1 lines per second; line dropped");
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *expected = g_strdup_printf ("<guest-1> line %u", i);

      assert_next_line (b, expected);
    }
  /* /quit is never limited; what follows it in b's stream is its leave. */
  client_send (a, "/quit\n");
  assert_next_line (a, "*** bye");
  client_send (b, "/quit\n");
  assert_next_line (b, "*** bye");
  g_clear_pointer (&a, client_free);
  g_clear_pointer (&b, client_free);
  rest = server_stop (server);
  g_assert_cmpstr (rest, ==, "");

  server = server_start (AD_CLI_ARGS ("--rate-limit", "0", "--quiet"));
  a = client_connect (server, TRUE);
  b = client_connect (server, TRUE);
  flood (a);
  client_send (a, "/who\n");
  /* No warning before the reply: nothing was dropped. */
  assert_next_line (a, "*** 2 here: guest-1 guest-2");
  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *expected = g_strdup_printf ("<guest-1> line %u", i);

      assert_next_line (b, expected);
    }
  g_clear_pointer (&a, client_free);
  g_clear_pointer (&b, client_free);
  g_free (rest);
  rest = server_stop (server);
  g_assert_cmpstr (rest, ==, "");
}

/* --threads N: sender threads write the room; every line still reaches
 * every other client once and in order. Out of range is refused. */
static void
test_threads (void)
{
  Server *server = server_start (AD_CLI_ARGS ("--threads", "2"));
  g_autoptr(Client) a = client_connect (server, TRUE);
  g_autoptr(Client) b = client_connect (server, TRUE);
  g_autoptr(Client) c = client_connect (server, TRUE);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *rest = NULL;

  assert_next_line (a, "*** guest-2 joined");
  assert_next_line (a, "*** guest-3 joined");
  assert_next_line (b, "*** guest-3 joined");
  client_send (a, "one\ntwo\nthree\n");
  assert_next_line (b, "<guest-1> one");
  assert_next_line (b, "<guest-1> two");
  assert_next_line (b, "<guest-1> three");
  assert_next_line (c, "<guest-1> one");
  assert_next_line (c, "<guest-1> two");
  assert_next_line (c, "<guest-1> three");
  client_send (c, "/quit\n");
  assert_next_line (c, "*** bye");
  assert_next_line (a, "*** guest-3 left (quit)");
  assert_next_line (b, "*** guest-3 left (quit)");
  g_clear_pointer (&a, client_free);
  g_clear_pointer (&b, client_free);
  g_clear_pointer (&c, client_free);
  rest = server_stop (server);
  g_assert_cmpstr (rest, ==, "");

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("chat-server", "--threads", "65"), &out, &err),
                   ==, 2);
  g_assert_nonnull (strstr (err, "out of range"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/chat-server/default", test_default);
  g_test_add_func ("/cli/chat-server/verbose", test_verbose);
  g_test_add_func ("/cli/chat-server/json", test_json);
  g_test_add_func ("/cli/chat-server/quiet", test_quiet);
  g_test_add_func ("/cli/chat-server/max-clients", test_max_clients);
  g_test_add_func ("/cli/chat-server/rate-limit", test_rate_limit);
  g_test_add_func ("/cli/chat-server/threads", test_threads);

  return g_test_run ();
}
