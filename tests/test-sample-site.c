/* test-sample-site.c: the sample site on a thread with its own main loop
 *
 * ad_sample_site_new_in_thread() serves from a thread of its own: these
 * tests ask it for pages with blocking socket calls on the main thread,
 * whose main context is never iterated meanwhile, so only a site that
 * really serves from elsewhere can answer. A timeout on the socket turns
 * a site that does not into a failure rather than a hang.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-core.h"
#include "ad-sample-site-private.h"
#include "ad-test-utils.h"

#define SOCKET_TIMEOUT_S 5

static GSocketConnection *
connect_to (AdSampleSite *site)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (ad_sample_site_get_uri (site), G_URI_FLAGS_NONE, NULL);
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, SOCKET_TIMEOUT_S);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) g_uri_get_port (uri),
                                                NULL, &error);
  g_assert_no_error (error);

  return connection;
}

/* Sends a GET for @path and reads the whole answer (HTTP/1.0: the server
 * closes the connection after it), blocking. */
static char *
blocking_get (GSocketConnection *connection,
              const char        *path)
{
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char buffer[4096];
  gssize n;

  g_output_stream_write_all (output, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error)) > 0)
    g_string_append_len (answer, buffer, n);
  /* A timeout here: nobody served the request. */
  g_assert_no_error (error);

  return g_string_free (g_steal_pointer (&answer), FALSE);
}

static char *
get (AdSampleSite *site,
     const char   *path)
{
  g_autoptr(GSocketConnection) connection = connect_to (site);

  return blocking_get (connection, path);
}

static void
test_serves_while_blocked (void)
{
  g_autoptr(GError) error = NULL;
  AdSampleSite *site = ad_sample_site_new_in_thread (0, 0, &error);
  g_autofree char *about = NULL;
  g_autofree char *missing = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (site);
  g_assert_true (g_str_has_prefix (ad_sample_site_get_uri (site), "http://127.0.0.1:"));

  /* The main context is never iterated from here to the end. */
  about = get (site, "/about");
  g_assert_true (g_str_has_prefix (about, "HTTP/1.1 200 ") ||
                 g_str_has_prefix (about, "HTTP/1.0 200 "));
  g_assert_nonnull (strstr (about, "<h1>About</h1>"));
  missing = get (site, "/missing");
  g_assert_nonnull (strstr (missing, " 404 "));

  g_assert_cmpuint (ad_sample_site_get_requests (site), ==, 2);
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/about"), ==, 1);
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/missing"), ==, 1);

  g_assert_finalize_object (site);
}

static void
test_generated (void)
{
  g_autoptr(GError) error = NULL;
  AdSampleSite *site = ad_sample_site_new_in_thread (100, 3, &error);
  g_autofree char *page = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (ad_sample_site_get_start_url (site), "/gen/0"));
  page = get (site, "/gen/5");
  g_assert_nonnull (strstr (page, "<h1>Page 5</h1>"));
  g_assert_nonnull (strstr (page, "href=\"/gen/16\""));

  g_assert_finalize_object (site);
}

/* Asks the site for @path as @method under the host name @host (the
 * site's port added), blocking; returns the status line, headers and body. */
static char *
ask (AdSampleSite *site,
     const char   *method,
     const char   *host,
     const char   *path)
{
  g_autoptr(GSocketConnection) connection = connect_to (site);
  g_autoptr(GUri) uri = g_uri_parse (ad_sample_site_get_uri (site), G_URI_FLAGS_NONE, NULL);
  g_autofree char *request = g_strdup_printf ("%s %s HTTP/1.0\r\nHost: %s:%d\r\n\r\n",
                                              method, path, host, g_uri_get_port (uri));
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char buffer[4096];
  gssize n;

  g_output_stream_write_all (output, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error)) > 0)
    g_string_append_len (answer, buffer, n);
  g_assert_no_error (error);

  return g_string_free (g_steal_pointer (&answer), FALSE);
}

/* What the site answers, path by path (ad-sample-site-pages.c): the status
 * and one thing each answer must hold (a link, a header, a title). The
 * slow and the big pages are the crawler tests' (test-crawler.c). */
static void
test_pages (void)
{
  static const struct
  {
    guint       pages;
    guint       status;
    const char *method;
    const char *host;
    const char *path;
    const char *holds;
  } cases[] = {
    { 0, 200, "GET", "127.0.0.1", "/", "href=\"/redirect/1\"" },
    { 0, 200, "GET", "127.0.0.1", "/", "href=\"http://example.invalid/\"" },
    { 0, 200, "GET", "127.0.0.1", "/robots.txt", "Disallow: /private/" },
    { 0, 200, "GET", "127.0.0.1", "/style.css", "Content-Type: text/css" },
    { 0, 200, "GET", "127.0.0.1", "/about", "href=\"/gone\"" },
    { 0, 200, "GET", "127.0.0.1", "/articles/", "href=\"12\"" },
    { 0, 200, "GET", "127.0.0.1", "/articles/3", "href=\"/missing\"" },
    { 0, 200, "GET", "127.0.0.1", "/articles/7", "href=\"/articles/99\"" },
    { 0, 200, "GET", "127.0.0.1", "/articles/12", "href=\"/articles/1\"" },
    { 0, 404, "GET", "127.0.0.1", "/articles/99", "<h1>Not found</h1>" },
    { 0, 302, "GET", "127.0.0.1", "/redirect/1", "Location: /redirect/2\r\n" },
    { 0, 301, "GET", "127.0.0.1", "/redirect/2", "Location: 3\r\n" },
    { 0, 307, "GET", "127.0.0.1", "/redirect/3", "Location: /about\r\n" },
    { 0, 302, "GET", "127.0.0.1", "/loop/a", "Location: /loop/b\r\n" },
    { 0, 302, "GET", "127.0.0.1", "/loop/b", "Location: /loop/a\r\n" },
    { 0, 200, "GET", "127.0.0.1", "/private/secret", "<h1>Secret</h1>" },
    { 0, 404, "GET", "127.0.0.1", "/nowhere", "<h1>Not found</h1>" },
    { 0, 405, "POST", "127.0.0.1", "/", "" },
    { 0, 503, "GET", AD_SAMPLE_SITE_ROBOTS_ERROR_HOST, "/robots.txt", "try again later" },
    { 0, 200, "GET", AD_SAMPLE_SITE_ROBOTS_ERROR_HOST, "/about", "<h1>About</h1>" },
    { 20, 302, "GET", "127.0.0.1", "/", "Location: /gen/0\r\n" },
    { 20, 200, "GET", "127.0.0.1", "/gen/0", "href=\"/gen/3\"" },
    { 20, 200, "GET", "127.0.0.1", "/gen/6", "href=\"/gen/0\"" },
    { 20, 200, "GET", "127.0.0.1", "/gen/19", "<h1>Page 19</h1>" },
    { 20, 404, "GET", "127.0.0.1", "/gen/20", "<h1>Not found</h1>" },
    { 20, 404, "GET", "127.0.0.1", "/about", "<h1>Not found</h1>" },
  };
  g_autoptr(GError) error = NULL;
  AdSampleSite *sample = ad_sample_site_new_in_thread (0, 0, &error);
  AdSampleSite *generated;

  g_assert_no_error (error);
  generated = ad_sample_site_new_in_thread (20, 3, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AdSampleSite *site = cases[i].pages > 0 ? generated : sample;
      g_autofree char *answer = ask (site, cases[i].method, cases[i].host, cases[i].path);
      g_autofree char *status = g_strdup_printf (" %u ", cases[i].status);
      const char *line_end = strstr (answer, "\r\n");

      g_test_message ("%s %s%s", cases[i].method, cases[i].host, cases[i].path);
      g_assert_nonnull (line_end);
      g_assert_nonnull (g_strstr_len (answer, line_end - answer, status));
      g_assert_nonnull (strstr (answer, cases[i].holds));
    }

  g_assert_finalize_object (generated);
  g_assert_finalize_object (sample);
}

/* A delayed answer waits on a timeout of the site's own context. */
static void
test_delayed (void)
{
  g_autoptr(GError) error = NULL;
  AdSampleSite *site = ad_sample_site_new_in_thread (0, 0, &error);
  g_autofree char *about = NULL;
  gint64 start;

  g_assert_no_error (error);
  ad_sample_site_set_response_delay (site, 100);
  start = g_get_monotonic_time ();
  about = get (site, "/about");
  g_assert_nonnull (strstr (about, "<h1>About</h1>"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 100 * G_TIME_SPAN_MILLISECOND);

  g_assert_finalize_object (site);
}

/* A request the site never answers: disposing the site lets it go and
 * ends the thread, and the client sees the connection close. */
static void
test_dispose_with_pending (void)
{
  g_autoptr(GError) error = NULL;
  AdSampleSite *site = ad_sample_site_new_in_thread (0, 0, &error);
  g_autoptr(GSocketConnection) connection = NULL;
  GOutputStream *output;
  GInputStream *input;
  static const char request[] = "GET /never HTTP/1.0\r\n\r\n";
  char buffer[4096];
  gssize n;

  g_assert_no_error (error);
  connection = connect_to (site);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (output, request, sizeof request - 1, NULL, NULL, &error);
  g_assert_no_error (error);
  ad_test_wait_until (ad_sample_site_get_in_flight (site) == 1, 5000);

  g_assert_finalize_object (site);

  /* The paused answer was let go (503) or the connection closed. */
  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while ((n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error)) > 0)
    ;
  g_assert_cmpint (n, ==, 0);
}

/* The site as the tests of the crawler use it: on the creator's context,
 * which must run for it to answer. */
static void
test_same_thread (void)
{
  g_autoptr(GError) error = NULL;
  AdSampleSite *site = ad_sample_site_new (0, 0, &error);
  g_autoptr(GSocketConnection) connection = NULL;
  GOutputStream *output;
  GInputStream *input;
  static const char request[] = "GET /about HTTP/1.0\r\n\r\n";
  char buffer[65536];
  gssize n;

  g_assert_no_error (error);
  connection = connect_to (site);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (output, request, sizeof request - 1, NULL, NULL, &error);
  g_assert_no_error (error);
  ad_test_wait_until (ad_sample_site_get_requests (site) == 1, 5000);
  ad_test_spin (50);

  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  n = g_input_stream_read (input, buffer, sizeof buffer - 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  buffer[n] = '\0';
  g_assert_nonnull (strstr (buffer, " 200 "));

  g_assert_finalize_object (site);
}

int
main (int   argc,
      char *argv[])
{
  ad_test_keep_glib_quark_block ();
  g_test_init (&argc, &argv, NULL);
  ad_core_init ();

  g_test_add_func ("/sample-site/thread/serves-while-blocked", test_serves_while_blocked);
  g_test_add_func ("/sample-site/thread/generated", test_generated);
  g_test_add_func ("/sample-site/thread/pages", test_pages);
  g_test_add_func ("/sample-site/thread/delayed", test_delayed);
  g_test_add_func ("/sample-site/thread/dispose-with-pending", test_dispose_with_pending);
  g_test_add_func ("/sample-site/same-thread", test_same_thread);

  return g_test_run ();
}
