/*
 * snapshot_write.c - writing a finished model as a binary snapshot.
 *
 * Records are copied a chunk at a time, their pointers replaced by
 * offsets into two regions built in memory (strings, arrays) that follow
 * the tables; the header, with every section's place and the checksum,
 * is written last over the zeros that held its place.
 */
#include "model/snapshot.h"

#include "core/alloc.h"
#include "core/atomic.h"
#include "core/buf.h"
#include "model/snapshot_int.h"

#include <stdint.h>
#include <string.h>

#define CHUNK ((size_t)1 << 20)

struct writer {
    struct nv_atomic a;
    struct nv_snap_sum sum;
    uint64_t at; /* bytes written so far */
    struct nv_buf strings, arrays, chunk;
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

/* Start section s at the next multiple of 8, holding count elements. */
static enum nv_rc begin(struct writer *w, enum nv_snap_sec s, uint64_t count)
{
    static const char zeros[8];
    size_t pad = (size_t)(-w->at & 7);

    if (pad && emit(w, zeros, pad))
        return w->err->rc;
    w->h.sec[s].off = w->at;
    w->h.sec[s].count = count;
    return NV_OK;
}

/* The encoded pointer to a copy of string s in the string region. */
static enum nv_rc encode_str(struct writer *w, const char *s, uint64_t *out)
{
    *out = 0;
    if (!s)
        return NV_OK;
    *out = (uint64_t)w->strings.len + 1;
    return nv_buf_add(&w->strings, s, strlen(s) + 1) ? oom(w) : NV_OK;
}

static enum nv_rc w_str(void *ctx, const char **slot)
{
    uint64_t v;
    enum nv_rc rc = encode_str(ctx, *slot, &v);

    put_offset(slot, v);
    return rc;
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

    put_offset(&v->v, v->n ? (uint64_t)w->arrays.len + 1 : 0);
    for (uint32_t i = 0; i < v->n; i++)
        if (encode_str(w, src[i], &enc) || add_element(w, &enc, sizeof enc))
            return w->err->rc;
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
    put_offset(&v->v, v->n ? (uint64_t)w->arrays.len + 1 : 0);
    for (uint32_t i = 0; i < v->n; i++) {
        struct nv_ref r = {0}; /* padding zeroed: the file is reproducible */
        uint64_t enc;
        if (encode_str(w, src[i].id, &enc))
            return w->err->rc;
        put_offset(&r.id, enc);
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

    if (begin(w, NV_SEC_TABLE + t, m->t[t].n))
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

static enum nv_rc write_sources(struct writer *w, const struct nv_model *m)
{
    if (begin(w, NV_SEC_SOURCES, m->nsources))
        return w->err->rc;
    for (uint32_t i = 0; i < m->nsources; i++) {
        uint64_t enc;
        if (encode_str(w, m->sources[i], &enc) || emit(w, &enc, sizeof enc))
            return w->err->rc;
    }
    return NV_OK;
}

static enum nv_rc write_vres(struct writer *w, const struct nv_model *m)
{
    if (begin(w, NV_SEC_VRES, m->nvres))
        return w->err->rc;
    for (uint32_t i = 0; i < m->nvres; i++) {
        struct nv_vendor_res r = m->vres[i];
        uint64_t vendor, matched;
        if (encode_str(w, r.vendor, &vendor) ||
            encode_str(w, r.matched, &matched))
            return w->err->rc;
        put_offset(&r.vendor, vendor);
        put_offset(&r.matched, matched);
        if (emit(w, &r, sizeof r))
            return w->err->rc;
    }
    return NV_OK;
}

/* Section s holding the count elements at data, as they are. */
static enum nv_rc write_plain(struct writer *w, enum nv_snap_sec s,
                              const void *data, uint64_t count)
{
    if (begin(w, s, count))
        return w->err->rc;
    return count ? emit(w, data, count * nv_snap_elem_size(s)) : NV_OK;
}

static enum nv_rc write_body(struct writer *w, const struct nv_model *m)
{
    enum nv_rc rc = NV_OK;

    for (int t = 0; t < NV_T_COUNT && !rc; t++)
        rc = write_table(w, m, (enum nv_table)t);
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
    return nv_atomic_pwrite(w->a.fd, &w->h, sizeof w->h, 0, w->a.path, w->err);
}

static void writer_release(struct writer *w)
{
    nv_buf_release(&w->strings);
    nv_buf_release(&w->arrays);
    nv_buf_release(&w->chunk);
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
