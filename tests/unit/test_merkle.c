/*
 * test_merkle.c - RFC 9162 hashing and proofs against a brute-force
 * recursive tree hash, for every size up to 64 and every index and pair.
 */
#include "test.h"

#include "core/crypto.h"
#include "integrity/merkle.h"

#include <stdio.h>

#define H NV_MERKLE_HASH
#define MAXN 64

/* MTH(D[n]) exactly as RFC 9162 2.1.1 writes it. */
static void mth(const unsigned char *leaves, uint64_t n, unsigned char *out)
{
    unsigned char l[H], r[H];
    uint64_t k = 1;

    if (n == 1) {
        memcpy(out, leaves, H);
        return;
    }
    while (2 * k < n)
        k *= 2;
    mth(leaves, k, l);
    mth(leaves + k * H, n - k, r);
    nv_merkle_node(l, r, out);
}

/* Leaf hashes of the entries "0", "1", ... */
static int make_leaves(unsigned char *leaves, int n)
{
    struct nv_err err = {0};

    for (int i = 0; i < n; i++) {
        char e[8];
        int len = snprintf(e, sizeof e, "%d", i);
        if (nv_merkle_leaf(e, (size_t)len, leaves + i * H, &err))
            return 0;
    }
    return 1;
}

/* roots[n] is the brute-force MTH of the first n leaves (roots[0] that
 * of one leaf, so that a wrong size 0 has some root to go with). */
static unsigned char roots[MAXN + 1][H];

static void make_roots(const unsigned char *leaves)
{
    for (uint64_t n = 0; n <= MAXN; n++)
        mth(leaves, n ? n : 1, roots[n]);
}

NV_TEST(merkle_leaf_and_node_prefixes)
{
    unsigned char a[H], b[H], in[1 + 2 * H];
    struct nv_err err = {0};

    ASSERT_EQ(nv_merkle_leaf("x", 1, a, &err), NV_OK);
    nv_sha256("\0x", 2, b);
    ASSERT(memcmp(a, b, H) == 0);
    in[0] = 1;
    memcpy(in + 1, a, H);
    memcpy(in + 1 + H, b, H);
    nv_sha256(in, sizeof in, b);
    nv_merkle_node(a, b, a);
    ASSERT(memcmp(a, b, H) != 0);
    nv_merkle_root(NULL, 0, a);
    nv_sha256("", 0, b);
    ASSERT(memcmp(a, b, H) == 0);
}

NV_TEST(merkle_root_matches_recursive_definition)
{
    unsigned char leaves[MAXN * H], got[H], want[H];

    ASSERT(make_leaves(leaves, MAXN));
    for (uint64_t n = 1; n <= MAXN; n++) {
        nv_merkle_root(leaves, n, got);
        mth(leaves, n, want);
        ASSERT_EQ(memcmp(got, want, H), 0);
    }
}

/* The right edge, grown one leaf at a time, gives the brute-force root
 * at every size, holds exactly the hashes it says it does, and knows its
 * last leaf from every other. */
NV_TEST(merkle_edge_matches_recursive_definition)
{
    unsigned char leaves[MAXN * H], got[H], want[H];
    struct nv_merkle_edge e;

    ASSERT(make_leaves(leaves, MAXN));
    nv_merkle_edge_init(&e);
    nv_merkle_edge_root(&e, got);
    nv_merkle_root(NULL, 0, want);
    ASSERT_EQ(memcmp(got, want, H), 0);
    ASSERT(!nv_merkle_edge_is_last(&e, leaves));
    for (uint64_t n = 1; n <= MAXN; n++) {
        nv_merkle_edge_push(&e, leaves + (n - 1) * H);
        ASSERT_EQ(e.size, n);
        nv_merkle_edge_root(&e, got);
        mth(leaves, n, want);
        ASSERT_EQ(memcmp(got, want, H), 0);
        ASSERT_EQ(nv_merkle_edge_roots(n), (unsigned)__builtin_popcountll(n));
        ASSERT_EQ(nv_merkle_edge_path(n), (unsigned)__builtin_ctzll(n));
        for (uint64_t i = 0; i < n; i++)
            ASSERT_EQ(nv_merkle_edge_is_last(&e, leaves + i * H), i == n - 1);
    }
}

/* Every bit flip of every proof hash, and every other index and size,
 * must fail; the proof itself must verify. */
static int inclusion_holds(const unsigned char *leaves, uint64_t index,
                           uint64_t size)
{
    unsigned char path[NV_MERKLE_MAX_PATH * H], root[H];
    size_t npath;
    struct nv_err err = {0};
    const unsigned char *leaf = leaves + index * H;

    memcpy(root, roots[size], H);
    if (nv_merkle_prove_inclusion(leaves, index, size, path, &npath, &err) ||
        !nv_merkle_verify_inclusion(leaf, index, size, path, npath, root))
        return 0;
    for (size_t b = 0; b < npath * H; b++) {
        path[b] ^= 0x20;
        int ok =
            nv_merkle_verify_inclusion(leaf, index, size, path, npath, root);
        path[b] ^= 0x20;
        if (ok)
            return 0;
    }
    for (uint64_t other = 0; other <= MAXN; other++) {
        const unsigned char *ro = roots[other];
        if (other != index &&
            nv_merkle_verify_inclusion(leaf, other, size, path, npath, root))
            return 0;
        /* Each size goes with its own root, as checkpoints bind them. */
        if (other != size &&
            nv_merkle_verify_inclusion(leaf, index, other, path, npath, ro))
            return 0;
    }
    /* A path one hash short or long is refused too. */
    return (npath == 0 || !nv_merkle_verify_inclusion(leaf, index, size, path,
                                                      npath - 1, root)) &&
           !nv_merkle_verify_inclusion(leaf, index, size, path, npath + 1,
                                       root);
}

NV_TEST(merkle_inclusion_every_index_and_size)
{
    unsigned char leaves[(MAXN + 1) * H];
    struct nv_err err = {0};
    size_t npath;

    ASSERT(make_leaves(leaves, MAXN + 1));
    make_roots(leaves);
    for (uint64_t size = 1; size <= MAXN; size++)
        for (uint64_t index = 0; index < size; index++)
            if (!inclusion_holds(leaves, index, size)) {
                nv_t_fail(T, __FILE__, __LINE__, "index %llu size %llu",
                          (unsigned long long)index, (unsigned long long)size);
                return;
            }
    ASSERT_EQ(nv_merkle_prove_inclusion(leaves, 3, 3, leaves, &npath, &err),
              NV_EINVAL);
}

static int consistency_holds(const unsigned char *leaves, uint64_t m,
                             uint64_t n)
{
    unsigned char path[NV_MERKLE_MAX_PATH * H], r1[H], r2[H];
    size_t npath;
    struct nv_err err = {0};

    memcpy(r1, roots[m], H);
    memcpy(r2, roots[n], H);
    if (nv_merkle_prove_consistency(leaves, m, n, path, &npath, &err) ||
        !nv_merkle_verify_consistency(m, n, r1, r2, path, npath))
        return 0;
    for (size_t b = 0; b < npath * H; b++) {
        path[b] ^= 0x01;
        int ok = nv_merkle_verify_consistency(m, n, r1, r2, path, npath);
        path[b] ^= 0x01;
        if (ok)
            return 0;
    }
    for (uint64_t other = 1; other <= MAXN; other++) {
        const unsigned char *ro = roots[other];
        /* Each size goes with its own root, as checkpoints bind them. */
        if ((other != m &&
             nv_merkle_verify_consistency(other, n, ro, r2, path, npath)) ||
            (other != n &&
             nv_merkle_verify_consistency(m, other, r1, ro, path, npath)))
            return 0;
    }
    /* The roots swapped, or a root flipped, fail. */
    r1[7] ^= 1;
    return (m == n ||
            !nv_merkle_verify_consistency(m, n, r2, r1, path, npath)) &&
           !nv_merkle_verify_consistency(m, n, r1, r2, path, npath);
}

NV_TEST(merkle_consistency_every_pair)
{
    unsigned char leaves[MAXN * H], path[NV_MERKLE_MAX_PATH * H];
    struct nv_err err = {0};
    size_t npath;

    ASSERT(make_leaves(leaves, MAXN));
    make_roots(leaves);
    for (uint64_t n = 1; n <= MAXN; n++)
        for (uint64_t m = 1; m <= n; m++)
            if (!consistency_holds(leaves, m, n)) {
                nv_t_fail(T, __FILE__, __LINE__, "m %llu n %llu",
                          (unsigned long long)m, (unsigned long long)n);
                return;
            }
    ASSERT_EQ(nv_merkle_prove_consistency(leaves, 0, 4, path, &npath, &err),
              NV_EINVAL);
    ASSERT_EQ(nv_merkle_prove_consistency(leaves, 5, 4, path, &npath, &err),
              NV_EINVAL);
}

/* The proof sizes RFC 9162's examples (the tree of 7 leaves) give:
 * inclusion of leaves 0 and 6, consistency from 3, 4 and 6 leaves. */
NV_TEST(merkle_rfc_example_sizes)
{
    static const struct {
        int inclusion;
        uint64_t a;
        size_t want;
    } cases[] = {{1, 0, 3}, {1, 6, 2}, {0, 3, 4}, {0, 4, 1}, {0, 6, 3}};
    unsigned char leaves[7 * H], path[NV_MERKLE_MAX_PATH * H];
    struct nv_err err = {0};

    ASSERT(make_leaves(leaves, 7));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t npath = 0;
        enum nv_rc rc = cases[i].inclusion
                            ? nv_merkle_prove_inclusion(leaves, cases[i].a, 7,
                                                        path, &npath, &err)
                            : nv_merkle_prove_consistency(leaves, cases[i].a, 7,
                                                          path, &npath, &err);
        ASSERT_EQ(rc, NV_OK);
        ASSERT_EQ(npath, cases[i].want);
    }
}
