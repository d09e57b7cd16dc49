/* ad-basics-private.h: what the Basics demos share (ad-basics-run.c)
 *
 * Not for the GUI or the CLI: they use ad-basics.h. Every demo file
 * (ad-demo-NAME.c) includes this header, and ad-basics.c, the index,
 * lists each demo's parameters and run function.
 *
 * One GTask per run owns an AdBasicsRun (log, parameters, start time);
 * each demo hangs its own state off it. `pending` counts the operations
 * in flight so that a demo returns exactly once, after the last of them:
 * increment it before starting one, decrement it in its callback, then
 * call ad_basics_run_maybe_return().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-basics.h"

G_BEGIN_DECLS

typedef struct
{
  const AdBasicsDemo *demo;
  AdLogModel         *log;
  GVariant           *params;
  gint64              started;
  guint               pending;
  GError             *error;      /* the run's own failure (cancellation) */
  char               *summary;
  gpointer            state;      /* the demo's own, freed with state_free */
  GDestroyNotify      state_free;
} AdBasicsRun;

/* A demo's entry point: it starts its operations on the task's context,
 * or returns the task at once. */
typedef void (*AdBasicsRunFunc) (GTask *task);

AdBasicsRun *ad_basics_run_new          (const AdBasicsDemo *demo,
                                         AdLogModel         *log,
                                         GVariant           *params);
void         ad_basics_run_free         (AdBasicsRun        *run);
AdBasicsRun *ad_basics_run_of           (GTask              *task);
double       ad_basics_run_seconds      (AdBasicsRun        *run);
guint        ad_basics_param            (AdBasicsRun        *run,
                                         const char         *name);
void         ad_basics_run_fail         (AdBasicsRun        *run,
                                         GError             *error);
void         ad_basics_run_maybe_return (GTask              *task);
void         ad_basics_say              (AdBasicsRun        *run,
                                         const char         *message);
void         ad_basics_say_printf       (AdBasicsRun        *run,
                                         const char         *format,
                                         ...) G_GNUC_PRINTF (2, 3);

void         ad_basics_post_to_context  (GMainContext       *context,
                                         const char         *name,
                                         GSourceFunc         func,
                                         gpointer            data,
                                         GDestroyNotify      destroy);
void         ad_basics_posted_acquire   (void);

/* A sleeping operation, for the AdAsyncStartFunc users (ad-async.h). */
typedef struct
{
  AdBasicsRun *run;
  guint        msec;
  const char  *who;
} AdBasicsNap;

void         ad_basics_nap_start        (GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             callback_data,
                                         gpointer             user_data);
gboolean     ad_basics_nap_finish       (GObject             *source,
                                         GAsyncResult        *result,
                                         GValue              *value,
                                         GError             **error,
                                         gpointer             user_data);

/* The demos, one file each. The sizes make the compiler check that
 * ad-basics.c and each file agree on the number of parameters. */
extern const AdBasicsParam ad_demo_concurrent_params[2];
extern const AdBasicsParam ad_demo_cancellation_params[2];
extern const AdBasicsParam ad_demo_timeout_params[2];
extern const AdBasicsParam ad_demo_error_params[1];
extern const AdBasicsParam ad_demo_group_params[2];
extern const AdBasicsParam ad_demo_thread_loop_params[2];
extern const AdBasicsParam ad_demo_locks_params[5];
extern const AdBasicsParam ad_demo_blocking_params[2];

void ad_demo_concurrent_run   (GTask *task);
void ad_demo_cancellation_run (GTask *task);
void ad_demo_timeout_run      (GTask *task);
void ad_demo_error_run        (GTask *task);
void ad_demo_group_run        (GTask *task);
void ad_demo_thread_loop_run  (GTask *task);
void ad_demo_locks_run        (GTask *task);
void ad_demo_blocking_run     (GTask *task);

G_END_DECLS
