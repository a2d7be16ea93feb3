/*
 * groups.h - the vendor groups whose reach exposure measures.
 *
 * A group is a set of assets one adversary could control:
 *   vendor:<entity>        assets made by the entity or any of its
 *                          subsidiaries (a parent answers for them);
 *   country:<CC>           assets whose maker, or any owner up its chain,
 *                          is in country CC: the coalition one state can
 *                          compel, reaching subsidiaries abroad;
 *   designation:<class>    assets whose maker's designation (the most
 *                          severe up its chain) is high-risk, or
 *                          prohibited.
 * Groups may overlap.  Assets of unresolved vendors belong to no group.
 */
#ifndef NV_GROUPS_H
#define NV_GROUPS_H

#include "model/model.h"

enum nv_group_kind { NV_GROUP_VENDOR, NV_GROUP_COUNTRY, NV_GROUP_DESIGNATION };

struct nv_group {
    enum nv_group_kind kind;
    char id[80];     /* "vendor:huawei", "country:CN", ... */
    uint32_t entity; /* vendor groups: the entity; else NV_NONE */
    enum nv_designation designation; /* the group's worst designation */
    uint32_t nassets;
};

struct nv_groups {
    struct nv_group *v;
    uint32_t n;
    uint32_t *off; /* asset a belongs to groups grp[off[a] .. off[a+1]) */
    uint32_t *grp;
    uint32_t *aoff; /* group g has assets asset[aoff[g] .. aoff[g+1]) */
    uint32_t *asset;
};

/* Work out the groups of m (finished) and who belongs to them; release
 * with nv_groups_release.  Vendor groups come first (by entity order),
 * then countries (alphabetical), then designations. */
enum nv_rc nv_groups_build(const struct nv_model *m, struct nv_groups *gs,
                           struct nv_err *err) NV_WUR;

void nv_groups_release(struct nv_groups *gs);

/*
 * The sites whose assets are all in group g (sites without assets are
 * not counted): what goes dark if the group's equipment is switched off
 * or removed.  *sites (freed by the caller with nv_free) lists them; *pop
 * sums the population they serve where it is known.
 */
enum nv_rc nv_groups_sole_sites(const struct nv_model *m,
                                const struct nv_groups *gs, uint32_t g,
                                uint32_t **sites, uint32_t *n,
                                int64_t *pop) NV_WUR;

/* The index of the group with this id, or NV_NONE. */
uint32_t nv_groups_find(const struct nv_groups *gs, const char *id);

/* The groups of asset a as a bitset of words 64-bit words. */
void nv_groups_bits(const struct nv_groups *gs, uint32_t a, uint32_t words,
                    uint64_t *bits);

/* to |= from, bitsets of words 64-bit words. */
void nv_groups_or(uint64_t *to, const uint64_t *from, uint32_t words);

#endif
