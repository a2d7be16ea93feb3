/*
 * tls.c - HTTPS by relay (tls.h), the one file that includes OpenSSL's
 * ssl.h.  A listening thread accepts; a thread per connection completes
 * the handshake, then moves bytes between the TLS connection and a plain
 * one to the HTTP server on the loopback, both sockets non-blocking, in
 * a poll() loop that reads from one side only when the other has taken
 * what was read before (so a slow reader slows its writer, and nothing
 * piles up).  Connections are bounded: the listener takes a free slot
 * before it accepts.  A slot holds the connection's local port on the
 * loopback and the client's address, which nv_tls_client reads.  Two
 * pipes stop things, one the listener and one every relay: a pipe stays
 * readable once written, so one byte wakes every poll().
 */
#define _GNU_SOURCE /* accept4, pipe2, SOCK_CLOEXEC */
#include "serve/tls.h"

#include "core/alloc.h"
#include "core/file.h"
#include "serve/parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The largest certificate or key file read. */
#define PEM_MAX ((size_t)1 << 20)
/* What one side's read asks for: a TLS record's worth. */
#define CHUNK 16384
/* Forward-secret, authenticated ciphers for TLS 1.2; TLS 1.3 has its
 * own list, all of them such. */
#define CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL"

struct slot {
    int used;
    int port;      /* the local port on the loopback; 0 until known */
    char addr[48]; /* the client's address */
};

struct nv_tls {
    SSL_CTX *ctx;
    struct nv_tls_config c;
    int fd, port;
    int stop_accept[2], stop_relay[2];
    pthread_t thread;
    int running;
    pthread_mutex_t lock; /* what follows */
    pthread_cond_t changed;
    int stopping, active;
    struct slot *slots; /* c.max of them */
};

/* The bytes of one direction between read and written. */
struct chunk {
    char data[CHUNK];
    size_t off, len;
};

struct conn {
    struct nv_tls *t;
    struct slot *slot;
    int client, inner;
    SSL *ssl;
    struct chunk up, down; /* client to server, server to client */
    short want_client, want_inner;
    int client_done, inner_done, up_shut, failed;
};

/* ---- the certificate and the key ---- */

/* Fail with what went wrong with path, and forget OpenSSL's errors. */
static enum nv_rc ssl_fail(struct nv_err *err, enum nv_rc rc, const char *path,
                           const char *what)
{
    enum nv_rc r = nv_err_set(err, rc, "%s: %s", path, what);

    ERR_clear_error(); /* OpenSSL's reasons ("no start line") say less */
    return r;
}

/* Never ask for a passphrase (OpenSSL would prompt on the terminal). */
static int no_password(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

/* The file path as a memory BIO over f; NULL with err set. */
static BIO *pem_open(const char *path, struct nv_file *f, struct nv_err *err)
{
    BIO *b;

    if (nv_file_read(f, path, PEM_MAX, err))
        return NULL;
    b = BIO_new_mem_buf(f->data ? f->data : "", (int)f->len);
    if (!b) {
        nv_file_release(f);
        nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    return b;
}

static void pem_close(BIO *b, struct nv_file *f)
{
    BIO_free(b);
    nv_file_release(f);
    ERR_clear_error(); /* the end of the file is an error to PEM */
}

/* The first certificate of path, then the rest as its chain. */
static enum nv_rc use_cert(SSL_CTX *ctx, const char *path, struct nv_err *err)
{
    struct nv_file f = {0};
    BIO *b = pem_open(path, &f, err);
    X509 *x;
    enum nv_rc rc = NV_OK;

    if (!b)
        return err->rc;
    x = PEM_read_bio_X509_AUX(b, NULL, no_password, NULL);
    if (!x || SSL_CTX_use_certificate(ctx, x) != 1)
        rc = ssl_fail(err, NV_EPARSE, path, "no PEM certificate");
    X509_free(x);
    while (!rc && (x = PEM_read_bio_X509(b, NULL, no_password, NULL))) {
        if (SSL_CTX_add0_chain_cert(ctx, x) != 1) {
            X509_free(x);
            rc = ssl_fail(err, NV_EPARSE, path, "a bad chain certificate");
        }
    }
    pem_close(b, &f);
    return rc;
}

static enum nv_rc use_key(SSL_CTX *ctx, const char *path, const char *cert,
                          struct nv_err *err)
{
    struct nv_file f = {0};
    BIO *b = pem_open(path, &f, err);
    EVP_PKEY *k;
    enum nv_rc rc = NV_OK;

    if (!b)
        return err->rc;
    k = PEM_read_bio_PrivateKey(b, NULL, no_password, NULL);
    if (!k)
        rc = ssl_fail(err, NV_EPARSE, path,
                      "no PEM private key (an encrypted one is not read)");
    else if (SSL_CTX_use_PrivateKey(ctx, k) != 1 ||
             SSL_CTX_check_private_key(ctx) != 1)
        rc = nv_err_set(err, NV_EINVAL,
                        "%s: not the private key of the certificate in %s",
                        path, cert);
    EVP_PKEY_free(k);
    pem_close(b, &f);
    return rc;
}

/* TLS 1.2 at least, the server's order of ciphers, no renegotiation. */
static enum nv_rc configure(SSL_CTX *ctx, struct nv_err *err)
{
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(ctx, CIPHERS) != 1)
        return ssl_fail(err, NV_EINVAL, "tls", "cannot set the ciphers");
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE |
                                 SSL_OP_NO_RENEGOTIATION |
                                 SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return NV_OK;
}

enum nv_rc nv_tls_new(const char *cert, const char *key, struct nv_tls **out,
                      struct nv_err *err)
{
    struct nv_tls *t = nv_calloc(1, sizeof *t);
    enum nv_rc rc = t ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");

    if (rc)
        return rc;
    t->fd = -1;
    t->stop_accept[0] = t->stop_accept[1] = -1;
    t->stop_relay[0] = t->stop_relay[1] = -1;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->changed, NULL);
    t->ctx = SSL_CTX_new(TLS_server_method());
    if (!t->ctx)
        rc = ssl_fail(err, NV_ENOMEM, "tls", "cannot make a context");
    if (!rc)
        rc = configure(t->ctx, err);
    if (!rc)
        rc = use_cert(t->ctx, cert, err);
    if (!rc)
        rc = use_key(t->ctx, key, cert, err);
    if (rc) {
        nv_tls_free(t);
        return rc;
    }
    *out = t;
    return NV_OK;
}

/* ---- slots ---- */

/* A free slot, taken (waiting while all are used); NULL once stopping. */
static struct slot *slot_take(struct nv_tls *t)
{
    struct slot *s = NULL;

    pthread_mutex_lock(&t->lock);
    while (!t->stopping && t->active >= t->c.max)
        pthread_cond_wait(&t->changed, &t->lock);
    for (int i = 0; !t->stopping && !s && i < t->c.max; i++)
        if (!t->slots[i].used)
            s = &t->slots[i];
    if (s) {
        memset(s, 0, sizeof *s);
        s->used = 1;
        t->active++;
    }
    pthread_mutex_unlock(&t->lock);
    return s;
}

static void slot_give(struct nv_tls *t, struct slot *s)
{
    pthread_mutex_lock(&t->lock);
    s->used = 0;
    s->port = 0;
    t->active--;
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->lock);
}

/* Record (or, with 0, forget) the local port of s's inner connection. */
static void slot_port(struct nv_tls *t, struct slot *s, int port)
{
    pthread_mutex_lock(&t->lock);
    s->port = port;
    pthread_mutex_unlock(&t->lock);
}

int nv_tls_client(struct nv_tls *t, int port, char *out, size_t size)
{
    int found = 0;

    pthread_mutex_lock(&t->lock);
    for (int i = 0; port > 0 && !found && i < t->c.max; i++)
        if (t->slots[i].used && t->slots[i].port == port) {
            snprintf(out, size, "%s", t->slots[i].addr);
            found = 1;
        }
    pthread_mutex_unlock(&t->lock);
    return found;
}

/* ---- one connection ---- */

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What the TLS call that returned r waits for: POLLIN, POLLOUT, or 0
 * when it failed for good (or the peer closed). */
static short wanted(SSL *ssl, int r)
{
    switch (SSL_get_error(ssl, r)) {
    case SSL_ERROR_WANT_READ:
        return POLLIN;
    case SSL_ERROR_WANT_WRITE:
        return POLLOUT;
    default:
        ERR_clear_error();
        return 0;
    }
}

/* Wait for events on fd, or the stop, at most until the deadline. */
static int wait_fd(const struct conn *k, int fd, short events, int64_t until)
{
    struct pollfd p[2] = {{fd, events, 0}, {k->t->stop_relay[0], POLLIN, 0}};
    int64_t left = until - now_ms();
    int n;

    if (left <= 0)
        return 0;
    do
        n = poll(p, 2, (int)left);
    while (n < 0 && errno == EINTR);
    return n > 0 && !p[1].revents;
}

/* The handshake, within the timeout; 0 when it failed (a plain HTTP
 * request, a client that offers only what is refused, one too slow). */
static int handshake(struct conn *k)
{
    int64_t until = now_ms() + k->t->c.timeout_ms;
    int r;

    k->ssl = SSL_new(k->t->ctx);
    if (!k->ssl || SSL_set_fd(k->ssl, k->client) != 1)
        return 0;
    while ((r = SSL_accept(k->ssl)) != 1) {
        short ev = wanted(k->ssl, r);
        if (!ev || !wait_fd(k, k->client, ev, until))
            return 0;
    }
    return 1;
}

/* Connect to the HTTP server from a local port of our own, recorded
 * before the first byte goes, so that its requests are known as ours. */
static int connect_inner(struct conn *k)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int one = 1;

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    k->inner = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (k->inner < 0 || bind(k->inner, (struct sockaddr *)&a, sizeof a) ||
        getsockname(k->inner, (struct sockaddr *)&a, &len))
        return 0;
    slot_port(k->t, k->slot, ntohs(a.sin_port));
    a.sin_port = htons((uint16_t)k->t->c.inner);
    if (connect(k->inner, (struct sockaddr *)&a, sizeof a) != 0)
        return 0;
    setsockopt(k->inner, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fcntl(k->inner, F_SETFL, O_NONBLOCK) == 0;
}

/* Client to server: what TLS decrypted goes to the inner connection.
 * Returns whether anything moved. */
static int up(struct conn *k)
{
    struct chunk *c = &k->up;
    int moved = 0;

    if (!c->len && !k->client_done) {
        int n = SSL_read(k->ssl, c->data, CHUNK);
        if (n > 0) {
            c->off = 0;
            c->len = (size_t)n;
        } else if (!(k->want_client |= wanted(k->ssl, n))) {
            k->client_done = 1; /* closed, or broken: no more requests */
        }
        moved = n > 0 || k->client_done;
    }
    if (c->len) {
        ssize_t n = send(k->inner, c->data + c->off, c->len, MSG_NOSIGNAL);
        if (n > 0) {
            c->off += (size_t)n;
            c->len -= (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            k->want_inner |= POLLOUT;
        } else { /* the server stopped reading: its answer may follow */
            c->len = 0;
            k->client_done = 1;
        }
        moved |= n > 0 || !c->len;
    }
    if (k->client_done && !c->len && !k->up_shut) {
        shutdown(k->inner, SHUT_WR);
        k->up_shut = 1;
    }
    return moved;
}

/* Server to client: what the server answers goes out encrypted. */
static int down(struct conn *k)
{
    struct chunk *c = &k->down;
    int moved = 0;

    if (!c->len && !k->inner_done) {
        ssize_t n = recv(k->inner, c->data, CHUNK, 0);
        if (n > 0) {
            c->off = 0;
            c->len = (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            k->want_inner |= POLLIN;
        } else {
            k->inner_done = 1;
        }
        moved = n > 0 || k->inner_done;
    }
    if (c->len) {
        int n = SSL_write(k->ssl, c->data + c->off, (int)c->len);
        if (n > 0) {
            c->off += (size_t)n;
            c->len -= (size_t)n;
            moved = 1;
        } else if (!(k->want_client |= wanted(k->ssl, n))) {
            k->failed = 1;
        }
    }
    return moved;
}

/* Wait until a side can go on; 0 on the stop, or when the client has
 * not taken an answer within the timeout. */
static int wait_sides(struct conn *k)
{
    struct pollfd p[3] = {{k->want_client ? k->client : -1, k->want_client, 0},
                          {k->want_inner ? k->inner : -1, k->want_inner, 0},
                          {k->t->stop_relay[0], POLLIN, 0}};
    int n;

    if (!k->want_client && !k->want_inner)
        return 0;
    do
        n = poll(p, 3, k->down.len ? k->t->c.timeout_ms : -1);
    while (n < 0 && errno == EINTR);
    return n > 0 && !p[2].revents;
}

/* Relay until the server closes and its last bytes are out. */
static void pump(struct conn *k)
{
    while (!k->failed && !(k->inner_done && !k->down.len)) {
        int moved;
        k->want_client = k->want_inner = 0;
        moved = up(k);
        moved |= down(k);
        if (!moved && !wait_sides(k))
            return;
    }
    if (!k->failed)
        SSL_shutdown(k->ssl); /* close_notify, not waiting for the reply */
}

static void *relay(void *arg)
{
    struct conn *k = arg;
    struct nv_tls *t = k->t;

    if (handshake(k) && connect_inner(k))
        pump(k);
    slot_port(t, k->slot, 0);
    SSL_free(k->ssl);
    ERR_clear_error();
    close(k->client);
    if (k->inner >= 0)
        close(k->inner);
    slot_give(t, k->slot);
    nv_free(k);
    return NULL;
}

/* ---- listening ---- */

/* The client's address from what accept() gave. */
static void client_addr(const struct sockaddr_storage *ss, char *out,
                        size_t size)
{
    const struct sockaddr_in *a4 = (const struct sockaddr_in *)ss;
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)ss;

    if (!inet_ntop(ss->ss_family,
                   ss->ss_family == AF_INET6 ? (const void *)&a6->sin6_addr
                                             : (const void *)&a4->sin_addr,
                   out, (socklen_t)size))
        snprintf(out, size, "unknown");
}

/* Start k's relay on a thread of its own; 0 when none can be made. */
static int spawn(struct conn *k)
{
    pthread_attr_t attr;
    pthread_t th;
    int ok;

    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    ok = pthread_create(&th, &attr, relay, k) == 0;
    pthread_attr_destroy(&attr);
    return ok;
}

/* Accept one connection into slot s and start its relay. */
static void accept_one(struct nv_tls *t, struct slot *s)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    struct conn *k;
    int fd = accept4(t->fd, (struct sockaddr *)&ss, &len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);

    if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE) /* wait, do not spin */
            nanosleep(&(struct timespec){0, 100000000L}, NULL);
        slot_give(t, s);
        return;
    }
    client_addr(&ss, s->addr, sizeof s->addr);
    k = nv_calloc(1, sizeof *k);
    if (k) {
        k->t = t;
        k->slot = s;
        k->client = fd;
        k->inner = -1;
    }
    if (!k || !spawn(k)) {
        nv_free(k);
        close(fd);
        slot_give(t, s);
    }
}

static void *listener(void *arg)
{
    struct nv_tls *t = arg;
    struct pollfd p[2] = {{t->fd, POLLIN, 0}, {t->stop_accept[0], POLLIN, 0}};
    struct slot *s;

    while ((s = slot_take(t)) != NULL) {
        if (poll(p, 2, -1) > 0 && !p[1].revents && (p[0].revents & POLLIN))
            accept_one(t, s);
        else
            slot_give(t, s);
        if (p[1].revents)
            break;
    }
    return NULL;
}

static enum nv_rc bind_listen(struct nv_tls *t, const struct nv_listen *l,
                              struct nv_err *err)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = l->v6 ? sizeof *a6 : sizeof *a4;
    int one = 1;

    memset(&ss, 0, sizeof ss);
    ss.ss_family = l->v6 ? AF_INET6 : AF_INET;
    if (l->v6)
        inet_pton(AF_INET6, l->host, &a6->sin6_addr);
    else
        inet_pton(AF_INET, l->host, &a4->sin_addr);
    /* The port sits at the same place in both. */
    a4->sin_port = htons((uint16_t)l->port);
    t->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (t->fd < 0 ||
        setsockopt(t->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(t->fd, (struct sockaddr *)&ss, len) || listen(t->fd, 128) ||
        getsockname(t->fd, (struct sockaddr *)&ss, &len))
        return nv_err_set(err, NV_EIO, "cannot listen on %s: %s", t->c.listen,
                          strerror(errno));
    t->port = ntohs(a4->sin_port);
    return NV_OK;
}

enum nv_rc nv_tls_start(struct nv_tls *t, const struct nv_tls_config *c,
                        struct nv_err *err)
{
    struct nv_listen l;
    enum nv_rc rc = nv_serve_listen_parse(c->listen, &l, err);

    t->c = *c;
    if (t->c.max < 1)
        t->c.max = 1;
    if (!rc && !(t->slots = nv_calloc((size_t)t->c.max, sizeof *t->slots)))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (!rc && (pipe2(t->stop_accept, O_CLOEXEC) != 0 ||
                pipe2(t->stop_relay, O_CLOEXEC) != 0))
        rc = nv_err_set(err, NV_EIO, "cannot make a pipe");
    if (!rc)
        rc = bind_listen(t, &l, err);
    if (!rc && pthread_create(&t->thread, NULL, listener, t) != 0)
        rc = nv_err_set(err, NV_ENOMEM, "cannot start a thread");
    t->running = !rc;
    return rc;
}

int nv_tls_port(const struct nv_tls *t)
{
    return t->port;
}

/* One byte into a stop pipe wakes every poll() on it. */
static void poke(int fd)
{
    ssize_t n = fd >= 0 ? write(fd, "x", 1) : 0;
    (void)n;
}

void nv_tls_stop(struct nv_tls *t)
{
    if (!t || !t->running)
        return;
    pthread_mutex_lock(&t->lock);
    t->stopping = 1;
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->lock);
    poke(t->stop_accept[1]);
    pthread_join(t->thread, NULL);
    t->running = 0;
}

void nv_tls_free(struct nv_tls *t)
{
    if (!t)
        return;
    nv_tls_stop(t);
    poke(t->stop_relay[1]);
    pthread_mutex_lock(&t->lock);
    while (t->active > 0)
        pthread_cond_wait(&t->changed, &t->lock);
    pthread_mutex_unlock(&t->lock);
    for (int i = 0; i < 2; i++) {
        if (t->stop_accept[i] >= 0)
            close(t->stop_accept[i]);
        if (t->stop_relay[i] >= 0)
            close(t->stop_relay[i]);
    }
    if (t->fd >= 0)
        close(t->fd);
    SSL_CTX_free(t->ctx);
    nv_free(t->slots);
    pthread_cond_destroy(&t->changed);
    pthread_mutex_destroy(&t->lock);
    nv_free(t);
}
