/* ad-compute-backend-processes.c: a compute job's chunks in worker processes
 *
 * N worker processes (`async-demo compute-worker`, the app's own binary
 * found through /proc/self/exe) speak the line protocol described in
 * ad-compute-worker.c. Each worker takes the next chunk when it answers
 * the previous one; all pipe I/O is asynchronous on the main loop, so the
 * app never blocks on a worker. A worker that dies (crash, SIGKILL, OOM)
 * ends its stdout; its exit status, read by g_subprocess_wait_async(),
 * becomes the run's error ("killed by signal 9") and the others are
 * stopped. Cancelling kills every worker with g_subprocess_force_exit()
 * and the backend is stopped once all have been reaped. SIGPIPE is ignored
 * process-wide when the first worker starts, so that writing to a worker
 * that just died fails with EPIPE instead of killing the app.
 *
 * A worker lowers its own scheduling priority as it starts (nice +
 * AD_THREAD_WORKER_NICE, in ad-cmd-compute-worker.c), as the worker
 * threads do: the app's main thread keeps a core for its frames.
 *
 * Each worker is a process task under the run's, and the chunks it
 * computes are tasks under it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Compute"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>

#include "ad-compute-backend-private.h"
#include "ad-compute-worker.h"

typedef struct _AdComputeProcesses AdComputeProcesses;

/* One worker process, owned by the backend; freed with it. */
typedef struct
{
  AdComputeProcesses *backend;
  AdComputeJob     *job;        /* unowned: every pending call holds a job reference */
  guint             id;
  char             *pid;        /* the process id, kept after the process is reaped */
  GSubprocess      *process;
  GDataInputStream *input;      /* the worker's stdout */
  GOutputStream    *output;     /* the worker's stdin */
  char             *request;
  int               chunk;      /* the chunk it computes, or -1 */
  AdTask           *task;       /* the process's task */
  AdTask           *chunk_task; /* the task of the chunk it computes */
  guint8           *tile;
  gsize             tile_len;
  gboolean          writing;    /* a write or the close is pending */
  gboolean          exited;
} Worker;

struct _AdComputeProcesses
{
  AdComputeBackendImpl   parent;

  const AdComputeParams *params;
  guint                  n_chunks;
  GCancellable          *cancellable;  /* the job's */
  GPtrArray             *workers;
  guint                  next_chunk;
  guint                  n_alive;
  guint                  n_ops;        /* pending calls on the workers' pipes and processes */
};

static void
worker_free (Worker *worker)
{
  g_clear_object (&worker->task);
  g_clear_object (&worker->chunk_task);
  g_clear_object (&worker->process);
  g_clear_object (&worker->input);
  g_clear_object (&worker->output);
  g_free (worker->pid);
  g_free (worker->request);
  g_free (worker->tile);
  g_free (worker);
}

static void worker_dispatch (Worker *worker);

/* Every pending operation on a worker's pipes or process holds a job
 * reference and counts in n_ops: the backend is stopped only when all of
 * them have called back, so nothing of the run is left in flight. */
#define WORKER_CALLBACK(name)                                   \
  static void                                                   \
  name##_cb (GObject      *source,                              \
             GAsyncResult *result,                              \
             gpointer      user_data)                           \
  {                                                             \
    Worker *worker = user_data;                                 \
    g_autoptr(AdComputeJob) job = worker->job;                  \
                                                                \
    worker->backend->n_ops--;                                   \
    name##_handle (worker, source, result);                     \
    ad_compute_job_check_done (job);                            \
  }

static void
processes_op_begin (AdComputeProcesses *self)
{
  g_object_ref (self->parent.job);
  self->n_ops++;
}

/* The chunk the worker computed has come back: store it, ask for the next. */
static void
worker_chunk_back (Worker               *worker,
                   AdComputeChunkOutput *output)
{
  worker->chunk = -1;
  ad_task_finish (worker->chunk_task, NULL);
  output->task = g_steal_pointer (&worker->chunk_task);
  ad_compute_job_take_chunk (worker->job, output);
  ad_compute_job_notify_progress (worker->job);
  worker_dispatch (worker);
  ad_compute_job_check_done (worker->job);
}

static void worker_read_failed (Worker *worker,
                                GError *error);

static void
worker_protocol_error (Worker     *worker,
                       const char *what)
{
  ad_compute_job_report_failure (worker->job,
                                 g_error_new (AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_PROTOCOL,
                                              _("Worker process %s sent an unexpected reply: %s"),
                                              worker->pid, what));
}

static void
worker_tile_handle (Worker       *worker,
                    GObject      *source,
                    GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  AdComputeChunkOutput *output;
  gsize n_read = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &n_read, &error)
      || n_read < worker->tile_len)
    {
      worker_read_failed (worker, error);
      return;
    }
  if (!ad_compute_job_get_running (worker->job))
    return;

  output = g_new0 (AdComputeChunkOutput, 1);
  output->index = (guint) worker->chunk;
  output->worker = worker->id;
  output->tile = g_bytes_new_take (g_steal_pointer (&worker->tile), worker->tile_len);
  worker_chunk_back (worker, output);
}

WORKER_CALLBACK (worker_tile)

/* Reading a worker's output stopped short. Cancelled: nothing to do. The
 * end of its output: it died, and worker_exited_cb() reports how. A read
 * error: report it. Either way make sure it is gone, so it gets reaped. */
static void
worker_read_failed (Worker *worker,
                    GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL && ad_compute_job_get_running (worker->job))
    ad_compute_job_report_failure (worker->job,
                                   g_error_new (AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED,
                                                _("Cannot read from worker process %s: %s"),
                                                worker->pid, error->message));
  if (!worker->exited)
    g_subprocess_force_exit (worker->process);
}

static void
worker_line_handle (Worker       *worker,
                    GObject      *source,
                    GAsyncResult *result)
{
  AdComputeProcesses *self = worker->backend;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  AdComputeChunk chunk;
  AdComputeChunkOutput *output;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                    NULL, &error);
  if (line == NULL)
    {
      worker_read_failed (worker, error);
      return;
    }
  if (!ad_compute_job_get_running (worker->job) || worker->chunk < 0)
    return;

  ad_compute_plan_chunk (self->params, (guint) worker->chunk, &chunk);

  if (g_str_has_prefix (line, "ok ") && self->params->workload != AD_COMPUTE_WORKLOAD_MANDELBROT)
    {
      output = g_new0 (AdComputeChunkOutput, 1);
      output->index = (guint) worker->chunk;
      output->worker = worker->id;
      if (self->params->workload == AD_COMPUTE_WORKLOAD_SUM_SQUARES
          ? !ad_uint128_from_string (line + 3, &output->sum)
          : !g_ascii_string_to_unsigned (line + 3, 10, 0, G_MAXUINT64, &output->count, NULL))
        {
          ad_compute_chunk_output_free (output);
          worker_protocol_error (worker, line);
          return;
        }
      worker_chunk_back (worker, output);
    }
  else if (g_str_has_prefix (line, "tile ")
           && self->params->workload == AD_COMPUTE_WORKLOAD_MANDELBROT)
    {
      guint64 len = 0;

      worker->tile_len = (gsize) chunk.width * chunk.height * AD_MANDELBROT_BPP;
      if (!g_ascii_string_to_unsigned (line + 5, 10, 0, G_MAXUINT64, &len, NULL)
          || len != worker->tile_len)
        {
          worker_protocol_error (worker, line);
          return;
        }
      g_free (worker->tile);
      worker->tile = g_malloc (worker->tile_len);
      processes_op_begin (self);
      g_input_stream_read_all_async (G_INPUT_STREAM (worker->input),
                                     worker->tile, worker->tile_len, G_PRIORITY_DEFAULT,
                                     self->cancellable, worker_tile_cb, worker);
    }
  else
    {
      worker_protocol_error (worker, line);
    }
}

WORKER_CALLBACK (worker_line)

static void
worker_written_handle (Worker       *worker,
                       GObject      *source,
                       GAsyncResult *result)
{
  /* A failed write (EPIPE: the worker died) shows up as the end of its
   * output and its exit status; nothing to report here. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  worker->writing = FALSE;

  /* The answer may have come back before this callback ran. */
  if (ad_compute_job_get_running (worker->job))
    worker_dispatch (worker);
}

WORKER_CALLBACK (worker_written)

/* Hands the worker the next chunk, or lets it go when there is none. */
static void
worker_dispatch (Worker *worker)
{
  AdComputeProcesses *self = worker->backend;
  AdComputeChunk chunk;

  /* One request at a time; the stdin pipe takes one operation at a time. */
  if (worker->exited || worker->chunk >= 0 || worker->writing)
    return;

  if (g_cancellable_is_cancelled (self->cancellable) || self->next_chunk >= self->n_chunks)
    {
      /* End of input: the worker exits with status 0. Closing a pipe's
       * end never blocks, and GIO would run an asynchronous close on its
       * thread pool: close it here. */
      g_output_stream_close (worker->output, NULL, NULL);
      return;
    }

  worker->chunk = (int) self->next_chunk++;
  ad_compute_plan_chunk (self->params, (guint) worker->chunk, &chunk);
  worker->chunk_task = ad_compute_job_create_chunk_task (worker->job, worker->task,
                                                         (guint) worker->chunk);
  ad_task_start (worker->chunk_task);
  g_free (worker->request);
  worker->request = ad_compute_worker_format_request (self->params, &chunk);

  worker->writing = TRUE;
  processes_op_begin (self);
  g_output_stream_write_all_async (worker->output, worker->request, strlen (worker->request),
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   worker_written_cb, worker);
  processes_op_begin (self);
  g_data_input_stream_read_line_async (worker->input, G_PRIORITY_DEFAULT, self->cancellable,
                                       worker_line_cb, worker);
}

static void
worker_exited_handle (Worker       *worker,
                      GObject      *source,
                      GAsyncResult *result)
{
  AdComputeProcesses *self = worker->backend;
  GSubprocess *process = G_SUBPROCESS (source);
  g_autoptr(GError) task_error = NULL;
  gboolean clean;

  g_subprocess_wait_finish (process, result, NULL);
  worker->exited = TRUE;
  self->n_alive--;

  clean = g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0
          && worker->chunk < 0;
  g_debug ("compute worker %u (process %s) exited", worker->id, worker->pid);

  if (!clean && !g_cancellable_is_cancelled (self->cancellable))
    {
      const char *id = worker->pid;
      GError *error;

      if (g_subprocess_get_if_signaled (process))
        {
          int sig = g_subprocess_get_term_sig (process);

          error = g_error_new (AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED,
                               _("Worker process %s was killed by signal %d (%s)"),
                               id, sig, g_strsignal (sig));
        }
      else if (g_subprocess_get_exit_status (process) != 0)
        error = g_error_new (AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED,
                             _("Worker process %s exited with status %d"),
                             id, g_subprocess_get_exit_status (process));
      else
        error = g_error_new (AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED,
                             _("Worker process %s exited before answering"), id);
      task_error = g_error_copy (error);
      ad_compute_job_report_failure (worker->job, error);
    }
  else if (!clean)
    {
      task_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                        _("The run was cancelled"));
    }

  if (worker->chunk_task != NULL)
    {
      ad_task_finish (worker->chunk_task, task_error);
      g_clear_object (&worker->chunk_task);
    }
  ad_task_finish (worker->task, task_error);
}

WORKER_CALLBACK (worker_exited)

/* The job's cancellable fired: stop the workers. */
static void
processes_cancel (AdComputeBackendImpl *impl)
{
  AdComputeProcesses *self = (AdComputeProcesses *) impl;

  for (guint i = 0; i < self->workers->len; i++)
    {
      Worker *worker = g_ptr_array_index (self->workers, i);

      if (!worker->exited)
        g_subprocess_force_exit (worker->process);
    }
}

static char *
processes_find_binary (AdComputeProcesses  *self,
                       GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *binary = ad_compute_job_get_worker_binary (self->parent.job);
  char *path;

  if (binary != NULL)
    return g_strdup (binary);

  path = g_file_read_link ("/proc/self/exe", &local_error);
  if (path == NULL)
    g_set_error (error, AD_COMPUTE_ERROR, AD_COMPUTE_ERROR_WORKER_FAILED,
                 _("Cannot find the program to start as a worker: %s"), local_error->message);

  return path;
}

static AdComputeBackendImpl *
processes_start (AdComputeJob *job)
{
  AdComputeProcesses *self = g_new0 (AdComputeProcesses, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = NULL;
  guint n_workers = ad_compute_job_get_n_workers (job);

  self->parent.vtable = &ad_compute_backend_processes;
  self->parent.job = job;
  self->params = ad_compute_job_get_params (job);
  self->n_chunks = ad_compute_job_get_n_chunks (job);
  self->cancellable = ad_compute_job_get_cancellable (job);

  /* Writing to a dead worker's stdin must fail with EPIPE, not kill us. */
  signal (SIGPIPE, SIG_IGN);

  self->workers = g_ptr_array_new_with_free_func ((GDestroyNotify) worker_free);

  /* Cancelled before it started: start nothing. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return &self->parent;

  binary = processes_find_binary (self, &error);
  if (binary == NULL)
    {
      ad_compute_job_report_failure (job, g_steal_pointer (&error));
      return &self->parent;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  for (guint i = 0; i < n_workers; i++)
    {
      Worker *worker = g_new0 (Worker, 1);

      worker->backend = self;
      worker->job = job;
      worker->id = i;
      worker->chunk = -1;
      worker->process = g_subprocess_launcher_spawn (launcher, &error, binary,
                                                     AD_COMPUTE_WORKER_COMMAND, NULL);
      if (worker->process == NULL)
        {
          g_free (worker);
          ad_compute_job_report_failure (job, g_error_new (AD_COMPUTE_ERROR,
                                                           AD_COMPUTE_ERROR_WORKER_FAILED,
                                                           _("Cannot start a worker process: %s"),
                                                           error->message));
          return &self->parent;
        }
      worker->pid = g_strdup (g_subprocess_get_identifier (worker->process));
      {
        g_autofree char *name = g_strdup_printf ("worker process %s", worker->pid);

        worker->task = ad_task_registry_create (ad_compute_job_get_registry (job), name,
                                                AD_TASK_KIND_PROCESS,
                                                ad_compute_job_get_task (job), self->cancellable);
        ad_task_start (worker->task);
      }
      worker->input = g_data_input_stream_new (g_subprocess_get_stdout_pipe (worker->process));
      worker->output = g_object_ref (g_subprocess_get_stdin_pipe (worker->process));
      g_ptr_array_add (self->workers, worker);
      self->n_alive++;

      /* No cancellable: a worker is always reaped, cancelled or not. */
      processes_op_begin (self);
      g_subprocess_wait_async (worker->process, NULL, worker_exited_cb, worker);
    }

  for (guint i = 0; i < self->workers->len; i++)
    worker_dispatch (g_ptr_array_index (self->workers, i));

  return &self->parent;
}

static gboolean
processes_is_stopped (AdComputeBackendImpl *impl)
{
  AdComputeProcesses *self = (AdComputeProcesses *) impl;

  return self->n_alive == 0 && self->n_ops == 0;
}

static void
processes_finish (AdComputeBackendImpl *impl)
{
}

static GStrv
processes_dup_worker_ids (AdComputeBackendImpl *impl)
{
  AdComputeProcesses *self = (AdComputeProcesses *) impl;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->workers->len; i++)
    {
      Worker *worker = g_ptr_array_index (self->workers, i);

      if (!worker->exited)
        g_strv_builder_add (builder, worker->pid);
    }

  return g_strv_builder_end (builder);
}

static void
processes_free (AdComputeBackendImpl *impl)
{
  AdComputeProcesses *self = (AdComputeProcesses *) impl;

  g_clear_pointer (&self->workers, g_ptr_array_unref);
  g_free (self);
}

const AdComputeBackendVTable ad_compute_backend_processes = {
  .name = "processes",
  .start = processes_start,
  .cancel = processes_cancel,
  .is_stopped = processes_is_stopped,
  .finish = processes_finish,
  .dup_worker_ids = processes_dup_worker_ids,
  .free = processes_free,
};
