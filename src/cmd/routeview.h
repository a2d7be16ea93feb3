/*
 * routeview.h - a flow's route shown to people (hop by hop, with the
 * failures that move it) and to programs (--routes in JSON).
 */
#ifndef NV_ROUTEVIEW_H
#define NV_ROUTEVIEW_H

#include "core/json.h"
#include "exposure/culprits.h"

/* Routes counted up to this many; more is said as "at least". */
#define NV_ROUTEVIEW_CAP 1000

/* "route": one least-cost route of flow f (its declared path if it has
 * one), "routes": how many there are, "routes_capped": whether the count
 * stopped at NV_ROUTEVIEW_CAP.  path is scratch for every asset. */
void nv_routeview_json(struct nv_jsonw *w, struct nv_culprits *cf, uint32_t f,
                       uint32_t *path);

/* Print flow f's route hop by hop, its number of equal-cost routes, the
 * single failures that bring a group shown[] onto it, and the culprits of
 * its worst exposure.  Returns an exit code. */
int nv_routeview_print(struct nv_culprits *cf, uint32_t f,
                       const unsigned char *shown);

#endif
