/* ad-cli-test-utils.c: helpers shared by the command-line test suites
 *
 * A static library of its own with GLib, GIO and json-glib only: the CLI
 * suites link neither GTK nor the core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Tests"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "ad-cli-test-utils.h"

const char *
ad_cli_test_binary (void)
{
  const char *binary = g_getenv ("ASYNC_DEMO_BINARY");

  g_assert_nonnull (binary);
  return binary;
}

guint
ad_cli_test_slow_factor (void)
{
  return g_getenv ("AD_TEST_SLOW") != NULL ? 10 : 1;
}

static GSubprocess *
spawn_with_flags (const char * const  *args,
                  GSubprocessFlags     flags,
                  GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (flags | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);

  g_ptr_array_add (argv, (char *) ad_cli_test_binary ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

GSubprocess *
ad_cli_test_spawn (const char * const  *args,
                   GError             **error)
{
  return spawn_with_flags (args, G_SUBPROCESS_FLAGS_NONE, error);
}

int
ad_cli_test_run (const char * const  *args,
                 char               **out,
                 char               **err)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  proc = ad_cli_test_spawn (args, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));

  return g_subprocess_get_exit_status (proc);
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Communicated;

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Communicated *comm = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &comm->out, &comm->err,
                                        &comm->error);
  comm->done = TRUE;
}

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

static gboolean
limit_cb (gpointer user_data)
{
  gboolean *reached = user_data;

  *reached = TRUE;
  return G_SOURCE_REMOVE;
}

int
ad_cli_test_run_serving (const char * const  *args,
                         const char          *input,
                         guint                limit_ms,
                         char               **out,
                         char               **err,
                         gint64              *elapsed_us)
{
  GMainContext *context = g_main_context_get_thread_default ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  Communicated comm = { 0 };
  gboolean exited = FALSE;
  gboolean reached = FALSE;
  guint limit_id = 0;
  gint64 start = g_get_monotonic_time ();

  proc = spawn_with_flags (args, input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE
                                               : G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);

  /* The output ends before the process does: wait for both. */
  g_subprocess_communicate_utf8_async (proc, input, NULL, communicated_cb, &comm);
  g_subprocess_wait_async (proc, NULL, waited_cb, &exited);
  if (limit_ms > 0)
    {
      GSource *limit = g_timeout_source_new (limit_ms * ad_cli_test_slow_factor ());

      g_source_set_callback (limit, limit_cb, &reached, NULL);
      limit_id = g_source_attach (limit, context);
      g_source_unref (limit);
    }
  while ((!comm.done || !exited) && !reached)
    g_main_context_iteration (context, TRUE);
  if (reached)
    {
      g_autofree char *message = g_strdup_printf ("async-demo %s still ran after %u ms",
                                                  args[0], limit_ms);

      g_subprocess_force_exit (proc);
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
    }
  if (limit_id != 0)
    g_source_destroy (g_main_context_find_source_by_id (context, limit_id));
  if (elapsed_us != NULL)
    *elapsed_us = g_get_monotonic_time () - start;

  g_assert_no_error (comm.error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  if (out != NULL)
    *out = g_steal_pointer (&comm.out);
  if (err != NULL)
    *err = g_steal_pointer (&comm.err);
  g_free (comm.out);
  g_free (comm.err);

  return g_subprocess_get_exit_status (proc);
}

gint64
ad_cli_test_interrupt (const char * const *args,
                       const char         *first_line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = ad_cli_test_spawn (args, &error);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *first = NULL;
  gint64 start;

  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  /* Wait until it is running, then interrupt it. */
  first = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (first, first_line));

  start = g_get_monotonic_time ();
  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 130);

  return g_get_monotonic_time () - start;
}

JsonObject *
ad_cli_test_parse_object (JsonParser *parser,
                          const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  /* One object, on one line. */
  g_assert_null (strchr (stripped, '\n'));
  g_assert_true (json_parser_load_from_data (parser, stripped, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}
