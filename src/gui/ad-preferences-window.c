/* ad-preferences-window.c: the preferences, each bound to its GSettings key
 *
 * An AdwPreferencesWindow of rows: the style (follow the system, light or
 * dark) as a combo row, the others as action rows with their control as
 * a suffix (AdwSwitchRow is libadwaita 1.4).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include "ad-application.h"
#include "ad-preferences-window.h"

struct _AdPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings      *settings;

  AdwComboRow    *style_row;
  GtkSpinButton  *log_capacity_spin;
  GtkSwitch      *debug_switch;
};

G_DEFINE_FINAL_TYPE (AdPreferencesWindow, ad_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The color-scheme key's nicks, in the combo row's order. */
static const char * const style_nicks[] = { "follow", "light", "dark" };

static gboolean
style_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (style_nicks); i++)
    if (g_str_equal (nick, style_nicks[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
style_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  if (i >= G_N_ELEMENTS (style_nicks))
    return NULL;

  return g_variant_new_string (style_nicks[i]);
}

static void
ad_preferences_window_constructed (GObject *object)
{
  AdPreferencesWindow *self = AD_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (ad_preferences_window_parent_class)->constructed (object);

  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->style_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                style_get_mapping, style_set_mapping, NULL, NULL);
  g_settings_bind (self->settings, "debug-mode",
                   self->debug_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "log-capacity",
                   gtk_spin_button_get_adjustment (self->log_capacity_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
ad_preferences_window_dispose (GObject *object)
{
  AdPreferencesWindow *self = (AdPreferencesWindow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ad_preferences_window_parent_class)->dispose (object);
}

static void
ad_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AdPreferencesWindow *self = AD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_preferences_window_class_init (AdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ad_preferences_window_constructed;
  object_class->dispose = ad_preferences_window_dispose;
  object_class->set_property = ad_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ad-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AdPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, AdPreferencesWindow, log_capacity_spin);
  gtk_widget_class_bind_template_child (widget_class, AdPreferencesWindow, debug_switch);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ad_preferences_window_init (AdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AdPreferencesWindow *
ad_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (AD_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}
