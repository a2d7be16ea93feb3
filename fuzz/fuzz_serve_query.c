/*
 * fuzz_serve_query.c - the query string of `netvet serve` requests, and
 * the address it is told to listen on (the same bytes, up to a NUL).
 */
#include "serve/parse.h"

#include "core/alloc.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_query q;
    struct nv_listen l;
    struct nv_err err = {0};
    char *text = nv_malloc(size + 1);
    enum nv_rc rc;

    if (text) {
        memcpy(text, data, size);
        text[size] = '\0';
        rc = nv_serve_listen_parse(text, &l, &err);
        (void)rc; /* only that it returns */
        nv_free(text);
    }
    if (nv_query_parse(&q, (const char *)data, size, &err) == NV_OK)
        for (size_t i = 0; i < q.n; i++)
            (void)nv_serve_is_word(q.v[i].value);
    nv_query_release(&q);
    return 0;
}
