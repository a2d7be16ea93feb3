/*
 * test_crypto.c - SHA-256, base64 and Ed25519 against published vectors,
 * and key files as they must be written.
 */
#include "test.h"

#include "core/alloc.h"
#include "core/crypto.h"

#include <stdio.h>
#include <sys/stat.h>

NV_TEST(crypto_sha256_vectors)
{
    unsigned char d[NV_SHA256_LEN];
    char hex[NV_SHA256_HEX];
    nv_sha256("abc", 3, d);
    nv_hex(d, sizeof d, hex);
    ASSERT_STREQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff"
                      "61f20015ad");
    /* The same in pieces, twice over one context. */
    struct nv_sha256 *h = nv_sha256_new();
    ASSERT(h);
    for (int round = 0; round < 2; round++) {
        nv_sha256_add(h, "a", 1);
        nv_sha256_add(h, "bc", 2);
        unsigned char e[NV_SHA256_LEN];
        nv_sha256_end(h, e);
        ASSERT(memcmp(d, e, sizeof d) == 0);
    }
    nv_sha256_free(h);
}

NV_TEST(crypto_base64_is_canonical)
{
    const char *good[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg=="};
    const char *plain[] = {"", "f", "fo", "foo", "foob"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        unsigned char *b = NULL;
        size_t n = 0;
        struct nv_err err = {0};
        ASSERT_EQ(nv_unbase64(good[i], strlen(good[i]), &b, &n, &err), NV_OK);
        ASSERT_EQ(n, strlen(plain[i]));
        ASSERT(memcmp(b, plain[i], n) == 0);
        char again[16];
        nv_base64(b, n, again);
        ASSERT_STREQ(again, good[i]);
        nv_free(b);
    }
    const char *bad[] = {"Zg=", "Zh==", "Zm9v\n", "Z===", "=Zg=", "Zm 9"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        unsigned char *b = NULL;
        size_t n = 0;
        struct nv_err err = {0};
        ASSERT_EQ(nv_unbase64(bad[i], strlen(bad[i]), &b, &n, &err), NV_EPARSE);
    }
}

/* RFC 8032, section 7.1, test 1: the empty message. */
NV_TEST(crypto_ed25519_rfc8032)
{
    const char *pub = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a"
                      "68f707511a";
    const char *sig = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e0"
                      "65224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595b"
                      "be24655141438e7a100b";
    unsigned char raw[32], s[64];
    struct nv_err err = {0};
    struct nv_key *k = NULL;
    ASSERT_EQ(nv_unhex(pub, 64, raw, 32, &err), NV_OK);
    ASSERT_EQ(nv_unhex(sig, 128, s, 64, &err), NV_OK);
    ASSERT_EQ(nv_key_from_public(raw, &k, &err), NV_OK);
    ASSERT(!nv_key_can_sign(k));
    ASSERT(nv_key_verify(k, "", 0, s, 64));
    s[10] ^= 1;
    ASSERT(!nv_key_verify(k, "", 0, s, 64));
    ASSERT(!nv_key_verify(k, "", 0, s, 63));
    ASSERT_EQ(nv_key_sign(k, "x", 1, s, &err), NV_EINVAL);
    nv_key_free(k);
}

NV_TEST(crypto_key_files)
{
    char priv[512], pub[512];
    snprintf(priv, sizeof priv, "%s/k.key", nv_t_tmpdir());
    snprintf(pub, sizeof pub, "%s/k.pub", nv_t_tmpdir());
    struct nv_err err = {0};
    ASSERT_EQ(nv_key_generate(priv, pub, &err), NV_OK);
    struct stat st;
    ASSERT(stat(priv, &st) == 0);
    ASSERT_EQ(st.st_mode & 0777, 0600);
    /* Never overwritten. */
    ASSERT_EQ(nv_key_generate(priv, pub, &err), NV_EIO);

    struct nv_key *sk = NULL, *pk = NULL;
    ASSERT_EQ(nv_key_load(priv, &sk, &err), NV_OK);
    ASSERT_EQ(nv_key_load(pub, &pk, &err), NV_OK);
    ASSERT(nv_key_can_sign(sk) && !nv_key_can_sign(pk));
    ASSERT_STREQ(nv_key_id(sk), nv_key_id(pk));
    unsigned char s[64];
    ASSERT_EQ(nv_key_sign(sk, "evidence", 8, s, &err), NV_OK);
    ASSERT(nv_key_verify(pk, "evidence", 8, s, 64));
    ASSERT(!nv_key_verify(pk, "evidencE", 8, s, 64));
    nv_key_free(sk);
    nv_key_free(pk);

    FILE *f = fopen(pub, "w");
    ASSERT(f);
    fputs("-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----\n",
          f);
    fclose(f);
    nv_err_clear(&err);
    ASSERT_EQ(nv_key_load(pub, &pk, &err), NV_EPARSE);
    ASSERT(strstr(err.file, "k.pub") != NULL);
}
