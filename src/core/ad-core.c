/* ad-core.c: process-wide set-up shared by the GUI, the command line and the tests
 *
 * Init only, as libdex's dex-init.c: it calls down into the layers (base,
 * tasks) and nothing in the core calls up into it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ad-core.h"
#include "ad-debug.h"
#include "ad-loop-monitor.h"
#include "ad-sysprof.h"
#include "ad-task-registry.h"
#include "ad-thread.h"

/* Under Sysprof, stalls over a frame's budget are marks. */
#define SYSPROF_STALL_THRESHOLD_MS 16

static void
sysprof_stall_cb (AdLoopMonitor *monitor,
                  gint64         duration_us,
                  const char    *culprit,
                  gpointer       user_data)
{
  ad_sysprof_mark_stall (g_get_monotonic_time (), duration_us, culprit);
}

/* A loop monitor of its own, so that debug mode, the Tasks page and the
 * Compute page start and stop theirs as before; it runs for the process's
 * lifetime. */
static void
watch_stalls_for_sysprof (void)
{
  static AdLoopMonitor *monitor;

  monitor = ad_loop_monitor_new (NULL);
  ad_loop_monitor_set_stall_threshold (monitor, SYSPROF_STALL_THRESHOLD_MS);
  g_signal_connect (monitor, "stall", G_CALLBACK (sysprof_stall_cb), NULL);
  ad_loop_monitor_start (monitor);
}

/**
 * ad_core_init:
 *
 * Called once from `main()` (or a test's `main()`) on the thread that runs
 * the default main loop. It binds the translation domain and remembers the
 * main thread so that log records can name it. Under Sysprof
 * (SYSPROF_TRACE_FD set) it writes the tasks and the main loop's stalls as
 * marks (ad-sysprof.c).
 */
void
ad_core_init (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      ad_thread_init_main ();
      bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      ad_debug_init_from_env ();
      /* The default registry belongs to this thread and its loop. */
      ad_task_registry_get_default ();
      if (ad_sysprof_start_from_env (ad_task_registry_get_default ()))
        watch_stalls_for_sysprof ();
      g_once_init_leave (&initialized, 1);
    }
}
