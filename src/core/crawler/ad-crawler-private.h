/* ad-crawler-private.h: knobs the tests turn, not part of the API
 *
 * The tests reach paths a real crawl only meets by chance: fetched pages
 * waiting for a parser (one parse at a time makes the queue fill), and a
 * page whose links cannot be extracted (ad_link_extract() only fails for
 * a base URL that is not a URL, which a fetched page never has, or when
 * cancelled). Both settings are read when a run starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-crawler.h"

G_BEGIN_DECLS

/* ad_link_extract()'s signature: called on a pool thread. */
typedef GPtrArray *(*AdCrawlerExtractFunc) (GBytes        *html,
                                            const char    *base_url,
                                            const char    *charset,
                                            GCancellable  *cancellable,
                                            GError       **error);

void ad_crawler_set_max_parsing  (AdCrawler            *self,
                                  guint                 max_parsing);
void ad_crawler_set_extract_func (AdCrawler            *self,
                                  AdCrawlerExtractFunc  extract);

G_END_DECLS
