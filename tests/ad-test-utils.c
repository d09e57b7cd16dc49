/* ad-test-utils.c: helpers shared by the test suites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-test-utils.h"

/* gcc says __SANITIZE_ADDRESS__, clang 14 only __has_feature() */
#if defined(__SANITIZE_ADDRESS__)
# define AD_TEST_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define AD_TEST_ASAN 1
# endif
#endif

#ifdef AD_TEST_ASAN
#include <stdio.h>
#include <sanitizer/allocator_interface.h>
#include <sanitizer/lsan_interface.h>
#endif

static gboolean
timeout_cb (gpointer data)
{
  gboolean *flag = data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* A timer on @context that sets *@flag after @msec. */
static GSource *
flag_timeout_new (GMainContext *context,
                  guint         msec,
                  gboolean     *flag,
                  const char   *name)
{
  GSource *source = g_timeout_source_new (msec);

  g_source_set_name (source, name);
  g_source_set_callback (source, timeout_cb, flag, NULL);
  g_source_attach (source, context);

  return source;
}

void
ad_test_wait_for_impl (const gboolean *flag,
                       guint           timeout_ms,
                       const char     *expr,
                       const char     *file,
                       int             line)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean timed_out = FALSE;
  GSource *source = flag_timeout_new (context, timeout_ms, &timed_out, "[tests] wait-for timeout");

  while (!*flag && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (source);
  g_source_unref (source);

  if (!*flag)
    {
      g_autofree char *msg = g_strdup_printf ("%s:%d: timed out after %u ms waiting for %s",
                                              file, line, timeout_ms, expr);
      g_assertion_message (G_LOG_DOMAIN, file, line, G_STRFUNC, msg);
    }
}

gint64
ad_test_slow_factor (void)
{
  return g_getenv ("AD_TEST_SLOW") != NULL ? 10 : 1;
}

void
ad_test_spin (guint msec)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean done = FALSE;
  GSource *source = flag_timeout_new (context, msec, &done, "[tests] spin");

  while (!done)
    g_main_context_iteration (context, TRUE);

  g_source_unref (source);
}

void
ad_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
result_ready (GAsyncResult **slot)
{
  return *slot != NULL;
}

GAsyncResult *
ad_test_wait_result (GAsyncResult **slot,
                     guint          timeout_ms)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  while (!result_ready (slot))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %u ms waiting for an async result", timeout_ms);
      g_main_context_iteration (context, FALSE);
      if (!result_ready (slot))
        g_usleep (500);
    }

  return *slot;
}

/* GLib keeps its quark strings in an array of blocks of 2048 pointers and,
 * for lock-free readers, never frees the old array when it grows: the
 * first block, allocated in GLib's library constructor, becomes
 * unreachable once a process has more than 2048 quarks, which a GTK
 * program with a few pages reaches from type, property and signal names
 * alone. valgrind's suppression for it (tests/sanitizers/valgrind.supp)
 * matches the constructor's stack. LeakSanitizer cannot: Debian's GLib has
 * no frame pointers, so the fast unwinder stops at g_malloc() and a
 * suppression would have to match every g_malloc() leak. So while the
 * block is still in use, find it and tell LeakSanitizer to ignore exactly
 * that object: GLib's writable data holds a pointer to a heap block of
 * 2048 pointers whose entries are the quark strings. Checked through the
 * allocator's own interface, so nothing unknown is dereferenced. */
void
ad_test_keep_glib_quark_block (void)
{
#ifdef AD_TEST_ASAN
  const gsize block_size = 2048 * sizeof (char *);
  const char *first = g_quark_to_string (1);
  const char *second = g_quark_to_string (2);
  FILE *maps = fopen ("/proc/self/maps", "re");
  char line[512];
  gboolean found = FALSE;

  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_nonnull (maps);
  while (!found && fgets (line, sizeof line, maps) != NULL)
    {
      guintptr start, end;
      char perms[5];

      if (strstr (line, "libglib-2.0.so") == NULL ||
          sscanf (line, "%" G_GINTPTR_MODIFIER "x-%" G_GINTPTR_MODIFIER "x %4s",
                  &start, &end, perms) != 3 ||
          perms[1] != 'w')
        continue;

      for (gpointer *slot = (gpointer *) start; (guintptr) (slot + 1) <= end && !found; slot++)
        {
          char **block = *slot;

          if (block == NULL || !__sanitizer_get_ownership (block) ||
              __sanitizer_get_allocated_size (block) != block_size)
            continue;
          if (block[1] == first && block[2] == second)
            {
              __lsan_ignore_object (block);
              found = TRUE;
            }
        }
    }
  fclose (maps);
  g_assert_true (found);
#endif
}
