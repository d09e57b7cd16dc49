/* ad-compute-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"
#include "ad-mandelbrot-view.h"
#include "ad-speedup-chart.h"

G_BEGIN_DECLS

#define AD_TYPE_COMPUTE_PAGE (ad_compute_page_get_type ())
G_DECLARE_FINAL_TYPE (AdComputePage, ad_compute_page, AD, COMPUTE_PAGE, GtkWidget)

AdMandelbrotView *ad_compute_page_get_mandelbrot_view (AdComputePage        *self);
AdSpeedupChart   *ad_compute_page_get_speedup_chart   (AdComputePage        *self);
gboolean          ad_compute_page_get_running         (AdComputePage        *self);
AdComputeResult  *ad_compute_page_get_result          (AdComputePage        *self);
const char       *ad_compute_page_get_result_text     (AdComputePage        *self);
void              ad_compute_page_set_workload        (AdComputePage        *self,
                                                       AdComputeWorkload     workload);
void              ad_compute_page_set_n               (AdComputePage        *self,
                                                       guint64               n);
void              ad_compute_page_set_max_iter        (AdComputePage        *self,
                                                       guint                 max_iter);
void              ad_compute_page_set_workers         (AdComputePage        *self,
                                                       AdComputeBackend      backend,
                                                       guint                 n_workers);
void              ad_compute_page_set_image_size      (AdComputePage        *self,
                                                       guint                 width,
                                                       guint                 height);
void              ad_compute_page_set_worker_binary   (AdComputePage        *self,
                                                       const char           *path);
void              ad_compute_page_set_speedup_min_seconds (AdComputePage    *self,
                                                       double                seconds);
void              ad_compute_page_save_png_async      (AdComputePage        *self,
                                                       GFile                *file,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean          ad_compute_page_save_png_finish     (AdComputePage        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
