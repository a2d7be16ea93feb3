/*
 * update.h - checking a signed update before it is installed, in the
 * manner of The Update Framework (TUF).
 *
 * A trust root names the Ed25519 keys allowed to sign targets metadata
 * and how many of them must sign (k of n).  The metadata is a DSSE
 * envelope whose payload lists each target file with its length, SHA-256
 * and the hardware it is meant for.  A check runs, in order: signatures,
 * metadata, rollback, expiry, target, length, sha256, hardware; the first
 * failure refuses the update and the later checks are skipped.  A small
 * local state store remembers, per trust root, the last accepted version
 * and the hash of its metadata; it advances only when an update is
 * accepted.  The formats and the attack each check stops are in
 * docs/update.md.
 */
#ifndef NV_UPDATE_H
#define NV_UPDATE_H

#include "core/buf.h"
#include "core/crypto.h"

#include <stdint.h>
#include <stdio.h>

/* The DSSE payload type of targets metadata. */
#define NV_UPDATE_PAYLOAD_TYPE "application/vnd.netvet.update+json"

/* The most keys a trust root may hold (as many as an envelope's
 * signatures). */
#define NV_UPDATE_MAX_KEYS 64

/* ---- trust roots ---- */

struct nv_update_root;

/*
 * Parse a trust root from text[0..len) (name is for messages).  Roots
 * whose key ids do not match their keys, that list a key twice, or whose
 * threshold is 0 or above the number of keys fail with NV_EPARSE and the
 * position.  Free the root with nv_update_root_free.
 */
enum nv_rc nv_update_root_parse(const char *text, size_t len, const char *name,
                                struct nv_update_root **out,
                                struct nv_err *err) NV_WUR;

void nv_update_root_free(struct nv_update_root *r);

/* The root's id: hex SHA-256 of its threshold and sorted key ids, so
 * that reformatting the file keeps the same state. */
const char *nv_update_root_id(const struct nv_update_root *r);

/* Write a trust root of keys[0..n) (public halves) and threshold. */
enum nv_rc nv_update_root_write(FILE *out, const struct nv_key *const *keys,
                                size_t n, size_t threshold,
                                struct nv_err *err) NV_WUR;

/* ---- metadata ---- */

/*
 * Check that text[0..len) is well-formed targets metadata (positions in
 * errors), then write it as a DSSE envelope signed by each of keys.
 */
enum nv_rc nv_update_sign(FILE *out, const char *text, size_t len,
                          const char *name, const struct nv_key *const *keys,
                          size_t nkeys, struct nv_err *err) NV_WUR;

/* "2027-01-01T00:00:00Z" (UTC, whole seconds) as seconds since 1970. */
enum nv_rc nv_update_parse_time(const char *s, size_t n, int64_t *out) NV_WUR;

/* ---- checking ---- */

enum nv_update_check {
    NV_UPDATE_SIGNATURES, /* k of n distinct trusted keys signed */
    NV_UPDATE_METADATA,   /* the signed payload is targets metadata */
    NV_UPDATE_ROLLBACK,   /* version not below the last accepted one */
    NV_UPDATE_EXPIRY,     /* not expired at now */
    NV_UPDATE_TARGET,     /* the target is listed */
    NV_UPDATE_LENGTH,     /* the file has the listed length */
    NV_UPDATE_SHA256,     /* and the listed SHA-256 */
    NV_UPDATE_HARDWARE,   /* and is meant for this hardware */
    NV_UPDATE_NCHECKS
};

enum nv_update_status { NV_UPDATE_SKIP, NV_UPDATE_PASS, NV_UPDATE_FAIL };

/* The check's name as reports print it ("rollback"). */
const char *nv_update_check_name(enum nv_update_check c);

/* "skip", "pass" or "fail". */
const char *nv_update_status_name(enum nv_update_status s);

struct nv_update_request {
    const struct nv_update_root *root;
    const char *meta; /* the envelope text, meta_len bytes */
    size_t meta_len;
    const char *meta_name; /* for messages */
    const char *target;    /* path of the file to check */
    const char *name;      /* its name in the metadata; NULL: basename */
    const char *hardware;  /* this device's identifier; NULL: none */
    int64_t now;           /* seconds since 1970, UTC */
    const char *state_dir; /* created if missing */
};

#define NV_UPDATE_REASON_SIZE 200

struct nv_update_result {
    enum nv_update_status status[NV_UPDATE_NCHECKS];
    char reason[NV_UPDATE_NCHECKS][NV_UPDATE_REASON_SIZE];
    int accepted;
    char name[256];                    /* the target's name */
    int64_t version;                   /* of the metadata; 0 if unknown */
    int64_t previous;                  /* last accepted; 0 if none */
    char root_id[NV_SHA256_HEX];       /* the trust root's id */
    char meta_sha256[NV_SHA256_HEX];   /* of the payload; "" if unknown */
    char target_sha256[NV_SHA256_HEX]; /* of the file; "" if not read */
};

/*
 * Run the checks of q into r.  NV_OK means a decision was made:
 * r->accepted says which, and the state store was advanced (atomically)
 * exactly when the update was accepted.  Bad input - an envelope or signed
 * payload that is not well-formed (with its position), an unreadable
 * target or state - fails with the error; r then holds the checks made so
 * far, and the state is untouched.
 */
enum nv_rc nv_update_check(const struct nv_update_request *q,
                           struct nv_update_result *r,
                           struct nv_err *err) NV_WUR;

/* The decision as members of the JSON object being written to w (what
 * nv_update_summary writes inside its braces). */
struct nv_jsonw;
void nv_update_summary_json(struct nv_jsonw *w,
                            const struct nv_update_result *r);

/*
 * Append the decision r as one line of JSON (no newline) to out: for the
 * evidence log and for --json.  NV_ELIMIT if out is too small.
 */
enum nv_rc nv_update_summary(const struct nv_update_result *r,
                             struct nv_buf *out, struct nv_err *err) NV_WUR;

#endif
