/*
 * resolve.c - vendor strings to entities.
 */
#include "model/resolve.h"

#include "core/alloc.h"

#include <string.h>

#define KEY_MAX 512

size_t nv_resolve_key(const char *s, char *out, size_t size)
{
    size_t n = 0;
    int gap = 0;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   (c >= 'A' && c <= 'Z') || c >= 0x80;
        if (!word) {
            gap = n > 0;
            continue;
        }
        if (gap && n + 1 < size)
            out[n] = ' ';
        n += gap;
        gap = 0;
        if (n + 1 < size)
            out[n] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        n++;
    }
    if (size)
        out[n < size ? n : size - 1] = '\0';
    return n;
}

/* File key(name) -> entity e in the map; keys live in the model arena. */
static enum nv_rc add_name(struct nv_model *m, struct nv_strmap *map,
                           const char *name, uint32_t e)
{
    char key[KEY_MAX];
    size_t n = nv_resolve_key(name, key, sizeof key);
    const char *copy;
    uint32_t v;
    int found;

    if (n == 0 || n >= sizeof key)
        return NV_OK;
    copy = nv_arena_strndup(&m->arena, key, n);
    if (!copy || nv_strmap_put(map, copy, n, e, &v, &found))
        return NV_ENOMEM;
    return NV_OK;
}

static enum nv_rc index_entities(struct nv_model *m, struct nv_strmap *map)
{
    const struct nv_entity *e = NV_ENTITIES(m);
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_ENTITY) && !rc; i++) {
        rc = add_name(m, map, e[i].id, i);
        if (!rc && e[i].name)
            rc = add_name(m, map, e[i].name, i);
        for (uint32_t k = 0; k < e[i].aliases.n && !rc; k++)
            rc = add_name(m, map, e[i].aliases.v[k], i);
    }
    return rc;
}

enum nv_rc nv_resolve_exact(struct nv_model *m, struct nv_err *err)
{
    struct nv_asset *a = NV_ASSETS(m);
    struct nv_strmap map;
    enum nv_rc rc;

    nv_strmap_init(&map);
    rc = index_entities(m, &map);
    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_ASSET) && !rc; i++) {
        char key[KEY_MAX];
        size_t n;
        int64_t e;
        if (!a[i].vendor)
            continue;
        n = nv_resolve_key(a[i].vendor, key, sizeof key);
        e = n < sizeof key ? nv_strmap_get(&map, key, n) : -1;
        a[i].entity = e < 0 ? NV_NONE : (uint32_t)e;
    }
    nv_strmap_release(&map);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}

/* Ask fn about vendor unless an earlier asset had the same string. */
static enum nv_rc ask_once(struct nv_model *m, nv_resolve_fn fn, void *ctx,
                           struct nv_strmap *asked, uint32_t **answers,
                           const char *vendor, uint32_t *e, struct nv_err *err)
{
    uint32_t k, *grown;
    int found;
    enum nv_rc rc;

    if (nv_strmap_put(asked, vendor, strlen(vendor), (uint32_t)asked->count, &k,
                      &found))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    if (found) {
        *e = (*answers)[k];
        return NV_OK;
    }
    grown = nv_reallocarray(*answers, asked->count, sizeof *grown);
    if (!grown)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    *answers = grown;
    rc = fn(ctx, m, vendor, &grown[k], err);
    *e = grown[k];
    return rc;
}

enum nv_rc nv_resolve_with(struct nv_model *m, nv_resolve_fn fn, void *ctx,
                           struct nv_err *err)
{
    struct nv_strmap asked;
    uint32_t *answers = NULL;
    enum nv_rc rc = NV_OK;

    nv_strmap_init(&asked);
    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_ASSET) && !rc; i++) {
        struct nv_asset *a = &NV_ASSETS(m)[i];
        if (a->vendor && a->entity == NV_NONE)
            rc = ask_once(m, fn, ctx, &asked, &answers, a->vendor, &a->entity,
                          err);
    }
    nv_free(answers);
    nv_strmap_release(&asked);
    return rc;
}
