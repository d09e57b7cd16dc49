/* ad-task-list.h: a plain GListModel of AdTask, changed in batches
 *
 * The registry's live, root and history models and every task's children
 * are AdTaskLists. Only the registry changes them, on its main thread,
 * with one items-changed per contiguous run of changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AD_TYPE_TASK_LIST (ad_task_list_get_type ())
G_DECLARE_FINAL_TYPE (AdTaskList, ad_task_list, AD, TASK_LIST, GObject)

typedef gboolean (*AdTaskListPredicate) (gpointer item);

AdTaskList *ad_task_list_new          (void);
void        ad_task_list_append_many  (AdTaskList          *self,
                                       gpointer            *items,
                                       guint                n_items);
void        ad_task_list_remove_if    (AdTaskList          *self,
                                       AdTaskListPredicate  predicate);
GPtrArray  *ad_task_list_trim_head    (AdTaskList          *self,
                                       guint                max_items);
void        ad_task_list_clear        (AdTaskList          *self);
guint       ad_task_list_get_length   (AdTaskList          *self);
gpointer    ad_task_list_peek         (AdTaskList          *self,
                                       guint                position);

G_END_DECLS
