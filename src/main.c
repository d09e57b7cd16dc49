/* main.c: the async-demo binary
 *
 * `async-demo` opens the window; `async-demo COMMAND …` runs one of the
 * headless commands (see ad-cli.c), which never initialise GTK and so need
 * no display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ad-application.h"
#include "ad-cli.h"
#include "ad-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdApplication) app = NULL;
  g_autofree char *commands = NULL;

  setlocale (LC_ALL, "");
  ad_core_init ();
  textdomain (GETTEXT_PACKAGE);

  if (argc > 1 && argv[1][0] != '-')
    return ad_cli_run (argc - 1, argv + 1);

  /* Before GTK, while the process has one thread: it may set GDK_DEBUG. */
  ad_application_prepare_environment ();
  g_set_application_name (_("Async Demo"));
  app = ad_application_new ();
  /* `async-demo --help` lists the commands: the GUI library does not know
   * them (it does not link the CLI), the binary that holds both does. */
  commands = ad_cli_describe_commands ();
  g_application_set_option_context_description (G_APPLICATION (app), commands);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
