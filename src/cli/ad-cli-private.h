/* ad-cli-private.h: what the command implementations share
 *
 * Each command lives in its own ad-cmd-NAME.c and is listed in the table
 * in ad-cli.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ad-crawler.h"
#include "ad-log-entry.h"

G_BEGIN_DECLS

#define EXIT_BAD_ARGS  2
#define EXIT_CANCELLED 130

/* Shared state of one command run on a GMainLoop. */
typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;  /* cancelled by SIGINT and SIGTERM */
  gboolean      json;
  gboolean      interrupted;
  int           status;
  guint         sigint_id;    /* the signal watches, from init to clear */
  guint         sigterm_id;
} CliRun;

void     ad_cli_run_init        (CliRun         *run);
void     ad_cli_run_loop        (CliRun         *run);
void     ad_cli_run_clear       (CliRun         *run);
gboolean ad_cli_parse_options   (GOptionEntry   *entries,
                                 const char     *parameter_string,
                                 const char     *summary,
                                 int            *argc,
                                 char         ***argv);
void     ad_cli_print_entry     (AdLogEntry     *entry,
                                 gboolean        json);
/* Prints the object @builder has built as one line of JSON (--json). */
void     ad_cli_print_json      (JsonBuilder    *builder);
/* An "items-changed" handler for an AdLogModel; user_data is the CliRun. */
void     ad_cli_print_log_items (GListModel     *model,
                                 guint           position,
                                 guint           removed,
                                 guint           added,
                                 gpointer        user_data);

/* Shared by `crawl` and `fetch` (ad-cmd-crawl.c). */
AdCrawler *ad_cli_crawler_new   (const char          *command,
                                 int                  concurrency,
                                 int                  per_host,
                                 double               timeout_s);
gboolean ad_cli_check_url       (const char          *command,
                                 const char          *url);
int      ad_cli_run_crawler     (const char          *command,
                                 AdCrawler           *crawler,
                                 const char          *start_url,
                                 const char * const  *urls,
                                 gboolean             json,
                                 gboolean             stats);

/* The commands */
int      ad_cmd_basics          (int argc, char **argv);
int      ad_cmd_chat            (int argc, char **argv);
int      ad_cmd_chat_server     (int argc, char **argv);
int      ad_cmd_compute         (int argc, char **argv);
int      ad_cmd_compute_speedup (int argc, char **argv);
int      ad_cmd_compute_worker  (int argc, char **argv);
int      ad_cmd_crawl           (int argc, char **argv);
int      ad_cmd_fetch           (int argc, char **argv);
int      ad_cmd_hello           (int argc, char **argv);
int      ad_cmd_trace           (int argc, char **argv);

G_END_DECLS
