/* test-cli-crawl.c: `async-demo crawl` and `async-demo fetch` as a user runs them
 *
 * Most tests crawl a small site served by this process (a SoupServer on
 * 127.0.0.1, answering while the binary runs: cli-crawl-test-site.c) that
 * logs every path it is asked for and when, so they can assert what a
 * crawl prints and how its requests are spaced. A page that never answers
 * (/never) shows the units of --timeout and --deadline. Which pages a crawl
 * visits, and how many requests it has in flight, is in
 * test-cli-crawl-visits.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ad-cli-test-utils.h"
#include "cli-crawl-test-site.h"

/* The URLs of the result lines in a text output, sorted, separated by spaces. */
static char *
printed_urls (const char *out)
{
  g_autoptr(GRegex) regex = g_regex_new ("^(?:\\d{3}|---) .*? ms  (\\S+)", G_REGEX_MULTILINE, 0,
                                         NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);

  g_regex_match (regex, out, 0, &match);
  while (g_match_info_matches (match))
    {
      g_ptr_array_add (urls, g_match_info_fetch (match, 1));
      g_match_info_next (match, NULL);
    }
  g_ptr_array_sort (urls, compare_strings);
  g_ptr_array_add (urls, NULL);

  return g_strjoinv (" ", (char **) urls->pdata);
}

/* The result line printed for @url, without its newline. */
static char *
result_line (const char *out,
             const char *url)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree char *tail = g_strconcat (" ms  ", url, NULL);
  g_autofree char *tail_more = g_strconcat (" ms  ", url, " ", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_suffix (lines[i], tail) || strstr (lines[i], tail_more) != NULL)
        return g_strdup (lines[i]);
    }

  g_error ("no result line for %s in:\n%s", url, out);
}

/* @site's URI followed by each of @paths (space-separated), sorted the same way. */
static char *
site_urls (TestSite   *site,
           const char *paths)
{
  g_auto(GStrv) split = g_strsplit (paths, " ", -1);
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *origin = g_strndup (site->uri, strlen (site->uri) - 1);

  for (guint i = 0; split[i] != NULL; i++)
    g_ptr_array_add (urls, g_strconcat (origin, split[i], NULL));
  g_ptr_array_sort (urls, compare_strings);
  g_ptr_array_add (urls, NULL);

  return g_strjoinv (" ", (char **) urls->pdata);
}

/* Parses JSON Lines; returns the objects (owned by the parsers in @keep). */
static GPtrArray *
parse_lines (const char *out,
             GPtrArray  *keep)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *objects = g_ptr_array_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonParser *parser;
      g_autoptr(GError) error = NULL;

      if (lines[i][0] == '\0')
        continue;
      parser = json_parser_new ();
      g_ptr_array_add (keep, parser);
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      g_ptr_array_add (objects, json_node_get_object (json_parser_get_root (parser)));
    }

  return objects;
}

static void
test_crawl_sample_json (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) objects = NULL;
  JsonObject *summary;
  JsonArray *broken;
  guint results = 0;
  gboolean found_missing = FALSE;

  /* The sample site has broken links: exit status 1. */
  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("crawl", "--sample", "--json", "--stats"),
                                    &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "sample site"));
  objects = parse_lines (out, keep);
  g_assert_cmpuint (objects->len, ==, 25);

  for (guint i = 0; i + 1 < objects->len; i++)
    {
      JsonObject *obj = g_ptr_array_index (objects, i);

      g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, "result");
      g_assert_true (json_object_has_member (obj, "url"));
      g_assert_true (json_object_has_member (obj, "status"));
      g_assert_true (json_object_has_member (obj, "error"));
      g_assert_true (json_object_has_member (obj, "referrer"));
      g_assert_true (json_object_has_member (obj, "bytes"));
      g_assert_true (json_object_has_member (obj, "ms"));
      results++;
    }
  g_assert_cmpuint (results, ==, 24);

  summary = g_ptr_array_index (objects, objects->len - 1);
  g_assert_cmpstr (json_object_get_string_member (summary, "type"), ==, "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "pages"), ==, 24);
  g_assert_cmpint (json_object_get_int_member (summary, "skipped"), ==, 1);
  g_assert_true (json_object_has_member (summary, "max_stall_ms"));
  broken = json_object_get_array_member (summary, "broken");
  g_assert_cmpuint (json_array_get_length (broken), ==, 6);
  for (guint i = 0; i < json_array_get_length (broken); i++)
    {
      JsonObject *link = json_array_get_object_element (broken, i);

      if (g_str_has_suffix (json_object_get_string_member (link, "url"), "/missing"))
        {
          found_missing = TRUE;
          g_assert_cmpint (json_object_get_int_member (link, "status"), ==, 404);
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (link,
                                                                                 "referrers")),
                            ==, 2);
        }
    }
  g_assert_true (found_missing);
}

static void
test_crawl_text (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("crawl", "--max-pages", "3", "--depth", "1"),
                                    &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "3 pages, 0 errors"));
  g_assert_nonnull (strstr (out, "No broken links."));
}

static void
test_fetch_refused (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) objects = NULL;
  JsonObject *result;

  /* Nothing listens on port 1: an error result, and exit status 1. */
  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("fetch", "--json", "http://127.0.0.1:1/"),
                                    &out, &err), ==, 1);
  objects = parse_lines (out, keep);
  g_assert_cmpuint (objects->len, ==, 2);
  result = g_ptr_array_index (objects, 0);
  g_assert_cmpstr (json_object_get_string_member (result, "url"), ==, "http://127.0.0.1:1/");
  g_assert_cmpint (json_object_get_int_member (result, "status"), ==, 0);
  g_assert_nonnull (json_object_get_string_member (result, "error"));
  g_assert_true (json_object_get_null_member (result, "referrer"));
}

static void
test_bad_arguments (void)
{
  static const char * const cases[][5] = {
    { "crawl", "not a url", NULL },
    { "crawl", "ftp://example.com/", NULL },
    { "crawl", "--concurrency", "0", NULL },
    { "crawl", "--scope", "nowhere", NULL },
    { "crawl", "--depth", "-1", NULL },
    { "crawl", "--include", "([", NULL },
    { "crawl", "http://a.example/", "http://b.example/", NULL },
    { "fetch", NULL },
    { "fetch", "http://127.0.0.1:1/", "example.com", NULL },
    { "fetch", "--timeout", "-3", "http://127.0.0.1:1/" },
    { "fetch", "--threads", "-1", "http://127.0.0.1:1/" },
    { "fetch", "--threads", "65", "http://127.0.0.1:1/" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) proc = ad_cli_test_spawn (cases[i], &error);
      g_autofree char *out = NULL, *err = NULL;

      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
      /* A clear message, not a crash or a silent exit. */
      g_assert_true (g_str_has_prefix (err, "async-demo "));
    }
}

static void
test_sigint (void)
{
  gint64 elapsed = ad_cli_test_interrupt (AD_CLI_ARGS ("crawl", "--sample-pages", "100000",
                                                       "--sample-links", "4"),
                                          "200");

  g_assert_cmpint (elapsed, <, (gint64) 5 * G_USEC_PER_SEC);
}

/* ---- fetch ----------------------------------------------------------------- */

static void
test_fetch_input_file (void)
{
  g_autoptr(TestSite) site = test_site_new ();
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-cli-crawl-XXXXXX", NULL);
  g_autofree char *list = g_build_filename (dir, "urls.txt", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *visited = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *expected = NULL;

  g_assert_nonnull (dir);
  /* The start page links to /c: fetch follows no link. */
  site_add_page (site, "/", "/c", (const char *) NULL);
  site_add_page (site, "/a", (const char *) NULL);
  site_add_page (site, "/b", (const char *) NULL);
  site_add_page (site, "/c", (const char *) NULL);
  /* Comments, blank lines and spaces around a URL are skipped. */
  contents = g_strdup_printf ("# URLs to fetch\n\n%sa\n   %sb  \n", site->uri, site->uri);
  g_assert_true (g_file_set_contents (list, contents, -1, NULL));

  g_assert_cmpint (ad_cli_test_run_serving (AD_CLI_ARGS ("fetch", "--input", list, site->uri),
                                            NULL, RUN_LIMIT_MS, &out, &err, NULL), ==, 0);
  /* The URLs of the command line and of the file, nothing else, once each,
   * and no robots.txt: fetch asks for what it is given. */
  visited = site_visited (site);
  g_assert_cmpstr (visited, ==, "/ /a /b");
  printed = printed_urls (out);
  expected = site_urls (site, "/ /a /b");
  g_assert_cmpstr (printed, ==, expected);
  g_assert_nonnull (strstr (out, "\n3 pages, 0 errors, 0 skipped by robots.txt, "));
  g_assert_nonnull (strstr (out, "\nNo broken links.\n"));

  /* A list that cannot be read is a bad argument. */
  g_free (out);
  g_free (err);
  g_assert_cmpint (ad_cli_test_run_serving (AD_CLI_ARGS ("fetch", "--input", "/nonexistent/urls"),
                                            NULL, RUN_LIMIT_MS, &out, &err, NULL), ==, 2);
  g_assert_true (g_str_has_prefix (err, "async-demo fetch: "));

  g_assert_no_errno (g_remove (list));
  g_assert_no_errno (g_rmdir (dir));
}

static void
test_fetch_input_stdin (void)
{
  g_autoptr(TestSite) site = test_site_new ();
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *input = NULL;
  g_autofree char *visited = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *a_url = NULL, *missing_url = NULL;
  g_autofree char *a_line = NULL, *missing_line = NULL, *broken = NULL;

  site_add_page (site, "/a", "/b", (const char *) NULL);
  site_add_page (site, "/b", (const char *) NULL);
  input = g_strdup_printf ("%sa\n%smissing\n", site->uri, site->uri);

  /* One of the URLs is gone: exit status 1. */
  g_assert_cmpint (ad_cli_test_run_serving (AD_CLI_ARGS ("fetch", "--input", "-"),
                                            input, RUN_LIMIT_MS, &out, &err, NULL), ==, 1);
  visited = site_visited (site);
  g_assert_cmpstr (visited, ==, "/a /missing");
  printed = printed_urls (out);
  expected = site_urls (site, "/a /missing");
  g_assert_cmpstr (printed, ==, expected);

  /* Each result line starts with its status. */
  a_url = g_strconcat (site->uri, "a", NULL);
  missing_url = g_strconcat (site->uri, "missing", NULL);
  a_line = result_line (out, a_url);
  missing_line = result_line (out, missing_url);
  g_assert_true (g_str_has_prefix (a_line, "200 "));
  g_assert_true (g_str_has_prefix (missing_line, "404 "));

  /* Fetched URLs have no referrer to name. */
  broken = g_strdup_printf ("\nBroken links:\n  %smissing  [404]\n", site->uri);
  g_assert_true (g_str_has_suffix (out, broken));
}

/* ---- crawl: what it prints ------------------------------------------------ */

static void
test_crawl_broken_text (void)
{
  g_autoptr(TestSite) site = test_site_new ();
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *visited = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *first_line = NULL;

  /* /missing is linked from two pages, /gone from one. */
  site_add_page (site, "/", "p1", "p2", "missing", (const char *) NULL);
  site_add_page (site, "/p1", "/missing", "/gone", "/", (const char *) NULL);
  site_add_page (site, "/p2", "/p1", (const char *) NULL);

  g_assert_cmpint (ad_cli_test_run_serving (AD_CLI_ARGS ("crawl", site->uri),
                                            NULL, RUN_LIMIT_MS, &out, &err, NULL), ==, 1);
  visited = site_visited (site);
  g_assert_cmpstr (visited, ==, "/ /gone /missing /p1 /p2 /robots.txt");
  printed = printed_urls (out);
  expected = site_urls (site, "/ /gone /missing /p1 /p2");
  g_assert_cmpstr (printed, ==, expected);

  /* The line of a broken link names the first page that links to it. */
  first_line = g_strdup_printf (" ms  %smissing  (linked from %s)\n", site->uri, site->uri);
  g_assert_nonnull (strstr (out, first_line));

  /* The summary: every broken URL, sorted, with every page linking to it. */
  g_assert_nonnull (strstr (out, "\n\n5 pages, "));
  broken = g_strdup_printf ("\nBroken links:\n"
                            "  %sgone  [404]\n"
                            "      linked from %sp1\n"
                            "  %smissing  [404]\n"
                            "      linked from %s\n"
                            "      linked from %sp1\n",
                            site->uri, site->uri, site->uri, site->uri, site->uri);
  g_assert_true (g_str_has_suffix (out, broken));
  g_assert_cmpstr (err, ==, "");
}

/* ---- crawl: timing options ------------------------------------------------ */

static void
test_timeout_seconds (void)
{
  g_autoptr(TestSite) site = test_site_new ();
  g_autofree char *never = g_strconcat (site->uri, "never", NULL);
  const char *commands[] = { "crawl", "fetch" };
  guint slow = ad_cli_test_slow_factor ();

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      g_autofree char *line = g_strdup_printf (" ms  %s  [", never);
      gint64 elapsed;

      /* A page that never answers, given up after one second: not after
       * one millisecond, nor after 1000 seconds (the test would time out). */
      g_assert_cmpint (ad_cli_test_run_serving (AD_CLI_ARGS (commands[i], "--timeout", "1", never),
                                                NULL, TIMED_LIMIT_MS, &out, &err, &elapsed), ==, 1);
      g_test_message ("%s --timeout 1: %.2f s", commands[i], elapsed / (double) G_USEC_PER_SEC);
      g_assert_cmpint (elapsed, >=, 900 * G_TIME_SPAN_MILLISECOND);
      g_assert_cmpint (elapsed, <, (1 + 4 * slow) * G_TIME_SPAN_SECOND);
      /* An error result, no status, and a broken link. */
      g_assert_true (g_str_has_prefix (out, "--- "));
      g_assert_nonnull (strstr (out, line));
      g_assert_nonnull (strstr (out, "\nBroken links:\n"));
    }
}

static void
test_deadline_seconds (void)
{
  g_autoptr(TestSite) site = test_site_new ();
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *expected = NULL;
  guint slow = ad_cli_test_slow_factor ();
  gint64 elapsed;

  site_add_page (site, "/", "/never", (const char *) NULL);

  /* The request timeout alone would wait a minute: the deadline stops the
   * crawl after one second, keeps what was done, and says so. */
  g_assert_cmpint (ad_cli_test_run_serving (AD_CLI_ARGS ("crawl", "--deadline", "1",
                                                         "--timeout", "60", site->uri),
                                            NULL, TIMED_LIMIT_MS, &out, &err, &elapsed), ==, 1);
  g_test_message ("--deadline 1: %.2f s", elapsed / (double) G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, >=, 900 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (elapsed, <, (1 + 4 * slow) * G_TIME_SPAN_SECOND);
  printed = printed_urls (out);
  expected = site_urls (site, "/");
  g_assert_cmpstr (printed, ==, expected);
  g_assert_nonnull (strstr (out, "\n\n1 pages, 0 errors, "));
  g_assert_nonnull (strstr (err, "deadline"));
}

/* A site whose start page links to /never. */
static TestSite *
never_site_new (void)
{
  TestSite *site = test_site_new ();

  site_add_page (site, "/", "/never", (const char *) NULL);

  return site;
}

static void
test_timeout_sub_millisecond (void)
{
  g_autoptr(TestSite) site = never_site_new ();
  g_autofree char *never = g_strconcat (site->uri, "never", NULL);
  g_autofree char *line = g_strdup_printf (" ms  %s  [", never);
  g_autofree char *out = NULL, *err = NULL;
  guint slow = ad_cli_test_slow_factor ();
  gint64 elapsed;

  /* A timeout under a millisecond is tiny, not "no timeout". */
  g_assert_cmpint (ad_cli_test_run_serving (AD_CLI_ARGS ("fetch", "--timeout", "0.0004", never),
                                            NULL, TIMED_LIMIT_MS, &out, &err, &elapsed), ==, 1);
  g_test_message ("--timeout 0.0004: %.2f s", elapsed / (double) G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, (1 + 2 * slow) * G_TIME_SPAN_SECOND);
  g_assert_nonnull (strstr (out, line));
}

static void
test_deadline_sub_millisecond (void)
{
  g_autoptr(TestSite) site = never_site_new ();
  g_autofree char *out = NULL, *err = NULL;
  guint slow = ad_cli_test_slow_factor ();
  gint64 elapsed;

  /* Nor is a deadline under a millisecond "no deadline". */
  g_assert_cmpint (ad_cli_test_run_serving (AD_CLI_ARGS ("crawl", "--deadline", "0.0004",
                                                         "--timeout", "60", site->uri),
                                            NULL, TIMED_LIMIT_MS, &out, &err, &elapsed), ==, 1);
  g_test_message ("--deadline 0.0004: %.2f s", elapsed / (double) G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, (1 + 2 * slow) * G_TIME_SPAN_SECOND);
  g_assert_nonnull (strstr (err, "deadline"));
}

static void
test_deadline_far (void)
{
  g_autoptr(TestSite) site = never_site_new ();
  g_autofree char *never = g_strconcat (site->uri, "never", NULL);
  g_autofree char *line = g_strdup_printf (" ms  %s  [", never);
  g_autofree char *out = NULL, *err = NULL;
  gint64 elapsed;

  /* A deadline of 4294968 s (49.7 days) is far away, not 704 ms once its
   * milliseconds wrap around 2^32: the crawl ends when /never times out. */
  g_assert_cmpint (ad_cli_test_run_serving (AD_CLI_ARGS ("crawl", "--deadline", "4294968",
                                                         "--timeout", "2", site->uri),
                                            NULL, TIMED_LIMIT_MS, &out, &err, &elapsed), ==, 1);
  g_test_message ("--deadline 4294968 --timeout 2: %.2f s", elapsed / (double) G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, >=, 1800 * G_TIME_SPAN_MILLISECOND);
  g_assert_null (strstr (err, "deadline"));
  g_assert_nonnull (strstr (out, line));
}

static void
test_delay_milliseconds (void)
{
  g_autoptr(TestSite) site = test_site_new ();
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *visited = NULL;
  guint slow = ad_cli_test_slow_factor ();
  gint64 elapsed;
  gint64 min_gap = G_MAXINT64;
  gint64 span;

  site_add_page (site, "/", "d1", "d2", "d3", "d4", (const char *) NULL);
  site_add_page (site, "/d1", (const char *) NULL);
  site_add_page (site, "/d2", (const char *) NULL);
  site_add_page (site, "/d3", (const char *) NULL);
  site_add_page (site, "/d4", (const char *) NULL);

  /* Sixteen requests may be in flight, but one host gets one every 200 ms. */
  g_assert_cmpint (ad_cli_test_run_serving (AD_CLI_ARGS ("crawl", "--delay", "200",
                                                         "--ignore-robots", site->uri),
                                            NULL, TIMED_LIMIT_MS, &out, &err, &elapsed), ==, 0);
  visited = site_visited (site);
  g_assert_cmpstr (visited, ==, "/ /d1 /d2 /d3 /d4");
  for (guint i = 1; i < site->times->len; i++)
    min_gap = MIN (min_gap, g_array_index (site->times, gint64, i) -
                            g_array_index (site->times, gint64, i - 1));
  span = g_array_index (site->times, gint64, site->times->len - 1) -
         g_array_index (site->times, gint64, 0);
  g_test_message ("--delay 200: requests at least %.0f ms apart, %.0f ms from first to last, "
                  "%.2f s in all", min_gap / 1000.0, span / 1000.0,
                  elapsed / (double) G_USEC_PER_SEC);
  /* The server sees them less regularly than the client sends them (it may
   * handle one late on a busy machine): each gap with a wide margin, and
   * the four gaps together with a narrow one. */
  g_assert_cmpint (min_gap, >=, 100 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (span, >=, 700 * G_TIME_SPAN_MILLISECOND);
  /* Milliseconds, not seconds. */
  g_assert_cmpint (elapsed, <, (1 + 3 * slow) * G_TIME_SPAN_SECOND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/crawl/sample-json", test_crawl_sample_json);
  g_test_add_func ("/cli/crawl/text", test_crawl_text);
  g_test_add_func ("/cli/fetch/refused", test_fetch_refused);
  g_test_add_func ("/cli/crawl/bad-arguments", test_bad_arguments);
  g_test_add_func ("/cli/crawl/sigint", test_sigint);
  g_test_add_func ("/cli/fetch/input-file", test_fetch_input_file);
  g_test_add_func ("/cli/fetch/input-stdin", test_fetch_input_stdin);
  g_test_add_func ("/cli/crawl/broken-text", test_crawl_broken_text);
  g_test_add_func ("/cli/crawl/timeout-seconds", test_timeout_seconds);
  g_test_add_func ("/cli/crawl/deadline-seconds", test_deadline_seconds);
  g_test_add_func ("/cli/crawl/timeout-sub-millisecond", test_timeout_sub_millisecond);
  g_test_add_func ("/cli/crawl/deadline-sub-millisecond", test_deadline_sub_millisecond);
  g_test_add_func ("/cli/crawl/deadline-far", test_deadline_far);
  g_test_add_func ("/cli/crawl/delay-milliseconds", test_delay_milliseconds);

  return g_test_run ();
}
