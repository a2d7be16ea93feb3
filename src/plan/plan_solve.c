/*
 * plan_solve.c - the cheapest replacements and their years.
 *
 * Column (i, y) is 1 when asset var[i] is replaced in year first + y.
 * Rows: each asset at most once; an asset a rule or the goal needs, by
 * its year; each share brought down by its year; each year within the
 * budget.  The objective is the cost, with a tie-break of a millionth
 * per year towards earlier years.  When the budget cannot do it, a
 * second programme with the budget as a column finds the least that
 * can.  Beyond opts.exact_max candidates a greedy choice (required
 * assets, then the cheapest that bring each share down, scheduled by
 * deadline) is bounded by the linear relaxation of the same programme.
 */
#include "plan/plan_int.h"

#include "core/alloc.h"
#include "exposure/score.h"
#include "plan/solver.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Whether cond's group stays untrusted by the cond's year. */
struct zcol {
    uint32_t cond, group;
};

struct prog {
    uint32_t *var, nvar; /* the assets that may be replaced */
    int *pos;            /* asset -> index in var, or -1 */
    uint32_t ny;
    struct zcol *z; /* columns after the assets' */
    uint32_t nz;
    size_t capz;
    uint32_t *cols; /* scratch for rows */
    double *coef;
};

static uint32_t col(const struct prog *g, uint32_t i, uint32_t y)
{
    return i * g->ny + y;
}

/* A column per condition and untrusted country group of its asset; the
 * high-risk assets of those groups may be replaced (pos 0 marks). */
static enum nv_rc collect_conds(struct plan_ctx *c, struct prog *g)
{
    const struct nv_groups *gs = &c->x->groups;

    for (uint32_t k = 0; k < c->nconds; k++) {
        uint32_t b = c->conds[k].asset;
        g->pos[b] = 0;
        for (uint32_t i = gs->off[b]; i < gs->off[b + 1]; i++) {
            uint32_t gr = gs->grp[i];
            if (gs->v[gr].kind != NV_GROUP_COUNTRY ||
                !nv_score_hostile(c->x, gr))
                continue;
            if (nv_array_reserve(&g->z, &g->capz, (size_t)g->nz + 1,
                                 sizeof *g->z))
                return NV_ENOMEM;
            g->z[g->nz++] = (struct zcol){k, gr};
            for (uint32_t j = gs->aoff[gr]; j < gs->aoff[gr + 1]; j++)
                if (c->direct[gs->asset[j]])
                    g->pos[gs->asset[j]] = 0;
        }
    }
    return NV_OK;
}

static enum nv_rc collect(struct plan_ctx *c, struct prog *g)
{
    size_t most;

    g->ny = (uint32_t)(c->last - c->out->first + 1);
    g->var = nv_calloc((size_t)c->na + 1, sizeof *g->var);
    g->pos = nv_calloc((size_t)c->na + 1, sizeof *g->pos);
    if (!g->var || !g->pos)
        return NV_ENOMEM;
    for (uint32_t a = 0; a < c->na; a++)
        g->pos[a] = -1;
    for (uint32_t k = 0; k < c->ndec; k++)
        g->pos[c->dec[k]] = 0;
    if (collect_conds(c, g))
        return NV_ENOMEM;
    for (uint32_t a = 0; a < c->na; a++)
        if (c->by[a] != NO_YEAR || g->pos[a] == 0) {
            g->pos[a] = (int)g->nvar;
            g->var[g->nvar++] = a;
        }
    most = (size_t)g->nvar * g->ny + 2;
    most = most > c->na + (size_t)2 ? most : c->na + (size_t)2;
    g->cols = nv_calloc(most, sizeof *g->cols);
    g->coef = nv_calloc(most, sizeof *g->coef);
    return g->cols && g->coef ? NV_OK : NV_ENOMEM;
}

static void prog_release(struct prog *g)
{
    nv_free(g->var);
    nv_free(g->pos);
    nv_free(g->z);
    nv_free(g->cols);
    nv_free(g->coef);
}

/* sum over years up to last (an index) of asset i's columns */
static uint32_t add_years(const struct prog *g, uint32_t i, uint32_t last,
                          uint32_t n)
{
    for (uint32_t y = 0; y <= last && y < g->ny; y++) {
        g->cols[n] = col(g, i, y);
        g->coef[n++] = 1;
    }
    return n;
}

static enum nv_rc asset_rows(struct plan_ctx *c, struct prog *g,
                             struct nv_solver *s, struct nv_err *err)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; !rc && i < g->nvar; i++) {
        int by = c->by[g->var[i]];
        uint32_t n = add_years(g, i, g->ny, 0);
        rc = nv_solver_row(s, g->cols, g->coef, n, -HUGE_VAL, 1, err);
        if (!rc && by != NO_YEAR) {
            n = add_years(g, i, (uint32_t)(by - c->out->first), 0);
            rc = nv_solver_row(s, g->cols, g->coef, n, 1, HUGE_VAL, err);
        }
    }
    for (uint32_t k = 0; !rc && k < c->nshares; k++) {
        const struct share *sh = &c->shares[k];
        uint32_t n = 0;
        for (uint32_t j = 0; j < sh->n; j++)
            n = add_years(g, (uint32_t)g->pos[c->dec[sh->first + j]],
                          (uint32_t)(sh->year - c->out->first), n);
        rc = nv_solver_row(s, g->cols, g->coef, n, sh->need, HUGE_VAL, err);
    }
    return rc;
}

/* Column j of z is 1 unless every high-risk asset of its group is
 * replaced by the year; the condition's asset is replaced when it is. */
static enum nv_rc cond_rows(struct plan_ctx *c, struct prog *g,
                            struct nv_solver *s, struct nv_err *err)
{
    const struct nv_groups *gs = &c->x->groups;
    enum nv_rc rc = NV_OK;

    for (uint32_t j = 0; !rc && j < g->nz; j++) {
        const struct cond *k = &c->conds[g->z[j].cond];
        uint32_t zc = g->nvar * g->ny + j, gr = g->z[j].group;
        uint32_t last = (uint32_t)(k->year - c->out->first), n;
        for (uint32_t i = gs->aoff[gr]; !rc && i < gs->aoff[gr + 1]; i++) {
            uint32_t a = gs->asset[i];
            if (!c->direct[a])
                continue;
            n = add_years(g, (uint32_t)g->pos[a], last, 0);
            g->cols[n] = zc;
            g->coef[n++] = 1;
            rc = nv_solver_row(s, g->cols, g->coef, n, 1, HUGE_VAL, err);
        }
        n = add_years(g, (uint32_t)g->pos[k->asset], last, 0);
        g->cols[n] = zc;
        g->coef[n++] = -1;
        rc = rc ? rc : nv_solver_row(s, g->cols, g->coef, n, 0, HUGE_VAL, err);
    }
    return rc;
}

/* Each year within budget; with budget < 0, within the extra column. */
static enum nv_rc budget_rows(struct plan_ctx *c, struct prog *g,
                              struct nv_solver *s, double budget,
                              struct nv_err *err)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t y = 0; !rc && budget != 0 && y < g->ny; y++) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < g->nvar; i++) {
            g->cols[n] = col(g, i, y);
            g->coef[n++] = c->cost[g->var[i]];
        }
        if (budget < 0) {
            g->cols[n] = g->nvar * g->ny + g->nz;
            g->coef[n++] = -1;
        }
        rc = nv_solver_row(s, g->cols, g->coef, n, -HUGE_VAL,
                           budget < 0 ? 0 : budget, err);
    }
    return rc;
}

/* The programme; budget 0: none, < 0: the least budget is sought. */
static enum nv_rc build(struct plan_ctx *c, struct prog *g, double budget,
                        struct nv_solver **out, struct nv_err *err)
{
    uint32_t ncols = g->nvar * g->ny + g->nz + (budget < 0);
    struct nv_solver *s = nv_solver_new(ncols);
    enum nv_rc rc = s ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");

    for (uint32_t i = 0; !rc && i < g->nvar; i++)
        for (uint32_t y = 0; y < g->ny; y++)
            nv_solver_cost(s, col(g, i, y),
                           c->cost[g->var[i]] * (1 + 1e-6 * y) *
                               (budget < 0 ? 1e-9 : 1));
    if (!rc && budget < 0) {
        nv_solver_unbounded(s, ncols - 1);
        nv_solver_cost(s, ncols - 1, 1);
    }
    rc = rc ? rc : asset_rows(c, g, s, err);
    rc = rc ? rc : cond_rows(c, g, s, err);
    rc = rc ? rc : budget_rows(c, g, s, budget, err);
    if (rc)
        nv_solver_free(s);
    else
        *out = s;
    return rc;
}

/* The steps of a solution x. */
static enum nv_rc take_steps(struct plan_ctx *c, const struct prog *g,
                             const double *x)
{
    struct nv_plan *o = c->out;

    o->step = nv_calloc((size_t)g->nvar + 1, sizeof *o->step);
    if (!o->step)
        return NV_ENOMEM;
    for (uint32_t i = 0; i < g->nvar; i++)
        for (uint32_t y = 0; y < g->ny; y++) {
            uint32_t a = g->var[i];
            if (x[col(g, i, y)] < 0.5)
                continue;
            o->step[o->nstep++] = (struct nv_plan_step){
                a, o->first + (int)y, c->cost[a], c->risk[a], c->vendor[a]};
            o->cost += c->cost[a];
        }
    return NV_OK;
}

/* The least budget per year that meets the goal, by the programme with
 * the budget as a column, to within 1% (the bound is proven).  Its
 * solution is a plan: when it fits the budget after all, it is the plan
 * (the first programme ran out of time). */
static enum nv_rc least_budget(struct plan_ctx *c, struct prog *g,
                               struct nv_err *err)
{
    struct nv_plan *o = c->out;
    struct nv_solver *s = NULL;
    struct nv_solver_result r;
    enum nv_rc rc = build(c, g, -1, &s, err);

    if (!rc)
        nv_solver_gap(s, 1e-2);
    rc = rc ? rc : nv_solver_solve(s, 1, c->o->seconds, &r, err);
    nv_solver_free(s);
    if (rc)
        return rc;
    o->status = NV_PLAN_OVER_BUDGET;
    o->least_bound = ceil(r.bound - 1e-6);
    o->over_proven |= o->least_bound > c->o->budget;
    if (r.x)
        o->least_budget = ceil(r.x[g->nvar * g->ny + g->nz] - 1e-6);
    if (r.x && o->least_budget <= c->o->budget) {
        o->status = NV_PLAN_BOUNDED;
        rc = take_steps(c, g, r.x);
    }
    nv_free(r.x);
    return rc == NV_ENOMEM ? nv_err_set(err, rc, "out of memory") : rc;
}

/* The programme solved (integer, or its relaxation for a bound). */
static enum nv_rc solve(struct plan_ctx *c, struct prog *g, int integer,
                        struct nv_solver_result *r, struct nv_err *err)
{
    struct nv_solver *s = NULL;
    enum nv_rc rc = build(c, g, c->o->budget, &s, err);

    rc = rc ? rc : nv_solver_solve(s, integer, c->o->seconds, r, err);
    nv_solver_free(s);
    return rc;
}

static enum nv_rc exact(struct plan_ctx *c, struct prog *g, struct nv_err *err)
{
    struct nv_solver_result r;
    enum nv_rc rc = solve(c, g, 1, &r, err);

    if (rc)
        return rc;
    c->out->exact = 1;
    c->out->bound = r.bound;
    c->out->over_proven = r.status == NV_SOLVER_INFEASIBLE;
    if (r.status == NV_SOLVER_INFEASIBLE || r.status == NV_SOLVER_UNKNOWN)
        return least_budget(c, g, err);
    c->out->status =
        r.status == NV_SOLVER_OPTIMAL ? NV_PLAN_OPTIMAL : NV_PLAN_BOUNDED;
    rc = take_steps(c, g, r.x);
    nv_free(r.x);
    return rc == NV_ENOMEM ? nv_err_set(err, rc, "out of memory") : rc;
}

/* ---- greedy, for more candidates than the exact programme takes ---- */

struct pick {
    uint32_t asset;
    int by;
    double ratio; /* risk per cost */
};

static int by_deadline(const void *pa, const void *pb)
{
    const struct pick *a = pa, *b = pb;

    if (a->by != b->by)
        return a->by < b->by ? -1 : 1;
    if (a->ratio != b->ratio)
        return a->ratio > b->ratio ? -1 : 1;
    return a->asset < b->asset ? -1 : a->asset > b->asset;
}

static int by_cost(const void *pa, const void *pb)
{
    const struct pick *a = pa, *b = pb;

    if (a->ratio != b->ratio)
        return a->ratio < b->ratio ? -1 : 1;
    return a->asset < b->asset ? -1 : a->asset > b->asset;
}

/* The assets of share sh, cheapest first, into d (scratch in p). */
static void cheapest(const struct plan_ctx *c, const struct share *sh,
                     struct pick *p, uint32_t *d)
{
    for (uint32_t j = 0; j < sh->n; j++)
        p[j] = (struct pick){c->dec[sh->first + j], 0,
                             c->cost[c->dec[sh->first + j]]};
    qsort(p, sh->n, sizeof *p, by_cost);
    for (uint32_t j = 0; j < sh->n; j++)
        d[j] = p[j].asset;
}

/* Required assets keep their years; each share takes its cheapest
 * assets, those already taken first. */
static void greedy_choose(struct plan_ctx *c, int *by, struct pick *p)
{
    memcpy(by, c->by, c->na * sizeof *by);
    for (uint32_t k = 0; k < c->nconds; k++) /* as if unconditional */
        if (c->conds[k].year < by[c->conds[k].asset])
            by[c->conds[k].asset] = c->conds[k].year;
    for (uint32_t k = 0; k < c->nshares; k++) {
        const struct share *sh = &c->shares[k];
        uint32_t *d = &c->dec[sh->first], got = 0;
        cheapest(c, sh, p, d);
        for (uint32_t j = 0; j < sh->n && got < sh->need; j++)
            if (by[d[j]] != NO_YEAR) {
                by[d[j]] = by[d[j]] < sh->year ? by[d[j]] : sh->year;
                got++;
            }
        for (uint32_t j = 0; j < sh->n && got < sh->need; j++)
            if (by[d[j]] == NO_YEAR) {
                by[d[j]] = sh->year;
                got++;
            }
    }
}

/* Earliest deadline first, into the earliest year with room. */
static int schedule(struct plan_ctx *c, struct pick *p, uint32_t n,
                    double *spent)
{
    struct nv_plan *o = c->out;
    int ok = 1;

    qsort(p, n, sizeof *p, by_deadline);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t a = p[i].asset, y = 0;
        while (c->o->budget > 0 && o->first + (int)y <= p[i].by &&
               spent[y] + c->cost[a] > c->o->budget + 1e-6)
            y++;
        if (o->first + (int)y > p[i].by)
            ok = 0;
        spent[y > (uint32_t)(o->last - o->first) ? 0 : y] += c->cost[a];
        o->step[o->nstep++] = (struct nv_plan_step){
            a, o->first + (int)y, c->cost[a], c->risk[a], c->vendor[a]};
        o->cost += c->cost[a];
    }
    return ok;
}

/* The greedy's set over its deadlines: the budget it needs at least. */
static double greedy_budget(const struct plan_ctx *c, const struct pick *p,
                            uint32_t n)
{
    double sum = 0, need = 0;

    for (uint32_t i = 0; i < n; i++) {
        double years = p[i].by - c->out->first + 1;
        sum += c->cost[p[i].asset];
        need = fmax(need, fmax(sum / years, c->cost[p[i].asset]));
    }
    return ceil(need);
}

/* A lower bound that needs no solver: the required assets, and the
 * cheapest assets of the share that needs the most beyond them. */
static double greedy_bound(const struct plan_ctx *c)
{
    double sum = 0, share = 0;

    for (uint32_t a = 0; a < c->na; a++)
        sum += c->by[a] != NO_YEAR ? c->cost[a] : 0;
    for (uint32_t k = 0; k < c->nshares; k++) {
        const struct share *sh = &c->shares[k];
        double s = 0;
        uint32_t got = 0;
        /* dec is sorted cheapest first by greedy_choose */
        for (uint32_t j = 0; j < sh->n; j++)
            got += c->by[c->dec[sh->first + j]] != NO_YEAR;
        for (uint32_t j = 0; j < sh->n && got < sh->need; j++)
            if (c->by[c->dec[sh->first + j]] == NO_YEAR) {
                s += c->cost[c->dec[sh->first + j]];
                got++;
            }
        share = s > share ? s : share;
    }
    return sum + share;
}

static enum nv_rc greedy(struct plan_ctx *c, struct prog *g, struct nv_err *err)
{
    struct nv_plan *o = c->out;
    int *by = nv_calloc((size_t)c->na + 1, sizeof *by);
    struct pick *p = nv_calloc((size_t)c->na + 1, sizeof *p);
    double *spent = nv_calloc((size_t)g->ny + 1, sizeof *spent);
    struct nv_solver_result r = {0};
    uint32_t n = 0;
    enum nv_rc rc = by && p && spent ? NV_OK : NV_ENOMEM;

    o->step = rc ? NULL : nv_calloc((size_t)c->na + 1, sizeof *o->step);
    if (!rc && !o->step)
        rc = NV_ENOMEM;
    if (!rc) {
        greedy_choose(c, by, p);
        for (uint32_t a = 0; a < c->na; a++)
            if (by[a] != NO_YEAR)
                p[n++] = (struct pick){a, by[a], c->risk[a] / c->cost[a]};
        o->status =
            schedule(c, p, n, spent) ? NV_PLAN_BOUNDED : NV_PLAN_OVER_BUDGET;
        o->least_budget = greedy_budget(c, p, n);
        if (g->nvar * (size_t)g->ny <= (size_t)c->o->exact_max * 4)
            rc = solve(c, g, 0, &r, err);
    }
    o->bound = greedy_bound(c);
    if (!rc && r.status == NV_SOLVER_OPTIMAL && r.bound > o->bound)
        o->bound = r.bound;
    nv_free(r.x);
    nv_free(by);
    nv_free(p);
    nv_free(spent);
    return rc == NV_ENOMEM ? nv_err_set(err, rc, "out of memory") : rc;
}

enum nv_rc nv_plan_solve(struct plan_ctx *c, struct nv_err *err)
{
    struct prog g;
    enum nv_rc rc;

    memset(&g, 0, sizeof g);
    rc = collect(c, &g);
    if (rc == NV_OK && !g.nvar)
        c->out->status = NV_PLAN_OPTIMAL;
    else if (rc == NV_OK && c->out->candidates <= c->o->exact_max)
        rc = exact(c, &g, err);
    else if (rc == NV_OK)
        rc = greedy(c, &g, err);
    prog_release(&g);
    return rc == NV_ENOMEM ? nv_err_set(err, rc, "out of memory") : rc;
}
