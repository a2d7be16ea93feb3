/*
 * solver.h - integer and linear programmes for the planner, through
 * GLPK (the only module that includes glpk.h).
 *
 * A programme minimises sum cost[j] x[j] over columns 0 <= x[j] <= 1
 * (binary when integer) under rows lo <= sum coef x <= hi.  Solving it
 * gives the optimum when the solver proves one in time, else the best
 * solution found with a proven lower bound (the linear relaxation's).
 */
#ifndef NV_SOLVER_H
#define NV_SOLVER_H

#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

struct nv_solver;

/* A programme of ncols columns, all costs 0; NULL when out of memory. */
struct nv_solver *nv_solver_new(uint32_t ncols);
void nv_solver_free(struct nv_solver *s);

void nv_solver_cost(struct nv_solver *s, uint32_t col, double cost);

/* Stop the integer search once the solution is within a relative gap
 * of the bound (0 by default: proven optimal). */
void nv_solver_gap(struct nv_solver *s, double gap);

/* Make col continuous from 0 up, without bound. */
void nv_solver_unbounded(struct nv_solver *s, uint32_t col);

/* Add the row lo <= sum coef[i] x[cols[i]] <= hi (-HUGE_VAL or HUGE_VAL
 * for no bound on a side); the columns are distinct. */
enum nv_rc nv_solver_row(struct nv_solver *s, const uint32_t *cols,
                         const double *coef, uint32_t n, double lo, double hi,
                         struct nv_err *err) NV_WUR;

enum nv_solver_status {
    NV_SOLVER_OPTIMAL,    /* proven optimal */
    NV_SOLVER_FEASIBLE,   /* a solution, optimality not proven in time */
    NV_SOLVER_INFEASIBLE, /* no solution exists */
    NV_SOLVER_UNKNOWN     /* no solution found in time */
};

struct nv_solver_result {
    enum nv_solver_status status;
    double value; /* of the solution */
    double bound; /* a proven lower bound on the optimum */
    double *x;    /* ncols values (nv_free); NULL without a solution */
};

/* Solve with binary columns (integer) or the relaxation, within seconds
 * of solver time. */
enum nv_rc nv_solver_solve(struct nv_solver *s, int integer, double seconds,
                           struct nv_solver_result *r,
                           struct nv_err *err) NV_WUR;

#endif
