/*
 * findings.h - one version of a network analysed, and what changed in
 * the findings between two versions (docs/store.md): per flow and vendor
 * group the exposure level that rose or fell, policy violations new and
 * resolved, release decisions that changed, and the risk score's change
 * with the flows that moved it.
 *
 * Flows, groups, rules and partners are matched by id across the two
 * versions, so the models need not have the same records in the same
 * order.  Levels are compared through their enum, so a level added to
 * exposure.h is compared without a change here.
 */
#ifndef NV_FINDINGS_H
#define NV_FINDINGS_H

#include "policy/release.h"

/* What netvet finds in one model. */
struct nv_findings {
    const struct nv_model *m; /* borrowed */
    struct nv_exposure x;
    struct nv_violation *v; /* with a policy; else NULL */
    uint32_t nv;
    double *score;          /* per flow (score.h) */
    double network, layers; /* the network's score and its layer part */
};

/*
 * Analyse m (finished): exposure, and when p is not NULL the violations
 * of p's rules in force on date, and the scores.  threads as in
 * nv_exposure_compute.  Release with nv_findings_release.
 */
enum nv_rc nv_findings_compute(const struct nv_model *m,
                               const struct nv_policy *p, const char *date,
                               int threads, struct nv_findings *f,
                               struct nv_err *err) NV_WUR;

void nv_findings_release(struct nv_findings *f);

/* A flow's level for one group, before and after. */
struct nv_fdiff_level {
    uint32_t fa, fb;   /* the flow in the old and new model (fa NV_NONE:
                          a new flow) */
    const char *group; /* the group's id */
    enum nv_level from, to;
    int hostile; /* the group is high-risk or prohibited */
};

/* A violation of one version that the other does not have. */
struct nv_fdiff_violation {
    const struct nv_violation *v;
    const struct nv_model *m; /* the model v is about */
    int added;                /* 1: new; 0: resolved */
    int error;                /* its rule's severity is error */
};

/* A release decision that changed. */
struct nv_fdiff_release {
    uint32_t partner, flow; /* in the new model */
    enum nv_class c;
    enum nv_release from, to;
    char why[160]; /* the new decision's reason */
};

/* A flow whose score changed. */
struct nv_fdiff_score {
    const char *flow;
    double from, to;
};

struct nv_fdiff {
    struct nv_fdiff_level *levels;
    uint32_t nlevels;
    struct nv_fdiff_violation *violations;
    uint32_t nviolations;
    struct nv_fdiff_release *releases;
    uint32_t nreleases;
    struct nv_fdiff_score *scores; /* largest change first */
    uint32_t nscores;
    double network[2], layers[2]; /* old, new */
    uint32_t rose;       /* hostile levels that rose (new flows count) */
    uint32_t new_errors; /* new violations of rules of severity error */
};

/* The changes from a to b, both analysed under the same policy p (NULL:
 * none); release with nv_fdiff_release.  d borrows strings and
 * violations from a and b: keep them until d is released. */
enum nv_rc nv_fdiff_compute(const struct nv_findings *a,
                            const struct nv_findings *b,
                            const struct nv_policy *p, struct nv_fdiff *d,
                            struct nv_err *err) NV_WUR;

void nv_fdiff_release(struct nv_fdiff *d);

/* Whether the change made things worse: a flow's exposure to a
 * high-risk or prohibited group rose, or a rule of severity error is
 * newly broken.  What `netvet diff` gates on. */
int nv_fdiff_worse(const struct nv_fdiff *d);

#endif
