/*
 * change.c - applying a proposed change to a copy of a model.
 *
 * The model is written out as native JSON, rewritten record by record
 * with the change applied, and loaded again: the changed model obeys
 * exactly the checks a model from a file does.
 */
#include "model/change.h"

#include "core/alloc.h"
#include "core/json.h"
#include "model/load_int.h"
#include "model/save.h"
#include "model/schema.h"
#include "core/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct change {
    const char *text, *path;
    size_t len;
    const struct nv_json *remove, *replace, *add;
    struct nv_strmap removed, replaced; /* asset id -> index in the lists */
};

static enum nv_rc bad(struct change *c, struct nv_err *err, size_t off,
                      const char *what)
{
    return nv_json_error_at(err, NV_EPARSE, c->text, c->len, c->path, off, "%s",
                            what);
}

static const char *str_member(const struct nv_json *o, const char *key)
{
    const struct nv_json *v = nv_json_get(o, key);
    return v && v->type == NV_JSON_STRING ? v->u.str : NULL;
}

/* Index the ids of a list of strings (remove) or of objects (replace). */
static enum nv_rc index_ids(struct change *c, const struct nv_json *list,
                            int objects, struct nv_strmap *map,
                            const struct nv_model *m, struct nv_err *err)
{
    for (size_t i = 0; list && i < list->len; i++) {
        const struct nv_json *e = &list->u.items[i];
        const char *id = objects
                             ? str_member(e, "id")
                             : (e->type == NV_JSON_STRING ? e->u.str : NULL);
        uint32_t v;
        int found;
        if (!id)
            return bad(c, err, e->off,
                       objects ? "a replacement needs an id"
                               : "expected an asset id");
        if (nv_model_find(m, NV_T_ASSET, id) == NV_NONE)
            return bad(c, err, e->off, "no such asset in the model");
        if (nv_strmap_put(map, id, strlen(id), (uint32_t)i, &v, &found))
            return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    return NV_OK;
}

static enum nv_rc read_change(struct change *c, const struct nv_json *root,
                              const struct nv_model *m, struct nv_err *err)
{
    enum nv_rc rc;

    c->remove = nv_json_get(root, "remove");
    c->replace = nv_json_get(root, "replace");
    c->add = nv_json_get(root, "add");
    if (root->type != NV_JSON_OBJECT ||
        (c->remove && c->remove->type != NV_JSON_ARRAY) ||
        (c->replace && c->replace->type != NV_JSON_ARRAY) ||
        (c->add && c->add->type != NV_JSON_OBJECT))
        return bad(c, err, root->off,
                   "a change is {\"remove\": [ids], \"replace\": "
                   "[assets], \"add\": {tables}}");
    rc = index_ids(c, c->remove, 0, &c->removed, m, err);
    return rc ? rc : index_ids(c, c->replace, 1, &c->replaced, m, err);
}

static int is_removed(const struct change *c, const char *id)
{
    return id && nv_strmap_get(&c->removed, id, strlen(id)) >= 0;
}

/* An asset with the replacement's fields over its own. */
static void write_asset(struct nv_jsonw *w, const struct change *c,
                        const struct nv_json *rec)
{
    const char *id = str_member(rec, "id");
    int64_t k = id ? nv_strmap_get(&c->replaced, id, strlen(id)) : -1;
    const struct nv_json *repl;

    if (k < 0) {
        nv_jsonw_value(w, rec);
        return;
    }
    repl = &c->replace->u.items[k];
    nv_jsonw_obj(w);
    for (size_t i = 0; i < rec->len; i++)
        if (!nv_json_get(repl, rec->u.members[i].key)) {
            nv_jsonw_key(w, rec->u.members[i].key);
            nv_jsonw_value(w, &rec->u.members[i].val);
        }
    for (size_t i = 0; i < repl->len; i++) {
        nv_jsonw_key(w, repl->u.members[i].key);
        nv_jsonw_value(w, &repl->u.members[i].val);
    }
    nv_jsonw_obj_end(w);
}

static int keep_record(const struct change *c, enum nv_table t,
                       const struct nv_json *rec)
{
    if (t == NV_T_ASSET)
        return !is_removed(c, str_member(rec, "id"));
    if (t == NV_T_LINK)
        return !is_removed(c, str_member(rec, "a")) &&
               !is_removed(c, str_member(rec, "b"));
    return 1;
}

static void write_table(struct nv_jsonw *w, const struct change *c,
                        enum nv_table t, const struct nv_json *cur)
{
    const struct nv_json *added = nv_json_get(c->add, nv_schemas[t].name);

    nv_jsonw_key(w, nv_schemas[t].name);
    nv_jsonw_arr(w);
    for (size_t i = 0; cur && i < cur->len; i++) {
        const struct nv_json *rec = &cur->u.items[i];
        if (!keep_record(c, t, rec))
            continue;
        if (t == NV_T_ASSET)
            write_asset(w, c, rec);
        else
            nv_jsonw_value(w, rec);
    }
    for (size_t i = 0; added && added->type == NV_JSON_ARRAY && i < added->len;
         i++)
        nv_jsonw_value(w, &added->u.items[i]);
    nv_jsonw_arr_end(w);
}

/* A flow may not lose an asset it starts, ends or is routed at. */
static enum nv_rc check_flows(struct change *c, const struct nv_model *m,
                              struct nv_err *err)
{
    for (uint32_t f = 0; f < NV_COUNT(m, NV_T_FLOW); f++) {
        const struct nv_flow *fl = &NV_FLOWS(m)[f];
        const char *gone = is_removed(c, fl->src.id)   ? fl->src.id
                           : is_removed(c, fl->dst.id) ? fl->dst.id
                                                       : NULL;
        for (uint32_t k = 0; !gone && k < fl->path.n; k++)
            gone = is_removed(c, fl->path.v[k].id) ? fl->path.v[k].id : NULL;
        if (gone)
            return nv_json_error_at(
                err, NV_EINVAL, c->text, c->len, c->path, c->remove->off,
                "removing '%s' would break flow '%s'", gone, fl->id);
    }
    return NV_OK;
}

/* m as native JSON in memory, rewritten with the change. */
static enum nv_rc rewrite(struct change *c, const struct nv_model *m,
                          struct nv_arena *a, char **text, size_t *len,
                          struct nv_err *err)
{
    char *saved = NULL;
    size_t nsaved = 0;
    FILE *f = open_memstream(&saved, &nsaved);
    struct nv_json *cur;
    struct nv_jsonw *w;
    enum nv_rc rc = f ? nv_save_json(m, f, err) : NV_ENOMEM;

    if (f)
        fclose(f);
    rc = rc ? rc : nv_json_parse(saved, nsaved, "model", a, &cur, err);
    f = rc ? NULL : open_memstream(text, len);
    w = f ? nv_jsonw_new(f, 0) : NULL;
    if (!rc && w) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "netvet");
        nv_jsonw_int(w, 1);
        for (int t = 0; t < NV_T_COUNT; t++)
            write_table(w, c, (enum nv_table)t,
                        nv_json_get(cur, nv_schemas[t].name));
        nv_jsonw_obj_end(w);
        rc = nv_jsonw_finish(w, err);
    } else if (!rc) {
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    nv_jsonw_free(w);
    if (f)
        fclose(f);
    free(saved); /* open_memstream buffers come from malloc */
    return rc;
}

static enum nv_rc load_changed(const char *path, const char *text, size_t len,
                               struct nv_model **out, struct nv_err *err)
{
    struct nv_model *m2 = nv_model_new();
    uint32_t src;
    enum nv_rc rc = m2 ? nv_model_add_source(m2, path, &src, err) : NV_ENOMEM;

    rc = rc ? rc : nv_load_native(m2, src, text, len, err);
    rc = rc ? rc : nv_model_finish(m2, err);
    if (rc) {
        nv_model_free(m2);
        return rc == NV_ENOMEM ? nv_err_set(err, rc, "out of memory") : rc;
    }
    *out = m2;
    return NV_OK;
}

enum nv_rc nv_change_apply(const struct nv_model *m, const char *path,
                           const char *text, size_t len, struct nv_model **out,
                           struct nv_err *err)
{
    struct change c = {text, path, len, NULL, NULL, NULL, {0}, {0}};
    struct nv_arena a;
    struct nv_json *root;
    char *changed = NULL;
    size_t nchanged = 0;
    enum nv_rc rc;

    nv_arena_init(&a);
    nv_strmap_init(&c.removed);
    nv_strmap_init(&c.replaced);
    rc = nv_json_parse(text, len, path, &a, &root, err);
    rc = rc ? rc : read_change(&c, root, m, err);
    rc = rc ? rc : check_flows(&c, m, err);
    rc = rc ? rc : rewrite(&c, m, &a, &changed, &nchanged, err);
    rc = rc ? rc : load_changed(path, changed, nchanged, out, err);
    free(changed);
    nv_strmap_release(&c.removed);
    nv_strmap_release(&c.replaced);
    nv_arena_release(&a);
    return rc;
}
