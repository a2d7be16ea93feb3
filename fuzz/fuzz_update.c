/*
 * fuzz_update.c - the documents of an update check: the trust root, the
 * targets metadata and the state file.  The first byte picks which ('0',
 * '1' or '2' in the seeds), the rest is the document.
 */
#include "integrity/update_int.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data + 1;
    struct nv_update_root *root = NULL;
    struct nv_update_meta m;
    struct nv_update_state s;
    struct nv_arena a;
    struct nv_err err = {0};

    if (size == 0)
        return 0;
    /* Only crashes, leaks and sanitizer reports matter, not the verdict. */
    nv_arena_init(&a);
    if (data[0] % 3 == 0)
        (void)!nv_update_root_parse(text, size - 1, "fuzz", &root, &err);
    else if (data[0] % 3 == 1)
        (void)!nv_update_meta_parse(text, size - 1, "fuzz", "fw.bin", &a, &m,
                                    &err);
    else
        (void)!nv_update_state_parse(text, size - 1, "fuzz", &s, &err);
    nv_update_root_free(root);
    nv_arena_release(&a);
    return 0;
}
