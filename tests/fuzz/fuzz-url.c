/* fuzz-url.c: URL normalisation and resolution of whatever a page links to
 *
 * Properties checked beyond "no crash, no leak": a normalised URL
 * normalises to itself, and resolving a reference gives a normalised URL.
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
  static GUri *base;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *normal = NULL;
  g_autofree char *resolved = NULL;

  if (base == NULL)
    base = g_uri_parse ("http://example.com/dir/page.html?q=1", G_URI_FLAGS_ENCODED, NULL);

  normal = ad_url_normalize (text, NULL);
  if (normal != NULL)
    {
      g_autofree char *again = ad_url_normalize (normal, NULL);

      g_assert_cmpstr (again, ==, normal);
    }

  resolved = ad_url_resolve (base, text);
  if (resolved != NULL)
    {
      g_autofree char *again = ad_url_normalize (resolved, NULL);

      g_assert_cmpstr (again, ==, resolved);
    }

  return 0;
}
