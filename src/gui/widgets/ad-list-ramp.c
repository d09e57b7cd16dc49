/* ad-list-ramp.c: lets a list view's model grow a few rows a frame
 *
 * GtkListView and GtkColumnView (GTK 4.8) make row widgets for up to 200
 * items around the visible ones. When a model goes from empty to hundreds
 * of items in one change (the first batch of a crawl, the inspector's
 * first look at a busy registry), all of those rows are made, styled and
 * bound in one frame: 100-200 ms on the main loop for a view with several
 * columns, long enough to see and to trip the loop monitor.
 *
 * AdListRamp puts a GtkSliceListModel between the model and the view and
 * grows it by RAMP_ROWS_PER_FRAME rows on each frame of the view until it
 * passes RAMP_FULL_ROWS (the view is full by then), after which the slice
 * shows everything and costs nothing. When the model is emptied (a new
 * run) the ramp starts again. A view that is not mapped makes no rows, so
 * the ramp waits for it to be mapped again (a hidden window's frame clock
 * may still tick, so this is checked, not assumed).
 *
 * Positions in the ramp's model are the same as in the wrapped model (the
 * slice starts at 0), so selections and "scroll to" need no translation.
 * The view is held weakly: a ramp outliving its view just stops.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include "ad-list-ramp.h"

/* Four rows a frame: in bench-inspector (a six-column tree under 10,000
 * tasks a second) 16 rows still made 17-28 ms frames and 8 rows 13-18 ms;
 * 4 rows keep every frame under 16 ms, and a screenful still fills in
 * about a tenth of a second. */
#define RAMP_ROWS_PER_FRAME 4
#define RAMP_FULL_ROWS      256

struct _AdListRamp
{
  GObject            parent_instance;

  GListModel        *model;
  GtkSliceListModel *slice;
  GtkWidget         *view;    /* weak */
  guint              tick_id;
};

G_DEFINE_FINAL_TYPE (AdListRamp, ad_list_ramp, G_TYPE_OBJECT)

static void
stop_ticking (AdListRamp *self)
{
  if (self->tick_id != 0 && self->view != NULL)
    gtk_widget_remove_tick_callback (self->view, self->tick_id);
  self->tick_id = 0;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  AdListRamp *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->slice);

  if (size >= g_list_model_get_n_items (self->model) || !gtk_widget_get_mapped (widget))
    {
      /* Caught up, or hidden: maybe_start() ticks again on more rows or
       * when the view is mapped. */
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  size += RAMP_ROWS_PER_FRAME;
  gtk_slice_list_model_set_size (self->slice, size >= RAMP_FULL_ROWS ? G_MAXUINT : size);
  if (size >= RAMP_FULL_ROWS)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
maybe_start (AdListRamp *self)
{
  if (self->tick_id == 0 && self->view != NULL && gtk_widget_get_mapped (self->view) &&
      gtk_slice_list_model_get_size (self->slice) < g_list_model_get_n_items (self->model))
    self->tick_id = gtk_widget_add_tick_callback (self->view, tick_cb, self, NULL);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  AdListRamp *self)
{
  if (g_list_model_get_n_items (model) == 0)
    {
      /* Emptied: the next rows ramp up again. */
      stop_ticking (self);
      gtk_slice_list_model_set_size (self->slice, 0);
    }
  else
    {
      maybe_start (self);
    }
}

static void
ad_list_ramp_dispose (GObject *object)
{
  AdListRamp *self = AD_LIST_RAMP (object);

  stop_ticking (self);
  if (self->view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->view, self);
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
      self->view = NULL;
    }
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);

  G_OBJECT_CLASS (ad_list_ramp_parent_class)->dispose (object);
}

static void
ad_list_ramp_finalize (GObject *object)
{
  AdListRamp *self = AD_LIST_RAMP (object);

  g_clear_object (&self->slice);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (ad_list_ramp_parent_class)->finalize (object);
}

static void
ad_list_ramp_class_init (AdListRampClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ad_list_ramp_dispose;
  object_class->finalize = ad_list_ramp_finalize;
}

static void
ad_list_ramp_init (AdListRamp *self)
{
}

/**
 * ad_list_ramp_new:
 * @model: (transfer full): the model to show
 * @view: the widget whose frames pace the ramp (the list or column view)
 *
 * Returns: (transfer full): a ramp; give ad_list_ramp_get_model() to the
 *   view (through its selection model) and keep the ramp as long as the view
 */
AdListRamp *
ad_list_ramp_new (GListModel *model,
                  GtkWidget  *view)
{
  AdListRamp *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (view), NULL);

  self = g_object_new (AD_TYPE_LIST_RAMP, NULL);
  self->model = model;
  self->slice = gtk_slice_list_model_new (g_object_ref (model), 0, 0);
  self->view = view;
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), self);
  g_signal_connect_swapped (view, "map", G_CALLBACK (maybe_start), self);
  maybe_start (self);

  return self;
}

/**
 * ad_list_ramp_get_model:
 *
 * Returns: (transfer none): the model to show in the view
 */
GListModel *
ad_list_ramp_get_model (AdListRamp *self)
{
  g_return_val_if_fail (AD_IS_LIST_RAMP (self), NULL);

  return G_LIST_MODEL (self->slice);
}

/**
 * ad_list_ramp_show_all:
 *
 * Ends the ramp: the model shows every item now. For a position that must
 * be in the view at once (a row selected from elsewhere); the rows are
 * made in the next frame, as without a ramp.
 */
void
ad_list_ramp_show_all (AdListRamp *self)
{
  g_return_if_fail (AD_IS_LIST_RAMP (self));

  stop_ticking (self);
  if (gtk_slice_list_model_get_size (self->slice) < g_list_model_get_n_items (self->model))
    gtk_slice_list_model_set_size (self->slice, G_MAXUINT);
}
