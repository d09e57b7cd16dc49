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
 * the SoupSession (one, async API only), the queues, the deduplication
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
 * Limits. Requests in flight in total and per host (also the session's
 * max-conns and max-conns-per-host, which are construct-only in libsoup 3:
 * changing them makes a new session for the next run), a delay between
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
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ad-crawler-private.h"
#include "ad-crawl-result-private.h"
#include "ad-fetch.h"
#include "ad-link-extractor.h"
#include "ad-source.h"
#include "ad-robots.h"
#include "ad-task-registry.h"
#include "ad-tsan.h"
#include "ad-url.h"

#define PUBLISH_INTERVAL_MS 100
#define ROBOTS_TIMEOUT_MS   10000

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

/* ---- scope: immutable, shared with pool threads -------------------------- */

typedef struct
{
  gatomicrefcount  ref_count;
  AdCrawlScope     mode;
  char            *prefix;    /* "scheme://host[:port]/" or the start's directory */
  GRegex          *include;
  GRegex          *exclude;
  AdCrawlerExtractFunc extract; /* ad_link_extract() but in tests */
} Scope;

static Scope *
scope_ref (Scope *scope)
{
  g_atomic_ref_count_inc (&scope->ref_count);
  return scope;
}

static void
scope_unref (Scope *scope)
{
  if (g_atomic_ref_count_dec (&scope->ref_count))
    {
      g_free (scope->prefix);
      g_clear_pointer (&scope->include, g_regex_unref);
      g_clear_pointer (&scope->exclude, g_regex_unref);
      g_free (scope);
    }
}

/* Thread-safe: the scope never changes and g_regex_match() only reads. */
static gboolean
scope_allows (const Scope *scope,
              const char  *url)
{
  if (scope->prefix != NULL && !g_str_has_prefix (url, scope->prefix))
    return FALSE;
  if (scope->include != NULL && !g_regex_match (scope->include, url, 0, NULL))
    return FALSE;
  if (scope->exclude != NULL && g_regex_match (scope->exclude, url, 0, NULL))
    return FALSE;
  return TRUE;
}

/* ---- the run's bookkeeping ------------------------------------------------ */

typedef struct _UrlNode UrlNode;

struct _UrlNode
{
  char          *url;         /* normalised; the key in run->seen */
  guint          hash;        /* g_str_hash (url) */
  UrlNode       *referrer;    /* the page it was found on first */
  GPtrArray     *referrers;   /* UrlNode*: every page linking here */
  guint          depth;
  AdCrawlResult *result;      /* owned, once fetched */
};

typedef struct _CrawlRun CrawlRun;

typedef struct
{
  CrawlRun  *run;             /* unowned: the run owns its hosts */
  char      *origin;
  GQueue     queue;           /* UrlNode*, waiting */
  guint      in_flight;
  AdRobots  *robots;          /* NULL until robots.txt is known */
  gboolean   robots_requested;
  gint64     delay_us;
  gint64     next_start_us;
  guint      wake_id;         /* wakes the scheduler when the delay is over */
} Host;

struct _CrawlRun
{
  AdCrawler       *self;      /* unowned: the task holds a reference */
  GTask           *task;
  SoupSession     *session;
  gboolean         crawl;     /* follow links; FALSE: fetch the list */
  GCancellable    *cancellable; /* the crawl task's own: cancels everything */
  GSource         *cancel_source;
  AdTask          *record;      /* the crawl in the task registry */
  guint            deadline_id;
  guint            finish_id;
  gboolean         stopping;
  gboolean         deadline_hit;
  gboolean         scheduling;
  gboolean         reschedule;

  Scope           *scope;
  AdFetchOptions   options;
  guint            max_in_flight;
  guint            max_per_host;
  guint            max_pages;
  guint            max_depth;
  guint            max_parsing;   /* pages parsed at once */
  guint            max_waiting;   /* fetched pages waiting for a parser */
  gint64           host_delay_us;
  gboolean         ignore_robots;
  char            *user_agent;

  GHashTable      *seen;      /* UrlNode (by url and hash) → itself */
  GHashTable      *hosts;     /* origin → Host */
  GPtrArray       *host_list; /* Host*, in turn order */
  guint            next_host;

  guint            queued;
  guint            in_flight;
  guint            max_in_flight_seen;
  guint            parsing;
  GQueue           parse_queue;  /* ParseOp*, fetched, waiting for a parser */
  guint            started_pages;
  guint            done;
  guint            errors;
  guint            skipped;
  guint64          bytes;
  AdCrawlLimit     limit;
  gint64           started_us;
  GPtrArray       *pending;   /* AdCrawlResult*, not yet in the model */
};

struct _AdCrawler
{
  GObject       parent_instance;

  /* settings */
  guint         max_in_flight;
  guint         max_per_host;
  guint         timeout_ms;
  guint         deadline_ms;
  guint         max_pages;
  guint         max_depth;
  AdCrawlScope  scope;
  char         *include_pattern;
  char         *exclude_pattern;
  char         *user_agent;
  guint         per_host_delay_ms;
  guint         max_redirects;
  guint64       max_body_size;
  gboolean      ignore_robots;
  guint         max_parsing;  /* 0: one more than there are cores */
  AdCrawlerExtractFunc extract;

  SoupSession  *session;      /* made for the current limits, on first use */
  GListStore   *results;
  GListStore   *broken;
  CrawlRun     *run;
  guint         publish_id;

  /* published state */
  gboolean      running;
  guint         queued;
  guint         in_flight;
  guint         done;
  guint         errors;
  guint         skipped;
  guint64       bytes;
  double        pages_per_second;
  double        elapsed;
  AdCrawlLimit  limit;
  guint         max_in_flight_seen;
};

enum {
  PROP_0,
  /* settings */
  PROP_MAX_IN_FLIGHT,
  PROP_MAX_PER_HOST,
  PROP_TIMEOUT,
  PROP_DEADLINE,
  PROP_MAX_PAGES,
  PROP_MAX_DEPTH,
  PROP_SCOPE,
  PROP_INCLUDE_PATTERN,
  PROP_EXCLUDE_PATTERN,
  PROP_USER_AGENT,
  PROP_PER_HOST_DELAY,
  PROP_MAX_REDIRECTS,
  PROP_MAX_BODY_SIZE,
  PROP_IGNORE_ROBOTS,
  /* state */
  PROP_RESULTS,
  PROP_BROKEN_LINKS,
  PROP_RUNNING,
  PROP_QUEUED,
  PROP_IN_FLIGHT,
  PROP_DONE,
  PROP_ERRORS,
  PROP_SKIPPED,
  PROP_BYTES,
  PROP_PAGES_PER_SECOND,
  PROP_ELAPSED,
  PROP_LIMIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AdCrawler, ad_crawler, G_TYPE_OBJECT)

static void crawl_schedule      (CrawlRun *run);
static void crawl_maybe_finish  (CrawlRun *run);
static void crawler_publish     (AdCrawler *self);

static void
url_node_free (UrlNode *node)
{
  g_free (node->url);
  g_clear_pointer (&node->referrers, g_ptr_array_unref);
  g_clear_object (&node->result);
  g_free (node);
}

static void
host_free (Host *host)
{
  g_clear_handle_id (&host->wake_id, g_source_remove);
  g_queue_clear (&host->queue);
  g_clear_pointer (&host->robots, ad_robots_unref);
  g_free (host->origin);
  g_free (host);
}

static void
crawl_run_free (CrawlRun *run)
{
  g_assert (run->in_flight == 0 && run->parsing == 0 && run->parse_queue.length == 0);

  g_clear_handle_id (&run->deadline_id, g_source_remove);
  g_clear_handle_id (&run->finish_id, g_source_remove);
  if (run->cancel_source != NULL)
    {
      g_source_destroy (run->cancel_source);
      g_source_unref (run->cancel_source);
    }
  g_clear_object (&run->record);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->session);
  g_clear_pointer (&run->scope, scope_unref);
  g_free (run->user_agent);
  g_ptr_array_unref (run->host_list);
  g_hash_table_unref (run->hosts);
  g_hash_table_unref (run->seen);
  g_ptr_array_unref (run->pending);
  g_free (run);
}

static guint
url_node_hash (gconstpointer key)
{
  return ((const UrlNode *) key)->hash;
}

static gboolean
url_node_equal (gconstpointer a,
                gconstpointer b)
{
  const UrlNode *node_a = a;
  const UrlNode *node_b = b;

  return node_a->hash == node_b->hash && g_str_equal (node_a->url, node_b->url);
}

/* @hash is g_str_hash (@url), computed by the caller (a pool thread). */
static UrlNode *
crawl_lookup (CrawlRun   *run,
              const char *url,
              guint       hash)
{
  UrlNode key = { .url = (char *) url, .hash = hash };

  return g_hash_table_lookup (run->seen, &key);
}

/* ---- queueing ------------------------------------------------------------- */

static Host *
crawl_get_host (CrawlRun   *run,
                const char *url)
{
  g_autofree char *origin = ad_url_get_origin (url);
  Host *host;

  if (origin == NULL)
    return NULL;

  host = g_hash_table_lookup (run->hosts, origin);
  if (host != NULL)
    return host;

  host = g_new0 (Host, 1);
  host->run = run;
  host->origin = g_steal_pointer (&origin);
  host->delay_us = run->host_delay_us;
  g_queue_init (&host->queue);
  /* A list of URLs is fetched as given; a crawl asks robots.txt first. */
  if (!run->crawl || run->ignore_robots)
    host->robots = ad_robots_new_allow_all ();
  g_hash_table_insert (run->hosts, host->origin, host);
  g_ptr_array_add (run->host_list, host);

  return host;
}

static void
crawl_enqueue (CrawlRun *run,
               UrlNode  *node)
{
  Host *host = crawl_get_host (run, node->url);

  g_return_if_fail (host != NULL);

  g_queue_push_tail (&host->queue, node);
  run->queued++;
}

/* Returns the node for @url (whose g_str_hash() is @hash), made and
 * queued when it is new. */
static UrlNode *
crawl_add_url_hashed (CrawlRun   *run,
                      const char *url,
                      guint       hash,
                      UrlNode    *referrer,
                      gboolean    queue)
{
  UrlNode *node = crawl_lookup (run, url, hash);

  if (node == NULL)
    {
      node = g_new0 (UrlNode, 1);
      node->url = g_strdup (url);
      node->hash = hash;
      node->referrer = referrer;
      node->depth = referrer ? referrer->depth + 1 : 0;
      g_hash_table_add (run->seen, node);
      if (queue)
        crawl_enqueue (run, node);
    }

  /* Referrers are for the broken-links summary: a page fetched fine
   * needs none (most links of a crawl lead to pages done already). */
  if (referrer != NULL && (node->result == NULL || ad_crawl_result_is_broken (node->result)))
    {
      if (node->referrers == NULL)
        node->referrers = g_ptr_array_new ();
      g_ptr_array_add (node->referrers, referrer);
    }

  return node;
}

static UrlNode *
crawl_add_url (CrawlRun   *run,
               const char *url,
               UrlNode    *referrer,
               gboolean    queue)
{
  return crawl_add_url_hashed (run, url, g_str_hash (url), referrer, queue);
}

static void
crawl_drop_queues (CrawlRun *run)
{
  for (guint i = 0; i < run->host_list->len; i++)
    {
      Host *host = g_ptr_array_index (run->host_list, i);

      g_queue_clear (&host->queue);
      g_clear_handle_id (&host->wake_id, g_source_remove);
    }
  run->queued = 0;
}

static void
crawl_record (CrawlRun      *run,
              UrlNode       *node,
              AdCrawlResult *result)
{
  g_set_object (&node->result, result);
  run->done++;
  run->bytes += result->size;
  if (ad_crawl_result_is_broken (result))
    run->errors++;
  else
    g_clear_pointer (&node->referrers, g_ptr_array_unref);
  g_ptr_array_add (run->pending, g_object_ref (result));
}

/* ---- link extraction on the pool ------------------------------------------ */

typedef struct
{
  GBytes *body;
  char   *url;
  char   *charset;
  Scope  *scope;
  AdTask *record;             /* unowned: the ParseOp holds it */
} ParseInput;

typedef struct
{
  gsize offset;               /* of the URL in ParseOutput.text */
  guint hash;                 /* g_str_hash() of the URL */
} LinkRef;

/* The in-scope links packed in one buffer: the main loop frees two blocks
 * per page, not one string per link (from another thread's arena). */
typedef struct
{
  guint    n_links;           /* all links found, in scope or not */
  GString *text;              /* the URLs, each with its NUL */
  GArray  *in_scope;          /* LinkRef, in document order */
} ParseOutput;

typedef struct
{
  CrawlRun      *run;
  UrlNode       *node;
  AdCrawlResult *result;
  ParseInput    *input;       /* until the parse starts */
  AdTask        *record;
} ParseOp;

static void
parse_input_free (ParseInput *input)
{
  g_bytes_unref (input->body);
  g_free (input->url);
  g_free (input->charset);
  scope_unref (input->scope);
  g_free (input);
}

static void
parse_output_free (ParseOutput *output)
{
  g_string_free (output->text, TRUE);
  g_array_unref (output->in_scope);
  g_free (output);
}

static void
parse_op_free (ParseOp *op)
{
  g_clear_pointer (&op->input, parse_input_free);
  g_object_unref (op->result);
  g_clear_object (&op->record);
  g_free (op);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseInput *input = task_data;
  g_autoptr(GPtrArray) links = NULL;
  ParseOutput *output;
  GError *error = NULL;

  /* ThreadSanitizer cannot see GLib's hand-offs: say where they are. */
  AD_TSAN_ACQUIRE (task);
  ad_task_start (input->record);
  links = input->scope->extract (input->body, input->url, input->charset, cancellable, &error);
  ad_task_finish (input->record, error);
  if (links == NULL)
    {
      AD_TSAN_RELEASE (task);
      g_task_return_error (task, error);
      return;
    }

  output = g_new0 (ParseOutput, 1);
  output->n_links = links->len;
  output->text = g_string_sized_new ((gsize) links->len * 48);
  output->in_scope = g_array_sized_new (FALSE, FALSE, sizeof (LinkRef), links->len);
  for (guint i = 0; i < links->len; i++)
    {
      const char *url = g_ptr_array_index (links, i);
      LinkRef ref;

      if (!scope_allows (input->scope, url))
        continue;
      ref.offset = output->text->len;
      ref.hash = g_str_hash (url);
      g_string_append_len (output->text, url, (gssize) strlen (url) + 1);
      g_array_append_val (output->in_scope, ref);
    }

  AD_TSAN_RELEASE (task);
  g_task_return_pointer (task, output, (GDestroyNotify) parse_output_free);
}

static void crawl_start_parses (CrawlRun *run);

static void
parse_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ParseOp *op = user_data;
  CrawlRun *run = op->run;
  ParseOutput *output;
  g_autoptr(GError) error = NULL;

  run->parsing--;
  AD_TSAN_ACQUIRE (result);
  output = g_task_propagate_pointer (G_TASK (result), &error);
  if (output == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The page came, but the crawl cannot go on from it: say so on its
       * result (an error like any other) and carry on with the rest. */
      g_debug ("no links from %s: %s", op->node->url, error->message);
      op->result->error = g_error_new (error->domain, error->code,
                                       _("Cannot extract the links: %s"), error->message);
    }
  else if (output != NULL)
    {
      op->result->links = output->n_links;
      if (!run->stopping && op->node->depth < run->max_depth)
        {
          for (guint i = 0; i < output->in_scope->len; i++)
            {
              const LinkRef *ref = &g_array_index (output->in_scope, LinkRef, i);

              crawl_add_url_hashed (run, output->text->str + ref->offset, ref->hash, op->node,
                                    TRUE);
            }
        }
      parse_output_free (output);
    }

  /* A page whose parsing was cancelled is still a page that was fetched
   * (without an error: the run says it was cancelled). */
  crawl_record (run, op->node, op->result);
  parse_op_free (op);

  crawl_start_parses (run);
  crawl_schedule (run);
}

/* Hands waiting pages to the pool, as many as may be parsed at once. */
static void
crawl_start_parses (CrawlRun *run)
{
  while (run->parsing < run->max_parsing && run->parse_queue.length > 0)
    {
      ParseOp *op = g_queue_pop_head (&run->parse_queue);
      g_autoptr(GTask) task = NULL;
      g_autofree char *name = g_strdup_printf ("links of %s", op->node->url);

      op->record = ad_task_registry_create (ad_task_registry_get_default (), name,
                                            AD_TASK_KIND_CPU, run->record, NULL);
      op->input->record = op->record;

      /* No source object: the task may be finalised on the worker thread,
       * which must never drop the last reference of a main-thread object. */
      task = g_task_new (NULL, run->cancellable, parse_done_cb, op);
      g_task_set_source_tag (task, crawl_start_parses);
      g_task_set_name (task, "[async-demo] extract links");
      g_task_set_task_data (task, g_steal_pointer (&op->input), (GDestroyNotify) parse_input_free);
      run->parsing++;
      AD_TSAN_RELEASE (task);
      g_task_run_in_thread (task, parse_thread);
    }
}

/* Stopping: the pages not parsed yet are recorded as they are. */
static void
crawl_drop_parses (CrawlRun *run)
{
  ParseOp *op;

  while ((op = g_queue_pop_head (&run->parse_queue)) != NULL)
    {
      crawl_record (run, op->node, op->result);
      parse_op_free (op);
    }
}

static void
crawl_parse (CrawlRun        *run,
             UrlNode         *node,
             AdCrawlResult   *result,
             AdFetchResponse *response)
{
  ParseOp *op;
  ParseInput *input;

  op = g_new0 (ParseOp, 1);
  op->run = run;
  op->node = node;
  op->result = g_object_ref (result);

  input = g_new0 (ParseInput, 1);
  input->body = g_steal_pointer (&response->body);
  input->url = g_strdup (response->final_url);
  input->charset = g_strdup (response->charset);
  input->scope = scope_ref (run->scope);
  op->input = input;

  g_queue_push_tail (&run->parse_queue, op);
  crawl_start_parses (run);
}

/* ---- fetching ------------------------------------------------------------- */

typedef struct
{
  CrawlRun *run;
  Host     *host;
  UrlNode  *node;             /* NULL for robots.txt */
  AdTask   *record;
} FetchOp;

static FetchOp *
fetch_op_new (CrawlRun   *run,
              Host       *host,
              UrlNode    *node,
              const char *url)
{
  FetchOp *op = g_new0 (FetchOp, 1);

  op->run = run;
  op->host = host;
  op->node = node;
  op->record = ad_task_registry_create (ad_task_registry_get_default (), url, AD_TASK_KIND_IO,
                                        run->record, NULL);
  ad_task_start (op->record);
  return op;
}

/* Records how the fetch ended (an HTTP status is not a failure). */
static void
fetch_op_free (FetchOp               *op,
               const AdFetchResponse *response,
               const GError          *error)
{
  ad_task_finish (op->record, response != NULL ? response->error : error);
  g_object_unref (op->record);
  g_free (op);
}

static void
crawl_release_slot (CrawlRun *run,
                    Host     *host)
{
  host->in_flight--;
  run->in_flight--;
}

static void
robots_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FetchOp *op = user_data;
  CrawlRun *run = op->run;
  Host *host = op->host;
  g_autoptr(AdFetchResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  crawl_release_slot (run, host);
  response = ad_fetch_finish (result, &error);
  fetch_op_free (op, response, error);

  if (response != NULL && response->error == NULL &&
      SOUP_STATUS_IS_SUCCESSFUL (response->status) && response->body != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (response->body, &size);

      host->robots = ad_robots_parse (data, size, run->user_agent);
    }
  else if (response != NULL && response->error == NULL && response->status >= 500)
    {
      /* RFC 9309: the server errs, so assume everything is disallowed. */
      g_debug ("robots.txt of %s answered %u: nothing of it is crawled (RFC 9309)",
               host->origin, response->status);
      host->robots = ad_robots_new_disallow_all ();
    }
  else
    /* No robots.txt (4xx), no answer, or cancelled: the pages' own
     * fetches will report why, which is more useful than skipping them. */
    host->robots = ad_robots_new_allow_all ();

  host->delay_us = MAX (host->delay_us,
                        (gint64) (ad_robots_get_crawl_delay (host->robots) * G_USEC_PER_SEC));
  g_debug ("robots.txt of %s: %u rules, delay %.1f s", host->origin,
           ad_robots_get_n_rules (host->robots), host->delay_us / (double) G_USEC_PER_SEC);

  crawl_schedule (run);
}

static void
crawl_take_slot (CrawlRun *run,
                 Host     *host)
{
  host->in_flight++;
  run->in_flight++;
  run->max_in_flight_seen = MAX (run->max_in_flight_seen, run->in_flight);
}

static void
crawl_fetch_robots (CrawlRun *run,
                    Host     *host)
{
  g_autofree char *url = g_strconcat (host->origin, "/robots.txt", NULL);
  AdFetchOptions options = run->options;
  FetchOp *op = fetch_op_new (run, host, NULL, url);

  options.max_body_size = AD_ROBOTS_MAX_SIZE;
  options.keep_all = TRUE;
  options.timeout_ms = options.timeout_ms ? MIN (options.timeout_ms, ROBOTS_TIMEOUT_MS)
                                          : ROBOTS_TIMEOUT_MS;
  host->robots_requested = TRUE;
  crawl_take_slot (run, host);

  ad_fetch_async (run->session, url, &options, run->cancellable, robots_done_cb, op);
}

static AdCrawlResult *
result_from_response (UrlNode         *node,
                      AdFetchResponse *response)
{
  AdCrawlResult *result = ad_crawl_result_new (node->url);

  if (g_strcmp0 (response->final_url, node->url) != 0)
    result->final_url = g_strdup (response->final_url);
  result->status = response->status;
  result->content_type = g_strdup (response->content_type);
  result->size = response->size;
  result->ttfb_ms = response->ttfb_us / 1000.0;
  result->total_ms = response->total_us / 1000.0;
  result->depth = node->depth;
  result->referrer = node->referrer ? g_strdup (node->referrer->url) : NULL;
  result->redirects = response->redirects->len;
  result->error = g_steal_pointer (&response->error);

  return result;
}

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  FetchOp *op = user_data;
  CrawlRun *run = op->run;
  UrlNode *node = op->node;
  g_autoptr(AdFetchResponse) response = NULL;
  g_autoptr(AdCrawlResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean parse;

  crawl_release_slot (run, op->host);
  response = ad_fetch_finish (res, &error);
  fetch_op_free (op, response, error);
  if (response == NULL)
    {
      /* Cancelled: the run is stopping and records nothing more. */
      crawl_schedule (run);
      return;
    }

  result = result_from_response (node, response);
  /* Links are followed from pages, not from error pages. */
  parse = run->crawl && !run->stopping && response->body != NULL && result->error == NULL &&
          SOUP_STATUS_IS_SUCCESSFUL (result->status) && node->depth < run->max_depth;

  /* The page also stands for its final URL: never fetch that again, and
   * if it was known already, its links are (or will be) extracted there. */
  if (result->final_url != NULL)
    {
      UrlNode *final = crawl_lookup (run, result->final_url, g_str_hash (result->final_url));

      if (final != NULL)
        parse = FALSE;
      else if (!run->crawl || scope_allows (run->scope, result->final_url))
        crawl_add_url (run, result->final_url, NULL, FALSE)->depth = node->depth;
    }

  if (parse)
    crawl_parse (run, node, result, response);
  else
    crawl_record (run, node, result);

  crawl_schedule (run);
}

/* A redirect to a page known already ends the fetch: that page is (or
 * will be) fetched and parsed as itself, not a second time through here. */
static gboolean
crawl_follow_redirect (const char *target,
                       gpointer    user_data)
{
  CrawlRun *run = user_data;

  return crawl_lookup (run, target, g_str_hash (target)) == NULL;
}

static void
crawl_fetch (CrawlRun *run,
             Host     *host,
             UrlNode  *node)
{
  FetchOp *op = fetch_op_new (run, host, node, node->url);
  AdFetchOptions options = run->options;

  options.keep_html = run->crawl;
  options.follow_redirect = crawl_follow_redirect;
  options.follow_redirect_data = run;
  run->started_pages++;
  host->next_start_us = g_get_monotonic_time () + host->delay_us;
  crawl_take_slot (run, host);

  ad_fetch_async (run->session, node->url, &options, run->cancellable, fetch_done_cb, op);
}

/* ---- the scheduler -------------------------------------------------------- */

/* The host's timer: host_free() removes it, so the pointer stays valid. */
static gboolean
wake_cb (gpointer user_data)
{
  Host *host = user_data;

  host->wake_id = 0;
  crawl_schedule (host->run);
  return G_SOURCE_REMOVE;
}

static void
host_arm_wake (Host   *host,
               gint64  now)
{
  guint ms;

  if (host->wake_id != 0)
    return;

  ms = (guint) ((host->next_start_us - now + 999) / 1000);
  host->wake_id = ad_timeout_add_named (G_PRIORITY_DEFAULT, ms, "[async-demo] crawl delay",
                                       wake_cb, host, NULL);
}

/* robots.txt rules match the path and query: in a normalised URL, all
 * that follows the authority (there is no fragment, and the path is
 * never empty). */
static gboolean
crawl_robots_allow (Host       *host,
                    const char *url)
{
  const char *authority = strstr (url, "://");
  const char *path = authority != NULL ? strchr (authority + 3, '/') : NULL;

  return ad_robots_is_allowed (host->robots, path != NULL ? path : "/");
}

/* Starts what the limits allow, taking hosts in turn. Re-entrant calls
 * (a fetch that completes at once) only ask for another pass. */
static void
crawl_schedule (CrawlRun *run)
{
  AdCrawlLimit limit = AD_CRAWL_LIMIT_NONE;
  gboolean progress = TRUE;

  if (run->scheduling)
    {
      run->reschedule = TRUE;
      return;
    }
  run->scheduling = TRUE;

  while (progress && !run->stopping)
    {
      gint64 now = g_get_monotonic_time ();
      guint n_hosts = run->host_list->len;

      progress = FALSE;
      run->reschedule = FALSE;
      limit = AD_CRAWL_LIMIT_NONE;

      for (guint i = 0; i < n_hosts && run->queued > 0; i++)
        {
          Host *host = g_ptr_array_index (run->host_list, (run->next_host + i) % n_hosts);
          UrlNode *node;

          if (host->queue.length == 0)
            continue;

          if (run->max_pages > 0 && run->started_pages >= run->max_pages)
            {
              crawl_drop_queues (run);
              break;
            }
          if (run->in_flight >= run->max_in_flight)
            {
              limit = AD_CRAWL_LIMIT_TOTAL;
              break;
            }
          if (run->crawl && run->parse_queue.length >= run->max_waiting)
            {
              limit = AD_CRAWL_LIMIT_PARSING;
              break;
            }
          if (host->robots == NULL)
            {
              if (!host->robots_requested && host->in_flight < run->max_per_host)
                {
                  crawl_fetch_robots (run, host);
                  progress = TRUE;
                }
              if (limit == AD_CRAWL_LIMIT_NONE)
                limit = AD_CRAWL_LIMIT_ROBOTS;
              continue;
            }
          if (host->in_flight >= run->max_per_host)
            {
              if (limit == AD_CRAWL_LIMIT_NONE)
                limit = AD_CRAWL_LIMIT_PER_HOST;
              continue;
            }
          if (host->delay_us > 0 && now < host->next_start_us)
            {
              host_arm_wake (host, now);
              if (limit == AD_CRAWL_LIMIT_NONE)
                limit = AD_CRAWL_LIMIT_DELAY;
              continue;
            }

          node = g_queue_pop_head (&host->queue);
          run->queued--;
          progress = TRUE;

          if (!crawl_robots_allow (host, node->url))
            {
              g_debug ("robots.txt disallows %s", node->url);
              run->skipped++;
              continue;
            }

          crawl_fetch (run, host, node);
        }

      run->next_host++;
      progress = progress || run->reschedule;
    }

  run->limit = run->queued > 0 ? limit : AD_CRAWL_LIMIT_NONE;
  run->scheduling = FALSE;
  crawl_maybe_finish (run);
}

/* ---- starting, stopping, finishing ------------------------------------------ */

static void
crawl_stop (CrawlRun *run)
{
  if (run->stopping)
    return;

  run->stopping = TRUE;
  crawl_drop_queues (run);
  crawl_drop_parses (run);
  /* The fetches and parses stop from the main loop (their cancellable
   * sources), never inside this call. */
  g_cancellable_cancel (run->cancellable);
  crawl_maybe_finish (run);
}

static gboolean
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  CrawlRun *run = user_data;

  g_debug ("crawl cancelled");
  crawl_stop (run);
  /* A cancelled cancellable's source stays ready: dispatch it once. */
  return G_SOURCE_REMOVE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  CrawlRun *run = user_data;

  run->deadline_id = 0;
  run->deadline_hit = TRUE;
  g_debug ("crawl deadline reached");
  crawl_stop (run);
  return G_SOURCE_REMOVE;
}

static int
compare_results_by_url (gconstpointer a,
                        gconstpointer b,
                        gpointer      user_data)
{
  return g_strcmp0 (AD_CRAWL_RESULT ((gpointer) a)->url, AD_CRAWL_RESULT ((gpointer) b)->url);
}

/* The summary: each broken link with every page that links to it. */
static void
crawl_collect_broken (CrawlRun *run)
{
  AdCrawler *self = run->self;
  GHashTableIter iter;
  UrlNode *node;

  g_hash_table_iter_init (&iter, run->seen);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &node))
    {
      GStrvBuilder *builder;

      if (node->result == NULL || !ad_crawl_result_is_broken (node->result))
        continue;

      builder = g_strv_builder_new ();
      if (node->referrers != NULL)
        for (guint i = 0; i < node->referrers->len; i++)
          g_strv_builder_add (builder, ((UrlNode *) g_ptr_array_index (node->referrers, i))->url);
      ad_crawl_result_set_referrers (node->result, g_strv_builder_end (builder));
      g_strv_builder_unref (builder);

      g_list_store_insert_sorted (self->broken, node->result, compare_results_by_url, NULL);
    }
}

static gboolean
crawl_finish_cb (gpointer user_data)
{
  CrawlRun *run = user_data;
  AdCrawler *self = run->self;
  g_autoptr(GTask) task = g_steal_pointer (&run->task);
  GError *error = NULL;

  run->finish_id = 0;
  if (run->in_flight > 0 || run->parsing > 0)
    {
      run->task = g_steal_pointer (&task);
      return G_SOURCE_REMOVE;
    }

  crawl_collect_broken (run);
  crawler_publish (self);
  g_clear_handle_id (&self->publish_id, g_source_remove);
  self->run = NULL;

  g_debug ("crawl done: %u pages, %u errors, %u skipped", run->done, run->errors, run->skipped);

  if (run->deadline_hit)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                 _("The crawl’s deadline was reached"));
  else if (run->stopping)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));

  ad_task_finish (run->record, error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);

  crawl_run_free (run);
  crawler_publish (self);

  return G_SOURCE_REMOVE;
}

/* Finishing waits for an idle: a completion may call in from deep inside
 * a callback chain, and the run must not be freed under it. The idle has
 * the default priority, not G_PRIORITY_DEFAULT_IDLE: in a GTK window whose
 * frames take longer than a frame to draw (software rendering, a spinner
 * running), sources above idle priority are always ready and a low
 * priority idle would never run, so the crawl would never end. */
static void
crawl_maybe_finish (CrawlRun *run)
{
  if (run->finish_id != 0 || run->in_flight > 0 || run->parsing > 0)
    return;
  if (run->queued > 0 && !run->stopping)
    return;

  run->finish_id = ad_idle_add_named (G_PRIORITY_DEFAULT, "[async-demo] crawl finish",
                                     crawl_finish_cb, run, NULL);
}

static gboolean
publish_cb (gpointer user_data)
{
  crawler_publish (user_data);
  return G_SOURCE_CONTINUE;
}

static SoupSession *
crawler_get_session (AdCrawler *self)
{
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("max-conns", self->max_in_flight,
                                                   "max-conns-per-host", self->max_per_host,
                                                   NULL);
  soup_session_set_user_agent (self->session, self->user_agent);
  return self->session;
}

static gboolean
crawler_begin (AdCrawler           *self,
               GTask               *task,
               gboolean             crawl,
               const char * const  *urls,
               GError             **error)
{
  g_autoptr(GPtrArray) normal = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRegex) include = NULL;
  g_autoptr(GRegex) exclude = NULL;
  GCancellable *caller = g_task_get_cancellable (task);
  g_autofree char *run_name = NULL;
  CrawlRun *run;
  Scope *scope;

  if (self->run != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The crawler is already running"));
      return FALSE;
    }

  for (guint i = 0; urls[i] != NULL; i++)
    {
      char *url = ad_url_normalize (urls[i], error);

      if (url == NULL)
        return FALSE;
      g_ptr_array_add (normal, url);
    }

  /* No G_REGEX_OPTIMIZE: PCRE's JIT reads past the end of the subject in
   * 16-byte steps (valgrind reports each), and an URL is short anyway. */
  if (self->include_pattern != NULL && self->include_pattern[0] != '\0')
    {
      include = g_regex_new (self->include_pattern, 0, 0, error);
      if (include == NULL)
        return FALSE;
    }
  if (self->exclude_pattern != NULL && self->exclude_pattern[0] != '\0')
    {
      exclude = g_regex_new (self->exclude_pattern, 0, 0, error);
      if (exclude == NULL)
        return FALSE;
    }

  scope = g_new0 (Scope, 1);
  g_atomic_ref_count_init (&scope->ref_count);
  scope->mode = self->scope;
  scope->include = g_steal_pointer (&include);
  scope->exclude = g_steal_pointer (&exclude);
  scope->extract = self->extract != NULL ? self->extract : ad_link_extract;
  if (crawl && normal->len > 0 && self->scope == AD_CRAWL_SCOPE_HOST)
    {
      g_autofree char *origin = ad_url_get_origin (g_ptr_array_index (normal, 0));

      scope->prefix = g_strconcat (origin, "/", NULL);
    }
  else if (crawl && normal->len > 0 && self->scope == AD_CRAWL_SCOPE_PATH_PREFIX)
    {
      const char *start = g_ptr_array_index (normal, 0);
      const char *query = strchr (start, '?');
      const char *slash = g_strrstr_len (start, query ? query - start : -1, "/");

      scope->prefix = g_strndup (start, slash - start + 1);
    }

  run_name = crawl ? g_strdup_printf ("crawl %s", (char *) g_ptr_array_index (normal, 0))
                   : g_strdup_printf ("fetch %u URLs", normal->len);
  run = g_new0 (CrawlRun, 1);
  run->self = self;
  run->task = g_object_ref (task);
  run->crawl = crawl;
  run->scope = scope;
  run->session = g_object_ref (crawler_get_session (self));
  run->cancellable = g_cancellable_new ();
  run->options.timeout_ms = self->timeout_ms;
  run->options.max_redirects = self->max_redirects;
  run->options.max_body_size = self->max_body_size;
  run->max_in_flight = self->max_in_flight;
  run->max_per_host = self->max_per_host;
  run->max_pages = self->max_pages;
  run->max_depth = crawl ? self->max_depth : 0;
  run->max_parsing = self->max_parsing > 0 ? self->max_parsing : g_get_num_processors () + 1;
  run->max_waiting = MAX (4, self->max_in_flight);
  run->host_delay_us = self->per_host_delay_ms * (gint64) 1000;
  run->ignore_robots = self->ignore_robots;
  run->user_agent = g_strdup (self->user_agent);
  run->seen = g_hash_table_new_full (url_node_hash, url_node_equal, NULL,
                                     (GDestroyNotify) url_node_free);
  g_queue_init (&run->parse_queue);
  run->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) host_free);
  run->host_list = g_ptr_array_new ();
  run->pending = g_ptr_array_new_with_free_func (g_object_unref);
  run->started_us = g_get_monotonic_time ();
  self->run = run;

  for (guint i = 0; i < normal->len; i++)
    crawl_add_url (run, g_ptr_array_index (normal, i), NULL, TRUE);

  run->record = ad_task_registry_create (ad_task_registry_get_default (), run_name,
                                         AD_TASK_KIND_GROUP, NULL, run->cancellable);
  ad_task_start (run->record);
  run->cancel_source = g_cancellable_source_new (run->cancellable);
  g_source_set_name (run->cancel_source, "[async-demo] crawl cancelled");
  /* Not ad_source_set_callback_traced(): a cancellable source's callback
   * takes the cancellable first, which the traced wrapper does not pass. */
  g_source_set_callback (run->cancel_source, G_SOURCE_FUNC (run_cancelled_cb), run, NULL);
  g_source_attach (run->cancel_source, g_task_get_context (task));

  if (caller != NULL)
    {
      /* The caller's cancellable, or cancelling the task in the registry,
       * cancels the run's own; the run sees it from the main loop. */
      ad_task_link_cancellable (run->record, caller);
    }
  if (self->deadline_ms > 0)
    {
      run->deadline_id = ad_timeout_add_named (G_PRIORITY_DEFAULT, self->deadline_ms,
                                               "[async-demo] crawl deadline", deadline_cb, run,
                                               NULL);
    }

  g_list_store_remove_all (self->results);
  g_list_store_remove_all (self->broken);
  self->publish_id = ad_timeout_add_named (G_PRIORITY_DEFAULT, PUBLISH_INTERVAL_MS,
                                           "[async-demo] crawl publish", publish_cb, self, NULL);

  crawl_schedule (run);
  crawler_publish (self);

  return TRUE;
}

static void
crawler_start (AdCrawler           *self,
               gboolean             crawl,
               const char * const  *urls,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_crawler_run_finish);
  g_task_set_name (task, crawl ? "[async-demo] crawl" : "[async-demo] fetch list");
  /* The run reports cancellation itself, once everything has stopped. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!crawler_begin (self, task, crawl, urls, &error))
    g_task_return_error (task, error);
}

/* ---- publishing ----------------------------------------------------------- */

#define PUBLISH(field, value, prop)                                          \
  G_STMT_START {                                                             \
    if (self->field != (value))                                              \
      {                                                                      \
        self->field = (value);                                               \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);        \
      }                                                                      \
  } G_STMT_END

/* Moves new results into the model and updates the counters, notifying
 * only what changed. */
static void
crawler_publish (AdCrawler *self)
{
  CrawlRun *run = self->run;
  double elapsed;

  g_object_freeze_notify (G_OBJECT (self));

  if (run == NULL)
    {
      PUBLISH (running, FALSE, PROP_RUNNING);
      PUBLISH (queued, 0, PROP_QUEUED);
      PUBLISH (in_flight, 0, PROP_IN_FLIGHT);
      PUBLISH (limit, AD_CRAWL_LIMIT_NONE, PROP_LIMIT);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  if (run->pending->len > 0)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results));

      g_list_store_splice (self->results, n, 0, run->pending->pdata, run->pending->len);
      g_ptr_array_set_size (run->pending, 0);
    }

  elapsed = (g_get_monotonic_time () - run->started_us) / (double) G_USEC_PER_SEC;
  PUBLISH (running, TRUE, PROP_RUNNING);
  PUBLISH (queued, run->queued, PROP_QUEUED);
  PUBLISH (in_flight, run->in_flight, PROP_IN_FLIGHT);
  PUBLISH (done, run->done, PROP_DONE);
  PUBLISH (errors, run->errors, PROP_ERRORS);
  PUBLISH (skipped, run->skipped, PROP_SKIPPED);
  PUBLISH (bytes, run->bytes, PROP_BYTES);
  PUBLISH (limit, run->limit, PROP_LIMIT);
  PUBLISH (elapsed, elapsed, PROP_ELAPSED);
  PUBLISH (pages_per_second, elapsed > 0 ? run->done / elapsed : 0, PROP_PAGES_PER_SECOND);
  self->max_in_flight_seen = run->max_in_flight_seen;

  g_object_thaw_notify (G_OBJECT (self));
}

#undef PUBLISH

/* ---- GObject -------------------------------------------------------------- */

static void
crawler_drop_session (AdCrawler *self)
{
  /* max-conns and max-conns-per-host are construct-only: the next run
   * makes a session with the new values (a running one keeps its own). */
  g_clear_object (&self->session);
}

static void
ad_crawler_dispose (GObject *object)
{
  AdCrawler *self = AD_CRAWLER (object);

  /* A running crawl holds a reference through its task. */
  g_assert (self->run == NULL);
  g_clear_handle_id (&self->publish_id, g_source_remove);
  g_clear_object (&self->session);

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
    case PROP_MAX_IN_FLIGHT:
      g_value_set_uint (value, self->max_in_flight);
      break;
    case PROP_MAX_PER_HOST:
      g_value_set_uint (value, self->max_per_host);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;
    case PROP_DEADLINE:
      g_value_set_uint (value, self->deadline_ms);
      break;
    case PROP_MAX_PAGES:
      g_value_set_uint (value, self->max_pages);
      break;
    case PROP_MAX_DEPTH:
      g_value_set_uint (value, self->max_depth);
      break;
    case PROP_SCOPE:
      g_value_set_enum (value, self->scope);
      break;
    case PROP_INCLUDE_PATTERN:
      g_value_set_string (value, self->include_pattern);
      break;
    case PROP_EXCLUDE_PATTERN:
      g_value_set_string (value, self->exclude_pattern);
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    case PROP_PER_HOST_DELAY:
      g_value_set_uint (value, self->per_host_delay_ms);
      break;
    case PROP_MAX_REDIRECTS:
      g_value_set_uint (value, self->max_redirects);
      break;
    case PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;
    case PROP_IGNORE_ROBOTS:
      g_value_set_boolean (value, self->ignore_robots);
      break;
    case PROP_RESULTS:
      g_value_set_object (value, self->results);
      break;
    case PROP_BROKEN_LINKS:
      g_value_set_object (value, self->broken);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_QUEUED:
      g_value_set_uint (value, self->queued);
      break;
    case PROP_IN_FLIGHT:
      g_value_set_uint (value, self->in_flight);
      break;
    case PROP_DONE:
      g_value_set_uint (value, self->done);
      break;
    case PROP_ERRORS:
      g_value_set_uint (value, self->errors);
      break;
    case PROP_SKIPPED:
      g_value_set_uint (value, self->skipped);
      break;
    case PROP_BYTES:
      g_value_set_uint64 (value, self->bytes);
      break;
    case PROP_PAGES_PER_SECOND:
      g_value_set_double (value, self->pages_per_second);
      break;
    case PROP_ELAPSED:
      g_value_set_double (value, self->elapsed);
      break;
    case PROP_LIMIT:
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
set_string (AdCrawler    *self,
            char        **field,
            const GValue *value,
            int           prop)
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
    case PROP_MAX_IN_FLIGHT:
      if (self->max_in_flight != g_value_get_uint (value))
        crawler_drop_session (self);
      set_uint (self, &self->max_in_flight, value, prop_id);
      break;
    case PROP_MAX_PER_HOST:
      if (self->max_per_host != g_value_get_uint (value))
        crawler_drop_session (self);
      set_uint (self, &self->max_per_host, value, prop_id);
      break;
    case PROP_TIMEOUT:
      set_uint (self, &self->timeout_ms, value, prop_id);
      break;
    case PROP_DEADLINE:
      set_uint (self, &self->deadline_ms, value, prop_id);
      break;
    case PROP_MAX_PAGES:
      set_uint (self, &self->max_pages, value, prop_id);
      break;
    case PROP_MAX_DEPTH:
      set_uint (self, &self->max_depth, value, prop_id);
      break;
    case PROP_SCOPE:
      if (self->scope != (AdCrawlScope) g_value_get_enum (value))
        {
          self->scope = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_INCLUDE_PATTERN:
      set_string (self, &self->include_pattern, value, prop_id);
      break;
    case PROP_EXCLUDE_PATTERN:
      set_string (self, &self->exclude_pattern, value, prop_id);
      break;
    case PROP_USER_AGENT:
      set_string (self, &self->user_agent, value, prop_id);
      break;
    case PROP_PER_HOST_DELAY:
      set_uint (self, &self->per_host_delay_ms, value, prop_id);
      break;
    case PROP_MAX_REDIRECTS:
      set_uint (self, &self->max_redirects, value, prop_id);
      break;
    case PROP_MAX_BODY_SIZE:
      if (self->max_body_size != g_value_get_uint64 (value))
        {
          self->max_body_size = g_value_get_uint64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_IGNORE_ROBOTS:
      if (self->ignore_robots != g_value_get_boolean (value))
        {
          self->ignore_robots = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
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
  properties[PROP_MAX_IN_FLIGHT] =
    g_param_spec_uint ("max-in-flight", NULL, NULL, 1, 1024,
                       AD_CRAWLER_DEFAULT_MAX_IN_FLIGHT, rw);
  properties[PROP_MAX_PER_HOST] =
    g_param_spec_uint ("max-per-host", NULL, NULL, 1, 1024, AD_CRAWLER_DEFAULT_MAX_PER_HOST, rw);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, AD_CRAWLER_DEFAULT_TIMEOUT_MS, rw);
  properties[PROP_DEADLINE] =
    g_param_spec_uint ("deadline", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_MAX_PAGES] =
    g_param_spec_uint ("max-pages", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_MAX_DEPTH] =
    g_param_spec_uint ("max-depth", NULL, NULL, 0, G_MAXUINT, AD_CRAWLER_DEFAULT_MAX_DEPTH, rw);
  properties[PROP_SCOPE] =
    g_param_spec_enum ("scope", NULL, NULL, AD_TYPE_CRAWL_SCOPE, AD_CRAWL_SCOPE_HOST, rw);
  properties[PROP_INCLUDE_PATTERN] =
    g_param_spec_string ("include-pattern", NULL, NULL, NULL, rw);
  properties[PROP_EXCLUDE_PATTERN] =
    g_param_spec_string ("exclude-pattern", NULL, NULL, NULL, rw);
  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, "async-demo/" PACKAGE_VERSION, rw);
  properties[PROP_PER_HOST_DELAY] =
    g_param_spec_uint ("per-host-delay", NULL, NULL, 0, 600000, 0, rw);
  properties[PROP_MAX_REDIRECTS] =
    g_param_spec_uint ("max-redirects", NULL, NULL, 0, 100, AD_FETCH_DEFAULT_MAX_REDIRECTS, rw);
  properties[PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL, 0, G_MAXUINT64,
                         AD_FETCH_DEFAULT_MAX_BODY_SIZE, rw);
  properties[PROP_IGNORE_ROBOTS] =
    g_param_spec_boolean ("ignore-robots", NULL, NULL, FALSE, rw);

  /* State, published every 100 ms while running and at the end. */
  properties[PROP_RESULTS] =
    g_param_spec_object ("results", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_BROKEN_LINKS] =
    g_param_spec_object ("broken-links", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_QUEUED] = g_param_spec_uint ("queued", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_IN_FLIGHT] = g_param_spec_uint ("in-flight", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_DONE] = g_param_spec_uint ("done", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_ERRORS] = g_param_spec_uint ("errors", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_SKIPPED] = g_param_spec_uint ("skipped", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_BYTES] = g_param_spec_uint64 ("bytes", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_PAGES_PER_SECOND] =
    g_param_spec_double ("pages-per-second", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_ELAPSED] = g_param_spec_double ("elapsed", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_LIMIT] =
    g_param_spec_enum ("limit", NULL, NULL, AD_TYPE_CRAWL_LIMIT, AD_CRAWL_LIMIT_NONE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
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
 * "max-redirects", "max-body-size", "ignore-robots"); a run reads them
 * when it starts.
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

  crawler_start (self, TRUE, urls, cancellable, callback, user_data);
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

  crawler_start (self, FALSE, urls, cancellable, callback, user_data);
}

/**
 * ad_crawler_run_finish:
 *
 * Returns: %TRUE when the crawl or the fetches ran to the end (broken
 *   links are results, not errors); %FALSE with @error set when the run
 *   could not start, was cancelled (%G_IO_ERROR_CANCELLED) or reached its
 *   deadline (%G_IO_ERROR_TIMED_OUT). The results so far stay in the model.
 */
gboolean
ad_crawler_run_finish (AdCrawler     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (AD_IS_CRAWLER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_crawler_run_finish, FALSE);

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

/* ---- for the tests (ad-crawler-private.h) ----------------------------------- */

/**
 * ad_crawler_set_max_parsing:
 * @max_parsing: pages parsed at once from the next run on; 0 for the
 *   default, one more than there are cores
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
