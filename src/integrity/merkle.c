/*
 * merkle.c - RFC 9162 tree hashes, proofs and their verification.
 *
 * Proof generation follows the recursive definitions of the RFC (PATH,
 * PROOF and SUBPROOF), each subtree root computed afresh: O(n) hashes a
 * proof, which is what a log of evidence needs.  Verification follows the
 * RFC's iterative algorithms step by step, so that it can be read against
 * them.
 */
#include "integrity/merkle.h"

#include "core/crypto.h"

#include <string.h>

#define H NV_MERKLE_HASH

enum nv_rc nv_merkle_leaf(const void *entry, size_t n, unsigned char out[H],
                          struct nv_err *err)
{
    static const unsigned char zero = 0x00;
    struct nv_sha256 *h = nv_sha256_new();

    if (!h)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    nv_sha256_add(h, &zero, 1);
    nv_sha256_add(h, entry, n);
    nv_sha256_end(h, out);
    nv_sha256_free(h);
    return NV_OK;
}

void nv_merkle_node(const unsigned char *left, const unsigned char *right,
                    unsigned char out[H])
{
    unsigned char in[1 + 2 * H];

    in[0] = 0x01;
    memcpy(in + 1, left, H);
    memcpy(in + 1 + H, right, H);
    nv_sha256(in, sizeof in, out);
}

void nv_merkle_edge_init(struct nv_merkle_edge *e)
{
    e->size = 0;
}

unsigned nv_merkle_edge_roots(uint64_t size)
{
    unsigned n = 0;

    for (; size; size &= size - 1)
        n++;
    return n;
}

unsigned nv_merkle_edge_path(uint64_t size)
{
    unsigned n = 0;

    for (; size && !(size & 1); size >>= 1)
        n++;
    return n;
}

/*
 * Leaf i joins the subtree roots as a subtree of one; while the bits of i
 * below it are set, the two smallest roots are equal in size and merge.
 * The roots merged into the new smallest subtree are the left siblings on
 * the new last leaf's path, smallest first: its path within that subtree.
 */
void nv_merkle_edge_push(struct nv_merkle_edge *e, const unsigned char leaf[H])
{
    unsigned top = nv_merkle_edge_roots(e->size), m = 0;
    unsigned char cur[H];

    memcpy(cur, leaf, H);
    for (uint64_t j = e->size; j & 1; j >>= 1, m++) {
        memcpy(e->path[m], e->h[--top], H);
        nv_merkle_node(e->h[top], cur, cur);
    }
    memcpy(e->h[top], cur, H);
    e->size++;
}

/* Folding the roots from the right splits each remainder at its largest
 * power of two, as the RFC's recursive MTH does. */
void nv_merkle_edge_root(const struct nv_merkle_edge *e, unsigned char out[H])
{
    unsigned top = nv_merkle_edge_roots(e->size);

    if (top == 0) {
        nv_sha256("", 0, out);
        return;
    }
    memcpy(out, e->h[--top], H);
    while (top--)
        nv_merkle_node(e->h[top], out, out);
}

int nv_merkle_edge_is_last(const struct nv_merkle_edge *e,
                           const unsigned char leaf[H])
{
    unsigned top = nv_merkle_edge_roots(e->size);
    unsigned n = nv_merkle_edge_path(e->size);
    unsigned char cur[H];

    if (top == 0)
        return 0;
    memcpy(cur, leaf, H);
    for (unsigned i = 0; i < n; i++)
        nv_merkle_node(e->path[i], cur, cur);
    return memcmp(cur, e->h[top - 1], H) == 0;
}

void nv_merkle_root(const unsigned char *leaves, uint64_t n,
                    unsigned char out[H])
{
    struct nv_merkle_edge e;

    nv_merkle_edge_init(&e);
    for (uint64_t i = 0; i < n; i++)
        nv_merkle_edge_push(&e, leaves + (size_t)i * H);
    nv_merkle_edge_root(&e, out);
}

/* The largest power of two smaller than n (n >= 2). */
static uint64_t split(uint64_t n)
{
    uint64_t k = 1;

    while (k < n - k)
        k <<= 1;
    return k;
}

/* Append the root of the n leaves at leaves to path. */
static void add_root(const unsigned char *leaves, uint64_t n,
                     unsigned char *path, size_t *npath)
{
    nv_merkle_root(leaves, n, path + *npath * H);
    ++*npath;
}

/* RFC 9162 2.1.3.1: PATH(m, D[n]). */
static void path_of(const unsigned char *leaves, uint64_t m, uint64_t n,
                    unsigned char *path, size_t *npath)
{
    uint64_t k;

    if (n <= 1)
        return;
    k = split(n);
    if (m < k) {
        path_of(leaves, m, k, path, npath);
        add_root(leaves + (size_t)k * H, n - k, path, npath);
    } else {
        path_of(leaves + (size_t)k * H, m - k, n - k, path, npath);
        add_root(leaves, k, path, npath);
    }
}

enum nv_rc nv_merkle_prove_inclusion(const unsigned char *leaves,
                                     uint64_t index, uint64_t size,
                                     unsigned char *path, size_t *npath,
                                     struct nv_err *err)
{
    if (index >= size)
        return nv_err_set(err, NV_EINVAL,
                          "no leaf %llu in a tree of %llu leaves",
                          (unsigned long long)index, (unsigned long long)size);
    *npath = 0;
    path_of(leaves, index, size, path, npath);
    return NV_OK;
}

/* RFC 9162 2.1.4.1: SUBPROOF(m, D[n], whole). */
static void subproof(const unsigned char *leaves, uint64_t m, uint64_t n,
                     int whole, unsigned char *path, size_t *npath)
{
    uint64_t k;

    if (m == n) {
        if (!whole)
            add_root(leaves, n, path, npath);
        return;
    }
    k = split(n);
    if (m <= k) {
        subproof(leaves, m, k, whole, path, npath);
        add_root(leaves + (size_t)k * H, n - k, path, npath);
    } else {
        subproof(leaves + (size_t)k * H, m - k, n - k, 0, path, npath);
        add_root(leaves, k, path, npath);
    }
}

enum nv_rc nv_merkle_prove_consistency(const unsigned char *leaves, uint64_t m,
                                       uint64_t n, unsigned char *path,
                                       size_t *npath, struct nv_err *err)
{
    if (m == 0 || m > n)
        return nv_err_set(err, NV_EINVAL,
                          "no consistency proof from %llu to %llu leaves",
                          (unsigned long long)m, (unsigned long long)n);
    *npath = 0;
    subproof(leaves, m, n, 1, path, npath);
    return NV_OK;
}

/*
 * One step of both RFC verification loops: fold the proof hash c into sr
 * (and into fr, the old root being rebuilt, when it is given).  0 if the
 * proof is longer than the tree allows.
 */
static int fold(uint64_t *fn, uint64_t *sn, const unsigned char *c,
                unsigned char *fr, unsigned char *sr)
{
    if (*sn == 0)
        return 0;
    if ((*fn & 1) || *fn == *sn) {
        if (fr)
            nv_merkle_node(c, fr, fr);
        nv_merkle_node(c, sr, sr);
        while (!(*fn & 1) && *fn != 0) {
            *fn >>= 1;
            *sn >>= 1;
        }
    } else {
        nv_merkle_node(sr, c, sr);
    }
    *fn >>= 1;
    *sn >>= 1;
    return 1;
}

int nv_merkle_verify_inclusion(const unsigned char *leaf, uint64_t index,
                               uint64_t size, const unsigned char *path,
                               size_t npath, const unsigned char *root)
{
    uint64_t fn = index, sn = size - 1;
    unsigned char r[H];

    if (index >= size)
        return 0;
    memcpy(r, leaf, H);
    for (size_t i = 0; i < npath; i++)
        if (!fold(&fn, &sn, path + i * H, NULL, r))
            return 0;
    return sn == 0 && memcmp(r, root, H) == 0;
}

int nv_merkle_verify_consistency(uint64_t m, uint64_t n,
                                 const unsigned char *old_root,
                                 const unsigned char *new_root,
                                 const unsigned char *path, size_t npath)
{
    uint64_t fn = m - 1, sn = n - 1;
    unsigned char fr[H], sr[H];
    size_t i = 0;

    if (m == 0 || m > n)
        return 0;
    if (m == n)
        return npath == 0 && memcmp(old_root, new_root, H) == 0;
    if (npath == 0)
        return 0;
    /* A power of two is a whole subtree: the old root starts the proof. */
    memcpy(fr, (m & (m - 1)) == 0 ? old_root : path + i++ * H, H);
    memcpy(sr, fr, H);
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    for (; i < npath; i++)
        if (!fold(&fn, &sn, path + i * H, fr, sr))
            return 0;
    return sn == 0 && memcmp(fr, old_root, H) == 0 &&
           memcmp(sr, new_root, H) == 0;
}
