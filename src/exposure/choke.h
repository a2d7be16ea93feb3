/*
 * choke.h - choke points: the assets that alone can cut a flow.
 *
 * An asset separates flow f (from s to t) when every s-t path goes
 * through it (s and t themselves aside): replacing or bypassing it is the
 * first thing to do for f.  A path passes through transit assets only
 * (model.h), so only those separate, and a flow whose ends are linked
 * directly has none.  Assets are ranked by the summed importance of the
 * flows they separate.  Worked out on the block-cut forest of the
 * transit graph (choke.c).
 */
#ifndef NV_CHOKE_H
#define NV_CHOKE_H

#include "exposure/exposure.h"

struct nv_chokes {
    uint32_t n;      /* assets that separate at least one flow */
    uint32_t *asset; /* n, ranked: most summed importance first, then
                        most flows, then model order */
    double *weight;  /* n: summed importance of the flows separated */
    uint32_t *off;   /* n + 1: asset i separates flow[off[i]..off[i+1]) */
    uint32_t *flow;  /* in model order */
};

/* The choke points of the connected flows of m (x is m's exposure, for
 * which flows are connected).  Release with nv_choke_release. */
enum nv_rc nv_choke_compute(const struct nv_model *m,
                            const struct nv_exposure *x, struct nv_chokes *c,
                            struct nv_err *err) NV_WUR;

void nv_choke_release(struct nv_chokes *c);

#endif
