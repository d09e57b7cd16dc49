/* crawler-test-fixture.h: what test-crawler.c and test-crawler-limits.c share
 *
 * Runs a crawl or a fetch to its end on this thread's main loop, and the
 * tests' main loop, which lets the parsing pool's threads exit before the
 * program does. Header-only (static inline): each test program is one
 * file in tests/meson.build.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-core.h"
#include "ad-test-utils.h"

typedef struct
{
  GAsyncResult *result;
  gboolean      done;
} Wait;

static inline void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

/* Runs a crawl (@start_url) or a fetch (@urls) to the end. The loop blocks
 * between events (ad_test_wait_for), so a fast crawl runs at full speed. */
static inline gboolean
run_crawler (AdCrawler           *crawler,
             const char          *start_url,
             const char * const  *urls,
             GCancellable        *cancellable,
             GError             **error)
{
  Wait wait = { NULL, FALSE };
  gboolean ok;

  if (start_url != NULL)
    ad_crawler_crawl_async (crawler, start_url, cancellable, wait_cb, &wait);
  else
    ad_crawler_fetch_async (crawler, urls, cancellable, wait_cb, &wait);
  /* Generous: under valgrind the 10,000-page crawl takes minutes. */
  ad_test_wait_for (wait.done, 600000);

  if (start_url != NULL)
    ok = ad_crawler_crawl_finish (crawler, wait.result, error);
  else
    ok = ad_crawler_fetch_finish (crawler, wait.result, error);
  g_object_unref (wait.result);
  return ok;
}

/* Runs the tests registered; returns g_test_run()'s status. */
static inline int
crawler_test_run (void)
{
  int ret;

  ret = g_test_run ();

  /* The parsing pool's threads linger for a while after their last task.
   * Let them exit before LeakSanitizer stops the world at exit: its tracer
   * crashes now and then on a thread that exits while it is suspended. */
  g_thread_pool_set_max_unused_threads (0);
  g_usleep (G_USEC_PER_SEC * 6 / 10);
  g_thread_pool_stop_unused_threads ();

  return ret;
}
