/* sweep_header.c — what each column of a sweep means.
 *
 * Checks run in a fixed order so that one file always gets the same
 * message: UTF-8, renames, duplicates, empty domain names (or names with
 * control characters), domains that differ only in case, weights without a
 * loss, no weights, missing size or tokens column. Name comparisons go
 * through sorted arrays, so a file with a huge one-line "header" (a wrong
 * file) costs O(m log m), not O(m^2). */
#include "core/sweep_impl.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void ms_sweep_opts_init(ms_sweep_opts *o)
{
    o->weight_pattern = "weight_{}";
    o->loss_pattern = "{}_loss";
    o->size_column = "model_size";
    o->tokens_column = "n_tokens";
    o->renames = NULL;
    o->n_renames = 0;
    o->renormalize = 0;
    o->weight_tol = 1e-3;
}

typedef struct {
    const char *pre, *suf;
    size_t npre, nsuf;
} pattern;

static int pattern_split(const char *pat, pattern *p)
{
    const char *b = strstr(pat, "{}");
    if (!b || strstr(b + 2, "{}"))
        return 0;
    p->pre = pat;
    p->npre = (size_t)(b - pat);
    p->suf = b + 2;
    p->nsuf = strlen(p->suf);
    return 1;
}

/* If `name` matches, stores the domain's span (possibly empty) and
 * returns 1. */
static int pattern_match(const pattern *p, const char *name, const char **dom,
                         size_t *dlen)
{
    size_t len = strlen(name);
    if (len < p->npre + p->nsuf || memcmp(name, p->pre, p->npre) != 0 ||
        memcmp(name + len - p->nsuf, p->suf, p->nsuf) != 0)
        return 0;
    *dom = name + p->npre;
    *dlen = len - p->npre - p->nsuf;
    return 1;
}

ms_status ms_sweep_opts_resolve(const ms_sweep_opts *o, ms_sweep_opts *r,
                                ms_diag *d)
{
    ms_sweep_opts def;
    ms_sweep_opts_init(&def);
    *r = o ? *o : def;
    if (!r->weight_pattern)
        r->weight_pattern = def.weight_pattern;
    if (!r->loss_pattern)
        r->loss_pattern = def.loss_pattern;
    if (!r->size_column)
        r->size_column = def.size_column;
    if (!r->tokens_column)
        r->tokens_column = def.tokens_column;
    pattern p;
    if (!pattern_split(r->weight_pattern, &p))
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "weight pattern \"%s\" must contain \"{}\" exactly once",
                           r->weight_pattern);
    if (!pattern_split(r->loss_pattern, &p))
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "loss pattern \"%s\" must contain \"{}\" exactly once",
                           r->loss_pattern);
    return MS_OK;
}

int ms_sweep_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + len;
    while (p < e) {
        unsigned c = *p++;
        size_t n;
        unsigned cp, min;
        if (c < 0x80)
            continue;
        if (c >= 0xC2 && c <= 0xDF)
            n = 1, cp = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3, cp = c & 0x07, min = 0x10000;
        else
            return 0;
        if ((size_t)(e - p) < n)
            return 0;
        for (size_t i = 0; i < n; i++, p++) {
            if ((*p & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (*p & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
    }
    return 1;
}

/* A name or a domain (a span inside a name) and its 0-based column. */
typedef struct {
    const char *s;
    size_t len, col;
} span;

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int span_cmp_exact(const span *a, const span *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    if (c)
        return c;
    return (a->len > b->len) - (a->len < b->len);
}

static int span_cmp_fold(const span *a, const span *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    for (size_t i = 0; i < n; i++) {
        int x = ascii_lower((unsigned char)a->s[i]);
        int y = ascii_lower((unsigned char)b->s[i]);
        if (x != y)
            return x - y;
    }
    return (a->len > b->len) - (a->len < b->len);
}

static int by_col(const span *a, const span *b)
{
    return (a->col > b->col) - (a->col < b->col);
}

static int qcmp_exact(const void *a, const void *b)
{
    int c = span_cmp_exact(a, b);
    return c ? c : by_col(a, b);
}

static int qcmp_fold(const void *a, const void *b)
{
    int c = span_cmp_fold(a, b);
    return c ? c : by_col(a, b);
}

static int bcmp_exact(const void *a, const void *b)
{
    return span_cmp_exact(a, b);
}

/* In a sorted array, the first later member of a group (equal under
 * `same`) that differs from the group's first member under `differ`
 * (differ NULL: every later member counts). Returns the index of the
 * earliest such column overall (the culprit), *first the index of its
 * group's first member; or n. */
static size_t first_clash(const span *v, size_t n,
                          int (*same)(const span *, const span *),
                          int (*differ)(const span *, const span *),
                          size_t *first)
{
    size_t best = n;
    for (size_t g = 0; g < n;) {
        size_t e = g + 1;
        while (e < n && same(&v[g], &v[e]) == 0)
            e++;
        for (size_t i = g + 1; i < e; i++) {
            if (differ && differ(&v[g], &v[i]) == 0)
                continue;
            if (best == n || v[i].col < v[best].col) {
                best = i;
                *first = g;
            }
            break;
        }
        g = e;
    }
    return best;
}

typedef struct {
    const char **name; /* m, after renames */
    span *w, *l;       /* weight and loss domains, in column order */
    size_t nw, nl;
    span *sorted;      /* scratch, max(m, nw + nl) */
} work;

static void work_done(work *k)
{
    free(k->name);
    free(k->w);
    free(k->l);
    free(k->sorted);
}

static ms_status oom(const char *path, ms_diag *d)
{
    return ms_diag_set(d, MS_ENOMEM, path, 0, 0, "out of memory");
}

static ms_status apply_renames(work *k, const char *const *names, size_t m,
                               const ms_sweep_opts *o, const char *path,
                               long line, ms_diag *d)
{
    for (size_t j = 0; j < m; j++)
        k->name[j] = names[j];
    /* Simultaneous: each column is looked up by its name in the file, so
     * "a->b, b->a" swaps and chains do not cascade. */
    for (size_t r = 0; r < o->n_renames; r++) {
        const char *from = o->renames[2 * r], *to = o->renames[2 * r + 1];
        assert(from && to);
        int found = 0;
        for (size_t j = 0; j < m; j++) {
            if (strcmp(names[j], from) != 0)
                continue;
            found = 1;
            if (k->name[j] == names[j])
                k->name[j] = to;
        }
        if (!found)
            return ms_diag_set(d, MS_EINPUT, path, line, 1,
                               "cannot rename \"%s\": no such column", from);
    }
    return MS_OK;
}

static ms_status check_duplicates(work *k, size_t m, const char *path,
                                  long line, ms_diag *d)
{
    size_t n = 0, first = 0;
    for (size_t j = 0; j < m; j++)
        if (k->name[j][0]) /* unnamed columns (e.g. an index) may repeat */
            k->sorted[n++] = (span){k->name[j], strlen(k->name[j]), j};
    qsort(k->sorted, n, sizeof *k->sorted, qcmp_exact);
    size_t i = first_clash(k->sorted, n, span_cmp_exact, NULL, &first);
    if (i == n)
        return MS_OK;
    return ms_diag_set(d, MS_EINPUT, path, line, (long)k->sorted[i].col + 1,
                       "duplicate column \"%s\" (also column %zu)",
                       k->name[k->sorted[i].col], k->sorted[first].col + 1);
}

/* 1 if s[0..n) (valid UTF-8) holds a C0 or C1 control character or DEL. */
static int has_control(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] == 0x7F ||
            (p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F))
            return 1;
    return 0;
}

/* Sets kinds and collects the weight and loss domains. */
static ms_status classify(work *k, ms_sweep_layout *lay, size_t m,
                          const ms_sweep_opts *o, const char *path, long line,
                          ms_diag *d)
{
    pattern pw, pl;
    pattern_split(o->weight_pattern, &pw);
    pattern_split(o->loss_pattern, &pl);
    for (size_t j = 0; j < m; j++) {
        const char *nm = k->name[j], *dom;
        size_t dlen;
        /* Exact names first, then the weight pattern, then the loss
         * pattern: "weight_x_loss" is the weight of domain "x_loss". */
        if (strcmp(nm, o->size_column) == 0) {
            lay->kind[j] = MS_COL_SIZE;
            continue;
        }
        if (strcmp(nm, o->tokens_column) == 0) {
            lay->kind[j] = MS_COL_TOKENS;
            continue;
        }
        int isw = pattern_match(&pw, nm, &dom, &dlen);
        if (!isw && !pattern_match(&pl, nm, &dom, &dlen))
            continue;
        if (dlen == 0)
            return ms_diag_set(d, MS_EINPUT, path, line, (long)j + 1,
                               "column \"%s\" has an empty domain name", nm);
        if (has_control(dom, dlen)) /* names are printed: no terminal escapes */
            return ms_diag_set(d, MS_EINPUT, path, line, (long)j + 1,
                               "column \"%s\" has a control character in its domain name",
                               nm);
        lay->kind[j] = isw ? MS_COL_WEIGHT : MS_COL_LOSS;
        if (isw)
            k->w[k->nw++] = (span){dom, dlen, j};
        else
            k->l[k->nl++] = (span){dom, dlen, j};
    }
    return MS_OK;
}

static ms_status check_case(work *k, const char *path, long line, ms_diag *d)
{
    size_t n = k->nw + k->nl, first = 0;
    memcpy(k->sorted, k->w, k->nw * sizeof *k->w);
    memcpy(k->sorted + k->nw, k->l, k->nl * sizeof *k->l);
    qsort(k->sorted, n, sizeof *k->sorted, qcmp_fold);
    size_t i = first_clash(k->sorted, n, span_cmp_fold, span_cmp_exact, &first);
    if (i == n)
        return MS_OK;
    const span *a = &k->sorted[i], *b = &k->sorted[first];
    return ms_diag_set(d, MS_EINPUT, path, line, (long)a->col + 1,
                       "domain \"%.*s\" differs from \"%.*s\" (column %zu) only in case",
                       (int)a->len, a->s, (int)b->len, b->s, b->col + 1);
}

static char *span_dup(const span *s)
{
    char *p = malloc(s->len + 1);
    if (p) {
        memcpy(p, s->s, s->len);
        p[s->len] = 0;
    }
    return p;
}

/* Weights need a loss; losses without a weight are eval-only domains.
 * k->sorted holds the loss domains, then (from index nl) the weights. */
static ms_status match_domains(work *k, ms_sweep_layout *lay,
                               const ms_sweep_opts *o, const char *path,
                               long line, ms_diag *d)
{
    span *ls = k->sorted, *ws = k->sorted + k->nl;
    memcpy(ls, k->l, k->nl * sizeof *ls);
    qsort(ls, k->nl, sizeof *ls, qcmp_exact);
    for (size_t i = 0; i < k->nw; i++) {
        const span *s = &k->w[i];
        const span *hit = bsearch(s, ls, k->nl, sizeof *ls, bcmp_exact);
        if (hit) {
            lay->dom[hit->col] = i;
            lay->dom[s->col] = i;
            continue;
        }
        pattern pl;
        pattern_split(o->loss_pattern, &pl);
        return ms_diag_set(d, MS_EINPUT, path, line, (long)s->col + 1,
                           "%s has no loss column \"%.*s%.*s%s\"", k->name[s->col],
                           (int)pl.npre, pl.pre, (int)s->len, s->s, pl.suf);
    }
    if (k->nw == 0) {
        pattern pw;
        pattern_split(o->weight_pattern, &pw);
        return ms_diag_set(d, MS_EINPUT, path, line, 1,
                           "no weight columns (expected names like \"%.*s<domain>%s\")",
                           (int)pw.npre, pw.pre, pw.suf);
    }
    memcpy(ws, k->w, k->nw * sizeof *ws);
    qsort(ws, k->nw, sizeof *ws, qcmp_exact);
    lay->K = k->nw;
    for (size_t i = 0; i < k->nl; i++)
        if (!bsearch(&k->l[i], ws, k->nw, sizeof *ws, bcmp_exact))
            lay->dom[k->l[i].col] = lay->K + lay->n_eval++;
    lay->domains = calloc(lay->K + lay->n_eval, sizeof *lay->domains);
    if (!lay->domains)
        return oom(path, d);
    for (size_t i = 0; i < k->nw; i++)
        if (!(lay->domains[i] = span_dup(&k->w[i])))
            return oom(path, d);
    for (size_t i = 0; i < k->nl; i++) {
        size_t di = lay->dom[k->l[i].col];
        if (di >= lay->K && !(lay->domains[di] = span_dup(&k->l[i])))
            return oom(path, d);
    }
    lay->first_weight = k->w[0].col;
    return MS_OK;
}

static ms_status check_required(const ms_sweep_layout *lay,
                                const ms_sweep_opts *o, const char *path,
                                long line, ms_diag *d)
{
    int size = 0, tokens = 0;
    for (size_t j = 0; j < lay->m; j++) {
        size |= lay->kind[j] == MS_COL_SIZE;
        tokens |= lay->kind[j] == MS_COL_TOKENS;
    }
    if (!size)
        return ms_diag_set(d, MS_EINPUT, path, line, 1, "missing column \"%s\"",
                           o->size_column);
    if (!tokens)
        return ms_diag_set(d, MS_EINPUT, path, line, 1, "missing column \"%s\"",
                           o->tokens_column);
    return MS_OK;
}

static ms_status build(ms_sweep_layout *lay, work *k, const char *const *names,
                       size_t m, const ms_sweep_opts *o, const char *path,
                       long line, ms_diag *d)
{
    for (size_t j = 0; j < m; j++)
        if (!ms_sweep_utf8_valid(names[j], strlen(names[j])))
            return ms_diag_set(d, MS_EINPUT, path, line, (long)j + 1,
                               "column name is not valid UTF-8");
    lay->m = m;
    lay->kind = calloc(m, 1);
    lay->dom = calloc(m, sizeof *lay->dom);
    k->name = calloc(m, sizeof *k->name);
    k->w = calloc(m, sizeof *k->w);
    k->l = calloc(m, sizeof *k->l);
    k->sorted = calloc(m, sizeof *k->sorted);
    if (!lay->kind || !lay->dom || !k->name || !k->w || !k->l || !k->sorted)
        return oom(path, d);
    ms_status st;
    if ((st = apply_renames(k, names, m, o, path, line, d)) ||
        (st = check_duplicates(k, m, path, line, d)) ||
        (st = classify(k, lay, m, o, path, line, d)) ||
        (st = check_case(k, path, line, d)) ||
        (st = match_domains(k, lay, o, path, line, d)))
        return st;
    return check_required(lay, o, path, line, d);
}

ms_status ms_sweep_layout_build(ms_sweep_layout *lay, const char *const *names,
                                size_t m, const ms_sweep_opts *o,
                                const char *path, long line, ms_diag *d)
{
    work k = {0};
    *lay = (ms_sweep_layout){0};
    ms_status st = build(lay, &k, names, m, o, path, line, d);
    work_done(&k);
    if (st)
        ms_sweep_layout_done(lay);
    return st;
}

void ms_sweep_layout_done(ms_sweep_layout *lay)
{
    if (lay->domains)
        for (size_t i = 0; i < lay->K + lay->n_eval; i++)
            free(lay->domains[i]);
    free(lay->domains);
    free(lay->kind);
    free(lay->dom);
    *lay = (ms_sweep_layout){0};
}
