/* ad-log-entry.c: one immutable log record
 *
 * Records are created on whichever thread logs and never change afterwards,
 * so they can be shared between threads and list models without locking.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Log"

#include "config.h"

#include "ad-log-entry.h"

struct _AdLogEntry
{
  GObject         parent_instance;
  gint64          time_us;
  gint64          elapsed_us;
  GLogLevelFlags  level;
  char           *domain;
  char           *thread_name;
  char           *message;
};

G_DEFINE_FINAL_TYPE (AdLogEntry, ad_log_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIME,
  PROP_ELAPSED,
  PROP_DOMAIN,
  PROP_THREAD_NAME,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ad_log_entry_finalize (GObject *object)
{
  AdLogEntry *self = (AdLogEntry *) object;

  g_free (self->domain);
  g_free (self->thread_name);
  g_free (self->message);

  G_OBJECT_CLASS (ad_log_entry_parent_class)->finalize (object);
}

static void
ad_log_entry_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AdLogEntry *self = AD_LOG_ENTRY (object);

  switch (prop_id)
    {
    case PROP_TIME:
      g_value_set_int64 (value, self->time_us);
      break;
    case PROP_ELAPSED:
      g_value_set_int64 (value, self->elapsed_us);
      break;
    case PROP_DOMAIN:
      g_value_set_string (value, self->domain);
      break;
    case PROP_THREAD_NAME:
      g_value_set_string (value, self->thread_name);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_log_entry_class_init (AdLogEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ad_log_entry_finalize;
  object_class->get_property = ad_log_entry_get_property;

  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ELAPSED] =
    g_param_spec_int64 ("elapsed", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOMAIN] =
    g_param_spec_string ("domain", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_THREAD_NAME] =
    g_param_spec_string ("thread-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ad_log_entry_init (AdLogEntry *self)
{
}

AdLogEntry *
ad_log_entry_new (gint64          time_us,
                  gint64          elapsed_us,
                  GLogLevelFlags  level,
                  const char     *domain,
                  const char     *thread_name,
                  const char     *message)
{
  AdLogEntry *self = g_object_new (AD_TYPE_LOG_ENTRY, NULL);

  self->time_us = time_us;
  self->elapsed_us = elapsed_us;
  self->level = level & G_LOG_LEVEL_MASK;
  self->domain = g_strdup (domain);
  self->thread_name = g_strdup (thread_name);
  self->message = g_strdup (message);

  return self;
}

/**
 * ad_log_entry_get_elapsed:
 *
 * Returns: microseconds between the start of the log's clock (the last
 *   ad_log_model_clear()) and this record
 */
gint64
ad_log_entry_get_elapsed (AdLogEntry *self)
{
  g_return_val_if_fail (AD_IS_LOG_ENTRY (self), 0);
  return self->elapsed_us;
}

GLogLevelFlags
ad_log_entry_get_level (AdLogEntry *self)
{
  g_return_val_if_fail (AD_IS_LOG_ENTRY (self), 0);
  return self->level;
}

const char *
ad_log_entry_get_domain (AdLogEntry *self)
{
  g_return_val_if_fail (AD_IS_LOG_ENTRY (self), NULL);
  return self->domain;
}

const char *
ad_log_entry_get_thread_name (AdLogEntry *self)
{
  g_return_val_if_fail (AD_IS_LOG_ENTRY (self), NULL);
  return self->thread_name;
}

const char *
ad_log_entry_get_message (AdLogEntry *self)
{
  g_return_val_if_fail (AD_IS_LOG_ENTRY (self), NULL);
  return self->message;
}

/**
 * ad_log_entry_format:
 *
 * Returns: (transfer full): the record as one line of text, the way the
 *   command line prints it: elapsed milliseconds, thread, message
 */
char *
ad_log_entry_format (AdLogEntry *self)
{
  g_return_val_if_fail (AD_IS_LOG_ENTRY (self), NULL);

  return g_strdup_printf ("%9.1f ms  %-10s %s",
                          self->elapsed_us / 1000.0,
                          self->thread_name ? self->thread_name : "?",
                          self->message ? self->message : "");
}
