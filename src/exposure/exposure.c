/*
 * exposure.c - the four levels for every flow and group.
 *
 * Work is done in phases (must, may, routed, failover), each split into
 * items that threads take from a shared counter: a group for must and
 * may, a source for routed, a flow for failover.  Items of a phase write
 * disjoint cells of the level table (a group's column, or the rows of a
 * source's or a flow's), and levels only ever rise, so the result does
 * not depend on the threads' timing.
 *
 * Non-transit assets: the searches for must and may run on the graph
 * without them, and a flow's ends are joined to it through their "ends":
 * an end that forwards traffic is its own, one that does not is its
 * transit neighbours.  A path of the flow is then an end of s, a path in
 * the transit graph, an end of t -- or the direct link s-t.
 */
#include "exposure/exposure.h"

#include "core/alloc.h"
#include "core/progress.h"
#include "core/threads.h"
#include "exposure/exposure_int.h"
#include "model/graph.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* With this many sources or more, routed flows go through the overlay
 * where they can: one search each for their two ends beats one across
 * the network for each source. */
#define OVERLAY_SOURCES 64

const char *const nv_level_names[NV_LEVEL_COUNT] = {"none", "may", "failover",
                                                    "routed", "must"};

void nv_xctx_raise(struct nv_exposure *x, uint32_t f, uint32_t g,
                   enum nv_level l)
{
    unsigned char *cell = &x->level[(size_t)f * x->groups.n + g];
    if (*cell < l)
        *cell = (unsigned char)l;
}

void nv_xctx_raise_asset(struct nv_xctx *c, uint32_t f, uint32_t a,
                         enum nv_level l)
{
    const struct nv_groups *gs = &c->x->groups;

    for (uint32_t k = gs->off[a]; k < gs->off[a + 1]; k++)
        nv_xctx_raise(c->x, f, gs->grp[k], l);
}

int nv_xctx_next(struct nv_xctx *c, uint32_t n, uint32_t *item)
{
    if (atomic_load(&c->failed))
        return 0;
    *item = atomic_fetch_add(&c->next, 1);
    if (*item < n)
        nv_progress_set(c->progress, *item);
    return *item < n;
}

/* Run fn on n threads from the phase's first item; the phase is shown as
 * what, of items items. */
static void run_threads(struct nv_xctx *c, int n, void *(*fn)(void *),
                        const char *what, uint32_t items)
{
    nv_progress_begin(c->progress, what, NULL, items);
    atomic_store(&c->next, 0);
    nv_threads_run(n, fn, c);
}

/* How many ends v has, and the i-th: v itself if it forwards traffic,
 * else its neighbours (those that do not forward are skipped by the
 * callers, as is v itself over a self-loop). */
static uint32_t end_count(const struct nv_xctx *c, uint32_t v)
{
    const struct nv_graph *g = &c->m->graph;
    return c->nontransit[v] ? g->off[v + 1] - g->off[v] : 1;
}

static uint32_t end_at(const struct nv_xctx *c, uint32_t v, uint32_t i)
{
    const struct nv_graph *g = &c->m->graph;
    return c->nontransit[v] ? g->adj[g->off[v] + i] : v;
}

/* Whether an end of s and an end of t, neither removed, share a
 * component: comp labels the graph without removed[] and non-transit
 * assets; seen is scratch per component, tag new for each call. */
static int ends_meet(const struct nv_xctx *c, const uint32_t *comp, uint32_t f,
                     uint32_t *seen, uint32_t tag)
{
    uint32_t s = NV_FLOWS(c->m)[f].src.idx, t = NV_FLOWS(c->m)[f].dst.idx;

    for (uint32_t i = 0; i < end_count(c, s); i++) {
        uint32_t a = end_at(c, s, i);
        if (comp[a] != NV_NONE)
            seen[comp[a]] = tag;
    }
    for (uint32_t i = 0; i < end_count(c, t); i++) {
        uint32_t b = end_at(c, t, i);
        if (comp[b] != NV_NONE && seen[comp[b]] == tag)
            return 1;
    }
    return 0;
}

struct comp_scratch {
    unsigned char *removed; /* bit 1: in the group; bit 2: non-transit */
    uint32_t *comp, *stack, *seen, tag;
};

static enum nv_rc comp_init(struct comp_scratch *w, const struct nv_xctx *c)
{
    uint32_t n = c->m->graph.n + 1;

    w->removed = nv_malloc(n);
    w->comp = nv_calloc(n, sizeof(uint32_t));
    w->stack = nv_calloc(n, sizeof(uint32_t));
    w->seen = nv_calloc(n, sizeof(uint32_t));
    w->tag = 0;
    if (!w->removed || !w->comp || !w->stack || !w->seen)
        return NV_ENOMEM;
    for (uint32_t v = 0; v + 1 < n; v++)
        w->removed[v] = (unsigned char)(c->nontransit[v] << 1);
    return NV_OK;
}

static void comp_release(struct comp_scratch *w)
{
    nv_free(w->removed);
    nv_free(w->comp);
    nv_free(w->stack);
    nv_free(w->seen);
}

/* Is there a path of f that avoids the assets with removed bit 1? */
static int flow_survives(const struct nv_xctx *c, struct comp_scratch *w,
                         uint32_t f)
{
    uint32_t s = NV_FLOWS(c->m)[f].src.idx, t = NV_FLOWS(c->m)[f].dst.idx;

    if ((w->removed[s] | w->removed[t]) & 1)
        return 0;
    return s == t || c->direct[f] ||
           ends_meet(c, w->comp, f, w->seen, ++w->tag);
}

/* Which flows have a path at all, and which join their ends directly. */
static enum nv_rc mark_connected(struct nv_xctx *c)
{
    const struct nv_flow *f = NV_FLOWS(c->m);
    const struct nv_graph *g = &c->m->graph;
    struct comp_scratch w;
    enum nv_rc rc = comp_init(&w, c);

    for (uint32_t i = 0; !rc && i < c->x->nflows; i++)
        for (uint32_t k = g->off[f[i].src.idx]; k < g->off[f[i].src.idx + 1];
             k++)
            c->direct[i] |=
                g->adj[k] == f[i].dst.idx && f[i].src.idx != f[i].dst.idx;
    if (!rc) {
        nv_graph_components(g, w.removed, w.comp, w.stack);
        for (uint32_t i = 0; i < c->x->nflows; i++)
            c->x->connected[i] = (unsigned char)flow_survives(c, &w, i);
    }
    comp_release(&w);
    return rc;
}

/* ---- must: components of the transit graph without the group ---- */

static void must_group(struct nv_xctx *c, struct comp_scratch *w, uint32_t g)
{
    const struct nv_groups *gs = &c->x->groups;

    for (uint32_t k = gs->aoff[g]; k < gs->aoff[g + 1]; k++)
        w->removed[gs->asset[k]] |= 1;
    nv_graph_components(&c->m->graph, w->removed, w->comp, w->stack);
    for (uint32_t i = 0; i < c->x->nflows; i++)
        if (c->x->connected[i] && !flow_survives(c, w, i))
            nv_xctx_raise(c->x, i, g, NV_LEVEL_MUST);
    for (uint32_t k = gs->aoff[g]; k < gs->aoff[g + 1]; k++)
        w->removed[gs->asset[k]] &= 2;
}

static void *must_worker(void *arg)
{
    struct nv_xctx *c = arg;
    struct comp_scratch w;
    uint32_t g;

    if (comp_init(&w, c))
        atomic_store(&c->failed, 1);
    while (nv_xctx_next(c, c->x->groups.n, &g))
        must_group(c, &w, g);
    comp_release(&w);
    return NULL;
}

/* ---- may: blocks on the block-cut forest paths ---- */

struct may_scratch {
    unsigned char *mark;
    uint32_t *count; /* marked nodes from the root down to each node */
};

/* Mark the forest nodes holding an asset of group g (set to val). */
static void mark_group(struct nv_xctx *c, unsigned char *mark, uint32_t g,
                       unsigned char val)
{
    const struct nv_groups *gs = &c->x->groups;
    const struct nv_bct *t = &c->bct;

    for (uint32_t k = gs->aoff[g]; k < gs->aoff[g + 1]; k++) {
        uint32_t x = t->node[gs->asset[k]], cut = x - t->nblocks;
        if (x == NV_NONE)
            continue; /* not transit: only ever an end, counted by must */
        mark[x] = val;
        for (uint32_t i = x < t->nblocks ? 0 : t->coff[cut];
             x >= t->nblocks && i < t->coff[cut + 1]; i++)
            mark[t->cblk[i]] = val;
    }
}

static int in_group(const struct nv_groups *gs, uint32_t a, uint32_t g)
{
    for (uint32_t k = gs->off[a]; k < gs->off[a + 1]; k++)
        if (gs->grp[k] == g)
            return 1;
    return 0;
}

/* Whether one of flow f's items meets the marked nodes. */
static int may_flow(const struct nv_xctx *c, const struct may_scratch *w,
                    uint32_t f, uint32_t g)
{
    for (uint32_t k = c->ioff[f]; k < c->ioff[f + 1]; k++) {
        uint32_t a = c->inode[k], l = c->itop[k];
        if (l == NV_NONE ? in_group(&c->x->groups, a, g)
                         : w->count[a] + w->mark[l] > w->count[l])
            return 1;
    }
    return 0;
}

static void may_group(struct nv_xctx *c, struct may_scratch *w, uint32_t g)
{
    const struct nv_bct *t = &c->bct;
    uint32_t nodes = nv_bct_nodes(t);

    mark_group(c, w->mark, g, 1);
    for (uint32_t i = 0; i < nodes; i++) {
        uint32_t x = t->order[i], p = t->parent[x];
        w->count[x] = w->mark[x] + (p == NV_NONE ? 0 : w->count[p]);
    }
    for (uint32_t f = 0; f < c->x->nflows; f++)
        if (may_flow(c, w, f, g))
            nv_xctx_raise(c->x, f, g, NV_LEVEL_MAY);
    mark_group(c, w->mark, g, 0);
}

static void *may_worker(void *arg)
{
    struct nv_xctx *c = arg;
    uint32_t n = nv_bct_nodes(&c->bct) + 1, g;
    struct may_scratch w = {nv_calloc(n, 1), nv_calloc(n, sizeof(uint32_t))};

    if (!w.mark || !w.count)
        atomic_store(&c->failed, 1);
    while (nv_xctx_next(c, c->x->groups.n, &g))
        may_group(c, &w, g);
    nv_free(w.mark);
    nv_free(w.count);
    return NULL;
}

/* ---- may: the items of each flow ---- */

/*
 * Why items: a transit asset lies on a simple s-t path exactly when it is
 * in a block of the Steiner tree, in the block-cut forest of the transit
 * graph, of the ends of s and t -- taken in each tree that holds ends of
 * both (a non-transit s joined to several blocks merges them into one).
 * The Steiner tree is the union of the paths from each end's node up to
 * the LCA of them all, which is the LCA of the two with the smallest and
 * largest preorder numbers.  When all the ends in a tree are one asset,
 * only that asset is between s and t there.
 */
struct items {
    uint32_t *node, *query; /* per item; query NV_NONE: a lone asset */
    size_t n, ncap;
    uint32_t *qa, *qb; /* LCA queries */
    size_t nq, qcap, qbcap;
    uint32_t *pre, *ts, *tt; /* preorder; per tree: ends of s, of t */
    uint32_t *pick;          /* the ends taken for one flow and tree */
};

static enum nv_rc add_item(struct items *it, uint32_t node, uint32_t query)
{
    size_t cap = it->ncap;

    if (nv_array_reserve(&it->node, &it->ncap, it->n + 1, sizeof *it->node) ||
        nv_array_reserve(&it->query, &cap, it->n + 1, sizeof *it->query))
        return NV_ENOMEM;
    it->node[it->n] = node;
    it->query[it->n++] = query;
    return NV_OK;
}

/* Append v's ends (transit assets) in tree root to it->pick[0..n);
 * returns the new count. */
static uint32_t pick_ends(const struct nv_xctx *c, struct items *it, uint32_t v,
                          uint32_t root, uint32_t n)
{
    const struct nv_bct *t = &c->bct;

    for (uint32_t i = 0; i < end_count(c, v); i++) {
        uint32_t a = end_at(c, v, i);
        if (!c->nontransit[a] && t->tree[t->node[a]] == root)
            it->pick[n++] = a;
    }
    return n;
}

/* The items of one tree for flow f: its ends' paths up to their LCA. */
static enum nv_rc tree_items(const struct nv_xctx *c, struct items *it,
                             uint32_t f, uint32_t root)
{
    const struct nv_bct *t = &c->bct;
    uint32_t n = pick_ends(c, it, NV_FLOWS(c->m)[f].src.idx, root, 0);
    uint32_t lo = 0, hi = 0, one = 1;

    n = pick_ends(c, it, NV_FLOWS(c->m)[f].dst.idx, root, n);
    for (uint32_t i = 1; i < n; i++) {
        uint32_t x = t->node[it->pick[i]];
        one &= it->pick[i] == it->pick[0];
        lo = it->pre[x] < it->pre[t->node[it->pick[lo]]] ? i : lo;
        hi = it->pre[x] > it->pre[t->node[it->pick[hi]]] ? i : hi;
    }
    if (one)
        return add_item(it, it->pick[0], NV_NONE);
    if (nv_array_reserve(&it->qa, &it->qcap, it->nq + 1, sizeof *it->qa) ||
        nv_array_reserve(&it->qb, &it->qbcap, it->nq + 1, sizeof *it->qb))
        return NV_ENOMEM;
    it->qa[it->nq] = t->node[it->pick[lo]];
    it->qb[it->nq++] = t->node[it->pick[hi]];
    for (uint32_t i = 0; i < n; i++)
        if (add_item(it, t->node[it->pick[i]], (uint32_t)it->nq - 1))
            return NV_ENOMEM;
    return NV_OK;
}

/* Tag in tags[] the trees of v's ends with tag. */
static void tag_trees(const struct nv_xctx *c, uint32_t v, uint32_t *tags,
                      uint32_t tag)
{
    const struct nv_bct *t = &c->bct;

    for (uint32_t i = 0; i < end_count(c, v); i++) {
        uint32_t a = end_at(c, v, i);
        if (!c->nontransit[a])
            tags[t->tree[t->node[a]]] = tag;
    }
}

static enum nv_rc flow_items(const struct nv_xctx *c, struct items *it,
                             uint32_t f)
{
    const struct nv_bct *t = &c->bct;
    uint32_t s = NV_FLOWS(c->m)[f].src.idx, d = NV_FLOWS(c->m)[f].dst.idx;
    enum nv_rc rc = NV_OK;

    if (!c->x->connected[f] || s == d)
        return NV_OK;
    tag_trees(c, s, it->ts, f + 1);
    tag_trees(c, d, it->tt, f + 1);
    for (uint32_t i = 0; !rc && i < end_count(c, s); i++) {
        uint32_t a = end_at(c, s, i), root;
        if (c->nontransit[a])
            continue;
        root = t->tree[t->node[a]];
        if (it->tt[root] == f + 1 && it->ts[root] == f + 1) {
            it->ts[root] = 0; /* each tree once */
            rc = tree_items(c, it, f, root);
        }
    }
    return rc;
}

static enum nv_rc build_items(struct nv_xctx *c, struct items *it,
                              struct nv_err *err)
{
    uint32_t *lca = NULL;
    enum nv_rc rc = nv_bct_preorder(&c->bct, it->pre, err);

    c->ioff = nv_calloc((size_t)c->x->nflows + 1, sizeof *c->ioff);
    if (!rc && !c->ioff)
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    for (uint32_t f = 0; !rc && f < c->x->nflows; f++) {
        rc = flow_items(c, it, f);
        c->ioff[f + 1] = (uint32_t)it->n;
    }
    lca = rc ? NULL : nv_calloc(it->nq + 1, sizeof *lca);
    if (!rc && !lca)
        rc = NV_ENOMEM;
    if (!rc)
        rc = nv_bct_lca(&c->bct, it->qa, it->qb, (uint32_t)it->nq, lca, err);
    for (size_t k = 0; !rc && k < it->n; k++)
        it->query[k] = it->query[k] == NV_NONE ? NV_NONE : lca[it->query[k]];
    nv_free(lca);
    if (rc && (!err || !err->rc))
        nv_err_set(err, rc, "out of memory");
    return rc;
}

static enum nv_rc prepare_may(struct nv_xctx *c, struct nv_err *err)
{
    struct items it;
    uint32_t n;
    enum nv_rc rc = nv_bct_build(&c->m->graph, c->nontransit, &c->bct, err);

    memset(&it, 0, sizeof it);
    n = nv_bct_nodes(&c->bct) + 1;
    it.pre = nv_calloc(n, sizeof *it.pre);
    it.ts = nv_calloc(n, sizeof *it.ts);
    it.tt = nv_calloc(n, sizeof *it.tt);
    /* two ends' neighbours: at most every half-edge twice */
    it.pick = nv_calloc((size_t)c->m->graph.off[c->m->graph.n] * 2 + 2,
                        sizeof *it.pick);
    if (!rc && (!it.pre || !it.ts || !it.tt || !it.pick))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (!rc)
        rc = build_items(c, &it, err);
    c->inode = it.node;
    c->itop = it.query;
    nv_free(it.qa);
    nv_free(it.qb);
    nv_free(it.pre);
    nv_free(it.ts);
    nv_free(it.tt);
    nv_free(it.pick);
    return rc;
}

/* ---- the phases ---- */

static double now(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wall and processor time since t[0], t[1] into x->seconds[phase] and
 * x->cpu[phase], and restart the clocks. */
static void lap(struct nv_xctx *c, int phase, double *t)
{
    double wall = now(CLOCK_MONOTONIC), cpu = now(CLOCK_PROCESS_CPUTIME_ID);

    c->x->seconds[phase] = wall - t[0];
    c->x->cpu[phase] = cpu - t[1];
    t[0] = wall;
    t[1] = cpu;
}

static enum nv_rc compute(struct nv_xctx *c, int threads, struct nv_err *err)
{
    double t[2] = {now(CLOCK_MONOTONIC), now(CLOCK_PROCESS_CPUTIME_ID)};
    enum nv_rc rc = mark_connected(c);
    int failover = c->x->failover_from < NV_CLASS_COUNT;

    if (!rc)
        run_threads(c, threads, must_worker, "exposure: must (groups)",
                    c->x->groups.n);
    lap(c, 0, t);
    if (!rc && !atomic_load(&c->failed))
        rc = prepare_may(c, err);
    if (!rc && !atomic_load(&c->failed))
        run_threads(c, threads, may_worker, "exposure: may (groups)",
                    c->x->groups.n);
    lap(c, 1, t);
    if (!rc && !atomic_load(&c->failed))
        rc = nv_xctx_sources(c);
    if (!rc && !atomic_load(&c->failed) &&
        (c->core || c->nsources >= OVERLAY_SOURCES))
        rc = nv_overlay_build(&c->overlay, c->m, &c->x->groups, c->core);
    if (!rc && failover && c->overlay.nk && !atomic_load(&c->failed))
        rc = nv_detour_build(&c->detour, &c->overlay, err);
    if (!rc && !atomic_load(&c->failed))
        run_threads(c, threads, nv_xctx_routed_worker,
                    "exposure: routed (sources)", c->nsources);
    lap(c, 2, t);
    if (!rc && failover && !atomic_load(&c->failed))
        run_threads(c, threads, nv_xctx_failover_worker,
                    "exposure: failover (sources, flows)",
                    c->nsources + c->x->nflows);
    lap(c, 3, t);
    nv_progress_end(c->progress);
    if (!rc && atomic_load(&c->failed))
        rc = NV_ENOMEM;
    if (rc && (!err || !err->rc))
        nv_err_set(err, rc, "out of memory");
    return rc;
}

static void ctx_release(struct nv_xctx *c)
{
    nv_bct_release(&c->bct);
    nv_free(c->nontransit);
    nv_free(c->direct);
    nv_free(c->ioff);
    nv_free(c->inode);
    nv_free(c->itop);
    nv_free(c->soff);
    nv_free(c->sflows);
    nv_detour_release(&c->detour);
    nv_overlay_release(&c->overlay);
}

static enum nv_rc ctx_init(struct nv_xctx *c, const struct nv_model *m,
                           struct nv_exposure *x)
{
    uint32_t n = m->graph.n;

    memset(c, 0, sizeof *c);
    c->m = m;
    c->x = x;
    c->nontransit = nv_calloc((size_t)n + 1, 1);
    c->direct = nv_calloc((size_t)x->nflows + 1, 1);
    x->level = nv_calloc((size_t)x->nflows * x->groups.n + 1, 1);
    x->connected = nv_calloc((size_t)x->nflows + 1, 1);
    if (!c->nontransit || !c->direct || !x->level || !x->connected)
        return NV_ENOMEM;
    for (uint32_t v = 0; v < n; v++)
        c->nontransit[v] = !NV_ASSETS(m)[v].transit;
    return NV_OK;
}

enum nv_rc nv_exposure_compute_opts(const struct nv_model *m,
                                    const struct nv_exposure_opts *o,
                                    struct nv_exposure *x, struct nv_err *err)
{
    struct nv_xctx c;
    enum nv_rc rc;

    memset(x, 0, sizeof *x);
    x->nflows = NV_COUNT(m, NV_T_FLOW);
    x->failover_from = o->failover_from;
    rc = nv_groups_build(m, &x->groups, err);
    if (!rc) {
        rc = ctx_init(&c, m, x);
        c.progress = o->progress;
        c.core = o->core;
        rc = rc ? nv_err_set(err, rc, "out of memory")
                : compute(&c, nv_threads_count(o->threads), err);
        ctx_release(&c);
    }
    if (rc)
        nv_exposure_release(x);
    return rc;
}

enum nv_rc nv_exposure_compute(const struct nv_model *m, int threads,
                               struct nv_exposure *x, struct nv_err *err)
{
    struct nv_exposure_opts o = {threads, NV_CLASS_UNCLASSIFIED, NULL, NULL};

    return nv_exposure_compute_opts(m, &o, x, err);
}

void nv_exposure_release(struct nv_exposure *x)
{
    nv_groups_release(&x->groups);
    nv_free(x->level);
    nv_free(x->connected);
    memset(x, 0, sizeof *x);
}
