/* ad-basics-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-demo-panel.h"

G_BEGIN_DECLS

#define AD_TYPE_BASICS_PAGE (ad_basics_page_get_type ())
G_DECLARE_FINAL_TYPE (AdBasicsPage, ad_basics_page, AD, BASICS_PAGE, GtkWidget)

AdDemoPanel *ad_basics_page_get_panel      (AdBasicsPage *self,
                                            const char   *demo_id);
AdDemoPanel *ad_basics_page_show_demo      (AdBasicsPage *self,
                                            const char   *demo_id);
void         ad_basics_page_set_log_capacity (AdBasicsPage *self,
                                              guint         capacity);

G_END_DECLS
