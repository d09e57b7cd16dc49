/* test-crawler.c: the crawler against real servers on 127.0.0.1
 *
 * Every test serves an AdSampleSite (a SoupServer at a free port) on this
 * thread's main loop and crawls or fetches it with a real SoupSession and
 * the real thread pool: pages, errors, redirects, TLS, robots.txt, scope
 * and deadlines. The limits on requests in flight and parses at once, and
 * cancellation, are in test-crawler-limits.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ad-core.h"
#include "ad-crawl-result-private.h"
#include "ad-crawler-private.h"
#include "ad-sample-site-private.h"
#include "ad-tsan.h"
#include "ad-test-utils.h"

#include "crawler-test-fixture.h"

AD_TEST_TSAN_IGNORE_UNINSTRUMENTED ()

static AdCrawlResult *
find_result (GListModel *model,
             const char *url)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AdCrawlResult) result = g_list_model_get_item (model, i);

      if (g_str_equal (ad_crawl_result_get_url (result), url))
        return result;
    }

  return NULL;
}

/* Fetches @path of @site alone and returns its result. */
static AdCrawlResult *
fetch_one (AdCrawler    *crawler,
           AdSampleSite *site,
           const char   *path)
{
  g_autofree char *url = ad_sample_site_dup_url (site, path);
  const char *urls[] = { url, NULL };
  g_autoptr(GError) error = NULL;
  GListModel *results = ad_crawler_get_results (crawler);

  g_assert_true (run_crawler (crawler, NULL, urls, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);

  return g_list_model_get_item (results, 0);
}

static void
test_sample_site (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = ad_sample_site_dup_url (site, "/missing");
  g_autofree char *root = ad_sample_site_dup_url (site, "/");
  g_autofree char *article3 = ad_sample_site_dup_url (site, "/articles/3");
  g_autofree char *about = ad_sample_site_dup_url (site, "/about");
  g_autofree char *redirect = ad_sample_site_dup_url (site, "/redirect/1");
  GListModel *results = ad_crawler_get_results (crawler);
  GListModel *broken = ad_crawler_get_broken_links (crawler);
  AdCrawlResult *result;
  const char * const *referrers;

  g_assert_true (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_no_error (error);

  /* 25 pages in scope, one of them disallowed by robots.txt. */
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 24);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 24);
  g_assert_cmpuint (ad_crawler_get_skipped (crawler), ==, 1);
  g_assert_cmpuint (ad_crawler_get_errors (crawler), ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (broken), ==, 6);
  g_assert_false (ad_crawler_get_running (crawler));
  g_assert_cmpuint (ad_crawler_get_in_flight (crawler), ==, 0);
  g_assert_cmpuint (ad_crawler_get_queued (crawler), ==, 0);
  g_assert_cmpint (ad_crawler_get_limit (crawler), ==, AD_CRAWL_LIMIT_NONE);
  g_assert_cmpuint (ad_crawler_get_bytes (crawler), >, (guint64) 10 * 1024 * 1024);

  /* robots.txt once, the disallowed page never, every other page once. */
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/robots.txt"), ==, 1);
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/private/secret"), ==, 0);
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/articles/1"), ==, 1);
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/articles/12"), ==, 1);
  /* Once, as a link: the redirect chain stops where it reaches it. */
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/about"), ==, 1);
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/redirect/3"), ==, 1);

  /* A 404 is a status, reported with every page linking to it. */
  result = find_result (broken, missing);
  g_assert_nonnull (result);
  g_assert_cmpuint (ad_crawl_result_get_status (result), ==, 404);
  g_assert_null (ad_crawl_result_get_error (result));
  g_assert_true (ad_crawl_result_is_broken (result));
  referrers = ad_crawl_result_get_referrers (result);
  g_assert_cmpuint (g_strv_length ((GStrv) referrers), ==, 2);
  g_assert_true (g_strv_contains (referrers, root));
  g_assert_true (g_strv_contains (referrers, article3));

  /* The redirect chain ends on a page crawled already: its last
   * redirect (307) is the answer. */
  result = find_result (results, redirect);
  g_assert_nonnull (result);
  g_assert_cmpuint (ad_crawl_result_get_status (result), ==, 307);
  g_assert_false (ad_crawl_result_is_broken (result));
  g_assert_cmpuint (ad_crawl_result_get_redirects (result), ==, 3);
  g_assert_cmpstr (ad_crawl_result_get_final_url (result), ==, about);
  g_assert_cmpstr (ad_crawl_result_get_referrer (result), ==, root);

  result = find_result (results, root);
  g_assert_cmpuint (ad_crawl_result_get_depth (result), ==, 0);
  g_assert_cmpuint (ad_crawl_result_get_links (result), ==, 11);
  g_assert_cmpstr (ad_crawl_result_get_content_type (result), ==, "text/html");
  g_assert_null (ad_crawl_result_get_referrer (result));
  g_assert_cmpfloat (ad_crawl_result_get_ttfb_ms (result), <=,
                     ad_crawl_result_get_total_ms (result));

  /* The run's kept connections closed with it. */
  g_assert_cmpuint (ad_http_client_get_n_connected (ad_crawler_ensure_client (crawler)), ==, 0);

  g_clear_object (&crawler);
  g_assert_finalize_object (g_steal_pointer (&site));
}

static void
test_registry (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("crawl %s", ad_sample_site_get_start_url (site));
  AdTaskRegistry *registry = ad_task_registry_get_default ();
  GListModel *history = ad_task_registry_get_history (registry);
  g_autoptr(AdTask) group = NULL;
  GListModel *children;
  guint io = 0, cpu = 0;

  g_assert_true (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  ad_task_registry_flush (registry);

  /* The crawl is a finished group task… */
  for (guint i = g_list_model_get_n_items (history); i > 0 && group == NULL; i--)
    {
      g_autoptr(AdTask) task = g_list_model_get_item (history, i - 1);

      if (g_str_equal (ad_task_get_name (task), name))
        group = g_steal_pointer (&task);
    }
  g_assert_nonnull (group);
  g_assert_cmpint (ad_task_get_kind (group), ==, AD_TASK_KIND_GROUP);
  g_assert_cmpint (ad_task_get_state (group), ==, AD_TASK_STATE_SUCCEEDED);

  /* …with a fetch for robots.txt and each page, and the link extractions,
   * which ran on pool threads. A 404 is not a failed task. */
  children = ad_task_get_children (group);
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(AdTask) child = g_list_model_get_item (children, i);

      g_assert_true (ad_task_is_finished (child));
      if (ad_task_get_kind (child) == AD_TASK_KIND_IO)
        io++;
      else if (ad_task_get_kind (child) == AD_TASK_KIND_CPU)
        {
          cpu++;
          g_assert_cmpstr (ad_task_get_thread_name (child), !=, "main");
          g_assert_cmpint (ad_task_get_state (child), ==, AD_TASK_STATE_SUCCEEDED);
        }
      if (g_str_has_suffix (ad_task_get_name (child), "/missing"))
        g_assert_cmpint (ad_task_get_state (child), ==, AD_TASK_STATE_SUCCEEDED);
      if (g_str_has_suffix (ad_task_get_name (child), "/loop/a"))
        g_assert_cmpint (ad_task_get_state (child), ==, AD_TASK_STATE_FAILED);
    }
  g_assert_cmpuint (io, ==, 24 + 1);
  g_assert_cmpuint (cpu, >=, 10);
}

static void
test_ignore_robots (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(AdCrawler) crawler = g_object_new (AD_TYPE_CRAWLER, "ignore-robots", TRUE, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 25);
  g_assert_cmpuint (ad_crawler_get_skipped (crawler), ==, 0);
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/robots.txt"), ==, 0);
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/private/secret"), ==, 1);
}

static void
test_timeout (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(AdCrawler) crawler = g_object_new (AD_TYPE_CRAWLER, "timeout", 300, NULL);
  g_autoptr(AdCrawlResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  /* The server never answers /never. */
  result = fetch_one (crawler, site, "/never");
  g_assert_error ((GError *) ad_crawl_result_get_error (result), G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpuint (ad_crawl_result_get_status (result), ==, 0);
  g_assert_cmpfloat (ad_crawl_result_get_total_ms (result), >=, 290);
  g_assert_cmpint (g_get_monotonic_time () - start, <, (gint64) 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (ad_crawler_get_errors (crawler), ==, 1);
}

static void
test_body_limit (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  g_autoptr(AdCrawler) small = g_object_new (AD_TYPE_CRAWLER, "max-body-size", (guint64) 100, NULL);
  g_autoptr(AdCrawlResult) big = NULL;
  g_autoptr(AdCrawlResult) stream = NULL;
  g_autoptr(AdCrawlResult) page = NULL;

  /* Announced by Content-Length: stopped before reading any of it. */
  big = fetch_one (crawler, site, "/big");
  g_assert_error ((GError *) ad_crawl_result_get_error (big), AD_FETCH_ERROR,
                  AD_FETCH_ERROR_TOO_LARGE);
  g_assert_cmpuint (ad_crawl_result_get_size (big), ==, 0);

  /* Chunked: stopped at the limit, never buffered whole. */
  stream = fetch_one (crawler, site, "/big-stream");
  g_assert_error ((GError *) ad_crawl_result_get_error (stream), AD_FETCH_ERROR,
                  AD_FETCH_ERROR_TOO_LARGE);
  g_assert_cmpuint (ad_crawl_result_get_size (stream), >, AD_FETCH_DEFAULT_MAX_BODY_SIZE);
  g_assert_cmpuint (ad_crawl_result_get_size (stream), <=,
                    AD_FETCH_DEFAULT_MAX_BODY_SIZE + (guint64) 64 * 1024);

  page = fetch_one (small, site, "/about");
  g_assert_error ((GError *) ad_crawl_result_get_error (page), AD_FETCH_ERROR,
                  AD_FETCH_ERROR_TOO_LARGE);
}

static AdFetchResponse *
fetch_body (AdSampleSite *site,
            AdHttpClient *client,
            const char   *path)
{
  g_autofree char *url = ad_sample_site_dup_url (site, path);
  AdFetchOptions options = { 0 };
  Wait wait = { NULL, FALSE };
  g_autoptr(GError) error = NULL;
  AdFetchResponse *response;

  options.max_redirects = AD_FETCH_DEFAULT_MAX_REDIRECTS;
  options.max_body_size = (guint64) 64 * 1024 * 1024;
  options.keep_html = TRUE;
  ad_fetch_async (client, url, &options, NULL, wait_cb, &wait);
  ad_test_wait_for (wait.done, 60000);

  response = ad_fetch_finish (wait.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  g_assert_no_error (response->error);
  g_object_unref (wait.result);
  return response;
}

/* A kept body is read into one buffer, sized from the Content-Length or
 * grown while reading a chunked body: both arrive whole and the same. */
static void
test_body_kept (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(AdHttpClient) client = ad_http_client_new (NULL);
  g_autoptr(AdFetchResponse) sized = fetch_body (site, client, "/big");
  g_autoptr(AdFetchResponse) chunked = fetch_body (site, client, "/big-stream");

  g_assert_nonnull (sized->body);
  g_assert_nonnull (chunked->body);
  g_assert_cmpuint (g_bytes_get_size (sized->body), >, AD_FETCH_DEFAULT_MAX_BODY_SIZE);
  g_assert_cmpuint (g_bytes_get_size (sized->body), ==, sized->size);
  g_assert_cmpuint (g_bytes_get_size (chunked->body), ==, chunked->size);
  g_assert_true (g_bytes_equal (sized->body, chunked->body));
}

static void
test_redirects (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  g_autoptr(AdCrawler) strict = g_object_new (AD_TYPE_CRAWLER, "max-redirects", 2, NULL);
  g_autoptr(AdCrawlResult) loop = NULL;
  g_autoptr(AdCrawlResult) chain = NULL;
  g_autoptr(AdCrawlResult) too_many = NULL;
  g_autofree char *about = ad_sample_site_dup_url (site, "/about");

  loop = fetch_one (crawler, site, "/loop/a");
  g_assert_error ((GError *) ad_crawl_result_get_error (loop), AD_FETCH_ERROR,
                  AD_FETCH_ERROR_REDIRECT_LOOP);
  g_assert_cmpuint (ad_crawl_result_get_status (loop), ==, 302);
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/loop/a"), ==, 1);
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/loop/b"), ==, 1);

  chain = fetch_one (crawler, site, "/redirect/1");
  g_assert_null (ad_crawl_result_get_error (chain));
  g_assert_cmpuint (ad_crawl_result_get_status (chain), ==, 200);
  g_assert_cmpuint (ad_crawl_result_get_redirects (chain), ==, 3);
  g_assert_cmpstr (ad_crawl_result_get_final_url (chain), ==, about);

  too_many = fetch_one (strict, site, "/redirect/1");
  g_assert_error ((GError *) ad_crawl_result_get_error (too_many), AD_FETCH_ERROR,
                  AD_FETCH_ERROR_TOO_MANY_REDIRECTS);
}

static void
tls_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

typedef struct
{
  SoupServer      *server;
  GTlsCertificate *certificate;
} TlsSite;

static gboolean
tls_incoming_cb (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source_object,
                 TlsSite           *site)
{
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);

  /* The handshake happens on the first read; the server never sees it. */
  tls = g_tls_server_connection_new (G_IO_STREAM (connection), site->certificate, NULL);
  if (tls != NULL)
    soup_server_accept_iostream (site->server, tls, local, remote, NULL);
  return TRUE;
}

static void
test_tls_error (void)
{
  g_autofree char *pem = g_test_build_filename (G_TEST_DIST, "data", "self-signed.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AdCrawlResult) result = NULL;
  g_autofree char *url = NULL;
  const char *urls[] = { NULL, NULL };
  TlsSite site;

  certificate = g_tls_certificate_new_from_file (pem, &error);
  if (certificate == NULL)
    {
      g_test_skip_printf ("no TLS backend: %s", error->message);
      return;
    }

  /* An HTTPS server whose certificate no authority signed. */
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, tls_handler, NULL, NULL);
  site.server = server;
  site.certificate = certificate;
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &error));
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (tls_incoming_cb), &site);
  url = g_strdup_printf ("https://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  urls[0] = url;

  /* The crawler reports the TLS error; it never ignores it. */
  g_assert_true (run_crawler (crawler, NULL, urls, NULL, &error));
  result = g_list_model_get_item (ad_crawler_get_results (crawler), 0);
  g_assert_nonnull (ad_crawl_result_get_error (result));
  g_assert_true (ad_crawl_result_get_error (result)->domain == G_TLS_ERROR);
  g_assert_cmpuint (ad_crawl_result_get_status (result), ==, 0);
  g_assert_true (ad_crawl_result_is_broken (result));

  g_signal_handlers_disconnect_by_data (service, &site);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  soup_server_disconnect (server);
}

static void
test_max_pages_and_depth (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (1000, 8, NULL);
  g_autoptr(AdCrawler) crawler = g_object_new (AD_TYPE_CRAWLER, "max-pages", 50, NULL);
  g_autoptr(AdCrawler) shallow = g_object_new (AD_TYPE_CRAWLER, "max-depth", 1, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 50);

  /* The start page and its 8 links. */
  g_assert_true (run_crawler (shallow, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_cmpuint (ad_crawler_get_done (shallow), ==, 9);
}

static void
test_scope (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autofree char *articles = ad_sample_site_dup_url (site, "/articles/");
  g_autoptr(AdCrawler) prefix = g_object_new (AD_TYPE_CRAWLER,
                                              "scope", AD_CRAWL_SCOPE_PATH_PREFIX, NULL);
  g_autoptr(AdCrawler) exclude = g_object_new (AD_TYPE_CRAWLER,
                                               "exclude-pattern", "/articles/[0-9]+$", NULL);
  g_autoptr(GError) error = NULL;
  GListModel *results = ad_crawler_get_results (prefix);

  /* The articles index, its 12 articles and the broken /articles/99. */
  g_assert_true (run_crawler (prefix, articles, NULL, NULL, &error));
  g_assert_cmpuint (ad_crawler_get_done (prefix), ==, 14);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(AdCrawlResult) result = g_list_model_get_item (results, i);

      g_assert_true (g_str_has_prefix (ad_crawl_result_get_url (result), articles));
    }

  /* Without the 12 articles, /articles/99 and /articles/3's /missing. */
  g_assert_true (run_crawler (exclude, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_cmpuint (ad_crawler_get_done (exclude), ==, 24 - 13);
}

static void
test_bad_arguments (void)
{
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  g_autoptr(AdCrawler) bad_regex = g_object_new (AD_TYPE_CRAWLER, "include-pattern", "([", NULL);
  g_autoptr(GError) error = NULL;
  const char *urls[] = { "http://127.0.0.1:1/", "not a url", NULL };

  g_assert_false (run_crawler (crawler, "no-scheme.example/x", NULL, NULL, &error));
  g_assert_error (error, AD_URL_ERROR, AD_URL_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (run_crawler (crawler, "ftp://example.com/", NULL, NULL, &error));
  g_assert_error (error, AD_URL_ERROR, AD_URL_ERROR_UNSUPPORTED_SCHEME);
  g_clear_error (&error);

  g_assert_false (run_crawler (crawler, NULL, urls, NULL, &error));
  g_assert_error (error, AD_URL_ERROR, AD_URL_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (run_crawler (bad_regex, "http://127.0.0.1:1/", NULL, NULL, &error));
  g_assert_true (error->domain == G_REGEX_ERROR);
  g_assert_cmpuint (g_list_model_get_n_items (ad_crawler_get_results (crawler)), ==, 0);
}

static void
test_connection_refused (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  g_autofree char *url = g_strdup (ad_sample_site_get_uri (site));
  g_autoptr(GError) error = NULL;
  g_autoptr(AdCrawlResult) result = NULL;

  /* Nothing listens on the port any more. */
  g_assert_finalize_object (g_steal_pointer (&site));
  g_assert_true (run_crawler (crawler, url, NULL, NULL, &error));
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 1);
  result = g_list_model_get_item (ad_crawler_get_results (crawler), 0);
  g_assert_nonnull (ad_crawl_result_get_error (result));
  g_assert_cmpuint (g_list_model_get_n_items (ad_crawler_get_broken_links (crawler)), ==, 1);
}

/* Rejects the page /about, as if it could not be read. */
static GPtrArray *
extract_rejecting_about (GBytes        *html,
                         const char    *base_url,
                         const char    *charset,
                         GCancellable  *cancellable,
                         GError       **error)
{
  if (g_str_has_suffix (base_url, "/about"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "unreadable page");
      return NULL;
    }
  return ad_link_extract (html, base_url, charset, cancellable, error);
}

static void
test_parse_error (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(AdCrawler) crawler = g_object_new (AD_TYPE_CRAWLER, "exclude-pattern", "/slow$",
                                               NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *about_url = ad_sample_site_dup_url (site, "/about");
  g_autofree char *gone = ad_sample_site_dup_url (site, "/gone");
  g_autofree char *article12 = ad_sample_site_dup_url (site, "/articles/12");
  GListModel *results = ad_crawler_get_results (crawler);
  AdCrawlResult *about;

  ad_crawler_set_extract_func (crawler, extract_rejecting_about);
  g_assert_true (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_no_error (error);

  /* The page came and says why the crawl did not go on from it… */
  about = find_result (results, about_url);
  g_assert_nonnull (about);
  g_assert_cmpuint (ad_crawl_result_get_status (about), ==, 200);
  g_assert_error (ad_crawl_result_get_error (about), G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (ad_crawl_result_get_error_message (about), "unreadable page"));
  g_assert_cmpuint (ad_crawl_result_get_links (about), ==, 0);
  g_assert_true (ad_crawl_result_is_broken (about));
  /* …so /gone, linked from /about only, was never asked for… */
  g_assert_null (find_result (results, gone));
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/gone"), ==, 0);
  /* …and the crawl went on everywhere else. */
  g_assert_nonnull (find_result (results, article12));
  g_assert_cmpuint (ad_crawl_result_get_links (find_result (results, article12)), >, 0);
}

static void
test_robots_server_error (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (ad_sample_site_get_uri (site), G_URI_FLAGS_NONE, NULL);
  g_autofree char *start = g_strdup_printf ("http://%s:%d/", AD_SAMPLE_SITE_ROBOTS_ERROR_HOST,
                                            g_uri_get_port (uri));

  /* robots.txt answers 503: RFC 9309 makes the whole host disallowed. */
  g_test_expect_message ("AsyncDemo-Crawler", G_LOG_LEVEL_DEBUG,
                         "robots.txt of http://localhost:* answered 503: nothing*RFC 9309*");
  g_assert_true (run_crawler (crawler, start, NULL, NULL, &error));
  g_assert_no_error (error);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (ad_sample_site_count_requests (site, "/robots.txt"), ==, 1);
  g_assert_cmpuint (ad_sample_site_get_requests (site), ==, 1);
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (ad_crawler_get_results (crawler)), ==, 0);
  /* The start page is reported as skipped because of robots.txt. */
  g_assert_cmpuint (ad_crawler_get_skipped (crawler), ==, 1);

  /* The same site under its address has a robots.txt, and gets crawled. */
  ad_sample_site_reset_counters (site);
  g_object_set (crawler, "max-pages", 2, NULL);
  g_assert_true (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, 2);
  g_assert_cmpuint (ad_crawler_get_skipped (crawler), ==, 0);
}

static void
test_deadline (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(AdCrawler) crawler = g_object_new (AD_TYPE_CRAWLER, "deadline", 400, NULL);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* /slow takes 1.5 s: the deadline stops the crawl before. */
  g_assert_false (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1400000);
  g_assert_cmpuint (ad_crawler_get_done (crawler), >, 0);
  g_assert_cmpuint (ad_crawler_get_done (crawler), <, 24);
}

static void
test_busy (void)
{
  g_autoptr(AdSampleSite) site = ad_sample_site_new (0, 0, NULL);
  g_autoptr(AdCrawler) crawler = ad_crawler_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;

  ad_crawler_crawl_async (crawler, ad_sample_site_get_start_url (site), NULL,
                          ad_test_store_result, &first);
  ad_crawler_crawl_async (crawler, ad_sample_site_get_start_url (site), NULL,
                          ad_test_store_result, &second);
  ad_test_wait_result (&second, 60000);
  g_assert_false (ad_crawler_crawl_finish (crawler, second, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);
  ad_test_wait_result (&first, 600000);
  g_assert_true (ad_crawler_crawl_finish (crawler, first, &error));
}

static void
test_big_site (void)
{
  /* 10,000 pages; under valgrind (AD_TEST_SLOW) 1,000 prove the same
   * exact counts in a tenth of the time. */
  guint n_pages = g_getenv ("AD_TEST_SLOW") ? 1000 : 10000;
  g_autoptr(AdSampleSite) site = ad_sample_site_new (n_pages, 8, NULL);
  g_autoptr(AdCrawler) crawler = g_object_new (AD_TYPE_CRAWLER, "max-in-flight", 16, NULL);
  g_autoptr(GHashTable) urls = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GListModel *results = ad_crawler_get_results (crawler);

  g_assert_true (run_crawler (crawler, ad_sample_site_get_start_url (site), NULL, NULL, &error));
  g_assert_no_error (error);

  /* Every page exactly once, none broken, each with its 8 links. */
  g_assert_cmpuint (ad_crawler_get_done (crawler), ==, n_pages);
  g_assert_cmpuint (ad_crawler_get_errors (crawler), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, n_pages);
  g_assert_cmpuint (g_list_model_get_n_items (ad_crawler_get_broken_links (crawler)), ==, 0);
  g_assert_cmpuint (ad_sample_site_get_requests (site), ==, n_pages + 1 /* robots.txt */);
  for (guint i = 0; i < n_pages; i++)
    {
      g_autoptr(AdCrawlResult) result = g_list_model_get_item (results, i);

      g_assert_cmpuint (ad_crawl_result_get_status (result), ==, 200);
      g_assert_cmpuint (ad_crawl_result_get_links (result), ==, 8);
      g_assert_true (g_hash_table_add (urls, (gpointer) ad_crawl_result_get_url (result)));
    }
  g_assert_cmpuint (g_hash_table_size (urls), ==, n_pages);
  g_test_message ("%u pages in %.2f s (%.0f pages/s)", n_pages, ad_crawler_get_elapsed (crawler),
                  ad_crawler_get_pages_per_second (crawler));
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crawler/sample-site", test_sample_site);
  g_test_add_func ("/crawler/registry", test_registry);
  g_test_add_func ("/crawler/ignore-robots", test_ignore_robots);
  g_test_add_func ("/crawler/timeout", test_timeout);
  g_test_add_func ("/crawler/body-limit", test_body_limit);
  g_test_add_func ("/crawler/body-kept", test_body_kept);
  g_test_add_func ("/crawler/redirects", test_redirects);
  g_test_add_func ("/crawler/tls-error", test_tls_error);
  g_test_add_func ("/crawler/max-pages-and-depth", test_max_pages_and_depth);
  g_test_add_func ("/crawler/scope", test_scope);
  g_test_add_func ("/crawler/bad-arguments", test_bad_arguments);
  g_test_add_func ("/crawler/connection-refused", test_connection_refused);
  g_test_add_func ("/crawler/parse-error", test_parse_error);
  g_test_add_func ("/crawler/robots-server-error", test_robots_server_error);
  g_test_add_func ("/crawler/deadline", test_deadline);
  g_test_add_func ("/crawler/busy", test_busy);
  g_test_add_func ("/crawler/10000-pages", test_big_site);

  return crawler_test_run ();
}
