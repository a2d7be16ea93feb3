/*
 * concentration.h - how much of each layer and region one vendor holds.
 *
 * Vendors are counted at their ultimate parent (a subsidiary's assets are
 * its parent's share); assets of unresolved vendors form their own
 * "unresolved" share.  The Herfindahl-Hirschman index of an area is the
 * sum of the squared percentage shares: 10,000 for a single vendor,
 * above 2,500 highly concentrated (the usual competition threshold).
 */
#ifndef NV_CONCENTRATION_H
#define NV_CONCENTRATION_H

#include "model/model.h"

struct nv_share {
    uint32_t entity; /* the vendor's ultimate parent, or NV_NONE */
    uint32_t assets;
    double capacity; /* Gbit/s of the links of its assets, where given */
};

struct nv_area {
    enum nv_layer layer;
    const char *region;      /* "(no region)" when the site has none */
    struct nv_share *shares; /* most assets first */
    uint32_t nshares, assets;
    double capacity;
    double hhi;          /* by asset count */
    double hhi_capacity; /* by capacity; 0 when no capacity is known */
};

struct nv_concentration {
    struct nv_area *areas; /* by layer, then region */
    uint32_t nareas;
    struct nv_area *national; /* by layer, region "(all)" */
    uint32_t nnational;
    uint32_t single_vendor; /* areas served by one vendor only */
    struct nv_share *shares, *national_shares; /* what areas point into */
};

/* Shares of m (finished); release with nv_concentration_release. */
enum nv_rc nv_concentration_build(const struct nv_model *m,
                                  struct nv_concentration *c,
                                  struct nv_err *err) NV_WUR;

void nv_concentration_release(struct nv_concentration *c);

#endif
