/*
 * keys.h - what `netvet serve` keeps in the store besides snapshots: the
 * API keys (their SHA-256 only, never the key), the audit trail of every
 * change and decision, and the snapshots withdrawn from its lists
 * (snapshots themselves are immutable).
 */
#ifndef NV_STORE_KEYS_H
#define NV_STORE_KEYS_H

#include "core/arena.h"
#include "core/crypto.h"
#include "core/err.h"
#include "store/store.h"

#include <stdint.h>

/* Permissions, as bits. */
enum nv_perm {
    NV_PERM_READ = 1,
    NV_PERM_WRITE = 2,
    NV_PERM_ANALYSE = 4,
    NV_PERM_ADMIN = 8
};

/* The longest key name. */
#define NV_KEY_NAME_MAX 64

/* A key as listed; strings live in the list's arena. */
struct nv_apikey {
    const char *name, *created;
    const char *revoked; /* NULL while valid */
    unsigned perms;
};

struct nv_apikeys {
    struct nv_arena arena;
    struct nv_apikey *v;
    uint32_t n;
};

/* Keep a key named name (NV_KEY_NAME_MAX bytes at most) whose SHA-256 is
 * hash (hex), with perms, made at time.  NV_EDUP if the name is taken. */
enum nv_rc nv_store_key_add(struct nv_store *s, const char *name,
                            const char *hash, unsigned perms, const char *time,
                            struct nv_err *err) NV_WUR;

/* The name (into name[NV_KEY_NAME_MAX + 1]) and permissions of the valid
 * key whose hash is hash; NV_ENOENT when none is (or it is revoked). */
enum nv_rc nv_store_key_find(struct nv_store *s, const char *hash, char *name,
                             unsigned *perms, struct nv_err *err) NV_WUR;

/* Revoke the key named name at time; NV_ENOENT when no valid key has it. */
enum nv_rc nv_store_key_revoke(struct nv_store *s, const char *name,
                               const char *time, struct nv_err *err) NV_WUR;

/* Every key, in name order (release with nv_store_keys_release). */
enum nv_rc nv_store_key_list(struct nv_store *s, struct nv_apikeys *out,
                             struct nv_err *err) NV_WUR;
void nv_store_keys_release(struct nv_apikeys *l);

/* One row of the audit trail: who (a key name) did action to target,
 * when and why; hash is the SHA-256 (hex) of the evidence-log entry
 * that records it, log_index its place in the log (-1 if not logged). */
struct nv_audit {
    int64_t seq;
    const char *who, *time, *action, *target, *message, *hash;
    int64_t log_index;
};

struct nv_audits {
    struct nv_arena arena;
    struct nv_audit *v;
    uint32_t n;
};

/* Append row a (its seq is ignored) and give its seq in *seq. */
enum nv_rc nv_store_audit_add(struct nv_store *s, const struct nv_audit *a,
                              int64_t *seq, struct nv_err *err) NV_WUR;

/* Record that row seq is entry index of the evidence log. */
enum nv_rc nv_store_audit_logged(struct nv_store *s, int64_t seq, int64_t index,
                                 struct nv_err *err) NV_WUR;

/* At most limit rows with seq below before (0: from the newest), newest
 * first (release with nv_store_audits_release). */
enum nv_rc nv_store_audit_list(struct nv_store *s, int64_t before,
                               uint32_t limit, struct nv_audits *out,
                               struct nv_err *err) NV_WUR;
void nv_store_audits_release(struct nv_audits *l);

/* Withdraw snapshot id (the audit row seq says who and why); its text
 * stays, as every snapshot's does.  *withdrawn: whether it is. */
enum nv_rc nv_store_withdraw(struct nv_store *s, const char *id, int64_t seq,
                             struct nv_err *err) NV_WUR;
enum nv_rc nv_store_withdrawn(struct nv_store *s, const char *id,
                              int *withdrawn, struct nv_err *err) NV_WUR;

#endif
