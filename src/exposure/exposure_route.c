/*
 * exposure_route.c - the routed and failover levels.
 *
 * Routed: one least-cost search per source, shared by all its flows; the
 * groups on some least-cost path to each asset are gathered in settling
 * order (tight predecessors come first), O(links x groups / 64) a source.
 *
 * Failover: only failures that move a flow's route can bring a group
 * onto it.  A failure that leaves t's distance alone leaves a subset of
 * the routes, whose groups are already routed; t's distance grows only
 * when every route crosses the failed element: an asset that dominates t
 * in the route DAG, or the one link into such an asset (or into t) that
 * has no other tight link beside it.  Dominators come from one pass over
 * the DAG in settling order (the immediate dominator of an asset is the
 * nearest common dominator of its tight predecessors).  The flows of a
 * source share one search and its dominator tree; each such failure is
 * searched again only in its subtree, the assets it makes longer, and
 * that search stops early (routes.c, nv_routes_reroute).  A declared
 * path moves when an asset inside it fails, or a link between two of
 * its assets that no other link joins; each costs one search.
 */
#include "core/alloc.h"
#include "exposure/exposure_int.h"
#include "exposure/routes.h"

#include <string.h>

static const struct nv_fail no_fail = {NV_FAIL_NONE, 0};

/* Declared paths and flows that start where they end are their own
 * routes; the others are grouped by source for the searches. */
enum nv_rc nv_xctx_sources(struct nv_xctx *c)
{
    const struct nv_flow *f = NV_FLOWS(c->m);
    uint32_t n = c->x->nflows, na = c->m->graph.n;
    uint32_t *count = nv_calloc((size_t)na + 2, sizeof *count);

    c->soff = nv_calloc((size_t)n + 2, sizeof *c->soff);
    c->sflows = nv_calloc((size_t)n + 1, sizeof *c->sflows);
    if (!count || !c->soff || !c->sflows) {
        nv_free(count);
        return NV_ENOMEM;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!c->x->connected[i])
            continue;
        for (uint32_t k = 0; k < f[i].path.n; k++)
            nv_xctx_raise_asset(c, i, f[i].path.v[k].idx, NV_LEVEL_ROUTED);
        if (f[i].src.idx == f[i].dst.idx)
            nv_xctx_raise_asset(c, i, f[i].src.idx, NV_LEVEL_ROUTED);
        else if (!f[i].path.n)
            count[f[i].src.idx + 1]++;
    }
    for (uint32_t v = 0; v < na; v++) {
        if (count[v + 1])
            c->soff[c->nsources++] = count[v];
        count[v + 1] += count[v];
    }
    c->soff[c->nsources] = count[na];
    for (uint32_t i = 0; i < n; i++)
        if (c->x->connected[i] && !f[i].path.n && f[i].src.idx != f[i].dst.idx)
            c->sflows[count[f[i].src.idx]++] = i;
    nv_free(count);
    return NV_OK;
}

/* ---- routed ---- */

struct routed_scratch {
    struct nv_routes r;
    uint64_t *reach; /* per asset: words bits, the groups on some
                        least-cost path from the source to it */
    uint32_t words;
    uint32_t *targets;
};

static void reach_groups(const struct nv_xctx *c, struct routed_scratch *w)
{
    const struct nv_graph *g = &c->m->graph;
    const struct nv_groups *gs = &c->x->groups;
    const struct nv_routes *r = &w->r;

    for (uint32_t i = 0; i < r->nsettled; i++) {
        uint32_t v = r->settled[i];
        uint64_t *rv = &w->reach[(size_t)v * w->words];
        memset(rv, 0, w->words * sizeof *rv);
        for (uint32_t k = gs->off[v]; k < gs->off[v + 1]; k++)
            rv[gs->grp[k] / 64] |= (uint64_t)1 << (gs->grp[k] % 64);
        for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
            const uint64_t *ru = &w->reach[(size_t)g->adj[k] * w->words];
            if (!nv_routes_tight_in(r, v, k))
                continue;
            for (uint32_t b = 0; b < w->words; b++)
                rv[b] |= ru[b];
        }
    }
}

static int routed_source(struct nv_xctx *c, struct routed_scratch *w,
                         uint32_t i)
{
    const struct nv_flow *f = NV_FLOWS(c->m);
    uint32_t first = c->soff[i], end = c->soff[i + 1];

    for (uint32_t k = first; k < end; k++)
        w->targets[k - first] = f[c->sflows[k]].dst.idx;
    if (nv_routes_search(&w->r, f[c->sflows[first]].src.idx, no_fail,
                         w->targets, end - first))
        return 0;
    reach_groups(c, w);
    for (uint32_t k = first; k < end; k++) {
        const uint64_t *rt =
            &w->reach[(size_t)f[c->sflows[k]].dst.idx * w->words];
        for (uint32_t g = 0; g < c->x->groups.n; g++)
            if (rt[g / 64] >> (g % 64) & 1)
                nv_xctx_raise(c->x, c->sflows[k], g, NV_LEVEL_ROUTED);
    }
    return 1;
}

void *nv_xctx_routed_worker(void *arg)
{
    struct nv_xctx *c = arg;
    uint32_t n = c->m->graph.n + 1, i;
    struct routed_scratch w;

    memset(&w, 0, sizeof w);
    w.words = (c->x->groups.n + 63) / 64 + 1;
    w.reach = nv_calloc((size_t)n * w.words, sizeof *w.reach);
    w.targets = nv_calloc((size_t)c->x->nflows + 1, sizeof *w.targets);
    if (nv_routes_init(&w.r, c->m, NULL) || !w.reach || !w.targets)
        atomic_store(&c->failed, 1);
    while (nv_xctx_next(c, c->nsources, &i))
        if (!routed_source(c, &w, i))
            atomic_store(&c->failed, 1);
    nv_routes_release(&w.r);
    nv_free(w.reach);
    nv_free(w.targets);
    return NULL;
}

/* ---- failover ---- */

struct failover_scratch {
    struct nv_routes r, base;
    struct nv_fail *fails;
    /* the dominator tree of base's search, depth first: order[tin[v]] is
     * v, its subtree is order[tin[v] .. tout[v]); below[i]: targets in
     * order[0 .. i) */
    struct nv_routes_tree tree;
    uint32_t *kids, *koff, *below, *stack, *targets;
    /* redo[t] == stamp: a route to t after the lone link into the failed
     * asset's position failed passes through the asset (linked: that
     * link was searched) */
    uint32_t *redo, stamp;
    int linked;
};

/* A declared path, or a flow searched alone: each failure that moves the
 * route costs a search. */
static enum nv_rc failover_flow(struct nv_xctx *c, struct failover_scratch *w,
                                uint32_t f)
{
    uint32_t nf = 0, n;
    enum nv_rc rc = nv_routes_failures(&w->r, f, w->fails, &nf);

    for (uint32_t i = 0; !rc && i < nf; i++) {
        rc = nv_routes_flow(&w->r, f, w->fails[i], &n);
        for (uint32_t k = 0; !rc && k < n; k++)
            nv_xctx_raise_asset(c, f, w->r.queue[k], NV_LEVEL_FAILOVER);
    }
    return rc;
}

/* The dominator tree of w->base's settled assets, numbered depth first
 * from the source. */
static void number_tree(struct failover_scratch *w)
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
static int wants_failover(const struct nv_xctx *c, uint32_t f)
{
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];

    return c->x->connected[f] && fl->src.idx != fl->dst.idx &&
           fl->classification >= c->x->failover_from;
}

/* One failure of source i's tree and its region, order[lo .. hi). */
struct failure {
    struct nv_fail fail;
    uint32_t lo, hi;
};

/* Whether flow f, of the failure's source, is searched again: it ends in
 * the region, not on the failed asset; after an asset failure, only if
 * the lone link into the asset was not searched first or left a route
 * through the asset (redo). */
static int moved(const struct nv_xctx *c, const struct failover_scratch *w,
                 const struct failure *e, uint32_t f)
{
    uint32_t t = NV_FLOWS(c->m)[f].dst.idx;

    if (!wants_failover(c, f) || w->tree.tin[t] < e->lo ||
        w->tree.tin[t] >= e->hi)
        return 0;
    if (e->fail.kind != NV_FAIL_ASSET)
        return 1;
    return e->fail.id != t && (!w->linked || w->redo[t] == w->stamp);
}

/*
 * The flows of source i that end in a failure's region get the groups of
 * their new routes.  After the lone link into asset v fails, a route that
 * avoids v is a least-cost route without v too (the network without v
 * lacks that link as well, so nothing there is cheaper): only the flows
 * whose new routes pass through v are searched again when v fails.
 */
static enum nv_rc reroute(struct nv_xctx *c, struct failover_scratch *w,
                          uint32_t i, const struct failure *e)
{
    const struct nv_flow *fl = NV_FLOWS(c->m);
    uint32_t n = 0, nb, v = w->tree.order[e->lo];
    enum nv_rc rc;

    for (uint32_t k = c->soff[i]; k < c->soff[i + 1]; k++)
        if (moved(c, w, e, c->sflows[k]))
            w->targets[n++] = fl[c->sflows[k]].dst.idx;
    if (!n)
        return NV_OK;
    rc = nv_routes_reroute(&w->r, &w->base, &w->tree, e->fail, e->lo, e->hi,
                           w->targets, n);
    for (uint32_t k = c->soff[i]; !rc && k < c->soff[i + 1]; k++) {
        uint32_t f = c->sflows[k], t = fl[f].dst.idx;
        if (!moved(c, w, e, f))
            continue;
        nb = nv_routes_back(&w->r, t);
        for (uint32_t q = 0; q < nb; q++)
            nv_xctx_raise_asset(c, f, w->r.queue[q], NV_LEVEL_FAILOVER);
        if (e->fail.kind == NV_FAIL_LINK && nb && w->r.on[v] == w->r.mark)
            w->redo[t] = w->stamp;
    }
    return rc;
}

/*
 * Every flow of source i without a declared path at once: one full
 * search and its dominator tree; then each failure that moves a route
 * to one of the flows' destinations -- an asset that dominates one, or
 * the lone tight link into such an asset or a destination -- is searched
 * again only in its subtree, the assets whose distance it can change.
 */
static enum nv_rc failover_source(struct nv_xctx *c, struct failover_scratch *w,
                                  uint32_t i)
{
    const struct nv_flow *fl = NV_FLOWS(c->m);
    const struct nv_fail none = {NV_FAIL_NONE, 0};
    const struct nv_routes *b = &w->base;
    enum nv_rc rc = nv_routes_search(
        &w->base, fl[c->sflows[c->soff[i]]].src.idx, none, NULL, 0);

    if (rc)
        return rc;
    nv_routes_dominators(&w->base);
    for (uint32_t k = 0; k < b->nsettled; k++)
        w->tree.tin[b->settled[k]] = k;
    number_tree(w);
    nv_routes_number(&w->base, &w->tree);
    memset(w->below, 0, ((size_t)b->nsettled + 1) * sizeof *w->below);
    for (uint32_t k = c->soff[i]; k < c->soff[i + 1]; k++)
        if (wants_failover(c, c->sflows[k]))
            w->below[w->tree.tin[fl[c->sflows[k]].dst.idx] + 1]++;
    for (uint32_t k = 0; k < b->nsettled; k++)
        w->below[k + 1] += w->below[k];
    for (uint32_t p = 1; !rc && p < b->nsettled; p++) {
        uint32_t v = w->tree.order[p], end = w->tree.tout[v];
        uint32_t all = w->below[end] - w->below[p];
        uint32_t under = w->below[end] - w->below[p + 1];
        struct failure link = {{NV_FAIL_LINK, b->inlink[v]}, p, end};
        struct failure asset = {{NV_FAIL_ASSET, v}, p, end};
        w->linked = all && b->nin[v] == 1;
        w->stamp++;
        if (w->linked)
            rc = reroute(c, w, i, &link);
        if (!rc && under)
            rc = reroute(c, w, i, &asset);
    }
    return rc;
}

static enum nv_rc failover_item(struct nv_xctx *c, struct failover_scratch *w,
                                uint32_t item)
{
    uint32_t f = item - c->nsources;

    if (item < c->nsources)
        return failover_source(c, w, item);
    if (!NV_FLOWS(c->m)[f].path.n || !wants_failover(c, f))
        return NV_OK;
    return failover_flow(c, w, f);
}

void *nv_xctx_failover_worker(void *arg)
{
    struct nv_xctx *c = arg;
    size_t n = (size_t)c->m->graph.n + 1;
    struct failover_scratch w;
    uint32_t item;
    int ok;

    memset(&w, 0, sizeof w);
    w.fails = nv_calloc(2 * n, sizeof *w.fails);
    w.kids = nv_calloc(n, sizeof *w.kids);
    w.koff = nv_calloc(n + 1, sizeof *w.koff);
    w.tree.order = nv_calloc(n, sizeof *w.tree.order);
    w.tree.tin = nv_calloc(n, sizeof *w.tree.tin);
    w.tree.nlo = nv_calloc(n, sizeof *w.tree.nlo);
    w.tree.nhi = nv_calloc(n, sizeof *w.tree.nhi);
    w.tree.tout = nv_calloc(n, sizeof *w.tree.tout);
    w.below = nv_calloc(n + 1, sizeof *w.below);
    w.stack = nv_calloc(3 * n, sizeof *w.stack);
    w.targets = nv_calloc((size_t)c->x->nflows + 1, sizeof *w.targets);
    w.redo = nv_calloc(n, sizeof *w.redo);
    ok = w.fails && w.kids && w.koff && w.tree.order && w.tree.tin &&
         w.tree.nlo && w.tree.nhi && w.tree.tout && w.below && w.stack &&
         w.targets && w.redo;
    if (!ok || nv_routes_init(&w.r, c->m, NULL) ||
        nv_routes_init(&w.base, c->m, NULL))
        atomic_store(&c->failed, 1);
    while (nv_xctx_next(c, c->nsources + c->x->nflows, &item))
        if (failover_item(c, &w, item))
            atomic_store(&c->failed, 1);
    nv_routes_release(&w.r);
    nv_routes_release(&w.base);
    nv_free(w.fails);
    nv_free(w.kids);
    nv_free(w.koff);
    nv_free(w.tree.order);
    nv_free(w.tree.tin);
    nv_free(w.tree.nlo);
    nv_free(w.tree.nhi);
    nv_free(w.tree.tout);
    nv_free(w.below);
    nv_free(w.stack);
    nv_free(w.targets);
    nv_free(w.redo);
    return NULL;
}
