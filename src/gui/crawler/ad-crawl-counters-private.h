/* ad-crawl-counters-private.h: test-only accessors of AdCrawlCounters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-crawl-counters.h"

G_BEGIN_DECLS

guint ad_crawl_counters_get_n_updates (AdCrawlCounters *self);

G_END_DECLS
