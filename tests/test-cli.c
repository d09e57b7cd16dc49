/* test-cli.c: the async-demo binary, run as a user would, with no display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <signal.h>

static const char *binary;

/* Starts the binary with @args (NULL-terminated) and no display of any
 * kind, with untranslated output. */
static GSubprocess *
spawn (const char * const  *args,
       GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);

  g_ptr_array_add (argv, (char *) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

/* Runs the binary to completion; returns its exit status. */
static int
run (const char * const  *args,
     char               **out,
     char               **err)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  proc = spawn (args, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));

  return g_subprocess_get_exit_status (proc);
}

#define ARGS(...) ((const char * const []) { __VA_ARGS__, NULL })

static void
test_version (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (ARGS ("--version"), &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "Async Demo " PACKAGE_VERSION "\n");
}

static void
test_help (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (ARGS ("--help"), &out, &err), ==, 0);
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

  g_assert_cmpint (run (ARGS ("hello", "--delay", "200"), &out, &err), ==, 0);
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

  g_assert_cmpint (run (ARGS ("hello", "--delay", "10", "--sequential", "--json"), &out, &err), ==, 0);
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

  g_assert_cmpint (run (ARGS ("no-such-command"), &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "no-such-command"));
  g_assert_cmpint (run (ARGS ("hello", "--delay", "-5"), &out2, &err2), ==, 2);
  g_assert_cmpint (run (ARGS ("hello", "--no-such-option"), &out3, &err3), ==, 2);
}

static void
test_sigint_cancels (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = spawn (ARGS ("hello", "--delay", "20000"), &error);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *first = NULL;
  gint64 start;

  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  /* Wait until it is running, then interrupt it like Ctrl+C. */
  first = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (first, "Hello, Async!"));

  start = g_get_monotonic_time ();
  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 130);
  g_assert_cmpint (g_get_monotonic_time () - start, <, (gint64) 5 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  binary = g_getenv ("ASYNC_DEMO_BINARY");
  g_assert_nonnull (binary);

  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/hello", test_hello);
  g_test_add_func ("/cli/hello-json", test_hello_json);
  g_test_add_func ("/cli/bad-arguments", test_bad_arguments);
  g_test_add_func ("/cli/sigint-cancels", test_sigint_cancels);

  return g_test_run ();
}
