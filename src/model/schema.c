/*
 * schema.c - field tables of the model and the generic code they drive.
 *
 * Invariant: bit i of a record's rec.set is on exactly when field i of its
 * schema was given by some file; an unset field holds its default.
 */
#include "model/schema.h"

#include "core/alloc.h"
#include "core/strmap.h"
#include "core/parse.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define NAMES(a) a, (int)(sizeof a / sizeof a[0])
#define STR(rec, field, flags)                                                 \
    {                                                                          \
#field, NV_F_STR, offsetof(rec, field), flags, NULL, 0, 0, 0, 0, 0     \
    }
#define NUM(rec, field, name, lo, hi, dflt)                                    \
    {                                                                          \
        name, NV_F_NUM, offsetof(rec, field), 0, NULL, 0, lo, hi, dflt, 0      \
    }
#define ENUM(rec, field, names, dflt, flags)                                   \
    {                                                                          \
#field, NV_F_ENUM, offsetof(rec, field), flags, NAMES(names), 0, 0,    \
            dflt, 0                                                            \
    }
#define REF(rec, field, type, table, flags)                                    \
    {                                                                          \
#field, type, offsetof(rec, field), flags, NULL, 0, 0, 0, 0, table     \
    }

static const struct nv_field entity_fields[] = {
    STR(struct nv_entity, id, NV_F_ID),
    STR(struct nv_entity, name, 0),
    {"aliases", NV_F_STRS, offsetof(struct nv_entity, aliases), 0, NULL, 0, 0,
     0, 0, 0},
    STR(struct nv_entity, country, 0),
    ENUM(struct nv_entity, designation, nv_designation_names, NV_DESIG_STANDARD,
         0),
    REF(struct nv_entity, parent, NV_F_REF, NV_T_ENTITY, 0),
};

static const struct nv_field site_fields[] = {
    STR(struct nv_site, id, NV_F_ID),
    STR(struct nv_site, name, 0),
    NUM(struct nv_site, lat, "lat", -90, 90, NAN),
    NUM(struct nv_site, lon, "lon", -180, 180, NAN),
    STR(struct nv_site, region, 0),
    {"tags", NV_F_STRS, offsetof(struct nv_site, tags), 0, NULL, 0, 0, 0, 0, 0},
    {"population", NV_F_INT, offsetof(struct nv_site, population), 0, NULL, 0,
     0, 1e10, -1, 0},
};

static const struct nv_field asset_fields[] = {
    STR(struct nv_asset, id, NV_F_ID),
    ENUM(struct nv_asset, kind, nv_asset_kind_names, NV_KIND_DEVICE, 0),
    STR(struct nv_asset, vendor, 0),
    STR(struct nv_asset, model, 0),
    STR(struct nv_asset, version, 0),
    REF(struct nv_asset, site, NV_F_REF, NV_T_SITE, 0),
    ENUM(struct nv_asset, layer, nv_layer_names, 0, NV_F_REQUIRED),
    STR(struct nv_asset, sha256, 0),
    NUM(struct nv_asset, replacement_cost, "replacement_cost", 0, 1e15, NAN),
    {"transit", NV_F_BOOL, offsetof(struct nv_asset, transit), 0, NULL, 0, 0, 0,
     0, 0},
    STR(struct nv_asset, serial, 0),
    {"tags", NV_F_STRS, offsetof(struct nv_asset, tags), 0, NULL, 0, 0, 0, 0,
     0},
};

static const struct nv_field link_fields[] = {
    REF(struct nv_link, a, NV_F_REF, NV_T_ASSET, NV_F_REQUIRED),
    REF(struct nv_link, b, NV_F_REF, NV_T_ASSET, NV_F_REQUIRED),
    NUM(struct nv_link, cost, "cost", 1e-9, 1e9, 1),
    NUM(struct nv_link, capacity, "capacity_gbps", 0, 1e9, NAN),
};

static const struct nv_field flow_fields[] = {
    STR(struct nv_flow, id, NV_F_ID),
    REF(struct nv_flow, src, NV_F_REF, NV_T_ASSET, NV_F_REQUIRED),
    REF(struct nv_flow, dst, NV_F_REF, NV_T_ASSET, NV_F_REQUIRED),
    STR(struct nv_flow, sector, 0),
    NUM(struct nv_flow, importance, "importance", 0, 1e6, 1),
    ENUM(struct nv_flow, classification, nv_class_names, NV_CLASS_UNCLASSIFIED,
         0),
    {"encrypted", NV_F_BOOL, offsetof(struct nv_flow, encrypted), 0, NULL, 0, 0,
     0, 0, 0},
    REF(struct nv_flow, path, NV_F_REFS, NV_T_ASSET, 0),
};

static const struct nv_field partner_fields[] = {
    STR(struct nv_partner, id, NV_F_ID),
    STR(struct nv_partner, name, 0),
    REF(struct nv_partner, channels, NV_F_REFS, NV_T_FLOW, 0),
};

#define SCHEMA(name, noun, type, fields)                                       \
    {                                                                          \
        name, noun, sizeof(type), fields,                                      \
            (int)(sizeof fields / sizeof fields[0])                            \
    }

const struct nv_schema nv_schemas[NV_T_COUNT] = {
    SCHEMA("entities", "entity", struct nv_entity, entity_fields),
    SCHEMA("sites", "site", struct nv_site, site_fields),
    SCHEMA("assets", "asset", struct nv_asset, asset_fields),
    SCHEMA("links", "link", struct nv_link, link_fields),
    SCHEMA("flows", "flow", struct nv_flow, flow_fields),
    SCHEMA("partners", "partner", struct nv_partner, partner_fields),
};

const struct nv_field *nv_schema_field(const struct nv_schema *s,
                                       const char *name, size_t len)
{
    /* Once a member of every record loaded: the first byte rules out
     * most fields before their names are measured. */
    for (int i = 0; i < s->nfields && len; i++)
        if (s->fields[i].name[0] == name[0] &&
            nv_str_eq(name, len, s->fields[i].name))
            return &s->fields[i];
    return NULL;
}

static void *record_at(const struct nv_model *m, enum nv_table t, uint32_t i)
{
    return (char *)m->t[t].v + (size_t)i * nv_schemas[t].size;
}

static void set_default(const struct nv_field *f, void *rec)
{
    void *p = (char *)rec + f->offset;

    switch (f->type) {
    case NV_F_NUM:
        *(double *)p = f->dflt;
        break;
    case NV_F_INT:
        *(int64_t *)p = (int64_t)f->dflt;
        break;
    case NV_F_ENUM:
        *(int *)p = (int)f->dflt;
        break;
    case NV_F_REF:
        ((struct nv_ref *)p)->idx = NV_NONE;
        break;
    default:
        break;
    }
}

/* Table t's records, which lie in a snapshot's mapping, copied into a
 * table of its own that holds at least need records. */
static enum nv_rc unborrow(struct nv_model *m, enum nv_table t, size_t need,
                           struct nv_err *err)
{
    struct nv_vec *vec = &m->t[t];
    void *v = nv_reallocarray(NULL, need, nv_schemas[t].size);

    if (!v)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    memcpy(v, vec->v, (size_t)vec->n * nv_schemas[t].size);
    vec->v = v;
    vec->cap = (uint32_t)need;
    m->borrowed &= ~(1u << t);
    return NV_OK;
}

/* Grow table t to hold at least need records. */
static enum nv_rc grow_table(struct nv_model *m, enum nv_table t, size_t need,
                             struct nv_err *err)
{
    struct nv_vec *vec = &m->t[t];
    size_t cap = vec->cap;

    if (need > UINT32_MAX / 2)
        return nv_err_set(err, NV_ELIMIT, "too many %s", nv_schemas[t].name);
    if (m->borrowed & 1u << t)
        return unborrow(m, t, need, err);
    if (nv_array_reserve(&vec->v, &cap, need, nv_schemas[t].size))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    vec->cap = (uint32_t)cap;
    return NV_OK;
}

enum nv_rc nv_schema_reserve(struct nv_model *m, enum nv_table t, size_t n,
                             struct nv_err *err)
{
    enum nv_rc rc = grow_table(m, t, m->t[t].n + n, err);

    if (!rc && nv_schemas[t].fields[0].flags & NV_F_ID &&
        nv_strmap_reserve(&m->ids[t], n))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    return rc;
}

enum nv_rc nv_schema_new_record(struct nv_model *m, enum nv_table t,
                                uint32_t src, size_t off, uint32_t *idx,
                                struct nv_err *err)
{
    const struct nv_schema *s = &nv_schemas[t];
    struct nv_vec *vec = &m->t[t];
    struct nv_rec *rec;

    if (vec->n == vec->cap) {
        enum nv_rc rc = grow_table(m, t, (size_t)vec->n + 1, err);
        if (rc)
            return rc;
    }
    rec = record_at(m, t, vec->n);
    memset(rec, 0, s->size);
    for (int i = 0; i < s->nfields; i++)
        set_default(&s->fields[i], rec);
    if (t == NV_T_ASSET)
        ((struct nv_asset *)rec)->entity = NV_NONE;
    if (t == NV_T_ENTITY)
        ((struct nv_entity *)rec)->root = NV_NONE;
    rec->src = src;
    rec->off = off;
    *idx = vec->n++;
    return NV_OK;
}

void nv_schema_drop_last(struct nv_model *m, enum nv_table t)
{
    if (m->t[t].n)
        m->t[t].n--;
}

/* Split text on ';' into trimmed, non-empty items copied to the arena. */
static enum nv_rc split_list(struct nv_model *m, const char *text, size_t n,
                             const char ***items, uint32_t *count)
{
    uint32_t k = 0, cap = 1;
    const char **v;

    for (size_t i = 0; i < n; i++)
        cap += text[i] == ';';
    v = nv_arena_calloc(&m->arena, cap, sizeof *v);
    if (!v)
        return NV_ENOMEM;
    for (size_t i = 0; i <= n;) {
        size_t j = i, a, b;
        while (j < n && text[j] != ';')
            j++;
        for (a = i; a < j && text[a] == ' '; a++)
            ;
        for (b = j; b > a && text[b - 1] == ' '; b--)
            ;
        if (b > a) {
            v[k] = nv_arena_strndup(&m->arena, text + a, b - a);
            if (!v[k++])
                return NV_ENOMEM;
        }
        i = j + 1;
    }
    *items = v;
    *count = k;
    return NV_OK;
}

static enum nv_rc set_refs_from_list(struct nv_model *m, void *p,
                                     const char **ids, uint32_t n, size_t off)
{
    struct nv_refs *r = p;

    r->v = nv_arena_calloc(&m->arena, n ? n : 1, sizeof *r->v);
    if (!r->v)
        return NV_ENOMEM;
    for (uint32_t i = 0; i < n; i++)
        r->v[i] = (struct nv_ref){ids[i], off, NV_NONE};
    r->n = n;
    return NV_OK;
}

static enum nv_rc parse_number(const struct nv_field *f, void *p,
                               const char *text, size_t n, const char **why)
{
    double d;
    int64_t i;

    if (f->type == NV_F_INT) {
        if (nv_parse_i64(text, n, (int64_t)f->min, (int64_t)f->max, &i)) {
            *why = "expected a whole number in range";
            return NV_EPARSE;
        }
        *(int64_t *)p = i;
        return NV_OK;
    }
    if (nv_parse_double(text, n, &d) || d < f->min || d > f->max) {
        *why = f->min > 0 ? "expected a positive number in range"
                          : "expected a number in range";
        return NV_EPARSE;
    }
    *(double *)p = d;
    return NV_OK;
}

static enum nv_rc parse_enum(const struct nv_field *f, void *p,
                             const char *text, size_t n, const char **why)
{
    int i = nv_name_index(f->names, f->nnames, text, n);

    if (i < 0) {
        *why = "unknown value";
        return NV_EPARSE;
    }
    *(int *)p = i;
    return NV_OK;
}

static enum nv_rc parse_bool(void *p, const char *text, size_t n,
                             const char **why)
{
    static const char *const yes[] = {"true", "yes", "1"};
    static const char *const no[] = {"false", "no", "0"};

    if (nv_name_index(yes, 3, text, n) >= 0)
        *(int *)p = 1;
    else if (nv_name_index(no, 3, text, n) >= 0)
        *(int *)p = 0;
    else {
        *why = "expected true or false";
        return NV_EPARSE;
    }
    return NV_OK;
}

/* A reference to a record loaded already is resolved at once and shares
 * the target's id string (the key of the id map, which is the record's
 * own: the record need not be read); others are resolved by
 * nv_model_finish.  Most references point back (links to assets), so
 * this saves a copy and a second lookup for each. */
static enum nv_rc parse_ref(struct nv_model *m, const struct nv_field *f,
                            struct nv_ref *r, const char *text, size_t n,
                            size_t off)
{
    const char *id = NULL;
    int64_t idx = nv_strmap_find(&m->ids[f->target], text, n, &id);

    r->off = off;
    r->idx = idx < 0 ? NV_NONE : (uint32_t)idx;
    r->id = idx >= 0 ? id : nv_arena_strndup(&m->arena, text, n);
    return r->id ? NV_OK : NV_ENOMEM;
}

/* Parse text as field f into p (no bookkeeping). */
static enum nv_rc parse_text(struct nv_model *m, const struct nv_field *f,
                             void *p, const char *text, size_t n, size_t off,
                             const char **why)
{
    const char **items;
    uint32_t count;
    enum nv_rc rc;

    switch (f->type) {
    case NV_F_STR:
        *(const char **)p = nv_arena_strndup(&m->arena, text, n);
        return *(const char **)p ? NV_OK : NV_ENOMEM;
    case NV_F_NUM:
    case NV_F_INT:
        return parse_number(f, p, text, n, why);
    case NV_F_BOOL:
        return parse_bool(p, text, n, why);
    case NV_F_ENUM:
        return parse_enum(f, p, text, n, why);
    case NV_F_REF:
        return parse_ref(m, f, p, text, n, off);
    case NV_F_STRS:
    case NV_F_REFS:
        rc = split_list(m, text, n, &items, &count);
        if (rc || f->type == NV_F_REFS)
            return rc ? rc : set_refs_from_list(m, p, items, count, off);
        ((struct nv_strs *)p)->v = items;
        ((struct nv_strs *)p)->n = count;
        return NV_OK;
    }
    return NV_EINVAL;
}

/* Field f of rec was given; count it in m->forward if it is a reference
 * left for nv_model_finish to resolve. */
static void mark_set(struct nv_model *m, enum nv_table t,
                     const struct nv_field *f, void *rec)
{
    const struct nv_ref *r = (const void *)((char *)rec + f->offset);

    ((struct nv_rec *)rec)->set |= 1u << (f - nv_schemas[t].fields);
    if (f->type == NV_F_REFS || (f->type == NV_F_REF && r->idx == NV_NONE))
        m->forward[t]++;
}

enum nv_rc nv_schema_set_text(struct nv_model *m, enum nv_table t,
                              const struct nv_field *f, void *rec,
                              const char *text, size_t n, size_t off,
                              const char **why)
{
    enum nv_rc rc;

    if (n == 0) /* an empty cell means the field is not given */
        return NV_OK;
    if (memchr(text, '\0', n)) {
        *why = "text contains a NUL character";
        return NV_EPARSE;
    }
    rc = parse_text(m, f, (char *)rec + f->offset, text, n, off, why);
    if (!rc)
        mark_set(m, t, f, rec);
    return rc;
}

/* The JSON type each field type takes (lists: arrays of strings). */
static enum nv_json_type json_type_of(enum nv_ftype t)
{
    switch (t) {
    case NV_F_NUM:
    case NV_F_INT:
        return NV_JSON_NUMBER;
    case NV_F_BOOL:
        return NV_JSON_TRUE;
    case NV_F_STRS:
    case NV_F_REFS:
        return NV_JSON_ARRAY;
    default:
        return NV_JSON_STRING;
    }
}

/* A JSON array of strings as a list field; the strings are copied, since
 * streamed JSON values do not outlive the element being loaded. */
static enum nv_rc json_list(struct nv_model *m, const struct nv_field *f,
                            void *p, const struct nv_json *v, const char **why)
{
    const char **items =
        nv_arena_calloc(&m->arena, v->len ? v->len : 1, sizeof *items);

    if (!items)
        return NV_ENOMEM;
    for (size_t i = 0; i < v->len; i++) {
        const struct nv_json *e = &v->u.items[i];
        if (e->type != NV_JSON_STRING || e->len == 0 ||
            memchr(e->u.str, '\0', e->len)) {
            *why = "expected an array of non-empty strings";
            return NV_EPARSE;
        }
        items[i] = nv_arena_strndup(&m->arena, e->u.str, e->len);
        if (!items[i])
            return NV_ENOMEM;
    }
    if (f->type == NV_F_REFS)
        return set_refs_from_list(m, p, items, (uint32_t)v->len, v->off);
    ((struct nv_strs *)p)->v = items;
    ((struct nv_strs *)p)->n = (uint32_t)v->len;
    return NV_OK;
}

enum nv_rc nv_schema_set_json(struct nv_model *m, enum nv_table t,
                              const struct nv_field *f, void *rec,
                              const struct nv_json *v, const char **why)
{
    enum nv_json_type want = json_type_of(f->type);
    void *p = (char *)rec + f->offset;
    enum nv_rc rc;

    if (v->type == NV_JSON_NULL) /* null means the field is not given */
        return NV_OK;
    if (want == NV_JSON_TRUE &&
        (v->type == NV_JSON_TRUE || v->type == NV_JSON_FALSE)) {
        *(int *)p = v->type == NV_JSON_TRUE;
        mark_set(m, t, f, rec);
        return NV_OK;
    }
    if (v->type != want) {
        *why = want == NV_JSON_TRUE     ? "expected true or false"
               : want == NV_JSON_NUMBER ? "expected a number"
               : want == NV_JSON_ARRAY  ? "expected an array of strings"
                                        : "expected a string";
        return NV_EPARSE;
    }
    if (want == NV_JSON_ARRAY)
        rc = json_list(m, f, p, v, why);
    else if (want == NV_JSON_STRING && v->len == 0 && f->type != NV_F_STR) {
        *why = "expected a non-empty string";
        rc = NV_EPARSE;
    } else
        return nv_schema_set_text(m, t, f, rec, v->u.str, v->len, v->off, why);
    if (!rc)
        mark_set(m, t, f, rec);
    return rc;
}

static size_t field_size(enum nv_ftype t)
{
    static const size_t sizes[] = {
        sizeof(const char *),  sizeof(double),        sizeof(int64_t),
        sizeof(int),           sizeof(int),           sizeof(struct nv_strs),
        sizeof(struct nv_ref), sizeof(struct nv_refs)};
    return sizes[t];
}

static int strs_equal(const char *const *a, const char *const *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

static int field_equal(const struct nv_field *f, const void *ra, const void *rb)
{
    const char *a = (const char *)ra + f->offset;
    const char *b = (const char *)rb + f->offset;
    const struct nv_refs *x = (const void *)a, *y = (const void *)b;
    const struct nv_strs *u = (const void *)a, *w = (const void *)b;

    switch (f->type) {
    case NV_F_STR:
        return strcmp(*(const char *const *)a, *(const char *const *)b) == 0;
    case NV_F_REF:
        return strcmp(((const struct nv_ref *)a)->id,
                      ((const struct nv_ref *)b)->id) == 0;
    case NV_F_STRS:
        return u->n == w->n && strs_equal(u->v, w->v, u->n);
    case NV_F_REFS:
        if (x->n != y->n)
            return 0;
        for (uint32_t i = 0; i < x->n; i++)
            if (strcmp(x->v[i].id, y->v[i].id) != 0)
                return 0;
        return 1;
    default:
        return memcmp(a, b, field_size(f->type)) == 0;
    }
}

static enum nv_rc add_override(struct nv_model *m, enum nv_table t,
                               uint32_t idx, int field, const struct nv_rec *o,
                               const struct nv_rec *r, struct nv_err *err)
{
    struct nv_override *v;

    if (nv_array_reserve(&m->overrides, &m->overrides_cap, m->noverrides + 1,
                         sizeof *m->overrides))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    v = &m->overrides[m->noverrides++];
    v->table = t;
    v->rec = idx;
    v->field = field;
    v->from = o->src;
    v->by = r->src;
    return NV_OK;
}

/* How field bit of rec meets its earlier definition old: 0 take rec's
 * value, 1 keep old's, -1 a conflict. */
static int meet(const struct nv_field *f, uint32_t bit, const void *old,
                const void *rec)
{
    const struct nv_rec *o = old, *r = rec;

    if (!(o->set & bit) || (o->inferred & bit && !(r->inferred & bit)))
        return 0;
    if ((r->inferred & bit) || field_equal(f, old, rec))
        return 1;
    return -1;
}

/* Fold the fields of rec into the earlier definition old (record idx) of
 * the same id. */
static enum nv_rc merge(struct nv_model *m, enum nv_table t, uint32_t idx,
                        void *old, const void *rec, struct nv_err *err)
{
    const struct nv_schema *s = &nv_schemas[t];
    const struct nv_rec *r = rec;
    struct nv_rec *o = old;

    for (int i = 0; i < s->nfields; i++) {
        const struct nv_field *f = &s->fields[i];
        uint32_t bit = 1u << i;
        int how = r->set & bit ? meet(f, bit, old, rec) : 1;
        if (how == 1)
            continue;
        if ((o->set & bit) && how == 0 && !field_equal(f, old, rec) &&
            add_override(m, t, idx, i, o, r, err))
            return NV_ENOMEM;
        if (how < 0)
            return nv_model_error_at(
                m, err, NV_ECONFLICT, r->src, r->off,
                "%s '%s': field '%s' disagrees with its definition in %s",
                s->noun,
                *(const char *const *)((const char *)rec + s->fields[0].offset),
                f->name, m->sources[o->src]);
        memcpy((char *)old + f->offset, (const char *)rec + f->offset,
               field_size(f->type));
        o->inferred = (o->inferred & ~bit) | (r->inferred & bit);
        o->set |= bit;
    }
    return NV_OK;
}

/* The rec.set bits of the fields of schema s that have one of flags. */
static uint32_t fields_with(const struct nv_schema *s, unsigned flags)
{
    uint32_t bits = 0;

    for (int i = 0; i < s->nfields; i++)
        if (s->fields[i].flags & flags)
            bits |= 1u << i;
    return bits;
}

/* need: fields_with(s, flags), worked out once by callers that check many
 * records, so that a complete record costs one test. */
static enum nv_rc check_required(struct nv_model *m, enum nv_table t,
                                 const struct nv_rec *rec, uint32_t need,
                                 struct nv_err *err)
{
    const struct nv_schema *s = &nv_schemas[t];

    if ((rec->set & need) == need)
        return NV_OK;
    for (int i = 0; i < s->nfields; i++)
        if ((need & (1u << i)) && !(rec->set & (1u << i)))
            return nv_model_error_at(m, err, NV_EPARSE, rec->src, rec->off,
                                     "%s is missing the field '%s'", s->noun,
                                     s->fields[i].name);
    return NV_OK;
}

static enum nv_rc duplicate(struct nv_model *m, enum nv_table t,
                            const struct nv_rec *old, const struct nv_rec *rec,
                            const char *id, struct nv_err *err)
{
    unsigned long line, col;

    nv_model_pos(m, old->src, old->off, &line, &col);
    return nv_model_error_at(m, err, NV_EDUP, rec->src, rec->off,
                             "duplicate %s id '%s' (first at line %lu)",
                             nv_schemas[t].noun, id, line);
}

enum nv_rc nv_schema_commit(struct nv_model *m, enum nv_table t,
                            struct nv_err *err)
{
    const struct nv_schema *s = &nv_schemas[t];
    uint32_t idx = m->t[t].n - 1, first;
    struct nv_rec *rec = record_at(m, t, idx), *old;
    const char *id;
    int found;
    int ids = (s->fields[0].flags & NV_F_ID) != 0;
    enum nv_rc rc = check_required(
        m, t, rec, fields_with(s, ids ? NV_F_ID : NV_F_ID | NV_F_REQUIRED),
        err);

    if (rc || !ids)
        return rc;
    id = *(const char **)((char *)rec + s->fields[0].offset);
    if (nv_strmap_put(&m->ids[t], id, strlen(id), idx, &first, &found))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    if (!found)
        return NV_OK;
    old = record_at(m, t, first);
    if (old->src == rec->src)
        return duplicate(m, t, old, rec, id, err);
    rc = merge(m, t, first, old, rec, err);
    m->t[t].n--;
    return rc;
}

int nv_schema_can_split(const struct nv_model *m, enum nv_table t)
{
    const struct nv_schema *s = &nv_schemas[t];

    if (!(s->fields[0].flags & NV_F_ID))
        return 1;
    if (m->t[t].n)
        return 0;
    for (int i = 0; i < s->nfields; i++)
        if ((s->fields[i].type == NV_F_REF || s->fields[i].type == NV_F_REFS) &&
            s->fields[i].target == t)
            return 0;
    return 1;
}

void nv_schema_shadow(struct nv_model *shadow, const struct nv_model *m,
                      enum nv_table t)
{
    *shadow = *m;
    nv_arena_init(&shadow->arena);
    shadow->t[t] = (struct nv_vec){0};
    nv_strmap_init(&shadow->ids[t]);
    shadow->forward[t] = 0;
    shadow->borrowed &= ~(1u << t);
    shadow->progress = NULL;
}

enum nv_rc nv_schema_shadow_view(struct nv_model *shadow,
                                 const struct nv_model *m, enum nv_table t,
                                 uint32_t first, uint32_t n)
{
    struct nv_vec *v = &shadow->t[t];

    v->v = record_at(m, t, first);
    v->n = 0;
    v->cap = n;
    /* Should the halves disagree on n, records past it are copied out. */
    shadow->borrowed |= 1u << t;
    if (nv_schemas[t].fields[0].flags & NV_F_ID &&
        nv_strmap_reserve(&shadow->ids[t], n))
        return NV_ENOMEM;
    return NV_OK;
}

void nv_schema_shadow_release(struct nv_model *shadow, enum nv_table t)
{
    nv_arena_release(&shadow->arena);
    nv_strmap_release(&shadow->ids[t]);
    if (!(shadow->borrowed & 1u << t))
        nv_free(shadow->t[t].v);
}

/* File the ids of records from first on under them, in order, as
 * nv_schema_commit would have: the first id met before is NV_EDUP. */
static enum nv_rc adopt_ids(struct nv_model *m, enum nv_table t, uint32_t first,
                            struct nv_err *err)
{
    const struct nv_schema *s = &nv_schemas[t];

    for (uint32_t i = first; i < m->t[t].n; i++) {
        struct nv_rec *rec = record_at(m, t, i);
        const char *id = *(const char **)((char *)rec + s->fields[0].offset);
        uint32_t was;
        int found;
        if (nv_strmap_put(&m->ids[t], id, strlen(id), i, &was, &found))
            return nv_err_set(err, NV_ENOMEM, "out of memory");
        if (found)
            return duplicate(m, t, record_at(m, t, was), rec, id, err);
    }
    return NV_OK;
}

enum nv_rc nv_schema_join_shadow(struct nv_model *m, enum nv_table t,
                                 struct nv_model *shadow, struct nv_err *err)
{
    struct nv_vec *from = &shadow->t[t];
    uint32_t first = m->t[t].n;
    enum nv_rc rc = nv_schema_reserve(m, t, from->n, err);

    if (!rc) {
        memmove(record_at(m, t, first), from->v,
                (size_t)from->n * nv_schemas[t].size);
        m->t[t].n += from->n;
        m->forward[t] += shadow->forward[t];
    }
    nv_arena_adopt(&m->arena, &shadow->arena);
    if (!rc && nv_schemas[t].fields[0].flags & NV_F_ID)
        rc = adopt_ids(m, t, first, err);
    return rc;
}

enum nv_rc nv_schema_check_required(struct nv_model *m, struct nv_err *err)
{
    enum nv_rc rc = NV_OK;

    /* A record without an id is never merged: nv_schema_commit checked
     * it whole (3M links need not be read again). */
    for (int t = 0; t < NV_T_COUNT && !rc; t++) {
        uint32_t need = nv_schemas[t].fields[0].flags & NV_F_ID
                            ? fields_with(&nv_schemas[t], NV_F_REQUIRED)
                            : 0;
        for (uint32_t i = 0; need && i < m->t[t].n && !rc; i++)
            rc = check_required(m, (enum nv_table)t, record_at(m, t, i), need,
                                err);
    }
    return rc;
}

void nv_schema_explain(const struct nv_schema *s, const struct nv_field *f,
                       const char *why, char *out, size_t size)
{
    size_t n =
        (size_t)snprintf(out, size, "%s field '%s': %s", s->noun, f->name, why);

    for (int i = 0; f->type == NV_F_ENUM && i < f->nnames && n < size; i++)
        n += (size_t)snprintf(out + n, size - n, "%s%s",
                              i ? ", " : " (expected one of: ", f->names[i]);
    if (f->type == NV_F_ENUM && n < size)
        snprintf(out + n, size - n, ")");
    if (f->type == NV_F_NUM || f->type == NV_F_INT)
        snprintf(out + n, n < size ? size - n : 0, " [%g, %g]", f->min, f->max);
}
