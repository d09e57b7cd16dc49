/* test-cell-tooltip.c: tooltips made when the pointer asks (ad-cell-tooltip)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Test"

#include "config.h"

#include "ad-cell-tooltip.h"
#include "ad-core.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"

/* What GTK does when the pointer rests on @widget: ::query-tooltip. */
static gboolean
query (GtkWidget *widget)
{
  g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  g_signal_emit_by_name (widget, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  return shown;
}

typedef struct
{
  guint  n_calls;
  char  *answer;
  gboolean freed;
} Func;

static char *
func (GtkWidget *widget,
      gpointer   data)
{
  Func *f = data;

  f->n_calls++;
  return g_strdup (f->answer);
}

static void
func_free (gpointer data)
{
  ((Func *) data)->freed = TRUE;
}

/* The text is made at query time, by the function, every time; no text
 * means no tooltip; the data is freed with the widget. */
static void
test_func (void)
{
  GtkWidget *label = g_object_ref_sink (gtk_label_new ("x"));
  Func f = { 0, NULL, FALSE };

  ad_cell_tooltip_set_func (label, func, &f, func_free);
  g_assert_true (gtk_widget_get_has_tooltip (label));
  g_assert_cmpuint (f.n_calls, ==, 0);

  f.answer = "1,234 bytes";
  g_assert_true (query (label));
  g_assert_cmpuint (f.n_calls, ==, 1);

  f.answer = NULL;
  g_assert_false (query (label));
  f.answer = "";
  g_assert_false (query (label));
  g_assert_cmpuint (f.n_calls, ==, 3);

  g_assert_false (f.freed);
  g_assert_finalize_object (label);
  g_assert_true (f.freed);
}

/* A label shows its whole text as its tooltip only when it is cut. */
static void
test_full_text (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *label = gtk_label_new ("a nick long enough to be cut in a narrow column");

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  ad_cell_tooltip_set_full_text (GTK_LABEL (label));
  gtk_window_set_child (GTK_WINDOW (window), label);
  gtk_window_set_default_size (GTK_WINDOW (window), 60, 20);
  gtk_window_present (GTK_WINDOW (window));
  ad_test_wait_until (gtk_widget_get_width (label) > 0 &&
                      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))),
                      5000);
  g_assert_true (query (label));

  gtk_label_set_text (GTK_LABEL (label), "ok");
  ad_test_wait_until (!pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))),
                      5000);
  g_assert_false (query (label));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (ad_gui_test_init (&argc, &argv) == NULL)
    return g_test_run ();

  g_test_add_func ("/cell-tooltip/func", test_func);
  g_test_add_func ("/cell-tooltip/full-text", test_full_text);

  return g_test_run ();
}
