/* test-quit.c: closing the window or quitting while work runs asks first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ad-application.h"
#include "ad-core.h"
#include "ad-gui-test-utils.h"
#include "ad-test-utils.h"
#include "ad-window.h"
#include "ad-window-private.h"

static AdApplication *app;

typedef struct
{
  GCancellable *cancellable;
  gboolean      done;
} Sleep;

static void
sleep_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Sleep *sleep = user_data;

  ad_sleep_finish (result, NULL);
  sleep->done = TRUE;
}

static void
set_finalized (gpointer  data,
               GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

static guint
count_message_dialogs (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      n++;
  g_list_free (toplevels);

  return n;
}

/* A window that asks, with nothing left running from before. */
static AdWindow *
open_asking_window (gboolean *finalized)
{
  AdWindow *window = ad_gui_test_open_window (app);

  ad_window_set_ask_before_closing (window, TRUE);
  ad_test_wait_until (ad_task_registry_get_n_live (ad_task_registry_get_default ()) == 0, 5000);
  g_object_weak_ref (G_OBJECT (window), set_finalized, finalized);

  return window;
}

static void
test_nothing_running (void)
{
  gboolean finalized = FALSE;
  AdWindow *window = open_asking_window (&finalized);

  g_assert_null (ad_window_describe_running_work (window));
  gtk_window_close (GTK_WINDOW (window));
  /* No question: the window goes at once. */
  if (!finalized)
    g_assert_null (ad_window_get_quit_dialog (window));
  ad_test_wait_until (finalized, 5000);
  g_assert_cmpuint (count_message_dialogs (), ==, 0);
}

/* Closing while a task runs shows the question, in the window. */
static AdwMessageDialog *
close_and_get_question (AdWindow *window)
{
  AdwMessageDialog *dialog;

  gtk_window_close (GTK_WINDOW (window));
  dialog = ad_window_get_quit_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_cmpuint (count_message_dialogs (), ==, 1);
  ad_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (dialog)), 5000);

  return dialog;
}

static void
test_cancel_keeps_work (void)
{
  Sleep sleep = { g_cancellable_new (), FALSE };
  gboolean finalized = FALSE;
  AdWindow *window = open_asking_window (&finalized);
  AdwMessageDialog *dialog;

  ad_sleep_async (600000, sleep.cancellable, sleep_done, &sleep);
  dialog = close_and_get_question (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Stop running work and quit?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "1 task is running.");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "quit"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);

  adw_message_dialog_response (dialog, "cancel");
  ad_test_wait_until (count_message_dialogs () == 0, 5000);
  ad_test_spin (100);
  /* The window and its work stay. */
  g_assert_false (finalized);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_null (ad_window_get_quit_dialog (window));
  g_assert_false (sleep.done);
  g_assert_false (g_cancellable_is_cancelled (sleep.cancellable));
  g_assert_cmpuint (ad_task_registry_get_n_live (ad_task_registry_get_default ()), >=, 1);

  /* Asked again, the answer Quit closes it. */
  adw_message_dialog_response (close_and_get_question (window), "quit");
  ad_test_wait_until (finalized, 5000);

  g_cancellable_cancel (sleep.cancellable);
  ad_test_wait_until (sleep.done, 5000);
  g_clear_object (&sleep.cancellable);
}

static void
test_quit_ends (void)
{
  Sleep sleep = { g_cancellable_new (), FALSE };
  gboolean finalized = FALSE;
  AdWindow *window = open_asking_window (&finalized);
  g_autofree char *body = NULL;

  ad_sleep_async (600000, sleep.cancellable, sleep_done, &sleep);
  ad_sleep_async (600000, sleep.cancellable, sleep_done, &sleep);
  body = ad_window_describe_running_work (window);
  g_assert_cmpstr (body, ==, "2 tasks are running.");
  adw_message_dialog_response (close_and_get_question (window), "quit");
  ad_test_wait_until (finalized, 5000);
  g_assert_cmpuint (count_message_dialogs (), ==, 0);

  g_cancellable_cancel (sleep.cancellable);
  ad_test_wait_until (sleep.done, 5000);
  g_clear_object (&sleep.cancellable);
}

int
main (int   argc,
      char *argv[])
{
  app = ad_gui_test_init (&argc, &argv);
  if (app == NULL)
    return g_test_run ();

  g_test_add_func ("/quit/nothing-running", test_nothing_running);
  g_test_add_func ("/quit/cancel-keeps-work", test_cancel_keeps_work);
  g_test_add_func ("/quit/quit-ends", test_quit_ends);

  return ad_gui_test_run (&app);
}
