/* ad-about.c: the About window, release notes included
 *
 * The release notes come from the metainfo file itself, compiled into the
 * GResource (libadwaita 1.2 has no adw_about_window_new_from_appdata(), it
 * came in 1.4): one source for the software centre and the About window,
 * nothing to keep in sync by hand, and no dependency on an installed copy
 * (the tests and `meson devenv` run uninstalled). The newest release is
 * the first <release> in <releases>, as AppStream orders them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-about.h"

typedef struct
{
  gboolean  in_release;        /* inside the first <release> */
  gboolean  release_done;      /* its end was seen */
  guint     description_depth; /* > 0: inside its <description> */
  char     *version;
  GString  *notes;
} NotesParser;

static void
notes_start (GMarkupParseContext  *context,
             const char           *element,
             const char          **attribute_names,
             const char          **attribute_values,
             gpointer              user_data,
             GError              **error)
{
  NotesParser *parser = user_data;

  if (parser->release_done)
    return;

  if (!parser->in_release)
    {
      if (g_str_equal (element, "release"))
        {
          parser->in_release = TRUE;
          for (guint i = 0; attribute_names[i] != NULL; i++)
            if (g_str_equal (attribute_names[i], "version"))
              parser->version = g_strdup (attribute_values[i]);
        }
      return;
    }

  if (parser->description_depth > 0)
    {
      /* The description's own markup, without attributes (xml:lang and
       * the like are not part of what the About window shows). */
      g_string_append_printf (parser->notes, "<%s>", element);
      parser->description_depth++;
    }
  else if (g_str_equal (element, "description"))
    {
      parser->description_depth = 1;
    }
}

static void
notes_end (GMarkupParseContext  *context,
           const char           *element,
           gpointer              user_data,
           GError              **error)
{
  NotesParser *parser = user_data;

  if (!parser->in_release || parser->release_done)
    return;

  if (parser->description_depth > 1)
    g_string_append_printf (parser->notes, "</%s>", element);
  if (parser->description_depth > 0)
    parser->description_depth--;
  else if (g_str_equal (element, "release"))
    parser->release_done = TRUE;
}

static void
notes_text (GMarkupParseContext  *context,
            const char           *text,
            gsize                 text_len,
            gpointer              user_data,
            GError              **error)
{
  NotesParser *parser = user_data;
  g_autofree char *escaped = NULL;

  if (parser->description_depth <= 1 || parser->release_done)
    return;

  escaped = g_markup_escape_text (text, text_len);
  g_string_append (parser->notes, escaped);
}

char *
ad_about_parse_release_notes (const char  *xml,
                              char       **version,
                              GError     **error)
{
  static const GMarkupParser markup_parser = { notes_start, notes_end, notes_text, NULL, NULL };
  NotesParser parser = { FALSE, FALSE, 0, NULL, g_string_new (NULL) };
  g_autoptr(GMarkupParseContext) context = NULL;
  gboolean ok;

  g_return_val_if_fail (xml != NULL, NULL);

  context = g_markup_parse_context_new (&markup_parser, G_MARKUP_IGNORE_QUALIFIED, &parser, NULL);
  ok = g_markup_parse_context_parse (context, xml, -1, error) &&
       g_markup_parse_context_end_parse (context, error);
  if (ok && !parser.release_done)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                           "No <release> in the metainfo");
      ok = FALSE;
    }
  if (!ok)
    {
      g_free (parser.version);
      g_string_free (parser.notes, TRUE);
      return NULL;
    }

  if (version != NULL)
    *version = g_steal_pointer (&parser.version);
  g_free (parser.version);

  /* As an AppStream reader does: the source's line breaks and indentation
   * become single spaces, and none is kept next to a block element. */
  {
    g_autofree char *notes = g_string_free (parser.notes, FALSE);
    g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
    g_autoptr(GRegex) blocks = g_regex_new ("\\s*(</?(?:p|ul|ol|li)>)\\s*", 0, 0, NULL);
    g_autofree char *collapsed = g_regex_replace_literal (spaces, notes, -1, 0, " ", 0, NULL);

    return g_regex_replace (blocks, collapsed, -1, 0, "\\1", 0, NULL);
  }
}

GtkWindow *
ad_about_window_new (GtkWindow *parent)
{
  static const char *developers[] = { "The Async Demo developers", NULL };
  g_autoptr(GBytes) metainfo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *notes_version = NULL;
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_set_modal (GTK_WINDOW (about), parent != NULL);
  adw_about_window_set_application_name (about, _("Async Demo"));
  adw_about_window_set_application_icon (about, APP_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_developer_name (about, "The Async Demo developers");
  adw_about_window_set_developers (about, developers);
  adw_about_window_set_comments (about, _("See asynchronous and multi-core programming at work"));
  adw_about_window_set_website (about, PACKAGE_URL);
  adw_about_window_set_issue_url (about, PACKAGE_BUGREPORT);
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_copyright (about, "© 2026 The Async Demo developers");
  /* Translators: put your names here, one per line */
  adw_about_window_set_translator_credits (about, _("translator-credits"));

  metainfo = g_resources_lookup_data (RESOURCE_BASE "/metainfo.xml", 0, &error);
  if (metainfo != NULL)
    notes = ad_about_parse_release_notes (g_bytes_get_data (metainfo, NULL), &notes_version,
                                          &error);
  if (notes != NULL)
    {
      adw_about_window_set_release_notes (about, notes);
      adw_about_window_set_release_notes_version (about, notes_version);
    }
  else
    {
      g_warning ("No release notes for the About window: %s", error->message);
    }

  return GTK_WINDOW (about);
}
