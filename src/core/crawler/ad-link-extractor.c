/* ad-link-extractor.c: the links of an HTML document
 *
 * The HTML5 tokenizer (ad-html-tokenizer.c) reports the start tags: no
 * tree is built and no regular expression ever looks at HTML. It knows the
 * rules a regular expression gets wrong: comments, script, style, title,
 * textarea and the other raw-text elements hold no elements, references in
 * attribute values are decoded, <meta charset> sets the decoding.
 *
 * Links are the targets of a, area and link (href) and frame and iframe
 * (src). They are collected as written and resolved at the end, because a
 * <base href> anywhere in the document applies to all of them (HTML uses
 * the first one). A target written more than once on a page is decoded and
 * resolved once. Most targets are plain paths in plain ASCII, resolved by
 * concatenation straight from the document's bytes into one buffer
 * (ad_url_resolve_simple_append(), no string per link); the others are
 * decoded first, and those the fast path cannot take go through GUri and
 * are normalised (ad-url.c); non-http(s) targets (mailto:, javascript:,
 * data:, tel: …) and bare fragments drop out, and each URL is reported
 * once, in document order.
 *
 * ad_link_extract() is a pure function of immutable input (the body as
 * GBytes, the document's URL, the charset from the Content-Type header if
 * any) with a fresh result, so the crawler runs it on the thread pool:
 * ad_link_extract_async() is that, as a GTask run in a thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <string.h>

#include "ad-html-tokenizer.h"
#include "ad-index-set.h"
#include "ad-link-extractor.h"
#include "ad-tsan.h"
#include "ad-url.h"

#define URL_HASH_START 5381

/* g_str_hash() of a URL just written, going on from @hash, the hash of
 * what comes before @url. */
static inline guint
url_hash (guint32     hash,
          const char *url,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    hash = (hash << 5) + hash + (guint32) (gint32) (signed char) url[i];
  return hash;
}

/* What the fast path puts in front of a link, with its hash: a URL that
 * starts with it (most do) has only its own part hashed. */
typedef struct
{
  const char *text;
  gsize       len;
  guint       hash;
} Prefix;

static guint
link_hash (const Prefix *directory,
           const Prefix *origin,
           const char   *url,
           gsize         len)
{
  if (len >= directory->len && memcmp (url, directory->text, directory->len) == 0)
    return url_hash (directory->hash, url + directory->len, len - directory->len);
  if (len >= origin->len && memcmp (url, origin->text, origin->len) == 0)
    return url_hash (origin->hash, url + origin->len, len - origin->len);
  return url_hash (URL_HASH_START, url, len);
}

static gboolean
link_equal (guint         stored,
            gconstpointer key,
            gpointer      user_data)
{
  const AdLinkList *list = user_data;
  const AdLinkRef *ref = &g_array_index (list->refs, AdLinkRef, stored);

  return strcmp (list->text->str + ref->offset, key) == 0;
}

void
ad_link_list_free (AdLinkList *list)
{
  if (list == NULL)
    return;
  g_string_free (list->text, TRUE);
  g_array_unref (list->refs);
  g_free (list);
}

/**
 * ad_link_extract_list:
 *
 * ad_link_extract(), its URLs packed in one buffer with their hashes:
 * what the crawler runs on the pool. A target written as plain ASCII
 * (most are) is resolved straight from the document's bytes into the
 * buffer; only the others are decoded first, and only those the fast
 * path cannot take go through GUri.
 *
 * Returns: (transfer full): the links, or %NULL with @error set when
 *   @base_url is not a URL or when cancelled
 */
AdLinkList *
ad_link_extract_list (GBytes        *html,
                      const char    *base_url,
                      const char    *charset,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(AdHtmlRawHrefs) hrefs = NULL;
  g_autoptr(GUri) document = NULL;
  g_autoptr(GUri) base = NULL;
  AdIndexSet seen = { NULL, 0 };
  AdLinkList *list;
  g_autofree char *origin = NULL;
  g_autofree char *directory = NULL;
  gsize origin_len = 0;
  gsize directory_len = 0;
  Prefix origin_prefix = { "", 0, URL_HASH_START };
  Prefix directory_prefix = { "", 0, URL_HASH_START };
  guint n_refs = 0;

  g_return_val_if_fail (html != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);

  document = g_uri_parse (base_url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, error);
  if (document == NULL)
    return NULL;

  hrefs = ad_html_extract_raw_hrefs (html, charset, cancellable, error);
  if (hrefs == NULL)
    return NULL;
  /* A cancellable is never un-cancelled: a late cancellation counts too. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* <base href> is itself resolved against the document's URL. */
  if (hrefs->base_href != NULL)
    {
      /* The same escaping ad_url_resolve() applies, so the fast path and
       * GUri agree on a <base> with a stray '%' (found by fuzzing). */
      g_autofree char *escaped = ad_url_escape_stray_percents (g_strstrip (hrefs->base_href));

      base = g_uri_parse_relative (document, escaped,
                                   G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
    }
  if (base == NULL)
    base = g_uri_ref (document);

  /* What the fast path puts in front of a link. */
  if (ad_url_get_prefixes (base, &origin, &directory))
    {
      origin_len = strlen (origin);
      directory_len = strlen (directory);
      origin_prefix = (Prefix) { origin, origin_len,
                                 url_hash (URL_HASH_START, origin, origin_len) };
      directory_prefix = (Prefix) { directory, directory_len,
                                    url_hash (URL_HASH_START, directory, directory_len) };
    }

  list = g_new (AdLinkList, 1);
  list->text = g_string_sized_new (hrefs->hrefs->len * (directory_len + 32) + 1);
  /* As long as it can get: filled in place, then cut to size. */
  list->refs = g_array_sized_new (FALSE, FALSE, sizeof (AdLinkRef), hrefs->hrefs->len);
  g_array_set_size (list->refs, hrefs->hrefs->len);
  ad_index_set_init (&seen, hrefs->hrefs->len);
  for (guint i = 0; i < hrefs->hrefs->len; i++)
    {
      const AdHtmlRawHref *href = &g_array_index (hrefs->hrefs, AdHtmlRawHref, i);
      gsize start = list->text->len;
      gboolean resolved = FALSE;
      AdLinkRef ref;

      if (origin != NULL && href->plain)
        resolved = ad_url_resolve_simple_append (list->text, origin, origin_len, directory,
                                                 directory_len, href->value, href->value_len);
      if (!resolved)
        {
          g_autofree char *value = ad_html_raw_hrefs_decode (hrefs, href);
          g_autofree char *url = NULL;

          if (origin != NULL)
            resolved = ad_url_resolve_simple_append (list->text, origin, origin_len, directory,
                                                     directory_len, value, strlen (value));
          if (!resolved)
            {
              url = ad_url_resolve (base, value);
              if (url == NULL)
                continue;
              g_string_append (list->text, url);
            }
        }

      ref.offset = start;
      ref.hash = link_hash (&directory_prefix, &origin_prefix, list->text->str + start,
                            list->text->len - start);
      g_string_append_c (list->text, '\0');
      /* Two spellings of one URL ("a.html", "./a.html") are reported once. */
      if (!ad_index_set_add (&seen, ref.hash, list->text->str + start, n_refs, link_equal, list))
        {
          g_string_truncate (list->text, start);
          continue;
        }
      g_array_index (list->refs, AdLinkRef, n_refs++) = ref;
    }
  g_array_set_size (list->refs, n_refs);
  ad_index_set_clear (&seen);

  return list;
}

/**
 * ad_link_extract:
 * @html: the document's bytes
 * @base_url: the document's (final) URL
 * @charset: (nullable): the charset from the Content-Type header; %NULL
 *   lets the document say (<meta charset>), or UTF-8
 * @cancellable: (nullable): polled while tokenizing
 *
 * Thread-safe and without side effects.
 *
 * Returns: (transfer full) (element-type utf8): the normalised absolute
 *   http(s) URLs the document links to, each once, in document order; %NULL
 *   with @error set when @base_url is not a URL or when cancelled
 */
GPtrArray *
ad_link_extract (GBytes        *html,
                 const char    *base_url,
                 const char    *charset,
                 GCancellable  *cancellable,
                 GError       **error)
{
  AdLinkList *list = ad_link_extract_list (html, base_url, charset, cancellable, error);
  GPtrArray *links;

  if (list == NULL)
    return NULL;
  links = g_ptr_array_new_full (list->refs->len, g_free);
  g_ptr_array_set_size (links, list->refs->len);
  for (guint i = 0; i < list->refs->len; i++)
    {
      gsize offset = g_array_index (list->refs, AdLinkRef, i).offset;
      /* Each URL ends where the next begins (its NUL included), or at the end. */
      gsize next = i + 1 < list->refs->len ? g_array_index (list->refs, AdLinkRef, i + 1).offset
                                           : list->text->len;

      links->pdata[i] = g_memdup2 (list->text->str + offset, next - offset);
    }
  /* Freed by hand: clang's analyzer loses track of a g_autoptr of it. */
  ad_link_list_free (list);

  return links;
}

typedef struct
{
  GBytes *html;
  char   *base_url;
  char   *charset;
} ExtractInput;

static void
extract_input_free (ExtractInput *input)
{
  g_bytes_unref (input->html);
  g_free (input->base_url);
  g_free (input->charset);
  g_free (input);
}

static void
extract_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ExtractInput *input = task_data;
  GError *error = NULL;
  GPtrArray *links;

  AD_TSAN_ACQUIRE (task);
  links = ad_link_extract (input->html, input->base_url, input->charset, cancellable, &error);
  AD_TSAN_RELEASE (task);
  if (links == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, links, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * ad_link_extract_async:
 *
 * Runs ad_link_extract() on the thread pool; the callback runs on the
 * caller's thread-default main context.
 */
void
ad_link_extract_async (GBytes              *html,
                       const char          *base_url,
                       const char          *charset,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExtractInput *input;

  g_return_if_fail (html != NULL);
  g_return_if_fail (base_url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_link_extract_async);
  g_task_set_name (task, "[async-demo] extract links");

  input = g_new0 (ExtractInput, 1);
  input->html = g_bytes_ref (html);
  input->base_url = g_strdup (base_url);
  input->charset = g_strdup (charset);
  g_task_set_task_data (task, input, (GDestroyNotify) extract_input_free);

  /* The input is complete: hand it to the pool thread. */
  AD_TSAN_RELEASE (task);
  g_task_run_in_thread (task, extract_thread);
}

/**
 * ad_link_extract_finish:
 *
 * Returns: (transfer full) (element-type utf8): the links, or %NULL with
 *   @error set
 */
GPtrArray *
ad_link_extract_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_link_extract_async, NULL);

  /* The pool thread made the result: take it over. */
  AD_TSAN_ACQUIRE (result);
  return g_task_propagate_pointer (G_TASK (result), error);
}
