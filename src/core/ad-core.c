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
#include "ad-task-registry.h"
#include "ad-thread.h"

/**
 * ad_core_init:
 *
 * Called once from `main()` (or a test's `main()`) on the thread that runs
 * the default main loop. It binds the translation domain and remembers the
 * main thread so that log records can name it.
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
      g_once_init_leave (&initialized, 1);
    }
}
