/* ad-trace-recorder.c: a flight recorder for the task registry
 *
 * Design:
 *  - The registry calls the listener synchronously on the reporting
 *    thread, so recording must cost little and never block for long: one
 *    uncontended mutex around a copy into a preallocated slot. No
 *    allocation per event: the task's name is copied (truncated) into the
 *    slot instead of interned, because names such as "GET /page/4711" are
 *    unbounded and an intern table would grow for ever.
 *  - Each event has a sequence number (the count of events recorded
 *    before it). The ring keeps the last capacity of them; a reader keeps
 *    a cursor and learns how many it missed when the writers lapped it.
 *  - Thread names alone cannot tell pool threads apart (GLib names them
 *    all after the program), so each thread gets a process-wide serial
 *    number the first time it records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Trace"

#include "config.h"

#include <string.h>

#include "ad-trace-recorder.h"
#include "ad-tsan.h"

struct _AdTraceRecorder
{
  GObject         parent_instance;

  AdTaskRegistry *registry;
  guint           listener_id;

  GMutex          mutex;
  AdTraceEvent   *slots;
  guint           capacity;
  guint64         n_recorded;   /* sequence number of the next event */
  guint64         first;        /* oldest sequence number still wanted (clear) */
};

G_DEFINE_FINAL_TYPE (AdTraceRecorder, ad_trace_recorder, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAPACITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * ad_trace_thread_id:
 *
 * Returns: a small number naming the calling thread, unique for the
 *   process's lifetime (never 0)
 */
guint32
ad_trace_thread_id (void)
{
  static gint next_id = 1;
  static _Thread_local guint32 id;

  if (G_UNLIKELY (id == 0))
    id = (guint32) g_atomic_int_add (&next_id, 1);

  return id;
}

static void
ad_trace_recorder_dispose (GObject *object)
{
  AdTraceRecorder *self = AD_TRACE_RECORDER (object);

  ad_trace_recorder_detach (self);

  G_OBJECT_CLASS (ad_trace_recorder_parent_class)->dispose (object);
}

static void
ad_trace_recorder_finalize (GObject *object)
{
  AdTraceRecorder *self = AD_TRACE_RECORDER (object);

  g_free (self->slots);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ad_trace_recorder_parent_class)->finalize (object);
}

static void
ad_trace_recorder_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AdTraceRecorder *self = AD_TRACE_RECORDER (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_trace_recorder_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AdTraceRecorder *self = AD_TRACE_RECORDER (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      self->capacity = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_trace_recorder_constructed (GObject *object)
{
  AdTraceRecorder *self = AD_TRACE_RECORDER (object);

  G_OBJECT_CLASS (ad_trace_recorder_parent_class)->constructed (object);

  self->slots = g_new0 (AdTraceEvent, self->capacity);
}

static void
ad_trace_recorder_class_init (AdTraceRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ad_trace_recorder_dispose;
  object_class->finalize = ad_trace_recorder_finalize;
  object_class->get_property = ad_trace_recorder_get_property;
  object_class->set_property = ad_trace_recorder_set_property;
  object_class->constructed = ad_trace_recorder_constructed;

  /**
   * AdTraceRecorder:capacity:
   *
   * How many events the ring keeps.
   */
  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL, 16, 16 * 1024 * 1024,
                       AD_TRACE_RECORDER_DEFAULT_CAPACITY,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ad_trace_recorder_init (AdTraceRecorder *self)
{
  g_mutex_init (&self->mutex);
}

/**
 * ad_trace_recorder_new:
 * @capacity: how many events to keep (at least 16)
 */
AdTraceRecorder *
ad_trace_recorder_new (guint capacity)
{
  return g_object_new (AD_TYPE_TRACE_RECORDER, "capacity", MAX (capacity, 16), NULL);
}

/**
 * ad_trace_recorder_get_default:
 *
 * The recorder of the default task registry, attached on first use, so
 * that an inspector opened later still sees what happened before. Call it
 * first from the main thread.
 *
 * Returns: (transfer none): the default recorder
 */
AdTraceRecorder *
ad_trace_recorder_get_default (void)
{
  static AdTraceRecorder *recorder;

  if (g_once_init_enter (&recorder))
    {
      AdTraceRecorder *r = ad_trace_recorder_new (AD_TRACE_RECORDER_DEFAULT_CAPACITY);

      ad_trace_recorder_attach (r, ad_task_registry_get_default ());
      g_once_init_leave (&recorder, r);
    }

  return recorder;
}

static void
listener_cb (const AdTaskEvent *event,
             gpointer           user_data)
{
  ad_trace_recorder_record (AD_TRACE_RECORDER (user_data), event);
}

/**
 * ad_trace_recorder_attach:
 * @registry: the registry to record
 *
 * Starts recording @registry's events (replacing any earlier registry).
 */
void
ad_trace_recorder_attach (AdTraceRecorder *self,
                          AdTaskRegistry  *registry)
{
  g_return_if_fail (AD_IS_TRACE_RECORDER (self));
  g_return_if_fail (AD_IS_TASK_REGISTRY (registry));

  ad_trace_recorder_detach (self);

  self->registry = g_object_ref (registry);
  /* The recorder removes the listener before it goes: no reference. */
  self->listener_id = ad_task_registry_add_listener (registry, listener_cb, self, NULL);
}

/**
 * ad_trace_recorder_detach:
 *
 * Stops recording. Once it returns, no thread is inside the recorder's
 * listener any more.
 */
void
ad_trace_recorder_detach (AdTraceRecorder *self)
{
  g_return_if_fail (AD_IS_TRACE_RECORDER (self));

  if (self->registry == NULL)
    return;

  ad_task_registry_remove_listener (self->registry, self->listener_id);
  self->listener_id = 0;
  g_clear_object (&self->registry);
}

/* Copies at most size - 1 bytes of @src, cut at a UTF-8 character
 * boundary, and terminates. */
static void
copy_name (char       *dest,
           const char *src,
           gsize       size)
{
  gsize len = 0;

  if (src == NULL)
    {
      dest[0] = '\0';
      return;
    }

  while (len < size - 1 && src[len] != '\0')
    len++;
  if (src[len] != '\0')
    while (len > 0 && ((guchar) src[len] & 0xC0) == 0x80)
      len--;

  memcpy (dest, src, len);
  dest[len] = '\0';
}

/**
 * ad_trace_recorder_record:
 * @event: a registry event
 *
 * Records @event (this is what the registry listener does). Any thread.
 */
void
ad_trace_recorder_record (AdTraceRecorder   *self,
                          const AdTaskEvent *event)
{
  AdTraceEvent *slot;
  const char *name = ad_task_get_name (event->task);
  guint8 kind = ad_task_get_kind (event->task);
  guint32 thread_id = ad_trace_thread_id ();

  ad_mutex_lock (&self->mutex);
  slot = &self->slots[self->n_recorded % self->capacity];
  self->n_recorded++;
  slot->time_us = event->time_us;
  slot->task_id = event->task_id;
  slot->parent_id = event->parent_id;
  slot->thread_name = event->thread_name;
  slot->thread_id = thread_id;
  slot->type = event->type;
  slot->kind = kind;
  slot->state = event->state;
  copy_name (slot->name, name, sizeof slot->name);
  ad_mutex_unlock (&self->mutex);
}

/**
 * ad_trace_recorder_read:
 * @cursor: (inout): the sequence number to read from (0 at first);
 *   updated past the last event read
 * @events: (element-type AdTraceEvent): where to append the events
 * @n_missed: (out) (optional): how many events after @cursor were
 *   already overwritten
 *
 * Appends the events recorded since @cursor, oldest first. Any thread.
 *
 * Returns: how many events were appended
 */
guint
ad_trace_recorder_read (AdTraceRecorder *self,
                        guint64         *cursor,
                        GArray          *events,
                        guint64         *n_missed)
{
  guint64 oldest, from, n;

  g_return_val_if_fail (AD_IS_TRACE_RECORDER (self), 0);
  g_return_val_if_fail (cursor != NULL, 0);
  g_return_val_if_fail (events != NULL, 0);

  ad_mutex_lock (&self->mutex);
  oldest = self->n_recorded > self->capacity ? self->n_recorded - self->capacity : 0;
  oldest = MAX (oldest, self->first);
  from = MAX (*cursor, oldest);
  if (n_missed != NULL)
    *n_missed = from - MIN (*cursor, from);
  n = self->n_recorded - MIN (from, self->n_recorded);

  /* At most two contiguous runs of the ring. */
  if (n > 0)
    {
      guint start = from % self->capacity;
      guint first_run = MIN (n, self->capacity - start);

      g_array_append_vals (events, &self->slots[start], first_run);
      if (first_run < n)
        g_array_append_vals (events, &self->slots[0], n - first_run);
    }
  *cursor = self->n_recorded;
  ad_mutex_unlock (&self->mutex);

  return n;
}

/**
 * ad_trace_recorder_clear:
 *
 * Forgets the events recorded so far (readers' cursors stay valid).
 */
void
ad_trace_recorder_clear (AdTraceRecorder *self)
{
  g_return_if_fail (AD_IS_TRACE_RECORDER (self));

  ad_mutex_lock (&self->mutex);
  self->first = self->n_recorded;
  ad_mutex_unlock (&self->mutex);
}

guint
ad_trace_recorder_get_capacity (AdTraceRecorder *self)
{
  g_return_val_if_fail (AD_IS_TRACE_RECORDER (self), 0);

  return self->capacity;
}

/**
 * ad_trace_recorder_get_n_events:
 *
 * Returns: how many events the ring holds now
 */
guint
ad_trace_recorder_get_n_events (AdTraceRecorder *self)
{
  guint64 oldest, n;

  g_return_val_if_fail (AD_IS_TRACE_RECORDER (self), 0);

  ad_mutex_lock (&self->mutex);
  oldest = self->n_recorded > self->capacity ? self->n_recorded - self->capacity : 0;
  oldest = MAX (oldest, self->first);
  n = self->n_recorded - oldest;
  ad_mutex_unlock (&self->mutex);

  return n;
}

/**
 * ad_trace_recorder_get_n_recorded:
 *
 * Returns: how many events were recorded since the recorder was created
 */
guint64
ad_trace_recorder_get_n_recorded (AdTraceRecorder *self)
{
  guint64 ret;

  g_return_val_if_fail (AD_IS_TRACE_RECORDER (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->n_recorded;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_trace_recorder_get_n_dropped:
 *
 * Returns: how many events the ring overwrote because it was full
 */
guint64
ad_trace_recorder_get_n_dropped (AdTraceRecorder *self)
{
  guint64 ret;

  g_return_val_if_fail (AD_IS_TRACE_RECORDER (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->n_recorded > self->capacity ? self->n_recorded - self->capacity : 0;
  ad_mutex_unlock (&self->mutex);

  return ret;
}
