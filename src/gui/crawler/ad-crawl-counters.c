/* ad-crawl-counters.c: the Crawler page's live counters
 *
 * Queued, in flight, done, errors, pages per second, bytes and the limit
 * that binds right now, each a label bound in ad-crawl-counters.ui to one
 * property of the crawler through an expression on this widget's
 * `crawler` property (<lookup> for the value, <closure> for its text).
 * The crawler coalesces its counters into one batch of notifications every
 * 100 ms and notifies only the properties that changed, so a batch costs
 * one label update per changed counter, nothing for the rest; and a new
 * crawler set on the widget is followed with no code here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-crawl-counters-private.h"

struct _AdCrawlCounters
{
  GtkWidget  parent_instance;

  AdCrawler *crawler;
  guint      n_updates;   /* closure runs, for the tests */
};

G_DEFINE_FINAL_TYPE (AdCrawlCounters, ad_crawl_counters, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CRAWLER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
count_update (AdCrawlCounters *self)
{
  if (AD_IS_CRAWL_COUNTERS (self))
    self->n_updates++;
}

/* ---- closures of the template ------------------------------------------------ */

static char *
format_uint (AdCrawlCounters *self,
             guint            value)
{
  count_update (self);
  return g_strdup_printf ("%u", value);
}

static char *
format_rate (AdCrawlCounters *self,
             double           pages_per_second)
{
  count_update (self);
  return g_strdup_printf ("%.0f", pages_per_second);
}

static char *
format_bytes (AdCrawlCounters *self,
              guint64          bytes)
{
  count_update (self);
  return g_format_size (bytes);
}

typedef enum
{
  LIMIT_TEXT,
  LIMIT_ICON,
  LIMIT_TOOLTIP,
} LimitField;

static const char *
describe_limit (AdCrawlLimit limit,
                gboolean     running,
                LimitField   field)
{
  const char *text, *icon, *tip;

  switch (limit)
    {
    case AD_CRAWL_LIMIT_TOTAL:
      text = _("Total");
      icon = "network-transmit-receive-symbolic";
      tip = _("The maximum requests in flight: queued URLs wait for a free slot");
      break;
    case AD_CRAWL_LIMIT_PER_HOST:
      text = _("Per host");
      icon = "network-server-symbolic";
      tip = _("The maximum requests in flight per host: queued URLs wait for their host");
      break;
    case AD_CRAWL_LIMIT_DELAY:
      text = _("Delay");
      icon = "alarm-symbolic";
      tip = _("The delay between two requests to a host (or robots.txt's Crawl-delay)");
      break;
    case AD_CRAWL_LIMIT_ROBOTS:
      text = _("robots.txt");
      icon = "emblem-documents-symbolic";
      tip = _("Waiting for a host's robots.txt before fetching any of its pages");
      break;
    case AD_CRAWL_LIMIT_PARSING:
      text = _("Parsing");
      icon = "system-run-symbolic";
      tip = _("The thread pool is busy extracting links: fetching waits so that bodies do not "
              "pile up");
      break;
    case AD_CRAWL_LIMIT_NONE:
    default:
      text = running ? _("None") : "—";
      icon = running ? "emblem-ok-symbolic" : "media-playback-stop-symbolic";
      tip = running ? _("Nothing holds the queued URLs back") : _("Not running");
      break;
    }

  switch (field)
    {
    case LIMIT_ICON:
      return icon;
    case LIMIT_TOOLTIP:
      return tip;
    case LIMIT_TEXT:
    default:
      return text;
    }
}

static char *
limit_text (AdCrawlCounters *self,
            AdCrawlLimit     limit,
            gboolean         running)
{
  count_update (self);
  return g_strdup (describe_limit (limit, running, LIMIT_TEXT));
}

static char *
limit_icon (AdCrawlCounters *self,
            AdCrawlLimit     limit,
            gboolean         running)
{
  count_update (self);
  return g_strdup (describe_limit (limit, running, LIMIT_ICON));
}

static char *
limit_tooltip (AdCrawlCounters *self,
               AdCrawlLimit     limit,
               gboolean         running)
{
  count_update (self);
  return g_strdup (describe_limit (limit, running, LIMIT_TOOLTIP));
}

/* ---- GObject ------------------------------------------------------------------ */

static void
ad_crawl_counters_dispose (GObject *object)
{
  AdCrawlCounters *self = AD_CRAWL_COUNTERS (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_CRAWL_COUNTERS);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->crawler);

  G_OBJECT_CLASS (ad_crawl_counters_parent_class)->dispose (object);
}

static void
ad_crawl_counters_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AdCrawlCounters *self = AD_CRAWL_COUNTERS (object);

  switch (prop_id)
    {
    case PROP_CRAWLER:
      g_value_set_object (value, self->crawler);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_crawl_counters_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AdCrawlCounters *self = AD_CRAWL_COUNTERS (object);

  switch (prop_id)
    {
    case PROP_CRAWLER:
      ad_crawl_counters_set_crawler (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_crawl_counters_class_init (AdCrawlCountersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_crawl_counters_dispose;
  object_class->get_property = ad_crawl_counters_get_property;
  object_class->set_property = ad_crawl_counters_set_property;

  properties[PROP_CRAWLER] =
    g_param_spec_object ("crawler", NULL, NULL, AD_TYPE_CRAWLER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The template's lookups name AdCrawler's properties. */
  g_type_ensure (AD_TYPE_CRAWLER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ad-crawl-counters.ui");
  gtk_widget_class_bind_template_callback (widget_class, format_uint);
  gtk_widget_class_bind_template_callback (widget_class, format_rate);
  gtk_widget_class_bind_template_callback (widget_class, format_bytes);
  gtk_widget_class_bind_template_callback (widget_class, limit_text);
  gtk_widget_class_bind_template_callback (widget_class, limit_icon);
  gtk_widget_class_bind_template_callback (widget_class, limit_tooltip);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "crawlcounters");
}

static void
ad_crawl_counters_init (AdCrawlCounters *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ad_crawl_counters_new (void)
{
  return g_object_new (AD_TYPE_CRAWL_COUNTERS, NULL);
}

/**
 * ad_crawl_counters_get_crawler:
 *
 * Returns: (transfer none) (nullable): the crawler whose counters are shown
 */
AdCrawler *
ad_crawl_counters_get_crawler (AdCrawlCounters *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_COUNTERS (self), NULL);

  return self->crawler;
}

void
ad_crawl_counters_set_crawler (AdCrawlCounters *self,
                               AdCrawler       *crawler)
{
  g_return_if_fail (AD_IS_CRAWL_COUNTERS (self));
  g_return_if_fail (!crawler || AD_IS_CRAWLER (crawler));

  if (g_set_object (&self->crawler, crawler))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CRAWLER]);
}

/* The number of times a closure of the template ran: each is one label,
 * icon or tooltip recomputed. */
guint
ad_crawl_counters_get_n_updates (AdCrawlCounters *self)
{
  g_return_val_if_fail (AD_IS_CRAWL_COUNTERS (self), 0);

  return self->n_updates;
}
