/* ad-tasks-page-private.h: what the Tasks page's files share
 *
 * ad-tasks-page.c is the page (models, filters, selection, timeline
 * controls); ad-tasks-page-tick.c keeps it live while it shows (refresh,
 * trace pull, loop monitor); ad-tasks-page-files.c saves and opens traces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-list-ramp.h"
#include "ad-tasks-page.h"

G_BEGIN_DECLS

struct _AdTasksPage
{
  GtkWidget          parent_instance;

  AdTaskRegistry    *registry;
  AdTraceRecorder   *recorder;
  AdTrace           *trace;          /* the live one */
  gboolean           showing_import;

  GListStore        *tree_source;     /* the registry's roots while the tree shows, or nothing */
  GtkSortListModel  *history_sorted;
  GtkTreeListModel  *tree_model;
  GtkCustomFilter   *tree_filter;
  GtkFilterListModel *tree_filtered;
  AdListRamp        *tree_ramp;      /* rows made a few a frame: ad-list-ramp.c */
  AdListRamp        *history_ramp;
  GtkSingleSelection *tree_selection;
  GtkCustomFilter   *history_filter;
  GtkFilterListModel *history_filtered;
  GtkSingleSelection *history_selection;

  char              *filter_text;
  int                filter_kind;     /* -1: any */
  int                filter_state;    /* -1: any */

  guint              refresh_id;
  guint              refresh_ms;     /* TICK_MS, or IDLE_TICK_MS while quiet */
  gulong             live_changed_id;
  guint              pull_id;
  guint              quiet_pulls;    /* pulls in a row that found nothing */
  gboolean           monitoring;
  GBinding          *threshold_binding;
  GCancellable      *cancellable;     /* file operations */
  GtkFileChooserNative *chooser;
  char              *counts_text;
  guint64            select_when_filtered;  /* a task id, or 0 */
  guint              select_when_filtered_id;
  guint64            rate_n_created;
  gint64             rate_since;

  /* Template */
  GtkSearchEntry    *search_entry;
  GtkDropDown       *kind_dropdown;
  GtkDropDown       *state_dropdown;
  GtkLabel          *counts_label;
  GtkStack          *list_stack;
  GtkColumnView     *tree_view;
  GtkWidget         *empty_label;   /* an AdwStatusPage */
  GtkColumnView     *history_view;
  GtkFlowBox        *legend_box;
  GtkLabel          *status_label;
  GtkToggleButton   *pause_button;
  AdTimelineView    *timeline;
  GtkAdjustment     *threshold_adjustment;
  AdLatencyGraph    *latency_graph;
};

/* ad-tasks-page.c */
void ad_tasks_page_refilter          (AdTasksPage *self);
void ad_tasks_page_selection_changed (AdTasksPage *self);

/* ad-tasks-page-tick.c */
void ad_tasks_page_start_ticking     (AdTasksPage *self);
void ad_tasks_page_stop_ticking      (AdTasksPage *self);
/* Tests: the refresh's current interval in ms (0: not ticking) */
guint ad_tasks_page_get_refresh_interval (AdTasksPage *self);

/* ad-tasks-page-files.c */
void ad_tasks_page_export_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter);
void ad_tasks_page_import_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter);

G_END_DECLS
