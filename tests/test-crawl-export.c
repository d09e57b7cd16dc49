/* test-crawl-export.c: a crawl's results as CSV and JSON files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>

#include "ad-core.h"
#include "ad-crawl-result-private.h"
#include "ad-test-utils.h"

/* Two results as the crawler makes them: a page, and a broken link whose
 * URL and error need quoting in CSV. */
static void
fill_models (GListStore *results,
             GListStore *broken)
{
  g_autoptr(AdCrawlResult) page = ad_crawl_result_new ("http://127.0.0.1:8080/");
  g_autoptr(AdCrawlResult) bad = ad_crawl_result_new ("http://127.0.0.1:8080/a,\"b\"");
  const char *referrers[] = { "http://127.0.0.1:8080/", "http://127.0.0.1:8080/x", NULL };

  page->status = 200;
  page->content_type = g_strdup ("text/html");
  page->size = 1234;
  page->ttfb_ms = 1.5;
  page->total_ms = 2.25;
  page->links = 11;

  bad->status = 0;
  bad->size = 0;
  bad->depth = 1;
  bad->total_ms = 10;
  bad->referrer = g_strdup ("http://127.0.0.1:8080/");
  bad->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Timed out,\nreally");
  ad_crawl_result_set_referrers (bad, g_strdupv ((GStrv) referrers));

  g_list_store_append (results, page);
  g_list_store_append (results, bad);
  g_list_store_append (broken, bad);
}

static void
test_csv_field (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "plain", "plain" },
    { "", "" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "two\nlines", "\"two\nlines\"" },
    { "cr\r", "\"cr\r\"" },
    { "ünïcödé", "ünïcödé" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = ad_crawl_export_csv_field (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }

  {
    g_autofree char *out = ad_crawl_export_csv_field (NULL);

    g_assert_cmpstr (out, ==, "");
  }
}

static void
test_csv (void)
{
  g_autoptr(GListStore) results = g_list_store_new (AD_TYPE_CRAWL_RESULT);
  g_autoptr(GListStore) broken = g_list_store_new (AD_TYPE_CRAWL_RESULT);
  g_autoptr(GBytes) bytes = NULL;
  const char *expected =
    "url,final_url,status,error,referrer,bytes,ms,ttfb_ms,content_type,depth,links,redirects\r\n"
    "http://127.0.0.1:8080/,http://127.0.0.1:8080/,200,,,1234,2.250,1.500,text/html,0,11,0\r\n"
    "\"http://127.0.0.1:8080/a,\"\"b\"\"\",\"http://127.0.0.1:8080/a,\"\"b\"\"\",0,"
    "\"Timed out,\nreally\",http://127.0.0.1:8080/,0,10.000,0.000,,1,0,0\r\n";

  fill_models (results, broken);
  bytes = ad_crawl_export_csv (G_LIST_MODEL (results));

  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, strlen (expected));
}

static void
test_json (void)
{
  g_autoptr(GListStore) results = g_list_store_new (AD_TYPE_CRAWL_RESULT);
  g_autoptr(GListStore) broken = g_list_store_new (AD_TYPE_CRAWL_RESULT);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *row;
  JsonArray *rows, *referrers;

  fill_models (results, broken);
  bytes = ad_crawl_export_json (G_LIST_MODEL (results), G_LIST_MODEL (broken));
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), &error));
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  rows = json_object_get_array_member (root, "results");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);

  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "url"), ==, "http://127.0.0.1:8080/");
  g_assert_cmpstr (json_object_get_string_member (row, "final_url"), ==, "http://127.0.0.1:8080/");
  g_assert_cmpint (json_object_get_int_member (row, "status"), ==, 200);
  g_assert_true (json_object_get_null_member (row, "error"));
  g_assert_true (json_object_get_null_member (row, "referrer"));
  g_assert_cmpint (json_object_get_int_member (row, "bytes"), ==, 1234);
  g_assert_cmpfloat (json_object_get_double_member (row, "ms"), ==, 2.25);
  g_assert_cmpfloat (json_object_get_double_member (row, "ttfb_ms"), ==, 1.5);
  g_assert_cmpstr (json_object_get_string_member (row, "content_type"), ==, "text/html");
  g_assert_cmpint (json_object_get_int_member (row, "depth"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (row, "links"), ==, 11);
  g_assert_cmpint (json_object_get_int_member (row, "redirects"), ==, 0);

  row = json_array_get_object_element (rows, 1);
  g_assert_cmpstr (json_object_get_string_member (row, "url"), ==, "http://127.0.0.1:8080/a,\"b\"");
  g_assert_cmpstr (json_object_get_string_member (row, "error"), ==, "Timed out,\nreally");
  g_assert_cmpstr (json_object_get_string_member (row, "referrer"), ==, "http://127.0.0.1:8080/");
  g_assert_true (json_object_get_null_member (row, "content_type"));

  rows = json_object_get_array_member (root, "broken");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "url"), ==, "http://127.0.0.1:8080/a,\"b\"");
  referrers = json_object_get_array_member (row, "referrers");
  g_assert_cmpuint (json_array_get_length (referrers), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (referrers, 1), ==, "http://127.0.0.1:8080/x");
}

static void
test_save (void)
{
  g_autoptr(GListStore) results = g_list_store_new (AD_TYPE_CRAWL_RESULT);
  g_autoptr(GListStore) broken = g_list_store_new (AD_TYPE_CRAWL_RESULT);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ad-export-XXXXXX", &error);

  g_assert_no_error (error);
  fill_models (results, broken);

  for (AdCrawlExportFormat format = AD_CRAWL_EXPORT_CSV; format <= AD_CRAWL_EXPORT_JSON; format++)
    {
      g_autofree char *path = g_build_filename (dir, format == AD_CRAWL_EXPORT_CSV ? "r.csv"
                                                                                   : "r.json",
                                                NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GBytes) expected = ad_crawl_export_to_bytes (format, G_LIST_MODEL (results),
                                                             G_LIST_MODEL (broken));
      GAsyncResult *result = NULL;
      g_autofree char *contents = NULL;
      gsize length;

      ad_crawl_export_save_async (format, G_LIST_MODEL (results), G_LIST_MODEL (broken), file,
                                  NULL, ad_test_store_result, &result);
      ad_test_wait_result (&result, 5000);
      g_assert_true (ad_crawl_export_save_finish (result, &error));
      g_assert_no_error (error);
      g_clear_object (&result);

      g_assert_true (g_file_get_contents (path, &contents, &length, &error));
      g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL),
                       g_bytes_get_size (expected));
      g_unlink (path);
    }

  /* A folder that does not exist: an error, not a crash. */
  {
    g_autofree char *path = g_build_filename (dir, "missing", "r.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    GAsyncResult *result = NULL;

    ad_crawl_export_save_async (AD_CRAWL_EXPORT_CSV, G_LIST_MODEL (results), NULL, file,
                                NULL, ad_test_store_result, &result);
    ad_test_wait_result (&result, 5000);
    g_assert_false (ad_crawl_export_save_finish (result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_clear_object (&result);
  }

  g_rmdir (dir);
}

static void
assert_member_string (JsonObject *object,
                      const char *name,
                      const char *expected)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  if (expected == NULL)
    g_assert_true (JSON_NODE_HOLDS_NULL (node));
  else
    g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

/* One result a line, written without json-glib: json-glib reads every
 * field back as it was, whatever the strings hold. */
static void
test_json_line (void)
{
  static const char *texts[] = {
    "plain",
    "say \"hi\" \\ back\\slash",
    "tab\there, line\nbreak, cr\r, bell\a, escape\x1b, unit\x1f, del\x7f",
    "ünïcödé → ✓ 𝄞",
    "",
  };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  for (gsize i = 0; i <= G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(AdCrawlResult) result = ad_crawl_result_new ("http://127.0.0.1:8080/p?a=1&b=\"2\"");
      g_autoptr(GError) error = NULL;
      gboolean last = i == G_N_ELEMENTS (texts);
      const char *text = last ? NULL : texts[i];
      JsonObject *object;

      result->status = last ? 0 : 200 + (guint) i;
      result->size = G_GUINT64_CONSTANT (12345678901);
      result->total_ms = 2.25 + (double) i / 3;
      result->ttfb_ms = 0.1;
      result->depth = (guint) i;
      result->links = 300;
      result->redirects = 2;
      result->content_type = g_strdup (text);
      result->referrer = g_strdup (text);
      if (text != NULL)
        result->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, text);

      g_string_truncate (out, 0);
      ad_crawl_export_json_line (out, result);
      /* One line, with no raw control character (json-glib would take
       * some that RFC 8259 forbids). */
      g_assert_cmpuint ((guchar) out->str[out->len - 1], ==, '\n');
      for (gsize j = 0; j + 1 < out->len; j++)
        g_assert_cmpuint ((guchar) out->str[j], >=, 0x20);
      g_assert_true (json_parser_load_from_data (parser, out->str, (gssize) out->len, &error));
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));

      assert_member_string (object, "type", "result");
      assert_member_string (object, "url", ad_crawl_result_get_url (result));
      assert_member_string (object, "final_url", ad_crawl_result_get_final_url (result));
      g_assert_cmpint (json_object_get_int_member (object, "status"), ==, result->status);
      assert_member_string (object, "error", text);
      assert_member_string (object, "referrer", text);
      assert_member_string (object, "content_type", text);
      g_assert_cmpint (json_object_get_int_member (object, "bytes"), ==, 12345678901);
      g_assert_cmpfloat (json_object_get_double_member (object, "ms"), ==, result->total_ms);
      g_assert_cmpfloat (json_object_get_double_member (object, "ttfb_ms"), ==, 0.1);
      g_assert_cmpint (json_object_get_int_member (object, "depth"), ==, (gint64) i);
      g_assert_cmpint (json_object_get_int_member (object, "links"), ==, 300);
      g_assert_cmpint (json_object_get_int_member (object, "redirects"), ==, 2);
      g_assert_cmpuint (json_object_get_size (object), ==, 13);
    }

  /* Text that is not UTF-8 (a hostile server's Content-Type) comes out
   * valid, the bad byte replaced. */
  {
    g_autoptr(AdCrawlResult) result = ad_crawl_result_new ("http://127.0.0.1:8080/");
    g_autoptr(GError) error = NULL;
    JsonObject *object;

    result->content_type = g_strdup ("text/\xff\xfehtml");
    g_string_truncate (out, 0);
    ad_crawl_export_json_line (out, result);
    g_assert_true (g_utf8_validate (out->str, (gssize) out->len, NULL));
    g_assert_true (json_parser_load_from_data (parser, out->str, (gssize) out->len, &error));
    g_assert_no_error (error);
    object = json_node_get_object (json_parser_get_root (parser));
    assert_member_string (object, "content_type", "text/\xef\xbf\xbd\xef\xbf\xbdhtml");
  }
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crawl-export/csv-field", test_csv_field);
  g_test_add_func ("/crawl-export/csv", test_csv);
  g_test_add_func ("/crawl-export/json", test_json);
  g_test_add_func ("/crawl-export/json-line", test_json_line);
  g_test_add_func ("/crawl-export/save", test_save);

  return g_test_run ();
}
