/* fuzz-url-resolve.c: the concatenation fast path against GUri
 *
 * The input is a base URL, a newline, and a link target. Whenever
 * ad_url_resolve_simple() resolves the target, its answer must be the one
 * ad_url_resolve() (GUri's full parse, then normalisation) gives, and a
 * normalised URL. Inputs without a newline use a fixed base. The base is
 * normalised first, as the crawler's document URLs are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GUri) base = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *fast = NULL;
  g_autofree char *slow = NULL;
  g_autofree char *again = NULL;
  g_autofree char *normal_base = NULL;
  char *newline = strchr (text, '\n');
  const char *base_url = "http://example.com/dir/page.html?q=1";
  const char *href = text;

  if (newline != NULL)
    {
      *newline = '\0';
      base_url = text;
      href = newline + 1;
    }

  /* A document's URL is a normalised one (the crawler fetches nothing
   * else), parsed as ad_link_extract() parses it. An unnormalised base
   * ("pag%.htm") gives unnormalised URLs through GUri and the fast path
   * alike (found by this target). */
  normal_base = ad_url_normalize (base_url, NULL);
  if (normal_base == NULL)
    return 0;
  base = g_uri_parse (normal_base, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (base == NULL || !ad_url_get_prefixes (base, &origin, &directory))
    return 0;

  fast = ad_url_resolve_simple (origin, directory, href);
  if (fast == NULL)
    return 0;

  slow = ad_url_resolve (base, href);
  g_assert_cmpstr (fast, ==, slow);
  again = ad_url_normalize (fast, NULL);
  g_assert_cmpstr (again, ==, fast);

  return 0;
}
