/* ad-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AD_TYPE_PREFERENCES_WINDOW (ad_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (AdPreferencesWindow, ad_preferences_window, AD, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

AdPreferencesWindow *ad_preferences_window_new (GSettings *settings);

G_END_DECLS
