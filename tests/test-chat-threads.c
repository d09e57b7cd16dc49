/* test-chat-threads.c: every test of test-chat.c with two sender threads
 *
 * The same clients and assertions against a server whose output is
 * written by its shards (ad-chat-shard.c): order, limits, goodbyes and
 * teardown must not depend on which thread writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define CHAT_TEST_THREADS 2
/* The same file again, compiled with threads on: deliberate. */
#include "test-chat.c" // NOLINT(bugprone-suspicious-include)
