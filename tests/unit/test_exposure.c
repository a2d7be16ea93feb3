/*
 * test_exposure.c - the exposure engine against a brute-force oracle on
 * thousands of seeded random models, and on hand-made cases.
 *
 * The oracle follows the definitions literally, by enumerating every
 * simple path that passes through no non-transit asset (small graphs
 * only): must when every path meets the group, may when one does, routed
 * on the least-cost ones (or the declared path), failover on the
 * least-cost ones with each single asset or link taken out in turn;
 * group membership by walking ownership chains.
 */
#include "core/alloc.h"
#include "exposure/culprits.h"
#include "exposure/exposure.h"
#include "exposure/score.h"
#include "model/load.h"
#include "model/synth.h"
#include "report/report_int.h"
#include "model/load_int.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#define MAXV 12 /* assets */
#define MAXE 22 /* links */
#define MAXF 8  /* flows */

struct rng {
    uint64_t s;
};

static uint32_t rnd(struct rng *r, uint32_t n)
{
    r->s ^= r->s << 13, r->s ^= r->s >> 7, r->s ^= r->s << 17;
    return n ? (uint32_t)(r->s % n) : 0;
}

static int add(struct nv_model *m, enum nv_table t, const char **pairs)
{
    struct nv_err err = {0};
    return nv_load_pairs(m, t, 0, 0, pairs, &err) == NV_OK;
}

/* Entities: a few vendors in a few countries, some owned by others. */
static int random_entities(struct nv_model *m, struct rng *r, int n)
{
    static const char *const cc[] = {"CN", "US", "FI", "SE"};
    for (int i = 0; i < n; i++) {
        char id[16], parent[16];
        const char *e[] = {"id",          id,
                           "country",     rnd(r, 5) ? cc[rnd(r, 4)] : NULL,
                           "designation", nv_designation_names[rnd(r, 4)],
                           "parent",      NULL,
                           NULL};
        snprintf(id, sizeof id, "e%d", i);
        snprintf(parent, sizeof parent, "e%u", rnd(r, (uint32_t)i));
        if (i && rnd(r, 3) == 0)
            e[7] = parent; /* parents come earlier: no cycles */
        if (!add(m, NV_T_ENTITY, e))
            return 0;
    }
    return 1;
}

/* A random small network, kept in plain arrays for the oracle too. */
struct net {
    int nv, ne, nent, nflows, hub;
    int vendor[MAXV]; /* entity index, or -1 */
    int transit[MAXV];
    int parent[MAXV], desig[MAXV];
    const char *country[MAXV];
    int ea[MAXE], eb[MAXE], ecost[MAXE];
    int fs[MAXF], ft[MAXF], fpath[MAXF][MAXV], fplen[MAXF];
};

static int random_assets_links(struct nv_model *m, struct rng *r, struct net *n)
{
    static const char *const layers[] = {"core", "transport", "ran",
                                         "endpoint"};
    for (int v = 0; v < n->nv; v++) {
        char id[16], vendor[16];
        int layer = rnd(r, 3) ? (int)rnd(r, 2) : 2 + (int)rnd(r, 2);
        const char *a[] = {"id", id,        "layer", layers[layer], "vendor",
                           NULL, "transit", NULL,    NULL};
        snprintf(id, sizeof id, "a%d", v);
        n->transit[v] = layer < 2;
        if (rnd(r, 5) == 0) { /* said in the file, against the default */
            n->transit[v] = (int)rnd(r, 2);
            a[7] = n->transit[v] ? "true" : "false";
        }
        n->vendor[v] = rnd(r, 4) ? (int)rnd(r, (uint32_t)n->nent) : -1;
        if (n->hub) /* one vendor an asset: groups check single assets */
            n->vendor[v] = v;
        snprintf(vendor, sizeof vendor, "e%d", n->vendor[v]);
        a[5] = n->vendor[v] >= 0 ? vendor : (rnd(r, 2) ? "unknown" : NULL);
        if (!add(m, NV_T_ASSET, a))
            return 0;
    }
    for (int e = 0; e < n->ne; e++) {
        char a[16], b[16], cost[16];
        const char *l[] = {"a", a, "b", b, "cost", cost, NULL};
        n->ea[e] = (int)rnd(r, (uint32_t)n->nv);
        n->eb[e] = rnd(r, 8) ? (int)rnd(r, (uint32_t)n->nv) : n->ea[e];
        n->ecost[e] = 1 + (int)rnd(r, 3); /* small costs: many ties */
        snprintf(a, sizeof a, "a%d", n->ea[e]);
        snprintf(b, sizeof b, "a%d", n->eb[e]);
        snprintf(cost, sizeof cost, "%d", n->ecost[e]);
        if (!add(m, NV_T_LINK, l))
            return 0;
    }
    return 1;
}

/* The cheapest link between u and v other than link skip, or 0 if none
 * (self-loops aside). */
static int link_cost(const struct net *n, int u, int v, int skip)
{
    int best = 0;
    for (int e = 0; e < n->ne; e++)
        if (u != v && e != skip &&
            ((n->ea[e] == u && n->eb[e] == v) ||
             (n->ea[e] == v && n->eb[e] == u)) &&
            (!best || n->ecost[e] < best))
            best = n->ecost[e];
    return best;
}

/* Every simple s-t path: its vertex set and cost, by depth-first search;
 * without the failed asset and link (-1: none), and through transit
 * assets only. */
struct paths {
    int n, fail_asset, fail_link;
    unsigned mask[4096];
    int cost[4096];
    int seq[4096][MAXV], len[4096];
};

static void walk(const struct net *n, struct paths *p, int v, int t,
                 unsigned mask, int cost, int *seq, int len)
{
    seq[len++] = v;
    mask |= 1u << v;
    if (v == t) {
        if (p->n < 4096) {
            p->mask[p->n] = mask;
            p->cost[p->n] = cost;
            p->len[p->n] = len;
            memcpy(p->seq[p->n], seq, sizeof(int) * (size_t)len);
            p->n++;
        }
        return;
    }
    if (len > 1 && !n->transit[v])
        return;
    for (int w = 0; w < n->nv; w++) {
        int c = link_cost(n, v, w, p->fail_link);
        if (c && !(mask & (1u << w)) && w != p->fail_asset)
            walk(n, p, w, t, mask, cost + c, seq, len);
    }
}

static void all_paths(const struct net *n, struct paths *p, int s, int t,
                      int fail_asset, int fail_link)
{
    int seq[MAXV];

    p->n = 0;
    p->fail_asset = fail_asset;
    p->fail_link = fail_link;
    walk(n, p, s, t, 0, 0, seq, 0);
}

static int random_flows(struct nv_model *m, struct rng *r, struct net *n)
{
    static struct paths p;

    for (int f = 0; f < n->nflows; f++) {
        char id[16], s[16], t[16], path[128] = "";
        const char *fl[] = {"id", id, "src", s, "dst", t, "path", NULL, NULL};
        n->fs[f] =
            n->hub && f && rnd(r, 4) ? n->fs[0] : (int)rnd(r, (uint32_t)n->nv);
        n->ft[f] = rnd(r, 6) ? (int)rnd(r, (uint32_t)n->nv) : n->fs[f];
        n->fplen[f] = 0;
        all_paths(n, &p, n->fs[f], n->ft[f], -1, -1);
        if (p.n && rnd(r, 3) == 0) { /* declare one of its routes */
            int k = (int)rnd(r, (uint32_t)p.n);
            n->fplen[f] = p.len[k];
            memcpy(n->fpath[f], p.seq[k], sizeof(int) * (size_t)p.len[k]);
            for (int i = 0; i < p.len[k]; i++)
                snprintf(path + strlen(path), sizeof path - strlen(path),
                         "%sa%d", i ? ";" : "", p.seq[k][i]);
            fl[7] = path;
        }
        snprintf(id, sizeof id, "f%d", f);
        snprintf(s, sizeof s, "a%d", n->fs[f]);
        snprintf(t, sizeof t, "a%d", n->ft[f]);
        if (!add(m, NV_T_FLOW, fl))
            return 0;
    }
    return 1;
}

static struct nv_model *random_model(uint64_t seed, struct net *n)
{
    struct rng r = {seed * 2654435761u + 1};
    struct nv_model *m = nv_model_new();
    struct nv_err err = {0};
    uint32_t src;

    memset(n, 0, sizeof *n);
    n->hub = seed > 2500; /* bigger, most flows from one source */
    n->nent = n->hub ? MAXV : 1 + (int)rnd(&r, 6);
    n->nv = n->hub ? 8 + (int)rnd(&r, MAXV - 7) : 1 + (int)rnd(&r, 9);
    n->ne = n->hub ? 10 + (int)rnd(&r, MAXE - 9) : (int)rnd(&r, 15);
    n->nflows = n->hub ? 4 + (int)rnd(&r, MAXF - 3) : 1 + (int)rnd(&r, 5);
    if (!m || nv_model_add_source(m, "random", &src, &err) ||
        !random_entities(m, &r, n->nent) || !random_assets_links(m, &r, n) ||
        !random_flows(m, &r, n) || nv_model_finish(m, &err)) {
        nv_model_free(m);
        return NULL;
    }
    for (int e = 0; e < n->nent; e++) {
        const struct nv_entity *x = &NV_ENTITIES(m)[e];
        n->parent[e] = x->parent.idx == NV_NONE ? -1 : (int)x->parent.idx;
        n->desig[e] = (int)x->designation;
        n->country[e] = x->country;
    }
    return m;
}

/* Whether asset v belongs to group g, by walking its ownership chain. */
static int member(const struct net *n, const struct nv_group *g, int v)
{
    int worst = 0, in = 0;

    for (int e = n->vendor[v]; e >= 0; e = n->parent[e]) {
        in |= g->kind == NV_GROUP_VENDOR && (uint32_t)e == g->entity;
        in |= g->kind == NV_GROUP_COUNTRY && n->country[e] &&
              strcmp(n->country[e], g->id + strlen("country:")) == 0;
        worst = n->desig[e] > worst ? n->desig[e] : worst;
    }
    if (g->kind == NV_GROUP_DESIGNATION)
        in = n->vendor[v] >= 0 && worst == (int)g->designation;
    return in;
}

/* The assets of the least-cost paths of p (0 if none). */
static unsigned cheapest(const struct paths *p)
{
    int best = -1;
    unsigned on = 0;

    for (int k = 0; k < p->n; k++)
        best = best < 0 || p->cost[k] < best ? p->cost[k] : best;
    for (int k = 0; k < p->n; k++)
        on |= p->cost[k] == best ? p->mask[k] : 0;
    return on;
}

/* Whether taking out asset a or link l breaks flow f's declared path. */
static int breaks(const struct net *n, int f, int a, int l)
{
    for (int i = 0; i < n->fplen[f]; i++) {
        int u = n->fpath[f][i],
            v = i + 1 < n->fplen[f] ? n->fpath[f][i + 1] : -1;
        int joins = 0;
        if (u == a)
            return 1;
        for (int e = 0; v >= 0 && e < n->ne; e++)
            joins += (n->ea[e] == u && n->eb[e] == v) ||
                     (n->ea[e] == v && n->eb[e] == u);
        if (v >= 0 && l >= 0 && joins == 1 &&
            ((n->ea[l] == u && n->eb[l] == v) ||
             (n->ea[l] == v && n->eb[l] == u)))
            return 1;
    }
    return 0;
}

/* The assets on flow f's routes with asset a or link l taken out. */
static unsigned routes_without(const struct net *n, int f, int a, int l)
{
    static struct paths q;
    unsigned declared = 0;

    for (int i = 0; i < n->fplen[f]; i++)
        declared |= 1u << n->fpath[f][i];
    if (n->fplen[f] && !breaks(n, f, a, l))
        return declared;
    if (a == n->fs[f] || a == n->ft[f])
        return 0;
    all_paths(n, &q, n->fs[f], n->ft[f], a, l);
    return cheapest(&q);
}

/* What the oracle knows of one flow, whatever the group. */
struct truth {
    unsigned routed, failover; /* assets on the routes, and after a fault */
};

static void flow_truth(const struct net *n, int f, struct truth *tr)
{
    tr->routed = routes_without(n, f, -1, -1);
    tr->failover = tr->routed;
    for (int a = 0; a < n->nv; a++)
        if (a != n->fs[f] && a != n->ft[f])
            tr->failover |= routes_without(n, f, a, -1);
    for (int l = 0; l < n->ne; l++)
        tr->failover |= routes_without(n, f, -1, l);
}

static enum nv_level oracle(unsigned x, const struct paths *p,
                            const struct truth *tr)
{
    int every = 1, some = 0;

    for (int k = 0; k < p->n; k++) {
        every &= (p->mask[k] & x) != 0;
        some |= (p->mask[k] & x) != 0;
    }
    if (!p->n)
        return NV_LEVEL_NONE;
    if (every)
        return NV_LEVEL_MUST;
    if (tr->routed & x)
        return NV_LEVEL_ROUTED;
    if (tr->failover & x)
        return NV_LEVEL_FAILOVER;
    return some ? NV_LEVEL_MAY : NV_LEVEL_NONE;
}

/* The groups that must exist: every entity making some asset (through a
 * subsidiary too), their countries, and the two worst designations. */
static int expected_groups(const struct net *n)
{
    unsigned vendors = 0, worst = 0;
    const char *cc[8];
    int ncc = 0, count = 0;

    for (int v = 0; v < n->nv; v++) {
        int w = 0;
        for (int e = n->vendor[v]; e >= 0; e = n->parent[e]) {
            int k = 0;
            vendors |= 1u << e;
            w = n->desig[e] > w ? n->desig[e] : w;
            while (n->country[e] && k < ncc && strcmp(cc[k], n->country[e]))
                k++;
            if (n->country[e] && k == ncc)
                cc[ncc++] = n->country[e];
        }
        if (n->vendor[v] >= 0)
            worst |= 1u << w;
    }
    for (int e = 0; e < n->nent; e++)
        count += (vendors >> e) & 1;
    return count + ncc + ((worst >> NV_DESIG_HIGH_RISK) & 1) +
           ((worst >> NV_DESIG_PROHIBITED) & 1);
}

/* Whether every path of p meets the assets of set. */
static int separates(const struct paths *p, unsigned set)
{
    for (int k = 0; k < p->n; k++)
        if (!(p->mask[k] & set))
            return 0;
    return 1;
}

static int popcount(unsigned v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* Whether seq[0..len) is a simple s-t path of f through transit assets. */
static int is_path(const struct net *n, int f, const uint32_t *seq,
                   uint32_t len)
{
    unsigned seen = 0;

    if (!len || (int)seq[0] != n->fs[f] || (int)seq[len - 1] != n->ft[f])
        return 0;
    for (uint32_t i = 0; i < len; i++) {
        if (seen >> seq[i] & 1)
            return 0;
        seen |= 1u << seq[i];
        if (i && !link_cost(n, (int)seq[i - 1], (int)seq[i], -1))
            return 0;
        if (i && i + 1 < len && !n->transit[seq[i]])
            return 0;
    }
    return 1;
}

/*
 * The culprits of a level, checked: for must, removing them cuts every
 * path and no smaller set of the group's assets does; for routed and
 * failover, they are the group's assets on the enumerated routes; for
 * may, they are the group's assets on a valid witness path.
 */
static int culprits_ok(const struct net *n, int f, unsigned x,
                       const struct paths *p, const struct truth *tr,
                       enum nv_level lv, const struct nv_culprits *c)
{
    unsigned got = 0, path = 0;

    for (uint32_t i = 0; i < c->nassets; i++)
        got |= 1u << c->assets[i];
    for (uint32_t i = 0; i < c->npath; i++)
        path |= 1u << c->path[i];
    if (got & ~x)
        return 0;
    switch (lv) {
    case NV_LEVEL_MUST:
        for (unsigned sub = x;; sub = (sub - 1) & x) {
            if (popcount(sub) < popcount(got) && separates(p, sub))
                return 0;
            if (!sub)
                break;
        }
        return got && separates(p, got);
    case NV_LEVEL_ROUTED:
        return got == (tr->routed & x);
    case NV_LEVEL_FAILOVER:
        return got == (tr->failover & x);
    case NV_LEVEL_MAY:
        return got && got == (path & x) && is_path(n, f, c->path, c->npath);
    default:
        return c->nassets == 0;
    }
}

/* The routed level through an overlay cut at a random core (any core
 * gives the same levels) is the one checked against the oracle, x. */
static int overlay_agrees(struct nv_t *T, uint64_t seed,
                          const struct nv_model *m, const struct nv_exposure *x)
{
    struct rng r = {seed * 40503u + 7};
    unsigned char core[MAXV];
    uint32_t odds = 1 + rnd(&r, 4);
    struct nv_exposure_opts o = {1 + (int)(seed % 2), NV_CLASS_UNCLASSIFIED,
                                 NULL, core};
    struct nv_exposure y;
    struct nv_err err = {0};
    int ok;

    for (uint32_t v = 0; v < m->graph.n; v++)
        core[v] = rnd(&r, odds + 1) == 0;
    if (nv_exposure_compute_opts(m, &o, &y, &err)) {
        nv_t_fail(T, __FILE__, __LINE__, "seed %llu: no overlay exposure",
                  (unsigned long long)seed);
        return 0;
    }
    ok = y.groups.n == x->groups.n &&
         !memcmp(y.level, x->level, (size_t)x->nflows * x->groups.n) &&
         !memcmp(y.connected, x->connected, x->nflows);
    if (!ok)
        nv_t_fail(T, __FILE__, __LINE__,
                  "seed %llu: the overlay's levels differ",
                  (unsigned long long)seed);
    nv_exposure_release(&y);
    return ok;
}

static int check_seed(struct nv_t *T, uint64_t seed)
{
    static struct paths p;
    struct net n;
    struct nv_model *m = random_model(seed, &n);
    struct nv_exposure x;
    struct nv_culprits c;
    struct nv_err err = {0};
    int ok = 1;

    if (!m || nv_exposure_compute(m, 1 + (int)(seed % 2), &x, &err)) {
        nv_t_fail(T, __FILE__, __LINE__, "seed %llu: no model or exposure",
                  (unsigned long long)seed);
        nv_model_free(m);
        return 0;
    }
    if (nv_culprits_init(&c, m, &x, &err)) {
        nv_t_fail(T, __FILE__, __LINE__, "seed %llu: no culprit finder",
                  (unsigned long long)seed);
        ok = 0;
    }
    if ((int)x.groups.n != expected_groups(&n)) {
        nv_t_fail(T, __FILE__, __LINE__, "seed %llu: %u groups, expected %d",
                  (unsigned long long)seed, x.groups.n, expected_groups(&n));
        ok = 0;
    }
    for (int f = 0; ok && f < n.nflows; f++) {
        struct truth tr;
        all_paths(&n, &p, n.fs[f], n.ft[f], -1, -1);
        flow_truth(&n, f, &tr);
        for (uint32_t g = 0; ok && g < x.groups.n; g++) {
            unsigned mask = 0;
            enum nv_level want, got = nv_exposure_level(&x, (uint32_t)f, g);
            for (int v = 0; v < n.nv; v++)
                mask |= (unsigned)member(&n, &x.groups.v[g], v) << v;
            want = oracle(mask, &p, &tr);
            if (got != want || p.n >= 4096) {
                nv_t_fail(T, __FILE__, __LINE__,
                          "seed %llu: flow f%d group %s: %s, expected %s",
                          (unsigned long long)seed, f, x.groups.v[g].id,
                          nv_level_names[got], nv_level_names[want]);
                ok = 0;
            }
            if (ok && (nv_culprits_find(&c, (uint32_t)f, g, &err) ||
                       !culprits_ok(&n, f, mask, &p, &tr, got, &c))) {
                nv_t_fail(T, __FILE__, __LINE__,
                          "seed %llu: flow f%d group %s: wrong %s culprits",
                          (unsigned long long)seed, f, x.groups.v[g].id,
                          nv_level_names[got]);
                ok = 0;
            }
        }
        ok = ok && x.connected[f] == (p.n > 0);
    }
    ok = ok && overlay_agrees(T, seed, m, &x);
    if (c.m)
        nv_culprits_release(&c);
    nv_exposure_release(&x);
    nv_model_free(m);
    return ok;
}

/* The engine agrees with the definitions on 3,500 random models: parallel
 * links, self-loops, several components, s = t, s or t in a group,
 * declared paths, equal-cost ties, overlapping groups, non-transit assets
 * by layer and by choice; and every level's culprits hold.  The last
 * 1,000 are bigger, with most flows from one source, the way failover
 * shares one search and dominator tree among a source's flows.  Set
 * NV_SEED to replay one seed. */
NV_TEST(exposure_matches_oracle_on_random_models)
{
    const char *one = getenv("NV_SEED");
    uint64_t first = one ? strtoull(one, NULL, 10) : 1;
    uint64_t last = one ? first : 3500;

    for (uint64_t seed = first; seed <= last; seed++)
        if (!check_seed(T, seed))
            return;
}

/* Generated national models with every flow from its own source
 * (regions of RAN sites joined to the rest by their two aggregation
 * routers, peripheries of endpoints and radios, flows within a region
 * and across the country): the levels are the same through the overlay,
 * cut at the aggregation routers or at a random core, as by one search
 * per source (the oracle's check above). */
NV_TEST(overlay_agrees_on_generated_pairs)
{
    for (uint64_t seed = 1; seed <= 6; seed++) {
        struct nv_synth_opts so;
        struct nv_model *m = NULL;
        struct nv_exposure x, y;
        struct nv_exposure_opts o = {2, NV_CLASS_UNCLASSIFIED, NULL, NULL};
        struct nv_err err = {0};
        struct rng r = {seed};
        unsigned char *core;

        nv_synth_defaults(&so);
        so.ran_sites = 150 + 100 * (uint32_t)seed;
        so.flows = 200;
        so.pairs = 1;
        so.seed = seed;
        ASSERT_EQ(nv_synth(&so, &m, &err), NV_OK);
        core = calloc(m->graph.n, 1);
        ASSERT(core != NULL);
        o.core = core; /* all zero: no overlay */
        ASSERT_EQ(nv_exposure_compute_opts(m, &o, &x, &err), NV_OK);
        for (uint32_t v = 0; v < m->graph.n; v++)
            core[v] = seed % 2 ? rnd(&r, 8) == 0
                               : !strncmp(NV_ASSETS(m)[v].id, "agg-", 4);
        ASSERT_EQ(nv_exposure_compute_opts(m, &o, &y, &err), NV_OK);
        ASSERT(!memcmp(x.level, y.level, (size_t)x.nflows * x.groups.n));
        nv_exposure_release(&x);
        nv_exposure_release(&y);
        free(core);
        nv_model_free(m);
    }
}

/* The exposure through the overlay fails cleanly, NV_ENOMEM and nothing
 * leaked, whichever allocation fails, and then gives the same levels. */
NV_TEST(overlay_survives_every_allocation_failure)
{
    for (uint64_t seed = 2501; seed <= 2510; seed++) {
        struct net n;
        struct nv_model *m = random_model(seed, &n);
        unsigned char core[MAXV];
        struct nv_exposure_opts o = {1, NV_CLASS_UNCLASSIFIED, NULL, core};
        struct nv_exposure x, y;
        struct nv_err err = {0};
        enum nv_rc rc = NV_ENOMEM;

        ASSERT(m != NULL);
        for (uint32_t v = 0; v < m->graph.n; v++)
            core[v] = v % 3 == 0;
        ASSERT_EQ(nv_exposure_compute_opts(m, &o, &x, &err), NV_OK);
        for (long k = 0; rc; k++) {
            nv_alloc_fail_after(k);
            rc = nv_exposure_compute_opts(m, &o, &y, &err);
            nv_alloc_fail_after(-1);
            ASSERT(rc == NV_OK || rc == NV_ENOMEM);
        }
        ASSERT(!memcmp(x.level, y.level, (size_t)x.nflows * x.groups.n));
        nv_exposure_release(&x);
        nv_exposure_release(&y);
        nv_model_free(m);
    }
}

/* Every flow's and group's culprits, one list after another, each ended
 * by NV_NONE; returns how many numbers, or 0 if a search failed. */
static size_t all_culprits(struct nv_culprits *c, uint32_t *out)
{
    const struct nv_exposure *x = c->x;
    struct nv_err err = {0};
    size_t n = 0;

    for (uint32_t f = 0; f < x->nflows; f++)
        for (uint32_t g = 0; g < x->groups.n; g++) {
            if (nv_culprits_find(c, f, g, &err))
                return 0;
            for (uint32_t i = 0; i < c->nassets; i++)
                out[n++] = c->assets[i];
            out[n++] = NV_NONE;
        }
    return n;
}

/* Every question, a group at a time: after one that fails, the next is
 * about another flow, often of another source. */
static void ask_across(struct nv_culprits *c)
{
    struct nv_err err = {0};

    for (uint32_t g = 0; g < c->x->groups.n; g++)
        for (uint32_t f = 0; f < c->x->nflows; f++)
            (void)!nv_culprits_find(c, f, g, &err);
}

/* A finder whose searches ran out of memory part way answers every later
 * question as one that never failed (the routes it keeps are whole). */
NV_TEST(culprits_survive_every_allocation_failure)
{
    static uint32_t want[1 << 16], got[1 << 16];

    for (uint64_t seed = 2501; seed <= 2530; seed++) {
        struct net n;
        struct nv_model *m = random_model(seed, &n);
        struct nv_exposure x;
        struct nv_culprits c;
        struct nv_err err = {0};
        size_t nwant;
        int failed = 1;

        ASSERT(m && !nv_exposure_compute(m, 1, &x, &err));
        ASSERT_EQ(nv_culprits_init(&c, m, &x, &err), NV_OK);
        nwant = all_culprits(&c, want);
        ASSERT(nwant > 0);
        nv_culprits_release(&c);
        for (long k = 0; failed; k++) {
            ASSERT_EQ(nv_culprits_init(&c, m, &x, &err), NV_OK);
            nv_alloc_fail_after(k);
            ask_across(&c);
            failed = nv_alloc_failed();
            nv_alloc_fail_after(-1);
            ASSERT_EQ(all_culprits(&c, got), nwant);
            ASSERT(memcmp(got, want, nwant * sizeof *got) == 0);
            nv_culprits_release(&c);
        }
        nv_exposure_release(&x);
        nv_model_free(m);
    }
}

/* The choke points by their definition: a high-risk or prohibited asset
 * alone carries a flow that such a group reaches at must when it is one
 * of the flow's ends or its removal alone separates them. */
static int hostile(const struct net *n, int v)
{
    int worst = -1;

    for (int e = n->vendor[v]; e >= 0; e = n->parent[e])
        worst = n->desig[e] > worst ? n->desig[e] : worst;
    return worst >= NV_DESIG_HIGH_RISK;
}

/* Whether t can be reached from s without the assets of x, passing only
 * through transit assets (the ends may be non-transit), as routes do. */
static int reach(const struct net *n, int s, int t, unsigned x)
{
    unsigned seen = 1u << s, frontier = seen;

    if (x & seen)
        return 0;
    while (frontier) {
        unsigned next = 0;
        for (int v = 0; v < n->nv; v++)
            for (int w = 0;
                 (frontier >> v & 1) && (v == s || n->transit[v]) && w < n->nv;
                 w++)
                if (!(seen >> w & 1) && !(x >> w & 1) && link_cost(n, v, w, -1))
                    next |= 1u << w;
        seen |= next;
        frontier = next;
    }
    return seen >> t & 1;
}

static int check_chokes(struct nv_t *T, uint64_t seed)
{
    struct net n;
    struct nv_model *m = random_model(seed, &n);
    struct nv_exposure x;
    struct nv_report_chokes k;
    struct ranked rank[MAXF];
    struct nv_err err = {0};
    int ok = 1;

    if (!m || nv_exposure_compute(m, 1, &x, &err)) {
        nv_model_free(m);
        return 0;
    }
    for (int f = 0; f < n.nflows; f++)
        rank[f] = (struct ranked){1, (uint32_t)f, 0};
    ok = nv_report_chokes(m, rank, (uint32_t)n.nflows, &x, &k, &err) == NV_OK;
    for (int v = 0; ok && v < n.nv; v++) {
        uint32_t want = 0, g;
        for (int f = 0; f < n.nflows; f++)
            want +=
                hostile(&n, v) &&
                nv_score_hostile_level(&x, (uint32_t)f, &g) == NV_LEVEL_MUST &&
                (v == n.fs[f] || v == n.ft[f] ||
                 !reach(&n, n.fs[f], n.ft[f], 1u << v));
        if (k.flows[v] != want) {
            nv_t_fail(T, __FILE__, __LINE__,
                      "seed %llu: a%d carries %u flows alone, expected %u",
                      (unsigned long long)seed, v, k.flows[v], want);
            ok = 0;
        }
    }
    nv_report_chokes_release(&k);
    nv_exposure_release(&x);
    nv_model_free(m);
    return ok;
}

/* The report's choke points agree with their definition on the same
 * random models (cut vertices, ends, s = t, several components). */
NV_TEST(report_chokes_match_oracle_on_random_models)
{
    for (uint64_t seed = 1; seed <= 2500; seed++)
        if (!check_chokes(T, seed))
            return;
}

static enum nv_level level_of(const struct nv_model *m,
                              const struct nv_exposure *x, const char *flow,
                              const char *group)
{
    uint32_t f = nv_model_find(m, NV_T_FLOW, flow);
    uint32_t g = nv_groups_find(&x->groups, group);

    return f == NV_NONE || g == NV_NONE ? NV_LEVEL_COUNT
                                        : nv_exposure_level(x, f, g);
}

/* The small model by hand: two equal-cost routes through Mainz, one by
 * Ericsson and one by Huawei's subsidiary HiSilicon, behind a Huawei core
 * router; the declared flow takes the Ericsson one. */
NV_TEST(exposure_small_model_by_hand)
{
    const char *path = "tests/data/models/small.json";
    struct nv_model *m = NULL;
    struct nv_exposure x;
    struct nv_err err = {0};

    ASSERT_EQ(nv_load_model(&path, 1, &m, &err), NV_OK);
    ASSERT_EQ(nv_exposure_compute(m, 2, &x, &err), NV_OK);
    ASSERT_EQ(level_of(m, &x, "bw-secret-1", "vendor:huawei"), NV_LEVEL_MUST);
    ASSERT_EQ(level_of(m, &x, "bw-secret-1", "vendor:hisilicon"),
              NV_LEVEL_ROUTED);
    ASSERT_EQ(level_of(m, &x, "bw-secret-1", "vendor:ericsson"),
              NV_LEVEL_ROUTED);
    ASSERT_EQ(level_of(m, &x, "bw-secret-1", "vendor:nokia"), NV_LEVEL_MUST);
    ASSERT_EQ(level_of(m, &x, "bw-secret-1", "country:CN"), NV_LEVEL_MUST);
    ASSERT_EQ(level_of(m, &x, "bw-secret-1", "country:SE"), NV_LEVEL_ROUTED);
    ASSERT_EQ(level_of(m, &x, "bw-secret-1", "designation:high-risk"),
              NV_LEVEL_MUST);
    /* mz-agg-1 failing moves the declared flow onto mz-agg-2 */
    ASSERT_EQ(level_of(m, &x, "bw-declared", "vendor:hisilicon"),
              NV_LEVEL_FAILOVER);
    ASSERT_EQ(level_of(m, &x, "bw-declared", "vendor:ericsson"),
              NV_LEVEL_ROUTED);
    ASSERT_EQ(x.groups.n, 8);
    ASSERT(x.connected[0] && x.connected[1]);
    nv_exposure_release(&x);
    nv_model_free(m);
}

/* A failure whose region is entered at two places, each as much longer
 * than before (o1 to a, o2 to x, with v or the link s-v failed), both
 * leading to t at the same cost, one over x, y, z: the search of the
 * region must not stop at t before that route is settled, whichever
 * entry it takes first. */
static struct nv_model *tie_model(int swap)
{
    static const char *const ids[] = {"s", "v", "a", "x", "y", "z", "t"};
    static const char *const links[][3] = {
        {"s", "v", "1"},  {"v", "a", "1"},  {"v", "x", "1"}, {"a", "t", "3"},
        {"x", "y", "1"},  {"y", "z", "1"},  {"z", "t", "1"}, {"s", "o1", "1"},
        {"o1", "a", "3"}, {"s", "o2", "1"}, {"o2", "x", "3"}};
    struct nv_model *m = nv_model_new();
    struct nv_err err = {0};
    const char *f[] = {"id", "f", "src", "s", "dst", "t", NULL};
    uint32_t src;
    int ok = m && !nv_model_add_source(m, "tie", &src, &err);

    for (int i = 1; ok && i <= 2; i++) {
        char id[8], ent[8];
        const char *e[] = {"id", ent, NULL};
        const char *a[] = {"id", id, "layer", "core", "vendor", ent, NULL};
        snprintf(ent, sizeof ent, "e%d", swap ? 3 - i : i);
        snprintf(id, sizeof id, "o%d", swap ? 3 - i : i);
        ok = add(m, NV_T_ENTITY, e) && add(m, NV_T_ASSET, a);
    }
    for (size_t i = 0; ok && i < sizeof ids / sizeof ids[0]; i++) {
        const char *a[] = {"id", ids[i], "layer", "core", NULL};
        ok = add(m, NV_T_ASSET, a);
    }
    for (size_t i = 0; ok && i < sizeof links / sizeof links[0]; i++) {
        size_t k = swap ? sizeof links / sizeof links[0] - 1 - i : i;
        const char *l[] = {"a",    links[k][0], "b", links[k][1],
                           "cost", links[k][2], NULL};
        ok = add(m, NV_T_LINK, l);
    }
    if (ok && add(m, NV_T_FLOW, f) && !nv_model_finish(m, &err))
        return m;
    nv_model_free(m);
    return NULL;
}

NV_TEST(exposure_failover_ties_in_a_region)
{
    for (int swap = 0; swap < 2; swap++) {
        struct nv_model *m = tie_model(swap);
        struct nv_exposure x;
        struct nv_err err = {0};
        ASSERT(m != NULL);
        ASSERT_EQ(nv_exposure_compute(m, 1, &x, &err), NV_OK);
        ASSERT_EQ(level_of(m, &x, "f", "vendor:e1"), NV_LEVEL_FAILOVER);
        ASSERT_EQ(level_of(m, &x, "f", "vendor:e2"), NV_LEVEL_FAILOVER);
        nv_exposure_release(&x);
        nv_model_free(m);
    }
}

/* Two routes of cost 2, s-a-t and s-b-t, so that no single failure
 * moves the flow; vendor ev has p, hanging from s alone, and x, on a
 * long way round (a-x-u1-u2-u3-v-t).  ev is may through x only: the
 * witness must pass over p, nearer the route, and find x's second way to
 * the route, which the search out from the route does not give. */
static struct nv_model *detour_model(void)
{
    static const char *const plain[] = {"s",  "a",  "b",  "t",
                                        "u1", "u2", "u3", "v"};
    static const char *const links[][2] = {
        {"s", "a"},   {"a", "t"},  {"s", "b"},  {"b", "t"},
        {"s", "p"},   {"a", "x"},  {"x", "u1"}, {"u1", "u2"},
        {"u2", "u3"}, {"u3", "v"}, {"v", "t"}};
    const char *e[] = {"id", "ev", NULL};
    const char *f[] = {"id", "f", "src", "s", "dst", "t", NULL};
    struct nv_model *m = nv_model_new();
    struct nv_err err = {0};
    uint32_t src;
    int ok = m && !nv_model_add_source(m, "detour", &src, &err) &&
             add(m, NV_T_ENTITY, e);

    for (size_t i = 0; ok && i < 2; i++) {
        const char *a[] = {"id",     i ? "x" : "p", "layer", "core",
                           "vendor", "ev",          NULL};
        ok = add(m, NV_T_ASSET, a);
    }
    for (size_t i = 0; ok && i < sizeof plain / sizeof plain[0]; i++) {
        const char *a[] = {"id", plain[i], "layer", "core", NULL};
        ok = add(m, NV_T_ASSET, a);
    }
    for (size_t i = 0; ok && i < sizeof links / sizeof links[0]; i++) {
        const char *l[] = {"a", links[i][0], "b", links[i][1], NULL};
        ok = add(m, NV_T_LINK, l);
    }
    if (ok && add(m, NV_T_FLOW, f) && !nv_model_finish(m, &err))
        return m;
    nv_model_free(m);
    return NULL;
}

NV_TEST(culprits_may_witness_goes_round_a_dead_end)
{
    static const char *const want[] = {"s",  "a",  "x", "u1",
                                       "u2", "u3", "v", "t"};
    struct nv_model *m = detour_model();
    struct nv_exposure x;
    struct nv_culprits c;
    struct nv_err err = {0};
    uint32_t g;

    ASSERT(m != NULL);
    ASSERT_EQ(nv_exposure_compute(m, 1, &x, &err), NV_OK);
    ASSERT_EQ(level_of(m, &x, "f", "vendor:ev"), NV_LEVEL_MAY);
    g = nv_groups_find(&x.groups, "vendor:ev");
    ASSERT_EQ(nv_culprits_init(&c, m, &x, &err), NV_OK);
    ASSERT_EQ(nv_culprits_find(&c, 0, g, &err), NV_OK);
    ASSERT_EQ(c.nassets, 1);
    ASSERT_EQ(c.assets[0], nv_model_find(m, NV_T_ASSET, "x"));
    ASSERT_EQ(c.npath, 8);
    for (uint32_t i = 0; i < c.npath; i++)
        ASSERT_EQ(c.path[i], nv_model_find(m, NV_T_ASSET, want[i]));
    nv_culprits_release(&c);
    nv_exposure_release(&x);
    nv_model_free(m);
}

/* transit: by layer unless a file says; a declared path may not pass
 * through a non-transit asset (its ends may be non-transit). */
NV_TEST(exposure_transit_defaults_and_paths)
{
    static const char *const rows[][7] = {
        {"id", "r1", "layer", "ran", NULL, NULL},
        {"id", "r2", "layer", "ran", "transit", "true"},
        {"id", "c1", "layer", "core", NULL, NULL},
        {"id", "c2", "layer", "core", "transit", "false"},
        {"id", "e1", "layer", "endpoint", NULL, NULL},
    };
    const int want[] = {0, 1, 1, 0, 0};
    const char *l1[] = {"a", "r1", "b", "c1", NULL};
    const char *l2[] = {"a", "c1", "b", "e1", NULL};
    const char *ok[] = {"id", "f",    "src",      "r1", "dst",
                        "e1", "path", "r1;c1;e1", NULL};
    const char *bad[] = {"id", "g",    "src",      "c1", "dst",
                         "r1", "path", "c1;e1;r1", NULL};
    struct nv_model *m = nv_model_new();
    struct nv_err err = {0};
    uint32_t src;

    ASSERT(m != NULL);
    ASSERT_EQ(nv_model_add_source(m, "t", &src, &err), NV_OK);
    for (int i = 0; i < 5; i++)
        ASSERT(add(m, NV_T_ASSET, (const char **)rows[i]));
    ASSERT(add(m, NV_T_LINK, l1) && add(m, NV_T_LINK, l2));
    ASSERT(add(m, NV_T_FLOW, ok));
    ASSERT_EQ(nv_model_finish(m, &err), NV_OK);
    for (int i = 0; i < 5; i++)
        ASSERT_EQ(NV_ASSETS(m)[i].transit, want[i]);
    nv_model_free(m);
    m = nv_model_new();
    ASSERT(m != NULL);
    ASSERT_EQ(nv_model_add_source(m, "t", &src, &err), NV_OK);
    for (int i = 0; i < 5; i++)
        ASSERT(add(m, NV_T_ASSET, (const char **)rows[i]));
    ASSERT(add(m, NV_T_LINK, l1) && add(m, NV_T_LINK, l2));
    ASSERT(add(m, NV_T_FLOW, bad));
    ASSERT_EQ(nv_model_finish(m, &err), NV_EPARSE);
    ASSERT(strstr(err.msg, "non-transit") != NULL);
    nv_model_free(m);
}
