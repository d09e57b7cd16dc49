/* ad-weak-ref.c: a weak reference in a box, for a callback's user data
 *
 * See ad-weak-ref.h for the pattern it serves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-weak-ref.h"

/**
 * ad_weak_ref_new:
 * @object: (type GObject): the object the callback will want back
 *
 * Returns: (transfer full): a boxed weak reference to @object, for
 *   ad_weak_ref_steal() to free exactly once
 */
GWeakRef *
ad_weak_ref_new (gpointer object)
{
  GWeakRef *weak;

  g_return_val_if_fail (G_IS_OBJECT (object), NULL);

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, object);

  return weak;
}

/**
 * ad_weak_ref_steal:
 * @weak: (transfer full): a weak reference from ad_weak_ref_new()
 *
 * Frees @weak and returns what it pointed to, if that still lives.
 *
 * Returns: (transfer full) (nullable) (type GObject): a strong reference,
 *   or %NULL when the object is gone
 */
gpointer
ad_weak_ref_steal (GWeakRef *weak)
{
  gpointer object;

  g_return_val_if_fail (weak != NULL, NULL);

  object = g_weak_ref_get (weak);
  g_weak_ref_clear (weak);
  g_free (weak);

  return object;
}
