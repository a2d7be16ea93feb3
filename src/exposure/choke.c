/*
 * choke.c - separating assets of every flow on the block-cut forest.
 *
 * The cut vertices on the forest path between a flow's ends are exactly
 * the assets whose removal parts them; each flow's path is walked up to
 * the lowest common ancestor (found for all flows at once), the
 * (asset, flow) pairs are sorted by asset, and the assets ranked.
 */
#include "exposure/choke.h"

#include "core/alloc.h"
#include "exposure/bct.h"

#include <stdlib.h>
#include <string.h>

struct pair {
    uint32_t asset, flow;
};

struct entry {
    uint32_t asset, first, n;
    double weight;
};

struct work {
    const struct nv_model *m;
    struct nv_bct t;
    uint32_t *cutv;          /* cut node - nblocks -> its asset */
    uint32_t *na, *nb, *lca; /* per flow */
    struct pair *p;
    size_t np, cap;
};

static int by_pair(const void *pa, const void *pb)
{
    const struct pair *a = pa, *b = pb;

    if (a->asset != b->asset)
        return a->asset < b->asset ? -1 : 1;
    return a->flow < b->flow ? -1 : a->flow > b->flow;
}

static int by_rank(const void *pa, const void *pb)
{
    const struct entry *a = pa, *b = pb;

    if (a->weight != b->weight)
        return a->weight < b->weight ? 1 : -1;
    if (a->n != b->n)
        return a->n < b->n ? 1 : -1;
    return a->asset < b->asset ? -1 : a->asset > b->asset;
}

/* The cut vertices on the path from node x up to node top (top itself
 * when last is set), other than the flow's ends. */
static enum nv_rc climb(struct work *w, uint32_t f, uint32_t x, uint32_t top,
                        int last)
{
    for (;; x = w->t.parent[x]) {
        int end = x == top;
        if (end && !last)
            return NV_OK;
        if (x >= w->t.nblocks && x != w->na[f] && x != w->nb[f]) {
            if (nv_array_reserve(&w->p, &w->cap, w->np + 1, sizeof *w->p))
                return NV_ENOMEM;
            w->p[w->np++] = (struct pair){w->cutv[x - w->t.nblocks], f};
        }
        if (end)
            return NV_OK;
    }
}

static enum nv_rc find_pairs(struct work *w, const struct nv_exposure *x,
                             struct nv_err *err)
{
    const struct nv_flow *f = NV_FLOWS(w->m);
    uint32_t n = x->nflows;
    enum nv_rc rc = nv_bct_build(&w->m->graph, NULL, &w->t, err);

    if (rc)
        return rc;
    w->cutv = nv_calloc((size_t)w->t.ncuts + 1, sizeof *w->cutv);
    w->na = nv_calloc((size_t)n + 1, sizeof *w->na);
    w->nb = nv_calloc((size_t)n + 1, sizeof *w->nb);
    w->lca = nv_calloc((size_t)n + 1, sizeof *w->lca);
    if (!w->cutv || !w->na || !w->nb || !w->lca)
        return NV_ENOMEM;
    for (uint32_t v = 0; v < w->m->graph.n; v++)
        if (w->t.node[v] >= w->t.nblocks)
            w->cutv[w->t.node[v] - w->t.nblocks] = v;
    for (uint32_t i = 0; i < n; i++) {
        w->na[i] = w->t.node[f[i].src.idx];
        w->nb[i] = w->t.node[f[i].dst.idx];
    }
    rc = nv_bct_lca(&w->t, w->na, w->nb, n, w->lca, err);
    for (uint32_t i = 0; !rc && i < n; i++) {
        if (!x->connected[i] || w->lca[i] == NV_NONE ||
            f[i].src.idx == f[i].dst.idx)
            continue;
        rc = climb(w, i, w->na[i], w->lca[i], 1);
        rc = rc ? rc : climb(w, i, w->nb[i], w->lca[i], 0);
    }
    return rc;
}

/* Group the sorted pairs by asset and rank the assets. */
static enum nv_rc rank(struct work *w, struct nv_chokes *c)
{
    struct entry *e = nv_calloc(w->np + 1, sizeof *e);
    uint32_t ne = 0, k = 0;

    c->flow = nv_calloc(w->np + 1, sizeof *c->flow);
    if (!e || !c->flow) {
        nv_free(e);
        return NV_ENOMEM;
    }
    if (w->np) /* p is NULL when no flow has a choke point */
        qsort(w->p, w->np, sizeof *w->p, by_pair);
    for (size_t i = 0; i < w->np; i++) {
        if (!i || w->p[i].asset != w->p[i - 1].asset)
            e[ne++] = (struct entry){w->p[i].asset, (uint32_t)i, 0, 0};
        e[ne - 1].n++;
        e[ne - 1].weight += NV_FLOWS(w->m)[w->p[i].flow].importance;
    }
    qsort(e, ne, sizeof *e, by_rank);
    c->asset = nv_calloc((size_t)ne + 1, sizeof *c->asset);
    c->weight = nv_calloc((size_t)ne + 1, sizeof *c->weight);
    c->off = nv_calloc((size_t)ne + 1, sizeof *c->off);
    for (uint32_t i = 0; c->asset && c->weight && c->off && i < ne; i++) {
        c->asset[i] = e[i].asset;
        c->weight[i] = e[i].weight;
        c->off[i] = k;
        for (uint32_t j = 0; j < e[i].n; j++)
            c->flow[k++] = w->p[e[i].first + j].flow;
        c->off[i + 1] = k;
    }
    c->n = ne;
    nv_free(e);
    return c->asset && c->weight && c->off ? NV_OK : NV_ENOMEM;
}

enum nv_rc nv_choke_compute(const struct nv_model *m,
                            const struct nv_exposure *x, struct nv_chokes *c,
                            struct nv_err *err)
{
    struct work w;
    enum nv_rc rc;

    memset(&w, 0, sizeof w);
    memset(c, 0, sizeof *c);
    w.m = m;
    rc = find_pairs(&w, x, err);
    rc = rc ? rc : rank(&w, c);
    nv_bct_release(&w.t);
    nv_free(w.cutv);
    nv_free(w.na);
    nv_free(w.nb);
    nv_free(w.lca);
    nv_free(w.p);
    if (rc)
        nv_choke_release(c);
    if (rc && (!err || !err->rc))
        nv_err_set(err, rc, "out of memory");
    return rc;
}

void nv_choke_release(struct nv_chokes *c)
{
    nv_free(c->asset);
    nv_free(c->weight);
    nv_free(c->off);
    nv_free(c->flow);
    memset(c, 0, sizeof *c);
}
