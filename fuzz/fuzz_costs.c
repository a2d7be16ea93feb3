/*
 * fuzz_costs.c - the replacement costs file of `netvet plan --costs`,
 * read for a small model, then every asset's cost looked up.
 */
#include "model/load_int.h"
#include "plan/costs.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Two assets (one with its own cost) that rows can name. */
static const char model[] =
    "{\"netvet\": 1, \"assets\": [{\"id\": \"a1\", \"layer\": \"ran\"},"
    " {\"id\": \"a2\", \"kind\": \"nf\", \"layer\": \"core\","
    " \"replacement_cost\": 7}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_model *m = nv_model_new();
    struct nv_costs *c = NULL;
    struct nv_err err = {0};
    uint32_t src;
    double sum = 0;

    /* Only crashes, leaks and sanitizer reports matter, not the verdict. */
    if (m && !nv_model_add_source(m, "model", &src, &err) &&
        !nv_load_native(m, src, model, strlen(model), &err) &&
        !nv_model_finish(m, &err) &&
        !nv_costs_load(m, "fuzz", (const char *)data, size, &c, &err))
        for (uint32_t a = 0; a < NV_COUNT(m, NV_T_ASSET); a++)
            sum += nv_costs_of(c, m, a);
    (void)sum;
    nv_costs_free(c);
    nv_model_free(m);
    return 0;
}
