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
 * nearest common dominator of its tight predecessors); each such failure
 * then costs one search from s.  A declared path moves when an asset
 * inside it fails, or a link between two of its assets that no other
 * link joins.
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
    struct nv_routes r;
    uint32_t *idom, *depth, *nin, *inlink;
    struct nv_fail *fails;
};

/* The nearest common dominator of a and b. */
static uint32_t meet(const struct failover_scratch *w, uint32_t a, uint32_t b)
{
    while (w->depth[a] > w->depth[b])
        a = w->idom[a];
    while (w->depth[b] > w->depth[a])
        b = w->idom[b];
    while (a != b) {
        a = w->idom[a];
        b = w->idom[b];
    }
    return a;
}

/* Immediate dominators of the route DAG's assets, up to t, and each
 * asset's tight links in (the last one in inlink). */
static void dominators(struct failover_scratch *w, uint32_t t)
{
    const struct nv_routes *r = &w->r;
    const struct nv_graph *g = &r->m->graph;

    for (uint32_t i = 0; i < r->nsettled; i++) {
        uint32_t v = r->settled[i], d = NV_NONE;
        if (r->on[v] != r->mark)
            continue;
        w->nin[v] = 0;
        for (uint32_t k = g->off[v]; v != r->src && k < g->off[v + 1]; k++) {
            if (!nv_routes_tight_in(r, v, k))
                continue;
            w->nin[v]++;
            w->inlink[v] = g->link[k];
            d = d == NV_NONE ? g->adj[k] : meet(w, d, g->adj[k]);
        }
        w->idom[v] = d == NV_NONE ? v : d;
        w->depth[v] = d == NV_NONE ? 0 : w->depth[d] + 1;
        if (v == t)
            break;
    }
}

/* The failures that move the least-cost routes to t, into w->fails. */
static uint32_t route_failures(struct failover_scratch *w, uint32_t t)
{
    const struct nv_routes *r = &w->r;
    uint32_t n = 0;

    dominators(w, t);
    for (uint32_t v = t; v != r->src; v = w->idom[v]) {
        if (w->nin[v] == 1)
            w->fails[n++] = (struct nv_fail){NV_FAIL_LINK, w->inlink[v]};
        if (v != t)
            w->fails[n++] = (struct nv_fail){NV_FAIL_ASSET, v};
    }
    return n;
}

/* The failures that break flow f's declared path, into w->fails. */
static uint32_t path_failures(struct failover_scratch *w,
                              const struct nv_model *m, uint32_t f)
{
    const struct nv_refs *p = &NV_FLOWS(m)[f].path;
    const struct nv_graph *g = &m->graph;
    uint32_t n = 0;

    for (uint32_t i = 0; i + 1 < p->n; i++) {
        uint32_t a = p->v[i].idx;
        struct nv_fail link = {NV_FAIL_LINK, NV_NONE};
        if (i)
            w->fails[n++] = (struct nv_fail){NV_FAIL_ASSET, a};
        for (uint32_t k = g->off[a]; k < g->off[a + 1]; k++)
            if (g->adj[k] == p->v[i + 1].idx)
                link.id = g->link[k];
        if (nv_routes_breaks_path(m, f, link))
            w->fails[n++] = link;
    }
    return n;
}

static enum nv_rc failover_flow(struct nv_xctx *c, struct failover_scratch *w,
                                uint32_t f)
{
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];
    uint32_t t = fl->dst.idx, nf, n;
    enum nv_rc rc = NV_OK;

    if (!c->x->connected[f] || fl->src.idx == t ||
        fl->classification < c->x->failover_from)
        return NV_OK;
    if (fl->path.n) {
        nf = path_failures(w, c->m, f);
    } else {
        rc = nv_routes_search(&w->r, fl->src.idx, no_fail, &t, 1);
        nf = rc || !nv_routes_back(&w->r, t) ? 0 : route_failures(w, t);
    }
    for (uint32_t i = 0; !rc && i < nf; i++) {
        rc = nv_routes_flow(&w->r, f, w->fails[i], &n);
        for (uint32_t k = 0; !rc && k < n; k++)
            nv_xctx_raise_asset(c, f, w->r.queue[k], NV_LEVEL_FAILOVER);
    }
    return rc;
}

void *nv_xctx_failover_worker(void *arg)
{
    struct nv_xctx *c = arg;
    size_t n = (size_t)c->m->graph.n + 1;
    struct failover_scratch w;
    uint32_t f;

    memset(&w, 0, sizeof w);
    w.idom = nv_calloc(n, sizeof *w.idom);
    w.depth = nv_calloc(n, sizeof *w.depth);
    w.nin = nv_calloc(n, sizeof *w.nin);
    w.inlink = nv_calloc(n, sizeof *w.inlink);
    w.fails = nv_calloc(2 * n, sizeof *w.fails);
    if (nv_routes_init(&w.r, c->m, NULL) || !w.idom || !w.depth || !w.nin ||
        !w.inlink || !w.fails)
        atomic_store(&c->failed, 1);
    while (nv_xctx_next(c, c->x->nflows, &f))
        if (failover_flow(c, &w, f))
            atomic_store(&c->failed, 1);
    nv_routes_release(&w.r);
    nv_free(w.idom);
    nv_free(w.depth);
    nv_free(w.nin);
    nv_free(w.inlink);
    nv_free(w.fails);
    return NULL;
}
