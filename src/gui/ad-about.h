/* ad-about.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Reads the newest release from AppStream metainfo @xml: its version
 * into @version and its description's inner markup (<p>, <ul>, <li>, …,
 * as AdwAboutWindow:release-notes takes it) as the return value. NULL
 * with @error set when the XML is malformed or has no release. */
char      *ad_about_parse_release_notes (const char  *xml,
                                         char       **version,
                                         GError     **error);

/* The About window, with the release notes of the metainfo in the
 * GResource, transient for @parent. */
GtkWindow *ad_about_window_new          (GtkWindow   *parent);

G_END_DECLS
