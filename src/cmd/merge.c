/*
 * merge.c - `netvet merge MODEL... -o model.json`: several files, one
 * native model.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "model/save.h"

#include <stdio.h>

static const char about[] =
    "Load several files as one model (a topology, an inventory export, an\n"
    "SBOM, flows: docs/model.md says how they merge) and write it as one\n"
    "native JSON model, so that later commands read one file.  What a\n"
    "topology only inferred (a router's layer and model, a region from a\n"
    "country) gives way to what an inventory says ('netvet inspect' lists\n"
    "such overrides).\n"
    "\n"
    "Exit status: 0 written; 2 bad input; 3 out of memory or the model\n"
    "cannot be written.";

static const char examples[] =
    "  netvet merge ../shared/data/topologyzoo/graphml/Abilene.graphml \\\n"
    "      inventory/ flows.json -o model.json\n";

int cmd_merge(int argc, char **argv)
{
    const char *output = NULL;
    const struct nv_opt opts[] = {
        {"output", NV_OPT_STRING, &output, "FILE",
         "the model (default: standard output)"},
    };
    const struct nv_cmd_spec spec = {"merge",  "MODEL...", about,
                                     examples, opts,       1};
    struct nv_strlist args = {0}, lists = {0};
    struct nv_model *m = NULL;
    struct nv_cli_out out;
    struct nv_err err;
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    nv_err_clear(&err);
    if (rc == NV_EXIT_OK)
        rc = nv_cli_load_model(&spec, &args, &lists, &m);
    if (rc == NV_EXIT_OK)
        rc = nv_cli_out_open(&out, output);
    if (rc == NV_EXIT_OK && nv_save_json(m, out.f, &err))
        rc = nv_cli_out_fail(&out, &err);
    else if (rc == NV_EXIT_OK)
        rc = nv_cli_out_close(&out, 1);
    nv_model_free(m);
    nv_strlist_release(&args);
    return rc < 0 ? NV_EXIT_OK : rc;
}
