/*
 * plan.h - a plan to replace untrusted equipment, year by year, within a
 * budget (docs/plan.md).
 *
 * Replacing an asset keeps its position and links and gives it a
 * trusted vendor, at its replacement cost (from a costs file, the model,
 * or the default of its layer: costs.h).  The goal: every error rule of the
 * policy holds from its date, and (opts.routes) no high-risk or prohibited
 * group is MUST or ROUTED on a flow of classification restricted or above by
 * the last year.  A rule in force from 1 January of year Y must hold by the end
 * of year Y - 1; one already in force, by the end of the first year.
 *
 * What each rule asks is worked out by comparing the model with the
 * model where every candidate is replaced: an asset a rule denies must be
 * replaced; a flow a rule denies (and the default goal's flows) must have
 * every untrusted asset on its routes replaced (routes do not change
 * with vendors); a share of an area must come down by enough of its
 * assets.  The cheapest set and its years are found by an integer
 * programme (plan/solver.h), exactly for up to opts.exact_max candidate
 * assets and by a greedy choice with a proven lower bound beyond.
 */
#ifndef NV_PLAN_H
#define NV_PLAN_H

#include "policy/policy.h"

#include <stdio.h>

struct nv_costs;

struct nv_plan_opts {
    int from, until;    /* years; until 0: the last deadline of the rules */
    double budget;      /* per year; 0: no limit */
    int routes;         /* the default goal's part on routes */
    double seconds;     /* solver time for each programme */
    uint32_t exact_max; /* candidates solved exactly (10,000) */
    const struct nv_costs *costs; /* a costs file's (costs.h), or NULL */
};

enum nv_plan_status {
    NV_PLAN_OPTIMAL,     /* the cheapest plan meeting the goal in budget */
    NV_PLAN_BOUNDED,     /* a plan meeting the goal; cost within a proven
                            gap of the cheapest */
    NV_PLAN_OVER_BUDGET, /* the goal needs more per year: least_budget */
    NV_PLAN_UNMEETABLE   /* replacing vendors cannot meet the goal: why */
};

struct nv_plan_step {
    uint32_t asset;
    int year;
    double cost, risk; /* risk: the score its replacement takes off */
    uint32_t vendor;   /* the trusted entity that replaces it */
};

struct nv_plan_year {
    int year;
    double cost, score;      /* spent, and the network's risk score after */
    uint32_t *rules, nrules; /* error rules that hold from this year on */
};

struct nv_plan {
    enum nv_plan_status status;
    int first, last;           /* years */
    struct nv_plan_step *step; /* by year, then most risk per cost */
    uint32_t nstep;
    struct nv_plan_step *extra; /* not required, most risk per cost */
    uint32_t nextra;
    struct nv_plan_year *year; /* last - first + 1, when a plan exists */
    double cost, bound;        /* the plan's and a proven lower bound */
    double score_before;       /* the network's risk score today */
    double least_budget;       /* per year, when over budget: enough */
    double least_bound;        /* ... and a proven lower bound on it */
    int over_proven;           /* no plan fits the budget: proven */
    uint32_t candidates;       /* assets of untrusted groups */
    uint32_t left;             /* error violations the plan leaves */
    int exact;                 /* solved by the integer programme */
    int *deadline;             /* per rule: year it must hold by, or 0
                                  when it is not planned for */
    char why[256];
};

/* The replacement cost of an asset whose own is unknown, by layer. */
double nv_plan_default_cost(enum nv_layer layer);

/* Plan for m (finished; x its exposure) and the error rules of p.
 * Release with nv_plan_release. */
enum nv_rc nv_plan_make(const struct nv_model *m, const struct nv_exposure *x,
                        const struct nv_policy *p, const struct nv_plan_opts *o,
                        struct nv_plan *out, struct nv_err *err) NV_WUR;

void nv_plan_release(struct nv_plan *p);

/* The plan's replacements up to year (inclusive) as a change set that
 * `check --proposed` reads (change.h), written to f. */
enum nv_rc nv_plan_write_change(const struct nv_model *m,
                                const struct nv_plan *p, int year, FILE *f,
                                struct nv_err *err) NV_WUR;

#endif
