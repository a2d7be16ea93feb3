/*
 * fuzz_serve_body.c - the JSON and text bodies of `netvet serve`
 * requests: the session request and the names to screen, both ways.
 */
#include "serve/parse.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    char key[256];
    struct nv_buf b;
    struct nv_err err = {0};

    int ok = nv_serve_session_body(text, size, key, sizeof key, &err) == NV_OK;

    for (int json = 0; json < 2; json++) {
        nv_buf_init(&b, (size_t)1 << 20);
        ok += nv_serve_names_body(text, size, json, &b, &err) == NV_OK;
        nv_buf_release(&b);
    }
    return ok < 0; /* never: the result only has to be read */
}
