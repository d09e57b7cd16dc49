/* ad-crawler-page.c: the Crawler page: crawl a site or fetch a list of URLs,
 * with the limits, live counters, a sortable and filterable results table,
 * the broken links with the pages that link to them, and export
 *
 * The page drives one AdCrawler (src/core/crawler/ad-crawler.c) and only binds to
 * it: the settings are written to its properties when a run starts, the
 * counters follow its property notifications (which the crawler already
 * coalesces to one batch every 100 ms), and the results table is its
 * results model seen through a GtkFilterListModel and a GtkSortListModel.
 * So a 10,000-page crawl costs the page one batch of list changes every
 * 100 ms, and the column view only makes widgets for the rows on screen.
 *
 * Those widgets are the one cost that does not scale down: GTK 4.8's
 * column view makes rows for up to 200 items, and made in one go for the
 * first batches of a crawl they held the main loop for 100-150 ms here
 * (about 1 ms a row of seven cells). So an AdListRamp lets the table
 * grow by a few rows a frame until the view is full, then shows
 * everything; a new run starts the ramp again.
 *
 * Sorting: GTK 4.8 has no GtkColumnViewSorter API beyond
 * gtk_column_view_get_sorter(). Each column has a GtkNumericSorter or
 * GtkStringSorter on one AdCrawlResult property (in the .ui), and the
 * view's sorter drives the GtkSortListModel. Filtering: a GtkStringFilter
 * on the URL and a GtkCustomFilter for "errors only", joined by a
 * GtkEveryFilter. Status is shown with an icon and text, never colour alone.
 *
 * The built-in sample site (src/core/crawler/ad-sample-site.c) is the default
 * target, so the page works with no network. It is started lazily, the
 * first time the page is shown, not when the app starts.
 *
 * Lifetime: the page owns one GCancellable per run and cancels it in
 * dispose. The run's callback holds a reference on the page but touches no
 * widget once the page is disposed (the cancellable is gone by then); the
 * crawler and the sample sites are dropped in finalize, after the run has
 * stopped, so a cancelled crawl never talks to a site that is gone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-crawler-page.h"
#include "ad-list-ramp.h"

/* The sample sites the page offers, in the order of the drop-down. */
static const struct
{
  guint pages;
  guint links_per_page;
} samples[] = {
  { 0, 0 },          /* the hand-made site with broken links, redirects, robots.txt */
  { 10000, 10 },     /* a generated site, to watch the crawler under load */
};

#define N_SAMPLES G_N_ELEMENTS (samples)
#define DEFAULT_MAX_PAGES 10000

struct _AdCrawlerPage
{
  GtkWidget            parent_instance;

  AdCrawler           *crawler;
  AdSampleSite        *sample_sites[N_SAMPLES];
  gboolean             sample_shown;   /* the page put a sample URL in on first map */
  GCancellable        *cancellable;    /* non-NULL while a run is in progress */
  GCancellable        *page_cancellable; /* exports; cancelled in dispose */
  GtkFileChooserNative *export_dialog;
  AdCrawlExportFormat  export_format;
  GFile               *export_file;
  gboolean             errors_only;
  char                *status;
  char                *error;

  GtkStringFilter     *url_filter;
  GtkCustomFilter     *errors_filter;
  GtkFilterListModel  *filter_model;
  GtkSortListModel    *sort_model;
  AdListRamp          *results_ramp;
  GtkSingleSelection  *selection;
  GtkSingleSelection  *broken_selection;

  GtkStack            *mode_stack;
  GtkEntry            *url_entry;
  GtkDropDown         *sample_choice;
  GtkWidget           *sample_note;
  GtkLabel            *sample_label;
  GtkTextView         *urls_view;
  GtkWidget           *settings_box;
  GtkSpinButton       *max_in_flight_spin;
  GtkSpinButton       *max_per_host_spin;
  GtkSpinButton       *timeout_spin;
  GtkSpinButton       *deadline_spin;
  GtkSpinButton       *max_pages_spin;
  GtkSpinButton       *max_depth_spin;
  GtkSpinButton       *delay_spin;
  GtkDropDown         *scope_choice;
  GtkCheckButton      *ignore_robots_check;
  GtkSpinner          *spinner;
  GtkLabel            *status_label;
  GtkWidget           *error_box;
  GtkLabel            *error_label;
  GtkLabel            *queued_label;
  GtkLabel            *in_flight_label;
  GtkLabel            *done_label;
  GtkLabel            *errors_label;
  GtkLabel            *rate_label;
  GtkLabel            *bytes_label;
  GtkImage            *limit_image;
  GtkLabel            *limit_label;
  GtkSearchEntry      *filter_entry;
  GtkCheckButton      *errors_only_check;
  GtkLabel            *rows_label;
  GtkStack            *view_stack;
  GtkColumnView       *results_view;
  GtkColumnViewColumn *status_column;
  GtkColumnViewColumn *url_column;
  GtkColumnViewColumn *size_column;
  GtkColumnViewColumn *time_column;
  GtkColumnViewColumn *depth_column;
  GtkColumnViewColumn *type_column;
  GtkColumnViewColumn *note_column;
  GtkColumnView       *broken_view;
  GtkColumnViewColumn *broken_url_column;
  GtkColumnViewColumn *broken_problem_column;
  GtkColumnViewColumn *broken_referrers_column;
  GtkWidget           *results_placeholder;
  GtkWidget           *broken_placeholder;
  GMenuModel          *row_menu;
  GtkWidget           *results_menu;     /* GtkPopoverMenu on results_view */
  GtkWidget           *broken_menu;      /* GtkPopoverMenu on broken_view */
};

G_DEFINE_FINAL_TYPE (AdCrawlerPage, ad_crawler_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- status and errors ---------------------------------------------------- */

static void
set_status (AdCrawlerPage *self,
            const char    *status)
{
  if (g_strcmp0 (self->status, status) == 0)
    return;

  g_free (self->status);
  self->status = g_strdup (status);
  gtk_label_set_text (self->status_label, status ? status : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
show_error (AdCrawlerPage *self,
            const char    *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (self->error_box, TRUE);
}

static void
clear_error (AdCrawlerPage *self)
{
  g_clear_pointer (&self->error, g_free);
  gtk_widget_set_visible (self->error_box, FALSE);
}

/* ---- the sample sites ----------------------------------------------------- */

static AdSampleSite *
ensure_sample_site (AdCrawlerPage  *self,
                    guint           index,
                    GError        **error)
{
  g_return_val_if_fail (index < N_SAMPLES, NULL);

  if (self->sample_sites[index] == NULL)
    self->sample_sites[index] = ad_sample_site_new (samples[index].pages,
                                                    samples[index].links_per_page, error);

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

      show_error (self, message);
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

/* ---- counters -------------------------------------------------------------- */

static void
set_uint_label (GtkLabel *label,
                guint     value)
{
  char text[16];

  g_snprintf (text, sizeof text, "%u", value);
  gtk_label_set_text (label, text);
}

static void
update_limit (AdCrawlerPage *self)
{
  const char *text, *icon, *tip;
  gboolean running = ad_crawler_get_running (self->crawler);

  switch (ad_crawler_get_limit (self->crawler))
    {
    case AD_CRAWL_LIMIT_TOTAL:
      text = _("Total");
      icon = "network-transmit-receive-symbolic";
      tip = _("The maximum requests in flight: queued URLs wait for a free slot");
      break;
    case AD_CRAWL_LIMIT_PER_HOST:
      text = _("Per host");
      icon = "network-server-symbolic";
      tip = _("The maximum requests in flight per host: queued URLs wait for their host");
      break;
    case AD_CRAWL_LIMIT_DELAY:
      text = _("Delay");
      icon = "alarm-symbolic";
      tip = _("The delay between two requests to a host (or robots.txt's Crawl-delay)");
      break;
    case AD_CRAWL_LIMIT_ROBOTS:
      text = _("robots.txt");
      icon = "emblem-documents-symbolic";
      tip = _("Waiting for a host's robots.txt before fetching any of its pages");
      break;
    case AD_CRAWL_LIMIT_PARSING:
      text = _("Parsing");
      icon = "system-run-symbolic";
      tip = _("The thread pool is busy extracting links: fetching waits so that bodies do not "
              "pile up");
      break;
    case AD_CRAWL_LIMIT_NONE:
    default:
      text = running ? _("None") : "—";
      icon = running ? "emblem-ok-symbolic" : "media-playback-stop-symbolic";
      tip = running ? _("Nothing holds the queued URLs back") : _("Not running");
      break;
    }

  gtk_label_set_text (self->limit_label, text);
  gtk_image_set_from_icon_name (self->limit_image, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->limit_label), tip);
}

static void
update_counters (AdCrawlerPage *self)
{
  g_autofree char *bytes = g_format_size (ad_crawler_get_bytes (self->crawler));
  char rate[32];

  set_uint_label (self->queued_label, ad_crawler_get_queued (self->crawler));
  set_uint_label (self->in_flight_label, ad_crawler_get_in_flight (self->crawler));
  set_uint_label (self->done_label, ad_crawler_get_done (self->crawler));
  set_uint_label (self->errors_label, ad_crawler_get_errors (self->crawler));
  g_snprintf (rate, sizeof rate, "%.0f", ad_crawler_get_pages_per_second (self->crawler));
  gtk_label_set_text (self->rate_label, rate);
  gtk_label_set_text (self->bytes_label, bytes);
  update_limit (self);
}

static void
crawler_notify_cb (AdCrawler     *crawler,
                   GParamSpec    *pspec,
                   AdCrawlerPage *self)
{
  /* One batch per 100 ms from the crawler; the settings change only when
   * a run starts. */
  update_counters (self);
}

static void
update_rows_label (AdCrawlerPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  guint total = g_list_model_get_n_items (ad_crawler_get_results (self->crawler));
  char shown_text[16], total_text[16];
  g_autofree char *text = NULL;

  g_snprintf (shown_text, sizeof shown_text, "%u", shown);
  g_snprintf (total_text, sizeof total_text, "%u", total);
  /* Translators: rows shown in the results table, of all results */
  text = g_strdup_printf (_("%s of %s"), shown_text, total_text);
  gtk_label_set_text (self->rows_label, text);
  gtk_widget_set_visible (self->results_placeholder, total == 0);
}

static void
update_broken_placeholder (AdCrawlerPage *self)
{
  GListModel *broken = ad_crawler_get_broken_links (self->crawler);

  gtk_widget_set_visible (self->broken_placeholder, g_list_model_get_n_items (broken) == 0);
}

/* ---- settings -------------------------------------------------------------- */

static void
load_settings (AdCrawlerPage *self)
{
  guint in_flight, per_host, timeout_ms, deadline_ms, max_pages, depth, delay_ms;
  AdCrawlScope scope;
  gboolean ignore_robots;

  g_object_get (self->crawler,
                "max-in-flight", &in_flight,
                "max-per-host", &per_host,
                "timeout", &timeout_ms,
                "deadline", &deadline_ms,
                "max-pages", &max_pages,
                "max-depth", &depth,
                "per-host-delay", &delay_ms,
                "scope", &scope,
                "ignore-robots", &ignore_robots,
                NULL);

  gtk_spin_button_set_value (self->max_in_flight_spin, in_flight);
  gtk_spin_button_set_value (self->max_per_host_spin, per_host);
  gtk_spin_button_set_value (self->timeout_spin, timeout_ms / 1000.0);
  gtk_spin_button_set_value (self->deadline_spin, deadline_ms / 1000.0);
  gtk_spin_button_set_value (self->max_pages_spin, max_pages);
  gtk_spin_button_set_value (self->max_depth_spin, depth);
  gtk_spin_button_set_value (self->delay_spin, delay_ms);
  gtk_drop_down_set_selected (self->scope_choice, scope);
  gtk_check_button_set_active (self->ignore_robots_check, ignore_robots);
}

static void
apply_settings (AdCrawlerPage *self)
{
  guint in_flight = (guint) gtk_spin_button_get_value_as_int (self->max_in_flight_spin);
  guint per_host = (guint) gtk_spin_button_get_value_as_int (self->max_per_host_spin);
  guint scope = gtk_drop_down_get_selected (self->scope_choice);

  g_object_set (self->crawler,
                "max-in-flight", in_flight,
                "max-per-host", MIN (per_host, in_flight),
                "timeout", (guint) (gtk_spin_button_get_value (self->timeout_spin) * 1000),
                "deadline", (guint) (gtk_spin_button_get_value (self->deadline_spin) * 1000),
                "max-pages", (guint) gtk_spin_button_get_value_as_int (self->max_pages_spin),
                "max-depth", (guint) gtk_spin_button_get_value_as_int (self->max_depth_spin),
                "per-host-delay", (guint) gtk_spin_button_get_value_as_int (self->delay_spin),
                "scope", scope <= AD_CRAWL_SCOPE_ANY ? scope : AD_CRAWL_SCOPE_HOST,
                "ignore-robots", gtk_check_button_get_active (self->ignore_robots_check),
                NULL);
}

/* ---- running ---------------------------------------------------------------- */

static void
update_running_ui (AdCrawlerPage *self)
{
  gboolean running = self->cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crawler.start", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crawler.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crawler.use-sample", !running);
  gtk_widget_set_sensitive (self->settings_box, !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_stack), !running);
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
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
  g_autoptr(AdCrawlerPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_async_result_is_tagged (result, ad_crawler_crawl_async))
    ok = ad_crawler_crawl_finish (AD_CRAWLER (source), result, &error);
  else
    ok = ad_crawler_fetch_finish (AD_CRAWLER (source), result, &error);

  /* A page disposed during the run cancelled it: touch nothing. */
  if (self->cancellable == NULL)
    return;
  g_clear_object (&self->cancellable);

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
      set_status (self, status);
      if (n_broken > 0)
        gtk_stack_set_visible_child_name (self->view_stack, "broken");
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_status (self, _("Cancelled. The results so far are below."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    set_status (self, _("Stopped at the deadline. The results so far are below."));
  else
    {
      set_status (self, _("Could not start."));
      show_error (self, error->message);
    }

  update_running_ui (self);
  update_counters (self);
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

  clear_error (self);
  crawl = g_strcmp0 (gtk_stack_get_visible_child_name (self->mode_stack), "list") != 0;
  urls = crawl ? collect_start_url (self, &error) : collect_url_list (self, &error);
  if (urls == NULL)
    {
      g_assert (error != NULL);
      show_error (self, error->message);
      return;
    }

  apply_settings (self);
  self->cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->view_stack, "results");
  set_status (self, crawl ? _("Crawling…") : _("Fetching…"));
  update_running_ui (self);

  if (crawl)
    ad_crawler_crawl_async (self->crawler, urls[0], self->cancellable, run_cb,
                            g_object_ref (self));
  else
    ad_crawler_fetch_async (self->crawler, (const char * const *) urls, self->cancellable, run_cb,
                            g_object_ref (self));
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
      set_status (self, _("Cancelling…"));
      g_cancellable_cancel (self->cancellable);
    }
}

static void
dismiss_error_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  clear_error (AD_CRAWLER_PAGE (widget));
}

/* ---- opening a URL ------------------------------------------------------------ */

static AdCrawlResult *
get_selected_result (AdCrawlerPage *self)
{
  GtkSingleSelection *selection =
    g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "broken") == 0
    ? self->broken_selection : self->selection;

  return selection ? gtk_single_selection_get_selected_item (selection) : NULL;
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
  g_autoptr(AdCrawlerPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      self->page_cancellable != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot open the browser: %s"),
                                                  error->message);

      show_error (self, message);
    }
}

static void
open_url (AdCrawlerPage *self,
          const char    *url)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (url == NULL || !GTK_IS_WINDOW (root))
    return;

  gtk_show_uri_full (GTK_WINDOW (root), url, GDK_CURRENT_TIME, self->page_cancellable,
                     show_uri_cb, g_object_ref (self));
}

static void
open_url_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AdCrawlerPage *self = AD_CRAWLER_PAGE (widget);
  AdCrawlResult *result = get_selected_result (self);

  if (result != NULL)
    open_url (self, ad_crawl_result_get_url (result));
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

/* A right click on a row selects it and opens the row menu there. */
static void
cell_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListItem     *item)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *page = gtk_widget_get_ancestor (cell, AD_TYPE_CRAWLER_PAGE);
  GtkWidget *view = gtk_widget_get_ancestor (cell, GTK_TYPE_COLUMN_VIEW);
  AdCrawlerPage *self;
  GtkSelectionModel *selection;
  GtkWidget *menu;
  graphene_point_t point;
  GdkRectangle pointing_to = { 0, 0, 1, 1 };

  if (page == NULL || view == NULL || gtk_list_item_get_item (item) == NULL)
    return;

  self = AD_CRAWLER_PAGE (page);
  selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (view));
  gtk_selection_model_select_item (selection, gtk_list_item_get_position (item), TRUE);
  menu = view == GTK_WIDGET (self->results_view) ? self->results_menu : self->broken_menu;
  if (!gtk_widget_compute_point (cell, view, &GRAPHENE_POINT_INIT ((float) x, (float) y), &point))
    return;

  pointing_to.x = (int) point.x;
  pointing_to.y = (int) point.y;
  gtk_popover_set_pointing_to (GTK_POPOVER (menu), &pointing_to);
  gtk_popover_popup (GTK_POPOVER (menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
row_activated_cb (GtkColumnView *view,
                  guint          position,
                  AdCrawlerPage *self)
{
  g_autoptr(AdCrawlResult) result =
    g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (view)), position);

  if (result != NULL)
    open_url (self, ad_crawl_result_get_url (result));
}

/* ---- export ------------------------------------------------------------------- */

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AdCrawlerPage *self = AD_CRAWLER_PAGE (source);
  g_autoptr(GError) error = NULL;
  gboolean ok = ad_crawler_page_export_finish (self, result, &error);

  /* The page was disposed while saving: its widgets are gone. */
  if (self->page_cancellable == NULL)
    return;

  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not save the results: %s"),
                                                      error->message);

          show_error (self, message);
        }
    }
  else if (self->export_file != NULL)
    {
      g_autofree char *name = g_file_get_parse_name (self->export_file);
      g_autofree char *status = g_strdup_printf (_("Saved to %s."), name);

      set_status (self, status);
    }

  g_clear_object (&self->export_file);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    AdCrawlerPage   *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->export_dialog);

  if (file == NULL)
    return;

  clear_error (self);
  g_set_object (&self->export_file, file);
  ad_crawler_page_export_async (self, self->export_format, file, self->page_cancellable,
                                export_done_cb, NULL);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AdCrawlerPage *self = AD_CRAWLER_PAGE (widget);
  gboolean json = g_str_equal (g_variant_get_string (parameter, NULL), "json");
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->export_dialog != NULL)
    return;

  self->export_format = json ? AD_CRAWL_EXPORT_JSON : AD_CRAWL_EXPORT_CSV;
  self->export_dialog =
    gtk_file_chooser_native_new (json ? _("Export Results as JSON") : _("Export Results as CSV"),
                                 GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->export_dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_dialog),
                                     json ? "crawl.json" : "crawl.csv");
  gtk_file_filter_set_name (filter, json ? _("JSON files") : _("CSV files"));
  gtk_file_filter_add_mime_type (filter, json ? "application/json" : "text/csv");
  gtk_file_filter_add_suffix (filter, json ? "json" : "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->export_dialog), filter);
  g_signal_connect (self->export_dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_dialog));
}

/* ---- filtering ------------------------------------------------------------------ */

static gboolean
errors_filter_func (gpointer item,
                    gpointer user_data)
{
  AdCrawlerPage *self = user_data;

  return !self->errors_only || ad_crawl_result_is_broken (AD_CRAWL_RESULT (item));
}

static void
errors_only_toggled_cb (GtkCheckButton *check,
                        AdCrawlerPage  *self)
{
  gboolean active = gtk_check_button_get_active (check);

  if (self->errors_only == active)
    return;

  self->errors_only = active;
  gtk_filter_changed (GTK_FILTER (self->errors_filter),
                      active ? GTK_FILTER_CHANGE_MORE_STRICT : GTK_FILTER_CHANGE_LESS_STRICT);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   AdCrawlerPage  *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  gtk_string_filter_set_search (self->url_filter, text[0] != '\0' ? text : NULL);
}

/* ---- cells ---------------------------------------------------------------------- */

typedef enum
{
  CELL_STATUS,
  CELL_URL,
  CELL_SIZE,
  CELL_TIME,
  CELL_DEPTH,
  CELL_TYPE,
  CELL_NOTE,
  CELL_BROKEN_URL,
  CELL_BROKEN_PROBLEM,
  CELL_BROKEN_REFERRERS,
} Cell;

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Cell cell = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (cell_pressed_cb), item);

  switch (cell)
    {
    case CELL_STATUS:
    case CELL_BROKEN_PROBLEM:
      {
        GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        /* The text says it all; the icon is decoration for a screen reader. */
        GtkWidget *image = g_object_new (GTK_TYPE_IMAGE,
                                         "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                         NULL);

        gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (click));
        gtk_widget_set_valign (box, GTK_ALIGN_START);
        gtk_label_set_xalign (GTK_LABEL (label), 0);
        gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
        gtk_box_append (GTK_BOX (box), image);
        gtk_box_append (GTK_BOX (box), label);
        gtk_list_item_set_child (item, box);
        return;
      }
    case CELL_SIZE:
    case CELL_TIME:
    case CELL_DEPTH:
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
      break;
    case CELL_URL:
    case CELL_BROKEN_URL:
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      break;
    case CELL_BROKEN_REFERRERS:
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      break;
    case CELL_TYPE:
    case CELL_NOTE:
    default:
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "dim-label");
      break;
    }

  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_list_item_set_child (item, label);
}

/* Icon and text: colour is never the only sign of a broken link. */
static void
bind_status (GtkWidget     *box,
             AdCrawlResult *result,
             gboolean       long_form)
{
  GtkImage *image = GTK_IMAGE (gtk_widget_get_first_child (box));
  GtkLabel *label = GTK_LABEL (gtk_widget_get_last_child (box));
  guint status = ad_crawl_result_get_status (result);
  const char *error = ad_crawl_result_get_error_message (result);
  g_autofree char *text = NULL;

  if (error != NULL)
    {
      gtk_image_set_from_icon_name (image, "dialog-error-symbolic");
      text = long_form ? g_strdup (error) : g_strdup (_("Error"));
    }
  else if (status >= 400)
    {
      gtk_image_set_from_icon_name (image, "dialog-error-symbolic");
      /* Translators: an HTTP status code that means a broken link */
      text = long_form ? g_strdup_printf (_("HTTP status %u"), status)
                       : g_strdup_printf ("%u", status);
    }
  else
    {
      gtk_image_set_from_icon_name (image, "emblem-ok-symbolic");
      text = g_strdup_printf ("%u", status);
    }

  gtk_label_set_text (label, text);
  gtk_widget_set_tooltip_text (box, error ? error : NULL);
  if (ad_crawl_result_is_broken (result))
    gtk_widget_add_css_class (box, "error");
  else
    gtk_widget_remove_css_class (box, "error");
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  Cell cell = GPOINTER_TO_INT (user_data);
  AdCrawlResult *result = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  GtkLabel *label = GTK_IS_LABEL (child) ? GTK_LABEL (child) : NULL;
  g_autofree char *text = NULL;

  switch (cell)
    {
    case CELL_STATUS:
      bind_status (child, result, FALSE);
      break;
    case CELL_BROKEN_PROBLEM:
      bind_status (child, result, TRUE);
      break;
    case CELL_URL:
    case CELL_BROKEN_URL:
      gtk_label_set_text (label, ad_crawl_result_get_url (result));
      gtk_widget_set_tooltip_text (child, ad_crawl_result_get_url (result));
      break;
    case CELL_SIZE:
      text = g_format_size (ad_crawl_result_get_size (result));
      gtk_label_set_text (label, text);
      break;
    case CELL_TIME:
      /* Translators: a duration in milliseconds, as in "12.3 ms" */
      text = g_strdup_printf (_("%.1f ms"), ad_crawl_result_get_total_ms (result));
      gtk_label_set_text (label, text);
      break;
    case CELL_DEPTH:
      text = g_strdup_printf ("%u", ad_crawl_result_get_depth (result));
      gtk_label_set_text (label, text);
      break;
    case CELL_TYPE:
      gtk_label_set_text (label, ad_crawl_result_get_content_type (result)
                                 ? ad_crawl_result_get_content_type (result) : "—");
      break;
    case CELL_NOTE:
      if (ad_crawl_result_get_error_message (result) != NULL)
        text = g_strdup (ad_crawl_result_get_error_message (result));
      else if (ad_crawl_result_get_redirects (result) > 0)
        text = g_strdup_printf (_("Redirected to %s"), ad_crawl_result_get_final_url (result));
      else if (ad_crawl_result_get_referrer (result) != NULL)
        text = g_strdup_printf (_("Found on %s"), ad_crawl_result_get_referrer (result));
      gtk_label_set_text (label, text ? text : "");
      gtk_widget_set_tooltip_text (child, text);
      break;
    case CELL_BROKEN_REFERRERS:
      {
        const char * const *referrers = ad_crawl_result_get_referrers (result);

        text = referrers ? g_strjoinv ("\n", (GStrv) referrers) : NULL;
        gtk_label_set_text (label, text ? text : "—");
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
set_factory (GtkColumnViewColumn *column,
             Cell                 cell)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (cell));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (cell));
  gtk_column_view_column_set_factory (column, factory);
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
      g_cancellable_cancel (self->cancellable);
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
  if (self->crawler != NULL)
    g_signal_handlers_disconnect_by_data (self->crawler, self);
  if (self->sort_model != NULL)
    g_signal_handlers_disconnect_by_data (self->sort_model, self);
  g_clear_object (&self->results_ramp);
  if (self->crawler != NULL)
    g_signal_handlers_disconnect_by_data (ad_crawler_get_broken_links (self->crawler), self);
  if (self->errors_filter != NULL)
    gtk_custom_filter_set_filter_func (self->errors_filter, NULL, NULL, NULL);

  g_clear_pointer (&self->results_menu, gtk_widget_unparent);
  g_clear_pointer (&self->broken_menu, gtk_widget_unparent);

  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_CRAWLER_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->broken_selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->url_filter);
  g_clear_object (&self->errors_filter);

  G_OBJECT_CLASS (ad_crawler_page_parent_class)->dispose (object);
}

static void
ad_crawler_page_finalize (GObject *object)
{
  AdCrawlerPage *self = (AdCrawlerPage *) object;

  /* Only now: a run holds the page until it has stopped. */
  g_clear_object (&self->crawler);
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
    case PROP_RUNNING:
      g_value_set_boolean (value, ad_crawler_page_get_running (self));
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
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

  object_class->dispose = ad_crawler_page_dispose;
  object_class->finalize = ad_crawler_page_finalize;
  object_class->get_property = ad_crawler_page_get_property;
  widget_class->map = ad_crawler_page_map;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The column sorters in the template look up AdCrawlResult properties. */
  g_type_ensure (AD_TYPE_CRAWL_RESULT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ad-crawler-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AdCrawlerPage, name)
  BIND (mode_stack);
  BIND (url_entry);
  BIND (sample_choice);
  BIND (sample_note);
  BIND (sample_label);
  BIND (urls_view);
  BIND (settings_box);
  BIND (max_in_flight_spin);
  BIND (max_per_host_spin);
  BIND (timeout_spin);
  BIND (deadline_spin);
  BIND (max_pages_spin);
  BIND (max_depth_spin);
  BIND (delay_spin);
  BIND (scope_choice);
  BIND (ignore_robots_check);
  BIND (spinner);
  BIND (status_label);
  BIND (error_box);
  BIND (error_label);
  BIND (queued_label);
  BIND (in_flight_label);
  BIND (done_label);
  BIND (errors_label);
  BIND (rate_label);
  BIND (bytes_label);
  BIND (limit_image);
  BIND (limit_label);
  BIND (filter_entry);
  BIND (errors_only_check);
  BIND (rows_label);
  BIND (view_stack);
  BIND (results_view);
  BIND (status_column);
  BIND (url_column);
  BIND (size_column);
  BIND (time_column);
  BIND (depth_column);
  BIND (type_column);
  BIND (note_column);
  BIND (broken_view);
  BIND (broken_url_column);
  BIND (broken_problem_column);
  BIND (broken_referrers_column);
  BIND (results_placeholder);
  BIND (broken_placeholder);
  BIND (row_menu);
#undef BIND

  gtk_widget_class_install_action (widget_class, "crawler.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "crawler.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "crawler.use-sample", NULL, use_sample_action);
  gtk_widget_class_install_action (widget_class, "crawler.open-url", NULL, open_url_action);
  gtk_widget_class_install_action (widget_class, "crawler.copy-url", NULL, copy_url_action);
  gtk_widget_class_install_action (widget_class, "crawler.export", "s", export_action);
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
  GListModel *results;
  GtkEveryFilter *filter;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->page_cancellable = g_cancellable_new ();
  self->crawler = ad_crawler_new ();
  /* A page's crawl is bounded by default; the command line's is not. */
  g_object_set (self->crawler, "max-pages", DEFAULT_MAX_PAGES, NULL);
  load_settings (self);
  results = ad_crawler_get_results (self->crawler);

  /* results → filter (URL text, errors only) → sort (the view's columns) */
  self->url_filter =
    gtk_string_filter_new (gtk_property_expression_new (AD_TYPE_CRAWL_RESULT, NULL, "url"));
  gtk_string_filter_set_match_mode (self->url_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->url_filter, TRUE);
  self->errors_filter = gtk_custom_filter_new (errors_filter_func, self, NULL);
  filter = gtk_every_filter_new ();
  gtk_multi_filter_append (GTK_MULTI_FILTER (filter), g_object_ref (GTK_FILTER (self->url_filter)));
  gtk_multi_filter_append (GTK_MULTI_FILTER (filter),
                           g_object_ref (GTK_FILTER (self->errors_filter)));
  self->filter_model = gtk_filter_list_model_new (g_object_ref (results), GTK_FILTER (filter));
  self->sort_model =
    gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                             g_object_ref (gtk_column_view_get_sorter (self->results_view)));
  self->results_ramp = ad_list_ramp_new (g_object_ref (G_LIST_MODEL (self->sort_model)),
                                         GTK_WIDGET (self->results_view));
  self->selection =
    gtk_single_selection_new (g_object_ref (ad_list_ramp_get_model (self->results_ramp)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->results_view, GTK_SELECTION_MODEL (self->selection));

  self->broken_selection =
    gtk_single_selection_new (g_object_ref (ad_crawler_get_broken_links (self->crawler)));
  gtk_single_selection_set_autoselect (self->broken_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->broken_selection, TRUE);
  gtk_column_view_set_model (self->broken_view, GTK_SELECTION_MODEL (self->broken_selection));

  set_factory (self->status_column, CELL_STATUS);
  set_factory (self->url_column, CELL_URL);
  set_factory (self->size_column, CELL_SIZE);
  set_factory (self->time_column, CELL_TIME);
  set_factory (self->depth_column, CELL_DEPTH);
  set_factory (self->type_column, CELL_TYPE);
  set_factory (self->note_column, CELL_NOTE);
  set_factory (self->broken_url_column, CELL_BROKEN_URL);
  set_factory (self->broken_problem_column, CELL_BROKEN_PROBLEM);
  set_factory (self->broken_referrers_column, CELL_BROKEN_REFERRERS);

  self->results_menu = gtk_popover_menu_new_from_model (self->row_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->results_menu), FALSE);
  gtk_widget_set_halign (self->results_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->results_menu, GTK_WIDGET (self->results_view));
  self->broken_menu = gtk_popover_menu_new_from_model (self->row_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->broken_menu), FALSE);
  gtk_widget_set_halign (self->broken_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->broken_menu, GTK_WIDGET (self->broken_view));

  g_signal_connect (self->crawler, "notify", G_CALLBACK (crawler_notify_cb), self);
  g_signal_connect_swapped (self->sort_model, "items-changed", G_CALLBACK (update_rows_label),
                            self);
  g_signal_connect_swapped (ad_crawler_get_broken_links (self->crawler), "items-changed",
                            G_CALLBACK (update_broken_placeholder), self);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (update_open_action), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->broken_selection, "notify::selected-item",
                           G_CALLBACK (update_open_action), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (update_open_action), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->results_view, "activate", G_CALLBACK (row_activated_cb), self,
                           0);
  g_signal_connect_object (self->broken_view, "activate", G_CALLBACK (row_activated_cb), self, 0);
  g_signal_connect_object (self->filter_entry, "search-changed", G_CALLBACK (search_changed_cb),
                           self, 0);
  g_signal_connect_object (self->errors_only_check, "toggled",
                           G_CALLBACK (errors_only_toggled_cb), self, 0);
  g_signal_connect_object (self->url_entry, "changed", G_CALLBACK (update_sample_note), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sample_choice, "notify::selected", G_CALLBACK (use_sample), self,
                           G_CONNECT_SWAPPED);

  update_running_ui (self);
  update_counters (self);
  update_rows_label (self);
  update_broken_placeholder (self);
  update_open_action (self);
  update_sample_note (self);
  set_status (self, _("Ready."));
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

  return G_LIST_MODEL (self->sort_model);
}

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (ad_crawl_export_save_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * ad_crawler_page_export_async:
 * @file: where to save
 *
 * Saves the rows the table shows, in its order (and, for JSON, the broken
 * links with their referrers), as Export does after the file chooser.
 */
void
ad_crawler_page_export_async (AdCrawlerPage       *self,
                              AdCrawlExportFormat  format,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AD_IS_CRAWLER_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_crawler_page_export_async);
  g_task_set_name (task, "[async-demo] export crawler page");

  ad_crawl_export_save_async (format, G_LIST_MODEL (self->sort_model),
                              ad_crawler_get_broken_links (self->crawler), file, cancellable,
                              save_cb, g_steal_pointer (&task));
}

gboolean
ad_crawler_page_export_finish (AdCrawlerPage  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (AD_IS_CRAWLER_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_crawler_page_export_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
