/* test-crawler-limits.c: the crawler's limits and cancellation, on 127.0.0.1
 *
 * How many requests the crawler has in flight, per host and in all, and
 * how many pages it parses at once; its per-host delay; and a crawl or a
 * fetch cancelled before it starts, mid-crawl, with requests in flight or
 * with pages waiting to be parsed. Each test serves an AdSampleSite on
 * this thread's main loop, which counts the requests it handles at the
 * same time, so the limits are checked from the server's side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-core.h"
#include "ad-crawl-result-private.h"
#include "ad-crawler-private.h"
#include "ad-sample-site-private.h"
#include "ad-test-utils.h"

#include "crawler-test-fixture.h"

AD_TEST_TSAN_IGNORE_UNINSTRUMENTED ()

static guint max_seen;

static void
in_flight_changed_cb (AdCrawler  *crawler,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  AdCrawlLimit *limit = user_data;

  if (ad_crawler_get_limit (crawler) != AD_CRAWL_LIMIT_NONE)
    *limit = ad_crawler_get_limit (crawler);
}

static void
test_limit_per_host (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (300, 4, NULL);
  g_autoptr(AdCrawler) crawler = g_object_new (AD_TYPE_CRAWLER,
                                               "max-in-flight", 16,
                                               "max-per-host", 3,
                                               NULL);
  g_autoptr(GError) error = NULL;
  AdCrawlLimit limit = AD_CRAWL_LIMIT_NONE;

  ad_sample_site_set_response_delay (site, 10);
  g_signal_connect (crawler, "notify::limit", G_CALLBACK (in_flight_changed_cb), &limit);

  g_assert_true (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 300);
  g_assert_cmpuint (ad_sample_site_get_max_in_flight (site), <=, 3);
  /* The limit was reached (300 pages, 10 ms each), and the crawler said so. */
  g_assert_cmpuint (ad_sample_site_get_max_in_flight (site), >=, 2);
  g_assert_cmpuint (ad_crawler_get_max_in_flight_seen (crawler), ==, 3);
  g_assert_cmpint (limit, ==, AD_CRAWL_LIMIT_PER_HOST);

  /* max-conns-per-host is construct-only in libsoup: a new limit needs a
   * new session, or the server would still see at most 3. */
  g_object_set (crawler, "max-per-host", 6, "max-pages", 60, NULL);
  ad_sample_site_reset_counters (site);
  /* Slow enough answers that even a client under valgrind fills 6 slots. */
  ad_sample_site_set_response_delay (site, 100);
  g_assert_true (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 60);
  g_assert_cmpuint (ad_sample_site_get_max_in_flight (site), <=, 6);
  g_assert_cmpuint (ad_sample_site_get_max_in_flight (site), >, 3);
}

/* libsoup's own limits are 10 connections, 2 per host: the crawler's
 * session must be made for its limits, or a crawl with 16 in flight on one
 * host would only ever have 2 (or 10) at the server. The mean says the
 * slots stay filled, not only once at the peak. */
static void
test_limit_above_libsoup_defaults (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (100, 1, NULL);
  g_autoptr(AdCrawler) crawler = g_object_new (AD_TYPE_CRAWLER,
                                               "max-in-flight", 16,
                                               "max-per-host", 16,
                                               NULL);
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  /* A list, all queued at once: nothing but the limits holds it back. */
  for (guint i = 0; i < 96; i++)
    g_ptr_array_add (urls, g_strdup_printf ("%sgen/%u", ad_sample_site_get_uri (site), i));
  g_ptr_array_add (urls, NULL);
  /* Slow answers: the server, not the client, sets the pace (slower under
   * valgrind, where the sample site shares the test's slow thread). */
  ad_sample_site_set_response_delay (site, 250 * ad_test_slow_factor ());
  g_assert_true (run_crawler (crawler, NULL, (const char * const *) urls->pdata, NULL, &error));
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 96);
  g_assert_cmpuint (ad_crawler_get_errors (crawler), ==, 0);
  g_assert_cmpuint (ad_crawler_get_max_in_flight_seen (crawler), ==, 16);
  /* What the server saw: all 16 at once, more than libsoup's 10. */
  g_assert_cmpuint (ad_sample_site_get_max_in_flight (site), ==, 16);
  /* 96 slow answers, 16 at once: six rounds, full but for the last
   * answers of each. */
  g_assert_cmpfloat (ad_crawler_get_mean_in_flight (crawler), >, 10.0);
  g_assert_cmpfloat (ad_crawler_get_mean_in_flight (crawler), <=, 16.0);
  g_assert_cmpfloat (ad_crawler_get_mean_parsing (crawler), ==, 0.0);
  g_assert_cmpfloat (ad_crawler_get_mean_waiting (crawler), ==, 0.0);
}

static void
site_in_flight_cb (AdSampleSite *site,
                   GParamSpec   *pspec,
                   gpointer      user_data)
{
  AdSampleSite **sites = user_data;
  guint total = ad_sample_site_get_in_flight (sites[0]) + ad_sample_site_get_in_flight (sites[1]);

  max_seen = MAX (max_seen, total);
}

static void
test_limit_total (void)
{
  g_autoptr(AdSampleSite) a = ad_sample_site_new (100, 1, NULL);
  g_autoptr(AdSampleSite) b = ad_sample_site_new (100, 1, NULL);
  AdSampleSite *sites[] = { a, b };
  g_autoptr(AdCrawler) crawler = g_object_new (AD_TYPE_CRAWLER,
                                               "max-in-flight", 5,
                                               "max-per-host", 4,
                                               NULL);
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  /* Two hosts (two ports): 60 URLs on each, interleaved. */
  for (guint i = 0; i < 60; i++)
    {
      g_ptr_array_add (urls, g_strdup_printf ("%sgen/%u", ad_sample_site_get_uri (a), i));
      g_ptr_array_add (urls, g_strdup_printf ("%sgen/%u", ad_sample_site_get_uri (b), i));
    }
  g_ptr_array_add (urls, NULL);
  ad_sample_site_set_response_delay (a, 10);
  ad_sample_site_set_response_delay (b, 10);
  max_seen = 0;
  g_signal_connect (a, "notify::in-flight", G_CALLBACK (site_in_flight_cb), sites);
  g_signal_connect (b, "notify::in-flight", G_CALLBACK (site_in_flight_cb), sites);

  g_assert_true (run_crawler (crawler, NULL, (const char * const *) urls->pdata, NULL, &error));
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 120);
  g_assert_cmpuint (ad_crawler_get_errors (crawler), ==, 0);
  g_assert_cmpuint (max_seen, <=, 5);
  g_assert_cmpuint (max_seen, >=, 2);
  g_assert_cmpuint (ad_sample_site_get_max_in_flight (a), <=, 4);
  g_assert_cmpuint (ad_sample_site_get_max_in_flight (b), <=, 4);

  g_signal_handlers_disconnect_by_data (a, sites);
  g_signal_handlers_disconnect_by_data (b, sites);
}

static void
test_delay (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (6, 5, NULL);
  g_autoptr(AdCrawler) crawler = g_object_new (AD_TYPE_CRAWLER, "per-host-delay", 100, NULL);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Six pages, 100 ms apart: at least half a second. */
  g_assert_true (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 6);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 500000);
  g_assert_cmpuint (ad_sample_site_get_max_in_flight (site), ==, 1);
}

static void
done_changed_cb (AdCrawler    *crawler,
                 GParamSpec   *pspec,
                 GCancellable *cancellable)
{
  /* Mid-crawl: some pages are done, thousands are not. */
  if (ad_crawler_get_done (crawler) >= 50)
    g_cancellable_cancel (cancellable);
}

static void
test_cancel (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (10000, 8, NULL);
  AdCrawler *crawler = g_object_new (AD_TYPE_CRAWLER, "max-in-flight", 32, "max-per-host", 32,
                                     NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint done;
  gint64 cancelled_at;

  ad_sample_site_set_response_delay (site, 5);
  ad_crawler_crawl_async (crawler, ad_sample_site_get_start_url (site), cancellable,
                          ad_test_store_result, &result);
  g_signal_connect (crawler, "notify::done", G_CALLBACK (done_changed_cb), cancellable);
  while (!g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (NULL, TRUE);
  cancelled_at = g_get_monotonic_time ();
  ad_test_wait_result (&result, 60000);

  /* Stopped promptly, mid-crawl, with nothing left running. */
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, (gint64) 2 * G_USEC_PER_SEC);
  g_assert_false (ad_crawler_crawl_finish (crawler, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  done = ad_crawler_get_done (crawler);
  g_assert_cmpuint (done, >=, 50);
  g_assert_cmpuint (done, <, 10000);
  g_assert_cmpuint (g_list_model_get_n_items (ad_crawler_get_results (crawler)), ==, done);
  g_assert_false (ad_crawler_get_running (crawler));
  g_assert_cmpuint (ad_crawler_get_in_flight (crawler), ==, 0);

  /* Nothing holds the crawler any more: no task, source or callback. */
  g_signal_handlers_disconnect_by_func (crawler, done_changed_cb, cancellable);
  g_clear_object (&result);
  g_assert_finalize_object (crawler);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_cancel_before_start (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  AdCrawler *crawler = ad_crawler_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint running_changes = 0;

  g_signal_connect_swapped (crawler, "notify::running", G_CALLBACK (count_cb),
                            &running_changes);
  g_cancellable_cancel (cancellable);
  ad_crawler_crawl_async (crawler, ad_sample_site_get_start_url (site), cancellable,
                          ad_test_store_result, &result);
  ad_test_wait_result (&result, 10000);

  /* Cancelled, and never started: no run, no request, no result. */
  g_assert_false (ad_crawler_crawl_finish (crawler, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (running_changes, ==, 0);
  g_assert_false (ad_crawler_get_running (crawler));
  g_assert_cmpuint (g_list_model_get_n_items (ad_crawler_get_results (crawler)), ==, 0);
  g_assert_cmpuint (ad_sample_site_get_requests (site), ==, 0);

  /* The crawler is free for the next run. */
  g_clear_error (&error);
  g_clear_object (&result);
  g_object_set (crawler, "max-pages", 1, NULL);
  g_assert_true (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 1);

  g_signal_handlers_disconnect_by_data (crawler, &running_changes);
  g_assert_finalize_object (crawler);
}

static void
test_cancel_in_flight (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  AdCrawler *crawler = ad_crawler_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *never = ad_sample_site_dup_url (site, "/never");
  g_autofree char *slow = ad_sample_site_dup_url (site, "/slow");
  const char *urls[] = { never, slow, NULL };
  gint64 cancelled_at;

  ad_crawler_fetch_async (crawler, urls, cancellable, ad_test_store_result, &result);
  /* Both requests are with the server; one would never end by itself. */
  ad_test_wait_until (ad_sample_site_get_in_flight (site) == 2, 10000);
  g_assert_null (result);
  g_assert_true (ad_crawler_get_running (crawler));

  g_cancellable_cancel (cancellable);
  cancelled_at = g_get_monotonic_time ();
  ad_test_wait_result (&result, 10000);

  /* It ends at once (before /slow would), with nothing left in flight. */
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <,
                   (gint64) AD_SAMPLE_SITE_SLOW_MS * 1000);
  g_assert_false (ad_crawler_fetch_finish (crawler, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ad_crawler_get_running (crawler));
  g_assert_cmpuint (ad_crawler_get_in_flight (crawler), ==, 0);
  /* A cancelled fetch is not a result: the run says it was cancelled. */
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (ad_crawler_get_results (crawler)), ==, 0);

  g_clear_object (&result);
  g_assert_finalize_object (crawler);
}

static const char *stuck_start_url;  /* parsed at once */
static gint stuck_parses;            /* extract_until_cancelled() calls */

/* A parse that never ends by itself: past the start page (whose links
 * make the pages to fetch), it lasts until the crawl is cancelled (or a
 * minute, scaled, so that a bug cannot hang the test). */
static GPtrArray *
extract_until_cancelled (GBytes        *html,
                         const char    *base_url,
                         const char    *charset,
                         GCancellable  *cancellable,
                         GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) 60 * G_USEC_PER_SEC * ad_test_slow_factor ();

  g_atomic_int_inc (&stuck_parses);
  while (!g_str_equal (base_url, stuck_start_url) && !g_cancellable_is_cancelled (cancellable) &&
         g_get_monotonic_time () < deadline)
    g_usleep (1000);
  return ad_link_extract (html, base_url, charset, cancellable, error);
}

static void
test_cancel_queued_parses (void)
{
  /* Big pages (3,000 links, some 110 KB) parsed one at a time, and past
   * the start page a parse lasts until the crawl is cancelled: the fetched
   * pages wait in the parse queue whatever parsing costs (it once only
   * outran fetching, which the faster tokenizer no longer does reliably
   * under valgrind). */
  g_autoptr(AdSampleSite) site = ad_sample_site_new (30000, 3000, NULL);
  AdCrawler *crawler = g_object_new (AD_TYPE_CRAWLER, "max-in-flight", 8, "max-per-host", 8,
                                     NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *results = ad_crawler_get_results (crawler);
  guint unparsed = 0;
  gint64 cancelled_at;

  ad_crawler_set_max_parsing (crawler, 1);
  stuck_start_url = ad_sample_site_get_start_url (site);
  ad_crawler_set_extract_func (crawler, extract_until_cancelled);
  ad_crawler_crawl_async (crawler, ad_sample_site_get_start_url (site), cancellable,
                          ad_test_store_result, &result);
  /* The queue is full (8 pages wait) when fetching is held back for it. */
  ad_test_wait_until (ad_crawler_get_limit (crawler) == AD_CRAWL_LIMIT_PARSING, 60000);
  g_assert_null (result);
  /* The start page, and the one parse that waits for the cancel */
  g_assert_cmpint (g_atomic_int_get (&stuck_parses), ==, 2);

  g_cancellable_cancel (cancellable);
  cancelled_at = g_get_monotonic_time ();
  ad_test_wait_result (&result, 60000);
  /* The pages that waited were recorded, not handed to a parser */
  g_assert_cmpint (g_atomic_int_get (&stuck_parses), ==, 2);

  /* At most one parse to interrupt and a few fetches: well under 2 s (ten
   * times that under valgrind, on a machine busy with other tests). */
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <,
                   (gint64) 2 * G_USEC_PER_SEC * (g_getenv ("AD_TEST_SLOW") ? 10 : 1));
  g_assert_false (ad_crawler_crawl_finish (crawler, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ad_crawler_get_running (crawler));
  g_assert_cmpuint (ad_crawler_get_in_flight (crawler), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, ad_crawler_get_done (crawler));

  /* The pages that waited are results all the same, fetched fine and not
   * parsed: more than the one parse cancellation can interrupt. */
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(AdCrawlResult) page = g_list_model_get_item (results, i);

      g_assert_cmpuint (ad_crawl_result_get_status (page), ==, 200);
      g_assert_null (ad_crawl_result_get_error (page));
      if (ad_crawl_result_get_links (page) == 0)
        unparsed++;
      else
        g_assert_cmpuint (ad_crawl_result_get_links (page), ==, 3000);
    }
  g_test_message ("%u pages, %u not parsed, stopped in %.1f ms",
                  g_list_model_get_n_items (results), unparsed,
                  (g_get_monotonic_time () - cancelled_at) / 1000.0);
  g_assert_cmpuint (unparsed, >=, 2);

  g_clear_object (&result);
  g_assert_finalize_object (crawler);
}

/* Pages on the pool at once, the most seen, and how many the test waits
 * for, for extract_slowly(). */
static gint parses_now;
static gint parses_most;
static gint parses_wanted;
static gint parses_gave_up;
static const char *parses_start_url;  /* parsed alone, never waits */

/* A parse slower than any fetch: past the start page (whose links make
 * the pages to parse), it waits until as many pages as wanted are parsed
 * at once (so fetching keeps up at any speed, even under valgrind), noting
 * the most; after a deadline, once, no parse waits. */
static GPtrArray *
extract_slowly (GBytes        *html,
                const char    *base_url,
                const char    *charset,
                GCancellable  *cancellable,
                GError       **error)
{
  gint now = g_atomic_int_add (&parses_now, 1) + 1;
  gint most = g_atomic_int_get (&parses_most);
  gint64 deadline = g_get_monotonic_time () + (gint64) 2 * G_USEC_PER_SEC * ad_test_slow_factor ();
  GPtrArray *links;

  while (now > most && !g_atomic_int_compare_and_exchange (&parses_most, most, now))
    most = g_atomic_int_get (&parses_most);
  while (!g_str_equal (base_url, parses_start_url) && !g_atomic_int_get (&parses_gave_up) &&
         g_atomic_int_get (&parses_most) < g_atomic_int_get (&parses_wanted))
    {
      if (g_get_monotonic_time () > deadline)
        g_atomic_int_set (&parses_gave_up, TRUE);
      g_usleep (1000);
    }
  links = ad_link_extract (html, base_url, charset, cancellable, error);
  g_atomic_int_add (&parses_now, -1);
  return links;
}

/* Parsing is the slow stage: the crawler parses several pages per core at
 * once (more than one per core and a spare, which left fetching waiting
 * for parsers), and never more than its limit. */
static void
test_parse_slots (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (120, 8, NULL);
  g_autoptr(AdCrawler) crawler = g_object_new (AD_TYPE_CRAWLER,
                                               "max-in-flight", 16,
                                               "max-per-host", 16,
                                               NULL);
  g_autoptr(GError) error = NULL;
  guint cores = g_get_num_processors ();
  guint slots = ad_crawler_default_max_parsing (16);

  if (cores + 1 < 16)
    g_assert_cmpuint (slots, >, cores + 1);
  g_assert_cmpuint (slots, <=, MAX (cores + 1, 16));
  /* Never fewer than one per core and a spare, never more than in flight. */
  g_assert_cmpuint (ad_crawler_default_max_parsing (1), ==, cores + 1);
  g_assert_cmpuint (ad_crawler_default_max_parsing (1000), ==, 2 * cores + 2);

  g_atomic_int_set (&parses_now, 0);
  g_atomic_int_set (&parses_most, 0);
  g_atomic_int_set (&parses_wanted, (gint) slots);
  g_atomic_int_set (&parses_gave_up, FALSE);
  parses_start_url = ad_sample_site_get_start_url (site);
  ad_crawler_set_extract_func (crawler, extract_slowly);
  g_assert_true (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 120);
  g_assert_false (g_atomic_int_get (&parses_gave_up));
  g_assert_cmpint (g_atomic_int_get (&parses_most), ==, (gint) slots);
  g_assert_cmpfloat (ad_crawler_get_mean_parsing (crawler), >, 0.0);
  g_assert_cmpfloat (ad_crawler_get_mean_parsing (crawler), <=, slots);
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crawler/limit-per-host", test_limit_per_host);
  g_test_add_func ("/crawler/limit-total", test_limit_total);
  g_test_add_func ("/crawler/limit-above-libsoup-defaults", test_limit_above_libsoup_defaults);
  g_test_add_func ("/crawler/delay", test_delay);
  g_test_add_func ("/crawler/cancel", test_cancel);
  g_test_add_func ("/crawler/cancel-before-start", test_cancel_before_start);
  g_test_add_func ("/crawler/cancel-in-flight", test_cancel_in_flight);
  g_test_add_func ("/crawler/cancel-queued-parses", test_cancel_queued_parses);
  g_test_add_func ("/crawler/parse-slots", test_parse_slots);

  return crawler_test_run ();
}
