/* ad-compute-page-a11y.c: the Mandelbrot view's figures, in words
 *
 * The view draws tiles; only the page knows what the render is (its
 * iteration limit, whether it runs, how many tiles it has), so the page
 * writes the view's accessible description: the region shown, the
 * iteration limit and the render's state. It follows the view's tiles and
 * the page's runs (page_update_ui()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ad-compute-page-private.h"

static char *
describe_state (AdComputePage *self,
                gboolean       rendered_last)
{
  guint n_tiles = ad_mandelbrot_view_get_n_tiles (self->mandelbrot_view);
  const char *outcome;

  if (self->mode != MODE_IDLE && rendered_last && self->job != NULL)
    /* Translators: the state of a Mandelbrot render, for a screen reader */
    return g_strdup_printf (_("rendering, %u of %u tiles"), n_tiles,
                            ad_compute_job_get_n_chunks (self->job));
  if (!rendered_last || n_tiles == 0)
    return g_strdup (_("not rendered yet"));

  /* Translators: the outcome of the last render ("Done", "Cancelled" or
   * "Failed", as the progress bar says) and its number of tiles */
  outcome = gtk_progress_bar_get_text (self->progress_bar);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u tile", "%s, %u tiles", n_tiles),
                          outcome != NULL ? outcome : "", n_tiles);
}

/**
 * ad_compute_page_describe_view:
 *
 * Returns: (transfer full): what the Mandelbrot view shows, such as
 *   "Centre −0.75 + 0i, 3.5 wide; at most 500 iterations; Done, 80 tiles"
 */
char *
ad_compute_page_describe_view (AdComputePage *self)
{
  gboolean rendered_last = self->params.workload == AD_COMPUTE_WORKLOAD_MANDELBROT &&
                           self->params.width > 0;
  g_autofree char *state = describe_state (self, rendered_last);
  guint max_iter = rendered_last ? self->params.max_iter
                                 : (guint) gtk_spin_button_get_value_as_int (self->iter_spin);
  double x, y, scale;

  ad_mandelbrot_view_get_viewport (self->mandelbrot_view, &x, &y, &scale);

  /* Translators: the Mandelbrot view's description for a screen reader:
   * the centre as a complex number (real part, sign, imaginary part), the
   * width of the region, the iteration limit and the render's state */
  return g_strdup_printf (_("Centre %.6g %s %.6gi, %.3g wide; at most %u iterations; %s"),
                          x, y < 0 ? "−" : "+", fabs (y), scale, max_iter, state);
}

void
ad_compute_page_update_view_description (AdComputePage *self)
{
  g_autofree char *text = ad_compute_page_describe_view (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->mandelbrot_view),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}
