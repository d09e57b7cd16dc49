/* tsan-canary.c: a deliberate data race, built only in the ThreadSanitizer
 * configuration. The gate is only worth something if it can fail: the
 * `tsan-catches-races` test runs this and passes only when TSan reports the
 * race below (through GThreads, as our own code would race).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

static int shared_counter;

static gpointer
canary_racy_increment (gpointer data)
{
  for (int i = 0; i < 100000; i++)
    shared_counter++;   /* unsynchronised read-modify-write: the race */

  return NULL;
}

int
main (void)
{
  GThread *a = g_thread_new ("canary-a", canary_racy_increment, NULL);
  GThread *b = g_thread_new ("canary-b", canary_racy_increment, NULL);

  g_thread_join (a);
  g_thread_join (b);

  return shared_counter > 0 ? 0 : 1;
}
