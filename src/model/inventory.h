/*
 * inventory.h - what a model holds, counted: the summary `netvet inspect`
 * prints and reports reuse.
 */
#ifndef NV_INVENTORY_H
#define NV_INVENTORY_H

#include "model/model.h"

struct nv_inv_vendor {
    uint32_t entity;    /* NV_NONE for the unresolved strings' row */
    const char *vendor; /* for unresolved rows: the string as found */
    uint32_t assets;
};

struct nv_inventory {
    uint32_t by_kind[NV_KIND_COUNT];
    uint32_t by_layer[NV_LAYER_COUNT];
    uint32_t by_designation[NV_DESIG_COUNT];
    uint32_t no_vendor;            /* assets without a vendor string */
    uint32_t unresolved_assets;    /* assets whose vendor is unknown */
    struct nv_inv_vendor *vendors; /* resolved, most assets first */
    uint32_t nvendors;
    struct nv_inv_vendor *unresolved; /* by string, most assets first */
    uint32_t nunresolved;
    uint32_t components;         /* connected parts of the asset graph */
    uint32_t largest;            /* assets in the largest part */
    uint32_t *unconnected_flows; /* flows whose ends are apart */
    uint32_t nunconnected;
};

/* Count m (finished) into inv; release it with nv_inventory_release. */
enum nv_rc nv_inventory_build(const struct nv_model *m,
                              struct nv_inventory *inv,
                              struct nv_err *err) NV_WUR;

void nv_inventory_release(struct nv_inventory *inv);

#endif
