/*
 * buf.h - the one growable string of netvet.
 *
 * A buffer is always NUL-terminated and never grows past the limit given at
 * init: appending beyond it fails with NV_ELIMIT and leaves the buffer as it
 * was, so hostile input cannot make us allocate without bound.
 */
#ifndef NV_BUF_H
#define NV_BUF_H

#include "core/err.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct nv_buf {
    char *data;   /* NUL-terminated; "" (static) until something is added */
    size_t len;   /* bytes before the NUL */
    size_t cap;   /* bytes allocated; 0 while data is the static "" */
    size_t limit; /* the most len may reach */
};

/* An empty buffer that may hold at most limit bytes. */
void nv_buf_init(struct nv_buf *b, size_t limit);

/* Free the contents; the buffer is empty (same limit) and reusable. */
void nv_buf_release(struct nv_buf *b);

/* Make the buffer empty without freeing its memory. */
void nv_buf_reset(struct nv_buf *b);

/* Append n bytes; NV_ENOMEM or NV_ELIMIT leave b unchanged. */
enum nv_rc nv_buf_add(struct nv_buf *b, const void *data, size_t n) NV_WUR;

/* Append a NUL-terminated string. */
enum nv_rc nv_buf_adds(struct nv_buf *b, const char *s) NV_WUR;

/* Make room for n more bytes (and the NUL) past len, for a writer that
 * fills data + len itself and then moves len; NV_ENOMEM or NV_ELIMIT. */
enum nv_rc nv_buf_reserve(struct nv_buf *b, size_t n) NV_WUR;

/* Append one byte. */
enum nv_rc nv_buf_addc(struct nv_buf *b, char c) NV_WUR;

/* Append printf-style formatted text. */
enum nv_rc nv_buf_addf(struct nv_buf *b, const char *fmt, ...) NV_WUR
    NV_PRINTF(2, 3);

/* Append formatted text from a va_list. */
enum nv_rc nv_buf_vaddf(struct nv_buf *b, const char *fmt, va_list ap) NV_WUR
    NV_PRINTF(2, 0);

/*
 * A stdio stream whose writes land in b: stdio buffers a writer's many
 * small writes (64 KB at a time) and full buffers are appended, the
 * buffer doubling, so a text of a hundred megabytes is neither copied
 * again nor zeroed as open_memstream's is.  NULL when out of memory; the
 * caller closes it, and fclose fails when an append did (NV_ENOMEM or
 * the limit).
 */
FILE *nv_buf_stream(struct nv_buf *b);

/*
 * Hand the string over to the caller, who frees it with nv_free; the buffer
 * is left empty.  NULL only if the buffer was empty and the copy of "" could
 * not be allocated.
 */
char *nv_buf_take(struct nv_buf *b);

#endif
