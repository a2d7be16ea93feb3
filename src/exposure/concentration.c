/*
 * concentration.c - vendor shares per layer and region, and the HHI.
 *
 * Areas are found by sorting asset indices by (layer, region, vendor):
 * each run of equal keys is one vendor's share of one area.
 */
#include "exposure/concentration.h"

#include "core/alloc.h"

#include <stdlib.h>
#include <string.h>

static const char no_region[] = "(no region)";

/* What sorting and summing need of each asset. */
struct key {
    int layer;
    const char *region;
    uint32_t vendor;
    double capacity;
};

static int by_key(const void *pa, const void *pb)
{
    const struct key *a = pa, *b = pb;
    int c;

    if (a->layer != b->layer)
        return a->layer - b->layer;
    c = strcmp(a->region, b->region);
    if (c)
        return c;
    return a->vendor < b->vendor ? -1 : a->vendor > b->vendor;
}

static struct key *asset_keys(const struct nv_model *m)
{
    uint32_t n = NV_COUNT(m, NV_T_ASSET);
    struct key *k = nv_calloc((size_t)n + 1, sizeof *k);

    for (uint32_t a = 0; k && a < n; a++) {
        const struct nv_asset *as = &NV_ASSETS(m)[a];
        uint32_t s = as->site.idx;
        k[a].layer = (int)as->layer;
        k[a].region = s != NV_NONE && NV_SITES(m)[s].region
                          ? NV_SITES(m)[s].region
                          : no_region;
        k[a].vendor =
            as->entity == NV_NONE ? NV_NONE : NV_ENTITIES(m)[as->entity].root;
    }
    for (uint32_t i = 0; k && i < NV_COUNT(m, NV_T_LINK); i++) {
        const struct nv_link *l = &NV_LINKS(m)[i];
        if (l->capacity == l->capacity) { /* not NaN: known */
            k[l->a.idx].capacity += l->capacity;
            k[l->b.idx].capacity += l->capacity;
        }
    }
    return k;
}

static int by_assets(const void *pa, const void *pb)
{
    const struct nv_share *a = pa, *b = pb;

    if (a->assets != b->assets)
        return a->assets < b->assets ? 1 : -1;
    return a->entity < b->entity ? -1 : a->entity > b->entity;
}

/* Shares are known; sort them and work out the indices. */
static void finish_area(struct nv_area *ar)
{
    ar->hhi = ar->hhi_capacity = 0;
    for (uint32_t i = 0; i < ar->nshares; i++) {
        double s = 100.0 * ar->shares[i].assets / ar->assets;
        double c = ar->capacity > 0
                       ? 100.0 * ar->shares[i].capacity / ar->capacity
                       : 0;
        ar->hhi += s * s;
        ar->hhi_capacity += c * c;
    }
    if (ar->nshares)
        qsort(ar->shares, ar->nshares, sizeof *ar->shares, by_assets);
}

static int same_area(const struct key *a, const struct key *b)
{
    return a->layer == b->layer && strcmp(a->region, b->region) == 0;
}

/* Walk keys sorted by area and vendor: every run of one area, split by
 * vendor, into areas (room for n) and shares (room for n). */
static uint32_t fill_areas(struct nv_area *areas, struct nv_share *shares,
                           const struct key *k, uint32_t n)
{
    struct nv_area *ar = NULL;
    uint32_t nareas = 0;

    for (uint32_t i = 0; i < n; i++) {
        struct nv_share *sh;
        if (!ar || !same_area(&k[i], &k[i - 1])) {
            ar = &areas[nareas++];
            ar->layer = (enum nv_layer)k[i].layer;
            ar->region = k[i].region;
            ar->shares = shares;
        }
        if (ar->nshares == 0 || k[i].vendor != k[i - 1].vendor) {
            ar->shares[ar->nshares++].entity = k[i].vendor;
            shares++;
        }
        sh = &ar->shares[ar->nshares - 1];
        sh->assets++;
        sh->capacity += k[i].capacity;
        ar->assets++;
        ar->capacity += k[i].capacity;
    }
    for (uint32_t a = 0; a < nareas; a++)
        finish_area(&areas[a]);
    return nareas;
}

/* Areas of the keys as they are, into *areas and *shares (allocated). */
static enum nv_rc areas_of(struct key *k, uint32_t n, struct nv_area **areas,
                           struct nv_share **shares, uint32_t *nareas)
{
    *areas = nv_calloc((size_t)n + 1, sizeof **areas);
    *shares = nv_calloc((size_t)n + 1, sizeof **shares);
    if (!*areas || !*shares)
        return NV_ENOMEM;
    if (n)
        qsort(k, n, sizeof *k, by_key);
    *nareas = fill_areas(*areas, *shares, k, n);
    return NV_OK;
}

enum nv_rc nv_concentration_build(const struct nv_model *m,
                                  struct nv_concentration *c,
                                  struct nv_err *err)
{
    uint32_t n = NV_COUNT(m, NV_T_ASSET);
    struct key *k = asset_keys(m);
    enum nv_rc rc = k ? NV_OK : NV_ENOMEM;

    memset(c, 0, sizeof *c);
    if (!rc)
        rc = areas_of(k, n, &c->areas, &c->shares, &c->nareas);
    for (uint32_t i = 0; !rc && i < n; i++)
        k[i].region = "(all)";
    if (!rc)
        rc = areas_of(k, n, &c->national, &c->national_shares, &c->nnational);
    for (uint32_t a = 0; !rc && a < c->nareas; a++)
        c->single_vendor += c->areas[a].nshares == 1;
    nv_free(k);
    if (rc) {
        nv_concentration_release(c);
        return nv_err_set(err, rc, "out of memory");
    }
    return NV_OK;
}

void nv_concentration_release(struct nv_concentration *c)
{
    nv_free(c->areas);
    nv_free(c->shares);
    nv_free(c->national);
    nv_free(c->national_shares);
    memset(c, 0, sizeof *c);
}
