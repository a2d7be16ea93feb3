/*
 * inspect.c - `netvet inspect MODEL...`: load, validate, summarise.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "model/inventory.h"
#include "core/json.h"
#include "model/load.h"
#include "model/schema.h"
#include "model/snapshot.h"

#include <stdio.h>

static const char about[] =
    "Load a model from one or more files, check it, and summarise it:\n"
    "counts per table, layer, kind, vendor and designation; vendor strings\n"
    "that resolve to no known entity (never trusted silently); parts of the\n"
    "network that are not connected; flows whose ends are not connected;\n"
    "every vendor string resolved other than exactly (normalised, by the\n"
    "built-in catalogue of makers, by a --list, or fuzzy), with its score.\n"
    "A MODEL is a native JSON model, a CSV bundle directory, a GraphML\n"
    "topology, an SNDlib network, a CycloneDX SBOM or a binary snapshot;\n"
    "several are merged.  --verify also checks a snapshot's checksum, which\n"
    "finds damage its structural checks cannot see (a changed letter).";

static const char examples[] =
    "  netvet inspect examples/national/model.json\n"
    "  netvet inspect topology.graphml inventory/ flows.json --json\n"
    "  netvet inspect model.nvs --verify\n";

static void print_counts(const struct nv_model *m)
{
    printf("%u entities, %u sites, %u assets, %u links, %u flows, "
           "%u partners\n",
           NV_COUNT(m, NV_T_ENTITY), NV_COUNT(m, NV_T_SITE),
           NV_COUNT(m, NV_T_ASSET), NV_COUNT(m, NV_T_LINK),
           NV_COUNT(m, NV_T_FLOW), NV_COUNT(m, NV_T_PARTNER));
}

static void print_by(const char *title, const char *const *names,
                     const uint32_t *n, int count)
{
    printf("\n%s\n", title);
    for (int i = 0; i < count; i++)
        if (n[i])
            printf("  %-14s %8u\n", names[i], n[i]);
}

static void print_vendors(const struct nv_model *m,
                          const struct nv_inventory *inv)
{
    printf("\nvendors (entity, designation, assets)\n");
    for (uint32_t i = 0; i < inv->nvendors; i++) {
        const struct nv_entity *e = &NV_ENTITIES(m)[inv->vendors[i].entity];
        printf("  %-14s %-40s %-10s %8u\n", e->id, e->name ? e->name : e->id,
               nv_designation_names[nv_model_designation(
                   m, inv->vendors[i].entity)],
               inv->vendors[i].assets);
    }
    if (inv->nunresolved)
        printf("\nunresolved vendor strings (%u assets; not trusted)\n",
               inv->unresolved_assets);
    for (uint32_t i = 0; i < inv->nunresolved; i++)
        printf("  \"%s\" %u assets\n", inv->unresolved[i].vendor,
               inv->unresolved[i].assets);
    if (inv->no_vendor)
        printf("\n%u assets name no vendor\n", inv->no_vendor);
    nv_cli_print_resolutions(m);
}

/* The shown record id of an override. */
static const char *override_id(const struct nv_model *m,
                               const struct nv_override *o)
{
    const struct nv_schema *s = &nv_schemas[o->table];
    const char *rec = (const char *)m->t[o->table].v + (size_t)o->rec * s->size;
    return *(const char *const *)(rec + s->fields[0].offset);
}

/* At most this many overrides are listed; all are counted. */
#define SHOW_OVERRIDES 20

static void print_overrides(const struct nv_model *m)
{
    if (m->noverrides)
        printf("\nfields given over what an earlier file only inferred: "
               "%zu\n",
               m->noverrides);
    for (size_t i = 0; i < m->noverrides && i < SHOW_OVERRIDES; i++) {
        const struct nv_override *o = &m->overrides[i];
        printf("  %s '%s' %s: inferred by %s, given by %s\n",
               nv_schemas[o->table].noun, override_id(m, o),
               nv_schemas[o->table].fields[o->field].name, m->sources[o->from],
               m->sources[o->by]);
    }
    if (m->noverrides > SHOW_OVERRIDES)
        printf("  ... and %zu more\n", m->noverrides - SHOW_OVERRIDES);
}

static void json_overrides(struct nv_jsonw *w, const struct nv_model *m)
{
    nv_jsonw_key(w, "overrides");
    nv_jsonw_arr(w);
    for (size_t i = 0; i < m->noverrides; i++) {
        const struct nv_override *o = &m->overrides[i];
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "table");
        nv_jsonw_str(w, nv_schemas[o->table].name);
        nv_jsonw_key(w, "id");
        nv_jsonw_str(w, override_id(m, o));
        nv_jsonw_key(w, "field");
        nv_jsonw_str(w, nv_schemas[o->table].fields[o->field].name);
        nv_jsonw_key(w, "inferred_by");
        nv_jsonw_str(w, m->sources[o->from]);
        nv_jsonw_key(w, "given_by");
        nv_jsonw_str(w, m->sources[o->by]);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

static void print_text(const struct nv_model *m, const struct nv_inventory *inv)
{
    print_counts(m);
    print_by("assets by layer", nv_layer_names, inv->by_layer, NV_LAYER_COUNT);
    print_by("assets by kind", nv_asset_kind_names, inv->by_kind,
             NV_KIND_COUNT);
    print_by("assets by vendor designation", nv_designation_names,
             inv->by_designation, NV_DESIG_COUNT);
    print_vendors(m, inv);
    printf("\nnetwork: %u connected part%s, the largest with %u assets\n",
           inv->components, inv->components == 1 ? "" : "s", inv->largest);
    printf("flows whose ends are not connected: %u\n", inv->nunconnected);
    for (uint32_t i = 0; i < inv->nunconnected; i++)
        printf("  %s\n", NV_FLOWS(m)[inv->unconnected_flows[i]].id);
    print_overrides(m);
}

static void json_by(struct nv_jsonw *w, const char *key,
                    const char *const *names, const uint32_t *n, int count)
{
    nv_jsonw_key(w, key);
    nv_jsonw_obj(w);
    for (int i = 0; i < count; i++) {
        nv_jsonw_key(w, names[i]);
        nv_jsonw_int(w, n[i]);
    }
    nv_jsonw_obj_end(w);
}

static void json_vendors(struct nv_jsonw *w, const struct nv_model *m,
                         const struct nv_inventory *inv)
{
    nv_jsonw_key(w, "vendors");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < inv->nvendors; i++) {
        uint32_t e = inv->vendors[i].entity;
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "entity");
        nv_jsonw_str(w, NV_ENTITIES(m)[e].id);
        nv_jsonw_key(w, "designation");
        nv_jsonw_str(w, nv_designation_names[nv_model_designation(m, e)]);
        nv_jsonw_key(w, "assets");
        nv_jsonw_int(w, inv->vendors[i].assets);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_key(w, "unresolved");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < inv->nunresolved; i++) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "vendor");
        nv_jsonw_str(w, inv->unresolved[i].vendor);
        nv_jsonw_key(w, "assets");
        nv_jsonw_int(w, inv->unresolved[i].assets);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

static void json_counts(struct nv_jsonw *w, const struct nv_model *m)
{
    nv_jsonw_key(w, "counts");
    nv_jsonw_obj(w);
    for (int t = 0; t < NV_T_COUNT; t++) {
        nv_jsonw_key(w, nv_schemas[t].name);
        nv_jsonw_int(w, NV_COUNT(m, t));
    }
    nv_jsonw_obj_end(w);
}

static int print_json(const struct nv_model *m, const struct nv_inventory *inv)
{
    struct nv_jsonw *w = nv_jsonw_new(stdout, 1);
    struct nv_err err = {0};
    enum nv_rc rc;

    if (!w)
        return NV_EXIT_INTERNAL;
    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    json_counts(w, m);
    json_by(w, "by_layer", nv_layer_names, inv->by_layer, NV_LAYER_COUNT);
    json_by(w, "by_kind", nv_asset_kind_names, inv->by_kind, NV_KIND_COUNT);
    json_by(w, "by_designation", nv_designation_names, inv->by_designation,
            NV_DESIG_COUNT);
    json_vendors(w, m, inv);
    nv_cli_json_resolutions(w, m);
    nv_jsonw_key(w, "components");
    nv_jsonw_int(w, inv->components);
    nv_jsonw_key(w, "largest_component");
    nv_jsonw_int(w, inv->largest);
    nv_jsonw_key(w, "unconnected_flows");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < inv->nunconnected; i++)
        nv_jsonw_str(w, NV_FLOWS(m)[inv->unconnected_flows[i]].id);
    nv_jsonw_arr_end(w);
    json_overrides(w, m);
    nv_jsonw_obj_end(w);
    rc = nv_jsonw_finish(w, &err);
    nv_jsonw_free(w);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

/* With --verify: the checksum of each binary snapshot among args. */
static int verify(const struct nv_strlist *args)
{
    struct nv_err err = {0};

    nv_err_clear(&err);
    for (size_t i = 0; i < args->n; i++)
        if (nv_snapshot_file_is(args->items[i]) &&
            nv_snapshot_verify(args->items[i], &err))
            return nv_cli_fail(&err);
    return NV_EXIT_OK;
}

int cmd_inspect(int argc, char **argv)
{
    int json = 0, strict = 0, check_sum = 0;
    struct nv_strlist lists = {0};
    const struct nv_opt opts[] = {
        {"json", NV_OPT_FLAG, &json, NULL, "print the summary as JSON"},
        {"list", NV_OPT_LIST, &lists, "FILE",
         "screen unresolved vendors against this list (repeatable)"},
        {"strict-vendors", NV_OPT_FLAG, &strict, NULL,
         "hold fuzzy list matches for review instead of taking them"},
        {"verify", NV_OPT_FLAG, &check_sum, NULL,
         "check a binary snapshot's checksum too"},
    };
    const struct nv_cmd_spec spec = {"inspect", "MODEL...",
                                     about,     examples,
                                     opts,      sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    struct nv_model *m = NULL;
    struct nv_inventory inv;
    struct nv_err err = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    nv_err_clear(&err);
    if (rc == NV_EXIT_OK && check_sum)
        rc = verify(&args);
    if (rc == NV_EXIT_OK)
        rc = nv_cli_load_model_strict(&spec, &args, &lists, strict, &m);
    if (rc == NV_EXIT_OK && nv_inventory_build(m, &inv, &err))
        rc = nv_cli_fail(&err);
    if (rc == NV_EXIT_OK) {
        if (json)
            rc = print_json(m, &inv);
        else
            print_text(m, &inv);
        nv_inventory_release(&inv);
    }
    nv_model_free(m);
    nv_strlist_release(&args);
    nv_strlist_release(&lists);
    return rc < 0 ? NV_EXIT_OK : rc;
}
