/*
 * wargame.c - `netvet wargame`: what a hostile supplier could do.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "core/json.h"
#include "exposure/culprits.h"
#include "exposure/wargame.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char about[] =
    "Play the war game of one compromised supplier, or of every supplier\n"
    "under one state, or of a whole designation class: the critical flows\n"
    "it could read (on their route and not encrypted end to end), only\n"
    "observe (encrypted: it still sees metadata), or cut on its own (on\n"
    "every path), or would get onto after one failure (failover), summed\n"
    "by sector and classification; the group's assets that carry critical\n"
    "traffic alone (every route of the flow crosses them), ranked by that\n"
    "traffic; the assets that give it each flow (--json); and the sites\n"
    "that run only on its equipment, with the people they serve.  A short\n"
    "plain-language summary comes first.  Several groups (repeat the\n"
    "options) are played in turn; with --json, one object a line.  Exit\n"
    "status 1 when a group can read, observe or cut any flow, 0 when none\n"
    "can, 2 on bad input.";

static const char examples[] =
    "  netvet wargame examples/national/model.json --vendor huawei\n"
    "  netvet wargame model.json --country CN\n"
    "  netvet wargame model.json --vendor Huawei --vendor \"ZTE Corp\"\n"
    "  netvet wargame model.json --designation high-risk --json\n";

struct wg_opts {
    struct nv_strlist vendor, country, designation;
    const char *threads;
    int json;
    struct nv_strlist lists;
};

static const char *group_name(const struct nv_model *m,
                              const struct nv_group *g)
{
    const struct nv_entity *e;

    if (g->entity == NV_NONE)
        return g->id;
    e = &NV_ENTITIES(m)[g->entity];
    return e->name ? e->name : e->id;
}

static uint32_t secret_read(const struct nv_wargame *w)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < w->ncells; i++)
        n += w->cells[i].cls >= NV_CLASS_SECRET ? w->cells[i].read : 0;
    return n;
}

static void print_summary(const struct nv_model *m, const struct nv_exposure *x,
                          const struct nv_wargame *w)
{
    const struct nv_group *g = &x->groups.v[w->group];
    const struct nv_wg_cell *t = &w->total;

    printf("If %s [%s, %s] turned hostile:\n", group_name(m, g), g->id,
           nv_designation_names[g->designation]);
    printf("  - it could read %u of %u critical flows (on their route, not "
           "encrypted end to end),\n    %u of them classified secret or "
           "above;\n",
           t->read, t->flows, secret_read(w));
    printf("  - it could see the metadata of %u encrypted flows;\n",
           t->observe);
    printf("  - it could cut %u flows on its own (it is on every path);\n",
           t->cut);
    printf("  - one failure of a link or an asset would put it on the route "
           "of %u more flows;\n",
           t->failover);
    printf("  - %u more flows could be routed through it (it is on some "
           "path);\n",
           t->could);
    printf("  - %u sites, serving %lld people, run only on its equipment.\n",
           w->ndark, (long long)w->dark_population);
}

static void print_tables(const struct nv_model *m, const struct nv_wargame *w)
{
    printf("\n%-14s %-13s %6s %6s %8s %6s %8s %6s\n", "sector", "class",
           "flows", "read", "observe", "cut", "failover", "could");
    for (uint32_t i = 0; i < w->ncells; i++) {
        const struct nv_wg_cell *c = &w->cells[i];
        printf("%-14s %-13s %6u %6u %8u %6u %8u %6u\n", c->sector,
               nv_class_names[c->cls], c->flows, c->read, c->observe, c->cut,
               c->failover, c->could);
    }
    printf("%-14s %-13s %6u %6u %8u %6u %8u %6u\n", "all", "", w->total.flows,
           w->total.read, w->total.observe, w->total.cut, w->total.failover,
           w->total.could);
    if (w->nranked)
        printf("\nits assets that carry critical traffic alone (flows, "
               "importance x class)\n");
    for (uint32_t i = 0; i < w->nranked && i < 10; i++)
        printf("  %-20s %4u %10.1f\n", NV_ASSETS(m)[w->ranked[i].asset].id,
               w->ranked[i].flows, w->ranked[i].traffic);
    if (w->nranked > 10)
        printf("  ... and %u more\n", w->nranked - 10);
    if (w->ndark)
        printf("\nsites that run only on its equipment (population)\n");
    for (uint32_t i = 0; i < w->ndark && i < 25; i++) {
        const struct nv_site *s = &NV_SITES(m)[w->dark_sites[i]];
        printf("  %-14s %-40s %lld\n", s->id, s->name ? s->name : "",
               (long long)(s->population > 0 ? s->population : 0));
    }
    if (w->ndark > 25)
        printf("  ... and %u more\n", w->ndark - 25);
}

static void json_cell(struct nv_jsonw *j, const struct nv_wg_cell *c,
                      int with_class)
{
    static const char *const keys[] = {"flows", "read",     "observe",
                                       "cut",   "failover", "could"};
    const uint32_t values[] = {c->flows, c->read,     c->observe,
                               c->cut,   c->failover, c->could};

    nv_jsonw_obj(j);
    if (with_class) {
        nv_jsonw_key(j, "sector");
        nv_jsonw_str(j, c->sector);
        nv_jsonw_key(j, "classification");
        nv_jsonw_str(j, nv_class_names[c->cls]);
    }
    for (int i = 0; i < 6; i++) {
        nv_jsonw_key(j, keys[i]);
        nv_jsonw_int(j, values[i]);
    }
    nv_jsonw_obj_end(j);
}

static void json_ranked(struct nv_jsonw *j, const struct nv_model *m,
                        const struct nv_wargame *w)
{
    nv_jsonw_key(j, "assets_alone");
    nv_jsonw_arr(j);
    for (uint32_t i = 0; i < w->nranked; i++) {
        nv_jsonw_obj(j);
        nv_jsonw_key(j, "id");
        nv_jsonw_str(j, NV_ASSETS(m)[w->ranked[i].asset].id);
        nv_jsonw_key(j, "flows");
        nv_jsonw_int(j, w->ranked[i].flows);
        nv_jsonw_key(j, "traffic");
        nv_jsonw_num(j, round(w->ranked[i].traffic * 1e6) / 1e6);
        nv_jsonw_obj_end(j);
    }
    nv_jsonw_arr_end(j);
}

/* "assets": the group's assets that give flow f its level. */
static void json_culprits(struct nv_jsonw *j, struct nv_culprits *cf,
                          uint32_t f, uint32_t g)
{
    struct nv_err err = {0};

    nv_jsonw_key(j, "assets");
    nv_jsonw_arr(j);
    for (uint32_t i = 0; !nv_culprits_find(cf, f, g, &err) && i < cf->nassets;
         i++)
        nv_jsonw_str(j, NV_ASSETS(cf->m)[cf->assets[i]].id);
    nv_jsonw_arr_end(j);
}

static void json_flows(struct nv_jsonw *j, const struct nv_model *m,
                       const struct nv_exposure *x, uint32_t g,
                       struct nv_culprits *cf)
{
    nv_jsonw_key(j, "flows");
    nv_jsonw_arr(j);
    for (uint32_t f = 0; f < x->nflows; f++) {
        enum nv_level lv = nv_exposure_level(x, f, g);
        if (lv == NV_LEVEL_NONE)
            continue;
        nv_jsonw_obj(j);
        nv_jsonw_key(j, "id");
        nv_jsonw_str(j, NV_FLOWS(m)[f].id);
        nv_jsonw_key(j, "level");
        nv_jsonw_str(j, nv_level_names[lv]);
        nv_jsonw_key(j, "encrypted");
        nv_jsonw_bool(j, NV_FLOWS(m)[f].encrypted);
        json_culprits(j, cf, f, g);
        nv_jsonw_obj_end(j);
    }
    nv_jsonw_arr_end(j);
}

static void json_sites(struct nv_jsonw *j, const struct nv_model *m,
                       const struct nv_wargame *w)
{
    nv_jsonw_key(j, "dark_sites");
    nv_jsonw_arr(j);
    for (uint32_t i = 0; i < w->ndark; i++) {
        const struct nv_site *s = &NV_SITES(m)[w->dark_sites[i]];
        nv_jsonw_obj(j);
        nv_jsonw_key(j, "id");
        nv_jsonw_str(j, s->id);
        nv_jsonw_key(j, "population");
        nv_jsonw_int(j, s->population > 0 ? s->population : 0);
        nv_jsonw_obj_end(j);
    }
    nv_jsonw_arr_end(j);
    nv_jsonw_key(j, "dark_population");
    nv_jsonw_int(j, w->dark_population);
}

static int print_json(const struct nv_model *m, const struct nv_exposure *x,
                      const struct nv_wargame *w)
{
    struct nv_jsonw *j = nv_jsonw_new(stdout, 0);
    struct nv_culprits cf;
    struct nv_err err = {0};
    enum nv_rc rc;

    if (!j)
        return NV_EXIT_INTERNAL;
    nv_jsonw_obj(j);
    nv_jsonw_version(j);
    nv_jsonw_key(j, "group");
    nv_jsonw_str(j, x->groups.v[w->group].id);
    nv_jsonw_key(j, "designation");
    nv_jsonw_str(j, nv_designation_names[x->groups.v[w->group].designation]);
    nv_jsonw_key(j, "summary");
    json_cell(j, &w->total, 0);
    nv_jsonw_key(j, "by_sector");
    nv_jsonw_arr(j);
    for (uint32_t i = 0; i < w->ncells; i++)
        json_cell(j, &w->cells[i], 1);
    nv_jsonw_arr_end(j);
    if (nv_culprits_init(&cf, m, x, &err)) {
        nv_jsonw_free(j);
        return nv_cli_fail(&err);
    }
    json_flows(j, m, x, w->group, &cf);
    nv_culprits_release(&cf);
    json_ranked(j, m, w);
    json_sites(j, m, w);
    nv_jsonw_obj_end(j);
    rc = nv_jsonw_finish(j, &err);
    nv_jsonw_free(j);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

static int play(const struct nv_cmd_spec *spec, const struct wg_opts *o,
                const struct nv_model *m, const struct nv_exposure *x,
                const char *id)
{
    struct nv_wargame w;
    struct nv_err err = {0};
    uint32_t g;
    int rc = nv_cli_find_group(spec, m, &x->groups, id, &g);

    if (rc)
        return rc;
    if (nv_wargame_run(m, x, g, &w, &err))
        return nv_cli_fail(&err);
    if (o->json) {
        rc = print_json(m, x, &w);
    } else {
        print_summary(m, x, &w);
        print_tables(m, &w);
        rc = NV_EXIT_OK;
    }
    if (!rc && (w.total.read || w.total.observe || w.total.cut))
        rc = NV_EXIT_FINDINGS;
    nv_wargame_release(&w);
    return rc;
}

/* Play the war game of every group the options name, in turn: each
 * must resolve before any is played. */
static int play_all(const struct nv_cmd_spec *spec, const struct wg_opts *o,
                    const struct nv_model *m, const struct nv_exposure *x)
{
    static const char *const kinds[] = {"vendor", "country", "designation"};
    const struct nv_strlist *l[] = {&o->vendor, &o->country, &o->designation};
    int rc = NV_EXIT_OK, found = 0;
    char id[160];
    uint32_t g;

    for (int pass = 0; pass < 2 && rc != NV_EXIT_USAGE; pass++)
        for (int k = 0; k < 3 && rc != NV_EXIT_USAGE; k++)
            for (size_t i = 0; i < l[k]->n && rc != NV_EXIT_USAGE; i++) {
                int r;
                snprintf(id, sizeof id, "%s:%s", kinds[k], l[k]->items[i]);
                r = pass ? play(spec, o, m, x, id)
                         : nv_cli_find_group(spec, m, &x->groups, id, &g);
                if (pass && !o->json && (k || i))
                    putchar('\n');
                found |= r == NV_EXIT_FINDINGS;
                rc = r == NV_EXIT_FINDINGS ? rc : r;
            }
    return rc ? rc : found ? NV_EXIT_FINDINGS : NV_EXIT_OK;
}

int cmd_wargame(int argc, char **argv)
{
    struct wg_opts o = {{NULL, 0}, {NULL, 0}, {NULL, 0}, NULL, 0, {NULL, 0}};
    const struct nv_opt opts[] = {
        {"vendor", NV_OPT_LIST, &o.vendor, "NAME",
         "a vendor (id, name or alias), with its subsidiaries (repeatable)"},
        {"country", NV_OPT_LIST, &o.country, "CC",
         "every vendor of one country (ISO code; repeatable)"},
        {"designation", NV_OPT_LIST, &o.designation, "CLASS",
         "every vendor of a class: high-risk or prohibited (repeatable)"},
        {"json", NV_OPT_FLAG, &o.json, NULL, "print the war game as JSON"},
        {"list", NV_OPT_LIST, &o.lists, "FILE",
         "screen unresolved vendors against this list (repeatable)"},
        {"threads", NV_OPT_STRING, &o.threads, "N",
         "threads to use (default: one per core)"},
    };
    const struct nv_cmd_spec spec = {"wargame", "MODEL...",
                                     about,     examples,
                                     opts,      sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    struct nv_model *m = NULL;
    struct nv_exposure x = {0};
    struct nv_err err = {0};
    uint32_t threads = 0;
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK && !o.vendor.n && !o.country.n && !o.designation.n)
        rc = nv_cli_usage_error(&spec, "name a group: --vendor NAME, "
                                       "--country CC or --designation CLASS");
    if (rc == NV_EXIT_OK)
        rc = nv_cli_number(&spec, "threads", o.threads, 64, &threads);
    if (rc == NV_EXIT_OK)
        rc = nv_cli_load_model(&spec, &args, &o.lists, &m);
    if (rc == NV_EXIT_OK && nv_cli_exposure(m, (int)threads, &x, &err))
        rc = nv_cli_fail(&err);
    if (rc == NV_EXIT_OK)
        rc = play_all(&spec, &o, m, &x);
    nv_exposure_release(&x);
    nv_model_free(m);
    nv_strlist_release(&args);
    nv_strlist_release(&o.lists);
    nv_strlist_release(&o.vendor);
    nv_strlist_release(&o.country);
    nv_strlist_release(&o.designation);
    return rc < 0 ? NV_EXIT_OK : rc;
}
