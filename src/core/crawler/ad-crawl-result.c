/* ad-crawl-result.c: what the crawler learnt about one URL
 *
 * The items of the crawler's results model: read-only properties a list
 * row can bind to (status, sizes, times, the page that linked here, the
 * error), and for broken links in the summary, every page that links here.
 * An HTTP error status is not an error: "error" is set only when there was
 * no usable answer (connection, TLS, timeout, size limit, redirect loop),
 * or when the links of the page that came could not be extracted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include "ad-crawl-result-private.h"

enum {
  PROP_0,
  PROP_URL,
  PROP_FINAL_URL,
  PROP_STATUS,
  PROP_CONTENT_TYPE,
  PROP_SIZE,
  PROP_TTFB_MS,
  PROP_TOTAL_MS,
  PROP_DEPTH,
  PROP_REFERRER,
  PROP_LINKS,
  PROP_REDIRECTS,
  PROP_ERROR,
  PROP_BROKEN,
  PROP_REFERRERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AdCrawlResult, ad_crawl_result, G_TYPE_OBJECT)

static void
ad_crawl_result_finalize (GObject *object)
{
  AdCrawlResult *self = AD_CRAWL_RESULT (object);

  g_free (self->url);
  g_free (self->final_url);
  g_free (self->content_type);
  g_free (self->referrer);
  g_clear_error (&self->error);
  g_strfreev (self->referrers);

  G_OBJECT_CLASS (ad_crawl_result_parent_class)->finalize (object);
}

static void
ad_crawl_result_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AdCrawlResult *self = AD_CRAWL_RESULT (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_FINAL_URL:
      g_value_set_string (value, ad_crawl_result_get_final_url (self));
      break;
    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    case PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_TTFB_MS:
      g_value_set_double (value, self->ttfb_ms);
      break;
    case PROP_TOTAL_MS:
      g_value_set_double (value, self->total_ms);
      break;
    case PROP_DEPTH:
      g_value_set_uint (value, self->depth);
      break;
    case PROP_REFERRER:
      g_value_set_string (value, self->referrer);
      break;
    case PROP_LINKS:
      g_value_set_uint (value, self->links);
      break;
    case PROP_REDIRECTS:
      g_value_set_uint (value, self->redirects);
      break;
    case PROP_ERROR:
      g_value_set_string (value, ad_crawl_result_get_error_message (self));
      break;
    case PROP_BROKEN:
      g_value_set_boolean (value, ad_crawl_result_is_broken (self));
      break;
    case PROP_REFERRERS:
      g_value_set_boxed (value, self->referrers);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_crawl_result_class_init (AdCrawlResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = ad_crawl_result_finalize;
  object_class->get_property = ad_crawl_result_get_property;

  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_FINAL_URL] = g_param_spec_string ("final-url", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_uint ("status", NULL, NULL, 0, 999, 0, flags);
  properties[PROP_CONTENT_TYPE] = g_param_spec_string ("content-type", NULL, NULL, NULL, flags);
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_TTFB_MS] = g_param_spec_double ("ttfb-ms", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_TOTAL_MS] = g_param_spec_double ("total-ms", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                                   flags);
  properties[PROP_DEPTH] = g_param_spec_uint ("depth", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_REFERRER] = g_param_spec_string ("referrer", NULL, NULL, NULL, flags);
  properties[PROP_LINKS] = g_param_spec_uint ("links", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_REDIRECTS] = g_param_spec_uint ("redirects", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_BROKEN] = g_param_spec_boolean ("broken", NULL, NULL, FALSE, flags);
  properties[PROP_REFERRERS] = g_param_spec_boxed ("referrers", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ad_crawl_result_init (AdCrawlResult *self)
{
}

AdCrawlResult *
ad_crawl_result_new (const char *url)
{
  AdCrawlResult *self = g_object_new (AD_TYPE_CRAWL_RESULT, NULL);

  self->url = g_strdup (url);
  return self;
}

/* Takes @referrers. */
void
ad_crawl_result_set_referrers (AdCrawlResult *self,
                               GStrv          referrers)
{
  g_return_if_fail (AD_IS_CRAWL_RESULT (self));

  g_strfreev (self->referrers);
  self->referrers = referrers;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFERRERS]);
}

/**
 * ad_crawl_result_get_url:
 *
 * Returns: the URL as found (normalised)
 */
const char *
ad_crawl_result_get_url (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), NULL);
  return self->url;
}

/**
 * ad_crawl_result_get_final_url:
 *
 * Returns: the URL after redirects (the URL itself when there were none)
 */
const char *
ad_crawl_result_get_final_url (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), NULL);
  return self->final_url ? self->final_url : self->url;
}

/**
 * ad_crawl_result_get_status:
 *
 * Returns: the HTTP status of the last answer, 0 when there was none
 */
guint
ad_crawl_result_get_status (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), 0);
  return self->status;
}

const char *
ad_crawl_result_get_content_type (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), NULL);
  return self->content_type;
}

/**
 * ad_crawl_result_get_size:
 *
 * Returns: the body bytes read
 */
guint64
ad_crawl_result_get_size (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), 0);
  return self->size;
}

/**
 * ad_crawl_result_get_ttfb_ms:
 *
 * Returns: the time from the request to the final answer's headers
 */
double
ad_crawl_result_get_ttfb_ms (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), 0);
  return self->ttfb_ms;
}

/**
 * ad_crawl_result_get_total_ms:
 *
 * Returns: the time from the request to the end of the body
 */
double
ad_crawl_result_get_total_ms (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), 0);
  return self->total_ms;
}

/**
 * ad_crawl_result_get_depth:
 *
 * Returns: the number of links from the start URL (0 for it)
 */
guint
ad_crawl_result_get_depth (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), 0);
  return self->depth;
}

/**
 * ad_crawl_result_get_referrer:
 *
 * Returns: (nullable): the page the crawler found this URL on first
 */
const char *
ad_crawl_result_get_referrer (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), NULL);
  return self->referrer;
}

/**
 * ad_crawl_result_get_links:
 *
 * Returns: the number of distinct http(s) links on the page
 */
guint
ad_crawl_result_get_links (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), 0);
  return self->links;
}

guint
ad_crawl_result_get_redirects (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), 0);
  return self->redirects;
}

/**
 * ad_crawl_result_get_error:
 *
 * Returns: (nullable): why there was no usable answer
 */
const GError *
ad_crawl_result_get_error (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), NULL);
  return self->error;
}

const char *
ad_crawl_result_get_error_message (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), NULL);
  return self->error ? self->error->message : NULL;
}

/**
 * ad_crawl_result_is_broken:
 *
 * Returns: whether a link to this URL is broken: an error, or an HTTP
 *   status of 400 or more
 */
gboolean
ad_crawl_result_is_broken (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), FALSE);
  return self->error != NULL || self->status >= 400;
}

/**
 * ad_crawl_result_get_referrers:
 *
 * Returns: (nullable) (transfer none): for a broken link in the crawl's
 *   summary, every page that links to it
 */
const char * const *
ad_crawl_result_get_referrers (AdCrawlResult *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULT (self), NULL);
  return (const char * const *) self->referrers;
}
