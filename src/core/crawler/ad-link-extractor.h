/* ad-link-extractor.h: the links of an HTML document (HTML5 tokenizer, no tree)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GPtrArray *ad_link_extract        (GBytes               *html,
                                   const char           *base_url,
                                   const char           *charset,
                                   GCancellable         *cancellable,
                                   GError              **error);

void       ad_link_extract_async  (GBytes               *html,
                                   const char           *base_url,
                                   const char           *charset,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
GPtrArray *ad_link_extract_finish (GAsyncResult         *result,
                                   GError              **error);

G_END_DECLS
