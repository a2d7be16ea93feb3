/*
 * fuzz_statement.c - the in-toto statement reader (manifests).
 */
#include "integrity/statement.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_manifest m;
    struct nv_err err = {0};

    /* Only crashes, leaks and sanitizer reports matter, not the verdict. */
    nv_manifest_init(&m);
    (void)!nv_statement_read((const char *)data, size, "fuzz", &m, &err);
    nv_manifest_release(&m);
    return 0;
}
