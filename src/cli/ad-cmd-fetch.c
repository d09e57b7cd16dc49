/* ad-cmd-fetch.c: `async-demo fetch URL…`
 *
 * The tutorial's example: fetch a list of URLs concurrently, as many in
 * flight as the limits allow, and print each result as it completes. No
 * link is followed. The URLs come from the command line and/or a file
 * (--input, "-" for standard input), one per line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "ad-cli-private.h"
#include "ad-core.h"

/* Threads that fetch, each with its own client, spread the
 * per-request cost over the cores; on two cores shared with the server the
 * hand-offs cost more than they spread (bench-crawl.sh on a quiet machine:
 * 10,700 pages/s at 94 µs of CPU a page on the main loop, 7,200 at 178 µs
 * with 2 threads), so the main loop is the default. */
#define AD_CLI_DEFAULT_FETCH_THREADS 0

static gboolean
read_url_list (const char  *path,
               GPtrArray   *urls,
               GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (g_str_equal (path, "-"))
    {
      g_autoptr(GString) text = g_string_new (NULL);
      char buf[4096];
      size_t n;

      while ((n = fread (buf, 1, sizeof buf, stdin)) > 0)
        g_string_append_len (text, buf, n);
      contents = g_string_free (g_steal_pointer (&text), FALSE);
    }
  else if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (line[0] != '\0' && line[0] != '#')
        g_ptr_array_add (urls, g_strdup (line));
    }

  return TRUE;
}

int
ad_cmd_fetch (int    argc,
              char **argv)
{
  int concurrency = AD_CRAWLER_DEFAULT_MAX_IN_FLIGHT;
  int per_host = 0;
  double timeout_s = AD_CRAWLER_DEFAULT_TIMEOUT_MS / 1000.0;
  int threads = AD_CLI_DEFAULT_FETCH_THREADS;
  gboolean json = FALSE;
  gboolean stats = FALSE;
  g_autofree char *input = NULL;
  GOptionEntry entries[] = {
    { "concurrency", 'c', 0, G_OPTION_ARG_INT, &concurrency,
      N_("Requests in flight at most (default 16)"), N_("N") },
    { "per-host", 'p', 0, G_OPTION_ARG_INT, &per_host,
      N_("Requests in flight per host at most (default: the concurrency)"), N_("N") },
    { "timeout", 't', 0, G_OPTION_ARG_DOUBLE, &timeout_s,
      N_("Give up on a request after this many seconds (default 10)"), N_("S") },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input,
      N_("Read more URLs from FILE, one per line (“-” for standard input)"), N_("FILE") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads,
      N_("Fetch on N threads, each with its own connections (default 0: on the main loop)"),
      N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON object per line"), NULL },
    { "stats", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &stats, NULL, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AdCrawler) crawler = NULL;
  g_autoptr(GError) error = NULL;

  if (!ad_cli_parse_options (entries, _("URL…"),
                             _("Fetch URLs concurrently and print each result as it completes."),
                             &argc, &argv))
    return EXIT_BAD_ARGS;

  for (int i = 1; i < argc; i++)
    g_ptr_array_add (urls, g_strdup (argv[i]));
  if (input != NULL && !read_url_list (input, urls, &error))
    {
      g_printerr ("async-demo fetch: %s\n", error->message);
      return EXIT_BAD_ARGS;
    }
  if (urls->len == 0)
    {
      g_printerr (_("async-demo fetch: give at least one URL\n"));
      return EXIT_BAD_ARGS;
    }
  if (threads < 0 || threads > AD_CRAWLER_MAX_FETCH_THREADS)
    {
      g_printerr (_("async-demo fetch: --threads must be between 0 and %d\n"),
                  AD_CRAWLER_MAX_FETCH_THREADS);
      return EXIT_BAD_ARGS;
    }
  /* A URL that is not one is reported by the crawler, which normalises
   * the list before it fetches any (as ad_cli_check_url() would, twice). */
  g_ptr_array_add (urls, NULL);

  crawler = ad_cli_crawler_new ("fetch", concurrency, per_host, timeout_s);
  if (crawler == NULL)
    return EXIT_BAD_ARGS;
  g_object_set (crawler, "fetch-threads", (guint) threads, NULL);

  return ad_cli_run_crawler ("fetch", crawler, NULL, (const char * const *) urls->pdata, json,
                             stats);
}
