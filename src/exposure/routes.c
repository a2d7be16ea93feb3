/*
 * routes.c - Dijkstra that respects non-transit assets and one failure,
 * and walks back over the least-cost routes it found.
 *
 * Invariant: a settled asset's distance is final, and every tight
 * predecessor of a settled asset (an asset the route may leave from,
 * whose distance plus the link's cost is the asset's) is settled before
 * it, so settling order is a topological order of the route DAG.
 */
#include "exposure/routes.h"

#include "core/alloc.h"

#include <math.h>
#include <string.h>

enum nv_rc nv_routes_init(struct nv_routes *r, const struct nv_model *m,
                          struct nv_err *err)
{
    size_t n = (size_t)m->graph.n + 1;

    memset(r, 0, sizeof *r);
    r->pfirst = nv_calloc(n, sizeof *r->pfirst);
    r->pred = nv_calloc((size_t)m->graph.off[m->graph.n] + 1, sizeof *r->pred);
    r->fwd = nv_calloc(n, sizeof *r->fwd);
    r->done = nv_calloc(n, sizeof *r->done);
    r->listed = nv_calloc(n, sizeof *r->listed);
    r->m = m;
    r->whole = r->domall = NV_NONE; /* epoch 0 is a search's too */
    r->dist = nv_calloc(n, sizeof *r->dist);
    r->known = nv_calloc(n, sizeof *r->known);
    r->wanted = nv_calloc(n, sizeof *r->wanted);
    r->settled = nv_calloc(n, sizeof *r->settled);
    r->on = nv_calloc(n, sizeof *r->on);
    r->queue = nv_calloc(n, sizeof *r->queue);
    r->count = nv_calloc(n, sizeof *r->count);
    r->idom = nv_calloc(n, sizeof *r->idom);
    r->depth = nv_calloc(n, sizeof *r->depth);
    r->nin = nv_calloc(n, sizeof *r->nin);
    r->inlink = nv_calloc(n, sizeof *r->inlink);
    if (r->dist && r->known && r->wanted && r->settled && r->on && r->queue &&
        r->count && r->idom && r->depth && r->nin && r->inlink && r->pfirst &&
        r->pred && r->fwd && r->done && r->listed) {
        for (uint32_t v = 0; v < m->graph.n; v++)
            r->fwd[v] = NV_ASSETS(m)[v].transit;
        return NV_OK;
    }
    nv_routes_release(r);
    return nv_err_set(err, NV_ENOMEM, "out of memory");
}

void nv_routes_release(struct nv_routes *r)
{
    nv_free(r->dist);
    nv_free(r->known);
    nv_free(r->wanted);
    nv_free(r->settled);
    nv_free(r->on);
    nv_free(r->queue);
    nv_free(r->count);
    nv_free(r->idom);
    nv_free(r->depth);
    nv_free(r->nin);
    nv_free(r->inlink);
    nv_free(r->pfirst);
    nv_free(r->pred);
    nv_free(r->fwd);
    nv_free(r->done);
    nv_free(r->listed);
    nv_free(r->q.v);
    memset(r, 0, sizeof *r);
}

int nv_route_queue_push(struct nv_route_queue *q, double d, uint32_t v)
{
    size_t i;

    if (nv_array_reserve(&q->v, &q->cap, q->n + 1, sizeof *q->v))
        return 0;
    for (i = q->n++; i > 0 && q->v[(i - 1) / 2].d > d; i = (i - 1) / 2)
        q->v[i] = q->v[(i - 1) / 2];
    q->v[i] = (struct nv_route_heap){d, v};
    return 1;
}

struct nv_route_heap nv_route_queue_pop(struct nv_route_queue *q)
{
    struct nv_route_heap top = q->v[0], last = q->v[--q->n];
    size_t i = 0;

    for (size_t k = 1; k < q->n; k = 2 * i + 1) {
        if (k + 1 < q->n && q->v[k + 1].d < q->v[k].d)
            k++;
        if (q->v[k].d >= last.d)
            break;
        q->v[i] = q->v[k];
        i = k;
    }
    if (q->n)
        q->v[i] = last;
    return top;
}

/* Whether v's distance is the rerouted search's own (not base's). */
static int own(const struct nv_routes *r, uint32_t v)
{
    return !r->base || (r->tree->tin[v] >= r->lo && r->tree->tin[v] < r->hi &&
                        r->base->known[v] == r->base->epoch);
}

double nv_routes_dist(const struct nv_routes *r, uint32_t v)
{
    if (!own(r, v))
        return nv_routes_dist(r->base, v);
    if (r->base && r->done[v] != r->epoch && r->lift < INFINITY &&
        !(r->fail.kind == NV_FAIL_ASSET && r->fail.id == v))
        return nv_routes_dist(r->base, v) + r->lift;
    return r->known[v] == r->epoch ? r->dist[v] : INFINITY;
}

/* The heap's key of distance d to v: a rerouted search orders its region
 * by how much longer than base's each distance is (never less: taking
 * an element out makes no route shorter). */
static double key(const struct nv_routes *r, uint32_t v, double d)
{
    return r->base ? d - r->base->dist[v] : d;
}

static int relax(struct nv_routes *r, uint32_t v, double d)
{
    if (d >= nv_routes_dist(r, v))
        return 1;
    r->known[v] = r->epoch;
    r->dist[v] = d;
    return nv_route_queue_push(&r->q, key(r, v, d), v);
}

/* Whether a route may leave u (u is not failed and forwards traffic, or
 * is where the routes start). */
static int leaves(const struct nv_routes *r, uint32_t u)
{
    if (r->fail.kind == NV_FAIL_ASSET && r->fail.id == u)
        return 0;
    return u == r->src || r->fwd[u];
}

/* Whether half-edge k is usable: its link and its far end not failed. */
static int usable(const struct nv_routes *r, uint32_t k)
{
    const struct nv_graph *g = &r->m->graph;

    if (r->fail.kind == NV_FAIL_LINK && g->link[k] == r->fail.id)
        return 0;
    return !(r->fail.kind == NV_FAIL_ASSET && g->adj[k] == r->fail.id);
}

enum nv_rc nv_routes_search(struct nv_routes *r, uint32_t s,
                            struct nv_fail fail, const uint32_t *targets,
                            uint32_t n)
{
    const struct nv_graph *g = &r->m->graph;
    uint32_t left = n;

    if (fail.kind == NV_FAIL_NONE && r->whole == r->epoch && r->src == s)
        return NV_OK;
    r->epoch++;
    r->fail = fail;
    r->src = s;
    r->base = NULL;
    r->q.n = 0;
    r->nsettled = 0;
    for (uint32_t i = 0; i < n; i++) {
        left -= r->wanted[targets[i]] == r->epoch;
        r->wanted[targets[i]] = r->epoch;
    }
    if (!relax(r, s, 0))
        return NV_ENOMEM;
    while (r->q.n && (left || !n)) {
        struct nv_route_heap it = nv_route_queue_pop(&r->q);
        if (it.d > nv_routes_dist(r, it.v))
            continue; /* a stale entry */
        left -= r->wanted[it.v] == r->epoch;
        r->settled[r->nsettled++] = it.v;
        for (uint32_t k = g->off[it.v]; leaves(r, it.v) && k < g->off[it.v + 1];
             k++)
            if (usable(r, k) && !relax(r, g->adj[k], it.d + g->cost[k]))
                return NV_ENOMEM;
    }
    if (!n && fail.kind == NV_FAIL_NONE)
        r->whole = r->epoch;
    return NV_OK;
}

int nv_routes_tight_in(const struct nv_routes *r, uint32_t v, uint32_t k)
{
    const struct nv_graph *g = &r->m->graph;
    uint32_t u = g->adj[k];

    double du, dv;

    /* k's twin half-edge, from u, has the same link and cost */
    if (u == v || !leaves(r, u) || !usable(r, k))
        return 0;
    du = nv_routes_dist(r, u);
    dv = nv_routes_dist(r, v);
    return du < INFINITY && dv < INFINITY && nv_route_tight(du, g->cost[k], dv);
}

/* Put v on the routes, once. */
static void take(struct nv_routes *r, uint32_t v, uint32_t *n)
{
    if (r->on[v] == r->mark)
        return;
    r->on[v] = r->mark;
    r->queue[(*n)++] = v;
}

/* Put on the routes v's tight predecessors of base's search, but those
 * inside the region: outside it, distances are base's, and a
 * predecessor inside has a longer one now. */
static void take_base(struct nv_routes *r, uint32_t v, uint32_t *n)
{
    const struct nv_routes *b = r->base;
    const uint32_t *adj = r->m->graph.adj;

    for (uint32_t i = b->pfirst[v]; i < b->pfirst[v] + b->nin[v]; i++) {
        uint32_t u = adj[b->pred[i]];
        if (r->tree->tin[u] < r->lo || r->tree->tin[u] >= r->hi)
            take(r, u, n);
    }
}

/* Put on the routes v's tight predecessors in a rerouted search's
 * region, listed the first time they are asked for. */
static void take_listed(struct nv_routes *r, uint32_t v, uint32_t *n)
{
    const struct nv_graph *g = &r->m->graph;

    if (r->listed[v] != r->epoch) {
        r->listed[v] = r->epoch;
        r->pfirst[v] = r->npred;
        for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++)
            if (nv_routes_tight_in(r, v, k))
                r->pred[r->npred++] = k;
        r->nin[v] = r->npred - r->pfirst[v];
    }
    for (uint32_t i = r->pfirst[v]; i < r->pfirst[v] + r->nin[v]; i++)
        take(r, g->adj[r->pred[i]], n);
}

uint32_t nv_routes_back(struct nv_routes *r, uint32_t t)
{
    const struct nv_graph *g = &r->m->graph;
    uint32_t n = 0;

    r->mark++;
    if (nv_routes_dist(r, t) == INFINITY)
        return 0;
    take(r, t, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v = r->queue[i];
        if (v == r->src)
            continue;
        if (!own(r, v) && r->base->pepoch == r->base->epoch) {
            take_base(r, v, &n);
            continue;
        }
        if (r->base) { /* the flows of a failure share its routes */
            take_listed(r, v, &n);
            continue;
        }
        for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++)
            if (nv_routes_tight_in(r, v, k))
                take(r, g->adj[k], &n);
    }
    return n;
}

int nv_routes_breaks_path(const struct nv_model *m, uint32_t f,
                          struct nv_fail fail)
{
    const struct nv_refs *p = &NV_FLOWS(m)[f].path;
    const struct nv_graph *g = &m->graph;

    for (uint32_t i = 0; i < p->n; i++) {
        uint32_t a = p->v[i].idx, joins = 0, only = NV_NONE;
        if (fail.kind == NV_FAIL_ASSET && fail.id == a)
            return 1;
        for (uint32_t k = g->off[a]; i + 1 < p->n && k < g->off[a + 1]; k++)
            if (g->adj[k] == p->v[i + 1].idx) {
                joins++;
                only = g->link[k];
            }
        /* a link breaks the path only if no other link joins its ends */
        if (fail.kind == NV_FAIL_LINK && joins == 1 && only == fail.id)
            return 1;
    }
    return 0;
}

enum nv_rc nv_routes_flow(struct nv_routes *r, uint32_t f, struct nv_fail fail,
                          uint32_t *n)
{
    const struct nv_flow *fl = &NV_FLOWS(r->m)[f];
    uint32_t t = fl->dst.idx;
    enum nv_rc rc;

    *n = 0;
    if (fl->path.n && !nv_routes_breaks_path(r->m, f, fail)) {
        r->mark++;
        for (uint32_t i = 0; i < fl->path.n; i++)
            take(r, fl->path.v[i].idx, n);
        return NV_OK;
    }
    if ((fail.kind == NV_FAIL_ASSET &&
         (fail.id == fl->src.idx || fail.id == t)))
        return NV_OK;
    rc = nv_routes_search(r, fl->src.idx, fail, &t, 1);
    if (!rc)
        *n = nv_routes_back(r, t);
    return rc;
}

/* Number the routes into each settled asset, in settling order (tight
 * predecessors first), capped at cap. */
uint32_t nv_routes_count(const struct nv_routes *r, uint32_t t, uint32_t cap)
{
    const struct nv_graph *g = &r->m->graph;

    if (r->known[t] != r->epoch)
        return 0;
    for (uint32_t i = 0; i < r->nsettled; i++) {
        uint32_t v = r->settled[i];
        uint64_t sum = v == r->src;
        for (uint32_t k = g->off[v]; v != r->src && k < g->off[v + 1]; k++)
            if (nv_routes_tight_in(r, v, k))
                sum += r->count[g->adj[k]];
        r->count[v] = sum > cap ? cap : (uint32_t)sum;
        if (v == t)
            break;
    }
    return r->count[t];
}

uint32_t nv_routes_one(const struct nv_routes *r, uint32_t t, uint32_t *path,
                       uint32_t *links)
{
    const struct nv_graph *g = &r->m->graph;
    uint32_t n = 0, v = t;

    if (r->known[t] != r->epoch)
        return 0;
    /* built backwards: links[i] joins path[i] and path[i + 1] until the
     * arrays are turned round, then it is the link into path[i] */
    path[n++] = t;
    while (v != r->src) {
        uint32_t k = g->off[v];
        while (!nv_routes_tight_in(r, v, k))
            k++;
        links[n - 1] = g->link[k];
        v = g->adj[k];
        path[n++] = v;
    }
    links[n - 1] = NV_NONE;
    for (uint32_t i = 0; i < n / 2; i++) {
        uint32_t a = path[i], l = links[i];
        path[i] = path[n - 1 - i];
        path[n - 1 - i] = a;
        links[i] = links[n - 1 - i];
        links[n - 1 - i] = l;
    }
    return n;
}

/* The nearest common dominator of a and b. */
static uint32_t meet(const struct nv_routes *r, uint32_t a, uint32_t b)
{
    while (r->depth[a] > r->depth[b])
        a = r->idom[a];
    while (r->depth[b] > r->depth[a])
        b = r->idom[b];
    while (a != b) {
        a = r->idom[a];
        b = r->idom[b];
    }
    return a;
}

/* The tight links into every settled asset, in settling order. */
static void preds(struct nv_routes *r)
{
    const struct nv_graph *g = &r->m->graph;
    uint32_t top = 0;

    for (uint32_t i = 0; i < r->nsettled; i++) {
        uint32_t v = r->settled[i];
        r->pfirst[v] = top;
        for (uint32_t k = g->off[v]; v != r->src && k < g->off[v + 1]; k++)
            if (nv_routes_tight_in(r, v, k))
                r->pred[top++] = k;
        r->nin[v] = top - r->pfirst[v];
    }
    r->pepoch = r->epoch;
}

/* Immediate dominators of the route DAG's assets in settling order, up
 * to t: all settled assets when t is NV_NONE, else those marked by _back.
 * An asset's is the nearest common dominator of its tight predecessors.
 * Also each asset's tight links in (preds) and the last of them. */
static void dominators(struct nv_routes *r, uint32_t t)
{
    const struct nv_graph *g = &r->m->graph;

    preds(r);
    for (uint32_t i = 0; i < r->nsettled; i++) {
        uint32_t v = r->settled[i], d = NV_NONE;
        if (t != NV_NONE && r->on[v] != r->mark)
            continue;
        for (uint32_t j = r->pfirst[v]; j < r->pfirst[v] + r->nin[v]; j++) {
            uint32_t u = g->adj[r->pred[j]];
            r->inlink[v] = g->link[r->pred[j]];
            d = d == NV_NONE ? u : meet(r, d, u);
        }
        r->idom[v] = d == NV_NONE ? v : d;
        r->depth[v] = d == NV_NONE ? 0 : r->depth[d] + 1;
        if (v == t)
            break;
    }
}

static uint32_t route_failures(struct nv_routes *r, uint32_t t,
                               struct nv_fail *fails)
{
    uint32_t n = 0;

    if (r->domall != r->epoch)
        dominators(r, t);
    for (uint32_t v = t; v != r->src; v = r->idom[v]) {
        if (r->nin[v] == 1)
            fails[n++] = (struct nv_fail){NV_FAIL_LINK, r->inlink[v]};
        if (v != t)
            fails[n++] = (struct nv_fail){NV_FAIL_ASSET, v};
    }
    return n;
}

static uint32_t path_failures(const struct nv_model *m, uint32_t f,
                              struct nv_fail *fails)
{
    const struct nv_refs *p = &NV_FLOWS(m)[f].path;
    const struct nv_graph *g = &m->graph;
    uint32_t n = 0;

    for (uint32_t i = 0; i + 1 < p->n; i++) {
        uint32_t a = p->v[i].idx;
        struct nv_fail link = {NV_FAIL_LINK, NV_NONE};
        if (i)
            fails[n++] = (struct nv_fail){NV_FAIL_ASSET, a};
        for (uint32_t k = g->off[a]; k < g->off[a + 1]; k++)
            if (g->adj[k] == p->v[i + 1].idx)
                link.id = g->link[k];
        if (nv_routes_breaks_path(m, f, link))
            fails[n++] = link;
    }
    return n;
}

enum nv_rc nv_routes_failures(struct nv_routes *r, uint32_t f,
                              struct nv_fail *fails, uint32_t *n)
{
    const struct nv_flow *fl = &NV_FLOWS(r->m)[f];
    const struct nv_fail none = {NV_FAIL_NONE, 0};
    uint32_t t = fl->dst.idx;
    enum nv_rc rc;

    *n = 0;
    if (fl->src.idx == t)
        return NV_OK;
    if (fl->path.n) {
        *n = path_failures(r->m, f, fails);
        return NV_OK;
    }
    rc = nv_routes_search(r, fl->src.idx, none, &t, 1);
    if (!rc && nv_routes_back(r, t))
        *n = route_failures(r, t, fails);
    return rc;
}

void nv_routes_dominators(struct nv_routes *r)
{
    dominators(r, NV_NONE);
    r->domall = r->epoch;
}

/* The best way into region asset w from outside the region. */
static double seed(const struct nv_routes *r, uint32_t w)
{
    const struct nv_graph *g = &r->m->graph;
    double best = INFINITY;

    for (uint32_t k = g->off[w]; k < g->off[w + 1]; k++) {
        uint32_t u = g->adj[k];
        double du;
        if (own(r, u) || !leaves(r, u) || !usable(r, k))
            continue;
        du = nv_routes_dist(r->base, u);
        if (du + g->cost[k] < best)
            best = du + g->cost[k];
    }
    return best;
}

/* Whether region asset v heads a subtree of the region in base's
 * dominator tree: its immediate dominator is outside, or failed. */
static int top(const struct nv_routes *r, uint32_t v)
{
    uint32_t d = r->base->idom[v];

    return !own(r, d) || (r->fail.kind == NV_FAIL_ASSET && r->fail.id == d);
}

/* Seed every region asset from its neighbours outside; returns how many
 * subtrees the region has, or UINT32_MAX if the heap cannot grow. */
static uint32_t seed_region(struct nv_routes *r)
{
    const struct nv_routes_tree *t = r->tree;
    uint32_t tops = 1, v = t->order[r->lo];

    if (r->fail.kind == NV_FAIL_ASSET && v == r->fail.id) { /* children */
        tops = 0;
        for (uint32_t i = r->lo + 1; i < r->hi; i = t->tout[t->order[i]])
            tops++;
    }
    for (uint32_t i = r->lo; i < r->hi; i++) {
        double d;
        if (t->nlo[i] >= r->lo && t->nhi[i] < r->hi)
            continue; /* no way in from outside */
        v = t->order[i];
        if (r->fail.kind == NV_FAIL_ASSET && v == r->fail.id)
            continue;
        d = seed(r, v);
        if (d < INFINITY && !relax(r, v, d))
            return UINT32_MAX;
    }
    return tops;
}

/*
 * The region is searched in the order of how much longer than base's
 * each distance is (base's distances are a potential: every key is at
 * least 0).  When the head y of a subtree of the dominator tree is
 * settled with its extra length L, every asset x below it is at most L
 * longer (base's routes from y to x survive the failure, which lies
 * above y) and, not yet settled, at least L: exactly L.  So the search
 * stops once every head is settled (lift = L), or once every target is
 * and so is every asset no longer than the longest of them: an asset on
 * a route to a target t is at most as much longer as t, and may be just
 * as much (its route to t then being one of base's), so ties are
 * settled too.
 */
enum nv_rc nv_routes_reroute(struct nv_routes *r, const struct nv_routes *base,
                             const struct nv_routes_tree *tree,
                             struct nv_fail fail, uint32_t lo, uint32_t hi,
                             const uint32_t *targets, uint32_t n)
{
    const struct nv_graph *g = &r->m->graph;
    uint32_t left = n, tops;
    double until = INFINITY;

    r->epoch++;
    r->fail = fail;
    r->src = base->src;
    r->base = base;
    r->tree = tree;
    r->lo = lo;
    r->hi = hi;
    r->lift = INFINITY;
    r->q.n = r->nsettled = r->npred = 0;
    for (uint32_t i = 0; i < n; i++) {
        left -= r->wanted[targets[i]] == r->epoch;
        r->wanted[targets[i]] = r->epoch;
    }
    if ((tops = seed_region(r)) == UINT32_MAX)
        return NV_ENOMEM;
    while (r->q.n && tops && r->q.v[0].d <= until) {
        struct nv_route_heap it = nv_route_queue_pop(&r->q);
        double d = r->dist[it.v];
        if (it.d > key(r, it.v, d))
            continue; /* a stale entry */
        if (r->wanted[it.v] == r->epoch && !--left)
            until = it.d + 1e-9 * fmax(1.0, d); /* and its ties */
        r->done[it.v] = r->epoch;
        r->settled[r->nsettled++] = it.v;
        if (top(r, it.v) && !--tops)
            r->lift = it.d;
        for (uint32_t k = g->off[it.v]; leaves(r, it.v) && k < g->off[it.v + 1];
             k++)
            if (own(r, g->adj[k]) && usable(r, k) &&
                !relax(r, g->adj[k], d + g->cost[k]))
                return NV_ENOMEM;
    }
    return NV_OK;
}

void nv_routes_number(const struct nv_routes *r, struct nv_routes_tree *tree)
{
    const struct nv_graph *g = &r->m->graph;

    for (uint32_t i = 0; i < r->nsettled; i++) {
        uint32_t v = r->settled[i], lo = UINT32_MAX, hi = 0;
        for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
            uint32_t u = g->adj[k], at = tree->tin[u];
            if (u == v || r->known[u] != r->epoch || !leaves(r, u))
                continue;
            lo = at < lo ? at : lo;
            hi = at > hi ? at : hi;
        }
        tree->nlo[tree->tin[v]] = lo;
        tree->nhi[tree->tin[v]] = hi;
    }
}
