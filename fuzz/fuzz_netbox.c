/*
 * fuzz_netbox.c - one NetBox API page: collected, mapped to a model with
 * the default mapping, then the model finished.
 */
#include "model/load.h"
#include "model/netbox.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Only crashes, leaks and sanitizer reports matter, not the verdict. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_netbox *nb = nv_netbox_new();
    struct nv_netbox_map *map = nv_netbox_map_new();
    struct nv_model *m = nv_model_new();
    struct nv_err err = {0};
    const char *next;
    enum nv_rc rc = nb && map && m ? NV_OK : NV_ENOMEM;

    if (!rc)
        rc = nv_netbox_add_page(nb, (const char *)data, size, "fuzz", &next,
                                &err);
    if (!rc)
        rc = nv_netbox_build(nb, map, m, NULL, &err);
    if (!rc)
        rc = nv_model_finish(m, &err);
    nv_model_free(m);
    nv_netbox_map_free(map);
    nv_netbox_free(nb);
    return 0;
}
