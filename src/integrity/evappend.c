/*
 * evappend.c - appending to the evidence log in O(log n) time.
 *
 * An append needs the tree's right edge, not its leaves: the edge and
 * where the last record lies are kept in the state file (evstate.h).  The
 * state is trusted only once the checkpoint's signature holds, the edge
 * folds to the signed root and the entries file ends with a record that
 * hashes to the edge's last leaf; then the entries before it need not be
 * read.  Otherwise (no state yet, a crash between the checkpoint and the
 * state, tampering) the whole log is verified as before and the state
 * rebuilt from it.  The file operations and their order are evlog.h's.
 */
#include "integrity/evlog_int.h"

#include "core/alloc.h"
#include "core/atomic.h"
#include "core/buf.h"
#include "core/file.h"
#include "integrity/merkle.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define H NV_MERKLE_HASH
#define PATH_SIZE NV_EVLOG_PATH_SIZE
/* Records are written in chunks of about this many bytes. */
#define CHUNK ((size_t)1 << 20)

struct appender {
    char cp_path[PATH_SIZE], entries_path[PATH_SIZE], state_path[PATH_SIZE];
    int fd; /* the entries file, locked */
    struct nv_checkpoint cp;
    int has_cp;
    struct nv_evstate st; /* of the committed log, once trusted */
};

/* Create dir if it is missing, durably: its parent is synced too. */
static enum nv_rc make_dir(const char *dir, struct nv_err *err)
{
    char parent[PATH_SIZE];
    const char *slash = strrchr(dir, '/');
    size_t len = slash ? (size_t)(slash - dir) : 1;

    if (mkdir(dir, 0755) != 0)
        return errno == EEXIST && nv_file_is_dir(dir)
                   ? NV_OK
                   : nv_evlog_io_fail(dir, "create the log directory", err);
    if (len >= PATH_SIZE)
        return nv_err_set(err, NV_ELIMIT, "path too long: %s", dir);
    memcpy(parent, slash ? dir : ".", len);
    parent[len] = '\0';
    return nv_atomic_sync_dir(parent[0] ? parent : "/", err);
}

/* Name the files, open the entries file, creating it, and hold the
 * appender's lock. */
static enum nv_rc lock_entries(struct appender *ap, const char *dir,
                               struct nv_err *err)
{
    enum nv_rc rc = nv_evlog_join(dir, "checkpoint", ap->cp_path, err);

    if (!rc)
        rc = nv_evlog_join(dir, "state", ap->state_path, err);
    if (!rc)
        rc = nv_evlog_join(dir, "entries", ap->entries_path, err);
    if (rc)
        return rc;
    ap->fd = open(ap->entries_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (ap->fd < 0)
        return nv_evlog_io_fail(ap->entries_path, "open", err);
    return flock(ap->fd, LOCK_EX) == 0
               ? NV_OK
               : nv_evlog_io_fail(ap->entries_path, "lock", err);
}

/* Read n bytes at offset at of fd; 0 if all of them came. */
static int read_at(int fd, void *buf, size_t n, uint64_t at)
{
    char *p = buf;

    while (n) {
        ssize_t r = pread(fd, p, n, (off_t)at);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
        at += (uint64_t)r;
    }
    return 0;
}

/* Whether the entries file ends exactly with the state's last record and
 * that record is the edge's last leaf: *ok.  The end being the file's
 * end leaves one place for the last record to start. */
static enum nv_rc tail_holds(const struct appender *ap, int *ok,
                             struct nv_err *err)
{
    const struct nv_evstate *st = &ap->st;
    unsigned char len[4], leaf[H], *e;
    struct stat sb;
    size_t n;
    enum nv_rc rc;

    *ok = 0;
    if (fstat(ap->fd, &sb) != 0 || (uint64_t)sb.st_size != st->end ||
        read_at(ap->fd, len, 4, st->last))
        return NV_OK;
    n = nv_evlog_be32(len);
    if (st->last + 4 + n != st->end)
        return NV_OK;
    e = nv_malloc(n ? n : 1);
    if (!e)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    rc = read_at(ap->fd, e, n, st->last + 4) ? NV_OK
                                             : nv_merkle_leaf(e, n, leaf, err);
    nv_free(e);
    *ok = !rc && nv_merkle_edge_is_last(&st->edge, leaf);
    return rc;
}

/* Whether the state file describes the signed log: *ok.  Only running
 * out of memory is an error; anything else sends the caller to the full
 * verification. */
static enum nv_rc trust_state(struct appender *ap, int *ok, struct nv_err *err)
{
    struct nv_file f;
    struct nv_err ignored = {0};
    unsigned char root[H];
    enum nv_rc rc;

    *ok = 0;
    rc = nv_file_read(&f, ap->state_path, NV_EVSTATE_MAX_TEXT, &ignored);
    if (rc)
        return rc == NV_ENOMEM ? nv_err_set(err, rc, "out of memory") : NV_OK;
    rc = nv_evstate_parse(f.data, f.len, ap->state_path, &ap->st, &ignored);
    nv_file_release(&f);
    if (rc || ap->st.edge.size != ap->cp.size)
        return NV_OK;
    nv_merkle_edge_root(&ap->st.edge, root);
    if (memcmp(root, ap->cp.root, H) != 0)
        return NV_OK;
    return tail_holds(ap, ok, err);
}

/* Verify the whole log with key and rebuild the state from it. */
static enum nv_rc rebuild_state(struct appender *ap, const char *dir,
                                const struct nv_key *key, struct nv_err *err)
{
    struct nv_evlog *log = NULL;
    enum nv_rc rc = nv_evlog_open(dir, &log, err);

    if (!rc)
        rc = nv_evlog_verify(log, key, err);
    if (!rc && !nv_evlog_checkpoint(log))
        rc = nv_err_at(err, NV_ECONFLICT, ap->cp_path, 0, 0,
                       "the checkpoint went missing");
    if (!rc) {
        ap->cp = *nv_evlog_checkpoint(log);
        nv_evlog_state(log, &ap->st);
    }
    nv_evlog_free(log);
    return rc;
}

/* Read the checkpoint, check it and settle the log's name, then find the
 * state to extend. */
static enum nv_rc load(struct appender *ap, const char *dir,
                       const struct nv_key *key, const char **origin,
                       struct nv_err *err)
{
    int ok = 0;
    enum nv_rc rc =
        nv_evlog_read_checkpoint(ap->cp_path, &ap->cp, &ap->has_cp, err);

    nv_evstate_init(&ap->st);
    if (rc || !ap->has_cp) {
        if (!*origin)
            *origin = NV_EVLOG_DEFAULT_ORIGIN;
        return rc;
    }
    if (*origin && strcmp(*origin, ap->cp.origin) != 0)
        return nv_err_at(err, NV_EINVAL, ap->cp_path, 1, 1,
                         "the log is \"%s\", not \"%s\"", ap->cp.origin,
                         *origin);
    *origin = ap->cp.origin;
    rc = nv_checkpoint_verify(&ap->cp, key, err);
    if (rc) {
        nv_err_file(err, ap->cp_path);
        return rc;
    }
    rc = trust_state(ap, &ok, err);
    return rc || ok ? rc : rebuild_state(ap, dir, key, err);
}

/* The state after the items: their leaves pushed onto st. */
static enum nv_rc grow(struct nv_evstate *st, const struct nv_evlog_item *items,
                       size_t count, struct nv_err *err)
{
    unsigned char leaf[H];

    for (size_t i = 0; i < count; i++) {
        if (nv_merkle_leaf(items[i].data, items[i].n, leaf, err))
            return NV_ENOMEM;
        nv_evstate_push(st, leaf, items[i].n);
    }
    return NV_OK;
}

/* Write out the chunk b ends at *at, and empty it. */
static enum nv_rc flush(const struct appender *ap, struct nv_buf *b,
                        uint64_t *at, struct nv_err *err)
{
    enum nv_rc rc = nv_atomic_pwrite(ap->fd, b->data, b->len, (off_t)*at,
                                     ap->entries_path, err);

    *at += b->len;
    nv_buf_reset(b);
    return rc;
}

/* Cut the file back to the committed records, add the items' records
 * and sync. */
static enum nv_rc write_records(const struct appender *ap,
                                const struct nv_evlog_item *items, size_t count,
                                struct nv_err *err)
{
    uint64_t at = ap->st.end;
    struct nv_buf b;
    enum nv_rc rc = NV_OK;

    nv_atomic_crash_point(ap->fd, NULL, 0, 0);
    if (ftruncate(ap->fd, (off_t)at) != 0)
        return nv_evlog_io_fail(ap->entries_path, "truncate", err);
    nv_buf_init(&b, CHUNK + 4 + NV_EVLOG_MAX_ENTRY);
    for (size_t i = 0; i < count && !rc; i++) {
        size_t n = items[i].n;
        const unsigned char len[4] = {
            (unsigned char)(n >> 24), (unsigned char)(n >> 16),
            (unsigned char)(n >> 8), (unsigned char)n};
        rc = nv_buf_add(&b, len, 4);
        if (!rc)
            rc = nv_buf_add(&b, items[i].data, n);
        if (rc)
            rc = nv_err_set(err, rc, "out of memory");
        else if (b.len >= CHUNK || i + 1 == count)
            rc = flush(ap, &b, &at, err);
    }
    nv_buf_release(&b);
    return rc ? rc : nv_atomic_sync(ap->fd, ap->entries_path, err);
}

/*
 * Overwrite the state in place, unsynced: the append is committed
 * already, and a state torn, stale or lost (by a crash, a full disk) is
 * only a cache that fails the checks of trust_state and is rebuilt by
 * the next append.  Sparing it the two syncs of a durable replacement
 * makes an append a third faster.
 */
static void write_state(const struct appender *ap, const struct nv_buf *text)
{
    struct nv_err ignored = {0};
    int fd = open(ap->state_path,
                  O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);

    if (fd < 0)
        return;
    (void)!nv_atomic_pwrite(fd, text->data, text->len, 0, ap->state_path,
                            &ignored);
    close(fd);
}

/* Add the items: the records, then the checkpoint (the commit point),
 * then the state.  Everything that can fail short of I/O is done before
 * the first write. */
static enum nv_rc commit(const struct appender *ap, const struct nv_key *key,
                         const char *origin, const struct nv_evlog_item *items,
                         size_t count, struct nv_err *err)
{
    struct nv_evstate next = ap->st;
    struct nv_checkpoint cp;
    struct nv_buf cp_text, st_text;
    unsigned char root[H];
    enum nv_rc rc = grow(&next, items, count, err);

    nv_buf_init(&cp_text, NV_CHECKPOINT_MAX_TEXT);
    nv_buf_init(&st_text, NV_EVSTATE_MAX_TEXT);
    if (!rc) {
        nv_merkle_edge_root(&next.edge, root);
        rc = nv_checkpoint_sign(&cp, origin, next.edge.size, root, key, err);
    }
    if (!rc)
        rc = nv_checkpoint_format(&cp, &cp_text, err);
    if (!rc)
        rc = nv_evstate_format(&next, &st_text, err);
    if (!rc)
        rc = write_records(ap, items, count, err);
    if (!rc)
        rc = nv_atomic_replace(ap->cp_path, cp_text.data, cp_text.len, 0644,
                               err);
    if (!rc)
        write_state(ap, &st_text);
    nv_buf_release(&cp_text);
    nv_buf_release(&st_text);
    return rc;
}

/* Refuse what cannot be appended before touching the disk. */
static enum nv_rc check_items(const struct nv_key *key,
                              const struct nv_evlog_item *items, size_t count,
                              struct nv_err *err)
{
    if (count == 0)
        return nv_err_set(err, NV_EINVAL, "no entries to append");
    if (count > NV_EVLOG_MAX_ENTRIES)
        return nv_err_set(err, NV_ELIMIT, "a log holds at most %llu entries",
                          (unsigned long long)NV_EVLOG_MAX_ENTRIES);
    for (size_t i = 0; i < count; i++)
        if (items[i].n > NV_EVLOG_MAX_ENTRY)
            return nv_err_set(err, NV_ELIMIT,
                              "an entry has at most 1 MiB (entry %zu of %zu)",
                              i + 1, count);
    if (!nv_key_can_sign(key))
        return nv_err_set(err, NV_EINVAL, "appending needs a private key");
    return NV_OK;
}

enum nv_rc nv_evlog_record_many(const char *dir, const struct nv_key *key,
                                const char *origin,
                                const struct nv_evlog_item *items, size_t count,
                                uint64_t *first, struct nv_err *err)
{
    struct appender ap;
    enum nv_rc rc = check_items(key, items, count, err);

    ap.fd = -1;
    if (!rc)
        rc = make_dir(dir, err);
    if (!rc)
        rc = lock_entries(&ap, dir, err);
    if (!rc)
        rc = load(&ap, dir, key, &origin, err);
    if (!rc && ap.st.edge.size + count > NV_EVLOG_MAX_ENTRIES)
        rc = nv_err_set(err, NV_ELIMIT, "a log holds at most %llu entries",
                        (unsigned long long)NV_EVLOG_MAX_ENTRIES);
    if (!rc)
        rc = commit(&ap, key, origin, items, count, err);
    if (!rc)
        *first = ap.st.edge.size;
    if (ap.fd >= 0)
        close(ap.fd);
    return rc;
}

enum nv_rc nv_evlog_record(const char *dir, const struct nv_key *key,
                           const char *origin, const void *entry, size_t n,
                           uint64_t *index, struct nv_err *err)
{
    const struct nv_evlog_item item = {entry, n};

    return nv_evlog_record_many(dir, key, origin, &item, 1, index, err);
}
