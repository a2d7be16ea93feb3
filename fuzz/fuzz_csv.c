/*
 * fuzz_csv.c - the RFC 4180 reader.
 */
#include "core/csv.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_csv c;
    struct nv_err err = {0};
    int got = 1;

    nv_csv_init(&c, (const char *)data, size, "fuzz");
    while (got && nv_csv_next(&c, &got, &err) == NV_OK)
        ;
    nv_csv_release(&c);
    return 0;
}
