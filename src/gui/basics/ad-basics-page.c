/* ad-basics-page.c: the Basics page: every idea of the asyncio tutorial as
 * a demo you can run, cancel and read
 *
 * A list of the demos beside one AdDemoPanel per demo, in a GtkStack. The
 * panels live as long as the page, so a run keeps going (and keeps its
 * log) while the user reads another demo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ad-basics-page.h"

struct _AdBasicsPage
{
  GtkWidget  parent_instance;

  guint      log_capacity;

  AdwLeaflet *leaflet;
  GtkWidget  *demo_list;
  GtkStack   *stack;
};

G_DEFINE_FINAL_TYPE (AdBasicsPage, ad_basics_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOG_CAPACITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Each demo's stack child is a slot (AdwBin): its panel is built when the
 * slot is first shown or asked for, so that the page (the window's first)
 * builds one panel at start-up, not eight. */
static AdDemoPanel *
ensure_panel (AdBasicsPage *self,
              GtkWidget    *slot)
{
  GtkWidget *panel;

  if (!ADW_IS_BIN (slot))
    return NULL;
  panel = adw_bin_get_child (ADW_BIN (slot));
  if (panel == NULL)
    {
      panel = GTK_WIDGET (ad_demo_panel_new (g_object_get_data (G_OBJECT (slot), "demo")));
      ad_log_model_set_capacity (ad_demo_panel_get_log (AD_DEMO_PANEL (panel)),
                                 self->log_capacity);
      adw_bin_set_child (ADW_BIN (slot), panel);
    }

  return AD_DEMO_PANEL (panel);
}

static void
ensure_visible_panel (AdBasicsPage *self)
{
  ensure_panel (self, gtk_stack_get_visible_child (self->stack));
}

/* Ctrl+Return and Escape work from anywhere on the page, the demo list
 * included: they go to the demo shown. */
static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AdBasicsPage *self = AD_BASICS_PAGE (widget);
  GtkWidget *panel = GTK_WIDGET (ensure_panel (self, gtk_stack_get_visible_child (self->stack)));

  if (panel == NULL)
    return;

  gtk_widget_activate_action (panel, g_str_equal (action_name, "basics.run") ? "demo.run"
                                                                            : "demo.cancel",
                              NULL);
}

/* Folded (a phone), choosing a demo in the list goes to it, even the one
 * already chosen... */
static void
on_demo_activated (AdBasicsPage *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* The list box inside the GtkStackSidebar, whose rows the user activates. */
static GtkWidget *
find_list_box (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_box (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* ...and the back button returns to the list. */
static void
show_list (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  AdBasicsPage *self = AD_BASICS_PAGE (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
ad_basics_page_dispose (GObject *object)
{
  AdBasicsPage *self = (AdBasicsPage *) object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_BASICS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ad_basics_page_parent_class)->dispose (object);
}

static void
ad_basics_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AdBasicsPage *self = AD_BASICS_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOG_CAPACITY:
      g_value_set_uint (value, self->log_capacity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_basics_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AdBasicsPage *self = AD_BASICS_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOG_CAPACITY:
      ad_basics_page_set_log_capacity (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_basics_page_class_init (AdBasicsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_basics_page_dispose;
  object_class->get_property = ad_basics_page_get_property;
  object_class->set_property = ad_basics_page_set_property;

  properties[PROP_LOG_CAPACITY] =
    g_param_spec_uint ("log-capacity", NULL, NULL, 1, 1000000, AD_LOG_MODEL_DEFAULT_CAPACITY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ad-basics-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AdBasicsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AdBasicsPage, demo_list);
  gtk_widget_class_bind_template_child (widget_class, AdBasicsPage, stack);

  gtk_widget_class_install_action (widget_class, "basics.show-list", NULL, show_list);

  gtk_widget_class_install_action (widget_class, "basics.run", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "basics.cancel", NULL, forward_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "basics.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "basics.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ad_basics_page_init (AdBasicsPage *self)
{
  const AdBasicsDemo *demos;
  guint n_demos;

  self->log_capacity = AD_LOG_MODEL_DEFAULT_CAPACITY;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (find_list_box (self->demo_list), "row-activated",
                           G_CALLBACK (on_demo_activated), self, G_CONNECT_SWAPPED);

  demos = ad_basics_get_demos (&n_demos);
  for (guint i = 0; i < n_demos; i++)
    {
      GtkWidget *slot = adw_bin_new ();

      g_object_set_data (G_OBJECT (slot), "demo", (gpointer) &demos[i]);
      gtk_stack_add_titled (self->stack, slot, demos[i].id, _(demos[i].title));
    }
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (ensure_visible_panel), self, G_CONNECT_SWAPPED);
  ensure_visible_panel (self);
}

/**
 * ad_basics_page_get_panel:
 * @demo_id: a demo's id, such as "concurrent"
 *
 * Returns: (transfer none) (nullable): that demo's panel
 */
AdDemoPanel *
ad_basics_page_get_panel (AdBasicsPage *self,
                          const char   *demo_id)
{
  g_return_val_if_fail (AD_IS_BASICS_PAGE (self), NULL);

  return ensure_panel (self, gtk_stack_get_child_by_name (self->stack, demo_id));
}

/**
 * ad_basics_page_show_demo:
 *
 * Shows a demo's panel, as selecting it in the list does.
 *
 * Returns: (transfer none) (nullable): the panel
 */
AdDemoPanel *
ad_basics_page_show_demo (AdBasicsPage *self,
                          const char   *demo_id)
{
  AdDemoPanel *panel;

  g_return_val_if_fail (AD_IS_BASICS_PAGE (self), NULL);

  panel = ad_basics_page_get_panel (self, demo_id);
  if (panel != NULL)
    gtk_stack_set_visible_child (self->stack, gtk_widget_get_parent (GTK_WIDGET (panel)));

  return panel;
}

/**
 * ad_basics_page_set_log_capacity:
 *
 * How many lines each demo's log keeps.
 */
void
ad_basics_page_set_log_capacity (AdBasicsPage *self,
                                 guint         capacity)
{
  g_return_if_fail (AD_IS_BASICS_PAGE (self));
  g_return_if_fail (capacity > 0);

  if (self->log_capacity == capacity)
    return;

  self->log_capacity = capacity;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *panel = adw_bin_get_child (ADW_BIN (child));  /* NULL: not built yet */

      if (panel != NULL)
        ad_log_model_set_capacity (ad_demo_panel_get_log (AD_DEMO_PANEL (panel)), capacity);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_CAPACITY]);
}
