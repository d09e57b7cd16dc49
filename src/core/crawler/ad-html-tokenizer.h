/* ad-html-tokenizer.h: the start tags of an HTML document, and its links
 *
 * Links need only start tags, and libxml2's pre-HTML5 HTML parser is 5x slower (bench-html).
 * test-html-tokenizer checks each state; fuzz-html-diff checks the links against gumbo's parser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  const char *name;      /* lower case, NUL-terminated */
  const char *value;     /* raw bytes of the document: not NUL-terminated, references undecoded */
  gsize       value_len;
} AdHtmlAttribute;

typedef struct
{
  const char            *name;         /* lower case, NUL-terminated */
  const AdHtmlAttribute *attributes;   /* in document order, later duplicates dropped */
  guint                  n_attributes;
  gboolean               self_closing;
  gboolean               foreign;      /* an SVG or MathML element */
} AdHtmlStartTag;

/* Returns FALSE to stop tokenizing. */
typedef gboolean (*AdHtmlStartTagFunc) (const AdHtmlStartTag *tag,
                                        gpointer              user_data);

gboolean               ad_html_tokenize                (const char           *data,
                                                        gsize                 size,
                                                        AdHtmlStartTagFunc    func,
                                                        gpointer              user_data,
                                                        GCancellable         *cancellable);
const AdHtmlAttribute *ad_html_start_tag_get_attribute (const AdHtmlStartTag *tag,
                                                        const char           *name);
char                  *ad_html_decode_attribute        (const char           *value,
                                                        gsize                 value_len,
                                                        const char           *charset);

typedef struct
{
  const char *element;     /* "a", "area", "link", "frame" or "iframe" */
  const char *attribute;   /* "href" or "src" */
  char       *value;       /* decoded, UTF-8, as written otherwise (not resolved) */
} AdHtmlHref;

typedef struct
{
  GPtrArray *hrefs;        /* (element-type AdHtmlHref): in document order */
  char      *base_href;    /* the first <base href>, decoded, or NULL */
  char      *charset;      /* the first charset a <meta> declares, or NULL */
} AdHtmlHrefs;

AdHtmlHrefs *ad_html_extract_hrefs (GBytes        *html,
                                    const char    *charset,
                                    GCancellable  *cancellable,
                                    GError       **error);
AdHtmlHrefs *ad_html_extract_unique_hrefs (GBytes        *html,
                                           const char    *charset,
                                           GCancellable  *cancellable,
                                           GError       **error);
void         ad_html_hrefs_free    (AdHtmlHrefs   *hrefs);

typedef struct
{
  const char *element;
  const char *attribute;
  const char *value;       /* raw bytes of the document: not NUL-terminated */
  gsize       value_len;
  gboolean    plain;       /* ASCII without '&', CR or NUL: decoded, it is itself */
} AdHtmlRawHref;

typedef struct
{
  GArray *hrefs;             /* (element-type AdHtmlRawHref): each distinct value once */
  char   *base_href;         /* the first <base href>, decoded, or NULL */
  char   *charset;           /* the first charset a <meta> declares, or NULL */
  char   *effective_charset; /* the one the values decode from, or NULL */
  guint   charset_kind;      /* private */
} AdHtmlRawHrefs;

AdHtmlRawHrefs *ad_html_extract_raw_hrefs (GBytes               *html,
                                           const char           *charset,
                                           GCancellable         *cancellable,
                                           GError              **error);
char           *ad_html_raw_hrefs_decode  (const AdHtmlRawHrefs *hrefs,
                                           const AdHtmlRawHref  *href);
void            ad_html_raw_hrefs_free    (AdHtmlRawHrefs       *hrefs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdHtmlRawHrefs, ad_html_raw_hrefs_free)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdHtmlHrefs, ad_html_hrefs_free)

G_END_DECLS
