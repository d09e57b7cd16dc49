/* ad-tasks-page-files.c: the Tasks page saves and opens traces
 *
 * The file choosers, and what the page shows of a save or an open. The
 * work itself is the core's (ad-trace-file.c), on worker threads, holding
 * nothing of the page: the callbacks follow the page through a weak
 * reference (ad-weak-ref.h) and the page cancels the runs in dispose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Tasks"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-tasks-page-private.h"

/* ---- export and import ------------------------------------------------ */

/* Both file operations: the core runs them without holding the page (a
 * page closed mid-save is finalized on the main thread, at once); the page
 * owns their cancellable and cancels it in dispose. */
static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AdTasksPage) self = ad_weak_ref_steal (user_data);
  g_autofree char *name = g_file_get_basename (ad_trace_file_get_file (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  if (!ad_trace_file_save_finish (result, &n, &error))
    {
      if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not use %s: %s"), name, error->message);
    }
  else
    {
      g_autofree char *count = g_strdup_printf ("%u", n);

      if (self == NULL)
        return;
      text = g_strdup_printf (_("Saved %s bars and ticks to %s"), count, name);
      /* Done: a toast from the window, when the page is in one. */
      if (gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text))
        return;
    }
  gtk_label_set_label (self->status_label, text);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AdTasksPage) self = ad_weak_ref_steal (user_data);
  g_autofree char *name = g_file_get_basename (ad_trace_file_get_file (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(AdTrace) trace = NULL;
  g_autofree char *text = NULL;

  trace = ad_trace_file_load_finish (result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (trace != NULL)
    {
      ad_tasks_page_show_trace (self, trace, name);
      return;
    }
  text = g_strdup_printf (_("Could not use %s: %s"), name, error->message);
  gtk_label_set_label (self->status_label, text);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     AdTasksPage     *self)
{
  gboolean save = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)) == GTK_FILE_CHOOSER_ACTION_SAVE;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  /* The emission holds the dialog: dropping our reference here is safe */
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  if (save)
    ad_tasks_page_save_trace (self, file);
  else
    ad_tasks_page_open_trace (self, file);
}

/**
 * ad_tasks_page_save_trace:
 * @file: where to write
 *
 * Writes the timeline shown as Trace Event JSON, on a worker thread (from
 * a copy: the live trace keeps changing). The status line says how it went.
 */
void
ad_tasks_page_save_trace (AdTasksPage *self,
                          GFile       *file)
{
  g_return_if_fail (AD_IS_TASKS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  ad_trace_file_save_async (ad_timeline_view_get_trace (self->timeline), file, self->cancellable,
                            save_done_cb, ad_weak_ref_new (self));
}

/**
 * ad_tasks_page_open_trace:
 * @file: a Trace Event JSON file
 *
 * Reads and parses @file on a worker thread, then shows it in the
 * timeline (or says in the status line why it could not).
 */
void
ad_tasks_page_open_trace (AdTasksPage *self,
                          GFile       *file)
{
  g_return_if_fail (AD_IS_TASKS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  ad_trace_file_load_async (file, self->cancellable, load_done_cb, ad_weak_ref_new (self));
}

static void
open_chooser (AdTasksPage          *self,
              GtkFileChooserAction  action)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  gboolean save = action == GTK_FILE_CHOOSER_ACTION_SAVE;

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (save ? _("Save Trace") : _("Open Trace"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               action, save ? _("_Save") : _("_Open"), NULL);
  gtk_file_filter_set_name (filter, _("Trace Event JSON"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  if (save)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "async-demo-trace.json");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
ad_tasks_page_export_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  open_chooser (AD_TASKS_PAGE (widget), GTK_FILE_CHOOSER_ACTION_SAVE);
}

void
ad_tasks_page_import_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  open_chooser (AD_TASKS_PAGE (widget), GTK_FILE_CHOOSER_ACTION_OPEN);
}
