/* ad-crawler-run.c: a run, from its start to its one return
 *
 * A run is a group task in the AdTaskRegistry, with each fetch and each
 * link extraction as its children. Its cancellable is the run's own: the
 * caller's cancellable is linked to it, cancelling the task in the
 * registry cancels it, and so does the deadline. Every fetch and every
 * parse gets it; queued URLs are dropped. The run returns only when
 * nothing it started is still running, so the crawler can be finalised
 * right after the callback, and it ends with the summary of broken links,
 * each with every page that links to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-crawler-private.h"
#include "ad-crawl-result-private.h"
#include "ad-link-extractor.h"
#include "ad-source.h"
#include "ad-url.h"

static void
ad_crawler_run_free (AdCrawlerRun *run)
{
  g_assert (run->in_flight == 0 && run->parsing == 0 && run->parse_queue.length == 0);

  ad_crawler_run_stop_workers (run);

  ad_source_clear_id (&run->deadline_id);
  ad_source_clear_id (&run->finish_id);
  if (run->cancel_source != NULL)
    {
      g_source_destroy (run->cancel_source);
      g_source_unref (run->cancel_source);
    }
  g_clear_object (&run->record);
  g_clear_object (&run->cancellable);
  /* Kept connections serve one run: none stays open, idle, between runs
   * (a GUI crawler lives on). */
  ad_http_client_close_idle (run->client);
  g_clear_object (&run->client);
  g_clear_pointer (&run->scope, ad_crawler_scope_unref);
  g_free (run->user_agent);
  g_ptr_array_unref (run->host_list);
  g_hash_table_unref (run->authorities);
  g_hash_table_unref (run->hosts);
  g_hash_table_unref (run->seen);
  g_ptr_array_unref (run->pending);
  g_free (run);
}

/* ---- starting, stopping, finishing ------------------------------------------ */

static void
crawl_stop (AdCrawlerRun *run)
{
  if (run->stopping)
    return;

  run->stopping = TRUE;
  ad_crawler_run_drop_queues (run);
  ad_crawler_run_drop_parses (run);
  /* The fetches and parses stop from the main loop (their cancellable
   * sources), never inside this call. */
  g_cancellable_cancel (run->cancellable);
  ad_crawler_run_cancel_workers (run);
  ad_crawler_run_maybe_finish (run);
}

static gboolean
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  AdCrawlerRun *run = user_data;

  g_debug ("crawl cancelled");
  crawl_stop (run);
  /* A cancelled cancellable's source stays ready: dispatch it once. */
  return G_SOURCE_REMOVE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  AdCrawlerRun *run = user_data;

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
crawl_collect_broken (AdCrawlerRun *run)
{
  AdCrawler *self = run->self;
  GHashTableIter iter;
  AdCrawlerNode *node;

  g_hash_table_iter_init (&iter, run->seen);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &node))
    {
      GStrvBuilder *builder;

      if (node->result == NULL || !ad_crawl_result_is_broken (node->result))
        continue;

      builder = g_strv_builder_new ();
      for (guint i = 0; i < node->n_referrers; i++)
        g_strv_builder_add (builder, node->referrers[i]->url);
      ad_crawl_result_set_referrers (node->result, g_strv_builder_end (builder));
      g_strv_builder_unref (builder);

      g_list_store_insert_sorted (self->broken, node->result, compare_results_by_url, NULL);
    }
}

static gboolean
crawl_finish_cb (gpointer user_data)
{
  AdCrawlerRun *run = user_data;
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
  ad_crawler_publish (self);
  ad_crawler_publish_stop (self);
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

  ad_crawler_run_free (run);
  ad_crawler_publish (self);

  return G_SOURCE_REMOVE;
}

/* Finishing waits for an idle: a completion may call in from deep inside
 * a callback chain, and the run must not be freed under it. The idle has
 * the default priority, not G_PRIORITY_DEFAULT_IDLE: in a GTK window whose
 * frames take longer than a frame to draw (software rendering, a spinner
 * running), sources above idle priority are always ready and a low
 * priority idle would never run, so the crawl would never end. */
void
ad_crawler_run_maybe_finish (AdCrawlerRun *run)
{
  if (run->finish_id != 0 || run->in_flight > 0 || run->parsing > 0)
    return;
  if (run->queued > 0 && !run->stopping)
    return;

  run->finish_id = ad_idle_add_named (G_PRIORITY_DEFAULT, "[async-demo] crawl finish",
                                     crawl_finish_cb, run, NULL);
}

static gboolean
crawler_begin (AdCrawler           *self,
               GTask               *task,
               gboolean             crawl,
               const char * const  *urls,
               GError             **error)
{
  g_autoptr(GPtrArray) normal = g_ptr_array_new_with_free_func (g_free);
  GCancellable *caller = g_task_get_cancellable (task);
  g_autofree char *run_name = NULL;
  AdCrawlerRun *run;
  AdCrawlerScope *scope;

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

  scope = ad_crawler_scope_new (self->scope,
                                crawl && normal->len > 0 ? g_ptr_array_index (normal, 0) : NULL,
                                self->include_pattern, self->exclude_pattern,
                                self->extract != NULL ? self->extract : ad_link_extract, error);
  if (scope == NULL)
    return FALSE;

  run_name = crawl ? g_strdup_printf ("crawl %s", (char *) g_ptr_array_index (normal, 0))
                   : g_strdup_printf ("fetch %u URLs", normal->len);
  run = g_new0 (AdCrawlerRun, 1);
  run->self = self;
  run->task = g_object_ref (task);
  run->crawl = crawl;
  run->scope = scope;
  run->client = g_object_ref (ad_crawler_ensure_client (self));
  run->cancellable = g_cancellable_new ();
  run->options.timeout_ms = self->timeout_ms;
  run->options.max_redirects = self->max_redirects;
  run->options.max_body_size = self->max_body_size;
  run->max_in_flight = self->max_in_flight;
  run->max_per_host = self->max_per_host;
  run->max_pages = self->max_pages;
  run->max_depth = crawl ? self->max_depth : 0;
  run->max_parsing = self->max_parsing > 0 ? self->max_parsing
                                           : ad_crawler_default_max_parsing (self->max_in_flight);
  run->max_waiting = MAX (4, self->max_in_flight);
  run->host_delay_us = self->per_host_delay_ms * (gint64) 1000;
  run->ignore_robots = self->ignore_robots;
  run->user_agent = g_strdup (self->user_agent);
  run->seen = g_hash_table_new_full (ad_crawler_node_hash, ad_crawler_node_equal, NULL,
                                     (GDestroyNotify) ad_crawler_node_free);
  g_queue_init (&run->parse_queue);
  run->authorities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) ad_crawler_host_free);
  run->host_list = g_ptr_array_new ();
  run->pending = g_ptr_array_new_with_free_func (g_object_unref);
  run->started_us = g_get_monotonic_time ();
  run->gauge_us = run->started_us;
  self->run = run;
  ad_crawler_run_start_workers (run, crawl ? 0 : self->fetch_threads);

  for (guint i = 0; i < normal->len; i++)
    {
      AdCrawlerNode *node = ad_crawler_run_add_url (run, g_ptr_array_index (normal, i), NULL, TRUE);

      ad_crawler_run_know_url (run, node->url);
    }

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
  ad_crawler_publish_start (self);

  ad_crawler_run_schedule (run);
  ad_crawler_publish (self);

  return TRUE;
}

/* Starts a crawl or a list's fetches; @source_tag is the _async function
 * whose _finish the caller will use. */
void
ad_crawler_start_run (AdCrawler           *self,
                      gboolean             crawl,
                      const char * const  *urls,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, crawl ? "[async-demo] crawl" : "[async-demo] fetch list");
  /* The run reports cancellation itself, once everything has stopped. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!crawler_begin (self, task, crawl, urls, &error))
    g_task_return_error (task, error);
}
