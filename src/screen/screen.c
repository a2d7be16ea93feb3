/*
 * screen.c - lists and index together, and screening a model's vendors.
 */
#include "screen/screen.h"

#include "core/alloc.h"
#include "core/progress.h"
#include "model/resolve.h"

#include <stdio.h>
#include <string.h>

enum nv_rc nv_screen_open(struct nv_screen *s, const char *const *paths,
                          size_t n, struct nv_err *err)
{
    enum nv_rc rc = NV_OK;

    nv_lists_init(&s->lists);
    s->mt = NULL;
    s->has_local = 0;
    s->strict = 0;
    s->progress = NULL;
    for (size_t i = 0; i < n && !rc; i++)
        rc = nv_lists_load(&s->lists, paths[i], err);
    if (!rc)
        rc = nv_lists_link(&s->lists, err);
    if (!rc)
        rc = nv_matcher_new(&s->lists, &s->mt, err);
    for (uint32_t i = 0; !rc && i < s->lists.n; i++)
        s->has_local |= s->lists.v[i].designation >= 0;
    if (rc)
        nv_screen_close(s);
    return rc;
}

void nv_screen_close(struct nv_screen *s)
{
    nv_matcher_free(s->mt);
    s->mt = NULL;
    nv_lists_release(&s->lists);
}

/* The designation of a local party that name matches, or -1. */
static int local_match(const struct nv_screen *s, const char *name)
{
    struct nv_match_hit hits[8];
    struct nv_err err = {0};
    uint32_t n;

    if (nv_matcher_screen(s->mt, name, hits, 8, &n, &err))
        return -1;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t p = hits[k].party, q = p;
        if (hits[k].band != NV_BAND_MATCH)
            continue;
        do { /* a hit is a group: any of its listings may be local */
            if (s->lists.v[q].designation >= 0)
                return s->lists.v[q].designation;
            q = nv_matcher_next_listing(s->mt, q);
        } while (q != p);
    }
    return -1;
}

/* The designation of a local party that one of party i's names matches,
 * or -1: a national file names parties its own way ("Huawei Technologies
 * Co., Ltd." for the FCC's "Huawei Technologies Company"), so the names
 * are screened again, for local parties. */
static int local_designation(const struct nv_screen *s, uint32_t i)
{
    const struct nv_party *p = &s->lists.v[i];
    int d = p->designation;

    if (d >= 0 || !s->has_local)
        return d;
    d = local_match(s, nv_party_match_name(p));
    for (uint32_t a = 0; d < 0 && a < p->naliases; a++)
        d = local_match(s, p->aliases[a]);
    return d;
}

enum nv_designation nv_screen_designation(const struct nv_screen *s, uint32_t i)
{
    int d = local_designation(s, i);

    if (d < 0)
        d = local_designation(s, nv_lists_root(&s->lists, i));
    return d >= 0 ? (enum nv_designation)d : nv_lists_designation(&s->lists, i);
}

enum nv_designation nv_screen_group_designation(const struct nv_screen *s,
                                                uint32_t i)
{
    enum nv_designation worst = nv_screen_designation(s, i);
    uint32_t q = i;

    if (local_designation(s, i) >= 0 ||
        local_designation(s, nv_lists_root(&s->lists, i)) >= 0)
        return worst;
    while ((q = nv_matcher_next_listing(s->mt, q)) != i) {
        enum nv_designation d = nv_screen_designation(s, q);
        if (local_designation(s, q) >= 0)
            return d;
        worst = d > worst ? d : worst;
    }
    return worst;
}

struct resolving {
    struct nv_screen *s;
    uint32_t *entity; /* per party: its entity in the model, or NV_NONE */
    uint32_t matched;
};

/* A model entity already named like party p, or NV_NONE. */
static uint32_t known_entity(const struct nv_model *m, const struct nv_party *p)
{
    char key[256], other[256];
    size_t n = nv_resolve_key(nv_party_match_name(p), key, sizeof key);

    for (uint32_t e = 0; n < sizeof key && e < NV_COUNT(m, NV_T_ENTITY); e++) {
        const struct nv_entity *x = &NV_ENTITIES(m)[e];
        const char *name = x->name ? x->name : x->id;
        if (nv_resolve_key(name, other, sizeof other) == n &&
            memcmp(key, other, n) == 0)
            return e;
    }
    return NV_NONE;
}

/* A short, stable id for a listed party that the catalogue does not
 * know: "listed:" and the first three words of its name without legal
 * forms, with a number added if another entity has it already. */
static void entity_id(const struct nv_model *m, const struct nv_party *p,
                      char *id, size_t size)
{
    char key[256];
    size_t n = nv_resolve_legal_key(nv_party_match_name(p), key, sizeof key),
           words = 0;

    for (size_t i = 0; i < n && i < sizeof key; i++)
        if (key[i] == ' ' && ++words == 3)
            key[i] = '\0';
        else if (key[i] == ' ')
            key[i] = '-';
    snprintf(id, size, "listed:%.64s", key);
    for (int k = 2; nv_model_find(m, NV_T_ENTITY, id) != NV_NONE; k++)
        snprintf(id, size, "listed:%.64s-%d", key, k);
}

/* The entity of the catalogue's maker that party p is, or NV_NONE: a
 * listed maker the catalogue knows keeps the catalogue's short id, and
 * gets the list's designation if that is more severe. */
static enum nv_rc catalogued(const struct nv_screen *s, struct nv_model *m,
                             uint32_t i, uint32_t *entity, struct nv_err *err)
{
    const struct nv_party *p = &s->lists.v[i];
    enum nv_rc rc =
        nv_resolve_catalogue(m, nv_party_match_name(p), entity, err);

    for (uint32_t a = 0; !rc && *entity == NV_NONE && a < p->naliases; a++)
        rc = nv_resolve_catalogue(m, p->aliases[a], entity, err);
    if (!rc && *entity != NV_NONE) {
        struct nv_entity *e = &NV_ENTITIES(m)[*entity];
        enum nv_designation d = nv_screen_designation(s, i);
        if (e->origin != NV_ORIGIN_MODEL && d > e->designation)
            e->designation = d;
    }
    return rc;
}

/* The entity of party i in m, added (parents first) if new. */
static enum nv_rc entity_for(struct resolving *r, struct nv_model *m,
                             uint32_t i, int depth, struct nv_err *err)
{
    const struct nv_party *p = &r->s->lists.v[i];
    uint32_t parent = NV_NONE;
    char id[128];
    enum nv_rc rc = NV_OK;

    if (r->entity[i] != NV_NONE)
        return NV_OK;
    r->entity[i] = known_entity(m, p);
    if (r->entity[i] == NV_NONE)
        rc = catalogued(r->s, m, i, &r->entity[i], err);
    if (rc || r->entity[i] != NV_NONE)
        return rc;
    if (p->parent != NV_NONE && depth < 16) {
        rc = entity_for(r, m, p->parent, depth + 1, err);
        parent = r->entity[p->parent];
    }
    entity_id(m, p, id, sizeof id);
    rc = rc ? rc
            : nv_model_add_entity(m, id, nv_party_match_name(p), p->country,
                                  nv_screen_designation(r->s, i), parent,
                                  &r->entity[i], err);
    if (!rc)
        NV_ENTITIES(m)[r->entity[i]].origin = NV_ORIGIN_LIST;
    return rc;
}

/* A list match is by name when the string is the matched name or alias
 * once normalised (legal forms removed, or the screen's own
 * normalisation scores it 1); anything looser is fuzzy. */
static enum nv_resolve_method method_of(const char *vendor,
                                        const struct nv_match_hit *hit)
{
    char a[256], b[256];
    size_t na = nv_resolve_legal_key(vendor, a, sizeof a);

    if (hit->score >= 0.9995) /* equal once the screen normalises both */
        return NV_RESOLVE_LIST;
    return na < sizeof a && hit->matched &&
                   nv_resolve_legal_key(hit->matched, b, sizeof b) == na &&
                   memcmp(a, b, na) == 0
               ? NV_RESOLVE_LIST
               : NV_RESOLVE_FUZZY;
}

static enum nv_rc resolve_one(void *ctx, struct nv_model *m, const char *vendor,
                              uint32_t *entity, struct nv_err *err)
{
    struct resolving *r = ctx;
    struct nv_match_hit hit;
    enum nv_resolve_method how;
    uint32_t n;
    enum nv_rc rc = nv_matcher_screen(r->s->mt, vendor, &hit, 1, &n, err);

    nv_progress_add(r->s->progress, 1);
    *entity = NV_NONE;
    if (rc || !n || hit.band != NV_BAND_MATCH)
        return rc;
    how = method_of(vendor, &hit);
    if (how == NV_RESOLVE_FUZZY && r->s->strict)
        return nv_resolve_note(m, vendor, NV_NONE, NV_RESOLVE_REVIEW, hit.score,
                               hit.matched, err);
    rc = entity_for(r, m, hit.party, 0, err);
    if (!rc) {
        *entity = r->entity[hit.party];
        r->matched++;
        rc = nv_resolve_note(m, vendor, *entity, how, hit.score, hit.matched,
                             err);
    }
    return rc;
}

/* Makers the catalogue resolved before screening get the designation of
 * their listing, when their legal name is listed. */
static enum nv_rc designate_catalogued(struct nv_screen *s, struct nv_model *m,
                                       struct nv_err *err)
{
    for (uint32_t e = 0; e < NV_COUNT(m, NV_T_ENTITY); e++) {
        struct nv_entity *x = &NV_ENTITIES(m)[e];
        struct nv_match_hit hit;
        uint32_t n;
        enum nv_designation d;
        if (x->origin != NV_ORIGIN_CATALOGUE || !x->name)
            continue;
        if (nv_matcher_screen(s->mt, x->name, &hit, 1, &n, err))
            return err->rc;
        nv_progress_add(s->progress, 1);
        d = n && hit.band == NV_BAND_MATCH ? nv_screen_designation(s, hit.party)
                                           : NV_DESIG_TRUSTED;
        if (d > x->designation)
            x->designation = d;
    }
    return NV_OK;
}

enum nv_rc nv_screen_model(struct nv_screen *s, struct nv_model *m,
                           uint32_t *matched, struct nv_err *err)
{
    struct resolving r = {
        s, nv_calloc((size_t)s->lists.n + 1, sizeof(uint32_t)), 0};
    enum nv_rc rc;

    if (!r.entity)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < s->lists.n; i++)
        r.entity[i] = NV_NONE;
    nv_progress_begin(s->progress, "screening vendor names", NULL, 0);
    rc = designate_catalogued(s, m, err);
    if (!rc)
        rc = nv_resolve_with(m, resolve_one, &r, err);
    nv_progress_end(s->progress);
    nv_free(r.entity);
    *matched = r.matched;
    return rc;
}
