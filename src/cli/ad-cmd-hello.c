/* ad-cmd-hello.c: `async-demo hello`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Cli"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-cli-private.h"
#include "ad-core.h"

static void
hello_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CliRun *run = user_data;
  g_autoptr(GError) error = NULL;

  if (ad_hello_run_finish (result, &error))
    run->status = EXIT_SUCCESS;
  else if (run->interrupted && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    run->status = EXIT_CANCELLED;
  else
    {
      g_printerr ("async-demo hello: %s\n", error->message);
      run->status = EXIT_FAILURE;
    }

  g_main_loop_quit (run->loop);
}

int
ad_cmd_hello (int    argc,
           char **argv)
{
  gboolean sequential = FALSE;
  gboolean json = FALSE;
  int delay_ms = AD_HELLO_DEFAULT_DELAY_MS;
  GOptionEntry entries[] = {
    { "sequential", 's', 0, G_OPTION_ARG_NONE, &sequential,
      N_("Greet one after the other instead of concurrently"), NULL },
    { "delay", 'd', 0, G_OPTION_ARG_INT, &delay_ms,
      N_("How long each greeting waits, in milliseconds (default 1000)"), N_("MS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON object per line"), NULL },
    { NULL }
  };
  g_autoptr(AdLogModel) log = NULL;
  CliRun run = { 0 };

  if (!ad_cli_parse_options (entries, NULL, _("Say hello, then greet Alice and Bob concurrently."),
                      &argc, &argv))
    return EXIT_BAD_ARGS;
  if (argc > 1)
    {
      g_printerr (_("async-demo hello: unexpected argument “%s”\n"), argv[1]);
      return EXIT_BAD_ARGS;
    }
  if (delay_ms < 0 || delay_ms > 600000)
    {
      g_printerr (_("async-demo hello: the delay must be between 0 and 600000 ms\n"));
      return EXIT_BAD_ARGS;
    }

  ad_cli_run_init (&run);
  run.json = json;

  log = ad_log_model_new (AD_LOG_MODEL_DEFAULT_CAPACITY);
  g_signal_connect (log, "items-changed", G_CALLBACK (ad_cli_print_log_items), &run);

  ad_hello_run_async (log,
                      sequential ? AD_HELLO_FLAGS_SEQUENTIAL : AD_HELLO_FLAGS_NONE,
                      (guint) delay_ms, run.cancellable, hello_done_cb, &run);
  ad_cli_run_loop (&run);

  /* Print what was logged after the last publish. */
  ad_log_model_flush (log);
  g_signal_handlers_disconnect_by_func (log, ad_cli_print_log_items, &run);
  ad_cli_run_clear (&run);

  return run.status;
}

