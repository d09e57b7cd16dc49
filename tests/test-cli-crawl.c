/* test-cli-crawl.c: `async-demo crawl` and `async-demo fetch` as a user runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ad-cli-test-utils.h"

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

  return g_test_run ();
}
