/* ad-thread.c: which thread is this? Thread identity and thread-safe small helpers
 *
 * The main thread is the one that called ad_thread_init_main() (through
 * ad_core_init()): the thread that runs the default main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Core"

#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

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
 * ad_thread_lower_priority:
 * @increment: how much to raise the nice value by (1 to 19)
 *
 * Lowers the scheduling priority of the calling thread only, relative to
 * what it is now: on Linux the nice value belongs to each thread (a
 * task), so setpriority() on the thread's own id leaves the other threads
 * of the process, the main thread first, as they were. Lowering needs no
 * privilege. Elsewhere, where nice is per process, it does nothing.
 *
 * Returns: %TRUE if the priority was lowered
 */
gboolean
ad_thread_lower_priority (int increment)
{
#ifdef __linux__
  pid_t tid = (pid_t) syscall (SYS_gettid);
  int now;

  g_return_val_if_fail (increment > 0, FALSE);

  errno = 0;
  now = getpriority (PRIO_PROCESS, (id_t) tid);
  if (errno != 0)
    return FALSE;

  return setpriority (PRIO_PROCESS, (id_t) tid, MIN (now + increment, 19)) == 0;
#else
  return FALSE;
#endif
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
