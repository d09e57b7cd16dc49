/* test-cli-compute.c: `async-demo compute …`, run as a user would, with no display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ad-cli-test-utils.h"

static void
test_sum_squares (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("compute", "sum-squares", "--n", "10000000",
                                                 "--threads", "1"), &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "333333283333335000000"));
  g_assert_nonnull (strstr (out, "Elapsed:"));
  g_assert_nonnull (strstr (out, "1 thread"));
}

static void
test_sum_squares_json (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) parser2 = json_parser_new ();
  JsonObject *obj;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("compute", "sum-squares", "--n", "10000000",
                                                 "--json"), &out, &err), ==, 0);
  obj = ad_cli_test_parse_object (parser, out);
  g_assert_cmpstr (json_object_get_string_member (obj, "workload"), ==, "sum-squares");
  g_assert_cmpint (json_object_get_int_member (obj, "n"), ==, 10000000);
  g_assert_cmpstr (json_object_get_string_member (obj, "result"), ==, "333333283333335000000");
  g_assert_cmpstr (json_object_get_string_member (obj, "backend"), ==, "threads");
  g_assert_cmpint (json_object_get_int_member (obj, "threads"), ==, g_get_num_processors ());
  g_assert_cmpint (json_object_get_int_member (obj, "elapsed_us"), >, 0);

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("compute", "sum-squares", "--n", "10000000",
                                                 "--processes", "1", "--json"),
                                    &out2, &err2), ==, 0);
  obj = ad_cli_test_parse_object (parser2, out2);
  g_assert_cmpstr (json_object_get_string_member (obj, "result"), ==, "333333283333335000000");
  g_assert_cmpstr (json_object_get_string_member (obj, "backend"), ==, "processes");
  g_assert_cmpint (json_object_get_int_member (obj, "processes"), ==, 1);
}

static void
test_primes (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("compute", "primes", "--n", "1000000"),
                                    &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "78498"));

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("compute", "primes", "--n", "10000000",
                                                 "--processes", "2", "--json"),
                                    &out2, &err2), ==, 0);
  obj = ad_cli_test_parse_object (parser, out2);
  g_assert_cmpstr (json_object_get_string_member (obj, "workload"), ==, "primes");
  g_assert_cmpint (json_object_get_int_member (obj, "result"), ==, 664579);
  g_assert_cmpint (json_object_get_int_member (obj, "processes"), ==, 2);
}

static void
test_mandelbrot (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) parser2 = json_parser_new ();
  g_autofree char *dir = g_dir_make_tmp ("async-demo-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "m.png", NULL);
  g_autofree char *png = NULL;
  JsonObject *obj, *obj2;
  gsize len = 0;

  g_assert_no_error (error);
  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("compute", "mandelbrot", "--width", "160",
                                                 "--height", "120", "--max-iter", "200",
                                                 "--threads", "1", "--output", path, "--json"),
                                    &out, &err), ==, 0);
  obj = ad_cli_test_parse_object (parser, out);
  g_assert_cmpstr (json_object_get_string_member (obj, "workload"), ==, "mandelbrot");
  g_assert_cmpint (json_object_get_int_member (obj, "width"), ==, 160);
  g_assert_cmpint (json_object_get_int_member (obj, "height"), ==, 120);
  g_assert_cmpstr (json_object_get_string_member (obj, "output"), ==, path);
  g_assert_cmpuint (strlen (json_object_get_string_member (obj, "checksum")), ==, 16);

  g_assert_true (g_file_get_contents (path, &png, &len, &error));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (png, 8, "\211PNG\r\n\032\n", 8);

  /* The same image from worker processes. */
  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("compute", "mandelbrot", "--width", "160",
                                                 "--height", "120", "--max-iter", "200",
                                                 "--processes", "2", "--json"),
                                    &out2, &err2), ==, 0);
  obj2 = ad_cli_test_parse_object (parser2, out2);
  g_assert_cmpstr (json_object_get_string_member (obj2, "checksum"), ==,
                   json_object_get_string_member (obj, "checksum"));
  g_assert_true (json_object_get_null_member (obj2, "output"));

  g_unlink (path);
  g_rmdir (dir);
}

/* GLib prints debug messages on stdout; the workers' protocol must not
 * see them. */
static void
test_processes_debug_messages (void)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, ad_cli_test_binary (),
                                      "compute", "primes", "--n", "1000000", "--processes", "2",
                                      NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_nonnull (strstr (out, "Primes up to 1000000: 78498"));
}

static void
test_bad_arguments (void)
{
  static const char * const cases[][7] = {
    { "compute", NULL },
    { "compute", "cube", NULL },
    { "compute", "sum-squares", "--n", "1000000000001", NULL },
    { "compute", "primes", "--n", "-5", NULL },
    { "compute", "primes", "--n", "lots", NULL },
    { "compute", "sum-squares", "--threads", "0", NULL },
    { "compute", "sum-squares", "--threads", "100000", NULL },
    { "compute", "sum-squares", "--threads", "1", "--processes", "1", NULL },
    { "compute", "mandelbrot", "--width", "0", NULL },
    { "compute", "mandelbrot", "--scale", "-1", NULL },
    { "compute", "primes", "--output", "x.png", NULL },
    { "compute", "sum-squares", "extra", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      g_assert_cmpint (ad_cli_test_run (cases[i], &out, &err), ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, !=, "");
    }

  /* n too large says why. */
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("compute", "sum-squares",
                                                   "--n", "1000000000001"), &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "too large"));
  }
}

/* A run of many minutes must not outlive a test that failed before it
 * could interrupt it. */
static void
die_with_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
test_sigint_cancels (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *started = NULL;
  g_autofree char *out = NULL, *err = NULL;
  gint64 elapsed;

  /* A run that would take many minutes. The job says when it starts its
   * threads (a debug message, on stdout). */
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "AsyncDemo-Compute", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_test, NULL, NULL);
  proc = g_subprocess_launcher_spawn (launcher, &error, ad_cli_test_binary (),
                                      "compute", "sum-squares", "--n", "1000000000000", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  started = ad_cli_test_read_line_with (lines, "compute sum-squares: ");
  g_assert_nonnull (strstr (started, " threads"));

  elapsed = ad_cli_test_interrupt_running (proc, 5000);
  g_test_message ("exited %.1f ms after SIGINT", elapsed / 1000.0);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  /* No answer, and no error. */
  g_assert_null (strstr (out, "Sum of squares"));
  g_assert_cmpstr (err, ==, "");
}

/* The hidden worker mode: it answers on stdout, survives SIGINT (its
 * parent stops it), and exits with 0 at the end of its input. */
static void
test_worker_mode (void)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) answers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *out = NULL;
  GOutputStream *requests;
  static const char first_request[] = "sum-squares 0 10000000\n";

  proc = g_subprocess_launcher_spawn (launcher, &error, ad_cli_test_binary (),
                                      "compute-worker", NULL);
  g_assert_no_error (error);

  /* The handshake: its first answer says it is past its start-up. */
  requests = g_subprocess_get_stdin_pipe (proc);
  g_output_stream_write_all (requests, first_request, strlen (first_request), NULL, NULL, &error);
  g_assert_no_error (error);
  answers = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  first = g_data_input_stream_read_line_utf8 (answers, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "ok 333333283333335000000");

  g_subprocess_send_signal (proc, SIGINT);

  /* Still there: it answers the next request, and ends with its input. */
  g_subprocess_communicate_utf8 (proc, "primes 0 1000001\n", NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_cmpstr (out, ==, "ok 78498\n");
}

/* Worker mode's protocol errors: a request it cannot parse or check gets
 * an "error MESSAGE" line on the protocol, after every answer before it,
 * and the worker exits with a failure and says why on stderr. */
static void
test_worker_mode_errors (void)
{
  static const struct
  {
    const char *input;
    const char *out;
  } cases[] = {
    /* Unknown workload */
    { "cube 0 10\n", "error Malformed request “cube 0 10”\n" },
    /* Answers first, then the malformed line: too few fields */
    { "sum-squares 0 10\nsum-squares 5\n", "ok 285\nerror Malformed request “sum-squares 5”\n" },
    /* Not a number; a range backwards */
    { "primes 0 lots\n", "error Malformed request “primes 0 lots”\n" },
    { "primes 10 5\n", "error Malformed request “primes 10 5”\n" },
    /* A tile outside its image */
    { "mandelbrot 64 64 100 -0.5 0 0.01 32 32 64 64\n",
      "error Malformed request “mandelbrot 64 64 100 -0.5 0 0.01 32 32 64 64”\n" },
    /* An empty line */
    { "\n", "error Malformed request “”\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_test_message ("request: %s", cases[i].input);
      proc = g_subprocess_launcher_spawn (launcher, &error, ad_cli_test_binary (),
                                          "compute-worker", NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, cases[i].input, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, EXIT_FAILURE);
      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_true (g_str_has_prefix (err, "async-demo compute-worker: Malformed request"));
    }
}

/* Worker mode takes no arguments. */
static void
test_worker_mode_arguments (void)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                           | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           ad_cli_test_binary (), "compute-worker", "extra", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, "sum-squares 0 10\n", NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "unexpected argument “extra”"));
}

static void
new_process_group (gpointer user_data)
{
  setpgid (0, 0);
  die_with_test (user_data);
}

/* How many worker processes of @parent are running and ignore SIGINT, as
 * /proc tells: a child whose command line says compute-worker, with SIGINT
 * in its ignored set (which it sets first thing; a child still before its
 * exec() has the parent's handler instead). */
static guint
count_workers_ignoring_sigint (pid_t parent)
{
  g_autoptr(GDir) proc_dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (proc_dir);
  while ((name = g_dir_read_name (proc_dir)) != NULL)
    {
      g_autofree char *status_path = g_build_filename ("/proc", name, "status", NULL);
      g_autofree char *cmdline_path = g_build_filename ("/proc", name, "cmdline", NULL);
      g_autofree char *status = NULL, *cmdline = NULL;
      g_auto(GStrv) fields = NULL;
      gsize cmdline_len = 0;
      gint64 ppid = -1;
      guint64 ignored = 0;

      if (!g_ascii_isdigit (name[0]) ||
          !g_file_get_contents (status_path, &status, NULL, NULL) ||
          !g_file_get_contents (cmdline_path, &cmdline, &cmdline_len, NULL))
        continue;  /* not a process, or gone meanwhile */

      fields = g_strsplit (status, "\n", -1);
      for (guint i = 0; fields[i] != NULL; i++)
        {
          if (g_str_has_prefix (fields[i], "PPid:"))
            ppid = g_ascii_strtoll (fields[i] + strlen ("PPid:"), NULL, 10);
          else if (g_str_has_prefix (fields[i], "SigIgn:"))
            ignored = g_ascii_strtoull (fields[i] + strlen ("SigIgn:"), NULL, 16);
        }
      /* cmdline is the arguments, each ending in a NUL: look at the second. */
      if (ppid == parent && cmdline_len > strlen (cmdline) + 1 &&
          g_str_equal (cmdline + strlen (cmdline) + 1, "compute-worker") &&
          (ignored & (G_GUINT64_CONSTANT (1) << (SIGINT - 1))) != 0)
        n++;
    }

  return n;
}

/* Ctrl+C in a terminal signals the whole process group, the worker
 * processes too: the run must still end as cancelled, not as failed. */
static void
test_sigint_group_processes (void)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  gint64 deadline;
  pid_t pid;

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, new_process_group, NULL, NULL);
  proc = g_subprocess_launcher_spawn (launcher, &error, ad_cli_test_binary (),
                                      "compute", "sum-squares", "--n", "1000000000000",
                                      "--processes", "2", NULL);
  g_assert_no_error (error);
  pid = (pid_t) g_ascii_strtoll (g_subprocess_get_identifier (proc), NULL, 10);

  /* The handshake: both workers run and ignore SIGINT, as they would in
   * a terminal when the user presses Ctrl+C. */
  deadline = g_get_monotonic_time () +
             (g_getenv ("AD_TEST_SLOW") != NULL ? 100 : 10) * (gint64) G_USEC_PER_SEC;
  while (count_workers_ignoring_sigint (pid) < 2 && g_get_monotonic_time () < deadline)
    g_usleep (5000);
  g_assert_cmpuint (count_workers_ignoring_sigint (pid), ==, 2);

  g_assert_cmpint (kill (-pid, SIGINT), ==, 0);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 130);
}

/* `compute speedup --json`: one configuration per thread count and the
 * processes, medians inside their ranges, one thread the baseline (1.00),
 * and an efficiency above 100 % always carries its verdict. */
static void
test_speedup_json (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj;
  JsonArray *configs;
  guint n_cores = g_get_num_processors ();

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("compute", "speedup", "--json",
                                                 "--workload", "sum-squares", "--n", "1000",
                                                 "--rounds", "3", "--min-seconds", "0.05"),
                                    &out, &err), ==, 0);
  obj = ad_cli_test_parse_object (parser, out);
  g_assert_cmpstr (json_object_get_string_member (obj, "workload"), ==, "sum-squares");
  g_assert_cmpint (json_object_get_int_member (obj, "rounds"), ==, 3);
  /* 1000 is far too little work: scaled, and said so. */
  g_assert_cmpint (json_object_get_int_member (obj, "n"), >, 1000);
  g_assert_cmpfloat (json_object_get_double_member (obj, "scale"), >, 1);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (obj, "note"),
                                   "Workload scaled to n = "));

  configs = json_object_get_array_member (obj, "configurations");
  g_assert_cmpuint (json_array_get_length (configs), ==, n_cores + 1);
  for (guint i = 0; i < json_array_get_length (configs); i++)
    {
      JsonObject *c = json_array_get_object_element (configs, i);
      gint64 median = json_object_get_int_member (c, "median_us");
      double speedup = json_object_get_double_member (c, "speedup");
      double efficiency = json_object_get_double_member (c, "efficiency");
      gint64 workers = json_object_get_int_member (c, "workers");
      const char *verdict = json_object_get_string_member (c, "verdict");
      const char *text = json_object_get_string_member (c, "efficiency_text");

      g_assert_cmpstr (json_object_get_string_member (c, "backend"), ==,
                       i < n_cores ? "threads" : "processes");
      g_assert_cmpint (workers, ==, MIN (i + 1, n_cores));
      g_assert_cmpint (json_object_get_int_member (c, "samples"), ==, 3);
      g_assert_cmpint (json_object_get_int_member (c, "min_us"), <=, median);
      g_assert_cmpint (median, <=, json_object_get_int_member (c, "max_us"));
      g_assert_cmpfloat (json_object_get_double_member (c, "speedup_low"), <=, speedup);
      g_assert_cmpfloat (speedup, <=, json_object_get_double_member (c, "speedup_high"));
      g_assert_cmpfloat_with_epsilon (efficiency, speedup / workers, 1e-9);
      if (i == 0)
        {
          g_assert_cmpfloat (speedup, ==, 1.0);
          g_assert_cmpstr (text, ==, "100 %");
        }
      if (efficiency > 1)
        g_assert_cmpstr (verdict, !=, "ok");
      if (g_ascii_strtod (text, NULL) > 100)
        g_assert_true (strstr (text, "(super-linear)") != NULL);
      if (g_str_equal (verdict, "within-noise"))
        g_assert_cmpstr (text, ==, "≈100 % (within noise)");
    }
}

/* `compute speedup`: the page's table as text, every efficiency cell
 * at most 100 % or marked. */
static void
test_speedup_text (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_cores = g_get_num_processors ();
  guint header = 0, n_rows = 0;

  g_assert_cmpint (ad_cli_test_run (AD_CLI_ARGS ("compute", "speedup", "--workload", "primes",
                                                 "--n", "100000", "--min-seconds", "0.05"),
                                    &out, &err), ==, 0);
  g_test_message ("%s", out);
  lines = g_strsplit (out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "Workload scaled to n = "));
  g_assert_nonnull (strstr (lines[0], "Medians of 3 rounds"));
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Configuration"))
      header = i;
  g_assert_cmpuint (header, >, 0);
  g_assert_nonnull (strstr (lines[header], "Time (median)"));
  g_assert_nonnull (strstr (lines[header], "Range"));
  g_assert_nonnull (strstr (lines[header], "Speed-up"));
  g_assert_nonnull (strstr (lines[header], "Efficiency"));
  g_assert_nonnull (lines[header + 1]);
  g_assert_true (g_str_has_prefix (lines[header + 1], "1 thread "));
  g_assert_nonnull (strstr (lines[header + 1], "1.00×"));

  for (guint i = header + 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      const char *pct = strstr (lines[i], " %");
      const char *start = pct;

      n_rows++;
      g_assert_nonnull (pct);
      while (start > lines[i] && (g_ascii_isdigit (start[-1]) || start[-1] == '.'))
        start--;
      if (g_ascii_strtod (start, NULL) > 100)
        g_assert_nonnull (strstr (lines[i], "(super-linear)"));
      if (start > lines[i] && g_str_has_suffix (lines[i], "(within noise)"))
        g_assert_nonnull (strstr (lines[i], "≈100 %"));
    }
  g_assert_cmpuint (n_rows, ==, n_cores + 1);
  {
    g_autofree char *last = g_strdup_printf (n_cores == 1 ? "%u process " : "%u processes ",
                                             n_cores);

    g_assert_true (g_str_has_prefix (lines[header + n_rows], last));
  }
}

static void
test_speedup_bad_arguments (void)
{
  static const char * const cases[][6] = {
    { "compute", "speedup", "--rounds", "2", NULL },
    { "compute", "speedup", "--min-seconds", "-1", NULL },
    { "compute", "speedup", "--workload", "fibonacci", NULL },
    { "compute", "speedup", "extra", NULL },
    { "compute", "speedup", "--width", "0", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      g_assert_cmpint (ad_cli_test_run (cases[i], &out, &err), ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, !=, "");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/compute/sum-squares", test_sum_squares);
  g_test_add_func ("/cli/compute/sum-squares-json", test_sum_squares_json);
  g_test_add_func ("/cli/compute/primes", test_primes);
  g_test_add_func ("/cli/compute/mandelbrot", test_mandelbrot);
  g_test_add_func ("/cli/compute/processes-debug-messages", test_processes_debug_messages);
  g_test_add_func ("/cli/compute/bad-arguments", test_bad_arguments);
  g_test_add_func ("/cli/compute/speedup-json", test_speedup_json);
  g_test_add_func ("/cli/compute/speedup-text", test_speedup_text);
  g_test_add_func ("/cli/compute/speedup-bad-arguments", test_speedup_bad_arguments);
  g_test_add_func ("/cli/compute/sigint-cancels", test_sigint_cancels);
  g_test_add_func ("/cli/compute/sigint-group-processes", test_sigint_group_processes);
  g_test_add_func ("/cli/compute/worker-mode", test_worker_mode);
  g_test_add_func ("/cli/compute/worker-mode-errors", test_worker_mode_errors);
  g_test_add_func ("/cli/compute/worker-mode-arguments", test_worker_mode_arguments);

  return g_test_run ();
}
