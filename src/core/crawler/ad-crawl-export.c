/* ad-crawl-export.c: a crawl's results as CSV or JSON, and saving them
 *
 * The Crawler page saves its table with these functions, and the tests
 * check their output byte for byte. The fields are the ones `async-demo
 * crawl --json` prints for each result (url, final_url, status, error,
 * referrer, bytes, ms, ttfb_ms, content_type, depth, links, redirects), so
 * a file saved from the page and the command's output read the same way.
 *
 * CSV follows RFC 4180: a header row, CRLF line ends, and a field quoted
 * (with its quotes doubled) when it holds a comma, a quote or a line
 * break. Numbers are written with g_ascii_formatd, never in the user's
 * locale, so a German "1,5" cannot split a field. A missing value (no
 * error, no referrer) is an empty field.
 *
 * JSON (json-glib) is one object: "results", an array of objects with the
 * fields above (null for a missing value), and "broken", the broken links
 * with every page that links to them, as in the command's summary.
 *
 * One result as one JSON line (`crawl --json`, a line per page) is written
 * here directly: json-glib's builder and generator cost ~60 K instructions
 * a line (callgrind), a fifth of the crawl's main-thread work per page.
 * test-crawl-export parses such lines with json-glib and compares every
 * field, strings with quotes, backslashes, control characters, non-ASCII
 * text and invalid UTF-8 among them.
 *
 * Saving: the text is made on the main thread from the models (the
 * results are immutable objects owned by the main thread, and 10,000 rows
 * take a few milliseconds), then written with g_file_replace_contents_bytes_async,
 * so the disk never blocks the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <math.h>

#include <json-glib/json-glib.h>
#include <string.h>

#include "ad-crawl-export.h"
#include "ad-crawl-result.h"

G_DEFINE_ENUM_TYPE (AdCrawlExportFormat, ad_crawl_export_format,
  G_DEFINE_ENUM_VALUE (AD_CRAWL_EXPORT_CSV, "csv"),
  G_DEFINE_ENUM_VALUE (AD_CRAWL_EXPORT_JSON, "json"))

static const char *csv_header =
  "url,final_url,status,error,referrer,bytes,ms,ttfb_ms,content_type,depth,links,redirects\r\n";

/**
 * ad_crawl_export_csv_field:
 * @text: (nullable): a field's text
 *
 * Returns: (transfer full): @text as one CSV field: quoted, with its
 *   quotes doubled, when it holds a comma, a quote, CR or LF; empty for %NULL
 */
char *
ad_crawl_export_csv_field (const char *text)
{
  GString *field;

  if (text == NULL)
    return g_strdup ("");
  if (strpbrk (text, ",\"\r\n") == NULL)
    return g_strdup (text);

  field = g_string_sized_new (strlen (text) + 8);
  g_string_append_c (field, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (field, '"');
      g_string_append_c (field, *p);
    }
  g_string_append_c (field, '"');

  return g_string_free (field, FALSE);
}

static void
csv_append_text (GString    *csv,
                 const char *text)
{
  g_autofree char *field = ad_crawl_export_csv_field (text);

  g_string_append (csv, field);
  g_string_append_c (csv, ',');
}

static void
csv_append_double (GString *csv,
                   double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (csv, g_ascii_formatd (buffer, sizeof buffer, "%.3f", value));
  g_string_append_c (csv, ',');
}

/**
 * ad_crawl_export_csv:
 * @results: a model of #AdCrawlResult
 *
 * Returns: (transfer full): a header row and one row per result, in the
 *   model's order
 */
GBytes *
ad_crawl_export_csv (GListModel *results)
{
  GString *csv;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (results), NULL);

  n = g_list_model_get_n_items (results);
  csv = g_string_sized_new ((gsize) 128 * ((gsize) n + 1));
  g_string_append (csv, csv_header);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdCrawlResult) result = g_list_model_get_item (results, i);

      csv_append_text (csv, ad_crawl_result_get_url (result));
      csv_append_text (csv, ad_crawl_result_get_final_url (result));
      g_string_append_printf (csv, "%u,", ad_crawl_result_get_status (result));
      csv_append_text (csv, ad_crawl_result_get_error_message (result));
      csv_append_text (csv, ad_crawl_result_get_referrer (result));
      g_string_append_printf (csv, "%" G_GUINT64_FORMAT ",", ad_crawl_result_get_size (result));
      csv_append_double (csv, ad_crawl_result_get_total_ms (result));
      csv_append_double (csv, ad_crawl_result_get_ttfb_ms (result));
      csv_append_text (csv, ad_crawl_result_get_content_type (result));
      g_string_append_printf (csv, "%u,%u,%u\r\n",
                              ad_crawl_result_get_depth (result),
                              ad_crawl_result_get_links (result),
                              ad_crawl_result_get_redirects (result));
    }

  return g_string_free_to_bytes (csv);
}

static void
json_add_nullable_string (JsonBuilder *builder,
                          const char  *name,
                          const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
json_add_int (JsonBuilder *builder,
              const char  *name,
              gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
json_add_double (JsonBuilder *builder,
                 const char  *name,
                 double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

/* A JSON string (RFC 8259): quotes and backslashes escaped, control
 * characters as \n, \r, \t or \u00XX with XX their hex code, text that is not UTF-8 made
 * valid first (U+FFFD for what is not). */
static void
json_line_append_string (GString    *out,
                         const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      valid = g_utf8_make_valid (text, -1);
      text = valid;
    }

  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
json_line_append_uint (GString *out,
                       guint64  value)
{
  char digits[24];
  gsize n = 0;

  do
    {
      digits[n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0);
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

static void
json_line_append_double (GString *out,
                         double   value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  /* Shortest text that reads back as the same double, as JSON numbers. */
  if (!isfinite (value))
    value = 0;
  g_string_append (out, g_ascii_dtostr (text, sizeof text, value));
}

/**
 * ad_crawl_export_json_line:
 * @out: where the line is appended
 * @result: one result
 *
 * Appends @result as one JSON object and a newline: "type" ("result") and
 * the fields of ad_crawl_export_json()'s results, in its order.
 */
void
ad_crawl_export_json_line (GString       *out,
                           AdCrawlResult *result)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (AD_IS_CRAWL_RESULT (result));

  g_string_append (out, "{\"type\":\"result\",\"url\":");
  json_line_append_string (out, ad_crawl_result_get_url (result));
  g_string_append (out, ",\"final_url\":");
  json_line_append_string (out, ad_crawl_result_get_final_url (result));
  g_string_append (out, ",\"status\":");
  json_line_append_uint (out, ad_crawl_result_get_status (result));
  g_string_append (out, ",\"error\":");
  json_line_append_string (out, ad_crawl_result_get_error_message (result));
  g_string_append (out, ",\"referrer\":");
  json_line_append_string (out, ad_crawl_result_get_referrer (result));
  g_string_append (out, ",\"bytes\":");
  json_line_append_uint (out, ad_crawl_result_get_size (result));
  g_string_append (out, ",\"ms\":");
  json_line_append_double (out, ad_crawl_result_get_total_ms (result));
  g_string_append (out, ",\"ttfb_ms\":");
  json_line_append_double (out, ad_crawl_result_get_ttfb_ms (result));
  g_string_append (out, ",\"content_type\":");
  json_line_append_string (out, ad_crawl_result_get_content_type (result));
  g_string_append (out, ",\"depth\":");
  json_line_append_uint (out, ad_crawl_result_get_depth (result));
  g_string_append (out, ",\"links\":");
  json_line_append_uint (out, ad_crawl_result_get_links (result));
  g_string_append (out, ",\"redirects\":");
  json_line_append_uint (out, ad_crawl_result_get_redirects (result));
  g_string_append (out, "}\n");
}

/**
 * ad_crawl_export_json:
 * @results: a model of #AdCrawlResult
 * @broken: (nullable): the broken links, each with its referrers
 *
 * Returns: (transfer full): a JSON object with "results" and "broken"
 */
GBytes *
ad_crawl_export_json (GListModel *results,
                      GListModel *broken)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;
  gsize length;

  g_return_val_if_fail (G_IS_LIST_MODEL (results), NULL);
  g_return_val_if_fail (!broken || G_IS_LIST_MODEL (broken), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(AdCrawlResult) result = g_list_model_get_item (results, i);

      json_builder_begin_object (builder);
      json_add_nullable_string (builder, "url", ad_crawl_result_get_url (result));
      json_add_nullable_string (builder, "final_url", ad_crawl_result_get_final_url (result));
      json_add_int (builder, "status", ad_crawl_result_get_status (result));
      json_add_nullable_string (builder, "error", ad_crawl_result_get_error_message (result));
      json_add_nullable_string (builder, "referrer", ad_crawl_result_get_referrer (result));
      json_add_int (builder, "bytes", (gint64) ad_crawl_result_get_size (result));
      json_add_double (builder, "ms", ad_crawl_result_get_total_ms (result));
      json_add_double (builder, "ttfb_ms", ad_crawl_result_get_ttfb_ms (result));
      json_add_nullable_string (builder, "content_type",
                                ad_crawl_result_get_content_type (result));
      json_add_int (builder, "depth", ad_crawl_result_get_depth (result));
      json_add_int (builder, "links", ad_crawl_result_get_links (result));
      json_add_int (builder, "redirects", ad_crawl_result_get_redirects (result));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "broken");
  json_builder_begin_array (builder);
  for (guint i = 0; broken != NULL && i < g_list_model_get_n_items (broken); i++)
    {
      g_autoptr(AdCrawlResult) result = g_list_model_get_item (broken, i);
      const char * const *referrers = ad_crawl_result_get_referrers (result);

      json_builder_begin_object (builder);
      json_add_nullable_string (builder, "url", ad_crawl_result_get_url (result));
      json_add_int (builder, "status", ad_crawl_result_get_status (result));
      json_add_nullable_string (builder, "error", ad_crawl_result_get_error_message (result));
      json_builder_set_member_name (builder, "referrers");
      json_builder_begin_array (builder);
      for (guint j = 0; referrers != NULL && referrers[j] != NULL; j++)
        json_builder_add_string_value (builder, referrers[j]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);

  return g_bytes_new_take (text, length);
}

/**
 * ad_crawl_export_to_bytes:
 *
 * Returns: (transfer full): the file's contents in @format
 */
GBytes *
ad_crawl_export_to_bytes (AdCrawlExportFormat  format,
                          GListModel          *results,
                          GListModel          *broken)
{
  switch (format)
    {
    case AD_CRAWL_EXPORT_CSV:
      return ad_crawl_export_csv (results);
    case AD_CRAWL_EXPORT_JSON:
      return ad_crawl_export_json (results, broken);
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
replace_contents_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * ad_crawl_export_save_async:
 * @results: a model of #AdCrawlResult, in the order to save
 * @broken: (nullable): the broken links, for JSON
 * @file: where to save (replaced atomically)
 *
 * Makes the text now, from the models as they are, and writes it
 * asynchronously.
 */
void
ad_crawl_export_save_async (AdCrawlExportFormat  format,
                            GListModel          *results,
                            GListModel          *broken,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (G_IS_LIST_MODEL (results));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_crawl_export_save_async);
  g_task_set_name (task, "[async-demo] export crawl");

  bytes = ad_crawl_export_to_bytes (format, results, broken);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, replace_contents_cb, g_steal_pointer (&task));
}

gboolean
ad_crawl_export_save_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_crawl_export_save_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
