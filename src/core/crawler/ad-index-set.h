/* ad-index-set.h: a set of a page's items, for dropping the repeated ones
 *
 * A page's links are deduplicated twice on the pool (the hrefs as written,
 * then the URLs they resolve to), some 300 a page: with GHashTable, growing
 * from 8 buckets and a node per entry, that was a quarter of a parse. The
 * caller knows how many items there can be, so this table is made big
 * enough at once (twice that, a power of two: open addressing with linear
 * probing never fills up) and holds only hashes and indices into the
 * caller's own array.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint hash;
  guint item;                 /* the caller's index + 1; 0: an empty slot */
} AdIndexSlot;

typedef struct
{
  AdIndexSlot *slots;
  guint        mask;
} AdIndexSet;

/* Whether the caller's item @stored is the same as @key. */
typedef gboolean (*AdIndexSetEqual) (guint          stored,
                                     gconstpointer  key,
                                     gpointer       user_data);

/* For at most @n_items items. */
static inline void
ad_index_set_init (AdIndexSet *set,
                   guint       n_items)
{
  guint size = 16;

  while (size / 2 < n_items)
    size *= 2;
  set->slots = g_new0 (AdIndexSlot, size);
  set->mask = size - 1;
}

static inline void
ad_index_set_clear (AdIndexSet *set)
{
  g_clear_pointer (&set->slots, g_free);
}

/* Adds @key (of hash @hash) as the caller's item @item; FALSE when an item
 * equal to it is there already (and nothing is added). */
static inline gboolean
ad_index_set_add (AdIndexSet      *set,
                  guint            hash,
                  gconstpointer    key,
                  guint            item,
                  AdIndexSetEqual  equal,
                  gpointer         user_data)
{
  for (guint i = hash & set->mask;; i = (i + 1) & set->mask)
    {
      AdIndexSlot *slot = &set->slots[i];

      if (slot->item == 0)
        {
          slot->hash = hash;
          slot->item = item + 1;
          return TRUE;
        }
      if (slot->hash == hash && equal (slot->item - 1, key, user_data))
        return FALSE;
    }
}

G_END_DECLS
