/* ad-crawler-publish.c: results and counters, coalesced
 *
 * A run counts on its own (AdCrawlerRun) and keeps its new results in a
 * pending array; every 100 ms while it runs, and once at the end, they
 * reach the results model and the crawler's properties, notifying only
 * what changed: one model splice and a few notifications, not one per
 * request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include "ad-crawler-private.h"
#include "ad-source.h"

#define PUBLISH_INTERVAL_MS 100

#define PUBLISH(field, value, prop)                                          \
  G_STMT_START {                                                             \
    if (self->field != (value))                                              \
      {                                                                      \
        self->field = (value);                                               \
        ad_crawler_notify (self, AD_CRAWLER_PROP_##prop);                    \
      }                                                                      \
  } G_STMT_END

/* Moves new results into the model and updates the counters, notifying
 * only what changed. */
void
ad_crawler_publish (AdCrawler *self)
{
  AdCrawlerRun *run = self->run;
  double elapsed;
  double span;

  g_object_freeze_notify (G_OBJECT (self));

  if (run == NULL)
    {
      PUBLISH (running, FALSE, RUNNING);
      PUBLISH (queued, 0, QUEUED);
      PUBLISH (in_flight, 0, IN_FLIGHT);
      PUBLISH (limit, AD_CRAWL_LIMIT_NONE, LIMIT);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  if (run->pending->len > 0)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results));

      g_list_store_splice (self->results, n, 0, run->pending->pdata, run->pending->len);
      g_ptr_array_set_size (run->pending, 0);
    }

  elapsed = (g_get_monotonic_time () - run->started_us) / (double) G_USEC_PER_SEC;
  PUBLISH (running, TRUE, RUNNING);
  PUBLISH (queued, run->queued, QUEUED);
  PUBLISH (in_flight, run->in_flight, IN_FLIGHT);
  PUBLISH (done, run->done, DONE);
  PUBLISH (errors, run->errors, ERRORS);
  PUBLISH (skipped, run->skipped, SKIPPED);
  PUBLISH (bytes, run->bytes, BYTES);
  PUBLISH (limit, run->limit, LIMIT);
  PUBLISH (elapsed, elapsed, ELAPSED);
  PUBLISH (pages_per_second, elapsed > 0 ? run->done / elapsed : 0, PAGES_PER_SECOND);
  self->max_in_flight_seen = run->max_in_flight_seen;
  ad_crawler_run_gauge (run);
  span = (double) MAX (1, run->gauge_us - run->started_us);
  self->mean_in_flight = run->in_flight_area / span;
  self->mean_parsing = run->parsing_area / span;
  self->mean_waiting = run->waiting_area / span;

  g_object_thaw_notify (G_OBJECT (self));
}

#undef PUBLISH

static gboolean
publish_cb (gpointer user_data)
{
  ad_crawler_publish (user_data);
  return G_SOURCE_CONTINUE;
}

/* The run's timer: the run is stopped (and the timer with it) before the
 * crawler can go away, since the run's task holds a reference. */
void
ad_crawler_publish_start (AdCrawler *self)
{
  g_assert (self->publish_id == 0);
  self->publish_id = ad_timeout_add_named (G_PRIORITY_DEFAULT, PUBLISH_INTERVAL_MS,
                                           "[async-demo] crawl publish", publish_cb, self, NULL);
}

void
ad_crawler_publish_stop (AdCrawler *self)
{
  ad_source_clear_id (&self->publish_id);
}
