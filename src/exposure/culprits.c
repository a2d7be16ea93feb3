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
#include "exposure/failover.h"

#include <stdlib.h>
#include <string.h>

#define UNBOUNDED (UINT32_MAX / 4)

static void kept_release(struct nv_culprits_kept *k);

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
    if (!rc && !(c->fails && c->assets && c->path && c->cap && c->used &&
                 c->pred && c->via && c->bfs && c->seen && c->twin && c->flow))
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
    kept_release(c->kept);
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

/* Each flow's routes, routed and failover, found for all the flows of a
 * source at once and kept: list[off[2f + failover] ..] has
 * len[2f + failover] assets; off is NV_NONE until found. */
struct nv_culprits_kept {
    struct nv_failover fo;
    uint32_t *off, *len, *list;
    size_t nlist, cap;
    uint32_t *srcoff, *bysrc; /* the flows searched by source */
    uint32_t *want;           /* scratch: a source's failover flows */
    struct visit {
        uint32_t f, a;
    } * visits; /* what the failover searches found */
    size_t nvisit, vcap;
    int failed; /* a visit could not be kept */
    uint32_t *seen, mark;
};

static void kept_release(struct nv_culprits_kept *k)
{
    if (!k)
        return;
    nv_failover_release(&k->fo);
    nv_free(k->off);
    nv_free(k->len);
    nv_free(k->list);
    nv_free(k->srcoff);
    nv_free(k->bysrc);
    nv_free(k->want);
    nv_free(k->visits);
    nv_free(k->seen);
    nv_free(k);
}

/* Whether flow f's routes are searched with its source's: it has no
 * declared path and goes somewhere. */
static int by_source(const struct nv_culprits *c, uint32_t f)
{
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];

    return c->x->connected[f] && !fl->path.n && fl->src.idx != fl->dst.idx;
}

/* The flows searched by source, counted into place. */
static void index_sources(struct nv_culprits *c, struct nv_culprits_kept *k)
{
    const struct nv_flow *fl = NV_FLOWS(c->m);
    uint32_t na = c->m->graph.n;

    for (uint32_t f = 0; f < c->x->nflows; f++)
        if (by_source(c, f))
            k->srcoff[fl[f].src.idx + 1]++;
    for (uint32_t v = 0; v < na; v++)
        k->srcoff[v + 1] += k->srcoff[v];
    for (uint32_t f = 0; f < c->x->nflows; f++)
        if (by_source(c, f))
            k->bysrc[k->srcoff[fl[f].src.idx]++] = f;
    for (uint32_t v = na; v > 0; v--)
        k->srcoff[v] = k->srcoff[v - 1];
    k->srcoff[0] = 0;
}

static enum nv_rc kept_init(struct nv_culprits *c)
{
    size_t nf = (size_t)c->x->nflows + 1, na = (size_t)c->m->graph.n + 1;
    struct nv_culprits_kept *k = nv_calloc(1, sizeof *k);

    if (!k || nv_failover_init(&k->fo, c->m, c->x->nflows, NULL)) {
        nv_free(k);
        return NV_ENOMEM;
    }
    k->off = nv_calloc(2 * nf, sizeof *k->off);
    k->len = nv_calloc(2 * nf, sizeof *k->len);
    k->srcoff = nv_calloc(na + 1, sizeof *k->srcoff);
    k->bysrc = nv_calloc(nf, sizeof *k->bysrc);
    k->want = nv_calloc(nf, sizeof *k->want);
    k->seen = nv_calloc(na, sizeof *k->seen);
    if (!k->off || !k->len || !k->srcoff || !k->bysrc || !k->want || !k->seen) {
        kept_release(k);
        return NV_ENOMEM;
    }
    memset(k->off, 0xff, 2 * nf * sizeof *k->off);
    index_sources(c, k);
    c->kept = k;
    return NV_OK;
}

/* Keep a[0 .. n) once each in slot (2f + failover). */
static enum nv_rc keep(struct nv_culprits_kept *k, uint32_t slot,
                       const uint32_t *a, size_t n)
{
    if (nv_array_reserve(&k->list, &k->cap, k->nlist + n, sizeof *k->list))
        return NV_ENOMEM;
    k->mark++;
    k->off[slot] = (uint32_t)k->nlist;
    for (size_t i = 0; i < n; i++)
        if (k->seen[a[i]] != k->mark) {
            k->seen[a[i]] = k->mark;
            k->list[k->nlist++] = a[i];
        }
    k->len[slot] = (uint32_t)(k->nlist - k->off[slot]);
    return NV_OK;
}

static void collect(void *ctx, uint32_t f, const uint32_t *a, uint32_t n)
{
    struct nv_culprits_kept *k = ctx;

    if (k->failed || nv_array_reserve(&k->visits, &k->vcap, k->nvisit + n,
                                      sizeof *k->visits)) {
        k->failed = 1;
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        k->visits[k->nvisit++] = (struct visit){f, a[i]};
}

/* Keep the visits as the failover routes of flows[0 .. n), grouped by
 * flow (counted into place, off[] as each flow's cursor meanwhile). */
static enum nv_rc keep_visits(struct nv_culprits_kept *k, const uint32_t *flows,
                              uint32_t n)
{
    uint32_t *at = nv_calloc(k->nvisit + 1, sizeof *at);
    enum nv_rc rc = at && !k->failed ? NV_OK : NV_ENOMEM;
    size_t sum = 0;

    for (uint32_t i = 0; i < n; i++)
        k->len[2 * flows[i] + 1] = 0;
    for (size_t i = 0; i < k->nvisit; i++)
        k->len[2 * k->visits[i].f + 1]++;
    for (uint32_t i = 0; i < n; i++) {
        k->off[2 * flows[i] + 1] = (uint32_t)sum;
        sum += k->len[2 * flows[i] + 1];
    }
    for (size_t i = 0; !rc && i < k->nvisit; i++)
        at[k->off[2 * k->visits[i].f + 1]++] = k->visits[i].a;
    for (uint32_t i = 0; !rc && i < n; i++) {
        uint32_t s = 2 * flows[i] + 1, len = k->len[s];
        rc = keep(k, s, at + k->off[s] - len, len);
    }
    for (uint32_t i = 0; rc && i < n; i++) /* found again next time */
        k->off[2 * flows[i] + 1] = k->off[2 * flows[i]] = NV_NONE;
    nv_free(at);
    return rc;
}

/* The routes of every flow of source s: one whole search for the routed
 * ones, the failover searches for those whose level was worked out. */
static enum nv_rc find_source(struct nv_culprits *c, uint32_t s)
{
    const struct nv_fail none = {NV_FAIL_NONE, 0};
    struct nv_culprits_kept *k = c->kept;
    const uint32_t *flows = k->bysrc + k->srcoff[s];
    uint32_t n = k->srcoff[s + 1] - k->srcoff[s], nw = 0;
    enum nv_rc rc;

    for (uint32_t i = 0; i < n; i++)
        if (nv_exposure_wants_failover(c->x, c->m, flows[i]))
            k->want[nw++] = flows[i];
    rc = nv_failover_source(&k->fo, k->want, nw, collect, k);
    if (!rc) /* nothing to do when the failover searches made it */
        rc = nv_routes_search(&k->fo.base, s, none, NULL, 0);
    for (uint32_t i = 0; !rc && i < n; i++) {
        uint32_t t = NV_FLOWS(c->m)[flows[i]].dst.idx;
        uint32_t nb = nv_routes_back(&k->fo.base, t);
        rc = keep(k, 2 * flows[i], k->fo.base.queue, nb);
    }
    return rc ? rc : keep_visits(k, flows, n);
}

/* The routes of flow f searched alone. */
static enum nv_rc find_alone(struct nv_culprits *c, uint32_t f)
{
    const struct nv_fail none = {NV_FAIL_NONE, 0};
    struct nv_culprits_kept *k = c->kept;
    uint32_t n;
    enum nv_rc rc = nv_routes_flow(&k->fo.r, f, none, &n);

    if (!rc)
        rc = keep(k, 2 * f, k->fo.r.queue, n);
    if (!rc && nv_exposure_wants_failover(c->x, c->m, f))
        rc = nv_failover_flow(&k->fo, f, collect, k);
    return rc ? rc : keep_visits(k, &f, 1);
}

/* The group's assets on flow f's routes, or on those after the failures
 * that move them. */
static enum nv_rc on_routes(struct nv_culprits *c, uint32_t f, uint32_t g,
                            int failover)
{
    enum nv_rc rc = c->kept ? NV_OK : kept_init(c);
    uint32_t slot = 2 * f + !!failover;

    if (!rc && c->kept->off[slot] == NV_NONE) {
        c->kept->nvisit = 0; /* none left by a pass that failed */
        c->kept->failed = 0;
        rc = by_source(c, f) ? find_source(c, NV_FLOWS(c->m)[f].src.idx)
                             : find_alone(c, f);
    }
    if (!rc)
        take_routes(c, c->kept->list + c->kept->off[slot], c->kept->len[slot],
                    g);
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
