/* ad-compute-worker.h: the worker process's side of the compute protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-compute-kernels.h"

G_BEGIN_DECLS

/* The hidden command that runs a worker: `async-demo compute-worker`. */
#define AD_COMPUTE_WORKER_COMMAND "compute-worker"

char     *ad_compute_worker_format_request (const AdComputeParams  *params,
                                            const AdComputeChunk   *chunk);
gboolean  ad_compute_worker_parse_request  (const char             *line,
                                            AdComputeParams        *params,
                                            AdComputeChunk         *chunk,
                                            GError                **error);
gboolean  ad_compute_worker_serve          (GInputStream           *input,
                                            GOutputStream          *output,
                                            GError                **error);

G_END_DECLS
