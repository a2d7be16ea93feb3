/*
 * ftm.c - FollowTheMoney JSON lines (the OpenSanctions entity export).
 *
 * One entity a line: {"id": ..., "schema": ..., "properties": {"name":
 * [...], ...}, "datasets": [...]}.  Every property is an array of
 * strings.  Lines are parsed one at a time into a scratch arena that is
 * reset after each, so memory is bounded by the longest line; what a
 * party keeps is copied into the lists' arena.  Ownership lines may come
 * before or after the entities they name: they are kept by id and
 * resolved once the whole file is read.
 */
#include "screen/lists.h"

#include "core/alloc.h"
#include "core/json.h"
#include "core/parse.h"
#include "core/strmap.h"

#include <string.h>

#define FTM_LINE_MAX ((size_t)1 << 20) /* bytes of one entity */
#define FTM_VALUES_MAX 1000            /* values of one property */

struct owning {
    const char *owner, *asset; /* entity ids, in the lists' arena */
    double share;              /* percentage, or -1 when not given */
};

struct ftm {
    struct nv_lists *l;
    const char *file;
    struct nv_arena scratch; /* the current line's JSON tree */
    struct nv_strmap ids;    /* entity id -> party */
    struct owning *own;
    size_t nown, owncap;
    struct nv_json_doc doc; /* the current line, for errors */
    unsigned long line;
};

/* Schemas of organisations: inventories buy from these. */
static int organisation(const char *schema)
{
    static const char *const kinds[] = {"Company", "Organization",
                                        "LegalEntity", "PublicBody"};

    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(schema, kinds[i]) == 0)
            return 1;
    return 0;
}

/* The values of property key of props (an array of strings), or NULL. */
static const struct nv_json *values(const struct nv_json *props,
                                    const char *key)
{
    const struct nv_json *v = nv_json_get(props, key);
    return v && v->type == NV_JSON_ARRAY ? v : NULL;
}

/* Value i of v if it is a non-empty string, else NULL. */
static const char *value(const struct nv_json *v, size_t i)
{
    if (!v || i >= v->len || i >= FTM_VALUES_MAX ||
        v->u.items[i].type != NV_JSON_STRING || !v->u.items[i].len)
        return NULL;
    return v->u.items[i].u.str;
}

/* The values of v joined by "; " into the lists' arena, or NULL. */
static const char *joined(struct ftm *f, const struct nv_json *v)
{
    size_t n = 0, at = 0;
    char *s;

    for (size_t i = 0; v && i < v->len && i < 64; i++)
        n += value(v, i) ? strlen(value(v, i)) + 2 : 0;
    if (!n)
        return NULL;
    s = nv_arena_alloc(&f->l->arena, n);
    if (!s)
        return NULL;
    for (size_t i = 0; v && i < v->len && i < 64; i++) {
        const char *x = value(v, i);
        if (!x)
            continue;
        if (at) {
            memcpy(s + at, "; ", 2);
            at += 2;
        }
        memcpy(s + at, x, strlen(x));
        at += strlen(x);
    }
    s[at] = '\0';
    return s;
}

static char *copy(struct ftm *f, const char *s)
{
    return s ? nv_arena_strdup(&f->l->arena, s) : NULL;
}

/* Every value of property key as an alias of party p. */
static enum nv_rc add_names(struct ftm *f, uint32_t p,
                            const struct nv_json *props, const char *key)
{
    const struct nv_json *v = values(props, key);
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; v && i < v->len && i < FTM_VALUES_MAX && !rc; i++)
        if (value(v, i))
            rc = nv_lists_add_alias(f->l, p, value(v, i));
    return rc;
}

/* What an organisation's properties say about its party. */
static enum nv_rc describe(struct ftm *f, uint32_t p, const struct nv_json *e,
                           const struct nv_json *props)
{
    struct nv_party *x = &f->l->v[p];
    const char *country = value(values(props, "country"), 0);
    enum nv_rc rc;

    x->programs = joined(f, values(props, "topics"));
    x->source = joined(f, values(e, "datasets"));
    x->citation = copy(f, value(values(props, "sourceUrl"), 0));
    if (country && strlen(country) == 2) {
        char *cc = copy(f, country);
        for (int i = 0; cc && i < 2; i++)
            cc[i] = cc[i] >= 'a' && cc[i] <= 'z' ? (char)(cc[i] - 32) : cc[i];
        x->country = cc;
    }
    rc = add_names(f, p, props, "name");
    if (!rc)
        rc = add_names(f, p, props, "alias");
    return rc ? rc : add_names(f, p, props, "previousName");
}

static enum nv_rc add_organisation(struct ftm *f, const char *id,
                                   const struct nv_json *e,
                                   const struct nv_json *props)
{
    const char *name = copy(f, value(values(props, "name"), 0));
    const char *key;
    uint32_t p, slot;
    int fresh, found;
    enum nv_rc rc;

    if (!value(values(props, "name"), 0))
        return NV_OK; /* nothing to match */
    if (!name)
        return NV_ENOMEM;
    rc = nv_lists_add_party(f->l, "opensanctions", name, f->file, &p, &fresh);
    if (!rc && fresh)
        rc = describe(f, p, e, props);
    key = rc ? NULL : copy(f, id);
    if (!rc && !key)
        rc = NV_ENOMEM;
    if (!rc && nv_strmap_put(&f->ids, key, strlen(key), p, &slot, &found))
        rc = NV_ENOMEM;
    return rc;
}

static enum nv_rc add_ownership(struct ftm *f, const struct nv_json *props)
{
    const char *owner = value(values(props, "owner"), 0);
    const char *asset = value(values(props, "asset"), 0);
    const char *pct = value(values(props, "percentage"), 0);
    double share = -1;

    if (!owner || !asset)
        return NV_OK;
    if (pct && nv_parse_double(pct, strlen(pct), &share))
        share = -1; /* "majority", "50-75%": an owner of unknown share */
    if (nv_array_reserve(&f->own, &f->owncap, f->nown + 1, sizeof *f->own))
        return NV_ENOMEM;
    f->own[f->nown].owner = copy(f, owner);
    f->own[f->nown].asset = copy(f, asset);
    f->own[f->nown].share = share;
    if (!f->own[f->nown].owner || !f->own[f->nown].asset)
        return NV_ENOMEM;
    f->nown++;
    return NV_OK;
}

/* One entity, parsed. */
static enum nv_rc read_entity(struct ftm *f, const struct nv_json *e,
                              struct nv_err *err)
{
    const struct nv_json *id, *schema, *props;
    enum nv_rc rc;

    if (e->type != NV_JSON_OBJECT)
        return nv_json_error_at(err, NV_EPARSE, f->doc.text, f->doc.len,
                                f->doc.name, e->off,
                                "an entity must be an object");
    rc = nv_json_member(&f->doc, e, "id", NV_JSON_STRING, 1, &id, err);
    if (!rc)
        rc = nv_json_member(&f->doc, e, "schema", NV_JSON_STRING, 1, &schema,
                            err);
    if (!rc)
        rc = nv_json_member(&f->doc, e, "properties", NV_JSON_OBJECT, 0, &props,
                            err);
    if (rc || !props)
        return rc;
    if (strcmp(schema->u.str, "Ownership") == 0)
        rc = add_ownership(f, props);
    else if (organisation(schema->u.str))
        rc = add_organisation(f, id->u.str, e, props);
    return rc == NV_ENOMEM ? nv_err_set(err, rc, "out of memory") : rc;
}

/* Parse the line text[0..n), which starts on line f->line. */
static enum nv_rc read_line(struct ftm *f, const char *text, size_t n,
                            struct nv_err *err)
{
    struct nv_json *e;
    enum nv_rc rc;

    if (n > FTM_LINE_MAX)
        return nv_err_at(err, NV_ELIMIT, f->file, f->line, 1,
                         "an entity of more than %zu bytes", FTM_LINE_MAX);
    f->doc = (struct nv_json_doc){text, f->file, n};
    nv_arena_reset(&f->scratch);
    rc = nv_json_parse(text, n, f->file, &f->scratch, &e, err);
    if (!rc)
        rc = read_entity(f, e, err);
    if (rc && err->line) /* positions are within the line */
        err->line += f->line - 1;
    return rc;
}

/* Each asset's parent: the owner with the largest known share. */
static enum nv_rc resolve_owners(struct ftm *f)
{
    double *best = nv_calloc(f->l->n + 1, sizeof *best);

    if (!best)
        return NV_ENOMEM;
    for (size_t i = 0; i < f->nown; i++) {
        const struct owning *o = &f->own[i];
        int64_t a = nv_strmap_get(&f->ids, o->asset, strlen(o->asset));
        int64_t w = nv_strmap_get(&f->ids, o->owner, strlen(o->owner));
        if (a < 0 || w < 0 || a == w ||
            (f->l->v[a].parent_name && o->share <= best[a]))
            continue;
        f->l->v[a].parent_name = f->l->v[w].name;
        best[a] = o->share;
    }
    nv_free(best);
    return NV_OK;
}

enum nv_rc nv_lists_load_ftm(struct nv_lists *l, const char *name,
                             const char *text, size_t len, struct nv_err *err)
{
    struct ftm f = {.l = l, .line = 1};
    enum nv_rc rc = NV_OK;
    size_t at = 0;

    nv_arena_init(&f.scratch);
    nv_strmap_init(&f.ids);
    f.file = nv_arena_strdup(&l->arena, name);
    if (!f.file)
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    while (!rc && at < len) {
        const char *end = memchr(text + at, '\n', len - at);
        size_t n = end ? (size_t)(end - (text + at)) : len - at;
        size_t k = 0;
        while (k < n && strchr(" \t\r", text[at + k]))
            k++;
        if (k < n)
            rc = read_line(&f, text + at, n, err);
        at += n + 1;
        f.line++;
    }
    if (!rc && resolve_owners(&f))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    nv_free(f.own);
    nv_strmap_release(&f.ids);
    nv_arena_release(&f.scratch);
    return rc;
}
