/* sweep_impl.h — private to the sweep module:
 *   sweep.c         ms_sweep_load: the file, line by line, through libcsv
 *   sweep_read.c    blocks of the file, fingerprinted on a helper thread
 *   sweep_rows.c    the libcsv callbacks: header cells, data cells, rows
 *   sweep_header.c  what each column means
 *   sweep_num.c     decimal numbers
 * Tests and benchmarks may include it to check the pieces directly. */
#ifndef MIXSCOPE_SWEEP_IMPL_H
#define MIXSCOPE_SWEEP_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mixscope/diag.h"
#include "mixscope/sweep.h"

/* ---- numbers (sweep_num.c) ---- */

typedef enum {
    MS_NUM_OK,
    MS_NUM_EMPTY,     /* nothing but spaces and tabs */
    MS_NUM_BAD,       /* not a decimal number (hex floats included) */
    MS_NUM_NONFINITE  /* nan, inf, or too large for a double */
} ms_num_status;

/* Parses the decimal number in s[0..len), allowing spaces and tabs around
 * it: [+-] digits [. digits] [(e|E) [+-] digits], with at least one digit
 * before the exponent (".5" and "5." are fine). s[len] must be readable and
 * must not continue the text as a number (a NUL or a comma is right): rare
 * inputs go to strtod, which reads to its own end. The result is correctly
 * rounded (bit for bit what strtod gives in the "C" locale) and stored in
 * *out only on MS_NUM_OK. Values too small for a double become a subnormal
 * or 0 and are accepted. Call it under a "C" LC_NUMERIC (uselocale), since
 * strtod follows the locale. */
ms_num_status ms_sweep_parse_number(const char *s, size_t len, double *out);

/* ---- header (sweep_header.c) ---- */

enum { MS_COL_IGNORE, MS_COL_WEIGHT, MS_COL_LOSS, MS_COL_SIZE, MS_COL_TOKENS };

/* What each column of the header means. */
typedef struct {
    size_t m;            /* columns in the header */
    unsigned char *kind; /* m, MS_COL_* */
    size_t *dom;         /* m, domain index of WEIGHT and LOSS columns */
    size_t K, n_eval;    /* as in ms_sweep */
    char **domains;      /* K + n_eval names, each malloc'd */
    size_t first_weight; /* 0-based column of the first weight column */
} ms_sweep_layout;

/* Fills *r with *o (or the defaults if o is NULL), NULL strings replaced by
 * their defaults, and checks the patterns: each must contain "{}" exactly
 * once. Returns MS_OK or MS_EINPUT with a diagnostic without location. */
ms_status ms_sweep_opts_resolve(const ms_sweep_opts *o, ms_sweep_opts *r,
                                ms_diag *d);

/* Classifies the header row: names[0..m) are the cells as read (trimmed of
 * spaces and tabs, "" for empty cells), o is resolved. Applies renames,
 * then checks names and patterns (DESIGN.md §3). `line` is the header's
 * line for diagnostics. On success *lay owns its arrays (free with
 * ms_sweep_layout_done); on failure returns MS_EINPUT or MS_ENOMEM with a
 * diagnostic and *lay holds nothing. */
ms_status ms_sweep_layout_build(ms_sweep_layout *lay, const char *const *names,
                                size_t m, const ms_sweep_opts *o,
                                const char *path, long line, ms_diag *d);

/* Frees what ms_sweep_layout_build allocated; zeroes *lay. Safe on a
 * zeroed layout. */
void ms_sweep_layout_done(ms_sweep_layout *lay);

/* 1 if s[0..len) is valid UTF-8 (no overlongs, surrogates or code points
 * above U+10FFFF). */
int ms_sweep_utf8_valid(const char *s, size_t len);

/* ---- reading (sweep_read.c) ---- */

/* Bytes read at a time. The fuzz build (make fuzz) makes blocks tiny so
 * that small inputs cross block boundaries (a CR LF, a line, a NUL split
 * between two blocks). */
#ifndef MS_SWEEP_BLOCK_BYTES
#define MS_SWEEP_BLOCK_BYTES (1 << 20)
#endif
enum { MS_SWEEP_BLOCK = MS_SWEEP_BLOCK_BYTES };

/* Hands out a file's bytes in big blocks and computes their FNV-1a 64
 * fingerprint on a helper thread (inline if no thread can be started). */
typedef struct ms_sweep_reader ms_sweep_reader;

/* A reader of the open file fp (borrowed), or NULL if out of memory. */
ms_sweep_reader *ms_sweep_reader_new(FILE *fp);

/* The next block and its length (*len), or NULL at end of file or on a
 * read error. The block stays valid until the next call; it is followed by
 * a NUL byte. */
const unsigned char *ms_sweep_reader_next(ms_sweep_reader *r, size_t *len);

/* After next() returned NULL: 0 and the fingerprint of every byte read,
 * or the errno of a read error. */
int ms_sweep_reader_finish(ms_sweep_reader *r, uint64_t *fingerprint);

/* Stops the helper thread and frees; NULL is a no-op. */
void ms_sweep_reader_free(ms_sweep_reader *r);

/* ---- rows (sweep_rows.c) ---- */

/* The state of one load, shared by the libcsv callbacks. Zero it, then set
 * path, o (resolved), d and line = 1. */
typedef struct {
    const char *path;
    const ms_sweep_opts *o;
    ms_diag *d;
    ms_status st;      /* first error; once set, everything stops */
    long line;         /* physical line being fed to libcsv (the caller's) */
    /* header cells until the header row ends, packed in hbuf */
    int have_header;
    long hdr_line, hdr_end; /* lines where the header row starts, ends */
    char *hbuf;
    size_t hlen, hcap;
    size_t *hoff, hn, hoffcap;
    const char **orig; /* m names as in the file, for cell messages */
    ms_sweep_layout lay;
    size_t KE;         /* K + n_eval */
    /* the row being read */
    size_t fi;         /* fields seen so far */
    ms_status row_st;  /* a bad cell of this row, message already in d */
    long wline;        /* line of the row's first weight cell */
    long extra_line;   /* line of its first cell beyond the header's m */
    /* the result so far: n rows, room for cap */
    size_t n, cap;
    double *h, *size, *tokens, *loss;
    long *lines;
    size_t n_missing, *missing, n_renorm;
} ms_sweep_loader;

/* libcsv callbacks (cb1, cb2); `loader` is an ms_sweep_loader. */
void ms_sweep_on_field(void *field, size_t len, void *loader);
void ms_sweep_on_row(int c, void *loader);

/* Line breaks in s[0..n) (s may be NULL if n is 0): CR LF, a lone CR and
 * a lone LF count one each, as in the line numbers of diagnostics. */
long ms_sweep_line_breaks(const char *s, size_t n);

/* Sets L->st and the diagnostic unless an error is already recorded. */
void ms_sweep_fail(ms_sweep_loader *L, ms_status st, long line, long col,
                   const char *msg);

/* Frees whatever the loader still owns. */
void ms_sweep_loader_done(ms_sweep_loader *L);

#endif
