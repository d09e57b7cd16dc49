/* ad-context-pump.c: run one main context inside another, at a chosen priority
 *
 * The pump is a GSource of the outer context (the window's) that does for
 * the inner context what g_main_context_iteration() would: prepare, poll
 * (the inner file descriptors join the outer poll), check, dispatch. So
 * everything attached to the inner context runs on the outer loop's
 * thread, in one dispatch at the pump's priority, whatever priorities the
 * inner sources have among themselves. The Crawler page runs its crawl so,
 * below GDK's redraw: the hundreds of socket and parse callbacks a second
 * of a crawl no longer keep a due frame waiting, and they still run on the
 * thread that owns the results list.
 *
 * Below redraw alone, a window whose frames take longer than the refresh
 * interval would starve the inner context for good (a frame is then due at
 * every iteration: GL on a software rasterizer). The guard
 * (ad_context_pump_set_guard()) is a timer at the default priority: when
 * the pump has not dispatched for one interval or more, it runs at the
 * default priority until it has taken half as long as it waited (one
 * interval at most), then goes back. A starved inner context so gets a
 * third of the thread when it wants it (the frames get the rest, and every
 * gap).
 *
 * The pump owns (acquires) the inner context while it lives, and makes it
 * the thread-default context while it dispatches, so that what the inner
 * callbacks start (GTasks, libsoup requests) stays in it. Callers start
 * work in it the same way: g_main_context_push_thread_default() around
 * the call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <string.h>

#include "ad-context-pump.h"

typedef struct
{
  GSource       source;
  GMainContext *inner;
  int           base_priority;
  int           max_priority;   /* of the inner iteration under way */
  GPollFD      *fds;            /* the inner fds, registered with the outer context */
  int           n_fds;
  int           alloc_fds;
  GPollFD      *query;          /* what the inner context asked for this time */
  int           alloc_query;
  gboolean      checked;
  gint64        last_dispatch_us;
  gint64        boost_budget_us; /* dispatch time the boost under way still has */
  guint         boosts;
} PumpSource;

struct _AdContextPump
{
  PumpSource *pump;
  GSource    *guard;
  guint       guard_ms;
};

/* While boosted, what the pump costs the outer loop (its prepare and check
 * too, not only the dispatches) is charged to the boost. The priority goes
 * back in pump_dispatch() only: during prepare and check the outer context
 * walks its priority lists, which a change of priority rearranges. */
static void
charge_boost (PumpSource *self,
              gint64      since_us)
{
  if (g_source_get_priority (&self->source) != self->base_priority)
    self->boost_budget_us -= g_get_monotonic_time () - since_us;
}

static gboolean
fds_equal (const GPollFD *a,
           const GPollFD *b,
           int            n)
{
  for (int i = 0; i < n; i++)
    {
      if (a[i].fd != b[i].fd || a[i].events != b[i].events)
        return FALSE;
    }
  return TRUE;
}

static gboolean
pump_prepare (GSource *source,
              int     *timeout)
{
  PumpSource *self = (PumpSource *) source;
  gint64 start_us = g_get_monotonic_time ();
  int inner_timeout = -1;
  gboolean ready;
  int n;

  ready = g_main_context_prepare (self->inner, &self->max_priority);
  while ((n = g_main_context_query (self->inner, self->max_priority, &inner_timeout, self->query,
                                    self->alloc_query)) > self->alloc_query)
    {
      self->alloc_query = n;
      self->query = g_renew (GPollFD, self->query, n);
    }

  /* Registered again only when the set changed: adding a poll wakes the
   * outer context up, which would then never sleep. */
  if (n != self->n_fds || !fds_equal (self->fds, self->query, n))
    {
      /* The array may move: the outer context keeps pointers into it. */
      for (int i = 0; i < self->n_fds; i++)
        g_source_remove_poll (source, &self->fds[i]);
      if (n > self->alloc_fds)
        {
          self->alloc_fds = n;
          self->fds = g_renew (GPollFD, self->fds, n);
        }
      memcpy (self->fds, self->query, n * sizeof (GPollFD));
      self->n_fds = n;
      for (int i = 0; i < n; i++)
        g_source_add_poll (source, &self->fds[i]);
    }
  for (int i = 0; i < n; i++)
    self->fds[i].revents = 0;

  self->checked = FALSE;
  *timeout = ready ? 0 : inner_timeout;
  charge_boost (self, start_us);
  return ready;
}

static gboolean
pump_check (GSource *source)
{
  PumpSource *self = (PumpSource *) source;
  gint64 start_us = g_get_monotonic_time ();
  gboolean ready;

  self->checked = TRUE;
  ready = g_main_context_check (self->inner, self->max_priority, self->fds, self->n_fds);
  charge_boost (self, start_us);
  return ready;
}

static gboolean
pump_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  PumpSource *self = (PumpSource *) source;
  gint64 start_us;

  /* Ready from prepare: the outer context calls no check then, but the
   * inner iteration needs one before its dispatch. */
  if (!self->checked)
    g_main_context_check (self->inner, self->max_priority, self->fds, self->n_fds);
  self->checked = TRUE;

  start_us = g_get_monotonic_time ();
  g_main_context_push_thread_default (self->inner);
  g_main_context_dispatch (self->inner);
  g_main_context_pop_thread_default (self->inner);
  self->last_dispatch_us = g_get_monotonic_time ();
  charge_boost (self, start_us);
  if (g_source_get_priority (source) != self->base_priority && self->boost_budget_us <= 0)
    g_source_set_priority (source, self->base_priority);
  return G_SOURCE_CONTINUE;
}

static void
pump_finalize (GSource *source)
{
  PumpSource *self = (PumpSource *) source;

  g_free (self->fds);
  g_free (self->query);
  g_main_context_release (self->inner);
  g_main_context_unref (self->inner);
}

static GSourceFuncs pump_funcs = {
  .prepare = pump_prepare,
  .check = pump_check,
  .dispatch = pump_dispatch,
  .finalize = pump_finalize,
};

/**
 * ad_context_pump_new:
 * @inner: the context to run; the pump acquires it, so no other thread
 *   may own it
 * @outer: (nullable): the context whose loop runs it (%NULL: the global
 *   default one); the calling thread must be the one that runs @outer
 * @priority: the pump's priority in @outer
 * @name: (nullable): the pump's source name, for debuggers and profilers
 *
 * Returns: (transfer full): the pump, attached to @outer
 */
AdContextPump *
ad_context_pump_new (GMainContext *inner,
                     GMainContext *outer,
                     int           priority,
                     const char   *name)
{
  AdContextPump *self;
  PumpSource *pump;

  g_return_val_if_fail (inner != NULL, NULL);
  g_return_val_if_fail (inner != outer && inner != g_main_context_default (), NULL);

  if (!g_main_context_acquire (inner))
    {
      g_critical ("%s: the inner context is owned by another thread", G_STRFUNC);
      return NULL;
    }

  pump = (PumpSource *) g_source_new (&pump_funcs, sizeof (PumpSource));
  pump->inner = g_main_context_ref (inner);
  pump->base_priority = priority;
  pump->last_dispatch_us = g_get_monotonic_time ();
  g_source_set_priority (&pump->source, priority);
  g_source_set_name (&pump->source, name != NULL ? name : "[async-demo] context pump");
  g_source_attach (&pump->source, outer);

  self = g_new0 (AdContextPump, 1);
  self->pump = pump;
  return self;
}

static gboolean
guard_cb (gpointer data)
{
  AdContextPump *self = data;
  GSource *source = &self->pump->source;
  gint64 waited_us = g_get_monotonic_time () - self->pump->last_dispatch_us;

  if (g_source_get_priority (source) > G_PRIORITY_DEFAULT &&
      waited_us >= self->guard_ms * (gint64) 1000)
    {
      /* charge_boost() lowers it again once it has run half as long
       * (and no longer than one interval: a frame is due by then). */
      self->pump->boosts++;
      self->pump->boost_budget_us = MIN (waited_us / 2, self->guard_ms * (gint64) 1000);
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
    }
  return G_SOURCE_CONTINUE;
}

/**
 * ad_context_pump_set_guard:
 * @pump: a pump
 * @interval_ms: 0 for no guard; otherwise the longest the pump may wait
 *   behind sources of a higher priority before it runs at the default one
 *   (for half as long as it waited)
 *
 * The guard is a timer: set it while the inner context is busy, and back
 * to 0 when it rests, so that an idle window does not wake for it.
 */
void
ad_context_pump_set_guard (AdContextPump *self,
                           guint          interval_ms)
{
  g_return_if_fail (self != NULL);

  if (self->guard_ms == interval_ms)
    return;

  if (self->guard != NULL)
    {
      g_source_destroy (self->guard);
      g_clear_pointer (&self->guard, g_source_unref);
    }
  self->guard_ms = interval_ms;
  if (interval_ms == 0)
    {
      g_source_set_priority (&self->pump->source, self->pump->base_priority);
      return;
    }

  /* Counted from now: time spent unguarded is no starvation. */
  self->pump->last_dispatch_us = g_get_monotonic_time ();
  self->guard = g_timeout_source_new (interval_ms);
  g_source_set_priority (self->guard, G_PRIORITY_DEFAULT);
  g_source_set_static_name (self->guard, "[async-demo] context pump guard");
  g_source_set_callback (self->guard, guard_cb, self, NULL);
  g_source_attach (self->guard, g_source_get_context (&self->pump->source));
}

/**
 * ad_context_pump_get_boosts:
 *
 * Returns: how many times the guard moved the pump to the default priority
 */
guint
ad_context_pump_get_boosts (AdContextPump *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->pump->boosts;
}

/**
 * ad_context_pump_get_inner:
 *
 * Returns: (transfer none): the context the pump runs
 */
GMainContext *
ad_context_pump_get_inner (AdContextPump *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->pump->inner;
}

/**
 * ad_context_pump_free:
 *
 * Detaches the pump and releases the inner context, whose sources stay
 * attached to it (and run no more unless something else iterates it).
 */
void
ad_context_pump_free (AdContextPump *self)
{
  GSource *source;

  if (self == NULL)
    return;

  ad_context_pump_set_guard (self, 0);
  source = (GSource *) self->pump;
  g_free (self);
  g_source_destroy (source);
  g_source_unref (source);
}
