/* test-window.c: the real window under a real display (Xvfb in CI)
 *
 * Registered only when GTK can open a display, so the core suites still
 * run anywhere; CI always provides one (build-aux/with-display.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ad-application.h"
#include "ad-core.h"
#include "ad-basics-page.h"
#include "ad-preferences-window.h"
#include "ad-source-view.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"
#include "ad-window.h"
#include "ad-window-private.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#include <X11/Xatom.h>
#endif

static AdApplication *app;

/* A switch in the preferences row titled @data. */
static gboolean
is_switch_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  GtkWidget *row;

  if (!GTK_IS_SWITCH (widget))
    return FALSE;

  row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);

  return row != NULL &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), data) == 0;
}

static AdBasicsPage *
get_basics_page (AdWindow *window)
{
  return AD_BASICS_PAGE (ad_gui_test_show_page (window, "basics", NULL));
}

static AdDemoPanel *
show_demo (AdWindow   *window,
           const char *demo_id)
{
  AdDemoPanel *panel = ad_basics_page_show_demo (get_basics_page (window), demo_id);

  g_assert_nonnull (panel);
  ad_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (panel)), 5000);

  return panel;
}

static gint64
find_elapsed (AdLogModel *log,
              const char *message)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(AdLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (g_strcmp0 (ad_log_entry_get_message (entry), message) == 0)
        return ad_log_entry_get_elapsed (entry);
    }

  return -1;
}

static void
on_running_changed (GObject    *object,
                    GParamSpec *pspec,
                    gboolean   *stopped)
{
  if (!ad_demo_panel_get_running (AD_DEMO_PANEL (object)))
    *stopped = TRUE;
}

/* Clicks Run and waits for the run to end; returns the summary. */
static const char *
run_demo (AdDemoPanel *panel,
          guint        timeout_ms)
{
  GtkWidget *run_button = ad_gui_test_find_button (GTK_WIDGET (panel), "demo.run");
  gboolean stopped = FALSE;

  g_assert_nonnull (run_button);
  g_assert_true (gtk_widget_is_sensitive (run_button));
  g_signal_connect (panel, "notify::running", G_CALLBACK (on_running_changed), &stopped);
  g_signal_emit_by_name (run_button, "clicked");
  g_assert_true (ad_demo_panel_get_running (panel));
  g_assert_false (gtk_widget_is_sensitive (run_button));
  ad_test_wait_for (stopped, timeout_ms);
  g_signal_handlers_disconnect_by_func (panel, on_running_changed, &stopped);
  g_assert_true (gtk_widget_is_sensitive (run_button));
  /* Let the log's last publish and the view catch up. */
  ad_test_spin (100);

  return ad_demo_panel_get_summary (panel);
}

static void
test_opens_every_page (void)
{
  /* The pages the sidebar offers, in its order. */
  static const struct
  {
    const char *name;
    const char *title;
  } expected[] = {
    { "basics", "Basics" },
    { "crawler", "Crawler" },
    { "compute", "Compute" },
    { "chat", "Chat" },
    { "tasks", "Tasks" },
  };
  AdWindow *window = ad_gui_test_open_window (app);
  GtkStack *stack = ad_window_get_stack (window);
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (stack);
  GtkWidget *sidebar = ad_gui_test_find_named (GTK_WIDGET (window), "sidebar");

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Async Demo");
  g_assert_nonnull (sidebar);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkStackPage *page = GTK_STACK_PAGE (item);
      GtkWidget *child = gtk_stack_page_get_child (page);

      g_assert_cmpstr (gtk_stack_page_get_name (page), ==, expected[i].name);
      g_assert_cmpstr (gtk_stack_page_get_title (page), ==, expected[i].title);
      g_assert_true (gtk_stack_page_get_visible (page));
      /* The sidebar offers it by its title. */
      g_assert_nonnull (ad_gui_test_find_label (sidebar, expected[i].title));

      /* It opens: shown, and the only page shown. */
      gtk_stack_set_visible_child (stack, child);
      ad_test_wait_until (gtk_widget_get_mapped (child), 5000);
      g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, expected[i].name);
      g_assert_true (gtk_selection_model_is_selected (pages, i));
      for (guint j = 0; j < G_N_ELEMENTS (expected); j++)
        if (j != i)
          ad_test_wait_until (!gtk_widget_get_mapped (
                                gtk_stack_get_child_by_name (stack, expected[j].name)), 5000);
    }

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_hello_run (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdDemoPanel *panel = show_demo (window, "concurrent");
  AdLogModel *log = ad_demo_panel_get_log (panel);
  gint64 alice, bob;

  g_test_message ("%s", run_demo (panel, 5000));
  /* The log publishes in batches: wait for both greetings. */
  ad_test_wait_until (find_elapsed (log, "Hello, Alice!") >= 0 &&
                      find_elapsed (log, "Hello, Bob!") >= 0, 5000);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(AdLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      g_autofree char *line = ad_log_entry_format (entry);

      g_test_message ("%s", line);
    }
  alice = find_elapsed (log, "Hello, Alice!");
  bob = find_elapsed (log, "Hello, Bob!");
  g_test_message ("Alice at %.3f s, Bob at %.3f s", alice / 1e6, bob / 1e6);
  g_assert_cmpint (alice, >=, 1000000);
  g_assert_cmpint (bob, >=, 1000000);
  /* Concurrent: the two finish together, not one second apart. */
  g_assert_cmpint (ABS (bob - alice), <, 500000);
  /* Under valgrind the loop itself runs several times slower. */
  if (g_getenv ("AD_TEST_SLOW") == NULL)
    {
      g_assert_cmpint (alice, <=, 1500000);
      g_assert_cmpint (bob, <=, 1500000);
    }
  ad_test_wait_until (ad_gui_test_find_label (GTK_WIDGET (panel), "Hello, Bob!") != NULL, 5000);

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_group_failure (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdDemoPanel *panel = show_demo (window, "group");
  const char *summary;

  /* As a user would: shorter waits, and make worker 2 fail. */
  ad_demo_panel_set_param (panel, "scale-ms", 50);
  ad_demo_panel_set_param (panel, "fail", 1);
  summary = run_demo (panel, 5000);
  g_test_message ("%s", summary);
  g_assert_true (g_str_has_prefix (summary, "Group failed"));
  ad_test_wait_until (ad_gui_test_find_label (GTK_WIDGET (panel), summary) != NULL, 5000);

  ad_demo_panel_set_param (panel, "fail", 0);
  summary = run_demo (panel, 5000);
  g_assert_nonnull (strstr (summary, "0, 2, 4, 6, 8"));

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_timeout (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdDemoPanel *panel = show_demo (window, "timeout");
  const char *summary;

  ad_demo_panel_set_param (panel, "work-ms", 400);
  ad_demo_panel_set_param (panel, "timeout-ms", 100);
  summary = run_demo (panel, 5000);
  g_assert_true (g_str_has_prefix (summary, "Timed out"));

  ad_demo_panel_set_param (panel, "timeout-ms", 2000);
  summary = run_demo (panel, 5000);
  g_assert_true (g_str_has_prefix (summary, "Finished in time"));

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_hello_cancel (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdDemoPanel *panel = show_demo (window, "concurrent");
  AdLogModel *log = ad_demo_panel_get_log (panel);
  GtkWidget *cancel_button = ad_gui_test_find_button (GTK_WIDGET (panel), "demo.cancel");
  gboolean stopped = FALSE;
  gint64 start;

  g_assert_nonnull (cancel_button);
  g_assert_false (gtk_widget_is_sensitive (cancel_button));

  g_signal_connect (panel, "notify::running", G_CALLBACK (on_running_changed), &stopped);
  gtk_widget_activate_action (GTK_WIDGET (panel), "demo.run", NULL);
  ad_test_wait_until (gtk_widget_is_sensitive (cancel_button), 2000);

  start = g_get_monotonic_time ();
  g_signal_emit_by_name (cancel_button, "clicked");
  ad_test_wait_for (stopped, 2000);
  g_signal_handlers_disconnect_by_func (panel, on_running_changed, &stopped);

  g_assert_cmpint (g_get_monotonic_time () - start, <, 300000 * ad_test_slow_factor ());
  ad_test_spin (50);
  g_assert_cmpint (find_elapsed (log, "Hello, Alice!"), ==, -1);
  g_assert_cmpint (find_elapsed (log, "Hello, Bob!"), ==, -1);
  g_assert_false (gtk_widget_is_sensitive (cancel_button));
  g_assert_cmpstr (ad_demo_panel_get_summary (panel), ==, "Cancelled");

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_close_during_run (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdDemoPanel *panel = show_demo (window, "group");

  gtk_widget_activate_action (GTK_WIDGET (panel), "demo.run", NULL);
  ad_test_spin (100);
  /* The page cancels its run on dispose; the run's callback must not
   * touch the page's widgets afterwards, and nothing may keep it alive. */
  ad_gui_test_close_window (GTK_WINDOW (window));
  ad_test_spin (200);
}

static void
test_sources (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  const AdBasicsDemo *demos;
  guint n_demos;

  /* Every demo shows the very code that runs it, from the GResource: its
   * own file first, from the top. */
  demos = ad_basics_get_demos (&n_demos);
  g_assert_cmpuint (n_demos, ==, 8);
  for (guint i = 0; i < n_demos; i++)
    {
      AdDemoPanel *panel = show_demo (window, demos[i].id);
      GtkWidget *source_view = ad_gui_test_find_by_type (GTK_WIDGET (panel), AD_TYPE_SOURCE_VIEW);
      GtkWidget *choice = ad_gui_test_find_by_type (GTK_WIDGET (panel), GTK_TYPE_DROP_DOWN);
      g_autofree char *opening = g_strdup_printf ("/* ad-demo-%s.c: ", demos[i].id);
      g_autofree char *run_func = g_strdup_printf ("ad_demo_%s_run (GTask", demos[i].id);
      g_autofree char *text = NULL;
      guint n_choices;

      g_strdelimit (run_func, "-", '_');
      g_assert_nonnull (source_view);
      text = ad_source_view_get_text (AD_SOURCE_VIEW (source_view));
      g_assert_true (g_str_has_prefix (text, opening));
      g_assert_cmpint (ad_source_view_scroll_to_text (AD_SOURCE_VIEW (source_view), run_func), >, 0);

      /* The library code the demo shows, when there is one. */
      n_choices = g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (choice)));
      g_assert_cmpuint (n_choices, ==, demos[i].library_file != NULL ? 2 : 1);
      if (demos[i].library_file != NULL)
        {
          g_autofree char *basename = g_path_get_basename (demos[i].library_file);
          g_autofree char *other = NULL;
          GtkWidget *text_view = ad_gui_test_find_by_type (source_view, GTK_TYPE_TEXT_VIEW);
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
          GtkTextIter cursor;

          gtk_drop_down_set_selected (GTK_DROP_DOWN (choice), 1);
          other = ad_source_view_get_text (AD_SOURCE_VIEW (source_view));
          g_assert_nonnull (strstr (other, basename));
          g_assert_cmpstr (other, !=, text);
          gtk_drop_down_set_selected (GTK_DROP_DOWN (choice), 0);

          /* Back to the demo's file, from its top again. */
          gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
          g_assert_cmpint (gtk_text_iter_get_line (&cursor), ==, 0);
        }
    }

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_state_restored (void)
{
  GSettings *settings;
  AdWindow *window;
  int width, height;

  /* Restore: a new window takes its size from the settings. */
  settings = ad_application_get_settings (app);
  g_assert_nonnull (settings);
  g_settings_set_int (settings, "window-width", 960);
  g_settings_set_int (settings, "window-height", 640);

  window = ad_gui_test_open_window (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 960);
  g_assert_cmpint (height, ==, 640);
  /* The widget is the default size less the client-side decorations. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >, 900);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 960);

  /* Save: closing writes the window's real size and page back. */
  g_settings_set_int (settings, "window-width", 640);
  g_settings_set_int (settings, "window-height", 480);
  g_settings_set_string (settings, "last-page", "nothing");
  ad_gui_test_close_window (GTK_WINDOW (window));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 960);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  {
    g_autofree char *page = g_settings_get_string (settings, "last-page");

    g_assert_cmpstr (page, ==, "basics");
  }

  /* Saving leaves the app's settings writing through (the preferences
   * window writes with them): another settings object sees a change. */
  g_settings_set_string (settings, "last-page", "chat");
  {
    g_autoptr(GSettings) other = g_settings_new (APP_ID);
    g_autofree char *page = g_settings_get_string (other, "last-page");

    g_assert_cmpstr (page, ==, "chat");
  }

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "last-page");
}

static void
test_dialogs (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  GSettings *settings = ad_application_get_settings (app);
  GtkWindow *dialog;
  GtkWidget *style_row;
  AdwStyleManager *style = adw_style_manager_get_default ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  ad_test_wait_until ((dialog = ad_gui_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW)) != NULL, 5000);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (dialog)), ==, PACKAGE_VERSION);
  /* The newest release's notes, from the metainfo. */
  g_assert_cmpstr (adw_about_window_get_release_notes_version (ADW_ABOUT_WINDOW (dialog)), ==,
                   PACKAGE_VERSION);
  g_assert_true (g_str_has_prefix (adw_about_window_get_release_notes (ADW_ABOUT_WINDOW (dialog)),
                                   "<p>The first release"));
  gtk_window_destroy (dialog);

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  ad_test_wait_until ((dialog = ad_gui_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW)) != NULL,
                      5000);
  g_assert_nonnull (dialog);
  gtk_window_close (dialog);

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  ad_test_wait_until ((dialog = ad_gui_test_find_toplevel (AD_TYPE_PREFERENCES_WINDOW)) != NULL,
                      5000);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));

  /* Choosing a style changes the setting, and the setting the style. */
  style_row = ad_gui_test_find_by_type (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW);
  g_assert_nonnull (style_row);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (style_row)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (style_row), 2);
  g_assert_cmpint (g_settings_get_enum (settings, "color-scheme"), ==, AD_COLOR_SCHEME_DARK);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));
  adw_combo_row_set_selected (ADW_COMBO_ROW (style_row), 1);
  g_assert_cmpint (g_settings_get_enum (settings, "color-scheme"), ==, AD_COLOR_SCHEME_LIGHT);
  g_assert_false (adw_style_manager_get_dark (style));
  /* The setting moves the row too. */
  g_settings_set_enum (settings, "color-scheme", AD_COLOR_SCHEME_DARK);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (style_row)), ==, 2);
  g_settings_reset (settings, "color-scheme");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (style_row)), ==, 0);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);

  /* Debug mode turns on the loop monitor that names stalls. */
  {
    GtkWidget *debug_switch = ad_gui_test_find_widget (GTK_WIDGET (dialog), is_switch_labelled,
                                                       "D_ebug Mode");

    g_assert_nonnull (debug_switch);
    g_assert_false (ad_debug_get_enabled ());
    gtk_switch_set_active (GTK_SWITCH (debug_switch), TRUE);
    g_assert_true (g_settings_get_boolean (settings, "debug-mode"));
    g_assert_true (ad_debug_get_enabled ());
    gtk_switch_set_active (GTK_SWITCH (debug_switch), FALSE);
    g_assert_false (ad_debug_get_enabled ());
  }
  gtk_window_destroy (dialog);

  /* The log size preference reaches every demo's log. */
  g_settings_set_uint (settings, "log-capacity", 250);
  g_assert_cmpuint (ad_log_model_get_capacity (ad_demo_panel_get_log (show_demo (window, "locks"))), ==, 250);
  g_assert_cmpuint (ad_log_model_get_capacity (ad_demo_panel_get_log (show_demo (window, "concurrent"))), ==, 250);
  g_settings_reset (settings, "log-capacity");
  g_assert_cmpuint (ad_log_model_get_capacity (ad_demo_panel_get_log (show_demo (window, "locks"))), ==,
                    AD_LOG_MODEL_DEFAULT_CAPACITY);

  /* Every accelerator the shortcuts window promises is wired. */
  {
    g_auto(GStrv) quit = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
    g_auto(GStrv) prefs = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
    g_auto(GStrv) help = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                 "win.show-help-overlay");

    g_assert_cmpstr (quit[0], ==, "<Control>q");
    g_assert_cmpstr (prefs[0], ==, "<Control>comma");
    g_assert_cmpstr (help[0], ==, "<Control>question");
  }

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_german (void)
{
  g_autofree char *old_language = NULL;
  AdWindow *window;
  AdBasicsPage *page;
  GtkWidget *run_button;

  /* gettext reads LANGUAGE on every lookup, so the next window is German. */
  old_language = ad_gui_test_set_language ("de");

  window = ad_gui_test_open_window (app);
  page = AD_BASICS_PAGE (ad_gui_test_show_page (window, "basics", "Grundlagen"));
  run_button = ad_gui_test_find_button (GTK_WIDGET (ad_basics_page_show_demo (page, "concurrent")),
                                        "demo.run");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (run_button)), ==, "_Ausführen");
  g_assert_cmpstr (_("Hello, Async!"), ==, "Hallo, Async!");
  ad_gui_test_close_window (GTK_WINDOW (window));
  ad_gui_test_restore_language (g_steal_pointer (&old_language));
}

/* ---- the real binary, as a user starts it ------------------------------
 *
 * These tests run async-demo itself on the test's display and session bus
 * (build-aux/with-display.sh gives a private one), with a keyfile settings
 * backend in a temporary XDG_CONFIG_HOME, and drive it through what it
 * exports on the bus: the app's and the window's actions. */

#define APP_PATH "/org/example/AsyncDemo"

typedef struct
{
  char             *config_dir;
  GSubprocess      *proc;
  GDataInputStream *out;     /* its debug messages (AsyncDemo) */
} AppRun;

static GSubprocess *
spawn_app (const char *config_dir,
           gboolean    pipe_out)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (pipe_out ? G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        : G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "AsyncDemo", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "ASYNC_DEMO_DEBUG");
  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ASYNC_DEMO_BINARY"), NULL);
  g_assert_no_error (error);

  return proc;
}

static GVariant *
call_actions (const char  *object_path,
              const char  *method,
              GVariant    *parameters,
              GError     **error)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_assert_nonnull (bus);
  return g_dbus_connection_call_sync (bus, APP_ID, object_path, "org.gtk.Actions", method,
                                      parameters, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000,
                                      NULL, error);
}

/* Whether the app on the bus has a window with this number (GtkApplication
 * exports each window's actions at APP_PATH/window/N). */
static gboolean
window_exported (guint id)
{
  g_autofree char *path = g_strdup_printf (APP_PATH "/window/%u", id);
  g_autoptr(GVariant) reply = call_actions (path, "List", NULL, NULL);

  return reply != NULL;
}

static void
activate_action (const char *object_path,
                 const char *name,
                 GVariant   *parameter)
{
  g_autoptr(GError) error = NULL;
  GVariantBuilder params;
  g_autoptr(GVariant) reply = NULL;

  g_variant_builder_init (&params, G_VARIANT_TYPE ("av"));
  if (parameter != NULL)
    g_variant_builder_add (&params, "v", parameter);
  reply = call_actions (object_path, "Activate",
                        g_variant_new ("(sava{sv})", name, &params, NULL), &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
}

/* The state of win.page: the page the window shows. */
static char *
shown_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call_actions (APP_PATH "/window/1", "Describe",
                                            g_variant_new ("(s)", "page"), &error);
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) page = NULL;
  gboolean enabled;

  g_assert_no_error (error);
  g_variant_get (reply, "((b&g@av))", &enabled, NULL, &state);
  g_assert_cmpuint (g_variant_n_children (state), ==, 1);
  g_variant_get_child (state, 0, "v", &page);

  return g_variant_dup_string (page, NULL);
}

static void
store_exit (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

/* Waits (with a deadline) for @proc to exit; asserts it exited with 0. */
static void
wait_exit_ok (GSubprocess *proc)
{
  gboolean exited = FALSE;

  g_subprocess_wait_async (proc, NULL, store_exit, &exited);
  ad_test_wait_until (exited, 10000);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

/* Reads lines of @stream (with a deadline) until one contains @text. */
static void
wait_for_line (GDataInputStream *stream,
               const char       *text)
{
  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *line = NULL;

      g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, NULL,
                                           ad_test_store_result, &result);
      ad_test_wait_until (result != NULL, 10000);
      line = g_data_input_stream_read_line_finish_utf8 (stream, result, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (strstr (line, text) != NULL)
        return;
    }
}

static void
app_run_start (AppRun     *run,
               const char *config_dir)
{
  run->config_dir = g_strdup (config_dir);
  run->proc = spawn_app (config_dir, TRUE);
  run->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run->proc));
  /* Up: its window is open and on the bus. */
  wait_for_line (run->out, "Activated: opening the window");
  ad_test_wait_until (window_exported (1), 10000);
}

/* app.quit, as Ctrl+Q or the menu's Quit; the process must end with 0. */
static void
app_run_quit (AppRun *run)
{
  activate_action (APP_PATH, "quit", NULL);
  wait_exit_ok (run->proc);
  g_clear_object (&run->out);
  g_clear_object (&run->proc);
  g_clear_pointer (&run->config_dir, g_free);
}

static GKeyFile *
load_saved_settings (const char *config_dir)
{
  g_autofree char *path = g_build_filename (config_dir, "glib-2.0", "settings", "keyfile", NULL);
  g_autoptr(GError) error = NULL;
  GKeyFile *keyfile = g_key_file_new ();

  g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  return keyfile;
}

static char *
saved_value (GKeyFile   *keyfile,
             const char *key)
{
  g_autoptr(GError) error = NULL;
  char *value = g_key_file_get_value (keyfile, "org/example/AsyncDemo", key, &error);

  g_assert_no_error (error);
  return value;
}

static void
remove_config (const char *config_dir)
{
  g_autofree char *glib_dir = g_build_filename (config_dir, "glib-2.0", NULL);
  g_autofree char *settings_dir = g_build_filename (glib_dir, "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);

  g_unlink (keyfile);
  g_rmdir (settings_dir);
  g_rmdir (glib_dir);
  g_rmdir (config_dir);
}

/* No other instance may answer for the app on this bus. */
static void
assert_no_instance (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = TRUE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", APP_ID), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  g_assert_nonnull (reply);
  g_variant_get (reply, "(b)", &has_owner);
  g_assert_false (has_owner);
}

/* A second launch presents the first instance's window and exits with 0;
 * app.quit then ends the first one cleanly. */
static void
test_second_launch (void)
{
  g_autofree char *config_dir = g_dir_make_tmp ("async-demo-config-XXXXXX", NULL);
  g_autoptr(GSubprocess) second = NULL;
  AppRun first = { 0 };

  assert_no_instance ();
  app_run_start (&first, config_dir);

  second = spawn_app (config_dir, FALSE);
  wait_exit_ok (second);
  /* The first instance was activated again and presented its window... */
  wait_for_line (first.out, "Activated again: presenting the window");
  /* ...and opened no other. */
  g_assert_true (window_exported (1));
  g_assert_false (window_exported (2));

  app_run_quit (&first);
  remove_config (config_dir);
}

#ifdef GDK_WINDOWING_X11
/* The app's main window on the X display: the viewable top-level window
 * whose _NET_WM_PID is @pid (0 when there is none, or more than one). */
static Window
find_app_window (GPid pid)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  Atom wm_pid = XInternAtom (dpy, "_NET_WM_PID", False);
  Window root, parent, *children = NULL;
  Window found = 0;
  unsigned int n_children = 0;
  guint n_found = 0;

  if (!XQueryTree (dpy, DefaultRootWindow (dpy), &root, &parent, &children, &n_children))
    return 0;
  for (unsigned int i = 0; i < n_children; i++)
    {
      XWindowAttributes attrs;
      Atom type;
      int format;
      unsigned long n_items, after;
      unsigned char *data = NULL;
      unsigned long value = 0;

      if (!XGetWindowAttributes (dpy, children[i], &attrs) || attrs.map_state != IsViewable ||
          attrs.override_redirect)
        continue;
      /* Xlib returns 32-bit items as longs: copy, it may not be aligned for us to read in place. */
      if (XGetWindowProperty (dpy, children[i], wm_pid, 0, 1, False, XA_CARDINAL, &type, &format,
                              &n_items, &after, &data) == Success && data != NULL && n_items == 1)
        memcpy (&value, data, sizeof value);
      if (value != 0 && (GPid) value == pid)
        {
          found = children[i];
          n_found++;
        }
      if (data != NULL)
        XFree (data);
    }
  if (children != NULL)
    XFree (children);

  return n_found == 1 ? found : 0;
}

static gboolean
app_window_has_size (GPid pid,
                     int  width,
                     int  height)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  Window window = find_app_window (pid);
  XWindowAttributes attrs;

  return window != 0 && XGetWindowAttributes (dpy, window, &attrs) &&
         attrs.width == width && attrs.height == height;
}

static GPid
app_pid (AppRun *run)
{
  return (GPid) g_ascii_strtoll (g_subprocess_get_identifier (run->proc), NULL, 10);
}
#endif

/* The window's state is saved when the app quits and restored when it
 * starts again: run the binary twice with one settings keyfile. */
static void
test_state_across_runs (void)
{
  g_autofree char *config_dir = g_dir_make_tmp ("async-demo-config-XXXXXX", NULL);
  g_autoptr(GKeyFile) after_first = NULL;
  g_autoptr(GKeyFile) after_second = NULL;
  g_autofree char *page = NULL;
  AppRun run = { 0 };
  gboolean x11 = FALSE;

#ifdef GDK_WINDOWING_X11
  x11 = GDK_IS_X11_DISPLAY (gdk_display_get_default ());
#endif

  assert_no_instance ();

  /* First run, from nothing: the defaults. The user picks the Chat page
   * and makes the window smaller, then quits. */
  app_run_start (&run, config_dir);
  page = shown_page ();
  g_assert_cmpstr (page, ==, "basics");
  activate_action (APP_PATH "/window/1", "page", g_variant_new_string ("chat"));
  g_clear_pointer (&page, g_free);
  page = shown_page ();
  g_assert_cmpstr (page, ==, "chat");
#ifdef GDK_WINDOWING_X11
  if (x11)
    {
      Display *dpy = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
      GPid pid = app_pid (&run);

      ad_test_wait_until (app_window_has_size (pid, 1000, 680), 10000);
      /* As a window manager does when the user drags the border (larger:
       * smaller than its content needs, the window grows back). */
      XResizeWindow (dpy, find_app_window (pid), 1100, 740);
      XFlush (dpy);
      ad_test_wait_until (app_window_has_size (pid, 1100, 740), 10000);
      /* The handshake: the window took it as its size (a debug message). */
      wait_for_line (run.out, "Window size 1100×740");
      g_assert_true (app_window_has_size (pid, 1100, 740));
    }
#endif
  app_run_quit (&run);

  after_first = load_saved_settings (config_dir);
  {
    g_autofree char *saved_page = saved_value (after_first, "last-page");

    g_assert_cmpstr (saved_page, ==, "'chat'");
  }
  if (x11)
    {
      g_autofree char *width = saved_value (after_first, "window-width");
      g_autofree char *height = saved_value (after_first, "window-height");

      g_assert_cmpstr (width, ==, "1100");
      g_assert_cmpstr (height, ==, "740");
    }

  /* Second run: the same page, the same size. */
  app_run_start (&run, config_dir);
  g_clear_pointer (&page, g_free);
  page = shown_page ();
  g_assert_cmpstr (page, ==, "chat");
#ifdef GDK_WINDOWING_X11
  if (x11)
    ad_test_wait_until (app_window_has_size (app_pid (&run), 1100, 740), 10000);
#endif
  app_run_quit (&run);

  /* Nothing changed, so the second run saved what it had restored. */
  after_second = load_saved_settings (config_dir);
  {
    g_autofree char *first_data = g_key_file_to_data (after_first, NULL, NULL);
    g_autofree char *second_data = g_key_file_to_data (after_second, NULL, NULL);

    g_assert_cmpstr (second_data, ==, first_data);
  }

  remove_config (config_dir);
}

/* ---- debug mode's report at quit --------------------------------------- */

typedef struct
{
  GCancellable *cancellable;
  gboolean      sleep_done;
  GPtrArray    *messages;
} QuitReport;

static void
capture_message (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  QuitReport *report = user_data;

  g_ptr_array_add (report->messages, g_strdup (message));
}

static void
long_sleep_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  QuitReport *report = user_data;

  g_assert_false (ad_sleep_finish (result, NULL));
  report->sleep_done = TRUE;
}

/* Once the window is up: a task runs, and the user quits (Ctrl+Q). */
static void
start_task_and_quit (GApplication *application,
                     QuitReport   *report)
{
  AdWindow *window = AD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (application)));
  AdwMessageDialog *dialog;

  ad_sleep_async (600000, report->cancellable, long_sleep_done, report);
  g_action_group_activate_action (G_ACTION_GROUP (application), "quit", NULL);
  /* Work runs: the app asks first, and the user says Quit. */
  dialog = ad_window_get_quit_dialog (window);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "quit");
}

/* In debug mode, quitting lists the tasks that never finished. The app
 * runs in this process (another instance of the app's class, under an id
 * of its own so that it does not meet the suite's app on the bus), as
 * g_application_run() runs it, through startup, activate and shutdown. */
static void
test_debug_reports_unfinished_at_quit (void)
{
  g_autoptr(AdApplication) other = NULL;
  QuitReport report = { g_cancellable_new (), FALSE, g_ptr_array_new_with_free_func (g_free) };
  gboolean listed = FALSE;
  guint handler;
  int status;

  other = g_object_new (AD_TYPE_APPLICATION,
                        "application-id", APP_ID ".QuitTest",
                        "flags", G_APPLICATION_NON_UNIQUE,
                        "resource-base-path", RESOURCE_BASE,
                        NULL);
  g_signal_connect_after (other, "activate", G_CALLBACK (start_task_and_quit), &report);
  handler = g_log_set_handler ("AsyncDemo-Tasks", G_LOG_LEVEL_MESSAGE, capture_message, &report);

  /* Debug mode through its setting (the CLI tests use ASYNC_DEMO_DEBUG=1;
   * the environment is not for changing once threads run). */
  g_settings_set_boolean (ad_application_get_settings (app), "debug-mode", TRUE);
  status = g_application_run (G_APPLICATION (other), 0, NULL);
  g_settings_reset (ad_application_get_settings (app), "debug-mode");
  g_assert_false (ad_debug_get_enabled ());
  g_log_remove_handler ("AsyncDemo-Tasks", handler);

  g_assert_cmpint (status, ==, 0);
  for (guint i = 0; i < report.messages->len; i++)
    {
      const char *message = g_ptr_array_index (report.messages, i);

      g_test_message ("%s", message);
      if (strstr (message, "“sleep 600000 ms”") && strstr (message, "never finished: running"))
        listed = TRUE;
    }
  g_assert_true (listed);

  g_cancellable_cancel (report.cancellable);
  ad_test_wait_until (report.sleep_done, 5000);
  g_clear_object (&report.cancellable);
  g_ptr_array_unref (report.messages);
}

/* @accel (as GTK writes it) is one of the space-separated @accelerators. */
static gboolean
accelerator_listed (const char *accelerators,
                    const char *accel)
{
  g_auto(GStrv) listed = g_strsplit (accelerators != NULL ? accelerators : "", " ", -1);
  guint key, listed_key;
  GdkModifierType mods, listed_mods;

  g_assert_true (gtk_accelerator_parse (accel, &key, &mods));
  for (guint i = 0; listed[i] != NULL; i++)
    if (gtk_accelerator_parse (listed[i], &listed_key, &listed_mods) &&
        listed_key == key && listed_mods == mods)
      return TRUE;

  return FALSE;
}

/* Every accelerator the app sets is in the shortcuts window: by its
 * action, or by its keys. */
static void
test_shortcuts_listed (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE
                                                                 "/gtk/help-overlay.ui");
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  guint n_shortcuts = 0, n_checked = 0;
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  g_assert_nonnull (overlay);
  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      n_shortcuts++;
  g_assert_cmpuint (n_shortcuts, >, 0);

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          gboolean found = FALSE;

          for (GSList *l = objects; l != NULL && !found; l = l->next)
            {
              g_autofree char *accelerator = NULL;
              g_autofree char *action_name = NULL;

              if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
                continue;
              g_object_get (l->data, "accelerator", &accelerator, "action-name", &action_name,
                            NULL);
              found = g_strcmp0 (action_name, actions[i]) == 0 ||
                      accelerator_listed (accelerator, accels[j]);
            }
          if (!found)
            g_test_message ("%s (%s) is not in the shortcuts window", accels[j], actions[i]);
          g_assert_true (found);
          n_checked++;
        }
    }
  /* app.quit, app.preferences, app.inspector, win.show-help-overlay */
  g_assert_cmpuint (n_checked, >=, 4);
  gtk_window_destroy (overlay);
}

int
main (int   argc,
      char *argv[])
{
  app = ad_gui_test_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add_func ("/window/opens-every-page", test_opens_every_page);
  g_test_add_func ("/window/hello-run", test_hello_run);
  g_test_add_func ("/window/hello-cancel", test_hello_cancel);
  g_test_add_func ("/window/close-during-run", test_close_during_run);
  g_test_add_func ("/window/group-failure", test_group_failure);
  g_test_add_func ("/window/timeout", test_timeout);
  g_test_add_func ("/window/sources", test_sources);
  g_test_add_func ("/window/state-restored", test_state_restored);
  g_test_add_func ("/window/dialogs", test_dialogs);
  g_test_add_func ("/window/shortcuts-listed", test_shortcuts_listed);
  g_test_add_func ("/window/german", test_german);
  g_test_add_func ("/window/second-launch", test_second_launch);
  g_test_add_func ("/window/state-across-runs", test_state_across_runs);
  g_test_add_func ("/window/debug-reports-unfinished-at-quit",
                   test_debug_reports_unfinished_at_quit);

  return ad_gui_test_run (&app);
}
