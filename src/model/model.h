/*
 * model.h - the network model: entities, sites, assets, links, flows and
 * partners (see docs/model.md).
 *
 * A model is built by loading one or more files (load.h) and then
 * finished: references by string id are resolved to dense indices, vendor
 * strings are resolved to entities, and the asset graph is compressed
 * (CSR).  After nv_model_finish the model is read-only and all its memory
 * belongs to its arena.
 */
#ifndef NV_MODEL_H
#define NV_MODEL_H

#include "core/arena.h"
#include "core/err.h"
#include "core/file.h"
#include "core/strmap.h"

#include <stddef.h>
#include <stdint.h>

struct nv_progress;

#define NV_NONE UINT32_MAX /* an index that refers to nothing */

enum nv_asset_kind {
    NV_KIND_DEVICE,
    NV_KIND_FIRMWARE,
    NV_KIND_SOFTWARE,
    NV_KIND_NF,
    NV_KIND_APP,
    NV_KIND_COUNT
};

enum nv_layer {
    NV_LAYER_CORE,
    NV_LAYER_RAN,
    NV_LAYER_TRANSPORT,
    NV_LAYER_EDGE,
    NV_LAYER_MANAGEMENT,
    NV_LAYER_OSS,
    NV_LAYER_ENDPOINT,
    NV_LAYER_COUNT
};

enum nv_class {
    NV_CLASS_UNCLASSIFIED,
    NV_CLASS_RESTRICTED,
    NV_CLASS_CONFIDENTIAL,
    NV_CLASS_SECRET,
    NV_CLASS_TOP_SECRET,
    NV_CLASS_COUNT
};

enum nv_designation {
    NV_DESIG_TRUSTED,
    NV_DESIG_STANDARD,
    NV_DESIG_HIGH_RISK,
    NV_DESIG_PROHIBITED,
    NV_DESIG_COUNT
};

/* The names used in files ("core", "top-secret", "high-risk"). */
extern const char *const nv_asset_kind_names[NV_KIND_COUNT];
extern const char *const nv_layer_names[NV_LAYER_COUNT];
extern const char *const nv_class_names[NV_CLASS_COUNT];
extern const char *const nv_designation_names[NV_DESIG_COUNT];

/* Where a record came from: which loaded file, at which byte. */
struct nv_rec {
    uint32_t set;      /* bit i: field i of the record's schema was given */
    uint32_t inferred; /* bit i: field i was only inferred by its loader (a
                          topology's "router"), a default that a later
                          file may override */
    uint32_t src;      /* index into nv_model.sources */
    size_t off;        /* byte offset of the record in that file */
};

/* A reference by string id, resolved to an index by nv_model_finish. */
struct nv_ref {
    const char *id; /* NULL: no reference */
    size_t off;     /* byte offset of the id in the record's file */
    uint32_t idx;   /* NV_NONE until resolved */
};

struct nv_strs {
    const char **v;
    uint32_t n;
};

struct nv_refs {
    struct nv_ref *v;
    uint32_t n;
};

struct nv_entity {
    struct nv_rec rec;
    const char *id, *name, *country; /* country: ISO 3166 alpha-2 or NULL */
    struct nv_strs aliases;
    enum nv_designation designation;
    struct nv_ref parent; /* an entity */
    uint32_t root;        /* ultimate parent (itself if none) */
    int origin;           /* enum nv_origin: who defined it */
};

/* Who defined an entity: the model's files, the built-in catalogue
 * (catalogue.h), or a restricted-party list (screening). */
enum nv_origin { NV_ORIGIN_MODEL, NV_ORIGIN_CATALOGUE, NV_ORIGIN_LIST };

/* How a vendor string found its entity (resolve.h says the order). */
enum nv_resolve_method {
    NV_RESOLVE_EXACT,
    NV_RESOLVE_NORMALISED, /* legal forms removed */
    NV_RESOLVE_CATALOGUE,
    NV_RESOLVE_LIST,
    NV_RESOLVE_FUZZY,
    NV_RESOLVE_REVIEW, /* a fuzzy match held back for review */
    NV_RESOLVE_NONE,   /* unresolved */
    NV_RESOLVE_COUNT
};

/* One distinct vendor string that did not resolve exactly. */
struct nv_vendor_res {
    const char *vendor; /* as found (model arena) */
    uint32_t entity;    /* NV_NONE when unresolved or held for review */
    uint32_t candidate; /* review: the entity it would have been */
    enum nv_resolve_method method;
    double score;        /* 1 except for fuzzy and review */
    const char *matched; /* the name or alias that matched, or NULL */
};

struct nv_site {
    struct nv_rec rec;
    const char *id, *name, *region;
    double lat, lon; /* NAN when unknown */
    struct nv_strs tags;
    int64_t population; /* -1 when unknown */
};

struct nv_asset {
    struct nv_rec rec;
    const char *id, *vendor, *model, *version, *sha256;
    enum nv_asset_kind kind;
    enum nv_layer layer;
    struct nv_ref site;      /* a site */
    double replacement_cost; /* NAN when unknown */
    int transit;        /* forwards traffic between other assets; when no file
                           says, true except in the ran and endpoint layers */
    uint32_t entity;    /* resolved vendor entity, or NV_NONE */
    const char *serial; /* the maker's serial number */
    struct nv_strs tags;
};

struct nv_link {
    struct nv_rec rec;
    struct nv_ref a, b; /* assets */
    double cost;        /* routing weight, > 0; 1 by default */
    double capacity;    /* Gbit/s; NAN when unknown */
};

struct nv_flow {
    struct nv_rec rec;
    const char *id, *sector;
    struct nv_ref src, dst; /* assets */
    double importance;      /* weight >= 0; 1 by default */
    enum nv_class classification;
    int encrypted;
    struct nv_refs path; /* declared path of assets, or n == 0 */
};

struct nv_partner {
    struct nv_rec rec;
    const char *id, *name;
    struct nv_refs channels; /* flows */
};

/* The asset graph in compressed sparse row form: the neighbours of asset
 * v are adj[off[v] .. off[v + 1]), reached through link[...] of the same
 * positions.  Every link appears twice (once from each end); a self-loop
 * twice at the same asset. */
struct nv_graph {
    uint32_t n;     /* assets */
    uint32_t *off;  /* n + 1 */
    uint32_t *adj;  /* 2 * links */
    uint32_t *link; /* 2 * links: the link index of each half-edge */
    double *cost;   /* 2 * links: the link's cost, kept beside adj because
                       shortest-path searches read it with every step */
};

/* A growable array of records during loading. */
struct nv_vec {
    void *v;
    uint32_t n, cap;
};

enum nv_table {
    NV_T_ENTITY,
    NV_T_SITE,
    NV_T_ASSET,
    NV_T_LINK,
    NV_T_FLOW,
    NV_T_PARTNER,
    NV_T_COUNT
};

/* A field that one file gave over what an earlier one only inferred
 * (inspect reports them). */
struct nv_override {
    enum nv_table table;
    uint32_t rec;      /* the record's index */
    int field;         /* its schema field */
    uint32_t from, by; /* the sources that inferred and that gave it */
};

struct nv_model {
    struct nv_arena arena;
    struct nv_vec t[NV_T_COUNT];        /* the records of each table */
    struct nv_strmap ids[NV_T_COUNT];   /* id -> index (links have none) */
    const uint32_t *sorted[NV_T_COUNT]; /* a snapshot's index instead: the
                                           records in the order of their ids
                                           (in backing) */
    size_t forward[NV_T_COUNT];         /* references each table's records were
                                           given that nv_model_finish resolves (to
                                           records loaded later, and lists); the
                                           others were resolved as they came */
    const char **sources;               /* loaded files, in order */
    uint32_t nsources;
    struct nv_override *overrides;
    size_t noverrides, overrides_cap;
    struct nv_graph graph; /* valid after nv_model_finish */
    int finished;
    struct nv_vendor_res *vres; /* non-exact resolutions, in order found */
    uint32_t nvres;
    size_t vres_cap;
    struct nv_file backing;       /* a binary snapshot the records lie in */
    unsigned borrowed;            /* bit t: table t's records lie in backing
                                     (copied out before it grows) */
    struct nv_progress *progress; /* borrowed: ticked while loading */
};

/* Typed views of the tables (valid after loading). */
#define NV_ENTITIES(m) ((struct nv_entity *)(m)->t[NV_T_ENTITY].v)
#define NV_SITES(m) ((struct nv_site *)(m)->t[NV_T_SITE].v)
#define NV_ASSETS(m) ((struct nv_asset *)(m)->t[NV_T_ASSET].v)
#define NV_LINKS(m) ((struct nv_link *)(m)->t[NV_T_LINK].v)
#define NV_FLOWS(m) ((struct nv_flow *)(m)->t[NV_T_FLOW].v)
#define NV_PARTNERS(m) ((struct nv_partner *)(m)->t[NV_T_PARTNER].v)
#define NV_COUNT(m, table) ((m)->t[table].n)

/* An empty model, or NULL when memory is exhausted. */
struct nv_model *nv_model_new(void);

/* Free the model and everything it owns; NULL is a no-op. */
void nv_model_free(struct nv_model *m);

/* Register a source file name; *src receives its index. */
enum nv_rc nv_model_add_source(struct nv_model *m, const char *path,
                               uint32_t *src, struct nv_err *err) NV_WUR;

/*
 * Resolve every reference, the parents of entities and the vendors of
 * assets (by exact match after light normalisation: case, blanks and
 * punctuation), check declared paths, and build the graph.  Errors name
 * the file, line and column of the offending record.
 */
enum nv_rc nv_model_finish(struct nv_model *m, struct nv_err *err) NV_WUR;

/*
 * The last steps of nv_model_finish, for records whose references, vendors
 * and transit defaults are already resolved (a binary snapshot): build the
 * graph, then check the roots of entities and the declared paths.
 */
enum nv_rc nv_model_build_graph(struct nv_model *m, struct nv_err *err) NV_WUR;
enum nv_rc nv_model_finish_checked(struct nv_model *m,
                                   struct nv_err *err) NV_WUR;

/* The designation that counts for an entity: the most severe of its own
 * and its ancestors' (a subsidiary is no safer than its parent). */
enum nv_designation nv_model_designation(const struct nv_model *m,
                                         uint32_t entity);

/*
 * Add an entity to a finished model (screening does, for listed parties
 * that inventories name): id must be new; parent is an entity index or
 * NV_NONE.  *idx receives the new entity's index.
 */
enum nv_rc nv_model_add_entity(struct nv_model *m, const char *id,
                               const char *name, const char *country,
                               enum nv_designation d, uint32_t parent,
                               uint32_t *idx, struct nv_err *err) NV_WUR;

/* Index of the record of table with this id, or NV_NONE. */
uint32_t nv_model_find(const struct nv_model *m, enum nv_table table,
                       const char *id);

/* Record an error about byte offset off of source src, computing its line
 * and column (this re-reads the file: for error paths only). */
enum nv_rc nv_model_error_at(const struct nv_model *m, struct nv_err *err,
                             enum nv_rc rc, uint32_t src, size_t off,
                             const char *fmt, ...) NV_PRINTF(6, 7);

/* The 1-based line and column of byte offset off of source src (re-reads
 * the file; 0 when it cannot). */
void nv_model_pos(const struct nv_model *m, uint32_t src, size_t off,
                  unsigned long *line, unsigned long *col);

/* The index of name in names[0..n), or -1. */
int nv_name_index(const char *const *names, int n, const char *s, size_t len);

#endif
