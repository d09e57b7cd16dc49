/* ad-compute-kernels.h: the compute workloads as plain functions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* 128-bit unsigned integers: GCC and Clang have them on every 64-bit target. */
typedef unsigned __int128 AdUInt128;

/* Largest n accepted by the sum of squares: Σ i² < n³/3 fits in 128 bits up to ~7·10^12. */
#define AD_SUM_SQUARES_MAX_N  G_GUINT64_CONSTANT (1000000000000)
/* Largest bound accepted by prime counting (base primes up to 10^6). */
#define AD_PRIMES_MAX_N       G_GUINT64_CONSTANT (1000000000000)
#define AD_MANDELBROT_MAX_SIZE 16384
#define AD_MANDELBROT_MAX_ITER 1000000
/* Mandelbrot tiles are square, this many pixels a side (edge tiles are smaller). */
#define AD_MANDELBROT_TILE     64
/* Mandelbrot images are 8-bit RGB, rows packed. */
#define AD_MANDELBROT_BPP      3

typedef enum
{
  AD_COMPUTE_WORKLOAD_SUM_SQUARES,
  AD_COMPUTE_WORKLOAD_PRIMES,
  AD_COMPUTE_WORKLOAD_MANDELBROT,
} AdComputeWorkload;

#define AD_TYPE_COMPUTE_WORKLOAD (ad_compute_workload_get_type ())
GType ad_compute_workload_get_type (void);

/* The immutable input of one run. Plain data, copied by value. */
typedef struct
{
  AdComputeWorkload workload;
  guint64           n;           /* sum-squares: [0, n); primes: [0, n] */
  guint             width;       /* mandelbrot */
  guint             height;
  guint             max_iter;
  double            center_x;
  double            center_y;
  double            scale;       /* width of the view on the complex plane */
} AdComputeParams;

/* One independent piece of a run: a range of integers or an image tile. */
typedef struct
{
  guint   index;
  guint64 lo;                    /* sum-squares, primes: [lo, hi) */
  guint64 hi;
  guint   x, y, width, height;   /* mandelbrot: the tile's rectangle */
} AdComputeChunk;

void        ad_compute_params_init_defaults (AdComputeParams       *params,
                                             AdComputeWorkload      workload);
gboolean    ad_compute_params_validate      (const AdComputeParams *params,
                                             GError               **error);
const char *ad_compute_workload_to_string   (AdComputeWorkload      workload);
gboolean    ad_compute_workload_from_string (const char            *str,
                                             AdComputeWorkload     *workload);

/* The plan: the same chunks for every thread count, so results are deterministic. */
guint       ad_compute_plan_n_chunks        (const AdComputeParams *params);
void        ad_compute_plan_chunk           (const AdComputeParams *params,
                                             guint                  index,
                                             AdComputeChunk        *chunk);

/* Exact 128-bit decimal conversions (printf knows no __int128). */
char       *ad_uint128_to_string            (AdUInt128              value);
gboolean    ad_uint128_from_string          (const char            *str,
                                             AdUInt128             *value);

/* The kernels. Each returns FALSE only when @cancellable was cancelled
 * (checked every fraction of a millisecond). They are pure: safe to call
 * from any thread at once. */
gboolean    ad_sum_squares_range            (guint64                lo,
                                             guint64                hi,
                                             GCancellable          *cancellable,
                                             AdUInt128             *sum);
AdUInt128   ad_sum_squares_closed_form      (guint64                n);

GArray     *ad_primes_base                  (guint64                n);
gboolean    ad_primes_count_range           (const guint32         *base,
                                             guint                  n_base,
                                             guint64                lo,
                                             guint64                hi,
                                             GCancellable          *cancellable,
                                             guint64               *count);

gboolean    ad_mandelbrot_render            (const AdComputeParams *params,
                                             guint                  x,
                                             guint                  y,
                                             guint                  width,
                                             guint                  height,
                                             guint8                *pixels,
                                             gsize                  stride,
                                             GCancellable          *cancellable);
guint64     ad_mandelbrot_checksum          (const guint8          *pixels,
                                             gsize                  len);

G_END_DECLS
