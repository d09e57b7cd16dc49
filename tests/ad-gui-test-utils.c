/* ad-gui-test-utils.c: helpers shared by the GUI test suites
 *
 * A static library of its own, next to adtestutils, so that only the GUI
 * suites link GTK. The waits are ad_test_wait_until(), which scales its
 * bound under valgrind (AD_TEST_SLOW), never fixed sleeps before a check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Tests"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "ad-core.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"
#include "ad-window-private.h"

gboolean
ad_gui_test_init_gtk (int    *argc,
                      char ***argv)
{
  setlocale (LC_ALL, "");
  ad_core_init ();
  /* Use the catalogs this build just compiled, not installed ones. */
  bindtextdomain (GETTEXT_PACKAGE, AD_TEST_LOCALEDIR);
  textdomain (GETTEXT_PACKAGE);

  ad_test_keep_glib_quark_block ();
  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    {
      const char *display = g_getenv ("DISPLAY");

      /* No display at all: the GUI tests cannot run here, and say so with
       * an empty plan. A display that was asked for and cannot be opened
       * is a broken setup, not a reason to pass with nothing run. */
      if (display != NULL && *display != '\0')
        {
          printf ("Bail out! DISPLAY is \"%s\" but GTK cannot initialise\n", display);
          exit (1);
        }
      g_test_message ("No display: GUI tests not registered");
      return FALSE;
    }

  return TRUE;
}

AdApplication *
ad_gui_test_init (int    *argc,
                  char ***argv)
{
  AdApplication *app;

  if (!ad_gui_test_init_gtk (argc, argv))
    return NULL;

  app = g_object_new (AD_TYPE_APPLICATION,
                      "application-id", APP_ID,
                      "flags", G_APPLICATION_NON_UNIQUE,
                      "resource-base-path", RESOURCE_BASE,
                      NULL);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  /* Keep the app alive while windows come and go between tests. */
  g_application_hold (G_APPLICATION (app));

  return app;
}

int
ad_gui_test_run (AdApplication **app)
{
  int ret = g_test_run ();

  g_application_release (G_APPLICATION (*app));
  g_clear_object (app);

  return ret;
}

AdWindow *
ad_gui_test_open_window (AdApplication *app)
{
  AdWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = AD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  /* Tests close windows while work runs, to see it cancelled: no
   * question first (tests/test-quit.c asks it). */
  ad_window_set_ask_before_closing (window, FALSE);
  /* Let it map and draw. */
  ad_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
                      gtk_widget_get_width (GTK_WIDGET (window)) > 0, 5000);

  return window;
}

static void
set_finalized (gpointer  data,
               GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

void
ad_gui_test_close_window (GtkWindow *window)
{
  gboolean finalized = FALSE;

  /* Closed means gone: nothing the window started keeps it alive. Wait
   * for the finalization itself (idle teardown, pending operations that
   * must give up their reference) rather than a fixed spin. */
  g_object_weak_ref (G_OBJECT (window), set_finalized, &finalized);
  gtk_window_close (window);
  ad_test_wait_until (finalized, 5000);
}

GtkWidget *
ad_gui_test_show_page (AdWindow   *window,
                       const char *name,
                       const char *title)
{
  GtkStack *stack = ad_window_get_stack (window);
  GtkWidget *slot = gtk_stack_get_child_by_name (stack, name);
  GtkWidget *page;

  g_assert_nonnull (slot);
  if (title != NULL)
    g_assert_cmpstr (gtk_stack_page_get_title (gtk_stack_get_page (stack, slot)), ==, title);
  gtk_stack_set_visible_child (stack, slot);
  /* The stack holds the page's slot: the page is built when first shown. */
  page = ad_window_get_page (window, name);
  g_assert_nonnull (page);
  ad_test_wait_until (gtk_widget_get_mapped (page), 5000);

  return page;
}

char *
ad_gui_test_set_language (const char *language)
{
  char *old_language = g_strdup (g_getenv ("LANGUAGE"));

  g_setenv ("LANGUAGE", language, TRUE);

  return old_language;
}

void
ad_gui_test_restore_language (char *old_language)
{
  if (old_language != NULL)
    g_setenv ("LANGUAGE", old_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  g_free (old_language);
}

GtkWindow *
ad_gui_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;  /* GTK's list keeps it alive */
    }

  return NULL;
}

GtkWidget *
ad_gui_test_find_widget (GtkWidget          *root,
                         AdGuiTestPredicate  predicate,
                         gconstpointer       data)
{
  if (predicate (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ad_gui_test_find_widget (child, predicate, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

gboolean
ad_gui_test_is_button_with_action (GtkWidget     *widget,
                                   gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

gboolean
ad_gui_test_is_label_with_text (GtkWidget     *widget,
                                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

gboolean
ad_gui_test_is_type (GtkWidget     *widget,
                     gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

gboolean
ad_gui_test_is_named (GtkWidget     *widget,
                      gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_name (widget), data) == 0;
}

GtkWidget *
ad_gui_test_find_button (GtkWidget  *root,
                         const char *action)
{
  return ad_gui_test_find_widget (root, ad_gui_test_is_button_with_action, action);
}

GtkWidget *
ad_gui_test_find_label (GtkWidget  *root,
                        const char *text)
{
  return ad_gui_test_find_widget (root, ad_gui_test_is_label_with_text, text);
}

GtkWidget *
ad_gui_test_find_by_type (GtkWidget *root,
                          GType      type)
{
  return ad_gui_test_find_widget (root, ad_gui_test_is_type, GSIZE_TO_POINTER (type));
}

GtkWidget *
ad_gui_test_find_named (GtkWidget  *root,
                        const char *name)
{
  return ad_gui_test_find_widget (root, ad_gui_test_is_named, name);
}

static GtkWindow *
find_file_chooser (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          g_strcmp0 (gtk_window_get_title (window), title) == 0)
        return window;  /* GTK's list keeps it alive */
    }

  return NULL;
}

GtkFileChooser *
ad_gui_test_wait_file_chooser (const char *title)
{
  /* Mapped: on map, the chooser goes to its first folder (loaded
   * asynchronously), which would undo a choice made before. */
  ad_test_wait_until (find_file_chooser (title) != NULL &&
                      gtk_widget_get_mapped (GTK_WIDGET (find_file_chooser (title))), 5000);

  return GTK_FILE_CHOOSER (find_file_chooser (title));
}

static gboolean
chooser_has_file (GtkFileChooser *chooser,
                  GFile          *file)
{
  g_autoptr(GFile) chosen = gtk_file_chooser_get_file (chooser);

  return chosen != NULL && g_file_equal (chosen, file);
}

/* Sets @file as @chooser's choice. */
static void
choose (GtkFileChooser *chooser,
        GFile          *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (gtk_file_chooser_get_action (chooser) != GTK_FILE_CHOOSER_ACTION_SAVE)
    {
      gtk_file_chooser_set_file (chooser, file, &error);
      g_assert_no_error (error);
      return;
    }

  /* Saving: the whole path in the name entry, as a user may type it. It
   * holds whatever folder the chooser shows: the first one it loads, in
   * its own time, would replace a folder chosen with
   * gtk_file_chooser_set_current_folder(). */
  path = g_file_get_path (file);
  gtk_file_chooser_set_current_name (chooser, path);
}

void
ad_gui_test_accept_file_chooser (GtkFileChooser *chooser,
                                 GFile          *file)
{
  g_assert_true (GTK_IS_FILE_CHOOSER_DIALOG (chooser));
  /* Choosing may load a folder asynchronously: wait until the chooser
   * returns the choice (setting it again if something came in between). */
  for (guint attempt = 0; attempt < 3 && !chooser_has_file (chooser, file); attempt++)
    {
      /* Each choice restarts the load: give it time before another. */
      gint64 deadline = g_get_monotonic_time () +
                        (gint64) (g_getenv ("AD_TEST_SLOW") != NULL ? 20 : 2) * G_USEC_PER_SEC;

      choose (chooser, file);
      while (!chooser_has_file (chooser, file) && g_get_monotonic_time () < deadline)
        ad_test_spin (10);
    }
  g_assert_true (chooser_has_file (chooser, file));

  /* What the accept button does; GtkFileChooserDialog then checks the
   * choice (and may stop this emission to respond later). */
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
}

static void
label_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  data)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
}

static void
label_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  data)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

GtkListItemFactory *
ad_gui_test_label_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (label_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (label_bind_cb), NULL);

  return factory;
}
