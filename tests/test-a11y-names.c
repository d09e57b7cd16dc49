/* test-a11y-names.c: every control of the real window has a name a screen
 * reader can say, and the drawn views describe what they show
 *
 * The in-process guard beside the AT-SPI audit under tests/a11y/: it opens
 * the real window, walks every page's widget tree and computes each
 * interactive widget's accessible name the way GTK 4.8 does it for the
 * accessibility bus (gtk_at_context_get_name(), private in 4.8): the
 * label property, then the label properties of the labelled-by widgets,
 * a range's value text, and, only when all of that is empty, the class
 * name. A name fails when it is empty, is a class name (what a screen
 * reader announces for an unnamed control), contains a mnemonic
 * underscore, or says the same words twice ("Run Run").
 *
 * GTK 4.8 has no public getter for accessible properties. It has the
 * test API (gtktestatcontext.h), whose check functions return the actual
 * value when it differs from the expected one; the test compares with a
 * value no widget has, so it reads every value back. Relations come back
 * as "Type<address>" strings; an address is resolved only against the
 * widgets of the window, never dereferenced blindly. That needs GTK's
 * test accessibility backend, so this program sets GTK_A11Y=test before
 * GTK starts (the other GUI tests run with GTK_A11Y=none).
 *
 * AD_A11Y_DUMP=1 prints every name computed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-application.h"
#include "ad-chat-page.h"
#include "ad-compute-page.h"
#include "ad-core.h"
#include "ad-gui-test-utils.h"
#include "ad-latency-graph.h"
#include "ad-mandelbrot-view.h"
#include "ad-speedup-chart.h"
#include "ad-test-utils.h"
#include "ad-timeline-view.h"
#include "ad-task-ui.h"
#include "ad-tasks-page.h"
#include "ad-window.h"

static AdApplication *app;

/* A value no accessible property holds: the check functions then return
 * the actual value. */
#define NO_SUCH_VALUE "\x01"

static char *
get_string_property (GtkWidget             *widget,
                     GtkAccessibleProperty  property)
{
  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return NULL;

  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, NO_SUCH_VALUE);
}

static gboolean
is_hidden (GtkWidget *widget)
{
  g_autofree char *value = NULL;

  if (!gtk_test_accessible_has_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN))
    return FALSE;

  /* NULL: the state is what was asked for. */
  value = gtk_test_accessible_check_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN,
                                           TRUE);
  return value == NULL;
}

static void
collect_widgets (GtkWidget *widget,
                 GPtrArray *widgets)
{
  g_ptr_array_add (widgets, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, widgets);
}

/* The widgets @widget is labelled by, found among @known by the addresses
 * GTK prints ("GtkLabel<0x5555...> ..."). Fails on an address that is
 * not one of @known. */
static GPtrArray *
get_labelled_by (GtkWidget *widget,
                 GPtrArray *known)
{
  GPtrArray *result = g_ptr_array_new ();
  g_autofree char *printed = NULL;
  const char *p;

  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                         GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return result;

  printed = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget),
                                                GTK_ACCESSIBLE_RELATION_LABELLED_BY, NULL);
  for (p = printed ? strstr (printed, "<0x") : NULL; p != NULL; p = strstr (p + 1, "<0x"))
    {
      guint64 address = g_ascii_strtoull (p + 3, NULL, 16);
      gpointer found = NULL;

      for (guint i = 0; i < known->len; i++)
        if ((guint64) GPOINTER_TO_SIZE (g_ptr_array_index (known, i)) == address)
          found = g_ptr_array_index (known, i);

      if (found == NULL)
        g_error ("%s is labelled by %s, outside the window", G_OBJECT_TYPE_NAME (widget), p);
      g_ptr_array_add (result, found);
    }

  return result;
}

static gboolean
is_structural_role (GtkAccessibleRole role)
{
  switch ((int) role)
    {
    case GTK_ACCESSIBLE_ROLE_FORM:
    case GTK_ACCESSIBLE_ROLE_GROUP:
    case GTK_ACCESSIBLE_ROLE_GENERIC:
    case GTK_ACCESSIBLE_ROLE_LANDMARK:
    case GTK_ACCESSIBLE_ROLE_LIST_ITEM:
    case GTK_ACCESSIBLE_ROLE_REGION:
    case GTK_ACCESSIBLE_ROLE_SEARCH:
    case GTK_ACCESSIBLE_ROLE_SEPARATOR:
      return TRUE;
    default:
      return FALSE;
    }
}

/* GTK 4.8's name computation, step by step (see the header comment). */
static void
accumulate_name (GtkWidget *widget,
                 GPtrArray *known,
                 GPtrArray *names,
                 gboolean   recurse)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));
  char *label = get_string_property (widget, GTK_ACCESSIBLE_PROPERTY_LABEL);

  if (label != NULL)
    g_ptr_array_add (names, label);

  if (recurse)
    {
      g_autoptr(GPtrArray) labelled_by = get_labelled_by (widget, known);

      for (guint i = 0; i < labelled_by->len; i++)
        accumulate_name (g_ptr_array_index (labelled_by, i), known, names, FALSE);
    }

  if (role == GTK_ACCESSIBLE_ROLE_RANGE)
    {
      char *value = get_string_property (widget, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT);

      if (value == NULL)
        value = get_string_property (widget, GTK_ACCESSIBLE_PROPERTY_VALUE_NOW);
      if (value != NULL)
        g_ptr_array_add (names, value);
    }

  if (is_hidden (widget) || names->len != 0)
    return;

  if (!is_structural_role (role))
    g_ptr_array_add (names, g_strdup (G_OBJECT_TYPE_NAME (widget)));
}

static char *
compute_name (GtkWidget *widget,
              GPtrArray *known)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  accumulate_name (widget, known, names, TRUE);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

/* What a user operates: the roles GTK gives its controls. */
static gboolean
is_interactive (GtkWidget *widget)
{
  switch ((int) gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
      return TRUE;
    default:
      /* Drawn views the keyboard reaches. */
      return gtk_widget_get_focusable (widget) &&
             (AD_IS_TIMELINE_VIEW (widget) || AD_IS_MANDELBROT_VIEW (widget));
    }
}

/* "Run Run", "Use Sample Use Sample": the first half of the words again. */
static gboolean
repeats_itself (const char *name)
{
  g_auto(GStrv) words = g_strsplit (name, " ", -1);
  guint n = g_strv_length (words);

  if (n < 2 || n % 2 != 0)
    return FALSE;
  for (guint i = 0; i < n / 2; i++)
    if (g_strcmp0 (words[i], words[i + n / 2]) != 0)
      return FALSE;

  return TRUE;
}

/* Why @name is a bad name, or NULL when it is a good one. */
static const char *
judge_name (const char *name)
{
  if (name[0] == '\0')
    return "no name";
  if (g_type_from_name (name) != 0)
    return "announced by its class";
  if (strchr (name, '_') != NULL)
    return "a mnemonic underscore";
  if (repeats_itself (name))
    return "says itself twice";

  return NULL;
}

/* A widget's place in the tree, for the failure message. */
static char *
describe_path (GtkWidget *widget)
{
  GString *path = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (w));

      /* The ids GtkBuilder makes up say nothing. */
      if (id == NULL || g_str_has_prefix (id, "___"))
        id = G_OBJECT_TYPE_NAME (w);
      g_string_prepend (path, id);
      if (gtk_widget_get_parent (w) != NULL)
        g_string_prepend (path, "/");
      if (AD_IS_WINDOW (w))
        break;
    }

  return g_string_free (path, FALSE);
}

/* Walks @window and returns the bad names found, one per line ("" when
 * there is none); counts the controls checked in @n_checked. */
static char *
audit_names (gpointer window,
             guint   *n_checked)
{
  g_autoptr(GPtrArray) known = g_ptr_array_new ();
  GString *bad = g_string_new (NULL);
  gboolean dump = g_getenv ("AD_A11Y_DUMP") != NULL;

  collect_widgets (GTK_WIDGET (window), known);
  *n_checked = 0;
  for (guint i = 0; i < known->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (known, i);
      g_autofree char *name = NULL;
      const char *verdict;

      /* Hidden controls too (they show up with an error or a setting),
       * but not a drop-down's own search entry, in its closed popover. */
      if (!is_interactive (widget) || gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER) != NULL)
        continue;

      name = compute_name (widget, known);
      verdict = judge_name (name);
      (*n_checked)++;
      if (dump || verdict != NULL)
        {
          g_autofree char *path = describe_path (widget);

          if (dump)
            g_printerr ("%-28s %-40s %s\n", verdict ? verdict : "ok", name, path);
          if (verdict != NULL)
            g_string_append_printf (bad, "%s: \"%s\" (%s)\n", path, name, verdict);
        }
    }

  return g_string_free (bad, FALSE);
}

static gboolean
has_client (AdChatServer *server,
            const char   *nick)
{
  GListModel *clients = ad_chat_server_get_clients (server);

  for (guint i = 0; i < g_list_model_get_n_items (clients); i++)
    {
      g_autoptr(AdChatConnection) conn = g_list_model_get_item (clients, i);

      if (g_strcmp0 (ad_chat_connection_get_nick (conn), nick) == 0)
        return TRUE;
    }

  return FALSE;
}

static AdChatServer *
start_chat_server (AdChatPage *page)
{
  AdChatServerPanel *panel = ad_chat_page_get_server_panel (page);
  AdChatServer *server = ad_chat_server_panel_get_server (panel);

  ad_chat_server_panel_set_port (panel, 0);
  gtk_widget_activate_action (GTK_WIDGET (panel), "chat-server.start", NULL);
  g_assert_true (ad_chat_server_get_running (server));

  return server;
}

/* The names lost their underscores, the buttons kept their mnemonics. */
static void
assert_mnemonic (GtkWidget *button,
                 guint      keyval)
{
  GtkWidget *label = gtk_widget_get_first_child (button);

  while (label != NULL && !GTK_IS_LABEL (label))
    label = gtk_widget_get_next_sibling (label);
  g_assert_nonnull (label);
  g_assert_cmpuint (gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (label))), ==,
                    keyval);
  g_assert_true (gtk_label_get_mnemonic_widget (GTK_LABEL (label)) == button);
}

/* Every page once, with rows in the chat server's table and a client tab,
 * so that the buttons made per row and per tab are checked too. */
static void
test_names (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  static const char *const pages[] = { "basics", "crawler", "compute", "chat", "tasks" };
  AdChatPage *chat;
  AdChatServer *server;
  GtkWidget *expander;
  g_autofree char *bad = NULL;
  guint n_checked;

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    ad_gui_test_show_page (window, pages[i], NULL);

  /* A collapsed expander holds no child. */
  expander = ad_gui_test_find_by_type (GTK_WIDGET (window), GTK_TYPE_EXPANDER);
  g_assert_nonnull (expander);
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);

  chat = AD_CHAT_PAGE (ad_gui_test_show_page (window, "chat", NULL));
  server = start_chat_server (chat);
  ad_chat_page_add_client (chat, "127.0.0.1", ad_chat_server_get_port (server), "alice");
  ad_test_wait_until (has_client (server, "alice"), 5000);

  bad = audit_names (window, &n_checked);
  g_test_message ("%u controls checked", n_checked);
  if (bad[0] != '\0')
    g_test_message ("Badly named controls:\n%s", bad);
  g_assert_cmpuint (n_checked, >, 40);
  g_assert_cmpstr (bad, ==, "");

  assert_mnemonic (ad_gui_test_find_button (GTK_WIDGET (window), "compute.run"), GDK_KEY_r);
  assert_mnemonic (ad_gui_test_find_button (GTK_WIDGET (window), "crawler.start"), GDK_KEY_s);

  gtk_widget_activate_action (GTK_WIDGET (ad_chat_page_get_server_panel (chat)),
                              "chat-server.stop", NULL);
  ad_gui_test_close_window (GTK_WINDOW (window));
}

/* The shortcuts window GtkApplication builds from gtk/help-overlay.ui:
 * its search entry, search button and sections button are GTK's own, named
 * by ad_a11y_follow_help_overlay(). */
static void
test_help_overlay_names (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  GtkShortcutsWindow *overlay =
    gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_autofree char *bad = NULL;
  guint n_checked;

  g_assert_nonnull (overlay);
  bad = audit_names (overlay, &n_checked);
  g_test_message ("%u controls checked", n_checked);
  if (bad[0] != '\0')
    g_test_message ("Badly named controls:\n%s", bad);
  g_assert_cmpuint (n_checked, >=, 3);
  g_assert_cmpstr (bad, ==, "");

  ad_gui_test_close_window (GTK_WINDOW (window));
}

/* ---- keyboard --------------------------------------------------------- */

/* Whether the keyboard reaches @widget by Tab: a stop on it or inside it
 * (an entry's text, a drop-down's button). */
static gboolean
is_reached (GtkWidget *widget,
            GPtrArray *stops)
{
  for (guint i = 0; i < stops->len; i++)
    {
      GtkWidget *stop = g_ptr_array_index (stops, i);

      if (stop == widget || gtk_widget_is_ancestor (stop, widget))
        return TRUE;
    }

  return FALSE;
}

/* Controls a user reaches otherwise: rows of a list by the arrow keys
 * once Tab is in the list, a closed popover's content not at all. */
static gboolean
is_tab_stop_expected (GtkWidget *widget)
{
  return gtk_widget_is_drawable (widget) && gtk_widget_is_sensitive (widget) &&
         gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER) == NULL &&
         gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_VIEW) == NULL &&
         gtk_widget_get_ancestor (widget, GTK_TYPE_COLUMN_VIEW) == NULL &&
         gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW_CONTROLS) == NULL;
}

/* Tab through the whole window from @page on, as a keyboard user would,
 * and fail on any control of @page that is never reached. */
static void
check_tab_reaches_page (AdWindow  *window,
                        GtkWidget *page)
{
  g_autoptr(GPtrArray) stops = g_ptr_array_new ();
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();
  g_autoptr(GString) missed = g_string_new (NULL);

  /* From the page's first control on, Tab as the window moves it, until
   * the focus leaves the page (the sidebar before it is a list, where Tab
   * moves through the rows). */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  g_assert_true (gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD));
  for (guint i = 0; i < 500; i++)
    {
      GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));

      if (focus == NULL || !gtk_widget_is_ancestor (focus, page) ||
          g_ptr_array_find (stops, focus, NULL))
        break;
      g_ptr_array_add (stops, focus);
      if (g_getenv ("AD_A11Y_DUMP") != NULL)
        {
          g_autofree char *path = describe_path (focus);

          g_printerr ("  stop %s\n", path);
        }
      gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
    }
  g_assert_true (gtk_widget_get_mapped (page));
  g_assert_cmpuint (stops->len, >, 0);

  collect_widgets (page, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (widgets, i);

      if (is_interactive (widget) && is_tab_stop_expected (widget) &&
          !is_reached (widget, stops))
        {
          g_autofree char *path = describe_path (widget);

          g_string_append_printf (missed, "%s\n", path);
        }
    }

  g_test_message ("%s: %u Tab stops", G_OBJECT_TYPE_NAME (page), stops->len);
  g_assert_cmpstr (missed->str, ==, "");
}

/* Whether @widget, drawn now, draws a border (its focus ring): its own
 * snapshot, without waiting for a frame. */
static gboolean
draws_border (GtkWidget *widget)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GBytes) bytes = NULL;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_to_node (snapshot);
  if (node == NULL)
    return FALSE;  /* nothing drawn at all */
  bytes = gsk_render_node_serialize (node);

  return g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "border {") != NULL;
}

/* Every page by keyboard alone: Tab reaches each control shown; the
 * drawn views with keyboard controls take the focus. */
static void
test_keyboard (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  static const char *const pages[] = { "basics", "crawler", "compute", "chat", "tasks" };
  AdComputePage *compute;
  AdTasksPage *tasks;
  GtkWidget *view;
  GtkWidget *expander;

  /* The crawler's settings collapsed (Tab must pass them), then open. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    check_tab_reaches_page (window, ad_gui_test_show_page (window, pages[i], NULL));
  /* In the crawler page, built when first shown. */
  expander = ad_gui_test_find_by_type (GTK_WIDGET (window), GTK_TYPE_EXPANDER);
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  check_tab_reaches_page (window, ad_gui_test_show_page (window, "crawler", NULL));

  /* The focus, visible on the Mandelbrot view (the theme draws no ring
   * for a custom widget). */
  compute = AD_COMPUTE_PAGE (ad_gui_test_show_page (window, "compute", NULL));
  view = GTK_WIDGET (ad_compute_page_get_mandelbrot_view (compute));
  gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  g_assert_false (draws_border (view));
  g_assert_true (gtk_widget_grab_focus (view));
  g_assert_true (gtk_widget_has_visible_focus (view));
  g_assert_true (draws_border (view));

  tasks = AD_TASKS_PAGE (ad_gui_test_show_page (window, "tasks", NULL));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (ad_tasks_page_get_timeline (tasks))));

  ad_gui_test_close_window (GTK_WINDOW (window));
}

/* ---- descriptions ---------------------------------------------------- */

static char *
get_description (gpointer widget)
{
  char *text = get_string_property (GTK_WIDGET (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  g_assert_nonnull (text);
  g_test_message ("%s: %s", G_OBJECT_TYPE_NAME (widget), text);

  return text;
}

static gboolean
description_contains (gpointer    widget,
                      const char *part)
{
  g_autofree char *text = get_string_property (GTK_WIDGET (widget),
                                               GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  return text != NULL && strstr (text, part) != NULL;
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("\"%s\" does not contain \"%s\"", text, part);
}

/* Blocks the loop once, long enough to count as a stall. */
static gboolean
block_loop_cb (gpointer user_data)
{
  g_usleep ((gulong) GPOINTER_TO_UINT (user_data) * 1000);

  return G_SOURCE_REMOVE;
}

static gboolean
has_stall (AdLoopMonitor *monitor)
{
  g_autoptr(GArray) stalls = ad_loop_monitor_get_stalls (monitor);

  return stalls->len > 0;
}

static void
check_latency_graph (AdTasksPage *page)
{
  AdLatencyGraph *graph = ad_tasks_page_get_latency_graph (page);
  AdLoopMonitor *monitor = ad_latency_graph_get_monitor (graph);
  g_autoptr(GArray) samples = NULL;
  g_autoptr(GArray) stalls = NULL;
  g_autofree char *latest = NULL;
  g_autofree char *longest = NULL;
  g_autofree char *text = NULL;
  gint64 longest_us = 0;

  g_assert_nonnull (monitor);
  g_assert_true (ad_loop_monitor_get_running (monitor));
  g_idle_add_full (G_PRIORITY_DEFAULT, block_loop_cb,
                   GUINT_TO_POINTER (ad_loop_monitor_get_stall_threshold (monitor) * 3), NULL);
  ad_test_wait_until (has_stall (monitor), 10000);

  /* The graph copies the figures; nothing runs in between. */
  ad_latency_graph_refresh (graph);
  samples = ad_loop_monitor_get_samples (monitor);
  stalls = ad_loop_monitor_get_stalls (monitor);
  g_assert_cmpuint (samples->len, >, 0);
  for (guint i = 0; i < stalls->len; i++)
    longest_us = MAX (longest_us, g_array_index (stalls, AdLoopStall, i).duration_us);
  latest = ad_format_duration (g_array_index (samples, AdLatencySample,
                                              samples->len - 1).latency_us);
  longest = ad_format_duration (longest_us);

  text = get_description (graph);
  assert_contains (text, latest);
  assert_contains (text, longest);
  assert_contains (text, "longest stall");
}

/* One task on the main loop, so that the timeline has a bar. */
static void
record_task (AdTaskRegistry *registry)
{
  AdTask *task = ad_task_registry_create (registry, "described", AD_TASK_KIND_TIMER, NULL, NULL);
  AdTask *previous;

  ad_task_start (task);
  previous = ad_task_push_current (task);
  g_usleep (2000);
  ad_task_pop_current (previous);
  ad_task_finish (task, NULL);
}

static void
check_timeline (AdTasksPage *page)
{
  AdTimelineView *timeline = ad_tasks_page_get_timeline (page);
  g_autofree char *bars = NULL;
  g_autofree char *span = NULL;
  g_autofree char *text = NULL;

  /* A minute in view: the bar stays in it however slow the frames come
   * (valgrind). */
  ad_timeline_view_set_span (timeline, (gint64) 60 * G_USEC_PER_SEC);
  span = ad_format_duration (ad_timeline_view_get_span (timeline));
  record_task (ad_tasks_page_get_registry (page));
  /* A frame drawn before the new span may still be the one described:
   * wait for one drawn with it. */
  ad_test_wait_until (ad_timeline_view_get_n_drawn (timeline) > 0 &&
                      description_contains (timeline, span), 10000);

  /* Each frame describes what it drew; nothing draws in between. */
  bars = g_strdup_printf ("%u task bar", ad_timeline_view_get_n_drawn (timeline));
  text = get_description (timeline);
  assert_contains (text, bars);
  assert_contains (text, span);
  assert_contains (text, " lane");

  /* The focused bar comes after the overview. */
  gtk_widget_grab_focus (GTK_WIDGET (timeline));
  g_assert_true (ad_timeline_view_focus_bar (timeline, 0));
  {
    g_autofree char *focus = ad_timeline_view_describe_focus (timeline);
    g_autofree char *focused = get_description (timeline);

    g_assert_nonnull (focus);
    assert_contains (focused, focus);
  }
  ad_timeline_view_set_live (timeline, TRUE);
}

static gboolean
compute_stopped (AdComputePage *page)
{
  return !ad_compute_page_get_running (page);
}

static void
check_mandelbrot (AdComputePage *page)
{
  AdMandelbrotView *view = ad_compute_page_get_mandelbrot_view (page);
  g_autofree char *before = get_description (view);
  g_autofree char *tiles = NULL;
  g_autofree char *text = NULL;

  assert_contains (before, "not rendered yet");

  ad_compute_page_set_workload (page, AD_COMPUTE_WORKLOAD_MANDELBROT);
  ad_compute_page_set_max_iter (page, 77);
  ad_compute_page_set_image_size (page, 128, 128);
  gtk_widget_activate_action (GTK_WIDGET (page), "compute.run", NULL);
  ad_test_wait_until (compute_stopped (page), 30000);

  g_assert_cmpuint (ad_mandelbrot_view_get_n_tiles (view), ==, 4);
  tiles = g_strdup_printf ("%u tiles", ad_mandelbrot_view_get_n_tiles (view));
  text = get_description (view);
  assert_contains (text, "at most 77 iterations");
  assert_contains (text, tiles);
  assert_contains (text, "Done");
  assert_contains (text, "Centre ");
}

/* The drawn views say what they show, with the figures, once they have
 * data; each has a role and a name too. */
static void
test_descriptions (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  AdTasksPage *tasks = AD_TASKS_PAGE (ad_gui_test_show_page (window, "tasks", NULL));
  AdComputePage *compute;

  g_assert_cmpint (gtk_accessible_get_accessible_role (
                     GTK_ACCESSIBLE (ad_tasks_page_get_latency_graph (tasks))),
                   ==, GTK_ACCESSIBLE_ROLE_IMG);
  check_latency_graph (tasks);
  check_timeline (tasks);

  compute = AD_COMPUTE_PAGE (ad_gui_test_show_page (window, "compute", NULL));
  g_assert_cmpint (gtk_accessible_get_accessible_role (
                     GTK_ACCESSIBLE (ad_compute_page_get_mandelbrot_view (compute))),
                   ==, GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_cmpint (gtk_accessible_get_accessible_role (
                     GTK_ACCESSIBLE (ad_compute_page_get_speedup_chart (compute))),
                   ==, GTK_ACCESSIBLE_ROLE_IMG);
  check_mandelbrot (compute);
  /* The speed-up chart's description: test-speedup-chart. */

  ad_gui_test_close_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* The test backend keeps what the widgets tell assistive technology. */
  g_setenv ("GTK_A11Y", "test", TRUE);

  app = ad_gui_test_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add_func ("/a11y/names", test_names);
  g_test_add_func ("/a11y/help-overlay-names", test_help_overlay_names);
  g_test_add_func ("/a11y/keyboard", test_keyboard);
  g_test_add_func ("/a11y/descriptions", test_descriptions);

  return ad_gui_test_run (&app);
}
