/* ad-latency-graph-private.h: test-only access to AdLatencyGraph
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-latency-graph.h"

G_BEGIN_DECLS

guint ad_latency_graph_get_n_redraws (AdLatencyGraph *self);

G_END_DECLS
