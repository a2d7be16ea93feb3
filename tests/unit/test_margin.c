/*
 * test_margin.c - vendor margin and choke points against brute force on
 * seeded random models.
 *
 * The margin oracle follows the definition literally: every set of up to
 * three groups of the kind is removed (the flow's ends kept) and a search
 * that never goes on from a non-transit asset other than the source
 * tells whether the ends still meet.  The choke point oracle removes
 * each asset in turn.
 */
#include "exposure/choke.h"
#include "exposure/margin.h"
#include "model/load_int.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

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

static int add_entities(struct nv_model *m, struct rng *r, uint32_t n)
{
    static const char *const cc[] = {"CN", "US", "FI", "SE", "KR"};

    for (uint32_t i = 0; i < n; i++) {
        char id[16], parent[16];
        const char *e[] = {"id",     id,   "country", cc[rnd(r, 5)],
                           "parent", NULL, NULL};
        snprintf(id, sizeof id, "e%u", i);
        snprintf(parent, sizeof parent, "e%u", rnd(r, i));
        if (i && rnd(r, 4) == 0)
            e[5] = parent;
        if (!add(m, NV_T_ENTITY, e))
            return 0;
    }
    return 1;
}

/* Up to 16 assets, most with a vendor, on a sparse random graph, and up
 * to 8 flows. */
static struct nv_model *random_model(uint64_t seed)
{
    struct rng r = {seed * 0x9E3779B97F4A7C15u + 7};
    struct nv_model *m = nv_model_new();
    uint32_t nent = 1 + rnd(&r, 8), nv = 2 + rnd(&r, 15);
    uint32_t ne = rnd(&r, 2 * nv + 4), nf = 1 + rnd(&r, 8), src;
    struct nv_err err = {0};
    int ok = m && !nv_model_add_source(m, "random", &src, &err) &&
             add_entities(m, &r, nent);

    for (uint32_t v = 0; ok && v < nv; v++) {
        static const char *const layer[] = {"core", "transport", "edge",
                                            "ran",  "endpoint",  "core"};
        char id[16], vendor[16];
        const char *a[] = {"id",     id,     "layer",   layer[rnd(&r, 6)],
                           "vendor", vendor, "transit", NULL,
                           NULL};
        snprintf(id, sizeof id, "a%u", v);
        snprintf(vendor, sizeof vendor, "e%u", rnd(&r, nent));
        if (rnd(&r, 5) == 0) /* against the layer's default */
            a[7] = rnd(&r, 2) ? "true" : "false";
        else
            a[6] = NULL;
        if (rnd(&r, 6) == 0)
            a[4] = NULL;
        ok = add(m, NV_T_ASSET, a);
    }
    for (uint32_t e = 0; ok && e < ne + nf; e++) {
        char id[16], a[16], b[16];
        const char *l[] = {"a", a, "b", b, NULL};
        const char *f[] = {"id", id, "src", a, "dst", b, NULL};
        snprintf(id, sizeof id, "f%u", e);
        snprintf(a, sizeof a, "a%u", rnd(&r, nv));
        snprintf(b, sizeof b, "a%u", rnd(&r, nv));
        ok = add(m, e < ne ? NV_T_LINK : NV_T_FLOW, e < ne ? l : f);
    }
    if (!ok || nv_model_finish(m, &err)) {
        nv_model_free(m);
        return NULL;
    }
    return m;
}

/* Do s and t meet without the assets marked out (ends kept)?  A path
 * goes on from s and from transit assets only. */
static int meet(const struct nv_model *m, unsigned char *out, uint32_t s,
                uint32_t t)
{
    const struct nv_graph *g = &m->graph;
    unsigned char seen[32] = {0};
    uint32_t queue[32], head = 0, tail = 0;

    out[s] = out[t] = 0;
    seen[s] = 1;
    queue[tail++] = s;
    while (head < tail) {
        uint32_t v = queue[head++];
        for (uint32_t k = g->off[v];
             (v == s || NV_ASSETS(m)[v].transit) && k < g->off[v + 1]; k++)
            if (!seen[g->adj[k]] && !out[g->adj[k]]) {
                seen[g->adj[k]] = 1;
                queue[tail++] = g->adj[k];
            }
    }
    return seen[t];
}

/* Do s and t meet without the assets of the n groups of set? */
static int meet_without(const struct nv_model *m, const struct nv_groups *gs,
                        const uint32_t *set, int n, uint32_t s, uint32_t t)
{
    unsigned char out[32] = {0};

    for (int i = 0; i < n; i++)
        for (uint32_t k = gs->aoff[set[i]]; k < gs->aoff[set[i] + 1]; k++)
            out[gs->asset[k]] = 1;
    return meet(m, out, s, t);
}

/* The smallest number of groups of the kind that part s and t (0 when
 * they never meet, 4 when no three do): every a <= b <= c, repeats
 * standing for smaller sets. */
static int oracle(const struct nv_model *m, const struct nv_groups *gs,
                  enum nv_group_kind kind, uint32_t s, uint32_t t)
{
    int best = 4;

    if (!meet_without(m, gs, NULL, 0, s, t))
        return 0;
    for (uint32_t a = 0; a < gs->n; a++)
        for (uint32_t b = a; b < gs->n; b++)
            for (uint32_t c = b; c < gs->n; c++) {
                uint32_t set[3] = {a, b, c};
                int n = 1 + (b != a) + (c != b);
                if (gs->v[a].kind != kind || gs->v[b].kind != kind ||
                    gs->v[c].kind != kind || n >= best)
                    continue;
                set[1] = b != a ? b : c; /* the distinct groups first */
                if (!meet_without(m, gs, set, n, s, t))
                    best = n;
            }
    return best;
}

static int check_margin(struct nv_t *T, uint64_t seed, const struct nv_model *m,
                        const struct nv_exposure *x, enum nv_group_kind kind,
                        const struct nv_margin *mg)
{
    for (uint32_t f = 0; f < x->nflows; f++) {
        uint32_t s = NV_FLOWS(m)[f].src.idx, t = NV_FLOWS(m)[f].dst.idx;
        int want = oracle(m, &x->groups, kind, s, t), ok = mg[f].k == want;
        for (int i = 0; ok && want >= 1 && want <= 3; i++) {
            if (i == want) {
                ok = !meet_without(m, &x->groups, mg[f].witness, want, s, t);
                break;
            }
            ok = x->groups.v[mg[f].witness[i]].kind == kind;
        }
        if (!ok) {
            nv_t_fail(T, __FILE__, __LINE__,
                      "seed %llu: flow f%u kind %d: margin %d, expected %d",
                      (unsigned long long)seed, f, (int)kind, mg[f].k, want);
            return 0;
        }
    }
    return 1;
}

/* The choke points of every flow against removing each asset in turn. */
static int check_chokes(struct nv_t *T, uint64_t seed, const struct nv_model *m,
                        const struct nv_exposure *x)
{
    struct nv_chokes c;
    struct nv_err err = {0};
    int ok = !nv_choke_compute(m, x, &c, &err);

    for (uint32_t f = 0; ok && f < x->nflows; f++) {
        uint32_t s = NV_FLOWS(m)[f].src.idx, t = NV_FLOWS(m)[f].dst.idx;
        for (uint32_t a = 0; ok && a < m->graph.n; a++) {
            unsigned char out[32] = {0};
            int want, got = 0;
            out[a] = 1;
            want = a != s && a != t && x->connected[f] && !meet(m, out, s, t);
            for (uint32_t i = 0; i < c.n; i++)
                for (uint32_t k = c.off[i]; c.asset[i] == a && k < c.off[i + 1];
                     k++)
                    got |= c.flow[k] == f;
            ok = want == got;
            if (!ok)
                nv_t_fail(T, __FILE__, __LINE__,
                          "seed %llu: flow f%u asset a%u: %d, expected %d",
                          (unsigned long long)seed, f, a, got, want);
        }
    }
    nv_choke_release(&c);
    return ok;
}

static int check_seed(struct nv_t *T, uint64_t seed)
{
    struct nv_model *m = random_model(seed);
    struct nv_exposure x = {0};
    struct nv_margin mg[8];
    struct nv_err err = {0};
    int ok;

    nv_err_clear(&err);
    ok = m && !nv_exposure_compute(m, 1, &x, &err);

    for (int k = NV_GROUP_VENDOR; ok && k <= NV_GROUP_COUNTRY; k++)
        ok = !nv_margin_compute(m, &x, (enum nv_group_kind)k,
                                1 + (int)(seed % 2), mg, &err) &&
             check_margin(T, seed, m, &x, (enum nv_group_kind)k, mg);
    ok = ok && check_chokes(T, seed, m, &x);
    if (!ok && !T->failed)
        nv_t_fail(T, __FILE__, __LINE__, "seed %llu: %s",
                  (unsigned long long)seed, m ? err.msg : "no model");
    nv_exposure_release(&x);
    nv_model_free(m);
    return ok;
}

/* 3,000 random models: chains of owners, shared countries, unresolved
 * vendors, non-transit assets (ran and endpoint layers, and a fifth
 * saying transit against their layer), parallel links, self-loops, s = t,
 * neighbouring ends, ends in the groups, several components.  NV_SEED replays
 * one seed. */
NV_TEST(margin_and_chokes_match_brute_force)
{
    const char *one = getenv("NV_SEED");
    uint64_t first = one ? strtoull(one, NULL, 10) : 1;
    uint64_t last = one ? first : 3000;

    for (uint64_t seed = first; seed <= last; seed++)
        if (!check_seed(T, seed))
            return;
}
