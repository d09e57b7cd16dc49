/* ad-thread.c: which thread is this? Thread identity and thread-safe small helpers
 *
 * The main thread is the one that called ad_thread_init_main() (through
 * ad_core_init()): the thread that runs the default main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Core"

#include "config.h"

#include <pthread.h>

#include "ad-thread.h"
#include "ad-tsan.h"

static GThread *main_thread;

/**
 * ad_thread_init_main:
 *
 * Remembers the calling thread as the main thread. Called once, by
 * ad_core_init().
 */
void
ad_thread_init_main (void)
{
  main_thread = g_thread_self ();
}

gboolean
ad_core_is_main_thread (void)
{
  return main_thread != NULL && g_thread_self () == main_thread;
}

/**
 * ad_intern_string:
 * @string: (nullable): a string
 *
 * g_intern_string(), serialised by a lock that ThreadSanitizer can see:
 * GLib's own lock is invisible to it in an uninstrumented GLib, so two
 * threads interning the same new string would look like a race.
 *
 * Returns: (nullable): the canonical copy of @string, valid forever
 */
const char *
ad_intern_string (const char *string)
{
  static GMutex mutex;
  const char *ret;

  ad_mutex_lock (&mutex);
  ret = g_intern_string (string);
  ad_mutex_unlock (&mutex);

  return ret;
}

/**
 * ad_thread_name:
 *
 * Returns: (transfer none): a short, stable name for the calling thread:
 *   "main" for the main loop's thread, otherwise the name the kernel knows
 *   it by (GLib names its pool threads "pool-N"), cached per thread.
 */
const char *
ad_thread_name (void)
{
  static GPrivate name_key = G_PRIVATE_INIT (g_free);
  char *name;

  if (ad_core_is_main_thread ())
    return "main";

  name = g_private_get (&name_key);
  if (name != NULL)
    return name;

#if HAVE_PTHREAD_GETNAME_NP
  {
    char buf[32] = { 0 };

    if (pthread_getname_np (pthread_self (), buf, sizeof buf) == 0 && buf[0] != '\0')
      name = g_strdup (buf);
  }
#endif
  if (name == NULL)
    name = g_strdup_printf ("thread-%p", (void *) g_thread_self ());

  g_private_set (&name_key, name);
  return name;
}
