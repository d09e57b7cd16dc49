/* ad-cmd-basics.c: `async-demo basics [NAME] [--json] [demo options]`
 *
 * Without NAME, lists the Basics demos. With NAME, runs that demo and
 * prints its narration as the log publishes it, then its summary. Each
 * demo's parameters become options (`--delay-ms 200`, `--sequential`),
 * built from the table in ad-basics.h, so the CLI and the GUI never
 * disagree about them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ad-cli-private.h"
#include "ad-core.h"

static int
list_demos (gboolean json)
{
  const AdBasicsDemo *demos;
  guint n_demos;

  demos = ad_basics_get_demos (&n_demos);
  for (guint i = 0; i < n_demos; i++)
    {
      const AdBasicsDemo *demo = &demos[i];

      if (json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "demo");
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, demo->id);
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, _(demo->title));
          json_builder_set_member_name (builder, "explanation");
          json_builder_add_string_value (builder, _(demo->explanation));
          json_builder_set_member_name (builder, "source");
          json_builder_add_string_value (builder, demo->source_file);
          if (demo->library_file != NULL)
            {
              json_builder_set_member_name (builder, "library");
              json_builder_add_string_value (builder, demo->library_file);
            }
          json_builder_set_member_name (builder, "params");
          json_builder_begin_array (builder);
          for (guint p = 0; p < demo->n_params; p++)
            {
              const AdBasicsParam *param = &demo->params[p];

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "name");
              json_builder_add_string_value (builder, param->name);
              json_builder_set_member_name (builder, "type");
              json_builder_add_string_value (builder, param->type == AD_BASICS_PARAM_BOOLEAN
                                                      ? "boolean" : "uint");
              json_builder_set_member_name (builder, "default");
              json_builder_add_int_value (builder, param->default_value);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
          ad_cli_print_json (builder);
        }
      else
        {
          g_print ("  %-14s %s\n", demo->id, _(demo->title));
        }
    }
  if (!json)
    g_print (_("Run “async-demo basics NAME” to run one, “async-demo basics NAME --help” "
               "for its options.\n"));

  return EXIT_SUCCESS;
}

#define MAX_PARAMS 8

typedef struct
{
  CliRun     *run;
  const char *demo_id;
  char       *summary;
} BasicsRun;

static void
basics_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BasicsRun *basics = user_data;
  CliRun *run = basics->run;
  g_autoptr(GError) error = NULL;

  basics->summary = ad_basics_run_finish (result, &error);
  if (basics->summary != NULL)
    {
      run->status = EXIT_SUCCESS;
    }
  else if (run->interrupted && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      run->status = EXIT_CANCELLED;
    }
  else
    {
      g_printerr ("async-demo basics: %s\n", error->message);
      run->status = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT)
                    ? EXIT_BAD_ARGS : EXIT_FAILURE;
    }

  g_main_loop_quit (run->loop);
}

/* After the log's last line. */
static void
print_summary (BasicsRun *basics)
{
  if (basics->run->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "result");
      json_builder_set_member_name (builder, "demo");
      json_builder_add_string_value (builder, basics->demo_id);
      json_builder_set_member_name (builder, "summary");
      json_builder_add_string_value (builder, basics->summary);
      json_builder_end_object (builder);
      ad_cli_print_json (builder);
    }
  else
    {
      g_print (_("Result: %s\n"), basics->summary);
    }
}

int
ad_cmd_basics (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  const AdBasicsDemo *demo = NULL;
  GOptionEntry entries[2 + MAX_PARAMS] = { { NULL } };
  int values[MAX_PARAMS] = { 0 };
  g_autoptr(AdLogModel) log = NULL;
  g_autoptr(GVariantDict) dict = NULL;
  CliRun run = { 0 };
  BasicsRun basics = { &run, NULL, NULL };
  guint n = 0;

  if (argc > 1 && argv[1][0] != '-')
    {
      demo = ad_basics_lookup (argv[1]);
      if (demo == NULL)
        {
          g_printerr (_("async-demo basics: there is no demo called “%s”\n"), argv[1]);
          g_printerr (_("Run “async-demo basics” to list them.\n"));
          return EXIT_BAD_ARGS;
        }
    }

  /* --json, then one option per parameter of the chosen demo. */
  g_assert (demo == NULL || demo->n_params <= MAX_PARAMS);
  entries[n++] = (GOptionEntry) { "json", 0, 0, G_OPTION_ARG_NONE, &json,
                                  N_("Print one JSON object per line"), NULL };
  for (guint i = 0; demo != NULL && i < demo->n_params; i++)
    {
      const AdBasicsParam *param = &demo->params[i];

      values[i] = G_MININT;  /* not given */
      entries[n++] = (GOptionEntry) {
        param->name, 0, 0,
        param->type == AD_BASICS_PARAM_BOOLEAN ? G_OPTION_ARG_NONE : G_OPTION_ARG_INT,
        &values[i], param->label, param->type == AD_BASICS_PARAM_BOOLEAN ? NULL : N_("N")
      };
    }

  if (!ad_cli_parse_options (entries, _("[NAME]"),
                             _("Run one of the Basics demos, or list them."), &argc, &argv))
    return EXIT_BAD_ARGS;
  if (argc > (demo ? 2 : 1))
    {
      g_printerr (_("async-demo basics: unexpected argument “%s”\n"), argv[demo ? 2 : 1]);
      return EXIT_BAD_ARGS;
    }

  if (demo == NULL)
    return list_demos (json);

  dict = g_variant_dict_new (NULL);
  for (guint i = 0; i < demo->n_params; i++)
    {
      const AdBasicsParam *param = &demo->params[i];

      if (param->type == AD_BASICS_PARAM_BOOLEAN)
        {
          /* G_OPTION_ARG_NONE stores TRUE (1) when given. */
          if (values[i] == TRUE)
            g_variant_dict_insert (dict, param->name, "b", TRUE);
        }
      else if (values[i] != G_MININT)
        {
          if (values[i] < 0)
            {
              g_printerr (_("async-demo basics: --%s must not be negative\n"), param->name);
              return EXIT_BAD_ARGS;
            }
          g_variant_dict_insert (dict, param->name, "u", (guint32) values[i]);
        }
    }

  ad_cli_run_init (&run);
  run.json = json;
  basics.demo_id = demo->id;

  log = ad_log_model_new (AD_LOG_MODEL_DEFAULT_CAPACITY);
  g_signal_connect (log, "items-changed", G_CALLBACK (ad_cli_print_log_items), &run);

  ad_basics_run_async (demo->id, g_variant_dict_end (dict), log, run.cancellable,
                       basics_done_cb, &basics);
  ad_cli_run_loop (&run);

  ad_log_model_flush (log);
  g_signal_handlers_disconnect_by_func (log, ad_cli_print_log_items, &run);
  if (basics.summary != NULL)
    print_summary (&basics);
  g_free (basics.summary);
  ad_cli_run_clear (&run);

  return run.status;
}
