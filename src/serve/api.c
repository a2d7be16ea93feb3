/*
 * api.c - the answers of /api/v1 (docs/serve.md, the paths and their
 * documents in openapi.json).  A request is matched to a route, then
 * authenticated (X-Api-Key, or the session cookie and, for a change, its
 * CSRF token), then checked for the route's permission; only then is
 * its query read.  Path parameters are ids (hex digits) and nothing else,
 * so no path can name a file; query values passed to netvet are words
 * (parse.h) and go as "--option=value", never as an argument of their
 * own.
 */
#include "serve/serve_int.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/parse.h"
#include "integrity/evlog.h"
#include "serve/parse.h"
#include "serve/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How long showing a snapshot waits for its groups (from assess). */
#define SHOW_WAIT_MS 10000
#define MAX_SEGS 4
#define PAGE_DEFAULT 50
#define PAGE_MAX 1000
/* What `screen --json` prints: a JSON object a line. */
#define NDJSON "application/x-ndjson"

static const char common_headers[] = "X-Content-Type-Options: nosniff\r\n"
                                     "Cache-Control: no-store\r\n"
                                     "Referrer-Policy: no-referrer\r\n"
                                     "X-Frame-Options: DENY\r\n";

static const char page_headers[] =
    "Content-Security-Policy: default-src 'none'; script-src 'unsafe-inline';"
    " style-src 'unsafe-inline'; img-src data:; connect-src 'self';"
    " base-uri 'none'; form-action 'none'; frame-ancestors 'none'\r\n";

/* The page and the API description, embedded at build time. */
static const unsigned char index_html[] = {
#include "serve/index.inc"
};
static const unsigned char openapi_json[] = {
#include "serve/openapi.inc"
};

/* A request on its way through. */
struct req {
    struct nv_serve *s;
    struct nv_http_req *r;
    struct nv_query q;
    char who[NV_KEY_NAME_MAX + 1];
    unsigned perms;
    int by_cookie;
    char key_hash[NV_SHA256_HEX], csrf[NV_TOKEN_SIZE];
    char path[512];
    char *seg[MAX_SEGS];
    int nseg;
};

static void send(struct req *q, const struct nv_answer *a, const char *extra)
{
    struct nv_buf h;

    nv_buf_init(&h, 4096);
    if (nv_buf_adds(&h, common_headers) ||
        (strcmp(a->type, "text/html") == 0 && nv_buf_adds(&h, page_headers)) ||
        (extra && nv_buf_adds(&h, extra)))
        nv_buf_reset(&h);
    nv_http_send(q->r, a->status, h.data, a->type, a->body, a->len);
    nv_buf_release(&h);
}

static void problem(struct req *q, int status, const char *title,
                    const char *detail)
{
    struct nv_answer a = {0};

    nv_jobs_problem(&a, status, title, detail, strlen(detail));
    send(q, &a, NULL);
    nv_answer_release(&a);
}

static void fail(struct req *q, const struct nv_err *err)
{
    char detail[sizeof err->msg + sizeof err->file + 64];

    if (err->file[0] && err->line)
        snprintf(detail, sizeof detail, "%s:%lu:%lu: %s", err->file, err->line,
                 err->col, err->msg);
    else
        snprintf(detail, sizeof detail, "%s", err->msg);
    switch (err->rc) {
    case NV_ENOENT:
        problem(q, 404, "not found", detail);
        break;
    case NV_EPARSE:
    case NV_EINVAL:
    case NV_EDUP:
        problem(q, 400, "bad request", detail);
        break;
    case NV_ELIMIT:
        problem(q, 413, "too large", detail);
        break;
    default:
        problem(q, 500, "internal error", detail);
    }
}

/* ---- JSON answers ---- */

struct out {
    char *text;
    size_t len;
    FILE *f;
    struct nv_jsonw *w;
};

static struct nv_jsonw *out_open(struct out *o)
{
    memset(o, 0, sizeof *o);
    o->f = open_memstream(&o->text, &o->len);
    o->w = o->f ? nv_jsonw_new(o->f, 0) : NULL;
    return o->w;
}

/* Send what o holds with status (and extra headers), then free it. */
static void out_send(struct req *q, struct out *o, int status,
                     const char *extra)
{
    struct nv_answer a = {status, "application/json", NULL, 0};

    nv_jsonw_free(o->w);
    if (o->f && fclose(o->f) == 0 && o->text) {
        a.body = o->text;
        a.len = o->len;
        send(q, &a, extra);
    } else {
        problem(q, 500, "internal error", "out of memory");
    }
    free(o->text); /* open_memstream's buffer is the C library's */
}

/* ---- authentication ---- */

/* The value of cookie name in the Cookie header into out; 0 if absent. */
static int cookie(const struct req *q, const char *name, char *out, size_t size)
{
    const char *c = nv_http_header(q->r, "Cookie");
    size_t n = strlen(name);

    while (c && *c) {
        c += strspn(c, " ;");
        size_t len = strcspn(c, ";");
        if (len > n && strncmp(c, name, n) == 0 && c[n] == '=' &&
            len - n - 1 < size) {
            memcpy(out, c + n + 1, len - n - 1);
            out[len - n - 1] = '\0';
            return 1;
        }
        c += len;
    }
    return 0;
}

/* Whether the key whose hash is hash is valid; who and perms filled. */
static int key_valid(struct req *q, const char *hash)
{
    struct nv_err err;
    enum nv_rc rc;

    nv_err_clear(&err);
    pthread_mutex_lock(&q->s->lock);
    rc = nv_store_key_find(q->s->store, hash, q->who, &q->perms, &err);
    pthread_mutex_unlock(&q->s->lock);
    if (!rc)
        memcpy(q->key_hash, hash, NV_SHA256_HEX);
    return !rc;
}

/* Authenticate q by key or session; 0 when neither holds. */
static int authenticate(struct req *q)
{
    const char *key = nv_http_header(q->r, "X-Api-Key");
    char token[NV_TOKEN_SIZE + 8], hash[NV_SHA256_HEX];

    if (key && strlen(key) < 200) {
        nv_serve_key_hash(key, hash);
        return key_valid(q, hash);
    }
    if (!key && cookie(q, "netvet_session", token, sizeof token) &&
        nv_auth_session(q->s->auth, token, hash, q->csrf)) {
        q->by_cookie = 1;
        return key_valid(q, hash);
    }
    return 0;
}

/* ---- routes ---- */

enum { AUTH_NONE = -1, AUTH_ANY = 0 };

typedef void (*handler)(struct req *q);

struct route {
    const char *method, *pattern; /* "snapshots/ * /assess", '*' an id */
    int perm;                     /* enum nv_perm, AUTH_NONE, AUTH_ANY */
    handler fn;
};

/* Whether q's segments match pattern; *bad when an id is not one. */
static int matches(const struct req *q, const char *pattern, int *bad)
{
    int i = 0;

    while (*pattern) {
        size_t n = strcspn(pattern, "/");
        if (i == q->nseg)
            return 0;
        if (n == 1 && *pattern == '*') {
            if (!nv_serve_is_id(q->seg[i]))
                *bad = 1;
        } else if (strlen(q->seg[i]) != n ||
                   memcmp(q->seg[i], pattern, n) != 0) {
            return 0;
        }
        i++;
        pattern += n + (pattern[n] == '/');
    }
    return i == q->nseg;
}

/* Split the path after /api/v1/ into segments; 0 if it is no API path
 * or has an empty segment. */
static int split(struct req *q)
{
    const char *p = q->r->path;
    char *at;

    if (strncmp(p, "/api/v1/", 8) != 0 || strlen(p + 8) >= sizeof q->path)
        return 0;
    memcpy(q->path, p + 8, strlen(p + 8) + 1);
    at = q->path;
    while (*at && q->nseg < MAX_SEGS) {
        q->seg[q->nseg++] = at;
        at += strcspn(at, "/");
        if (*at)
            *at++ = '\0';
        if (!*q->seg[q->nseg - 1])
            return 0;
    }
    return !*at;
}

/* The snapshot named by path segment i, resolved into id; answers and
 * returns 0 when there is none. */
static int snapshot(struct req *q, const char *ref, char id[NV_SHA256_HEX])
{
    struct nv_err err;
    int withdrawn = 0;
    enum nv_rc rc;

    nv_err_clear(&err);
    if (strlen(ref) < 4) {
        problem(q, 400, "bad request",
                "a snapshot id has 4 hex digits or more");
        return 0;
    }
    pthread_mutex_lock(&q->s->lock);
    rc = nv_store_resolve(q->s->store, ref, id, &err);
    if (!rc)
        rc = nv_store_withdrawn(q->s->store, id, &withdrawn, &err);
    pthread_mutex_unlock(&q->s->lock);
    if (!rc && withdrawn)
        rc = nv_err_set(&err, NV_ENOENT, "snapshot %s was withdrawn", ref);
    if (rc)
        fail(q, &err);
    return !rc;
}

/* ---- query values ---- */

/* The value of query parameter name into *v (NULL when absent); 0 after
 * answering 400 when it is not a word netvet may be given. */
static int word(struct req *q, const char *name, const char **v)
{
    char detail[300];

    *v = nv_query_get(&q->q, name);
    if (!*v || nv_serve_is_word(*v))
        return 1;
    snprintf(detail, sizeof detail,
             "query:%s: letters, digits and \" .:_-\" only", name);
    problem(q, 400, "bad request", detail);
    return 0;
}

/* The whole number of parameter name in [min, max] into *v (dflt when
 * absent); 0 after answering 400. */
static int number(struct req *q, const char *name, int64_t dflt, int64_t max,
                  int64_t *v)
{
    const char *t = nv_query_get(&q->q, name);
    char detail[300];

    *v = dflt;
    if (!t || !nv_parse_i64(t, strlen(t), 0, max, v))
        return 1;
    snprintf(detail, sizeof detail, "query:%s: a whole number up to %lld", name,
             (long long)max);
    problem(q, 400, "bad request", detail);
    return 0;
}

/* The page size of a list into *limit; 0 after answering 400.  Zero is
 * refused: a page must move its cursor on. */
static int page_limit(struct req *q, int64_t *limit)
{
    if (!number(q, "limit", PAGE_DEFAULT, PAGE_MAX, limit))
        return 0;
    if (*limit > 0)
        return 1;
    problem(q, 400, "bad request", "query:limit: a whole number from 1");
    return 0;
}

/* "--name=value" in q's arena; NULL when out of memory. */
static const char *opt(struct req *q, const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 4;
    char *s = nv_arena_alloc(&q->q.arena, n);

    if (s)
        snprintf(s, n, "--%s=%s", name, value);
    return s;
}

/* ---- session ---- */

static void session_json(struct req *q, int status, const char *csrf,
                         const char *headers)
{
    struct out o;
    struct nv_jsonw *w = out_open(&o);

    if (w) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "name");
        nv_jsonw_str(w, q->who);
        nv_jsonw_key(w, "permissions");
        nv_jsonw_arr(w);
        for (int i = 0; i < 4; i++)
            if (q->perms & (1u << i))
                nv_jsonw_str(w, nv_serve_perm_names[i]);
        nv_jsonw_arr_end(w);
        nv_jsonw_key(w, "csrf");
        nv_jsonw_str_or_null(w, csrf);
        nv_jsonw_obj_end(w);
    }
    out_send(q, &o, status, headers);
}

static void h_openapi(struct req *q)
{
    struct nv_answer a = {200, "application/json", (char *)openapi_json,
                          sizeof openapi_json};
    send(q, &a, NULL);
}

/* Read the body, at most max bytes; 0 after answering why not. */
static int body(struct req *q, size_t max, char **text, size_t *len)
{
    struct nv_err err;

    nv_err_clear(&err);
    if (!nv_http_body(q->r, max, text, len, &err))
        return 1;
    if (err.rc == NV_ELIMIT)
        problem(q, 413, "content too large", err.msg);
    else
        fail(q, &err);
    return 0;
}

static void h_login(struct req *q)
{
    char key[256], hash[NV_SHA256_HEX], tok[NV_TOKEN_SIZE];
    char headers[300];
    char *text = NULL;
    size_t len = 0;
    struct nv_err err;

    nv_err_clear(&err);
    if (nv_auth_blocked(q->s->auth, q->r->remote)) {
        problem(q, 429, "too many requests",
                "too many failed attempts: wait a minute");
        return;
    }
    if (!body(q, 4096, &text, &len))
        return;
    if (nv_serve_session_body(text, len, key, sizeof key, &err)) {
        nv_free(text);
        fail(q, &err);
        return;
    }
    nv_free(text);
    nv_serve_key_hash(key, hash);
    if (!key_valid(q, hash)) {
        nv_auth_failed(q->s->auth, q->r->remote);
        problem(q, 401, "unauthorized", "no valid key");
        return;
    }
    if (nv_auth_login(q->s->auth, hash, tok, q->csrf, &err)) {
        fail(q, &err);
        return;
    }
    snprintf(headers, sizeof headers,
             "Set-Cookie: netvet_session=%s; Path=/; HttpOnly; "
             "SameSite=Strict%s\r\n",
             tok, q->r->tls ? "; Secure" : "");
    session_json(q, 200, q->csrf, headers);
}

static void h_session(struct req *q)
{
    session_json(q, 200, q->by_cookie ? q->csrf : NULL, NULL);
}

static void h_logout(struct req *q)
{
    char tok[NV_TOKEN_SIZE + 8];
    struct nv_answer a = {204, "application/json", NULL, 0};

    if (cookie(q, "netvet_session", tok, sizeof tok))
        nv_auth_logout(q->s->auth, tok);
    send(q, &a,
         "Set-Cookie: netvet_session=; Path=/; HttpOnly; SameSite=Strict; "
         "Max-Age=0\r\n");
}

/* ---- snapshots ---- */

static void snapshot_json(struct nv_jsonw *w, const struct nv_snapshot *sn)
{
    nv_jsonw_key(w, "id");
    nv_jsonw_str(w, sn->id);
    nv_jsonw_key(w, "seq");
    nv_jsonw_int(w, sn->seq);
    nv_jsonw_key(w, "message");
    nv_jsonw_str(w, sn->message);
    nv_jsonw_key(w, "author");
    nv_jsonw_str(w, sn->author);
    nv_jsonw_key(w, "created");
    nv_jsonw_str(w, sn->time);
    nv_jsonw_key(w, "bytes");
    nv_jsonw_int(w, sn->bytes);
    nv_jsonw_key(w, "assets");
    nv_jsonw_int(w, sn->counts[2]);
    nv_jsonw_key(w, "sites");
    nv_jsonw_int(w, sn->counts[1]);
    nv_jsonw_key(w, "links");
    nv_jsonw_int(w, sn->counts[3]);
    nv_jsonw_key(w, "flows");
    nv_jsonw_int(w, sn->counts[4]);
}

/* Every snapshot not withdrawn, oldest first; 0 after answering. */
static int snapshots(struct req *q, struct nv_snapshots *l)
{
    struct nv_err err;
    enum nv_rc rc;
    uint32_t kept = 0;

    nv_err_clear(&err);
    pthread_mutex_lock(&q->s->lock);
    rc = nv_store_list(q->s->store, l, &err);
    for (uint32_t i = 0; !rc && i < l->n; i++) {
        int gone = 0;
        rc = nv_store_withdrawn(q->s->store, l->v[i].id, &gone, &err);
        if (!gone)
            l->v[kept++] = l->v[i];
    }
    pthread_mutex_unlock(&q->s->lock);
    l->n = kept;
    if (rc)
        fail(q, &err);
    return !rc;
}

static void h_list(struct req *q)
{
    struct nv_snapshots l = {0};
    int64_t limit, cursor;
    struct out o;
    struct nv_jsonw *w;
    uint32_t i, shown = 0;

    if (!page_limit(q, &limit) ||
        !number(q, "cursor", INT64_MAX, INT64_MAX, &cursor) ||
        !snapshots(q, &l))
        return;
    if (!(w = out_open(&o)))
        goto out;
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "snapshots");
    nv_jsonw_arr(w);
    for (i = l.n; i > 0 && shown < limit; i--) {
        if (l.v[i - 1].seq >= cursor)
            continue;
        nv_jsonw_obj(w);
        snapshot_json(w, &l.v[i - 1]);
        nv_jsonw_obj_end(w);
        shown++;
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_key(w, "next");
    while (i > 0 && l.v[i - 1].seq >= cursor)
        i--;
    if (i > 0)
        nv_jsonw_int(w, l.v[i].seq);
    else
        nv_jsonw_null(w);
    nv_jsonw_obj_end(w);
out:
    out_send(q, &o, 200, NULL);
    nv_store_snapshots_release(&l);
}

static void h_model(struct req *q)
{
    char id[NV_SHA256_HEX];
    struct nv_answer a = {200, "application/json", NULL, 0};
    struct nv_err err;
    enum nv_rc rc;

    nv_err_clear(&err);
    if (!snapshot(q, q->seg[1], id))
        return;
    pthread_mutex_lock(&q->s->lock);
    rc = nv_store_get(q->s->store, id, &a.body, &a.len, NULL, NULL, &err);
    pthread_mutex_unlock(&q->s->lock);
    if (rc)
        fail(q, &err);
    else
        send(q, &a, NULL);
    nv_answer_release(&a);
}

/* Audit the event; answer 500 and return 0 when it cannot be kept. */
static int audit(struct req *q, const char *action, const char *target,
                 const char *message, int64_t *seq)
{
    struct nv_serve_event e = {q->who, action, target, message};
    struct nv_err err;
    int64_t dummy;

    nv_err_clear(&err);
    if (!nv_serve_audit(q->s, &e, seq ? seq : &dummy, &err))
        return 1;
    fail(q, &err);
    return 0;
}

static void h_withdraw(struct req *q)
{
    const char *message = nv_query_get(&q->q, "message");
    char id[NV_SHA256_HEX];
    struct nv_answer a = {204, "application/json", NULL, 0};
    struct nv_err err;
    int64_t seq = 0;
    enum nv_rc rc;

    nv_err_clear(&err);
    if (!message || !*message) {
        problem(q, 400, "bad request", "query:message: say why");
        return;
    }
    if (!snapshot(q, q->seg[1], id) || !audit(q, "delete", id, message, &seq))
        return;
    pthread_mutex_lock(&q->s->lock);
    rc = nv_store_withdraw(q->s->store, id, seq, &err);
    pthread_mutex_unlock(&q->s->lock);
    if (rc)
        fail(q, &err);
    else
        send(q, &a, NULL);
}

/* ---- uploads ---- */

/* Write data to path, whole; 0 on failure. */
static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wbx");
    int ok = f && fwrite(data, 1, len, f) == len;

    if (f && fclose(f) != 0)
        ok = 0;
    return ok;
}

/* Answer the child's `store add`: 201 with the new id, audited. */
static void added(struct req *q, const struct nv_run_result *res,
                  const char *message)
{
    char id[NV_SHA256_HEX], loc[200];
    struct out o;
    struct nv_jsonw *w;

    if (res->out_len >= 64)
        memcpy(id, res->out, 64);
    id[res->out_len >= 64 ? 64 : 0] = '\0';
    if (strlen(id) != 64 || !nv_serve_is_id(id)) {
        problem(q, 500, "internal error", "the store said no id");
        return;
    }
    if (strstr(res->out, " added") && !audit(q, "upload", id, message, NULL))
        return;
    snprintf(loc, sizeof loc, "Location: /api/v1/snapshots/%s\r\n", id);
    w = out_open(&o);
    if (w) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "id");
        nv_jsonw_str(w, id);
        nv_jsonw_obj_end(w);
    }
    out_send(q, &o, 201, loc);
}

/* Run `netvet store add` on the body, saved as file in dir. */
static void store_add(struct req *q, const char *dir, const char *file,
                      const char *message)
{
    const char *argv[] = {"netvet",
                          "store",
                          "add",
                          q->s->c.store,
                          file,
                          opt(q, "message", message),
                          opt(q, "author", q->who),
                          NULL};
    struct nv_run r = {q->s->c.exe,     argv,           dir, NULL, 0,
                       q->s->c.seconds, (size_t)1 << 20};
    struct nv_run_result res = {0};
    struct nv_err err;
    struct nv_answer a = {0};

    nv_err_clear(&err);
    if (!argv[5] || !argv[6] || nv_run(&r, &res, &err)) {
        fail(q, &err);
        return;
    }
    if (res.status == 0) {
        added(q, &res, message);
    } else {
        const char *msg = res.errs ? res.errs : "";
        size_t n = res.errs_len;
        while (n && msg[n - 1] == '\n')
            n--;
        if (n >= 8 && memcmp(msg, "netvet: ", 8) == 0) {
            msg += 8;
            n -= 8;
        }
        nv_jobs_problem(&a, res.status == 2 ? 400 : 500,
                        res.status == 2 ? "bad model" : "upload failed", msg,
                        n);
        send(q, &a, NULL);
        nv_answer_release(&a);
    }
    nv_run_result_release(&res);
}

static void h_upload(struct req *q)
{
    const char *message = nv_query_get(&q->q, "message"), *format;
    char dir[4200], path[4300], file[64];
    char *text = NULL;
    size_t len = 0;

    if (!message || !*message) {
        problem(q, 400, "bad request", "query:message: say what changed");
        return;
    }
    if (!word(q, "format", &format) || !body(q, q->s->c.max_body, &text, &len))
        return;
    snprintf(file, sizeof file, "upload%s%s", format ? "." : "",
             format && strlen(format) < 20 ? format : "");
    snprintf(dir, sizeof dir, "%s/up-XXXXXX", q->s->dir);
    if (!mkdtemp(dir)) {
        problem(q, 500, "internal error", "cannot make a directory");
    } else {
        snprintf(path, sizeof path, "%s/%s", dir, file);
        if (write_file(path, text, len))
            store_add(q, dir, file, message);
        else
            problem(q, 500, "internal error", "cannot keep the upload");
        unlink(path);
        rmdir(dir);
    }
    nv_free(text);
}

/* ---- analyses ---- */

/* The file of snapshot id, written once from the store, into path. */
static int snapshot_file(struct req *q, const char *id, char *path, size_t size)
{
    char tmp[4400];
    char *text = NULL;
    size_t len = 0;
    struct nv_err err;
    int ok;

    snprintf(path, size, "%s/%s.json", q->s->dir, id);
    if (access(path, R_OK) == 0)
        return 1;
    nv_err_clear(&err);
    pthread_mutex_lock(&q->s->lock);
    ok = !nv_store_get(q->s->store, id, &text, &len, NULL, NULL, &err);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    unlink(tmp);
    ok = ok && write_file(tmp, text, len) && rename(tmp, path) == 0;
    pthread_mutex_unlock(&q->s->lock);
    nv_free(text);
    if (!ok && err.rc)
        fail(q, &err);
    else if (!ok)
        problem(q, 500, "internal error", "cannot write the snapshot's file");
    return ok;
}

/* The arguments of an analysis, built up. */
struct args {
    const char *v[16];
    int n;
    struct nv_buf key; /* the cache key: the arguments but the file */
};

static void arg(struct args *a, const char *s)
{
    if (a->n < 15 && s) {
        a->v[a->n++] = s;
        if (nv_buf_adds(&a->key, s) || nv_buf_addc(&a->key, '\n'))
            a->n = 15; /* cannot happen within the key's limit */
    }
}

/* Add --name=value for query parameter param when given; 0 after
 * answering 400. */
static int pass(struct req *q, struct args *a, const char *param,
                const char *name)
{
    const char *v;

    if (!word(q, param, &v))
        return 0;
    if (v)
        arg(a, opt(q, name, v));
    return 1;
}

/* Add the group ("vendor:huawei") of parameter param as --vendor=...;
 * 0 after answering 400. */
static int group(struct req *q, struct args *a, const char *param, int required)
{
    const char *v;
    char kind[16];
    size_t n;

    if (!word(q, param, &v))
        return 0;
    if (!v && !required)
        return 1;
    n = v ? strcspn(v, ":") : 0;
    if (!v || !v[n] || n >= sizeof kind ||
        (strncmp(v, "vendor", n) && strncmp(v, "country", n) &&
         strncmp(v, "designation", n))) {
        problem(q, 400, "bad request",
                "query:group: vendor:ID, country:CC or designation:NAME");
        return 0;
    }
    memcpy(kind, v, n);
    kind[n] = '\0';
    arg(a, opt(q, kind, v + n + 1));
    return 1;
}

/* The options of analysis kind; 0 after answering 400. */
static int analysis_args(struct req *q, const char *kind, struct args *a)
{
    int ok = 1;

    if (!strcmp(kind, "assess")) {
        arg(a, "assess");
        arg(a, "--json");
        ok = pass(q, a, "group", "group") && pass(q, a, "limit", "limit");
    } else if (!strcmp(kind, "margin")) {
        arg(a, "assess");
        arg(a, "--margin");
        arg(a, "--json");
    } else if (!strcmp(kind, "wargame") || !strcmp(kind, "concentration")) {
        arg(a, kind);
        arg(a, "--json");
        ok = group(q, a, "group", kind[0] == 'w');
    } else if (!strcmp(kind, "report")) {
        arg(a, "report");
        ok = group(q, a, "group", 0) && pass(q, a, "policy", "policy");
        arg(a, "--output=-");
    } else {
        arg(a, kind); /* check, release, plan: a policy */
        arg(a, "--json");
        ok = pass(q, a, "policy", "policy") && pass(q, a, "date", "date") &&
             pass(q, a, "deadline", "until");
    }
    return ok;
}

/* Answer the job spec: its result, or 202 with the job. */
static void run_job(struct req *q, const struct nv_job_spec *spec,
                    const char *decision, const char *target)
{
    struct nv_answer a = {0};
    char id[NV_JOB_ID], loc[200];
    struct out o;
    struct nv_jsonw *w;
    int rc = nv_jobs_answer(q->s->jobs, spec, q->s->c.wait_ms, &a, id);

    if (rc < 0) {
        problem(q, 503, "busy", "too many analyses under way: try later");
    } else if (rc > 0) {
        if (a.status != 200 || !decision ||
            audit(q, decision, target, spec->url, NULL))
            send(q, &a, NULL);
        nv_answer_release(&a);
    } else {
        snprintf(loc, sizeof loc, "Location: /api/v1/jobs/%s\r\n", id);
        if ((w = out_open(&o)) != NULL) {
            nv_jsonw_obj(w);
            nv_jsonw_key(w, "job");
            nv_jsonw_str(w, id);
            nv_jsonw_key(w, "url");
            nv_jsonw_strn(w, loc + 10, strlen(loc) - 12);
            nv_jsonw_obj_end(w);
        }
        out_send(q, &o, 202, loc);
    }
}

/* Run the analysis whose arguments are a (the file last), answering. */
static void analyse(struct req *q, struct args *a, const char *type,
                    const char *decision, const char *target)
{
    char url[700];
    struct nv_job_spec spec = {a->key.data, url, a->v, NULL, 0, type};

    snprintf(url, sizeof url, "%s%s%s", q->r->path, q->r->query[0] ? "?" : "",
             q->r->query);
    a->v[a->n] = NULL;
    run_job(q, &spec, decision, target);
}

static void h_analysis(struct req *q)
{
    const char *kind = q->seg[2];
    char id[NV_SHA256_HEX], file[4200];
    struct args a = {{"netvet"}, 1, {0}};
    int decision = !strcmp(kind, "check") || !strcmp(kind, "release");

    nv_buf_init(&a.key, 4096);
    if (snapshot(q, q->seg[1], id) && analysis_args(q, kind, &a) &&
        snapshot_file(q, id, file, sizeof file)) {
        arg(&a, id); /* the key names the snapshot, the file is its text */
        a.v[a.n - 1] = file;
        analyse(q, &a,
                strcmp(kind, "report") ? "application/json" : "text/html",
                decision ? kind : NULL, id);
    }
    nv_buf_release(&a.key);
}

/* ---- a snapshot with what the page picks from ---- */

/* Write the distinct values of member key of the flows as the array
 * name. */
static void distinct(struct nv_jsonw *w, const struct nv_json *flows,
                     const char *key, const char *name)
{
    const char *seen[64];
    size_t n = 0;

    nv_jsonw_key(w, name);
    nv_jsonw_arr(w);
    for (size_t i = 0; flows && i < flows->len && n < 64; i++) {
        const struct nv_json *v = nv_json_get(&flows->u.items[i], key);
        size_t k = 0;
        if (!v || v->type != NV_JSON_STRING)
            continue;
        while (k < n && strcmp(seen[k], v->u.str) != 0)
            k++;
        if (k == n) {
            seen[n++] = v->u.str;
            nv_jsonw_str(w, v->u.str);
        }
    }
    nv_jsonw_arr_end(w);
}

/* The groups, sectors and classifications of the assess document text
 * (null when it is not to be had). */
static void pickers(struct nv_jsonw *w, const char *text, size_t len)
{
    struct nv_arena a;
    struct nv_json *doc = NULL;
    const struct nv_json *groups = NULL, *flows = NULL;

    nv_arena_init(&a);
    if (text && !nv_json_parse(text, len, "assess", &a, &doc, NULL) &&
        doc->type == NV_JSON_OBJECT) {
        groups = nv_json_get(doc, "groups");
        flows = nv_json_get(doc, "flows");
    }
    nv_jsonw_key(w, "groups");
    if (groups && groups->type == NV_JSON_ARRAY)
        nv_jsonw_value(w, groups);
    else
        nv_jsonw_null(w);
    if (flows && flows->type == NV_JSON_ARRAY) {
        distinct(w, flows, "sector", "sectors");
        distinct(w, flows, "classification", "classifications");
    } else {
        nv_jsonw_key(w, "sectors");
        nv_jsonw_null(w);
        nv_jsonw_key(w, "classifications");
        nv_jsonw_null(w);
    }
    nv_arena_release(&a);
}

/* The assess document of snapshot id (NULL when it is not done within
 * the wait), from the cache as GET .../assess fills it. */
static void assessed(struct req *q, const char *id, struct nv_answer *out)
{
    char file[4200], url[200], job[NV_JOB_ID];
    struct args a = {{"netvet", "assess", "--json"}, 3, {0}};
    struct nv_job_spec spec = {NULL, url, a.v, NULL, 0, "application/json"};

    nv_buf_init(&a.key, 4096);
    memset(out, 0, sizeof *out);
    if (nv_buf_adds(&a.key, "assess\n--json\n") ||
        !snapshot_file(q, id, file, sizeof file)) {
        nv_buf_release(&a.key);
        return;
    }
    snprintf(url, sizeof url, "/api/v1/snapshots/%s/assess", id);
    arg(&a, id);
    a.v[a.n - 1] = file;
    a.v[a.n] = NULL;
    spec.key = a.key.data;
    if (nv_jobs_answer(q->s->jobs, &spec, SHOW_WAIT_MS, out, job) == 1 &&
        out->status != 200)
        nv_answer_release(out);
    nv_buf_release(&a.key);
}

static void h_show(struct req *q)
{
    struct nv_snapshots l = {0};
    struct nv_answer doc;
    char id[NV_SHA256_HEX];
    struct out o;
    struct nv_jsonw *w;

    if (!snapshot(q, q->seg[1], id) || !snapshots(q, &l))
        return;
    assessed(q, id, &doc);
    w = out_open(&o);
    for (uint32_t i = 0; w && i < l.n; i++)
        if (strcmp(l.v[i].id, id) == 0) {
            nv_jsonw_obj(w);
            snapshot_json(w, &l.v[i]);
            pickers(w, doc.body, doc.len);
            nv_jsonw_obj_end(w);
        }
    out_send(q, &o, 200, NULL);
    nv_answer_release(&doc);
    nv_store_snapshots_release(&l);
}

/* ---- over the store ---- */

/* A unique key, for what must not come from the cache (the log grows,
 * a store's posture changes with every snapshot). */
static void fresh(struct args *a)
{
    static const char hexd[] = "0123456789abcdef";
    unsigned char b[16];
    char s[33];

    if (nv_random(b, sizeof b, NULL))
        memset(b, 0, sizeof b);
    for (int i = 0; i < 16; i++) {
        s[2 * i] = hexd[b[i] >> 4];
        s[2 * i + 1] = hexd[b[i] & 15];
    }
    s[32] = '\0';
    if (nv_buf_adds(&a->key, s))
        a->n = 15;
}

static void h_diff(struct req *q)
{
    const char *from = nv_query_get(&q->q, "from"),
               *to = nv_query_get(&q->q, "to");
    char a_id[NV_SHA256_HEX], b_id[NV_SHA256_HEX];
    struct args a = {{"netvet"}, 1, {0}};

    nv_buf_init(&a.key, 4096);
    if (!from || !to || !nv_serve_is_id(from) || !nv_serve_is_id(to)) {
        problem(q, 400, "bad request", "query:from, to: two snapshot ids");
    } else if (snapshot(q, from, a_id) && snapshot(q, to, b_id)) {
        arg(&a, "store");
        arg(&a, "diff");
        arg(&a, q->s->c.store);
        arg(&a, a_id);
        arg(&a, b_id);
        arg(&a, "--json");
        if (pass(q, &a, "policy", "policy"))
            analyse(q, &a, "application/json", NULL, NULL);
    }
    nv_buf_release(&a.key);
}

static void h_posture(struct req *q)
{
    struct args a = {{"netvet"}, 1, {0}};

    nv_buf_init(&a.key, 4096);
    arg(&a, "store");
    arg(&a, "posture");
    arg(&a, q->s->c.store);
    arg(&a, "--json");
    fresh(&a);
    if (pass(q, &a, "policy", "policy") && pass(q, &a, "date", "date"))
        analyse(q, &a, "application/json", NULL, NULL);
    nv_buf_release(&a.key);
}

static void h_screen(struct req *q)
{
    const char *type = nv_http_header(q->r, "Content-Type");
    struct args a = {{"netvet", "screen", "--json"}, 3, {0}};
    struct nv_buf names;
    char *text = NULL, url[64] = "/api/v1/screen";
    unsigned char d[NV_SHA256_LEN];
    char hash[NV_SHA256_HEX];
    size_t len = 0;
    struct nv_err err;

    nv_err_clear(&err);
    nv_buf_init(&names, (size_t)64 << 20);
    nv_buf_init(&a.key, 8192);
    if (body(q, (size_t)64 << 20, &text, &len) &&
        nv_serve_names_body(text, len, type && strstr(type, "json") != NULL,
                            &names, &err))
        fail(q, &err);
    else if (text) {
        for (size_t i = 0; i < q->s->c.nlists; i++)
            arg(&a, opt(q, "list", q->s->c.lists[i]));
        arg(&a, "-");
        nv_sha256(names.data, names.len, d);
        nv_hex(d, sizeof d, hash);
        if (!nv_buf_adds(&a.key, hash)) {
            struct nv_job_spec spec = {a.key.data, url,       a.v,
                                       names.data, names.len, NDJSON};
            a.v[a.n] = NULL;
            run_job(q, &spec, NULL, NULL);
        }
    }
    nv_free(text);
    nv_buf_release(&names);
    nv_buf_release(&a.key);
}

/* ---- audit and log ---- */

static void audit_json(struct nv_jsonw *w, const struct nv_audit *a)
{
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "seq");
    nv_jsonw_int(w, a->seq);
    nv_jsonw_key(w, "who");
    nv_jsonw_str(w, a->who);
    nv_jsonw_key(w, "when");
    nv_jsonw_str(w, a->time);
    nv_jsonw_key(w, "action");
    nv_jsonw_str(w, a->action);
    nv_jsonw_key(w, "target");
    nv_jsonw_str(w, a->target);
    nv_jsonw_key(w, "message");
    nv_jsonw_str(w, a->message);
    nv_jsonw_key(w, "hash");
    nv_jsonw_str(w, a->hash);
    nv_jsonw_key(w, "log_index");
    if (a->log_index >= 0)
        nv_jsonw_int(w, a->log_index);
    else
        nv_jsonw_null(w);
    nv_jsonw_obj_end(w);
}

static void h_audit(struct req *q)
{
    struct nv_audits l = {0};
    int64_t limit, cursor;
    struct nv_err err;
    struct out o;
    struct nv_jsonw *w;
    enum nv_rc rc;

    nv_err_clear(&err);
    if (!page_limit(q, &limit) || !number(q, "cursor", 0, INT64_MAX, &cursor))
        return;
    pthread_mutex_lock(&q->s->lock);
    rc =
        nv_store_audit_list(q->s->store, cursor, (uint32_t)limit + 1, &l, &err);
    pthread_mutex_unlock(&q->s->lock);
    if (rc) {
        fail(q, &err);
        return;
    }
    if ((w = out_open(&o)) != NULL) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "audit");
        nv_jsonw_arr(w);
        for (uint32_t i = 0; i < l.n && i < limit; i++)
            audit_json(w, &l.v[i]);
        nv_jsonw_arr_end(w);
        nv_jsonw_key(w, "next");
        if (l.n > limit)
            nv_jsonw_int(w, l.v[limit - 1].seq);
        else
            nv_jsonw_null(w);
        nv_jsonw_obj_end(w);
    }
    out_send(q, &o, 200, NULL);
    nv_store_audits_release(&l);
}

/* 0 after answering 404 when the service keeps no log. */
static int have_log(struct req *q)
{
    if (q->s->c.log)
        return 1;
    problem(q, 404, "not found", "this service keeps no evidence log (--log)");
    return 0;
}

static void h_checkpoint(struct req *q)
{
    struct args a = {{"netvet", "log", "show"}, 3, {0}};

    nv_buf_init(&a.key, 4096);
    if (have_log(q)) {
        arg(&a, q->s->c.log);
        arg(&a, "--json");
        fresh(&a);
        analyse(q, &a, "application/json", NULL, NULL);
    }
    nv_buf_release(&a.key);
}

static void h_proof(struct req *q)
{
    int inclusion = !strcmp(q->seg[1], "inclusion");
    struct args a = {{"netvet", "log", "prove"}, 3, {0}};
    int64_t v;

    nv_buf_init(&a.key, 4096);
    if (have_log(q)) {
        arg(&a, q->s->c.log);
        fresh(&a);
        if (inclusion && nv_query_get(&q->q, "index") &&
            number(q, "index", 0, INT64_MAX, &v) &&
            pass(q, &a, "index", "index") && pass(q, &a, "size", "size"))
            analyse(q, &a, "application/json", NULL, NULL);
        else if (!inclusion && nv_query_get(&q->q, "from") &&
                 number(q, "from", 0, INT64_MAX, &v) &&
                 number(q, "to", 0, INT64_MAX, &v) &&
                 pass(q, &a, "from", "from") && pass(q, &a, "to", "to"))
            analyse(q, &a, "application/json", NULL, NULL);
        else if (!nv_query_get(&q->q, inclusion ? "index" : "from"))
            problem(q, 400, "bad request",
                    inclusion ? "query:index: the entry to prove"
                              : "query:from: the older size");
    }
    nv_buf_release(&a.key);
}

static void h_job(struct req *q)
{
    struct nv_answer a = {0};

    if (!nv_jobs_status(q->s->jobs, q->seg[1], &a)) {
        problem(q, 404, "not found", "no such job");
        return;
    }
    send(q, &a, NULL);
    nv_answer_release(&a);
}

static const struct route routes[] = {
    {"GET", "openapi.json", AUTH_NONE, h_openapi},
    {"POST", "session", AUTH_NONE, h_login},
    {"GET", "session", AUTH_ANY, h_session},
    {"DELETE", "session", AUTH_ANY, h_logout},
    {"POST", "snapshots", NV_PERM_WRITE, h_upload},
    {"GET", "snapshots", NV_PERM_READ, h_list},
    {"GET", "snapshots/*", NV_PERM_READ, h_show},
    {"DELETE", "snapshots/*", NV_PERM_ADMIN, h_withdraw},
    {"GET", "snapshots/*/model", NV_PERM_READ, h_model},
    {"GET", "snapshots/*/assess", NV_PERM_ANALYSE, h_analysis},
    {"GET", "snapshots/*/wargame", NV_PERM_ANALYSE, h_analysis},
    {"GET", "snapshots/*/concentration", NV_PERM_ANALYSE, h_analysis},
    {"GET", "snapshots/*/margin", NV_PERM_ANALYSE, h_analysis},
    {"GET", "snapshots/*/check", NV_PERM_ANALYSE, h_analysis},
    {"GET", "snapshots/*/release", NV_PERM_ANALYSE, h_analysis},
    {"GET", "snapshots/*/plan", NV_PERM_ANALYSE, h_analysis},
    {"GET", "snapshots/*/report", NV_PERM_READ, h_analysis},
    {"GET", "diff", NV_PERM_READ, h_diff},
    {"GET", "posture", NV_PERM_READ, h_posture},
    {"POST", "screen", NV_PERM_ANALYSE, h_screen},
    {"GET", "audit", NV_PERM_ADMIN, h_audit},
    {"GET", "log/checkpoint", NV_PERM_READ, h_checkpoint},
    {"GET", "log/inclusion", NV_PERM_READ, h_proof},
    {"GET", "log/consistency", NV_PERM_READ, h_proof},
    {"GET", "jobs/*", NV_PERM_READ, h_job},
};

/* The route of q; NULL after answering 400, 404 or 405. */
static const struct route *route(struct req *q)
{
    int bad = 0, path_found = 0;

    if (!split(q)) {
        problem(q, 404, "not found", "no such path");
        return NULL;
    }
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!matches(q, routes[i].pattern, &bad))
            continue;
        path_found = 1;
        if (bad)
            break;
        if (strcmp(routes[i].method, q->r->method) == 0)
            return &routes[i];
    }
    if (bad)
        problem(q, 400, "bad request", "a path parameter is not an id");
    else if (path_found)
        problem(q, 405, "method not allowed", "no such method on this path");
    else
        problem(q, 404, "not found", "no such path");
    return NULL;
}

/* Authenticate and authorise q for rt; 0 after answering why not. */
static int allowed(struct req *q, const struct route *rt)
{
    const char *csrf;
    int change = strcmp(q->r->method, "GET") != 0;

    if (rt->perm == AUTH_NONE)
        return 1;
    if (nv_auth_blocked(q->s->auth, q->r->remote)) {
        problem(q, 429, "too many requests",
                "too many failed attempts: wait a minute");
        return 0;
    }
    if (!authenticate(q)) {
        nv_auth_failed(q->s->auth, q->r->remote);
        problem(q, 401, "unauthorized", "a valid key or session is needed");
        return 0;
    }
    csrf = nv_http_header(q->r, "X-CSRF-Token");
    if (q->by_cookie && change && (!csrf || strcmp(csrf, q->csrf) != 0)) {
        problem(q, 403, "forbidden", "a change needs the session's CSRF token");
        return 0;
    }
    if (rt->perm > 0 && !(q->perms & (unsigned)rt->perm)) {
        problem(q, 403, "forbidden", "the key lacks the permission");
        return 0;
    }
    return 1;
}

static void serve_page(struct req *q)
{
    struct nv_answer a = {200, "text/html", (char *)index_html,
                          sizeof index_html};

    if (strcmp(q->r->method, "GET") != 0 && strcmp(q->r->method, "HEAD") != 0)
        problem(q, 405, "method not allowed", "the page is only read");
    else
        send(q, &a, NULL);
}

void nv_serve_handle(void *srv, struct nv_http_req *r)
{
    struct req q;
    const struct route *rt;
    struct nv_err err;

    memset(&q, 0, sizeof q);
    q.s = srv;
    q.r = r;
    nv_arena_init(&q.q.arena);
    if (strcmp(r->path, "/") == 0 || strcmp(r->path, "/index.html") == 0) {
        serve_page(&q);
        return;
    }
    rt = route(&q);
    if (!rt || !allowed(&q, rt))
        return;
    nv_err_clear(&err);
    if (nv_query_parse(&q.q, r->query, strlen(r->query), &err))
        fail(&q, &err);
    else
        rt->fn(&q);
    nv_query_release(&q.q);
}
