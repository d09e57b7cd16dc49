/* ad-compute-page-private.h: the Compute page's parts, shared by its files
 *
 * ad-compute-page.c is the page (controls, runs, results);
 * ad-compute-page-save.c saves the last Mandelbrot image as PNG.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-compute-page.h"
#include "ad-speedup-run.h"

G_BEGIN_DECLS

typedef enum
{
  MODE_IDLE,
  MODE_SINGLE,
  MODE_SPEEDUP,
} Mode;

struct _AdComputePage
{
  GtkWidget              parent_instance;

  Mode                   mode;
  GCancellable          *cancellable;   /* the current run's or sequence's */
  AdComputeJob          *job;           /* the job running now */
  AdComputeParams        params;        /* of the current run */
  AdComputeResult       *result;        /* the last single run's */
  AdLoopMonitor         *monitor;
  guint                  tick_id;
  gint64                 started;
  int                    last_worker;   /* from chunk-done, for the next tile-done */
  char                  *worker_binary;
  guint                  image_width;   /* 0: follow the view's size */
  guint                  image_height;

  AdSpeedupRun          *speedup_run;   /* the Speed-up measurement running now */
  guint                  table_rows;

  GtkFileChooserNative  *chooser;
  GCancellable          *save_cancellable;

  GtkLabel              *explanation_label;
  GtkWidget             *params_grid;
  GtkDropDown           *workload_choice;
  GtkWidget             *n_label;
  GtkSpinButton         *n_spin;
  GtkWidget             *iter_label;
  GtkSpinButton         *iter_spin;
  GtkSpinButton         *workers_spin;
  GtkAdjustment         *workers_adjustment;
  GtkToggleButton       *threads_toggle;
  GtkToggleButton       *processes_toggle;
  GtkCheckButton        *tint_check;
  GtkProgressBar        *progress_bar;
  GtkLabel              *elapsed_label;
  GtkLabel              *stall_label;
  GtkLabel              *result_label;
  GtkLabel              *detail_label;
  GtkStack              *view_stack;
  AdMandelbrotView      *mandelbrot_view;
  AdSpeedupChart        *speedup_chart;
  GtkGrid               *speedup_table;
};


/* ad-compute-page-a11y.c */
char *ad_compute_page_describe_view           (AdComputePage *self);
void  ad_compute_page_update_view_description (AdComputePage *self);

/* ad-compute-page-save.c */
void ad_compute_page_save_image_action (GtkWidget     *widget,
                                        const char    *action_name,
                                        GVariant      *parameter);
void ad_compute_page_save_dispose      (AdComputePage *self);

G_END_DECLS
