/*
 * synth.c - `netvet synth`: generate a national network model.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "core/parse.h"
#include "model/save.h"
#include "model/synth.h"

#include <stdio.h>
#include <string.h>

static const char about[] =
    "Generate a realistic national network: a real backbone (GraphML or\n"
    "SNDlib) or a generated one, aggregation and data-centre core sites,\n"
    "RAN sites spread by population in backhaul rings, critical sites of\n"
    "every sector (defence, government, power, water, finance, emergency,\n"
    "health) and the critical flows between them, with vendors bought per\n"
    "region and layer by market share (docs/synth.md).  The same options\n"
    "and seed always give the same model.";

static const char examples[] =
    "  netvet synth --backbone ../shared/data/sndlib/germany50.json \\\n"
    "      --ran-sites 400 --flows 80 -o national.json\n"
    "  netvet synth --assets 1000000 --flows 100000 --vendors 20 \\\n"
    "      --countries 8 --format csv -o big/\n"
    "  netvet synth --assets 100000 --flows 10000 --traffic pairs -o p.json\n";

struct synth_args {
    const char *backbone, *ran_sites, *assets, *flows, *vendors, *countries,
        *seed, *format, *output, *traffic;
};

static int to_opts(const struct nv_cmd_spec *spec, const struct synth_args *a,
                   struct nv_synth_opts *o)
{
    int64_t seed;
    int rc =
        nv_cli_number(spec, "ran-sites", a->ran_sites, 50000000, &o->ran_sites);

    o->backbone = a->backbone;
    if (!rc && a->traffic && strcmp(a->traffic, "hub") != 0) {
        if (strcmp(a->traffic, "pairs") != 0)
            return nv_cli_usage_error(spec, "--traffic is hub or pairs");
        o->pairs = 1;
    }
    if (!rc)
        rc = nv_cli_number(spec, "assets", a->assets, 100000000, &o->assets);
    if (!rc)
        rc = nv_cli_number(spec, "flows", a->flows, 10000000, &o->flows);
    if (!rc)
        rc = nv_cli_number(spec, "vendors", a->vendors, 200, &o->vendors);
    if (!rc)
        rc = nv_cli_number(spec, "countries", a->countries, 200, &o->countries);
    if (!rc && a->seed) {
        if (nv_parse_i64(a->seed, strlen(a->seed), 0, INT64_MAX, &seed))
            return nv_cli_usage_error(spec, "--seed takes a whole number");
        o->seed = (uint64_t)seed;
    }
    return rc;
}

static int write_model(const struct nv_model *m, const struct synth_args *a)
{
    struct nv_err err = {0};
    struct nv_cli_out out;
    int rc;

    nv_err_clear(&err);
    if (a->format && strcmp(a->format, "csv") == 0)
        return nv_save_csv(m, a->output, &err) ? nv_cli_fail(&err) : NV_EXIT_OK;
    rc = nv_cli_out_open(&out, a->output);
    if (rc)
        return rc;
    if (nv_save_json(m, out.f, &err)) {
        nv_cli_out_close(&out, 0);
        return nv_cli_fail(&err);
    }
    return nv_cli_out_close(&out, 1);
}

int cmd_synth(int argc, char **argv)
{
    struct synth_args a = {0};
    const struct nv_opt opts[] = {
        {"backbone", NV_OPT_STRING, &a.backbone, "FILE",
         "GraphML or SNDlib backbone (default: generated)"},
        {"ran-sites", NV_OPT_STRING, &a.ran_sites, "N", "RAN sites (300)"},
        {"assets", NV_OPT_STRING, &a.assets, "N",
         "about N assets in all (sets the RAN sites)"},
        {"flows", NV_OPT_STRING, &a.flows, "N", "critical flows (60)"},
        {"traffic", NV_OPT_STRING, &a.traffic, "hub|pairs",
         "from sector hubs (hub), or each from its own site (pairs)"},
        {"vendors", NV_OPT_STRING, &a.vendors, "N",
         "vendors: 8 named, more generic (8)"},
        {"countries", NV_OPT_STRING, &a.countries, "N",
         "countries of all vendors (the named span 5)"},
        {"seed", NV_OPT_STRING, &a.seed, "N", "random seed (1)"},
        {"format", NV_OPT_STRING, &a.format, "json|csv",
         "native JSON (default) or a CSV bundle directory"},
        {"output", NV_OPT_STRING, &a.output, "PATH",
         "file (JSON; default stdout) or directory (CSV)"},
    };
    const struct nv_cmd_spec spec = {
        "synth", "", about, examples, opts, sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    struct nv_synth_opts o;
    struct nv_model *m = NULL;
    struct nv_err err = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    nv_synth_defaults(&o);
    nv_err_clear(&err);
    if (rc == NV_EXIT_OK && args.n)
        rc = nv_cli_usage_error(&spec, "takes no arguments, only options");
    if (rc == NV_EXIT_OK && a.format && strcmp(a.format, "json") != 0 &&
        strcmp(a.format, "csv") != 0)
        rc = nv_cli_usage_error(&spec, "--format is json or csv");
    if (rc == NV_EXIT_OK && a.format && !strcmp(a.format, "csv") && !a.output)
        rc = nv_cli_usage_error(&spec, "--format csv needs --output DIR");
    if (rc == NV_EXIT_OK)
        rc = to_opts(&spec, &a, &o);
    if (rc == NV_EXIT_OK && nv_synth(&o, &m, &err))
        rc = nv_cli_fail(&err);
    if (rc == NV_EXIT_OK)
        rc = write_model(m, &a);
    nv_model_free(m);
    nv_strlist_release(&args);
    return rc < 0 ? NV_EXIT_OK : rc;
}
