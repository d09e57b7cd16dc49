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

/* ---- interrupting a command at a known point -------------------------- */

/* Waits of a few seconds are plenty on an idle machine; valgrind and a
 * loaded CI runner get ten times as long (AD_TEST_SLOW). */
static guint
scaled_ms (guint ms)
{
  return g_getenv ("AD_TEST_SLOW") != NULL ? ms * 10 : ms;
}

#define SOCKET_TIMEOUT_MS 10000

GSocket *
ad_cli_test_listen (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *listener;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  g_assert_no_error (error);
  g_socket_bind (listener, any_port, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_set_timeout (listener, scaled_ms (SOCKET_TIMEOUT_MS) / 1000);

  return listener;
}

GSocket *
ad_cli_test_accept (GSocket *listener)
{
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_accept (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_set_timeout (socket, scaled_ms (SOCKET_TIMEOUT_MS) / 1000);

  return socket;
}

char *
ad_cli_test_receive_until (GSocket    *socket,
                           const char *text)
{
  g_autoptr(GString) received = g_string_new (NULL);

  while (strstr (received->str, text) == NULL)
    {
      g_autoptr(GError) error = NULL;
      char buf[1024];
      gssize n = g_socket_receive (socket, buf, sizeof buf, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (received, buf, n);
    }

  return g_string_free (g_steal_pointer (&received), FALSE);
}

char *
ad_cli_test_read_line_with (GDataInputStream *stream,
                            const char       *text)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char *line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        {
          g_autofree char *msg = g_strdup_printf ("the output ended before a line with “%s”",
                                                  text);

          g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
          return NULL;
        }
      if (strstr (line, text) != NULL)
        return line;
      g_free (line);
    }
}

typedef struct
{
  gboolean exited;
  gboolean timed_out;
  gint64   exit_time;
} InterruptWait;

static void
interrupt_exited_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  InterruptWait *wait = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  wait->exit_time = g_get_monotonic_time ();
  wait->exited = TRUE;
}

static gboolean
interrupt_timeout_cb (gpointer user_data)
{
  InterruptWait *wait = user_data;

  wait->timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

gint64
ad_cli_test_interrupt_running (GSubprocess *proc,
                               guint        bound_ms)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(GSource) timeout = g_timeout_source_new (scaled_ms (bound_ms));
  InterruptWait wait = { FALSE, FALSE, 0 };
  gint64 start;

  g_source_set_callback (timeout, interrupt_timeout_cb, &wait, NULL);
  g_source_attach (timeout, context);

  start = g_get_monotonic_time ();
  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_wait_async (proc, NULL, interrupt_exited_cb, &wait);
  while (!wait.exited && !wait.timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);

  if (!wait.exited)
    {
      g_autofree char *msg = g_strdup_printf ("the command still ran %u ms after SIGINT",
                                              scaled_ms (bound_ms));

      g_subprocess_force_exit (proc);
      while (!wait.exited)
        g_main_context_iteration (context, TRUE);
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
    }

  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 130);

  return wait.exit_time - start;
}
