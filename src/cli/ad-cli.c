/* ad-cli.c: `async-demo COMMAND …`, the headless side of every feature
 *
 * Each command runs the same core code as its page, on a plain GMainLoop,
 * and prints as it goes. No command initialises GTK, so they run without a
 * display (over ssh, in CI, in a container). Ctrl+C cancels the running
 * command through its GCancellable, so it stops cleanly.
 *
 * Exit status: 0 success, 1 the work failed, 2 bad arguments, 130 cancelled
 * by SIGINT (as shells report it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>

#include "ad-cli.h"
#include "ad-cli-private.h"
#include "ad-core.h"

typedef struct
{
  const char *name;
  const char *summary;
  int       (*run) (int argc, char **argv);
  gboolean    hidden;
} AdCliCommand;

static gboolean
on_interrupt (gpointer user_data)
{
  CliRun *run = user_data;

  run->interrupted = TRUE;
  g_cancellable_cancel (run->cancellable);

  return G_SOURCE_CONTINUE;
}

/* SIGINT and SIGTERM cancel the run from here on, before the command
 * prints anything: whoever reads its first line (a script, a test) may
 * interrupt it at once. A signal that arrives before the loop runs waits
 * in its source and cancels the run as soon as the loop starts. */
void
ad_cli_run_init (CliRun *run)
{
  run->loop = g_main_loop_new (NULL, FALSE);
  run->cancellable = g_cancellable_new ();
  run->sigint_id = g_unix_signal_add (SIGINT, on_interrupt, run);
  run->sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt, run);
}

void
ad_cli_run_clear (CliRun *run)
{
  g_clear_handle_id (&run->sigint_id, g_source_remove);
  g_clear_handle_id (&run->sigterm_id, g_source_remove);
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_object (&run->cancellable);
}

/* Runs the loop until a callback quits it; SIGINT and SIGTERM cancel. */
void
ad_cli_run_loop (CliRun *run)
{
  g_main_loop_run (run->loop);
}

void
ad_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);

  g_print ("%s\n", text);
}

void
ad_cli_print_entry (AdLogEntry *entry,
                    gboolean    json)
{
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "log");
      json_builder_set_member_name (builder, "elapsed_us");
      json_builder_add_int_value (builder, ad_log_entry_get_elapsed (entry));
      json_builder_set_member_name (builder, "thread");
      json_builder_add_string_value (builder, ad_log_entry_get_thread_name (entry));
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, ad_log_entry_get_message (entry));
      json_builder_end_object (builder);
      ad_cli_print_json (builder);
    }
  else
    {
      g_autofree char *line = ad_log_entry_format (entry);

      g_print ("%s\n", line);
    }
  fflush (stdout);
}

/* Prints records as the log publishes them, in order. */
void
ad_cli_print_log_items (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        gpointer    user_data)
{
  CliRun *run = user_data;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(AdLogEntry) entry = g_list_model_get_item (model, i);

      ad_cli_print_entry (entry, run->json);
    }
}

gboolean
ad_cli_parse_options (GOptionEntry   *entries,
                      const char     *parameter_string,
                      const char     *summary,
                      int            *argc,
                      char         ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("async-demo: %s\n", error->message);
      g_printerr (_("Run “async-demo %s --help” to see the options.\n"), (*argv)[0]);
      return FALSE;
    }

  return TRUE;
}

/* ---- the table -------------------------------------------------------- */

static const AdCliCommand commands[] = {
  { "basics", N_("List the Basics demos, or run one"), ad_cmd_basics },
  { "chat", N_("Chat in the terminal with a chat server"), ad_cmd_chat },
  { "chat-server", N_("Run the chat server (127.0.0.1:8888 unless told otherwise)"),
    ad_cmd_chat_server },
  { "hello", N_("Print “Hello, Async!” and greet Alice and Bob concurrently"), ad_cmd_hello },
  { "compute", N_("Run a CPU-bound workload on threads or worker processes"), ad_cmd_compute },
  { "compute-worker", NULL, ad_cmd_compute_worker, TRUE },
  { "crawl", N_("Crawl a web site (the built-in sample site by default) for broken links"),
    ad_cmd_crawl },
  { "fetch", N_("Fetch URLs concurrently"), ad_cmd_fetch },
  { "trace", N_("Run a command and write its timeline as Trace Event JSON"), ad_cmd_trace },
};

/**
 * ad_cli_describe_commands:
 *
 * Returns: (transfer full): the list of commands for `--help`
 */
char *
ad_cli_describe_commands (void)
{
  GString *str = g_string_new (_("Commands (they need no display):"));

  g_string_append_c (str, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (!commands[i].hidden)
      g_string_append_printf (str, "  %-14s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append (str, _("Run “async-demo COMMAND --help” for a command’s options."));

  return g_string_free (str, FALSE);
}

/**
 * ad_cli_run:
 * @argc: the number of arguments, starting with the command's name
 * @argv: the arguments, starting with the command's name
 *
 * Returns: the process's exit status
 */
int
ad_cli_run (int    argc,
            char **argv)
{
  g_return_val_if_fail (argc > 0, EXIT_BAD_ARGS);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[0], commands[i].name))
        return commands[i].run (argc, argv);
    }

  g_printerr (_("async-demo: unknown command “%s”\n"), argv[0]);
  g_printerr (_("Run “async-demo --help” to see the commands.\n"));

  return EXIT_BAD_ARGS;
}
