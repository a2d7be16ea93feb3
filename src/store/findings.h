/*
 * findings.h - one version of a network analysed, and what changed in
 * the findings between two versions (docs/store.md): per flow and vendor
 * group the exposure level that rose or fell, per flow the vendor and
 * country margins (margin.h) that rose or fell, policy violations new
 * and resolved, release decisions that changed, and the risk score's
 * change with the flows that moved it.
 *
 * Flows, groups, rules and partners are matched by id across the two
 * versions, so the models need not have the same records in the same
 * order.  Levels are compared through their enum, so a level added to
 * exposure.h is compared without a change here.
 */
#ifndef NV_FINDINGS_H
#define NV_FINDINGS_H

#include "exposure/margin.h"
#include "policy/release.h"

/* The kinds of group margins are worked out for: [0] vendor, [1]
 * country. */
#define NV_MARGIN_KINDS 2
extern const char *const nv_margin_kind_names[NV_MARGIN_KINDS];

/* What netvet finds in one model. */
struct nv_findings {
    const struct nv_model *m; /* borrowed */
    struct nv_exposure x;
    struct nv_violation *v; /* with a policy; else NULL */
    uint32_t nv;
    double *score;          /* per flow (score.h) */
    double network, layers; /* the network's score and its layer part */
    /* Per flow, the margin for vendors ([0]) and countries ([1]); both
     * NULL when so many groups reach the flows that the margins cannot
     * be worked out (margin.h: NV_ELIMIT). */
    struct nv_margin *margin[NV_MARGIN_KINDS];
};

/*
 * Analyse m (finished): exposure, margins, and when p is not NULL the
 * violations of p's rules in force on date, and the scores.  threads as in
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
    char why[400]; /* the new decision's reason (a release cell's) */
};

/* A flow's margin for one kind of group that changed: k as in
 * struct nv_margin (0: ends not connected; NV_MARGIN_MAX + 1: more). */
struct nv_fdiff_margin {
    uint32_t fa, fb; /* the flow in the old and new model (fa NV_NONE: a
                        new flow, counted from more than NV_MARGIN_MAX) */
    int kind;        /* index into nv_margin_kind_names */
    struct nv_margin from, to;
    int fell; /* fewer groups can now cut the flow (both connected) */
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
    struct nv_fdiff_margin *margins; /* flows in b's order, vendor first */
    uint32_t nmargins;
    int margins_known; /* both versions have margins (findings.margin) */
    struct nv_fdiff_score *scores; /* largest change first */
    uint32_t nscores;
    double network[2], layers[2]; /* old, new */
    uint32_t rose;       /* hostile levels that rose (new flows count) */
    uint32_t new_errors; /* new violations of rules of severity error */
    uint32_t fell;       /* margins that fell (new flows count) */
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
