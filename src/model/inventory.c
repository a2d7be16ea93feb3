/*
 * inventory.c - counting a model.
 */
#include "model/inventory.h"

#include "core/alloc.h"
#include "model/graph.h"
#include "core/strmap.h"
#include "core/threads.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static int by_assets_desc(const void *pa, const void *pb)
{
    const struct nv_inv_vendor *a = pa, *b = pb;

    if (a->assets != b->assets)
        return a->assets < b->assets ? 1 : -1;
    return strcmp(a->vendor, b->vendor);
}

/* Count an asset of unresolved vendor string key into inv's rows. */
static enum nv_rc tally(struct nv_strmap *map, struct nv_inventory *inv,
                        const char *key)
{
    uint32_t i, *n = &inv->nunresolved;
    int found;
    struct nv_inv_vendor *grown, **rows = &inv->unresolved;

    if (nv_strmap_put(map, key, strlen(key), *n, &i, &found))
        return NV_ENOMEM;
    if (!found) {
        grown = nv_reallocarray(*rows, *n + 1, sizeof *grown);
        if (!grown)
            return NV_ENOMEM;
        *rows = grown;
        grown[*n] = (struct nv_inv_vendor){NV_NONE, key, 0};
        ++*n;
    }
    (*rows)[i].assets++;
    return NV_OK;
}

/* One row per entity that has assets, and their designations; per holds
 * each entity's assets. */
static enum nv_rc vendor_rows(const struct nv_model *m,
                              struct nv_inventory *inv, const uint32_t *per)
{
    uint32_t nent = NV_COUNT(m, NV_T_ENTITY), n = 0;

    for (uint32_t e = 0; e < nent; e++)
        n += per[e] != 0;
    if (!n)
        return NV_OK;
    inv->vendors = nv_calloc(n, sizeof *inv->vendors);
    if (!inv->vendors)
        return NV_ENOMEM;
    for (uint32_t e = 0; e < nent; e++) {
        if (!per[e])
            continue;
        inv->by_designation[nv_model_designation(m, e)] += per[e];
        inv->vendors[inv->nvendors++] =
            (struct nv_inv_vendor){e, NV_ENTITIES(m)[e].id, per[e]};
    }
    return NV_OK;
}

/* Resolved assets are counted per entity in an array (a million assets
 * hashed into a map by their entity's id took a tenth of inspecting a
 * binary snapshot); unresolved strings, which are few, in a map. */
static enum nv_rc count_assets(const struct nv_model *m,
                               struct nv_inventory *inv)
{
    const struct nv_asset *a = NV_ASSETS(m);
    uint32_t *per =
        nv_calloc((size_t)NV_COUNT(m, NV_T_ENTITY) + 1, sizeof *per);
    struct nv_strmap strings;
    enum nv_rc rc = per ? NV_OK : NV_ENOMEM;

    nv_strmap_init(&strings);
    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_ASSET) && !rc; i++) {
        inv->by_kind[a[i].kind]++;
        inv->by_layer[a[i].layer]++;
        if (!a[i].vendor) {
            inv->no_vendor++;
        } else if (a[i].entity != NV_NONE) {
            per[a[i].entity]++;
        } else {
            inv->unresolved_assets++;
            rc = tally(&strings, inv, a[i].vendor);
        }
    }
    if (!rc)
        rc = vendor_rows(m, inv, per);
    nv_strmap_release(&strings);
    nv_free(per);
    return rc;
}

static enum nv_rc count_parts(const struct nv_model *m,
                              struct nv_inventory *inv)
{
    const struct nv_graph *g = &m->graph;
    uint32_t *comp = nv_calloc(g->n + 1, sizeof *comp);
    uint32_t *size = nv_calloc(g->n + 1, sizeof *size);
    const struct nv_flow *f = NV_FLOWS(m);
    size_t cap = 0;
    enum nv_rc rc = NV_OK;

    if (!comp || !size)
        rc = NV_ENOMEM;
    if (!rc)
        inv->components = nv_graph_components(g, NULL, comp, size);
    if (!rc)
        memset(size, 0, (g->n + 1) * sizeof *size);
    for (uint32_t v = 0; !rc && v < g->n; v++)
        if (++size[comp[v]] > inv->largest)
            inv->largest = size[comp[v]];
    for (uint32_t i = 0; !rc && i < NV_COUNT(m, NV_T_FLOW); i++) {
        if (comp[f[i].src.idx] == comp[f[i].dst.idx])
            continue;
        rc = nv_array_reserve(&inv->unconnected_flows, &cap,
                              inv->nunconnected + 1, sizeof(uint32_t));
        if (!rc)
            inv->unconnected_flows[inv->nunconnected++] = i;
    }
    nv_free(comp);
    nv_free(size);
    return rc;
}

/* The assets and the graph's parts are counted on two threads: they
 * fill disjoint fields of the inventory. */
struct counts {
    const struct nv_model *m;
    struct nv_inventory *inv;
    atomic_uint next;
    enum nv_rc rc[2];
};

static void *count_worker(void *ctx)
{
    struct counts *c = ctx;
    unsigned j;

    while ((j = atomic_fetch_add(&c->next, 1)) < 2)
        c->rc[j] = j ? count_parts(c->m, c->inv) : count_assets(c->m, c->inv);
    return NULL;
}

enum nv_rc nv_inventory_build(const struct nv_model *m,
                              struct nv_inventory *inv, struct nv_err *err)
{
    struct counts c = {.m = m, .inv = inv};
    enum nv_rc rc;

    memset(inv, 0, sizeof *inv);
    atomic_init(&c.next, 0);
    nv_threads_run(2, count_worker, &c);
    rc = c.rc[0] ? c.rc[0] : c.rc[1];
    if (rc) {
        nv_inventory_release(inv);
        return nv_err_set(err, rc, "out of memory");
    }
    if (inv->nvendors) /* qsort wants a real array even for none */
        qsort(inv->vendors, inv->nvendors, sizeof *inv->vendors,
              by_assets_desc);
    if (inv->nunresolved)
        qsort(inv->unresolved, inv->nunresolved, sizeof *inv->unresolved,
              by_assets_desc);
    return NV_OK;
}

void nv_inventory_release(struct nv_inventory *inv)
{
    nv_free(inv->vendors);
    nv_free(inv->unresolved);
    nv_free(inv->unconnected_flows);
    memset(inv, 0, sizeof *inv);
}
