/*
 * snapshot_write.c - writing a finished model as a binary snapshot.
 *
 * Every section's place is planned first (the list region's size is
 * counted beforehand), so that a pointer can be written as the address it
 * will have in the mapping.  Records are then copied a chunk at a time,
 * their pointers replaced; the lists and the strings, each distinct
 * string once, are gathered in memory and follow the tables; the header,
 * with the checksum, is written last over the zeros that held its place.
 */
#include "model/snapshot.h"

#include "core/alloc.h"
#include "core/atomic.h"
#include "core/buf.h"
#include "core/strmap.h"
#include "model/snapshot_int.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK ((size_t)1 << 20)

struct key {
    const char *s;
    uint32_t num; /* its number in the writer's map */
};

struct writer {
    struct nv_atomic a;
    struct nv_snap_sum sum;
    uint64_t at; /* bytes written so far */
    struct nv_buf strings, arrays, chunk;
    struct nv_strmap interned; /* a string -> its number */
    struct key *keys;          /* each distinct string, by number */
    size_t nkeys, keys_cap;
    uint64_t *soff; /* each distinct string's offset in the region */
    struct nv_snap_header h;
    struct nv_err *err;
};

static enum nv_rc oom(struct writer *w)
{
    return nv_err_set(w->err, NV_ENOMEM, "out of memory");
}

/* Store v in the pointer-sized slot at p (a pointer field of a copy). */
static void put_offset(void *p, uint64_t v)
{
    memcpy(p, &v, sizeof v);
}

/* The address that offset off of section s has in the mapping. */
static uint64_t address(const struct writer *w, enum nv_snap_sec s,
                        uint64_t off)
{
    return NV_SNAP_BASE + w->h.sec[s].off + off;
}

/* Write n bytes of section content, summed. */
static enum nv_rc emit(struct writer *w, const void *data, size_t n)
{
    nv_snap_sum_add(&w->sum, data, n);
    w->at += n;
    return nv_atomic_write(&w->a, data, n, w->err);
}

static enum nv_rc flush_chunk(struct writer *w)
{
    enum nv_rc rc = emit(w, w->chunk.data, w->chunk.len);
    nv_buf_reset(&w->chunk);
    return rc;
}

/* Start section s at the place planned for it. */
static enum nv_rc begin(struct writer *w, enum nv_snap_sec s)
{
    static const char zeros[8];

    return w->h.sec[s].off > w->at ? emit(w, zeros, w->h.sec[s].off - w->at)
                                   : NV_OK;
}

/* The bytes that the lists of m's records take in the list region. */
static uint64_t list_bytes(const struct nv_model *m)
{
    uint64_t bytes = 0;

    for (int t = 0; t < NV_T_COUNT; t++) {
        const struct nv_schema *s = &nv_schemas[t];
        for (int k = 0; k < s->nfields; k++) {
            const struct nv_field *f = &s->fields[k];
            size_t each = f->type == NV_F_STRS   ? sizeof(uint64_t)
                          : f->type == NV_F_REFS ? sizeof(struct nv_ref)
                                                 : 0;
            for (uint32_t i = 0; each && i < m->t[t].n; i++) {
                const char *rec = (const char *)m->t[t].v + (size_t)i * s->size;
                uint32_t n;
                /* Both kinds of list keep their length after the pointer. */
                memcpy(&n, rec + f->offset + offsetof(struct nv_strs, n),
                       sizeof n);
                bytes += (uint64_t)n * each;
            }
        }
    }
    return bytes;
}

/* Place section s, of count elements, at the next multiple of 8. */
static void place(struct writer *w, enum nv_snap_sec s, uint64_t count,
                  uint64_t *at)
{
    *at = (*at + 7) & ~(uint64_t)7;
    w->h.sec[s].off = *at;
    w->h.sec[s].count = count;
    *at += count * nv_snap_elem_size(s);
}

static int has_ids(int t)
{
    return (nv_schemas[t].fields[0].flags & NV_F_ID) != 0;
}

/* Every section's place, once the string region is laid out. */
static void plan(struct writer *w, const struct nv_model *m)
{
    uint64_t at = sizeof w->h;

    for (int t = 0; t < NV_T_COUNT; t++)
        place(w, NV_SEC_TABLE + t, m->t[t].n, &at);
    for (int t = 0; t < NV_T_COUNT; t++)
        place(w, NV_SEC_INDEX + t, has_ids(t) ? m->t[t].n : 0, &at);
    place(w, NV_SEC_SOURCES, m->nsources, &at);
    place(w, NV_SEC_OVERRIDES, m->noverrides, &at);
    place(w, NV_SEC_VRES, m->nvres, &at);
    place(w, NV_SEC_ARRAYS, list_bytes(m), &at);
    place(w, NV_SEC_STRINGS, w->strings.len, &at);
}

/* Give string s a number, the first time it is seen. */
static enum nv_rc intern(struct writer *w, const char *s)
{
    uint32_t got;
    int found;

    if (!s)
        return NV_OK;
    if (w->nkeys >= UINT32_MAX ||
        nv_array_reserve(&w->keys, &w->keys_cap, w->nkeys + 1,
                         sizeof *w->keys) ||
        nv_strmap_put(&w->interned, s, strlen(s), (uint32_t)w->nkeys, &got,
                      &found))
        return oom(w);
    if (!found) {
        w->keys[w->nkeys].s = s;
        w->keys[w->nkeys].num = got;
        w->nkeys++;
    }
    return NV_OK;
}

static enum nv_rc c_str(void *ctx, const char **slot)
{
    return intern(ctx, *slot);
}

static enum nv_rc c_strs(void *ctx, struct nv_strs *v)
{
    for (uint32_t i = 0; i < v->n; i++)
        if (intern(ctx, v->v[i]))
            return NV_ENOMEM;
    return NV_OK;
}

static enum nv_rc c_ref(void *ctx, struct nv_ref *r, enum nv_table target)
{
    (void)target;
    return intern(ctx, r->id);
}

static enum nv_rc c_refs(void *ctx, struct nv_refs *v, enum nv_table target)
{
    (void)target;
    for (uint32_t i = 0; i < v->n; i++)
        if (intern(ctx, v->v[i].id))
            return NV_ENOMEM;
    return NV_OK;
}

/* Number every distinct string of m. */
static enum nv_rc collect(struct writer *w, const struct nv_model *m)
{
    const struct nv_snap_visit v = {w, c_str, c_strs, c_ref, c_refs};

    for (int t = 0; t < NV_T_COUNT; t++)
        for (uint32_t i = 0; i < m->t[t].n; i++)
            /* The visitor only reads. */
            if (nv_snap_walk((enum nv_table)t,
                             (char *)m->t[t].v + (size_t)i * nv_schemas[t].size,
                             &v))
                return w->err->rc;
    for (uint32_t i = 0; i < m->nsources; i++)
        if (intern(w, m->sources[i]))
            return w->err->rc;
    for (uint32_t i = 0; i < m->nvres; i++)
        if (intern(w, m->vres[i].vendor) || intern(w, m->vres[i].matched))
            return w->err->rc;
    return NV_OK;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(((const struct key *)a)->s, ((const struct key *)b)->s);
}

/* The string region: every distinct string once, in order, and each
 * one's offset there. */
static enum nv_rc lay_strings(struct writer *w)
{
    if (w->nkeys)
        qsort(w->keys, w->nkeys, sizeof *w->keys, key_cmp);
    w->soff = nv_calloc(w->nkeys ? w->nkeys : 1, sizeof *w->soff);
    if (!w->soff)
        return oom(w);
    for (size_t i = 0; i < w->nkeys; i++) {
        w->soff[w->keys[i].num] = w->strings.len;
        if (nv_buf_add(&w->strings, w->keys[i].s, strlen(w->keys[i].s) + 1))
            return oom(w);
    }
    w->h.sec[NV_SEC_STRINGS].count = w->strings.len;
    return NV_OK;
}

/* The encoded pointer to string s, one of those collected. */
static uint64_t encode(const struct writer *w, const char *s)
{
    return s ? address(w, NV_SEC_STRINGS,
                       w->soff[nv_strmap_get(&w->interned, s, strlen(s))])
             : 0;
}

static enum nv_rc w_str(void *ctx, const char **slot)
{
    put_offset(slot, encode(ctx, *slot));
    return NV_OK;
}

/* Append one array element; its offset was w->arrays.len. */
static enum nv_rc add_element(struct writer *w, const void *e, size_t size)
{
    return nv_buf_add(&w->arrays, e, size) ? oom(w) : NV_OK;
}

static enum nv_rc w_strs(void *ctx, struct nv_strs *v)
{
    struct writer *w = ctx;
    const char **src = v->v;
    uint64_t enc;

    put_offset(&v->v, v->n ? address(w, NV_SEC_ARRAYS, w->arrays.len) : 0);
    for (uint32_t i = 0; i < v->n; i++) {
        enc = encode(w, src[i]);
        if (add_element(w, &enc, sizeof enc))
            return w->err->rc;
    }
    return NV_OK;
}

static enum nv_rc w_ref(void *ctx, struct nv_ref *r, enum nv_table target)
{
    (void)target;
    return w_str(ctx, &r->id);
}

static enum nv_rc w_refs(void *ctx, struct nv_refs *v, enum nv_table target)
{
    struct writer *w = ctx;
    const struct nv_ref *src = v->v;

    (void)target;
    put_offset(&v->v, v->n ? address(w, NV_SEC_ARRAYS, w->arrays.len) : 0);
    for (uint32_t i = 0; i < v->n; i++) {
        struct nv_ref r = {0}; /* padding zeroed: the file is reproducible */
        put_offset(&r.id, encode(w, src[i].id));
        r.off = src[i].off;
        r.idx = src[i].idx;
        if (add_element(w, &r, sizeof r))
            return w->err->rc;
    }
    return NV_OK;
}

static enum nv_rc write_table(struct writer *w, const struct nv_model *m,
                              enum nv_table t)
{
    const struct nv_snap_visit v = {w, w_str, w_strs, w_ref, w_refs};
    size_t size = nv_schemas[t].size;

    if (begin(w, NV_SEC_TABLE + t))
        return w->err->rc;
    for (uint32_t i = 0; i < m->t[t].n; i++) {
        if (w->chunk.len + size > CHUNK && flush_chunk(w))
            return w->err->rc;
        if (nv_buf_add(&w->chunk, (const char *)m->t[t].v + i * size, size))
            return oom(w);
        if (nv_snap_walk(t, w->chunk.data + w->chunk.len - size, &v))
            return w->err->rc;
    }
    return flush_chunk(w);
}

struct ranked {
    uint64_t id; /* the encoded id: its place in the ordered strings */
    uint32_t idx;
};

static int ranked_cmp(const void *a, const void *b)
{
    uint64_t x = ((const struct ranked *)a)->id;
    uint64_t y = ((const struct ranked *)b)->id;

    return (x > y) - (x < y);
}

/* The indices of table t's records in the order of their ids. */
static enum nv_rc write_index(struct writer *w, const struct nv_model *m,
                              enum nv_table t)
{
    uint32_t n = has_ids(t) ? m->t[t].n : 0;
    struct ranked *v = nv_calloc(n ? n : 1, sizeof *v);
    enum nv_rc rc = v ? begin(w, NV_SEC_INDEX + t) : oom(w);

    for (uint32_t i = 0; !rc && i < n; i++) {
        const char *id;
        memcpy(&id,
               (const char *)m->t[t].v + (size_t)i * nv_schemas[t].size +
                   nv_schemas[t].fields[0].offset,
               sizeof id);
        v[i].id = encode(w, id);
        v[i].idx = i;
    }
    if (!rc && n)
        qsort(v, n, sizeof *v, ranked_cmp);
    for (uint32_t i = 0; !rc && i < n; i++)
        rc = emit(w, &v[i].idx, sizeof v[i].idx);
    nv_free(v);
    return rc;
}

static enum nv_rc write_sources(struct writer *w, const struct nv_model *m)
{
    if (begin(w, NV_SEC_SOURCES))
        return w->err->rc;
    for (uint32_t i = 0; i < m->nsources; i++) {
        uint64_t enc = encode(w, m->sources[i]);
        if (emit(w, &enc, sizeof enc))
            return w->err->rc;
    }
    return NV_OK;
}

static enum nv_rc write_vres(struct writer *w, const struct nv_model *m)
{
    if (begin(w, NV_SEC_VRES))
        return w->err->rc;
    for (uint32_t i = 0; i < m->nvres; i++) {
        struct nv_vendor_res r = m->vres[i];
        put_offset(&r.vendor, encode(w, r.vendor));
        put_offset(&r.matched, encode(w, r.matched));
        if (emit(w, &r, sizeof r))
            return w->err->rc;
    }
    return NV_OK;
}

/* Section s holding the count elements at data, as they are. */
static enum nv_rc write_plain(struct writer *w, enum nv_snap_sec s,
                              const void *data, uint64_t count)
{
    if (begin(w, s))
        return w->err->rc;
    return count ? emit(w, data, count * nv_snap_elem_size(s)) : NV_OK;
}

static enum nv_rc write_body(struct writer *w, const struct nv_model *m)
{
    enum nv_rc rc = NV_OK;

    for (int t = 0; t < NV_T_COUNT && !rc; t++)
        rc = write_table(w, m, (enum nv_table)t);
    for (int t = 0; t < NV_T_COUNT && !rc; t++)
        rc = write_index(w, m, (enum nv_table)t);
    if (!rc)
        rc = write_sources(w, m);
    if (!rc)
        rc = write_plain(w, NV_SEC_OVERRIDES, m->overrides, m->noverrides);
    if (!rc)
        rc = write_vres(w, m);
    if (!rc)
        rc = write_plain(w, NV_SEC_ARRAYS, w->arrays.data, w->arrays.len);
    if (!rc)
        rc = write_plain(w, NV_SEC_STRINGS, w->strings.data, w->strings.len);
    return rc;
}

static enum nv_rc write_header(struct writer *w)
{
    memcpy(w->h.magic, NV_SNAP_MAGIC, sizeof w->h.magic);
    w->h.version = NV_SNAP_VERSION;
    w->h.byte_order = NV_SNAP_BYTE_ORDER;
    w->h.layout = nv_snap_layout();
    w->h.length = w->at;
    w->h.checksum = nv_snap_sum_end(&w->sum);
    w->h.base = NV_SNAP_BASE;
    return nv_atomic_pwrite(w->a.fd, &w->h, sizeof w->h, 0, w->a.path, w->err);
}

static void writer_release(struct writer *w)
{
    nv_buf_release(&w->strings);
    nv_buf_release(&w->arrays);
    nv_buf_release(&w->chunk);
    nv_strmap_release(&w->interned);
    nv_free(w->keys);
    nv_free(w->soff);
}

enum nv_rc nv_snapshot_save(const struct nv_model *m, const char *path,
                            struct nv_err *err)
{
    struct writer w = {.err = err};
    enum nv_rc rc;

    if (!m->finished)
        return nv_err_set(err, NV_EINVAL, "only a finished model is saved");
    nv_snap_sum_init(&w.sum);
    nv_buf_init(&w.strings, SIZE_MAX / 2);
    nv_buf_init(&w.arrays, SIZE_MAX / 2);
    nv_buf_init(&w.chunk, CHUNK);
    nv_strmap_init(&w.interned);
    rc = collect(&w, m);
    if (!rc)
        rc = lay_strings(&w);
    if (rc) {
        writer_release(&w);
        return rc;
    }
    plan(&w, m);
    rc = nv_atomic_open(&w.a, path, 0644, err);
    if (rc) {
        writer_release(&w);
        return rc;
    }
    /* The header's place, filled once everything after it is known. */
    rc = nv_atomic_write(&w.a, &w.h, sizeof w.h, err);
    w.at = sizeof w.h;
    if (!rc)
        rc = write_body(&w, m);
    if (!rc)
        rc = write_header(&w);
    if (!rc)
        rc = nv_atomic_commit(&w.a, err);
    else
        nv_atomic_abort(&w.a);
    writer_release(&w);
    return rc;
}
