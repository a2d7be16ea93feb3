/*
 * plan.c - what the goal asks of each asset, and the plan's years.
 *
 * The model is compared with the model where every candidate (every
 * asset of an untrusted group) is replaced: a violation that the full
 * replacement removes becomes a requirement on the assets that carry it;
 * one it leaves is beyond any plan (UNMEETABLE, with why).  The solver
 * (plan_solve.c) picks the assets and years; each year's model is then
 * built and checked, for the rules it makes hold and the score after.
 */
#include "plan/plan_int.h"

#include "core/alloc.h"
#include "core/json.h"
#include "core/parse.h"
#include "exposure/routes.h"
#include "exposure/score.h"
#include "model/change.h"
#include "plan/costs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Far enough ahead that every dated rule is in force. */
#define ALL_IN_FORCE "2999-12-31"

double nv_plan_default_cost(enum nv_layer layer)
{
    /* core, ran, transport, edge, management, oss, endpoint */
    static const double cost[NV_LAYER_COUNT] = {400000, 60000, 150000, 80000,
                                                50000,  80000, 20000};
    return cost[layer];
}

static enum nv_rc nomem(struct nv_err *err)
{
    return nv_err_set(err, NV_ENOMEM, "out of memory");
}

void nv_plan_unmeetable(struct plan_ctx *c, uint32_t rule, const char *item)
{
    struct nv_rule_info r;

    if (c->out->status == NV_PLAN_UNMEETABLE)
        return;
    nv_policy_rule(c->p, rule, &r);
    c->out->status = NV_PLAN_UNMEETABLE;
    snprintf(c->out->why, sizeof c->out->why,
             "%s cannot be met by replacing vendors: %s", r.id, item);
}

static void mark_hostile(struct plan_ctx *c)
{
    const struct nv_groups *gs = &c->x->groups;

    for (uint32_t a = 0; a < c->na; a++) {
        uint32_t e = NV_ASSETS(c->m)[a].entity;
        for (uint32_t k = gs->off[a]; k < gs->off[a + 1]; k++)
            c->hostile[a] |= (unsigned char)nv_score_hostile(c->x, gs->grp[k]);
        c->direct[a] =
            e != NV_NONE && nv_model_designation(c->m, e) >= NV_DESIG_HIGH_RISK;
        c->out->candidates += c->hostile[a];
        c->cost[a] = nv_costs_of(c->o->costs, c->m, a);
    }
}

int nv_plan_trusted(const struct plan_ctx *c, uint32_t e)
{
    const char *cc = NV_ENTITIES(c->m)[e].country;
    char id[80];
    uint32_t g;

    if (nv_model_designation(c->m, e) != NV_DESIG_TRUSTED)
        return 0;
    snprintf(id, sizeof id, "country:%s", cc ? cc : "");
    g = cc ? nv_groups_find(&c->x->groups, id) : NV_NONE;
    return g == NV_NONE || !nv_score_hostile(c->x, g);
}

/* Each candidate is replaced by the trusted vendor with the most assets
 * in its layer (or anywhere, when its layer has none). */
static enum nv_rc choose_vendors(struct plan_ctx *c, struct nv_err *err)
{
    uint32_t ne = NV_COUNT(c->m, NV_T_ENTITY), best[NV_LAYER_COUNT + 1];
    uint32_t *n = nv_calloc(((size_t)ne + 1) * (NV_LAYER_COUNT + 1), 4);

    if (!n)
        return nomem(err);
    for (uint32_t a = 0; a < c->na; a++) {
        uint32_t e = NV_ASSETS(c->m)[a].entity;
        if (e != NV_NONE && nv_plan_trusted(c, e)) {
            n[(size_t)e * (NV_LAYER_COUNT + 1) + NV_ASSETS(c->m)[a].layer]++;
            n[(size_t)e * (NV_LAYER_COUNT + 1) + NV_LAYER_COUNT]++;
        }
    }
    for (int l = 0; l <= NV_LAYER_COUNT; l++) {
        best[l] = NV_NONE;
        for (uint32_t e = 0; e < ne; e++)
            if (nv_plan_trusted(c, e) &&
                (best[l] == NV_NONE ||
                 n[(size_t)e * (NV_LAYER_COUNT + 1) + l] >
                     n[(size_t)best[l] * (NV_LAYER_COUNT + 1) + l]))
                best[l] = e;
    }
    for (uint32_t a = 0; a < c->na; a++) {
        enum nv_layer l = NV_ASSETS(c->m)[a].layer;
        uint32_t e = best[l];
        if (e == NV_NONE || !n[(size_t)e * (NV_LAYER_COUNT + 1) + l])
            e = best[NV_LAYER_COUNT];
        c->vendor[a] = e;
    }
    nv_free(n);
    if (best[NV_LAYER_COUNT] == NV_NONE && c->out->candidates)
        return nv_err_set(err, NV_EINVAL,
                          "no trusted vendor in the model to replace with");
    return NV_OK;
}

/* The year an error rule must hold by (0: not planned for). */
static int deadline_of(const struct plan_ctx *c, uint32_t rule)
{
    struct nv_rule_info r;
    int64_t y = c->o->from;
    int d;

    nv_policy_rule(c->p, rule, &r);
    if (r.severity != NV_SEV_ERROR)
        return 0;
    if (r.from && nv_parse_i64(r.from, 4, 1900, 2999, &y) == NV_OK &&
        strcmp(r.from + 4, "-01-01") == 0)
        y--;
    d = (int)y < c->o->from ? c->o->from : (int)y;
    return c->o->until && d > c->o->until ? 0 : d;
}

static void set_deadlines(struct plan_ctx *c)
{
    c->last = c->o->until ? c->o->until : c->o->from;
    for (uint32_t r = 0; r < nv_policy_rules(c->p); r++) {
        c->out->deadline[r] = deadline_of(c, r);
        if (c->out->deadline[r] > c->last)
            c->last = c->out->deadline[r];
    }
    c->out->first = c->o->from;
    c->out->last = c->last;
}

static void require(struct plan_ctx *c, uint32_t a, int year)
{
    if (year < c->by[a])
        c->by[a] = year;
}

/* An untrusted asset on a route: a condition when only its country
 * makes it untrusted. */
static enum nv_rc require_on_route(struct plan_ctx *c, uint32_t a, int year)
{
    if (c->direct[a]) {
        require(c, a, year);
        return NV_OK;
    }
    if (nv_array_reserve(&c->conds, &c->capconds, (size_t)c->nconds + 1,
                         sizeof *c->conds))
        return NV_ENOMEM;
    c->conds[c->nconds++] = (struct cond){a, year};
    return NV_OK;
}

/* {"replace": [{"id": ..., "vendor": ...}, ...]} for the steps up to
 * year. */
static enum nv_rc write_steps(const struct nv_model *m,
                              const struct nv_plan_step *s, uint32_t n,
                              int year, FILE *f, struct nv_err *err)
{
    struct nv_jsonw *w = nv_jsonw_new(f, 1);
    enum nv_rc rc;

    if (!w)
        return nomem(err);
    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    nv_jsonw_key(w, "replace");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < n; i++) {
        const struct nv_entity *e = &NV_ENTITIES(m)[s[i].vendor];
        if (s[i].year > year)
            continue;
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "id");
        nv_jsonw_str(w, NV_ASSETS(m)[s[i].asset].id);
        nv_jsonw_key(w, "vendor");
        nv_jsonw_str(w, e->name ? e->name : e->id);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
    rc = nv_jsonw_finish(w, err);
    nv_jsonw_free(w);
    return rc;
}

enum nv_rc nv_plan_write_change(const struct nv_model *m,
                                const struct nv_plan *p, int year, FILE *f,
                                struct nv_err *err)
{
    return write_steps(m, p->step, p->nstep, year, f, err);
}

/* The model after the steps up to year, its exposure and its error
 * violations with every rule in force. */
struct state {
    struct nv_model *own; /* NULL for the model as it is */
    const struct nv_model *m;
    struct nv_exposure x;
    struct nv_violation *v;
    uint32_t nv;
};

static void state_release(struct state *s)
{
    nv_free(s->v);
    nv_exposure_release(&s->x);
    nv_model_free(s->own);
    memset(s, 0, sizeof *s);
}

static enum nv_rc state_after(const struct plan_ctx *c,
                              const struct nv_plan_step *steps, uint32_t n,
                              int year, struct state *s, struct nv_err *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    enum nv_rc rc = f ? write_steps(c->m, steps, n, year, f, err) : NV_ENOMEM;

    memset(s, 0, sizeof *s);
    if (f)
        fclose(f);
    rc = rc ? rc : nv_change_apply(c->m, "plan", text, len, &s->own, err);
    s->m = s->own;
    rc = rc ? rc : nv_exposure_compute(s->m, 0, &s->x, err);
    rc = rc ? rc
            : nv_policy_check(c->p, s->m, &s->x, ALL_IN_FORCE, &s->v, &s->nv,
                              err);
    free(text); /* open_memstream buffers come from malloc */
    if (rc)
        state_release(s);
    return rc == NV_ENOMEM ? nomem(err) : rc;
}

/* Is the violation of rule about item also in s? */
static int still(const struct plan_ctx *c, const struct state *s,
                 const struct nv_violation *v)
{
    const char *item = nv_violation_item(c->m, v);

    for (uint32_t i = 0; i < s->nv; i++)
        if (s->v[i].rule == v->rule &&
            strcmp(nv_violation_item(s->m, &s->v[i]), item) == 0)
            return 1;
    return 0;
}

const char *nv_plan_area(const struct nv_model *m, uint32_t a, int region)
{
    uint32_t s = NV_ASSETS(m)[a].site.idx;

    if (!region)
        return "network";
    return s != NV_NONE && NV_SITES(m)[s].region ? NV_SITES(m)[s].region
                                                 : "(no region)";
}

/* The share of rule r in area must come down to its bound by year:
 * enough of the assets it counts that replacing takes out of it. */
static enum nv_rc share_needs(struct plan_ctx *c, const struct state *all,
                              uint32_t r, const char *area, int year,
                              struct nv_err *err)
{
    struct nv_rule_info ri;
    unsigned char *hit = nv_calloc((size_t)c->na + 1, 3);
    uint32_t total = 0, hits = 0, first = c->ndec, allowed;
    enum nv_rc rc = hit ? NV_OK : NV_ENOMEM;

    nv_policy_rule(c->p, r, &ri);
    rc = rc ? rc : nv_policy_rule_assets(c->p, r, c->m, 0, hit, err);
    rc = rc ? rc : nv_policy_rule_assets(c->p, r, c->m, 1, hit + c->na, err);
    rc = rc ? rc
            : nv_policy_rule_assets(c->p, r, all->m, 0, hit + 2 * c->na, err);
    for (uint32_t a = 0; !rc && a < c->na; a++) {
        if (!hit[c->na + a] ||
            strcmp(nv_plan_area(c->m, a, ri.per_region), area) != 0)
            continue;
        total++;
        hits += hit[a];
        if (hit[a] && !hit[2 * c->na + a] && c->hostile[a] &&
            nv_array_reserve(&c->dec, &c->capdec, (size_t)c->ndec + 1, 4))
            rc = NV_ENOMEM;
        else if (hit[a] && !hit[2 * c->na + a] && c->hostile[a])
            c->dec[c->ndec++] = a;
    }
    allowed = (uint32_t)floor(ri.bound * total / 100 + 1e-9);
    if (!rc && hits > allowed && c->ndec - first < hits - allowed)
        nv_plan_unmeetable(c, r, area);
    if (!rc && nv_array_reserve(&c->shares, &c->capshares,
                                (size_t)c->nshares + 1, sizeof *c->shares))
        rc = NV_ENOMEM;
    if (!rc)
        c->shares[c->nshares++] = (struct share){
            year, hits > allowed ? hits - allowed : 0, first, c->ndec - first};
    nv_free(hit);
    return rc == NV_ENOMEM ? nomem(err) : rc;
}

/* A flow whose routes must be clear of untrusted assets by year. */
struct flow_need {
    uint32_t src, flow;
    int year;
};

static int by_source(const void *pa, const void *pb)
{
    const struct flow_need *a = pa, *b = pb;

    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    return a->flow < b->flow ? -1 : a->flow > b->flow;
}

/* The assets on flow f's routes, ends included (exposure's ROUTED, so
 * non-transit assets and declared paths count as they do there); owned by
 * rt until its next search.  Replacing equipment keeps links and costs,
 * so the routes do not change with a plan. */
static enum nv_rc route_assets(struct nv_routes *rt, uint32_t f,
                               const uint32_t **on, uint32_t *n)
{
    const struct nv_fail none = {NV_FAIL_NONE, 0};

    *on = rt->queue;
    return nv_routes_flow(rt, f, none, n);
}

/* Every untrusted asset on each flow's routes, replaced by its year;
 * taken by source, so that route searches are shared. */
static enum nv_rc flow_needs(struct plan_ctx *c, struct nv_routes *rt,
                             struct flow_need *fn, uint32_t nfn,
                             struct nv_err *err)
{
    const uint32_t *on;
    uint32_t n;

    qsort(fn, nfn, sizeof *fn, by_source);
    for (uint32_t k = 0; k < nfn; k++) {
        if (route_assets(rt, fn[k].flow, &on, &n))
            return nomem(err);
        for (uint32_t i = 0; i < n; i++)
            if (c->hostile[on[i]] && require_on_route(c, on[i], fn[k].year))
                return nomem(err);
    }
    return NV_OK;
}

/* Areas short of vendors: replacements (the full replacement says
 * nothing of them, as the vendors of a plan are chosen for diversity). */
static enum nv_rc vendor_needs(struct plan_ctx *c, const struct state *now,
                               struct nv_err *err)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; !rc && i < now->nv; i++) {
        const struct nv_violation *v = &now->v[i];
        struct nv_rule_info r;
        nv_policy_rule(c->p, v->rule, &r);
        if (c->out->deadline[v->rule] && r.body == NV_RULE_REQUIRE_VENDORS)
            rc = nv_plan_vendor_needs(c, v->rule, v->area,
                                      c->out->deadline[v->rule], err);
    }
    return rc;
}

/* What each violation of an error rule in force by the last year asks. */
static enum nv_rc rule_needs(struct plan_ctx *c, const struct state *now,
                             const struct state *all, struct nv_routes *rt,
                             struct nv_err *err)
{
    struct flow_need *fn = nv_calloc((size_t)now->nv + 1, sizeof *fn);
    uint32_t nfn = 0;
    enum nv_rc rc = fn ? NV_OK : nomem(err);

    for (uint32_t i = 0; !rc && i < now->nv; i++) {
        const struct nv_violation *v = &now->v[i];
        struct nv_rule_info r;
        int year = c->out->deadline[v->rule];
        nv_policy_rule(c->p, v->rule, &r);
        if (!year || r.body == NV_RULE_REQUIRE_VENDORS)
            continue; /* vendors: once the other needs are known */
        if (still(c, all, v))
            nv_plan_unmeetable(c, v->rule, v->why);
        else if (v->kind == NV_V_ASSET && c->hostile[v->item])
            require(c, v->item, year);
        else if (v->kind == NV_V_FLOW)
            fn[nfn++] = (struct flow_need){NV_FLOWS(c->m)[v->item].src.idx,
                                           v->item, year};
        else if (v->kind == NV_V_AREA && r.body == NV_RULE_LIMIT_SHARE)
            rc = share_needs(c, all, v->rule, v->area, year, err);
        else
            nv_plan_unmeetable(c, v->rule, "not a share or an untrusted asset");
    }
    rc = rc ? rc : flow_needs(c, rt, fn, nfn, err);
    nv_free(fn);
    return rc ? rc : vendor_needs(c, now, err);
}

/* The risk each untrusted asset carries (its part of the scores of the
 * flows it routes, and of its layer's high-risk share), and the default
 * goal: no untrusted asset on the routes of flows restricted and above
 * that an untrusted group reaches at ROUTED or MUST. */
/* The flows an untrusted group reaches at ROUTED or MUST, by source, so
 * that route searches are shared. */
static uint32_t *reached_flows(const struct plan_ctx *c, uint32_t *n)
{
    uint32_t *f = nv_calloc((size_t)c->x->nflows + 1, sizeof *f), g;
    uint32_t *count = nv_calloc((size_t)c->na + 2, sizeof *count);

    *n = 0;
    if (!f || !count) {
        nv_free(f);
        nv_free(count);
        return NULL;
    }
    for (uint32_t i = 0; i < c->x->nflows; i++)
        if (nv_score_hostile_level(c->x, i, &g) >= NV_LEVEL_ROUTED)
            count[NV_FLOWS(c->m)[i].src.idx + 1]++;
    for (uint32_t a = 0; a < c->na; a++)
        count[a + 1] += count[a];
    for (uint32_t i = 0; i < c->x->nflows; i++)
        if (nv_score_hostile_level(c->x, i, &g) >= NV_LEVEL_ROUTED)
            f[count[NV_FLOWS(c->m)[i].src.idx]++] = i;
    *n = count[c->na];
    nv_free(count);
    return f;
}

/* Flow f's part of the risk of the untrusted assets on its routes, and
 * (the default goal) their replacement by the last year. */
static enum nv_rc route_flow(struct plan_ctx *c, struct nv_routes *rt,
                             uint32_t f)
{
    uint32_t g, n, nh = 0;
    const uint32_t *on;
    double score = nv_score_flow(c->m, c->x, f, NULL, &g);
    int goal =
        c->o->routes && NV_FLOWS(c->m)[f].classification >= NV_CLASS_RESTRICTED;

    if (route_assets(rt, f, &on, &n))
        return NV_ENOMEM;
    for (uint32_t i = 0; i < n; i++)
        nh += c->hostile[on[i]];
    for (uint32_t i = 0; i < n; i++) {
        if (!c->hostile[on[i]])
            continue;
        c->risk[on[i]] += score / nh;
        if (goal && require_on_route(c, on[i], c->last))
            return NV_ENOMEM;
    }
    return NV_OK;
}

/* The risk each untrusted asset carries (its part of the scores of the
 * flows it routes, and of its layer's high-risk share), and the default
 * goal: no untrusted asset on the routes of flows restricted and above
 * that an untrusted group reaches at ROUTED or MUST. */
static enum nv_rc route_needs(struct plan_ctx *c, struct nv_routes *rt,
                              struct nv_err *err)
{
    uint32_t per_layer[NV_LAYER_COUNT] = {0}, n;
    uint32_t *flows = reached_flows(c, &n);
    enum nv_rc rc = flows ? NV_OK : NV_ENOMEM;

    for (uint32_t i = 0; !rc && i < n; i++)
        rc = route_flow(c, rt, flows[i]);
    nv_free(flows);
    if (rc)
        return nomem(err);
    for (uint32_t a = 0; a < c->na; a++)
        per_layer[NV_ASSETS(c->m)[a].layer]++;
    for (uint32_t a = 0; a < c->na; a++)
        if (c->hostile[a])
            c->risk[a] += 10 * nv_score_layer_weight[NV_ASSETS(c->m)[a].layer] /
                          per_layer[NV_ASSETS(c->m)[a].layer];
    return NV_OK;
}

static double network_score(const struct nv_model *m,
                            const struct nv_exposure *x)
{
    double sum = nv_score_layers(m);
    uint32_t g;

    for (uint32_t f = 0; f < x->nflows; f++)
        sum += nv_score_flow(m, x, f, NULL, &g);
    return sum;
}

/* Violations per planned rule in s. */
static void count_rules(const struct plan_ctx *c, const struct state *s,
                        uint32_t *per_rule)
{
    memset(per_rule, 0, nv_policy_rules(c->p) * sizeof *per_rule);
    for (uint32_t i = 0; i < s->nv; i++)
        per_rule[s->v[i].rule] += c->out->deadline[s->v[i].rule] != 0;
}

/* The first violation of a planned rule in s, as why the goal is not
 * met should it be left at the end. */
static void note_left(struct plan_ctx *c, const struct state *s)
{
    struct nv_rule_info r;

    c->out->why[0] = '\0';
    for (uint32_t i = 0; i < s->nv; i++)
        if (c->out->deadline[s->v[i].rule]) {
            nv_policy_rule(c->p, s->v[i].rule, &r);
            snprintf(c->out->why, sizeof c->out->why,
                     "%s is still broken after the plan: %s", r.id,
                     s->v[i].why);
            return;
        }
}

/* Year by year: what it costs, the score after, the rules it makes
 * hold; and the violations the whole plan leaves. */
static enum nv_rc eval_years(struct plan_ctx *c, const struct state *now,
                             struct nv_err *err)
{
    struct nv_plan *o = c->out;
    uint32_t nr = nv_policy_rules(c->p), ny = (uint32_t)(o->last - o->first);
    uint32_t *before = nv_calloc(2 * (size_t)nr + 1, sizeof *before);
    enum nv_rc rc = NV_OK;

    o->year = nv_calloc((size_t)ny + 1, sizeof *o->year);
    if (!before || !o->year) {
        nv_free(before);
        return nomem(err);
    }
    count_rules(c, now, before);
    for (uint32_t y = 0; !rc && y <= ny; y++) {
        struct nv_plan_year *py = &o->year[y];
        struct state s;
        py->year = o->first + (int)y;
        uint32_t steps = 0;
        for (uint32_t i = 0; i < o->nstep; i++) {
            py->cost += o->step[i].year == py->year ? o->step[i].cost : 0;
            steps += o->step[i].year == py->year;
        }
        if (y && !steps) { /* nothing changes this year */
            py->score = o->year[y - 1].score;
            continue;
        }
        rc = state_after(c, o->step, o->nstep, py->year, &s, err);
        py->rules = rc ? NULL : nv_calloc((size_t)nr + 1, sizeof *py->rules);
        if (!rc && !py->rules)
            rc = nomem(err);
        if (rc)
            break;
        py->score = network_score(s.m, &s.x);
        count_rules(c, &s, before + nr);
        note_left(c, &s);
        for (uint32_t r = 0; r < nr; r++)
            if (before[r] && !before[nr + r])
                py->rules[py->nrules++] = r;
        memcpy(before, before + nr, nr * sizeof *before);
        state_release(&s);
    }
    for (uint32_t r = 0; !rc && r < nr; r++)
        o->left += before[r];
    if (!rc && o->left) /* say so: the goal is not met */
        o->status = NV_PLAN_UNMEETABLE;
    else
        o->why[0] = '\0';
    nv_free(before);
    return rc;
}

static int by_year(const void *pa, const void *pb)
{
    const struct nv_plan_step *a = pa, *b = pb;
    double ra = a->risk / fmax(a->cost, 1), rb = b->risk / fmax(b->cost, 1);

    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (ra != rb)
        return ra > rb ? -1 : 1;
    return a->asset < b->asset ? -1 : a->asset > b->asset;
}

/* The untrusted assets no rule needs, most risk per cost first. */
static enum nv_rc pick_extras(struct plan_ctx *c, struct nv_err *err)
{
    struct nv_plan *o = c->out;
    unsigned char *in = nv_calloc((size_t)c->na + 1, 1);

    o->extra = nv_calloc((size_t)c->na + 1, sizeof *o->extra);
    if (!in || !o->extra) {
        nv_free(in);
        return nomem(err);
    }
    for (uint32_t i = 0; i < o->nstep; i++)
        in[o->step[i].asset] = 1;
    for (uint32_t a = 0; a < c->na; a++)
        if (c->hostile[a] && !in[a] && c->risk[a] > 0)
            o->extra[o->nextra++] = (struct nv_plan_step){
                a, 0, c->cost[a], c->risk[a], c->vendor[a]};
    qsort(o->extra, o->nextra, sizeof *o->extra, by_year);
    if (o->nstep) /* step is NULL when nothing is replaced */
        qsort(o->step, o->nstep, sizeof *o->step, by_year);
    nv_free(in);
    return NV_OK;
}

/* Everything every candidate replaced: what no plan can do better. */
static enum nv_rc replace_all(struct plan_ctx *c, struct state *all,
                              struct nv_err *err)
{
    struct nv_plan_step *s = nv_calloc((size_t)c->na + 1, sizeof *s);
    uint32_t n = 0;
    enum nv_rc rc;

    if (!s)
        return nomem(err);
    for (uint32_t a = 0; a < c->na; a++)
        if (c->hostile[a])
            s[n++] = (struct nv_plan_step){a, 0, 0, 0, c->vendor[a]};
    rc = state_after(c, s, n, 0, all, err);
    nv_free(s);
    return rc;
}

static enum nv_rc prepare(struct plan_ctx *c, struct nv_err *err)
{
    size_t n = (size_t)c->na + 1;

    c->hostile = nv_calloc(n, 1);
    c->direct = nv_calloc(n, 1);
    c->vendor = nv_calloc(n, sizeof *c->vendor);
    c->cost = nv_calloc(n, sizeof *c->cost);
    c->risk = nv_calloc(n, sizeof *c->risk);
    c->by = nv_calloc(n, sizeof *c->by);
    c->out->deadline =
        nv_calloc((size_t)nv_policy_rules(c->p) + 1, sizeof *c->out->deadline);
    if (!c->hostile || !c->direct || !c->vendor || !c->cost || !c->risk ||
        !c->by || !c->out->deadline)
        return nomem(err);
    for (uint32_t a = 0; a < c->na; a++)
        c->by[a] = NO_YEAR;
    mark_hostile(c);
    set_deadlines(c);
    return choose_vendors(c, err);
}

static void ctx_release(struct plan_ctx *c)
{
    nv_free(c->hostile);
    nv_free(c->direct);
    nv_free(c->conds);
    nv_free(c->vendor);
    nv_free(c->cost);
    nv_free(c->risk);
    nv_free(c->by);
    nv_free(c->shares);
    nv_free(c->dec);
}

/* Requirements, then the programme, then the years. */
static enum nv_rc plan(struct plan_ctx *c, struct nv_err *err)
{
    struct state now, all;
    struct nv_routes routes, *rt = &routes;
    enum nv_rc rc = nv_routes_init(rt, c->m, err);

    rc = rc ? rc : prepare(c, err);

    memset(&now, 0, sizeof now);
    memset(&all, 0, sizeof all);
    now.m = c->m;

    rc = rc ? rc
            : nv_policy_check(c->p, c->m, c->x, ALL_IN_FORCE, &now.v, &now.nv,
                              err);
    if (!rc)
        c->out->score_before = network_score(c->m, c->x);
    rc = rc ? rc : replace_all(c, &all, err);
    rc = rc ? rc : route_needs(c, rt, err);
    rc = rc ? rc : rule_needs(c, &now, &all, rt, err);
    if (!rc && c->out->status != NV_PLAN_UNMEETABLE)
        rc = nv_plan_solve(c, err);
    if (!rc && c->out->status <= NV_PLAN_BOUNDED)
        rc = nv_plan_diversify(c, err);
    rc = rc ? rc : pick_extras(c, err);
    if (!rc && c->out->status <= NV_PLAN_BOUNDED)
        rc = eval_years(c, &now, err);
    nv_free(now.v);
    state_release(&all);
    if (routes.m)
        nv_routes_release(rt);
    return rc;
}

enum nv_rc nv_plan_make(const struct nv_model *m, const struct nv_exposure *x,
                        const struct nv_policy *p, const struct nv_plan_opts *o,
                        struct nv_plan *out, struct nv_err *err)
{
    struct plan_ctx c;
    enum nv_rc rc;

    memset(&c, 0, sizeof c);
    memset(out, 0, sizeof *out);
    c.m = m;
    c.x = x;
    c.p = p;
    c.o = o;
    c.out = out;
    c.na = NV_COUNT(m, NV_T_ASSET);
    rc = plan(&c, err);
    ctx_release(&c);
    if (rc)
        nv_plan_release(out);
    return rc;
}

void nv_plan_release(struct nv_plan *p)
{
    for (int y = 0; p->year && y <= p->last - p->first; y++)
        nv_free(p->year[y].rules);
    nv_free(p->year);
    nv_free(p->step);
    nv_free(p->extra);
    nv_free(p->deadline);
    memset(p, 0, sizeof *p);
}
