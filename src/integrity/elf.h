/*
 * elf.h - the section table of an ELF file, read from its bytes.
 *
 * Only what binary equivalence needs: each section's name, type and the
 * bytes it occupies in the file.  Both classes (32/64-bit) and both byte
 * orders; every offset is checked against the file's length, so a hostile
 * file yields NV_EPARSE, never a read out of bounds.
 */
#ifndef NV_ELF_H
#define NV_ELF_H

#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

#define NV_ELF_MAX_SECTIONS 65536
#define NV_ELF_NOBITS 8 /* SHT_NOBITS: a section with no bytes in the file */

struct nv_elf_section {
    const char *name; /* into the file's bytes; not NUL-terminated */
    size_t name_len;
    uint32_t type;   /* SHT_* */
    uint64_t offset; /* in the file; 0 for NV_ELF_NOBITS */
    uint64_t size;   /* bytes; in memory only for NV_ELF_NOBITS (.bss) */
};

/* Whether data starts with the ELF magic. */
int nv_elf_is(const void *data, size_t n);

/* Called once per section (index 0, the null section, skipped), in the
 * order of the section table. */
typedef enum nv_rc (*nv_elf_fn)(void *ctx, const struct nv_elf_section *s,
                                struct nv_err *err);

/* Read the section table of data[0..n); NV_EPARSE if malformed. */
enum nv_rc nv_elf_sections(const unsigned char *data, size_t n, nv_elf_fn fn,
                           void *ctx, struct nv_err *err) NV_WUR;

#endif
