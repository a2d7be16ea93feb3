/*
 * vflow.c - augmenting paths through assets of bounded capacity, by
 * breadth-first search over the residual network (vflow.h).  The flows
 * and the units through each asset carry the epoch of the problem that
 * set them, so that beginning a problem costs nothing: a report asks for
 * the culprits of thousands of flows, each a small search in a network
 * of a million assets.
 */
#include "exposure/vflow.h"

#include "core/alloc.h"

#include <string.h>

/* twin[k]: the other half-edge of k's link. */
static enum nv_rc pair_halves(struct nv_vflow *vf, uint32_t nlinks)
{
    const struct nv_graph *g = vf->g;
    uint32_t *first = nv_calloc((size_t)nlinks + 1, sizeof *first);

    if (!first)
        return NV_ENOMEM;
    for (uint32_t l = 0; l < nlinks; l++)
        first[l] = NV_NONE;
    for (uint32_t k = 0; k < g->off[g->n]; k++) {
        uint32_t l = g->link[k];
        vf->twin[k] = NV_NONE;
        if (first[l] == NV_NONE) {
            first[l] = k;
            continue;
        }
        vf->twin[k] = first[l];
        vf->twin[first[l]] = k;
    }
    nv_free(first);
    return NV_OK;
}

enum nv_rc nv_vflow_init(struct nv_vflow *vf, const struct nv_graph *g,
                         uint32_t nlinks, struct nv_err *err)
{
    size_t n = (size_t)g->n + 1, h = (size_t)g->off[g->n] + 1;

    memset(vf, 0, sizeof *vf);
    vf->g = g;
    vf->twin = nv_calloc(h, sizeof *vf->twin);
    vf->flow = nv_calloc(h, sizeof *vf->flow);
    vf->fepoch = nv_calloc(h, sizeof *vf->fepoch);
    vf->used = nv_calloc(n, sizeof *vf->used);
    vf->uepoch = nv_calloc(n, sizeof *vf->uepoch);
    vf->sepoch = nv_calloc(n, sizeof *vf->sepoch);
    vf->pred = nv_calloc(2 * n, sizeof *vf->pred);
    vf->seen = nv_calloc(2 * n, sizeof *vf->seen);
    vf->queue = nv_calloc(2 * n, sizeof *vf->queue);
    vf->via = nv_calloc(2 * n, sizeof *vf->via);
    if (!vf->twin || !vf->flow || !vf->fepoch || !vf->used || !vf->uepoch ||
        !vf->sepoch || !vf->pred || !vf->seen || !vf->queue || !vf->via ||
        pair_halves(vf, nlinks)) {
        nv_vflow_release(vf);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    return NV_OK;
}

void nv_vflow_release(struct nv_vflow *vf)
{
    nv_free(vf->twin);
    nv_free(vf->flow);
    nv_free(vf->fepoch);
    nv_free(vf->used);
    nv_free(vf->uepoch);
    nv_free(vf->sepoch);
    nv_free(vf->pred);
    nv_free(vf->seen);
    nv_free(vf->queue);
    nv_free(vf->via);
    memset(vf, 0, sizeof *vf);
}

void nv_vflow_begin(struct nv_vflow *vf, const struct nv_vflow_problem *p)
{
    const struct nv_graph *g = vf->g;

    vf->p = *p;
    vf->nreached = 0;
    if (++vf->epoch == 0) { /* wrapped: forget every epoch for real */
        memset(vf->fepoch, 0, (size_t)g->off[g->n] * sizeof *vf->fepoch);
        memset(vf->uepoch, 0, (size_t)g->n * sizeof *vf->uepoch);
        memset(vf->sepoch, 0, (size_t)g->n * sizeof *vf->sepoch);
        vf->epoch = 1;
    }
}

static int32_t flow_of(const struct nv_vflow *vf, uint32_t k)
{
    return vf->fepoch[k] == vf->epoch ? vf->flow[k] : 0;
}

static void add_flow(struct nv_vflow *vf, uint32_t k, int32_t d)
{
    vf->flow[k] = flow_of(vf, k) + d;
    vf->fepoch[k] = vf->epoch;
}

static uint32_t used_of(const struct nv_vflow *vf, uint32_t v)
{
    return vf->uepoch[v] == vf->epoch ? vf->used[v] : 0;
}

static void add_used(struct nv_vflow *vf, uint32_t v, int d)
{
    vf->used[v] = used_of(vf, v) + (uint32_t)d;
    vf->uepoch[v] = vf->epoch;
}

static void visit(struct nv_vflow *vf, uint32_t node, uint32_t from,
                  int32_t via)
{
    if (vf->seen[node] == vf->stamp)
        return;
    vf->seen[node] = vf->stamp;
    vf->pred[node] = from;
    vf->via[node] = via;
    vf->queue[vf->nreached++] = node;
}

/* Residual arcs out of one node: through the asset while it has room
 * (never through a sink), back through it where units passed, links out
 * into assets that can pass or take a unit, and links back where flow
 * came in. */
static void expand(struct nv_vflow *vf, uint32_t node)
{
    const struct nv_graph *g = vf->g;
    const struct nv_vflow_problem *p = &vf->p;
    uint32_t v = node / 2;

    if (node % 2 == 0 && !p->sink(p->ctx, v) &&
        used_of(vf, v) < p->cap(p->ctx, v))
        visit(vf, node + 1, node, 0);
    if (node % 2 == 1 && used_of(vf, v) > 0)
        visit(vf, node - 1, node, 0);
    for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
        uint32_t w = g->adj[k], tw = vf->twin[k];
        if (w == v)
            continue;
        if (node % 2 == 1 && vf->seen[2 * w] != vf->stamp &&
            (p->cap(p->ctx, w) > 0 || p->sink(p->ctx, w)))
            visit(vf, 2 * w, node, (int32_t)k + 1);
        if (node % 2 == 0 && tw != NV_NONE && flow_of(vf, tw) > 0)
            visit(vf, 2 * w + 1, node, -(int32_t)tw - 1);
    }
}

/* Push one unit back along the search tree from node to where the
 * search started (its own predecessor); returns that asset. */
static uint32_t augment(struct nv_vflow *vf, uint32_t node)
{
    while (vf->pred[node] != node) {
        int32_t via = vf->via[node];
        if (via == 0)
            add_used(vf, node / 2, node % 2 == 1 ? 1 : -1);
        else if (via < 0)
            add_flow(vf, (uint32_t)(-via - 1), -1);
        else if (flow_of(vf, vf->twin[via - 1]) > 0)
            add_flow(vf, vf->twin[via - 1], -1);
        else
            add_flow(vf, (uint32_t)via - 1, 1);
        node = vf->pred[node];
    }
    return node / 2;
}

/* A new stamp for the search's nodes, clearing them when it wraps. */
static void new_search(struct nv_vflow *vf)
{
    if (++vf->stamp == 0) {
        memset(vf->seen, 0, 2 * ((size_t)vf->g->n + 1) * sizeof *vf->seen);
        vf->stamp = 1;
    }
    vf->nreached = 0;
}

/* Search from the nodes queued until a sink with room: returns the sink
 * after pushing a unit into it, or NV_NONE. */
static uint32_t search(struct nv_vflow *vf)
{
    const struct nv_vflow_problem *p = &vf->p;

    for (uint32_t head = 0; head < vf->nreached; head++) {
        uint32_t node = vf->queue[head], v = node / 2;
        if (node % 2 == 0 && used_of(vf, v) < p->sink(p->ctx, v)) {
            uint32_t from = augment(vf, node);
            add_used(vf, v, 1); /* what the sink took */
            vf->sepoch[from] = vf->epoch;
            return v;
        }
        expand(vf, node);
    }
    return NV_NONE;
}

uint32_t nv_vflow_push(struct nv_vflow *vf, uint32_t a)
{
    new_search(vf);
    visit(vf, 2 * a + 1, 2 * a + 1, 0);
    return search(vf);
}

uint32_t nv_vflow_push_from(struct nv_vflow *vf, const uint32_t *src,
                            uint32_t n)
{
    new_search(vf);
    for (uint32_t i = 0; i < n; i++)
        if (vf->sepoch[src[i]] != vf->epoch)
            visit(vf, 2 * src[i] + 1, 2 * src[i] + 1, 0);
    return search(vf);
}

uint32_t nv_vflow_follow(struct nv_vflow *vf, uint32_t a, uint32_t *out)
{
    const struct nv_graph *g = vf->g;
    uint32_t n = 0, v = a;

    for (;;) {
        uint32_t k = g->off[v];
        while (k < g->off[v + 1] && flow_of(vf, k) <= 0)
            k++;
        if (k == g->off[v + 1])
            return n;
        add_flow(vf, k, -1);
        v = g->adj[k];
        out[n++] = v;
    }
}

uint32_t nv_vflow_follow_back(struct nv_vflow *vf, uint32_t a, uint32_t *out)
{
    const struct nv_graph *g = vf->g;
    uint32_t n = 0, v = a;

    for (;;) {
        uint32_t k = g->off[v];
        while (k < g->off[v + 1] &&
               (vf->twin[k] == NV_NONE || flow_of(vf, vf->twin[k]) <= 0))
            k++;
        if (k == g->off[v + 1])
            return n;
        add_flow(vf, vf->twin[k], -1);
        v = g->adj[k];
        out[n++] = v;
    }
}
