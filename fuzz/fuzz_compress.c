/*
 * fuzz_compress.c - the reader of a snapshot's compressed model: any
 * bytes, for a few claimed lengths (the store keeps the length beside
 * the frame, but a crafted store can claim any).
 */
#include "core/alloc.h"
#include "core/compress.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t lens[] = {0, 1, 100, 4096, (size_t)1 << 20};
    char *text = NULL;

    /* Only crashes, leaks and sanitizer reports matter here. */
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
        if (!nv_decompress(data, size, lens[i], &text))
            nv_free(text);
    return 0;
}
