/* bench-window-scenarios.c: bench-window's scenarios, one page at a time
 *
 * The self-check, then the Compute page's render, cancel and speed-up
 * run, the Crawler page's 10,000-page crawl, the Chat page under 100
 * clients, the Tasks page under 10,000 tasks a second, and every page
 * idle: each drives the page through its actions and widgets and adds its
 * rows (see the header of bench-window.c for what a row records).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "AsyncDemo-Bench"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include "ad-chat-page.h"
#include "ad-compute-page.h"
#include "ad-core.h"
#include "ad-crawler-page.h"
#include "ad-gui-test-utils.h"
#include "ad-tasks-page.h"
#include "ad-window.h"

#include "bench-window.h"

/* ---- (0) the instruments themselves ----------------------------------------- */

static gboolean
block_cb (gpointer data)
{
  g_usleep (100 * G_TIME_SPAN_MILLISECOND);

  return G_SOURCE_REMOVE;
}

/* One second with one 100 ms block of the main loop: the row must show a
 * stall of about 100 ms and at least one dropped frame, or the figures
 * below mean nothing. */
void
scenario_self_check (void)
{
  Row *row;

  measure_begin (TRUE);
  run_for (300);
  ad_timeout_add_named (G_PRIORITY_DEFAULT, 1, "[bench-window] self-check block", block_cb, NULL,
                        NULL);
  run_for (700);
  row = measure_end ("self-check", NULL);
  row->notes = g_strdup_printf ("one 100 ms block of the loop: %s",
                                row->stall_ms >= 90 && row->p99_ms >= 90 && row->clock_p99_ms >= 90 &&
                                row->n_dropped >= 1
                                ? "seen" : "NOT SEEN: the instruments are broken");
  /* The watchdog names the traced culprit; the table prints it. */
}

/* ---- (1) and (2): the Compute page ---------------------------------------- */

static const char *
worker_binary (void)
{
  const char *path = g_getenv ("ASYNC_DEMO_BINARY");

  return path != NULL ? path : ASYNC_DEMO_BUILD_BINARY;
}

static gboolean
compute_stopped (gpointer page)
{
  return !ad_compute_page_get_running (page);
}

typedef struct
{
  AdComputePage *page;
  guint          n_tiles;
} TileWait;

static gboolean
compute_tiles_shown (gpointer data)
{
  TileWait *wait = data;

  return ad_mandelbrot_view_get_n_tiles (ad_compute_page_get_mandelbrot_view (wait->page)) >=
         wait->n_tiles || !ad_compute_page_get_running (wait->page);
}

/* A full render, then the same render again, cancelled half-way through:
 * when half its tiles are on screen, or at the first one's time. */
void
scenario_mandelbrot (void)
{
  AdComputePage *page = AD_COMPUTE_PAGE (show_page ("compute"));
  AdMandelbrotView *view = ad_compute_page_get_mandelbrot_view (page);
  gint64 started, render_us, cancelled, stopped;
  guint n_tiles, tiles_at_cancel;
  gboolean finished;

  ad_compute_page_set_worker_binary (page, worker_binary ());
  ad_compute_page_set_workload (page, AD_COMPUTE_WORKLOAD_MANDELBROT);
  ad_compute_page_set_max_iter (page, 5000);
  ad_compute_page_set_image_size (page, 0, 0);  /* the view's size on screen */
  ad_compute_page_set_workers (page, AD_COMPUTE_BACKEND_THREADS, ad_compute_max_workers ());
  run_for (200);

  measure_begin (TRUE);
  started = g_get_monotonic_time ();
  click (GTK_WIDGET (page), "compute.run");
  finished = run_until (compute_stopped, page, cap_ms (30));
  render_us = g_get_monotonic_time () - started;
  if (!finished)
    {
      click (GTK_WIDGET (page), "compute.cancel");
      run_until (compute_stopped, page, 10000);
    }
  run_for (300);  /* the result on screen */
  n_tiles = ad_mandelbrot_view_get_n_tiles (view);
  measure_end ("mandelbrot 5000 it.",
               g_strdup_printf ("%u×%u px, %u threads; %s in %.2f s; %u tiles shown",
                                ad_mandelbrot_view_get_image_width (view),
                                ad_mandelbrot_view_get_image_height (view),
                                ad_compute_max_workers (),
                                finished ? "rendered" : "CANCELLED (time cap)", render_us / 1e6,
                                n_tiles));

  measure_begin (TRUE);
  started = g_get_monotonic_time ();
  click (GTK_WIDGET (page), "compute.run");
  run_until (compute_tiles_shown, &(TileWait) { page, MAX (n_tiles / 2, 1) },
             (guint) MAX (render_us / 1000, 1));
  tiles_at_cancel = ad_mandelbrot_view_get_n_tiles (view);
  finished = !ad_compute_page_get_running (page);
  cancelled = g_get_monotonic_time ();
  if (!finished)
    click (GTK_WIDGET (page), "compute.cancel");
  run_until (compute_stopped, page, 10000);
  stopped = g_get_monotonic_time ();
  run_for (300);
  measure_end ("mandelbrot cancel",
               finished ? g_strdup_printf ("finished before the cancel, in %.2f s",
                                           (stopped - started) / 1e6)
                        : g_strdup_printf ("cancelled after %.2f s with %u of %u tiles shown; "
                                           "stopped %.0f ms later (notify::running)",
                                           (cancelled - started) / 1e6, tiles_at_cancel, n_tiles,
                                           (stopped - cancelled) / 1e3));
}

void
scenario_speedup (void)
{
  AdComputePage *page = AD_COMPUTE_PAGE (show_page ("compute"));
  guint max_iter = 5000;
  gint64 started;
  gboolean finished;

  ad_compute_page_set_worker_binary (page, worker_binary ());
  ad_compute_page_set_workload (page, AD_COMPUTE_WORKLOAD_MANDELBROT);
  ad_compute_page_set_max_iter (page, max_iter);
  ad_compute_page_set_image_size (page, 0, 0);
  run_for (200);

  measure_begin (TRUE);
  started = g_get_monotonic_time ();
  click (GTK_WIDGET (page), "compute.speedup");
  finished = run_until (compute_stopped, page, cap_ms (30));
  if (!finished)
    {
      click (GTK_WIDGET (page), "compute.cancel");
      run_until (compute_stopped, page, 10000);
    }
  run_for (300);
  measure_end ("speed-up run",
               g_strdup_printf ("mandelbrot %u it., 1…%u threads + %u processes; %s after "
                                "%.1f s; %s",
                                max_iter, ad_compute_max_workers (), ad_compute_max_workers (),
                                finished ? "done" : "CANCELLED (time cap)",
                                (g_get_monotonic_time () - started) / 1e6,
                                ad_compute_page_get_result_text (page)));
}

/* ---- (3) the Crawler page -------------------------------------------------- */

static gboolean
crawler_stopped (gpointer page)
{
  return !ad_crawler_page_get_running (page);
}

void
scenario_crawl (void)
{
  AdCrawlerPage *page = AD_CRAWLER_PAGE (show_page ("crawler"));
  AdCrawler *crawler = ad_crawler_page_get_crawler (page);
  GtkWidget *samples = ad_gui_test_find_named (GTK_WIDGET (page), "sample-choice");
  guint max_pages = 0;
  gint64 started;
  gboolean finished;

  g_assert (samples != NULL);
  /* The 10,000-page sample: choosing it puts its start URL in the entry. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (samples), 1);
  run_for (300);

  measure_begin (TRUE);
  started = g_get_monotonic_time ();
  click (GTK_WIDGET (page), "crawler.start");
  g_object_get (crawler, "max-pages", &max_pages, NULL);
  finished = run_until (crawler_stopped, page, cap_ms (45));
  if (!finished)
    {
      click (GTK_WIDGET (page), "crawler.cancel");
      run_until (crawler_stopped, page, 10000);
    }
  run_for (300);
  measure_end ("crawl 10k pages",
               g_strdup_printf ("%u pages (max %u) in %.1f s%s; %s", ad_crawler_get_done (crawler),
                                max_pages, (g_get_monotonic_time () - started) / 1e6,
                                finished ? "" : ", CANCELLED (time cap)",
                                ad_crawler_page_get_status (page)));
}

/* ---- (4) the Chat page ------------------------------------------------------ */

#define CHAT_CLIENTS     100u
#define CHAT_RATE        1000   /* lines a second, all clients together */
#define CHAT_LINE_BYTES  64

typedef struct
{
  guint16        port;
  int            fds[CHAT_CLIENTS];
  gboolean       at_line_start[CHAT_CLIENTS];
  gint           connected;     /* atomic */
  gint           stop;          /* atomic: 1 start sending, 2 stop */
  gint           finished;      /* atomic: the thread closed its sockets */
  guint64        sent;
  guint64        received;      /* lines */
  guint64        errors;        /* "!!! " lines: rate limit, errors */
  guint64        unsent;        /* lines a full socket buffer refused */
  guint64        closed;
  char          *error;
} ChatLoad;

static void
chat_read (ChatLoad *load,
           guint     i)
{
  char buffer[65536];

  while (g_atomic_int_get (&load->stop) < 2)
    {
      ssize_t n = recv (load->fds[i], buffer, sizeof buffer, 0);

      if (n == 0)
        {
          load->closed++;  /* the server closed it */
          close (load->fds[i]);
          load->fds[i] = -1;
          return;
        }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
      if (n < 0)
        {
          load->closed++;  /* reset by the server */
          close (load->fds[i]);
          load->fds[i] = -1;
          return;
        }

      for (ssize_t j = 0; j < n; j++)
        {
          if (load->at_line_start[i] && buffer[j] == '!')
            load->errors++;
          load->at_line_start[i] = buffer[j] == '\n';
          if (buffer[j] == '\n')
            load->received++;
        }
    }
}

/* The helper thread: connects, then, once told, sends CHAT_RATE lines a
 * second round-robin over the clients and reads everything they get. */
static gpointer
chat_thread (gpointer data)
{
  ChatLoad *load = data;
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (load->port) };
  struct pollfd pfds[CHAT_CLIENTS];
  char line[CHAT_LINE_BYTES + 1];
  gint64 start = 0;
  guint next = 0;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  for (guint i = 0; i < CHAT_CLIENTS; i++)
    {
      int one = 1;

      load->fds[i] = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (load->fds[i] < 0 || connect (load->fds[i], (struct sockaddr *) &addr, sizeof addr) < 0)
        {
          load->error = g_strdup_printf ("connect: %s", g_strerror (errno));
          if (load->fds[i] >= 0)
            close (load->fds[i]);
          for (guint j = 0; j < i; j++)
            close (load->fds[j]);
          g_atomic_int_set (&load->finished, 1);
          return NULL;
        }
      setsockopt (load->fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      fcntl (load->fds[i], F_SETFL, fcntl (load->fds[i], F_GETFL) | O_NONBLOCK);
      load->at_line_start[i] = TRUE;
      g_atomic_int_inc (&load->connected);
    }

  while (g_atomic_int_get (&load->stop) < 2)
    {
      gint64 now = g_get_monotonic_time ();
      int timeout = 100;

      if (g_atomic_int_get (&load->stop) == 1)
        {
          gint64 due;

          if (start == 0)
            start = now;
          due = (now - start) * CHAT_RATE / G_USEC_PER_SEC;
          while ((gint64) load->sent < due)
            {
              guint i = next++ % CHAT_CLIENTS;
              int len;

              if (load->fds[i] < 0)
                continue;
              len = g_snprintf (line, sizeof line, "m %u %" G_GUINT64_FORMAT " ", i, load->sent);
              memset (line + len, 'x', CHAT_LINE_BYTES - 1 - len);
              line[CHAT_LINE_BYTES - 1] = '\n';
              /* A full socket buffer drops the line: the server is behind. */
              if (send (load->fds[i], line, CHAT_LINE_BYTES, MSG_NOSIGNAL) != CHAT_LINE_BYTES)
                load->unsent++;
              load->sent++;
            }
          timeout = 1;
        }

      for (guint i = 0; i < CHAT_CLIENTS; i++)
        {
          pfds[i].fd = load->fds[i];
          pfds[i].events = POLLIN;
          pfds[i].revents = 0;
        }
      if (poll (pfds, CHAT_CLIENTS, timeout) > 0)
        for (guint i = 0; i < CHAT_CLIENTS; i++)
          if (pfds[i].revents != 0 && load->fds[i] >= 0)
            chat_read (load, i);
    }

  for (guint i = 0; i < CHAT_CLIENTS; i++)
    if (load->fds[i] >= 0)
      close (load->fds[i]);
  g_atomic_int_set (&load->finished, 1);

  return NULL;
}

typedef struct
{
  AdChatServer *server;
  guint         n;
} ChatWait;

static gboolean
chat_has_clients (gpointer data)
{
  ChatWait *wait = data;

  return ad_chat_server_get_n_clients (wait->server) >= wait->n;
}

static gboolean
chat_empty (gpointer server)
{
  return ad_chat_server_get_n_clients (server) == 0;
}

static gboolean
chat_thread_finished (gpointer data)
{
  return g_atomic_int_get (&((ChatLoad *) data)->finished);
}

static gboolean
chat_start_sensitive (gpointer panel)
{
  return gtk_widget_is_sensitive (find_button (panel, "chat-server.start"));
}

/* Three rows: the clients join, they talk, they all leave at once. */
void
scenario_chat (void)
{
  AdChatPage *page = AD_CHAT_PAGE (show_page ("chat"));
  AdChatServerPanel *panel = ad_chat_page_get_server_panel (page);
  AdChatServer *server = ad_chat_server_panel_get_server (panel);
  ChatLoad load = { 0 };
  ChatWait wait = { server, CHAT_CLIENTS };
  GThread *thread;
  gint64 started, elapsed;
  guint64 messages_before;
  gboolean ok;

  ad_chat_server_panel_set_port (panel, 0);
  click (GTK_WIDGET (panel), "chat-server.start");
  if (!ad_chat_server_get_running (server))
    {
      g_printerr ("bench-window: the chat server did not start: %s\n",
                  ad_chat_server_panel_get_error (panel));
      return;
    }
  load.port = ad_chat_server_get_port (server);

  measure_begin (TRUE);
  started = g_get_monotonic_time ();
  thread = g_thread_new ("bench-chat", chat_thread, &load);
  ok = run_until (chat_has_clients, &wait, 20000);
  elapsed = g_get_monotonic_time () - started;
  run_for (SETTLE_MS);
  measure_end ("chat 100 join",
               g_strdup_printf ("%u of %u clients in the room after %.2f s%s%s",
                                ad_chat_server_get_n_clients (server), CHAT_CLIENTS,
                                elapsed / 1e6, load.error ? "; " : "",
                                load.error ? load.error : ""));

  if (ok)
    {
      messages_before = ad_chat_server_get_n_messages (server);
      measure_begin (TRUE);
      started = g_get_monotonic_time ();
      g_atomic_int_set (&load.stop, 1);
      run_for (scaled_ms (5));
      elapsed = g_get_monotonic_time () - started;
      measure_end ("chat 1000 lines/s",
                   g_strdup_printf ("sent %.0f lines/s of %u bytes, server relayed %.0f/s, "
                                    "clients read %.0f lines/s; %" G_GUINT64_FORMAT " unsent, %"
                                    G_GUINT64_FORMAT " \"!!!\" lines, %" G_GUINT64_FORMAT
                                    " disconnected; server log of %u lines",
                                    load.sent / (elapsed / 1e6), CHAT_LINE_BYTES,
                                    (ad_chat_server_get_n_messages (server) - messages_before) /
                                    (elapsed / 1e6),
                                    load.received / (elapsed / 1e6), load.unsent, load.errors,
                                    load.closed,
                                    ad_log_model_get_capacity (ad_chat_server_panel_get_log (panel))));
    }

  /* All at once, without /quit: the sockets close. */
  measure_begin (TRUE);
  started = g_get_monotonic_time ();
  g_atomic_int_set (&load.stop, 2);
  run_until (chat_thread_finished, &load, 10000);
  g_thread_join (thread);
  ok = run_until (chat_empty, server, 20000);
  elapsed = g_get_monotonic_time () - started;
  run_for (300);
  measure_end ("chat 100 leave",
               g_strdup_printf ("%s after %.2f s", ok ? "room empty" : "clients LEFT OVER",
                                elapsed / 1e6));
  g_free (load.error);

  click (GTK_WIDGET (panel), "chat-server.stop");
  run_until (chat_start_sensitive, panel, 5000);
}

/* ---- (5) the Tasks page under 10,000 tasks a second ------------------------- */

#define TASKS_PER_SECOND 10000
#define TASKS_TICK_MS    10
#define TASKS_IO         70     /* per group: finished at the next tick */
#define TASKS_CPU        30     /* per group: run on GLib's pool threads */

typedef struct
{
  GPtrArray *open;               /* AdTask: the last groups and their I/O tasks */
  gint64     start;
  guint64    n_tasks;
  guint      n_groups;
  guint      n_threads_running;
  gboolean   stopping;
} TaskLoad;

static void
cpu_task_thread (GTask        *gtask,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AdTask *task = task_data;
  volatile guint64 x = 0;

  ad_task_start (task);
  for (guint i = 0; i < 20000; i++)
    x += i ^ (x >> 3);
  ad_task_finish (task, NULL);
  g_task_return_boolean (gtask, TRUE);
}

static void
cpu_task_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  TaskLoad *load = data;

  load->n_threads_running--;
}

static void
task_load_add_group (TaskLoad *load)
{
  AdTaskRegistry *registry = ad_task_registry_get_default ();
  g_autofree char *name = g_strdup_printf ("load %u", load->n_groups++);
  AdTask *group = ad_task_registry_create (registry, name, AD_TASK_KIND_GROUP, NULL, NULL);
  AdTask *previous;

  ad_task_start (group);
  previous = ad_task_push_current (group);
  for (guint i = 0; i < TASKS_IO; i++)
    {
      g_autofree char *io_name = g_strdup_printf ("GET /item/%u", i);
      AdTask *io = ad_task_registry_create (registry, io_name, AD_TASK_KIND_IO, group, NULL);

      ad_task_start (io);
      g_ptr_array_add (load->open, io);
    }
  for (guint i = 0; i < TASKS_CPU; i++)
    {
      g_autofree char *cpu_name = g_strdup_printf ("block %u", i);
      g_autoptr(GTask) gtask = g_task_new (NULL, NULL, cpu_task_done_cb, load);

      g_task_set_task_data (gtask,
                            ad_task_registry_create (registry, cpu_name, AD_TASK_KIND_CPU,
                                                     group, NULL),
                            g_object_unref);
      load->n_threads_running++;
      g_task_run_in_thread (gtask, cpu_task_thread);
    }
  ad_task_pop_current (previous);
  g_ptr_array_add (load->open, group);
  load->n_tasks += 1 + TASKS_IO + TASKS_CPU;
}

/* Ends what the last tick opened, then opens as many groups as the rate
 * asks for since the start: a late tick catches up. */
static gboolean
task_load_tick (gpointer data)
{
  TaskLoad *load = data;
  gint64 due;

  for (guint i = 0; i < load->open->len; i++)
    ad_task_finish (g_ptr_array_index (load->open, i), NULL);
  g_ptr_array_set_size (load->open, 0);
  if (load->stopping)
    return G_SOURCE_REMOVE;

  due = (g_get_monotonic_time () - load->start) * TASKS_PER_SECOND / G_USEC_PER_SEC;
  while ((gint64) load->n_tasks < due)
    task_load_add_group (load);

  return G_SOURCE_CONTINUE;
}

static gboolean
task_threads_done (gpointer data)
{
  return ((TaskLoad *) data)->n_threads_running == 0;
}

void
scenario_tasks (void)
{
  AdTasksPage *page = AD_TASKS_PAGE (show_page ("tasks"));
  TaskLoad load = { 0 };
  gint64 elapsed;
  guint tick;

  load.open = g_ptr_array_new_with_free_func (g_object_unref);

  measure_begin (TRUE);
  load.start = g_get_monotonic_time ();
  tick = g_timeout_add (TASKS_TICK_MS, task_load_tick, &load);
  run_for (scaled_ms (5));
  elapsed = g_get_monotonic_time () - load.start;
  load.stopping = TRUE;
  g_source_remove (tick);
  task_load_tick (&load);
  run_until (task_threads_done, &load, 10000);
  run_for (300);
  measure_end ("tasks 10k/s",
               g_strdup_printf ("%.0f tasks/s registered; %s", load.n_tasks / (elapsed / 1e6),
                                ad_tasks_page_get_counts_text (page)));
  g_ptr_array_unref (load.open);
}

/* ---- (6) idle --------------------------------------------------------------- */

void
scenario_idle (const char *page_name)
{
  g_autofree char *name = g_strdup_printf ("idle %s", page_name);
  guint half = scaled_ms (idle_seconds / 2);
  gint64 wall_start, cpu_start;
  double cpu_with_monitor;
  Row *row;

  show_page (page_name);

  /* First half: CPU alone, no heartbeat of ours. */
  ad_loop_monitor_stop (bench.monitor);
  bench.wall_start = wall_start = g_get_monotonic_time ();
  bench.cpu_start = cpu_start = cpu_us (RUSAGE_SELF);
  bench.children_start = cpu_us (RUSAGE_CHILDREN);
  run_for (half);
  {
    gint64 wall = g_get_monotonic_time () - wall_start;
    double cpu = 100.0 * (cpu_us (RUSAGE_SELF) - cpu_start) / wall;

    /* Second half: the stall monitor and the frames (not forced). */
    measure_begin (FALSE);
    run_for (half);
    cpu_with_monitor = 100.0 * (cpu_us (RUSAGE_SELF) - bench.cpu_start) /
                       (g_get_monotonic_time () - bench.wall_start);
    row = measure_end (name, NULL);
    row->idle = TRUE;
    row->cpu_percent = cpu;
    row->notes = g_strdup_printf ("CPU of the first %.1f s, stall monitor off (on: %.2f %%); %u "
                                  "frames drawn", half / 1000.0, cpu_with_monitor, row->n_frames);
  }
}
