/* test-adaptive.c: the libadwaita window: style, folding, toasts, About
 *
 * The window follows the color-scheme setting through AdwStyleManager,
 * folds its sidebar away at a phone's 360 px and unfolds at 1280, keeps
 * every page inside the window when narrow, shows toasts through
 * win.toast, and its About window carries the metainfo's release notes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ad-about.h"
#include "ad-application.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"
#include "ad-window-private.h"

static AdApplication *app;

static void
test_style_follows_setting (void)
{
  GSettings *settings = ad_application_get_settings (app);
  AdwStyleManager *style = adw_style_manager_get_default ();

  g_assert_nonnull (settings);
  /* The default follows the system (light under the test display). */
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);

  g_settings_set_enum (settings, "color-scheme", AD_COLOR_SCHEME_DARK);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));

  g_settings_set_enum (settings, "color-scheme", AD_COLOR_SCHEME_LIGHT);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (style));

  g_settings_reset (settings, "color-scheme");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);
}

/* Asks for @width × @height and waits until the window has it. */
static void
resize (AdWindow *window,
        int       width,
        int       height)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  ad_test_wait_until (gtk_widget_get_width (GTK_WIDGET (window)) <= width &&
                      gtk_widget_get_width (GTK_WIDGET (window)) > width - 60 &&
                      gtk_widget_get_height (GTK_WIDGET (window)) <= height, 5000);
  /* And until the content had its allocation at that size. */
  ad_test_spin (100);
}

typedef struct
{
  GtkWidget  *window;
  GtkWidget  *worst;
  double      worst_overflow;
  graphene_rect_t worst_bounds;
} FitCheck;

/* Every mapped widget lies inside the window, except what a scrolled
 * window scrolls sideways (its own box must fit, what it shows may be
 * wider: a table's columns). */
static void
check_fits (FitCheck  *check,
            GtkWidget *widget)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (widget))
    return;
  if (gtk_widget_compute_bounds (widget, check->window, &bounds))
    {
      double left = -bounds.origin.x;
      double right = bounds.origin.x + bounds.size.width - gtk_widget_get_width (check->window);
      double overflow = MAX (left, right);

      if (overflow > check->worst_overflow)
        {
          check->worst_overflow = overflow;
          check->worst = widget;
          check->worst_bounds = bounds;
        }
    }
  /* A scrollbar's slider overhangs its trough by a few pixels of CSS. */
  if (GTK_IS_SCROLLBAR (widget))
    return;
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkPolicyType hpolicy;

      gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (widget), &hpolicy, NULL);
      if (hpolicy != GTK_POLICY_NEVER)
        return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_fits (check, child);
}

/* Which widget makes @widget so wide: prints the chain of the widest
 * children down from it, for the test log when a page does not fit. */
static void
log_widest (GtkWidget *widget,
            int        depth)
{
  GtkWidget *widest = NULL;
  int widest_min = -1;
  gboolean named;
  int min;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  named = strcmp (gtk_widget_get_name (widget), G_OBJECT_TYPE_NAME (widget)) != 0;
  g_test_message ("%*s%s%s%s: %d px", depth * 2, "", G_OBJECT_TYPE_NAME (widget),
                  named ? " #" : "", named ? gtk_widget_get_name (widget) : "", min);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min;

      if (!gtk_widget_get_visible (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, NULL, NULL, NULL);
      if (child_min > widest_min)
        {
          widest_min = child_min;
          widest = child;
        }
    }
  if (widest != NULL && depth < 40)
    log_widest (widest, depth + 1);
}

/* Goes back to the first pane of each leaflet between @page and @widget:
 * a folded page as a user first meets it, the list or the settings. */
static void
go_back_in_page (GtkWidget *page,
                 GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL && w != page; w = gtk_widget_get_parent (w))
    if (ADW_IS_LEAFLET (w))
      while (adw_leaflet_navigate (ADW_LEAFLET (w), ADW_NAVIGATION_DIRECTION_BACK))
        ;
}

/* Shows @widget if a leaflet of @page hides it: makes each leaflet between
 * them show the child that holds it, as its back/forward buttons would. */
static void
reveal_in_page (GtkWidget *page,
                GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL && w != page; w = gtk_widget_get_parent (w))
    {
      GtkWidget *parent = gtk_widget_get_parent (w);

      if (ADW_IS_LEAFLET (parent))
        adw_leaflet_set_visible_child (ADW_LEAFLET (parent), w);
    }
}

static void
test_leaflet_folds (void)
{
  static const char *pages[] = { "basics", "crawler", "compute", "chat", "tasks" };
  /* The main action of each page, which must stay within reach. */
  static const char *actions[] = {
    "demo.run", "crawler.start", "compute.run", "chat-server.start", "tasks.live"
  };
  AdWindow *window = ad_gui_test_open_window (app);
  AdwLeaflet *leaflet = ad_window_get_leaflet (window);
  GtkWidget *sidebar = ad_gui_test_find_named (GTK_WIDGET (window), "sidebar");
  GtkWidget *content;
  GtkStack *stack = ad_window_get_stack (window);

  g_assert_nonnull (sidebar);

  resize (window, 1280, 800);
  ad_test_wait_until (!adw_leaflet_get_folded (leaflet), 5000);
  g_assert_true (gtk_widget_get_mapped (sidebar));

  /* A phone: the sidebar folds away and the page fills the window. */
  resize (window, 360, 640);
  ad_test_wait_until (adw_leaflet_get_folded (leaflet), 5000);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  content = adw_leaflet_get_visible_child (leaflet);
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (stack), content));
  ad_test_wait_until (!gtk_widget_get_mapped (sidebar), 5000);

  /* Every page fits: nothing outside a scrolled area reaches past the
   * window's edges. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *page = ad_gui_test_show_page (window, pages[i], NULL);
      /* The window's content: the window itself has CSD shadows. */
      GtkWidget *content_area =
        adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
      FitCheck check = { content_area, NULL, 0, GRAPHENE_RECT_INIT (0, 0, 0, 0) };
      int page_min;

      /* The page before it has faded out. */
      ad_test_wait_until (!gtk_stack_get_transition_running (stack), 5000);
      ad_test_spin (100);
      gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &page_min, NULL, NULL, NULL);
      check_fits (&check, content_area);
      g_test_message ("%s at 360 px: page needs %d px%s; worst overflow %.0f px (%s at %.0f+%.0f)",
                      pages[i], page_min, page_min > 360 ? ", too wide" : "",
                      check.worst_overflow,
                      check.worst ? G_OBJECT_TYPE_NAME (check.worst) : "none",
                      check.worst_bounds.origin.x, check.worst_bounds.size.width);
      if (page_min > 360)
        log_widest (page, 0);
      for (GtkWidget *w = check.worst_overflow > 1 ? check.worst : NULL;
           w != NULL && w != content_area;
           w = gtk_widget_get_parent (w))
        g_test_message ("  overflowing: %s %s", G_OBJECT_TYPE_NAME (w),
                        gtk_widget_get_css_name (w));
      /* The page reflows to a phone's width rather than scrolling. */
      g_assert_cmpint (page_min, <=, 360);
      /* 1 px: libadwaita's header bars overlap the pane's border. */
      g_assert_cmpfloat (check.worst_overflow, <=, 1);
      g_assert_cmpint (gtk_widget_get_width (content_area), <=, 360);

      /* Its main action is in reach, after going forward in the page's
       * own leaflet if it has one. */
      {
        GtkWidget *button = ad_gui_test_find_button (page, actions[i]);
        graphene_rect_t bounds;

        g_assert_nonnull (button);
        go_back_in_page (page, button);
        reveal_in_page (page, button);
        ad_test_wait_until (gtk_widget_get_mapped (button) &&
                            gtk_widget_get_width (button) > 0, 5000);
        ad_test_spin (100);
        g_assert_true (gtk_widget_compute_bounds (button, content_area, &bounds));
        g_test_message ("%s: %s at %.0f+%.0f", pages[i], actions[i], bounds.origin.x,
                        bounds.size.width);
        g_assert_cmpfloat (bounds.origin.x, >=, 0);
        g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                           gtk_widget_get_width (content_area));
        g_assert_cmpfloat (bounds.origin.y, >=, 0);
        g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                           gtk_widget_get_height (content_area));
      }
    }

  /* The crawler's settings, opened, fit too (they wrap in a flow box). */
  {
    GtkWidget *page = ad_gui_test_show_page (window, "crawler", NULL);
    GtkWidget *expander = ad_gui_test_find_by_type (page, GTK_TYPE_EXPANDER);
    int page_min;

    gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
    gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &page_min, NULL, NULL, NULL);
    g_test_message ("crawler with its settings open: page needs %d px", page_min);
    if (page_min > 360)
      log_widest (page, 0);
    g_assert_cmpint (page_min, <=, 360);
    gtk_expander_set_expanded (GTK_EXPANDER (expander), FALSE);
  }

  /* Basics folded: back to the list of demos, and the demo already chosen
   * opens again from it. */
  {
    GtkWidget *page = ad_gui_test_show_page (window, "basics", NULL);
    GtkWidget *run = ad_gui_test_find_button (page, "demo.run");
    GtkWidget *list = ad_gui_test_find_by_type (page, GTK_TYPE_LIST_BOX);
    GtkListBoxRow *chosen = gtk_list_box_get_selected_row (GTK_LIST_BOX (list));

    g_assert_nonnull (chosen);
    gtk_widget_activate_action (page, "basics.show-list", NULL);
    ad_test_wait_until (gtk_widget_get_mapped (list) && !gtk_widget_get_mapped (run), 5000);
    g_signal_emit_by_name (list, "row-activated", chosen);
    ad_test_wait_until (gtk_widget_get_mapped (run) && !gtk_widget_get_mapped (list), 5000);
  }

  /* Back to the list of pages, and from it to a page. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-sidebar"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-sidebar", NULL);
  ad_test_wait_until (gtk_widget_get_mapped (sidebar), 5000);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (stack)) &&
                  adw_leaflet_get_visible_child (leaflet) == content);
  g_signal_emit_by_name (sidebar, "row-activated",
                         gtk_list_box_get_row_at_index (GTK_LIST_BOX (sidebar), 2));
  ad_test_wait_until (adw_leaflet_get_visible_child (leaflet) == content, 5000);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "compute");
  /* win.page (a shortcut, D-Bus) goes to the page too. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-sidebar", NULL);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) != content);
  g_action_group_activate_action (G_ACTION_GROUP (window), "page", g_variant_new_string ("chat"));
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == content);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "chat");

  /* Wide again: side by side. */
  resize (window, 1280, 800);
  ad_test_wait_until (!adw_leaflet_get_folded (leaflet), 5000);
  ad_test_wait_until (gtk_widget_get_mapped (sidebar), 5000);
  ad_test_wait_until (!adw_leaflet_get_child_transition_running (leaflet), 5000);

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static gboolean
is_toast_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return ad_gui_test_is_label_with_text (widget, data) &&
         gtk_widget_get_ancestor (widget, g_type_from_name ("AdwToastWidget")) != NULL;
}

static void
test_toast (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  const char *title = "Saved 3 rows to <a & b>.csv";

  g_assert_null (ad_window_get_last_toast_title (window));
  /* As a page does, without knowing the window. */
  gtk_widget_activate_action (GTK_WIDGET (ad_window_get_stack (window)), "win.toast", "s", title);
  g_assert_cmpstr (ad_window_get_last_toast_title (window), ==, title);
  /* Shown, as plain text (markup escaped). */
  {
    g_autofree char *escaped = g_markup_escape_text (title, -1);

    ad_test_wait_until (ad_gui_test_find_widget (GTK_WIDGET (window), is_toast_label,
                                                 escaped) != NULL, 5000);
  }

  ad_gui_test_close_window (GTK_WINDOW (window));
}

static void
test_release_notes (void)
{
  const char *xml =
    "<component><releases>\n"
    "  <release version=\"0.2.0\" date=\"2026-12-01\">\n"
    "    <description>\n"
    "      <p>A new look:\n        libadwaita, <em>dark</em> style.</p>\n"
    "      <ul>\n        <li>Toasts &amp; more</li>\n        <li>Leaflet</li>\n      </ul>\n"
    "    </description>\n"
    "  </release>\n"
    "  <release version=\"0.1.0\"><description><p>Old</p></description></release>\n"
    "</releases></component>";
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autofree char *notes = ad_about_parse_release_notes (xml, &version, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (version, ==, "0.2.0");
  g_assert_cmpstr (notes, ==,
                   "<p>A new look: libadwaita, <em>dark</em> style.</p>"
                   "<ul><li>Toasts &amp; more</li><li>Leaflet</li></ul>");

  g_assert_null (ad_about_parse_release_notes ("<component/>", NULL, &error));
  g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT);
  g_clear_error (&error);
  g_assert_null (ad_about_parse_release_notes ("<component><release>", NULL, &error));
  g_assert_nonnull (error);
}

static void
test_about (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  GtkWindow *about;
  const char *notes;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  ad_test_wait_until ((about = ad_gui_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW)) != NULL, 5000);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_release_notes_version (ADW_ABOUT_WINDOW (about)), ==,
                   PACKAGE_VERSION);
  notes = adw_about_window_get_release_notes (ADW_ABOUT_WINDOW (about));
  g_test_message ("Release notes: %s", notes);
  g_assert_true (g_str_has_prefix (notes, "<p>"));
  g_assert_nonnull (strstr (notes, "first release"));
  gtk_window_destroy (about);

  ad_gui_test_close_window (GTK_WINDOW (window));
}

/* A page shown through win.page does not leave the focus in its search
 * entry (a blinking cursor costs CPU while the window sits idle); through
 * the sidebar, the focus stays on the sidebar. */
static void
test_page_focus_off_text (void)
{
  AdWindow *window = ad_gui_test_open_window (app);
  GtkWidget *basics = ad_window_get_page (window, "basics");
  GtkWidget *tasks = ad_window_get_page (window, "tasks");
  GtkWidget *search = ad_gui_test_find_by_type (tasks, GTK_TYPE_SEARCH_ENTRY);
  GtkListBox *sidebar = GTK_LIST_BOX (ad_gui_test_find_by_type (GTK_WIDGET (window),
                                                                  GTK_TYPE_LIST_BOX));
  GtkWidget *focus;

  g_assert_nonnull (search);
  resize (window, 1000, 700);
  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("basics"));
  ad_test_wait_until (gtk_widget_get_mapped (basics), 5000);
  /* The focus in the page shown. */
  g_assert_true (gtk_widget_child_focus (basics, GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), basics));

  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("tasks"));
  ad_test_wait_until (gtk_widget_get_mapped (tasks), 5000);
  ad_test_spin (100);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_test_message ("focus on a %s", G_OBJECT_TYPE_NAME (focus));
  g_assert_true (gtk_widget_is_ancestor (focus, tasks));
  g_assert_false (focus == search || gtk_widget_is_ancestor (focus, search));
  g_assert_false (GTK_IS_EDITABLE (focus));
  /* Still there for the keyboard. */
  g_assert_true (gtk_widget_get_focusable (ad_gui_test_find_by_type (search, GTK_TYPE_TEXT)));

  /* Through the sidebar: the row keeps the focus. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "page",
                                  g_variant_new_string ("basics"));
  ad_test_wait_until (gtk_widget_get_mapped (basics), 5000);
  g_assert_nonnull (sidebar);
  {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (sidebar, 4);

    gtk_widget_grab_focus (GTK_WIDGET (row));
    g_signal_emit_by_name (sidebar, "row-activated", row);
    ad_test_wait_until (gtk_widget_get_mapped (tasks), 5000);
    ad_test_spin (100);
    g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == GTK_WIDGET (row));
  }

  ad_gui_test_close_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  app = ad_gui_test_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add_func ("/adaptive/style-follows-setting", test_style_follows_setting);
  g_test_add_func ("/adaptive/leaflet-folds", test_leaflet_folds);
  g_test_add_func ("/adaptive/toast", test_toast);
  g_test_add_func ("/adaptive/page-focus-off-text", test_page_focus_off_text);
  g_test_add_func ("/adaptive/release-notes", test_release_notes);
  g_test_add_func ("/adaptive/about", test_about);

  return ad_gui_test_run (&app);
}
