/*
 * vflow.h - augmenting paths through assets of bounded capacity: the
 * max-flow behind the must and may culprits.
 *
 * Each asset v is split into an in half (node 2v) and an out half (node
 * 2v + 1) joined by v's capacity; links join out halves to in halves both
 * ways without bound.  A problem says, through its two callbacks, each
 * asset's capacity and which assets are sinks; a path is pushed from an
 * asset's out half to the in half of any sink with room left.
 * A problem is begun in O(1): the flow of the one before is forgotten by
 * epoch, not cleared, so the work of a problem is what its searches
 * touch, not the size of the network.
 */
#ifndef NV_VFLOW_H
#define NV_VFLOW_H

#include "model/model.h"

#define NV_VFLOW_UNBOUNDED (UINT32_MAX / 4)

/* cap(ctx, v): how many units may pass through asset v; sink(ctx, v):
 * how many units v may take as the end of a path (0: v is no sink; a
 * sink passes nothing on). */
struct nv_vflow_problem {
    uint32_t (*cap)(const void *ctx, uint32_t v);
    uint32_t (*sink)(const void *ctx, uint32_t v);
    const void *ctx;
};

struct nv_vflow {
    const struct nv_graph *g;
    struct nv_vflow_problem p;
    uint32_t *twin; /* the other half-edge of each half-edge's link */
    int32_t *flow;  /* per half-edge, valid when fepoch[k] == epoch */
    uint32_t *fepoch;
    uint32_t *used, *uepoch; /* per asset: units through it, and taken */
    uint32_t *sepoch;        /* == epoch: a path started at the asset */
    uint32_t *pred, *seen, *queue;
    int32_t *via;
    uint32_t epoch, stamp;
    uint32_t nreached; /* queue[0 .. nreached): the last search's nodes */
};

/* Scratch space for g, whose links are nlinks; release with
 * nv_vflow_release. */
enum nv_rc nv_vflow_init(struct nv_vflow *vf, const struct nv_graph *g,
                         uint32_t nlinks, struct nv_err *err) NV_WUR;

void nv_vflow_release(struct nv_vflow *vf);

/* Start problem p with no flow. */
void nv_vflow_begin(struct nv_vflow *vf, const struct nv_vflow_problem *p);

/* One augmenting path from asset a's out half to a sink: returns the
 * sink, or NV_NONE when there is none (the flow is then maximal, and the
 * nodes the search reached are queue[0 .. nreached)). */
uint32_t nv_vflow_push(struct nv_vflow *vf, uint32_t a);

/* One augmenting path from the out half of one of src[0 .. n) that no
 * path started from yet (each gives one unit) to a sink, as
 * nv_vflow_push: a search from several sources at once. */
uint32_t nv_vflow_push_from(struct nv_vflow *vf, const uint32_t *src,
                            uint32_t n);

/* Whether the last search reached node (2v: v's in half, 2v + 1: out). */
static inline int nv_vflow_reached(const struct nv_vflow *vf, uint32_t node)
{
    return vf->seen[node] == vf->stamp;
}

/* Follow one unit of flow out of asset a to where it ends, taking it up:
 * the assets after a go to out[] (room for every asset); returns how
 * many. */
uint32_t nv_vflow_follow(struct nv_vflow *vf, uint32_t a, uint32_t *out);

/* The same against the flow: one unit into asset a back to where it
 * started. */
uint32_t nv_vflow_follow_back(struct nv_vflow *vf, uint32_t a, uint32_t *out);

#endif
