/*
 * schema.h - the fields of each model table, as data.
 *
 * One table of field descriptors per record kind drives every loader (a
 * JSON member, a CSV column or a GraphML attribute is looked up by name and
 * parsed by type), the merge of records that several files define, the
 * defaults, and the documentation.  Adding a field is adding a row.
 */
#ifndef NV_SCHEMA_H
#define NV_SCHEMA_H

#include "core/json.h"
#include "model/model.h"

enum nv_ftype {
    NV_F_STR,  /* const char * */
    NV_F_NUM,  /* double within [min, max] */
    NV_F_INT,  /* int64_t within [min, max] */
    NV_F_BOOL, /* int */
    NV_F_ENUM, /* int: an index into names */
    NV_F_STRS, /* struct nv_strs; in text, items are separated by ';' */
    NV_F_REF,  /* struct nv_ref to a record of table target */
    NV_F_REFS  /* struct nv_refs; in text, ids are separated by ';' */
};

#define NV_F_REQUIRED 1u /* the record is invalid without it */
#define NV_F_ID 2u       /* the record's id (always also required) */

struct nv_field {
    const char *name;
    enum nv_ftype type;
    size_t offset;
    unsigned flags;
    const char *const *names; /* NV_F_ENUM */
    int nnames;
    double min, max;      /* NV_F_NUM, NV_F_INT */
    double dflt;          /* NV_F_NUM, NV_F_INT, NV_F_ENUM */
    enum nv_table target; /* NV_F_REF, NV_F_REFS */
};

struct nv_schema {
    const char *name; /* "assets": the JSON key and the CSV file stem */
    const char *noun; /* "asset": for messages */
    size_t size;      /* sizeof the record */
    const struct nv_field *fields;
    int nfields;
};

/* The schema of each table. */
extern const struct nv_schema nv_schemas[NV_T_COUNT];

/* The field of schema s called name[0..len), or NULL. */
const struct nv_field *nv_schema_field(const struct nv_schema *s,
                                       const char *name, size_t len);

/*
 * Append a record with every field at its default to table t of m;
 * *idx receives its index.  The record belongs to src at byte off.
 */
enum nv_rc nv_schema_new_record(struct nv_model *m, enum nv_table t,
                                uint32_t src, size_t off, uint32_t *idx,
                                struct nv_err *err) NV_WUR;

/*
 * Set field f of record rec from text[0..n) (a CSV cell, an attribute),
 * whose first byte is at off in its file.  On NV_EPARSE or NV_ELIMIT,
 * *why says what was expected; the caller adds the position.
 */
enum nv_rc nv_schema_set_text(struct nv_model *m, enum nv_table t,
                              const struct nv_field *f, void *rec,
                              const char *text, size_t n, size_t off,
                              const char **why) NV_WUR;

/* Set field f of record rec from a JSON value (null: not given); as
 * nv_schema_set_text. */
enum nv_rc nv_schema_set_json(struct nv_model *m, enum nv_table t,
                              const struct nv_field *f, void *rec,
                              const struct nv_json *v, const char **why) NV_WUR;

/*
 * The record just appended to table t is complete: check its id (or, in
 * a table without ids, its required fields), then file it under its id.
 * If another file already defined the id, the two are merged and the new
 * record is dropped: fields given in both must agree, except that a field
 * one of them only inferred gives way to the other's (an override is
 * recorded in m->overrides); the same id twice in one file is NV_EDUP.
 */
enum nv_rc nv_schema_commit(struct nv_model *m, enum nv_table t,
                            struct nv_err *err) NV_WUR;

/* Describe a failure to set field f of schema s: "asset field 'layer':
 * unknown value (expected one of: core, ran, ...)". */
void nv_schema_explain(const struct nv_schema *s, const struct nv_field *f,
                       const char *why, char *out, size_t size);

/*
 * Check that every record has its required fields.  A record with an id
 * may leave them to another file's definition of the same id, so this
 * waits until every file is loaded (nv_model_finish calls it); records
 * without ids were checked whole by nv_schema_commit and are skipped.
 */
enum nv_rc nv_schema_check_required(struct nv_model *m,
                                    struct nv_err *err) NV_WUR;

/* Make room for n more records in table t (and its ids), when a loader
 * knows about how many are coming. */
enum nv_rc nv_schema_reserve(struct nv_model *m, enum nv_table t, size_t n,
                             struct nv_err *err) NV_WUR;

/* Drop the record just appended to table t: a record that failed to load
 * leaves nothing behind. */
void nv_schema_drop_last(struct nv_model *m, enum nv_table t);

/*
 * Reading a large table in two halves at once.  The second half's records
 * go to a shadow of m on a thread of their own, while m's own thread reads
 * the first half; then m takes them in after its own, as if read in order.
 *
 * nv_schema_can_split says whether table t of m can be read so: records
 * without ids always can; those with ids, when no field refers to a record
 * of the same table and t is still empty (the second half files its ids
 * in a map of its own, and a record of another file would be merged).
 *
 * nv_schema_shadow makes the shadow: m's maps and other tables, to read
 * (m's thread writes only table t meanwhile), its own arena, and table t
 * empty with an id map of its own.
 *
 * nv_schema_join_shadow appends the shadow's records of table t to m's,
 * gives m the shadow's strings, and files their ids in m's map in order:
 * an id the first half read too is NV_EDUP, reported at the second.
 *
 * nv_schema_shadow_view has the shadow write its records of table t in
 * m's table from record first on, which has room for n there (they are
 * copied out should more come): the second half's place, known when the
 * records of both halves are counted beforehand, which spares copying
 * them when joined.  It fails only for want of memory.
 *
 * nv_schema_shadow_release frees what the shadow owns.
 */
int nv_schema_can_split(const struct nv_model *m, enum nv_table t);
void nv_schema_shadow(struct nv_model *shadow, const struct nv_model *m,
                      enum nv_table t);
enum nv_rc nv_schema_join_shadow(struct nv_model *m, enum nv_table t,
                                 struct nv_model *shadow,
                                 struct nv_err *err) NV_WUR;
enum nv_rc nv_schema_shadow_view(struct nv_model *shadow,
                                 const struct nv_model *m, enum nv_table t,
                                 uint32_t first, uint32_t n) NV_WUR;
void nv_schema_shadow_release(struct nv_model *shadow, enum nv_table t);

#endif
