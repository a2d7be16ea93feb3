/*
 * overlay.c - least-cost routes between far-apart ends through a table
 * of the core's distances, so that a flow costs two short searches
 * instead of one across the country (overlay.h says why it is exact).
 *
 * Building: the K assets are picked, the cells labelled, each K asset's
 * cells searched once for the shortcuts to the other K assets of those
 * cells (the cells hang off a few K assets each, so this is a few
 * passes over the network), then one search of the overlay from every
 * K asset fills the distance and group tables.
 */
#include "exposure/overlay.h"

#include "core/alloc.h"

#include <string.h>

/* An asset is a core asset when this many links or more meet at it. */
#define CORE_DEGREE 32
/* Beyond this many core assets the tables grow too big to pay. */
#define CORE_MAX 4096

/* The overlay's shortcuts and links while they are found (nv_overlay's
 * eoff, eto, elink, ecost, egroups). */
struct edges {
    uint32_t *eoff, *eto, *elink;
    double *ecost;
    uint64_t *egroups;
    size_t n, cap, lcap, ccap, gcap;
};

/* o->kind[a]: what asset a is to the overlay (one byte each, so that
 * the searches' look at their neighbours stays in cache). */
enum { NONTRANSIT, CELL, CORE };

static int transit(const struct nv_overlay *o, uint32_t a)
{
    return o->kind[a] != NONTRANSIT;
}

/* The K assets: those core says (NULL: the best-connected ones) that
 * forward traffic. */
static void pick_core(struct nv_overlay *o, const unsigned char *core)
{
    const struct nv_graph *g = &o->m->graph;

    for (uint32_t a = 0; a < g->n; a++) {
        int in = core ? core[a] : g->off[a + 1] - g->off[a] >= CORE_DEGREE;
        o->kid[a] = NV_NONE;
        o->kind[a] = NV_ASSETS(o->m)[a].transit ? CELL : NONTRANSIT;
        if (in && transit(o, a)) {
            o->kasset[o->kid[a] = o->nk++] = a;
            o->kind[a] = CORE;
        }
    }
    if (o->nk > CORE_MAX)
        o->nk = 0;
}

/* Label the cells: pieces of the transit assets outside K. */
static void cut_cells(struct nv_overlay *o, uint32_t *stack)
{
    const struct nv_graph *g = &o->m->graph;

    for (uint32_t a = 0; a < g->n; a++)
        o->cell[a] = NV_NONE;
    for (uint32_t a = 0; a < g->n; a++) {
        uint32_t top = 0;
        if (o->cell[a] != NV_NONE || o->kid[a] != NV_NONE || !transit(o, a))
            continue;
        o->cell[a] = o->ncells;
        stack[top++] = a;
        while (top) {
            uint32_t v = stack[--top];
            for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
                uint32_t u = g->adj[k];
                if (o->cell[u] == NV_NONE && o->kid[u] == NV_NONE &&
                    transit(o, u)) {
                    o->cell[u] = o->ncells;
                    stack[top++] = u;
                }
            }
        }
        o->ncells++;
    }
}

/* The assets of each cell in a row: cell c's are by[first[c] ..
 * first[c + 1]). */
static void by_cell(const struct nv_overlay *o, uint32_t *by, uint32_t *first)
{
    const struct nv_graph *g = &o->m->graph;

    for (uint32_t a = 0; a < g->n; a++)
        if (o->cell[a] != NV_NONE)
            first[o->cell[a] + 2]++;
    for (uint32_t c = 0; c < o->ncells; c++)
        first[c + 2] += first[c + 1];
    for (uint32_t a = 0; a < g->n; a++)
        if (o->cell[a] != NV_NONE)
            by[first[o->cell[a] + 1]++] = a;
}

/* Add K asset b to cell c's list unless there already (seen[b] == c). */
static enum nv_rc add_bound(struct nv_overlay *o, uint32_t c, uint32_t b,
                            uint32_t *seen, size_t *n, size_t *cap)
{
    if (b == NV_NONE || seen[b] == c)
        return NV_OK;
    seen[b] = c;
    if (nv_array_reserve(&o->bnd, cap, *n + 1, sizeof *o->bnd))
        return NV_ENOMEM;
    o->bnd[(*n)++] = b;
    return NV_OK;
}

/* The K assets next to each cell, each once. */
static enum nv_rc cell_bounds(struct nv_overlay *o, uint32_t *by)
{
    const struct nv_graph *g = &o->m->graph;
    uint32_t *first = nv_calloc((size_t)o->ncells + 2, sizeof *first);
    uint32_t *seen = nv_calloc((size_t)o->nk, sizeof *seen);
    size_t n = 0, cap = 0;
    enum nv_rc rc = first && seen ? NV_OK : NV_ENOMEM;

    if (!rc)
        by_cell(o, by, first);
    for (uint32_t i = 0; !rc && i < o->nk; i++)
        seen[i] = NV_NONE;
    for (uint32_t c = 0; !rc && c < o->ncells; c++) {
        o->boff[c] = (uint32_t)n;
        for (uint32_t i = first[c]; !rc && i < first[c + 1]; i++)
            for (uint32_t k = g->off[by[i]]; !rc && k < g->off[by[i] + 1]; k++)
                rc = add_bound(o, c, o->kid[g->adj[k]], seen, &n, &cap);
    }
    o->boff[o->ncells] = (uint32_t)n;
    nv_free(first);
    nv_free(seen);
    return rc;
}

/* ---- the ends' searches ---- */

/* Whether a route may go on from u in a search from x: x itself unless
 * it is a K asset (full: a shortcut search, which starts from one),
 * any other transit asset outside K. */
static int goes_on(const struct nv_overlay *o, uint32_t x, uint32_t u, int full)
{
    if (u == x)
        return full || o->kind[x] != CORE;
    return o->kind[u] == CELL;
}

static double worst_in(const struct nv_overlay *o, uint32_t i, uint32_t c,
                       double worst)
{
    for (uint32_t k = o->boff[c]; k < o->boff[c + 1]; k++) {
        double d = o->D[(size_t)i * o->nk + o->bnd[k]];
        worst = d > worst ? d : worst;
    }
    return worst;
}

/* The longest least cost from K asset i to a K asset the search from x
 * can reach: those next to x's cells, or to x. */
static double farthest(const struct nv_overlay *o, uint32_t x, uint32_t i)
{
    const struct nv_graph *g = &o->m->graph;
    double worst = 0;

    if (o->kid[x] != NV_NONE)
        return o->D[(size_t)i * o->nk + o->kid[x]];
    if (transit(o, x))
        return worst_in(o, i, o->cell[x], 0);
    for (uint32_t k = g->off[x]; k < g->off[x + 1]; k++) {
        uint32_t u = g->adj[k];
        double d =
            o->kid[u] != NV_NONE ? o->D[(size_t)i * o->nk + o->kid[u]] : 0;
        worst = d > worst ? d : worst;
        if (o->cell[u] != NV_NONE)
            worst = worst_in(o, i, o->cell[u], worst);
    }
    return worst;
}

/* Count K asset i once per search (stamp: kseen[i] == epoch). */
static uint32_t count_once(struct nv_overlay_search *w, uint32_t i)
{
    if (w->kseen[i] == w->epoch)
        return 0;
    w->kseen[i] = w->epoch;
    return 1;
}

/* How many K assets a shortcut search from K asset x can reach through
 * cells: those next to x's cells (its links to K assets are edges of
 * their own, core_links). */
static uint32_t reachable(struct nv_overlay_search *w, uint32_t x)
{
    const struct nv_overlay *o = w->o;
    const struct nv_graph *g = &o->m->graph;
    uint32_t n = 0;

    for (uint32_t k = g->off[x]; k < g->off[x + 1]; k++) {
        uint32_t c = o->cell[g->adj[k]];
        for (uint32_t j = c == NV_NONE ? 0 : o->boff[c];
             c != NV_NONE && j < o->boff[c + 1]; j++)
            n += o->bnd[j] != o->kid[x] && count_once(w, o->bnd[j]);
    }
    return n;
}

/* Whether asset u or the link of half-edge k is the failed one. */
static int failed(const struct nv_overlay_search *w, uint32_t u, uint32_t k)
{
    if (w->fail.kind == NV_FAIL_ASSET)
        return u == w->fail.id;
    return w->fail.kind == NV_FAIL_LINK && w->o->m->graph.link[k] == w->fail.id;
}

static int relax(struct nv_overlay_search *w, uint32_t v, double d)
{
    if (w->slot[v].known == w->epoch && d >= w->slot[v].dist)
        return 1;
    w->slot[v].known = w->epoch;
    w->slot[v].dist = d;
    return nv_route_queue_push(&w->q, d, v);
}

/* How a search from x stops. */
enum reach_mode {
    FULL,  /* from a K asset, through all its cells (shortcuts) */
    END,   /* from a flow's end, to the K assets that can start a route */
    WITHIN /* from s, to t through cells alone, no dearer than a cap */
};

/* Dijkstra from x that never goes on from K assets, nor reaches a
 * non-transit asset but x and the one it searches for, to (NV_NONE:
 * none), since a route cannot go on from there; a shortcut search
 * leaves x's links to K assets to the overlay's own edges (core_links),
 * so that a shortcut runs through cells only.  An END search stops once the
 * cost passes that of the first K asset b1 plus the longest from b1 to any K
 * asset it could still reach: a K asset settled later is dearer than going
 * through b1, so on no least-cost route.  A WITHIN search stops past cap. */
static enum nv_rc dijkstra(struct nv_overlay_search *w, uint32_t x, uint32_t to,
                           enum reach_mode mode, double cap)
{
    const struct nv_overlay *o = w->o;
    const struct nv_graph *g = &o->m->graph;
    double limit = mode == WITHIN ? cap : INFINITY;
    int full = mode == FULL, first = 1;
    uint32_t left;

    w->epoch++;
    w->nsettled = 0;
    w->q.n = 0;
    left = full && !w->open ? reachable(w, x) : UINT32_MAX;
    if (!relax(w, x, 0))
        return NV_ENOMEM;
    while (w->q.n) {
        struct nv_route_heap it = nv_route_queue_pop(&w->q);
        if (it.d > w->slot[it.v].dist || w->slot[it.v].done == w->epoch)
            continue; /* a stale entry */
        if (!nv_route_tight(limit, 0, it.d) && it.d > limit)
            break;
        w->slot[it.v].done = w->epoch;
        w->settled[w->nsettled++] = it.v;
        if (mode == WITHIN && it.v == to)
            limit = it.d; /* what is left is dearer */
        if (mode == END && o->kind[it.v] == CORE && first) {
            limit = it.d + farthest(o, x, o->kid[it.v]);
            first = 0;
        }
        if (full && o->kind[it.v] == CORE && it.v != x &&
            w->kseen[o->kid[it.v]] == w->epoch && !--left)
            break; /* every K asset it can reach is settled */
        for (uint32_t k = g->off[it.v];
             goes_on(o, x, it.v, full) && k < g->off[it.v + 1]; k++) {
            uint32_t u = g->adj[k];
            if (u != it.v && (u == to || transit(o, u)) && !failed(w, u, k) &&
                !(full && o->kind[u] == CORE && it.v == x) &&
                !relax(w, u, it.d + g->cost[k]))
                return NV_ENOMEM;
        }
    }
    return NV_OK;
}

/* Whether half-edge k of settled asset u, that a route goes on from, is
 * a link out of u on one of the search's least-cost paths (to: the
 * search's one non-transit asset but x, NV_NONE if none). */
static int tight_out(const struct nv_overlay_search *w, uint32_t x, uint32_t to,
                     uint32_t u, uint32_t k)
{
    const struct nv_graph *g = &w->o->m->graph;
    uint32_t v = g->adj[k];

    return v != u && v != x && (transit(w->o, v) || v == to) &&
           w->slot[v].done == w->epoch && !failed(w, v, k) &&
           nv_route_tight(w->slot[u].dist, g->cost[k], w->slot[v].dist);
}

/* The groups on some least-cost path of the search to each settled
 * asset: each asset's own, then, in settling order (tight predecessors
 * come first), passed on along the tight links out of the assets a route
 * goes on from -- never a K asset's many links but x's. */
static void reach_groups(struct nv_overlay_search *w, uint32_t x, uint32_t to,
                         int full)
{
    const struct nv_overlay *o = w->o;
    const struct nv_graph *g = &o->m->graph;

    for (uint32_t i = 0; i < w->nsettled; i++)
        nv_groups_bits(o->gs, w->settled[i], o->words,
                       &w->reach[(size_t)w->settled[i] * o->words]);
    for (uint32_t i = 0; i < w->nsettled; i++) {
        uint32_t u = w->settled[i];
        const uint64_t *ru = &w->reach[(size_t)u * o->words];
        for (uint32_t k = g->off[u];
             goes_on(o, x, u, full) && k < g->off[u + 1]; k++)
            if (tight_out(w, x, to, u, k))
                nv_groups_or(&w->reach[(size_t)g->adj[k] * o->words], ru,
                             o->words);
    }
}

int nv_overlay_tight_in(const struct nv_overlay_search *w, uint32_t x,
                        uint32_t v, uint32_t k)
{
    const struct nv_graph *g = &w->o->m->graph;
    uint32_t u = g->adj[k];

    return u != v && w->slot[u].done == w->epoch &&
           goes_on(w->o, x, u, w->o->kind[x] == CORE) && !failed(w, u, k) &&
           nv_route_tight(w->slot[u].dist, g->cost[k], w->slot[v].dist);
}

enum nv_rc nv_overlay_search_end(struct nv_overlay_search *w, uint32_t x,
                                 int full, int side)
{
    const struct nv_overlay *o = w->o;
    enum nv_rc rc = dijkstra(w, x, NV_NONE, full ? FULL : END, INFINITY);

    if (rc)
        return rc;
    reach_groups(w, x, NV_NONE, full);
    w->nb[side] = 0;
    for (uint32_t i = 0; i < w->nsettled; i++) {
        uint32_t v = w->settled[i], n = w->nb[side];
        if (o->kind[v] != CORE || (full && v == x))
            continue;
        w->bk[side][n] = o->kid[v];
        w->bd[side][n] = w->slot[v].dist;
        memcpy(&w->br[side][(size_t)n * o->words],
               &w->reach[(size_t)v * o->words], o->words * sizeof(uint64_t));
        w->nb[side]++;
    }
    return NV_OK;
}

enum nv_rc nv_overlay_search_init(struct nv_overlay_search *w,
                                  const struct nv_overlay *o)
{
    size_t n = (size_t)o->m->graph.n + 1, nk = (size_t)o->nk + 1;

    memset(w, 0, sizeof *w);
    w->o = o;
    w->slot = nv_calloc(n, sizeof *w->slot);
    w->kseen = nv_calloc(nk, sizeof *w->kseen);
    w->settled = nv_calloc(n, sizeof *w->settled);
    w->reach = nv_calloc(n * o->words, sizeof *w->reach);
    for (int s = 0; s < 2; s++) {
        w->bk[s] = nv_calloc(nk, sizeof *w->bk[s]);
        w->bd[s] = nv_calloc(nk, sizeof *w->bd[s]);
        w->br[s] = nv_calloc(nk * o->words, sizeof *w->br[s]);
    }
    if (w->slot && w->kseen && w->settled && w->reach && w->bk[0] && w->bd[0] &&
        w->br[0] && w->bk[1] && w->bd[1] && w->br[1])
        return NV_OK;
    nv_overlay_search_release(w);
    return NV_ENOMEM;
}

void nv_overlay_search_release(struct nv_overlay_search *w)
{
    nv_free(w->slot);
    nv_free(w->kseen);
    nv_free(w->settled);
    nv_free(w->reach);
    nv_free(w->q.v);
    for (int s = 0; s < 2; s++) {
        nv_free(w->bk[s]);
        nv_free(w->bd[s]);
        nv_free(w->br[s]);
    }
    memset(w, 0, sizeof *w);
}

/* ---- the overlay's tables ---- */

/* From every K asset, the shortcuts through its cells (and its links) to
 * the other K assets. */
static enum nv_rc add_edge(const struct nv_overlay *o, struct edges *e,
                           uint32_t to, uint32_t link, double cost,
                           const uint64_t *groups)
{
    if (nv_array_reserve(&e->eto, &e->cap, e->n + 1, sizeof *e->eto) ||
        nv_array_reserve(&e->elink, &e->lcap, e->n + 1, sizeof *e->elink) ||
        nv_array_reserve(&e->ecost, &e->ccap, e->n + 1, sizeof *e->ecost) ||
        nv_array_reserve(&e->egroups, &e->gcap, (e->n + 1) * o->words,
                         sizeof *e->egroups))
        return NV_ENOMEM;
    e->eto[e->n] = to;
    e->elink[e->n] = link;
    e->ecost[e->n] = cost;
    memcpy(&e->egroups[e->n++ * o->words], groups, o->words * sizeof *groups);
    return NV_OK;
}

/* K asset i's links to other K assets, as edges of the overlay. */
static enum nv_rc core_links(const struct nv_overlay *o, struct edges *e,
                             uint32_t i, uint64_t *bits)
{
    const struct nv_graph *g = &o->m->graph;
    uint32_t a = o->kasset[i];
    enum nv_rc rc = NV_OK;

    for (uint32_t k = g->off[a]; !rc && k < g->off[a + 1]; k++) {
        uint32_t j = o->kid[g->adj[k]];
        if (j == NV_NONE || j == i)
            continue;
        nv_groups_bits(o->gs, a, o->words, bits);
        nv_groups_bits(o->gs, g->adj[k], o->words, bits + o->words);
        nv_groups_or(bits, bits + o->words, o->words);
        rc = add_edge(o, e, j, g->link[k], g->cost[k], bits);
    }
    return rc;
}

/* From every K asset, its links to other K assets and the shortcuts
 * through its cells to those next to them. */
static enum nv_rc shortcuts(struct nv_overlay *o, struct edges *e,
                            struct nv_overlay_search *w)
{
    for (uint32_t i = 0; i < o->nk; i++) {
        enum nv_rc rc = nv_overlay_search_end(w, o->kasset[i], 1, 0);
        e->eoff[i] = (uint32_t)e->n;
        for (uint32_t j = 0; !rc && j < w->nb[0]; j++)
            rc = add_edge(o, e, w->bk[0][j], NV_NONE, w->bd[0][j],
                          &w->br[0][(size_t)j * o->words]);
        if (!rc)
            rc = core_links(o, e, i, w->br[1]);
        if (rc)
            return rc;
    }
    e->eoff[o->nk] = (uint32_t)e->n;
    return NV_OK;
}

/* Row i of the tables: Dijkstra over the overlay from K asset i, then
 * the groups in settling order. */
static enum nv_rc overlay_row(struct nv_overlay *o, const struct edges *e,
                              struct nv_overlay_search *w, uint32_t i)
{
    double *d = &o->D[(size_t)i * o->nk];
    uint32_t n = 0;

    w->epoch++;
    w->q.n = 0;
    for (uint32_t j = 0; j < o->nk; j++)
        d[j] = INFINITY;
    d[i] = 0;
    if (!nv_route_queue_push(&w->q, 0, i))
        return NV_ENOMEM;
    while (w->q.n) {
        struct nv_route_heap it = nv_route_queue_pop(&w->q);
        if (it.d > d[it.v] || w->slot[it.v].done == w->epoch)
            continue;
        w->slot[it.v].done = w->epoch;
        w->settled[n++] = it.v;
        for (uint32_t k = e->eoff[it.v]; k < e->eoff[it.v + 1]; k++)
            if (it.d + e->ecost[k] < d[e->eto[k]]) {
                d[e->eto[k]] = it.d + e->ecost[k];
                if (!nv_route_queue_push(&w->q, d[e->eto[k]], e->eto[k]))
                    return NV_ENOMEM;
            }
    }
    for (uint32_t s = 0; s < n; s++) { /* shortcuts run both ways alike */
        uint32_t j = w->settled[s];
        uint64_t *gj = &o->GD[((size_t)i * o->nk + j) * o->words];
        nv_groups_bits(o->gs, o->kasset[j], o->words, gj);
        for (uint32_t k = e->eoff[j]; j != i && k < e->eoff[j + 1]; k++) {
            uint32_t u = e->eto[k];
            if (w->slot[u].done != w->epoch ||
                !nv_route_tight(d[u], e->ecost[k], d[j]))
                continue;
            nv_groups_or(gj, &o->GD[((size_t)i * o->nk + u) * o->words],
                         o->words);
            nv_groups_or(gj, &e->egroups[(size_t)k * o->words], o->words);
        }
    }
    return NV_OK;
}

static enum nv_rc tables(struct nv_overlay *o)
{
    struct edges e;
    struct nv_overlay_search w;
    enum nv_rc rc = nv_overlay_search_init(&w, o);
    size_t nk = o->nk;

    memset(&e, 0, sizeof e);
    e.eoff = nv_calloc(nk + 1, sizeof *e.eoff);
    o->D = nv_calloc(nk * nk, sizeof *o->D);
    o->GD = nv_calloc(nk * nk * o->words, sizeof *o->GD);
    if (!rc && (!e.eoff || !o->D || !o->GD))
        rc = NV_ENOMEM;
    if (!rc)
        rc = shortcuts(o, &e, &w);
    for (uint32_t i = 0; !rc && i < o->nk; i++)
        rc = overlay_row(o, &e, &w, i);
    nv_overlay_search_release(&w);
    o->eoff = e.eoff;
    o->eto = e.eto;
    o->elink = e.elink;
    o->ecost = e.ecost;
    o->egroups = e.egroups;
    return rc;
}

enum nv_rc nv_overlay_build(struct nv_overlay *o, const struct nv_model *m,
                            const struct nv_groups *gs,
                            const unsigned char *core)
{
    size_t n = (size_t)m->graph.n + 1;
    uint32_t *by = nv_calloc(n, sizeof *by);
    enum nv_rc rc = NV_OK;

    memset(o, 0, sizeof *o);
    o->m = m;
    o->gs = gs;
    o->words = (gs->n + 63) / 64 + 1;
    o->kid = nv_calloc(n, sizeof *o->kid);
    o->kind = nv_calloc(n, sizeof *o->kind);
    o->kasset = nv_calloc(n, sizeof *o->kasset);
    o->cell = nv_calloc(n, sizeof *o->cell);
    o->boff = nv_calloc(n + 1, sizeof *o->boff);
    if (!by || !o->kid || !o->kind || !o->kasset || !o->cell || !o->boff)
        rc = NV_ENOMEM;
    if (!rc)
        pick_core(o, core);
    if (!rc && o->nk) {
        cut_cells(o, by);
        rc = cell_bounds(o, by);
    }
    if (!rc && o->nk)
        rc = tables(o);
    nv_free(by);
    if (rc)
        nv_overlay_release(o);
    return rc;
}

void nv_overlay_release(struct nv_overlay *o)
{
    nv_free(o->kid);
    nv_free(o->kind);
    nv_free(o->kasset);
    nv_free(o->cell);
    nv_free(o->boff);
    nv_free(o->bnd);
    nv_free(o->D);
    nv_free(o->GD);
    nv_free(o->eoff);
    nv_free(o->eto);
    nv_free(o->elink);
    nv_free(o->ecost);
    nv_free(o->egroups);
    memset(o, 0, sizeof *o);
}

/* ---- one flow ---- */

int nv_overlay_touches(const struct nv_overlay *o, uint32_t t, uint32_t c)
{
    const struct nv_graph *g = &o->m->graph;

    if (transit(o, t))
        return o->cell[t] == c;
    for (uint32_t k = g->off[t]; k < g->off[t + 1]; k++)
        if (o->cell[g->adj[k]] == c)
            return 1;
    return 0;
}

/* A link between s and t, or a cell both are in or next to. */
int nv_overlay_near(const struct nv_overlay *o, uint32_t s, uint32_t t)
{
    const struct nv_graph *g = &o->m->graph;

    if (o->kid[s] != NV_NONE || o->kid[t] != NV_NONE)
        return 0;
    if (transit(o, s))
        return nv_overlay_touches(o, t, o->cell[s]);
    for (uint32_t k = g->off[s]; k < g->off[s + 1]; k++) {
        uint32_t u = g->adj[k];
        if (u == t ||
            (o->cell[u] != NV_NONE && nv_overlay_touches(o, t, o->cell[u])))
            return 1;
    }
    return 0;
}

/* The least cost through K asset pair (i, j) of the two ends' searches. */
static double via(const struct nv_overlay_search *w, uint32_t i, uint32_t j)
{
    const struct nv_overlay *o = w->o;

    return w->bd[0][i] + o->D[(size_t)w->bk[0][i] * o->nk + w->bk[1][j]] +
           w->bd[1][j];
}

enum nv_rc nv_overlay_within(struct nv_overlay_search *w, uint32_t s,
                             uint32_t t, double *best, uint64_t *out)
{
    const struct nv_overlay *o = w->o;
    enum nv_rc rc = dijkstra(w, s, t, WITHIN, *best);

    if (rc || w->slot[t].done != w->epoch)
        return rc;
    reach_groups(w, s, t, 0);
    if (!nv_route_tight(w->slot[t].dist, 0, *best)) { /* cheaper than via K */
        memset(out, 0, o->words * sizeof *out);
        *best = w->slot[t].dist;
    }
    nv_groups_or(out, &w->reach[(size_t)t * o->words], o->words);
    return NV_OK;
}

int nv_overlay_route(struct nv_overlay_search *w, uint32_t s, uint32_t t,
                     uint64_t *out)
{
    const struct nv_overlay *o = w->o;
    double best = INFINITY;

    if (nv_overlay_search_end(w, s, 0, 0) || nv_overlay_search_end(w, t, 0, 1))
        return -1;
    for (uint32_t i = 0; i < w->nb[0]; i++)
        for (uint32_t j = 0; j < w->nb[1]; j++)
            best = via(w, i, j) < best ? via(w, i, j) : best;
    memset(out, 0, o->words * sizeof *out);
    for (uint32_t i = 0; best < INFINITY && i < w->nb[0]; i++)
        for (uint32_t j = 0; j < w->nb[1]; j++) {
            if (!nv_route_tight(via(w, i, j), 0, best))
                continue;
            nv_groups_or(out, &w->br[0][(size_t)i * o->words], o->words);
            nv_groups_or(out, &w->br[1][(size_t)j * o->words], o->words);
            nv_groups_or(
                out,
                &o->GD[((size_t)w->bk[0][i] * o->nk + w->bk[1][j]) * o->words],
                o->words);
        }
    return nv_overlay_near(o, s, t) && nv_overlay_within(w, s, t, &best, out)
               ? -1
               : 1;
}
