/*
 * exposure_int.h - what exposure.c (must, may) and exposure_route.c
 * (routed, failover) share while they work.
 */
#ifndef NV_EXPOSURE_INT_H
#define NV_EXPOSURE_INT_H

#include "exposure/bct.h"
#include "exposure/detour.h"
#include "exposure/exposure.h"
#include "exposure/overlay.h"

#include <stdatomic.h>

struct nv_xctx {
    const struct nv_model *m;
    struct nv_exposure *x;
    unsigned char *nontransit; /* per asset: never in a path's middle */
    unsigned char *direct;     /* per flow: its ends share a link */
    struct nv_bct bct;
    /* may: per flow, items ioff[f] .. ioff[f + 1]: the forest path from
     * node inode[k] up to node itop[k], or, when itop[k] is NV_NONE, the
     * lone asset inode[k] */
    uint32_t *ioff, *inode, *itop;
    uint32_t *soff, *sflows, nsources; /* routed flows by source */
    /* routed flows with far-apart ends go through it (nk == 0: none) */
    struct nv_overlay overlay;
    /* its shortcuts' paths, when the failover level uses it */
    struct nv_detour detour;
    const unsigned char *core; /* nv_exposure_opts.core */
    atomic_uint next;
    atomic_int failed;
    struct nv_progress *progress;
};

/* Raise flow f's level for group g to at least l. */
void nv_xctx_raise(struct nv_exposure *x, uint32_t f, uint32_t g,
                   enum nv_level l);

/* Raise flow f's level to at least l for every group of asset a. */
void nv_xctx_raise_asset(struct nv_xctx *c, uint32_t f, uint32_t a,
                         enum nv_level l);

/* Take the next item of the phase, if any is left and nothing failed. */
int nv_xctx_next(struct nv_xctx *c, uint32_t n, uint32_t *item);

/* Group the flows that need a search by source (nv_xctx.soff, sflows). */
enum nv_rc nv_xctx_sources(struct nv_xctx *c);

/* The routed and failover phase workers (items: sources, then flows). */
void *nv_xctx_routed_worker(void *arg);
void *nv_xctx_failover_worker(void *arg);

#endif
