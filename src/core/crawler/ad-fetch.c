/* ad-fetch.c: one HTTP GET on an AdHttpClient, as the crawler needs it
 *
 * On the main loop that owns the client. What the crawler needs beyond
 * ad_http_client_send_async():
 *
 * - Redirects are followed here, so the chain is recorded and a loop is detected as soon as a URL
 *   comes round again, within a maximum number of hops. The caller may
 *   stop at a redirect to a URL it knows already (a crawler does not
 *   fetch a page twice).
 * - The body is read straight into its final buffer, sized from the
 *   Content-Length (plus one byte, so the read that sees the end needs no
 *   more room) and grown by doubling otherwise: no allocation or copy per
 *   read, and each read asks for all the room there is. Reads are
 *   non-blocking, in a loop until the socket has no more, so a page takes
 *   as few main-loop iterations as the socket allows. It is never buffered beyond a limit: a Content-Length
 *   over the limit stops the request before the first read, a body that
 *   turns out too big stops it at the limit. Only HTML is kept (for the
 *   link extractor); other bodies are read into a scratch buffer (one per
 *   thread), counted and dropped.
 * - A timeout covers the whole request with its redirects. It and the
 *   caller's cancellable both cancel a private GCancellable that every
 *   nested call gets (the caller's through a GCancellableSource, so the
 *   request stops from the main loop and never re-enters the caller's
 *   g_cancellable_cancel()); a flag says which one it was, so a timeout is
 *   a G_IO_ERROR_TIMED_OUT result while cancellation is quiet.
 * - An HTTP error status is a status, not a GError. Transport and TLS
 *   errors (GIO refuses bad certificates; nothing here ignores them)
 *   are reported in the response, so the crawler can list them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-fetch.h"
#include "ad-url.h"

#define READ_SIZE ((gsize) 64 * 1024)

G_DEFINE_QUARK (ad-fetch-error-quark, ad_fetch_error)

typedef struct
{
  AdHttpClient    *client;
  AdFetchOptions   options;
  AdFetchResponse *response;
  char            *current_url;
  AdHttpExchange  *exchange;
  guint8          *data;          /* the kept body */
  gsize            data_len;
  gsize            data_alloc;
  gboolean         keep;
  gboolean         redirecting;   /* the current body is a redirect's */
  GCancellable    *cancellable;   /* ours: cancelled by the caller's or the timeout */
  GCancellable    *parent;
  GSource         *parent_source;
  GSource         *timeout;
  gboolean         timed_out;
  gint64           started;
} Fetch;

static void fetch_send (GTask *task);

void
ad_fetch_response_free (AdFetchResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->url);
  g_free (response->final_url);
  g_clear_pointer (&response->redirects, g_ptr_array_unref);
  g_free (response->content_type);
  g_free (response->charset);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_error (&response->error);
  g_free (response);
}

/* Whether the response's media type is HTML or XHTML. */
static gboolean
response_is_html (const AdFetchResponse *response)
{
  return response->content_type != NULL &&
         (g_ascii_strcasecmp (response->content_type, "text/html") == 0 ||
          g_ascii_strcasecmp (response->content_type, "application/xhtml+xml") == 0);
}

static void
fetch_free (Fetch *fetch)
{
  if (fetch->parent_source != NULL)
    {
      g_source_destroy (fetch->parent_source);
      g_source_unref (fetch->parent_source);
    }
  g_clear_object (&fetch->parent);
  if (fetch->timeout != NULL)
    {
      g_source_destroy (fetch->timeout);
      g_source_unref (fetch->timeout);
    }
  g_clear_object (&fetch->cancellable);
  g_clear_pointer (&fetch->exchange, ad_http_exchange_free);
  g_free (fetch->data);
  g_clear_pointer (&fetch->response, ad_fetch_response_free);
  g_free (fetch->current_url);
  g_clear_object (&fetch->client);
  g_free (fetch);
}

/* Ends the fetch: returns the response, or the caller's cancellation. */
static void
fetch_complete (GTask  *task,
                GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);
  AdFetchResponse *response = fetch->response;

  /* Stop the timer and whatever is still running of the request. */
  if (fetch->timeout != NULL)
    g_source_destroy (fetch->timeout);
  if (error != NULL)
    g_cancellable_cancel (fetch->cancellable);
  /* An answer not read to its end closes its connection. */
  g_clear_pointer (&fetch->exchange, ad_http_exchange_free);

  if (fetch->parent != NULL && g_cancellable_is_cancelled (fetch->parent))
    {
      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
      return;
    }

  if (error != NULL && fetch->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           _("No complete answer within %u ms"), fetch->options.timeout_ms);
    }

  response->error = error;
  response->final_url = g_strdup (fetch->current_url);
  response->total_us = g_get_monotonic_time () - fetch->started;
  if (fetch->data != NULL && error == NULL)
    response->body = g_bytes_new_take (g_steal_pointer (&fetch->data), fetch->data_len);

  g_task_return_pointer (task, g_steal_pointer (&fetch->response),
                         (GDestroyNotify) ad_fetch_response_free);
}

static void
fetch_follow_redirect (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  AdFetchResponse *response = fetch->response;
  const char *location;
  g_autoptr(GUri) base = NULL;
  g_autofree char *target = NULL;

  location = soup_message_headers_get_one (ad_http_exchange_get_headers (fetch->exchange),
                                           "Location");
  base = g_uri_parse (fetch->current_url, G_URI_FLAGS_ENCODED, NULL);
  if (base != NULL && location != NULL)
    target = ad_url_resolve (base, location);
  if (target == NULL)
    {
      fetch_complete (task, g_error_new (AD_FETCH_ERROR, AD_FETCH_ERROR_BAD_REDIRECT,
                                         _("Redirected to an invalid or unsupported URL “%s”"),
                                         location ? location : ""));
      return;
    }

  g_ptr_array_add (response->redirects, g_steal_pointer (&fetch->current_url));
  for (guint i = 0; i < response->redirects->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (response->redirects, i), target))
        {
          fetch->current_url = g_steal_pointer (&target);
          fetch_complete (task, g_error_new (AD_FETCH_ERROR, AD_FETCH_ERROR_REDIRECT_LOOP,
                                             _("Redirect loop back to %s"), fetch->current_url));
          return;
        }
    }

  fetch->current_url = g_steal_pointer (&target);
  if (response->redirects->len > fetch->options.max_redirects)
    {
      fetch_complete (task, g_error_new (AD_FETCH_ERROR, AD_FETCH_ERROR_TOO_MANY_REDIRECTS,
                                         _("More than %u redirects"),
                                         fetch->options.max_redirects));
      return;
    }

  /* The caller knows the target already (a crawler that fetched it or
   * will): the redirect is the answer. */
  if (fetch->options.follow_redirect != NULL &&
      !fetch->options.follow_redirect (fetch->current_url, fetch->options.follow_redirect_data))
    {
      fetch_complete (task, NULL);
      return;
    }

  fetch_send (task);
}

static GError *
too_large_error (Fetch *fetch)
{
  g_autofree char *limit = g_format_size_full (fetch->options.max_body_size, G_FORMAT_SIZE_IEC_UNITS);

  return g_error_new (AD_FETCH_ERROR, AD_FETCH_ERROR_TOO_LARGE,
                      _("The response is larger than the limit of %s"), limit);
}

static gboolean fetch_readable_cb (GObject *stream,
                                   gpointer user_data);

/* A body that is not kept is read into a scratch buffer and dropped. A
 * read is over when the call returns (non-blocking), so one buffer per
 * thread serves every fetch (no 64 KB allocated and freed per request,
 * which also makes malloc consolidate its heap each time). */
static GPrivate thread_scratch = G_PRIVATE_INIT (g_free);

static guint8 *
get_thread_scratch (void)
{
  guint8 *scratch = g_private_get (&thread_scratch);

  if (scratch == NULL)
    {
      scratch = g_malloc (READ_SIZE);
      g_private_set (&thread_scratch, scratch);
    }
  return scratch;
}

/* Where the next read goes, and how much room it has. */
static guint8 *
fetch_room (Fetch *fetch,
            gsize *count)
{
  if (fetch->keep)
    {
      if (fetch->data_len == fetch->data_alloc)
        {
          /* Room for the limit and one byte more is all a read needs
           * (data_len is within the limit, or the fetch would be over). */
          gsize most = fetch->options.max_body_size < G_MAXSIZE
                       ? (gsize) fetch->options.max_body_size + 1 : G_MAXSIZE;

          fetch->data_alloc = fetch->data_alloc <= most / 2 ? fetch->data_alloc * 2 : most;
          fetch->data = g_realloc (fetch->data, fetch->data_alloc);
        }
      *count = fetch->data_alloc - fetch->data_len;
      return fetch->data + fetch->data_len;
    }

  *count = READ_SIZE;
  return get_thread_scratch ();
}

/* Takes one read's outcome; TRUE when the body goes on (the fetch has
 * not ended). */
static gboolean
fetch_take_read (GTask  *task,
                 gssize  size,
                 GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);

  if (size < 0)
    {
      fetch_complete (task, error);
      return FALSE;
    }

  if (size == 0)
    {
      /* The end of this body (its connection is back in the pool). */
      if (fetch->redirecting)
        fetch_follow_redirect (task);
      else
        fetch_complete (task, NULL);
      return FALSE;
    }

  fetch->response->size += size;
  if (fetch->response->size > fetch->options.max_body_size)
    {
      fetch_complete (task, too_large_error (fetch));
      return FALSE;
    }
  if (fetch->keep)
    fetch->data_len += size;
  return TRUE;
}

/* Reads what the body has (takes @task): what has arrived is read at
 * once, in a loop, and only a read that would block waits for the
 * socket, so a page costs one main-loop iteration per time its bytes
 * arrive. */
static void
fetch_read_next (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  for (;;)
    {
      GError *error = NULL;
      guint8 *buffer;
      gsize count;
      gssize size;

      buffer = fetch_room (fetch, &count);
      size = ad_http_exchange_read (fetch->exchange, buffer, count, fetch->cancellable, &error);
      if (size < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_autoptr(GSource) source = NULL;

          g_clear_error (&error);
          source = ad_http_exchange_create_source (fetch->exchange, fetch->cancellable);
          g_source_set_name (source, "[async-demo] fetch body");
          g_source_set_callback (source, G_SOURCE_FUNC (fetch_readable_cb), task,
                                 g_object_unref);
          g_source_attach (source, g_task_get_context (task));
          return;
        }
      if (!fetch_take_read (task, size, error))
        {
          g_object_unref (task);
          return;
        }
    }
}

/* The socket has more of the body (or the fetch was cancelled: the read
 * says so). The source holds @user_data, the task. */
static gboolean
fetch_readable_cb (GObject  *stream,
                   gpointer  user_data)
{
  fetch_read_next (g_object_ref (G_TASK (user_data)));
  return G_SOURCE_REMOVE;
}

static void
fetch_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  AdFetchResponse *response = fetch->response;
  SoupMessageHeaders *headers;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  const char *content_type;
  goffset length;

  fetch->exchange = ad_http_client_send_finish (AD_HTTP_CLIENT (source), result, &error);
  if (fetch->exchange == NULL)
    {
      fetch_complete (task, g_steal_pointer (&error));
      return;
    }

  response->ttfb_us = g_get_monotonic_time () - fetch->started;
  response->status = ad_http_exchange_get_status (fetch->exchange);
  headers = ad_http_exchange_get_headers (fetch->exchange);

  g_clear_pointer (&response->content_type, g_free);
  g_clear_pointer (&response->charset, g_free);
  content_type = soup_message_headers_get_content_type (headers, &params);
  if (content_type != NULL)
    {
      response->content_type = g_ascii_strdown (content_type, -1);
      if (params != NULL)
        response->charset = g_strdup (g_hash_table_lookup (params, "charset"));
    }

  fetch->redirecting = SOUP_STATUS_IS_REDIRECTION (response->status) &&
                       response->status != SOUP_STATUS_NOT_MODIFIED &&
                       soup_message_headers_get_one (headers, "Location") != NULL;
  fetch->keep = !fetch->redirecting &&
                (fetch->options.keep_all ||
                 (fetch->options.keep_html && response_is_html (response)));
  response->size = 0;

  /* Refuse an announced oversize body before reading any of it. */
  length = soup_message_headers_get_content_length (headers);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (guint64) length > fetch->options.max_body_size)
    {
      fetch_complete (task, too_large_error (fetch));
      return;
    }

  if (fetch->keep)
    {
      /* The length (within the limit, checked above) and a byte for the
       * read that finds the end. */
      fetch->data_alloc = (length > 0 ? (gsize) length : READ_SIZE) + 1;
      fetch->data = g_malloc (fetch->data_alloc);
      fetch->data_len = 0;
    }

  fetch_read_next (g_steal_pointer (&task));
}

static void
fetch_send (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  g_clear_pointer (&fetch->exchange, ad_http_exchange_free);
  ad_http_client_send_async (fetch->client, fetch->current_url, fetch->cancellable,
                             fetch_sent_cb, g_object_ref (task));
}

static gboolean
fetch_timeout_cb (gpointer user_data)
{
  Fetch *fetch = user_data;

  fetch->timed_out = TRUE;
  g_cancellable_cancel (fetch->cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
parent_cancelled_cb (GCancellable *parent,
                     gpointer      user_data)
{
  GCancellable *ours = user_data;

  g_cancellable_cancel (ours);
  return G_SOURCE_REMOVE;
}

/**
 * ad_fetch_async:
 * @client: the client to send on (its main context is the caller's)
 * @url: an absolute http(s) URL
 * @options: limits for this request
 * @cancellable: (nullable): stops the request; the fetch then fails with
 *   %G_IO_ERROR_CANCELLED
 *
 * GETs @url, following redirects, and reads the body within the limits.
 */
void
ad_fetch_async (AdHttpClient         *client,
                const char           *url,
                const AdFetchOptions *options,
                GCancellable         *cancellable,
                GAsyncReadyCallback   callback,
                gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Fetch *fetch;

  g_return_if_fail (AD_IS_HTTP_CLIENT (client));
  g_return_if_fail (url != NULL);
  g_return_if_fail (options != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ad_fetch_async);
  g_task_set_name (task, "[async-demo] fetch");
  /* Cancellation is reported by fetch_complete() once the request stopped. */
  g_task_set_check_cancellable (task, FALSE);

  fetch = g_new0 (Fetch, 1);
  fetch->client = g_object_ref (client);
  fetch->options = *options;
  fetch->current_url = g_strdup (url);
  fetch->cancellable = g_cancellable_new ();
  fetch->started = g_get_monotonic_time ();
  fetch->response = g_new0 (AdFetchResponse, 1);
  fetch->response->url = g_strdup (url);
  fetch->response->redirects = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  if (cancellable != NULL)
    {
      /* A source, not a "cancelled" handler: the request stops from the
       * main loop, never inside the caller's g_cancellable_cancel(), so
       * nothing here can re-enter it (or deadlock disconnecting from it). */
      fetch->parent = g_object_ref (cancellable);
      fetch->parent_source = g_cancellable_source_new (cancellable);
      g_source_set_name (fetch->parent_source, "[async-demo] fetch cancelled");
      g_source_set_callback (fetch->parent_source, G_SOURCE_FUNC (parent_cancelled_cb),
                             g_object_ref (fetch->cancellable), g_object_unref);
      g_source_attach (fetch->parent_source, g_task_get_context (task));
    }

  if (options->timeout_ms > 0)
    {
      fetch->timeout = g_timeout_source_new (options->timeout_ms);
      g_source_set_name (fetch->timeout, "[async-demo] fetch timeout");
      g_source_set_callback (fetch->timeout, fetch_timeout_cb, fetch, NULL);
      g_source_attach (fetch->timeout, g_task_get_context (task));
    }

  fetch_send (task);
}

/**
 * ad_fetch_finish:
 *
 * Returns: (transfer full): the response, with its error if the request
 *   failed; %NULL with @error set only when the fetch was cancelled
 */
AdFetchResponse *
ad_fetch_finish (GAsyncResult  *result,
                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ad_fetch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
