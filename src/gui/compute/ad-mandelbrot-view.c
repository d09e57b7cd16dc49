/* ad-mandelbrot-view.c: a Mandelbrot image that fills in tile by tile
 *
 * The view owns the image (8-bit RGB, rows packed, exactly as the compute
 * engine produces it) and the viewport (centre and width on the complex
 * plane). The page starts a render with ad_mandelbrot_view_begin() and
 * hands over every tile from AdComputeJob::tile-done: the tiles appear in
 * the order the workers finish them, which is the point of the demo
 * (as_completed made visible). With #AdMandelbrotView:show-workers each new
 * tile is tinted for a moment in its worker's colour.
 *
 * The view renders nothing itself. Zooming (wheel at the pointer, +/-),
 * panning (drag, arrow keys) and recentring (double-click) change the
 * viewport and emit ::viewport-changed; the page cancels the running
 * render and starts the next. Meanwhile the old image, resampled into the
 * new viewport on the main thread (a few milliseconds for 640×480), stands
 * in until the new tiles cover it, so the picture never goes blank.
 *
 * Drawing: the image becomes a GdkMemoryTexture once per frame when tiles
 * arrived (not once per tile: a frame may bring dozens), scaled to fit the
 * widget with its aspect ratio kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ad-core.h"
#include "ad-mandelbrot-view.h"
#include "ad-task-ui.h"

#define TINT_DURATION_US  (600 * G_TIME_SPAN_MILLISECOND)
#define ZOOM_STEP         1.5
#define PAN_STEP          0.1   /* of the image's size, per arrow key press */
#define MIN_SCALE         1e-13 /* doubles run out of precision below this */
#define MAX_SCALE         8.0

typedef struct
{
  guint  x, y, width, height;
  int    worker;
  gint64 time;
} Tint;

struct _AdMandelbrotView
{
  GtkWidget   parent_instance;

  double      center_x;
  double      center_y;
  double      scale;

  guint       width;     /* the image's size, in pixels */
  guint       height;
  guint8     *pixels;    /* width × height × 3 */
  GdkTexture *texture;   /* NULL when the pixels changed since the last frame */
  guint       n_tiles;   /* tiles received since begin */
  double      drawn_x;   /* the viewport the image shows */
  double      drawn_y;
  double      drawn_scale;

  gboolean    show_workers;
  GArray     *tints;     /* Tint, fading */
  guint       tick_id;

  double      pointer_x; /* the pointer, in widget coordinates */
  double      pointer_y;
  double      drag_dx;   /* a drag in progress, in widget coordinates */
  double      drag_dy;
};

G_DEFINE_FINAL_TYPE (AdMandelbrotView, ad_mandelbrot_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SHOW_WORKERS,
  PROP_N_TILES,
  N_PROPS
};

enum {
  VIEWPORT_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Where the image sits in the widget: scaled by *k, offset by (*ox, *oy). */
static gboolean
view_get_fit (AdMandelbrotView *self,
              double           *k,
              double           *ox,
              double           *oy)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->width == 0 || self->height == 0 || w <= 0 || h <= 0)
    return FALSE;

  *k = MIN ((double) w / self->width, (double) h / self->height);
  *ox = (w - self->width * *k) / 2;
  *oy = (h - self->height * *k) / 2;

  return TRUE;
}

static gboolean
view_widget_to_image (AdMandelbrotView *self,
                      double            wx,
                      double            wy,
                      double           *ix,
                      double           *iy)
{
  double k, ox, oy;

  if (!view_get_fit (self, &k, &ox, &oy))
    return FALSE;

  *ix = (wx - ox) / k;
  *iy = (wy - oy) / k;

  return TRUE;
}

/* Colours for up to eight workers, then again; distinct in hue and lightness. */
static const GdkRGBA worker_colors[] = {
  { 0.21, 0.52, 0.89, 1 }, /* blue */
  { 0.90, 0.38, 0.00, 1 }, /* orange */
  { 0.18, 0.76, 0.49, 1 }, /* green */
  { 0.75, 0.11, 0.16, 1 }, /* red */
  { 0.57, 0.25, 0.67, 1 }, /* purple */
  { 0.96, 0.83, 0.18, 1 }, /* yellow */
  { 0.39, 0.27, 0.17, 1 }, /* brown */
  { 0.60, 0.76, 0.95, 1 }, /* light blue */
};

/* Before the first render: say how to get one. */
static void
ad_mandelbrot_view_snapshot_empty (AdMandelbrotView *self,
                                   GtkSnapshot      *snapshot)
{
  g_autoptr(PangoLayout) layout = NULL;
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  int lw, lh;
  GdkRGBA color;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                           _("Press Run to draw the Mandelbrot set"));
  pango_layout_get_pixel_size (layout, &lw, &lh);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  color.alpha *= 0.6;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((w - lw) / 2.0, (h - lh) / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

/* The keyboard focus, visible: a ring in the text colour, as the
 * timeline draws it. */
static void
append_focus_ring (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  GskRoundedRect outline;
  GdkRGBA color;

  if (!gtk_widget_has_visible_focus (widget))
    return;

  ad_widget_get_fg_color (widget, &color);
  gsk_rounded_rect_init_from_rect (&outline,
                                   &GRAPHENE_RECT_INIT (1, 1, gtk_widget_get_width (widget) - 2,
                                                        gtk_widget_get_height (widget) - 2),
                                   4);
  gtk_snapshot_append_border (snapshot, &outline, (float[4]) { 2, 2, 2, 2 },
                              (GdkRGBA[4]) { color, color, color, color });
}

/* No style rule changes with the focus: redraw the ring ourselves. */
static void
ad_mandelbrot_view_state_flags_changed (GtkWidget     *widget,
                                        GtkStateFlags  previous)
{
  GtkStateFlags focus = GTK_STATE_FLAG_FOCUSED | GTK_STATE_FLAG_FOCUS_VISIBLE;

  if ((gtk_widget_get_state_flags (widget) & focus) != (previous & focus))
    gtk_widget_queue_draw (widget);
}

static void
ad_mandelbrot_view_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  AdMandelbrotView *self = AD_MANDELBROT_VIEW (widget);
  gint64 now = g_get_monotonic_time ();
  double k, ox, oy;

  if (!view_get_fit (self, &k, &ox, &oy))
    {
      ad_mandelbrot_view_snapshot_empty (self, snapshot);
      append_focus_ring (widget, snapshot);
      return;
    }

  if (self->texture == NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (self->pixels,
                                             (gsize) self->width * self->height * 3);

      self->texture = gdk_memory_texture_new (self->width, self->height, GDK_MEMORY_R8G8B8,
                                              bytes, (gsize) self->width * 3);
    }

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (ox + self->drag_dx,
                                                          oy + self->drag_dy));
  gtk_snapshot_scale (snapshot, k, k);
  gtk_snapshot_append_texture (snapshot, self->texture,
                               &GRAPHENE_RECT_INIT (0, 0, self->width, self->height));

  for (guint i = 0; i < self->tints->len; i++)
    {
      const Tint *tint = &g_array_index (self->tints, Tint, i);
      GdkRGBA color = worker_colors[tint->worker % G_N_ELEMENTS (worker_colors)];
      double age = (double) (now - tint->time) / TINT_DURATION_US;

      color.alpha = 0.45 * CLAMP (1.0 - age, 0.0, 1.0);
      gtk_snapshot_append_color (snapshot, &color,
                                 &GRAPHENE_RECT_INIT (tint->x, tint->y,
                                                      tint->width, tint->height));
    }
  gtk_snapshot_restore (snapshot);
  append_focus_ring (widget, snapshot);
}

static void
ad_mandelbrot_view_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 480;
}

static gboolean
view_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  AdMandelbrotView *self = AD_MANDELBROT_VIEW (widget);
  gint64 now = g_get_monotonic_time ();
  guint kept = 0;

  for (guint i = 0; i < self->tints->len; i++)
    {
      Tint *tint = &g_array_index (self->tints, Tint, i);

      if (now - tint->time < TINT_DURATION_US)
        g_array_index (self->tints, Tint, kept++) = *tint;
    }
  g_array_set_size (self->tints, kept);
  gtk_widget_queue_draw (widget);

  if (kept > 0)
    return G_SOURCE_CONTINUE;

  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
view_set_viewport (AdMandelbrotView *self,
                   double            center_x,
                   double            center_y,
                   double            scale,
                   gboolean          emit)
{
  scale = CLAMP (scale, MIN_SCALE, MAX_SCALE);
  if (center_x == self->center_x && center_y == self->center_y && scale == self->scale)
    return;

  self->center_x = CLAMP (center_x, -4.0, 4.0);
  self->center_y = CLAMP (center_y, -4.0, 4.0);
  self->scale = scale;

  if (emit)
    g_signal_emit (self, signals[VIEWPORT_CHANGED], 0);
}

/* ---- input ------------------------------------------------------------- */

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           AdMandelbrotView         *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           AdMandelbrotView         *self)
{
  double ix, iy;

  if (dy == 0)
    return FALSE;
  if (!view_widget_to_image (self, self->pointer_x, self->pointer_y, &ix, &iy))
    return FALSE;

  ad_mandelbrot_view_zoom (self, pow (ZOOM_STEP, -dy), ix, iy);

  return TRUE;
}

static void
drag_update_cb (GtkGestureDrag   *gesture,
                double            offset_x,
                double            offset_y,
                AdMandelbrotView *self)
{
  self->drag_dx = offset_x;
  self->drag_dy = offset_y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag   *gesture,
             double            offset_x,
             double            offset_y,
             AdMandelbrotView *self)
{
  double k, ox, oy;

  self->drag_dx = self->drag_dy = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  /* A click is not a drag. */
  if (ABS (offset_x) < 3 && ABS (offset_y) < 3)
    return;
  if (view_get_fit (self, &k, &ox, &oy))
    ad_mandelbrot_view_pan (self, -offset_x / k, -offset_y / k);
}

static void
pressed_cb (GtkGestureClick  *gesture,
            int               n_press,
            double            x,
            double            y,
            AdMandelbrotView *self)
{
  double ix, iy;

  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (n_press != 2 || !view_widget_to_image (self, x, y, &ix, &iy))
    return;

  /* Recentre on the point: a pan by its distance from the middle. */
  ad_mandelbrot_view_pan (self, ix - self->width / 2.0, iy - self->height / 2.0);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AdMandelbrotView *self = AD_MANDELBROT_VIEW (widget);
  double factor = g_str_equal (action_name, "view.zoom-in") ? ZOOM_STEP : 1.0 / ZOOM_STEP;

  ad_mandelbrot_view_zoom (self, factor, self->width / 2.0, self->height / 2.0);
}

static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  AdMandelbrotView *self = AD_MANDELBROT_VIEW (widget);
  int dx, dy;

  g_variant_get (parameter, "(ii)", &dx, &dy);
  ad_mandelbrot_view_pan (self, dx * PAN_STEP * self->width, dy * PAN_STEP * self->width);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AdComputeParams defaults;

  ad_compute_params_init_defaults (&defaults, AD_COMPUTE_WORKLOAD_MANDELBROT);
  view_set_viewport (AD_MANDELBROT_VIEW (widget), defaults.center_x, defaults.center_y,
                     defaults.scale, TRUE);
}

/* ---- GObject ----------------------------------------------------------- */

static void
ad_mandelbrot_view_dispose (GObject *object)
{
  AdMandelbrotView *self = AD_MANDELBROT_VIEW (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (ad_mandelbrot_view_parent_class)->dispose (object);
}

static void
ad_mandelbrot_view_finalize (GObject *object)
{
  AdMandelbrotView *self = AD_MANDELBROT_VIEW (object);

  g_clear_pointer (&self->pixels, g_free);
  g_clear_pointer (&self->tints, g_array_unref);

  G_OBJECT_CLASS (ad_mandelbrot_view_parent_class)->finalize (object);
}

static void
ad_mandelbrot_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AdMandelbrotView *self = AD_MANDELBROT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHOW_WORKERS:
      g_value_set_boolean (value, self->show_workers);
      break;
    case PROP_N_TILES:
      g_value_set_uint (value, self->n_tiles);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_mandelbrot_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AdMandelbrotView *self = AD_MANDELBROT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHOW_WORKERS:
      ad_mandelbrot_view_set_show_workers (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_mandelbrot_view_class_init (AdMandelbrotViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_mandelbrot_view_dispose;
  object_class->finalize = ad_mandelbrot_view_finalize;
  object_class->get_property = ad_mandelbrot_view_get_property;
  object_class->set_property = ad_mandelbrot_view_set_property;
  widget_class->snapshot = ad_mandelbrot_view_snapshot;
  widget_class->state_flags_changed = ad_mandelbrot_view_state_flags_changed;
  widget_class->measure = ad_mandelbrot_view_measure;

  /**
   * AdMandelbrotView:show-workers:
   *
   * Whether each new tile flashes in the colour of the worker that computed it.
   */
  properties[PROP_SHOW_WORKERS] =
    g_param_spec_boolean ("show-workers", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * AdMandelbrotView:n-tiles:
   *
   * Tiles received since the render began.
   */
  properties[PROP_N_TILES] =
    g_param_spec_uint ("n-tiles", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AdMandelbrotView::viewport-changed:
   *
   * The user zoomed, panned or recentred: the image is stale.
   */
  signals[VIEWPORT_CHANGED] =
    g_signal_new ("viewport-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "view.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "view.pan", "(ii)", pan_action);
  gtk_widget_class_install_action (widget_class, "view.reset", NULL, reset_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "view.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0,
                                       "view.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "view.pan", "(ii)", -1, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "view.pan", "(ii)", 1, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "view.pan", "(ii)", 0, -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "view.pan", "(ii)", 0, 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "view.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "view.reset", NULL);

  gtk_widget_class_set_css_name (widget_class, "mandelbrotview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ad_mandelbrot_view_init (AdMandelbrotView *self)
{
  AdComputeParams defaults;
  GtkEventController *controller;
  GtkGesture *gesture;

  ad_compute_params_init_defaults (&defaults, AD_COMPUTE_WORKLOAD_MANDELBROT);
  self->center_x = defaults.center_x;
  self->center_y = defaults.center_y;
  self->scale = defaults.scale;
  self->tints = g_array_new (FALSE, FALSE, sizeof (Tint));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _("Scroll or press + and − to zoom, drag or use the arrow keys to "
                                 "move, double-click to centre, Home to start over"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Mandelbrot set"),
                                  -1);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL
                                                | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

/**
 * ad_mandelbrot_view_get_viewport:
 * @center_x: (out) (optional): the real part of the image's centre
 * @center_y: (out) (optional): its imaginary part
 * @scale: (out) (optional): the image's width on the complex plane
 */
void
ad_mandelbrot_view_get_viewport (AdMandelbrotView *self,
                                 double           *center_x,
                                 double           *center_y,
                                 double           *scale)
{
  g_return_if_fail (AD_IS_MANDELBROT_VIEW (self));

  if (center_x != NULL)
    *center_x = self->center_x;
  if (center_y != NULL)
    *center_y = self->center_y;
  if (scale != NULL)
    *scale = self->scale;
}

/**
 * ad_mandelbrot_view_zoom:
 * @factor: how much closer: 2 shows half the width
 * @image_x: the point that stays put, in image pixels
 * @image_y: likewise
 *
 * Zooms as the user does, emitting ::viewport-changed.
 */
void
ad_mandelbrot_view_zoom (AdMandelbrotView *self,
                         double            factor,
                         double            image_x,
                         double            image_y)
{
  double step, new_scale, re, im;

  g_return_if_fail (AD_IS_MANDELBROT_VIEW (self));
  g_return_if_fail (factor > 0);

  if (self->width == 0)
    {
      view_set_viewport (self, self->center_x, self->center_y, self->scale / factor, TRUE);
      return;
    }

  /* The point under (image_x, image_y) stays there (see ad_mandelbrot_render()). */
  step = self->scale / self->width;
  re = self->center_x + (image_x - self->width / 2.0) * step;
  im = self->center_y - (image_y - self->height / 2.0) * step;
  new_scale = CLAMP (self->scale / factor, MIN_SCALE, MAX_SCALE);
  step = new_scale / self->width;
  view_set_viewport (self,
                     re - (image_x - self->width / 2.0) * step,
                     im + (image_y - self->height / 2.0) * step,
                     new_scale, TRUE);
}

/**
 * ad_mandelbrot_view_pan:
 * @image_dx: how far to move the centre right, in image pixels
 * @image_dy: how far to move it down
 *
 * Pans as the user does, emitting ::viewport-changed.
 */
void
ad_mandelbrot_view_pan (AdMandelbrotView *self,
                        double            image_dx,
                        double            image_dy)
{
  double step;

  g_return_if_fail (AD_IS_MANDELBROT_VIEW (self));

  step = self->scale / MAX (self->width, 1);
  view_set_viewport (self, self->center_x + image_dx * step, self->center_y - image_dy * step,
                     self->scale, TRUE);
}

/**
 * ad_mandelbrot_view_begin:
 * @width: the size of the image about to be rendered, in pixels
 * @height: likewise
 *
 * Prepares for the tiles of a render of the current viewport: the old
 * image, resampled into it, stands in until they arrive.
 */
void
ad_mandelbrot_view_begin (AdMandelbrotView *self,
                          guint             width,
                          guint             height)
{
  g_autofree guint8 *old = NULL;
  guint old_width = self->width, old_height = self->height;
  double old_step, step;

  g_return_if_fail (AD_IS_MANDELBROT_VIEW (self));
  g_return_if_fail (width > 0 && height > 0);

  old = g_steal_pointer (&self->pixels);
  self->pixels = g_malloc0 ((gsize) width * height * 3);
  self->width = width;
  self->height = height;

  /* Nearest-neighbour resampling from the viewport the old image shows
   * to the new one. */
  old_step = self->drawn_scale / MAX (old_width, 1);
  step = self->scale / width;
  if (old != NULL && old_step > 0)
    for (guint y = 0; y < height; y++)
      {
        double im = self->center_y - (y + 0.5 - height / 2.0) * step;
        double oy = (self->drawn_y - im) / old_step + old_height / 2.0;
        guint8 *out = self->pixels + (gsize) y * width * 3;

        if (oy < 0 || oy >= old_height)
          continue;
        for (guint x = 0; x < width; x++)
          {
            double re = self->center_x + (x + 0.5 - width / 2.0) * step;
            double ox = (re - self->drawn_x) / old_step + old_width / 2.0;

            if (ox >= 0 && ox < old_width)
              memcpy (out + (gsize) x * 3, old + ((gsize) oy * old_width + (gsize) ox) * 3, 3);
          }
      }
  self->drawn_x = self->center_x;
  self->drawn_y = self->center_y;
  self->drawn_scale = self->scale;

  g_array_set_size (self->tints, 0);
  g_clear_object (&self->texture);
  if (self->n_tiles != 0)
    {
      self->n_tiles = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TILES]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * ad_mandelbrot_view_add_tile:
 * @pixels: the tile's 8-bit RGB rows, @width × 3 bytes each
 * @worker: the worker that computed it, or -1
 *
 * Paints one tile of the render begun last.
 */
void
ad_mandelbrot_view_add_tile (AdMandelbrotView *self,
                             guint             x,
                             guint             y,
                             guint             width,
                             guint             height,
                             GBytes           *pixels,
                             int               worker)
{
  const guint8 *data;
  gsize len;

  g_return_if_fail (AD_IS_MANDELBROT_VIEW (self));
  g_return_if_fail (pixels != NULL);
  g_return_if_fail (x + width <= self->width && y + height <= self->height);

  data = g_bytes_get_data (pixels, &len);
  g_return_if_fail (len == (gsize) width * height * 3);

  for (guint row = 0; row < height; row++)
    memcpy (self->pixels + ((gsize) (y + row) * self->width + x) * 3,
            data + (gsize) row * width * 3, (gsize) width * 3);

  if (self->show_workers && worker >= 0)
    {
      Tint tint = { x, y, width, height, worker, g_get_monotonic_time () };

      g_array_append_val (self->tints, tint);
      if (self->tick_id == 0)
        self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), view_tick_cb, NULL, NULL);
    }

  self->n_tiles++;
  g_clear_object (&self->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TILES]);
}

guint
ad_mandelbrot_view_get_n_tiles (AdMandelbrotView *self)
{
  g_return_val_if_fail (AD_IS_MANDELBROT_VIEW (self), 0);

  return self->n_tiles;
}

guint
ad_mandelbrot_view_get_image_width (AdMandelbrotView *self)
{
  g_return_val_if_fail (AD_IS_MANDELBROT_VIEW (self), 0);

  return self->width;
}

guint
ad_mandelbrot_view_get_image_height (AdMandelbrotView *self)
{
  g_return_val_if_fail (AD_IS_MANDELBROT_VIEW (self), 0);

  return self->height;
}

/**
 * ad_mandelbrot_view_get_checksum:
 *
 * Returns: ad_mandelbrot_checksum() of the image as shown: once every tile
 *   of a render arrived, the same as its AdComputeResult's
 */
guint64
ad_mandelbrot_view_get_checksum (AdMandelbrotView *self)
{
  g_return_val_if_fail (AD_IS_MANDELBROT_VIEW (self), 0);

  if (self->pixels == NULL)
    return 0;

  return ad_mandelbrot_checksum (self->pixels, (gsize) self->width * self->height * 3);
}

void
ad_mandelbrot_view_set_show_workers (AdMandelbrotView *self,
                                     gboolean          show_workers)
{
  g_return_if_fail (AD_IS_MANDELBROT_VIEW (self));

  show_workers = !!show_workers;
  if (self->show_workers == show_workers)
    return;

  self->show_workers = show_workers;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_WORKERS]);
}
