/*
 * content.c - whole-file and per-section digests.
 *
 * An ELF file's bytes are read once: they are swept in slices small
 * enough to stay in the cache, and each slice feeds the section being
 * digested (or the bytes outside every section) and the whole-file digest
 * one after the other, so the second reads from the cache, not memory.
 */
#include "integrity/content.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "integrity/elf.h"

#include <stdlib.h>
#include <string.h>

/* Bytes fed to two digests in turn: well inside a core's L2 cache. */
#define SLICE ((uint64_t)64 << 10)

struct sections {
    struct nv_elf_section *v;
    size_t n, cap;
};

static enum nv_rc collect(void *ctx, const struct nv_elf_section *s,
                          struct nv_err *err)
{
    struct sections *l = ctx;
    if (nv_array_reserve(&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    l->v[l->n++] = *s;
    return NV_OK;
}

static int by_offset(const void *a, const void *b)
{
    const struct nv_elf_section *x = *(const struct nv_elf_section *const *)a;
    const struct nv_elf_section *y = *(const struct nv_elf_section *const *)b;
    return (x->offset > y->offset) - (x->offset < y->offset);
}

/* One pass over a file's bytes in offset order.  whole has been fed
 * data[0..at); it is NULL when the whole is digested elsewhere. */
struct sweep {
    const unsigned char *data;
    struct nv_sha256 *whole, *part, *outside;
    uint64_t at, outside_len;
};

/* Feed data[from..to) to h and the part of it past at to the whole. */
static void feed(struct sweep *s, struct nv_sha256 *h, uint64_t from,
                 uint64_t to)
{
    for (uint64_t lo = from; lo < to; lo += SLICE) {
        uint64_t hi = to - lo < SLICE ? to : lo + SLICE;
        nv_sha256_add(h, s->data + lo, hi - lo);
        if (hi > s->at) {
            uint64_t past = lo > s->at ? lo : s->at;
            if (s->whole)
                nv_sha256_add(s->whole, s->data + past, hi - past);
            s->at = hi;
        }
    }
}

/* The bytes from the sweep's place up to offset are outside sections. */
static void feed_outside(struct sweep *s, uint64_t offset)
{
    if (offset > s->at) {
        s->outside_len += offset - s->at;
        feed(s, s->outside, s->at, offset);
    }
}

/* Digest the sections of l, in offset order, into d (in table order). */
static void sweep_sections(struct sweep *s, const struct sections *l,
                           const struct nv_elf_section **order, uint64_t n,
                           struct nv_section_digest *d)
{
    for (size_t i = 0; i < l->n; i++)
        order[i] = &l->v[i];
    if (l->n)
        qsort(order, l->n, sizeof *order, by_offset);
    for (size_t i = 0; i < l->n; i++) {
        const struct nv_elf_section *e = order[i];
        if (e->type == NV_ELF_NOBITS) /* its digest stays all zero */
            continue;
        feed_outside(s, e->offset);
        feed(s, s->part, e->offset, e->offset + e->size);
        nv_sha256_end(s->part, d[e - l->v].sha256);
    }
    feed_outside(s, n);
}

/* Name, size and kind of each section, in table order. */
static struct nv_section_digest *name_sections(const struct sections *l,
                                               struct nv_arena *a)
{
    struct nv_section_digest *d = nv_arena_calloc(a, l->n + 1, sizeof *d);
    for (size_t i = 0; d && i < l->n; i++) {
        const struct nv_elf_section *s = &l->v[i];
        if (!(d[i].name = nv_arena_strndup(a, s->name, s->name_len)))
            return NULL;
        d[i].size = s->size;
        d[i].nobits = s->type == NV_ELF_NOBITS;
    }
    if (d)
        d[l->n].name = NV_CONTENT_OUTSIDE;
    return d;
}

/* The digests of the sections of l and of the bytes outside them; whole,
 * unless NULL, is fed the file on the way. */
static enum nv_rc digest_sections(const unsigned char *data, size_t n,
                                  const struct sections *l,
                                  struct nv_sha256 *whole, struct nv_arena *a,
                                  struct nv_content *out, struct nv_err *err)
{
    struct sweep s = {data, whole, nv_sha256_new(), nv_sha256_new(), 0, 0};
    const struct nv_elf_section **order =
        nv_calloc(l->n ? l->n : 1, sizeof *order);
    struct nv_section_digest *d = name_sections(l, a);
    enum nv_rc rc = NV_OK;
    if (!s.part || !s.outside || !order || !d)
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    else {
        sweep_sections(&s, l, order, n, d);
        nv_sha256_end(s.outside, d[l->n].sha256);
        d[l->n].size = s.outside_len;
        out->sec = d;
        out->nsec = (uint32_t)l->n + 1;
    }
    nv_free(order);
    nv_sha256_free(s.part);
    nv_sha256_free(s.outside);
    return rc;
}

/* The section digests of an ELF file, whole (unless NULL) fed the file on
 * the way if they are found; a malformed one is marked, not an error: it
 * is still a file with a digest. */
static enum nv_rc elf_digests(const unsigned char *data, size_t n,
                              struct nv_sha256 *whole, struct nv_arena *a,
                              struct nv_content *out, struct nv_err *err)
{
    struct sections l = {0};
    struct nv_err local = {0};
    enum nv_rc rc = nv_elf_sections(data, n, collect, &l, &local);
    if (rc == NV_EPARSE)
        out->elf_malformed = 1;
    else if (rc)
        nv_err_set(err, rc, "%s", local.msg);
    else
        rc = digest_sections(data, n, &l, whole, a, out, err);
    nv_free(l.v);
    return rc == NV_EPARSE ? NV_OK : rc;
}

enum nv_rc nv_content_digest(const unsigned char *data, size_t n,
                             struct nv_arena *a, struct nv_content *out,
                             struct nv_err *err)
{
    struct nv_content c = {0};
    c.size = n;
    if (!nv_elf_is(data, n)) {
        nv_sha256(data, n, c.sha256);
        *out = c;
        return NV_OK;
    }
    struct nv_sha256 *whole = nv_sha256_new();
    if (!whole)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    enum nv_rc rc = elf_digests(data, n, whole, a, &c, err);
    if (c.nsec)
        nv_sha256_end(whole, c.sha256);
    else
        nv_sha256(data, n, c.sha256);
    nv_sha256_free(whole);
    if (!rc)
        *out = c;
    return rc;
}

struct nv_content_stream {
    struct nv_sha256 *h;
    struct nv_buf kept; /* the bytes so far, while they may be ELF */
    uint64_t size;
    int keep;
};

struct nv_content_stream *nv_content_stream_new(void)
{
    struct nv_content_stream *s = nv_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->h = nv_sha256_new();
    if (!s->h) {
        nv_free(s);
        return NULL;
    }
    nv_buf_init(&s->kept, NV_CONTENT_ELF_LIMIT);
    nv_content_stream_reset(s);
    return s;
}

void nv_content_stream_free(struct nv_content_stream *s)
{
    if (!s)
        return;
    nv_sha256_free(s->h);
    nv_buf_release(&s->kept);
    nv_free(s);
}

void nv_content_stream_reset(struct nv_content_stream *s)
{
    nv_buf_reset(&s->kept);
    s->size = 0;
    s->keep = 1;
}

enum nv_rc nv_content_stream_add(struct nv_content_stream *s, const void *data,
                                 size_t n, struct nv_err *err)
{
    nv_sha256_add(s->h, data, n);
    s->size += n;
    if (!s->keep)
        return NV_OK;
    enum nv_rc rc = nv_buf_add(&s->kept, data, n);
    if (rc == NV_ENOMEM)
        return nv_err_set(err, rc, "out of memory");
    /* Only ELF files are kept, and only up to the limit. */
    if (rc || (s->kept.len >= 4 && !nv_elf_is(s->kept.data, s->kept.len))) {
        s->keep = 0;
        nv_buf_release(&s->kept);
    }
    return NV_OK;
}

enum nv_rc nv_content_stream_end(struct nv_content_stream *s,
                                 struct nv_arena *a, struct nv_content *out,
                                 struct nv_err *err)
{
    struct nv_content c = {0};
    c.size = s->size;
    nv_sha256_end(s->h, c.sha256);
    const unsigned char *kept = (const unsigned char *)s->kept.data;
    if (s->keep && nv_elf_is(kept, s->kept.len) &&
        elf_digests(kept, s->kept.len, NULL, a, &c, err))
        return err->rc;
    nv_content_stream_reset(s);
    *out = c;
    return NV_OK;
}
