/* ad-crawl-results-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_CRAWL_RESULTS_VIEW (ad_crawl_results_view_get_type ())
G_DECLARE_FINAL_TYPE (AdCrawlResultsView, ad_crawl_results_view, AD, CRAWL_RESULTS_VIEW, GtkWidget)

GtkWidget     *ad_crawl_results_view_new               (void);
AdCrawler     *ad_crawl_results_view_get_crawler       (AdCrawlResultsView *self);
void           ad_crawl_results_view_set_crawler       (AdCrawlResultsView *self,
                                                        AdCrawler          *crawler);
const char    *ad_crawl_results_view_get_search        (AdCrawlResultsView *self);
void           ad_crawl_results_view_set_search        (AdCrawlResultsView *self,
                                                        const char         *search);
gboolean       ad_crawl_results_view_get_errors_only   (AdCrawlResultsView *self);
void           ad_crawl_results_view_set_errors_only   (AdCrawlResultsView *self,
                                                        gboolean            errors_only);
GListModel    *ad_crawl_results_view_get_shown_results (AdCrawlResultsView *self);
AdCrawlResult *ad_crawl_results_view_get_selected_item (AdCrawlResultsView *self);

G_END_DECLS
