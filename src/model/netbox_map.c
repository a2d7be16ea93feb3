/*
 * netbox_map.c - how NetBox roles become layers and which devices are
 * imported: the defaults, and the mapping file that adds to them.
 *
 * A role matches a rule when its slug or name, lowercased, equals the
 * rule's word or has it as one of its words (split at '-', '_' and
 * blanks): "core-router" matches "core".  Rules from files come first,
 * then the defaults, in order; the first that matches wins.
 */
#include "model/netbox_int.h"

#include "core/alloc.h"
#include "core/parse.h"

#include <ctype.h>
#include <string.h>

/* Words operators use in role names, most telling first.  "skip" marks
 * passive equipment whose ports cables are traced through. */
static const struct {
    const char *word;
    int layer;
} defaults[] = {
    {"patch", -1},
    {"panel", -1},
    {"odf", -1},
    {"core", NV_LAYER_CORE},
    {"5gc", NV_LAYER_CORE},
    {"epc", NV_LAYER_CORE},
    {"ims", NV_LAYER_CORE},
    {"ran", NV_LAYER_RAN},
    {"radio", NV_LAYER_RAN},
    {"gnb", NV_LAYER_RAN},
    {"enb", NV_LAYER_RAN},
    {"enodeb", NV_LAYER_RAN},
    {"bbu", NV_LAYER_RAN},
    {"baseband", NV_LAYER_RAN},
    {"antenna", NV_LAYER_RAN},
    {"management", NV_LAYER_MANAGEMENT},
    {"mgmt", NV_LAYER_MANAGEMENT},
    {"oob", NV_LAYER_MANAGEMENT},
    {"console", NV_LAYER_MANAGEMENT},
    {"oss", NV_LAYER_OSS},
    {"bss", NV_LAYER_OSS},
    {"nms", NV_LAYER_OSS},
    {"server", NV_LAYER_OSS},
    {"endpoint", NV_LAYER_ENDPOINT},
    {"cpe", NV_LAYER_ENDPOINT},
    {"phone", NV_LAYER_ENDPOINT},
    {"backbone", NV_LAYER_TRANSPORT},
    {"transport", NV_LAYER_TRANSPORT},
    {"aggregation", NV_LAYER_TRANSPORT},
    {"agg", NV_LAYER_TRANSPORT},
    {"pe", NV_LAYER_TRANSPORT},
    {"optical", NV_LAYER_TRANSPORT},
    {"dwdm", NV_LAYER_TRANSPORT},
    {"router", NV_LAYER_TRANSPORT},
};

#define MAX_LINE 1024

struct nv_netbox_map *nv_netbox_map_new(void)
{
    struct nv_netbox_map *map = nv_calloc(1, sizeof *map);

    if (!map)
        return NULL;
    nv_arena_init(&map->arena);
    map->region_depth = -1;
    return map;
}

void nv_netbox_map_free(struct nv_netbox_map *map)
{
    if (!map)
        return;
    nv_arena_release(&map->arena);
    nv_free(map);
}

/* Whether text (any case) is word or has it as one of its words. */
static int has_word(const char *text, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = text; p && *p;) {
        size_t k = strcspn(p, "-_ ");
        if (k == n && strncasecmp(p, word, n) == 0)
            return 1;
        p += k + (p[k] != '\0');
    }
    return 0;
}

static int matches(const char *slug, const char *name, const char *word)
{
    return (slug && (has_word(slug, word) || !strcasecmp(slug, word))) ||
           (name && (has_word(name, word) || !strcasecmp(name, word)));
}

int nb_map_layer(const struct nv_netbox_map *map, const char *slug,
                 const char *name)
{
    for (int i = 0; i < map->nrules; i++)
        if (matches(slug, name, map->rules[i].role))
            return map->rules[i].layer;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        if (matches(slug, name, defaults[i].word))
            return defaults[i].layer;
    return NV_LAYER_EDGE;
}

int nb_map_status(const struct nv_netbox_map *map, const char *status)
{
    if (!map->nstatus)
        return !status || !strcasecmp(status, "active");
    for (int i = 0; i < map->nstatus; i++)
        if (status && !strcasecmp(status, map->status[i]))
            return 1;
    return 0;
}

/* The words of one line, at most max; returns how many. */
static int split(char *line, char **w, int max)
{
    int n = 0;

    for (char *p = line; *p && n < max;) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (!*p || *p == '#')
            break;
        w[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
    }
    return n;
}

struct mapline {
    const char *name;
    unsigned long line;
};

static enum nv_rc bad(struct nv_err *err, const struct mapline *l,
                      const char *msg)
{
    return nv_err_at(err, NV_EPARSE, l->name, l->line, 1, "%s", msg);
}

static enum nv_rc add_rule(struct nv_netbox_map *map, char **w, int n,
                           const struct mapline *l, struct nv_err *err)
{
    int layer = nv_name_index(nv_layer_names, NV_LAYER_COUNT, w[2],
                              n == 3 ? strlen(w[2]) : 0);
    char *role;

    if (n != 3 || (layer < 0 && strcmp(w[2], "skip") != 0))
        return bad(err, l, "expected: layer ROLE LAYER (a layer or skip)");
    if (map->nrules == NB_MAX_RULES)
        return bad(err, l, "too many layer rules (at most 256)");
    role = nv_arena_strdup(&map->arena, w[1]);
    if (!role)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    map->rules[map->nrules].role = role;
    map->rules[map->nrules++].layer = layer;
    return NV_OK;
}

static enum nv_rc add_status(struct nv_netbox_map *map, char **w, int n,
                             const struct mapline *l, struct nv_err *err)
{
    if (n < 2)
        return bad(err, l, "expected: status STATUS...");
    for (int i = 1; i < n; i++) {
        if (map->nstatus == NB_MAX_STATUS)
            return bad(err, l, "too many statuses (at most 16)");
        map->status[map->nstatus] = nv_arena_strdup(&map->arena, w[i]);
        if (!map->status[map->nstatus++])
            return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    return NV_OK;
}

static enum nv_rc map_line(struct nv_netbox_map *map, char *line,
                           const struct mapline *l, struct nv_err *err)
{
    char *w[8];
    int n = split(line, w, 8);
    int64_t depth;

    if (n == 0)
        return NV_OK;
    if (!strcmp(w[0], "layer"))
        return add_rule(map, w, n, l, err);
    if (!strcmp(w[0], "status"))
        return add_status(map, w, n, l, err);
    if (!strcmp(w[0], "region-depth") && n == 2 &&
        !nv_parse_i64(w[1], strlen(w[1]), 0, 16, &depth)) {
        map->region_depth = (int)depth;
        return NV_OK;
    }
    return bad(err, l,
               "expected: layer ROLE LAYER, status STATUS... or "
               "region-depth N");
}

enum nv_rc nv_netbox_map_parse(struct nv_netbox_map *map, const char *text,
                               size_t len, const char *name, struct nv_err *err)
{
    struct mapline l = {name, 0};
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < len && !rc;) {
        size_t k = 0;
        char line[MAX_LINE];
        while (i + k < len && text[i + k] != '\n')
            k++;
        l.line++;
        if (k >= MAX_LINE || memchr(text + i, '\0', k))
            return bad(err, &l, "line too long or not text");
        memcpy(line, text + i, k);
        line[k && line[k - 1] == '\r' ? k - 1 : k] = '\0';
        rc = map_line(map, line, &l, err);
        i += k + 1;
    }
    return rc;
}
