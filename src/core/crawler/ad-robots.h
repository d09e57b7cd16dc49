/* ad-robots.h: robots.txt rules (RFC 9309), parsed from bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define AD_TYPE_ROBOTS (ad_robots_get_type ())

/* The most of a robots.txt file that is read (RFC 9309 asks for 500 KiB). */
#define AD_ROBOTS_MAX_SIZE ((gsize) 500 * 1024)

typedef struct _AdRobots AdRobots;

GType     ad_robots_get_type         (void) G_GNUC_CONST;

AdRobots *ad_robots_parse            (const char *data,
                                      gsize       length,
                                      const char *user_agent);
AdRobots *ad_robots_new_allow_all    (void);
AdRobots *ad_robots_new_disallow_all (void);
AdRobots *ad_robots_ref              (AdRobots   *robots);
void      ad_robots_unref            (AdRobots   *robots);

gboolean  ad_robots_is_allowed       (AdRobots   *robots,
                                      const char *path);
double    ad_robots_get_crawl_delay  (AdRobots   *robots);
guint     ad_robots_get_n_rules      (AdRobots   *robots);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdRobots, ad_robots_unref)

G_END_DECLS
