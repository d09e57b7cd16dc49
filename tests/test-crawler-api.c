/* test-crawler-api.c: the crawler's API, outside a run
 *
 * Its settings and state as properties, the session its connection
 * limits make, and the _finish of each kind of run. The runs themselves
 * are in test-crawler.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "ad-core.h"
#include "ad-crawler-private.h"
#include "ad-test-utils.h"

static void
record_notify (GObject    *object,
               GParamSpec *pspec,
               gpointer    user_data)
{
  g_string_append_printf (user_data, "%s ", pspec->name);
}

/* Every setting reads back what was set, notifies once when it changes
 * and never when it does not; the state reads what the getters return. */
static void
test_properties (void)
{
  static const char *settings[] = {
    "max-in-flight", "max-per-host", "timeout", "deadline", "max-pages", "max-depth", "scope",
    "include-pattern", "exclude-pattern", "user-agent", "per-host-delay", "max-redirects",
    "max-body-size", "ignore-robots", "fetch-threads",
  };
  AdCrawler *crawler = ad_crawler_new ();
  g_autoptr(GString) notified = g_string_new (NULL);
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GListModel) broken = NULL;
  gboolean running;
  guint queued, in_flight, done, errors, skipped;
  guint64 bytes;
  double pages_per_second, elapsed;
  AdCrawlLimit limit;

  g_signal_connect (crawler, "notify", G_CALLBACK (record_notify), notified);

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (crawler),
                                                        settings[i]);
      g_auto(GValue) old = G_VALUE_INIT;
      g_auto(GValue) new = G_VALUE_INIT;
      g_auto(GValue) back = G_VALUE_INIT;
      g_autofree char *expected = g_strdup_printf ("%s ", settings[i]);

      g_assert_nonnull (pspec);
      g_value_init (&old, pspec->value_type);
      g_value_init (&new, pspec->value_type);
      g_value_init (&back, pspec->value_type);
      g_object_get_property (G_OBJECT (crawler), settings[i], &old);
      g_assert_true (g_param_value_defaults (pspec, &old));

      if (pspec->value_type == G_TYPE_UINT)
        g_value_set_uint (&new, g_value_get_uint (&old) + 1);
      else if (pspec->value_type == G_TYPE_UINT64)
        g_value_set_uint64 (&new, g_value_get_uint64 (&old) + 1);
      else if (pspec->value_type == G_TYPE_BOOLEAN)
        g_value_set_boolean (&new, !g_value_get_boolean (&old));
      else if (pspec->value_type == G_TYPE_STRING)
        g_value_set_string (&new, "/x/");
      else
        g_value_set_enum (&new, AD_CRAWL_SCOPE_ANY);

      /* Changed: one notification, and the new value. */
      g_string_truncate (notified, 0);
      g_object_set_property (G_OBJECT (crawler), settings[i], &new);
      g_assert_cmpstr (notified->str, ==, expected);
      g_object_get_property (G_OBJECT (crawler), settings[i], &back);
      g_assert_cmpint (g_param_values_cmp (pspec, &back, &new), ==, 0);

      /* The same again: nothing. */
      g_string_truncate (notified, 0);
      g_object_set_property (G_OBJECT (crawler), settings[i], &new);
      g_assert_cmpstr (notified->str, ==, "");
    }

  g_object_get (crawler,
                "results", &results, "broken-links", &broken, "running", &running,
                "queued", &queued, "in-flight", &in_flight, "done", &done, "errors", &errors,
                "skipped", &skipped, "bytes", &bytes, "pages-per-second", &pages_per_second,
                "elapsed", &elapsed, "limit", &limit,
                NULL);
  g_assert_true (results == ad_crawler_get_results (crawler));
  g_assert_true (broken == ad_crawler_get_broken_links (crawler));
  g_assert_false (running);
  g_assert_cmpuint (queued + in_flight + done + errors + skipped, ==, 0);
  g_assert_cmpuint (bytes, ==, 0);
  g_assert_cmpfloat (pages_per_second + elapsed, ==, 0);
  g_assert_cmpint (limit, ==, AD_CRAWL_LIMIT_NONE);

  g_signal_handlers_disconnect_by_data (crawler, notified);
  g_clear_object (&results);
  g_clear_object (&broken);
  g_assert_finalize_object (crawler);
}

/* The client keeps as many idle connections as requests may be in
 * flight: a new limit makes the next run use a new client, the same one
 * keeps it. */
static void
test_client_limits (void)
{
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  AdHttpClient *client = ad_crawler_ensure_client (crawler);
  GWeakRef weak;

  g_assert_cmpint (ad_http_client_get_max_idle (client), ==, AD_CRAWLER_DEFAULT_MAX_IN_FLIGHT);
  g_object_set (crawler, "max-in-flight", AD_CRAWLER_DEFAULT_MAX_IN_FLIGHT, NULL);
  g_assert_true (ad_crawler_ensure_client (crawler) == client);

  g_weak_ref_init (&weak, client);
  g_object_set (crawler, "max-in-flight", 3, NULL);
  g_assert_null (g_weak_ref_get (&weak));
  client = ad_crawler_ensure_client (crawler);
  g_assert_cmpint (ad_http_client_get_max_idle (client), ==, 3);

  g_object_set (crawler, "user-agent", "Tester/1.0", NULL);
  g_assert_cmpstr (ad_http_client_get_user_agent (ad_crawler_ensure_client (crawler)), ==,
                   "Tester/1.0");
  g_weak_ref_clear (&weak);
}

/* Each run has its own _finish, which takes only its own results: a
 * crawl's result given to ad_crawler_fetch_finish() (or the other way
 * round) is a programming error, caught before it is propagated. */
static void
test_finish_tags (void)
{
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  const char *urls[] = { "not a URL", NULL };
  g_autoptr(GAsyncResult) crawl = NULL;
  g_autoptr(GAsyncResult) fetch = NULL;
  g_autoptr(GError) error = NULL;

  /* Both fail at once (a malformed URL), each through its own task. */
  ad_crawler_crawl_async (crawler, urls[0], NULL, ad_test_store_result, &crawl);
  ad_test_wait_result (&crawl, 10000);
  ad_crawler_fetch_async (crawler, urls, NULL, ad_test_store_result, &fetch);
  ad_test_wait_result (&fetch, 10000);
  g_assert_true (g_async_result_is_tagged (crawl, ad_crawler_crawl_async));
  g_assert_true (g_async_result_is_tagged (fetch, ad_crawler_fetch_async));

  g_test_expect_message ("AsyncDemo-Crawler", G_LOG_LEVEL_CRITICAL,
                         "*ad_crawler_fetch_finish*ad_crawler_fetch_async*");
  g_assert_false (ad_crawler_fetch_finish (crawler, crawl, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  g_test_expect_message ("AsyncDemo-Crawler", G_LOG_LEVEL_CRITICAL,
                         "*ad_crawler_crawl_finish*ad_crawler_crawl_async*");
  g_assert_false (ad_crawler_crawl_finish (crawler, fetch, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  /* Their own _finish propagates why they failed. */
  g_assert_false (ad_crawler_crawl_finish (crawler, crawl, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (ad_crawler_fetch_finish (crawler, fetch, &error));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crawler-api/properties", test_properties);
  g_test_add_func ("/crawler-api/client-limits", test_client_limits);
  g_test_add_func ("/crawler-api/finish-tags", test_finish_tags);

  return g_test_run ();
}
