/* ad-cmd-compute-worker.c: `async-demo compute-worker`, a hidden command
 *
 * The worker process of the compute engine's process backend: it reads
 * requests on stdin and writes answers on stdout until stdin ends (the
 * protocol is described in src/core/compute/ad-compute-worker.c). Users never run
 * it; AdComputeJob starts it.
 *
 * A worker ignores SIGINT: Ctrl+C in a terminal signals the whole
 * foreground process group, workers included, and it is the parent's job
 * to stop them (it kills them when the run is cancelled; a worker whose
 * parent died sees the end of its stdin and exits).
 *
 * The protocol gets a private copy of stdout, and stdout itself becomes
 * stderr: GLib prints debug and info messages on stdout (with
 * G_MESSAGES_DEBUG set, GIO's own among them), and a stray line in the
 * protocol would be taken for an answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Cli"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <unistd.h>

#include "ad-cli-private.h"
#include "ad-core.h"

int
ad_cmd_compute_worker (int    argc,
                       char **argv)
{
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  int protocol_fd;

  if (argc > 1)
    {
      g_printerr (_("async-demo compute-worker: unexpected argument “%s”\n"), argv[1]);
      return EXIT_BAD_ARGS;
    }

  signal (SIGINT, SIG_IGN);
  /* Below the app that started it, as its worker threads are. */
  ad_thread_lower_priority (AD_THREAD_WORKER_NICE);

  protocol_fd = fcntl (STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (protocol_fd < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    {
      g_printerr ("async-demo compute-worker: %s\n", g_strerror (errno));
      return EXIT_FAILURE;
    }

  input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  output = g_unix_output_stream_new (protocol_fd, TRUE);

  if (!ad_compute_worker_serve (input, output, &error))
    {
      g_printerr ("async-demo compute-worker: %s\n", error->message);
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}
