/* fuzz-compute-request.c: the compute worker's request parser
 *
 * A worker process parses every line its parent sends; the parent parses
 * the worker's decimal answers. Any input must be rejected cleanly or
 * accepted as a request that formats back to a line that parses to the
 * same request (so a parent and a worker can never disagree on a chunk).
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
  g_autofree char *line = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  AdComputeParams params, again;
  AdComputeChunk chunk, chunk_again;
  AdUInt128 value;

  /* The parent's side: a decimal answer of up to 128 bits. */
  if (ad_uint128_from_string (line, &value))
    {
      g_autofree char *digits = ad_uint128_to_string (value);
      AdUInt128 back = 0;

      g_assert (ad_uint128_from_string (digits, &back) && back == value);
    }

  if (!ad_compute_worker_parse_request (line, &params, &chunk, &error))
    {
      g_assert (error != NULL && error->domain == AD_COMPUTE_ERROR);
      return 0;
    }

  /* Accepted: it must survive a round trip exactly. */
  {
    g_autofree char *formatted = ad_compute_worker_format_request (&params, &chunk);

    g_assert (g_str_has_suffix (formatted, "\n"));
    formatted[strlen (formatted) - 1] = '\0';
    g_assert (ad_compute_worker_parse_request (formatted, &again, &chunk_again, NULL));
    g_assert (again.workload == params.workload);
    g_assert (chunk_again.lo == chunk.lo && chunk_again.hi == chunk.hi);
    g_assert (chunk_again.x == chunk.x && chunk_again.y == chunk.y);
    g_assert (chunk_again.width == chunk.width && chunk_again.height == chunk.height);
    g_assert (again.width == params.width && again.height == params.height);
    g_assert (again.max_iter == params.max_iter);
    g_assert (memcmp (&again.center_x, &params.center_x, sizeof (double)) == 0);
    g_assert (memcmp (&again.center_y, &params.center_y, sizeof (double)) == 0);
    g_assert (memcmp (&again.scale, &params.scale, sizeof (double)) == 0);
  }

  return 0;
}
