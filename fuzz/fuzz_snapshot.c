/*
 * fuzz_snapshot.c - the binary snapshot reader.  The header's identity
 * (magic, version, byte order, layout, base) and length are sealed over
 * the input first, so that the fuzzer spends its time on sections,
 * pointers, indexes and records rather than on the header.  The input
 * lies in the heap, not at the base: every pointer the reader accepts is
 * also moved.
 */
#include "model/snapshot.h"
#include "model/snapshot_int.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t hs = nv_snapshot_header_size();
    unsigned char *copy = malloc(size ? size : 1);
    struct nv_snap_header h;
    struct nv_model *m = NULL;
    struct nv_err err = {0};

    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (size >= hs) {
        memcpy(&h, copy, hs);
        memcpy(h.magic, NV_SNAP_MAGIC, sizeof h.magic);
        h.version = NV_SNAP_VERSION;
        h.byte_order = NV_SNAP_BYTE_ORDER;
        h.layout = nv_snap_layout();
        h.length = size;
        h.base = NV_SNAP_BASE;
        memcpy(copy, &h, hs);
    }
    if (nv_snapshot_load_mem("fuzz", copy, size, &m, &err) == NV_OK)
        nv_model_free(m);
    free(copy);
    return 0;
}
