/*
 * test_dsse.c - envelopes: thresholds, distinct keys, tampering, types.
 */
#include "test.h"

#include "integrity/dsse.h"

#include <stdio.h>
#include <stdlib.h>

/* A new private key in the test directory. */
static struct nv_key *new_key(void)
{
    static int n;
    char priv[512], pub[512];
    struct nv_err err = {0};
    struct nv_key *k = NULL;
    snprintf(priv, sizeof priv, "%s/d%d.key", nv_t_tmpdir(), n);
    snprintf(pub, sizeof pub, "%s/d%d.pub", nv_t_tmpdir(), n++);
    if (nv_key_generate(priv, pub, &err) || nv_key_load(priv, &k, &err))
        return NULL;
    return k;
}

/* Open text with threshold; the return code. */
static enum nv_rc open_with(const char *text, size_t len,
                            const struct nv_key *const *trust, size_t ntrust,
                            size_t threshold, struct nv_dsse *d)
{
    struct nv_err err = {0};
    nv_err_clear(&err);
    return nv_dsse_open(text, len, "env.json", "application/x-test", trust,
                        ntrust, threshold, d, &err);
}

NV_TEST(dsse_thresholds_and_tampering)
{
    struct nv_key *a = new_key(), *b = new_key(), *c = new_key();
    ASSERT(a && b && c);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const struct nv_key *signers[] = {a, b, a};
    struct nv_err err = {0};
    ASSERT_EQ(
        nv_dsse_write(f, "application/x-test", "hello", 5, signers, 3, &err),
        NV_OK);
    fclose(f);

    const struct nv_key *trust[] = {a, b, c};
    struct nv_dsse d;
    ASSERT_EQ(open_with(text, len, trust, 3, 2, &d), NV_OK);
    ASSERT_EQ(d.valid, 2); /* a signed twice: counted once */
    ASSERT_EQ(d.n, 5);
    ASSERT(memcmp(d.payload, "hello", 5) == 0);
    nv_dsse_release(&d);
    ASSERT_EQ(open_with(text, len, trust, 3, 3, &d), NV_ECRYPTO);
    ASSERT_EQ(open_with(text, len, trust + 2, 1, 1, &d), NV_ECRYPTO);

    struct nv_err e2;
    nv_err_clear(&e2);
    ASSERT_EQ(
        nv_dsse_open(text, len, "env.json", "other/type", trust, 3, 1, &d, &e2),
        NV_ECRYPTO);

    /* "hello" is aGVsbG8=; "jello" is amVsbG8=: a changed payload. */
    char *p = strstr(text, "aGVsbG8=");
    ASSERT(p);
    memcpy(p, "amVsbG8=", 8);
    ASSERT_EQ(open_with(text, len, trust, 3, 1, &d), NV_ECRYPTO);
    p[7] = '!'; /* not base64 any more */
    ASSERT_EQ(open_with(text, len, trust, 3, 1, &d), NV_EPARSE);
    ASSERT_EQ(open_with("[]", 2, trust, 3, 1, &d), NV_EPARSE);
    free(text);
    nv_key_free(a);
    nv_key_free(b);
    nv_key_free(c);
}
