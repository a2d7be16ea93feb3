/*
 * exposure_route.c - the routed and failover levels.
 *
 * Routed: one least-cost search per source, shared by all its flows; the
 * groups on some least-cost path to each asset are gathered in settling
 * order (tight predecessors come first), O(links x groups / 64) a source.
 *
 * Failover: the routes of each flow after every failure that moves
 * them bring their groups: through the overlay when there is one
 * (detour.c), else by the searches from each source (failover.c).
 */
#include "core/alloc.h"
#include "exposure/detour.h"
#include "exposure/exposure_int.h"
#include "exposure/failover.h"
#include "exposure/overlay.h"
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
    struct nv_overlay_search ow; /* when c->overlay has a core */
    uint64_t *reach;             /* per asset: words bits, the groups on some
                                    least-cost path from the source to it */
    uint32_t words;
    uint32_t *targets, *left; /* the flows searched, and their ends */
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

static void raise_bits(struct nv_xctx *c, uint32_t f, const uint64_t *bits)
{
    for (uint32_t g = 0; g < c->x->groups.n; g++)
        if (bits[g / 64] >> (g % 64) & 1)
            nv_xctx_raise(c->x, f, g, NV_LEVEL_ROUTED);
}

/* Source i's flows: through the overlay if there is one, else by one
 * search from the source; 0 if out of memory. */
static int routed_source(struct nv_xctx *c, struct routed_scratch *w,
                         uint32_t i)
{
    const struct nv_flow *f = NV_FLOWS(c->m);
    uint32_t first = c->soff[i], end = c->soff[i + 1], n = 0;
    uint32_t s = f[c->sflows[first]].src.idx;

    for (uint32_t k = first; k < end; k++) {
        uint32_t fl = c->sflows[k];
        if (!c->overlay.nk) {
            w->left[n] = fl;
            w->targets[n++] = f[fl].dst.idx;
        } else if (nv_overlay_route(&w->ow, s, f[fl].dst.idx, w->reach) < 0)
            return 0;
        else
            raise_bits(c, fl, w->reach);
    }
    if (!n)
        return 1;
    if (nv_routes_search(&w->r, s, no_fail, w->targets, n))
        return 0;
    reach_groups(c, w);
    for (uint32_t k = 0; k < n; k++)
        raise_bits(c, w->left[k], &w->reach[(size_t)w->targets[k] * w->words]);
    return 1;
}

/* Scratch for the overlay, or for the searches from each source: the
 * overlay takes every flow when there is one. */
static enum nv_rc routed_init(struct nv_xctx *c, struct routed_scratch *w)
{
    size_t n = c->overlay.nk ? 1 : (size_t)c->m->graph.n + 1;

    memset(w, 0, sizeof *w);
    w->words = (c->x->groups.n + 63) / 64 + 1;
    w->reach = nv_calloc(n * w->words, sizeof *w->reach);
    if (!w->reach)
        return NV_ENOMEM;
    if (c->overlay.nk)
        return nv_overlay_search_init(&w->ow, &c->overlay);
    w->targets = nv_calloc((size_t)c->x->nflows + 1, sizeof *w->targets);
    w->left = nv_calloc((size_t)c->x->nflows + 1, sizeof *w->left);
    if (!w->targets || !w->left)
        return NV_ENOMEM;
    return nv_routes_init(&w->r, c->m, NULL);
}

void *nv_xctx_routed_worker(void *arg)
{
    struct nv_xctx *c = arg;
    uint32_t i;
    struct routed_scratch w;

    if (routed_init(c, &w))
        atomic_store(&c->failed, 1);
    while (nv_xctx_next(c, c->nsources, &i))
        if (!routed_source(c, &w, i))
            atomic_store(&c->failed, 1);
    nv_routes_release(&w.r);
    nv_overlay_search_release(&w.ow);
    nv_free(w.reach);
    nv_free(w.targets);
    nv_free(w.left);
    return NULL;
}

/* ---- failover ---- */

/* Each asset on a flow's routes after a failure brings its groups. */
static void raise_failover(void *ctx, uint32_t f, const uint32_t *assets,
                           uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        nv_xctx_raise_asset(ctx, f, assets[i], NV_LEVEL_FAILOVER);
}

struct failover_scratch {
    struct nv_failover w;
    struct nv_detour_search dw; /* when c->overlay has a core */
    uint64_t *bits;
    uint32_t *flows;
};

/* Flow f through the overlay. */
static enum nv_rc failover_detour(struct nv_xctx *c, struct failover_scratch *w,
                                  uint32_t f)
{
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];
    enum nv_rc rc = nv_detour_flow(&w->dw, fl->src.idx, fl->dst.idx, w->bits);

    for (uint32_t g = 0; !rc && g < c->x->groups.n; g++)
        if (w->bits[g / 64] >> (g % 64) & 1)
            nv_xctx_raise(c->x, f, g, NV_LEVEL_FAILOVER);
    return rc;
}

/* Source i's flows that want the failover level, or flow
 * item - nsources alone if it has a declared path. */
static enum nv_rc failover_item(struct nv_xctx *c, struct failover_scratch *w,
                                uint32_t item)
{
    uint32_t f = item - c->nsources, n = 0;

    if (item >= c->nsources)
        return NV_FLOWS(c->m)[f].path.n &&
                       nv_exposure_wants_failover(c->x, c->m, f)
                   ? nv_failover_flow(&w->w, f, raise_failover, c)
                   : NV_OK;
    for (uint32_t k = c->soff[item]; k < c->soff[item + 1]; k++) {
        enum nv_rc rc = NV_OK;
        if (!nv_exposure_wants_failover(c->x, c->m, c->sflows[k]))
            continue;
        if (c->overlay.nk)
            rc = failover_detour(c, w, c->sflows[k]);
        else
            w->flows[n++] = c->sflows[k];
        if (rc)
            return rc;
    }
    return nv_failover_source(&w->w, w->flows, n, raise_failover, c);
}

static enum nv_rc failover_init(struct nv_xctx *c, struct failover_scratch *w)
{
    uint32_t words = (c->x->groups.n + 63) / 64 + 1;

    memset(w, 0, sizeof *w);
    w->flows = nv_calloc((size_t)c->x->nflows + 1, sizeof *w->flows);
    w->bits = nv_calloc(words, sizeof *w->bits);
    if (!w->flows || !w->bits)
        return NV_ENOMEM;
    if (c->overlay.nk && nv_detour_search_init(&w->dw, &c->detour))
        return NV_ENOMEM;
    return nv_failover_init(&w->w, c->m, c->x->nflows, NULL);
}

void *nv_xctx_failover_worker(void *arg)
{
    struct nv_xctx *c = arg;
    struct failover_scratch w;
    uint32_t item;

    if (failover_init(c, &w))
        atomic_store(&c->failed, 1);
    while (nv_xctx_next(c, c->nsources + c->x->nflows, &item))
        if (failover_item(c, &w, item))
            atomic_store(&c->failed, 1);
    nv_failover_release(&w.w);
    nv_detour_search_release(&w.dw);
    nv_free(w.bits);
    nv_free(w.flows);
    return NULL;
}
