/* ad-core.h: the Async Demo core library (GLib, GIO, libsoup, json-glib; never GTK)
 *
 * The umbrella header, for the GUI, the command line and the tests. Files
 * inside the core include the exact headers they use, never this one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void         ad_core_init           (void);

G_END_DECLS

#include "ad-async.h"
#include "ad-basics.h"
#include "ad-chat-client.h"
#include "ad-chat-connection.h"
#include "ad-chat-protocol.h"
#include "ad-chat-server.h"
#include "ad-compute-error.h"
#include "ad-context-pump.h"
#include "ad-compute-job.h"
#include "ad-compute-kernels.h"
#include "ad-compute-result.h"
#include "ad-compute-worker.h"
#include "ad-speedup.h"
#include "ad-crawl-export.h"
#include "ad-crawl-result.h"
#include "ad-crawler.h"
#include "ad-debug.h"
#include "ad-fetch.h"
#include "ad-hello.h"
#include "ad-http-client.h"
#include "ad-limiter.h"
#include "ad-link-extractor.h"
#include "ad-log-entry.h"
#include "ad-log-model.h"
#include "ad-loop-monitor.h"
#include "ad-png.h"
#include "ad-robots.h"
#include "ad-sample-site.h"
#include "ad-sleep.h"
#include "ad-source.h"
#include "ad-task-group.h"
#include "ad-task-registry.h"
#include "ad-task.h"
#include "ad-thread.h"
#include "ad-timeout.h"
#include "ad-trace.h"
#include "ad-trace-export.h"
#include "ad-trace-file.h"
#include "ad-trace-recorder.h"
#include "ad-url.h"
#include "ad-weak-ref.h"
