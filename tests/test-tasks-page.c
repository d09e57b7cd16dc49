/* test-tasks-page.c: the Tasks page, its timeline and the inspector window
 *
 * Under a real display (Xvfb in CI). Each test gives the page a private
 * registry and recorder, so what it shows is exactly what the test made,
 * then drives the page as a user would: filters, selection, the cancel
 * action, the timeline's keyboard, real frames.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ad-application.h"
#include "ad-core.h"
#include "ad-inspector-window.h"
#include "ad-task-cell.h"
#include "ad-tasks-page.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"

static AdApplication *app;

typedef struct
{
  AdTaskRegistry  *registry;
  AdTraceRecorder *recorder;
  GtkWindow       *window;
  AdTasksPage     *page;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->registry = ad_task_registry_new (100);
  ad_task_registry_set_publish_interval (f->registry, 20);
  f->recorder = ad_trace_recorder_new (65536);
  ad_trace_recorder_attach (f->recorder, f->registry);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 700);
  f->page = AD_TASKS_PAGE (ad_tasks_page_new ());
  ad_tasks_page_set_registry (f->page, f->registry, f->recorder);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  ad_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (f->page)), 5000);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GObject) page = g_object_ref (G_OBJECT (f->page));

  gtk_window_destroy (f->window);
  ad_test_spin (20);
  g_assert_finalize_object (g_steal_pointer (&page));
  ad_trace_recorder_detach (f->recorder);
  g_clear_object (&f->recorder);
  ad_task_registry_flush (f->registry);
  g_clear_object (&f->registry);
}

/* Waits until the page has published and filtered what the test made. */
static void
settle (Fixture *f)
{
  ad_task_registry_flush (f->registry);
  ad_tasks_page_refresh (f->page);
  ad_test_spin (150);
}

static guint
n_visible (GListModel *model)
{
  return g_list_model_get_n_items (model);
}

/* Filtering is incremental (and the search entry waits a little before
 * it says it changed): wait for the expected count, up to a few seconds. */
#define assert_visible(model, expected) \
  ad_test_wait_until (n_visible (model) == (expected), 5000)

static gboolean
visible_has (GListModel *model,
             const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autoptr(AdTask) task = GTK_IS_TREE_LIST_ROW (item)
                               ? gtk_tree_list_row_get_item (GTK_TREE_LIST_ROW (item))
                               : g_object_ref (AD_TASK (item));

      if (g_str_equal (ad_task_get_name (task), name))
        return TRUE;
    }

  return FALSE;
}

/* Selects a task as the timeline does, and waits for the selection (the
 * page selects once any incremental filtering is done). */
static gboolean
is_selected (Fixture *f,
             AdTask  *task)
{
  g_autoptr(AdTask) selected = ad_tasks_page_get_selected_task (f->page);

  return selected == task;
}

static void
select_and_wait (Fixture *f,
                 AdTask  *task)
{
  g_assert_true (ad_tasks_page_select_task (f->page, ad_task_get_id (task)));
  ad_test_wait_until (is_selected (f, task), 5000);
}

/* A label showing @text on screen: the lists recycle the widgets of their
 * rows, and unmapped ones hold stale text. */
static gboolean
is_shown_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return gtk_widget_get_mapped (widget) && ad_gui_test_is_label_with_text (widget, data);
}

static GtkWidget *
find_shown_label (Fixture    *f,
                  const char *text)
{
  return ad_gui_test_find_widget (GTK_WIDGET (f->page), is_shown_label, text);
}

/* Counts the border nodes (of @color, or of any colour when NULL) in a
 * render node tree. */
static guint
count_borders (GskRenderNode *node,
               const char    *color)
{
  GdkRGBA want;
  guint n = 0;

  if (node == NULL)
    return 0;
  if (color != NULL)
    gdk_rgba_parse (&want, color);
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_borders (gsk_container_node_get_child (node, i), color);
      return n;
    case GSK_CLIP_NODE:
      return count_borders (gsk_clip_node_get_child (node), color);
    case GSK_TRANSFORM_NODE:
      return count_borders (gsk_transform_node_get_child (node), color);
    case GSK_ROUNDED_CLIP_NODE:
      return count_borders (gsk_rounded_clip_node_get_child (node), color);
    case GSK_OPACITY_NODE:
      return count_borders (gsk_opacity_node_get_child (node), color);
    case GSK_BORDER_NODE:
      return color == NULL || gdk_rgba_equal (&gsk_border_node_get_colors (node)[0], &want) ? 1 : 0;
    default:
      return 0;
    }
}

/* The border nodes in what @widget last drew. */
static guint
count_drawn_borders (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (snapshot);

  return count_borders (node, NULL);
}

/* ---- a tree of running tasks ------------------------------------------ */

typedef struct
{
  AdTask *crawl;
  AdTask *fetch[3];
  AdTask *chunk;
} Tree;

static void
make_tree (Fixture *f,
           Tree    *t)
{
  t->crawl = ad_task_registry_create (f->registry, "crawl example.org", AD_TASK_KIND_GROUP,
                                      NULL, NULL);
  ad_task_start (t->crawl);
  for (guint i = 0; i < G_N_ELEMENTS (t->fetch); i++)
    {
      g_autofree char *name = g_strdup_printf ("GET /alpha/%u", i);

      t->fetch[i] = ad_task_registry_create (f->registry, name, AD_TASK_KIND_IO, t->crawl, NULL);
      if (i < 2)
        ad_task_start (t->fetch[i]);
    }
  t->chunk = ad_task_registry_create (f->registry, "parse page", AD_TASK_KIND_CPU, t->crawl, NULL);
  ad_task_start (t->chunk);
  ad_task_set_progress (t->chunk, 0.5);
}

static void
finish_tree (Tree *t)
{
  ad_task_finish (t->chunk, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (t->fetch); i++)
    {
      if (!ad_task_is_finished (t->fetch[i]))
        ad_task_finish (t->fetch[i], NULL);
      g_object_unref (t->fetch[i]);
    }
  ad_task_finish (t->crawl, NULL);
  g_object_unref (t->chunk);
  g_object_unref (t->crawl);
}

static void
test_tree_and_filters (Fixture       *f,
                       gconstpointer  data)
{
  GListModel *visible = ad_tasks_page_get_visible_tasks (f->page);
  Tree t;

  make_tree (f, &t);
  settle (f);

  /* The crawl with its fetches and its parse under it, expanded */
  assert_visible (visible, 5);
  g_assert_true (visible_has (visible, "crawl example.org"));
  g_assert_true (visible_has (visible, "parse page"));
  {
    g_autoptr(GtkTreeListRow) row = g_list_model_get_item (visible, 1);

    g_assert_cmpuint (gtk_tree_list_row_get_depth (row), ==, 1);
  }
  g_assert_nonnull (strstr (ad_tasks_page_get_counts_text (f->page), "4 running · 1 pending"));

  /* Cells show words for kind and state, not only colour */
  ad_test_wait_until (find_shown_label (f, "Running") != NULL, 5000);
  ad_test_wait_until (find_shown_label (f, "Pending") != NULL, 5000);
  ad_test_wait_until (find_shown_label (f, "CPU") != NULL, 5000);

  /* By text, any case */
  ad_tasks_page_set_filter (f->page, "ALPHA", -1, -1);
  settle (f);
  assert_visible (visible, 3);
  g_assert_false (visible_has (visible, "parse page"));

  /* By kind */
  ad_tasks_page_set_filter (f->page, NULL, AD_TASK_KIND_CPU, -1);
  settle (f);
  assert_visible (visible, 1);
  g_assert_true (visible_has (visible, "parse page"));

  /* By state, which follows the tasks as they change */
  ad_tasks_page_set_filter (f->page, NULL, -1, AD_TASK_STATE_PENDING);
  settle (f);
  assert_visible (visible, 1);
  g_assert_true (visible_has (visible, "GET /alpha/2"));
  ad_task_start (t.fetch[2]);
  settle (f);
  assert_visible (visible, 0);

  ad_tasks_page_set_filter (f->page, NULL, -1, -1);
  settle (f);
  assert_visible (visible, 5);

  finish_tree (&t);
  settle (f);
  assert_visible (visible, 0);
}

/* ---- cancel from the inspector ---------------------------------------- */

static void
test_cancel_subtree (Fixture       *f,
                     gconstpointer  data)
{
  Tree t;

  make_tree (f, &t);
  settle (f);

  /* Nothing selected: nothing to cancel */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->page), "tasks.cancel", NULL) &&
                  g_cancellable_is_cancelled (ad_task_get_cancellable (t.crawl)));

  select_and_wait (f, t.crawl);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "tasks.cancel", NULL));

  /* The task and everything under it */
  g_assert_true (g_cancellable_is_cancelled (ad_task_get_cancellable (t.crawl)));
  for (guint i = 0; i < G_N_ELEMENTS (t.fetch); i++)
    g_assert_true (g_cancellable_is_cancelled (ad_task_get_cancellable (t.fetch[i])));
  g_assert_true (g_cancellable_is_cancelled (ad_task_get_cancellable (t.chunk)));

  /* Cancelling one child leaves its siblings alone */
  {
    g_autoptr(AdTask) other = ad_task_registry_create (f->registry, "other", AD_TASK_KIND_TIMER,
                                                       NULL, NULL);
    g_autoptr(AdTask) sibling = ad_task_registry_create (f->registry, "sibling", AD_TASK_KIND_TIMER,
                                                         other, NULL);
    g_autoptr(AdTask) victim = ad_task_registry_create (f->registry, "victim", AD_TASK_KIND_TIMER,
                                                        other, NULL);

    ad_task_start (other);
    ad_task_start (sibling);
    ad_task_start (victim);
    settle (f);
    select_and_wait (f, victim);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "tasks.cancel", NULL));
    g_assert_true (g_cancellable_is_cancelled (ad_task_get_cancellable (victim)));
    g_assert_false (g_cancellable_is_cancelled (ad_task_get_cancellable (sibling)));
    g_assert_false (g_cancellable_is_cancelled (ad_task_get_cancellable (other)));

    ad_task_finish (victim, NULL);
    ad_task_finish (sibling, NULL);
    ad_task_finish (other, NULL);
  }

  finish_tree (&t);
  settle (f);
}

/* ---- history: how each task ended ------------------------------------- */

static void
test_history_outcomes (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) boom = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "boom");
  g_autoptr(GError) late = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "too slow");
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stop");
  const char *names[] = { "ok task", "failing task", "slow task", "cancelled task" };
  const GError *errors[] = { NULL, boom, late, cancelled };
  GListModel *history = ad_tasks_page_get_visible_history (f->page);
  g_autoptr(AdTask) newest = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(AdTask) task = ad_task_registry_create (f->registry, names[i], AD_TASK_KIND_IO,
                                                        NULL, NULL);

      ad_task_start (task);
      ad_task_finish (task, errors[i]);
    }

  settle (f);
  g_assert_true (ad_tasks_page_select_task (f->page, 3));  /* finished: in the history */
  settle (f);

  assert_visible (history, 4);
  newest = g_list_model_get_item (history, 0);
  g_assert_cmpstr (ad_task_get_name (newest), ==, "cancelled task");

  /* Words for each outcome, the error's message included */
  ad_test_wait_until (find_shown_label (f, "Succeeded") != NULL, 5000);
  ad_test_wait_until (find_shown_label (f, "Failed: boom") != NULL, 5000);
  ad_test_wait_until (find_shown_label (f, "Timed out: too slow") != NULL, 5000);
  ad_test_wait_until (find_shown_label (f, "Cancelled") != NULL, 5000);
  g_assert_nonnull (strstr (ad_tasks_page_get_counts_text (f->page),
                            "1 succeeded, 2 failed, 1 cancelled"));

  /* Filters apply to the history too */
  ad_tasks_page_set_filter (f->page, NULL, -1, AD_TASK_STATE_FAILED);
  settle (f);
  assert_visible (history, 2);
  ad_tasks_page_set_filter (f->page, "slow", -1, -1);
  settle (f);
  assert_visible (history, 1);
  ad_tasks_page_set_filter (f->page, NULL, -1, -1);
}

/* ---- the timeline ----------------------------------------------------- */

static void
chunk_thread (GTask        *gtask,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ad_task_start (task_data);
  g_usleep (20000);
  ad_task_finish (task_data, NULL);
  g_task_return_boolean (gtask, TRUE);
}

static void
test_timeline_renders (Fixture       *f,
                       gconstpointer  data)
{
  AdTimelineView *timeline = ad_tasks_page_get_timeline (f->page);
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  AdTask *main_task, *previous;
  AdTask *chunks[2];
  int minimum, natural;

  /* Code on the main loop, and two chunks on two threads at once, while
   * the page runs */
  main_task = ad_task_registry_create (f->registry, "on the loop", AD_TASK_KIND_TIMER, NULL, NULL);
  ad_task_start (main_task);
  previous = ad_task_push_current (main_task);
  g_usleep (5000);
  ad_task_pop_current (previous);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("chunk %u", i);
      g_autoptr(GTask) gtask = g_task_new (NULL, NULL, ad_test_store_result, i ? &r2 : &r1);

      chunks[i] = ad_task_registry_create (f->registry, name, AD_TASK_KIND_CPU, main_task, NULL);
      g_task_set_task_data (gtask, g_object_ref (chunks[i]), g_object_unref);
      g_task_run_in_thread (gtask, chunk_thread);
    }
  ad_test_wait_result (&r1, 5000);
  ad_test_wait_result (&r2, 5000);
  ad_task_finish (main_task, NULL);
  settle (f);

  /* Lanes: the main loop and (at least) two pool threads */
  g_assert_cmpuint (ad_trace_get_n_lanes (ad_timeline_view_get_trace (timeline)), >=, 3);
  gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural,
                      NULL, NULL);
  g_assert_cmpint (minimum, >=, 90);  /* three lanes of 30 px at least */

  /* A real frame drew bars */
  ad_test_wait_until (ad_timeline_view_get_n_drawn (timeline) > 0, 10000);

  /* And a snapshot on demand: a widget paintable shows the last frame, so
   * hold the live view still and let one frame pass */
  ad_timeline_view_set_paused (timeline, TRUE);
  ad_test_spin (100);
  paintable = gtk_widget_paintable_new (GTK_WIDGET (timeline));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (GTK_WIDGET (timeline)),
                          gtk_widget_get_height (GTK_WIDGET (timeline)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  /* Live again, so that what follows can see the focus pause it */
  ad_timeline_view_set_paused (timeline, FALSE);
  g_assert_false (ad_timeline_view_get_paused (timeline));

  /* Keyboard: the latest bar, then the previous one on its lane; the
   * description is what a screen reader announces */
  gtk_widget_grab_focus (GTK_WIDGET (timeline));
  g_assert_true (ad_timeline_view_focus_bar (timeline, 0));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), !=, 0);
  {
    g_autofree char *text = ad_timeline_view_describe_focus (timeline);

    g_assert_nonnull (text);
  }
  /* Across lanes: the focus stays on some bar */
  ad_timeline_view_focus_bar (timeline, 2);
  ad_timeline_view_focus_bar (timeline, -2);
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), !=, 0);

  /* Moving the focus paused the live view (the test had resumed it) */
  g_assert_true (ad_timeline_view_get_paused (timeline));
  ad_timeline_view_set_paused (timeline, FALSE);

  /* Zoom keeps within its limits */
  ad_timeline_view_set_span (timeline, 10);
  g_assert_cmpint (ad_timeline_view_get_span (timeline), >=, 500);
  ad_timeline_view_set_span (timeline, (gint64) 2 * G_USEC_PER_SEC);

  /* Activating a bar selects its task in the list */
  g_signal_emit_by_name (timeline, "task-activated", ad_task_get_id (chunks[1]));
  {
    g_autoptr(AdTask) selected = ad_tasks_page_get_selected_task (f->page);

    /* Finished: in the history, which filters at once */
    g_assert_true (selected == chunks[1]);
  }

  g_object_unref (chunks[0]);
  g_object_unref (chunks[1]);
  g_object_unref (main_task);
}

static void
test_timeline_focus_description (Fixture       *f,
                                 gconstpointer  data)
{
  AdTimelineView *timeline = ad_tasks_page_get_timeline (f->page);
  g_autoptr(AdTask) a = ad_task_registry_create (f->registry, "first", AD_TASK_KIND_IO, NULL, NULL);
  g_autoptr(AdTask) b = ad_task_registry_create (f->registry, "second", AD_TASK_KIND_IO, NULL, NULL);
  g_autofree char *text = NULL;
  AdTask *previous;

  previous = ad_task_push_current (a);
  g_usleep (2000);
  ad_task_pop_current (previous);
  previous = ad_task_push_current (b);
  g_usleep (2000);
  ad_task_pop_current (previous);
  settle (f);

  g_assert_cmpuint (count_drawn_borders (GTK_WIDGET (timeline)), ==, 0);
  g_assert_true (ad_timeline_view_focus_bar (timeline, 0));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), ==, ad_task_get_id (b));
  /* The focused bar is outlined (in the next frame: a widget paintable
   * shows what the widget last drew) */
  ad_test_wait_until (count_drawn_borders (GTK_WIDGET (timeline)) == 1, 5000);
  text = ad_timeline_view_describe_focus (timeline);
  g_assert_nonnull (strstr (text, "second"));
  g_assert_nonnull (strstr (text, "I/O"));
  g_assert_nonnull (strstr (text, "Main loop"));

  g_assert_true (ad_timeline_view_focus_bar (timeline, -1));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), ==, ad_task_get_id (a));
  g_assert_true (ad_timeline_view_focus_bar (timeline, 1));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), ==, ad_task_get_id (b));

  ad_task_finish (a, NULL);
  ad_task_finish (b, NULL);
}

/* The latency graph runs the loop monitor while it shows */
static void
test_latency_graph (Fixture       *f,
                    gconstpointer  data)
{
  AdLoopMonitor *monitor = ad_loop_monitor_get_default ();
  guint64 before;

  g_assert_true (ad_loop_monitor_get_running (monitor));
  before = ad_loop_monitor_get_n_samples (monitor);
  ad_test_wait_until (ad_loop_monitor_get_n_samples (monitor) > before, 3000);

  /* Hidden, it lets go of the monitor it started */
  gtk_widget_set_visible (GTK_WIDGET (f->page), FALSE);
  g_assert_false (ad_loop_monitor_get_running (monitor));
  gtk_widget_set_visible (GTK_WIDGET (f->page), TRUE);
  g_assert_true (ad_loop_monitor_get_running (monitor));
}

static void
test_show_imported (Fixture       *f,
                    gconstpointer  data)
{
  AdTimelineView *timeline = ad_tasks_page_get_timeline (f->page);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdTrace) trace = NULL;

  trace = ad_trace_import_from_data ("{\"traceEvents\":["
                                     "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":1,"
                                     "\"args\":{\"name\":\"main\"}},"
                                     "{\"ph\":\"X\",\"name\":\"imported\",\"cat\":\"io\",\"ts\":0,"
                                     "\"dur\":1000,\"pid\":1,\"tid\":1,\"args\":{\"task_id\":7}}]}",
                                     -1, &error);
  g_assert_no_error (error);

  ad_tasks_page_show_trace (f->page, trace, "test.json");
  g_assert_true (ad_timeline_view_get_trace (timeline) == trace);
  g_assert_false (ad_timeline_view_get_live (timeline));
  ad_test_spin (50);
  g_assert_true (ad_timeline_view_focus_bar (timeline, 0));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), ==, 7);

  /* Back to live */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "tasks.live", NULL));
  g_assert_true (ad_timeline_view_get_live (timeline));
  g_assert_false (ad_timeline_view_get_trace (timeline) == trace);
}

/* Answers the chooser that @action opens, titled @title, with @file. */
static void
choose_file (Fixture    *f,
             const char *action,
             const char *title,
             GFile      *file)
{
  GtkFileChooser *chooser;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), action, NULL));
  chooser = ad_gui_test_wait_file_chooser (title);
  ad_gui_test_accept_file_chooser (chooser, file);
}

/* Save the live timeline to a file and open it again, as the buttons do:
 * their actions, then the file choosers they open */
static void
test_save_and_open (Fixture       *f,
                    gconstpointer  data)
{
  AdTimelineView *timeline = ad_tasks_page_get_timeline (f->page);
  g_autoptr(AdTask) task = ad_task_registry_create (f->registry, "saved “task”", AD_TASK_KIND_IO,
                                                    NULL, NULL);
  g_autofree char *dir = g_dir_make_tmp ("tasks-page-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trace.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = NULL;
  g_autofree char *bad_path = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdTrace) saved = NULL;
  g_autoptr(GArray) slices = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  g_autofree char *status = NULL;
  AdTrace *live = ad_timeline_view_get_trace (timeline);
  AdTask *previous;
  gsize length;
  gboolean found = FALSE;

  previous = ad_task_push_current (task);
  g_usleep (1000);
  ad_task_pop_current (previous);
  ad_task_finish (task, NULL);
  settle (f);

  choose_file (f, "tasks.export", "Save Trace", file);
  ad_test_wait_until (g_str_has_prefix (ad_tasks_page_get_status_text (f->page), "Saved"), 5000);
  g_assert_null (ad_gui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));

  /* The file is a trace holding the task, and the status counts its bars */
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  saved = ad_trace_import_from_data (contents, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved);
  g_assert_cmpuint (ad_trace_get_n_slices (saved), >=, 1);
  status = g_strdup_printf ("Saved %u bars and ticks to trace.json", ad_trace_get_n_slices (saved));
  g_assert_cmpstr (ad_tasks_page_get_status_text (f->page), ==, status);
  ad_trace_collect (saved, G_MININT64, G_MAXINT64, slices);
  for (guint i = 0; i < slices->len; i++)
    found |= g_array_index (slices, AdTraceSlice, i).task_id == ad_task_get_id (task);
  g_assert_true (found);

  choose_file (f, "tasks.import", "Open Trace", file);
  ad_test_wait_until (ad_timeline_view_get_trace (timeline) != live, 5000);
  g_assert_null (ad_gui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  g_assert_false (ad_timeline_view_get_live (timeline));
  g_assert_cmpstr (ad_tasks_page_get_status_text (f->page), ==, "Showing trace.json");
  g_assert_cmpuint (ad_trace_get_n_slices (ad_timeline_view_get_trace (timeline)), ==,
                    ad_trace_get_n_slices (saved));
  g_assert_true (ad_timeline_view_focus_bar (timeline, 0));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), ==, ad_task_get_id (task));
  {
    g_autofree char *text = ad_timeline_view_describe_focus (timeline);

    g_assert_nonnull (strstr (text, "saved “task”"));
  }

  /* A file that is no trace: the status says so, the timeline stays */
  g_assert_true (g_file_set_contents (bad_path, "[1, 2", -1, NULL));
  bad = g_file_new_for_path (bad_path);
  live = ad_timeline_view_get_trace (timeline);
  choose_file (f, "tasks.import", "Open Trace", bad);
  ad_test_wait_until (g_str_has_prefix (ad_tasks_page_get_status_text (f->page), "Could not"),
                      5000);
  g_assert_true (g_str_has_prefix (ad_tasks_page_get_status_text (f->page),
                                   "Could not use bad.json"));
  g_assert_true (ad_timeline_view_get_trace (timeline) == live);

  g_unlink (path);
  g_unlink (bad_path);
  g_rmdir (dir);
}

/* Saving where nothing can be written (/proc, even as root, where a
 * directory chmod 0500 would stop nothing): the status line says why */
static void
test_save_error (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/proc/ad-tasks-page-trace.json");
  const char *prefix = "Could not use ad-tasks-page-trace.json: ";

  choose_file (f, "tasks.export", "Save Trace", file);
  ad_test_wait_until (g_str_has_prefix (ad_tasks_page_get_status_text (f->page), "Could not"),
                      5000);
  g_test_message ("%s", ad_tasks_page_get_status_text (f->page));
  g_assert_true (g_str_has_prefix (ad_tasks_page_get_status_text (f->page), prefix));
  g_assert_cmpuint (strlen (ad_tasks_page_get_status_text (f->page)), >, strlen (prefix));
  g_assert_nonnull (find_shown_label (f, ad_tasks_page_get_status_text (f->page)));
  g_assert_false (g_file_query_exists (file, NULL));
}

static const char *
cell_text (GtkWidget *cell)
{
  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_last_child (cell)));
}

/* A cell alone: it shows its task, follows the task's published changes
 * without any tick from a page, lets go of a task it no longer shows, and
 * counts a running task's age with the clock while it is mapped */
static void
test_task_cell (void)
{
  g_autoptr(AdTaskRegistry) registry = ad_task_registry_new (100);
  g_autoptr(AdTask) task = ad_task_registry_create (registry, "cell task", AD_TASK_KIND_CPU,
                                                    NULL, NULL);
  g_autoptr(AdTask) other = ad_task_registry_create (registry, "other", AD_TASK_KIND_IO, NULL,
                                                     NULL);
  g_autoptr(GError) boom = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "boom");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = ad_task_cell_new (AD_TASK_CELL_NAME);
  GtkWidget *state = ad_task_cell_new (AD_TASK_CELL_STATE);
  GtkWidget *outcome = ad_task_cell_new (AD_TASK_CELL_OUTCOME);
  GtkWidget *age = ad_task_cell_new (AD_TASK_CELL_TIME);
  g_autofree char *first_age = NULL;

  g_assert_cmpint (ad_task_cell_get_column (AD_TASK_CELL (outcome)), ==, AD_TASK_CELL_OUTCOME);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), state);
  gtk_box_append (GTK_BOX (box), outcome);
  gtk_box_append (GTK_BOX (box), age);
  gtk_window_set_child (GTK_WINDOW (window), box);
  for (GtkWidget *c = name; c != NULL; c = gtk_widget_get_next_sibling (c))
    g_object_set (c, "task", task, NULL);
  g_assert_true (ad_task_cell_get_task (AD_TASK_CELL (state)) == task);
  g_assert_cmpstr (cell_text (name), ==, "cell task");
  g_assert_cmpstr (cell_text (state), ==, "Pending");

  /* Published changes reach the cell by themselves */
  ad_task_start (task);
  ad_task_registry_flush (registry);
  g_assert_cmpstr (cell_text (state), ==, "Running");

  /* Mapped, the age cell moves with the clock */
  gtk_window_present (GTK_WINDOW (window));
  ad_test_wait_until (gtk_widget_get_mapped (age), 5000);
  first_age = g_strdup (cell_text (age));
  g_assert_true (g_str_has_prefix (first_age, "for "));
  ad_test_wait_until (g_strcmp0 (cell_text (age), first_age) != 0, 5000);

  /* Another task: the cell no longer follows the first one */
  ad_task_cell_set_task (AD_TASK_CELL (state), other);
  g_assert_cmpstr (cell_text (state), ==, "Pending");
  ad_task_finish (task, boom);
  ad_task_registry_flush (registry);
  g_assert_cmpstr (cell_text (state), ==, "Pending");
  g_assert_cmpstr (cell_text (outcome), ==, "Failed: boom");
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_last_child (outcome), "error"));
  g_assert_false (g_str_has_prefix (cell_text (age), "for "));

  gtk_window_destroy (GTK_WINDOW (window));
  ad_task_finish (other, NULL);
  ad_task_registry_flush (registry);
}

static void
store_activated_cb (AdTimelineView *timeline,
                    guint64         task_id,
                    guint64        *out)
{
  *out = task_id;
}

/* The timeline's keyboard commands (its widget actions, which its keys
 * trigger) over a known trace: main loop bars 1 and 2, a thread's bar 3 */
static void
test_timeline_actions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdTrace) trace = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *widget = g_object_new (AD_TYPE_TIMELINE_VIEW, NULL);
  AdTimelineView *timeline = AD_TIMELINE_VIEW (widget);
  g_autofree char *text = NULL;
  guint64 activated = 0;
  gint64 span;

  trace = ad_trace_import_from_data ("{\"traceEvents\":["
    "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"main\"}},"
    "{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":1,\"tid\":1,"
    "\"args\":{\"sort_index\":-1}},"
    "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":2,\"args\":{\"name\":\"pool\"}},"
    "{\"ph\":\"X\",\"name\":\"one\",\"cat\":\"io\",\"ts\":0,\"dur\":1000,\"pid\":1,"
    "\"tid\":1,\"args\":{\"task_id\":1}},"
    "{\"ph\":\"X\",\"name\":\"two\",\"cat\":\"io\",\"ts\":3000,\"dur\":1000,\"pid\":1,"
    "\"tid\":1,\"args\":{\"task_id\":2}},"
    "{\"ph\":\"X\",\"name\":\"three\",\"cat\":\"cpu\",\"ts\":3200,\"dur\":500,\"pid\":1,"
    "\"tid\":2,\"args\":{\"task_id\":3}}]}", -1, &error);
  g_assert_no_error (error);

  ad_timeline_view_set_trace (timeline, trace);
  ad_timeline_view_set_live (timeline, FALSE);
  ad_timeline_view_set_span (timeline, 10000);
  g_signal_connect (timeline, "task-activated", G_CALLBACK (store_activated_cb), &activated);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 300);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));
  ad_test_wait_until (gtk_widget_get_mapped (widget), 5000);
  /* End: show the end of the trace */
  g_assert_true (gtk_widget_activate_action (widget, "timeline.live", NULL));

  /* Home: the earliest bar; Right/Left along its lane; Down to the lane
   * below, Up back */
  g_assert_true (gtk_widget_activate_action (widget, "timeline.first", NULL));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), ==, 1);
  g_assert_true (gtk_widget_activate_action (widget, "timeline.move", "i", 1));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), ==, 2);
  g_assert_true (gtk_widget_activate_action (widget, "timeline.move", "i", -1));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), ==, 1);
  g_assert_true (gtk_widget_activate_action (widget, "timeline.move", "i", 2));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), ==, 3);
  text = ad_timeline_view_describe_focus (timeline);
  g_assert_nonnull (strstr (text, "three"));
  g_assert_nonnull (strstr (text, "pool"));
  g_assert_true (gtk_widget_activate_action (widget, "timeline.move", "i", -2));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), ==, 2);

  /* Return: the focused bar's task is activated */
  g_assert_true (gtk_widget_activate_action (widget, "timeline.activate", NULL));
  g_assert_cmpuint (activated, ==, 2);

  /* +/-: zoom by a fifth and back */
  span = ad_timeline_view_get_span (timeline);
  g_assert_true (gtk_widget_activate_action (widget, "timeline.zoom-in", NULL));
  g_assert_cmpint (ad_timeline_view_get_span (timeline), ==, span * 4 / 5);
  g_assert_true (gtk_widget_activate_action (widget, "timeline.zoom-out", NULL));
  g_assert_cmpint (ad_timeline_view_get_span (timeline), ==, span);

  /* Live, a focused bar holds the view still; End clears the focus and
   * follows the clock again; space pauses and resumes; Shift+arrow pans
   * (and so pauses) */
  ad_timeline_view_set_live (timeline, TRUE);
  g_assert_true (ad_timeline_view_get_paused (timeline));
  g_assert_true (gtk_widget_activate_action (widget, "timeline.live", NULL));
  g_assert_false (ad_timeline_view_get_paused (timeline));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), ==, 0);
  g_assert_true (gtk_widget_activate_action (widget, "timeline.pause", NULL));
  g_assert_true (ad_timeline_view_get_paused (timeline));
  g_assert_true (gtk_widget_activate_action (widget, "timeline.pause", NULL));
  g_assert_false (ad_timeline_view_get_paused (timeline));
  g_assert_true (gtk_widget_activate_action (widget, "timeline.pan", "d", -0.1));
  g_assert_true (ad_timeline_view_get_paused (timeline));
  g_assert_true (gtk_widget_activate_action (widget, "timeline.live", NULL));
  g_assert_false (ad_timeline_view_get_paused (timeline));
  g_assert_cmpuint (ad_timeline_view_get_focused_task (timeline), ==, 0);
  activated = 0;
  g_assert_true (gtk_widget_activate_action (widget, "timeline.activate", NULL));
  g_assert_cmpuint (activated, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Closing the window while a save runs: the save holds nothing of the page,
 * so the page goes at once, on this thread; the file is still written and
 * the finished save does not call back into the page */
static void
test_close_while_saving (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autofree char *dir = g_dir_make_tmp ("tasks-page-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "closing.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(AdTask) task = NULL;
  GObject *page;

  fixture_setup (f, NULL);
  task = ad_task_registry_create (f->registry, "before closing", AD_TASK_KIND_IO, NULL, NULL);
  ad_task_finish (task, NULL);
  settle (f);

  page = g_object_ref (G_OBJECT (f->page));
  ad_tasks_page_save_trace (f->page, file);
  gtk_window_destroy (f->window);
  g_assert_finalize_object (page);

  /* Dispose cancelled the save: either it stopped or it had already
   * written; either way its callback runs (and must find no page) */
  ad_test_spin (50);
  g_unlink (path);
  g_rmdir (dir);
  ad_trace_recorder_detach (f->recorder);
  g_clear_object (&f->recorder);
  ad_task_registry_flush (f->registry);
  g_clear_object (&f->registry);
}

/* Closing the main window with the Open Trace chooser up: the chooser goes
 * with the page, nothing calls back into it, the window is finalized */
static void
test_close_with_chooser (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  GtkWidget *page = ad_gui_test_show_page (window, "tasks", NULL);
  GtkFileChooser *chooser;

  g_assert_true (gtk_widget_activate_action (page, "tasks.import", NULL));
  chooser = ad_gui_test_wait_file_chooser ("Open Trace");
  g_object_add_weak_pointer (G_OBJECT (chooser), (gpointer *) &chooser);

  ad_gui_test_close_window (GTK_WINDOW (window));
  ad_test_wait_until (chooser == NULL, 5000);
  g_assert_null (ad_gui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
}

/* While 2,000 tasks come and go, the page keeps drawing. */
static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  AdTimelineView *timeline = ad_tasks_page_get_timeline (f->page);

  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(AdTask) group = ad_task_registry_create (f->registry, "batch", AD_TASK_KIND_GROUP,
                                                         NULL, NULL);

      ad_task_start (group);
      for (guint i = 0; i < 100; i++)
        {
          g_autoptr(AdTask) task = ad_task_registry_create (f->registry, "item", AD_TASK_KIND_IO,
                                                            group, NULL);
          AdTask *previous = ad_task_push_current (task);

          ad_task_start (task);
          ad_task_pop_current (previous);
          ad_task_finish (task, NULL);
        }
      ad_task_finish (group, NULL);
      ad_test_spin (10);
    }
  settle (f);

  g_assert_cmpuint (ad_trace_get_n_finished (ad_timeline_view_get_trace (timeline),
                                             AD_TASK_STATE_SUCCEEDED), ==, 2020);
  g_assert_cmpuint (ad_timeline_view_get_n_drawn (timeline), >, 0);
  assert_visible (ad_tasks_page_get_visible_tasks (f->page), 0);
}

/* ---- the inspector window --------------------------------------------- */

static void
test_inspector_window (void)
{
  g_auto(GStrv) actions = NULL;
  GtkWindow *inspector;

  actions = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.inspector");
  g_assert_nonnull (actions);
  g_assert_cmpstr (actions[0], ==, "<Shift><Control>t");

  g_action_group_activate_action (G_ACTION_GROUP (app), "inspector", NULL);
  ad_test_wait_until ((inspector = ad_gui_test_find_toplevel (AD_TYPE_INSPECTOR_WINDOW)) != NULL,
                      5000);
  g_assert_nonnull (inspector);
  ad_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (ad_inspector_window_get_page (
                        AD_INSPECTOR_WINDOW (inspector)))), 5000);

  /* Once per app: the action presents the same window */
  g_action_group_activate_action (G_ACTION_GROUP (app), "inspector", NULL);
  ad_test_spin (20);
  g_assert_true (ad_gui_test_find_toplevel (AD_TYPE_INSPECTOR_WINDOW) == inspector);

  ad_gui_test_close_window (inspector);
}

int
main (int   argc,
      char *argv[])
{
  app = ad_gui_test_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add ("/tasks-page/tree-and-filters", Fixture, NULL, fixture_setup, test_tree_and_filters,
              fixture_teardown);
  g_test_add ("/tasks-page/cancel-subtree", Fixture, NULL, fixture_setup, test_cancel_subtree,
              fixture_teardown);
  g_test_add ("/tasks-page/history-outcomes", Fixture, NULL, fixture_setup, test_history_outcomes,
              fixture_teardown);
  g_test_add ("/tasks-page/timeline-renders", Fixture, NULL, fixture_setup, test_timeline_renders,
              fixture_teardown);
  g_test_add ("/tasks-page/timeline-keyboard", Fixture, NULL, fixture_setup,
              test_timeline_focus_description, fixture_teardown);
  g_test_add ("/tasks-page/latency-graph", Fixture, NULL, fixture_setup, test_latency_graph,
              fixture_teardown);
  g_test_add ("/tasks-page/show-imported", Fixture, NULL, fixture_setup, test_show_imported,
              fixture_teardown);
  g_test_add ("/tasks-page/save-and-open", Fixture, NULL, fixture_setup, test_save_and_open,
              fixture_teardown);
  g_test_add ("/tasks-page/busy", Fixture, NULL, fixture_setup, test_busy, fixture_teardown);
  g_test_add ("/tasks-page/save-error", Fixture, NULL, fixture_setup, test_save_error,
              fixture_teardown);
  g_test_add_func ("/tasks-page/close-with-chooser", test_close_with_chooser);
  g_test_add_func ("/tasks-page/close-while-saving", test_close_while_saving);
  g_test_add_func ("/tasks-page/task-cell", test_task_cell);
  g_test_add_func ("/tasks-page/timeline-actions", test_timeline_actions);
  g_test_add_func ("/tasks-page/inspector-window", test_inspector_window);

  return ad_gui_test_run (&app);
}
