/* ad-log-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_LOG_VIEW (ad_log_view_get_type ())
G_DECLARE_FINAL_TYPE (AdLogView, ad_log_view, AD, LOG_VIEW, GtkWidget)

void        ad_log_view_set_model (AdLogView  *self,
                                   AdLogModel *model);

G_END_DECLS
