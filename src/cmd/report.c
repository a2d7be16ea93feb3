/*
 * report.c - `netvet report MODEL... -o report.html`: everything the other
 * commands find, in one self-contained HTML file for people.
 */
#include "cmd/cli.h"
#include "core/alloc.h"
#include "cmd/cmd.h"
#include "cmd/history.h"
#include "cmd/policyfile.h"
#include "core/parse.h"
#include "report/report.h"
#include "model/save.h"
#include "plan/costs.h"
#include "store/findings.h"
#include "store/posture.h"

#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Where Debian installs the browser --pdf prints with. */
#define CHROMIUM "/usr/bin/chromium"

extern char **environ;

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
    "With --store DB, a chart of the network's posture over the store's\n"
    "snapshots (docs/store.md), judged by the same --policy and --date.\n"
    "The first page is for the people who decide: --title, --organisation,\n"
    "the date, a --marking printed at the top and bottom of every page, and\n"
    "a summary in plain sentences: what is wrong, how bad (by sector, and\n"
    "how many critical flows a single supplier could cut: the vendor\n"
    "margin), what changed and what to do first (with --plan, the plan's\n"
    "first year; else the choke points).  What changed: the release\n"
    "decisions that differ from those of an earlier version, --baseline\n"
    "(model files, or STORE@REF as for 'netvet diff'), or with --store\n"
    "the store's newest snapshot that is not the model itself; judged by\n"
    "the same --policy and --date.  --pdf also prints the report to PDF\n"
    "through headless Chromium.\n"
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
    "      --policy eu-5g-toolbox --date 2028-01-01 -o report.html\n"
    "  # with the posture over time of the snapshots of a store:\n"
    "  netvet report model.json --policy uk-2020 --store history.db \\\n"
    "      -o report.html\n"
    "  # for a board: a title, who it is for, a marking, and a PDF:\n"
    "  netvet report model.json --policy uk-2020 --title 'Vendor risk' \\\n"
    "      --organisation 'Example Telecom' --marking OFFICIAL-SENSITIVE \\\n"
    "      -o report.html --pdf report.pdf\n"
    "  # with the recommended actions (the replacement plan):\n"
    "  netvet report model.json --policy uk-2020 --plan -o report.html\n"
    "  # what changed since last year's version (a file, or a snapshot):\n"
    "  netvet report model.json --policy uk-2020 \\\n"
    "      --baseline model-2025.json -o report.html\n"
    "  netvet report model.json --policy uk-2020 \\\n"
    "      --baseline history.db@prev -o report.html\n";

struct report_opts {
    struct nv_strlist packs, lists;
    const char *date, *wargame, *vendor, *country, *designation, *output;
    const char *store;
    struct nv_strlist baseline; /* an earlier version: files or STORE@REF */
    const char *title, *organisation, *marking, *pdf;
    int plan;          /* --plan: recommended actions */
    const char *costs; /* --costs: the plan's replacement costs */
};

/* The posture of every snapshot of a store, as points of the chart. */
struct history {
    struct nv_snapshots list;
    struct nv_posture *rows;
    struct nv_report_point *points;
};

static int load_history(const char *path, const struct nv_policy *p,
                        const char *key, const char *date, struct history *h)
{
    struct nv_store *s = NULL;
    int rc = nv_cli_open_store(path, &s);

    if (!rc)
        rc = nv_cli_posture(s, path, p, key, date, &h->list, &h->rows);
    nv_store_close(s);
    if (!rc &&
        !(h->points = nv_calloc((size_t)h->list.n + 1, sizeof *h->points)))
        rc = NV_EXIT_INTERNAL;
    for (uint32_t i = 0; !rc && i < h->list.n; i++) {
        struct nv_report_point *pt = &h->points[i];
        pt->time = h->list.v[i].time;
        pt->id = h->list.v[i].id;
        pt->message = h->list.v[i].message;
        memcpy(pt->flows, h->rows[i].flows, sizeof pt->flows);
        pt->score = h->rows[i].score;
        pt->errors = h->rows[i].errors;
        pt->one_vendor =
            h->rows[i].margins_known ? (int64_t)h->rows[i].margins[0][1] : -1;
    }
    return rc;
}

static void release_history(struct history *h)
{
    nv_cli_posture_free(h->rows, h->list.n);
    nv_store_snapshots_release(&h->list);
    nv_free(h->points);
}

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
    struct nv_err err = {0};
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

/* Run Chromium with argv and wait for it; 0 when it exits with 0.
 * Chromium talks on both outputs; what matters is its exit status.
 * posix_spawn's argv is not const for historical reasons only. */
static int run_quiet(const char *const *argv)
{
    posix_spawn_file_actions_t quiet;
    int status = 0, rc;
    pid_t pid;

    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
    rc = posix_spawn(&pid, argv[0], &quiet, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&quiet);
    if (rc != 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Print the written report to a PDF through headless Chromium (the
 * environment variable NETVET_CHROMIUM names another than Debian's),
 * into a temporary file renamed into place, so that a failure leaves no
 * half PDF. */
static int print_pdf(const char *html, const char *pdf)
{
    const char *chromium =
        getenv("NETVET_CHROMIUM") ? getenv("NETVET_CHROMIUM") : CHROMIUM;
    char abs[PATH_MAX], url[PATH_MAX + 16], out[PATH_MAX + 32], tmp[PATH_MAX];
    const char *argv[] = {chromium,
                          "--headless",
                          "--no-sandbox",
                          "--disable-gpu",
                          "--no-first-run",
                          "--no-pdf-header-footer",
                          out,
                          url,
                          NULL};

    if (access(chromium, X_OK) != 0) {
        fprintf(stderr,
                "netvet: report: --pdf needs Chromium at %s "
                "(apt-get install chromium); the HTML report is "
                "written\n",
                chromium);
        return NV_EXIT_INTERNAL;
    }
    if (!realpath(html, abs) ||
        snprintf(tmp, sizeof tmp, "%s.tmp", pdf) >= (int)sizeof tmp ||
        snprintf(url, sizeof url, "file://%s", abs) >= (int)sizeof url ||
        snprintf(out, sizeof out, "--print-to-pdf=%s", tmp) >=
            (int)sizeof out ||
        run_quiet(argv) != 0 || access(tmp, R_OK) != 0 ||
        rename(tmp, pdf) != 0) {
        unlink(tmp);
        fprintf(stderr, "netvet: report: Chromium could not print %s\n", pdf);
        return NV_EXIT_INTERNAL;
    }
    return NV_EXIT_OK;
}

static int find_group(const struct nv_cmd_spec *spec, const struct nv_model *m,
                      const struct nv_exposure *x, const char *id, uint32_t *g)
{
    *g = NV_NONE;
    return id[0] ? nv_cli_find_group(spec, m, &x->groups, id, g) : NV_EXIT_OK;
}

/* The plan of the recommended actions: from the report's year, no
 * budget limit, the default goal, the costs of --costs. */
static int plan_for(const struct nv_cmd_spec *spec, const struct nv_model *m,
                    const struct nv_exposure *x, const struct nv_policy *p,
                    const char *date, const char *costs, struct nv_plan *pl)
{
    struct nv_plan_opts po = {2000, 0, 0, 1, 60, 10000, NULL};
    struct nv_costs *c = NULL;
    struct nv_err err = {0};
    int64_t year;
    int rc;

    if (!p)
        return nv_cli_usage_error(spec, "--plan needs --policy");
    if (nv_parse_i64(date, 4, 1900, 2999, &year) == NV_OK)
        po.from = (int)year;
    rc = nv_cli_load_costs(costs, m, &c);
    po.costs = c;
    nv_err_clear(&err);
    if (!rc && nv_plan_make(m, x, p, &po, pl, &err))
        rc = nv_cli_fail(&err);
    nv_costs_free(c);
    return rc;
}

/* The earlier version the release decisions are compared with. */
struct baseline {
    char name[4300]; /* for the reader; "" when there is none */
    struct nv_report_change *v;
    uint32_t n;
};

/* The release decisions of now that changed since old, both judged by p
 * on date (store/findings.h, as `netvet diff` finds them). */
static int changes_since(const struct nv_model *old,
                         const struct nv_findings *now,
                         const struct nv_policy *p, const char *date,
                         struct baseline *b)
{
    struct nv_findings was;
    struct nv_fdiff d;
    struct nv_err err = {0};

    nv_err_clear(&err);
    if (nv_findings_compute(old, p, date, 0, &was, &err))
        return nv_cli_fail(&err);
    if (nv_fdiff_compute(&was, now, p, &d, &err)) {
        nv_findings_release(&was);
        return nv_cli_fail(&err);
    }
    b->v = nv_calloc((size_t)d.nreleases + 1, sizeof *b->v);
    for (uint32_t i = 0; b->v && i < d.nreleases; i++) {
        const struct nv_fdiff_release *r = &d.releases[i];
        b->v[i] = (struct nv_report_change){r->partner, r->flow, r->c, r->from,
                                            r->to};
    }
    b->n = b->v ? d.nreleases : 0;
    nv_fdiff_release(&d);
    nv_findings_release(&was);
    if (b->v)
        return NV_EXIT_OK;
    nv_err_set(&err, NV_ENOMEM, "out of memory");
    return nv_cli_fail(&err);
}

/* The snapshot id m would have in a store (store.h). */
static int model_id(const struct nv_model *m, char id[NV_SHA256_HEX])
{
    unsigned char d[NV_SHA256_LEN];
    struct nv_err err = {0};
    char *text = NULL;
    size_t len = 0;

    nv_err_clear(&err);
    if (nv_save_json_text(m, &text, &len, &err))
        return nv_cli_fail(&err);
    nv_sha256(text, len, d);
    nv_hex(d, sizeof d, id);
    nv_free(text);
    return NV_EXIT_OK;
}

/* With --store and no --baseline: the newest snapshot of the store that
 * is not the model itself (*old stays NULL when there is none). */
static int store_baseline(const char *path, const struct nv_model *m,
                          const struct history *h, struct nv_model **old,
                          struct baseline *b)
{
    char id[NV_SHA256_HEX], got[NV_SHA256_HEX];
    struct nv_store *s = NULL;
    uint32_t i = h->list.n;
    int rc = model_id(m, id);

    while (!rc && i > 0 && strcmp(h->list.v[i - 1].id, id) == 0)
        i--;
    if (rc || i == 0)
        return rc;
    rc = nv_cli_open_store(path, &s);
    if (!rc)
        rc = nv_cli_load_snapshot(s, path, h->list.v[i - 1].id, old, got);
    nv_store_close(s);
    if (!rc)
        snprintf(b->name, sizeof b->name,
                 "snapshot %.12s of %s, added %.10s (%s)", got, path,
                 h->list.v[i - 1].time, h->list.v[i - 1].message);
    return rc;
}

/* What a report is made of; release_state frees it. */
struct state {
    struct nv_model *m;
    struct nv_policy *p;
    struct nv_findings f; /* of m: exposure, violations */
    int analysed;
    struct history h;
    struct nv_plan pl;
    int planned;
    struct baseline b;
    char date[16], key[NV_SHA256_HEX];
};

/* The baseline of --baseline, or else of --store; none without either,
 * and none without a policy to decide releases by. */
static int load_baseline(const struct nv_cmd_spec *spec,
                         const struct report_opts *o, struct state *st)
{
    struct nv_model *old = NULL;
    struct baseline *b = &st->b;
    int rc = NV_EXIT_OK;

    if (o->baseline.n && !st->p)
        return nv_cli_usage_error(spec, "--baseline needs --policy");
    if (o->baseline.n) {
        rc = nv_cli_load_version(spec, &o->baseline, &old);
        snprintf(b->name, sizeof b->name, "the version in %s%s",
                 o->baseline.items[0],
                 o->baseline.n > 1 ? " and the files with it" : "");
    } else if (o->store && st->p) {
        rc = store_baseline(o->store, st->m, &st->h, &old, b);
    }
    if (!rc && old && st->p)
        rc = changes_since(old, &st->f, st->p, st->date, b);
    if (!old)
        b->name[0] = '\0';
    nv_model_free(old);
    return rc;
}

/* Load, analyse and plan what the options ask for. */
static int prepare(const struct nv_cmd_spec *spec, const struct report_opts *o,
                   struct nv_strlist *args, struct state *st)
{
    struct nv_err err = {0};
    int rc = nv_cli_date(spec, o->date, st->date, sizeof st->date);

    nv_err_clear(&err);
    if (!rc && o->packs.n)
        rc = nv_cli_load_policy_digest(spec, &o->packs, &st->p, st->key);
    if (!rc)
        rc = nv_cli_load_model(spec, args, &o->lists, &st->m);
    if (!rc && st->p)
        rc = nv_cli_bind_policy(st->p, st->m, 0);
    if (!rc && nv_findings_compute(st->m, st->p, st->date, 0, &st->f, &err))
        rc = nv_cli_fail(&err);
    st->analysed = !rc;
    if (!rc && o->store)
        rc = load_history(o->store, st->p, st->key, st->date, &st->h);
    if (!rc)
        rc = load_baseline(spec, o, st);
    if (!rc && o->costs && !o->plan)
        rc = nv_cli_usage_error(spec, "--costs needs --plan");
    if (!rc && o->plan)
        rc =
            plan_for(spec, st->m, &st->f.x, st->p, st->date, o->costs, &st->pl);
    st->planned = !rc && o->plan;
    return rc;
}

static void release_state(struct state *st)
{
    if (st->planned)
        nv_plan_release(&st->pl);
    release_history(&st->h);
    if (st->analysed)
        nv_findings_release(&st->f);
    nv_free(st->b.v);
    nv_model_free(st->m);
    nv_policy_free(st->p);
}

static int run(const struct nv_cmd_spec *spec, const struct report_opts *o,
               struct nv_strlist *args)
{
    struct nv_report r = {.group = NV_NONE};
    struct state st;
    char id[128];
    int rc = o->output ? group_id(spec, o, id, sizeof id)
                       : nv_cli_usage_error(spec, "name the report file "
                                                  "with -o FILE");

    memset(&st, 0, sizeof st);
    if (!rc)
        rc = prepare(spec, o, args, &st);
    if (!rc)
        rc = find_group(spec, st.m, &st.f.x, id, &r.group);
    r = (struct nv_report){.m = st.m,
                           .x = &st.f.x,
                           .p = st.p,
                           .v = st.f.v,
                           .nv = st.f.nv,
                           .date = st.date,
                           .group = r.group,
                           .history = st.h.points,
                           .nhistory = st.h.list.n,
                           .title = o->title,
                           .organisation = o->organisation,
                           .marking = o->marking,
                           .plan = st.planned ? &st.pl : NULL,
                           .baseline = st.b.name[0] ? st.b.name : NULL,
                           .changes = st.b.v,
                           .nchanges = st.b.n};
    if (!rc)
        rc = write_report(&r, o->output);
    if (!rc && o->pdf)
        rc = print_pdf(o->output, o->pdf);
    release_state(&st);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    struct report_opts o = {0};
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
        {"store", NV_OPT_STRING, &o.store, "DB",
         "chart the posture over the snapshots of this store"},
        {"baseline", NV_OPT_LIST, &o.baseline, "FILE",
         "an earlier version (files or STORE@REF): what changed"},
        {"title", NV_OPT_STRING, &o.title, "TEXT",
         "the report's title (first page)"},
        {"organisation", NV_OPT_STRING, &o.organisation, "TEXT",
         "who the report is for or by (first page)"},
        {"marking", NV_OPT_STRING, &o.marking, "TEXT",
         "protective marking at the top and bottom of every page"},
        {"pdf", NV_OPT_STRING, &o.pdf, "FILE",
         "also print the report to this PDF (needs Chromium)"},
        {"plan", NV_OPT_FLAG, &o.plan, NULL,
         "recommended actions: the replacement plan of the policy's rules"},
        {"costs", NV_OPT_STRING, &o.costs, "FILE",
         "the plan's replacement costs (CSV, as 'netvet plan --costs')"},
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
    nv_strlist_release(&o.baseline);
    return rc < 0 ? NV_EXIT_OK : rc;
}
