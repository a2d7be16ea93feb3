/*
 * load_graphml.c - GraphML topologies such as the Internet Topology Zoo's.
 *
 * Each node becomes a site and a router asset (layer transport) with the
 * node's id; each edge becomes a link between the two routers.  Node data
 * label, Latitude, Longitude and Country give the site's name, position
 * and region; edge data LinkSpeedRaw (bit/s) gives the capacity.  Other
 * data are ignored.  Edges are undirected whatever the file says.
 * The XML grammar is expat's; only this file includes it.
 */
#include "core/buf.h"
#include "model/load_int.h"
#include "core/parse.h"

#include <expat.h>
#include <stdio.h>
#include <string.h>

#define MAX_KEYS 512
#define MAX_TEXT ((size_t)1 << 16)

/* The node and edge attributes we read, by GraphML attr.name. */
enum attr { A_LABEL, A_LAT, A_LON, A_COUNTRY, A_SPEED, A_COUNT };
static const char *const attr_names[A_COUNT] = {
    "label", "Latitude", "Longitude", "Country", "LinkSpeedRaw"};

struct gkey {
    char id[64];
    int attr; /* enum attr, or -1 */
};

struct gml {
    XML_Parser xp;
    struct nv_model *m;
    uint32_t src;
    struct nv_err *err;
    enum nv_rc rc;
    struct gkey keys[MAX_KEYS];
    int nkeys;
    int in_node, in_edge, data_attr; /* data_attr: enum attr or -1 */
    size_t off;                      /* where the current element began */
    char *id, *a, *b;                /* node id; edge ends */
    struct nv_buf text;              /* text of the current <data> */
    char *value[A_COUNT];            /* values of the current element */
};

static const char *attr_of(const char **atts, const char *name)
{
    for (; atts[0]; atts += 2)
        if (strcmp(atts[0], name) == 0)
            return atts[1];
    return NULL;
}

static void stop(struct gml *g, enum nv_rc rc, const char *msg)
{
    if (!g->rc) {
        g->rc = nv_model_error_at(g->m, g->err, rc, g->src,
                                  (size_t)XML_GetCurrentByteIndex(g->xp), "%s",
                                  msg);
    }
    XML_StopParser(g->xp, XML_FALSE);
}

static char *keep_n(struct gml *g, const char *s, size_t n)
{
    char *copy = nv_arena_strndup(&g->m->arena, s, n);
    if (!copy)
        stop(g, NV_ENOMEM, "out of memory");
    return copy;
}

static char *keep(struct gml *g, const char *s)
{
    return s ? keep_n(g, s, strlen(s)) : NULL;
}

static void on_key(struct gml *g, const char **atts)
{
    const char *id = attr_of(atts, "id"), *name = attr_of(atts, "attr.name");
    struct gkey *k;

    if (!id) {
        stop(g, NV_EPARSE, "<key> without an id");
        return;
    }
    if (g->nkeys == MAX_KEYS || strlen(id) >= sizeof k->id) {
        stop(g, NV_ELIMIT, "too many or too long <key> ids");
        return;
    }
    k = &g->keys[g->nkeys++];
    snprintf(k->id, sizeof k->id, "%s", id);
    k->attr =
        name ? nv_name_index(attr_names, A_COUNT, name, strlen(name)) : -1;
}

static void on_data(struct gml *g, const char **atts)
{
    const char *key = attr_of(atts, "key");

    g->data_attr = -1;
    nv_buf_reset(&g->text);
    for (int i = 0; key && i < g->nkeys; i++)
        if (strcmp(g->keys[i].id, key) == 0)
            g->data_attr = g->keys[i].attr;
}

static void begin_element(struct gml *g, const char **atts, int edge)
{
    memset(g->value, 0, sizeof g->value);
    g->off = (size_t)XML_GetCurrentByteIndex(g->xp);
    if (edge) {
        g->in_edge = 1;
        g->a = keep(g, attr_of(atts, "source"));
        g->b = keep(g, attr_of(atts, "target"));
        if (!g->a || !g->b)
            stop(g, NV_EPARSE, "<edge> needs source and target");
    } else {
        g->in_node = 1;
        g->id = keep(g, attr_of(atts, "id"));
        if (!g->id)
            stop(g, NV_EPARSE, "<node> without an id");
    }
}

static void XMLCALL on_start(void *ud, const char *name, const char **atts)
{
    struct gml *g = ud;

    if (strcmp(name, "key") == 0)
        on_key(g, atts);
    else if (strcmp(name, "node") == 0 && !g->in_node && !g->in_edge)
        begin_element(g, atts, 0);
    else if (strcmp(name, "edge") == 0 && !g->in_node && !g->in_edge)
        begin_element(g, atts, 1);
    else if (strcmp(name, "data") == 0)
        on_data(g, atts);
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
    struct gml *g = ud;

    enum nv_rc rc =
        g->data_attr >= 0 ? nv_buf_add(&g->text, s, (size_t)len) : NV_OK;

    if (rc)
        stop(g, rc, rc == NV_ENOMEM ? "out of memory" : "<data> text too long");
}

/* Blanks around data values are layout, not content. */
static char *trimmed_text(struct gml *g)
{
    const char *s = g->text.data;
    size_t n = g->text.len;

    while (n && strchr(" \t\r\n", s[0]))
        s++, n--;
    while (n && strchr(" \t\r\n", s[n - 1]))
        n--;
    return n ? keep_n(g, s, n) : NULL;
}

static void end_node(struct gml *g)
{
    const char *site[] = {"id",     g->id,
                          "name",   g->value[A_LABEL],
                          "lat",    g->value[A_LAT],
                          "lon",    g->value[A_LON],
                          "region", g->value[A_COUNTRY],
                          NULL};
    const char *asset[] = {"id",    g->id,    "site",  g->id,
                           "kind",  "device", "layer", "transport",
                           "model", "router", NULL};
    /* What a topology only infers gives way to an inventory's word. */
    const char *const guessed_site[] = {"region", NULL};
    const char *const guessed_asset[] = {"kind", "layer", "model", NULL};
    enum nv_rc rc = nv_load_pairs_inferred(g->m, NV_T_SITE, g->src, g->off,
                                           site, guessed_site, g->err);

    if (!rc)
        rc = nv_load_pairs_inferred(g->m, NV_T_ASSET, g->src, g->off, asset,
                                    guessed_asset, g->err);
    if (rc) {
        g->rc = rc;
        XML_StopParser(g->xp, XML_FALSE);
    }
}

static void end_edge(struct gml *g)
{
    char gbps[64];
    const char *link[] = {"a", g->a, "b", g->b, "capacity_gbps", NULL, NULL};
    double bps;
    enum nv_rc rc;

    if (g->value[A_SPEED]) {
        if (nv_parse_double(g->value[A_SPEED], strlen(g->value[A_SPEED]),
                            &bps) ||
            bps < 0) {
            stop(g, NV_EPARSE, "LinkSpeedRaw is not a number >= 0");
            return;
        }
        snprintf(gbps, sizeof gbps, "%.17g", bps / 1e9);
        link[5] = gbps;
    }
    rc = nv_load_pairs(g->m, NV_T_LINK, g->src, g->off, link, g->err);
    if (rc) {
        g->rc = rc;
        XML_StopParser(g->xp, XML_FALSE);
    }
}

static void XMLCALL on_end(void *ud, const char *name)
{
    struct gml *g = ud;

    if (strcmp(name, "data") == 0 && g->data_attr >= 0 &&
        (g->in_node || g->in_edge)) {
        g->value[g->data_attr] = trimmed_text(g);
        g->data_attr = -1;
    } else if (strcmp(name, "data") == 0) {
        g->data_attr = -1;
    } else if (strcmp(name, "node") == 0 && g->in_node) {
        g->in_node = 0;
        end_node(g);
    } else if (strcmp(name, "edge") == 0 && g->in_edge) {
        g->in_edge = 0;
        end_edge(g);
    }
}

enum nv_rc nv_load_graphml(struct nv_model *m, uint32_t src, const char *text,
                           size_t len, struct nv_err *err)
{
    struct gml g;
    enum XML_Status st;

    memset(&g, 0, sizeof g);
    g.m = m;
    g.src = src;
    g.err = err;
    g.data_attr = -1;
    nv_buf_init(&g.text, MAX_TEXT);
    g.xp = XML_ParserCreate(NULL);
    if (!g.xp)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    XML_SetUserData(g.xp, &g);
    XML_SetElementHandler(g.xp, on_start, on_end);
    XML_SetCharacterDataHandler(g.xp, on_text);
    if (len > (size_t)INT32_MAX)
        g.rc = nv_err_at(err, NV_ELIMIT, m->sources[src], 0, 0,
                         "GraphML file larger than 2 GiB");
    st = g.rc ? XML_STATUS_ERROR : XML_Parse(g.xp, text, (int)len, 1);
    if (st == XML_STATUS_ERROR && !g.rc)
        g.rc = nv_err_at(
            err, NV_EPARSE, m->sources[src], XML_GetCurrentLineNumber(g.xp),
            XML_GetCurrentColumnNumber(g.xp) + 1, "malformed GraphML: %s",
            XML_ErrorString(XML_GetErrorCode(g.xp)));
    XML_ParserFree(g.xp);
    nv_buf_release(&g.text);
    return g.rc;
}
