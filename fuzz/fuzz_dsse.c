/*
 * fuzz_dsse.c - DSSE envelopes: parsing and signature checks, with the
 * public key of RFC 8032's first test vector as the trusted key.
 */
#include "integrity/dsse.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char pub[NV_ED25519_PUB_LEN] = {
        0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe,
        0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6,
        0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a};
    struct nv_key *k = NULL;
    struct nv_dsse d;
    struct nv_err err = {0};

    if (nv_key_from_public(pub, &k, &err))
        return 0;
    const struct nv_key *trust[] = {k};
    if (!nv_dsse_open((const char *)data, size, "fuzz", NULL, trust, 1, 1, &d,
                      &err))
        nv_dsse_release(&d);
    nv_key_free(k);
    return 0;
}
