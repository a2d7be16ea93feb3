/*
 * fuzz_sndlib.c - the sndlib model loader, then nv_model_finish.
 */
#include "loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_load(FUZZ_SNDLIB, data, size);
    return 0;
}
