/* ad-compute-result.h: what a compute run produced
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-compute-kernels.h"

G_BEGIN_DECLS

typedef enum
{
  AD_COMPUTE_BACKEND_THREADS,
  AD_COMPUTE_BACKEND_PROCESSES,
} AdComputeBackend;

#define AD_TYPE_COMPUTE_BACKEND (ad_compute_backend_get_type ())
GType ad_compute_backend_get_type (void);

#define AD_TYPE_COMPUTE_RESULT (ad_compute_result_get_type ())
G_DECLARE_FINAL_TYPE (AdComputeResult, ad_compute_result, AD, COMPUTE_RESULT, GObject)

const AdComputeParams *ad_compute_result_get_params    (AdComputeResult  *self);
AdComputeWorkload      ad_compute_result_get_workload  (AdComputeResult  *self);
AdComputeBackend       ad_compute_result_get_backend   (AdComputeResult  *self);
guint                  ad_compute_result_get_n_workers (AdComputeResult  *self);
guint                  ad_compute_result_get_n_chunks  (AdComputeResult  *self);
gint64                 ad_compute_result_get_elapsed   (AdComputeResult  *self);
AdUInt128              ad_compute_result_get_sum       (AdComputeResult  *self);
guint64                ad_compute_result_get_count     (AdComputeResult  *self);
char                  *ad_compute_result_to_string     (AdComputeResult  *self);
GBytes                *ad_compute_result_get_pixels    (AdComputeResult  *self);
gsize                  ad_compute_result_get_stride    (AdComputeResult  *self);
guint64                ad_compute_result_get_checksum  (AdComputeResult  *self);
gboolean               ad_compute_result_save_png      (AdComputeResult  *self,
                                                        const char       *path,
                                                        GError          **error);

/* For the engine. */
AdComputeResult       *ad_compute_result_new           (const AdComputeParams *params,
                                                        AdComputeBackend       backend,
                                                        guint                  n_workers,
                                                        guint                  n_chunks,
                                                        gint64                 elapsed);
void                   ad_compute_result_set_sum       (AdComputeResult  *self,
                                                        AdUInt128         sum);
void                   ad_compute_result_set_count     (AdComputeResult  *self,
                                                        guint64           count);
void                   ad_compute_result_set_pixels    (AdComputeResult  *self,
                                                        GBytes           *pixels);

G_END_DECLS
