/* Residuals and their Jacobian for the fitter (fit_impl.h). */
#include "core/fit_impl.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A residual that cannot be computed (the law left the finite range at a
 * trial point): large and finite, so the trust region rejects the step and
 * shrinks instead of failing the start. */
#define BAD_RESIDUAL 1e3

static ms_status count_cells(fit_setup *fs, const ms_problem *p, double mask)
{
    const size_t K = p->K;
    size_t n_frows = 0;
    fs->frun = malloc((p->n_runs + 1) * sizeof *fs->frun);
    fs->frow_start = malloc((p->n_runs + 1) * sizeof *fs->frow_start);
    fs->frow = malloc((p->n_rows + 1) * sizeof *fs->frow);
    fs->cell_start = malloc((p->n_rows + 1) * sizeof *fs->cell_start);
    fs->cell_dom = malloc((p->n_rows * K + 1) * sizeof *fs->cell_dom);
    if (!fs->frun || !fs->frow_start || !fs->frow || !fs->cell_start || !fs->cell_dom)
        return MS_ENOMEM;
    fs->n_fruns = fs->n_cells = fs->max_rows = 0;
    for (size_t u = 0; u < p->n_runs; u++) {
        size_t before = n_frows;
        const double *h = p->run_h + u * K;
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++) {
            if (p->role[k] != MS_ROLE_TRAIN || p->weight[k] <= 0)
                continue;
            size_t c0 = fs->n_cells;
            for (size_t i = 0; i < K; i++)
                if (!isnan(p->obs[k * K + i]) && h[i] >= mask &&
                    (fs->resid == MS_RESID_ABSOLUTE || p->obs[k * K + i] > 0))
                    fs->cell_dom[fs->n_cells++] = (unsigned)i;
            if (fs->n_cells == c0)
                continue;
            fs->cell_start[n_frows] = c0;
            fs->frow[n_frows++] = k;
        }
        if (n_frows == before)
            continue;
        fs->frun[fs->n_fruns] = u;
        fs->frow_start[fs->n_fruns++] = before;
        if (n_frows - before > fs->max_rows)
            fs->max_rows = n_frows - before;
    }
    fs->frow_start[fs->n_fruns] = n_frows;
    fs->cell_start[n_frows] = fs->n_cells;
    return MS_OK;
}

ms_status fit_setup_build(fit_setup *fs, const ms_problem *p, const ms_law *law,
                          const ms_fit_opts *o)
{
    memset(fs, 0, sizeof *fs);
    fs->p = p;
    fs->law = *law;
    fs->resid = o->resid;
    fs->huber = o->huber;
    fs->P = law->n_params;
    fs->is_log = malloc(fs->P ? fs->P : 1);
    if (!fs->is_log)
        return MS_ENOMEM;
    for (size_t g = 0, j = 0; g < law->def->n_groups; g++) {
        const ms_param_group *pg = &law->def->groups[g];
        for (size_t k = 0; k < ms_law_group_size(pg, law->K); k++)
            fs->is_log[j++] = pg->kind != MS_KIND_REAL;
    }
    return count_cells(fs, p, o->mask);
}

/* Residual cells at distinct points: a row that repeats the run and
 * token count of the row before it (a duplicated line) adds no
 * information. */
static size_t distinct_cells(const fit_setup *fs)
{
    const ms_problem *p = fs->p;
    size_t n = 0;
    for (size_t q = 0; q < fs->n_fruns; q++)
        for (size_t r = fs->frow_start[q]; r < fs->frow_start[q + 1]; r++)
            if (r == fs->frow_start[q] || p->D[fs->frow[r]] != p->D[fs->frow[r - 1]])
                n += fs->cell_start[r + 1] - fs->cell_start[r];
    return n;
}

/* Training cells a relative fit leaves out because their loss is 0. */
static size_t zero_losses(const ms_problem *p, const ms_fit_opts *o)
{
    size_t n = 0;
    for (size_t u = 0; o->resid == MS_RESID_RELATIVE && u < p->n_runs; u++)
        for (size_t k = p->run_first[u]; k < p->run_first[u] + p->run_count[u]; k++)
            for (size_t i = 0; p->role[k] == MS_ROLE_TRAIN && p->weight[k] > 0 && i < p->K; i++)
                n += p->obs[k * p->K + i] == 0 && p->run_h[u * p->K + i] >= o->mask;
    return n;
}

ms_status fit_setup_check(const fit_setup *fs, const ms_fit_opts *o, ms_diag *d)
{
    const ms_law *law = &fs->law;
    size_t distinct = distinct_cells(fs);
    if (fs->n_cells < law->n_params) {
        size_t zeros = zero_losses(fs->p, o);
        char why[96] = "";
        if (zeros)
            snprintf(why, sizeof why, "; %zu losses of 0 left out: relative residuals "
                     "divide by the loss", zeros);
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "cannot fit %s: %zu observed losses to fit for %zu parameters "
                           "(need at least as many observations as parameters%s)",
                           law->def->name, fs->n_cells, law->n_params, why);
    }
    if (distinct < law->n_params)
        return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                           "cannot fit %s: %zu distinct observed losses for %zu parameters "
                           "(the other %zu repeat a row with the same mixture, size and tokens)",
                           law->def->name, distinct, law->n_params, fs->n_cells - distinct);
    for (size_t i = 0; i < law->K; i++) {
        size_t n = 0;
        for (size_t c = 0; c < fs->n_cells && !n; c++)
            n += fs->cell_dom[c] == i;
        if (!n)
            return ms_diag_set(d, MS_EINPUT, NULL, 0, 0,
                               "cannot fit %s: no training row has a loss to fit for domain "
                               "\"%s\" (with a weight >= the mask %g%s): its parameters "
                               "would be arbitrary",
                               law->def->name, fs->p->domains[i], o->mask,
                               o->resid == MS_RESID_RELATIVE ? " and a loss > 0" : "");
    }
    return MS_OK;
}

void fit_setup_done(fit_setup *fs)
{
    free(fs->is_log), free(fs->frun), free(fs->frow_start), free(fs->frow);
    free(fs->cell_start), free(fs->cell_dom);
    memset(fs, 0, sizeof *fs);
}

ms_status fit_worker_init(fit_worker *w, const fit_setup *fs)
{
    const size_t K = fs->law.K, R = fs->max_rows ? fs->max_rows : 1, P = fs->P;
    memset(w, 0, sizeof *w);
    w->fs = fs;
    w->theta = malloc(P * sizeof *w->theta);
    w->D = malloc(R * sizeof *w->D);
    w->loss = malloc(R * K * sizeof *w->loss);
    w->jac = malloc(R * K * P * sizeof *w->jac);
    w->work = malloc(ms_law_work_size(&fs->law) * sizeof *w->work);
    w->J_at = malloc(P * sizeof *w->J_at);
    w->nz = malloc(P * sizeof *w->nz);
    w->jrow = malloc(P * sizeof *w->jrow);
    if (fs->n_cells * P * sizeof(double) <= FIT_JCACHE_BYTES)
        w->J = malloc((fs->n_cells ? fs->n_cells : 1) * P * sizeof *w->J);
    if (!w->theta || !w->D || !w->loss || !w->jac || !w->work || !w->J_at || !w->nz ||
        !w->jrow) {
        fit_worker_done(w);
        return MS_ENOMEM;
    }
    return MS_OK;
}

void fit_worker_done(fit_worker *w)
{
    free(w->theta), free(w->D), free(w->loss), free(w->jac), free(w->work);
    free(w->J), free(w->J_at), free(w->nz), free(w->jrow);
    w->theta = w->D = w->loss = w->jac = w->work = w->J = w->J_at = w->jrow = NULL;
    w->nz = NULL;
}

void fit_theta_from_u(const fit_setup *fs, const double *u, double *theta)
{
    for (size_t j = 0; j < fs->P; j++)
        theta[j] = fs->is_log[j] ? exp(u[j]) : u[j];
}

void fit_u_from_theta(const fit_setup *fs, const double *theta, double *u)
{
    for (size_t j = 0; j < fs->P; j++)
        u[j] = fs->is_log[j] ? log(theta[j]) : theta[j];
}

/* Raw residual of a cell and, through the Huber function, the residual the
 * solver sees (*r) and d(*r)/d(raw) (*dr). */
static void cell_residual(const fit_setup *fs, double pred, double obs, double w,
                          double *r, double *scale)
{
    double s = fs->resid == MS_RESID_RELATIVE ? w / obs : w;
    double raw = (pred - obs) * s;
    *r = raw;
    *scale = s;
    if (fs->huber > 0 && fabs(raw) > fs->huber) {
        double delta = fs->huber, mag = sqrt(2 * delta * fabs(raw) - delta * delta);
        *r = raw > 0 ? mag : -mag;
        *scale = s * delta / mag;
    }
}

/* Evaluates fitted run q (its rows' losses, and Jacobians if jac). */
static ms_status eval_frun(fit_worker *w, size_t q, int jac)
{
    const fit_setup *fs = w->fs;
    const ms_problem *p = fs->p;
    size_t u = fs->frun[q], r0 = fs->frow_start[q], nr = fs->frow_start[q + 1] - r0;
    for (size_t k = 0; k < nr; k++)
        w->D[k] = p->D[fs->frow[r0 + k]];
    return ms_law_eval_run(&fs->law, w->theta, p->run_h + u * p->K, p->run_N[u], w->D, nr,
                           w->loss, jac ? w->jac : NULL, w->work, &w->d);
}

int fit_f(const gsl_vector *uv, void *params, gsl_vector *f)
{
    fit_worker *w = params;
    const fit_setup *fs = w->fs;
    const size_t K = fs->law.K;
    fit_theta_from_u(fs, uv->data, w->theta);
    for (size_t q = 0; q < fs->n_fruns; q++) {
        int ok = eval_frun(w, q, 0) == MS_OK;
        for (size_t k = fs->frow_start[q]; k < fs->frow_start[q + 1]; k++) {
            size_t row = fs->frow[k], k0 = k - fs->frow_start[q];
            for (size_t c = fs->cell_start[k]; c < fs->cell_start[k + 1]; c++) {
                double r, s, obs = fs->p->obs[row * K + fs->cell_dom[c]];
                double pred = ok ? w->loss[k0 * K + fs->cell_dom[c]] : NAN;
                cell_residual(fs, pred, obs, fs->p->weight[row], &r, &s);
                gsl_vector_set(f, c, isfinite(r) ? r : BAD_RESIDUAL);
            }
        }
    }
    return GSL_SUCCESS;
}

/* Calls visit(c, row) with each residual's Jacobian row (u-space) at u:
 * from the cache when it holds this point, else computed (and cached when
 * there is room). */
typedef void (*jrow_fn)(size_t c, const double *row, void *ctx);

static void jac_compute_row(fit_worker *w, size_t row, size_t k0, size_t i, double *out)
{
    const fit_setup *fs = w->fs;
    const size_t K = fs->law.K, P = fs->P;
    double r, s, obs = fs->p->obs[row * K + i];
    cell_residual(fs, w->loss[k0 * K + i], obs, fs->p->weight[row], &r, &s);
    const double *g = w->jac + (k0 * K + i) * P;
    for (size_t j = 0; j < P; j++) {
        double v = s * g[j] * (fs->is_log[j] ? w->theta[j] : 1);
        out[j] = isfinite(v) ? v : 0;
    }
}

static void jac_rows(fit_worker *w, const double *u, jrow_fn visit, void *ctx)
{
    const fit_setup *fs = w->fs;
    const size_t P = fs->P;
    if (w->J && w->J_valid && memcmp(w->J_at, u, P * sizeof *u) == 0) {
        for (size_t c = 0; c < fs->n_cells; c++)
            visit(c, w->J + c * P, ctx);
        return;
    }
    fit_theta_from_u(fs, u, w->theta);
    for (size_t q = 0; q < fs->n_fruns; q++) {
        int ok = eval_frun(w, q, 1) == MS_OK;
        for (size_t k = fs->frow_start[q]; k < fs->frow_start[q + 1]; k++) {
            size_t row = fs->frow[k], k0 = k - fs->frow_start[q];
            for (size_t c = fs->cell_start[k]; c < fs->cell_start[k + 1]; c++) {
                double *out = w->J ? w->J + c * P : w->jrow;
                if (ok)
                    jac_compute_row(w, row, k0, fs->cell_dom[c], out);
                else
                    memset(out, 0, P * sizeof *out);
                visit(c, out, ctx);
            }
        }
    }
    if (w->J) {
        memcpy(w->J_at, u, P * sizeof *u);
        w->J_valid = 1;
    }
}

/* What one fit_df call accumulates over the rows. */
typedef struct {
    fit_worker *w;
    CBLAS_TRANSPOSE_t trans;
    const double *u; /* the vector to multiply, or NULL */
    double *v;
    gsl_matrix *JTJ;
} df_acc;

static void df_visit(size_t c, const double *row, void *ctx)
{
    df_acc *a = ctx;
    const size_t P = a->w->fs->P;
    if (a->u && a->trans == CblasNoTrans) {
        double s = 0;
        for (size_t j = 0; j < P; j++)
            s += row[j] * a->u[j];
        a->v[c] = s;
    } else if (a->u) {
        double uc = a->u[c];
        for (size_t j = 0; j < P; j++)
            a->v[j] += row[j] * uc;
    }
    if (!a->JTJ)
        return;
    /* Rows are sparse (a domain's own noise and irreducible parameters,
     * the shared capacity ones): outer products over the nonzeros only. */
    size_t n = 0, *nz = a->w->nz;
    for (size_t j = 0; j < P; j++)
        if (row[j] != 0)
            nz[n++] = j;
    for (size_t x = 0; x < n; x++) {
        double *dst = a->JTJ->data + nz[x] * a->JTJ->tda, rx = row[nz[x]];
        for (size_t y = 0; y <= x; y++)
            dst[nz[y]] += rx * row[nz[y]];
    }
}

int fit_df(CBLAS_TRANSPOSE_t TransJ, const gsl_vector *x, const gsl_vector *u,
           void *params, gsl_vector *v, gsl_matrix *JTJ)
{
    fit_worker *w = params;
    df_acc a = {w, TransJ, u ? u->data : NULL, v ? v->data : NULL, JTJ};
    if (u && v && TransJ == CblasTrans)
        gsl_vector_set_zero(v);
    if (JTJ)
        gsl_matrix_set_zero(JTJ);
    if (!u || !v)
        a.u = NULL;
    jac_rows(w, x->data, df_visit, &a);
    return GSL_SUCCESS;
}
