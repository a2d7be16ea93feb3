/*
 * posture.h - a network's standing in a few numbers, for one snapshot:
 * how many flows a high-risk or prohibited group reaches at each level,
 * how many flows have each vendor and country margin, the risk score,
 * violations by rule, and the high-risk share of each layer.  `netvet store
 * posture` prints one row per snapshot, and keeps each row in the store (as
 * JSON) so that it is computed once per snapshot, policy and netvet version.
 */
#ifndef NV_POSTURE_H
#define NV_POSTURE_H

#include "core/json.h"
#include "store/findings.h"

struct nv_posture_rule {
    char id[64];
    uint32_t n; /* violations */
    int error;  /* severity error */
};

struct nv_posture {
    uint32_t flows[NV_LEVEL_COUNT]; /* by the worst level of a high-risk or
                                       prohibited group ([0]: none) */
    double score, layers;           /* network score and its layer part */
    double share[NV_LAYER_COUNT];   /* high-risk share of each layer, 0..1 */
    /* Flows by margin (margin.h), for vendors and countries: [k] for k
     * 0 (ends not connected) to NV_MARGIN_MAX + 1 (more); all 0 and
     * margins_known 0 when the margins could not be worked out. */
    uint32_t margins[NV_MARGIN_KINDS][NV_MARGIN_MAX + 2];
    int margins_known;
    uint32_t violations, errors;
    struct nv_posture_rule *rules; /* every rule of the policy, in order */
    uint32_t nrules;
};

/* The posture of f, analysed under p (NULL: no rules); release with
 * nv_posture_release. */
enum nv_rc nv_posture_compute(const struct nv_findings *f,
                              const struct nv_policy *p, struct nv_posture *out,
                              struct nv_err *err) NV_WUR;

void nv_posture_release(struct nv_posture *ps);

/* Write ps as one JSON object. */
void nv_posture_write(const struct nv_posture *ps, struct nv_jsonw *w);

/* Read back what nv_posture_write wrote (text[0..len), called name in
 * errors); anything else is NV_EPARSE. */
enum nv_rc nv_posture_read(const char *text, size_t len, const char *name,
                           struct nv_posture *out, struct nv_err *err) NV_WUR;

#endif
