/*
 * culprits.h - which assets of a group give a flow its exposure level.
 *
 *   must      a smallest set of the group's assets whose removal leaves
 *             no path between the flow's ends (replace them and the must
 *             ends): {s} or {t} if an end is the group's, else a minimum
 *             vertex cut restricted to the group's assets;
 *   routed    the group's assets on the flow's routes;
 *   failover  the group's assets on the routes after the failures that
 *             move them (routes.h);
 *   may       the group's assets on one witness path, which comes with
 *             them: a simple s-t path through one of the group's assets,
 *             a detour from one of the flow's routes.
 * Lists are in asset order.  The routes of a flow without a declared
 * path are found with those of every other flow of its source, in one
 * search and its failures (failover.h), and kept: a report asks about
 * hundreds of flows of a few sources.  A finder holds scratch space for
 * one thread.
 */
#ifndef NV_CULPRITS_H
#define NV_CULPRITS_H

#include "exposure/exposure.h"
#include "exposure/routes.h"
#include "exposure/vflow.h"

struct nv_culprits {
    const struct nv_model *m;
    const struct nv_exposure *x;
    struct nv_routes r;
    struct nv_fail *fails;
    uint32_t *assets, nassets; /* the last answer */
    uint32_t *path, npath;     /* may: the witness path, s first */
    struct nv_vflow vf;
    /* per group, once asked for: the components of the transit assets
     * outside it (NV_NONE for the others), and the size of each */
    uint32_t **label, **size;
    uint32_t *mark, stamp; /* must: the sink's components; may: the route */
    uint32_t *pos;         /* may: each asset's place on the route */
    uint32_t *near, *leg;  /* may: candidates near the route, two legs */
    uint32_t *par, *root;  /* may: the search out from the route */
    uint32_t *around, *back, *seen, seen_stamp; /* may: the search round
                                                   a candidate's way back */
    /* may: the witness paths of flow wflow, each its length and assets,
     * and where each group's starts (NV_NONE: none) */
    uint32_t wflow, *wlist, *wat;
    size_t nw, wcap;
    struct nv_culprits_kept *kept; /* each flow's routes, once found */
};

/* A finder for exposure x of m; release with nv_culprits_release. */
enum nv_rc nv_culprits_init(struct nv_culprits *c, const struct nv_model *m,
                            const struct nv_exposure *x,
                            struct nv_err *err) NV_WUR;

void nv_culprits_release(struct nv_culprits *c);

/* The culprits of group g for flow f at its level in x, into c->assets
 * (and c->path for may); none when the level is none. */
enum nv_rc nv_culprits_find(struct nv_culprits *c, uint32_t f, uint32_t g,
                            struct nv_err *err) NV_WUR;

#endif
