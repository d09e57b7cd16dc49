/* ad-context-pump.h: run one main context inside another, at a chosen priority
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AdContextPump AdContextPump;

AdContextPump *ad_context_pump_new         (GMainContext  *inner,
                                            GMainContext  *outer,
                                            int            priority,
                                            const char    *name);
void           ad_context_pump_free        (AdContextPump *pump);
GMainContext  *ad_context_pump_get_inner   (AdContextPump *pump);
void           ad_context_pump_set_guard   (AdContextPump *pump,
                                            guint          interval_ms);
guint          ad_context_pump_get_boosts  (AdContextPump *pump);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdContextPump, ad_context_pump_free)

G_END_DECLS
