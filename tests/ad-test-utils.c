/* ad-test-utils.c: helpers shared by the test suites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-test-utils.h"

static gboolean
timeout_cb (gpointer data)
{
  gboolean *flag = data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* A timer on @context that sets *@flag after @msec. */
static GSource *
flag_timeout_new (GMainContext *context,
                  guint         msec,
                  gboolean     *flag,
                  const char   *name)
{
  GSource *source = g_timeout_source_new (msec);

  g_source_set_name (source, name);
  g_source_set_callback (source, timeout_cb, flag, NULL);
  g_source_attach (source, context);

  return source;
}

void
ad_test_wait_for_impl (const gboolean *flag,
                       guint           timeout_ms,
                       const char     *expr,
                       const char     *file,
                       int             line)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean timed_out = FALSE;
  GSource *source = flag_timeout_new (context, timeout_ms, &timed_out, "[tests] wait-for timeout");

  while (!*flag && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (source);
  g_source_unref (source);

  if (!*flag)
    {
      g_autofree char *msg = g_strdup_printf ("%s:%d: timed out after %u ms waiting for %s",
                                              file, line, timeout_ms, expr);
      g_assertion_message (G_LOG_DOMAIN, file, line, G_STRFUNC, msg);
    }
}

void
ad_test_spin (guint msec)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean done = FALSE;
  GSource *source = flag_timeout_new (context, msec, &done, "[tests] spin");

  while (!done)
    g_main_context_iteration (context, TRUE);

  g_source_unref (source);
}

void
ad_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
result_ready (GAsyncResult **slot)
{
  return *slot != NULL;
}

GAsyncResult *
ad_test_wait_result (GAsyncResult **slot,
                     guint          timeout_ms)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  while (!result_ready (slot))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %u ms waiting for an async result", timeout_ms);
      g_main_context_iteration (context, FALSE);
      if (!result_ready (slot))
        g_usleep (500);
    }

  return *slot;
}
