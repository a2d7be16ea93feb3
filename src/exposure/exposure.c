/*
 * exposure.c - the three levels for every flow and group.
 *
 * Work is done in phases (must, may, routed), each split into items that
 * threads take from a shared counter: a group for must and may, a source
 * for routed.  Items of a phase write disjoint cells of the level table
 * (a group's column, or the rows of a source's flows), and levels only
 * ever rise, so the result does not depend on the threads' timing.
 */
#include "exposure/exposure.h"

#include "core/alloc.h"
#include "exposure/bct.h"
#include "model/graph.h"
#include "core/threads.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

const char *const nv_level_names[NV_LEVEL_COUNT] = {"none", "may", "routed",
                                                    "must"};

/* What the phases share. */
struct ctx {
    const struct nv_model *m;
    struct nv_exposure *x;
    struct nv_bct bct;
    uint32_t *fnode_s, *fnode_t, *flca; /* per flow, for may */
    uint32_t *soff, *sflows, nsources;  /* routed flows by source */
    atomic_uint next;
    atomic_int failed;
};

static void raise_level(struct nv_exposure *x, uint32_t f, uint32_t g,
                        enum nv_level l)
{
    unsigned char *cell = &x->level[(size_t)f * x->groups.n + g];
    if (*cell < l)
        *cell = (unsigned char)l;
}

/* Take the next item of the phase, if any is left and nothing failed. */
static int next_item(struct ctx *c, uint32_t n, uint32_t *item)
{
    if (atomic_load(&c->failed))
        return 0;
    *item = atomic_fetch_add(&c->next, 1);
    return *item < n;
}

/* Run fn on n threads from the phase's first item. */
static void run_threads(struct ctx *c, int n, void *(*fn)(void *))
{
    atomic_store(&c->next, 0);
    nv_threads_run(n, fn, c);
}

/* The flows whose ends are connected in the whole graph. */
static enum nv_rc mark_connected(struct ctx *c)
{
    const struct nv_graph *g = &c->m->graph;
    const struct nv_flow *f = NV_FLOWS(c->m);
    uint32_t *comp = nv_calloc((size_t)g->n + 1, sizeof *comp);
    uint32_t *stack = nv_calloc((size_t)g->n + 1, sizeof *stack);
    int ok = comp && stack;

    if (ok) {
        nv_graph_components(g, NULL, comp, stack);
        for (uint32_t i = 0; i < c->x->nflows; i++)
            c->x->connected[i] = comp[f[i].src.idx] == comp[f[i].dst.idx];
    }
    nv_free(comp);
    nv_free(stack);
    return ok ? NV_OK : NV_ENOMEM;
}

/* ---- must: components of the graph without the group ---- */

struct must_scratch {
    unsigned char *removed;
    uint32_t *comp, *stack;
};

static void must_group(struct ctx *c, struct must_scratch *w, uint32_t g)
{
    const struct nv_groups *gs = &c->x->groups;
    const struct nv_flow *f = NV_FLOWS(c->m);

    for (uint32_t k = gs->aoff[g]; k < gs->aoff[g + 1]; k++)
        w->removed[gs->asset[k]] = 1;
    nv_graph_components(&c->m->graph, w->removed, w->comp, w->stack);
    for (uint32_t i = 0; i < c->x->nflows; i++) {
        uint32_t s = f[i].src.idx, t = f[i].dst.idx;
        if (c->x->connected[i] &&
            (w->removed[s] || w->removed[t] || w->comp[s] != w->comp[t]))
            raise_level(c->x, i, g, NV_LEVEL_MUST);
    }
    for (uint32_t k = gs->aoff[g]; k < gs->aoff[g + 1]; k++)
        w->removed[gs->asset[k]] = 0;
}

static void *must_worker(void *arg)
{
    struct ctx *c = arg;
    uint32_t n = c->m->graph.n + 1, g;
    struct must_scratch w = {nv_calloc(n, 1), nv_calloc(n, sizeof(uint32_t)),
                             nv_calloc(n, sizeof(uint32_t))};

    if (!w.removed || !w.comp || !w.stack)
        atomic_store(&c->failed, 1);
    while (next_item(c, c->x->groups.n, &g))
        must_group(c, &w, g);
    nv_free(w.removed);
    nv_free(w.comp);
    nv_free(w.stack);
    return NULL;
}

/* ---- may: blocks on the block-cut forest path ---- */

struct may_scratch {
    unsigned char *mark;
    uint32_t *count; /* marked nodes from the root down to each node */
};

/* Mark the forest nodes holding an asset of group g (set to val). */
static void mark_group(struct ctx *c, unsigned char *mark, uint32_t g,
                       unsigned char val)
{
    const struct nv_groups *gs = &c->x->groups;
    const struct nv_bct *t = &c->bct;

    for (uint32_t k = gs->aoff[g]; k < gs->aoff[g + 1]; k++) {
        uint32_t x = t->node[gs->asset[k]], cut = x - t->nblocks;
        mark[x] = val;
        for (uint32_t i = x < t->nblocks ? 0 : t->coff[cut];
             x >= t->nblocks && i < t->coff[cut + 1]; i++)
            mark[t->cblk[i]] = val;
    }
}

static void may_group(struct ctx *c, struct may_scratch *w, uint32_t g)
{
    const struct nv_bct *t = &c->bct;
    uint32_t nodes = nv_bct_nodes(t);

    mark_group(c, w->mark, g, 1);
    for (uint32_t i = 0; i < nodes; i++) {
        uint32_t x = t->order[i], p = t->parent[x];
        w->count[x] = w->mark[x] + (p == NV_NONE ? 0 : w->count[p]);
    }
    for (uint32_t f = 0; f < c->x->nflows; f++) {
        uint32_t a = c->fnode_s[f], b = c->fnode_t[f], l = c->flca[f];
        if (l != NV_NONE &&
            w->count[a] + w->count[b] - 2 * w->count[l] + w->mark[l] > 0)
            raise_level(c->x, f, g, NV_LEVEL_MAY);
    }
    mark_group(c, w->mark, g, 0);
}

static void *may_worker(void *arg)
{
    struct ctx *c = arg;
    uint32_t n = nv_bct_nodes(&c->bct) + 1, g;
    struct may_scratch w = {nv_calloc(n, 1), nv_calloc(n, sizeof(uint32_t))};

    if (!w.mark || !w.count)
        atomic_store(&c->failed, 1);
    while (next_item(c, c->x->groups.n, &g))
        may_group(c, &w, g);
    nv_free(w.mark);
    nv_free(w.count);
    return NULL;
}

/* The forest nodes of each connected flow's ends and their LCA; flows
 * that are not connected, or start where they end, get no LCA. */
static enum nv_rc prepare_may(struct ctx *c, struct nv_err *err)
{
    const struct nv_flow *f = NV_FLOWS(c->m);
    uint32_t n = c->x->nflows;
    enum nv_rc rc = nv_bct_build(&c->m->graph, &c->bct, err);

    c->fnode_s = nv_calloc((size_t)n + 1, sizeof *c->fnode_s);
    c->fnode_t = nv_calloc((size_t)n + 1, sizeof *c->fnode_t);
    c->flca = nv_calloc((size_t)n + 1, sizeof *c->flca);
    if (!rc && (!c->fnode_s || !c->fnode_t || !c->flca))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    for (uint32_t i = 0; !rc && i < n; i++) {
        c->fnode_s[i] = c->bct.node[f[i].src.idx];
        c->fnode_t[i] = c->bct.node[f[i].dst.idx];
    }
    if (!rc)
        rc = nv_bct_lca(&c->bct, c->fnode_s, c->fnode_t, n, c->flca, err);
    for (uint32_t i = 0; !rc && i < n; i++)
        if (!c->x->connected[i] || f[i].src.idx == f[i].dst.idx)
            c->flca[i] = NV_NONE;
    return rc;
}

/* ---- routed: least-cost paths from each source ---- */

struct heap_item {
    double d;
    uint32_t v;
};

struct routed_scratch {
    double *dist;
    uint32_t *known;   /* dist[v] is valid when known[v] == epoch */
    uint32_t *wanted;  /* v ends a flow of this source: == epoch */
    uint32_t *settled; /* vertices in the order their distance was fixed */
    uint32_t nsettled, epoch;
    uint64_t *reach; /* per vertex: words bits, the groups on some
                        least-cost path from the source to it */
    uint32_t words;
    struct heap_item *heap;
    size_t nheap, cap;
};

/* Costs are sums of decimals: paths equal in exact arithmetic may differ
 * in the last bits, so equality allows a relative 1e-9. */
static int tight(double du, double cost, double dv)
{
    return fabs(du + cost - dv) <= 1e-9 * fmax(1.0, dv);
}

static int heap_push(struct routed_scratch *w, double d, uint32_t v)
{
    size_t i;

    if (nv_array_reserve(&w->heap, &w->cap, w->nheap + 1, sizeof *w->heap))
        return 0;
    for (i = w->nheap++; i > 0 && w->heap[(i - 1) / 2].d > d; i = (i - 1) / 2)
        w->heap[i] = w->heap[(i - 1) / 2];
    w->heap[i] = (struct heap_item){d, v};
    return 1;
}

static struct heap_item heap_pop(struct routed_scratch *w)
{
    struct heap_item top = w->heap[0], last = w->heap[--w->nheap];
    size_t i = 0;

    for (size_t k = 1; k < w->nheap; k = 2 * i + 1) {
        if (k + 1 < w->nheap && w->heap[k + 1].d < w->heap[k].d)
            k++;
        if (w->heap[k].d >= last.d)
            break;
        w->heap[i] = w->heap[k];
        i = k;
    }
    if (w->nheap)
        w->heap[i] = last;
    return top;
}

static double dist_of(const struct routed_scratch *w, uint32_t v)
{
    return w->known[v] == w->epoch ? w->dist[v] : INFINITY;
}

static int relax(struct routed_scratch *w, uint32_t v, double d)
{
    if (d >= dist_of(w, v))
        return 1;
    w->known[v] = w->epoch;
    w->dist[v] = d;
    return heap_push(w, d, v);
}

/* Dijkstra from s until all `left` wanted vertices are settled. */
static int shortest_from(const struct ctx *c, struct routed_scratch *w,
                         uint32_t s, uint32_t left)
{
    const struct nv_graph *g = &c->m->graph;

    w->nheap = 0;
    w->nsettled = 0;
    if (!relax(w, s, 0))
        return 0;
    while (w->nheap && left) {
        struct heap_item it = heap_pop(w);
        if (it.d > dist_of(w, it.v))
            continue; /* a stale entry */
        left -= w->wanted[it.v] == w->epoch;
        w->settled[w->nsettled++] = it.v;
        for (uint32_t k = g->off[it.v]; k < g->off[it.v + 1]; k++)
            if (!relax(w, g->adj[k], it.d + g->cost[k]))
                return 0;
    }
    return 1;
}

static void raise_asset(struct ctx *c, uint32_t f, uint32_t a, enum nv_level lv)
{
    const struct nv_groups *gs = &c->x->groups;

    for (uint32_t k = gs->off[a]; k < gs->off[a + 1]; k++)
        raise_level(c->x, f, gs->grp[k], lv);
}

/*
 * The groups on some least-cost path from the source to each settled
 * vertex v: v's own, and those of every u whose link to v is tight (the
 * distance grows by exactly its cost).  Tight predecessors are settled
 * before v, so one pass in settling order fills them all: O(links x
 * words) per source, shared by all its flows.
 */
static void reach_groups(const struct ctx *c, struct routed_scratch *w)
{
    const struct nv_graph *g = &c->m->graph;
    const struct nv_groups *gs = &c->x->groups;

    for (uint32_t i = 0; i < w->nsettled; i++) {
        uint32_t v = w->settled[i];
        uint64_t *rv = &w->reach[(size_t)v * w->words];
        memset(rv, 0, w->words * sizeof *rv);
        for (uint32_t k = gs->off[v]; k < gs->off[v + 1]; k++)
            rv[gs->grp[k] / 64] |= (uint64_t)1 << (gs->grp[k] % 64);
        for (uint32_t k = g->off[v]; i && k < g->off[v + 1]; k++) {
            uint32_t u = g->adj[k];
            const uint64_t *ru = &w->reach[(size_t)u * w->words];
            if (!tight(dist_of(w, u), g->cost[k], w->dist[v]))
                continue;
            for (uint32_t b = 0; b < w->words; b++)
                rv[b] |= ru[b];
        }
    }
}

/* Flow f is routed through every group in t's reach. */
static void mark_routes(struct ctx *c, const struct routed_scratch *w,
                        uint32_t f, uint32_t t)
{
    const uint64_t *rt = &w->reach[(size_t)t * w->words];

    for (uint32_t g = 0; g < c->x->groups.n; g++)
        if (rt[g / 64] >> (g % 64) & 1)
            raise_level(c->x, f, g, NV_LEVEL_ROUTED);
}

static int routed_source(struct ctx *c, struct routed_scratch *w, uint32_t i)
{
    const struct nv_flow *f = NV_FLOWS(c->m);
    uint32_t first = c->soff[i], end = c->soff[i + 1], left = 0;

    w->epoch++;
    for (uint32_t k = first; k < end; k++) {
        uint32_t t = f[c->sflows[k]].dst.idx;
        left += w->wanted[t] != w->epoch;
        w->wanted[t] = w->epoch;
    }
    if (!shortest_from(c, w, f[c->sflows[first]].src.idx, left))
        return 0;
    reach_groups(c, w);
    for (uint32_t k = first; k < end; k++)
        mark_routes(c, w, c->sflows[k], f[c->sflows[k]].dst.idx);
    return 1;
}

static void *routed_worker(void *arg)
{
    struct ctx *c = arg;
    uint32_t n = c->m->graph.n + 1, i;
    struct routed_scratch w;

    memset(&w, 0, sizeof w);
    w.words = (c->x->groups.n + 63) / 64 + 1;
    w.dist = nv_calloc(n, sizeof *w.dist);
    w.known = nv_calloc(n, sizeof *w.known);
    w.wanted = nv_calloc(n, sizeof *w.wanted);
    w.settled = nv_calloc(n, sizeof *w.settled);
    w.reach = nv_calloc((size_t)n * w.words, sizeof *w.reach);
    if (!w.dist || !w.known || !w.wanted || !w.settled || !w.reach)
        atomic_store(&c->failed, 1);
    while (next_item(c, c->nsources, &i))
        if (!routed_source(c, &w, i))
            atomic_store(&c->failed, 1);
    nv_free(w.dist);
    nv_free(w.known);
    nv_free(w.wanted);
    nv_free(w.settled);
    nv_free(w.reach);
    nv_free(w.heap);
    return NULL;
}

/* Declared paths and flows that start where they end are their own
 * routes; the others are grouped by source for the searches. */
static enum nv_rc prepare_routed(struct ctx *c)
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
            raise_asset(c, i, f[i].path.v[k].idx, NV_LEVEL_ROUTED);
        if (f[i].src.idx == f[i].dst.idx)
            raise_asset(c, i, f[i].src.idx, NV_LEVEL_ROUTED);
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

static enum nv_rc compute(struct ctx *c, int threads, struct nv_err *err)
{
    enum nv_rc rc = mark_connected(c);

    if (!rc)
        run_threads(c, threads, must_worker);
    if (!rc && !atomic_load(&c->failed))
        rc = prepare_may(c, err);
    if (!rc && !atomic_load(&c->failed))
        run_threads(c, threads, may_worker);
    if (!rc && !atomic_load(&c->failed))
        rc = prepare_routed(c);
    if (!rc && !atomic_load(&c->failed))
        run_threads(c, threads, routed_worker);
    if (!rc && atomic_load(&c->failed))
        rc = NV_ENOMEM;
    if (rc && (!err || !err->rc))
        nv_err_set(err, rc, "out of memory");
    return rc;
}

enum nv_rc nv_exposure_compute(const struct nv_model *m, int threads,
                               struct nv_exposure *x, struct nv_err *err)
{
    struct ctx c;
    enum nv_rc rc;

    memset(x, 0, sizeof *x);
    memset(&c, 0, sizeof c);
    c.m = m;
    c.x = x;
    x->nflows = NV_COUNT(m, NV_T_FLOW);
    rc = nv_groups_build(m, &x->groups, err);
    if (!rc) {
        x->level = nv_calloc((size_t)x->nflows * x->groups.n + 1, 1);
        x->connected = nv_calloc((size_t)x->nflows + 1, 1);
        rc = x->level && x->connected
                 ? compute(&c, nv_threads_count(threads), err)
                 : nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    nv_bct_release(&c.bct);
    nv_free(c.fnode_s);
    nv_free(c.fnode_t);
    nv_free(c.flca);
    nv_free(c.soff);
    nv_free(c.sflows);
    if (rc)
        nv_exposure_release(x);
    return rc;
}

void nv_exposure_release(struct nv_exposure *x)
{
    nv_groups_release(&x->groups);
    nv_free(x->level);
    nv_free(x->connected);
    memset(x, 0, sizeof *x);
}
