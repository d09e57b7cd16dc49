/* ad-speedup-chart-a11y.c: the speed-up chart's figures, in words
 *
 * A screen reader cannot see the bars: the chart's accessible description
 * lists the numbers behind them, one configuration after the other, from
 * the chart's public getters only (ad-speedup-chart.c is left to the
 * speed-up measurement). ad_speedup_chart_follow_description() keeps it
 * up to date as points come and go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ad-speedup-chart-a11y.h"

/**
 * ad_speedup_chart_build_description:
 *
 * Returns: (transfer full): "No measurement yet", or each point as
 *   "2 workers: 1.93× (96 % efficiency)", separated by semicolons
 */
char *
ad_speedup_chart_build_description (AdSpeedupChart *self)
{
  guint n_points;
  GString *text;

  g_return_val_if_fail (AD_IS_SPEEDUP_CHART (self), NULL);

  n_points = ad_speedup_chart_get_n_points (self);
  if (n_points == 0)
    return g_strdup (_("No measurement yet"));

  text = g_string_new (NULL);
  for (guint i = 0; i < n_points; i++)
    {
      guint n_workers;
      double speedup, efficiency;

      ad_speedup_chart_get_point (self, i, &n_workers, &speedup, &efficiency);
      if (i > 0)
        g_string_append (text, "; ");
      /* Translators: one point of the speed-up chart, for a screen reader:
       * "2 workers: 1.93× (96 % efficiency)" */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u worker: %.2f× (%.0f %% efficiency)",
                                                 "%u workers: %.2f× (%.0f %% efficiency)",
                                                 n_workers),
                              n_workers, speedup, 100 * efficiency);
    }

  return g_string_free (text, FALSE);
}

void
ad_speedup_chart_update_description (AdSpeedupChart *self)
{
  g_autofree char *text = ad_speedup_chart_build_description (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
n_points_changed_cb (AdSpeedupChart *self,
                     GParamSpec     *pspec,
                     gpointer        user_data)
{
  ad_speedup_chart_update_description (self);
}

/* Describes the chart now and after every change of its points. */
void
ad_speedup_chart_follow_description (AdSpeedupChart *self)
{
  g_return_if_fail (AD_IS_SPEEDUP_CHART (self));

  g_signal_connect (self, "notify::n-points", G_CALLBACK (n_points_changed_cb), NULL);
  ad_speedup_chart_update_description (self);
}
