/*
 * http.c - GET with retries over libcurl (see http.h).
 *
 * The one module that includes curl.h: curl's codes become nv_rc here,
 * and its error text goes into struct nv_err.
 */
#include "core/http.h"

#include "core/parse.h"

#include <curl/curl.h>
#include <string.h>
#include <time.h>

#define MAX_RETRY_AFTER_S 60
#define MAX_DELAY_MS 30000u

struct xfer {
    struct nv_buf *body;
    enum nv_rc rc;       /* NV_ELIMIT or NV_ENOMEM from the body */
    long retry_after_ms; /* from a Retry-After header, or -1 */
};

void nv_http_opts_init(struct nv_http_opts *o)
{
    memset(o, 0, sizeof *o);
    o->retries = 5;
    o->delay_ms = 1000;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    struct xfer *x = ctx;
    enum nv_rc rc = nv_buf_add(x->body, data, size * n);

    if (rc) {
        x->rc = rc;
        return 0;
    }
    return size * n;
}

/* Only Retry-After in seconds is read; an HTTP date is treated as
 * absent (the back-off applies). */
static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
    struct xfer *x = ctx;
    size_t len = size * n, k = strlen("retry-after:");
    int64_t s;

    if (len > k && strncasecmp(data, "retry-after:", k) == 0) {
        const char *v = data + k;
        size_t vn = len - k;
        while (vn && (*v == ' ' || *v == '\t'))
            v++, vn--;
        while (vn &&
               (v[vn - 1] == '\r' || v[vn - 1] == '\n' || v[vn - 1] == ' '))
            vn--;
        if (!nv_parse_i64(v, vn, 0, MAX_RETRY_AFTER_S, &s))
            x->retry_after_ms = (long)s * 1000;
    }
    return len;
}

static CURLcode setup(CURL *c, const struct nv_http_opts *o, const char *url,
                      struct curl_slist *hdrs, struct xfer *x)
{
    CURLcode rc = curl_easy_setopt(c, CURLOPT_URL, url);

    if (!rc)
        rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (!rc)
        rc = curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    if (!rc)
        rc = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    if (!rc)
        rc = curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
    if (!rc)
        rc = curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    if (!rc)
        rc = curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
    if (!rc)
        rc = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    if (!rc)
        rc = curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    if (!rc)
        rc = curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 120L);
    if (!rc && o->insecure)
        rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    if (!rc && o->insecure)
        rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    if (!rc && o->cafile)
        rc = curl_easy_setopt(c, CURLOPT_CAINFO, o->cafile);
    return rc;
}

static void pause_ms(unsigned long ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* One try: NV_OK with *status set, or a transfer failure. */
static enum nv_rc try_once(CURL *c, const char *url, struct xfer *x,
                           long *status, struct nv_err *err)
{
    char why[CURL_ERROR_SIZE] = "";
    CURLcode rc;

    nv_buf_reset(x->body); /* a retried answer starts afresh */
    x->retry_after_ms = -1;
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, why);
    rc = curl_easy_perform(c);
    if (x->rc == NV_ELIMIT)
        return nv_err_at(err, NV_ELIMIT, url, 0, 0,
                         "the answer is larger than %zu bytes", x->body->limit);
    if (x->rc)
        return nv_err_set(err, x->rc, "out of memory");
    if (rc)
        return nv_err_at(err, NV_EIO, url, 0, 0, "%s",
                         why[0] ? why : curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    return NV_OK;
}

static enum nv_rc status_error(long status, const char *url, struct nv_err *err)
{
    if (status == 401 || status == 403)
        return nv_err_at(err, NV_EINVAL, url, 0, 0,
                         "HTTP %ld: the server refused the token (is it "
                         "valid, and allowed to read?)",
                         status);
    return nv_err_at(err, NV_EIO, url, 0, 0, "HTTP %ld", status);
}

static enum nv_rc get_with(CURL *c, const struct nv_http_opts *o,
                           const char *url, struct xfer *x, struct nv_err *err)
{
    unsigned long delay = o->delay_ms;
    long status = 0;

    for (unsigned t = 0;; t++) {
        enum nv_rc rc = try_once(c, url, x, &status, err);
        if (rc)
            return rc;
        if (status >= 200 && status < 300)
            return NV_OK;
        if ((status != 429 && status < 500) || t == o->retries)
            return status_error(status, url, err);
        pause_ms(x->retry_after_ms >= 0 ? (unsigned long)x->retry_after_ms
                                        : delay);
        delay = delay * 2 > MAX_DELAY_MS ? MAX_DELAY_MS : delay * 2;
    }
}

/* The request headers; NULL when memory is exhausted. */
static struct curl_slist *headers(const char *auth)
{
    struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
    struct curl_slist *t;

    if (h && auth) {
        t = curl_slist_append(h, auth);
        if (!t)
            curl_slist_free_all(h);
        h = t;
    }
    return h;
}

enum nv_rc nv_http_get(const struct nv_http_opts *o, const char *url,
                       struct nv_buf *body, struct nv_err *err)
{
    struct xfer x = {body, NV_OK, -1};
    struct curl_slist *hdrs = NULL;
    struct nv_buf auth;
    CURL *c = curl_easy_init();
    enum nv_rc rc = c ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");

    nv_buf_init(&auth, 8192);
    if (!rc && o->auth &&
        (nv_buf_adds(&auth, "Authorization: ") || nv_buf_adds(&auth, o->auth)))
        rc = nv_err_set(err, NV_ELIMIT, "the token is too long");
    if (!rc)
        hdrs = headers(o->auth ? auth.data : NULL);
    if (!rc && !hdrs)
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (!rc && setup(c, o, url, hdrs, &x))
        rc = nv_err_at(err, NV_EUNSUPPORTED, url, 0, 0,
                       "this libcurl cannot fetch it");
    if (!rc)
        rc = get_with(c, o, url, &x, err);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    nv_buf_release(&auth);
    return rc;
}
