/* cli-crawl-test-site.c: the site test-cli-crawl.c and test-cli-crawl-visits.c crawl
 *
 * See cli-crawl-test-site.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cli-crawl-test-site.h"

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
guint all_in_flight;
guint all_max_in_flight;

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

TestSite *
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

void
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

/* Serves an HTML page at @path whose links are @hrefs (NULL-terminated). */
void
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
void
site_clear_log (TestSite *site)
{
  g_ptr_array_set_size (site->paths, 0);
  g_array_set_size (site->times, 0);
  g_hash_table_remove_all (site->agents);
  site->max_in_flight = site->in_flight;
}

int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every path the site was asked for, sorted, separated by spaces ("" for
 * none): a path asked twice appears twice. */
char *
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
