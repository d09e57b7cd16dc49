/* ad-cmd-trace.c: `async-demo trace --output FILE.json -- COMMAND ARGS…`
 *
 * Runs another headless command in this process with a trace recorder on
 * the default task registry, and writes what it recorded as Chrome Trace
 * Event JSON (open it in Perfetto or chrome://tracing, or in the app's
 * Tasks page). The timeline pulls from the recorder's ring every 100 ms
 * while the command's own main loop runs, so a long command loses nothing
 * unless it records more than the ring holds in that time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Cli"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-cli.h"
#include "ad-cli-private.h"
#include "ad-core.h"

#define TRACE_RING_CAPACITY (256 * 1024)
#define TRACE_MAX_SLICES    (512 * 1024)

typedef struct
{
  AdTraceRecorder *recorder;
  AdTrace         *trace;
} TraceRun;

typedef struct
{
  GError   *error;
  guint     n_written;
  gboolean  done;
} SaveRun;

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SaveRun *save = user_data;

  ad_trace_file_save_finish (result, &save->n_written, &save->error);
  save->done = TRUE;
}

static gboolean
pull_cb (gpointer user_data)
{
  TraceRun *run = user_data;

  ad_trace_pull (run->trace, run->recorder);

  return G_SOURCE_CONTINUE;
}

int
ad_cmd_trace (int    argc,
              char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Where to write the trace (Trace Event JSON)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdTraceRecorder) recorder = NULL;
  g_autoptr(AdTrace) trace = NULL;
  g_autofree char **own_args = NULL;   /* borrows argv's strings */
  int n_left;
  char **command;
  int n_own = argc, n_command;
  TraceRun run;
  GSource *pull;
  int status;

  /* Our options end at "--"; everything after it is the command. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--"))
      {
        n_own = i;
        break;
      }
  own_args = g_new0 (char *, n_own + 1);
  for (int i = 0; i < n_own; i++)
    own_args[i] = argv[i];
  n_left = n_own;

  context = g_option_context_new (_("-- COMMAND [ARGUMENT…]"));
  g_option_context_set_summary (context,
                                _("Run a command and record its tasks as a timeline that opens "
                                  "in Perfetto or chrome://tracing."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  /* Without "--", stop at the command's name: its options are its own. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &n_left, &own_args, &error))
    {
      g_printerr ("async-demo trace: %s\n", error->message);
      return EXIT_BAD_ARGS;
    }

  if (n_own < argc)
    {
      command = argv + n_own + 1;
      n_command = argc - n_own - 1;
    }
  else
    {
      command = own_args + 1;
      n_command = n_left - 1;
    }

  if (output == NULL)
    {
      g_printerr (_("async-demo trace: say where to write the trace with --output FILE\n"));
      return EXIT_BAD_ARGS;
    }
  if (n_command == 0)
    {
      g_printerr (_("async-demo trace: name the command to trace after “--”\n"));
      return EXIT_BAD_ARGS;
    }
  if (g_str_equal (command[0], "trace"))
    {
      g_printerr (_("async-demo trace: cannot trace itself\n"));
      return EXIT_BAD_ARGS;
    }

  recorder = ad_trace_recorder_new (TRACE_RING_CAPACITY);
  trace = ad_trace_new (TRACE_MAX_SLICES);
  ad_trace_recorder_attach (recorder, ad_task_registry_get_default ());

  run.recorder = recorder;
  run.trace = trace;
  pull = g_timeout_source_new (100);
  g_source_set_name (pull, "[async-demo] trace pull");
  g_source_set_callback (pull, pull_cb, &run, NULL);
  g_source_attach (pull, NULL);

  status = ad_cli_run (n_command, command);

  g_source_destroy (pull);
  g_source_unref (pull);
  ad_trace_recorder_detach (recorder);
  ad_trace_pull (trace, recorder);
  ad_trace_advance (trace, g_get_monotonic_time ());

  /* The same writer as the Tasks page's Save: a worker thread writes while
   * this thread waits for it (there is nothing else to do here) */
  {
    g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);
    SaveRun save = { NULL, 0, FALSE };

    ad_trace_file_save_async (trace, file, NULL, save_done_cb, &save);
    while (!save.done)
      g_main_context_iteration (NULL, TRUE);
    if (save.error != NULL)
      {
        g_printerr ("async-demo trace: %s\n", save.error->message);
        g_clear_error (&save.error);
        return EXIT_FAILURE;
      }
  }

  {
    g_autofree char *n_slices = g_strdup_printf ("%u", ad_trace_get_n_slices (trace));
    g_autofree char *n_dropped = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                  ad_trace_get_n_dropped (trace));

    g_printerr (_("async-demo trace: wrote %s slices and instants on %u lanes to %s "
                  "(%s dropped)\n"),
                n_slices, ad_trace_get_n_lanes (trace), output, n_dropped);
  }

  return status;
}
