/*
 * load_int.h - the per-format loaders behind load.h.  Each adds the
 * records of one file, registered as source src, whose bytes are text.
 */
#ifndef NV_LOAD_INT_H
#define NV_LOAD_INT_H

#include "core/json.h"
#include "model/model.h"
#include "model/schema.h"

enum nv_rc nv_load_native(struct nv_model *m, uint32_t src, const char *text,
                          size_t len, struct nv_err *err) NV_WUR;
enum nv_rc nv_load_csv_bundle(struct nv_model *m, const char *dir,
                              struct nv_err *err) NV_WUR;
enum nv_rc nv_load_csv_table(struct nv_model *m, enum nv_table t, uint32_t src,
                             const char *text, size_t len,
                             struct nv_err *err) NV_WUR;
enum nv_rc nv_load_graphml(struct nv_model *m, uint32_t src, const char *text,
                           size_t len, struct nv_err *err) NV_WUR;
enum nv_rc nv_load_sndlib(struct nv_model *m, uint32_t src,
                          const struct nv_json *root, const char *text,
                          size_t len, struct nv_err *err) NV_WUR;
enum nv_rc nv_load_cyclonedx(struct nv_model *m, uint32_t src,
                             const struct nv_json *root, const char *text,
                             size_t len, struct nv_err *err) NV_WUR;

/*
 * Set a record's field from a JSON object's members, the way every JSON
 * loader does: unknown members are errors unless their name starts with
 * "x-"; errors carry the member's position.  Then commit the record.
 */
enum nv_rc nv_load_json_record(struct nv_model *m, enum nv_table t,
                               uint32_t src, const struct nv_json *obj,
                               const char *text, size_t len,
                               struct nv_err *err) NV_WUR;

/* Add a record to table t whose fields are given as name/text pairs
 * (NULL-terminated); the generated loaders use this. */
enum nv_rc nv_load_pairs(struct nv_model *m, enum nv_table t, uint32_t src,
                         size_t off, const char *const *pairs,
                         struct nv_err *err) NV_WUR;

/* The same, where the fields named in inferred (NULL-terminated) are only
 * inferred (a topology's "router", a region from a country): defaults
 * that another file's definition of the record overrides. */
enum nv_rc nv_load_pairs_inferred(struct nv_model *m, enum nv_table t,
                                  uint32_t src, size_t off,
                                  const char *const *pairs,
                                  const char *const *inferred,
                                  struct nv_err *err) NV_WUR;

#endif
