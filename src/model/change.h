/*
 * change.h - a proposed purchase or replacement, applied to a copy of a
 * model so that policies can judge it before it is made.
 *
 * The change file (docs/policy.md):
 *   {"remove": ["asset id", ...],
 *    "replace": [{"id": "asset id", "vendor": "Ericsson", ...}, ...],
 *    "add": {"assets": [...], "links": [...], "sites": [...]}}
 * Removing an asset removes its links; replacing sets the given fields
 * of an existing asset (the rest stay); adding adds native-model records.
 */
#ifndef NV_CHANGE_H
#define NV_CHANGE_H

#include "model/model.h"

/* The model m would be after the change in file path (text[0..len));
 * *out is a new finished model, freed with nv_model_free. */
enum nv_rc nv_change_apply(const struct nv_model *m, const char *path,
                           const char *text, size_t len, struct nv_model **out,
                           struct nv_err *err) NV_WUR;

#endif
