/* fuzz-replay.c: runs a fuzz target's committed inputs without libFuzzer
 *
 * Linked with one fuzz-NAME.c when the build is not a -Dfuzzing one, so the
 * default, valgrind and coverage configurations replay every seed and
 * regression input too. Usage: fuzz-replay-NAME PATH..., where a PATH is
 * a file or a directory of files (not recursive). Prints TAP, one line per
 * input; a failing input aborts in the target's own assertions, which the
 * TAP reader counts as a failure after the last "ok".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
collect (GPtrArray  *inputs,
         const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (inputs, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (inputs, g_steal_pointer (&child));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);

  for (int i = 1; i < argc; i++)
    collect (inputs, argv[i]);
  g_ptr_array_sort (inputs, compare_paths);

  if (inputs->len == 0)
    {
      /* An empty or missing corpus is a broken test, not a pass. */
      printf ("1..1\nnot ok 1 - no input found\n");
      return 1;
    }

  printf ("1..%u\n", inputs->len);
  fflush (stdout);
  for (guint i = 0; i < inputs->len; i++)
    {
      const char *path = g_ptr_array_index (inputs, i);
      g_autofree char *data = NULL;
      g_autofree char *base = g_path_get_basename (path);
      g_autoptr (GError) error = NULL;
      gsize size = 0;

      if (!g_file_get_contents (path, &data, &size, &error))
        {
          printf ("not ok %u - %s: %s\n", i + 1, base, error->message);
          return 1;
        }
      /* Like libFuzzer, hand over exactly SIZE bytes: no terminating NUL
       * the target could lean on. */
      {
        g_autofree guint8 *copy = g_memdup2 (data, size);

        LLVMFuzzerTestOneInput (copy, size);
      }
      printf ("ok %u - %s (%" G_GSIZE_FORMAT " bytes)\n", i + 1, base, size);
      fflush (stdout);
    }
  return 0;
}
