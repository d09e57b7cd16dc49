/* ad-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AD_TYPE_APPLICATION (ad_application_get_type ())
G_DECLARE_FINAL_TYPE (AdApplication, ad_application, AD, APPLICATION, AdwApplication)

/* The values of the color-scheme setting (its enum in the schema). */
typedef enum
{
  AD_COLOR_SCHEME_FOLLOW,
  AD_COLOR_SCHEME_LIGHT,
  AD_COLOR_SCHEME_DARK,
} AdColorScheme;

void           ad_application_prepare_environment (void);
AdApplication *ad_application_new          (void);
GSettings     *ad_application_get_settings (AdApplication *self);

G_END_DECLS
