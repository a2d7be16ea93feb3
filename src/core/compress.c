/*
 * compress.c - zstd frames written into and read from memory
 * (compress.h).  The fastest level: the text is compressed as it is
 * written, and a higher level costs more time than the bytes it saves.
 */
#include "core/compress.h"

#include "core/alloc.h"
#include "core/buf.h"

#include <string.h>
#include <zstd.h>
#include <zstd_errors.h>

struct nv_compress {
    ZSTD_CCtx *cctx;
    struct nv_buf out;
};

struct nv_compress *nv_compress_new(size_t limit)
{
    struct nv_compress *z = nv_calloc(1, sizeof *z);

    if (!z)
        return NULL;
    z->cctx = ZSTD_createCCtx();
    if (!z->cctx || ZSTD_isError(ZSTD_CCtx_setParameter(
                        z->cctx, ZSTD_c_compressionLevel, 1))) {
        nv_compress_free(z);
        return NULL;
    }
    nv_buf_init(&z->out, limit);
    return z;
}

/* Run the stream over in (ZSTD_e_continue) or to the frame's end
 * (ZSTD_e_end), growing the output as it fills. */
static enum nv_rc pump(struct nv_compress *z, ZSTD_inBuffer *in,
                       ZSTD_EndDirective mode)
{
    size_t left;

    do {
        size_t room = ZSTD_CStreamOutSize();
        enum nv_rc rc = nv_buf_reserve(&z->out, room);
        if (rc)
            return rc;
        ZSTD_outBuffer o = {z->out.data + z->out.len, room, 0};
        left = ZSTD_compressStream2(z->cctx, &o, in, mode);
        if (ZSTD_isError(left))
            return NV_ENOMEM; /* zstd fails only for want of memory */
        z->out.len += o.pos;
    } while (mode == ZSTD_e_end ? left != 0 : in->pos < in->size);
    return NV_OK;
}

enum nv_rc nv_compress_add(struct nv_compress *z, const void *data, size_t n)
{
    ZSTD_inBuffer in = {data, n, 0};

    return n ? pump(z, &in, ZSTD_e_continue) : NV_OK;
}

enum nv_rc nv_compress_end(struct nv_compress *z, const void **out, size_t *len)
{
    ZSTD_inBuffer in = {NULL, 0, 0};
    enum nv_rc rc = pump(z, &in, ZSTD_e_end);

    if (rc)
        return rc;
    *out = z->out.data;
    *len = z->out.len;
    return NV_OK;
}

void nv_compress_free(struct nv_compress *z)
{
    if (!z)
        return;
    ZSTD_freeCCtx(z->cctx);
    nv_buf_release(&z->out);
    nv_free(z);
}

enum nv_rc nv_decompress(const void *data, size_t n, size_t len, char **out)
{
    ZSTD_DCtx *d = ZSTD_createDCtx();
    char *text = d ? nv_malloc(len + 1) : NULL;
    ZSTD_inBuffer in = {data, n, 0};
    /* One byte of room past len: a frame that holds more shows itself. */
    ZSTD_outBuffer o = {text, len + 1, 0};
    size_t left = 1;
    enum nv_rc rc = text ? NV_OK : NV_ENOMEM;

    while (!rc && left != 0 && o.pos <= len) {
        size_t in0 = in.pos, out0 = o.pos;
        left = ZSTD_decompressStream(d, &o, &in);
        if (ZSTD_isError(left))
            rc = ZSTD_getErrorCode(left) == ZSTD_error_memory_allocation
                     ? NV_ENOMEM
                     : NV_EPARSE;
        else if (left != 0 && in.pos == in0 && o.pos == out0)
            rc = NV_EPARSE; /* no progress: the frame is cut short */
    }
    if (!rc && (left != 0 || in.pos != in.size || o.pos != len))
        rc = NV_EPARSE;
    ZSTD_freeDCtx(d);
    if (rc) {
        nv_free(text);
        return rc;
    }
    text[len] = '\0';
    *out = text;
    return NV_OK;
}
