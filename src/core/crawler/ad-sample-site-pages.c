/* ad-sample-site-pages.c: what the sample site answers
 *
 * The content of the site, path by path: the hand-made site (pages == 0)
 * with every case a crawler meets, the generated K-ary tree of /gen/N
 * pages (pages > 0), and robots.txt's 503 under the host name
 * AD_SAMPLE_SITE_ROBOTS_ERROR_HOST (see ad-sample-site.c for the site as a
 * whole). Every answer goes through ad_sample_site_reply(), so the tests'
 * response delay applies to all of them, on the serving thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-SampleSite"

#include "config.h"

#include <string.h>

#include "ad-sample-site-private.h"

#define N_ARTICLES 12
#define STREAM_SLICE ((gsize) 256 * 1024)

static void
reply_html (AdSampleSite      *self,
            SoupServerMessage *msg,
            guint              status,
            GString           *html)
{
  g_autoptr(GBytes) body = g_string_free_to_bytes (html);

  ad_sample_site_reply (self, msg, status, "text/html; charset=utf-8", body, NULL);
}

static void
redirect (AdSampleSite      *self,
          SoupServerMessage *msg,
          guint              status,
          const char        *location)
{
  ad_sample_site_reply (self, msg, status, NULL, NULL, location);
}

static GString *
page_start (const char *title)
{
  GString *html = g_string_new (NULL);

  g_string_append_printf (html,
                          "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<title>%s</title><link rel=\"stylesheet\" href=\"/style.css\">"
                          "</head>\n<body><h1>%s</h1>\n",
                          title, title);
  return html;
}

static void
page_link (GString    *html,
           const char *href,
           const char *text)
{
  g_string_append_printf (html, "<p><a href=\"%s\">%s</a></p>\n", href, text);
}

static GString *
page_end (GString *html)
{
  g_string_append (html, "</body></html>\n");
  return html;
}

static GBytes *
get_big (AdSampleSite *self)
{
  if (self->big == NULL)
    {
      static const char head[] = "<!DOCTYPE html><html><body><p>";
      char *data = g_malloc (AD_SAMPLE_SITE_BIG_SIZE);

      memset (data, 'x', AD_SAMPLE_SITE_BIG_SIZE);
      memcpy (data, head, sizeof head - 1);
      self->big = g_bytes_new_take (data, AD_SAMPLE_SITE_BIG_SIZE);
    }

  return self->big;
}

static void
serve_big (AdSampleSite      *self,
           SoupServerMessage *msg,
           gboolean           chunked)
{
  GBytes *big = get_big (self);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize size = g_bytes_get_size (big);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "text/html", NULL);
  if (!chunked)
    {
      soup_message_body_append_bytes (body, big);
      return;
    }

  /* No Content-Length: the crawler finds out while reading. */
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  for (gsize offset = 0; offset < size; offset += STREAM_SLICE)
    {
      g_autoptr(GBytes) slice = g_bytes_new_from_bytes (big, offset,
                                                        MIN (STREAM_SLICE, size - offset));

      soup_message_body_append_bytes (body, slice);
    }
  soup_message_body_complete (body);
}

static void
serve_article (AdSampleSite      *self,
               SoupServerMessage *msg,
               guint              n)
{
  g_autofree char *title = g_strdup_printf ("Article %u", n);
  g_autofree char *next = g_strdup_printf ("/articles/%u", n % N_ARTICLES + 1);
  GString *html = page_start (title);

  g_string_append (html, "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n");
  page_link (html, next, "Next article");
  page_link (html, "/articles/", "All articles");
  page_link (html, "../", "Home (relative)");
  if (n == 3)
    page_link (html, "/missing", "A page that is gone");
  if (n == 7)
    page_link (html, "/articles/99", "An article that never was");
  reply_html (self, msg, SOUP_STATUS_OK, page_end (html));
}

static void
serve_sample (AdSampleSite      *self,
              SoupServerMessage *msg,
              const char        *path)
{
  GString *html;
  guint64 n;

  if (g_str_equal (path, "/"))
    {
      html = page_start ("Async Demo sample site");
      g_string_append (html, "<p>A small site with every case a crawler meets.</p>\n");
      page_link (html, "about", "About");
      page_link (html, "/articles/", "Articles");
      page_link (html, "/missing", "A broken link");
      page_link (html, "/redirect/1", "A redirect chain");
      page_link (html, "/loop/a", "A redirect loop");
      page_link (html, "/slow", "A slow page");
      page_link (html, "/big", "A page over the size limit");
      page_link (html, "/big-stream", "A streamed page over the size limit");
      page_link (html, "/private/secret", "Disallowed by robots.txt");
      page_link (html, "#top", "A fragment");
      page_link (html, "mailto:hello@example.org", "Mail");
      page_link (html, "javascript:void(0)", "Script");
      page_link (html, "http://example.invalid/", "Out of scope");
      reply_html (self, msg, SOUP_STATUS_OK, page_end (html));
    }
  else if (g_str_equal (path, "/robots.txt"))
    {
      static const char robots[] = "# The Async Demo sample site\n"
                                   "User-agent: *\n"
                                   "Disallow: /private/\n";
      g_autoptr(GBytes) body = g_bytes_new_static (robots, sizeof robots - 1);

      ad_sample_site_reply (self, msg, SOUP_STATUS_OK, "text/plain", body, NULL);
    }
  else if (g_str_equal (path, "/style.css"))
    {
      static const char css[] = "body { font-family: sans-serif; }\n";
      g_autoptr(GBytes) body = g_bytes_new_static (css, sizeof css - 1);

      ad_sample_site_reply (self, msg, SOUP_STATUS_OK, "text/css", body, NULL);
    }
  else if (g_str_equal (path, "/about"))
    {
      html = page_start ("About");
      page_link (html, "/", "Home");
      page_link (html, "/articles/1", "The first article");
      page_link (html, "/gone", "Another broken link");
      reply_html (self, msg, SOUP_STATUS_OK, page_end (html));
    }
  else if (g_str_equal (path, "/articles/"))
    {
      html = page_start ("Articles");
      for (guint i = 1; i <= N_ARTICLES; i++)
        {
          g_autofree char *href = g_strdup_printf ("%u", i);
          g_autofree char *text = g_strdup_printf ("Article %u", i);

          page_link (html, href, text);
        }
      reply_html (self, msg, SOUP_STATUS_OK, page_end (html));
    }
  else if (g_str_has_prefix (path, "/articles/") &&
           g_ascii_string_to_unsigned (path + strlen ("/articles/"), 10, 1, N_ARTICLES, &n, NULL))
    serve_article (self, msg, (guint) n);
  else if (g_str_equal (path, "/redirect/1"))
    redirect (self, msg, SOUP_STATUS_FOUND, "/redirect/2");
  else if (g_str_equal (path, "/redirect/2"))
    redirect (self, msg, SOUP_STATUS_MOVED_PERMANENTLY, "3");
  else if (g_str_equal (path, "/redirect/3"))
    redirect (self, msg, SOUP_STATUS_TEMPORARY_REDIRECT, "/about");
  else if (g_str_equal (path, "/loop/a"))
    redirect (self, msg, SOUP_STATUS_FOUND, "/loop/b");
  else if (g_str_equal (path, "/loop/b"))
    redirect (self, msg, SOUP_STATUS_FOUND, "/loop/a");
  else if (g_str_equal (path, "/slow"))
    {
      g_autoptr(GBytes) body = NULL;

      html = page_end (page_start ("Slow"));
      body = g_string_free_to_bytes (html);
      ad_sample_site_answer_later (self, msg, AD_SAMPLE_SITE_SLOW_MS, SOUP_STATUS_OK, "text/html",
                                   body, NULL);
    }
  else if (g_str_equal (path, "/never"))
    ad_sample_site_answer_later (self, msg, G_MAXUINT, SOUP_STATUS_OK, NULL, NULL, NULL);
  else if (g_str_equal (path, "/big"))
    serve_big (self, msg, FALSE);
  else if (g_str_equal (path, "/big-stream"))
    serve_big (self, msg, TRUE);
  else if (g_str_equal (path, "/private/secret"))
    {
      html = page_start ("Secret");
      reply_html (self, msg, SOUP_STATUS_OK, page_end (html));
    }
  else
    {
      html = page_start ("Not found");
      page_link (html, "/", "Home");
      reply_html (self, msg, SOUP_STATUS_NOT_FOUND, page_end (html));
    }
}

static void
serve_generated (AdSampleSite      *self,
                 SoupServerMessage *msg,
                 const char        *path)
{
  guint64 n;

  if (g_str_equal (path, "/"))
    redirect (self, msg, SOUP_STATUS_FOUND, "/gen/0");
  else if (g_str_has_prefix (path, "/gen/") &&
           g_ascii_string_to_unsigned (path + strlen ("/gen/"), 10, 0, self->pages - 1, &n, NULL))
    {
      GString *html = g_string_new (NULL);

      g_string_append_printf (html, "<!DOCTYPE html><html><head><title>Page %u</title></head>"
                              "<body><h1>Page %u</h1><ul>", (guint) n, (guint) n);
      for (guint j = 0; j < self->links_per_page; j++)
        {
          guint target = (guint) ((n * self->links_per_page + j + 1) % self->pages);

          g_string_append_printf (html, "<li><a href=\"/gen/%u\">%u</a>", target, target);
        }
      g_string_append (html, "</ul></body></html>\n");
      reply_html (self, msg, SOUP_STATUS_OK, html);
    }
  else
    reply_html (self, msg, SOUP_STATUS_NOT_FOUND, page_end (page_start ("Not found")));
}

/* Answers @msg for @path: the hand-made or the generated site, or 503 for
 * robots.txt under AD_SAMPLE_SITE_ROBOTS_ERROR_HOST. */
void
ad_sample_site_serve_page (AdSampleSite      *self,
                           SoupServerMessage *msg,
                           const char        *path)
{
  if (g_str_equal (path, "/robots.txt") &&
      g_strcmp0 (g_uri_get_host (soup_server_message_get_uri (msg)),
                 AD_SAMPLE_SITE_ROBOTS_ERROR_HOST) == 0)
    {
      static const char text[] = "Service unavailable: try again later\n";
      g_autoptr(GBytes) body = g_bytes_new_static (text, sizeof text - 1);

      ad_sample_site_reply (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "text/plain", body,
                            NULL);
    }
  else if (self->pages > 0)
    serve_generated (self, msg, path);
  else
    serve_sample (self, msg, path);
}
