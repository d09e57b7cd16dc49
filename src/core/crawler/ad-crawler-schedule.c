/* ad-crawler-schedule.c: the frontier and the scheduler
 *
 * The frontier: every URL a run has met is a node in the run's "seen"
 * table (normalised, hashed on the pool thread, so the main loop only
 * compares strings), queued on its host until it starts. Each node
 * remembers the pages that link to it while it may turn out broken.
 *
 * The scheduler starts what the limits allow: requests in flight in total
 * and per host, the delay between requests to one host, robots.txt first
 * (for a crawl), the maximum pages, and no more fetched pages waiting for
 * a parser than the parse queue holds. Hosts take turns, so one big host
 * does not starve the others, and the run's "limit" says what holds the
 * queued URLs back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <string.h>

#include "ad-crawler-private.h"
#include "ad-crawl-result-private.h"
#include "ad-source.h"
#include "ad-url.h"

/* ---- the frontier ---------------------------------------------------------- */

void
ad_crawler_node_free (AdCrawlerNode *node)
{
  g_free (node->referrers);
  g_clear_object (&node->result);
  g_free (node);
}

void
ad_crawler_host_free (AdCrawlerHost *host)
{
  ad_source_clear_id (&host->wake_id);
  g_queue_clear (&host->queue);
  g_clear_pointer (&host->robots, ad_robots_unref);
  g_free (host->origin);
  g_free (host);
}

guint
ad_crawler_node_hash (gconstpointer key)
{
  return ((const AdCrawlerNode *) key)->hash;
}

gboolean
ad_crawler_node_equal (gconstpointer a,
                       gconstpointer b)
{
  const AdCrawlerNode *node_a = a;
  const AdCrawlerNode *node_b = b;

  return node_a->hash == node_b->hash && g_str_equal (node_a->url, node_b->url);
}

/* @hash is g_str_hash (@url), computed by the caller (a pool thread). */
AdCrawlerNode *
ad_crawler_run_lookup (AdCrawlerRun *run,
                       const char   *url,
                       guint         hash)
{
  AdCrawlerNode key = { .url = (char *) url, .hash = hash };

  return g_hash_table_lookup (run->seen, &key);
}

/* ---- queueing ------------------------------------------------------------- */

/* The host of a URL, from its "scheme://authority" (which decides its
 * origin) when seen before: a URL parse (GUri) per new page was a tenth of
 * the crawl's main-thread work. */
static AdCrawlerHost *
crawl_get_host (AdCrawlerRun *run,
                const char   *url)
{
  const char *scheme_end = strstr (url, "://");
  g_autofree char *authority = NULL;
  g_autofree char *origin = NULL;
  AdCrawlerHost *host;

  if (scheme_end != NULL)
    {
      authority = g_strndup (url, (gsize) (scheme_end + 3 - url) + strcspn (scheme_end + 3, "/?#"));
      host = g_hash_table_lookup (run->authorities, authority);
      if (host != NULL)
        return host;
    }

  origin = ad_url_get_origin (url);
  if (origin == NULL)
    return NULL;

  host = g_hash_table_lookup (run->hosts, origin);
  if (host != NULL)
    {
      if (authority != NULL)
        g_hash_table_insert (run->authorities, g_steal_pointer (&authority), host);
      return host;
    }

  host = g_new0 (AdCrawlerHost, 1);
  host->run = run;
  host->origin = g_steal_pointer (&origin);
  host->delay_us = run->host_delay_us;
  g_queue_init (&host->queue);
  /* A list of URLs is fetched as given; a crawl asks robots.txt first. */
  if (!run->crawl || run->ignore_robots)
    host->robots = ad_robots_new_allow_all ();
  g_hash_table_insert (run->hosts, host->origin, host);
  g_ptr_array_add (run->host_list, host);
  if (authority != NULL)
    g_hash_table_insert (run->authorities, g_steal_pointer (&authority), host);

  return host;
}

static void
crawl_enqueue (AdCrawlerRun  *run,
               AdCrawlerNode *node)
{
  AdCrawlerHost *host = crawl_get_host (run, node->url);

  g_return_if_fail (host != NULL);

  g_queue_push_tail (&host->queue, node);
  run->queued++;
}

/* Returns the node for @url (whose g_str_hash() is @hash), made and
 * queued when it is new. */
AdCrawlerNode *
ad_crawler_run_add_url_hashed (AdCrawlerRun  *run,
                               const char    *url,
                               guint          hash,
                               AdCrawlerNode *referrer,
                               gboolean       queue)
{
  AdCrawlerNode *node = ad_crawler_run_lookup (run, url, hash);

  if (node != NULL && node->fetched_ok)
    return node;

  if (node == NULL)
    {
      gsize size = strlen (url) + 1;

      node = g_malloc0 (sizeof (AdCrawlerNode) + size);
      node->url = memcpy (node + 1, url, size);
      node->hash = hash;
      node->referrer = referrer;
      node->depth = referrer ? referrer->depth + 1 : 0;
      g_hash_table_add (run->seen, node);
      if (queue)
        crawl_enqueue (run, node);
    }

  /* Referrers are for the broken-links summary: a page fetched fine
   * needs none (most links of a crawl lead to pages done already). */
  if (referrer != NULL)
    {
      if (G_UNLIKELY (node->n_referrers == node->referrers_size))
        {
          node->referrers_size = MAX (4, node->referrers_size * 2);
          node->referrers = g_renew (AdCrawlerNode *, node->referrers, node->referrers_size);
        }
      node->referrers[node->n_referrers++] = referrer;
    }

  return node;
}

AdCrawlerNode *
ad_crawler_run_add_url (AdCrawlerRun  *run,
                        const char    *url,
                        AdCrawlerNode *referrer,
                        gboolean       queue)
{
  return ad_crawler_run_add_url_hashed (run, url, g_str_hash (url), referrer, queue);
}

void
ad_crawler_run_drop_queues (AdCrawlerRun *run)
{
  for (guint i = 0; i < run->host_list->len; i++)
    {
      AdCrawlerHost *host = g_ptr_array_index (run->host_list, i);

      g_queue_clear (&host->queue);
      ad_source_clear_id (&host->wake_id);
    }
  run->queued = 0;
}

void
ad_crawler_run_record (AdCrawlerRun  *run,
                       AdCrawlerNode *node,
                       AdCrawlResult *result)
{
  g_set_object (&node->result, result);
  run->done++;
  run->bytes += result->size;
  node->fetched_ok = !ad_crawl_result_is_broken (result);
  if (node->fetched_ok)
    {
      g_clear_pointer (&node->referrers, g_free);
      node->n_referrers = node->referrers_size = 0;
    }
  else
    run->errors++;
  g_ptr_array_add (run->pending, g_object_ref (result));
}

/* ---- the scheduler -------------------------------------------------------- */

/* Adds the time since the last call to the areas under the requests in
 * flight, the pages parsing and the pages waiting for a parser: called
 * before each of them changes, their means over the run say how full the
 * pipeline really was (not only at its fullest). */
void
ad_crawler_run_gauge (AdCrawlerRun *run)
{
  gint64 now = g_get_monotonic_time ();
  double span = (double) (now - run->gauge_us);

  run->in_flight_area += run->in_flight * span;
  run->parsing_area += run->parsing * span;
  run->waiting_area += run->parse_queue.length * span;
  run->gauge_us = now;
}

/* The host's timer: ad_crawler_host_free() removes it, so the pointer
 * stays valid. */
static gboolean
wake_cb (gpointer user_data)
{
  AdCrawlerHost *host = user_data;

  host->wake_id = 0;
  ad_crawler_run_schedule (host->run);
  return G_SOURCE_REMOVE;
}

static void
host_arm_wake (AdCrawlerHost *host,
               gint64         now)
{
  guint ms;

  if (host->wake_id != 0)
    return;

  ms = (guint) ((host->next_start_us - now + 999) / 1000);
  host->wake_id = ad_timeout_add_named (G_PRIORITY_DEFAULT, ms, "[async-demo] crawl delay",
                                       wake_cb, host, NULL);
}

/* Starts what the limits allow, taking hosts in turn. Re-entrant calls
 * (a fetch that completes at once) only ask for another pass. */
void
ad_crawler_run_schedule (AdCrawlerRun *run)
{
  AdCrawlLimit limit = AD_CRAWL_LIMIT_NONE;
  gboolean progress = TRUE;

  if (run->scheduling)
    {
      run->reschedule = TRUE;
      return;
    }
  run->scheduling = TRUE;

  while (progress && !run->stopping)
    {
      gint64 now = g_get_monotonic_time ();
      guint n_hosts = run->host_list->len;

      progress = FALSE;
      run->reschedule = FALSE;
      limit = AD_CRAWL_LIMIT_NONE;

      for (guint i = 0; i < n_hosts && run->queued > 0; i++)
        {
          AdCrawlerHost *host = g_ptr_array_index (run->host_list, (run->next_host + i) % n_hosts);
          AdCrawlerNode *node;

          if (host->queue.length == 0)
            continue;

          if (run->max_pages > 0 && run->started_pages >= run->max_pages)
            {
              ad_crawler_run_drop_queues (run);
              break;
            }
          if (run->in_flight >= run->max_in_flight)
            {
              limit = AD_CRAWL_LIMIT_TOTAL;
              break;
            }
          if (run->crawl && run->parse_queue.length >= run->max_waiting)
            {
              limit = AD_CRAWL_LIMIT_PARSING;
              break;
            }
          if (host->robots == NULL)
            {
              if (!host->robots_requested && host->in_flight < run->max_per_host)
                {
                  ad_crawler_run_fetch_robots (run, host);
                  progress = TRUE;
                }
              if (limit == AD_CRAWL_LIMIT_NONE)
                limit = AD_CRAWL_LIMIT_ROBOTS;
              continue;
            }
          if (host->in_flight >= run->max_per_host)
            {
              if (limit == AD_CRAWL_LIMIT_NONE)
                limit = AD_CRAWL_LIMIT_PER_HOST;
              continue;
            }
          if (host->delay_us > 0 && now < host->next_start_us)
            {
              host_arm_wake (host, now);
              if (limit == AD_CRAWL_LIMIT_NONE)
                limit = AD_CRAWL_LIMIT_DELAY;
              continue;
            }

          node = g_queue_pop_head (&host->queue);
          run->queued--;
          progress = TRUE;

          if (!ad_crawler_host_robots_allow (host, node->url))
            {
              g_debug ("robots.txt disallows %s", node->url);
              run->skipped++;
              continue;
            }

          ad_crawler_run_fetch (run, host, node);
        }

      run->next_host++;
      progress = progress || run->reschedule;
    }

  run->limit = run->queued > 0 ? limit : AD_CRAWL_LIMIT_NONE;
  run->scheduling = FALSE;
  ad_crawler_run_maybe_finish (run);
}
