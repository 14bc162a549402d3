/* sweep.c — ms_sweep_load: streams the file (sweep_read.c) into libcsv one
 * physical line at a time, so that every cell is delivered while the line
 * it ends on is known; sweep_rows.c checks and stores the cells,
 * sweep_header.c says what each column means, sweep_num.c reads numbers.
 *
 * libcsv options: STRICT (a stray quote is an error), STRICT_FINI (so is an
 * unterminated quote at the end), APPEND_NULL (cells end in a NUL, which the
 * number parser's strtod fallback needs), EMPTY_IS_NULL (unquoted empty
 * cells come as NULL). libcsv itself trims spaces and tabs around unquoted
 * cells, skips blank lines and treats CR, LF and CRLF alike. */
#include "mixscope/sweep.h"

#include "core/sweep_impl.h"

#include <assert.h>
#include <csv.h>
#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef ms_sweep_loader loader;

enum { FEED_PIECE = 1 << 16 }; /* bytes of one line given to libcsv at a time */

/* Feeds one line (or the part of it in this block) to libcsv. */
static void feed(loader *L, struct csv_parser *p, const unsigned char *s,
                 size_t n)
{
    size_t done = csv_parse(p, s, n, ms_sweep_on_field, ms_sweep_on_row, L);
    if (done < n && !L->st) {
        if (csv_error(p) == CSV_EPARSE)
            ms_sweep_fail(L, MS_EINPUT, L->line, 0, "malformed CSV (unbalanced quote)");
        else
            ms_sweep_fail(L, MS_ENOMEM, 0, 0, "out of memory");
    }
    /* libcsv grows a cell's buffer by a fixed step: make it geometric so a
     * long cell (an unbalanced quote swallowing the file) costs linear
     * time. */
    if (p->entry_size > p->blk_size)
        csv_set_blk_size(p, p->entry_size);
}

/* Where the reading is, across blocks. */
typedef struct {
    long long off;        /* file offset of the current block */
    long long line_start; /* file offset where the current line starts */
    int skip_lf;          /* the last block ended in CR: an LF next is its pair */
} cursor;

static const unsigned char *find(const unsigned char *s, int c,
                                 const unsigned char *e)
{
    const unsigned char *x = memchr(s, c, (size_t)(e - s));
    return x ? x : e;
}

/* Feeds one block to libcsv, one physical line at a time: lines end in LF,
 * CR LF or a lone CR (old Mac files), as libcsv's rows do. Stops at a NUL
 * byte. The next CR and LF are searched once each, not once per line. */
static void feed_block(loader *L, struct csv_parser *p, const unsigned char *buf,
                       size_t len, cursor *c)
{
    const unsigned char *s = buf, *e = buf + len, *nul = find(buf, 0, e);
    if (c->off == 0 && len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        s += 3; /* a UTF-8 byte order mark */
    if (c->skip_lf && s < e) {
        c->skip_lf = 0;
        if (*s == '\n') { /* the LF of a CR LF split by the block boundary */
            feed(L, p, s++, 1);
            c->line_start = c->off + 1;
        }
    }
    const unsigned char *nl = find(s, '\n', e), *cr = find(s, '\r', e);
    while (s < e && !L->st) {
        if (nl < s)
            nl = find(s, '\n', e);
        if (cr < s)
            cr = find(s, '\r', e);
        const unsigned char *brk = nl < cr ? nl : cr, *end = brk < e ? brk + 1 : e;
        if (brk == cr && end < e && *end == '\n')
            end++;
        if (nul < end) {
            long col = (long)(c->off + (nul - buf) - c->line_start) + 1;
            ms_sweep_fail(L, MS_EINPUT, L->line, col, "not a text file (NUL byte)");
            return;
        }
        /* A long line goes in pieces: feed() widens libcsv's step after
         * each, so a 1 MB cell grows its buffer geometrically, not in
         * 8192 fixed steps (quadratic where realloc copies). */
        for (const unsigned char *q = s; q < end && !L->st;) {
            size_t n = (size_t)(end - q) < FEED_PIECE ? (size_t)(end - q) : FEED_PIECE;
            feed(L, p, q, n);
            q += n;
        }
        if (brk < e) {
            L->line++;
            c->line_start = c->off + (end - buf);
            c->skip_lf = brk == cr && end == e;
        }
        s = end;
    }
}

/* Reads the whole file through libcsv; sets *fingerprint. */
static void read_all(loader *L, FILE *fp, struct csv_parser *p,
                     uint64_t *fingerprint)
{
    ms_sweep_reader *r = ms_sweep_reader_new(fp);
    if (!r) {
        ms_sweep_fail(L, MS_ENOMEM, 0, 0, "out of memory");
        return;
    }
    cursor c = {0, 0, 0};
    const unsigned char *buf;
    size_t len;
    while (!L->st && (buf = ms_sweep_reader_next(r, &len))) {
        feed_block(L, p, buf, len, &c);
        c.off += (long long)len;
    }
    if (!L->st) {
        int err = ms_sweep_reader_finish(r, fingerprint);
        if (err)
            L->st = ms_diag_set(L->d, MS_EIO, L->path, 0, 0, "read error: %s",
                                strerror(err));
    }
    ms_sweep_reader_free(r);
}

static void finish_parse(loader *L, struct csv_parser *p)
{
    if (L->st)
        return;
    if (csv_fini(p, ms_sweep_on_field, ms_sweep_on_row, L) != 0 && !L->st) {
        /* An unterminated quoted cell runs to the end of the file: point at
         * the line where it began. */
        long nl = ms_sweep_line_breaks((const char *)p->entry_buf, p->entry_pos);
        ms_sweep_fail(L, MS_EINPUT, L->line - nl, 0, "malformed CSV (unbalanced quote)");
    }
    if (L->st)
        return;
    if (!L->have_header && L->hn == 0)
        ms_sweep_fail(L, MS_EINPUT, 1, 1, "empty file, expected a header row");
    else if (L->n == 0)
        ms_sweep_fail(L, MS_EINPUT, L->hdr_end + 1, 1, "no data rows after the header");
}

static void *shrink(void *p, size_t size)
{
    void *q = realloc(p, size);
    return q ? q : p;
}

/* Moves the loader's arrays into a new sweep, or returns NULL. */
static ms_sweep *make_sweep(loader *L, uint64_t fingerprint)
{
    ms_sweep *s = calloc(1, sizeof *s);
    char *path = malloc(strlen(L->path) + 1);
    if (!s || !path) {
        free(s);
        free(path);
        return NULL;
    }
    size_t n = L->n;
    *s = (ms_sweep){
        .path = strcpy(path, L->path),
        .K = L->lay.K,
        .n_eval = L->lay.n_eval,
        .domains = L->lay.domains,
        .n = n,
        .h = shrink(L->h, n * L->lay.K * sizeof *L->h),
        .model_size = shrink(L->size, n * sizeof *L->size),
        .n_tokens = shrink(L->tokens, n * sizeof *L->tokens),
        .loss = shrink(L->loss, n * L->KE * sizeof *L->loss),
        .line = shrink(L->lines, n * sizeof *L->lines),
        .n_missing = L->n_missing,
        .missing_by_domain = L->missing,
        .n_renormalized = L->n_renorm,
        .fingerprint = fingerprint,
    };
    L->lay.domains = NULL;
    L->lay.K = L->lay.n_eval = 0;
    L->h = L->size = L->tokens = L->loss = NULL;
    L->lines = NULL;
    L->missing = NULL;
    return s;
}

static ms_status load(loader *L, FILE *fp, ms_sweep **out)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
                         CSV_EMPTY_IS_NULL) != 0)
        return ms_diag_set(L->d, MS_ENOMEM, L->path, 0, 0, "out of memory");
    uint64_t fingerprint = 0;
    read_all(L, fp, &p, &fingerprint);
    finish_parse(L, &p);
    csv_free(&p);
    if (L->st)
        return L->st;
    if (!(*out = make_sweep(L, fingerprint)))
        return ms_diag_set(L->d, MS_ENOMEM, L->path, 0, 0, "out of memory");
    return MS_OK;
}

ms_status ms_sweep_load(const char *path, const ms_sweep_opts *opts,
                        ms_sweep **out, ms_diag *d)
{
    assert(path && out);
    *out = NULL;
    ms_sweep_opts o;
    ms_status st = ms_sweep_opts_resolve(opts, &o, d);
    if (st)
        return st;
    FILE *fp = fopen(path, "rb");
    if (!fp && errno == ENOMEM)
        return ms_diag_set(d, MS_ENOMEM, path, 0, 0, "out of memory");
    if (!fp)
        return ms_diag_set(d, MS_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    /* The rare numbers the fast parser leaves to strtod follow LC_NUMERIC:
     * after setlocale(LC_ALL, "") in a "de_DE" locale, "0.5" must still be
     * a half. uselocale only affects this thread. */
    locale_t c_num = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!c_num) {
        fclose(fp);
        return ms_diag_set(d, MS_ENOMEM, path, 0, 0, "out of memory");
    }
    locale_t prev = uselocale(c_num);
    loader L = {.path = path, .o = &o, .d = d, .line = 1};
    st = load(&L, fp, out);
    uselocale(prev);
    freelocale(c_num);
    ms_sweep_loader_done(&L);
    fclose(fp);
    return st;
}

void ms_sweep_free(ms_sweep *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->domains && i < s->K + s->n_eval; i++)
        free(s->domains[i]);
    free(s->domains);
    free(s->path);
    free(s->h);
    free(s->model_size);
    free(s->n_tokens);
    free(s->loss);
    free(s->line);
    free(s->missing_by_domain);
    free(s);
}

long ms_sweep_domain_index(const ms_sweep *s, const char *name)
{
    for (size_t i = 0; i < s->K + s->n_eval; i++)
        if (strcmp(s->domains[i], name) == 0)
            return (long)i;
    return -1;
}
