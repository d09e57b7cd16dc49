/* test-list-ramp.c: AdListRamp lets a shown list view grow a few rows a
 * frame, starts again when emptied, waits while hidden, and can show all
 *
 * A real GtkListView in a real window (Xvfb in CI): the ramp is paced by
 * the view's frame clock, so frames must actually be drawn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>

#include "ad-core.h"
#include "ad-list-ramp.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"

typedef struct
{
  GtkWidget     *window;
  GtkWidget     *view;
  GtkStringList *strings;
  AdListRamp    *ramp;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GtkListItemFactory *factory = ad_gui_test_label_factory_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  f->strings = gtk_string_list_new (NULL);
  f->view = gtk_list_view_new (NULL, factory);
  f->ramp = ad_list_ramp_new (g_object_ref (G_LIST_MODEL (f->strings)), f->view);
  gtk_list_view_set_model (GTK_LIST_VIEW (f->view),
                           GTK_SELECTION_MODEL (gtk_no_selection_new (
                             g_object_ref (ad_list_ramp_get_model (f->ramp)))));

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 300, 400);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), f->view);
  gtk_window_set_child (GTK_WINDOW (f->window), scrolled);
  gtk_window_present (GTK_WINDOW (f->window));
  ad_test_wait_until (gtk_widget_get_mapped (f->view) && gtk_widget_get_height (f->view) > 0,
                      5000);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GObject) ramp = G_OBJECT (f->ramp);

  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->strings);
  g_assert_finalize_object (g_steal_pointer (&ramp));
}

static void
add_rows (GtkStringList *strings,
          guint          n)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (texts, g_strdup_printf ("row %u", i));
  g_ptr_array_add (texts, NULL);
  gtk_string_list_splice (strings, g_list_model_get_n_items (G_LIST_MODEL (strings)), 0,
                          (const char * const *) texts->pdata);
}

static guint
shown (Fixture *f)
{
  return g_list_model_get_n_items (ad_list_ramp_get_model (f->ramp));
}

static void
test_ramps_up (Fixture       *f,
               gconstpointer  data)
{
  guint previous = 0, steps = 0;

  /* A thousand rows at once reach the view a few at a time... */
  add_rows (f->strings, 1000);
  g_assert_cmpuint (shown (f), <, 1000);
  while (shown (f) < 1000)
    {
      ad_test_wait_until (shown (f) != previous, 5000);
      g_assert_cmpuint (shown (f), >, previous);
      previous = shown (f);
      steps++;
    }
  /* ...in several frames, and then all of them (past the view's rows) */
  g_assert_cmpuint (steps, >, 1);
  g_assert_cmpuint (shown (f), ==, 1000);
  {
    g_autoptr(GtkStringObject) last = g_list_model_get_item (ad_list_ramp_get_model (f->ramp), 999);

    g_assert_cmpstr (gtk_string_object_get_string (last), ==, "row 999");
  }

  /* Once full, more rows arrive with no delay */
  add_rows (f->strings, 10);
  g_assert_cmpuint (shown (f), ==, 1010);

  /* Emptied (a new run): the ramp starts again */
  gtk_string_list_splice (f->strings, 0, 1010, NULL);
  g_assert_cmpuint (shown (f), ==, 0);
  add_rows (f->strings, 500);
  g_assert_cmpuint (shown (f), <, 500);
  ad_test_wait_until (shown (f) == 500, 5000);
}

static void
test_hidden_waits (Fixture       *f,
                   gconstpointer  data)
{
  /* A view that is not shown makes no rows and so needs no ramp frames */
  gtk_widget_set_visible (f->window, FALSE);
  add_rows (f->strings, 100);
  ad_test_spin (100);
  g_assert_cmpuint (shown (f), ==, 0);

  gtk_widget_set_visible (f->window, TRUE);
  ad_test_wait_until (shown (f) == 100, 5000);
}

static void
test_show_all (Fixture       *f,
               gconstpointer  data)
{
  add_rows (f->strings, 600);
  g_assert_cmpuint (shown (f), <, 600);
  ad_list_ramp_show_all (f->ramp);
  g_assert_cmpuint (shown (f), ==, 600);
  ad_test_spin (50);
  g_assert_cmpuint (shown (f), ==, 600);
}

int
main (int   argc,
      char *argv[])
{
  if (!ad_gui_test_init_gtk (&argc, &argv))
    return g_test_run ();

  g_test_add ("/list-ramp/ramps-up", Fixture, NULL, fixture_set_up, test_ramps_up,
              fixture_tear_down);
  g_test_add ("/list-ramp/hidden-waits", Fixture, NULL, fixture_set_up, test_hidden_waits,
              fixture_tear_down);
  g_test_add ("/list-ramp/show-all", Fixture, NULL, fixture_set_up, test_show_all,
              fixture_tear_down);

  return g_test_run ();
}
