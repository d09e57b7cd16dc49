/* ad-sysprof.c: the app's tasks and the loop's stalls as Sysprof marks
 *
 * Design:
 *  - One SysprofCaptureWriter for the process, behind a mutex: the
 *    registry's listener runs on whatever thread finishes a task, and the
 *    writer is not thread-safe. An atomic flag lets every call return at
 *    once when Sysprof is not recording, so the listener is never
 *    installed and a stall costs one atomic read.
 *  - A task's mark spans its start (its creation when it never started)
 *    to its finish, on the finishing thread's report. Sysprof keeps 40
 *    bytes of a mark's name: the name is cut on a UTF-8 boundary, and the
 *    message carries it whole with the task's kind and outcome.
 *  - Times are g_get_monotonic_time() in nanoseconds: CLOCK_MONOTONIC, the
 *    clock Sysprof and GTK's own marks use.
 *  - The writer buffers; it is flushed at most every FLUSH_INTERVAL_US by
 *    the mark that finds it due, on ad_sysprof_flush(), and at exit, so a
 *    recording stopped while the app runs still has what happened until
 *    shortly before.
 *  - SYSPROF_TRACE_FD is removed from the environment once taken, so that
 *    worker processes (async-demo compute-worker) do not write into the
 *    same capture.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Trace"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#if HAVE_SYSPROF
# include <sysprof-capture.h>
#endif

#include "ad-sysprof.h"
#include "ad-tsan.h"

#define FLUSH_INTERVAL_US  (G_USEC_PER_SEC / 4)
#define MARK_NAME_SIZE     40      /* SysprofCaptureMark.name */

static gint active;                /* atomic: a writer is open */

#if HAVE_SYSPROF
static GMutex lock;
static SysprofCaptureWriter *writer;  /* guarded by lock */
static gint64 last_flush;             /* guarded by lock */
#endif

/* Main thread: the registry listened to */
static AdTaskRegistry *registry;
static guint listener_id;

#if HAVE_SYSPROF
/* Copies @src into @dest of @size bytes, cut on a character boundary. */
static void
copy_utf8 (char       *dest,
           gsize       size,
           const char *src)
{
  gsize len = strlen (src);

  if (len >= size)
    {
      const char *end = g_utf8_find_prev_char (src, src + size);

      len = end != NULL ? (gsize) (end - src) : 0;
    }
  memcpy (dest, src, len);
  dest[len] = '\0';
}

static void
task_event_cb (const AdTaskEvent *event,
               gpointer           user_data)
{
  AdTask *task = event->task;
  gint64 begin;
  g_autofree char *message = NULL;

  if (event->type != AD_TASK_EVENT_FINISHED || !g_atomic_int_get (&active))
    return;

  begin = ad_task_get_started_time (task);
  if (begin == 0)
    begin = ad_task_get_created_time (task);
  message = g_strdup_printf ("%s (%s, %s, task %" G_GUINT64_FORMAT ")", ad_task_get_name (task),
                             ad_task_kind_to_string (ad_task_get_kind (task)),
                             ad_task_state_to_string (event->state), event->task_id);
  ad_sysprof_mark (begin, event->time_us - begin, AD_SYSPROF_TASKS_GROUP, ad_task_get_name (task),
                   message);
}
#endif

static void
flush_at_exit (void)
{
  ad_sysprof_stop ();
}

/**
 * ad_sysprof_start_for_fd:
 * @fd: a capture file descriptor, owned from now on (closed when done)
 * @registry: (nullable): the registry whose tasks become marks
 *
 * Starts writing marks into the capture @fd. Main thread.
 *
 * Returns: whether marks are written (FALSE without libsysprof-capture, or
 *   when already started)
 */
gboolean
ad_sysprof_start_for_fd (int             fd,
                         AdTaskRegistry *task_registry)
{
  g_return_val_if_fail (fd >= 0, FALSE);
  g_return_val_if_fail (!task_registry || AD_IS_TASK_REGISTRY (task_registry), FALSE);

#if HAVE_SYSPROF
  {
    SysprofCaptureWriter *new_writer;

    if (g_atomic_int_get (&active))
      {
        close (fd);
        return FALSE;
      }
    /* Not for the worker processes we spawn */
    fcntl (fd, F_SETFD, FD_CLOEXEC);
    new_writer = sysprof_capture_writer_new_from_fd (fd, 0);
    if (new_writer == NULL)
      {
        g_warning ("Cannot write Sysprof marks to file descriptor %d", fd);
        return FALSE;
      }

    ad_mutex_lock (&lock);
    writer = new_writer;
    last_flush = g_get_monotonic_time ();
    g_atomic_int_set (&active, 1);
    ad_mutex_unlock (&lock);

    if (task_registry != NULL)
      {
        registry = g_object_ref (task_registry);
        listener_id = ad_task_registry_add_listener (registry, task_event_cb, NULL, NULL);
      }
    g_debug ("Writing tasks and stalls as Sysprof marks");
    return TRUE;
  }
#else
  close (fd);
  return FALSE;
#endif
}

/**
 * ad_sysprof_start_from_env:
 * @registry: (nullable): the registry whose tasks become marks
 *
 * Starts writing marks when the process runs under Sysprof with a trace
 * file descriptor (SYSPROF_TRACE_FD), and removes the variable from the
 * environment. Call it early in main(), before other threads start; the
 * capture is flushed at exit.
 *
 * Returns: whether marks are written
 */
gboolean
ad_sysprof_start_from_env (AdTaskRegistry *task_registry)
{
  const char *value = g_getenv ("SYSPROF_TRACE_FD");
  gint64 fd;
  gboolean started;

  if (value == NULL)
    return FALSE;

  if (!g_ascii_string_to_signed (value, 10, 0, G_MAXINT, &fd, NULL) ||
      fcntl ((int) fd, F_GETFD) == -1)
    {
      g_warning ("SYSPROF_TRACE_FD=%s is not an open file descriptor", value);
      g_unsetenv ("SYSPROF_TRACE_FD");
      return FALSE;
    }
  g_unsetenv ("SYSPROF_TRACE_FD");

  started = ad_sysprof_start_for_fd ((int) fd, task_registry);
  if (started)
    {
      static gsize registered;

      if (g_once_init_enter (&registered))
        {
          atexit (flush_at_exit);
          g_once_init_leave (&registered, 1);
        }
    }

  return started;
}

/**
 * ad_sysprof_is_active:
 *
 * Returns: whether marks are being written. Any thread.
 */
gboolean
ad_sysprof_is_active (void)
{
  return g_atomic_int_get (&active);
}

/**
 * ad_sysprof_mark:
 * @begin_us: when it began, in g_get_monotonic_time() microseconds
 * @duration_us: how long it lasted
 * @group: the mark's group (Sysprof keeps 23 bytes)
 * @name: its name (cut to 39 bytes)
 * @message: (nullable): its text, whole
 *
 * Adds a mark to the capture, when one is being written. Any thread.
 */
void
ad_sysprof_mark (gint64      begin_us,
                 gint64      duration_us,
                 const char *group,
                 const char *name,
                 const char *message)
{
  g_return_if_fail (group != NULL);
  g_return_if_fail (name != NULL);

  if (!g_atomic_int_get (&active))
    return;

#if HAVE_SYSPROF
  {
    char short_name[MARK_NAME_SIZE];
    gint64 now = g_get_monotonic_time ();

    copy_utf8 (short_name, sizeof short_name, name);
    ad_mutex_lock (&lock);
    if (writer != NULL)
      {
        sysprof_capture_writer_add_mark (writer, begin_us * 1000, -1, getpid (),
                                         (guint64) MAX (duration_us, 0) * 1000, group, short_name,
                                         message ? message : name);
        if (now - last_flush >= FLUSH_INTERVAL_US)
          {
            sysprof_capture_writer_flush (writer);
            last_flush = now;
          }
      }
    ad_mutex_unlock (&lock);
  }
#endif
}

/**
 * ad_sysprof_mark_stall:
 * @end_us: when the loop ran again (g_get_monotonic_time())
 * @duration_us: how long it was blocked
 * @culprit: (nullable): the source whose callback blocked it
 *
 * Adds a main-loop stall, named after its culprit ("unknown" when no
 * traced callback was seen), to the group "async-demo stalls".
 */
void
ad_sysprof_mark_stall (gint64      end_us,
                       gint64      duration_us,
                       const char *culprit)
{
  g_autofree char *message = NULL;

  if (!g_atomic_int_get (&active))
    return;

  message = g_strdup_printf ("Main loop stalled for %.1f ms in %s", duration_us / 1000.0,
                             culprit ? culprit : "unknown code");
  ad_sysprof_mark (end_us - duration_us, duration_us, AD_SYSPROF_STALLS_GROUP,
                   culprit ? culprit : "unknown", message);
}

/**
 * ad_sysprof_flush:
 *
 * Writes the buffered marks to the capture now. Any thread.
 */
void
ad_sysprof_flush (void)
{
#if HAVE_SYSPROF
  ad_mutex_lock (&lock);
  if (writer != NULL)
    {
      sysprof_capture_writer_flush (writer);
      last_flush = g_get_monotonic_time ();
    }
  ad_mutex_unlock (&lock);
#endif
}

/**
 * ad_sysprof_stop:
 *
 * Stops listening, flushes and closes the capture. Main thread (or at
 * exit).
 */
void
ad_sysprof_stop (void)
{
  if (listener_id != 0)
    {
      ad_task_registry_remove_listener (registry, listener_id);
      listener_id = 0;
    }
  g_clear_object (&registry);

  g_atomic_int_set (&active, 0);
#if HAVE_SYSPROF
  ad_mutex_lock (&lock);
  g_clear_pointer (&writer, sysprof_capture_writer_unref);
  ad_mutex_unlock (&lock);
#endif
}
