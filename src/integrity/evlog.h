/*
 * evlog.h - the evidence log: an append-only log of entries in a Merkle
 * tree (RFC 9162 hashing, merkle.h) with Ed25519-signed checkpoints
 * (checkpoint.h), so that anyone holding the public key can check that
 * an entry is in the log and that the log only ever grew.
 *
 * A log is a directory of two files:
 *
 *   entries     every entry as a record: its length as 4 bytes, big
 *               endian, then its bytes (at most NV_EVLOG_MAX_ENTRY)
 *   checkpoint  the signed checkpoint of the first `size` entries
 *
 * The checkpoint is the commit point.  An append writes the record and
 * syncs it, then replaces the checkpoint atomically (a temporary file,
 * synced, renamed over the old one, and the directory synced).  Records
 * beyond the checkpoint's size, whole or torn, are what a crash between
 * those steps leaves; readers ignore them and the next append cuts them
 * off.  Whatever step a crash stops at, the log holds the entries before
 * the append or those after it.  One appender at a time: an append holds
 * an exclusive lock on the entries file.
 */
#ifndef NV_EVLOG_H
#define NV_EVLOG_H

#include "integrity/checkpoint.h"
#include "core/crypto.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

#define NV_EVLOG_DEFAULT_ORIGIN "netvet evidence log"
#define NV_EVLOG_MAX_ENTRY ((size_t)1 << 20)
#define NV_EVLOG_MAX_ENTRIES ((uint64_t)1 << 26)

/*
 * Append entry[0..n) to the log in dir, creating the directory (not its
 * parents) and the log if missing, sign a new checkpoint with key (a
 * private key), and store the entry's index (0 for the first) in *index.
 * origin names the log; NULL means the log's own name, or
 * NV_EVLOG_DEFAULT_ORIGIN for a new log, and another name than the log's
 * is refused (NV_EINVAL).  The existing log is verified first against
 * key: a log that does not verify is never extended.
 */
enum nv_rc nv_evlog_record(const char *dir, const struct nv_key *key,
                           const char *origin, const void *entry, size_t n,
                           uint64_t *index, struct nv_err *err) NV_WUR;

struct nv_evlog;

/*
 * Read the log in dir: its checkpoint and the entries it commits to.  A
 * malformed checkpoint fails (NV_EPARSE with its position); entries that
 * are missing or malformed do not, so that the signature can be checked
 * first: nv_evlog_verify reports them.  Free the log with nv_evlog_free.
 */
enum nv_rc nv_evlog_open(const char *dir, struct nv_evlog **out,
                         struct nv_err *err) NV_WUR;

/* Free log; NULL is a no-op. */
void nv_evlog_free(struct nv_evlog *log);

/* The checkpoint, or NULL for a log that has none yet. */
const struct nv_checkpoint *nv_evlog_checkpoint(const struct nv_evlog *log);

/* How many committed entries were read: the checkpoint's size, unless
 * the entries file is damaged. */
uint64_t nv_evlog_size(const struct nv_evlog *log);

/* The bytes of entry i < nv_evlog_size(log), and their count in *n. */
const unsigned char *nv_evlog_entry(const struct nv_evlog *log, uint64_t i,
                                    size_t *n);

/* The leaf hashes of the entries, back to back, as merkle.h takes them. */
const unsigned char *nv_evlog_leaves(const struct nv_evlog *log);

/*
 * Check that the entries hash to the checkpoint's root, the signature
 * aside: NV_ENOENT if there is no checkpoint, NV_ECONFLICT if the entries
 * are missing, malformed or hash to another root (err says which record,
 * at which byte).
 */
enum nv_rc nv_evlog_check(const struct nv_evlog *log,
                          struct nv_err *err) NV_WUR;

/*
 * Check the log with a public key alone: NV_ECRYPTO if the checkpoint is
 * not signed by trust, then as nv_evlog_check.
 */
enum nv_rc nv_evlog_verify(const struct nv_evlog *log,
                           const struct nv_key *trust,
                           struct nv_err *err) NV_WUR;

struct nv_evlog_extent {
    uint64_t n; /* whole records */
    size_t end; /* the byte after the last of them */
};

/*
 * Walk the first want records of an entries file, data[0..len), and say
 * how many are whole in out.  NV_ECONFLICT if fewer than want are, with
 * the record number and byte offset of the first that is not.
 */
enum nv_rc nv_evlog_scan(const void *data, size_t len, uint64_t want,
                         struct nv_evlog_extent *out,
                         struct nv_err *err) NV_WUR;

#endif
