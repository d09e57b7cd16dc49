/* ad-demo-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_DEMO_PANEL (ad_demo_panel_get_type ())
G_DECLARE_FINAL_TYPE (AdDemoPanel, ad_demo_panel, AD, DEMO_PANEL, GtkWidget)

AdDemoPanel        *ad_demo_panel_new         (const AdBasicsDemo *demo);
AdLogModel         *ad_demo_panel_get_log     (AdDemoPanel        *self);
gboolean            ad_demo_panel_get_running (AdDemoPanel        *self);
const char         *ad_demo_panel_get_summary (AdDemoPanel        *self);
void                ad_demo_panel_set_param   (AdDemoPanel        *self,
                                               const char         *name,
                                               guint               value);

G_END_DECLS
