/* test-compute.c: the compute engine's workloads, on both backends, and its PNG writer
 *
 * Every run goes through the real engine: a real GThreadPool, real worker
 * processes (the async-demo binary in its hidden compute-worker mode) and a
 * main context pumped by the test until the run's callback fires. A run's
 * cancellation, failing workers and tasks are in test-compute-runs.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ad-core.h"
#include "ad-test-utils.h"
#include "ad-tsan.h"

#include "compute-test-fixture.h"

/* 1, 2 and (when the machine has more) every processor. */
static guint
worker_counts (guint counts[3])
{
  guint max = ad_compute_max_workers ();
  guint n = 0;

  counts[n++] = 1;
  if (max >= 2)
    counts[n++] = 2;
  if (max > 2)
    counts[n++] = max;

  return n;
}

static AdComputeResult *
run_params (const AdComputeParams *params,
            AdComputeBackend       backend,
            guint                  n_workers)
{
  AdComputeJob *job = job_new (params, backend, n_workers);
  g_autoptr(GError) error = NULL;
  AdComputeResult *result = run_job (job, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_false (ad_compute_job_get_running (job));
  g_assert_cmpuint (ad_compute_job_get_chunks_done (job), ==, ad_compute_job_get_n_chunks (job));
  g_assert_cmpfloat (ad_compute_job_get_progress (job), ==, 1.0);
  /* Nothing of the run keeps the job alive once it returned. */
  g_assert_finalize_object (job);

  return result;
}

/* ---- sum of squares ---------------------------------------------------- */

static void
test_uint128 (void)
{
  AdUInt128 value = 0;
  g_autofree char *max = ad_uint128_to_string (~(AdUInt128) 0);
  g_autofree char *zero = ad_uint128_to_string (0);
  g_autofree char *big = ad_uint128_to_string (ad_sum_squares_closed_form (10000000));

  g_assert_cmpstr (max, ==, "340282366920938463463374607431768211455");
  g_assert_cmpstr (zero, ==, "0");
  g_assert_cmpstr (big, ==, "333333283333335000000");

  g_assert_true (ad_uint128_from_string (max, &value));
  g_assert_true (value == ~(AdUInt128) 0);
  g_assert_true (ad_uint128_from_string ("333333283333335000000", &value));
  g_assert_true (value == ad_sum_squares_closed_form (10000000));
  g_assert_false (ad_uint128_from_string ("340282366920938463463374607431768211456", &value));
  g_assert_false (ad_uint128_from_string ("", &value));
  g_assert_false (ad_uint128_from_string ("12a", &value));
  g_assert_false (ad_uint128_from_string ("-1", &value));
}

static void
test_sum_squares_kernel (void)
{
  static const guint64 ns[] = { 0, 1, 2, 3, 10, 1000, 123457, 1 << 20 };
  AdUInt128 sum = 1;
  g_autofree char *at_max = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ns); i++)
    {
      g_assert_true (ad_sum_squares_range (0, ns[i], NULL, &sum));
      g_assert_true (sum == ad_sum_squares_closed_form (ns[i]));
    }

  /* Ranges add up, across the 2^32 boundary where i² needs 128 bits. */
  {
    guint64 lo = G_GUINT64_CONSTANT (4294967296) - 1000, hi = lo + 3000;
    AdUInt128 part = 0;

    g_assert_true (ad_sum_squares_range (lo, hi, NULL, &part));
    g_assert_true (part == ad_sum_squares_closed_form (hi) - ad_sum_squares_closed_form (lo));
  }

  /* The closed form at the limit needs the full 128 bits. */
  at_max = ad_uint128_to_string (ad_sum_squares_closed_form (AD_SUM_SQUARES_MAX_N));
  g_assert_cmpstr (at_max, ==, "333333333332833333333333500000000000");
}

static void
check_sum_squares (AdComputeBackend backend)
{
  static const guint64 ns[] = { 0, 1, 5, 10000000 };
  guint counts[3];
  guint n_counts = worker_counts (counts);

  for (guint i = 0; i < G_N_ELEMENTS (ns); i++)
    for (guint c = 0; c < n_counts; c++)
      {
        AdComputeParams params;
        g_autoptr(AdComputeResult) result = NULL;
        g_autofree char *text = NULL;

        ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
        params.n = ns[i];
        result = run_params (&params, backend, counts[c]);
        g_assert_true (ad_compute_result_get_sum (result) == ad_sum_squares_closed_form (ns[i]));
        g_assert_cmpuint (ad_compute_result_get_n_workers (result), ==, counts[c]);
        g_assert_cmpint (ad_compute_result_get_backend (result), ==, backend);
        if (ns[i] == 10000000)
          {
            text = ad_compute_result_to_string (result);
            g_assert_cmpstr (text, ==, "333333283333335000000");
          }
      }
}

static void
test_sum_squares_threads (void)
{
  check_sum_squares (AD_COMPUTE_BACKEND_THREADS);
}

static void
test_sum_squares_processes (void)
{
  if (!processes_testable ())
    return;
  check_sum_squares (AD_COMPUTE_BACKEND_PROCESSES);
}

static void
test_invalid (void)
{
  AdComputeParams params;
  g_autoptr(AdComputeJob) job = NULL;
  g_autoptr(AdComputeResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_SUM_SQUARES);
  params.n = AD_SUM_SQUARES_MAX_N;
  g_assert_true (ad_compute_params_validate (&params, NULL));
  params.n = AD_SUM_SQUARES_MAX_N + 1;
  g_assert_false (ad_compute_params_validate (&params, &error));
  g_assert_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_INVALID);
  g_clear_error (&error);

  /* The job refuses to start, through its callback. */
  job = job_new (&params, AD_COMPUTE_BACKEND_THREADS, 1);
  result = run_job (job, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_INVALID);
  g_clear_error (&error);

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_MANDELBROT);
  params.scale = 0;
  g_assert_false (ad_compute_params_validate (&params, NULL));
  params.scale = 1;
  params.width = 0;
  g_assert_false (ad_compute_params_validate (&params, NULL));
  params.width = 10;
  params.max_iter = 0;
  g_assert_false (ad_compute_params_validate (&params, NULL));
}

/* ---- primes ------------------------------------------------------------ */

static guint64
naive_pi (guint64 n)
{
  guint64 count = 0;

  for (guint64 m = 2; m <= n; m++)
    {
      gboolean prime = TRUE;

      for (guint64 d = 2; d * d <= m && prime; d++)
        prime = m % d != 0;
      count += prime;
    }

  return count;
}

static void
test_primes_kernel (void)
{
  g_autoptr(GArray) base = ad_primes_base (100000);
  guint64 count = 0;

  g_assert_cmpuint (base->len, ==, 65);   /* primes up to 316 */
  g_assert_cmpuint (g_array_index (base, guint32, 64), ==, 313);

  /* Every small bound against trial division, and odd ranges. */
  for (guint64 n = 0; n < 2000; n += 1 + n / 7)
    {
      g_assert_true (ad_primes_count_range ((const guint32 *) (void *) base->data, base->len,
                                            0, n + 1, NULL, &count));
      g_assert_cmpuint (count, ==, naive_pi (n));
    }
  g_assert_true (ad_primes_count_range ((const guint32 *) (void *) base->data, base->len,
                                        1000, 99991, NULL, &count));
  g_assert_cmpuint (count, ==, naive_pi (99990) - naive_pi (999));
}

static void
check_primes (AdComputeBackend backend)
{
  static const struct { guint64 n, pi; } known[] = {
    { 0, 0 }, { 1, 0 }, { 2, 1 }, { 3, 2 }, { 1000000, 78498 }, { 10000000, 664579 },
  };
  guint counts[3];
  guint n_counts = worker_counts (counts);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    for (guint c = 0; c < n_counts; c++)
      {
        AdComputeParams params;
        g_autoptr(AdComputeResult) result = NULL;

        ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_PRIMES);
        params.n = known[i].n;
        result = run_params (&params, backend, counts[c]);
        g_assert_cmpuint (ad_compute_result_get_count (result), ==, known[i].pi);
      }
}

static void
test_primes_threads (void)
{
  AdComputeParams params;
  g_autoptr(AdComputeResult) result = NULL;

  check_primes (AD_COMPUTE_BACKEND_THREADS);

  /* π(10^8) once, on every core (about 50 ms of work). */
  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_PRIMES);
  params.n = 100000000;
  result = run_params (&params, AD_COMPUTE_BACKEND_THREADS, ad_compute_max_workers ());
  g_assert_cmpuint (ad_compute_result_get_count (result), ==, 5761455);
}

static void
test_primes_processes (void)
{
  if (!processes_testable ())
    return;
  check_primes (AD_COMPUTE_BACKEND_PROCESSES);
}

/* ---- Mandelbrot -------------------------------------------------------- */

typedef struct
{
  guint   n_tiles;
  guint   n_chunks;
  guint8 *seen;     /* per pixel: how many tiles covered it */
  guint8 *image;    /* assembled from the tiles alone */
  guint   width;
  gboolean off_main;
} TileLog;

static void
tile_done_cb (AdComputeJob *job,
              guint         x,
              guint         y,
              guint         width,
              guint         height,
              GBytes       *pixels,
              TileLog      *log)
{
  const guint8 *data = g_bytes_get_data (pixels, NULL);

  log->n_tiles++;
  log->off_main |= !ad_core_is_main_thread ();
  g_assert_cmpuint (g_bytes_get_size (pixels), ==, (gsize) width * height * 3);
  for (guint row = 0; row < height; row++)
    {
      memcpy (log->image + ((gsize) (y + row) * log->width + x) * 3,
              data + (gsize) row * width * 3, (gsize) width * 3);
      for (guint col = 0; col < width; col++)
        log->seen[(y + row) * log->width + x + col]++;
    }
}

static void
chunk_done_cb (AdComputeJob *job,
               guint         index,
               guint         worker,
               TileLog      *log)
{
  g_assert_cmpuint (index, <, ad_compute_job_get_n_chunks (job));
  g_assert_cmpuint (worker, <, ad_compute_job_get_n_workers (job));
  log->n_chunks++;
}

static void
test_mandelbrot_determinism (gconstpointer data)
{
  AdComputeBackend backend = GPOINTER_TO_UINT (data);
  AdComputeParams params;
  g_autofree guint8 *serial = NULL;
  guint64 expected;
  gsize len;
  guint counts[3];
  guint n_counts = worker_counts (counts);

  if (backend == AD_COMPUTE_BACKEND_PROCESSES && !processes_testable ())
    return;

  mandelbrot_params (&params);
  len = (gsize) params.width * params.height * 3;

  /* The reference: the whole image in one serial call. */
  serial = g_malloc (len);
  g_assert_true (ad_mandelbrot_render (&params, 0, 0, params.width, params.height,
                                       serial, (gsize) params.width * 3, NULL));
  expected = ad_mandelbrot_checksum (serial, len);
  /* Not all one colour: the view shows the set and its outside. */
  g_assert_cmpint (memcmp (serial, serial + len / 2, 3), !=, 0);

  for (guint c = 0; c < n_counts; c++)
    {
      g_autoptr(AdComputeResult) result = NULL;
      GBytes *pixels;

      result = run_params (&params, backend, counts[c]);
      pixels = ad_compute_result_get_pixels (result);

      g_assert_cmpuint (g_bytes_get_size (pixels), ==, len);
      g_assert_cmpmem (g_bytes_get_data (pixels, NULL), len, serial, len);
      g_assert_cmpuint (ad_compute_result_get_checksum (result), ==, expected);
      g_assert_cmpuint (ad_compute_result_get_stride (result), ==, (gsize) params.width * 3);
    }
}

static void
check_tiles (AdComputeBackend backend)
{
  AdComputeParams params;
  g_autoptr(AdComputeJob) job = NULL;
  g_autoptr(AdComputeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TileLog log = { 0 };
  gsize n_pixels;

  mandelbrot_params (&params);
  n_pixels = (gsize) params.width * params.height;
  log.width = params.width;
  log.seen = g_malloc0 (n_pixels);
  log.image = g_malloc0 (n_pixels * 3);

  job = job_new (&params, backend, MIN (2, ad_compute_max_workers ()));
  g_assert_cmpuint (ad_compute_job_get_n_chunks (job), ==, 15);   /* 5 × 3 tiles */
  g_signal_connect (job, "tile-done", G_CALLBACK (tile_done_cb), &log);
  g_signal_connect (job, "chunk-done", G_CALLBACK (chunk_done_cb), &log);
  result = run_job (job, NULL, &error);
  g_assert_no_error (error);

  /* Every tile once, on the main thread; together they are the image. */
  g_assert_cmpuint (log.n_tiles, ==, 15);
  g_assert_cmpuint (log.n_chunks, ==, 15);
  g_assert_false (log.off_main);
  for (gsize i = 0; i < n_pixels; i++)
    g_assert_cmpuint (log.seen[i], ==, 1);
  g_assert_cmpmem (log.image, n_pixels * 3,
                   g_bytes_get_data (ad_compute_result_get_pixels (result), NULL), n_pixels * 3);

  g_free (log.seen);
  g_free (log.image);
}

static void
test_mandelbrot_tiles_threads (void)
{
  check_tiles (AD_COMPUTE_BACKEND_THREADS);
}

static void
test_mandelbrot_tiles_processes (void)
{
  if (!processes_testable ())
    return;
  check_tiles (AD_COMPUTE_BACKEND_PROCESSES);
}

/* ---- progress ---------------------------------------------------------- */

typedef struct
{
  guint  notifies;
  double last;
  gboolean backwards;
} ProgressLog;

static void
progress_cb (AdComputeJob *job,
             GParamSpec   *pspec,
             ProgressLog  *log)
{
  double progress = ad_compute_job_get_progress (job);

  log->notifies++;
  log->backwards |= progress < log->last;
  log->last = progress;
}

static void
test_progress (void)
{
  AdComputeParams params;
  g_autoptr(AdComputeJob) job = NULL;
  g_autoptr(AdComputeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProgressLog log = { 0 };

  ad_compute_params_init_defaults (&params, AD_COMPUTE_WORKLOAD_PRIMES);
  params.n = 200000000;
  job = job_new (&params, AD_COMPUTE_BACKEND_THREADS, ad_compute_max_workers ());
  g_signal_connect (job, "notify::progress", G_CALLBACK (progress_cb), &log);
  g_assert_false (ad_compute_job_get_running (job));
  result = run_job (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ad_compute_result_get_count (result), ==, 11078937);

  /* Coalesced: at least one notification, at most one per chunk. */
  g_assert_cmpuint (log.notifies, >=, 1);
  g_assert_cmpuint (log.notifies, <=, ad_compute_job_get_n_chunks (job));
  g_assert_false (log.backwards);
  g_assert_cmpfloat (log.last, ==, 1.0);
}

/* ---- PNG --------------------------------------------------------------- */

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Reads back a PNG the way a decoder would, checking every chunk's CRC;
 * returns the unfiltered pixels. */
static guint8 *
png_read_back (GBytes  *png,
               guint   *width,
               guint   *height,
               guint   *color_type)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize len;
  const guint8 *data = g_bytes_get_data (png, &len);
  g_autoptr(GByteArray) idat = g_byte_array_new ();
  g_autoptr(GZlibDecompressor) zlib = NULL;
  g_autoptr(GInputStream) compressed = NULL, raw = NULL;
  g_autoptr(GError) error = NULL;
  gsize pos = 8, row_bytes, raw_len, n_read = 0;
  g_autofree guint8 *filtered = NULL;
  guint8 *pixels;
  gboolean seen_end = FALSE;
  guint n_chunks = 0;

  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (data, 8, signature, 8);

  while (pos + 12 <= len)
    {
      guint32 chunk_len = be32 (data + pos);
      const guint8 *type = data + pos + 4;
      guint32 crc;

      g_assert_cmpuint (pos + 12 + chunk_len, <=, len);
      crc = ad_png_crc32 (0, type, 4 + chunk_len);
      g_assert_cmphex (crc, ==, be32 (data + pos + 8 + chunk_len));

      if (memcmp (type, "IHDR", 4) == 0)
        {
          g_assert_cmpuint (n_chunks, ==, 0);
          g_assert_cmpuint (chunk_len, ==, 13);
          *width = be32 (type + 4);
          *height = be32 (type + 8);
          g_assert_cmpuint (type[12], ==, 8);       /* bit depth */
          *color_type = type[13];
          g_assert_cmpuint (type[14], ==, 0);
          g_assert_cmpuint (type[15], ==, 0);
          g_assert_cmpuint (type[16], ==, 0);
        }
      else if (memcmp (type, "IDAT", 4) == 0)
        g_byte_array_append (idat, type + 4, chunk_len);
      else if (memcmp (type, "IEND", 4) == 0)
        {
          g_assert_cmpuint (chunk_len, ==, 0);
          seen_end = TRUE;
        }
      pos += 12 + chunk_len;
      n_chunks++;
    }
  g_assert_true (seen_end);
  g_assert_cmpuint (pos, ==, len);

  row_bytes = (gsize) *width * (*color_type == 6 ? 4 : 3);
  raw_len = (row_bytes + 1) * *height;
  filtered = g_malloc (raw_len + 1);
  compressed = g_memory_input_stream_new_from_data (idat->data, idat->len, NULL);
  zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  raw = g_converter_input_stream_new (compressed, G_CONVERTER (zlib));
  g_assert_true (g_input_stream_read_all (raw, filtered, raw_len + 1, &n_read, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_read, ==, raw_len);

  pixels = g_malloc (row_bytes * *height);
  for (guint y = 0; y < *height; y++)
    {
      g_assert_cmpuint (filtered[y * (row_bytes + 1)], ==, 0);   /* filter: none */
      memcpy (pixels + y * row_bytes, filtered + y * (row_bytes + 1) + 1, row_bytes);
    }

  return pixels;
}

static void
test_png_round_trip (void)
{
  const gsize w = 37, h = 23;
  g_autofree guint8 *rgba = g_malloc (w * h * 4);
  g_autofree guint8 *rgb = g_malloc ((w * 3 + 5) * h);   /* a stride wider than a row */
  g_autofree guint8 *back = NULL;
  g_autofree guint8 *back_rgb = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) png_rgb = NULL;
  g_autoptr(GError) error = NULL;
  guint rw = 0, rh = 0, type = 0;
  static const guint8 crc_check[] = "123456789";

  /* The CRC-32 check value every implementation agrees on. */
  g_assert_cmphex (ad_png_crc32 (0, crc_check, 9), ==, 0xcbf43926);

  for (guint i = 0; i < w * h * 4; i++)
    rgba[i] = (guint8) (i * 7 + i / 13);
  png = ad_png_encode (rgba, w, h, w * 4, TRUE, &error);
  g_assert_no_error (error);
  back = png_read_back (png, &rw, &rh, &type);
  g_assert_cmpuint (rw, ==, w);
  g_assert_cmpuint (rh, ==, h);
  g_assert_cmpuint (type, ==, 6);
  g_assert_cmpmem (back, w * h * 4, rgba, w * h * 4);

  for (guint y = 0; y < h; y++)
    for (gsize x = 0; x < w * 3; x++)
      rgb[y * (w * 3 + 5) + x] = (guint8) (x ^ y);
  png_rgb = ad_png_encode (rgb, w, h, w * 3 + 5, FALSE, &error);
  g_assert_no_error (error);
  back_rgb = png_read_back (png_rgb, &rw, &rh, &type);
  g_assert_cmpuint (type, ==, 2);
  for (guint y = 0; y < h; y++)
    g_assert_cmpmem (back_rgb + y * w * 3, w * 3, rgb + y * (w * 3 + 5), w * 3);
}

static void
test_png_save_result (void)
{
  AdComputeParams params;
  g_autoptr(AdComputeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("async-demo-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "mandelbrot.png", NULL);
  g_autofree char *contents = NULL;
  g_autofree guint8 *back = NULL;
  gsize len = 0;
  guint w = 0, h = 0, type = 0;

  g_assert_no_error (error);
  mandelbrot_params (&params);
  result = run_params (&params, AD_COMPUTE_BACKEND_THREADS, 1);
  g_assert_true (ad_compute_result_save_png (result, path, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  file = g_bytes_new (contents, len);
  back = png_read_back (file, &w, &h, &type);
  g_assert_cmpuint (w, ==, params.width);
  g_assert_cmpuint (h, ==, params.height);
  g_assert_cmpuint (type, ==, 2);
  g_assert_cmpuint (ad_mandelbrot_checksum (back, (gsize) w * h * 3), ==,
                    ad_compute_result_get_checksum (result));

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  compute_test_init (&argc, &argv);

  g_test_add_func ("/compute/uint128", test_uint128);
  g_test_add_func ("/compute/sum-squares/kernel", test_sum_squares_kernel);
  g_test_add_func ("/compute/sum-squares/threads", test_sum_squares_threads);
  g_test_add_func ("/compute/sum-squares/processes", test_sum_squares_processes);
  g_test_add_func ("/compute/invalid", test_invalid);
  g_test_add_func ("/compute/primes/kernel", test_primes_kernel);
  g_test_add_func ("/compute/primes/threads", test_primes_threads);
  g_test_add_func ("/compute/primes/processes", test_primes_processes);
  g_test_add_data_func ("/compute/mandelbrot/determinism/threads",
                        GUINT_TO_POINTER (AD_COMPUTE_BACKEND_THREADS), test_mandelbrot_determinism);
  g_test_add_data_func ("/compute/mandelbrot/determinism/processes",
                        GUINT_TO_POINTER (AD_COMPUTE_BACKEND_PROCESSES),
                        test_mandelbrot_determinism);
  g_test_add_func ("/compute/mandelbrot/tiles-threads", test_mandelbrot_tiles_threads);
  g_test_add_func ("/compute/mandelbrot/tiles-processes", test_mandelbrot_tiles_processes);
  g_test_add_func ("/compute/progress", test_progress);
  g_test_add_func ("/compute/png/round-trip", test_png_round_trip);
  g_test_add_func ("/compute/png/save-result", test_png_save_result);

  return g_test_run ();
}
