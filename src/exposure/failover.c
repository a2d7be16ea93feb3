/*
 * failover.c - the routes of a source's flows after each failure that
 * moves them.
 *
 * Only failures that move a flow's route can bring a group onto it.  A
 * failure that leaves t's distance alone leaves a subset of the routes;
 * t's distance grows only when every route crosses the failed element:
 * an asset that dominates t in the route DAG, or the one link into such
 * an asset (or into t) that has no other tight link beside it.
 * Dominators come from one pass over the DAG in settling order (the
 * immediate dominator of an asset is the nearest common dominator of its
 * tight predecessors).  The flows of a source share one search and its
 * dominator tree; each such failure is searched again only in its
 * subtree, the assets it makes longer, and that search stops early
 * (routes.c, nv_routes_reroute).  A declared path moves when an asset
 * inside it fails, or a link between two of its assets that no other
 * link joins; each costs one search.
 */
#include "exposure/failover.h"

#include "core/alloc.h"

#include <string.h>

enum nv_rc nv_failover_init(struct nv_failover *w, const struct nv_model *m,
                            uint32_t nflows, struct nv_err *err)
{
    size_t n = (size_t)m->graph.n + 1;
    enum nv_rc rc;

    memset(w, 0, sizeof *w);
    w->fails = nv_calloc(2 * n, sizeof *w->fails);
    w->kids = nv_calloc(n, sizeof *w->kids);
    w->koff = nv_calloc(n + 1, sizeof *w->koff);
    w->tree.order = nv_calloc(n, sizeof *w->tree.order);
    w->tree.tin = nv_calloc(n, sizeof *w->tree.tin);
    w->tree.nlo = nv_calloc(n, sizeof *w->tree.nlo);
    w->tree.nhi = nv_calloc(n, sizeof *w->tree.nhi);
    w->tree.tout = nv_calloc(n, sizeof *w->tree.tout);
    w->below = nv_calloc(n + 1, sizeof *w->below);
    w->stack = nv_calloc(3 * n, sizeof *w->stack);
    w->targets = nv_calloc((size_t)nflows + 1, sizeof *w->targets);
    w->flows = nv_calloc((size_t)nflows + 1, sizeof *w->flows);
    w->redo = nv_calloc(n, sizeof *w->redo);
    rc = nv_routes_init(&w->r, m, err);
    if (!rc)
        rc = nv_routes_init(&w->base, m, err);
    if (!rc && !(w->fails && w->kids && w->koff && w->tree.order &&
                 w->tree.tin && w->tree.nlo && w->tree.nhi && w->tree.tout &&
                 w->below && w->stack && w->targets && w->flows && w->redo))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (rc)
        nv_failover_release(w);
    return rc;
}

void nv_failover_release(struct nv_failover *w)
{
    nv_routes_release(&w->r);
    nv_routes_release(&w->base);
    nv_free(w->fails);
    nv_free(w->kids);
    nv_free(w->koff);
    nv_free(w->tree.order);
    nv_free(w->tree.tin);
    nv_free(w->tree.nlo);
    nv_free(w->tree.nhi);
    nv_free(w->tree.tout);
    nv_free(w->below);
    nv_free(w->stack);
    nv_free(w->targets);
    nv_free(w->flows);
    nv_free(w->redo);
    memset(w, 0, sizeof *w);
}

enum nv_rc nv_failover_flow(struct nv_failover *w, uint32_t f,
                            nv_failover_visit *visit, void *ctx)
{
    uint32_t nf = 0, n;
    enum nv_rc rc = nv_routes_failures(&w->r, f, w->fails, &nf);

    for (uint32_t i = 0; !rc && i < nf; i++) {
        rc = nv_routes_flow(&w->r, f, w->fails[i], &n);
        if (!rc && n)
            visit(ctx, f, w->r.queue, n);
    }
    return rc;
}

/* The dominator tree of w->base's settled assets, numbered depth first
 * from the source. */
static void number_tree(struct nv_failover *w)
{
    const struct nv_routes *b = &w->base;
    uint32_t n = b->nsettled, top = 0, clock = 0;

    for (uint32_t i = 0; i <= n; i++)
        w->koff[i] = 0;
    for (uint32_t i = 1; i < n; i++) /* settled[0] is the source */
        w->koff[w->tree.tin[b->idom[b->settled[i]]] + 1]++;
    for (uint32_t i = 0; i < n; i++)
        w->koff[i + 1] += w->koff[i];
    for (uint32_t i = 1; i < n; i++) /* tin: settling position, for now */
        w->kids[w->koff[w->tree.tin[b->idom[b->settled[i]]]]++] = b->settled[i];
    for (uint32_t i = n; i > 0; i--)
        w->koff[i] = w->koff[i - 1];
    w->koff[0] = 0;
    w->stack[top++] = b->src;
    while (top) { /* parents first; tout set when a subtree is done */
        uint32_t v = w->stack[--top], pos;
        if (v == NV_NONE) {
            w->tree.tout[w->stack[--top]] = clock;
            continue;
        }
        pos = w->tree.tin[v];
        w->tree.order[clock] = v;
        w->tree.tin[v] = clock++;
        w->stack[top++] = v;
        w->stack[top++] = NV_NONE;
        for (uint32_t k = w->koff[pos]; k < w->koff[pos + 1]; k++)
            w->stack[top++] = w->kids[k];
    }
}

/* One failure of the source's tree and its region, order[lo .. hi). */
struct failure {
    struct nv_fail fail;
    uint32_t lo, hi;
};

/* Whether flow f is searched again: it ends in the region, not on the
 * failed asset; after an asset failure, only if the lone link into the
 * asset was not searched first or left a route through the asset
 * (redo). */
static int moved(const struct nv_failover *w, const struct failure *e,
                 uint32_t f)
{
    uint32_t t = NV_FLOWS(w->base.m)[f].dst.idx;

    if (w->tree.tin[t] < e->lo || w->tree.tin[t] >= e->hi)
        return 0;
    if (e->fail.kind != NV_FAIL_ASSET)
        return 1;
    return e->fail.id != t && (!w->linked || w->redo[t] == w->stamp);
}

/*
 * The flows that end in a failure's region are visited with their new
 * routes.  After the lone link into asset v fails, a route that avoids v
 * is a least-cost route without v too (the network without v lacks that
 * link as well, so nothing there is cheaper): only the flows whose new
 * routes pass through v are searched again when v fails.
 */
static enum nv_rc reroute(struct nv_failover *w, const struct failure *e)
{
    const struct nv_flow *fl = NV_FLOWS(w->base.m);
    uint32_t n = 0, nb, v = w->tree.order[e->lo];
    enum nv_rc rc;

    for (uint32_t k = w->below[e->lo]; k < w->below[e->hi]; k++)
        if (moved(w, e, w->flows[k]))
            w->targets[n++] = fl[w->flows[k]].dst.idx;
    if (!n)
        return NV_OK;
    rc = nv_routes_reroute(&w->r, &w->base, &w->tree, e->fail, e->lo, e->hi,
                           w->targets, n);
    for (uint32_t k = w->below[e->lo]; !rc && k < w->below[e->hi]; k++) {
        uint32_t f = w->flows[k], t = fl[f].dst.idx;
        if (!moved(w, e, f))
            continue;
        nb = nv_routes_back(&w->r, t);
        if (nb)
            w->visit(w->ctx, f, w->r.queue, nb);
        if (e->fail.kind == NV_FAIL_LINK && nb && w->r.on[v] == w->r.mark)
            w->redo[t] = w->stamp;
    }
    return rc;
}

/* The flows[0 .. n) into w->flows by their destination's place in the
 * tree, counted into place (koff, done with, as the cursors). */
static void sort_flows(struct nv_failover *w, const uint32_t *flows, uint32_t n)
{
    const struct nv_flow *fl = NV_FLOWS(w->base.m);
    uint32_t ns = w->base.nsettled;

    memcpy(w->koff, w->below, ((size_t)ns + 1) * sizeof *w->koff);
    for (uint32_t k = 0; k < n; k++)
        w->flows[w->koff[w->tree.tin[fl[flows[k]].dst.idx]]++] = flows[k];
    w->nflows = n;
}

/* The full search from the source, its dominator tree numbered, below[]
 * counting the flows' destinations in tree order, and the flows sorted
 * by them. */
static enum nv_rc prepare(struct nv_failover *w, const uint32_t *flows,
                          uint32_t n)
{
    const struct nv_flow *fl = NV_FLOWS(w->base.m);
    const struct nv_fail none = {NV_FAIL_NONE, 0};
    const struct nv_routes *b = &w->base;
    enum nv_rc rc =
        nv_routes_search(&w->base, fl[flows[0]].src.idx, none, NULL, 0);

    if (rc)
        return rc;
    nv_routes_dominators(&w->base);
    for (uint32_t k = 0; k < b->nsettled; k++)
        w->tree.tin[b->settled[k]] = k;
    number_tree(w);
    nv_routes_number(&w->base, &w->tree);
    memset(w->below, 0, ((size_t)b->nsettled + 1) * sizeof *w->below);
    for (uint32_t k = 0; k < n; k++)
        w->below[w->tree.tin[fl[flows[k]].dst.idx] + 1]++;
    for (uint32_t k = 0; k < b->nsettled; k++)
        w->below[k + 1] += w->below[k];
    sort_flows(w, flows, n);
    return NV_OK;
}

/*
 * One full search and its dominator tree; then each failure that moves a
 * route to one of the flows' destinations -- an asset that dominates
 * one, or the lone tight link into such an asset or a destination -- is
 * searched again only in its subtree, the assets whose distance it can
 * change.
 */
enum nv_rc nv_failover_source(struct nv_failover *w, const uint32_t *flows,
                              uint32_t n, nv_failover_visit *visit, void *ctx)
{
    const struct nv_routes *b = &w->base;
    enum nv_rc rc;

    if (!n)
        return NV_OK;
    w->visit = visit;
    w->ctx = ctx;
    rc = prepare(w, flows, n);
    for (uint32_t p = 1; !rc && p < b->nsettled; p++) {
        uint32_t v = w->tree.order[p], end = w->tree.tout[v];
        uint32_t all = w->below[end] - w->below[p];
        uint32_t under = w->below[end] - w->below[p + 1];
        struct failure link = {{NV_FAIL_LINK, b->inlink[v]}, p, end};
        struct failure asset = {{NV_FAIL_ASSET, v}, p, end};
        w->linked = all && b->nin[v] == 1;
        w->stamp++;
        if (w->linked)
            rc = reroute(w, &link);
        if (!rc && under)
            rc = reroute(w, &asset);
    }
    return rc;
}
