/*
 * detour.c - the failover level through the overlay (detour.h says why
 * it is exact).
 *
 * A flow: its two ends searched once, up to every K asset of their
 * cells; one search of the overlay from s's K assets to t's, which marks
 * the K assets and edges on the least-cost routes; the elements on them
 * (walked back over the ends' tight links, and each shortcut's paths,
 * listed once at build) are the failures to try.  Each failure redoes
 * only what it changes, then searches the overlay again.
 */
#include "exposure/detour.h"

#include "core/alloc.h"

#include <string.h>

typedef enum nv_rc add_fn(void *ctx, struct nv_fail e);

/* Whether asset u, or the link of half-edge k, is failure e. */
static int hits(const struct nv_graph *g, struct nv_fail e, uint32_t u,
                uint32_t k)
{
    if (e.kind == NV_FAIL_ASSET)
        return u == e.id;
    return e.kind == NV_FAIL_LINK && g->link[k] == e.id;
}

/* Walk back from stack[0 .. top) over the tight links of w's last search
 * (from x), each asset once (seen[v] == stamp), passing every link met
 * and every asset but x and the starting ones to add. */
static enum nv_rc walk_back(const struct nv_overlay_search *w, uint32_t x,
                            uint32_t *stack, uint32_t top, uint32_t *seen,
                            uint32_t stamp, add_fn *add, void *ctx)
{
    const struct nv_graph *g = &w->o->m->graph;
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < top; i++)
        seen[stack[i]] = stamp;
    while (!rc && top) {
        uint32_t v = stack[--top];
        for (uint32_t k = g->off[v]; !rc && k < g->off[v + 1]; k++) {
            uint32_t u = g->adj[k];
            if (!nv_overlay_tight_in(w, x, v, k))
                continue;
            rc = add(ctx, (struct nv_fail){NV_FAIL_LINK, g->link[k]});
            if (rc || seen[u] == stamp)
                continue;
            seen[u] = stamp;
            stack[top++] = u;
            if (u != x)
                rc = add(ctx, (struct nv_fail){NV_FAIL_ASSET, u});
        }
    }
    return rc;
}

/* ---- the shortcuts' paths ---- */

struct lists {
    struct nv_detour *d;
    size_t n, cap;
};

static enum nv_rc add_listed(void *ctx, struct nv_fail e)
{
    struct lists *l = ctx;

    if (nv_array_reserve(&l->d->el, &l->cap, l->n + 1, sizeof *l->d->el))
        return NV_ENOMEM;
    l->d->el[l->n++] = e;
    if (e.kind == NV_FAIL_ASSET)
        l->d->hot_asset[e.id] = 1;
    else
        l->d->hot_link[e.id] = 1;
    return NV_OK;
}

/* Which of the K assets next to cell c is K asset i (NV_NONE: none). */
static uint32_t bnd_index(const struct nv_overlay *o, uint32_t c, uint32_t i)
{
    for (uint32_t j = o->boff[c]; j < o->boff[c + 1]; j++)
        if (o->bnd[j] == i)
            return j - o->boff[c];
    return NV_NONE;
}

/* The cell tables' entry of asset a from the j-th K asset next to its
 * cell. */
static size_t entry(const struct nv_detour *d, uint32_t a, uint32_t j)
{
    uint32_t c = d->o->cell[a];

    return d->toff[c] + (size_t)j * d->csize[c] + d->pos[a];
}

/* Each cell's place in the tables, every cost unknown. */
static enum nv_rc place_cells(struct nv_detour *d)
{
    const struct nv_overlay *o = d->o;
    uint32_t n = o->m->graph.n;

    d->pos = nv_calloc((size_t)n + 1, sizeof *d->pos);
    d->csize = nv_calloc((size_t)o->ncells + 1, sizeof *d->csize);
    d->toff = nv_calloc((size_t)o->ncells + 1, sizeof *d->toff);
    if (!d->pos || !d->csize || !d->toff)
        return NV_ENOMEM;
    for (uint32_t a = 0; a < n; a++)
        if (o->cell[a] != NV_NONE)
            d->pos[a] = d->csize[o->cell[a]]++;
    for (uint32_t c = 0; c < o->ncells; c++)
        d->toff[c + 1] =
            d->toff[c] + (size_t)d->csize[c] * (o->boff[c + 1] - o->boff[c]);
    d->tdist = nv_calloc(d->toff[o->ncells] + 1, sizeof *d->tdist);
    d->treach =
        nv_calloc((d->toff[o->ncells] + 1) * o->words, sizeof *d->treach);
    if (!d->tdist || !d->treach)
        return NV_ENOMEM;
    for (size_t k = 0; k < d->toff[o->ncells]; k++)
        d->tdist[k] = INFINITY;
    return NV_OK;
}

/* The cost and groups of every asset of K asset i's cells that its
 * search (w, through all of them) settled, into the tables. */
static void fill_tables(struct nv_detour *d, const struct nv_overlay_search *w,
                        uint32_t i)
{
    const struct nv_overlay *o = d->o;

    for (uint32_t k = 0; k < w->nsettled; k++) {
        uint32_t a = w->settled[k], j;
        if (o->cell[a] == NV_NONE ||
            (j = bnd_index(o, o->cell[a], i)) == NV_NONE)
            continue;
        d->tdist[entry(d, a, j)] = w->slot[a].dist;
        memcpy(&d->treach[entry(d, a, j) * o->words],
               &w->reach[(size_t)a * o->words], o->words * sizeof *d->treach);
    }
}

/* From K asset i, through all its cells: the paths of each of its
 * shortcuts, and the tables. */
static enum nv_rc list_paths(struct nv_detour *d, struct nv_overlay_search *w,
                             struct lists *l, uint32_t i, uint32_t *stack,
                             uint32_t *seen)
{
    const struct nv_overlay *o = d->o;
    uint32_t x = o->kasset[i];
    enum nv_rc rc = nv_overlay_search_end(w, x, 1, 0);

    if (!rc)
        fill_tables(d, w, i);

    for (uint32_t k = o->eoff[i]; !rc && k < o->eoff[i + 1]; k++) {
        d->eloff[k] = (uint32_t)l->n;
        stack[0] = o->kasset[o->eto[k]];
        if (o->elink[k] == NV_NONE)
            rc = walk_back(w, x, stack, 1, seen, k + 1, add_listed, l);
    }
    return rc;
}

enum nv_rc nv_detour_build(struct nv_detour *d, const struct nv_overlay *o,
                           struct nv_err *err)
{
    const struct nv_model *m = o->m;
    size_t n = (size_t)m->graph.n + 1, ne = o->eoff[o->nk];
    struct lists l = {d, 0, 0};
    struct nv_overlay_search w;
    uint32_t *stack = nv_calloc(n, sizeof *stack);
    uint32_t *seen = nv_calloc(n, sizeof *seen);
    enum nv_rc rc = nv_overlay_search_init(&w, o);

    memset(d, 0, sizeof *d);
    d->o = o;
    d->eloff = nv_calloc(ne + 1, sizeof *d->eloff);
    d->hot_asset = nv_calloc(n, 1);
    d->hot_link = nv_calloc((size_t)NV_COUNT(m, NV_T_LINK) + 1, 1);
    if (!rc && !(stack && seen && d->eloff && d->hot_asset && d->hot_link))
        rc = NV_ENOMEM;
    if (!rc)
        rc = place_cells(d);
    w.open = 1;
    for (uint32_t i = 0; !rc && i < o->nk; i++)
        rc = list_paths(d, &w, &l, i, stack, seen);
    if (!rc)
        d->eloff[ne] = (uint32_t)l.n;
    nv_overlay_search_release(&w);
    nv_free(stack);
    nv_free(seen);
    if (rc)
        nv_detour_release(d);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}

void nv_detour_release(struct nv_detour *d)
{
    nv_free(d->eloff);
    nv_free(d->el);
    nv_free(d->hot_asset);
    nv_free(d->hot_link);
    nv_free(d->pos);
    nv_free(d->csize);
    nv_free(d->toff);
    nv_free(d->tdist);
    nv_free(d->treach);
    memset(d, 0, sizeof *d);
}

/* ---- scratch ---- */

/* The e-th of w's ends: s's and t's without failure, then with one. */
static struct nv_detour_end *ends(struct nv_detour_search *w, int e)
{
    struct nv_detour_end *all[4] = {&w->es, &w->et, &w->fs, &w->ft};

    return all[e];
}

enum nv_rc nv_detour_search_init(struct nv_detour_search *w,
                                 const struct nv_detour *d)
{
    const struct nv_overlay *o = d->o;
    size_t n = (size_t)o->m->graph.n + 1, nk = (size_t)o->nk + 1;
    enum nv_rc rc;

    memset(w, 0, sizeof *w);
    w->d = d;
    rc = nv_overlay_search_init(&w->wf, o);
    for (int e = 0; e < 4; e++) {
        struct nv_detour_end *end = ends(w, e);
        end->k = nv_calloc(nk, sizeof *end->k);
        end->d = nv_calloc(nk, sizeof *end->d);
        end->r = nv_calloc(nk * o->words, sizeof *end->r);
        if (!end->k || !end->d || !end->r)
            rc = NV_ENOMEM;
    }
    w->kstamp = nv_calloc(nk, sizeof *w->kstamp);
    w->kidx = nv_calloc(nk, sizeof *w->kidx);
    w->dist = nv_calloc(nk, sizeof *w->dist);
    w->seed = nv_calloc(nk, sizeof *w->seed);
    w->known = nv_calloc(nk, sizeof *w->known);
    w->done = nv_calloc(nk, sizeof *w->done);
    w->order = nv_calloc(nk, sizeof *w->order);
    w->reach = nv_calloc(nk * o->words, sizeof *w->reach);
    w->tmp = nv_calloc(o->words, sizeof *w->tmp);
    w->bbits = nv_calloc(o->words, sizeof *w->bbits);
    w->wgroups = nv_calloc(o->words, sizeof *w->wgroups);
    w->wa = nv_calloc(n, sizeof *w->wa);
    w->wl = nv_calloc((size_t)NV_COUNT(o->m, NV_T_LINK) + 1, sizeof *w->wl);
    w->sidx = nv_calloc(nk, sizeof *w->sidx);
    w->on = nv_calloc(nk, 1);
    w->rep = nv_calloc(nk, sizeof *w->rep);
    w->roff = nv_calloc(nk, sizeof *w->roff);
    w->rn = nv_calloc(nk, sizeof *w->rn);
    w->aseen = nv_calloc(n, sizeof *w->aseen);
    w->lseen =
        nv_calloc((size_t)NV_COUNT(o->m, NV_T_LINK) + 1, sizeof *w->lseen);
    w->stack = nv_calloc(n, sizeof *w->stack);
    w->walked = nv_calloc(n, sizeof *w->walked);
    if (!rc && w->dist && w->seed && w->known && w->done && w->order &&
        w->reach && w->tmp && w->bbits && w->wgroups && w->wa && w->wl &&
        w->sidx && w->on && w->rep && w->roff && w->rn && w->aseen &&
        w->lseen && w->stack && w->walked && w->kstamp && w->kidx)
        return NV_OK;
    nv_detour_search_release(w);
    return NV_ENOMEM;
}

void nv_detour_search_release(struct nv_detour_search *w)
{
    nv_overlay_search_release(&w->wf);
    for (int e = 0; e < 4; e++) {
        struct nv_detour_end *end = ends(w, e);
        nv_free(end->k);
        nv_free(end->d);
        nv_free(end->r);
    }
    nv_free(w->kstamp);
    nv_free(w->kidx);
    nv_free(w->dist);
    nv_free(w->seed);
    nv_free(w->known);
    nv_free(w->done);
    nv_free(w->order);
    nv_free(w->reach);
    nv_free(w->tmp);
    nv_free(w->bbits);
    nv_free(w->kept);
    nv_free(w->qr);
    nv_free(w->wgroups);
    nv_free(w->wa);
    nv_free(w->wl);
    nv_free(w->sidx);
    nv_free(w->on);
    nv_free(w->rep);
    nv_free(w->roff);
    nv_free(w->rn);
    nv_free(w->rto);
    nv_free(w->rcost);
    nv_free(w->rgroups);
    nv_free(w->cand);
    nv_free(w->aseen);
    nv_free(w->lseen);
    nv_free(w->stack);
    nv_free(w->walked);
    nv_free(w->q.v);
    memset(w, 0, sizeof *w);
}

/* ---- the overlay's search ---- */

/* An edge of the overlay out of a K asset, with the failure. */
struct edge {
    uint32_t to, k; /* k: the overlay's edge, NV_NONE if a new shortcut */
    double cost;
    const uint64_t *groups;
};

/* The edge out of K asset i at position *p or after, and *p past it;
 * the failed link is left out, and, when i's shortcuts are replaced
 * (rep[i] == rmark), the old ones in favour of the new.  0: none left. */
static int next_edge(const struct nv_detour_search *w, uint32_t i,
                     struct nv_fail fail, uint32_t *p, struct edge *e)
{
    const struct nv_overlay *o = w->d->o;
    int rep = w->rep[i] == w->rmark;
    uint32_t first = o->eoff[i], n = o->eoff[i + 1] - first;

    for (; *p < n; ++*p) {
        uint32_t k = first + *p;
        if ((rep && o->elink[k] == NV_NONE) ||
            (fail.kind == NV_FAIL_LINK && o->elink[k] == fail.id))
            continue;
        *e = (struct edge){o->eto[k], k, o->ecost[k],
                           &o->egroups[(size_t)k * o->words]};
        ++*p;
        return 1;
    }
    if (!rep || *p - n >= w->rn[i])
        return 0;
    size_t r = w->roff[i] + (*p - n);
    *e = (struct edge){w->rto[r], NV_NONE, w->rcost[r],
                       &w->rgroups[r * o->words]};
    ++*p;
    return 1;
}

static int failed_k(const struct nv_overlay *o, struct nv_fail fail, uint32_t j)
{
    return fail.kind == NV_FAIL_ASSET && o->kid[fail.id] == j;
}

static int relax_k(struct nv_detour_search *w, uint32_t j, double d)
{
    if (w->known[j] == w->epoch && d >= w->dist[j])
        return 1;
    w->known[j] = w->epoch;
    w->dist[j] = d;
    return nv_route_queue_push(&w->q, d, j);
}

/* Dijkstra over the overlay from s's end's K assets, fail out. */
static enum nv_rc ov_search(struct nv_detour_search *w,
                            const struct nv_detour_end *a, struct nv_fail fail)
{
    const struct nv_overlay *o = w->d->o;

    w->epoch++;
    w->norder = 0;
    w->q.n = 0;
    for (uint32_t j = 0; j < o->nk; j++)
        w->seed[j] = INFINITY;
    for (uint32_t i = 0; i < a->n; i++) {
        uint32_t j = a->k[i];
        if (failed_k(o, fail, j))
            continue;
        w->seed[j] = a->d[i];
        w->sidx[j] = i;
        if (!relax_k(w, j, a->d[i]))
            return NV_ENOMEM;
    }
    while (w->q.n) {
        struct nv_route_heap it = nv_route_queue_pop(&w->q);
        struct edge e;
        uint32_t p = 0;
        if (it.d > w->dist[it.v] || w->done[it.v] == w->epoch)
            continue;
        w->done[it.v] = w->epoch;
        w->order[w->norder++] = it.v;
        while (next_edge(w, it.v, fail, &p, &e))
            if (!failed_k(o, fail, e.to) && !relax_k(w, e.to, it.d + e.cost))
                return NV_ENOMEM;
    }
    return NV_OK;
}

/* The groups on some least-cost path from s to each K asset settled, in
 * settling order (tight predecessors come first). */
static void ov_groups(struct nv_detour_search *w, const struct nv_detour_end *a,
                      struct nv_fail fail)
{
    const struct nv_overlay *o = w->d->o;
    const struct nv_groups *gs = o->gs;

    for (uint32_t i = 0; i < w->norder; i++) {
        uint32_t j = w->order[i], p = 0, x = o->kasset[j];
        uint64_t *rj = &w->reach[(size_t)j * o->words];
        struct edge e;
        memset(rj, 0, o->words * sizeof *rj);
        for (uint32_t k = gs->off[x]; k < gs->off[x + 1]; k++)
            rj[gs->grp[k] / 64] |= (uint64_t)1 << (gs->grp[k] % 64);
        if (nv_route_tight(w->seed[j], 0, w->dist[j]))
            nv_groups_or(rj, &a->r[(size_t)w->sidx[j] * o->words], o->words);
        while (next_edge(w, j, fail, &p, &e))
            if (w->done[e.to] == w->epoch &&
                nv_route_tight(w->dist[e.to], e.cost, w->dist[j])) {
                nv_groups_or(rj, &w->reach[(size_t)e.to * o->words], o->words);
                nv_groups_or(rj, e.groups, o->words);
            }
    }
}

/* The cost through t's end's K asset i, b's, after the overlay's search
 * (INFINITY: not reached, or failed). */
static double exit_cost(const struct nv_detour_search *w,
                        const struct nv_detour_end *b, uint32_t i,
                        struct nv_fail fail)
{
    uint32_t j = b->k[i];

    if (failed_k(w->d->o, fail, j) || w->done[j] != w->epoch)
        return INFINITY;
    return w->dist[j] + b->d[i];
}

/* The least-cost routes from a's K assets to b's with fail out: their
 * groups, and the ends', into out; their cost into best. */
static enum nv_rc ov_route(struct nv_detour_search *w,
                           const struct nv_detour_end *a,
                           const struct nv_detour_end *b, struct nv_fail fail,
                           double *best, uint64_t *out)
{
    const struct nv_overlay *o = w->d->o;
    enum nv_rc rc = ov_search(w, a, fail);

    *best = INFINITY;
    if (rc)
        return rc;
    ov_groups(w, a, fail);
    for (uint32_t i = 0; i < b->n; i++)
        if (exit_cost(w, b, i, fail) < *best)
            *best = exit_cost(w, b, i, fail);
    for (uint32_t i = 0; *best < INFINITY && i < b->n; i++)
        if (nv_route_tight(exit_cost(w, b, i, fail), 0, *best)) {
            nv_groups_or(out, &w->reach[(size_t)b->k[i] * o->words], o->words);
            nv_groups_or(out, &b->r[(size_t)i * o->words], o->words);
        }
    return NV_OK;
}

/* The least-cost routes from a's K assets to b's through the overlay's
 * tables, which hold when the failure changes no edge of it: their
 * groups, and the ends', into out; their cost into best. */
static void table_route(const struct nv_detour_search *w,
                        const struct nv_detour_end *a,
                        const struct nv_detour_end *b, double *best,
                        uint64_t *out)
{
    const struct nv_overlay *o = w->d->o;

    *best = INFINITY;
    for (uint32_t i = 0; i < a->n; i++)
        for (uint32_t j = 0; j < b->n; j++) {
            double c =
                a->d[i] + o->D[(size_t)a->k[i] * o->nk + b->k[j]] + b->d[j];
            *best = c < *best ? c : *best;
        }
    for (uint32_t i = 0; *best < INFINITY && i < a->n; i++)
        for (uint32_t j = 0; j < b->n; j++) {
            size_t at = (size_t)a->k[i] * o->nk + b->k[j];
            if (!nv_route_tight(a->d[i] + o->D[at] + b->d[j], 0, *best))
                continue;
            nv_groups_or(out, &a->r[(size_t)i * o->words], o->words);
            nv_groups_or(out, &b->r[(size_t)j * o->words], o->words);
            nv_groups_or(out, &o->GD[at * o->words], o->words);
        }
}

/* Whether e is a K asset or a link between two. */
static int in_core(const struct nv_overlay *o, struct nv_fail e)
{
    const struct nv_link *l = NV_LINKS(o->m);

    if (e.kind == NV_FAIL_ASSET)
        return o->kid[e.id] != NV_NONE;
    return o->kid[l[e.id].a.idx] != NV_NONE && o->kid[l[e.id].b.idx] != NV_NONE;
}

/* ---- the failures to try ---- */

static enum nv_rc add_cand(void *ctx, struct nv_fail e)
{
    struct nv_detour_search *w = ctx;
    uint32_t *seen = e.kind == NV_FAIL_ASSET ? w->aseen : w->lseen;

    if (seen[e.id] == w->stamp)
        return NV_OK;
    seen[e.id] = w->stamp;
    if (nv_array_reserve(&w->cand, &w->ccap, (size_t)w->ncand + 1,
                         sizeof *w->cand))
        return NV_ENOMEM;
    w->cand[w->ncand++] = e;
    return NV_OK;
}

/* The elements of overlay edge k (a link, or a shortcut's paths). */
static enum nv_rc add_edge_elements(struct nv_detour_search *w, uint32_t k)
{
    const struct nv_detour *d = w->d;
    enum nv_rc rc = NV_OK;

    if (d->o->elink[k] != NV_NONE)
        return add_cand(w, (struct nv_fail){NV_FAIL_LINK, d->o->elink[k]});
    for (uint32_t i = d->eloff[k]; !rc && i < d->eloff[k + 1]; i++)
        rc = add_cand(w, d->el[i]);
    return rc;
}

/* The K assets and edges on the least-cost routes (after ov_route
 * without failure, of cost best) marked, from t's end back, and their
 * elements taken. */
static enum nv_rc ov_mark(struct nv_detour_search *w,
                          const struct nv_detour_end *b, double best)
{
    const struct nv_overlay *o = w->d->o;
    const struct nv_fail none = {NV_FAIL_NONE, 0};
    enum nv_rc rc = NV_OK;

    memset(w->on, 0, o->nk);
    for (uint32_t i = 0; i < b->n; i++)
        if (nv_route_tight(exit_cost(w, b, i, none), 0, best))
            w->on[b->k[i]] = 1;
    for (uint32_t i = w->norder; !rc && i-- > 0;) {
        uint32_t j = w->order[i], p = 0;
        struct edge e;
        while (!rc && next_edge(w, j, none, &p, &e))
            if (w->done[e.to] == w->epoch && w->on[e.to] &&
                nv_route_tight(w->dist[j], e.cost, w->dist[e.to])) {
                w->on[j] = 1;
                rc = add_edge_elements(w, e.k);
            }
        if (!rc && w->on[j])
            rc = add_cand(w, (struct nv_fail){NV_FAIL_ASSET, o->kasset[j]});
    }
    return rc;
}

/* The least cost from v (x, at cost xd, or an asset of a cell) to K
 * asset i through cells, from the tables (INFINITY: none). */
static double to_k(const struct nv_detour *d, uint32_t x, double xd, uint32_t v,
                   uint32_t i)
{
    const struct nv_overlay *o = d->o;
    uint32_t j;

    if (v == x)
        return xd;
    if (o->cell[v] == NV_NONE || (j = bnd_index(o, o->cell[v], i)) == NV_NONE)
        return INFINITY;
    return d->tdist[entry(d, v, j)];
}

/* The elements on the least-cost paths from end x (at cost xd) to K
 * asset i, walked down from x over the tables' tight links. */
static enum nv_rc walk_down(struct nv_detour_search *w, uint32_t x, double xd,
                            uint32_t i)
{
    const struct nv_detour *d = w->d;
    const struct nv_graph *g = &d->o->m->graph;
    uint32_t top = 0, b = d->o->kasset[i];
    enum nv_rc rc = NV_OK;

    w->stack[top++] = x;
    w->walked[x] = ++w->wmark;
    while (!rc && top) {
        uint32_t v = w->stack[--top];
        double dv = to_k(d, x, xd, v, i);
        for (uint32_t k = g->off[v]; !rc && k < g->off[v + 1]; k++) {
            uint32_t u = g->adj[k];
            double du = u == b ? 0 : u == x ? INFINITY : to_k(d, x, xd, u, i);
            if (du == INFINITY || !nv_route_tight(du, g->cost[k], dv))
                continue;
            rc = add_cand(w, (struct nv_fail){NV_FAIL_LINK, g->link[k]});
            if (rc || u == b || w->walked[u] == w->wmark)
                continue;
            w->walked[u] = w->wmark;
            w->stack[top++] = u;
            rc = add_cand(w, (struct nv_fail){NV_FAIL_ASSET, u});
        }
    }
    return rc;
}

/* The elements on the routes' parts inside the cells at end x: walked
 * down to the K assets of end (s's when seeds) that take part. */
static enum nv_rc end_elements(struct nv_detour_search *w, uint32_t x,
                               const struct nv_detour_end *end, int seeds,
                               double best)
{
    const struct nv_fail none = {NV_FAIL_NONE, 0};
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; !rc && i < end->n; i++) {
        uint32_t j = end->k[i];
        int takes = seeds
                        ? w->on[j] && nv_route_tight(w->seed[j], 0, w->dist[j])
                        : nv_route_tight(exit_cost(w, end, i, none), 0, best);
        if (takes)
            rc = walk_down(w, x, end->d[i], j);
    }
    return rc;
}

/* K asset i reached from an end at cost dist through paths with groups
 * r, into end: kept if the first or cheapest, joined if as cheap. */
static void offer(struct nv_detour_search *w, struct nv_detour_end *end,
                  uint32_t i, double dist, const uint64_t *r)
{
    uint32_t words = w->d->o->words, at = w->kidx[i];
    uint64_t *to;

    if (w->kstamp[i] != w->kmark) {
        w->kstamp[i] = w->kmark;
        w->kidx[i] = at = end->n++;
        end->k[at] = i;
        end->d[at] = INFINITY;
    }
    to = &end->r[(size_t)at * words];
    if (end->d[at] < INFINITY && nv_route_tight(dist, 0, end->d[at])) {
        nv_groups_or(to, r, words);
    } else if (dist < end->d[at]) {
        end->d[at] = dist;
        memcpy(to, r, words * sizeof *to);
    }
}

/* The cost and groups (*r) from the j-th K asset next to asset u's cell
 * to u: those a repair kept (w->kept), else the table's. */
static double end_value(const struct nv_detour_search *w, uint32_t u,
                        uint32_t j, const uint64_t **r)
{
    const struct nv_detour *d = w->d;

    for (uint32_t q = 0; q < w->nq; q++)
        if (w->kept[q].a == u && w->kept[q].j == j) {
            *r = &w->qr[(size_t)q * d->o->words];
            return w->kept[q].d;
        }
    *r = &d->treach[entry(d, u, j) * d->o->words];
    return d->tdist[entry(d, u, j)];
}

/* The K assets reached from u (x itself or a neighbour, through the link
 * of cost c), from the tables and what a repair kept. */
static void offer_from(struct nv_detour_search *w, struct nv_detour_end *end,
                       uint32_t u, double c)
{
    const struct nv_overlay *o = w->d->o;
    uint32_t cu = o->cell[u];

    if (o->kid[u] != NV_NONE) {
        nv_groups_bits(o->gs, u, o->words, w->tmp);
        offer(w, end, o->kid[u], c, w->tmp);
        return;
    }
    for (uint32_t j = 0; cu != NV_NONE && j < o->boff[cu + 1] - o->boff[cu];
         j++) {
        const uint64_t *r;
        double du = end_value(w, u, j, &r);
        if (du < INFINITY)
            offer(w, end, o->bnd[o->boff[cu] + j], c + du, r);
    }
}

/* End x's K assets with failure e (none, or one a repair worked out),
 * as its search would find them going on to all of them: x's own (a K
 * asset: itself), or those its transit neighbours reach. */
static void table_end(struct nv_detour_search *w, uint32_t x,
                      struct nv_detour_end *end, struct nv_fail e)
{
    const struct nv_overlay *o = w->d->o;
    const struct nv_graph *g = &o->m->graph;

    w->kmark++;
    end->n = 0;
    if (NV_ASSETS(o->m)[x].transit) {
        offer_from(w, end, x, 0);
        return;
    }
    for (uint32_t k = g->off[x]; k < g->off[x + 1]; k++)
        if (g->adj[k] != x && !hits(g, e, g->adj[k], k))
            offer_from(w, end, g->adj[k], g->cost[k]);
    nv_groups_bits(o->gs, x, o->words, w->tmp);
    for (uint32_t i = 0; i < end->n; i++)
        nv_groups_or(&end->r[(size_t)i * o->words], w->tmp, o->words);
}

/* ---- the routes through cells alone ---- */

/* Whether failure e is on the routes through cells alone. */
static int in_within(const struct nv_detour_search *w, struct nv_fail e)
{
    return (e.kind == NV_FAIL_ASSET ? w->wa : w->wl)[e.id] == w->stamp;
}

/* An element of the routes through cells alone: marked, and a failure
 * to try when they are among the least-cost routes. */
static enum nv_rc add_within(void *ctx, struct nv_fail e)
{
    struct nv_detour_search *w = ctx;

    (e.kind == NV_FAIL_ASSET ? w->wa : w->wl)[e.id] = w->stamp;
    return w->wleast ? add_cand(w, e) : NV_OK;
}

/* Routes of cost wd and groups wg joined to those of cost *best and
 * groups bits: the cheaper kept, both if as cheap. */
static void combine(double *best, uint64_t *bits, double wd, const uint64_t *wg,
                    uint32_t words)
{
    if (wd == INFINITY)
        return;
    if (*best < INFINITY && nv_route_tight(wd, 0, *best)) {
        nv_groups_or(bits, wg, words);
    } else if (wd < *best) {
        *best = wd;
        memcpy(bits, wg, words * sizeof *bits);
    }
}

/* The least-cost routes from s to t through cells alone, without
 * failure: their cost and groups (wf keeps the search). */
static enum nv_rc within(struct nv_detour_search *w, uint32_t s, uint32_t t)
{
    struct nv_overlay_search *f = &w->wf;
    double cost = INFINITY;
    enum nv_rc rc;

    f->fail = (struct nv_fail){NV_FAIL_NONE, 0};
    memset(w->wgroups, 0, w->d->o->words * sizeof *w->wgroups);
    rc = nv_overlay_within(f, s, t, &cost, w->wgroups);
    w->wcost = f->slot[t].done == f->epoch ? f->slot[t].dist : INFINITY;
    return rc;
}

/* ---- one failure ---- */

/* The cell a failed asset or link lies in (NV_NONE: none). */
static uint32_t cell_of(const struct nv_overlay *o, struct nv_fail e)
{
    const struct nv_link *l = NV_LINKS(o->m);

    if (e.kind == NV_FAIL_ASSET)
        return o->cell[e.id];
    return o->cell[l[e.id].a.idx] != NV_NONE ? o->cell[l[e.id].a.idx]
                                             : o->cell[l[e.id].b.idx];
}

/* Whether failure e, in cell c, changes the search from end x. */
static int at_end(const struct nv_overlay *o, uint32_t x, struct nv_fail e,
                  uint32_t c)
{
    const struct nv_link *l = NV_LINKS(o->m);

    if (c != NV_NONE && nv_overlay_touches(o, x, c))
        return 1;
    return e.kind == NV_FAIL_LINK && (l[e.id].a.idx == x || l[e.id].b.idx == x);
}

/* ---- a failure on a shortcut's path: the tables repaired ---- */

/* The cost from K asset b, the j-th next to cell c, to asset u without
 * failure: 0 at b, the table's in c, INFINITY elsewhere (b's search
 * goes on from b and from c's assets alone). */
static double old_cost(const struct nv_detour *d, uint32_t c, uint32_t j,
                       uint32_t b, uint32_t u)
{
    if (u == b)
        return 0;
    return d->o->cell[u] == c ? d->tdist[entry(d, u, j)] : INFINITY;
}

/* The same with the failure, once the region is searched again (f's
 * slots, stamped with its epoch, hold the region's new costs). */
static double new_cost(const struct nv_detour_search *w, uint32_t c, uint32_t j,
                       uint32_t b, uint32_t u)
{
    const struct nv_overlay_slot *s = &w->wf.slot[u];

    if (s->known != w->wf.epoch)
        return old_cost(w->d, c, j, b, u);
    return s->done == w->wf.epoch ? s->dist : INFINITY;
}

/* The groups on the least-cost paths from b to u that new_cost gives. */
static const uint64_t *new_reach(const struct nv_detour_search *w, uint32_t j,
                                 uint32_t b, uint32_t u)
{
    const struct nv_overlay *o = w->d->o;

    if (w->wf.slot[u].known == w->wf.epoch)
        return &w->wf.reach[(size_t)u * o->words];
    if (u == b)
        return w->bbits;
    return &w->d->treach[entry(w->d, u, j) * o->words];
}

/* Asset v of cell c into the region, cost unknown. */
static void enter(struct nv_detour_search *w, uint32_t v, uint32_t *n)
{
    w->wf.slot[v].known = w->wf.epoch;
    w->wf.slot[v].done = 0;
    w->wf.slot[v].dist = INFINITY;
    w->stack[(*n)++] = v;
}

/*
 * The region of e from b (the j-th K asset next to cell c): the assets
 * of c with a least-cost path from b through e -- e's asset, or the end
 * of link e that it is tight into, and all below them over tight links
 * -- into stack[0 .. n).  Every other asset keeps its cost and paths.
 */
static uint32_t region(struct nv_detour_search *w, uint32_t c, uint32_t j,
                       uint32_t b, struct nv_fail e)
{
    const struct nv_detour *d = w->d;
    const struct nv_graph *g = &d->o->m->graph;
    const struct nv_link *l = &NV_LINKS(d->o->m)[e.id];
    uint32_t n = 0, ends[2] = {e.id, e.id};

    w->wf.epoch++;
    if (e.kind == NV_FAIL_LINK)
        ends[0] = l->a.idx, ends[1] = l->b.idx;
    for (int s = 0; s < 2; s++) {
        uint32_t y = ends[s];
        double dy = old_cost(d, c, j, b, y);
        for (uint32_t k = g->off[y]; e.kind == NV_FAIL_LINK && y != b &&
                                     dy < INFINITY && k < g->off[y + 1];
             k++)
            if (g->link[k] == e.id && w->wf.slot[y].known != w->wf.epoch &&
                nv_route_tight(old_cost(d, c, j, b, g->adj[k]), g->cost[k], dy))
                enter(w, y, &n);
    }
    if (e.kind == NV_FAIL_ASSET)
        enter(w, e.id, &n);
    for (uint32_t h = 0; h < n; h++) {
        uint32_t v = w->stack[h];
        for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
            uint32_t u = g->adj[k];
            double du = old_cost(d, c, j, b, u);
            if (u != b && du < INFINITY && w->wf.slot[u].known != w->wf.epoch &&
                nv_route_tight(old_cost(d, c, j, b, v), g->cost[k], du))
                enter(w, u, &n);
        }
    }
    return n;
}

static int lower(struct nv_overlay_search *f, uint32_t v, double dist)
{
    if (dist >= f->slot[v].dist)
        return 1;
    f->slot[v].dist = dist;
    return nv_route_queue_push(&f->q, dist, v);
}

/* The region's n assets searched again without e: seeded from their
 * neighbours outside (b, or assets of c), then Dijkstra inside it. */
static enum nv_rc settle(struct nv_detour_search *w, uint32_t c, uint32_t j,
                         uint32_t b, struct nv_fail e, uint32_t n)
{
    const struct nv_graph *g = &w->d->o->m->graph;
    struct nv_overlay_search *f = &w->wf;

    f->q.n = 0;
    f->nsettled = 0;
    for (uint32_t h = 0; h < n; h++) {
        uint32_t v = w->stack[h];
        for (uint32_t k = g->off[v];
             !(e.kind == NV_FAIL_ASSET && v == e.id) && k < g->off[v + 1]; k++)
            if (!hits(g, e, g->adj[k], k) &&
                f->slot[g->adj[k]].known != f->epoch &&
                !lower(f, v, old_cost(w->d, c, j, b, g->adj[k]) + g->cost[k]))
                return NV_ENOMEM;
    }
    while (f->q.n) {
        struct nv_route_heap it = nv_route_queue_pop(&f->q);
        if (it.d > f->slot[it.v].dist || f->slot[it.v].done == f->epoch)
            continue;
        f->slot[it.v].done = f->epoch;
        f->settled[f->nsettled++] = it.v;
        for (uint32_t k = g->off[it.v]; k < g->off[it.v + 1]; k++) {
            uint32_t u = g->adj[k];
            if (f->slot[u].known == f->epoch && f->slot[u].done != f->epoch &&
                !hits(g, e, u, k) && !lower(f, u, it.d + g->cost[k]))
                return NV_ENOMEM;
        }
    }
    return NV_OK;
}

/* The groups on the new least-cost paths from b to each asset the
 * region's search settled, in settling order. */
static void region_groups(struct nv_detour_search *w, uint32_t c, uint32_t j,
                          uint32_t b, struct nv_fail e)
{
    const struct nv_overlay *o = w->d->o;
    const struct nv_graph *g = &o->m->graph;
    struct nv_overlay_search *f = &w->wf;

    for (uint32_t i = 0; i < f->nsettled; i++) {
        uint32_t v = f->settled[i];
        uint64_t *rv = &f->reach[(size_t)v * o->words];
        nv_groups_bits(o->gs, v, o->words, rv);
        for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
            uint32_t u = g->adj[k];
            double du = new_cost(w, c, j, b, u);
            if (u != v && du < INFINITY && !hits(g, e, u, k) &&
                nv_route_tight(du, g->cost[k], f->slot[v].dist))
                nv_groups_or(rv, new_reach(w, j, b, u), o->words);
        }
    }
}

/* The shortcut from K asset i (the j-th next to cell c) to K asset
 * to, through any of i's cells, with e failed: its cost (INFINITY: none
 * left) and groups into out, from to's neighbours in those cells. */
static double shortcut(struct nv_detour_search *w, uint32_t c, uint32_t j,
                       uint32_t i, uint32_t to, struct nv_fail e, uint64_t *out)
{
    const struct nv_detour *d = w->d;
    const struct nv_overlay *o = d->o;
    const struct nv_graph *g = &o->m->graph;
    double best = INFINITY;

    for (int pass = 0; pass < 2; pass++)
        for (uint32_t k = g->off[to]; k < g->off[to + 1]; k++) {
            uint32_t u = g->adj[k], cu = o->cell[u], ju;
            double du;
            if (cu == NV_NONE || hits(g, e, u, k) ||
                (ju = bnd_index(o, cu, i)) == NV_NONE)
                continue;
            du = cu == c ? new_cost(w, c, j, o->kasset[i], u)
                         : d->tdist[entry(d, u, ju)];
            if (!pass && du + g->cost[k] < best)
                best = du + g->cost[k];
            else if (pass && du < INFINITY &&
                     nv_route_tight(du, g->cost[k], best))
                nv_groups_or(out,
                             cu == c ? new_reach(w, j, o->kasset[i], u)
                                     : &d->treach[entry(d, u, ju) * o->words],
                             o->words);
        }
    return best;
}

/* K asset i's shortcuts (the j-th next to cell c) with e failed, as
 * next_edge reads them: those to K assets next to c found again, the
 * others as they are. */
static enum nv_rc reshortcut(struct nv_detour_search *w, uint32_t c, uint32_t j,
                             uint32_t i, struct nv_fail e)
{
    const struct nv_overlay *o = w->d->o;
    uint32_t words = o->words;

    w->rep[i] = w->rmark;
    w->roff[i] = (uint32_t)w->nr;
    w->rn[i] = 0;
    for (uint32_t k = o->eoff[i]; k < o->eoff[i + 1]; k++) {
        size_t r = w->nr;
        uint64_t *gr;
        if (o->elink[k] != NV_NONE)
            continue;
        if (nv_array_reserve(&w->rto, &w->rcap, r + 1, sizeof *w->rto) ||
            nv_array_reserve(&w->rcost, &w->rccap, r + 1, sizeof *w->rcost) ||
            nv_array_reserve(&w->rgroups, &w->rgcap, (r + 1) * words,
                             sizeof *w->rgroups))
            return NV_ENOMEM;
        gr = &w->rgroups[r * words];
        w->rto[r] = o->eto[k];
        w->rcost[r] = o->ecost[k];
        memcpy(gr, &o->egroups[k * words], words * sizeof *gr);
        if (bnd_index(o, c, o->eto[k]) != NV_NONE) {
            nv_groups_bits(o->gs, o->kasset[o->eto[k]], words, gr);
            w->rcost[r] = shortcut(w, c, j, i, o->kasset[o->eto[k]], e, gr);
        }
        if (w->rcost[r] < INFINITY) {
            w->nr++;
            w->rn[i]++;
        }
    }
    return NV_OK;
}

/* Asset u's new cost and groups from the j-th K asset next to cell c
 * kept for the ends' K assets (end_value), if u is in the region. */
static enum nv_rc keep(struct nv_detour_search *w, uint32_t c, uint32_t j,
                       uint32_t b, uint32_t u)
{
    uint32_t words = w->d->o->words, n = w->nq;

    if (w->d->o->cell[u] != c || w->wf.slot[u].known != w->wf.epoch)
        return NV_OK;
    if (nv_array_reserve(&w->kept, &w->kcap, n + 1, sizeof *w->kept) ||
        nv_array_reserve(&w->qr, &w->qrcap, (size_t)(n + 1) * words,
                         sizeof *w->qr))
        return NV_ENOMEM;
    w->kept[n] = (struct nv_detour_kept){u, j, new_cost(w, c, j, b, u)};
    memcpy(&w->qr[(size_t)n * words], new_reach(w, j, b, u),
           words * sizeof *w->qr);
    w->nq++;
    return NV_OK;
}

/* Keep what the ends' K assets read in cell c: s and t themselves, or
 * a non-transit end's neighbours. */
static enum nv_rc keep_ends(struct nv_detour_search *w, uint32_t c, uint32_t j,
                            uint32_t b, uint32_t s, uint32_t t)
{
    const struct nv_overlay *o = w->d->o;
    const struct nv_graph *g = &o->m->graph;
    uint32_t x[2] = {s, t};
    enum nv_rc rc = NV_OK;

    for (int e = 0; !rc && e < 2; e++) {
        if (NV_ASSETS(o->m)[x[e]].transit)
            rc = keep(w, c, j, b, x[e]);
        for (uint32_t k = g->off[x[e]];
             !NV_ASSETS(o->m)[x[e]].transit && !rc && k < g->off[x[e] + 1]; k++)
            rc = keep(w, c, j, b, g->adj[k]);
    }
    return rc;
}

/*
 * Failure e lies on a shortcut's path in cell c: from each K asset next
 * to c, its region searched again, its shortcuts found again from its
 * new costs, and the new costs the ends read kept.
 */
static enum nv_rc repair(struct nv_detour_search *w, uint32_t c,
                         struct nv_fail e, uint32_t s, uint32_t t)
{
    const struct nv_overlay *o = w->d->o;
    enum nv_rc rc = NV_OK;

    w->nr = 0;
    for (uint32_t bi = o->boff[c]; !rc && bi < o->boff[c + 1]; bi++) {
        uint32_t j = bi - o->boff[c], i = o->bnd[bi], b = o->kasset[i];
        nv_groups_bits(o->gs, b, o->words, w->bbits);
        rc = settle(w, c, j, b, e, region(w, c, j, b, e));
        if (!rc)
            region_groups(w, c, j, b, e);
        if (!rc)
            rc = reshortcut(w, c, j, i, e);
        if (!rc)
            rc = keep_ends(w, c, j, b, s, t);
    }
    return rc;
}

static struct nv_detour_end end_of(const struct nv_overlay_search *sw, int side)
{
    return (struct nv_detour_end){sw->nb[side], sw->bk[side], sw->bd[side],
                                  sw->br[side]};
}

/* The ends' K assets with e failed (in cell c), into *a and *b where it
 * changes them: when e is hot, from the tables and what repair kept;
 * else searched again, bounded by the tables' distances, which hold. */
static enum nv_rc fail_ends(struct nv_detour_search *w, uint32_t s, uint32_t t,
                            struct nv_fail e, uint32_t c, int hot,
                            struct nv_detour_end *a, struct nv_detour_end *b)
{
    const struct nv_overlay *o = w->d->o;
    enum nv_rc rc = NV_OK;
    uint32_t x[2] = {s, t};

    for (int side = 0; !rc && side < 2; side++) {
        struct nv_detour_end *end = side ? b : a;
        if (!at_end(o, x[side], e, c))
            continue;
        if (hot) {
            table_end(w, x[side], side ? &w->ft : &w->fs, e);
            *end = side ? w->ft : w->fs;
        } else {
            rc = nv_overlay_search_end(&w->wf, x[side], 0, side);
            *end = end_of(&w->wf, side);
        }
    }
    return rc;
}

/*
 * The routes from s to t with e failed: when e is on a shortcut's path
 * (hot), the tables and shortcuts of the K assets next to its cell
 * repaired around it; the ends whose cells it is in worked out again;
 * then the overlay (or its tables, when no edge of it changed).
 */
static enum nv_rc one_failure(struct nv_detour_search *w, uint32_t s,
                              uint32_t t, struct nv_fail e, uint64_t *out)
{
    const struct nv_overlay *o = w->d->o;
    uint32_t c = cell_of(o, e);
    int hot = c != NV_NONE && (e.kind == NV_FAIL_ASSET ? w->d->hot_asset
                                                       : w->d->hot_link)[e.id];
    struct nv_detour_end a = w->es, b = w->et;
    double best;
    enum nv_rc rc = NV_OK;

    memset(w->tmp, 0, o->words * sizeof *w->tmp);
    w->rmark++;
    w->nq = 0;
    w->wf.fail = e;
    if (hot)
        rc = repair(w, c, e, s, t);
    if (!rc)
        rc = fail_ends(w, s, t, e, c, hot, &a, &b);
    if (!rc && (hot || in_core(o, e)))
        rc = ov_route(w, &a, &b, e, &best, w->tmp);
    else if (!rc)
        table_route(w, &a, &b, &best, w->tmp);
    if (!rc && nv_overlay_near(o, s, t) && in_within(w, e))
        rc = nv_overlay_within(&w->wf, s, t, &best, w->tmp);
    else if (!rc && nv_overlay_near(o, s, t))
        combine(&best, w->tmp, w->wcost, w->wgroups, o->words);
    nv_groups_or(out, w->tmp, o->words);
    return rc;
}

/*
 * The routes without failure, into out, and the elements on them as the
 * failures to try: those of the routes through K when they are the
 * cheapest, those of the routes through cells alone (searched from s
 * when a path avoiding K may join the ends) when they are.
 */
static enum nv_rc base(struct nv_detour_search *w, uint32_t s, uint32_t t,
                       uint64_t *out)
{
    const struct nv_overlay *o = w->d->o;
    struct nv_detour_end a = w->es, b = w->et;
    int near = nv_overlay_near(o, s, t);
    double best, kbest;
    enum nv_rc rc =
        ov_route(w, &a, &b, (struct nv_fail){NV_FAIL_NONE, 0}, &best, out);

    kbest = best;
    w->wcost = INFINITY;
    if (!rc && near)
        rc = within(w, s, t);
    combine(&best, out, w->wcost, w->wgroups, o->words);
    w->wleast = w->wcost < INFINITY && nv_route_tight(w->wcost, 0, best);
    if (!rc && w->wcost < INFINITY) { /* wf still holds its search */
        w->stack[0] = t;
        rc = walk_back(&w->wf, s, w->stack, 1, w->walked, ++w->wmark,
                       add_within, w);
    }
    if (!rc && kbest < INFINITY && nv_route_tight(kbest, 0, best))
        rc = ov_mark(w, &b, best);
    if (!rc && kbest < INFINITY && nv_route_tight(kbest, 0, best))
        rc = end_elements(w, s, &a, 1, best);
    if (!rc && kbest < INFINITY && nv_route_tight(kbest, 0, best))
        rc = end_elements(w, t, &b, 0, best);
    return rc;
}

enum nv_rc nv_detour_flow(struct nv_detour_search *w, uint32_t s, uint32_t t,
                          uint64_t *out)
{
    const struct nv_overlay *o = w->d->o;
    const struct nv_fail none = {NV_FAIL_NONE, 0};
    enum nv_rc rc;

    w->nq = 0;
    table_end(w, s, &w->es, none);
    table_end(w, t, &w->et, none);
    memset(out, 0, o->words * sizeof *out);
    w->stamp++;
    w->ncand = 0;
    w->aseen[s] = w->aseen[t] = w->stamp; /* never failed */
    w->rmark++;
    rc = base(w, s, t, out);
    for (uint32_t i = 0; !rc && i < w->ncand; i++)
        rc = one_failure(w, s, t, w->cand[i], out);
    return rc;
}
