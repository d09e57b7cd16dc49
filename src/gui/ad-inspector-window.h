/* ad-inspector-window.h: the Tasks page in a window of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-tasks-page.h"

G_BEGIN_DECLS

#define AD_TYPE_INSPECTOR_WINDOW (ad_inspector_window_get_type ())
G_DECLARE_FINAL_TYPE (AdInspectorWindow, ad_inspector_window, AD, INSPECTOR_WINDOW, GtkWindow)

AdInspectorWindow *ad_inspector_window_new      (GtkApplication    *application);
AdTasksPage       *ad_inspector_window_get_page (AdInspectorWindow *self);

G_END_DECLS
