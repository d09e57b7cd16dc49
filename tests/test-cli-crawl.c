/* test-cli-crawl.c: `async-demo crawl` and `async-demo fetch` as a user runs them
 *
 * Most tests crawl a small site served by this process (a SoupServer on
 * 127.0.0.1, answering while the binary runs) that logs every path it is
 * asked for and when, so they can assert the exact set of pages a crawl
 * visits, how its requests are spaced and how many are in flight at
 * once. A page that never answers (/never) shows the units of --timeout
 * and --deadline; pages under /slow/ hold requests in flight.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ad-cli-test-utils.h"

/* How long a run may take at most (times the slow factor), and a run
 * whose timing is the point. */
#define RUN_LIMIT_MS 10000
#define TIMED_LIMIT_MS 5000

/* ---- a site served by the test process ---------------------------------- */

typedef struct
{
  SoupServer     *server;
  GSocketService *service;   /* accepts, and hands connections to server */
  char           *uri;       /* "http://127.0.0.1:PORT/" */
  GHashTable     *pages;     /* path → HTML; any other path is a 404 */
  char           *robots;    /* the body of /robots.txt, or NULL for a 404 */
  GPtrArray      *paths;     /* every path asked for, in order */
  GArray         *times;     /* and when (monotonic µs) */
  GPtrArray      *paused;    /* the /never requests, owned */
  GHashTable     *agents;    /* User-Agent headers seen (a set) */
  GPtrArray      *slow;      /* SlowAnswer: the /slow/ pages waiting */
  guint           in_flight; /* requests between the handler and "finished" */
  guint           max_in_flight;
} TestSite;

/* A page under /slow/ answers after SLOW_MS. */
#define SLOW_MS 300

typedef struct
{
  SoupServerMessage *msg;     /* owned */
  guint              id;      /* the timer, 0 once it ran */
} SlowAnswer;

static void
slow_answer_free (SlowAnswer *slow)
{
  g_clear_handle_id (&slow->id, g_source_remove);
  g_object_unref (slow->msg);
  g_free (slow);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static gboolean
slow_answer_cb (gpointer user_data)
{
  SlowAnswer *slow = user_data;

  slow->id = 0;
  respond (slow->msg, SOUP_STATUS_OK, "text/html", "<html><body>Slow</body></html>");
  soup_server_message_unpause (slow->msg);

  return G_SOURCE_REMOVE;
}

/* Requests in flight on every site of the test, and the most seen. */
static guint all_in_flight;
static guint all_max_in_flight;

static void
request_finished_cb (SoupServerMessage *msg,
                     gpointer           user_data)
{
  guint *in_flight = user_data;

  /* "finished" and "disconnected" (a client that gave up) may both come. */
  if (g_object_get_data (G_OBJECT (msg), "test-in-flight") == NULL)
    return;
  g_object_set_data (G_OBJECT (msg), "test-in-flight", NULL);
  (*in_flight)--;
  all_in_flight--;
}

static void
paused_gone_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), "test-gone", GINT_TO_POINTER (1));
}

static void
site_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  TestSite *site = user_data;
  gint64 now = g_get_monotonic_time ();
  const char *agent;
  const char *page;

  g_ptr_array_add (site->paths, g_strdup (path));
  g_array_append_val (site->times, now);
  agent = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                        "User-Agent");
  g_hash_table_add (site->agents, g_strdup (agent != NULL ? agent : "(none)"));
  site->in_flight++;
  site->max_in_flight = MAX (site->max_in_flight, site->in_flight);
  all_in_flight++;
  all_max_in_flight = MAX (all_max_in_flight, all_in_flight);
  g_object_set_data (G_OBJECT (msg), "test-in-flight", GINT_TO_POINTER (1));
  g_signal_connect (msg, "finished", G_CALLBACK (request_finished_cb), &site->in_flight);
  g_signal_connect (msg, "disconnected", G_CALLBACK (request_finished_cb), &site->in_flight);

  if (g_str_has_prefix (path, "/slow/"))
    {
      SlowAnswer *slow = g_new0 (SlowAnswer, 1);

      slow->msg = g_object_ref (msg);
      slow->id = g_timeout_add (SLOW_MS, slow_answer_cb, slow);
      g_ptr_array_add (site->slow, slow);
      soup_server_message_pause (msg);
      return;
    }

  if (g_str_equal (path, "/never"))
    {
      /* Never answered: the client gives up, or the site's teardown lets it go. */
      g_ptr_array_add (site->paused, g_object_ref (msg));
      g_signal_connect (msg, "finished", G_CALLBACK (paused_gone_cb), NULL);
      g_signal_connect (msg, "disconnected", G_CALLBACK (paused_gone_cb), NULL);
      soup_server_message_pause (msg);
      return;
    }
  if (g_str_equal (path, "/robots.txt") && site->robots != NULL)
    {
      respond (msg, SOUP_STATUS_OK, "text/plain", site->robots);
      return;
    }

  page = g_hash_table_lookup (site->pages, path);
  if (page != NULL)
    respond (msg, SOUP_STATUS_OK, "text/html", page);
  else
    respond (msg, SOUP_STATUS_NOT_FOUND, "text/html", "<html><body>Not found</body></html>");
}

static gboolean
site_incoming_cb (GSocketService    *service,
                  GSocketConnection *connection,
                  GObject           *source_object,
                  gpointer           user_data)
{
  TestSite *site = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  /* Not soup_server_listen_local(): libsoup 3.2's listener leaks what it accepts. */
  soup_server_accept_iostream (site->server, G_IO_STREAM (connection), local, remote, &error);
  g_assert_no_error (error);

  return TRUE;
}

static TestSite *
test_site_new (void)
{
  TestSite *site = g_new0 (TestSite, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  site->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (site->server, NULL, site_handler, site, NULL);
  site->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (site->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                 &error);
  g_assert_no_error (error);
  g_signal_connect (site->service, "incoming", G_CALLBACK (site_incoming_cb), site);
  site->uri = g_strdup_printf ("http://127.0.0.1:%u/",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  site->pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  site->paths = g_ptr_array_new_with_free_func (g_free);
  site->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  site->paused = g_ptr_array_new_with_free_func (g_object_unref);
  site->agents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  site->slow = g_ptr_array_new_with_free_func ((GDestroyNotify) slow_answer_free);

  return site;
}

static void
test_site_free (TestSite *site)
{
  /* Let every request still waiting go, then close the connections. */
  for (guint i = 0; i < site->paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (site->paused, i);

      g_signal_handlers_disconnect_by_func (msg, paused_gone_cb, NULL);
      if (g_object_get_data (G_OBJECT (msg), "test-gone") == NULL)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
          soup_server_message_unpause (msg);
        }
    }
  g_ptr_array_unref (site->slow);
  g_socket_service_stop (site->service);
  g_socket_listener_close (G_SOCKET_LISTENER (site->service));
  g_clear_object (&site->service);
  soup_server_remove_handler (site->server, NULL);
  soup_server_disconnect (site->server);
  g_clear_object (&site->server);
  g_ptr_array_unref (site->paused);
  g_ptr_array_unref (site->paths);
  g_array_unref (site->times);
  g_hash_table_unref (site->pages);
  g_hash_table_unref (site->agents);
  g_free (site->robots);
  g_free (site->uri);
  g_free (site);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestSite, test_site_free)

/* Serves an HTML page at @path whose links are @hrefs (NULL-terminated). */
static void
site_add_page (TestSite   *site,
               const char *path,
               ...)
{
  GString *html = g_string_new ("<!DOCTYPE html><html><head><title>Page</title></head><body>\n");
  va_list args;
  const char *href;

  va_start (args, path);
  while ((href = va_arg (args, const char *)) != NULL)
    g_string_append_printf (html, "<p><a href=\"%s\">%s</a></p>\n", href, href);
  va_end (args);
  g_string_append (html, "</body></html>\n");

  g_hash_table_replace (site->pages, g_strdup (path), g_string_free (html, FALSE));
}

/* Forgets the requests so far. */
static void
site_clear_log (TestSite *site)
{
  g_ptr_array_set_size (site->paths, 0);
  g_array_set_size (site->times, 0);
  g_hash_table_remove_all (site->agents);
  site->max_in_flight = site->in_flight;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every path the site was asked for, sorted, separated by spaces ("" for
 * none): a path asked twice appears twice. */
static char *
site_visited (TestSite *site)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (site->paths->len + 1);

  /* Borrowed strings: not g_ptr_array_copy(), which would free them too. */
  for (guint i = 0; i < site->paths->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (site->paths, i));
  g_ptr_array_sort (sorted, compare_strings);
  g_ptr_array_add (sorted, NULL);

  return g_strjoinv (" ", (char **) sorted->pdata);
}

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
