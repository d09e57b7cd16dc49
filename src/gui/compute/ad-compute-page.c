/* ad-compute-page.c: the Compute page: CPU-bound work on every core while
 * the window stays responsive
 *
 * The controls build an immutable AdComputeParams and run one AdComputeJob
 * (src/core/compute/ad-compute-job.c) on N threads or N worker processes. The page
 * only listens: the job's coalesced "progress" drives the progress bar,
 * every "tile-done" paints a tile of the AdMandelbrotView as it completes,
 * and the run's callback brings the AdComputeResult. Nothing on the main
 * thread computes, so while the workers keep every core busy the page's
 * own AdLoopMonitor (on the main context, started for the run) measures
 * how late the main loop ever ran, and the page shows it.
 *
 * The Speed-up measurement is an AdSpeedup (src/core/compute/ad-speedup.c,
 * shared with `async-demo compute speedup`): a warm-up that scales the
 * workload, then interleaved rounds of 1 … N threads and N processes. While
 * it measures, the page keeps the main thread quiet: no tiles reach the
 * Mandelbrot view, the progress bar moves with the 100 ms clock, and the
 * table and the AdSpeedupChart are filled once, from the medians, when it
 * is done.
 *
 * Lifetimes. The page owns one GCancellable per run (or sequence), one
 * elapsed-time timer and one loop monitor, all stopped in dispose. Every
 * callback follows ad-weak-ref.h: it holds only a weak reference to the
 * page (a strong one would keep a closed window's page alive, undisposed,
 * and its run going) and checks that its job or run is still the page's
 * current one: a job that was replaced (zoom restarts the render) or whose
 * page is gone finishes silently, and its signals were disconnected when
 * it was dropped, so no widget is touched after dispose.
 *
 * Saving the image lives in ad-compute-page-save.c; the struct both files
 * use is in ad-compute-page-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ad-a11y.h"
#include "ad-compute-page-private.h"
#include "ad-weak-ref.h"

#define TICK_MS          100
#define DEFAULT_WIDTH    640
#define DEFAULT_HEIGHT   480
#define MAX_IMAGE_SIZE   2048

G_DEFINE_FINAL_TYPE (AdComputePage, ad_compute_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void page_start_job (AdComputePage    *self,
                            AdComputeBackend  backend,
                            guint             n_workers);

static AdComputeWorkload
page_get_workload (AdComputePage *self)
{
  return (AdComputeWorkload) gtk_drop_down_get_selected (self->workload_choice);
}

static char *
config_describe (AdComputeBackend backend,
                 guint            n)
{
  if (backend == AD_COMPUTE_BACKEND_THREADS)
    return g_strdup_printf (g_dngettext (NULL, "%u thread", "%u threads", n), n);

  return g_strdup_printf (g_dngettext (NULL, "%u process", "%u processes", n), n);
}

static char *
format_seconds (gint64 usec)
{
  /* TRANSLATORS: a duration in seconds */
  return g_strdup_printf (_("%.2f s"), usec / 1e6);
}

static void
page_update_ui (AdComputePage *self)
{
  gboolean running = self->mode != MODE_IDLE;
  AdComputeWorkload workload = page_get_workload (self);
  gboolean mandelbrot = workload == AD_COMPUTE_WORKLOAD_MANDELBROT;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compute.run", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compute.speedup", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compute.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compute.save-image",
                                 self->result != NULL
                                 && ad_compute_result_get_workload (self->result)
                                    == AD_COMPUTE_WORKLOAD_MANDELBROT);
  gtk_widget_set_sensitive (self->params_grid, !running);
  /* A zoom restarts a single render; it would upset a measurement. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->mandelbrot_view), self->mode != MODE_SPEEDUP);

  gtk_widget_set_visible (self->n_label, !mandelbrot);
  gtk_widget_set_visible (GTK_WIDGET (self->n_spin), !mandelbrot);
  gtk_widget_set_visible (self->iter_label, mandelbrot);
  gtk_widget_set_visible (GTK_WIDGET (self->iter_spin), mandelbrot);
  gtk_widget_set_visible (GTK_WIDGET (self->tint_check), mandelbrot);
  ad_compute_page_update_view_description (self);

  switch (workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
      gtk_label_set_text (self->explanation_label,
                          _("Adds up i² for every i below n. The numbers are cut into chunks "
                            "that the workers take one after the other; the partial sums are "
                            "combined exactly, in 128 bits."));
      break;
    case AD_COMPUTE_WORKLOAD_PRIMES:
      gtk_label_set_text (self->explanation_label,
                          _("Counts the prime numbers up to n with a segmented sieve: each "
                            "chunk sieves its own range."));
      break;
    case AD_COMPUTE_WORKLOAD_MANDELBROT:
    default:
      gtk_label_set_text (self->explanation_label,
                          _("Renders the Mandelbrot set in 64 × 64 tiles. Each tile is painted "
                            "the moment a worker finishes it, in whatever order they complete. "
                            "Zoom with the mouse wheel or + and −, drag or use the arrow keys to "
                            "move, double-click to centre."));
      break;
    }
}

static void
page_set_mode (AdComputePage *self,
               Mode           mode)
{
  gboolean was_running = self->mode != MODE_IDLE;

  self->mode = mode;
  page_update_ui (self);
  if (was_running != (mode != MODE_IDLE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* The measurement's progress, shown with the clock (every 100 ms) rather
 * than on every job's progress: the main thread paints as little as it
 * can while the workers are timed. */
static void
page_show_speedup_progress (AdComputePage *self)
{
  AdSpeedup *speedup = self->speedup;
  g_autofree char *text = NULL;

  if (ad_speedup_get_phase (speedup) == AD_SPEEDUP_PHASE_MEASURING)
    {
      AdSpeedupRow row = { 0 };
      AdComputeJob *job = ad_speedup_get_job (speedup);
      g_autofree char *config = NULL;

      if (job != NULL)
        {
          row.backend = ad_compute_job_get_backend (job);
          row.n_workers = ad_compute_job_get_n_workers (job);
        }
      else
        row.n_workers = 1;
      config = ad_speedup_row_dup_label (&row);
      /* TRANSLATORS: progress of a speed-up measurement: "Round 2 of 3: 2 threads" */
      text = g_strdup_printf (_("Round %u of %u: %s"), ad_speedup_get_round (speedup) + 1,
                              ad_speedup_get_rounds (speedup), config);
    }
  else
    text = g_strdup (_("Warming up and scaling the workload…"));

  gtk_progress_bar_set_fraction (self->progress_bar, ad_speedup_get_progress (speedup));
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
page_update_clock (AdComputePage *self)
{
  g_autofree char *elapsed = format_seconds (g_get_monotonic_time () - self->started);
  g_autofree char *elapsed_text = NULL;
  g_autofree char *stall_text = NULL;
  gint64 stall = ad_loop_monitor_get_max_latency (self->monitor);

  elapsed_text = g_strdup_printf (_("Elapsed: %s"), elapsed);
  gtk_label_set_text (self->elapsed_label, elapsed_text);
  stall_text = g_strdup_printf (_("Longest main-loop stall: %d ms"),
                                (int) ((stall + 500) / 1000));
  gtk_label_set_text (self->stall_label, stall_text);
  if (self->mode == MODE_SPEEDUP && self->speedup != NULL)
    page_show_speedup_progress (self);
}

static gboolean
page_tick_cb (gpointer user_data)
{
  page_update_clock (AD_COMPUTE_PAGE (user_data));

  return G_SOURCE_CONTINUE;
}

/* Drops the current job; its callback will find it is no longer current. */
static void
page_drop_job (AdComputePage *self)
{
  if (self->job == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
}

/* Drops the current Speed-up measurement, likewise. */
static void
page_drop_speedup (AdComputePage *self)
{
  g_clear_object (&self->speedup);
}

static void
page_stop_clock (AdComputePage *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (ad_loop_monitor_get_running (self->monitor))
    ad_loop_monitor_stop (self->monitor);
}

static void
page_end_run (AdComputePage *self,
              const GError  *error)
{
  page_drop_job (self);
  page_drop_speedup (self);
  page_update_clock (self);
  page_stop_clock (self);
  g_clear_object (&self->cancellable);

  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "error");
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_progress_bar_set_text (self->progress_bar, _("Cancelled"));
    }
  else if (error != NULL)
    {
      gtk_progress_bar_set_text (self->progress_bar, _("Failed"));
      gtk_label_set_text (self->result_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "error");
      gtk_label_set_text (self->detail_label, "");
    }
  else
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
      gtk_progress_bar_set_text (self->progress_bar, _("Done"));
    }

  page_set_mode (self, MODE_IDLE);
}

static void
page_show_result (AdComputePage   *self,
                  AdComputeResult *result)
{
  const AdComputeParams *params = ad_compute_result_get_params (result);
  g_autofree char *value = ad_compute_result_to_string (result);
  g_autofree char *config = config_describe (ad_compute_result_get_backend (result),
                                             ad_compute_result_get_n_workers (result));
  g_autofree char *seconds = format_seconds (ad_compute_result_get_elapsed (result));
  g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, params->n);
  g_autofree char *detail = NULL;

  switch (params->workload)
    {
    case AD_COMPUTE_WORKLOAD_SUM_SQUARES:
      gtk_label_set_text (self->result_label, value);
      /* TRANSLATORS: under the sum; the arguments are n, "2 threads" and "0.12 s" */
      detail = g_strdup_printf (_("Σ i² for 0 ≤ i < %s, on %s in %s"), n, config, seconds);
      break;
    case AD_COMPUTE_WORKLOAD_PRIMES:
      gtk_label_set_text (self->result_label, value);
      /* TRANSLATORS: under the count; the arguments are n, "2 threads" and "0.12 s" */
      detail = g_strdup_printf (_("Primes up to %s, on %s in %s"), n, config, seconds);
      break;
    case AD_COMPUTE_WORKLOAD_MANDELBROT:
    default:
      {
        /* TRANSLATORS: the image's width and height in pixels */
        g_autofree char *size = g_strdup_printf (_("%u × %u pixels"), params->width,
                                                 params->height);

        gtk_label_set_text (self->result_label, size);
        /* TRANSLATORS: the arguments are a checksum, "2 threads" and "0.12 s" */
        detail = g_strdup_printf (_("Checksum %s, on %s in %s"), value, config, seconds);
      }
      break;
    }
  gtk_label_set_text (self->detail_label, detail);
}

/* ---- the Speed-up table ------------------------------------------------ */

#define N_COLUMNS 5

static void
table_add_row (AdComputePage *self,
               const char    *cells[N_COLUMNS],
               gboolean       heading)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkWidget *label = gtk_label_new (cells[i]);

      gtk_label_set_xalign (GTK_LABEL (label), i == 0 ? 0 : 1);
      gtk_widget_add_css_class (label, heading ? "heading" : "numeric");
      gtk_grid_attach (self->speedup_table, label, (int) i, (int) self->table_rows, 1, 1);
    }
  self->table_rows++;
}

static void
table_clear (AdComputePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->speedup_table))) != NULL)
    gtk_grid_remove (self->speedup_table, child);
  self->table_rows = 0;
}

static void
table_add_heading (AdComputePage *self)
{
  const char *header[N_COLUMNS] = {
    _("Configuration"),
    /* TRANSLATORS: the median of a configuration's wall times */
    _("Time (median)"),
    /* TRANSLATORS: the fastest and slowest of a configuration's wall times */
    _("Range"),
    _("Speed-up"),
    _("Efficiency"),
  };

  table_add_row (self, header, TRUE);
}

/* The table, the chart and the note from a finished measurement. */
static void
page_show_speedup (AdComputePage *self,
                   AdSpeedup     *speedup)
{
  guint n = ad_speedup_get_n_rows (speedup);
  g_autoptr(GString) note = g_string_new (NULL);
  g_autofree char *workload = ad_speedup_describe_workload (speedup);
  g_autofree char *rounds = NULL;
  gboolean explained[AD_SPEEDUP_VERDICT_SUPERLINEAR + 1] = { FALSE, };
  const AdSpeedupRow *best = NULL;

  table_clear (self);
  table_add_heading (self);
  for (guint i = 0; i < n; i++)
    {
      const AdSpeedupRow *row = ad_speedup_get_row (speedup, i);
      g_autofree char *label = ad_speedup_row_dup_label (row);
      g_autofree char *median = format_seconds (row->median);
      /* TRANSLATORS: the fastest and slowest of a configuration's times, in seconds */
      g_autofree char *range = g_strdup_printf (_("%.2f–%.2f s"), row->min / 1e6,
                                                row->max / 1e6);
      g_autofree char *speedup_text = ad_speedup_row_format_speedup (row);
      g_autofree char *efficiency = ad_speedup_row_format_efficiency (row);

      table_add_row (self,
                     (const char *[]) { label, median, range, speedup_text, efficiency },
                     FALSE);
      if (best == NULL || row->speedup > best->speedup)
        best = row;
      if (row->verdict != AD_SPEEDUP_VERDICT_OK && !explained[row->verdict])
        {
          explained[row->verdict] = TRUE;
          g_string_append_c (note, ' ');
          g_string_append (note, ad_speedup_verdict_explain (row->verdict));
        }
    }
  rounds = ad_speedup_describe_method (speedup);
  g_string_prepend (note, rounds);
  g_string_prepend_c (note, ' ');
  g_string_prepend (note, workload);
  gtk_label_set_text (self->speedup_note, note->str);

  ad_speedup_chart_set_rows (self->speedup_chart, ad_speedup_get_rows (speedup, NULL), n);

  {
    g_autofree char *value = best != NULL ? ad_speedup_row_format_speedup (best) : g_strdup ("–");
    /* TRANSLATORS: the best median speed-up of a measurement, "1.96×" */
    g_autofree char *text = g_strdup_printf (_("Best speed-up: %s"), value);

    gtk_label_set_text (self->result_label, text);
    gtk_label_set_text (self->detail_label, "");
  }
}

/* ---- running ----------------------------------------------------------- */

static void
job_done_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(AdComputePage) self = ad_weak_ref_steal (user_data);
  AdComputeJob *job = AD_COMPUTE_JOB (source);
  g_autoptr(AdComputeResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = ad_compute_job_run_finish (job, res, &error);

  /* The page is gone, or this job was replaced by a newer render: say
   * nothing. The current job's cancellation still ends the run. */
  if (self == NULL || job != self->job)
    return;

  if (result != NULL)
    {
      g_set_object (&self->result, result);
      page_show_result (self, result);
    }
  page_end_run (self, error);
}

static void
speedup_done_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(AdComputePage) self = ad_weak_ref_steal (user_data);
  AdSpeedup *speedup = AD_SPEEDUP (source);
  g_autoptr(GError) error = NULL;
  gboolean done;

  done = ad_speedup_run_finish (speedup, res, &error);
  /* The page is gone, or a newer run replaced this one. */
  if (self == NULL || speedup != self->speedup)
    return;

  if (done)
    page_show_speedup (self, speedup);
  page_end_run (self, error);
}

static void
job_progress_cb (AdComputeJob  *job,
                 GParamSpec    *pspec,
                 AdComputePage *self)
{
  double fraction = ad_compute_job_get_progress (job);
  g_autofree char *text = NULL;

  /* TRANSLATORS: progress of a run, in chunks */
  text = g_strdup_printf (_("%u of %u chunks"), ad_compute_job_get_chunks_done (job),
                          ad_compute_job_get_n_chunks (job));

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
job_chunk_done_cb (AdComputeJob  *job,
                   guint          index,
                   guint          worker,
                   AdComputePage *self)
{
  /* Emitted just before the chunk's tile-done. */
  self->last_worker = (int) worker;
}

static void
job_tile_done_cb (AdComputeJob  *job,
                  guint          x,
                  guint          y,
                  guint          width,
                  guint          height,
                  GBytes        *pixels,
                  AdComputePage *self)
{
  ad_mandelbrot_view_add_tile (self->mandelbrot_view, x, y, width, height, pixels,
                               self->last_worker);
  self->last_worker = -1;
}

static void
page_collect_params (AdComputePage *self)
{
  AdComputeWorkload workload = page_get_workload (self);
  AdComputeParams *params = &self->params;

  ad_compute_params_init_defaults (params, workload);
  params->n = (guint64) gtk_spin_button_get_value (self->n_spin);
  params->max_iter = (guint) gtk_spin_button_get_value_as_int (self->iter_spin);
  ad_mandelbrot_view_get_viewport (self->mandelbrot_view, &params->center_x, &params->center_y,
                                   &params->scale);

  if (self->image_width > 0)
    {
      params->width = self->image_width;
      params->height = self->image_height;
    }
  else
    {
      int w = gtk_widget_get_width (GTK_WIDGET (self->mandelbrot_view));
      int h = gtk_widget_get_height (GTK_WIDGET (self->mandelbrot_view));

      params->width = w >= 64 ? (guint) MIN (w, MAX_IMAGE_SIZE) : DEFAULT_WIDTH;
      params->height = h >= 64 ? (guint) MIN (h, MAX_IMAGE_SIZE) : DEFAULT_HEIGHT;
    }
}

/* Shows @job's progress and tiles as the page's current job. */
static void
page_follow_job (AdComputePage *self,
                 AdComputeJob  *job)
{
  page_drop_job (self);
  if (job == NULL)
    return;

  self->job = g_object_ref (job);
  g_signal_connect (self->job, "notify::progress", G_CALLBACK (job_progress_cb), self);
  g_signal_connect (self->job, "chunk-done", G_CALLBACK (job_chunk_done_cb), self);
  g_signal_connect (self->job, "tile-done", G_CALLBACK (job_tile_done_cb), self);
  self->last_worker = -1;

  if (self->params.workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    ad_mandelbrot_view_begin (self->mandelbrot_view, self->params.width, self->params.height);

  job_progress_cb (self->job, NULL, self);
}

static void
page_start_job (AdComputePage    *self,
                AdComputeBackend  backend,
                guint             n_workers)
{
  g_autoptr(AdComputeJob) job = NULL;

  g_assert (self->job == NULL);

  job = ad_compute_job_new (&self->params, backend, n_workers);
  if (self->worker_binary != NULL)
    ad_compute_job_set_worker_binary (job, self->worker_binary);
  page_follow_job (self, job);
  /* A weak reference: a run must not keep its page alive, or closing the
   * window would not dispose the page, and dispose is what cancels the run. */
  ad_compute_job_run_async (job, self->cancellable, job_done_cb, ad_weak_ref_new (self));
}

/* Starts the clock, the loop monitor and a fresh cancellable. */
static void
page_begin_run (AdComputePage *self,
                Mode           mode)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  page_drop_job (self);
  page_drop_speedup (self);

  self->cancellable = g_cancellable_new ();
  self->started = g_get_monotonic_time ();

  ad_loop_monitor_reset (self->monitor);
  if (!ad_loop_monitor_get_running (self->monitor))
    ad_loop_monitor_start (self->monitor);
  if (self->tick_id == 0)
    self->tick_id = ad_timeout_add_named (G_PRIORITY_DEFAULT, TICK_MS,
                                          "[async-demo] compute page clock",
                                          page_tick_cb, self, NULL);

  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "error");
  gtk_label_set_text (self->result_label, "—");
  gtk_label_set_text (self->detail_label, "");
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  page_collect_params (self);
  page_set_mode (self, mode);
  page_update_clock (self);
}

static AdComputeBackend
page_get_backend (AdComputePage *self)
{
  return gtk_toggle_button_get_active (self->processes_toggle) ? AD_COMPUTE_BACKEND_PROCESSES
                                                               : AD_COMPUTE_BACKEND_THREADS;
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  AdComputePage *self = AD_COMPUTE_PAGE (widget);

  if (self->mode != MODE_IDLE)
    return;

  page_begin_run (self, MODE_SINGLE);
  if (self->params.workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    gtk_stack_set_visible_child_name (self->view_stack, "image");
  page_start_job (self, page_get_backend (self),
                  (guint) gtk_spin_button_get_value_as_int (self->workers_spin));
}

static void
speedup_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AdComputePage *self = AD_COMPUTE_PAGE (widget);

  if (self->mode != MODE_IDLE)
    return;

  ad_speedup_chart_set_rows (self->speedup_chart, NULL, 0);
  table_clear (self);
  table_add_heading (self);
  gtk_label_set_text (self->speedup_note, "");
  gtk_stack_set_visible_child_name (self->view_stack, "speedup");

  page_begin_run (self, MODE_SPEEDUP);
  /* No job is followed: no tiles reach the Mandelbrot view while the
   * workers are timed, and the progress moves with the clock. */
  self->speedup = ad_speedup_new (&self->params, ad_compute_max_workers (),
                                  self->worker_binary);
  ad_speedup_set_min_seconds (self->speedup, self->speedup_min_seconds);
  ad_speedup_run_async (self->speedup, self->cancellable, speedup_done_cb,
                        ad_weak_ref_new (self));
  page_show_speedup_progress (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AdComputePage *self = AD_COMPUTE_PAGE (widget);

  /* The run reports "cancelled" through its callback once every worker stopped. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Zoom or pan: cancel the render and start the next at once. */
static void
viewport_changed_cb (AdComputePage *self)
{
  AdComputeBackend backend;
  guint n_workers;

  /* A measurement must not be disturbed; a sum keeps running. */
  if (self->mode == MODE_SPEEDUP
      || (self->mode == MODE_SINGLE && self->params.workload != AD_COMPUTE_WORKLOAD_MANDELBROT))
    return;

  if (self->mode == MODE_IDLE)
    {
      if (page_get_workload (self) != AD_COMPUTE_WORKLOAD_MANDELBROT)
        ad_compute_page_set_workload (self, AD_COMPUTE_WORKLOAD_MANDELBROT);
      gtk_widget_activate_action (GTK_WIDGET (self), "compute.run", NULL);
      return;
    }

  backend = ad_compute_job_get_backend (self->job);
  n_workers = ad_compute_job_get_n_workers (self->job);
  page_begin_run (self, MODE_SINGLE);
  page_start_job (self, backend, n_workers);
}

/* ---- GObject ----------------------------------------------------------- */

static void
ad_compute_page_dispose (GObject *object)
{
  AdComputePage *self = AD_COMPUTE_PAGE (object);
  GtkWidget *child;

  /* Stop everything this page started; the jobs' callbacks find no job. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  page_drop_job (self);
  page_drop_speedup (self);
  if (self->monitor != NULL)
    page_stop_clock (self);
  ad_compute_page_save_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_COMPUTE_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ad_compute_page_parent_class)->dispose (object);
}

static void
ad_compute_page_finalize (GObject *object)
{
  AdComputePage *self = AD_COMPUTE_PAGE (object);

  g_clear_object (&self->monitor);
  g_clear_object (&self->result);
  g_free (self->worker_binary);

  G_OBJECT_CLASS (ad_compute_page_parent_class)->finalize (object);
}

static void
ad_compute_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AdComputePage *self = AD_COMPUTE_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, ad_compute_page_get_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Folded (a phone), from the controls to the image and chart and back. */
static void
ad_compute_page_show_next (GtkWidget *button)
{
  GtkWidget *leaflet = gtk_widget_get_ancestor (button, ADW_TYPE_LEAFLET);

  adw_leaflet_navigate (ADW_LEAFLET (leaflet), ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
ad_compute_page_show_previous (GtkWidget *button)
{
  GtkWidget *leaflet = gtk_widget_get_ancestor (button, ADW_TYPE_LEAFLET);

  adw_leaflet_navigate (ADW_LEAFLET (leaflet), ADW_NAVIGATION_DIRECTION_BACK);
}

static void
ad_compute_page_class_init (AdComputePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ad_compute_page_dispose;
  object_class->finalize = ad_compute_page_finalize;
  object_class->get_property = ad_compute_page_get_property;

  /**
   * AdComputePage:running:
   *
   * Whether a run or a Speed-up sequence is in progress.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AD_TYPE_MANDELBROT_VIEW);
  g_type_ensure (AD_TYPE_SPEEDUP_CHART);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ad-compute-page.ui");
  gtk_widget_class_bind_template_callback (widget_class, ad_compute_page_show_next);
  gtk_widget_class_bind_template_callback (widget_class, ad_compute_page_show_previous);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, params_grid);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, workload_choice);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, n_label);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, n_spin);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, iter_label);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, iter_spin);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, workers_spin);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, workers_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, threads_toggle);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, processes_toggle);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, tint_check);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, stall_label);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, result_label);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, mandelbrot_view);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, speedup_chart);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, speedup_table);
  gtk_widget_class_bind_template_child (widget_class, AdComputePage, speedup_note);

  gtk_widget_class_install_action (widget_class, "compute.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "compute.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "compute.speedup", NULL, speedup_action);
  gtk_widget_class_install_action (widget_class, "compute.save-image", NULL,
                                   ad_compute_page_save_image_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "compute.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "compute.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ad_compute_page_init (AdComputePage *self)
{
  self->monitor = ad_loop_monitor_new (NULL);
  self->last_worker = -1;
  self->speedup_min_seconds = AD_SPEEDUP_DEFAULT_MIN_SECONDS;

  gtk_widget_init_template (GTK_WIDGET (self));
  ad_a11y_fix_names (GTK_WIDGET (self));

  gtk_adjustment_set_upper (self->workers_adjustment, ad_compute_max_workers ());
  gtk_adjustment_set_value (self->workers_adjustment, ad_compute_max_workers ());
  gtk_drop_down_set_selected (self->workload_choice, AD_COMPUTE_WORKLOAD_MANDELBROT);
  gtk_label_set_text (self->result_label, "—");

  g_object_bind_property (self->tint_check, "active", self->mandelbrot_view, "show-workers",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->workload_choice, "notify::selected",
                            G_CALLBACK (page_update_ui), self);
  g_signal_connect_swapped (self->mandelbrot_view, "viewport-changed",
                            G_CALLBACK (viewport_changed_cb), self);
  g_signal_connect_swapped (self->mandelbrot_view, "notify::n-tiles",
                            G_CALLBACK (ad_compute_page_update_view_description), self);

  page_update_ui (self);
}

AdMandelbrotView *
ad_compute_page_get_mandelbrot_view (AdComputePage *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_PAGE (self), NULL);

  return self->mandelbrot_view;
}

AdSpeedupChart *
ad_compute_page_get_speedup_chart (AdComputePage *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_PAGE (self), NULL);

  return self->speedup_chart;
}

gboolean
ad_compute_page_get_running (AdComputePage *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_PAGE (self), FALSE);

  return self->mode != MODE_IDLE;
}

/**
 * ad_compute_page_get_result:
 *
 * Returns: (transfer none) (nullable): the last single run's result
 */
AdComputeResult *
ad_compute_page_get_result (AdComputePage *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_PAGE (self), NULL);

  return self->result;
}

/**
 * ad_compute_page_get_result_text:
 *
 * Returns: the result as the page shows it
 */
const char *
ad_compute_page_get_result_text (AdComputePage *self)
{
  g_return_val_if_fail (AD_IS_COMPUTE_PAGE (self), NULL);

  return gtk_label_get_text (self->result_label);
}

void
ad_compute_page_set_workload (AdComputePage     *self,
                              AdComputeWorkload  workload)
{
  g_return_if_fail (AD_IS_COMPUTE_PAGE (self));

  gtk_drop_down_set_selected (self->workload_choice, workload);
}

void
ad_compute_page_set_n (AdComputePage *self,
                       guint64        n)
{
  g_return_if_fail (AD_IS_COMPUTE_PAGE (self));

  gtk_spin_button_set_value (self->n_spin, (double) n);
}

void
ad_compute_page_set_max_iter (AdComputePage *self,
                              guint          max_iter)
{
  g_return_if_fail (AD_IS_COMPUTE_PAGE (self));

  gtk_spin_button_set_value (self->iter_spin, max_iter);
}

void
ad_compute_page_set_workers (AdComputePage    *self,
                             AdComputeBackend  backend,
                             guint             n_workers)
{
  g_return_if_fail (AD_IS_COMPUTE_PAGE (self));

  gtk_toggle_button_set_active (backend == AD_COMPUTE_BACKEND_PROCESSES
                                ? self->processes_toggle : self->threads_toggle, TRUE);
  gtk_spin_button_set_value (self->workers_spin, n_workers);
}

/**
 * ad_compute_page_set_image_size:
 *
 * Renders Mandelbrot images of this size; 0 × 0 (the default) follows the
 * view's size on screen.
 */
void
ad_compute_page_set_image_size (AdComputePage *self,
                                guint          width,
                                guint          height)
{
  g_return_if_fail (AD_IS_COMPUTE_PAGE (self));
  g_return_if_fail ((width == 0) == (height == 0));

  self->image_width = width;
  self->image_height = height;
}

/**
 * ad_compute_page_set_worker_binary:
 * @path: (nullable): the `async-demo` binary to start as worker processes;
 *   %NULL for the running program (the app itself)
 */
void
ad_compute_page_set_worker_binary (AdComputePage *self,
                                   const char    *path)
{
  g_return_if_fail (AD_IS_COMPUTE_PAGE (self));

  g_free (self->worker_binary);
  self->worker_binary = g_strdup (path);
}

/**
 * ad_compute_page_set_speedup_min_seconds:
 * @seconds: how long one thread must run the workload in a speed-up
 *   measurement (AD_SPEEDUP_DEFAULT_MIN_SECONDS; tests use less)
 */
void
ad_compute_page_set_speedup_min_seconds (AdComputePage *self,
                                         double         seconds)
{
  g_return_if_fail (AD_IS_COMPUTE_PAGE (self));
  g_return_if_fail (seconds >= 0);

  self->speedup_min_seconds = seconds;
}
