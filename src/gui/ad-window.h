/* ad-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-application.h"

G_BEGIN_DECLS

#define AD_TYPE_WINDOW (ad_window_get_type ())
G_DECLARE_FINAL_TYPE (AdWindow, ad_window, AD, WINDOW, AdwApplicationWindow)

AdWindow   *ad_window_new          (AdApplication *application);
GtkStack   *ad_window_get_stack    (AdWindow      *self);
GtkWidget  *ad_window_get_page     (AdWindow      *self,
                                    const char    *name);
char       *ad_window_describe_running_work (AdWindow *self);
gboolean    ad_window_ask_before_quitting   (AdWindow *self,
                                             gboolean  quit_app);

G_END_DECLS
