/*
 * wargame.h - the blast radius of one hostile group: what it could read,
 * observe or cut, and which sites go dark without it.
 */
#ifndef NV_WARGAME_H
#define NV_WARGAME_H

#include "exposure/exposure.h"

/* Per sector and classification: flows the group can read (unencrypted,
 * on every path or on the route), only observe (encrypted: metadata),
 * cut (on every path), or could be put on (on some path). */
struct nv_wg_cell {
    const char *sector;
    enum nv_class cls;
    uint32_t read, observe, cut, could, flows;
};

struct nv_wargame {
    uint32_t group;
    struct nv_wg_cell *cells; /* sorted by sector, then class (high first) */
    uint32_t ncells;
    struct nv_wg_cell total;
    uint32_t *dark_sites; /* sites whose every asset is the group's */
    uint32_t ndark;
    int64_t dark_population; /* people those sites serve (known ones) */
};

/* The war game of group g of x on m; release with nv_wargame_release. */
enum nv_rc nv_wargame_run(const struct nv_model *m, const struct nv_exposure *x,
                          uint32_t g, struct nv_wargame *w,
                          struct nv_err *err) NV_WUR;

void nv_wargame_release(struct nv_wargame *w);

/* Whether flow f's traffic passes through the group (must or routed). */
int nv_wargame_on_route(const struct nv_exposure *x, uint32_t f, uint32_t g);

#endif
