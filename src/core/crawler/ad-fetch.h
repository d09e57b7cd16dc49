/* ad-fetch.h: one HTTP GET on an AdHttpClient, as the crawler needs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-http-client.h"

G_BEGIN_DECLS

#define AD_FETCH_ERROR (ad_fetch_error_quark ())

typedef enum
{
  AD_FETCH_ERROR_TOO_LARGE,
  AD_FETCH_ERROR_REDIRECT_LOOP,
  AD_FETCH_ERROR_TOO_MANY_REDIRECTS,
  AD_FETCH_ERROR_BAD_REDIRECT,
  AD_FETCH_ERROR_DISALLOWED,
} AdFetchError;

#define AD_FETCH_DEFAULT_MAX_BODY_SIZE ((guint64) 10 * 1024 * 1024)
#define AD_FETCH_DEFAULT_MAX_REDIRECTS 10

typedef struct
{
  guint    timeout_ms;      /* for the whole request with its redirects; 0: none */
  guint    max_redirects;
  guint64  max_body_size;
  gboolean keep_html;       /* keep the body when it is HTML (to extract links) */
  gboolean keep_all;        /* keep any body (robots.txt) */
  /* Asked on the caller's thread before each redirect is followed, with
   * the target (normalised); FALSE ends the fetch at the redirect, whose
   * target is then the final URL. NULL: follow every redirect. */
  gboolean (*follow_redirect) (const char *target,
                               gpointer    user_data);
  gpointer follow_redirect_data;
} AdFetchOptions;

typedef struct
{
  char      *url;           /* as requested */
  char      *final_url;     /* after redirects */
  GPtrArray *redirects;     /* the URLs redirected through, in order */
  guint      status;        /* the last HTTP status, 0 when there was no answer */
  char      *content_type;  /* the media type, without parameters */
  char      *charset;       /* the charset parameter, if any */
  GBytes    *body;          /* the HTML body when asked to keep it, else NULL */
  guint64    size;          /* body bytes read */
  gint64     ttfb_us;       /* to the last response's headers */
  gint64     total_us;
  GError    *error;         /* transport, TLS, timeout, size or redirect error */
} AdFetchResponse;

GQuark           ad_fetch_error_quark   (void);

void             ad_fetch_async         (AdHttpClient          *client,
                                         const char            *url,
                                         const AdFetchOptions  *options,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data);
AdFetchResponse *ad_fetch_finish        (GAsyncResult          *result,
                                         GError               **error);

void             ad_fetch_response_free (AdFetchResponse       *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdFetchResponse, ad_fetch_response_free)

G_END_DECLS
