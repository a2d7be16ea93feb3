/*
 * fuzz_policy.c - the policy language parser, then binding the policy to
 * an empty model and checking it (references, within, evidence).
 */
#include "core/alloc.h"
#include "policy/policy.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_policy *p = nv_policy_new();
    struct nv_model *m = nv_model_new();
    struct nv_policy_warning *w = NULL;
    struct nv_violation *v = NULL;
    struct nv_rule_result *res = NULL;
    struct nv_err err = {0};
    uint32_t n = 0;

    /* Only crashes, leaks and sanitizer reports matter, not the verdict. */
    if (p && m && !nv_policy_parse(p, "fuzz", (const char *)data, size, &err) &&
        !nv_model_finish(m, &err) && !nv_policy_bind(p, m, &w, &n, &err))
        (void)!nv_policy_evaluate(p, m, NULL, "2030-01-01", &v, &n, &res, &err);
    nv_free(w);
    nv_free(v);
    nv_free(res);
    nv_model_free(m);
    nv_policy_free(p);
    return 0;
}
