/* ad-tasks-page.c: the live task tree, the timeline and the loop's latency
 *
 * "Visualize your tasks to see how they interleave": every operation the
 * app runs, as a tree, as swimlanes, and as the main loop's lateness.
 *
 * Design:
 *  - The tree is a GtkColumnView over a GtkFilterListModel over a
 *    GtkTreeListModel whose roots are the registry's live roots and whose
 *    children are each task's children: the registry changes these models
 *    in coalesced batches on the main thread, so ten thousand tasks a
 *    second cost a handful of items-changed per publish. The filter is
 *    incremental, so re-filtering thousands of rows never blocks a frame.
 *  - The lists follow the registry only while they show (the live tree's
 *    roots come through a flatten model emptied when it is hidden, the
 *    history's sort model loses its source), so a page in the background
 *    costs nothing however busy the registry is.
 *  - Rows expand by themselves while the registry is calm; under a storm
 *    (over AUTOEXPAND_MAX_RATE tasks a second) new rows stay collapsed, as
 *    expanding every new group is what costs most in a tree list model.
 *  - The lists' columns are in the .ui; each cell is an AdTaskCell
 *    (ad-task-cell.c) set to its row's task, which follows the task's
 *    coalesced notifications for what it shows (only shown tasks are
 *    connected) and shares one 250 ms tick for ages. The page's own 250 ms tick refreshes
 *    the counts and the latency graph.
 *  - The timeline pulls the recorder's new events every 30 ms while the
 *    page is mapped and something happens, so bars appear as they run;
 *    after a second with nothing new and nothing running that began in
 *    view (a server running for minutes is a bar across it), only the 250 ms
 *    refresh pulls, and starts the fast pull again when it finds events
 *    (an idle page wakes the loop four times a second, not 33). The pull runs at G_PRIORITY_LOW like the registry's
 *    publish, and the 250 ms refresh at G_PRIORITY_DEFAULT: neither waits
 *    behind continuous redrawing. The page's trace is its own: the inspector
 *    window and the main window each follow the default recorder with
 *    their own cursor.
 *  - The loop monitor runs while a latency graph is mapped (counted across
 *    pages), and is left alone if something else started it.
 *  - Save and open run in the core (ad-trace-file.c) on worker threads,
 *    holding nothing of the page: no stall for big files, and a page
 *    closed meanwhile is finalized at once, on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Tasks"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ad-a11y.h"
#include "ad-task-cell.h"
#include "ad-task-list.h"
#include "ad-task-ui.h"
#include "ad-tasks-page-private.h"

G_DEFINE_FINAL_TYPE (AdTasksPage, ad_tasks_page, GTK_TYPE_WIDGET)

/* ---- cells ------------------------------------------------------------ */

/* The columns are in the .ui (bound by id, with no field); each gets its
 * cells' factory here */
static const struct
{
  const char       *id;
  AdTaskCellColumn  column;
} cell_columns[] = {
  { "tree_name", AD_TASK_CELL_NAME },
  { "tree_kind", AD_TASK_CELL_KIND },
  { "tree_state", AD_TASK_CELL_STATE },
  { "tree_thread", AD_TASK_CELL_THREAD },
  { "tree_time", AD_TASK_CELL_TIME },
  { "tree_progress", AD_TASK_CELL_PROGRESS },
  { "history_name", AD_TASK_CELL_NAME },
  { "history_kind", AD_TASK_CELL_KIND },
  { "history_outcome", AD_TASK_CELL_OUTCOME },
  { "history_thread", AD_TASK_CELL_THREAD },
  { "history_time", AD_TASK_CELL_TIME },
};

static void
set_cell_factories (AdTasksPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (cell_columns); i++)
    {
      GObject *column = gtk_widget_get_template_child (GTK_WIDGET (self), AD_TYPE_TASKS_PAGE,
                                                       cell_columns[i].id);
      g_autoptr(GtkListItemFactory) factory =
        ad_task_cell_factory_new (cell_columns[i].column, i == 0);

      gtk_column_view_column_set_factory (GTK_COLUMN_VIEW_COLUMN (column), factory);
    }
}

/* ---- filtering -------------------------------------------------------- */

static gboolean
task_matches (AdTasksPage *self,
              AdTask      *task)
{
  if (self->filter_kind >= 0 && (int) ad_task_get_kind (task) != self->filter_kind)
    return FALSE;
  if (self->filter_state >= 0 && (int) ad_task_get_state (task) != self->filter_state)
    return FALSE;
  if (self->filter_text != NULL && self->filter_text[0] != '\0')
    {
      g_autofree char *name = g_utf8_casefold (ad_task_get_name (task), -1);

      if (strstr (name, self->filter_text) == NULL)
        return FALSE;
    }

  return TRUE;
}

static gboolean
tree_filter_func (gpointer item,
                  gpointer user_data)
{
  g_autoptr(AdTask) task = gtk_tree_list_row_get_item (item);

  return task_matches (user_data, task);
}

static gboolean
history_filter_func (gpointer item,
                     gpointer user_data)
{
  return task_matches (user_data, item);
}

void
ad_tasks_page_refilter (AdTasksPage *self)
{
  if (self->tree_filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->tree_filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (self->history_filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->history_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/**
 * ad_tasks_page_set_filter:
 * @text: (nullable): a part of the name, any case
 * @kind: an #AdTaskKind, or -1 for any
 * @state: an #AdTaskState, or -1 for any
 *
 * Filters both the live tree and the history (the controls follow).
 */
void
ad_tasks_page_set_filter (AdTasksPage *self,
                          const char  *text,
                          int          kind,
                          int          state)
{
  g_return_if_fail (AD_IS_TASKS_PAGE (self));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  gtk_drop_down_set_selected (self->kind_dropdown, kind + 1);
  gtk_drop_down_set_selected (self->state_dropdown, state + 1);

  g_free (self->filter_text);
  self->filter_text = text ? g_utf8_casefold (text, -1) : NULL;
  self->filter_kind = kind;
  self->filter_state = state;
  ad_tasks_page_refilter (self);
}

static void
filter_controls_changed (AdTasksPage *self)
{
  ad_tasks_page_set_filter (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                            (int) gtk_drop_down_get_selected (self->kind_dropdown) - 1,
                            (int) gtk_drop_down_get_selected (self->state_dropdown) - 1);
}

/* ---- models ----------------------------------------------------------- */

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  GListModel *children = ad_task_get_children (item);
  AdTaskKind kind = ad_task_get_kind (item);

  /* A row is expandable or not for good: containers always are, other
   * tasks when they already have children (their children appear in the
   * same publish as they do, as a rule). */
  if (g_list_model_get_n_items (children) > 0 ||
      ((kind == AD_TASK_KIND_GROUP || kind == AD_TASK_KIND_SERVER ||
        kind == AD_TASK_KIND_PROCESS) && !ad_task_is_finished (item)))
    return g_object_ref (children);

  return NULL;
}

static int
newest_first (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  guint64 ia = ad_task_get_id ((AdTask *) a), ib = ad_task_get_id ((AdTask *) b);

  return ia < ib ? 1 : ia > ib ? -1 : 0;
}

void
ad_tasks_page_selection_changed (AdTasksPage *self)
{
  g_autoptr(AdTask) task = ad_tasks_page_get_selected_task (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tasks.cancel",
                                 task != NULL && !ad_task_is_finished (task));
}

static gboolean
select_when_filtered_cb (gpointer data)
{
  AdTasksPage *self = data;
  guint64 task_id = self->select_when_filtered;

  self->select_when_filtered_id = 0;
  self->select_when_filtered = 0;
  if (task_id != 0)
    ad_tasks_page_select_task (self, task_id);

  return G_SOURCE_REMOVE;
}

static void
filter_pending_changed (AdTasksPage *self)
{
  if (self->select_when_filtered == 0 ||
      gtk_filter_list_model_get_pending (self->tree_filtered) > 0 ||
      self->select_when_filtered_id != 0)
    return;

  /* Not from inside the filter model's notification: the list view has
   * not seen its items-changed yet, and selecting now crashes GTK 4.8.
   * Select on the next iteration, at default priority so that drawing
   * cannot hold it back. */
  self->select_when_filtered_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 0,
                                                      select_when_filtered_cb, self, NULL);
}

static void
update_placeholder (AdTasksPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label),
                          g_list_model_get_n_items (G_LIST_MODEL (self->tree_filtered)) == 0);
}

static void
setup_models (AdTasksPage *self)
{
  GtkSortListModel *sorted;

  g_clear_object (&self->tree_selection);
  g_clear_object (&self->history_selection);
  g_clear_object (&self->tree_ramp);
  g_clear_object (&self->history_ramp);

  /* The views follow the registry only while they show: a hidden list
   * costs nothing however busy the registry is */
  self->tree_source = g_list_store_new (G_TYPE_LIST_MODEL);
  self->tree_model = gtk_tree_list_model_new (G_LIST_MODEL (gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->tree_source)))),
                                              FALSE, TRUE, create_children, NULL, NULL);
  self->tree_filter = gtk_custom_filter_new (tree_filter_func, self, NULL);
  self->tree_filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->tree_model),
                                                   GTK_FILTER (self->tree_filter));
  gtk_filter_list_model_set_incremental (self->tree_filtered, TRUE);
  g_signal_connect_swapped (self->tree_filtered, "notify::pending",
                            G_CALLBACK (filter_pending_changed), self);
  self->tree_ramp = ad_list_ramp_new (G_LIST_MODEL (self->tree_filtered),
                                      GTK_WIDGET (self->tree_view));
  self->tree_selection =
    gtk_single_selection_new (g_object_ref (ad_list_ramp_get_model (self->tree_ramp)));
  gtk_single_selection_set_autoselect (self->tree_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->tree_selection, TRUE);
  gtk_single_selection_set_selected (self->tree_selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->tree_selection, "notify::selected-item",
                            G_CALLBACK (ad_tasks_page_selection_changed), self);
  g_signal_connect_swapped (self->tree_selection, "items-changed",
                            G_CALLBACK (update_placeholder), self);
  gtk_column_view_set_model (self->tree_view, GTK_SELECTION_MODEL (self->tree_selection));

  sorted = gtk_sort_list_model_new (NULL, GTK_SORTER (gtk_custom_sorter_new (newest_first, NULL, NULL)));
  self->history_sorted = sorted;
  self->history_filter = gtk_custom_filter_new (history_filter_func, self, NULL);
  self->history_filtered = gtk_filter_list_model_new (G_LIST_MODEL (sorted),
                                                      GTK_FILTER (self->history_filter));
  self->history_ramp = ad_list_ramp_new (G_LIST_MODEL (self->history_filtered),
                                         GTK_WIDGET (self->history_view));
  self->history_selection =
    gtk_single_selection_new (g_object_ref (ad_list_ramp_get_model (self->history_ramp)));
  gtk_single_selection_set_autoselect (self->history_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->history_selection, TRUE);
  gtk_single_selection_set_selected (self->history_selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->history_view, GTK_SELECTION_MODEL (self->history_selection));

  g_signal_connect_swapped (self->history_selection, "notify::selected-item",
                            G_CALLBACK (ad_tasks_page_selection_changed), self);
  /* The selection models own the rest of each chain: the other pointers
   * are borrowed (but the store is ours). */
}

static void
update_activity (AdTasksPage *self)
{
  gboolean mapped = gtk_widget_get_mapped (GTK_WIDGET (self));
  gboolean history = g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "history") == 0;
  GListModel *roots = ad_task_registry_get_roots (self->registry);
  GListModel *source = mapped && !history ? roots : NULL;

  if (self->tree_source == NULL)
    return;

  if ((g_list_model_get_n_items (G_LIST_MODEL (self->tree_source)) > 0) != (source != NULL))
    {
      if (source != NULL)
        g_list_store_append (self->tree_source, source);
      else
        g_list_store_remove_all (self->tree_source);
    }

  source = mapped && history ? ad_task_registry_get_history (self->registry) : NULL;
  if (gtk_sort_list_model_get_model (self->history_sorted) != source)
    gtk_sort_list_model_set_model (self->history_sorted, source);
}

/* ---- mapping (what runs while the page shows: ad-tasks-page-tick.c) ---- */

static void
ad_tasks_page_map (GtkWidget *widget)
{
  AdTasksPage *self = AD_TASKS_PAGE (widget);

  GTK_WIDGET_CLASS (ad_tasks_page_parent_class)->map (widget);
  ad_tasks_page_start_ticking (self);
  update_activity (self);
  ad_tasks_page_refresh (self);
}

static void
ad_tasks_page_unmap (GtkWidget *widget)
{
  AdTasksPage *self = AD_TASKS_PAGE (widget);

  ad_tasks_page_stop_ticking (self);
  GTK_WIDGET_CLASS (ad_tasks_page_parent_class)->unmap (widget);
  update_activity (self);
}

/* ---- selection and cancel --------------------------------------------- */

/**
 * ad_tasks_page_get_selected_task:
 *
 * Returns: (transfer full) (nullable): the task selected in the list shown
 */
AdTask *
ad_tasks_page_get_selected_task (AdTasksPage *self)
{
  gpointer item;

  g_return_val_if_fail (AD_IS_TASKS_PAGE (self), NULL);

  if (self->tree_selection == NULL)
    return NULL;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "history") == 0)
    {
      item = gtk_single_selection_get_selected_item (self->history_selection);
      return item ? g_object_ref (item) : NULL;
    }

  item = gtk_single_selection_get_selected_item (self->tree_selection);
  return item ? gtk_tree_list_row_get_item (item) : NULL;
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AdTasksPage *self = AD_TASKS_PAGE (widget);
  g_autoptr(AdTask) task = ad_tasks_page_get_selected_task (self);
  g_autofree char *text = NULL;

  if (task == NULL || ad_task_is_finished (task))
    return;

  ad_task_cancel (task);
  text = g_strdup_printf (_("Cancelled “%s” and the tasks under it"), ad_task_get_name (task));
  gtk_label_set_label (self->status_label, text);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (AD_TASKS_PAGE (widget)->search_entry));
}

static void
scroll_to (GtkColumnView *view,
           guint          position)
{
  /* GTK 4.8 has no gtk_column_view_scroll_to(): use the list's action */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_activate_action (child, "list.scroll-to-item", "u", position))
      break;
}

/**
 * ad_tasks_page_select_task:
 * @task_id: a task's id
 *
 * Selects the task in the live tree or, once finished, in the history,
 * and shows it.
 *
 * Returns: %TRUE if the task was found (or, while the live tree is still
 *   filtering, is live and will be selected once filtering is done)
 */
gboolean
ad_tasks_page_select_task (AdTasksPage *self,
                           guint64      task_id)
{
  g_autoptr(AdTask) live = NULL;
  GListModel *model;

  g_return_val_if_fail (AD_IS_TASKS_PAGE (self), FALSE);

  live = ad_task_registry_lookup (self->registry, task_id);
  if (live != NULL)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "live");
      /* The row may not be filtered yet: select it when filtering is done */
      if (gtk_filter_list_model_get_pending (self->tree_filtered) > 0)
        {
          self->select_when_filtered = task_id;
          return TRUE;
        }

      model = G_LIST_MODEL (self->tree_filtered);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
          g_autoptr(AdTask) task = gtk_tree_list_row_get_item (row);

          if (ad_task_get_id (task) == task_id)
            {
              /* The ramp's positions are the filter's: just show them all */
              ad_list_ramp_show_all (self->tree_ramp);
              gtk_single_selection_set_selected (self->tree_selection, i);
              scroll_to (self->tree_view, i);
              return TRUE;
            }
        }
      /* A child that finished is in its live parent's list, not in the
       * history's: look there too */
    }

  gtk_stack_set_visible_child_name (self->list_stack, "history");
  model = G_LIST_MODEL (self->history_filtered);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AdTask) task = g_list_model_get_item (model, i);

      if (ad_task_get_id (task) == task_id)
        {
          ad_list_ramp_show_all (self->history_ramp);
          gtk_single_selection_set_selected (self->history_selection, i);
          scroll_to (self->history_view, i);
          return TRUE;
        }
    }

  return FALSE;
}

static void
task_activated_cb (AdTasksPage    *self,
                   guint64         task_id,
                   AdTimelineView *timeline)
{
  if (!ad_tasks_page_select_task (self, task_id))
    gtk_label_set_label (self->status_label, _("That task is no longer in the list"));
}

/* ---- timeline controls ------------------------------------------------ */

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ad_timeline_view_zoom (AD_TASKS_PAGE (widget)->timeline, 0.8);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ad_timeline_view_zoom (AD_TASKS_PAGE (widget)->timeline, 1.25);
}

/**
 * ad_tasks_page_show_trace:
 * @trace: (nullable): an imported trace, or %NULL for the live one
 * @title: (nullable): what to call it in the status line
 */
void
ad_tasks_page_show_trace (AdTasksPage *self,
                          AdTrace     *trace,
                          const char  *title)
{
  g_return_if_fail (AD_IS_TASKS_PAGE (self));

  self->showing_import = trace != NULL;
  ad_timeline_view_set_live (self->timeline, trace == NULL);
  ad_timeline_view_set_trace (self->timeline, trace ? trace : self->trace);
  if (trace != NULL)
    {
      gint64 span = ad_trace_get_end_time (trace) - ad_trace_get_start_time (trace);
      g_autofree char *text = g_strdup_printf (_("Showing %s"), title ? title : "");

      ad_timeline_view_set_span (self->timeline, MAX (span + span / 20, 1000));
      ad_timeline_view_set_live (self->timeline, FALSE);
      gtk_label_set_label (self->status_label, text);
    }
  else
    {
      ad_timeline_view_set_paused (self->timeline, FALSE);
      gtk_label_set_label (self->status_label, "");
    }
}

static void
live_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AdTasksPage *self = AD_TASKS_PAGE (widget);

  if (self->showing_import)
    ad_tasks_page_show_trace (self, NULL, NULL);
  else
    ad_timeline_view_set_paused (self->timeline, FALSE);
}

/* ---- the legend ------------------------------------------------------- */

static void
build_legend (AdTasksPage *self)
{
  for (AdTaskKind kind = AD_TASK_KIND_TIMER; kind <= AD_TASK_KIND_GROUP; kind++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *badge = gtk_label_new (ad_task_kind_get_letter (kind));
      GtkWidget *label = gtk_label_new (ad_task_kind_get_label (kind));
      g_autofree char *css = g_strdup_printf ("kind-%s", ad_task_kind_to_string (kind));

      gtk_widget_add_css_class (badge, "kind-badge");
      gtk_widget_add_css_class (badge, css);
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (box), badge);
      gtk_box_append (GTK_BOX (box), label);
      gtk_flow_box_append (self->legend_box, box);
    }
}

/* ---- GObject ---------------------------------------------------------- */

static void
ad_tasks_page_dispose (GObject *object)
{
  AdTasksPage *self = AD_TASKS_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  ad_tasks_page_stop_ticking (self);
  g_clear_handle_id (&self->select_when_filtered_id, g_source_remove);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->threshold_binding != NULL)
    {
      g_binding_unbind (self->threshold_binding);
      g_clear_object (&self->threshold_binding);
    }

  if (self->tree_view != NULL)
    gtk_column_view_set_model (self->tree_view, NULL);
  if (self->history_view != NULL)
    gtk_column_view_set_model (self->history_view, NULL);
  g_clear_object (&self->tree_ramp);
  g_clear_object (&self->history_ramp);
  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_TASKS_PAGE);
  /* The template's top-level child is not a bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->tree_selection);
  g_clear_object (&self->history_selection);
  g_clear_object (&self->tree_source);
  g_clear_object (&self->trace);
  g_clear_object (&self->recorder);
  g_clear_object (&self->registry);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ad_tasks_page_parent_class)->dispose (object);
}

static void
ad_tasks_page_finalize (GObject *object)
{
  AdTasksPage *self = AD_TASKS_PAGE (object);

  g_free (self->filter_text);
  g_free (self->counts_text);

  G_OBJECT_CLASS (ad_tasks_page_parent_class)->finalize (object);
}

static void
ad_tasks_page_class_init (AdTasksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_tasks_page_dispose;
  object_class->finalize = ad_tasks_page_finalize;

  widget_class->map = ad_tasks_page_map;
  widget_class->unmap = ad_tasks_page_unmap;

  g_type_ensure (AD_TYPE_TIMELINE_VIEW);
  g_type_ensure (AD_TYPE_LATENCY_GRAPH);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ad-tasks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, tree_view);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, history_view);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, legend_box);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, timeline);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, threshold_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AdTasksPage, latency_graph);

  gtk_widget_class_install_action (widget_class, "tasks.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "tasks.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "tasks.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "tasks.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "tasks.live", NULL, live_action);
  gtk_widget_class_install_action (widget_class, "tasks.export", NULL,
                                   ad_tasks_page_export_action);
  gtk_widget_class_install_action (widget_class, "tasks.import", NULL,
                                   ad_tasks_page_import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "tasks.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "tasks.find", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cell_columns); i++)
    gtk_widget_class_bind_template_child_full (widget_class, cell_columns[i].id, FALSE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ad_tasks_page_init (AdTasksPage *self)
{
  self->filter_kind = -1;
  self->filter_state = -1;
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  ad_a11y_fix_names (GTK_WIDGET (self));

  set_cell_factories (self);
  build_legend (self);

  g_signal_connect_swapped (self->search_entry, "search-changed",
                            G_CALLBACK (filter_controls_changed), self);
  g_signal_connect_swapped (self->kind_dropdown, "notify::selected",
                            G_CALLBACK (filter_controls_changed), self);
  g_signal_connect_swapped (self->state_dropdown, "notify::selected",
                            G_CALLBACK (filter_controls_changed), self);
  g_signal_connect_swapped (self->list_stack, "notify::visible-child",
                            G_CALLBACK (update_activity), self);
  g_signal_connect_swapped (self->list_stack, "notify::visible-child",
                            G_CALLBACK (ad_tasks_page_selection_changed), self);
  g_signal_connect_swapped (self->timeline, "task-activated",
                            G_CALLBACK (task_activated_cb), self);
  g_object_bind_property (self->pause_button, "active", self->timeline, "paused",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  ad_latency_graph_set_monitor (self->latency_graph, ad_loop_monitor_get_default ());
  self->threshold_binding =
    g_object_ref (g_object_bind_property (ad_loop_monitor_get_default (), "stall-threshold",
                                          self->threshold_adjustment, "value",
                                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE));

  ad_tasks_page_set_registry (self, ad_task_registry_get_default (),
                              ad_trace_recorder_get_default ());
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tasks.cancel", FALSE);
}

GtkWidget *
ad_tasks_page_new (void)
{
  return g_object_new (AD_TYPE_TASKS_PAGE, NULL);
}

/**
 * ad_tasks_page_set_registry:
 * @registry: the registry to show
 * @recorder: a recorder attached to it
 *
 * Shows another registry (tests use private ones). Main thread.
 */
void
ad_tasks_page_set_registry (AdTasksPage     *self,
                            AdTaskRegistry  *registry,
                            AdTraceRecorder *recorder)
{
  g_return_if_fail (AD_IS_TASKS_PAGE (self));
  g_return_if_fail (AD_IS_TASK_REGISTRY (registry));
  g_return_if_fail (AD_IS_TRACE_RECORDER (recorder));

  g_set_object (&self->registry, registry);
  g_set_object (&self->recorder, recorder);
  g_clear_object (&self->trace);
  self->trace = ad_trace_new (AD_TRACE_DEFAULT_MAX_SLICES);
  ad_trace_pull (self->trace, recorder);

  setup_models (self);
  update_activity (self);
  update_placeholder (self);
  ad_tasks_page_show_trace (self, NULL, NULL);
}

/**
 * ad_tasks_page_get_registry:
 *
 * Returns: (transfer none): the registry shown
 */
AdTaskRegistry *
ad_tasks_page_get_registry (AdTasksPage *self)
{
  g_return_val_if_fail (AD_IS_TASKS_PAGE (self), NULL);

  return self->registry;
}

/**
 * ad_tasks_page_get_timeline:
 *
 * Returns: (transfer none): the timeline
 */
AdTimelineView *
ad_tasks_page_get_timeline (AdTasksPage *self)
{
  g_return_val_if_fail (AD_IS_TASKS_PAGE (self), NULL);

  return self->timeline;
}

/**
 * ad_tasks_page_get_latency_graph:
 *
 * Returns: (transfer none): the latency graph
 */
AdLatencyGraph *
ad_tasks_page_get_latency_graph (AdTasksPage *self)
{
  g_return_val_if_fail (AD_IS_TASKS_PAGE (self), NULL);

  return self->latency_graph;
}

/**
 * ad_tasks_page_get_visible_tasks:
 *
 * Returns: (transfer none): the rows of the live tree that pass the
 *   filter (#GtkTreeListRow items)
 */
GListModel *
ad_tasks_page_get_visible_tasks (AdTasksPage *self)
{
  g_return_val_if_fail (AD_IS_TASKS_PAGE (self), NULL);

  return G_LIST_MODEL (self->tree_filtered);
}

/**
 * ad_tasks_page_get_visible_history:
 *
 * Returns: (transfer none): the finished tasks that pass the filter,
 *   newest first
 */
GListModel *
ad_tasks_page_get_visible_history (AdTasksPage *self)
{
  g_return_val_if_fail (AD_IS_TASKS_PAGE (self), NULL);

  return G_LIST_MODEL (self->history_filtered);
}

/**
 * ad_tasks_page_get_status_text:
 *
 * Returns: what the status line says (a cancel, a save, an open)
 */
const char *
ad_tasks_page_get_status_text (AdTasksPage *self)
{
  g_return_val_if_fail (AD_IS_TASKS_PAGE (self), NULL);

  return gtk_label_get_label (self->status_label);
}

const char *
ad_tasks_page_get_counts_text (AdTasksPage *self)
{
  g_return_val_if_fail (AD_IS_TASKS_PAGE (self), NULL);

  return self->counts_text;
}
