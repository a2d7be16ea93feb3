/*
 * wargame.h - the blast radius of one hostile group: what it could read,
 * observe or cut, and which sites go dark without it.
 */
#ifndef NV_WARGAME_H
#define NV_WARGAME_H

#include "exposure/exposure.h"
#include "exposure/routes.h"

/* Per sector and classification: flows the group can read (unencrypted,
 * on every path or on the route), only observe (encrypted: metadata),
 * cut (on every path), gets onto after one failure (failover), or could
 * be put on (on some path only). */
struct nv_wg_cell {
    const char *sector;
    enum nv_class cls;
    uint32_t read, observe, cut, failover, could, flows;
};

/* One of the group's assets and the critical traffic it carries alone:
 * the flows (read or observed) whose every route passes through it,
 * weighted by importance x class weight (score.h). */
struct nv_wg_asset {
    uint32_t asset;
    uint32_t flows;
    double traffic;
};

struct nv_wargame {
    uint32_t group;
    struct nv_wg_cell *cells; /* sorted by sector, then class (high first) */
    uint32_t ncells;
    struct nv_wg_cell total;
    uint32_t *dark_sites; /* sites whose every asset is the group's */
    uint32_t ndark;
    int64_t dark_population;    /* people those sites serve (known ones) */
    struct nv_wg_asset *ranked; /* assets carrying traffic alone, most
                                   first */
    uint32_t nranked;
};

/* The war game of group g of x on m; release with nv_wargame_release. */
enum nv_rc nv_wargame_run(const struct nv_model *m, const struct nv_exposure *x,
                          uint32_t g, struct nv_wargame *w,
                          struct nv_err *err) NV_WUR;

void nv_wargame_release(struct nv_wargame *w);

/* The assets that every route of flow f passes through (its declared
 * path; else its ends and the dominators of its destination in the route
 * DAG), into out (room for every asset); returns how many.  r is search
 * scratch, fails room for twice the assets. */
enum nv_rc nv_wargame_route_core(struct nv_routes *r, uint32_t f,
                                 struct nv_fail *fails, uint32_t *out,
                                 uint32_t *n) NV_WUR;

/* Whether flow f's traffic passes through the group (must or routed). */
int nv_wargame_on_route(const struct nv_exposure *x, uint32_t f, uint32_t g);

#endif
