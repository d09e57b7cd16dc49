/* ad-html-tokenizer.c: the start tags of an HTML document, and its links
 *
 * Links need only start tags, and libxml2's pre-HTML5 HTML parser is 5x slower (bench-html).
 * test-html-tokenizer checks each state; fuzz-html-diff checks the links against gumbo's parser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <string.h>

#include "ad-html-tokenizer.h"
#include "ad-index-set.h"
#include "ad-html-entities.h"

/* What it follows: the WHATWG tokenizer states, from the data state's scan
 * to the next '<' (memchr) to the script data (double) escaped states, and
 * the small part of tree construction that decides the tokenizer's state:
 * title and textarea are RCDATA, style, xmp, iframe, noembed and noframes
 * RAWTEXT, script is script data, plaintext the rest of the document, in
 * HTML content only. noscript is an ordinary element (scripting disabled,
 * so a crawler sees its links). SVG and MathML content is tracked on a
 * rough stack of open elements (integration points, breakout tags, an
 * HTML ancestor's end tag, the usual implied end tags), because there
 * style or title are ordinary elements and <![CDATA[ opens a CDATA
 * section; in HTML content CDATA is a bogus comment, as the standard says.
 *
 * The stack follows the end tag rules (scope, special elements, the
 * adoption agency's effect on the stack, not its clones).
 * What it leaves out: insertion modes (a tree builder ignores most tags in
 * a select or after a frameset; here they count, as a crawler wants), the
 * list of active formatting elements (a <b> closed early is not reopened,
 * so its end tag cannot end the SVG inside it), quirks mode, the adoption
 * agency's limits (8 and 3 loops).
 *
 * Attribute values are handed over as raw spans of the document, so that
 * a value is decoded only when it matters: ad_html_decode_attribute()
 * converts it from the document's charset, then decodes character
 * references with the attribute-value rules (a legacy name without ';'
 * followed by '=' or an alphanumeric stays as written). */

/* How often (bytes of input) the tokenizer polls its cancellable. */
#define CANCEL_CHECK_BYTES ((gsize) 32 * 1024)

#define REPLACEMENT_CHARACTER "\xef\xbf\xbd"

/* The deepest stack of open elements the tokenizer keeps. */
#define MAX_DEPTH 1024

typedef enum
{
  NS_HTML,
  NS_SVG,
  NS_MATHML,
} Namespace;

/* The elements the tree construction rules name (ElementSlot.id): the
 * tokenizer counts the open ones, so that it looks for an open p, li or
 * table on the stack only when there is one. */
typedef enum
{
  ID_OTHER,
  ID_A,
  ID_DD,
  ID_DT,
  ID_LI,
  ID_OPTION,
  ID_P,
  ID_TABLE,
  ID_TD,
  ID_TEMPLATE,
  ID_TH,
  ID_TR,
  N_IDS,
} ElementId;

typedef struct
{
  gsize      name_offset;        /* in Tokenizer.stack_names, if no static_name */
  const char *static_name;       /* the (interned) name, if the element table has it, or NULL */
  Namespace  ns;
  ElementId  id;                 /* for HTML elements; ID_OTHER for the others */
  guint      flags;              /* ElementFlags, for HTML elements */
  gboolean   html_integration;   /* foreignObject, desc, title, annotation-xml (HTML) */
  gboolean   text_integration;   /* mi, mo, mn, ms, mtext */
} StackEntry;

typedef struct _ElementSlot ElementSlot;

/* A growable byte buffer, simpler (and inlined) for the hot path than GString. */
typedef struct
{
  char  *str;
  gsize  len;
  gsize  size;
} Buffer;

/* An attribute as written: its name is lowered (and a NUL in it replaced)
 * only for the tags that are reported. */
typedef struct
{
  const char *name;
  gsize       name_len;
  const char *value;
  gsize       value_len;
} RawAttribute;

typedef struct _Tokenizer Tokenizer;

/* What the link extraction is called with for a reported start tag: the
 * tag as read, t->name and its attributes as written (find_raw_attribute()),
 * with no list of attributes made for it. */
typedef gboolean (*RawStartTagFunc) (Tokenizer *t,
                                     gpointer   user_data);

struct _Tokenizer
{
  const char         *data;
  const char         *end;
  AdHtmlStartTagFunc  func;          /* the caller's, or */
  RawStartTagFunc     raw_func;      /* the link extraction's */
  gpointer            user_data;
  gboolean            stopped;

  guint               emit_flags;    /* ElementFlags: only these tags are reported; 0: all */

  /* The current tag's name, lower case and NUL-terminated: a known
   * element's interned name, or tag_name's copy. */
  const char         *name;
  gsize               name_len;
  const ElementSlot  *slot;          /* NULL: not in the element table */
  Buffer              tag_name;
  Buffer              names;         /* a reported tag's attribute names, each NUL-terminated */
  /* Plain arrays rather than GArray: a page has thousands of tags. */
  struct { RawAttribute *items; guint len, size; } raw;
  struct { AdHtmlAttribute *items; guint len, size; } attributes;
  struct { StackEntry *items; guint len, size; } stack;   /* the open elements, roughly */
  Buffer              stack_names;
  guint               n_open[N_IDS]; /* the stack's elements of each ElementId */
};

/* Room for @n more items in one of the Tokenizer's arrays. */
#define ARRAY_RESERVE(array, n)                                                     \
  G_STMT_START                                                                       \
  {                                                                                  \
    if ((array).len + (n) > (array).size)                                            \
      {                                                                              \
        (array).size = MAX ((array).size * 2, (array).len + (n));                    \
        (array).items = g_realloc_n ((array).items, (array).size, sizeof *(array).items); \
      }                                                                              \
  }                                                                                  \
  G_STMT_END

static inline gboolean
is_space (char c)
{
  /* '\r' is a line feed once the input stream is preprocessed. */
  return c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r';
}

static inline char
ascii_lower (char c)
{
  return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static inline gboolean
is_alpha (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Tag names are short: a loop beats a call to strcmp().
 *
 * The analyzer follows names into the open elements' name buffer, which
 * grows by copying, and loses track of the bytes written there before
 * each name's NUL: every name in it is written whole before it is read
 * (valgrind, which reports reads of unwritten bytes, runs the tests). */
static inline gboolean
names_equal (const char *a,
             const char *b)
{
  while (*a != '\0' && *a == *b) /* NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult) */
    {
      a++;
      b++;
    }
  return *a == *b; /* NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult) */
}

/* Whether the current tag's name is the literal @literal: the length
 * first, then a fixed-size comparison the compiler inlines. */
#define TAG_NAME_IS(t, literal)                                                             \
  ((t)->name_len == sizeof (literal) - 1 && memcmp ((t)->name, literal, sizeof (literal) - 1) == 0)

/* Characters that go on in a tag or attribute name as they are (lower
 * case aside): not white space, '/', '>', NUL. */
static const guint8 name_char[256] = {
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
  /* 0x00 */ 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1,
  /* 0x10 */ R16 (1),
  /* 0x20 */ 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
  /* 0x30 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1,
  R16 (1), R16 (1), R16 (1), R16 (1),
  R16 (1), R16 (1), R16 (1), R16 (1), R16 (1), R16 (1), R16 (1), R16 (1),
#undef R16
};

/* Characters that go on in an attribute name: as name_char, but NUL (a
 * U+FFFD once the name is lowered) goes on and '=' ends it. */
static const guint8 attribute_name_char[256] = {
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
  /* 0x00 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1,
  /* 0x10 */ R16 (1),
  /* 0x20 */ 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
  /* 0x30 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1,
  R16 (1), R16 (1), R16 (1), R16 (1),
  R16 (1), R16 (1), R16 (1), R16 (1), R16 (1), R16 (1), R16 (1), R16 (1),
#undef R16
};

static inline void
buffer_append (Buffer     *buffer,
               const char *bytes,
               gsize       len)
{
  if (buffer->len + len + 1 > buffer->size)
    {
      buffer->size = MAX (buffer->size * 2, buffer->len + len + 1);
      buffer->str = g_realloc (buffer->str, buffer->size);
    }
  memcpy (buffer->str + buffer->len, bytes, len);
  buffer->len += len;
  buffer->str[buffer->len] = '\0';
}

/* Copies and lowers in one pass (names are short: no call to memcpy()). */
static inline void
append_lower (Buffer     *buffer,
              const char *run,
              gsize       len)
{
  char *out;

  if (buffer->len + len + 1 > buffer->size)
    {
      buffer->size = MAX (buffer->size * 2, buffer->len + len + 1);
      buffer->str = g_realloc (buffer->str, buffer->size);
    }
  out = buffer->str + buffer->len;
  for (gsize i = 0; i < len; i++)
    {
      char c = run[i];

      out[i] = ascii_lower (c);
    }
  buffer->len += len;
  buffer->str[buffer->len] = '\0';
}

/* What the tree construction rules say of an HTML element, as far as the
 * tokenizer's state depends on them. */
typedef enum
{
  MODE_DATA,
  MODE_RCDATA,
  MODE_RAWTEXT,
  MODE_SCRIPT,
  MODE_PLAINTEXT,
} Mode;

typedef enum
{
  ELEMENT_MODE_MASK = 0x7,          /* Mode of its content */
  ELEMENT_VOID = 1 << 3,            /* never on the stack */
  ELEMENT_NOT_PUSHED = 1 << 4,      /* html, head, body: always open */
  ELEMENT_CLOSES_P = 1 << 5,        /* its start tag closes a p in button scope */
  ELEMENT_SCOPE = 1 << 6,           /* bounds "in scope" (and "button" scope) */
  ELEMENT_BREAKOUT = 1 << 7,        /* its start tag leaves foreign content */
  ELEMENT_HEADING = 1 << 8,
  ELEMENT_LIST_ITEM = 1 << 9,       /* li, dd, dt */
  ELEMENT_TABLE_PART = 1 << 10,     /* tbody, thead, tfoot, tr, td, th */
  ELEMENT_SPECIAL = 1 << 11,        /* the standard's "special" category */
  ELEMENT_FORMATTING = 1 << 12,     /* end tags go through the adoption agency */
  ELEMENT_BUTTON = 1 << 13,         /* bounds "button scope" */
  ELEMENT_LINKS = 1 << 14,          /* what the link extraction looks at */
} ElementFlags;

/* Names to ElementFlags: open addressing on a hash of the name, filled
 * once. read_tag() finds most names by their key (key_slots); this table
 * serves the longer ones. */
#define ELEMENT_SLOTS 256

struct _ElementSlot
{
  const char *name;
  guint       flags;
  ElementId   id;
};

static ElementSlot element_slots[ELEMENT_SLOTS];

/* The slot of each ElementId but ID_OTHER. */
static const ElementSlot *id_slots[N_IDS];

/* The names of up to 8 bytes (nearly every tag), by their bytes packed
 * in a guint64, the first in the lowest byte: read_tag() packs a name as
 * it scans it, then finds it with a multiplication and a comparison or
 * two, without copying it. A name has no NUL: no key of a name is 0. */
#define KEY_SLOTS 512
#define KEY_MAX_LEN 8

typedef struct
{
  guint64            key;
  const ElementSlot *slot;
} KeySlot;

static KeySlot key_slots[KEY_SLOTS];

static inline guint
key_index (guint64 key)
{
  /* Fibonacci hashing: the top 9 bits of the product. */
  return (guint) ((key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 55);
}

/* Each byte of a tag name lowered, 0 for those that end it (name_char):
 * read_tag() packs a name into its key with one lookup a byte. */
static guint8 name_lower[256];

static inline const ElementSlot *
element_lookup_key (guint64 key)
{
  for (guint i = key_index (key); key_slots[i].key != 0; i = (i + 1) % KEY_SLOTS)
    {
      if (key_slots[i].key == key)
        return key_slots[i].slot;
    }
  return NULL;
}

static inline guint
name_hash (const char *name,
           gsize       len)
{
  guint hash = 2166136261u;             /* FNV-1a */

  for (gsize i = 0; i < len; i++)
    hash = (hash ^ (guchar) name[i]) * 16777619u;
  return hash;
}

/* Fills the tables, once per process: tokenize() calls it first. */
static void
element_table_init (void)
{
  static gsize initialized;
  guint i;

  if (g_once_init_enter (&initialized))
    {
      static const struct
      {
        const char *names;
        guint       flags;
      } groups[] = {
        { "title textarea", MODE_RCDATA },
        { "style xmp iframe noembed noframes", MODE_RAWTEXT },
        { "script", MODE_SCRIPT },
        { "plaintext", MODE_PLAINTEXT | ELEMENT_CLOSES_P },
        { "xmp", ELEMENT_CLOSES_P },
        { "area base basefont bgsound br col embed frame hr image img input keygen link meta "
          "param source track wbr", ELEMENT_VOID },
        { "html head body", ELEMENT_NOT_PUSHED },
        { "address article aside blockquote center details dialog dir div dl fieldset "
          "figcaption figure footer form header hgroup hr listing main menu nav ol p pre search "
          "section summary ul li dd dt", ELEMENT_CLOSES_P },
        { "h1 h2 h3 h4 h5 h6", ELEMENT_CLOSES_P | ELEMENT_HEADING },
        { "li dd dt", ELEMENT_LIST_ITEM },
        { "applet caption html table td th marquee object template", ELEMENT_SCOPE },
        { "tbody thead tfoot tr td th", ELEMENT_TABLE_PART },
        { "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head "
          "hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub "
          "sup table tt u ul var", ELEMENT_BREAKOUT },
        { "address applet area article aside base basefont bgsound blockquote body br button "
          "caption center col colgroup dd details dir div dl dt embed fieldset figcaption "
          "figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html "
          "iframe img input keygen li link listing main marquee menu meta nav noembed noframes "
          "noscript object ol p param plaintext pre script search section select source style "
          "summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp",
          ELEMENT_SPECIAL },
        { "a b big code em font i nobr s small strike strong tt u", ELEMENT_FORMATTING },
        { "button", ELEMENT_BUTTON },
        { "a area base frame iframe link meta", ELEMENT_LINKS },
        /* No flags: in the table so that their stack entries share the
         * interned names (compared as pointers). */
        { "svg math annotation-xml option", 0 },
      };
      /* In ElementId's order. */
      static const char * const id_names[N_IDS] = {
        NULL, "a", "dd", "dt", "li", "option", "p", "table", "td", "template", "th", "tr",
      };

      for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
        {
          g_auto(GStrv) names = g_strsplit (groups[g].names, " ", -1);

          for (guint j = 0; names[j] != NULL; j++)
            {
              i = name_hash (names[j], strlen (names[j])) % ELEMENT_SLOTS;
              while (element_slots[i].name != NULL && strcmp (element_slots[i].name, names[j]) != 0)
                i = (i + 1) % ELEMENT_SLOTS;
              /* The table lives as long as the process: so do its names. */
              element_slots[i].name = g_intern_string (names[j]);
              element_slots[i].flags |= groups[g].flags;
            }
        }
      for (guint id = ID_OTHER + 1; id < N_IDS; id++)
        {
          ElementSlot *slot = NULL;

          for (i = 0; i < ELEMENT_SLOTS && slot == NULL; i++)
            if (g_strcmp0 (element_slots[i].name, id_names[id]) == 0)
              slot = &element_slots[i];
          g_assert (slot != NULL);
          slot->id = id;
          id_slots[id] = slot;
        }
      for (i = 0; i < G_N_ELEMENTS (name_lower); i++)
        name_lower[i] = name_char[i] ? ascii_lower (i) : 0;
      for (i = 0; i < ELEMENT_SLOTS; i++)
        {
          const char *name = element_slots[i].name;
          guint64 key = 0;
          guint k;

          if (name == NULL || strlen (name) > KEY_MAX_LEN)
            continue;
          for (guint j = 0; name[j] != '\0'; j++)
            key |= (guint64) (guchar) name[j] << (8 * j);
          for (k = key_index (key); key_slots[k].key != 0; k = (k + 1) % KEY_SLOTS)
            ;
          key_slots[k].key = key;
          key_slots[k].slot = &element_slots[i];
        }
      g_once_init_leave (&initialized, 1);
    }
}

/* A name longer than element_lookup_key() takes. */
static const ElementSlot *
element_lookup (const char *name,
                gsize       len)
{
  guint i;

  for (i = name_hash (name, len) % ELEMENT_SLOTS; element_slots[i].name != NULL;
       i = (i + 1) % ELEMENT_SLOTS)
    {
      if (names_equal (element_slots[i].name, name))
        return &element_slots[i];
    }
  return NULL;
}

/* The tag name state for a name that read_tag() cannot find by its key
 * (@start at its first letter): copied and lowered, each NUL, as U+FFFD,
 * going on with the name. Returns the position after it, or NULL. */
static const char *
read_tag_name_copy (Tokenizer  *t,
                    const char *start)
{
  const char *end = t->end;
  const char *p = start;

  t->tag_name.len = 0;
  for (;;)
    {
      const char *run = p;

      while (p < end && name_char[(guchar) *p])
        p++;
      append_lower (&t->tag_name, run, p - run);
      if (p == end)
        return NULL;
      if (*p == '\0')
        {
          buffer_append (&t->tag_name, REPLACEMENT_CHARACTER, 3);
          p++;
          continue;
        }
      break;
    }
  t->name = t->tag_name.str;
  t->name_len = t->tag_name.len;
  t->slot = t->name_len > KEY_MAX_LEN ? element_lookup (t->name, t->name_len) : NULL;
  return p;
}

/* Reads a tag's attributes, from the byte after its name (not '>') to its
 * '>': returns the position after it, or NULL when the document ends
 * first (the tag is then dropped, as the standard says). */
static const char *
read_attributes (Tokenizer  *t,
                 const char *p,
                 gboolean   *self_closing)
{
  const char *end = t->end;
  RawAttribute *attr = NULL;

  if (*p == '/')
    {
      p++;
      goto self_closing_start_tag;
    }
  p++;                                  /* white space */

before_attribute_name:
  while (p < end && is_space (*p))
    p++;
  if (p == end)
    return NULL;
  if (*p == '/' || *p == '>')
    goto after_attribute_name;
  ARRAY_RESERVE (t->raw, 1);
  attr = &t->raw.items[t->raw.len++];
  attr->name = p;
  attr->value = NULL;
  attr->value_len = 0;
  /* An attribute whose name starts with '=' (a parse error). */
  if (*p == '=')
    p++;

  /* Attribute name state: only its span, most names are never read. */
  while (p < end && attribute_name_char[(guchar) *p])
    p++;
  attr->name_len = p - attr->name;
  if (p < end && *p == '=')
    {
      p++;
      goto before_attribute_value;
    }

after_attribute_name:
  while (p < end && is_space (*p))
    p++;
  if (p == end)
    return NULL;
  switch (*p)
    {
    case '/':
      p++;
      goto self_closing_start_tag;
    case '=':
      p++;
      goto before_attribute_value;
    case '>':
      return p + 1;
    default:
      goto before_attribute_name;
    }

before_attribute_value:
  while (p < end && is_space (*p))
    p++;
  if (p == end)
    return NULL;
  /* The array may have moved since: take the attribute again. */
  attr = &t->raw.items[t->raw.len - 1];
  if (*p == '"' || *p == '\'')
    {
      const char *close = memchr (p + 1, *p, end - p - 1);

      if (close == NULL)
        return NULL;
      attr->value = p + 1;
      attr->value_len = close - p - 1;
      p = close + 1;

      /* After attribute value (quoted) state */
      if (p == end)
        return NULL;
      if (is_space (*p))
        {
          p++;
          goto before_attribute_name;
        }
      if (*p == '/')
        {
          p++;
          goto self_closing_start_tag;
        }
      if (*p == '>')
        return p + 1;
      goto before_attribute_name;
    }
  if (*p == '>')
    return p + 1;                       /* missing value: an empty one */

  /* Attribute value (unquoted) state */
  attr->value = p;
  for (; p < end; p++)
    {
      if (is_space (*p))
        {
          attr->value_len = p - attr->value;
          p++;
          goto before_attribute_name;
        }
      if (*p == '>')
        {
          attr->value_len = p - attr->value;
          return p + 1;
        }
    }
  return NULL;

self_closing_start_tag:
  if (p == end)
    return NULL;
  if (*p == '>')
    {
      *self_closing = TRUE;
      return p + 1;
    }
  goto before_attribute_name;
}

/* Reads a tag from its name (@p at its first letter) to its '>': returns
 * the position after it, or NULL when the document ends first (the tag is
 * then dropped, as the standard says). Inlined, so that a tag without
 * attributes (most end tags, li, p) costs no call. */
G_ALWAYS_INLINE static inline const char *
read_tag (Tokenizer  *t,
          const char *p,
          gboolean   *self_closing)
{
  const char *end = t->end;
  const char *start = p;
  guint64 key = 0;
  guint shift = 0;
  guint8 c;

  /* Tag name state: the name is packed into its key on the way (past 8
   * bytes the key wraps around, and is not used), and a known name needs
   * no copy. */
  while (p < end && (c = name_lower[(guchar) *p]) != 0)
    {
      key |= (guint64) c << shift;
      shift = (shift + 8) % 64;
      p++;
    }
  if (p == end)
    return NULL;
  t->slot = NULL;
  if (*p != '\0' && p - start <= KEY_MAX_LEN)
    t->slot = element_lookup_key (key);
  if (t->slot != NULL)
    {
      t->name = t->slot->name;
      t->name_len = p - start;
    }
  else
    {
      p = read_tag_name_copy (t, start);
      if (p == NULL)
        return NULL;
    }

  t->raw.len = 0;
  *self_closing = FALSE;
  if (*p == '>')
    return p + 1;
  return read_attributes (t, p, self_closing);
}

/* Appends @name lowered, each NUL as U+FFFD, and a NUL. */
static void
append_attribute_name (Buffer     *names,
                       const char *name,
                       gsize       len)
{
  const char *end = name + len;

  for (;;)
    {
      const char *nul = memchr (name, '\0', end - name);

      append_lower (names, name, (nul != NULL ? nul : end) - name);
      if (nul == NULL)
        break;
      buffer_append (names, REPLACEMENT_CHARACTER, 3);
      name = nul + 1;
    }
  buffer_append (names, "", 1);
}

/* Builds the attribute list the callback sees: names lowered, later
 * duplicates gone. A tag with very many attributes uses a set, so that it
 * costs no n². */
static void
collect_attributes (Tokenizer *t)
{
  g_autoptr(GHashTable) seen = NULL;
  const char *name;

  /* The names first, one after the other (the buffer may move while it
   * grows); none has a NUL of its own. */
  t->names.len = 0;
  for (guint i = 0; i < t->raw.len; i++)
    append_attribute_name (&t->names, t->raw.items[i].name, t->raw.items[i].name_len);
  name = t->names.str;

  t->attributes.len = 0;
  ARRAY_RESERVE (t->attributes, t->raw.len);
  if (t->raw.len > 32)
    seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < t->raw.len; i++)
    {
      const RawAttribute *raw = &t->raw.items[i];
      AdHtmlAttribute attr;
      gboolean duplicate = FALSE;

      attr.name = name;
      name += strlen (name) + 1;
      attr.value = raw->value != NULL ? raw->value : "";
      attr.value_len = raw->value_len;
      if (seen != NULL)
        duplicate = !g_hash_table_add (seen, (gpointer) attr.name);
      else
        for (guint j = 0; j < t->attributes.len && !duplicate; j++)
          duplicate = names_equal (t->attributes.items[j].name, attr.name);
      if (!duplicate)
        t->attributes.items[t->attributes.len++] = attr;
    }
}

static void
emit_start_tag_now (Tokenizer *t,
                    gboolean   self_closing,
                    gboolean   foreign)
{
  AdHtmlStartTag tag;

  if (t->raw_func != NULL)
    {
      if (!t->raw_func (t, t->user_data))
        t->stopped = TRUE;
      return;
    }
  collect_attributes (t);
  tag.name = t->name;
  tag.attributes = t->attributes.items;
  tag.n_attributes = t->attributes.len;
  tag.self_closing = self_closing;
  tag.foreign = foreign;
  if (!t->func (&tag, t->user_data))
    t->stopped = TRUE;
}

/* Reports the start tag, if the caller wants it: most are not wanted. */
static inline void
emit_start_tag (Tokenizer *t,
                guint      flags,
                gboolean   self_closing,
                gboolean   foreign)
{
  if (!t->stopped && (t->emit_flags == 0 || (flags & t->emit_flags)))
    emit_start_tag_now (t, self_closing, foreign);
}

/* The value of the first attribute called @name (lower case ASCII, no
 * NUL), as written in any case, or NULL: what ad_html_start_tag_get_attribute()
 * finds in the list of attributes. A NUL in a name, U+FFFD once lowered,
 * matches no ASCII character. */
static inline const char *
find_raw_attribute (Tokenizer  *t,
                    const char *name,
                    gsize      *len)
{
  gsize name_len = strlen (name);

  for (guint i = 0; i < t->raw.len; i++)
    {
      const RawAttribute *raw = &t->raw.items[i];
      gsize j = 0;

      if (raw->name_len != name_len)
        continue;
      while (j < name_len && ascii_lower (raw->name[j]) == name[j])
        j++;
      if (j == name_len)
        {
          *len = raw->value_len;
          return raw->value != NULL ? raw->value : "";
        }
    }
  return NULL;
}

static inline StackEntry *
stack_entry (Tokenizer *t,
             guint      i)
{
  return &t->stack.items[i];
}

static inline const char *
stack_name (Tokenizer *t,
            guint      i)
{
  const StackEntry *entry = stack_entry (t, i);

  return entry->static_name != NULL ? entry->static_name
                                    : t->stack_names.str + entry->name_offset;
}

/* Whether the element at @i is called @name, whose slot is @slot (NULL:
 * not in the element table): a known name is compared as a pointer. */
static inline gboolean
stack_name_is (Tokenizer         *t,
               guint              i,
               const ElementSlot *slot,
               const char        *name)
{
  const StackEntry *entry = stack_entry (t, i);

  if (slot != NULL)
    return entry->static_name == slot->name;
  return entry->static_name == NULL && names_equal (t->stack_names.str + entry->name_offset, name);
}

static void
stack_push_slow (Tokenizer         *t,
                 const char        *name,
                 const ElementSlot *slot,
                 Namespace          ns,
                 guint              flags)
{
  const char *static_name = slot != NULL ? slot->name : NULL;
  ElementId id = slot != NULL && ns == NS_HTML ? slot->id : ID_OTHER;
  StackEntry entry = { t->stack_names.len, static_name, ns, id, flags, FALSE, FALSE };

  /* Deeper than any real document: later elements stay off the stack
   * (and searching it stays cheap). */
  if (t->stack.len >= MAX_DEPTH)
    return;
  /* A known element's name is in the table already: no copy. */
  if (static_name == NULL)
    buffer_append (&t->stack_names, name, strlen (name) + 1);
  if (ns == NS_SVG)
    entry.html_integration = strcmp (name, "foreignobject") == 0 ||
                             strcmp (name, "desc") == 0 || strcmp (name, "title") == 0;
  else if (ns == NS_MATHML)
    {
      entry.text_integration = strcmp (name, "mi") == 0 || strcmp (name, "mo") == 0 ||
                               strcmp (name, "mn") == 0 || strcmp (name, "ms") == 0 ||
                               strcmp (name, "mtext") == 0;
      if (strcmp (name, "annotation-xml") == 0)
        {
          gsize len;
          const char *encoding = find_raw_attribute (t, "encoding", &len);

          entry.html_integration =
            encoding != NULL &&
            ((len == 9 && g_ascii_strncasecmp (encoding, "text/html", 9) == 0) ||
             (len == 21 && g_ascii_strncasecmp (encoding, "application/xhtml+xml", 21) == 0));
        }
    }
  ARRAY_RESERVE (t->stack, 1);
  t->stack.items[t->stack.len++] = entry;
  t->n_open[id]++;
}

/* A known HTML element with room on the stack: no call. */
static inline void
stack_push (Tokenizer         *t,
            const char        *name,
            const ElementSlot *slot,
            Namespace          ns,
            guint              flags)
{
  if (slot != NULL && ns == NS_HTML && t->stack.len < t->stack.size &&
      t->stack.len < MAX_DEPTH)
    {
      StackEntry *entry = &t->stack.items[t->stack.len++];

      entry->name_offset = t->stack_names.len;
      entry->static_name = slot->name;
      entry->ns = NS_HTML;
      entry->id = slot->id;
      entry->flags = flags;
      entry->html_integration = FALSE;
      entry->text_integration = FALSE;
      t->n_open[slot->id]++;
      return;
    }
  stack_push_slow (t, name, slot, ns, flags);
}

/* Pops the element at @depth and everything above it. */
static inline void
stack_pop_to (Tokenizer *t,
              guint      depth)
{
  if (depth < t->stack.len)
    {
      for (guint i = depth; i < t->stack.len; i++)
        t->n_open[stack_entry (t, i)->id]--;
      t->stack_names.len = stack_entry (t, depth)->name_offset;
      t->stack.len = depth;
    }
}

/* Removes the element at @i, keeping the order of the others. */
static void
stack_remove (Tokenizer *t,
              guint      i)
{
  t->n_open[stack_entry (t, i)->id]--;
  memmove (&t->stack.items[i], &t->stack.items[i + 1],
           (t->stack.len - i - 1) * sizeof (StackEntry));
  t->stack.len--;
}

static inline StackEntry *
stack_top (Tokenizer *t)
{
  return stack_entry (t, t->stack.len - 1);
}

static inline gboolean
is_integration_point (const StackEntry *entry)
{
  return entry->html_integration || entry->text_integration;
}

/* The foreign elements that bound a scope and are special: SVG's
 * foreignObject, desc and title, MathML's mi, mo, mn, ms, mtext and
 * annotation-xml. All are integration points but annotation-xml, which
 * is one only with an HTML encoding, and bounds a scope all the same
 * (found by fuzz-html-diff: "<a><math><annotation-xml></a><style>"). */
static gboolean
is_foreign_boundary (Tokenizer *t,
                     guint      i)
{
  const StackEntry *entry = stack_entry (t, i);

  return is_integration_point (entry) ||
         (entry->ns == NS_MATHML && strcmp (stack_name (t, i), "annotation-xml") == 0);
}

/* In foreign content (CDATA sections allowed)? */
static gboolean
in_foreign_content (Tokenizer *t)
{
  return t->stack.len > 0 && stack_top (t)->ns != NS_HTML;
}

/* The depth of the nearest HTML element of @slot's name, or of @group,
 * in scope (not past an integration point or a scope element that it
 * does not accept), or -1. */
G_ALWAYS_INLINE static inline int
find_in_scope (Tokenizer         *t,
               const ElementSlot *slot,
               guint              group,
               guint              extra_bounds)
{
  const char *name = slot != NULL ? slot->name : NULL;

  /* None open: no need to look. */
  if (slot != NULL && slot->id != ID_OTHER && t->n_open[slot->id] == 0)
    return -1;
  for (guint i = t->stack.len; i > 0; i--)
    {
      const StackEntry *entry = stack_entry (t, i - 1);

      if (entry->ns != NS_HTML)
        {
          if (is_foreign_boundary (t, i - 1))
            return -1;
          continue;
        }
      if (group != 0 ? (entry->flags & group) != 0 : entry->static_name == name)
        return i - 1;
      if (entry->flags & (ELEMENT_SCOPE | extra_bounds))
        return -1;
    }
  return -1;
}

static void
close_in_scope (Tokenizer         *t,
                const ElementSlot *slot,
                guint              group,
                guint              extra_bounds)
{
  int depth = find_in_scope (t, slot, group, extra_bounds);

  if (depth >= 0)
    stack_pop_to (t, depth);
}

/* The adoption agency, as far as the stack goes: with no special element
 * opened inside the formatting element, it closes like any element. With
 * some (furthest blocks), its loop moves the formatting element up to the
 * last of them and closes it there: what was opened inside that one goes,
 * the special and formatting elements before it stay, the rest leave the
 * stack. */
static void
close_formatting (Tokenizer         *t,
                  const ElementSlot *slot)
{
  int depth = find_in_scope (t, slot, 0, 0);
  int last_special = -1;

  if (depth < 0)
    return;
  for (guint i = depth + 1; i < t->stack.len; i++)
    if (stack_entry (t, i)->ns == NS_HTML && (stack_entry (t, i)->flags & ELEMENT_SPECIAL))
      last_special = i;
  if (last_special < 0)
    {
      stack_pop_to (t, depth);
      return;
    }
  stack_pop_to (t, last_special + 1);
  for (int i = last_special - 1; i > depth; i--)
    {
      const StackEntry *entry = stack_entry (t, i);

      if (entry->ns != NS_HTML || !(entry->flags & (ELEMENT_SPECIAL | ELEMENT_FORMATTING)))
        stack_remove (t, i);
    }
  stack_remove (t, depth);
}

static gboolean table_is_open (Tokenizer *t);

/* Tree construction, as far as the tokenizer depends on it: which start
 * tags open foreign content or leave it, which elements are open (no
 * insertion modes; the usual implied end tags). Returns the mode to
 * continue in; *@raw_name is the element whose end tag ends it. */
static Mode
process_start_tag (Tokenizer   *t,
                   gboolean     self_closing,
                   const char **raw_name)
{
  const char *name = t->name;
  const ElementSlot *slot = t->slot;
  guint flags = slot != NULL ? slot->flags : 0;

  if (t->stack.len > 0)
    {
      StackEntry *top = stack_top (t);
      gboolean html = top->ns == NS_HTML || top->html_integration ||
                      (top->text_integration && strcmp (name, "mglyph") != 0 &&
                       strcmp (name, "malignmark") != 0) ||
                      (top->ns == NS_MATHML &&
                       strcmp (stack_name (t, t->stack.len - 1), "annotation-xml") == 0 &&
                       strcmp (name, "svg") == 0);

      if (!html)
        {
          gboolean breakout = (flags & ELEMENT_BREAKOUT) != 0;
          gsize len;

          if (!breakout && strcmp (name, "font") == 0)
            breakout = find_raw_attribute (t, "color", &len) != NULL ||
                       find_raw_attribute (t, "face", &len) != NULL ||
                       find_raw_attribute (t, "size", &len) != NULL;
          if (!breakout)
            {
              Namespace ns = top->ns;

              emit_start_tag (t, flags, self_closing, TRUE);
              if (!self_closing)
                stack_push (t, name, slot, ns, 0);
              return MODE_DATA;
            }
          /* A breakout tag: back to the nearest HTML content. */
          while (t->stack.len > 0 && stack_top (t)->ns != NS_HTML &&
                 !is_integration_point (stack_top (t)))
            stack_pop_to (t, t->stack.len - 1);
        }
    }

  if (TAG_NAME_IS (t, "svg") || TAG_NAME_IS (t, "math"))
    {
      emit_start_tag (t, flags, self_closing, TRUE);
      if (!self_closing)
        stack_push (t, name, slot, name[0] == 's' ? NS_SVG : NS_MATHML, 0);
      return MODE_DATA;
    }

  emit_start_tag (t, flags, self_closing, FALSE);

  /* The implied end tags that keep the stack close to a browser's. */
  if ((flags & ELEMENT_CLOSES_P) && t->n_open[ID_P] > 0)
    close_in_scope (t, id_slots[ID_P], 0, ELEMENT_BUTTON);
  if ((flags & ELEMENT_HEADING) && t->stack.len > 0 && stack_top (t)->ns == NS_HTML &&
      (stack_top (t)->flags & ELEMENT_HEADING))
    stack_pop_to (t, t->stack.len - 1);
  if (flags & ELEMENT_LIST_ITEM)
    {
      /* li closes an li, dd or dt a dd or dt, up to a list. */
      if (name[0] == 'l' && t->n_open[ID_LI] > 0)
        close_in_scope (t, id_slots[ID_LI], 0, 0);
      else if (name[0] == 'd')
        {
          int dd = find_in_scope (t, id_slots[ID_DD], 0, 0);
          int dt = find_in_scope (t, id_slots[ID_DT], 0, 0);

          if (MAX (dd, dt) >= 0)
            stack_pop_to (t, MAX (dd, dt));
        }
    }
  if ((flags & ELEMENT_TABLE_PART) && !table_is_open (t))
    return MODE_DATA;                   /* "in body", a parse error: ignored */
  /* frameset once content has begun ("frameset-ok" is gone): ignored, so it
   * cannot keep foreign content open (".<m><frameset><svg></m><iframe>…").
   * Text before it is not tracked: an approximation. */
  if (TAG_NAME_IS (t, "frameset") && t->stack.len > 0)
    return MODE_DATA;
  if (flags & ELEMENT_TABLE_PART)
    {
      if (name[0] == 't' && (name[1] == 'd' || name[1] == 'h') && name[2] == '\0')
        {
          /* td or th: closes a cell of the same table. */
          int cell = MAX (find_in_scope (t, id_slots[ID_TD], 0, 0),
                          find_in_scope (t, id_slots[ID_TH], 0, 0));

          if (cell >= 0)
            stack_pop_to (t, cell);
        }
      else if (strcmp (name, "tr") == 0)
        {
          /* tr: closes the open cell, then the open row. */
          int cell = MAX (find_in_scope (t, id_slots[ID_TD], 0, 0),
                          find_in_scope (t, id_slots[ID_TH], 0, 0));

          if (cell >= 0)
            stack_pop_to (t, cell);
          close_in_scope (t, id_slots[ID_TR], 0, 0);
        }
    }
  if (slot == id_slots[ID_A] && t->n_open[ID_A] > 0)
    close_formatting (t, id_slots[ID_A]); /* an open a goes first */
  if (TAG_NAME_IS (t, "option") && t->stack.len > 0 &&
      stack_name_is (t, t->stack.len - 1, id_slots[ID_OPTION], NULL))
    stack_pop_to (t, t->stack.len - 1);

  if ((flags & ELEMENT_MODE_MASK) != MODE_DATA)
    {
      /* Its end tag ends its content, and the element. */
      *raw_name = slot->name;
      return flags & ELEMENT_MODE_MASK;
    }
  if (!(flags & (ELEMENT_VOID | ELEMENT_NOT_PUSHED)))
    stack_push (t, name, slot, NS_HTML, flags);
  return MODE_DATA;
}

/* Is an HTML table (or template) open? Outside one, tbody, thead, tfoot,
 * tr, td and th start tags are ignored (found by fuzz-html-diff:
 * "<ap><th><svg></ap><iframe><a href>": a pushed th kept the svg open). */
static gboolean
table_is_open (Tokenizer *t)
{
  return t->n_open[ID_TABLE] > 0 || t->n_open[ID_TEMPLATE] > 0;
}

static void
process_end_tag (Tokenizer *t)
{
  const char *name = t->name;
  const ElementSlot *slot = t->slot;
  guint flags = slot != NULL ? slot->flags : 0;

  /* The element on top, in HTML content: whatever the rules below, they
   * close that one (most end tags). */
  if (t->stack.len > 0 && stack_top (t)->ns == NS_HTML &&
      stack_name_is (t, t->stack.len - 1, slot, name))
    {
      stack_pop_to (t, t->stack.len - 1);
      return;
    }

  /* Foreign content: the nearest foreign element of that name, among the
   * foreign elements on top of the stack. */
  for (guint i = t->stack.len; i > 0 && stack_entry (t, i - 1)->ns != NS_HTML; i--)
    {
      if (stack_name_is (t, i - 1, slot, name))
        {
          stack_pop_to (t, i - 1);
          return;
        }
    }

  /* HTML rules. An HTML ancestor's end tag closes the foreign content it
   * holds. */
  if (flags & (ELEMENT_NOT_PUSHED | ELEMENT_VOID))
    return;                             /* html, head, body, br … */
  if (flags & ELEMENT_HEADING)
    close_in_scope (t, NULL, ELEMENT_HEADING, 0);
  else if (flags & ELEMENT_FORMATTING)
    close_formatting (t, slot);
  else if (flags & ELEMENT_SPECIAL)
    close_in_scope (t, slot, 0, slot->id == ID_P ? ELEMENT_BUTTON : 0);
  else
    {
      /* Any other end tag: the nearest element of that name, unless a
       * special element (an integration point is one) comes first. */
      for (guint i = t->stack.len; i > 0; i--)
        {
          const StackEntry *entry = stack_entry (t, i - 1);

          if (entry->ns == NS_HTML && stack_name_is (t, i - 1, slot, name))
            {
              stack_pop_to (t, i - 1);
              return;
            }
          if (entry->ns == NS_HTML ? (entry->flags & ELEMENT_SPECIAL) != 0
                                   : is_foreign_boundary (t, i - 1))
            return;
        }
    }
}

/* Most end tags close the HTML element on top of the stack, and are
 * written as its start tag was ("</li>"): if the bytes at @p (after "</")
 * are its known name in lower case, then '>', that element is popped (as
 * process_end_tag() would) without a lookup. Returns the position after
 * the '>', or NULL for any other end tag. */
static inline const char *
end_tag_of_top (Tokenizer  *t,
                const char *p)
{
  const StackEntry *top;
  const char *name;
  gsize i;

  if (t->stack.len == 0)
    return NULL;
  top = stack_top (t);
  name = top->static_name;
  if (top->ns != NS_HTML || name == NULL)
    return NULL;
  for (i = 0; name[i] != '\0' && p + i < t->end && p[i] == name[i]; i++)
    ;
  if (name[i] != '\0' || p + i == t->end || p[i] != '>')
    return NULL;
  stack_pop_to (t, t->stack.len - 1);
  return p + i + 1;
}

/* Does an appropriate end tag for @name start at @p (after "</")? */
static gboolean
is_appropriate_end_tag (Tokenizer  *t,
                        const char *p,
                        const char *name)
{
  gsize len = strlen (name);

  if ((gsize) (t->end - p) <= len)
    return FALSE;                       /* EOF: the rest is text */
  if (g_ascii_strncasecmp (p, name, len) != 0)
    return FALSE;
  return is_space (p[len]) || p[len] == '/' || p[len] == '>';
}

/* The end of a comment (@p after "<!--"): the position after it, or NULL. */
static const char *
skip_comment (const char *p,
              const char *end)
{
  /* Comment start and comment start dash states: <!--> and <!---> */
  if (p < end && *p == '>')
    return p + 1;
  if (p < end && *p == '-')
    {
      p++;
      if (p < end && *p == '>')
        return p + 1;
      if (p < end && *p == '-')
        {
          p++;
          goto comment_end;
        }
    }

  for (;;)
    {
      /* Comment state: the less-than sign states only report errors. */
      p = memchr (p, '-', end - p);
      if (p == NULL)
        return NULL;
      p++;
      /* Comment end dash state */
      if (p == end)
        return NULL;
      if (*p != '-')
        continue;
      p++;

    comment_end:
      for (;;)
        {
          if (p == end)
            return NULL;
          if (*p == '>')
            return p + 1;
          if (*p == '!')
            {
              /* Comment end bang state: --!> closes too. */
              p++;
              if (p == end)
                return NULL;
              if (*p == '>')
                return p + 1;
              if (*p == '-')
                {
                  /* Back to comment end dash. */
                  p++;
                  if (p == end)
                    return NULL;
                  if (*p == '-')
                    {
                      p++;
                      continue;
                    }
                }
              break;
            }
          if (*p != '-')
            break;
          p++;
        }
    }
}

/* Script data and its escaped states, from after <script ...>: returns
 * the position of the "script" of the end tag that closes the element
 * (after "</"), or NULL at the end of the document. */
static const char *
skip_script_data (Tokenizer  *t,
                  const char *p)
{
  const char *end = t->end;
  enum
  {
    DATA,
    ESCAPED,
    ESCAPED_DASH,
    ESCAPED_DASH_DASH,
    DOUBLE,
    DOUBLE_DASH,
    DOUBLE_DASH_DASH,
  } state = DATA;

  while (p < end)
    {
      char c;

      if (state == DATA)
        {
          p = memchr (p, '<', end - p);
          if (p == NULL)
            return NULL;
          p++;
          if (p == end)
            return NULL;
          if (*p == '/')
            {
              if (is_appropriate_end_tag (t, p + 1, "script"))
                return p + 1;
              p++;
            }
          else if (*p == '!')
            {
              /* Script data escape start (dash) states: "<!--" */
              p++;
              if (p < end && *p == '-')
                {
                  p++;
                  if (p < end && *p == '-')
                    {
                      p++;
                      state = ESCAPED_DASH_DASH;
                    }
                }
            }
          continue;
        }

      c = *p++;
      switch (state)
        {
        case ESCAPED:
        case ESCAPED_DASH:
        case ESCAPED_DASH_DASH:
          if (c == '-')
            state = state == ESCAPED ? ESCAPED_DASH : ESCAPED_DASH_DASH;
          else if (c == '>' && state == ESCAPED_DASH_DASH)
            state = DATA;
          else if (c == '<')
            {
              /* Script data escaped less-than sign state */
              state = ESCAPED;
              if (p == end)
                return NULL;
              if (*p == '/')
                {
                  if (is_appropriate_end_tag (t, p + 1, "script"))
                    return p + 1;
                  p++;
                }
              else if (is_alpha (*p))
                {
                  /* Script data double escape start state */
                  const char *word = p;

                  while (p < end && is_alpha (*p))
                    p++;
                  if (p == end)
                    return NULL;
                  if (is_space (*p) || *p == '/' || *p == '>')
                    {
                      if (p - word == 6 && g_ascii_strncasecmp (word, "script", 6) == 0)
                        state = DOUBLE;
                      p++;
                    }
                }
            }
          else
            state = ESCAPED;
          break;

        case DOUBLE:
        case DOUBLE_DASH:
        case DOUBLE_DASH_DASH:
          if (c == '-')
            state = state == DOUBLE ? DOUBLE_DASH : DOUBLE_DASH_DASH;
          else if (c == '>' && state == DOUBLE_DASH_DASH)
            state = DATA;
          else if (c == '<')
            {
              /* Script data double escaped less-than sign state */
              state = DOUBLE;
              if (p < end && *p == '/')
                {
                  /* Script data double escape end state */
                  const char *word = ++p;

                  while (p < end && is_alpha (*p))
                    p++;
                  if (p == end)
                    return NULL;
                  if (is_space (*p) || *p == '/' || *p == '>')
                    {
                      if (p - word == 6 && g_ascii_strncasecmp (word, "script", 6) == 0)
                        state = ESCAPED;
                      p++;
                    }
                }
            }
          else
            state = DOUBLE;
          break;

        case DATA:
        default:
          g_assert_not_reached ();
        }
    }

  return NULL;
}

/* RCDATA and RAWTEXT: the position after the "</" of the end tag that
 * closes @name, or NULL. */
static const char *
skip_raw_text (Tokenizer  *t,
               const char *p,
               const char *name)
{
  for (;;)
    {
      p = memchr (p, '<', t->end - p);
      if (p == NULL)
        return NULL;
      p++;
      if (p < t->end && *p == '/' && is_appropriate_end_tag (t, p + 1, name))
        return p + 1;
    }
}

/* ad_html_tokenize(), reporting only the start tags of the elements with
 * one of @emit_flags (0: all of them), to @func or, as read, to @raw_func. */
static gboolean
tokenize (const char         *data,
          gsize               size,
          AdHtmlStartTagFunc  func,
          RawStartTagFunc     raw_func,
          gpointer            user_data,
          GCancellable       *cancellable,
          guint               emit_flags)
{
  Tokenizer t = { 0 };
  const char *p = data;
  const char *end = data + size;
  /* The first cancellation check: a position, possibly past the end. */
  const char *next_check = size > CANCEL_CHECK_BYTES ? data + CANCEL_CHECK_BYTES : end;
  gboolean cancelled = FALSE;

  g_return_val_if_fail (data != NULL || size == 0, FALSE);
  g_return_val_if_fail (func != NULL || raw_func != NULL, FALSE);

  if (size == 0)
    return !g_cancellable_is_cancelled (cancellable);

  t.data = data;
  t.end = end;
  t.func = func;
  t.raw_func = raw_func;
  t.user_data = user_data;
  t.emit_flags = emit_flags;
  element_table_init ();
  buffer_append (&t.tag_name, "", 0);
  buffer_append (&t.names, "", 0);
  buffer_append (&t.stack_names, "", 0);

  if (g_cancellable_is_cancelled (cancellable))
    {
      cancelled = TRUE;
      p = end;
    }

  while (p != NULL && p < end && !t.stopped)
    {
      gboolean self_closing;

      if (p >= next_check)
        {
          if (g_cancellable_is_cancelled (cancellable))
            {
              cancelled = TRUE;
              break;
            }
          next_check = p + CANCEL_CHECK_BYTES;
        }

      /* Data state */
      p = memchr (p, '<', end - p);
      if (p == NULL || ++p == end)
        break;

      /* Tag open state */
      if (is_alpha (*p))
        {
          const char *raw_name = NULL;
          Mode mode;

          p = read_tag (&t, p, &self_closing);
          if (p == NULL)
            break;
          mode = process_start_tag (&t, self_closing, &raw_name);
          if (mode == MODE_PLAINTEXT)
            break;
          if (mode == MODE_DATA)
            continue;

          if (mode == MODE_SCRIPT)
            p = skip_script_data (&t, p);
          else
            p = skip_raw_text (&t, p, raw_name);
          if (p == NULL)
            break;
          /* The end tag, with whatever attributes it has: it closes the
           * element, which was never on the stack. */
          p = read_tag (&t, p, &self_closing);
        }
      else if (*p == '/')
        {
          /* End tag open state */
          p++;
          if (p == end)
            break;
          if (is_alpha (*p))
            {
              const char *after = end_tag_of_top (&t, p);

              if (after != NULL)
                {
                  p = after;
                  continue;
                }
              p = read_tag (&t, p, &self_closing);
              if (p != NULL)
                process_end_tag (&t);
            }
          else if (*p == '>')
            p++;
          else
            {
              /* Bogus comment */
              p = memchr (p, '>', end - p);
              if (p != NULL)
                p++;
            }
        }
      else if (*p == '!')
        {
          /* Markup declaration open state */
          p++;
          if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            p = skip_comment (p + 2, end);
          else if (end - p >= 7 && memcmp (p, "[CDATA[", 7) == 0 && in_foreign_content (&t))
            {
              p = memmem (p + 7, end - p - 7, "]]>", 3);
              if (p != NULL)
                p += 3;
            }
          else
            {
              /* DOCTYPE (every DOCTYPE state ends at '>') or a bogus
               * comment, CDATA in HTML content included. */
              p = memchr (p, '>', end - p);
              if (p != NULL)
                p++;
            }
        }
      else if (*p == '?')
        {
          /* Bogus comment */
          p = memchr (p, '>', end - p);
          if (p != NULL)
            p++;
        }
      /* Anything else: the '<' was text. */
    }

  g_free (t.tag_name.str);
  g_free (t.names.str);
  g_free (t.raw.items);
  g_free (t.attributes.items);
  g_free (t.stack.items);
  g_free (t.stack_names.str);

  return !cancelled;
}

/**
 * ad_html_tokenize:
 * @data: the document, in an ASCII-compatible encoding
 * @func: called for each start tag, in document order
 * @cancellable: (nullable): polled every few tens of kilobytes
 *
 * Returns: %FALSE if cancelled
 */
gboolean
ad_html_tokenize (const char         *data,
                  gsize               size,
                  AdHtmlStartTagFunc  func,
                  gpointer            user_data,
                  GCancellable       *cancellable)
{
  return tokenize (data, size, func, NULL, user_data, cancellable, 0);
}

/**
 * ad_html_start_tag_get_attribute:
 *
 * Returns: (nullable): the attribute called @name (lower case)
 */
const AdHtmlAttribute *
ad_html_start_tag_get_attribute (const AdHtmlStartTag *tag,
                                 const char           *name)
{
  for (guint i = 0; i < tag->n_attributes; i++)
    if (names_equal (tag->attributes[i].name, name))
      return &tag->attributes[i];
  return NULL;
}

/* ---- attribute values ------------------------------------------------ */

/* Windows-1252's 0x80–0x9F, which numeric references there also mean. */
static const guint16 windows_1252_c1[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static char *
decode_windows_1252 (const char *value,
                     gsize       len)
{
  GString *out = g_string_sized_new (len + 8);

  for (gsize i = 0; i < len; i++)
    {
      guchar c = value[i];

      if (c < 0x80)
        g_string_append_c (out, c);
      else if (c < 0xA0)
        g_string_append_unichar (out, windows_1252_c1[c - 0x80]);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* The labels the Encoding Standard maps to windows-1252 and UTF-8 (a
 * UTF-16 label in a document read as ASCII means UTF-8 too). */
static gboolean
is_label (const char         *charset,
          const char * const *labels)
{
  for (guint i = 0; labels[i] != NULL; i++)
    if (g_ascii_strcasecmp (charset, labels[i]) == 0)
      return TRUE;
  return FALSE;
}

static const char * const windows_1252_labels[] = {
  "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
  "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
  "us-ascii", "windows-1252", "x-cp1252", NULL,
};

static const char * const utf8_labels[] = {
  "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8",
  "utf-16", "utf-16le", "utf-16be", "unicodefffe", "unicodefeff", "csunicode", "iso-10646-ucs-2",
  "ucs-2", "unicode", NULL,
};

typedef enum
{
  CHARSET_UNDECLARED,
  CHARSET_UTF8,
  CHARSET_WINDOWS_1252,
  CHARSET_OTHER,
} CharsetKind;

static CharsetKind
charset_kind (const char *charset)
{
  if (charset == NULL)
    return CHARSET_UNDECLARED;
  if (is_label (charset, utf8_labels))
    return CHARSET_UTF8;
  if (is_label (charset, windows_1252_labels))
    return CHARSET_WINDOWS_1252;
  return CHARSET_OTHER;
}

/* @value in UTF-8: converted from @charset, or kept if already UTF-8; an
 * undeclared charset is UTF-8 if the bytes are, windows-1252 otherwise
 * (the Encoding Standard's fallback). */
static char *
to_utf8 (const char  *value,
         gsize        len,
         CharsetKind  kind,
         const char  *charset)
{
  if (kind == CHARSET_WINDOWS_1252)
    return decode_windows_1252 (value, len);

  if (kind == CHARSET_OTHER)
    {
      char *converted = g_convert (value, len, "UTF-8", charset, NULL, NULL, NULL);

      if (converted != NULL)
        return converted;
      /* A charset iconv does not know: as if undeclared. */
      kind = CHARSET_UNDECLARED;
    }

  if (g_utf8_validate (value, len, NULL))
    return g_strndup (value, len);
  if (kind == CHARSET_UNDECLARED)
    return decode_windows_1252 (value, len);
  return g_utf8_make_valid (value, len);
}

static int
compare_entity (const char *name,
                gsize       len,
                guint       index)
{
  const char *entity = ad_html_entity_names + ad_html_entities[index].offset;
  gsize entity_len = ad_html_entities[index].length;
  int cmp = memcmp (name, entity, MIN (len, entity_len));

  if (cmp != 0)
    return cmp;
  return len < entity_len ? -1 : len > entity_len ? 1 : 0;
}

static int
find_entity (const char *name,
             gsize       len)
{
  guint lo = 0;
  guint hi = G_N_ELEMENTS (ad_html_entities);

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int cmp = compare_entity (name, len, mid);

      if (cmp == 0)
        return mid;
      if (cmp < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
  return -1;
}

static void
append_code_point (GString  *out,
                   gunichar  c)
{
  if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    g_string_append (out, REPLACEMENT_CHARACTER);
  else if (c >= 0x80 && c <= 0x9F)
    g_string_append_unichar (out, windows_1252_c1[c - 0x80]);
  else
    g_string_append_unichar (out, c);
}

/* A character reference at @p ('&'): appends what it means, or '&', and
 * returns the position after what it consumed. */
static const char *
decode_reference (GString    *out,
                  const char *p,
                  const char *end)
{
  const char *start = p + 1;

  if (start < end && *start == '#')
    {
      gboolean hex = start + 1 < end && (start[1] == 'x' || start[1] == 'X');
      const char *digits = start + 1 + (hex ? 1 : 0);
      const char *q = digits;
      guint32 value = 0;

      while (q < end && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)))
        {
          int d = hex ? g_ascii_xdigit_value (*q) : *q - '0';

          /* Past U+10FFFF it only matters that it is too big. */
          value = MIN (value * (hex ? 16 : 10) + d, 0x110000);
          q++;
        }
      if (q == digits)
        {
          /* No digits: "&#" or "&#x" stay as written. */
          g_string_append_c (out, '&');
          return p + 1;
        }
      if (q < end && *q == ';')
        q++;
      append_code_point (out, value);
      return q;
    }

  if (start < end && g_ascii_isalnum (*start))
    {
      const char *q = start;
      gsize max;

      while (q < end && g_ascii_isalnum (*q) && q - start < AD_HTML_ENTITY_MAX_NAME)
        q++;
      if (q < end && *q == ';' && q - start < AD_HTML_ENTITY_MAX_NAME)
        q++;
      /* The longest name in the table that the text starts with. */
      for (max = q - start; max > 0; max--)
        {
          int index = find_entity (start, max);

          if (index >= 0)
            {
              const char *after = start + max;

              /* In an attribute value, a name without ';' followed by '='
               * or an alphanumeric is not a reference (&copy=2). */
              if (start[max - 1] != ';' && after < end &&
                  (*after == '=' || g_ascii_isalnum (*after)))
                break;
              g_string_append_unichar (out, ad_html_entities[index].codepoints[0]);
              if (ad_html_entities[index].codepoints[1] != 0)
                g_string_append_unichar (out, ad_html_entities[index].codepoints[1]);
              return after;
            }
        }
    }

  g_string_append_c (out, '&');
  return p + 1;
}

/**
 * ad_html_decode_attribute:
 * @value: an attribute value as ad_html_tokenize() reports it
 * @charset: (nullable): the document's charset; %NULL for UTF-8, or
 *   windows-1252 when the bytes are not UTF-8
 *
 * Returns: (transfer full): the value in UTF-8, newlines normalised, NULs
 *   replaced and character references decoded
 */
static char *
decode_attribute (const char  *value,
                  gsize        value_len,
                  CharsetKind  kind,
                  const char  *charset)
{
  g_autoptr(GString) utf8 = NULL;
  const char *piece = value;
  const char *value_end = value + value_len;
  const char *p;
  const char *end;
  GString *out;

  /* Most values: ASCII, nothing to decode. */
  for (p = value; p < value_end; p++)
    {
      guchar c = *p;

      if (c == '&' || c == '\r' || c == '\0' || c >= 0x80)
        break;
    }
  if (p == value_end)
    return g_strndup (value, value_len);

  /* Each stretch between NULs in UTF-8, a NUL as U+FFFD. */
  utf8 = g_string_sized_new (value_len + 1);
  for (;;)
    {
      const char *nul = memchr (piece, '\0', value_end - piece);
      g_autofree char *converted = to_utf8 (piece, (nul != NULL ? nul : value_end) - piece,
                                            kind, charset);

      g_string_append (utf8, converted);
      if (nul == NULL)
        break;
      g_string_append (utf8, REPLACEMENT_CHARACTER);
      piece = nul + 1;
    }

  p = utf8->str;
  end = utf8->str + utf8->len;
  out = g_string_sized_new (utf8->len);
  while (p < end)
    {
      const char *special = strpbrk (p, "&\r");

      if (special == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, special - p);
      p = special;
      if (*p == '&')
        p = decode_reference (out, p, end);
      else
        {
          g_string_append_c (out, '\n');
          p++;
          if (p < end && *p == '\n')
            p++;
        }
    }
  return g_string_free (out, FALSE);
}

/**
 * ad_html_decode_attribute:
 * @value: an attribute value as ad_html_tokenize() reports it
 * @charset: (nullable): the document's charset; %NULL for UTF-8, or
 *   windows-1252 when the bytes are not UTF-8
 *
 * Returns: (transfer full): the value in UTF-8, newlines normalised, NULs
 *   replaced and character references decoded
 */
char *
ad_html_decode_attribute (const char *value,
                          gsize       value_len,
                          const char *charset)
{
  return decode_attribute (value, value_len, charset_kind (charset), charset);
}

/* ---- links --------------------------------------------------------------- */

typedef struct
{
  const char *element;
  const char *attribute;
  const char *value;
  gsize       value_len;
} RawHref;

typedef struct
{
  struct { RawHref *items; guint len, size; } hrefs;
  const char *base;
  gsize       base_len;
  char       *charset;
} ExtractState;

/* The Encoding Standard's "extract a character encoding from a meta
 * element", for <meta http-equiv=content-type content="…; charset=X">. */
static char *
charset_from_content (const char *content)
{
  const char *p = content;

  for (;;)
    {
      const char *found = NULL;

      for (const char *q = p; *q != '\0'; q++)
        if (g_ascii_strncasecmp (q, "charset", 7) == 0)
          {
            found = q;
            break;
          }
      if (found == NULL)
        return NULL;
      p = found + 7;
      while (is_space (*p))
        p++;
      if (*p != '=')
        continue;                       /* look for the next "charset" */
      p++;
      while (is_space (*p))
        p++;
      if (*p == '"' || *p == '\'')
        {
          const char *close = strchr (p + 1, *p);

          if (close == NULL)
            return NULL;
          return g_strndup (p + 1, close - p - 1);
        }
      {
        const char *q = p;

        while (*q != '\0' && !is_space (*q) && *q != ';')
          q++;
        return q > p ? g_strndup (p, q - p) : NULL;
      }
    }
}

static void
find_meta_charset (ExtractState *state,
                   Tokenizer    *t)
{
  gsize charset_len, http_equiv_len, content_len;
  const char *charset = find_raw_attribute (t, "charset", &charset_len);
  const char *http_equiv;
  const char *content;
  g_autofree char *value = NULL;

  if (charset != NULL)
    {
      value = ad_html_decode_attribute (charset, charset_len, NULL);
      g_strstrip (value);
      if (value[0] != '\0')
        state->charset = g_steal_pointer (&value);
      return;
    }

  http_equiv = find_raw_attribute (t, "http-equiv", &http_equiv_len);
  content = find_raw_attribute (t, "content", &content_len);
  if (http_equiv == NULL || content == NULL)
    return;
  value = ad_html_decode_attribute (http_equiv, http_equiv_len, NULL);
  if (g_ascii_strcasecmp (g_strstrip (value), "content-type") != 0)
    return;
  g_free (value);
  value = ad_html_decode_attribute (content, content_len, NULL);
  state->charset = charset_from_content (value);
}

/* A reported start tag: its attributes are read as written, with no list
 * made of them. */
static gboolean
extract_start_tag (Tokenizer *t,
                   gpointer   user_data)
{
  ExtractState *state = user_data;
  const char *name = t->name;
  const char *element = NULL;
  const char *attribute = NULL;
  const char *value;
  gsize value_len;

  switch (name[0])
    {
    case 'a':
      if (name[1] == '\0')
        element = "a";
      else if (names_equal (name, "area"))
        element = "area";
      attribute = "href";
      break;
    case 'b':
      if (names_equal (name, "base") && state->base == NULL)
        {
          value = find_raw_attribute (t, "href", &value_len);
          if (value != NULL)
            {
              state->base = value;
              state->base_len = value_len;
            }
        }
      return TRUE;
    case 'f':
      if (names_equal (name, "frame"))
        element = "frame";
      attribute = "src";
      break;
    case 'i':
      if (names_equal (name, "iframe"))
        element = "iframe";
      attribute = "src";
      break;
    case 'l':
      if (names_equal (name, "link"))
        element = "link";
      attribute = "href";
      break;
    case 'm':
      if (names_equal (name, "meta") && state->charset == NULL)
        find_meta_charset (state, t);
      return TRUE;
    default:
      return TRUE;
    }

  if (element == NULL)
    return TRUE;
  value = find_raw_attribute (t, attribute, &value_len);
  if (value != NULL)
    {
      RawHref href = { element, attribute, value, value_len };

      ARRAY_RESERVE (state->hrefs, 1);
      state->hrefs.items[state->hrefs.len++] = href;
    }
  return TRUE;
}

static void
href_free (gpointer data)
{
  AdHtmlHref *href = data;

  g_free (href->value);
  g_free (href);
}

/* The bytes that decode to something else: '&', CR, NUL, non-ASCII. */
static const guint8 href_special[256] = {
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
  /* 0x00 */ 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
  /* 0x10 */ R16 (0),
  /* 0x20 */ 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  R16 (0), R16 (0), R16 (0), R16 (0), R16 (0),
  R16 (1), R16 (1), R16 (1), R16 (1), R16 (1), R16 (1), R16 (1), R16 (1),
#undef R16
};

#define ONES G_GUINT64_CONSTANT (0x0101010101010101)

/* Whether one of the 8 bytes of @word is 0 (exact as a whole, though not
 * byte by byte). */
static inline guint64
has_zero_byte (guint64 word)
{
  return (word - ONES) & ~word & (0x80 * ONES);
}

/* The hash of a value's bytes, 8 at a time (it only sorts a page's hrefs
 * into an AdIndexSet); *@plain: whether it decodes to itself (ASCII, no
 * '&', CR or NUL), found in the same pass. */
static guint
raw_href_hash (const RawHref *raw,
               gboolean      *plain)
{
  const char *p = raw->value;
  const char *end = raw->value + raw->value_len;
  guint64 hash = raw->value_len;
  guint64 special = 0;
  guint64 tail = 0;

  for (; end - p >= 8; p += 8)
    {
      guint64 word;

      memcpy (&word, p, sizeof word);
      special |= (word & (0x80 * ONES)) | has_zero_byte (word) |
                 has_zero_byte (word ^ ('&' * ONES)) | has_zero_byte (word ^ ('\r' * ONES));
      hash = (hash ^ word) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
    }
  for (guint shift = 0; p < end; p++, shift += 8)
    {
      special |= href_special[(guchar) *p];
      tail |= (guint64) (guchar) *p << shift;
    }
  hash = (hash ^ tail) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  *plain = special == 0;
  return (guint) (hash ^ (hash >> 32));
}

static gboolean
raw_href_equal (guint         stored,
                gconstpointer key,
                gpointer      user_data)
{
  const RawHref *raw_a = (const RawHref *) user_data + stored;
  const RawHref *raw_b = key;

  return raw_a->value_len == raw_b->value_len &&
         memcmp (raw_a->value, raw_b->value, raw_a->value_len) == 0;
}

/* Tokenizes @html and collects its link targets as raw spans (each
 * distinct one once if @unique); %NULL when cancelled. */
static AdHtmlRawHrefs *
extract_raw_hrefs (GBytes        *html,
                   const char    *charset,
                   gboolean       unique,
                   GCancellable  *cancellable,
                   GError       **error)
{
  ExtractState state = { 0 };
  AdIndexSet seen = { NULL, 0 };
  AdHtmlRawHrefs *result;
  const char *data;
  gsize size;
  guint n;

  data = g_bytes_get_data (html, &size);
  /* Room for as many links as a page of that size usually has. */
  state.hrefs.size = MAX (size / 256, 16);
  state.hrefs.items = g_new (RawHref, state.hrefs.size);
  if (!tokenize (data != NULL ? data : "", size, NULL, extract_start_tag, &state, cancellable,
                 ELEMENT_LINKS))
    {
      g_free (state.hrefs.items);
      g_free (state.charset);
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    }

  result = g_new0 (AdHtmlRawHrefs, 1);
  result->hrefs = g_array_sized_new (FALSE, FALSE, sizeof (AdHtmlRawHref), state.hrefs.len);
  g_array_set_size (result->hrefs, state.hrefs.len);
  n = 0;
  result->charset = state.charset;
  result->effective_charset = g_strdup (charset != NULL && charset[0] != '\0' ? charset
                                                                                : state.charset);
  result->charset_kind = charset_kind (result->effective_charset);

  /* The array is complete: its elements stay where they are. */
  if (unique)
    ad_index_set_init (&seen, state.hrefs.len);
  for (guint i = 0; i < state.hrefs.len; i++)
    {
      const RawHref *raw = &state.hrefs.items[i];
      AdHtmlRawHref *href = &g_array_index (result->hrefs, AdHtmlRawHref, n);
      guint hash = raw_href_hash (raw, &href->plain);

      /* The same bytes decode the same way: decode them once. */
      if (unique && !ad_index_set_add (&seen, hash, raw, i, raw_href_equal,
                                       state.hrefs.items))
        continue;
      href->element = raw->element;
      href->attribute = raw->attribute;
      href->value = raw->value;
      href->value_len = raw->value_len;
      n++;
    }
  g_array_set_size (result->hrefs, n);
  if (state.base != NULL)
    result->base_href = decode_attribute (state.base, state.base_len, result->charset_kind,
                                          result->effective_charset);
  ad_index_set_clear (&seen);
  g_free (state.hrefs.items);

  return result;
}

static AdHtmlHrefs *
extract_hrefs (GBytes        *html,
               const char    *charset,
               gboolean       unique,
               GCancellable  *cancellable,
               GError       **error)
{
  AdHtmlRawHrefs *raw = extract_raw_hrefs (html, charset, unique, cancellable, error);
  AdHtmlHrefs *result;

  if (raw == NULL)
    return NULL;
  result = g_new0 (AdHtmlHrefs, 1);
  result->hrefs = g_ptr_array_new_full (raw->hrefs->len, href_free);
  result->charset = g_steal_pointer (&raw->charset);
  result->base_href = g_steal_pointer (&raw->base_href);
  for (guint i = 0; i < raw->hrefs->len; i++)
    {
      const AdHtmlRawHref *raw_href = &g_array_index (raw->hrefs, AdHtmlRawHref, i);
      AdHtmlHref *href = g_new (AdHtmlHref, 1);

      href->element = raw_href->element;
      href->attribute = raw_href->attribute;
      href->value = ad_html_raw_hrefs_decode (raw, raw_href);
      g_ptr_array_add (result->hrefs, href);
    }
  /* Freed by hand: clang's analyzer loses track of a g_autoptr of it. */
  ad_html_raw_hrefs_free (raw);

  return result;
}

/**
 * ad_html_extract_raw_hrefs:
 *
 * As ad_html_extract_unique_hrefs(), but the values stay raw spans of
 * @html (which must outlive the result), decoded on demand with
 * ad_html_raw_hrefs_decode(): a value that is plain ASCII without a
 * reference, CR or NUL (AdHtmlRawHref.plain) decodes to itself,
 * and the link extractor resolves it from the document's bytes.
 *
 * Returns: (transfer full): the hrefs, or %NULL with @error set if cancelled
 */
AdHtmlRawHrefs *
ad_html_extract_raw_hrefs (GBytes        *html,
                           const char    *charset,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (html != NULL, NULL);

  return extract_raw_hrefs (html, charset, TRUE, cancellable, error);
}

/* Returns: (transfer full): the value of @href, decoded as ad_html_extract_hrefs() does */
char *
ad_html_raw_hrefs_decode (const AdHtmlRawHrefs *hrefs,
                          const AdHtmlRawHref  *href)
{
  return decode_attribute (href->value, href->value_len, hrefs->charset_kind,
                           hrefs->effective_charset);
}

void
ad_html_raw_hrefs_free (AdHtmlRawHrefs *hrefs)
{
  if (hrefs == NULL)
    return;
  g_array_unref (hrefs->hrefs);
  g_free (hrefs->base_href);
  g_free (hrefs->charset);
  g_free (hrefs->effective_charset);
  g_free (hrefs);
}

/**
 * ad_html_extract_hrefs:
 * @html: the document's bytes
 * @charset: (nullable): the charset from the Content-Type header; %NULL
 *   lets the first <meta> that declares one say (for the whole document,
 *   as the standard's prescan does), or UTF-8 (windows-1252 for a value
 *   that is not UTF-8)
 * @cancellable: (nullable): polled while tokenizing
 *
 * The link targets of the elements ad-link-extractor.c counts: a, area
 * and link (href), frame and iframe (src); the first <base href>; the
 * charset the document declares. Values are decoded, not resolved.
 * Thread-safe and without side effects.
 *
 * Returns: (transfer full): the hrefs, or %NULL with @error set if cancelled
 */
AdHtmlHrefs *
ad_html_extract_hrefs (GBytes        *html,
                       const char    *charset,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (html != NULL, NULL);

  return extract_hrefs (html, charset, FALSE, cancellable, error);
}

/**
 * ad_html_extract_unique_hrefs:
 *
 * As ad_html_extract_hrefs(), but a value written with the same bytes as
 * an earlier one is left out (the first one's element is reported): a
 * page's navigation repeats its links, and the link extractor resolves
 * each target once.
 *
 * Returns: (transfer full): the hrefs, or %NULL with @error set if cancelled
 */
AdHtmlHrefs *
ad_html_extract_unique_hrefs (GBytes        *html,
                              const char    *charset,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (html != NULL, NULL);

  return extract_hrefs (html, charset, TRUE, cancellable, error);
}

void
ad_html_hrefs_free (AdHtmlHrefs *hrefs)
{
  if (hrefs == NULL)
    return;
  g_ptr_array_unref (hrefs->hrefs);
  g_free (hrefs->base_href);
  g_free (hrefs->charset);
  g_free (hrefs);
}
