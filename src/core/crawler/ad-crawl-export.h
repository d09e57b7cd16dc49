/* ad-crawl-export.h: a crawl's results as CSV or JSON, and saving them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-crawl-result.h"

G_BEGIN_DECLS

#define AD_TYPE_CRAWL_EXPORT_FORMAT (ad_crawl_export_format_get_type ())

/**
 * AdCrawlExportFormat:
 * @AD_CRAWL_EXPORT_CSV: one row per result, RFC 4180 quoting, CRLF line ends
 * @AD_CRAWL_EXPORT_JSON: one object with "results" and "broken" arrays
 */
typedef enum
{
  AD_CRAWL_EXPORT_CSV,
  AD_CRAWL_EXPORT_JSON,
} AdCrawlExportFormat;

GType    ad_crawl_export_format_get_type (void) G_GNUC_CONST;

char    *ad_crawl_export_csv_field       (const char           *text);
GBytes  *ad_crawl_export_csv             (GListModel           *results);
GBytes  *ad_crawl_export_json            (GListModel           *results,
                                          GListModel           *broken);
void     ad_crawl_export_json_line       (GString              *out,
                                          AdCrawlResult        *result);
GBytes  *ad_crawl_export_to_bytes        (AdCrawlExportFormat   format,
                                          GListModel           *results,
                                          GListModel           *broken);

void     ad_crawl_export_save_async      (AdCrawlExportFormat   format,
                                          GListModel           *results,
                                          GListModel           *broken,
                                          GFile                *file,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean ad_crawl_export_save_finish     (GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
