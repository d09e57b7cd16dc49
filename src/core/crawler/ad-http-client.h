/* ad-http-client.h: HTTP/1.1 GETs on kept-alive connections, for the crawler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define AD_TYPE_HTTP_CLIENT (ad_http_client_get_type ())

G_DECLARE_FINAL_TYPE (AdHttpClient, ad_http_client, AD, HTTP_CLIENT, GObject)

/* One request and its response: the status and headers once sent, then
 * the body, read without blocking. */
typedef struct _AdHttpExchange AdHttpExchange;

AdHttpClient       *ad_http_client_new                (const char          *user_agent);
const char         *ad_http_client_get_user_agent     (AdHttpClient        *self);
void                ad_http_client_set_user_agent     (AdHttpClient        *self,
                                                       const char          *user_agent);
guint               ad_http_client_get_max_idle       (AdHttpClient        *self);
void                ad_http_client_set_max_idle       (AdHttpClient        *self,
                                                       guint                max_idle);
GTlsDatabase       *ad_http_client_get_tls_database   (AdHttpClient        *self);
void                ad_http_client_set_tls_database   (AdHttpClient        *self,
                                                       GTlsDatabase        *database);
guint               ad_http_client_get_n_idle         (AdHttpClient        *self);
guint               ad_http_client_get_n_connected    (AdHttpClient        *self);
void                ad_http_client_close_idle         (AdHttpClient        *self);

void                ad_http_client_send_async         (AdHttpClient        *self,
                                                       const char          *url,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
AdHttpExchange     *ad_http_client_send_finish        (AdHttpClient        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

guint               ad_http_exchange_get_status       (AdHttpExchange      *exchange);
SoupMessageHeaders *ad_http_exchange_get_headers      (AdHttpExchange      *exchange);
gboolean            ad_http_exchange_get_reused       (AdHttpExchange      *exchange);
gssize              ad_http_exchange_read             (AdHttpExchange      *exchange,
                                                       void                *buffer,
                                                       gsize                count,
                                                       GCancellable        *cancellable,
                                                       GError             **error);
GSource            *ad_http_exchange_create_source    (AdHttpExchange      *exchange,
                                                       GCancellable        *cancellable);
void                ad_http_exchange_free             (AdHttpExchange      *exchange);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdHttpExchange, ad_http_exchange_free)

G_END_DECLS
