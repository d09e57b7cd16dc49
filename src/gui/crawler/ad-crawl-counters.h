/* ad-crawl-counters.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_CRAWL_COUNTERS (ad_crawl_counters_get_type ())
G_DECLARE_FINAL_TYPE (AdCrawlCounters, ad_crawl_counters, AD, CRAWL_COUNTERS, GtkWidget)

GtkWidget *ad_crawl_counters_new         (void);
AdCrawler *ad_crawl_counters_get_crawler (AdCrawlCounters *self);
void       ad_crawl_counters_set_crawler (AdCrawlCounters *self,
                                          AdCrawler       *crawler);

G_END_DECLS
