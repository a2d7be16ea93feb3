/*
 * merkle.h - Merkle trees in the manner of RFC 9162 (Certificate
 * Transparency v2), section 2.1.
 *
 * A leaf is hashed as SHA-256(0x00 || entry) and an interior node as
 * SHA-256(0x01 || left || right); the tree of n leaves splits at the
 * largest power of two below n.  Everything here works on an array of
 * leaf hashes laid out back to back (NV_MERKLE_HASH bytes each), so the
 * caller decides where entries live.  Proofs are arrays of hashes in the
 * same layout, in the order RFC 9162 gives them (from the leaf upwards).
 */
#ifndef NV_MERKLE_H
#define NV_MERKLE_H

#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

#define NV_MERKLE_HASH 32
/* The longest proof of either kind for a tree of up to 2^64 leaves. */
#define NV_MERKLE_MAX_PATH 66

/* The leaf hash of entry[0..n); NV_ENOMEM if no digest context. */
enum nv_rc nv_merkle_leaf(const void *entry, size_t n,
                          unsigned char out[NV_MERKLE_HASH],
                          struct nv_err *err) NV_WUR;

/* The hash of the interior node over left and right; out may alias. */
void nv_merkle_node(const unsigned char *left, const unsigned char *right,
                    unsigned char out[NV_MERKLE_HASH]);

/* MTH of the n leaf hashes at leaves; n = 0 gives SHA-256 of nothing. */
void nv_merkle_root(const unsigned char *leaves, uint64_t n,
                    unsigned char out[NV_MERKLE_HASH]);

/*
 * The right edge of a tree (a compact range): enough to append a leaf
 * and compute the root without the leaves before it.  h holds the roots
 * of the perfect subtrees the tree of size leaves splits into, largest
 * first (one for each set bit of size); path is the inclusion path of
 * the last leaf within the smallest of them, from the leaf upwards (one
 * hash for each trailing zero bit of size), so that the last leaf can be
 * checked against the edge alone.
 */
struct nv_merkle_edge {
    uint64_t size;
    unsigned char h[64][NV_MERKLE_HASH];
    unsigned char path[64][NV_MERKLE_HASH];
};

/* The edge of the empty tree. */
void nv_merkle_edge_init(struct nv_merkle_edge *e);

/* Add leaf (a leaf hash) as leaf e->size: O(log n) hashes at worst, one
 * on average.  The caller keeps size below 2^64 - 1. */
void nv_merkle_edge_push(struct nv_merkle_edge *e,
                         const unsigned char leaf[NV_MERKLE_HASH]);

/* MTH of the tree e describes, as nv_merkle_root gives it. */
void nv_merkle_edge_root(const struct nv_merkle_edge *e,
                         unsigned char out[NV_MERKLE_HASH]);

/* 1 if leaf is the last leaf of the tree e describes, else 0 (and 0
 * for the empty tree). */
int nv_merkle_edge_is_last(const struct nv_merkle_edge *e,
                           const unsigned char leaf[NV_MERKLE_HASH]);

/* How many hashes e->h and e->path hold for a tree of size leaves. */
unsigned nv_merkle_edge_roots(uint64_t size);
unsigned nv_merkle_edge_path(uint64_t size);

/*
 * The inclusion proof (RFC 9162 PATH) of leaf index in the tree of the
 * first size leaves: *npath hashes written to path, which has room for
 * NV_MERKLE_MAX_PATH.  NV_EINVAL if index >= size.
 */
enum nv_rc nv_merkle_prove_inclusion(const unsigned char *leaves,
                                     uint64_t index, uint64_t size,
                                     unsigned char *path, size_t *npath,
                                     struct nv_err *err) NV_WUR;

/*
 * The consistency proof (RFC 9162 PROOF) between the trees of the first
 * m and the first n leaves, 1 <= m <= n, written like an inclusion
 * proof; empty when m = n.  NV_EINVAL for other sizes.
 */
enum nv_rc nv_merkle_prove_consistency(const unsigned char *leaves, uint64_t m,
                                       uint64_t n, unsigned char *path,
                                       size_t *npath,
                                       struct nv_err *err) NV_WUR;

/* 1 if path proves that leaf is number index of the tree of size
 * leaves whose root is root (RFC 9162 2.1.3.2), else 0. */
int nv_merkle_verify_inclusion(const unsigned char *leaf, uint64_t index,
                               uint64_t size, const unsigned char *path,
                               size_t npath, const unsigned char *root);

/* 1 if path proves that the tree of m leaves with root old_root is a
 * prefix of the tree of n leaves with root new_root (RFC 9162 2.1.4.2;
 * for m = n the path must be empty and the roots equal), else 0. */
int nv_merkle_verify_consistency(uint64_t m, uint64_t n,
                                 const unsigned char *old_root,
                                 const unsigned char *new_root,
                                 const unsigned char *path, size_t npath);

#endif
