/*
 * buf.c - growable NUL-terminated strings with a hard limit.
 */
#define _GNU_SOURCE /* fopencookie */
#include "core/buf.h"

#include "core/alloc.h"

#include <stdio.h>
#include <string.h>

static char empty[1];

void nv_buf_init(struct nv_buf *b, size_t limit)
{
    b->data = empty;
    b->len = 0;
    b->cap = 0;
    b->limit = limit;
}

void nv_buf_release(struct nv_buf *b)
{
    if (b->cap)
        nv_free(b->data);
    nv_buf_init(b, b->limit);
}

void nv_buf_reset(struct nv_buf *b)
{
    b->len = 0;
    b->data[0] = '\0';
}

/* Make room for extra more bytes plus the NUL. */
static enum nv_rc grow(struct nv_buf *b, size_t extra)
{
    size_t want, cap;
    char *data;

    if (extra > b->limit || b->len > b->limit - extra)
        return NV_ELIMIT;
    want = b->len + extra + 1;
    if (want <= b->cap)
        return NV_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap = cap > ((size_t)-1) / 2 ? want : cap * 2;
    data = nv_reallocarray(b->cap ? b->data : NULL, cap, 1);
    if (!data)
        return NV_ENOMEM;
    if (!b->cap)
        data[0] = '\0';
    b->data = data;
    b->cap = cap;
    return NV_OK;
}

enum nv_rc nv_buf_add(struct nv_buf *b, const void *data, size_t n)
{
    enum nv_rc rc = grow(b, n);

    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return NV_OK;
}

enum nv_rc nv_buf_reserve(struct nv_buf *b, size_t n)
{
    return grow(b, n);
}

enum nv_rc nv_buf_adds(struct nv_buf *b, const char *s)
{
    return nv_buf_add(b, s, strlen(s));
}

enum nv_rc nv_buf_addc(struct nv_buf *b, char c)
{
    return nv_buf_add(b, &c, 1);
}

enum nv_rc nv_buf_vaddf(struct nv_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    enum nv_rc rc;
    int n;

    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, again);
    va_end(again);
    if (n < 0)
        return NV_EINVAL;
    rc = grow(b, (size_t)n);
    if (rc)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return NV_OK;
}

enum nv_rc nv_buf_addf(struct nv_buf *b, const char *fmt, ...)
{
    va_list ap;
    enum nv_rc rc;

    va_start(ap, fmt);
    rc = nv_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

static ssize_t stream_write(void *cookie, const char *data, size_t n)
{
    return nv_buf_add(cookie, data, n) ? -1 : (ssize_t)n;
}

FILE *nv_buf_stream(struct nv_buf *b)
{
    static const cookie_io_functions_t io = {NULL, stream_write, NULL, NULL};
    FILE *f = fopencookie(b, "w", io);

    if (f && setvbuf(f, NULL, _IOFBF, (size_t)1 << 16) != 0) {
        fclose(f);
        return NULL;
    }
    return f;
}

char *nv_buf_take(struct nv_buf *b)
{
    char *s = b->cap ? b->data : nv_strndup("", 0);

    nv_buf_init(b, b->limit);
    return s;
}
