/* ad-cli.h: headless subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int   ad_cli_run               (int    argc,
                                char **argv);
char *ad_cli_describe_commands (void);

G_END_DECLS
