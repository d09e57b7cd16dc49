/* ad-crawl-settings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_CRAWL_SETTINGS (ad_crawl_settings_get_type ())
G_DECLARE_FINAL_TYPE (AdCrawlSettings, ad_crawl_settings, AD, CRAWL_SETTINGS, GtkWidget)

GtkWidget *ad_crawl_settings_new   (void);
void       ad_crawl_settings_load  (AdCrawlSettings *self,
                                    AdCrawler       *crawler);
void       ad_crawl_settings_apply (AdCrawlSettings *self,
                                    AdCrawler       *crawler);

G_END_DECLS
