/* ad-log-model.c: a bounded, thread-safe log that the GUI shows as a list
 *
 * Two layers keep writers cheap and the GListModel consistent:
 *
 *  - the ring: written by any thread under a mutex. It holds the newest
 *    `capacity` records; older ones are dropped and counted.
 *  - the published list: what GListModel reports. Only the thread that owns
 *    the model's GMainContext (the main thread in the app) changes it, in one
 *    coalesced publish that copies the records that are new since the last
 *    one. A thousand appends within a publish interval cost one source
 *    dispatch and two items-changed emissions, never one per record.
 *
 * The model must be disposed (its last reference dropped) on its main
 * context, like any object that attaches sources there.
 *
 * The publish is one source per model, attached once on the main context
 * and woken by writers with g_source_set_ready_time() (thread-safe, no
 * allocation per batch). It fires ~16 ms after the first record of a batch,
 * at default priority rather than as a low-priority idle: GTK's frame clock runs at a higher priority than any idle, and
 * while something animates (a spinner during a run, under a compositor-less
 * X server every frame) an idle would never get its turn, and the log
 * would stay empty until the animation stopped.
 *
 * Every append is also sent to GLib's structured log under the caller's
 * domain, so `G_MESSAGES_DEBUG=AsyncDemo-Hello` shows the
 * same lines on stderr as GNOME users expect.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Log"

#include "config.h"

#include "ad-thread.h"
#include "ad-log-model.h"
#include "ad-tsan.h"

/* About a frame: lines appear as they happen, in batches. */
#define AD_LOG_MODEL_PUBLISH_INTERVAL_MS 16

struct _AdLogModel
{
  GObject       parent_instance;

  /* Owned by the main context's thread */
  GMainContext *context;
  GSource      *publish_source;   /* attached for the model's lifetime */
  GPtrArray    *published;
  guint64       published_total;
  guint         publish_limit;    /* records a publish takes at most; 0: all */

  /* Protected by mutex */
  GMutex        mutex;
  AdLogEntry  **ring;
  guint         capacity;
  guint         head;     /* index of the oldest record */
  guint         count;
  guint64       total;    /* records ever appended */
  guint64       dropped;  /* records pushed out of the ring */
  gint64        start_time;
  gboolean      publish_pending;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AdLogModel, ad_log_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_CAPACITY,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
ad_log_model_get_item_type (GListModel *model)
{
  return AD_TYPE_LOG_ENTRY;
}

static guint
ad_log_model_get_n_items (GListModel *model)
{
  return AD_LOG_MODEL (model)->published->len;
}

static gpointer
ad_log_model_get_item (GListModel *model,
                       guint       position)
{
  AdLogModel *self = AD_LOG_MODEL (model);

  if (position >= self->published->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->published, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ad_log_model_get_item_type;
  iface->get_n_items = ad_log_model_get_n_items;
  iface->get_item = ad_log_model_get_item;
}

/* Copies the records the ring holds with sequence number >= @from, at most
 * @max of them (0: all); *@next is the sequence number after the last. */
static GPtrArray *
ring_copy_since_locked (AdLogModel *self,
                        guint64     from,
                        guint       max,
                        guint64    *next)
{
  guint64 oldest = self->total - self->count;
  guint64 end = self->total;
  GPtrArray *out;

  if (from < oldest)
    from = oldest;
  if (max > 0 && end - from > max)
    end = from + max;
  *next = end;

  out = g_ptr_array_new_full (end - from, g_object_unref);
  for (guint64 seq = from; seq < end; seq++)
    {
      guint idx = (self->head + (seq - oldest)) % self->capacity;
      g_ptr_array_add (out, g_object_ref (self->ring[idx]));
    }

  return out;
}

/* Returns TRUE when records are left for a later publish (@limit). */
static gboolean
ad_log_model_publish (AdLogModel *self,
                      guint       limit)
{
  g_autoptr(GPtrArray) fresh = NULL;
  guint64 total, next;
  guint capacity;
  guint old_len = self->published->len;
  guint removed = 0;

  ad_mutex_lock (&self->mutex);
  fresh = ring_copy_since_locked (self, self->published_total, limit, &next);
  total = self->total;
  capacity = self->capacity;
  ad_mutex_unlock (&self->mutex);

  if (total == self->published_total)
    return FALSE;

  /* Trim the oldest published records so that, with the fresh ones, the
   * list holds at most @capacity records. Each change is announced while
   * the list is in the state it describes: a view reads the model from its
   * handler (GTK 4.8's list view aborts on a count that does not add up). */
  self->published_total = next;
  if (old_len + fresh->len > capacity)
    {
      removed = MIN (old_len, old_len + fresh->len - capacity);
      g_ptr_array_remove_range (self->published, 0, removed);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
    }
  if (fresh->len > capacity)
    g_ptr_array_remove_range (fresh, 0, fresh->len - capacity);

  for (guint i = 0; i < fresh->len; i++)
    g_ptr_array_add (self->published, g_object_ref (g_ptr_array_index (fresh, i)));

  if (fresh->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), old_len - removed, 0, fresh->len);
  if (removed > 0 || fresh->len > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  return next < total;
}

static gboolean
ad_log_model_publish_cb (gpointer data)
{
  AdLogModel *self = data;

  gboolean schedule = FALSE;

  ad_mutex_lock (&self->mutex);
  self->publish_pending = FALSE;
  ad_mutex_unlock (&self->mutex);

  /* Over the limit: the rest half an interval later (so a limit of N
   * still carries 2 N an interval), unless a writer has already asked for
   * a publish. */
  if (ad_log_model_publish (self, self->publish_limit))
    {
      ad_mutex_lock (&self->mutex);
      schedule = !self->publish_pending;
      self->publish_pending = TRUE;
      ad_mutex_unlock (&self->mutex);
    }
  if (schedule)
    g_source_set_ready_time (self->publish_source,
                             g_get_monotonic_time () +
                             (gint64) AD_LOG_MODEL_PUBLISH_INTERVAL_MS * 1000 / 2);

  return G_SOURCE_CONTINUE;
}

/* A source that fires once at its ready time, then sleeps until a writer
 * sets a new one. */
static gboolean
publish_source_dispatch (GSource     *source,
                         GSourceFunc  callback,
                         gpointer     user_data)
{
  g_source_set_ready_time (source, -1);

  return callback (user_data);
}

static GSourceFuncs publish_source_funcs = {
  .dispatch = publish_source_dispatch,
};

static void
ad_log_model_dispose (GObject *object)
{
  AdLogModel *self = (AdLogModel *) object;

  if (self->publish_source != NULL)
    {
      g_source_destroy (self->publish_source);
      g_clear_pointer (&self->publish_source, g_source_unref);
    }

  G_OBJECT_CLASS (ad_log_model_parent_class)->dispose (object);
}

static void
ad_log_model_finalize (GObject *object)
{
  AdLogModel *self = (AdLogModel *) object;

  for (guint i = 0; i < self->count; i++)
    g_object_unref (self->ring[(self->head + i) % self->capacity]);
  g_free (self->ring);
  g_ptr_array_unref (self->published);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ad_log_model_parent_class)->finalize (object);
}

static void
ad_log_model_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AdLogModel *self = AD_LOG_MODEL (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      g_value_set_uint (value, ad_log_model_get_capacity (self));
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->published->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_log_model_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AdLogModel *self = AD_LOG_MODEL (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      ad_log_model_set_capacity (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_log_model_class_init (AdLogModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ad_log_model_dispose;
  object_class->finalize = ad_log_model_finalize;
  object_class->get_property = ad_log_model_get_property;
  object_class->set_property = ad_log_model_set_property;

  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL, 1, 1000000, AD_LOG_MODEL_DEFAULT_CAPACITY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ad_log_model_init (AdLogModel *self)
{
  g_mutex_init (&self->mutex);
  self->context = g_main_context_ref_thread_default ();
  self->published = g_ptr_array_new_with_free_func (g_object_unref);
  self->capacity = AD_LOG_MODEL_DEFAULT_CAPACITY;
  self->ring = g_new0 (AdLogEntry *, self->capacity);
  self->start_time = g_get_monotonic_time ();

  /* No reference: a pending publish must not keep the model alive;
   * dispose() destroys the source, on the model's main context. */
  self->publish_source = g_source_new (&publish_source_funcs, sizeof (GSource));
  g_source_set_priority (self->publish_source, G_PRIORITY_DEFAULT);
  g_source_set_name (self->publish_source, "[async-demo] log publish");
  g_source_set_callback (self->publish_source, ad_log_model_publish_cb, self, NULL);
  g_source_attach (self->publish_source, self->context);
}

/**
 * ad_log_model_new:
 * @capacity: how many records to keep; older ones are dropped
 *
 * Creates a log whose list-model side belongs to the calling thread's
 * thread-default main context.
 */
AdLogModel *
ad_log_model_new (guint capacity)
{
  g_return_val_if_fail (capacity > 0, NULL);

  return g_object_new (AD_TYPE_LOG_MODEL, "capacity", capacity, NULL);
}

guint
ad_log_model_get_capacity (AdLogModel *self)
{
  guint capacity;

  g_return_val_if_fail (AD_IS_LOG_MODEL (self), 0);

  ad_mutex_lock (&self->mutex);
  capacity = self->capacity;
  ad_mutex_unlock (&self->mutex);

  return capacity;
}

/**
 * ad_log_model_set_capacity:
 *
 * Changes how many records are kept. Call from the model's main context.
 */
void
ad_log_model_set_capacity (AdLogModel *self,
                           guint       capacity)
{
  AdLogEntry **ring;
  guint keep;
  gboolean changed;

  g_return_if_fail (AD_IS_LOG_MODEL (self));
  g_return_if_fail (capacity > 0);

  ad_mutex_lock (&self->mutex);
  changed = capacity != self->capacity;
  if (changed)
    {
      keep = MIN (self->count, capacity);
      ring = g_new0 (AdLogEntry *, capacity);
      for (guint i = 0; i < self->count; i++)
        {
          AdLogEntry *entry = self->ring[(self->head + i) % self->capacity];

          if (i < self->count - keep)
            g_object_unref (entry);
          else
            ring[i - (self->count - keep)] = entry;
        }
      self->dropped += self->count - keep;
      g_free (self->ring);
      self->ring = ring;
      self->head = 0;
      self->count = keep;
      self->capacity = capacity;
    }
  ad_mutex_unlock (&self->mutex);

  if (!changed)
    return;

  /* Shrink the published side to the new bound right away. */
  if (self->published->len > capacity)
    {
      guint removed = self->published->len - capacity;

      g_ptr_array_remove_range (self->published, 0, removed);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPACITY]);
}

/**
 * ad_log_model_append:
 * @self: the log
 * @level: a single #GLogLevelFlags level
 * @domain: (nullable): the log domain of the subsystem that logs
 * @message: the text
 *
 * Adds a record stamped with the monotonic time and the calling thread's
 * name. Safe to call from any thread; the list model changes a little later
 * (within a frame), on its main context, in one coalesced batch.
 */
void
ad_log_model_append (AdLogModel     *self,
                     GLogLevelFlags  level,
                     const char     *domain,
                     const char     *message)
{
  AdLogEntry *entry;
  gint64 now = g_get_monotonic_time ();
  gint64 start;
  gboolean schedule;

  g_return_if_fail (AD_IS_LOG_MODEL (self));
  g_return_if_fail (message != NULL);

  /* Demo narration, not a diagnostic: forwarded at INFO whatever its
   * displayed level, so that G_MESSAGES_DEBUG selects it and a demo that
   * reports a failure does not trip G_DEBUG=fatal-warnings. */
  g_log_structured (domain ? domain : G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "MESSAGE", "%s", message);

  ad_mutex_lock (&self->mutex);
  start = self->start_time;
  ad_mutex_unlock (&self->mutex);

  /* Allocate outside the lock: writers on other threads only contend for
   * the few instructions that link the record in. */
  entry = ad_log_entry_new (now, now - start, level, domain, ad_thread_name (), message);

  ad_mutex_lock (&self->mutex);
  if (self->count == self->capacity)
    {
      g_object_unref (self->ring[self->head]);
      self->ring[self->head] = entry;
      self->head = (self->head + 1) % self->capacity;
      self->dropped++;
    }
  else
    {
      self->ring[(self->head + self->count) % self->capacity] = entry;
      self->count++;
    }
  self->total++;

  schedule = !self->publish_pending;
  self->publish_pending = TRUE;
  ad_mutex_unlock (&self->mutex);

  /* Thread-safe, and allocates nothing: the source was attached once, on
   * the main context, when the model was made. */
  if (schedule)
    g_source_set_ready_time (self->publish_source,
                             now + (gint64) AD_LOG_MODEL_PUBLISH_INTERVAL_MS * 1000);
}

void
ad_log_model_appendf (AdLogModel     *self,
                      GLogLevelFlags  level,
                      const char     *domain,
                      const char     *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  ad_log_model_append (self, level, domain, message);
}

/**
 * ad_log_model_clear:
 *
 * Drops every record and restarts the clock that records' elapsed time is
 * measured from. Call from the model's main context.
 */
void
ad_log_model_clear (AdLogModel *self)
{
  guint removed;

  g_return_if_fail (AD_IS_LOG_MODEL (self));

  ad_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->count; i++)
    g_object_unref (self->ring[(self->head + i) % self->capacity]);
  memset (self->ring, 0, sizeof (AdLogEntry *) * self->capacity);
  self->head = 0;
  self->count = 0;
  self->start_time = g_get_monotonic_time ();
  self->published_total = self->total;
  ad_mutex_unlock (&self->mutex);

  removed = self->published->len;
  if (removed > 0)
    {
      g_ptr_array_set_size (self->published, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

/**
 * ad_log_model_flush:
 *
 * Publishes pending records to the list model now instead of at the next
 * publish. Call from the model's main context.
 */
void
ad_log_model_flush (AdLogModel *self)
{
  g_return_if_fail (AD_IS_LOG_MODEL (self));

  ad_log_model_publish (self, 0);
}

/**
 * ad_log_model_set_publish_limit:
 * @max_records: the most records one publish adds to the list; 0 for no
 *   limit (the default)
 *
 * Paces the list for a view that makes a row widget per new record: a
 * burst then reaches the list @max_records an interval (about a frame),
 * in order, instead of all at once. Records the ring drops before their
 * turn are dropped as usual. ad_log_model_flush() publishes everything.
 * Call from the model's main context.
 */
void
ad_log_model_set_publish_limit (AdLogModel *self,
                                guint       max_records)
{
  g_return_if_fail (AD_IS_LOG_MODEL (self));

  self->publish_limit = max_records;
}

gint64
ad_log_model_get_start_time (AdLogModel *self)
{
  gint64 ret;

  g_return_val_if_fail (AD_IS_LOG_MODEL (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->start_time;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

guint64
ad_log_model_get_n_appended (AdLogModel *self)
{
  guint64 ret;

  g_return_val_if_fail (AD_IS_LOG_MODEL (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->total;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

guint64
ad_log_model_get_n_dropped (AdLogModel *self)
{
  guint64 ret;

  g_return_val_if_fail (AD_IS_LOG_MODEL (self), 0);

  ad_mutex_lock (&self->mutex);
  ret = self->dropped;
  ad_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * ad_log_model_snapshot:
 *
 * Returns: (transfer container): the records the ring holds now, oldest
 *   first. Safe from any thread.
 */
GPtrArray *
ad_log_model_snapshot (AdLogModel *self)
{
  GPtrArray *ret;
  guint64 next;

  g_return_val_if_fail (AD_IS_LOG_MODEL (self), NULL);

  ad_mutex_lock (&self->mutex);
  ret = ring_copy_since_locked (self, 0, 0, &next);
  ad_mutex_unlock (&self->mutex);

  return ret;
}
