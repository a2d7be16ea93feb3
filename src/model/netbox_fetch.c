/*
 * netbox_fetch.c - paging through a NetBox or Nautobot server's API.
 *
 * Each endpoint is asked for with ?limit=N&offset=0 and then followed by
 * the "next" link of each page until it is null.  A "next" that leaves
 * the server (another scheme, host or port) is refused, so the token is
 * never sent anywhere else.
 */
#include "model/netbox_fetch.h"

#include "core/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_PAGE ((size_t)256 << 20) /* bytes of one API page */
#define MAX_URL 4096

static const char *const netbox_endpoints[] = {"dcim/regions",
                                               "dcim/sites",
                                               "dcim/platforms",
                                               "dcim/devices",
                                               "dcim/front-ports",
                                               "dcim/cables",
                                               "dcim/modules",
                                               "dcim/inventory-items",
                                               "circuits/circuits",
                                               "circuits/circuit-terminations",
                                               NULL};

/* Nautobot nests one level with depth=1: a device's location, role and
 * status come whole, their parents as references to look up. */
static const char *const nautobot_endpoints[] = {
    "dcim/locations",
    "dcim/platforms",
    "dcim/devices",
    "dcim/interfaces",
    "dcim/front-ports",
    "dcim/cables",
    "dcim/modules",
    "dcim/inventory-items",
    "circuits/circuits",
    "circuits/circuit-terminations",
    NULL};

static int token_chars(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~')
            return 0;
    return n > 0;
}

enum nv_rc nv_netbox_auth(const char *token, size_t len, char *out, size_t size,
                          struct nv_err *err)
{
    const char *scheme = "Token ";
    int n;

    while (len && isspace((unsigned char)*token))
        token++, len--;
    while (len && isspace((unsigned char)token[len - 1]))
        len--;
    if (len > 7 &&
        (!strncmp(token, "Token ", 6) || !strncmp(token, "Bearer ", 7))) {
        size_t k = token[0] == 'T' ? 6 : 7;
        scheme = token[0] == 'T' ? "Token " : "Bearer ";
        token += k;
        len -= k;
    } else if (len > 4 && !strncmp(token, "nbt_", 4)) {
        scheme = "Bearer ";
    }
    if (!token_chars(token, len))
        return nv_err_set(err, NV_EINVAL, "the token file holds no token");
    if (!strcmp(scheme, "Bearer ") && !memchr(token, '.', len))
        return nv_err_set(err, NV_EINVAL,
                          "a NetBox v2 token is nbt_KEY.TOKEN (a v1 token is "
                          "40 hex digits)");
    n = snprintf(out, size, "%s%.*s", scheme, (int)len, token);
    if (n < 0 || (size_t)n >= size)
        return nv_err_set(err, NV_ELIMIT, "the token is too long");
    return NV_OK;
}

/* The length of url's origin, "scheme://host:port". */
static size_t origin_len(const char *url)
{
    const char *p = strstr(url, "://");

    if (!p)
        return 0;
    p += 3;
    return (size_t)(p - url) + strcspn(p, "/?#");
}

static enum nv_rc same_server(const char *base, const char *next,
                              const char *from, struct nv_err *err)
{
    size_t n = origin_len(base);

    if (n && strncmp(base, next, n) == 0 && strchr("/?#", next[n]))
        return NV_OK;
    return nv_err_at(err, NV_EINVAL, from, 0, 0,
                     "\"next\" leads to another server (%s); the token is "
                     "not sent there",
                     next);
}

/* Fetch one page at url into nb; *next is the following page's URL. */
static enum nv_rc fetch_page(struct nv_netbox *nb,
                             const struct nv_netbox_server *s, const char *url,
                             const char **next, struct nv_err *err)
{
    struct nv_buf body;
    enum nv_rc rc;

    nv_buf_init(&body, MAX_PAGE);
    rc = nv_http_get(&s->http, url, &body, err);
    if (!rc)
        rc = nv_netbox_add_page(nb, body.data, body.len, url, next, err);
    nv_buf_release(&body);
    if (!rc && *next)
        rc = same_server(s->url, *next, url, err);
    return rc;
}

static enum nv_rc fetch_endpoint(struct nv_netbox *nb,
                                 const struct nv_netbox_server *s,
                                 const char *ep, int nautobot,
                                 struct nv_err *err)
{
    char url[MAX_URL];
    const char *next = NULL;
    int n = snprintf(url, sizeof url, "%s/api/%s/?limit=%u&offset=0%s", s->url,
                     ep, s->page_size, nautobot ? "&depth=1" : "");
    enum nv_rc rc;

    if (n < 0 || (size_t)n >= sizeof url)
        return nv_err_set(err, NV_ELIMIT, "the server URL is too long");
    rc = fetch_page(nb, s, url, &next, err);
    while (!rc && next) {
        n = snprintf(url, sizeof url, "%s", next);
        if (n < 0 || (size_t)n >= sizeof url)
            return nv_err_set(err, NV_ELIMIT, "a \"next\" URL is too long");
        rc = fetch_page(nb, s, url, &next, err);
    }
    return rc;
}

/* Nautobot says "nautobot-version" in its status; NetBox "netbox-version".
 * A server without /api/status/ is taken for NetBox. */
static int is_nautobot(const struct nv_netbox_server *s)
{
    char url[MAX_URL];
    struct nv_buf body;
    struct nv_err err = {0};
    int yes;

    if (snprintf(url, sizeof url, "%s/api/status/", s->url) >= (int)sizeof url)
        return 0;
    nv_buf_init(&body, 1 << 20);
    yes = !nv_http_get(&s->http, url, &body, &err) &&
          strstr(body.data, "\"nautobot-version\"") != NULL;
    nv_buf_release(&body);
    return yes;
}

enum nv_rc nv_netbox_fetch(struct nv_netbox *nb,
                           const struct nv_netbox_server *s, struct nv_err *err)
{
    struct nv_netbox_server with = *s;
    const char *const *ep;
    int nautobot;
    enum nv_rc rc = NV_OK;

    with.http.auth = s->auth;
    nautobot = is_nautobot(&with);
    ep = nautobot ? nautobot_endpoints : netbox_endpoints;
    for (; *ep && !rc; ep++)
        rc = fetch_endpoint(nb, &with, *ep, nautobot, err);
    return rc;
}
