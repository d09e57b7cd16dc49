/* ad-window.c: the main window: a sidebar of feature pages beside the page
 *
 * An AdwLeaflet holds the sidebar and the page: side by side when the
 * window is wide enough, one at a time when it is narrow (a phone's 360
 * px), with a back button to the sidebar. Around it an AdwToastOverlay:
 * pages report transient results with the `win.toast` action (a string),
 * so they need not know the window.
 *
 * The window's size, maximized state and the page last shown are kept in
 * GSettings and restored when the window is created again. The page shown
 * is also the state of the `win.page` action.
 *
 * Start-up builds only the page shown first: each stack child is an empty
 * slot, and a page is built into its slot when it is first shown (or
 * asked for through ad_window_get_page()), so the other pages cost
 * nothing until they are visited.
 *
 * Closing the window, or app.quit, while work runs (a crawl, a
 * computation, the chat server with clients, tasks in the registry) asks
 * first, naming what runs: Cancel keeps everything, Quit goes on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-a11y.h"
#include "ad-basics-page.h"
#include "ad-chat-page.h"
#include "ad-crawler-page.h"
#include "ad-tasks-page.h"
#include "ad-compute-page.h"
#include "ad-window.h"
#include "ad-window-private.h"

struct _AdWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GtkSelectionModel    *pages;
  char                 *last_toast_title;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_pane;
  GtkListBox           *sidebar;
  GtkWidget            *content_pane;
  AdwWindowTitle       *page_title;
  GtkStack             *stack;
  AdwBin               *basics_slot;
  AdwBin               *crawler_slot;
  AdwBin               *compute_slot;
  AdwBin               *chat_slot;
  AdwBin               *tasks_slot;

  /* The "Stop running work and quit?" question, while it is shown. */
  AdwMessageDialog     *quit_dialog;
  gboolean              quit_dialog_quits_app;
  gboolean              ask_before_closing;
  gboolean              close_confirmed;
};

G_DEFINE_FINAL_TYPE (AdWindow, ad_window, ADW_TYPE_APPLICATION_WINDOW)

/* The slot (a stack child) that holds the page @name, or NULL. */
static AdwBin *
ad_window_get_slot (AdWindow   *self,
                    const char *name)
{
  GtkWidget *slot = name != NULL ? gtk_stack_get_child_by_name (self->stack, name) : NULL;

  return ADW_IS_BIN (slot) ? ADW_BIN (slot) : NULL;
}

static GType
ad_window_page_type (AdWindow *self,
                     AdwBin   *slot)
{
  if (slot == self->basics_slot)
    return AD_TYPE_BASICS_PAGE;
  if (slot == self->crawler_slot)
    return AD_TYPE_CRAWLER_PAGE;
  if (slot == self->compute_slot)
    return AD_TYPE_COMPUTE_PAGE;
  if (slot == self->chat_slot)
    return AD_TYPE_CHAT_PAGE;
  if (slot == self->tasks_slot)
    return AD_TYPE_TASKS_PAGE;
  g_return_val_if_reached (G_TYPE_INVALID);
}

/* Every page's log keeps as many lines as the preference says. */
static void
ad_window_bind_basics_page (AdWindow *self)
{
  GtkWidget *page = adw_bin_get_child (self->basics_slot);

  if (self->settings != NULL && page != NULL)
    g_settings_bind (self->settings, "log-capacity", page, "log-capacity", G_SETTINGS_BIND_GET);
}

/* The page in @slot, built on the first call. */
static GtkWidget *
ad_window_ensure_page (AdWindow *self,
                       AdwBin   *slot)
{
  GtkWidget *page = adw_bin_get_child (slot);

  if (page != NULL)
    return page;

  g_debug ("Building the %s page", gtk_stack_page_get_name (gtk_stack_get_page (self->stack,
                                                                               GTK_WIDGET (slot))));
  page = g_object_new (ad_window_page_type (self, slot), NULL);
  adw_bin_set_child (slot, page);
  if (slot == self->basics_slot)
    ad_window_bind_basics_page (self);

  return page;
}

static void
ad_window_ensure_visible_page (AdWindow *self)
{
  GtkWidget *slot = gtk_stack_get_visible_child (self->stack);

  if (ADW_IS_BIN (slot))
    ad_window_ensure_page (self, ADW_BIN (slot));
}

/* The page, or NULL while it was not built. */
static GtkWidget *
ad_window_peek (AdwBin *slot)
{
  return slot != NULL ? adw_bin_get_child (slot) : NULL;
}

static GtkWidget *
create_sidebar_row (gpointer item,
                    gpointer user_data)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  g_object_bind_property (item, "title", label, "label", G_BINDING_SYNC_CREATE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  /* GTK 4.8 does not name a row after its text. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);

  return row;
}

/* A page shown through win.page while the focus was in the page before:
 * GtkStack hands the focus to the new page's first focusable widget. When
 * that is a text entry (the Tasks page's search), its blinking cursor
 * costs CPU the whole time the window sits idle, and the user did not ask
 * to type: the focus goes on to the page's first control that is not text
 * (Tab and Shift+Tab still reach the entry). Through the sidebar, the
 * focus stays on the sidebar's row, as in GNOME Settings. */
static void
ad_window_move_focus_off_text (AdWindow  *self,
                               GtkWidget *page)
{
  for (guint i = 0; i < 16; i++)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

      if (focus == NULL || !GTK_IS_EDITABLE (focus) || !gtk_widget_is_ancestor (focus, page))
        return;
      if (!gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD))
        return;
    }
}

/* The sidebar's selection and the header's title follow the page shown,
 * however it was chosen (sidebar, win.page, restored state); folded, the
 * window goes to the page. */
static void
ad_window_sync_page (AdWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);
  GtkStackPage *page = child != NULL ? gtk_stack_get_page (self->stack, child) : NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->pages));

  adw_window_title_set_title (self->page_title,
                              page != NULL ? gtk_stack_page_get_title (page) : "");
  for (guint i = 0; i < n; i++)
    if (gtk_selection_model_is_selected (self->pages, i))
      gtk_list_box_select_row (self->sidebar, gtk_list_box_get_row_at_index (self->sidebar, i));
  adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
  if (child != NULL)
    ad_window_move_focus_off_text (self, child);
}

/* A choice in the sidebar shows the page, and when folded goes to it. */
static void
ad_window_sidebar_row_activated (AdWindow      *self,
                                 GtkListBoxRow *row)
{
  gtk_selection_model_select_item (self->pages, gtk_list_box_row_get_index (row), TRUE);
  /* The page shown already: go to it all the same. */
  adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
}

static void
show_sidebar_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  AdWindow *self = user_data;

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar_pane);
}

static void
toast_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  AdWindow *self = user_data;
  const char *title = g_variant_get_string (parameter, NULL);
  /* Plain text: a file name may hold '&' or '<', and a 1.2 toast's title
   * is always markup. */
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  g_free (self->last_toast_title);
  self->last_toast_title = g_strdup (title);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static const GActionEntry win_actions[] = {
  { "show-sidebar", show_sidebar_action },
  { "toast", toast_action, "s" },
};

static void
ad_window_save_state (AdWindow *self)
{
  g_autoptr(GSettings) batch = NULL;
  g_autofree char *schema_id = NULL;
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  /* One write for all the keys, through an object of its own: delay mode
   * never ends, and the app's settings object is shared (the preferences
   * window writes through it). */
  g_object_get (self->settings, "schema-id", &schema_id, NULL);
  batch = g_settings_new (schema_id);
  g_settings_delay (batch);
  g_settings_set_boolean (batch, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (batch, "window-width", width);
      g_settings_set_int (batch, "window-height", height);
    }
  if (gtk_stack_get_visible_child_name (self->stack) != NULL)
    g_settings_set_string (batch, "last-page", gtk_stack_get_visible_child_name (self->stack));
  g_settings_apply (batch);
}

static void
ad_window_restore_state (AdWindow *self)
{
  g_autofree char *page = NULL;

  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  page = g_settings_get_string (self->settings, "last-page");
  if (page[0] != '\0' && gtk_stack_get_child_by_name (self->stack, page) != NULL)
    gtk_stack_set_visible_child_name (self->stack, page);
}

/* One clause per kind of work, joined into a sentence: "A crawl and 3
 * tasks are running." NULL when nothing runs. */
char *
ad_window_describe_running_work (AdWindow *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  /* A page not built yet runs nothing. */
  GtkWidget *chat_page = ad_window_peek (self->chat_slot);
  GtkWidget *crawler_page = ad_window_peek (self->crawler_slot);
  GtkWidget *compute_page = ad_window_peek (self->compute_slot);
  AdChatServerPanel *panel = chat_page != NULL ?
                             ad_chat_page_get_server_panel (AD_CHAT_PAGE (chat_page)) : NULL;
  AdChatServer *server = panel != NULL ? ad_chat_server_panel_get_server (panel) : NULL;
  guint n_clients = server != NULL ? ad_chat_server_get_n_clients (server) : 0;
  guint n_tasks = ad_task_registry_get_n_live (ad_task_registry_get_default ());
  g_autofree char *list = NULL;
  g_autofree char *sentence = NULL;
  guint n_things = 0;

  g_return_val_if_fail (AD_IS_WINDOW (self), NULL);

  if (crawler_page != NULL && ad_crawler_page_get_running (AD_CRAWLER_PAGE (crawler_page)))
    g_ptr_array_add (parts, g_strdup (_("a crawl")));
  if (compute_page != NULL && ad_compute_page_get_running (AD_COMPUTE_PAGE (compute_page)))
    g_ptr_array_add (parts, g_strdup (_("a computation")));
  if (n_clients > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "the chat server with %u client",
                                                          "the chat server with %u clients",
                                                          n_clients),
                                             n_clients));
  if (n_tasks > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task", "%u tasks",
                                                          n_tasks),
                                             n_tasks));
  if (parts->len == 0)
    return NULL;

  /* "a, b and c" */
  for (guint i = 0; i < parts->len; i++)
    {
      const char *part = g_ptr_array_index (parts, i);
      char *joined;

      if (list == NULL)
        joined = g_strdup (part);
      else if (i + 1 < parts->len)
        /* TRANSLATORS: joins the items of a list but the last one */
        joined = g_strdup_printf (_("%s, %s"), list, part);
      else
        /* TRANSLATORS: joins the last item of a list */
        joined = g_strdup_printf (_("%s and %s"), list, part);
      g_free (list);
      list = joined;
    }
  /* One task alone is singular, anything else (a crawl and a task) plural. */
  n_things = parts->len == 1 && n_tasks > 0 ? n_tasks : parts->len;
  /* TRANSLATORS: %s is a list such as "a crawl and 3 tasks" */
  sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s is running.", "%s are running.",
                                           n_things),
                              list);

  /* The sentence starts with a capital. */
  {
    gunichar first = g_utf8_get_char (sentence);
    char buffer[8] = { 0 };

    g_unichar_to_utf8 (g_unichar_totitle (first), buffer);
    return g_strconcat (buffer, g_utf8_next_char (sentence), NULL);
  }
}

typedef struct
{
  AdWindow  *window;
  GtkWindow *dialog;
  gboolean   quit;
} QuitAnswer;

static void
quit_answer_free (gpointer data)
{
  QuitAnswer *answer = data;

  /* The dialog first: it lets go of its transient parent. */
  g_object_unref (answer->dialog);
  g_object_unref (answer->window);
  g_free (answer);
}

/* After the dialog's response is over: the dialog goes (a response given
 * through adw_message_dialog_response() does not close it), and Quit goes
 * on with what was asked. */
static gboolean
ad_window_quit_answered_cb (gpointer user_data)
{
  QuitAnswer *answer = user_data;
  AdWindow *self = answer->window;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  gtk_window_close (answer->dialog);
  if (!answer->quit)
    return G_SOURCE_REMOVE;

  if (self->quit_dialog_quits_app && app != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  else
    gtk_window_close (GTK_WINDOW (self));

  return G_SOURCE_REMOVE;
}

static void
ad_window_quit_dialog_response (AdWindow         *self,
                                const char       *response,
                                AdwMessageDialog *dialog)
{
  QuitAnswer *answer = g_new0 (QuitAnswer, 1);

  g_clear_weak_pointer (&self->quit_dialog);
  answer->window = g_object_ref (self);
  answer->dialog = g_object_ref (GTK_WINDOW (dialog));
  answer->quit = g_strcmp0 (response, "quit") == 0;
  if (answer->quit)
    self->close_confirmed = TRUE;
  ad_idle_add_named (G_PRIORITY_DEFAULT, "[async-demo] answer to the quit question",
                     ad_window_quit_answered_cb, answer, quit_answer_free);
}

/**
 * ad_window_ask_before_quitting:
 * @quit_app: whether Quit quits the app (app.quit) or closes the window
 *
 * Asks before work is stopped, when work runs and the window was not told
 * to go on already.
 *
 * Returns: %TRUE when the question is shown (the caller stops: the
 *   answer goes on), %FALSE when the caller may close at once
 */
gboolean
ad_window_ask_before_quitting (AdWindow *self,
                               gboolean  quit_app)
{
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  g_return_val_if_fail (AD_IS_WINDOW (self), FALSE);

  if (self->quit_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->quit_dialog));
      return TRUE;
    }
  if (self->close_confirmed || !self->ask_before_closing)
    return FALSE;
  body = ad_window_describe_running_work (self);
  if (body == NULL)
    return FALSE;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Stop running work and quit?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "quit", _("_Quit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "quit", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  self->quit_dialog_quits_app = quit_app;
  g_signal_connect_object (dialog, "response", G_CALLBACK (ad_window_quit_dialog_response), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->quit_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

static gboolean
ad_window_close_request (GtkWindow *window)
{
  if (ad_window_ask_before_quitting (AD_WINDOW (window), FALSE))
    return TRUE;

  ad_window_save_state (AD_WINDOW (window));

  return GTK_WINDOW_CLASS (ad_window_parent_class)->close_request (window);
}

/* "application" is an ordinary property, set after construction: pick
 * up the settings and restore the state once it arrives, before the
 * window is first shown. */
static void
ad_window_notify_application (AdWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (self->settings != NULL || !AD_IS_APPLICATION (app) ||
      ad_application_get_settings (AD_APPLICATION (app)) == NULL)
    return;

  self->settings = g_object_ref (ad_application_get_settings (AD_APPLICATION (app)));
  /* The page restored is the one built (not the first, then that one). */
  ad_window_restore_state (self);
  ad_window_bind_basics_page (self);
}

/* Shown without a page built yet (the first page, or no saved state):
 * build the page shown, before the window's first size is measured. */
static void
ad_window_show (GtkWidget *widget)
{
  ad_window_ensure_visible_page (AD_WINDOW (widget));

  GTK_WIDGET_CLASS (ad_window_parent_class)->show (widget);
}

static void
ad_window_visible_child_changed (AdWindow *self)
{
  ad_window_ensure_visible_page (self);
  ad_window_sync_page (self);
}

/* For debugging (and the tests that resize the real window): GTK keeps
 * the size the user gives the window as its default size, which is what
 * ad_window_save_state() saves. */
static void
ad_window_notify_default_size (AdWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_debug ("Window size %d×%d", width, height);
}

static void
ad_window_dispose (GObject *object)
{
  AdWindow *self = (AdWindow *) object;

  /* win.page holds the stack: let go of it, so that the pages (and what
   * they run) go with the window. */
  g_action_map_remove_action (G_ACTION_MAP (self), "page");
  if (self->sidebar != NULL)
    gtk_list_box_bind_model (self->sidebar, NULL, NULL, NULL, NULL);
  g_clear_object (&self->pages);
  gtk_widget_dispose_template (GTK_WIDGET (self), AD_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->last_toast_title, g_free);
  if (self->quit_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->quit_dialog));
  g_clear_weak_pointer (&self->quit_dialog);

  G_OBJECT_CLASS (ad_window_parent_class)->dispose (object);
}

static void
ad_window_class_init (AdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ad_window_dispose;
  window_class->close_request = ad_window_close_request;
  widget_class->show = ad_window_show;

  g_type_ensure (AD_TYPE_BASICS_PAGE);
  g_type_ensure (AD_TYPE_CHAT_PAGE);
  g_type_ensure (AD_TYPE_CRAWLER_PAGE);
  g_type_ensure (AD_TYPE_TASKS_PAGE);
  g_type_ensure (AD_TYPE_COMPUTE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ad-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AdWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, AdWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, AdWindow, content_pane);
  gtk_widget_class_bind_template_child (widget_class, AdWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, AdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AdWindow, basics_slot);
  gtk_widget_class_bind_template_child (widget_class, AdWindow, crawler_slot);
  gtk_widget_class_bind_template_child (widget_class, AdWindow, compute_slot);
  gtk_widget_class_bind_template_child (widget_class, AdWindow, chat_slot);
  gtk_widget_class_bind_template_child (widget_class, AdWindow, tasks_slot);
}

static void
ad_window_init (AdWindow *self)
{
  g_autoptr(GPropertyAction) page_action = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->ask_before_closing = TRUE;

  /* win.page: the page shown, by name, as a stateful action (for menus,
   * shortcuts and scripts over D-Bus: the window exports its actions). */
  page_action = g_property_action_new ("page", self->stack, "visible-child-name");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (page_action));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);

  self->pages = gtk_stack_get_pages (self->stack);
  gtk_list_box_bind_model (self->sidebar, G_LIST_MODEL (self->pages), create_sidebar_row, NULL,
                           NULL);
  g_signal_connect_object (self->sidebar, "row-activated",
                           G_CALLBACK (ad_window_sidebar_row_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (ad_window_visible_child_changed), self, G_CONNECT_SWAPPED);
  /* Folded (narrow), the window opens on the page, not on the list. The
   * page itself is built when the window is shown, after the state (the
   * page last shown) is restored. */
  ad_window_sync_page (self);

  g_signal_connect (self, "notify::application", G_CALLBACK (ad_window_notify_application), NULL);
  ad_a11y_follow_help_overlay (GTK_APPLICATION_WINDOW (self));
  g_signal_connect (self, "notify::default-width", G_CALLBACK (ad_window_notify_default_size),
                    NULL);
  g_signal_connect (self, "notify::default-height", G_CALLBACK (ad_window_notify_default_size),
                    NULL);
}

AdWindow *
ad_window_new (AdApplication *application)
{
  return g_object_new (AD_TYPE_WINDOW, "application", application, NULL);
}

/**
 * ad_window_get_page:
 * @name: a page's name in the stack ("basics", "crawler", …)
 *
 * The page @name, built now if it was not yet (pages are built when first
 * shown). The stack's child is the page's slot, not the page.
 *
 * Returns: (transfer none) (nullable): the page, or %NULL for no such page
 */
GtkWidget *
ad_window_get_page (AdWindow   *self,
                    const char *name)
{
  AdwBin *slot;

  g_return_val_if_fail (AD_IS_WINDOW (self), NULL);

  slot = ad_window_get_slot (self, name);

  return slot != NULL ? ad_window_ensure_page (self, slot) : NULL;
}

GtkWidget *
ad_window_peek_page (AdWindow   *self,
                     const char *name)
{
  g_return_val_if_fail (AD_IS_WINDOW (self), NULL);

  return ad_window_peek (ad_window_get_slot (self, name));
}

GtkStack *
ad_window_get_stack (AdWindow *self)
{
  g_return_val_if_fail (AD_IS_WINDOW (self), NULL);

  return self->stack;
}

AdwLeaflet *
ad_window_get_leaflet (AdWindow *self)
{
  g_return_val_if_fail (AD_IS_WINDOW (self), NULL);

  return self->leaflet;
}

const char *
ad_window_get_last_toast_title (AdWindow *self)
{
  g_return_val_if_fail (AD_IS_WINDOW (self), NULL);

  return self->last_toast_title;
}

AdwMessageDialog *
ad_window_get_quit_dialog (AdWindow *self)
{
  g_return_val_if_fail (AD_IS_WINDOW (self), NULL);

  return self->quit_dialog;
}

void
ad_window_set_ask_before_closing (AdWindow *self,
                                  gboolean  ask)
{
  g_return_if_fail (AD_IS_WINDOW (self));

  self->ask_before_closing = ask;
}
