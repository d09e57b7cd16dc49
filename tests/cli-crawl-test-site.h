/* cli-crawl-test-site.h: the site test-cli-crawl.c and test-cli-crawl-visits.c crawl
 *
 * A SoupServer on 127.0.0.1, answering on this process's main loop while
 * the async-demo binary runs, that logs every path it is asked for and
 * when, the User-Agent headers it sees and how many requests it has in
 * flight. A page that never answers (/never) shows the units of --timeout
 * and --deadline; pages under /slow/ hold requests in flight.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* How long a run may take at most (times the slow factor), and a run
 * whose timing is the point. */
#define RUN_LIMIT_MS 10000
#define TIMED_LIMIT_MS 5000

/* A site served by the test process. */
typedef struct
{
  SoupServer     *server;
  GSocketService *service;   /* accepts, and hands connections to server */
  char           *uri;       /* "http://127.0.0.1:PORT/" */
  GHashTable     *pages;     /* path → HTML; any other path is a 404 */
  char           *robots;    /* the body of /robots.txt, or NULL for a 404 */
  GPtrArray      *paths;     /* every path asked for, in order */
  GArray         *times;     /* and when (monotonic µs) */
  GPtrArray      *paused;    /* the /never requests, owned */
  GHashTable     *agents;    /* User-Agent headers seen (a set) */
  GPtrArray      *slow;      /* SlowAnswer: the /slow/ pages waiting */
  guint           in_flight; /* requests between the handler and "finished" */
  guint           max_in_flight;
} TestSite;

/* A page under /slow/ answers after SLOW_MS. */
#define SLOW_MS 300

/* Requests in flight on every site of the test, and the most seen. */
extern guint all_in_flight;
extern guint all_max_in_flight;

TestSite *test_site_new   (void);
void      test_site_free  (TestSite   *site);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestSite, test_site_free)

/* Serves an HTML page at @path whose links are @hrefs (NULL-terminated). */
void      site_add_page   (TestSite   *site,
                           const char *path,
                           ...) G_GNUC_NULL_TERMINATED;
/* Forgets the requests so far. */
void      site_clear_log  (TestSite   *site);
/* Every path the site was asked for, sorted, separated by spaces ("" for
 * none): a path asked twice appears twice. */
char     *site_visited    (TestSite   *site);

/* strcmp() for g_ptr_array_sort() on an array of strings. */
int       compare_strings (gconstpointer a,
                           gconstpointer b);

G_END_DECLS
