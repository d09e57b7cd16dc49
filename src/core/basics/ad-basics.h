/* ad-basics.h: the Basics demos, runnable headless and from the GUI
 *
 * Each demo is one function that narrates into an AdLogModel (each line
 * with its time since the start and its thread) and completes with a
 * one-line summary. The table describes the demos for the GUI (title,
 * explanation naming the asyncio counterpart, source files to show,
 * parameters with their ranges) and for `async-demo basics`. Each demo
 * lives in its own file, src/core/basics/ad-demo-ID.c; ad-basics.c says
 * how to add one.
 *
 * Parameters are passed as a GVariant dictionary (a{sv}) keyed by the
 * parameter names in the table; missing ones take their defaults.
 * AD_BASICS_PARAM_UINT values are "u", AD_BASICS_PARAM_BOOLEAN ones "b".
 *
 * A demo that shows a failure (an error, a timeout, a failed group)
 * succeeds, with the failure in its summary; ad_basics_run_finish() fails
 * only when the run itself was cancelled (%G_IO_ERROR_CANCELLED) or given
 * bad parameters (%G_IO_ERROR_INVALID_ARGUMENT).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ad-log-model.h"

G_BEGIN_DECLS

typedef enum
{
  AD_BASICS_PARAM_UINT,
  AD_BASICS_PARAM_BOOLEAN,
} AdBasicsParamType;

/**
 * AdBasicsParam:
 * @name: the key in the parameters dictionary and the CLI option (--name)
 * @label: (translatable): a short label (N_(): call gettext on it)
 * @type: the value's type
 * @min: the smallest value (uint)
 * @max: the largest value (uint)
 * @default_value: the default (uint, or 0/1 for a boolean)
 */
typedef struct
{
  const char        *name;
  const char        *label;
  AdBasicsParamType  type;
  guint              min;
  guint              max;
  guint              default_value;
} AdBasicsParam;

/**
 * AdBasicsDemo:
 * @id: a stable identifier ("concurrent", "cancellation", …)
 * @title: (translatable): the title (N_())
 * @explanation: (translatable): what the demo shows, naming its asyncio
 *   counterpart (N_())
 * @source_file: the demo's own file (src/core/basics/ad-demo-ID.c),
 *   relative to the source tree; the GUI finds its text in the GResource
 *   at RESOURCE_BASE "/sources/" + its basename
 * @library_file: (nullable): the library code the demo shows at work
 *   (ad-hello.c, ad-timeout.c, …), found the same way, or %NULL
 * @params: the parameters
 * @n_params: how many there are
 */
typedef struct
{
  const char          *id;
  const char          *title;
  const char          *explanation;
  const char          *source_file;
  const char          *library_file;
  const AdBasicsParam *params;
  guint                n_params;
} AdBasicsDemo;

const AdBasicsDemo  *ad_basics_get_demos   (guint               *n_demos);
const AdBasicsDemo  *ad_basics_lookup      (const char          *id);
const AdBasicsParam *ad_basics_find_param  (const AdBasicsDemo  *demo,
                                            const char          *name);
void                 ad_basics_run_async   (const char          *demo_id,
                                            GVariant            *params,
                                            AdLogModel          *log,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char                *ad_basics_run_finish  (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
