/*
 * mdiff.h - what changed between two versions of a model: records added,
 * removed, and changed field by field (docs/store.md).
 *
 * Records are matched by id; links, which have none, by their two ends
 * (in either order) and, for parallel links, their rank among the links
 * between the same ends.  Fields are compared by value through the
 * schema tables (schema.h), so a field added to the schema is compared
 * without a line here.
 */
#ifndef NV_MDIFF_H
#define NV_MDIFF_H

#include "core/buf.h"
#include "model/model.h"

enum nv_mdiff_kind { NV_MDIFF_ADDED, NV_MDIFF_REMOVED, NV_MDIFF_CHANGED };

/* "added", "removed", "changed". */
extern const char *const nv_mdiff_kind_names[3];

struct nv_mdiff_item {
    enum nv_table table;
    enum nv_mdiff_kind kind;
    uint32_t a, b;   /* the record in the old and the new model, or NV_NONE */
    uint32_t fields; /* changed: bit i set when schema field i differs */
};

struct nv_mdiff {
    struct nv_mdiff_item *v; /* by table; within one, old order, then new */
    uint32_t n;
    uint32_t count[NV_T_COUNT][3]; /* per table and kind */
};

/* The differences from a to b (both finished) into d; release with
 * nv_mdiff_release. */
enum nv_rc nv_mdiff_compute(const struct nv_model *a, const struct nv_model *b,
                            struct nv_mdiff *d, struct nv_err *err) NV_WUR;

void nv_mdiff_release(struct nv_mdiff *d);

/* Append what names record i of table t of m to out: its id, or for a
 * link "A -- B". */
enum nv_rc nv_mdiff_key(const struct nv_model *m, enum nv_table t, uint32_t i,
                        struct nv_buf *out) NV_WUR;

/* Append field f (a schema index) of record i of table t of m to out as
 * text ("" for an absent string, lists joined by ';'). */
enum nv_rc nv_mdiff_value(const struct nv_model *m, enum nv_table t, uint32_t i,
                          int f, struct nv_buf *out) NV_WUR;

#endif
