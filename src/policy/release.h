/*
 * release.h - whether information of one classification may travel over
 * one partner channel (a flow): allowed, allowed only if encrypted end to
 * end, or denied.  A channel is judged by the worst level at which a
 * high-risk or prohibited group reaches it, against the policy's release
 * thresholds (docs/policy.md).
 */
#ifndef NV_RELEASE_H
#define NV_RELEASE_H

#include "exposure/culprits.h"
#include "policy/policy.h"

enum nv_release {
    NV_RELEASE_ALLOW,
    NV_RELEASE_IF_ENCRYPTED,
    NV_RELEASE_DENY,
    NV_RELEASE_COUNT
};

/* "allow", "allow-if-encrypted", "deny". */
extern const char *const nv_release_names[NV_RELEASE_COUNT];

struct nv_release_cell {
    enum nv_release d;
    char why[400]; /* which group, at which level, and which pack's
                      statement decided it */
};

/* The decision for channel f of m (exposure x) at class c under p. */
void nv_release_decide(const struct nv_model *m, const struct nv_exposure *x,
                       const struct nv_policy *p, uint32_t f, enum nv_class c,
                       struct nv_release_cell *out);

/* Append to cell's reason the assets of the group that decided it (the
 * culprits of the worst hostile exposure of channel f), cut short with
 * "..." if they do not fit. */
void nv_release_name_assets(struct nv_culprits *cf, uint32_t f,
                            struct nv_release_cell *cell);

#endif
