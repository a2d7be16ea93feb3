/*
 * snapshot.c - reading a binary snapshot, and the layout both sides share.
 *
 * Nothing in the file is trusted: the header, every section's place and
 * size, every pointer, index, enum and number is checked before the model
 * uses it, and a failure names the file and the byte.  The checks are one
 * pass over the records in file order, and one over the string region for
 * UTF-8.  The records, lists and strings then stay where they lie in the
 * private mapping, which the model owns (a table is copied out only if it
 * grows); what is built is the graph and the id maps, on two threads.  The
 * checksum is for damage and is checked on request (nv_snapshot_verify):
 * it costs more than the rest of a load.
 */
#include "model/snapshot.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "core/strmap.h"
#include "core/threads.h"
#include "model/load.h"
#include "model/snapshot_int.h"

#include <math.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

size_t nv_snapshot_header_size(void)
{
    return sizeof(struct nv_snap_header);
}

int nv_snapshot_is(const void *data, size_t n)
{
    return n >= 8 && memcmp(data, NV_SNAP_MAGIC, 8) == 0;
}

int nv_snapshot_file_is(const char *path)
{
    char head[8];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;

    if (f)
        fclose(f);
    return nv_snapshot_is(head, n);
}

size_t nv_snap_elem_size(enum nv_snap_sec s)
{
    if (s >= NV_SEC_TABLE && s < NV_SEC_TABLE + NV_T_COUNT)
        return nv_schemas[s - NV_SEC_TABLE].size;
    if (s >= NV_SEC_INDEX && s < NV_SEC_INDEX + NV_T_COUNT)
        return sizeof(uint32_t);
    switch (s) {
    case NV_SEC_SOURCES:
        return sizeof(uint64_t);
    case NV_SEC_OVERRIDES:
        return sizeof(struct nv_override);
    case NV_SEC_VRES:
        return sizeof(struct nv_vendor_res);
    default:
        return 1; /* the string and array regions count bytes */
    }
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 31);
}

uint64_t nv_snap_layout(void)
{
    uint64_t h = mix(sizeof(void *), sizeof(size_t));

    for (int t = 0; t < NV_T_COUNT; t++) {
        const struct nv_schema *s = &nv_schemas[t];
        h = mix(h, s->size);
        for (int i = 0; i < s->nfields; i++) {
            h = mix(
                h, nv_hash_bytes(s->fields[i].name, strlen(s->fields[i].name)));
            h = mix(h, s->fields[i].offset * 16 + s->fields[i].type);
        }
    }
    for (int s = NV_SEC_SOURCES; s < NV_SEC_COUNT; s++)
        h = mix(h, nv_snap_elem_size((enum nv_snap_sec)s));
    return mix(h, sizeof(struct nv_entity) + sizeof(struct nv_asset));
}

void nv_snap_sum_init(struct nv_snap_sum *s)
{
    static const uint64_t seed[4] = {0x9E3779B97F4A7C15ULL, 1, 2, 3};

    memcpy(s->h, seed, sizeof s->h);
    s->npend = 0;
    s->total = 0;
}

/* One block of 32 bytes, 8 to each lane. */
static void sum_block(struct nv_snap_sum *s, const unsigned char *p)
{
    for (int i = 0; i < 4; i++) {
        uint64_t w;
        memcpy(&w, p + 8 * i, 8);
        s->h[i] = mix(s->h[i], w);
    }
}

void nv_snap_sum_add(struct nv_snap_sum *s, const void *data, size_t n)
{
    const unsigned char *p = data;

    s->total += n;
    if (s->npend) {
        size_t take = n < 32 - s->npend ? n : 32 - s->npend;
        memcpy(s->pend + s->npend, p, take);
        s->npend += take;
        p += take;
        n -= take;
        if (s->npend < 32)
            return;
        sum_block(s, s->pend);
        s->npend = 0;
    }
    for (; n >= 32; p += 32, n -= 32)
        sum_block(s, p);
    memcpy(s->pend, p, n);
    s->npend = n;
}

uint64_t nv_snap_sum_end(struct nv_snap_sum *s)
{
    uint64_t h = s->total;

    memset(s->pend + s->npend, 0, 32 - s->npend);
    sum_block(s, s->pend);
    for (int i = 0; i < 4; i++)
        h = mix(h, s->h[i]);
    return h;
}

uint64_t nv_snapshot_checksum(const void *data, size_t n)
{
    struct nv_snap_sum s;

    nv_snap_sum_init(&s);
    nv_snap_sum_add(&s, data, n);
    return nv_snap_sum_end(&s);
}

enum nv_rc nv_snap_walk(enum nv_table t, char *rec,
                        const struct nv_snap_visit *v)
{
    const struct nv_schema *s = &nv_schemas[t];
    enum nv_rc rc = NV_OK;

    for (int i = 0; i < s->nfields && !rc; i++) {
        const struct nv_field *f = &s->fields[i];
        void *p = rec + f->offset;
        if (f->type == NV_F_STR)
            rc = v->str(v->ctx, p);
        else if (f->type == NV_F_STRS)
            rc = v->strs(v->ctx, p);
        else if (f->type == NV_F_REF)
            rc = v->ref(v->ctx, p, f->target);
        else if (f->type == NV_F_REFS)
            rc = v->refs(v->ctx, p, f->target);
    }
    return rc;
}

/* ---- reading ---- */

struct reader {
    const char *name;
    unsigned char *data; /* the file, in a private mapping or the heap */
    size_t n;
    struct nv_snap_header h;
    uint32_t count[NV_T_COUNT]; /* each table's records */
    uint64_t str_lo, str_hi;    /* the string region, as pointers in the file */
    uint64_t arr_hi;            /* where the list region ends, likewise */
    uint64_t next_array;        /* where the next list must begin */
    uint64_t delta;             /* data's address - the base, added to every
                                   pointer when the file lies elsewhere */
    uint64_t at;                /* the byte being checked, for messages */
    uint32_t transit_bit;       /* the asset field "transit" */
    struct nv_model *m;
    struct nv_err *err;
};

static enum nv_rc bad(struct reader *r, const char *what)
{
    return nv_err_at(r->err, NV_EPARSE, r->name, 0, 0, "byte %llu: %s",
                     (unsigned long long)r->at, what);
}

static uint64_t load64(const void *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

/* The section's bytes, after checking that they lie inside the file. */
static unsigned char *section(struct reader *r, enum nv_snap_sec s)
{
    const struct nv_snap_section *sec = &r->h.sec[s];
    size_t size = nv_snap_elem_size(s);

    r->at = offsetof(struct nv_snap_header, sec) + s * sizeof *sec;
    if (sec->off % 8 || sec->off < sizeof r->h || sec->off > r->n ||
        sec->count > (r->n - sec->off) / size) {
        bad(r, "a section lies outside the file");
        return NULL;
    }
    return r->data + sec->off;
}

static enum nv_rc read_header(struct reader *r)
{
    r->at = 0;
    if (r->n < sizeof r->h || !nv_snapshot_is(r->data, r->n))
        return bad(r, "not a netvet binary snapshot");
    memcpy(&r->h, r->data, sizeof r->h);
    if (r->h.byte_order != NV_SNAP_BYTE_ORDER)
        return bad(r, "written on a machine of the other byte order");
    if (r->h.version != NV_SNAP_VERSION) {
        nv_err_at(r->err, NV_EPARSE, r->name, 0, 0,
                  "byte 0: snapshot version %u; this netvet reads version %u: "
                  "save it again from its JSON model",
                  (unsigned)r->h.version, NV_SNAP_VERSION);
        return r->err->rc;
    }
    if (r->h.layout != nv_snap_layout() || r->h.base != NV_SNAP_BASE)
        return bad(r, "written by a netvet build with other record layouts; "
                      "save it again from its JSON model");
    if (r->h.length != r->n)
        return bad(r, "truncated or extended: the length differs from the "
                      "header's");
    return NV_OK;
}

/* Every section lies inside the file, each after the last in the order
 * of the file: none overlaps another, so what is written to one (a
 * record's field, a moved pointer) changes nothing in another. */
static enum nv_rc check_layout(struct reader *r)
{
    uint64_t end = sizeof r->h;

    for (int k = 0; k < NV_SEC_COUNT; k++) {
        enum nv_snap_sec s =
            (enum nv_snap_sec)((k + NV_SEC_TABLE) % NV_SEC_COUNT);
        if (!section(r, s))
            return r->err->rc;
        if (r->h.sec[s].off < end)
            return bad(r, "two sections overlap");
        end = r->h.sec[s].off + r->h.sec[s].count * nv_snap_elem_size(s);
    }
    return NV_OK;
}

/* Whether pointer v of the file is NULL or leads to the start of a
 * string of the string region. */
static int str_ok(const struct reader *r, uint64_t v)
{
    return v == 0 ||
           (v >= r->str_lo && v < r->str_hi &&
            (v == r->str_lo || r->data[v - NV_SNAP_BASE - 1] == '\0'));
}

static enum nv_rc r_str(void *ctx, const char **slot)
{
    struct reader *r = ctx;

    return str_ok(r, load64(slot))
               ? NV_OK
               : bad(r, "a string pointer leads to no string");
}

/* Check that the list of n elements of size bytes that pointer v leads to
 * starts where the previous one ended, and claim it. */
static enum nv_rc claim_list(struct reader *r, uint64_t v, uint32_t n,
                             size_t size)
{
    if (n == 0 && v == 0)
        return NV_OK;
    if (v == 0 || v != r->next_array || n > (r->arr_hi - r->next_array) / size)
        return bad(r, "a list does not lie where the previous one ended");
    r->next_array += (uint64_t)n * size;
    return NV_OK;
}

/* The bytes in the file of the list that pointer v leads to. */
static const unsigned char *list_at(const struct reader *r, uint64_t v)
{
    return r->data + (v - NV_SNAP_BASE);
}

static enum nv_rc r_strs(void *ctx, struct nv_strs *l)
{
    struct reader *r = ctx;
    uint64_t v = load64(&l->v);
    const unsigned char *e;

    if (claim_list(r, v, l->n, sizeof(uint64_t)))
        return r->err->rc;
    e = list_at(r, v);
    for (uint32_t i = 0; i < l->n; i++, e += sizeof(uint64_t))
        if (!load64(e) || !str_ok(r, load64(e)))
            return bad(r, "a list holds no string");
    return NV_OK;
}

/* The pointer to the id of record idx of table t, as the file holds it. */
static uint64_t id_of(const struct reader *r, enum nv_table t, uint32_t idx)
{
    const struct nv_schema *s = &nv_schemas[t];

    return load64(r->data + r->h.sec[NV_SEC_TABLE + t].off +
                  (size_t)idx * s->size + s->fields[0].offset);
}

/* A reference names no record and has no id, or names a record of its
 * table and has that record's very id. */
static enum nv_rc check_ref(struct reader *r, const struct nv_ref *ref,
                            enum nv_table target)
{
    uint64_t id = load64(&ref->id);

    if (ref->idx == NV_NONE
            ? id != 0
            : ref->idx >= r->count[target] || id != id_of(r, target, ref->idx))
        return bad(r, "a reference names no record");
    return NV_OK;
}

static enum nv_rc r_ref(void *ctx, struct nv_ref *ref, enum nv_table target)
{
    return check_ref(ctx, ref, target);
}

static enum nv_rc r_refs(void *ctx, struct nv_refs *l, enum nv_table target)
{
    struct reader *r = ctx;
    uint64_t v = load64(&l->v);
    const struct nv_ref *e;

    if (claim_list(r, v, l->n, sizeof(struct nv_ref)))
        return r->err->rc;
    e = (const void *)list_at(r, v);
    for (uint32_t i = 0; i < l->n; i++)
        if (check_ref(r, &e[i], target))
            return r->err->rc;
    return NV_OK;
}

/* Whether the plain value of field f in rec is one a loader could have
 * produced: its default, or within the field's range. */
static int value_ok(const struct nv_field *f, const char *rec)
{
    const void *p = rec + f->offset;
    double d;
    int64_t i;
    int e;

    switch (f->type) {
    case NV_F_NUM:
        memcpy(&d, p, sizeof d);
        return (isnan(d) && isnan(f->dflt)) || (d >= f->min && d <= f->max);
    case NV_F_INT:
        memcpy(&i, p, sizeof i);
        return i == (int64_t)f->dflt || (i >= f->min && i <= f->max);
    case NV_F_BOOL:
    case NV_F_ENUM:
        memcpy(&e, p, sizeof e);
        return e >= 0 && e < (f->type == NV_F_BOOL ? 2 : f->nnames);
    default:
        return 1;
    }
}

/* What the schema does not describe: entities' roots and origins, assets'
 * resolved entities, and the transit an asset has when no file said. */
static int extras_ok(const struct reader *r, enum nv_table t, const char *rec)
{
    uint32_t nent = r->count[NV_T_ENTITY];

    if (t == NV_T_ENTITY) {
        const struct nv_entity *e = (const void *)rec;
        return e->root < nent && e->origin >= NV_ORIGIN_MODEL &&
               e->origin <= NV_ORIGIN_LIST;
    }
    if (t == NV_T_ASSET) {
        const struct nv_asset *a = (const void *)rec;
        int dflt = a->layer != NV_LAYER_RAN && a->layer != NV_LAYER_ENDPOINT;
        return (a->entity == NV_NONE || a->entity < nent) &&
               (a->rec.set & r->transit_bit || a->transit == dflt);
    }
    return 1;
}

static enum nv_rc check_record(struct reader *r, enum nv_table t, char *rec)
{
    const struct nv_schema *s = &nv_schemas[t];
    const struct nv_snap_visit v = {r, r_str, r_strs, r_ref, r_refs};
    const struct nv_rec *h = (const void *)rec;

    if (h->src >= r->m->nsources)
        return bad(r, "a record names no source file");
    for (int i = 0; i < s->nfields; i++)
        if (!value_ok(&s->fields[i], rec))
            return bad(r, "a field holds a value out of its range");
    if (!extras_ok(r, t, rec))
        return bad(r, "a record's resolved entity or transit is out of range");
    if (nv_snap_walk(t, rec, &v))
        return r->err->rc;
    for (int i = 0; i < s->nfields; i++) {
        const struct nv_field *f = &s->fields[i];
        const void *p = rec + f->offset;
        if ((f->flags & NV_F_ID) && !load64(p))
            return bad(r, "a record has no id");
        if (f->type == NV_F_REF && (f->flags & NV_F_REQUIRED) &&
            ((const struct nv_ref *)p)->idx == NV_NONE)
            return bad(r, "a record lacks a required reference");
    }
    return NV_OK;
}

/* Place table t: its records stay in the file. */
static enum nv_rc place_table(struct reader *r, enum nv_table t)
{
    unsigned char *p = section(r, NV_SEC_TABLE + t);
    uint64_t n = r->h.sec[NV_SEC_TABLE + t].count;

    if (!p)
        return r->err->rc;
    if (n >= NV_NONE)
        return bad(r, "too many records");
    r->count[t] = (uint32_t)n;
    if (n) {
        r->m->t[t].v = p;
        r->m->borrowed |= 1u << t;
    }
    r->m->t[t].n = r->m->t[t].cap = (uint32_t)n;
    return NV_OK;
}

/* Check records [lo, hi) of table t. */
static enum nv_rc check_range(struct reader *r, enum nv_table t, uint32_t lo,
                              uint32_t hi)
{
    size_t size = nv_schemas[t].size;

    for (uint32_t i = lo; i < hi; i++) {
        r->at = r->h.sec[NV_SEC_TABLE + t].off + (uint64_t)i * size;
        if (check_record(r, t, (char *)r->m->t[t].v + (size_t)i * size))
            return r->err->rc;
    }
    return NV_OK;
}

/* Every table but the links (which have no lists, and are checked in
 * halves beside this), in order, claiming their lists in turn. */
static enum nv_rc check_listed(struct reader *r)
{
    for (int t = 0; t < NV_T_COUNT; t++)
        if (t != NV_T_LINK && check_range(r, (enum nv_table)t, 0, r->count[t]))
            return r->err->rc;
    if (r->next_array != r->arr_hi) {
        r->at = r->next_array - NV_SNAP_BASE;
        return bad(r, "the list region holds bytes no record names");
    }
    return NV_OK;
}

/* The string that checked pointer v of the file leads to in memory. */
static const char *string_at(const struct reader *r, uint64_t v)
{
    return v ? (const char *)(uintptr_t)(v + r->delta) : NULL;
}

static enum nv_rc read_sources(struct reader *r)
{
    const unsigned char *p = section(r, NV_SEC_SOURCES);
    uint64_t n = r->h.sec[NV_SEC_SOURCES].count;

    if (!p)
        return r->err->rc;
    if (n == 0 || n >= NV_NONE)
        return bad(r, "a snapshot names its source files");
    r->m->sources = nv_calloc((size_t)n, sizeof(char *));
    if (!r->m->sources)
        return nv_err_set(r->err, NV_ENOMEM, "out of memory");
    for (uint64_t i = 0; i < n; i++) {
        uint64_t v = load64(p + i * sizeof v);
        r->at = r->h.sec[NV_SEC_SOURCES].off + i * sizeof v;
        if (!v || !str_ok(r, v))
            return bad(r, "a source has no name");
        r->m->sources[i] = string_at(r, v);
    }
    r->m->nsources = (uint32_t)n;
    return NV_OK;
}

static int index_ok(uint32_t i, uint32_t n)
{
    return i == NV_NONE || i < n;
}

static enum nv_rc read_overrides(struct reader *r)
{
    const unsigned char *p = section(r, NV_SEC_OVERRIDES);
    uint64_t n = r->h.sec[NV_SEC_OVERRIDES].count;
    struct nv_override *o;

    if (!p)
        return r->err->rc;
    if (!n)
        return NV_OK;
    if (!(o = nv_malloc((size_t)n * sizeof *o)))
        return nv_err_set(r->err, NV_ENOMEM, "out of memory");
    memcpy(o, p, (size_t)n * sizeof *o);
    r->m->overrides = o;
    r->m->noverrides = r->m->overrides_cap = (size_t)n;
    for (uint64_t i = 0; i < n; i++, o++) {
        r->at = r->h.sec[NV_SEC_OVERRIDES].off + i * sizeof *o;
        if (o->table < 0 || o->table >= NV_T_COUNT ||
            o->rec >= r->count[o->table] || o->field < 0 ||
            o->field >= nv_schemas[o->table].nfields ||
            o->from >= r->m->nsources || o->by >= r->m->nsources)
            return bad(r, "an override names no record, field or source");
    }
    return NV_OK;
}

static enum nv_rc read_vres(struct reader *r)
{
    const unsigned char *p = section(r, NV_SEC_VRES);
    uint64_t n = r->h.sec[NV_SEC_VRES].count;
    uint32_t nent = r->count[NV_T_ENTITY];
    struct nv_vendor_res *v;

    if (!p)
        return r->err->rc;
    if (!n)
        return NV_OK;
    if (n >= NV_NONE || !(v = nv_malloc((size_t)n * sizeof *v)))
        return n >= NV_NONE ? bad(r, "too many vendor resolutions")
                            : nv_err_set(r->err, NV_ENOMEM, "out of memory");
    memcpy(v, p, (size_t)n * sizeof *v);
    r->m->vres = v;
    r->m->nvres = (uint32_t)n;
    r->m->vres_cap = (size_t)n;
    for (uint64_t i = 0; i < n; i++, v++) {
        uint64_t vendor = load64(&v->vendor), matched = load64(&v->matched);
        r->at = r->h.sec[NV_SEC_VRES].off + i * sizeof *v;
        if (!vendor || !str_ok(r, vendor) || !str_ok(r, matched) ||
            !index_ok(v->entity, nent) || !index_ok(v->candidate, nent) ||
            v->method < NV_RESOLVE_EXACT || v->method >= NV_RESOLVE_COUNT ||
            !isfinite(v->score))
            return bad(r, "a vendor resolution is out of range");
        v->vendor = string_at(r, vendor);
        v->matched = string_at(r, matched);
    }
    return NV_OK;
}

/* The two regions every pointer leads into; the last string must be
 * ended. */
static enum nv_rc read_regions(struct reader *r)
{
    const unsigned char *s = section(r, NV_SEC_STRINGS);
    const unsigned char *a = s ? section(r, NV_SEC_ARRAYS) : NULL;
    uint64_t ns = r->h.sec[NV_SEC_STRINGS].count;

    if (!a)
        return r->err->rc;
    r->str_lo = NV_SNAP_BASE + r->h.sec[NV_SEC_STRINGS].off;
    r->str_hi = r->str_lo + ns;
    r->next_array = NV_SNAP_BASE + r->h.sec[NV_SEC_ARRAYS].off;
    r->arr_hi = r->next_array + r->h.sec[NV_SEC_ARRAYS].count;
    r->at = r->h.sec[NV_SEC_STRINGS].off + ns;
    if (ns && s[ns - 1] != '\0')
        return bad(r, "the string region does not end a string");
    if (r->h.sec[NV_SEC_ARRAYS].count % 8)
        return bad(r, "the list region is not made of whole elements");
    return NV_OK;
}

/* ---- pointers, when the file lies elsewhere than at the base ---- */

static void move(void *slot, uint64_t delta)
{
    uint64_t v = load64(slot);

    if (v) {
        v += delta;
        memcpy(slot, &v, sizeof v);
    }
}

static enum nv_rc m_str(void *ctx, const char **slot)
{
    move(slot, *(const uint64_t *)ctx);
    return NV_OK;
}

static enum nv_rc m_strs(void *ctx, struct nv_strs *l)
{
    move(&l->v, *(const uint64_t *)ctx);
    for (uint32_t i = 0; i < l->n; i++)
        move(&l->v[i], *(const uint64_t *)ctx);
    return NV_OK;
}

static enum nv_rc m_ref(void *ctx, struct nv_ref *ref, enum nv_table target)
{
    (void)target;
    move(&ref->id, *(const uint64_t *)ctx);
    return NV_OK;
}

static enum nv_rc m_refs(void *ctx, struct nv_refs *l, enum nv_table target)
{
    (void)target;
    move(&l->v, *(const uint64_t *)ctx);
    for (uint32_t i = 0; i < l->n; i++)
        move(&l->v[i].id, *(const uint64_t *)ctx);
    return NV_OK;
}

/* Every pointer of the checked records moved by r->delta (each list
 * belongs to one record, so each element moves once). */
static void relocate(struct reader *r)
{
    const struct nv_snap_visit v = {&r->delta, m_str, m_strs, m_ref, m_refs};

    for (int t = 0; t < NV_T_COUNT; t++)
        for (uint32_t i = 0; i < r->count[t]; i++)
            (void)nv_snap_walk(
                (enum nv_table)t,
                (char *)r->m->t[t].v + (size_t)i * nv_schemas[t].size, &v);
}

/* ---- the checks, on two threads ---- */

/* The strings are UTF-8 and in strictly increasing order: then two
 * strings are equal only if they are the same pointer. */
static enum nv_rc check_strings(struct reader *r)
{
    const char *s = (const char *)r->data + r->h.sec[NV_SEC_STRINGS].off;
    size_t n = (size_t)r->h.sec[NV_SEC_STRINGS].count;
    const char *end = s + n, *prev = NULL;
    size_t valid = nv_utf8_prefix(s, n);

    r->at = r->h.sec[NV_SEC_STRINGS].off + valid;
    if (valid != n)
        return bad(r, "a string is not UTF-8");
    for (; s < end; prev = s, s += strlen(s) + 1)
        if (prev && strcmp(prev, s) >= 0) {
            r->at = (uint64_t)(s - (const char *)r->data);
            return bad(r, "the strings are not in order");
        }
    return NV_OK;
}

/* The index of table t must list every record once, in the order of
 * their ids, each id after the last: the ids are unique, and a binary
 * search of the index finds each (nv_model_find). */
static enum nv_rc check_index(struct reader *r, enum nv_table t)
{
    const struct nv_snap_section *sec = &r->h.sec[NV_SEC_INDEX + t];
    uint32_t n = nv_schemas[t].fields[0].flags & NV_F_ID ? r->count[t] : 0;
    const unsigned char *p = r->data + sec->off;
    uint64_t last = 0;

    r->at = sec->off;
    if (sec->count != n)
        return bad(r, "an index does not list every record");
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i;
        uint64_t id;
        memcpy(&i, p + (size_t)k * sizeof i, sizeof i);
        id = i < n ? id_of(r, t, i) : 0;
        if (id <= last) {
            r->at = sec->off + (uint64_t)k * sizeof i;
            return bad(r, "two records have the same id, or the index is "
                          "out of order");
        }
        last = id;
    }
    return NV_OK;
}

/* The checks, and the graph, as jobs for two threads, each on a copy of the
 * reader with an error of its own; the first failure of a check in this
 * order is the one reported, whichever thread finds it first, else the
 * graph's. */
enum job {
    JOB_GRAPH,    /* built from the links while they are checked */
    JOB_LISTED,   /* every table but the links, and the lists */
    JOB_LINKS_LO, /* the first half of the links */
    JOB_LINKS_HI, /* the second */
    JOB_STRINGS,
    JOB_INDEX, /* NV_T_COUNT jobs: each table's index */
    NJOBS = JOB_INDEX + NV_T_COUNT
};

struct jobs {
    const struct reader *r;
    atomic_uint next;
    enum nv_rc rc[NJOBS];
    struct nv_err err[NJOBS];
};

static enum nv_rc run_job(const struct reader *from, unsigned j,
                          struct nv_err *err)
{
    struct reader r = *from;
    uint32_t half = r.count[NV_T_LINK] / 2;

    r.err = err;
    switch (j) {
    case JOB_GRAPH:
        return nv_model_build_graph(r.m, err);
    case JOB_LISTED:
        return check_listed(&r);
    case JOB_LINKS_LO:
        return check_range(&r, NV_T_LINK, 0, half);
    case JOB_LINKS_HI:
        return check_range(&r, NV_T_LINK, half, r.count[NV_T_LINK]);
    case JOB_STRINGS:
        return check_strings(&r);
    default:
        return check_index(&r, (enum nv_table)(j - JOB_INDEX));
    }
}

static void *job_worker(void *ctx)
{
    struct jobs *js = ctx;
    unsigned j;

    while ((j = atomic_fetch_add(&js->next, 1)) < NJOBS)
        js->rc[j] = run_job(js->r, j, &js->err[j]);
    return NULL;
}

static enum nv_rc check_all(struct reader *r)
{
    struct jobs js = {.r = r};

    atomic_init(&js.next, 0);
    nv_threads_run(2, job_worker, &js);
    for (int j = 1; j <= NJOBS; j++)
        if (js.rc[j % NJOBS]) {
            *r->err = js.err[j % NJOBS];
            return js.rc[j % NJOBS];
        }
    for (int t = 0; t < NV_T_COUNT; t++)
        if (r->h.sec[NV_SEC_INDEX + t].count)
            r->m->sorted[t] =
                (const uint32_t
                     *)(const void *)(r->data + r->h.sec[NV_SEC_INDEX + t].off);
    return NV_OK;
}

static enum nv_rc read_model(struct reader *r)
{
    enum nv_rc rc = read_header(r);

    if (!rc)
        rc = check_layout(r);
    if (!rc)
        rc = read_regions(r);
    if (!rc)
        rc = read_sources(r);
    for (int t = 0; t < NV_T_COUNT && !rc; t++)
        rc = place_table(r, (enum nv_table)t);
    if (!rc)
        rc = check_all(r);
    if (!rc)
        rc = read_overrides(r);
    if (!rc)
        rc = read_vres(r);
    if (!rc && r->delta)
        relocate(r);
    return rc;
}

/* Read the snapshot in backing, whose bytes are writable, into a new
 * model that takes backing. */
static enum nv_rc load(const char *name, struct nv_file *backing,
                       struct nv_model **out, struct nv_err *err)
{
    struct reader r = {.name = name, .err = err};
    char msg[NV_ERR_MSG_SIZE];
    enum nv_rc rc;

    r.data = (unsigned char *)(uintptr_t)backing->data;
    r.n = backing->len;
    r.delta = (uint64_t)(uintptr_t)r.data - NV_SNAP_BASE;
    r.transit_bit =
        1u << (nv_schema_field(&nv_schemas[NV_T_ASSET], "transit", 7) -
               nv_schemas[NV_T_ASSET].fields);
    r.m = nv_model_new();
    if (!r.m) {
        nv_file_release(backing);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    r.m->backing = *backing;
    rc = read_model(&r);
    if (!rc && (rc = nv_model_finish_checked(r.m, err)) != NV_OK) {
        /* Its positions are in the files the snapshot was made from. */
        memcpy(msg, err->msg, sizeof msg);
        nv_err_at(err, rc, name, 0, 0, "%s", msg);
    }
    if (rc) {
        nv_model_free(r.m);
        return rc;
    }
    *out = r.m;
    return NV_OK;
}

enum nv_rc nv_snapshot_load_mem(const char *name, const void *data, size_t n,
                                struct nv_model **out, struct nv_err *err)
{
    struct nv_file copy = {nv_malloc(n ? n : 1), n, 0};

    if (!copy.data)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    if (n)
        memcpy((void *)(uintptr_t)copy.data, data, n);
    return load(name, &copy, out, err);
}

enum nv_rc nv_snapshot_load(const char *path, struct nv_model **out,
                            struct nv_err *err)
{
    struct nv_file f;

    if (nv_file_map_private(&f, path, (void *)(uintptr_t)NV_SNAP_BASE,
                            NV_LOAD_MAX_FILE, err))
        return err->rc;
    return load(path, &f, out, err);
}

enum nv_rc nv_snapshot_verify(const char *path, struct nv_err *err)
{
    struct nv_file f;
    struct reader r = {.name = path, .err = err};
    enum nv_rc rc;

    if (nv_file_read(&f, path, NV_LOAD_MAX_FILE, err))
        return err->rc;
    r.data = (unsigned char *)(uintptr_t)f.data;
    r.n = f.len;
    rc = read_header(&r);
    if (!rc && r.h.checksum !=
                   nv_snapshot_checksum(r.data + sizeof r.h, r.n - sizeof r.h))
        rc = bad(&r, "damaged: the checksum does not match");
    nv_file_release(&f);
    return rc;
}
