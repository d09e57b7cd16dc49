/* ad-broken-links-view.c: the Crawler page's broken links, each with the
 * pages that link to it
 *
 * The crawler's broken-links model, selected and shown in a column view,
 * all wired in ad-broken-links-view.ui on this widget's `crawler`
 * property; the placeholder shows while the list is empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include "ad-broken-links-view.h"
#include "ad-crawl-cells.h"

struct _AdBrokenLinksView
{
  GtkWidget            parent_instance;

  AdCrawler           *crawler;
  GtkWidget           *menu;         /* GtkPopoverMenu on broken_view */

  GtkSingleSelection  *selection;
  GtkColumnView       *broken_view;
  GtkColumnViewColumn *broken_url_column;
  GtkColumnViewColumn *broken_problem_column;
  GtkColumnViewColumn *broken_referrers_column;
};

G_DEFINE_FINAL_TYPE (AdBrokenLinksView, ad_broken_links_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CRAWLER,
  PROP_SELECTED_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_empty (AdBrokenLinksView *self,
          guint              n_items)
{
  return n_items == 0;
}

static void
selection_changed_cb (AdBrokenLinksView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ITEM]);
}

/* Activating a row opens it, as the row menu's Open in Browser does. */
static void
row_activated_cb (AdBrokenLinksView *self,
                  guint              position)
{
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (self), "crawler.open-url", NULL);
}

static void
row_menu_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ad_crawl_cell_popup_menu (AD_BROKEN_LINKS_VIEW (widget)->menu, parameter);
}

static void
ad_broken_links_view_dispose (GObject *object)
{
  AdBrokenLinksView *self = AD_BROKEN_LINKS_VIEW (object);
  GtkWidget *child;

  g_clear_pointer (&self->menu, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_BROKEN_LINKS_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->crawler);

  G_OBJECT_CLASS (ad_broken_links_view_parent_class)->dispose (object);
}

static void
ad_broken_links_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AdBrokenLinksView *self = AD_BROKEN_LINKS_VIEW (object);

  switch (prop_id)
    {
    case PROP_CRAWLER:
      g_value_set_object (value, self->crawler);
      break;
    case PROP_SELECTED_ITEM:
      g_value_set_object (value, ad_broken_links_view_get_selected_item (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_broken_links_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AdBrokenLinksView *self = AD_BROKEN_LINKS_VIEW (object);

  switch (prop_id)
    {
    case PROP_CRAWLER:
      ad_broken_links_view_set_crawler (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_broken_links_view_class_init (AdBrokenLinksViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ad_broken_links_view_dispose;
  object_class->get_property = ad_broken_links_view_get_property;
  object_class->set_property = ad_broken_links_view_set_property;

  properties[PROP_CRAWLER] =
    g_param_spec_object ("crawler", NULL, NULL, AD_TYPE_CRAWLER, G_PARAM_READWRITE | flags);
  properties[PROP_SELECTED_ITEM] =
    g_param_spec_object ("selected-item", NULL, NULL, AD_TYPE_CRAWL_RESULT,
                         G_PARAM_READABLE | flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AD_TYPE_CRAWLER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ad-broken-links-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AdBrokenLinksView, name)
  BIND (selection);
  BIND (broken_view);
  BIND (broken_url_column);
  BIND (broken_problem_column);
  BIND (broken_referrers_column);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, is_empty);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, AD_CRAWL_CELL_MENU_ACTION, "(dd)",
                                   row_menu_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ad_broken_links_view_init (AdBrokenLinksView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  ad_crawl_cell_set_factory (self->broken_url_column, AD_CRAWL_CELL_BROKEN_URL);
  ad_crawl_cell_set_factory (self->broken_problem_column, AD_CRAWL_CELL_BROKEN_PROBLEM);
  ad_crawl_cell_set_factory (self->broken_referrers_column, AD_CRAWL_CELL_BROKEN_REFERRERS);

  self->menu = ad_crawl_cell_new_menu (self->broken_view);
}

GtkWidget *
ad_broken_links_view_new (void)
{
  return g_object_new (AD_TYPE_BROKEN_LINKS_VIEW, NULL);
}

/**
 * ad_broken_links_view_get_crawler:
 *
 * Returns: (transfer none) (nullable): the crawler whose broken links are shown
 */
AdCrawler *
ad_broken_links_view_get_crawler (AdBrokenLinksView *self)
{
  g_return_val_if_fail (AD_IS_BROKEN_LINKS_VIEW (self), NULL);

  return self->crawler;
}

void
ad_broken_links_view_set_crawler (AdBrokenLinksView *self,
                                  AdCrawler         *crawler)
{
  g_return_if_fail (AD_IS_BROKEN_LINKS_VIEW (self));
  g_return_if_fail (!crawler || AD_IS_CRAWLER (crawler));

  if (g_set_object (&self->crawler, crawler))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CRAWLER]);
}

/**
 * ad_broken_links_view_get_selected_item:
 *
 * Returns: (transfer none) (nullable): the selected broken link
 */
AdCrawlResult *
ad_broken_links_view_get_selected_item (AdBrokenLinksView *self)
{
  g_return_val_if_fail (AD_IS_BROKEN_LINKS_VIEW (self), NULL);

  return self->selection ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}
