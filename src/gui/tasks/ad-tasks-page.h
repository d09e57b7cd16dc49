/* ad-tasks-page.h: the live task tree, the timeline and the loop's latency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"
#include "ad-latency-graph.h"
#include "ad-timeline-view.h"

G_BEGIN_DECLS

#define AD_TYPE_TASKS_PAGE (ad_tasks_page_get_type ())
G_DECLARE_FINAL_TYPE (AdTasksPage, ad_tasks_page, AD, TASKS_PAGE, GtkWidget)

GtkWidget       *ad_tasks_page_new                (void);
AdTaskRegistry  *ad_tasks_page_get_registry       (AdTasksPage    *self);
void             ad_tasks_page_set_registry       (AdTasksPage    *self,
                                                   AdTaskRegistry *registry,
                                                   AdTraceRecorder *recorder);
AdTimelineView  *ad_tasks_page_get_timeline       (AdTasksPage    *self);
AdLatencyGraph  *ad_tasks_page_get_latency_graph  (AdTasksPage    *self);
GListModel      *ad_tasks_page_get_visible_tasks  (AdTasksPage    *self);
GListModel      *ad_tasks_page_get_visible_history (AdTasksPage   *self);
void             ad_tasks_page_set_filter         (AdTasksPage    *self,
                                                   const char     *text,
                                                   int             kind,
                                                   int             state);
gboolean         ad_tasks_page_select_task        (AdTasksPage    *self,
                                                   guint64         task_id);
AdTask          *ad_tasks_page_get_selected_task  (AdTasksPage    *self);
void             ad_tasks_page_refresh            (AdTasksPage    *self);
const char      *ad_tasks_page_get_counts_text    (AdTasksPage    *self);
const char      *ad_tasks_page_get_status_text    (AdTasksPage    *self);
void             ad_tasks_page_save_trace         (AdTasksPage    *self,
                                                   GFile          *file);
void             ad_tasks_page_open_trace         (AdTasksPage    *self,
                                                   GFile          *file);
void             ad_tasks_page_show_trace         (AdTasksPage    *self,
                                                   AdTrace        *trace,
                                                   const char     *title);

G_END_DECLS
