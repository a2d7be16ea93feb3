/*
 * crypto.c - SHA-256, base64 and Ed25519 over OpenSSL 3.
 */
#include "core/crypto.h"

#include "core/alloc.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct nv_sha256 {
    EVP_MD_CTX *ctx;
};

struct nv_key {
    EVP_PKEY *pkey;
    int can_sign;
    unsigned char pub[NV_ED25519_PUB_LEN];
    char id[NV_KEYID_HEX];
};

void nv_sha256(const void *data, size_t n, unsigned char out[NV_SHA256_LEN])
{
    SHA256(data, n, out);
}

struct nv_sha256 *nv_sha256_new(void)
{
    struct nv_sha256 *h = nv_calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL)) {
        nv_sha256_free(h);
        return NULL;
    }
    return h;
}

void nv_sha256_free(struct nv_sha256 *h)
{
    if (!h)
        return;
    EVP_MD_CTX_free(h->ctx);
    nv_free(h);
}

void nv_sha256_add(struct nv_sha256 *h, const void *data, size_t n)
{
    EVP_DigestUpdate(h->ctx, data, n);
}

void nv_sha256_end(struct nv_sha256 *h, unsigned char out[NV_SHA256_LEN])
{
    EVP_DigestFinal_ex(h->ctx, out, NULL);
    EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL);
}

enum nv_rc nv_random(unsigned char *out, size_t n, struct nv_err *err)
{
    if (n > INT32_MAX || RAND_bytes(out, (int)n) != 1)
        return nv_err_set(err, NV_ECRYPTO, "no random bytes to be had");
    return NV_OK;
}

void nv_hex(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum nv_rc nv_unhex(const char *s, size_t len, unsigned char *out, size_t n,
                    struct nv_err *err)
{
    if (len != 2 * n)
        return nv_err_set(err, NV_EPARSE, "expected %zu hex digits, found %zu",
                          2 * n, len);
    for (size_t i = 0; i < len; i++)
        if (hex_value(s[i]) < 0)
            return nv_err_set(err, NV_EPARSE, "'%c' is not a hex digit", s[i]);
    for (size_t i = 0; i < n; i++)
        out[i] =
            (unsigned char)(hex_value(s[2 * i]) << 4 | hex_value(s[2 * i + 1]));
    return NV_OK;
}

size_t nv_base64_len(size_t n)
{
    return (n + 2) / 3 * 4;
}

void nv_base64(const unsigned char *b, size_t n, char *out)
{
    /* EVP_EncodeBlock takes an int; encode in slices a multiple of 3. */
    const size_t slice = (size_t)3 << 20;
    while (n > slice) {
        out += EVP_EncodeBlock((unsigned char *)out, b, (int)slice);
        b += slice;
        n -= slice;
    }
    EVP_EncodeBlock((unsigned char *)out, b, (int)n);
}

enum nv_rc nv_unbase64(const char *s, size_t len, unsigned char **out,
                       size_t *n, struct nv_err *err)
{
    if (len % 4 || len > (size_t)1 << 30)
        return nv_err_set(err, NV_EPARSE, "base64 text of length %zu", len);
    unsigned char *b = nv_malloc(len / 4 * 3 + 1);
    char *again = nv_malloc(len + 1);
    if (!b || !again) {
        nv_free(b);
        nv_free(again);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    int got = len ? EVP_DecodeBlock(b, (const unsigned char *)s, (int)len) : 0;
    size_t pad = len && s[len - 1] == '=' ? 1 + (s[len - 2] == '=') : 0;
    size_t bytes = got < 0 ? 0 : (size_t)got - pad;
    /* Only canonical text encodes back to itself: that rules out stray
     * characters, misplaced padding and non-zero trailing bits. */
    if (got >= 0)
        nv_base64(b, bytes, again);
    if (got < 0 || memcmp(again, s, len) != 0) {
        nv_free(b);
        nv_free(again);
        return nv_err_set(err, NV_EPARSE, "not canonical base64");
    }
    nv_free(again);
    *out = b;
    *n = bytes;
    return NV_OK;
}

/* Record OpenSSL's reason (if any) and clear its queue. */
static enum nv_rc crypto_fail(struct nv_err *err, enum nv_rc rc,
                              const char *what)
{
    unsigned long e = ERR_get_error();
    char reason[120] = "";
    if (e)
        ERR_error_string_n(e, reason, sizeof reason);
    ERR_clear_error();
    return nv_err_set(err, rc, "%s%s%s", what, e ? ": " : "", reason);
}

/* Wrap pkey (taken over) as a key; refuses anything but Ed25519. */
static enum nv_rc key_wrap(EVP_PKEY *pkey, int can_sign, struct nv_key **out,
                           struct nv_err *err)
{
    size_t len = NV_ED25519_PUB_LEN;
    struct nv_key *k = NULL;
    if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(pkey);
        return nv_err_set(err, NV_EUNSUPPORTED, "not an Ed25519 key");
    }
    k = nv_calloc(1, sizeof *k);
    if (!k) {
        EVP_PKEY_free(pkey);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    k->pkey = pkey;
    k->can_sign = can_sign;
    if (!EVP_PKEY_get_raw_public_key(pkey, k->pub, &len)) {
        nv_key_free(k);
        return crypto_fail(err, NV_ECRYPTO, "cannot read the public key");
    }
    unsigned char id[NV_SHA256_LEN];
    nv_sha256(k->pub, sizeof k->pub, id);
    nv_hex(id, sizeof id, k->id);
    *out = k;
    return NV_OK;
}

/* Write pkey as PEM to a new file with mode; the file is removed again
 * if writing fails. */
static enum nv_rc write_pem(const char *path, EVP_PKEY *pkey, int private,
                            mode_t mode, struct nv_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return nv_err_set(err, NV_EIO, "%s: %s", path, strerror(errno));
    FILE *f = fdopen(fd, "w");
    int ok = f && fchmod(fd, mode) == 0 &&
             (private ? PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL)
                      : PEM_write_PUBKEY(f, pkey));
    ok = ok && fflush(f) == 0 && fsync(fd) == 0;
    if ((f ? fclose(f) : close(fd)) != 0)
        ok = 0;
    if (!ok) {
        unlink(path);
        return crypto_fail(err, NV_EIO, path);
    }
    return NV_OK;
}

enum nv_rc nv_key_generate(const char *private_path, const char *public_path,
                           struct nv_err *err)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    if (!pkey)
        return crypto_fail(err, NV_ECRYPTO, "cannot generate a key");
    enum nv_rc rc = write_pem(private_path, pkey, 1, 0600, err);
    if (!rc) {
        rc = write_pem(public_path, pkey, 0, 0644, err);
        if (rc)
            unlink(private_path);
    }
    EVP_PKEY_free(pkey);
    return rc;
}

enum nv_rc nv_key_load(const char *path, struct nv_key **out,
                       struct nv_err *err)
{
    BIO *bio = BIO_new_file(path, "r");
    if (!bio) {
        ERR_clear_error();
        nv_err_file(err, path);
        return nv_err_set(err, NV_EIO, "cannot open: %s", strerror(errno));
    }
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    int private = pkey != NULL;
    if (!pkey && BIO_reset(bio) == 0)
        pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (!pkey) {
        nv_err_file(err, path);
        return crypto_fail(err, NV_EPARSE, "not a PEM key");
    }
    ERR_clear_error();
    if (key_wrap(pkey, private, out, err)) {
        nv_err_file(err, path);
        return err->rc;
    }
    return NV_OK;
}

enum nv_rc nv_key_from_public(const unsigned char raw[NV_ED25519_PUB_LEN],
                              struct nv_key **out, struct nv_err *err)
{
    EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw,
                                                 NV_ED25519_PUB_LEN);
    if (!pkey)
        return crypto_fail(err, NV_ECRYPTO, "not an Ed25519 public key");
    return key_wrap(pkey, 0, out, err);
}

void nv_key_free(struct nv_key *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->pkey);
    nv_free(k);
}

const char *nv_key_id(const struct nv_key *k)
{
    return k->id;
}

const unsigned char *nv_key_public(const struct nv_key *k)
{
    return k->pub;
}

int nv_key_can_sign(const struct nv_key *k)
{
    return k->can_sign;
}

enum nv_rc nv_key_sign(const struct nv_key *k, const void *msg, size_t n,
                       unsigned char sig[NV_ED25519_SIG_LEN],
                       struct nv_err *err)
{
    if (!k->can_sign)
        return nv_err_set(err, NV_EINVAL, "key %.16s is a public key", k->id);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t len = NV_ED25519_SIG_LEN;
    int ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) &&
             EVP_DigestSign(ctx, sig, &len, msg, n);
    EVP_MD_CTX_free(ctx);
    return ok ? NV_OK : crypto_fail(err, NV_ECRYPTO, "cannot sign");
}

int nv_key_verify(const struct nv_key *k, const void *msg, size_t n,
                  const unsigned char *sig, size_t siglen)
{
    if (siglen != NV_ED25519_SIG_LEN)
        return 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->pkey) &&
             EVP_DigestVerify(ctx, sig, siglen, msg, n) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}
