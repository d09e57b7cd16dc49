/* test-crawl-result.c: one URL's result, as a list row binds it
 *
 * The crawler fills a result's fields directly (ad-crawl-result-private.h);
 * rows read them back through the properties and the getters, which must
 * agree, and the summary notifies "referrers" when it adds a broken link's
 * referring pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-core.h"
#include "ad-crawl-result-private.h"

#define URL   "http://127.0.0.1:8080/a"
#define FINAL "http://127.0.0.1:8080/b/"

static AdCrawlResult *
make_page (void)
{
  AdCrawlResult *result = ad_crawl_result_new (URL);

  result->final_url = g_strdup (FINAL);
  result->status = 200;
  result->content_type = g_strdup ("text/html");
  result->size = 4321;
  result->ttfb_ms = 1.25;
  result->total_ms = 7.5;
  result->depth = 3;
  result->referrer = g_strdup ("http://127.0.0.1:8080/");
  result->links = 17;
  result->redirects = 2;
  return result;
}

/* Every property holds what its getter returns, and what was set. */
static void
test_properties (void)
{
  AdCrawlResult *result = make_page ();
  g_autofree char *url = NULL;
  g_autofree char *final_url = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *referrer = NULL;
  g_autofree char *error = NULL;
  g_auto(GStrv) referrers = NULL;
  guint status, depth, links, redirects;
  guint64 size;
  double ttfb_ms, total_ms;
  gboolean broken;

  g_object_get (result,
                "url", &url, "final-url", &final_url, "status", &status,
                "content-type", &content_type, "size", &size, "ttfb-ms", &ttfb_ms,
                "total-ms", &total_ms, "depth", &depth, "referrer", &referrer,
                "links", &links, "redirects", &redirects, "error", &error,
                "broken", &broken, "referrers", &referrers,
                NULL);

  g_assert_cmpstr (url, ==, URL);
  g_assert_cmpstr (ad_crawl_result_get_url (result), ==, URL);
  g_assert_cmpstr (final_url, ==, FINAL);
  g_assert_cmpstr (ad_crawl_result_get_final_url (result), ==, FINAL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (ad_crawl_result_get_status (result), ==, 200);
  g_assert_cmpstr (content_type, ==, "text/html");
  g_assert_cmpstr (ad_crawl_result_get_content_type (result), ==, "text/html");
  g_assert_cmpuint (size, ==, 4321);
  g_assert_cmpuint (ad_crawl_result_get_size (result), ==, 4321);
  g_assert_cmpfloat (ttfb_ms, ==, 1.25);
  g_assert_cmpfloat (ad_crawl_result_get_ttfb_ms (result), ==, 1.25);
  g_assert_cmpfloat (total_ms, ==, 7.5);
  g_assert_cmpfloat (ad_crawl_result_get_total_ms (result), ==, 7.5);
  g_assert_cmpuint (depth, ==, 3);
  g_assert_cmpuint (ad_crawl_result_get_depth (result), ==, 3);
  g_assert_cmpstr (referrer, ==, "http://127.0.0.1:8080/");
  g_assert_cmpstr (ad_crawl_result_get_referrer (result), ==, "http://127.0.0.1:8080/");
  g_assert_cmpuint (links, ==, 17);
  g_assert_cmpuint (ad_crawl_result_get_links (result), ==, 17);
  g_assert_cmpuint (redirects, ==, 2);
  g_assert_cmpuint (ad_crawl_result_get_redirects (result), ==, 2);
  g_assert_null (error);
  g_assert_null (ad_crawl_result_get_error (result));
  g_assert_null (ad_crawl_result_get_error_message (result));
  g_assert_false (broken);
  g_assert_false (ad_crawl_result_is_broken (result));
  g_assert_null (referrers);
  g_assert_null (ad_crawl_result_get_referrers (result));

  g_assert_finalize_object (result);
}

/* Without a redirect the final URL is the URL itself, never NULL. */
static void
test_final_url (void)
{
  AdCrawlResult *result = ad_crawl_result_new (URL);
  g_autofree char *final_url = NULL;

  g_object_get (result, "final-url", &final_url, NULL);
  g_assert_cmpstr (final_url, ==, URL);
  g_assert_cmpstr (ad_crawl_result_get_final_url (result), ==, URL);

  g_assert_finalize_object (result);
}

/* Broken: an error (no usable answer), or a status of 400 and up; a 3xx
 * that was not followed is not broken. */
static void
test_broken (void)
{
  static const struct { guint status; gboolean error; gboolean broken; } cases[] = {
    { 200, FALSE, FALSE },
    { 301, FALSE, FALSE },
    { 399, FALSE, FALSE },
    { 400, FALSE, TRUE },
    { 404, FALSE, TRUE },
    { 503, FALSE, TRUE },
    { 0, TRUE, TRUE },
    { 200, TRUE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AdCrawlResult *result = ad_crawl_result_new (URL);
      gboolean broken;

      result->status = cases[i].status;
      if (cases[i].error)
        result->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Timed out");
      g_object_get (result, "broken", &broken, NULL);
      g_assert_cmpint (broken, ==, cases[i].broken);
      g_assert_cmpint (ad_crawl_result_is_broken (result), ==, cases[i].broken);
      g_assert_finalize_object (result);
    }
}

/* The error reaches rows as its message, and the tests as the GError. */
static void
test_error (void)
{
  AdCrawlResult *result = ad_crawl_result_new (URL);
  g_autofree char *message = NULL;
  const GError *error;

  result->error = g_error_new_literal (AD_FETCH_ERROR, AD_FETCH_ERROR_REDIRECT_LOOP,
                                       "Redirect loop");
  g_object_get (result, "error", &message, NULL);
  g_assert_cmpstr (message, ==, "Redirect loop");
  g_assert_cmpstr (ad_crawl_result_get_error_message (result), ==, "Redirect loop");
  error = ad_crawl_result_get_error (result);
  g_assert_error (error, AD_FETCH_ERROR, AD_FETCH_ERROR_REDIRECT_LOOP);

  g_assert_finalize_object (result);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  g_assert_cmpstr (pspec->name, ==, "referrers");
  (*count)++;
}

/* The summary sets the referrers once the run is over: a bound row hears
 * it, and a second summary replaces the first. */
static void
test_referrers (void)
{
  AdCrawlResult *result = ad_crawl_result_new (URL);
  const char *first[] = { "http://127.0.0.1:8080/", "http://127.0.0.1:8080/x", NULL };
  const char *second[] = { "http://127.0.0.1:8080/y", NULL };
  g_auto(GStrv) prop = NULL;
  guint count = 0;

  g_signal_connect (result, "notify::referrers", G_CALLBACK (count_notify), &count);

  ad_crawl_result_set_referrers (result, g_strdupv ((GStrv) first));
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstrv (ad_crawl_result_get_referrers (result), first);
  g_object_get (result, "referrers", &prop, NULL);
  g_assert_cmpstrv (prop, first);

  ad_crawl_result_set_referrers (result, g_strdupv ((GStrv) second));
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpstrv (ad_crawl_result_get_referrers (result), second);

  ad_crawl_result_set_referrers (result, NULL);
  g_assert_cmpuint (count, ==, 3);
  g_assert_null (ad_crawl_result_get_referrers (result));

  g_assert_finalize_object (result);
}

/* Read-only: the crawler owns the fields. */
static void
test_read_only (void)
{
  g_autoptr(AdCrawlResult) result = ad_crawl_result_new (URL);
  const char *names[] = { "url", "final-url", "status", "content-type", "size", "ttfb-ms",
                          "total-ms", "depth", "referrer", "links", "redirects", "error",
                          "broken", "referrers" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (result), names[i]);

      g_assert_nonnull (pspec);
      g_assert_true (pspec->flags & G_PARAM_READABLE);
      g_assert_false (pspec->flags & G_PARAM_WRITABLE);
    }
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crawl-result/properties", test_properties);
  g_test_add_func ("/crawl-result/final-url", test_final_url);
  g_test_add_func ("/crawl-result/broken", test_broken);
  g_test_add_func ("/crawl-result/error", test_error);
  g_test_add_func ("/crawl-result/referrers", test_referrers);
  g_test_add_func ("/crawl-result/read-only", test_read_only);

  return g_test_run ();
}
