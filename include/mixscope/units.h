/* units.h — sizes as people type them, and the laws' units.
 *
 * The laws take N in millions of parameters and D in billions of tokens
 * (DESIGN.md §1: fitted H is in the units of N). Sweeps and the command line
 * use raw counts. These are the only conversions in the program. */
#ifndef MIXSCOPE_UNITS_H
#define MIXSCOPE_UNITS_H

#include <stddef.h>

#include "mixscope/diag.h"

#define MS_N_UNIT 1e6 /* law N = parameters / 1e6 */
#define MS_D_UNIT 1e9 /* law D = tokens / 1e9 */

static inline double ms_units_N(double params) { return params / MS_N_UNIT; }
static inline double ms_units_D(double tokens) { return tokens / MS_D_UNIT; }

/* Parses a positive count: a plain number ("1.3e9", "122000000") or a number
 * with a suffix K (1e3), M (1e6), B or G (1e9), T (1e12), case-insensitive
 * ("1.3B", "200M", "7t"). Surrounding spaces are allowed. On success stores
 * the raw count in *out and returns MS_OK; otherwise MS_EINPUT with a message
 * naming `what` (e.g. "--N") and the offending text. Zero, negative and
 * non-finite values are rejected. */
ms_status ms_size_parse(const char *text, const char *what, double *out,
                        ms_diag *d);

/* Formats a raw count compactly ("1.3B", "122M", "30B", "2.5K", "950") into
 * buf with up to 5 significant digits; returns buf. */
char *ms_size_format(double count, char *buf, size_t len);

/* The same with `digits` significant digits (1..17). */
char *ms_size_format_digits(double count, int digits, char *buf, size_t len);

#endif
