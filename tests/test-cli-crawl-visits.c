/* test-cli-crawl-visits.c: which pages `async-demo crawl` visits, and how fast
 *
 * Crawls small sites served by this process (cli-crawl-test-site.c: a
 * SoupServer on 127.0.0.1, answering while the binary runs, that logs
 * every path it is asked for) and asserts the exact set of pages a crawl
 * visits under --scope, --include/--exclude, robots.txt, --max-depth and
 * --max-pages, the User-Agent it sends, and how many requests it has in
 * flight at once, per host and in all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "ad-cli-test-utils.h"
#include "cli-crawl-test-site.h"

/* ---- crawl: what it visits ------------------------------------------------- */

typedef struct
{
  TestSite *a;
  TestSite *b;
} TwoSites;

/* Site a links to a directory, to another page of its own and to site b. */
static void
two_sites_init (TwoSites *sites)
{
  g_autofree char *b_page = NULL;

  sites->a = test_site_new ();
  sites->b = test_site_new ();
  b_page = g_strconcat (sites->b->uri, "b", NULL);
  site_add_page (sites->a, "/", "sub/", "/other", b_page, (const char *) NULL);
  site_add_page (sites->a, "/sub/", "x", "/", "/other", (const char *) NULL);
  site_add_page (sites->a, "/sub/x", "/other", (const char *) NULL);
  site_add_page (sites->a, "/other", "/", (const char *) NULL);
  site_add_page (sites->b, "/b", "b2", (const char *) NULL);
  site_add_page (sites->b, "/b2", "/b", (const char *) NULL);
}

static void
two_sites_clear (TwoSites *sites)
{
  g_clear_pointer (&sites->a, test_site_free);
  g_clear_pointer (&sites->b, test_site_free);
}

/* Crawls with @options from @path of site a; checks the exit status and
 * the paths both sites were asked for. */
static void
check_visits (TwoSites           *sites,
              const char         *path,
              const char * const *options,
              const char         *expected_a,
              const char         *expected_b)
{
  g_autofree char *start = g_strconcat (sites->a->uri, path + 1, NULL);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *visited_a = NULL;
  g_autofree char *visited_b = NULL;
  g_autofree char *description = NULL;

  site_clear_log (sites->a);
  site_clear_log (sites->b);
  g_ptr_array_add (args, "crawl");
  for (guint i = 0; options[i] != NULL; i++)
    g_ptr_array_add (args, (char *) options[i]);
  g_ptr_array_add (args, start);
  g_ptr_array_add (args, NULL);
  description = g_strjoinv (" ", (char **) args->pdata);
  g_test_message ("%s", description);

  g_assert_cmpint (ad_cli_test_run_serving ((const char * const *) args->pdata, NULL,
                                            RUN_LIMIT_MS, &out, &err, NULL), ==, 0);
  visited_a = site_visited (sites->a);
  visited_b = site_visited (sites->b);
  g_assert_cmpstr (visited_a, ==, expected_a);
  g_assert_cmpstr (visited_b, ==, expected_b);
}

static void
test_crawl_scope (void)
{
  TwoSites sites = { 0 };

  two_sites_init (&sites);
  /* The start URL's host (the default): not site b. */
  check_visits (&sites, "/", AD_CLI_ARGS (NULL),
                "/ /other /robots.txt /sub/ /sub/x", "");
  check_visits (&sites, "/", AD_CLI_ARGS ("--scope", "host"),
                "/ /other /robots.txt /sub/ /sub/x", "");
  /* The start URL's directory. */
  check_visits (&sites, "/sub/", AD_CLI_ARGS ("--scope", "path"),
                "/robots.txt /sub/ /sub/x", "");
  /* Every link, to every host, each host's robots.txt first. */
  check_visits (&sites, "/", AD_CLI_ARGS ("--scope", "any"),
                "/ /other /robots.txt /sub/ /sub/x", "/b /b2 /robots.txt");
  two_sites_clear (&sites);
}

static void
test_crawl_include_exclude (void)
{
  TwoSites sites = { 0 };

  two_sites_init (&sites);
  /* The start page is always fetched; the patterns choose the links followed. */
  check_visits (&sites, "/", AD_CLI_ARGS ("--include", "/sub/"),
                "/ /robots.txt /sub/ /sub/x", "");
  check_visits (&sites, "/", AD_CLI_ARGS ("--exclude", "x$"),
                "/ /other /robots.txt /sub/", "");
  check_visits (&sites, "/", AD_CLI_ARGS ("--include", "/sub/", "--exclude", "/x"),
                "/ /robots.txt /sub/", "");
  /* Within the scope only. */
  check_visits (&sites, "/", AD_CLI_ARGS ("--include", "/b"),
                "/ /robots.txt", "");
  two_sites_clear (&sites);
}

static void
test_crawl_robots (void)
{
  g_autoptr(TestSite) site = test_site_new ();
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *visited = NULL;

  site->robots = g_strdup ("User-agent: *\nDisallow: /private/\n");
  site_add_page (site, "/", "private/page", "public", (const char *) NULL);
  site_add_page (site, "/public", (const char *) NULL);
  site_add_page (site, "/private/page", (const char *) NULL);

  /* robots.txt first, and the disallowed page counted as skipped. */
  g_assert_cmpint (ad_cli_test_run_serving (AD_CLI_ARGS ("crawl", site->uri),
                                            NULL, RUN_LIMIT_MS, &out, &err, NULL), ==, 0);
  visited = site_visited (site);
  g_assert_cmpstr (visited, ==, "/ /public /robots.txt");
  g_assert_nonnull (strstr (out, "\n2 pages, 0 errors, 1 skipped by robots.txt, "));

  /* --ignore-robots: robots.txt is neither asked for nor obeyed. */
  site_clear_log (site);
  g_clear_pointer (&visited, g_free);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ad_cli_test_run_serving (AD_CLI_ARGS ("crawl", "--ignore-robots", site->uri),
                                            NULL, RUN_LIMIT_MS, &out, &err, NULL), ==, 0);
  visited = site_visited (site);
  g_assert_cmpstr (visited, ==, "/ /private/page /public");
  g_assert_nonnull (strstr (out, "\n3 pages, 0 errors, 0 skipped by robots.txt, "));
}

/* A chain of pages: / → /1 → /2 → /3. */
static TestSite *
chain_site_new (void)
{
  TestSite *site = test_site_new ();

  site_add_page (site, "/", "1", (const char *) NULL);
  site_add_page (site, "/1", "2", (const char *) NULL);
  site_add_page (site, "/2", "3", (const char *) NULL);
  site_add_page (site, "/3", (const char *) NULL);

  return site;
}

/* Crawls @site with @options and returns the paths it was asked for. */
static char *
crawl_visits (TestSite           *site,
              const char * const *options,
              int                 expected_status)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL, *err = NULL;

  site_clear_log (site);
  g_ptr_array_add (args, "crawl");
  for (guint i = 0; options[i] != NULL; i++)
    g_ptr_array_add (args, (char *) options[i]);
  g_ptr_array_add (args, site->uri);
  g_ptr_array_add (args, NULL);

  g_assert_cmpint (ad_cli_test_run_serving ((const char * const *) args->pdata, NULL,
                                            RUN_LIMIT_MS, &out, &err, NULL), ==, expected_status);

  return site_visited (site);
}

static void
test_crawl_depth (void)
{
  g_autoptr(TestSite) site = chain_site_new ();
  g_autofree char *all = crawl_visits (site, AD_CLI_ARGS (NULL), 0);
  g_autofree char *none = crawl_visits (site, AD_CLI_ARGS ("--depth", "0"), 0);
  g_autofree char *two = crawl_visits (site, AD_CLI_ARGS ("--depth", "2"), 0);

  g_assert_cmpstr (all, ==, "/ /1 /2 /3 /robots.txt");
  /* Links are followed this many steps from the start. */
  g_assert_cmpstr (none, ==, "/ /robots.txt");
  g_assert_cmpstr (two, ==, "/ /1 /2 /robots.txt");
}

static void
test_crawl_max_pages (void)
{
  g_autoptr(TestSite) site = chain_site_new ();
  g_autofree char *one = crawl_visits (site, AD_CLI_ARGS ("--max-pages", "1"), 0);
  g_autofree char *three = crawl_visits (site, AD_CLI_ARGS ("--max-pages", "3"), 0);

  /* robots.txt is not a page. */
  g_assert_cmpstr (one, ==, "/ /robots.txt");
  g_assert_cmpstr (three, ==, "/ /1 /2 /robots.txt");
}

static void
test_crawl_user_agent (void)
{
  g_autoptr(TestSite) site = chain_site_new ();
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  GList *agents;

  site->robots = g_strdup ("User-agent: testbot\nDisallow: /2\n\nUser-agent: *\nDisallow:\n");

  /* The default agent is not named in robots.txt, and says who it is. */
  ours = crawl_visits (site, AD_CLI_ARGS (NULL), 0);
  g_assert_cmpstr (ours, ==, "/ /1 /2 /3 /robots.txt");
  agents = g_hash_table_get_keys (site->agents);
  g_assert_cmpuint (g_list_length (agents), ==, 1);
  g_assert_true (g_str_has_prefix (agents->data, "async-demo/"));
  g_list_free (agents);

  /* --user-agent is sent with every request and picks its robots.txt group. */
  theirs = crawl_visits (site, AD_CLI_ARGS ("--user-agent", "TestBot/2.0"), 0);
  g_assert_cmpstr (theirs, ==, "/ /1 /robots.txt");
  agents = g_hash_table_get_keys (site->agents);
  g_assert_cmpuint (g_list_length (agents), ==, 1);
  g_assert_cmpstr (agents->data, ==, "TestBot/2.0");
  g_list_free (agents);
}

static void
test_crawl_concurrency (void)
{
  g_autoptr(TestSite) site = test_site_new ();
  static const struct
  {
    const char *options[5];
    guint       max_in_flight;
  } cases[] = {
    { { "--concurrency", "2" }, 2 },
    { { "--concurrency", "8", "--per-host", "3" }, 3 },
    { { "--per-host", "4" }, 4 },
    { { NULL }, 6 },
  };

  /* Six pages that each take SLOW_MS to answer, all linked from the start. */
  site_add_page (site, "/", "slow/1", "slow/2", "slow/3", "slow/4", "slow/5", "slow/6", (const char *) NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *visited = crawl_visits (site, cases[i].options, 0);

      g_test_message ("case %u: at most %u requests at once", i, site->max_in_flight);
      g_assert_cmpstr (visited, ==,
                       "/ /robots.txt /slow/1 /slow/2 /slow/3 /slow/4 /slow/5 /slow/6");
      /* Exactly: the limit is reached (the pages wait) and never passed. */
      g_assert_cmpuint (site->max_in_flight, ==, cases[i].max_in_flight);
    }
}

static void
test_crawl_concurrency_total (void)
{
  TestSite *a = test_site_new ();
  TestSite *b = test_site_new ();
  g_autofree char *b1 = g_strconcat (b->uri, "slow/1", NULL);
  g_autofree char *b2 = g_strconcat (b->uri, "slow/2", NULL);
  g_autofree char *b3 = g_strconcat (b->uri, "slow/3", NULL);
  g_autofree char *visited_a = NULL;
  g_autofree char *visited_b = NULL;
  guint before;

  /* Three slow pages on each of two hosts: one host alone cannot show the
   * limit over all hosts, which sets the per-host one too. */
  site_add_page (a, "/", "slow/1", "slow/2", "slow/3", b1, b2, b3, (const char *) NULL);
  site_clear_log (b);
  before = all_max_in_flight = all_in_flight;
  visited_a = crawl_visits (a, AD_CLI_ARGS ("--scope", "any", "--concurrency", "2"), 0);
  visited_b = site_visited (b);
  g_test_message ("at most %u requests at once on both hosts", all_max_in_flight - before);
  g_assert_cmpstr (visited_a, ==, "/ /robots.txt /slow/1 /slow/2 /slow/3");
  g_assert_cmpstr (visited_b, ==, "/robots.txt /slow/1 /slow/2 /slow/3");
  g_assert_cmpuint (all_max_in_flight - before, ==, 2);

  test_site_free (a);
  test_site_free (b);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/crawl/scope", test_crawl_scope);
  g_test_add_func ("/cli/crawl/include-exclude", test_crawl_include_exclude);
  g_test_add_func ("/cli/crawl/robots", test_crawl_robots);
  g_test_add_func ("/cli/crawl/depth", test_crawl_depth);
  g_test_add_func ("/cli/crawl/max-pages", test_crawl_max_pages);
  g_test_add_func ("/cli/crawl/user-agent", test_crawl_user_agent);
  g_test_add_func ("/cli/crawl/concurrency", test_crawl_concurrency);
  g_test_add_func ("/cli/crawl/concurrency-total", test_crawl_concurrency_total);

  return g_test_run ();
}
