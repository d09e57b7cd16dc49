/* ad-crawler-page.c: the Crawler page: crawl a site or fetch a list of URLs
 *
 * The page composes four widgets, each following the page's one AdCrawler
 * (src/core/crawler/ad-crawler.c) through its `crawler` property, bound in
 * ad-crawler-page.ui:
 *
 *   AdCrawlSettings     the limits, written to the crawler when a run starts
 *   AdCrawlCounters     the live counters, each label bound to one property
 *   AdCrawlResultsView  the results table, filtered and sorted
 *   AdBrokenLinksView   the broken links with the pages that link to them
 *
 * What is left here: the start URL or the URL list (with the built-in
 * sample sites), Start and Cancel, the status line and the error bar, and
 * the actions on the selected row (open in the browser, copy the URL).
 * Export is in ad-crawler-page-export.c, the same class
 * (ad-crawler-page-private.h). The status, the error and whether a run is in progress are
 * properties of the page; the widgets that show them bind to them in the
 * .ui.
 *
 * The built-in sample site (src/core/crawler/ad-sample-site.c) is the default
 * target, so the page works with no network. It is started lazily, the
 * first time the page is shown, not when the app starts, and serves from
 * a thread with its own main loop, so that the window's loop only runs
 * the crawler's side of each request.
 *
 * The crawler runs in a main context of its own (crawl_context), which an
 * AdContextPump runs from the window's loop just below GDK's redraw, with
 * its starvation guard on while a run is in progress: the socket, parse
 * and publish callbacks of a crawl (a thousand or more a second) then
 * never hold back a frame that is due, and they stay on the main thread,
 * which owns the crawler and its lists. Every call that makes the crawler
 * start or stop something is made with that context pushed as the
 * thread-default one.
 *
 * Lifetime (ad-weak-ref.h): the page owns one GCancellable per run and one
 * for its exports and browser launches, and cancels both in dispose. The
 * callbacks hold the page by a weak reference and touch nothing once it
 * is gone or disposed. A cancelled crawl may still be winding down when
 * the page is finalized: its task holds the crawler, and a sample site
 * going away lets its paused answers go and closes its connections.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-a11y.h"
#include "ad-crawler-page-private.h"

/* The sample sites the page offers, in the order of the drop-down. */
static const struct
{
  guint pages;
  guint links_per_page;
} samples[] = {
  { 0, 0 },          /* the hand-made site with broken links, redirects, robots.txt */
  { 10000, 10 },     /* a generated site, to watch the crawler under load */
};

G_STATIC_ASSERT (G_N_ELEMENTS (samples) == N_SAMPLES);

#define DEFAULT_MAX_PAGES 10000
#define CRAWL_GUARD_MS 33

G_DEFINE_FINAL_TYPE (AdCrawlerPage, ad_crawler_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CRAWLER,
  PROP_RUNNING,
  PROP_STATUS,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- status and errors ---------------------------------------------------- */

void
ad_crawler_page_set_status (AdCrawlerPage *self,
                            const char    *status)
{
  if (g_strcmp0 (self->status, status) == 0)
    return;

  g_free (self->status);
  self->status = g_strdup (status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

void
ad_crawler_page_set_error (AdCrawlerPage *self,
                           const char    *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* ---- closures of the template ------------------------------------------------ */

static gboolean
invert_boolean (AdCrawlerPage *self,
                gboolean       value)
{
  return !value;
}

static gboolean
has_text (AdCrawlerPage *self,
          const char    *text)
{
  return text != NULL && text[0] != '\0';
}

static char *
format_rows (AdCrawlerPage *self,
             guint          shown,
             guint          total)
{
  char shown_text[16], total_text[16];

  g_snprintf (shown_text, sizeof shown_text, "%u", shown);
  g_snprintf (total_text, sizeof total_text, "%u", total);
  /* Translators: rows shown in the results table, of all results */
  return g_strdup_printf (_("%s of %s"), shown_text, total_text);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   AdCrawlerPage  *self)
{
  ad_crawl_results_view_set_search (self->results_view,
                                    gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* ---- the sample sites ----------------------------------------------------- */

static AdSampleSite *
ensure_sample_site (AdCrawlerPage  *self,
                    guint           index,
                    GError        **error)
{
  g_return_val_if_fail (index < N_SAMPLES, NULL);

  /* On a thread with its own main loop: serving costs the window nothing. */
  if (self->sample_sites[index] == NULL)
    self->sample_sites[index] = ad_sample_site_new_in_thread (samples[index].pages,
                                                              samples[index].links_per_page,
                                                              error);

  return self->sample_sites[index];
}

static void
update_sample_note (AdCrawlerPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->url_entry));
  g_autofree char *note = NULL;

  for (guint i = 0; i < N_SAMPLES && note == NULL; i++)
    {
      if (self->sample_sites[i] == NULL ||
          !g_str_equal (text, ad_sample_site_get_start_url (self->sample_sites[i])))
        continue;

      if (samples[i].pages == 0)
        note = g_strdup_printf (_("This is the built-in sample site, served by Async Demo itself "
                                  "at %s on this computer: no network needed. It has broken "
                                  "links, redirects, a slow page, two pages too large and a "
                                  "robots.txt for the crawler to find."),
                                ad_sample_site_get_uri (self->sample_sites[i]));
      else
        note = g_strdup_printf (_("This is the built-in sample site with 10,000 generated pages, "
                                  "served by Async Demo itself at %s on this computer: watch "
                                  "the window stay responsive while it is crawled."),
                                ad_sample_site_get_uri (self->sample_sites[i]));
    }

  gtk_label_set_text (self->sample_label, note ? note : "");
  gtk_widget_set_visible (self->sample_note, note != NULL);
}

static void
use_sample (AdCrawlerPage *self)
{
  guint index = gtk_drop_down_get_selected (self->sample_choice);
  g_autoptr(GError) error = NULL;
  AdSampleSite *site;

  if (index >= N_SAMPLES)
    return;

  site = ensure_sample_site (self, index, &error);
  if (site == NULL)
    {
      g_autofree char *message = NULL;

      g_assert (error != NULL);
      message = g_strdup_printf (_("Cannot start the sample site: %s"), error->message);

      ad_crawler_page_set_error (self, message);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), ad_sample_site_get_start_url (site));
  gtk_stack_set_visible_child_name (self->mode_stack, "crawl");
}

static void
use_sample_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  use_sample (AD_CRAWLER_PAGE (widget));
}

/* ---- running ---------------------------------------------------------------- */

static void
update_running_actions (AdCrawlerPage *self)
{
  gboolean running = self->cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crawler.start", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crawler.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crawler.use-sample", !running);
}

/* The start URL, checked, as a one-URL list. */
static GStrv
collect_start_url (AdCrawlerPage  *self,
                   GError        **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry))));
  g_autofree char *normal = NULL;
  GStrv urls;

  if (text[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter a start URL, or press Use Sample for the built-in sample "
                             "site."));
      return NULL;
    }

  normal = ad_url_normalize (text, error);
  if (normal == NULL)
    return NULL;

  urls = g_new0 (char *, 2);
  urls[0] = g_steal_pointer (&text);
  return urls;
}

/* The URL list, one per line (blank lines and # comments skipped), every
 * line checked so that a typo is reported with its line number. */
static GStrv
collect_url_list (AdCrawlerPage  *self,
                  GError        **error)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->urls_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *normal = NULL;

      if (line[0] == '\0' || line[0] == '#')
        continue;

      normal = ad_url_normalize (line, &local_error);
      if (normal == NULL)
        {
          /* Translators: a line number of the URL list, and why it is wrong */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Line %u: %s"), i + 1,
                       local_error->message);
          return NULL;
        }
      g_strv_builder_add (builder, line);
      n++;
    }

  if (n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter at least one URL to fetch, one per line."));
      return NULL;
    }

  return g_strv_builder_end (builder);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(AdCrawlerPage) self = ad_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_async_result_is_tagged (result, ad_crawler_crawl_async))
    ok = ad_crawler_crawl_finish (AD_CRAWLER (source), result, &error);
  else
    ok = ad_crawler_fetch_finish (AD_CRAWLER (source), result, &error);

  /* The page is gone, or was disposed during the run (dispose cancelled
   * it and dropped the run's cancellable): touch nothing. A cancellation
   * by the Cancel button is not quiet: the page says so below. */
  if (self == NULL || self->cancellable == NULL)
    return;
  g_clear_object (&self->cancellable);
  ad_context_pump_set_guard (self->pump, 0);

  if (ok)
    {
      guint n_broken = g_list_model_get_n_items (ad_crawler_get_broken_links (self->crawler));
      char pages[16], broken[16];
      g_autofree char *status = NULL;

      g_snprintf (pages, sizeof pages, "%u", ad_crawler_get_done (self->crawler));
      g_snprintf (broken, sizeof broken, "%u", n_broken);
      /* Translators: seconds, then the numbers of pages and of broken links */
      status = g_strdup_printf (_("Finished in %.1f s: %s pages, %s broken links."),
                                ad_crawler_get_elapsed (self->crawler), pages, broken);
      ad_crawler_page_set_status (self, status);
      if (n_broken > 0)
        gtk_stack_set_visible_child_name (self->view_stack, "broken");
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ad_crawler_page_set_status (self, _("Cancelled. The results so far are below."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    ad_crawler_page_set_status (self, _("Stopped at the deadline. The results so far are below."));
  else
    {
      ad_crawler_page_set_status (self, _("Could not start."));
      ad_crawler_page_set_error (self, error->message);
    }

  update_running_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AdCrawlerPage *self = AD_CRAWLER_PAGE (widget);
  g_autoptr(GError) error = NULL;
  GStrv urls;   /* freed by hand: clang-analyzer loses track of g_auto(GStrv) here */
  gboolean crawl;

  if (self->cancellable != NULL)
    return;

  ad_crawler_page_set_error (self, NULL);
  crawl = g_strcmp0 (gtk_stack_get_visible_child_name (self->mode_stack), "list") != 0;
  urls = crawl ? collect_start_url (self, &error) : collect_url_list (self, &error);
  if (urls == NULL)
    {
      g_assert (error != NULL);
      ad_crawler_page_set_error (self, error->message);
      return;
    }

  self->cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->view_stack, "results");
  ad_crawler_page_set_status (self, crawl ? _("Crawling…") : _("Fetching…"));
  update_running_actions (self);

  /* Two frames behind a window that is always due to draw at most. */
  ad_context_pump_set_guard (self->pump, CRAWL_GUARD_MS);
  g_main_context_push_thread_default (self->crawl_context);
  ad_crawl_settings_apply (self->settings, self->crawler);
  if (crawl)
    ad_crawler_crawl_async (self->crawler, urls[0], self->cancellable, run_cb,
                            ad_weak_ref_new (self));
  else
    ad_crawler_fetch_async (self->crawler, (const char * const *) urls, self->cancellable, run_cb,
                            ad_weak_ref_new (self));
  g_main_context_pop_thread_default (self->crawl_context);
  g_strfreev (urls);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AdCrawlerPage *self = AD_CRAWLER_PAGE (widget);

  /* The run says "cancelled" through its callback, once everything it
   * started has stopped. */
  if (self->cancellable != NULL)
    {
      ad_crawler_page_set_status (self, _("Cancelling…"));
      g_main_context_push_thread_default (self->crawl_context);
      g_cancellable_cancel (self->cancellable);
      g_main_context_pop_thread_default (self->crawl_context);
    }
}

static void
dismiss_error_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ad_crawler_page_set_error (AD_CRAWLER_PAGE (widget), NULL);
}

/* ---- the selected row ---------------------------------------------------------- */

static AdCrawlResult *
get_selected_result (AdCrawlerPage *self)
{
  if (self->view_stack == NULL || self->results_view == NULL || self->broken_view == NULL)
    return NULL;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "broken") == 0)
    return ad_broken_links_view_get_selected_item (self->broken_view);

  return ad_crawl_results_view_get_selected_item (self->results_view);
}

static void
update_open_action (AdCrawlerPage *self)
{
  gboolean selected = get_selected_result (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crawler.open-url", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crawler.copy-url", selected);
}

static void
show_uri_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AdCrawlerPage) self = ad_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error) || self == NULL ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  message = g_strdup_printf (_("Cannot open the browser: %s"), error->message);
  ad_crawler_page_set_error (self, message);
}

static void
open_url_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AdCrawlerPage *self = AD_CRAWLER_PAGE (widget);
  AdCrawlResult *result = get_selected_result (self);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (result == NULL || !GTK_IS_WINDOW (root))
    return;

  gtk_show_uri_full (GTK_WINDOW (root), ad_crawl_result_get_url (result), GDK_CURRENT_TIME,
                     self->page_cancellable, show_uri_cb, ad_weak_ref_new (self));
}

static void
copy_url_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AdCrawlerPage *self = AD_CRAWLER_PAGE (widget);
  AdCrawlResult *result = get_selected_result (self);

  if (result != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), ad_crawl_result_get_url (result));
}

/* ---- GObject -------------------------------------------------------------------- */

static void
ad_crawler_page_map (GtkWidget *widget)
{
  AdCrawlerPage *self = AD_CRAWLER_PAGE (widget);

  GTK_WIDGET_CLASS (ad_crawler_page_parent_class)->map (widget);

  /* The sample site starts the first time the page is shown, not with the
   * app, and becomes the default start URL. */
  if (!self->sample_shown)
    {
      self->sample_shown = TRUE;
      if (gtk_entry_get_text_length (self->url_entry) == 0)
        use_sample (self);
    }
}

static void
ad_crawler_page_dispose (GObject *object)
{
  AdCrawlerPage *self = (AdCrawlerPage *) object;
  GtkWidget *child;

  if (self->cancellable != NULL)
    {
      g_main_context_push_thread_default (self->crawl_context);
      g_cancellable_cancel (self->cancellable);
      g_main_context_pop_thread_default (self->crawl_context);
      g_clear_object (&self->cancellable);
    }
  if (self->page_cancellable != NULL)
    {
      g_cancellable_cancel (self->page_cancellable);
      g_clear_object (&self->page_cancellable);
    }
  if (self->export_dialog != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_dialog));
      g_clear_object (&self->export_dialog);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_CRAWLER_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ad_crawler_page_parent_class)->dispose (object);
}

static void
ad_crawler_page_finalize (GObject *object)
{
  AdCrawlerPage *self = (AdCrawlerPage *) object;

  /* A run winding down holds the crawler, which holds the pump: the
   * run's last callbacks still run. */
  g_main_context_push_thread_default (self->crawl_context);
  g_clear_object (&self->crawler);
  g_main_context_pop_thread_default (self->crawl_context);
  g_main_context_unref (self->crawl_context);
  for (guint i = 0; i < N_SAMPLES; i++)
    g_clear_object (&self->sample_sites[i]);
  g_clear_object (&self->export_file);
  g_free (self->status);
  g_free (self->error);

  G_OBJECT_CLASS (ad_crawler_page_parent_class)->finalize (object);
}

static void
ad_crawler_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AdCrawlerPage *self = AD_CRAWLER_PAGE (object);

  switch (prop_id)
    {
    case PROP_CRAWLER:
      g_value_set_object (value, self->crawler);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, ad_crawler_page_get_running (self));
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_crawler_page_class_init (AdCrawlerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ad_crawler_page_dispose;
  object_class->finalize = ad_crawler_page_finalize;
  object_class->get_property = ad_crawler_page_get_property;
  widget_class->map = ad_crawler_page_map;

  properties[PROP_CRAWLER] =
    g_param_spec_object ("crawler", NULL, NULL, AD_TYPE_CRAWLER, flags);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AD_TYPE_CRAWL_SETTINGS);
  g_type_ensure (AD_TYPE_CRAWL_COUNTERS);
  g_type_ensure (AD_TYPE_CRAWL_RESULTS_VIEW);
  g_type_ensure (AD_TYPE_BROKEN_LINKS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ad-crawler-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AdCrawlerPage, name)
  BIND (mode_stack);
  BIND (url_entry);
  BIND (sample_choice);
  BIND (sample_note);
  BIND (sample_label);
  BIND (urls_view);
  BIND (settings);
  BIND (view_stack);
  BIND (results_view);
  BIND (broken_view);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, invert_boolean);
  gtk_widget_class_bind_template_callback (widget_class, has_text);
  gtk_widget_class_bind_template_callback (widget_class, format_rows);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_sample_note);
  gtk_widget_class_bind_template_callback (widget_class, use_sample);
  gtk_widget_class_bind_template_callback (widget_class, update_open_action);

  gtk_widget_class_install_action (widget_class, "crawler.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "crawler.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "crawler.use-sample", NULL, use_sample_action);
  gtk_widget_class_install_action (widget_class, "crawler.open-url", NULL, open_url_action);
  gtk_widget_class_install_action (widget_class, "crawler.copy-url", NULL, copy_url_action);
  gtk_widget_class_install_action (widget_class, "crawler.export", "s",
                                   ad_crawler_page_export_action);
  gtk_widget_class_install_action (widget_class, "crawler.dismiss-error", NULL,
                                   dismiss_error_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "crawler.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "crawler.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ad_crawler_page_init (AdCrawlerPage *self)
{
  /* Before the template, whose widgets bind to it. */
  self->crawler = ad_crawler_new ();
  self->crawl_context = g_main_context_new ();
  self->pump = ad_context_pump_new (self->crawl_context, NULL, GDK_PRIORITY_REDRAW + 10,
                                    "[async-demo] crawl context pump");
  g_object_set_data_full (G_OBJECT (self->crawler), "ad-crawler-page-pump", self->pump,
                          (GDestroyNotify) ad_context_pump_free);
  /* A page's crawl is bounded by default; the command line's is not. */
  g_object_set (self->crawler, "max-pages", DEFAULT_MAX_PAGES, NULL);
  self->page_cancellable = g_cancellable_new ();
  self->status = g_strdup (_("Ready."));

  gtk_widget_init_template (GTK_WIDGET (self));
  ad_a11y_fix_names (GTK_WIDGET (self));

  ad_crawl_settings_load (self->settings, self->crawler);
  update_running_actions (self);
  update_open_action (self);
  update_sample_note (self);
}

/**
 * ad_crawler_page_get_crawler:
 *
 * Returns: (transfer none): the crawler the page drives
 */
AdCrawler *
ad_crawler_page_get_crawler (AdCrawlerPage *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER_PAGE (self), NULL);

  return self->crawler;
}

/**
 * ad_crawler_page_get_sample_site:
 *
 * Returns: (transfer none) (nullable): the small sample site, once the
 *   page has started it
 */
AdSampleSite *
ad_crawler_page_get_sample_site (AdCrawlerPage *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER_PAGE (self), NULL);

  return self->sample_sites[0];
}

gboolean
ad_crawler_page_get_running (AdCrawlerPage *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * ad_crawler_page_get_status:
 *
 * Returns: (nullable): the one-line status under the Start button
 */
const char *
ad_crawler_page_get_status (AdCrawlerPage *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER_PAGE (self), NULL);

  return self->status;
}

/**
 * ad_crawler_page_get_error:
 *
 * Returns: (nullable): the error shown in the page, if any
 */
const char *
ad_crawler_page_get_error (AdCrawlerPage *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER_PAGE (self), NULL);

  return self->error;
}

/**
 * ad_crawler_page_get_shown_results:
 *
 * Returns: (transfer none): the results as the table shows them,
 *   filtered and sorted
 */
GListModel *
ad_crawler_page_get_shown_results (AdCrawlerPage *self)
{
  g_return_val_if_fail (AD_IS_CRAWLER_PAGE (self), NULL);

  return ad_crawl_results_view_get_shown_results (self->results_view);
}
