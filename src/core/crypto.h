/*
 * crypto.h - hashing and signatures: SHA-256 and Ed25519.
 *
 * The only module that includes OpenSSL.  Digests go through EVP, so the
 * CPU's SHA instructions are used.  Keys are PEM files (PKCS#8 for
 * private keys, SubjectPublicKeyInfo for public ones); a key is named by
 * its key id, the hex SHA-256 of its 32 raw public bytes, which is what
 * signatures, trust roots and logs refer to.
 */
#ifndef NV_CRYPTO_H
#define NV_CRYPTO_H

#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

#define NV_SHA256_LEN 32
#define NV_SHA256_HEX 65 /* 64 hex digits and a NUL */
#define NV_ED25519_PUB_LEN 32
#define NV_ED25519_SIG_LEN 64
#define NV_KEYID_HEX NV_SHA256_HEX

/* ---- SHA-256 ---- */

/* The digest of data[0..n). */
void nv_sha256(const void *data, size_t n, unsigned char out[NV_SHA256_LEN]);

/* An incremental digest, for data that arrives in pieces. */
struct nv_sha256;
struct nv_sha256 *nv_sha256_new(void);
void nv_sha256_free(struct nv_sha256 *h);
void nv_sha256_add(struct nv_sha256 *h, const void *data, size_t n);
/* Write the digest and make h ready for a new message. */
void nv_sha256_end(struct nv_sha256 *h, unsigned char out[NV_SHA256_LEN]);

/* ---- encodings ---- */

/* n bytes as 2n lowercase hex digits and a NUL. */
void nv_hex(const unsigned char *b, size_t n, char *out);

/* n bytes from OpenSSL's random generator into out (for secrets: API
 * keys, session tokens); NV_ECRYPTO if it cannot give them. */
enum nv_rc nv_random(unsigned char *out, size_t n, struct nv_err *err) NV_WUR;

/* Exactly 2n hex digits (either case) into n bytes; NV_EPARSE otherwise. */
enum nv_rc nv_unhex(const char *s, size_t len, unsigned char *out, size_t n,
                    struct nv_err *err) NV_WUR;

/* Standard base64 (with padding): the length base64 of n bytes takes. */
size_t nv_base64_len(size_t n);

/* Encode n bytes into out (nv_base64_len(n) + 1 bytes, NUL-terminated). */
void nv_base64(const unsigned char *b, size_t n, char *out);

/* Decode base64 text into a new buffer (freed with nv_free); NV_EPARSE
 * on anything but canonical padded base64. */
enum nv_rc nv_unbase64(const char *s, size_t len, unsigned char **out,
                       size_t *n, struct nv_err *err) NV_WUR;

/* ---- Ed25519 keys ---- */

struct nv_key;

/* Create a key pair and write it: the private key readable by its owner
 * only, the public one by all.  Existing files are never overwritten. */
enum nv_rc nv_key_generate(const char *private_path, const char *public_path,
                           struct nv_err *err) NV_WUR;

/* Load a key from a PEM file: a private key can sign and verify; a public
 * key only verify.  Anything but an Ed25519 key is refused. */
enum nv_rc nv_key_load(const char *path, struct nv_key **out,
                       struct nv_err *err) NV_WUR;

/* A public key from its 32 raw bytes (as trust roots carry them). */
enum nv_rc nv_key_from_public(const unsigned char raw[NV_ED25519_PUB_LEN],
                              struct nv_key **out, struct nv_err *err) NV_WUR;

void nv_key_free(struct nv_key *k);

/* The key id, 64 hex digits. */
const char *nv_key_id(const struct nv_key *k);

/* The 32 raw public bytes. */
const unsigned char *nv_key_public(const struct nv_key *k);

/* Whether k holds a private key. */
int nv_key_can_sign(const struct nv_key *k);

/* Sign msg[0..n) with a private key. */
enum nv_rc nv_key_sign(const struct nv_key *k, const void *msg, size_t n,
                       unsigned char sig[NV_ED25519_SIG_LEN],
                       struct nv_err *err) NV_WUR;

/* 1 if sig is k's valid signature of msg[0..n), else 0. */
int nv_key_verify(const struct nv_key *k, const void *msg, size_t n,
                  const unsigned char *sig, size_t siglen);

#endif
