/* ad-crawler-robots.c: robots.txt, once per host
 *
 * A crawl fetches a host's robots.txt before any page of it. One that
 * answers 5xx disallows the whole host, as RFC 9309 says; one that is
 * missing or does not answer allows it all. Its Crawl-delay raises the
 * host's delay to at least that. A list of URLs, or a crawl that ignores
 * robots.txt, gives every host an allow-all set of rules up front.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <string.h>

#include "ad-crawler-private.h"

#define ROBOTS_TIMEOUT_MS   10000

static void
robots_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AdCrawlerFetchOp *op = user_data;
  AdCrawlerRun *run = op->run;
  AdCrawlerHost *host = op->host;
  g_autoptr(AdFetchResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  ad_crawler_run_release_slot (run, host);
  response = ad_fetch_finish (result, &error);
  ad_crawler_fetch_op_free (op, response, error);

  if (response != NULL && response->error == NULL &&
      SOUP_STATUS_IS_SUCCESSFUL (response->status) && response->body != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (response->body, &size);

      host->robots = ad_robots_parse (data, size, run->user_agent);
    }
  else if (response != NULL && response->error == NULL && response->status >= 500)
    {
      /* RFC 9309: the server errs, so assume everything is disallowed. */
      g_debug ("robots.txt of %s answered %u: nothing of it is crawled (RFC 9309)",
               host->origin, response->status);
      host->robots = ad_robots_new_disallow_all ();
    }
  else
    /* No robots.txt (4xx), no answer, or cancelled: the pages' own
     * fetches will report why, which is more useful than skipping them. */
    host->robots = ad_robots_new_allow_all ();

  host->delay_us = MAX (host->delay_us,
                        (gint64) (ad_robots_get_crawl_delay (host->robots) * G_USEC_PER_SEC));
  g_debug ("robots.txt of %s: %u rules, delay %.1f s", host->origin,
           ad_robots_get_n_rules (host->robots), host->delay_us / (double) G_USEC_PER_SEC);

  ad_crawler_run_schedule (run);
}

void
ad_crawler_run_fetch_robots (AdCrawlerRun  *run,
                             AdCrawlerHost *host)
{
  g_autofree char *url = g_strconcat (host->origin, "/robots.txt", NULL);
  AdFetchOptions options = run->options;
  AdCrawlerFetchOp *op = ad_crawler_fetch_op_new (run, host, NULL, url);

  options.max_body_size = AD_ROBOTS_MAX_SIZE;
  options.keep_all = TRUE;
  options.timeout_ms = options.timeout_ms ? MIN (options.timeout_ms, ROBOTS_TIMEOUT_MS)
                                          : ROBOTS_TIMEOUT_MS;
  host->robots_requested = TRUE;
  ad_crawler_run_take_slot (run, host);

  ad_fetch_async (run->client, url, &options, run->cancellable, robots_done_cb, op);
}

/* robots.txt rules match the path and query: in a normalised URL, all
 * that follows the authority (there is no fragment, and the path is
 * never empty). */
gboolean
ad_crawler_host_robots_allow (AdCrawlerHost *host,
                              const char    *url)
{
  const char *authority = strstr (url, "://");
  const char *path = authority != NULL ? strchr (authority + 3, '/') : NULL;

  return ad_robots_is_allowed (host->robots, path != NULL ? path : "/");
}
