/*
 * screen.c - `netvet screen`: names against restricted-party lists.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "core/csv.h"
#include "core/file.h"
#include "core/json.h"
#include "screen/screen.h"

#include <stdio.h>
#include <string.h>

static const char about[] =
    "Screen names against restricted-party lists: the US Consolidated\n"
    "Screening List (CSV, Entity List included), the FCC Covered List,\n"
    "NDAA section 889 and DoD section 1260H files, and local CSV files of\n"
    "national designations and extra aliases (docs/screening.md).  Each\n"
    "name is normalised (Unicode, case, punctuation, legal forms,\n"
    "abbreviations, Chinese and Cyrillic transliterated) and scored against\n"
    "every listed name and alias: a match (score >= 0.88), names to review\n"
    "(>= 0.70), or nothing.  Each hit says which name matched, how the\n"
    "words aligned, and the listed party's ultimate parent.  Names come\n"
    "from the arguments, from standard input one a line ('-' or none), or\n"
    "from a column of a CSV inventory.  Exit status 1 if any name matched,\n"
    "0 if none did, 2 on bad input.";

static const char examples[] =
    "  netvet screen --list ../shared/data/lists/us-csl-2022/consolidated.csv "
    "\"Huawei Tech. Co\"\n"
    "  netvet screen --list el.csv --list fcc.csv --json < vendors.txt\n"
    "  netvet screen --list el.csv --csv inventory.csv --column vendor\n";

struct screen_opts {
    struct nv_strlist lists;
    const char *csv, *column;
    int json;
};

struct run {
    struct nv_screen *s;
    const struct screen_opts *o;
    struct nv_jsonw *w;
    uint32_t names, matched;
};

static const char *const band_names[] = {"none", "review", "match"};

static const char *parent_name(const struct nv_screen *s, uint32_t party)
{
    uint32_t root = nv_lists_root(&s->lists, party);
    return root == party ? NULL : s->lists.v[root].name;
}

static void json_hit(struct run *r, const struct nv_match_hit *h)
{
    const struct nv_party *p = &r->s->lists.v[h->party];
    struct nv_jsonw *w = r->w;

    nv_jsonw_obj(w);
    nv_jsonw_key(w, "name");
    nv_jsonw_str(w, p->name);
    nv_jsonw_key(w, "list");
    nv_jsonw_str(w, p->list);
    nv_jsonw_key(w, "score");
    nv_jsonw_num(w, (double)(int)(h->score * 1000 + 0.5) / 1000);
    nv_jsonw_key(w, "matched");
    nv_jsonw_str(w, h->matched);
    nv_jsonw_key(w, "band");
    nv_jsonw_str(w, band_names[h->band]);
    nv_jsonw_key(w, "parent");
    nv_jsonw_str_or_null(w, parent_name(r->s, h->party));
    nv_jsonw_key(w, "designation");
    nv_jsonw_str(w,
                 nv_designation_names[nv_screen_designation(r->s, h->party)]);
    nv_jsonw_key(w, "country");
    nv_jsonw_str_or_null(w, p->country);
    nv_jsonw_key(w, "citation");
    nv_jsonw_str_or_null(w, p->citation);
    nv_jsonw_key(w, "explain");
    nv_jsonw_str(w, h->explain);
    nv_jsonw_obj_end(w);
}

static void print_json(struct run *r, const char *query,
                       const struct nv_match_hit *h, uint32_t n)
{
    int match = n && h[0].band == NV_BAND_MATCH;

    nv_jsonw_obj(r->w);
    nv_jsonw_key(r->w, "query");
    nv_jsonw_str(r->w, query);
    nv_jsonw_key(r->w, "match");
    if (match)
        json_hit(r, &h[0]);
    else
        nv_jsonw_null(r->w);
    nv_jsonw_key(r->w, "review");
    nv_jsonw_arr(r->w);
    for (uint32_t i = match; i < n; i++)
        if (h[i].band == NV_BAND_REVIEW)
            json_hit(r, &h[i]);
    nv_jsonw_arr_end(r->w);
    nv_jsonw_obj_end(r->w);
}

static void print_text(struct run *r, const char *query,
                       const struct nv_match_hit *h, uint32_t n)
{
    const char *verdict = n ? band_names[h[0].band] : "none";

    printf("%-36s %-7s", query, verdict);
    if (!n) {
        printf("\n");
        return;
    }
    printf(" %.2f  %s [%s]\n", h[0].score, r->s->lists.v[h[0].party].name,
           r->s->lists.v[h[0].party].list);
    printf("%-36s         why: %s\n", "", h[0].explain);
    if (parent_name(r->s, h[0].party))
        printf("%-36s         owned by: %s\n", "",
               parent_name(r->s, h[0].party));
}

static int screen_one(struct run *r, const char *name)
{
    struct nv_match_hit hits[5];
    struct nv_err err;
    uint32_t n;

    if (nv_matcher_screen(r->s->mt, name, hits, 5, &n, &err))
        return nv_cli_fail(&err);
    r->matched += n && hits[0].band == NV_BAND_MATCH;
    if (r->w && r->names)
        nv_jsonw_next(r->w, "\n"); /* JSON Lines: one document a line */
    r->names++;
    if (r->w)
        print_json(r, name, hits, n);
    else
        print_text(r, name, hits, n);
    return NV_EXIT_OK;
}

/* One name a line from standard input. */
static int screen_stdin(struct run *r)
{
    char line[4096];
    int rc = NV_EXIT_OK;

    while (!rc && fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0])
            rc = screen_one(r, line);
    }
    return rc;
}

/* Screen a cell unless its value was screened already. */
static int screen_cell(struct run *r, struct nv_strmap *seen,
                       const struct nv_csv_field *cell)
{
    char name[1024];
    uint32_t v;
    int found;

    if (!cell->len)
        return NV_EXIT_OK;
    if (nv_strmap_put(seen, cell->s, cell->len, 0, &v, &found))
        return NV_EXIT_INTERNAL;
    if (found)
        return NV_EXIT_OK;
    snprintf(name, sizeof name, "%.*s", (int)cell->len, cell->s);
    return screen_one(r, name);
}

static int screen_rows(struct run *r, const struct nv_cmd_spec *spec,
                       struct nv_csv *c, struct nv_strmap *seen)
{
    struct nv_err err;
    int got = 1, col, rc = NV_EXIT_OK;

    if (nv_csv_next(c, &got, &err))
        return nv_cli_fail(&err);
    col = nv_csv_find(c, r->o->column);
    if (col < 0)
        return nv_cli_usage_error(spec, "%s has no column '%s'", r->o->csv,
                                  r->o->column);
    while (!rc && got) {
        if (nv_csv_next(c, &got, &err))
            rc = nv_cli_fail(&err);
        else if (got && (size_t)col < c->nfields)
            rc = screen_cell(r, seen, &c->fields[col]);
    }
    return rc;
}

/* Each distinct value of a column of a CSV file. */
static int screen_csv(struct run *r, const struct nv_cmd_spec *spec)
{
    struct nv_file f;
    struct nv_csv c;
    struct nv_err err;
    struct nv_strmap seen;
    int rc;

    if (nv_file_read(&f, r->o->csv, (size_t)1 << 30, &err))
        return nv_cli_fail(&err);
    nv_csv_init(&c, f.data, f.len, r->o->csv);
    nv_strmap_init(&seen);
    rc = screen_rows(r, spec, &c, &seen);
    nv_strmap_release(&seen);
    nv_csv_release(&c);
    nv_file_release(&f);
    return rc;
}

static int screen_all(struct run *r, const struct nv_cmd_spec *spec,
                      const struct nv_strlist *names)
{
    int rc = NV_EXIT_OK;

    if (r->o->csv)
        return screen_csv(r, spec);
    if (names->n == 0)
        return screen_stdin(r);
    for (size_t i = 0; i < names->n && !rc; i++)
        rc = strcmp(names->items[i], "-") == 0 ? screen_stdin(r)
                                               : screen_one(r, names->items[i]);
    return rc;
}

static int check_opts(const struct nv_cmd_spec *spec,
                      const struct screen_opts *o)
{
    if (!o->lists.n)
        return nv_cli_usage_error(spec, "name at least one --list FILE");
    if (!!o->csv != !!o->column)
        return nv_cli_usage_error(spec, "--csv and --column go together");
    return NV_EXIT_OK;
}

int cmd_screen(int argc, char **argv)
{
    struct screen_opts o = {{NULL, 0}, NULL, NULL, 0};
    const struct nv_opt opts[] = {
        {"list", NV_OPT_LIST, &o.lists, "FILE",
         "a list to screen against (repeat for several)"},
        {"csv", NV_OPT_STRING, &o.csv, "FILE", "screen a column of this CSV"},
        {"column", NV_OPT_STRING, &o.column, "NAME", "the column to screen"},
        {"json", NV_OPT_FLAG, &o.json, NULL,
         "one JSON object a name (JSON Lines)"},
    };
    const struct nv_cmd_spec spec = {"screen", "[NAME... | -]",
                                     about,    examples,
                                     opts,     sizeof opts / sizeof opts[0]};
    struct nv_strlist names = {0};
    struct nv_screen s;
    struct run r = {&s, &o, NULL, 0, 0};
    struct nv_err err;
    int rc = nv_cli_parse(&spec, argc, argv, &names);

    if (rc == NV_EXIT_OK)
        rc = check_opts(&spec, &o);
    if (rc == NV_EXIT_OK && nv_screen_open(&s, o.lists.items, o.lists.n, &err))
        rc = nv_cli_fail(&err);
    else if (rc == NV_EXIT_OK) {
        r.w = o.json ? nv_jsonw_new(stdout, 0) : NULL;
        rc = o.json && !r.w ? NV_EXIT_INTERNAL : screen_all(&r, &spec, &names);
        if (r.w && !rc && nv_jsonw_finish(r.w, &err))
            rc = nv_cli_fail(&err);
        nv_jsonw_free(r.w);
        nv_screen_close(&s);
    }
    if (rc == NV_EXIT_OK && r.matched)
        rc = NV_EXIT_FINDINGS;
    nv_strlist_release(&names);
    nv_strlist_release(&o.lists);
    return rc < 0 ? NV_EXIT_OK : rc;
}
