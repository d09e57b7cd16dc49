/* ad-sysprof.h: the app's tasks and the loop's stalls as Sysprof marks
 *
 * Under Sysprof (`sysprof-cli --use-trace-fd -- async-demo`), the
 * environment variable SYSPROF_TRACE_FD names a file descriptor to which
 * the process may write a capture of its own; Sysprof merges it into the
 * recording. ad_sysprof_start_from_env() opens it (libsysprof-capture-4)
 * and listens to a task registry: each task becomes a mark from its start
 * (or creation) to its finish, named after the task, in the group
 * "async-demo tasks". ad_sysprof_mark_stall() adds a main-loop stall
 * (from an AdLoopMonitor's "stall") named after its culprit, in the
 * group "async-demo stalls". So a slow callback shows beside GTK's frame
 * timings and the worker threads' CPU samples.
 *
 * Without SYSPROF_TRACE_FD, or in a build without libsysprof-capture-4
 * (HAVE_SYSPROF 0), nothing starts and every call costs one atomic read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-task-registry.h"

G_BEGIN_DECLS

#define AD_SYSPROF_TASKS_GROUP  "async-demo tasks"
#define AD_SYSPROF_STALLS_GROUP "async-demo stalls"

gboolean ad_sysprof_start_from_env (AdTaskRegistry *registry);
gboolean ad_sysprof_start_for_fd   (int             fd,
                                    AdTaskRegistry *registry);
gboolean ad_sysprof_is_active      (void);
void     ad_sysprof_mark           (gint64          begin_us,
                                    gint64          duration_us,
                                    const char     *group,
                                    const char     *name,
                                    const char     *message);
void     ad_sysprof_mark_stall     (gint64          end_us,
                                    gint64          duration_us,
                                    const char     *culprit);
void     ad_sysprof_flush          (void);
void     ad_sysprof_stop           (void);

G_END_DECLS
