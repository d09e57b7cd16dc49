/* ad-png.c: a minimal PNG writer (8-bit RGB or RGBA) on GIO's zlib
 *
 * The core library may not link GTK or gdk-pixbuf, and neither libpng nor
 * zlib is one of its dependencies; but GIO carries zlib inside it as
 * GZlibCompressor. A PNG that every viewer reads needs little more:
 *
 *   the 8-byte signature, then chunks of (length, type, data, CRC-32):
 *   IHDR  width, height, bit depth 8, colour type 2 (RGB) or 6 (RGBA),
 *         compression 0, filter method 0, no interlace
 *   IDAT  the zlib stream of the rows, each preceded by its filter type
 *         (0, "None": the image compresses well enough without filters)
 *   IEND  empty
 *
 * The CRC-32 is the one of ISO 3309 (polynomial 0xEDB88320, as zlib's
 * crc32()), computed over the chunk's type and data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <string.h>

#include "ad-png.h"

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

/**
 * ad_png_crc32:
 * @crc: 0 to start, or the value returned for the preceding data
 *
 * Returns: the CRC-32 of @data appended to what @crc covers
 */
guint32
ad_png_crc32 (guint32       crc,
              const guint8 *data,
              gsize         len)
{
  static guint32 table[256];
  static gsize table_ready;

  if (g_once_init_enter (&table_ready))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&table_ready, 1);
    }

  crc ^= 0xffffffffu;
  for (gsize i = 0; i < len; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);

  return crc ^ 0xffffffffu;
}

static void
put_be32 (GByteArray *out,
          guint32     value)
{
  guint8 be[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (out, be, 4);
}

static void
write_chunk (GByteArray   *out,
             const char   *type,
             const guint8 *data,
             gsize         len)
{
  guint32 crc;

  put_be32 (out, (guint32) len);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (out, data, (guint) len);
  crc = ad_png_crc32 (0, (const guint8 *) type, 4);
  crc = ad_png_crc32 (crc, data, len);
  put_be32 (out, crc);
}

/* The zlib stream of the filtered rows, through GZlibCompressor. */
static GBytes *
compress_rows (const guint8  *pixels,
               guint          height,
               gsize          row_bytes,
               gsize          stride,
               GError       **error)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GZlibCompressor) zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6);
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (zlib));
  static const guint8 filter_none = 0;

  for (guint y = 0; y < height; y++)
    {
      if (!g_output_stream_write_all (out, &filter_none, 1, NULL, NULL, error)
          || !g_output_stream_write_all (out, pixels + y * stride, row_bytes, NULL, NULL, error))
        return NULL;
    }
  if (!g_output_stream_close (out, NULL, error))
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/**
 * ad_png_encode:
 * @pixels: the top-left pixel; rows of @width RGB (or RGBA) 8-bit pixels
 * @stride: bytes from one row to the next
 *
 * Returns: (transfer full): the PNG file's bytes, or %NULL with @error set
 */
GBytes *
ad_png_encode (const guint8  *pixels,
               guint          width,
               guint          height,
               gsize          stride,
               gboolean       has_alpha,
               GError       **error)
{
  gsize row_bytes = (gsize) width * (has_alpha ? 4 : 3);
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(GBytes) idat = NULL;
  guint8 ihdr[13];

  g_return_val_if_fail (pixels != NULL, NULL);
  g_return_val_if_fail (width > 0 && width <= G_MAXINT32, NULL);
  g_return_val_if_fail (height > 0 && height <= G_MAXINT32, NULL);
  g_return_val_if_fail (stride >= row_bytes, NULL);

  idat = compress_rows (pixels, height, row_bytes, stride, error);
  if (idat == NULL)
    return NULL;

  ihdr[0] = width >> 24; ihdr[1] = width >> 16; ihdr[2] = width >> 8; ihdr[3] = width;
  ihdr[4] = height >> 24; ihdr[5] = height >> 16; ihdr[6] = height >> 8; ihdr[7] = height;
  ihdr[8] = 8;                      /* bit depth */
  ihdr[9] = has_alpha ? 6 : 2;      /* colour type: RGBA or RGB */
  ihdr[10] = 0;                     /* compression: deflate */
  ihdr[11] = 0;                     /* filter method: adaptive, per row */
  ihdr[12] = 0;                     /* no interlace */

  out = g_byte_array_sized_new ((guint) g_bytes_get_size (idat) + 64);
  g_byte_array_append (out, png_signature, sizeof png_signature);
  write_chunk (out, "IHDR", ihdr, sizeof ihdr);
  write_chunk (out, "IDAT", g_bytes_get_data (idat, NULL), g_bytes_get_size (idat));
  write_chunk (out, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * ad_png_save:
 *
 * Encodes the image and writes it to @path (atomically: a partial file is
 * never left behind).
 */
gboolean
ad_png_save (const char    *path,
             const guint8  *pixels,
             guint          width,
             guint          height,
             gsize          stride,
             gboolean       has_alpha,
             GError       **error)
{
  g_autoptr(GBytes) png = ad_png_encode (pixels, width, height, stride, has_alpha, error);

  if (png == NULL)
    return FALSE;

  return g_file_set_contents (path, g_bytes_get_data (png, NULL),
                              (gssize) g_bytes_get_size (png), error);
}
