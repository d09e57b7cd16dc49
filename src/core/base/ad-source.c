/* ad-source.c: named sources whose callbacks say what runs (the dispatch marker)
 *
 * ad_source_set_callback_traced() wraps a source's callback so that it
 * stores the source's (interned) name in a thread-local slot while it runs
 * and times itself. The loop monitor (monitor/ad-loop-monitor.c) reads the
 * slot from its watchdog thread to name a stall's culprit while the loop is
 * still blocked, and asks for the slowest traced callback since its last
 * heartbeat when the watchdog was not scheduled in time. In debug mode a
 * slow callback is logged here, under the loop monitor's log domain, where
 * users look for it.
 *
 * Every callback the core runs on a main loop is installed this way
 * (ad_idle_add_named(), ad_timeout_add_named()), so this sits at the bottom
 * of the core: it needs only GLib and the thread helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-LoopMonitor"

#include "config.h"

#include "ad-debug.h"
#include "ad-source.h"
#include "ad-thread.h"
#include "ad-tsan.h"

static _Thread_local gpointer dispatch_marker;

/* The slowest traced callback on this thread since the last
 * ad_dispatch_take_slowest(): written by traced_dispatch() and read by the
 * loop monitor's heartbeat, on the same thread, so it needs no lock. */
static _Thread_local const char *slowest_name;
static _Thread_local gint64 slowest_us;

/**
 * ad_dispatch_get_marker:
 *
 * Returns: the address of the calling thread's dispatch marker, which
 *   holds the interned name of the traced callback running on that thread
 *   (or NULL). Another thread may read it atomically while this thread
 *   lives.
 */
gpointer *
ad_dispatch_get_marker (void)
{
  return &dispatch_marker;
}

/**
 * ad_dispatch_take_slowest:
 * @duration_us: (out): how long it ran, 0 when none ran
 *
 * Returns the slowest traced callback that ran on the calling thread since
 * the previous call, and forgets it.
 *
 * Returns: (nullable): its interned name
 */
const char *
ad_dispatch_take_slowest (gint64 *duration_us)
{
  const char *name = slowest_name;

  *duration_us = slowest_us;
  slowest_name = NULL;
  slowest_us = 0;

  return name;
}

/**
 * ad_dispatch_enter:
 * @name: (nullable): an interned name (ad_intern_string()) of what runs now
 *
 * Marks the calling thread as running @name until ad_dispatch_leave().
 *
 * Returns: the previous mark, for ad_dispatch_leave()
 */
const char *
ad_dispatch_enter (const char *name)
{
  const char *previous = g_atomic_pointer_get (&dispatch_marker);

  g_atomic_pointer_set (&dispatch_marker, (gpointer) name);

  return previous;
}

void
ad_dispatch_leave (const char *previous)
{
  g_atomic_pointer_set (&dispatch_marker, (gpointer) previous);
}

typedef struct
{
  GSourceFunc     func;
  gpointer        data;
  GDestroyNotify  destroy;
  const char     *name;     /* interned */
} Traced;

static void
traced_free (gpointer user_data)
{
  Traced *traced = user_data;

  if (traced->destroy != NULL)
    traced->destroy (traced->data);
  g_free (traced);
}

static gboolean
traced_dispatch (gpointer user_data)
{
  Traced *traced = user_data;
  gint64 start = g_get_monotonic_time ();
  const char *previous;
  gboolean ret;
  gint64 duration;

  AD_TSAN_ACQUIRE (traced);
  previous = ad_dispatch_enter (traced->name);
  ret = traced->func (traced->data);

  ad_dispatch_leave (previous);
  duration = g_get_monotonic_time () - start;
  if (duration > slowest_us)
    {
      slowest_us = duration;
      slowest_name = traced->name;
    }
  if (duration >= AD_DEBUG_SLOW_CALLBACK_MS * G_TIME_SPAN_MILLISECOND && ad_debug_get_enabled ())
    g_info ("Slow callback: “%s” ran for %.1f ms", traced->name, duration / 1000.0);

  return ret;
}

/**
 * ad_source_set_callback_traced:
 * @source: a source, already named with g_source_set_name()
 *
 * Like g_source_set_callback(), but while @func runs the source's name is
 * the thread's dispatch marker, so the loop monitor can name it as a
 * stall's culprit, and slow runs are logged in debug mode.
 */
void
ad_source_set_callback_traced (GSource        *source,
                               GSourceFunc     func,
                               gpointer        data,
                               GDestroyNotify  destroy)
{
  Traced *traced;
  const char *name;

  g_return_if_fail (source != NULL);
  g_return_if_fail (func != NULL);

  name = g_source_get_name (source);
  traced = g_new0 (Traced, 1);
  traced->func = func;
  traced->data = data;
  traced->destroy = destroy;
  traced->name = ad_intern_string (name ? name : "(unnamed source)");
  /* The source may be attached here and dispatched on another thread. */
  AD_TSAN_RELEASE (traced);

  g_source_set_callback (source, traced_dispatch, traced, traced_free);
}

static guint
attach_named (GSource        *source,
              int             priority,
              const char     *name,
              GSourceFunc     func,
              gpointer        data,
              GDestroyNotify  destroy)
{
  guint id;

  g_source_set_priority (source, priority);
  g_source_set_name (source, name);
  ad_source_set_callback_traced (source, func, data, destroy);
  id = g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);

  return id;
}

/**
 * ad_idle_add_named:
 *
 * g_idle_add_full() on the thread-default main context, with a name and
 * a traced callback.
 *
 * Returns: the source id
 */
guint
ad_idle_add_named (int             priority,
                   const char     *name,
                   GSourceFunc     func,
                   gpointer        data,
                   GDestroyNotify  destroy)
{
  return attach_named (g_idle_source_new (), priority, name, func, data, destroy);
}

/**
 * ad_timeout_add_named:
 *
 * g_timeout_add_full() on the thread-default main context, with a name
 * and a traced callback.
 *
 * Returns: the source id
 */
guint
ad_timeout_add_named (int             priority,
                      guint           interval_ms,
                      const char     *name,
                      GSourceFunc     func,
                      gpointer        data,
                      GDestroyNotify  destroy)
{
  return attach_named (g_timeout_source_new (interval_ms), priority, name, func, data, destroy);
}

/**
 * ad_source_clear_id:
 * @id: (inout): the id of a source of the thread-default main context
 *   (where ad_idle_add_named() and ad_timeout_add_named() attach), or 0
 *
 * g_clear_handle_id (@id, g_source_remove) for such a source:
 * g_source_remove() looks in the global default context only, and ids
 * are numbered per context, so there the id of a source of another
 * context names some other source, or none.
 */
void
ad_source_clear_id (guint *id)
{
  GSource *source;

  if (*id == 0)
    return;

  source = g_main_context_find_source_by_id (g_main_context_get_thread_default (), *id);
  if (source != NULL)
    g_source_destroy (source);
  else
    g_critical ("%s: no source %u in the thread-default main context", G_STRFUNC, *id);
  *id = 0;
}
