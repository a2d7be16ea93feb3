/*
 * assess.c - `netvet assess MODEL...`: which groups can intercept or cut
 * which critical flows, ranked for a regulator.
 */
#include "cmd/cli.h"
#include "core/alloc.h"
#include "cmd/cmd.h"
#include "cmd/routeview.h"
#include "exposure/culprits.h"
#include "exposure/exposure.h"
#include "core/json.h"
#include "model/load.h"
#include "core/parse.h"
#include "cmd/marginview.h"
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
    "flow's route: its declared path, or any least-cost path), FAILOVER\n"
    "(on the route once any one link or asset has failed) or MAY (on some\n"
    "path).  Non-transit assets (radios, end devices) are never passed\n"
    "through.  Each level names the group's assets that give it: for MUST\n"
    "the fewest whose removal cuts the flow, for ROUTED and FAILOVER those\n"
    "on the routes, for MAY those on a witness path.  With --flow, the\n"
    "route hop by hop and the failures that move it.  Groups are each\n"
    "vendor (with its subsidiaries), each\n"
    "country (every vendor one state can compel) and each designation\n"
    "class (all high-risk, all prohibited).  Flows at risk are ranked by a\n"
    "score (docs/score.md) and grouped by sector and classification.\n"
    "Exit status: 0 when no flow is exposed at MUST or ROUTED to a\n"
    "high-risk or prohibited group, 1 when one is, 2 on bad input.";

static const char examples[] =
    "  netvet assess examples/national/model.json\n"
    "  netvet assess --group vendor --limit 10 model.json\n"
    "  netvet assess --flow defence-3 model.json\n"
    "  netvet assess --json --routes model.json\n"
    "  netvet assess --failover-from secret model.json\n"
    "  netvet assess --json model.json > exposure.json\n"
    "  netvet assess --margin examples/national/model.json\n";

struct assess_opts {
    int json, timing, routes, strict;
    const char *group, *flow, *limit, *threads, *failover_from;
    struct nv_strlist lists;
    int margin; /* --margin: vendor margins and choke points */
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
    struct nv_culprits *cf; /* who gives each level */
    int routes;             /* --routes */
    uint32_t *path;         /* --routes: scratch for two per asset */
    unsigned char *shown;   /* per group: wanted by --group */
    struct row *rows;       /* flows at risk, ranked */
    uint32_t nrows, limit, hostile;
    const char *flow;         /* --flow */
    struct nv_marginview *mv; /* --margin, else NULL */
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

/* " [sse-gw, hub-2 +3]": the first culprits of group g for flow f. */
static void print_culprits(const struct view *v, uint32_t f, uint32_t g)
{
    struct nv_err err = {0};
    uint32_t n;

    if (nv_culprits_find(v->cf, f, g, &err) || !v->cf->nassets)
        return;
    n = v->cf->nassets < 3 ? v->cf->nassets : 3;
    printf(" [");
    for (uint32_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", NV_ASSETS(v->m)[v->cf->assets[i]].id);
    if (v->cf->nassets > n)
        printf(" +%u", v->cf->nassets - n);
    putchar(']');
}

/* "must     vendor:huawei (high-risk) [sse-gw], country:CN ..." */
static void print_level(const struct view *v, uint32_t f, enum nv_level lv)
{
    int n = 0;

    for (uint32_t g = 0; g < v->x->groups.n; g++) {
        const struct nv_group *gr = &v->x->groups.v[g];
        if (!v->shown[g] || nv_exposure_level(v->x, f, g) != lv)
            continue;
        if (!n)
            printf("        %-8s ", nv_level_names[lv]);
        printf("%s%s", n++ ? ", " : "", gr->id);
        if (gr->kind != NV_GROUP_DESIGNATION &&
            gr->designation >= NV_DESIG_HIGH_RISK)
            printf(" (%s)", nv_designation_names[gr->designation]);
        print_culprits(v, f, g);
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
    if (v->mv)
        nv_marginview_print_flow(v->mv, r->flow);
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
    printf("\ngroups: flows reached at must / routed / failover / may\n");
    for (uint32_t g = 0; g < v->x->groups.n; g++) {
        uint32_t at[NV_LEVEL_COUNT] = {0};
        if (!v->shown[g])
            continue;
        for (uint32_t f = 0; f < v->x->nflows; f++)
            if (wanted_flow(v, f))
                at[nv_exposure_level(v->x, f, g)]++;
        printf("  %-24s %-11s %6u %6u %6u %6u\n", v->x->groups.v[g].id,
               nv_designation_names[v->x->groups.v[g].designation],
               at[NV_LEVEL_MUST], at[NV_LEVEL_ROUTED], at[NV_LEVEL_FAILOVER],
               at[NV_LEVEL_MAY]);
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
    if (v->mv)
        nv_marginview_print_summary(v->mv);
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

static void json_assets(struct nv_jsonw *w, const struct nv_model *m,
                        const uint32_t *a, uint32_t n)
{
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < n; i++)
        nv_jsonw_str(w, NV_ASSETS(m)[a[i]].id);
    nv_jsonw_arr_end(w);
}

/* "assets": the culprits; for may also "path": the witness path. */
static void json_culprits(struct nv_jsonw *w, const struct view *v, uint32_t f,
                          uint32_t g)
{
    struct nv_err err = {0};

    if (nv_culprits_find(v->cf, f, g, &err))
        v->cf->nassets = v->cf->npath = 0;
    nv_jsonw_key(w, "assets");
    json_assets(w, v->m, v->cf->assets, v->cf->nassets);
    if (!v->cf->npath)
        return;
    nv_jsonw_key(w, "path");
    json_assets(w, v->m, v->cf->path, v->cf->npath);
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
            json_culprits(w, v, f, g);
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
    if (v->routes)
        nv_routeview_json(w, v->cf, f, v->path);
    if (v->mv)
        nv_marginview_json_flow(w, v->mv, f);
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
    struct nv_err err = {0};
    enum nv_rc rc;

    if (!w)
        return NV_EXIT_INTERNAL;
    nv_jsonw_obj(w);
    nv_jsonw_version(w);
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
    if (v->mv)
        nv_marginview_json_summary(w, v->mv);
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
    struct nv_culprits cf;
    struct view v = {.m = m,
                     .x = x,
                     .cf = &cf,
                     .routes = o->routes,
                     .limit = 50,
                     .flow = o->flow};
    struct nv_marginview mv = {0};
    uint32_t threads = 0;
    int rc = nv_cli_number(spec, "limit", o->limit, UINT32_MAX, &v.limit);
    struct nv_err err = {0};

    if (nv_culprits_init(&cf, m, x, &err))
        return nv_cli_fail(&err);
    v.path = nv_calloc(2 * (size_t)m->graph.n + 1, sizeof *v.path);
    if (!v.path)
        rc = NV_EXIT_INTERNAL;
    if (!rc && o->flow && nv_model_find(m, NV_T_FLOW, o->flow) == NV_NONE)
        rc = nv_cli_usage_error(spec, "no flow '%s' in the model", o->flow);
    if (!rc)
        rc = choose_groups(spec, &v, o->group);
    if (!rc && o->margin &&
        !nv_cli_number(spec, "threads", o->threads, 64, &threads)) {
        double t0 = nv_cli_seconds();
        rc = nv_marginview_compute(&mv, m, x, (int)threads);
        if (o->timing)
            fprintf(stderr, "netvet: margins and choke points in %.3f s\n",
                    nv_cli_seconds() - t0);
        mv.only = o->flow ? nv_model_find(m, NV_T_FLOW, o->flow) : NV_NONE;
        mv.limit = v.limit;
        v.mv = &mv;
    }
    if (!rc)
        rc = collect_rows(&v);
    if (!rc && o->json)
        rc = print_json(&v);
    else if (!rc)
        print_text(&v);
    if (!rc && !o->json && o->flow)
        rc = nv_routeview_print(&cf, nv_model_find(m, NV_T_FLOW, o->flow),
                                v.shown);
    if (!rc && v.hostile)
        rc = NV_EXIT_FINDINGS;
    nv_culprits_release(&cf);
    nv_free(v.path);
    nv_free(v.shown);
    nv_free(v.rows);
    nv_marginview_release(&mv);
    return rc;
}

/* --failover-from CLASS, or "none". */
static int failover_class(const struct nv_cmd_spec *spec, const char *arg,
                          enum nv_class *c)
{
    int k;

    if (!arg)
        return NV_EXIT_OK;
    if (strcmp(arg, "none") == 0) {
        *c = NV_CLASS_COUNT;
        return NV_EXIT_OK;
    }
    k = nv_name_index(nv_class_names, NV_CLASS_COUNT, arg, strlen(arg));
    if (k < 0)
        return nv_cli_usage_error(spec,
                                  "--failover-from is a classification "
                                  "(unclassified ... top-secret) or none");
    *c = (enum nv_class)k;
    return NV_EXIT_OK;
}

int cmd_assess(int argc, char **argv)
{
    struct assess_opts o = {0};
    const struct nv_opt opts[] = {
        {"json", NV_OPT_FLAG, &o.json, NULL, "print the exposure as JSON"},
        {"group", NV_OPT_STRING, &o.group, "KIND",
         "only groups of one kind: vendor, country or designation"},
        {"flow", NV_OPT_STRING, &o.flow, "ID", "only this flow"},
        {"limit", NV_OPT_STRING, &o.limit, "N",
         "flows listed in the text report (50; 0: all)"},
        {"routes", NV_OPT_FLAG, &o.routes, NULL,
         "with --json: one least-cost route of each flow, and their number"},
        {"failover-from", NV_OPT_STRING, &o.failover_from, "CLASS",
         "work out failover only for flows of this classification and "
         "above (all; none: for no flow)"},
        {"threads", NV_OPT_STRING, &o.threads, "N",
         "threads to use (default: one per core)"},
        {"timing", NV_OPT_FLAG, &o.timing, NULL,
         "print load and analysis times on standard error"},
        {"list", NV_OPT_LIST, &o.lists, "FILE",
         "screen unresolved vendors against this list (repeatable)"},
        {"margin", NV_OPT_FLAG, &o.margin, NULL,
         "vendor and country margins of each flow, and choke points"},
        {"strict-vendors", NV_OPT_FLAG, &o.strict, NULL,
         "hold fuzzy list matches for review instead of taking them"},
    };
    const struct nv_cmd_spec spec = {"assess", "MODEL...",
                                     about,    examples,
                                     opts,     sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    struct nv_model *m = NULL;
    struct nv_exposure x = {0};
    struct nv_exposure_opts xo = {0, NV_CLASS_UNCLASSIFIED, NULL, NULL};
    struct nv_err err = {0};
    uint32_t threads = 0;
    double t[3] = {nv_cli_seconds(), 0, 0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    nv_err_clear(&err);
    if (rc == NV_EXIT_OK)
        rc = nv_cli_number(&spec, "threads", o.threads, 64, &threads);
    if (rc == NV_EXIT_OK)
        rc = nv_cli_load_model_strict(&spec, &args, &o.lists, o.strict, &m);
    t[1] = nv_cli_seconds();
    if (rc == NV_EXIT_OK)
        rc = failover_class(&spec, o.failover_from, &xo.failover_from);
    xo.threads = (int)threads;
    xo.progress = nv_cli_progress();
    if (rc == NV_EXIT_OK && nv_exposure_compute_opts(m, &xo, &x, &err))
        rc = nv_cli_fail(&err);
    t[2] = nv_cli_seconds();
    if (rc == NV_EXIT_OK && o.timing)
        fprintf(stderr,
                "netvet: loaded in %.3f s, exposure in %.3f s (must %.3f, "
                "may %.3f, routed %.3f, failover %.3f)\n",
                t[1] - t[0], t[2] - t[1], x.seconds[0], x.seconds[1],
                x.seconds[2], x.seconds[3]);
    if (rc == NV_EXIT_OK && o.timing)
        fprintf(stderr,
                "netvet: processor time of all threads: must %.3f, may "
                "%.3f, routed %.3f, failover %.3f\n",
                x.cpu[0], x.cpu[1], x.cpu[2], x.cpu[3]);
    if (rc == NV_EXIT_OK)
        rc = report(&spec, &o, m, &x);
    nv_exposure_release(&x);
    nv_model_free(m);
    nv_strlist_release(&args);
    nv_strlist_release(&o.lists);
    return rc < 0 ? NV_EXIT_OK : rc;
}
