/* ad-link-extractor.h: the links of an HTML document (HTML5 tokenizer, no tree)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A page's links packed in one buffer, for the crawler: no string per link. */
typedef struct
{
  gsize offset;              /* of the URL in AdLinkList.text */
  guint hash;                /* g_str_hash() of the URL */
} AdLinkRef;

typedef struct
{
  GString *text;             /* the URLs, each with its NUL */
  GArray  *refs;             /* (element-type AdLinkRef): in document order */
} AdLinkList;

AdLinkList *ad_link_extract_list  (GBytes               *html,
                                   const char           *base_url,
                                   const char           *charset,
                                   GCancellable         *cancellable,
                                   GError              **error);
void        ad_link_list_free     (AdLinkList           *list);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdLinkList, ad_link_list_free)

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
