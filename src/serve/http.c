/*
 * http.c - the HTTP server on CivetWeb (Debian's libcivetweb), the one
 * file that includes civetweb.h.  CivetWeb runs a fixed pool of worker
 * threads (one connection each), times out slow requests, and does TLS
 * through OpenSSL, which it loads when the first HTTPS port is opened.
 * Every request goes to one handler: routing is the caller's.
 */
#include "serve/http.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/file.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The largest key or certificate file read. */
#define PEM_MAX ((size_t)1 << 20)
/* How much a read of the body asks for. */
#define CHUNK ((size_t)1 << 16)

struct nv_http {
    struct mg_context *ctx;
    nv_http_handler fn;
    void *arg;
    int port;
};

static int on_request(struct mg_connection *conn, void *cbdata)
{
    struct nv_http *h = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    struct nv_http_req r = {ri->request_method,
                            ri->local_uri ? ri->local_uri : "/",
                            ri->query_string ? ri->query_string : "",
                            ri->remote_addr,
                            ri->is_ssl,
                            ri->content_length,
                            conn};

    h->fn(h->arg, &r);
    return 1; /* answered */
}

/* Silence the library's own logging: the caller reports what matters. */
static int on_log(const struct mg_connection *conn, const char *msg)
{
    (void)conn;
    (void)msg;
    return 1;
}

/* CivetWeb wants the key and the certificate in one PEM file: write them
 * to a private temporary file, read at start and removed after. */
static enum nv_rc pem_bundle(const struct nv_http_config *c, char *path,
                             struct nv_err *err)
{
    const char *dir = getenv("TMPDIR");
    struct nv_file key = {0}, cert = {0};
    enum nv_rc rc = nv_file_read(&key, c->key, PEM_MAX, err);
    int fd = -1;

    if (!rc)
        rc = nv_file_read(&cert, c->cert, PEM_MAX, err);
    snprintf(path, 4096, "%s/netvet-tls-XXXXXX", dir && *dir ? dir : "/tmp");
    if (!rc && (fd = mkstemp(path)) < 0)
        rc = nv_err_set(err, NV_EIO, "%s: cannot create", path);
    if (!rc && (write(fd, key.data, key.len) != (ssize_t)key.len ||
                write(fd, "\n", 1) != 1 ||
                write(fd, cert.data, cert.len) != (ssize_t)cert.len))
        rc = nv_err_set(err, NV_EIO, "%s: cannot write", path);
    if (fd >= 0)
        close(fd);
    if (rc && fd >= 0)
        unlink(path);
    nv_file_release(&key);
    nv_file_release(&cert);
    return rc;
}

static struct mg_context *start(struct nv_http *h,
                                const struct nv_http_config *c, const char *pem,
                                char *msg, size_t size)
{
    char threads[16], timeout[16], ports[300];
    const char *opts[] = {"listening_ports",
                          ports,
                          "num_threads",
                          threads,
                          "request_timeout_ms",
                          timeout,
                          "enable_keep_alive",
                          "yes",
                          "tcp_nodelay",
                          "1",
                          "ssl_certificate",
                          pem,
                          NULL,
                          NULL};
    struct mg_callbacks cb;
    struct mg_init_data init = {&cb, h, opts};
    unsigned code = 0;
    struct mg_error_data e = {&code, msg, size};

    memset(&cb, 0, sizeof cb);
    cb.log_message = on_log;
    snprintf(threads, sizeof threads, "%d", c->threads > 0 ? c->threads : 1);
    snprintf(timeout, sizeof timeout, "%d", c->timeout_ms);
    snprintf(ports, sizeof ports, "%s%s", c->listen, pem ? "s" : "");
    if (!pem)
        opts[10] = NULL;
    return mg_start2(&init, &e);
}

enum nv_rc nv_http_start(const struct nv_http_config *c, nv_http_handler fn,
                         void *ctx, struct nv_http **out, struct nv_err *err)
{
    struct nv_http *h = nv_calloc(1, sizeof *h);
    struct mg_server_port port;
    char pem[4096], msg[256] = "";
    enum nv_rc rc = h ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");

    if (!rc && c->cert)
        rc = pem_bundle(c, pem, err);
    if (!rc) {
        h->fn = fn;
        h->arg = ctx;
        mg_init_library(c->cert ? MG_FEATURES_TLS : 0);
        h->ctx = start(h, c, c->cert ? pem : NULL, msg, sizeof msg);
        if (c->cert)
            unlink(pem);
        if (!h->ctx) {
            mg_exit_library();
            rc = nv_err_set(err, NV_EIO, "cannot listen on %s: %s", c->listen,
                            msg[0] ? msg : "the address is taken");
        }
    }
    if (!rc) {
        mg_set_request_handler(h->ctx, "/", on_request, h);
        memset(&port, 0, sizeof port);
        if (mg_get_server_ports(h->ctx, 1, &port) == 1)
            h->port = port.port;
        *out = h;
        return NV_OK;
    }
    nv_free(h);
    return rc;
}

int nv_http_port(const struct nv_http *h)
{
    return h->port;
}

void nv_http_stop(struct nv_http *h)
{
    if (!h)
        return;
    mg_stop(h->ctx);
    mg_exit_library();
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
