/* fuzz-link-extractor.c: any bytes a server sends as HTML
 *
 * The HTML5 tokenizer and our resolution must never crash, leak or
 * print; every link that comes out is an absolute, normalised http(s) URL,
 * and the concatenation fast path agrees with GUri (normalising a link
 * changes nothing).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) html = g_bytes_new (data, size);
  g_autoptr(GPtrArray) links = NULL;

  links = ad_link_extract (html, "http://example.com/dir/page.html", NULL, NULL, NULL);
  g_assert_nonnull (links);
  for (guint i = 0; i < links->len; i++)
    {
      const char *link = g_ptr_array_index (links, i);
      g_autofree char *again = ad_url_normalize (link, NULL);

      g_assert_cmpstr (again, ==, link);
    }

  return 0;
}
