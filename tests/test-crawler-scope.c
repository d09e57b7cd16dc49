/* test-crawler-scope.c: which links a crawl follows
 *
 * The scope is made once per run and read by the pool threads; alone it
 * is a prefix from the start URL and the scope mode, then the include and
 * exclude patterns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-core.h"
#include "ad-crawler-private.h"
#include "ad-link-extractor.h"

static AdCrawlerScope *
scope_new (AdCrawlScope  mode,
           const char   *start,
           const char   *include,
           const char   *exclude)
{
  g_autoptr(GError) error = NULL;
  AdCrawlerScope *scope = ad_crawler_scope_new (mode, start, include, exclude, ad_link_extract,
                                                &error);

  g_assert_no_error (error);
  g_assert_nonnull (scope);
  return scope;
}

/* Host: the start URL's scheme, host and port, nothing else. */
static void
test_host (void)
{
  AdCrawlerScope *scope = scope_new (AD_CRAWL_SCOPE_HOST, "http://127.0.0.1:8080/docs/a.html",
                                     NULL, NULL);

  g_assert_cmpstr (scope->prefix, ==, "http://127.0.0.1:8080/");
  g_assert_true (ad_crawler_scope_allows (scope, "http://127.0.0.1:8080/"));
  g_assert_true (ad_crawler_scope_allows (scope, "http://127.0.0.1:8080/other/b.html"));
  g_assert_false (ad_crawler_scope_allows (scope, "http://127.0.0.1:8081/"));
  g_assert_false (ad_crawler_scope_allows (scope, "https://127.0.0.1:8080/"));
  g_assert_false (ad_crawler_scope_allows (scope, "http://127.0.0.10:8080/"));
  ad_crawler_scope_unref (scope);
}

/* Path prefix: under the start URL's directory, whose query may hold a
 * slash that is not a directory. */
static void
test_path_prefix (void)
{
  AdCrawlerScope *scope = scope_new (AD_CRAWL_SCOPE_PATH_PREFIX,
                                     "http://127.0.0.1:8080/docs/a.html?next=/x/y", NULL, NULL);

  g_assert_cmpstr (scope->prefix, ==, "http://127.0.0.1:8080/docs/");
  g_assert_true (ad_crawler_scope_allows (scope, "http://127.0.0.1:8080/docs/b.html"));
  g_assert_true (ad_crawler_scope_allows (scope, "http://127.0.0.1:8080/docs/sub/c.html"));
  g_assert_false (ad_crawler_scope_allows (scope, "http://127.0.0.1:8080/other.html"));
  g_assert_false (ad_crawler_scope_allows (scope, "http://127.0.0.1:8080/docsx/"));
  ad_crawler_scope_unref (scope);

  scope = scope_new (AD_CRAWL_SCOPE_PATH_PREFIX, "http://127.0.0.1:8080/docs/", NULL, NULL);
  g_assert_cmpstr (scope->prefix, ==, "http://127.0.0.1:8080/docs/");
  ad_crawler_scope_unref (scope);
}

/* Any, or a list of URLs (no start URL): no prefix at all. */
static void
test_any (void)
{
  AdCrawlerScope *scope = scope_new (AD_CRAWL_SCOPE_ANY, "http://127.0.0.1:8080/docs/", NULL,
                                     NULL);

  g_assert_null (scope->prefix);
  g_assert_true (ad_crawler_scope_allows (scope, "http://example.invalid/"));
  ad_crawler_scope_unref (scope);

  scope = scope_new (AD_CRAWL_SCOPE_HOST, NULL, NULL, NULL);
  g_assert_null (scope->prefix);
  g_assert_true (ad_crawler_scope_allows (scope, "http://example.invalid/"));
  ad_crawler_scope_unref (scope);
}

/* The patterns come after the prefix: include must match, exclude must
 * not; an empty pattern is none. */
static void
test_patterns (void)
{
  AdCrawlerScope *scope = scope_new (AD_CRAWL_SCOPE_HOST, "http://127.0.0.1:8080/",
                                     "/docs/", "\\.pdf$");

  g_assert_true (ad_crawler_scope_allows (scope, "http://127.0.0.1:8080/docs/a.html"));
  g_assert_false (ad_crawler_scope_allows (scope, "http://127.0.0.1:8080/blog/a.html"));
  g_assert_false (ad_crawler_scope_allows (scope, "http://127.0.0.1:8080/docs/a.pdf"));
  g_assert_false (ad_crawler_scope_allows (scope, "http://127.0.0.2:8080/docs/a.html"));
  ad_crawler_scope_unref (scope);

  scope = scope_new (AD_CRAWL_SCOPE_ANY, NULL, "", "");
  g_assert_null (scope->include);
  g_assert_null (scope->exclude);
  g_assert_true (ad_crawler_scope_allows (scope, "http://127.0.0.1:8080/docs/a.pdf"));
  ad_crawler_scope_unref (scope);
}

/* A pattern that is not a regular expression: no scope, and why. */
static void
test_bad_pattern (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (ad_crawler_scope_new (AD_CRAWL_SCOPE_ANY, NULL, "([", NULL, ad_link_extract,
                                       &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_REGEX_ERROR);
  g_clear_error (&error);

  g_assert_null (ad_crawler_scope_new (AD_CRAWL_SCOPE_ANY, NULL, NULL, "a{2,1}", ad_link_extract,
                                       &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_REGEX_ERROR);
}

/* Shared with the pool threads: the last reference frees it. */
static void
test_ref (void)
{
  AdCrawlerScope *scope = scope_new (AD_CRAWL_SCOPE_HOST, "http://127.0.0.1:8080/", "x", "y");

  g_assert_true (ad_crawler_scope_ref (scope) == scope);
  g_assert_true (scope->extract == ad_link_extract);
  ad_crawler_scope_unref (scope);
  g_assert_true (ad_crawler_scope_allows (scope, "http://127.0.0.1:8080/x"));
  ad_crawler_scope_unref (scope);
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crawler-scope/host", test_host);
  g_test_add_func ("/crawler-scope/path-prefix", test_path_prefix);
  g_test_add_func ("/crawler-scope/any", test_any);
  g_test_add_func ("/crawler-scope/patterns", test_patterns);
  g_test_add_func ("/crawler-scope/bad-pattern", test_bad_pattern);
  g_test_add_func ("/crawler-scope/ref", test_ref);

  return g_test_run ();
}
