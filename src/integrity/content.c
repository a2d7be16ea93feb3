/*
 * content.c - whole-file and per-section digests.
 *
 * An ELF file's bytes are read once: they are swept in slices small
 * enough to stay in the cache, and each slice feeds the section being
 * digested (or the bytes outside every section) and the whole-file digest
 * one after the other, so the second reads from the cache, not memory.
 * A large open file is swept through a window of a few megabytes, read
 * one piece after the other, rather than read whole: memory stays small
 * whatever the files, and a window used again stays in the TLB and the
 * cache.
 */
#include "integrity/content.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "integrity/elf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

/* A file's bytes: all in memory, or read from an open file a window at a
 * time. */
struct source {
    const unsigned char *data; /* all n bytes, or NULL: read from fd */
    uint64_t n;
    int fd;
    const char *name;            /* for messages */
    struct nv_content_reader *r; /* the window, r->cap bytes */
    uint64_t lo, hi;             /* the part of the file in it */
};

/* Read len bytes of s's file at off into buf; NV_EIO if they are not all
 * there, as in a file cut short since its size was taken. */
static enum nv_rc read_at(const struct source *s, unsigned char *buf,
                          size_t len, uint64_t off, struct nv_err *err)
{
    for (size_t got = 0; got < len;) {
        ssize_t r = pread(s->fd, buf + got, len - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return nv_err_set(err, NV_EIO, "%s: %s", s->name, strerror(errno));
        if (r == 0)
            return nv_err_set(err, NV_EIO, "%s: changed while read", s->name);
        got += (size_t)r;
    }
    return NV_OK;
}

/* The bytes [from, to) of s's file, at most a slice; NULL when they could
 * not be read. */
static const unsigned char *bytes(struct source *s, uint64_t from, uint64_t to,
                                  struct nv_err *err)
{
    if (s->data)
        return s->data + from;
    if (from < s->lo || to > s->hi) {
        size_t len =
            s->n - from < s->r->cap ? (size_t)(s->n - from) : s->r->cap;
        if (read_at(s, s->r->buf, len, from, err))
            return NULL;
        s->lo = from;
        s->hi = from + len;
    }
    return s->r->buf + (from - s->lo);
}

/* One pass over a file's bytes in offset order.  whole has been fed
 * bytes [0, at); it is NULL when the whole is digested elsewhere. */
struct sweep {
    struct source *src;
    struct nv_sha256 *whole, *part, *outside;
    uint64_t at, outside_len;
};

/* Feed bytes [from, to) to h and the part of them past at to the whole. */
static enum nv_rc feed(struct sweep *s, struct nv_sha256 *h, uint64_t from,
                       uint64_t to, struct nv_err *err)
{
    for (uint64_t lo = from; lo < to; lo += SLICE) {
        uint64_t hi = to - lo < SLICE ? to : lo + SLICE;
        const unsigned char *p = bytes(s->src, lo, hi, err);
        if (!p)
            return err->rc;
        if (h)
            nv_sha256_add(h, p, hi - lo);
        if (hi > s->at) {
            uint64_t past = lo > s->at ? lo : s->at;
            if (s->whole)
                nv_sha256_add(s->whole, p + (past - lo), hi - past);
            s->at = hi;
        }
    }
    return NV_OK;
}

/* The bytes from the sweep's place up to offset are outside sections. */
static enum nv_rc feed_outside(struct sweep *s, uint64_t offset,
                               struct nv_err *err)
{
    if (offset <= s->at)
        return NV_OK;
    s->outside_len += offset - s->at;
    return feed(s, s->outside, s->at, offset, err);
}

/* Digest the sections of l, in offset order, into d (in table order). */
static enum nv_rc sweep_sections(struct sweep *s, const struct sections *l,
                                 const struct nv_elf_section **order,
                                 struct nv_section_digest *d,
                                 struct nv_err *err)
{
    for (size_t i = 0; i < l->n; i++)
        order[i] = &l->v[i];
    if (l->n)
        qsort(order, l->n, sizeof *order, by_offset);
    for (size_t i = 0; i < l->n; i++) {
        const struct nv_elf_section *e = order[i];
        if (e->type == NV_ELF_NOBITS) /* its digest stays all zero */
            continue;
        if (feed_outside(s, e->offset, err) ||
            feed(s, s->part, e->offset, e->offset + e->size, err))
            return err->rc;
        nv_sha256_end(s->part, d[e - l->v].sha256);
    }
    return feed_outside(s, s->src->n, err);
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
static enum nv_rc digest_sections(struct source *src, const struct sections *l,
                                  struct nv_sha256 *whole, struct nv_arena *a,
                                  struct nv_content *out, struct nv_err *err)
{
    struct sweep s = {src, whole, nv_sha256_new(), nv_sha256_new(), 0, 0};
    const struct nv_elf_section **order =
        nv_calloc(l->n ? l->n : 1, sizeof *order);
    struct nv_section_digest *d = name_sections(l, a);
    enum nv_rc rc = NV_OK;
    if (!s.part || !s.outside || !order || !d)
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    else if (!(rc = sweep_sections(&s, l, order, d, err))) {
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

/* The section digests of the ELF file src, whose section table is read
 * from image (its bytes, in memory or mapped); whole (unless NULL) is fed
 * the file on the way if they are found.  A malformed one is marked, not
 * an error: it is still a file with a digest. */
static enum nv_rc elf_digests(const unsigned char *image, struct source *src,
                              struct nv_sha256 *whole, struct nv_arena *a,
                              struct nv_content *out, struct nv_err *err)
{
    struct sections l = {0};
    struct nv_err local = {0};
    enum nv_rc rc = nv_elf_sections(image, src->n, collect, &l, &local);
    if (rc == NV_EPARSE)
        out->elf_malformed = 1;
    else if (rc)
        nv_err_set(err, rc, "%s", local.msg);
    else
        rc = digest_sections(src, &l, whole, a, out, err);
    nv_free(l.v);
    return rc == NV_EPARSE ? NV_OK : rc;
}

/* The digests of the file src; image holds its bytes (in memory or
 * mapped) when it is ELF, NULL otherwise. */
static enum nv_rc digest(struct source *src, const unsigned char *image,
                         struct nv_arena *a, struct nv_content *out,
                         struct nv_err *err)
{
    struct nv_content c = {0};
    c.size = src->n;
    if (!image && src->data) { /* most files: one call, no context made */
        nv_sha256(src->data, src->n, c.sha256);
        *out = c;
        return NV_OK;
    }
    struct nv_sha256 *whole = nv_sha256_new();
    if (!whole)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    enum nv_rc rc = image ? elf_digests(image, src, whole, a, &c, err) : NV_OK;
    if (!rc && !c.nsec) { /* not ELF, or malformed: the whole alone */
        struct sweep s = {src, whole, NULL, NULL, 0, 0};
        rc = feed(&s, NULL, 0, src->n, err);
    }
    if (!rc) {
        nv_sha256_end(whole, c.sha256);
        *out = c;
    }
    nv_sha256_free(whole);
    return rc;
}

enum nv_rc nv_content_digest(const unsigned char *data, size_t n,
                             struct nv_arena *a, struct nv_content *out,
                             struct nv_err *err)
{
    struct source src = {data, n, -1, NULL, NULL, 0, 0};
    return digest(&src, nv_elf_is(data, n) ? data : NULL, a, out, err);
}

/* Give r a window of r->window bytes (at least a slice). */
static enum nv_rc open_window(struct nv_content_reader *r, struct nv_err *err)
{
    size_t want = r->window > SLICE ? r->window : SLICE;
    if (r->buf && r->cap >= want)
        return NV_OK;
    nv_free(r->buf);
    r->cap = 0;
    if (!(r->buf = nv_malloc(want)))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    r->cap = want;
    return NV_OK;
}

/* A file larger than the window, read a window at a time; if it is ELF,
 * its section table is read through a mapping, which touches only the
 * pages of the table.  (A file cut short in the moment it takes to read
 * the table would fault, as any mapped file would.) */
static enum nv_rc digest_windowed(struct source *src, struct nv_arena *a,
                                  struct nv_content *out, struct nv_err *err)
{
    const unsigned char *head = bytes(src, 0, SLICE, err);
    if (!head)
        return err->rc;
    if (!nv_elf_is(head, SLICE))
        return digest(src, NULL, a, out, err);
    void *map = mmap(NULL, src->n, PROT_READ, MAP_PRIVATE, src->fd, 0);
    if (map == MAP_FAILED)
        return nv_err_set(err, NV_EIO, "%s: %s", src->name, strerror(errno));
    enum nv_rc rc = digest(src, map, a, out, err);
    munmap(map, src->n);
    return rc;
}

enum nv_rc nv_content_digest_fd(struct nv_content_reader *r, int fd, uint64_t n,
                                const char *name, struct nv_arena *a,
                                struct nv_content *out, struct nv_err *err)
{
    struct source src = {NULL, n, fd, name, r, 0, 0};
    if (open_window(r, err))
        return err->rc;
    if (n > r->cap)
        return digest_windowed(&src, a, out, err);
    if (read_at(&src, r->buf, n, 0, err))
        return err->rc;
    src.data = r->buf;
    return digest(&src, nv_elf_is(r->buf, n) ? r->buf : NULL, a, out, err);
}

void nv_content_reader_release(struct nv_content_reader *r)
{
    nv_free(r->buf);
    r->buf = NULL;
    r->cap = 0;
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
    struct source src = {kept, s->kept.len, -1, NULL, NULL, 0, 0};
    if (s->keep && nv_elf_is(kept, s->kept.len) &&
        elf_digests(kept, &src, NULL, a, &c, err))
        return err->rc;
    nv_content_stream_reset(s);
    *out = c;
    return NV_OK;
}
