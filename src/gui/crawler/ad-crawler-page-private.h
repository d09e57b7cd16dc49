/* ad-crawler-page-private.h: the Crawler page's state, shared by its files
 *
 * ad-crawler-page.c (the page, its runs and its actions on a row) and
 * ad-crawler-page-export.c (Export, with its file chooser) are one class.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-broken-links-view.h"
#include "ad-crawl-counters.h"
#include "ad-crawl-results-view.h"
#include "ad-crawl-settings.h"
#include "ad-crawler-page.h"

G_BEGIN_DECLS

/* The built-in sample sites the page offers (ad-crawler-page.c). */
#define N_SAMPLES 2

struct _AdCrawlerPage
{
  GtkWidget             parent_instance;

  AdCrawler            *crawler;
  GMainContext         *crawl_context;    /* the crawler runs here, pumped below redraw */
  AdContextPump        *pump;             /* unowned: the crawler's, see ad_crawler_page_init() */
  AdSampleSite         *sample_sites[N_SAMPLES];
  gboolean              sample_shown;     /* the page put a sample URL in on first map */
  GCancellable         *cancellable;      /* the run's; non-NULL while a run is in progress */
  GCancellable         *page_cancellable; /* exports and browser launches */
  GtkFileChooserNative *export_dialog;
  AdCrawlExportFormat   export_format;
  GFile                *export_file;
  char                 *status;
  char                 *error;

  GtkStack             *mode_stack;
  GtkEntry             *url_entry;
  GtkDropDown          *sample_choice;
  GtkWidget            *sample_note;
  GtkLabel             *sample_label;
  GtkTextView          *urls_view;
  AdCrawlSettings      *settings;
  GtkStack             *view_stack;
  AdCrawlResultsView   *results_view;
  AdBrokenLinksView    *broken_view;
};

void ad_crawler_page_set_status    (AdCrawlerPage *self,
                                    const char    *status);
void ad_crawler_page_set_error     (AdCrawlerPage *self,
                                    const char    *message);
void ad_crawler_page_export_action (GtkWidget     *widget,
                                    const char    *action_name,
                                    GVariant      *parameter);

G_END_DECLS
