/* ad-weak-ref.h: the one way an async result reaches a widget
 *
 * A run started by a widget (a page, a view, a panel) must never keep it
 * alive, nor call back into it once it is gone. Every such run follows one
 * pattern (docs/HACKING.md, "Callback lifetime"):
 *
 *   1. the widget owns one GCancellable per run and cancels it in dispose;
 *   2. it passes ad_weak_ref_new (self) as the callback's user data;
 *   3. the callback starts with
 *        g_autoptr(AdFoo) self = ad_weak_ref_steal (user_data);
 *      which frees the box and returns a strong reference or NULL, and
 *      returns at once when self is NULL (the widget is gone) or the
 *      result is G_IO_ERROR_CANCELLED (cancellation is quiet).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

GWeakRef *ad_weak_ref_new   (gpointer  object);
gpointer  ad_weak_ref_steal (GWeakRef *weak);

G_END_DECLS
