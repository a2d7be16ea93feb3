/*
 * solver.c - the planner's programmes through GLPK.
 *
 * GLPK was chosen over COIN-OR CBC: it is a C library with a C API
 * (CBC's C interface wraps a C++ library and pulls in half of COIN-OR),
 * one small Debian package (libglpk-dev), stable for decades, and its
 * branch and cut proves the plans of national size optimal in seconds.
 * Its terminal output is switched off: the library never prints.  GLPK
 * allocates on its own, so allocation-failure sweeps do not reach it.
 */
#include "plan/solver.h"

#include "core/alloc.h"

#include <glpk.h>
#include <math.h>
#include <string.h>

struct nv_solver {
    glp_prob *lp;
    uint32_t ncols;
    unsigned char *free_col; /* continuous, from 0 without bound */
    double gap;
    int *ind;
    double *val;
    size_t cap, capv;
};

struct nv_solver *nv_solver_new(uint32_t ncols)
{
    struct nv_solver *s = nv_calloc(1, sizeof *s);

    if (!s)
        return NULL;
    glp_term_out(GLP_OFF);
    s->free_col = nv_calloc((size_t)ncols + 1, 1);
    if (!s->free_col) {
        nv_free(s);
        return NULL;
    }
    s->lp = glp_create_prob();
    s->ncols = ncols;
    glp_set_obj_dir(s->lp, GLP_MIN);
    if (ncols)
        glp_add_cols(s->lp, (int)ncols);
    for (uint32_t j = 1; j <= ncols; j++)
        glp_set_col_bnds(s->lp, (int)j, GLP_DB, 0, 1);
    return s;
}

void nv_solver_free(struct nv_solver *s)
{
    if (!s)
        return;
    glp_delete_prob(s->lp);
    nv_free(s->free_col);
    nv_free(s->ind);
    nv_free(s->val);
    nv_free(s);
}

void nv_solver_cost(struct nv_solver *s, uint32_t col, double cost)
{
    glp_set_obj_coef(s->lp, (int)col + 1, cost);
}

void nv_solver_gap(struct nv_solver *s, double gap)
{
    s->gap = gap;
}

void nv_solver_unbounded(struct nv_solver *s, uint32_t col)
{
    s->free_col[col] = 1;
    glp_set_col_bnds(s->lp, (int)col + 1, GLP_LO, 0, 0);
}

static int bound_type(double lo, double hi)
{
    if (isinf(lo) && isinf(hi))
        return GLP_FR;
    if (isinf(hi))
        return GLP_LO;
    if (isinf(lo))
        return GLP_UP;
    return lo == hi ? GLP_FX : GLP_DB;
}

enum nv_rc nv_solver_row(struct nv_solver *s, const uint32_t *cols,
                         const double *coef, uint32_t n, double lo, double hi,
                         struct nv_err *err)
{
    int i;

    /* GLPK counts from 1: index 0 of both arrays is unused. */
    if (nv_array_reserve(&s->ind, &s->cap, (size_t)n + 1, sizeof *s->ind) ||
        nv_array_reserve(&s->val, &s->capv, (size_t)n + 1, sizeof *s->val))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    for (uint32_t k = 0; k < n; k++) {
        s->ind[k + 1] = (int)cols[k] + 1;
        s->val[k + 1] = coef[k];
    }
    i = glp_add_rows(s->lp, 1);
    glp_set_row_bnds(s->lp, i, bound_type(lo, hi), isinf(lo) ? 0 : lo,
                     isinf(hi) ? 0 : hi);
    glp_set_mat_row(s->lp, i, (int)n, s->ind, s->val);
    return NV_OK;
}

static enum nv_rc take_x(struct nv_solver *s, int integer,
                         struct nv_solver_result *r, struct nv_err *err)
{
    r->x = nv_calloc((size_t)s->ncols + 1, sizeof *r->x);
    if (!r->x)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    for (uint32_t j = 0; j < s->ncols; j++)
        r->x[j] = integer ? glp_mip_col_val(s->lp, (int)j + 1)
                          : glp_get_col_prim(s->lp, (int)j + 1);
    r->value = integer ? glp_mip_obj_val(s->lp) : glp_get_obj_val(s->lp);
    return NV_OK;
}

/* The linear relaxation: its optimum bounds the programme's. */
static int relax(struct nv_solver *s, double seconds,
                 struct nv_solver_result *r)
{
    glp_smcp p;
    int ret, st;

    glp_init_smcp(&p);
    p.msg_lev = GLP_MSG_OFF;
    p.presolve = GLP_ON;
    p.tm_lim = (int)(seconds * 1000);
    ret = glp_simplex(s->lp, &p);
    st = ret == 0 ? glp_get_status(s->lp) : GLP_UNDEF;
    /* The presolver reports infeasibility by return code, the simplex
     * by status. */
    if (ret == GLP_ENOPFS || st == GLP_NOFEAS) {
        r->status = NV_SOLVER_INFEASIBLE;
        return 0;
    }
    if (st != GLP_OPT) {
        r->status = NV_SOLVER_UNKNOWN;
        return 0;
    }
    r->bound = glp_get_obj_val(s->lp);
    r->status = NV_SOLVER_OPTIMAL;
    return 1;
}

enum nv_rc nv_solver_solve(struct nv_solver *s, int integer, double seconds,
                           struct nv_solver_result *r, struct nv_err *err)
{
    glp_iocp p;
    int st;

    memset(r, 0, sizeof *r);
    if (!relax(s, seconds, r))
        return NV_OK;
    if (!integer)
        return take_x(s, 0, r, err);
    for (uint32_t j = 1; j <= s->ncols; j++)
        if (!s->free_col[j - 1])
            glp_set_col_kind(s->lp, (int)j, GLP_BV);
    glp_init_iocp(&p);
    p.msg_lev = GLP_MSG_OFF;
    p.tm_lim = (int)(seconds * 1000);
    p.mip_gap = s->gap;
    glp_intopt(s->lp, &p);
    st = glp_mip_status(s->lp);
    if (st == GLP_NOFEAS) {
        r->status = NV_SOLVER_INFEASIBLE;
        return NV_OK;
    }
    if (st != GLP_OPT && st != GLP_FEAS) {
        r->status = NV_SOLVER_UNKNOWN;
        return NV_OK;
    }
    r->status = st == GLP_OPT ? NV_SOLVER_OPTIMAL : NV_SOLVER_FEASIBLE;
    if (r->status == NV_SOLVER_OPTIMAL)
        r->bound = glp_mip_obj_val(s->lp);
    return take_x(s, 1, r, err);
}
