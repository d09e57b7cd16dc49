/* ad-source-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AD_TYPE_SOURCE_VIEW (ad_source_view_get_type ())
G_DECLARE_FINAL_TYPE (AdSourceView, ad_source_view, AD, SOURCE_VIEW, GtkWidget)

void        ad_source_view_set_resource_path (AdSourceView *self,
                                              const char   *resource_path);
char       *ad_source_view_get_text          (AdSourceView *self);
int         ad_source_view_scroll_to_text    (AdSourceView *self,
                                              const char   *text);

G_END_DECLS
