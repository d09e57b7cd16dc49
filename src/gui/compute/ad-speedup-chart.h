/* ad-speedup-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_SPEEDUP_CHART (ad_speedup_chart_get_type ())
G_DECLARE_FINAL_TYPE (AdSpeedupChart, ad_speedup_chart, AD, SPEEDUP_CHART, GtkWidget)

void       ad_speedup_chart_set_rows     (AdSpeedupChart     *self,
                                          const AdSpeedupRow *rows,
                                          guint               n_rows);
void       ad_speedup_chart_clear        (AdSpeedupChart     *self);
guint      ad_speedup_chart_get_n_points (AdSpeedupChart     *self);
void       ad_speedup_chart_get_point    (AdSpeedupChart     *self,
                                          guint               index,
                                          guint              *n_workers,
                                          double             *speedup,
                                          double             *efficiency);

G_END_DECLS
