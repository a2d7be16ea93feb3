/*
 * parse.c - the query string, the session body, the screening names and
 * the ids of `netvet serve` requests, and the address it listens on.  All of it
 * is hostile input: every loop is bounded by the input's length, and an error
 * names the byte where the input went wrong.
 */
#include "serve/parse.h"

#include "core/crypto.h"
#include "core/json.h"
#include "core/parse.h"

#include <arpa/inet.h>
#include <string.h>

static enum nv_rc decode(struct nv_arena *a, const char *s, size_t n,
                         size_t off, char **out, struct nv_err *err)
{
    char *d = nv_arena_alloc(a, n + 1);
    size_t k = 0;

    if (!d)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        unsigned char byte;
        if (c == '%') {
            if (i + 2 >= n || nv_unhex(s + i + 1, 2, &byte, 1, NULL))
                return nv_err_at(err, NV_EPARSE, "query", 1, off + i + 1,
                                 "a %% is not followed by two hex digits");
            c = byte;
            i += 2;
        } else if (c == '+') {
            c = ' ';
        }
        if (c < 0x20 || c == 0x7f)
            return nv_err_at(err, NV_EPARSE, "query", 1, off + i + 1,
                             "a control character in the query");
        d[k++] = (char)c;
    }
    d[k] = '\0';
    *out = d;
    return NV_OK;
}

/* Add the parameter text[0..n) (at offset off) to q. */
static enum nv_rc add_param(struct nv_query *q, const char *text, size_t n,
                            size_t off, struct nv_err *err)
{
    const char *eq = memchr(text, '=', n);
    size_t kn = eq ? (size_t)(eq - text) : n;
    char *key = NULL, *value = NULL;
    enum nv_rc rc;

    if (q->n == NV_QUERY_MAX_PARAMS)
        return nv_err_at(err, NV_EPARSE, "query", 1, off + 1,
                         "more than %d parameters", NV_QUERY_MAX_PARAMS);
    if (!kn)
        return nv_err_at(err, NV_EPARSE, "query", 1, off + 1,
                         "a parameter without a name");
    rc = decode(&q->arena, text, kn, off, &key, err);
    if (!rc)
        rc = decode(&q->arena, eq ? eq + 1 : "", eq ? n - kn - 1 : 0,
                    off + kn + 1, &value, err);
    if (!rc && nv_query_get(q, key))
        return nv_err_at(err, NV_EPARSE, "query", 1, off + 1,
                         "parameter \"%s\" given twice", key);
    if (!rc) {
        q->v[q->n].key = key;
        q->v[q->n++].value = value;
    }
    return rc;
}

enum nv_rc nv_query_parse(struct nv_query *q, const char *text, size_t len,
                          struct nv_err *err)
{
    size_t start = 0;
    enum nv_rc rc = NV_OK;

    nv_arena_init(&q->arena);
    q->n = 0;
    if (len > NV_QUERY_MAX_LEN)
        return nv_err_at(err, NV_EPARSE, "query", 1, NV_QUERY_MAX_LEN + 1,
                         "the query is longer than %d bytes", NV_QUERY_MAX_LEN);
    while (!rc && start < len) {
        const char *amp = memchr(text + start, '&', len - start);
        size_t end = amp ? (size_t)(amp - text) : len;
        if (end > start)
            rc = add_param(q, text + start, end - start, start, err);
        start = end + 1;
    }
    return rc;
}

const char *nv_query_get(const struct nv_query *q, const char *key)
{
    for (size_t i = 0; i < q->n; i++)
        if (strcmp(q->v[i].key, key) == 0)
            return q->v[i].value;
    return NULL;
}

void nv_query_release(struct nv_query *q)
{
    nv_arena_release(&q->arena);
    q->n = 0;
}

enum nv_rc nv_serve_session_body(const char *text, size_t len, char *out,
                                 size_t size, struct nv_err *err)
{
    struct nv_json_doc d = {text, "body", len};
    const struct nv_json *root = NULL, *key = NULL;
    struct nv_arena a;
    enum nv_rc rc;

    nv_arena_init(&a);
    rc = nv_json_parse(text, len, "body", &a, (struct nv_json **)&root, err);
    if (!rc && root->type != NV_JSON_OBJECT)
        rc = nv_json_error_at(err, NV_EPARSE, text, len, "body", root->off,
                              "expected an object {\"key\": \"...\"}");
    if (!rc)
        rc = nv_json_member(&d, root, "key", NV_JSON_STRING, 1, &key, err);
    if (!rc && (key->len >= size || memchr(key->u.str, 0, key->len)))
        rc = nv_json_error_at(err, NV_EPARSE, text, len, "body", key->off,
                              "not a key");
    if (!rc)
        memcpy(out, key->u.str, key->len + 1);
    nv_arena_release(&a);
    return rc;
}

/* Append name[0..n) and a newline to out, refusing control bytes. */
static enum nv_rc add_name(struct nv_buf *out, const char *name, size_t n,
                           const char *text, size_t len, size_t off,
                           struct nv_err *err)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return nv_json_error_at(err, NV_EPARSE, text, len, "body", off,
                                    "a name holds a control character");
    enum nv_rc rc = nv_buf_add(out, name, n);

    if (!rc)
        rc = nv_buf_addc(out, '\n');
    if (rc)
        return nv_err_set(err, rc,
                          rc == NV_ENOMEM ? "out of memory"
                                          : "the names do not fit");
    return NV_OK;
}

static enum nv_rc json_names(const char *text, size_t len, struct nv_buf *out,
                             struct nv_err *err)
{
    struct nv_json *root = NULL;
    struct nv_arena a;
    enum nv_rc rc;

    nv_arena_init(&a);
    rc = nv_json_parse(text, len, "body", &a, &root, err);
    if (!rc && (root->type != NV_JSON_ARRAY || root->len > NV_SCREEN_MAX_NAMES))
        rc = nv_json_error_at(err, NV_EPARSE, text, len, "body", root->off,
                              "expected an array of at most %d names",
                              NV_SCREEN_MAX_NAMES);
    for (size_t i = 0; !rc && i < root->len; i++) {
        const struct nv_json *v = &root->u.items[i];
        if (v->type != NV_JSON_STRING)
            rc = nv_json_error_at(err, NV_EPARSE, text, len, "body", v->off,
                                  "expected a string, found %s",
                                  nv_json_type_name(v->type));
        else
            rc = add_name(out, v->u.str, v->len, text, len, v->off, err);
    }
    nv_arena_release(&a);
    return rc;
}

static enum nv_rc text_names(const char *text, size_t len, struct nv_buf *out,
                             struct nv_err *err)
{
    size_t start = 0, count = 0;
    enum nv_rc rc = NV_OK;

    while (!rc && start < len) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len, n = end - start;
        if (n && text[end - 1] == '\r')
            n--;
        if (n && ++count > NV_SCREEN_MAX_NAMES)
            rc = nv_json_error_at(err, NV_EPARSE, text, len, "body", start,
                                  "more than %d names", NV_SCREEN_MAX_NAMES);
        else if (n)
            rc = add_name(out, text + start, n, text, len, start, err);
        start = end + 1;
    }
    return rc;
}

enum nv_rc nv_serve_names_body(const char *text, size_t len, int json,
                               struct nv_buf *out, struct nv_err *err)
{
    return json ? json_names(text, len, out, err)
                : text_names(text, len, out, err);
}

int nv_serve_is_id(const char *s)
{
    size_t n = strspn(s, "0123456789abcdef");
    return n >= 1 && n <= 64 && s[n] == '\0';
}

int nv_serve_is_word(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .:_-");
    return n >= 1 && n <= 200 && s[n] == '\0' && s[0] != '-';
}

enum nv_rc nv_serve_listen_parse(const char *text, struct nv_listen *l,
                                 struct nv_err *err)
{
    const char *colon = strrchr(text, ':'), *port = colon ? colon + 1 : text;
    size_t hlen = colon ? (size_t)(colon - text) : 0, off = 0;
    unsigned char addr[16];
    int64_t n;

    memset(l, 0, sizeof *l);
    if (hlen >= 2 && text[0] == '[' && text[hlen - 1] == ']') {
        l->v6 = 1;
        off = 1;
        hlen -= 2;
    }
    if (hlen >= sizeof l->host)
        return nv_err_at(err, NV_EPARSE, "listen", 1, 1,
                         "the address is too long");
    memcpy(l->host, colon ? text + off : "0.0.0.0", colon ? hlen : 7);
    if (inet_pton(l->v6 ? AF_INET6 : AF_INET, l->host, addr) != 1)
        return nv_err_at(err, NV_EPARSE, "listen", 1, 1,
                         "\"%s\" is not a numeric %s address", l->host,
                         l->v6 ? "IPv6 (in brackets)" : "IPv4");
    if (nv_parse_i64(port, strlen(port), 0, 65535, &n))
        return nv_err_at(err, NV_EPARSE, "listen", 1,
                         (unsigned long)(port - text) + 1,
                         "the port is a number from 0 to 65535");
    l->port = (int)n;
    return NV_OK;
}
