/* ad-robots.c: robots.txt rules (RFC 9309), parsed from bytes
 *
 * A pure parser: bytes and a user agent in, an immutable rule set out. No
 * I/O and no global state, so it is safe on any thread and easy to fuzz.
 * The crawler fetches robots.txt once per host and asks the rule set about
 * each URL before fetching it.
 *
 * Groups start with one or more User-agent lines; the group whose token
 * equals our product token (case-insensitively; "async-demo" for
 * "async-demo/0.1") applies, otherwise the "*" group, otherwise nothing is
 * forbidden. Several groups for the same agent are merged. Among the Allow
 * and Disallow rules that match a path, the longest pattern wins and Allow
 * wins a tie. Patterns match from the start of the path (with its query);
 * '*' matches any run of characters and a final '$' anchors the end. An
 * empty Disallow forbids nothing. Crawl-delay (seconds, fractions allowed)
 * is read from the group that applies. Unknown lines are ignored, and so is
 * anything past AD_ROBOTS_MAX_SIZE. "/robots.txt" itself is always allowed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Crawler"

#include "config.h"

#include <string.h>

#include "ad-robots.h"

typedef struct
{
  char     *pattern;
  gsize     length;   /* its specificity: the longest match wins */
  gboolean  allow;
} Rule;

struct _AdRobots
{
  gatomicrefcount  ref_count;
  GArray          *rules;        /* of Rule, for the group that applies */
  double           crawl_delay;  /* seconds; 0 for none */
  gboolean         disallow_all;
};

G_DEFINE_BOXED_TYPE (AdRobots, ad_robots, ad_robots_ref, ad_robots_unref)

static void
rule_clear (Rule *rule)
{
  g_free (rule->pattern);
}

static AdRobots *
ad_robots_new (void)
{
  AdRobots *robots = g_new0 (AdRobots, 1);

  g_atomic_ref_count_init (&robots->ref_count);
  robots->rules = g_array_new (FALSE, TRUE, sizeof (Rule));
  g_array_set_clear_func (robots->rules, (GDestroyNotify) rule_clear);

  return robots;
}

AdRobots *
ad_robots_ref (AdRobots *robots)
{
  g_return_val_if_fail (robots != NULL, NULL);

  g_atomic_ref_count_inc (&robots->ref_count);
  return robots;
}

void
ad_robots_unref (AdRobots *robots)
{
  g_return_if_fail (robots != NULL);

  if (g_atomic_ref_count_dec (&robots->ref_count))
    {
      g_array_unref (robots->rules);
      g_free (robots);
    }
}

/**
 * ad_robots_new_allow_all:
 *
 * Returns: (transfer full): the rules of a host without robots.txt (RFC
 *   9309: a 4xx answer means no restriction)
 */
AdRobots *
ad_robots_new_allow_all (void)
{
  return ad_robots_new ();
}

/**
 * ad_robots_new_disallow_all:
 *
 * Returns: (transfer full): the rules of a host whose robots.txt could not
 *   be read (RFC 9309: a 5xx answer or no answer means complete disallow)
 */
AdRobots *
ad_robots_new_disallow_all (void)
{
  AdRobots *robots = ad_robots_new ();

  robots->disallow_all = TRUE;
  return robots;
}

/* The product token of a User-Agent string: "async-demo/0.1 (…)" → "async-demo". */
static char *
product_token (const char *user_agent)
{
  gsize len = strcspn (user_agent, "/ \t");

  return g_ascii_strdown (user_agent, len);
}

typedef enum
{
  KEY_OTHER,
  KEY_USER_AGENT,
  KEY_ALLOW,
  KEY_DISALLOW,
  KEY_CRAWL_DELAY,
} Key;

static Key
parse_key (const char *key,
           gsize       length)
{
  static const struct { const char *name; Key key; } keys[] = {
    { "user-agent", KEY_USER_AGENT },
    { "allow", KEY_ALLOW },
    { "disallow", KEY_DISALLOW },
    { "crawl-delay", KEY_CRAWL_DELAY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (length == strlen (keys[i].name) && g_ascii_strncasecmp (key, keys[i].name, length) == 0)
        return keys[i].key;
    }

  return KEY_OTHER;
}

typedef struct
{
  GArray   *rules;          /* rules of groups that name us */
  GArray   *star_rules;     /* rules of "*" groups */
  double    delay;
  double    star_delay;
  gboolean  named;          /* a group named us */
  gboolean  star;           /* a "*" group exists */
  /* the group being read */
  gboolean  in_agents;      /* reading its User-agent lines */
  gboolean  for_us;
  gboolean  for_star;
} ParseState;

static void
add_rule (GArray     *rules,
          const char *value,
          gsize       length,
          gboolean    allow)
{
  Rule *rule;

  /* Filled in place: the array owns the pattern (its clear function). */
  g_array_set_size (rules, rules->len + 1);
  rule = &g_array_index (rules, Rule, rules->len - 1);
  rule->pattern = g_strndup (value, length);
  rule->length = length;
  rule->allow = allow;
}

static void
parse_line (ParseState *state,
            const char *token,
            const char *line,
            gsize       length)
{
  const char *colon = memchr (line, ':', length);
  const char *key_end, *value, *value_end;
  Key key;

  if (colon == NULL)
    return;

  key_end = colon;
  while (key_end > line && g_ascii_isspace (key_end[-1]))
    key_end--;
  value = colon + 1;
  value_end = line + length;
  while (value < value_end && g_ascii_isspace (*value))
    value++;
  while (value_end > value && g_ascii_isspace (value_end[-1]))
    value_end--;

  key = parse_key (line, key_end - line);
  if (key == KEY_OTHER)
    return;

  if (key == KEY_USER_AGENT)
    {
      g_autofree char *agent = NULL;
      gsize agent_len = value_end - value;
      gsize span = 0;

      if (!state->in_agents)
        {
          /* A User-agent line after rules starts a new group. */
          state->in_agents = TRUE;
          state->for_us = FALSE;
          state->for_star = FALSE;
        }

      /* The product token ends at '/', a blank or the end of the line; the
       * buffer is not NUL-terminated, so no strcspn() here (found by
       * fuzz-robots: it read past the end). */
      while (span < agent_len && value[span] != '/' && value[span] != ' ' && value[span] != '\t')
        span++;
      agent = g_ascii_strdown (value, span);
      if (g_str_equal (agent, "*"))
        state->for_star = state->star = TRUE;
      else if (agent[0] != '\0' && g_str_equal (agent, token))
        state->for_us = state->named = TRUE;
      return;
    }

  /* Rules outside any group are ignored. */
  state->in_agents = FALSE;
  if (!state->for_us && !state->for_star)
    return;

  if (key == KEY_CRAWL_DELAY)
    {
      g_autofree char *text = g_strndup (value, value_end - value);
      char *end = NULL;
      double delay = g_ascii_strtod (text, &end);

      if (end == text || !(delay >= 0) || delay > 3600)
        return;
      if (state->for_us)
        state->delay = delay;
      if (state->for_star)
        state->star_delay = delay;
      return;
    }

  /* An empty Disallow forbids nothing; an empty Allow allows nothing more. */
  if (value == value_end)
    return;

  if (state->for_us)
    add_rule (state->rules, value, value_end - value, key == KEY_ALLOW);
  if (state->for_star)
    add_rule (state->star_rules, value, value_end - value, key == KEY_ALLOW);
}

/**
 * ad_robots_parse:
 * @data: (array length=length): the contents of a robots.txt file
 * @length: the size of @data in bytes
 * @user_agent: our User-Agent string; its product token selects the group
 *
 * Returns: (transfer full): the rules that apply to @user_agent
 */
AdRobots *
ad_robots_parse (const char *data,
                 gsize       length,
                 const char *user_agent)
{
  g_autofree char *token = NULL;
  ParseState state = { 0 };
  AdRobots *robots;
  const char *p, *end;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (user_agent != NULL, NULL);

  token = product_token (user_agent);
  state.rules = g_array_new (FALSE, TRUE, sizeof (Rule));
  state.star_rules = g_array_new (FALSE, TRUE, sizeof (Rule));
  g_array_set_clear_func (state.rules, (GDestroyNotify) rule_clear);
  g_array_set_clear_func (state.star_rules, (GDestroyNotify) rule_clear);

  length = MIN (length, AD_ROBOTS_MAX_SIZE);
  p = data;
  end = data + length;
  /* A UTF-8 byte order mark. */
  if (length >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  while (p < end)
    {
      const char *eol = p;
      const char *hash;
      gsize line_len;

      while (eol < end && *eol != '\n' && *eol != '\r')
        eol++;
      line_len = eol - p;
      hash = memchr (p, '#', line_len);
      if (hash != NULL)
        line_len = hash - p;
      if (memchr (p, '\0', line_len) == NULL)
        parse_line (&state, token, p, line_len);

      p = eol;
      while (p < end && (*p == '\n' || *p == '\r'))
        p++;
    }

  robots = ad_robots_new ();
  if (state.named)
    {
      g_array_unref (robots->rules);
      robots->rules = g_steal_pointer (&state.rules);
      robots->crawl_delay = state.delay;
    }
  else if (state.star)
    {
      g_array_unref (robots->rules);
      robots->rules = g_steal_pointer (&state.star_rules);
      robots->crawl_delay = state.star_delay;
    }

  g_clear_pointer (&state.rules, g_array_unref);
  g_clear_pointer (&state.star_rules, g_array_unref);

  return robots;
}

/* Does @pattern match a prefix of @path ('*' any run, final '$' the end)?
 * Backtracks to the last '*' only, so it is linear in practice and never
 * worse than length(pattern) × length(path). */
static gboolean
pattern_matches (const char *pattern,
                 const char *path)
{
  const char *p = pattern;
  const char *s = path;
  const char *star_p = NULL;
  const char *star_s = NULL;

  for (;;)
    {
      if (*p == '\0')
        return TRUE;
      if (*p == '$' && p[1] == '\0')
        {
          if (*s == '\0')
            return TRUE;
        }
      else if (*p == '*')
        {
          while (*p == '*')
            p++;
          star_p = p;
          star_s = s;
          continue;
        }
      else if (*s != '\0' && *p == *s)
        {
          p++;
          s++;
          continue;
        }

      /* Mismatch: let the last '*' swallow one more character. */
      if (star_p == NULL || *star_s == '\0')
        return FALSE;
      p = star_p;
      s = ++star_s;
    }
}

/**
 * ad_robots_is_allowed:
 * @path: the path and query of a URL ("/a/b?c"), as it appears in the URL
 *
 * Returns: whether the rules allow fetching @path
 */
gboolean
ad_robots_is_allowed (AdRobots   *robots,
                      const char *path)
{
  const Rule *best = NULL;

  g_return_val_if_fail (robots != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_str_equal (path, "/robots.txt"))
    return TRUE;
  if (robots->disallow_all)
    return FALSE;

  for (guint i = 0; i < robots->rules->len; i++)
    {
      const Rule *rule = &g_array_index (robots->rules, Rule, i);

      if (best != NULL && (rule->length < best->length ||
                           (rule->length == best->length && best->allow)))
        continue;
      if (pattern_matches (rule->pattern, path))
        best = rule;
    }

  return best == NULL || best->allow;
}

/**
 * ad_robots_get_crawl_delay:
 *
 * Returns: the Crawl-delay that applies, in seconds, or 0
 */
double
ad_robots_get_crawl_delay (AdRobots *robots)
{
  g_return_val_if_fail (robots != NULL, 0);

  return robots->crawl_delay;
}

/**
 * ad_robots_get_n_rules:
 *
 * Returns: how many Allow and Disallow rules apply
 */
guint
ad_robots_get_n_rules (AdRobots *robots)
{
  g_return_val_if_fail (robots != NULL, 0);

  return robots->rules->len;
}
