/* test-window.c: the real window under a real display (Xvfb in CI)
 *
 * Registered only when GTK can open a display, so the core suites still
 * run anywhere; CI always provides one (build-aux/with-display.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ad-application.h"
#include "ad-core.h"
#include "ad-hello-page.h"
#include "ad-preferences-window.h"
#include "ad-source-view.h"
#include "ad-test-utils.h"
#include "ad-window.h"

static AdApplication *app;

typedef gboolean (*WidgetPredicate) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget       *root,
             WidgetPredicate  predicate,
             gconstpointer    data)
{
  if (predicate (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, predicate, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_button_with_action (GtkWidget     *widget,
                       gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static AdWindow *
open_window (void)
{
  AdWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = AD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  /* Let it map and draw. */
  ad_test_spin (100);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));

  return window;
}

static void
close_window (AdWindow *window)
{
  g_autoptr(GObject) ref = g_object_ref (G_OBJECT (window));

  gtk_window_close (GTK_WINDOW (window));
  ad_test_spin (50);
  /* Closed means gone: nothing the window started keeps it alive. */
  g_assert_finalize_object (g_steal_pointer (&ref));
}

static AdHelloPage *
get_hello_page (AdWindow *window)
{
  GtkStack *stack = ad_window_get_stack (window);

  gtk_stack_set_visible_child_name (stack, "hello");
  return AD_HELLO_PAGE (gtk_stack_get_child_by_name (stack, "hello"));
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
  if (!ad_hello_page_get_running (AD_HELLO_PAGE (object)))
    *stopped = TRUE;
}

static void
test_opens_every_page (void)
{
  AdWindow *window = open_window ();
  GtkStack *stack = ad_window_get_stack (window);
  guint n_pages = 0;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Async Demo");

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStackPage *page = gtk_stack_get_page (stack, child);

      gtk_stack_set_visible_child (stack, child);
      ad_test_spin (50);
      g_assert_true (gtk_widget_get_mapped (child));
      g_assert_nonnull (gtk_stack_page_get_title (page));
      n_pages++;
    }
  g_assert_cmpuint (n_pages, >=, 1);

  close_window (window);
}

static void
test_hello_run (void)
{
  AdWindow *window = open_window ();
  AdHelloPage *page = get_hello_page (window);
  AdLogModel *log = ad_hello_page_get_log (page);
  GtkWidget *run_button = find_widget (GTK_WIDGET (page), is_button_with_action, "hello.run");
  gboolean stopped = FALSE;
  gint64 alice, bob;

  g_assert_nonnull (run_button);
  g_assert_true (gtk_widget_is_sensitive (run_button));

  g_signal_connect (page, "notify::running", G_CALLBACK (on_running_changed), &stopped);
  /* Click it, as a user would. */
  g_signal_emit_by_name (run_button, "clicked");
  g_assert_true (ad_hello_page_get_running (page));
  g_assert_false (gtk_widget_is_sensitive (run_button));

  ad_test_wait_for (stopped, 5000);
  g_signal_handlers_disconnect_by_func (page, on_running_changed, &stopped);
  /* The log publishes at low priority; let it and the view catch up. */
  ad_test_spin (100);

  alice = find_elapsed (log, "Hello, Alice!");
  bob = find_elapsed (log, "Hello, Bob!");
  g_test_message ("Alice at %.3f s, Bob at %.3f s", alice / 1e6, bob / 1e6);
  g_assert_cmpint (alice, >=, 1000000);
  g_assert_cmpint (alice, <=, 1500000);
  g_assert_cmpint (bob, >=, 1000000);
  g_assert_cmpint (bob, <=, 1500000);
  g_assert_true (gtk_widget_is_sensitive (run_button));
  g_assert_nonnull (find_widget (GTK_WIDGET (page), is_label_with_text, "Hello, Bob!"));

  close_window (window);
}

static void
test_hello_cancel (void)
{
  AdWindow *window = open_window ();
  AdHelloPage *page = get_hello_page (window);
  AdLogModel *log = ad_hello_page_get_log (page);
  GtkWidget *cancel_button = find_widget (GTK_WIDGET (page), is_button_with_action, "hello.cancel");
  gboolean stopped = FALSE;
  gint64 start;

  g_assert_nonnull (cancel_button);
  g_assert_false (gtk_widget_is_sensitive (cancel_button));

  g_signal_connect (page, "notify::running", G_CALLBACK (on_running_changed), &stopped);
  gtk_widget_activate_action (GTK_WIDGET (page), "hello.run", NULL);
  ad_test_spin (200);
  g_assert_true (gtk_widget_is_sensitive (cancel_button));

  start = g_get_monotonic_time ();
  g_signal_emit_by_name (cancel_button, "clicked");
  ad_test_wait_for (stopped, 2000);
  g_signal_handlers_disconnect_by_func (page, on_running_changed, &stopped);

  g_assert_cmpint (g_get_monotonic_time () - start, <, 300000);
  g_assert_cmpint (find_elapsed (log, "Hello, Alice!"), ==, -1);
  g_assert_cmpint (find_elapsed (log, "Hello, Bob!"), ==, -1);
  g_assert_false (gtk_widget_is_sensitive (cancel_button));

  close_window (window);
}

static void
test_close_during_run (void)
{
  AdWindow *window = open_window ();
  AdHelloPage *page = get_hello_page (window);

  gtk_widget_activate_action (GTK_WIDGET (page), "hello.run", NULL);
  ad_test_spin (100);
  /* The page cancels its run on dispose; the run's callback must not
   * touch the page's widgets afterwards, and nothing may keep it alive. */
  close_window (window);
  ad_test_spin (200);
}

static void
test_hello_source (void)
{
  AdWindow *window = open_window ();
  AdHelloPage *page = get_hello_page (window);
  GtkWidget *source_view = find_widget (GTK_WIDGET (page), is_type,
                                        GSIZE_TO_POINTER (AD_TYPE_SOURCE_VIEW));
  g_autofree char *text = NULL;

  /* The page shows the very code that runs the demo, from the GResource. */
  g_assert_nonnull (source_view);
  text = ad_source_view_get_text (AD_SOURCE_VIEW (source_view));
  g_assert_nonnull (strstr (text, "ad_hello_run_async (AdLogModel"));
  g_assert_nonnull (strstr (text, "asyncio.gather"));

  close_window (window);
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
  g_settings_set_int (settings, "window-width", 820);
  g_settings_set_int (settings, "window-height", 530);

  window = open_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 820);
  g_assert_cmpint (height, ==, 530);
  /* The widget is the default size less the client-side decorations. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >, 760);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 820);

  /* Save: closing writes the window's real size and page back. */
  g_settings_set_int (settings, "window-width", 640);
  g_settings_set_int (settings, "window-height", 480);
  g_settings_set_string (settings, "last-page", "nothing");
  close_window (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 530);
  {
    g_autofree char *page = g_settings_get_string (settings, "last-page");

    g_assert_cmpstr (page, ==, "hello");
  }

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "last-page");
}

static void
test_dialogs (void)
{
  AdWindow *window = open_window ();
  GSettings *settings = ad_application_get_settings (app);
  GtkWindow *dialog;
  GtkWidget *dark_switch;
  gboolean dark = FALSE;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  ad_test_spin (100);
  dialog = find_toplevel (GTK_TYPE_ABOUT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_about_dialog_get_version (GTK_ABOUT_DIALOG (dialog)), ==, PACKAGE_VERSION);
  gtk_window_destroy (dialog);

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  ad_test_spin (100);
  dialog = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (dialog);
  gtk_window_close (dialog);

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  ad_test_spin (100);
  dialog = find_toplevel (AD_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));

  /* Flipping the switch changes the setting, and the setting the theme. */
  dark_switch = find_widget (GTK_WIDGET (dialog), is_type, GSIZE_TO_POINTER (GTK_TYPE_SWITCH));
  g_assert_nonnull (dark_switch);
  gtk_switch_set_active (GTK_SWITCH (dark_switch), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "prefer-dark-style"));
  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
  g_assert_true (dark);
  gtk_switch_set_active (GTK_SWITCH (dark_switch), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "prefer-dark-style"));
  gtk_window_destroy (dialog);

  /* The log size preference reaches the page's log. */
  g_settings_set_uint (settings, "log-capacity", 250);
  g_assert_cmpuint (ad_log_model_get_capacity (ad_hello_page_get_log (get_hello_page (window))), ==, 250);
  g_settings_reset (settings, "log-capacity");
  g_assert_cmpuint (ad_log_model_get_capacity (ad_hello_page_get_log (get_hello_page (window))), ==,
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

  close_window (window);
}

static void
test_german (void)
{
  g_autofree char *old_language = g_strdup (g_getenv ("LANGUAGE"));
  AdWindow *window;
  GtkStack *stack;
  AdHelloPage *page;
  GtkWidget *run_button;

  /* gettext reads LANGUAGE on every lookup, so the next window is German. */
  g_setenv ("LANGUAGE", "de", TRUE);

  window = open_window ();
  stack = ad_window_get_stack (window);
  page = get_hello_page (window);
  g_assert_cmpstr (gtk_stack_page_get_title (gtk_stack_get_page (stack, GTK_WIDGET (page))), ==,
                   "Hallo, async");
  run_button = find_widget (GTK_WIDGET (page), is_button_with_action, "hello.run");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (run_button)), ==, "_Ausführen");
  g_assert_cmpstr (_("Hello, Async!"), ==, "Hallo, Async!");
  close_window (window);

  if (old_language != NULL)
    g_setenv ("LANGUAGE", old_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  setlocale (LC_ALL, "");
  ad_core_init ();
  /* Use the catalogs this build just compiled, not installed ones. */
  bindtextdomain (GETTEXT_PACKAGE, AD_TEST_LOCALEDIR);
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: GUI tests not registered");
      return g_test_run ();
    }

  app = g_object_new (AD_TYPE_APPLICATION,
                      "application-id", APP_ID,
                      "flags", G_APPLICATION_NON_UNIQUE,
                      "resource-base-path", RESOURCE_BASE,
                      NULL);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  /* Keep the app alive while windows come and go between tests. */
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/window/opens-every-page", test_opens_every_page);
  g_test_add_func ("/window/hello-run", test_hello_run);
  g_test_add_func ("/window/hello-cancel", test_hello_cancel);
  g_test_add_func ("/window/close-during-run", test_close_during_run);
  g_test_add_func ("/window/hello-source", test_hello_source);
  g_test_add_func ("/window/state-restored", test_state_restored);
  g_test_add_func ("/window/dialogs", test_dialogs);
  g_test_add_func ("/window/german", test_german);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);

  return ret;
}
