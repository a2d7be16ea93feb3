/*
 * store.c - snapshots in one SQLite file (store.h).
 *
 * The schema is a list of steps, one per version: a new store runs them
 * all, an older one the steps it lacks, inside one transaction, after a
 * copy of the file is made with VACUUM INTO.  The file is marked as ours
 * by its application id, so a foreign SQLite database is told apart from
 * a store.  Hostile files: defensive mode and untrusted schema keep a
 * crafted database from doing more than fail.  Snapshots are kept
 * compressed (compress.h), hashed and compressed as the model is
 * written, so the whole text never sits in memory on the way in.
 */
#define _GNU_SOURCE /* fopencookie */
#include "store/store.h"

#include "core/alloc.h"
#include "core/compress.h"
#include "core/version.h"
#include "store/store_int.h"
#include "model/save.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

/* "nvst": what PRAGMA application_id holds in a netvet store. */
#define APP_ID 0x6e767374

/* How long a writer waits for another to finish, in milliseconds. */
#define BUSY_MS 60000

struct nv_store {
    sqlite3 *db;
    char path[4096];
    char backup[4200];
    int opened_version;
};

/* Step i brings the schema from version i to version i + 1. */
static const char *const schema_steps[NV_STORE_SCHEMA] = {
    /* 1: the snapshots. */
    "CREATE TABLE snapshot ("
    " seq INTEGER PRIMARY KEY,"
    " id TEXT NOT NULL UNIQUE CHECK (length(id) = 64),"
    " time TEXT NOT NULL, author TEXT NOT NULL,"
    " message TEXT NOT NULL CHECK (message <> ''),"
    " bytes INTEGER NOT NULL, entities INTEGER NOT NULL,"
    " sites INTEGER NOT NULL, assets INTEGER NOT NULL,"
    " links INTEGER NOT NULL, flows INTEGER NOT NULL,"
    " partners INTEGER NOT NULL, model BLOB NOT NULL);",
    /* 2: snapshots become immutable; analysis results are kept. */
    "CREATE TRIGGER snapshot_no_update BEFORE UPDATE ON snapshot"
    " BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;"
    "CREATE TRIGGER snapshot_no_delete BEFORE DELETE ON snapshot"
    " BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;"
    "CREATE TABLE analysis ("
    " snapshot TEXT NOT NULL, key TEXT NOT NULL, version TEXT NOT NULL,"
    " result BLOB NOT NULL, PRIMARY KEY (snapshot, key));",
    /* 3: a snapshot's model may be kept compressed; the older ones, and
     * their ids, stay as they were. */
    "ALTER TABLE snapshot ADD COLUMN encoding TEXT NOT NULL DEFAULT 'json'"
    " CHECK (encoding IN ('json', 'zstd'));",
    /* 4: the service's API keys (hashes only), its audit trail (rows are
     * never changed but for their log index, never removed), and the
     * snapshots withdrawn from its lists. */
    "CREATE TABLE apikey ("
    " name TEXT PRIMARY KEY CHECK (name <> ''),"
    " hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),"
    " permissions INTEGER NOT NULL, created TEXT NOT NULL, revoked TEXT);"
    "CREATE TABLE audit ("
    " seq INTEGER PRIMARY KEY, who TEXT NOT NULL, time TEXT NOT NULL,"
    " action TEXT NOT NULL, target TEXT NOT NULL, message TEXT NOT NULL,"
    " hash TEXT NOT NULL, log_index INTEGER);"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TABLE withdrawn ("
    " id TEXT PRIMARY KEY, audit INTEGER NOT NULL);",
};

static const char *vfs_name(void);

sqlite3 *nv_store_db(struct nv_store *s)
{
    return s->db;
}

/* Map SQLite's code to ours, with its message, about the store's file. */
static enum nv_rc fail(sqlite3 *db, const char *path, int src,
                       struct nv_err *err)
{
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(src);
    enum nv_rc rc = NV_EIO;

    switch (src & 0xff) {
    case SQLITE_NOMEM:
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
    case SQLITE_SCHEMA:
    case SQLITE_ERROR:
        return nv_err_at(err, NV_EPARSE, path, 0, 0,
                         "not a netvet store, or a damaged one (%s)", msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return nv_err_at(err, NV_EIO, path, 0, 0,
                         "the store is busy: another process holds it (%s)",
                         msg);
    case SQLITE_CONSTRAINT:
        rc = NV_EINVAL;
        break;
    default:
        break;
    }
    return nv_err_at(err, rc, path, 0, 0, "store: %s", msg);
}

enum nv_rc nv_store_fail(struct nv_store *s, int src, struct nv_err *err)
{
    return fail(s->db, s->path, src, err);
}

static enum nv_rc exec(struct nv_store *s, const char *sql, struct nv_err *err)
{
    int src = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return src == SQLITE_OK ? NV_OK : fail(s->db, s->path, src, err);
}

static enum nv_rc prepare(struct nv_store *s, const char *sql,
                          sqlite3_stmt **st, struct nv_err *err)
{
    int src = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    return src == SQLITE_OK ? NV_OK : fail(s->db, s->path, src, err);
}

/* The integer that a one-value query gives. */
static enum nv_rc query_int(struct nv_store *s, const char *sql, int64_t *out,
                            struct nv_err *err)
{
    sqlite3_stmt *st = NULL;
    enum nv_rc rc = prepare(s, sql, &st, err);
    int src = rc ? SQLITE_OK : sqlite3_step(st);

    if (!rc && src == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else if (!rc)
        rc = fail(s->db, s->path, src, err);
    sqlite3_finalize(st);
    return rc;
}

/* Open the file and set what every connection needs: defensive against
 * crafted files, patient with other writers. */
static enum nv_rc connect(struct nv_store *s, const char *path, int create,
                          struct nv_err *err)
{
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    int src;

    snprintf(s->path, sizeof s->path, "%s", path);
    src =
        sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOFOLLOW, vfs_name());
    if (src != SQLITE_OK)
        return fail(s->db, path, src, err);
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, BUSY_MS);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, (int)NV_STORE_MAX_TEXT + 1);
    return exec(s, "PRAGMA synchronous = FULL;", err);
}

static void disconnect(struct nv_store *s)
{
    sqlite3_close_v2(s->db);
    s->db = NULL;
}

/* Bring the schema up to version `to` and stamp it, in one transaction
 * that reads the version it starts from: two processes opening an old
 * store at once migrate it once. */
static enum nv_rc upgrade(struct nv_store *s, int to, struct nv_err *err)
{
    char sql[128];
    int64_t from = 0;
    enum nv_rc rc = exec(s, "BEGIN IMMEDIATE;", err);

    if (!rc)
        rc = query_int(s, "PRAGMA user_version;", &from, err);
    for (int64_t i = from; i < to && !rc; i++)
        rc = exec(s, schema_steps[i], err);
    snprintf(sql, sizeof sql,
             "PRAGMA application_id = %d; PRAGMA user_version = %d;", APP_ID,
             to);
    if (!rc && from < to)
        rc = exec(s, sql, err);
    if (!rc)
        return exec(s, "COMMIT;", err);
    sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
    return rc;
}

static enum nv_rc create_version(const char *path, int version,
                                 struct nv_err *err)
{
    struct nv_store s = {0};
    struct stat st;
    enum nv_rc rc;

    if (lstat(path, &st) == 0)
        return nv_err_at(err, NV_EDUP, path, 0, 0,
                         "already exists; a store is created in a new file");
    rc = connect(&s, path, 1, err);
    /* Snapshots are large blobs: large pages keep their overflow chains
     * short. */
    if (!rc)
        rc = exec(&s, "PRAGMA page_size = 65536; PRAGMA journal_mode = WAL;",
                  err);
    if (!rc)
        rc = upgrade(&s, version, err);
    disconnect(&s);
    if (rc)
        remove(path);
    return rc;
}

enum nv_rc nv_store_create(const char *path, struct nv_err *err)
{
    return create_version(path, NV_STORE_SCHEMA, err);
}

/* Copy the store to the first free FILE.vN.bak[.K] before migrating. */
static enum nv_rc backup(struct nv_store *s, int version, struct nv_err *err)
{
    sqlite3_stmt *st = NULL;
    struct stat sb;
    enum nv_rc rc;
    int src;

    /* The name is claimed by creating it empty (VACUUM INTO fills an empty
     * file), so two processes migrating at once never pick the same one. */
    for (int k = 0; k < 100; k++) {
        snprintf(s->backup, sizeof s->backup,
                 k ? "%s.v%d.bak.%d" : "%s.v%d.bak", s->path, version, k);
        int fd = open(s->backup, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            close(fd);
            break;
        }
        if (errno != EEXIST || lstat(s->backup, &sb) != 0)
            return nv_err_at(err, NV_EIO, s->backup, 0, 0,
                             "cannot create the backup: %s", strerror(errno));
    }
    rc = prepare(s, "VACUUM INTO ?1;", &st, err);
    if (!rc)
        sqlite3_bind_text(st, 1, s->backup, -1, SQLITE_STATIC);
    src = rc ? SQLITE_OK : sqlite3_step(st);
    if (!rc && src != SQLITE_DONE)
        rc = nv_err_at(err, NV_EIO, s->backup, 0, 0,
                       "cannot back up the store before migrating it: %s",
                       sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return rc;
}

/* Check that the file is a store this netvet can read, and bring an
 * older one up to date. */
static enum nv_rc check_schema(struct nv_store *s, struct nv_err *err)
{
    int64_t app = 0, version = 0;
    enum nv_rc rc = query_int(s, "PRAGMA application_id;", &app, err);

    if (!rc)
        rc = query_int(s, "PRAGMA user_version;", &version, err);
    if (!rc && app != APP_ID)
        return nv_err_at(err, NV_EPARSE, s->path, 0, 0,
                         "not a netvet store (an SQLite database of "
                         "another program); create one with 'netvet store "
                         "init'");
    if (!rc && (version < 1 || version > NV_STORE_SCHEMA))
        return nv_err_at(err, version < 1 ? NV_EPARSE : NV_EUNSUPPORTED,
                         s->path, 0, 0,
                         "store schema version %lld, this netvet reads "
                         "versions 1 to %d%s",
                         (long long)version, NV_STORE_SCHEMA,
                         version > 1 ? ": a newer netvet wrote it" : "");
    s->opened_version = (int)version;
    if (rc || version == NV_STORE_SCHEMA)
        return rc;
    rc = backup(s, (int)version, err);
    return rc ? rc : upgrade(s, NV_STORE_SCHEMA, err);
}

enum nv_rc nv_store_open(const char *path, struct nv_store **out,
                         struct nv_err *err)
{
    struct nv_store *s;
    struct stat st;
    enum nv_rc rc;

    if (lstat(path, &st) != 0)
        return nv_err_at(err, NV_ENOENT, path, 0, 0,
                         "no such store (create it with 'netvet store "
                         "init')");
    /* SQLite keeps its journal beside the name it is given: a link would
     * put it beside the link. */
    if (S_ISLNK(st.st_mode))
        return nv_err_at(err, NV_EINVAL, path, 0, 0,
                         "a symbolic link: name the store's own file");
    if (!S_ISREG(st.st_mode))
        return nv_err_at(err, NV_EPARSE, path, 0, 0,
                         "not a netvet store (not a regular file)");
    s = nv_calloc(1, sizeof *s);
    if (!s)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    rc = connect(s, path, 0, err);
    if (!rc)
        rc = check_schema(s, err);
    if (rc) {
        nv_store_close(s);
        return rc;
    }
    *out = s;
    return NV_OK;
}

void nv_store_close(struct nv_store *s)
{
    if (!s)
        return;
    disconnect(s);
    nv_free(s);
}

int nv_store_opened_version(const struct nv_store *s)
{
    return s->opened_version;
}

const char *nv_store_backup(const struct nv_store *s)
{
    return s->backup;
}

static void digest_hex(const void *text, size_t len, char id[NV_SHA256_HEX])
{
    unsigned char d[NV_SHA256_LEN];

    nv_sha256(text, len, d);
    nv_hex(d, sizeof d, id);
}

/* A snapshot's model on its way in: hashed and compressed as it comes,
 * in pieces. */
struct pack {
    struct nv_sha256 *h;
    struct nv_compress *z;
    size_t len;       /* of the text so far */
    enum nv_rc rc;    /* the first failure */
    const void *blob; /* what is kept, after pack_end */
    size_t nblob;
    int raw; /* keep the text as it is (schema 2), for the tests */
};

#ifdef NV_TESTING
static int keep_raw;
void nv_store_keep_raw(int on)
{
    keep_raw = on;
}
#else
enum { keep_raw = 0 };
#endif

static enum nv_rc pack_init(struct pack *p, struct nv_err *err)
{
    memset(p, 0, sizeof *p);
    p->raw = keep_raw;
    p->h = nv_sha256_new();
    p->z = p->raw ? NULL : nv_compress_new(NV_STORE_MAX_TEXT);
    if (p->h && (p->z || p->raw))
        return NV_OK;
    nv_sha256_free(p->h);
    nv_compress_free(p->z);
    return nv_err_set(err, NV_ENOMEM, "out of memory");
}

static void pack_add(struct pack *p, const void *data, size_t n)
{
    if (p->rc)
        return;
    if (n > NV_STORE_MAX_TEXT - p->len)
        p->rc = NV_ELIMIT;
    else if (!p->raw)
        p->rc = nv_compress_add(p->z, data, n);
    p->len += p->rc ? 0 : n;
    if (!p->rc)
        nv_sha256_add(p->h, data, n);
}

/* The digest as hex, and what to keep; text is the whole text when the
 * pack keeps it raw. */
static enum nv_rc pack_end(struct pack *p, const char *text,
                           char id[NV_SHA256_HEX], struct nv_err *err)
{
    unsigned char d[NV_SHA256_LEN];

    if (!p->rc && !p->raw)
        p->rc = nv_compress_end(p->z, &p->blob, &p->nblob);
    else if (!p->rc) {
        p->blob = text;
        p->nblob = p->len;
    }
    nv_sha256_end(p->h, d);
    nv_hex(d, sizeof d, id);
    if (p->rc == NV_ELIMIT)
        return nv_err_set(err, NV_ELIMIT,
                          "the model is too large to store "
                          "(over 900 MB as JSON)");
    return p->rc ? nv_err_set(err, p->rc, "out of memory") : NV_OK;
}

static void pack_release(struct pack *p)
{
    nv_sha256_free(p->h);
    nv_compress_free(p->z);
}

static enum nv_rc insert(struct nv_store *s, const struct nv_snapshot_new *sn,
                         const struct pack *p, const char *id, int *added,
                         struct nv_err *err)
{
    sqlite3_stmt *st = NULL;
    enum nv_rc rc = prepare(
        s,
        "INSERT INTO snapshot (id, time, author, message, bytes, entities,"
        " sites, assets, links, flows, partners, model, encoding)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        " ON CONFLICT (id) DO NOTHING;",
        &st, err);
    int src;

    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, sn->time, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sn->author, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, sn->message, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)p->len);
    for (int t = 0; t < 6; t++)
        sqlite3_bind_int64(st, 6 + t, sn->counts[t]);
    sqlite3_bind_blob64(st, 12, p->blob, p->nblob, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, p->raw ? "json" : "zstd", -1, SQLITE_STATIC);
    src = sqlite3_step(st);
    if (src == SQLITE_DONE)
        *added = sqlite3_changes(s->db) > 0;
    else
        rc = fail(s->db, s->path, src, err);
    sqlite3_finalize(st);
    return rc;
}

/* Keep the snapshot p packed, unless its id is already there. */
static enum nv_rc add_packed(struct nv_store *s,
                             const struct nv_snapshot_new *sn,
                             const struct pack *p, const char *id, int *added,
                             struct nv_err *err)
{
    enum nv_rc rc = exec(s, "BEGIN IMMEDIATE;", err);

    if (!rc)
        rc = insert(s, sn, p, id, added, err);
    if (!rc)
        rc = exec(s, "COMMIT;", err);
    if (rc)
        sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
    return rc;
}

/* The model's text as the writer makes it, straight into a pack. */
static ssize_t pack_write(void *cookie, const char *data, size_t n)
{
    struct pack *p = cookie;

    pack_add(p, data, n);
    return p->rc ? -1 : (ssize_t)n;
}

/* Write m's canonical text into p; a raw pack (tests only) also keeps
 * the text in *text. */
static enum nv_rc pack_model(struct pack *p, const struct nv_model *m,
                             char **text, struct nv_err *err)
{
    static const cookie_io_functions_t io = {NULL, pack_write, NULL, NULL};
    size_t len = 0;
    FILE *f;
    enum nv_rc rc;

    if (p->raw) {
        rc = nv_save_json_text(m, text, &len, err);
        if (!rc)
            pack_add(p, *text, len);
        return rc;
    }
    f = fopencookie(p, "w", io);
    if (!f || setvbuf(f, NULL, _IOFBF, (size_t)1 << 16) != 0) {
        if (f)
            fclose(f);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    rc = nv_save_json_canonical(m, f, err);
    if (fclose(f) != 0 && !rc && !p->rc)
        p->rc = NV_ENOMEM;
    return p->rc ? NV_OK : rc; /* pack_end says why */
}

/* Keep m's canonical text, or sn's text when m is NULL, as a snapshot. */
static enum nv_rc add(struct nv_store *s, const struct nv_model *m,
                      const struct nv_snapshot_new *sn, char id[NV_SHA256_HEX],
                      int *added, struct nv_err *err)
{
    char digest[NV_SHA256_HEX], *text = NULL;
    struct pack p;
    enum nv_rc rc;

    if (!sn->message || !sn->message[0])
        return nv_err_set(err, NV_EINVAL,
                          "a snapshot needs a message saying what changed");
    rc = pack_init(&p, err);
    if (rc)
        return rc;
    if (m)
        rc = pack_model(&p, m, &text, err);
    else
        pack_add(&p, sn->text, sn->len);
    if (!rc)
        rc = pack_end(&p, m ? text : sn->text, digest, err);
    if (!rc)
        rc = add_packed(s, sn, &p, digest, added, err);
    pack_release(&p);
    nv_free(text);
    if (!rc)
        memcpy(id, digest, sizeof digest);
    return rc;
}

enum nv_rc nv_store_add(struct nv_store *s, const struct nv_snapshot_new *sn,
                        char id[NV_SHA256_HEX], int *added, struct nv_err *err)
{
    return add(s, NULL, sn, id, added, err);
}

enum nv_rc nv_store_add_model(struct nv_store *s, const struct nv_model *m,
                              const struct nv_snapshot_new *sn,
                              char id[NV_SHA256_HEX], int *added,
                              struct nv_err *err)
{
    return add(s, m, sn, id, added, err);
}

/* Columns 0..10 of a snapshot row (see SNAPSHOT_COLS) into *sn. */
#define SNAPSHOT_COLS                                                          \
    "id, seq, time, author, message, bytes, entities, sites, assets, "         \
    "links, flows, partners"

static enum nv_rc read_row(struct nv_store *s, sqlite3_stmt *st,
                           struct nv_arena *a, struct nv_snapshot *sn,
                           struct nv_err *err)
{
    const char *id = (const char *)sqlite3_column_text(st, 0);
    const char *text[3];

    if (!id || strlen(id) != NV_SHA256_HEX - 1)
        return nv_err_at(err, NV_EPARSE, s->path, 0, 0,
                         "damaged store: a snapshot id is not a SHA-256");
    for (int i = 0; i < 3; i++) {
        const char *v = (const char *)sqlite3_column_text(st, 2 + i);
        if (!v)
            return nv_err_at(err, NV_EPARSE, s->path, 0, 0,
                             "damaged store: snapshot %.12s lacks a field", id);
        text[i] = nv_arena_strdup(a, v);
        if (!text[i])
            return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    memcpy(sn->id, id, NV_SHA256_HEX);
    sn->seq = sqlite3_column_int64(st, 1);
    sn->time = text[0];
    sn->author = text[1];
    sn->message = text[2];
    sn->bytes = sqlite3_column_int64(st, 5);
    for (int t = 0; t < 6; t++)
        sn->counts[t] = sqlite3_column_int64(st, 6 + t);
    return NV_OK;
}

static enum nv_rc list_rows(struct nv_store *s, sqlite3_stmt *st,
                            struct nv_snapshots *l, struct nv_err *err)
{
    size_t cap = 0;
    enum nv_rc rc = NV_OK;
    int src;

    while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
        rc = nv_array_reserve(&l->v, &cap, (size_t)l->n + 1, sizeof *l->v);
        if (rc)
            return nv_err_set(err, rc, "out of memory");
        rc = read_row(s, st, &l->arena, &l->v[l->n], err);
        l->n += !rc;
    }
    if (!rc && src != SQLITE_DONE)
        rc = fail(s->db, s->path, src, err);
    return rc;
}

enum nv_rc nv_store_list(struct nv_store *s, struct nv_snapshots *out,
                         struct nv_err *err)
{
    struct nv_snapshots l = {0};
    sqlite3_stmt *st = NULL;
    enum nv_rc rc = prepare(
        s, "SELECT " SNAPSHOT_COLS " FROM snapshot ORDER BY seq;", &st, err);

    nv_arena_init(&l.arena);
    if (!rc)
        rc = list_rows(s, st, &l, err);
    sqlite3_finalize(st);
    if (rc) {
        nv_store_snapshots_release(&l);
        return rc;
    }
    *out = l;
    return NV_OK;
}

void nv_store_snapshots_release(struct nv_snapshots *l)
{
    nv_free(l->v);
    nv_arena_release(&l->arena);
    l->v = NULL;
    l->n = 0;
}

/* The ids matching one query with one text parameter: the first in id
 * (if any) and how many there are, up to 2. */
static enum nv_rc match_ids(struct nv_store *s, const char *sql, const char *a,
                            const char *b, char id[NV_SHA256_HEX], int *n,
                            struct nv_err *err)
{
    sqlite3_stmt *st = NULL;
    enum nv_rc rc = prepare(s, sql, &st, err);
    int src = SQLITE_DONE;

    *n = 0;
    if (!rc && a)
        sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    if (!rc && b)
        sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    while (!rc && *n < 2 && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (*n == 0 && v && strlen(v) == NV_SHA256_HEX - 1)
            memcpy(id, v, NV_SHA256_HEX);
        (*n)++;
    }
    if (!rc && src != SQLITE_ROW && src != SQLITE_DONE)
        rc = fail(s->db, s->path, src, err);
    sqlite3_finalize(st);
    return rc;
}

/* ref as a lowercase hex prefix into out; 0 if it is not one. */
static int hex_prefix(const char *ref, char *out)
{
    size_t n = strlen(ref);

    if (n < 4 || n > NV_SHA256_HEX - 1)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = ref[i] >= 'A' && ref[i] <= 'F' ? ref[i] - 'A' + 'a' : ref[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return 0;
        out[i] = c;
    }
    out[n] = '\0';
    return 1;
}

enum nv_rc nv_store_resolve(struct nv_store *s, const char *ref,
                            char id[NV_SHA256_HEX], struct nv_err *err)
{
    char lo[NV_SHA256_HEX + 1], hi[NV_SHA256_HEX + 2];
    int last = strcmp(ref, "last") == 0, prev = strcmp(ref, "prev") == 0;
    int n = 0;
    enum nv_rc rc;

    if (last || prev)
        rc = match_ids(s,
                       prev ? "SELECT id FROM snapshot ORDER BY seq DESC "
                              "LIMIT 1 OFFSET 1;"
                            : "SELECT id FROM snapshot ORDER BY seq DESC "
                              "LIMIT 1;",
                       NULL, NULL, id, &n, err);
    else if (!hex_prefix(ref, lo))
        return nv_err_set(err, NV_EINVAL,
                          "'%s' names no snapshot: give an id, a prefix of "
                          "at least 4 hex digits, 'last' or 'prev'",
                          ref);
    else {
        snprintf(hi, sizeof hi, "%sg", lo); /* just above every hex digit */
        rc = match_ids(s,
                       "SELECT id FROM snapshot WHERE id >= ?1 AND id < ?2 "
                       "ORDER BY id;",
                       lo, hi, id, &n, err);
    }
    if (!rc && n == 0)
        rc = nv_err_at(err, NV_ENOENT, s->path, 0, 0, "no snapshot '%s'", ref);
    if (!rc && n > 1)
        rc = nv_err_at(err, NV_EDUP, s->path, 0, 0,
                       "'%s' is the start of more than one snapshot id: give "
                       "more digits",
                       ref);
    return rc;
}

/* The blob of the snapshot at rowid seq, read straight from its pages
 * into a NUL-terminated heap buffer (no copy inside SQLite). */
static enum nv_rc read_blob(struct nv_store *s, int64_t seq, char **text,
                            size_t *len, struct nv_err *err)
{
    sqlite3_blob *b = NULL;
    int src = sqlite3_blob_open(s->db, "main", "snapshot", "model", seq, 0, &b);
    int n = src == SQLITE_OK ? sqlite3_blob_bytes(b) : 0;
    char *copy = src == SQLITE_OK ? nv_malloc((size_t)n + 1) : NULL;

    if (src == SQLITE_OK && !copy) {
        sqlite3_blob_close(b);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    if (src == SQLITE_OK)
        src = sqlite3_blob_read(b, copy, n, 0);
    sqlite3_blob_close(b);
    if (src != SQLITE_OK) {
        nv_free(copy);
        return fail(s->db, s->path, src, err);
    }
    copy[n] = '\0';
    *text = copy;
    *len = (size_t)n;
    return NV_OK;
}

/* Copy a blob column into a NUL-terminated heap buffer. */
static enum nv_rc take_blob(sqlite3_stmt *st, int col, char **text, size_t *len,
                            struct nv_err *err)
{
    const void *p = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    char *copy = nv_malloc(n + 1);

    if (!copy)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    if (n)
        memcpy(copy, p, n);
    copy[n] = '\0';
    *text = copy;
    *len = n;
    return NV_OK;
}

/* The model of the snapshot at rowid seq, of bytes bytes, kept as
 * encoding says. */
static enum nv_rc read_model(struct nv_store *s, int64_t seq, int64_t bytes,
                             const char *encoding, char **text, size_t *len,
                             struct nv_err *err)
{
    int zstd = encoding && strcmp(encoding, "zstd") == 0;
    char *blob = NULL;
    enum nv_rc rc;

    if (!zstd && !(encoding && strcmp(encoding, "json") == 0))
        return nv_err_at(err, NV_EPARSE, s->path, 0, 0,
                         "damaged store: unknown snapshot encoding");
    if (zstd && (bytes < 0 || (uint64_t)bytes > NV_STORE_MAX_TEXT))
        return nv_err_at(err, NV_EPARSE, s->path, 0, 0,
                         "damaged store: a snapshot's size is out of range");
    rc = read_blob(s, seq, &blob, len, err);
    if (rc || !zstd) {
        *text = blob;
        return rc;
    }
    rc = nv_decompress(blob, *len, (size_t)bytes, text);
    nv_free(blob);
    if (rc == NV_ENOMEM)
        return nv_err_set(err, rc, "out of memory");
    if (rc)
        return nv_err_at(err, rc, s->path, 0, 0,
                         "damaged store: a snapshot's model does not "
                         "decompress");
    *len = (size_t)bytes;
    return NV_OK;
}

static enum nv_rc check_digest(struct nv_store *s, const char *id,
                               const char *text, size_t len, struct nv_err *err)
{
    char digest[NV_SHA256_HEX];

    digest_hex(text, len, digest);
    if (strcmp(digest, id) == 0)
        return NV_OK;
    return nv_err_at(err, NV_ECRYPTO, s->path, 0, 0,
                     "snapshot %.12s was altered: its model no longer hashes "
                     "to its id",
                     id);
}

enum nv_rc nv_store_get(struct nv_store *s, const char *id, char **text,
                        size_t *len, struct nv_snapshot *info,
                        struct nv_arena *info_arena, struct nv_err *err)
{
    sqlite3_stmt *st = NULL;
    enum nv_rc rc = prepare(
        s, "SELECT " SNAPSHOT_COLS ", encoding FROM snapshot WHERE id = ?1;",
        &st, err);
    int src = SQLITE_OK;
    int64_t seq = 0, bytes = 0;
    char *t = NULL, encoding[8] = "";
    size_t n = 0;

    if (!rc) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        src = sqlite3_step(st);
    }
    if (!rc && src == SQLITE_DONE)
        rc = nv_err_at(err, NV_ENOENT, s->path, 0, 0, "no snapshot '%s'", id);
    else if (!rc && src != SQLITE_ROW)
        rc = fail(s->db, s->path, src, err);
    if (!rc && info)
        rc = read_row(s, st, info_arena, info, err);
    if (!rc) {
        const char *e = (const char *)sqlite3_column_text(st, 12);
        seq = sqlite3_column_int64(st, 1);
        bytes = sqlite3_column_int64(st, 5);
        snprintf(encoding, sizeof encoding, "%s", e ? e : "");
    }
    sqlite3_finalize(st);
    if (!rc)
        rc = read_model(s, seq, bytes, encoding, &t, &n, err);
    if (!rc)
        rc = check_digest(s, id, t, n, err);
    if (rc) {
        nv_free(t);
        return rc;
    }
    *text = t;
    *len = n;
    return NV_OK;
}

enum nv_rc nv_store_cache_get(struct nv_store *s, const char *id,
                              const char *key, char **text, size_t *len,
                              struct nv_err *err)
{
    sqlite3_stmt *st = NULL;
    enum nv_rc rc = prepare(s,
                            "SELECT result FROM analysis WHERE snapshot = ?1 "
                            "AND key = ?2 AND version = ?3;",
                            &st, err);
    int src = SQLITE_OK;

    *text = NULL;
    if (!rc) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, NV_VERSION, -1, SQLITE_STATIC);
        src = sqlite3_step(st);
    }
    if (!rc && src == SQLITE_ROW)
        rc = take_blob(st, 0, text, len, err);
    else if (!rc && src != SQLITE_DONE)
        rc = fail(s->db, s->path, src, err);
    sqlite3_finalize(st);
    return rc;
}

enum nv_rc nv_store_cache_put(struct nv_store *s, const char *id,
                              const char *key, const char *text, size_t len,
                              struct nv_err *err)
{
    sqlite3_stmt *st = NULL;
    enum nv_rc rc = prepare(s,
                            "INSERT OR REPLACE INTO analysis (snapshot, key, "
                            "version, result) VALUES (?1, ?2, ?3, ?4);",
                            &st, err);
    int src = SQLITE_OK;

    if (!rc) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, NV_VERSION, -1, SQLITE_STATIC);
        sqlite3_bind_blob64(st, 4, text, len, SQLITE_STATIC);
        src = sqlite3_step(st);
    }
    if (!rc && src != SQLITE_DONE)
        rc = fail(s->db, s->path, src, err);
    sqlite3_finalize(st);
    return rc;
}

#ifndef NV_TESTING
static const char *vfs_name(void)
{
    return NULL; /* SQLite's default */
}
#else
/*
 * A VFS that passes everything to SQLite's default one and counts the
 * writes, syncs and truncations, so that a test can stop the process at
 * each of them in turn: the crash tests of store add.
 */
static long crash_left = -1;
static sqlite3_vfs crash_vfs;
static sqlite3_io_methods crash_io;

struct crash_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
};

void nv_store_crash_after(long n)
{
    crash_left = n;
}

static int crash_point(void)
{
    if (crash_left < 0)
        return 0;
    return crash_left-- == 0;
}

#define REAL(f) (((struct crash_file *)(f))->real)

static int c_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}

static int c_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}

static int c_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    if (crash_point()) {
        REAL(f)->pMethods->xWrite(REAL(f), p, n / 2 ? n / 2 : n, off);
        _exit(NV_STORE_CRASH_EXIT);
    }
    return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}

static int c_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (crash_point())
        _exit(NV_STORE_CRASH_EXIT);
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int c_sync(sqlite3_file *f, int flags)
{
    if (crash_point())
        _exit(NV_STORE_CRASH_EXIT);
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int c_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int c_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}

static int c_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}

static int c_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int c_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int c_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int c_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int c_shm_map(sqlite3_file *f, int pg, int sz, int extend,
                     void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, p);
}

static int c_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void c_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int c_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int c_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
                  int flags, int *out)
{
    sqlite3_vfs *real = vfs->pAppData;
    struct crash_file *cf = (struct crash_file *)f;
    int rc;

    cf->real = (sqlite3_file *)(cf + 1);
    rc = real->xOpen(real, name, cf->real, flags, out);
    cf->base.pMethods = cf->real->pMethods ? &crash_io : NULL;
    return rc;
}

static const sqlite3_io_methods crash_io_init = {
    2,        c_close,   c_read,     c_write,       c_truncate,  c_sync,
    c_size,   c_lock,    c_unlock,   c_reserved,    c_control,   c_sector,
    c_device, c_shm_map, c_shm_lock, c_shm_barrier, c_shm_unmap, NULL,
    NULL,
};

static const char *vfs_name(void)
{
    sqlite3_vfs *real;

    if (crash_left < 0)
        return NULL;
    if (crash_vfs.zName)
        return crash_vfs.zName;
    real = sqlite3_vfs_find(NULL);
    crash_vfs = *real;
    crash_vfs.iVersion = 1; /* no xSetSystemCall & co */
    crash_vfs.szOsFile = (int)sizeof(struct crash_file) + real->szOsFile;
    crash_vfs.zName = "nv-crash";
    crash_vfs.pAppData = real;
    crash_vfs.xOpen = c_open;
    crash_io = crash_io_init;
    sqlite3_vfs_register(&crash_vfs, 0);
    return crash_vfs.zName;
}

enum nv_rc nv_store_create_version(const char *path, int version,
                                   struct nv_err *err)
{
    if (version < 1 || version > NV_STORE_SCHEMA)
        return nv_err_set(err, NV_EINVAL, "no schema version %d", version);
    return create_version(path, version, err);
}
#endif
