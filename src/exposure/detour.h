/*
 * detour.h - the failover level of flows with distinct sources, through
 * the overlay of core assets (overlay.h).
 *
 * Only a failure that every least-cost route of a flow crosses can bring
 * a new group onto it; any other leaves a subset of the routes.  Every
 * such failure lies on the flow's routes: in the part inside cells from
 * s to its first K asset, the K assets and links of the overlay's middle
 * part, the paths of the shortcuts it takes, the part from the last K
 * asset to t, or a route through cells alone when one is as cheap.
 * Each element there is failed in turn, and the routes without it are
 * found as without failure, with only what it changes worked out again:
 * the end whose cells it is in, searched again, and one search of the
 * small overlay from s's K assets to t's.  Without failure, the ends' K
 * assets come from tables built once: from each K asset, the cost and
 * groups to every asset of the cells next to it.  An element on one of
 * the shortcuts' least-cost paths (hot) changes those tables in its
 * cell: from each K asset b next to it, only the assets with a
 * least-cost path from b through the element (its region, below it
 * over the tables' tight links) can change; they are searched again,
 * seeded from their neighbours outside, whose costs and groups hold.
 * b's shortcuts and the ends' K assets are then read from the tables
 * so repaired.
 */
#ifndef NV_DETOUR_H
#define NV_DETOUR_H

#include "exposure/overlay.h"

/* What the flows share, read-only once built. */
struct nv_detour {
    const struct nv_overlay *o;
    /* the assets and links inside cells on the least-cost paths of the
     * overlay's edge k (a shortcut; none for a link): el[eloff[k] ..
     * eloff[k + 1]) */
    uint32_t *eloff;
    struct nv_fail *el;
    /* per asset and per link: on one of those paths (a failure there
     * changes the shortcuts of the K assets next to its cell) */
    unsigned char *hot_asset, *hot_link;
    /* from the j-th K asset next to cell c, to the asset of the cell at
     * place pos[a] (csize[c] of them), through cells: the least cost and
     * the groups on the least-cost paths, at toff[c] + j * csize[c] +
     * pos[a] (groups: words bits each) */
    uint32_t *pos, *csize;
    size_t *toff;
    double *tdist;
    uint64_t *treach;
};

/* One end's K assets: their index in K, cost from the end, groups on
 * the least-cost paths there (as an end's search finds them,
 * overlay.h). */
struct nv_detour_end {
    uint32_t n, *k;
    double *d;
    uint64_t *r;
};

/* An asset's cost and groups (qr) from the j-th K asset next to its
 * cell, with a failure on a shortcut's path (detour.c, repair). */
struct nv_detour_kept {
    uint32_t a, j;
    double d;
};

/* One thread's scratch space. */
struct nv_detour_search {
    const struct nv_detour *d;
    /* the ends' searches with a failure, the repairs' regions (wf's
     * slots stamped with its epoch) and the routes through cells alone */
    struct nv_overlay_search wf;
    /* the ends' K assets without failure (es, et), from the cell tables,
     * each K asset once (kstamp[i] == kmark: at place kidx[i]) */
    struct nv_detour_end es, et;
    /* with a hot failure: the ends' K assets (fs, ft), K asset b's
     * groups (bbits), and the assets of the ends' cells the repair
     * changed, kept[0 .. nq) */
    struct nv_detour_end fs, ft;
    uint64_t *bbits, *qr;
    struct nv_detour_kept *kept;
    uint32_t nq;
    size_t kcap, qrcap;
    uint32_t *kstamp, *kidx, kmark;
    /* the overlay's search: per K asset, its cost, stamps, groups */
    double *dist, *seed; /* seed: the cost from s's end (INFINITY: none) */
    uint32_t *known, *done, *order, norder, epoch;
    uint32_t *sidx;  /* where in s's end's list, when seed is finite */
    uint64_t *reach; /* the groups on some least-cost path to it */
    uint64_t *tmp;   /* the groups after one failure */
    /* the routes through cells alone without failure: their cost,
     * groups, and elements (wa[asset], wl[link] == stamp); wleast: they
     * are among the least-cost routes */
    double wcost;
    uint64_t *wgroups;
    uint32_t *wa, *wl;
    int wleast;
    unsigned char *on; /* on a least-cost route of the flow */
    /* shortcuts from K asset i after the failure, when rep[i] == rmark:
     * rto[roff[i] .. roff[i] + rn[i]) with cost and groups */
    uint32_t *rep, rmark, *roff, *rn, *rto;
    double *rcost;
    uint64_t *rgroups;
    size_t nr, rcap, rccap, rgcap;
    /* the failures to try, each once (stamped per asset and link) */
    struct nv_fail *cand;
    uint32_t ncand, *aseen, *lseen, stamp, *stack, *walked, wmark;
    size_t ccap;
    struct nv_route_queue q;
};

/* The shortcuts' paths of o (o->nk > 0); release with
 * nv_detour_release. */
enum nv_rc nv_detour_build(struct nv_detour *d, const struct nv_overlay *o,
                           struct nv_err *err) NV_WUR;

void nv_detour_release(struct nv_detour *d);

enum nv_rc nv_detour_search_init(struct nv_detour_search *w,
                                 const struct nv_detour *d) NV_WUR;

void nv_detour_search_release(struct nv_detour_search *w);

/*
 * The groups on the least-cost routes from s to t (s != t, connected, no
 * declared path) with no element or any one failed, s and t aside, into
 * out (words bits).  NV_ENOMEM if a search's heap cannot grow.
 */
enum nv_rc nv_detour_flow(struct nv_detour_search *w, uint32_t s, uint32_t t,
                          uint64_t *out) NV_WUR;

#endif
