#include "mixscope/fitfile.h"
#include "mixscope/atomic.h"
#include "mixscope/version.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keys the reader interprets; everything else is kept in meta. */
static const char *const own_keys[] = {"law", "units", "domains", "params",
                                       "h_min", "version"};

ms_fit *ms_fit_new(const ms_law_def *def, size_t K, const char *const *domains)
{
    ms_fit *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->law = ms_law_make(def, K);
    f->domains = calloc(K ? K : 1, sizeof *f->domains);
    f->theta = calloc(f->law.n_params ? f->law.n_params : 1, sizeof *f->theta);
    f->meta = json_object();
    if (!f->domains || !f->theta || !f->meta) {
        ms_fit_free(f);
        return NULL;
    }
    for (size_t i = 0; i < K; i++) {
        f->domains[i] = strdup(domains[i]);
        if (!f->domains[i]) {
            ms_fit_free(f);
            return NULL;
        }
    }
    return f;
}

void ms_fit_free(ms_fit *f)
{
    if (!f)
        return;
    if (f->domains)
        for (size_t i = 0; i < f->law.K; i++)
            free(f->domains[i]);
    free(f->domains);
    free(f->theta);
    json_decref(f->meta);
    free(f);
}

long ms_fit_domain_index(const ms_fit *f, const char *name)
{
    for (size_t i = 0; i < f->law.K; i++)
        if (strcmp(f->domains[i], name) == 0)
            return (long)i;
    return -1;
}

static const char *kind_text(ms_kind k)
{
    return k == MS_KIND_POSITIVE ? "a number > 0"
           : k == MS_KIND_NONNEG ? "a number >= 0" : "a finite number";
}

static int kind_ok(ms_kind k, double v)
{
    if (!isfinite(v))
        return 0;
    return k == MS_KIND_POSITIVE ? v > 0 : k == MS_KIND_NONNEG ? v >= 0 : 1;
}

ms_status ms_fit_check_params(const ms_fit *f, const char *what, ms_diag *d)
{
    const ms_law *law = &f->law;
    for (size_t g = 0, j = 0; g < law->def->n_groups; g++) {
        const ms_param_group *pg = &law->def->groups[g];
        size_t n = ms_law_group_size(pg, law->K);
        for (size_t k = 0; k < n; k++, j++) {
            if (kind_ok(pg->kind, f->theta[j]))
                continue;
            char label[256];
            ms_law_param_label(law, j, (const char *const *)f->domains, label,
                               sizeof label);
            return ms_diag_set(d, MS_EINPUT, what, 0, 0,
                               "parameter %s: expected %s, got %g", label,
                               kind_text(pg->kind), f->theta[j]);
        }
    }
    return MS_OK;
}

/* Reads `n` numbers from a JSON array into out; `key` names it in errors. */
static ms_status read_numbers(const char *path, const char *key,
                              const json_t *arr, size_t n, const char *unit,
                              double *out, ms_diag *d)
{
    if (!json_is_array(arr) || json_array_size(arr) != n)
        return ms_diag_set(d, MS_EINPUT, path, 0, 0,
                           "%s: expected an array of %zu numbers (one per %s), got %s",
                           key, n, unit,
                           json_is_array(arr) ? "an array of another length" : "something else");
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(arr, i);
        if (!json_is_number(v))
            return ms_diag_set(d, MS_EINPUT, path, 0, 0,
                               "%s[%zu]: expected a number", key, i);
        out[i] = json_number_value(v);
    }
    return MS_OK;
}

static ms_status read_group(const char *path, const json_t *params,
                            const ms_param_group *pg, size_t K, double *out,
                            ms_diag *d)
{
    char key[96];
    snprintf(key, sizeof key, "params.%s", pg->name);
    const json_t *v = json_object_get(params, pg->name);
    if (!v)
        return ms_diag_set(d, MS_EINPUT, path, 0, 0, "missing key \"%s\"", key);
    if (pg->shape == MS_SHAPE_SCALAR) {
        if (!json_is_number(v))
            return ms_diag_set(d, MS_EINPUT, path, 0, 0, "%s: expected a number", key);
        *out = json_number_value(v);
        return MS_OK;
    }
    if (pg->shape == MS_SHAPE_DOMAIN)
        return read_numbers(path, key, v, K, "domain", out, d);
    if (!json_is_array(v) || json_array_size(v) != K)
        return ms_diag_set(d, MS_EINPUT, path, 0, 0,
                           "%s: expected %zu rows of %zu numbers (a domain x domain matrix)",
                           key, K, K);
    for (size_t i = 0; i < K; i++) {
        char rkey[128];
        snprintf(rkey, sizeof rkey, "%s[%zu]", key, i);
        ms_status st = read_numbers(path, rkey, json_array_get(v, i), K, "domain",
                                    out + i * K, d);
        if (st != MS_OK)
            return st;
    }
    return MS_OK;
}

typedef struct {
    const char *s;
    size_t i;
} named;

static int by_name(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The earliest name in `names` that repeats an earlier one, or NULL.
 * Sorted, so a file with a huge domain list costs O(K log K), not O(K^2). */
static const char *first_repeat(const char **names, size_t K, int *oom)
{
    named *v = malloc(K * sizeof *v);
    const char *rep = NULL;
    size_t at = SIZE_MAX;
    *oom = !v;
    for (size_t i = 0; v && i < K; i++)
        v[i] = (named){names[i], i};
    if (v)
        qsort(v, K, sizeof *v, by_name);
    for (size_t i = 1; v && i < K; i++)
        if (strcmp(v[i].s, v[i - 1].s) == 0 && (i < 2 || strcmp(v[i].s, v[i - 2].s) != 0) &&
            v[i].i < at) {
            at = v[i].i;
            rep = v[i].s;
        }
    free(v);
    return rep;
}

static ms_status read_domains(const char *path, const json_t *arr,
                              const char ***names, size_t *K, ms_diag *d)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return ms_diag_set(d, MS_EINPUT, path, 0, 0,
                           "\"domains\": expected a non-empty array of names");
    *K = json_array_size(arr);
    *names = calloc(*K, sizeof **names);
    if (!*names)
        return ms_diag_set(d, MS_ENOMEM, path, 0, 0, "out of memory");
    for (size_t i = 0; i < *K; i++) {
        const char *s = json_string_value(json_array_get(arr, i));
        if (!s || !*s)
            return ms_diag_set(d, MS_EINPUT, path, 0, 0,
                               "domains[%zu]: expected a non-empty string", i);
        for (const unsigned char *c = (const unsigned char *)s; *c; c++)
            if (*c < 0x20 || *c == 0x7F || (c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F))
                return ms_diag_set(d, MS_EINPUT, path, 0, 0,
                                   "domains[%zu]: a name must not contain control characters",
                                   i);
        (*names)[i] = s;
    }
    int oom;
    const char *rep = first_repeat(*names, *K, &oom);
    if (oom)
        return ms_diag_set(d, MS_ENOMEM, path, 0, 0, "out of memory");
    if (rep)
        return ms_diag_set(d, MS_EINPUT, path, 0, 0, "domains: \"%s\" appears twice", rep);
    return MS_OK;
}

static ms_status check_units(const char *path, const json_t *units, ms_diag *d)
{
    if (!units)
        return MS_OK;
    static const char *const want[2][2] = {{"N", MS_UNITS_N}, {"D", MS_UNITS_D}};
    for (int k = 0; k < 2; k++) {
        const char *s = json_string_value(json_object_get(units, want[k][0]));
        if (s && strcmp(s, want[k][1]) != 0)
            return ms_diag_set(d, MS_EINPUT, path, 0, 0,
                               "units.%s is \"%s\"; mixscope's laws use \"%s\"",
                               want[k][0], s, want[k][1]);
    }
    return MS_OK;
}

static ms_status fit_from_json(const char *path, json_t *root, ms_fit **out,
                               ms_diag *d)
{
    if (!json_is_object(root))
        return ms_diag_set(d, MS_EINPUT, path, 0, 0, "expected a JSON object at the top level");
    const char *lawname = json_string_value(json_object_get(root, "law"));
    if (!lawname)
        return ms_diag_set(d, MS_EINPUT, path, 0, 0, "missing key \"law\" (a law name such as \"capnoise\")");
    const ms_law_def *def = ms_law_find(lawname);
    if (!def)
        return ms_diag_set(d, MS_EINPUT, path, 0, 0, "unknown law \"%s\"", lawname);
    ms_status st = check_units(path, json_object_get(root, "units"), d);
    const json_t *params = json_object_get(root, "params");
    if (st == MS_OK && !json_is_object(params))
        st = ms_diag_set(d, MS_EINPUT, path, 0, 0, "missing key \"params\" (an object)");
    const char **names = NULL;
    size_t K = 0;
    if (st == MS_OK)
        st = read_domains(path, json_object_get(root, "domains"), &names, &K, d);
    ms_fit *f = NULL;
    if (st == MS_OK && !(f = ms_fit_new(def, K, names)))
        st = ms_diag_set(d, MS_ENOMEM, path, 0, 0, "out of memory");
    free(names);
    for (size_t g = 0, off = 0; st == MS_OK && g < def->n_groups; g++) {
        st = read_group(path, params, &def->groups[g], K, f->theta + off, d);
        off += ms_law_group_size(&def->groups[g], K);
    }
    const json_t *hmin = json_object_get(root, "h_min");
    if (st == MS_OK && hmin) {
        double v = json_number_value(hmin);
        if (!json_is_number(hmin) || !(v > 0 && v < 1))
            st = ms_diag_set(d, MS_EINPUT, path, 0, 0, "h_min: expected a number in (0, 1)");
        else
            f->law.h_min = v;
    }
    if (st == MS_OK)
        st = ms_fit_check_params(f, path, d);
    if (st == MS_OK) {
        json_object_update(f->meta, root);
        for (size_t k = 0; k < sizeof own_keys / sizeof own_keys[0]; k++)
            json_object_del(f->meta, own_keys[k]);
        *out = f;
        return MS_OK;
    }
    ms_fit_free(f);
    return st;
}

ms_status ms_fit_read(const char *path, ms_fit **out, ms_diag *d)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ms_diag_set(d, MS_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    json_error_t err;
    json_t *root = json_loadf(fp, JSON_REJECT_DUPLICATES, &err);
    fclose(fp);
    if (!root)
        return err.line > 0
                   ? ms_diag_set(d, MS_EINPUT, path, err.line, err.column > 0 ? err.column : 1,
                                 "%s", err.text)
                   : ms_diag_set(d, MS_EINPUT, path, 0, 0, "%s", err.text);
    ms_status st = fit_from_json(path, root, out, d);
    json_decref(root);
    return st;
}

static json_t *numbers(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_real(v[i]));
    return a;
}

json_t *ms_fit_to_json(const ms_fit *f)
{
    const ms_law *law = &f->law;
    json_t *root = json_deep_copy(f->meta);
    json_t *params = json_object(), *doms = json_array(), *units = json_object();
    if (!root || !params || !doms || !units) {
        json_decref(root);
        json_decref(params);
        json_decref(doms);
        json_decref(units);
        return NULL;
    }
    for (size_t i = 0; i < law->K; i++)
        json_array_append_new(doms, json_string(f->domains[i]));
    for (size_t g = 0, off = 0; g < law->def->n_groups; g++) {
        const ms_param_group *pg = &law->def->groups[g];
        json_t *v;
        if (pg->shape == MS_SHAPE_SCALAR)
            v = json_real(f->theta[off]);
        else if (pg->shape == MS_SHAPE_DOMAIN)
            v = numbers(f->theta + off, law->K);
        else {
            v = json_array();
            for (size_t i = 0; v && i < law->K; i++)
                json_array_append_new(v, numbers(f->theta + off + i * law->K, law->K));
        }
        json_object_set_new(params, pg->name, v);
        off += ms_law_group_size(pg, law->K);
    }
    json_object_set_new(units, "N", json_string(MS_UNITS_N));
    json_object_set_new(units, "D", json_string(MS_UNITS_D));
    json_object_set_new(root, "law", json_string(law->def->name));
    json_object_set_new(root, "units", units);
    json_object_set_new(root, "domains", doms);
    json_object_set_new(root, "params", params);
    json_object_set_new(root, "h_min", json_real(law->h_min));
    json_object_set_new(root, "version", json_string("mixscope " MIXSCOPE_VERSION));
    return root;
}

static int write_json(FILE *f, void *ctx)
{
    if (json_dumpf((const json_t *)ctx, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0)
        return -1;
    return fputc('\n', f) == EOF ? -1 : 0;
}

ms_status ms_fit_write(const char *path, const ms_fit *f, ms_diag *d)
{
    /* jansson has no NaN or infinity: json_real() would return NULL and
     * the parameter would silently go missing from the file. A file that
     * ms_fit_read would refuse is never written. */
    ms_diag pd;
    if (ms_fit_check_params(f, NULL, &pd) != MS_OK)
        return ms_diag_set(d, MS_ENUMERIC, path, 0, 0, "not writing the fit: %s", pd.msg);
    if (!(f->law.h_min > 0 && f->law.h_min < 1))
        return ms_diag_set(d, MS_ENUMERIC, path, 0, 0,
                           "not writing the fit: h_min is %g, expected a number in (0, 1)",
                           f->law.h_min);
    json_t *root = ms_fit_to_json(f);
    if (!root)
        return ms_diag_set(d, MS_ENOMEM, path, 0, 0, "out of memory");
    ms_status st = ms_atomic_write(path, write_json, root, d);
    json_decref(root);
    return st;
}
