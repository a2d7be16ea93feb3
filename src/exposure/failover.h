/*
 * failover.h - the routes of flows after each failure that moves them.
 *
 * The failover level's searches, shared by the exposure (which raises
 * the groups of the assets found) and the culprits (which list them).
 * The flows of one source share a full search and its dominator tree;
 * each failure that moves a route to one of their destinations is
 * searched again only in its subtree, and that search stops early
 * (routes.h, nv_routes_reroute).  A flow searched alone -- a declared
 * path -- costs one search per failure that moves it.  With the overlay
 * of many sources, flows without a declared path go through detour.h
 * instead.
 */
#ifndef NV_FAILOVER_H
#define NV_FAILOVER_H

#include "exposure/routes.h"

/* Called for flow f with the assets on its routes after one failure that
 * moves them; a flow is visited once per such failure, so assets repeat
 * across visits. */
typedef void nv_failover_visit(void *ctx, uint32_t f, const uint32_t *assets,
                               uint32_t n);

/* Scratch space for one thread. */
struct nv_failover {
    struct nv_routes r, base;
    struct nv_fail *fails;
    /* the dominator tree of base's search, depth first (routes.h);
     * below[i]: destinations in order[0 .. i) */
    struct nv_routes_tree tree;
    uint32_t *kids, *koff, *below, *stack, *targets;
    /* the source's flows, nflows of them, by their destination's place
     * in the tree: those ending in order[lo .. hi) are
     * flows[below[lo] .. below[hi]) */
    uint32_t *flows, nflows;
    /* redo[t] == stamp: a route to t after the lone link into the failed
     * asset's position failed passes through the asset (linked: that
     * link was searched) */
    uint32_t *redo, stamp;
    int linked;
    nv_failover_visit *visit;
    void *ctx;
};

/* Scratch for m, for up to nflows flows of a source; release with
 * nv_failover_release. */
enum nv_rc nv_failover_init(struct nv_failover *w, const struct nv_model *m,
                            uint32_t nflows, struct nv_err *err) NV_WUR;

void nv_failover_release(struct nv_failover *w);

/* Visit flows[0 .. n): all from one source, each connected, without a
 * declared path and not ending where it starts. */
enum nv_rc nv_failover_source(struct nv_failover *w, const uint32_t *flows,
                              uint32_t n, nv_failover_visit *visit,
                              void *ctx) NV_WUR;

/* Visit flow f searched alone, one search per failure that moves it. */
enum nv_rc nv_failover_flow(struct nv_failover *w, uint32_t f,
                            nv_failover_visit *visit, void *ctx) NV_WUR;

#endif
