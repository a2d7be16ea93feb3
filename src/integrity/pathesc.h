/*
 * pathesc.h - file paths as text, for any byte sequence.
 *
 * A path is written as its bytes, except that '%', '\', control bytes
 * (0x00-0x1F, 0x7F) and every byte that is not part of valid UTF-8 are
 * written as %XX (two uppercase hex digits).  So a path with a newline
 * or in Latin-1 still fits on one line of valid UTF-8 JSON, and decoding
 * gives back exactly the bytes.
 */
#ifndef NV_PATHESC_H
#define NV_PATHESC_H

#include "core/buf.h"

/* Append the escaped form of p[0..n) to out. */
enum nv_rc nv_path_escape(const char *p, size_t n, struct nv_buf *out) NV_WUR;

/* Append the bytes that text[0..n) escapes to out; NV_EPARSE for a '%'
 * not followed by two hex digits or an escape that was not needed. */
enum nv_rc nv_path_unescape(const char *text, size_t n,
                            struct nv_buf *out) NV_WUR;

#endif
