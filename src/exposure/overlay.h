/*
 * overlay.h - routed groups of flows with distinct sources, through an
 * overlay of core assets.
 *
 * A set K of transit assets (the core: by default the best-connected
 * ones, aggregation and backbone routers) cuts the rest of the network
 * into cells, the pieces of its transit assets joined by links that
 * avoid K.  A route that leaves a cell does so through a K asset, so
 * for a flow whose ends are not joined by a path avoiding K, every
 * least-cost route is: a least-cost path inside the cells from s to its
 * first K asset b, a least-cost path of the whole network from b to
 * its last K asset b', a least-cost path inside the cells from b' to t,
 * the three adding up to the least cost.  The middle part comes from a
 * table of the distances between every two K assets and the groups on
 * their least-cost paths, worked out once on the overlay: the K assets,
 * joined by their links and by one shortcut per pair of K assets that a
 * path through cells joins (its least cost, the groups on the
 * least-cost ones).  The ends' parts are short searches that never go
 * on from a K asset, and stop once no K asset still to come can start a
 * least-cost route.  docs/algorithms.md says why this is exact.
 */
#ifndef NV_OVERLAY_H
#define NV_OVERLAY_H

#include "exposure/groups.h"
#include "exposure/routes.h"

struct nv_overlay {
    const struct nv_model *m;
    const struct nv_groups *gs;
    uint32_t words;      /* of a group bitset */
    uint32_t nk;         /* K assets */
    uint32_t *kid;       /* per asset: its index in K, or NV_NONE */
    unsigned char *kind; /* per asset: non-transit, in a cell, or in K */
    uint32_t *kasset;    /* per index in K: the asset */
    uint32_t *cell;      /* per asset: the cell of a transit asset not in K, or
                            NV_NONE */
    /* the K assets next to cell c: bnd[boff[c] .. boff[c + 1]) */
    uint32_t *boff, *bnd, ncells;
    /* between K assets i and j: the least cost D[i * nk + j] and the
     * groups on the least-cost paths, words bits at GD[(i * nk + j) *
     * words] (INFINITY, nothing: no path) */
    double *D;
    uint64_t *GD;
    /* the overlay's edges from K asset i: eto[eoff[i] .. eoff[i + 1]),
     * each with its cost, its groups (words bits at egroups[k * words])
     * and elink[k], the link of an edge between two linked K assets
     * (NV_NONE: a shortcut through cells); both ways alike */
    uint32_t *eoff, *eto, *elink;
    double *ecost;
    uint64_t *egroups;
};

/* A search's state of one asset: dist is valid when known == epoch, and
 * final when done == epoch (one cache line for the three). */
struct nv_overlay_slot {
    double dist;
    uint32_t known, done;
};

/* One thread's scratch space for the ends' searches. */
struct nv_overlay_search {
    const struct nv_overlay *o;
    /* taken out of the network (NV_FAIL_NONE by default), and whether a
     * shortcut search goes on through all of its cells (open) rather
     * than stopping once every K asset next to them is settled (the
     * cell tables of detour.h want every asset's cost) */
    struct nv_fail fail;
    int open;
    struct nv_overlay_slot *slot;
    uint32_t *kseen, epoch;
    uint32_t *settled, nsettled;
    uint64_t *reach; /* per settled asset: groups on its least-cost paths */
    struct nv_route_queue q;
    /* the K assets an end's search reached: index, cost, groups */
    uint32_t nb[2], *bk[2];
    double *bd[2];
    uint64_t *br[2];
};

/* The overlay of m cut at the transit assets with core[a] set (NULL:
 * chosen by degree); o->nk == 0 when there is none to use.  gs must
 * outlive it.  Release with nv_overlay_release. */
enum nv_rc nv_overlay_build(struct nv_overlay *o, const struct nv_model *m,
                            const struct nv_groups *gs,
                            const unsigned char *core) NV_WUR;

void nv_overlay_release(struct nv_overlay *o);

enum nv_rc nv_overlay_search_init(struct nv_overlay_search *w,
                                  const struct nv_overlay *o) NV_WUR;

void nv_overlay_search_release(struct nv_overlay_search *w);

/*
 * The groups on the least-cost routes from s to t (s != t, connected,
 * no declared path) into out (o->words words): 1 when done, -1 if out
 * of memory.  When a path avoiding K may join s and t, a third search,
 * through cells alone and no dearer than the best route through K,
 * finds the routes that avoid K.
 */
int nv_overlay_route(struct nv_overlay_search *w, uint32_t s, uint32_t t,
                     uint64_t *out);

/* Search from x, s's end (side 0) or t's (1), or from K asset x through
 * its cells when full (the shortcuts); the K assets reached (x aside) in
 * w->bk[side], bd[side], br[side], nb[side].  NV_ENOMEM if the heap
 * cannot grow. */
enum nv_rc nv_overlay_search_end(struct nv_overlay_search *w, uint32_t x,
                                 int full, int side) NV_WUR;

/* Whether half-edge k of asset v, settled by the last search (from x),
 * is a link into v on one of its least-cost paths. */
int nv_overlay_tight_in(const struct nv_overlay_search *w, uint32_t x,
                        uint32_t v, uint32_t k);

/* The routes of s and t through cells alone, no dearer than *best (a
 * search from s that t ends): their groups into out when as cheap as
 * *best, and out cleared first when cheaper (the routes through K
 * dearer), *best then lowered.  NV_ENOMEM if the heap cannot grow. */
enum nv_rc nv_overlay_within(struct nv_overlay_search *w, uint32_t s,
                             uint32_t t, double *best, uint64_t *out) NV_WUR;

/* Whether a path that avoids K may join s and t. */
int nv_overlay_near(const struct nv_overlay *o, uint32_t s, uint32_t t);

/* Whether t is in cell c or next to it. */
int nv_overlay_touches(const struct nv_overlay *o, uint32_t t, uint32_t c);

#endif
