/* ad-task-private.h: what the registry and its list model share with AdTask
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ad-task.h"
#include "ad-task-list.h"
#include "ad-task-registry.h"

G_BEGIN_DECLS

struct _AdTask
{
  GObject          parent_instance;

  /* Identity: immutable after creation */
  guint64          id;
  char            *name;
  AdTaskKind       kind;
  AdTask          *parent;            /* owned */
  gint64           created;

  /* Guarded by mutex: written by any thread */
  GMutex           mutex;
  AdTaskRegistry  *registry;          /* owned until the finish is published */
  AdTaskState      state;
  gint64           started;
  gint64           finished;
  const char      *thread_name;       /* interned */
  double           progress;
  char            *error_message;
  gboolean         timed_out;
  GCancellable    *cancellable;       /* created on demand */
  GCancellable    *link_outer;
  gulong           link_handler;

  /* Guarded by the registry's mutex */
  gboolean         queued;            /* in the registry's dirty list */

  /* Main thread only: what was last published */
  AdTaskList      *children;
  AdTaskState      pub_state;
  double           pub_progress;
  gint64           pub_started;
  gint64           pub_finished;
  guint            appeared : 1;      /* added to the live models and its parent */
  guint            retired : 1;       /* its finish was published */
};

/* Called by the registry */
AdTask *ad_task_new_internal (AdTaskRegistry *registry,
                              guint64         id,
                              const char     *name,
                              AdTaskKind      kind,
                              AdTask         *parent,
                              GCancellable   *cancellable);
const char *ad_task_intern_thread_name (void);

/* Called by AdTask */
void    ad_task_registry_report (AdTaskRegistry  *self,
                                 AdTask          *task,
                                 AdTaskEventType  type,
                                 AdTaskState      state,
                                 gint64           time_us,
                                 const char      *thread_name,
                                 gboolean         notify_listeners);
void    ad_task_registry_cancel_subtree (AdTaskRegistry *self,
                                         AdTask         *task);
gboolean ad_task_registry_has_listeners (AdTaskRegistry *self);
void    ad_task_registry_notify (AdTaskRegistry  *self,
                                 AdTask          *task,
                                 AdTaskEventType  type,
                                 AdTaskState      state,
                                 gint64           time_us,
                                 const char      *thread_name);

G_END_DECLS

G_BEGIN_DECLS
void    ad_task_publish_notify (AdTask *self);
G_END_DECLS
