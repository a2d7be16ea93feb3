/*
 * test_plan.c - the planner against exhaustive search: on small random
 * models, every set of replacements of untrusted assets is applied and
 * checked (the error rules of uk-2020 and the default goal, by the
 * policy engine and the exposure of the changed model); the plan must
 * cost what the cheapest set that meets the goal costs, and meet it.
 */
#include "core/alloc.h"
#include "core/file.h"
#include "exposure/score.h"
#include "model/change.h"
#include "model/load_int.h"
#include "plan/plan.h"
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Every vendor of China is untrusted (Lenovo is standard, but shares its
 * country with high-risk ones); Ericsson and Nokia replace. */
static int entities(struct nv_model *m)
{
    static const char *const e[][4] = {
        {"huawei", "CN", "high-risk", "Huawei"},
        {"zte", "CN", "high-risk", "ZTE"},
        {"lenovo", "CN", "standard", "Lenovo"},
        {"ericsson", "SE", "trusted", "Ericsson"},
        {"nokia", "FI", "trusted", "Nokia"}};
    int ok = 1;

    for (size_t i = 0; ok && i < sizeof e / sizeof e[0]; i++) {
        const char *p[] = {"id",    e[i][0], "country", e[i][1], "designation",
                           e[i][2], "name",  e[i][3],   NULL};
        ok = add(m, NV_T_ENTITY, p);
    }
    return ok;
}

static int sites(struct nv_model *m, struct rng *r)
{
    int ok = 1;

    for (int i = 0; ok && i < 3; i++) {
        char id[16];
        const char *p[] = {"id",   id,   "region", i ? "north" : "south",
                           "tags", NULL, NULL};
        snprintf(id, sizeof id, "s%d", i);
        p[5] = rnd(r, 3) == 0 ? "military" : "datacentre";
        ok = add(m, NV_T_SITE, p);
    }
    return ok;
}

static int assets(struct nv_model *m, struct rng *r, uint32_t n)
{
    static const char *const vendors[] = {"huawei",   "zte",   "lenovo",
                                          "ericsson", "nokia", "huawei"};
    static const char *const layers[] = {"core", "ran", "transport",
                                         "endpoint"};
    int ok = 1;

    for (uint32_t i = 0; ok && i < n; i++) {
        char id[16], site[16], cost[16];
        const char *p[] = {"id", id,     "vendor", vendors[rnd(r, 6)], "layer",
                           NULL, "site", site,     "replacement_cost", cost,
                           NULL};
        snprintf(id, sizeof id, "a%u", i);
        snprintf(site, sizeof site, "s%u", rnd(r, 3));
        snprintf(cost, sizeof cost, "%u", 1 + rnd(r, 9));
        p[5] = layers[rnd(r, 4)];
        ok = add(m, NV_T_ASSET, p);
    }
    return ok;
}

static int links_flows(struct nv_model *m, struct rng *r, uint32_t n)
{
    int ok = 1;

    for (uint32_t i = 1; ok && i < n + n / 2; i++) {
        char a[16], b[16];
        const char *p[] = {"a", a, "b", b, NULL};
        snprintf(a, sizeof a, "a%u", i < n ? i : rnd(r, n));
        snprintf(b, sizeof b, "a%u", i < n ? rnd(r, i) : rnd(r, n));
        ok = add(m, NV_T_LINK, p);
    }
    for (uint32_t i = 0; ok && i < 1 + rnd(r, 3); i++) {
        char id[16], s[16], t[16];
        const char *p[] = {"id",
                           id,
                           "src",
                           s,
                           "dst",
                           t,
                           "classification",
                           nv_class_names[rnd(r, 4)],
                           NULL};
        snprintf(id, sizeof id, "f%u", i);
        snprintf(s, sizeof s, "a%u", rnd(r, n));
        snprintf(t, sizeof t, "a%u", rnd(r, n));
        ok = add(m, NV_T_FLOW, p);
    }
    return ok;
}

static struct nv_model *random_model(uint64_t seed)
{
    struct rng r = {seed * 0x9E3779B97F4A7C15u + 3};
    struct nv_model *m = nv_model_new();
    uint32_t n = 3 + rnd(&r, 6), src;
    struct nv_err err = {0};

    if (!m || nv_model_add_source(m, "random", &src, &err) || !entities(m) ||
        !sites(m, &r) || !assets(m, &r, n) || !links_flows(m, &r, n) ||
        nv_model_finish(m, &err)) {
        nv_model_free(m);
        return NULL;
    }
    return m;
}

static int untrusted(const struct nv_model *m, uint32_t a)
{
    uint32_t e = NV_ASSETS(m)[a].entity;
    return e != NV_NONE && strcmp(NV_ENTITIES(m)[e].country, "CN") == 0;
}

/* Does the model after replacing the assets of set (by Nokia, or by
 * Ericsson where bit i of ericsson is set) meet the goal? */
static int meets_by(const struct nv_model *m, const struct nv_policy *p,
                    const uint32_t *set, uint32_t n, uint32_t ericsson)
{
    char text[4096];
    size_t len = 0;
    struct nv_model *m2 = NULL;
    struct nv_exposure x = {0};
    struct nv_violation *v = NULL;
    struct nv_err err = {0};
    uint32_t nv = 0, g;
    int ok;

    len += (size_t)snprintf(text, sizeof text, "{\"replace\": [");
    for (uint32_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "%s{\"id\": \"%s\", \"vendor\": \"%s\"}",
                                i ? ", " : "", NV_ASSETS(m)[set[i]].id,
                                ericsson >> i & 1 ? "Ericsson" : "Nokia");
    len += (size_t)snprintf(text + len, sizeof text - len, "]}");
    ok = !nv_change_apply(m, "set", text, len, &m2, &err) &&
         !nv_exposure_compute(m2, 1, &x, &err) &&
         !nv_policy_check(p, m2, &x, "2999-12-31", &v, &nv, &err);
    for (uint32_t i = 0; ok && i < nv; i++) {
        struct nv_rule_info r;
        nv_policy_rule(p, v[i].rule, &r);
        ok = r.severity != NV_SEV_ERROR;
    }
    for (uint32_t f = 0; ok && f < x.nflows; f++)
        ok = NV_FLOWS(m2)[f].classification < NV_CLASS_RESTRICTED ||
             nv_score_hostile_level(&x, f, &g) < NV_LEVEL_ROUTED;
    nv_free(v);
    nv_exposure_release(&x);
    nv_model_free(m2);
    return ok;
}

/* Does some choice of vendors for the replacements of set meet the goal
 * (only one when vendors is 0)? */
static int some_vendors_meet(const struct nv_model *m,
                             const struct nv_policy *p, const uint32_t *set,
                             uint32_t n, int vendors)
{
    for (uint32_t e = 0; e < (vendors ? 1u << n : 1u); e++)
        if (meets_by(m, p, set, n, e))
            return 1;
    return 0;
}

/* The cheapest set of untrusted assets whose replacement meets the goal
 * (-1 when none does), with any choice of vendors when vendors is set. */
static double cheapest(const struct nv_model *m, const struct nv_policy *p,
                       int vendors)
{
    uint32_t cand[16], nc = 0, set[16];
    double best = -1;

    for (uint32_t a = 0; a < NV_COUNT(m, NV_T_ASSET); a++)
        if (untrusted(m, a))
            cand[nc++] = a;
    for (uint32_t mask = 0; mask < (1u << nc); mask++) {
        uint32_t n = 0;
        double cost = 0;
        for (uint32_t i = 0; i < nc; i++)
            if (mask >> i & 1) {
                set[n++] = cand[i];
                cost += NV_ASSETS(m)[cand[i]].replacement_cost;
            }
        if ((best < 0 || cost < best) &&
            some_vendors_meet(m, p, set, n, vendors))
            best = cost;
    }
    return best;
}

/* The pack uk-2020, or the policy text when not NULL. */
static struct nv_policy *pack(const char *text)
{
    struct nv_policy *p = nv_policy_new();
    struct nv_file f = {0};
    struct nv_err err = {0};
    int ok =
        p && (text || !nv_file_read(&f, "policies/uk-2020.nvp", 1 << 20, &err));

    ok = ok && !nv_policy_parse(p, text ? "text.nvp" : "uk-2020.nvp",
                                text ? text : f.data,
                                text ? strlen(text) : f.len, &err);
    if (!text)
        nv_file_release(&f);
    if (!ok) {
        nv_policy_free(p);
        return NULL;
    }
    return p;
}

/* Is the plan what exhaustive search says: the cheapest that meets the
 * goal, or unmeetable when nothing does?  With vendors, a plan may also
 * be dearer, or say it is not met, as long as it never claims a goal it
 * does not meet (*near counts those seeds). */
static int plan_agrees(const struct nv_model *m, const struct nv_policy *p,
                       const struct nv_plan *pl, int vendors, uint32_t *near)
{
    double want = cheapest(m, p, vendors);
    uint32_t set[16], ericsson = 0;
    int met;

    for (uint32_t i = 0; i < pl->nstep; i++) {
        set[i] = pl->step[i].asset;
        ericsson |= (uint32_t)(strcmp(NV_ENTITIES(m)[pl->step[i].vendor].id,
                                      "ericsson") == 0)
                    << i;
    }
    if (want < 0)
        return pl->status == NV_PLAN_UNMEETABLE;
    met = pl->status == NV_PLAN_OPTIMAL && pl->left == 0 &&
          meets_by(m, p, set, pl->nstep, ericsson);
    if (met && fabs(pl->cost - want) < 1e-9)
        return 1;
    *near += vendors;
    return vendors &&
           (met ? pl->cost > want : pl->status == NV_PLAN_UNMEETABLE);
}

static int check_seed(struct nv_t *T, const struct nv_policy *p, uint64_t seed,
                      int vendors, uint32_t *near)
{
    struct nv_plan_opts o = {2030, 2030, 0, 1, 10, 10000, NULL};
    struct nv_model *m = random_model(seed);
    struct nv_exposure x = {0};
    struct nv_plan pl;
    struct nv_err err = {0};
    int ok = m && !nv_exposure_compute(m, 1, &x, &err) &&
             !nv_plan_make(m, &x, p, &o, &pl, &err);

    if (!ok) {
        nv_t_fail(T, __FILE__, __LINE__, "seed %llu: no model or plan",
                  (unsigned long long)seed);
        nv_exposure_release(&x);
        nv_model_free(m);
        return 0;
    }
    ok = plan_agrees(m, p, &pl, vendors, near);
    if (!ok)
        nv_t_fail(T, __FILE__, __LINE__, "seed %llu: plan status %d cost %g",
                  (unsigned long long)seed, (int)pl.status, pl.cost);
    nv_plan_release(&pl);
    nv_exposure_release(&x);
    nv_model_free(m);
    return ok;
}

/* 150 random models of up to 8 assets.  NV_SEED replays one seed. */
NV_TEST(plan_is_the_cheapest_that_meets_the_goal)
{
    const char *one = getenv("NV_SEED");
    uint64_t first = one ? strtoull(one, NULL, 10) : 1;
    uint64_t last = one ? first : 150;
    struct nv_policy *p = pack(NULL);
    uint32_t near = 0;

    ASSERT(p != NULL);
    for (uint64_t seed = first; seed <= last; seed++)
        if (!check_seed(T, p, seed, 0, &near))
            break;
    nv_policy_free(p);
}

/* With a `require vendors` error rule (and no rule that removes every
 * high-risk asset, so that replacing for diversity matters) the
 * replacements' vendors count: every choice of Ericsson or Nokia for
 * each is tried too.  The plan never claims a goal it does not meet, and
 * is the cheapest on all but a few seeds (docs/plan.md says where it is
 * not: two of 300 today). */
NV_TEST(plan_meets_require_vendors)
{
    static const char *const rule[] = {"layer = ran per region >= 2",
                                       "layer != core per network >= 3"};
    const char *one = getenv("NV_SEED");
    uint64_t first = one ? strtoull(one, NULL, 10) : 1;
    uint64_t last = one ? first : 150;
    uint32_t near = 0;

    for (int k = 0; k < 2; k++) {
        char text[512];
        struct nv_policy *p;
        snprintf(text, sizeof text,
                 "rule CORE error \"no high-risk core\"\n"
                 "  deny assets where designation >= high-risk and layer = "
                 "core\n"
                 "rule DIV error \"vendors\"\n"
                 "  require vendors of assets where %s\n",
                 rule[k]);
        p = pack(text);
        ASSERT(p != NULL);
        for (uint64_t seed = first; seed <= last; seed++)
            if (!check_seed(T, p, seed, 1, &near))
                break;
        nv_policy_free(p);
    }
    ASSERT(near <= 2);
}
