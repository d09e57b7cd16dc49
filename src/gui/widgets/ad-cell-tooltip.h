/* ad-cell-tooltip.h: tooltips for list cells, made when the pointer asks
 *
 * gtk_widget_set_tooltip_text() asks the display where the pointer is (an
 * X round trip) every time it is called. A list cell that sets its tooltip
 * on every bind pays that for each row rebound: a table losing 100 rows
 * stalled the loop for seconds (bench-window, "chat 100 leave"). These
 * helpers set the cell up once and make the text in ::query-tooltip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Returns the tooltip for @widget now, or NULL for none. */
typedef char *(*AdCellTooltipFunc) (GtkWidget *widget,
                                     gpointer   user_data);

void ad_cell_tooltip_set_func      (GtkWidget         *widget,
                                    AdCellTooltipFunc  func,
                                    gpointer           user_data,
                                    GDestroyNotify     destroy);
void ad_cell_tooltip_set_full_text (GtkLabel          *label);

G_END_DECLS
