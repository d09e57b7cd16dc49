/* bench-html.c: link extraction, and the tokenizer's parts
 *
 * Prints µs per page, on a generated page of about 60 KB (head, scripts
 * and styles with '<' in them, comments, navigation lists, paragraphs with
 * inline markup and entities, a table), for:
 *  - ad_link_extract(): what the crawler runs: the tokenizer, each
 *    distinct target decoded and resolved once (plain paths by
 *    concatenation), the URLs deduplicated (libxml2's SAX parser before
 *    issue 15, then about 5x slower than the tokenizer);
 *  - ad_link_extract_list(), the same packed in one buffer with their
 *    hashes: what the crawler runs;
 *  - ad_html_tokenize() alone, with a callback that does nothing;
 *  - ad_html_extract_hrefs(): our tokenizer, values decoded, not resolved;
 *  - the same, then each value resolved with ad_url_resolve() and the
 *    URLs deduplicated: the whole job with GUri for every link, what
 *    ad_link_extract()'s deduplication and fast path save.
 * Each figure is the best of several rounds, in CPU time of this thread.
 * `bench-html FILE [URL]` measures a page of your own instead (such as one
 * of bench-crawl's generated pages); BENCH_HTML_QUICK=1 runs
 * ad_link_extract() 10 times only, for counting its instructions
 * (valgrind --tool=callgrind).
 * Never fails on speed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ad-core.h"
#include "ad-html-tokenizer.h"

static const char *BASE = "http://example.com/docs/guide/page.html";
static guint ROUNDS = 7;
static guint PER_ROUND = 100;
static guint WARM_UP = 10;

static GBytes *
make_page (void)
{
  GString *page = g_string_new (NULL);
  guint i = 0;

  g_string_append (page,
    "<!DOCTYPE html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
    "<title>Guide &mdash; Example</title>\n"
    "<link rel=stylesheet href=\"/static/site.css?v=3\">\n"
    "<link rel=icon href=/favicon.ico>\n"
    "<style>\nbody > nav a[href^=\"/\"] { color: #333 }\n.x::before { content: '<b>' }\n"
    "</style>\n"
    "<script>\nvar html = '<a href=\"/not-a-link\">x</a>';\nif (a < b && c > d) { go(); }\n"
    "</script>\n</head>\n<body class=\"guide page\">\n");

  while (page->len < (gsize) 60 * 1024)
    {
      g_string_append_printf (page,
        "<!-- section %u -->\n<nav class=\"menu\"><ul>\n"
        "<li><a href=\"/docs/%u/intro.html\" class=nav-link>Intro %u</a></li>\n"
        "<li><a href='../api/%u.html#methods' title=\"API &amp; more\">API</a></li>\n"
        "<li><a href=chapter-%u.html>Chapter</a></li>\n"
        "<li><a href=\"https://other.example.org/ref?id=%u&amp;lang=en\">Ref</a></li>\n"
        "</ul></nav>\n<h2 id=s%u>Section %u</h2>\n"
        "<p>Lorem ipsum dolor sit amet, <em>consectetur</em> adipiscing elit, sed do "
        "eiusmod tempor <strong>incididunt</strong> ut labore et dolore magna aliqua &ndash; "
        "see <a href=\"/docs/%u/details.html\">the details</a> or the <code>&lt;a&gt;</code> "
        "element. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris.</p>\n"
        "<p><img src=\"/img/%u.png\" alt=\"Figure %u\" width=640 height=480>"
        "<span class=caption>Figure %u: caf&eacute; &copy; 2024</span></p>\n"
        "<table class=data><tr><th>Name</th><th>Value</th></tr>"
        "<tr><td><a href=\"#row%u\">row</a></td><td>%u</td></tr></table>\n"
        "<script type=\"application/ld+json\">{\"@type\": \"Article\", \"n\": %u}</script>\n",
        i, i, i, i, i, i, i, i, i, i, i, i, i, i, i);
      i++;
    }
  g_string_append (page, "<footer><a href=/about>About</a> <a href=mailto:x@example.com>Mail</a>"
                         "</footer>\n</body>\n</html>\n");

  return g_string_free_to_bytes (page);
}

static volatile gsize sink;

typedef void (*Job) (GBytes *page);

static void
job_extract (GBytes *page)
{
  g_autoptr(GPtrArray) links = ad_link_extract (page, BASE, NULL, NULL, NULL);

  sink += links->len;
}

static void
job_extract_list (GBytes *page)
{
  g_autoptr(AdLinkList) list = ad_link_extract_list (page, BASE, NULL, NULL, NULL);

  sink += list->refs->len;
}

static gboolean
count_tag (const AdHtmlStartTag *tag,
           gpointer              user_data)
{
  sink += tag->n_attributes;
  return TRUE;
}

static void
job_tokenize_only (GBytes *page)
{
  gsize size;
  const char *data = g_bytes_get_data (page, &size);

  ad_html_tokenize (data, size, count_tag, NULL, NULL);
}

static void
job_tokenizer (GBytes *page)
{
  g_autoptr(AdHtmlHrefs) hrefs = ad_html_extract_hrefs (page, NULL, NULL, NULL);

  sink += hrefs->hrefs->len;
}

static void
job_tokenizer_resolved (GBytes *page)
{
  g_autoptr(AdHtmlHrefs) hrefs = ad_html_extract_hrefs (page, NULL, NULL, NULL);
  g_autoptr(GUri) document = g_uri_parse (BASE, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GUri) base = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (hrefs->base_href != NULL)
    base = g_uri_parse_relative (document, hrefs->base_href, G_URI_FLAGS_ENCODED, NULL);
  if (base == NULL)
    base = g_uri_ref (document);
  for (guint i = 0; i < hrefs->hrefs->len; i++)
    {
      const AdHtmlHref *href = g_ptr_array_index (hrefs->hrefs, i);
      char *url = ad_url_resolve (base, href->value);

      /* g_hash_table_add() would free the stored copy of a repeated URL
       * and keep this one: free this one instead. */
      if (url != NULL && g_hash_table_contains (seen, url))
        g_free (url);
      else if (url != NULL)
        g_hash_table_add (seen, url);
    }
  sink += g_hash_table_size (seen);
}

/* CPU time, not wall-clock time: the figures then hold on a machine that
 * other processes share. */
static gint64
cpu_time_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* µs of CPU per page: the best round. */
static double
measure (Job     job,
         GBytes *page)
{
  double best = G_MAXDOUBLE;

  for (guint i = 0; i < WARM_UP; i++)
    job (page);
  for (guint round = 0; round < ROUNDS; round++)
    {
      gint64 start = cpu_time_us ();

      for (guint i = 0; i < PER_ROUND; i++)
        job (page);
      best = MIN (best, (double) (cpu_time_us () - start) / PER_ROUND);
    }
  return best;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(AdHtmlHrefs) hrefs = NULL;
  double extract, extract_list, tokenize_only, tokenizer, resolved;

  ad_core_init ();
  if (argc > 1)
    {
      g_autoptr(GError) error = NULL;
      char *contents;
      gsize len;

      if (!g_file_get_contents (argv[1], &contents, &len, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      page = g_bytes_new_take (contents, len);
      if (argc > 2)
        BASE = argv[2];
    }
  else
    page = make_page ();
  if (g_strcmp0 (g_getenv ("BENCH_HTML_QUICK"), "1") == 0)
    {
      ROUNDS = 1;
      PER_ROUND = 10;
      WARM_UP = 0;
    }
  links = ad_link_extract (page, BASE, NULL, NULL, NULL);
  hrefs = ad_html_extract_hrefs (page, NULL, NULL, NULL);

  extract = measure (job_extract, page);
  if (WARM_UP == 0)
    {
      printf ("ad_link_extract (resolved, dedup):      %8.1f µs/page\n", extract);
      return 0;
    }
  extract_list = measure (job_extract_list, page);
  tokenize_only = measure (job_tokenize_only, page);
  tokenizer = measure (job_tokenizer, page);
  resolved = measure (job_tokenizer_resolved, page);

  printf ("page: %zu bytes, %u hrefs, %u distinct http(s) links\n",
          g_bytes_get_size (page), hrefs->hrefs->len, links->len);
  printf ("ad_link_extract (resolved, dedup):      %8.1f µs/page\n", extract);
  printf ("ad_link_extract_list (the crawler's):   %8.1f µs/page\n", extract_list);
  printf ("tokenizer alone (ad_html_tokenize):     %8.1f µs/page\n", tokenize_only);
  printf ("tokenizer (ad_html_extract_hrefs):      %8.1f µs/page\n", tokenizer);
  printf ("tokenizer + ad_url_resolve each + dedup: %7.1f µs/page  (%.1fx ad_link_extract)\n",
          resolved, resolved / extract);

  return 0;
}
