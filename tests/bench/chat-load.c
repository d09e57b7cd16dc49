/* chat-load.c: a load generator for line-based chat servers
 *
 * One process, one thread, epoll, many non-blocking connections: the load
 * generator must be cheaper than the servers it measures, so it does no
 * allocation per line and no GLib main loop. Every line it sends carries a
 * run id, the sender and a CLOCK_MONOTONIC timestamp ("m RUN SENDER SEQ NS");
 * a server relays it as "<nick> m RUN …", and each delivery is counted and,
 * in rate mode, timed. Lines of other runs (history replays) and notices are
 * read and ignored.
 *
 * Modes:
 *   saturate  closed loop: keep WINDOW messages in flight (sent but not yet
 *             delivered to every other client); reports deliveries/s
 *   rate      open loop at RATE messages/s across the clients (a fixed-rate
 *             sender: each send is due at a fixed time, late ones go out at
 *             once); reports the delivery latency percentiles, measured
 *             from the sender's timestamp to the receiver reading the line
 *   slow      connect, send an incomplete line from every client, then (with
 *             --probe) check every PROBE seconds whether a newcomer is
 *             still let in; reports how many probes joined
 *   idle      connect, wait until every client got a line, print "ready",
 *             hold the connections for HOLD seconds
 *
 * Output: one line of key=value pairs on stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PARTIAL_MAX 256
#define CONNECT_BATCH 256

typedef struct
{
  int      fd;
  int      got_line;
  uint16_t partial_len;
  char     partial[PARTIAL_MAX];
} Conn;

static Conn    *conns;
static int      n_conns;
static int      epfd;
static long     run_id;
static uint64_t delivered;
static uint64_t sent;
static int64_t  measure_start;
static int64_t  measure_end;
static uint64_t measured_deliveries;
static int64_t *latencies;         /* sent → read by us */
static int64_t *kernel_latencies;  /* sent → in our socket (SO_TIMESTAMPNS) */
static size_t   n_latencies, n_kernel_latencies, max_latencies;
static int64_t  realtime_offset;   /* CLOCK_REALTIME − CLOCK_MONOTONIC, ns */
static int      ready_count;
static int      connecting;
static int      retries;
static int      server_port;
static int      line_size;

static void open_conn (int index);

static int64_t
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
die (const char *what)
{
  perror (what);
  exit (1);
}

/* @arrival: when the kernel queued the bytes for us (monotonic ns), or 0 */
static void
handle_line (Conn       *conn,
             const char *line,
             size_t      len,
             int64_t     arrival)
{
  const char *p;
  long run, sender, seq;
  long long t;
  int64_t now;

  if (!conn->got_line)
    {
      conn->got_line = 1;
      ready_count++;
    }

  /* "<nick> m RUN SENDER SEQ NS" */
  if (len < 4 || line[0] != '<')
    return;
  p = memchr (line, '>', len);
  if (p == NULL || p + 3 >= line + len || p[1] != ' ' || p[2] != 'm' || p[3] != ' ')
    return;
  if (sscanf (p + 4, "%ld %ld %ld %lld", &run, &sender, &seq, &t) != 4 || run != run_id)
    return;

  delivered++;
  now = now_ns ();
  /* Throughput: deliveries that land inside the window. Latency: lines
   * sent inside it (the sender's timestamp), wherever they land. */
  if (now >= measure_start && now <= measure_end)
    measured_deliveries++;
  if (latencies != NULL && t >= measure_start && t <= measure_end && n_latencies < max_latencies)
    {
      latencies[n_latencies++] = now - t;
      if (arrival > 0)
        kernel_latencies[n_kernel_latencies++] = arrival - t;
    }
}

static void
read_conn (Conn *conn)
{
  static char buffer[65536];

  for (;;)
    {
      char control[CMSG_SPACE (sizeof (struct timespec))];
      struct iovec iov = { buffer, sizeof buffer };
      struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control,
      };
      ssize_t n = recvmsg (conn->fd, &msg, 0);
      char *start = buffer, *end, *nl;
      int64_t arrival = 0;

      /* The time the last segment reached our socket: the server's
       * part of the latency, without our own reading. */
      for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); n > 0 && c != NULL; c = CMSG_NXTHDR (&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS)
          {
            struct timespec ts;

            memcpy (&ts, CMSG_DATA (c), sizeof ts);
            arrival = (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec - realtime_offset;
          }

      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
      if (n <= 0)
        {
          if (!conn->got_line && connecting)
            {
              /* Lost during a connection storm (an accept queue overflow):
               * connect again rather than spoil the run. */
              retries++;
              epoll_ctl (epfd, EPOLL_CTL_DEL, conn->fd, NULL);
              close (conn->fd);
              open_conn ((int) (conn - conns));
              return;
            }
          fprintf (stderr, "chat-load: connection closed by the server (%s)\n",
                   n < 0 ? strerror (errno) : "end of stream");
          exit (1);
        }

      end = buffer + n;
      while ((nl = memchr (start, '\n', end - start)) != NULL)
        {
          if (conn->partial_len > 0)
            {
              size_t take = nl - start;

              if (conn->partial_len + take > PARTIAL_MAX)
                take = PARTIAL_MAX - conn->partial_len;
              memcpy (conn->partial + conn->partial_len, start, take);
              handle_line (conn, conn->partial, conn->partial_len + take, arrival);
              conn->partial_len = 0;
            }
          else
            handle_line (conn, start, nl - start, arrival);
          start = nl + 1;
        }
      if (start < end)
        {
          size_t take = end - start;

          if (conn->partial_len + take > PARTIAL_MAX)
            take = PARTIAL_MAX - conn->partial_len;
          memcpy (conn->partial + conn->partial_len, start, take);
          conn->partial_len += take;
        }

      /* A short read emptied the socket: epoll (level-triggered) tells
       * when more comes. Not reading again until EAGAIN halves our
       * syscalls, which would otherwise show as latency. */
      if ((size_t) n < sizeof buffer)
        return;
    }
}

static void
poll_once (int timeout_ms)
{
  struct epoll_event events[512];
  int n = epoll_wait (epfd, events, 512, timeout_ms);

  if (n < 0 && errno != EINTR)
    die ("epoll_wait");
  for (int i = 0; i < n; i++)
    read_conn (&conns[events[i].data.u32]);
}

static int
send_message (int index,
              long seq)
{
  char line[PARTIAL_MAX];
  int len = snprintf (line, sizeof line, "m %ld %d %ld %lld", run_id, index, seq,
                      (long long) now_ns ());
  ssize_t n;

  /* Padded to --line-size bytes with its "\n" (the relayed line is longer
   * by the nick's "<guest-N> "). */
  if (len < line_size - 1)
    line[len++] = ' ';
  while (len < line_size - 1 && len < (int) sizeof line - 1)
    line[len++] = 'x';
  line[len++] = '\n';
  n = write (conns[index].fd, line, len);

  if (n == len)
    {
      sent++;
      return 1;
    }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return 0;
  if (n >= 0)
    {
      fprintf (stderr, "chat-load: short write\n");
      exit (1);
    }
  die ("write");
  return 0;
}

static void
open_conn (int index)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (server_port) };
  struct epoll_event ev = { .events = EPOLLIN, .data.u32 = index };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0)
    die ("socket");
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt (fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0 && errno != EINPROGRESS)
    die ("connect");
  conns[index].fd = fd;
  conns[index].partial_len = 0;
  if (epoll_ctl (epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
    die ("epoll_ctl");
}

static void
connect_all (int port)
{
  int64_t deadline = now_ns () + 60 * (int64_t) 1000000000;

  server_port = port;
  connecting = 1;
  for (int i = 0; i < n_conns; i++)
    {
      open_conn (i);

      /* In batches, so that the accept queue never overflows. */
      if ((i + 1) % CONNECT_BATCH == 0 || i + 1 == n_conns)
        while (ready_count < i + 1)
          {
            poll_once (10);
            if (now_ns () > deadline)
              {
                fprintf (stderr, "chat-load: only %d of %d clients greeted\n", ready_count, i + 1);
                exit (1);
              }
          }
    }
  connecting = 0;
}

/* Lets in-flight lines land, so that the next phase starts quiet. */
static void
settle (int ms)
{
  int64_t end = now_ns () + (int64_t) ms * 1000000;

  while (now_ns () < end)
    poll_once (5);
}

static long
read_rss_kib (long pid)
{
  char path[64], line[256];
  long kib = -1;
  FILE *f;

  snprintf (path, sizeof path, "/proc/%ld/status", pid);
  f = fopen (path, "r");
  if (f == NULL)
    return -1;
  while (fgets (line, sizeof line, f) != NULL)
    if (sscanf (line, "VmRSS: %ld kB", &kib) == 1)
      break;
  fclose (f);

  return kib;
}

static int
compare_int64 (const void *a,
               const void *b)
{
  int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;

  return (x > y) - (x < y);
}

/* The q-quantile (0..1) of N sorted nanosecond samples, in milliseconds. */
static double
percentile_ms (const int64_t *sorted,
               size_t         n,
               double         q)
{
  size_t i = (size_t) ((double) n * q);

  return (double) sorted[i < n ? i : n - 1] / 1e6;
}

static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

static void
usage (void)
{
  fprintf (stderr,
           "usage: chat-load --port P --clients N --mode saturate|rate|idle|slow\n"
           "                 [--seconds S] [--rate MSGS_PER_S] [--window W]\n"
           "                 [--server-pid PID] [--hold S] [--line-size BYTES]\n"
           "                 [--probe S]\n");
  exit (2);
}

static int
connect_blocking (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (server_port) };
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  struct timeval timeout = { 2, 0 };

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0)
    die ("socket");
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    die ("connect");

  return fd;
}

/* A newcomer: 1 if it was let in ("*** you are"), 0 if refused or nothing
 * came within two seconds. */
static int
probe_join (void)
{
  int fd = connect_blocking ();
  char buffer[4096];
  size_t len = 0;
  int joined = 0;

  for (;;)
    {
      ssize_t n = read (fd, buffer + len, sizeof buffer - 1 - len);

      if (n <= 0)
        break;
      len += n;
      buffer[len] = '\0';
      if (strstr (buffer, "*** you are ") != NULL)
        {
          joined = 1;
          break;
        }
      if (strstr (buffer, "!!! ") != NULL || len == sizeof buffer - 1)
        break;
    }
  close (fd);

  return joined;
}

/* The slow-line flood: every client sends half a line and stops; a
 * newcomer tries to join every PROBE seconds. */
static void
run_slow (double seconds,
          double probe)
{
  int64_t start = now_ns (), end, next_probe;
  int probes = 0, joined = 0, first_join = -1, open_now = 0;

  for (int i = 0; i < n_conns; i++)
    {
      static const char half[] = "hello, I am typing very slo";

      conns[i].fd = connect_blocking ();
      fcntl (conns[i].fd, F_SETFL, O_NONBLOCK);
      if (write (conns[i].fd, half, sizeof half - 1) < 0)
        die ("write");
    }
  printf ("# %d clients each sent half a line in %.2f s\n", n_conns, (now_ns () - start) / 1e9);

  start = now_ns ();
  end = start + (int64_t) (seconds * 1e9);
  next_probe = start;
  while (now_ns () < end)
    {
      if (now_ns () >= next_probe)
        {
          int ok = probe_join ();

          joined += ok;
          if (ok && first_join < 0)
            first_join = probes;
          probes++;
          next_probe += (int64_t) (probe * 1e9);
        }
      usleep (10000);
    }

  /* How many of the flood are still connected: drain what the server
   * sent; a connection it closed reads end of stream. */
  for (int i = 0; i < n_conns; i++)
    {
      char buffer[4096];
      ssize_t n;

      while ((n = read (conns[i].fd, buffer, sizeof buffer)) > 0)
        ;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        open_now++;
    }

  printf ("mode=slow clients=%d seconds=%.1f probes=%d joined=%d first_join_s=%.1f "
          "flood_open=%d\n", n_conns, seconds, probes, joined,
          first_join < 0 ? -1.0 : first_join * probe, open_now);
}

int
main (int    argc,
      char **argv)
{
  const char *mode = "saturate";
  int port = 0, window = 128;
  double seconds = 3.0, rate = 100.0, hold = 5.0, warmup = 0.5, probe = 1.0;
  long server_pid = 0, rss = -1;
  int64_t start, end;

  for (int i = 1; i < argc; i += 2)
    {
      const char *arg = argv[i];
      const char *value = (i + 1 < argc) ? argv[i + 1] : NULL;

      if (value == NULL)
        usage ();
      if (strcmp (arg, "--port") == 0)
        port = atoi (value);
      else if (strcmp (arg, "--clients") == 0)
        n_conns = atoi (value);
      else if (strcmp (arg, "--mode") == 0)
        mode = value;
      else if (strcmp (arg, "--seconds") == 0)
        seconds = atof (value);
      else if (strcmp (arg, "--rate") == 0)
        rate = atof (value);
      else if (strcmp (arg, "--window") == 0)
        window = atoi (value);
      else if (strcmp (arg, "--server-pid") == 0)
        server_pid = atol (value);
      else if (strcmp (arg, "--hold") == 0)
        hold = atof (value);
      else if (strcmp (arg, "--line-size") == 0)
        line_size = atoi (value);
      else if (strcmp (arg, "--probe") == 0)
        probe = atof (value);
      else
        usage ();
    }
  if (port <= 0 || n_conns < 2 || window < 1 || rate <= 0 || probe <= 0)
    usage ();

  raise_fd_limit ();
  run_id = (long) getpid () * 1000 + (now_ns () / 1000000) % 1000;
  {
    struct timespec ts;

    clock_gettime (CLOCK_REALTIME, &ts);
    realtime_offset = (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec - now_ns ();
  }
  conns = calloc (n_conns, sizeof (Conn));
  epfd = epoll_create1 (0);
  if (conns == NULL || epfd < 0)
    die ("setup");

  if (strcmp (mode, "slow") == 0)
    {
      server_port = port;
      run_slow (seconds, probe);
      return 0;
    }

  start = now_ns ();
  connect_all (port);
  end = now_ns ();

  if (strcmp (mode, "idle") == 0)
    {
      printf ("ready clients=%d connect_s=%.2f reconnects=%d\n", n_conns, (end - start) / 1e9,
              retries);
      fflush (stdout);
      end = now_ns () + (int64_t) (hold * 1e9);
      while (now_ns () < end)
        poll_once (50);
      return 0;
    }

  settle (200);
  start = now_ns ();
  measure_start = start + (int64_t) (warmup * 1e9);
  measure_end = start + (int64_t) (seconds * 1e9);

  if (strcmp (mode, "saturate") == 0)
    {
      uint64_t others = n_conns - 1;
      long seq = 0;
      int next = 0;

      while (now_ns () < measure_end)
        {
          int stalled = 0;

          while (sent * others - delivered < (uint64_t) window * others && stalled < n_conns)
            {
              if (send_message (next, seq))
                seq++;
              else
                stalled++;
              next = (next + 1) % n_conns;
            }
          poll_once (1);
        }
    }
  else if (strcmp (mode, "rate") == 0)
    {
      int64_t interval = (int64_t) (1e9 / rate);
      int64_t next_send = start;
      long seq = 0;
      int next = 0;

      max_latencies = (size_t) (rate * seconds * (n_conns - 1)) + 1024;
      latencies = malloc (max_latencies * sizeof (int64_t));
      kernel_latencies = malloc (max_latencies * sizeof (int64_t));
      while (now_ns () < measure_end)
        {
          int64_t now = now_ns ();
          int wait_ms;

          while (now >= next_send)
            {
              send_message (next, seq++);
              next = (next + 1) % n_conns;
              next_send += interval;
            }
          /* Rounded up: a busy loop would steal the CPU the server needs
           * (and, run at a real-time priority, be throttled). A late
           * send is timed when it leaves, so it skews no latency. */
          wait_ms = (int) ((next_send - now_ns () + 999999) / 1000000);
          poll_once (wait_ms < 0 ? 0 : wait_ms);
        }
    }
  else
    usage ();

  if (server_pid > 0)
    rss = read_rss_kib (server_pid);

  /* Collect the last deliveries, for the latencies of the last sends. */
  settle (300);

  if (latencies != NULL)
    {
      double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
      double span = (measure_end - measure_start) / 1e9;

      qsort (latencies, n_latencies, sizeof (int64_t), compare_int64);
      if (n_latencies > 0)
        {
          p50 = percentile_ms (latencies, n_latencies, 0.50);
          p90 = percentile_ms (latencies, n_latencies, 0.90);
          p99 = percentile_ms (latencies, n_latencies, 0.99);
          p999 = percentile_ms (latencies, n_latencies, 0.999);
          max = percentile_ms (latencies, n_latencies, 1.0);
        }
      printf ("mode=rate clients=%d rate=%.0f deliveries_per_s=%.0f samples=%zu p50_ms=%.3f "
              "p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f", n_conns, rate,
              n_latencies / span, n_latencies, p50, p90, p99, p999, max);
      /* The same, to the time the line reached our socket. */
      qsort (kernel_latencies, n_kernel_latencies, sizeof (int64_t), compare_int64);
      if (n_kernel_latencies > 0)
        printf (" k_p50_ms=%.3f k_p99_ms=%.3f",
                percentile_ms (kernel_latencies, n_kernel_latencies, 0.50),
                percentile_ms (kernel_latencies, n_kernel_latencies, 0.99));
      printf (" rss_kib=%ld\n", rss);
    }
  else
    {
      double span = (measure_end - measure_start) / 1e9;

      printf ("mode=saturate clients=%d deliveries_per_s=%.0f messages_per_s=%.0f rss_kib=%ld\n",
              n_conns, measured_deliveries / span, measured_deliveries / span / (n_conns - 1),
              rss);
    }

  /* Reset rather than leave thousands of TIME_WAIT sockets behind. */
  for (int i = 0; i < n_conns; i++)
    {
      struct linger linger = { 1, 0 };

      setsockopt (conns[i].fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
      close (conns[i].fd);
    }

  return 0;
}
