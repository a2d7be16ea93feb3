/*
 * check.c - `netvet check MODEL --policy PACK...`: rules and risk score.
 */
#include "core/alloc.h"
#include "model/change.h"
#include "core/file.h"
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "exposure/exposure.h"
#include "core/json.h"
#include "cmd/policyfile.h"
#include "exposure/score.h"

#include <stdio.h>
#include <string.h>

static const char about[] =
    "Check a network against policy packs: each rule's violations with the\n"
    "offending assets, flows or areas and why, and the network's risk score\n"
    "by network, sector and partner with its top contributors\n"
    "(docs/policy.md, docs/score.md).  Shipped packs: uk-2020 (the UK's\n"
    "2020 decision), eu-5g-toolbox (the EU 5G Toolbox's checkable measures),\n"
    "se-pts-2020 (Sweden's 2020 licence conditions).  Dated rules apply\n"
    "from their date (--date, default today).  Exit status 1 when a rule of\n"
    "severity error is broken, 0 when none is (warnings are reported), 2\n"
    "on bad input - so a procurement pipeline can gate on it.  With\n"
    "--proposed CHANGE.json (assets to remove, replace or add), the change\n"
    "is checked before it is made: what it would break and what it would\n"
    "fix; exit status 1 when it would break a rule of severity error.";

static const char examples[] =
    "  netvet check examples/national/model.json --policy uk-2020\n"
    "  netvet check model.json --policy eu-5g-toolbox --policy mine.nvp "
    "--json\n"
    "  netvet check model.json --policy uk-2020 --date 2028-01-01\n"
    "  netvet check model.json --policy uk-2020 --proposed purchase.json\n";

struct check_opts {
    struct nv_strlist packs, lists;
    const char *date, *proposed;
    int json, strict, strict_vendors;
};

struct check {
    const struct nv_model *m;
    const struct nv_exposure *x;
    const struct nv_policy *p;
    struct nv_violation *v;
    struct nv_rule_result *res; /* one a rule */
    uint32_t nv, errors;
    char date[16];
};

/* "35%", "2 vendors", "0 assets": a figure with its unit. */
static void figure(double x, const char *unit, char *out, size_t size)
{
    if (unit[0] == '%')
        snprintf(out, size, "%.1f%%", x);
    else
        snprintf(out, size, "%g %s", x, unit);
}

/* Every rule that holds or does not apply, with what it measured: the
 * key figures are shown whether or not they break the rule. */
static void print_passed(const struct check *c)
{
    uint32_t n = nv_policy_rules(c->p);

    printf("\npassed or not applicable:\n");
    for (uint32_t i = 0; i < n; i++) {
        const struct nv_rule_result *r = &c->res[i];
        struct nv_rule_info info;
        char limit[48];
        if (r->status == NV_RULE_FAIL)
            continue;
        nv_policy_rule(c->p, i, &info);
        figure(r->threshold, r->unit, limit, sizeof limit);
        if (r->status == NV_RULE_NOT_APPLICABLE)
            printf("  %-18s not applicable: %s\n", info.id, r->evidence);
        else if (r->unit[0] == 'f' || r->unit[0] == 'a') /* flows, assets */
            printf("  %-18s pass: %s\n", info.id, r->evidence);
        else
            printf("  %-18s pass: %s (limit %s)\n", info.id, r->evidence,
                   limit);
    }
}

static void print_violations(const struct check *c)
{
    uint32_t shown = 0;

    for (uint32_t i = 0; i < c->nv; i++) {
        struct nv_rule_info r;
        nv_policy_rule(c->p, c->v[i].rule, &r);
        if (i == 0 || c->v[i].rule != c->v[i - 1].rule) {
            printf("\n%s [%s] %s\n", r.id,
                   r.severity == NV_SEV_ERROR ? "error" : "warning", r.message);
            if (r.source)
                printf("  source: %s\n", r.source);
            printf("  measured: %s\n", c->res[c->v[i].rule].evidence);
            shown = 0;
        }
        if (shown++ < 20)
            printf("  - %s\n", c->v[i].why);
        else if (shown == 21)
            printf("  ... (--json lists all)\n");
    }
}

#define TOP_N 5

/* The flows that score highest, best first. */
struct top {
    uint32_t f[TOP_N], n;
};

/* Put flow f in its place among t's, if it is among the best. */
static void rank_top(struct top *t, const double *score, uint32_t f)
{
    uint32_t i;

    if (t->n == TOP_N && score[t->f[TOP_N - 1]] >= score[f])
        return;
    i = t->n < TOP_N ? t->n++ : TOP_N - 1;
    for (; i > 0 && score[t->f[i - 1]] < score[f]; i--)
        t->f[i] = t->f[i - 1];
    t->f[i] = f;
}

/* Sums of flow scores by key (sector or partner), each with its top
 * contributors, for the report. */
struct tally {
    const char *key[64];
    double sum[64];
    struct top top[64];
    int n;
};

static void add_to(struct tally *t, const char *key, const double *score,
                   uint32_t f)
{
    int i = 0;

    while (i < t->n && strcmp(t->key[i], key) != 0)
        i++;
    if (i == t->n && t->n == 64)
        return;
    if (i == t->n) {
        t->key[t->n] = key;
        t->top[t->n].n = 0;
        t->sum[t->n++] = 0;
    }
    if (f == NV_NONE)
        return;
    t->sum[i] += score[f];
    if (score[f] > 0)
        rank_top(&t->top[i], score, f);
}

struct scores {
    double network, layers;
    struct tally sector, partner;
    struct top top;
    double *flow;
};

static int compute_scores(const struct check *c, struct scores *s)
{
    uint32_t nf = NV_COUNT(c->m, NV_T_FLOW), worst;

    memset(s, 0, sizeof *s);
    s->flow = nv_calloc((size_t)nf + 1, sizeof *s->flow);
    if (!s->flow)
        return NV_EXIT_INTERNAL;
    s->layers = nv_score_layers(c->m);
    s->network = s->layers;
    for (uint32_t f = 0; f < nf; f++) {
        const struct nv_flow *fl = &NV_FLOWS(c->m)[f];
        s->flow[f] = nv_score_flow(c->m, c->x, f, NULL, &worst);
        s->network += s->flow[f];
        add_to(&s->sector, fl->sector ? fl->sector : "(no sector)", s->flow, f);
        if (s->flow[f] > 0)
            rank_top(&s->top, s->flow, f);
    }
    for (uint32_t p = 0; p < NV_COUNT(c->m, NV_T_PARTNER); p++) {
        const struct nv_partner *pa = &NV_PARTNERS(c->m)[p];
        add_to(&s->partner, pa->id, s->flow, NV_NONE);
        for (uint32_t k = 0; k < pa->channels.n; k++)
            add_to(&s->partner, pa->id, s->flow, pa->channels.v[k].idx);
    }
    return NV_EXIT_OK;
}

static void print_scores(const struct check *c, const struct scores *s)
{
    uint32_t g;

    printf("\nrisk score (docs/score.md): network %.1f (flows %.1f, "
           "high-risk share of layers %.1f)\n",
           s->network, s->network - s->layers, s->layers);
    for (int i = 0; i < s->sector.n; i++)
        printf("  sector %-14s %8.1f\n", s->sector.key[i], s->sector.sum[i]);
    for (int i = 0; i < s->partner.n; i++)
        printf("  partner %-13s %8.1f\n", s->partner.key[i], s->partner.sum[i]);
    printf("  top contributors:\n");
    for (uint32_t i = 0; i < s->top.n; i++) {
        nv_score_flow(c->m, c->x, s->top.f[i], NULL, &g);
        printf("    %-16s %6.1f  %s\n", NV_FLOWS(c->m)[s->top.f[i]].id,
               s->flow[s->top.f[i]], g == NV_NONE ? "" : c->x->groups.v[g].id);
    }
}

static double rounded(double x)
{
    return (double)(long long)(x * 1000 + 0.5) / 1000;
}

/* [{"flow", "score", "group"}]: the top contributors, best first. */
static void json_top(struct nv_jsonw *w, const struct check *c,
                     const struct scores *s, const struct top *t)
{
    uint32_t g;

    nv_jsonw_key(w, "top");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < t->n; i++) {
        nv_score_flow(c->m, c->x, t->f[i], NULL, &g);
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "flow");
        nv_jsonw_str(w, NV_FLOWS(c->m)[t->f[i]].id);
        nv_jsonw_key(w, "score");
        nv_jsonw_num(w, rounded(s->flow[t->f[i]]));
        nv_jsonw_key(w, "group");
        nv_jsonw_str_or_null(w, g == NV_NONE ? NULL : c->x->groups.v[g].id);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

/* {"KEY": {"score", "top"}} for each sector or partner. */
static void json_tally(struct nv_jsonw *w, const char *key,
                       const struct check *c, const struct scores *s,
                       const struct tally *t)
{
    nv_jsonw_key(w, key);
    nv_jsonw_obj(w);
    for (int i = 0; i < t->n; i++) {
        nv_jsonw_key(w, t->key[i]);
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "score");
        nv_jsonw_num(w, rounded(t->sum[i]));
        json_top(w, c, s, &t->top[i]);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_obj_end(w);
}

static void json_violations(struct nv_jsonw *w, const struct check *c)
{
    static const char *const kinds[] = {"asset", "flow", "area"};

    nv_jsonw_key(w, "violations");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < c->nv; i++) {
        struct nv_rule_info r;
        nv_policy_rule(c->p, c->v[i].rule, &r);
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "rule");
        nv_jsonw_str(w, r.id);
        nv_jsonw_key(w, "severity");
        nv_jsonw_str(w, r.severity == NV_SEV_ERROR ? "error" : "warning");
        nv_jsonw_key(w, "message");
        nv_jsonw_str(w, r.message);
        nv_jsonw_key(w, "source");
        nv_jsonw_str_or_null(w, r.source);
        nv_jsonw_key(w, "kind");
        nv_jsonw_str(w, kinds[c->v[i].kind]);
        nv_jsonw_key(w, "item");
        nv_jsonw_str(w, nv_violation_item(c->m, &c->v[i]));
        nv_jsonw_key(w, "why");
        nv_jsonw_str(w, c->v[i].why);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

static void json_rule_violations(struct nv_jsonw *w, const struct check *c,
                                 uint32_t rule)
{
    static const char *const kinds[] = {"asset", "flow", "area"};

    nv_jsonw_key(w, "violations");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < c->nv; i++) {
        if (c->v[i].rule != rule)
            continue;
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "kind");
        nv_jsonw_str(w, kinds[c->v[i].kind]);
        nv_jsonw_key(w, "item");
        nv_jsonw_str(w, nv_violation_item(c->m, &c->v[i]));
        nv_jsonw_key(w, "why");
        nv_jsonw_str(w, c->v[i].why);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

/* "rules": every rule with its status and what it measured. */
static void json_rules(struct nv_jsonw *w, const struct check *c)
{
    nv_jsonw_key(w, "rules");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < nv_policy_rules(c->p); i++) {
        const struct nv_rule_result *r = &c->res[i];
        struct nv_rule_info info;
        nv_policy_rule(c->p, i, &info);
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "id");
        nv_jsonw_str(w, info.id);
        nv_jsonw_key(w, "severity");
        nv_jsonw_str(w, info.severity == NV_SEV_ERROR ? "error" : "warning");
        nv_jsonw_key(w, "status");
        nv_jsonw_str(w, nv_rule_status_names[r->status]);
        nv_jsonw_key(w, "measured");
        nv_jsonw_num(w, rounded(r->measured));
        nv_jsonw_key(w, "threshold");
        nv_jsonw_num(w, r->threshold);
        nv_jsonw_key(w, "unit");
        nv_jsonw_str(w, r->unit);
        nv_jsonw_key(w, "checked");
        nv_jsonw_int(w, r->checked);
        nv_jsonw_key(w, r->status == NV_RULE_NOT_APPLICABLE ? "reason"
                                                            : "evidence");
        nv_jsonw_str(w, r->evidence);
        json_rule_violations(w, c, i);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

static int print_json(const struct check *c, const struct scores *s)
{
    struct nv_jsonw *w = nv_jsonw_new(stdout, 0);
    struct nv_err err = {0};
    enum nv_rc rc;

    if (!w)
        return NV_EXIT_INTERNAL;
    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    nv_jsonw_key(w, "date");
    nv_jsonw_str(w, c->date);
    json_violations(w, c);
    nv_jsonw_key(w, "errors");
    nv_jsonw_int(w, c->errors);
    nv_jsonw_key(w, "score");
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "network");
    nv_jsonw_num(w, rounded(s->network));
    json_top(w, c, s, &s->top);
    json_tally(w, "sectors", c, s, &s->sector);
    json_tally(w, "partners", c, s, &s->partner);
    nv_jsonw_obj_end(w);
    json_rules(w, c);
    nv_cli_json_resolutions(w, c->m);
    nv_jsonw_obj_end(w);
    rc = nv_jsonw_finish(w, &err);
    nv_jsonw_free(w);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

static int report(struct check *c, int json)
{
    struct scores s;
    int rc = compute_scores(c, &s);

    for (uint32_t i = 0; i < c->nv; i++) {
        struct nv_rule_info r;
        nv_policy_rule(c->p, c->v[i].rule, &r);
        c->errors += r.severity == NV_SEV_ERROR;
    }
    if (!rc && json)
        rc = print_json(c, &s);
    else if (!rc) {
        printf("%u rules checked on %s: %u violations, %u of them errors\n",
               nv_policy_rules(c->p), c->date, c->nv, c->errors);
        print_violations(c);
        print_passed(c);
        print_scores(c, &s);
        nv_cli_print_resolutions(c->m);
    }
    nv_free(s.flow);
    return !rc && c->errors ? NV_EXIT_FINDINGS : rc;
}

/* Whether violation v of check a is also among those of check b. */
static int also_in(const struct check *a, const struct nv_violation *v,
                   const struct check *b)
{
    struct nv_rule_info ra, rb;

    nv_policy_rule(a->p, v->rule, &ra);
    for (uint32_t i = 0; i < b->nv; i++) {
        nv_policy_rule(b->p, b->v[i].rule, &rb);
        if (strcmp(ra.id, rb.id) == 0 &&
            strcmp(nv_violation_item(a->m, v),
                   nv_violation_item(b->m, &b->v[i])) == 0)
            return 1;
    }
    return 0;
}

/* The violations of a that b does not have; returns how many are of
 * severity error. */
static uint32_t list_new(const struct check *a, const struct check *b,
                         const char *title, struct nv_jsonw *w)
{
    uint32_t errors = 0, n = 0;

    if (w) {
        nv_jsonw_key(w, title);
        nv_jsonw_arr(w);
    }
    for (uint32_t i = 0; i < a->nv; i++) {
        struct nv_rule_info r;
        if (also_in(a, &a->v[i], b))
            continue;
        nv_policy_rule(a->p, a->v[i].rule, &r);
        errors += r.severity == NV_SEV_ERROR;
        if (!w && n++ == 0)
            printf("  would %s:\n", title);
        if (w) {
            nv_jsonw_obj(w);
            nv_jsonw_key(w, "rule");
            nv_jsonw_str(w, r.id);
            nv_jsonw_key(w, "why");
            nv_jsonw_str(w, a->v[i].why);
            nv_jsonw_obj_end(w);
        } else {
            printf("    %s: %s\n", r.id, a->v[i].why);
        }
    }
    if (w)
        nv_jsonw_arr_end(w);
    else if (!n)
        printf("  would %s: nothing\n", title);
    return errors;
}

/* Check the model as the change would leave it, against the current. */
static int propose(const struct check *now, const char *path, int json)
{
    struct check then = *now;
    struct nv_model *m2 = NULL;
    struct nv_exposure x2 = {0};
    struct nv_jsonw *w = NULL;
    struct nv_file f = {NULL, 0, 0};
    struct nv_err err = {0};
    int rc = nv_file_read(&f, path, (size_t)1 << 30, &err) ? nv_cli_fail(&err)
                                                           : NV_EXIT_OK;

    if (!rc && nv_change_apply(now->m, path, f.data, f.len, &m2, &err))
        rc = nv_cli_fail(&err);
    if (!rc && nv_cli_exposure(m2, 0, &x2, &err))
        rc = nv_cli_fail(&err);
    then.m = m2;
    then.x = &x2;
    then.v = NULL;
    if (!rc &&
        nv_policy_check(now->p, m2, &x2, now->date, &then.v, &then.nv, &err))
        rc = nv_cli_fail(&err);
    if (!rc && json && !(w = nv_jsonw_new(stdout, 0)))
        rc = NV_EXIT_INTERNAL;
    if (!rc) {
        if (w) {
            nv_jsonw_obj(w);
            nv_jsonw_version(w);
        } else {
            printf("proposed change %s, checked on %s:\n", path, now->date);
        }
        rc = list_new(&then, now, "break", w) ? NV_EXIT_FINDINGS : NV_EXIT_OK;
        list_new(now, &then, "fix", w);
        if (w)
            nv_jsonw_obj_end(w);
        if (w && nv_jsonw_finish(w, &err))
            rc = nv_cli_fail(&err);
    }
    nv_file_release(&f);
    nv_jsonw_free(w);
    nv_free(then.v);
    nv_exposure_release(&x2);
    nv_model_free(m2);
    return rc;
}

static int run(const struct nv_cmd_spec *spec, const struct check_opts *o,
               struct nv_strlist *args)
{
    struct check c = {NULL, NULL, NULL, NULL, NULL, 0, 0, ""};
    struct nv_model *m = NULL;
    struct nv_policy *p = NULL;
    struct nv_exposure x = {0};
    struct nv_err err = {0};
    int rc = nv_cli_load_policy(spec, &o->packs, &p);

    if (!rc)
        rc = nv_cli_date(spec, o->date, c.date, sizeof c.date);
    if (!rc)
        rc = nv_cli_load_model_strict(spec, args, &o->lists, o->strict_vendors,
                                      &m);
    if (!rc)
        rc = nv_cli_bind_policy(p, m, o->strict);
    if (!rc && nv_cli_exposure(m, 0, &x, &err))
        rc = nv_cli_fail(&err);
    c.m = m;
    c.x = &x;
    c.p = p;
    if (!rc && nv_policy_evaluate(p, m, &x, c.date, &c.v, &c.nv, &c.res, &err))
        rc = nv_cli_fail(&err);
    if (!rc && o->proposed)
        rc = propose(&c, o->proposed, o->json);
    else if (!rc)
        rc = report(&c, o->json);
    nv_free(c.v);
    nv_free(c.res);
    nv_exposure_release(&x);
    nv_model_free(m);
    nv_policy_free(p);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    struct check_opts o = {{NULL, 0}, {NULL, 0}, NULL, NULL, 0, 0, 0};
    const struct nv_opt opts[] = {
        {"policy", NV_OPT_LIST, &o.packs, "PACK",
         "a policy pack or file (repeatable)"},
        {"date", NV_OPT_STRING, &o.date, "YYYY-MM-DD",
         "the day to check for (dated rules)"},
        {"json", NV_OPT_FLAG, &o.json, NULL, "print the result as JSON"},
        {"proposed", NV_OPT_STRING, &o.proposed, "CHANGE.json",
         "check a proposed change: what it would break and fix"},
        {"list", NV_OPT_LIST, &o.lists, "FILE",
         "screen unresolved vendors against this list (repeatable)"},
        {"strict", NV_OPT_FLAG, &o.strict, NULL,
         "a policy reference that names nothing is an error (exit 2)"},
        {"strict-vendors", NV_OPT_FLAG, &o.strict_vendors, NULL,
         "hold fuzzy list matches for review instead of taking them"},
    };
    const struct nv_cmd_spec spec = {"check", "MODEL...",
                                     about,   examples,
                                     opts,    sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK)
        rc = run(&spec, &o, &args);
    nv_strlist_release(&args);
    nv_strlist_release(&o.packs);
    nv_strlist_release(&o.lists);
    return rc < 0 ? NV_EXIT_OK : rc;
}
