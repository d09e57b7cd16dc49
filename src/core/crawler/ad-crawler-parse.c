/* ad-crawler-parse.c: link extraction on the thread pool
 *
 * A fetched HTML body goes to the thread pool as immutable input (GBytes,
 * URL, charset, and the refcounted immutable scope) and comes back as the
 * in-scope links, each hashed, packed in one buffer rather than as 300
 * strings to free (ad_link_extract_list(): the URLs are written there as
 * they are resolved, the scope only drops references), or as an error,
 * kept on the page's result while the crawl goes on. So a crawl uses
 * every core while the main loop only does I/O and bookkeeping.
 *
 * Parsing costs about as much CPU as fetching (some 1.1 M instructions
 * for a 60 KB page with 300 links on the pool, 2.1 M before the packed
 * list and the tokenizer's plain arrays), and the parsers must get their
 * turns on the cores: up to two pages per core and two more are parsed
 * at once, never more than there
 * may be requests in flight (ad_crawler_default_max_parsing()). With one
 * more than there are cores, on 2 cores shared with other programs, the
 * few parser threads got few turns and the fetched pages waiting for them
 * held fetching back; with 6, the 5,000-page crawl benchmark ran 1.3-1.9x
 * faster in rounds taken in turn with the old limit (8 and 16 were no
 * better, and stalled the main loop more). The pool is still the narrow
 * stage there: the pages waiting fill their bounded queue, and fetching
 * holds back then instead of piling up bodies. Each parse is a child task
 * of the run (kind CPU, started and finished on its pool thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ad-crawler-private.h"
#include "ad-crawl-result-private.h"
#include "ad-link-extractor.h"
#include "ad-tsan.h"

/* ---- link extraction on the pool ------------------------------------------ */

typedef struct
{
  GBytes         *body;
  char           *url;
  char           *charset;
  AdCrawlerScope *scope;
  AdTask         *record;     /* unowned: the ParseOp holds it */
} ParseInput;

/* The in-scope links packed in one buffer: the main loop frees two blocks
 * per page, not one string per link (from another thread's arena). */
typedef struct
{
  guint       n_links;        /* all links found, in scope or not */
  AdLinkList *in_scope;       /* in document order */
} ParseOutput;

typedef struct
{
  AdCrawlerRun  *run;
  AdCrawlerNode *node;
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
  ad_crawler_scope_unref (input->scope);
  g_free (input);
}

static void
parse_output_free (ParseOutput *output)
{
  ad_link_list_free (output->in_scope);
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

/* The page's links: ad_link_extract_list(), or the extractor a test set,
 * packed the same way. */
static AdLinkList *
extract_list (ParseInput    *input,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GPtrArray) links = NULL;
  AdLinkList *list;

  if (input->scope->extract == ad_link_extract)
    return ad_link_extract_list (input->body, input->url, input->charset, cancellable, error);

  links = input->scope->extract (input->body, input->url, input->charset, cancellable, error);
  if (links == NULL)
    return NULL;
  list = g_new (AdLinkList, 1);
  list->text = g_string_new (NULL);
  list->refs = g_array_sized_new (FALSE, FALSE, sizeof (AdLinkRef), links->len);
  for (guint i = 0; i < links->len; i++)
    {
      const char *url = g_ptr_array_index (links, i);
      AdLinkRef ref = { list->text->len, g_str_hash (url) };

      g_string_append_len (list->text, url, (gssize) strlen (url) + 1);
      g_array_append_val (list->refs, ref);
    }
  return list;
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseInput *input = task_data;
  AdLinkList *links;
  ParseOutput *output;
  GError *error = NULL;
  guint kept = 0;

  /* ThreadSanitizer cannot see GLib's hand-offs: say where they are. */
  AD_TSAN_ACQUIRE (task);
  ad_task_start (input->record);
  links = extract_list (input, cancellable, &error);
  ad_task_finish (input->record, error);
  if (links == NULL)
    {
      AD_TSAN_RELEASE (task);
      g_task_return_error (task, error);
      return;
    }

  /* The links out of scope leave the list (their bytes stay). */
  output = g_new0 (ParseOutput, 1);
  output->n_links = links->refs->len;
  for (guint i = 0; i < links->refs->len; i++)
    {
      const AdLinkRef *ref = &g_array_index (links->refs, AdLinkRef, i);

      if (ad_crawler_scope_allows (input->scope, links->text->str + ref->offset))
        g_array_index (links->refs, AdLinkRef, kept++) = *ref;
    }
  g_array_set_size (links->refs, kept);
  output->in_scope = links;

  AD_TSAN_RELEASE (task);
  g_task_return_pointer (task, output, (GDestroyNotify) parse_output_free);
}

static void crawl_start_parses (AdCrawlerRun *run);

/* How many pages are parsed at once unless a test says otherwise. */
guint
ad_crawler_default_max_parsing (guint max_in_flight)
{
  guint cores = g_get_num_processors ();

  return MAX (cores + 1, MIN (2 * cores + 2, max_in_flight));
}

static void
parse_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ParseOp *op = user_data;
  AdCrawlerRun *run = op->run;
  ParseOutput *output;
  g_autoptr(GError) error = NULL;

  ad_crawler_run_gauge (run);
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
          const AdLinkList *links = output->in_scope;

          for (guint i = 0; i < links->refs->len; i++)
            {
              const AdLinkRef *ref = &g_array_index (links->refs, AdLinkRef, i);

              ad_crawler_run_add_url_hashed (run, links->text->str + ref->offset, ref->hash,
                                             op->node, TRUE);
            }
        }
      parse_output_free (output);
    }

  /* A page whose parsing was cancelled is still a page that was fetched
   * (without an error: the run says it was cancelled). */
  ad_crawler_run_record (run, op->node, op->result);
  parse_op_free (op);

  crawl_start_parses (run);
  ad_crawler_run_schedule (run);
}

/* Hands waiting pages to the pool, as many as may be parsed at once. */
static void
crawl_start_parses (AdCrawlerRun *run)
{
  ad_crawler_run_gauge (run);
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
void
ad_crawler_run_drop_parses (AdCrawlerRun *run)
{
  ParseOp *op;

  ad_crawler_run_gauge (run);
  while ((op = g_queue_pop_head (&run->parse_queue)) != NULL)
    {
      ad_crawler_run_record (run, op->node, op->result);
      parse_op_free (op);
    }
}

void
ad_crawler_run_parse (AdCrawlerRun    *run,
                      AdCrawlerNode   *node,
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
  input->scope = ad_crawler_scope_ref (run->scope);
  op->input = input;

  ad_crawler_run_gauge (run);
  g_queue_push_tail (&run->parse_queue, op);
  crawl_start_parses (run);
}
