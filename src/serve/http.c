/*
 * http.c - the HTTP server on CivetWeb (Debian's libcivetweb), the one
 * file that includes civetweb.h.  CivetWeb runs a fixed pool of worker
 * threads (one connection each) and times out slow requests.  Every
 * request goes to one handler: routing is the caller's.
 *
 * HTTPS is not CivetWeb's: Debian's CivetWeb 1.15 loads libssl at run
 * time by name and, with OpenSSL 3, calls a function that library no
 * longer has on the first HTTPS request.  With a certificate, CivetWeb
 * listens on a loopback port of its own choosing and the TLS relay
 * (tls.h) listens on the public address; a request on the loopback port
 * that the relay did not pass is refused, and one it did pass carries
 * the real client's address.
 */
#include "serve/http.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "serve/tls.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* How much a read of the body asks for. */
#define CHUNK ((size_t)1 << 16)

struct nv_http {
    struct mg_context *ctx;
    nv_http_handler fn;
    void *arg;
    int port;
    struct nv_tls *tls; /* the relay, with a certificate */
};

static int on_request(struct mg_connection *conn, void *cbdata)
{
    static const char refused[] = "only HTTPS is served\n";
    struct nv_http *h = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    char client[64];
    struct nv_http_req r = {ri->request_method,
                            ri->local_uri ? ri->local_uri : "/",
                            ri->query_string ? ri->query_string : "",
                            ri->remote_addr,
                            h->tls != NULL,
                            ri->content_length,
                            conn};

    if (!h->tls) {
        h->fn(h->arg, &r);
    } else if (nv_tls_client(h->tls, ri->remote_port, client, sizeof client) &&
               strcmp(ri->remote_addr, "127.0.0.1") == 0) {
        r.remote = client;
        h->fn(h->arg, &r);
    } else {
        nv_http_send(&r, 403, "Connection: close\r\n", "text/plain", refused,
                     sizeof refused - 1);
    }
    return 1; /* answered */
}

/* Silence the library's own logging: the caller reports what matters. */
static int on_log(const struct mg_connection *conn, const char *msg)
{
    (void)conn;
    (void)msg;
    return 1;
}

/* Start CivetWeb listening on listen. */
static struct mg_context *start(struct nv_http *h,
                                const struct nv_http_config *c,
                                const char *listen, char *msg, size_t size)
{
    char threads[16], timeout[16];
    const char *opts[] = {"listening_ports",
                          listen,
                          "num_threads",
                          threads,
                          "request_timeout_ms",
                          timeout,
                          "enable_keep_alive",
                          "yes",
                          "tcp_nodelay",
                          "1",
                          NULL};
    struct mg_callbacks cb;
    struct mg_init_data init = {&cb, h, opts};
    unsigned code = 0;
    struct mg_error_data e = {&code, msg, size};

    memset(&cb, 0, sizeof cb);
    cb.log_message = on_log;
    snprintf(threads, sizeof threads, "%d", c->threads > 0 ? c->threads : 1);
    snprintf(timeout, sizeof timeout, "%d", c->timeout_ms);
    return mg_start2(&init, &e);
}

/* With a certificate: the relay on c->listen, to CivetWeb's port. */
static enum nv_rc start_tls(struct nv_http *h, const struct nv_http_config *c,
                            struct nv_err *err)
{
    struct nv_tls_config tc = {c->listen, h->port, c->threads, c->timeout_ms};

    return nv_tls_start(h->tls, &tc, err);
}

enum nv_rc nv_http_start(const struct nv_http_config *c, nv_http_handler fn,
                         void *ctx, struct nv_http **out, struct nv_err *err)
{
    struct nv_http *h = nv_calloc(1, sizeof *h);
    struct mg_server_port port;
    char msg[256] = "";
    enum nv_rc rc = h ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");

    /* The certificate is checked before anything listens. */
    if (!rc && c->cert)
        rc = nv_tls_new(c->cert, c->key, &h->tls, err);
    if (!rc) {
        h->fn = fn;
        h->arg = ctx;
        mg_init_library(0);
        h->ctx =
            start(h, c, c->cert ? "127.0.0.1:0" : c->listen, msg, sizeof msg);
        if (!h->ctx)
            rc = nv_err_set(err, NV_EIO, "cannot listen on %s: %s",
                            c->cert ? "127.0.0.1:0" : c->listen,
                            msg[0] ? msg : "the address is taken");
    }
    if (!rc) {
        mg_set_request_handler(h->ctx, "/", on_request, h);
        memset(&port, 0, sizeof port);
        if (mg_get_server_ports(h->ctx, 1, &port) == 1)
            h->port = port.port;
        if (h->tls)
            rc = start_tls(h, c, err);
    }
    if (!rc) {
        *out = h;
        return NV_OK;
    }
    nv_http_stop(h);
    return rc;
}

int nv_http_port(const struct nv_http *h)
{
    return h->tls ? nv_tls_port(h->tls) : h->port;
}

void nv_http_stop(struct nv_http *h)
{
    if (!h)
        return;
    /* No new connections; the requests under way are answered, then the
     * relays, their server gone, end. */
    nv_tls_stop(h->tls);
    if (h->ctx)
        mg_stop(h->ctx);
    if (h->fn) /* the library was initialised */
        mg_exit_library();
    nv_tls_free(h->tls);
    nv_free(h);
}

const char *nv_http_header(const struct nv_http_req *r, const char *name)
{
    return mg_get_header(r->conn, name);
}

enum nv_rc nv_http_body(struct nv_http_req *r, size_t max, char **body,
                        size_t *len, struct nv_err *err)
{
    struct nv_buf b;
    enum nv_rc rc = NV_OK;
    int n = 1;

    if (r->length > 0 && (unsigned long long)r->length > max)
        return nv_err_set(err, NV_ELIMIT, "the body is larger than %zu bytes",
                          max);
    nv_buf_init(&b, max);
    /* Read straight into the buffer: worker threads have small stacks. */
    while (!rc && n > 0) {
        size_t room = b.limit - b.len < CHUNK ? b.limit - b.len : CHUNK;
        char probe;
        if (!room) { /* full: one byte more is one too many */
            n = mg_read(r->conn, &probe, 1);
            rc = n > 0 ? NV_ELIMIT : NV_OK;
            break;
        }
        rc = nv_buf_reserve(&b, room);
        n = rc ? 0 : mg_read(r->conn, b.data + b.len, room);
        if (n > 0)
            b.len += (size_t)n;
    }
    if (b.cap)
        b.data[b.len] = '\0';
    if (!rc && n < 0)
        rc = nv_err_set(err, NV_EIO, "the client stopped sending");
    else if (rc == NV_ELIMIT)
        nv_err_set(err, rc, "the body is larger than %zu bytes", max);
    else if (rc)
        nv_err_set(err, rc, "out of memory");
    if (!rc && !b.cap)
        rc = nv_buf_reserve(&b, 1); /* an owned "" for an empty body */
    if (rc) {
        nv_buf_release(&b);
        return rc;
    }
    *len = b.len;
    *body = nv_buf_take(&b);
    return NV_OK;
}

void nv_http_send(struct nv_http_req *r, int status, const char *headers,
                  const char *type, const void *body, size_t len)
{
    char clen[32];

    snprintf(clen, sizeof clen, "%zu", len);
    mg_response_header_start(r->conn, status);
    mg_response_header_add(r->conn, "Content-Type", type, -1);
    mg_response_header_add(r->conn, "Content-Length", clen, -1);
    if (headers)
        mg_response_header_add_lines(r->conn, headers);
    mg_response_header_send(r->conn);
    if (len && strcmp(r->method, "HEAD") != 0)
        mg_write(r->conn, body, len);
}
