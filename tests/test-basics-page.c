/* test-basics-page.c: the Basics page on its own: its shortcuts reach the
 * demo shown, its log capacity reaches every demo, and a demo's run never
 * keeps its panel alive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-basics-page.h"
#include "ad-core.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"

static AdApplication *app;

typedef struct
{
  GtkWindow    *window;
  AdBasicsPage *page;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 600);
  f->page = g_object_new (AD_TYPE_BASICS_PAGE, NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  ad_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (f->page)), 5000);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GObject) page = NULL;

  if (f->window == NULL)
    return;

  page = g_object_ref (G_OBJECT (f->page));
  gtk_window_destroy (f->window);
  ad_test_spin (20);
  g_assert_finalize_object (g_steal_pointer (&page));
}

static gboolean
running (AdDemoPanel *panel)
{
  return ad_demo_panel_get_running (panel);
}

/* basics.run and basics.cancel (Ctrl+Return and Escape anywhere on the
 * page) go to the demo shown, and only to it. */
static void
test_forwarded_actions (Fixture       *f,
                        gconstpointer  data)
{
  AdDemoPanel *concurrent = ad_basics_page_show_demo (f->page, "concurrent");
  AdDemoPanel *group = ad_basics_page_get_panel (f->page, "group");

  g_assert_nonnull (concurrent);
  ad_demo_panel_set_param (concurrent, "delay-ms", 20000);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "basics.run", NULL));
  g_assert_true (running (concurrent));
  g_assert_false (running (group));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "basics.cancel", NULL));
  ad_test_wait_until (!running (concurrent), 2000);
  g_assert_cmpstr (ad_demo_panel_get_summary (concurrent), ==, "Cancelled");
  g_assert_null (ad_demo_panel_get_summary (group));

  /* An unknown demo is not shown, and the one shown stays. */
  g_assert_null (ad_basics_page_show_demo (f->page, "no-such-demo"));
  g_assert_null (ad_basics_page_get_panel (f->page, "no-such-demo"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "basics.run", NULL));
  g_assert_true (running (concurrent));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "basics.cancel", NULL));
  ad_test_wait_until (!running (concurrent), 2000);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* The log-capacity property reaches every demo's log, and notifies only
 * on a change. */
static void
test_log_capacity (Fixture       *f,
                   gconstpointer  data)
{
  const AdBasicsDemo *demos;
  guint n_demos, capacity = 0, notified = 0;

  g_signal_connect (f->page, "notify::log-capacity", G_CALLBACK (count_notify), &notified);

  g_object_set (f->page, "log-capacity", 42u, NULL);
  g_object_get (f->page, "log-capacity", &capacity, NULL);
  g_assert_cmpuint (capacity, ==, 42);
  g_assert_cmpuint (notified, ==, 1);

  demos = ad_basics_get_demos (&n_demos);
  for (guint i = 0; i < n_demos; i++)
    {
      AdDemoPanel *panel = ad_basics_page_get_panel (f->page, demos[i].id);

      g_assert_cmpuint (ad_log_model_get_capacity (ad_demo_panel_get_log (panel)), ==, 42);
    }

  ad_basics_page_set_log_capacity (f->page, 42);
  g_assert_cmpuint (notified, ==, 1);
}

/* A run holds its panel weakly: destroying the page mid-run frees the
 * panel at once; the run then finishes quietly on its own. */
static void
test_run_does_not_keep_panel (Fixture       *f,
                              gconstpointer  data)
{
  AdDemoPanel *panel = ad_basics_page_show_demo (f->page, "cancellation");
  g_autoptr(AdLogModel) log = g_object_ref (ad_demo_panel_get_log (panel));
  g_autoptr(GObject) page = g_object_ref (G_OBJECT (f->page));
  guint lines;

  ad_demo_panel_set_param (panel, "work-ms", 20000);
  ad_demo_panel_set_param (panel, "cancel-after-ms", 20000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "basics.run", NULL));
  g_assert_true (running (panel));

  g_object_ref (panel);
  gtk_window_destroy (g_steal_pointer (&f->window));
  g_assert_finalize_object (g_steal_pointer (&page));
  /* No spinning: the run's callback has not run yet. */
  g_assert_finalize_object (panel);

  /* The run stops (the panel cancelled it) and writes its last lines. */
  lines = g_list_model_get_n_items (G_LIST_MODEL (log));
  ad_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (log)) > lines, 2000);
  ad_test_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  app = ad_gui_test_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add ("/basics-page/forwarded-actions", Fixture, NULL, fixture_setup,
              test_forwarded_actions, fixture_teardown);
  g_test_add ("/basics-page/log-capacity", Fixture, NULL, fixture_setup, test_log_capacity,
              fixture_teardown);
  g_test_add ("/basics-page/run-does-not-keep-panel", Fixture, NULL, fixture_setup,
              test_run_does_not_keep_panel, fixture_teardown);

  return ad_gui_test_run (&app);
}
