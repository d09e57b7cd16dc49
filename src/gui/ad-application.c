/* ad-application.c: the AdwApplication: actions, accelerators, settings
 *
 * AdwApplication loads style.css (and style-dark.css, if there is one)
 * from the resource base path by itself. The colour scheme follows the
 * system through AdwStyleManager unless the color-scheme setting forces
 * light or dark.
 *
 * Single instance through D-Bus: a second launch (or a D-Bus activation
 * from the app menu) activates the running instance, which presents its
 * window instead of opening another.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ad-application.h"
#include "ad-a11y.h"
#include "ad-about.h"
#include "ad-inspector-window.h"
#include "ad-core.h"
#include "ad-preferences-window.h"
#include "ad-window.h"

struct _AdApplication
{
  AdwApplication  parent_instance;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (AdApplication, ad_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

static gint
ad_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  return G_APPLICATION_CLASS (ad_application_parent_class)->handle_local_options (app, options);
}

static void
apply_style (AdApplication *self)
{
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (self->settings == NULL)
    return;

  /* Default: light unless the system prefers dark. */
  switch (g_settings_get_enum (self->settings, "color-scheme"))
    {
    case AD_COLOR_SCHEME_LIGHT:
      scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
      break;
    case AD_COLOR_SCHEME_DARK:
      scheme = ADW_COLOR_SCHEME_FORCE_DARK;
      break;
    case AD_COLOR_SCHEME_FOLLOW:
    default:
      break;
    }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
}

/* Without an installed schema GSettings would abort the process. Run
 * without saved state instead, and say so. */
static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("GSettings schema %s is not installed: settings and window state will not be kept",
                 APP_ID);
      return NULL;
    }

  return g_settings_new (APP_ID);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Work runs: ask first (the answer Quit comes back here). */
  for (GList *l = windows; l != NULL; l = l->next)
    if (AD_IS_WINDOW (l->data) && ad_window_ask_before_quitting (l->data, TRUE))
      return;

  /* Closing the windows lets each one save its state and cancel its work. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }

  g_application_quit (G_APPLICATION (app));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *about = ad_about_window_new (gtk_application_get_active_window (app));

  ad_a11y_name_internals (GTK_WIDGET (about));
  gtk_window_present (about);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  AdApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdPreferencesWindow *prefs;

  if (self->settings == NULL)
    return;

  prefs = ad_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  ad_a11y_name_internals (GTK_WIDGET (prefs));
  gtk_window_present (GTK_WINDOW (prefs));
}

/* One inspector per app, floating beside whatever page is shown. */
static void
inspector_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkApplication *app = user_data;

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (AD_IS_INSPECTOR_WINDOW (l->data))
      {
        gtk_window_present (l->data);
        return;
      }

  gtk_window_present (GTK_WINDOW (ad_inspector_window_new (app)));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "inspector", inspector_action },
};

/* Debug mode: the setting or ASYNC_DEMO_DEBUG=1 (read by ad_core_init()).
 * It watches the main loop with the default loop monitor, which logs
 * stalls with their culprit. */
static void
apply_debug_mode (AdApplication *self)
{
  gboolean enabled = ad_debug_requested_by_env () ||
                     (self->settings != NULL &&
                      g_settings_get_boolean (self->settings, "debug-mode"));

  ad_debug_set_enabled (enabled);
  if (enabled)
    ad_loop_monitor_start (ad_loop_monitor_get_default ());
  else
    ad_loop_monitor_stop (ad_loop_monitor_get_default ());
}

static void
ad_application_shutdown (GApplication *app)
{
  if (ad_debug_get_enabled ())
    {
      ad_task_registry_report_unfinished (ad_task_registry_get_default ());
      ad_loop_monitor_stop (ad_loop_monitor_get_default ());
    }

  G_APPLICATION_CLASS (ad_application_parent_class)->shutdown (app);
}

static void
ad_application_startup (GApplication *app)
{
  AdApplication *self = AD_APPLICATION (app);
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *prefs_accels[] = { "<Primary>comma", NULL };
  static const char *inspector_accels[] = { "<Primary><Shift>t", NULL };

  G_APPLICATION_CLASS (ad_application_parent_class)->startup (app);

  self->settings = settings_new_if_installed ();

  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.inspector", inspector_accels);

  /* Record from the start, so that the inspector, opened later, shows
   * what already happened. */
  ad_trace_recorder_get_default ();

  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (app),
                                                                            "preferences")),
                               self->settings != NULL);

  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::color-scheme",
                             G_CALLBACK (apply_style), self, G_CONNECT_SWAPPED);
  apply_style (self);

  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::debug-mode",
                             G_CALLBACK (apply_debug_mode), self, G_CONNECT_SWAPPED);
  apply_debug_mode (self);
}

static void
ad_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      g_debug ("Activated: opening the window");
      window = GTK_WINDOW (ad_window_new (AD_APPLICATION (app)));
    }
  else
    {
      g_debug ("Activated again: presenting the window");
    }

  gtk_window_present (window);
}

static void
ad_application_dispose (GObject *object)
{
  AdApplication *self = (AdApplication *) object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ad_application_parent_class)->dispose (object);
}

static void
ad_application_class_init (AdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ad_application_dispose;
  app_class->handle_local_options = ad_application_handle_local_options;
  app_class->startup = ad_application_startup;
  app_class->activate = ad_application_activate;
  app_class->shutdown = ad_application_shutdown;
}

static void
ad_application_init (AdApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[COMMAND [ARGUMENTS…]]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Without a command, opens the Async Demo window."));
}

/**
 * ad_application_prepare_environment:
 *
 * Call before GTK is initialised, while the process has one thread (it
 * sets an environment variable). With the cairo renderer
 * (GSK_RENDERER=cairo) nothing is drawn with OpenGL, yet GDK 4.8 on X11
 * loads and initialises OpenGL (Mesa, LLVM: about 60 ms of CPU, a sixth of
 * the start-up) only to choose the window's visual. GDK_DEBUG=gl-disable
 * skips that. A GDK_DEBUG that names a gl- option already is left alone,
 * and so is any other renderer.
 */
void
ad_application_prepare_environment (void)
{
  const char *debug = g_getenv ("GDK_DEBUG");
  g_autofree char *value = NULL;

  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") != 0)
    return;
  if (debug != NULL && strstr (debug, "gl-") != NULL)
    return;

  value = debug != NULL && debug[0] != '\0' ? g_strconcat (debug, ",gl-disable", NULL)
                                            : g_strdup ("gl-disable");
  g_setenv ("GDK_DEBUG", value, TRUE);
}

AdApplication *
ad_application_new (void)
{
  return g_object_new (AD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

/**
 * ad_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the app's settings, or %NULL when
 *   the schema is not installed
 */
GSettings *
ad_application_get_settings (AdApplication *self)
{
  g_return_val_if_fail (AD_IS_APPLICATION (self), NULL);

  return self->settings;
}
