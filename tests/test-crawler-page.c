/* test-crawler-page.c: the Crawler page in the real window, crawling the
 * built-in sample site under a real display (Xvfb in CI)
 *
 * Registered only when GTK can open a display, so the core suites still
 * run anywhere. Each test drives the page as a user would (buttons,
 * entries, the column view's sorter) and checks what the widgets show
 * against what the crawler found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ad-application.h"
#include "ad-broken-links-view.h"
#include "ad-crawl-counters-private.h"
#include "ad-crawl-results-view.h"
#include "ad-crawl-settings.h"
#include "ad-core.h"
#include "ad-crawler-page.h"
#include "ad-gui-test-utils.h"
#include "ad-window-private.h"
#include "ad-test-utils.h"
#include "ad-window.h"

static AdApplication *app;

static gboolean
is_check_with_label (GtkWidget     *widget,
                     gconstpointer  data)
{
  return GTK_IS_CHECK_BUTTON (widget) &&
         g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)), data) == 0;
}

/* A visible label whose text holds every string of the NULL-terminated
 * array @data. */
static gboolean
is_label_containing (GtkWidget     *widget,
                     gconstpointer  data)
{
  const char * const *needles = data;
  const char *text;

  if (!GTK_IS_LABEL (widget) || !gtk_widget_get_mapped (widget))
    return FALSE;

  text = gtk_label_get_text (GTK_LABEL (widget));
  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (text, needles[i]) == NULL)
      return FALSE;

  return TRUE;
}

static gboolean
is_stack_with_mode (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "list");
}

static GtkWidget *
find (GtkWidget          *root,
      AdGuiTestPredicate  predicate,
      gconstpointer       data)
{
  GtkWidget *found = ad_gui_test_find_widget (root, predicate, data);

  g_assert_nonnull (found);
  return found;
}

/* The widget named @name under @root: it must be there. */
static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  return find (root, ad_gui_test_is_named, name);
}

static AdCrawlerPage *
show_crawler_page (AdWindow *window)
{
  return AD_CRAWLER_PAGE (ad_gui_test_show_page (window, "crawler", "Crawler"));
}

static void
on_running_changed (GObject    *object,
                    GParamSpec *pspec,
                    gboolean   *stopped)
{
  if (!ad_crawler_page_get_running (AD_CRAWLER_PAGE (object)))
    *stopped = TRUE;
}

static void
wait_stopped (AdCrawlerPage *page,
              guint          timeout_ms)
{
  gboolean stopped = !ad_crawler_page_get_running (page);

  g_signal_connect (page, "notify::running", G_CALLBACK (on_running_changed), &stopped);
  ad_test_wait_for (stopped, timeout_ms);
  g_signal_handlers_disconnect_by_func (page, on_running_changed, &stopped);
  /* Let the view catch up with the last batch. */
  ad_test_spin (100);
}

/* Clicks Start and waits for the run to end. */
static void
run_page (AdCrawlerPage *page)
{
  GtkWidget *start = find (GTK_WIDGET (page), ad_gui_test_is_button_with_action, "crawler.start");

  g_assert_true (gtk_widget_is_sensitive (start));
  g_signal_emit_by_name (start, "clicked");
  g_assert_true (ad_crawler_page_get_running (page));
  g_assert_false (gtk_widget_is_sensitive (start));
  wait_stopped (page, 60000);
  g_assert_true (gtk_widget_is_sensitive (start));
}

static GListModel *
view_model (AdCrawlerPage *page,
            const char    *name)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (find_named (GTK_WIDGET (page), name));

  /* Show that table, as a user would: a table off screen makes no rows,
   * so its model (through AdListRamp) waits for it to be mapped. */
  gtk_stack_set_visible_child_name (GTK_STACK (find_named (GTK_WIDGET (page), "view-stack")),
                                    g_str_equal (name, "broken-view") ? "broken" : "results");

  return G_LIST_MODEL (gtk_column_view_get_model (view));
}

static guint
count_matching (GListModel *model,
                const char *needle,
                gboolean    broken_only)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AdCrawlResult) result = g_list_model_get_item (model, i);

      if ((needle == NULL || strstr (ad_crawl_result_get_url (result), needle) != NULL) &&
          (!broken_only || ad_crawl_result_is_broken (result)))
        n++;
    }

  return n;
}

static void
set_filter (AdCrawlerPage *page,
            const char    *text)
{
  GtkWidget *entry = find_named (GTK_WIDGET (page), "filter-entry");

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* GtkSearchEntry waits a little before "search-changed". */
  ad_test_spin (400);
}

static void
check_sorted (GListModel *model,
              const char *property,
              GtkSortType order)
{
  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) a = g_list_model_get_item (model, i - 1);
      g_autoptr(GObject) b = g_list_model_get_item (model, i);
      GValue va = G_VALUE_INIT, vb = G_VALUE_INIT;
      int cmp;

      g_object_get_property (a, property, &va);
      g_object_get_property (b, property, &vb);
      if (G_VALUE_HOLDS_STRING (&va))
        cmp = g_utf8_collate (g_value_get_string (&va), g_value_get_string (&vb));
      else if (G_VALUE_HOLDS_UINT (&va))
        cmp = (g_value_get_uint (&va) > g_value_get_uint (&vb)) -
              (g_value_get_uint (&va) < g_value_get_uint (&vb));
      else
        g_assert_not_reached ();
      g_value_unset (&va);
      g_value_unset (&vb);

      if (order == GTK_SORT_ASCENDING)
        g_assert_cmpint (cmp, <=, 0);
      else
        g_assert_cmpint (cmp, >=, 0);
    }
}

static GtkColumnViewColumn *
column_titled (GtkColumnView *view,
               const char    *title)
{
  GListModel *columns = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;
    }

  g_assert_not_reached ();
}

/* Exports as a user does: the action of the Export menu, then the file
 * chooser it opens, answered with @dir/@name. */
static void
export_and_check (AdCrawlerPage       *page,
                  AdCrawlExportFormat  format,
                  const char          *dir,
                  const char          *name)
{
  gboolean json = format == AD_CRAWL_EXPORT_JSON;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *parse_name = g_file_get_parse_name (file);
  g_autofree char *saved = g_strdup_printf ("Saved to %s.", parse_name);
  GListModel *shown = ad_crawler_page_get_shown_results (page);
  GListModel *broken = ad_crawler_get_broken_links (ad_crawler_page_get_crawler (page));
  g_autoptr(GBytes) expected = ad_crawl_export_to_bytes (format, shown, broken);
  g_autoptr(GError) error = NULL;
  GtkFileChooser *chooser;
  g_autofree char *current_name = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  AdWindow *window = AD_WINDOW (gtk_widget_get_root (GTK_WIDGET (page)));

  g_assert_cmpstr (ad_window_get_last_toast_title (window), !=, saved);
  gtk_widget_activate_action (GTK_WIDGET (page), "crawler.export", "s", json ? "json" : "csv");
  chooser = ad_gui_test_wait_file_chooser (json ? "Export Results as JSON"
                                                : "Export Results as CSV");
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
  current_name = gtk_file_chooser_get_current_name (chooser);
  g_assert_cmpstr (current_name, ==, json ? "crawl.json" : "crawl.csv");
  ad_gui_test_accept_file_chooser (chooser, file);

  /* A toast says where it went once the file is written. */
  ad_test_wait_until (g_strcmp0 (ad_window_get_last_toast_title (window), saved) == 0, 10000);
  g_assert_null (ad_crawler_page_get_error (page));
  g_assert_null (ad_gui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL),
                   g_bytes_get_size (expected));

  if (format == AD_CRAWL_EXPORT_CSV)
    {
      g_auto(GStrv) lines = g_strsplit (contents, "\r\n", -1);
      g_autoptr(AdCrawlResult) first = g_list_model_get_item (shown, 0);
      g_autofree char *first_field = ad_crawl_export_csv_field (ad_crawl_result_get_url (first));

      /* A header, one line per row shown, and the empty rest after the last CRLF. */
      g_assert_cmpuint (g_strv_length (lines), ==, g_list_model_get_n_items (shown) + 2);
      g_assert_true (g_str_has_prefix (lines[0], "url,final_url,status,error,referrer,bytes"));
      g_assert_true (g_str_has_prefix (lines[1], first_field));
    }
  else
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *root;
      JsonArray *rows;

      g_assert_true (json_parser_load_from_data (parser, contents, length, &error));
      g_assert_no_error (error);
      root = json_node_get_object (json_parser_get_root (parser));
      rows = json_object_get_array_member (root, "results");
      g_assert_cmpuint (json_array_get_length (rows), ==, g_list_model_get_n_items (shown));
      rows = json_object_get_array_member (root, "broken");
      g_assert_cmpuint (json_array_get_length (rows), ==, g_list_model_get_n_items (broken));
      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonObject *row = json_array_get_object_element (rows, i);

          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (row, "referrers")),
                            >=, 1);
        }
    }

  g_unlink (path);
}

static void
test_sample_crawl (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  GtkStack *stack = ad_window_get_stack (window);
  AdCrawlerPage *page = AD_CRAWLER_PAGE (ad_window_get_page (window, "crawler"));
  AdCrawler *crawler = ad_crawler_page_get_crawler (page);
  GListModel *results = ad_crawler_get_results (crawler);
  GListModel *broken = ad_crawler_get_broken_links (crawler);
  GListModel *shown;
  GtkColumnView *results_view;
  AdSampleSite *site;
  g_autofree char *missing = NULL;
  g_autofree char *root = NULL;
  g_autofree char *article3 = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  guint n_results, n_articles;

  /* The sample site starts when the page is first shown, not before. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "crawler") != 0)
    g_assert_null (ad_crawler_page_get_sample_site (page));
  show_crawler_page (window);
  site = ad_crawler_page_get_sample_site (page);
  g_assert_nonnull (site);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (GTK_WIDGET (page),
                                                                    "url-entry"))),
                   ==, ad_sample_site_get_start_url (site));

  run_page (page);
  g_test_message ("%s", ad_crawler_page_get_status (page));
  g_assert_true (g_str_has_prefix (ad_crawler_page_get_status (page), "Finished"));
  g_assert_null (ad_crawler_page_get_error (page));

  /* The table shows every result. */
  n_results = g_list_model_get_n_items (results);
  g_assert_cmpuint (n_results, ==, 24);
  g_assert_cmpuint (n_results, ==, ad_crawler_get_done (crawler));
  ad_test_wait_until (g_list_model_get_n_items (view_model (page, "results-view")) == n_results, 5000);

  /* The broken links, each with the pages linking to it. */
  g_assert_cmpuint (g_list_model_get_n_items (view_model (page, "broken-view")), ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (broken), ==, 6);
  missing = ad_sample_site_dup_url (site, "/missing");
  root = ad_sample_site_dup_url (site, "/");
  article3 = ad_sample_site_dup_url (site, "/articles/3");
  {
    const char *missing_url[] = { missing, NULL };
    const char *referrers[] = { root, article3, NULL };

    /* The page switches to the broken links at the end when there are any. */
    ad_test_wait_until (ad_gui_test_find_widget (GTK_WIDGET (page), is_label_containing,
                                                 missing_url) != NULL, 5000);
    g_assert_nonnull (ad_gui_test_find_widget (GTK_WIDGET (page), is_label_containing, referrers));
  }

  /* Filter: by URL text, and errors only. */
  shown = ad_crawler_page_get_shown_results (page);
  n_articles = count_matching (results, "/articles", FALSE);
  g_assert_cmpuint (n_articles, >, 1);
  set_filter (page, "/articles");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n_articles);
  ad_test_wait_until (g_list_model_get_n_items (view_model (page, "results-view")) == n_articles, 5000);
  set_filter (page, "");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n_results);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find (GTK_WIDGET (page), is_check_with_label,
                                                       "_Errors only")), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, ad_crawler_get_errors (crawler));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, count_matching (results, NULL, TRUE));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find (GTK_WIDGET (page), is_check_with_label,
                                                       "_Errors only")), FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n_results);

  /* Sort by the column view's columns, both ways. */
  results_view = GTK_COLUMN_VIEW (find_named (GTK_WIDGET (page), "results-view"));
  gtk_column_view_sort_by_column (results_view, column_titled (results_view, "Status"),
                                  GTK_SORT_DESCENDING);
  check_sorted (shown, "status", GTK_SORT_DESCENDING);
  gtk_column_view_sort_by_column (results_view, column_titled (results_view, "Depth"),
                                  GTK_SORT_ASCENDING);
  check_sorted (shown, "depth", GTK_SORT_ASCENDING);
  gtk_column_view_sort_by_column (results_view, column_titled (results_view, "URL"),
                                  GTK_SORT_ASCENDING);
  check_sorted (shown, "url", GTK_SORT_ASCENDING);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n_results);

  /* Copy URL: the selected row's URL is the clipboard's content (read
   * from the local provider, as a paste in this process would). */
  {
    GtkSelectionModel *selection = gtk_column_view_get_model (results_view);
    g_autoptr(AdCrawlResult) first = g_list_model_get_item (shown, 0);
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (page));
    GdkContentProvider *content;
    GValue value = G_VALUE_INIT;

    gtk_stack_set_visible_child_name (GTK_STACK (find_named (GTK_WIDGET (page), "view-stack")),
                                      "results");
    gtk_selection_model_select_item (selection, 0, TRUE);
    gtk_widget_activate_action (GTK_WIDGET (page), "crawler.copy-url", NULL);
    content = gdk_clipboard_get_content (clipboard);
    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (content, &value, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (g_value_get_string (&value), ==, ad_crawl_result_get_url (first));
    g_value_unset (&value);
  }

  /* Export what the table shows, in its order. */
  dir = g_dir_make_tmp ("ad-crawler-page-XXXXXX", &error);
  g_assert_no_error (error);
  export_and_check (page, AD_CRAWL_EXPORT_CSV, dir, "crawl.csv");
  export_and_check (page, AD_CRAWL_EXPORT_JSON, dir, "crawl.json");
  set_filter (page, "/articles");
  export_and_check (page, AD_CRAWL_EXPORT_CSV, dir, "articles.csv");
  set_filter (page, "");
  g_rmdir (dir);

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_cancel (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdCrawlerPage *page = show_crawler_page (window);
  AdCrawler *crawler = ad_crawler_page_get_crawler (page);
  GtkWidget *cancel = find (GTK_WIDGET (page), ad_gui_test_is_button_with_action, "crawler.cancel");
  GtkDropDown *samples = GTK_DROP_DOWN (find_named (GTK_WIDGET (page), "sample-choice"));

  g_assert_false (gtk_widget_is_sensitive (cancel));

  /* The 10,000-page sample: long enough to cancel in the middle. */
  gtk_drop_down_set_selected (samples, 1);
  gtk_widget_activate_action (GTK_WIDGET (page), "crawler.start", NULL);
  g_assert_true (ad_crawler_page_get_running (page));
  ad_test_spin (300);
  g_assert_true (gtk_widget_is_sensitive (cancel));
  g_signal_emit_by_name (cancel, "clicked");
  wait_stopped (page, 10000);

  g_test_message ("%s (%u pages)", ad_crawler_page_get_status (page),
                  ad_crawler_get_done (crawler));
  g_assert_true (g_str_has_prefix (ad_crawler_page_get_status (page), "Cancelled"));
  g_assert_null (ad_crawler_page_get_error (page));
  g_assert_cmpuint (ad_crawler_get_done (crawler), <, 10000);
  g_assert_false (gtk_widget_is_sensitive (cancel));
  ad_test_wait_until (g_list_model_get_n_items (view_model (page, "results-view")) == g_list_model_get_n_items (ad_crawler_get_results (crawler)), 5000);

  gtk_drop_down_set_selected (samples, 0);
  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_bad_input (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdCrawlerPage *page = show_crawler_page (window);
  GtkWidget *entry = find_named (GTK_WIDGET (page), "url-entry");
  GtkStack *mode = GTK_STACK (find (GTK_WIDGET (page), is_stack_with_mode, NULL));
  GtkTextView *urls = GTK_TEXT_VIEW (find (GTK_WIDGET (page), ad_gui_test_is_type,
                                           GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW)));
  const char *error_text[] = { NULL, NULL };

  /* A malformed start URL: said in the page, nothing runs. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "ftp://example.org/");
  gtk_widget_activate_action (GTK_WIDGET (page), "crawler.start", NULL);
  g_assert_false (ad_crawler_page_get_running (page));
  g_assert_nonnull (ad_crawler_page_get_error (page));
  g_test_message ("%s", ad_crawler_page_get_error (page));
  g_assert_nonnull (strstr (ad_crawler_page_get_error (page), "ftp"));
  error_text[0] = ad_crawler_page_get_error (page);
  ad_test_wait_until (ad_gui_test_find_widget (GTK_WIDGET (page), is_label_containing,
                                               error_text) != NULL, 5000);

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_activate_action (GTK_WIDGET (page), "crawler.start", NULL);
  g_assert_false (ad_crawler_page_get_running (page));
  g_assert_nonnull (ad_crawler_page_get_error (page));

  /* The list mode names the bad line. */
  gtk_stack_set_visible_child_name (mode, "list");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (urls),
                            "http://127.0.0.1:1/\n\n# a comment\nnot a url\n", -1);
  gtk_widget_activate_action (GTK_WIDGET (page), "crawler.start", NULL);
  g_assert_false (ad_crawler_page_get_running (page));
  g_test_message ("%s", ad_crawler_page_get_error (page));
  g_assert_true (g_str_has_prefix (ad_crawler_page_get_error (page), "Line 4: "));

  /* Dismissing the error hides it. */
  gtk_widget_activate_action (GTK_WIDGET (page), "crawler.dismiss-error", NULL);
  g_assert_null (ad_crawler_page_get_error (page));

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_fetch_list (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdCrawlerPage *page = show_crawler_page (window);
  AdSampleSite *site = ad_crawler_page_get_sample_site (page);
  GtkStack *mode = GTK_STACK (find (GTK_WIDGET (page), is_stack_with_mode, NULL));
  GtkTextView *urls = GTK_TEXT_VIEW (find (GTK_WIDGET (page), ad_gui_test_is_type,
                                           GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW)));
  g_autofree char *about = ad_sample_site_dup_url (site, "/about");
  g_autofree char *missing = ad_sample_site_dup_url (site, "/missing");
  g_autofree char *text = g_strdup_printf ("%s\n  %s  \n%s\n", about, missing, about);
  AdCrawler *crawler = ad_crawler_page_get_crawler (page);

  gtk_stack_set_visible_child_name (mode, "list");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (urls), text, -1);
  run_page (page);
  g_assert_true (g_str_has_prefix (ad_crawler_page_get_status (page), "Finished"));
  /* The duplicate is fetched once; no link is followed. */
  g_assert_cmpuint (g_list_model_get_n_items (ad_crawler_get_results (crawler)), ==, 2);
  ad_test_wait_until (g_list_model_get_n_items (view_model (page, "results-view")) == 2, 5000);
  g_assert_cmpuint (ad_crawler_get_errors (crawler), ==, 1);

  gtk_stack_set_visible_child_name (mode, "crawl");
  ad_gui_test_close_window (GTK_WINDOW (window));
}

/* The 10,000-page sample site, crawled with the page on screen: every
 * result reaches the table while the main loop keeps running. The longest
 * stall is printed as a figure, not asserted. */
static void
test_large_crawl (void)
{
  AdWindow *window;
  AdCrawlerPage *page;
  AdCrawler *crawler;
  g_autoptr(AdLoopMonitor) monitor = NULL;
  double stall_ms;

  if (g_getenv ("AD_TEST_SLOW") != NULL)
    {
      g_test_skip ("10,000 pages take too long under valgrind");
      return;
    }

  window = ad_gui_test_open_window (app);
  page = show_crawler_page (window);
  crawler = ad_crawler_page_get_crawler (page);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_named (GTK_WIDGET (page), "sample-choice")), 1);

  monitor = ad_loop_monitor_new (NULL);
  ad_loop_monitor_set_interval (monitor, 1);
  ad_loop_monitor_start (monitor);
  gtk_widget_activate_action (GTK_WIDGET (page), "crawler.start", NULL);
  wait_stopped (page, 150000);
  ad_loop_monitor_stop (monitor);

  stall_ms = ad_loop_monitor_get_max_latency (monitor) / 1000.0;
  g_test_message ("%s; longest main loop stall %.1f ms", ad_crawler_page_get_status (page),
                  stall_ms);
  g_assert_true (g_str_has_prefix (ad_crawler_page_get_status (page), "Finished"));
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 10000);
  ad_test_wait_until (g_list_model_get_n_items (view_model (page, "results-view")) == 10000, 5000);
  /* No bound on the stall: in a full parallel test run on a shared 2-core
   * machine the scheduler alone can hold the loop for seconds. */

  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_named (GTK_WIDGET (page), "sample-choice")), 0);
  ad_gui_test_close_window (GTK_WINDOW (window));
}

static gboolean
hog_cb (gpointer data)
{
  return *(gboolean *) data ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* The page's crawl runs in a context of its own, pumped just below GDK's
 * redraw (ad-context-pump.c): a source between the two that is ready at
 * every iteration (a window whose frames are always due) keeps it waiting,
 * and the pump's guard, on while the page runs, gives it its share: the
 * crawl finishes. (Whether the hog runs meanwhile is not asserted: where
 * GL frames are slower than the screen, as under Xvfb with llvmpipe, the
 * frames at GDK's redraw priority starve it too.) */
static void
test_behind_frames (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdCrawlerPage *page = show_crawler_page (window);
  gboolean hogging = TRUE;
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, GDK_PRIORITY_REDRAW + 5);
  g_source_set_static_name (source, "[tests] always-due frames");
  g_source_set_callback (source, hog_cb, &hogging, NULL);
  g_source_attach (source, NULL);

  gtk_widget_activate_action (GTK_WIDGET (page), "crawler.start", NULL);
  g_assert_true (ad_crawler_page_get_running (page));
  wait_stopped (page, 20000);
  g_assert_true (g_str_has_prefix (ad_crawler_page_get_status (page), "Finished"));
  g_assert_cmpuint (ad_crawler_get_done (ad_crawler_page_get_crawler (page)), >, 0);

  hogging = FALSE;
  g_source_destroy (source);
  g_source_unref (source);
  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_close_during_run (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdCrawlerPage *page = show_crawler_page (window);

  gtk_widget_activate_action (GTK_WIDGET (page), "crawler.start", NULL);
  g_assert_true (ad_crawler_page_get_running (page));
  ad_test_spin (100);
  /* The page cancels its crawl on dispose; the crawl's callback must not
   * touch the page's widgets afterwards, and nothing keeps the window. */
  ad_gui_test_close_window (GTK_WINDOW (window));
  ad_test_spin (300);
}

static gboolean
is_label_starting_with (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), data);
}

static void
test_export_error (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdCrawlerPage *page = show_crawler_page (window);
  /* Not writable even by root (tests may run as root, where a directory
   * chmod 0500 stops nothing): /proc takes no new files. */
  g_autoptr(GFile) file = g_file_new_for_path ("/proc/ad-crawler-page-export.csv");
  const char *prefix = "Could not save the results: ";
  GtkFileChooser *chooser;
  GtkWidget *label;

  /* Not the sample site: with its note shown, GTK 4.8 warns (fatally
   * here) about the note's wrapped label when the error bar appears. */
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (page), "url-entry")),
                         "http://127.0.0.1:1/");
  g_assert_null (ad_crawler_page_get_error (page));
  gtk_widget_activate_action (GTK_WIDGET (page), "crawler.export", "s", "csv");
  chooser = ad_gui_test_wait_file_chooser ("Export Results as CSV");
  ad_gui_test_accept_file_chooser (chooser, file);

  /* The user sees why, on the page's error bar. */
  ad_test_wait_until (ad_crawler_page_get_error (page) != NULL, 10000);
  g_test_message ("%s", ad_crawler_page_get_error (page));
  g_assert_true (g_str_has_prefix (ad_crawler_page_get_error (page), prefix));
  g_assert_cmpuint (strlen (ad_crawler_page_get_error (page)), >, strlen (prefix));
  ad_test_wait_until ((label = ad_gui_test_find_widget (GTK_WIDGET (page), is_label_starting_with,
                                                        prefix)) != NULL &&
                      gtk_widget_get_mapped (label), 5000);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, ad_crawler_page_get_error (page));
  g_assert_false (g_file_query_exists (file, NULL));

  ad_gui_test_close_window (GTK_WINDOW (window));
}

/* Closing the window with the export chooser open: the chooser goes with
 * the page (so it cannot answer into a destroyed page), and the window is
 * finalized. */
static void
test_close_with_chooser (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdCrawlerPage *page = show_crawler_page (window);
  GtkFileChooser *chooser;

  gtk_widget_activate_action (GTK_WIDGET (page), "crawler.export", "s", "json");
  chooser = ad_gui_test_wait_file_chooser ("Export Results as JSON");
  g_object_add_weak_pointer (G_OBJECT (chooser), (gpointer *) &chooser);

  ad_gui_test_close_window (GTK_WINDOW (window));
  ad_test_wait_until (chooser == NULL, 5000);
  g_assert_null (ad_gui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
}

/* ---- the page's parts, each on its own ------------------------------------------ */

/* The crawler's notifications of the properties the counters show: one
 * label for each counter; a label, its icon and its tooltip for the limit
 * and for running. */
typedef struct
{
  guint counters;
  guint limit;
} NotifyCount;

static void
count_notify_cb (GObject     *object,
                 GParamSpec  *pspec,
                 NotifyCount *count)
{
  static const char * const counters[] = {
    "queued", "in-flight", "done", "errors", "pages-per-second", "bytes", NULL
  };

  if (g_strv_contains (counters, pspec->name))
    count->counters++;
  else if (g_str_equal (pspec->name, "limit") || g_str_equal (pspec->name, "running"))
    count->limit++;
}

static const char *
label_text (GtkWidget  *root,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (find_named (root, name)));
}

static void
crawl_to_end (AdCrawler    *crawler,
              AdSampleSite *site)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ad_crawler_crawl_async (crawler, ad_sample_site_get_start_url (site), NULL,
                          ad_test_store_result, &result);
  ad_test_wait_result (&result, 60000);
  g_assert_true (ad_crawler_crawl_finish (crawler, result, &error));
  g_assert_no_error (error);
}

/* The counters follow the crawler's properties through the bindings of
 * their template: one update per notification of a property shown, none
 * for the others; a new crawler is followed, the old one is not. */
static void
test_counters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, &error);
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  g_autoptr(AdCrawler) other = ad_crawler_new ();
  AdCrawlCounters *counters = g_object_ref_sink (AD_CRAWL_COUNTERS (ad_crawl_counters_new ()));
  GtkWidget *root = GTK_WIDGET (counters);
  NotifyCount count = { 0, 0 };
  g_autofree char *done = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *bytes = NULL;
  guint n_before, n_updates;

  g_assert_no_error (error);
  g_assert_cmpstr (label_text (root, "done-count"), ==, "0");
  ad_crawl_counters_set_crawler (counters, crawler);
  g_assert_true (ad_crawl_counters_get_crawler (counters) == crawler);
  g_assert_cmpstr (label_text (root, "limit-label"), ==, "—");

  n_before = ad_crawl_counters_get_n_updates (counters);
  g_signal_connect (crawler, "notify", G_CALLBACK (count_notify_cb), &count);
  crawl_to_end (crawler, site);
  g_signal_handlers_disconnect_by_func (crawler, count_notify_cb, &count);
  n_updates = ad_crawl_counters_get_n_updates (counters) - n_before;
  g_test_message ("%u counter and %u limit notifications, %u label updates", count.counters,
                  count.limit, n_updates);
  g_assert_cmpuint (count.counters, >, 0);
  g_assert_cmpuint (n_updates, >, 0);
  g_assert_cmpuint (n_updates, <=, count.counters + 3 * count.limit);

  /* The labels show the crawler's final figures. */
  done = g_strdup_printf ("%u", ad_crawler_get_done (crawler));
  errors = g_strdup_printf ("%u", ad_crawler_get_errors (crawler));
  bytes = g_format_size (ad_crawler_get_bytes (crawler));
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 24);
  g_assert_cmpstr (label_text (root, "done-count"), ==, done);
  g_assert_cmpstr (label_text (root, "errors-count"), ==, errors);
  g_assert_cmpstr (label_text (root, "bytes-count"), ==, bytes);
  g_assert_cmpstr (label_text (root, "queued-count"), ==, "0");
  g_assert_cmpstr (label_text (root, "in-flight-count"), ==, "0");
  g_assert_cmpstr (label_text (root, "limit-label"), ==, "—");
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (find_named (root, "limit-image"))), ==,
                   "media-playback-stop-symbolic");

  /* A new crawler: the labels follow it, the old one reaches them no more. */
  ad_crawl_counters_set_crawler (counters, other);
  g_assert_cmpstr (label_text (root, "done-count"), ==, "0");
  n_before = ad_crawl_counters_get_n_updates (counters);
  g_object_notify (G_OBJECT (crawler), "done");
  g_assert_cmpuint (ad_crawl_counters_get_n_updates (counters), ==, n_before);
  g_object_notify (G_OBJECT (other), "done");
  g_assert_cmpuint (ad_crawl_counters_get_n_updates (counters), ==, n_before + 1);

  g_assert_finalize_object (counters);
}

static gboolean
is_placeholder_visible (GtkWidget  *root,
                        const char *text)
{
  /* The text is a status page's description: shown when every ancestor
   * up to @root is. */
  return gtk_widget_is_visible (find (root, ad_gui_test_is_label_with_text, text));
}

static void
on_notify_count (GObject    *object,
                 GParamSpec *pspec,
                 guint      *n)
{
  (*n)++;
}

/* The results and broken-links views, on a bare crawler's results: the
 * placeholders, the filters, the column sorters and the selection. */
static void
test_views (void)
{
  const char *no_results = "No results yet. Press Start: rows appear here as pages arrive.";
  const char *no_broken = "No broken links found.";
  g_autoptr(GError) error = NULL;
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, &error);
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  g_autoptr(AdCrawler) other = ad_crawler_new ();
  AdCrawlResultsView *results = AD_CRAWL_RESULTS_VIEW (ad_crawl_results_view_new ());
  AdBrokenLinksView *broken = AD_BROKEN_LINKS_VIEW (ad_broken_links_view_new ());
  GListModel *all = ad_crawler_get_results (crawler);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GListModel *shown = ad_crawl_results_view_get_shown_results (results);
  GtkColumnView *results_table, *broken_table;
  guint n_selected = 0;
  gboolean errors_only;

  g_assert_no_error (error);
  g_object_ref (results);
  g_object_ref (broken);
  gtk_widget_set_vexpand (GTK_WIDGET (results), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (broken), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (results));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (broken));
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  gtk_window_present (GTK_WINDOW (window));

  crawl_to_end (crawler, site);
  g_assert_true (is_placeholder_visible (GTK_WIDGET (results), no_results));
  g_assert_true (is_placeholder_visible (GTK_WIDGET (broken), no_broken));
  ad_crawl_results_view_set_crawler (results, crawler);
  ad_broken_links_view_set_crawler (broken, crawler);
  g_assert_true (ad_crawl_results_view_get_crawler (results) == crawler);
  g_assert_true (ad_broken_links_view_get_crawler (broken) == crawler);
  g_assert_false (is_placeholder_visible (GTK_WIDGET (results), no_results));
  g_assert_false (is_placeholder_visible (GTK_WIDGET (broken), no_broken));

  /* Filters: the URL text (any case, an empty text is none), errors only. */
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 24);
  ad_crawl_results_view_set_search (results, "/ARTICLES");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, count_matching (all, "/articles", FALSE));
  ad_crawl_results_view_set_search (results, "");
  g_assert_null (ad_crawl_results_view_get_search (results));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 24);
  g_object_set (results, "errors-only", TRUE, NULL);
  g_object_get (results, "errors-only", &errors_only, NULL);
  g_assert_true (errors_only);
  g_assert_true (ad_crawl_results_view_get_errors_only (results));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, count_matching (all, NULL, TRUE));
  g_assert_cmpuint (g_list_model_get_n_items (shown), <, 24);
  ad_crawl_results_view_set_errors_only (results, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 24);

  /* The column view's sorter drives the shown results. */
  results_table = GTK_COLUMN_VIEW (find_named (GTK_WIDGET (results), "results-view"));
  gtk_column_view_sort_by_column (results_table, column_titled (results_table, "Depth"),
                                  GTK_SORT_DESCENDING);
  check_sorted (shown, "depth", GTK_SORT_DESCENDING);

  /* Selection: the view says which row is selected, and when it changes. */
  ad_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (results_table))) == 24, 5000);
  g_signal_connect (results, "notify::selected-item", G_CALLBACK (on_notify_count), &n_selected);
  g_assert_null (ad_crawl_results_view_get_selected_item (results));
  gtk_selection_model_select_item (gtk_column_view_get_model (results_table), 0, TRUE);
  g_assert_cmpuint (n_selected, ==, 1);
  {
    g_autoptr(AdCrawlResult) first = g_list_model_get_item (shown, 0);

    g_assert_true (ad_crawl_results_view_get_selected_item (results) == first);
  }

  broken_table = GTK_COLUMN_VIEW (find_named (GTK_WIDGET (broken), "broken-view"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (broken_table))), ==, 6);
  n_selected = 0;
  g_signal_connect (broken, "notify::selected-item", G_CALLBACK (on_notify_count), &n_selected);
  g_assert_null (ad_broken_links_view_get_selected_item (broken));
  gtk_selection_model_select_item (gtk_column_view_get_model (broken_table), 5, TRUE);
  g_assert_cmpuint (n_selected, ==, 1);
  {
    g_autoptr(AdCrawlResult) last = g_list_model_get_item (ad_crawler_get_broken_links (crawler), 5);

    g_assert_true (ad_broken_links_view_get_selected_item (broken) == last);
    g_assert_true (ad_crawl_result_is_broken (last));
  }

  /* Another crawler, with nothing found yet. */
  ad_crawl_results_view_set_crawler (results, other);
  ad_broken_links_view_set_crawler (broken, other);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (broken_table))), ==, 0);
  g_assert_true (is_placeholder_visible (GTK_WIDGET (results), no_results));
  g_assert_true (is_placeholder_visible (GTK_WIDGET (broken), no_broken));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (results);
  g_assert_finalize_object (broken);
}

/* The settings form shows a crawler's settings and writes them back; the
 * per-host limit is at most the total one. */
static void
test_settings (void)
{
  AdCrawlSettings *settings = g_object_ref_sink (AD_CRAWL_SETTINGS (ad_crawl_settings_new ()));
  g_autoptr(AdCrawler) source = ad_crawler_new ();
  g_autoptr(AdCrawler) target = ad_crawler_new ();
  const char *names[] = { "max-in-flight", "max-per-host", "timeout", "deadline", "max-pages",
                          "max-depth", "per-host-delay", "scope", "ignore-robots" };
  guint per_host;

  g_object_set (source,
                "max-in-flight", 7, "max-per-host", 3, "timeout", 2500, "deadline", 60000,
                "max-pages", 123, "max-depth", 4, "per-host-delay", 250,
                "scope", AD_CRAWL_SCOPE_PATH_PREFIX, "ignore-robots", TRUE, NULL);
  ad_crawl_settings_load (settings, source);
  ad_crawl_settings_apply (settings, target);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GValue a = G_VALUE_INIT, b = G_VALUE_INIT;

      g_object_get_property (G_OBJECT (source), names[i], &a);
      g_object_get_property (G_OBJECT (target), names[i], &b);
      g_test_message ("%s", names[i]);
      g_assert_cmpint (g_param_values_cmp (g_object_class_find_property (G_OBJECT_GET_CLASS (source),
                                                                         names[i]), &a, &b), ==, 0);
      g_value_unset (&a);
      g_value_unset (&b);
    }

  g_object_set (source, "max-in-flight", 2, "max-per-host", 6, NULL);
  ad_crawl_settings_load (settings, source);
  ad_crawl_settings_apply (settings, target);
  g_object_get (target, "max-per-host", &per_host, NULL);
  g_assert_cmpuint (per_host, ==, 2);

  g_assert_finalize_object (settings);
}

int
main (int   argc,
      char *argv[])
{
  app = ad_gui_test_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add_func ("/crawler-page/sample-crawl", test_sample_crawl);
  g_test_add_func ("/crawler-page/cancel", test_cancel);
  g_test_add_func ("/crawler-page/bad-input", test_bad_input);
  g_test_add_func ("/crawler-page/fetch-list", test_fetch_list);
  g_test_add_func ("/crawler-page/close-during-run", test_close_during_run);
  g_test_add_func ("/crawler-page/behind-frames", test_behind_frames);
  g_test_add_func ("/crawler-page/large-crawl", test_large_crawl);
  g_test_add_func ("/crawler-page/counters", test_counters);
  g_test_add_func ("/crawler-page/views", test_views);
  g_test_add_func ("/crawler-page/settings", test_settings);
  /* The file chooser tests last: under valgrind, a test run after them
   * showed a GError lost inside libgtk (a cancelled GTask's callback,
   * reached from g_task_propagate_pointer), left over from the chooser. */
  g_test_add_func ("/crawler-page/export-error", test_export_error);
  g_test_add_func ("/crawler-page/close-with-chooser", test_close_with_chooser);

  return ad_gui_test_run (&app);
}
