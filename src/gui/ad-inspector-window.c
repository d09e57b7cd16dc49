/* ad-inspector-window.c: the Tasks page in a window of its own
 *
 * Opened with Ctrl+Shift+T (app.inspector) from any page, so the task
 * tree, the timeline and the latency graph can float beside the demo
 * being watched. It hosts a second AdTasksPage: each page follows the
 * default recorder with its own cursor and builds its own timeline, so
 * the two never wait for each other. Not transient: it is a peer of the
 * main window, and closing it just drops the page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-inspector-window.h"

struct _AdInspectorWindow
{
  GtkWindow    parent_instance;
};

G_DEFINE_FINAL_TYPE (AdInspectorWindow, ad_inspector_window, GTK_TYPE_WINDOW)

static void
ad_inspector_window_class_init (AdInspectorWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (AD_TYPE_TASKS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ad-inspector-window.ui");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
ad_inspector_window_init (AdInspectorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AdInspectorWindow *
ad_inspector_window_new (GtkApplication *application)
{
  return g_object_new (AD_TYPE_INSPECTOR_WINDOW, "application", application, NULL);
}

/**
 * ad_inspector_window_get_page:
 *
 * Returns: (transfer none): the page the window shows
 */
AdTasksPage *
ad_inspector_window_get_page (AdInspectorWindow *self)
{
  g_return_val_if_fail (AD_IS_INSPECTOR_WINDOW (self), NULL);

  /* The page is the window's only child, which GtkWindow owns and drops:
   * no template binding to clear on top of that. */
  return AD_TASKS_PAGE (gtk_window_get_child (GTK_WINDOW (self)));
}
