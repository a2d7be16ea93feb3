/*
 * store.h - the history store: immutable snapshots of a model in one
 * SQLite file (docs/store.md).
 *
 * A snapshot is a model's canonical native JSON (save.h) with the time it
 * was added, who added it and why.  Its id is the SHA-256 of that text,
 * so the same model added twice is one snapshot, and a snapshot whose
 * text no longer hashes to its id is reported as altered when read.
 * Snapshots are never changed or removed (the schema refuses it); since
 * schema version 3 the text is kept compressed with zstd.  The
 * store also keeps analysis results per snapshot and key (posture.h),
 * each tagged with the netvet version that computed it.
 *
 * The file is in WAL mode; every change is one transaction, so a process
 * killed at any point leaves the store as it was before the change or
 * after it, and several processes may add at once (each waits its turn).
 * The schema carries a version: an older store is migrated when opened,
 * after a copy of it is kept beside it (FILE.vN.bak); a newer one, and a
 * file that is no netvet store, are refused.
 *
 * Only this module talks to SQLite.
 */
#ifndef NV_STORE_H
#define NV_STORE_H

#include "core/arena.h"
#include "core/crypto.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

/* The schema version this netvet writes. */
#define NV_STORE_SCHEMA 4

/* The largest snapshot text accepted (SQLite's own limit is 1 GB). */
#define NV_STORE_MAX_TEXT ((size_t)900 << 20)

struct nv_store;

/* What is known of a snapshot besides its text. */
struct nv_snapshot {
    char id[NV_SHA256_HEX]; /* lowercase hex */
    int64_t seq;            /* 1, 2, ... in the order they were added */
    const char *time;       /* "YYYY-MM-DDTHH:MM:SSZ" */
    const char *author, *message;
    int64_t bytes;     /* length of the text */
    int64_t counts[6]; /* records per table, in nv_table order */
};

/* Snapshots read from a store; their strings live in arena. */
struct nv_snapshots {
    struct nv_arena arena;
    struct nv_snapshot *v;
    uint32_t n;
};

/* Create a new, empty store at path; NV_EDUP if path exists. */
enum nv_rc nv_store_create(const char *path, struct nv_err *err) NV_WUR;

/*
 * Open the store at path for reading and adding, migrating an older
 * schema first.  Refused: a missing file (NV_ENOENT), a file that is not
 * a netvet store or is damaged (NV_EPARSE), a newer schema
 * (NV_EUNSUPPORTED).  Close with nv_store_close.
 */
enum nv_rc nv_store_open(const char *path, struct nv_store **out,
                         struct nv_err *err) NV_WUR;

/* Close s; NULL is a no-op. */
void nv_store_close(struct nv_store *s);

/* The schema version the store had when opened (before migration), and
 * the path of the backup a migration made ("" when none). */
int nv_store_opened_version(const struct nv_store *s);
const char *nv_store_backup(const struct nv_store *s);

/* What a new snapshot is: its text (canonical native JSON), who adds it,
 * why, when, and how many records of each table it has. */
struct nv_snapshot_new {
    const char *text;
    size_t len;
    const char *author, *message, *time;
    int64_t counts[6];
};

/*
 * Add a snapshot (message must not be empty).  *id receives its id and
 * *added whether it is new: adding a text already stored changes
 * nothing.  The text is kept compressed.
 */
enum nv_rc nv_store_add(struct nv_store *s, const struct nv_snapshot_new *sn,
                        char id[NV_SHA256_HEX], int *added,
                        struct nv_err *err) NV_WUR;

/*
 * The same for model m (finished): its canonical native JSON
 * (nv_save_json) is the text, hashed and compressed as it is written
 * (sn's text and len are not read).  *id is the id nv_store_add would
 * give the text nv_save_json_text makes.
 */
struct nv_model;
enum nv_rc nv_store_add_model(struct nv_store *s, const struct nv_model *m,
                              const struct nv_snapshot_new *sn,
                              char id[NV_SHA256_HEX], int *added,
                              struct nv_err *err) NV_WUR;

/* Every snapshot, oldest first, into out (release with
 * nv_store_snapshots_release). */
enum nv_rc nv_store_list(struct nv_store *s, struct nv_snapshots *out,
                         struct nv_err *err) NV_WUR;
void nv_store_snapshots_release(struct nv_snapshots *l);

/*
 * The id of the snapshot ref names: a whole id, a prefix of at least 4
 * hex digits that only one snapshot has, "last" or "prev" (the one
 * before last).  NV_ENOENT if none, NV_EDUP if the prefix is ambiguous.
 */
enum nv_rc nv_store_resolve(struct nv_store *s, const char *ref,
                            char id[NV_SHA256_HEX], struct nv_err *err) NV_WUR;

/*
 * The text of snapshot id into *text (free with nv_free; NUL-terminated)
 * and *len, after checking that it still hashes to the id (NV_ECRYPTO if
 * not).  info, if not NULL, receives the snapshot's details, whose
 * strings live in the arena of info_arena.
 */
enum nv_rc nv_store_get(struct nv_store *s, const char *id, char **text,
                        size_t *len, struct nv_snapshot *info,
                        struct nv_arena *info_arena, struct nv_err *err) NV_WUR;

/*
 * The analysis result kept for snapshot id under key (e.g. a policy's
 * digest and a date) by this netvet version: *text (free with nv_free)
 * and *len, or *text NULL when there is none.  Results of another version
 * do not count.
 */
enum nv_rc nv_store_cache_get(struct nv_store *s, const char *id,
                              const char *key, char **text, size_t *len,
                              struct nv_err *err) NV_WUR;

/* Keep text[0..len) as the result for snapshot id under key, replacing
 * one of an older version. */
enum nv_rc nv_store_cache_put(struct nv_store *s, const char *id,
                              const char *key, const char *text, size_t len,
                              struct nv_err *err) NV_WUR;

#ifdef NV_TESTING
/* Create a store with the schema as it was at version (1 or more), for
 * the migration tests. */
enum nv_rc nv_store_create_version(const char *path, int version,
                                   struct nv_err *err) NV_WUR;

/* The exit status of a process stopped by nv_store_crash_after. */
#define NV_STORE_CRASH_EXIT 87

/*
 * Let n more writes, syncs and truncations of store files happen, then
 * _exit(NV_STORE_CRASH_EXIT) instead of the next one (a write is first
 * done half).  Negative n turns it off.  Test-only; applies to stores
 * opened afterwards.
 */
void nv_store_crash_after(long n);

/* With on, adds that follow keep the text as it is, as schema versions
 * 1 and 2 did (the tests of stores that hold both kinds). */
void nv_store_keep_raw(int on);
#endif

#endif
