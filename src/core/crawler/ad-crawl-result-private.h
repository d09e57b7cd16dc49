/* ad-crawl-result-private.h: the crawler fills results in directly
 *
 * Results are made on the main thread, one per fetched URL (tens of
 * thousands in a big crawl), so the crawler sets the fields without going
 * through GObject properties; they never change once the result is in the
 * results model, except the referrers a broken link gets in the summary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-crawl-result.h"

G_BEGIN_DECLS

struct _AdCrawlResult
{
  GObject   parent_instance;

  char     *url;
  char     *final_url;
  guint     status;
  char     *content_type;
  guint64   size;
  double    ttfb_ms;
  double    total_ms;
  guint     depth;
  char     *referrer;
  guint     links;
  guint     redirects;
  GError   *error;
  GStrv     referrers;
};

AdCrawlResult *ad_crawl_result_new           (const char     *url);
void           ad_crawl_result_set_referrers (AdCrawlResult  *self,
                                              GStrv           referrers);

/* For the tests: the error itself, not only its message. */
const GError  *ad_crawl_result_get_error     (AdCrawlResult  *self);

G_END_DECLS
