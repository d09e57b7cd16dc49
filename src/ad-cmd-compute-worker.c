/* ad-cmd-compute-worker.c: `async-demo compute-worker`, a hidden command
 *
 * The worker process of the compute engine's process backend: it reads
 * requests on stdin and writes answers on stdout until stdin ends (the
 * protocol is described in src/core/ad-compute-worker.c). Users never run
 * it; AdComputeJob starts it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Cli"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "ad-cli-private.h"
#include "ad-core.h"

int
ad_cmd_compute_worker (int    argc,
                       char **argv)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GOutputStream) output = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  g_autoptr(GError) error = NULL;

  if (argc > 1)
    {
      g_printerr (_("async-demo compute-worker: unexpected argument “%s”\n"), argv[1]);
      return EXIT_BAD_ARGS;
    }

  if (!ad_compute_worker_serve (input, output, &error))
    {
      g_printerr ("async-demo compute-worker: %s\n", error->message);
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}
