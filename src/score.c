/*
 * score.c - the flow risk score.
 */
#include "score.h"

const double nv_score_class_weight[NV_CLASS_COUNT] = {1, 2, 3, 4, 5};
const double nv_score_level_weight[NV_LEVEL_COUNT] = {0, 0.2, 0.6, 1};
const double nv_score_designation_weight[NV_DESIG_COUNT] = {0.05, 0.2, 0.8, 1};

int nv_score_hostile(const struct nv_exposure *x, uint32_t g)
{
    return x->groups.v[g].designation >= NV_DESIG_HIGH_RISK;
}

double nv_score_flow(const struct nv_model *m, const struct nv_exposure *x,
                     uint32_t f, const unsigned char *groups_mask,
                     uint32_t *worst)
{
    const struct nv_flow *fl = &NV_FLOWS(m)[f];
    double best = 0;

    *worst = NV_NONE;
    for (uint32_t g = 0; g < x->groups.n; g++) {
        double w = nv_score_level_weight[nv_exposure_level(x, f, g)] *
                   nv_score_designation_weight[x->groups.v[g].designation];
        if ((!groups_mask || groups_mask[g]) && w > best) {
            best = w;
            *worst = g;
        }
    }
    return fl->importance * nv_score_class_weight[fl->classification] * best *
           (fl->encrypted ? NV_SCORE_ENCRYPTED : 1);
}
