/*
 * load.c - choosing a loader, the native JSON model, and the helpers the
 * other loaders share.
 */
#include "model/load.h"

#include "core/alloc.h"
#include "core/file.h"
#include "core/progress.h"
#include "model/load_int.h"
#include "model/snapshot.h"

#include <string.h>

/* How far into a JSON file we look for the keys that name its format. */
#define SNIFF_BYTES 4096

/* Set the fields of record idx of table t from the members of obj. */
static enum nv_rc json_fields(struct nv_model *m, enum nv_table t,
                              const struct nv_json *obj, const char *text,
                              size_t len, const char *name, uint32_t idx,
                              struct nv_err *err)
{
    const struct nv_schema *s = &nv_schemas[t];
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < obj->len && !rc; i++) {
        const struct nv_json_member *mb = &obj->u.members[i];
        const struct nv_field *f = nv_schema_field(s, mb->key, mb->klen);
        void *rec = (char *)m->t[t].v + (size_t)idx * s->size;
        const char *why = "";
        char msg[NV_ERR_MSG_SIZE];
        if (!f && strncmp(mb->key, "x-", 2) == 0)
            continue;
        if (!f)
            return nv_json_error_at(err, NV_EPARSE, text, len, name, mb->koff,
                                    "unknown %s field '%s'", s->noun, mb->key);
        rc = nv_schema_set_json(m, t, f, rec, &mb->val, &why);
        if (rc == NV_ENOMEM)
            return nv_err_set(err, rc, "out of memory");
        if (rc) {
            nv_schema_explain(s, f, why, msg, sizeof msg);
            return nv_json_error_at(err, rc, text, len, name, mb->val.off, "%s",
                                    msg);
        }
    }
    return rc;
}

enum nv_rc nv_load_json_record(struct nv_model *m, enum nv_table t,
                               uint32_t src, const struct nv_json *obj,
                               const char *text, size_t len, struct nv_err *err)
{
    const struct nv_schema *s = &nv_schemas[t];
    const char *name = m->sources[src];
    uint32_t had = m->t[t].n, idx;
    enum nv_rc rc;

    if (obj->type != NV_JSON_OBJECT)
        return nv_json_error_at(err, NV_EPARSE, text, len, name, obj->off,
                                "each of %s must be an object", s->name);
    rc = nv_schema_new_record(m, t, src, obj->off, &idx, err);
    if (!rc)
        rc = json_fields(m, t, obj, text, len, name, idx, err);
    if (!rc)
        rc = nv_schema_commit(m, t, err);
    if (rc && m->t[t].n > had)
        nv_schema_drop_last(m, t);
    return rc;
}

struct native {
    struct nv_model *m;
    uint32_t src;
    const char *text;
    size_t len;
    int version_seen;
};

static int table_by_name(const char *key)
{
    for (int t = 0; t < NV_T_COUNT; t++)
        if (strcmp(nv_schemas[t].name, key) == 0)
            return t;
    return -1;
}

static enum nv_rc native_version(struct native *n, const struct nv_json *v,
                                 struct nv_err *err)
{
    if (v->type != NV_JSON_NUMBER || strcmp(v->u.str, "1") != 0)
        return nv_json_error_at(err, NV_EUNSUPPORTED, n->text, n->len,
                                n->m->sources[n->src], v->off,
                                "unsupported model version (expected 1)");
    n->version_seen = 1;
    return NV_OK;
}

static enum nv_rc native_item(void *ctx, const char *key, int64_t index,
                              const struct nv_json *v, struct nv_err *err)
{
    struct native *n = ctx;
    int t = table_by_name(key);

    nv_progress_set(n->m->progress, v->off);
    if (strcmp(key, "netvet") == 0)
        return native_version(n, v, err);
    if (t >= 0 && index >= 0)
        return nv_load_json_record(n->m, (enum nv_table)t, n->src, v, n->text,
                                   n->len, err);
    if (t >= 0 && v->type != NV_JSON_NULL)
        return nv_json_error_at(err, NV_EPARSE, n->text, n->len,
                                n->m->sources[n->src], v->off,
                                "'%s' must be an array", key);
    if (t >= 0 || strncmp(key, "x-", 2) == 0 ||
        strcmp(key, "netvet_version") == 0)
        return NV_OK;
    return nv_json_error_at(err, NV_EPARSE, n->text, n->len,
                            n->m->sources[n->src], v->off,
                            "unknown top-level key '%s'", key);
}

/* The second half of a large array of records (most of a large model),
 * read on a thread of its own into a shadow model (nv_schema_shadow). */
struct native_half {
    struct native n; /* first: what the reader is given */
    struct nv_model shadow;
    enum nv_table t;
    uint32_t base; /* the table's records before the array's */
};

static void *half_begin(void *ctx, const char *key)
{
    struct native *n = ctx;
    int t = table_by_name(key);
    struct native_half *h;

    if (t < 0 || !nv_schema_can_split(n->m, (enum nv_table)t))
        return NULL;
    h = nv_calloc(1, sizeof *h);
    if (!h)
        return NULL;
    nv_schema_shadow(&h->shadow, n->m, (enum nv_table)t);
    h->t = (enum nv_table)t;
    h->base = n->m->t[t].n;
    h->n = *n;
    h->n.m = &h->shadow;
    return h;
}

/* The array's n elements are counted, n1 of them before the second half:
 * make room for them all, and the second half's records go in place. */
static enum nv_rc half_sized(void *ctx, void *half, int64_t n1, int64_t n)
{
    struct nv_model *m = ((struct native *)ctx)->m;
    struct native_half *h = half;
    struct nv_err err = {0};
    size_t all = (size_t)h->base + (size_t)n;

    if (n > UINT32_MAX / 2)
        return NV_ELIMIT;
    if (nv_schema_reserve(m, h->t, all - m->t[h->t].n, &err))
        return err.rc;
    return nv_schema_shadow_view(&h->shadow, m, h->t, h->base + (uint32_t)n1,
                                 (uint32_t)(n - n1));
}

/* Append the second half's records to the first half's, or forget them. */
static enum nv_rc half_end(void *ctx, void *half, int keep, struct nv_err *err)
{
    struct nv_model *m = ((struct native *)ctx)->m;
    struct native_half *h = half;
    enum nv_rc rc = NV_OK;

    if (keep)
        rc = nv_schema_join_shadow(m, h->t, &h->shadow, err);
    nv_schema_shadow_release(&h->shadow, h->t);
    nv_free(h);
    return rc;
}

enum nv_rc nv_load_native(struct nv_model *m, uint32_t src, const char *text,
                          size_t len, struct nv_err *err)
{
    struct native n = {m, src, text, len, 0};
    struct nv_json_split split = {native_item, &n, half_begin, half_sized,
                                  half_end};
    enum nv_rc rc =
        nv_json_stream_split(text, len, m->sources[src], &split, err);

    if (!rc && !n.version_seen)
        rc = nv_json_error_at(err, NV_EPARSE, text, len, m->sources[src], 0,
                              "not a netvet model: no \"netvet\": 1");
    return rc;
}

/* Mark the fields named in inferred of the record just appended. */
static void mark_inferred(struct nv_model *m, enum nv_table t,
                          const char *const *inferred)
{
    const struct nv_schema *s = &nv_schemas[t];
    struct nv_rec *rec = (struct nv_rec *)((char *)m->t[t].v +
                                           (size_t)(m->t[t].n - 1) * s->size);

    for (; inferred && *inferred; inferred++)
        for (int i = 0; i < s->nfields; i++)
            if (!strcmp(s->fields[i].name, *inferred))
                rec->inferred |= rec->set & (1u << i);
}

enum nv_rc nv_load_pairs(struct nv_model *m, enum nv_table t, uint32_t src,
                         size_t off, const char *const *pairs,
                         struct nv_err *err)
{
    return nv_load_pairs_inferred(m, t, src, off, pairs, NULL, err);
}

enum nv_rc nv_load_pairs_inferred(struct nv_model *m, enum nv_table t,
                                  uint32_t src, size_t off,
                                  const char *const *pairs,
                                  const char *const *inferred,
                                  struct nv_err *err)
{
    const struct nv_schema *s = &nv_schemas[t];
    uint32_t idx;
    enum nv_rc rc = nv_schema_new_record(m, t, src, off, &idx, err);

    for (; !rc && pairs[0]; pairs += 2) {
        const struct nv_field *f =
            nv_schema_field(s, pairs[0], strlen(pairs[0]));
        void *rec = (char *)m->t[t].v + (size_t)idx * s->size;
        const char *why = "";
        char msg[NV_ERR_MSG_SIZE];
        if (!pairs[1])
            continue;
        rc = nv_schema_set_text(m, t, f, rec, pairs[1], strlen(pairs[1]), off,
                                &why);
        if (rc == NV_ENOMEM)
            return nv_err_set(err, rc, "out of memory");
        if (rc) {
            nv_schema_explain(s, f, why, msg, sizeof msg);
            return nv_model_error_at(m, err, rc, src, off, "%s", msg);
        }
    }
    if (!rc)
        mark_inferred(m, t, inferred);
    return rc ? rc : nv_schema_commit(m, t, err);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int sniff(const struct nv_file *f, const char *key)
{
    size_t n = f->len < SNIFF_BYTES ? f->len : SNIFF_BYTES;
    size_t k = strlen(key);

    for (size_t i = 0; f->data && i + k <= n; i++)
        if (memcmp(f->data + i, key, k) == 0)
            return 1;
    return 0;
}

/* A lone CSV file is one table of a bundle, named after it
 * ("entities.csv", or "x/entities.csv"). */
static enum nv_rc load_csv_file(struct nv_model *m, uint32_t src,
                                const char *path, const struct nv_file *f,
                                struct nv_err *err)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

    for (int t = 0; t < NV_T_COUNT; t++) {
        size_t n = strlen(nv_schemas[t].name);
        if (strncmp(base, nv_schemas[t].name, n) == 0 &&
            strcmp(base + n, ".csv") == 0)
            return nv_load_csv_table(m, (enum nv_table)t, src, f->data, f->len,
                                     err);
    }
    return nv_err_at(err, NV_EUNSUPPORTED, path, 0, 0,
                     "a CSV file is named after its table: entities.csv, "
                     "sites.csv, assets.csv, links.csv, flows.csv or "
                     "partners.csv");
}

/* JSON documents we read are objects: the first byte that is not a blank
 * (or a byte-order mark) is '{'. */
static int looks_like_json(const struct nv_file *f)
{
    size_t i = f->len >= 3 && memcmp(f->data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

    while (i < f->len && strchr(" \t\r\n", f->data[i]))
        i++;
    return i < f->len && f->data[i] == '{';
}

/* A small JSON document in another format: parse it whole, then load. */
static enum nv_rc load_json_dom(struct nv_model *m, uint32_t src,
                                const struct nv_file *f, int cyclonedx,
                                struct nv_err *err)
{
    struct nv_arena a;
    struct nv_json *root;
    enum nv_rc rc;

    nv_arena_init(&a);
    rc = nv_json_parse(f->data, f->len, m->sources[src], &a, &root, err);
    if (!rc && cyclonedx)
        rc = nv_load_cyclonedx(m, src, root, f->data, f->len, err);
    else if (!rc)
        rc = nv_load_sndlib(m, src, root, f->data, f->len, err);
    nv_arena_release(&a);
    return rc;
}

enum nv_rc nv_load_file(struct nv_model *m, const char *path,
                        struct nv_err *err)
{
    struct nv_file f;
    uint32_t src;
    enum nv_rc rc;

    if (nv_file_is_dir(path))
        return nv_load_csv_bundle(m, path, err);
    rc = nv_file_read(&f, path, NV_LOAD_MAX_FILE, err);
    if (rc)
        return rc;
    rc = nv_model_add_source(m, path, &src, err);
    nv_progress_begin(m->progress, "loading", path, f.len);
    if (!rc && has_suffix(path, ".graphml"))
        rc = nv_load_graphml(m, src, f.data, f.len, err);
    else if (!rc && has_suffix(path, ".csv"))
        rc = load_csv_file(m, src, path, &f, err);
    else if (!rc && nv_snapshot_is(f.data, f.len))
        rc = nv_err_at(err, NV_EUNSUPPORTED, path, 0, 0,
                       "a binary snapshot is a whole model and loads alone; "
                       "to merge it with other files, save it as JSON first "
                       "('netvet save %s -o model.json')",
                       path);
    else if (!rc && !looks_like_json(&f))
        rc = nv_err_at(err, NV_EUNSUPPORTED, path, 1, 1,
                       "unknown format: expected a JSON model or SBOM, a "
                       ".graphml topology or a CSV bundle directory");
    else if (!rc && sniff(&f, "\"netvet\""))
        rc = nv_load_native(m, src, f.data, f.len, err);
    else if (!rc && sniff(&f, "\"bomFormat\""))
        rc = load_json_dom(m, src, &f, 1, err);
    else if (!rc && (sniff(&f, "\"directed\"") || sniff(&f, "\"nodes\"")))
        rc = load_json_dom(m, src, &f, 0, err);
    else if (!rc)
        rc = nv_load_native(m, src, f.data, f.len, err);
    nv_file_release(&f);
    if (rc)
        nv_err_file(err, path);
    return rc;
}

enum nv_rc nv_load_text(struct nv_model *m, const char *name, const char *text,
                        size_t len, struct nv_err *err)
{
    uint32_t src;
    enum nv_rc rc = nv_model_add_source(m, name, &src, err);

    if (!rc)
        rc = nv_load_native(m, src, text, len, err);
    if (rc)
        nv_err_file(err, name);
    return rc;
}

enum nv_rc nv_load_model(const char *const *paths, size_t n,
                         struct nv_model **out, struct nv_err *err)
{
    return nv_load_model_progress(paths, n, NULL, out, err);
}

enum nv_rc nv_load_model_progress(const char *const *paths, size_t n,
                                  struct nv_progress *p, struct nv_model **out,
                                  struct nv_err *err)
{
    struct nv_model *m;
    enum nv_rc rc;

    /* A snapshot is checked and mapped, not parsed: too quick to show. */
    if (n == 1 && nv_snapshot_file_is(paths[0]))
        return nv_snapshot_load(paths[0], out, err);
    m = nv_model_new();
    rc = m ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");
    if (m)
        m->progress = p;
    for (size_t i = 0; i < n && !rc; i++)
        rc = nv_load_file(m, paths[i], err);
    nv_progress_end(p);
    if (m)
        m->progress = NULL;
    if (!rc)
        rc = nv_model_finish(m, err);
    if (rc) {
        nv_model_free(m);
        return rc;
    }
    *out = m;
    return NV_OK;
}
