/* test-crawler-threads.c: fetching a list on worker threads ("fetch-threads")
 *
 * Each test serves an AdSampleSite on this thread's main loop and fetches
 * from it on 1, 2 or 3 worker threads, each with its own SoupSession: every
 * URL comes back once with its own status or error, a redirect to a page
 * of the list is not followed, and cancelling stops every thread at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "ad-core.h"
#include "ad-crawler-private.h"
#include "ad-sample-site-private.h"
#include "ad-tsan.h"
#include "ad-test-utils.h"

AD_TEST_TSAN_IGNORE_UNINSTRUMENTED ()

#define N_PAGES 120

/* Fetches @urls on @threads workers to the end; returns the run's outcome. */
static gboolean
fetch_list (AdCrawler           *crawler,
            guint                threads,
            const char * const  *urls,
            GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_object_set (crawler, "fetch-threads", threads, NULL);
  ad_crawler_fetch_async (crawler, urls, NULL, ad_test_store_result, &result);
  /* The run fetches on its own workers. */
  g_assert_nonnull (crawler->run);
  g_assert_cmpuint (crawler->run->workers->len, ==, threads);
  ad_test_wait_result (&result, 60000);

  return ad_crawler_fetch_finish (crawler, result, error);
}

/* Every URL of the list once, whatever the thread that fetched it, with
 * its own status: pages, missing pages, and a port nobody listens on. */
static void
test_every_url_once (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (N_PAGES, 2, NULL);
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < N_PAGES; i++)
    {
      g_autofree char *path = g_strdup_printf ("/gen/%u", i);

      g_ptr_array_add (urls, ad_sample_site_dup_url (site, path));
      g_hash_table_insert (expected, g_ptr_array_index (urls, urls->len - 1),
                           GUINT_TO_POINTER (SOUP_STATUS_OK));
    }
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *path = g_strdup_printf ("/missing/%u", i);

      g_ptr_array_add (urls, ad_sample_site_dup_url (site, path));
      g_hash_table_insert (expected, g_ptr_array_index (urls, urls->len - 1),
                           GUINT_TO_POINTER (SOUP_STATUS_NOT_FOUND));
    }
  /* Refused: no status, an error of its own. */
  g_ptr_array_add (urls, g_strdup ("http://127.0.0.1:1/refused"));
  g_hash_table_insert (expected, g_ptr_array_index (urls, urls->len - 1), GUINT_TO_POINTER (0));
  g_ptr_array_add (urls, NULL);

  for (guint threads = 1; threads <= 3; threads++)
    {
      AdCrawler *crawler = ad_crawler_new ();
      GListModel *results = ad_crawler_get_results (crawler);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GError) error = NULL;

      g_test_message ("%u fetch threads", threads);
      ad_sample_site_reset_counters (site);
      g_assert_true (fetch_list (crawler, threads, (const char * const *) urls->pdata, &error));
      g_assert_no_error (error);

      g_assert_cmpuint (g_list_model_get_n_items (results), ==, urls->len - 1);
      for (guint i = 0; i < g_list_model_get_n_items (results); i++)
        {
          g_autoptr(AdCrawlResult) result = g_list_model_get_item (results, i);
          const char *url = ad_crawl_result_get_url (result);
          gpointer status;

          g_assert_true (g_hash_table_lookup_extended (expected, url, NULL, &status));
          g_assert_true (g_hash_table_add (seen, (gpointer) url));
          g_assert_cmpuint (ad_crawl_result_get_status (result), ==, GPOINTER_TO_UINT (status));
          if (GPOINTER_TO_UINT (status) == 0)
            g_assert_nonnull (ad_crawl_result_get_error_message (result));
          else
            g_assert_null (ad_crawl_result_get_error_message (result));
          if (GPOINTER_TO_UINT (status) == SOUP_STATUS_OK)
            g_assert_cmpuint (ad_crawl_result_get_size (result), >, 0);
        }
      g_assert_cmpuint (ad_crawler_get_done (crawler), ==, urls->len - 1);
      /* Errors count the broken: the missing pages and the refused one. */
      g_assert_cmpuint (ad_crawler_get_errors (crawler), ==, 6);
      g_assert_cmpuint (ad_crawler_get_in_flight (crawler), ==, 0);
      /* Each page was asked for once, from the server's side too. */
      g_assert_cmpuint (ad_sample_site_get_requests (site), ==, urls->len - 2);
      g_assert_cmpuint (ad_sample_site_count_requests (site, "/gen/7"), ==, 1);

      /* The workers are gone with the run: nothing holds the crawler. */
      g_assert_finalize_object (crawler);
    }
}

/* A redirect chain runs on a worker as on the main loop: followed until
 * it reaches a page of the list, which is then not fetched a second time;
 * a loop and a request that times out are errors of their own URLs. */
static void
test_redirects_and_errors (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autofree char *about = ad_sample_site_dup_url (site, "/about");
  g_autofree char *chain = ad_sample_site_dup_url (site, "/redirect/1");
  g_autofree char *loop = ad_sample_site_dup_url (site, "/loop/a");
  g_autofree char *never = ad_sample_site_dup_url (site, "/never");
  const char *urls[] = { about, chain, loop, never, NULL };
  AdCrawler *crawler = ad_crawler_new ();
  GListModel *results = ad_crawler_get_results (crawler);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  /* Time enough for the redirect chain, not for /never. */
  g_object_set (crawler, "timeout", (guint) (1000 * ad_test_slow_factor ()), NULL);
  g_assert_true (fetch_list (crawler, 2, urls, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 4);

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(AdCrawlResult) result = g_list_model_get_item (results, i);
      const char *url = ad_crawl_result_get_url (result);

      if (g_str_equal (url, about))
        {
          g_assert_cmpuint (ad_crawl_result_get_status (result), ==, SOUP_STATUS_OK);
          n++;
        }
      else if (g_str_equal (url, chain))
        {
          /* Stopped at /about, a page of the list. */
          g_assert_cmpstr (ad_crawl_result_get_final_url (result), ==, about);
          g_assert_cmpuint (ad_crawl_result_get_redirects (result), ==, 3);
          g_assert_null (ad_crawl_result_get_error_message (result));
          n++;
        }
      else if (g_str_equal (url, loop))
        {
          g_assert_nonnull (ad_crawl_result_get_error_message (result));
          n++;
        }
      else if (g_str_equal (url, never))
        {
          g_assert_cmpuint (ad_crawl_result_get_status (result), ==, 0);
          g_assert_nonnull (ad_crawl_result_get_error_message (result));
          n++;
        }
    }
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/about"), ==, 1);
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/redirect/3"), ==, 1);

  g_assert_finalize_object (crawler);
}

/* Cancelling stops the fetches on every thread at once, and the run ends
 * with nothing in flight and its threads joined. */
static void
test_cancel (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  AdCrawler *crawler = ad_crawler_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cancelled_at;

  /* Four that never answer, on three threads, and more waiting behind. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *path = g_strdup_printf ("/never?%u", i);

      g_ptr_array_add (urls, ad_sample_site_dup_url (site, path));
    }
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *path = g_strdup_printf ("/slow?%u", i);

      g_ptr_array_add (urls, ad_sample_site_dup_url (site, path));
    }
  g_ptr_array_add (urls, NULL);

  g_object_set (crawler, "fetch-threads", 3, "max-in-flight", 4, "max-per-host", 4, NULL);
  ad_crawler_fetch_async (crawler, (const char * const *) urls->pdata, cancellable,
                          ad_test_store_result, &result);
  g_assert_cmpuint (crawler->run->workers->len, ==, 3);
  ad_test_wait_until (ad_sample_site_get_in_flight (site) == 4, 10000);
  g_assert_null (result);

  g_cancellable_cancel (cancellable);
  cancelled_at = g_get_monotonic_time ();
  ad_test_wait_result (&result, 10000);

  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <,
                   (gint64) AD_SAMPLE_SITE_SLOW_MS * 1000);
  g_assert_false (ad_crawler_fetch_finish (crawler, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ad_crawler_get_running (crawler));
  g_assert_cmpuint (ad_crawler_get_in_flight (crawler), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (ad_crawler_get_results (crawler)), ==, 0);

  g_clear_object (&result);
  g_assert_finalize_object (crawler);
}

/* A crawl ignores the setting: its redirect checks and link lookups stay
 * with the main loop, which owns the set of known pages. */
static void
test_crawl_ignores_threads (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (50, 3, NULL);
  AdCrawler *crawler = ad_crawler_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (crawler, "fetch-threads", 2, NULL);
  ad_crawler_crawl_async (crawler, ad_sample_site_get_start_url (site), NULL,
                          ad_test_store_result, &result);
  g_assert_nonnull (crawler->run);
  g_assert_cmpuint (crawler->run->workers->len, ==, 0);
  ad_test_wait_result (&result, 60000);
  g_assert_true (ad_crawler_crawl_finish (crawler, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 50);

  g_clear_object (&result);
  g_assert_finalize_object (crawler);
}

int
main (int    argc,
      char **argv)
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crawler-threads/every-url-once", test_every_url_once);
  g_test_add_func ("/crawler-threads/redirects-and-errors", test_redirects_and_errors);
  g_test_add_func ("/crawler-threads/cancel", test_cancel);
  g_test_add_func ("/crawler-threads/crawl-ignores-threads", test_crawl_ignores_threads);

  return g_test_run ();
}
