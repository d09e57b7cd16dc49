/* ad-debug.c: the app's debug mode
 *
 * A process-wide flag read with one atomic load, so that checks in hot
 * paths cost nothing when it is off. The thread checks always run (they
 * are a pointer comparison) and count their failures, so tests can assert
 * them without turning warnings into aborts; they print only in debug
 * mode, with g_message: a misuse worth seeing, not a crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Debug"

#include "config.h"

#include "ad-thread.h"
#include "ad-debug.h"
#include "ad-tsan.h"

static gint debug_enabled;
static gint64 n_thread_errors;
static GMutex thread_errors_mutex;

gboolean
ad_debug_get_enabled (void)
{
  return g_atomic_int_get (&debug_enabled) != 0;
}

/**
 * ad_debug_set_enabled:
 * @enabled: whether debug mode is on
 *
 * The GUI binds its `debug-mode` setting to this; any thread.
 */
void
ad_debug_set_enabled (gboolean enabled)
{
  g_atomic_int_set (&debug_enabled, enabled ? 1 : 0);
  g_debug ("Debug mode %s", enabled ? "on" : "off");
}

/**
 * ad_debug_init_from_env:
 *
 * Turns debug mode on when ASYNC_DEMO_DEBUG is set to 1 (or "true", "yes").
 */
void
ad_debug_init_from_env (void)
{
  if (ad_debug_requested_by_env ())
    ad_debug_set_enabled (TRUE);
}

/**
 * ad_debug_requested_by_env:
 *
 * Returns: %TRUE when ASYNC_DEMO_DEBUG is 1, "true" or "yes"
 */
gboolean
ad_debug_requested_by_env (void)
{
  const char *value = g_getenv ("ASYNC_DEMO_DEBUG");

  return value != NULL && (g_str_equal (value, "1") || g_ascii_strcasecmp (value, "true") == 0 ||
                           g_ascii_strcasecmp (value, "yes") == 0);
}

/**
 * ad_debug_check_thread:
 * @owner: (nullable): the thread that owns the object, or %NULL for the
 *   main thread (the one that called ad_core_init())
 * @func: the function that was called
 *
 * Returns: %TRUE when called from the right thread
 */
gboolean
ad_debug_check_thread (GThread    *owner,
                       const char *func)
{
  gboolean ok;

  if (owner != NULL)
    ok = g_thread_self () == owner;
  else
    ok = ad_core_is_main_thread ();

  if (G_LIKELY (ok))
    return TRUE;

  ad_mutex_lock (&thread_errors_mutex);
  n_thread_errors++;
  ad_mutex_unlock (&thread_errors_mutex);

  if (ad_debug_get_enabled ())
    g_message ("%s() called from thread “%s”: it may only be called from the thread "
               "that runs its main loop", func, ad_thread_name ());

  return FALSE;
}

/**
 * ad_debug_get_n_thread_errors:
 *
 * Returns: how many wrong-thread calls ad_debug_check_thread() saw
 */
guint64
ad_debug_get_n_thread_errors (void)
{
  guint64 ret;

  ad_mutex_lock (&thread_errors_mutex);
  ret = n_thread_errors;
  ad_mutex_unlock (&thread_errors_mutex);

  return ret;
}
