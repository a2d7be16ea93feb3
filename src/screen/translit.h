/*
 * translit.h - other scripts to Latin letters, for matching names.
 *
 * Han characters become pinyin syllables without tones ("华为" -> "hua
 * wei"), Cyrillic, Greek and the rest their usual Latin transliteration,
 * all folded to ASCII.  The transliteration is ICU's; only this module
 * includes ICU.  A transliterator is not safe to share between threads.
 */
#ifndef NV_TRANSLIT_H
#define NV_TRANSLIT_H

#include "core/buf.h"
#include "core/err.h"

struct nv_translit;

/* A transliterator, or NULL when ICU cannot make one (out of memory, or
 * ICU without transliteration data). */
struct nv_translit *nv_translit_new(void);

/* Free t; NULL is a no-op. */
void nv_translit_free(struct nv_translit *t);

/* Append the ASCII transliteration of the UTF-8 text s[0..n) to out; Han
 * syllables are separated by blanks. */
enum nv_rc nv_translit_ascii(struct nv_translit *t, const char *s, size_t n,
                             struct nv_buf *out) NV_WUR;

#endif
