/*
 * audit.c - the service's audit trail in the store: one row per change
 * and decision, appended and never removed (a trigger refuses it); the
 * only later write to a row is the index of its evidence-log entry.
 */
#include "store/keys.h"

#include "core/alloc.h"
#include "store/store_int.h"

#include <string.h>

/* Run sql, whose parameters are the texts t[0..nt) then the integers
 * i[0..ni), to its end. */
static enum nv_rc run(struct nv_store *s, const char *sql, const char *const *t,
                      int nt, const int64_t *i, int ni, struct nv_err *err)
{
    sqlite3 *db = nv_store_db(s);
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

    for (int k = 0; k < nt && src == SQLITE_OK; k++)
        src = sqlite3_bind_text(st, k + 1, t[k], -1, SQLITE_STATIC);
    for (int k = 0; k < ni && src == SQLITE_OK; k++)
        src = sqlite3_bind_int64(st, nt + k + 1, i[k]);
    if (src == SQLITE_OK)
        src = sqlite3_step(st);
    sqlite3_finalize(st);
    return src == SQLITE_DONE ? NV_OK : nv_store_fail(s, src, err);
}

enum nv_rc nv_store_audit_add(struct nv_store *s, const struct nv_audit *a,
                              int64_t *seq, struct nv_err *err)
{
    const char *t[6] = {a->who,    a->time,    a->action,
                        a->target, a->message, a->hash};
    enum nv_rc rc = run(s,
                        "INSERT INTO audit (who, time, action, target, "
                        "message, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6);",
                        t, 6, NULL, 0, err);

    if (!rc)
        *seq = sqlite3_last_insert_rowid(nv_store_db(s));
    return rc;
}

enum nv_rc nv_store_audit_logged(struct nv_store *s, int64_t seq, int64_t index,
                                 struct nv_err *err)
{
    const int64_t i[2] = {seq, index};
    return run(s, "UPDATE audit SET log_index = ?2 WHERE seq = ?1;", NULL, 0, i,
               2, err);
}

static enum nv_rc audit_row(sqlite3_stmt *st, struct nv_audits *l, size_t *cap)
{
    struct nv_audit *a;
    const char **f[6];

    if (nv_array_reserve(&l->v, cap, (size_t)l->n + 1, sizeof *l->v))
        return NV_ENOMEM;
    a = &l->v[l->n];
    f[0] = &a->who;
    f[1] = &a->time;
    f[2] = &a->action;
    f[3] = &a->target;
    f[4] = &a->message;
    f[5] = &a->hash;
    a->seq = sqlite3_column_int64(st, 0);
    for (int i = 0; i < 6; i++) {
        const char *v = (const char *)sqlite3_column_text(st, i + 1);
        *f[i] = nv_arena_strdup(&l->arena, v ? v : "");
        if (!*f[i])
            return NV_ENOMEM;
    }
    a->log_index = sqlite3_column_type(st, 7) == SQLITE_NULL
                       ? -1
                       : sqlite3_column_int64(st, 7);
    l->n++;
    return NV_OK;
}

enum nv_rc nv_store_audit_list(struct nv_store *s, int64_t before,
                               uint32_t limit, struct nv_audits *out,
                               struct nv_err *err)
{
    struct nv_audits l = {0};
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    enum nv_rc rc = NV_OK;
    int src = sqlite3_prepare_v2(
        nv_store_db(s),
        "SELECT seq, who, time, action, target, message, hash, log_index "
        "FROM audit WHERE ?1 = 0 OR seq < ?1 ORDER BY seq DESC LIMIT ?2;",
        -1, &st, NULL);

    nv_arena_init(&l.arena);
    if (src == SQLITE_OK)
        src = sqlite3_bind_int64(st, 1, before);
    if (src == SQLITE_OK)
        src = sqlite3_bind_int64(st, 2, limit);
    while (src == SQLITE_OK && !rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
        rc = audit_row(st, &l, &cap);
        src = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (!rc && src != SQLITE_DONE)
        rc = nv_store_fail(s, src, err);
    else if (rc)
        nv_err_set(err, rc, "out of memory");
    if (rc) {
        nv_store_audits_release(&l);
        return rc;
    }
    *out = l;
    return NV_OK;
}

void nv_store_audits_release(struct nv_audits *l)
{
    nv_free(l->v);
    nv_arena_release(&l->arena);
    memset(l, 0, sizeof *l);
}

enum nv_rc nv_store_withdraw(struct nv_store *s, const char *id, int64_t seq,
                             struct nv_err *err)
{
    return run(s,
               "INSERT OR IGNORE INTO withdrawn (id, audit) VALUES (?1, ?2);",
               &id, 1, &seq, 1, err);
}

enum nv_rc nv_store_withdrawn(struct nv_store *s, const char *id,
                              int *withdrawn, struct nv_err *err)
{
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(nv_store_db(s),
                                 "SELECT 1 FROM withdrawn WHERE id = ?1;", -1,
                                 &st, NULL);

    if (src == SQLITE_OK)
        src = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (src == SQLITE_OK)
        src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return nv_store_fail(s, src, err);
    *withdrawn = src == SQLITE_ROW;
    return NV_OK;
}
