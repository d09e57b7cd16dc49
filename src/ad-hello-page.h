/* ad-hello-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ad-core.h"

G_BEGIN_DECLS

#define AD_TYPE_HELLO_PAGE (ad_hello_page_get_type ())
G_DECLARE_FINAL_TYPE (AdHelloPage, ad_hello_page, AD, HELLO_PAGE, GtkWidget)

AdLogModel *ad_hello_page_get_log     (AdHelloPage *self);
gboolean    ad_hello_page_get_running (AdHelloPage *self);

G_END_DECLS
