/* ad-tsan.h: telling ThreadSanitizer about synchronisation it cannot see
 *
 * Debian's GLib is not built with -fsanitize=thread. GMutex on Linux is a
 * futex, not a pthread mutex, and the hand-off of a GTask's result from a
 * pool thread to the callback on the main loop goes through GLib's own
 * locks: TSan sees neither, and would report every access ordered by them
 * as a race. Rather than suppressing reports (which would also hide real
 * races whose stacks pass through GLib), the few places where the core
 * hands data between threads say so here, once:
 *
 *  - ad_mutex_lock()/ad_mutex_unlock() wrap GMutex and annotate the
 *    acquire/release on the mutex's address;
 *  - AD_TSAN_RELEASE()/AD_TSAN_ACQUIRE() mark a hand-off through GLib (a
 *    GTask result, an idle, a GAsyncQueue): release on the sending side
 *    just before handing over, acquire on the receiving side.
 *
 * Without TSan all of this compiles to plain GMutex calls and nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#if defined(__SANITIZE_THREAD__)
# define AD_HAVE_TSAN 1
#elif defined(__has_feature)
# if __has_feature(thread_sanitizer)
#  define AD_HAVE_TSAN 1
# endif
#endif

#ifdef AD_HAVE_TSAN
void __tsan_acquire (void *addr);
void __tsan_release (void *addr);
# define AD_TSAN_ACQUIRE(addr) __tsan_acquire ((void *) (addr))
# define AD_TSAN_RELEASE(addr) __tsan_release ((void *) (addr))
#else
# define AD_TSAN_ACQUIRE(addr) G_STMT_START { (void) (addr); } G_STMT_END
# define AD_TSAN_RELEASE(addr) G_STMT_START { (void) (addr); } G_STMT_END
#endif

G_BEGIN_DECLS

static inline void
ad_mutex_lock (GMutex *mutex)
{
  g_mutex_lock (mutex);
  AD_TSAN_ACQUIRE (mutex);
}

static inline void
ad_mutex_unlock (GMutex *mutex)
{
  AD_TSAN_RELEASE (mutex);
  g_mutex_unlock (mutex);
}

G_END_DECLS
