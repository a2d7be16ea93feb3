/*
 * elf.c - ELF section tables, from the specification (System V gABI);
 * no <elf.h> so that byte order and class are handled the same way
 * everywhere.
 */
#include "integrity/elf.h"

#include <string.h>

#define SHN_XINDEX 0xffff

struct elf {
    const unsigned char *d;
    size_t n;
    int is64, big;
};

static uint64_t get(const struct elf *e, uint64_t off, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++) {
        unsigned shift = e->big ? 8 * (width - 1 - i) : 8 * i;
        v |= (uint64_t)e->d[off + i] << shift;
    }
    return v;
}

/* A field of the file header: its offsets in the 32- and 64-bit layouts. */
static uint64_t hdr(const struct elf *e, unsigned off32, unsigned off64,
                    unsigned width32, unsigned width64)
{
    return e->is64 ? get(e, off64, width64) : get(e, off32, width32);
}

struct shdr {
    uint32_t name, type, link;
    uint64_t offset, size;
};

/* Section header i of the table at shoff (its bounds already checked). */
static struct shdr section(const struct elf *e, uint64_t shoff,
                           uint64_t entsize, uint64_t i)
{
    uint64_t b = shoff + i * entsize;
    struct shdr s;
    s.name = (uint32_t)get(e, b, 4);
    s.type = (uint32_t)get(e, b + 4, 4);
    s.offset = e->is64 ? get(e, b + 24, 8) : get(e, b + 16, 4);
    s.size = e->is64 ? get(e, b + 32, 8) : get(e, b + 20, 4);
    s.link = (uint32_t)get(e, b + (e->is64 ? 40 : 24), 4);
    return s;
}

static int in_file(const struct elf *e, uint64_t off, uint64_t len)
{
    return off <= e->n && len <= e->n - off;
}

int nv_elf_is(const void *data, size_t n)
{
    return n >= 4 && memcmp(data, "\177ELF", 4) == 0;
}

struct table {
    uint64_t shoff, entsize, count, strndx;
};

/* The section table's place and size, with the extended numbering of
 * files with 65280 sections or more. */
static enum nv_rc find_table(const struct elf *e, struct table *t,
                             struct nv_err *err)
{
    t->shoff = hdr(e, 32, 40, 4, 8);
    t->entsize = hdr(e, 46, 58, 2, 2);
    t->count = hdr(e, 48, 60, 2, 2);
    t->strndx = hdr(e, 50, 62, 2, 2);
    if (t->shoff == 0)
        return nv_err_set(err, NV_EPARSE, "ELF file without sections");
    if (t->entsize < (e->is64 ? 64u : 40u) || !in_file(e, t->shoff, t->entsize))
        return nv_err_set(err, NV_EPARSE, "ELF section table out of bounds");
    struct shdr zero = section(e, t->shoff, t->entsize, 0);
    if (t->count == 0)
        t->count = zero.size;
    if (t->strndx == SHN_XINDEX)
        t->strndx = zero.link;
    if (t->count > NV_ELF_MAX_SECTIONS ||
        !in_file(e, t->shoff, t->count * t->entsize) || t->strndx >= t->count)
        return nv_err_set(err, NV_EPARSE, "ELF section table out of bounds");
    return NV_OK;
}

/* Name of s from the section-name table names. */
static enum nv_rc name_of(const struct elf *e, const struct shdr *names,
                          const struct shdr *s, struct nv_elf_section *out,
                          struct nv_err *err)
{
    if (s->name >= names->size)
        return nv_err_set(err, NV_EPARSE, "ELF section name out of bounds");
    const char *p = (const char *)e->d + names->offset + s->name;
    const void *end = memchr(p, '\0', names->size - s->name);
    if (!end)
        return nv_err_set(err, NV_EPARSE, "ELF section name unterminated");
    out->name = p;
    out->name_len = (size_t)((const char *)end - p);
    return NV_OK;
}

enum nv_rc nv_elf_sections(const unsigned char *data, size_t n, nv_elf_fn fn,
                           void *ctx, struct nv_err *err)
{
    struct elf e = {data, n, 0, 0};
    if (!nv_elf_is(data, n) || n < 64 || data[4] < 1 || data[4] > 2 ||
        data[5] < 1 || data[5] > 2)
        return nv_err_set(err, NV_EPARSE, "not an ELF file");
    e.is64 = data[4] == 2;
    e.big = data[5] == 2;
    struct table t;
    if (find_table(&e, &t, err))
        return err->rc;
    struct shdr names = section(&e, t.shoff, t.entsize, t.strndx);
    if (names.type == NV_ELF_NOBITS || !in_file(&e, names.offset, names.size))
        return nv_err_set(err, NV_EPARSE, "ELF section names out of bounds");
    for (uint64_t i = 1; i < t.count; i++) {
        struct shdr s = section(&e, t.shoff, t.entsize, i);
        struct nv_elf_section out = {0};
        if (name_of(&e, &names, &s, &out, err))
            return err->rc;
        out.type = s.type;
        out.size = s.size;
        if (s.type != NV_ELF_NOBITS) {
            if (!in_file(&e, s.offset, s.size))
                return nv_err_set(err, NV_EPARSE,
                                  "ELF section %.*s out of bounds",
                                  (int)out.name_len, out.name);
            out.offset = s.offset;
        }
        enum nv_rc rc = fn(ctx, &out, err);
        if (rc)
            return rc;
    }
    return NV_OK;
}
