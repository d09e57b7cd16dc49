/* ad-cmd-compute.c: `async-demo compute WORKLOAD …`
 *
 *   async-demo compute sum-squares --n 10000000 [--threads N | --processes N] [--json]
 *   async-demo compute primes --n 1000000000 …
 *   async-demo compute mandelbrot --width W --height H --max-iter I --output file.png …
 *   async-demo compute speedup …   (ad-cmd-compute-speedup.c)
 *
 * Runs one AdComputeJob on the main loop and prints the answer, the elapsed
 * time and how many threads (or processes) computed it; with --json, one
 * JSON object. Ctrl+C cancels the job: its workers stop within
 * milliseconds, and the command exits with 130.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ad-cli-private.h"
#include "ad-core.h"

typedef struct
{
  CliRun           cli;
  const char      *output;
  AdComputeResult *result;
} ComputeRun;

static void
compute_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ComputeRun *run = user_data;
  g_autoptr(GError) error = NULL;

  run->result = ad_compute_job_run_finish (AD_COMPUTE_JOB (source), result, &error);
  if (run->result != NULL)
    run->cli.status = EXIT_SUCCESS;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    run->cli.status = EXIT_CANCELLED;
  else
    {
      g_printerr ("async-demo compute: %s\n", error->message);
      run->cli.status = g_error_matches (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_INVALID)
                        ? EXIT_BAD_ARGS : EXIT_FAILURE;
    }

  g_main_loop_quit (run->cli.loop);
}

static void
print_json (AdComputeResult *result,
            const char      *output)
{
  const AdComputeParams *params = ad_compute_result_get_params (result);
  AdComputeBackend backend = ad_compute_result_get_backend (result);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *value = ad_compute_result_to_string (result);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "workload");
  json_builder_add_string_value (builder, ad_compute_workload_to_string (params->workload));

  switch (params->workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
      json_builder_set_member_name (builder, "n");
      json_builder_add_int_value (builder, (gint64) params->n);
      /* A string: JSON numbers are doubles to most readers, and the sum
       * needs up to 128 bits. */
      json_builder_set_member_name (builder, "result");
      json_builder_add_string_value (builder, value);
      break;

    case AD_COMPUTE_WORKLOAD_PRIMES:
      json_builder_set_member_name (builder, "n");
      json_builder_add_int_value (builder, (gint64) params->n);
      json_builder_set_member_name (builder, "result");
      json_builder_add_int_value (builder, (gint64) ad_compute_result_get_count (result));
      break;

    case AD_COMPUTE_WORKLOAD_MANDELBROT:
    default:
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, params->width);
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, params->height);
      json_builder_set_member_name (builder, "max_iter");
      json_builder_add_int_value (builder, params->max_iter);
      json_builder_set_member_name (builder, "center_x");
      json_builder_add_double_value (builder, params->center_x);
      json_builder_set_member_name (builder, "center_y");
      json_builder_add_double_value (builder, params->center_y);
      json_builder_set_member_name (builder, "scale");
      json_builder_add_double_value (builder, params->scale);
      json_builder_set_member_name (builder, "result");
      json_builder_add_string_value (builder, value);
      json_builder_set_member_name (builder, "checksum");
      json_builder_add_string_value (builder, value);
      json_builder_set_member_name (builder, "output");
      if (output != NULL)
        json_builder_add_string_value (builder, output);
      else
        json_builder_add_null_value (builder);
      break;
    }

  json_builder_set_member_name (builder, "elapsed_us");
  json_builder_add_int_value (builder, ad_compute_result_get_elapsed (result));
  json_builder_set_member_name (builder, "backend");
  json_builder_add_string_value (builder,
                                 backend == AD_COMPUTE_BACKEND_THREADS ? "threads" : "processes");
  json_builder_set_member_name (builder,
                                backend == AD_COMPUTE_BACKEND_THREADS ? "threads" : "processes");
  json_builder_add_int_value (builder, ad_compute_result_get_n_workers (result));
  json_builder_set_member_name (builder, "chunks");
  json_builder_add_int_value (builder, ad_compute_result_get_n_chunks (result));
  json_builder_end_object (builder);
  ad_cli_print_json (builder);
}

static void
print_text (AdComputeResult *result,
            const char      *output)
{
  const AdComputeParams *params = ad_compute_result_get_params (result);
  guint n_workers = ad_compute_result_get_n_workers (result);
  g_autofree char *value = ad_compute_result_to_string (result);
  g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, params->n);
  g_autofree char *seconds = g_strdup_printf ("%.3f", ad_compute_result_get_elapsed (result)
                                                      / (double) G_USEC_PER_SEC);

  switch (params->workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
      /* Translators: the sum of i² for i from 0 to n - 1 */
      g_print (_("Sum of squares below %s: %s\n"), n, value);
      break;

    case AD_COMPUTE_WORKLOAD_PRIMES:
      g_print (_("Primes up to %s: %s\n"), n, value);
      break;

    case AD_COMPUTE_WORKLOAD_MANDELBROT:
    default:
      g_print (_("Mandelbrot image %u×%u, %u iterations: checksum %s\n"),
               params->width, params->height, params->max_iter, value);
      if (output != NULL)
        g_print (_("Saved to %s\n"), output);
      break;
    }

  if (ad_compute_result_get_backend (result) == AD_COMPUTE_BACKEND_THREADS)
    g_print (g_dngettext (GETTEXT_PACKAGE, "Elapsed: %s s on %u thread\n",
                          "Elapsed: %s s on %u threads\n", n_workers), seconds, n_workers);
  else
    g_print (g_dngettext (GETTEXT_PACKAGE, "Elapsed: %s s on %u process\n",
                          "Elapsed: %s s on %u processes\n", n_workers), seconds, n_workers);
}

static gboolean
parse_count (const char *option,
             const char *value,
             guint64    *out)
{
  g_autoptr(GError) error = NULL;

  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, out, &error))
    {
      g_printerr (_("async-demo compute: %s: %s\n"), option, error->message);
      return FALSE;
    }

  return TRUE;
}

int
ad_cmd_compute (int    argc,
                char **argv)
{
  g_autofree char *n_str = NULL;
  g_autofree char *output = NULL;
  int threads = -1, processes = -1;   /* -1: not given */
  int width = 640, height = 480, max_iter = 500;
  double center_x = -0.75, center_y = 0.0, scale = 3.5;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "n", 'n', 0, G_OPTION_ARG_STRING, &n_str,
      N_("sum-squares: sum i² for i below N; primes: count the primes up to N "
         "(default 10000000)"), N_("N") },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads,
      N_("Run on N threads (default: one per processor)"), N_("N") },
    { "processes", 'p', 0, G_OPTION_ARG_INT, &processes,
      N_("Run in N worker processes instead of threads"), N_("N") },
    { "width", 'W', 0, G_OPTION_ARG_INT, &width,
      N_("mandelbrot: the image width in pixels (default 640)"), N_("PIXELS") },
    { "height", 'H', 0, G_OPTION_ARG_INT, &height,
      N_("mandelbrot: the image height in pixels (default 480)"), N_("PIXELS") },
    { "max-iter", 'i', 0, G_OPTION_ARG_INT, &max_iter,
      N_("mandelbrot: the iteration limit (default 500)"), N_("N") },
    { "center-x", 0, 0, G_OPTION_ARG_DOUBLE, &center_x,
      N_("mandelbrot: the real part of the view’s center (default -0.75)"), N_("X") },
    { "center-y", 0, 0, G_OPTION_ARG_DOUBLE, &center_y,
      N_("mandelbrot: the imaginary part of the view’s center (default 0)"), N_("Y") },
    { "scale", 's', 0, G_OPTION_ARG_DOUBLE, &scale,
      N_("mandelbrot: the width of the view on the complex plane; smaller zooms in "
         "(default 3.5)"), N_("WIDTH") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("mandelbrot: save the image as PNG"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the result as one JSON object"), NULL },
    { NULL }
  };
  g_autoptr(AdComputeJob) job = NULL;
  g_autoptr(GError) error = NULL;
  AdComputeParams params;
  AdComputeWorkload workload;
  AdComputeBackend backend = AD_COMPUTE_BACKEND_THREADS;
  guint max_workers = ad_compute_max_workers ();
  guint n_workers = max_workers;
  ComputeRun run = { 0 };

  /* The speed-up measurement has options of its own. */
  if (argc >= 2 && g_str_equal (argv[1], "speedup"))
    return ad_cmd_compute_speedup (argc, argv);

  if (!ad_cli_parse_options (entries, N_("WORKLOAD"),
                             _("Run a workload on every core: sum-squares, primes or mandelbrot. "
                               "“async-demo compute speedup --help”: measure how one scales."),
                             &argc, &argv))
    return EXIT_BAD_ARGS;

  if (argc < 2)
    {
      g_printerr (_("async-demo compute: which workload? sum-squares, primes or mandelbrot\n"));
      return EXIT_BAD_ARGS;
    }
  if (!ad_compute_workload_from_string (argv[1], &workload))
    {
      g_printerr (_("async-demo compute: unknown workload “%s” (sum-squares, primes or "
                    "mandelbrot)\n"), argv[1]);
      return EXIT_BAD_ARGS;
    }
  if (argc > 2)
    {
      g_printerr (_("async-demo compute: unexpected argument “%s”\n"), argv[2]);
      return EXIT_BAD_ARGS;
    }

  if (threads != -1 && processes != -1)
    {
      g_printerr (_("async-demo compute: use either --threads or --processes\n"));
      return EXIT_BAD_ARGS;
    }
  if (processes != -1)
    {
      backend = AD_COMPUTE_BACKEND_PROCESSES;
      threads = processes;
    }
  if (threads != -1)
    {
      if (threads < 1 || (guint) threads > max_workers)
        {
          g_printerr (_("async-demo compute: the number of workers must be between 1 and %u\n"),
                      max_workers);
          return EXIT_BAD_ARGS;
        }
      n_workers = (guint) threads;
    }

  ad_compute_params_init_defaults (&params, workload);
  if (n_str != NULL && !parse_count ("--n", n_str, &params.n))
    return EXIT_BAD_ARGS;
  if (width < 1 || height < 1 || max_iter < 1)
    {
      g_printerr (_("async-demo compute: the width, height and iteration limit must be "
                    "positive\n"));
      return EXIT_BAD_ARGS;
    }
  params.width = (guint) width;
  params.height = (guint) height;
  params.max_iter = (guint) max_iter;
  params.center_x = center_x;
  params.center_y = center_y;
  params.scale = scale;

  if (!ad_compute_params_validate (&params, &error))
    {
      g_printerr ("async-demo compute: %s\n", error->message);
      return EXIT_BAD_ARGS;
    }
  if (output != NULL && workload != AD_COMPUTE_WORKLOAD_MANDELBROT)
    {
      g_printerr (_("async-demo compute: --output is for the mandelbrot workload\n"));
      return EXIT_BAD_ARGS;
    }

  ad_cli_run_init (&run.cli);
  run.cli.json = json;
  run.output = output;

  job = ad_compute_job_new (&params, backend, n_workers);
  ad_compute_job_run_async (job, run.cli.cancellable, compute_done_cb, &run);
  ad_cli_run_loop (&run.cli);

  if (run.result != NULL)
    {
      if (output != NULL && !ad_compute_result_save_png (run.result, output, &error))
        {
          g_printerr ("async-demo compute: %s\n", error->message);
          run.cli.status = EXIT_FAILURE;
        }
      else if (json)
        print_json (run.result, output);
      else
        print_text (run.result, output);
    }

  g_clear_object (&run.result);
  ad_cli_run_clear (&run.cli);

  return run.cli.status;
}
