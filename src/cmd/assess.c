/*
 * assess.c - `netvet assess MODEL...`: which groups can intercept or cut
 * which critical flows, ranked for a regulator.
 */
#include "cmd/cli.h"
#include "core/alloc.h"
#include "cmd/cmd.h"
#include "exposure/exposure.h"
#include "core/json.h"
#include "model/load.h"
#include "core/parse.h"
#include "exposure/score.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char about[] =
    "Work out, for every critical flow and every vendor group, the highest\n"
    "level of exposure: MUST (every path crosses the group: it sees all\n"
    "traffic and can cut the flow alone), ROUTED (the group is on the\n"
    "flow's route: its declared path, or any least-cost path) or MAY (on\n"
    "some path).  Groups are each vendor (with its subsidiaries), each\n"
    "country (every vendor one state can compel) and each designation\n"
    "class (all high-risk, all prohibited).  Flows at risk are ranked by a\n"
    "score (docs/score.md) and grouped by sector and classification.\n"
    "Exit status: 0 when no flow is exposed at MUST or ROUTED to a\n"
    "high-risk or prohibited group, 1 when one is, 2 on bad input.";

static const char examples[] =
    "  netvet assess examples/national/model.json\n"
    "  netvet assess --group vendor --limit 10 model.json\n"
    "  netvet assess --flow defence-3 model.json\n"
    "  netvet assess --json model.json > exposure.json\n";

struct assess_opts {
    int json, timing, strict;
    const char *group, *flow, *limit, *threads;
    struct nv_strlist lists;
};

/* A flow at risk, with what ranks it. */
struct row {
    uint32_t flow, worst, run;
    const char *sector;
    int cls;
    double score, best; /* best: the top score of its sector and class */
};

struct view {
    const struct nv_model *m;
    const struct nv_exposure *x;
    unsigned char *shown; /* per group: wanted by --group */
    struct row *rows;     /* flows at risk, ranked */
    uint32_t nrows, limit, hostile;
    const char *flow; /* --flow */
};

static const char *const kind_names[] = {"vendor", "country", "designation"};

static const char *sector_of(const struct nv_flow *f)
{
    return f->sector ? f->sector : "(no sector)";
}

/* Sector, then classification (highest first), then score. */
static int by_sector(const void *pa, const void *pb)
{
    const struct row *a = pa, *b = pb;
    int c = strcmp(a->sector, b->sector);

    if (c)
        return c;
    if (a->cls != b->cls)
        return b->cls - a->cls;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return a->flow < b->flow ? -1 : a->flow > b->flow;
}

/* Groups of flows by their top score, keeping each group together. */
static int by_rank(const void *pa, const void *pb)
{
    const struct row *a = pa, *b = pb;

    if (a->best != b->best)
        return a->best < b->best ? 1 : -1;
    if (a->run != b->run)
        return a->run < b->run ? -1 : 1;
    return by_sector(pa, pb);
}

static int same_class(const struct row *a, const struct row *b)
{
    return strcmp(a->sector, b->sector) == 0 && a->cls == b->cls;
}

static void rank_rows(struct view *v)
{
    uint32_t start = 0, run = 0;

    if (!v->nrows)
        return;
    qsort(v->rows, v->nrows, sizeof *v->rows, by_sector);
    for (uint32_t i = 1; i <= v->nrows; i++) {
        if (i < v->nrows && same_class(&v->rows[i], &v->rows[start]))
            continue;
        for (uint32_t k = start; k < i; k++) {
            v->rows[k].best = v->rows[start].score;
            v->rows[k].run = run;
        }
        run++;
        start = i;
    }
    qsort(v->rows, v->nrows, sizeof *v->rows, by_rank);
}

static int wanted_flow(const struct view *v, uint32_t f)
{
    return !v->flow || strcmp(NV_FLOWS(v->m)[f].id, v->flow) == 0;
}

/* Does a shown hostile group reach flow f at routed or must? */
static int hostile_reach(const struct view *v, uint32_t f)
{
    for (uint32_t g = 0; g < v->x->groups.n; g++)
        if (v->shown[g] && nv_score_hostile(v->x, g) &&
            nv_exposure_level(v->x, f, g) >= NV_LEVEL_ROUTED)
            return 1;
    return 0;
}

static int collect_rows(struct view *v)
{
    uint32_t n = v->x->nflows;

    v->rows = nv_calloc((size_t)n + 1, sizeof *v->rows);
    if (!v->rows)
        return NV_EXIT_INTERNAL;
    for (uint32_t f = 0; f < n; f++) {
        const struct nv_flow *fl = &NV_FLOWS(v->m)[f];
        struct row *r = &v->rows[v->nrows];
        if (!wanted_flow(v, f))
            continue;
        v->hostile += hostile_reach(v, f);
        r->score = nv_score_flow(v->m, v->x, f, v->shown, &r->worst);
        r->flow = f;
        r->sector = sector_of(fl);
        r->cls = (int)fl->classification;
        v->nrows += r->worst != NV_NONE;
    }
    rank_rows(v);
    return NV_EXIT_OK;
}

/* "must    vendor:huawei (high-risk), country:CN (high-risk)" */
static void print_level(const struct view *v, uint32_t f, enum nv_level lv)
{
    int n = 0;

    for (uint32_t g = 0; g < v->x->groups.n; g++) {
        const struct nv_group *gr = &v->x->groups.v[g];
        if (!v->shown[g] || nv_exposure_level(v->x, f, g) != lv)
            continue;
        if (!n)
            printf("        %-7s ", nv_level_names[lv]);
        printf("%s%s", n++ ? ", " : "", gr->id);
        if (gr->kind != NV_GROUP_DESIGNATION &&
            gr->designation >= NV_DESIG_HIGH_RISK)
            printf(" (%s)", nv_designation_names[gr->designation]);
    }
    if (n)
        putchar('\n');
}

static void print_row(const struct view *v, uint32_t rank, const struct row *r)
{
    const struct nv_flow *f = &NV_FLOWS(v->m)[r->flow];

    if (rank == 0 || v->rows[rank - 1].run != r->run)
        printf("\n%s, %s\n", r->sector, nv_class_names[r->cls]);
    printf("  %3u. %-16s score %-7.1f %s -> %s, %s\n", rank + 1, f->id,
           r->score, NV_ASSETS(v->m)[f->src.idx].id,
           NV_ASSETS(v->m)[f->dst.idx].id,
           f->encrypted ? "encrypted end to end" : "not encrypted");
    for (int lv = NV_LEVEL_MUST; lv >= NV_LEVEL_MAY; lv--)
        print_level(v, r->flow, (enum nv_level)lv);
}

static void print_verdict(const struct view *v, uint32_t considered)
{
    if (v->hostile)
        printf("VERDICT: %u of %u critical flows can be intercepted or cut by "
               "a high-risk or\nprohibited group (exposed at MUST or "
               "ROUTED).\n",
               v->hostile, considered);
    else
        printf("VERDICT: no critical flow is exposed at MUST or ROUTED to a "
               "high-risk or\nprohibited group.\n");
}

static void print_groups(const struct view *v)
{
    printf("\ngroups: flows reached at must / routed / may\n");
    for (uint32_t g = 0; g < v->x->groups.n; g++) {
        uint32_t at[NV_LEVEL_COUNT] = {0};
        if (!v->shown[g])
            continue;
        for (uint32_t f = 0; f < v->x->nflows; f++)
            if (wanted_flow(v, f))
                at[nv_exposure_level(v->x, f, g)]++;
        printf("  %-24s %-11s %6u %6u %6u\n", v->x->groups.v[g].id,
               nv_designation_names[v->x->groups.v[g].designation],
               at[NV_LEVEL_MUST], at[NV_LEVEL_ROUTED], at[NV_LEVEL_MAY]);
    }
}

static void print_text(const struct view *v)
{
    uint32_t considered = 0, unconnected = 0, shown;

    for (uint32_t f = 0; f < v->x->nflows; f++) {
        considered += wanted_flow(v, f);
        unconnected += wanted_flow(v, f) && !v->x->connected[f];
    }
    printf("%u critical flows, %u assets, %u vendor groups\n\n", considered,
           NV_COUNT(v->m, NV_T_ASSET), v->x->groups.n);
    print_verdict(v, considered);
    printf("\nflows at risk by sector and classification, highest score "
           "first\n(score = importance x classification x exposure x "
           "designation; docs/score.md)\n");
    shown = v->limit && v->limit < v->nrows ? v->limit : v->nrows;
    for (uint32_t i = 0; i < shown; i++)
        print_row(v, i, &v->rows[i]);
    if (shown < v->nrows)
        printf("\n... and %u more flows at risk (--limit 0 shows all)\n",
               v->nrows - shown);
    print_groups(v);
    nv_cli_print_resolutions(v->m);
    printf("\nflows whose ends are not connected: %u\n", unconnected);
    for (uint32_t f = 0; f < v->x->nflows; f++)
        if (wanted_flow(v, f) && !v->x->connected[f])
            printf("  %s\n", NV_FLOWS(v->m)[f].id);
}

static void json_groups(struct nv_jsonw *w, const struct view *v)
{
    nv_jsonw_key(w, "groups");
    nv_jsonw_arr(w);
    for (uint32_t g = 0; g < v->x->groups.n; g++) {
        const struct nv_group *gr = &v->x->groups.v[g];
        if (!v->shown[g])
            continue;
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "id");
        nv_jsonw_str(w, gr->id);
        nv_jsonw_key(w, "kind");
        nv_jsonw_str(w, kind_names[gr->kind]);
        if (gr->entity != NV_NONE) {
            const struct nv_entity *e = &NV_ENTITIES(v->m)[gr->entity];
            nv_jsonw_key(w, "name");
            nv_jsonw_str(w, e->name ? e->name : e->id);
        }
        nv_jsonw_key(w, "designation");
        nv_jsonw_str(w, nv_designation_names[gr->designation]);
        nv_jsonw_key(w, "assets");
        nv_jsonw_int(w, gr->nassets);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

static void json_exposure(struct nv_jsonw *w, const struct view *v, uint32_t f)
{
    nv_jsonw_key(w, "exposure");
    nv_jsonw_arr(w);
    for (int lv = NV_LEVEL_MUST; lv > NV_LEVEL_NONE; lv--)
        for (uint32_t g = 0; g < v->x->groups.n; g++) {
            if (!v->shown[g] || (int)nv_exposure_level(v->x, f, g) != lv)
                continue;
            nv_jsonw_obj(w);
            nv_jsonw_key(w, "group");
            nv_jsonw_str(w, v->x->groups.v[g].id);
            nv_jsonw_key(w, "level");
            nv_jsonw_str(w, nv_level_names[lv]);
            nv_jsonw_obj_end(w);
        }
    nv_jsonw_arr_end(w);
}

static void json_flow(struct nv_jsonw *w, const struct view *v, uint32_t f)
{
    const struct nv_flow *fl = &NV_FLOWS(v->m)[f];
    uint32_t worst;

    nv_jsonw_obj(w);
    nv_jsonw_key(w, "id");
    nv_jsonw_str(w, fl->id);
    nv_jsonw_key(w, "sector");
    nv_jsonw_str_or_null(w, fl->sector);
    nv_jsonw_key(w, "classification");
    nv_jsonw_str(w, nv_class_names[fl->classification]);
    nv_jsonw_key(w, "encrypted");
    nv_jsonw_bool(w, fl->encrypted);
    nv_jsonw_key(w, "connected");
    nv_jsonw_bool(w, v->x->connected[f]);
    nv_jsonw_key(w, "score");
    /* Scores are products of decimals: round away the binary noise. */
    nv_jsonw_num(
        w, round(nv_score_flow(v->m, v->x, f, v->shown, &worst) * 1e6) / 1e6);
    json_exposure(w, v, f);
    nv_jsonw_obj_end(w);
}

static void json_summary(struct nv_jsonw *w, const struct view *v)
{
    uint32_t n = 0;

    for (uint32_t f = 0; f < v->x->nflows; f++)
        n += wanted_flow(v, f);
    nv_jsonw_key(w, "summary");
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "flows");
    nv_jsonw_int(w, n);
    nv_jsonw_key(w, "flows_at_risk");
    nv_jsonw_int(w, v->nrows);
    nv_jsonw_key(w, "exposed_to_hostile");
    nv_jsonw_int(w, v->hostile);
    nv_jsonw_obj_end(w);
}

static int print_json(const struct view *v)
{
    struct nv_jsonw *w = nv_jsonw_new(stdout, 0);
    struct nv_err err;
    enum nv_rc rc;

    if (!w)
        return NV_EXIT_INTERNAL;
    nv_jsonw_obj(w);
    json_groups(w, v);
    nv_jsonw_key(w, "flows");
    nv_jsonw_arr(w);
    for (uint32_t f = 0; f < v->x->nflows; f++)
        if (wanted_flow(v, f))
            json_flow(w, v, f);
    nv_jsonw_arr_end(w);
    nv_jsonw_key(w, "unconnected_flows");
    nv_jsonw_arr(w);
    for (uint32_t f = 0; f < v->x->nflows; f++)
        if (wanted_flow(v, f) && !v->x->connected[f])
            nv_jsonw_str(w, NV_FLOWS(v->m)[f].id);
    nv_jsonw_arr_end(w);
    json_summary(w, v);
    nv_cli_json_resolutions(w, v->m);
    nv_jsonw_obj_end(w);
    rc = nv_jsonw_finish(w, &err);
    nv_jsonw_free(w);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

/* Which groups --group keeps (all when it is not given). */
static int choose_groups(const struct nv_cmd_spec *spec, struct view *v,
                         const char *kind)
{
    int k = kind ? nv_name_index(kind_names, 3, kind, strlen(kind)) : -1;

    if (kind && k < 0)
        return nv_cli_usage_error(spec,
                                  "--group is vendor, country or designation");
    v->shown = nv_calloc((size_t)v->x->groups.n + 1, 1);
    if (!v->shown)
        return NV_EXIT_INTERNAL;
    for (uint32_t g = 0; g < v->x->groups.n; g++)
        v->shown[g] = k < 0 || (int)v->x->groups.v[g].kind == k;
    return NV_EXIT_OK;
}

static int report(const struct nv_cmd_spec *spec, const struct assess_opts *o,
                  const struct nv_model *m, const struct nv_exposure *x)
{
    struct view v = {m, x, NULL, NULL, 0, 50, 0, o->flow};
    int rc = nv_cli_number(spec, "limit", o->limit, UINT32_MAX, &v.limit);

    if (!rc && o->flow && nv_model_find(m, NV_T_FLOW, o->flow) == NV_NONE)
        rc = nv_cli_usage_error(spec, "no flow '%s' in the model", o->flow);
    if (!rc)
        rc = choose_groups(spec, &v, o->group);
    if (!rc)
        rc = collect_rows(&v);
    if (!rc && o->json)
        rc = print_json(&v);
    else if (!rc)
        print_text(&v);
    if (!rc && v.hostile)
        rc = NV_EXIT_FINDINGS;
    nv_free(v.shown);
    nv_free(v.rows);
    return rc;
}

int cmd_assess(int argc, char **argv)
{
    struct assess_opts o = {0, 0, 0, NULL, NULL, NULL, NULL, {NULL, 0}};
    const struct nv_opt opts[] = {
        {"json", NV_OPT_FLAG, &o.json, NULL, "print the exposure as JSON"},
        {"group", NV_OPT_STRING, &o.group, "KIND",
         "only groups of one kind: vendor, country or designation"},
        {"flow", NV_OPT_STRING, &o.flow, "ID", "only this flow"},
        {"limit", NV_OPT_STRING, &o.limit, "N",
         "flows listed in the text report (50; 0: all)"},
        {"threads", NV_OPT_STRING, &o.threads, "N",
         "threads to use (default: one per core)"},
        {"timing", NV_OPT_FLAG, &o.timing, NULL,
         "print load and analysis times on standard error"},
        {"list", NV_OPT_LIST, &o.lists, "FILE",
         "screen unresolved vendors against this list (repeatable)"},
        {"strict-vendors", NV_OPT_FLAG, &o.strict, NULL,
         "hold fuzzy list matches for review instead of taking them"},
    };
    const struct nv_cmd_spec spec = {"assess", "MODEL...",
                                     about,    examples,
                                     opts,     sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    struct nv_model *m = NULL;
    struct nv_exposure x = {0};
    struct nv_err err;
    uint32_t threads = 0;
    double t[3] = {nv_cli_seconds(), 0, 0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    nv_err_clear(&err);
    if (rc == NV_EXIT_OK)
        rc = nv_cli_number(&spec, "threads", o.threads, 64, &threads);
    if (rc == NV_EXIT_OK)
        rc = nv_cli_load_model_strict(&spec, &args, &o.lists, o.strict, &m);
    t[1] = nv_cli_seconds();
    if (rc == NV_EXIT_OK && nv_exposure_compute(m, (int)threads, &x, &err))
        rc = nv_cli_fail(&err);
    t[2] = nv_cli_seconds();
    if (rc == NV_EXIT_OK && o.timing)
        fprintf(stderr, "netvet: loaded in %.3f s, exposure in %.3f s\n",
                t[1] - t[0], t[2] - t[1]);
    if (rc == NV_EXIT_OK)
        rc = report(&spec, &o, m, &x);
    nv_exposure_release(&x);
    nv_model_free(m);
    nv_strlist_release(&args);
    nv_strlist_release(&o.lists);
    return rc < 0 ? NV_EXIT_OK : rc;
}
