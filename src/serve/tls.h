/*
 * tls.h - HTTPS for `netvet serve`: a relay that listens on the public
 * address, completes the TLS handshake with OpenSSL (libssl) and passes
 * the plain bytes both ways to the HTTP server listening on an internal
 * loopback port.  It remembers, for each relayed connection, which local
 * port it came from on the loopback and the address of the real client,
 * so that the HTTP server can tell its requests apart from any other on
 * the internal port and knows who sent them.  Only tls.c includes
 * OpenSSL's ssl.h.
 */
#ifndef NV_SERVE_TLS_H
#define NV_SERVE_TLS_H

#include "core/err.h"

#include <stddef.h>

struct nv_tls;

/*
 * Load the PEM certificate (with its chain, if the file holds more than
 * one) and the PEM private key, and check that they belong together.
 * Nothing listens yet.  NV_EPARSE naming the file for what is no PEM
 * certificate or key (an encrypted key among them), NV_EINVAL for a key
 * that is not the certificate's, the file's error for one unreadable.
 * Free with nv_tls_free.
 */
enum nv_rc nv_tls_new(const char *cert, const char *key, struct nv_tls **out,
                      struct nv_err *err) NV_WUR;

/* How the relay listens and relays. */
struct nv_tls_config {
    const char *listen; /* "0.0.0.0:8443", as nv_serve_listen_parse reads */
    int inner;          /* the HTTP server's port on 127.0.0.1 */
    int max;            /* connections relayed at once */
    int timeout_ms;     /* the handshake's, and a stalled write's, limit */
};

/*
 * Listen on c->listen and relay every connection whose handshake
 * succeeds (TLS 1.2 or later) to 127.0.0.1:c->inner, from a thread of
 * its own, at most c->max at once (the others wait in the listen
 * queue).  NV_EIO when the address cannot be bound.
 */
enum nv_rc nv_tls_start(struct nv_tls *t, const struct nv_tls_config *c,
                        struct nv_err *err) NV_WUR;

/* The public port listened on (the one picked when 0 was asked). */
int nv_tls_port(const struct nv_tls *t);

/*
 * The address of the client whose connection the relay passes from
 * local port port of 127.0.0.1, into out; 0 when no relayed connection
 * comes from that port (the request did not come through the relay).
 */
int nv_tls_client(struct nv_tls *t, int port, char *out, size_t size);

/* Stop accepting connections; those relayed go on.  NULL is a no-op. */
void nv_tls_stop(struct nv_tls *t);

/*
 * Stop accepting, end the relayed connections (the HTTP server should
 * have been stopped first, so that they are done), wait for their
 * threads and free t.  NULL is a no-op.
 */
void nv_tls_free(struct nv_tls *t);

#endif
