/*
 * parse.h - what `netvet serve` reads from a request besides a model: the
 * query string, the session request's JSON body, the names of a screening
 * request, and the ids in a path.  Every parser is bounded and fails with
 * NV_EPARSE and the position ("query:1:COL", "body:LINE:COL").
 */
#ifndef NV_SERVE_PARSE_H
#define NV_SERVE_PARSE_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

#include <stddef.h>

/* The most parameters a query may have, and the longest query. */
#define NV_QUERY_MAX_PARAMS 32
#define NV_QUERY_MAX_LEN 8192

struct nv_query_param {
    const char *key, *value; /* URL-decoded, NUL-terminated */
};

/* A parsed query; its strings live in arena. */
struct nv_query {
    struct nv_arena arena;
    struct nv_query_param v[NV_QUERY_MAX_PARAMS];
    size_t n;
};

/*
 * Parse "a=1&b=x%20y" (application/x-www-form-urlencoded: '+' is a
 * space) into q, which it initialises; release with nv_query_release
 * even on failure.  A key given twice, a bad %-escape, a NUL or control
 * byte, too many parameters and an empty key are errors.
 */
enum nv_rc nv_query_parse(struct nv_query *q, const char *text, size_t len,
                          struct nv_err *err) NV_WUR;

/* The value of key, or NULL. */
const char *nv_query_get(const struct nv_query *q, const char *key);

void nv_query_release(struct nv_query *q);

/*
 * The "key" member of a session request's body {"key": "..."} into
 * out[0..size) (NUL-terminated).  NV_EPARSE for malformed JSON, another
 * shape, or a key that does not fit.
 */
enum nv_rc nv_serve_session_body(const char *text, size_t len, char *out,
                                 size_t size, struct nv_err *err) NV_WUR;

/* The most names one screening request may carry. */
#define NV_SCREEN_MAX_NAMES 100000

/*
 * The names of a screening request, one per line into out (which the
 * caller initialised): from a JSON array of strings when json is set,
 * else from text/plain lines (blank lines skipped, a CR before the
 * newline dropped).  A name holding a control character is refused.
 */
enum nv_rc nv_serve_names_body(const char *text, size_t len, int json,
                               struct nv_buf *out, struct nv_err *err) NV_WUR;

/* Whether s is an id as paths carry them: 1 to 64 lowercase hex digits. */
int nv_serve_is_id(const char *s);

/*
 * Whether s may be passed to a netvet option as the value of a query
 * parameter: 1 to 200 bytes of letters, digits and " .:_-", not starting
 * with '-'.  Paths ('/') are never accepted.
 */
int nv_serve_is_word(const char *s);

/* Where the server listens: a numeric address and a port. */
struct nv_listen {
    char host[48]; /* "127.0.0.1", "::1" (no brackets), "0.0.0.0" */
    int port;      /* 0 picks a free one */
    int v6;        /* host is an IPv6 address */
};

/*
 * Parse "127.0.0.1:8470", "[::1]:8470" or "8470" (every IPv4 address)
 * into l.  NV_EPARSE with the column ("listen:1:COL") for another shape,
 * an address that is not numeric (no names are looked up) or a port
 * beyond 65535.
 */
enum nv_rc nv_serve_listen_parse(const char *text, struct nv_listen *l,
                                 struct nv_err *err) NV_WUR;

#endif
