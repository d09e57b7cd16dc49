/* ad-compute-page-save.c: the Compute page saves its last image as PNG
 *
 * The Save Image button asks for a file (a GtkFileChooserNative), then
 * ad_compute_page_save_png_async() encodes the pixels on a worker thread
 * and writes them with GIO's asynchronous file API: the main loop never
 * waits for zlib or the disk. The page owns the save's cancellable and
 * the chooser, and drops both in dispose (ad_compute_page_save_dispose()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-compute-page-private.h"
#include "ad-weak-ref.h"

/* ---- saving the image -------------------------------------------------- */

typedef struct
{
  GBytes *pixels;
  guint   width;
  guint   height;
  gsize   stride;
} EncodeData;

static void
encode_data_free (EncodeData *data)
{
  g_bytes_unref (data->pixels);
  g_free (data);
}

/* On a pool thread: only the immutable pixels, nothing of the page's. */
static void
encode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  EncodeData *data = task_data;
  GError *error = NULL;
  GBytes *png;

  png = ad_png_encode (g_bytes_get_data (data->pixels, NULL), data->width, data->height,
                       data->stride, FALSE, &error);
  if (png == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, png, (GDestroyNotify) g_bytes_unref);
}

static void
replace_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
encode_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) png = NULL;
  GError *error = NULL;

  png = g_task_propagate_pointer (G_TASK (result), &error);
  if (png == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_file_replace_contents_bytes_async (g_task_get_task_data (task), png, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task),
                                       replace_done_cb, g_object_ref (task));
}

/**
 * ad_compute_page_save_png_async:
 * @file: where to write the last Mandelbrot image
 *
 * Encodes the image as PNG on a worker thread and writes it with GIO's
 * asynchronous file API: the main loop never waits for zlib or the disk.
 * This is what the Save Image button does once a file is chosen.
 */
void
ad_compute_page_save_png_async (AdComputePage       *self,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) encode = NULL;
  const AdComputeParams *params;
  EncodeData *data;

  g_return_if_fail (AD_IS_COMPUTE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_compute_page_save_png_async);
  g_task_set_name (task, "[async-demo] save image");
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);

  if (self->result == NULL || ad_compute_result_get_pixels (self->result) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("There is no image to save yet"));
      return;
    }

  params = ad_compute_result_get_params (self->result);
  data = g_new0 (EncodeData, 1);
  data->pixels = g_bytes_ref (ad_compute_result_get_pixels (self->result));
  data->width = params->width;
  data->height = params->height;
  data->stride = ad_compute_result_get_stride (self->result);

  /* No source object: the pool thread may drop the last reference. */
  encode = g_task_new (NULL, cancellable, encode_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (encode, ad_compute_page_save_png_async);
  g_task_set_name (encode, "[async-demo] encode PNG");
  g_task_set_task_data (encode, data, (GDestroyNotify) encode_data_free);
  g_task_run_in_thread (encode, encode_thread);
}

gboolean
ad_compute_page_save_png_finish (AdComputePage  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (AD_IS_COMPUTE_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AdComputePage) self = ad_weak_ref_steal (user_data);
  GFile *file = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;
  gboolean saved = ad_compute_page_save_png_finish (AD_COMPUTE_PAGE (source), result, &error);

  /* The page is gone or was disposed meanwhile (it cancelled the save and
   * dropped its cancellable): say nothing. */
  if (self == NULL || self->save_cancellable == NULL
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Done: a toast from the window; a failure stays on the page. */
  if (saved)
    {
      text = g_strdup_printf (_("Saved %s"), name);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
      return;
    }
  text = g_strdup_printf (_("Cannot save %s: %s"), name, error->message);
  gtk_label_set_text (self->detail_label, text);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     AdComputePage   *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);

  if (file == NULL)
    return;

  if (self->save_cancellable == NULL)
    self->save_cancellable = g_cancellable_new ();
  ad_compute_page_save_png_async (self, file, self->save_cancellable, save_done_cb,
                                  ad_weak_ref_new (self));
}

void
ad_compute_page_save_image_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  AdComputePage *self = AD_COMPUTE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL || self->result == NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Save Image"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_suffix (filter, "png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "mandelbrot.png");
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Cancels a save in flight and closes the file chooser. */
void
ad_compute_page_save_dispose (AdComputePage *self)
{
  if (self->save_cancellable != NULL)
    g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->save_cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
}
