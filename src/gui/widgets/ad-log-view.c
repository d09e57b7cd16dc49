/* ad-log-view.c: a table of log records: time since start, thread, message
 *
 * Follows new records like a terminal does while the view is scrolled to
 * the bottom, and stays where it is when the user scrolls up to read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-cell-tooltip.h"
#include "ad-log-view.h"

/* Each new record is a row of three cells to make and bind: about 0.2 ms
 * on this GTK (4.8), in a publish of its own that a due frame waits for.
 * A hundred chat clients joining at once logged 100 lines in one publish:
 * a 20 ms stall and a dropped frame (bench-window, "chat 100 join"); 32
 * lines still delayed a frame past its slot when they all left. 16 lines
 * (about 3 ms) a publish, with the rest half an interval later, carry
 * about 2,000 lines a second. */
#define LOG_VIEW_ROWS_PER_PUBLISH 16

struct _AdLogView
{
  GtkWidget          parent_instance;

  AdLogModel        *model;
  gboolean           follow;
  guint              stick_id;  /* a tick: scroll to the newest line */
  double             last_upper;

  GtkStack          *stack;
  GtkScrolledWindow *scroller;
  GtkColumnView     *column_view;
  GtkColumnViewColumn *time_column;
  GtkColumnViewColumn *thread_column;
  GtkColumnViewColumn *message_column;
};

G_DEFINE_FINAL_TYPE (AdLogView, ad_log_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  COLUMN_TIME,
  COLUMN_THREAD,
  COLUMN_MESSAGE,
} Column;

static char *
message_tooltip (GtkWidget *label,
                 gpointer   user_data)
{
  return g_strdup (gtk_label_get_text (GTK_LABEL (label)));
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_TIME ? 1.0f : 0.0f);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (column == COLUMN_MESSAGE)
    {
      /* One line per record keeps rows the same height, so the list can
       * follow the newest line exactly; the full text is in the tooltip. */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      /* Made when the pointer asks, not on every bind (ad-cell-tooltip.h) */
      ad_cell_tooltip_set_func (label, message_tooltip, NULL, NULL);
    }
  else
    {
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "dim-label");
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  AdLogEntry *entry = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  switch (column)
    {
    case COLUMN_TIME:
      /* Translators: a duration in milliseconds, as in "1002.3 ms" */
      text = g_strdup_printf (_("%.1f ms"), ad_log_entry_get_elapsed (entry) / 1000.0);
      gtk_label_set_text (label, text);
      break;
    case COLUMN_THREAD:
      gtk_label_set_text (label, ad_log_entry_get_thread_name (entry));
      break;
    case COLUMN_MESSAGE:
      gtk_label_set_text (label, ad_log_entry_get_message (entry));
      if (ad_log_entry_get_level (entry) & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL))
        gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      break;
    default:
      g_assert_not_reached ();
    }
}

static GtkListItemFactory *
cell_factory_new (Column column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (column));

  return factory;
}

static void
update_empty (AdLogView *self)
{
  gboolean empty = self->model == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "log");
}

static void
on_vadjustment_changed (GtkAdjustment *adj,
                        GParamSpec    *pspec,
                        AdLogView     *self)
{
  /* The content grew (new lines, or wrapped lines measured): stick to the
   * bottom if we were following. */
  self->last_upper = gtk_adjustment_get_upper (adj);
  if (self->follow)
    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
}

/* On the frame after new lines came or a full model dropped its oldest
 * lines, before its layout: GTK 4.8's list keeps its anchor line in place
 * (or goes back to the top when every line was replaced), so a following
 * view would slide away from the newest line while the content's height
 * stays the same; and a burst of lines into a view that could not scroll
 * yet left it at the top (the adjustment, set from estimated heights, did
 * not move the anchor). Scroll with the list's own action, which moves
 * its anchor. */
static gboolean
stick_to_end_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       data)
{
  AdLogView *self = AD_LOG_VIEW (widget);
  guint n = self->model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;

  self->stick_id = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL && n > 0 && self->follow; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", n - 1);

  return G_SOURCE_REMOVE;
}

/* The user scrolls up (wheel, touchpad, keys): stop following at once,
 * with any pending scroll to the end. While lines pour in, a change of
 * the adjustment alone cannot tell the user's scroll from the list's own
 * (a scroll to the end is pending after nearly every publish). */
static void
stop_following (AdLogView *self)
{
  self->follow = FALSE;
  if (self->stick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->stick_id);
  self->stick_id = 0;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           AdLogView                *self)
{
  if (dy < 0)
    stop_following (self);

  return GDK_EVENT_PROPAGATE;
}

/* A press on the scrollbar (its slider or trough) hands the view to the
 * user; reaching the bottom, by the drag or later, resumes following. */
static void
on_scrollbar_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      AdLogView       *self)
{
  stop_following (self);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AdLogView             *self)
{
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      stop_following (self);
      break;
    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
on_vadjustment_value_changed (GtkAdjustment *adj,
                              AdLogView     *self)
{
  double upper = gtk_adjustment_get_upper (adj);
  double bottom = upper - gtk_adjustment_get_page_size (adj);

  /* Reaching the bottom resumes following; moving up stops it, but only
   * when the user moved: a value clamped while the content grows says
   * nothing about the user's wish. */
  if (gtk_adjustment_get_value (adj) >= bottom - 4.0)
    self->follow = TRUE;
  else if (upper == self->last_upper && self->stick_id == 0)
    self->follow = FALSE;
  self->last_upper = upper;
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  AdLogView  *self)
{
  if (g_list_model_get_n_items (model) == 0)
    self->follow = TRUE;
  if ((added > 0 || (position == 0 && removed > 0)) && self->follow && self->stick_id == 0)
    self->stick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), stick_to_end_cb, NULL, NULL);
  update_empty (self);
}

static void
ad_log_view_dispose (GObject *object)
{
  GtkWidget *child;
  AdLogView *self = (AdLogView *) object;

  if (self->stick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->stick_id);
  self->stick_id = 0;
  ad_log_view_set_model (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_LOG_VIEW);
  /* The template's top-level child is not a bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ad_log_view_parent_class)->dispose (object);
}

static void
ad_log_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AdLogView *self = AD_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_log_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  AdLogView *self = AD_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      ad_log_view_set_model (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_log_view_class_init (AdLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_log_view_dispose;
  object_class->get_property = ad_log_view_get_property;
  object_class->set_property = ad_log_view_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, AD_TYPE_LOG_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ad-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AdLogView, stack);
  gtk_widget_class_bind_template_child (widget_class, AdLogView, scroller);
  gtk_widget_class_bind_template_child (widget_class, AdLogView, column_view);
  gtk_widget_class_bind_template_child (widget_class, AdLogView, time_column);
  gtk_widget_class_bind_template_child (widget_class, AdLogView, thread_column);
  gtk_widget_class_bind_template_child (widget_class, AdLogView, message_column);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "adlogview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ad_log_view_init (AdLogView *self)
{
  GtkAdjustment *vadj;
  GtkEventController *controller;
  g_autoptr(GtkListItemFactory) time_factory = cell_factory_new (COLUMN_TIME);
  g_autoptr(GtkListItemFactory) thread_factory = cell_factory_new (COLUMN_THREAD);
  g_autoptr(GtkListItemFactory) message_factory = cell_factory_new (COLUMN_MESSAGE);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->follow = TRUE;

  gtk_column_view_column_set_factory (self->time_column, time_factory);
  gtk_column_view_column_set_factory (self->thread_column, thread_factory);
  gtk_column_view_column_set_factory (self->message_column, message_factory);

  /* Before the scrolled window's own handlers: the capture phase. */
  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_name (controller, "ad-log-view-scroll");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), controller);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (controller, "ad-log-view-keys");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), controller);
  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_name (controller, "ad-log-view-scrollbar");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "pressed", G_CALLBACK (on_scrollbar_pressed), self);
  gtk_widget_add_controller (gtk_scrolled_window_get_vscrollbar (self->scroller), controller);

  vadj = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (vadj, "notify::upper", G_CALLBACK (on_vadjustment_changed), self, 0);
  g_signal_connect_object (vadj, "value-changed", G_CALLBACK (on_vadjustment_value_changed), self, 0);

  update_empty (self);
}

void
ad_log_view_set_model (AdLogView  *self,
                       AdLogModel *model)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (AD_IS_LOG_VIEW (self));
  g_return_if_fail (!model || AD_IS_LOG_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);

  g_set_object (&self->model, model);

  if (self->column_view != NULL)
    {
      if (model != NULL)
        {
          selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (model)));
          ad_log_model_set_publish_limit (model, LOG_VIEW_ROWS_PER_PUBLISH);
          g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), self);
        }
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
      update_empty (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}
