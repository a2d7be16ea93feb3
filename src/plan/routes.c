/*
 * routes.c - least-cost route sets: one search from the source, kept for
 * the next flow of the same source, then a walk back from the target
 * over tight links (dist(u) + cost = dist(v)): the assets it reaches are
 * those of the shortest-path DAG above the target, every least-cost path
 * at once, in time proportional to their links.
 */
#include "plan/routes.h"

#include "core/alloc.h"

#include <math.h>

struct item {
    double d;
    uint32_t v;
};

struct nv_routes {
    const struct nv_model *m;
    double *from;   /* distances from the source */
    uint32_t *seen; /* == epoch: already in out[] for this flow */
    uint32_t epoch;
    uint32_t source; /* of from[], or NV_NONE */
    struct item *heap;
    size_t nheap, cap;
    uint32_t *out, nout;
};

struct nv_routes *nv_routes_new(const struct nv_model *m)
{
    struct nv_routes *r = nv_calloc(1, sizeof *r);
    size_t n = (size_t)m->graph.n + 1;

    if (!r)
        return NULL;
    r->m = m;
    r->source = NV_NONE;
    r->from = nv_calloc(n, sizeof *r->from);
    r->seen = nv_calloc(n, sizeof *r->seen);
    r->out = nv_calloc(n, sizeof *r->out);
    if (!r->from || !r->seen || !r->out) {
        nv_routes_free(r);
        return NULL;
    }
    return r;
}

void nv_routes_free(struct nv_routes *r)
{
    if (!r)
        return;
    nv_free(r->from);
    nv_free(r->seen);
    nv_free(r->out);
    nv_free(r->heap);
    nv_free(r);
}

static int push(struct nv_routes *r, double d, uint32_t v)
{
    size_t i;

    if (nv_array_reserve(&r->heap, &r->cap, r->nheap + 1, sizeof *r->heap))
        return 0;
    for (i = r->nheap++; i > 0 && r->heap[(i - 1) / 2].d > d; i = (i - 1) / 2)
        r->heap[i] = r->heap[(i - 1) / 2];
    r->heap[i] = (struct item){d, v};
    return 1;
}

static struct item pop(struct nv_routes *r)
{
    struct item top = r->heap[0], last = r->heap[--r->nheap];
    size_t i = 0;

    for (size_t k = 1; k < r->nheap; k = 2 * i + 1) {
        if (k + 1 < r->nheap && r->heap[k + 1].d < r->heap[k].d)
            k++;
        if (r->heap[k].d >= last.d)
            break;
        r->heap[i] = r->heap[k];
        i = k;
    }
    if (r->nheap)
        r->heap[i] = last;
    return top;
}

/* Distances from s to every asset (INFINITY when unreachable). */
static int search(struct nv_routes *r, uint32_t s, double *dist)
{
    const struct nv_graph *g = &r->m->graph;

    for (uint32_t v = 0; v < g->n; v++)
        dist[v] = INFINITY;
    dist[s] = 0;
    r->nheap = 0;
    if (!push(r, 0, s))
        return 0;
    while (r->nheap) {
        struct item it = pop(r);
        /* A non-transit asset ends a path; only the source starts one. */
        if (it.d > dist[it.v] || (it.v != s && !NV_ASSETS(r->m)[it.v].transit))
            continue;
        for (uint32_t k = g->off[it.v]; k < g->off[it.v + 1]; k++) {
            uint32_t w = g->adj[k];
            double d = it.d + g->cost[k];
            if (d < dist[w]) {
                dist[w] = d;
                if (!push(r, d, w))
                    return 0;
            }
        }
    }
    return 1;
}

/* Costs are sums of decimals: equal totals may differ in the last bits,
 * so equality allows a relative 1e-9 (as exposure does). */
static int tight(double du, double cost, double dv)
{
    return fabs(du + cost - dv) <= 1e-9 * fmax(1.0, dv);
}

/* Every asset with a least-cost path from the source through it to t,
 * passing through no non-transit asset: out[] is used as the stack of
 * the walk. */
static void walk_back(struct nv_routes *r, uint32_t t)
{
    const struct nv_graph *g = &r->m->graph;
    uint32_t next = 0;

    r->epoch++;
    r->seen[t] = r->epoch;
    r->out[r->nout++] = t;
    while (next < r->nout) {
        uint32_t v = r->out[next++];
        for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
            uint32_t u = g->adj[k];
            if (r->seen[u] != r->epoch &&
                (u == r->source || NV_ASSETS(r->m)[u].transit) &&
                tight(r->from[u], g->cost[k], r->from[v])) {
                r->seen[u] = r->epoch;
                r->out[r->nout++] = u;
            }
        }
    }
}

enum nv_rc nv_routes_of(struct nv_routes *r, uint32_t f,
                        const uint32_t **assets, uint32_t *n)
{
    const struct nv_flow *fl = &NV_FLOWS(r->m)[f];
    uint32_t s = fl->src.idx, t = fl->dst.idx;

    r->nout = 0;
    *assets = r->out;
    for (uint32_t k = 0; k < fl->path.n; k++)
        r->out[r->nout++] = fl->path.v[k].idx;
    if (fl->path.n || s == t) {
        if (s == t && !fl->path.n)
            r->out[r->nout++] = s;
        *n = r->nout;
        return NV_OK;
    }
    if (r->source != s) {
        r->source = NV_NONE; /* from[] is being overwritten */
        if (!search(r, s, r->from))
            return NV_ENOMEM;
        r->source = s;
    }
    if (!isinf(r->from[t]))
        walk_back(r, t);
    *n = r->nout;
    return NV_OK;
}
