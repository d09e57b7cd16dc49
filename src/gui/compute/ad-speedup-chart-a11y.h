/* ad-speedup-chart-a11y.h: the speed-up chart's figures, in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-speedup-chart.h"

G_BEGIN_DECLS

char *ad_speedup_chart_build_description  (AdSpeedupChart *self);
void  ad_speedup_chart_update_description (AdSpeedupChart *self);
void  ad_speedup_chart_follow_description (AdSpeedupChart *self);

G_END_DECLS
