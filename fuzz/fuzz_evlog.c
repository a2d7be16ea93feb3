/*
 * fuzz_evlog.c - the parsers of the evidence log, each given the whole
 * input: the entries file, the checkpoint, the tree state (whose edge is
 * then folded, as an append does), and the proof document (which is then
 * checked, so that hostile sizes and paths reach the RFC 9162
 * verification loops).
 */
#include "integrity/checkpoint.h"
#include "integrity/evlog.h"
#include "integrity/evproof.h"
#include "integrity/evstate.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Check p against a fixed key (RFC 8032, test 1): the signature fails,
 * but only after the parse; the proofs are checked on their own too. */
static void check(const struct nv_evproof *p)
{
    static const unsigned char pub[NV_ED25519_PUB_LEN] = {
        0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe,
        0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6,
        0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a};
    struct nv_key *k = NULL;
    struct nv_err err = {0};
    unsigned char leaf[NV_MERKLE_HASH];

    if (nv_key_from_public(pub, &k, &err) == NV_OK)
        (void)!nv_evproof_verify(p, k, &err);
    nv_key_free(k);
    (void)nv_merkle_verify_consistency(p->size, p->cp.size, p->root, p->cp.root,
                                       p->to_cp.h, p->to_cp.n);
    (void)nv_merkle_verify_consistency(p->old_size, p->size, p->old_root,
                                       p->root, p->path.h, p->path.n);
    if (nv_merkle_leaf(p->entry, p->entry_len, leaf, &err) == NV_OK)
        (void)nv_merkle_verify_inclusion(leaf, p->index, p->size, p->path.h,
                                         p->path.n, p->root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_checkpoint cp;
    struct nv_evlog_extent ext;
    struct nv_evproof p;
    struct nv_evstate st;
    struct nv_arena a;
    struct nv_err err = {0};
    unsigned char root[NV_MERKLE_HASH];

    /* Only crashes, leaks and sanitizer reports matter, not the verdict. */
    (void)!nv_checkpoint_parse((const char *)data, size, "fuzz", &cp, &err);
    (void)!nv_evlog_scan(data, size, UINT64_MAX, &ext, &err);
    if (nv_evstate_parse(data, size, "fuzz", &st, &err) == NV_OK) {
        nv_merkle_edge_root(&st.edge, root);
        (void)nv_merkle_edge_is_last(&st.edge, root);
    }
    nv_arena_init(&a);
    if (nv_evproof_parse((const char *)data, size, "fuzz", &a, &p, &err) ==
        NV_OK)
        check(&p);
    nv_arena_release(&a);
    return 0;
}
