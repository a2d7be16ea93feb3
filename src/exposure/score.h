/*
 * score.h - how much a flow's exposure matters (docs/score.md).
 *
 * A flow's score is
 *     importance x class weight x max over groups (level weight x
 *     designation weight) x encryption factor
 * with the weights below.  It ranks flows in reports; it is stable: the
 * same model always gives the same scores.
 */
#ifndef NV_SCORE_H
#define NV_SCORE_H

#include "exposure/exposure.h"

/* Weights, indexed by the enums of model.h and exposure.h. */
extern const double nv_score_class_weight[NV_CLASS_COUNT];
extern const double nv_score_level_weight[NV_LEVEL_COUNT];
extern const double nv_score_designation_weight[NV_DESIG_COUNT];

/* What an end-to-end encrypted flow keeps of its risk: the adversary can
 * still cut it and read its metadata, not its content. */
#define NV_SCORE_ENCRYPTED 0.5

/* The score of flow f; *worst receives the group that gives it (NV_NONE
 * when no group reaches f).  groups_mask, if not NULL, limits the groups
 * considered to those with a non-zero entry. */
double nv_score_flow(const struct nv_model *m, const struct nv_exposure *x,
                     uint32_t f, const unsigned char *groups_mask,
                     uint32_t *worst);

/* How much each layer's high-risk share weighs in a network's score:
 * core 3, transport 2, the rest 1 (docs/score.md). */
extern const double nv_score_layer_weight[NV_LAYER_COUNT];

/* The share (0 to 1) of each layer's assets whose vendor is high-risk or
 * prohibited; 0 for a layer without assets. */
void nv_score_layer_shares(const struct nv_model *m,
                           double share[NV_LAYER_COUNT]);

/* The layer part of a network's score: 10 x the sum over layers of the
 * layer's weight x the share (0 to 1) of its assets whose vendor is
 * high-risk or prohibited. */
double nv_score_layers(const struct nv_model *m);

/* The worst level at which any high-risk or prohibited group reaches
 * flow f, and in *group that group (NV_NONE if none). */
enum nv_level nv_score_hostile_level(const struct nv_exposure *x, uint32_t f,
                                     uint32_t *group);

/* Whether group g is high-risk or prohibited. */
int nv_score_hostile(const struct nv_exposure *x, uint32_t g);

#endif
