/*
 * checkpoint.h - signed tree heads in the C2SP tlog-checkpoint manner.
 *
 * A checkpoint says "the log named origin holds size entries whose tree
 * has this root", signed with Ed25519 as a C2SP signed note:
 *
 *     netvet evidence log                       origin, one line
 *     4                                         tree size, decimal
 *     2Hb0...Xg=                                root hash, base64
 *                                               blank line
 *     — 8f3a...c1 AbCd...==                     signature line
 *
 * The first three lines (with their newlines) are what is signed.  The
 * signature line is an em dash (U+2014), a space, the key name, a space,
 * and base64 of the 4-byte key hash followed by the 64-byte signature.
 * The key name is the signing key's id (crypto.h); the key hash is the
 * first four bytes of SHA-256(name || "\n" || 0x01 || public key), as
 * signed notes define it for Ed25519.  This module accepts exactly this
 * form: no extension lines, one signature.
 */
#ifndef NV_CHECKPOINT_H
#define NV_CHECKPOINT_H

#include "core/buf.h"
#include "core/crypto.h"
#include "core/err.h"
#include "integrity/merkle.h"

#include <stdint.h>

#define NV_CHECKPOINT_MAX_ORIGIN 255
/* No valid checkpoint is longer; parsers refuse longer text. */
#define NV_CHECKPOINT_MAX_TEXT 1024

struct nv_checkpoint {
    char origin[NV_CHECKPOINT_MAX_ORIGIN + 1];
    uint64_t size;
    unsigned char root[NV_MERKLE_HASH];
    char signer[NV_KEYID_HEX]; /* the key name: a key id */
    unsigned char keyhash[4];
    unsigned char sig[NV_ED25519_SIG_LEN];
};

/*
 * Fill cp with origin, size and root and sign it with key.  NV_EINVAL if
 * the origin is empty, too long or holds control characters.
 */
enum nv_rc nv_checkpoint_sign(struct nv_checkpoint *cp, const char *origin,
                              uint64_t size, const unsigned char *root,
                              const struct nv_key *key,
                              struct nv_err *err) NV_WUR;

/* Append the text of cp, as described above, to out. */
enum nv_rc nv_checkpoint_format(const struct nv_checkpoint *cp,
                                struct nv_buf *out, struct nv_err *err) NV_WUR;

/*
 * Parse the text[0..len) of a checkpoint; errors name name with the line
 * and column.  Only the form, not the signature, is checked.
 */
enum nv_rc nv_checkpoint_parse(const char *text, size_t len, const char *name,
                               struct nv_checkpoint *cp,
                               struct nv_err *err) NV_WUR;

/* NV_OK if cp is signed by key; NV_ECRYPTO if by another key or the
 * signature does not hold. */
enum nv_rc nv_checkpoint_verify(const struct nv_checkpoint *cp,
                                const struct nv_key *key,
                                struct nv_err *err) NV_WUR;

/* Decode exactly one base64 hash from s[0..len); NV_EPARSE otherwise. */
enum nv_rc nv_checkpoint_hash(const char *s, size_t len,
                              unsigned char out[NV_MERKLE_HASH],
                              struct nv_err *err) NV_WUR;

#endif
