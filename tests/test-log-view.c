/* test-log-view.c: AdLogView, the table of log records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Test"

#include "config.h"

#include "ad-core.h"
#include "ad-log-view.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"

/* What GTK does when the pointer rests on @widget: ::query-tooltip. */
static gboolean
query_tooltip (GtkWidget *widget)
{
  g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  g_signal_emit_by_name (widget, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  return shown;
}

static gboolean
is_shown_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return gtk_widget_get_mapped (widget) && ad_gui_test_is_label_with_text (widget, data);
}

static GtkWidget *
find_shown_label (GtkWidget  *view,
                  const char *text)
{
  return ad_gui_test_find_widget (view, is_shown_label, text);
}

static GtkAdjustment *
vadjustment (GtkWidget *view)
{
  GtkWidget *scroller = ad_gui_test_find_by_type (view, GTK_TYPE_SCROLLED_WINDOW);

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
}

static gboolean
at_bottom (GtkAdjustment *adj)
{
  return gtk_adjustment_get_value (adj) >=
         gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj) - 4.0;
}

/* Empty, it says so; with records, it shows them, one cell per column,
 * warnings marked; the model property follows */
static void
test_shows_records (void)
{
  g_autoptr(AdLogModel) model = ad_log_model_new (100);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = g_object_new (AD_TYPE_LOG_VIEW, NULL);
  g_autoptr(AdLogModel) got = NULL;
  GtkWidget *warning;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 300);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  ad_test_wait_until (find_shown_label (view, "Nothing logged yet. Press Run to start.") != NULL,
                      5000);

  g_object_set (view, "model", model, NULL);
  g_object_get (view, "model", &got, NULL);
  g_assert_true (got == model);
  /* Still empty */
  g_assert_nonnull (find_shown_label (view, "Nothing logged yet. Press Run to start."));

  ad_log_model_append (model, G_LOG_LEVEL_MESSAGE, "Test", "all is well");
  ad_log_model_append (model, G_LOG_LEVEL_WARNING, "Test", "something odd");
  ad_log_model_flush (model);
  ad_test_wait_until (find_shown_label (view, "something odd") != NULL, 5000);
  g_assert_nonnull (find_shown_label (view, "all is well"));
  g_assert_null (find_shown_label (view, "Nothing logged yet. Press Run to start."));
  g_assert_nonnull (find_shown_label (view, "main"));
  warning = find_shown_label (view, "something odd");
  g_assert_true (gtk_widget_has_css_class (warning, "error"));
  g_assert_false (gtk_widget_has_css_class (find_shown_label (view, "all is well"), "error"));
  /* The whole message is the tooltip, made when the pointer asks
   * (ad-cell-tooltip.h) rather than set on every bind */
  g_assert_null (gtk_widget_get_tooltip_text (warning));
  g_assert_true (gtk_widget_get_has_tooltip (warning));
  g_assert_true (query_tooltip (warning));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (warning)), ==, "something odd");

  /* Cleared: empty again */
  ad_log_model_clear (model);
  ad_log_model_flush (model);
  ad_test_wait_until (find_shown_label (view, "Nothing logged yet. Press Run to start.") != NULL,
                      5000);

  /* No model: empty, and the old one is let go */
  ad_log_view_set_model (AD_LOG_VIEW (view), NULL);
  g_object_get (view, "model", &got, NULL);
  g_assert_null (got);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* It follows new lines while at the bottom, stays put once the user
 * scrolls up, and follows again from the bottom */
static void
test_follows (void)
{
  g_autoptr(AdLogModel) model = ad_log_model_new (1000);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = g_object_new (AD_TYPE_LOG_VIEW, "model", model, NULL);
  GtkAdjustment *adj;
  double held, upper;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 200);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  for (guint i = 0; i < 100; i++)
    ad_log_model_appendf (model, G_LOG_LEVEL_MESSAGE, "Test", "line %u", i);
  ad_log_model_flush (model);
  adj = vadjustment (view);
  ad_test_wait_until (find_shown_label (view, "line 99") != NULL, 5000);
  ad_test_wait_until (gtk_adjustment_get_upper (adj) > 2 * gtk_adjustment_get_page_size (adj)
                      && at_bottom (adj), 5000);

  /* The user scrolls to the top: new lines leave the view there */
  gtk_adjustment_set_value (adj, 0);
  upper = gtk_adjustment_get_upper (adj);
  for (guint i = 100; i < 150; i++)
    ad_log_model_appendf (model, G_LOG_LEVEL_MESSAGE, "Test", "line %u", i);
  ad_log_model_flush (model);
  ad_test_wait_until (gtk_adjustment_get_upper (adj) > upper, 5000);
  g_assert_nonnull (find_shown_label (view, "line 0"));
  held = gtk_adjustment_get_value (adj);
  g_assert_cmpfloat (held, ==, 0);
  g_assert_null (find_shown_label (view, "line 149"));

  /* Back at the bottom, it follows again */
  gtk_adjustment_set_value (adj,
                            gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  for (guint i = 150; i < 200; i++)
    ad_log_model_appendf (model, G_LOG_LEVEL_MESSAGE, "Test", "line %u", i);
  ad_log_model_flush (model);
  ad_test_wait_until (find_shown_label (view, "line 199") != NULL, 5000);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Lines that come in bursts (a publish at a time, 16 lines each, as the
 * view asks of its model) into a view that showed a line or two and could
 * not scroll yet: it follows them to the newest (it stayed at the top
 * before: the adjustment, set from estimated heights, did not move GTK
 * 4.8's anchor) */
static void
test_follows_bursts (void)
{
  g_autoptr(AdLogModel) model = ad_log_model_new (1000);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = g_object_new (AD_TYPE_LOG_VIEW, "model", model, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 200);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  for (guint i = 0; i < 2; i++)
    ad_log_model_appendf (model, G_LOG_LEVEL_MESSAGE, "Test", "line %u", i);
  ad_test_wait_until (find_shown_label (view, "line 1") != NULL, 5000);

  for (guint i = 2; i < 62; i++)
    ad_log_model_appendf (model, G_LOG_LEVEL_MESSAGE, "Test", "line %u", i);
  ad_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (model)) == 62, 5000);
  /* The newest line, or (GTK 4.8's list places its anchor from estimated
   * row heights) the one before it, with the last row just below. */
  ad_test_wait_until (find_shown_label (view, "line 61") != NULL ||
                      find_shown_label (view, "line 60") != NULL, 5000);
  ad_test_spin (100);
  g_assert_true (find_shown_label (view, "line 61") != NULL ||
                 find_shown_label (view, "line 60") != NULL);
  g_assert_null (find_shown_label (view, "line 0"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The user scrolls up while lines pour in: the view stays where the user
 * put it. The scroll comes right after a publish, when the view has a
 * scroll to the end pending (it used to win: the adjustment's change
 * alone could not be told from the list's own). */
typedef struct
{
  AdLogModel *model;
  GtkWidget  *view;
  guint       line;
  gboolean    scroll_now;
  gboolean    scrolled;
  gboolean    by_scrollbar;  /* a press on the scrollbar, else the wheel */
} Flood;

static gboolean
flood_cb (gpointer data)
{
  Flood *flood = data;

  for (guint i = 0; i < 8; i++)
    ad_log_model_appendf (flood->model, G_LOG_LEVEL_MESSAGE, "Test", "line %u", flood->line++);

  return G_SOURCE_CONTINUE;
}

static GtkEventController *
find_controller (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), name) == 0)
        return controller;  /* the widget keeps its own reference */
    }

  return NULL;
}

/* What a wheel turned up does: our capture-phase controller sees the
 * event, then the scrolled window moves its adjustment; or a press on the
 * scrollbar, then its drag. */
static void
flood_published_cb (GListModel *model,
                    guint       position,
                    guint       removed,
                    guint       added,
                    Flood      *flood)
{
  GtkWidget *scroller = ad_gui_test_find_by_type (flood->view, GTK_TYPE_SCROLLED_WINDOW);
  GtkEventController *controller;
  gboolean handled = FALSE;

  if (!flood->scroll_now || flood->scrolled || added == 0)
    return;

  if (flood->by_scrollbar)
    {
      GtkWidget *bar = gtk_scrolled_window_get_vscrollbar (GTK_SCROLLED_WINDOW (scroller));

      controller = find_controller (bar, "ad-log-view-scrollbar");
      g_assert_nonnull (controller);
      g_signal_emit_by_name (controller, "pressed", 1, 2.0, 2.0);
    }
  else
    {
      controller = find_controller (scroller, "ad-log-view-scroll");
      g_assert_nonnull (controller);
      g_signal_emit_by_name (controller, "scroll", 0.0, -3.0, &handled);
    }
  gtk_adjustment_set_value (vadjustment (flood->view), 0);
  flood->scrolled = TRUE;
}

static void
test_scroll_up_while_flooded (gconstpointer data)
{
  g_autoptr(AdLogModel) model = ad_log_model_new (100000);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = g_object_new (AD_TYPE_LOG_VIEW, "model", model, NULL);
  Flood flood = { model, view, 0, FALSE, FALSE, GPOINTER_TO_INT (data) };
  guint id;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 200);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (model, "items-changed", G_CALLBACK (flood_published_cb), &flood);
  id = g_timeout_add (5, flood_cb, &flood);

  /* Following the flood... */
  ad_test_wait_until (flood.line > 200 && at_bottom (vadjustment (view)) &&
                      find_shown_label (view, "line 0") == NULL, 5000);
  /* ...the user scrolls to the top right after a publish. */
  flood.scroll_now = TRUE;
  ad_test_wait_until (flood.scrolled, 5000);
  ad_test_spin (300);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment (view)), ==, 0);
  g_assert_nonnull (find_shown_label (view, "line 0"));

  g_source_remove (id);
  g_signal_handlers_disconnect_by_func (model, flood_published_cb, &flood);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A full log trims its oldest lines while the view shows it: no abort
 * (each items-changed describes the list as it is when emitted, which GTK
 * 4.8's list view requires), and a view that followed the newest line still
 * shows it, though the content's height no longer grows (it stopped at
 * the oldest lines once: the list keeps its anchor line in place). */
static void
test_trims_while_shown (void)
{
  g_autoptr(AdLogModel) model = ad_log_model_new (50);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = g_object_new (AD_TYPE_LOG_VIEW, "model", model, NULL);
  guint line = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 300);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  /* Bursts of 1, then of more than the capacity, each drawn */
  for (guint burst = 1; burst <= 80; burst += 13)
    {
      for (guint i = 0; i < burst; i++)
        ad_log_model_appendf (model, G_LOG_LEVEL_MESSAGE, "Test", "line %u", line++);
      ad_log_model_flush (model);
      ad_test_spin (30);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 50);
  {
    g_autofree char *last = g_strdup_printf ("line %u", line - 1);
    g_autofree char *gone = g_strdup_printf ("line %u", line - 51);

    ad_test_wait_until (find_shown_label (view, last) != NULL, 5000);
    g_assert_null (find_shown_label (view, gone));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (ad_gui_test_init (&argc, &argv) == NULL)
    return g_test_run ();

  g_test_add_func ("/log-view/shows-records", test_shows_records);
  g_test_add_func ("/log-view/follows", test_follows);
  g_test_add_func ("/log-view/trims-while-shown", test_trims_while_shown);
  g_test_add_func ("/log-view/follows-bursts", test_follows_bursts);
  g_test_add_data_func ("/log-view/scroll-up-while-flooded/wheel", GINT_TO_POINTER (FALSE),
                        test_scroll_up_while_flooded);
  g_test_add_data_func ("/log-view/scroll-up-while-flooded/scrollbar", GINT_TO_POINTER (TRUE),
                        test_scroll_up_while_flooded);

  return g_test_run ();
}
