/*
 * evlog.c - the evidence log on disk: reading, verifying and appending.
 *
 * Invariant: the first checkpoint.size records of the entries file are
 * the committed log; nothing after them is ever read, and an append
 * first cuts the file back to them.  Reading never trusts a length in the
 * file further than the bytes that are there.
 */
#include "integrity/evlog.h"

#include "core/alloc.h"
#include "core/atomic.h"
#include "core/buf.h"
#include "core/file.h"
#include "integrity/merkle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define H NV_MERKLE_HASH
#define PATH_SIZE 4096

struct nv_evlog {
    char dir[PATH_SIZE], cp_path[PATH_SIZE], entries_path[PATH_SIZE];
    struct nv_file f;      /* the entries file */
    size_t *off;           /* where each committed record starts */
    unsigned char *leaves; /* their leaf hashes, room for one more */
    uint64_t n;            /* committed records read */
    size_t end;            /* the end of the last of them */
    struct nv_checkpoint cp;
    int has_cp;
    struct nv_err damage; /* why n falls short of cp.size, if it does */
};

/* dir/name into out; NV_ELIMIT if it does not fit. */
static enum nv_rc join(const char *dir, const char *name, char out[PATH_SIZE],
                       struct nv_err *err)
{
    int len = snprintf(out, PATH_SIZE, "%s/%s", dir, name);

    if (len < 0 || len >= PATH_SIZE)
        return nv_err_set(err, NV_ELIMIT, "path too long: %s", dir);
    return NV_OK;
}

static enum nv_rc io_fail(const char *path, const char *what,
                          struct nv_err *err)
{
    return nv_err_at(err, NV_EIO, path, 0, 0, "cannot %s: %s", what,
                     strerror(errno));
}

static uint32_t get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

/* ---- reading ---- */

/* Why record i at byte at is not whole: the reason nv_evlog_scan gives. */
static enum nv_rc damaged(uint64_t i, size_t at, uint64_t want,
                          const char *what, struct nv_err *err)
{
    return nv_err_set(err, NV_ECONFLICT,
                      "record %llu at byte %zu %s; the checkpoint commits to "
                      "%llu entries",
                      (unsigned long long)i, at, what,
                      (unsigned long long)want);
}

/* Where the record at byte pos of data[0..len) ends; 0 if it is not
 * whole, and why in *why. */
static size_t record_end(const unsigned char *data, size_t len, size_t pos,
                         const char **why)
{
    size_t left = len - pos, n;

    *why = left ? "is torn" : "is missing";
    if (left < 4)
        return 0;
    n = get_be32(data + pos);
    *why = n > NV_EVLOG_MAX_ENTRY ? "is longer than 1 MiB"
                                  : "runs past the end of the file";
    return n > NV_EVLOG_MAX_ENTRY || n > left - 4 ? 0 : pos + 4 + n;
}

enum nv_rc nv_evlog_scan(const void *data, size_t len, uint64_t want,
                         struct nv_evlog_extent *out, struct nv_err *err)
{
    const char *why = NULL;
    size_t pos = 0, next;
    uint64_t i = 0;

    for (; i < want; i++, pos = next) {
        next = record_end(data, len, pos, &why);
        if (!next)
            break;
    }
    out->n = i;
    out->end = pos;
    return i < want ? damaged(i, pos, want, why, err) : NV_OK;
}

/* Find the committed records, then hash them, leaving room for one more
 * leaf hash (the one an append adds). */
static enum nv_rc index_records(struct nv_evlog *log, const char *path,
                                struct nv_err *err)
{
    struct nv_evlog_extent ext;
    uint64_t n;
    size_t pos, len;

    if (nv_evlog_scan(log->f.data, log->f.len, log->has_cp ? log->cp.size : 0,
                      &ext, &log->damage))
        nv_err_file(&log->damage, path);
    n = ext.n;
    log->end = ext.end;
    log->off = nv_calloc((size_t)n + 1, sizeof *log->off);
    log->leaves = nv_calloc((size_t)n + 1, H);
    if (!log->off || !log->leaves)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    for (pos = 0; log->n < n; log->n++, pos += 4 + len) {
        len = get_be32((const unsigned char *)log->f.data + pos);
        log->off[log->n] = pos;
        if (nv_merkle_leaf(log->f.data + pos + 4, len,
                           log->leaves + (size_t)log->n * H, err))
            return NV_ENOMEM;
    }
    return NV_OK;
}

/* Read path into f if the file exists; *found says whether it did. */
static enum nv_rc read_if_any(const char *path, size_t limit, struct nv_file *f,
                              int *found, struct nv_err *err)
{
    struct stat st;

    *found = stat(path, &st) == 0;
    if (!*found)
        return errno == ENOENT ? NV_OK : io_fail(path, "read", err);
    return nv_file_read(f, path, limit, err);
}

static enum nv_rc read_checkpoint(struct nv_evlog *log, struct nv_err *err)
{
    struct nv_file f;
    int found;
    enum nv_rc rc =
        read_if_any(log->cp_path, NV_CHECKPOINT_MAX_TEXT, &f, &found, err);

    if (rc || !found)
        return rc;
    rc = nv_checkpoint_parse(f.data, f.len, log->cp_path, &log->cp, err);
    nv_file_release(&f);
    if (!rc && log->cp.size > NV_EVLOG_MAX_ENTRIES)
        rc = nv_err_at(err, NV_ELIMIT, log->cp_path, 2, 1,
                       "a log holds at most %llu entries",
                       (unsigned long long)NV_EVLOG_MAX_ENTRIES);
    log->has_cp = !rc;
    return rc;
}

enum nv_rc nv_evlog_open(const char *dir, struct nv_evlog **out,
                         struct nv_err *err)
{
    struct nv_evlog *log;
    int found;
    enum nv_rc rc;

    if (!nv_file_is_dir(dir))
        return nv_err_at(err, NV_ENOENT, dir, 0, 0, "no log: not a directory");
    log = nv_calloc(1, sizeof *log);
    if (!log)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    rc = join(dir, "checkpoint", log->cp_path, err);
    if (!rc)
        rc = join(dir, "entries", log->entries_path, err);
    if (!rc) {
        memcpy(log->dir, dir, strlen(dir) + 1);
        rc = read_checkpoint(log, err);
    }
    if (!rc)
        rc = read_if_any(log->entries_path, SIZE_MAX, &log->f, &found, err);
    if (!rc)
        rc = index_records(log, log->entries_path, err);
    if (rc) {
        nv_evlog_free(log);
        return rc;
    }
    *out = log;
    return NV_OK;
}

void nv_evlog_free(struct nv_evlog *log)
{
    if (!log)
        return;
    nv_file_release(&log->f);
    nv_free(log->off);
    nv_free(log->leaves);
    nv_free(log);
}

const struct nv_checkpoint *nv_evlog_checkpoint(const struct nv_evlog *log)
{
    return log->has_cp ? &log->cp : NULL;
}

uint64_t nv_evlog_size(const struct nv_evlog *log)
{
    return log->n;
}

const unsigned char *nv_evlog_entry(const struct nv_evlog *log, uint64_t i,
                                    size_t *n)
{
    const unsigned char *rec =
        (const unsigned char *)log->f.data + log->off[(size_t)i];

    *n = get_be32(rec);
    return rec + 4;
}

const unsigned char *nv_evlog_leaves(const struct nv_evlog *log)
{
    return log->leaves;
}

enum nv_rc nv_evlog_check(const struct nv_evlog *log, struct nv_err *err)
{
    unsigned char root[H];

    if (!log->has_cp)
        return nv_err_at(err, NV_ENOENT, log->cp_path, 0, 0,
                         "the log has no checkpoint yet");
    if (log->damage.rc) {
        if (err)
            *err = log->damage;
        return NV_ECONFLICT;
    }
    nv_merkle_root(log->leaves, log->n, root);
    if (memcmp(root, log->cp.root, H) != 0)
        return nv_err_at(err, NV_ECONFLICT, log->entries_path, 0, 0,
                         "the %llu entries do not hash to the signed root",
                         (unsigned long long)log->n);
    return NV_OK;
}

enum nv_rc nv_evlog_verify(const struct nv_evlog *log,
                           const struct nv_key *trust, struct nv_err *err)
{
    enum nv_rc rc =
        log->has_cp ? nv_checkpoint_verify(&log->cp, trust, err) : NV_OK;

    if (rc) {
        nv_err_file(err, log->cp_path);
        return rc;
    }
    return nv_evlog_check(log, err);
}

/* ---- appending ---- */

/* Create dir if it is missing, durably: its parent is synced too. */
static enum nv_rc make_dir(const char *dir, struct nv_err *err)
{
    char parent[PATH_SIZE];
    const char *slash = strrchr(dir, '/');
    size_t len = slash ? (size_t)(slash - dir) : 1;

    if (mkdir(dir, 0755) != 0)
        return errno == EEXIST && nv_file_is_dir(dir)
                   ? NV_OK
                   : io_fail(dir, "create the log directory", err);
    if (len >= PATH_SIZE)
        return nv_err_set(err, NV_ELIMIT, "path too long: %s", dir);
    memcpy(parent, slash ? dir : ".", len);
    parent[len] = '\0';
    return nv_atomic_sync_dir(parent[0] ? parent : "/", err);
}

/* Open the entries file, creating it, and hold the appender's lock. */
static enum nv_rc lock_entries(const char *dir, int *fd, struct nv_err *err)
{
    char path[PATH_SIZE];
    enum nv_rc rc = join(dir, "entries", path, err);

    if (rc)
        return rc;
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (*fd < 0)
        return io_fail(path, "open", err);
    return flock(*fd, LOCK_EX) == 0 ? NV_OK : io_fail(path, "lock", err);
}

/* Cut the file back to the committed records, add one, and sync. */
static enum nv_rc append_record(const struct nv_evlog *log, int fd,
                                const void *entry, size_t n, struct nv_err *err)
{
    const unsigned char len[4] = {(unsigned char)(n >> 24),
                                  (unsigned char)(n >> 16),
                                  (unsigned char)(n >> 8), (unsigned char)n};
    const char *path = log->entries_path;
    off_t end = (off_t)log->end;
    enum nv_rc rc;

    nv_atomic_crash_point(fd, NULL, 0, 0);
    if (ftruncate(fd, end) != 0)
        return io_fail(path, "truncate", err);
    rc = nv_atomic_pwrite(fd, len, 4, end, path, err);
    if (!rc)
        rc = nv_atomic_pwrite(fd, entry, n, end + 4, path, err);
    return rc ? rc : nv_atomic_sync(fd, path, err);
}

/* Replace the checkpoint with text atomically and durably: its rename is
 * the commit point of an append. */
static enum nv_rc write_checkpoint(const struct nv_evlog *log,
                                   const struct nv_buf *text,
                                   struct nv_err *err)
{
    return nv_atomic_replace(log->cp_path, text->data, text->len, 0644, err);
}

/* Check the log before it grows, and settle its name. */
static enum nv_rc prepare(const struct nv_evlog *log, const struct nv_key *key,
                          const char **origin, struct nv_err *err)
{
    if (!log->has_cp) {
        if (!*origin)
            *origin = NV_EVLOG_DEFAULT_ORIGIN;
        return NV_OK;
    }
    if (*origin && strcmp(*origin, log->cp.origin) != 0)
        return nv_err_at(err, NV_EINVAL, log->cp_path, 1, 1,
                         "the log is \"%s\", not \"%s\"", log->cp.origin,
                         *origin);
    if (log->n >= NV_EVLOG_MAX_ENTRIES)
        return nv_err_set(err, NV_ELIMIT, "a log holds at most %llu entries",
                          (unsigned long long)NV_EVLOG_MAX_ENTRIES);
    *origin = log->cp.origin;
    return nv_evlog_verify(log, key, err);
}

/* Add entry as leaf log->n: the record, then the checkpoint. */
static enum nv_rc append(const struct nv_evlog *log, int fd,
                         const struct nv_key *key, const char *origin,
                         const void *entry, size_t n, struct nv_err *err)
{
    unsigned char *leaf = log->leaves + (size_t)log->n * H, root[H];
    struct nv_checkpoint cp;
    struct nv_buf text;
    enum nv_rc rc = nv_merkle_leaf(entry, n, leaf, err);

    if (!rc) {
        nv_merkle_root(log->leaves, log->n + 1, root);
        rc = nv_checkpoint_sign(&cp, origin, log->n + 1, root, key, err);
    }
    nv_buf_init(&text, NV_CHECKPOINT_MAX_TEXT);
    if (!rc)
        rc = nv_checkpoint_format(&cp, &text, err);
    if (!rc)
        rc = append_record(log, fd, entry, n, err);
    if (!rc)
        rc = write_checkpoint(log, &text, err);
    nv_buf_release(&text);
    return rc;
}

enum nv_rc nv_evlog_record(const char *dir, const struct nv_key *key,
                           const char *origin, const void *entry, size_t n,
                           uint64_t *index, struct nv_err *err)
{
    struct nv_evlog *log = NULL;
    int fd = -1;
    enum nv_rc rc;

    if (n > NV_EVLOG_MAX_ENTRY)
        return nv_err_set(err, NV_ELIMIT, "an entry has at most 1 MiB");
    if (!nv_key_can_sign(key))
        return nv_err_set(err, NV_EINVAL, "appending needs a private key");
    rc = make_dir(dir, err);
    if (!rc)
        rc = lock_entries(dir, &fd, err);
    if (!rc)
        rc = nv_evlog_open(dir, &log, err);
    if (!rc)
        rc = prepare(log, key, &origin, err);
    if (!rc)
        rc = append(log, fd, key, origin, entry, n, err);
    if (!rc)
        *index = log->n;
    nv_evlog_free(log);
    if (fd >= 0)
        close(fd);
    return rc;
}
