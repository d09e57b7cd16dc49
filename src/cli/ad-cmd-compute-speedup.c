/* ad-cmd-compute-speedup.c: `async-demo compute speedup …`
 *
 *   async-demo compute speedup [--workload mandelbrot|sum-squares|primes] [--n N]
 *                              [--width W --height H --max-iter I]
 *                              [--rounds N] [--min-seconds S] [--json]
 *
 * The Compute page's speed-up measurement (AdSpeedup, in the core) from
 * the command line: a warm-up that scales the workload until one thread
 * runs at least --min-seconds, then --rounds interleaved rounds of 1 … N
 * threads and N processes. Prints the table the page shows (median, range,
 * speed-up, efficiency with its verdict) and the same notes; with --json,
 * one JSON object. Ctrl+C cancels: exit status 130.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ad-cli-private.h"
#include "ad-core.h"

#define N_COLUMNS 5

typedef struct
{
  CliRun     cli;
  AdSpeedup *speedup;
} SpeedupRun;

static void
speedup_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SpeedupRun *run = user_data;
  g_autoptr(GError) error = NULL;

  if (ad_speedup_run_finish (AD_SPEEDUP (source), result, &error))
    run->cli.status = EXIT_SUCCESS;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    run->cli.status = EXIT_CANCELLED;
  else
    {
      g_printerr ("async-demo compute speedup: %s\n", error->message);
      run->cli.status = g_error_matches (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_INVALID)
                        ? EXIT_BAD_ARGS : EXIT_FAILURE;
    }

  g_main_loop_quit (run->cli.loop);
}

static const char *
verdict_to_string (AdSpeedupVerdict verdict)
{
  switch (verdict)
    {
    case AD_SPEEDUP_VERDICT_WITHIN_NOISE:
      return "within-noise";
    case AD_SPEEDUP_VERDICT_SUPERLINEAR:
      return "super-linear";
    case AD_SPEEDUP_VERDICT_OK:
    default:
      return "ok";
    }
}

static void
print_json (AdSpeedup *speedup)
{
  const AdComputeParams *params = ad_speedup_get_params (speedup);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *workload = ad_speedup_describe_workload (speedup);
  g_autofree char *method = ad_speedup_describe_method (speedup);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "workload");
  json_builder_add_string_value (builder, ad_compute_workload_to_string (params->workload));
  if (params->workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    {
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, params->width);
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, params->height);
      json_builder_set_member_name (builder, "max_iter");
      json_builder_add_int_value (builder, params->max_iter);
    }
  else
    {
      json_builder_set_member_name (builder, "n");
      json_builder_add_int_value (builder, (gint64) params->n);
    }
  json_builder_set_member_name (builder, "scale");
  json_builder_add_double_value (builder, ad_speedup_get_scale (speedup));
  json_builder_set_member_name (builder, "min_seconds");
  json_builder_add_double_value (builder, ad_speedup_get_min_seconds (speedup));
  json_builder_set_member_name (builder, "rounds");
  json_builder_add_int_value (builder, ad_speedup_get_rounds (speedup));
  json_builder_set_member_name (builder, "note");
  json_builder_add_string_value (builder, workload);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);

  json_builder_set_member_name (builder, "configurations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ad_speedup_get_n_rows (speedup); i++)
    {
      const AdSpeedupRow *row = ad_speedup_get_row (speedup, i);
      g_autofree char *label = ad_speedup_row_dup_label (row);
      g_autofree char *efficiency = ad_speedup_row_format_efficiency (row);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, label);
      json_builder_set_member_name (builder, "backend");
      json_builder_add_string_value (builder, row->backend == AD_COMPUTE_BACKEND_THREADS
                                              ? "threads" : "processes");
      json_builder_set_member_name (builder, "workers");
      json_builder_add_int_value (builder, row->n_workers);
      json_builder_set_member_name (builder, "samples");
      json_builder_add_int_value (builder, row->n_samples);
      json_builder_set_member_name (builder, "median_us");
      json_builder_add_int_value (builder, row->median);
      json_builder_set_member_name (builder, "min_us");
      json_builder_add_int_value (builder, row->min);
      json_builder_set_member_name (builder, "max_us");
      json_builder_add_int_value (builder, row->max);
      json_builder_set_member_name (builder, "speedup");
      json_builder_add_double_value (builder, row->speedup);
      json_builder_set_member_name (builder, "speedup_low");
      json_builder_add_double_value (builder, row->speedup_low);
      json_builder_set_member_name (builder, "speedup_high");
      json_builder_add_double_value (builder, row->speedup_high);
      /* The measured ratio, for a program; "efficiency_text" is the
       * result as the page shows it, never above 100 % without its verdict. */
      json_builder_set_member_name (builder, "efficiency");
      json_builder_add_double_value (builder, row->efficiency);
      json_builder_set_member_name (builder, "verdict");
      json_builder_add_string_value (builder, verdict_to_string (row->verdict));
      json_builder_set_member_name (builder, "efficiency_text");
      json_builder_add_string_value (builder, efficiency);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  ad_cli_print_json (builder);
}

/* Prints @cells padded to @widths (in characters), the first column left-aligned. */
static void
print_cells (char      **cells,
             const int  *widths)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      int pad = widths[c] - (int) g_utf8_strlen (cells[c], -1);

      if (c > 0)
        g_string_append (line, "  ");
      if (c == 0)
        g_string_append (line, cells[c]);
      for (int i = 0; i < pad && c + 1 < N_COLUMNS; i++)
        g_string_append_c (line, ' ');
      if (c > 0)
        g_string_append (line, cells[c]);
    }
  g_print ("%s\n", line->str);
}

static void
print_text (AdSpeedup *speedup)
{
  guint n = ad_speedup_get_n_rows (speedup);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *workload = ad_speedup_describe_workload (speedup);
  g_autofree char *method = ad_speedup_describe_method (speedup);
  gboolean explained[AD_SPEEDUP_VERDICT_SUPERLINEAR + 1] = { FALSE, };
  int widths[N_COLUMNS] = { 0, };

  g_ptr_array_add (cells, g_strdup (_("Configuration")));
  g_ptr_array_add (cells, g_strdup (_("Time (median)")));
  g_ptr_array_add (cells, g_strdup (_("Range")));
  g_ptr_array_add (cells, g_strdup (_("Speed-up")));
  g_ptr_array_add (cells, g_strdup (_("Efficiency")));
  for (guint i = 0; i < n; i++)
    {
      const AdSpeedupRow *row = ad_speedup_get_row (speedup, i);

      g_ptr_array_add (cells, ad_speedup_row_dup_label (row));
      /* TRANSLATORS: a duration in seconds */
      g_ptr_array_add (cells, g_strdup_printf (_("%.2f s"), row->median / 1e6));
      /* TRANSLATORS: the fastest and slowest of a configuration's times, in seconds */
      g_ptr_array_add (cells, g_strdup_printf (_("%.2f–%.2f s"), row->min / 1e6,
                                               row->max / 1e6));
      g_ptr_array_add (cells, ad_speedup_row_format_speedup (row));
      g_ptr_array_add (cells, ad_speedup_row_format_efficiency (row));
    }
  for (guint i = 0; i < cells->len; i++)
    widths[i % N_COLUMNS] = MAX (widths[i % N_COLUMNS],
                                 (int) g_utf8_strlen (g_ptr_array_index (cells, i), -1));

  g_print ("%s %s\n\n", workload, method);
  for (guint r = 0; r <= n; r++)
    print_cells ((char **) &cells->pdata[(gsize) r * N_COLUMNS], widths);

  for (guint i = 0; i < n; i++)
    {
      AdSpeedupVerdict verdict = ad_speedup_get_row (speedup, i)->verdict;

      if (verdict != AD_SPEEDUP_VERDICT_OK && !explained[verdict])
        {
          explained[verdict] = TRUE;
          g_print ("\n%s\n", ad_speedup_verdict_explain (verdict));
        }
    }
}

/* argv[1] is "speedup". */
int
ad_cmd_compute_speedup (int    argc,
                        char **argv)
{
  g_autofree char *workload_str = NULL;
  g_autofree char *n_str = NULL;
  int width = 640, height = 480, max_iter = 500, rounds = AD_SPEEDUP_DEFAULT_ROUNDS;
  double min_seconds = AD_SPEEDUP_DEFAULT_MIN_SECONDS;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "workload", 'w', 0, G_OPTION_ARG_STRING, &workload_str,
      N_("sum-squares, primes or mandelbrot (default mandelbrot)"), N_("WORKLOAD") },
    { "n", 'n', 0, G_OPTION_ARG_STRING, &n_str,
      N_("sum-squares and primes: the starting N, before scaling (default 10000000)"),
      N_("N") },
    { "width", 'W', 0, G_OPTION_ARG_INT, &width,
      N_("mandelbrot: the starting width in pixels (default 640)"), N_("PIXELS") },
    { "height", 'H', 0, G_OPTION_ARG_INT, &height,
      N_("mandelbrot: the starting height in pixels (default 480)"), N_("PIXELS") },
    { "max-iter", 'i', 0, G_OPTION_ARG_INT, &max_iter,
      N_("mandelbrot: the iteration limit (default 500)"), N_("N") },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds,
      N_("Run every configuration N times, interleaved (default 3, at least 3)"), N_("N") },
    { "min-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &min_seconds,
      N_("Scale the workload until one thread runs at least S seconds (default 0.5)"),
      N_("S") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the figures as one JSON object"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  AdComputeWorkload workload = AD_COMPUTE_WORKLOAD_MANDELBROT;
  AdComputeParams params;
  SpeedupRun run = { 0 };

  if (!ad_cli_parse_options (entries, "speedup",
                             _("Measure how a workload scales: 1 … N threads and N processes, "
                               "a warm-up, then interleaved rounds; medians and ranges."),
                             &argc, &argv))
    return EXIT_BAD_ARGS;

  if (argc > 2)
    {
      g_printerr (_("async-demo compute: unexpected argument “%s”\n"), argv[2]);
      return EXIT_BAD_ARGS;
    }
  if (workload_str != NULL && !ad_compute_workload_from_string (workload_str, &workload))
    {
      g_printerr (_("async-demo compute: unknown workload “%s” (sum-squares, primes or "
                    "mandelbrot)\n"), workload_str);
      return EXIT_BAD_ARGS;
    }
  if (rounds < 3 || rounds > 1000)
    {
      g_printerr (_("async-demo compute speedup: --rounds must be between 3 and 1000\n"));
      return EXIT_BAD_ARGS;
    }
  if (!(min_seconds >= 0 && min_seconds <= 3600))
    {
      g_printerr (_("async-demo compute speedup: --min-seconds must be between 0 and 3600\n"));
      return EXIT_BAD_ARGS;
    }

  ad_compute_params_init_defaults (&params, workload);
  if (n_str != NULL
      && !g_ascii_string_to_unsigned (n_str, 10, 0, G_MAXUINT64, &params.n, &error))
    {
      g_printerr (_("async-demo compute: %s: %s\n"), "--n", error->message);
      return EXIT_BAD_ARGS;
    }
  if (width < 1 || height < 1 || max_iter < 1)
    {
      g_printerr (_("async-demo compute: the width, height and iteration limit must be "
                    "positive\n"));
      return EXIT_BAD_ARGS;
    }
  if (workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    {
      params.width = (guint) width;
      params.height = (guint) height;
      params.max_iter = (guint) max_iter;
    }
  if (!ad_compute_params_validate (&params, &error))
    {
      g_printerr ("async-demo compute: %s\n", error->message);
      return EXIT_BAD_ARGS;
    }

  ad_cli_run_init (&run.cli);
  run.cli.json = json;
  run.speedup = ad_speedup_new (&params, ad_compute_max_workers (), NULL);
  ad_speedup_set_rounds (run.speedup, (guint) rounds);
  ad_speedup_set_min_seconds (run.speedup, min_seconds);
  if (!json)
    g_printerr (_("Measuring: a warm-up, then %d rounds of every configuration…\n"), rounds);
  ad_speedup_run_async (run.speedup, run.cli.cancellable, speedup_done_cb, &run);
  ad_cli_run_loop (&run.cli);

  if (run.cli.status == EXIT_SUCCESS)
    {
      if (json)
        print_json (run.speedup);
      else
        print_text (run.speedup);
    }

  g_clear_object (&run.speedup);
  ad_cli_run_clear (&run.cli);

  return run.cli.status;
}
