/*
 * wargame.c - a hostile supplier's reach, summed for people.
 */
#include "exposure/wargame.h"

#include "core/alloc.h"
#include "exposure/score.h"

#include <stdlib.h>
#include <string.h>

int nv_wargame_on_route(const struct nv_exposure *x, uint32_t f, uint32_t g)
{
    return nv_exposure_level(x, f, g) >= NV_LEVEL_ROUTED;
}

static const char *sector_of(const struct nv_flow *f)
{
    return f->sector ? f->sector : "(no sector)";
}

static int by_cell(const void *pa, const void *pb)
{
    const struct nv_wg_cell *a = pa, *b = pb;
    int c = strcmp(a->sector, b->sector);

    return c ? c : (int)b->cls - (int)a->cls;
}

static void count(struct nv_wg_cell *c, const struct nv_flow *f,
                  enum nv_level lv)
{
    c->flows++;
    c->read += lv >= NV_LEVEL_ROUTED && !f->encrypted;
    c->observe += lv >= NV_LEVEL_ROUTED && f->encrypted;
    c->cut += lv == NV_LEVEL_MUST;
    c->failover += lv == NV_LEVEL_FAILOVER;
    c->could += lv == NV_LEVEL_MAY;
}

/* The cell of flow f's sector and class, made if new. */
static struct nv_wg_cell *cell_of(struct nv_wargame *w, size_t *cap,
                                  const struct nv_flow *f)
{
    for (uint32_t i = 0; i < w->ncells; i++)
        if (w->cells[i].cls == f->classification &&
            strcmp(w->cells[i].sector, sector_of(f)) == 0)
            return &w->cells[i];
    if (nv_array_reserve(&w->cells, cap, (size_t)w->ncells + 1,
                         sizeof *w->cells))
        return NULL;
    memset(&w->cells[w->ncells], 0, sizeof *w->cells);
    w->cells[w->ncells].sector = sector_of(f);
    w->cells[w->ncells].cls = f->classification;
    return &w->cells[w->ncells++];
}

static enum nv_rc sum_flows(const struct nv_model *m,
                            const struct nv_exposure *x, struct nv_wargame *w)
{
    size_t cap = 0;

    for (uint32_t f = 0; f < x->nflows; f++) {
        const struct nv_flow *fl = &NV_FLOWS(m)[f];
        enum nv_level lv = nv_exposure_level(x, f, w->group);
        struct nv_wg_cell *c = cell_of(w, &cap, fl);
        if (!c)
            return NV_ENOMEM;
        count(c, fl, lv);
        count(&w->total, fl, lv);
    }
    if (w->ncells)
        qsort(w->cells, w->ncells, sizeof *w->cells, by_cell);
    return NV_OK;
}

static enum nv_rc dark_sites(const struct nv_model *m,
                             const struct nv_exposure *x, struct nv_wargame *w)
{
    return nv_groups_sole_sites(m, &x->groups, w->group, &w->dark_sites,
                                &w->ndark, &w->dark_population);
}

enum nv_rc nv_wargame_route_core(struct nv_routes *r, uint32_t f,
                                 struct nv_fail *fails, uint32_t *out,
                                 uint32_t *n)
{
    const struct nv_flow *fl = &NV_FLOWS(r->m)[f];
    uint32_t nf;
    enum nv_rc rc;

    *n = 0;
    if (fl->path.n) {
        for (uint32_t i = 0; i < fl->path.n; i++)
            out[(*n)++] = fl->path.v[i].idx;
        return NV_OK;
    }
    out[(*n)++] = fl->src.idx;
    if (fl->dst.idx != fl->src.idx)
        out[(*n)++] = fl->dst.idx;
    /* an asset every route crosses is one whose failure moves them all */
    rc = nv_routes_failures(r, f, fails, &nf);
    for (uint32_t i = 0; !rc && i < nf; i++)
        if (fails[i].kind == NV_FAIL_ASSET)
            out[(*n)++] = fails[i].id;
    return rc;
}

static int by_traffic(const void *pa, const void *pb)
{
    const struct nv_wg_asset *a = pa, *b = pb;

    if (a->traffic != b->traffic)
        return a->traffic < b->traffic ? 1 : -1;
    return a->asset < b->asset ? -1 : a->asset > b->asset;
}

static int in_group(const struct nv_groups *gs, uint32_t a, uint32_t g)
{
    for (uint32_t k = gs->off[a]; k < gs->off[a + 1]; k++)
        if (gs->grp[k] == g)
            return 1;
    return 0;
}

/* What the ranking works with: per[a] is asset a's account. */
struct rank {
    const struct nv_model *m;
    const struct nv_exposure *x;
    uint32_t group;
    struct nv_wg_asset *per;
};

/* Credit each of the group's assets on flow f's route core with f. */
static void credit(struct rank *k, uint32_t f, const uint32_t *core, uint32_t n)
{
    const struct nv_flow *fl = &NV_FLOWS(k->m)[f];

    for (uint32_t i = 0; i < n; i++) {
        if (!in_group(&k->x->groups, core[i], k->group))
            continue;
        k->per[core[i]].flows++;
        k->per[core[i]].traffic +=
            fl->importance * nv_score_class_weight[fl->classification];
    }
}

/* The group's assets by the critical traffic they carry alone: the flows
 * it reads or observes whose every route crosses them. */
/* The flows the group is on the route of, grouped by source (counted
 * into place), into *out; how many in *n. */
static enum nv_rc on_route_by_source(const struct nv_model *m,
                                     const struct nv_exposure *x, uint32_t g,
                                     uint32_t **out, uint32_t *n)
{
    const struct nv_flow *fl = NV_FLOWS(m);
    uint32_t na = m->graph.n;
    uint32_t *at = nv_calloc((size_t)na + 1, sizeof *at);

    *n = 0;
    *out = nv_calloc((size_t)x->nflows + 1, sizeof **out);
    if (!at || !*out) {
        nv_free(at);
        nv_free(*out);
        *out = NULL;
        return NV_ENOMEM;
    }
    for (uint32_t f = 0; f < x->nflows; f++)
        if (nv_wargame_on_route(x, f, g))
            at[fl[f].src.idx + 1]++;
    for (uint32_t v = 0; v < na; v++)
        at[v + 1] += at[v];
    for (uint32_t f = 0; f < x->nflows; f++)
        if (nv_wargame_on_route(x, f, g)) {
            (*out)[at[fl[f].src.idx]++] = f;
            (*n)++;
        }
    nv_free(at);
    return NV_OK;
}

/* Flow order[i]'s route core, with one whole search and its dominators
 * shared by the flows of its source that follow it (routes.h). */
static enum nv_rc core_of(struct nv_routes *r, const uint32_t *order,
                          uint32_t i, uint32_t n, struct nv_fail *fails,
                          uint32_t *core, uint32_t *nc)
{
    const struct nv_flow *fl = NV_FLOWS(r->m);
    const struct nv_fail none = {NV_FAIL_NONE, 0};
    uint32_t f = order[i], s = fl[f].src.idx;
    int shared = i + 1 < n && fl[order[i + 1]].src.idx == s &&
                 (!i || fl[order[i - 1]].src.idx != s);

    if (shared && nv_routes_search(r, s, none, NULL, 0))
        return NV_ENOMEM;
    if (shared)
        nv_routes_dominators(r);
    return nv_wargame_route_core(r, f, fails, core, nc);
}

static enum nv_rc rank_assets(const struct nv_model *m,
                              const struct nv_exposure *x, struct nv_wargame *w)
{
    uint32_t na = m->graph.n, n, *order = NULL, norder = 0;
    struct rank k = {m, x, w->group, nv_calloc((size_t)na + 1, sizeof *k.per)};
    uint32_t *core = nv_calloc((size_t)na + 2, sizeof *core);
    struct nv_fail *fails = nv_calloc(2 * (size_t)na + 2, sizeof *fails);
    struct nv_routes r;
    enum nv_rc rc = NV_ENOMEM;

    memset(&r, 0, sizeof r);
    if (k.per && core && fails &&
        !on_route_by_source(m, x, w->group, &order, &norder))
        rc = nv_routes_init(&r, m, NULL);
    for (uint32_t i = 0; !rc && i < norder; i++) {
        rc = core_of(&r, order, i, norder, fails, core, &n);
        if (!rc)
            credit(&k, order[i], core, n);
    }
    for (uint32_t a = 0; !rc && a < na; a++) /* compact: nranked <= a */
        if (k.per[a].flows)
            k.per[w->nranked++] =
                (struct nv_wg_asset){a, k.per[a].flows, k.per[a].traffic};
    if (!rc && w->nranked)
        qsort(k.per, w->nranked, sizeof *k.per, by_traffic);
    nv_routes_release(&r);
    nv_free(order);
    nv_free(core);
    nv_free(fails);
    if (rc)
        nv_free(k.per);
    w->ranked = rc ? NULL : k.per;
    return rc;
}

enum nv_rc nv_wargame_run(const struct nv_model *m, const struct nv_exposure *x,
                          uint32_t g, struct nv_wargame *w, struct nv_err *err)
{
    enum nv_rc rc;

    memset(w, 0, sizeof *w);
    w->group = g;
    w->total.sector = "all";
    rc = sum_flows(m, x, w);
    if (!rc)
        rc = dark_sites(m, x, w);
    if (!rc)
        rc = rank_assets(m, x, w);
    if (rc) {
        nv_wargame_release(w);
        return nv_err_set(err, rc, "out of memory");
    }
    return NV_OK;
}

void nv_wargame_release(struct nv_wargame *w)
{
    nv_free(w->cells);
    nv_free(w->dark_sites);
    nv_free(w->ranked);
    memset(w, 0, sizeof *w);
}
