/*
 * choke.c - separating assets of every flow on the block-cut forest of
 * the transit graph.
 *
 * A path passes through transit assets only: it is an end of s (s itself
 * when s forwards traffic, else each of its transit neighbours), a path
 * in the transit graph, and an end of t -- or the direct link s-t, which
 * no asset can cut.  When the ends of s and of t share two trees of the
 * forest, no single asset parts them either.  In the one tree they share,
 * asset c separates the flow exactly when no piece of that tree without c
 * holds both an end of s and an end of t (ends that are c gone).  So c is
 * a cut vertex on the forest path between one end x of s and one end y
 * of t, or x or y itself: those candidates are walked (the top of each
 * path found for all flows at once) and each tested against every end
 * -- which branch at c's forest node an end's node hangs in follows from
 * preorder intervals.  The (asset, flow) pairs are then sorted by asset
 * and the assets ranked.
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
    uint32_t *cutv;        /* cut node - nblocks -> its asset */
    uint32_t *pre, *size;  /* per node: preorder number, subtree size */
    uint32_t *coff, *kids; /* per node: children, in preorder */
    uint32_t *mark, stamp; /* per node: scratch */
    uint32_t *flow;        /* per query: its flow */
    uint32_t *xs, *ys;     /* per query: an end of s and of t */
    uint32_t *qa, *qb;     /* ... their nodes */
    uint32_t *lca, nq;     /* ... and the top of the path between */
    uint32_t *se, *te;     /* the ends of s and of t in one tree */
    uint32_t nse, nte;
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

static uint32_t tree_of(const struct work *w, uint32_t v)
{
    return w->t.tree[w->t.node[v]];
}

/* The ends of v in the tree root (any tree: NV_NONE) into out: v itself
 * if it forwards traffic, else its transit neighbours.  Returns how
 * many. */
static uint32_t ends_in(const struct work *w, uint32_t v, uint32_t root,
                        uint32_t *out)
{
    const struct nv_graph *g = &w->m->graph;
    int self = NV_ASSETS(w->m)[v].transit;
    uint32_t k = self ? 0 : g->off[v], end = self ? 1 : g->off[v + 1], n = 0;

    for (; k < end; k++) {
        uint32_t u = self ? v : g->adj[k];
        if (NV_ASSETS(w->m)[u].transit &&
            (root == NV_NONE || tree_of(w, u) == root))
            out[n++] = u;
    }
    return n;
}

static int adjacent(const struct nv_graph *g, uint32_t a, uint32_t b)
{
    for (uint32_t k = g->off[a]; k < g->off[a + 1]; k++)
        if (g->adj[k] == b)
            return 1;
    return 0;
}

/* Flow f as a query (an end of s and one of t in the one tree holding
 * ends of both), unless nothing can part it alone: its ends are one
 * asset, neighbours, apart, or their ends share several trees. */
static void add_query(struct work *w, const struct nv_exposure *x, uint32_t f)
{
    uint32_t s = NV_FLOWS(w->m)[f].src.idx, t = NV_FLOWS(w->m)[f].dst.idx;
    uint32_t ns, nt, root = NV_NONE, shared = 0;

    if (!x->connected[f] || s == t || adjacent(&w->m->graph, s, t))
        return;
    ns = ends_in(w, s, NV_NONE, w->se);
    nt = ends_in(w, t, NV_NONE, w->te);
    for (uint32_t i = 0; i < nt; i++)
        w->mark[tree_of(w, w->te[i])] = f + 1;
    for (uint32_t i = 0; i < ns; i++) {
        uint32_t r = tree_of(w, w->se[i]);
        if (w->mark[r] == f + 1) {
            w->mark[r] = 0; /* each tree once */
            root = r;
            shared++;
        }
    }
    if (shared != 1)
        return;
    ends_in(w, s, root, w->se);
    ends_in(w, t, root, w->te);
    w->flow[w->nq] = f;
    w->xs[w->nq] = w->se[0];
    w->ys[w->nq] = w->te[0];
    w->qa[w->nq] = w->t.node[w->xs[w->nq]];
    w->qb[w->nq] = w->t.node[w->ys[w->nq]];
    w->nq++;
}

/* The child of node c whose subtree holds node u, or NV_NONE when u is
 * outside c's subtree. */
static uint32_t branch(const struct work *w, uint32_t c, uint32_t u)
{
    uint32_t lo = w->coff[c], hi = w->coff[c + 1];

    if (w->pre[u] <= w->pre[c] || w->pre[u] >= w->pre[c] + w->size[c])
        return NV_NONE;
    while (hi - lo > 1) { /* the last child numbered before u */
        uint32_t mid = lo + (hi - lo) / 2;
        if (w->pre[w->kids[mid]] <= w->pre[u])
            lo = mid;
        else
            hi = mid;
    }
    return w->kids[lo];
}

/* Does asset c part every end of s in se from every end of t in te?
 * Without a cut vertex the rest of its tree stays in one piece. */
static int separates(struct work *w, uint32_t c)
{
    uint32_t cn = w->t.node[c], up = 0;
    int cut = cn >= w->t.nblocks;

    w->stamp++;
    for (uint32_t i = 0; i < w->nse; i++) {
        uint32_t b;
        if (w->se[i] == c)
            continue;
        b = cut ? branch(w, cn, w->t.node[w->se[i]]) : NV_NONE;
        if (b == NV_NONE)
            up = 1;
        else
            w->mark[b] = w->stamp;
    }
    for (uint32_t i = 0; i < w->nte; i++) {
        uint32_t b = cut ? branch(w, cn, w->t.node[w->te[i]]) : NV_NONE;
        if (w->te[i] != c && (b == NV_NONE ? up : w->mark[b] == w->stamp))
            return 0;
    }
    return 1;
}

/* Record c for query q's flow if it separates it (the flow's ends do
 * not count). */
static enum nv_rc offer(struct work *w, uint32_t q, uint32_t c)
{
    const struct nv_flow *f = &NV_FLOWS(w->m)[w->flow[q]];

    if (c == f->src.idx || c == f->dst.idx || !separates(w, c))
        return NV_OK;
    if (nv_array_reserve(&w->p, &w->cap, w->np + 1, sizeof *w->p))
        return NV_ENOMEM;
    w->p[w->np++] = (struct pair){c, w->flow[q]};
    return NV_OK;
}

/* The cut vertices on the path from node x up to node top (top itself
 * when last is set), offered for query q. */
static enum nv_rc climb(struct work *w, uint32_t q, uint32_t x, uint32_t top,
                        int last)
{
    enum nv_rc rc = NV_OK;

    for (; !rc; x = w->t.parent[x]) {
        if (x == top && !last)
            break;
        if (x >= w->t.nblocks)
            rc = offer(w, q, w->cutv[x - w->t.nblocks]);
        if (x == top)
            break;
    }
    return rc;
}

/* Query q's candidates: the cut vertices between its two ends' nodes,
 * and those ends when they are not cut vertices. */
static enum nv_rc walk(struct work *w, uint32_t q)
{
    const struct nv_flow *f = &NV_FLOWS(w->m)[w->flow[q]];
    uint32_t root = w->t.tree[w->qa[q]];
    enum nv_rc rc;

    w->nse = ends_in(w, f->src.idx, root, w->se);
    w->nte = ends_in(w, f->dst.idx, root, w->te);
    rc = climb(w, q, w->qa[q], w->lca[q], 1);
    rc = rc ? rc : climb(w, q, w->qb[q], w->lca[q], 0);
    if (!rc && w->qa[q] < w->t.nblocks)
        rc = offer(w, q, w->xs[q]);
    if (!rc && w->qb[q] < w->t.nblocks && w->ys[q] != w->xs[q])
        rc = offer(w, q, w->ys[q]);
    return rc;
}

/* The forest of the transit graph, and each node's preorder interval. */
static enum nv_rc build_forest(struct work *w, struct nv_err *err)
{
    uint32_t n = w->m->graph.n, nodes;
    unsigned char *skip = nv_calloc((size_t)n + 1, 1);
    enum nv_rc rc = skip ? NV_OK : NV_ENOMEM;

    for (uint32_t v = 0; !rc && v < n; v++)
        skip[v] = !NV_ASSETS(w->m)[v].transit;
    rc = rc ? rc : nv_bct_build(&w->m->graph, skip, &w->t, err);
    nv_free(skip);
    nodes = rc ? 0 : nv_bct_nodes(&w->t);
    w->cutv = nv_calloc((size_t)w->t.ncuts + 1, sizeof *w->cutv);
    w->pre = nv_calloc((size_t)nodes + 1, sizeof *w->pre);
    w->size = nv_calloc((size_t)nodes + 1, sizeof *w->size);
    w->mark = nv_calloc((size_t)nodes + 1, sizeof *w->mark);
    if (!rc && (!w->cutv || !w->pre || !w->size || !w->mark))
        rc = NV_ENOMEM;
    rc = rc ? rc : nv_bct_preorder(&w->t, w->pre, err);
    rc = rc ? rc : nv_bct_children(&w->t, &w->coff, &w->kids, err);
    for (uint32_t v = 0; !rc && v < n; v++)
        if (w->t.node[v] != NV_NONE && w->t.node[v] >= w->t.nblocks)
            w->cutv[w->t.node[v] - w->t.nblocks] = v;
    for (uint32_t i = nodes; !rc && i > 0; i--) { /* children first */
        uint32_t x = w->t.order[i - 1];
        w->size[x]++;
        if (w->t.parent[x] != NV_NONE)
            w->size[w->t.parent[x]] += w->size[x];
    }
    return rc;
}

static enum nv_rc find_pairs(struct work *w, const struct nv_exposure *x,
                             struct nv_err *err)
{
    size_t n = (size_t)x->nflows + 1, ends = w->m->graph.off[w->m->graph.n];
    enum nv_rc rc = build_forest(w, err);

    w->flow = nv_calloc(n, sizeof *w->flow);
    w->xs = nv_calloc(n, sizeof *w->xs);
    w->ys = nv_calloc(n, sizeof *w->ys);
    w->qa = nv_calloc(n, sizeof *w->qa);
    w->qb = nv_calloc(n, sizeof *w->qb);
    w->lca = nv_calloc(n, sizeof *w->lca);
    w->se = nv_calloc(ends + 1, sizeof *w->se);
    w->te = nv_calloc(ends + 1, sizeof *w->te);
    if (!rc && (!w->flow || !w->xs || !w->ys || !w->qa || !w->qb || !w->lca ||
                !w->se || !w->te))
        rc = NV_ENOMEM;
    for (uint32_t f = 0; !rc && f < x->nflows; f++)
        add_query(w, x, f);
    rc = rc ? rc : nv_bct_lca(&w->t, w->qa, w->qb, w->nq, w->lca, err);
    if (!rc) /* the marks of add_query are not stamps */
        memset(w->mark, 0, nv_bct_nodes(&w->t) * sizeof *w->mark);
    for (uint32_t q = 0; !rc && q < w->nq; q++)
        rc = walk(w, q);
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
    nv_free(w.pre);
    nv_free(w.size);
    nv_free(w.coff);
    nv_free(w.kids);
    nv_free(w.mark);
    nv_free(w.flow);
    nv_free(w.xs);
    nv_free(w.ys);
    nv_free(w.qa);
    nv_free(w.qb);
    nv_free(w.lca);
    nv_free(w.se);
    nv_free(w.te);
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
