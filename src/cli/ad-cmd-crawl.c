/* ad-cmd-crawl.c: `async-demo crawl` and what `async-demo fetch` shares
 *
 * Both commands drive one AdCrawler on a plain GMainLoop and print each
 * result as the crawler publishes it (one line, or one JSON object with
 * --json), then a summary with the broken links and every page linking to
 * them. Exit status: 0 when no link was broken, 1 otherwise (or when the
 * deadline stopped the run), 2 for bad arguments, 130 when interrupted.
 *
 * Without a URL (or with --sample) the crawl runs against the built-in
 * sample site, served from this very process on 127.0.0.1, so the command
 * works with no network. The hidden --stats option measures the main
 * loop's responsiveness during the run: an AdLoopMonitor with a 1 ms
 * heartbeat notes how late each beat comes, and the summary reports the
 * worst stall.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "ad-cli-private.h"
#include "ad-core.h"

typedef struct
{
  CliRun         cli;
  AdCrawler     *crawler;
  AdLoopMonitor *monitor;     /* with --stats */
  GError        *error;
  /* One line, reused for every result (a crawl prints thousands a
   * second, on the crawler's main loop). */
  GString       *line;
} CrawlCli;

static void
print_result (CrawlCli      *crawl,
              AdCrawlResult *result)
{
  const char *referrer = ad_crawl_result_get_referrer (result);
  const char *error = ad_crawl_result_get_error_message (result);

  if (crawl->cli.json)
    {
      /* Written directly, not through json-glib's builder (see
       * ad_crawl_export_json_line()): a crawl prints thousands a second. */
      if (crawl->line == NULL)
        crawl->line = g_string_sized_new (512);
      g_string_truncate (crawl->line, 0);
      ad_crawl_export_json_line (crawl->line, result);
      fwrite (crawl->line->str, 1, crawl->line->len, stdout);
    }
  else
    {
      /* One line, built in a reused buffer and written to stdout's own
       * buffer (flushed once per batch of results): a fetch prints some
       * 10,000 lines a second. */
      g_autofree char *size = g_format_size (ad_crawl_result_get_size (result));
      guint code = ad_crawl_result_get_status (result);
      GString *line = crawl->line;

      if (line == NULL)
        line = crawl->line = g_string_sized_new (256);
      g_string_truncate (line, 0);
      if (code > 0)
        g_string_append_printf (line, "%3u", code);
      else
        g_string_append (line, "---");
      g_string_append_printf (line, " %10s %8.1f ms  %s", size,
                              ad_crawl_result_get_total_ms (result),
                              ad_crawl_result_get_url (result));
      if (ad_crawl_result_get_redirects (result) > 0)
        g_string_append_printf (line, " → %s", ad_crawl_result_get_final_url (result));
      if (error != NULL)
        g_string_append_printf (line, "  [%s]", error);
      if (referrer != NULL && ad_crawl_result_is_broken (result))
        g_string_append_printf (line, _("  (linked from %s)"), referrer);
      g_string_append_c (line, '\n');
      fwrite (line->str, 1, line->len, stdout);
    }
}

static void
results_changed_cb (GListModel *model,
                    guint       position,
                    guint       removed,
                    guint       added,
                    gpointer    user_data)
{
  CrawlCli *crawl = user_data;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(AdCrawlResult) result = g_list_model_get_item (model, i);

      print_result (crawl, result);
    }
  fflush (stdout);
}

static void
print_summary (CrawlCli *crawl)
{
  AdCrawler *crawler = crawl->crawler;
  GListModel *broken = ad_crawler_get_broken_links (crawler);
  guint n_broken = g_list_model_get_n_items (broken);
  double stall_ms = crawl->monitor ? ad_loop_monitor_get_max_latency (crawl->monitor) / 1000.0 : 0;
  guint64 beats = crawl->monitor ? ad_loop_monitor_get_n_samples (crawl->monitor) : 0;

  if (crawl->cli.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "summary");
      json_builder_set_member_name (builder, "pages");
      json_builder_add_int_value (builder, ad_crawler_get_done (crawler));
      json_builder_set_member_name (builder, "errors");
      json_builder_add_int_value (builder, ad_crawler_get_errors (crawler));
      json_builder_set_member_name (builder, "skipped");
      json_builder_add_int_value (builder, ad_crawler_get_skipped (crawler));
      json_builder_set_member_name (builder, "bytes");
      json_builder_add_int_value (builder, ad_crawler_get_bytes (crawler));
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_double_value (builder, ad_crawler_get_elapsed (crawler));
      json_builder_set_member_name (builder, "pages_per_second");
      json_builder_add_double_value (builder, ad_crawler_get_pages_per_second (crawler));
      if (crawl->monitor != NULL)
        {
          json_builder_set_member_name (builder, "max_stall_ms");
          json_builder_add_double_value (builder, stall_ms);
          json_builder_set_member_name (builder, "max_in_flight");
          json_builder_add_int_value (builder, ad_crawler_get_max_in_flight_seen (crawler));
          json_builder_set_member_name (builder, "mean_in_flight");
          json_builder_add_double_value (builder, ad_crawler_get_mean_in_flight (crawler));
          json_builder_set_member_name (builder, "mean_parsing");
          json_builder_add_double_value (builder, ad_crawler_get_mean_parsing (crawler));
          json_builder_set_member_name (builder, "mean_waiting");
          json_builder_add_double_value (builder, ad_crawler_get_mean_waiting (crawler));
        }
      json_builder_set_member_name (builder, "broken");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_broken; i++)
        {
          g_autoptr(AdCrawlResult) result = g_list_model_get_item (broken, i);
          const char * const *referrers = ad_crawl_result_get_referrers (result);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "url");
          json_builder_add_string_value (builder, ad_crawl_result_get_url (result));
          json_builder_set_member_name (builder, "status");
          json_builder_add_int_value (builder, ad_crawl_result_get_status (result));
          json_builder_set_member_name (builder, "error");
          if (ad_crawl_result_get_error_message (result) != NULL)
            json_builder_add_string_value (builder, ad_crawl_result_get_error_message (result));
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "referrers");
          json_builder_begin_array (builder);
          for (guint j = 0; referrers != NULL && referrers[j] != NULL; j++)
            json_builder_add_string_value (builder, referrers[j]);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      ad_cli_print_json (builder);
    }
  else
    {
      g_autofree char *bytes = g_format_size (ad_crawler_get_bytes (crawler));
      g_autofree char *pages = g_strdup_printf ("%u", ad_crawler_get_done (crawler));
      g_autofree char *errors = g_strdup_printf ("%u", ad_crawler_get_errors (crawler));
      g_autofree char *skipped = g_strdup_printf ("%u", ad_crawler_get_skipped (crawler));

      g_print ("\n");
      /* Translators: pages, errors, URLs skipped, bytes, seconds, pages per second */
      g_print (_("%s pages, %s errors, %s skipped by robots.txt, %s in %.2f s (%.0f pages/s)\n"),
               pages, errors, skipped, bytes, ad_crawler_get_elapsed (crawler),
               ad_crawler_get_pages_per_second (crawler));
      if (crawl->monitor != NULL)
        {
          g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, beats);

          g_print (_("Main loop: longest stall %.1f ms over %s beats; at most %u requests in "
                     "flight\n"),
                   stall_ms, n, ad_crawler_get_max_in_flight_seen (crawler));
        }
      if (n_broken == 0)
        g_print (_("No broken links.\n"));
      else
        g_print (_("Broken links:\n"));
      for (guint i = 0; i < n_broken; i++)
        {
          g_autoptr(AdCrawlResult) result = g_list_model_get_item (broken, i);
          const char * const *referrers = ad_crawl_result_get_referrers (result);
          const char *error = ad_crawl_result_get_error_message (result);

          if (error != NULL)
            g_print ("  %s  [%s]\n", ad_crawl_result_get_url (result), error);
          else
            g_print ("  %s  [%u]\n", ad_crawl_result_get_url (result),
                     ad_crawl_result_get_status (result));
          for (guint j = 0; referrers != NULL && referrers[j] != NULL; j++)
            g_print (_("      linked from %s\n"), referrers[j]);
        }
    }
  fflush (stdout);
}

static void
crawl_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CrawlCli *crawl = user_data;

  if (g_async_result_is_tagged (result, ad_crawler_crawl_async))
    ad_crawler_crawl_finish (AD_CRAWLER (source), result, &crawl->error);
  else
    ad_crawler_fetch_finish (AD_CRAWLER (source), result, &crawl->error);
  g_main_loop_quit (crawl->cli.loop);
}

/* Seconds from the command line as the crawler's milliseconds. 0 stays
 * "none"; any other value is at least 1 ms, not rounded down to none (a
 * --timeout of 0.0004 must not wait forever); and a value past what the
 * property holds (about 49 days) is clamped, not wrapped around to a
 * deadline of a few ms. */
static guint
seconds_to_ms (double seconds)
{
  double ms = seconds * 1000;

  if (!(ms > 0))
    return 0;
  if (ms >= G_MAXUINT)
    return G_MAXUINT;

  return MAX (1, (guint) (ms + 0.5));
}

/**
 * ad_cli_crawler_new:
 *
 * Returns: (transfer full): a crawler with the limits common to `crawl`
 *   and `fetch`, or %NULL after printing why the values are bad
 */
AdCrawler *
ad_cli_crawler_new (const char *command,
                    int         concurrency,
                    int         per_host,
                    double      timeout_s)
{
  if (concurrency < 1 || concurrency > 1024)
    {
      g_printerr (_("async-demo %s: --concurrency must be between 1 and 1024\n"), command);
      return NULL;
    }
  if (per_host < 0 || per_host > 1024)
    {
      g_printerr (_("async-demo %s: --per-host must be between 1 and 1024\n"), command);
      return NULL;
    }
  if (!(timeout_s >= 0) || timeout_s > 3600)
    {
      g_printerr (_("async-demo %s: --timeout must be between 0 and 3600 seconds\n"), command);
      return NULL;
    }

  return g_object_new (AD_TYPE_CRAWLER,
                       "max-in-flight", (guint) concurrency,
                       "max-per-host", (guint) (per_host > 0 ? MIN (per_host, concurrency)
                                                             : concurrency),
                       "timeout", seconds_to_ms (timeout_s),
                       NULL);
}

/**
 * ad_cli_run_crawler:
 * @start_url: (nullable): crawl from here, or else
 * @urls: (nullable): fetch these
 *
 * Runs the crawler to the end, printing as it goes.
 *
 * Returns: the exit status
 */
int
ad_cli_run_crawler (const char         *command,
                    AdCrawler          *crawler,
                    const char         *start_url,
                    const char * const *urls,
                    gboolean            json,
                    gboolean            stats)
{
  CrawlCli crawl = { 0 };
  GListModel *results = ad_crawler_get_results (crawler);
  int status;

  ad_cli_run_init (&crawl.cli);
  crawl.cli.json = json;
  crawl.crawler = crawler;

  g_signal_connect (results, "items-changed", G_CALLBACK (results_changed_cb), &crawl);
  if (stats)
    {
      crawl.monitor = ad_loop_monitor_new (NULL);
      ad_loop_monitor_set_interval (crawl.monitor, 1);
      ad_loop_monitor_start (crawl.monitor);
    }

  if (start_url != NULL)
    ad_crawler_crawl_async (crawler, start_url, crawl.cli.cancellable, crawl_done_cb, &crawl);
  else
    ad_crawler_fetch_async (crawler, urls, crawl.cli.cancellable, crawl_done_cb, &crawl);
  ad_cli_run_loop (&crawl.cli);

  if (crawl.monitor != NULL)
    ad_loop_monitor_stop (crawl.monitor);
  g_signal_handlers_disconnect_by_func (results, results_changed_cb, &crawl);

  if (crawl.cli.interrupted && g_error_matches (crawl.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    status = EXIT_CANCELLED;
  else if (crawl.error != NULL &&
           (g_error_matches (crawl.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ||
            crawl.error->domain == AD_URL_ERROR || crawl.error->domain == G_REGEX_ERROR))
    {
      g_printerr ("async-demo %s: %s\n", command, crawl.error->message);
      status = EXIT_BAD_ARGS;
    }
  else
    {
      print_summary (&crawl);
      if (crawl.error != NULL)
        g_printerr ("async-demo %s: %s\n", command, crawl.error->message);
      status = crawl.error != NULL ||
               g_list_model_get_n_items (ad_crawler_get_broken_links (crawler)) > 0
               ? EXIT_FAILURE : EXIT_SUCCESS;
    }

  g_clear_error (&crawl.error);
  g_clear_object (&crawl.monitor);
  if (crawl.line != NULL)
    g_string_free (crawl.line, TRUE);
  ad_cli_run_clear (&crawl.cli);

  return status;
}

/* Prints why @url cannot be crawled; returns whether it can. */
gboolean
ad_cli_check_url (const char *command,
                  const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normal = ad_url_normalize (url, &error);

  if (normal == NULL)
    {
      g_printerr ("async-demo %s: %s\n", command, error->message);
      return FALSE;
    }

  return TRUE;
}

int
ad_cmd_crawl (int    argc,
              char **argv)
{
  int concurrency = AD_CRAWLER_DEFAULT_MAX_IN_FLIGHT;
  int per_host = 0;
  int depth = AD_CRAWLER_DEFAULT_MAX_DEPTH;
  int max_pages = 0;
  double timeout_s = AD_CRAWLER_DEFAULT_TIMEOUT_MS / 1000.0;
  double deadline_s = 0;
  int delay_ms = 0;
  gboolean ignore_robots = FALSE;
  gboolean json = FALSE;
  gboolean sample = FALSE;
  gboolean stats = FALSE;
  int sample_pages = 0;
  int sample_links = 10;
  g_autofree char *scope = NULL;
  g_autofree char *include = NULL;
  g_autofree char *exclude = NULL;
  g_autofree char *user_agent = NULL;
  GOptionEntry entries[] = {
    { "concurrency", 'c', 0, G_OPTION_ARG_INT, &concurrency,
      N_("Requests in flight at most (default 16)"), N_("N") },
    { "per-host", 'p', 0, G_OPTION_ARG_INT, &per_host,
      N_("Requests in flight per host at most (default: the concurrency)"), N_("N") },
    { "depth", 'd', 0, G_OPTION_ARG_INT, &depth,
      N_("Follow links this many steps from the start (default 20)"), N_("D") },
    { "max-pages", 'n', 0, G_OPTION_ARG_INT, &max_pages,
      N_("Fetch at most this many pages (default: no limit)"), N_("N") },
    { "timeout", 't', 0, G_OPTION_ARG_DOUBLE, &timeout_s,
      N_("Give up on a request after this many seconds (default 10)"), N_("S") },
    { "deadline", 0, 0, G_OPTION_ARG_DOUBLE, &deadline_s,
      N_("Stop the whole crawl after this many seconds"), N_("S") },
    { "delay", 0, 0, G_OPTION_ARG_INT, &delay_ms,
      N_("Wait this long between requests to one host"), N_("MS") },
    { "scope", 0, 0, G_OPTION_ARG_STRING, &scope,
      N_("Which links to follow: host (default), path or any"), N_("SCOPE") },
    { "include", 0, 0, G_OPTION_ARG_STRING, &include,
      N_("Follow only URLs matching this regular expression"), N_("REGEX") },
    { "exclude", 0, 0, G_OPTION_ARG_STRING, &exclude,
      N_("Do not follow URLs matching this regular expression"), N_("REGEX") },
    { "user-agent", 0, 0, G_OPTION_ARG_STRING, &user_agent,
      N_("The User-Agent header and robots.txt name"), N_("AGENT") },
    { "ignore-robots", 0, 0, G_OPTION_ARG_NONE, &ignore_robots,
      N_("Do not fetch or obey robots.txt"), NULL },
    { "sample", 0, 0, G_OPTION_ARG_NONE, &sample,
      N_("Crawl the built-in sample site (the default without a URL)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON object per line"), NULL },
    { "sample-pages", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &sample_pages, NULL, NULL },
    { "sample-links", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &sample_links, NULL, NULL },
    { "stats", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &stats, NULL, NULL },
    { NULL }
  };
  g_autoptr(AdCrawler) crawler = NULL;
  g_autoptr(AdSampleSite) site = NULL;
  g_autoptr(GError) error = NULL;
  const char *start_url;
  AdCrawlScope scope_value = AD_CRAWL_SCOPE_HOST;

  if (!ad_cli_parse_options (entries, _("[URL]"),
                             _("Crawl a web site from URL and report broken links."),
                             &argc, &argv))
    return EXIT_BAD_ARGS;
  if (argc > 2)
    {
      g_printerr (_("async-demo crawl: unexpected argument “%s”\n"), argv[2]);
      return EXIT_BAD_ARGS;
    }
  if (argc == 2 && sample)
    {
      g_printerr (_("async-demo crawl: give a URL or --sample, not both\n"));
      return EXIT_BAD_ARGS;
    }
  if (argc == 2 && !ad_cli_check_url ("crawl", argv[1]))
    return EXIT_BAD_ARGS;
  if (depth < 0 || max_pages < 0 || delay_ms < 0 || delay_ms > 600000 ||
      !(deadline_s >= 0) || sample_pages < 0 || sample_links < 0 || sample_links > 10000)
    {
      g_printerr (_("async-demo crawl: the depth, page, delay and deadline limits must not be "
                    "negative\n"));
      return EXIT_BAD_ARGS;
    }
  if (scope != NULL)
    {
      if (g_str_equal (scope, "host"))
        scope_value = AD_CRAWL_SCOPE_HOST;
      else if (g_str_equal (scope, "path"))
        scope_value = AD_CRAWL_SCOPE_PATH_PREFIX;
      else if (g_str_equal (scope, "any"))
        scope_value = AD_CRAWL_SCOPE_ANY;
      else
        {
          g_printerr (_("async-demo crawl: --scope must be host, path or any\n"));
          return EXIT_BAD_ARGS;
        }
    }

  for (guint i = 0; i < 2; i++)
    {
      const char *pattern = i == 0 ? include : exclude;
      g_autoptr(GRegex) regex = pattern ? g_regex_new (pattern, 0, 0, &error) : NULL;

      if (pattern != NULL && regex == NULL)
        {
          g_printerr ("async-demo crawl: %s\n", error->message);
          return EXIT_BAD_ARGS;
        }
    }

  crawler = ad_cli_crawler_new ("crawl", concurrency, per_host, timeout_s);
  if (crawler == NULL)
    return EXIT_BAD_ARGS;
  g_object_set (crawler,
                "max-depth", (guint) depth,
                "max-pages", (guint) max_pages,
                "deadline", seconds_to_ms (deadline_s),
                "per-host-delay", (guint) delay_ms,
                "scope", scope_value,
                "include-pattern", include,
                "exclude-pattern", exclude,
                "ignore-robots", ignore_robots,
                NULL);
  if (user_agent != NULL)
    g_object_set (crawler, "user-agent", user_agent, NULL);

  if (argc == 2)
    start_url = argv[1];
  else
    {
      site = ad_sample_site_new ((guint) sample_pages, (guint) sample_links, &error);
      if (site == NULL)
        {
          g_printerr (_("async-demo crawl: cannot start the sample site: %s\n"), error->message);
          return EXIT_FAILURE;
        }
      start_url = ad_sample_site_get_start_url (site);
      g_printerr (_("Crawling the built-in sample site at %s\n"), ad_sample_site_get_uri (site));
    }

  return ad_cli_run_crawler ("crawl", crawler, start_url, NULL, json, stats);
}
