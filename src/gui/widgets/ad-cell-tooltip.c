/* ad-cell-tooltip.c: tooltips for list cells, made when the pointer asks
 *
 * See ad-cell-tooltip.h for why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-cell-tooltip.h"

typedef struct
{
  AdCellTooltipFunc func;
  gpointer          user_data;
  GDestroyNotify    destroy;
} TooltipFunc;

static void
tooltip_func_free (gpointer data,
                   GClosure *closure)
{
  TooltipFunc *tf = data;

  if (tf->destroy != NULL)
    tf->destroy (tf->user_data);
  g_free (tf);
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    data)
{
  TooltipFunc *tf = data;
  g_autofree char *text = tf->func (widget, tf->user_data);

  if (text == NULL || *text == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/**
 * ad_cell_tooltip_set_func:
 * @widget: a cell's widget, once, when the cell is set up
 * @func: makes the text when the tooltip is about to show
 *
 * Gives @widget a tooltip whose text @func makes on demand, so that
 * rebinding the cell costs nothing.
 */
void
ad_cell_tooltip_set_func (GtkWidget         *widget,
                          AdCellTooltipFunc  func,
                          gpointer           user_data,
                          GDestroyNotify     destroy)
{
  TooltipFunc *tf;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (func != NULL);

  tf = g_new0 (TooltipFunc, 1);
  tf->func = func;
  tf->user_data = user_data;
  tf->destroy = destroy;
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect_data (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), tf,
                         tooltip_func_free, 0);
}

static char *
full_text (GtkWidget *widget,
           gpointer   user_data)
{
  GtkLabel *label = GTK_LABEL (widget);

  /* Only what the cell cannot show: an ellipsized text. */
  if (!pango_layout_is_ellipsized (gtk_label_get_layout (label)))
    return NULL;

  return g_strdup (gtk_label_get_text (label));
}

/**
 * ad_cell_tooltip_set_full_text:
 * @label: an ellipsizing label in a cell
 *
 * The label's tooltip is its whole text, when it does not fit.
 */
void
ad_cell_tooltip_set_full_text (GtkLabel *label)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  ad_cell_tooltip_set_func (GTK_WIDGET (label), full_text, NULL, NULL);
}
