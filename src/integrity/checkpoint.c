/*
 * checkpoint.c - writing, reading and checking signed checkpoints.
 *
 * The parser takes the text apart line by line and accepts only the one
 * canonical form (decimal without leading zeros, canonical base64), so
 * the signed bytes can be rebuilt from the parsed fields and a checkpoint
 * has exactly one text.
 */
#include "integrity/checkpoint.h"

#include "core/alloc.h"
#include "core/parse.h"

#include <string.h>

#define EM_DASH "\xe2\x80\x94"
#define HASH_B64 44 /* base64 of 32 bytes */
#define SIG_BYTES (4 + NV_ED25519_SIG_LEN)
#define SIG_B64 92 /* base64 of SIG_BYTES */

/* Whether s[0..n) may name a log: one line, no control characters. */
static int origin_ok(const char *s, size_t n)
{
    if (n == 0 || n > NV_CHECKPOINT_MAX_ORIGIN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

/* The signed-note key hash of an Ed25519 key called name. */
static void key_hash(const char *name, const unsigned char *pub,
                     unsigned char out[4])
{
    unsigned char in[NV_KEYID_HEX + 1 + NV_ED25519_PUB_LEN];
    unsigned char d[NV_SHA256_LEN];
    size_t n = strlen(name);

    memcpy(in, name, n);
    in[n] = '\n';
    in[n + 1] = 0x01; /* the signature type of Ed25519 */
    memcpy(in + n + 2, pub, NV_ED25519_PUB_LEN);
    nv_sha256(in, n + 2 + NV_ED25519_PUB_LEN, d);
    memcpy(out, d, 4);
}

/* The signed text: origin, size and root, a line each. */
static enum nv_rc add_body(const struct nv_checkpoint *cp, struct nv_buf *out)
{
    char root[HASH_B64 + 1];

    nv_base64(cp->root, NV_MERKLE_HASH, root);
    return nv_buf_addf(out, "%s\n%llu\n%s\n", cp->origin,
                       (unsigned long long)cp->size, root);
}

enum nv_rc nv_checkpoint_sign(struct nv_checkpoint *cp, const char *origin,
                              uint64_t size, const unsigned char *root,
                              const struct nv_key *key, struct nv_err *err)
{
    size_t n = strlen(origin);
    struct nv_buf body;
    enum nv_rc rc;

    if (!origin_ok(origin, n))
        return nv_err_set(err, NV_EINVAL,
                          "a log origin is one line of 1 to %d bytes "
                          "without control characters",
                          NV_CHECKPOINT_MAX_ORIGIN);
    memcpy(cp->origin, origin, n + 1);
    cp->size = size;
    memcpy(cp->root, root, NV_MERKLE_HASH);
    memcpy(cp->signer, nv_key_id(key), NV_KEYID_HEX);
    key_hash(cp->signer, nv_key_public(key), cp->keyhash);
    nv_buf_init(&body, NV_CHECKPOINT_MAX_TEXT);
    rc = add_body(cp, &body);
    if (rc)
        nv_err_set(err, rc, "cannot build the checkpoint");
    else
        rc = nv_key_sign(key, body.data, body.len, cp->sig, err);
    nv_buf_release(&body);
    return rc;
}

enum nv_rc nv_checkpoint_format(const struct nv_checkpoint *cp,
                                struct nv_buf *out, struct nv_err *err)
{
    unsigned char sig[SIG_BYTES];
    char b64[SIG_B64 + 1];
    enum nv_rc rc;

    memcpy(sig, cp->keyhash, 4);
    memcpy(sig + 4, cp->sig, NV_ED25519_SIG_LEN);
    nv_base64(sig, sizeof sig, b64);
    rc = add_body(cp, out);
    if (!rc)
        rc = nv_buf_addf(out, "\n" EM_DASH " %s %s\n", cp->signer, b64);
    return rc ? nv_err_set(err, rc, "cannot write the checkpoint") : NV_OK;
}

enum nv_rc nv_checkpoint_verify(const struct nv_checkpoint *cp,
                                const struct nv_key *key, struct nv_err *err)
{
    unsigned char kh[4];
    struct nv_buf body;
    int ok;

    if (strcmp(cp->signer, nv_key_id(key)) != 0)
        return nv_err_set(err, NV_ECRYPTO,
                          "checkpoint signed by key %.16s, not by the "
                          "trusted key %.16s",
                          cp->signer, nv_key_id(key));
    key_hash(cp->signer, nv_key_public(key), kh);
    nv_buf_init(&body, NV_CHECKPOINT_MAX_TEXT);
    if (add_body(cp, &body)) {
        nv_buf_release(&body);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    ok = memcmp(kh, cp->keyhash, 4) == 0 &&
         nv_key_verify(key, body.data, body.len, cp->sig, NV_ED25519_SIG_LEN);
    nv_buf_release(&body);
    return ok ? NV_OK
              : nv_err_set(err, NV_ECRYPTO,
                           "the checkpoint signature does not hold");
}

enum nv_rc nv_checkpoint_hash(const char *s, size_t len,
                              unsigned char out[NV_MERKLE_HASH],
                              struct nv_err *err)
{
    unsigned char *b;
    size_t n;
    enum nv_rc rc;

    if (len != HASH_B64)
        return nv_err_set(err, NV_EPARSE, "a hash is %d base64 characters",
                          HASH_B64);
    rc = nv_unbase64(s, len, &b, &n, err);
    if (rc)
        return rc;
    if (n == NV_MERKLE_HASH)
        memcpy(out, b, n);
    nv_free(b);
    return n == NV_MERKLE_HASH
               ? NV_OK
               : nv_err_set(err, NV_EPARSE, "a hash is 32 bytes");
}

/* A cursor over the lines of a checkpoint, for positions in errors. */
struct lines {
    const char *text, *name;
    size_t len, pos;
    unsigned long no; /* the line last returned, 1-based */
};

static enum nv_rc fail(const struct lines *l, unsigned long col,
                       const char *msg, struct nv_err *err)
{
    return nv_err_at(err, NV_EPARSE, l->name, l->no, col, "%s", msg);
}

static enum nv_rc next_line(struct lines *l, const char **s, size_t *n,
                            struct nv_err *err)
{
    const char *nl = NULL;

    l->no++;
    if (l->pos < l->len)
        nl = memchr(l->text + l->pos, '\n', l->len - l->pos);
    if (!nl)
        return fail(
            l, 1, "a checkpoint is five lines, each ending in a newline", err);
    *s = l->text + l->pos;
    *n = (size_t)(nl - *s);
    l->pos += *n + 1;
    return NV_OK;
}

static int is_key_id(const char *s, size_t n)
{
    if (n != NV_KEYID_HEX - 1)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* "— NAME BASE64": the key name, key hash and signature. */
static enum nv_rc parse_signature(const struct lines *l, const char *s,
                                  size_t n, struct nv_checkpoint *cp,
                                  struct nv_err *err)
{
    const size_t dash = sizeof EM_DASH; /* the dash and a space */
    unsigned char *b;
    size_t bn;
    struct nv_err inner = {0};

    if (n < dash || memcmp(s, EM_DASH " ", dash) != 0)
        return fail(l, 1, "a signature line starts with an em dash and a space",
                    err);
    if (n != dash + 64 + 1 + SIG_B64 || !is_key_id(s + dash, 64) ||
        s[dash + 64] != ' ')
        return fail(l, 3,
                    "a signature line holds a key id and 92 characters "
                    "of base64",
                    err);
    if (nv_unbase64(s + dash + 65, SIG_B64, &b, &bn, &inner))
        return nv_err_at(err, inner.rc, l->name, l->no, 68, "%s", inner.msg);
    memcpy(cp->signer, s + dash, 64);
    cp->signer[64] = '\0';
    memcpy(cp->keyhash, b, 4);
    memcpy(cp->sig, b + 4, NV_ED25519_SIG_LEN);
    nv_free(b);
    return NV_OK;
}

/* The three signed lines: origin, tree size and root. */
static enum nv_rc parse_body(struct lines *l, struct nv_checkpoint *cp,
                             struct nv_err *err)
{
    const char *s;
    size_t n;
    int64_t size;
    struct nv_err inner = {0};

    if (next_line(l, &s, &n, err))
        return NV_EPARSE;
    if (!origin_ok(s, n))
        return fail(l, 1, "the origin is one line of 1 to 255 bytes", err);
    memcpy(cp->origin, s, n);
    cp->origin[n] = '\0';
    if (next_line(l, &s, &n, err))
        return NV_EPARSE;
    if (!n || (s[0] == '0' && n > 1) || nv_parse_i64(s, n, 0, INT64_MAX, &size))
        return fail(l, 1, "the tree size is a decimal number", err);
    cp->size = (uint64_t)size;
    if (next_line(l, &s, &n, err))
        return NV_EPARSE;
    if (nv_checkpoint_hash(s, n, cp->root, &inner))
        return nv_err_at(err, inner.rc, l->name, l->no, 1, "the root: %s",
                         inner.msg);
    return NV_OK;
}

enum nv_rc nv_checkpoint_parse(const char *text, size_t len, const char *name,
                               struct nv_checkpoint *cp, struct nv_err *err)
{
    struct lines l = {text, name, len, 0, 0};
    struct nv_checkpoint c;
    const char *s = NULL;
    size_t n = 0;
    enum nv_rc rc;

    if (len > NV_CHECKPOINT_MAX_TEXT)
        return nv_err_at(err, NV_ELIMIT, name, 0, 0,
                         "a checkpoint has at most %d bytes",
                         NV_CHECKPOINT_MAX_TEXT);
    rc = parse_body(&l, &c, err);
    if (!rc)
        rc = next_line(&l, &s, &n, err);
    if (!rc && n != 0)
        rc = fail(&l, 1, "a blank line comes before the signature", err);
    if (!rc)
        rc = next_line(&l, &s, &n, err);
    if (!rc)
        rc = parse_signature(&l, s, n, &c, err);
    if (!rc && l.pos != len) {
        l.no++;
        rc = fail(&l, 1, "only one signature line is accepted", err);
    }
    if (!rc)
        *cp = c;
    return rc;
}
