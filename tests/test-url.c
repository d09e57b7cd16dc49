/* test-url.c: URL normalisation and resolution
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-core.h"

static void
test_normalize (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "HTTP://Example.COM/", "http://example.com/" },
    { "http://example.com", "http://example.com/" },
    { "http://example.com:80/a", "http://example.com/a" },
    { "https://example.com:443/a", "https://example.com/a" },
    { "http://example.com:443/a", "http://example.com:443/a" },
    { "https://example.com:8443/", "https://example.com:8443/" },
    { "http://example.com/a/./b/../c", "http://example.com/a/c" },
    { "http://example.com/../../x", "http://example.com/x" },
    { "http://example.com/a/b/..", "http://example.com/a/" },
    { "http://example.com/a#frag", "http://example.com/a" },
    { "http://example.com/?q=1#f", "http://example.com/?q=1" },
    { "http://example.com/a%2Fb", "http://example.com/a%2Fb" },
    { "http://example.com/%7euser", "http://example.com/~user" },
    { "http://example.com/a b", "http://example.com/a%20b" },
    { "http://User@Example.com/", "http://User@example.com/" },
    { "http://[::1]:80/x", "http://[::1]/x" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080/" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = ad_url_normalize (cases[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_normalize_errors (void)
{
  static const struct { const char *in; int code; } cases[] = {
    { "example.com/a", AD_URL_ERROR_INVALID },
    { "", AD_URL_ERROR_INVALID },
    { "http://", AD_URL_ERROR_INVALID },
    { "http://exa mple.com:99999/", AD_URL_ERROR_INVALID },
    { "mailto:someone@example.com", AD_URL_ERROR_UNSUPPORTED_SCHEME },
    { "ftp://example.com/", AD_URL_ERROR_UNSUPPORTED_SCHEME },
    { "javascript:alert(1)", AD_URL_ERROR_UNSUPPORTED_SCHEME },
    /* IPv6 zone identifiers are rejected, as browsers do */
    { "http://[fe80::1%25eth0]/", AD_URL_ERROR_INVALID },
    { "http://[::1%%33]/", AD_URL_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = ad_url_normalize (cases[i].in, &error);

      g_assert_null (out);
      g_assert_error (error, AD_URL_ERROR, cases[i].code);
    }
}

static void
test_resolve (void)
{
  g_autoptr(GUri) base = g_uri_parse ("http://Example.com/dir/page.html?x=1",
                                      G_URI_FLAGS_ENCODED, NULL);
  static const struct { const char *ref; const char *out; } cases[] = {
    { "other.html", "http://example.com/dir/other.html" },
    { "../up.html", "http://example.com/up.html" },
    { "/abs", "http://example.com/abs" },
    { "//cdn.example.org/x", "http://cdn.example.org/x" },
    { "?y=2", "http://example.com/dir/page.html?y=2" },
    { "  spaced.html \n", "http://example.com/dir/spaced.html" },
    { "sub/./a/../b#part", "http://example.com/dir/sub/b" },
    { "https://Other.example:443/", "https://other.example/" },
    { "#top", NULL },
    { "mailto:a@b.c", NULL },
    { "javascript:void(0)", NULL },
    { "data:text/html,hi", NULL },
    { "tel:+123", NULL },
    /* A colon decoded from a host is no IPv6 literal (found by fuzz-url) */
    { "//a.b%3ac.d%3ae/", NULL },
    { "//..%3a..%3a../", NULL },
    { "//[::1]:8080/x", "http://[::1]:8080/x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = ad_url_resolve (base, cases[i].ref);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_origin (void)
{
  g_autofree char *a = ad_url_get_origin ("http://example.com/a/b");
  g_autofree char *b = ad_url_get_origin ("https://example.com:8443/");
  g_autofree char *c = ad_url_get_origin ("http://[::1]:8080/");
  g_autofree char *d = ad_url_get_origin ("not a url");

  g_assert_cmpstr (a, ==, "http://example.com");
  g_assert_cmpstr (b, ==, "https://example.com:8443");
  g_assert_cmpstr (c, ==, "http://[::1]:8080");
  g_assert_null (d);
}

/* The concatenation fast path: the prefixes of a base, the simple forms
 * it resolves (as GUri would), and the forms it leaves to GUri. */
static void
test_resolve_simple (void)
{
  static const struct { const char *href; const char *out; } cases[] = {
    { "/a/b.html", "http://example.com/a/b.html" },
    { "c.html", "http://example.com/dir/c.html" },
    { "c.html?x=/../y#frag", "http://example.com/dir/c.html?x=/../y" },
    { "~u/_x-y", "http://example.com/dir/~u/_x-y" },
    { "../c.html", "http://example.com/c.html" },
    { "./c.html", "http://example.com/dir/c.html" },
    { "../../.././c.html", "http://example.com/c.html" },
    { "..", NULL },                     /* dot segment not followed by '/' */
    { "../", NULL },                    /* nothing after the dot segments */
    { "a/../c.html", NULL },            /* dot segment inside */
    { "./.x", NULL },                   /* a name starting with a dot: left to GUri */
    { "./..", NULL },
    { "/a/..", NULL },
    { "//other/x", NULL },              /* network path */
    { "mailto:x@y", NULL },             /* scheme */
    { "/p%41", NULL },                  /* escape */
    { "/a b", NULL },                   /* white space */
    { "#frag", NULL },
    { "", NULL },
    /* Absolute URLs in normal form, but for a default port or an empty path. */
    { "https://other.example.org/ref?id=1&lang=en#x",
      "https://other.example.org/ref?id=1&lang=en" },
    { "http://example.com:80/a", "http://example.com/a" },
    { "https://example.com:443?q", "https://example.com/?q" },
    { "http://example.com:8080", "http://example.com:8080/" },
    { "https://a-b.example:80/x", "https://a-b.example:80/x" },
    { "http://example.com:080/", NULL },          /* leading zero */
    { "http://example.com:65536/", NULL },        /* no port */
    { "http://example.com:/", NULL },
    { "http://Example.com/", NULL },              /* upper case */
    { "HTTP://example.com/", NULL },
    { "http://u@example.com/", NULL },            /* user info */
    { "http://example.com/./a", NULL },           /* dot segment */
    { "http://example.com/a b", NULL },
    { "http://example.com\\a", NULL },
    { "http://", NULL },                          /* no host */
    { "http:///a", NULL },
    { "http://[::1]/", NULL },
    { "ftp://example.com/", NULL },
  };
  g_autoptr(GUri) base = g_uri_parse ("HTTP://Example.com:80/dir/page.html?q=/x/y",
                                      G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GUri) mail = g_uri_parse ("mailto:x@example.com", G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *origin = NULL;
  g_autofree char *directory = NULL;
  char *none_origin = (char *) "unset";
  char *none_directory = (char *) "unset";

  g_assert_true (ad_url_get_prefixes (base, &origin, &directory));
  g_assert_cmpstr (origin, ==, "http://example.com");
  g_assert_cmpstr (directory, ==, "http://example.com/dir/");
  g_assert_false (ad_url_get_prefixes (mail, &none_origin, &none_directory));
  g_assert_null (none_origin);
  g_assert_null (none_directory);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *fast = ad_url_resolve_simple (origin, directory, cases[i].href);

      g_test_message ("%s", cases[i].href);
      g_assert_cmpstr (fast, ==, cases[i].out);
      if (fast != NULL)
        {
          g_autofree char *slow = ad_url_resolve (base, cases[i].href);

          g_assert_cmpstr (fast, ==, slow);
        }
    }
}

/* The span form reads only its bytes: each case is followed in memory by
 * bytes that would change the answer if read ("x" after "a/." makes a
 * name, not a dot segment), and a failure leaves the string as it was. */
static void
test_resolve_simple_span (void)
{
  static const struct { const char *href; const char *out; } cases[] = {
    { "/a/b.html", "http://example.com/a/b.html" },
    { "c.html", "http://example.com/dir/c.html" },
    { "../c.html", "http://example.com/c.html" },
    { "a/.", NULL },
    { "a/..", NULL },
    { "../2./..", NULL },               /* a ".." that ends the span */
    { ".", NULL },
    { "/", "http://example.com/" },
    { "", NULL },
    { "http://h.org", "http://h.org/" },
    { "http://h.org:80", "http://h.org/" },
    { "http://h.org:8", "http://h.org:8/" },
  };
  const char *origin = "http://example.com";
  const char *directory = "http://example.com/dir/";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *padded = g_strconcat (cases[i].href, "x%20/../y", NULL);
      g_autoptr(GString) out = g_string_new ("before|");
      gboolean ok;

      g_test_message ("%s", cases[i].href);
      ok = ad_url_resolve_simple_append (out, origin, strlen (origin), directory,
                                         strlen (directory), padded, strlen (cases[i].href));
      g_assert_cmpint (ok, ==, cases[i].out != NULL);
      if (ok)
        {
          g_autofree char *expected = g_strconcat ("before|", cases[i].out, NULL);

          g_assert_cmpstr (out->str, ==, expected);
        }
      else
        g_assert_cmpstr (out->str, ==, "before|");
    }
}

int
main (int   argc,
      char *argv[])
{
  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/url/normalize", test_normalize);
  g_test_add_func ("/url/normalize-errors", test_normalize_errors);
  g_test_add_func ("/url/resolve", test_resolve);
  g_test_add_func ("/url/origin", test_origin);
  g_test_add_func ("/url/resolve-simple", test_resolve_simple);
  g_test_add_func ("/url/resolve-simple-span", test_resolve_simple_span);

  return g_test_run ();
}
