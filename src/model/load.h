/*
 * load.h - reading models from the formats real users have.
 *
 * One call per file; the format is chosen by what the path is and what it
 * holds (docs/formats.md):
 *   a directory            CSV bundle (sites.csv, assets.csv, links.csv,
 *                          flows.csv, and optionally entities.csv and
 *                          partners.csv)
 *   TABLE.csv              one table of a CSV bundle (entities.csv ...)
 *   *.graphml              GraphML topology (Internet Topology Zoo)
 *   JSON with "bomFormat"  CycloneDX 1.5/1.6 SBOM
 *   JSON with "netvet"     the native model
 *   other JSON with nodes  SNDlib network (node-link form)
 * Several files make one model; see docs/model.md for what merges.
 */
#ifndef NV_LOAD_H
#define NV_LOAD_H

#include "model/model.h"

/* Largest input file accepted. */
#define NV_LOAD_MAX_FILE ((size_t)4 << 30)

/* Add the records of path to m (not yet finished).  On failure m holds
 * part of the file and must be freed. */
enum nv_rc nv_load_file(struct nv_model *m, const char *path,
                        struct nv_err *err) NV_WUR;

/* Add the records of a native JSON model held in memory, text[0..len),
 * known by name in errors (a stored snapshot: "STORE@ID"). */
enum nv_rc nv_load_text(struct nv_model *m, const char *name, const char *text,
                        size_t len, struct nv_err *err) NV_WUR;

/* Load every path into a new model and finish it; *out is set only on
 * success and is freed with nv_model_free. */
enum nv_rc nv_load_model(const char *const *paths, size_t n,
                         struct nv_model **out, struct nv_err *err) NV_WUR;

/* The same, ticking p (NULL: none) through each native JSON file by the
 * bytes read: the model files that grow large. */
enum nv_rc nv_load_model_progress(const char *const *paths, size_t n,
                                  struct nv_progress *p, struct nv_model **out,
                                  struct nv_err *err) NV_WUR;

#endif
