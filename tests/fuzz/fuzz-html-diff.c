/* fuzz-html-diff.c: our HTML tokenizer against gumbo's HTML5 parser
 *
 * The same bytes go to ad_html_extract_hrefs() and to gumbo_parse(); both
 * must find the same (element, attribute, value) link targets (a, area
 * and link href, iframe src: the set ad-link-extractor.c counts) in the
 * same order, and the same first <base href>. Any difference aborts.
 *
 * What is normalised or skipped, and why:
 * - Input: made valid UTF-8 first (invalid sequences as U+FFFD), NULs as
 *   U+FFFD (gumbo drops a NUL that starts an attribute name), controls and
 *   noncharacters as U+FFFD as gumbo's input stream has them (the standard
 *   keeps them); our side is told the charset is UTF-8, so a <meta
 *   charset> in the input changes nothing: gumbo reads UTF-8 only.
 * - Order: gumbo's tree order is not document order (foster parenting
 *   moves a link out of a table), so its elements are sorted by their
 *   offset in the input.
 * - Elements gumbo's tree builder makes up (html, head, body, and the
 *   clones the adoption agency and the reconstruction of formatting
 *   elements make of an <a>) are not in the document: they are left out
 *   (GUMBO_INSERTION_BY_PARSER).
 * - Namespaced attributes: in SVG and MathML gumbo turns xlink:href into
 *   an "href" in the XLink namespace; only attributes without a namespace
 *   count, as our side sees "xlink:href".
 * - Tree construction that a tokenizer does not do (documented in
 *   ad-html-tokenizer.c): documents with a <frameset> (everything after it
 *   is ignored by a tree builder, a crawler wants the links) or a <select>
 *   (gumbo, 2013, ignores most start tags in a select, raw text elements
 *   included; the HTML Standard has since been allowing more content in
 *   select) are skipped, and frame elements are compared nowhere: a tree
 *   builder drops a <frame> outside a frameset. Our side keeps no list of
 *   active formatting elements: documents where gumbo reopened or cloned
 *   one around SVG or MathML are skipped (such an element's end tag may
 *   end the foreign content).
 * - Gumbo 0.10.1's own differences from the HTML Standard: see
 *   known_gumbo_difference(); and a CDATA section in a table makes it fail
 *   an assertion: such inputs are not given to it.
 * - Noscript: both sides parse it with scripting disabled (its links count).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ad-html-tokenizer.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* With AD_FUZZ_STATS set, how many inputs were compared and skipped. */
static guint n_compared, n_skipped, n_links, n_skipped_by[7];

static void
print_stats (void)
{
  fprintf (stderr, "fuzz-html-diff: %u inputs compared (%u links), %u skipped: %u frameset or "
           "select, %u numeric overflow, %u unknown end tag, %u foreign end tag text, %u gumbo "
           "assertion, %u foreign content in reopened formatting elements, %u empty end tag in foreign "
           "content\n", n_compared,
           n_links, n_skipped, n_skipped_by[0], n_skipped_by[1], n_skipped_by[2], n_skipped_by[3],
           n_skipped_by[4], n_skipped_by[5], n_skipped_by[6]);
}

typedef struct
{
  guint       offset;
  const char *element;
  const char *attribute;
  const char *value;
} GumboLink;

static int
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  const GumboLink *la = a;
  const GumboLink *lb = b;

  return la->offset < lb->offset ? -1 : la->offset > lb->offset;
}

static const char *
plain_attribute (const GumboElement *element,
                 const char         *name)
{
  for (guint i = 0; i < element->attributes.length; i++)
    {
      const GumboAttribute *attr = element->attributes.data[i];

      if (attr->attr_namespace == GUMBO_ATTR_NAMESPACE_NONE && strcmp (attr->name, name) == 0)
        return attr->value;
    }
  return NULL;
}

/* Collects gumbo's link targets and <base href>s; FALSE to skip. */
static gboolean
collect_gumbo (GumboNode *root,
               GArray    *links,
               GArray    *bases,
               GHashTable *unknown_names,
               gboolean  *has_foreign_element)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();

  g_ptr_array_add (pending, root);
  while (pending->len > 0)
    {
      GumboNode *node = g_ptr_array_steal_index (pending, pending->len - 1);
      const GumboElement *element;
      GumboLink link = { 0 };

      if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
        continue;
      element = &node->v.element;
      for (guint i = element->children.length; i > 0; i--)
        g_ptr_array_add (pending, element->children.data[i - 1]);

      if (element->tag == GUMBO_TAG_FRAMESET || element->tag == GUMBO_TAG_SELECT)
        {
          n_skipped_by[0]++;
          return FALSE;
        }
      if (element->tag == GUMBO_TAG_UNKNOWN && element->original_tag.length > 0)
        {
          GumboStringPiece name = element->original_tag;

          gumbo_tag_from_original_text (&name);
          g_hash_table_add (unknown_names, g_ascii_strdown (name.data, name.length));
        }
      if (element->tag_namespace != GUMBO_NAMESPACE_HTML)
        {
          *has_foreign_element = TRUE;
          /* Our side keeps no list of active formatting elements: an
           * element gumbo reopened (or cloned) around SVG or MathML may
           * close it where our stack has nothing to close. */
          for (GumboNode *up = node->parent; up != NULL; up = up->parent)
            if (up->parse_flags & (GUMBO_INSERTION_RECONSTRUCTED_FORMATTING_ELEMENT |
                                   GUMBO_INSERTION_ADOPTION_AGENCY_CLONED))
              {
                n_skipped_by[5]++;
                return FALSE;
              }
        }
      if (node->parse_flags & GUMBO_INSERTION_BY_PARSER)
        continue;

      link.offset = element->start_pos.offset;
      switch (element->tag)
        {
        case GUMBO_TAG_A:
          link.element = "a";
          link.attribute = "href";
          break;
        case GUMBO_TAG_AREA:
          link.element = "area";
          link.attribute = "href";
          break;
        case GUMBO_TAG_LINK:
          link.element = "link";
          link.attribute = "href";
          break;
        case GUMBO_TAG_IFRAME:
          link.element = "iframe";
          link.attribute = "src";
          break;
        case GUMBO_TAG_BASE:
          link.element = "base";
          link.attribute = "href";
          break;
        default:
          continue;
        }
      link.value = plain_attribute (element, link.attribute);
      if (link.value == NULL)
        continue;
      g_array_append_val (element->tag == GUMBO_TAG_BASE ? bases : links, link);
    }

  g_array_sort (links, compare_offsets);
  g_array_sort (bases, compare_offsets);
  return TRUE;
}

/* Gumbo 0.10.1 follows the HTML5 of 2013, and has bugs of its own; an
 * input that may reach one of these is skipped:
 * - gumbo compares tag names as enum values, and every name it does not
 *   know is GUMBO_TAG_UNKNOWN: </foo> closes an open <bar> (fixed in later
 *   gumbo). Skipped when the input has an end tag of an unknown name that
 *   may close an element of another name (a crude scan: it may skip more).
 * - gumbo adds up the digits of a numeric character reference in an int
 *   that overflows: &#x100000041; is "A" there, U+FFFD in the standard.
 *   Skipped when a reference has more digits than a 31-bit number.
 * - In foreign content gumbo compares an end tag's original text, so
 *   "</desc >" or "</g/>" closes nothing. Skipped when the tree has SVG or
 *   MathML elements and the input such an end tag.
 * - "</>" is dropped by the tokenizer (the standard, and gumbo in HTML
 *   content); after one in SVG or MathML, gumbo takes a raw text element
 *   right after the foreign root's end tag as foreign ("<svg></></svg>
 *   <style><a href>" has a link there, none without the "</>"). Skipped
 *   when the tree has SVG or MathML elements and the input a "</>". */
static gboolean
known_gumbo_difference (const char *text,
                        gsize       len,
                        GHashTable *unknown_names,
                        gboolean    has_foreign_element)
{
  const char *end = text + len;

  for (const char *p = text; (p = memmem (p, end - p, "&#", 2)) != NULL; p += 2)
    {
      const char *q = p + 2;
      gboolean hex = q < end && (*q == 'x' || *q == 'X');
      guint digits = 0;

      if (hex)
        q++;
      while (q < end && *q == '0')
        q++;
      while (q < end && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)))
        {
          digits++;
          q++;
        }
      if (digits > (hex ? 7u : 9u))
        {
          n_skipped_by[1]++;
          return TRUE;
        }
    }

  if (has_foreign_element && memmem (text, len, "</>", 3) != NULL)
    {
      n_skipped_by[6]++;
      return TRUE;
    }

  for (const char *p = text; (p = memmem (p, end - p, "</", 2)) != NULL; p += 2)
    {
      g_autoptr(GString) name = g_string_new (NULL);
      const char *q = p + 2;

      if (q == end || !g_ascii_isalpha (*q))
        continue;
      while (q < end && !strchr (" \t\n\f\r/>", *q))
        {
          g_string_append_c (name, *q == '\0' ? '?' : g_ascii_tolower (*q));
          q++;
        }
      /* Harmless when every unknown element has the name of this end tag. */
      if (gumbo_tagn_enum (name->str, name->len) == GUMBO_TAG_UNKNOWN &&
          g_hash_table_size (unknown_names) > 0 &&
          (g_hash_table_size (unknown_names) > 1 || !g_hash_table_contains (unknown_names, name->str)))
        {
          n_skipped_by[2]++;
          return TRUE;
        }
      if (has_foreign_element && q < end && *q != '>')
        {
          n_skipped_by[3]++;
          return TRUE;
        }
    }
  return FALSE;
}

/* Gumbo replaces C0 and C1 controls and noncharacters in its input with
 * U+FFFD; the standard keeps them (parse errors only). */
static gboolean
gumbo_replaces (gunichar c)
{
  return (c >= 0x1 && c <= 0x8) || c == 0xB || (c >= 0xE && c <= 0x1F) ||
         (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

static char *
valid_utf8 (const guint8 *data,
            size_t        size,
            gsize        *len)
{
  GString *out = g_string_sized_new (size + 1);
  const char *piece = (const char *) data;
  const char *end = piece + size;

  /* g_utf8_make_valid() stops at a NUL; a NUL becomes U+FFFD too, as the
   * standard's tokenizer makes it everywhere it matters for links (gumbo
   * loses a NUL that starts an attribute name: "<a \0href=x>" is an href). */
  for (;;)
    {
      const char *nul = memchr (piece, '\0', end - piece);
      gsize piece_len = (nul != NULL ? nul : end) - piece;
      g_autofree char *valid = g_utf8_make_valid (piece, piece_len);

      for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (gumbo_replaces (c))
            g_string_append (out, "\xef\xbf\xbd");
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
      if (nul == NULL)
        break;
      g_string_append (out, "\xef\xbf\xbd");
      piece = nul + 1;
    }
  *len = out->len;
  return g_string_free (out, FALSE);
}

static void
report (const char   *what,
        const char   *text,
        GArray       *theirs,
        AdHtmlHrefs  *ours)
{
  fprintf (stderr, "fuzz-html-diff: %s differ\n--- gumbo:\n", what);
  for (guint i = 0; i < theirs->len; i++)
    {
      const GumboLink *link = &g_array_index (theirs, GumboLink, i);

      fprintf (stderr, "  @%u %s.%s=[%s]\n", link->offset, link->element, link->attribute,
               link->value);
    }
  fprintf (stderr, "--- ours (base [%s]):\n", ours->base_href ? ours->base_href : "(none)");
  for (guint i = 0; i < ours->hrefs->len; i++)
    {
      const AdHtmlHref *href = g_ptr_array_index (ours->hrefs, i);

      fprintf (stderr, "  %s.%s=[%s]\n", href->element, href->attribute, href->value);
    }
  abort ();
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  gsize len;
  g_autofree char *text = valid_utf8 (data, size, &len);
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, len);
  g_autoptr(AdHtmlHrefs) ours = NULL;
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (GumboLink));
  g_autoptr(GArray) bases = g_array_new (FALSE, FALSE, sizeof (GumboLink));
  g_autoptr(GPtrArray) compared = g_ptr_array_new ();
  GumboOutput *output;
  const char *their_base;
  gboolean comparable;
  g_autoptr(GHashTable) unknown_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               NULL);
  gboolean has_foreign_element = FALSE;

  ours = ad_html_extract_hrefs (bytes, "utf-8", NULL, NULL);
  g_assert_nonnull (ours);

  /* Gumbo fails an assertion in handle_in_table() on a CDATA section in a
   * table ("<table><math><mo><![CDATA[>]]><"): such inputs never reach it. */
  if (strstr (text, "<![CDATA[") != NULL && strcasestr (text, "<table") != NULL)
    {
      if (g_getenv ("AD_FUZZ_STATS") != NULL && n_compared + n_skipped == 0)
        atexit (print_stats);
      n_skipped++;
      n_skipped_by[4]++;
      return 0;
    }

  output = gumbo_parse_with_options (&kGumboDefaultOptions, text, len);
  comparable = collect_gumbo (output->root, links, bases, unknown_names,
                              &has_foreign_element) &&
               !known_gumbo_difference (text, len, unknown_names, has_foreign_element);
  if (g_getenv ("AD_FUZZ_STATS") != NULL && n_compared + n_skipped == 0)
    atexit (print_stats);
  if (!comparable)
    {
      n_skipped++;
      gumbo_destroy_output (&kGumboDefaultOptions, output);
      return 0;
    }

  for (guint i = 0; i < ours->hrefs->len; i++)
    {
      const AdHtmlHref *href = g_ptr_array_index (ours->hrefs, i);

      if (strcmp (href->element, "frame") != 0)
        g_ptr_array_add (compared, (gpointer) href);
    }

  n_compared++;
  n_links += links->len;
  if (compared->len != links->len)
    report ("the numbers of links", text, links, ours);
  for (guint i = 0; i < links->len; i++)
    {
      const GumboLink *theirs = &g_array_index (links, GumboLink, i);
      const AdHtmlHref *href = g_ptr_array_index (compared, i);

      if (strcmp (theirs->element, href->element) != 0 ||
          strcmp (theirs->attribute, href->attribute) != 0 ||
          strcmp (theirs->value, href->value) != 0)
        report ("links", text, links, ours);
    }

  their_base = bases->len > 0 ? g_array_index (bases, GumboLink, 0).value : NULL;
  if (g_strcmp0 (their_base, ours->base_href) != 0)
    report ("<base href>s", text, bases, ours);

  gumbo_destroy_output (&kGumboDefaultOptions, output);
  return 0;
}
