/* ad-frame-list.c: a list model that follows another at most once a frame
 *
 * GtkListView and GtkColumnView (GTK 4.8) handle each items-changed of
 * their model at once: the rows of removed items are torn down and the
 * rows that slide into view are made and bound, before the next change
 * is even announced. When the 100 clients of the Chat page's server all
 * closed their sockets together, the server's clients model emitted 100
 * removals in one main-loop iteration and the clients table spent about
 * 80 ms on them, none of it in a frame (bench-window, "chat 100 leave").
 *
 * AdFrameList holds its own copy of the source model's items and, when
 * the source changes while the widget showing it is mapped, catches up
 * on the widget's next frame with one items-changed: the items both
 * lists start and end with stay, the run between them is replaced. A
 * hundred removals then cost one removal of a hundred rows, and a crowd
 * joining one item. Items keep the source's order; only intermediate
 * states within a frame are skipped. While the widget is not mapped
 * (nothing to draw, no rows to make) or is gone, it follows at once.
 *
 * One removal of a hundred rows still cost the clients table 14-15 ms of
 * layout in one frame (GTK 4.8 tears down every removed row's cells), so
 * a frame's catch-up can be bounded (ad_frame_list_set_max_changes()): a
 * longer run is caught up over several frames, removals first (from the
 * end of the removed run), then insertions, each state in between still
 * the source's items in the source's order.
 *
 * Everything happens on the thread of the widget's main context; the
 * widget is held weakly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include "ad-frame-list.h"

struct _AdFrameList
{
  GObject     parent_instance;

  GListModel *source;
  GPtrArray  *items;    /* the copy this model reports (refs) */
  GtkWidget  *widget;   /* weak */
  guint       tick_id;
  guint       max_changes;  /* rows removed or added in one frame; 0: all */
  guint64     n_syncs;  /* changes announced: for tests */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AdFrameList, ad_frame_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
ad_frame_list_get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (AD_FRAME_LIST (model)->source);
}

static guint
ad_frame_list_get_n_items (GListModel *model)
{
  return AD_FRAME_LIST (model)->items->len;
}

static gpointer
ad_frame_list_get_item (GListModel *model,
                        guint       position)
{
  AdFrameList *self = AD_FRAME_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ad_frame_list_get_item_type;
  iface->get_n_items = ad_frame_list_get_n_items;
  iface->get_item = ad_frame_list_get_item;
}

static void
stop_ticking (AdFrameList *self)
{
  if (self->tick_id != 0 && self->widget != NULL)
    gtk_widget_remove_tick_callback (self->widget, self->tick_id);
  self->tick_id = 0;
}

/* Catches up with the source, or by at most @max rows removed or added
 * (0: all), in one items-changed. Returns TRUE if it is still behind. */
static gboolean
step (AdFrameList *self,
      guint        max)
{
  guint n_old, n_new, prefix = 0, suffix = 0, removed, added;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GPtrArray) gone = NULL;
  GPtrArray *old;

  n_old = self->items->len;
  n_new = g_list_model_get_n_items (self->source);
  fresh = g_ptr_array_new_full (n_new, g_object_unref);
  for (guint i = 0; i < n_new; i++)
    g_ptr_array_add (fresh, g_list_model_get_item (self->source, i));

  while (prefix < n_old && prefix < n_new &&
         g_ptr_array_index (self->items, prefix) == g_ptr_array_index (fresh, prefix))
    prefix++;
  while (suffix < n_old - prefix && suffix < n_new - prefix &&
         g_ptr_array_index (self->items, n_old - 1 - suffix) ==
         g_ptr_array_index (fresh, n_new - 1 - suffix))
    suffix++;

  removed = n_old - prefix - suffix;
  added = n_new - prefix - suffix;
  if (removed == 0 && added == 0)
    return FALSE;

  self->n_syncs++;
  if (max == 0 || removed + added <= max)
    {
      /* The source's list becomes ours; the old one goes after the
       * emission, so no item dies while a view still looks at it. */
      old = g_steal_pointer (&self->items);
      self->items = g_steal_pointer (&fresh);
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
      g_ptr_array_unref (old);
      return FALSE;
    }

  if (removed > 0)
    {
      guint n = MIN (removed, max);

      /* Unreffed after the emission, as above. */
      gone = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = prefix + removed - n; i < prefix + removed; i++)
        g_ptr_array_add (gone, g_object_ref (g_ptr_array_index (self->items, i)));
      g_ptr_array_remove_range (self->items, prefix + removed - n, n);
      g_list_model_items_changed (G_LIST_MODEL (self), prefix + removed - n, n, 0);
    }
  else
    {
      guint n = MIN (added, max);

      for (guint i = 0; i < n; i++)
        g_ptr_array_insert (self->items, prefix + i,
                            g_object_ref (g_ptr_array_index (fresh, prefix + i)));
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, 0, n);
    }

  return TRUE;
}

/**
 * ad_frame_list_sync:
 *
 * Catches up with the source now, in one items-changed if anything
 * changed, whatever the bound on changes a frame.
 */
void
ad_frame_list_sync (AdFrameList *self)
{
  g_return_if_fail (AD_IS_FRAME_LIST (self));

  stop_ticking (self);
  step (self, 0);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  AdFrameList *self = user_data;

  if (step (self, self->max_changes))
    return G_SOURCE_CONTINUE;

  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
source_changed_cb (GListModel  *source,
                   guint        position,
                   guint        removed,
                   guint        added,
                   AdFrameList *self)
{
  if (self->widget == NULL || !gtk_widget_get_mapped (self->widget))
    ad_frame_list_sync (self);
  else if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (self->widget, tick_cb, self, NULL);
}

/* An unmapped widget's frame clock may stop: catch up now. */
static void
widget_unmapped_cb (GtkWidget   *widget,
                    AdFrameList *self)
{
  if (self->tick_id != 0)
    ad_frame_list_sync (self);
}

static void
ad_frame_list_dispose (GObject *object)
{
  AdFrameList *self = AD_FRAME_LIST (object);

  stop_ticking (self);
  if (self->widget != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->widget, self);
      g_object_remove_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
      self->widget = NULL;
    }
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);

  G_OBJECT_CLASS (ad_frame_list_parent_class)->dispose (object);
}

static void
ad_frame_list_finalize (GObject *object)
{
  AdFrameList *self = AD_FRAME_LIST (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (ad_frame_list_parent_class)->finalize (object);
}

static void
ad_frame_list_class_init (AdFrameListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ad_frame_list_dispose;
  object_class->finalize = ad_frame_list_finalize;
}

static void
ad_frame_list_init (AdFrameList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * ad_frame_list_new:
 * @source: (transfer full): the model to follow
 * @widget: the widget that shows this model (or a model over it): its
 *   frames pace the changes
 *
 * Returns: (transfer full): a model with the source's items, which
 *   catches up with the source at most once a frame of @widget
 */
AdFrameList *
ad_frame_list_new (GListModel *source,
                   GtkWidget  *widget)
{
  AdFrameList *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (AD_TYPE_FRAME_LIST, NULL);
  self->source = source;
  self->widget = widget;
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->widget);
  g_signal_connect (widget, "unmap", G_CALLBACK (widget_unmapped_cb), self);
  g_signal_connect (source, "items-changed", G_CALLBACK (source_changed_cb), self);
  ad_frame_list_sync (self);
  self->n_syncs = 0;

  return self;
}

/**
 * ad_frame_list_set_max_changes:
 * @max_changes: the most rows one frame's catch-up removes or adds; 0 for
 *   no bound (the default)
 *
 * Bounds the work a frame's catch-up gives the view. A change to the
 * source larger than this is caught up over several frames. A widget
 * that is not mapped is still caught up at once.
 */
void
ad_frame_list_set_max_changes (AdFrameList *self,
                               guint        max_changes)
{
  g_return_if_fail (AD_IS_FRAME_LIST (self));

  self->max_changes = max_changes;
}

/**
 * ad_frame_list_get_n_syncs:
 *
 * Returns: how many items-changed the model emitted (not counting the
 *   initial copy): one per frame with changes at most
 */
guint64
ad_frame_list_get_n_syncs (AdFrameList *self)
{
  g_return_val_if_fail (AD_IS_FRAME_LIST (self), 0);

  return self->n_syncs;
}
