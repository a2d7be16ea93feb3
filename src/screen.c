/*
 * screen.c - lists and index together, and screening a model's vendors.
 */
#include "screen.h"

#include "alloc.h"
#include "resolve.h"

#include <stdio.h>
#include <string.h>

/* Index the names of parties with a local designation. */
static enum nv_rc index_local(struct nv_screen *s)
{
    struct nv_lists *l = &s->lists;

    for (uint32_t i = 0; i < l->n; i++) {
        const struct nv_party *p = &l->v[i];
        for (uint32_t a = 0; p->designation >= 0 && a < 2 + p->naliases; a++) {
            const char *name = a == 0   ? p->name
                               : a == 1 ? p->match_name
                                        : p->aliases[a - 2];
            char key[256];
            size_t n = name ? nv_resolve_key(name, key, sizeof key) : 0;
            const char *copy;
            uint32_t v;
            int found;
            if (n == 0 || n >= sizeof key)
                continue;
            copy = nv_arena_strndup(&l->arena, key, n);
            if (!copy || nv_strmap_put(&s->local, copy, n, i, &v, &found))
                return NV_ENOMEM;
        }
    }
    return NV_OK;
}

enum nv_rc nv_screen_open(struct nv_screen *s, const char *const *paths,
                          size_t n, struct nv_err *err)
{
    enum nv_rc rc = NV_OK;

    nv_lists_init(&s->lists);
    nv_strmap_init(&s->local);
    s->mt = NULL;
    for (size_t i = 0; i < n && !rc; i++)
        rc = nv_lists_load(&s->lists, paths[i], err);
    if (!rc)
        rc = nv_lists_link(&s->lists, err);
    if (!rc)
        rc = nv_matcher_new(&s->lists, &s->mt, err);
    if (!rc && index_local(s))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (rc)
        nv_screen_close(s);
    return rc;
}

void nv_screen_close(struct nv_screen *s)
{
    nv_matcher_free(s->mt);
    s->mt = NULL;
    nv_strmap_release(&s->local);
    nv_lists_release(&s->lists);
}

/* The local designation of the party named like party i, or -1. */
static int local_designation(const struct nv_screen *s, uint32_t i)
{
    const struct nv_party *p = &s->lists.v[i];
    char key[256];
    size_t n = nv_resolve_key(p->match_name ? p->match_name : p->name, key,
                              sizeof key);
    int64_t k = n < sizeof key ? nv_strmap_get(&s->local, key, n) : -1;

    return k < 0 ? -1 : s->lists.v[k].designation;
}

enum nv_designation nv_screen_designation(const struct nv_screen *s, uint32_t i)
{
    int d = local_designation(s, i);

    if (d < 0)
        d = local_designation(s, nv_lists_root(&s->lists, i));
    return d >= 0 ? (enum nv_designation)d : nv_lists_designation(&s->lists, i);
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
    size_t n = nv_resolve_key(p->match_name ? p->match_name : p->name, key,
                              sizeof key);

    for (uint32_t e = 0; n < sizeof key && e < NV_COUNT(m, NV_T_ENTITY); e++) {
        const struct nv_entity *x = &NV_ENTITIES(m)[e];
        const char *name = x->name ? x->name : x->id;
        if (nv_resolve_key(name, other, sizeof other) == n &&
            memcmp(key, other, n) == 0)
            return e;
    }
    return NV_NONE;
}

/* An id for a listed party: "listed:" and its name in lower case, with
 * a number added if another entity has it already. */
static void entity_id(const struct nv_model *m, const struct nv_party *p,
                      char *id, size_t size)
{
    char key[64];
    size_t n = nv_resolve_key(p->match_name ? p->match_name : p->name, key,
                              sizeof key);

    for (size_t i = 0; i < n && i < sizeof key; i++)
        key[i] = key[i] == ' ' ? '-' : key[i];
    snprintf(id, size, "listed:%s", key);
    for (int k = 2; nv_model_find(m, NV_T_ENTITY, id) != NV_NONE; k++)
        snprintf(id, size, "listed:%s-%d", key, k);
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
    if (r->entity[i] != NV_NONE)
        return NV_OK;
    if (p->parent != NV_NONE && depth < 16) {
        rc = entity_for(r, m, p->parent, depth + 1, err);
        parent = r->entity[p->parent];
    }
    entity_id(m, p, id, sizeof id);
    return rc ? rc
              : nv_model_add_entity(
                    m, id, p->match_name ? p->match_name : p->name, p->country,
                    nv_screen_designation(r->s, i), parent, &r->entity[i], err);
}

static enum nv_rc resolve_one(void *ctx, struct nv_model *m, const char *vendor,
                              uint32_t *entity, struct nv_err *err)
{
    struct resolving *r = ctx;
    struct nv_match_hit hit;
    uint32_t n;
    enum nv_rc rc = nv_matcher_screen(r->s->mt, vendor, &hit, 1, &n, err);

    *entity = NV_NONE;
    if (rc || !n || hit.band != NV_BAND_MATCH)
        return rc;
    rc = entity_for(r, m, hit.party, 0, err);
    if (!rc) {
        *entity = r->entity[hit.party];
        r->matched++;
    }
    return rc;
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
    rc = nv_resolve_with(m, resolve_one, &r, err);
    nv_free(r.entity);
    *matched = r.matched;
    return rc;
}
