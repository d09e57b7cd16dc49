/* test-sysprof.c: tasks and stalls as Sysprof marks (ad-sysprof.c)
 *
 * Runs as the app does under `sysprof-cli --use-trace-fd`: SYSPROF_TRACE_FD
 * names a capture file before ad_core_init(). The test then runs tasks and
 * blocks the main loop, and reads the capture back with libsysprof-capture's
 * reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#if HAVE_SYSPROF
# include <sysprof-capture.h>
#endif

#include "ad-core.h"
#include "ad-sysprof.h"
#include "ad-test-utils.h"

#define LONG_NAME "fetch “a name longer than Sysprof’s forty bytes”"
#define STALL_MS  150

static char *capture_path;

#if HAVE_SYSPROF
typedef struct
{
  gint64  time_ns;
  gint64  duration_ns;
  char   *group;
  char   *name;
  char   *message;
} Mark;

static void
mark_free (gpointer data)
{
  Mark *mark = data;

  g_free (mark->group);
  g_free (mark->name);
  g_free (mark->message);
  g_free (mark);
}

/* Every mark in the capture written so far. */
static GPtrArray *
read_marks (void)
{
  GPtrArray *marks = g_ptr_array_new_with_free_func (mark_free);
  SysprofCaptureReader *reader;
  SysprofCaptureFrameType type;

  ad_sysprof_flush ();
  reader = sysprof_capture_reader_new (capture_path);
  g_assert_nonnull (reader);
  while (sysprof_capture_reader_peek_type (reader, &type))
    {
      if (type == SYSPROF_CAPTURE_FRAME_MARK)
        {
          const SysprofCaptureMark *frame = sysprof_capture_reader_read_mark (reader);
          Mark *mark = g_new0 (Mark, 1);

          g_assert_nonnull (frame);
          mark->time_ns = frame->frame.time;
          mark->duration_ns = frame->duration;
          mark->group = g_strndup (frame->group, sizeof frame->group);
          mark->name = g_strndup (frame->name, sizeof frame->name);
          mark->message = g_strdup (frame->message);
          g_ptr_array_add (marks, mark);
        }
      else if (!sysprof_capture_reader_skip (reader))
        break;
    }
  sysprof_capture_reader_unref (reader);

  return marks;
}

static const Mark *
find_mark (GPtrArray  *marks,
           const char *group,
           const char *name)
{
  for (guint i = 0; i < marks->len; i++)
    {
      const Mark *mark = g_ptr_array_index (marks, i);

      if (g_str_equal (mark->group, group) && g_str_equal (mark->name, name))
        return mark;
    }

  return NULL;
}

static gboolean
has_mark (const char *group,
          const char *name)
{
  g_autoptr(GPtrArray) marks = read_marks ();

  return find_mark (marks, group, name) != NULL;
}
#endif

/* A task is one mark from its start to its finish, named after it; one
 * that never started spans its creation to its cancel. A name too long
 * for Sysprof is cut on a character boundary and whole in the message. */
static void
test_task_marks (void)
{
#if HAVE_SYSPROF
  AdTaskRegistry *registry = ad_task_registry_get_default ();
  g_autoptr(AdTask) task = NULL;
  g_autoptr(AdTask) named = NULL;
  g_autoptr(AdTask) cancelled = NULL;
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  g_autoptr(GPtrArray) marks = NULL;
  const Mark *mark;
  gint64 start_after;
  char cut[40];
  const char *whole = LONG_NAME;
  const char *end;

  g_assert_true (ad_sysprof_is_active ());
  /* Taken, so that worker processes do not write into the capture */
  g_assert_null (g_getenv ("SYSPROF_TRACE_FD"));

  task = ad_task_registry_create (registry, "sysprof test task", AD_TASK_KIND_TIMER, NULL, NULL);
  ad_task_start (task);
  start_after = g_get_monotonic_time () + 20000;
  while (g_get_monotonic_time () < start_after)
    ad_test_spin (5);
  ad_task_finish (task, NULL);

  named = ad_task_registry_create (registry, LONG_NAME, AD_TASK_KIND_IO, NULL, NULL);
  ad_task_start (named);
  ad_task_finish (named, NULL);

  cancelled = ad_task_registry_create (registry, "never started", AD_TASK_KIND_CPU, NULL, NULL);
  ad_task_finish (cancelled, error);

  marks = read_marks ();

  mark = find_mark (marks, AD_SYSPROF_TASKS_GROUP, "sysprof test task");
  g_assert_nonnull (mark);
  g_assert_cmpint (mark->time_ns, ==, ad_task_get_started_time (task) * 1000);
  g_assert_cmpint (mark->duration_ns, ==,
                   (ad_task_get_finished_time (task) - ad_task_get_started_time (task)) * 1000);
  g_assert_cmpint (mark->duration_ns, >=, (gint64) 20 * 1000000);
  g_assert_nonnull (strstr (mark->message, "timer"));
  g_assert_nonnull (strstr (mark->message, "succeeded"));

  /* Cut to fit 40 bytes with its NUL, on a character boundary */
  end = g_utf8_find_prev_char (whole, whole + sizeof cut);
  g_assert_nonnull (end);
  memcpy (cut, whole, end - whole);
  cut[end - whole] = '\0';
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  mark = find_mark (marks, AD_SYSPROF_TASKS_GROUP, cut);
  g_assert_nonnull (mark);
  g_assert_true (g_str_has_prefix (mark->message, LONG_NAME));

  mark = find_mark (marks, AD_SYSPROF_TASKS_GROUP, "never started");
  g_assert_nonnull (mark);
  g_assert_cmpint (mark->time_ns, ==, ad_task_get_created_time (cancelled) * 1000);
  g_assert_nonnull (strstr (mark->message, "cancelled"));
#else
  g_test_skip ("built without libsysprof-capture-4");
#endif
}

#if HAVE_SYSPROF
static gint64 block_end;

static gboolean
block_cb (gpointer user_data)
{
  g_usleep ((gulong) STALL_MS * 1000);
  block_end = g_get_monotonic_time ();

  return G_SOURCE_REMOVE;
}
#endif

/* A stall of the main loop is a mark named after the callback that caused
 * it, covering the block. */
static void
test_stall_mark (void)
{
#if HAVE_SYSPROF
  g_autoptr(GPtrArray) marks = NULL;
  const Mark *mark;

  /* Let the monitor beat once, then block */
  ad_test_spin (30);
  ad_idle_add_named (G_PRIORITY_DEFAULT, "[test] slow idle", block_cb, NULL, NULL);
  ad_test_wait_until (has_mark (AD_SYSPROF_STALLS_GROUP, "[test] slow idle"), 5000);

  marks = read_marks ();
  mark = find_mark (marks, AD_SYSPROF_STALLS_GROUP, "[test] slow idle");
  g_assert_nonnull (mark);
  g_assert_cmpint (mark->duration_ns, >=, (STALL_MS - 50) * (gint64) 1000000);
  g_assert_cmpint (mark->time_ns, <=, (block_end - (gint64) (STALL_MS - 50) * 1000) * 1000);
  g_assert_cmpint (mark->time_ns + mark->duration_ns, >=, block_end * 1000);
  g_assert_nonnull (strstr (mark->message, "[test] slow idle"));
#else
  g_test_skip ("built without libsysprof-capture-4");
#endif
}

/* Stopped, nothing more is written. */
static void
test_stop (void)
{
#if HAVE_SYSPROF
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(AdTask) task = NULL;

  before = read_marks ();
  ad_sysprof_stop ();
  g_assert_false (ad_sysprof_is_active ());
  task = ad_task_registry_create (ad_task_registry_get_default (), "after the stop",
                                  AD_TASK_KIND_TIMER, NULL, NULL);
  ad_task_start (task);
  ad_task_finish (task, NULL);
  ad_sysprof_mark (g_get_monotonic_time (), 1, "group", "after the stop", NULL);
  after = read_marks ();
  g_assert_cmpuint (after->len, ==, before->len);
#else
  g_test_skip ("built without libsysprof-capture-4");
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fd_text = NULL;
  int ret;
  int fd;

  fd = g_file_open_tmp ("test-sysprof-XXXXXX.syscap", &capture_path, &error);
  g_assert_no_error (error);
  fd_text = g_strdup_printf ("%d", fd);
  g_setenv ("SYSPROF_TRACE_FD", fd_text, TRUE);

  ad_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sysprof/task-marks", test_task_marks);
  g_test_add_func ("/sysprof/stall-mark", test_stall_mark);
  g_test_add_func ("/sysprof/stop", test_stop);

  ret = g_test_run ();

  ad_sysprof_stop ();
  g_unlink (capture_path);
  g_free (capture_path);

  return ret;
}
