/* ad-sample-site.h: a generated web site on 127.0.0.1 for the crawler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AD_TYPE_SAMPLE_SITE (ad_sample_site_get_type ())

G_DECLARE_FINAL_TYPE (AdSampleSite, ad_sample_site, AD, SAMPLE_SITE, GObject)

/* The host name under which robots.txt answers 503 (the port is the same). */
#define AD_SAMPLE_SITE_ROBOTS_ERROR_HOST "localhost"
/* How long /slow takes to answer. */
#define AD_SAMPLE_SITE_SLOW_MS 1500
/* The size of /big and /big-stream: over the crawler's default body limit. */
#define AD_SAMPLE_SITE_BIG_SIZE ((gsize) 11 * 1024 * 1024)

AdSampleSite *ad_sample_site_new                (guint          pages,
                                                 guint          links_per_page,
                                                 GError       **error);
AdSampleSite *ad_sample_site_new_in_thread      (guint          pages,
                                                 guint          links_per_page,
                                                 GError       **error);
const char   *ad_sample_site_get_uri            (AdSampleSite  *self);
const char   *ad_sample_site_get_start_url      (AdSampleSite  *self);
char         *ad_sample_site_dup_url            (AdSampleSite  *self,
                                                 const char    *path);

G_END_DECLS
