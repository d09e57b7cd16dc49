/* ad-sample-site-private.h: the sample site's parts, and what the tests ask
 *
 * AdSampleSite is one class over two files:
 *
 *   ad-sample-site.c        the object: listening, accepting, counting,
 *                           delayed answers, serving on a thread of its own
 *   ad-sample-site-pages.c  what it answers, path by path
 *
 * This header is not part of the API. Beside what the two files share, it
 * holds what the tests ask: they slow the site down and count what the
 * crawler asked of it (requests in flight at once, requests per path); the
 * application and the command line only serve it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "ad-sample-site.h"

G_BEGIN_DECLS

struct _AdSampleSite
{
  GObject      parent_instance;

  SoupServer      *server;
  GSocketService  *service;     /* accepts, and hands connections to server */
  char        *uri;           /* "http://127.0.0.1:PORT/" */
  char        *start_url;
  guint        pages;
  guint        links_per_page;
  int          response_delay;  /* atomic: ms */

  GHashTable  *delayed;       /* Delayed* set: answers waiting for their timeout */
  GBytes      *big;           /* lazily made body of /big and /big-stream */
  GHashTable  *counted;       /* SoupServerMessage set (unowned): requests in flight */

  /* Serving on a thread of its own (ad_sample_site_new_in_thread()) */
  GMainContext *context;      /* the serving thread's, or NULL: the creator's */
  GMainLoop    *loop;
  GThread      *thread;

  /* Protected by mutex: read from any thread */
  GMutex       mutex;
  GHashTable  *path_counts;   /* path → number of requests */
  guint        in_flight;
  guint        max_in_flight;
  guint        requests;
};

/* ad-sample-site.c: answers now or after the response delay, or after
 * @delay_ms (G_MAXUINT: never), without blocking */
void          ad_sample_site_reply              (AdSampleSite      *self,
                                                 SoupServerMessage *msg,
                                                 guint              status,
                                                 const char        *content_type,
                                                 GBytes            *body,
                                                 const char        *location);
void          ad_sample_site_answer_later       (AdSampleSite      *self,
                                                 SoupServerMessage *msg,
                                                 guint              delay_ms,
                                                 guint              status,
                                                 const char        *content_type,
                                                 GBytes            *body,
                                                 const char        *location);

/* ad-sample-site-pages.c */
void          ad_sample_site_serve_page         (AdSampleSite      *self,
                                                 SoupServerMessage *msg,
                                                 const char        *path);

/* for the tests */
void          ad_sample_site_set_response_delay (AdSampleSite  *self,
                                                 guint          delay_ms);
guint         ad_sample_site_get_in_flight      (AdSampleSite  *self);
guint         ad_sample_site_get_max_in_flight  (AdSampleSite  *self);
guint         ad_sample_site_get_requests       (AdSampleSite  *self);
guint         ad_sample_site_count_requests     (AdSampleSite  *self,
                                                 const char    *path);
void          ad_sample_site_reset_counters     (AdSampleSite  *self);

G_END_DECLS
