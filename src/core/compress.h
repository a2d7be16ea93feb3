/*
 * compress.h - zstd compression of large texts: the store keeps each
 * snapshot's model compressed, since model JSON is repetitive (a tenth
 * of the bytes or less) and writing fewer bytes is most of what adding
 * a large snapshot costs.
 *
 * The only module that includes libzstd.
 */
#ifndef NV_COMPRESS_H
#define NV_COMPRESS_H

#include "core/err.h"

#include <stddef.h>

/* One zstd frame being written, in memory. */
struct nv_compress;

/* A new frame whose output may grow to limit bytes; NULL when out of
 * memory. */
struct nv_compress *nv_compress_new(size_t limit);

/* Compress data[0..n) onto the frame: NV_ENOMEM, or NV_ELIMIT past the
 * limit. */
enum nv_rc nv_compress_add(struct nv_compress *z, const void *data,
                           size_t n) NV_WUR;

/* End the frame: *out (owned by z, until nv_compress_free) and *len. */
enum nv_rc nv_compress_end(struct nv_compress *z, const void **out,
                           size_t *len) NV_WUR;

void nv_compress_free(struct nv_compress *z);

/*
 * The text that the zstd frame data[0..n) holds, which must be exactly
 * len bytes: *out (NUL-terminated; free with nv_free).  NV_EPARSE when
 * data is not one whole frame of that many bytes, NV_ENOMEM.
 */
enum nv_rc nv_decompress(const void *data, size_t n, size_t len,
                         char **out) NV_WUR;

#endif
