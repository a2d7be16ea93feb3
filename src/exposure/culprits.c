/*
 * culprits.c - the assets behind each exposure level.
 *
 * must and may are answered by one unit-capacity max-flow over the
 * assets split in two (in -> out, the asset's capacity; links join out to
 * in both ways, unbounded), augmented by breadth-first search:
 *   must: capacity 1 for the group's transit assets, unbounded for the
 *         other transit assets, from s to t; the group's assets whose in
 *         half the last search reached and whose out half it did not are
 *         a minimum cut (max-flow min-cut), at most the group's size;
 *   may:  capacity 1 for every transit asset, from an asset x of the
 *         group to s and t, one unit each: two paths from x that share
 *         nothing but x make a simple s-t path through x (Menger).
 * Non-transit assets other than the flow's ends get capacity 0.
 */
#include "exposure/culprits.h"

#include "core/alloc.h"

#include <stdlib.h>
#include <string.h>

#define UNBOUNDED (UINT32_MAX / 4)

/* twin[k]: the other half-edge of k's link. */
static enum nv_rc pair_halves(struct nv_culprits *c, uint32_t nlinks,
                              struct nv_err *err)
{
    const struct nv_graph *g = &c->m->graph;
    uint32_t *first = nv_calloc((size_t)nlinks + 1, sizeof *first);

    if (!first) {
        nv_culprits_release(c);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    for (uint32_t l = 0; l < nlinks; l++)
        first[l] = NV_NONE;
    for (uint32_t k = 0; k < g->off[g->n]; k++) {
        uint32_t l = g->link[k];
        if (first[l] == NV_NONE) {
            first[l] = k;
            continue;
        }
        c->twin[k] = first[l];
        c->twin[first[l]] = k;
    }
    nv_free(first);
    return NV_OK;
}

enum nv_rc nv_culprits_init(struct nv_culprits *c, const struct nv_model *m,
                            const struct nv_exposure *x, struct nv_err *err)
{
    const struct nv_graph *g = &m->graph;
    size_t n = (size_t)g->n + 1, h = (size_t)g->off[g->n] + 1;
    enum nv_rc rc;

    memset(c, 0, sizeof *c);
    c->m = m;
    c->x = x;
    rc = nv_routes_init(&c->r, m, err);
    c->fails = nv_calloc(2 * n, sizeof *c->fails);
    c->assets = nv_calloc(n, sizeof *c->assets);
    c->path = nv_calloc(n, sizeof *c->path);
    c->cap = nv_calloc(n, sizeof *c->cap);
    c->used = nv_calloc(n, sizeof *c->used);
    c->pred = nv_calloc(2 * n, sizeof *c->pred);
    c->via = nv_calloc(2 * n, sizeof *c->via);
    c->bfs = nv_calloc(2 * n, sizeof *c->bfs);
    c->seen = nv_calloc(2 * n, sizeof *c->seen);
    c->twin = nv_calloc(h, sizeof *c->twin);
    c->flow = nv_calloc(h, sizeof *c->flow);
    c->fo = nv_calloc(n, sizeof *c->fo);
    c->foseen = nv_calloc(n, sizeof *c->foseen);
    c->foflow = NV_NONE;
    if (!rc && !(c->fails && c->assets && c->path && c->cap && c->used &&
                 c->pred && c->via && c->bfs && c->seen && c->twin && c->flow &&
                 c->fo && c->foseen))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (rc) {
        nv_culprits_release(c);
        return rc;
    }
    return pair_halves(c, NV_COUNT(m, NV_T_LINK), err);
}

void nv_culprits_release(struct nv_culprits *c)
{
    nv_routes_release(&c->r);
    nv_free(c->fails);
    nv_free(c->assets);
    nv_free(c->path);
    nv_free(c->cap);
    nv_free(c->used);
    nv_free(c->pred);
    nv_free(c->via);
    nv_free(c->bfs);
    nv_free(c->seen);
    nv_free(c->twin);
    nv_free(c->flow);
    nv_free(c->fo);
    nv_free(c->foseen);
    memset(c, 0, sizeof *c);
}

static int in_group(const struct nv_groups *gs, uint32_t a, uint32_t g)
{
    for (uint32_t k = gs->off[a]; k < gs->off[a + 1]; k++)
        if (gs->grp[k] == g)
            return 1;
    return 0;
}

/* ---- max-flow: node 2v is v's in half, 2v + 1 its out half ---- */

/* Clear the flow and give every asset its capacity: x's (x NV_NONE:
 * every transit asset's) 1, other transit assets unbounded or 1. */
static void reset_flow(struct nv_culprits *c, uint32_t g, int unit)
{
    const struct nv_graph *gr = &c->m->graph;
    const struct nv_asset *a = NV_ASSETS(c->m);

    memset(c->flow, 0, (size_t)gr->off[gr->n] * sizeof *c->flow);
    c->full = NV_NONE;
    for (uint32_t v = 0; v < gr->n; v++) {
        c->used[v] = 0;
        c->cap[v] = !a[v].transit                           ? 0
                    : unit || in_group(&c->x->groups, v, g) ? 1
                                                            : UNBOUNDED;
    }
}

static void visit(struct nv_culprits *c, uint32_t node, uint32_t from,
                  int32_t via, uint32_t *tail)
{
    if (c->seen[node] == c->stamp)
        return;
    c->seen[node] = c->stamp;
    c->pred[node] = from;
    c->via[node] = via;
    c->bfs[(*tail)++] = node;
}

/* Residual arcs out of one node: halves of the asset, links out, and
 * links back where flow came in. */
static void expand(struct nv_culprits *c, uint32_t node, uint32_t *tail)
{
    const struct nv_graph *g = &c->m->graph;
    uint32_t v = node / 2;

    if (node % 2 == 0 && c->used[v] < c->cap[v])
        visit(c, node + 1, node, 0, tail);
    if (node % 2 == 1 && c->used[v] > 0)
        visit(c, node - 1, node, 0, tail);
    for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
        uint32_t w = g->adj[k], tw = c->twin[k];
        if (w == v)
            continue;
        if (node % 2 == 1 && (c->cap[w] > 0 || w == c->full))
            visit(c, 2 * w, node, (int32_t)k + 1, tail);
        if (node % 2 == 0 && tw != NV_NONE && c->flow[tw] > 0)
            visit(c, 2 * w + 1, node, -(int32_t)tw - 1, tail);
    }
}

/* Push one unit back along the search tree from node. */
static void augment(struct nv_culprits *c, uint32_t node, uint32_t from)
{
    while (node != from) {
        uint32_t p = c->pred[node];
        int32_t via = c->via[node];
        if (via == 0 && node % 2 == 1)
            c->used[node / 2]++;
        else if (via == 0)
            c->used[node / 2]--;
        else if (via < 0)
            c->flow[-via - 1]--;
        else if (c->flow[c->twin[via - 1]] > 0)
            c->flow[c->twin[via - 1]]--;
        else
            c->flow[via - 1]++;
        node = p;
    }
}

/* One augmenting path from the out half of asset a to the in half of an
 * asset with sink[] set: returns that asset, or NV_NONE. */
static uint32_t push(struct nv_culprits *c, uint32_t a, uint32_t s1,
                     uint32_t s2)
{
    uint32_t head = 0, tail = 0;

    c->stamp++;
    visit(c, 2 * a + 1, 2 * a + 1, 0, &tail);
    while (head < tail) {
        uint32_t node = c->bfs[head++];
        if (node % 2 == 0 && (node / 2 == s1 || node / 2 == s2) &&
            node / 2 != c->full) {
            augment(c, node, 2 * a + 1);
            return node / 2;
        }
        expand(c, node, &tail);
    }
    return NV_NONE;
}

/* must with both ends outside the group: a minimum vertex cut. */
static void must_cut(struct nv_culprits *c, uint32_t f, uint32_t g)
{
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];
    uint32_t s = fl->src.idx, t = fl->dst.idx;

    reset_flow(c, g, 0);
    c->cap[s] = 0;
    c->cap[t] = 1;
    while (push(c, s, t, t) != NV_NONE)
        ;
    /* the last search failed: its reach ends at the cut */
    for (uint32_t k = c->x->groups.aoff[g]; k < c->x->groups.aoff[g + 1]; k++) {
        uint32_t v = c->x->groups.asset[k];
        if (c->seen[2 * v] == c->stamp && c->seen[2 * v + 1] != c->stamp)
            c->assets[c->nassets++] = v;
    }
}

/* Follow one unit of flow from asset a until s or t, taking it up; the
 * assets after a go to out[], returns how many. */
static uint32_t follow(struct nv_culprits *c, uint32_t a, uint32_t s,
                       uint32_t t, uint32_t *out)
{
    const struct nv_graph *g = &c->m->graph;
    uint32_t n = 0, v = a;

    while (v == a || (v != s && v != t)) {
        uint32_t k = g->off[v];
        while (k < g->off[v + 1] && c->flow[k] <= 0)
            k++;
        if (k == g->off[v + 1])
            break;
        c->flow[k]--;
        v = g->adj[k];
        out[n++] = v;
    }
    return n;
}

/* A simple s-t path through asset a, if there is one, into c->path: two
 * units of flow from a, one into s and one into t. */
static int witness_through(struct nv_culprits *c, uint32_t f, uint32_t a)
{
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];
    uint32_t s = fl->src.idx, t = fl->dst.idx, first, n1, n2;
    uint32_t *leg1 = c->bfs, *leg2 = c->bfs + c->m->graph.n, *to_s, *to_t;

    reset_flow(c, 0, 1);
    c->cap[a] = 0;
    c->cap[s] = c->cap[t] = 1;
    first = push(c, a, s, t);
    if (first == NV_NONE)
        return 0;
    /* the unit in the first end may be sent on to the other (through the
     * end's in half, never through the end) */
    c->full = first;
    c->cap[first] = 0;
    first = push(c, a, s, t);
    c->full = NV_NONE;
    if (first == NV_NONE)
        return 0;
    n1 = follow(c, a, s, t, leg1);
    n2 = follow(c, a, s, t, leg2);
    to_s = leg1[n1 - 1] == s ? leg1 : leg2;
    to_t = to_s == leg1 ? leg2 : leg1;
    if (to_s == leg2) {
        uint32_t tmp = n1;
        n1 = n2;
        n2 = tmp;
    }
    c->npath = 0;
    for (uint32_t i = n1; i > 0; i--)
        c->path[c->npath++] = to_s[i - 1];
    c->path[c->npath++] = a;
    for (uint32_t i = 0; i < n2; i++)
        c->path[c->npath++] = to_t[i];
    return 1;
}

/* may: the first of the group's transit assets with a witness path. */
static void may_witness(struct nv_culprits *c, uint32_t f, uint32_t g)
{
    const struct nv_groups *gs = &c->x->groups;
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];

    for (uint32_t k = gs->aoff[g]; k < gs->aoff[g + 1]; k++) {
        uint32_t a = gs->asset[k];
        if (a == fl->src.idx || a == fl->dst.idx ||
            !NV_ASSETS(c->m)[a].transit || !witness_through(c, f, a))
            continue;
        for (uint32_t i = 0; i < c->npath; i++)
            if (in_group(gs, c->path[i], g))
                c->assets[c->nassets++] = c->path[i];
        return;
    }
}

/* The group's assets among a[0..n). */
static void take_routes(struct nv_culprits *c, const uint32_t *a, uint32_t n,
                        uint32_t g)
{
    for (uint32_t i = 0; i < n; i++)
        if (in_group(&c->x->groups, a[i], g))
            c->assets[c->nassets++] = a[i];
}

/* The assets on flow f's routes after each failure that moves them, once
 * per flow (every group of the flow asks for the same routes). */
static enum nv_rc failover_routes(struct nv_culprits *c, uint32_t f)
{
    uint32_t nf = 0, n;
    enum nv_rc rc;

    if (c->foflow == f)
        return NV_OK;
    c->foflow = NV_NONE;
    c->nfo = 0;
    c->fomark++;
    rc = nv_routes_failures(&c->r, f, c->fails, &nf);
    for (uint32_t i = 0; !rc && i < nf; i++) {
        rc = nv_routes_flow(&c->r, f, c->fails[i], &n);
        for (uint32_t k = 0; !rc && k < n; k++) {
            uint32_t a = c->r.queue[k];
            if (c->foseen[a] != c->fomark)
                c->fo[c->nfo++] = a;
            c->foseen[a] = c->fomark;
        }
    }
    if (!rc)
        c->foflow = f;
    return rc;
}

static enum nv_rc on_routes(struct nv_culprits *c, uint32_t f, uint32_t g,
                            int failover)
{
    const struct nv_fail none = {NV_FAIL_NONE, 0};
    uint32_t n;
    enum nv_rc rc =
        failover ? failover_routes(c, f) : nv_routes_flow(&c->r, f, none, &n);

    if (!rc && !failover)
        take_routes(c, c->r.queue, n, g);
    if (!rc && failover)
        take_routes(c, c->fo, c->nfo, g);
    return rc;
}

static int by_index(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return a < b ? -1 : a > b;
}

/* Sort c->assets and drop repeats. */
static void settle(struct nv_culprits *c)
{
    uint32_t n = 0;

    if (c->nassets)
        qsort(c->assets, c->nassets, sizeof *c->assets, by_index);
    for (uint32_t i = 0; i < c->nassets; i++)
        if (!n || c->assets[n - 1] != c->assets[i])
            c->assets[n++] = c->assets[i];
    c->nassets = n;
}

enum nv_rc nv_culprits_find(struct nv_culprits *c, uint32_t f, uint32_t g,
                            struct nv_err *err)
{
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];
    enum nv_level lv = nv_exposure_level(c->x, f, g);
    enum nv_rc rc = NV_OK;

    c->nassets = c->npath = 0;
    if (lv == NV_LEVEL_MUST && in_group(&c->x->groups, fl->src.idx, g))
        c->assets[c->nassets++] = fl->src.idx;
    else if (lv == NV_LEVEL_MUST && in_group(&c->x->groups, fl->dst.idx, g))
        c->assets[c->nassets++] = fl->dst.idx;
    else if (lv == NV_LEVEL_MUST)
        must_cut(c, f, g);
    else if (lv == NV_LEVEL_ROUTED || lv == NV_LEVEL_FAILOVER)
        rc = on_routes(c, f, g, lv == NV_LEVEL_FAILOVER);
    else if (lv == NV_LEVEL_MAY)
        may_witness(c, f, g);
    settle(c);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}
