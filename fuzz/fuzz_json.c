/*
 * fuzz_json.c - the JSON tree parser and the streaming parser.
 */
#include "core/json.h"

#include <stdint.h>

static enum nv_rc ignore(void *ctx, const char *key, int64_t index,
                         const struct nv_json *v, struct nv_err *err)
{
    (void)ctx, (void)key, (void)index, (void)v, (void)err;
    return NV_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_arena a;
    struct nv_json *root;
    struct nv_err err = {0};

    nv_arena_init(&a);
    /* Only crashes, leaks and sanitizer reports matter here. */
    (void)!nv_json_parse((const char *)data, size, "fuzz", &a, &root, &err);
    nv_arena_release(&a);
    (void)!nv_json_stream((const char *)data, size, "fuzz", ignore, NULL, &err);
    return 0;
}
