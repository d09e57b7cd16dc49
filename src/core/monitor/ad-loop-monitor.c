/* ad-loop-monitor.c: how late does the main loop run?
 *
 * Three parts:
 *
 *  - The heartbeat: a custom GSource whose ready time is "last beat +
 *    interval". Its dispatch measures now − ready time, which is exactly
 *    how long the loop kept it waiting, then schedules the next beat. It
 *    runs at G_PRIORITY_DEFAULT, like most of the app's callbacks, so it
 *    measures what they experience.
 *  - Idle, it rests: a loop asleep in poll() is not late. After
 *    QUIET_BEATS on-time beats in a row with nothing else waking the loop
 *    in between, the heartbeat stops scheduling itself; its check(), which
 *    GLib calls after every poll(), sees the loop wake for anything else
 *    and arms the next beat one interval later, before that wake's
 *    callbacks run. So an idle app is woken by neither the heartbeat nor
 *    the watchdog (which then waits for the beat to be armed), and a
 *    callback that blocks is still measured from its start, as before.
 *  - The watchdog: a thread that wakes every interval and compares the
 *    time with the heartbeat's next due time (an atomic). When the beat is
 *    overdue the loop is blocked now: the watchdog reads the monitored
 *    thread's dispatch marker and remembers the culprit for the stall that
 *    the heartbeat will report when the loop runs again. When the watchdog
 *    was not scheduled in time, the heartbeat falls back on the slowest
 *    traced callback since the last beat, which timed itself. In debug mode it
 *    also logs "blocked for N ms so far" while the block lasts.
 *  - The dispatch marker (base/ad-source.c): a traced callback stores its
 *    source's interned name in a thread-local slot while it runs. The
 *    heartbeat tells the watchdog the slot's address from the monitored
 *    thread; interned names never go away, so the watchdog may read them
 *    at any time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-LoopMonitor"

#define QUIET_BEATS      10       /* on time, nothing else woke the loop: rest */
#define QUIET_LATENCY_US 1000

#include "config.h"

#include "ad-debug.h"
#include "ad-loop-monitor.h"
#include "ad-source.h"
#include "ad-thread.h"
#include "ad-tsan.h"

static const gint64 bucket_limits[AD_LOOP_MONITOR_N_BUCKETS] = {
  1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000, 2000000, G_MAXINT64,
};

struct _AdLoopMonitor
{
  GObject          parent_instance;

  GMainContext    *context;
  GSource         *heartbeat;
  gboolean         running;
  gboolean         other_wake;       /* the loop woke for something else since the last beat */
  guint            quiet_beats;

  /* Guarded by mutex */
  GMutex           mutex;
  GCond            cond;
  GThread         *watchdog;
  gboolean         stopping;
  guint            interval_ms;
  guint            threshold_ms;
  gpointer        *marker;           /* the monitored thread's dispatch marker */
  const char      *blocked_in;       /* culprit seen by the watchdog */
  gint64           current_block;
  gboolean         block_logged;
  guint64          histogram[AD_LOOP_MONITOR_N_BUCKETS];
  AdLatencySample *samples;          /* ring */
  guint            samples_head;
  guint            n_ring_samples;
  guint64          n_samples;
  AdLoopStall      stalls[AD_LOOP_MONITOR_MAX_STALLS];
  guint            stalls_head;
  guint            n_ring_stalls;
  guint64          n_stalls;
  gint64           max_latency;
  gint64           next_due;         /* when the heartbeat is due */
};

G_DEFINE_FINAL_TYPE (AdLoopMonitor, ad_loop_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_INTERVAL,
  PROP_STALL_THRESHOLD,
  PROP_MAX_LATENCY,
  PROP_N_STALLS,
  N_PROPS
};

enum {
  STALL,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- the heartbeat ---------------------------------------------------- */

typedef struct
{
  GSource        source;
  AdLoopMonitor *monitor;
} Heartbeat;

static void arm_heartbeat (AdLoopMonitor *self,
                           gint64         now);

/* After every poll(): a loop woken before the beat was due (or while it
 * rests) woke for something else, whose callbacks may block: measure. */
static gboolean
heartbeat_check (GSource *source)
{
  AdLoopMonitor *self = ((Heartbeat *) source)->monitor;
  gint64 ready = g_source_get_ready_time (source);
  gint64 now;

  if (ready != -1 && ready <= g_source_get_time (source))
    return FALSE;  /* our beat is due: GLib dispatches it */

  self->other_wake = TRUE;
  if (ready == -1)
    {
      now = g_get_monotonic_time ();
      arm_heartbeat (self, now + ad_loop_monitor_get_interval (self) * (gint64) 1000);
    }

  return FALSE;
}

static gboolean
heartbeat_dispatch (GSource     *source,
                    GSourceFunc  callback,
                    gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs heartbeat_funcs = {
  .check = heartbeat_check,
  .dispatch = heartbeat_dispatch,
};

/* Monitored thread: the next beat is due at @due; the watchdog follows. */
static void
arm_heartbeat (AdLoopMonitor *self,
               gint64         due)
{
  ad_mutex_lock (&self->mutex);
  self->next_due = due;
  g_cond_signal (&self->cond);
  ad_mutex_unlock (&self->mutex);
  g_source_set_ready_time (self->heartbeat, due);
}

static guint
bucket_for (gint64 latency)
{
  guint i = 0;

  while (latency >= bucket_limits[i])
    i++;

  return i;
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  AdLoopMonitor *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 due = g_source_get_ready_time (self->heartbeat);
  gint64 latency = MAX (0, now - due);
  gboolean stalled, new_max;
  const char *culprit;
  const char *slowest;
  gint64 slowest_us;
  gint64 next;

  /* Rest after enough quiet beats (next = 0: the watchdog waits) */
  if (latency < QUIET_LATENCY_US && !self->other_wake)
    self->quiet_beats++;
  else
    self->quiet_beats = 0;
  self->other_wake = FALSE;

  ad_mutex_lock (&self->mutex);
  self->marker = ad_dispatch_get_marker ();
  next = self->quiet_beats >= QUIET_BEATS ? 0 : now + self->interval_ms * (gint64) 1000;
  self->next_due = next;

  self->histogram[bucket_for (latency)]++;
  self->samples[(self->samples_head + self->n_ring_samples) % AD_LOOP_MONITOR_MAX_SAMPLES] =
    (AdLatencySample) { now, latency };
  if (self->n_ring_samples < AD_LOOP_MONITOR_MAX_SAMPLES)
    self->n_ring_samples++;
  else
    self->samples_head = (self->samples_head + 1) % AD_LOOP_MONITOR_MAX_SAMPLES;
  self->n_samples++;

  new_max = latency > self->max_latency;
  if (new_max)
    self->max_latency = latency;

  stalled = latency >= self->threshold_ms * (gint64) 1000;
  culprit = self->blocked_in;
  /* The slowest traced callback since the last beat timed itself: it names
   * a stall that the watchdog could not see while it lasted (the watchdog
   * thread itself was not scheduled, on a loaded machine or under a
   * sanitizer). */
  slowest = ad_dispatch_take_slowest (&slowest_us);
  /* The watchdog saw nothing, but a traced callback ran for most of it. */
  if (culprit == NULL && stalled && slowest_us * 2 >= latency)
    culprit = slowest;
  self->blocked_in = NULL;
  self->current_block = 0;
  self->block_logged = FALSE;
  if (stalled)
    {
      self->stalls[(self->stalls_head + self->n_ring_stalls) % AD_LOOP_MONITOR_MAX_STALLS] =
        (AdLoopStall) { now, latency, culprit };
      if (self->n_ring_stalls < AD_LOOP_MONITOR_MAX_STALLS)
        self->n_ring_stalls++;
      else
        self->stalls_head = (self->stalls_head + 1) % AD_LOOP_MONITOR_MAX_STALLS;
      self->n_stalls++;
    }
  ad_mutex_unlock (&self->mutex);

  g_source_set_ready_time (self->heartbeat, next > 0 ? next : -1);

  if (new_max)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_LATENCY]);

  if (stalled)
    {
      if (ad_debug_get_enabled ())
        g_info ("Main loop stalled for %.1f ms in “%s”", latency / 1000.0,
                culprit ? culprit : "unknown");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STALLS]);
      g_signal_emit (self, signals[STALL], 0, latency, culprit);
    }

  return G_SOURCE_CONTINUE;
}

/* ---- the watchdog ----------------------------------------------------- */

static gpointer
watchdog_main (gpointer user_data)
{
  AdLoopMonitor *self = user_data;

  ad_mutex_lock (&self->mutex);
  while (!self->stopping)
    {
      gint64 now = g_get_monotonic_time ();
      /* While the heartbeat rests nothing can be late: wait to be told.
       * Read under the lock, before TSan is told the wait releases it. */
      gboolean resting = self->next_due == 0;
      gint64 overdue;

      AD_TSAN_RELEASE (&self->mutex);
      if (resting)
        g_cond_wait (&self->cond, &self->mutex);
      else
        g_cond_wait_until (&self->cond, &self->mutex,
                           now + self->interval_ms * G_TIME_SPAN_MILLISECOND);
      AD_TSAN_ACQUIRE (&self->mutex);
      if (self->stopping)
        break;

      now = g_get_monotonic_time ();
      overdue = self->next_due > 0 ? now - self->next_due : 0;
      if (overdue <= 0)
        {
          self->current_block = 0;
          continue;
        }

      self->current_block = overdue;
      /* The latest sample wins: the blocking callback is the one still
       * running when the loop is overdue (an earlier, short one may have
       * run at the start of the block). */
      if (self->marker != NULL)
        self->blocked_in = g_atomic_pointer_get (self->marker);
      if (!self->block_logged && overdue >= self->threshold_ms * (gint64) 1000 &&
          ad_debug_get_enabled ())
        {
          self->block_logged = TRUE;
          g_info ("Main loop blocked for %.0f ms so far, in “%s”", overdue / 1000.0,
                  self->blocked_in ? self->blocked_in : "unknown");
        }
    }
  ad_mutex_unlock (&self->mutex);

  return NULL;
}

/* ---- the object ------------------------------------------------------- */

static void
ad_loop_monitor_dispose (GObject *object)
{
  AdLoopMonitor *self = AD_LOOP_MONITOR (object);

  ad_loop_monitor_stop (self);

  G_OBJECT_CLASS (ad_loop_monitor_parent_class)->dispose (object);
}

static void
ad_loop_monitor_finalize (GObject *object)
{
  AdLoopMonitor *self = AD_LOOP_MONITOR (object);

  g_free (self->samples);
  g_main_context_unref (self->context);
  g_cond_clear (&self->cond);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ad_loop_monitor_parent_class)->finalize (object);
}

static void
ad_loop_monitor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AdLoopMonitor *self = AD_LOOP_MONITOR (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, ad_loop_monitor_get_interval (self));
      break;
    case PROP_STALL_THRESHOLD:
      g_value_set_uint (value, ad_loop_monitor_get_stall_threshold (self));
      break;
    case PROP_MAX_LATENCY:
      g_value_set_int64 (value, ad_loop_monitor_get_max_latency (self));
      break;
    case PROP_N_STALLS:
      g_value_set_uint64 (value, ad_loop_monitor_get_n_stalls (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_loop_monitor_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AdLoopMonitor *self = AD_LOOP_MONITOR (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      ad_loop_monitor_set_interval (self, g_value_get_uint (value));
      break;
    case PROP_STALL_THRESHOLD:
      ad_loop_monitor_set_stall_threshold (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_loop_monitor_class_init (AdLoopMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ad_loop_monitor_dispose;
  object_class->finalize = ad_loop_monitor_finalize;
  object_class->get_property = ad_loop_monitor_get_property;
  object_class->set_property = ad_loop_monitor_set_property;

  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 1, 10000, AD_LOOP_MONITOR_DEFAULT_INTERVAL_MS, rw);
  properties[PROP_STALL_THRESHOLD] =
    g_param_spec_uint ("stall-threshold", NULL, NULL, 1, 600000,
                       AD_LOOP_MONITOR_DEFAULT_STALL_THRESHOLD_MS, rw);
  properties[PROP_MAX_LATENCY] =
    g_param_spec_int64 ("max-latency", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_N_STALLS] =
    g_param_spec_uint64 ("n-stalls", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AdLoopMonitor::stall:
   * @monitor: the monitor
   * @duration_us: how long the loop was blocked, in microseconds
   * @culprit: (nullable): the name of the source whose callback blocked it
   *
   * Emitted on the monitored context's thread when the loop runs again
   * after a block longer than #AdLoopMonitor:stall-threshold.
   */
  signals[STALL] =
    g_signal_new ("stall", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
ad_loop_monitor_init (AdLoopMonitor *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->interval_ms = AD_LOOP_MONITOR_DEFAULT_INTERVAL_MS;
  self->threshold_ms = AD_LOOP_MONITOR_DEFAULT_STALL_THRESHOLD_MS;
  self->samples = g_new0 (AdLatencySample, AD_LOOP_MONITOR_MAX_SAMPLES);
}

/**
 * ad_loop_monitor_new:
 * @context: (nullable): the context to monitor; %NULL for the global
 *   default (the GUI's main loop)
 *
 * Creates a stopped monitor. Start and stop it on the thread that runs
 * @context.
 */
AdLoopMonitor *
ad_loop_monitor_new (GMainContext *context)
{
  AdLoopMonitor *self = g_object_new (AD_TYPE_LOOP_MONITOR, NULL);

  self->context = g_main_context_ref (context ? context : g_main_context_default ());

  return self;
}

/**
 * ad_loop_monitor_get_default:
 *
 * Returns: (transfer none): the monitor of the default main context,
 *   created stopped on first use
 */
AdLoopMonitor *
ad_loop_monitor_get_default (void)
{
  static AdLoopMonitor *monitor;

  if (g_once_init_enter (&monitor))
    g_once_init_leave (&monitor, ad_loop_monitor_new (NULL));

  return monitor;
}

void
ad_loop_monitor_start (AdLoopMonitor *self)
{
  g_return_if_fail (AD_IS_LOOP_MONITOR (self));

  if (self->running)
    return;

  ad_mutex_lock (&self->mutex);
  self->stopping = FALSE;
  self->next_due = g_get_monotonic_time () + self->interval_ms * (gint64) 1000;
  ad_mutex_unlock (&self->mutex);

  self->heartbeat = g_source_new (&heartbeat_funcs, sizeof (Heartbeat));
  ((Heartbeat *) self->heartbeat)->monitor = self;
  self->quiet_beats = 0;
  self->other_wake = FALSE;
  g_source_set_name (self->heartbeat, "[async-demo] loop monitor heartbeat");
  g_source_set_callback (self->heartbeat, heartbeat_cb, self, NULL);
  g_source_set_ready_time (self->heartbeat, self->next_due);
  g_source_attach (self->heartbeat, self->context);

  self->watchdog = g_thread_new ("ad-watchdog", watchdog_main, self);
  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
ad_loop_monitor_stop (AdLoopMonitor *self)
{
  g_return_if_fail (AD_IS_LOOP_MONITOR (self));

  if (!self->running)
    return;

  ad_mutex_lock (&self->mutex);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  ad_mutex_unlock (&self->mutex);
  g_thread_join (g_steal_pointer (&self->watchdog));

  g_source_destroy (self->heartbeat);
  g_clear_pointer (&self->heartbeat, g_source_unref);

  ad_mutex_lock (&self->mutex);
  self->next_due = 0;
  self->marker = NULL;
  self->current_block = 0;
  ad_mutex_unlock (&self->mutex);

  self->running = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
ad_loop_monitor_get_running (AdLoopMonitor *self)
{
  g_return_val_if_fail (AD_IS_LOOP_MONITOR (self), FALSE);

  return self->running;
}

guint
ad_loop_monitor_get_interval (AdLoopMonitor *self)
{
  guint ret;

  g_return_val_if_fail (AD_IS_LOOP_MONITOR (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->interval_ms;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

void
ad_loop_monitor_set_interval (AdLoopMonitor *self,
                              guint          interval_ms)
{
  gboolean changed;

  g_return_if_fail (AD_IS_LOOP_MONITOR (self));
  g_return_if_fail (interval_ms > 0);

  ad_mutex_lock (&self->mutex);
  changed = self->interval_ms != interval_ms;
  self->interval_ms = interval_ms;
  ad_mutex_unlock (&self->mutex);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

guint
ad_loop_monitor_get_stall_threshold (AdLoopMonitor *self)
{
  guint ret;

  g_return_val_if_fail (AD_IS_LOOP_MONITOR (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->threshold_ms;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

void
ad_loop_monitor_set_stall_threshold (AdLoopMonitor *self,
                                     guint          threshold_ms)
{
  gboolean changed;

  g_return_if_fail (AD_IS_LOOP_MONITOR (self));
  g_return_if_fail (threshold_ms > 0);

  ad_mutex_lock (&self->mutex);
  changed = self->threshold_ms != threshold_ms;
  self->threshold_ms = threshold_ms;
  ad_mutex_unlock (&self->mutex);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALL_THRESHOLD]);
}

/**
 * ad_loop_monitor_get_max_latency:
 *
 * Returns: the largest latency seen, in microseconds
 */
gint64
ad_loop_monitor_get_max_latency (AdLoopMonitor *self)
{
  gint64 ret;

  g_return_val_if_fail (AD_IS_LOOP_MONITOR (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->max_latency;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

guint64
ad_loop_monitor_get_n_samples (AdLoopMonitor *self)
{
  guint64 ret;

  g_return_val_if_fail (AD_IS_LOOP_MONITOR (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->n_samples;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

guint64
ad_loop_monitor_get_n_stalls (AdLoopMonitor *self)
{
  guint64 ret;

  g_return_val_if_fail (AD_IS_LOOP_MONITOR (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->n_stalls;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_loop_monitor_get_current_block:
 *
 * The watchdog's view: any thread, also while the loop is blocked.
 *
 * Returns: how long the heartbeat is overdue now, in microseconds (0 when
 *   the loop runs on time)
 */
gint64
ad_loop_monitor_get_current_block (AdLoopMonitor *self)
{
  gint64 ret;

  g_return_val_if_fail (AD_IS_LOOP_MONITOR (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->current_block;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_loop_monitor_get_histogram:
 * @counts: (out caller-allocates) (array fixed-size=12): an array of
 *   %AD_LOOP_MONITOR_N_BUCKETS counters that receives how many samples fell
 *   in each bucket; bucket i holds the latencies below
 *   ad_loop_monitor_get_bucket_limit(i) and at or above the previous limit
 */
void
ad_loop_monitor_get_histogram (AdLoopMonitor *self,
                               guint64       *counts)
{
  g_return_if_fail (AD_IS_LOOP_MONITOR (self));

  ad_mutex_lock (&self->mutex);
  memcpy (counts, self->histogram, sizeof self->histogram);
  ad_mutex_unlock (&self->mutex);
}

/**
 * ad_loop_monitor_get_bucket_limit:
 *
 * Returns: the exclusive upper bound of @bucket, in microseconds
 *   (%G_MAXINT64 for the last)
 */
gint64
ad_loop_monitor_get_bucket_limit (guint bucket)
{
  g_return_val_if_fail (bucket < AD_LOOP_MONITOR_N_BUCKETS, G_MAXINT64);

  return bucket_limits[bucket];
}

/**
 * ad_loop_monitor_get_samples:
 *
 * Returns: (transfer full) (element-type AdLatencySample): the most recent
 *   samples, oldest first
 */
GArray *
ad_loop_monitor_get_samples (AdLoopMonitor *self)
{
  GArray *ret;

  g_return_val_if_fail (AD_IS_LOOP_MONITOR (self), NULL);

  ad_mutex_lock (&self->mutex);
  ret = g_array_sized_new (FALSE, FALSE, sizeof (AdLatencySample), self->n_ring_samples);
  for (guint i = 0; i < self->n_ring_samples; i++)
    g_array_append_val (ret,
                        self->samples[(self->samples_head + i) % AD_LOOP_MONITOR_MAX_SAMPLES]);
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_loop_monitor_get_stalls:
 *
 * Returns: (transfer full) (element-type AdLoopStall): the most recent
 *   stalls, oldest first
 */
GArray *
ad_loop_monitor_get_stalls (AdLoopMonitor *self)
{
  GArray *ret;

  g_return_val_if_fail (AD_IS_LOOP_MONITOR (self), NULL);

  ad_mutex_lock (&self->mutex);
  ret = g_array_sized_new (FALSE, FALSE, sizeof (AdLoopStall), self->n_ring_stalls);
  for (guint i = 0; i < self->n_ring_stalls; i++)
    g_array_append_val (ret, self->stalls[(self->stalls_head + i) % AD_LOOP_MONITOR_MAX_STALLS]);
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_loop_monitor_reset:
 *
 * Forgets the samples, the histogram, the maximum and the stalls.
 */
void
ad_loop_monitor_reset (AdLoopMonitor *self)
{
  g_return_if_fail (AD_IS_LOOP_MONITOR (self));

  ad_mutex_lock (&self->mutex);
  memset (self->histogram, 0, sizeof self->histogram);
  self->samples_head = self->n_ring_samples = 0;
  self->stalls_head = self->n_ring_stalls = 0;
  self->n_samples = self->n_stalls = 0;
  self->max_latency = 0;
  ad_mutex_unlock (&self->mutex);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_LATENCY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STALLS]);
}
