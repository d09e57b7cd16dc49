/* ad-mandelbrot-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AD_TYPE_MANDELBROT_VIEW (ad_mandelbrot_view_get_type ())
G_DECLARE_FINAL_TYPE (AdMandelbrotView, ad_mandelbrot_view, AD, MANDELBROT_VIEW, GtkWidget)

void       ad_mandelbrot_view_get_viewport (AdMandelbrotView *self,
                                            double           *center_x,
                                            double           *center_y,
                                            double           *scale);
void       ad_mandelbrot_view_zoom         (AdMandelbrotView *self,
                                            double            factor,
                                            double            image_x,
                                            double            image_y);
void       ad_mandelbrot_view_pan          (AdMandelbrotView *self,
                                            double            image_dx,
                                            double            image_dy);
void       ad_mandelbrot_view_begin        (AdMandelbrotView *self,
                                            guint             width,
                                            guint             height);
void       ad_mandelbrot_view_add_tile     (AdMandelbrotView *self,
                                            guint             x,
                                            guint             y,
                                            guint             width,
                                            guint             height,
                                            GBytes           *pixels,
                                            int               worker);
guint      ad_mandelbrot_view_get_n_tiles  (AdMandelbrotView *self);
guint      ad_mandelbrot_view_get_image_width  (AdMandelbrotView *self);
guint      ad_mandelbrot_view_get_image_height (AdMandelbrotView *self);
guint64    ad_mandelbrot_view_get_checksum (AdMandelbrotView *self);
void       ad_mandelbrot_view_set_show_workers (AdMandelbrotView *self,
                                                gboolean          show_workers);

G_END_DECLS
