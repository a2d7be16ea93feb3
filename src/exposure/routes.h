/*
 * routes.h - least-cost routes of one flow, with or without one failed
 * element.
 *
 * A route runs over links by cost (Dijkstra); it never passes through a
 * non-transit asset, which can only be its first or last (model.h).  A
 * failed element is one asset or one link, taken out of the network.  A
 * flow with a declared path keeps it unless the failure breaks it; then,
 * like every other flow, it takes the least-cost paths of what is left.
 * The searches are for one flow at a time: exposure.c shares them across
 * flows where it can; commands use them to show and explain a route.
 */
#ifndef NV_ROUTES_H
#define NV_ROUTES_H

#include "model/model.h"

#include <math.h>

enum nv_fail_kind { NV_FAIL_NONE, NV_FAIL_ASSET, NV_FAIL_LINK };

struct nv_fail {
    enum nv_fail_kind kind;
    uint32_t id; /* the asset or link index */
};

/* The dominator tree of a full search, numbered depth first: order[tin[v]]
 * is v and its subtree order[tin[v] .. tout[v]); nlo[i] and nhi[i] are
 * the smallest and largest position of a neighbour a route can come into
 * order[i] from (nv_routes_number). */
struct nv_routes_tree {
    uint32_t *order, *tin, *tout, *nlo, *nhi;
};

struct nv_route_heap {
    double d;
    uint32_t v;
};

/* Whether du + cost is dv.  Costs are sums of decimals: paths equal in
 * exact arithmetic may differ in the last bits, so equality allows a
 * relative 1e-9. */
static inline int nv_route_tight(double du, double cost, double dv)
{
    return fabs(du + cost - dv) <= 1e-9 * fmax(1.0, dv);
}

/* A binary min-heap of (key, asset), lazy deletion left to the caller. */
struct nv_route_queue {
    struct nv_route_heap *v;
    size_t n, cap;
};

/* Push (d, v); 0 if the heap cannot grow. */
int nv_route_queue_push(struct nv_route_queue *q, double d, uint32_t v);

/* Pop the least key (q->n > 0). */
struct nv_route_heap nv_route_queue_pop(struct nv_route_queue *q);

/* Scratch space of the searches, one per thread. */
struct nv_routes {
    const struct nv_model *m;
    struct nv_fail fail;
    uint32_t src;
    double *dist;
    uint32_t *known;   /* dist[v] is valid when known[v] == epoch */
    uint32_t *wanted;  /* v is a target of this search: == epoch */
    uint32_t *settled; /* vertices in the order their distance was fixed */
    uint32_t nsettled, epoch;
    uint32_t *on;    /* on[v] == mark: v is on a route found by _back */
    uint32_t *queue; /* the assets _back and _flow found */
    uint32_t *count; /* nv_routes_count's route numbers */
    uint32_t mark;
    uint32_t *idom, *depth, *nin, *inlink; /* nv_routes_failures' */
    /* == epoch: the last search is whole (every asset it reaches, no
     * failure), so another from its source is already done; its
     * dominators are of every settled asset */
    uint32_t whole, domall;
    /* the tight half-edges into each settled asset v, pred[pfirst[v] ..
     * pfirst[v] + nin[v]), listed with the dominators (valid while
     * pepoch == epoch) */
    uint32_t *pfirst, *pred, pepoch;
    unsigned char *fwd; /* per asset: forwards traffic (transit) */
    /* A rerouted search (nv_routes_reroute) computes distances only in
     * a region, the assets order[lo .. hi) of base's search; outside it,
     * base's distances hold. */
    const struct nv_routes *base;
    const struct nv_routes_tree *tree;
    uint32_t lo, hi;
    uint32_t *done;   /* done[v] == epoch: v's distance is final */
    uint32_t *listed; /* listed[v] == epoch: v's tight links in are in
                         pred (rerouted searches, for _back) */
    uint32_t npred;
    double lift; /* how much longer than base's every region asset not
                    done is (INFINITY: unreached) */
    struct nv_route_queue q;
};

/* Scratch space for the searches on m (finished); release with
 * nv_routes_release. */
enum nv_rc nv_routes_init(struct nv_routes *r, const struct nv_model *m,
                          struct nv_err *err) NV_WUR;

void nv_routes_release(struct nv_routes *r);

/* Least-cost distances from s with fail taken out, until every asset of
 * targets[0..n) is settled (n == 0: all reachable); nothing to do when
 * the last search was a whole one from s without failure, so that the
 * flows of a source share it.  NV_ENOMEM if the heap cannot grow. */
enum nv_rc nv_routes_search(struct nv_routes *r, uint32_t s,
                            struct nv_fail fail, const uint32_t *targets,
                            uint32_t n) NV_WUR;

/* The distance of v found by the last search (INFINITY if unreached). */
double nv_routes_dist(const struct nv_routes *r, uint32_t v);

/* Whether the link of half-edge k of asset v, entered from k's other end,
 * lies on a least-cost path of the last search into v. */
int nv_routes_tight_in(const struct nv_routes *r, uint32_t v, uint32_t k);

/* The assets on every least-cost route from the last search's source to
 * t, into r->queue; returns how many (0 if t was not reached). */
uint32_t nv_routes_back(struct nv_routes *r, uint32_t t);

/* The assets on flow f's routes with fail taken out (its declared path if
 * the failure leaves it whole), into r->queue; returns how many (0: no
 * route).  NV_ENOMEM as nv_routes_search. */
enum nv_rc nv_routes_flow(struct nv_routes *r, uint32_t f, struct nv_fail fail,
                          uint32_t *n) NV_WUR;

/* Whether fail breaks flow f's declared path. */
int nv_routes_breaks_path(const struct nv_model *m, uint32_t f,
                          struct nv_fail fail);

/*
 * The failures that can move flow f's route, into fails (room for twice
 * the assets) ; returns how many.  Any other failure leaves the flow on
 * (a subset of) its routes: for a flow without a declared path, these
 * are the assets that dominate its destination in the route DAG and the
 * lone tight link into each of them or into the destination; for a
 * declared path, its inner assets and each link between two of its assets
 * that no other link joins.  NV_ENOMEM as nv_routes_search.
 */
enum nv_rc nv_routes_failures(struct nv_routes *r, uint32_t f,
                              struct nv_fail *fails, uint32_t *n) NV_WUR;

/* Immediate dominators (idom, depth) of every asset settled by the last
 * search, in the DAG of its tight links, with each asset's tight links in
 * (nin of them from pred[pfirst]) and the last of them (inlink). */
void nv_routes_dominators(struct nv_routes *r);

/*
 * Distances from base's source with fail taken out, recomputed only for
 * the assets tree->order[lo .. hi): the
 * subtree of base's dominator tree under the failed asset or link, whose
 * every least-cost path from the source crossed the failure; the others
 * keep base's.  Seeds the region from its neighbours outside and
 * searches inside it until the n targets (all in the region) are
 * settled.  base must be a full search (no targets) with its dominators.
 * nv_routes_back then walks the routes of the network without the
 * failure: base's tight links outside the region, that never come from
 * inside it, and the search's own inside.
 */
enum nv_rc nv_routes_reroute(struct nv_routes *r, const struct nv_routes *base,
                             const struct nv_routes_tree *tree,
                             struct nv_fail fail, uint32_t lo, uint32_t hi,
                             const uint32_t *targets, uint32_t n) NV_WUR;

/* Each settled asset's nlo and nhi in tree (order and tin set), for the
 * last search of r: a region asset whose neighbours are all inside needs
 * no seed. */
void nv_routes_number(const struct nv_routes *r, struct nv_routes_tree *tree);

/* How many least-cost routes lead from the last search's source to t, up
 * to cap (cap itself meaning "cap or more"). */
uint32_t nv_routes_count(const struct nv_routes *r, uint32_t t, uint32_t cap);

/* One least-cost route from the last search's source to t: its assets
 * into path (room for every asset), and in links the link taken into
 * each (links[0] = NV_NONE); returns its length (0 if t not reached). */
uint32_t nv_routes_one(const struct nv_routes *r, uint32_t t, uint32_t *path,
                       uint32_t *links);

#endif
