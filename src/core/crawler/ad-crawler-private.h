/* ad-crawler-private.h: the crawler's parts, and knobs the tests turn
 *
 * AdCrawler is one class over several files, each with one concern:
 *
 *   ad-crawler.c           the class: settings, published state, public API
 *   ad-crawler-run.c       a run: starting, stopping, the deadline, finishing
 *   ad-crawler-schedule.c  the frontier (URL nodes, hosts, queues) and the
 *                          scheduler that weighs every host's limits
 *   ad-crawler-robots.c    robots.txt, fetched once per host
 *   ad-crawler-fetch.c     fetching pages on the HTTP client
 *   ad-crawler-parse.c     link extraction on the thread pool
 *   ad-crawler-scope.c     which links a crawl follows (thread-safe)
 *   ad-crawler-publish.c   results and counters to the models and properties
 *
 * This header is not part of the API: the tests use the two settings at
 * the end. They reach paths a real crawl only meets by chance: fetched
 * pages waiting for a parser (one parse at a time makes the queue fill),
 * and a page whose links cannot be extracted (ad_link_extract() only fails
 * for a base URL that is not a URL, which a fetched page never has, or
 * when cancelled). Both settings are read when a run starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "ad-crawler.h"
#include "ad-fetch.h"
#include "ad-robots.h"
#include "ad-task-registry.h"

G_BEGIN_DECLS

/* ad_link_extract()'s signature: called on a pool thread. */
typedef GPtrArray *(*AdCrawlerExtractFunc) (GBytes        *html,
                                            const char    *base_url,
                                            const char    *charset,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* ---- the scope: immutable, shared with pool threads ------------------------ */

typedef struct
{
  gatomicrefcount       ref_count;
  AdCrawlScope          mode;
  char                 *prefix;   /* "scheme://host[:port]/" or the start's directory */
  GRegex               *include;
  GRegex               *exclude;
  AdCrawlerExtractFunc  extract;  /* ad_link_extract() but in tests */
} AdCrawlerScope;

/* ---- the run's bookkeeping ------------------------------------------------ */

typedef struct _AdCrawlerNode AdCrawlerNode;
typedef struct _AdCrawlerRun AdCrawlerRun;
typedef struct _AdCrawlerWorker AdCrawlerWorker;

/* A crawl meets each page some 300 times, once per link to it, and most
 * of those on the main loop only find a page fetched fine: the node says
 * so itself, and keeps its URL in the same block, so that answer costs no
 * memory access beyond the node. */
struct _AdCrawlerNode
{
  char          *url;         /* normalised, right after the node; the key in run->seen */
  guint          hash;        /* g_str_hash (url) */
  guint          depth;
  gboolean       fetched_ok;  /* recorded, and not broken: needs no referrers */
  AdCrawlerNode *referrer;    /* the page it was found on first */
  /* Every page linking here, until fetched fine: a plain growing array,
   * added to some 300 times a page (g_ptr_array_add() cost ~85 instructions
   * a call there, a tenth of the main loop's work per page). */
  AdCrawlerNode **referrers;
  guint          n_referrers;
  guint          referrers_size;
  AdCrawlResult *result;      /* owned, once fetched */
};

typedef struct
{
  AdCrawlerRun *run;          /* unowned: the run owns its hosts */
  char         *origin;
  GQueue        queue;        /* AdCrawlerNode*, waiting */
  guint         in_flight;
  AdRobots     *robots;       /* NULL until robots.txt is known */
  gboolean      robots_requested;
  gint64        delay_us;
  gint64        next_start_us;
  guint         wake_id;      /* wakes the scheduler when the delay is over */
} AdCrawlerHost;

struct _AdCrawlerRun
{
  AdCrawler       *self;      /* unowned: the task holds a reference */
  GTask           *task;
  AdHttpClient    *client;
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

  AdCrawlerScope  *scope;
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

  GHashTable      *seen;      /* AdCrawlerNode (by url and hash) → itself */
  GHashTable      *hosts;     /* origin → AdCrawlerHost */
  GHashTable      *authorities; /* "scheme://authority" of a URL → its AdCrawlerHost */
  GPtrArray       *host_list; /* AdCrawlerHost*, in turn order */
  guint            next_host;

  guint            queued;
  guint            in_flight;
  guint            max_in_flight_seen;
  gint64           gauge_us;          /* when the areas below were last added to */
  double           in_flight_area;    /* ∫ in_flight dt, in µs */
  double           parsing_area;      /* ∫ parsing dt */
  double           waiting_area;      /* ∫ parse_queue.length dt */
  guint            parsing;
  GQueue           parse_queue;  /* fetched pages waiting for a parser */
  guint            started_pages;
  guint            done;
  guint            errors;
  guint            skipped;
  guint64          bytes;
  AdCrawlLimit     limit;
  gint64           started_us;
  GPtrArray       *pending;   /* AdCrawlResult*, not yet in the model */

  /* Fetching a list on worker threads (ad-crawler-fetch.c); NULL, or
   * empty, when the run fetches on its own main loop. */
  GPtrArray       *workers;     /* AdCrawlerWorker* */
  guint            next_worker;
  GMainContext    *context;     /* the run's: where finished fetches come back */
  GSource         *finished_source; /* woken when a worker finished a fetch */
  GMutex           finished_lock;   /* guards finished, finished_pending, known */
  GQueue           finished;        /* AdCrawlerFetchOp*, finished on a worker */
  gboolean         finished_pending;
  GHashTable      *known;       /* the nodes' URLs, for the workers' redirect checks */
};

/* One request on the client: a page, or a host's robots.txt. */
typedef struct
{
  AdCrawlerRun  *run;
  AdCrawlerHost *host;
  AdCrawlerNode *node;        /* NULL for robots.txt */
  AdTask        *record;
  /* On a worker: what it fetches, and how it ended. */
  AdFetchOptions   options;
  AdFetchResponse *response;
  GError          *error;
} AdCrawlerFetchOp;

/* ---- the class ------------------------------------------------------------ */

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
  guint         fetch_threads; /* 0: fetch on the main loop */
  guint         max_parsing;  /* 0: ad_crawler_default_max_parsing() */
  AdCrawlerExtractFunc extract;

  AdHttpClient *client;       /* made for the current limits, on first use */
  GListStore   *results;
  GListStore   *broken;
  AdCrawlerRun *run;
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
  double        mean_in_flight;
  double        mean_parsing;
  double        mean_waiting;
};

typedef enum
{
  AD_CRAWLER_PROP_0,
  /* settings */
  AD_CRAWLER_PROP_MAX_IN_FLIGHT,
  AD_CRAWLER_PROP_MAX_PER_HOST,
  AD_CRAWLER_PROP_TIMEOUT,
  AD_CRAWLER_PROP_DEADLINE,
  AD_CRAWLER_PROP_MAX_PAGES,
  AD_CRAWLER_PROP_MAX_DEPTH,
  AD_CRAWLER_PROP_SCOPE,
  AD_CRAWLER_PROP_INCLUDE_PATTERN,
  AD_CRAWLER_PROP_EXCLUDE_PATTERN,
  AD_CRAWLER_PROP_USER_AGENT,
  AD_CRAWLER_PROP_PER_HOST_DELAY,
  AD_CRAWLER_PROP_MAX_REDIRECTS,
  AD_CRAWLER_PROP_MAX_BODY_SIZE,
  AD_CRAWLER_PROP_IGNORE_ROBOTS,
  AD_CRAWLER_PROP_FETCH_THREADS,
  /* state */
  AD_CRAWLER_PROP_RESULTS,
  AD_CRAWLER_PROP_BROKEN_LINKS,
  AD_CRAWLER_PROP_RUNNING,
  AD_CRAWLER_PROP_QUEUED,
  AD_CRAWLER_PROP_IN_FLIGHT,
  AD_CRAWLER_PROP_DONE,
  AD_CRAWLER_PROP_ERRORS,
  AD_CRAWLER_PROP_SKIPPED,
  AD_CRAWLER_PROP_BYTES,
  AD_CRAWLER_PROP_PAGES_PER_SECOND,
  AD_CRAWLER_PROP_ELAPSED,
  AD_CRAWLER_PROP_LIMIT,
  AD_CRAWLER_N_PROPS
} AdCrawlerProp;

/* ad-crawler.c */
void            ad_crawler_notify              (AdCrawler       *self,
                                                AdCrawlerProp    prop);

/* ad-crawler-run.c */
void            ad_crawler_start_run           (AdCrawler           *self,
                                                gboolean             crawl,
                                                const char * const  *urls,
                                                gpointer             source_tag,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
void            ad_crawler_run_maybe_finish    (AdCrawlerRun    *run);

/* ad-crawler-publish.c */
void            ad_crawler_publish             (AdCrawler       *self);
void            ad_crawler_publish_start       (AdCrawler       *self);
void            ad_crawler_publish_stop        (AdCrawler       *self);

/* ad-crawler-scope.c */
AdCrawlerScope *ad_crawler_scope_new           (AdCrawlScope          mode,
                                                const char           *start_url,
                                                const char           *include_pattern,
                                                const char           *exclude_pattern,
                                                AdCrawlerExtractFunc  extract,
                                                GError              **error);
AdCrawlerScope *ad_crawler_scope_ref           (AdCrawlerScope  *scope);
void            ad_crawler_scope_unref         (AdCrawlerScope  *scope);
gboolean        ad_crawler_scope_allows        (const AdCrawlerScope *scope,
                                                const char           *url);

/* ad-crawler-schedule.c */
void            ad_crawler_node_free           (AdCrawlerNode   *node);
guint           ad_crawler_node_hash           (gconstpointer    key);
gboolean        ad_crawler_node_equal          (gconstpointer    a,
                                                gconstpointer    b);
void            ad_crawler_host_free           (AdCrawlerHost   *host);
AdCrawlerNode  *ad_crawler_run_lookup          (AdCrawlerRun    *run,
                                                const char      *url,
                                                guint            hash);
AdCrawlerNode  *ad_crawler_run_add_url_hashed  (AdCrawlerRun    *run,
                                                const char      *url,
                                                guint            hash,
                                                AdCrawlerNode   *referrer,
                                                gboolean         queue);
AdCrawlerNode  *ad_crawler_run_add_url         (AdCrawlerRun    *run,
                                                const char      *url,
                                                AdCrawlerNode   *referrer,
                                                gboolean         queue);
void            ad_crawler_run_drop_queues     (AdCrawlerRun    *run);
void            ad_crawler_run_record          (AdCrawlerRun    *run,
                                                AdCrawlerNode   *node,
                                                AdCrawlResult   *result);
void            ad_crawler_run_schedule        (AdCrawlerRun    *run);
void            ad_crawler_run_gauge           (AdCrawlerRun    *run);

/* ad-crawler-robots.c */
void            ad_crawler_run_fetch_robots    (AdCrawlerRun    *run,
                                                AdCrawlerHost   *host);
gboolean        ad_crawler_host_robots_allow   (AdCrawlerHost   *host,
                                                const char      *url);

/* ad-crawler-fetch.c */
AdHttpClient   *ad_crawler_ensure_client       (AdCrawler       *self);
AdCrawlerFetchOp *ad_crawler_fetch_op_new      (AdCrawlerRun    *run,
                                                AdCrawlerHost   *host,
                                                AdCrawlerNode   *node,
                                                const char      *url);
void            ad_crawler_fetch_op_free       (AdCrawlerFetchOp      *op,
                                                const AdFetchResponse *response,
                                                const GError          *error);
void            ad_crawler_run_take_slot       (AdCrawlerRun    *run,
                                                AdCrawlerHost   *host);
void            ad_crawler_run_release_slot    (AdCrawlerRun    *run,
                                                AdCrawlerHost   *host);
void            ad_crawler_run_fetch           (AdCrawlerRun    *run,
                                                AdCrawlerHost   *host,
                                                AdCrawlerNode   *node);
void            ad_crawler_run_start_workers   (AdCrawlerRun    *run,
                                                guint            n_threads);
void            ad_crawler_run_stop_workers    (AdCrawlerRun    *run);
void            ad_crawler_run_cancel_workers  (AdCrawlerRun    *run);
void            ad_crawler_run_know_url        (AdCrawlerRun    *run,
                                                const char      *url);

/* ad-crawler-parse.c */
void            ad_crawler_run_parse           (AdCrawlerRun    *run,
                                                AdCrawlerNode   *node,
                                                AdCrawlResult   *result,
                                                AdFetchResponse *response);
void            ad_crawler_run_drop_parses     (AdCrawlerRun    *run);
guint           ad_crawler_default_max_parsing (guint            max_in_flight);

/* ---- for the tests ---------------------------------------------------------- */

void ad_crawler_set_max_parsing  (AdCrawler            *self,
                                  guint                 max_parsing);
void ad_crawler_set_extract_func (AdCrawler            *self,
                                  AdCrawlerExtractFunc  extract);

G_END_DECLS
