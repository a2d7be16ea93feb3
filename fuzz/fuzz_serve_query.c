/*
 * fuzz_serve_query.c - the query string of `netvet serve` requests.
 */
#include "serve/parse.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_query q;
    struct nv_err err;

    if (nv_query_parse(&q, (const char *)data, size, &err) == NV_OK)
        for (size_t i = 0; i < q.n; i++)
            (void)nv_serve_is_word(q.v[i].value);
    nv_query_release(&q);
    return 0;
}
