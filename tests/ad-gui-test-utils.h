/* ad-gui-test-utils.h: helpers shared by the GUI test suites
 *
 * One copy of what every GUI suite needs: the start-up of a test program
 * with a display and a held application, opening and closing the real
 * window, showing one of its pages, and finding widgets in a tree the way
 * a user would see them (by action, label, type or name).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-application.h"
#include "ad-window.h"

G_BEGIN_DECLS

/* GTK and the test framework, no application: FALSE when there is no
 * display (register no test); bails out when DISPLAY is set but unusable. */
gboolean       ad_gui_test_init_gtk      (int            *argc,
                                          char         ***argv);
/* Sets up the locale, the core, this build's translations and GTest, then
 * opens the display and returns a registered, held application (for
 * ad_gui_test_run() to drop). Returns NULL when there is no display:
 * register no test then, and return g_test_run(). */
AdApplication *ad_gui_test_init          (int            *argc,
                                          char         ***argv);

/* Runs the registered tests (which may use *@app), then releases the
 * application and clears *@app. */
int            ad_gui_test_run           (AdApplication **app);

/* Activates @app and returns its window once it is mapped and has a size. */
AdWindow      *ad_gui_test_open_window   (AdApplication  *app);

/* Closes @window and asserts that it is finalized: nothing it started
 * keeps it alive. */
void           ad_gui_test_close_window  (GtkWindow      *window);

/* Shows the page @name of @window's stack, asserting that it exists and,
 * unless @title is NULL, that its title is @title; returns it once mapped. */
GtkWidget     *ad_gui_test_show_page     (AdWindow       *window,
                                          const char     *name,
                                          const char     *title);

/* Switches the translations to @language from the next lookup on (gettext
 * reads LANGUAGE every time) and returns the previous value, for
 * ad_gui_test_restore_language(). */
char          *ad_gui_test_set_language  (const char     *language);

/* Puts LANGUAGE back as it was, and frees @old_language. */
void           ad_gui_test_restore_language (char        *old_language);

/* The first visible toplevel of @type, or NULL. */
GtkWindow     *ad_gui_test_find_toplevel (GType           type);

typedef gboolean (*AdGuiTestPredicate) (GtkWidget     *widget,
                                        gconstpointer  data);

/* The first widget of the tree under @root (itself included, depth first)
 * for which @predicate holds, or NULL. */
GtkWidget     *ad_gui_test_find_widget   (GtkWidget          *root,
                                          AdGuiTestPredicate  predicate,
                                          gconstpointer       data);

/* The common searches: ad_gui_test_find_widget() with one of the
 * predicates below. */
GtkWidget     *ad_gui_test_find_button   (GtkWidget          *root,
                                          const char         *action);
GtkWidget     *ad_gui_test_find_label    (GtkWidget          *root,
                                          const char         *text);
GtkWidget     *ad_gui_test_find_by_type  (GtkWidget          *root,
                                          GType               type);
GtkWidget     *ad_gui_test_find_named    (GtkWidget          *root,
                                          const char         *name);

/* Predicates for ad_gui_test_find_widget(); @data is what they say. */

/* A button whose action is the string @data ("win.something"). */
gboolean ad_gui_test_is_button_with_action (GtkWidget     *widget,
                                            gconstpointer  data);
/* A label whose label (with mnemonics and markup) is the string @data. */
gboolean ad_gui_test_is_label_with_text    (GtkWidget     *widget,
                                            gconstpointer  data);
/* An instance of the GType in @data (GSIZE_TO_POINTER (type)). */
gboolean ad_gui_test_is_type               (GtkWidget     *widget,
                                            gconstpointer  data);
/* A widget whose name (gtk_widget_set_name(), or the .ui id) is @data. */
gboolean ad_gui_test_is_named              (GtkWidget     *widget,
                                            gconstpointer  data);

/* A factory of one label per row, for a list of GtkStringObjects. */
GtkListItemFactory *ad_gui_test_label_factory_new (void);

G_END_DECLS

G_BEGIN_DECLS

/* File choosers. Without a portal (as under the test display),
 * GtkFileChooserNative shows an in-process GtkFileChooserDialog: these
 * find it and answer it the way a user would. */

/* Waits until a GtkFileChooserDialog titled @title is shown and returns it
 * (GTK's list of toplevels keeps it alive). */
GtkFileChooser *ad_gui_test_wait_file_chooser   (const char     *title);

/* Chooses @file in @chooser (its folder, then its name when saving) and
 * presses the accept button: the chooser checks the choice and responds,
 * possibly after a main loop iteration. */
void            ad_gui_test_accept_file_chooser (GtkFileChooser *chooser,
                                                 GFile          *file);

G_END_DECLS
