/* ad-task-cell.c: one cell of the Tasks page's lists, following one task
 *
 * Each cell is an AdTaskCell whose "column" says what it shows and whose
 * "task" its list item's factory (ad_task_cell_factory_new()) sets.
 *
 * Design:
 *  - A cell follows its task's "notify" for what it shows, through a
 *    GSignalGroup: the registry coalesces a task's changes into one
 *    notification per publish, and only tasks that some cell shows are
 *    connected, so a storm of tasks costs the visible rows only.
 *  - The factory is a GtkSignalListItemFactory made in code, not a
 *    GtkBuilderListItemFactory in the page's .ui: under 10,000 tasks a
 *    second, parsing a row's XML and evaluating its expressions for every
 *    new row cost bench-inspector a quarter of its frames.
 *  - Ages ("for 1.25 s") change with the clock, not the task: the mapped
 *    time cells share one 250 ms tick, which runs only while one is mapped
 *    (no timer per row).
 *  - Labels change only when their text does, and the name and outcome
 *    tooltips are made when the pointer asks (ad-cell-tooltip.h): a
 *    tooltip set on every update asks the X server where the pointer is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Tasks"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-cell-tooltip.h"
#include "ad-task-cell.h"
#include "ad-task-ui.h"

#define TICK_MS 250

struct _AdTaskCell
{
  GtkWidget         parent_instance;

  AdTaskCellColumn  column;
  AdTask           *task;
  GSignalGroup     *task_signals;

  GtkWidget        *icon;   /* kind: a badge label; state, outcome: an image */
  GtkWidget        *label;  /* every column but progress */
  GtkWidget        *bar;    /* progress */
};

G_DEFINE_FINAL_TYPE (AdTaskCell, ad_task_cell, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (AdTaskCellColumn, ad_task_cell_column,
                    G_DEFINE_ENUM_VALUE (AD_TASK_CELL_NAME, "name"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_CELL_KIND, "kind"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_CELL_STATE, "state"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_CELL_OUTCOME, "outcome"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_CELL_THREAD, "thread"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_CELL_TIME, "time"),
                    G_DEFINE_ENUM_VALUE (AD_TASK_CELL_PROGRESS, "progress"))

enum {
  PROP_0,
  PROP_COLUMN,
  PROP_TASK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The mapped time cells, and their one tick */
static GPtrArray *ticking;
static guint tick_id;

static char *
time_text (AdTask *task,
           gint64  now)
{
  gint64 started = ad_task_get_started_time (task);
  gint64 finished = ad_task_get_finished_time (task);
  gint64 since = started ? started : ad_task_get_created_time (task);
  g_autofree char *amount = NULL;

  if (finished != 0)
    return ad_format_duration (finished - since);
  amount = ad_format_duration (now - since);
  /* Translators: how long a task has been running or waiting: "for 1.25 s" */
  return g_strdup_printf (_("for %s"), amount);
}

static char *
outcome_text (AdTask *task)
{
  AdTaskState state = ad_task_get_state (task);
  g_autofree char *message = NULL;

  if (state != AD_TASK_STATE_FAILED)
    return g_strdup (ad_task_state_get_label (state));

  message = ad_task_dup_error_message (task);
  if (ad_task_get_timed_out (task))
    return g_strdup_printf (_("Timed out: %s"), message ? message : "");
  return g_strdup_printf (_("Failed: %s"), message ? message : "");
}

static void
set_label (AdTaskCell *self,
           const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (self->label)), text) == 0)
    return;
  gtk_label_set_label (GTK_LABEL (self->label), text);
}

/* The name and outcome columns: the label's text, made when the pointer
 * asks (ad-cell-tooltip.h), not set on every update. */
static char *
label_tooltip (GtkWidget *label,
               gpointer   user_data)
{
  return g_strdup (gtk_label_get_label (GTK_LABEL (label)));
}

/**
 * ad_task_cell_update:
 * @now: the monotonic time ages are counted to
 *
 * Shows the task as it is now.
 */
void
ad_task_cell_update (AdTaskCell *self,
                     gint64      now)
{
  AdTask *task = self->task;
  g_autofree char *text = NULL;

  g_return_if_fail (AD_IS_TASK_CELL (self));

  if (task == NULL)
    return;

  switch (self->column)
    {
    case AD_TASK_CELL_NAME:
      set_label (self, ad_task_get_name (task));
      break;

    case AD_TASK_CELL_KIND:
      {
        AdTaskKind kind = ad_task_get_kind (task);
        g_autofree char *css = g_strdup_printf ("kind-%s", ad_task_kind_to_string (kind));
        const char *classes[] = { "kind-badge", css, NULL };

        gtk_label_set_label (GTK_LABEL (self->icon), ad_task_kind_get_letter (kind));
        gtk_widget_set_css_classes (self->icon, classes);
        set_label (self, ad_task_kind_get_label (kind));
      }
      break;

    case AD_TASK_CELL_STATE:
    case AD_TASK_CELL_OUTCOME:
      {
        AdTaskState state = ad_task_get_state (task);
        gboolean outcome = self->column == AD_TASK_CELL_OUTCOME;

        gtk_image_set_from_icon_name (GTK_IMAGE (self->icon),
                                      state == AD_TASK_STATE_FAILED && ad_task_get_timed_out (task)
                                      ? "alarm-symbolic" : ad_task_state_get_icon (state));
        text = outcome ? outcome_text (task) : g_strdup (ad_task_state_get_label (state));
        set_label (self, text);
        if (state == AD_TASK_STATE_FAILED)
          gtk_widget_add_css_class (self->label, "error");
        else
          gtk_widget_remove_css_class (self->label, "error");
      }
      break;

    case AD_TASK_CELL_THREAD:
      set_label (self, ad_task_get_thread_name (task) ? ad_task_get_thread_name (task) : "—");
      break;

    case AD_TASK_CELL_TIME:
      text = time_text (task, now);
      set_label (self, text);
      break;

    case AD_TASK_CELL_PROGRESS:
      {
        double progress = ad_task_get_progress (task);

        gtk_widget_set_visible (self->bar, progress >= 0);
        if (progress >= 0)
          gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->bar), progress);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
task_notify_cb (AdTaskCell *self)
{
  ad_task_cell_update (self, g_get_monotonic_time ());
}

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < ticking->len; i++)
    ad_task_cell_update (g_ptr_array_index (ticking, i), now);

  return G_SOURCE_CONTINUE;
}

static void
ad_task_cell_map (GtkWidget *widget)
{
  AdTaskCell *self = AD_TASK_CELL (widget);

  GTK_WIDGET_CLASS (ad_task_cell_parent_class)->map (widget);

  if (self->column != AD_TASK_CELL_TIME)
    return;
  if (ticking == NULL)
    ticking = g_ptr_array_new ();
  g_ptr_array_add (ticking, self);
  if (tick_id == 0)
    {
      tick_id = g_timeout_add (TICK_MS, tick_cb, NULL);
      g_source_set_name_by_id (tick_id, "[async-demo] task cell ages");
    }
}

static void
ad_task_cell_unmap (GtkWidget *widget)
{
  AdTaskCell *self = AD_TASK_CELL (widget);

  if (self->column == AD_TASK_CELL_TIME && g_ptr_array_remove_fast (ticking, self)
      && ticking->len == 0)
    g_clear_handle_id (&tick_id, g_source_remove);

  GTK_WIDGET_CLASS (ad_task_cell_parent_class)->unmap (widget);
}

static GtkWidget *
new_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  return label;
}

static void
ad_task_cell_constructed (GObject *object)
{
  AdTaskCell *self = AD_TASK_CELL (object);
  GtkWidget *widget = GTK_WIDGET (self);

  G_OBJECT_CLASS (ad_task_cell_parent_class)->constructed (object);

  /* Only what the column shows: a finish notifies several properties at
   * once, and each would be an update */
  {
    const char *signal = NULL;

    switch (self->column)
      {
      case AD_TASK_CELL_STATE:
      case AD_TASK_CELL_OUTCOME:
        signal = "notify::state";
        break;
      case AD_TASK_CELL_THREAD:
        signal = "notify::thread-name";
        break;
      case AD_TASK_CELL_TIME:
        signal = "notify::finished-time";
        break;
      case AD_TASK_CELL_PROGRESS:
        signal = "notify::progress";
        break;
      default:
        break;  /* names and kinds never change */
      }
    if (signal != NULL)
      g_signal_group_connect_swapped (self->task_signals, signal, G_CALLBACK (task_notify_cb),
                                      self);
  }

  switch (self->column)
    {
    case AD_TASK_CELL_KIND:
      self->icon = gtk_label_new (NULL);
      break;
    case AD_TASK_CELL_STATE:
    case AD_TASK_CELL_OUTCOME:
      self->icon = gtk_image_new ();
      break;
    default:
      break;
    }
  if (self->icon != NULL)
    gtk_widget_set_parent (self->icon, widget);

  if (self->column == AD_TASK_CELL_PROGRESS)
    {
      self->bar = gtk_progress_bar_new ();
      gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (self->bar), TRUE);
      gtk_widget_set_valign (self->bar, GTK_ALIGN_CENTER);
      gtk_widget_set_hexpand (self->bar, TRUE);
      gtk_widget_set_parent (self->bar, widget);
    }
  else
    {
      self->label = new_label ();
      gtk_widget_set_hexpand (self->label, TRUE);
      if (self->column == AD_TASK_CELL_THREAD || self->column == AD_TASK_CELL_TIME)
        gtk_widget_add_css_class (self->label, "numeric");
      if (self->column == AD_TASK_CELL_NAME || self->column == AD_TASK_CELL_OUTCOME)
        ad_cell_tooltip_set_func (self->label, label_tooltip, NULL, NULL);
      gtk_widget_set_parent (self->label, widget);
    }
}

static void
ad_task_cell_dispose (GObject *object)
{
  AdTaskCell *self = AD_TASK_CELL (object);
  GtkWidget *child;

  if (self->task_signals != NULL)
    g_signal_group_set_target (self->task_signals, NULL);
  g_clear_object (&self->task_signals);
  g_clear_object (&self->task);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->icon = self->label = self->bar = NULL;

  G_OBJECT_CLASS (ad_task_cell_parent_class)->dispose (object);
}

static void
ad_task_cell_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AdTaskCell *self = AD_TASK_CELL (object);

  switch (prop_id)
    {
    case PROP_COLUMN:
      g_value_set_enum (value, self->column);
      break;
    case PROP_TASK:
      g_value_set_object (value, self->task);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_task_cell_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AdTaskCell *self = AD_TASK_CELL (object);

  switch (prop_id)
    {
    case PROP_COLUMN:
      self->column = g_value_get_enum (value);
      break;
    case PROP_TASK:
      ad_task_cell_set_task (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_task_cell_class_init (AdTaskCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ad_task_cell_constructed;
  object_class->dispose = ad_task_cell_dispose;
  object_class->get_property = ad_task_cell_get_property;
  object_class->set_property = ad_task_cell_set_property;
  widget_class->map = ad_task_cell_map;
  widget_class->unmap = ad_task_cell_unmap;

  /**
   * AdTaskCell:column:
   *
   * What the cell shows of its task.
   */
  properties[PROP_COLUMN] =
    g_param_spec_enum ("column", NULL, NULL, AD_TYPE_TASK_CELL_COLUMN, AD_TASK_CELL_NAME,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * AdTaskCell:task:
   *
   * The task shown, or %NULL.
   */
  properties[PROP_TASK] =
    g_param_spec_object ("task", NULL, NULL, AD_TYPE_TASK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "taskcell");
}

static void
ad_task_cell_init (AdTaskCell *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  self->task_signals = g_signal_group_new (AD_TYPE_TASK);
}

GtkWidget *
ad_task_cell_new (AdTaskCellColumn column)
{
  return g_object_new (AD_TYPE_TASK_CELL, "column", column, NULL);
}

AdTaskCellColumn
ad_task_cell_get_column (AdTaskCell *self)
{
  g_return_val_if_fail (AD_IS_TASK_CELL (self), AD_TASK_CELL_NAME);

  return self->column;
}

/**
 * ad_task_cell_get_task:
 *
 * Returns: (transfer none) (nullable): the task shown
 */
AdTask *
ad_task_cell_get_task (AdTaskCell *self)
{
  g_return_val_if_fail (AD_IS_TASK_CELL (self), NULL);

  return self->task;
}

/**
 * ad_task_cell_set_task:
 * @task: (nullable): the task to show and follow
 */
void
ad_task_cell_set_task (AdTaskCell *self,
                       AdTask     *task)
{
  g_return_if_fail (AD_IS_TASK_CELL (self));
  g_return_if_fail (task == NULL || AD_IS_TASK (task));

  if (!g_set_object (&self->task, task))
    return;

  g_signal_group_set_target (self->task_signals, task);
  ad_task_cell_update (self, g_get_monotonic_time ());
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK]);
}

/* ---- the factory ------------------------------------------------------ */

static AdTaskCell *
item_cell (GtkListItem *list_item)
{
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (GTK_IS_TREE_EXPANDER (child))
    child = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child));
  return AD_TASK_CELL (child);
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  AdTaskCellColumn column = GPOINTER_TO_INT (user_data) & 0xff;
  gboolean tree = (GPOINTER_TO_INT (user_data) & 0x100) != 0;
  GtkWidget *cell = ad_task_cell_new (column);

  if (tree)
    {
      GtkWidget *expander = gtk_tree_expander_new ();

      gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), cell);
      cell = expander;
    }
  gtk_list_item_set_child (list_item, cell);
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  GtkWidget *child = gtk_list_item_get_child (list_item);
  gpointer item = gtk_list_item_get_item (list_item);
  g_autoptr(AdTask) task = NULL;

  if (GTK_IS_TREE_EXPANDER (child))
    gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child), item);
  if (GTK_IS_TREE_LIST_ROW (item))
    task = gtk_tree_list_row_get_item (item);
  else if (item != NULL)
    task = g_object_ref (item);
  ad_task_cell_set_task (item_cell (list_item), task);
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   gpointer                  user_data)
{
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (GTK_IS_TREE_EXPANDER (child))
    gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child), NULL);
  ad_task_cell_set_task (item_cell (list_item), NULL);
}

/**
 * ad_task_cell_factory_new:
 * @column: what the cells show
 * @expander: whether they sit in a tree expander (the tree's first column)
 *
 * Returns: (transfer full): a factory of cells for a list of tasks or of
 *   GtkTreeListRows of tasks
 */
GtkListItemFactory *
ad_task_cell_factory_new (AdTaskCellColumn column,
                          gboolean         expander)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  gpointer data = GINT_TO_POINTER ((int) column | (expander ? 0x100 : 0));

  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup_cb), data);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind_cb), data);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind_cb), data);

  return factory;
}
