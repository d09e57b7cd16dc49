/* ad-task-ui.c: how the GUI shows task kinds and states
 *
 * The colours are from the GNOME palette, dark enough for a white letter
 * on them to read, and as far apart as six hues can be for the common
 * forms of colour blindness; the letters make them unnecessary. The style
 * sheet's badges (label.kind-*) use the same colours.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Tasks"

#include "config.h"

#include <glib/gi18n.h>

#include "ad-task-ui.h"

void
ad_task_kind_get_color (AdTaskKind  kind,
                        GdkRGBA    *color)
{
  static const char * const colors[] = {
    [AD_TASK_KIND_TIMER] = "#1c71d8",    /* blue 4 */
    [AD_TASK_KIND_IO] = "#26a269",       /* green 5 */
    [AD_TASK_KIND_CPU] = "#c64600",      /* orange 5 */
    [AD_TASK_KIND_PROCESS] = "#813d9c",  /* purple 4 */
    [AD_TASK_KIND_SERVER] = "#865e3c",   /* brown 4 */
    [AD_TASK_KIND_GROUP] = "#5e5c64",    /* dark 2 */
  };

  if (kind >= G_N_ELEMENTS (colors) || !gdk_rgba_parse (color, colors[kind]))
    gdk_rgba_parse (color, "#77767b");
}

const char *
ad_task_kind_get_letter (AdTaskKind kind)
{
  switch (kind)
    {
    case AD_TASK_KIND_TIMER: return C_("task kind letter", "T");
    case AD_TASK_KIND_IO: return C_("task kind letter", "I");
    case AD_TASK_KIND_CPU: return C_("task kind letter", "C");
    case AD_TASK_KIND_PROCESS: return C_("task kind letter", "P");
    case AD_TASK_KIND_SERVER: return C_("task kind letter", "S");
    case AD_TASK_KIND_GROUP: return C_("task kind letter", "G");
    default: return "?";
    }
}

const char *
ad_task_kind_get_label (AdTaskKind kind)
{
  switch (kind)
    {
    case AD_TASK_KIND_TIMER: return C_("task kind", "Timer");
    case AD_TASK_KIND_IO: return C_("task kind", "I/O");
    case AD_TASK_KIND_CPU: return C_("task kind", "CPU");
    case AD_TASK_KIND_PROCESS: return C_("task kind", "Process");
    case AD_TASK_KIND_SERVER: return C_("task kind", "Server");
    case AD_TASK_KIND_GROUP: return C_("task kind", "Group");
    default: return "?";
    }
}

const char *
ad_task_state_get_label (AdTaskState state)
{
  switch (state)
    {
    case AD_TASK_STATE_PENDING: return C_("task state", "Pending");
    case AD_TASK_STATE_RUNNING: return C_("task state", "Running");
    case AD_TASK_STATE_SUCCEEDED: return C_("task state", "Succeeded");
    case AD_TASK_STATE_FAILED: return C_("task state", "Failed");
    case AD_TASK_STATE_CANCELLED: return C_("task state", "Cancelled");
    default: return "?";
    }
}

const char *
ad_task_state_get_icon (AdTaskState state)
{
  switch (state)
    {
    case AD_TASK_STATE_PENDING: return "document-open-recent-symbolic";
    case AD_TASK_STATE_RUNNING: return "media-playback-start-symbolic";
    case AD_TASK_STATE_SUCCEEDED: return "emblem-ok-symbolic";
    case AD_TASK_STATE_FAILED: return "dialog-error-symbolic";
    case AD_TASK_STATE_CANCELLED: return "process-stop-symbolic";
    default: return "dialog-question-symbolic";
    }
}

/**
 * ad_format_duration:
 * @usec: a duration
 *
 * Returns: (transfer full): "850 µs", "12.3 ms", "4.56 s", "3 min 20 s"
 */
char *
ad_format_duration (gint64 usec)
{
  if (usec < 0)
    usec = 0;
  if (usec < 1000)
    return g_strdup_printf (_("%d µs"), (int) usec);
  if (usec < (gint64) 100 * 1000)
    return g_strdup_printf (_("%.1f ms"), usec / 1000.0);
  if (usec < G_USEC_PER_SEC)
    return g_strdup_printf (_("%.0f ms"), usec / 1000.0);
  if (usec < (gint64) 60 * G_USEC_PER_SEC)
    return g_strdup_printf (_("%.2f s"), usec / (double) G_USEC_PER_SEC);
  return g_strdup_printf (_("%d min %d s"), (int) (usec / ((gint64) 60 * G_USEC_PER_SEC)),
                          (int) (usec / G_USEC_PER_SEC % 60));
}

/* The widget's foreground colour, for custom drawing that follows the
 * theme (light or dark). */
void
ad_widget_get_fg_color (GtkWidget *widget,
                        GdkRGBA   *color)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
#endif
}
