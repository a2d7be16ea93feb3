/*
 * plan.c - `netvet plan MODEL... --policy PACK...`: which untrusted
 * equipment to replace, in which year, for how much, so that every error
 * rule holds on its date (docs/plan.md).
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "cmd/policyfile.h"
#include "core/file.h"
#include "core/json.h"
#include "core/parse.h"
#include "plan/costs.h"
#include "plan/plan.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char about[] =
    "Plan the replacement of equipment of high-risk and prohibited vendors\n"
    "year by year within a budget: the cheapest set of replacements (same\n"
    "position, a trusted vendor, at its cost in --costs FILE, its\n"
    "replacement_cost, or its layer's default) such that every error rule of "
    "the packs holds from\n"
    "its date, and with --goal rules+routes (the default) no high-risk or\n"
    "prohibited group is MUST or ROUTED on a flow of classification\n"
    "restricted or above by the last year.  Earliest deadlines first;\n"
    "within a year, most risk removed per cost first.  Exact by integer\n"
    "programming (GLPK) up to --exact-max candidates, greedy with a proven\n"
    "bound beyond.  When the budget cannot do it, says the least that can.\n"
    "-o writes the plan as a change set that `check --proposed` reads.\n"
    "Exit status 0 when the plan meets the goal, 1 when it cannot (over\n"
    "budget, or beyond what replacing vendors can do), 2 on bad input.";

static const char examples[] =
    "  netvet plan examples/national/model.json --policy uk-2020 "
    "--budget-per-year 3000000 --from 2025\n"
    "  netvet plan model.json --policy uk-2020 -o change.json\n"
    "  netvet plan model.json --policy uk-2020 --costs costs.csv\n"
    "  netvet check model.json --policy uk-2020 --date 2028-01-01 "
    "--proposed change.json\n";

struct plan_opts {
    struct nv_strlist packs, lists;
    const char *budget, *from, *until, *goal, *output, *seconds, *exact;
    const char *costs;
    int json;
};

static int parse_year(const struct nv_cmd_spec *spec, const char *name,
                      const char *text, int *year)
{
    int64_t y;

    if (!text)
        return NV_EXIT_OK;
    if (nv_parse_i64(text, strlen(text), 1900, 2999, &y))
        return nv_cli_usage_error(spec, "--%s is a year (1900 to 2999)", name);
    *year = (int)y;
    return NV_EXIT_OK;
}

static int parse_amount(const struct nv_cmd_spec *spec, const char *name,
                        const char *text, double *out)
{
    if (text && (nv_parse_double(text, strlen(text), out) || !(*out > 0) ||
                 !isfinite(*out)))
        return nv_cli_usage_error(spec, "--%s is a positive number", name);
    return NV_EXIT_OK;
}

static int options(const struct nv_cmd_spec *spec, const struct plan_opts *o,
                   struct nv_plan_opts *po)
{
    char today[16];
    uint32_t exact = 10000;
    int64_t year = 2000;
    int rc = nv_cli_date(spec, NULL, today, sizeof today);

    memset(po, 0, sizeof *po);
    po->routes = 1;
    po->seconds = 60;
    if (!rc && nv_parse_i64(today, 4, 1900, 2999, &year))
        rc = NV_EXIT_INTERNAL;
    po->from = (int)year;
    rc = rc ? rc : parse_year(spec, "from", o->from, &po->from);
    rc = rc ? rc : parse_year(spec, "until", o->until, &po->until);
    rc =
        rc ? rc : parse_amount(spec, "budget-per-year", o->budget, &po->budget);
    rc = rc ? rc : parse_amount(spec, "seconds", o->seconds, &po->seconds);
    rc = rc ? rc : nv_cli_number(spec, "exact-max", o->exact, 1000000, &exact);
    po->exact_max = exact;
    if (!rc && po->until && po->until < po->from)
        rc = nv_cli_usage_error(spec, "--until is before --from");
    if (!rc && o->goal && strcmp(o->goal, "rules") == 0)
        po->routes = 0;
    else if (!rc && o->goal && strcmp(o->goal, "rules+routes") != 0)
        rc = nv_cli_usage_error(spec, "--goal is rules or rules+routes");
    return rc;
}

static const char *asset_where(const struct nv_model *m, uint32_t a)
{
    uint32_t s = NV_ASSETS(m)[a].site.idx;
    return s == NV_NONE ? "no site" : NV_SITES(m)[s].id;
}

static void print_step(const struct nv_model *m, const struct nv_plan_step *s)
{
    const struct nv_asset *a = &NV_ASSETS(m)[s->asset];
    const struct nv_entity *by = &NV_ENTITIES(m)[s->vendor];

    printf("    %-18s %-10s %-12s %-10s -> %-10s %12.0f  risk %.2f\n", a->id,
           nv_layer_names[a->layer], asset_where(m, s->asset),
           a->entity == NV_NONE ? "?" : NV_ENTITIES(m)[a->entity].id, by->id,
           s->cost, s->risk);
}

static void print_rules(const struct nv_policy *p, const struct nv_plan_year *y)
{
    struct nv_rule_info r;

    if (!y->nrules)
        return;
    printf("  rules that hold from now on:");
    for (uint32_t i = 0; i < y->nrules; i++) {
        nv_policy_rule(p, y->rules[i], &r);
        printf(" %s", r.id);
    }
    putchar('\n');
}

static void print_status(const struct nv_plan *pl,
                         const struct nv_plan_opts *po)
{
    switch (pl->status) {
    case NV_PLAN_OPTIMAL:
        printf("the cheapest plan%s: %.0f\n",
               pl->exact ? " (proven optimal by integer programming)" : "",
               pl->cost);
        break;
    case NV_PLAN_BOUNDED:
        printf("a plan costing %.0f, at most %.2f%% above the cheapest "
               "(proven lower bound %.0f)\n",
               pl->cost,
               pl->bound > 0 ? 100 * (pl->cost - pl->bound) / pl->bound : 0.0,
               pl->bound);
        break;
    case NV_PLAN_OVER_BUDGET:
        if (!pl->exact)
            printf("NOT MET: the greedy plan does not fit a budget of %.0f "
                   "per year; it needs %.0f per year (not proven the least)\n",
                   po->budget, pl->least_budget);
        else if (!pl->over_proven)
            printf("NOT MET: no plan found within a budget of %.0f per year "
                   "in %g s; %.0f per year does\n",
                   po->budget, po->seconds, pl->least_budget);
        else if (pl->least_bound < pl->least_budget)
            printf("NOT MET: a budget of %.0f per year is not enough; the "
                   "goal needs at least %.0f per year, and %.0f does\n",
                   po->budget, pl->least_bound, pl->least_budget);
        else
            printf("NOT MET: a budget of %.0f per year is not enough; the "
                   "goal needs at least %.0f per year\n",
                   po->budget, pl->least_budget);
        break;
    default:
        printf("NOT MET: %s\n", pl->why);
    }
}

static void print_text(const struct nv_model *m, const struct nv_policy *p,
                       const struct nv_plan *pl, const struct nv_plan_opts *po)
{
    uint32_t k = 0;

    printf("%u candidate assets of high-risk or prohibited groups; years "
           "%d to %d; ",
           pl->candidates, pl->first, pl->last);
    if (po->budget > 0)
        printf("budget %.0f per year\n", po->budget);
    else
        printf("no budget limit\n");
    print_status(pl, po);
    printf("risk score now %.1f (docs/score.md)\n", pl->score_before);
    for (int y = 0; pl->year && y <= pl->last - pl->first; y++) {
        const struct nv_plan_year *py = &pl->year[y];
        uint32_t n = 0;
        for (uint32_t i = k; i < pl->nstep && pl->step[i].year == py->year; i++)
            n++;
        printf("\n%d: %u assets, cost %.0f, score after %.1f\n", py->year, n,
               py->cost, py->score);
        print_rules(p, py);
        for (; k < pl->nstep && pl->step[k].year == py->year; k++)
            print_step(m, &pl->step[k]);
    }
    if (pl->year && pl->left)
        printf("\nerror violations the plan leaves: %u\n", pl->left);
    printf("\nassets no rule requires that cut the most risk per cost:\n");
    for (uint32_t i = 0; i < pl->nextra && i < 10; i++)
        print_step(m, &pl->extra[i]);
    if (!pl->nextra)
        printf("    none\n");
}

static void json_step(struct nv_jsonw *w, const struct nv_model *m,
                      const struct nv_plan_step *s)
{
    const struct nv_asset *a = &NV_ASSETS(m)[s->asset];

    nv_jsonw_obj(w);
    nv_jsonw_key(w, "id");
    nv_jsonw_str(w, a->id);
    nv_jsonw_key(w, "layer");
    nv_jsonw_str(w, nv_layer_names[a->layer]);
    nv_jsonw_key(w, "vendor");
    nv_jsonw_str_or_null(
        w, a->entity == NV_NONE ? NULL : NV_ENTITIES(m)[a->entity].id);
    nv_jsonw_key(w, "replacement");
    nv_jsonw_str(w, NV_ENTITIES(m)[s->vendor].id);
    nv_jsonw_key(w, "cost");
    nv_jsonw_num(w, s->cost);
    nv_jsonw_key(w, "risk");
    nv_jsonw_num(w, round(s->risk * 1e6) / 1e6);
    nv_jsonw_obj_end(w);
}

static void json_year(struct nv_jsonw *w, const struct nv_model *m,
                      const struct nv_policy *p, const struct nv_plan *pl,
                      const struct nv_plan_year *py)
{
    struct nv_rule_info r;

    nv_jsonw_obj(w);
    nv_jsonw_key(w, "year");
    nv_jsonw_int(w, py->year);
    nv_jsonw_key(w, "cost");
    nv_jsonw_num(w, py->cost);
    nv_jsonw_key(w, "score_after");
    nv_jsonw_num(w, round(py->score * 1e6) / 1e6);
    nv_jsonw_key(w, "rules_hold");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < py->nrules; i++) {
        nv_policy_rule(p, py->rules[i], &r);
        nv_jsonw_str(w, r.id);
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_key(w, "assets");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < pl->nstep; i++)
        if (pl->step[i].year == py->year)
            json_step(w, m, &pl->step[i]);
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
}

static void json_head(struct nv_jsonw *w, const struct nv_plan *pl)
{
    static const char *const status[] = {"optimal", "bounded", "over_budget",
                                         "unmeetable"};

    nv_jsonw_key(w, "status");
    nv_jsonw_str(w, status[pl->status]);
    nv_jsonw_key(w, "exact");
    nv_jsonw_bool(w, pl->exact);
    nv_jsonw_key(w, "candidates");
    nv_jsonw_int(w, pl->candidates);
    nv_jsonw_key(w, "first");
    nv_jsonw_int(w, pl->first);
    nv_jsonw_key(w, "last");
    nv_jsonw_int(w, pl->last);
    nv_jsonw_key(w, "cost");
    nv_jsonw_num(w, pl->cost);
    nv_jsonw_key(w, "bound");
    nv_jsonw_num(w, round(pl->bound));
    nv_jsonw_key(w, "least_budget");
    nv_jsonw_num(w, pl->least_budget);
    nv_jsonw_key(w, "least_budget_bound");
    nv_jsonw_num(w, pl->least_bound);
    nv_jsonw_key(w, "over_budget_proven");
    nv_jsonw_bool(w, pl->over_proven);
    nv_jsonw_key(w, "why");
    nv_jsonw_str_or_null(w, pl->why[0] ? pl->why : NULL);
    nv_jsonw_key(w, "score_before");
    nv_jsonw_num(w, round(pl->score_before * 1e6) / 1e6);
    nv_jsonw_key(w, "violations_left");
    nv_jsonw_int(w, pl->left);
}

static int print_json(const struct nv_model *m, const struct nv_policy *p,
                      const struct nv_plan *pl)
{
    struct nv_jsonw *w = nv_jsonw_new(stdout, 0);
    struct nv_err err = {0};
    enum nv_rc rc;

    if (!w)
        return NV_EXIT_INTERNAL;
    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    json_head(w, pl);
    nv_jsonw_key(w, "years");
    nv_jsonw_arr(w);
    for (int y = 0; pl->year && y <= pl->last - pl->first; y++)
        json_year(w, m, p, pl, &pl->year[y]);
    nv_jsonw_arr_end(w);
    nv_jsonw_key(w, "not_required");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < pl->nextra && i < 10; i++)
        json_step(w, m, &pl->extra[i]);
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
    rc = nv_jsonw_finish(w, &err);
    nv_jsonw_free(w);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

static int write_change(const struct nv_model *m, const struct nv_plan *pl,
                        const char *path)
{
    struct nv_cli_out out;
    struct nv_err err = {0};
    int rc = nv_cli_out_open(&out, path);

    if (rc)
        return rc;
    nv_err_clear(&err);
    if (nv_plan_write_change(m, pl, pl->last, out.f, &err)) {
        nv_cli_out_close(&out, 0);
        return nv_cli_fail(&err);
    }
    return nv_cli_out_close(&out, 1);
}

static int run(const struct nv_cmd_spec *spec, const struct plan_opts *o,
               const struct nv_strlist *args)
{
    struct nv_plan_opts po;
    struct nv_model *m = NULL;
    struct nv_policy *p = NULL;
    struct nv_exposure x = {0};
    struct nv_plan pl;
    struct nv_costs *costs = NULL;
    struct nv_err err = {0};
    int made = 0, rc = options(spec, o, &po);

    nv_err_clear(&err);
    rc = rc ? rc : nv_cli_load_policy(spec, &o->packs, &p);
    rc = rc ? rc : nv_cli_load_model(spec, args, &o->lists, &m);
    rc = rc ? rc : nv_cli_load_costs(o->costs, m, &costs);
    po.costs = costs;
    if (!rc && nv_cli_exposure(m, 0, &x, &err))
        rc = nv_cli_fail(&err);
    if (!rc && nv_plan_make(m, &x, p, &po, &pl, &err))
        rc = nv_cli_fail(&err);
    made = !rc;
    if (!rc && o->output && pl.status <= NV_PLAN_BOUNDED)
        rc = write_change(m, &pl, o->output);
    if (!rc && o->json)
        rc = print_json(m, p, &pl);
    else if (!rc)
        print_text(m, p, &pl, &po);
    if (!rc && pl.status > NV_PLAN_BOUNDED)
        rc = NV_EXIT_FINDINGS;
    if (made)
        nv_plan_release(&pl);
    nv_exposure_release(&x);
    nv_costs_free(costs);
    nv_model_free(m);
    nv_policy_free(p);
    return rc;
}

int cmd_plan(int argc, char **argv)
{
    struct plan_opts o;
    const struct nv_opt opts[] = {
        {"policy", NV_OPT_LIST, &o.packs, "PACK",
         "a policy pack or file (repeatable)"},
        {"budget-per-year", NV_OPT_STRING, &o.budget, "AMOUNT",
         "what may be spent each year (default: no limit)"},
        {"from", NV_OPT_STRING, &o.from, "YEAR",
         "the first year of the plan (default: this year)"},
        {"until", NV_OPT_STRING, &o.until, "YEAR",
         "the last year (default: the last deadline of the rules)"},
        {"goal", NV_OPT_STRING, &o.goal, "GOAL",
         "rules, or rules+routes (default): also no untrusted group MUST "
         "or ROUTED on flows restricted and above"},
        {"output", NV_OPT_STRING, &o.output, "CHANGE.json",
         "write the plan as a change set for check --proposed (also -o)"},
        {"json", NV_OPT_FLAG, &o.json, NULL, "print the plan as JSON"},
        {"seconds", NV_OPT_STRING, &o.seconds, "S",
         "solver time for each programme (default 60)"},
        {"costs", NV_OPT_STRING, &o.costs, "FILE",
         "replacement costs per asset, kind and layer (CSV; "
         "docs/formats.md)"},
        {"exact-max", NV_OPT_STRING, &o.exact, "N",
         "candidates solved exactly (default 10000; beyond: greedy)"},
        {"list", NV_OPT_LIST, &o.lists, "FILE",
         "screen unresolved vendors against this list (repeatable)"},
    };
    const struct nv_cmd_spec spec = {"plan", "MODEL...",
                                     about,  examples,
                                     opts,   sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    int rc;

    memset(&o, 0, sizeof o);
    rc = nv_cli_parse(&spec, argc, argv, &args);
    if (rc == NV_EXIT_OK)
        rc = run(&spec, &o, &args);
    nv_strlist_release(&args);
    nv_strlist_release(&o.packs);
    nv_strlist_release(&o.lists);
    return rc < 0 ? NV_EXIT_OK : rc;
}
