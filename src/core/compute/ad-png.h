/* ad-png.h: a minimal PNG writer (8-bit RGB or RGBA) on GIO's zlib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GBytes   *ad_png_encode (const guint8  *pixels,
                         guint          width,
                         guint          height,
                         gsize          stride,
                         gboolean       has_alpha,
                         GError       **error);
gboolean  ad_png_save   (const char    *path,
                         const guint8  *pixels,
                         guint          width,
                         guint          height,
                         gsize          stride,
                         gboolean       has_alpha,
                         GError       **error);
guint32   ad_png_crc32  (guint32        crc,
                         const guint8  *data,
                         gsize          len);

G_END_DECLS
