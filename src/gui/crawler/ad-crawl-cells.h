/* ad-crawl-cells.h: the cells of the Crawler page's two tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  AD_CRAWL_CELL_STATUS,
  AD_CRAWL_CELL_URL,
  AD_CRAWL_CELL_SIZE,
  AD_CRAWL_CELL_TIME,
  AD_CRAWL_CELL_DEPTH,
  AD_CRAWL_CELL_TYPE,
  AD_CRAWL_CELL_NOTE,
  AD_CRAWL_CELL_BROKEN_URL,
  AD_CRAWL_CELL_BROKEN_PROBLEM,
  AD_CRAWL_CELL_BROKEN_REFERRERS,
} AdCrawlCell;

/* The action a right click on a cell activates, with the point in the
 * column view's coordinates: "(dd)". The view showing the table installs
 * it and pops its row menu up there. */
#define AD_CRAWL_CELL_MENU_ACTION "crawl-table.row-menu"

void       ad_crawl_cell_set_factory (GtkColumnViewColumn *column,
                                      AdCrawlCell          cell);
GtkWidget *ad_crawl_cell_new_menu    (GtkColumnView       *view);
void       ad_crawl_cell_popup_menu  (GtkWidget           *menu,
                                      GVariant            *point);

G_END_DECLS
