/*
 * plan_int.h - what the planner's parts share: what the goal asks of
 * each asset (plan.c) and the programme that meets it (plan_solve.c).
 */
#ifndef NV_PLAN_INT_H
#define NV_PLAN_INT_H

#include "plan/plan.h"

#include <limits.h>

#define NO_YEAR INT_MAX

/* At least need of the assets dec[first .. first + n) replaced by the
 * end of year (a share of an area brought down to its bound). */
struct share {
    int year;
    uint32_t need, first, n;
};

/* An asset untrusted only through a country group (its maker is not
 * high-risk; a high-risk maker of its country is): replaced by year
 * unless by then every asset of a high-risk maker in its untrusted
 * country groups is, which makes the groups trusted again. */
struct cond {
    uint32_t asset;
    int year;
};

struct plan_ctx {
    const struct nv_model *m;
    const struct nv_exposure *x;
    const struct nv_policy *p;
    const struct nv_plan_opts *o;
    struct nv_plan *out;
    uint32_t na;
    unsigned char *hostile; /* per asset: in an untrusted group */
    unsigned char *direct;  /* ... because its maker is high-risk */
    struct cond *conds;
    uint32_t nconds;
    size_t capconds;
    uint32_t *vendor;    /* per asset: the trusted replacement */
    double *cost, *risk; /* per asset */
    int *by;             /* per asset: must be replaced by, or NO_YEAR */
    struct share *shares;
    uint32_t nshares;
    size_t capshares;
    uint32_t *dec; /* the assets of the shares */
    uint32_t ndec;
    size_t capdec;
    int last;
};

/* The goal cannot be met: rule cannot hold because of item (the first
 * reason is kept). */
void nv_plan_unmeetable(struct plan_ctx *c, uint32_t rule, const char *item);

/* Whether entity e can replace: trusted up its chain, and no untrusted
 * group has its country. */
int nv_plan_trusted(const struct plan_ctx *c, uint32_t e);

/* The area of asset a for an area rule: its site's region (region set)
 * or "network". */
const char *nv_plan_area(const struct nv_model *m, uint32_t a, int region);

/* Violations of `require vendors` rules (diversity.c): what an area
 * short of vendors asks by year, as a share of its untrusted assets. */
enum nv_rc nv_plan_vendor_needs(struct plan_ctx *c, uint32_t rule,
                                const char *area, int year,
                                struct nv_err *err) NV_WUR;

/* Once the plan is chosen: the vendor of each replacement, so that areas
 * of `require vendors` rules reach (or keep) their number of vendors
 * where the trusted vendors allow. */
enum nv_rc nv_plan_diversify(struct plan_ctx *c, struct nv_err *err) NV_WUR;

/* The years and assets of the cheapest plan meeting what ctx asks. */
enum nv_rc nv_plan_solve(struct plan_ctx *c, struct nv_err *err) NV_WUR;

#endif
