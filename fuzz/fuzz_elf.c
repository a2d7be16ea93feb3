/*
 * fuzz_elf.c - ELF section tables and the digests of each section.
 */
#include "integrity/content.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_arena a;
    struct nv_content c;
    struct nv_err err = {0};

    nv_arena_init(&a);
    (void)!nv_content_digest(data, size, &a, &c, &err);
    nv_arena_release(&a);
    return 0;
}
