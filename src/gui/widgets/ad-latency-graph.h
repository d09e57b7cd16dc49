/* ad-latency-graph.h: how late the main loop ran, over time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_LATENCY_GRAPH (ad_latency_graph_get_type ())
G_DECLARE_FINAL_TYPE (AdLatencyGraph, ad_latency_graph, AD, LATENCY_GRAPH, GtkWidget)

AdLoopMonitor *ad_latency_graph_get_monitor (AdLatencyGraph *self);
void           ad_latency_graph_set_monitor (AdLatencyGraph *self,
                                             AdLoopMonitor  *monitor);
void           ad_latency_graph_refresh     (AdLatencyGraph *self);

G_END_DECLS
