/* ad-crawler-scope.c: which links a crawl follows
 *
 * A run's scope is made once when it starts and never changes: the pool
 * threads that extract links filter them through it (the prefix of the
 * scope mode, then the include and exclude patterns) while the main loop
 * holds a reference too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <string.h>

#include "ad-crawler-private.h"
#include "ad-tsan.h"
#include "ad-url.h"

/**
 * ad_crawler_scope_new:
 * @mode: the links to follow
 * @start_url: (nullable): the normalised start URL of a crawl, or %NULL
 *   for a list of URLs (no prefix: every link is in scope)
 * @include_pattern: (nullable): a URL must match it; empty for none
 * @exclude_pattern: (nullable): a URL must not match it; empty for none
 * @extract: extracts a page's links on a pool thread
 *
 * Returns: (transfer full) (nullable): the scope, or %NULL when a pattern
 *   is not a valid regular expression
 */
AdCrawlerScope *
ad_crawler_scope_new (AdCrawlScope          mode,
                      const char           *start_url,
                      const char           *include_pattern,
                      const char           *exclude_pattern,
                      AdCrawlerExtractFunc  extract,
                      GError              **error)
{
  g_autoptr(GRegex) include = NULL;
  g_autoptr(GRegex) exclude = NULL;
  AdCrawlerScope *scope;

  /* No G_REGEX_OPTIMIZE: PCRE's JIT reads past the end of the subject in
   * 16-byte steps (valgrind reports each), and an URL is short anyway. */
  if (include_pattern != NULL && include_pattern[0] != '\0')
    {
      include = g_regex_new (include_pattern, 0, 0, error);
      if (include == NULL)
        return NULL;
    }
  if (exclude_pattern != NULL && exclude_pattern[0] != '\0')
    {
      exclude = g_regex_new (exclude_pattern, 0, 0, error);
      if (exclude == NULL)
        return NULL;
    }

  scope = g_new0 (AdCrawlerScope, 1);
  g_atomic_ref_count_init (&scope->ref_count);
  scope->mode = mode;
  scope->include = g_steal_pointer (&include);
  scope->exclude = g_steal_pointer (&exclude);
  scope->extract = extract;
  if (start_url != NULL && mode == AD_CRAWL_SCOPE_HOST)
    {
      g_autofree char *origin = ad_url_get_origin (start_url);

      scope->prefix = g_strconcat (origin, "/", NULL);
    }
  else if (start_url != NULL && mode == AD_CRAWL_SCOPE_PATH_PREFIX)
    {
      const char *query = strchr (start_url, '?');
      const char *slash = g_strrstr_len (start_url, query ? query - start_url : -1, "/");

      scope->prefix = g_strndup (start_url, slash - start_url + 1);
    }

  return scope;
}

AdCrawlerScope *
ad_crawler_scope_ref (AdCrawlerScope *scope)
{
  g_atomic_ref_count_inc (&scope->ref_count);
  return scope;
}

void
ad_crawler_scope_unref (AdCrawlerScope *scope)
{
  /* The reference count is GLib's atomic, which ThreadSanitizer does not
   * see: every thread's reads of the scope happen before the last unref
   * frees it (release here, acquire by the one that frees). */
  AD_TSAN_RELEASE (scope);
  if (g_atomic_ref_count_dec (&scope->ref_count))
    {
      AD_TSAN_ACQUIRE (scope);
      g_free (scope->prefix);
      g_clear_pointer (&scope->include, g_regex_unref);
      g_clear_pointer (&scope->exclude, g_regex_unref);
      g_free (scope);
    }
}

/* Thread-safe: the scope never changes and g_regex_match() only reads. */
gboolean
ad_crawler_scope_allows (const AdCrawlerScope *scope,
                         const char           *url)
{
  if (scope->prefix != NULL && !g_str_has_prefix (url, scope->prefix))
    return FALSE;
  if (scope->include != NULL && !g_regex_match (scope->include, url, 0, NULL))
    return FALSE;
  if (scope->exclude != NULL && g_regex_match (scope->exclude, url, 0, NULL))
    return FALSE;
  return TRUE;
}
