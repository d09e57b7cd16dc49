/* ad-crawler-fetch.c: fetching pages on the SoupSession
 *
 * One session for the crawler, async API only, made for the current
 * limits (max-conns and max-conns-per-host are construct-only in libsoup
 * 3: changing them makes a new session for the next run). Each fetch is a
 * child task of the run in the task registry (kind IO, on the main loop);
 * an HTTP error status is not a failed task. A page reached through a
 * redirect is recorded under its final URL too, and a redirect to a page
 * known already is not followed: every page is fetched once. An HTML page
 * of a crawl goes on to the parser (ad-crawler-parse.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include "ad-crawler-private.h"
#include "ad-crawl-result-private.h"

AdCrawlerFetchOp *
ad_crawler_fetch_op_new (AdCrawlerRun  *run,
                         AdCrawlerHost *host,
                         AdCrawlerNode *node,
                         const char    *url)
{
  AdCrawlerFetchOp *op = g_new0 (AdCrawlerFetchOp, 1);

  op->run = run;
  op->host = host;
  op->node = node;
  op->record = ad_task_registry_create (ad_task_registry_get_default (), url, AD_TASK_KIND_IO,
                                        run->record, NULL);
  ad_task_start (op->record);
  return op;
}

/* Records how the fetch ended (an HTTP status is not a failure). */
void
ad_crawler_fetch_op_free (AdCrawlerFetchOp      *op,
                          const AdFetchResponse *response,
                          const GError          *error)
{
  ad_task_finish (op->record, response != NULL ? response->error : error);
  g_object_unref (op->record);
  g_free (op);
}

void
ad_crawler_run_release_slot (AdCrawlerRun  *run,
                             AdCrawlerHost *host)
{
  ad_crawler_run_gauge (run);
  host->in_flight--;
  run->in_flight--;
}

void
ad_crawler_run_take_slot (AdCrawlerRun  *run,
                          AdCrawlerHost *host)
{
  ad_crawler_run_gauge (run);
  host->in_flight++;
  run->in_flight++;
  run->max_in_flight_seen = MAX (run->max_in_flight_seen, run->in_flight);
}

static AdCrawlResult *
result_from_response (AdCrawlerNode   *node,
                      AdFetchResponse *response)
{
  AdCrawlResult *result = ad_crawl_result_new (node->url);

  if (g_strcmp0 (response->final_url, node->url) != 0)
    result->final_url = g_strdup (response->final_url);
  result->status = response->status;
  result->content_type = g_strdup (response->content_type);
  result->size = response->size;
  result->ttfb_ms = response->ttfb_us / 1000.0;
  result->total_ms = response->total_us / 1000.0;
  result->depth = node->depth;
  result->referrer = node->referrer ? g_strdup (node->referrer->url) : NULL;
  result->redirects = response->redirects->len;
  result->error = g_steal_pointer (&response->error);

  return result;
}

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  AdCrawlerFetchOp *op = user_data;
  AdCrawlerRun *run = op->run;
  AdCrawlerNode *node = op->node;
  g_autoptr(AdFetchResponse) response = NULL;
  g_autoptr(AdCrawlResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean parse;

  ad_crawler_run_release_slot (run, op->host);
  response = ad_fetch_finish (res, &error);
  ad_crawler_fetch_op_free (op, response, error);
  if (response == NULL)
    {
      /* Cancelled: the run is stopping and records nothing more. */
      ad_crawler_run_schedule (run);
      return;
    }

  result = result_from_response (node, response);
  /* Links are followed from pages, not from error pages. */
  parse = run->crawl && !run->stopping && response->body != NULL && result->error == NULL &&
          SOUP_STATUS_IS_SUCCESSFUL (result->status) && node->depth < run->max_depth;

  /* The page also stands for its final URL: never fetch that again, and
   * if it was known already, its links are (or will be) extracted there. */
  if (result->final_url != NULL)
    {
      AdCrawlerNode *final = ad_crawler_run_lookup (run, result->final_url,
                                                    g_str_hash (result->final_url));

      if (final != NULL)
        parse = FALSE;
      else if (!run->crawl || ad_crawler_scope_allows (run->scope, result->final_url))
        ad_crawler_run_add_url (run, result->final_url, NULL, FALSE)->depth = node->depth;
    }

  if (parse)
    ad_crawler_run_parse (run, node, result, response);
  else
    ad_crawler_run_record (run, node, result);

  ad_crawler_run_schedule (run);
}

/* A redirect to a page known already ends the fetch: that page is (or
 * will be) fetched and parsed as itself, not a second time through here. */
static gboolean
crawl_follow_redirect (const char *target,
                       gpointer    user_data)
{
  AdCrawlerRun *run = user_data;

  return ad_crawler_run_lookup (run, target, g_str_hash (target)) == NULL;
}

void
ad_crawler_run_fetch (AdCrawlerRun  *run,
                      AdCrawlerHost *host,
                      AdCrawlerNode *node)
{
  AdCrawlerFetchOp *op = ad_crawler_fetch_op_new (run, host, node, node->url);
  AdFetchOptions options = run->options;

  options.keep_html = run->crawl;
  options.follow_redirect = crawl_follow_redirect;
  options.follow_redirect_data = run;
  run->started_pages++;
  host->next_start_us = g_get_monotonic_time () + host->delay_us;
  ad_crawler_run_take_slot (run, host);

  ad_fetch_async (run->session, node->url, &options, run->cancellable, fetch_done_cb, op);
}

SoupSession *
ad_crawler_ensure_session (AdCrawler *self)
{
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("max-conns", self->max_in_flight,
                                                   "max-conns-per-host", self->max_per_host,
                                                   NULL);
  soup_session_set_user_agent (self->session, self->user_agent);
  return self->session;
}
