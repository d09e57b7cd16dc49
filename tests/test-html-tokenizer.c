/* test-html-tokenizer.c: the hrefs our own HTML tokenizer finds, state by state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-html-tokenizer.h"
#include "ad-link-extractor.h"
#include "ad-url.h"

/* The decoded values, joined with '|'; "" when there is none. */
static char *
hrefs_full (const char *html,
            gssize      length,
            const char *charset,
            gboolean    with_elements)
{
  g_autoptr(GBytes) bytes = g_bytes_new (html, length < 0 ? strlen (html) : (gsize) length);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdHtmlHrefs) hrefs = ad_html_extract_hrefs (bytes, charset, NULL, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (hrefs);
  for (guint i = 0; i < hrefs->hrefs->len; i++)
    {
      const AdHtmlHref *href = g_ptr_array_index (hrefs->hrefs, i);

      if (i > 0)
        g_string_append_c (out, '|');
      if (with_elements)
        g_string_append_printf (out, "%s.%s=", href->element, href->attribute);
      g_string_append (out, href->value);
    }
  return g_string_free (out, FALSE);
}

static char *
hrefs_of (const char *html)
{
  return hrefs_full (html, -1, NULL, FALSE);
}

#define assert_hrefs(html, expected) \
  G_STMT_START \
  { \
    g_autofree char *got_ = hrefs_of (html); \
    g_assert_cmpstr (got_, ==, expected); \
  } \
  G_STMT_END

static void
test_elements (void)
{
  g_autofree char *got = hrefs_full (
    "<!DOCTYPE html><html><head><link rel=stylesheet href=/style.css></head><body>"
    "<a href=a.html>a</a><map><area href='/area' alt=x></map>"
    "<frameset><frame src=frame.html></frameset><iframe src=\"/if\"></iframe>"
    "<img src=/not-a-link.png><a name=anchor>no href</a><form action=/no></form>"
    "<A HREF=Upper.html><aa href=no><abbr href=no><link src=no><frame href=no></body></html>",
    -1, NULL, TRUE);

  g_assert_cmpstr (got, ==,
                   "link.href=/style.css|a.href=a.html|area.href=/area|frame.src=frame.html|"
                   "iframe.src=/if|a.href=Upper.html");
}

static void
test_data_state (void)
{
  /* A '<' that opens no tag is text; tags right after it still count. */
  assert_hrefs ("a < b <3 <<a href=1> << a href=no> <1a href=no> <", "1");
  assert_hrefs ("<", "");
  assert_hrefs ("<a", "");
  assert_hrefs ("x<a href=2>", "2");
  assert_hrefs ("<\xc3\xa9 href=no><a\thref=tab><a\nhref=nl><a\fhref=ff><a\rhref=cr>",
                "tab|nl|ff|cr");
}

static void
test_end_tags (void)
{
  /* End tags never link; "</ x" and "</3" open bogus comments. */
  assert_hrefs ("</a href=no></><a href=1></ a href=no><a href=2></3 <a href=no>><a href=3>",
                "1|2|3");
  assert_hrefs ("</", "");
  assert_hrefs ("</a title='<a href=no>'><a href=4>", "4");
}

static void
test_bogus_comments (void)
{
  assert_hrefs ("<?xml version='1.0'?><a href=1><?php echo '<a href=no>' ?><a href=2>", "1|2");
  assert_hrefs ("<!x <a href=no><a href=3><!><a href=4><!", "3|4");
  assert_hrefs ("<?<a href=no", "");
}

static void
test_attributes (void)
{
  assert_hrefs ("<a href=\"dq\"><a href='sq'><a href=uq><a href = \"spaced\" >", "dq|sq|uq|spaced");
  assert_hrefs ("<a href=x/><a href=\"y\"/><a/href=z><a href=w/ >", "x/|y|z|w/");
  assert_hrefs ("<a title=\"a>b\" href=1><a title='\"' href='2'><a title=\"'\" href=\"3\">",
                "1|2|3");
  /* Present but empty, or missing its value. */
  assert_hrefs ("<a href><a href=><a href=\"\"><a href= >", "|||");
  /* Duplicates: the first wins, whatever the case. */
  assert_hrefs ("<a HREF=first href=second><a href=\"x\"href=y>", "first|x");

  /* Odd names: "=href" and "x\"y" are names of their own. */
  assert_hrefs ("<a =href=no><a x\"y=1 href=ok><a <href=no2>", "ok");
  /* Unquoted values keep quotes, '=' and '`'; whitespace and '>' end them. */
  assert_hrefs ("<a href=a\"b'c=d`e<f>", "a\"b'c=d`e<f");
  /* A tag cut off by the end of the document is dropped. */
  assert_hrefs ("<a href=1><a href=\"2", "1");
  assert_hrefs ("<a href='2'", "");
  assert_hrefs ("<a href=2", "");
  assert_hrefs ("<a href=2 ", "");
  assert_hrefs ("<a href=\"2\"/", "");
  assert_hrefs ("<a href=\"x\"", "");
}

static void
test_comments (void)
{
  assert_hrefs ("<!-- <a href=no> --><a href=1>", "1");
  assert_hrefs ("<!--><a href=2>", "2");
  assert_hrefs ("<!---><a href=3>", "3");
  assert_hrefs ("<!----><a href=4>", "4");
  assert_hrefs ("<!-- x ---><a href=5>", "5");
  assert_hrefs ("<!-- x --!><a href=6>", "6");
  assert_hrefs ("<!-- -- > <a href=no> --!x <a href=no> --><a href=7>", "7");
  assert_hrefs ("<!-- <!-- nested --><a href=8>", "8");
  assert_hrefs ("<!-- x --!--><a href=9>", "9");
  assert_hrefs ("<!-- x --!-x <a href=no> ---!><a href=10>", "10");
  assert_hrefs ("<!-- unterminated <a href=no>", "");
  assert_hrefs ("<!--", "");
  assert_hrefs ("<!-", "");
  assert_hrefs ("<!- <a href=no> --><a href=11>", "11");
}

static void
test_doctype (void)
{
  assert_hrefs ("<!DOCTYPE html><a href=1><!doctype html system 'x'><a href=2>", "1|2");
  /* A '>' inside a quoted identifier ends the DOCTYPE all the same. */
  assert_hrefs ("<!DOCTYPE html PUBLIC \"a>\" <a href=3>", "3");
  assert_hrefs ("<!DOCTYPE <a href=no>", "");
}

static void
test_cdata (void)
{
  /* In HTML content <![CDATA[ is a bogus comment, up to the first '>'. */
  assert_hrefs ("<![CDATA[ x > <a href=html> ]]>", "html");
  /* In SVG and MathML it is a CDATA section, up to "]]>". */
  assert_hrefs ("<svg><![CDATA[ x > <a href=no> ]]></svg><a href=after>", "after");
  assert_hrefs ("<math><![CDATA[ <a href=no> ]]><a href=m></math>", "m");
  assert_hrefs ("<svg><![CDATA[ <a href=no>", "");
  assert_hrefs ("<svg><![cdata[ x > <a href=lower-case-is-bogus> ]]>", "lower-case-is-bogus");
}

static void
test_raw_text (void)
{
  static const char * const elements[] = {
    "title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script",
  };

  for (guint i = 0; i < G_N_ELEMENTS (elements); i++)
    {
      const char *e = elements[i];
      g_autofree char *html = g_strdup_printf (
        "<%s><a href=no></%sx><a href=no2></ %s><a href=no3></%s", e, e, e, e);
      g_autofree char *closed = g_strdup_printf ("%s</%s><a href=1>", html, e);
      g_autofree char *upper = g_ascii_strup (e, -1);
      g_autofree char *variants = NULL;

      g_test_message ("%s", e);
      assert_hrefs (html, "");
      assert_hrefs (closed, "1");

      /* End tags in any case, with white space, '/' or attributes. */
      variants = g_strdup_printf ("<%s><a href=no></%s ><a href=2><%s></%s/><a href=3>"
                                  "<%s></%s title='</%s><a href=no>'><a href=4>",
                                  upper, e, e, e, e, e, e);
      assert_hrefs (variants, "2|3|4");
    }

  /* The iframe's own src counts, what it holds does not. */
  assert_hrefs ("<iframe src=framed><a href=no></iframe><a href=1>", "framed|1");
  /* Self-closing syntax does not make them empty. */
  assert_hrefs ("<title/><a href=no></title><a href=2>", "2");
}

static void
test_script (void)
{
  assert_hrefs ("<script>document.write('<a href=\"/no\">')</script><a href=1>", "1");
  assert_hrefs ("<script>'</script>'<a href=2>", "2");
  /* Escaped: "<!--" ... an end tag still closes it. */
  assert_hrefs ("<script><!-- <a href=no> --></script><a href=3>", "3");
  assert_hrefs ("<script><!--</script><a href=4>", "4");
  assert_hrefs ("<script><!--><a href=no></script><a href=5>", "5");
  /* Double escaped: "<!--<script>" hides one "</script>". */
  assert_hrefs ("<script><!--<script></script><a href=no></script><a href=6>", "6");
  assert_hrefs ("<script><!--<script>--></script><a href=7>", "7");
  assert_hrefs ("<script><!--<script>-></script><a href=no></script><a href=8>", "8");
  assert_hrefs ("<script><!--<scripts></script><a href=9>", "9");
  assert_hrefs ("<script><!--<SCRIPT/></SCRIPT ><a href=no></script><a href=10>", "10");
  assert_hrefs ("<script><!--<script></script --><a href=11>", "");
  assert_hrefs ("<script><!--<script></script --></script><a href=12>", "12");
  assert_hrefs ("<script><!--<script><!--</script><a href=no></script><a href=13>", "13");
  assert_hrefs ("<script><!-- --!></script><a href=14>", "14");
  assert_hrefs ("<script><!-x--><a href=no></script><a href=15>", "15");
  assert_hrefs ("<script><!--", "");
  assert_hrefs ("<script><!--<script", "");
  assert_hrefs ("<script><!--<script></", "");
  assert_hrefs ("<script><!--<script></scripx></script><a href=no></script><a href=16>", "16");
}

static void
test_plaintext (void)
{
  assert_hrefs ("<a href=1><plaintext></plaintext><a href=no>", "1");
  /* noscript is an ordinary element: scripting is off for a crawler. */
  assert_hrefs ("<noscript><a href=ns></noscript>", "ns");
}

static void
test_references (void)
{
  assert_hrefs ("<a href=\"/s?a=1&amp;b=2\"><a href='/caf&eacute;'><a href=/&#x41;&#66;&#X43>",
                "/s?a=1&b=2|/caf\xc3\xa9|/ABC");
  /* Legacy names without ';': not before '=' or an alphanumeric. */
  assert_hrefs ("<a href='?x=1&copy=2'><a href='?&copy2'><a href='?&copy;2'><a href='&copy-'>",
                "?x=1&copy=2|?&copy2|?\xc2\xa9" "2|\xc2\xa9-");
  assert_hrefs ("<a href='&notit;'><a href='&notin;'><a href='&not;it'><a href='&amp'>",
                "&notit;|\xe2\x88\x89|\xc2\xac" "it|&");
  /* Unknown names and names that need ';' stay as written. */
  assert_hrefs ("<a href='&bogus;&hellip&hellip;'>", "&bogus;&hellip\xe2\x80\xa6");
  /* Two code points; the longest name wins. */
  assert_hrefs ("<a href='&NotEqualTilde;'><a href='&ampx;'>", "\xe2\x89\x82\xcc\xb8|&ampx;");
  /* Numeric: NUL, surrogates and overflows are U+FFFD, 0x80–0x9F windows-1252. */
  assert_hrefs ("<a href='&#0;&#xD800;&#x110000;&#99999999999999;'>",
                "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  assert_hrefs ("<a href='&#x80;&#x81;&#150;'>", "\xe2\x82\xac\xc2\x81\xe2\x80\x93");
  assert_hrefs ("<a href='&#;&#x;&#xg;&;&#38;&#x26'>", "&#;&#x;&#xg;&;&&");
  /* Unquoted values decode too; CR, CRLF and NUL as the input stream has them. */
  assert_hrefs ("<a href=&lt;x&gt;>", "<x>");
  {
    static const char html[] = "<a href='a\r\nb\rc\0d'>";
    g_autofree char *got = hrefs_full (html, sizeof html - 1, NULL, FALSE);

    g_assert_cmpstr (got, ==, "a\nb\nc\xef\xbf\xbd" "d");
  }
}

static void
test_base (void)
{
  static const char doc[] =
    "<a href=x><base target=_top><base href='/first&amp;'><base href=/second>";
  g_autoptr(GBytes) html = g_bytes_new_static (doc, sizeof doc - 1);
  g_autoptr(AdHtmlHrefs) hrefs = ad_html_extract_hrefs (html, NULL, NULL, NULL);
  g_autoptr(GBytes) none = g_bytes_new_static ("<base target=x><a href=y>", 25);
  g_autoptr(AdHtmlHrefs) without = ad_html_extract_hrefs (none, NULL, NULL, NULL);

  /* The first <base> with an href, wherever it is; <base> is no link. */
  g_assert_cmpstr (hrefs->base_href, ==, "/first&");
  g_assert_cmpuint (hrefs->hrefs->len, ==, 1);
  g_assert_null (without->base_href);
}

static void
check_charset (const char *html,
               const char *header,
               const char *expected_href,
               const char *expected_charset)
{
  g_autoptr(GBytes) bytes = g_bytes_new (html, strlen (html));
  g_autoptr(AdHtmlHrefs) hrefs = ad_html_extract_hrefs (bytes, header, NULL, NULL);

  g_assert_cmpuint (hrefs->hrefs->len, ==, 1);
  g_assert_cmpstr (((AdHtmlHref *) g_ptr_array_index (hrefs->hrefs, 0))->value, ==,
                   expected_href);
  g_assert_cmpstr (hrefs->charset, ==, expected_charset);
}

static void
test_charset (void)
{
  /* "é" as ISO-8859-1 (which means windows-1252), "€" as windows-1252. */
  check_charset ("<meta charset=\"iso-8859-1\"><a href=\"/caf\xe9\x80\">", NULL,
                 "/caf\xc3\xa9\xe2\x82\xac", "iso-8859-1");
  check_charset ("<meta charset=' LATIN1 '><a href=\"/caf\xe9\">", NULL, "/caf\xc3\xa9", "LATIN1");
  /* The header wins over the document. */
  check_charset ("<meta charset=utf-8><a href=\"/caf\xe9\">", "ISO-8859-15", "/caf\xc3\xa9",
                 "utf-8");
  /* <meta http-equiv> and its content, in any case, quoted or not. */
  check_charset ("<meta http-equiv=Content-Type content='text/html; CharSet=\"koi8-r\"'>"
                 "<a href='/\xc1'>", NULL, "/\xd0\xb0", "koi8-r");
  check_charset ("<meta content='text/html;charset=windows-1251' http-equiv='content-type'>"
                 "<a href='/\xe0'>", NULL, "/\xd0\xb0", "windows-1251");
  /* The first declaration wins, and it holds for links before it too. */
  check_charset ("<a href='/\xe0'><meta http-equiv=refresh content='charset=utf-8'>"
                 "<meta charset=windows-1251><meta charset=utf-8>", NULL, "/\xd0\xb0",
                 "windows-1251");
  /* No charset at all: UTF-8 when it is, windows-1252 when it is not. */
  check_charset ("<a href='/caf\xc3\xa9'>", NULL, "/caf\xc3\xa9", NULL);
  check_charset ("<a href='/caf\xe9\x80'>", NULL, "/caf\xc3\xa9\xe2\x82\xac", NULL);
  /* A charset iconv does not know is as good as none. */
  check_charset ("<meta charset=x-no-such-thing><a href='/\xe9'>", NULL, "/\xc3\xa9",
                 "x-no-such-thing");
  /* UTF-16 in a document we could read as ASCII means UTF-8. */
  check_charset ("<meta charset=utf-16><a href='/caf\xc3\xa9'>", NULL, "/caf\xc3\xa9", "utf-16");
  /* References are decoded after the conversion. */
  check_charset ("<meta charset=windows-1251><a href='/\xe0&eacute;'>", NULL,
                 "/\xd0\xb0\xc3\xa9", "windows-1251");
}

static void
test_foreign (void)
{
  /* In SVG, style and script are ordinary elements, and so is a. */
  assert_hrefs ("<svg><style><a href=1></style><script><a href=2></script></svg>", "1|2");
  /* ...and back in HTML after </svg>, or a self-closing <svg/>. */
  assert_hrefs ("<svg></svg><style><a href=no></style><svg/><title><a href=no></title>", "");
  /* Integration points: desc, title, foreignObject, mi, annotation-xml. */
  assert_hrefs ("<svg><desc><style><a href=no></style><a href=3></a></desc><style><a href=4>",
                "3|4");
  /* HTML rules inside: </desc> with <a> open is ignored (desc is special). */
  assert_hrefs ("<svg><desc><a href=5></desc><style><a href=no>", "5");
  assert_hrefs ("<svg><foreignObject><title><a href=no></title></foreignObject></svg>", "");
  assert_hrefs ("<math><mi><textarea><a href=no></textarea></mi><mglyph><style><a href=6>",
                "6");
  assert_hrefs ("<math><annotation-xml encoding='TEXT/HTML'><style><a href=no>", "");
  assert_hrefs ("<math><annotation-xml><style><a href=6>", "6");
  assert_hrefs ("<math><annotation-xml><svg><style><a href=7>", "7");
  /* annotation-xml bounds the scope even when it is no integration point:
   * </a> cannot reach the <a> outside, so the math stays open and <style>
   * is a MathML element with markup inside (found by fuzz-html-diff). */
  assert_hrefs ("<a><math><annotation-xml></a><style><a href=8>", "8");
  /* A breakout tag (p, or font with color) leaves foreign content. */
  assert_hrefs ("<svg><g><p><style><a href=no></style><a href=8>", "8");
  assert_hrefs ("<svg><font><style><a href=9></style></font><font color=red><style><a href=no>",
                "9");
  /* End tags: the nearest foreign element of that name, case aside. */
  assert_hrefs ("<svg><g><G></g></SVG><style><a href=no></style><a href=10>", "10");
  assert_hrefs ("<svg><desc><b></desc><xmp><a href=no></xmp></b></desc><style><a href=11>",
                "11");
  /* An HTML ancestor's end tag closes SVG inside it, unless a special
   * element (p) is open in between; a formatting element's (b) closes
   * what the adoption agency closes. */
  assert_hrefs ("<span><svg><g></span><style><a href=no></style><a href=12>", "12");
  assert_hrefs ("<span><p><svg></span><style><a href=13>", "13");
  assert_hrefs ("<b><div><svg></b><style><a href=no></style><a href=14>", "14");
  assert_hrefs ("<b><svg></b><style><a href=no></style><a href=15>", "15");
  assert_hrefs ("<b><div><i><span><p><svg><g></b><style><a href=no></style><a href=16>", "16");
  assert_hrefs ("<b><div></b><svg></div><style><a href=no></style><a href=17>", "17");
}

typedef struct
{
  GString *log;
  guint    stop_after;
} TagLog;

static gboolean
log_tag (const AdHtmlStartTag *tag,
         gpointer              user_data)
{
  TagLog *log = user_data;

  g_string_append_printf (log->log, "<%s%s%s", tag->name, tag->foreign ? " foreign" : "",
                          tag->self_closing ? " self-closing" : "");
  for (guint i = 0; i < tag->n_attributes; i++)
    g_string_append_printf (log->log, " %s=[%.*s]", tag->attributes[i].name,
                            (int) tag->attributes[i].value_len, tag->attributes[i].value);
  g_string_append_c (log->log, '>');
  return --log->stop_after > 0;
}

static gboolean
count_attributes (const AdHtmlStartTag *tag,
                  gpointer              user_data)
{
  guint *count = user_data;
  const AdHtmlAttribute *x1 = ad_html_start_tag_get_attribute (tag, "x1");

  g_assert_nonnull (x1);
  g_assert_cmpmem (x1->value, x1->value_len, "1", 1);
  *count = tag->n_attributes;
  return TRUE;
}

static char *
tags_of (const char *html,
         gsize       length)
{
  TagLog log = { g_string_new (NULL), G_MAXUINT };

  g_assert_true (ad_html_tokenize (html, length, log_tag, &log, NULL));
  return g_string_free (log.log, FALSE);
}

/* The shortcuts: names found by their packed bytes (up to 8), attribute
 * names lowered only when reported, the counted open elements. */
static void
test_shortcuts (void)
{
  static const char names[] = "<DiV><Textarea2 x=1><ABBR><templates><x\xc3\xa9><t\0d>";
  static const char attributes[] = "<a HREF=1 hr\0Ef=2 =X=3 HRef=4><p Class=x>";
  static const char nul[] = "<textarea\0><a href=1></textarea>";
  static const char nul_color[] = "<svg><font col\0or=red><style><a href=2></style>";
  g_autofree char *got_names = tags_of (names, sizeof names - 1);
  g_autofree char *got_attributes = tags_of (attributes, sizeof attributes - 1);
  g_autofree char *nul_name = hrefs_full (nul, sizeof nul - 1, NULL, FALSE);
  g_autofree char *nul_color_name = hrefs_full (nul_color, sizeof nul_color - 1, NULL, FALSE);

  g_assert_cmpstr (got_names, ==,
                   "<div><textarea2 x=[1]><abbr><templates><x\xc3\xa9><t\xef\xbf\xbd" "d>");
  g_assert_cmpstr (got_attributes, ==,
                   "<a href=[1] hr\xef\xbf\xbd" "ef=[2] =x=[3]><p class=[x]>");
  /* Only the whole name counts: "textareas" is no textarea, and a
   * U+FFFD makes any name unknown. */
  assert_hrefs ("<TextArea><a href=no></textarea><textareas><a href=1></textareas>", "1");
  assert_hrefs ("<PlainTexts><a href=1><PLAINTEXT><a href=no>", "1");
  g_assert_cmpstr (nul_name, ==, "1");
  /* The attributes a tag in foreign content is asked for, in any case. */
  assert_hrefs ("<svg><font COLOR=red><style><a href=no></style><a href=1>", "1");
  g_assert_cmpstr (nul_color_name, ==, "2");
  assert_hrefs ("<math><annotation-xml ENCODING=text/html><style><a href=no></style><a href=3>",
                "3");
  /* Counted elements: a table open, then closed (a td outside a table is
   * ignored, so </td> cannot close the svg); a p open, then closed. */
  assert_hrefs ("<table><td><svg></td><style><a href=no></style><a href=4>", "4");
  assert_hrefs ("<table></table><td><svg></td><style><a href=5></style>", "5");
  assert_hrefs ("<div></div><p><svg></p><style><a href=no></style><a href=6>", "6");
  assert_hrefs ("<p></p><div><svg></p><style><a href=7></style>", "7");
  /* An end tag for the element on top closes it, one for a name that is
   * open lower down (my-el) closes what it holds. */
  assert_hrefs ("<my-el><svg></my-el><style><a href=no></style><a href=8>", "8");
  assert_hrefs ("<my-el><svg></my-elx><style><a href=9></style>", "9");
  assert_hrefs ("<table><td></th><svg></td><style><a href=no></style><a href=10>", "10");
  /* The end tag of the element on top, as written: only "</td>" itself
   * is taken without a lookup; "</tdx>", "</t>" and "</td x>" are other
   * tags or go the long way, "</TD>" too. */
  assert_hrefs ("<table><td></tdx></t><svg></td><style><a href=no></style><a href=11>", "11");
  assert_hrefs ("<table><td></TD><svg></td><style><a href=12></style>", "12");
  assert_hrefs ("<table><td></td x><svg></td><style><a href=13></style>", "13");
}

static void
test_callback (void)
{
  static const char html[] = "<DIV Class=x CLASS=y \0z=1 a/><svg><Path d='&amp;'/></svg>"
                             "<b><i><u>";
  TagLog log = { g_string_new (NULL), 4 };

  /* Names in lower case, NUL as U+FFFD, raw values, duplicates dropped,
   * and FALSE stops. */
  g_assert_true (ad_html_tokenize (html, sizeof html - 1, log_tag, &log, NULL));
  g_assert_cmpstr (log.log->str, ==,
                   "<div self-closing class=[x] \xef\xbf\xbdz=[1] a=[]>"
                   "<svg foreign><path foreign self-closing d=[&amp;]><b>");
  g_string_free (log.log, TRUE);

  /* Duplicates among many attributes (a set then, not pairs). */
  {
    g_autoptr(GString) many = g_string_new ("<a");
    guint count = 0;

    for (guint i = 0; i < 100; i++)
      g_string_append_printf (many, " x%u=%u", i % 50, i);
    g_string_append (many, " href=1 X1=2 HREF=2>");
    g_assert_true (ad_html_tokenize (many->str, many->len, count_attributes, &count, NULL));
    g_assert_cmpuint (count, ==, 51);
  }
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) html = g_bytes_new_static ("<a href=x>", 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdHtmlHrefs) hrefs = NULL;

  g_cancellable_cancel (cancellable);
  hrefs = ad_html_extract_hrefs (html, NULL, cancellable, &error);
  g_assert_null (hrefs);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_empty_and_big (void)
{
  g_autoptr(GString) big = g_string_new ("<html><body>");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(AdHtmlHrefs) hrefs = NULL;

  assert_hrefs ("", "");
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (big, "<p>Paragraph %u <a href=\"/p/%u\">link</a>", i, i);
  bytes = g_bytes_new (big->str, big->len);
  hrefs = ad_html_extract_hrefs (bytes, NULL, NULL, NULL);
  g_assert_cmpuint (hrefs->hrefs->len, ==, 5000);
  g_assert_cmpstr (((AdHtmlHref *) g_ptr_array_index (hrefs->hrefs, 4999))->value, ==,
                   "/p/4999");
}

/* The links ad_link_extract() reports, from our hrefs: resolved against the
 * first <base href> (itself resolved against the document), http(s) only,
 * each once, in document order. */
static GPtrArray *
resolve_hrefs (const char *html,
               const char *document_url)
{
  g_autoptr(GBytes) bytes = g_bytes_new (html, strlen (html));
  g_autoptr(AdHtmlHrefs) hrefs = ad_html_extract_hrefs (bytes, NULL, NULL, NULL);
  g_autoptr(GUri) document = g_uri_parse (document_url, G_URI_FLAGS_ENCODED |
                                          G_URI_FLAGS_PARSE_RELAXED, NULL);
  g_autoptr(GUri) base = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *links = g_ptr_array_new_with_free_func (g_free);

  if (hrefs->base_href != NULL)
    {
      g_autofree char *escaped = ad_url_escape_stray_percents (g_strstrip (hrefs->base_href));

      base = g_uri_parse_relative (document, escaped,
                                   G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
    }
  if (base == NULL)
    base = g_uri_ref (document);
  for (guint i = 0; i < hrefs->hrefs->len; i++)
    {
      const AdHtmlHref *href = g_ptr_array_index (hrefs->hrefs, i);
      char *url = ad_url_resolve (base, href->value);

      if (url == NULL || g_hash_table_contains (seen, url))
        {
          g_free (url);
          continue;
        }
      g_hash_table_add (seen, url);
      g_ptr_array_add (links, url);
    }
  return links;
}

static void
test_same_links_as_libxml2 (void)
{
  /* Well-formed documents, where HTML5 and libxml2 agree on the elements.
   * ad_link_extract() ran libxml2 when this test was written; it runs the
   * tokenizer now (with its own dedup and fast path), and must still give
   * the links libxml2 gave here. */
  static const char * const documents[] = {
    "<!DOCTYPE html><html><head><link rel=stylesheet href=/style.css></head><body>"
    "<a href=a.html>a</a><map><area href='/area' alt=x></map>"
    "<frameset><frame src=frame.html></frameset><iframe src=\"/if\"></iframe>"
    "<img src=/not-a-link.png><a name=anchor>no href</a></body></html>",
    "<a href=\"/search?a=1&amp;b=2\">x</a><a href=\"/caf&eacute;\">y</a>"
    "<a href=\"/&#x41;&#66;\">z</a>",
    "<html><head><base href=\"http://other.example/root/sub/\"><base href=/ignored/></head>"
    "<body><a href=x.html>1</a><a href=../y.html>2</a><a href=/z>3</a>"
    "<a href=//cdn.example/w>4</a></body></html>",
    "<base href=\"../other/\"><a href=p.html>p</a>",
    "<a href=before.html>b</a><base href=\"/late/\">",
    "<!-- <a href=/commented>c</a> -->"
    "<script>document.write('<a href=\"/scripted\">s</a>'); var x = \"<a href=/s2>\";</script>"
    "<style>a[href=\"/styled\"] { color: red }</style>"
    "<a href=\"mailto:someone@example.com\">m</a><a href=\"javascript:void(0)\">j</a>"
    "<a href=\"#section\">frag</a><a href=\"\">self</a><a href=\"/real#frag\">r</a>"
    "<a href=\"/real\">again</a><a href=\"/a b/%7e/%zz\">odd</a>",
    "<html><head><meta charset=\"iso-8859-1\"></head><body><a href=\"/caf\xe9\">x</a>"
    "</body></html>",
  };
  g_autoptr(GPtrArray) html5 = resolve_hrefs (
    "<title><a href=/t></title><textarea><a href=/ta></textarea><xmp><a href=/x></xmp>"
    "<noembed><a href=/ne></noembed><noframes><a href=/nf></noframes><iframe><a href=/if>"
    "</iframe><svg><style><a href=/svg-style></style></svg>"
    "<script><!--<script></script><a href=/escaped></script><plaintext><a href=/pt>",
    "http://example.com/");

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (documents[i], strlen (documents[i]));
      g_autoptr(GPtrArray) expected = ad_link_extract (bytes, "http://example.com/dir/page.html",
                                                       NULL, NULL, NULL);
      g_autoptr(GPtrArray) links = resolve_hrefs (documents[i],
                                                  "http://example.com/dir/page.html");

      g_test_message ("document %u", i);
      g_assert_cmpuint (expected->len, >, 0);
      g_assert_cmpuint (links->len, ==, expected->len);
      for (guint j = 0; j < links->len; j++)
        g_assert_cmpstr (g_ptr_array_index (links, j), ==, g_ptr_array_index (expected, j));
    }

  /* Where they differ, HTML5 is right: libxml2 2.9.14 reports /t, /ta, /x,
   * /ne, /nf, /if, /escaped and /pt, and misses /svg-style. */
  g_assert_cmpuint (html5->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (html5, 0), ==, "http://example.com/svg-style");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/html-tokenizer/elements", test_elements);
  g_test_add_func ("/html-tokenizer/data-state", test_data_state);
  g_test_add_func ("/html-tokenizer/end-tags", test_end_tags);
  g_test_add_func ("/html-tokenizer/bogus-comments", test_bogus_comments);
  g_test_add_func ("/html-tokenizer/attributes", test_attributes);
  g_test_add_func ("/html-tokenizer/comments", test_comments);
  g_test_add_func ("/html-tokenizer/doctype", test_doctype);
  g_test_add_func ("/html-tokenizer/cdata", test_cdata);
  g_test_add_func ("/html-tokenizer/raw-text", test_raw_text);
  g_test_add_func ("/html-tokenizer/script", test_script);
  g_test_add_func ("/html-tokenizer/plaintext", test_plaintext);
  g_test_add_func ("/html-tokenizer/references", test_references);
  g_test_add_func ("/html-tokenizer/base", test_base);
  g_test_add_func ("/html-tokenizer/charset", test_charset);
  g_test_add_func ("/html-tokenizer/foreign", test_foreign);
  g_test_add_func ("/html-tokenizer/shortcuts", test_shortcuts);
  g_test_add_func ("/html-tokenizer/callback", test_callback);
  g_test_add_func ("/html-tokenizer/cancel", test_cancel);
  g_test_add_func ("/html-tokenizer/empty-and-big", test_empty_and_big);
  g_test_add_func ("/html-tokenizer/same-links-as-libxml2", test_same_links_as_libxml2);

  return g_test_run ();
}
