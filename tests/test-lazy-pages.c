/* test-lazy-pages.c: the window builds a page when it is first shown
 *
 * Start-up builds only the page shown; the others are built on their first
 * visit (win.page, the sidebar, a restored state), once; so is a Basics
 * demo's panel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-application.h"
#include "ad-basics-page.h"
#include "ad-core.h"
#include "ad-demo-panel.h"
#include "ad-gui-test-utils.h"
#include "ad-tasks-page.h"
#include "ad-test-utils.h"
#include "ad-window.h"
#include "ad-window-private.h"

static AdApplication *app;

static const char *const page_names[] = { "basics", "crawler", "compute", "chat", "tasks" };

/* Only @name is built among the pages. */
static void
assert_only_built (AdWindow   *window,
                   const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      GtkWidget *page = ad_window_peek_page (window, page_names[i]);

      g_test_message ("%s: %s", page_names[i], page != NULL ? "built" : "not built");
      if (g_str_equal (page_names[i], name))
        g_assert_nonnull (page);
      else
        g_assert_null (page);
    }
}

static guint
count_type (GtkWidget *widget,
            GType      type)
{
  guint n = G_TYPE_CHECK_INSTANCE_TYPE (widget, type) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_type (child, type);

  return n;
}

static void
test_first_page_only (void)
{
  AdWindow *window;

  g_settings_reset (ad_application_get_settings (app), "last-page");
  window = ad_gui_test_open_window (app);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (ad_window_get_stack (window)), ==, "basics");
  assert_only_built (window, "basics");
  g_assert_true (gtk_widget_get_mapped (ad_window_peek_page (window, "basics")));
  /* In the Basics page, only the demo shown has its panel; another is
   * built when it is asked for, once. */
  g_assert_cmpuint (count_type (GTK_WIDGET (window), AD_TYPE_DEMO_PANEL), ==, 1);
  {
    AdBasicsPage *basics = AD_BASICS_PAGE (ad_window_peek_page (window, "basics"));
    AdDemoPanel *group = ad_basics_page_show_demo (basics, "group");

    g_assert_nonnull (group);
    g_assert_cmpuint (count_type (GTK_WIDGET (window), AD_TYPE_DEMO_PANEL), ==, 2);
    g_assert_true (ad_basics_page_get_panel (basics, "group") == group);
    g_assert_cmpuint (count_type (GTK_WIDGET (window), AD_TYPE_DEMO_PANEL), ==, 2);
  }
  /* The sidebar offers every page all the same. */
  g_assert_nonnull (ad_gui_test_find_label (ad_gui_test_find_named (GTK_WIDGET (window), "sidebar"),
                                            "Tasks"));

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_built_once (void)
{
  AdWindow *window;
  GtkWidget *tasks;
  GtkListBox *sidebar;
  GtkWidget *compute;

  g_settings_reset (ad_application_get_settings (app), "last-page");
  window = ad_gui_test_open_window (app);

  /* win.page builds the page it shows. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("tasks"));
  tasks = ad_window_peek_page (window, "tasks");
  g_assert_true (AD_IS_TASKS_PAGE (tasks));
  ad_test_wait_until (gtk_widget_get_mapped (tasks), 5000);

  /* Back and again: the same page, not another one. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("basics"));
  ad_test_wait_until (!gtk_widget_get_mapped (tasks), 5000);
  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("tasks"));
  ad_test_wait_until (gtk_widget_get_mapped (tasks), 5000);
  g_assert_true (ad_window_peek_page (window, "tasks") == tasks);
  g_assert_true (ad_window_get_page (window, "tasks") == tasks);
  g_assert_cmpuint (count_type (GTK_WIDGET (window), AD_TYPE_TASKS_PAGE), ==, 1);
  g_assert_cmpuint (count_type (GTK_WIDGET (window), AD_TYPE_BASICS_PAGE), ==, 1);

  /* The sidebar builds the page it shows (the third row: Compute). */
  g_assert_null (ad_window_peek_page (window, "compute"));
  sidebar = GTK_LIST_BOX (ad_gui_test_find_named (GTK_WIDGET (window), "sidebar"));
  g_signal_emit_by_name (sidebar, "row-activated", gtk_list_box_get_row_at_index (sidebar, 2));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (ad_window_get_stack (window)), ==,
                   "compute");
  compute = ad_window_peek_page (window, "compute");
  g_assert_nonnull (compute);
  ad_test_wait_until (gtk_widget_get_mapped (compute), 5000);
  g_assert_null (ad_window_peek_page (window, "chat"));
  g_assert_null (ad_window_peek_page (window, "crawler"));

  ad_gui_test_close_window (GTK_WINDOW (window));
}

/* Restored to the Tasks page: that page is built, the first is not; the
 * Basics page built later still follows the log-capacity preference. */
static void
test_restored_page (void)
{
  GSettings *settings = ad_application_get_settings (app);
  AdWindow *window;
  guint capacity = 0;

  g_settings_set_string (settings, "last-page", "tasks");
  g_settings_set_uint (settings, "log-capacity", 123);
  window = ad_gui_test_open_window (app);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (ad_window_get_stack (window)), ==, "tasks");
  assert_only_built (window, "tasks");
  ad_test_wait_until (gtk_widget_get_mapped (ad_window_peek_page (window, "tasks")), 5000);

  g_object_get (ad_gui_test_show_page (window, "basics", "Basics"), "log-capacity", &capacity,
                NULL);
  g_assert_cmpuint (capacity, ==, 123);
  g_settings_set_uint (settings, "log-capacity", 321);
  g_object_get (ad_window_peek_page (window, "basics"), "log-capacity", &capacity, NULL);
  g_assert_cmpuint (capacity, ==, 321);

  ad_gui_test_close_window (GTK_WINDOW (window));
  g_settings_reset (settings, "last-page");
  g_settings_reset (settings, "log-capacity");
}

int
main (int   argc,
      char *argv[])
{
  app = ad_gui_test_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add_func ("/lazy-pages/first-page-only", test_first_page_only);
  g_test_add_func ("/lazy-pages/built-once", test_built_once);
  g_test_add_func ("/lazy-pages/restored-page", test_restored_page);

  return ad_gui_test_run (&app);
}
