/*
 * evproof.h - proofs about the evidence log that anyone can check with
 * the log's public key alone.
 *
 * A proof is a JSON document (docs/log.md) that carries the log's signed
 * checkpoint and everything needed to tie its claim to it:
 *
 *   inclusion    entry number index, with its bytes, is in the tree of
 *                the first size entries
 *   consistency  the tree of the first old_size entries is a prefix of
 *                the tree of the first size entries
 *
 * and, when size is below the checkpoint's size, that the tree of size
 * entries is a prefix of the signed one.  Checking needs no access to
 * the log.
 */
#ifndef NV_EVPROOF_H
#define NV_EVPROOF_H

#include "core/arena.h"
#include "integrity/checkpoint.h"
#include "core/err.h"
#include "integrity/evlog.h"
#include "core/json.h"
#include "integrity/merkle.h"

#include <stddef.h>
#include <stdint.h>

#define NV_EVPROOF_FORMAT "netvet-log-proof/1"
/* The largest proof document read: a 1 MiB entry in base64 and more. */
#define NV_EVPROOF_MAX_TEXT ((size_t)4 << 20)

enum nv_evproof_kind { NV_EVPROOF_INCLUSION, NV_EVPROOF_CONSISTENCY };

/* A list of proof hashes, in RFC 9162 order. */
struct nv_evproof_path {
    unsigned char h[NV_MERKLE_MAX_PATH * NV_MERKLE_HASH];
    size_t n;
};

struct nv_evproof {
    enum nv_evproof_kind kind;
    struct nv_checkpoint cp; /* the signed tree */
    uint64_t size;           /* the tree the claim is about */
    unsigned char root[NV_MERKLE_HASH];
    struct nv_evproof_path to_cp; /* its consistency with cp */
    uint64_t index;               /* inclusion: the entry's number */
    const unsigned char *entry;   /* inclusion: its bytes (borrowed) */
    size_t entry_len;
    uint64_t old_size; /* consistency: the older tree */
    unsigned char old_root[NV_MERKLE_HASH];
    struct nv_evproof_path path; /* the proof of the claim */
};

/*
 * Prove that entry index is in the tree of the first size entries of
 * log (size 0: the checkpoint's size).  The entry is borrowed from log.
 * NV_EINVAL for an index or size the log does not have, NV_ECONFLICT
 * if the log does not match its checkpoint.
 */
enum nv_rc nv_evproof_inclusion(const struct nv_evlog *log, uint64_t index,
                                uint64_t size, struct nv_evproof *p,
                                struct nv_err *err) NV_WUR;

/* Prove that the first old_size entries of log are a prefix of the
 * first size (0: the checkpoint's size); errors as above. */
enum nv_rc nv_evproof_consistency(const struct nv_evlog *log, uint64_t old_size,
                                  uint64_t size, struct nv_evproof *p,
                                  struct nv_err *err) NV_WUR;

/* Write p as a JSON document. */
enum nv_rc nv_evproof_write(const struct nv_evproof *p, struct nv_jsonw *w,
                            struct nv_err *err) NV_WUR;

/*
 * Read a proof document text[0..len) into p; its entry lives in a.
 * NV_EPARSE with the line and column of what is wrong.
 */
enum nv_rc nv_evproof_parse(const char *text, size_t len, const char *name,
                            struct nv_arena *a, struct nv_evproof *p,
                            struct nv_err *err) NV_WUR;

/*
 * Check p with the public key trust: NV_ECRYPTO if the checkpoint is
 * not signed by it, NV_ECONFLICT if a proof does not hold.
 */
enum nv_rc nv_evproof_verify(const struct nv_evproof *p,
                             const struct nv_key *trust,
                             struct nv_err *err) NV_WUR;

#endif
