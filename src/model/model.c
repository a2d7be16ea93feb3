/*
 * model.c - the model's lifetime, reference resolution and the graph.
 *
 * Loading only appends records; nv_model_finish turns string references
 * into indices, so files may refer to records that a later file defines.
 */
#include "model/model.h"

#include "core/alloc.h"
#include "core/file.h"
#include "core/parse.h"
#include "model/resolve.h"
#include "model/schema.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const nv_asset_kind_names[NV_KIND_COUNT] = {
    "device", "firmware", "software", "nf", "app"};
const char *const nv_layer_names[NV_LAYER_COUNT] = {
    "core", "ran", "transport", "edge", "management", "oss", "endpoint"};
const char *const nv_class_names[NV_CLASS_COUNT] = {
    "unclassified", "restricted", "confidential", "secret", "top-secret"};
const char *const nv_designation_names[NV_DESIG_COUNT] = {
    "trusted", "standard", "high-risk", "prohibited"};

int nv_name_index(const char *const *names, int n, const char *s, size_t len)
{
    for (int i = 0; i < n; i++)
        if (nv_str_eq(s, len, names[i]))
            return i;
    return -1;
}

struct nv_model *nv_model_new(void)
{
    struct nv_model *m = nv_calloc(1, sizeof *m);

    if (!m)
        return NULL;
    nv_arena_init(&m->arena);
    for (int t = 0; t < NV_T_COUNT; t++)
        nv_strmap_init(&m->ids[t]);
    return m;
}

void nv_model_free(struct nv_model *m)
{
    if (!m)
        return;
    for (int t = 0; t < NV_T_COUNT; t++) {
        if (!(m->borrowed & 1u << t))
            nv_free(m->t[t].v);
        nv_strmap_release(&m->ids[t]);
    }
    nv_free(m->sources);
    nv_free(m->overrides);
    nv_free(m->vres);
    nv_free(m->graph.off);
    nv_free(m->graph.adj);
    nv_free(m->graph.link);
    nv_free(m->graph.cost);
    nv_arena_release(&m->arena);
    nv_file_release(&m->backing);
    nv_free(m);
}

enum nv_rc nv_model_add_source(struct nv_model *m, const char *path,
                               uint32_t *src, struct nv_err *err)
{
    const char **v = nv_reallocarray(m->sources, m->nsources + 1, sizeof *v);
    const char *copy;

    if (!v)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    m->sources = v;
    copy = nv_arena_strdup(&m->arena, path);
    if (!copy)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    v[m->nsources] = copy;
    *src = m->nsources++;
    return NV_OK;
}

/* The id of record i of table t. */
static const char *id_of(const struct nv_model *m, enum nv_table t, uint32_t i)
{
    const char *id;

    memcpy(&id,
           (const char *)m->t[t].v + (size_t)i * nv_schemas[t].size +
               nv_schemas[t].fields[0].offset,
           sizeof id);
    return id;
}

/* Binary search of a snapshot's index of table t. */
static uint32_t find_sorted(const struct nv_model *m, enum nv_table t,
                            const char *id)
{
    const uint32_t *v = m->sorted[t];
    uint32_t lo = 0, hi = m->t[t].n;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(id, id_of(m, t, v[mid]));
        if (c == 0)
            return v[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NV_NONE;
}

uint32_t nv_model_find(const struct nv_model *m, enum nv_table table,
                       const char *id)
{
    int64_t i;

    if (m->sorted[table])
        return find_sorted(m, table, id);
    i = nv_strmap_get(&m->ids[table], id, strlen(id));
    return i < 0 ? NV_NONE : (uint32_t)i;
}

/* The id map of table t, made from a snapshot's index before a record is
 * added to it. */
static enum nv_rc own_ids(struct nv_model *m, enum nv_table t,
                          struct nv_err *err)
{
    uint32_t got;
    int found;

    for (uint32_t i = 0; m->sorted[t] && i < m->t[t].n; i++) {
        const char *id = id_of(m, t, i);
        if (nv_strmap_put(&m->ids[t], id, strlen(id), i, &got, &found))
            return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    m->sorted[t] = NULL;
    return NV_OK;
}

void nv_model_pos(const struct nv_model *m, uint32_t src, size_t off,
                  unsigned long *line, unsigned long *col)
{
    struct nv_file f;
    struct nv_err ignored = {0};

    *line = *col = 0;
    if (src >= m->nsources || nv_file_is_dir(m->sources[src]) ||
        nv_file_read(&f, m->sources[src], (size_t)-1, &ignored))
        return;
    nv_text_pos(f.data, f.len, off, line, col);
    nv_file_release(&f);
}

enum nv_rc nv_model_error_at(const struct nv_model *m, struct nv_err *err,
                             enum nv_rc rc, uint32_t src, size_t off,
                             const char *fmt, ...)
{
    unsigned long line, col;
    va_list ap;

    if (!err)
        return rc;
    nv_model_pos(m, src, off, &line, &col);
    nv_err_at(err, rc, src < m->nsources ? m->sources[src] : NULL, line, col,
              "%s", "");
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return rc;
}

/* Resolve r against table t; an unknown id is an error at r's position. */
static enum nv_rc resolve_ref(struct nv_model *m, struct nv_ref *r,
                              enum nv_table t, uint32_t src, struct nv_err *err)
{
    if (!r->id || r->idx != NV_NONE)
        return NV_OK;
    r->idx = nv_model_find(m, t, r->id);
    if (r->idx == NV_NONE)
        return nv_model_error_at(m, err, NV_ENOENT, src, r->off,
                                 "unknown %s '%s'", nv_schemas[t].noun, r->id);
    return NV_OK;
}

/* Resolve every reference field of every record of table t. */
static enum nv_rc resolve_table(struct nv_model *m, enum nv_table t,
                                struct nv_err *err)
{
    const struct nv_schema *s = &nv_schemas[t];
    enum nv_rc rc = NV_OK;

    /* Links refer back to assets loaded before them: the 3M links of a
     * national model usually have nothing left to resolve. */
    for (uint32_t i = 0; m->forward[t] && i < m->t[t].n && !rc; i++) {
        char *rec = (char *)m->t[t].v + (size_t)i * s->size;
        uint32_t src = ((struct nv_rec *)rec)->src;
        for (int k = 0; k < s->nfields && !rc; k++) {
            const struct nv_field *f = &s->fields[k];
            struct nv_refs *refs = (struct nv_refs *)(rec + f->offset);
            if (f->type == NV_F_REF)
                rc = resolve_ref(m, (struct nv_ref *)(rec + f->offset),
                                 f->target, src, err);
            for (uint32_t j = 0; f->type == NV_F_REFS && j < refs->n && !rc;
                 j++)
                rc = resolve_ref(m, &refs->v[j], f->target, src, err);
        }
    }
    return rc;
}

/* Set each entity's root to its ultimate parent; a cycle is an error. */
static enum nv_rc find_roots(struct nv_model *m, struct nv_err *err)
{
    struct nv_entity *e = NV_ENTITIES(m);
    uint32_t n = NV_COUNT(m, NV_T_ENTITY);

    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = i, steps = 0;
        while (e[r].parent.idx != NV_NONE && steps++ <= n)
            r = e[r].parent.idx;
        if (steps > n)
            return nv_model_error_at(
                m, err, NV_EPARSE, e[i].rec.src, e[i].rec.off,
                "entity '%s' is its own ancestor", e[i].id);
        e[i].root = r;
    }
    return NV_OK;
}

enum nv_rc nv_model_build_graph(struct nv_model *m, struct nv_err *err)
{
    struct nv_graph *g = &m->graph;
    const struct nv_link *l = NV_LINKS(m);
    uint32_t nl = NV_COUNT(m, NV_T_LINK), *fill;

    g->n = NV_COUNT(m, NV_T_ASSET);
    if (nl > UINT32_MAX / 2)
        return nv_err_set(err, NV_ELIMIT, "too many links");
    g->off = nv_calloc((size_t)g->n + 1, sizeof *g->off);
    g->adj = nv_calloc((size_t)nl * 2, sizeof *g->adj);
    g->link = nv_calloc((size_t)nl * 2, sizeof *g->link);
    g->cost = nv_calloc((size_t)nl * 2, sizeof *g->cost);
    fill = nv_calloc((size_t)g->n + 1, sizeof *fill);
    if (!g->off || !g->adj || !g->link || !g->cost || !fill) {
        nv_free(fill);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    for (uint32_t i = 0; i < nl; i++) {
        /* A snapshot's links are checked while the graph is built. */
        if (l[i].a.idx >= g->n || l[i].b.idx >= g->n) {
            nv_free(fill);
            return nv_err_set(err, NV_EPARSE, "link %u names no asset", i);
        }
        g->off[l[i].a.idx + 1]++;
        g->off[l[i].b.idx + 1]++;
    }
    for (uint32_t v = 0; v < g->n; v++)
        g->off[v + 1] += g->off[v];
    memcpy(fill, g->off, ((size_t)g->n + 1) * sizeof *fill);
    for (uint32_t i = 0; i < nl; i++) {
        uint32_t a = l[i].a.idx, b = l[i].b.idx;
        g->adj[fill[a]] = b;
        g->cost[fill[a]] = l[i].cost;
        g->link[fill[a]++] = i;
        g->adj[fill[b]] = a;
        g->cost[fill[b]] = l[i].cost;
        g->link[fill[b]++] = i;
    }
    nv_free(fill);
    return NV_OK;
}

static int adjacent(const struct nv_graph *g, uint32_t a, uint32_t b)
{
    for (uint32_t k = g->off[a]; k < g->off[a + 1]; k++)
        if (g->adj[k] == b)
            return 1;
    return 0;
}

/* Assets no file called transit or not get the default of their layer:
 * radios and end devices do not forward other assets' traffic. */
static void default_transit(struct nv_model *m)
{
    const struct nv_schema *s = &nv_schemas[NV_T_ASSET];
    uint32_t bit = 1u << (nv_schema_field(s, "transit", 7) - s->fields);
    struct nv_asset *a = NV_ASSETS(m);

    for (uint32_t i = 0; i < NV_COUNT(m, NV_T_ASSET); i++)
        if (!(a[i].rec.set & bit))
            a[i].transit =
                a[i].layer != NV_LAYER_RAN && a[i].layer != NV_LAYER_ENDPOINT;
}

/* What is wrong with flow i's declared path, or NULL: it must run from
 * the source to the destination over links that exist, without visiting
 * an asset twice nor passing through a non-transit asset.  seen[v] == i +
 * 1 marks assets visited. */
static const char *path_problem(const struct nv_model *m, uint32_t i,
                                uint32_t *seen)
{
    const struct nv_flow *f = &NV_FLOWS(m)[i];
    const struct nv_refs *p = &f->path;

    if (p->v[0].idx != f->src.idx)
        return "does not start at the flow's source";
    if (p->v[p->n - 1].idx != f->dst.idx)
        return "does not end at the flow's destination";
    for (uint32_t k = 0; k < p->n; k++) {
        if (seen[p->v[k].idx] == i + 1)
            return "visits an asset twice (a route is a simple path)";
        seen[p->v[k].idx] = i + 1;
        if (k && !adjacent(&m->graph, p->v[k - 1].idx, p->v[k].idx))
            return "uses a link that does not exist";
        if (k && k + 1 < p->n && !NV_ASSETS(m)[p->v[k].idx].transit)
            return "passes through a non-transit asset";
    }
    return NULL;
}

static enum nv_rc check_paths(struct nv_model *m, struct nv_err *err)
{
    const struct nv_flow *f = NV_FLOWS(m);
    uint32_t *seen = nv_calloc((size_t)m->graph.n + 1, sizeof *seen);
    enum nv_rc rc = seen ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");

    for (uint32_t i = 0; !rc && i < NV_COUNT(m, NV_T_FLOW); i++) {
        const char *why = f[i].path.n ? path_problem(m, i, seen) : NULL;
        if (why)
            rc = nv_model_error_at(m, err, NV_EPARSE, f[i].rec.src,
                                   f[i].path.v[0].off, "flow '%s': path %s",
                                   f[i].id, why);
    }
    nv_free(seen);
    return rc;
}

enum nv_rc nv_model_finish(struct nv_model *m, struct nv_err *err)
{
    enum nv_rc rc = nv_schema_check_required(m, err);

    for (int t = 0; t < NV_T_COUNT && !rc; t++)
        rc = resolve_table(m, (enum nv_table)t, err);
    if (!rc)
        rc = find_roots(m, err);
    if (!rc)
        rc = nv_resolve_model(m, err);
    if (!rc)
        rc = nv_model_build_graph(m, err);
    if (!rc)
        default_transit(m);
    return rc ? rc : nv_model_finish_checked(m, err);
}

enum nv_rc nv_model_finish_checked(struct nv_model *m, struct nv_err *err)
{
    /* Resolving vendors may have added parented entities: roots again. */
    enum nv_rc rc = find_roots(m, err);

    if (!rc)
        rc = check_paths(m, err);
    if (!rc)
        m->finished = 1;
    return rc;
}

enum nv_designation nv_model_designation(const struct nv_model *m,
                                         uint32_t entity)
{
    const struct nv_entity *e = NV_ENTITIES(m);
    enum nv_designation d = NV_DESIG_TRUSTED;
    uint32_t steps = 0;

    for (uint32_t i = entity;
         i != NV_NONE && steps++ <= NV_COUNT(m, NV_T_ENTITY);
         i = e[i].parent.idx)
        if (e[i].designation > d)
            d = e[i].designation;
    return d;
}

/* Record that field name of entity e was given, as a loader would. */
static void mark_given(struct nv_entity *e, const char *name, int given)
{
    const struct nv_schema *s = &nv_schemas[NV_T_ENTITY];
    const struct nv_field *f = nv_schema_field(s, name, strlen(name));

    if (given)
        e->rec.set |= 1u << (f - s->fields);
}

enum nv_rc nv_model_add_entity(struct nv_model *m, const char *id,
                               const char *name, const char *country,
                               enum nv_designation d, uint32_t parent,
                               uint32_t *idx, struct nv_err *err)
{
    struct nv_entity *e;
    int found;
    enum nv_rc rc = own_ids(m, NV_T_ENTITY, err);

    if (!rc)
        rc = nv_schema_new_record(m, NV_T_ENTITY, 0, 0, idx, err);
    if (rc)
        return rc;
    e = &NV_ENTITIES(m)[*idx];
    e->id = nv_arena_strdup(&m->arena, id);
    e->name = name ? nv_arena_strdup(&m->arena, name) : NULL;
    e->country = country ? nv_arena_strdup(&m->arena, country) : NULL;
    e->designation = d;
    e->parent.idx = parent;
    e->parent.id = parent == NV_NONE ? NULL : NV_ENTITIES(m)[parent].id;
    e->root = parent == NV_NONE ? *idx : NV_ENTITIES(m)[parent].root;
    mark_given(e, "id", 1);
    mark_given(e, "name", name != NULL);
    mark_given(e, "country", country != NULL);
    mark_given(e, "designation", 1);
    mark_given(e, "parent", parent != NV_NONE);
    if (!e->id || (name && !e->name) || (country && !e->country) ||
        nv_strmap_put(&m->ids[NV_T_ENTITY], e->id, strlen(e->id), *idx, idx,
                      &found))
        rc = NV_ENOMEM;
    if (rc) {
        m->t[NV_T_ENTITY].n--;
        return nv_err_set(err, rc, "out of memory");
    }
    return NV_OK;
}
