/* ad-compute-worker.c: the worker process's side of the compute protocol
 *
 * The process backend of AdComputeJob (the counterpart of Python's
 * ProcessPoolExecutor) starts N copies of the app's own binary in a hidden
 * mode, `async-demo compute-worker`, and talks to each over its stdin and
 * stdout. A worker computes one chunk at a time, in the order asked, with
 * the same kernels the threads run; it holds no state but a cache of base
 * primes, so any worker can take any chunk.
 *
 * The protocol: ASCII lines ending in "\n", fields separated by one space;
 * numbers in decimal, doubles in the C locale with enough digits to round-
 * trip exactly (g_ascii_dtostr), so a process renders the very pixels a
 * thread would.
 *
 *   parent → worker (requests, one per line)
 *     sum-squares LO HI            Σ i² for i in [LO, HI)
 *     primes LO HI                 the number of primes in [LO, HI)
 *     mandelbrot WIDTH HEIGHT MAX_ITER CENTER_X CENTER_Y SCALE X Y W H
 *                                  the tile (X, Y, W, H) of that image
 *
 *   worker → parent (one response per request, in order)
 *     ok VALUE                     the sum (up to 39 digits) or the count
 *     tile LENGTH                  then LENGTH raw bytes: the tile's RGB
 *                                  rows, packed (LENGTH = W · H · 3)
 *     error MESSAGE                a request it could not parse; it then exits
 *
 * The worker exits with status 0 at the end of its input: the parent closes
 * the worker's stdin when no chunk is left. To cancel, the parent kills the
 * workers (SIGKILL through g_subprocess_force_exit()) and reaps them; a
 * worker that dies on its own shows up to the parent as the end of its
 * stdout and an exit status, which the parent reports as an error.
 *
 * The worker blocks on its pipes: it is a process with nothing else to do.
 * The parent never does; see ad-compute-job.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ad-compute-error.h"
#include "ad-compute-worker.h"

/**
 * ad_compute_worker_format_request:
 *
 * Returns: (transfer full): the request line for @chunk, "\n" included
 */
char *
ad_compute_worker_format_request (const AdComputeParams *params,
                                  const AdComputeChunk  *chunk)
{
  const char *name = ad_compute_workload_to_string (params->workload);

  if (params->workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    {
      char cx[G_ASCII_DTOSTR_BUF_SIZE], cy[G_ASCII_DTOSTR_BUF_SIZE];
      char scale[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (cx, sizeof cx, params->center_x);
      g_ascii_dtostr (cy, sizeof cy, params->center_y);
      g_ascii_dtostr (scale, sizeof scale, params->scale);

      return g_strdup_printf ("%s %u %u %u %s %s %s %u %u %u %u\n", name,
                              params->width, params->height, params->max_iter, cx, cy, scale,
                              chunk->x, chunk->y, chunk->width, chunk->height);
    }

  return g_strdup_printf ("%s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
                          name, chunk->lo, chunk->hi);
}

static gboolean
parse_u64 (const char *str,
           guint64     max,
           guint64    *value)
{
  return g_ascii_string_to_unsigned (str, 10, 0, max, value, NULL);
}

static gboolean
parse_double (const char *str,
              double     *value)
{
  char *end = NULL;

  *value = g_ascii_strtod (str, &end);
  return end != str && *end == '\0';
}

/**
 * ad_compute_worker_parse_request:
 * @line: one request, without its "\n"
 *
 * Fills @params and @chunk from @line, and checks them as a job would.
 */
gboolean
ad_compute_worker_parse_request (const char       *line,
                                 AdComputeParams  *params,
                                 AdComputeChunk   *chunk,
                                 GError          **error)
{
  g_auto(GStrv) fields = g_strsplit (line, " ", -1);
  guint n_fields = g_strv_length (fields);
  AdComputeWorkload workload;
  guint64 v[7];

  memset (chunk, 0, sizeof *chunk);
  if (n_fields == 0 || !ad_compute_workload_from_string (fields[0], &workload))
    goto bad;
  ad_compute_params_init_defaults (params, workload);

  if (workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    {
      if (n_fields != 11
          || !parse_u64 (fields[1], AD_MANDELBROT_MAX_SIZE, &v[0])
          || !parse_u64 (fields[2], AD_MANDELBROT_MAX_SIZE, &v[1])
          || !parse_u64 (fields[3], AD_MANDELBROT_MAX_ITER, &v[2])
          || !parse_double (fields[4], &params->center_x)
          || !parse_double (fields[5], &params->center_y)
          || !parse_double (fields[6], &params->scale))
        goto bad;
      for (guint i = 0; i < 4; i++)
        if (!parse_u64 (fields[7 + i], AD_MANDELBROT_MAX_SIZE, &v[3 + i]))
          goto bad;
      params->width = (guint) v[0];
      params->height = (guint) v[1];
      params->max_iter = (guint) v[2];
      chunk->x = (guint) v[3];
      chunk->y = (guint) v[4];
      chunk->width = (guint) v[5];
      chunk->height = (guint) v[6];
      if (chunk->width == 0 || chunk->height == 0
          || chunk->x + chunk->width > params->width || chunk->y + chunk->height > params->height)
        goto bad;
    }
  else
    {
      if (n_fields != 3
          || !parse_u64 (fields[1], G_MAXUINT64, &chunk->lo)
          || !parse_u64 (fields[2], G_MAXUINT64, &chunk->hi)
          || chunk->lo > chunk->hi)
        goto bad;
      /* sum-squares covers [0, n), primes [0, n]. */
      params->n = (workload == AD_COMPUTE_WORKLOAD_PRIMES && chunk->hi > 0) ? chunk->hi - 1
                                                                             : chunk->hi;
    }

  return ad_compute_params_validate (params, error);

bad:
  g_set_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_PROTOCOL,
               _("Malformed request “%s”"), line);
  return FALSE;
}

/* Answers one request: "ok VALUE\n" or "tile LENGTH\n" and the pixels. */
static gboolean
answer (GOutputStream          *output,
        const AdComputeParams  *params,
        const AdComputeChunk   *chunk,
        GArray                **base,
        guint64                *base_limit,
        GError                **error)
{
  g_autofree char *head = NULL;
  g_autofree guint8 *tile = NULL;
  gsize tile_len = 0;

  switch (params->workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
      {
        AdUInt128 sum = 0;
        g_autofree char *digits = NULL;

        ad_sum_squares_range (chunk->lo, chunk->hi, NULL, &sum);
        digits = ad_uint128_to_string (sum);
        head = g_strdup_printf ("ok %s\n", digits);
      }
      break;

    case AD_COMPUTE_WORKLOAD_PRIMES:
      {
        guint64 count = 0;

        if (*base == NULL || *base_limit < chunk->hi)
          {
            g_clear_pointer (base, g_array_unref);
            *base = ad_primes_base (chunk->hi);
            *base_limit = chunk->hi;
          }
        ad_primes_count_range ((const guint32 *) (void *) (*base)->data, (*base)->len,
                               chunk->lo, chunk->hi, NULL, &count);
        head = g_strdup_printf ("ok %" G_GUINT64_FORMAT "\n", count);
      }
      break;

    case AD_COMPUTE_WORKLOAD_MANDELBROT:
    default:
      tile_len = (gsize) chunk->width * chunk->height * AD_MANDELBROT_BPP;
      tile = g_malloc (tile_len);
      ad_mandelbrot_render (params, chunk->x, chunk->y, chunk->width, chunk->height,
                            tile, (gsize) chunk->width * AD_MANDELBROT_BPP, NULL);
      head = g_strdup_printf ("tile %" G_GSIZE_FORMAT "\n", tile_len);
      break;
    }

  if (!g_output_stream_write_all (output, head, strlen (head), NULL, NULL, error))
    return FALSE;
  if (tile_len > 0 && !g_output_stream_write_all (output, tile, tile_len, NULL, NULL, error))
    return FALSE;

  return g_output_stream_flush (output, NULL, error);
}

/**
 * ad_compute_worker_serve:
 * @input: the requests (the worker's stdin)
 * @output: the responses (the worker's stdout)
 *
 * Answers requests until the end of @input. Blocking: this is the whole
 * life of a worker process.
 *
 * Returns: %TRUE at the end of the input; %FALSE on a malformed request or
 *   a broken pipe
 */
gboolean
ad_compute_worker_serve (GInputStream   *input,
                         GOutputStream  *output,
                         GError        **error)
{
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (input);
  g_autoptr(GOutputStream) buffered = g_buffered_output_stream_new_sized (output, 65536);
  g_autoptr(GArray) base = NULL;
  guint64 base_limit = 0;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (lines), FALSE);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (buffered), FALSE);

  for (;;)
    {
      g_autofree char *line = NULL;
      g_autoptr(GError) local_error = NULL;
      AdComputeParams params;
      AdComputeChunk chunk;

      line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &local_error);
      if (line == NULL)
        {
          if (local_error == NULL)
            return TRUE;   /* end of input: the parent is done with us */
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (!ad_compute_worker_parse_request (line, &params, &chunk, &local_error))
        {
          g_autofree char *reply = g_strdup_printf ("error %s\n", local_error->message);

          g_output_stream_write_all (buffered, reply, strlen (reply), NULL, NULL, NULL);
          g_output_stream_flush (buffered, NULL, NULL);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (!answer (buffered, &params, &chunk, &base, &base_limit, error))
        return FALSE;
    }
}
