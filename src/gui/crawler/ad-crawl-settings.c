/* ad-crawl-settings.c: the Crawler page's settings form
 *
 * The limits of a run (requests in flight, per host, timeout, deadline,
 * maximum pages and depth, per-host delay, scope, robots.txt), each a
 * control with a tooltip that says why the limit exists. The form is
 * loaded from a crawler once and written to it when a run starts, so a
 * change made during a run (the page makes the form insensitive then)
 * can never reach the running crawl halfway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include "ad-a11y.h"
#include "ad-crawl-settings.h"

struct _AdCrawlSettings
{
  GtkWidget       parent_instance;

  GtkSpinButton  *max_in_flight_spin;
  GtkSpinButton  *max_per_host_spin;
  GtkSpinButton  *timeout_spin;
  GtkSpinButton  *deadline_spin;
  GtkSpinButton  *max_pages_spin;
  GtkSpinButton  *max_depth_spin;
  GtkSpinButton  *delay_spin;
  GtkDropDown    *scope_choice;
  GtkCheckButton *ignore_robots_check;
};

G_DEFINE_FINAL_TYPE (AdCrawlSettings, ad_crawl_settings, GTK_TYPE_WIDGET)

static void
ad_crawl_settings_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), AD_TYPE_CRAWL_SETTINGS);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ad_crawl_settings_parent_class)->dispose (object);
}

static void
ad_crawl_settings_class_init (AdCrawlSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_crawl_settings_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ad-crawl-settings.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AdCrawlSettings, name)
  BIND (max_in_flight_spin);
  BIND (max_per_host_spin);
  BIND (timeout_spin);
  BIND (deadline_spin);
  BIND (max_pages_spin);
  BIND (max_depth_spin);
  BIND (delay_spin);
  BIND (scope_choice);
  BIND (ignore_robots_check);
#undef BIND

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ad_crawl_settings_init (AdCrawlSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ad_a11y_fix_names (GTK_WIDGET (self));
}

GtkWidget *
ad_crawl_settings_new (void)
{
  return g_object_new (AD_TYPE_CRAWL_SETTINGS, NULL);
}

/* Shows @crawler's settings in the form. */
void
ad_crawl_settings_load (AdCrawlSettings *self,
                        AdCrawler       *crawler)
{
  guint in_flight, per_host, timeout_ms, deadline_ms, max_pages, depth, delay_ms;
  AdCrawlScope scope;
  gboolean ignore_robots;

  g_return_if_fail (AD_IS_CRAWL_SETTINGS (self));
  g_return_if_fail (AD_IS_CRAWLER (crawler));

  g_object_get (crawler,
                "max-in-flight", &in_flight,
                "max-per-host", &per_host,
                "timeout", &timeout_ms,
                "deadline", &deadline_ms,
                "max-pages", &max_pages,
                "max-depth", &depth,
                "per-host-delay", &delay_ms,
                "scope", &scope,
                "ignore-robots", &ignore_robots,
                NULL);

  gtk_spin_button_set_value (self->max_in_flight_spin, in_flight);
  gtk_spin_button_set_value (self->max_per_host_spin, per_host);
  gtk_spin_button_set_value (self->timeout_spin, timeout_ms / 1000.0);
  gtk_spin_button_set_value (self->deadline_spin, deadline_ms / 1000.0);
  gtk_spin_button_set_value (self->max_pages_spin, max_pages);
  gtk_spin_button_set_value (self->max_depth_spin, depth);
  gtk_spin_button_set_value (self->delay_spin, delay_ms);
  gtk_drop_down_set_selected (self->scope_choice, scope);
  gtk_check_button_set_active (self->ignore_robots_check, ignore_robots);
}

/* Writes the form to @crawler; the per-host limit is at most the total. */
void
ad_crawl_settings_apply (AdCrawlSettings *self,
                         AdCrawler       *crawler)
{
  guint in_flight, per_host, scope;

  g_return_if_fail (AD_IS_CRAWL_SETTINGS (self));
  g_return_if_fail (AD_IS_CRAWLER (crawler));

  in_flight = (guint) gtk_spin_button_get_value_as_int (self->max_in_flight_spin);
  per_host = (guint) gtk_spin_button_get_value_as_int (self->max_per_host_spin);
  scope = gtk_drop_down_get_selected (self->scope_choice);

  g_object_set (crawler,
                "max-in-flight", in_flight,
                "max-per-host", MIN (per_host, in_flight),
                "timeout", (guint) (gtk_spin_button_get_value (self->timeout_spin) * 1000),
                "deadline", (guint) (gtk_spin_button_get_value (self->deadline_spin) * 1000),
                "max-pages", (guint) gtk_spin_button_get_value_as_int (self->max_pages_spin),
                "max-depth", (guint) gtk_spin_button_get_value_as_int (self->max_depth_spin),
                "per-host-delay", (guint) gtk_spin_button_get_value_as_int (self->delay_spin),
                "scope", scope <= AD_CRAWL_SCOPE_ANY ? scope : AD_CRAWL_SCOPE_HOST,
                "ignore-robots", gtk_check_button_get_active (self->ignore_robots_check),
                NULL);
}
