/* ad-crawl-cells.c: the cells of the Crawler page's two tables
 *
 * One GtkSignalListItemFactory per column: "setup" makes a label (or an
 * icon and a label for a status), "bind" fills it from one AdCrawlResult.
 * Status is shown with an icon and text, never colour alone.
 *
 * A right click on a cell selects its row and asks the table's view, by
 * the widget action AD_CRAWL_CELL_MENU_ACTION, to pop its row menu up at
 * the pointer; the cells know nothing of the views above them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-cell-tooltip.h"
#include "ad-core.h"
#include "ad-crawl-cells.h"

/* A right click on a row selects it and opens the row menu there. */
static void
cell_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListItem     *item)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *view = gtk_widget_get_ancestor (cell, GTK_TYPE_COLUMN_VIEW);
  graphene_point_t point;

  if (view == NULL || gtk_list_item_get_item (item) == NULL)
    return;

  gtk_selection_model_select_item (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)),
                                   gtk_list_item_get_position (item), TRUE);
  if (!gtk_widget_compute_point (cell, view, &GRAPHENE_POINT_INIT ((float) x, (float) y), &point))
    return;

  if (gtk_widget_activate_action (view, AD_CRAWL_CELL_MENU_ACTION, "(dd)", (double) point.x,
                                  (double) point.y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Tooltips, made when the pointer asks (ad-cell-tooltip.h), from the row's
 * result: the error of a status, a URL whole, a note whole. */
static char *
cell_tooltip (GtkWidget *widget,
              gpointer   user_data)
{
  GtkListItem *item = user_data;
  AdCrawlResult *result = gtk_list_item_get_item (item);

  if (result == NULL)
    return NULL;
  if (GTK_IS_BOX (widget))
    return g_strdup (ad_crawl_result_get_error_message (result));
  return g_strdup (gtk_label_get_text (GTK_LABEL (widget)));
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  AdCrawlCell cell = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (cell_pressed_cb), item);

  switch (cell)
    {
    case AD_CRAWL_CELL_STATUS:
    case AD_CRAWL_CELL_BROKEN_PROBLEM:
      {
        GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        /* The text says it all; the icon is decoration for a screen reader. */
        GtkWidget *image = g_object_new (GTK_TYPE_IMAGE,
                                         "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                         NULL);

        gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (click));
        gtk_widget_set_valign (box, GTK_ALIGN_START);
        gtk_label_set_xalign (GTK_LABEL (label), 0);
        gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
        gtk_box_append (GTK_BOX (box), image);
        gtk_box_append (GTK_BOX (box), label);
        ad_cell_tooltip_set_func (box, cell_tooltip, item, NULL);
        gtk_list_item_set_child (item, box);
        return;
      }
    case AD_CRAWL_CELL_SIZE:
    case AD_CRAWL_CELL_TIME:
    case AD_CRAWL_CELL_DEPTH:
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
      break;
    case AD_CRAWL_CELL_URL:
    case AD_CRAWL_CELL_BROKEN_URL:
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      ad_cell_tooltip_set_func (label, cell_tooltip, item, NULL);
      break;
    case AD_CRAWL_CELL_BROKEN_REFERRERS:
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      break;
    case AD_CRAWL_CELL_TYPE:
    case AD_CRAWL_CELL_NOTE:
    default:
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "dim-label");
      if (cell == AD_CRAWL_CELL_NOTE)
        ad_cell_tooltip_set_func (label, cell_tooltip, item, NULL);
      break;
    }

  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_list_item_set_child (item, label);
}

/* Icon and text: colour is never the only sign of a broken link. */
static void
bind_status (GtkWidget     *box,
             AdCrawlResult *result,
             gboolean       long_form)
{
  GtkImage *image = GTK_IMAGE (gtk_widget_get_first_child (box));
  GtkLabel *label = GTK_LABEL (gtk_widget_get_last_child (box));
  guint status = ad_crawl_result_get_status (result);
  const char *error = ad_crawl_result_get_error_message (result);
  g_autofree char *text = NULL;

  if (error != NULL)
    {
      gtk_image_set_from_icon_name (image, "dialog-error-symbolic");
      text = long_form ? g_strdup (error) : g_strdup (_("Error"));
    }
  else if (status >= 400)
    {
      gtk_image_set_from_icon_name (image, "dialog-error-symbolic");
      /* Translators: an HTTP status code that means a broken link */
      text = long_form ? g_strdup_printf (_("HTTP status %u"), status)
                       : g_strdup_printf ("%u", status);
    }
  else
    {
      gtk_image_set_from_icon_name (image, "emblem-ok-symbolic");
      text = g_strdup_printf ("%u", status);
    }

  gtk_label_set_text (label, text);
  if (ad_crawl_result_is_broken (result))
    gtk_widget_add_css_class (box, "error");
  else
    gtk_widget_remove_css_class (box, "error");
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  AdCrawlCell cell = GPOINTER_TO_INT (user_data);
  AdCrawlResult *result = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  GtkLabel *label = GTK_IS_LABEL (child) ? GTK_LABEL (child) : NULL;
  g_autofree char *text = NULL;

  switch (cell)
    {
    case AD_CRAWL_CELL_STATUS:
      bind_status (child, result, FALSE);
      break;
    case AD_CRAWL_CELL_BROKEN_PROBLEM:
      bind_status (child, result, TRUE);
      break;
    case AD_CRAWL_CELL_URL:
    case AD_CRAWL_CELL_BROKEN_URL:
      gtk_label_set_text (label, ad_crawl_result_get_url (result));
      break;
    case AD_CRAWL_CELL_SIZE:
      text = g_format_size (ad_crawl_result_get_size (result));
      gtk_label_set_text (label, text);
      break;
    case AD_CRAWL_CELL_TIME:
      /* Translators: a duration in milliseconds, as in "12.3 ms" */
      text = g_strdup_printf (_("%.1f ms"), ad_crawl_result_get_total_ms (result));
      gtk_label_set_text (label, text);
      break;
    case AD_CRAWL_CELL_DEPTH:
      text = g_strdup_printf ("%u", ad_crawl_result_get_depth (result));
      gtk_label_set_text (label, text);
      break;
    case AD_CRAWL_CELL_TYPE:
      gtk_label_set_text (label, ad_crawl_result_get_content_type (result)
                                 ? ad_crawl_result_get_content_type (result) : "—");
      break;
    case AD_CRAWL_CELL_NOTE:
      if (ad_crawl_result_get_error_message (result) != NULL)
        text = g_strdup (ad_crawl_result_get_error_message (result));
      else if (ad_crawl_result_get_redirects (result) > 0)
        text = g_strdup_printf (_("Redirected to %s"), ad_crawl_result_get_final_url (result));
      else if (ad_crawl_result_get_referrer (result) != NULL)
        text = g_strdup_printf (_("Found on %s"), ad_crawl_result_get_referrer (result));
      gtk_label_set_text (label, text ? text : "");
      break;
    case AD_CRAWL_CELL_BROKEN_REFERRERS:
      {
        const char * const *referrers = ad_crawl_result_get_referrers (result);

        text = referrers ? g_strjoinv ("\n", (GStrv) referrers) : NULL;
        gtk_label_set_text (label, text ? text : "—");
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

void
ad_crawl_cell_set_factory (GtkColumnViewColumn *column,
                           AdCrawlCell          cell)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_return_if_fail (GTK_IS_COLUMN_VIEW_COLUMN (column));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (cell));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (cell));
  gtk_column_view_column_set_factory (column, factory);
}

/**
 * ad_crawl_cell_new_menu:
 * @view: the table whose rows the menu acts on
 *
 * Makes the row menu (Open in Browser, Copy URL: the page's
 * crawler.open-url and crawler.copy-url actions, on the selected row) as a
 * popover parented to @view. Unparent it in the owner's dispose.
 *
 * Returns: (transfer none): the popover
 */
GtkWidget *
ad_crawl_cell_new_menu (GtkColumnView *view)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *popover;

  g_menu_append (menu, _("_Open in Browser"), "crawler.open-url");
  g_menu_append (menu, _("_Copy URL"), "crawler.copy-url");
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  gtk_widget_set_parent (popover, GTK_WIDGET (view));

  return popover;
}

/* Pops @menu up at @point, a "(dd)" in its parent's coordinates. */
void
ad_crawl_cell_popup_menu (GtkWidget *menu,
                          GVariant  *point)
{
  GdkRectangle pointing_to = { 0, 0, 1, 1 };
  double x, y;

  g_return_if_fail (GTK_IS_POPOVER (menu));

  g_variant_get (point, "(dd)", &x, &y);
  pointing_to.x = (int) x;
  pointing_to.y = (int) y;
  gtk_popover_set_pointing_to (GTK_POPOVER (menu), &pointing_to);
  gtk_popover_popup (GTK_POPOVER (menu));
}
