/*
 * synth.h - realistic national networks at any size, for examples, tests
 * and benchmarks (docs/synth.md says where every number comes from).
 *
 * The backbone is a real topology (GraphML or SNDlib) or, without one, a
 * generated mesh.  Each backbone node becomes a region with an
 * aggregation site; the best-connected nodes host data centres with the
 * core; RAN sites are spread around the nodes by population and chained
 * in microwave/fibre rings with uplinks to aggregation; critical sites of
 * every sector hang off the RAN and aggregation; critical flows join
 * them.  Vendors are bought per region and layer with market-share
 * weights, so some regions depend on a single RAN vendor.  The same
 * options and seed give the same model.
 */
#ifndef NV_SYNTH_H
#define NV_SYNTH_H

#include "model/model.h"

struct nv_synth_opts {
    const char *backbone; /* GraphML or SNDlib file; NULL: generated */
    uint32_t ran_sites;   /* 0: as many as assets allows */
    uint32_t assets;      /* 0: as ran_sites gives */
    uint32_t flows;
    uint32_t vendors;   /* the 8 named vendors, plus generic ones */
    uint32_t countries; /* of all vendors: the named ones span 5 */
    uint64_t seed;
    /* 0: hub and spoke (each sector's two control centres to its other
     * sites); 1: pairs (every flow from its own critical site to another
     * site of its sector anywhere in the country: as many distinct
     * sources as flows) */
    int pairs;
};

/* Default options: 300 RAN sites, 60 flows, 8 vendors, seed 1. */
void nv_synth_defaults(struct nv_synth_opts *o);

/* Build a finished model as the options say; *out is freed with
 * nv_model_free. */
enum nv_rc nv_synth(const struct nv_synth_opts *o, struct nv_model **out,
                    struct nv_err *err) NV_WUR;

#endif
