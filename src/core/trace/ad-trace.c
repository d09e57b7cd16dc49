/* ad-trace.c: a timeline of lanes and slices, built from task events
 *
 * Design:
 *  - Closed slices live in one array in the order they closed, which is
 *    (almost: threads report concurrently) the order of their end times, so
 *    a visible range is found by a binary search on the end time and a scan
 *    to the end; the live view looks at the end, where the scan is short.
 *  - Open slices sit on a small stack per lane (nesting gives the depth);
 *    a task started on a worker thread or as a process is also indexed by
 *    its id, to close it when it finishes wherever that is reported.
 *  - Memory is bounded: at most max-slices closed slices (trimmed in
 *    batches of a quarter, so trimming costs O(1) per slice amortized) and
 *    at most AD_TRACE_MAX_LANES lanes (later threads share an "other" lane).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Trace"

#include "config.h"

#include <string.h>

#include "ad-trace.h"

#define MAX_OPEN_PER_LANE 64

enum {
  ORIGIN_ENTERED = 1,   /* pushed current: closed by the matching left */
  ORIGIN_STARTED = 2,   /* a worker's CPU task or a process: closed by its finish */
  ORIGIN_IMPORTED = 3,
};

struct _AdTrace
{
  GObject     parent_instance;

  guint       max_slices;
  GArray     *lanes;          /* AdTraceLane */
  GPtrArray  *open;           /* per lane: GArray of AdTraceSlice, a stack */
  GHashTable *lane_by_thread; /* thread id → lane index + 1 */
  GHashTable *lane_by_name;   /* process name → lane index + 1 */
  GHashTable *open_by_task;   /* task id (guint64*) → lane index + 1 */
  GArray     *slices;         /* closed AdTraceSlice, in closing order */
  guint       other_lane;     /* index + 1 of the overflow lane, or 0 */
  guint       n_thread_lanes;
  guint       n_process_lanes;

  gint64      start_us;
  gint64      end_us;
  guint64     n_dropped;
  guint64     n_finished[AD_TASK_STATE_CANCELLED + 1];

  guint64     cursor;         /* for ad_trace_pull() */
  GArray     *scratch;        /* AdTraceEvent, reused by ad_trace_pull() */
};

G_DEFINE_FINAL_TYPE (AdTrace, ad_trace, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MAX_SLICES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lane_clear (gpointer data)
{
  AdTraceLane *lane = data;

  g_free (lane->name);
}

static void
ad_trace_finalize (GObject *object)
{
  AdTrace *self = AD_TRACE (object);

  g_array_unref (self->lanes);
  g_ptr_array_unref (self->open);
  g_hash_table_unref (self->lane_by_thread);
  g_hash_table_unref (self->lane_by_name);
  g_hash_table_unref (self->open_by_task);
  g_array_unref (self->slices);
  g_array_unref (self->scratch);

  G_OBJECT_CLASS (ad_trace_parent_class)->finalize (object);
}

static void
ad_trace_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  AdTrace *self = AD_TRACE (object);

  switch (prop_id)
    {
    case PROP_MAX_SLICES:
      g_value_set_uint (value, self->max_slices);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_trace_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  AdTrace *self = AD_TRACE (object);

  switch (prop_id)
    {
    case PROP_MAX_SLICES:
      self->max_slices = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ad_trace_class_init (AdTraceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ad_trace_finalize;
  object_class->get_property = ad_trace_get_property;
  object_class->set_property = ad_trace_set_property;

  /**
   * AdTrace:max-slices:
   *
   * How many closed slices and instants the trace keeps.
   */
  properties[PROP_MAX_SLICES] =
    g_param_spec_uint ("max-slices", NULL, NULL, 16, G_MAXUINT / 2, AD_TRACE_DEFAULT_MAX_SLICES,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ad_trace_init (AdTrace *self)
{
  self->lanes = g_array_new (FALSE, TRUE, sizeof (AdTraceLane));
  g_array_set_clear_func (self->lanes, lane_clear);
  self->open = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->lane_by_thread = g_hash_table_new (NULL, NULL);
  self->lane_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->open_by_task = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->slices = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  self->scratch = g_array_new (FALSE, FALSE, sizeof (AdTraceEvent));
  self->start_us = G_MAXINT64;
  self->end_us = G_MININT64;
}

/**
 * ad_trace_new:
 * @max_slices: how many closed slices to keep (at least 16)
 */
AdTrace *
ad_trace_new (guint max_slices)
{
  return g_object_new (AD_TYPE_TRACE, "max-slices", MAX (max_slices, 16), NULL);
}

/**
 * ad_trace_add_lane:
 * @name: what the timeline calls it
 * @kind: main loop, thread or process
 * @pid: process id for export
 * @tid: thread id for export
 *
 * Adds a lane (for importers; recorded events make their own).
 *
 * Returns: its index, or the overflow lane's once there are
 *   %AD_TRACE_MAX_LANES
 */
guint
ad_trace_add_lane (AdTrace         *self,
                   const char      *name,
                   AdTraceLaneKind  kind,
                   guint32          pid,
                   guint32          tid)
{
  AdTraceLane *lane;

  g_return_val_if_fail (AD_IS_TRACE (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  if (self->lanes->len >= AD_TRACE_MAX_LANES - 1)
    {
      if (self->other_lane != 0)
        return self->other_lane - 1;

      self->other_lane = self->lanes->len + 1;
      name = "…";
      kind = AD_TRACE_LANE_THREAD;
      pid = 1;
      tid = G_MAXUINT32;
    }

  /* The array owns the name (its clear function frees it) */
  g_array_set_size (self->lanes, self->lanes->len + 1);
  lane = &g_array_index (self->lanes, AdTraceLane, self->lanes->len - 1);
  lane->name = g_strdup (name);
  lane->kind = kind;
  lane->pid = pid;
  lane->tid = tid;
  g_ptr_array_add (self->open, g_array_new (FALSE, FALSE, sizeof (AdTraceSlice)));

  return self->lanes->len - 1;
}

static guint
lane_for_thread (AdTrace            *self,
                 const AdTraceEvent *event)
{
  gpointer key = GUINT_TO_POINTER (event->thread_id);
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->lane_by_thread, key));

  if (index == 0)
    {
      gboolean is_main = g_strcmp0 (event->thread_name, "main") == 0;
      g_autofree char *name = NULL;

      if (is_main)
        name = g_strdup ("main");
      else
        name = g_strdup_printf ("%s #%u", event->thread_name ? event->thread_name : "thread",
                                ++self->n_thread_lanes);
      index = ad_trace_add_lane (self, name, is_main ? AD_TRACE_LANE_MAIN : AD_TRACE_LANE_THREAD,
                                 1, event->thread_id) + 1;
      g_hash_table_insert (self->lane_by_thread, key, GUINT_TO_POINTER (index));
    }

  return index - 1;
}

static guint
lane_for_process (AdTrace            *self,
                  const AdTraceEvent *event)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->lane_by_name, event->name));

  if (index == 0)
    {
      guint32 pid = 1000 + ++self->n_process_lanes;

      index = ad_trace_add_lane (self, event->name, AD_TRACE_LANE_PROCESS, pid, pid) + 1;
      g_hash_table_insert (self->lane_by_name, g_strdup (event->name), GUINT_TO_POINTER (index));
    }

  return index - 1;
}

static void
trim (AdTrace *self)
{
  guint excess;

  if (self->slices->len <= self->max_slices + self->max_slices / 4)
    return;

  excess = self->slices->len - self->max_slices;
  g_array_remove_range (self->slices, 0, excess);
  self->n_dropped += excess;
}

/**
 * ad_trace_add_slice:
 * @slice: a closed slice (its lane must exist)
 *
 * Adds a slice as it is (for importers).
 */
void
ad_trace_add_slice (AdTrace            *self,
                    const AdTraceSlice *slice)
{
  g_return_if_fail (AD_IS_TRACE (self));
  g_return_if_fail (slice->lane < self->lanes->len);

  g_array_append_vals (self->slices, slice, 1);
  self->start_us = MIN (self->start_us, slice->start_us);
  self->end_us = MAX (self->end_us, slice->end_us);
  trim (self);
}

static void
open_slice (AdTrace            *self,
            guint               lane,
            const AdTraceEvent *event,
            guint8              origin)
{
  GArray *stack = g_ptr_array_index (self->open, lane);
  AdTraceSlice slice = {
    .start_us = event->time_us,
    .end_us = event->time_us,
    .task_id = event->task_id,
    .parent_id = event->parent_id,
    .lane = lane,
    .type = AD_TRACE_SLICE_RUN,
    .kind = event->kind,
    .state = event->state,
    .depth = MIN (stack->len, G_MAXUINT8),
    .open = TRUE,
    .origin = origin,
  };

  memcpy (slice.name, event->name, sizeof slice.name);

  /* Unbalanced pushes must not grow a stack without end */
  if (stack->len >= MAX_OPEN_PER_LANE)
    {
      AdTraceSlice *oldest = &g_array_index (stack, AdTraceSlice, 0);

      if (oldest->origin == ORIGIN_STARTED)
        g_hash_table_remove (self->open_by_task, &oldest->task_id);
      g_array_remove_index (stack, 0);
      self->n_dropped++;
    }
  g_array_append_val (stack, slice);

  if (origin == ORIGIN_STARTED)
    {
      guint64 *key = g_new (guint64, 1);

      *key = event->task_id;
      g_hash_table_replace (self->open_by_task, key, GUINT_TO_POINTER (lane + 1));
    }
}

/* Closes the slice at @position on @lane's stack, and any opened above it
 * that were never closed (an unbalanced push). */
static void
close_slices (AdTrace            *self,
              guint               lane,
              guint               position,
              const AdTraceEvent *event)
{
  GArray *stack = g_ptr_array_index (self->open, lane);

  for (guint i = position; i < stack->len; i++)
    {
      AdTraceSlice slice = g_array_index (stack, AdTraceSlice, i);

      slice.end_us = MAX (event->time_us, slice.start_us);
      slice.open = FALSE;
      if (slice.task_id == event->task_id)
        slice.state = event->state;
      if (slice.origin == ORIGIN_STARTED)
        g_hash_table_remove (self->open_by_task, &slice.task_id);
      g_array_append_val (self->slices, slice);
    }
  g_array_set_size (stack, position);
  trim (self);
}

/* After a gap (the recorder overwrote events before they were pulled) the
 * ends of open slices may be lost: close them all at the last time seen,
 * rather than let bars grow, and stacks deepen, for ever. */
static void
close_all_open (AdTrace *self)
{
  for (guint lane = 0; lane < self->open->len; lane++)
    {
      GArray *stack = g_ptr_array_index (self->open, lane);

      for (guint i = 0; i < stack->len; i++)
        {
          AdTraceSlice slice = g_array_index (stack, AdTraceSlice, i);

          slice.end_us = MAX (self->end_us, slice.start_us);
          slice.open = FALSE;
          g_array_append_val (self->slices, slice);
        }
      g_array_set_size (stack, 0);
    }
  g_hash_table_remove_all (self->open_by_task);
  trim (self);
}

static gboolean
find_open (AdTrace *self,
           guint    lane,
           guint64  task_id,
           guint8   origin,
           guint   *position)
{
  GArray *stack = g_ptr_array_index (self->open, lane);

  for (guint i = stack->len; i > 0; i--)
    {
      const AdTraceSlice *slice = &g_array_index (stack, AdTraceSlice, i - 1);

      if (slice->task_id == task_id && slice->origin == origin)
        {
          *position = i - 1;
          return TRUE;
        }
    }

  return FALSE;
}

static void
add_instant (AdTrace            *self,
             guint               lane,
             const AdTraceEvent *event)
{
  GArray *stack = g_ptr_array_index (self->open, lane);
  AdTraceSlice slice = {
    .start_us = event->time_us,
    .end_us = event->time_us,
    .task_id = event->task_id,
    .parent_id = event->parent_id,
    .lane = lane,
    .type = AD_TRACE_SLICE_INSTANT,
    .kind = event->kind,
    .state = event->state,
    .depth = MIN (stack->len, G_MAXUINT8),
  };

  memcpy (slice.name, event->name, sizeof slice.name);
  g_array_append_val (self->slices, slice);
  trim (self);
}

static void
ingest_one (AdTrace            *self,
            const AdTraceEvent *event)
{
  guint lane, position;

  self->start_us = MIN (self->start_us, event->time_us);
  self->end_us = MAX (self->end_us, event->time_us);

  switch (event->type)
    {
    case AD_TASK_EVENT_CREATED:
      break;

    case AD_TASK_EVENT_STARTED:
      if (event->kind == AD_TASK_KIND_PROCESS)
        {
          open_slice (self, lane_for_process (self, event), event, ORIGIN_STARTED);
          break;
        }
      lane = lane_for_thread (self, event);
      if (event->kind == AD_TASK_KIND_CPU &&
          g_array_index (self->lanes, AdTraceLane, lane).kind != AD_TRACE_LANE_MAIN)
        open_slice (self, lane, event, ORIGIN_STARTED);
      else
        add_instant (self, lane, event);
      break;

    case AD_TASK_EVENT_FINISHED:
      {
        gint64 key = event->task_id;
        guint open_lane = GPOINTER_TO_UINT (g_hash_table_lookup (self->open_by_task, &key));

        if (event->state < G_N_ELEMENTS (self->n_finished))
          self->n_finished[event->state]++;

        if (open_lane != 0 && find_open (self, open_lane - 1, event->task_id, ORIGIN_STARTED,
                                         &position))
          close_slices (self, open_lane - 1, position, event);
        else
          add_instant (self, lane_for_thread (self, event), event);
      }
      break;

    case AD_TASK_EVENT_ENTERED:
      open_slice (self, lane_for_thread (self, event), event, ORIGIN_ENTERED);
      break;

    case AD_TASK_EVENT_LEFT:
      lane = lane_for_thread (self, event);
      if (find_open (self, lane, event->task_id, ORIGIN_ENTERED, &position))
        close_slices (self, lane, position, event);
      break;

    default:
      break;
    }
}

/**
 * ad_trace_ingest:
 * @events: (array length=n_events): recorded events, oldest first
 *
 * Adds events to the timeline.
 */
void
ad_trace_ingest (AdTrace            *self,
                 const AdTraceEvent *events,
                 guint               n_events)
{
  g_return_if_fail (AD_IS_TRACE (self));
  g_return_if_fail (events != NULL || n_events == 0);

  for (guint i = 0; i < n_events; i++)
    ingest_one (self, &events[i]);
}

/**
 * ad_trace_pull:
 * @recorder: the recorder this trace follows
 *
 * Ingests what @recorder recorded since the last pull; events the
 * recorder overwrote before they were pulled count as dropped.
 *
 * Returns: how many events were ingested
 */
guint
ad_trace_pull (AdTrace         *self,
               AdTraceRecorder *recorder)
{
  guint64 missed = 0;
  guint n;

  g_return_val_if_fail (AD_IS_TRACE (self), 0);
  g_return_val_if_fail (AD_IS_TRACE_RECORDER (recorder), 0);

  g_array_set_size (self->scratch, 0);
  n = ad_trace_recorder_read (recorder, &self->cursor, self->scratch, &missed);
  self->n_dropped += missed;
  if (missed > 0)
    close_all_open (self);
  ad_trace_ingest (self, (const AdTraceEvent *) (gpointer) self->scratch->data, n);

  /* Do not keep a burst's worth of memory around. */
  if (self->scratch->len > 4096)
    {
      g_array_unref (self->scratch);
      self->scratch = g_array_new (FALSE, FALSE, sizeof (AdTraceEvent));
    }

  return n;
}

/**
 * ad_trace_advance:
 * @now_us: the current time
 *
 * Moves the trace's end (and so the end of its open slices) to @now_us.
 */
void
ad_trace_advance (AdTrace *self,
                  gint64   now_us)
{
  g_return_if_fail (AD_IS_TRACE (self));

  self->end_us = MAX (self->end_us, now_us);
  if (self->start_us == G_MAXINT64)
    self->start_us = now_us;
}

guint
ad_trace_get_n_lanes (AdTrace *self)
{
  g_return_val_if_fail (AD_IS_TRACE (self), 0);

  return self->lanes->len;
}

/**
 * ad_trace_get_lane:
 *
 * Returns: (transfer none): the lane; valid until the trace changes
 */
const AdTraceLane *
ad_trace_get_lane (AdTrace *self,
                   guint    index)
{
  g_return_val_if_fail (AD_IS_TRACE (self), NULL);
  g_return_val_if_fail (index < self->lanes->len, NULL);

  return &g_array_index (self->lanes, AdTraceLane, index);
}

/**
 * ad_trace_get_n_slices:
 *
 * Returns: how many closed slices and instants the trace holds
 */
guint
ad_trace_get_n_slices (AdTrace *self)
{
  g_return_val_if_fail (AD_IS_TRACE (self), 0);

  return self->slices->len;
}

/**
 * ad_trace_get_slice:
 *
 * Returns: (transfer none): a closed slice, in closing order; valid until
 *   the trace changes
 */
const AdTraceSlice *
ad_trace_get_slice (AdTrace *self,
                    guint    index)
{
  g_return_val_if_fail (AD_IS_TRACE (self), NULL);
  g_return_val_if_fail (index < self->slices->len, NULL);

  return &g_array_index (self->slices, AdTraceSlice, index);
}

/**
 * ad_trace_find_index:
 * @from_us: a time
 *
 * Returns: an index into the closed slices (ad_trace_get_slice()) before
 *   which no slice ends at or after @from_us; the end times are sorted up
 *   to the jitter between threads, which a margin covers
 */
guint
ad_trace_find_index (AdTrace *self,
                     gint64   from_us)
{
  guint lo = 0, hi;

  g_return_val_if_fail (AD_IS_TRACE (self), 0);

  hi = self->slices->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->slices, AdTraceSlice, mid).end_us < from_us)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo > 256 ? lo - 256 : 0;
}

/**
 * ad_trace_collect_open:
 * @slices: (element-type AdTraceSlice): where to append
 *
 * Appends the slices still open, each ending at the trace's end.
 *
 * Returns: how many were appended
 */
guint
ad_trace_collect_open (AdTrace *self,
                       GArray  *slices)
{
  guint before = slices->len;

  g_return_val_if_fail (AD_IS_TRACE (self), 0);

  for (guint l = 0; l < self->open->len; l++)
    {
      GArray *stack = g_ptr_array_index (self->open, l);

      for (guint i = 0; i < stack->len; i++)
        {
          AdTraceSlice slice = g_array_index (stack, AdTraceSlice, i);

          slice.end_us = MAX (self->end_us, slice.start_us);
          g_array_append_val (slices, slice);
        }
    }

  return slices->len - before;
}

/**
 * ad_trace_collect:
 * @from_us: the start of the range
 * @to_us: its end
 * @slices: (element-type AdTraceSlice): where to append
 *
 * Appends the slices and instants that overlap [@from_us, @to_us],
 * closed ones first, then the open ones (ending at the trace's end).
 *
 * Returns: how many were appended
 */
guint
ad_trace_collect (AdTrace *self,
                  gint64   from_us,
                  gint64   to_us,
                  GArray  *slices)
{
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  guint before = slices->len;

  g_return_val_if_fail (AD_IS_TRACE (self), 0);

  for (guint i = ad_trace_find_index (self, from_us); i < self->slices->len; i++)
    {
      const AdTraceSlice *slice = &g_array_index (self->slices, AdTraceSlice, i);

      if (slice->end_us >= from_us && slice->start_us <= to_us)
        g_array_append_vals (slices, slice, 1);
    }

  ad_trace_collect_open (self, open);
  for (guint i = 0; i < open->len; i++)
    {
      const AdTraceSlice *slice = &g_array_index (open, AdTraceSlice, i);

      if (slice->end_us >= from_us && slice->start_us <= to_us)
        g_array_append_vals (slices, slice, 1);
    }

  return slices->len - before;
}

/**
 * ad_trace_copy:
 *
 * A frozen copy of the trace as it is now, for a reader on another thread
 * (saving a file): its lanes, its slices with the open ones closed at the
 * trace's end (still marked open), its span and its counts.
 *
 * Returns: (transfer full): the copy
 */
AdTrace *
ad_trace_copy (AdTrace *self)
{
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (AdTraceSlice));
  AdTrace *copy;

  g_return_val_if_fail (AD_IS_TRACE (self), NULL);

  copy = ad_trace_new (self->max_slices);
  for (guint i = 0; i < self->lanes->len; i++)
    {
      const AdTraceLane *lane = &g_array_index (self->lanes, AdTraceLane, i);

      ad_trace_add_lane (copy, lane->name, lane->kind, lane->pid, lane->tid);
    }
  ad_trace_collect_open (self, open);
  g_array_set_size (copy->slices, 0);
  g_array_append_vals (copy->slices, self->slices->data, self->slices->len);
  g_array_append_vals (copy->slices, open->data, open->len);
  copy->start_us = self->start_us;
  copy->end_us = self->end_us;
  copy->n_dropped = self->n_dropped;
  memcpy (copy->n_finished, self->n_finished, sizeof copy->n_finished);

  return copy;
}

/**
 * ad_trace_get_start_time:
 *
 * Returns: the earliest time in the trace, or 0 when it is empty
 */
gint64
ad_trace_get_start_time (AdTrace *self)
{
  g_return_val_if_fail (AD_IS_TRACE (self), 0);

  return self->start_us == G_MAXINT64 ? 0 : self->start_us;
}

/**
 * ad_trace_get_end_time:
 *
 * Returns: the latest time in the trace, or 0 when it is empty
 */
gint64
ad_trace_get_end_time (AdTrace *self)
{
  g_return_val_if_fail (AD_IS_TRACE (self), 0);

  return self->end_us == G_MININT64 ? 0 : self->end_us;
}

/**
 * ad_trace_get_n_dropped:
 *
 * Returns: how many events the recorder overwrote before they were pulled
 *   plus how many slices the trace let go
 */
guint64
ad_trace_get_n_dropped (AdTrace *self)
{
  g_return_val_if_fail (AD_IS_TRACE (self), 0);

  return self->n_dropped;
}

/**
 * ad_trace_get_n_finished:
 * @state: a finished state
 *
 * Returns: how many finished events with @state the trace ingested
 */
guint64
ad_trace_get_n_finished (AdTrace     *self,
                         AdTaskState  state)
{
  g_return_val_if_fail (AD_IS_TRACE (self), 0);
  g_return_val_if_fail (state < G_N_ELEMENTS (self->n_finished), 0);

  return self->n_finished[state];
}

guint
ad_trace_get_max_slices (AdTrace *self)
{
  g_return_val_if_fail (AD_IS_TRACE (self), 0);

  return self->max_slices;
}
