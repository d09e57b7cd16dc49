/* ad-cli-test-utils.h: helpers shared by the command-line test suites
 *
 * The CLI suites run the freshly built async-demo binary
 * (ASYNC_DEMO_BINARY) as a user would: without a display, with
 * untranslated output, reading what it prints and how it exits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A NULL-terminated argument vector, for the functions below. */
#define AD_CLI_ARGS(...) ((const char * const []) { __VA_ARGS__, NULL })

/* The async-demo binary under test. */
const char  *ad_cli_test_binary      (void);

/* Starts the binary with @args (NULL-terminated), stdout and stderr piped,
 * no display of any kind and untranslated output. */
GSubprocess *ad_cli_test_spawn       (const char * const  *args,
                                      GError             **error);

/* Runs the binary with @args to completion, collecting its output into
 * *@out and *@err; returns its exit status. */
int          ad_cli_test_run         (const char * const  *args,
                                      char               **out,
                                      char               **err);

/* Starts the binary with @args, waits for its first line of output, which
 * must contain @first_line, then interrupts it like Ctrl+C and asserts that
 * it exits with 130. Returns the microseconds from the signal to the exit. */
gint64       ad_cli_test_interrupt   (const char * const  *args,
                                      const char          *first_line);

/* How much slower the machine is than usual: 10 under valgrind (where
 * AD_TEST_SLOW is set), 1 otherwise. Scale upper time bounds by it. */
guint        ad_cli_test_slow_factor (void);

/* Like ad_cli_test_run(), but writes @input (if not %NULL) to the binary's
 * standard input and closes it, and iterates the thread-default main
 * context until the binary has exited, so that servers of the test
 * process (a SoupServer on 127.0.0.1) answer it meanwhile. Stores the
 * microseconds from the start to the exit in *@elapsed_us if not %NULL.
 * If @limit_ms is not 0 and the binary still runs after that long (times
 * the slow factor), kills it and fails the test. */
int          ad_cli_test_run_serving (const char * const  *args,
                                      const char          *input,
                                      guint                limit_ms,
                                      char               **out,
                                      char               **err,
                                      gint64              *elapsed_us);

/* Parses @text as one JSON object on one line, kept alive by @parser. */
JsonObject  *ad_cli_test_parse_object (JsonParser         *parser,
                                       const char         *text);

/* ---- interrupting a command at a known point --------------------------
 *
 * A command is interrupted once the test knows what it is doing (it
 * printed a line, or a peer of the test received its request), never
 * after a guessed delay. Every wait below has a deadline, ten times longer
 * under valgrind (AD_TEST_SLOW). */

/* A TCP socket listening on 127.0.0.1, on a free port stored in *@port. */
GSocket     *ad_cli_test_listen            (guint16           *port);

/* Accepts one connection on @listener; fails the test when none comes. */
GSocket     *ad_cli_test_accept            (GSocket           *listener);

/* Reads from @socket until what it received contains @text; returns all
 * that was received. Fails the test on a timeout or the end of input. */
char        *ad_cli_test_receive_until     (GSocket           *socket,
                                            const char        *text);

/* Reads lines from @stream until one contains @text; returns that line.
 * Fails the test at the end of input. */
char        *ad_cli_test_read_line_with    (GDataInputStream  *stream,
                                            const char        *text);

/* Interrupts the running @proc like Ctrl+C and asserts that it exits with
 * 130 within @bound_ms. Returns the microseconds from the signal to the
 * exit. */
gint64       ad_cli_test_interrupt_running (GSubprocess       *proc,
                                            guint              bound_ms);

G_END_DECLS
