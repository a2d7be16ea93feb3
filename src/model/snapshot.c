/*
 * snapshot.c - reading a binary snapshot, and the layout both sides share.
 *
 * Nothing in the file is trusted: the header, every section's place and
 * size, every offset, index, enum and number is checked before the model
 * uses it, and a failure names the file and the byte.  Records are copied
 * out of the mapping (the model may grow its tables later); strings stay
 * in it; the arrays of string and reference lists are copied into the
 * model's arena, where their offsets become pointers.
 */
#include "model/snapshot.h"

#include "core/alloc.h"
#include "core/strmap.h"
#include "model/load.h"
#include "model/snapshot_int.h"

#include <math.h>
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
    const unsigned char *data;
    size_t n;
    struct nv_snap_header h;
    const char *strings; /* the string region, in the mapping */
    uint64_t nstrings;
    char *arrays; /* the array region, copied into the arena */
    uint64_t narrays;
    uint64_t next_array; /* where the next array must begin */
    uint64_t at;         /* the byte being checked, for messages */
    struct nv_model *m;
    struct nv_err *err;
};

static enum nv_rc bad(struct reader *r, const char *what)
{
    return nv_err_at(r->err, NV_EPARSE, r->name, 0, 0, "byte %llu: %s",
                     (unsigned long long)r->at, what);
}

/* The section's bytes, after checking that they lie inside the file. */
static const unsigned char *section(struct reader *r, enum nv_snap_sec s)
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
    if (r->h.version != NV_SNAP_VERSION)
        return bad(r, "unsupported snapshot version (expected 1)");
    if (r->h.layout != nv_snap_layout())
        return bad(r, "written by a netvet build with other record layouts; "
                      "save it again from its JSON model");
    if (r->h.length != r->n)
        return bad(r, "truncated or extended: the length differs from the "
                      "header's");
    if (r->h.checksum !=
        nv_snapshot_checksum(r->data + sizeof r->h, r->n - sizeof r->h))
        return bad(r, "damaged: the checksum does not match");
    return NV_OK;
}

static enum nv_rc decode_str(struct reader *r, const char **slot)
{
    uint64_t v;

    memcpy(&v, slot, sizeof v);
    if (v > r->nstrings)
        return bad(r, "a string offset lies outside the string region");
    *slot = v ? r->strings + v - 1 : NULL;
    return NV_OK;
}

static enum nv_rc r_str(void *ctx, const char **slot)
{
    return decode_str(ctx, slot);
}

/* The array of n elements of size bytes that the encoded *slot names:
 * it must start where the previous one ended. */
static char *claim_array(struct reader *r, void *slot, uint32_t n, size_t size)
{
    uint64_t v;

    memcpy(&v, slot, sizeof v);
    if (n == 0 && v == 0)
        return NULL;
    if (v == 0 || v - 1 != r->next_array ||
        n > (r->narrays - r->next_array) / size) {
        bad(r, "a list does not lie where the previous one ended");
        return NULL;
    }
    r->next_array += (uint64_t)n * size;
    return r->arrays + v - 1;
}

static enum nv_rc r_strs(void *ctx, struct nv_strs *l)
{
    struct reader *r = ctx;
    char *a = claim_array(r, &l->v, l->n, sizeof(uint64_t));

    if (!a && l->n)
        return r->err->rc;
    l->v = (const char **)(void *)a;
    for (uint32_t i = 0; i < l->n; i++)
        if (decode_str(r, &l->v[i]) || !l->v[i])
            return r->err->rc ? r->err->rc : bad(r, "a list holds no string");
    return NV_OK;
}

static enum nv_rc check_ref(struct reader *r, struct nv_ref *ref,
                            enum nv_table target)
{
    if (decode_str(r, &ref->id))
        return r->err->rc;
    if (ref->idx == NV_NONE ? ref->id != NULL : ref->idx >= r->m->t[target].n)
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
    char *a = claim_array(r, &l->v, l->n, sizeof(struct nv_ref));

    if (!a && l->n)
        return r->err->rc;
    l->v = (struct nv_ref *)(void *)a;
    for (uint32_t i = 0; i < l->n; i++)
        if (check_ref(r, &l->v[i], target))
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

/* What the schema does not describe: entities' roots and origins, and
 * assets' resolved entities. */
static int extras_ok(const struct reader *r, enum nv_table t, const char *rec)
{
    uint32_t nent = r->m->t[NV_T_ENTITY].n;

    if (t == NV_T_ENTITY) {
        const struct nv_entity *e = (const void *)rec;
        return e->root < nent && e->origin >= NV_ORIGIN_MODEL &&
               e->origin <= NV_ORIGIN_LIST;
    }
    if (t == NV_T_ASSET) {
        const struct nv_asset *a = (const void *)rec;
        return a->entity == NV_NONE || a->entity < nent;
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
        return bad(r, "a record's resolved entity is out of range");
    if (nv_snap_walk(t, rec, &v))
        return r->err->rc;
    for (int i = 0; i < s->nfields; i++) {
        const struct nv_field *f = &s->fields[i];
        const void *p = rec + f->offset;
        if ((f->flags & NV_F_ID) && !*(const char *const *)p)
            return bad(r, "a record has no id");
        if (f->type == NV_F_REF && (f->flags & NV_F_REQUIRED) &&
            ((const struct nv_ref *)p)->idx == NV_NONE)
            return bad(r, "a record lacks a required reference");
    }
    return NV_OK;
}

/* Copy the records of table t out of the mapping (counts only: they are
 * checked once every table's count is known). */
static enum nv_rc copy_table(struct reader *r, enum nv_table t)
{
    const unsigned char *p = section(r, NV_SEC_TABLE + t);
    uint64_t n = r->h.sec[NV_SEC_TABLE + t].count;
    size_t size = nv_schemas[t].size;

    if (!p)
        return r->err->rc;
    if (n >= NV_NONE)
        return bad(r, "too many records");
    if (n && !(r->m->t[t].v = nv_malloc((size_t)n * size)))
        return nv_err_set(r->err, NV_ENOMEM, "out of memory");
    if (n)
        memcpy(r->m->t[t].v, p, (size_t)n * size);
    r->m->t[t].n = r->m->t[t].cap = (uint32_t)n;
    return NV_OK;
}

/* Check and decode every record of table t, and file it under its id. */
static enum nv_rc check_table(struct reader *r, enum nv_table t)
{
    size_t size = nv_schemas[t].size;
    int has_id = t != NV_T_LINK;
    struct nv_strmap *ids = &r->m->ids[t];

    if (has_id && nv_strmap_reserve(ids, r->m->t[t].n))
        return nv_err_set(r->err, NV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < r->m->t[t].n; i++) {
        char *rec = (char *)r->m->t[t].v + (size_t)i * size;
        const char *id;
        uint32_t got;
        int found;
        r->at = r->h.sec[NV_SEC_TABLE + t].off + (uint64_t)i * size;
        if (check_record(r, t, rec))
            return r->err->rc;
        if (!has_id)
            continue;
        memcpy(&id, rec + nv_schemas[t].fields[0].offset, sizeof id);
        if (nv_strmap_put(ids, id, strlen(id), i, &got, &found))
            return nv_err_set(r->err, NV_ENOMEM, "out of memory");
        if (found)
            return bad(r, "two records have the same id");
    }
    return NV_OK;
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
    memcpy(r->m->sources, p, (size_t)n * sizeof(char *));
    for (uint64_t i = 0; i < n; i++)
        if (decode_str(r, &r->m->sources[i]) || !r->m->sources[i])
            return r->err->rc ? r->err->rc : bad(r, "a source has no name");
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
            o->rec >= r->m->t[o->table].n || o->field < 0 ||
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
    uint32_t nent = r->m->t[NV_T_ENTITY].n;
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
        r->at = r->h.sec[NV_SEC_VRES].off + i * sizeof *v;
        if (decode_str(r, &v->vendor) || decode_str(r, &v->matched))
            return r->err->rc;
        if (!v->vendor || !index_ok(v->entity, nent) ||
            !index_ok(v->candidate, nent) || v->method < NV_RESOLVE_EXACT ||
            v->method >= NV_RESOLVE_COUNT || !isfinite(v->score))
            return bad(r, "a vendor resolution is out of range");
    }
    return NV_OK;
}

/* The two regions every pointer leads into. */
static enum nv_rc read_regions(struct reader *r)
{
    const unsigned char *s = section(r, NV_SEC_STRINGS);
    const unsigned char *a = s ? section(r, NV_SEC_ARRAYS) : NULL;

    if (!a)
        return r->err->rc;
    r->strings = (const char *)s;
    r->nstrings = r->h.sec[NV_SEC_STRINGS].count;
    r->narrays = r->h.sec[NV_SEC_ARRAYS].count;
    r->at = r->h.sec[NV_SEC_STRINGS].off + r->nstrings;
    if (r->nstrings && s[r->nstrings - 1] != '\0')
        return bad(r, "the string region does not end a string");
    if (r->narrays % 8)
        return bad(r, "the list region is not made of whole elements");
    r->arrays = nv_arena_alloc(&r->m->arena, (size_t)r->narrays + 1);
    if (!r->arrays)
        return nv_err_set(r->err, NV_ENOMEM, "out of memory");
    if (r->narrays)
        memcpy(r->arrays, a, (size_t)r->narrays);
    return NV_OK;
}

static enum nv_rc read_model(struct reader *r)
{
    enum nv_rc rc = read_header(r);

    if (!rc)
        rc = read_regions(r);
    if (!rc)
        rc = read_sources(r);
    for (int t = 0; t < NV_T_COUNT && !rc; t++)
        rc = copy_table(r, (enum nv_table)t);
    for (int t = 0; t < NV_T_COUNT && !rc; t++)
        rc = check_table(r, (enum nv_table)t);
    if (!rc && r->next_array != r->narrays) {
        r->at = r->h.sec[NV_SEC_ARRAYS].off + r->next_array;
        rc = bad(r, "the list region holds bytes no record names");
    }
    if (!rc)
        rc = read_overrides(r);
    if (!rc)
        rc = read_vres(r);
    return rc;
}

/* Read data[0..n) into a new model that takes backing (which may be
 * empty: the caller keeps the bytes). */
static enum nv_rc load(const char *name, const void *data, size_t n,
                       struct nv_file *backing, struct nv_model **out,
                       struct nv_err *err)
{
    struct reader r = {.name = name, .data = data, .n = n, .err = err};
    char msg[NV_ERR_MSG_SIZE];
    enum nv_rc rc;

    r.m = nv_model_new();
    if (!r.m) {
        nv_file_release(backing);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    r.m->backing = *backing;
    rc = read_model(&r);
    if (!rc && (rc = nv_model_finish_resolved(r.m, err)) != NV_OK) {
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
    struct nv_file none = {0};

    return load(name, data, n, &none, out, err);
}

enum nv_rc nv_snapshot_load(const char *path, struct nv_model **out,
                            struct nv_err *err)
{
    struct nv_file f;

    if (nv_file_read(&f, path, NV_LOAD_MAX_FILE, err))
        return err->rc;
    return load(path, f.data, f.len, &f, out, err);
}
