/* ad-url.c: URL normalisation and resolution for the crawler
 *
 * The crawler deduplicates URLs by their normalised form, so two spellings
 * of one page are fetched once. Normalisation here is a pure function of
 * its input (no I/O, no global state), which keeps it easy to test and to
 * fuzz, and lets the link extractor call it on pool threads.
 *
 * What changes: scheme and host to lower case, the scheme's default port
 * dropped, dot segments removed, an empty path becomes "/", the fragment
 * dropped, escapes of unreserved characters decoded (GLib's scheme
 * normalisation). Every other escape is kept as it is (G_URI_FLAGS_ENCODED:
 * "%2F" in a path is not "/"). Only http and https are crawlable; anything
 * else (mailto:, javascript:, data:, tel:, ftp: …) is refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ad-url.h"

#define PARSE_FLAGS (G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE | G_URI_FLAGS_PARSE_RELAXED)

G_DEFINE_QUARK (ad-url-error-quark, ad_url_error)

/**
 * ad_url_escape_stray_percents:
 *
 * A '%' that does not start an escape ("%zz", "%%33") is escaped as
 * "%25" first. Otherwise GLib's decoding of unreserved escapes is not
 * idempotent: "%%33" would become "%3" and, normalised again, "3" (found
 * by fuzz-url). Browsers send such a '%' as "%25" too.
 *
 * Returns: (transfer full): @text with every stray '%' as "%25"
 */
char *
ad_url_escape_stray_percents (const char *text)
{
  GString *out;

  if (strchr (text, '%') == NULL)
    return g_strdup (text);

  out = g_string_sized_new (strlen (text) + 8);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' && !(g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])))
        g_string_append (out, "%25");
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* A DNS name or IPv4 address (letters, digits, '-', '.', '_'), or an IPv6
 * literal (hex digits, ':' and '.'; GUri gives it without brackets).
 * The relaxed parser accepts far more ("%0", ":x"), which would not
 * survive a second normalisation (found by fuzzing). */
static gboolean
is_valid_host (const char *host)
{
  /* No zone identifier ("[fe80::1%25eth0]", RFC 6874): it names a link of
   * this machine, browsers reject it (WHATWG URL), and GUri gives its '%'
   * back unescaped, so "[::1%%33]" would not survive a second
   * normalisation (found by fuzz-url in CI). */
  if (strchr (host, '%') != NULL)
    return FALSE;

  /* A colon only belongs in an IPv6 literal, and then it must be a real
   * one: "d:" or "..:..:.." (a %3A decoded from a host) is no host. */
  if (strchr (host, ':') != NULL)
    return g_hostname_is_ip_address (host);

  for (const char *p = host; *p != '\0'; p++)
    {
      if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_'))
        return FALSE;
    }

  return host[0] != '\0';
}

static int
default_port (const char *scheme)
{
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    return 80;
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return 443;
  return -1;
}

/**
 * ad_url_normalize_uri:
 * @uri: a parsed absolute URI
 *
 * Returns: (transfer full) (nullable): the normalised form of @uri, or %NULL
 *   with @error set when it is not an http or https URL with a host
 */
char *
ad_url_normalize_uri (GUri    *uri,
                      GError **error)
{
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GUri) normal = NULL;
  g_autofree char *slashed_path = NULL;
  const char *path;
  int port;

  g_return_val_if_fail (uri != NULL, NULL);

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  if (!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https"))
    {
      g_set_error (error, AD_URL_ERROR, AD_URL_ERROR_UNSUPPORTED_SCHEME,
                   _("Unsupported URL scheme “%s” (only http and https)"), scheme);
      return NULL;
    }

  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error_literal (error, AD_URL_ERROR, AD_URL_ERROR_INVALID, _("The URL has no host"));
      return NULL;
    }
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (!is_valid_host (host))
    {
      g_set_error_literal (error, AD_URL_ERROR, AD_URL_ERROR_INVALID,
                           _("The URL’s host name is not valid"));
      return NULL;
    }

  port = g_uri_get_port (uri);
  if (port == default_port (scheme))
    port = -1;

  /* With a host, the path is empty or absolute; the relaxed parser can
   * hand back a relative one ("http:x"), which g_uri_to_string() refuses. */
  path = g_uri_get_path (uri);
  if (path[0] != '/')
    {
      slashed_path = g_strconcat ("/", path, NULL);
      path = slashed_path;
    }

  normal = g_uri_build (G_URI_FLAGS_ENCODED, scheme, g_uri_get_userinfo (uri), host, port, path,
                        g_uri_get_query (uri), NULL);

  return g_uri_to_string (normal);
}

/**
 * ad_url_normalize:
 * @url: an absolute URL
 *
 * Returns: (transfer full) (nullable): the normalised @url, or %NULL with
 *   @error set (%AD_URL_ERROR) when it is malformed or not http(s)
 */
char *
ad_url_normalize (const char  *url,
                  GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  escaped = ad_url_escape_stray_percents (url);
  uri = g_uri_parse (escaped, PARSE_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, AD_URL_ERROR, AD_URL_ERROR_INVALID,
                   _("“%s” is not a valid URL: %s"), url, local_error->message);
      return NULL;
    }

  return ad_url_normalize_uri (uri, error);
}

/**
 * ad_url_resolve:
 * @base: the absolute URI @reference is relative to
 * @reference: a link target as written in a document (surrounding white
 *   space is ignored, as browsers do)
 *
 * Returns: (transfer full) (nullable): the normalised absolute URL, or %NULL
 *   when @reference is malformed or does not name an http(s) resource
 */
char *
ad_url_resolve (GUri       *base,
                const char *reference)
{
  g_autofree char *stripped = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (reference != NULL, NULL);

  stripped = g_strstrip (ad_url_escape_stray_percents (reference));
  /* A reference that is only a fragment names the document itself. */
  if (stripped[0] == '#')
    return NULL;

  uri = g_uri_parse_relative (base, stripped, PARSE_FLAGS, NULL);
  if (uri == NULL)
    return NULL;

  return ad_url_normalize_uri (uri, NULL);
}

/* Characters a link can have that GUri would neither escape nor decode
 * (no '%', no white space, nothing outside ASCII), and among them those
 * plain_length() looks at ('.', ':', '?', and '#', which ends what it
 * reads): a table, as each byte of some 300 links a page goes through it. */
enum
{
  CHAR_NOT_PLAIN,
  CHAR_PLAIN,
  CHAR_SPECIAL,
};

static guint8 plain_chars[256];

static void
init_plain_chars (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (guint c = 1; c < 128; c++)
        {
          if (strchr (".:?#", (int) c) != NULL)
            plain_chars[c] = CHAR_SPECIAL;
          else if (g_ascii_isalnum (c) || strchr ("-_~/!$&'()*+,;=@", (int) c) != NULL)
            plain_chars[c] = CHAR_PLAIN;
        }
      g_once_init_leave (&initialized, 1);
    }
}

#define HREF_AT(i) ((gsize) (i) < href_len ? href[(i)] : '\0')

/* The length of @href up to its fragment, if its path and query are made
 * of plain characters and its path has no "." or ".." segment; in a
 * relative reference, a colon could start a scheme and is not plain
 * either. -1 otherwise. */
static gssize
plain_length (const char *href,
              gsize       href_len,
              gboolean    relative)
{
  gsize i;

  for (i = 0; i < href_len; i++)
    {
      char c;

      /* Most bytes: letters, digits, '/'. */
      while (i < href_len && plain_chars[(guchar) href[i]] == CHAR_PLAIN)
        i++;
      if (i == href_len)
        break;
      c = href[i];
      if (plain_chars[(guchar) c] == CHAR_NOT_PLAIN || (c == ':' && relative))
        return -1;                      /* ':' may be a scheme's ("mailto:") */
      if (c == '#')
        break;
      if (c == '?')
        {
          /* Dot segments matter in the path only. */
          for (; i < href_len && href[i] != '#'; i++)
            if (plain_chars[(guchar) href[i]] == CHAR_NOT_PLAIN)
              return -1;
          break;
        }
      if (c == '.' && (i == 0 || href[i - 1] == '/'))
        {
          char next = HREF_AT (i + 1);

          if (next == '.')
            next = HREF_AT (i + 2);
          if (next == '\0' || next == '/' || next == '?' || next == '#')
            return -1;                  /* "." or ".." segment */
        }
    }
  return i;
}

/* An absolute http(s) URL that is normalised already, but for the
 * scheme's default port and an empty path: "http://" or "https://" in
 * lower case, a host of lower-case letters, digits, '-' and '.', a port
 * without leading zeros, then a plain path and query. Appends it
 * normalised to @out; FALSE (and @out as it was) for anything else. */
static gboolean
resolve_absolute_append (GString    *out,
                         const char *href,
                         gsize       href_len)
{
  gsize host_start;
  gsize host_end;
  gsize i;
  guint port = 0;
  guint default_port;
  gssize rest_len;

  if (href_len >= 7 && memcmp (href, "http://", 7) == 0)
    {
      host_start = 7;
      default_port = 80;
    }
  else if (href_len >= 8 && memcmp (href, "https://", 8) == 0)
    {
      host_start = 8;
      default_port = 443;
    }
  else
    return FALSE;

  for (i = host_start; i < href_len; i++)
    {
      char c = href[i];

      if (!((c >= 'a' && c <= 'z') || g_ascii_isdigit (c) || c == '-' || c == '.'))
        break;
    }
  if (i == host_start)
    return FALSE;
  host_end = i;

  if (i < href_len && href[i] == ':')
    {
      gsize digits = ++i;

      while (i < href_len && g_ascii_isdigit (href[i]))
        i++;
      /* No port, a leading zero or too many digits: left to GUri. */
      if (i == digits || href[digits] == '0' || i - digits > 5)
        return FALSE;
      for (gsize j = digits; j < i; j++)
        port = port * 10 + (href[j] - '0');
      if (port > 65535)
        return FALSE;
    }

  /* The rest: a path, a query or a fragment, or nothing. */
  if (i < href_len && href[i] != '/' && href[i] != '?' && href[i] != '#')
    return FALSE;
  rest_len = plain_length (href + i, href_len - i, FALSE);
  if (rest_len < 0)
    return FALSE;

  g_string_append_len (out, href, host_end);
  if (port != 0 && port != default_port)
    g_string_append_len (out, href + host_end, i - host_end);
  if (rest_len == 0 || href[i] != '/')
    g_string_append_c (out, '/');
  g_string_append_len (out, href + i, rest_len);
  return TRUE;
}

/**
 * ad_url_resolve_simple_append:
 * @out: where the URL goes
 * @href: (array length=href_len): a link target as written, without NUL
 *
 * ad_url_resolve_simple() on a span of bytes (a raw attribute value), the
 * URL appended to @out: nothing is allocated for a link but its bytes.
 *
 * Returns: whether @href is one of the simple forms (else @out is as it was)
 */
gboolean
ad_url_resolve_simple_append (GString    *out,
                              const char *origin,
                              gsize       origin_len,
                              const char *directory,
                              gsize       directory_len,
                              const char *href,
                              gsize       href_len)
{
  const char *prefix;
  gsize prefix_len;
  gssize len;

  init_plain_chars ();
  if (HREF_AT (0) == 'h' && resolve_absolute_append (out, href, href_len))
    return TRUE;
  if (HREF_AT (0) == '/')
    {
      if (HREF_AT (1) == '/')
        return FALSE;                   /* network-path reference */
      prefix = origin;
      prefix_len = origin_len;
    }
  else
    {
      prefix = directory;
      prefix_len = directory_len;
      /* Leading "./" and "../" segments ("../api/x.html"): each "../"
       * drops the directory's last segment, never the root's "/". */
      for (;;)
        {
          if (HREF_AT (0) == '.' && HREF_AT (1) == '/')
            {
              href += 2;
              href_len -= 2;
            }
          else if (HREF_AT (0) == '.' && HREF_AT (1) == '.' && HREF_AT (2) == '/')
            {
              href += 3;
              href_len -= 3;
              if (prefix_len > origin_len + 1)
                {
                  prefix_len--;
                  while (directory[prefix_len - 1] != '/')
                    prefix_len--;
                }
            }
          else
            break;
        }
      if (!(g_ascii_isalnum (HREF_AT (0)) || HREF_AT (0) == '_' || HREF_AT (0) == '-' ||
            HREF_AT (0) == '~'))
        return FALSE;
    }

  len = plain_length (href, href_len, prefix == directory);
  if (len < 0)
    return FALSE;

  {
    gsize at = out->len;

    g_string_set_size (out, at + prefix_len + len);
    memcpy (out->str + at, prefix, prefix_len);
    memcpy (out->str + at + prefix_len, href, len);
  }
  return TRUE;
}

#undef HREF_AT

/**
 * ad_url_resolve_simple:
 * @origin: the base's origin, from ad_url_get_prefixes()
 * @directory: the base's directory, from ad_url_get_prefixes()
 * @href: a link target as written
 *
 * Resolves the most common links by concatenation: an absolute path
 * ("/a/b.html") or a plain relative one ("b.html", "../b.html", after
 * leading "./" and "../" segments), made of characters
 * that normalisation leaves alone, with no dot segment; or an absolute
 * http(s) URL written in normal form but perhaps for its port and an
 * empty path ("https://example.org:443?q" is "https://example.org/?q"). Anything else
 * returns %NULL and goes through ad_url_resolve(). This is an optimisation
 * only: the result is what ad_url_resolve() returns (test-url and
 * fuzz-url-resolve check that both agree).
 *
 * Returns: (transfer full) (nullable): the normalised URL, or %NULL when
 *   @href is not one of the simple forms
 */
char *
ad_url_resolve_simple (const char *origin,
                       const char *directory,
                       const char *href)
{
  GString *out = g_string_new (NULL);

  if (!ad_url_resolve_simple_append (out, origin, strlen (origin), directory, strlen (directory),
                                     href, strlen (href)))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/**
 * ad_url_get_prefixes:
 * @base: the absolute URI links are resolved against
 * @origin: (out): everything before the normalised base's path (user
 *   info included)
 * @directory: (out): the normalised base up to the last '/' of its path
 *
 * Returns: %FALSE (and %NULL prefixes) when @base is not a crawlable URL
 */
gboolean
ad_url_get_prefixes (GUri  *base,
                     char **origin,
                     char **directory)
{
  g_autofree char *normal = ad_url_normalize_uri (base, NULL);
  const char *query;
  const char *slash;

  *origin = NULL;
  *directory = NULL;
  if (normal == NULL)
    return FALSE;

  query = strchr (normal, '?');
  slash = g_strrstr_len (normal, query ? query - normal : -1, "/");
  *origin = g_strndup (normal, strchr (strstr (normal, "://") + 3, '/') - normal);
  *directory = g_strndup (normal, slash - normal + 1);
  return TRUE;
}

/**
 * ad_url_get_origin:
 * @url: a normalised URL
 *
 * Returns: (transfer full) (nullable): "scheme://host[:port]", the key the
 *   crawler's per-host limits, delays and robots.txt use
 */
char *
ad_url_get_origin (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, PARSE_FLAGS, NULL);
  g_autofree char *bracketed = NULL;
  const char *scheme;
  const char *host;
  int port;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  port = g_uri_get_port (uri);
  /* An IPv6 literal keeps its brackets. */
  if (strchr (host, ':') != NULL)
    {
      bracketed = g_strdup_printf ("[%s]", host);
      host = bracketed;
    }

  if (port < 0 || port == default_port (scheme))
    return g_strdup_printf ("%s://%s", scheme, host);

  return g_strdup_printf ("%s://%s:%d", scheme, host, port);
}
