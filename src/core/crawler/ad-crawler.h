/* ad-crawler.h: a concurrent web crawler and fetcher on the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-crawl-result.h"

G_BEGIN_DECLS

#define AD_TYPE_CRAWLER      (ad_crawler_get_type ())
#define AD_TYPE_CRAWL_SCOPE  (ad_crawl_scope_get_type ())
#define AD_TYPE_CRAWL_LIMIT  (ad_crawl_limit_get_type ())

G_DECLARE_FINAL_TYPE (AdCrawler, ad_crawler, AD, CRAWLER, GObject)

/**
 * AdCrawlScope:
 * @AD_CRAWL_SCOPE_HOST: links on the start URL's host (scheme, host, port)
 * @AD_CRAWL_SCOPE_PATH_PREFIX: links under the start URL's directory
 * @AD_CRAWL_SCOPE_ANY: every http(s) link (mind the maximum pages)
 *
 * Which links a crawl follows, before the include and exclude patterns.
 */
typedef enum
{
  AD_CRAWL_SCOPE_HOST,
  AD_CRAWL_SCOPE_PATH_PREFIX,
  AD_CRAWL_SCOPE_ANY,
} AdCrawlScope;

/**
 * AdCrawlLimit:
 * @AD_CRAWL_LIMIT_NONE: nothing waits, or nothing holds it back
 * @AD_CRAWL_LIMIT_TOTAL: the maximum requests in flight
 * @AD_CRAWL_LIMIT_PER_HOST: the maximum requests in flight per host
 * @AD_CRAWL_LIMIT_DELAY: the delay between requests to a host
 * @AD_CRAWL_LIMIT_ROBOTS: waiting for a host's robots.txt
 * @AD_CRAWL_LIMIT_PARSING: the thread pool is busy extracting links
 *
 * What keeps queued URLs from starting right now.
 */
typedef enum
{
  AD_CRAWL_LIMIT_NONE,
  AD_CRAWL_LIMIT_TOTAL,
  AD_CRAWL_LIMIT_PER_HOST,
  AD_CRAWL_LIMIT_DELAY,
  AD_CRAWL_LIMIT_ROBOTS,
  AD_CRAWL_LIMIT_PARSING,
} AdCrawlLimit;

#define AD_CRAWLER_DEFAULT_MAX_IN_FLIGHT 16
#define AD_CRAWLER_DEFAULT_MAX_PER_HOST  8
#define AD_CRAWLER_DEFAULT_TIMEOUT_MS    10000
#define AD_CRAWLER_DEFAULT_MAX_DEPTH     20
#define AD_CRAWLER_MAX_FETCH_THREADS     64

GType         ad_crawl_scope_get_type          (void) G_GNUC_CONST;
GType         ad_crawl_limit_get_type          (void) G_GNUC_CONST;

AdCrawler    *ad_crawler_new                   (void);

void          ad_crawler_crawl_async           (AdCrawler           *self,
                                                const char          *start_url,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
void          ad_crawler_fetch_async           (AdCrawler           *self,
                                                const char * const  *urls,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      ad_crawler_fetch_finish          (AdCrawler           *self,
                                                GAsyncResult        *result,
                                                GError             **error);
gboolean      ad_crawler_crawl_finish          (AdCrawler           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

GListModel   *ad_crawler_get_results           (AdCrawler           *self);
GListModel   *ad_crawler_get_broken_links      (AdCrawler           *self);
gboolean      ad_crawler_get_running           (AdCrawler           *self);
guint         ad_crawler_get_queued            (AdCrawler           *self);
guint         ad_crawler_get_in_flight         (AdCrawler           *self);
guint         ad_crawler_get_done              (AdCrawler           *self);
guint         ad_crawler_get_errors            (AdCrawler           *self);
guint         ad_crawler_get_skipped           (AdCrawler           *self);
guint64       ad_crawler_get_bytes             (AdCrawler           *self);
double        ad_crawler_get_pages_per_second  (AdCrawler           *self);
double        ad_crawler_get_elapsed           (AdCrawler           *self);
AdCrawlLimit  ad_crawler_get_limit             (AdCrawler           *self);
guint         ad_crawler_get_max_in_flight_seen (AdCrawler          *self);
double        ad_crawler_get_mean_in_flight    (AdCrawler           *self);
double        ad_crawler_get_mean_parsing      (AdCrawler           *self);
double        ad_crawler_get_mean_waiting      (AdCrawler           *self);

G_END_DECLS
