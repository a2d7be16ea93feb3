/*
 * serve.c - the service's state: the store, the evidence log, the
 * sessions, the jobs and the directory of snapshot files; API keys and
 * permissions; the audit trail.  Requests are answered in api.c.
 */
#include "serve/serve_int.h"

#include "core/alloc.h"
#include "core/file.h"
#include "core/buf.h"
#include "core/json.h"
#include "integrity/evlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *const nv_serve_perm_names[4] = {"read", "write", "analyse",
                                            "admin"};

enum nv_rc nv_serve_key_new(char key[NV_SERVE_KEY_SIZE],
                            char hash[NV_SHA256_HEX], struct nv_err *err)
{
    unsigned char b[32];
    enum nv_rc rc = nv_random(b, sizeof b, err);

    if (rc)
        return rc;
    memcpy(key, "nvk_", 4);
    nv_hex(b, sizeof b, key + 4);
    nv_serve_key_hash(key, hash);
    return NV_OK;
}

void nv_serve_key_hash(const char *key, char hash[NV_SHA256_HEX])
{
    unsigned char d[NV_SHA256_LEN];

    nv_sha256(key, strlen(key), d);
    nv_hex(d, sizeof d, hash);
}

enum nv_rc nv_serve_perms_parse(const char *text, unsigned *perms,
                                struct nv_err *err)
{
    unsigned bits = 0;

    while (*text) {
        size_t n = strcspn(text, ",");
        unsigned bit = 0;
        for (int i = 0; i < 4 && !bit; i++)
            if (strlen(nv_serve_perm_names[i]) == n &&
                memcmp(text, nv_serve_perm_names[i], n) == 0)
                bit = 1u << i;
        if (!bit)
            return nv_err_set(err, NV_EINVAL,
                              "\"%.*s\" is not a permission: read, write, "
                              "analyse, admin",
                              (int)n, text);
        bits |= bit;
        text += n + (text[n] == ',');
    }
    if (!bits)
        return nv_err_set(err, NV_EINVAL, "no permission given");
    *perms = bits;
    return NV_OK;
}

void nv_serve_perms_format(unsigned perms, char *out, size_t size)
{
    size_t at = 0;

    out[0] = '\0';
    for (int i = 0; i < 4; i++)
        if (perms & (1u << i) && at < size)
            at += (size_t)snprintf(out + at, size - at, "%s%s", at ? "," : "",
                                   nv_serve_perm_names[i]);
}

void nv_serve_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The evidence-log entry that records an audit row. */
static enum nv_rc audit_entry(const struct nv_audit *a, struct nv_buf *out)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct nv_jsonw *w = f ? nv_jsonw_new(f, 0) : NULL;
    const char *keys[6] = {"time", "who", "action", "target", "message"};
    const char *vals[6] = {a->time, a->who, a->action, a->target, a->message};
    enum nv_rc rc = w ? NV_OK : NV_ENOMEM;

    if (w) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "kind");
        nv_jsonw_str(w, "audit");
        for (int i = 0; i < 5; i++) {
            nv_jsonw_key(w, keys[i]);
            nv_jsonw_str(w, vals[i]);
        }
        nv_jsonw_obj_end(w);
        nv_jsonw_free(w);
    }
    if (f && fclose(f) != 0)
        rc = NV_ENOMEM;
    if (!rc)
        rc = nv_buf_add(out, text, len);
    free(text); /* open_memstream's buffer is the C library's */
    return rc;
}

enum nv_rc nv_serve_record(struct nv_store *st, const char *log,
                           const struct nv_key *key,
                           const struct nv_serve_event *e, int64_t *seq,
                           struct nv_err *err)
{
    char now[32], hash[NV_SHA256_HEX];
    unsigned char d[NV_SHA256_LEN];
    struct nv_audit a = {0,         e->who,     now,  e->action,
                         e->target, e->message, hash, -1};
    struct nv_buf entry;
    uint64_t index = 0;
    enum nv_rc rc;

    nv_serve_now(now);
    nv_buf_init(&entry, NV_EVLOG_MAX_ENTRY);
    rc = audit_entry(&a, &entry);
    if (rc)
        nv_err_set(err, rc, "cannot write the audit entry");
    nv_sha256(entry.data, entry.len, d);
    nv_hex(d, sizeof d, hash);
    /* The row first: a crash before the log leaves a row whose log_index
     * is null, never a log entry without its row. */
    if (!rc)
        rc = nv_store_audit_add(st, &a, seq, err);
    if (!rc && log)
        rc = nv_evlog_record(log, key, NV_EVLOG_DEFAULT_ORIGIN, entry.data,
                             entry.len, &index, err);
    if (!rc && log)
        rc = nv_store_audit_logged(st, *seq, (int64_t)index, err);
    nv_buf_release(&entry);
    return rc;
}

enum nv_rc nv_serve_audit(struct nv_serve *s, const struct nv_serve_event *e,
                          int64_t *seq, struct nv_err *err)
{
    enum nv_rc rc;

    pthread_mutex_lock(&s->lock);
    rc = nv_serve_record(s->store, s->c.log, s->log_key, e, seq, err);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

enum nv_rc nv_serve_new(const struct nv_serve_config *c, struct nv_serve **out,
                        struct nv_err *err)
{
    struct nv_serve *s = nv_calloc(1, sizeof *s);
    const char *tmp = getenv("TMPDIR");
    enum nv_rc rc = s ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");

    if (rc)
        return rc;
    s->c = *c;
    pthread_mutex_init(&s->lock, NULL);
    snprintf(s->dir, sizeof s->dir, "%s/netvet-serve-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(s->dir)) {
        s->dir[0] = '\0';
        rc = nv_err_set(err, NV_EIO, "cannot make a private directory");
    }
    if (!rc)
        rc = nv_store_open(c->store, &s->store, err);
    if (!rc && c->log_key)
        rc = nv_key_load(c->log_key, &s->log_key, err);
    s->auth = rc ? NULL : nv_auth_new();
    s->jobs = rc ? NULL : nv_jobs_new(c->exe, c->jobs, c->seconds);
    if (!rc && (!s->auth || !s->jobs))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (rc) {
        nv_serve_free(s);
        return rc;
    }
    *out = s;
    return NV_OK;
}

void nv_serve_free(struct nv_serve *s)
{
    if (!s)
        return;
    nv_jobs_free(s->jobs);
    nv_auth_free(s->auth);
    nv_key_free(s->log_key);
    nv_store_close(s->store);
    if (s->dir[0])
        nv_file_remove_dir(s->dir);
    pthread_mutex_destroy(&s->lock);
    nv_free(s);
}
