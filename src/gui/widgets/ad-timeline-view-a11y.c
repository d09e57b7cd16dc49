/* ad-timeline-view-a11y.c: what the timeline shows, in words
 *
 * The accessible description says what a sighted user takes in at a
 * glance: how many lanes and bars the view shows over which span, then
 * the focused bar (or how to reach one). It follows every frame but goes
 * to the accessibility layer only when the words change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ad-task-ui.h"
#include "ad-timeline-view-private.h"

/* The description for what the last frame drew; a new string. */
char *
ad_timeline_view_build_description (AdTimelineView *self)
{
  g_autofree char *focus = ad_timeline_view_describe_focus (self);
  g_autofree char *span = ad_format_duration (self->span_us);
  g_autofree char *lanes = NULL;
  g_autofree char *bars = NULL;

  lanes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u lane", "%u lanes", self->n_rows),
                           self->n_rows);
  bars = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task bar", "%u task bars",
                                       self->n_drawn),
                          self->n_drawn);

  /* Translators: "3 lanes, 12 task bars over 5.00 s; " then the focused
   * bar, or a hint */
  return g_strdup_printf (_("%s, %s over %s; %s"), lanes, bars, span,
                          focus != NULL ? focus : _("Use the arrow keys to move between bars"));
}

/* Puts the description in the accessible description if it changed. */
void
ad_timeline_view_update_description (AdTimelineView *self)
{
  g_autofree char *text = ad_timeline_view_build_description (self);

  if (g_strcmp0 (text, self->description) == 0)
    return;

  g_free (self->description);
  self->description = g_steal_pointer (&text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}
