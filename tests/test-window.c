/* test-window.c: the real window under a real display (Xvfb in CI)
 *
 * Registered only when GTK can open a display, so the core suites still
 * run anywhere; CI always provides one (build-aux/with-display.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ad-application.h"
#include "ad-core.h"
#include "ad-basics-page.h"
#include "ad-preferences-window.h"
#include "ad-source-view.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"
#include "ad-window.h"

static AdApplication *app;

/* A switch whose accessible label is the label with @data as its text. */
static gboolean
is_switch_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  GtkWidget *row;
  GtkWidget *label;

  if (!GTK_IS_SWITCH (widget))
    return FALSE;

  row = gtk_widget_get_parent (widget);
  label = row ? ad_gui_test_find_label (row, data) : NULL;

  return label != NULL;
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
  GtkWidget *sidebar = ad_gui_test_find_by_type (GTK_WIDGET (window), GTK_TYPE_STACK_SIDEBAR);

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
  ad_test_spin (200);
  g_assert_true (gtk_widget_is_sensitive (cancel_button));

  start = g_get_monotonic_time ();
  g_signal_emit_by_name (cancel_button, "clicked");
  ad_test_wait_for (stopped, 2000);
  g_signal_handlers_disconnect_by_func (panel, on_running_changed, &stopped);

  g_assert_cmpint (g_get_monotonic_time () - start, <, 300000);
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

  /* Every demo shows the very code that runs it, from the GResource, and
   * its section of it. */
  demos = ad_basics_get_demos (&n_demos);
  g_assert_cmpuint (n_demos, ==, 8);
  for (guint i = 0; i < n_demos; i++)
    {
      AdDemoPanel *panel = show_demo (window, demos[i].id);
      GtkWidget *source_view = ad_gui_test_find_by_type (GTK_WIDGET (panel), AD_TYPE_SOURCE_VIEW);
      GtkWidget *choice = ad_gui_test_find_by_type (GTK_WIDGET (panel), GTK_TYPE_DROP_DOWN);
      g_autofree char *marker = g_strdup_printf ("/* ---- %u. ", i + 1);
      g_autofree char *text = NULL;

      g_assert_nonnull (source_view);
      text = ad_source_view_get_text (AD_SOURCE_VIEW (source_view));
      g_assert_nonnull (strstr (text, "ad_basics_run_async"));
      g_assert_cmpint (ad_source_view_scroll_to_text (AD_SOURCE_VIEW (source_view), marker), >, 0);

      /* The part of the core the demo shows, when it is another file. */
      if (!g_str_has_suffix (demos[i].source_file, "ad-basics.c"))
        {
          g_autofree char *basename = g_path_get_basename (demos[i].source_file);
          g_autofree char *other = NULL;

          gtk_drop_down_set_selected (GTK_DROP_DOWN (choice), 1);
          other = ad_source_view_get_text (AD_SOURCE_VIEW (source_view));
          g_assert_nonnull (strstr (other, basename));
          g_assert_cmpstr (other, !=, text);
          gtk_drop_down_set_selected (GTK_DROP_DOWN (choice), 0);
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
  GtkWidget *dark_switch;
  gboolean dark = FALSE;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  ad_test_wait_until ((dialog = ad_gui_test_find_toplevel (GTK_TYPE_ABOUT_DIALOG)) != NULL, 5000);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_about_dialog_get_version (GTK_ABOUT_DIALOG (dialog)), ==, PACKAGE_VERSION);
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

  /* Flipping the switch changes the setting, and the setting the theme. */
  dark_switch = ad_gui_test_find_by_type (GTK_WIDGET (dialog), GTK_TYPE_SWITCH);
  g_assert_nonnull (dark_switch);
  gtk_switch_set_active (GTK_SWITCH (dark_switch), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "prefer-dark-style"));
  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
  g_assert_true (dark);
  gtk_switch_set_active (GTK_SWITCH (dark_switch), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "prefer-dark-style"));

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
  g_test_add_func ("/window/german", test_german);

  return ad_gui_test_run (&app);
}
