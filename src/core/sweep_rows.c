/* sweep_rows.c — what happens to each cell libcsv delivers: header cells
 * are collected until the header row ends, then every data cell is parsed
 * and checked at once, straight into the growing arrays of the result.
 *
 * Error order: the first error in file order wins, except that within one
 * row a wrong number of fields beats a bad cell (a missing comma shifts
 * every later cell, and "expected 18 fields" is then the useful message).
 * Any error ends the load, so rows never need undoing. */
#include "core/sweep_impl.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TEXT_MAX = 40 };

typedef ms_sweep_loader loader;

void ms_sweep_loader_done(ms_sweep_loader *L)
{
    free(L->hbuf);
    free(L->hoff);
    free(L->orig);
    ms_sweep_layout_done(&L->lay);
    free(L->h);
    free(L->size);
    free(L->tokens);
    free(L->loss);
    free(L->lines);
    free(L->missing);
}

void ms_sweep_fail(ms_sweep_loader *L, ms_status st, long line, long col,
                   const char *msg)
{
    if (!L->st)
        L->st = ms_diag_set(L->d, st, L->path, line, col, "%s", msg);
}

static void fail_oom(loader *L)
{
    if (!L->st)
        L->st = ms_diag_set(L->d, MS_ENOMEM, L->path, 0, 0, "out of memory");
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 1;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return 0;
    *p = q;
    *cap = c;
    return 1;
}

/* ---- header ---- */

static void header_cell(loader *L, const char *f, size_t len)
{
    while (len && (*f == ' ' || *f == '\t'))
        f++, len--;
    while (len && (f[len - 1] == ' ' || f[len - 1] == '\t'))
        len--;
    if (!grow((void **)&L->hbuf, &L->hcap, L->hlen + len + 1, 1) ||
        !grow((void **)&L->hoff, &L->hoffcap, L->hn + 1, sizeof *L->hoff)) {
        fail_oom(L);
        return;
    }
    if (len)
        memcpy(L->hbuf + L->hlen, f, len);
    L->hbuf[L->hlen + len] = 0;
    L->hoff[L->hn++] = L->hlen;
    L->hlen += len + 1;
}

static void header_end(loader *L)
{
    L->hdr_end = L->line;
    L->orig = malloc(L->hn * sizeof *L->orig);
    if (!L->orig) {
        fail_oom(L);
        return;
    }
    for (size_t j = 0; j < L->hn; j++)
        L->orig[j] = L->hbuf + L->hoff[j];
    ms_status st = ms_sweep_layout_build(&L->lay, L->orig, L->hn, L->o,
                                         L->path, L->hdr_line, L->d);
    if (st) {
        L->st = st;
        return;
    }
    L->KE = L->lay.K + L->lay.n_eval;
    L->missing = calloc(L->KE, sizeof *L->missing);
    if (!L->missing) {
        fail_oom(L);
        return;
    }
    L->have_header = 1;
}

/* ---- cells ---- */

/* The cell text for a message: at most TEXT_MAX bytes (never half a UTF-8
 * character) then "...", control bytes and invalid UTF-8 as \xHH so the
 * message is one printable line. */
static void quote_text(char *out, size_t cap, const char *s, size_t len)
{
    size_t keep = len, o = 0;
    if (len > TEXT_MAX) {
        keep = TEXT_MAX;
        while (keep > TEXT_MAX - 3 && ((unsigned char)s[keep] & 0xC0) == 0x80)
            keep--;
    }
    for (size_t i = 0; i < keep && o + 8 < cap;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (c >= 0x20 && c != 0x7F &&
            (c < 0x80 || (i + n <= keep && ms_sweep_utf8_valid(s + i, n)))) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        } else {
            o += (size_t)snprintf(out + o, cap - o, "\\x%02X", c);
            i++;
        }
    }
    snprintf(out + o, cap - o, "%s", keep < len ? "..." : "");
}

static void cell_error(loader *L, size_t j, const char *what, const char *f,
                       size_t len)
{
    char text[TEXT_MAX * 4 + 16];
    quote_text(text, sizeof text, f ? f : "", f ? len : 0);
    L->row_st = ms_diag_set(L->d, MS_EINPUT, L->path, L->line, (long)j + 1,
                            "%s: expected %s, got \"%s\"", L->orig[j], what, text);
}

/* Parses cell j of the current row into *v. Returns 1 if a value was
 * stored, 0 if the cell is empty (and that is allowed), -1 on error. */
static int cell_number(loader *L, size_t j, const char *f, size_t len,
                       int empty_ok, double *v)
{
    ms_num_status ns = f ? ms_sweep_parse_number(f, len, v) : MS_NUM_EMPTY;
    if (ns == MS_NUM_OK)
        return 1;
    if (ns == MS_NUM_EMPTY && empty_ok)
        return 0;
    if (ns == MS_NUM_EMPTY)
        L->row_st = ms_diag_set(L->d, MS_EINPUT, L->path, L->line, (long)j + 1,
                                "%s: value missing (only loss cells may be empty)",
                                L->orig[j]);
    else
        cell_error(L, j, ns == MS_NUM_BAD ? "a number" : "a finite number", f,
                   len);
    return -1;
}

static int reserve_rows(loader *L, size_t need)
{
    if (need <= L->cap)
        return 1;
    size_t c = L->cap ? 2 * L->cap : 1024;
    struct {
        void **p;
        size_t width;
    } a[] = {{(void **)&L->size, sizeof *L->size},
             {(void **)&L->tokens, sizeof *L->tokens},
             {(void **)&L->lines, sizeof *L->lines},
             {(void **)&L->h, L->lay.K * sizeof *L->h},
             {(void **)&L->loss, L->KE * sizeof *L->loss}};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
        /* Each array only ever grows, so a failure half-way leaves every
         * array at least L->cap rows long. */
        if (c > SIZE_MAX / a[i].width)
            return 0;
        void *q = realloc(*a[i].p, c * a[i].width);
        if (!q)
            return 0;
        *a[i].p = q;
    }
    L->cap = c;
    return 1;
}

long ms_sweep_line_breaks(const char *s, size_t n)
{
    long breaks = 0;
    for (size_t i = 0; s && i < n; i++)
        breaks += s[i] == '\r' || (s[i] == '\n' && !(i && s[i - 1] == '\r'));
    return breaks;
}

static int row_begin(loader *L, const char *f, size_t len)
{
    if (!reserve_rows(L, L->n + 1))
        return 0;
    /* A row starts where its first cell does: a quoted first cell may span
     * lines and is delivered on its last. */
    L->lines[L->n] = L->line - ms_sweep_line_breaks(f, len);
    return 1;
}

/* Checks cell j (0-based) of row r and stores it. On a bad cell, sets
 * row_st (the row's end decides between it and a field-count error). */
static void store_cell(loader *L, size_t j, size_t r, const char *f, size_t len)
{
    double v = 0;
    size_t k = L->lay.dom[j];
    int kind = L->lay.kind[j], got;
    if (kind == MS_COL_IGNORE)
        return;
    got = cell_number(L, j, f, len, kind == MS_COL_LOSS, &v);
    if (got < 0)
        return;
    if (kind == MS_COL_SIZE || kind == MS_COL_TOKENS) {
        if (!(v > 0))
            cell_error(L, j, "a positive number", f, len);
        else
            (kind == MS_COL_SIZE ? L->size : L->tokens)[r] = v;
        return;
    }
    if (got && !(v >= 0)) {
        cell_error(L, j, "a number >= 0", f, len);
        return;
    }
    if (kind == MS_COL_WEIGHT) {
        if (j == L->lay.first_weight)
            L->wline = L->line;
        L->h[r * L->lay.K + k] = v;
        return;
    }
    if (!got) {
        v = NAN;
        L->missing[k]++;
        L->n_missing++;
    }
    L->loss[r * L->KE + k] = v;
}

static void data_cell(loader *L, const char *f, size_t len)
{
    size_t j = L->fi++;
    if (j == 0 && !row_begin(L, f, len)) {
        fail_oom(L);
        return;
    }
    if (j >= L->lay.m) {
        if (j == L->lay.m)
            L->extra_line = L->line;
        return;
    }
    if (!L->row_st)
        store_cell(L, j, L->n, f, len);
}

/* ---- rows ---- */

static void check_weights(loader *L)
{
    size_t K = L->lay.K;
    double *h = L->h + L->n * K, sum = 0;
    long col = (long)L->lay.first_weight + 1;
    for (size_t k = 0; k < K; k++)
        sum += h[k];
    if (!L->o->renormalize) {
        if (!(fabs(sum - 1) <= L->o->weight_tol))
            L->st = ms_diag_set(L->d, MS_EINPUT, L->path, L->wline, col,
                                "weights sum to %.6g, expected 1 within %g; "
                                "renormalize to rescale",
                                sum, L->o->weight_tol);
        return;
    }
    if (!(sum > 0 && isfinite(sum))) {
        L->st = ms_diag_set(L->d, MS_EINPUT, L->path, L->wline, col,
                            "weights sum to %.6g, cannot renormalize", sum);
        return;
    }
    if (sum != 1)
        for (size_t k = 0; k < K; k++)
            h[k] /= sum;
    L->n_renorm += fabs(sum - 1) > 1e-12;
}

static void data_row_end(loader *L)
{
    size_t m = L->lay.m, got = L->fi;
    if (got != m) {
        L->st = ms_diag_set(L->d, MS_EINPUT, L->path,
                            got > m ? L->extra_line : L->line,
                            (long)(got > m ? m + 1 : got + 1),
                            "expected %zu fields as in the header, got %zu", m, got);
        return;
    }
    if (L->row_st) {
        L->st = L->row_st; /* its message is already in d */
        return;
    }
    check_weights(L);
    if (!L->st)
        L->n++;
}

/* ---- libcsv callbacks ---- */

void ms_sweep_on_field(void *f, size_t len, void *ctx)
{
    loader *L = ctx;
    if (L->st)
        return;
    if (!L->have_header) {
        if (L->hn == 0) /* as for rows: where the first cell starts */
            L->hdr_line = L->line - ms_sweep_line_breaks(f, len);
        header_cell(L, f ? f : "", f ? len : 0);
    } else {
        data_cell(L, f, len);
    }
}

void ms_sweep_on_row(int c, void *ctx)
{
    loader *L = ctx;
    (void)c;
    if (L->st)
        return;
    if (!L->have_header)
        header_end(L);
    else
        data_row_end(L);
    L->fi = 0;
    L->row_st = MS_OK;
}

