/* ad-source-view.c: a demo's own C source, read-only, with highlighting
 *
 * As gtk4-demo does, the app shows the code that it runs: each demo's
 * source file is compiled into the GResource and shown here, from its top
 * (its header comment says what the demo teaches). A small
 * tokenizer colours comments, strings, preprocessor lines, keywords, GLib
 * types and calls; it is not a parser, and needs not be, for our own
 * well-formed files. GtkSourceView would do more, but it is one more
 * library for a read-only pane.
 *
 * The palette follows the dark style, so the text stays readable in both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ad-source-view.h"

struct _AdSourceView
{
  GtkWidget      parent_instance;

  char          *resource_path;

  GtkTextView   *text_view;
  GtkTextBuffer *buffer;
};

G_DEFINE_FINAL_TYPE (AdSourceView, ad_source_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RESOURCE_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  TOKEN_COMMENT,
  TOKEN_STRING,
  TOKEN_PREPROCESSOR,
  TOKEN_KEYWORD,
  TOKEN_TYPE,
  TOKEN_NUMBER,
  TOKEN_CALL,
  N_TOKENS
} TokenKind;

static const char * const tag_names[N_TOKENS] = {
  "comment", "string", "preprocessor", "keyword", "type", "number", "call",
};

/* Light and dark palettes, from the GNOME palette. */
static const char * const light_colors[N_TOKENS] = {
  "#77767b", "#26a269", "#c64600", "#9141ac", "#1a5fb4", "#e66100", "#3d3846",
};
static const char * const dark_colors[N_TOKENS] = {
  "#9a9996", "#8ff0a4", "#ffa348", "#dc8add", "#99c1f1", "#f9f06b", "#deddda",
};

static const char * const keywords[] = {
  "auto", "break", "case", "const", "continue", "default", "do", "else", "enum", "extern",
  "for", "goto", "if", "inline", "return", "sizeof", "static", "struct", "switch", "typedef",
  "union", "volatile", "while", "NULL", "TRUE", "FALSE",
};

static const char * const c_types[] = {
  "char", "double", "float", "int", "long", "short", "signed", "unsigned", "void",
};

static gboolean
word_in (const char         *word,
         gsize               len,
         const char * const *list,
         gsize               n)
{
  for (gsize i = 0; i < n; i++)
    {
      if (strlen (list[i]) == len && strncmp (list[i], word, len) == 0)
        return TRUE;
    }

  return FALSE;
}

/* GLib and project types: gint, gboolean, GTask, GError, AdLogModel... */
static gboolean
is_type_name (const char *word,
              gsize       len)
{
  if (word_in (word, len, c_types, G_N_ELEMENTS (c_types)))
    return TRUE;
  if (len > 1 && word[0] == 'g' && g_ascii_islower (word[1]) &&
      (word_in (word + 1, len - 1, c_types, G_N_ELEMENTS (c_types)) ||
       (len == 8 && strncmp (word, "gboolean", 8) == 0) ||
       (len == 8 && strncmp (word, "gpointer", 8) == 0) ||
       (len >= 5 && strncmp (word, "gsize", 5) == 0) ||
       (len >= 5 && (strncmp (word, "gint", 4) == 0 || strncmp (word, "guint", 5) == 0))))
    return TRUE;
  /* CamelCase with a G or Ad prefix */
  if (len > 2 && word[0] == 'G' && g_ascii_isupper (word[1]) && g_ascii_islower (word[2]))
    return TRUE;
  if (len > 3 && word[0] == 'A' && word[1] == 'd' && g_ascii_isupper (word[2]))
    return TRUE;

  return FALSE;
}

static void
apply (GtkTextBuffer *buffer,
       TokenKind      kind,
       int            start,
       int            end)
{
  GtkTextIter s, e;

  gtk_text_buffer_get_iter_at_offset (buffer, &s, start);
  gtk_text_buffer_get_iter_at_offset (buffer, &e, end);
  gtk_text_buffer_apply_tag_by_name (buffer, tag_names[kind], &s, &e);
}

/* Offsets are in characters; the sources are ASCII apart from comments and
 * strings, which are skipped by bytes and counted by characters. */
static void
highlight (GtkTextBuffer *buffer,
           const char    *text)
{
  const char *p = text;
  int offset = 0;
  gboolean line_start = TRUE;

#define ADVANCE() G_STMT_START { p = g_utf8_next_char (p); offset++; } G_STMT_END

  while (*p != '\0')
    {
      int start = offset;

      if (*p == '\n')
        {
          line_start = TRUE;
          ADVANCE ();
          continue;
        }
      if (*p == ' ' || *p == '\t')
        {
          ADVANCE ();
          continue;
        }

      if (line_start && *p == '#')
        {
          while (*p != '\0' && *p != '\n')
            ADVANCE ();
          apply (buffer, TOKEN_PREPROCESSOR, start, offset);
          continue;
        }
      line_start = FALSE;

      if (p[0] == '/' && p[1] == '*')
        {
          ADVANCE ();
          ADVANCE ();
          while (*p != '\0' && !(p[0] == '*' && p[1] == '/'))
            ADVANCE ();
          if (*p != '\0')
            {
              ADVANCE ();
              ADVANCE ();
            }
          apply (buffer, TOKEN_COMMENT, start, offset);
        }
      else if (p[0] == '/' && p[1] == '/')
        {
          while (*p != '\0' && *p != '\n')
            ADVANCE ();
          apply (buffer, TOKEN_COMMENT, start, offset);
        }
      else if (*p == '"' || *p == '\'')
        {
          char quote = *p;

          ADVANCE ();
          while (*p != '\0' && *p != quote && *p != '\n')
            {
              if (*p == '\\' && p[1] != '\0')
                ADVANCE ();
              ADVANCE ();
            }
          if (*p == quote)
            ADVANCE ();
          apply (buffer, TOKEN_STRING, start, offset);
        }
      else if (g_ascii_isdigit (*p))
        {
          while (g_ascii_isalnum (*p) || *p == '.' || *p == '_')
            ADVANCE ();
          apply (buffer, TOKEN_NUMBER, start, offset);
        }
      else if (g_ascii_isalpha (*p) || *p == '_')
        {
          const char *word = p;
          const char *q;
          gsize len;

          while (g_ascii_isalnum (*p) || *p == '_')
            ADVANCE ();
          len = p - word;

          for (q = p; *q == ' '; q++)
            ;
          if (word_in (word, len, keywords, G_N_ELEMENTS (keywords)))
            apply (buffer, TOKEN_KEYWORD, start, offset);
          else if (is_type_name (word, len))
            apply (buffer, TOKEN_TYPE, start, offset);
          else if (*q == '(')
            apply (buffer, TOKEN_CALL, start, offset);
        }
      else
        {
          ADVANCE ();
        }
    }

#undef ADVANCE
}

static void
update_palette (AdSourceView *self)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (self->buffer);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  for (guint i = 0; i < N_TOKENS; i++)
    {
      GtkTextTag *tag = gtk_text_tag_table_lookup (table, tag_names[i]);

      g_object_set (tag, "foreground", dark ? dark_colors[i] : light_colors[i], NULL);
    }
}

static void
ad_source_view_load (AdSourceView *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start;
  const char *data;
  gsize len;

  if (self->resource_path == NULL)
    {
      gtk_text_buffer_set_text (self->buffer, "", 0);
      return;
    }

  bytes = g_resources_lookup_data (self->resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The source is not available: %s"),
                                                  error->message);

      gtk_text_buffer_set_text (self->buffer, message, -1);
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  if (!g_utf8_validate_len (data, len, NULL))
    {
      gtk_text_buffer_set_text (self->buffer, _("The source is not valid UTF-8."), -1);
      return;
    }

  text = g_strndup (data, len);
  gtk_text_buffer_set_text (self->buffer, text, -1);
  highlight (self->buffer, text);

  /* A file is read from its top, with its header comment. */
  gtk_text_buffer_get_start_iter (self->buffer, &start);
  gtk_text_buffer_place_cursor (self->buffer, &start);
  gtk_text_view_scroll_to_mark (self->text_view, gtk_text_buffer_get_insert (self->buffer), 0.0,
                                TRUE, 0.0, 0.0);
}

static void
ad_source_view_dispose (GObject *object)
{
  AdSourceView *self = (AdSourceView *) object;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ad_source_view_parent_class)->dispose (object);
}

static void
ad_source_view_finalize (GObject *object)
{
  AdSourceView *self = (AdSourceView *) object;

  g_free (self->resource_path);

  G_OBJECT_CLASS (ad_source_view_parent_class)->finalize (object);
}

static void
ad_source_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AdSourceView *self = AD_SOURCE_VIEW (object);

  switch (prop_id)
    {
    case PROP_RESOURCE_PATH:
      g_value_set_string (value, self->resource_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_source_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AdSourceView *self = AD_SOURCE_VIEW (object);

  switch (prop_id)
    {
    case PROP_RESOURCE_PATH:
      ad_source_view_set_resource_path (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_source_view_class_init (AdSourceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_source_view_dispose;
  object_class->finalize = ad_source_view_finalize;
  object_class->get_property = ad_source_view_get_property;
  object_class->set_property = ad_source_view_set_property;

  properties[PROP_RESOURCE_PATH] =
    g_param_spec_string ("resource-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "adsourceview");
}

static void
ad_source_view_init (AdSourceView *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  self->buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_view_set_editable (self->text_view, FALSE);
  gtk_text_view_set_monospace (self->text_view, TRUE);
  gtk_text_view_set_left_margin (self->text_view, 12);
  gtk_text_view_set_right_margin (self->text_view, 12);
  gtk_text_view_set_top_margin (self->text_view, 8);
  gtk_text_view_set_bottom_margin (self->text_view, 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Source code"),
                                  -1);

  for (guint i = 0; i < N_TOKENS; i++)
    gtk_text_buffer_create_tag (self->buffer, tag_names[i], NULL);
  g_object_set (gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (self->buffer), "comment"),
                "style", PANGO_STYLE_ITALIC, NULL);
  update_palette (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_palette), self, G_CONNECT_SWAPPED);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->text_view));
  gtk_widget_set_parent (scroller, GTK_WIDGET (self));
}

/**
 * ad_source_view_set_resource_path:
 * @resource_path: (nullable): a file in the app's GResource, such as
 *   "/org/example/AsyncDemo/sources/ad-hello.c"
 */
void
ad_source_view_set_resource_path (AdSourceView *self,
                                  const char   *resource_path)
{
  g_return_if_fail (AD_IS_SOURCE_VIEW (self));

  if (g_strcmp0 (self->resource_path, resource_path) == 0)
    return;

  g_free (self->resource_path);
  self->resource_path = g_strdup (resource_path);
  ad_source_view_load (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOURCE_PATH]);
}

/**
 * ad_source_view_scroll_to_text:
 * @text: text to find, such as a section's opening comment
 *
 * Scrolls the view so that the first line containing @text is at the top
 * (now, or as soon as the view has a size) and puts the cursor there.
 *
 * Returns: the line number of @text, or -1 when it is not in the source
 */
int
ad_source_view_scroll_to_text (AdSourceView *self,
                               const char   *text)
{
  GtkTextIter start, match_start;
  GtkTextMark *mark;

  g_return_val_if_fail (AD_IS_SOURCE_VIEW (self), -1);
  g_return_val_if_fail (text != NULL, -1);

  gtk_text_buffer_get_start_iter (self->buffer, &start);
  if (!gtk_text_iter_forward_search (&start, text, GTK_TEXT_SEARCH_TEXT_ONLY,
                                     &match_start, NULL, NULL))
    return -1;

  gtk_text_iter_set_line_offset (&match_start, 0);
  gtk_text_buffer_place_cursor (self->buffer, &match_start);
  mark = gtk_text_buffer_get_insert (self->buffer);
  gtk_text_view_scroll_to_mark (self->text_view, mark, 0.0, TRUE, 0.0, 0.0);

  return gtk_text_iter_get_line (&match_start);
}

/**
 * ad_source_view_get_text:
 *
 * Returns: (transfer full): the text shown
 */
char *
ad_source_view_get_text (AdSourceView *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (AD_IS_SOURCE_VIEW (self), NULL);

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}
