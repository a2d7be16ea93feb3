/*
 * concentration.c - `netvet concentration`: vendor shares, the HHI,
 * single-vendor areas, and the cost of ripping a vendor out.
 */
#include "cmd/cli.h"
#include "core/alloc.h"
#include "cmd/cmd.h"
#include "exposure/concentration.h"
#include "exposure/groups.h"
#include "core/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char about[] =
    "Measure supplier concentration: each vendor's share of every layer,\n"
    "nationally and per region (by asset count, and by link capacity where\n"
    "the model gives it), the Herfindahl-Hirschman index (10,000 when one\n"
    "vendor holds everything; above 2,500 is highly concentrated), and the\n"
    "areas served by a single vendor, which have no escape hatch.  With\n"
    "--vendor, --country or --designation, also the bill of ripping that\n"
    "group out: its assets per layer, their replacement cost, and the sites\n"
    "left dark until they are replaced.";

static const char examples[] =
    "  netvet concentration examples/national/model.json\n"
    "  netvet concentration model.json --vendor huawei\n"
    "  netvet concentration model.json --designation high-risk --json\n";

struct conc_opts {
    const char *vendor, *country, *designation;
    int json;
    struct nv_strlist lists;
};

static const char *vendor_name(const struct nv_model *m, uint32_t e)
{
    return e == NV_NONE ? "(unresolved)" : NV_ENTITIES(m)[e].id;
}

static void print_area(const struct nv_model *m, const struct nv_area *a)
{
    printf("  %-10s %-18s %7u %7.0f ", nv_layer_names[a->layer], a->region,
           a->assets, a->hhi);
    for (uint32_t i = 0; i < a->nshares && i < 4; i++)
        printf("%s%s %.0f%%", i ? ", " : "",
               vendor_name(m, a->shares[i].entity),
               100.0 * a->shares[i].assets / a->assets);
    printf("%s\n", a->nshares > 4 ? ", ..." : "");
}

static void print_text(const struct nv_model *m,
                       const struct nv_concentration *c)
{
    printf("vendor shares by layer, nationally (assets; HHI by count)\n");
    printf("  %-10s %-18s %7s %7s %s\n", "layer", "region", "assets", "HHI",
           "vendors");
    for (uint32_t i = 0; i < c->nnational; i++)
        print_area(m, &c->national[i]);
    printf("\nareas served by a single vendor (no escape hatch): %u of %u\n",
           c->single_vendor, c->nareas);
    for (uint32_t i = 0, shown = 0; i < c->nareas && shown < 30; i++) {
        if (c->areas[i].nshares != 1)
            continue;
        print_area(m, &c->areas[i]);
        shown++;
    }
    if (c->single_vendor > 30)
        printf("  ... and %u more (--json lists all)\n", c->single_vendor - 30);
}

/* The bill for removing a group's equipment. */
struct rip {
    uint32_t group, assets, layer[NV_LAYER_COUNT], unpriced, ndark;
    double cost;
    uint32_t *dark;
    int64_t population;
};

static enum nv_rc rip_out(const struct nv_model *m, const struct nv_groups *gs,
                          uint32_t g, struct rip *r)
{
    memset(r, 0, sizeof *r);
    r->group = g;
    for (uint32_t k = gs->aoff[g]; k < gs->aoff[g + 1]; k++) {
        const struct nv_asset *a = &NV_ASSETS(m)[gs->asset[k]];
        r->assets++;
        r->layer[a->layer]++;
        if (isnan(a->replacement_cost))
            r->unpriced++;
        else
            r->cost += a->replacement_cost;
    }
    return nv_groups_sole_sites(m, gs, g, &r->dark, &r->ndark, &r->population);
}

static void print_rip(const struct nv_groups *gs, const struct rip *r)
{
    printf("\nrip and replace %s (%s): %u assets (", gs->v[r->group].id,
           nv_designation_names[gs->v[r->group].designation], r->assets);
    for (int l = 0, n = 0; l < NV_LAYER_COUNT; l++)
        if (r->layer[l])
            printf("%s%s %u", n++ ? ", " : "", nv_layer_names[l], r->layer[l]);
    printf(")\n  replacement cost %.0f", r->cost);
    if (r->unpriced)
        printf(", plus %u assets without a known cost", r->unpriced);
    printf("\n  %u sites dark until replaced, serving %lld people\n", r->ndark,
           (long long)r->population);
}

static void json_area(struct nv_jsonw *j, const struct nv_model *m,
                      const struct nv_area *a)
{
    nv_jsonw_obj(j);
    nv_jsonw_key(j, "layer");
    nv_jsonw_str(j, nv_layer_names[a->layer]);
    nv_jsonw_key(j, "region");
    nv_jsonw_str(j, a->region);
    nv_jsonw_key(j, "assets");
    nv_jsonw_int(j, a->assets);
    nv_jsonw_key(j, "hhi");
    nv_jsonw_num(j, a->hhi);
    nv_jsonw_key(j, "hhi_capacity");
    nv_jsonw_num(j, a->hhi_capacity);
    nv_jsonw_key(j, "single_vendor");
    nv_jsonw_bool(j, a->nshares == 1);
    nv_jsonw_key(j, "shares");
    nv_jsonw_arr(j);
    for (uint32_t i = 0; i < a->nshares; i++) {
        nv_jsonw_obj(j);
        nv_jsonw_key(j, "vendor");
        nv_jsonw_str(j, vendor_name(m, a->shares[i].entity));
        nv_jsonw_key(j, "assets");
        nv_jsonw_int(j, a->shares[i].assets);
        nv_jsonw_key(j, "capacity_gbps");
        nv_jsonw_num(j, a->shares[i].capacity);
        nv_jsonw_obj_end(j);
    }
    nv_jsonw_arr_end(j);
    nv_jsonw_obj_end(j);
}

static void json_rip(struct nv_jsonw *j, const struct nv_model *m,
                     const struct nv_groups *gs, const struct rip *r)
{
    nv_jsonw_key(j, "rip_and_replace");
    nv_jsonw_obj(j);
    nv_jsonw_key(j, "group");
    nv_jsonw_str(j, gs->v[r->group].id);
    nv_jsonw_key(j, "assets");
    nv_jsonw_int(j, r->assets);
    nv_jsonw_key(j, "cost");
    nv_jsonw_num(j, r->cost);
    nv_jsonw_key(j, "unpriced_assets");
    nv_jsonw_int(j, r->unpriced);
    nv_jsonw_key(j, "dark_sites");
    nv_jsonw_arr(j);
    for (uint32_t i = 0; i < r->ndark; i++)
        nv_jsonw_str(j, NV_SITES(m)[r->dark[i]].id);
    nv_jsonw_arr_end(j);
    nv_jsonw_key(j, "dark_population");
    nv_jsonw_int(j, r->population);
    nv_jsonw_obj_end(j);
}

static int print_json(const struct nv_model *m,
                      const struct nv_concentration *c,
                      const struct nv_groups *gs, const struct rip *r)
{
    struct nv_jsonw *j = nv_jsonw_new(stdout, 0);
    struct nv_err err = {0};
    enum nv_rc rc;

    if (!j)
        return NV_EXIT_INTERNAL;
    nv_jsonw_obj(j);
    nv_jsonw_version(j);
    nv_jsonw_key(j, "national");
    nv_jsonw_arr(j);
    for (uint32_t i = 0; i < c->nnational; i++)
        json_area(j, m, &c->national[i]);
    nv_jsonw_arr_end(j);
    nv_jsonw_key(j, "areas");
    nv_jsonw_arr(j);
    for (uint32_t i = 0; i < c->nareas; i++)
        json_area(j, m, &c->areas[i]);
    nv_jsonw_arr_end(j);
    nv_jsonw_key(j, "single_vendor_areas");
    nv_jsonw_int(j, c->single_vendor);
    if (r)
        json_rip(j, m, gs, r);
    nv_jsonw_obj_end(j);
    rc = nv_jsonw_finish(j, &err);
    nv_jsonw_free(j);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

/* The rip-and-replace bill of the group named id, if any was named. */
static int bill(const struct nv_cmd_spec *spec, const struct nv_model *m,
                struct nv_groups *gs, const char *id, struct rip **out)
{
    struct nv_err err = {0};
    uint32_t g;
    int rc;

    *out = NULL;
    if (!id[0])
        return NV_EXIT_OK;
    if (nv_groups_build(m, gs, &err))
        return nv_cli_fail(&err);
    rc = nv_cli_find_group(spec, m, gs, id, &g);
    if (rc)
        return rc;
    *out = nv_calloc(1, sizeof **out);
    if (!*out || rip_out(m, gs, g, *out))
        return NV_EXIT_INTERNAL;
    return NV_EXIT_OK;
}

static int report(const struct nv_cmd_spec *spec, const struct conc_opts *o,
                  const struct nv_model *m, const char *id)
{
    struct nv_concentration c;
    struct nv_groups gs = {0};
    struct rip *r = NULL;
    struct nv_err err = {0};
    int rc =
        nv_concentration_build(m, &c, &err) ? nv_cli_fail(&err) : NV_EXIT_OK;

    if (!rc)
        rc = bill(spec, m, &gs, id, &r);
    if (!rc && o->json)
        rc = print_json(m, &c, &gs, r);
    else if (!rc)
        print_text(m, &c);
    if (!rc && r && !o->json)
        print_rip(&gs, r);
    if (r)
        nv_free(r->dark);
    nv_free(r);
    nv_groups_release(&gs);
    nv_concentration_release(&c);
    return rc;
}

int cmd_concentration(int argc, char **argv)
{
    struct conc_opts o = {NULL, NULL, NULL, 0, {NULL, 0}};
    const struct nv_opt opts[] = {
        {"vendor", NV_OPT_STRING, &o.vendor, "ID",
         "also price ripping out this vendor (with its subsidiaries)"},
        {"country", NV_OPT_STRING, &o.country, "CC",
         "... or every vendor of one country"},
        {"designation", NV_OPT_STRING, &o.designation, "CLASS",
         "... or every vendor of a class (high-risk, prohibited)"},
        {"json", NV_OPT_FLAG, &o.json, NULL, "print the shares as JSON"},
        {"list", NV_OPT_LIST, &o.lists, "FILE",
         "screen unresolved vendors against this list (repeatable)"},
    };
    const struct nv_cmd_spec spec = {
        "concentration", "MODEL...", about,
        examples,        opts,       sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    struct nv_model *m = NULL;
    char id[128];
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK)
        rc = nv_cli_group_id(&spec, o.vendor, o.country, o.designation, 0, id,
                             sizeof id);
    if (rc == NV_EXIT_OK)
        rc = nv_cli_load_model(&spec, &args, &o.lists, &m);
    if (rc == NV_EXIT_OK)
        rc = report(&spec, &o, m, id);
    nv_model_free(m);
    nv_strlist_release(&args);
    nv_strlist_release(&o.lists);
    return rc < 0 ? NV_EXIT_OK : rc;
}
