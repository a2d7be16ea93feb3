/*
 * synth.c - the national network generator.
 *
 * Every record goes through nv_load_pairs, exactly as a file's would, so
 * a generated model obeys the same checks as a loaded one.  Randomness is
 * a splitmix64 stream from the seed; nothing depends on the clock.
 */
#include "model/synth.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "model/load.h"
#include "model/load_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct vendor {
    const char *id, *name, *aliases, *country, *designation, *parent;
};

/* The vendors that matter in European networks.  Aliases are spellings
 * seen in inventories; assets use them at random so resolution has work. */
static const struct vendor named[] = {
    {"huawei", "Huawei Technologies Co., Ltd.",
     "Huawei;HUAWEI TECHNOLOGIES CO.,LTD;Huawei Tech. Co", "CN", "high-risk",
     NULL},
    {"hisilicon", "HiSilicon Technologies Co., Ltd.", "HiSilicon", "CN",
     "standard", "huawei"},
    {"zte", "ZTE Corporation", "ZTE;ZTE Corp.", "CN", "high-risk", NULL},
    {"ericsson", "Telefonaktiebolaget LM Ericsson", "Ericsson;Ericsson AB",
     "SE", "trusted", NULL},
    {"nokia", "Nokia Solutions and Networks Oy", "Nokia;Nokia Networks", "FI",
     "trusted", NULL},
    {"samsung", "Samsung Electronics Co., Ltd.", "Samsung;Samsung Networks",
     "KR", "trusted", NULL},
    {"cisco", "Cisco Systems, Inc.", "Cisco;CISCO SYSTEMS INC", "US", "trusted",
     NULL},
    {"juniper", "Juniper Networks, Inc.", "Juniper", "US", "trusted", NULL},
};
#define NNAMED ((uint32_t)(sizeof named / sizeof named[0]))

/* Market-share weights per layer, in percent of the named vendors (see
 * docs/synth.md for the sources); generic vendors add 2 each. */
enum { W_RAN, W_TRANSPORT, W_CORE, W_COUNT };
static const int weights[W_COUNT][NNAMED] = {
    /* huawei hisilicon zte ericsson nokia samsung cisco juniper */
    {35, 0, 5, 30, 25, 5, 0, 0},
    {15, 0, 5, 5, 25, 0, 35, 15},
    {20, 0, 0, 20, 30, 0, 30, 0},
};

static const char *const generic_countries[] = {"DE", "FR", "JP", "IL",
                                                "IN", "TW", "GB", "IT"};

/* Sectors of critical flows: importance, and how often they are
 * classified and encrypted (percent). */
struct sector {
    const char *name, *tag;
    int importance, secret, classified, encrypted;
};
static const struct sector sectors[] = {
    {"defence", "military", 10, 45, 95, 60},
    {"government", "government", 7, 10, 80, 50},
    {"power", "power", 8, 0, 30, 30},
    {"water", "water", 8, 0, 20, 20},
    {"finance", "finance", 6, 0, 40, 70},
    {"emergency", "emergency", 9, 0, 50, 40},
    {"health", "hospital", 7, 0, 30, 40},
};
#define NSECTORS ((uint32_t)(sizeof sectors / sizeof sectors[0]))

struct node {
    char name[64];
    double lat, lon;
    uint32_t degree, ran_first, ran_count;
    int ran_vendor, ran_vendor2; /* indices into the vendor pool */
};

struct gen {
    const struct nv_synth_opts *o;
    struct nv_model *m;
    struct nv_err *err;
    uint32_t src;
    uint64_t rng;
    struct node *nodes;
    uint32_t nnodes;
    uint32_t (*edges)[2];
    uint32_t nedges;
    uint32_t nvendors;
    uint32_t ncrit;
};

static uint64_t next(struct gen *g)
{
    uint64_t z = (g->rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double uniform(struct gen *g)
{
    return (double)(next(g) >> 11) / 9007199254740992.0;
}

static uint32_t below(struct gen *g, uint32_t n)
{
    return n ? (uint32_t)(uniform(g) * n) : 0;
}

/* Standard normal (Box-Muller). */
static double normal(struct gen *g)
{
    double u = uniform(g) + 1e-12, v = uniform(g);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static enum nv_rc add(struct gen *g, enum nv_table t, const char **pairs)
{
    return nv_load_pairs(g->m, t, g->src, 0, pairs, g->err);
}

static enum nv_rc add_named(struct gen *g, const struct vendor *v)
{
    const char *e[] = {"id",          v->id,          "name",    v->name,
                       "aliases",     v->aliases,     "country", v->country,
                       "designation", v->designation, "parent",  v->parent,
                       NULL};
    return add(g, NV_T_ENTITY, e);
}

/* Generic vendors fill the market out to the requested number; the named
 * vendors come from 5 countries, the generic ones from the rest of the
 * requested number of countries (at least one). */
static enum nv_rc add_generic(struct gen *g, uint32_t i)
{
    uint32_t ncountries = g->o->countries > 6 ? g->o->countries - 5 : 1;
    size_t known = sizeof generic_countries / sizeof generic_countries[0];
    char id[32], name[64];
    const char *e[] = {"id",          id,         "name", name, "country", NULL,
                       "designation", "standard", NULL};

    snprintf(id, sizeof id, "vendor-%02u", i);
    snprintf(name, sizeof name, "Vendor %02u Networks Ltd", i);
    e[5] = generic_countries[(i - NNAMED) % ncountries % known];
    return add(g, NV_T_ENTITY, e);
}

static enum nv_rc add_entities(struct gen *g)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < g->nvendors && !rc; i++)
        rc = i < NNAMED ? add_named(g, &named[i]) : add_generic(g, i);
    return rc;
}

/* A vendor for an asset of layer class w, by market-share weight. */
static uint32_t pick_vendor(struct gen *g, int w)
{
    uint32_t total = 0, r;

    for (uint32_t i = 0; i < g->nvendors; i++)
        total += i < NNAMED ? (uint32_t)weights[w][i] : 2;
    r = below(g, total);
    for (uint32_t i = 0; i < g->nvendors; i++) {
        uint32_t wi = i < NNAMED ? (uint32_t)weights[w][i] : 2;
        if (r < wi)
            return i;
        r -= wi;
    }
    return g->nvendors - 1;
}

/* How an inventory might spell vendor v: its name or one of its aliases. */
static const char *spelling(struct gen *g, uint32_t v, char *buf, size_t size)
{
    const char *s;
    uint32_t k;

    if (v >= NNAMED) {
        snprintf(buf, size, "Vendor %02u Networks Ltd", v);
        return buf;
    }
    s = named[v].aliases;
    k = below(g, 3);
    if (k == 0)
        return named[v].name;
    while (--k && strchr(s, ';'))
        s = strchr(s, ';') + 1;
    snprintf(buf, size, "%.*s", (int)strcspn(s, ";"), s);
    return buf;
}

static enum nv_rc alloc_backbone(struct gen *g, uint32_t nodes, uint32_t edges)
{
    g->nodes = nv_calloc(nodes ? nodes : 1, sizeof *g->nodes);
    g->edges = nv_calloc(edges ? edges : 1, sizeof *g->edges);
    g->nnodes = nodes;
    g->nedges = 0;
    if (!g->nodes || !g->edges)
        return nv_err_set(g->err, NV_ENOMEM, "out of memory");
    return NV_OK;
}

static void add_edge(struct gen *g, uint32_t a, uint32_t b)
{
    if (a == b)
        return;
    g->edges[g->nedges][0] = a;
    g->edges[g->nedges++][1] = b;
    g->nodes[a].degree++;
    g->nodes[b].degree++;
}

/* Nodes without coordinates are put near the middle of the others. */
static void place_unknown(struct gen *g)
{
    double lat = 0, lon = 0;
    uint32_t known = 0;

    for (uint32_t i = 0; i < g->nnodes; i++)
        if (!isnan(g->nodes[i].lat)) {
            lat += g->nodes[i].lat;
            lon += g->nodes[i].lon;
            known++;
        }
    lat = known ? lat / known : 51;
    lon = known ? lon / known : 10;
    for (uint32_t i = 0; i < g->nnodes; i++)
        if (isnan(g->nodes[i].lat) || isnan(g->nodes[i].lon)) {
            g->nodes[i].lat = lat + normal(g) * 0.5;
            g->nodes[i].lon = lon + normal(g) * 0.5;
        }
}

static enum nv_rc backbone_from_file(struct gen *g)
{
    const char *path = g->o->backbone;
    struct nv_model *b;
    enum nv_rc rc = nv_load_model(&path, 1, &b, g->err);

    if (rc)
        return rc;
    rc = alloc_backbone(g, NV_COUNT(b, NV_T_SITE), NV_COUNT(b, NV_T_LINK));
    for (uint32_t i = 0; !rc && i < g->nnodes; i++) {
        const struct nv_site *s = &NV_SITES(b)[i];
        snprintf(g->nodes[i].name, sizeof g->nodes[i].name, "%s",
                 s->name ? s->name : s->id);
        g->nodes[i].lat = s->lat;
        g->nodes[i].lon = s->lon;
    }
    for (uint32_t i = 0; !rc && i < NV_COUNT(b, NV_T_LINK); i++) {
        const struct nv_link *l = &NV_LINKS(b)[i];
        uint32_t sa = NV_ASSETS(b)[l->a.idx].site.idx;
        uint32_t sb = NV_ASSETS(b)[l->b.idx].site.idx;
        if (sa != NV_NONE && sb != NV_NONE)
            add_edge(g, sa, sb);
    }
    nv_model_free(b);
    if (!rc && g->nnodes < 2)
        rc = nv_err_set(g->err, NV_EINVAL, "%s: a backbone needs two nodes",
                        path);
    return rc;
}

static double dist2(const struct node *a, const struct node *b)
{
    double dy = a->lat - b->lat, dx = (a->lon - b->lon) * 0.65;
    return dx * dx + dy * dy;
}

static int has_edge(const struct gen *g, uint32_t a, uint32_t b)
{
    for (uint32_t i = 0; i < g->nedges; i++)
        if ((g->edges[i][0] == a && g->edges[i][1] == b) ||
            (g->edges[i][0] == b && g->edges[i][1] == a))
            return 1;
    return 0;
}

static uint32_t nearest_new(const struct gen *g, uint32_t i)
{
    uint32_t best = NV_NONE;

    for (uint32_t j = 0; j < g->nnodes; j++)
        if (j != i && !has_edge(g, i, j) &&
            (best == NV_NONE || dist2(&g->nodes[i], &g->nodes[j]) <
                                    dist2(&g->nodes[i], &g->nodes[best])))
            best = j;
    return best;
}

/* Without a file: 30 cities in a Germany-sized box, west to east, each
 * joined to the next (so the backbone is connected) and to its two
 * nearest other cities. */
static enum nv_rc backbone_generated(struct gen *g)
{
    enum { N = 30 };
    enum nv_rc rc = alloc_backbone(g, N, N * 3);

    for (uint32_t i = 0; !rc && i < N; i++) {
        snprintf(g->nodes[i].name, sizeof g->nodes[i].name, "City %02u", i);
        g->nodes[i].lat = 47.5 + uniform(g) * 7;
        g->nodes[i].lon = 6 + 9.0 * i / N + uniform(g) * 0.3;
    }
    for (uint32_t i = 0; !rc && i < N; i++) {
        if (i + 1 < N)
            add_edge(g, i, i + 1);
        for (int k = 0; k < 2; k++) {
            uint32_t j = nearest_new(g, i);
            if (j != NV_NONE)
                add_edge(g, i, j);
        }
    }
    return rc;
}

static enum nv_rc add_site(struct gen *g, const char *id, const char *name,
                           const struct node *at, double jitter,
                           const char *tags, long long population)
{
    char lat[32], lon[32], pop[32];
    const char *s[] = {"id",   id,    "name",       name,     "lat",
                       lat,    "lon", lon,          "region", at->name,
                       "tags", tags,  "population", pop,      NULL};

    snprintf(lat, sizeof lat, "%.5f",
             fmax(-90, fmin(90, at->lat + normal(g) * jitter)));
    snprintf(lon, sizeof lon, "%.5f",
             fmax(-180, fmin(180, at->lon + normal(g) * jitter)));
    snprintf(pop, sizeof pop, "%lld", population);
    return add(g, NV_T_SITE, s);
}

struct asset_spec {
    const char *kind, *model, *layer;
    uint32_t vendor;
    double cost;
};

static enum nv_rc add_asset(struct gen *g, const char *id, const char *site,
                            const struct asset_spec *a)
{
    char vendor[64], cost[32];
    const char *s[] = {"id",
                       id,
                       "kind",
                       a->kind,
                       "vendor",
                       NULL,
                       "model",
                       a->model,
                       "site",
                       site,
                       "layer",
                       a->layer,
                       "replacement_cost",
                       cost,
                       NULL};

    s[5] = spelling(g, a->vendor, vendor, sizeof vendor);
    snprintf(cost, sizeof cost, "%.0f", a->cost);
    return add(g, NV_T_ASSET, s);
}

static enum nv_rc add_link(struct gen *g, const char *a, const char *b,
                           double cost, double gbps)
{
    char c[32], cap[32];
    const char *s[] = {"a", a, "b", b, "cost", c, "capacity_gbps", cap, NULL};

    snprintf(c, sizeof c, "%.3f", cost < 0.001 ? 0.001 : cost);
    snprintf(cap, sizeof cap, "%g", gbps);
    return add(g, NV_T_LINK, s);
}

/* Kilometres between two nodes (equirectangular; fine at these scales). */
static double km(const struct node *a, const struct node *b)
{
    double dy = (a->lat - b->lat) * 111.0;
    double dx = (a->lon - b->lon) * 111.0 * cos((a->lat + b->lat) * M_PI / 360);
    return sqrt(dx * dx + dy * dy);
}

static enum nv_rc add_aggregation(struct gen *g, uint32_t i)
{
    const struct node *n = &g->nodes[i];
    char site[32], name[96], a[48], b[48];
    struct asset_spec r = {"device", "aggregation router", "transport", 0,
                           180000};
    enum nv_rc rc;

    snprintf(site, sizeof site, "agg-%u", i);
    snprintf(name, sizeof name, "%s aggregation", n->name);
    snprintf(a, sizeof a, "agg-%u-a", i);
    snprintf(b, sizeof b, "agg-%u-b", i);
    rc = add_site(g, site, name, n, 0, "aggregation", 0);
    r.vendor = pick_vendor(g, W_TRANSPORT);
    if (!rc)
        rc = add_asset(g, a, site, &r);
    r.vendor = pick_vendor(g, W_TRANSPORT);
    if (!rc)
        rc = add_asset(g, b, site, &r);
    return rc ? rc : add_link(g, a, b, 1, 400);
}

static enum nv_rc add_backbone_links(struct gen *g)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t e = 0; e < g->nedges && !rc; e++) {
        uint32_t u = g->edges[e][0], v = g->edges[e][1];
        double d = km(&g->nodes[u], &g->nodes[v]);
        char a[48], b[48];
        for (int plane = 0; plane < 2 && !rc; plane++) {
            snprintf(a, sizeof a, "agg-%u-%c", u, "ab"[plane]);
            snprintf(b, sizeof b, "agg-%u-%c", v, "ab"[plane]);
            rc = add_link(g, a, b, d, 400);
        }
    }
    return rc;
}

/* A data centre: two core routers on the two aggregation planes, the
 * 5G core functions on both, and management and OSS systems. */
static enum nv_rc add_datacentre(struct gen *g, uint32_t i)
{
    static const char *const nfs[] = {"amf", "smf", "upf"};
    char site[32], name[96], id[48], c1[48], c2[48], agg[48];
    struct asset_spec core = {"device", "core router", "core",
                              pick_vendor(g, W_CORE), 400000};
    struct asset_spec nf = {"nf", "5G core", "core", pick_vendor(g, W_CORE),
                            250000};
    enum nv_rc rc;

    snprintf(site, sizeof site, "dc-%u", i);
    snprintf(name, sizeof name, "%s data centre", g->nodes[i].name);
    snprintf(c1, sizeof c1, "dc-%u-core-1", i);
    snprintf(c2, sizeof c2, "dc-%u-core-2", i);
    rc = add_site(g, site, name, &g->nodes[i], 0.02, "datacentre", 0);
    if (!rc)
        rc = add_asset(g, c1, site, &core);
    if (!rc)
        rc = add_asset(g, c2, site, &core);
    snprintf(agg, sizeof agg, "agg-%u-a", i);
    if (!rc)
        rc = add_link(g, c1, agg, 1, 400);
    snprintf(agg, sizeof agg, "agg-%u-b", i);
    if (!rc)
        rc = add_link(g, c2, agg, 1, 400);
    if (!rc)
        rc = add_link(g, c1, c2, 1, 400);
    for (size_t k = 0; k < 3 && !rc; k++) {
        snprintf(id, sizeof id, "dc-%u-%s", i, nfs[k]);
        rc = add_asset(g, id, site, &nf);
        if (!rc)
            rc = add_link(g, id, c1, 1, 100);
        if (!rc)
            rc = add_link(g, id, c2, 1, 100);
    }
    return rc;
}

static enum nv_rc add_operations(struct gen *g, uint32_t i)
{
    struct asset_spec nms = {"software", "network management", "management",
                             pick_vendor(g, W_CORE), 50000};
    struct asset_spec oss = {"software", "OSS/BSS", "oss",
                             pick_vendor(g, W_CORE), 80000};
    char site[32], a[48], b[48], core[48];
    enum nv_rc rc;

    snprintf(site, sizeof site, "dc-%u", i);
    snprintf(a, sizeof a, "dc-%u-nms", i);
    snprintf(b, sizeof b, "dc-%u-oss", i);
    snprintf(core, sizeof core, "dc-%u-core-1", i);
    rc = add_asset(g, a, site, &nms);
    if (!rc)
        rc = add_asset(g, b, site, &oss);
    if (!rc)
        rc = add_link(g, a, core, 1, 10);
    return rc ? rc : add_link(g, b, core, 1, 10);
}

/* The best-connected fifth of the nodes (at least two) host the core. */
static int is_dc(const struct gen *g, uint32_t i)
{
    uint32_t better = 0, want = g->nnodes / 5 > 2 ? g->nnodes / 5 : 2;

    for (uint32_t j = 0; j < g->nnodes; j++)
        if (g->nodes[j].degree > g->nodes[i].degree ||
            (g->nodes[j].degree == g->nodes[i].degree && j < i))
            better++;
    return better < want;
}

/* Share the RAN sites among regions by a log-normal population weight;
 * each region buys its radios from one vendor, or half the regions from
 * a second one too, as operators do in swap programmes. */
static enum nv_rc plan_ran(struct gen *g, uint32_t total)
{
    double *w = nv_calloc(g->nnodes, sizeof *w), sum = 0;
    uint32_t given = 0;

    if (!w)
        return nv_err_set(g->err, NV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < g->nnodes; i++)
        sum += w[i] = exp(normal(g) * 0.7);
    for (uint32_t i = 0; i < g->nnodes; i++) {
        struct node *n = &g->nodes[i];
        n->ran_count = (uint32_t)(total * w[i] / sum);
        n->ran_first = given;
        given += n->ran_count;
        n->ran_vendor = (int)pick_vendor(g, W_RAN);
        n->ran_vendor2 =
            uniform(g) < 0.5 ? (int)pick_vendor(g, W_RAN) : n->ran_vendor;
    }
    g->nodes[g->nnodes - 1].ran_count += total - given;
    nv_free(w);
    return NV_OK;
}

static void ran_ids(uint32_t k, char *gnb, char *csr)
{
    snprintf(gnb, 32, "ran-%u-gnb", k);
    snprintf(csr, 32, "ran-%u-csr", k);
}

/* Backhaul: the site's radio on its own router and the next site's; the
 * routers of a region in a ring-like chain (next four sites); the ends of
 * the chain and some sites in between up to the aggregation planes. */
static enum nv_rc ran_links(struct gen *g, uint32_t i, uint32_t k)
{
    const struct node *n = &g->nodes[i];
    uint32_t last = n->ran_first + n->ran_count - 1;
    char gnb[32], csr[32], other[32], agg[48], ignored[32];
    enum nv_rc rc;

    ran_ids(k, gnb, csr);
    rc = add_link(g, gnb, csr, 1, 10);
    for (uint32_t d = 1; d <= 4 && k + d <= last && !rc; d++) {
        ran_ids(k + d, ignored, other);
        rc = add_link(g, csr, other, 1 + d, 10);
        if (!rc && d == 1)
            rc = add_link(g, gnb, other, 2, 10);
    }
    snprintf(agg, sizeof agg, "agg-%u-a", i);
    if (!rc && (k == n->ran_first || uniform(g) < 0.3))
        rc = add_link(g, csr, agg, 5, 100);
    snprintf(agg, sizeof agg, "agg-%u-b", i);
    if (!rc && (k == last || uniform(g) < 0.2))
        rc = add_link(g, csr, agg, 5, 100);
    return rc;
}

static enum nv_rc add_ran_site(struct gen *g, uint32_t i, uint32_t k,
                               uint32_t csr_vendor)
{
    const struct node *n = &g->nodes[i];
    char site[32], name[96], gnb[32], csr[32];
    struct asset_spec radio = {"device", "gNodeB", "ran",
                               (uint32_t)n->ran_vendor, 60000};
    struct asset_spec router = {"device", "cell-site router", "transport",
                                csr_vendor, 15000};
    long long pop = (long long)exp(normal(g) * 0.8 + 8);
    enum nv_rc rc;

    if (uniform(g) < 0.25)
        radio.vendor = (uint32_t)n->ran_vendor2;
    snprintf(site, sizeof site, "ran-%u", k);
    snprintf(name, sizeof name, "%s cell %u", n->name, k - n->ran_first + 1);
    ran_ids(k, gnb, csr);
    rc = add_site(g, site, name, n, 0.15, "ran", pop);
    if (!rc)
        rc = add_asset(g, gnb, site, &radio);
    return rc ? rc : add_asset(g, csr, site, &router);
}

static enum nv_rc add_ran(struct gen *g)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < g->nnodes && !rc; i++) {
        const struct node *n = &g->nodes[i];
        uint32_t csr_vendor = pick_vendor(g, W_TRANSPORT);
        for (uint32_t k = n->ran_first; k < n->ran_first + n->ran_count && !rc;
             k++)
            rc = add_ran_site(g, i, k, csr_vendor);
        for (uint32_t k = n->ran_first; k < n->ran_first + n->ran_count && !rc;
             k++)
            rc = ran_links(g, i, k);
    }
    return rc;
}

static uint32_t region_of_ran(const struct gen *g, uint32_t k)
{
    for (uint32_t i = 0; i < g->nnodes; i++)
        if (k < g->nodes[i].ran_first + g->nodes[i].ran_count)
            return i;
    return g->nnodes - 1;
}

/* One defence site in three is co-located with allied forces. */
static int allied(uint32_t k)
{
    return k % NSECTORS == 0 && (k / NSECTORS) % 3 == 0;
}

/* A critical site hangs off a RAN site's router; defence and government
 * sites are also homed directly on aggregation. */
static enum nv_rc add_critical(struct gen *g, uint32_t k, uint32_t nran)
{
    const struct sector *s = &sectors[k % NSECTORS];
    uint32_t r = below(g, nran),
             i = nran ? region_of_ran(g, r) : below(g, g->nnodes);
    char site[32], name[128], ep[40], up[48], tags[64];
    struct asset_spec a = {"device", "site gateway", "endpoint",
                           pick_vendor(g, W_TRANSPORT), 20000};
    long long pop = strcmp(s->tag, "hospital") == 0
                        ? (long long)exp(normal(g) * 0.5 + 11)
                        : 0;
    enum nv_rc rc;

    snprintf(site, sizeof site, "crit-%u", k);
    snprintf(name, sizeof name, "%s site %u (%s)", s->name, k / NSECTORS + 1,
             g->nodes[i].name);
    snprintf(tags, sizeof tags, "%s%s", s->tag,
             allied(k) ? ";allied-colocated" : "");
    snprintf(ep, sizeof ep, "crit-%u-gw", k);
    rc = add_site(g, site, name, &g->nodes[i], 0.1, tags, pop);
    if (!rc)
        rc = add_asset(g, ep, site, &a);
    snprintf(up, sizeof up, nran ? "ran-%u-csr" : "agg-%u-a", nran ? r : i);
    if (!rc)
        rc = add_link(g, ep, up, 2, 10);
    snprintf(up, sizeof up, "agg-%u-a", i);
    if (!rc && nran && s->importance >= 7 && k % NSECTORS <= 1)
        rc = add_link(g, ep, up, 4, 10);
    return rc;
}

static const char *classify(struct gen *g, const struct sector *s)
{
    uint32_t r = below(g, 100);

    if ((int)r < s->secret)
        return r % 5 == 0 ? "top-secret" : "secret";
    if ((int)r < s->classified)
        return r % 2 ? "confidential" : "restricted";
    return "unclassified";
}

/* The ends of flow j (critical sites a and b, both of sector j's).  Hub
 * and spoke: a sector's two control centres (its first two sites: a
 * primary and a standby) to its other sites, the way SCADA, command and
 * clearing traffic does.  Pairs: site j to another site of its sector
 * drawn from the whole country, the way hospitals, substations and
 * branches each talk to their own counterpart. */
static void flow_ends(struct gen *g, uint32_t j, uint32_t *a, uint32_t *b)
{
    uint32_t sec = j % NSECTORS, hub = (j / NSECTORS) % 2;
    uint32_t count = (g->ncrit - sec + NSECTORS - 1) / NSECTORS, k;

    if (g->o->pairs) { /* ncrit >= flows: site j exists, count >= 2 */
        k = below(g, count - 1);
        k += k >= j / NSECTORS;
        *a = j;
        *b = sec + NSECTORS * k;
        return;
    }
    *a = sec + NSECTORS * hub;
    *b = sec + NSECTORS * (count > 2 ? 2 + below(g, count - 2) : 1 - hub);
}

static enum nv_rc add_flow(struct gen *g, uint32_t j)
{
    uint32_t sec = j % NSECTORS, a, b;
    const struct sector *s = &sectors[sec];
    char id[48], src[40], dst[40], imp[16];
    const char *f[] = {"id",
                       id,
                       "src",
                       src,
                       "dst",
                       dst,
                       "sector",
                       s->name,
                       "importance",
                       imp,
                       "classification",
                       NULL,
                       "encrypted",
                       NULL,
                       NULL};

    flow_ends(g, j, &a, &b);
    snprintf(id, sizeof id, "%s-%u", s->name, j / NSECTORS + 1);
    snprintf(src, sizeof src, "crit-%u-gw", a);
    snprintf(dst, sizeof dst, "crit-%u-gw", b);
    snprintf(imp, sizeof imp, "%d", s->importance);
    f[11] = classify(g, s);
    f[13] = (int)below(g, 100) < s->encrypted ? "true" : "false";
    return add(g, NV_T_FLOW, f);
}

/* Defence flows touching an allied site are the United States' channel;
 * other defence flows at secret or above, NATO's.  At most 200 each. */
static enum nv_rc add_partners(struct gen *g, uint32_t first_flow)
{
    struct nv_buf us, nato;
    enum nv_rc rc = NV_OK;

    nv_buf_init(&us, NV_CSV_MAX_FIELD);
    nv_buf_init(&nato, NV_CSV_MAX_FIELD);
    for (uint32_t j = first_flow; j < NV_COUNT(g->m, NV_T_FLOW) && !rc; j++) {
        const struct nv_flow *f = &NV_FLOWS(g->m)[j];
        unsigned a, b;
        struct nv_buf *to = NULL;
        if (strcmp(f->sector, "defence") != 0 ||
            sscanf(f->src.id, "crit-%u", &a) != 1 ||
            sscanf(f->dst.id, "crit-%u", &b) != 1)
            continue;
        if (allied(a) || allied(b))
            to = &us;
        else if (f->classification >= NV_CLASS_SECRET)
            to = &nato;
        if (to && to->len < 200 * 24)
            rc = nv_buf_addf(to, "%s%s", to->len ? ";" : "", f->id);
    }
    const char *p1[] = {"id",       "US",
                        "name",     "United States",
                        "channels", us.len ? us.data : NULL,
                        NULL};
    const char *p2[] = {"id",   "NATO",     "name",
                        "NATO", "channels", nato.len ? nato.data : NULL,
                        NULL};
    if (!rc)
        rc = add(g, NV_T_PARTNER, p1);
    if (!rc)
        rc = add(g, NV_T_PARTNER, p2);
    nv_buf_release(&us);
    nv_buf_release(&nato);
    return rc ? nv_err_set(g->err, rc, "cannot add partners") : NV_OK;
}

void nv_synth_defaults(struct nv_synth_opts *o)
{
    memset(o, 0, sizeof *o);
    o->ran_sites = 300;
    o->flows = 60;
    o->vendors = NNAMED;
    o->countries = 1;
    o->seed = 1;
}

static enum nv_rc build_network(struct gen *g)
{
    uint32_t ndc = 0, fixed, nran = g->o->ran_sites;
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < g->nnodes && !rc; i++)
        rc = add_aggregation(g, i);
    if (!rc)
        rc = add_backbone_links(g);
    for (uint32_t i = 0; i < g->nnodes && !rc; i++)
        if (is_dc(g, i)) {
            ndc++;
            rc = add_datacentre(g, i);
            if (!rc)
                rc = add_operations(g, i);
        }
    g->ncrit = g->o->pairs ? g->o->flows : g->o->flows / 3;
    g->ncrit = g->ncrit > 14 ? g->ncrit : 14;
    fixed = 2 * g->nnodes + 7 * ndc + g->ncrit;
    if (g->o->assets)
        nran = g->o->assets > fixed ? (g->o->assets - fixed) / 2 : 0;
    if (!rc)
        rc = plan_ran(g, nran);
    if (!rc)
        rc = add_ran(g);
    for (uint32_t k = 0; k < g->ncrit && !rc; k++)
        rc = add_critical(g, k, nran);
    return rc;
}

enum nv_rc nv_synth(const struct nv_synth_opts *o, struct nv_model **out,
                    struct nv_err *err)
{
    struct gen g = {o, nv_model_new(), err, 0, o->seed, NULL, 0, NULL, 0, 0, 0};
    enum nv_rc rc = g.m ? NV_OK : nv_err_set(err, NV_ENOMEM, "out of memory");

    g.nvendors = o->vendors > NNAMED ? o->vendors : NNAMED;
    if (!rc)
        rc = nv_model_add_source(g.m, "<synth>", &g.src, err);
    if (!rc)
        rc = o->backbone ? backbone_from_file(&g) : backbone_generated(&g);
    if (!rc)
        place_unknown(&g);
    if (!rc)
        rc = add_entities(&g);
    if (!rc)
        rc = build_network(&g);
    for (uint32_t j = 0; j < o->flows && !rc; j++)
        rc = add_flow(&g, j);
    if (!rc)
        rc = add_partners(&g, 0);
    if (!rc)
        rc = nv_model_finish(g.m, err);
    nv_free(g.nodes);
    nv_free(g.edges);
    if (rc) {
        nv_model_free(g.m);
        return rc;
    }
    *out = g.m;
    return NV_OK;
}
