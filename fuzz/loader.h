/*
 * loader.h - what the model fuzz targets share: run one loader over the
 * input as a file called "fuzz", then finish the model.
 */
#ifndef NV_FUZZ_LOADER_H
#define NV_FUZZ_LOADER_H

#include "model/load_int.h"

#include <stdint.h>

enum fuzz_format { FUZZ_NATIVE, FUZZ_GRAPHML, FUZZ_SNDLIB, FUZZ_CDX, FUZZ_CSV };

/* Only crashes, leaks and sanitizer reports matter, not the verdict. */
static inline void fuzz_load(enum fuzz_format fmt, const uint8_t *data,
                             size_t size)
{
    struct nv_model *m = nv_model_new();
    const char *text = (const char *)data;
    struct nv_arena a;
    struct nv_json *root;
    struct nv_err err = {0};
    uint32_t src;
    enum nv_rc rc;

    nv_arena_init(&a);
    rc = m ? nv_model_add_source(m, "fuzz", &src, &err) : NV_ENOMEM;
    if (!rc && fmt == FUZZ_NATIVE)
        rc = nv_load_native(m, src, text, size, &err);
    else if (!rc && fmt == FUZZ_GRAPHML)
        rc = nv_load_graphml(m, src, text, size, &err);
    else if (!rc && fmt == FUZZ_CSV && size > 0)
        rc = nv_load_csv_table(m, (enum nv_table)(data[0] % NV_T_COUNT), src,
                               text + 1, size - 1, &err);
    else if (!rc && fmt != FUZZ_CSV)
        rc = nv_json_parse(text, size, "fuzz", &a, &root, &err);
    if (!rc && fmt == FUZZ_SNDLIB)
        rc = nv_load_sndlib(m, src, root, text, size, &err);
    else if (!rc && fmt == FUZZ_CDX)
        rc = nv_load_cyclonedx(m, src, root, text, size, &err);
    if (!rc)
        rc = nv_model_finish(m, &err);
    nv_arena_release(&a);
    nv_model_free(m);
}

#endif
