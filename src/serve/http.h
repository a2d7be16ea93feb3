/*
 * http.h - the HTTP server under `netvet serve`: a bounded pool of worker
 * threads that hands each request to one handler.  Only http.c talks to
 * the HTTP library (CivetWeb); HTTPS goes through the relay of tls.h.
 */
#ifndef NV_HTTP_SERVER_H
#define NV_HTTP_SERVER_H

#include "core/err.h"

#include <stddef.h>

/* How the server listens. */
struct nv_http_config {
    const char *listen;     /* "127.0.0.1:8470"; port 0 picks one */
    const char *cert, *key; /* PEM files; both NULL for plain HTTP */
    int threads;            /* worker threads (connections at once) */
    int timeout_ms;         /* a request's read and write timeout */
};

/* One request, valid during the handler call.  path is URL-decoded. */
struct nv_http_req {
    const char *method, *path, *query; /* query "" when none */
    const char *remote;                /* the client's address */
    int tls;                           /* came in over TLS (the relay) */
    long long length;                  /* Content-Length, -1 if none */
    void *conn;                        /* the library's connection */
};

typedef void (*nv_http_handler)(void *ctx, struct nv_http_req *r);

struct nv_http;

/*
 * Listen as c says and call fn(ctx, request) from the worker threads for
 * every request.  NV_EIO with the library's message when the address
 * cannot be bound (port taken); the errors of nv_tls_new for a
 * certificate or key that cannot be used (then nothing listens).
 */
enum nv_rc nv_http_start(const struct nv_http_config *c, nv_http_handler fn,
                         void *ctx, struct nv_http **out,
                         struct nv_err *err) NV_WUR;

/* The port listened on (the one picked when 0 was asked). */
int nv_http_port(const struct nv_http *h);

/* Stop listening, wait for the requests under way; NULL is a no-op. */
void nv_http_stop(struct nv_http *h);

/* The value of request header name (any case), NULL when absent. */
const char *nv_http_header(const struct nv_http_req *r, const char *name);

/*
 * Read the request body into *body (NUL-terminated; free with nv_free)
 * and *len.  NV_ELIMIT without reading it all when it is longer than max,
 * NV_EIO when the client stops sending.
 */
enum nv_rc nv_http_body(struct nv_http_req *r, size_t max, char **body,
                        size_t *len, struct nv_err *err) NV_WUR;

/*
 * Answer with status, header lines ("Name: value\r\n"..., or NULL), the
 * content type and the body.  Called once per request.
 */
void nv_http_send(struct nv_http_req *r, int status, const char *headers,
                  const char *type, const void *body, size_t len);

#endif
