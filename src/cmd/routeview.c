/*
 * routeview.c - routes for `assess --flow` and `assess --routes`.
 */
#include "cmd/routeview.h"

#include "cmd/cli.h"
#include "core/alloc.h"
#include "exposure/score.h"

#include <stdio.h>

static const struct nv_fail no_fail = {NV_FAIL_NONE, 0};

/* The cheapest link joining assets a and b. */
static uint32_t cheapest_link(const struct nv_model *m, uint32_t a, uint32_t b)
{
    const struct nv_graph *g = &m->graph;
    uint32_t best = NV_NONE;

    for (uint32_t k = g->off[a]; k < g->off[a + 1]; k++)
        if (g->adj[k] == b && (best == NV_NONE || g->cost[k] < g->cost[best]))
            best = k;
    return best == NV_NONE ? NV_NONE : g->link[best];
}

/* One route of f into path (and into links the link into each hop,
 * NV_NONE for the first); returns its length, 0 if none.  For a
 * declared path *count is 1, else the number of least-cost routes. */
static uint32_t one_route(struct nv_culprits *cf, uint32_t f, uint32_t *path,
                          uint32_t *links, uint32_t *count)
{
    const struct nv_flow *fl = &NV_FLOWS(cf->m)[f];
    uint32_t t = fl->dst.idx, n;

    *count = 0;
    if (!cf->x->connected[f])
        return 0;
    if (fl->path.n) {
        for (uint32_t i = 0; i < fl->path.n; i++) {
            path[i] = fl->path.v[i].idx;
            links[i] = i ? cheapest_link(cf->m, path[i - 1], path[i]) : NV_NONE;
        }
        *count = 1;
        return fl->path.n;
    }
    if (nv_routes_search(&cf->r, fl->src.idx, no_fail, &t, 1))
        return 0;
    n = nv_routes_one(&cf->r, t, path, links);
    *count = nv_routes_count(&cf->r, t, NV_ROUTEVIEW_CAP);
    return n;
}

void nv_routeview_json(struct nv_jsonw *w, struct nv_culprits *cf, uint32_t f,
                       uint32_t *path)
{
    uint32_t count, n = one_route(cf, f, path, path + cf->m->graph.n, &count);

    nv_jsonw_key(w, "route");
    if (!n)
        nv_jsonw_null(w);
    else
        nv_jsonw_arr(w);
    for (uint32_t i = 0; i < n; i++)
        nv_jsonw_str(w, NV_ASSETS(cf->m)[path[i]].id);
    if (n)
        nv_jsonw_arr_end(w);
    nv_jsonw_key(w, "routes");
    nv_jsonw_int(w, count);
    nv_jsonw_key(w, "routes_capped");
    nv_jsonw_bool(w, count >= NV_ROUTEVIEW_CAP);
}

static const char *vendor_of(const struct nv_model *m, uint32_t a)
{
    const struct nv_asset *as = &NV_ASSETS(m)[a];

    if (as->entity != NV_NONE && NV_ENTITIES(m)[as->entity].name)
        return NV_ENTITIES(m)[as->entity].name;
    return as->vendor ? as->vendor : "(unknown)";
}

static const char *site_of(const struct nv_model *m, uint32_t a)
{
    uint32_t s = NV_ASSETS(m)[a].site.idx;

    if (s == NV_NONE)
        return "-";
    return NV_SITES(m)[s].name ? NV_SITES(m)[s].name : NV_SITES(m)[s].id;
}

static void print_hops(const struct nv_model *m, const uint32_t *path,
                       const uint32_t *links, uint32_t n)
{
    printf("  %3s  %-20s %-28s %-24s %s\n", "hop", "asset", "vendor", "site",
           "link cost");
    for (uint32_t i = 0; i < n; i++) {
        printf("  %3u  %-20s %-28.28s %-24.24s ", i + 1,
               NV_ASSETS(m)[path[i]].id, vendor_of(m, path[i]),
               site_of(m, path[i]));
        if (links[i] == NV_NONE)
            printf("-\n");
        else
            printf("%g\n", NV_LINKS(m)[links[i]].cost);
    }
}

static void print_fail(const struct nv_model *m, struct nv_fail fl)
{
    if (fl.kind == NV_FAIL_ASSET) {
        printf("    if %s fails:", NV_ASSETS(m)[fl.id].id);
        return;
    }
    printf("    if the link %s - %s fails:", NV_LINKS(m)[fl.id].a.id,
           NV_LINKS(m)[fl.id].b.id);
}

/* Print group g's assets among the n in r->queue, after a header the
 * first time (*said counts the groups printed for this failure). */
static void print_group_on(struct nv_culprits *cf, struct nv_fail fl,
                           uint32_t g, uint32_t n, uint32_t *said)
{
    const struct nv_groups *gs = &cf->x->groups;
    uint32_t k = 0;

    for (uint32_t i = 0; i < n; i++) {
        uint32_t a = cf->r.queue[i];
        int in = 0;
        for (uint32_t j = gs->off[a]; j < gs->off[a + 1]; j++)
            in |= gs->grp[j] == g;
        if (!in)
            continue;
        if (!k && !(*said)++)
            print_fail(cf->m, fl);
        if (!k)
            printf("%s %s on", *said > 1 ? ";" : "", gs->v[g].id);
        printf("%s %s", k++ ? "," : "", NV_ASSETS(cf->m)[a].id);
    }
}

/* The groups shown that a failure brings onto the route (those whose
 * level is failover), with their assets there. */
static void print_failure(struct nv_culprits *cf, uint32_t f, struct nv_fail fl,
                          const unsigned char *shown)
{
    const struct nv_groups *gs = &cf->x->groups;
    uint32_t n, said = 0;

    if (nv_routes_flow(&cf->r, f, fl, &n))
        return;
    for (uint32_t g = 0; g < gs->n; g++)
        if (shown[g] && nv_exposure_level(cf->x, f, g) == NV_LEVEL_FAILOVER)
            print_group_on(cf, fl, g, n, &said);
    if (n == 0) {
        print_fail(cf->m, fl);
        printf(" no route is left\n");
    } else if (said) {
        putchar('\n');
    }
}

static void print_failures(struct nv_culprits *cf, uint32_t f,
                           const unsigned char *shown)
{
    uint32_t nf;

    if (cf->x->failover_from > NV_FLOWS(cf->m)[f].classification) {
        printf("\nfailover was not worked out for this flow "
               "(--failover-from)\n");
        return;
    }
    if (nv_routes_failures(&cf->r, f, cf->fails, &nf))
        return;
    printf("\nsingle failures that move the route (%u), and the groups "
           "they bring onto it:\n",
           nf);
    for (uint32_t i = 0; i < nf; i++)
        print_failure(cf, f, cf->fails[i], shown);
}

/* The culprits of the flow's worst exposure among the groups shown. */
static void print_worst(struct nv_culprits *cf, uint32_t f,
                        const unsigned char *shown)
{
    uint32_t g;
    struct nv_err err = {0};

    nv_score_flow(cf->m, cf->x, f, shown, &g);
    if (g == NV_NONE || nv_culprits_find(cf, f, g, &err))
        return;
    printf("\nworst exposure: %s at %s, given by", cf->x->groups.v[g].id,
           nv_level_names[nv_exposure_level(cf->x, f, g)]);
    for (uint32_t i = 0; i < cf->nassets; i++)
        printf("%s %s", i ? "," : "", NV_ASSETS(cf->m)[cf->assets[i]].id);
    putchar('\n');
    if (cf->npath) {
        printf("  witness path:");
        for (uint32_t i = 0; i < cf->npath; i++)
            printf(" %s", NV_ASSETS(cf->m)[cf->path[i]].id);
        putchar('\n');
    }
}

int nv_routeview_print(struct nv_culprits *cf, uint32_t f,
                       const unsigned char *shown)
{
    const struct nv_flow *fl = &NV_FLOWS(cf->m)[f];
    uint32_t na = cf->m->graph.n, count, n;
    uint32_t *path = nv_calloc((size_t)na + 1, sizeof *path);
    uint32_t *links = nv_calloc((size_t)na + 1, sizeof *links);

    if (!path || !links) {
        nv_free(path);
        nv_free(links);
        return NV_EXIT_INTERNAL;
    }
    n = one_route(cf, f, path, links, &count);
    printf("\nroute of %s (%s -> %s)", fl->id, NV_ASSETS(cf->m)[fl->src.idx].id,
           NV_ASSETS(cf->m)[fl->dst.idx].id);
    if (!n)
        printf(": none, its ends are not connected\n");
    else if (fl->path.n)
        printf(", declared:\n");
    else
        printf(", cost %g, %s%u equal-cost route%s:\n",
               nv_routes_dist(&cf->r, fl->dst.idx),
               count >= NV_ROUTEVIEW_CAP ? "at least " : "", count,
               count == 1 ? "" : "s");
    print_hops(cf->m, path, links, n);
    if (n)
        print_failures(cf, f, shown);
    print_worst(cf, f, shown);
    nv_free(path);
    nv_free(links);
    return NV_EXIT_OK;
}
