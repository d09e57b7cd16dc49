/* ad-crawler-page-export.c: the Crawler page's Export (CSV or JSON)
 *
 * The crawler.export action asks for a file with a GtkFileChooserNative
 * (GTK 4.8 has no GtkFileDialog), then saves the rows the table shows, in
 * its order, through ad_crawl_export_save_async() (src/core/crawler). The
 * chooser goes with the page in dispose, so it cannot answer into a page
 * that is gone; the save holds the page only by a weak reference and is
 * cancelled, quietly, with the page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-crawler-page-private.h"

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AdCrawlerPage) self = ad_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  gboolean ok = ad_crawler_page_export_finish (AD_CRAWLER_PAGE (source), result, &error);

  /* Cancelled by dispose: quiet. */
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the results: %s"),
                                                  error->message);

      ad_crawler_page_set_error (self, message);
    }
  else if (self->export_file != NULL)
    {
      g_autofree char *name = g_file_get_parse_name (self->export_file);
      g_autofree char *status = g_strdup_printf (_("Saved to %s."), name);

      /* A transient result: a toast from the window. */
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", status);
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

  ad_crawler_page_set_error (self, NULL);
  g_set_object (&self->export_file, file);
  ad_crawler_page_export_async (self, self->export_format, file, self->page_cancellable,
                                export_done_cb, ad_weak_ref_new (self));
}

void
ad_crawler_page_export_action (GtkWidget  *widget,
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

  ad_crawl_export_save_async (format, ad_crawl_results_view_get_shown_results (self->results_view),
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
