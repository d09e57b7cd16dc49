/* ad-sample-site.c: a generated web site on 127.0.0.1 for the crawler
 *
 * The Crawler page, `async-demo crawl --sample` and the tests crawl this
 * site, so the crawler works out of the box with no network. A SoupServer
 * listens on 127.0.0.1 at a port the kernel picks (port 0), on the main
 * loop of the thread that created it.
 *
 * With pages == 0 it serves a small hand-made site with every case a
 * crawler meets: ordinary pages, broken links (one of them linked from
 * several pages), a redirect chain, a redirect loop, a slow page, two
 * pages over the crawler's body limit (one announces its length, one is
 * chunked), a robots.txt with a disallowed directory, non-http links, a
 * link out of scope and a stylesheet. /never never answers (not linked;
 * the timeout test asks for it).
 *
 * The same site also answers as http://localhost:PORT/ (the host name
 * AD_SAMPLE_SITE_ROBOTS_ERROR_HOST), with one difference: its robots.txt
 * answers 503 Service Unavailable. RFC 9309 says a crawler must then
 * assume the whole host is disallowed, so a crawl from there fetches
 * robots.txt and nothing else. Another host name is another origin for a
 * crawler, so it asks that host's robots.txt on its own, and no setting
 * of the site changes what 127.0.0.1 answers.
 *
 * With pages = N > 0 it serves a generated site instead: /gen/0 …
 * /gen/N-1, each with K links; page i links to pages i·K+1 … i·K+K
 * (modulo N), a K-ary tree over all pages, so a crawl from /gen/0 reaches
 * exactly N pages. The pages are small so that 10,000 of them crawl in
 * seconds.
 *
 * The pages themselves are made in ad-sample-site-pages.c; this file is
 * the object around them: listening, accepting, counting, the delayed
 * answers and the serving thread.
 *
 * The site accepts connections with its own GSocketService and hands each
 * to the SoupServer (soup_server_accept_iostream()) rather than letting
 * libsoup listen (soup_server_listen_local()): libsoup 3.2's listener
 * leaks the socket of every connection it accepts and the address it
 * reads back, which valgrind and LeakSanitizer report; this way nothing
 * leaks and the port (0: the kernel picks a free one) is read back from
 * the bound address.
 *
 * Where it serves: ad_sample_site_new() serves on the main context of the
 * thread that creates it (the tests, which count its requests from their
 * own loop). ad_sample_site_new_in_thread() starts a thread with a
 * GMainContext and a GMainLoop of its own and serves there: the app's
 * Crawler page uses it, so that serving 10,000 pages costs its main loop
 * nothing and a crawl's client and server run on two cores. That thread
 * is the tutorial's "thread with its own event loop": everything of the
 * server (the listener, the connections, the delayed answers) is created
 * on it, with its context pushed as the thread-default, and only ever
 * touched there; the site's object is shared, its counters behind a
 * mutex. The in-flight and requests notifications are emitted on the
 * serving thread. Disposing the site stops the loop (through an idle on
 * the site's context: a g_main_loop_quit() before the loop ran would be
 * lost), closes the server there, and joins the thread.
 *
 * Slow answers never block: the message is paused
 * (soup_server_message_pause) and a timeout answers and unpauses it. The
 * site counts requests being handled at the same time (from the handler
 * to the message's "finished"), so tests can check the crawler's limits
 * from the server's side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-SampleSite"

#include "config.h"

#include <libsoup/soup.h>

#include "ad-source.h"
#include "ad-sample-site-private.h"
#include "ad-tsan.h"

enum {
  PROP_0,
  PROP_URI,
  PROP_PAGES,
  PROP_LINKS_PER_PAGE,
  PROP_RESPONSE_DELAY,
  PROP_IN_FLIGHT,
  PROP_MAX_IN_FLIGHT,
  PROP_REQUESTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AdSampleSite, ad_sample_site, G_TYPE_OBJECT)

/* A request the site is handling, from the handler to "finished". */
typedef struct
{
  AdSampleSite      *self;      /* unowned: the site outlives its server */
  SoupServerMessage *msg;       /* owned */
  GSource           *source;    /* the delayed answer, or NULL */
  guint              status;
  char              *content_type;
  GBytes            *body;
  char              *location;
} Delayed;

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
delayed_free (Delayed *delayed)
{
  clear_source (&delayed->source);
  g_signal_handlers_disconnect_by_data (delayed->msg, delayed);
  g_clear_object (&delayed->msg);
  g_free (delayed->content_type);
  g_clear_pointer (&delayed->body, g_bytes_unref);
  g_free (delayed->location);
  g_free (delayed);
}

/* ---- counting ---------------------------------------------------------- */

static void
message_finished_cb (SoupServerMessage *msg,
                     AdSampleSite      *self)
{
  /* "finished" and "disconnected" may both come: count the first. */
  if (!g_hash_table_remove (self->counted, msg))
    return;

  ad_mutex_lock (&self->mutex);
  self->in_flight--;
  ad_mutex_unlock (&self->mutex);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_FLIGHT]);
}

static void
count_request (AdSampleSite      *self,
               SoupServerMessage *msg,
               const char        *path)
{
  guint count;
  gboolean new_max = FALSE;

  g_hash_table_add (self->counted, msg);
  g_signal_connect_object (msg, "finished", G_CALLBACK (message_finished_cb), self, 0);
  g_signal_connect_object (msg, "disconnected", G_CALLBACK (message_finished_cb), self, 0);

  ad_mutex_lock (&self->mutex);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->path_counts, path));
  g_hash_table_replace (self->path_counts, g_strdup (path), GUINT_TO_POINTER (count + 1));
  self->requests++;
  self->in_flight++;
  if (self->in_flight > self->max_in_flight)
    {
      self->max_in_flight = self->in_flight;
      new_max = TRUE;
    }
  ad_mutex_unlock (&self->mutex);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_FLIGHT]);
  if (new_max)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_IN_FLIGHT]);
}

/* ---- answers ----------------------------------------------------------- */

static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *content_type,
        GBytes            *body,
        const char        *location)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  if (location != NULL)
    soup_message_headers_replace (headers, "Location", location);
  if (content_type != NULL)
    soup_message_headers_set_content_type (headers, content_type, NULL);
  if (body != NULL)
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
}

static gboolean
delayed_answer_cb (gpointer user_data)
{
  Delayed *delayed = user_data;
  AdSampleSite *self = delayed->self;

  g_clear_pointer (&delayed->source, g_source_unref);
  answer (delayed->msg, delayed->status, delayed->content_type, delayed->body,
          delayed->location);
  soup_server_message_unpause (delayed->msg);
  g_hash_table_remove (self->delayed, delayed);

  return G_SOURCE_REMOVE;
}

static void
delayed_finished_cb (SoupServerMessage *msg,
                     Delayed           *delayed)
{
  /* The client went away before the answer. */
  g_hash_table_remove (delayed->self->delayed, delayed);
}

/* Answers after @delay_ms without blocking; G_MAXUINT means never. */
void
ad_sample_site_answer_later (AdSampleSite      *self,
                             SoupServerMessage *msg,
                             guint              delay_ms,
                             guint              status,
                             const char        *content_type,
                             GBytes            *body,
                             const char        *location)
{
  Delayed *delayed = g_new0 (Delayed, 1);

  delayed->self = self;
  delayed->msg = g_object_ref (msg);
  delayed->status = status;
  delayed->content_type = g_strdup (content_type);
  delayed->body = body ? g_bytes_ref (body) : NULL;
  delayed->location = g_strdup (location);
  g_hash_table_add (self->delayed, delayed);

  soup_server_message_pause (msg);
  g_signal_connect (msg, "finished", G_CALLBACK (delayed_finished_cb), delayed);
  g_signal_connect (msg, "disconnected", G_CALLBACK (delayed_finished_cb), delayed);
  /* On the serving thread's context (the thread-default here): kept by
   * pointer, since g_source_remove() looks in the default context only. */
  if (delay_ms != G_MAXUINT)
    {
      guint id = ad_timeout_add_named (G_PRIORITY_DEFAULT, delay_ms,
                                       "[async-demo] sample site answer",
                                       delayed_answer_cb, delayed, NULL);

      delayed->source = g_source_ref (
        g_main_context_find_source_by_id (g_main_context_get_thread_default (), id));
    }
}

/* Answers now, or after the response delay (the tests' knob). */
void
ad_sample_site_reply (AdSampleSite      *self,
                      SoupServerMessage *msg,
                      guint              status,
                      const char        *content_type,
                      GBytes            *body,
                      const char        *location)
{
  guint delay = (guint) g_atomic_int_get (&self->response_delay);

  if (delay > 0)
    ad_sample_site_answer_later (self, msg, delay, status, content_type, body, location);
  else
    answer (msg, status, content_type, body, location);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  AdSampleSite *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  count_request (self, msg, path);

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  ad_sample_site_serve_page (self, msg, path);
}

/* ---- accepting ---------------------------------------------------------- */

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             AdSampleSite      *self)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  /* The server takes its own reference to the connection. */
  if (!soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote,
                                    &error))
    g_debug ("Sample site: cannot take a connection: %s", error->message);

  return TRUE;
}

/* ---- GObject ----------------------------------------------------------- */

/* Closes the server and its listener; on the serving thread. */
static void
stop_serving (AdSampleSite *self)
{
  GHashTableIter iter;
  Delayed *delayed;

  /* Let every paused message go (the server only frees a connection whose
   * message is not paused), then close the clients' connections. */
  g_hash_table_iter_init (&iter, self->delayed);
  while (g_hash_table_iter_next (&iter, (gpointer *) &delayed, NULL))
    {
      clear_source (&delayed->source);
      g_signal_handlers_disconnect_by_data (delayed->msg, delayed);
      soup_server_message_set_status (delayed->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_unpause (delayed->msg);
    }
  g_hash_table_remove_all (self->delayed);
  if (self->service != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }
  g_clear_object (&self->service);
  if (self->server != NULL)
    {
      soup_server_remove_handler (self->server, NULL);
      soup_server_disconnect (self->server);
    }
  g_clear_object (&self->server);
}

static gboolean
quit_cb (gpointer data)
{
  AdSampleSite *self = data;

  g_main_loop_quit (self->loop);

  return G_SOURCE_REMOVE;
}

static void
ad_sample_site_dispose (GObject *object)
{
  AdSampleSite *self = AD_SAMPLE_SITE (object);

  if (self->thread != NULL)
    {
      GSource *source = g_idle_source_new ();

      /* Quit from inside the loop: the thread closes the server, then ends. */
      g_source_set_priority (source, G_PRIORITY_HIGH);
      g_source_set_static_name (source, "[async-demo] sample site quit");
      g_source_set_callback (source, quit_cb, self, NULL);
      g_source_attach (source, self->context);
      g_source_unref (source);
      g_clear_pointer (&self->thread, g_thread_join);
    }
  else if (self->context == NULL)
    {
      stop_serving (self);
    }

  G_OBJECT_CLASS (ad_sample_site_parent_class)->dispose (object);
}

static void
ad_sample_site_finalize (GObject *object)
{
  AdSampleSite *self = AD_SAMPLE_SITE (object);

  g_hash_table_unref (self->delayed);
  g_hash_table_unref (self->path_counts);
  g_hash_table_unref (self->counted);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  g_clear_pointer (&self->big, g_bytes_unref);
  g_free (self->uri);
  g_free (self->start_url);

  G_OBJECT_CLASS (ad_sample_site_parent_class)->finalize (object);
}

static void
ad_sample_site_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AdSampleSite *self = AD_SAMPLE_SITE (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_PAGES:
      g_value_set_uint (value, self->pages);
      break;
    case PROP_LINKS_PER_PAGE:
      g_value_set_uint (value, self->links_per_page);
      break;
    case PROP_RESPONSE_DELAY:
      g_value_set_uint (value, (guint) g_atomic_int_get (&self->response_delay));
      break;
    case PROP_IN_FLIGHT:
      g_value_set_uint (value, ad_sample_site_get_in_flight (self));
      break;
    case PROP_MAX_IN_FLIGHT:
      g_value_set_uint (value, ad_sample_site_get_max_in_flight (self));
      break;
    case PROP_REQUESTS:
      g_value_set_uint (value, ad_sample_site_get_requests (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_sample_site_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AdSampleSite *self = AD_SAMPLE_SITE (object);

  switch (prop_id)
    {
    case PROP_PAGES:
      self->pages = g_value_get_uint (value);
      break;
    case PROP_LINKS_PER_PAGE:
      self->links_per_page = g_value_get_uint (value);
      break;
    case PROP_RESPONSE_DELAY:
      ad_sample_site_set_response_delay (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_sample_site_class_init (AdSampleSiteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ad_sample_site_dispose;
  object_class->finalize = ad_sample_site_finalize;
  object_class->get_property = ad_sample_site_get_property;
  object_class->set_property = ad_sample_site_set_property;

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGES] =
    g_param_spec_uint ("pages", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINKS_PER_PAGE] =
    g_param_spec_uint ("links-per-page", NULL, NULL, 0, 10000, 10,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESPONSE_DELAY] =
    g_param_spec_uint ("response-delay", NULL, NULL, 0, 60000, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IN_FLIGHT] =
    g_param_spec_uint ("in-flight", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MAX_IN_FLIGHT] =
    g_param_spec_uint ("max-in-flight", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REQUESTS] =
    g_param_spec_uint ("requests", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ad_sample_site_init (AdSampleSite *self)
{
  self->delayed = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) delayed_free, NULL);
  self->path_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->counted = g_hash_table_new (NULL, NULL);
  g_mutex_init (&self->mutex);
}

static gboolean start_serving (AdSampleSite  *self,
                               GError       **error);

/**
 * ad_sample_site_new:
 * @pages: 0 for the hand-made sample site, or the number of pages of a
 *   generated site
 * @links_per_page: the links on each generated page
 *
 * Starts serving on 127.0.0.1 at a free port, on the thread-default main
 * context.
 *
 * Returns: (transfer full) (nullable): the site, or %NULL with @error set
 *   when no port could be opened
 */
AdSampleSite *
ad_sample_site_new (guint    pages,
                    guint    links_per_page,
                    GError **error)
{
  g_autoptr(AdSampleSite) self = g_object_new (AD_TYPE_SAMPLE_SITE,
                                               "pages", pages,
                                               "links-per-page", links_per_page,
                                               NULL);

  if (!start_serving (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* The hand-over from ad_sample_site_new_in_thread() to the serving thread:
 * it waits until the site listens, or could not. */
typedef struct
{
  AdSampleSite *self;
  GMutex        mutex;
  GCond         cond;
  gboolean      done;
  gboolean      ok;
  GError       *error;
} Start;

static gpointer
serving_thread (gpointer data)
{
  Start *start = data;
  AdSampleSite *self = start->self;
  gboolean ok;

  g_main_context_push_thread_default (self->context);
  ok = start_serving (self, &start->error);

  ad_mutex_lock (&start->mutex);
  start->ok = ok;
  start->done = TRUE;
  g_cond_signal (&start->cond);
  ad_mutex_unlock (&start->mutex);
  /* From here on, start belongs to the creator again. */

  if (ok)
    {
      g_main_loop_run (self->loop);
      stop_serving (self);
      /* Let the connections close before the context goes. */
      while (g_main_context_iteration (self->context, FALSE))
        ;
    }
  g_main_context_pop_thread_default (self->context);

  return NULL;
}

/**
 * ad_sample_site_new_in_thread:
 * @pages: as for ad_sample_site_new()
 * @links_per_page: likewise
 *
 * Starts serving on 127.0.0.1 at a free port, on a thread of the site's
 * own that runs its own main loop; returns once the site listens. The
 * thread ends when the site is disposed.
 *
 * Returns: (transfer full) (nullable): the site, or %NULL with @error set
 *   when no port could be opened
 */
AdSampleSite *
ad_sample_site_new_in_thread (guint    pages,
                              guint    links_per_page,
                              GError **error)
{
  g_autoptr(AdSampleSite) self = g_object_new (AD_TYPE_SAMPLE_SITE,
                                               "pages", pages,
                                               "links-per-page", links_per_page,
                                               NULL);
  Start start = { self, { 0 }, { 0 }, FALSE, FALSE, NULL };
  GThread *thread;

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  g_mutex_init (&start.mutex);
  g_cond_init (&start.cond);
  thread = g_thread_new ("sample-site", serving_thread, &start);
  ad_mutex_lock (&start.mutex);
  while (!start.done)
    {
      g_cond_wait (&start.cond, &start.mutex);
      AD_TSAN_ACQUIRE (&start.mutex);
    }
  ad_mutex_unlock (&start.mutex);
  g_mutex_clear (&start.mutex);
  g_cond_clear (&start.cond);

  if (!start.ok)
    {
      g_thread_join (thread);
      g_propagate_error (error, start.error);
      return NULL;
    }
  self->thread = thread;

  return g_steal_pointer (&self);
}

/* Creates the server and listens, on the thread-default main context. */
static gboolean
start_serving (AdSampleSite  *self,
               GError       **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint pages = self->pages;

  self->server = soup_server_new ("server-header", "async-demo-sample-site ", NULL);
  soup_server_add_handler (self->server, NULL, handler, self, NULL);

  /* Port 0: the kernel picks a free one, read back from the bound address. */
  self->service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &bound, error))
    return FALSE;
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);
  self->uri = g_strdup_printf ("http://127.0.0.1:%u/",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  self->start_url = g_strconcat (self->uri, pages > 0 ? "gen/0" : "", NULL);
  g_debug ("Sample site (%u pages) at %s", pages, self->uri);

  return TRUE;
}

/**
 * ad_sample_site_get_uri:
 *
 * Returns: the site's root, "http://127.0.0.1:PORT/"
 */
const char *
ad_sample_site_get_uri (AdSampleSite *self)
{
  g_return_val_if_fail (AD_IS_SAMPLE_SITE (self), NULL);

  return self->uri;
}

/**
 * ad_sample_site_get_start_url:
 *
 * Returns: where a crawl of the site starts: the root, or /gen/0
 */
const char *
ad_sample_site_get_start_url (AdSampleSite *self)
{
  g_return_val_if_fail (AD_IS_SAMPLE_SITE (self), NULL);

  return self->start_url;
}

/**
 * ad_sample_site_dup_url:
 * @path: an absolute path on the site ("/about")
 *
 * Returns: (transfer full): the URL of @path
 */
char *
ad_sample_site_dup_url (AdSampleSite *self,
                        const char   *path)
{
  g_return_val_if_fail (AD_IS_SAMPLE_SITE (self), NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  return g_strconcat (self->uri, path + 1, NULL);
}

/**
 * ad_sample_site_set_response_delay:
 * @delay_ms: how long every ordinary answer waits (without blocking)
 *
 * Slows the site down so that requests overlap, as on a real network.
 */
void
ad_sample_site_set_response_delay (AdSampleSite *self,
                                   guint         delay_ms)
{
  g_return_if_fail (AD_IS_SAMPLE_SITE (self));

  if ((guint) g_atomic_int_exchange (&self->response_delay, (int) delay_ms) == delay_ms)
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESPONSE_DELAY]);
}

/**
 * ad_sample_site_get_in_flight:
 *
 * Returns: the requests being handled now
 */
guint
ad_sample_site_get_in_flight (AdSampleSite *self)
{
  guint value;

  g_return_val_if_fail (AD_IS_SAMPLE_SITE (self), 0);

  ad_mutex_lock (&self->mutex);
  value = self->in_flight;
  ad_mutex_unlock (&self->mutex);

  return value;
}

/**
 * ad_sample_site_get_max_in_flight:
 *
 * Returns: the most requests handled at the same time since the site
 *   started or the counters were reset
 */
guint
ad_sample_site_get_max_in_flight (AdSampleSite *self)
{
  guint value;

  g_return_val_if_fail (AD_IS_SAMPLE_SITE (self), 0);

  ad_mutex_lock (&self->mutex);
  value = self->max_in_flight;
  ad_mutex_unlock (&self->mutex);

  return value;
}

/**
 * ad_sample_site_get_requests:
 *
 * Returns: the requests received since the site started or the counters
 *   were reset
 */
guint
ad_sample_site_get_requests (AdSampleSite *self)
{
  guint value;

  g_return_val_if_fail (AD_IS_SAMPLE_SITE (self), 0);

  ad_mutex_lock (&self->mutex);
  value = self->requests;
  ad_mutex_unlock (&self->mutex);

  return value;
}

/**
 * ad_sample_site_count_requests:
 * @path: a path on the site
 *
 * Returns: the requests for @path since the site started or the counters
 *   were reset
 */
guint
ad_sample_site_count_requests (AdSampleSite *self,
                               const char   *path)
{
  guint count;

  g_return_val_if_fail (AD_IS_SAMPLE_SITE (self), 0);

  ad_mutex_lock (&self->mutex);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->path_counts, path));
  ad_mutex_unlock (&self->mutex);

  return count;
}

void
ad_sample_site_reset_counters (AdSampleSite *self)
{
  g_return_if_fail (AD_IS_SAMPLE_SITE (self));

  ad_mutex_lock (&self->mutex);
  self->requests = 0;
  self->max_in_flight = self->in_flight;
  g_hash_table_remove_all (self->path_counts);
  ad_mutex_unlock (&self->mutex);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_IN_FLIGHT]);
}
