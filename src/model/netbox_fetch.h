/*
 * netbox_fetch.h - collecting pages from a live NetBox or Nautobot
 * server (netbox.h says what becomes of them).
 */
#ifndef NV_NETBOX_FETCH_H
#define NV_NETBOX_FETCH_H

#include "core/http.h"
#include "model/netbox.h"

struct nv_netbox_server {
    const char *url;          /* "https://netbox.example.net" (no /api) */
    const char *auth;         /* from nv_netbox_auth */
    struct nv_http_opts http; /* auth is filled in by the fetch */
    unsigned page_size;       /* results asked for per page (limit=) */
};

/*
 * The Authorization value for token[0..len) (a token file's contents,
 * blanks and line ends around it ignored): "Token T" for a v1 token (40
 * hex digits in NetBox, any in Nautobot), "Bearer nbt_K.T" for a NetBox
 * 4.5 v2 token; a value that already starts with "Token " or "Bearer "
 * is kept.  Into out (size bytes); NV_EINVAL when it cannot be a token.
 */
enum nv_rc nv_netbox_auth(const char *token, size_t len, char *out, size_t size,
                          struct nv_err *err) NV_WUR;

/*
 * Ask the server whether it is NetBox or Nautobot (/api/status/), then
 * page through every endpoint the import reads (limit and offset, then
 * "next", which must stay on the same server), adding each page to nb.
 * Nautobot is asked for depth=1.  Errors name the URL.
 */
enum nv_rc nv_netbox_fetch(struct nv_netbox *nb,
                           const struct nv_netbox_server *s,
                           struct nv_err *err) NV_WUR;

#endif
