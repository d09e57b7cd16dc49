/* ad-source.h: named sources whose callbacks say what runs
 *
 * A stall names its culprit when the blocking callback was installed
 * through these helpers (see ad-source.c and monitor/ad-loop-monitor.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void         ad_source_set_callback_traced (GSource        *source,
                                            GSourceFunc     func,
                                            gpointer        data,
                                            GDestroyNotify  destroy);
guint        ad_idle_add_named             (int             priority,
                                            const char     *name,
                                            GSourceFunc     func,
                                            gpointer        data,
                                            GDestroyNotify  destroy);
guint        ad_timeout_add_named          (int             priority,
                                            guint           interval_ms,
                                            const char     *name,
                                            GSourceFunc     func,
                                            gpointer        data,
                                            GDestroyNotify  destroy);
void         ad_source_clear_id            (guint          *id);
const char  *ad_dispatch_enter             (const char     *name);
void         ad_dispatch_leave             (const char     *previous);

/* For the loop monitor */
gpointer    *ad_dispatch_get_marker        (void);
const char  *ad_dispatch_take_slowest      (gint64         *duration_us);

G_END_DECLS
