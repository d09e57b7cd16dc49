/* ad-task-list.c: a plain GListModel of AdTask, changed in batches
 *
 * GListStore would do for appending, but removing the tasks that finished
 * in one publish from a list of thousands would cost a search per task.
 * Here one pass compacts the array and emits one items-changed per
 * contiguous run of removed items, from the end so positions stay valid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Tasks"

#include "config.h"

#include "ad-task.h"
#include "ad-task-list.h"

struct _AdTaskList
{
  GObject    parent_instance;
  GPtrArray *items;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AdTaskList, ad_task_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
ad_task_list_get_item_type (GListModel *model)
{
  return AD_TYPE_TASK;
}

static guint
ad_task_list_get_n_items (GListModel *model)
{
  return AD_TASK_LIST (model)->items->len;
}

static gpointer
ad_task_list_get_item (GListModel *model,
                       guint       position)
{
  AdTaskList *self = AD_TASK_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ad_task_list_get_item_type;
  iface->get_n_items = ad_task_list_get_n_items;
  iface->get_item = ad_task_list_get_item;
}

static void
ad_task_list_finalize (GObject *object)
{
  AdTaskList *self = AD_TASK_LIST (object);

  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (ad_task_list_parent_class)->finalize (object);
}

static void
ad_task_list_class_init (AdTaskListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ad_task_list_finalize;
}

static void
ad_task_list_init (AdTaskList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

AdTaskList *
ad_task_list_new (void)
{
  return g_object_new (AD_TYPE_TASK_LIST, NULL);
}

void
ad_task_list_append_many (AdTaskList *self,
                          gpointer   *items,
                          guint       n_items)
{
  guint old_len = self->items->len;

  if (n_items == 0)
    return;

  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (self->items, g_object_ref (items[i]));

  g_list_model_items_changed (G_LIST_MODEL (self), old_len, 0, n_items);
}

void
ad_task_list_remove_if (AdTaskList          *self,
                        AdTaskListPredicate  predicate)
{
  GPtrArray *items = self->items;
  guint i = items->len;

  /* Walk backwards, removing each run of matching items at once. */
  while (i > 0)
    {
      guint end = i;

      while (i > 0 && predicate (g_ptr_array_index (items, i - 1)))
        i--;

      if (i < end)
        {
          g_ptr_array_remove_range (items, i, end - i);
          g_list_model_items_changed (G_LIST_MODEL (self), i, end - i, 0);
        }
      else
        {
          i--;
        }
    }
}

/* Removes the oldest items beyond @max_items; returns them. */
GPtrArray *
ad_task_list_trim_head (AdTaskList *self,
                        guint       max_items)
{
  GPtrArray *evicted = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  if (self->items->len <= max_items)
    return evicted;

  n = self->items->len - max_items;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (evicted, g_object_ref (g_ptr_array_index (self->items, i)));
  g_ptr_array_remove_range (self->items, 0, n);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);

  return evicted;
}

void
ad_task_list_clear (AdTaskList *self)
{
  guint n = self->items->len;

  if (n == 0)
    return;

  g_ptr_array_set_size (self->items, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

guint
ad_task_list_get_length (AdTaskList *self)
{
  return self->items->len;
}

gpointer
ad_task_list_peek (AdTaskList *self,
                   guint       position)
{
  g_return_val_if_fail (position < self->items->len, NULL);

  return g_ptr_array_index (self->items, position);
}
