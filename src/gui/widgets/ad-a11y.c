/* ad-a11y.c: accessible names GTK 4.8 gets wrong, put right once
 *
 * See ad-a11y.h for what GTK 4.8 does. The fixes:
 *  - a GtkButton (or GtkToggleButton) with use-underline: its accessible
 *    label property is reset, so its name is its inner label's, which has
 *    no underscore; GtkButton sets the property again on every label
 *    change, so the reset follows ::notify::label;
 *  - a GtkCheckButton with use-underline: the same reset, and the button
 *    is labelled by its inner label (GTK 4.8 makes no such relation for a
 *    check button);
 *  - the GtkToggleButton inside a GtkDropDown: labelled by the drop-down's
 *    mnemonic labels, or by the drop-down itself (whose accessible label
 *    the .ui sets) when it has none.
 *
 * ad_a11y_name_internals() names the controls that GTK's and libadwaita's
 * own windows (the shortcuts window, AdwAboutWindow, AdwPreferencesWindow)
 * leave unnamed, so that a screen reader says their class: a search entry
 * by its placeholder or "Search"; a button showing a label, by that label;
 * an icon button by its tooltip or its icon's meaning; an unnamed menu
 * button (the shortcuts window's section switcher) as "Sections" (its
 * inner toggle is labelled by it); a text view by the title of the page it sits on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-a11y.h"

#include <adwaita.h>
#include <glib/gi18n.h>

static GtkWidget *
find_child_of_type (GtkWidget *widget,
                    GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
      return child;

  return NULL;
}

static void
mnemonic_label_changed_cb (GtkWidget  *widget,
                           GParamSpec *pspec,
                           gpointer    user_data)
{
  gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);

  if (GTK_IS_CHECK_BUTTON (widget))
    {
      GtkWidget *label = find_child_of_type (widget, GTK_TYPE_LABEL);

      if (label != NULL)
        gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                        -1);
    }
}

static gboolean
uses_underline (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return gtk_button_get_use_underline (GTK_BUTTON (widget)) &&
           gtk_button_get_label (GTK_BUTTON (widget)) != NULL;
  if (GTK_IS_CHECK_BUTTON (widget))
    return gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget)) &&
           gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)) != NULL;

  return FALSE;
}

static void
fix_mnemonic_button (GtkWidget *widget)
{
  if (!uses_underline (widget))
    return;

  mnemonic_label_changed_cb (widget, NULL, NULL);
  /* Once per button, however often a tree holding it is walked. */
  if (g_signal_handler_find (widget, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                             mnemonic_label_changed_cb, NULL) == 0)
    g_signal_connect_after (widget, "notify::label", G_CALLBACK (mnemonic_label_changed_cb),
                            NULL);
}

static void
fix_drop_down (GtkWidget *drop_down)
{
  GtkWidget *toggle = find_child_of_type (drop_down, GTK_TYPE_TOGGLE_BUTTON);
  GList *labels;

  if (toggle == NULL)
    return;

  /* A drop-down has one mnemonic label, if any. */
  labels = gtk_widget_list_mnemonic_labels (drop_down);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (toggle),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  labels != NULL ? labels->data : drop_down, NULL,
                                  -1);
  g_list_free (labels);
}

/**
 * ad_a11y_fix_names:
 * @root: a widget, usually a page or a panel right after
 *   gtk_widget_init_template()
 *
 * Fixes the accessible names of the buttons with mnemonics and of the
 * drop-downs under @root (itself included). Walking a tree twice is
 * harmless.
 */
void
ad_a11y_fix_names (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_DROP_DOWN (root))
    {
      fix_drop_down (root);
      return;
    }

  fix_mnemonic_button (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    ad_a11y_fix_names (child);
}

static void
set_label (GtkWidget  *widget,
           const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static const char *
icon_meaning (const char *icon_name)
{
  static const struct
  {
    const char *icon;
    const char *label;
  } meanings[] = {
    { "go-previous-symbolic", N_("Back") },
    { "edit-find-symbolic", N_("Search") },
    { "window-close-symbolic", N_("Close") },
  };

  for (gsize i = 0; icon_name != NULL && i < G_N_ELEMENTS (meanings); i++)
    if (g_str_equal (icon_name, meanings[i].icon))
      return _(meanings[i].label);

  return NULL;
}

/* The title of the page @widget sits on: the first AdwWindowTitle with a
 * title in the nearest ancestor that has one. */
static const char *
find_title (GtkWidget *widget)
{
  if (ADW_IS_WINDOW_TITLE (widget))
    {
      const char *title = adw_window_title_get_title (ADW_WINDOW_TITLE (widget));

      if (title != NULL && *title != '\0')
        return title;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *title = find_title (child);

      if (title != NULL)
        return title;
    }

  return NULL;
}

static void
name_internal (GtkWidget *widget)
{
  if (GTK_IS_SEARCH_ENTRY (widget))
    {
      g_autofree char *placeholder = NULL;

      g_object_get (widget, "placeholder-text", &placeholder, NULL);
      set_label (widget, placeholder != NULL && *placeholder != '\0' ? placeholder : _("Search"));
    }
  else if (GTK_IS_MENU_BUTTON (widget))
    {
      const char *label = gtk_widget_get_tooltip_text (widget);

      if (label == NULL)
        label = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
      if (label == NULL)
        label = _("Sections");
      /* Its inner toggle button is labelled by it. */
      set_label (widget, label);
    }
  else if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));
      const char *label = gtk_widget_get_tooltip_text (widget);

      if (GTK_IS_LABEL (child))
        gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY, child, NULL, -1);
      else
        {
          /* Its tooltip, else what its icon means */
          if (label == NULL)
            label = icon_meaning (gtk_button_get_icon_name (GTK_BUTTON (widget)));
          if (label == NULL && GTK_IS_IMAGE (child))
            label = icon_meaning (gtk_image_get_icon_name (GTK_IMAGE (child)));
          if (label != NULL)
            set_label (widget, label);
        }
    }
  else if (GTK_IS_TEXT_VIEW (widget))
    {
      for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL;
           up = gtk_widget_get_parent (up))
        {
          const char *title = find_title (up);

          if (title != NULL)
            {
              set_label (widget, title);
              break;
            }
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_internal (child);
}

/**
 * ad_a11y_name_internals:
 * @root: a window of GTK's or libadwaita's own (the help overlay, an
 *   AdwAboutWindow, an AdwPreferencesWindow), once built
 *
 * Names the controls inside @root that have no name of their own (see the
 * header) and fixes the mnemonic buttons' names as ad_a11y_fix_names()
 * does.
 */
void
ad_a11y_name_internals (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  name_internal (root);
  ad_a11y_fix_names (root);
}

static void
help_overlay_notify_application_cb (GtkApplicationWindow *window)
{
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay != NULL)
    ad_a11y_name_internals (GTK_WIDGET (overlay));
}

/**
 * ad_a11y_follow_help_overlay:
 * @window: an application window
 *
 * Names the controls of @window's help overlay, which GtkApplication
 * builds when the window joins it.
 */
void
ad_a11y_follow_help_overlay (GtkApplicationWindow *window)
{
  g_return_if_fail (GTK_IS_APPLICATION_WINDOW (window));

  g_signal_connect (window, "notify::application",
                    G_CALLBACK (help_overlay_notify_application_cb), NULL);
}
