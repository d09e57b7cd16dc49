/* ad-crawler-fetch.c: fetching pages on the HTTP client
 *
 * One AdHttpClient for the crawler, made for the current limits (it keeps
 * as many idle connections as requests may be in flight; changing them
 * makes a new client for the next run). Each fetch is a
 * child task of the run in the task registry (kind IO, on the main loop);
 * an HTTP error status is not a failed task. A page reached through a
 * redirect is recorded under its final URL too, and a redirect to a page
 * known already is not followed: every page is fetched once. An HTML page
 * of a crawl goes on to the parser (ad-crawler-parse.c).
 *
 * A list (not a crawl) may be fetched on worker threads ("fetch-threads"),
 * to use more than one core: each has its own GMainContext and client
 * (a client is used from one thread only). The scheduler, the
 * task registry and the results stay on the run's main loop: it deals the
 * fetches out in turn, and each worker hands finished fetches back in
 * batches, one wake-up of the main loop for all that finished meanwhile.
 * A redirect is checked against the run's URLs in a locked set of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include "ad-crawler-private.h"
#include "ad-crawl-result-private.h"
#include "ad-tsan.h"

AdCrawlerFetchOp *
ad_crawler_fetch_op_new (AdCrawlerRun  *run,
                         AdCrawlerHost *host,
                         AdCrawlerNode *node,
                         const char    *url)
{
  AdCrawlerFetchOp *op = g_new0 (AdCrawlerFetchOp, 1);

  op->run = run;
  op->host = host;
  op->node = node;
  op->record = ad_task_registry_create (ad_task_registry_get_default (), url, AD_TASK_KIND_IO,
                                        run->record, NULL);
  ad_task_start (op->record);
  return op;
}

/* Records how the fetch ended (an HTTP status is not a failure). */
void
ad_crawler_fetch_op_free (AdCrawlerFetchOp      *op,
                          const AdFetchResponse *response,
                          const GError          *error)
{
  ad_task_finish (op->record, response != NULL ? response->error : error);
  g_object_unref (op->record);
  g_free (op);
}

void
ad_crawler_run_release_slot (AdCrawlerRun  *run,
                             AdCrawlerHost *host)
{
  ad_crawler_run_gauge (run);
  host->in_flight--;
  run->in_flight--;
}

void
ad_crawler_run_take_slot (AdCrawlerRun  *run,
                          AdCrawlerHost *host)
{
  ad_crawler_run_gauge (run);
  host->in_flight++;
  run->in_flight++;
  run->max_in_flight_seen = MAX (run->max_in_flight_seen, run->in_flight);
}

static AdCrawlResult *
result_from_response (AdCrawlerNode   *node,
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

/* Takes a finished fetch's outcome (@response and @error, both owned)
 * on the run's main loop; the caller schedules what comes next. */
static void
fetch_done (AdCrawlerFetchOp *op,
            AdFetchResponse  *response_in,
            GError           *error_in)
{
  AdCrawlerRun *run = op->run;
  AdCrawlerNode *node = op->node;
  g_autoptr(AdFetchResponse) response = response_in;
  g_autoptr(AdCrawlResult) result = NULL;
  g_autoptr(GError) error = error_in;
  gboolean parse;

  ad_crawler_run_release_slot (run, op->host);
  ad_crawler_fetch_op_free (op, response, error);
  if (response == NULL)
    {
      /* Cancelled: the run is stopping and records nothing more. */
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
      AdCrawlerNode *final = ad_crawler_run_lookup (run, result->final_url,
                                                    g_str_hash (result->final_url));

      if (final != NULL)
        parse = FALSE;
      else if (!run->crawl || ad_crawler_scope_allows (run->scope, result->final_url))
        {
          final = ad_crawler_run_add_url (run, result->final_url, NULL, FALSE);
          final->depth = node->depth;
          ad_crawler_run_know_url (run, final->url);
        }
    }

  if (parse)
    ad_crawler_run_parse (run, node, result, response);
  else
    ad_crawler_run_record (run, node, result);
}

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  AdCrawlerFetchOp *op = user_data;
  AdCrawlerRun *run = op->run;
  GError *error = NULL;
  AdFetchResponse *response = ad_fetch_finish (res, &error);

  fetch_done (op, response, error);
  ad_crawler_run_schedule (run);
}

/* A redirect to a page known already ends the fetch: that page is (or
 * will be) fetched and parsed as itself, not a second time through here. */
static gboolean
crawl_follow_redirect (const char *target,
                       gpointer    user_data)
{
  AdCrawlerRun *run = user_data;

  return ad_crawler_run_lookup (run, target, g_str_hash (target)) == NULL;
}

/* A client for the crawler's limits: each request in flight holds one
 * connection, and as many are kept for the next requests. */
static AdHttpClient *
client_new (guint       max_conns,
            const char *user_agent)
{
  AdHttpClient *client = ad_http_client_new (user_agent);

  ad_http_client_set_max_idle (client, max_conns);
  return client;
}

/* ---- fetching on worker threads ---------------------------------------------- */

struct _AdCrawlerWorker
{
  AdCrawlerRun *run;          /* unowned: the run stops its workers before it goes */
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GSource      *jobs_source;  /* woken when fetches are handed over */
  GMutex        lock;         /* guards jobs and jobs_pending */
  GQueue        jobs;         /* AdCrawlerFetchOp*, to start */
  gboolean      jobs_pending;
  guint         max_conns;
  char         *user_agent;
  AdHttpClient *client;       /* the worker thread's own */
  /* What the worker's fetches get instead of the run's cancellable: it is
   * cancelled on the worker's thread (ad_crawler_run_cancel_workers()).
   * GLib 2.74's GCancellableSource can leak when its cancellable is
   * cancelled on one thread while the source goes away on another. */
  GCancellable *cancellable;
};

/* A source that is dispatched when its ready time is set to 0, from any
 * thread, and calls its callback each time. */
static gboolean
wake_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs wake_funcs = { NULL, NULL, wake_dispatch, NULL, NULL, NULL };

static GSource *
wake_source_new (const char   *name,
                 GSourceFunc   callback,
                 gpointer      data,
                 GMainContext *context)
{
  GSource *source = g_source_new (&wake_funcs, sizeof (GSource));

  g_source_set_name (source, name);
  g_source_set_callback (source, callback, data, NULL);
  g_source_attach (source, context);
  return source;
}

/* On the run's main loop: the fetches the workers finished, in one go. */
static gboolean
run_done_cb (gpointer user_data)
{
  AdCrawlerRun *run = user_data;
  GQueue done;
  AdCrawlerFetchOp *op;

  ad_mutex_lock (&run->finished_lock);
  done = run->finished;
  g_queue_init (&run->finished);
  run->finished_pending = FALSE;
  ad_mutex_unlock (&run->finished_lock);

  while ((op = g_queue_pop_head (&done)) != NULL)
    fetch_done (op, g_steal_pointer (&op->response), g_steal_pointer (&op->error));
  ad_crawler_run_schedule (run);

  return G_SOURCE_CONTINUE;
}

/* On a worker: hands a finished fetch back to the run. */
static void
worker_fetch_done_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  AdCrawlerFetchOp *op = user_data;
  AdCrawlerRun *run = op->run;
  gboolean wake;

  op->response = ad_fetch_finish (res, &op->error);

  ad_mutex_lock (&run->finished_lock);
  g_queue_push_tail (&run->finished, op);
  wake = !run->finished_pending;
  run->finished_pending = TRUE;
  ad_mutex_unlock (&run->finished_lock);

  if (wake)
    g_source_set_ready_time (run->finished_source, 0);
}

/* On a worker: whether a redirect to @target is followed, as on the main
 * loop: not when the run knows the page already. */
static gboolean
worker_follow_redirect (const char *target,
                        gpointer    user_data)
{
  AdCrawlerRun *run = user_data;
  gboolean known;

  ad_mutex_lock (&run->finished_lock);
  known = g_hash_table_contains (run->known, target);
  ad_mutex_unlock (&run->finished_lock);

  return !known;
}

/* On a worker: starts the fetches handed over since the last time. */
static gboolean
worker_jobs_cb (gpointer user_data)
{
  AdCrawlerWorker *worker = user_data;
  GQueue jobs;
  AdCrawlerFetchOp *op;

  ad_mutex_lock (&worker->lock);
  jobs = worker->jobs;
  g_queue_init (&worker->jobs);
  worker->jobs_pending = FALSE;
  ad_mutex_unlock (&worker->lock);

  while ((op = g_queue_pop_head (&jobs)) != NULL)
    {
      op->options.follow_redirect = worker_follow_redirect;
      op->options.follow_redirect_data = op->run;
      ad_fetch_async (worker->client, op->node->url, &op->options, worker->cancellable,
                      worker_fetch_done_cb, op);
    }

  return G_SOURCE_CONTINUE;
}

/* On the run's main loop: hands @op to @worker. */
static void
worker_push (AdCrawlerWorker  *worker,
             AdCrawlerFetchOp *op)
{
  gboolean wake;

  ad_mutex_lock (&worker->lock);
  g_queue_push_tail (&worker->jobs, op);
  wake = !worker->jobs_pending;
  worker->jobs_pending = TRUE;
  ad_mutex_unlock (&worker->lock);

  if (wake)
    g_source_set_ready_time (worker->jobs_source, 0);
}

static gpointer
worker_main (gpointer data)
{
  AdCrawlerWorker *worker = data;

  AD_TSAN_ACQUIRE (worker);
  g_main_context_push_thread_default (worker->context);
  worker->client = client_new (worker->max_conns, worker->user_agent);

  g_main_loop_run (worker->loop);

  /* Every fetch has come back (the run waits for them): close the
   * connections, and let their sources go, on this thread. */
  ad_http_client_close_idle (worker->client);
  g_clear_object (&worker->client);
  while (g_main_context_iteration (worker->context, FALSE))
    ;
  g_main_context_pop_thread_default (worker->context);
  AD_TSAN_RELEASE (worker);

  return NULL;
}

/* On a worker: stops its fetches. */
static gboolean
worker_cancel_cb (gpointer user_data)
{
  AdCrawlerWorker *worker = user_data;

  g_cancellable_cancel (worker->cancellable);
  return G_SOURCE_REMOVE;
}

/* The run stops: each worker cancels its fetches, on its own thread. */
void
ad_crawler_run_cancel_workers (AdCrawlerRun *run)
{
  if (run->workers == NULL)
    return;

  for (guint i = 0; i < run->workers->len; i++)
    {
      AdCrawlerWorker *worker = g_ptr_array_index (run->workers, i);

      g_main_context_invoke_full (worker->context, G_PRIORITY_HIGH, worker_cancel_cb, worker,
                                  NULL);
    }
}

static gboolean
worker_quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Starts @n_threads workers for @run, which fetches a list. */
void
ad_crawler_run_start_workers (AdCrawlerRun *run,
                              guint         n_threads)
{
  g_mutex_init (&run->finished_lock);
  g_queue_init (&run->finished);
  run->workers = g_ptr_array_new ();
  if (n_threads == 0)
    return;

  run->context = g_main_context_ref_thread_default ();
  run->finished_source = wake_source_new ("[async-demo] fetches done", run_done_cb, run,
                                      run->context);
  run->known = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n_threads; i++)
    {
      AdCrawlerWorker *worker = g_new0 (AdCrawlerWorker, 1);
      g_autofree char *name = g_strdup_printf ("ad-fetch-%u", i + 1);

      worker->run = run;
      worker->context = g_main_context_new ();
      worker->loop = g_main_loop_new (worker->context, FALSE);
      g_mutex_init (&worker->lock);
      g_queue_init (&worker->jobs);
      worker->max_conns = run->max_in_flight;
      worker->user_agent = g_strdup (run->user_agent);
      worker->cancellable = g_cancellable_new ();
      worker->jobs_source = wake_source_new ("[async-demo] fetch jobs", worker_jobs_cb, worker,
                                             worker->context);
      /* GLib starts and joins the thread: say so to ThreadSanitizer. */
      AD_TSAN_RELEASE (worker);
      worker->thread = g_thread_new (name, worker_main, worker);
      g_ptr_array_add (run->workers, worker);
    }
}

/* Stops and joins the workers: the run has nothing in flight. */
void
ad_crawler_run_stop_workers (AdCrawlerRun *run)
{
  if (run->workers == NULL)
    return;

  for (guint i = 0; i < run->workers->len; i++)
    {
      AdCrawlerWorker *worker = g_ptr_array_index (run->workers, i);

      g_assert (worker->jobs.length == 0);
      /* From the worker's loop: it may not be running yet. */
      g_main_context_invoke (worker->context, worker_quit_cb, worker->loop);
      g_thread_join (worker->thread);
      AD_TSAN_ACQUIRE (worker);
      g_source_destroy (worker->jobs_source);
      g_source_unref (worker->jobs_source);
      g_main_loop_unref (worker->loop);
      g_main_context_unref (worker->context);
      g_mutex_clear (&worker->lock);
      g_free (worker->user_agent);
      g_object_unref (worker->cancellable);
      g_free (worker);
    }
  g_clear_pointer (&run->workers, g_ptr_array_unref);

  g_assert (run->finished.length == 0);
  if (run->finished_source != NULL)
    {
      g_source_destroy (run->finished_source);
      g_clear_pointer (&run->finished_source, g_source_unref);
    }
  g_clear_pointer (&run->known, g_hash_table_unref);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_mutex_clear (&run->finished_lock);
}

/* Tells the workers' redirect checks that the run knows @url (a node's,
 * which lives as long as the run). */
void
ad_crawler_run_know_url (AdCrawlerRun *run,
                         const char   *url)
{
  if (run->known == NULL)
    return;

  ad_mutex_lock (&run->finished_lock);
  g_hash_table_add (run->known, (gpointer) url);
  ad_mutex_unlock (&run->finished_lock);
}

void
ad_crawler_run_fetch (AdCrawlerRun  *run,
                      AdCrawlerHost *host,
                      AdCrawlerNode *node)
{
  AdCrawlerFetchOp *op = ad_crawler_fetch_op_new (run, host, node, node->url);
  AdFetchOptions options = run->options;

  options.keep_html = run->crawl;
  options.follow_redirect = crawl_follow_redirect;
  options.follow_redirect_data = run;
  run->started_pages++;
  host->next_start_us = g_get_monotonic_time () + host->delay_us;
  ad_crawler_run_take_slot (run, host);

  if (run->workers != NULL && run->workers->len > 0)
    {
      AdCrawlerWorker *worker = g_ptr_array_index (run->workers, run->next_worker);

      run->next_worker = (run->next_worker + 1) % run->workers->len;
      op->options = options;
      worker_push (worker, op);
      return;
    }

  ad_fetch_async (run->client, node->url, &options, run->cancellable, fetch_done_cb, op);
}

AdHttpClient *
ad_crawler_ensure_client (AdCrawler *self)
{
  if (self->client == NULL)
    self->client = client_new (self->max_in_flight, self->user_agent);
  ad_http_client_set_user_agent (self->client, self->user_agent);
  return self->client;
}
