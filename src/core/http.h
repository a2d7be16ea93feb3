/*
 * http.h - fetching a document over HTTP(S), for importing from the
 * inventory servers operators run (NetBox, Nautobot).
 *
 * TLS certificates and host names are verified unless told otherwise;
 * redirects are not followed (a token must not travel to another host);
 * only http and https are spoken.  Answers 429 and 5xx are tried again
 * after a back-off that doubles each time (or the server's Retry-After,
 * at most a minute).
 *
 * libcurl is used here and nowhere else.
 */
#ifndef NV_HTTP_H
#define NV_HTTP_H

#include "core/buf.h"
#include "core/err.h"

struct nv_http_opts {
    const char *auth;   /* the Authorization header's value, or NULL */
    const char *cafile; /* CA bundle to trust, or NULL: the system's */
    int insecure;       /* do not verify the server's certificate */
    unsigned retries;   /* further tries after a 429 or 5xx */
    unsigned delay_ms;  /* the first back-off */
};

/* Defaults: verify, 5 retries, 1 s first back-off. */
void nv_http_opts_init(struct nv_http_opts *o);

/*
 * GET url and put the body of a 2xx answer in body (emptied first; its
 * limit bounds the answer).  A 401 or 403 is NV_EINVAL ("the server refused the
 * token"), another status or a transfer failure NV_EIO, each with the URL in
 * err's file and the reason in its message.
 */
enum nv_rc nv_http_get(const struct nv_http_opts *o, const char *url,
                       struct nv_buf *body, struct nv_err *err) NV_WUR;

#endif
