/* ad-compute-error.h: the compute engine's error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AD_COMPUTE_ERROR (ad_compute_error_quark ())

typedef enum
{
  AD_COMPUTE_ERROR_INVALID,        /* bad parameters: the caller's mistake */
  AD_COMPUTE_ERROR_WORKER_FAILED,  /* a worker process died or could not start */
  AD_COMPUTE_ERROR_PROTOCOL,       /* a worker process said something unexpected */
} AdComputeError;

GQuark ad_compute_error_quark (void);

G_END_DECLS
