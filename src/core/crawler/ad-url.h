/* ad-url.h: URL normalisation and resolution for the crawler (pure functions)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AD_URL_ERROR (ad_url_error_quark ())

typedef enum
{
  AD_URL_ERROR_INVALID,
  AD_URL_ERROR_UNSUPPORTED_SCHEME,
} AdUrlError;

GQuark    ad_url_error_quark    (void);

char     *ad_url_normalize      (const char  *url,
                                 GError     **error);
char     *ad_url_normalize_uri  (GUri        *uri,
                                 GError     **error);
char     *ad_url_resolve        (GUri        *base,
                                 const char  *reference);
char     *ad_url_get_origin     (const char  *url);

gboolean  ad_url_get_prefixes   (GUri        *base,
                                 char       **origin,
                                 char       **directory);
char     *ad_url_resolve_simple (const char  *origin,
                                 const char  *directory,
                                 const char  *href);

gboolean  ad_url_resolve_simple_append (GString    *out,
                                        const char *origin,
                                        gsize       origin_len,
                                        const char *directory,
                                        gsize       directory_len,
                                        const char *href,
                                        gsize       href_len);

char    *ad_url_escape_stray_percents (const char *text);

G_END_DECLS
