/* test-robots.c: the robots.txt parser, a pure function over bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-core.h"

#define UA "async-demo/0.1 (+https://example.org)"

static AdRobots *
parse (const char *text)
{
  return ad_robots_parse (text, strlen (text), UA);
}

static void
test_groups (void)
{
  g_autoptr(AdRobots) robots = parse ("# comment\n"
                                      "User-agent: other-bot\n"
                                      "Disallow: /\n"
                                      "\n"
                                      "User-agent: *\n"
                                      "Disallow: /star-only\n"
                                      "\n"
                                      "User-agent: Async-Demo\n"
                                      "User-agent: somebody-else\n"
                                      "Disallow: /private/   # trailing comment\n"
                                      "Crawl-delay: 1.5\n");

  /* Our named group applies, not "*" and not other-bot's. */
  g_assert_true (ad_robots_is_allowed (robots, "/"));
  g_assert_true (ad_robots_is_allowed (robots, "/star-only"));
  g_assert_false (ad_robots_is_allowed (robots, "/private/x"));
  g_assert_true (ad_robots_is_allowed (robots, "/private"));
  g_assert_cmpfloat (ad_robots_get_crawl_delay (robots), ==, 1.5);
  g_assert_cmpuint (ad_robots_get_n_rules (robots), ==, 1);
}

static void
test_star_group (void)
{
  g_autoptr(AdRobots) robots = parse ("User-agent: other\r\nDisallow: /a\r\n"
                                      "User-agent: *\r\nDisallow: /b\r\nCrawl-delay: 2\r\n");

  g_assert_true (ad_robots_is_allowed (robots, "/a"));
  g_assert_false (ad_robots_is_allowed (robots, "/b/c"));
  g_assert_cmpfloat (ad_robots_get_crawl_delay (robots), ==, 2);
}

static void
test_merged_groups (void)
{
  g_autoptr(AdRobots) robots = parse ("User-agent: async-demo\nDisallow: /one\n"
                                      "User-agent: x\nDisallow: /x\n"
                                      "user-agent: ASYNC-DEMO\ndisallow: /two\n");

  g_assert_false (ad_robots_is_allowed (robots, "/one"));
  g_assert_false (ad_robots_is_allowed (robots, "/two"));
  g_assert_true (ad_robots_is_allowed (robots, "/x"));
}

static void
test_longest_match (void)
{
  g_autoptr(AdRobots) robots = parse ("User-agent: *\n"
                                      "Disallow: /shop\n"
                                      "Allow: /shop/public\n"
                                      "Disallow: /shop/public/secret\n"
                                      "Allow: /tie\n"
                                      "Disallow: /tie\n");

  g_assert_false (ad_robots_is_allowed (robots, "/shop"));
  g_assert_false (ad_robots_is_allowed (robots, "/shopping"));
  g_assert_true (ad_robots_is_allowed (robots, "/shop/public/page"));
  g_assert_false (ad_robots_is_allowed (robots, "/shop/public/secret/1"));
  /* Allow wins a tie. */
  g_assert_true (ad_robots_is_allowed (robots, "/tie"));
  g_assert_true (ad_robots_is_allowed (robots, "/other"));
}

static void
test_wildcards (void)
{
  g_autoptr(AdRobots) robots = parse ("User-agent: *\n"
                                      "Disallow: /*.pdf$\n"
                                      "Disallow: /tmp*/cache\n"
                                      "Disallow: /*?session=\n"
                                      "Disallow: /exact$\n"
                                      "Allow: /**/open$\n");

  g_assert_false (ad_robots_is_allowed (robots, "/docs/a.pdf"));
  g_assert_true (ad_robots_is_allowed (robots, "/docs/a.pdf?download=1"));
  g_assert_true (ad_robots_is_allowed (robots, "/docs/a.pdfx"));
  g_assert_false (ad_robots_is_allowed (robots, "/tmp/cache"));
  g_assert_false (ad_robots_is_allowed (robots, "/tmp123/x/cache/y"));
  g_assert_false (ad_robots_is_allowed (robots, "/page?session=42"));
  g_assert_true (ad_robots_is_allowed (robots, "/page?id=42"));
  g_assert_false (ad_robots_is_allowed (robots, "/exact"));
  g_assert_true (ad_robots_is_allowed (robots, "/exact/more"));
  g_assert_true (ad_robots_is_allowed (robots, "/tmp/a/open"));
}

static void
test_edge_cases (void)
{
  g_autoptr(AdRobots) empty = parse ("");
  g_autoptr(AdRobots) empty_disallow = parse ("User-agent: *\nDisallow:\n");
  g_autoptr(AdRobots) orphan = parse ("Disallow: /\nUser-agent: *\nAllow: /\n");
  g_autoptr(AdRobots) bom = parse ("\xEF\xBB\xBFUser-agent: *\nDisallow: /b\n");
  g_autoptr(AdRobots) garbage = NULL;
  g_autoptr(AdRobots) all = parse ("User-agent: *\nDisallow: /\nCrawl-delay: soon\n");
  g_autoptr(AdRobots) none = ad_robots_new_disallow_all ();
  static const char binary[] = "User-agent: *\n\0Disallow: /\n\xff\xfe:\n::::\nDisallow /x\n";

  g_assert_true (ad_robots_is_allowed (empty, "/anything"));
  g_assert_true (ad_robots_is_allowed (empty_disallow, "/anything"));
  /* A rule before any User-agent line belongs to no group. */
  g_assert_true (ad_robots_is_allowed (orphan, "/a"));
  g_assert_false (ad_robots_is_allowed (bom, "/b"));
  garbage = ad_robots_parse (binary, sizeof binary - 1, UA);
  g_assert_true (ad_robots_is_allowed (garbage, "/x"));
  g_assert_false (ad_robots_is_allowed (all, "/"));
  g_assert_cmpfloat (ad_robots_get_crawl_delay (all), ==, 0);
  /* robots.txt itself is always allowed. */
  g_assert_true (ad_robots_is_allowed (all, "/robots.txt"));
  g_assert_false (ad_robots_is_allowed (none, "/"));
}

static void
test_boxed (void)
{
  AdRobots *robots = parse ("User-agent: *\nDisallow: /b\n");
  AdRobots *copy = g_boxed_copy (AD_TYPE_ROBOTS, robots);
  g_autoptr(AdRobots) all = ad_robots_new_allow_all ();
  g_autoptr(AdRobots) none = ad_robots_new_disallow_all ();

  /* Immutable, so a copy is a reference: it outlives the first owner. */
  g_assert_true (G_TYPE_IS_BOXED (AD_TYPE_ROBOTS));
  g_assert_true (copy == robots);
  ad_robots_unref (robots);
  g_assert_false (ad_robots_is_allowed (copy, "/b/c"));
  g_assert_true (ad_robots_is_allowed (copy, "/a"));
  g_boxed_free (AD_TYPE_ROBOTS, copy);

  /* What the crawler uses when robots.txt is missing (allow all) or
   * answers 5xx (RFC 9309: disallow all but robots.txt itself). */
  g_assert_true (ad_robots_is_allowed (all, "/"));
  g_assert_true (ad_robots_is_allowed (all, "/private/x?y"));
  g_assert_cmpuint (ad_robots_get_n_rules (all), ==, 0);
  g_assert_false (ad_robots_is_allowed (none, "/"));
  g_assert_false (ad_robots_is_allowed (none, "/a/b?c"));
  g_assert_true (ad_robots_is_allowed (none, "/robots.txt"));
  g_assert_cmpfloat (ad_robots_get_crawl_delay (none), ==, 0);
}

static void
test_fuzz_smoke (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  static const char alphabet[] = "Usr-agent:*Disalow/$?#\n\r \tCrawl-dey0.5";

  /* Random garbage from a robots-like alphabet must never crash. */
  for (guint round = 0; round < 2000; round++)
    {
      char text[256];
      guint len = g_rand_int_range (rand, 0, sizeof text);
      g_autoptr(AdRobots) robots = NULL;

      for (guint i = 0; i < len; i++)
        text[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      robots = ad_robots_parse (text, len, UA);
      ad_robots_is_allowed (robots, "/a/b?c=d");
    }
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/robots/groups", test_groups);
  g_test_add_func ("/robots/star-group", test_star_group);
  g_test_add_func ("/robots/merged-groups", test_merged_groups);
  g_test_add_func ("/robots/longest-match", test_longest_match);
  g_test_add_func ("/robots/wildcards", test_wildcards);
  g_test_add_func ("/robots/edge-cases", test_edge_cases);
  g_test_add_func ("/robots/boxed", test_boxed);
  g_test_add_func ("/robots/fuzz-smoke", test_fuzz_smoke);

  return g_test_run ();
}
