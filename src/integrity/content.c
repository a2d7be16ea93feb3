/*
 * content.c - whole-file and per-section digests.
 */
#include "integrity/content.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "integrity/elf.h"

#include <stdlib.h>
#include <string.h>

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
    const struct nv_elf_section *x = a, *y = b;
    return (x->offset > y->offset) - (x->offset < y->offset);
}

/* The digest of the bytes of data[0..n) outside every section of l (which
 * this sorts by offset). */
static enum nv_rc outside(const unsigned char *data, size_t n,
                          struct sections *l, struct nv_section_digest *out,
                          struct nv_err *err)
{
    struct nv_sha256 *h = nv_sha256_new();
    uint64_t at = 0, total = 0;
    if (!h)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, by_offset);
    for (size_t i = 0; i <= l->n; i++) {
        int last = i == l->n;
        uint64_t start = last ? n : l->v[i].offset;
        if (!last && (l->v[i].type == NV_ELF_NOBITS || l->v[i].size == 0))
            continue;
        if (start > at) {
            nv_sha256_add(h, data + at, start - at);
            total += start - at;
        }
        if (!last && start + l->v[i].size > at)
            at = start + l->v[i].size;
    }
    out->name = NV_CONTENT_OUTSIDE;
    out->size = total;
    nv_sha256_end(h, out->sha256);
    nv_sha256_free(h);
    return NV_OK;
}

static enum nv_rc digest_sections(const unsigned char *data, size_t n,
                                  struct sections *l, struct nv_arena *a,
                                  struct nv_content *out, struct nv_err *err)
{
    struct nv_section_digest *d = nv_arena_calloc(a, l->n + 1, sizeof *d);
    if (!d)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    for (size_t i = 0; i < l->n; i++) {
        const struct nv_elf_section *s = &l->v[i];
        d[i].name = nv_arena_strndup(a, s->name, s->name_len);
        if (!d[i].name)
            return nv_err_set(err, NV_ENOMEM, "out of memory");
        d[i].size = s->size;
        d[i].nobits = s->type == NV_ELF_NOBITS;
        if (!d[i].nobits) /* a NOBITS digest stays all zero */
            nv_sha256(data + s->offset, s->size, d[i].sha256);
    }
    if (outside(data, n, l, &d[l->n], err))
        return err->rc;
    out->sec = d;
    out->nsec = (uint32_t)l->n + 1;
    return NV_OK;
}

/* The section digests of an ELF file; a malformed one is marked, not an
 * error: it is still a file with a digest. */
static enum nv_rc elf_digests(const unsigned char *data, size_t n,
                              struct nv_arena *a, struct nv_content *out,
                              struct nv_err *err)
{
    struct sections l = {0};
    struct nv_err local = {0};
    enum nv_rc rc = nv_elf_sections(data, n, collect, &l, &local);
    if (rc == NV_EPARSE)
        out->elf_malformed = 1;
    else if (rc)
        nv_err_set(err, rc, "%s", local.msg);
    else
        rc = digest_sections(data, n, &l, a, out, err);
    nv_free(l.v);
    return rc == NV_EPARSE ? NV_OK : rc;
}

enum nv_rc nv_content_digest(const unsigned char *data, size_t n,
                             struct nv_arena *a, struct nv_content *out,
                             struct nv_err *err)
{
    struct nv_content c = {0};
    c.size = n;
    nv_sha256(data, n, c.sha256);
    if (nv_elf_is(data, n) && elf_digests(data, n, a, &c, err))
        return err->rc;
    *out = c;
    return NV_OK;
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
        elf_digests(kept, s->kept.len, a, &c, err))
        return err->rc;
    nv_content_stream_reset(s);
    *out = c;
    return NV_OK;
}
