/*
 * report.c - `netvet report MODEL... -o report.html`: everything the other
 * commands find, in one self-contained HTML file for people.
 */
#include "cmd/cli.h"
#include "core/alloc.h"
#include "cmd/cmd.h"
#include "cmd/policyfile.h"
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char about[] =
    "Write one self-contained HTML report (no scripts, styles, fonts or\n"
    "pictures fetched from anywhere) for people who will not read JSON: a\n"
    "map of the sites coloured by their worst vendor, with the critical\n"
    "flows drawn by their worst exposure to a high-risk or prohibited\n"
    "group; the risk score with its top contributors; the flows at risk;\n"
    "with --policy, the violations on --date (default today) and the\n"
    "release matrix; the vendor shares of every layer and region with the\n"
    "Herfindahl-Hirschman index.  Tables sort when a header is clicked, and\n"
    "the page prints cleanly to PDF.  With --wargame GROUP (or --vendor,\n"
    "--country, --designation), the map shows that group's blast radius.\n"
    "The file is written whole or not at all.  Exit status 0 when the\n"
    "report is written, 2 on bad input, 3 when it cannot be written.\n"
    "docs/report.md says what each section shows.";

static const char examples[] =
    "  # the example network, the UK rules and Huawei's blast radius; open\n"
    "  # report.html in any browser, or print it to PDF:\n"
    "  netvet report examples/national/model.json --policy uk-2020 \\\n"
    "      --wargame vendor:huawei -o report.html\n"
    "  # every high-risk vendor at once, the EU rules as they stand in 2028:\n"
    "  netvet report model.json --designation high-risk \\\n"
    "      --policy eu-5g-toolbox --date 2028-01-01 -o report.html\n";

struct report_opts {
    struct nv_strlist packs, lists;
    const char *date, *wargame, *vendor, *country, *designation, *output;
};

/* The group --wargame or one of --vendor, --country, --designation names
 * (id is "" when none is). */
static int group_id(const struct nv_cmd_spec *spec, const struct report_opts *o,
                    char *id, size_t size)
{
    int rc = nv_cli_group_id(spec, o->vendor, o->country, o->designation, 0, id,
                             size);

    if (!rc && o->wargame && id[0])
        return nv_cli_usage_error(spec, "name only one group");
    if (!rc && o->wargame)
        snprintf(id, size, "%s", o->wargame);
    return rc;
}

/* Write the report so that a failure leaves no half-written file. */
static int write_report(const struct nv_report *r, const char *path)
{
    struct nv_cli_out out;
    struct nv_err err;
    int rc = nv_cli_out_open(&out, path);

    if (rc)
        return rc;
    nv_err_clear(&err);
    if (nv_report_html(r, out.f, &err)) {
        nv_cli_out_close(&out, 0);
        nv_cli_fail(&err);
        return NV_EXIT_INTERNAL;
    }
    return nv_cli_out_close(&out, 1);
}

static int find_group(const struct nv_cmd_spec *spec, const struct nv_model *m,
                      const struct nv_exposure *x, const char *id, uint32_t *g)
{
    *g = NV_NONE;
    return id[0] ? nv_cli_find_group(spec, m, &x->groups, id, g) : NV_EXIT_OK;
}

static int run(const struct nv_cmd_spec *spec, const struct report_opts *o,
               struct nv_strlist *args)
{
    struct nv_report r = {NULL, NULL, NULL, NULL, 0, NULL, NV_NONE};
    struct nv_model *m = NULL;
    struct nv_policy *p = NULL;
    struct nv_exposure x = {0};
    struct nv_violation *v = NULL;
    struct nv_err err;
    char id[128], date[16];
    int rc = o->output ? group_id(spec, o, id, sizeof id)
                       : nv_cli_usage_error(spec, "name the report file "
                                                  "with -o FILE");

    if (!rc)
        rc = nv_cli_date(spec, o->date, date, sizeof date);
    if (!rc && o->packs.n)
        rc = nv_cli_load_policy(spec, &o->packs, &p);
    if (!rc)
        rc = nv_cli_load_model(spec, args, &o->lists, &m);
    if (!rc && p)
        rc = nv_cli_bind_policy(p, m, 0);
    if (!rc && nv_exposure_compute(m, 0, &x, &err))
        rc = nv_cli_fail(&err);
    if (!rc)
        rc = find_group(spec, m, &x, id, &r.group);
    if (!rc && p && nv_policy_check(p, m, &x, date, &v, &r.nv, &err))
        rc = nv_cli_fail(&err);
    r = (struct nv_report){m, &x, p, v, r.nv, date, r.group};
    if (!rc)
        rc = write_report(&r, o->output);
    nv_free(v);
    nv_exposure_release(&x);
    nv_model_free(m);
    nv_policy_free(p);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    struct report_opts o = {{NULL, 0}, {NULL, 0}, NULL, NULL,
                            NULL,      NULL,      NULL, NULL};
    const struct nv_opt opts[] = {
        {"output", NV_OPT_STRING, &o.output, "FILE",
         "the HTML file to write (also -o)"},
        {"policy", NV_OPT_LIST, &o.packs, "PACK",
         "a policy pack or file: violations, release matrix (repeatable)"},
        {"date", NV_OPT_STRING, &o.date, "YYYY-MM-DD",
         "the day to check the policy for (dated rules)"},
        {"wargame", NV_OPT_STRING, &o.wargame, "GROUP",
         "show this group's blast radius (vendor:ID, country:CC, ...)"},
        {"vendor", NV_OPT_STRING, &o.vendor, "ID",
         "... or that of a vendor, with its subsidiaries"},
        {"country", NV_OPT_STRING, &o.country, "CC",
         "... or that of every vendor of one country"},
        {"designation", NV_OPT_STRING, &o.designation, "CLASS",
         "... or that of every vendor of a class (high-risk, prohibited)"},
        {"list", NV_OPT_LIST, &o.lists, "FILE",
         "screen unresolved vendors against this list (repeatable)"},
    };
    const struct nv_cmd_spec spec = {"report", "MODEL...",
                                     about,    examples,
                                     opts,     sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK)
        rc = run(&spec, &o, &args);
    nv_strlist_release(&args);
    nv_strlist_release(&o.packs);
    nv_strlist_release(&o.lists);
    return rc < 0 ? NV_EXIT_OK : rc;
}
