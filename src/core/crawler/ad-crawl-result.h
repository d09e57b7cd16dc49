/* ad-crawl-result.h: what the crawler learnt about one URL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AD_TYPE_CRAWL_RESULT (ad_crawl_result_get_type ())

G_DECLARE_FINAL_TYPE (AdCrawlResult, ad_crawl_result, AD, CRAWL_RESULT, GObject)

const char         *ad_crawl_result_get_url          (AdCrawlResult *self);
const char         *ad_crawl_result_get_final_url    (AdCrawlResult *self);
guint               ad_crawl_result_get_status       (AdCrawlResult *self);
const char         *ad_crawl_result_get_content_type (AdCrawlResult *self);
guint64             ad_crawl_result_get_size         (AdCrawlResult *self);
double              ad_crawl_result_get_ttfb_ms      (AdCrawlResult *self);
double              ad_crawl_result_get_total_ms     (AdCrawlResult *self);
guint               ad_crawl_result_get_depth        (AdCrawlResult *self);
const char         *ad_crawl_result_get_referrer     (AdCrawlResult *self);
guint               ad_crawl_result_get_links        (AdCrawlResult *self);
guint               ad_crawl_result_get_redirects    (AdCrawlResult *self);
const char         *ad_crawl_result_get_error_message (AdCrawlResult *self);
gboolean            ad_crawl_result_is_broken        (AdCrawlResult *self);
const char * const *ad_crawl_result_get_referrers    (AdCrawlResult *self);

G_END_DECLS
