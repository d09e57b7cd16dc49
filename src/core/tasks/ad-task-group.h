/* ad-task-group.h: structured concurrency (asyncio.TaskGroup, a nursery)
 *
 * A group runs child operations (any _async/_finish pair, see ad-async.h)
 * and finishes only when all of them have finished:
 *
 *     group = ad_task_group_new ("crawl");
 *     for (i = 0; i < n; i++)
 *       ad_task_group_add (group, name[i], AD_TASK_KIND_IO,
 *                          fetch_start, fetch_finish, url[i], NULL);
 *     ad_task_group_wait_async (group, cancellable, crawl_done_cb, self);
 *
 *  - Results: ad_task_group_get_child_value() by index, in the order the
 *    children were added (gather), and the "child-finished" signal as each
 *    finishes (as_completed).
 *  - The first child that fails cancels its siblings; the group then
 *    finishes with that error. Later failures are counted
 *    (#AdTaskGroup:n-failed) and kept per child, not lost. A child that
 *    finishes with %G_IO_ERROR_CANCELLED is not a failure.
 *  - An optional timeout cancels the children and the group finishes with
 *    %G_IO_ERROR_TIMED_OUT; ad_task_group_cancel(), cancelling the wait's
 *    cancellable or cancelling the group's task by id cancels every child
 *    (nested groups included) and it finishes with %G_IO_ERROR_CANCELLED.
 *  - The group and its children are tasks in the registry: the group of
 *    kind %AD_TASK_KIND_GROUP, its children under it. While a start
 *    function runs, ad_task_get_current() is the child's task, so nested
 *    groups made with ad_task_group_new() nest in the tree too.
 *
 * A group belongs to the thread (and thread-default main context) that
 * created it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-async.h"
#include "ad-task-registry.h"

G_BEGIN_DECLS

#define AD_TYPE_TASK_GROUP (ad_task_group_get_type ())
G_DECLARE_FINAL_TYPE (AdTaskGroup, ad_task_group, AD, TASK_GROUP, GObject)

AdTaskGroup  *ad_task_group_new             (const char          *name);
AdTaskGroup  *ad_task_group_new_full        (AdTaskRegistry      *registry,
                                             const char          *name,
                                             AdTask              *parent);
guint         ad_task_group_add             (AdTaskGroup         *self,
                                             const char          *name,
                                             AdTaskKind           kind,
                                             AdAsyncStartFunc     start,
                                             AdAsyncFinishFunc    finish,
                                             gpointer             user_data,
                                             GDestroyNotify       destroy);
guint         ad_task_group_add_group       (AdTaskGroup         *self,
                                             AdTaskGroup         *child);
void          ad_task_group_set_timeout     (AdTaskGroup         *self,
                                             guint                timeout_ms);
void          ad_task_group_cancel          (AdTaskGroup         *self);
void          ad_task_group_wait_async      (AdTaskGroup         *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean      ad_task_group_wait_finish     (AdTaskGroup         *self,
                                             GAsyncResult        *result,
                                             GError             **error);

AdTask       *ad_task_group_get_task        (AdTaskGroup         *self);
gboolean      ad_task_group_is_finished     (AdTaskGroup         *self);
guint         ad_task_group_get_n_children  (AdTaskGroup         *self);
guint         ad_task_group_get_n_running   (AdTaskGroup         *self);
guint         ad_task_group_get_n_failed    (AdTaskGroup         *self);
AdTask       *ad_task_group_get_child_task  (AdTaskGroup         *self,
                                             guint                index);
const GValue *ad_task_group_get_child_value (AdTaskGroup         *self,
                                             guint                index);
const GError *ad_task_group_get_child_error (AdTaskGroup         *self,
                                             guint                index);

G_END_DECLS
