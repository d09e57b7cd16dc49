/* ad-compute-result.c: what a compute run produced
 *
 * A fresh, immutable object built on the main thread when a run finishes:
 * the answer (an exact 128-bit sum, a prime count, or an RGB image with its
 * checksum) and how it was obtained (threads or processes, how many, how
 * long). The page can keep it, show it, and save the image as PNG.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include "ad-compute-result.h"
#include "ad-png.h"

struct _AdComputeResult
{
  GObject          parent_instance;

  AdComputeParams  params;
  AdComputeBackend backend;
  guint            n_workers;
  guint            n_chunks;
  gint64           elapsed;
  AdUInt128        sum;
  guint64          count;
  GBytes          *pixels;
  guint64          checksum;
  gboolean         checksum_valid;
};

G_DEFINE_FINAL_TYPE (AdComputeResult, ad_compute_result, G_TYPE_OBJECT)

GType
ad_compute_backend_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { AD_COMPUTE_BACKEND_THREADS, "AD_COMPUTE_BACKEND_THREADS", "threads" },
        { AD_COMPUTE_BACKEND_PROCESSES, "AD_COMPUTE_BACKEND_PROCESSES", "processes" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type_id, g_enum_register_static ("AdComputeBackend", values));
    }

  return type_id;
}

static void
ad_compute_result_finalize (GObject *object)
{
  AdComputeResult *self = AD_COMPUTE_RESULT (object);

  g_clear_pointer (&self->pixels, g_bytes_unref);

  G_OBJECT_CLASS (ad_compute_result_parent_class)->finalize (object);
}

static void
ad_compute_result_class_init (AdComputeResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ad_compute_result_finalize;
}

static void
ad_compute_result_init (AdComputeResult *self)
{
}

AdComputeResult *
ad_compute_result_new (const AdComputeParams *params,
                       AdComputeBackend       backend,
                       guint                  n_workers,
                       guint                  n_chunks,
                       gint64                 elapsed)
{
  AdComputeResult *self = g_object_new (AD_TYPE_COMPUTE_RESULT, NULL);

  self->params = *params;
  self->backend = backend;
  self->n_workers = n_workers;
  self->n_chunks = n_chunks;
  self->elapsed = elapsed;

  return self;
}

void
ad_compute_result_set_sum (AdComputeResult *self,
                           AdUInt128        sum)
{
  g_return_if_fail (AD_IS_COMPUTE_RESULT (self));

  self->sum = sum;
}

void
ad_compute_result_set_count (AdComputeResult *self,
                             guint64          count)
{
  g_return_if_fail (AD_IS_COMPUTE_RESULT (self));

  self->count = count;
}

void
ad_compute_result_set_pixels (AdComputeResult *self,
                              GBytes          *pixels)
{
  g_return_if_fail (AD_IS_COMPUTE_RESULT (self));

  g_clear_pointer (&self->pixels, g_bytes_unref);
  self->pixels = g_bytes_ref (pixels);
  self->checksum_valid = FALSE;
}

const AdComputeParams *
ad_compute_result_get_params (AdComputeResult *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), NULL);

  return &self->params;
}

AdComputeWorkload
ad_compute_result_get_workload (AdComputeResult *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), 0);

  return self->params.workload;
}

AdComputeBackend
ad_compute_result_get_backend (AdComputeResult *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), 0);

  return self->backend;
}

guint
ad_compute_result_get_n_workers (AdComputeResult *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), 0);

  return self->n_workers;
}

guint
ad_compute_result_get_n_chunks (AdComputeResult *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), 0);

  return self->n_chunks;
}

/**
 * ad_compute_result_get_elapsed:
 *
 * Returns: the run's wall-clock time in microseconds, from the call to
 *   ad_compute_job_run_async() to the combined result
 */
gint64
ad_compute_result_get_elapsed (AdComputeResult *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), 0);

  return self->elapsed;
}

/**
 * ad_compute_result_get_sum:
 *
 * Returns: the sum of squares (sum-squares only)
 */
AdUInt128
ad_compute_result_get_sum (AdComputeResult *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), 0);

  return self->sum;
}

/**
 * ad_compute_result_get_count:
 *
 * Returns: the number of primes up to n (primes only)
 */
guint64
ad_compute_result_get_count (AdComputeResult *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), 0);

  return self->count;
}

/**
 * ad_compute_result_get_pixels:
 *
 * Returns: (transfer none) (nullable): the Mandelbrot image, 8-bit RGB,
 *   rows of ad_compute_result_get_stride() bytes; %NULL for other workloads
 */
GBytes *
ad_compute_result_get_pixels (AdComputeResult *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), NULL);

  return self->pixels;
}

gsize
ad_compute_result_get_stride (AdComputeResult *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), 0);

  return (gsize) self->params.width * AD_MANDELBROT_BPP;
}

/**
 * ad_compute_result_get_checksum:
 *
 * Returns: the image's FNV-1a hash (computed once, on first use), the same
 *   for every thread and process count
 */
guint64
ad_compute_result_get_checksum (AdComputeResult *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), 0);
  g_return_val_if_fail (self->pixels != NULL, 0);

  if (!self->checksum_valid)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (self->pixels, &len);

      self->checksum = ad_mandelbrot_checksum (data, len);
      self->checksum_valid = TRUE;
    }

  return self->checksum;
}

/**
 * ad_compute_result_to_string:
 *
 * Returns: (transfer full): the answer in decimal (the image's checksum in
 *   hexadecimal), not translated: a number for scripts and tests
 */
char *
ad_compute_result_to_string (AdComputeResult *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), NULL);

  switch (self->params.workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
      return ad_uint128_to_string (self->sum);
    case AD_COMPUTE_WORKLOAD_PRIMES:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, self->count);
    case AD_COMPUTE_WORKLOAD_MANDELBROT:
      return g_strdup_printf ("%016" G_GINT64_MODIFIER "x", ad_compute_result_get_checksum (self));
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
ad_compute_result_save_png (AdComputeResult  *self,
                            const char       *path,
                            GError          **error)
{
  g_return_val_if_fail (AD_IS_COMPUTE_RESULT (self), FALSE);
  g_return_val_if_fail (self->pixels != NULL, FALSE);

  return ad_png_save (path, g_bytes_get_data (self->pixels, NULL),
                      self->params.width, self->params.height,
                      ad_compute_result_get_stride (self), FALSE, error);
}
