/* test-link-extractor.c: links from malformed and tricky HTML (HTML5 tokenizer)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-core.h"
#include "ad-html-tokenizer.h"
#include "ad-tsan.h"
#include "ad-test-utils.h"

#define BASE "http://example.com/dir/page.html"


AD_TEST_TSAN_IGNORE_UNINSTRUMENTED ()

static GPtrArray *
extract_full (const char *html,
              gssize      length,
              const char *base,
              const char *charset)
{
  g_autoptr(GBytes) bytes = g_bytes_new (html, length < 0 ? strlen (html) : (gsize) length);
  g_autoptr(GError) error = NULL;
  GPtrArray *links = ad_link_extract (bytes, base, charset, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (links);
  return links;
}

static GPtrArray *
extract (const char *html)
{
  return extract_full (html, -1, BASE, NULL);
}

/* Asserts that @links are exactly @expected, in order. */
static void
assert_links_impl (GPtrArray          *links,
                   const char * const *expected)
{
  guint i;

  for (i = 0; expected[i] != NULL; i++)
    {
      g_assert_cmpuint (i, <, links->len);
      g_assert_cmpstr (g_ptr_array_index (links, i), ==, expected[i]);
    }
  g_assert_cmpuint (links->len, ==, i);
}

#define assert_links(links, ...) \
  assert_links_impl ((links), (const char * const []) { __VA_ARGS__ })

static void
test_elements (void)
{
  g_autoptr(GPtrArray) links = extract (
    "<!DOCTYPE html><html><head><link rel=stylesheet href=/style.css></head><body>"
    "<a href=a.html>a</a><map><area href='/area' alt=x></map>"
    "<frameset><frame src=frame.html></frameset><iframe src=\"/if\"></iframe>"
    "<img src=/not-a-link.png><a name=anchor>no href</a><form action=/no></form>"
    "</body></html>");

  assert_links (links,
                "http://example.com/style.css",
                "http://example.com/dir/a.html",
                "http://example.com/area",
                "http://example.com/dir/frame.html",
                "http://example.com/if",
                NULL);
}

static void
test_malformed (void)
{
  g_autoptr(GPtrArray) links = extract (
    "<HTML><BODY><P>unclosed <A HREF=\"Upper.html\">x<a href=second.html>y"
    "<div><a href=third.html</div><table><tr><td><a href='/cell'>c"
    "<a href=\"unterminated.html>oops</a></BODY>");

  /* Upper-case tags work, unclosed tags are repaired, each link counted. */
  g_assert_cmpuint (links->len, >=, 3);
  g_assert_cmpstr (g_ptr_array_index (links, 0), ==, "http://example.com/dir/Upper.html");
  g_assert_cmpstr (g_ptr_array_index (links, 1), ==, "http://example.com/dir/second.html");
  g_assert_true (g_ptr_array_find_with_equal_func (links, "http://example.com/cell",
                                                   g_str_equal, NULL));
}

static void
test_entities (void)
{
  g_autoptr(GPtrArray) links = extract (
    "<a href=\"/search?a=1&amp;b=2\">x</a>"
    "<a href=\"/caf&eacute;\">y</a>"
    "<a href=\"/&#x41;&#66;\">z</a>"
    "<a href=\"/legacy?x=1&copy=2\">w</a>");

  g_assert_cmpuint (links->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (links, 0), ==, "http://example.com/search?a=1&b=2");
  g_assert_cmpstr (g_ptr_array_index (links, 1), ==, "http://example.com/caf%C3%A9");
  g_assert_cmpstr (g_ptr_array_index (links, 2), ==, "http://example.com/AB");
}

static void
test_base (void)
{
  g_autoptr(GPtrArray) links = extract (
    "<html><head><base href=\"http://other.example/root/sub/\"><base href=/ignored/></head>"
    "<body><a href=x.html>1</a><a href=../y.html>2</a><a href=/z>3</a>"
    "<a href=//cdn.example/w>4</a></body></html>");
  g_autoptr(GPtrArray) relative = extract ("<base href=\"../other/\"><a href=p.html>p</a>");
  g_autoptr(GPtrArray) late = extract ("<a href=before.html>b</a><base href=\"/late/\">");

  assert_links (links,
                "http://other.example/root/sub/x.html",
                "http://other.example/root/y.html",
                "http://other.example/z",
                "http://cdn.example/w",
                NULL);
  /* A relative <base> is resolved against the document's URL. */
  assert_links (relative, "http://example.com/other/p.html", NULL);
  /* <base> applies to the whole document, also to links before it. */
  assert_links (late, "http://example.com/late/before.html", NULL);
}

static void
test_not_links (void)
{
  g_autoptr(GPtrArray) links = extract (
    "<!-- <a href=/commented>c</a> -->"
    "<script>document.write('<a href=\"/scripted\">s</a>'); var x = \"<a href=/s2>\";</script>"
    "<style>a[href=\"/styled\"] { color: red }</style>"
    "<a href=\"mailto:someone@example.com\">m</a><a href=\"javascript:void(0)\">j</a>"
    "<a href=\"data:text/html,hi\">d</a><a href=\"tel:+123\">t</a><a href=\"ftp://x/\">f</a>"
    "<a href=\"#section\">frag</a><a href=\"\">self</a><a href=\"/real#frag\">r</a>"
    "<a href=\"/real\">again</a>");

  /* Only the empty href (the page itself) and /real, once. */
  assert_links (links, "http://example.com/dir/page.html", "http://example.com/real", NULL);
}

/* The HTML5 answer. Until issue 15 the extractor ran libxml2 2.9.14's
 * pre-HTML5 parser, which reported all of /t, /ta, /x, /ne, /nf, /if,
 * /escaped and /pt: the content of these elements is text. */
static void
test_html5_text (void)
{
  g_autoptr(GPtrArray) links = extract (
    "<title><a href=/t></title><textarea><a href=/ta></textarea><xmp><a href=/x></xmp>"
    "<noembed><a href=/ne></noembed><noframes><a href=/nf></noframes><iframe><a href=/if>"
    "</iframe><a href=/after>"
    "<script><!--<script></script><a href=/escaped></script><a href=/end>"
    "<plaintext><a href=/pt>");

  assert_links (links, "http://example.com/after", "http://example.com/end", NULL);
}

/* A page repeats its navigation: each target is resolved once, and two
 * spellings of one URL are reported once, where it first appears. */
static void
test_repeated (void)
{
  g_autoptr(GPtrArray) links = extract (
    "<a href=a.html>1</a><a href=/b>2</a><a href=a.html>3</a><a href=./a.html>4</a>"
    "<a href='/b'>5</a><a href=\"a.html#x\">6</a><a href=c%41>7</a><a href=cA>8</a>"
    "<a href=a.html>9</a>");

  assert_links (links,
                "http://example.com/dir/a.html",
                "http://example.com/b",
                "http://example.com/dir/cA",
                NULL);
}

static void
test_invalid_bytes (void)
{
  static const char html[] = "<a href=\"/ok\">\xff\xfe\x80 bad \xc3</a>\0\0<a href=/after-nul>"
                             "<a href=\"/caf\xe9\">latin1</a>";
  g_autoptr(GPtrArray) links = extract_full (html, sizeof html - 1, BASE, NULL);

  g_assert_cmpuint (links->len, >=, 1);
  g_assert_cmpstr (g_ptr_array_index (links, 0), ==, "http://example.com/ok");
}

static void
test_charset (void)
{
  /* "é" in ISO-8859-1, announced by the header, or by the document. */
  static const char latin1[] = "<a href=\"/caf\xe9\">x</a>";
  static const char meta[] = "<html><head><meta charset=\"iso-8859-1\"></head>"
                             "<body><a href=\"/caf\xe9\">x</a></body></html>";
  g_autoptr(GPtrArray) header = extract_full (latin1, -1, BASE, "ISO-8859-1");
  g_autoptr(GPtrArray) document = extract_full (meta, -1, BASE, NULL);
  g_autoptr(GPtrArray) utf8 = extract_full ("<a href=\"/caf\xc3\xa9\">x</a>", -1, BASE, "utf-8");

  assert_links (header, "http://example.com/caf%C3%A9", NULL);
  assert_links (document, "http://example.com/caf%C3%A9", NULL);
  assert_links (utf8, "http://example.com/caf%C3%A9", NULL);
}

static void
test_empty_and_big (void)
{
  g_autoptr(GPtrArray) empty = extract ("");
  g_autoptr(GString) big = g_string_new ("<html><body>");
  g_autoptr(GPtrArray) links = NULL;

  g_assert_cmpuint (empty->len, ==, 0);

  /* A big document; every link found once. */
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (big, "<p>Paragraph %u <a href=\"/p/%u\">link</a> <a href=/p/0>0</a>",
                            i, i);
  links = extract (big->str);
  g_assert_cmpuint (links->len, ==, 5000);
  g_assert_cmpstr (g_ptr_array_index (links, 4999), ==, "http://example.com/p/4999");
}

static void
test_fast_path_agrees (void)
{
  static const char * const bases[] = {
    "http://Example.com:80/dir/page.html?x=1",
    "https://example.com:8443/a/b/",
    "http://example.com",
    "http://user@127.0.0.1:8080/q?x=/y/z",
  };
  static const char * const hrefs[] = {
    "/p/1.html", "p/2.html", "/a/b/../c", "/a/./b", "a/..", "./x", "../y", "/.", "/..",
    "/..hidden", "/a.b/c..d", "x?y=/../z", "/q?a=1&b=2#frag", "/p%41", "/a b", "/caf\xc3\xa9",
    "mailto:x@y", "a:b", "//host/x", "/a//b", "~user/", "_x", "-y", "/x#", "x/.", "x/..",
    "/'quoted'(1)*;=,@!$+", "/a:b", "Z",
  };

  /* Links the extractor resolves by concatenation must come out exactly
   * as GUri resolves them. */
  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    {
      g_autoptr(GUri) base = g_uri_parse (bases[i], G_URI_FLAGS_ENCODED, NULL);

      for (guint j = 0; j < G_N_ELEMENTS (hrefs); j++)
        {
          g_autofree char *html = g_strdup_printf ("<a href=\"%s\">x</a>", hrefs[j]);
          g_autoptr(GPtrArray) links = extract_full (html, -1, bases[i], "utf-8");
          g_autofree char *expected = ad_url_resolve (base, hrefs[j]);

          if (expected == NULL)
            g_assert_cmpuint (links->len, ==, 0);
          else
            {
              g_assert_cmpuint (links->len, ==, 1);
              g_assert_cmpstr (g_ptr_array_index (links, 0), ==, expected);
            }
        }
    }
}

/* Whether a value decodes to itself is found 8 bytes at a time: '&', CR,
 * NUL and non-ASCII bytes at each place of the first words and of the
 * tail must still send the value through decoding. */
static void
test_plain_spans (void)
{
  static const struct { const char *bytes; gsize len; } specials[] = {
    { "&amp;", 5 }, { "\r", 1 }, { "\0", 1 }, { "\xc3\xa9", 2 }, { "&lt", 3 },
  };
  g_autoptr(GUri) base = g_uri_parse (BASE, G_URI_FLAGS_ENCODED, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (specials); i++)
    for (guint at = 1; at < 20; at++)
      {
        g_autoptr(GString) value = g_string_new ("/");
        g_autoptr(GString) html = g_string_new ("<a href=\"");
        g_autoptr(GPtrArray) links = NULL;
        g_autoptr(GBytes) bytes = NULL;
        g_autoptr(AdHtmlRawHrefs) raw = NULL;
        g_autofree char *decoded = NULL;
        g_autofree char *expected = NULL;

        while (value->len < at)
          g_string_append_c (value, 'a' + value->len % 26);
        g_string_append_len (value, specials[i].bytes, specials[i].len);
        g_string_append (value, "xyz");
        g_string_append_len (html, value->str, value->len);
        g_string_append (html, "\">x</a>");

        links = extract_full (html->str, html->len, BASE, "utf-8");
        decoded = ad_html_decode_attribute (value->str, value->len, "utf-8");
        expected = ad_url_resolve (base, decoded);
        g_test_message ("%u at %u: %s", i, at, decoded);
        g_assert_nonnull (expected);
        g_assert_cmpuint (links->len, ==, 1);
        g_assert_cmpstr (g_ptr_array_index (links, 0), ==, expected);

        /* The same value without its special bytes is plain. */
        bytes = g_bytes_new (html->str, html->len);
        raw = ad_html_extract_raw_hrefs (bytes, "utf-8", NULL, NULL);
        g_assert_cmpuint (raw->hrefs->len, ==, 1);
        g_assert_false (g_array_index (raw->hrefs, AdHtmlRawHref, 0).plain);
        g_clear_pointer (&raw, ad_html_raw_hrefs_free);
        g_clear_pointer (&bytes, g_bytes_unref);
        g_string_erase (html, 9 + at, specials[i].len);
        bytes = g_bytes_new (html->str, html->len);
        raw = ad_html_extract_raw_hrefs (bytes, "utf-8", NULL, NULL);
        g_assert_true (g_array_index (raw->hrefs, AdHtmlRawHref, 0).plain);
      }
}

/* The packed list the crawler uses: the same URLs as ad_link_extract(),
 * in the same order, each NUL-terminated at its offset, each with the
 * hash the crawler's table of seen URLs computes (g_str_hash()). */
static void
test_list (void)
{
  const char *html =
    "<meta charset=windows-1252><a href=/p/1.html>1</a><a href='p/2.html?a=1&amp;b=2'>2</a>"
    "<link href=../up.css><a href=/p/1.html>again</a><a href=./p/../p/1.html>same</a>"
    "<area href=\"http://other.example.org/x\"><a href=mailto:x@y><a href=#top>"
    "<iframe src=' /spaced.html '></iframe><a href=/caf\xe9.html><frame src=/p/%7e3>";
  g_autoptr(GBytes) bytes = g_bytes_new_static (html, strlen (html));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = ad_link_extract (bytes, BASE, NULL, NULL, &error);
  g_autoptr(AdLinkList) list = ad_link_extract_list (bytes, BASE, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (links);
  g_assert_nonnull (list);
  g_assert_cmpuint (list->refs->len, ==, 8);
  g_assert_cmpuint (list->refs->len, ==, links->len);
  for (guint i = 0; i < list->refs->len; i++)
    {
      const AdLinkRef *ref = &g_array_index (list->refs, AdLinkRef, i);
      const char *url = list->text->str + ref->offset;

      g_assert_cmpuint (ref->offset, <, list->text->len);
      g_assert_cmpstr (url, ==, g_ptr_array_index (links, i));
      g_assert_cmpuint (ref->hash, ==, g_str_hash (url));
    }
  g_assert_cmpstr (list->text->str + g_array_index (list->refs, AdLinkRef, 1).offset, ==,
                   "http://example.com/dir/p/2.html?a=1&b=2");
}

static void
test_async (void)
{
  g_autoptr(GBytes) html = g_bytes_new_static ("<a href=/x>x</a>", 16);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled_result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GPtrArray) none = NULL;

  ad_link_extract_async (html, BASE, NULL, NULL, ad_test_store_result, &result);
  ad_test_wait_result (&result, 5000);
  links = ad_link_extract_finish (result, &error);
  g_assert_no_error (error);
  assert_links (links, "http://example.com/x", NULL);

  g_cancellable_cancel (cancellable);
  ad_link_extract_async (html, BASE, NULL, cancellable, ad_test_store_result, &cancelled_result);
  ad_test_wait_result (&cancelled_result, 5000);
  none = ad_link_extract_finish (cancelled_result, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The one failure besides cancellation: the document's URL is not one
 * (never the case for a fetched page, whose URL came from GUri). */
static void
test_bad_base (void)
{
  static const char html[] = "<a href=\"/a\">a</a> <a href=\"http://example.org/b\">b</a>";
  g_autoptr(GBytes) bytes = g_bytes_new_static (html, sizeof html - 1);
  const char *bad[] = { "relative/page.html", "http://[::1/", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      GPtrArray *links = ad_link_extract (bytes, bad[i], NULL, NULL, &error);

      g_assert_null (links);
      g_assert_nonnull (error);
      g_assert_cmpuint (error->domain, ==, G_URI_ERROR);
    }
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/link-extractor/elements", test_elements);
  g_test_add_func ("/link-extractor/malformed", test_malformed);
  g_test_add_func ("/link-extractor/entities", test_entities);
  g_test_add_func ("/link-extractor/base", test_base);
  g_test_add_func ("/link-extractor/not-links", test_not_links);
  g_test_add_func ("/link-extractor/html5-text", test_html5_text);
  g_test_add_func ("/link-extractor/repeated", test_repeated);
  g_test_add_func ("/link-extractor/invalid-bytes", test_invalid_bytes);
  g_test_add_func ("/link-extractor/charset", test_charset);
  g_test_add_func ("/link-extractor/empty-and-big", test_empty_and_big);
  g_test_add_func ("/link-extractor/fast-path-agrees", test_fast_path_agrees);
  g_test_add_func ("/link-extractor/plain-spans", test_plain_spans);
  g_test_add_func ("/link-extractor/list", test_list);
  g_test_add_func ("/link-extractor/async", test_async);
  g_test_add_func ("/link-extractor/bad-base", test_bad_base);

  return g_test_run ();
}
