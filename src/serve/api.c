/*
 * api.c - the answers of /api/v1 (docs/serve.md, the paths and their
 * documents in openapi.json): a request is matched to a route, then
 * authenticated (X-Api-Key, or the session cookie and, for a change, its
 * CSRF token), then checked for the route's permission; only then is
 * its query read and the route's handler called (api_session.c,
 * api_snapshots.c, api_analyses.c, api_log.c).  Path parameters are ids
 * (hex digits) and nothing else, so no path can name a file; query
 * values passed to netvet are words (parse.h) and go as
 * "--option=value", never as an argument of their own.  Here too: the
 * answers and problems every handler sends, and the page.
 */
#include "serve/api_int.h"

#include "core/alloc.h"
#include "core/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_DEFAULT 50
#define PAGE_MAX 1000

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

void nv_api_send(struct nv_api_req *q, const struct nv_answer *a,
                 const char *extra)
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

void nv_api_problem(struct nv_api_req *q, int status, const char *title,
                    const char *detail)
{
    struct nv_answer a = {0};

    nv_jobs_problem(&a, status, title, detail, strlen(detail));
    nv_api_send(q, &a, NULL);
    nv_answer_release(&a);
}

void nv_api_fail(struct nv_api_req *q, const struct nv_err *err)
{
    char detail[sizeof err->msg + sizeof err->file + 64];

    if (err->file[0] && err->line)
        snprintf(detail, sizeof detail, "%s:%lu:%lu: %s", err->file, err->line,
                 err->col, err->msg);
    else
        snprintf(detail, sizeof detail, "%s", err->msg);
    switch (err->rc) {
    case NV_ENOENT:
        nv_api_problem(q, 404, "not found", detail);
        break;
    case NV_EPARSE:
    case NV_EINVAL:
    case NV_EDUP:
        nv_api_problem(q, 400, "bad request", detail);
        break;
    case NV_ELIMIT:
        nv_api_problem(q, 413, "too large", detail);
        break;
    default:
        nv_api_problem(q, 500, "internal error", detail);
    }
}

/* ---- JSON answers ---- */

struct nv_jsonw *nv_api_out_open(struct nv_api_out *o)
{
    memset(o, 0, sizeof *o);
    o->f = open_memstream(&o->text, &o->len);
    o->w = o->f ? nv_jsonw_new(o->f, 0) : NULL;
    return o->w;
}

/* Send what o holds with status (and extra headers), then free it. */
void nv_api_out_send(struct nv_api_req *q, struct nv_api_out *o, int status,
                     const char *extra)
{
    struct nv_answer a = {status, "application/json", NULL, 0};

    nv_jsonw_free(o->w);
    if (o->f && fclose(o->f) == 0 && o->text) {
        a.body = o->text;
        a.len = o->len;
        nv_api_send(q, &a, extra);
    } else {
        nv_api_problem(q, 500, "internal error", "out of memory");
    }
    free(o->text); /* open_memstream's buffer is the C library's */
}

/* ---- authentication ---- */

/* The value of cookie name in the Cookie header into out; 0 if absent. */
int nv_api_cookie(const struct nv_api_req *q, const char *name, char *out,
                  size_t size)
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
int nv_api_key_valid(struct nv_api_req *q, const char *hash)
{
    struct nv_err err = {0};
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
static int authenticate(struct nv_api_req *q)
{
    const char *key = nv_http_header(q->r, "X-Api-Key");
    char token[NV_TOKEN_SIZE + 8], hash[NV_SHA256_HEX];

    if (key && strlen(key) < 200) {
        nv_serve_key_hash(key, hash);
        return nv_api_key_valid(q, hash);
    }
    if (!key && nv_api_cookie(q, "netvet_session", token, sizeof token) &&
        nv_auth_session(q->s->auth, token, hash, q->csrf)) {
        q->by_cookie = 1;
        return nv_api_key_valid(q, hash);
    }
    return 0;
}

/* ---- routes ---- */

enum { AUTH_NONE = -1, AUTH_ANY = 0 };

typedef void (*handler)(struct nv_api_req *q);

struct route {
    const char *method, *pattern; /* "snapshots/ * /assess", '*' an id */
    int perm;                     /* enum nv_perm, AUTH_NONE, AUTH_ANY */
    handler fn;
};

/* Whether q's segments match pattern; *bad when an id is not one. */
static int matches(const struct nv_api_req *q, const char *pattern, int *bad)
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
static int split(struct nv_api_req *q)
{
    const char *p = q->r->path;
    char *at;

    if (strncmp(p, "/api/v1/", 8) != 0 || strlen(p + 8) >= sizeof q->path)
        return 0;
    memcpy(q->path, p + 8, strlen(p + 8) + 1);
    at = q->path;
    while (*at && q->nseg < NV_API_MAX_SEGS) {
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
int nv_api_snapshot(struct nv_api_req *q, const char *ref,
                    char id[NV_SHA256_HEX])
{
    struct nv_err err = {0};
    int withdrawn = 0;
    enum nv_rc rc;

    nv_err_clear(&err);
    if (strlen(ref) < 4) {
        nv_api_problem(q, 400, "bad request",
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
        nv_api_fail(q, &err);
    return !rc;
}

/* ---- query values ---- */

/* The value of query parameter name into *v (NULL when absent); 0 after
 * answering 400 when it is not a word netvet may be given. */
int nv_api_word(struct nv_api_req *q, const char *name, const char **v)
{
    char detail[300];

    *v = nv_query_get(&q->q, name);
    if (!*v || nv_serve_is_word(*v))
        return 1;
    snprintf(detail, sizeof detail,
             "query:%s: letters, digits and \" .:_-\" only", name);
    nv_api_problem(q, 400, "bad request", detail);
    return 0;
}

/* The whole number of parameter name in [min, max] into *v (dflt when
 * absent); 0 after answering 400. */
int nv_api_number(struct nv_api_req *q, const char *name, int64_t dflt,
                  int64_t max, int64_t *v)
{
    const char *t = nv_query_get(&q->q, name);
    char detail[300];

    *v = dflt;
    if (!t || !nv_parse_i64(t, strlen(t), 0, max, v))
        return 1;
    snprintf(detail, sizeof detail, "query:%s: a whole number up to %lld", name,
             (long long)max);
    nv_api_problem(q, 400, "bad request", detail);
    return 0;
}

/* The page size of a list into *limit; 0 after answering 400.  Zero is
 * refused: a page must move its cursor on. */
int nv_api_page_limit(struct nv_api_req *q, int64_t *limit)
{
    if (!nv_api_number(q, "limit", PAGE_DEFAULT, PAGE_MAX, limit))
        return 0;
    if (*limit > 0)
        return 1;
    nv_api_problem(q, 400, "bad request", "query:limit: a whole number from 1");
    return 0;
}

/* "--name=value" in q's arena; NULL when out of memory. */
const char *nv_api_opt(struct nv_api_req *q, const char *name,
                       const char *value)
{
    size_t n = strlen(name) + strlen(value) + 4;
    char *s = nv_arena_alloc(&q->q.arena, n);

    if (s)
        snprintf(s, n, "--%s=%s", name, value);
    return s;
}

static void h_openapi(struct nv_api_req *q)
{
    struct nv_answer a = {200, "application/json", (char *)openapi_json,
                          sizeof openapi_json};
    nv_api_send(q, &a, NULL);
}

/* Read the body, at most max bytes; 0 after answering why not. */
int nv_api_body(struct nv_api_req *q, size_t max, char **text, size_t *len)
{
    struct nv_err err = {0};

    nv_err_clear(&err);
    if (!nv_http_body(q->r, max, text, len, &err))
        return 1;
    if (err.rc == NV_ELIMIT)
        nv_api_problem(q, 413, "content too large", err.msg);
    else
        nv_api_fail(q, &err);
    return 0;
}

static const struct route routes[] = {
    {"GET", "openapi.json", AUTH_NONE, h_openapi},
    {"POST", "session", AUTH_NONE, nv_api_login},
    {"GET", "session", AUTH_ANY, nv_api_session},
    {"DELETE", "session", AUTH_ANY, nv_api_logout},
    {"POST", "snapshots", NV_PERM_WRITE, nv_api_upload},
    {"GET", "snapshots", NV_PERM_READ, nv_api_list},
    {"GET", "snapshots/*", NV_PERM_READ, nv_api_show},
    {"DELETE", "snapshots/*", NV_PERM_ADMIN, nv_api_withdraw},
    {"GET", "snapshots/*/model", NV_PERM_READ, nv_api_model},
    {"GET", "snapshots/*/assess", NV_PERM_ANALYSE, nv_api_analysis},
    {"GET", "snapshots/*/wargame", NV_PERM_ANALYSE, nv_api_analysis},
    {"GET", "snapshots/*/concentration", NV_PERM_ANALYSE, nv_api_analysis},
    {"GET", "snapshots/*/margin", NV_PERM_ANALYSE, nv_api_analysis},
    {"GET", "snapshots/*/check", NV_PERM_ANALYSE, nv_api_analysis},
    {"GET", "snapshots/*/release", NV_PERM_ANALYSE, nv_api_analysis},
    {"GET", "snapshots/*/plan", NV_PERM_ANALYSE, nv_api_analysis},
    {"GET", "snapshots/*/report", NV_PERM_READ, nv_api_analysis},
    {"GET", "diff", NV_PERM_READ, nv_api_diff},
    {"GET", "posture", NV_PERM_READ, nv_api_posture},
    {"POST", "screen", NV_PERM_ANALYSE, nv_api_screen},
    {"GET", "audit", NV_PERM_ADMIN, nv_api_audit_list},
    {"GET", "log/checkpoint", NV_PERM_READ, nv_api_checkpoint},
    {"GET", "log/inclusion", NV_PERM_READ, nv_api_proof},
    {"GET", "log/consistency", NV_PERM_READ, nv_api_proof},
    {"GET", "jobs/*", NV_PERM_READ, nv_api_job},
};

/* The route of q; NULL after answering 400, 404 or 405. */
static const struct route *route(struct nv_api_req *q)
{
    int bad = 0, path_found = 0;

    if (!split(q)) {
        nv_api_problem(q, 404, "not found", "no such path");
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
        nv_api_problem(q, 400, "bad request", "a path parameter is not an id");
    else if (path_found)
        nv_api_problem(q, 405, "method not allowed",
                       "no such method on this path");
    else
        nv_api_problem(q, 404, "not found", "no such path");
    return NULL;
}

/* Authenticate and authorise q for rt; 0 after answering why not. */
static int allowed(struct nv_api_req *q, const struct route *rt)
{
    const char *csrf;
    int change = strcmp(q->r->method, "GET") != 0;

    if (rt->perm == AUTH_NONE)
        return 1;
    if (nv_auth_blocked(q->s->auth, q->r->remote)) {
        nv_api_problem(q, 429, "too many requests",
                       "too many failed attempts: wait a minute");
        return 0;
    }
    if (!authenticate(q)) {
        nv_auth_failed(q->s->auth, q->r->remote);
        nv_api_problem(q, 401, "unauthorized",
                       "a valid key or session is needed");
        return 0;
    }
    csrf = nv_http_header(q->r, "X-CSRF-Token");
    if (q->by_cookie && change && (!csrf || strcmp(csrf, q->csrf) != 0)) {
        nv_api_problem(q, 403, "forbidden",
                       "a change needs the session's CSRF token");
        return 0;
    }
    if (rt->perm > 0 && !(q->perms & (unsigned)rt->perm)) {
        nv_api_problem(q, 403, "forbidden", "the key lacks the permission");
        return 0;
    }
    return 1;
}

static void serve_page(struct nv_api_req *q)
{
    struct nv_answer a = {200, "text/html", (char *)index_html,
                          sizeof index_html};

    if (strcmp(q->r->method, "GET") != 0 && strcmp(q->r->method, "HEAD") != 0)
        nv_api_problem(q, 405, "method not allowed", "the page is only read");
    else
        nv_api_send(q, &a, NULL);
}

void nv_serve_handle(void *srv, struct nv_http_req *r)
{
    struct nv_api_req q;
    const struct route *rt;
    struct nv_err err = {0};

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
        nv_api_fail(&q, &err);
    else
        rt->fn(&q);
    nv_query_release(&q.q);
}
