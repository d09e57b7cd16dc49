/* ad-crawler-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_CRAWLER_PAGE (ad_crawler_page_get_type ())
G_DECLARE_FINAL_TYPE (AdCrawlerPage, ad_crawler_page, AD, CRAWLER_PAGE, GtkWidget)

AdCrawler    *ad_crawler_page_get_crawler     (AdCrawlerPage        *self);
AdSampleSite *ad_crawler_page_get_sample_site (AdCrawlerPage        *self);
gboolean      ad_crawler_page_get_running     (AdCrawlerPage        *self);
const char   *ad_crawler_page_get_status      (AdCrawlerPage        *self);
const char   *ad_crawler_page_get_error       (AdCrawlerPage        *self);
GListModel   *ad_crawler_page_get_shown_results (AdCrawlerPage      *self);

void          ad_crawler_page_export_async    (AdCrawlerPage        *self,
                                               AdCrawlExportFormat   format,
                                               GFile                *file,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean      ad_crawler_page_export_finish   (AdCrawlerPage        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
