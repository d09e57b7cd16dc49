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
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-a11y.h"

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
