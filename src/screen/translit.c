/*
 * translit.c - ICU's Any-Latin and Latin-ASCII transliterators.
 *
 * Text goes UTF-8 -> UTF-16 (ICU's own encoding) -> transliterated in
 * place -> UTF-8.  Names are short, so the buffers are fixed: a name that
 * would not fit is refused with NV_ELIMIT rather than cut.
 */
#include "screen/translit.h"

#include "core/alloc.h"

#include <unicode/ustring.h>
#include <unicode/utrans.h>

#define UNITS 2048 /* UTF-16 units of one transliterated name */

struct nv_translit {
    UTransliterator *t;
    UChar buf[UNITS];
};

struct nv_translit *nv_translit_new(void)
{
    /* Russian by BGN/PCGN (the romanisation of the lists: "Makhachkala",
     * not ISO 9's "Mahačkala"), everything else by ICU's defaults. */
    static const char rules[] = "Russian-Latin/BGN; Any-Latin; Latin-ASCII";
    UChar id[sizeof rules];
    UErrorCode status = U_ZERO_ERROR;
    struct nv_translit *t = nv_calloc(1, sizeof *t);

    if (!t)
        return NULL;
    u_uastrcpy(id, rules);
    t->t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
    if (U_FAILURE(status)) {
        nv_free(t);
        return NULL;
    }
    return t;
}

void nv_translit_free(struct nv_translit *t)
{
    if (!t)
        return;
    utrans_close(t->t);
    nv_free(t);
}

enum nv_rc nv_translit_ascii(struct nv_translit *t, const char *s, size_t n,
                             struct nv_buf *out)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t len = 0, limit;
    char utf8[4 * UNITS];
    int32_t written = 0;

    if (n > UNITS / 4)
        return NV_ELIMIT;
    u_strFromUTF8(t->buf, UNITS, &len, s, (int32_t)n, &status);
    if (U_FAILURE(status))
        return NV_EPARSE;
    limit = len;
    utrans_transUChars(t->t, t->buf, &len, UNITS, 0, &limit, &status);
    if (U_FAILURE(status))
        return NV_ELIMIT;
    u_strToUTF8(utf8, sizeof utf8, &written, t->buf, len, &status);
    if (U_FAILURE(status))
        return NV_ELIMIT;
    return nv_buf_add(out, utf8, (size_t)written);
}
