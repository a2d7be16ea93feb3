/*
 * routes.h - the assets on a flow's routes: its declared path, or every
 * least-cost path between its ends (equal-cost paths all count), as
 * ROUTED in exposure.h means.  Replacing equipment keeps links and their
 * costs, so a flow's routes do not change with a plan.
 */
#ifndef NV_ROUTES_H
#define NV_ROUTES_H

#include "model/model.h"

struct nv_routes;

/* Route finding over m (finished); NULL when out of memory. */
struct nv_routes *nv_routes_new(const struct nv_model *m);
void nv_routes_free(struct nv_routes *r);

/*
 * The assets on flow f's routes, ends included, into *assets (n of
 * them; owned by r, valid until the next call).  None when the ends are
 * not connected.  Consecutive calls for flows of one source share its
 * search.
 */
enum nv_rc nv_routes_of(struct nv_routes *r, uint32_t f,
                        const uint32_t **assets, uint32_t *n) NV_WUR;

#endif
