/* test-cli.c: the async-demo binary, run as a user would, with no display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>

#include "ad-cli-test-utils.h"

static void
test_version (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("--version"), &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "Async Demo " PACKAGE_VERSION "\n");
}

static void
test_help (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("--help"), &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "--version"));
  g_assert_nonnull (strstr (out, "Commands"));
  g_assert_nonnull (strstr (out, "hello"));
}

static void
test_hello (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  double alice = -1, bob = -1;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("hello", "--delay", "200"), &out, &err), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 6);
  g_assert_nonnull (strstr (lines[0], "Hello, Async!"));
  g_assert_nonnull (strstr (lines[0], "main"));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "Hello, Alice!"))
        alice = g_ascii_strtod (lines[i], NULL);
      if (strstr (lines[i], "Hello, Bob!"))
        bob = g_ascii_strtod (lines[i], NULL);
    }
  /* Times in ms since start: both after ~200 ms, together. */
  g_assert_cmpfloat (alice, >=, 200.0);
  g_assert_cmpfloat (bob, >=, 200.0);
  g_assert_cmpfloat (bob, <, 390.0);
}

static void
test_hello_json (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("hello", "--delay", "10", "--sequential",
                                                 "--json"), &out, &err), ==, 0);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *obj;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      obj = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, "log");
      g_assert_cmpstr (json_object_get_string_member (obj, "thread"), ==, "main");
      g_assert_true (json_object_has_member (obj, "elapsed_us"));
      g_assert_true (json_object_has_member (obj, "message"));
      n++;
    }
  g_assert_cmpuint (n, ==, 6);
}

static void
test_bad_arguments (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autofree char *out3 = NULL, *err3 = NULL;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("no-such-command"), &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "no-such-command"));
  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("hello", "--delay", "-5"), &out2, &err2), ==, 2);
  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("hello", "--no-such-option"),
                                    &out3, &err3), ==, 2);
}

static void
test_sigint_cancels (void)
{
  gint64 elapsed = ad_cli_test_interrupt (AD_CLI_ARGS ("hello", "--delay", "20000"),
                                          "Hello, Async!");

  g_assert_cmpint (elapsed, <, (gint64) 5 * G_USEC_PER_SEC);
}

static char **
split_lines (char *out)
{
  return g_strsplit (g_strstrip (out), "\n", -1);
}

static void
test_basics_list (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *json_out = NULL, *json_err = NULL;
  const char *ids[] = { "concurrent", "cancellation", "timeout", "error", "group",
                        "thread-loop", "locks", "blocking" };
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("basics"), &out, &err), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_nonnull (strstr (out, ids[i]));

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("basics", "--json"), &json_out, &json_err), ==, 0);
  lines = split_lines (json_out);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (ids));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *obj = ad_cli_test_parse_object (parser, lines[i]);
      g_autofree char *own = g_strdup_printf ("src/core/basics/ad-demo-%s.c", ids[i]);

      g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, "demo");
      g_assert_cmpstr (json_object_get_string_member (obj, "id"), ==, ids[i]);
      g_assert_nonnull (strstr (json_object_get_string_member (obj, "explanation"), "asyncio"));
      g_assert_true (json_object_has_member (obj, "params"));
      /* The demo's own file, and the library code it shows where it has one. */
      g_assert_cmpstr (json_object_get_string_member (obj, "source"), ==, own);
      if (g_str_equal (ids[i], "group"))
        g_assert_cmpstr (json_object_get_string_member (obj, "library"), ==,
                         "src/core/tasks/ad-task-group.c");
      if (g_str_equal (ids[i], "error"))
        g_assert_false (json_object_has_member (obj, "library"));
    }
}

static void
test_basics_run (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *json_out = NULL, *json_err = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) json_lines = NULL;
  guint n;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("basics", "group", "--scale-ms", "20"),
                                    &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Gathered in start order: [0, 2, 4, 6, 8]"));
  lines = split_lines (out);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >=, 8);
  g_assert_true (g_str_has_prefix (lines[n - 1], "Result: Results [0, 2, 4, 6, 8]"));

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("basics", "group", "--scale-ms", "20", "--fail",
                                                 "--json"), &json_out, &json_err), ==, 0);
  json_lines = split_lines (json_out);
  n = g_strv_length (json_lines);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *obj = ad_cli_test_parse_object (parser, json_lines[i]);

      if (i < n - 1)
        {
          g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, "log");
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, "result");
          g_assert_cmpstr (json_object_get_string_member (obj, "demo"), ==, "group");
          g_assert_cmpstr (json_object_get_string_member (obj, "summary"), ==,
                           "Group failed: Worker 2 failed");
        }
    }
}

static void
test_basics_bad_arguments (void)
{
  const char *cases[][5] = {
    { "basics", "no-such-demo", NULL },
    { "basics", "timeout", "--timeout-ms", "0" },
    { "basics", "group", "--no-such-option", NULL },
    { "basics", "group", "extra", NULL },
    { "basics", "error", "--delay-ms", "-1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      g_assert_cmpint (ad_cli_test_run (cases[i], &out, &err), ==, 2);
      g_assert_cmpstr (err, !=, "");
    }
}

static void
test_basics_sigint (void)
{
  ad_cli_test_interrupt (AD_CLI_ARGS ("basics", "cancellation", "--work-ms", "20000",
                                      "--cancel-after-ms", "20000"),
                         "Demo: Cancellation");
}

/* Reads lines from @stream until one starts with @prefix; returns it. */
static char *
read_until (GDataInputStream *stream,
            const char       *prefix)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char *line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, prefix))
        return line;
      g_free (line);
    }
}

static void
test_chat (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = ad_cli_test_spawn (AD_CLI_ARGS ("chat-server", "--port", "0"),
                                                      &error);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) bob = NULL;
  g_autoptr(GDataInputStream) server_out = NULL;
  g_autoptr(GDataInputStream) bob_out = NULL;
  g_autofree char *listening = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *line = NULL, *bye = NULL;
  const char *port;

  g_assert_no_error (error);
  server_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  listening = read_until (server_out, "listening on 127.0.0.1:");
  port = strrchr (listening, ':') + 1;

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  bob = g_subprocess_launcher_spawn (launcher, &error, ad_cli_test_binary (),
                                     "chat", "--nick", "bob", "--no-reconnect", "127.0.0.1", port,
                                     NULL);
  g_assert_no_error (error);
  bob_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bob));
  g_free (read_until (bob_out, "*** you are bob"));

  /* Alice says one line with an escape sequence in it, then end of input. */
  {
    g_autoptr(GSubprocessLauncher) alice_launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr(GSubprocess) alice =
      g_subprocess_launcher_spawn (alice_launcher, &error, ad_cli_test_binary (),
                                   "chat", "--nick", "alice", "127.0.0.1", port, NULL);

    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (alice, "hello \x1b[31mbob\n", NULL, &out, &err, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (alice), ==, 0);
    g_assert_nonnull (strstr (out, "*** you are alice"));
    g_assert_nonnull (strstr (out, "*** bye"));
  }
  line = read_until (bob_out, "<alice>");
  g_assert_cmpstr (line, ==, "<alice> hello bob");

  /* SIGTERM: everyone is told, the server exits like an interrupted command. */
  g_subprocess_send_signal (server, SIGTERM);
  bye = read_until (bob_out, "*** server shutting down");
  g_assert_cmpstr (bye, ==, "*** server shutting down");
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 130);
  g_subprocess_wait (bob, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (bob), ==, 0);
}

static void
test_chat_bad_arguments (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autofree char *out3 = NULL, *err3 = NULL;
  g_autofree char *out4 = NULL, *err4 = NULL;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("chat-server", "--port", "70000"),
                                    &out, &err), ==, 2);
  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("chat-server", "--bind", "not-an-address"),
                                    &out2, &err2), ==, 1);
  g_assert_nonnull (strstr (err2, "not-an-address"));
  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("chat", "127.0.0.1"), &out3, &err3), ==, 2);
  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("chat", "127.0.0.1", "port"),
                                    &out4, &err4), ==, 2);
}

/* `trace` runs a command in-process and writes its timeline. */
static void
test_trace (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autofree char *out3 = NULL, *err3 = NULL;
  g_autofree char *dir = g_dir_make_tmp ("trace-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "tmp.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) runs = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *events;
  gboolean main_named = FALSE;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("trace", "--output", path, "--", "hello",
                                                 "--delay", "50"), &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Hello, Bob!"));

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  events = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "traceEvents");
  g_assert_nonnull (events);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *ph = json_object_get_string_member (event, "ph");
      const char *name = json_object_get_string_member (event, "name");

      g_assert_true (json_object_has_member (event, "pid"));
      g_assert_true (json_object_has_member (event, "tid"));
      if (g_str_equal (ph, "M") && g_str_equal (name, "thread_name"))
        main_named |= g_str_equal (json_object_get_string_member (
                                     json_object_get_object_member (event, "args"), "name"),
                                   "main");
      if (g_str_equal (ph, "X"))
        {
          g_assert_cmpint (json_object_get_int_member (event, "ts"), >=, 0);
          g_assert_cmpint (json_object_get_int_member (event, "dur"), >=, 0);
          g_assert_cmpstr (json_object_get_string_member (event, "cat"), ==, "timer");
          g_assert_true (json_object_has_member (json_object_get_object_member (event, "args"),
                                                 "task_id"));
          g_hash_table_insert (runs, (gpointer) name,
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (runs, name)) + 1));
        }
    }
  g_assert_true (main_named);
  /* Each greeting ran twice on the main loop: its start and its resumption */
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (runs, "greet Alice")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (runs, "greet Bob")), ==, 2);

  /* Without "--" too; and the mistakes */
  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("trace", "-o", path, "hello", "--delay", "1"),
                                    &out2, &err2), ==, 0);
  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("trace", "--", "hello"), &out3, &err3), ==, 2);
  g_assert_nonnull (strstr (err3, "--output"));

  g_unlink (path);
  g_rmdir (dir);
}

/* ---- Ctrl+C at a known point ------------------------------------------ */

/* `fetch` interrupted while its request waits for an answer that never
 * comes: the peer is the test's own listener, which holds the request. */
static void
test_fetch_sigint (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) peer = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *url = NULL, *request = NULL;
  g_autofree char *out = NULL, *err = NULL;
  guint16 port;
  gint64 elapsed;

  listener = ad_cli_test_listen (&port);
  url = g_strdup_printf ("http://127.0.0.1:%u/never-answered", port);
  proc = ad_cli_test_spawn (AD_CLI_ARGS ("fetch", "--timeout", "600", url), &error);
  g_assert_no_error (error);

  /* The handshake: the request has arrived, and is held unanswered. */
  peer = ad_cli_test_accept (listener);
  request = ad_cli_test_receive_until (peer, "\r\n\r\n");
  g_assert_true (g_str_has_prefix (request, "GET /never-answered HTTP/1.1\r\n"));

  elapsed = ad_cli_test_interrupt_running (proc, 5000);
  g_test_message ("exited %.1f ms after SIGINT", elapsed / 1000.0);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  /* Cancelled is not broken: no result and no error for the URL. */
  g_assert_null (strstr (out, "never-answered"));
  g_assert_null (strstr (err, "never-answered"));
}

/* `chat` interrupted while connected: the server is the test's listener,
 * which greets it like the real one. */
static void
test_chat_sigint (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) peer = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *port = NULL, *greeted = NULL;
  g_autofree char *out = NULL, *err = NULL;
  static const char greeting[] = "*** welcome to the test\n*** you are guest-1\n";
  guint16 port_number;
  gint64 elapsed;

  listener = ad_cli_test_listen (&port_number);
  port = g_strdup_printf ("%u", port_number);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  /* Standard input stays open: the user is still typing. */
  proc = g_subprocess_launcher_spawn (launcher, &error, ad_cli_test_binary (), "chat",
                                      "--no-reconnect", "127.0.0.1", port, NULL);
  g_assert_no_error (error);

  /* The handshake: connected, and printing what the server says. */
  peer = ad_cli_test_accept (listener);
  g_socket_send (peer, greeting, strlen (greeting), NULL, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  greeted = ad_cli_test_read_line_with (lines, "*** you are");
  g_assert_cmpstr (greeted, ==, "*** you are guest-1");

  elapsed = ad_cli_test_interrupt_running (proc, 5000);
  g_test_message ("exited %.1f ms after SIGINT", elapsed / 1000.0);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  /* Cancelled quietly: no error message. */
  g_assert_null (strstr (err, "async-demo chat:"));
}

/* `trace` interrupted: the command it runs stops as cancelled, and the
 * trace of what ran until then is still written, with the cancellations. */
static void
test_trace_sigint (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) cancelled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *dir = g_dir_make_tmp ("trace-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "interrupted.json", NULL);
  g_autofree char *first = NULL;
  g_autofree char *out = NULL, *err = NULL;
  JsonArray *events;

  proc = ad_cli_test_spawn (AD_CLI_ARGS ("trace", "--output", path, "--", "hello",
                                         "--delay", "600000"), &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  /* The handshake: the greetings are under way. */
  first = ad_cli_test_read_line_with (lines, "Hello, Async!");
  g_assert_nonnull (first);

  ad_cli_test_interrupt_running (proc, 5000);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (err, "wrote"));

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  events = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "traceEvents");
  g_assert_nonnull (events);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      JsonObject *args = json_object_get_object_member (event, "args");

      if (g_str_equal (json_object_get_string_member (event, "ph"), "M") || args == NULL)
        continue;
      if (g_strcmp0 (json_object_get_string_member (args, "state"), "cancelled") == 0)
        g_hash_table_add (cancelled, g_strdup (json_object_get_string_member (event, "name")));
    }
  /* Both greetings and both of their sleeps ended as cancelled. */
  g_assert_true (g_hash_table_contains (cancelled, "greet Alice"));
  g_assert_true (g_hash_table_contains (cancelled, "greet Bob"));
  g_assert_true (g_hash_table_contains (cancelled, "sleep 600000 ms"));

  g_unlink (path);
  g_rmdir (dir);
}

/* ---- debug mode ------------------------------------------------------- */

/* Runs `basics blocking` with the loop monitor's messages shown, in debug
 * mode or not; returns its standard output (GLib prints info there). */
static char *
run_blocking_demo (gboolean debug)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "AsyncDemo-LoopMonitor", TRUE);
  if (debug)
    g_subprocess_launcher_setenv (launcher, "ASYNC_DEMO_DEBUG", "1", TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "ASYNC_DEMO_DEBUG");
  proc = g_subprocess_launcher_spawn (launcher, &error, ad_cli_test_binary (),
                                      "basics", "blocking", "--block-ms", "300", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_cmpstr (err, ==, "");

  return out;
}

/* ASYNC_DEMO_DEBUG=1 logs a stall of the main loop with the name of the
 * source whose callback blocked it, like asyncio's debug mode; without it
 * the same stall is only the demo's own narration. */
static void
test_debug_mode_names_stall (void)
{
  g_autofree char *debug_out = run_blocking_demo (TRUE);
  g_autofree char *plain_out = run_blocking_demo (FALSE);
  g_auto(GStrv) lines = g_strsplit (debug_out, "\n", -1);
  const char *stall = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "AsyncDemo-LoopMonitor-INFO") && strstr (lines[i], "Main loop stalled"))
      stall = lines[i];
  g_assert_nonnull (stall);
  g_test_message ("%s", stall);
  g_assert_nonnull (strstr (stall, "in “[async-demo] basics: a bad callback”"));
  /* The demo saw the same stall and named the same culprit. */
  g_assert_nonnull (strstr (debug_out, "Result: Stall of "));

  g_assert_nonnull (strstr (plain_out, "Result: Stall of "));
  g_assert_null (strstr (plain_out, "Main loop stalled"));
  g_assert_null (strstr (plain_out, "AsyncDemo-LoopMonitor"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/hello", test_hello);
  g_test_add_func ("/cli/hello-json", test_hello_json);
  g_test_add_func ("/cli/bad-arguments", test_bad_arguments);
  g_test_add_func ("/cli/sigint-cancels", test_sigint_cancels);
  g_test_add_func ("/cli/basics-list", test_basics_list);
  g_test_add_func ("/cli/basics-run", test_basics_run);
  g_test_add_func ("/cli/basics-bad-arguments", test_basics_bad_arguments);
  g_test_add_func ("/cli/basics-sigint", test_basics_sigint);

  g_test_add_func ("/cli/chat", test_chat);
  g_test_add_func ("/cli/chat-bad-arguments", test_chat_bad_arguments);
  g_test_add_func ("/cli/trace", test_trace);
  g_test_add_func ("/cli/fetch-sigint", test_fetch_sigint);
  g_test_add_func ("/cli/chat-sigint", test_chat_sigint);
  g_test_add_func ("/cli/trace-sigint", test_trace_sigint);
  g_test_add_func ("/cli/debug-mode-names-stall", test_debug_mode_names_stall);

  return g_test_run ();
}
