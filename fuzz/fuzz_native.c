/*
 * fuzz_native.c - the native model loader, then nv_model_finish; and the
 * loader again with its arrays read in two halves, which must come to
 * the same verdict at the same place.
 */
#include "loader.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The verdict of the native loader on text, its arrays split at the
 * element boundary at or after split (0: as usual). */
static enum nv_rc load_split(const char *text, size_t size, size_t split,
                             struct nv_err *err)
{
    struct nv_model *m = nv_model_new();
    uint32_t src;
    enum nv_rc rc = m ? nv_model_add_source(m, "fuzz", &src, err) : NV_ENOMEM;

    nv_json_split_at(split);
    if (!rc)
        rc = nv_load_native(m, src, text, size, err);
    nv_json_split_at(0);
    nv_model_free(m);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct nv_err one = {0}, two = {0};

    fuzz_load(FUZZ_NATIVE, data, size);
    if (load_split(text, size, 0, &one) !=
            load_split(text, size, size / 3 + 1, &two) ||
        one.line != two.line || one.col != two.col ||
        strcmp(one.msg, two.msg) != 0)
        abort();
    return 0;
}
