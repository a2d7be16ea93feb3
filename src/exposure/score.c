/*
 * score.c - the flow risk score.
 */
#include "exposure/score.h"

const double nv_score_class_weight[NV_CLASS_COUNT] = {1, 2, 3, 4, 5};
const double nv_score_level_weight[NV_LEVEL_COUNT] = {0, 0.2, 0.4, 0.6, 1};
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

const double nv_score_layer_weight[NV_LAYER_COUNT] = {3, 1, 2, 1, 1, 1, 1};

void nv_score_layer_shares(const struct nv_model *m,
                           double share[NV_LAYER_COUNT])
{
    uint32_t all[NV_LAYER_COUNT] = {0}, bad[NV_LAYER_COUNT] = {0};

    for (uint32_t a = 0; a < NV_COUNT(m, NV_T_ASSET); a++) {
        const struct nv_asset *as = &NV_ASSETS(m)[a];
        all[as->layer]++;
        bad[as->layer] +=
            as->entity != NV_NONE &&
            nv_model_designation(m, as->entity) >= NV_DESIG_HIGH_RISK;
    }
    for (int l = 0; l < NV_LAYER_COUNT; l++)
        share[l] = all[l] ? (double)bad[l] / all[l] : 0;
}

double nv_score_layers(const struct nv_model *m)
{
    double share[NV_LAYER_COUNT], sum = 0;

    nv_score_layer_shares(m, share);
    for (int l = 0; l < NV_LAYER_COUNT; l++)
        sum += nv_score_layer_weight[l] * share[l];
    return 10 * sum;
}

enum nv_level nv_score_hostile_level(const struct nv_exposure *x, uint32_t f,
                                     uint32_t *group)
{
    enum nv_level worst = NV_LEVEL_NONE;

    *group = NV_NONE;
    for (uint32_t g = 0; g < x->groups.n; g++) {
        enum nv_level lv = nv_exposure_level(x, f, g);
        if (nv_score_hostile(x, g) && lv > worst) {
            worst = lv;
            *group = g;
        }
    }
    return worst;
}
