/* ad-crawler.c: a concurrent web crawler and fetcher on the main loop
 *
 * Two modes on one engine: fetch a list of URLs (the tutorial's example,
 * many requests in flight at once) and crawl from a start URL, following
 * links breadth first. A page binds the crawler's properties: the settings
 * (limits, scope, timeouts), the live counters, the limit that currently
 * holds queued URLs back, the results model and, at the end, the broken
 * links with every page that links to them.
 *
 * Threads. Everything here runs on the main loop except link extraction:
 * the HTTP client (one, async API only), the queues, the deduplication
 * table and the models. A fetched HTML body goes to the thread pool as
 * immutable input (GBytes, URL, charset, and a refcounted immutable scope)
 * and comes back as a fresh array of in-scope links (or an error, kept on
 * the page's result while the crawl goes on), so a crawl uses
 * every core while the main loop only does I/O and bookkeeping. At most
 * one page more than there are cores is parsed at once (more threads
 * would only take turns on the cores, and take them from the main loop);
 * the other fetched pages wait in a bounded queue, and fetching holds
 * back when that queue is full instead of piling up bodies. The spare
 * page keeps every core busy while a finished parse waits for the main
 * loop to hand it the next one. (In the crawl benchmark on 2 cores, 6 at
 * once was some 4% faster, but the main loop's worst stall grew from
 * about 3 ms to 5-20 ms.)
 *
 * Limits. Requests in flight in total and per host (each request holds
 * one connection of the client, which keeps as many idle; changing them
 * makes a new client for the next run), a delay between
 * requests to one host (the larger of the setting and robots.txt's
 * Crawl-delay), robots.txt fetched once per host before any page of it
 * (one that answers 5xx disallows the whole host, as RFC 9309 says; one
 * that is missing or does not answer allows it all; each page skipped
 * counts in "skipped"),
 * maximum pages and depth, a per-request timeout and an overall deadline.
 * Hosts take turns, so one big host does not starve the others.
 *
 * Deduplication. Every URL is normalised (ad-url.c) and hashed on the
 * pool thread and looked up in a GHashTable here with that hash, so the
 * main loop only compares strings (a page of 300 links costs it 300
 * lookups, no hashing and no allocation). The links come back packed in
 * one buffer rather than as 300 strings to free. Each node remembers the
 * pages that link to it, so a broken link is reported with all its
 * referrers; a node fetched without error needs none, and forgets them. A
 * page reached through a redirect is recorded under its final URL too, and
 * a redirect to a page known already is not followed: every page is
 * fetched once.
 *
 * Results and counters reach the models coalesced, every 100 ms and once
 * at the end, not one notification per request.
 *
 * Tasks. A run is a group task in the AdTaskRegistry, with each fetch
 * (kind IO, on the main loop) and each link extraction (kind CPU, started
 * and finished on its pool thread) as its children, so the task views show
 * a crawl's shape as it goes. An HTTP error status is not a failed task.
 * AdLimiter is not used for the limits: it is one FIFO queue, and a
 * request waiting for a busy host would hold back requests to idle hosts;
 * the scheduler below weighs every host's limit, delay and robots.txt.
 *
 * Cancellation. The group task's cancellable is the run's: the caller's
 * cancellable is linked to it, cancelling the task in the registry
 * cancels it, and so does the deadline. Every fetch and every parse gets
 * it; queued URLs are dropped. The run returns only when nothing it
 * started is still running, so the crawler can be finalised right after
 * the callback.
 *
 * Files. This file is the class: its settings, its published state and
 * the public API. A run's parts live beside it, one concern each, and
 * share the structures of ad-crawler-private.h (see the list there).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include "ad-crawler-private.h"
#include "ad-fetch.h"
#include "ad-source.h"

G_DEFINE_ENUM_TYPE (AdCrawlScope, ad_crawl_scope,
  G_DEFINE_ENUM_VALUE (AD_CRAWL_SCOPE_HOST, "host"),
  G_DEFINE_ENUM_VALUE (AD_CRAWL_SCOPE_PATH_PREFIX, "path-prefix"),
  G_DEFINE_ENUM_VALUE (AD_CRAWL_SCOPE_ANY, "any"))

G_DEFINE_ENUM_TYPE (AdCrawlLimit, ad_crawl_limit,
  G_DEFINE_ENUM_VALUE (AD_CRAWL_LIMIT_NONE, "none"),
  G_DEFINE_ENUM_VALUE (AD_CRAWL_LIMIT_TOTAL, "total"),
  G_DEFINE_ENUM_VALUE (AD_CRAWL_LIMIT_PER_HOST, "per-host"),
  G_DEFINE_ENUM_VALUE (AD_CRAWL_LIMIT_DELAY, "delay"),
  G_DEFINE_ENUM_VALUE (AD_CRAWL_LIMIT_ROBOTS, "robots"),
  G_DEFINE_ENUM_VALUE (AD_CRAWL_LIMIT_PARSING, "parsing"))

static GParamSpec *properties[AD_CRAWLER_N_PROPS];

G_DEFINE_FINAL_TYPE (AdCrawler, ad_crawler, G_TYPE_OBJECT)

/* For the other parts of the class (the published state). */
void
ad_crawler_notify (AdCrawler     *self,
                   AdCrawlerProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* ---- GObject -------------------------------------------------------------- */

static void
crawler_drop_client (AdCrawler *self)
{
  /* The next run makes a client for the new limits (a running one keeps
   * its own). */
  g_clear_object (&self->client);
}

static void
ad_crawler_dispose (GObject *object)
{
  AdCrawler *self = AD_CRAWLER (object);

  /* A running crawl holds a reference through its task. */
  g_assert (self->run == NULL);
  ad_source_clear_id (&self->publish_id);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (ad_crawler_parent_class)->dispose (object);
}

static void
ad_crawler_finalize (GObject *object)
{
  AdCrawler *self = AD_CRAWLER (object);

  g_clear_object (&self->results);
  g_clear_object (&self->broken);
  g_free (self->include_pattern);
  g_free (self->exclude_pattern);
  g_free (self->user_agent);

  G_OBJECT_CLASS (ad_crawler_parent_class)->finalize (object);
}

static void
ad_crawler_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  AdCrawler *self = AD_CRAWLER (object);

  switch (prop_id)
    {
    case AD_CRAWLER_PROP_MAX_IN_FLIGHT:
      g_value_set_uint (value, self->max_in_flight);
      break;
    case AD_CRAWLER_PROP_MAX_PER_HOST:
      g_value_set_uint (value, self->max_per_host);
      break;
    case AD_CRAWLER_PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;
    case AD_CRAWLER_PROP_DEADLINE:
      g_value_set_uint (value, self->deadline_ms);
      break;
    case AD_CRAWLER_PROP_MAX_PAGES:
      g_value_set_uint (value, self->max_pages);
      break;
    case AD_CRAWLER_PROP_MAX_DEPTH:
      g_value_set_uint (value, self->max_depth);
      break;
    case AD_CRAWLER_PROP_SCOPE:
      g_value_set_enum (value, self->scope);
      break;
    case AD_CRAWLER_PROP_INCLUDE_PATTERN:
      g_value_set_string (value, self->include_pattern);
      break;
    case AD_CRAWLER_PROP_EXCLUDE_PATTERN:
      g_value_set_string (value, self->exclude_pattern);
      break;
    case AD_CRAWLER_PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    case AD_CRAWLER_PROP_PER_HOST_DELAY:
      g_value_set_uint (value, self->per_host_delay_ms);
      break;
    case AD_CRAWLER_PROP_MAX_REDIRECTS:
      g_value_set_uint (value, self->max_redirects);
      break;
    case AD_CRAWLER_PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;
    case AD_CRAWLER_PROP_IGNORE_ROBOTS:
      g_value_set_boolean (value, self->ignore_robots);
      break;
    case AD_CRAWLER_PROP_FETCH_THREADS:
      g_value_set_uint (value, self->fetch_threads);
      break;
    case AD_CRAWLER_PROP_RESULTS:
      g_value_set_object (value, self->results);
      break;
    case AD_CRAWLER_PROP_BROKEN_LINKS:
      g_value_set_object (value, self->broken);
      break;
    case AD_CRAWLER_PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case AD_CRAWLER_PROP_QUEUED:
      g_value_set_uint (value, self->queued);
      break;
    case AD_CRAWLER_PROP_IN_FLIGHT:
      g_value_set_uint (value, self->in_flight);
      break;
    case AD_CRAWLER_PROP_DONE:
      g_value_set_uint (value, self->done);
      break;
    case AD_CRAWLER_PROP_ERRORS:
      g_value_set_uint (value, self->errors);
      break;
    case AD_CRAWLER_PROP_SKIPPED:
      g_value_set_uint (value, self->skipped);
      break;
    case AD_CRAWLER_PROP_BYTES:
      g_value_set_uint64 (value, self->bytes);
      break;
    case AD_CRAWLER_PROP_PAGES_PER_SECOND:
      g_value_set_double (value, self->pages_per_second);
      break;
    case AD_CRAWLER_PROP_ELAPSED:
      g_value_set_double (value, self->elapsed);
      break;
    case AD_CRAWLER_PROP_LIMIT:
      g_value_set_enum (value, self->limit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_uint (AdCrawler    *self,
          guint        *field,
          const GValue *value,
          int           prop)
{
  guint v = g_value_get_uint (value);

  if (*field == v)
    return;
  *field = v;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_string (AdCrawler     *self,
            char         **field,
            const GValue  *value,
            int            prop)
{
  if (g_strcmp0 (*field, g_value_get_string (value)) == 0)
    return;
  g_free (*field);
  *field = g_value_dup_string (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
ad_crawler_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  AdCrawler *self = AD_CRAWLER (object);

  switch (prop_id)
    {
    case AD_CRAWLER_PROP_MAX_IN_FLIGHT:
      if (self->max_in_flight != g_value_get_uint (value))
        crawler_drop_client (self);
      set_uint (self, &self->max_in_flight, value, prop_id);
      break;
    case AD_CRAWLER_PROP_MAX_PER_HOST:
      if (self->max_per_host != g_value_get_uint (value))
        crawler_drop_client (self);
      set_uint (self, &self->max_per_host, value, prop_id);
      break;
    case AD_CRAWLER_PROP_TIMEOUT:
      set_uint (self, &self->timeout_ms, value, prop_id);
      break;
    case AD_CRAWLER_PROP_DEADLINE:
      set_uint (self, &self->deadline_ms, value, prop_id);
      break;
    case AD_CRAWLER_PROP_MAX_PAGES:
      set_uint (self, &self->max_pages, value, prop_id);
      break;
    case AD_CRAWLER_PROP_MAX_DEPTH:
      set_uint (self, &self->max_depth, value, prop_id);
      break;
    case AD_CRAWLER_PROP_SCOPE:
      if (self->scope != (AdCrawlScope) g_value_get_enum (value))
        {
          self->scope = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case AD_CRAWLER_PROP_INCLUDE_PATTERN:
      set_string (self, &self->include_pattern, value, prop_id);
      break;
    case AD_CRAWLER_PROP_EXCLUDE_PATTERN:
      set_string (self, &self->exclude_pattern, value, prop_id);
      break;
    case AD_CRAWLER_PROP_USER_AGENT:
      set_string (self, &self->user_agent, value, prop_id);
      break;
    case AD_CRAWLER_PROP_PER_HOST_DELAY:
      set_uint (self, &self->per_host_delay_ms, value, prop_id);
      break;
    case AD_CRAWLER_PROP_MAX_REDIRECTS:
      set_uint (self, &self->max_redirects, value, prop_id);
      break;
    case AD_CRAWLER_PROP_MAX_BODY_SIZE:
      if (self->max_body_size != g_value_get_uint64 (value))
        {
          self->max_body_size = g_value_get_uint64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case AD_CRAWLER_PROP_IGNORE_ROBOTS:
      if (self->ignore_robots != g_value_get_boolean (value))
        {
          self->ignore_robots = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case AD_CRAWLER_PROP_FETCH_THREADS:
      set_uint (self, &self->fetch_threads, value, prop_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_crawler_class_init (AdCrawlerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ad_crawler_dispose;
  object_class->finalize = ad_crawler_finalize;
  object_class->get_property = ad_crawler_get_property;
  object_class->set_property = ad_crawler_set_property;

  /* Settings: read when a run starts. */
  properties[AD_CRAWLER_PROP_MAX_IN_FLIGHT] =
    g_param_spec_uint ("max-in-flight", NULL, NULL, 1, 1024,
                       AD_CRAWLER_DEFAULT_MAX_IN_FLIGHT, rw);
  properties[AD_CRAWLER_PROP_MAX_PER_HOST] =
    g_param_spec_uint ("max-per-host", NULL, NULL, 1, 1024, AD_CRAWLER_DEFAULT_MAX_PER_HOST, rw);
  properties[AD_CRAWLER_PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, AD_CRAWLER_DEFAULT_TIMEOUT_MS, rw);
  properties[AD_CRAWLER_PROP_DEADLINE] =
    g_param_spec_uint ("deadline", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[AD_CRAWLER_PROP_MAX_PAGES] =
    g_param_spec_uint ("max-pages", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[AD_CRAWLER_PROP_MAX_DEPTH] =
    g_param_spec_uint ("max-depth", NULL, NULL, 0, G_MAXUINT, AD_CRAWLER_DEFAULT_MAX_DEPTH, rw);
  properties[AD_CRAWLER_PROP_SCOPE] =
    g_param_spec_enum ("scope", NULL, NULL, AD_TYPE_CRAWL_SCOPE, AD_CRAWL_SCOPE_HOST, rw);
  properties[AD_CRAWLER_PROP_INCLUDE_PATTERN] =
    g_param_spec_string ("include-pattern", NULL, NULL, NULL, rw);
  properties[AD_CRAWLER_PROP_EXCLUDE_PATTERN] =
    g_param_spec_string ("exclude-pattern", NULL, NULL, NULL, rw);
  properties[AD_CRAWLER_PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, "async-demo/" PACKAGE_VERSION, rw);
  properties[AD_CRAWLER_PROP_PER_HOST_DELAY] =
    g_param_spec_uint ("per-host-delay", NULL, NULL, 0, 600000, 0, rw);
  properties[AD_CRAWLER_PROP_MAX_REDIRECTS] =
    g_param_spec_uint ("max-redirects", NULL, NULL, 0, 100, AD_FETCH_DEFAULT_MAX_REDIRECTS, rw);
  properties[AD_CRAWLER_PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL, 0, G_MAXUINT64,
                         AD_FETCH_DEFAULT_MAX_BODY_SIZE, rw);
  properties[AD_CRAWLER_PROP_IGNORE_ROBOTS] =
    g_param_spec_boolean ("ignore-robots", NULL, NULL, FALSE, rw);
  /* Threads that fetch a list (not a crawl), each with its own client;
   * 0: on the crawler's main loop. */
  properties[AD_CRAWLER_PROP_FETCH_THREADS] =
    g_param_spec_uint ("fetch-threads", NULL, NULL, 0, AD_CRAWLER_MAX_FETCH_THREADS, 0, rw);

  /* State, published every 100 ms while running and at the end. */
  properties[AD_CRAWLER_PROP_RESULTS] =
    g_param_spec_object ("results", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[AD_CRAWLER_PROP_BROKEN_LINKS] =
    g_param_spec_object ("broken-links", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[AD_CRAWLER_PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[AD_CRAWLER_PROP_QUEUED] =
    g_param_spec_uint ("queued", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[AD_CRAWLER_PROP_IN_FLIGHT] =
    g_param_spec_uint ("in-flight", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[AD_CRAWLER_PROP_DONE] = g_param_spec_uint ("done", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[AD_CRAWLER_PROP_ERRORS] =
    g_param_spec_uint ("errors", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[AD_CRAWLER_PROP_SKIPPED] =
    g_param_spec_uint ("skipped", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[AD_CRAWLER_PROP_BYTES] =
    g_param_spec_uint64 ("bytes", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[AD_CRAWLER_PROP_PAGES_PER_SECOND] =
    g_param_spec_double ("pages-per-second", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[AD_CRAWLER_PROP_ELAPSED] =
    g_param_spec_double ("elapsed", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[AD_CRAWLER_PROP_LIMIT] =
    g_param_spec_enum ("limit", NULL, NULL, AD_TYPE_CRAWL_LIMIT, AD_CRAWL_LIMIT_NONE, ro);

  g_object_class_install_properties (object_class, AD_CRAWLER_N_PROPS, properties);
}

static void
ad_crawler_init (AdCrawler *self)
{
  self->max_in_flight = AD_CRAWLER_DEFAULT_MAX_IN_FLIGHT;
  self->max_per_host = AD_CRAWLER_DEFAULT_MAX_PER_HOST;
  self->timeout_ms = AD_CRAWLER_DEFAULT_TIMEOUT_MS;
  self->max_depth = AD_CRAWLER_DEFAULT_MAX_DEPTH;
  self->scope = AD_CRAWL_SCOPE_HOST;
  self->user_agent = g_strdup ("async-demo/" PACKAGE_VERSION);
  self->max_redirects = AD_FETCH_DEFAULT_MAX_REDIRECTS;
  self->max_body_size = AD_FETCH_DEFAULT_MAX_BODY_SIZE;
  self->results = g_list_store_new (AD_TYPE_CRAWL_RESULT);
  self->broken = g_list_store_new (AD_TYPE_CRAWL_RESULT);
}

/* ---- public API ------------------------------------------------------------ */

/**
 * ad_crawler_new:
 *
 * The settings are properties ("max-in-flight", "max-per-host",
 * "timeout", "deadline", "max-pages", "max-depth", "scope",
 * "include-pattern", "exclude-pattern", "user-agent", "per-host-delay",
 * "max-redirects", "max-body-size", "ignore-robots", "fetch-threads"); a
 * run reads them when it starts.
 *
 * Returns: (transfer full): a new crawler for the thread-default main context
 */
AdCrawler *
ad_crawler_new (void)
{
  return g_object_new (AD_TYPE_CRAWLER, NULL);
}

/**
 * ad_crawler_crawl_async:
 * @start_url: an absolute http(s) URL
 * @cancellable: (nullable): stops the crawl
 *
 * Crawls from @start_url within the scope, the depth and the page limit.
 * The results model fills as pages complete. Fails at once when
 * @start_url is malformed, a pattern is not a valid regular expression, or
 * a run is already going on.
 */
void
ad_crawler_crawl_async (AdCrawler           *self,
                        const char          *start_url,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  const char *urls[] = { start_url, NULL };

  g_return_if_fail (AD_IS_CRAWLER (self));
  g_return_if_fail (start_url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  ad_crawler_start_run (self, TRUE, urls, ad_crawler_crawl_async, cancellable, callback,
                        user_data);
}

/**
 * ad_crawler_fetch_async:
 * @urls: (array zero-terminated=1): absolute http(s) URLs
 * @cancellable: (nullable): stops the fetches
 *
 * Fetches every URL once (duplicates after normalisation are fetched
 * once), as many at a time as the limits allow; no link is followed and
 * robots.txt is not consulted (the list is explicit).
 */
void
ad_crawler_fetch_async (AdCrawler           *self,
                        const char * const  *urls,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (AD_IS_CRAWLER (self));
  g_return_if_fail (urls != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  ad_crawler_start_run (self, FALSE, urls, ad_crawler_fetch_async, cancellable, callback,
                        user_data);
}

/**
 * ad_crawler_crawl_finish:
 * @result: the result of ad_crawler_crawl_async()
 *
 * Returns: %TRUE when the crawl ran to the end (broken links are results,
 *   not errors); %FALSE with @error set when the crawl could not start,
 *   was cancelled (%G_IO_ERROR_CANCELLED) or reached its deadline
 *   (%G_IO_ERROR_TIMED_OUT). The results so far stay in the model.
 */
gboolean
ad_crawler_crawl_finish (AdCrawler     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_crawler_crawl_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ad_crawler_fetch_finish:
 * @result: the result of ad_crawler_fetch_async()
 *
 * Returns: %TRUE when every URL was fetched (an HTTP error or a broken
 *   link is a result, not an error); %FALSE with @error set when the
 *   fetches could not start, were cancelled (%G_IO_ERROR_CANCELLED) or
 *   reached the deadline (%G_IO_ERROR_TIMED_OUT). The results so far stay
 *   in the model.
 */
gboolean
ad_crawler_fetch_finish (AdCrawler     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_crawler_fetch_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ad_crawler_get_results:
 *
 * Returns: (transfer none): the #AdCrawlResult of each URL, in the order
 *   they completed; cleared when a run starts
 */
GListModel *
ad_crawler_get_results (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), NULL);
  return G_LIST_MODEL (self->results);
}

/**
 * ad_crawler_get_broken_links:
 *
 * Returns: (transfer none): after a run, the broken links sorted by URL,
 *   each with its "referrers"
 */
GListModel *
ad_crawler_get_broken_links (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), NULL);
  return G_LIST_MODEL (self->broken);
}

gboolean
ad_crawler_get_running (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), FALSE);
  return self->running;
}

guint
ad_crawler_get_queued (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), 0);
  return self->queued;
}

guint
ad_crawler_get_in_flight (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), 0);
  return self->in_flight;
}

guint
ad_crawler_get_done (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), 0);
  return self->done;
}

guint
ad_crawler_get_errors (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), 0);
  return self->errors;
}

/**
 * ad_crawler_get_skipped:
 *
 * Returns: the URLs robots.txt disallowed
 */
guint
ad_crawler_get_skipped (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), 0);
  return self->skipped;
}

guint64
ad_crawler_get_bytes (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), 0);
  return self->bytes;
}

double
ad_crawler_get_pages_per_second (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), 0);
  return self->pages_per_second;
}

/**
 * ad_crawler_get_elapsed:
 *
 * Returns: the seconds the current or last run took
 */
double
ad_crawler_get_elapsed (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), 0);
  return self->elapsed;
}

AdCrawlLimit
ad_crawler_get_limit (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), AD_CRAWL_LIMIT_NONE);
  return self->limit;
}

/**
 * ad_crawler_get_max_in_flight_seen:
 *
 * Returns: the most requests the last run had in flight at once
 */
guint
ad_crawler_get_max_in_flight_seen (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), 0);
  return self->max_in_flight_seen;
}

/**
 * ad_crawler_get_mean_in_flight:
 *
 * Returns: the requests the last (or current) run had in flight, on
 *   average over its time
 */
double
ad_crawler_get_mean_in_flight (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), 0);
  return self->mean_in_flight;
}

/**
 * ad_crawler_get_mean_parsing:
 *
 * Returns: the pages the last run had on the thread pool, on average
 */
double
ad_crawler_get_mean_parsing (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), 0);
  return self->mean_parsing;
}

/**
 * ad_crawler_get_mean_waiting:
 *
 * Returns: the fetched pages the last run had waiting for a parser, on
 *   average
 */
double
ad_crawler_get_mean_waiting (AdCrawler *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), 0);
  return self->mean_waiting;
}

/* ---- for the tests (ad-crawler-private.h) ----------------------------------- */

/**
 * ad_crawler_set_max_parsing:
 * @max_parsing: pages parsed at once from the next run on; 0 for the
 *   default, ad_crawler_default_max_parsing()
 */
void
ad_crawler_set_max_parsing (AdCrawler *self,
                            guint      max_parsing)
{
  g_return_if_fail (AD_IS_CRAWLER (self));
  self->max_parsing = max_parsing;
}

/**
 * ad_crawler_set_extract_func:
 * @extract: (nullable): extracts the links of a page on a pool thread from
 *   the next run on; %NULL for ad_link_extract()
 */
void
ad_crawler_set_extract_func (AdCrawler            *self,
                             AdCrawlerExtractFunc  extract)
{
  g_return_if_fail (AD_IS_CRAWLER (self));
  self->extract = extract;
}
