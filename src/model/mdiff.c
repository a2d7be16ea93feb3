/*
 * mdiff.c - the differences between two models (mdiff.h).
 *
 * One pass per table: each old record is looked up in the new model by
 * its key (removed, or compared field by field), then each new record in
 * the old model (added).  Cost: linear in the records, with hash lookups.
 */
#include "model/mdiff.h"

#include "core/alloc.h"
#include "core/parse.h"
#include "model/schema.h"

#include <math.h>
#include <string.h>

const char *const nv_mdiff_kind_names[3] = {"added", "removed", "changed"};

static const void *record(const struct nv_model *m, enum nv_table t, uint32_t i)
{
    return (const char *)m->t[t].v + (size_t)i * nv_schemas[t].size;
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int same_field(const struct nv_field *f, const void *pa, const void *pb)
{
    const struct nv_strs *sa = pa, *sb = pb;
    const struct nv_refs *ra = pa, *rb = pb;
    double da, db;

    switch (f->type) {
    case NV_F_STR:
        return same_str(*(const char *const *)pa, *(const char *const *)pb);
    case NV_F_NUM:
        da = *(const double *)pa;
        db = *(const double *)pb;
        return da == db || (isnan(da) && isnan(db));
    case NV_F_INT:
        return *(const int64_t *)pa == *(const int64_t *)pb;
    case NV_F_BOOL:
    case NV_F_ENUM:
        return *(const int *)pa == *(const int *)pb;
    case NV_F_REF:
        return same_str(((const struct nv_ref *)pa)->id,
                        ((const struct nv_ref *)pb)->id);
    case NV_F_STRS:
        for (uint32_t i = 0; sa->n == sb->n && i < sa->n; i++)
            if (!same_str(sa->v[i], sb->v[i]))
                return 0;
        return sa->n == sb->n;
    case NV_F_REFS:
        for (uint32_t i = 0; ra->n == rb->n && i < ra->n; i++)
            if (!same_str(ra->v[i].id, rb->v[i].id))
                return 0;
        return ra->n == rb->n;
    }
    return 1;
}

/* Bit i set when field i of the two records differs. */
static uint32_t changed_fields(enum nv_table t, const void *ra, const void *rb)
{
    const struct nv_schema *s = &nv_schemas[t];
    uint32_t bits = 0;

    for (int i = 0; i < s->nfields; i++) {
        size_t off = s->fields[i].offset;
        /* A link's ends are its key, in either order. */
        if (t == NV_T_LINK && s->fields[i].type == NV_F_REF)
            continue;
        if (!same_field(&s->fields[i], (const char *)ra + off,
                        (const char *)rb + off))
            bits |= 1u << i;
    }
    return bits;
}

static enum nv_rc push(struct nv_mdiff *d, size_t *cap, enum nv_table t,
                       enum nv_mdiff_kind k, uint32_t a, uint32_t b,
                       uint32_t fields)
{
    if (nv_array_reserve(&d->v, cap, (size_t)d->n + 1, sizeof *d->v))
        return NV_ENOMEM;
    d->v[d->n++] = (struct nv_mdiff_item){t, k, a, b, fields};
    d->count[t][k]++;
    return NV_OK;
}

/* Links are keyed "LO\x1fHI\x1fRANK": their ends in order, and which of
 * the parallel links between them it is. */
struct link_keys {
    struct nv_arena arena;
    struct nv_strmap ends; /* "LO\x1fHI" -> a dense pair number */
    uint32_t *seen;        /* per pair number: links met so far */
    struct nv_strmap keys; /* key -> link index */
    const char **key;      /* per link */
};

static enum nv_rc link_key(struct link_keys *k, const struct nv_link *l,
                           uint32_t i, struct nv_buf *b)
{
    const char *lo = l->a.id, *hi = l->b.id;
    uint32_t pair;
    int found;
    char *ends;

    if (strcmp(lo, hi) > 0) {
        lo = l->b.id;
        hi = l->a.id;
    }
    nv_buf_reset(b);
    if (nv_buf_addf(b, "%s\x1f%s", lo, hi))
        return NV_ENOMEM;
    ends = nv_arena_strndup(&k->arena, b->data, b->len);
    if (!ends || nv_strmap_put(&k->ends, ends, b->len, (uint32_t)k->ends.count,
                               &pair, &found))
        return NV_ENOMEM;
    if (nv_buf_addf(b, "\x1f%u", k->seen[pair]++))
        return NV_ENOMEM;
    k->key[i] = nv_arena_strndup(&k->arena, b->data, b->len);
    return k->key[i] ? NV_OK : NV_ENOMEM;
}

static void link_keys_release(struct link_keys *k)
{
    nv_strmap_release(&k->ends);
    nv_strmap_release(&k->keys);
    nv_free(k->seen);
    nv_free(k->key);
    nv_arena_release(&k->arena);
}

/* The keys of every link of m, and a map back to them. */
static enum nv_rc link_keys_build(const struct nv_model *m, struct link_keys *k)
{
    uint32_t n = NV_COUNT(m, NV_T_LINK), v;
    struct nv_buf b;
    enum nv_rc rc = NV_OK;
    int found;

    memset(k, 0, sizeof *k);
    nv_arena_init(&k->arena);
    nv_strmap_init(&k->ends);
    nv_strmap_init(&k->keys);
    nv_buf_init(&b, (size_t)1 << 20);
    k->seen = nv_calloc((size_t)n + 1, sizeof *k->seen);
    k->key = nv_calloc((size_t)n + 1, sizeof *k->key);
    if (!k->seen || !k->key)
        rc = NV_ENOMEM;
    for (uint32_t i = 0; i < n && !rc; i++)
        rc = link_key(k, &NV_LINKS(m)[i], i, &b);
    for (uint32_t i = 0; i < n && !rc; i++)
        rc = nv_strmap_put(&k->keys, k->key[i], strlen(k->key[i]), i, &v,
                           &found);
    nv_buf_release(&b);
    return rc;
}

/* The id of record rec of table t (links have none: NULL). */
static const char *id_of(enum nv_table t, const void *rec)
{
    const struct nv_schema *s = &nv_schemas[t];

    for (int i = 0; i < s->nfields; i++)
        if (s->fields[i].flags & NV_F_ID)
            return *(const char *const *)((const char *)rec +
                                          s->fields[i].offset);
    return NULL;
}

/* The matching record of b for record i of a, or NV_NONE. */
static uint32_t match(const struct nv_model *a, const struct nv_model *b,
                      enum nv_table t, uint32_t i,
                      const struct link_keys *keys[2])
{
    int64_t j;

    if (t != NV_T_LINK)
        return nv_model_find(b, t, id_of(t, record(a, t, i)));
    j = nv_strmap_get(&keys[1]->keys, keys[0]->key[i], strlen(keys[0]->key[i]));
    return j < 0 ? NV_NONE : (uint32_t)j;
}

static enum nv_rc diff_table(const struct nv_model *a, const struct nv_model *b,
                             enum nv_table t, const struct link_keys *keys[2],
                             struct nv_mdiff *d, size_t *cap)
{
    const struct link_keys *back[2] = {keys[1], keys[0]};
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < NV_COUNT(a, t) && !rc; i++) {
        uint32_t j = match(a, b, t, i, keys), bits;
        if (j == NV_NONE) {
            rc = push(d, cap, t, NV_MDIFF_REMOVED, i, NV_NONE, 0);
            continue;
        }
        bits = changed_fields(t, record(a, t, i), record(b, t, j));
        if (bits)
            rc = push(d, cap, t, NV_MDIFF_CHANGED, i, j, bits);
    }
    for (uint32_t j = 0; j < NV_COUNT(b, t) && !rc; j++)
        if (match(b, a, t, j, back) == NV_NONE)
            rc = push(d, cap, t, NV_MDIFF_ADDED, NV_NONE, j, 0);
    return rc;
}

enum nv_rc nv_mdiff_compute(const struct nv_model *a, const struct nv_model *b,
                            struct nv_mdiff *d, struct nv_err *err)
{
    struct nv_mdiff out = {0};
    struct link_keys ka, kb;
    const struct link_keys *keys[2] = {&ka, &kb};
    size_t cap = 0;
    enum nv_rc rc = link_keys_build(a, &ka);
    enum nv_rc rc_b = link_keys_build(b, &kb); /* always: both are released */

    rc = rc ? rc : rc_b;
    for (int t = 0; t < NV_T_COUNT && !rc; t++)
        rc = diff_table(a, b, (enum nv_table)t, keys, &out, &cap);
    link_keys_release(&ka);
    link_keys_release(&kb);
    if (rc) {
        nv_mdiff_release(&out);
        return nv_err_set(err, rc, "out of memory");
    }
    *d = out;
    return NV_OK;
}

void nv_mdiff_release(struct nv_mdiff *d)
{
    nv_free(d->v);
    memset(d, 0, sizeof *d);
}

enum nv_rc nv_mdiff_key(const struct nv_model *m, enum nv_table t, uint32_t i,
                        struct nv_buf *out)
{
    const struct nv_link *l;

    if (t != NV_T_LINK)
        return nv_buf_adds(out, id_of(t, record(m, t, i)));
    l = &NV_LINKS(m)[i];
    return nv_buf_addf(out, "%s -- %s", l->a.id, l->b.id);
}

static enum nv_rc add_list(struct nv_buf *out, const char *const *v,
                           const struct nv_ref *r, uint32_t n)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < n && !rc; i++)
        rc = nv_buf_addf(out, "%s%s", i ? ";" : "", v ? v[i] : r[i].id);
    return rc;
}

enum nv_rc nv_mdiff_value(const struct nv_model *m, enum nv_table t, uint32_t i,
                          int f, struct nv_buf *out)
{
    const struct nv_field *fd = &nv_schemas[t].fields[f];
    const void *p = (const char *)record(m, t, i) + fd->offset;
    const char *s;
    char num[32];

    switch (fd->type) {
    case NV_F_STR:
        s = *(const char *const *)p;
        return nv_buf_adds(out, s ? s : "");
    case NV_F_NUM:
        nv_format_double(*(const double *)p, num);
        return nv_buf_adds(out, num);
    case NV_F_INT:
        return nv_buf_addf(out, "%lld", (long long)*(const int64_t *)p);
    case NV_F_BOOL:
        return nv_buf_adds(out, *(const int *)p ? "true" : "false");
    case NV_F_ENUM:
        return nv_buf_adds(out, fd->names[*(const int *)p]);
    case NV_F_REF:
        s = ((const struct nv_ref *)p)->id;
        return nv_buf_adds(out, s ? s : "");
    case NV_F_STRS:
        return add_list(out, ((const struct nv_strs *)p)->v, NULL,
                        ((const struct nv_strs *)p)->n);
    case NV_F_REFS:
        return add_list(out, NULL, ((const struct nv_refs *)p)->v,
                        ((const struct nv_refs *)p)->n);
    }
    return NV_OK;
}
