/*
 * keys.c - API keys, the audit trail and withdrawn snapshots in the
 * store (schema version 4).  A key is kept as its SHA-256 only; a revoked
 * key keeps its row, so its name is never given to another.
 */
#include "store/keys.h"

#include "core/alloc.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

/* Run a statement prepared from sql with text parameters p[0..n) (NULL
 * binds NULL) to its end; *changes gets the rows it changed. */
static enum nv_rc run(struct nv_store *s, const char *sql, const char *const *p,
                      int n, int *changes, struct nv_err *err)
{
    sqlite3 *db = nv_store_db(s);
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

    for (int i = 0; i < n && src == SQLITE_OK; i++)
        src = sqlite3_bind_text(st, i + 1, p[i], -1, SQLITE_STATIC);
    if (src == SQLITE_OK)
        src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src != SQLITE_DONE)
        return nv_store_fail(s, src, err);
    if (changes)
        *changes = sqlite3_changes(db);
    return NV_OK;
}

enum nv_rc nv_store_key_add(struct nv_store *s, const char *name,
                            const char *hash, unsigned perms, const char *time,
                            struct nv_err *err)
{
    char bits[16];
    const char *p[4] = {name, hash, bits, time};
    int changes = 0;
    enum nv_rc rc;

    if (!name[0] || strlen(name) > NV_KEY_NAME_MAX)
        return nv_err_set(err, NV_EINVAL, "a key name has 1 to %d bytes",
                          NV_KEY_NAME_MAX);
    snprintf(bits, sizeof bits, "%u", perms);
    rc = run(s,
             "INSERT OR IGNORE INTO apikey (name, hash, permissions, created)"
             " VALUES (?1, ?2, ?3, ?4);",
             p, 4, &changes, err);
    if (!rc && !changes)
        return nv_err_set(err, NV_EDUP, "a key named \"%s\" exists", name);
    return rc;
}

enum nv_rc nv_store_key_find(struct nv_store *s, const char *hash, char *name,
                             unsigned *perms, struct nv_err *err)
{
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(nv_store_db(s),
                                 "SELECT name, permissions FROM apikey "
                                 "WHERE hash = ?1 AND revoked IS NULL;",
                                 -1, &st, NULL);
    enum nv_rc rc = NV_OK;

    if (src == SQLITE_OK)
        src = sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    if (src == SQLITE_OK)
        src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const char *n = (const char *)sqlite3_column_text(st, 0);
        snprintf(name, NV_KEY_NAME_MAX + 1, "%s", n ? n : "");
        *perms = (unsigned)sqlite3_column_int64(st, 1);
    } else if (src == SQLITE_DONE) {
        rc = nv_err_set(err, NV_ENOENT, "no such key");
    } else {
        rc = nv_store_fail(s, src, err);
    }
    sqlite3_finalize(st);
    return rc;
}

enum nv_rc nv_store_key_revoke(struct nv_store *s, const char *name,
                               const char *time, struct nv_err *err)
{
    const char *p[2] = {name, time};
    int changes = 0;
    enum nv_rc rc = run(s,
                        "UPDATE apikey SET revoked = ?2 "
                        "WHERE name = ?1 AND revoked IS NULL;",
                        p, 2, &changes, err);

    if (!rc && !changes)
        return nv_err_set(err, NV_ENOENT, "no valid key named \"%s\"", name);
    return rc;
}

/* A copy of column i of st in a (NULL stays NULL). */
static const char *column(sqlite3_stmt *st, int i, struct nv_arena *a, int *oom)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    const char *c = v ? nv_arena_strdup(a, v) : NULL;

    if (v && !c)
        *oom = 1;
    return c;
}

enum nv_rc nv_store_key_list(struct nv_store *s, struct nv_apikeys *out,
                             struct nv_err *err)
{
    struct nv_apikeys l = {0};
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int oom = 0, src = sqlite3_prepare_v2(
                     nv_store_db(s),
                     "SELECT name, created, revoked, permissions FROM apikey "
                     "ORDER BY name;",
                     -1, &st, NULL);

    nv_arena_init(&l.arena);
    while (src == SQLITE_OK && !oom && (src = sqlite3_step(st)) == SQLITE_ROW) {
        struct nv_apikey *k;
        oom = nv_array_reserve(&l.v, &cap, (size_t)l.n + 1, sizeof *l.v) != 0;
        if (oom)
            break;
        k = &l.v[l.n++];
        k->name = column(st, 0, &l.arena, &oom);
        k->created = column(st, 1, &l.arena, &oom);
        k->revoked = column(st, 2, &l.arena, &oom);
        k->perms = (unsigned)sqlite3_column_int64(st, 3);
        src = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (oom || src != SQLITE_DONE) {
        nv_store_keys_release(&l);
        return oom ? nv_err_set(err, NV_ENOMEM, "out of memory")
                   : nv_store_fail(s, src, err);
    }
    *out = l;
    return NV_OK;
}

void nv_store_keys_release(struct nv_apikeys *l)
{
    nv_free(l->v);
    nv_arena_release(&l->arena);
    memset(l, 0, sizeof *l);
}
