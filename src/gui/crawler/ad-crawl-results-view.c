/* ad-crawl-results-view.c: the Crawler page's results table
 *
 * The crawler's results seen through a GtkFilterListModel (URL text and
 * "errors only") and a GtkSortListModel driven by the column view's
 * sorter, all wired in ad-crawl-results-view.ui on this widget's
 * `crawler`, `search` and `errors-only` properties. Each column has a
 * GtkNumericSorter or GtkStringSorter on one AdCrawlResult property (GTK
 * 4.8 has no GtkColumnViewSorter API beyond gtk_column_view_get_sorter()).
 * So a 10,000-page crawl costs the table one batch of list changes every
 * 100 ms, and the column view only makes widgets for the rows on screen.
 *
 * Those widgets are the one cost that does not scale down: GTK 4.8's
 * column view makes rows for up to 200 items, and made in one go for the
 * first batches of a crawl they held the main loop for 100-150 ms (about
 * 1 ms a row of seven cells). So an AdListRamp lets the table grow by a
 * few rows a frame until the view is full, then shows everything; a new
 * run starts the ramp again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include "ad-crawl-cells.h"
#include "ad-crawl-results-view.h"
#include "ad-list-ramp.h"

struct _AdCrawlResultsView
{
  GtkWidget            parent_instance;

  AdCrawler           *crawler;
  char                *search;
  gboolean             errors_only;

  AdListRamp          *ramp;
  GtkSingleSelection  *selection;
  GtkWidget           *menu;         /* GtkPopoverMenu on results_view */

  GtkSortListModel    *sort_model;
  GtkCustomFilter     *errors_filter;
  GtkColumnView       *results_view;
  GtkColumnViewColumn *status_column;
  GtkColumnViewColumn *url_column;
  GtkColumnViewColumn *size_column;
  GtkColumnViewColumn *time_column;
  GtkColumnViewColumn *depth_column;
  GtkColumnViewColumn *type_column;
  GtkColumnViewColumn *note_column;
};

G_DEFINE_FINAL_TYPE (AdCrawlResultsView, ad_crawl_results_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CRAWLER,
  PROP_SEARCH,
  PROP_ERRORS_ONLY,
  PROP_SHOWN_RESULTS,
  PROP_SELECTED_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
errors_filter_func (gpointer item,
                    gpointer user_data)
{
  AdCrawlResultsView *self = user_data;

  return !self->errors_only || ad_crawl_result_is_broken (AD_CRAWL_RESULT (item));
}

static gboolean
is_empty (AdCrawlResultsView *self,
          guint               n_items)
{
  return n_items == 0;
}

static void
selection_changed_cb (AdCrawlResultsView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ITEM]);
}

/* Activating a row (double click, Enter) opens it, as the row menu's
 * Open in Browser does for the selected row. */
static void
row_activated_cb (AdCrawlResultsView *self,
                  guint               position)
{
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (self), "crawler.open-url", NULL);
}

static void
row_menu_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ad_crawl_cell_popup_menu (AD_CRAWL_RESULTS_VIEW (widget)->menu, parameter);
}

/* ---- GObject ------------------------------------------------------------------ */

static void
ad_crawl_results_view_dispose (GObject *object)
{
  AdCrawlResultsView *self = AD_CRAWL_RESULTS_VIEW (object);
  GtkWidget *child;

  if (self->errors_filter != NULL)
    gtk_custom_filter_set_filter_func (self->errors_filter, NULL, NULL, NULL);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_object (&self->ramp);

  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_CRAWL_RESULTS_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->crawler);

  G_OBJECT_CLASS (ad_crawl_results_view_parent_class)->dispose (object);
}

static void
ad_crawl_results_view_finalize (GObject *object)
{
  AdCrawlResultsView *self = AD_CRAWL_RESULTS_VIEW (object);

  g_free (self->search);

  G_OBJECT_CLASS (ad_crawl_results_view_parent_class)->finalize (object);
}

static void
ad_crawl_results_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AdCrawlResultsView *self = AD_CRAWL_RESULTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_CRAWLER:
      g_value_set_object (value, self->crawler);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_ERRORS_ONLY:
      g_value_set_boolean (value, self->errors_only);
      break;
    case PROP_SHOWN_RESULTS:
      g_value_set_object (value, self->sort_model);
      break;
    case PROP_SELECTED_ITEM:
      g_value_set_object (value, ad_crawl_results_view_get_selected_item (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_crawl_results_view_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AdCrawlResultsView *self = AD_CRAWL_RESULTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_CRAWLER:
      ad_crawl_results_view_set_crawler (self, g_value_get_object (value));
      break;
    case PROP_SEARCH:
      ad_crawl_results_view_set_search (self, g_value_get_string (value));
      break;
    case PROP_ERRORS_ONLY:
      ad_crawl_results_view_set_errors_only (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_crawl_results_view_class_init (AdCrawlResultsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ad_crawl_results_view_dispose;
  object_class->finalize = ad_crawl_results_view_finalize;
  object_class->get_property = ad_crawl_results_view_get_property;
  object_class->set_property = ad_crawl_results_view_set_property;

  properties[PROP_CRAWLER] =
    g_param_spec_object ("crawler", NULL, NULL, AD_TYPE_CRAWLER, G_PARAM_READWRITE | flags);
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, NULL, G_PARAM_READWRITE | flags);
  properties[PROP_ERRORS_ONLY] =
    g_param_spec_boolean ("errors-only", NULL, NULL, FALSE, G_PARAM_READWRITE | flags);
  properties[PROP_SHOWN_RESULTS] =
    g_param_spec_object ("shown-results", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | flags);
  properties[PROP_SELECTED_ITEM] =
    g_param_spec_object ("selected-item", NULL, NULL, AD_TYPE_CRAWL_RESULT,
                         G_PARAM_READABLE | flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The template's lookups and sorters name these types' properties. */
  g_type_ensure (AD_TYPE_CRAWLER);
  g_type_ensure (AD_TYPE_CRAWL_RESULT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ad-crawl-results-view.ui");
  /* Held by the template (internal) until dispose: the ramp made in init
   * needs it, and nothing in the template refers to it. */
  gtk_widget_class_bind_template_child_internal (widget_class, AdCrawlResultsView, sort_model);
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AdCrawlResultsView, name)
  BIND (errors_filter);
  BIND (results_view);
  BIND (status_column);
  BIND (url_column);
  BIND (size_column);
  BIND (time_column);
  BIND (depth_column);
  BIND (type_column);
  BIND (note_column);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, is_empty);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, AD_CRAWL_CELL_MENU_ACTION, "(dd)",
                                   row_menu_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ad_crawl_results_view_init (AdCrawlResultsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_custom_filter_set_filter_func (self->errors_filter, errors_filter_func, self, NULL);

  self->ramp = ad_list_ramp_new (g_object_ref (G_LIST_MODEL (self->sort_model)),
                                 GTK_WIDGET (self->results_view));
  self->selection = gtk_single_selection_new (g_object_ref (ad_list_ramp_get_model (self->ramp)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->results_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (selection_changed_cb), self);

  ad_crawl_cell_set_factory (self->status_column, AD_CRAWL_CELL_STATUS);
  ad_crawl_cell_set_factory (self->url_column, AD_CRAWL_CELL_URL);
  ad_crawl_cell_set_factory (self->size_column, AD_CRAWL_CELL_SIZE);
  ad_crawl_cell_set_factory (self->time_column, AD_CRAWL_CELL_TIME);
  ad_crawl_cell_set_factory (self->depth_column, AD_CRAWL_CELL_DEPTH);
  ad_crawl_cell_set_factory (self->type_column, AD_CRAWL_CELL_TYPE);
  ad_crawl_cell_set_factory (self->note_column, AD_CRAWL_CELL_NOTE);

  self->menu = ad_crawl_cell_new_menu (self->results_view);
}

GtkWidget *
ad_crawl_results_view_new (void)
{
  return g_object_new (AD_TYPE_CRAWL_RESULTS_VIEW, NULL);
}

/**
 * ad_crawl_results_view_get_crawler:
 *
 * Returns: (transfer none) (nullable): the crawler whose results are shown
 */
AdCrawler *
ad_crawl_results_view_get_crawler (AdCrawlResultsView *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULTS_VIEW (self), NULL);

  return self->crawler;
}

void
ad_crawl_results_view_set_crawler (AdCrawlResultsView *self,
                                   AdCrawler          *crawler)
{
  g_return_if_fail (AD_IS_CRAWL_RESULTS_VIEW (self));
  g_return_if_fail (!crawler || AD_IS_CRAWLER (crawler));

  if (g_set_object (&self->crawler, crawler))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CRAWLER]);
}

/**
 * ad_crawl_results_view_get_search:
 *
 * Returns: (nullable): the text the shown URLs contain (any case)
 */
const char *
ad_crawl_results_view_get_search (AdCrawlResultsView *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULTS_VIEW (self), NULL);

  return self->search;
}

/* An empty search is no search: every row is shown. */
void
ad_crawl_results_view_set_search (AdCrawlResultsView *self,
                                  const char         *search)
{
  g_return_if_fail (AD_IS_CRAWL_RESULTS_VIEW (self));

  if (search != NULL && search[0] == '\0')
    search = NULL;
  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

gboolean
ad_crawl_results_view_get_errors_only (AdCrawlResultsView *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULTS_VIEW (self), FALSE);

  return self->errors_only;
}

void
ad_crawl_results_view_set_errors_only (AdCrawlResultsView *self,
                                       gboolean            errors_only)
{
  g_return_if_fail (AD_IS_CRAWL_RESULTS_VIEW (self));

  errors_only = !!errors_only;
  if (self->errors_only == errors_only)
    return;

  self->errors_only = errors_only;
  gtk_filter_changed (GTK_FILTER (self->errors_filter),
                      errors_only ? GTK_FILTER_CHANGE_MORE_STRICT : GTK_FILTER_CHANGE_LESS_STRICT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERRORS_ONLY]);
}

/**
 * ad_crawl_results_view_get_shown_results:
 *
 * Returns: (transfer none): the results as the table shows them, filtered
 *   and sorted
 */
GListModel *
ad_crawl_results_view_get_shown_results (AdCrawlResultsView *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULTS_VIEW (self), NULL);

  return G_LIST_MODEL (self->sort_model);
}

/**
 * ad_crawl_results_view_get_selected_item:
 *
 * Returns: (transfer none) (nullable): the selected row's result
 */
AdCrawlResult *
ad_crawl_results_view_get_selected_item (AdCrawlResultsView *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_RESULTS_VIEW (self), NULL);

  return self->selection ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}
