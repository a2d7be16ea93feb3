/*
 * save.c - `netvet save MODEL... [--format json|csv|binary] -o OUT` (also
 * called `netvet merge`): several files, one model file.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "model/save.h"
#include "model/snapshot.h"

#include <stdio.h>
#include <string.h>

static const char about[] =
    "Load several files as one model (a topology, an inventory export, an\n"
    "SBOM, flows: docs/model.md says how they merge) and write it as one\n"
    "file, so that later commands read one file.  What a topology only\n"
    "inferred (a router's layer and model, a region from a country) gives\n"
    "way to what an inventory says ('netvet inspect' lists such overrides).\n"
    "\n"
    "Formats: json, the native model (the default); csv, a CSV bundle\n"
    "directory; binary, a snapshot of the finished model that loads in a\n"
    "fraction of the time (docs/formats.md): it is checked whole when it\n"
    "is read, is read only by a netvet of the same record layout (another\n"
    "build refuses it and says to save it again from JSON), and loads\n"
    "alone, not merged with other files.  'merge' is another name for\n"
    "this command.\n"
    "\n"
    "Exit status: 0 written; 2 bad input; 3 out of memory or the model\n"
    "cannot be written.";

static const char examples[] =
    "  netvet save ../shared/data/topologyzoo/graphml/Abilene.graphml \\\n"
    "      inventory/ flows.json -o model.json\n"
    "  netvet save model.json --binary -o model.nvs\n"
    "  netvet assess model.nvs\n";

static int write_model(const struct nv_model *m, const char *format,
                       const char *output)
{
    struct nv_cli_out out;
    struct nv_err err = {0};
    int rc;

    nv_err_clear(&err);
    if (strcmp(format, "json")) {
        enum nv_rc wrc = !strcmp(format, "csv")
                             ? nv_save_csv(m, output, &err)
                             : nv_snapshot_save(m, output, &err);
        if (!wrc)
            return NV_EXIT_OK;
        nv_cli_fail(&err); /* the model was good: the output failed */
        return NV_EXIT_INTERNAL;
    }
    rc = nv_cli_out_open(&out, output);
    if (rc == NV_EXIT_OK && nv_save_json(m, out.f, &err))
        return nv_cli_out_fail(&out, &err);
    return rc == NV_EXIT_OK ? nv_cli_out_close(&out, 1) : rc;
}

static int check_format(const struct nv_cmd_spec *spec, const char **format,
                        int binary, const char *output)
{
    if (binary && *format && strcmp(*format, "binary"))
        return nv_cli_usage_error(spec, "--binary is --format binary");
    if (binary)
        *format = "binary";
    if (!*format)
        *format = "json";
    if (strcmp(*format, "json") && strcmp(*format, "csv") &&
        strcmp(*format, "binary"))
        return nv_cli_usage_error(spec, "--format is json, csv or binary");
    if (strcmp(*format, "json") && !output)
        return nv_cli_usage_error(spec, "--format %s needs --output", *format);
    return NV_EXIT_OK;
}

int cmd_save(int argc, char **argv)
{
    const char *output = NULL, *format = NULL;
    int binary = 0;
    const struct nv_opt opts[] = {
        {"output", NV_OPT_STRING, &output, "FILE",
         "the model file, or the directory of a CSV bundle (default for "
         "JSON: standard output)"},
        {"format", NV_OPT_STRING, &format, "json|csv|binary",
         "what to write (default: json)"},
        {"binary", NV_OPT_FLAG, &binary, NULL,
         "write a binary snapshot (--format binary)"},
    };
    const struct nv_cmd_spec spec = {argv[0],  "MODEL...", about,
                                     examples, opts,       3};
    struct nv_strlist args = {0}, lists = {0};
    struct nv_model *m = NULL;
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK)
        rc = check_format(&spec, &format, binary, output);
    if (rc == NV_EXIT_OK)
        rc = nv_cli_load_model(&spec, &args, &lists, &m);
    if (rc == NV_EXIT_OK)
        rc = write_model(m, format, output);
    nv_model_free(m);
    nv_strlist_release(&args);
    return rc < 0 ? NV_EXIT_OK : rc;
}
