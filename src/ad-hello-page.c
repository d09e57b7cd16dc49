/* ad-hello-page.c: the "Hello, async" page
 *
 * Runs ad_hello_run_async() on the main loop and shows its log. The page
 * owns one GCancellable per run: Cancel cancels it, and so does disposing
 * the page, so a run never calls back into a page that is gone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-hello-page.h"
#include "ad-log-view.h"
#include "ad-source-view.h"

struct _AdHelloPage
{
  GtkWidget        parent_instance;

  AdLogModel      *log;
  GCancellable    *cancellable;   /* non-NULL while a run is in progress */
  gint64           run_started;

  GtkCheckButton  *sequential_check;
  GtkLabel        *status_label;
  AdLogView       *log_view;
};

G_DEFINE_FINAL_TYPE (AdHelloPage, ad_hello_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ad_hello_page_update_actions (AdHelloPage *self)
{
  gboolean running = self->cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hello.run", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hello.cancel", running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sequential_check), !running);
}

static void
hello_run_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AdHelloPage) self = user_data;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  double seconds = (g_get_monotonic_time () - self->run_started) / (double) G_USEC_PER_SEC;

  /* A run whose page was disposed (or that was replaced) says nothing. */
  if (cancellable != self->cancellable)
    {
      ad_hello_run_finish (result, NULL);
      return;
    }

  if (ad_hello_run_finish (result, &error))
    status = g_strdup_printf (_("Finished in %.2f s"), seconds);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    status = g_strdup_printf (_("Cancelled after %.2f s"), seconds);
  else
    status = g_strdup_printf (_("Failed: %s"), error->message);

  gtk_label_set_text (self->status_label, status);

  g_clear_object (&self->cancellable);
  ad_hello_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  AdHelloPage *self = AD_HELLO_PAGE (widget);
  AdHelloFlags flags = AD_HELLO_FLAGS_NONE;

  if (self->cancellable != NULL)
    return;

  if (gtk_check_button_get_active (self->sequential_check))
    flags |= AD_HELLO_FLAGS_SEQUENTIAL;

  ad_log_model_clear (self->log);
  self->cancellable = g_cancellable_new ();
  self->run_started = g_get_monotonic_time ();
  gtk_label_set_text (self->status_label, _("Running…"));
  ad_hello_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  ad_hello_run_async (self->log, flags, AD_HELLO_DEFAULT_DELAY_MS, self->cancellable,
                      hello_run_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AdHelloPage *self = AD_HELLO_PAGE (widget);

  /* The run reports "cancelled" through its callback once every
   * greeting has stopped. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
ad_hello_page_dispose (GObject *object)
{
  GtkWidget *child;
  AdHelloPage *self = (AdHelloPage *) object;

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_HELLO_PAGE);
  /* The template's top-level child is not a bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ad_hello_page_parent_class)->dispose (object);
}

static void
ad_hello_page_finalize (GObject *object)
{
  AdHelloPage *self = (AdHelloPage *) object;

  g_clear_object (&self->log);

  G_OBJECT_CLASS (ad_hello_page_parent_class)->finalize (object);
}

static void
ad_hello_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AdHelloPage *self = AD_HELLO_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, ad_hello_page_get_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_hello_page_class_init (AdHelloPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_hello_page_dispose;
  object_class->finalize = ad_hello_page_finalize;
  object_class->get_property = ad_hello_page_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AD_TYPE_LOG_VIEW);
  g_type_ensure (AD_TYPE_SOURCE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ad-hello-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AdHelloPage, sequential_check);
  gtk_widget_class_bind_template_child (widget_class, AdHelloPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, AdHelloPage, log_view);

  gtk_widget_class_install_action (widget_class, "hello.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "hello.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "hello.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "hello.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ad_hello_page_init (AdHelloPage *self)
{
  self->log = ad_log_model_new (AD_LOG_MODEL_DEFAULT_CAPACITY);

  gtk_widget_init_template (GTK_WIDGET (self));

  ad_log_view_set_model (self->log_view, self->log);
  ad_hello_page_update_actions (self);
}

/**
 * ad_hello_page_get_log:
 *
 * Returns: (transfer none): the log the page's runs write to
 */
AdLogModel *
ad_hello_page_get_log (AdHelloPage *self)
{
  g_return_val_if_fail (AD_IS_HELLO_PAGE (self), NULL);

  return self->log;
}

gboolean
ad_hello_page_get_running (AdHelloPage *self)
{
  g_return_val_if_fail (AD_IS_HELLO_PAGE (self), FALSE);

  return self->cancellable != NULL;
}
