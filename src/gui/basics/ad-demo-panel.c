/* ad-demo-panel.c: one Basics demo: explanation, parameters, Run/Cancel,
 * its live log and its own source
 *
 * The parameter controls are built from the demo's table entry
 * (ad-basics.h), so the page, the command line and the core never
 * disagree about names, ranges or defaults. Each panel keeps its own log
 * and its own run: browsing to another demo does not stop this one.
 *
 * The panel owns one GCancellable per run. Cancel cancels it, and so does
 * disposing the panel; the run's callback holds only a weak reference
 * (ad-weak-ref.h), so a run never calls back into a panel that is gone.
 *
 * The Source tab shows the demo's own file (ad-demo-ID.c) and, where
 * there is one, the library code it demonstrates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-a11y.h"
#include "ad-demo-panel.h"
#include "ad-log-view.h"
#include "ad-source-view.h"
#include "ad-weak-ref.h"

struct _AdDemoPanel
{
  GtkWidget           parent_instance;

  const AdBasicsDemo *demo;
  AdLogModel         *log;
  GCancellable       *cancellable;   /* non-NULL while a run is in progress */
  char               *summary;
  GHashTable         *param_widgets; /* name → GtkSpinButton or GtkCheckButton */

  GtkLabel           *title_label;
  GtkLabel           *explanation_label;
  GtkFlowBox         *params_box;
  GtkLabel           *status_label;
  GtkSpinner         *spinner;
  AdLogView          *log_view;
  AdSourceView       *source_view;
  GtkDropDown        *source_choice;
  GtkStringList      *source_files;
};

G_DEFINE_FINAL_TYPE (AdDemoPanel, ad_demo_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ad_demo_panel_set_running_ui (AdDemoPanel *self)
{
  gboolean running = self->cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "demo.run", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "demo.cancel", running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->params_box), !running);
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
}

static GVariant *
ad_demo_panel_collect_params (AdDemoPanel *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < self->demo->n_params; i++)
    {
      const AdBasicsParam *param = &self->demo->params[i];
      GtkWidget *widget = g_hash_table_lookup (self->param_widgets, param->name);

      if (param->type == AD_BASICS_PARAM_BOOLEAN)
        g_variant_builder_add (&builder, "{sv}", param->name,
                               g_variant_new_boolean (gtk_check_button_get_active (GTK_CHECK_BUTTON (widget))));
      else
        g_variant_builder_add (&builder, "{sv}", param->name,
                               g_variant_new_uint32 ((guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget))));
    }

  return g_variant_builder_end (&builder);
}

static void
demo_run_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AdDemoPanel) self = ad_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  summary = ad_basics_run_finish (result, &error);

  /* A run whose panel is gone, or was disposed, says nothing. */
  if (self == NULL || g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;

  /* The user's own Cancel is quiet: no error, the status just says so. */
  if (summary == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        summary = g_strdup (_("Cancelled"));
      else
        summary = g_strdup_printf (_("Failed: %s"), error->message);
    }

  g_free (self->summary);
  self->summary = g_steal_pointer (&summary);
  gtk_label_set_text (self->status_label, self->summary);

  g_clear_object (&self->cancellable);
  ad_demo_panel_set_running_ui (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  AdDemoPanel *self = AD_DEMO_PANEL (widget);

  if (self->cancellable != NULL)
    return;

  ad_log_model_clear (self->log);
  self->cancellable = g_cancellable_new ();
  gtk_label_set_text (self->status_label, _("Running…"));
  ad_demo_panel_set_running_ui (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  ad_basics_run_async (self->demo->id, ad_demo_panel_collect_params (self), self->log,
                       self->cancellable, demo_run_cb, ad_weak_ref_new (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AdDemoPanel *self = AD_DEMO_PANEL (widget);

  /* The run reports "cancelled" through its callback once everything it
   * started has stopped. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Returns the box to show; *control is the widget that holds the value. */
static GtkWidget *
param_widget_new (const AdBasicsParam  *param,
                  GtkWidget           **control_out)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label;
  GtkWidget *control;

  if (param->type == AD_BASICS_PARAM_BOOLEAN)
    {
      control = gtk_check_button_new_with_label (_(param->label));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (control), param->default_value != 0);
      gtk_box_append (GTK_BOX (box), control);
    }
  else
    {
      double step = param->max >= 1000 ? 100 : 1;

      label = gtk_label_new (_(param->label));
      /* Wraps rather than widening the panel on a phone. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_width_chars (GTK_LABEL (label), 8);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      control = gtk_spin_button_new_with_range (param->min, param->max, step);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (control), param->default_value);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (control), TRUE);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (control),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                      -1);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), control);
    }

  gtk_widget_set_name (control, param->name);
  *control_out = control;

  return box;
}

static void
ad_demo_panel_show_source (AdDemoPanel *self)
{
  guint selected = gtk_drop_down_get_selected (self->source_choice);
  const char *file = gtk_string_list_get_string (self->source_files, selected);
  g_autofree char *path = NULL;

  if (file == NULL)
    return;

  path = g_strconcat (RESOURCE_BASE "/sources/", file, NULL);
  ad_source_view_set_resource_path (self->source_view, path);
}

static void
ad_demo_panel_build (AdDemoPanel *self)
{
  g_autofree char *basename = NULL;

  gtk_label_set_text (self->title_label, _(self->demo->title));
  gtk_label_set_text (self->explanation_label, _(self->demo->explanation));

  for (guint i = 0; i < self->demo->n_params; i++)
    {
      GtkWidget *control;
      GtkWidget *item = param_widget_new (&self->demo->params[i], &control);

      g_hash_table_insert (self->param_widgets, (gpointer) self->demo->params[i].name, control);
      gtk_flow_box_append (self->params_box, item);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->params_box), self->demo->n_params > 0);

  /* The demo's own file first, from its top, then the library code it
   * demonstrates, where there is one. */
  self->source_files = gtk_string_list_new (NULL);
  basename = g_path_get_basename (self->demo->source_file);
  gtk_string_list_append (self->source_files, basename);
  if (self->demo->library_file != NULL)
    {
      g_autofree char *library = g_path_get_basename (self->demo->library_file);

      gtk_string_list_append (self->source_files, library);
    }
  gtk_drop_down_set_model (self->source_choice, G_LIST_MODEL (self->source_files));
  g_signal_connect_object (self->source_choice, "notify::selected",
                           G_CALLBACK (ad_demo_panel_show_source), self, G_CONNECT_SWAPPED);
  ad_demo_panel_show_source (self);
}

static void
ad_demo_panel_dispose (GObject *object)
{
  AdDemoPanel *self = (AdDemoPanel *) object;
  GtkWidget *child;

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_DEMO_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ad_demo_panel_parent_class)->dispose (object);
}

static void
ad_demo_panel_finalize (GObject *object)
{
  AdDemoPanel *self = (AdDemoPanel *) object;

  g_clear_object (&self->log);
  g_clear_pointer (&self->param_widgets, g_hash_table_unref);
  g_clear_object (&self->source_files);
  g_free (self->summary);

  G_OBJECT_CLASS (ad_demo_panel_parent_class)->finalize (object);
}

static void
ad_demo_panel_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AdDemoPanel *self = AD_DEMO_PANEL (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, ad_demo_panel_get_running (self));
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_demo_panel_class_init (AdDemoPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_demo_panel_dispose;
  object_class->finalize = ad_demo_panel_finalize;
  object_class->get_property = ad_demo_panel_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AD_TYPE_LOG_VIEW);
  g_type_ensure (AD_TYPE_SOURCE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ad-demo-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AdDemoPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, AdDemoPanel, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, AdDemoPanel, params_box);
  gtk_widget_class_bind_template_child (widget_class, AdDemoPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, AdDemoPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, AdDemoPanel, log_view);
  gtk_widget_class_bind_template_child (widget_class, AdDemoPanel, source_view);
  gtk_widget_class_bind_template_child (widget_class, AdDemoPanel, source_choice);

  gtk_widget_class_install_action (widget_class, "demo.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "demo.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "demo.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "demo.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ad_demo_panel_init (AdDemoPanel *self)
{
  self->log = ad_log_model_new (AD_LOG_MODEL_DEFAULT_CAPACITY);
  self->param_widgets = g_hash_table_new (g_str_hash, g_str_equal);

  gtk_widget_init_template (GTK_WIDGET (self));
  ad_a11y_fix_names (GTK_WIDGET (self));

  ad_log_view_set_model (self->log_view, self->log);
  ad_demo_panel_set_running_ui (self);
}

AdDemoPanel *
ad_demo_panel_new (const AdBasicsDemo *demo)
{
  AdDemoPanel *self;

  g_return_val_if_fail (demo != NULL, NULL);

  self = g_object_new (AD_TYPE_DEMO_PANEL, NULL);
  self->demo = demo;
  ad_demo_panel_build (self);

  return self;
}

/**
 * ad_demo_panel_get_log:
 *
 * Returns: (transfer none): the log the panel's runs write to
 */
AdLogModel *
ad_demo_panel_get_log (AdDemoPanel *self)
{
  g_return_val_if_fail (AD_IS_DEMO_PANEL (self), NULL);

  return self->log;
}

gboolean
ad_demo_panel_get_running (AdDemoPanel *self)
{
  g_return_val_if_fail (AD_IS_DEMO_PANEL (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * ad_demo_panel_get_summary:
 *
 * Returns: (nullable): the last run's one-line result
 */
const char *
ad_demo_panel_get_summary (AdDemoPanel *self)
{
  g_return_val_if_fail (AD_IS_DEMO_PANEL (self), NULL);

  return self->summary;
}

/**
 * ad_demo_panel_set_param:
 * @name: a parameter of the panel's demo
 * @value: the value (0 or 1 for a switch)
 *
 * Sets a parameter control, as the user would.
 */
void
ad_demo_panel_set_param (AdDemoPanel *self,
                         const char  *name,
                         guint        value)
{
  GtkWidget *widget;

  g_return_if_fail (AD_IS_DEMO_PANEL (self));

  widget = g_hash_table_lookup (self->param_widgets, name);
  g_return_if_fail (widget != NULL);

  if (GTK_IS_CHECK_BUTTON (widget))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (widget), value != 0);
  else
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), value);
}
