/*
 * choke.c - the choke points of the flows at risk: high-risk or
 * prohibited assets that alone carry a critical flow (they are on every
 * path between its ends: one of the ends, or a cut vertex between them).
 * Each one alone could cut every such flow (another choke point of the
 * same vendor on the flow may remain), so they are what to replace first.
 *
 * The cut vertices on every path between s and t are the cut nodes on
 * the block-cut forest path between their nodes (exposure/bct.h).  The
 * path is found by marking the ancestors of one end and climbing from
 * the other until a mark: O(depth) a flow, with no depth array.
 */
#include "report/report_int.h"

#include "core/alloc.h"
#include "exposure/bct.h"
#include "exposure/score.h"

#include <string.h>

struct choke_work {
    const struct nv_model *m;
    const struct nv_exposure *x;
    struct nv_bct t;
    uint32_t *cutv;  /* cut node - nblocks -> its asset */
    uint32_t *stamp; /* node -> last flow whose walk passed it */
    struct nv_chokes *k;
};

static int hostile_asset(const struct nv_model *m, uint32_t a)
{
    uint32_t e = NV_ASSETS(m)[a].entity;

    return e != NV_NONE && nv_model_designation(m, e) >= NV_DESIG_HIGH_RISK;
}

static void credit(struct choke_work *w, uint32_t a, const struct ranked *k)
{
    if (!hostile_asset(w->m, a))
        return;
    if (!w->k->flows[a]++)
        w->k->top[a] = k->flow;
    w->k->score[a] += k->score;
}

/* The cut vertices on the forest path between the nodes of a flow's two
 * ends: the assets on every path between them. */
static void credit_path(struct choke_work *w, uint32_t s, uint32_t t,
                        const struct ranked *k, uint32_t stamp)
{
    const struct nv_bct *b = &w->t;
    uint32_t lca = t;

    for (uint32_t n = s; n != NV_NONE; n = b->parent[n])
        w->stamp[n] = stamp;
    while (w->stamp[lca] != stamp)
        lca = b->parent[lca];
    for (uint32_t n = s; n != lca; n = b->parent[n])
        if (n >= b->nblocks)
            credit(w, w->cutv[n - b->nblocks], k);
    for (uint32_t n = t;; n = b->parent[n]) {
        if (n >= b->nblocks)
            credit(w, w->cutv[n - b->nblocks], k);
        if (n == lca)
            break;
    }
}

static void credit_flow(struct choke_work *w, const struct ranked *k,
                        uint32_t stamp)
{
    const struct nv_flow *fl = &NV_FLOWS(w->m)[k->flow];
    uint32_t a = fl->src.idx, b = fl->dst.idx, g;
    uint32_t s = w->t.node[a], t = w->t.node[b];

    if (nv_score_hostile_level(w->x, k->flow, &g) != NV_LEVEL_MUST ||
        w->t.tree[s] != w->t.tree[t])
        return;
    if (a == b) {
        credit(w, a, k);
        return;
    }
    /* An end that is a cut vertex is counted on the path. */
    if (s < w->t.nblocks)
        credit(w, a, k);
    if (t < w->t.nblocks)
        credit(w, b, k);
    credit_path(w, s, t, k, stamp);
}

static enum nv_rc choke_alloc(struct choke_work *w, struct nv_err *err)
{
    uint32_t na = w->m->graph.n;
    struct nv_chokes *k = w->k;
    enum nv_rc rc = nv_bct_build(&w->m->graph, NULL, &w->t, err);

    if (rc)
        return rc;
    w->cutv = nv_calloc((size_t)w->t.ncuts + 1, sizeof *w->cutv);
    w->stamp = nv_malloc(((size_t)nv_bct_nodes(&w->t) + 1) * sizeof *w->stamp);
    k->score = nv_calloc((size_t)na + 1, sizeof *k->score);
    k->flows = nv_calloc((size_t)na + 1, sizeof *k->flows);
    k->top = nv_calloc((size_t)na + 1, sizeof *k->top);
    if (!w->cutv || !w->stamp || !k->score || !k->flows || !k->top)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    memset(w->stamp, 0xff, (size_t)nv_bct_nodes(&w->t) * sizeof *w->stamp);
    for (uint32_t a = 0; a < na; a++)
        if (w->t.node[a] >= w->t.nblocks)
            w->cutv[w->t.node[a] - w->t.nblocks] = a;
    return NV_OK;
}

void nv_report_chokes_release(struct nv_chokes *k)
{
    nv_free(k->score);
    nv_free(k->flows);
    nv_free(k->top);
    memset(k, 0, sizeof *k);
}

enum nv_rc nv_report_chokes(const struct nv_model *m, const struct ranked *rank,
                            uint32_t nrank, const struct nv_exposure *x,
                            struct nv_chokes *k, struct nv_err *err)
{
    struct choke_work w;
    enum nv_rc rc;

    memset(&w, 0, sizeof w);
    memset(k, 0, sizeof *k);
    w.m = m;
    w.x = x;
    w.k = k;
    rc = choke_alloc(&w, err);
    for (uint32_t i = 0; !rc && i < nrank; i++)
        credit_flow(&w, &rank[i], i);
    nv_bct_release(&w.t);
    nv_free(w.cutv);
    nv_free(w.stamp);
    return rc;
}
