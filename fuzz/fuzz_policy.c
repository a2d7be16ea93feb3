/*
 * fuzz_policy.c - the policy language parser.
 */
#include "policy/policy.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_policy *p = nv_policy_new();
    struct nv_err err;

    /* Only crashes, leaks and sanitizer reports matter, not the verdict. */
    if (p)
        (void)!nv_policy_parse(p, "fuzz", (const char *)data, size, &err);
    nv_policy_free(p);
    return 0;
}
