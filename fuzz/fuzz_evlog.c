/*
 * fuzz_evlog.c - the parsers of the evidence log: the entries file and
 * the checkpoint, each given the whole input.
 */
#include "checkpoint.h"
#include "evlog.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_checkpoint cp;
    struct nv_evlog_extent ext;
    struct nv_err err;

    /* Only crashes, leaks and sanitizer reports matter, not the verdict. */
    (void)!nv_checkpoint_parse((const char *)data, size, "fuzz", &cp, &err);
    (void)!nv_evlog_scan(data, size, UINT64_MAX, &ext, &err);
    return 0;
}
