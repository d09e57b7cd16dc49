/* ad-task-cell.h: one cell of the Tasks page's lists, following one task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

typedef enum
{
  AD_TASK_CELL_NAME,
  AD_TASK_CELL_KIND,
  AD_TASK_CELL_STATE,
  AD_TASK_CELL_OUTCOME,
  AD_TASK_CELL_THREAD,
  AD_TASK_CELL_TIME,
  AD_TASK_CELL_PROGRESS,
} AdTaskCellColumn;

#define AD_TYPE_TASK_CELL_COLUMN (ad_task_cell_column_get_type ())
GType ad_task_cell_column_get_type (void);

#define AD_TYPE_TASK_CELL (ad_task_cell_get_type ())
G_DECLARE_FINAL_TYPE (AdTaskCell, ad_task_cell, AD, TASK_CELL, GtkWidget)

GtkWidget        *ad_task_cell_new        (AdTaskCellColumn  column);
AdTaskCellColumn  ad_task_cell_get_column (AdTaskCell       *self);
AdTask           *ad_task_cell_get_task   (AdTaskCell       *self);
void              ad_task_cell_set_task   (AdTaskCell       *self,
                                           AdTask           *task);
void              ad_task_cell_update     (AdTaskCell       *self,
                                           gint64            now);

GtkListItemFactory *ad_task_cell_factory_new (AdTaskCellColumn column,
                                              gboolean         expander);

G_END_DECLS
