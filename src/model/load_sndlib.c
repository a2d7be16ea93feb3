/*
 * load_sndlib.c - SNDlib networks in node-link JSON (as topohub ships
 * them): nodes {id, name, pos: [lon, lat]}, edges {source, target, dist},
 * and graph.demands, the traffic matrix {source: {target: volume}}.
 *
 * Each node becomes a site and a router asset named by the node's name;
 * each edge a link whose cost is its length in km; each demand a flow
 * (sector "transit") whose importance is its volume scaled so that the
 * largest demand of the network weighs 10.
 */
#include "model/load_int.h"
#include "core/parse.h"
#include "core/strmap.h"

#include <stdio.h>
#include <string.h>

struct snd {
    struct nv_model *m;
    uint32_t src;
    const char *text;
    size_t len;
    struct nv_err *err;
    struct nv_strmap names; /* node id (as text) -> index into nodes */
    const char **node_names;
};

static enum nv_rc bad(struct snd *s, size_t off, const char *what)
{
    return nv_json_error_at(s->err, NV_EPARSE, s->text, s->len,
                            s->m->sources[s->src], off, "SNDlib: %s", what);
}

/* Node ids are numbers or strings; either way their text is the key. */
static const char *node_key(const struct nv_json *id)
{
    int ok = id && (id->type == NV_JSON_NUMBER || id->type == NV_JSON_STRING);
    return ok ? id->u.str : NULL;
}

/* Whether pos is [lon, lat] on the globe; some SNDlib networks give
 * planar drawing coordinates instead, which are no position at all. */
static int geographic(const struct nv_json *pos)
{
    double lon, lat;

    return pos && pos->type == NV_JSON_ARRAY && pos->len == 2 &&
           pos->u.items[0].type == NV_JSON_NUMBER &&
           pos->u.items[1].type == NV_JSON_NUMBER &&
           !nv_parse_double(pos->u.items[0].u.str, pos->u.items[0].len, &lon) &&
           !nv_parse_double(pos->u.items[1].u.str, pos->u.items[1].len, &lat) &&
           lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

static enum nv_rc add_node(struct snd *s, const struct nv_json *n, uint32_t i)
{
    const struct nv_json *name = nv_json_get(n, "name");
    const struct nv_json *pos = nv_json_get(n, "pos");
    const char *key = node_key(nv_json_get(n, "id"));
    char lat[32] = "", lon[32] = "";
    const char *site[] = {"id", NULL,  "name", NULL, "lat",
                          NULL, "lon", NULL,   NULL};
    const char *asset[] = {"id",        NULL,    "site",   NULL, "layer",
                           "transport", "model", "router", NULL};
    uint32_t v;
    int found;
    enum nv_rc rc;

    if (!key || !name || name->type != NV_JSON_STRING || !name->len)
        return bad(s, n->off, "a node needs an id and a name");
    if (geographic(pos)) {
        snprintf(lon, sizeof lon, "%s", pos->u.items[0].u.str);
        snprintf(lat, sizeof lat, "%s", pos->u.items[1].u.str);
        site[5] = lat;
        site[7] = lon;
    }
    site[1] = site[3] = asset[1] = asset[3] = name->u.str;
    rc = nv_strmap_put(&s->names, key, strlen(key), i, &v, &found);
    if (rc)
        return nv_err_set(s->err, rc, "out of memory");
    if (found)
        return bad(s, n->off, "two nodes have the same id");
    s->node_names[i] = name->u.str;
    rc = nv_load_pairs(s->m, NV_T_SITE, s->src, n->off, site, s->err);
    /* The router's layer and model are guesses an inventory overrides. */
    return rc ? rc
              : nv_load_pairs_inferred(
                    s->m, NV_T_ASSET, s->src, n->off, asset,
                    (const char *const[]){"layer", "model", NULL}, s->err);
}

static const char *node_name(struct snd *s, const char *key)
{
    int64_t i = key ? nv_strmap_get(&s->names, key, strlen(key)) : -1;
    return i < 0 ? NULL : s->node_names[i];
}

static enum nv_rc add_edge(struct snd *s, const struct nv_json *e)
{
    const char *a = node_name(s, node_key(nv_json_get(e, "source")));
    const char *b = node_name(s, node_key(nv_json_get(e, "target")));
    const struct nv_json *dist = nv_json_get(e, "dist");
    const char *link[] = {"a", a, "b", b, "cost", NULL, NULL};

    if (!a || !b)
        return bad(s, e->off, "an edge names an unknown node");
    if (dist && dist->type == NV_JSON_NUMBER && strcmp(dist->u.str, "0"))
        link[5] = dist->u.str;
    return nv_load_pairs(s->m, NV_T_LINK, s->src, e->off, link, s->err);
}

/* The largest volume in the demand matrix (an object of objects). */
static double max_volume(const struct nv_json *matrix)
{
    double max = 0, v;

    for (size_t i = 0; i < matrix->len; i++) {
        const struct nv_json *row = &matrix->u.members[i].val;
        for (size_t k = 0; row->type == NV_JSON_OBJECT && k < row->len; k++) {
            const struct nv_json *x = &row->u.members[k].val;
            if (x->type == NV_JSON_NUMBER &&
                !nv_parse_double(x->u.str, x->len, &v) && v > max)
                max = v;
        }
    }
    return max;
}

static enum nv_rc add_demand(struct snd *s, size_t off, const char *from,
                             const char *to, double weight)
{
    char id[512], importance[32];
    const char *flow[] = {"id",         id,         "src",    from,
                          "dst",        to,         "sector", "transit",
                          "importance", importance, NULL};

    snprintf(id, sizeof id, "demand-%s-%s", from, to);
    snprintf(importance, sizeof importance, "%.6g", weight);
    return nv_load_pairs(s->m, NV_T_FLOW, s->src, off, flow, s->err);
}

static enum nv_rc add_demands(struct snd *s, const struct nv_json *matrix,
                              size_t off)
{
    double max = max_volume(matrix), v;
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < matrix->len && !rc; i++) {
        const struct nv_json_member *row = &matrix->u.members[i];
        const char *from = node_name(s, row->key);
        for (size_t k = 0;
             row->val.type == NV_JSON_OBJECT && k < row->val.len && !rc; k++) {
            const struct nv_json_member *x = &row->val.u.members[k];
            const char *to = node_name(s, x->key);
            if (!from || !to || x->val.type != NV_JSON_NUMBER ||
                nv_parse_double(x->val.u.str, x->val.len, &v))
                return bad(s, off, "a demand names an unknown node");
            if (v > 0 && strcmp(from, to) != 0)
                rc = add_demand(s, off, from, to, 10 * v / max);
        }
    }
    return rc;
}

static enum nv_rc load_demands(struct snd *s, const struct nv_json *graph)
{
    const struct nv_json *d = nv_json_get(graph, "demands");

    if (!d)
        return NV_OK;
    if (d->type != NV_JSON_OBJECT)
        return bad(s, d->off, "graph.demands is not a demand matrix");
    return add_demands(s, d, d->off);
}

static enum nv_rc load_nodes_edges(struct snd *s, const struct nv_json *nodes,
                                   const struct nv_json *edges)
{
    enum nv_rc rc = NV_OK;

    s->node_names =
        nv_arena_calloc(&s->m->arena, nodes->len + 1, sizeof *s->node_names);
    if (!s->node_names)
        return nv_err_set(s->err, NV_ENOMEM, "out of memory");
    for (size_t i = 0; i < nodes->len && !rc; i++)
        rc = add_node(s, &nodes->u.items[i], (uint32_t)i);
    for (size_t i = 0; i < edges->len && !rc; i++)
        rc = add_edge(s, &edges->u.items[i]);
    return rc;
}

enum nv_rc nv_load_sndlib(struct nv_model *m, uint32_t src,
                          const struct nv_json *root, const char *text,
                          size_t len, struct nv_err *err)
{
    struct snd s = {m, src, text, len, err, {0}, NULL};
    const struct nv_json *nodes = nv_json_get(root, "nodes");
    const struct nv_json *edges = nv_json_get(root, "edges");
    enum nv_rc rc;

    if (!edges)
        edges = nv_json_get(root, "links");
    if (!nodes || nodes->type != NV_JSON_ARRAY || !edges ||
        edges->type != NV_JSON_ARRAY)
        return bad(&s, root->off, "expected arrays \"nodes\" and \"edges\"");
    nv_strmap_init(&s.names);
    rc = load_nodes_edges(&s, nodes, edges);
    if (!rc)
        rc = load_demands(&s, nv_json_get(root, "graph"));
    nv_strmap_release(&s.names);
    return rc;
}
