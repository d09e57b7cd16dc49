/* ad-compute-kernels.c: the compute workloads as plain functions
 *
 * Everything the compute engine runs on a worker thread or in a worker
 * process lives here, free of objects and main loops: a kernel reads its
 * immutable parameters, writes into memory the caller gave it, and polls a
 * GCancellable (one atomic read) every few hundred microseconds of work, so
 * that a cancelled run stops within a millisecond or so.
 *
 * The plan (how a workload is cut into chunks) depends only on the
 * parameters, never on the number of threads: each chunk's answer is then
 * the same whoever computes it, and the combined result is the same for 1
 * thread, 16 threads or 4 processes. Integer workloads are exact anyway;
 * the Mandelbrot image is too, because every pixel is computed by the same
 * instructions from the same inputs whatever tile it falls in.
 *
 * The benchmark runs these same functions as a plain serial loop and under
 * OpenMP, so the engine is compared against exactly the code it schedules.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ad-compute-kernels.h"
#include "ad-compute-error.h"

/* Work between two looks at the cancellable. */
#define SUM_BLOCK       (1u << 18)   /* ~0.2 ms */
#define SIEVE_SEGMENT   (1u << 18)   /* numbers per segment; odd ones only are stored */
#define MANDELBROT_BLOCK 8192        /* iterations of one pixel, ~10 µs */
/* Numbers per chunk, as a power of two: 2^22 sums take ~1.7 ms, long
 * enough that the chunk's bookkeeping (a pool task, two registry events
 * and a callback on the main loop, ~10 µs) stays well under 1 %; with
 * 2^20 it cost the engine 5-7 % against OpenMP on n = 10^9. */
#define SUM_CHUNK_SHIFT 22
#define SIEVE_CHUNK_SHIFT 22
#define MAX_CHUNKS      1024

G_DEFINE_QUARK (ad-compute-error-quark, ad_compute_error)

GType
ad_compute_workload_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { AD_COMPUTE_WORKLOAD_SUM_SQUARES, "AD_COMPUTE_WORKLOAD_SUM_SQUARES", "sum-squares" },
        { AD_COMPUTE_WORKLOAD_PRIMES, "AD_COMPUTE_WORKLOAD_PRIMES", "primes" },
        { AD_COMPUTE_WORKLOAD_MANDELBROT, "AD_COMPUTE_WORKLOAD_MANDELBROT", "mandelbrot" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type_id, g_enum_register_static ("AdComputeWorkload", values));
    }

  return type_id;
}

static const char * const workload_names[] = { "sum-squares", "primes", "mandelbrot" };

const char *
ad_compute_workload_to_string (AdComputeWorkload workload)
{
  g_return_val_if_fail (workload < G_N_ELEMENTS (workload_names), NULL);

  return workload_names[workload];
}

gboolean
ad_compute_workload_from_string (const char        *str,
                                 AdComputeWorkload *workload)
{
  for (guint i = 0; i < G_N_ELEMENTS (workload_names); i++)
    {
      if (g_strcmp0 (str, workload_names[i]) == 0)
        {
          *workload = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * ad_compute_params_init_defaults:
 *
 * Fills @params with the defaults of @workload: n = 10^7 for the integer
 * workloads, a 640×480 view of the whole Mandelbrot set with 500 iterations.
 */
void
ad_compute_params_init_defaults (AdComputeParams   *params,
                                 AdComputeWorkload  workload)
{
  memset (params, 0, sizeof *params);
  params->workload = workload;
  params->n = 10000000;
  params->width = 640;
  params->height = 480;
  params->max_iter = 500;
  params->center_x = -0.75;
  params->center_y = 0.0;
  params->scale = 3.5;
}

gboolean
ad_compute_params_validate (const AdComputeParams  *params,
                            GError                **error)
{
  switch (params->workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
      if (params->n > AD_SUM_SQUARES_MAX_N)
        {
          g_set_error_literal (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_INVALID,
                               _("n is too large: the sum of squares is exact up to "
                                 "n = 1000000000000 (10^12)"));
          return FALSE;
        }
      return TRUE;

    case AD_COMPUTE_WORKLOAD_PRIMES:
      if (params->n > AD_PRIMES_MAX_N)
        {
          g_set_error_literal (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_INVALID,
                               _("n is too large: primes are counted up to "
                                 "n = 1000000000000 (10^12)"));
          return FALSE;
        }
      return TRUE;

    case AD_COMPUTE_WORKLOAD_MANDELBROT:
      if (params->width < 1 || params->width > AD_MANDELBROT_MAX_SIZE
          || params->height < 1 || params->height > AD_MANDELBROT_MAX_SIZE)
        {
          g_set_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_INVALID,
                       _("The image size must be between 1 and %d pixels a side"),
                       AD_MANDELBROT_MAX_SIZE);
          return FALSE;
        }
      if (params->max_iter < 1 || params->max_iter > AD_MANDELBROT_MAX_ITER)
        {
          g_set_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_INVALID,
                       _("The iteration limit must be between 1 and %d"),
                       AD_MANDELBROT_MAX_ITER);
          return FALSE;
        }
      if (!isfinite (params->scale) || params->scale <= 0
          || !isfinite (params->center_x) || !isfinite (params->center_y))
        {
          g_set_error_literal (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_INVALID,
                               _("The scale must be a positive number and the center finite"));
          return FALSE;
        }
      return TRUE;

    default:
      g_set_error_literal (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_INVALID,
                           _("Unknown workload"));
      return FALSE;
    }
}

/* ---- the plan ---------------------------------------------------------- */

static guint
range_n_chunks (guint64 count,
                guint   shift)
{
  guint64 n = (count + (G_GUINT64_CONSTANT (1) << shift) - 1) >> shift;

  return (guint) CLAMP (n, 1, MAX_CHUNKS);
}

/**
 * ad_compute_plan_n_chunks:
 *
 * Returns: how many chunks @params is cut into; a function of the
 *   parameters only
 */
guint
ad_compute_plan_n_chunks (const AdComputeParams *params)
{
  switch (params->workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
      return range_n_chunks (params->n, SUM_CHUNK_SHIFT);
    case AD_COMPUTE_WORKLOAD_PRIMES:
      return range_n_chunks (params->n + 1, SIEVE_CHUNK_SHIFT);
    case AD_COMPUTE_WORKLOAD_MANDELBROT:
      return ((params->width + AD_MANDELBROT_TILE - 1) / AD_MANDELBROT_TILE)
             * ((params->height + AD_MANDELBROT_TILE - 1) / AD_MANDELBROT_TILE);
    default:
      g_return_val_if_reached (0);
    }
}

void
ad_compute_plan_chunk (const AdComputeParams *params,
                       guint                  index,
                       AdComputeChunk        *chunk)
{
  guint n_chunks = ad_compute_plan_n_chunks (params);
  guint64 end;

  g_return_if_fail (index < n_chunks);

  memset (chunk, 0, sizeof *chunk);
  chunk->index = index;

  switch (params->workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
    case AD_COMPUTE_WORKLOAD_PRIMES:
      /* Equal shares of [0, end); end · 1024 fits easily in 64 bits. */
      end = params->workload == AD_COMPUTE_WORKLOAD_PRIMES ? params->n + 1 : params->n;
      chunk->lo = end * index / n_chunks;
      chunk->hi = end * (index + 1) / n_chunks;
      break;

    case AD_COMPUTE_WORKLOAD_MANDELBROT:
      {
        guint columns = (params->width + AD_MANDELBROT_TILE - 1) / AD_MANDELBROT_TILE;

        chunk->x = (index % columns) * AD_MANDELBROT_TILE;
        chunk->y = (index / columns) * AD_MANDELBROT_TILE;
        chunk->width = MIN (AD_MANDELBROT_TILE, params->width - chunk->x);
        chunk->height = MIN (AD_MANDELBROT_TILE, params->height - chunk->y);
      }
      break;

    default:
      g_return_if_reached ();
    }
}

/* ---- 128-bit decimals -------------------------------------------------- */

/**
 * ad_uint128_to_string:
 *
 * Returns: (transfer full): @value in decimal, exactly
 */
char *
ad_uint128_to_string (AdUInt128 value)
{
  char buf[40];   /* 2^128 has 39 digits */
  char *p = buf + sizeof buf;

  *--p = '\0';
  do
    {
      *--p = (char) ('0' + (int) (value % 10));
      value /= 10;
    }
  while (value != 0);

  return g_strdup (p);
}

/**
 * ad_uint128_from_string:
 *
 * Parses a decimal number of up to 128 bits: digits only, no sign, no
 * spaces. Returns %FALSE on anything else or on overflow.
 */
gboolean
ad_uint128_from_string (const char *str,
                        AdUInt128  *value)
{
  const AdUInt128 max = ~(AdUInt128) 0;
  AdUInt128 v = 0;

  if (str == NULL || *str == '\0')
    return FALSE;

  for (const char *p = str; *p != '\0'; p++)
    {
      unsigned digit;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      digit = (unsigned) (*p - '0');
      if (v > (max - digit) / 10)
        return FALSE;
      v = v * 10 + digit;
    }

  *value = v;
  return TRUE;
}

/* ---- sum of squares ---------------------------------------------------- */

gboolean
ad_sum_squares_range (guint64       lo,
                      guint64       hi,
                      GCancellable *cancellable,
                      AdUInt128    *sum)
{
  AdUInt128 acc = 0;

  for (guint64 block = lo; block < hi; block += SUM_BLOCK)
    {
      guint64 end = MIN (hi, block + SUM_BLOCK);

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;

      for (guint64 i = block; i < end; i++)
        {
          guint64 v = i;

          /* An empty asm makes v opaque: clang would otherwise replace the
           * whole loop by the closed form, and the demo's CPU work would
           * vanish. It costs nothing (v is in a register already). */
          __asm__ ("" : "+r" (v));
          acc += (AdUInt128) v * v;
        }
    }

  *sum = acc;
  return TRUE;
}

/**
 * ad_sum_squares_closed_form:
 *
 * Returns: Σ i² for i in [0, n) as n(n-1)(2n-1)/6, for checking
 */
AdUInt128
ad_sum_squares_closed_form (guint64 n)
{
  AdUInt128 a = n, b, c;

  if (n == 0)
    return 0;

  b = n - 1;
  c = 2 * (AdUInt128) n - 1;
  /* n(n-1) is even and one of n, n-1, 2n-1 is a multiple of 3: divide
   * before multiplying the third factor so nothing overflows. */
  if (a % 2 == 0)
    a /= 2;
  else
    b /= 2;
  if (a % 3 == 0)
    a /= 3;
  else if (b % 3 == 0)
    b /= 3;
  else
    c /= 3;

  return a * b * c;
}

/* ---- primes ------------------------------------------------------------ */

/**
 * ad_primes_base:
 * @n: the largest number that will be sieved
 *
 * Returns: (transfer full) (element-type guint32): the primes up to √@n,
 *   which are all a segmented sieve up to @n needs
 */
GArray *
ad_primes_base (guint64 n)
{
  guint64 limit = (guint64) sqrt ((double) n);
  GArray *primes = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint8 *composite;

  /* sqrt() of a double may be one off near perfect squares. */
  while (limit * limit > n)
    limit--;
  while ((limit + 1) * (limit + 1) <= n)
    limit++;

  composite = g_malloc0 (limit + 1);
  for (guint64 i = 2; i <= limit; i++)
    {
      guint32 p = (guint32) i;

      if (composite[i])
        continue;
      g_array_append_val (primes, p);
      for (guint64 j = i * i; j <= limit; j += i)
        composite[j] = 1;
    }
  g_free (composite);

  return primes;
}

/* Counts the primes among the odd numbers of [lo, hi), one segment. */
static guint64
sieve_segment (const guint32 *base,
               guint          n_base,
               guint64        lo,
               guint64        hi,
               guint8        *odd)
{
  guint64 first = lo | 1;          /* the first odd number ≥ lo */
  guint64 n_odd, count = 0;

  if (first >= hi)
    return 0;
  n_odd = (hi - first + 1) / 2;    /* odd[j] stands for first + 2j */
  memset (odd, 0, n_odd);

  for (guint i = 0; i < n_base; i++)
    {
      guint64 p = base[i];
      guint64 start;

      if (p == 2)
        continue;
      if (p * p >= hi)
        break;
      start = MAX (p * p, (first + p - 1) / p * p);
      if (start % 2 == 0)
        start += p;
      for (guint64 j = (start - first) / 2; j < n_odd; j += p)
        odd[j] = 1;
    }

  for (guint64 j = 0; j < n_odd; j++)
    count += odd[j] == 0;
  if (first == 1)
    count--;                       /* 1 is not a prime */

  return count;
}

/**
 * ad_primes_count_range:
 * @base: the primes up to √(@hi - 1) at least, from ad_primes_base()
 *
 * Counts the primes in [@lo, @hi) with a sieve of Eratosthenes over
 * cache-sized segments of odd numbers.
 */
gboolean
ad_primes_count_range (const guint32 *base,
                       guint          n_base,
                       guint64        lo,
                       guint64        hi,
                       GCancellable  *cancellable,
                       guint64       *count)
{
  guint8 *odd = g_malloc (SIEVE_SEGMENT / 2 + 1);
  guint64 total = 0;
  gboolean completed = TRUE;

  if (lo <= 2 && 2 < hi)
    total++;

  for (guint64 s = lo; s < hi; s += SIEVE_SEGMENT)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          completed = FALSE;
          break;
        }
      total += sieve_segment (base, n_base, s, MIN (hi, s + SIEVE_SEGMENT), odd);
    }
  g_free (odd);

  if (completed)
    *count = total;
  return completed;
}

/* ---- Mandelbrot -------------------------------------------------------- */

/* A 16-colour cycle (the classic blue-to-orange ramp); the set is black. */
static const guint8 palette[16][3] = {
  {  66,  30,  15 }, {  25,   7,  26 }, {   9,   1,  47 }, {   4,   4,  73 },
  {   0,   7, 100 }, {  12,  44, 138 }, {  24,  82, 177 }, {  57, 125, 209 },
  { 134, 181, 229 }, { 211, 236, 248 }, { 241, 233, 191 }, { 248, 201,  95 },
  { 255, 170,   0 }, { 204, 128,   0 }, { 153,  87,   0 }, { 106,  52,   3 },
};

/**
 * ad_mandelbrot_render:
 * @pixels: where the tile's top-left pixel goes
 * @stride: bytes from one row of @pixels to the next
 *
 * Renders the tile (@x, @y, @width, @height) of the image @params
 * describes as 8-bit RGB. Pixel (px, py) samples its centre:
 * c = center + ((px + ½ − W/2), −(py + ½ − H/2)) · scale / W.
 */
gboolean
ad_mandelbrot_render (const AdComputeParams *params,
                      guint                  x,
                      guint                  y,
                      guint                  width,
                      guint                  height,
                      guint8                *pixels,
                      gsize                  stride,
                      GCancellable          *cancellable)
{
  const double step = params->scale / params->width;
  const double half_w = params->width / 2.0;
  const double half_h = params->height / 2.0;
  const guint max_iter = params->max_iter;

  for (guint row = 0; row < height; row++)
    {
      const double ci = params->center_y - ((y + row) + 0.5 - half_h) * step;
      guint8 *out = pixels + row * stride;

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;

      for (guint col = 0; col < width; col++)
        {
          const double cr = params->center_x + ((x + col) + 0.5 - half_w) * step;
          double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
          guint iter = 0;

          /* In blocks, so that a pixel deep in the set (up to a million
           * iterations) still looks at the cancellable every few µs. */
          while (iter < max_iter && zr2 + zi2 <= 4.0)
            {
              guint block_end = MIN (max_iter, iter + MANDELBROT_BLOCK);

              while (iter < block_end && zr2 + zi2 <= 4.0)
                {
                  zi = 2 * zr * zi + ci;
                  zr = zr2 - zi2 + cr;
                  zr2 = zr * zr;
                  zi2 = zi * zi;
                  iter++;
                }
              if (iter == block_end && iter < max_iter && g_cancellable_is_cancelled (cancellable))
                return FALSE;
            }

          if (iter == max_iter)
            memset (out, 0, 3);
          else
            memcpy (out, palette[iter % G_N_ELEMENTS (palette)], 3);
          out += 3;
        }
    }

  return TRUE;
}

/**
 * ad_mandelbrot_checksum:
 *
 * Returns: the 64-bit FNV-1a hash of the pixels: equal images, equal sums
 */
guint64
ad_mandelbrot_checksum (const guint8 *pixels,
                        gsize         len)
{
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (gsize i = 0; i < len; i++)
    {
      hash ^= pixels[i];
      hash *= G_GUINT64_CONSTANT (0x100000001b3);
    }

  return hash;
}
