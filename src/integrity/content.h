/*
 * content.h - the digests of a file's bytes: SHA-256 of the whole, and for
 * an ELF file, SHA-256 of each section and of the bytes outside every
 * section (headers, program headers, section table, padding), so that two
 * builds can be compared section by section.
 */
#ifndef NV_CONTENT_H
#define NV_CONTENT_H

#include "core/arena.h"
#include "core/crypto.h"

#include <stdint.h>

/* The pseudo-section of the bytes no section covers. */
#define NV_CONTENT_OUTSIDE "(outside sections)"

/* Bytes of an ELF file kept to read its sections when it arrives in
 * pieces; larger ones get the whole-file digest only. */
#define NV_CONTENT_ELF_LIMIT ((size_t)1 << 30)

struct nv_section_digest {
    const char *name;
    uint64_t size;
    int nobits; /* occupies no bytes in the file (.bss): size only */
    unsigned char sha256[NV_SHA256_LEN];
};

struct nv_content {
    uint64_t size;
    unsigned char sha256[NV_SHA256_LEN];
    uint32_t nsec; /* 0: not ELF (or too large, or malformed) */
    struct nv_section_digest *sec;
    int elf_malformed; /* starts like ELF but its section table is bad */
};

/* Digest data[0..n) whole; sections and names are allocated in a. */
enum nv_rc nv_content_digest(const unsigned char *data, size_t n,
                             struct nv_arena *a, struct nv_content *out,
                             struct nv_err *err) NV_WUR;

/* A buffer for reading files, kept from one file to the next: files of up
 * to window bytes are read whole into it, larger ones a window at a time.
 * Zero it, set window, and release it with nv_content_reader_release. */
struct nv_content_reader {
    size_t window; /* at least 64 KiB are used */
    unsigned char *buf;
    size_t cap;
};

/* Digest the n bytes of the open regular file fd (name in messages)
 * through r.  NV_EIO if it cannot be read or is shorter than n. */
enum nv_rc nv_content_digest_fd(struct nv_content_reader *r, int fd, uint64_t n,
                                const char *name, struct nv_arena *a,
                                struct nv_content *out,
                                struct nv_err *err) NV_WUR;
void nv_content_reader_release(struct nv_content_reader *r);

/* The same for bytes that arrive in pieces.  Memory stays below
 * NV_CONTENT_ELF_LIMIT per file. */
struct nv_content_stream;
struct nv_content_stream *nv_content_stream_new(void);
void nv_content_stream_free(struct nv_content_stream *s);
/* Start a new file. */
void nv_content_stream_reset(struct nv_content_stream *s);
enum nv_rc nv_content_stream_add(struct nv_content_stream *s, const void *data,
                                 size_t n, struct nv_err *err) NV_WUR;
enum nv_rc nv_content_stream_end(struct nv_content_stream *s,
                                 struct nv_arena *a, struct nv_content *out,
                                 struct nv_err *err) NV_WUR;

#endif
