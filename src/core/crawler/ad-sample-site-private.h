/* ad-sample-site-private.h: what the tests ask the sample site
 *
 * The tests slow the site down and count what the crawler asked of it
 * (requests in flight at once, requests per path); the application and
 * the command line only serve it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-sample-site.h"

G_BEGIN_DECLS

void          ad_sample_site_set_response_delay (AdSampleSite  *self,
                                                 guint          delay_ms);
guint         ad_sample_site_get_in_flight      (AdSampleSite  *self);
guint         ad_sample_site_get_max_in_flight  (AdSampleSite  *self);
guint         ad_sample_site_get_requests       (AdSampleSite  *self);
guint         ad_sample_site_count_requests     (AdSampleSite  *self,
                                                 const char    *path);
void          ad_sample_site_reset_counters     (AdSampleSite  *self);

G_END_DECLS
