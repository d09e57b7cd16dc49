/* fuzz-robots.c: robots.txt from a stranger's server
 *
 * The input's first line is a path to ask about, the rest the file. The
 * parser and the matcher must never crash, leak or take long, whatever
 * the bytes (patterns full of '*' included).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ad-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const guint8 *newline = memchr (data, '\n', size);
  gsize path_len = newline ? (gsize) (newline - data) : 0;
  g_autofree char *path = g_strndup ((const char *) data, path_len);
  g_autoptr(AdRobots) robots = NULL;

  robots = ad_robots_parse ((const char *) data + path_len, size - path_len, "async-demo/1.0");
  ad_robots_is_allowed (robots, "/");
  ad_robots_is_allowed (robots, path);
  ad_robots_get_crawl_delay (robots);

  return 0;
}
