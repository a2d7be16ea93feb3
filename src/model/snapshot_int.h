/*
 * snapshot_int.h - the on-disk layout of a binary snapshot, shared by its
 * writer (snapshot_write.c) and its reader (snapshot.c).
 *
 * A file is a header, then sections at 8-byte aligned offsets: the tables,
 * their indexes by id, the source names, the overrides, the vendor
 * resolutions, the list region (the elements of string and reference
 * lists) and the string region (each distinct string once, NUL-terminated,
 * in strictly increasing byte order).  A pointer is stored as the address
 * it has when the file lies at NV_SNAP_BASE: 0 for NULL, else the base +
 * the offset of what it points to.  A reader maps the file at the base and
 * uses the records where they lie; when that address is taken it adds the
 * difference to every pointer.
 *
 * What makes the checks cheap: a reference's id is the very string of the
 * record it names (two numbers compared); as the strings are distinct and
 * in order, ids are unique when their pointers increase along the index;
 * lists are written in the order the records name them, each one starting
 * where the last ended, so no two records share, or overlap, one.  The
 * graph is not stored: it is built from the links on one thread while the
 * other checks the indexes, in less time than checking a stored one.
 */
#ifndef NV_SNAPSHOT_INT_H
#define NV_SNAPSHOT_INT_H

#include "model/model.h"
#include "model/schema.h"

#include <stdint.h>

#define NV_SNAP_MAGIC "NVSNAP\x01\n"
#define NV_SNAP_VERSION 2u
/* Where a snapshot is laid out to be mapped: far from where the system
 * puts the heap, the libraries and the stack. */
#define NV_SNAP_BASE 0x300000000000ull
#define NV_SNAP_BYTE_ORDER 0x01020304u

/* In the order of the file, the two regions last: NV_SEC_TABLE onwards,
 * then NV_SEC_ARRAYS and NV_SEC_STRINGS. */
enum nv_snap_sec {
    NV_SEC_ARRAYS,
    NV_SEC_STRINGS,
    NV_SEC_TABLE, /* NV_T_COUNT sections, one a table */
    NV_SEC_INDEX = NV_SEC_TABLE + NV_T_COUNT, /* NV_T_COUNT: the indices of
                    a table's records in the order of their ids (of which
                    the string region is in order), none for links */
    NV_SEC_SOURCES = NV_SEC_INDEX + NV_T_COUNT,
    NV_SEC_OVERRIDES,
    NV_SEC_VRES,
    NV_SEC_COUNT
};

struct nv_snap_section {
    uint64_t off;   /* from the start of the file; a multiple of 8 */
    uint64_t count; /* elements (bytes for the string region) */
};

struct nv_snap_header {
    char magic[8];
    uint32_t version;
    uint32_t byte_order; /* NV_SNAP_BYTE_ORDER as the writer stored it */
    uint64_t layout;     /* nv_snap_layout() of the writer */
    uint64_t length;     /* of the whole file */
    uint64_t checksum;   /* nv_snapshot_checksum of the bytes after this */
    uint64_t base;       /* NV_SNAP_BASE: where the pointers assume it lies */
    struct nv_snap_section sec[NV_SEC_COUNT];
};

/* The size of one element of section s. */
size_t nv_snap_elem_size(enum nv_snap_sec s);

/* A fingerprint of the record layouts, the schema and the sections of
 * this build: what a snapshot must match to be read as it lies. */
uint64_t nv_snap_layout(void);

/* A checksum computed in pieces: 4 lanes of 8 bytes, so it runs at
 * memory speed; not cryptographic (a snapshot's authenticity is the
 * store's or a signature's business), it catches damage. */
struct nv_snap_sum {
    uint64_t h[4];
    unsigned char pend[32];
    size_t npend;
    uint64_t total;
};

void nv_snap_sum_init(struct nv_snap_sum *s);
void nv_snap_sum_add(struct nv_snap_sum *s, const void *data, size_t n);
uint64_t nv_snap_sum_end(struct nv_snap_sum *s);

/* The pointer fields of a record, as the schema describes them: a
 * snapshot visits each to encode or to check and decode it. */
struct nv_snap_visit {
    void *ctx;
    enum nv_rc (*str)(void *ctx, const char **slot);
    enum nv_rc (*strs)(void *ctx, struct nv_strs *v);
    enum nv_rc (*ref)(void *ctx, struct nv_ref *r, enum nv_table target);
    enum nv_rc (*refs)(void *ctx, struct nv_refs *v, enum nv_table target);
};

/* Call v's function for every pointer field of rec, a record of table t;
 * stop at the first failure. */
enum nv_rc nv_snap_walk(enum nv_table t, char *rec,
                        const struct nv_snap_visit *v);

#endif
