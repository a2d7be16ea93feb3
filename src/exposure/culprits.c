/*
 * culprits.c - the assets behind each exposure level.
 *
 * must and may are answered by max-flow through assets of capacity one
 * (vflow.h), each search kept to the part of the network it needs:
 *   must: from one end to the other, the group's transit assets of
 *         capacity 1; every component of the transit assets outside the
 *         group is one node of unbounded capacity, so the search starts
 *         on the smaller end's side and stops on entering the other's.
 *         The group's assets whose in half the last search reached and
 *         whose out half it did not are a minimum cut (max-flow min-cut).
 *   may:  one of the flow's routes R is a simple s-t path; an asset x of
 *         the group lies on a simple s-t path if and only if two paths
 *         from x reach R at two different assets and share nothing but
 *         x (the parts of a simple path through x before and after it
 *         do; and R's stretch before the first, the two paths and R's
 *         stretch after the second make one).  One search out from R
 *         serves every group of the flow: their transit assets are tried
 *         nearest R first, x's second way searched for round its way
 *         back, and by a max-flow of two units from R into x when there
 *         is none.
 * Non-transit assets other than the flow's ends pass nothing.
 */
#include "exposure/culprits.h"

#include "core/alloc.h"
#include "exposure/failover.h"
#include "model/graph.h"

#include <stdlib.h>
#include <string.h>

static void kept_release(struct nv_culprits_kept *k);

enum nv_rc nv_culprits_init(struct nv_culprits *c, const struct nv_model *m,
                            const struct nv_exposure *x, struct nv_err *err)
{
    size_t n = (size_t)m->graph.n + 1;
    enum nv_rc rc;

    memset(c, 0, sizeof *c);
    c->m = m;
    c->x = x;
    rc = nv_routes_init(&c->r, m, err);
    if (!rc)
        rc = nv_vflow_init(&c->vf, &m->graph, NV_COUNT(m, NV_T_LINK), err);
    c->fails = nv_calloc(2 * n, sizeof *c->fails);
    c->assets = nv_calloc(n, sizeof *c->assets);
    c->path = nv_calloc(n, sizeof *c->path);
    c->label = nv_calloc(x->groups.n + 1, sizeof *c->label);
    c->size = nv_calloc(x->groups.n + 1, sizeof *c->size);
    c->mark = nv_calloc(n, sizeof *c->mark);
    c->pos = nv_calloc(n, sizeof *c->pos);
    c->near = nv_calloc(n, sizeof *c->near);
    c->leg = nv_calloc(2 * n, sizeof *c->leg);
    c->par = nv_calloc(n, sizeof *c->par);
    c->root = nv_calloc(n, sizeof *c->root);
    c->around = nv_calloc(n, sizeof *c->around);
    c->back = nv_calloc(n, sizeof *c->back);
    c->seen = nv_calloc(n, sizeof *c->seen);
    c->wat = nv_calloc(x->groups.n + 1, sizeof *c->wat);
    c->wflow = NV_NONE;
    if (!rc && !(c->fails && c->assets && c->path && c->label && c->size &&
                 c->mark && c->pos && c->near && c->leg && c->par && c->root &&
                 c->around && c->back && c->seen && c->wat))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (rc)
        nv_culprits_release(c);
    return rc;
}

void nv_culprits_release(struct nv_culprits *c)
{
    nv_routes_release(&c->r);
    nv_vflow_release(&c->vf);
    for (uint32_t g = 0; c->label && c->size && g < c->x->groups.n; g++) {
        nv_free(c->label[g]);
        nv_free(c->size[g]);
    }
    nv_free(c->label);
    nv_free(c->size);
    nv_free(c->fails);
    nv_free(c->assets);
    nv_free(c->path);
    nv_free(c->mark);
    nv_free(c->pos);
    nv_free(c->near);
    nv_free(c->leg);
    nv_free(c->par);
    nv_free(c->root);
    nv_free(c->around);
    nv_free(c->back);
    nv_free(c->seen);
    nv_free(c->wat);
    nv_free(c->wlist);
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

/* Whether v forwards traffic: the route search's copy, in a compact
 * array, since the flow searches ask it for every neighbour. */
static int transit(const struct nv_culprits *c, uint32_t v)
{
    return c->r.fwd[v];
}

/* A new stamp for marks (one per asset), clearing them when the count
 * wraps. */
static uint32_t fresh(const struct nv_culprits *c, uint32_t *stamp,
                      uint32_t *marks)
{
    if (++*stamp == 0) {
        memset(marks, 0, (size_t)c->m->graph.n * sizeof *marks);
        *stamp = 1;
    }
    return *stamp;
}

static uint32_t next_stamp(struct nv_culprits *c)
{
    return fresh(c, &c->stamp, c->mark);
}

/* ---- must: a minimum cut between the two ends' components ---- */

/* The components of the transit assets outside group g, once. */
static enum nv_rc components_of(struct nv_culprits *c, uint32_t g)
{
    const struct nv_graph *gr = &c->m->graph;
    const struct nv_groups *gs = &c->x->groups;
    unsigned char *removed = nv_calloc((size_t)gr->n + 1, 1);
    uint32_t *stack = nv_calloc((size_t)gr->n + 1, sizeof *stack);
    uint32_t *label = nv_calloc((size_t)gr->n + 1, sizeof *label);
    uint32_t *size = NULL, nc = 0;

    if (removed && stack && label) {
        for (uint32_t v = 0; v < gr->n; v++)
            removed[v] = !transit(c, v);
        for (uint32_t k = gs->aoff[g]; k < gs->aoff[g + 1]; k++)
            removed[gs->asset[k]] = 1;
        nc = nv_graph_components(gr, removed, label, stack);
        size = nv_calloc((size_t)nc + 1, sizeof *size);
    }
    for (uint32_t v = 0; size && v < gr->n; v++)
        if (label[v] != NV_NONE)
            size[label[v]]++;
    nv_free(removed);
    nv_free(stack);
    if (!size) {
        nv_free(label);
        return NV_ENOMEM;
    }
    c->label[g] = label;
    c->size[g] = size;
    return NV_OK;
}

/* The assets on end e's side: its component, or for a non-transit end
 * the components it touches; each is marked with stamp if it is not 0. */
static uint64_t side(struct nv_culprits *c, uint32_t g, uint32_t e,
                     uint32_t stamp)
{
    const struct nv_graph *gr = &c->m->graph;
    const uint32_t *label = c->label[g];
    uint32_t probe = stamp ? stamp : next_stamp(c);
    uint64_t n = 1;

    for (uint32_t k = gr->off[e]; k <= gr->off[e + 1]; k++) {
        uint32_t w = k < gr->off[e + 1] ? gr->adj[k] : e;
        if (label[w] == NV_NONE || c->mark[label[w]] == probe ||
            (w != e && transit(c, e)))
            continue;
        c->mark[label[w]] = probe;
        n += c->size[g][label[w]];
    }
    return n;
}

struct cut_problem {
    const struct nv_culprits *c;
    const uint32_t *label;
    uint32_t start, end, stamp;
};

static uint32_t cut_cap(const void *ctx, uint32_t v)
{
    const struct cut_problem *p = ctx;

    if (v == p->start || !transit(p->c, v))
        return 0;
    return p->label[v] != NV_NONE ? NV_VFLOW_UNBOUNDED : 1;
}

/* The end's side takes every unit: it is one asset of unbounded
 * capacity. */
static uint32_t cut_sink(const void *ctx, uint32_t v)
{
    const struct cut_problem *p = ctx;

    return v == p->end || (p->label[v] != NV_NONE &&
                           p->c->mark[p->label[v]] == p->stamp)
               ? NV_VFLOW_UNBOUNDED
               : 0;
}

/* must with both ends outside the group: a minimum vertex cut. */
static enum nv_rc must_cut(struct nv_culprits *c, uint32_t f, uint32_t g)
{
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];
    struct cut_problem p = {c, NULL, fl->src.idx, fl->dst.idx, 0};
    struct nv_vflow_problem vp = {cut_cap, cut_sink, &p};

    if (!c->label[g] && components_of(c, g))
        return NV_ENOMEM;
    p.label = c->label[g];
    if (side(c, g, p.start, 0) > side(c, g, p.end, 0)) {
        p.start = fl->dst.idx;
        p.end = fl->src.idx;
    }
    p.stamp = next_stamp(c);
    side(c, g, p.end, p.stamp);
    nv_vflow_begin(&c->vf, &vp);
    while (nv_vflow_push(&c->vf, p.start) != NV_NONE)
        ;
    /* the last search failed: its reach ends at the cut */
    for (uint32_t i = 0; i < c->vf.nreached; i++) {
        uint32_t node = c->vf.queue[i], v = node / 2;
        if (node % 2 == 0 && p.label[v] == NV_NONE && transit(c, v) &&
            !nv_vflow_reached(&c->vf, node + 1))
            c->assets[c->nassets++] = v;
    }
    return NV_OK;
}

/* The group's assets among a[0..n). */
static void take_routes(struct nv_culprits *c, const uint32_t *a, uint32_t n,
                        uint32_t g)
{
    for (uint32_t i = 0; i < n; i++)
        if (in_group(&c->x->groups, a[i], g))
            c->assets[c->nassets++] = a[i];
}

/* What is kept of each flow's routes: the assets on them, on them after
 * a failure, and one route in order (the may witness's base). */
enum kept_kind { ROUTED, FAILOVER, ONE_ROUTE, KINDS };

static uint32_t slot(uint32_t f, enum kept_kind kind)
{
    return KINDS * f + kind;
}

/* Each flow's routes, found for all the flows of a source at once and
 * kept: list[off[slot] ..] has len[slot] assets; off is NV_NONE until
 * found. */
struct nv_culprits_kept {
    struct nv_failover fo;
    uint32_t *off, *len, *list;
    uint32_t *route, *links; /* scratch: one route and its links */
    size_t nlist, cap;
    uint32_t *srcoff, *bysrc; /* the flows searched by source */
    uint32_t *want;           /* scratch: a source's failover flows */
    struct visit {
        uint32_t f, a;
    } * visits; /* what the failover searches found */
    size_t nvisit, vcap;
    int failed; /* a visit could not be kept */
    uint32_t *seen, mark;
    unsigned char *asked; /* by source: whether a flow of it was found */
};

static void kept_release(struct nv_culprits_kept *k)
{
    if (!k)
        return;
    nv_failover_release(&k->fo);
    nv_free(k->off);
    nv_free(k->len);
    nv_free(k->list);
    nv_free(k->route);
    nv_free(k->links);
    nv_free(k->srcoff);
    nv_free(k->bysrc);
    nv_free(k->want);
    nv_free(k->visits);
    nv_free(k->seen);
    nv_free(k->asked);
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
    k->off = nv_calloc(KINDS * nf, sizeof *k->off);
    k->len = nv_calloc(KINDS * nf, sizeof *k->len);
    k->route = nv_calloc(na, sizeof *k->route);
    k->links = nv_calloc(na, sizeof *k->links);
    k->srcoff = nv_calloc(na + 1, sizeof *k->srcoff);
    k->bysrc = nv_calloc(nf, sizeof *k->bysrc);
    k->want = nv_calloc(nf, sizeof *k->want);
    k->seen = nv_calloc(na, sizeof *k->seen);
    k->asked = nv_calloc(na, sizeof *k->asked);
    if (!k->off || !k->len || !k->route || !k->links || !k->srcoff ||
        !k->bysrc || !k->want || !k->seen || !k->asked) {
        kept_release(k);
        return NV_ENOMEM;
    }
    memset(k->off, 0xff, KINDS * nf * sizeof *k->off);
    index_sources(c, k);
    c->kept = k;
    return NV_OK;
}

/* Keep a[0 .. n) once each, in order, in slot. */
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
        k->len[slot(flows[i], FAILOVER)] = 0;
    for (size_t i = 0; i < k->nvisit; i++)
        k->len[slot(k->visits[i].f, FAILOVER)]++;
    for (uint32_t i = 0; i < n; i++) {
        k->off[slot(flows[i], FAILOVER)] = (uint32_t)sum;
        sum += k->len[slot(flows[i], FAILOVER)];
    }
    for (size_t i = 0; !rc && i < k->nvisit; i++)
        at[k->off[slot(k->visits[i].f, FAILOVER)]++] = k->visits[i].a;
    for (uint32_t i = 0; !rc && i < n; i++) {
        uint32_t s = slot(flows[i], FAILOVER), len = k->len[s];
        rc = keep(k, s, at + k->off[s] - len, len);
    }
    for (uint32_t i = 0; rc && i < n; i++) /* found again next time */
        k->off[slot(flows[i], FAILOVER)] = k->off[slot(flows[i], ROUTED)] =
            k->off[slot(flows[i], ONE_ROUTE)] = NV_NONE;
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
        rc = keep(k, slot(flows[i], ROUTED), k->fo.base.queue, nb);
        nb = nv_routes_one(&k->fo.base, t, k->route, k->links);
        if (!rc)
            rc = keep(k, slot(flows[i], ONE_ROUTE), k->route, nb);
    }
    return rc ? rc : keep_visits(k, flows, n);
}

/* The routes of flow f searched alone; its one route is a least-cost
 * one even when it declares a path. */
static enum nv_rc find_alone(struct nv_culprits *c, uint32_t f)
{
    const struct nv_fail none = {NV_FAIL_NONE, 0};
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];
    struct nv_culprits_kept *k = c->kept;
    uint32_t n;
    enum nv_rc rc = nv_routes_flow(&k->fo.r, f, none, &n);

    if (!rc)
        rc = keep(k, slot(f, ROUTED), k->fo.r.queue, n);
    if (!rc && nv_exposure_wants_failover(c->x, c->m, f))
        rc = nv_failover_flow(&k->fo, f, collect, k);
    if (!rc)
        rc = keep_visits(k, &f, 1);
    if (!rc)
        rc = nv_routes_search(&k->fo.r, fl->src.idx, none, &fl->dst.idx, 1);
    n = rc ? 0 : nv_routes_one(&k->fo.r, fl->dst.idx, k->route, k->links);
    if (!rc)
        rc = keep(k, slot(f, ONE_ROUTE), k->route, n);
    if (rc)
        k->off[slot(f, ROUTED)] = k->off[slot(f, FAILOVER)] = NV_NONE;
    return rc;
}

/* Find and keep flow f's routes.  The first flow of a source asked for
 * is found alone: a report of one flow wants no other, and a source's
 * whole batch costs a walk back over the routes of each of its flows
 * (thousands at a hub: two seconds of a 1M-asset model).  A second flow
 * of the source means all are wanted: they are found at once. */
static enum nv_rc find(struct nv_culprits *c, uint32_t f)
{
    uint32_t s = NV_FLOWS(c->m)[f].src.idx;

    if (by_source(c, f) && c->kept->asked[s])
        return find_source(c, s);
    c->kept->asked[s] = 1; /* read only for the flows searched by source */
    return find_alone(c, f);
}

/* What is kept of flow f's routes of one kind, found if need be: its
 * assets into *a, their number into *n. */
static enum nv_rc kept_routes(struct nv_culprits *c, uint32_t f,
                              enum kept_kind kind, const uint32_t **a,
                              uint32_t *n)
{
    enum nv_rc rc = c->kept ? NV_OK : kept_init(c);
    uint32_t at = slot(f, kind);

    if (!rc && c->kept->off[at] == NV_NONE) {
        c->kept->nvisit = 0; /* none left by a pass that failed */
        c->kept->failed = 0;
        rc = find(c, f);
    }
    if (rc)
        return rc;
    *a = c->kept->list + c->kept->off[at];
    *n = c->kept->len[at];
    return NV_OK;
}

/* The group's assets on flow f's routes, or on those after the failures
 * that move them. */
static enum nv_rc on_routes(struct nv_culprits *c, uint32_t f, uint32_t g,
                            int failover)
{
    const uint32_t *a;
    uint32_t n;
    enum nv_rc rc = kept_routes(c, f, failover ? FAILOVER : ROUTED, &a, &n);

    if (!rc)
        take_routes(c, a, n, g);
    return rc;
}

/* ---- may: a detour from one route through an asset of the group ---- */

struct fan_problem {
    const struct nv_culprits *c;
    uint32_t from, route; /* mark[v] == route: v is on the route */
};

static uint32_t fan_cap(const void *ctx, uint32_t v)
{
    const struct fan_problem *p = ctx;

    return v != p->from && p->c->mark[v] != p->route && transit(p->c, v);
}

/* x takes both paths. */
static uint32_t fan_sink(const void *ctx, uint32_t v)
{
    const struct fan_problem *p = ctx;

    return v == p->from ? 2 : 0;
}

/* Join two paths from x into the route r[0 .. n), l1 and l2 (the assets
 * after x, the last on the route; they share nothing), with the route's
 * stretches before and after them into c->path. */
static void join(struct nv_culprits *c, const uint32_t *r, uint32_t n,
                 uint32_t x, const uint32_t *l1, uint32_t n1,
                 const uint32_t *l2, uint32_t n2)
{
    if (c->pos[l1[n1 - 1]] > c->pos[l2[n2 - 1]]) {
        join(c, r, n, x, l2, n2, l1, n1);
        return;
    }
    c->npath = 0;
    for (uint32_t i = 0; i <= c->pos[l1[n1 - 1]]; i++)
        c->path[c->npath++] = r[i];
    for (uint32_t i = n1 - 1; i > 0; i--)
        c->path[c->npath++] = l1[i - 1];
    c->path[c->npath++] = x;
    for (uint32_t i = 0; i < n2; i++)
        c->path[c->npath++] = l2[i];
    for (uint32_t i = c->pos[l2[n2 - 1]] + 1; i < n; i++)
        c->path[c->npath++] = r[i];
}

/* v's way back to the route in the search out from it, into out (the
 * asset it starts from first); returns its length. */
static uint32_t way_back(const struct nv_culprits *c, uint32_t v, uint32_t *out)
{
    uint32_t n = 0;

    out[n++] = v;
    while (c->par[v] != NV_NONE)
        out[n++] = v = c->par[v];
    return n;
}

/* The way from x to u in the search round x (c->back), then w's way back
 * to the route, into out; returns its length. */
static uint32_t round_leg(const struct nv_culprits *c, uint32_t x, uint32_t u,
                          uint32_t w, uint32_t *out)
{
    uint32_t n = 0;

    for (uint32_t v = u; v != x; v = c->back[v])
        n++;
    for (uint32_t v = u, i = n; v != x; v = c->back[v])
        out[--i] = v;
    return n + way_back(c, w, out + n);
}

/*
 * A second way from x to the route, sharing nothing with x's way back
 * l1[0 .. n1): breadth-first out from x through transit assets off the
 * route and off l1, up to the first asset that hangs from another route
 * asset than x does, or is one; then that asset's own way back.  Its way
 * back lies in its own tree of the search out from the route, so it
 * meets neither l1 (x's tree) nor the way to it (which met no asset of
 * another tree before).  Into l2; returns its length, 0 when there is
 * none round l1 (max-flow may still find two ways that are not l1).
 */
static uint32_t way_round(struct nv_culprits *c, uint32_t x, const uint32_t *l1,
                          uint32_t n1, uint32_t route, uint32_t near,
                          uint32_t *l2)
{
    const struct nv_graph *gr = &c->m->graph;
    uint32_t seen = fresh(c, &c->seen_stamp, c->seen), head = 0, tail = 0;

    for (uint32_t i = 0; i < n1; i++)
        c->seen[l1[i]] = seen;
    c->seen[x] = seen;
    c->around[tail++] = x;
    while (head < tail) {
        uint32_t u = c->around[head++];
        for (uint32_t k = gr->off[u]; k < gr->off[u + 1]; k++) {
            uint32_t w = gr->adj[k];
            if ((c->mark[w] == near || c->mark[w] == route) &&
                c->root[w] != c->root[x])
                return round_leg(c, x, u, w, l2);
            if (c->seen[w] == seen || c->mark[w] == route || !transit(c, w))
                continue;
            c->seen[w] = seen;
            c->back[w] = u;
            c->around[tail++] = w;
        }
    }
    return 0;
}

/* A detour through x found from the search out from the route (marked
 * near, par and root set): x's own way back, and a way round it. */
static int detour_round(struct nv_culprits *c, const uint32_t *r, uint32_t n,
                        uint32_t x, uint32_t route, uint32_t near)
{
    uint32_t *l1 = c->leg, *l2 = c->leg + c->m->graph.n;
    uint32_t n1 = way_back(c, c->par[x], l1);
    uint32_t n2 = way_round(c, x, l1, n1, route, near, l2);

    if (!n2)
        return 0;
    join(c, r, n, x, l1, n1, l2, n2);
    return 1;
}

/* Two paths from the route r[0 .. n) into x that share only x and start
 * at different assets of the route, by max-flow from the route's side
 * (x is near it: a search from x would cross the network's hubs first),
 * joined with the route into c->path. */
static int detour_by_flow(struct nv_culprits *c, const uint32_t *r, uint32_t n,
                          uint32_t x, uint32_t route)
{
    struct fan_problem p = {c, x, route};
    struct nv_vflow_problem vp = {fan_cap, fan_sink, &p};
    uint32_t *l1 = c->leg, *l2 = c->leg + c->m->graph.n, n1, n2;

    nv_vflow_begin(&c->vf, &vp);
    if (nv_vflow_push_from(&c->vf, r, n) == NV_NONE ||
        nv_vflow_push_from(&c->vf, r, n) == NV_NONE)
        return 0;
    n1 = nv_vflow_follow_back(&c->vf, x, l1);
    n2 = nv_vflow_follow_back(&c->vf, x, l2);
    join(c, r, n, x, l1, n1, l2, n2);
    return 1;
}

/* Whether flow f still wants a witness path for group g. */
static int wants(const struct nv_culprits *c, uint32_t f, uint32_t g)
{
    return c->wat[g] == NV_NONE &&
           nv_exposure_level(c->x, f, g) == NV_LEVEL_MAY;
}

/* Whether flow f still wants a witness for one of asset v's groups. */
static int wanted_at(const struct nv_culprits *c, uint32_t f, uint32_t v)
{
    const struct nv_groups *gs = &c->x->groups;

    for (uint32_t k = gs->off[v]; k < gs->off[v + 1]; k++)
        if (wants(c, f, gs->grp[k]))
            return 1;
    return 0;
}

/* Keep c->path as flow f's witness for every group that wants one and
 * has an inner asset on it; *took counts them. */
static enum nv_rc keep_witness(struct nv_culprits *c, uint32_t f,
                               uint32_t *took)
{
    const struct nv_groups *gs = &c->x->groups;
    uint32_t at = (uint32_t)c->nw;

    *took = 0;
    for (uint32_t i = 1; i + 1 < c->npath; i++)
        for (uint32_t k = gs->off[c->path[i]]; k < gs->off[c->path[i] + 1]; k++)
            if (wants(c, f, gs->grp[k])) {
                c->wat[gs->grp[k]] = at;
                (*took)++;
            }
    if (!*took)
        return NV_OK;
    if (nv_array_reserve(&c->wlist, &c->wcap, c->nw + 1 + c->npath,
                         sizeof *c->wlist))
        return NV_ENOMEM;
    c->wlist[c->nw++] = c->npath;
    memcpy(c->wlist + c->nw, c->path, c->npath * sizeof *c->path);
    c->nw += c->npath;
    return NV_OK;
}

/*
 * Flow f's witnesses beyond its route r[0 .. n) (marked route), for the
 * `wanted` groups still without one: breadth-first out from the route
 * through transit assets (marked near, each with its parent and the
 * route asset it hangs from), one search for all groups.  An asset of a
 * group that wants a witness is tried when it leaves the queue, when its
 * neighbours as near as it are all in the search tree; the detour
 * through it serves every group that wants one and passes through it.
 */
static enum nv_rc detours(struct nv_culprits *c, uint32_t f, const uint32_t *r,
                          uint32_t n, uint32_t route, uint32_t wanted)
{
    const struct nv_graph *gr = &c->m->graph;
    uint32_t near = ++c->stamp, head = 0, tail = 0, took;

    for (uint32_t i = 0; i < n; i++) {
        c->near[tail++] = r[i];
        c->par[r[i]] = NV_NONE;
        c->root[r[i]] = r[i];
    }
    while (wanted && head < tail) {
        uint32_t v = c->near[head++];
        if (c->mark[v] == near && wanted_at(c, f, v) &&
            (detour_round(c, r, n, v, route, near) ||
             detour_by_flow(c, r, n, v, route))) {
            if (keep_witness(c, f, &took))
                return NV_ENOMEM;
            wanted -= took;
        }
        for (uint32_t k = gr->off[v]; k < gr->off[v + 1]; k++) {
            uint32_t w = gr->adj[k];
            if (c->mark[w] == route || c->mark[w] == near || !transit(c, w))
                continue;
            c->mark[w] = near;
            c->par[w] = v;
            c->root[w] = c->root[v];
            c->near[tail++] = w;
        }
    }
    return NV_OK;
}

/* The witness paths of flow f for every group at may: the route itself
 * for the groups it passes through (a declared path's flow), then the
 * detours nearest the route.  A group's witness does not depend on what
 * was asked before, and one detour serves the vendor, its country and
 * its designation. */
static enum nv_rc witnesses(struct nv_culprits *c, uint32_t f)
{
    const uint32_t *r;
    uint32_t n, route, took, wanted = 0;
    enum nv_rc rc;

    if (c->wflow == f)
        return NV_OK;
    rc = kept_routes(c, f, ONE_ROUTE, &r, &n);
    if (rc)
        return rc;
    c->wflow = NV_NONE;
    c->nw = 0;
    if (c->stamp > UINT32_MAX - 2) { /* no stamp below wraps */
        memset(c->mark, 0, (size_t)c->m->graph.n * sizeof *c->mark);
        c->stamp = 0;
    }
    route = ++c->stamp;
    for (uint32_t i = 0; i < n; i++) {
        c->mark[r[i]] = route;
        c->pos[r[i]] = i;
    }
    for (uint32_t g = 0; g < c->x->groups.n; g++) {
        c->wat[g] = NV_NONE;
        wanted += nv_exposure_level(c->x, f, g) == NV_LEVEL_MAY;
    }
    memcpy(c->path, r, n * sizeof *r);
    c->npath = n;
    rc = keep_witness(c, f, &took);
    rc = rc ? rc : detours(c, f, r, n, route, wanted - took);
    if (!rc)
        c->wflow = f;
    return rc;
}

/* may: the group's assets on one witness path. */
static enum nv_rc may_witness(struct nv_culprits *c, uint32_t f, uint32_t g)
{
    enum nv_rc rc = witnesses(c, f);
    uint32_t at = rc ? NV_NONE : c->wat[g];

    c->npath = at == NV_NONE ? 0 : c->wlist[at];
    if (c->npath)
        memcpy(c->path, c->wlist + at + 1, c->npath * sizeof *c->path);
    for (uint32_t i = 0; i < c->npath; i++)
        if (in_group(&c->x->groups, c->path[i], g))
            c->assets[c->nassets++] = c->path[i];
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
        rc = must_cut(c, f, g);
    else if (lv == NV_LEVEL_ROUTED || lv == NV_LEVEL_FAILOVER)
        rc = on_routes(c, f, g, lv == NV_LEVEL_FAILOVER);
    else if (lv == NV_LEVEL_MAY)
        rc = may_witness(c, f, g);
    settle(c);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}
