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
#include <stdlib.h>
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

/*
 * Links have no id.  Each is keyed by its two ends, as asset numbers of
 * the new model (an old asset the new model lacks gets a number past
 * them), smaller first; links of both models sorted by key and position
 * are paired in order, so parallel links match by their rank among the
 * links between the same ends.
 */
struct link_end {
    uint32_t lo, hi, link;
};

static int by_ends(const void *x, const void *y)
{
    const struct link_end *a = x, *b = y;

    if (a->lo != b->lo)
        return a->lo < b->lo ? -1 : 1;
    if (a->hi != b->hi)
        return a->hi < b->hi ? -1 : 1;
    return a->link < b->link ? -1 : a->link > b->link;
}

/* The sorted keys of m's links; amap maps m's assets to key numbers
 * (NULL: they are their own). */
static struct link_end *link_ends(const struct nv_model *m,
                                  const uint32_t *amap)
{
    uint32_t n = NV_COUNT(m, NV_T_LINK);
    struct link_end *e = nv_calloc((size_t)n + 1, sizeof *e);

    for (uint32_t i = 0; e && i < n; i++) {
        const struct nv_link *l = &NV_LINKS(m)[i];
        uint32_t a = amap ? amap[l->a.idx] : l->a.idx;
        uint32_t b = amap ? amap[l->b.idx] : l->b.idx;
        e[i] = (struct link_end){a < b ? a : b, a < b ? b : a, i};
    }
    if (e && n)
        qsort(e, n, sizeof *e, by_ends);
    return e;
}

/* Pair the sorted keys: match[0][old link] and match[1][new link] get
 * the other's link, or NV_NONE. */
static void pair_links(const struct link_end *ea, uint32_t na,
                       const struct link_end *eb, uint32_t nb,
                       uint32_t *match[2])
{
    uint32_t i = 0, j = 0;

    for (uint32_t k = 0; k < na; k++)
        match[0][k] = NV_NONE;
    for (uint32_t k = 0; k < nb; k++)
        match[1][k] = NV_NONE;
    while (i < na && j < nb) {
        int c = ea[i].lo != eb[j].lo   ? (ea[i].lo < eb[j].lo ? -1 : 1)
                : ea[i].hi != eb[j].hi ? (ea[i].hi < eb[j].hi ? -1 : 1)
                                       : 0;
        if (c == 0) {
            match[0][ea[i].link] = eb[j].link;
            match[1][eb[j].link] = ea[i].link;
        }
        i += c <= 0;
        j += c >= 0;
    }
}

/* match[0] and match[1] (free with nv_free) for the links of a and b. */
static enum nv_rc match_links(const struct nv_model *a,
                              const struct nv_model *b, uint32_t *match[2])
{
    uint32_t na = NV_COUNT(a, NV_T_LINK), nb = NV_COUNT(b, NV_T_LINK);
    uint32_t nassets = NV_COUNT(a, NV_T_ASSET);
    uint32_t *amap = nv_calloc((size_t)nassets + 1, sizeof *amap);
    struct link_end *ea = NULL, *eb = NULL;
    enum nv_rc rc = NV_ENOMEM;

    for (uint32_t i = 0; amap && i < nassets; i++) {
        uint32_t j = nv_model_find(b, NV_T_ASSET, NV_ASSETS(a)[i].id);
        amap[i] = j != NV_NONE ? j : NV_COUNT(b, NV_T_ASSET) + i;
    }
    ea = amap ? link_ends(a, amap) : NULL;
    eb = ea ? link_ends(b, NULL) : NULL;
    match[0] = nv_calloc((size_t)na + 1, sizeof *match[0]);
    match[1] = nv_calloc((size_t)nb + 1, sizeof *match[1]);
    if (eb && match[0] && match[1]) {
        pair_links(ea, na, eb, nb, match);
        rc = NV_OK;
    }
    nv_free(amap);
    nv_free(ea);
    nv_free(eb);
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

/* The matching record of b for record i of a, or NV_NONE; links is the
 * link match from a to b. */
static uint32_t match(const struct nv_model *a, const struct nv_model *b,
                      enum nv_table t, uint32_t i, const uint32_t *links)
{
    if (t == NV_T_LINK)
        return links[i];
    return nv_model_find(b, t, id_of(t, record(a, t, i)));
}

static enum nv_rc diff_table(const struct nv_model *a, const struct nv_model *b,
                             enum nv_table t, uint32_t *const links[2],
                             struct nv_mdiff *d, size_t *cap)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < NV_COUNT(a, t) && !rc; i++) {
        uint32_t j = match(a, b, t, i, links[0]), bits;
        if (j == NV_NONE) {
            rc = push(d, cap, t, NV_MDIFF_REMOVED, i, NV_NONE, 0);
            continue;
        }
        bits = changed_fields(t, record(a, t, i), record(b, t, j));
        if (bits)
            rc = push(d, cap, t, NV_MDIFF_CHANGED, i, j, bits);
    }
    for (uint32_t j = 0; j < NV_COUNT(b, t) && !rc; j++)
        if (match(b, a, t, j, links[1]) == NV_NONE)
            rc = push(d, cap, t, NV_MDIFF_ADDED, NV_NONE, j, 0);
    return rc;
}

enum nv_rc nv_mdiff_compute(const struct nv_model *a, const struct nv_model *b,
                            struct nv_mdiff *d, struct nv_err *err)
{
    struct nv_mdiff out = {0};
    uint32_t *links[2] = {NULL, NULL};
    size_t cap = 0;
    enum nv_rc rc = match_links(a, b, links);

    for (int t = 0; t < NV_T_COUNT && !rc; t++)
        rc = diff_table(a, b, (enum nv_table)t, links, &out, &cap);
    nv_free(links[0]);
    nv_free(links[1]);
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
