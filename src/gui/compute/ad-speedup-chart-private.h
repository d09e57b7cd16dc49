/* ad-speedup-chart-private.h: the chart's laid-out text, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-speedup-chart.h"

G_BEGIN_DECLS

typedef struct
{
  char            *text;
  graphene_rect_t  extents;   /* in widget coordinates, after any rotation */
} AdSpeedupChartText;

/* Lays the chart out at @width × @height with the code path its snapshot
 * uses, and returns every text it would draw, with its extents. */
GArray *ad_speedup_chart_layout_texts (AdSpeedupChart *self,
                                       int             width,
                                       int             height);

G_END_DECLS
