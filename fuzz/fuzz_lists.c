/*
 * fuzz_lists.c - the restricted-party list readers, the parent links,
 * and the screening index built over what they read.
 */
#include "screen/lists.h"
#include "screen/match.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_lists l;
    struct nv_matcher *mt = NULL;
    struct nv_match_hit hits[4];
    struct nv_err err = {0};
    uint32_t n;

    nv_lists_init(&l);
    /* Only crashes, leaks and sanitizer reports matter, not the verdict. */
    if (!nv_lists_load_text(&l, "fuzz", (const char *)data, size, &err) &&
        !nv_lists_link(&l, &err) && !nv_matcher_new(&l, &mt, &err))
        (void)!nv_matcher_screen(mt, "Huawei Tech. Co", hits, 4, &n, &err);
    nv_matcher_free(mt);
    nv_lists_release(&l);
    return 0;
}
