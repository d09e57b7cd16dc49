/* ad-broken-links-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_BROKEN_LINKS_VIEW (ad_broken_links_view_get_type ())
G_DECLARE_FINAL_TYPE (AdBrokenLinksView, ad_broken_links_view, AD, BROKEN_LINKS_VIEW, GtkWidget)

GtkWidget     *ad_broken_links_view_new               (void);
AdCrawler     *ad_broken_links_view_get_crawler       (AdBrokenLinksView *self);
void           ad_broken_links_view_set_crawler       (AdBrokenLinksView *self,
                                                       AdCrawler         *crawler);
AdCrawlResult *ad_broken_links_view_get_selected_item (AdBrokenLinksView *self);

G_END_DECLS
