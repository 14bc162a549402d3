/* test_sweep.c — loading sweeps: every bad input with its exact message,
 * the accepted CSV dialect, domains, missing values, renames, renormalising,
 * the shared SlimPajama sweep, and the fast number parser against strtod. */
#include "testutil.h"

#include "mixscope/sweep.h"
#include "core/sweep_impl.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <sys/resource.h>
#include <sys/stat.h>

/* ---- helpers ---- */

typedef void (*opts_fn)(ms_sweep_opts *o);

/* Loads `csv` (len 0 = strlen) from a scratch file; returns the status.
 * *out and d are the loader's. */
static ms_status load_text(const char *name, const char *csv, size_t len,
                           opts_fn setup, ms_sweep **out, ms_diag *d,
                           char *path, size_t pathlen)
{
    const char *p = tu_write_file(name, csv, len ? len : strlen(csv));
    snprintf(path, pathlen, "%s", p);
    ms_sweep_opts o;
    ms_sweep_opts_init(&o);
    if (setup)
        setup(&o);
    *out = (ms_sweep *)1; /* must come back NULL on failure */
    return ms_sweep_load(path, setup ? &o : NULL, out, d);
}

/* Loads text that must be accepted. */
static ms_sweep *load_ok(const char *csv, opts_fn setup)
{
    char path[512];
    ms_sweep *s;
    ms_diag d = {{0}};
    ms_status st = load_text("ok.csv", csv, 0, setup, &s, &d, path, sizeof path);
    if (st != MS_OK)
        fail_msg("unexpected error: %s", d.msg);
    assert_non_null(s);
    return s;
}

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

#define HDR "weight_a,weight_b,model_size,n_tokens,a_loss,b_loss\n"
#define ROW "0.5,0.5,1e8,2e9,3.1,2.9\n"
#define X40 "abcdefghijklmnopqrstuvwxyz0123456789ABCD"

static void rename_foo(ms_sweep_opts *o)
{
    static const char *const r[] = {"foo", "bar"};
    o->renames = r;
    o->n_renames = 1;
}

static void rename_mix(ms_sweep_opts *o)
{
    static const char *const r[] = {"mix_a", "weight_a"};
    o->renames = r;
    o->n_renames = 1;
}

static void rename_to_dup(ms_sweep_opts *o)
{
    static const char *const r[] = {"weight_b", "weight_a"};
    o->renames = r;
    o->n_renames = 1;
}

static void renormalize(ms_sweep_opts *o) { o->renormalize = 1; }
static void tol_02(ms_sweep_opts *o) { o->weight_tol = 0.2; }
static void size_params(ms_sweep_opts *o) { o->size_column = "params"; }
static void bad_pattern(ms_sweep_opts *o) { o->weight_pattern = "weight_"; }
static void two_braces(ms_sweep_opts *o) { o->loss_pattern = "{}_{}"; }
static void mix_pattern(ms_sweep_opts *o) { o->weight_pattern = "mix:{}"; }

/* ---- every bad input, with its exact message ---- */

typedef struct {
    int line;        /* of the entry, for failure reports */
    const char *csv; /* NULL: a path that does not exist; "/": a directory */
    size_t len;      /* 0 = strlen (set for text with NUL bytes) */
    opts_fn setup;   /* NULL: opts NULL (defaults) */
    ms_status st;
    const char *want; /* "%s" stands for the path */
} bad_case;

#define E(csv, st, want) {__LINE__, csv, 0, NULL, st, want}
#define EO(csv, setup, st, want) {__LINE__, csv, 0, setup, st, want}
#define EN(csv, st, want) {__LINE__, csv, sizeof csv - 1, NULL, st, want}

static const bad_case bad_cases[] = {
    E(NULL, MS_EIO, "%s: cannot open: No such file or directory"),
    E("/", MS_EIO, "%s: read error: Is a directory"),
    /* empty */
    E("", MS_EINPUT, "%s:1:1: empty file, expected a header row"),
    E("\xEF\xBB\xBF", MS_EINPUT, "%s:1:1: empty file, expected a header row"),
    E("\n\n  \n\t\r\n\n", MS_EINPUT, "%s:1:1: empty file, expected a header row"),
    /* not text */
    EN(HDR "0.5,0.5,1e8\0,2e9,3.1,2.9\n", MS_EINPUT, "%s:2:12: not a text file (NUL byte)"),
    EN("\x1f\x8b\x08\0\0\0", MS_EINPUT, "%s:1:4: not a text file (NUL byte)"),
    EN("\xEF\xBB\xBFweight_a\0", MS_EINPUT, "%s:1:12: not a text file (NUL byte)"),
    EN(HDR ROW ROW "\n\n\0", MS_EINPUT, "%s:6:1: not a text file (NUL byte)"),
    E("weight_a,\xff\xfe,model_size\n", MS_EINPUT, "%s:1:2: column name is not valid UTF-8"),
    E("weight_a,caf\xc3,model_size\n", MS_EINPUT, "%s:1:2: column name is not valid UTF-8"),
    E("weight_a,\xed\xa0\x80,x\n", MS_EINPUT, "%s:1:2: column name is not valid UTF-8"),
    E("weight_a,\xc0\xaf\n", MS_EINPUT, "%s:1:2: column name is not valid UTF-8"),
    /* header */
    EO(HDR ROW, rename_foo, MS_EINPUT, "%s:1:1: cannot rename \"foo\": no such column"),
    E("weight_a,weight_b,model_size,n_tokens,a_loss,b_loss,a_loss\n" ROW, MS_EINPUT,
      "%s:1:7: duplicate column \"a_loss\" (also column 5)"),
    E("x,weight_a,x,model_size,n_tokens,a_loss,x\n", MS_EINPUT,
      "%s:1:3: duplicate column \"x\" (also column 1)"),
    E("a,b,b,a\n", MS_EINPUT, "%s:1:3: duplicate column \"b\" (also column 2)"),
    EO(HDR ROW, rename_to_dup, MS_EINPUT, "%s:1:2: duplicate column \"weight_a\" (also column 1)"),
    E("weight_arxiv,model_size,n_tokens,arxiv_loss,Arxiv_loss\n", MS_EINPUT,
      "%s:1:5: domain \"Arxiv\" differs from \"arxiv\" (column 1) only in case"),
    E("weight_Book,weight_book,model_size,n_tokens,Book_loss,book_loss\n", MS_EINPUT,
      "%s:1:2: domain \"book\" differs from \"Book\" (column 1) only in case"),
    E("weight_,weight_a,model_size,n_tokens,a_loss\n", MS_EINPUT,
      "%s:1:1: column \"weight_\" has an empty domain name"),
    E("weight_a,model_size,n_tokens,a_loss,_loss\n", MS_EINPUT,
      "%s:1:5: column \"_loss\" has an empty domain name"),
    E("weight_a,weight_book,model_size,n_tokens,a_loss\n", MS_EINPUT,
      "%s:1:2: weight_book has no loss column \"book_loss\""),
    E("model_size,n_tokens,a_loss\n1,2,3\n", MS_EINPUT,
      "%s:1:1: no weight columns (expected names like \"weight_<domain>\")"),
    EO("model_size,n_tokens,a_loss\n1,2,3\n", mix_pattern, MS_EINPUT,
       "%s:1:1: no weight columns (expected names like \"mix:<domain>\")"),
    E("weight_a,n_tokens,a_loss\n1,2,3\n", MS_EINPUT, "%s:1:1: missing column \"model_size\""),
    E("weight_a,model_size,a_loss\n1,2,3\n", MS_EINPUT, "%s:1:1: missing column \"n_tokens\""),
    EO(HDR ROW, size_params, MS_EINPUT, "%s:1:1: missing column \"params\""),
    EO(HDR ROW, bad_pattern, MS_EINPUT, "weight pattern \"weight_\" must contain \"{}\" exactly once"),
    EO(HDR ROW, two_braces, MS_EINPUT, "loss pattern \"{}_{}\" must contain \"{}\" exactly once"),
    E(HDR, MS_EINPUT, "%s:2:1: no data rows after the header"),
    E(HDR "\n\n", MS_EINPUT, "%s:2:1: no data rows after the header"),
    E("\n" HDR, MS_EINPUT, "%s:3:1: no data rows after the header"),
    E("\"x\ny\"," HDR, MS_EINPUT, "%s:3:1: no data rows after the header"),
    E("\"x\ny\",weight_a,n_tokens,a_loss\n", MS_EINPUT, "%s:1:1: missing column \"model_size\""),
    /* ragged rows; the field count beats a bad cell of the same row */
    E(HDR "0.5,0.5,1e8,2e9,3.1,2.9,7\n", MS_EINPUT,
      "%s:2:7: expected 6 fields as in the header, got 7"),
    E(HDR ROW "0.5,0.5,1e8,2e9,3.1\n", MS_EINPUT,
      "%s:3:6: expected 6 fields as in the header, got 5"),
    E(HDR "0.5,n/a,1e8,2e9,3.1\n", MS_EINPUT, "%s:2:6: expected 6 fields as in the header, got 5"),
    E(HDR "0.5\n", MS_EINPUT, "%s:2:2: expected 6 fields as in the header, got 1"),
    E(HDR "0.5,0.5,1e8,2e9,3.1,2.9,,,", MS_EINPUT,
      "%s:2:7: expected 6 fields as in the header, got 9"),
    /* numbers */
    E(HDR "0.5,n/a,1e8,2e9,3.1,2.9\n", MS_EINPUT, "%s:2:2: weight_b: expected a number, got \"n/a\""),
    E(HDR ROW "0.5,0.5,1e8,2e9,3.1,\"" X40 "E\"\n", MS_EINPUT,
      "%s:3:6: b_loss: expected a number, got \"" X40 "...\""),
    E(HDR ROW "0.5,0.5,1e8,2e9,3.1,\"" X40 "\"\n", MS_EINPUT,
      "%s:3:6: b_loss: expected a number, got \"" X40 "\""),
    E(HDR "0.5,0.5,1e8,2e9,3.1,\"abcdefghijklmnopqrstuvwxyz0123456789ABC\xc3\xa9z\"\n", MS_EINPUT,
      "%s:2:6: b_loss: expected a number, got \"abcdefghijklmnopqrstuvwxyz0123456789ABC...\""),
    E(HDR "0.5,0.5,1e8,2e9,\"3.1\n\",2.9\n", MS_EINPUT,
      "%s:3:5: a_loss: expected a number, got \"3.1\\x0A\""),
    E(HDR "0.5,0.5,1e8,2e9,3\xff,2.9\n", MS_EINPUT,
      "%s:2:5: a_loss: expected a number, got \"3\\xFF\""),
    E(HDR "0x1p-1,0.5,1e8,2e9,3.1,2.9\n", MS_EINPUT, "%s:2:1: weight_a: expected a number, got \"0x1p-1\""),
    E(HDR "0.5,0.5,1e8,2e9,1.5abc,2.9\n", MS_EINPUT, "%s:2:5: a_loss: expected a number, got \"1.5abc\""),
    E(HDR "0.5,0.5,1e,2e9,3.1,2.9\n", MS_EINPUT, "%s:2:3: model_size: expected a number, got \"1e\""),
    E(HDR "0.5,0.5,1e8,2e+,3.1,2.9\n", MS_EINPUT, "%s:2:4: n_tokens: expected a number, got \"2e+\""),
    E(HDR "0.5,0.5,1e8,2e9,1.2.3,2.9\n", MS_EINPUT, "%s:2:5: a_loss: expected a number, got \"1.2.3\""),
    E(HDR "0.5,0.5,1e8,2e9,--1,2.9\n", MS_EINPUT, "%s:2:5: a_loss: expected a number, got \"--1\""),
    E(HDR "0.5,0.5,1e8,2e9,.,2.9\n", MS_EINPUT, "%s:2:5: a_loss: expected a number, got \".\""),
    E(HDR "0.5,0.5,1e8,2e9,-,2.9\n", MS_EINPUT, "%s:2:5: a_loss: expected a number, got \"-\""),
    E(HDR "0.5,0.5,1e8,2e9,1 2,2.9\n", MS_EINPUT, "%s:2:5: a_loss: expected a number, got \"1 2\""),
    E(HDR "0.5,0.5,1e8,2e9,\"1,5\",2.9\n", MS_EINPUT, "%s:2:5: a_loss: expected a number, got \"1,5\""),
    E(HDR "0.5,0.5,1e8,2e9,1e5x,2.9\n", MS_EINPUT, "%s:2:5: a_loss: expected a number, got \"1e5x\""),
    E(HDR "0.5,0.5,1e8,2e9,infinityx,2.9\n", MS_EINPUT,
      "%s:2:5: a_loss: expected a number, got \"infinityx\""),
    E(HDR "0.5,0.5,1e8,2e9,nan,2.9\n", MS_EINPUT, "%s:2:5: a_loss: expected a finite number, got \"nan\""),
    E(HDR "0.5,0.5,1e8,2e9,3.1,NaN(1)\n", MS_EINPUT,
      "%s:2:6: b_loss: expected a finite number, got \"NaN(1)\""),
    E(HDR "0.5,0.5,inf,2e9,3.1,2.9\n", MS_EINPUT, "%s:2:3: model_size: expected a finite number, got \"inf\""),
    E(HDR "0.5,0.5,1e8,-Infinity,3.1,2.9\n", MS_EINPUT,
      "%s:2:4: n_tokens: expected a finite number, got \"-Infinity\""),
    E(HDR "0.5,0.5,1e999,2e9,3.1,2.9\n", MS_EINPUT,
      "%s:2:3: model_size: expected a finite number, got \"1e999\""),
    E(HDR "0.5,0.5,1e8,2e9,3.1,1.8e308\n", MS_EINPUT,
      "%s:2:6: b_loss: expected a finite number, got \"1.8e308\""),
    E(HDR "-0.5,1.5,1e8,2e9,3.1,2.9\n", MS_EINPUT, "%s:2:1: weight_a: expected a number >= 0, got \"-0.5\""),
    E(HDR "0.5,0.5,1e8,2e9,-3.1,2.9\n", MS_EINPUT, "%s:2:5: a_loss: expected a number >= 0, got \"-3.1\""),
    E(HDR "0.5,0.5,0,2e9,3.1,2.9\n", MS_EINPUT, "%s:2:3: model_size: expected a positive number, got \"0\""),
    E(HDR "0.5,0.5,1e8,-5,3.1,2.9\n", MS_EINPUT, "%s:2:4: n_tokens: expected a positive number, got \"-5\""),
    E(HDR "0.5,0.5,1e8,1e-999,3.1,2.9\n", MS_EINPUT,
      "%s:2:4: n_tokens: expected a positive number, got \"1e-999\""),
    E(HDR ",0.5,1e8,2e9,3.1,2.9\n", MS_EINPUT,
      "%s:2:1: weight_a: value missing (only loss cells may be empty)"),
    E(HDR "0.5,0.5,   ,2e9,3.1,2.9\n", MS_EINPUT,
      "%s:2:3: model_size: value missing (only loss cells may be empty)"),
    E(HDR "0.5,0.5,1e8,\"\",3.1,2.9\n", MS_EINPUT,
      "%s:2:4: n_tokens: value missing (only loss cells may be empty)"),
    E(HDR "0.5,0.5,1e8,\" \t\",3.1,2.9\n", MS_EINPUT,
      "%s:2:4: n_tokens: value missing (only loss cells may be empty)"),
    EO("mix_a,weight_b,model_size,n_tokens,a_loss,b_loss\n0.5,x,1,2,3,4\n", rename_mix, MS_EINPUT,
       "%s:2:2: weight_b: expected a number, got \"x\""),
    EO("mix_a,weight_b,model_size,n_tokens,a_loss,b_loss\nx,0.5,1,2,3,4\n", rename_mix, MS_EINPUT,
       "%s:2:1: mix_a: expected a number, got \"x\""),
    E(" weight_a ,weight_b,\" model_size\",n_tokens,a_loss,b_loss\n0.5,0.5,1e8,z,3.1,2.9\n",
      MS_EINPUT, "%s:2:4: n_tokens: expected a number, got \"z\""),
    /* weights */
    E(HDR ROW "0.5,0.6,1e8,2e9,3.1,2.9\n", MS_EINPUT,
      "%s:3:1: weights sum to 1.1, expected 1 within 0.001; renormalize to rescale"),
    E("model_size,weight_a,n_tokens,weight_b,a_loss,b_loss\n1e8,0.5,2e9,0.4989,3,3\n", MS_EINPUT,
      "%s:2:2: weights sum to 0.9989, expected 1 within 0.001; renormalize to rescale"),
    EO(HDR "0.5,0.8,1e8,2e9,3.1,2.9\n", tol_02, MS_EINPUT,
       "%s:2:1: weights sum to 1.3, expected 1 within 0.2; renormalize to rescale"),
    EO(HDR ROW "0,0,1e8,2e9,3.1,2.9\n", renormalize, MS_EINPUT,
       "%s:3:1: weights sum to 0, cannot renormalize"),
    EO(HDR "1e308,1e308,1e8,2e9,3.1,2.9\n", renormalize, MS_EINPUT,
       "%s:2:1: weights sum to inf, cannot renormalize"),
    /* quotes */
    E(HDR "0.5,\"0.5,1e8,2e9,3.1,2.9\n", MS_EINPUT, "%s:2: malformed CSV (unbalanced quote)"),
    E(HDR "0.5,\"0.5,1e8,2e9,3.1,2.9\n" ROW ROW, MS_EINPUT, "%s:2: malformed CSV (unbalanced quote)"),
    E(HDR ROW "0.5,0\"5,1e8,2e9,3.1,2.9\n", MS_EINPUT, "%s:3: malformed CSV (unbalanced quote)"),
    E(HDR "\"0.5\"x,0.5,1e8,2e9,3.1,2.9\n", MS_EINPUT, "%s:2: malformed CSV (unbalanced quote)"),
    E("weight_a,\"model_size\n", MS_EINPUT, "%s:1: malformed CSV (unbalanced quote)"),
    /* lines are physical lines: blank lines, CRLF, quoted line breaks */
    E("\r\n" HDR ROW "\r\n\r\n0.5,0.5,1e8,2e9,3.1,bad\r\n", MS_EINPUT,
      "%s:6:6: b_loss: expected a number, got \"bad\""),
    E("note," HDR "\"x\n\",0.5,0.5,1e8,2e9,3.1,2.9\nn,0.5,0.5,1e8,2e9,x,2.9\n", MS_EINPUT,
      "%s:4:6: a_loss: expected a number, got \"x\""),
    E("weight_a,model_size,n_tokens,a_loss\r1,1,1,1\r\r1,1,1,x\r", MS_EINPUT,
      "%s:4:4: a_loss: expected a number, got \"x\""),
    E("weight_a,model_size,n_tokens,a_loss\r\n1,1,1,1\n\r1,1,1,1\r\r\n1,1,1,x", MS_EINPUT,
      "%s:6:4: a_loss: expected a number, got \"x\""),
    EN("weight_a,model_size,n_tokens,a_loss\r1,1,1,1\r\n1,\0", MS_EINPUT,
       "%s:3:3: not a text file (NUL byte)"),
    E("weight_a,model_size,n_tokens,a_loss\r1,1,1,\"1\r\r\n", MS_EINPUT,
      "%s:2: malformed CSV (unbalanced quote)"),
    E(HDR "0.5,\"0.\n5\",1e8,2e9,3.1,2.9\n", MS_EINPUT,
      "%s:3:2: weight_b: expected a number, got \"0.\\x0A5\""),
};

static void test_bad_inputs(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        char path[512], name[64], want[2048];
        ms_sweep *s = (ms_sweep *)1;
        ms_diag d = {{0}};
        ms_status st;
        if (!c->csv || strcmp(c->csv, "/") == 0) {
            snprintf(path, sizeof path, "%s/%s", tu_tmpdir(), c->csv ? "adir" : "missing.csv");
            if (c->csv)
                mkdir(path, 0700);
            st = ms_sweep_load(path, NULL, &s, &d);
        } else {
            snprintf(name, sizeof name, "bad-%zu.csv", i);
            st = load_text(name, c->csv, c->len, c->setup, &s, &d, path, sizeof path);
        }
        snprintf(want, sizeof want, c->want, path);
        if (st != c->st || s != NULL || strcmp(d.msg, want) != 0) {
            print_error("%s:%d: status %d (want %d), out %s\n  got:  %s\n  want: %s\n",
                        __FILE__, c->line, (int)st, (int)c->st, s ? "set" : "NULL",
                        d.msg, want);
            failures++;
            if (s && s != (ms_sweep *)1)
                ms_sweep_free(s);
        }
    }
    assert_int_equal(failures, 0);
}

/* NULL diagnostics are allowed. */
static void test_null_diag(void **state)
{
    (void)state;
    char path[512];
    ms_sweep *s;
    assert_int_equal(load_text("nd.csv", HDR "x,1,1,1,1,1\n", 0, NULL, &s, NULL, path,
                               sizeof path),
                     MS_EINPUT);
    assert_null(s);
    assert_int_equal(load_text("nd.csv", HDR "0.5,0.5,1,1,1,1\n", 0, NULL, &s, NULL, path,
                               sizeof path),
                     MS_OK);
    ms_sweep_free(s);
    ms_sweep_free(NULL);
}

/* ---- accepted input ---- */

static void test_dialect(void **state)
{
    (void)state;
    /* BOM, quoted header and cells, CRLF, spaces around numbers (quoted or
     * not), "" inside quotes in an ignored column, blank lines in between
     * and at the end. */
    ms_sweep *s = load_ok("\xEF\xBB\xBF\"weight_a\", weight_b ,\"model_size\",n_tokens,"
                          "note,\"a_loss\",b_loss\r\n"
                          "\"0.25\", 0.75 ,\"122000000.0\",\t2e9 ,\"say \"\"hi\"\"\",\" 3.5 \",2.5\r\n"
                          "\r\n"
                          "  \r\n"
                          "1,0,1.3e9,3e10,\"a,b\nc\",+1.5,.5\r\n"
                          "\r\n\r\n\n",
                          NULL);
    assert_int_equal(s->K, 2);
    assert_int_equal(s->n_eval, 0);
    assert_int_equal(s->n, 2);
    assert_string_equal(s->domains[0], "a");
    assert_string_equal(s->domains[1], "b");
    assert_true(s->h[0] == 0.25 && s->h[1] == 0.75 && s->h[2] == 1 && s->h[3] == 0);
    assert_true(s->model_size[0] == 122000000.0 && s->model_size[1] == 1.3e9);
    assert_true(s->n_tokens[0] == 2e9 && s->n_tokens[1] == 3e10);
    assert_true(s->loss[0] == 3.5 && s->loss[1] == 2.5 && s->loss[2] == 1.5 && s->loss[3] == 0.5);
    assert_int_equal(s->line[0], 2);
    assert_int_equal(s->line[1], 5);
    assert_int_equal(s->n_missing, 0);
    assert_int_equal(s->n_renormalized, 0);
    ms_sweep_free(s);
}

/* FNV-1a 64 of all the bytes, BOM included. */
static uint64_t fnv(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    while (n--) {
        h ^= *p++;
        h *= 0x100000001b3u;
    }
    return h;
}

static void test_fingerprint_and_path(void **state)
{
    (void)state;
    const char *csv = "\xEF\xBB\xBF" HDR ROW;
    ms_sweep *s = load_ok(csv, NULL);
    assert_true(s->fingerprint == fnv((const unsigned char *)csv, strlen(csv)));
    assert_true(fnv((const unsigned char *)"a", 1) == 0xaf63dc4c8601ec8cu);
    assert_non_null(strstr(s->path, "/ok.csv"));
    ms_sweep *t = load_ok(HDR "0.5,0.5,1e8,2e9,3.1,2.8\n", NULL);
    assert_true(s->fingerprint != t->fingerprint);
    ms_sweep_free(s);
    ms_sweep_free(t);
}

static void test_eval_domains(void **state)
{
    (void)state;
    ms_sweep *s = load_ok("hermes_loss,weight_b,x,weight_a,model_size,n_tokens,a_loss,"
                          "code_loss,b_loss\n"
                          "9,0.25,junk,0.75,1e8,2e9,1,2,3\n",
                          NULL);
    assert_int_equal(s->K, 2);
    assert_int_equal(s->n_eval, 2);
    const char *want[] = {"b", "a", "hermes", "code"};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(s->domains[i], want[i]);
        assert_int_equal(ms_sweep_domain_index(s, want[i]), (long)i);
    }
    assert_int_equal(ms_sweep_domain_index(s, "A"), -1);
    assert_int_equal(ms_sweep_domain_index(s, "x"), -1);
    assert_true(s->h[0] == 0.25 && s->h[1] == 0.75);
    const double loss[] = {3, 1, 9, 2};
    for (size_t i = 0; i < 4; i++)
        assert_true(s->loss[i] == loss[i]);
    ms_sweep_free(s);
}

static void test_missing_losses(void **state)
{
    (void)state;
    ms_sweep *s = load_ok("weight_a,weight_b,model_size,n_tokens,a_loss,b_loss,c_loss\n"
                          "0.5,0.5,1e8,2e9,,2.9,1\n"
                          "0.5,0.5,1e8,2e9,\"\",,\n"
                          "0.5,0.5,1e8,2e9, ,2,\" \"\n"
                          "0.5,0.5,1e8,2e9,1,2,3\n",
                          NULL);
    assert_int_equal(s->n, 4);
    assert_int_equal(s->n_missing, 6);
    assert_int_equal(s->missing_by_domain[0], 3);
    assert_int_equal(s->missing_by_domain[1], 1);
    assert_int_equal(s->missing_by_domain[2], 2);
    const double nan = NAN;
    const double want[] = {nan, 2.9, 1, nan, nan, nan, nan, 2, nan, 1, 2, 3};
    for (size_t i = 0; i < 12; i++)
        if (!same_double(s->loss[i], want[i]))
            fail_msg("loss[%zu] = %g, want %g", i, s->loss[i], want[i]);
    ms_sweep_free(s);
}

static void assert_same_sweep(const ms_sweep *a, const ms_sweep *b)
{
    assert_int_equal(a->K, b->K);
    assert_int_equal(a->n_eval, b->n_eval);
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->K + a->n_eval; i++) {
        assert_string_equal(a->domains[i], b->domains[i]);
        assert_int_equal(a->missing_by_domain[i], b->missing_by_domain[i]);
    }
    assert_memory_equal(a->h, b->h, a->n * a->K * sizeof *a->h);
    assert_memory_equal(a->model_size, b->model_size, a->n * sizeof(double));
    assert_memory_equal(a->n_tokens, b->n_tokens, a->n * sizeof(double));
    for (size_t i = 0; i < a->n * (a->K + a->n_eval); i++)
        assert_true(same_double(a->loss[i], b->loss[i]));
    assert_memory_equal(a->line, b->line, a->n * sizeof *a->line);
    assert_int_equal(a->n_missing, b->n_missing);
}

static void test_column_order(void **state)
{
    (void)state;
    ms_sweep *a = load_ok("weight_a,weight_b,model_size,n_tokens,a_loss,b_loss,h_loss\n"
                          "0.25,0.75,1e8,2e9,3.1,,7\n"
                          "0.5,0.5,3e8,4e9,2.5,2.25,\n",
                          NULL);
    /* Same columns, every one moved; an ignored column added. */
    ms_sweep *b = load_ok("h_loss,b_loss,n_tokens,junk,weight_a,a_loss,model_size,weight_b\n"
                          "7,,2e9,x,0.25,3.1,1e8,0.75\n"
                          ",2.25,4e9,y,0.5,2.5,3e8,0.5\n",
                          NULL);
    assert_same_sweep(a, b);
    assert_true(a->fingerprint != b->fingerprint);
    ms_sweep_free(a);
    ms_sweep_free(b);
}

static void web_code_patterns(ms_sweep_opts *o)
{
    o->weight_pattern = "mix:{}";
    o->loss_pattern = "loss:{}";
    o->size_column = "params";
    o->tokens_column = "tokens";
}

static void web_code_renames(ms_sweep_opts *o)
{
    /* Simultaneous renames: a swap works, and "tokens" -> "n_tokens" does
     * not cascade into anything else. */
    static const char *const r[] = {"mix:web",  "weight_web",  "mix:code", "weight_code",
                                    "params",   "model_size", "tokens",   "n_tokens",
                                    "loss:web", "web_loss",   "loss:code", "code_loss",
                                    "a",        "b",          "b",         "a"};
    o->renames = r;
    o->n_renames = 8;
}

static void test_patterns_and_renames(void **state)
{
    (void)state;
    const char *csv = "loss:code,mix:web,a,params,tokens,mix:code,loss:web,b\n"
                      "2.5,0.7,1,1.2e8,2e9,0.3,3.5,2\n";
    ms_sweep *p = load_ok(csv, web_code_patterns);
    ms_sweep *r = load_ok(csv, web_code_renames);
    ms_sweep *plain = load_ok("weight_web,model_size,n_tokens,weight_code,web_loss,code_loss\n"
                              "0.7,1.2e8,2e9,0.3,3.5,2.5\n",
                              NULL);
    assert_int_equal(p->K, 2);
    assert_string_equal(p->domains[0], "web");
    assert_string_equal(p->domains[1], "code");
    assert_same_sweep(p, r);
    assert_same_sweep(p, plain);
    assert_true(p->model_size[0] == 1.2e8 && p->n_tokens[0] == 2e9);
    assert_true(p->loss[0] == 3.5 && p->loss[1] == 2.5);
    ms_sweep_free(p);
    ms_sweep_free(r);
    ms_sweep_free(plain);
}

static void rename_twice(ms_sweep_opts *o)
{
    /* The first rename of a name wins. */
    static const char *const r[] = {"mix_a", "weight_a", "mix_a", "weight_z"};
    o->renames = r;
    o->n_renames = 2;
}

static void test_rename_first_wins_and_unnamed_columns(void **state)
{
    (void)state;
    /* Unnamed columns (a pandas index, a trailing comma) may repeat. */
    ms_sweep *s = load_ok(",mix_a,model_size,,n_tokens,a_loss,\n"
                          "0,1,1e8,x,2e9,3,\n",
                          rename_twice);
    assert_int_equal(s->K, 1);
    assert_string_equal(s->domains[0], "a");
    assert_true(s->h[0] == 1 && s->loss[0] == 3);
    ms_sweep_free(s);
}

static void test_renormalize(void **state)
{
    (void)state;
    const char *csv = HDR "1,1,1e8,2e9,3,3\n"         /* sum 2: rescaled, counted */
                          "0.5,0.5,1e8,2e9,3,3\n"     /* exact: untouched */
                          "0.25,0.25,1e8,2e9,3,3\n"   /* sum 0.5 */
                          "0.5,0.5000000000000004,1e8,2e9,3,3\n" /* within 1e-12 */
                          "0,3,1e8,2e9,3,3\n";
    ms_sweep *s = load_ok(csv, renormalize);
    assert_int_equal(s->n, 5);
    assert_int_equal(s->n_renormalized, 3);
    const double want[] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    for (size_t i = 0; i < 6; i++)
        assert_true(s->h[i] == want[i]);
    assert_true(fabs(s->h[6] + s->h[7] - 1) < 1e-15);
    assert_true(s->h[8] == 0 && s->h[9] == 1);
    ms_sweep_free(s);

    /* Without the flag, values within the tolerance are kept as given. */
    s = load_ok(HDR "0.5,0.5009,1e8,2e9,3,3\n0.5,0.4991,1e8,2e9,3,3\n", NULL);
    assert_true(s->h[1] == 0.5009 && s->h[3] == 0.4991);
    assert_int_equal(s->n_renormalized, 0);
    ms_sweep_free(s);
}

static void test_lines(void **state)
{
    (void)state;
    /* A row's line is where its first cell starts, even when that cell
     * holds line breaks. */
    ms_sweep *s = load_ok("\n\n"                                  /* 1-2 */
                          "note," HDR                                /* 3 */
                          "\n"                                      /* 4 */
                          "n,0.5,0.5,1,1,1,1\n"                     /* 5 */
                          "\"x\ny\",0.5,0.5,1,1,1,1\n"               /* 6-7 */
                          "\n\n"                                    /* 8-9 */
                          "n,0.5,0.5,1,1,1,1\n"                     /* 10 */
                          "\"\n\n\",0.5,0.5,1,1,1,1",                /* 11-13 */
                          NULL);
    assert_int_equal(s->n, 4);
    const long want[] = {5, 6, 10, 11};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(s->line[i], want[i]);
    ms_sweep_free(s);
}

/* Lines and columns stay right where the reader's blocks split the file:
 * a CR LF cut in two, a lone CR, a quoted line break, a NUL just after. */
static char big[2 * MS_SWEEP_BLOCK];

/* Writes a header and rows ending in `term` so that exactly `at` bytes
 * precede `tail`, which follows; *before = lines before the tail. Returns
 * the path of the file. */
static const char *boundary_file(const char *term, size_t at, const char *tail,
                                 size_t tail_len, long *before)
{
    static const char row[] = ",0.5,0.5,1e8,2e9,3.1,2.9";
    size_t n = 0, t = strlen(term), r = strlen(row);
    long lines = 0;
    n += (size_t)sprintf(big, "note,weight_a,weight_b,model_size,n_tokens,a_loss,b_loss%s", term);
    lines++;
    while (n + 2 * (r + t) + 64 < at) {
        n += (size_t)sprintf(big + n, "n%s%s", row, term);
        lines++;
    }
    size_t pad = at - n - r - t; /* the last row's note fills the gap */
    memset(big + n, 'n', pad);
    n += pad;
    n += (size_t)sprintf(big + n, "%s%s", row, term);
    lines++;
    assert_int_equal(n, at);
    memcpy(big + n, tail, tail_len ? tail_len : strlen(tail));
    *before = lines;
    return tu_write_file("boundary.csv", big, n + (tail_len ? tail_len : strlen(tail)));
}

static void expect_error(const char *path, const char *fmt, long line)
{
    char want[1024];
    ms_sweep *s;
    ms_diag d;
    snprintf(want, sizeof want, fmt, path, line);
    assert_int_equal(ms_sweep_load(path, NULL, &s, &d), MS_EINPUT);
    assert_null(s);
    assert_string_equal(d.msg, want);
}

static void test_block_boundaries(void **state)
{
    (void)state;
    const size_t T = MS_SWEEP_BLOCK;
    const char *path, *bad = "%s:%ld:6: a_loss: expected a number, got \"bad\"";
    long nb;
    /* CR at T-1, LF at T: one line break, not two */
    path = boundary_file("\r\n", T + 1, "n,0.5,0.5,1e8,2e9,3.1,2.9\r\nn,0.5,0.5,1e8,2e9,bad,2.9\r\n", 0, &nb);
    expect_error(path, bad, nb + 2);
    path = boundary_file("\r\n", T + 1, "n,0.5\0", 7, &nb);
    expect_error(path, "%s:%ld:6: not a text file (NUL byte)", nb + 1);
    /* CR-only files, the CR on either side of the boundary */
    for (size_t at = T - 1; at <= T + 1; at++) {
        path = boundary_file("\r", at, "n,0.5,0.5,1e8,2e9,bad,2.9\r", 0, &nb);
        expect_error(path, bad, nb + 1);
        path = boundary_file("\n", at, "n,0.5,0.5,1e8,2e9,bad,2.9\n", 0, &nb);
        expect_error(path, bad, nb + 1);
    }
    /* a quoted line break across the boundary: the row starts on its line */
    const char *quoted = "\"a\r\nb\",0.5,0.5,1e8,2e9,3.1,2.9\r\n";
    path = boundary_file("\r\n", T - 3, quoted, 0, &nb);
    ms_sweep *s;
    ms_diag d;
    assert_int_equal(ms_sweep_load(path, NULL, &s, &d), MS_OK);
    assert_int_equal(s->n, nb);
    assert_int_equal(s->line[s->n - 1], nb + 1);
    assert_int_equal(s->line[s->n - 2], nb);
    ms_sweep_free(s);
    char tail[256];
    snprintf(tail, sizeof tail, "%sn,0.5,0.5,1e8,2e9,bad,2.9\r\n", quoted);
    path = boundary_file("\r\n", T - 3, tail, 0, &nb);
    expect_error(path, bad, nb + 3);
    path = boundary_file("\r", T - 3, "\"a\rb,c\r", 0, &nb);
    expect_error(path, "%s:%ld: malformed CSV (unbalanced quote)", nb + 1);
}

/* A file with more cells than fit in memory fails cleanly: run in a child
 * with a small address-space limit (not under ASan, which reserves
 * terabytes of address space up front). */
static void test_out_of_memory(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    print_message("skipped: address-space limits do not work under ASan\n");
    skip();
#else
    char path[512];
    snprintf(path, sizeof path, "%s/big-eval.csv", tu_tmpdir());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    enum { COLS = 4000, ROWS = 2000 };
    fputs("weight_a,model_size,n_tokens,a_loss", f);
    for (int j = 0; j < COLS; j++)
        fprintf(f, ",e%d_loss", j);
    fputc('\n', f);
    for (int r = 0; r < ROWS; r++) {
        fputs("1,1,1,1", f);
        for (int j = 0; j < COLS; j++)
            fputs(",1", f);
        fputc('\n', f);
    }
    fclose(f);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* The loss array alone needs 2000 x 4001 x 8 = 64 MB. */
        struct rlimit rl;
        FILE *st = fopen("/proc/self/statm", "r");
        unsigned long pages = 0;
        if (!st || fscanf(st, "%lu", &pages) != 1)
            _exit(3);
        fclose(st);
        rl.rlim_cur = rl.rlim_max = pages * (unsigned long)sysconf(_SC_PAGESIZE) + (24u << 20);
        if (setrlimit(RLIMIT_AS, &rl) != 0)
            _exit(3);
        ms_sweep *s;
        ms_diag d;
        char want[600];
        ms_status r = ms_sweep_load(path, NULL, &s, &d);
        snprintf(want, sizeof want, "%s: out of memory", path);
        _exit(r == MS_ENOMEM && s == NULL && strcmp(d.msg, want) == 0 ? 0 : 1);
    }
    int ws;
    assert_true(waitpid(pid, &ws, 0) == pid);
    assert_true(WIFEXITED(ws));
    assert_int_equal(WEXITSTATUS(ws), 0);
    /* and without the limit it loads */
    ms_sweep *s;
    ms_diag d;
    assert_int_equal(ms_sweep_load(path, NULL, &s, &d), MS_OK);
    assert_int_equal(s->n_eval, COLS);
    assert_int_equal(s->n, ROWS);
    ms_sweep_free(s);
    unlink(path);
#endif
}

/* strtod's fallback must not follow a comma-decimal LC_NUMERIC. */
static void test_locale(void **state)
{
    (void)state;
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                        "fr_FR.utf8",  "de_DE",      "fr_FR"};
    const char *got = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !got; i++)
        got = setlocale(LC_NUMERIC, names[i]);
    if (!got) {
        print_message("skipped: no comma-decimal locale installed\n");
        skip();
    }
    /* 25 digits: too many for the fast paths, so strtod parses it. */
    ms_sweep *s = load_ok(HDR "0.5,0.5,1e8,2e9,3.100000000000000000000000001,2.9\n", NULL);
    setlocale(LC_NUMERIC, "C");
    assert_true(s->loss[0] == 3.1);
    ms_sweep_free(s);
}

/* ---- the shared SlimPajama sweep ---- */

static void test_shared_slimpajama(void **state)
{
    (void)state;
    char path[1024];
    TU_SHARED_OR_SKIP(path, "slimpajama-7dom-upto937M.csv");
    ms_sweep *s;
    ms_diag d;
    if (ms_sweep_load(path, NULL, &s, &d) != MS_OK)
        fail_msg("%s", d.msg);
    assert_int_equal(s->K, 7);
    assert_int_equal(s->n, 2188);
    assert_int_equal(s->n_eval, 1);
    const char *want[] = {"arxiv", "book", "c4", "github", "commoncrawl",
                          "stackexchange", "wikipedia", "openhermes"};
    for (size_t i = 0; i < 8; i++)
        assert_string_equal(s->domains[i], want[i]);
    const double h0[] = {0.020000000000000004, 0.020000000000000004, 0.416923076923077,
                         0.020000000000000004, 0.3507692307692308, 0.020000000000000004,
                         0.1523076923076923};
    const double l0[] = {3.014416003227234, 4.126948618888855, 4.137450978755951,
                         2.6031089413166044, 4.059069874286652, 3.4099873805046084,
                         3.4969035458564757, 3.37936190366745};
    for (size_t i = 0; i < 7; i++)
        assert_true(s->h[i] == h0[i]);
    for (size_t i = 0; i < 8; i++)
        assert_true(s->loss[i] == l0[i]);
    assert_true(s->model_size[0] == 122000000.0 && s->n_tokens[0] == 1998000000.0);
    assert_int_equal(s->line[0], 2);
    assert_int_equal(s->line[s->n - 1], 2189);
    size_t missing = 0;
    for (size_t r = 0; r < s->n; r++) {
        double sum = 0;
        for (size_t k = 0; k < s->K; k++) {
            assert_true(s->h[r * s->K + k] >= 0.02 - 1e-12);
            sum += s->h[r * s->K + k];
        }
        assert_true(fabs(sum - 1) <= 1e-3);
        assert_true(s->model_size[r] >= 122e6 && s->model_size[r] <= 937e6);
        for (size_t k = 0; k < 8; k++)
            missing += isnan(s->loss[r * 8 + k]);
    }
    assert_int_equal(missing, s->n_missing);
    assert_int_equal(s->n_renormalized, 0);
    /* The fingerprint is FNV-1a over the file's bytes. */
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static unsigned char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(s->fingerprint == fnv(buf, n));
    ms_sweep_free(s);
}

/* ---- the number parser against strtod ---- */

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int check_number(const char *text, int *bad)
{
    double got = -12345, want;
    char *end;
    errno = 0;
    want = strtod(text, &end);
    ms_num_status st = ms_sweep_parse_number(text, strlen(text), &got);
    ms_num_status expect = isfinite(want) ? MS_NUM_OK : MS_NUM_NONFINITE;
    if (st != expect || (st == MS_NUM_OK && memcmp(&got, &want, sizeof got) != 0)) {
        if ((*bad)++ < 10)
            print_error("\"%s\": got %.17g (status %d), strtod %.17g\n", text, got, (int)st, want);
        return 0;
    }
    return 1;
}

/* Random decimal strings: 1-25 digits, a point anywhere, exponents that
 * reach every path (Clinger, Eisel-Lemire, strtod, subnormal, overflow). */
static void random_decimal(uint64_t *s, char *out, size_t cap)
{
    size_t nd = 1 + rng(s) % 25, o = 0, point = rng(s) % (nd + 1);
    if (rng(s) % 4 == 0)
        out[o++] = rng(s) % 2 ? '-' : '+';
    for (size_t i = 0; i < nd; i++) {
        if (i == point && i > 0)
            out[o++] = '.';
        uint64_t r = rng(s) % 16;
        out[o++] = (char)('0' + (r < 10 ? r : r < 13 ? 0 : 9)); /* runs of 0s and 9s */
    }
    out[o] = 0;
    int kind = (int)(rng(s) % 8);
    if (kind < 5) {
        long e = (long)(rng(s) % 61) - 30;
        if (kind == 4)
            e = (long)(rng(s) % 700) - 350;
        snprintf(out + o, cap - o, "%c%ld", rng(s) % 2 ? 'e' : 'E', e);
    }
}

static void test_number_parser_vs_strtod(void **state)
{
    (void)state;
    static const char *const fixed[] = {
        "0", "-0", "0.0", "00012", "1", "0.1", "0.2", "0.3", "1e23", "9007199254740993",
        "9007199254740992", "9007199254740991", "18446744073709551615", "18446744073709551616",
        "1234567890123456789", "12345678901234567890", "0.020000000000000004",
        "3.014416003227234", "2.6031089413166044", "122000000.0", "1998000000.0",
        "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
        "2.2250738585072011e-308", "2.2250738585072014e-308", "1.7976931348623157e308",
        "1.7976931348623158e308", "1.7976931348623159e308", "1e-400", "1e400",
        "7.2057594037927933e16", "5e-324", "1e22", "1e-22", "123456789e-30",
        "0.000000000000000000000000000000000000000000000000000001",
        "100000000000000000000000000000000", "9.999999999999999e22", "8.98846567431158e307",
        "2.2250738585072012e-308", "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126", ".5", "5.", "+.5e+1",
        "  7 ", "\t-2.5e-3\t", "0.30000000000000004", "1e-64", "1e64", "1e-65", "1e65",
        "12345678.12345678", "1234567812345678", "0.1234567812345678123",
    };
    int bad = 0;
    size_t ok = 0;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        ok += check_number(fixed[i], &bad);
    uint64_t s = 0x2545F4914F6CDD1Du;
    char text[96];
    for (int i = 0; i < 300000; i++) {
        random_decimal(&s, text, sizeof text);
        ok += check_number(text, &bad);
    }
    for (int i = 0; i < 300000; i++) {
        /* Round trips of random doubles at every precision. */
        uint64_t bits = rng(&s);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        snprintf(text, sizeof text, "%.*g", 1 + (int)(rng(&s) % 17), v);
        ok += check_number(text, &bad);
        snprintf(text, sizeof text, "%.17g", 1 + 3 * (double)(rng(&s) >> 11) * 0x1p-53);
        ok += check_number(text, &bad);
    }
    if (bad)
        fail_msg("%d of %zu numbers differ from strtod", bad, ok + (size_t)bad);
}

static void test_number_grammar(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "0x10", "0x1p3", "1e", "1e+", "e5", ".", "+", "-", "+-1", "1..2", "1.2.3", "1,5",
        "1 2", "1e5.5", "1_000", "١", "1e5e5", "--1", "0b1", "12a", "a12", "1d5", "1f",
        ".e1", "\"1\"", "1\n",
    };
    static const char *const nonfinite[] = {"nan", "NAN", "-nan", "inf", "-inf", "Infinity",
                                            "+INF", "nan(0x1)", "1e309", "-1e309"};
    static const char *const empty[] = {"", " ", "\t \t"};
    double v = 42;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (ms_sweep_parse_number(bad[i], strlen(bad[i]), &v) != MS_NUM_BAD)
            fail_msg("\"%s\" should be rejected", bad[i]);
    for (size_t i = 0; i < sizeof nonfinite / sizeof nonfinite[0]; i++)
        if (ms_sweep_parse_number(nonfinite[i], strlen(nonfinite[i]), &v) != MS_NUM_NONFINITE)
            fail_msg("\"%s\" should be non-finite", nonfinite[i]);
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
        assert_int_equal(ms_sweep_parse_number(empty[i], strlen(empty[i]), &v), MS_NUM_EMPTY);
    assert_true(v == 42); /* untouched on failure */
    /* The length bounds the text: "2.5" out of "2.5,9". */
    assert_int_equal(ms_sweep_parse_number("2.5,9", 3, &v), MS_NUM_OK);
    assert_true(v == 2.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_null_diag),
        cmocka_unit_test(test_dialect),
        cmocka_unit_test(test_fingerprint_and_path),
        cmocka_unit_test(test_eval_domains),
        cmocka_unit_test(test_missing_losses),
        cmocka_unit_test(test_column_order),
        cmocka_unit_test(test_patterns_and_renames),
        cmocka_unit_test(test_rename_first_wins_and_unnamed_columns),
        cmocka_unit_test(test_renormalize),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_block_boundaries),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_locale),
        cmocka_unit_test(test_shared_slimpajama),
        cmocka_unit_test(test_number_parser_vs_strtod),
        cmocka_unit_test(test_number_grammar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
