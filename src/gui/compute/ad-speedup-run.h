/* ad-speedup-run.h: the Compute page's speed-up measurement
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_SPEEDUP_RUN (ad_speedup_run_get_type ())
G_DECLARE_FINAL_TYPE (AdSpeedupRun, ad_speedup_run, AD, SPEEDUP_RUN, GObject)

AdSpeedupRun *ad_speedup_run_new          (const AdComputeParams *params,
                                           guint                  max_workers,
                                           const char            *worker_binary);
AdComputeJob *ad_speedup_run_get_job      (AdSpeedupRun          *self);
guint         ad_speedup_run_get_index    (AdSpeedupRun          *self);
guint         ad_speedup_run_get_n_configs (AdSpeedupRun         *self);
void          ad_speedup_run_run_async    (AdSpeedupRun          *self,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
gboolean      ad_speedup_run_run_finish   (AdSpeedupRun          *self,
                                           GAsyncResult          *result,
                                           double                *best_speedup,
                                           GError               **error);

G_END_DECLS
