/* ad-loop-monitor.h: how late does the main loop run? (asyncio debug mode)
 *
 * A heartbeat source on the monitored GMainContext is due every
 * #AdLoopMonitor:interval ms; how late it runs is the loop's latency,
 * sampled into a histogram, a bounded list of recent samples (for a graph)
 * and a maximum. A latency over #AdLoopMonitor:stall-threshold (100 ms by
 * default, as asyncio's slow_callback_duration) is a stall: it is kept in
 * a bounded list and the "stall" signal is emitted on the monitored thread
 * with its duration and culprit.
 *
 * A watchdog thread sees a stall while the loop is still blocked
 * (ad_loop_monitor_get_current_block()) and records which callback is
 * running. GLib 2.74 offers no dispatch hook and g_main_current_source()
 * only answers on the dispatching thread, so the culprit is known when the
 * blocking callback was run through ad_source_set_callback_traced(),
 * ad_idle_add_named() or ad_timeout_add_named(), which publish the
 * source's name in a per-thread marker the watchdog can read. Every
 * callback the core runs on the main loop should be installed that way;
 * an untraced culprit is reported as NULL ("unknown").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>


G_BEGIN_DECLS

#define AD_LOOP_MONITOR_DEFAULT_INTERVAL_MS        10
#define AD_LOOP_MONITOR_DEFAULT_STALL_THRESHOLD_MS 100
#define AD_LOOP_MONITOR_N_BUCKETS                  12
#define AD_LOOP_MONITOR_MAX_SAMPLES                1000
#define AD_LOOP_MONITOR_MAX_STALLS                 100

/**
 * AdLatencySample:
 * @time_us: when the heartbeat ran (g_get_monotonic_time())
 * @latency_us: how late it ran
 */
typedef struct
{
  gint64 time_us;
  gint64 latency_us;
} AdLatencySample;

/**
 * AdLoopStall:
 * @time_us: when the loop ran again
 * @duration_us: how long it was blocked (the heartbeat's latency)
 * @culprit: (nullable): the name of the source whose callback blocked it;
 *   an interned string
 */
typedef struct
{
  gint64      time_us;
  gint64      duration_us;
  const char *culprit;
} AdLoopStall;

#define AD_TYPE_LOOP_MONITOR (ad_loop_monitor_get_type ())
G_DECLARE_FINAL_TYPE (AdLoopMonitor, ad_loop_monitor, AD, LOOP_MONITOR, GObject)

AdLoopMonitor *ad_loop_monitor_get_default          (void);
AdLoopMonitor *ad_loop_monitor_new                  (GMainContext  *context);
void           ad_loop_monitor_start                (AdLoopMonitor *self);
void           ad_loop_monitor_stop                 (AdLoopMonitor *self);
gboolean       ad_loop_monitor_get_running          (AdLoopMonitor *self);
guint          ad_loop_monitor_get_interval         (AdLoopMonitor *self);
void           ad_loop_monitor_set_interval         (AdLoopMonitor *self,
                                                     guint          interval_ms);
guint          ad_loop_monitor_get_stall_threshold  (AdLoopMonitor *self);
void           ad_loop_monitor_set_stall_threshold  (AdLoopMonitor *self,
                                                     guint          threshold_ms);
gint64         ad_loop_monitor_get_max_latency      (AdLoopMonitor *self);
guint64        ad_loop_monitor_get_n_samples        (AdLoopMonitor *self);
guint64        ad_loop_monitor_get_n_stalls         (AdLoopMonitor *self);
gint64         ad_loop_monitor_get_current_block    (AdLoopMonitor *self);
void           ad_loop_monitor_get_histogram        (AdLoopMonitor *self,
                                                     guint64       *counts);
gint64         ad_loop_monitor_get_bucket_limit     (guint          bucket);
GArray        *ad_loop_monitor_get_samples          (AdLoopMonitor *self);
GArray        *ad_loop_monitor_get_stalls           (AdLoopMonitor *self);
void           ad_loop_monitor_reset                (AdLoopMonitor *self);

G_END_DECLS
