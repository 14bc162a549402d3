/* test_hostile.c — what researchers' pipelines really export (issue 7):
 * the nasty-input table, each case with its exact diagnostic or its
 * defined behaviour; for the sweeps the loader accepts, a fit that either
 * succeeds with finite parameters or says "cannot fit <law>: <reason>";
 * fits that must never reach a file (NaN, a file size limit); and the
 * fuzzers' corpora (tests/fuzz/corpus), replayed through the same targets
 * libFuzzer runs, so every past crash stays fixed without clang. */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "mixscope/fit.h"
#include "mixscope/fitfile.h"
#include "mixscope/law.h"
#include "mixscope/problem.h"
#include "mixscope/sweep.h"

#define FUZZ_ENTRY fuzz_sweep_entry
#include "fuzz/fuzz_sweep.c"
#undef FUZZ_ENTRY
#define FUZZ_ENTRY fuzz_fitfile_entry
#include "fuzz/fuzz_fitfile.c"
#undef FUZZ_ENTRY
#define FUZZ_ENTRY fuzz_size_entry
#include "fuzz/fuzz_size.c"
#undef FUZZ_ENTRY

/* ---- text built in memory ---- */

typedef struct {
    char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = 2 * (b->n + n + 1);
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static void putf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(buf *b, const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof tmp);
    put(b, tmp, (size_t)n);
}

static void put_rep(buf *b, char c, size_t n)
{
    char chunk[4096];
    memset(chunk, c, sizeof chunk);
    for (; n > sizeof chunk; n -= sizeof chunk)
        put(b, chunk, sizeof chunk);
    put(b, chunk, n);
}

#define HDR "weight_a,weight_b,model_size,n_tokens,a_loss,b_loss\n"
#define MB ((size_t)1 << 20)

/* A small sweep with a known law behind it: 5 mixtures x 4 sizes x 3
 * budgets, 2 domains; `row` (NULL: plain) writes each row. */
typedef void (*row_fn)(buf *b, size_t i, double wa, double N, double D, double la,
                       double lb);

static void plain_row(buf *b, size_t i, double wa, double N, double D, double la, double lb)
{
    (void)i;
    putf(b, "%g,%g,%g,%g,%.6f,%.6f\n", wa, 1 - wa, N, D, la, lb);
}

static void law_sweep(buf *b, row_fn row)
{
    put(b, HDR, strlen(HDR));
    static const double W[] = {0.2, 0.35, 0.5, 0.65, 0.8}, Ns[] = {50e6, 100e6, 200e6, 400e6},
                        Ds[] = {1e9, 2e9, 4e9};
    for (size_t i = 0; i < 60; i++) {
        double wa = W[i % 5], wb = 1 - wa, N = Ns[(i / 5) % 4], D = Ds[i / 20];
        double la = 2 + 30 * pow(N / 1e6 * wa, -0.5) + pow(D / 1e9 * wa, -0.3);
        double lb = 1.5 + 20 * pow(N / 1e6 * wb, -0.4) + pow(D / 1e9 * wb, -0.3);
        (row ? row : plain_row)(b, i, wa, N, D, la, lb);
    }
}

/* ---- the generators of the table ---- */

static void g_good(buf *b) { law_sweep(b, NULL); }

/* 10,000 columns: 4,999 domains (weight and loss each) + size + tokens. */
static void wide_header(buf *b)
{
    for (int k = 0; k < 4999; k++)
        putf(b, "weight_d%d,", k);
    put(b, "model_size,n_tokens", 19);
    for (int k = 0; k < 4999; k++)
        putf(b, ",d%d_loss", k);
    put(b, "\n", 1);
}

static void wide_row(buf *b, const char *last)
{
    for (int k = 0; k < 4999; k++)
        putf(b, "%.17g,", 1.0 / 4999);
    put(b, "1e8,2e9", 7);
    for (int k = 0; k < 4998; k++)
        put(b, ",3.5", 4);
    putf(b, ",%s\n", last);
}

static void g_cols10k(buf *b)
{
    wide_header(b);
    wide_row(b, "3");
    wide_row(b, "2.5");
}

static void g_cols10k_bad(buf *b)
{
    wide_header(b);
    wide_row(b, "x");
}

static void note_1mb(buf *b, size_t i, double wa, double N, double D, double la, double lb)
{
    if (i == 0) {
        put(b, "\"", 1);
        static const char chunk[] = /* 64 bytes, one line break */
            "a 1 MB cell, with commas, \"\"quotes\"\" and a line break..........\n";
        for (size_t k = 0; k < MB / 64; k++)
            put(b, chunk, sizeof chunk - 1);
        put(b, "\",", 2);
    } else
        put(b, ",", 1);
    plain_row(b, i, wa, N, D, la, lb);
}

static void g_cell1mb_ignored(buf *b)
{
    put(b, "note,", 5);
    law_sweep(b, note_1mb);
}

static void g_cell1mb_digits(buf *b)
{
    put(b, HDR "0.5,0.5,1e8,2e9,", strlen(HDR) + 16);
    put_rep(b, '1', MB);
    put(b, ",2.9\n", 5);
}

static void g_cell1mb_text(buf *b)
{
    put(b, HDR "0.5,0.5,1e8,2e9,", strlen(HDR) + 16);
    put_rep(b, 'x', MB);
    put(b, ",2.9\n", 5);
}

/* "0.5" and a million zeros: the slow path of the number parser. */
static void half_1mb(buf *b, size_t i, double wa, double N, double D, double la, double lb)
{
    if (i != 7) {
        plain_row(b, i, wa, N, D, la, lb);
        return;
    }
    put(b, "0.5", 3);
    put_rep(b, '0', MB);
    putf(b, ",0.5,%g,%g,%.6f,%.6f\n", N, D, la, lb);
}

static void g_cell1mb_half(buf *b) { law_sweep(b, half_1mb); }

/* A NUL 1 MB + 600 bytes into a quoted cell: past the first read block. */
static void g_nul_far(buf *b)
{
    put(b, HDR "0.5,0.5,1e8,2e9,3.1,\"", strlen(HDR) + 21);
    put_rep(b, 'x', MB + 600);
    put(b, "\0\"\n", 3);
}

static void g_nul_header(buf *b) { put(b, "weight_a\0,model_size\n", 21); }

static void g_utf8_header(buf *b) { puts_(b, "weight_caf\xe9,model_size\n"); }

static void g_utf8_ok(buf *b)
{
    puts_(b, "weight_caf\xc3\xa9,model_size,n_tokens,caf\xc3\xa9_loss\n1,1e8,2e9,3\n");
}

static void g_escape_header(buf *b)
{
    const char *h = "weight_a\x1b[2J,model_size,n_tokens,a\x1b[2J_loss\n1,1e8,2e9,3\n";
    put(b, h, strlen(h));
}

static void g_c1_header(buf *b)
{
    const char *h = "weight_a\xc2\x9b" "31m,model_size,n_tokens,a\xc2\x9b" "31m_loss\n";
    put(b, h, strlen(h));
}

static void g_case_dup(buf *b)
{
    const char *h = "weight_Web,weight_web,model_size,n_tokens,Web_loss,web_loss\n";
    put(b, h, strlen(h));
}

static void g_case_eval(buf *b)
{
    const char *h = "weight_web,model_size,n_tokens,web_loss,WEB_loss\n";
    put(b, h, strlen(h));
}

static void g_identical(buf *b)
{
    put(b, HDR, strlen(HDR));
    for (int k = 0; k < 100; k++)
        put(b, "0.5,0.5,1e8,2e9,3.1,2.9\n", 24);
}

static void g_one_row(buf *b) { put(b, HDR "0.5,0.5,1e8,2e9,3.1,2.9\n", strlen(HDR) + 24); }

static void g_one_domain(buf *b)
{
    put(b, "weight_a,model_size,n_tokens,a_loss\n", 36);
    for (double N = 50e6; N <= 800e6; N *= 2)
        for (double D = 1e9; D <= 8e9; D *= 2)
            putf(b, "1,%g,%g,%.6f\n", N, D,
                 2 + 30 * pow(N / 1e6, -0.5) + pow(D / 1e9, -0.3));
}

static void zero_b(buf *b, size_t i, double wa, double N, double D, double la, double lb)
{
    (void)i, (void)wa, (void)lb;
    putf(b, "1,0,%g,%g,%.6f,%.6f\n", N, D, la, la + 1);
}

static void g_zero_weight(buf *b) { law_sweep(b, zero_b); }

static void losses_as(buf *b, double wa, double N, double D, double la, double lb)
{
    putf(b, "%g,%g,%g,%g,%.17g,%.17g\n", wa, 1 - wa, N, D, la, lb);
}

static void equal_row(buf *b, size_t i, double wa, double N, double D, double la, double lb)
{
    (void)i, (void)la, (void)lb;
    losses_as(b, wa, N, D, 3, 3);
}

static void zero_row(buf *b, size_t i, double wa, double N, double D, double la, double lb)
{
    (void)i, (void)la, (void)lb;
    losses_as(b, wa, N, D, 0, 0);
}

static void huge_row(buf *b, size_t i, double wa, double N, double D, double la, double lb)
{
    (void)i;
    losses_as(b, wa, N, D, la * 1e300, lb * 1e300);
}

static void tiny_row(buf *b, size_t i, double wa, double N, double D, double la, double lb)
{
    (void)i;
    losses_as(b, wa, N, D, la * 1e-300, lb * 1e-300);
}

static void huge_scale(buf *b, size_t i, double wa, double N, double D, double la, double lb)
{
    (void)i;
    putf(b, "%g,%g,%g,%g,%.6f,%.6f\n", wa, 1 - wa, N * 1e290, D * 1e290, la, lb);
}

static void tiny_scale(buf *b, size_t i, double wa, double N, double D, double la, double lb)
{
    (void)i;
    putf(b, "%g,%g,%g,%g,%.6f,%.6f\n", wa, 1 - wa, N * 1e-300, D * 1e-300, la, lb);
}

static void g_equal(buf *b) { law_sweep(b, equal_row); }
static void g_zero_loss(buf *b) { law_sweep(b, zero_row); }
static void g_huge_loss(buf *b) { law_sweep(b, huge_row); }
static void g_tiny_loss(buf *b) { law_sweep(b, tiny_row); }
static void g_huge_scale(buf *b) { law_sweep(b, huge_scale); }
static void g_tiny_scale(buf *b) { law_sweep(b, tiny_scale); }

static void g_huge_weight(buf *b) { put(b, HDR "1e300,1e-300,1e8,2e9,3,3\n", strlen(HDR) + 25); }
static void g_tiny_weight(buf *b) { put(b, HDR "1e-300,1,1e8,2e9,3,3\n", strlen(HDR) + 21); }
static void g_size0(buf *b) { put(b, HDR "0.5,0.5,0,2e9,3,3\n", strlen(HDR) + 18); }
static void g_neg_tokens(buf *b) { put(b, HDR "0.5,0.5,1e8,-2e9,3,3\n", strlen(HDR) + 21); }

static void g_mixed_eol(buf *b)
{
    const char *t = "weight_a,weight_b,model_size,n_tokens,a_loss,b_loss\r\n"
                    "0.5,0.5,1e8,2e9,3.1,2.9\n"
                    "0.4,0.6,1e8,2e9,3.2,2.8\r"
                    "0.3,0.7,1e8,2e9,3.3,2.7\r\n"
                    "\r\n"
                    "0.2,0.8,1e8,2e9,3.4,2.6";
    put(b, t, strlen(t));
}

static void g_mixed_eol_bad(buf *b)
{
    const char *t = "weight_a,weight_b,model_size,n_tokens,a_loss,b_loss\r\n"
                    "0.5,0.5,1e8,2e9,3.1,2.9\n"
                    "0.4,0.6,1e8,2e9,3.2,2.8\r"
                    "\r\n\n"
                    "0.3,0.7,1e8,2e9,x,2.7\r\n";
    put(b, t, strlen(t));
}

/* ---- the table ---- */

typedef struct {
    int line;
    const char *name;
    void (*make)(buf *b);
    const char *want;     /* load: exact message ("%s" = path); NULL: accepted */
    size_t K, n;          /* accepted: training domains, rows */
    long last_line;       /* accepted: line of the last row (0: unchecked) */
    const char *fit_want; /* accepted: exact "cannot fit" message, or NULL when
                             capnoise fits with finite parameters */
} hostile_case;

#define BAD(name, make, want) {__LINE__, name, make, want, 0, 0, 0, NULL}
#define OK(name, make, K, n, last, fit) {__LINE__, name, make, NULL, K, n, last, fit}

static const hostile_case cases[] = {
    OK("a well-behaved sweep (control)", g_good, 2, 60, 61, NULL),
    OK("10,000 columns", g_cols10k, 4999, 2, 3,
       "cannot fit capnoise: 0 observed losses to fit for 24996 parameters (need at least "
       "as many observations as parameters)"),
    BAD("10,000 columns, bad last cell", g_cols10k_bad,
        "%s:2:10000: d4998_loss: expected a number, got \"x\""),
    OK("a 1 MB cell in an ignored column", g_cell1mb_ignored, 2, 60, 16445, NULL),
    BAD("a 1 MB number", g_cell1mb_digits,
        "%s:2:5: a_loss: expected a finite number, got "
        "\"1111111111111111111111111111111111111111...\""),
    BAD("a 1 MB non-number", g_cell1mb_text,
        "%s:2:5: a_loss: expected a number, got \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\""),
    OK("0.5 followed by a million zeros", g_cell1mb_half, 2, 60, 61, NULL),
    BAD("a NUL byte past the first 1 MB block", g_nul_far,
        "%s:2:1049198: not a text file (NUL byte)"),
    BAD("a NUL byte in the header", g_nul_header, "%s:1:9: not a text file (NUL byte)"),
    BAD("invalid UTF-8 in a header", g_utf8_header, "%s:1:1: column name is not valid UTF-8"),
    OK("valid UTF-8 in a header", g_utf8_ok, 1, 1, 2,
       "cannot fit capnoise: 1 observed losses to fit for 6 parameters (need at least as "
       "many observations as parameters)"),
    BAD("an ESC sequence in a domain name", g_escape_header,
        "%s:1:1: column \"weight_a\\x1B[2J\" has a control character in its domain name"),
    BAD("a C1 CSI in a domain name", g_c1_header,
        "%s:1:1: column \"weight_a\\xC2\\x9B31m\" has a control character in its domain name"),
    BAD("duplicate domains differing only in case", g_case_dup,
        "%s:1:2: domain \"web\" differs from \"Web\" (column 1) only in case"),
    BAD("an eval-only domain differing only in case", g_case_eval,
        "%s:1:5: domain \"WEB\" differs from \"web\" (column 1) only in case"),
    OK("all rows identical", g_identical, 2, 100, 101,
       "cannot fit capnoise: 2 distinct observed losses for 11 parameters (the other 198 "
       "repeat a row with the same mixture, size and tokens)"),
    OK("one row", g_one_row, 2, 1, 2,
       "cannot fit capnoise: 2 observed losses to fit for 11 parameters (need at least as "
       "many observations as parameters)"),
    OK("one domain", g_one_domain, 1, 20, 21, NULL),
    OK("a domain with zero weight in every run", g_zero_weight, 2, 60, 61,
       "cannot fit capnoise: no training row has a loss to fit for domain \"b\" (with a "
       "weight >= the mask 0.1 and a loss > 0): its parameters would be arbitrary"),
    OK("all losses equal", g_equal, 2, 60, 61, NULL),
    OK("losses of 0", g_zero_loss, 2, 60, 61,
       "cannot fit capnoise: 0 observed losses to fit for 11 parameters (need at least as "
       "many observations as parameters; 120 losses of 0 left out: relative residuals "
       "divide by the loss)"),
    OK("losses near 1e300", g_huge_loss, 2, 60, 61, NULL),
    OK("losses near 1e-300", g_tiny_loss, 2, 60, 61,
       "cannot fit capnoise: no start reached a finite cost"),
    OK("sizes and budgets near 1e300", g_huge_scale, 2, 60, 61, NULL),
    OK("sizes and budgets near 1e-300", g_tiny_scale, 2, 60, 61,
       "cannot fit capnoise: parameter b[a] ran off to 0 or infinity in every start (the "
       "data do not determine it)"),
    BAD("a weight of 1e300", g_huge_weight,
        "%s:2:1: weights sum to 1e+300, expected 1 within 0.001; renormalize to rescale"),
    OK("a weight of 1e-300", g_tiny_weight, 2, 1, 2,
       "cannot fit capnoise: 1 observed losses to fit for 11 parameters (need at least as "
       "many observations as parameters)"),
    BAD("model_size 0", g_size0, "%s:2:3: model_size: expected a positive number, got \"0\""),
    BAD("n_tokens negative", g_neg_tokens,
        "%s:2:4: n_tokens: expected a positive number, got \"-2e9\""),
    OK("mixed line endings", g_mixed_eol, 2, 4, 6,
       "cannot fit capnoise: 8 observed losses to fit for 11 parameters (need at least as "
       "many observations as parameters)"),
    BAD("mixed line endings, bad cell", g_mixed_eol_bad,
        "%s:6:5: a_loss: expected a number, got \"x\""),
};

/* A fit that succeeds: every parameter finite and of its kind, every
 * prediction finite, and the fit file round-trips. */
static void check_good_fit(const ms_problem *p, const ms_fit_result *r, const char *name)
{
    ms_fit *f = ms_fit_new(r->law.def, p->K, (const char *const *)p->domains);
    assert_non_null(f);
    memcpy(f->theta, r->theta, r->law.n_params * sizeof *f->theta);
    ms_diag d;
    if (ms_fit_check_params(f, NULL, &d) != MS_OK)
        fail_msg("%s: %s", name, d.msg);
    ms_pred pr = {0};
    assert_int_equal(ms_pred_alloc(&pr, p->K), MS_OK);
    for (size_t u = 0; u < p->n_runs; u++) {
        double D = p->D[p->run_first[u]];
        if (ms_law_predict(&r->law, r->theta, p->run_h + u * p->K, p->run_N[u], D, &pr, &d))
            fail_msg("%s: %s", name, d.msg);
        for (size_t i = 0; i < p->K; i++)
            if (!isfinite(pr.loss[i]))
                fail_msg("%s: non-finite prediction", name);
    }
    ms_pred_free(&pr);
    char path[300];
    snprintf(path, sizeof path, "%s/hostile-fit.json", tu_tmpdir());
    if (ms_fit_write(path, f, &d) != MS_OK)
        fail_msg("%s: %s", name, d.msg);
    ms_fit *g;
    if (ms_fit_read(path, &g, &d) != MS_OK)
        fail_msg("%s: %s", name, d.msg);
    assert_memory_equal(g->theta, f->theta, r->law.n_params * sizeof *f->theta);
    ms_fit_free(g);
    ms_fit_free(f);
}

/* Returns the number of failures (printed with the table line). */
static int run_fit(const hostile_case *c, const ms_sweep *s)
{
    ms_problem *p;
    ms_diag d = {{0}};
    if (ms_problem_build(s, NULL, 0, NULL, MS_CKPT_ALL, &p, &d) != MS_OK) {
        print_error("%s:%d: %s: problem: %s\n", __FILE__, c->line, c->name, d.msg);
        return 1;
    }
    ms_fit_opts o;
    ms_fit_opts_init(&o);
    o.starts = 2;
    o.threads = 1;
    ms_fit_result *r = NULL;
    ms_status st = ms_fit_run(p, ms_law_find("capnoise"), &o, &r, &d);
    int bad = 0;
    if (c->fit_want && (st == MS_OK || strcmp(d.msg, c->fit_want) != 0)) {
        print_error("%s:%d: %s: fit status %d\n  got:  %s\n  want: %s\n", __FILE__, c->line,
                    c->name, (int)st, st == MS_OK ? "(a fit)" : d.msg, c->fit_want);
        bad = 1;
    } else if (!c->fit_want && st != MS_OK) {
        print_error("%s:%d: %s: fit failed: %s\n", __FILE__, c->line, c->name, d.msg);
        bad = 1;
    } else if (st == MS_OK) {
        check_good_fit(p, r, c->name);
    }
    ms_fit_result_free(r);
    ms_problem_free(p);
    return bad;
}

static void test_hostile_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const hostile_case *c = &cases[i];
        buf b = {0};
        c->make(&b);
        char name[64], want[1100];
        snprintf(name, sizeof name, "hostile-%zu.csv", i);
        const char *path = tu_write_file(name, b.p, b.n);
        free(b.p);
        ms_sweep *s = (ms_sweep *)&b;
        ms_diag d = {{0}};
        ms_status st = ms_sweep_load(path, NULL, &s, &d);
        if (c->want) {
            snprintf(want, sizeof want, c->want, path);
            if (st != MS_EINPUT || s != NULL || strcmp(d.msg, want) != 0) {
                print_error("%s:%d: %s: status %d\n  got:  %s\n  want: %s\n", __FILE__,
                            c->line, c->name, (int)st, d.msg, want);
                failures++;
            }
            continue;
        }
        if (st != MS_OK) {
            print_error("%s:%d: %s: rejected: %s\n", __FILE__, c->line, c->name, d.msg);
            failures++;
            continue;
        }
        if (s->K != c->K || s->n != c->n || (c->last_line && s->line[s->n - 1] != c->last_line)) {
            print_error("%s:%d: %s: K %zu, n %zu, last line %ld (want %zu, %zu, %ld)\n",
                        __FILE__, c->line, c->name, s->K, s->n, s->line[s->n - 1], c->K, c->n,
                        c->last_line);
            failures++;
        }
        failures += run_fit(c, s);
        ms_sweep_free(s);
    }
    assert_int_equal(failures, 0);
}

/* The slow path reads "0.5000...0" (a million digits) as exactly 0.5, and
 * the mixed line endings give every row its physical line. */
static void test_hostile_values(void **state)
{
    (void)state;
    buf b = {0};
    g_cell1mb_half(&b);
    const char *path = tu_write_file("half.csv", b.p, b.n);
    free(b.p);
    ms_sweep *s;
    ms_diag d;
    assert_int_equal(ms_sweep_load(path, NULL, &s, &d), MS_OK);
    assert_true(s->h[7 * 2] == 0.5 && s->h[7 * 2 + 1] == 0.5);
    ms_sweep_free(s);
    b = (buf){0};
    g_mixed_eol(&b);
    path = tu_write_file("eol.csv", b.p, b.n);
    free(b.p);
    assert_int_equal(ms_sweep_load(path, NULL, &s, &d), MS_OK);
    static const long lines[] = {2, 3, 4, 6};
    for (size_t r = 0; r < 4; r++)
        assert_int_equal(s->line[r], lines[r]);
    assert_true(s->loss[3 * 2] == 3.4);
    ms_sweep_free(s);
}

/* A 1 MB column name: the message is cut at the diagnostic's size, never
 * overflows it. */
static void test_header_1mb(void **state)
{
    (void)state;
    buf b = {0};
    put(&b, "weight_", 7);
    put_rep(&b, 'a', MB);
    put(&b, ",model_size,n_tokens\n", 21);
    const char *path = tu_write_file("wide-name.csv", b.p, b.n);
    free(b.p);
    ms_sweep *s;
    ms_diag d;
    assert_int_equal(ms_sweep_load(path, NULL, &s, &d), MS_EINPUT);
    char want[400];
    snprintf(want, sizeof want, "%s:1:1: weight_aaaa", path);
    assert_true(strncmp(d.msg, want, strlen(want)) == 0);
    assert_int_equal(strlen(d.msg), sizeof d.msg - 1);
}

/* Diagnostics escape control characters wherever they come from. */
static void test_diag_escapes(void **state)
{
    (void)state;
    ms_diag d;
    ms_diag_set(&d, MS_EINPUT, "a\tb.csv", 2, 3, "law \"%s\"", "x\x1b[31m\x7f\xc2\x9b\xc3\xa9");
    assert_string_equal(d.msg, "a\\x09b.csv:2:3: law \"x\\x1B[31m\\x7F\\xC2\\x9B\xc3\xa9\"");
    /* A message that fills the buffer is cut, never overflowed. */
    char big[2000];
    memset(big, '\x1b', sizeof big - 1);
    big[sizeof big - 1] = 0;
    ms_diag_set(&d, MS_EINPUT, NULL, 0, 0, "%s", big);
    assert_true(strlen(d.msg) < sizeof d.msg && strlen(d.msg) % 4 == 0);
    assert_true(strncmp(d.msg, "\\x1B\\x1B", 8) == 0);
}

/* Fit files with control characters in their names are refused. */
static void test_fitfile_control_names(void **state)
{
    (void)state;
    const char *path = tu_write_file("esc.json",
                                     "{\"law\": \"capnoise\", \"params\": {}, "
                                     "\"domains\": [\"a\", \"b\\u001b[2J\"]}", 0);
    ms_fit *f;
    ms_diag d;
    char want[512];
    assert_int_equal(ms_fit_read(path, &f, &d), MS_EINPUT);
    snprintf(want, sizeof want, "%s: domains[1]: a name must not contain control characters",
             path);
    assert_string_equal(d.msg, want);
    path = tu_write_file("esc-law.json", "{\"law\": \"\\u001b[2Jcap\"}", 0);
    assert_int_equal(ms_fit_read(path, &f, &d), MS_EINPUT);
    snprintf(want, sizeof want, "%s: unknown law \"\\x1B[2Jcap\"", path);
    assert_string_equal(d.msg, want);
}

/* A fit file with 100,000 domains is checked for repeats by sorting (it
 * took 17 s pairwise); the earliest repeat is the one named. */
static void test_fitfile_many_domains(void **state)
{
    (void)state;
    buf b = {0};
    puts_(&b, "{\"law\": \"capnoise\", \"params\": {}, \"domains\": [");
    for (int k = 0; k < 100000; k++)
        putf(&b, "\"d%d\", ", k);
    puts_(&b, "\"d99999\", \"d5\"]}");
    const char *path = tu_write_file("many.json", b.p, b.n);
    free(b.p);
    ms_fit *f;
    ms_diag d;
    char want[512];
    assert_int_equal(ms_fit_read(path, &f, &d), MS_EINPUT);
    snprintf(want, sizeof want, "%s: domains: \"d99999\" appears twice", path);
    assert_string_equal(d.msg, want);
    path = tu_write_file("repeats.json",
                         "{\"law\": \"capnoise\", \"params\": {}, "
                         "\"domains\": [\"a\", \"b\", \"c\", \"b\", \"a\", \"a\"]}", 0);
    assert_int_equal(ms_fit_read(path, &f, &d), MS_EINPUT);
    snprintf(want, sizeof want, "%s: domains: \"b\" appears twice", path);
    assert_string_equal(d.msg, want);
}

/* ---- NaN never reaches a file; a failed write keeps the old file ---- */

static ms_fit *truth_fit(void)
{
    ms_fit *f;
    ms_diag d;
    if (ms_fit_read("sample-data/truth.json", &f, &d) != MS_OK)
        fail_msg("%s", d.msg);
    return f;
}

static void test_write_refuses_nonfinite(void **state)
{
    (void)state;
    char path[300], want[600], text[64];
    snprintf(path, sizeof path, "%s/nan-fit.json", tu_tmpdir());
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("old\n", fp);
    fclose(fp);
    static const struct {
        size_t j;
        double v;
        const char *want;
    } bad[] = {
        {0, NAN, "parameter b[web]: expected a number > 0, got nan"},
        {7, INFINITY, "parameter c[code]: expected a number > 0, got inf"},
        {30, -1, "parameter H: expected a number > 0, got -1"},
        {24, -INFINITY, "parameter E[web]: expected a number >= 0, got -inf"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        ms_fit *f = truth_fit();
        f->theta[bad[k].j] = bad[k].v;
        ms_diag d;
        assert_int_equal(ms_fit_write(path, f, &d), MS_ENUMERIC);
        snprintf(want, sizeof want, "%s: not writing the fit: %s", path, bad[k].want);
        assert_string_equal(d.msg, want);
        ms_fit_free(f);
    }
    ms_fit *f = truth_fit();
    f->law.h_min = NAN;
    ms_diag d;
    assert_int_equal(ms_fit_write(path, f, &d), MS_ENUMERIC);
    snprintf(want, sizeof want,
             "%s: not writing the fit: h_min is nan, expected a number in (0, 1)", path);
    assert_string_equal(d.msg, want);
    ms_fit_free(f);
    tu_slurp(path, text, sizeof text);
    assert_string_equal(text, "old\n");
    tu_run_result r;
    assert_int_equal(tu_run(&r, "ls -A %s | grep -c tmp-", tu_tmpdir()), 1);
    assert_string_equal(r.out, "0\n");
}

/* A file size limit (ulimit -f) makes the write fail, not kill the
 * process: the old file stays and no temporary is left. */
static void test_write_file_size_limit(void **state)
{
    (void)state;
    char dir[300], path[400], text[64];
    snprintf(dir, sizeof dir, "%s/fsize", tu_tmpdir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/fit.json", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("old\n", fp);
    fclose(fp);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit rl = {256, 256};
        setrlimit(RLIMIT_FSIZE, &rl);
        ms_fit *f = truth_fit();
        ms_diag d;
        ms_status st = ms_fit_write(path, f, &d);
        ms_fit_free(f);
        char want[600];
        snprintf(want, sizeof want, "%s: cannot write: File too large", path);
        _exit(st == MS_EIO && strcmp(d.msg, want) == 0 ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status))
        fail_msg("the write was killed by signal %d", WTERMSIG(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    tu_slurp(path, text, sizeof text);
    assert_string_equal(text, "old\n");
    tu_run_result r;
    assert_int_equal(tu_run(&r, "ls -A %s", dir), 0);
    assert_string_equal(r.out, "fit.json\n");
    /* The same through the command line, as a login node's limit does it. */
    assert_int_equal(tu_run(&r, "ulimit -f 2; %s fit --starts 1 --quiet -o %s "
                                "sample-data/sample.csv", tu_bin(), path), 1);
    assert_non_null(strstr(r.err, "cannot write: File too large"));
    tu_slurp(path, text, sizeof text);
    assert_string_equal(text, "old\n");
    assert_int_equal(tu_run(&r, "ls -A %s", dir), 0);
    assert_string_equal(r.out, "fit.json\n");
}

/* SIGTERM or SIGHUP while simulate -o writes a big file: the process
 * dies of the signal and leaves no partial temporary behind. */
static void test_signal_during_write(void **state)
{
    (void)state;
    static const char *const sigs[] = {"TERM", "HUP"};
    for (size_t k = 0; k < 2; k++) {
        char dir[300];
        snprintf(dir, sizeof dir, "%s/sig%zu", tu_tmpdir(), k);
        mkdir(dir, 0755);
        tu_run_result r;
        /* Waits for the temporary to appear, then signals the writer. */
        int st = tu_run(&r,
                        "%s simulate -p sample-data/truth.json --sizes 50M,100M,200M,400M,800M "
                        "--tokens 1B,2B,4B,8B,16B --mixtures 50000 -o %s/big.csv & p=$!; "
                        "for i in $(seq 1000); do ls %s | grep -q tmp- && break; sleep 0.01; done; "
                        "kill -%s $p; wait $p",
                        tu_bin(), dir, dir, sigs[k]);
        assert_int_equal(st, k == 0 ? 128 + 15 : 128 + 1);
        assert_int_equal(tu_run(&r, "ls -A %s", dir), 0);
        assert_string_equal(r.out, "");
    }
}

/* mixscope fit -o into a read-only folder (not as root: root writes
 * anyway) reports it and keeps the old file. */
static void test_write_read_only(void **state)
{
    (void)state;
    if (geteuid() == 0) {
        print_message("skipped: running as root, permissions do not stop writes\n");
        skip();
    }
    char dir[300], path[400], text[64];
    snprintf(dir, sizeof dir, "%s/ro", tu_tmpdir());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/fit.json", dir);
    tu_run_result r;
    assert_int_equal(tu_run(&r, "echo old > %s && chmod 555 %s", path, dir), 0);
    assert_int_equal(tu_run(&r, "%s fit --starts 1 --quiet -o %s sample-data/sample.csv",
                            tu_bin(), path), 1);
    assert_non_null(strstr(r.err, "cannot write: Permission denied"));
    tu_slurp(path, text, sizeof text);
    assert_string_equal(text, "old\n");
    assert_int_equal(tu_run(&r, "chmod 755 %s && ls -A %s", dir, dir), 0);
    assert_string_equal(r.out, "fit.json\n");
}

/* ---- the fuzzers' corpora, replayed ---- */

typedef int (*fuzz_entry)(const uint8_t *data, size_t size);

/* Runs every file of tests/fuzz/corpus/<target> through the target, each
 * in a child process so that a crash names its file. */
static void replay(const char *target, fuzz_entry entry)
{
    char dir[256];
    snprintf(dir, sizeof dir, "tests/fuzz/corpus/%s", target);
    DIR *dh = opendir(dir);
    if (!dh)
        fail_msg("no corpus folder %s", dir);
    size_t files = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (e->d_name[0] == '.')
            continue;
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        buf b = {0};
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
            put(&b, chunk, n);
        fclose(fp);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            _exit(entry((const uint8_t *)(b.p ? b.p : ""), b.n));
        free(b.p);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fail_msg("%s: the %s target failed on it (status %d)", path, target, status);
        files++;
    }
    closedir(dh);
    assert_true(files > 0);
}

static void test_replay_sweep(void **state)
{
    (void)state;
    replay("sweep", fuzz_sweep_entry);
}

static void test_replay_fitfile(void **state)
{
    (void)state;
    replay("fitfile", fuzz_fitfile_entry);
}

static void test_replay_size(void **state)
{
    (void)state;
    replay("size", fuzz_size_entry);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_table),
        cmocka_unit_test(test_hostile_values),
        cmocka_unit_test(test_header_1mb),
        cmocka_unit_test(test_diag_escapes),
        cmocka_unit_test(test_fitfile_control_names),
        cmocka_unit_test(test_fitfile_many_domains),
        cmocka_unit_test(test_write_refuses_nonfinite),
        cmocka_unit_test(test_write_file_size_limit),
        cmocka_unit_test(test_signal_during_write),
        cmocka_unit_test(test_write_read_only),
        cmocka_unit_test(test_replay_sweep),
        cmocka_unit_test(test_replay_fitfile),
        cmocka_unit_test(test_replay_size),
    };
    return cmocka_run_group_tests_name("hostile", tests, NULL, NULL);
}
