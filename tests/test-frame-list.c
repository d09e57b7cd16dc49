/* test-frame-list.c: AdFrameList follows its source at most once a frame
 * of a shown view, in one items-changed, keeping the source's order; at
 * once while the view is hidden or gone
 *
 * A real GtkListView in a real window (Xvfb in CI): the list is paced by
 * the view's frame clock, so frames must actually be drawn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "ad-core.h"
#include "ad-frame-list.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"

typedef struct
{
  GtkWidget     *window;
  GtkWidget     *view;
  GtkStringList *strings;
  AdFrameList   *list;
  guint          n_changes;
  guint          max_rows;   /* the largest removed + added of one change */
  gboolean       unordered;  /* a change left the items out of order */
} Fixture;

static void
changed_cb (GListModel *model,
            guint       position,
            guint       removed,
            guint       added,
            Fixture    *f)
{
  g_autofree char *last = NULL;

  f->n_changes++;
  f->max_rows = MAX (f->max_rows, removed + added);

  /* The items are named so that the source's order is their sort order. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);
      const char *text = gtk_string_object_get_string (item);

      if (last != NULL && strcmp (last, text) >= 0)
        f->unordered = TRUE;
      g_free (last);
      last = g_strdup (text);
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GtkListItemFactory *factory = ad_gui_test_label_factory_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  g_autoptr(GtkNoSelection) selection = NULL;

  f->strings = gtk_string_list_new (NULL);
  f->view = gtk_list_view_new (NULL, factory);
  f->list = ad_frame_list_new (g_object_ref (G_LIST_MODEL (f->strings)), f->view);
  g_signal_connect (f->list, "items-changed", G_CALLBACK (changed_cb), f);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (f->list)));
  gtk_list_view_set_model (GTK_LIST_VIEW (f->view), GTK_SELECTION_MODEL (selection));

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
  g_autoptr(GObject) list = G_OBJECT (f->list);

  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->strings);
  g_assert_finalize_object (g_steal_pointer (&list));
}

static guint
shown (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (f->list));
}

/* The list shows exactly what the source holds, in its order. */
static void
assert_same (Fixture *f)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->strings));

  g_assert_cmpuint (shown (f), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (f->list), i);

      g_assert_cmpstr (gtk_string_object_get_string (item), ==,
                       gtk_string_list_get_string (f->strings, i));
    }
}

static void
test_coalesces (Fixture       *f,
                gconstpointer  data)
{
  char text[32];

  /* A hundred appends, one by one in one main-loop iteration: nothing
   * changes until the view's next frame, and then in one change. */
  f->n_changes = 0;
  for (guint i = 0; i < 100; i++)
    {
      g_snprintf (text, sizeof text, "client %u", i);
      gtk_string_list_append (f->strings, text);
    }
  g_assert_cmpuint (shown (f), ==, 0);
  ad_test_wait_until (shown (f) == 100, 5000);
  g_assert_cmpuint (f->n_changes, ==, 1);
  assert_same (f);

  /* Removals and inserts all over the list: one change, the source's order */
  f->n_changes = 0;
  for (guint i = 0; i < 30; i++)
    gtk_string_list_remove (f->strings, (i * 7) % g_list_model_get_n_items (
                                          G_LIST_MODEL (f->strings)));
  gtk_string_list_splice (f->strings, 10, 0, (const char *[]) { "new a", "new b", NULL });
  gtk_string_list_append (f->strings, "new c");
  g_assert_cmpuint (shown (f), ==, 100);
  ad_test_wait_until (shown (f) == 73, 5000);
  g_assert_cmpuint (f->n_changes, ==, 1);
  assert_same (f);

  /* All of them leaving one by one, as a crowd closing its sockets: one
   * removal. */
  f->n_changes = 0;
  while (g_list_model_get_n_items (G_LIST_MODEL (f->strings)) > 0)
    gtk_string_list_remove (f->strings, 0);
  ad_test_wait_until (shown (f) == 0, 5000);
  g_assert_cmpuint (f->n_changes, ==, 1);

  /* A change undone within the frame announces nothing. */
  ad_test_spin (50);
  f->n_changes = 0;
  gtk_string_list_append (f->strings, "brief");
  gtk_string_list_remove (f->strings, 0);
  ad_test_spin (100);
  g_assert_cmpuint (f->n_changes, ==, 0);
  g_assert_cmpuint (ad_frame_list_get_n_syncs (f->list), ==, 3);
}

/* With a bound, a large change is caught up over several frames, each
 * change within the bound and every state in between in order. */
static void
test_bounded (Fixture       *f,
              gconstpointer  data)
{
  char text[32];

  ad_frame_list_set_max_changes (f->list, 24);

  f->n_changes = 0;
  for (guint i = 0; i < 100; i++)
    {
      g_snprintf (text, sizeof text, "client %03u", i);
      gtk_string_list_append (f->strings, text);
    }
  ad_test_wait_until (shown (f) == 100, 5000);
  assert_same (f);
  g_assert_cmpuint (f->max_rows, ==, 24);
  g_assert_cmpuint (f->n_changes, ==, 5);

  /* A crowd of 90 leaving, a newcomer among them: three frames of 24
   * removals, then the last 18 with the newcomer. */
  f->n_changes = 0;
  f->max_rows = 0;
  while (g_list_model_get_n_items (G_LIST_MODEL (f->strings)) > 10)
    gtk_string_list_remove (f->strings, 5);
  gtk_string_list_splice (f->strings, 5, 0, (const char *[]) { "client 050 again", NULL });
  ad_test_wait_until (shown (f) == 11, 5000);
  assert_same (f);
  g_assert_cmpuint (f->max_rows, ==, 24);
  g_assert_cmpuint (f->n_changes, ==, 4);
  g_assert_false (f->unordered);

  /* Hidden while behind: caught up at once. */
  while (g_list_model_get_n_items (G_LIST_MODEL (f->strings)) > 0)
    gtk_string_list_remove (f->strings, 0);
  for (guint i = 0; i < 60; i++)
    {
      g_snprintf (text, sizeof text, "guest %03u", i);
      gtk_string_list_append (f->strings, text);
    }
  ad_test_wait_until (shown (f) > 0 && shown (f) < 60, 5000);
  gtk_widget_set_visible (f->view, FALSE);
  assert_same (f);
  g_assert_false (f->unordered);
}

static void
test_hidden_follows (Fixture       *f,
                     gconstpointer  data)
{
  /* A change pending when the view is hidden is applied then... */
  gtk_string_list_append (f->strings, "pending");
  g_assert_cmpuint (shown (f), ==, 0);
  gtk_widget_set_visible (f->view, FALSE);
  g_assert_cmpuint (shown (f), ==, 1);

  /* ...and while hidden, changes follow at once. */
  gtk_string_list_append (f->strings, "hidden");
  g_assert_cmpuint (shown (f), ==, 2);
  assert_same (f);

  /* Shown again: paced by frames again. */
  gtk_widget_set_visible (f->view, TRUE);
  ad_test_wait_until (gtk_widget_get_mapped (f->view), 5000);
  gtk_string_list_append (f->strings, "shown");
  g_assert_cmpuint (shown (f), ==, 2);
  ad_test_wait_until (shown (f) == 3, 5000);
  assert_same (f);
}

static void
test_view_gone (Fixture       *f,
                gconstpointer  data)
{
  /* The window closes with a change pending: no tick into a dead widget,
   * and the list then follows at once. */
  gtk_string_list_append (f->strings, "pending");
  g_object_add_weak_pointer (G_OBJECT (f->view), (gpointer *) &f->view);
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  ad_test_wait_until (f->view == NULL, 5000);
  gtk_string_list_append (f->strings, "after");
  g_assert_cmpuint (shown (f), ==, 2);
  assert_same (f);
}

int
main (int   argc,
      char *argv[])
{
  if (!ad_gui_test_init_gtk (&argc, &argv))
    return g_test_run ();

  g_test_add ("/frame-list/coalesces", Fixture, NULL, fixture_set_up, test_coalesces,
              fixture_tear_down);
  g_test_add ("/frame-list/bounded", Fixture, NULL, fixture_set_up, test_bounded,
              fixture_tear_down);
  g_test_add ("/frame-list/hidden-follows", Fixture, NULL, fixture_set_up, test_hidden_follows,
              fixture_tear_down);
  g_test_add ("/frame-list/view-gone", Fixture, NULL, fixture_set_up, test_view_gone,
              fixture_tear_down);

  return g_test_run ();
}
