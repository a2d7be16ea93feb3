/*
 * costs.h - replacement costs from a file: `netvet plan --costs FILE`
 * (format in docs/formats.md).
 *
 *   asset,kind,layer,cost
 *   ,,ran,45000
 *   ,nf,core,120000
 *   enb-0042,,,15000
 *
 * A CSV file with a header; each row gives the cost of replacing the
 * assets it matches (an empty cell matches anything).  The cost of an
 * asset is, from the most specific down: the row naming it; its own
 * replacement_cost in the model; the row of its kind and layer; of its
 * layer; of its kind; the row of empty cells; the default of its layer
 * (nv_plan_default_cost).
 */
#ifndef NV_COSTS_H
#define NV_COSTS_H

#include "model/model.h"

struct nv_costs;

/*
 * Read the costs in text[0..len) of file name for the assets of m (a
 * finished model; rows naming an asset must name one of m's).  Errors
 * are NV_EPARSE (or NV_ELIMIT) with FILE:LINE:COL.  *out is set only on
 * success; free it with nv_costs_free.
 */
enum nv_rc nv_costs_load(const struct nv_model *m, const char *name,
                         const char *text, size_t len, struct nv_costs **out,
                         struct nv_err *err) NV_WUR;

void nv_costs_free(struct nv_costs *c);

/* The cost of replacing asset a of m, by the order above; c (loaded for
 * m) may be NULL: the asset's own, else its layer's default. */
double nv_costs_of(const struct nv_costs *c, const struct nv_model *m,
                   uint32_t a);

#endif
