/*
 * diff.c - `netvet diff OLD NEW`: what changed between two versions of a
 * network, and which findings the change moved; a gate for change
 * management.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "cmd/history.h"
#include "cmd/policyfile.h"

#include <stdio.h>

static const char about[] =
    "Compare two versions of a network.  The model's changes: entities,\n"
    "sites, assets, links, flows and partners added, removed, or changed\n"
    "field by field (another vendor, site or layer ...).  The findings\n"
    "they moved: per flow and vendor group the exposure level that rose or\n"
    "fell, per flow the vendor and country margins that changed (how many\n"
    "suppliers together can cut it, as 'assess --margin'), and with\n"
    "--policy the violations new and resolved, the release decisions that\n"
    "changed, and the risk score's change with the flows that moved it.\n"
    "Each version is a model file, or a snapshot of a store as STORE@REF\n"
    "(REF: an id, a prefix of it, last or prev; see 'netvet store');\n"
    "several files make one version with --old and --new.  Exit status 1\n"
    "when the change made things worse - a flow's exposure to a high-risk\n"
    "or prohibited group rose (a new flow counts from none), or a rule of\n"
    "severity error is newly broken - 0 when not, 2 on bad input\n"
    "(docs/store.md).";

static const char examples[] =
    "  netvet diff examples/national/model.json "
    "examples/national/model-next.json\n"
    "  netvet diff old.json new.json --policy uk-2020 --json\n"
    "  netvet diff history.db@prev history.db@last --policy uk-2020\n"
    "  netvet diff --old a.json --old a-flows.json --new b.json "
    "--new b-flows.json\n";

struct diff_opts {
    struct nv_strlist packs, old, new_;
    const char *date;
    int json;
};

/* The two versions from --old/--new or the positional arguments. */
static int sides(const struct nv_cmd_spec *spec, const struct diff_opts *o,
                 const struct nv_strlist *args, struct nv_strlist side[2])
{
    size_t want = !o->old.n + !o->new_.n, k = 0;

    if (args->n != want)
        return nv_cli_usage_error(spec, "name two versions: OLD NEW, or "
                                        "--old FILE... and --new FILE...");
    side[0] = o->old;
    side[1] = o->new_;
    for (int i = 0; i < 2; i++)
        if (!side[i].n)
            side[i] = (struct nv_strlist){(const char **)&args->items[k++], 1};
    return NV_EXIT_OK;
}

static int run(const struct nv_cmd_spec *spec, const struct diff_opts *o,
               const struct nv_strlist *args)
{
    struct nv_strlist side[2];
    struct nv_model *m[2] = {NULL, NULL};
    struct nv_policy *p = NULL;
    char date[16];
    int rc = sides(spec, o, args, side);

    if (!rc && o->packs.n)
        rc = nv_cli_load_policy(spec, &o->packs, &p);
    if (!rc)
        rc = nv_cli_date(spec, o->date, date, sizeof date);
    if (!rc)
        rc = nv_cli_load_versions(spec, side, m);
    if (!rc) {
        struct nv_cli_diff c = {side[0].items[0], side[1].items[0], p, date,
                                o->json};
        rc = nv_cli_diff(&c, m[0], m[1]);
    }
    nv_model_free(m[0]);
    nv_model_free(m[1]);
    nv_policy_free(p);
    return rc;
}

int cmd_diff(int argc, char **argv)
{
    struct diff_opts o = {{NULL, 0}, {NULL, 0}, {NULL, 0}, NULL, 0};
    const struct nv_opt opts[] = {
        {"policy", NV_OPT_LIST, &o.packs, "PACK",
         "judge both versions by a policy pack or file (repeatable)"},
        {"date", NV_OPT_STRING, &o.date, "YYYY-MM-DD",
         "the day rules are checked for (default today)"},
        {"old", NV_OPT_LIST, &o.old, "FILE",
         "a model file of the old version (repeatable)"},
        {"new", NV_OPT_LIST, &o.new_, "FILE",
         "a model file of the new version (repeatable)"},
        {"json", NV_OPT_FLAG, &o.json, NULL, "print the result as JSON"},
    };
    const struct nv_cmd_spec spec = {
        "diff", "OLD NEW", about, examples, opts, sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK)
        rc = run(&spec, &o, &args);
    nv_strlist_release(&args);
    nv_strlist_release(&o.packs);
    nv_strlist_release(&o.old);
    nv_strlist_release(&o.new_);
    return rc < 0 ? NV_EXIT_OK : rc;
}
