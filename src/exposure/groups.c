/*
 * groups.c - vendor, country and designation groups and their members.
 *
 * Membership is stored both ways in CSR form: per asset (for marking
 * blocks and paths) and per group (for removing a group from the graph).
 */
#include "exposure/groups.h"

#include "core/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Working state while the groups are found. */
struct build {
    const struct nv_model *m;
    struct nv_groups *gs;
    uint32_t *vendor_group;  /* entity -> its vendor group, or NV_NONE */
    uint32_t *country_group; /* entity -> its own country's group */
    uint32_t desig_group[NV_DESIG_COUNT];
    size_t cap;
};

static enum nv_rc add_group(struct build *b, enum nv_group_kind kind,
                            const char *key, uint32_t entity,
                            enum nv_designation d)
{
    static const char *const prefix[] = {"vendor", "country", "designation"};
    struct nv_groups *gs = b->gs;
    struct nv_group *g;

    if (nv_array_reserve(&gs->v, &b->cap, (size_t)gs->n + 1, sizeof *gs->v))
        return NV_ENOMEM;
    g = &gs->v[gs->n++];
    memset(g, 0, sizeof *g);
    g->kind = kind;
    snprintf(g->id, sizeof g->id, "%s:%s", prefix[kind], key);
    g->entity = entity;
    g->designation = d;
    return NV_OK;
}

/* Mark every entity that makes an asset, itself or through a subsidiary. */
static void mark_used(const struct nv_model *m, unsigned char *used)
{
    const struct nv_entity *e = NV_ENTITIES(m);

    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_ASSET); i++)
        for (uint32_t x = NV_ASSETS(m)[i].entity; x != NV_NONE && !used[x];
             x = e[x].parent.idx)
            used[x] = 1;
}

static int by_string(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static enum nv_rc add_vendors(struct build *b, const unsigned char *used)
{
    const struct nv_entity *e = NV_ENTITIES(b->m);
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < NV_COUNT(b->m, NV_T_ENTITY) && !rc; i++) {
        b->vendor_group[i] = used[i] ? b->gs->n : NV_NONE;
        if (used[i])
            rc = add_group(b, NV_GROUP_VENDOR, e[i].id, i,
                           nv_model_designation(b->m, i));
    }
    return rc;
}

/* One group per country of a used entity, in alphabetical order. */
static enum nv_rc add_countries(struct build *b, const unsigned char *used)
{
    const struct nv_entity *e = NV_ENTITIES(b->m);
    uint32_t n = NV_COUNT(b->m, NV_T_ENTITY), k = 0, first = b->gs->n;
    const char **cc = nv_calloc(n + 1, sizeof *cc);
    enum nv_rc rc = cc ? NV_OK : NV_ENOMEM;

    for (uint32_t i = 0; i < n && !rc; i++)
        if (used[i] && e[i].country)
            cc[k++] = e[i].country;
    if (k)
        qsort(cc, k, sizeof *cc, by_string);
    for (uint32_t i = 0; i < k && !rc; i++)
        if (i == 0 || strcmp(cc[i], cc[i - 1]) != 0)
            rc = add_group(b, NV_GROUP_COUNTRY, cc[i], NV_NONE,
                           NV_DESIG_TRUSTED);
    for (uint32_t i = 0; i < n && !rc; i++) {
        b->country_group[i] = NV_NONE;
        for (uint32_t g = first; used[i] && e[i].country && g < b->gs->n; g++)
            if (strcmp(b->gs->v[g].id + 8, e[i].country) == 0)
                b->country_group[i] = g;
    }
    nv_free(cc);
    return rc;
}

static enum nv_rc add_designations(struct build *b)
{
    int seen[NV_DESIG_COUNT] = {0};
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < NV_COUNT(b->m, NV_T_ASSET); i++) {
        uint32_t e = NV_ASSETS(b->m)[i].entity;
        if (e != NV_NONE)
            seen[nv_model_designation(b->m, e)] = 1;
    }
    for (int d = 0; d < NV_DESIG_COUNT; d++) {
        b->desig_group[d] = NV_NONE;
        if (d < NV_DESIG_HIGH_RISK || !seen[d] || rc)
            continue;
        b->desig_group[d] = b->gs->n;
        rc = add_group(b, NV_GROUP_DESIGNATION, nv_designation_names[d],
                       NV_NONE, (enum nv_designation)d);
    }
    return rc;
}

/* The groups of asset a, without repeats, into out (room for 2 * depth of
 * the entity chain + 1); returns how many. */
static uint32_t groups_of(const struct build *b, uint32_t a, uint32_t *out,
                          uint32_t room)
{
    const struct nv_entity *e = NV_ENTITIES(b->m);
    uint32_t x = NV_ASSETS(b->m)[a].entity, n = 0, d;

    if (x == NV_NONE)
        return 0;
    d = b->desig_group[nv_model_designation(b->m, x)];
    if (d != NV_NONE)
        out[n++] = d;
    for (; x != NV_NONE && n + 2 <= room; x = e[x].parent.idx) {
        uint32_t c = b->country_group[x], k;
        out[n++] = b->vendor_group[x];
        for (k = 0; c != NV_NONE && k < n && out[k] != c; k++)
            ;
        if (c != NV_NONE && k == n)
            out[n++] = c;
    }
    return n;
}

/* Each asset's groups, counted first and then written. */
static enum nv_rc fill_by_asset(struct build *b)
{
    struct nv_groups *gs = b->gs;
    uint32_t na = NV_COUNT(b->m, NV_T_ASSET);
    uint32_t room = 2 * NV_COUNT(b->m, NV_T_ENTITY) + 1;
    uint32_t *tmp = nv_calloc(room, sizeof *tmp);

    gs->off = nv_calloc((size_t)na + 1, sizeof *gs->off);
    if (!tmp || !gs->off) {
        nv_free(tmp);
        return NV_ENOMEM;
    }
    for (uint32_t a = 0; a < na; a++)
        gs->off[a + 1] = gs->off[a] + groups_of(b, a, tmp, room);
    nv_free(tmp);
    gs->grp = nv_calloc((size_t)gs->off[na] + 1, sizeof *gs->grp);
    if (!gs->grp)
        return NV_ENOMEM;
    for (uint32_t a = 0; a < na; a++)
        groups_of(b, a, gs->grp + gs->off[a], room);
    return NV_OK;
}

/* A country group is as bad as the worst maker among its members. */
static void country_designations(struct build *b)
{
    struct nv_groups *gs = b->gs;

    for (uint32_t g = 0; g < gs->n; g++) {
        if (gs->v[g].kind != NV_GROUP_COUNTRY)
            continue;
        for (uint32_t k = gs->aoff[g]; k < gs->aoff[g + 1]; k++) {
            uint32_t e = NV_ASSETS(b->m)[gs->asset[k]].entity;
            enum nv_designation d = nv_model_designation(b->m, e);
            if (d > gs->v[g].designation)
                gs->v[g].designation = d;
        }
    }
}

/* The inverse: each group's assets, in asset order. */
static enum nv_rc fill_by_group(struct build *b)
{
    struct nv_groups *gs = b->gs;
    uint32_t na = NV_COUNT(b->m, NV_T_ASSET), *next;

    gs->aoff = nv_calloc((size_t)gs->n + 1, sizeof *gs->aoff);
    gs->asset = nv_calloc((size_t)gs->off[na] + 1, sizeof *gs->asset);
    next = nv_calloc((size_t)gs->n + 1, sizeof *next);
    if (!gs->aoff || !gs->asset || !next) {
        nv_free(next);
        return NV_ENOMEM;
    }
    for (uint32_t k = 0; k < gs->off[na]; k++)
        gs->v[gs->grp[k]].nassets++;
    for (uint32_t g = 0; g < gs->n; g++)
        next[g + 1] = gs->aoff[g + 1] = gs->aoff[g] + gs->v[g].nassets;
    memcpy(next, gs->aoff, (size_t)gs->n * sizeof *next);
    for (uint32_t a = 0; a < na; a++)
        for (uint32_t k = gs->off[a]; k < gs->off[a + 1]; k++)
            gs->asset[next[gs->grp[k]]++] = a;
    nv_free(next);
    country_designations(b);
    return NV_OK;
}

enum nv_rc nv_groups_build(const struct nv_model *m, struct nv_groups *gs,
                           struct nv_err *err)
{
    uint32_t ne = NV_COUNT(m, NV_T_ENTITY);
    unsigned char *used = nv_calloc((size_t)ne + 1, 1);
    struct build b = {m,
                      gs,
                      nv_calloc((size_t)ne + 1, sizeof(uint32_t)),
                      nv_calloc((size_t)ne + 1, sizeof(uint32_t)),
                      {0},
                      0};
    enum nv_rc rc =
        used && b.vendor_group && b.country_group ? NV_OK : NV_ENOMEM;

    memset(gs, 0, sizeof *gs);
    if (!rc) {
        mark_used(m, used);
        rc = add_vendors(&b, used);
    }
    if (!rc)
        rc = add_countries(&b, used);
    if (!rc)
        rc = add_designations(&b);
    if (!rc)
        rc = fill_by_asset(&b);
    if (!rc)
        rc = fill_by_group(&b);
    nv_free(used);
    nv_free(b.vendor_group);
    nv_free(b.country_group);
    if (rc)
        nv_groups_release(gs);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}

void nv_groups_release(struct nv_groups *gs)
{
    nv_free(gs->v);
    nv_free(gs->off);
    nv_free(gs->grp);
    nv_free(gs->aoff);
    nv_free(gs->asset);
    memset(gs, 0, sizeof *gs);
}

uint32_t nv_groups_find(const struct nv_groups *gs, const char *id)
{
    for (uint32_t g = 0; g < gs->n; g++)
        if (strcmp(gs->v[g].id, id) == 0)
            return g;
    return NV_NONE;
}

/* Per site: bit 1 if it has assets of group g, bit 2 if of others. */
static unsigned char *site_states(const struct nv_model *m,
                                  const struct nv_groups *gs, uint32_t g)
{
    unsigned char *state = nv_calloc((size_t)NV_COUNT(m, NV_T_SITE) + 1, 1);

    for (uint32_t a = 0; state && a < NV_COUNT(m, NV_T_ASSET); a++) {
        uint32_t s = NV_ASSETS(m)[a].site.idx, in = 0;
        for (uint32_t k = gs->off[a]; k < gs->off[a + 1]; k++)
            in |= gs->grp[k] == g;
        if (s != NV_NONE)
            state[s] |= in ? 1 : 2;
    }
    return state;
}

enum nv_rc nv_groups_sole_sites(const struct nv_model *m,
                                const struct nv_groups *gs, uint32_t g,
                                uint32_t **sites, uint32_t *n, int64_t *pop)
{
    uint32_t ns = NV_COUNT(m, NV_T_SITE), count = 0;
    unsigned char *state = site_states(m, gs, g);
    uint32_t *list;

    for (uint32_t s = 0; state && s < ns; s++)
        count += state[s] == 1;
    list = state ? nv_calloc((size_t)count + 1, sizeof *list) : NULL;
    *n = 0;
    *pop = 0;
    for (uint32_t s = 0; list && s < ns; s++) {
        int64_t p = NV_SITES(m)[s].population;
        if (state[s] != 1)
            continue;
        list[(*n)++] = s;
        *pop += p > 0 ? p : 0;
    }
    nv_free(state);
    *sites = list;
    return list ? NV_OK : NV_ENOMEM;
}

void nv_groups_bits(const struct nv_groups *gs, uint32_t a, uint32_t words,
                    uint64_t *bits)
{
    memset(bits, 0, words * sizeof *bits);
    for (uint32_t k = gs->off[a]; k < gs->off[a + 1]; k++)
        bits[gs->grp[k] / 64] |= (uint64_t)1 << (gs->grp[k] % 64);
}

void nv_groups_or(uint64_t *to, const uint64_t *from, uint32_t words)
{
    for (uint32_t b = 0; b < words; b++)
        to[b] |= from[b];
}
