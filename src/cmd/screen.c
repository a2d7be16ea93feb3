/*
 * screen.c - `netvet screen`: names against restricted-party lists.
 *
 * One result per name (or per CSV row): the best group of listings that
 * matched, with every list it is on and its chain of owners, and the
 * names to review.  With --since, the result under the old lists is
 * compared with the new and only names whose verdict changed are shown.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "core/csv.h"
#include "core/file.h"
#include "core/json.h"
#include "core/progress.h"
#include "screen/screen.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char about[] =
    "Screen names against restricted-party lists: the US Consolidated\n"
    "Screening List (CSV, Entity List included), the FCC Covered List,\n"
    "NDAA section 889 and DoD section 1260H files, OpenSanctions entity\n"
    "exports (FollowTheMoney JSON lines), local CSV files of national\n"
    "designations and alias tables (docs/screening.md).  Each name is\n"
    "normalised (Unicode, case, punctuation, legal forms, places,\n"
    "abbreviations, other scripts transliterated) and scored against every\n"
    "listed name and alias: a match (score >= 0.88), names to review\n"
    "(>= 0.70), or nothing.  Each hit names every list the party is on\n"
    "(programme, licence requirement, citation, and the date the list\n"
    "removed it, if it did), which name matched, how the words aligned,\n"
    "and its chain of owners; a party every list has removed is a review\n"
    "at most.  Other companies the name matches as well follow the best\n"
    "(also matches; JSON also): a name that cannot tell two listed\n"
    "subsidiaries apart names both.  Names come from the arguments, from\n"
    "standard input one a line ('-' or none), or from a column of a CSV\n"
    "inventory (one result per row, with its row number and --key).\n"
    "--since OLD_LIST... shows only the names whose verdict changed from\n"
    "the old lists to the new.\n"
    "Exit status 1 if any name matched (or, with --fail-on review, matched\n"
    "or needs review), 0 if none did, 2 on bad input.";

static const char examples[] =
    "  netvet screen --list ../shared/data/lists/us-csl-2022/consolidated.csv "
    "\"Huawei Tech. Co\"\n"
    "  netvet screen --list el.csv --list fcc.csv --json < vendors.txt\n"
    "  netvet screen --list el.csv --csv inventory.csv --column vendor "
    "--key asset_id --fail-on review\n"
    "  netvet screen --since old/el.csv --list new/el.csv --csv inv.csv "
    "--column vendor\n";

struct screen_opts {
    struct nv_strlist lists, since;
    const char *csv, *column, *key, *fail_on;
    int json;
};

/* Where a name came from: a CSV row (row > 0) and its key, or not. */
struct origin {
    uint32_t row;
    const char *key;
    size_t keylen;
};

struct run {
    struct nv_screen *s, *old; /* old: the lists of --since, or NULL */
    const struct screen_opts *o;
    struct nv_jsonw *w;
    enum nv_band fail; /* the band from which a name is a finding */
    uint32_t names, flagged;
    struct nv_progress *progress; /* NULL: none drawn */
};

static const char *const band_names[] = {"none", "review", "match"};

static void json_listing(struct nv_jsonw *w, const struct nv_party *p)
{
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "list");
    nv_jsonw_str(w, p->list);
    nv_jsonw_key(w, "name");
    nv_jsonw_str(w, p->name);
    nv_jsonw_key(w, "programs");
    nv_jsonw_str_or_null(w, p->programs);
    nv_jsonw_key(w, "license");
    nv_jsonw_str_or_null(w, p->license);
    nv_jsonw_key(w, "citation");
    nv_jsonw_str_or_null(w, p->citation);
    nv_jsonw_key(w, "removed");
    nv_jsonw_str_or_null(w, p->removed);
    nv_jsonw_key(w, "source");
    nv_jsonw_str_or_null(w, p->source);
    nv_jsonw_obj_end(w);
}

/* Every listing of party p's group, p first. */
static void json_lists(struct nv_jsonw *w, const struct nv_screen *s,
                       uint32_t p)
{
    uint32_t q = p;

    nv_jsonw_arr(w);
    do {
        json_listing(w, &s->lists.v[q]);
        q = nv_matcher_next_listing(s->mt, q);
    } while (q != p);
    nv_jsonw_arr_end(w);
}

/* The owners of party p, nearest first, up to the ultimate parent. */
static void json_owners(struct nv_jsonw *w, const struct nv_lists *l,
                        uint32_t p)
{
    nv_jsonw_arr(w);
    for (uint32_t k = 0; l->v[p].parent != NV_NONE && k < 16; k++) {
        p = l->v[p].parent;
        nv_jsonw_str(w, l->v[p].name);
    }
    nv_jsonw_arr_end(w);
}

static const char *root_name(const struct nv_screen *s, uint32_t party)
{
    uint32_t root = nv_lists_root(&s->lists, party);
    return root == party ? NULL : s->lists.v[root].name;
}

static void json_hit(struct nv_jsonw *w, const struct nv_screen *s,
                     const struct nv_match_hit *h)
{
    const struct nv_party *p = &s->lists.v[h->party];

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
    nv_jsonw_str_or_null(w, root_name(s, h->party));
    nv_jsonw_key(w, "owners");
    json_owners(w, &s->lists, h->party);
    nv_jsonw_key(w, "designation");
    nv_jsonw_str(
        w, nv_designation_names[nv_screen_group_designation(s, h->party)]);
    nv_jsonw_key(w, "country");
    nv_jsonw_str_or_null(w, p->country);
    nv_jsonw_key(w, "citation");
    nv_jsonw_str_or_null(w, p->citation);
    nv_jsonw_key(w, "lists");
    json_lists(w, s, h->party);
    nv_jsonw_key(w, "explain");
    nv_jsonw_str(w, h->explain);
    nv_jsonw_obj_end(w);
}

static void json_origin(struct nv_jsonw *w, const struct origin *at)
{
    if (!at->row)
        return;
    nv_jsonw_key(w, "row");
    nv_jsonw_int(w, at->row);
    nv_jsonw_key(w, "key");
    if (at->key)
        nv_jsonw_strn(w, at->key, at->keylen);
    else
        nv_jsonw_null(w);
}

/* The match, or JSON null. */
static void json_match(struct nv_jsonw *w, const struct nv_screen *s,
                       const struct nv_match_hit *h, uint32_t n)
{
    if (n && h[0].band == NV_BAND_MATCH)
        json_hit(w, s, &h[0]);
    else
        nv_jsonw_null(w);
}

static void print_json(struct run *r, const char *query,
                       const struct origin *at, const struct nv_match_hit *h,
                       uint32_t n)
{
    int match = n && h[0].band == NV_BAND_MATCH;

    nv_jsonw_obj(r->w);
    nv_jsonw_version(r->w);
    json_origin(r->w, at);
    nv_jsonw_key(r->w, "query");
    nv_jsonw_str(r->w, query);
    nv_jsonw_key(r->w, "match");
    json_match(r->w, r->s, h, n);
    nv_jsonw_key(r->w, "also");
    nv_jsonw_arr(r->w);
    for (uint32_t i = 1; match && i < n; i++)
        if (h[i].band == NV_BAND_MATCH)
            json_hit(r->w, r->s, &h[i]);
    nv_jsonw_arr_end(r->w);
    nv_jsonw_key(r->w, "review");
    nv_jsonw_arr(r->w);
    for (uint32_t i = match; i < n; i++)
        if (h[i].band == NV_BAND_REVIEW)
            json_hit(r->w, r->s, &h[i]);
    nv_jsonw_arr_end(r->w);
    nv_jsonw_obj_end(r->w);
}

/* Print "; " and s, cut at a blank after 60 bytes ("...") for a line. */
static void text_part(const char *prefix, const char *s)
{
    size_t n = strlen(s), cut = n;

    if (n > 60) {
        cut = 60;
        while (cut > 20 && s[cut] != ' ')
            cut--;
    }
    printf("; %s%.*s%s", prefix, (int)cut, s, cut < n ? " ..." : "");
}

/* "  on us-entity-list: programmes; licence: ...; citation; removed
 * date" per listing. */
static void text_lists(const struct nv_screen *s, uint32_t p)
{
    uint32_t q = p;

    do {
        const struct nv_party *x = &s->lists.v[q];
        printf("%-36s         on %s: %s", "", x->list, x->name);
        if (x->programs)
            text_part("", x->programs);
        if (x->license)
            text_part("licence: ", x->license);
        if (x->citation)
            text_part("", x->citation);
        if (x->removed)
            text_part("removed ", x->removed);
        printf("\n");
        q = nv_matcher_next_listing(s->mt, q);
    } while (q != p);
}

static void text_owners(const struct nv_lists *l, uint32_t p)
{
    if (l->v[p].parent == NV_NONE)
        return;
    printf("%-36s         owned by:", "");
    for (uint32_t k = 0; l->v[p].parent != NV_NONE && k < 16; k++) {
        p = l->v[p].parent;
        printf("%s %s", k ? " <" : "", l->v[p].name);
    }
    printf("\n");
}

/* "  also matches: NAME [list] 0.94; ..." for the other companies the
 * name matches as well: it cannot tell them apart, the analyst can. */
static void text_also(const struct nv_screen *s, const struct nv_match_hit *h,
                      uint32_t n)
{
    const char *sep = "also matches: ";
    int any = 0;

    for (uint32_t i = 1; h[0].band == NV_BAND_MATCH && i < n; i++) {
        if (h[i].band != NV_BAND_MATCH)
            continue;
        if (!any++)
            printf("%-36s         ", "");
        printf("%s%s [%s] %.2f", sep, s->lists.v[h[i].party].name,
               s->lists.v[h[i].party].list, h[i].score);
        sep = "; ";
    }
    if (any)
        printf("\n");
}

static void text_origin(const struct origin *at)
{
    if (at->row)
        printf("row %u%s%.*s: ", at->row, at->key ? " " : "",
               at->key ? (int)at->keylen : 0, at->key ? at->key : "");
}

static void print_text(struct run *r, const char *query,
                       const struct origin *at, const struct nv_match_hit *h,
                       uint32_t n)
{
    const char *verdict = n ? band_names[h[0].band] : "none";

    text_origin(at);
    printf("%-36s %-7s", query, verdict);
    if (!n) {
        printf("\n");
        return;
    }
    printf(" %.2f  %s [%s]\n", h[0].score, r->s->lists.v[h[0].party].name,
           r->s->lists.v[h[0].party].list);
    printf("%-36s         why: %s\n", "", h[0].explain);
    text_lists(r->s, h[0].party);
    text_owners(&r->s->lists, h[0].party);
    text_also(r->s, h, n);
}

/* The verdict of a screen: the band and group of its best hit. */
static enum nv_band verdict(const struct nv_screen *s,
                            const struct nv_match_hit *h, uint32_t n,
                            uint32_t *group)
{
    *group = n ? nv_matcher_group(s->mt, h[0].party) : NV_NONE;
    return n ? h[0].band : NV_BAND_NONE;
}

/* --since: the name under the old lists and the new, printed only when
 * its verdict changed. */
static void print_change(struct run *r, const char *query,
                         const struct origin *at,
                         const struct nv_match_hit *was, uint32_t nwas,
                         const struct nv_match_hit *now, uint32_t nnow)
{
    uint32_t gwas, gnow;
    enum nv_band bwas = verdict(r->old, was, nwas, &gwas);
    enum nv_band bnow = verdict(r->s, now, nnow, &gnow);
    const char *change = bnow > bwas ? "new" : bnow < bwas ? "gone" : "changed";

    if (bwas == bnow &&
        (bnow == NV_BAND_NONE || strcmp(r->old->lists.v[was[0].party].name,
                                        r->s->lists.v[now[0].party].name) == 0))
        return; /* the same verdict, on the same name */
    r->flagged += bnow >= r->fail && bnow > bwas;
    if (!r->w) {
        text_origin(at);
        printf("%-36s %s: %s -> %s\n", query, change, band_names[bwas],
               band_names[bnow]);
        return;
    }
    if (r->names++)
        nv_jsonw_next(r->w, "\n");
    nv_jsonw_obj(r->w);
    nv_jsonw_version(r->w);
    json_origin(r->w, at);
    nv_jsonw_key(r->w, "query");
    nv_jsonw_str(r->w, query);
    nv_jsonw_key(r->w, "change");
    nv_jsonw_str(r->w, change);
    nv_jsonw_key(r->w, "was");
    json_match(r->w, r->old, was, nwas);
    nv_jsonw_key(r->w, "now");
    json_match(r->w, r->s, now, nnow);
    nv_jsonw_obj_end(r->w);
}

static int screen_one(struct run *r, const char *name, const struct origin *at)
{
    struct nv_match_hit hits[5], was[5];
    struct nv_err err = {0};
    uint32_t n, nwas = 0;

    if (nv_matcher_screen(r->s->mt, name, hits, 5, &n, &err) ||
        (r->old && nv_matcher_screen(r->old->mt, name, was, 5, &nwas, &err)))
        return nv_cli_fail(&err);
    nv_progress_add(r->progress, 1);
    if (r->old) {
        print_change(r, name, at, was, nwas, hits, n);
        return NV_EXIT_OK;
    }
    r->flagged += n && hits[0].band >= r->fail;
    if (r->w && r->names)
        nv_jsonw_next(r->w, "\n"); /* JSON Lines: one document a line */
    r->names++;
    if (r->w)
        print_json(r, name, at, hits, n);
    else
        print_text(r, name, at, hits, n);
    return NV_EXIT_OK;
}

/* One name a line from standard input. */
static int screen_stdin(struct run *r)
{
    static const struct origin none = {0, NULL, 0};
    char line[4096];
    int rc = NV_EXIT_OK;

    while (!rc && fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0])
            rc = screen_one(r, line, &none);
    }
    return rc;
}

/* The cell of column col in the current record, or NULL. */
static const struct nv_csv_field *cell(const struct nv_csv *c, int col)
{
    return col >= 0 && (size_t)col < c->nfields ? &c->fields[col] : NULL;
}

/* Screen the current row's cell (empty cells are not names). */
static int screen_row(struct run *r, const struct nv_csv *c, int col,
                      int keycol, uint32_t row)
{
    const struct nv_csv_field *v = cell(c, col), *k = cell(c, keycol);
    struct origin at = {row, k ? k->s : NULL, k ? k->len : 0};
    char name[1024];

    if (!v || !v->len)
        return NV_EXIT_OK;
    snprintf(name, sizeof name, "%.*s", (int)v->len, v->s);
    return screen_one(r, name, &at);
}

/* The column called name, or a usage error. */
static int column(const struct nv_cmd_spec *spec, const struct nv_csv *c,
                  const char *file, const char *name, int *col)
{
    *col = nv_csv_find(c, name);
    return *col < 0
               ? nv_cli_usage_error(spec, "%s has no column '%s'", file, name)
               : NV_EXIT_OK;
}

static int screen_rows(struct run *r, const struct nv_cmd_spec *spec,
                       struct nv_csv *c)
{
    struct nv_err err = {0};
    int got = 1, col, keycol = -1, rc;
    uint32_t row = 0;

    if (nv_csv_next(c, &got, &err))
        return nv_cli_fail(&err);
    rc = column(spec, c, r->o->csv, r->o->column, &col);
    if (!rc && r->o->key)
        rc = column(spec, c, r->o->csv, r->o->key, &keycol);
    while (!rc && got) {
        if (nv_csv_next(c, &got, &err))
            rc = nv_cli_fail(&err);
        else if (got)
            rc = screen_row(r, c, col, keycol, ++row);
    }
    return rc;
}

/* One result per row of a CSV file. */
static int screen_csv(struct run *r, const struct nv_cmd_spec *spec)
{
    struct nv_file f;
    struct nv_csv c;
    struct nv_err err = {0};
    int rc;

    if (nv_file_read(&f, r->o->csv, (size_t)1 << 30, &err))
        return nv_cli_fail(&err);
    nv_csv_init(&c, f.data, f.len, r->o->csv);
    rc = screen_rows(r, spec, &c);
    nv_csv_release(&c);
    nv_file_release(&f);
    return rc;
}

static int screen_all(struct run *r, const struct nv_cmd_spec *spec,
                      const struct nv_strlist *names)
{
    static const struct origin none = {0, NULL, 0};
    int rc = NV_EXIT_OK;

    if (r->o->csv)
        return screen_csv(r, spec);
    if (names->n == 0)
        return screen_stdin(r);
    for (size_t i = 0; i < names->n && !rc; i++)
        rc = strcmp(names->items[i], "-") == 0
                 ? screen_stdin(r)
                 : screen_one(r, names->items[i], &none);
    return rc;
}

/* screen_all with a count of the names screened on the terminal, unless
 * the results go there too: a line drawn between them would mix. */
static int screen_counted(struct run *r, const struct nv_cmd_spec *spec,
                          const struct nv_strlist *names)
{
    int rc;

    r->progress = isatty(fileno(stdout)) ? NULL : nv_cli_progress();
    nv_progress_begin(r->progress, "screening names", NULL, 0);
    rc = screen_all(r, spec, names);
    nv_progress_end(r->progress);
    return rc;
}

static int check_opts(const struct nv_cmd_spec *spec,
                      const struct screen_opts *o, enum nv_band *fail)
{
    if (!o->lists.n)
        return nv_cli_usage_error(spec, "name at least one --list FILE");
    if (!!o->csv != !!o->column)
        return nv_cli_usage_error(spec, "--csv and --column go together");
    if (o->key && !o->csv)
        return nv_cli_usage_error(spec, "--key needs --csv");
    *fail = NV_BAND_MATCH;
    if (o->fail_on && strcmp(o->fail_on, "review") == 0)
        *fail = NV_BAND_REVIEW;
    else if (o->fail_on && strcmp(o->fail_on, "match") != 0)
        return nv_cli_usage_error(spec, "--fail-on takes match or review");
    return NV_EXIT_OK;
}

/* Open the lists (and the old lists of --since) and screen. */
static int run_screens(struct run *r, const struct nv_cmd_spec *spec,
                       const struct nv_strlist *names)
{
    const struct screen_opts *o = r->o;
    struct nv_screen old;
    struct nv_err err = {0};
    int rc;

    if (nv_screen_open(r->s, o->lists.items, o->lists.n, &err))
        return nv_cli_fail(&err);
    if (o->since.n && nv_screen_open(&old, o->since.items, o->since.n, &err)) {
        nv_screen_close(r->s);
        return nv_cli_fail(&err);
    }
    r->old = o->since.n ? &old : NULL;
    r->w = o->json ? nv_jsonw_new(stdout, 0) : NULL;
    rc = o->json && !r->w ? NV_EXIT_INTERNAL : screen_counted(r, spec, names);
    if (r->w && !rc && nv_jsonw_finish(r->w, &err))
        rc = nv_cli_fail(&err);
    nv_jsonw_free(r->w);
    if (r->old)
        nv_screen_close(r->old);
    nv_screen_close(r->s);
    return rc;
}

int cmd_screen(int argc, char **argv)
{
    struct screen_opts o = {{NULL, 0}, {NULL, 0}, NULL, NULL, NULL, NULL, 0};
    const struct nv_opt opts[] = {
        {"list", NV_OPT_LIST, &o.lists, "FILE",
         "a list to screen against (repeat for several)"},
        {"since", NV_OPT_LIST, &o.since, "FILE",
         "an older list: show only names whose verdict changed"},
        {"csv", NV_OPT_STRING, &o.csv, "FILE",
         "screen a column of this CSV, one result per row"},
        {"column", NV_OPT_STRING, &o.column, "NAME", "the column to screen"},
        {"key", NV_OPT_STRING, &o.key, "NAME",
         "a column that identifies each row (an asset id)"},
        {"fail-on", NV_OPT_STRING, &o.fail_on, "BAND",
         "exit 1 from this band on: match (default) or review"},
        {"json", NV_OPT_FLAG, &o.json, NULL,
         "one JSON object a name (JSON Lines)"},
    };
    const struct nv_cmd_spec spec = {"screen", "[NAME... | -]",
                                     about,    examples,
                                     opts,     sizeof opts / sizeof opts[0]};
    struct nv_strlist names = {0};
    struct nv_screen s;
    struct run r = {&s, NULL, &o, NULL, NV_BAND_MATCH, 0, 0, NULL};
    int rc = nv_cli_parse(&spec, argc, argv, &names);

    if (rc == NV_EXIT_OK)
        rc = check_opts(&spec, &o, &r.fail);
    if (rc == NV_EXIT_OK)
        rc = run_screens(&r, &spec, &names);
    if (rc == NV_EXIT_OK && r.flagged)
        rc = NV_EXIT_FINDINGS;
    nv_strlist_release(&names);
    nv_strlist_release(&o.lists);
    nv_strlist_release(&o.since);
    return rc < 0 ? NV_EXIT_OK : rc;
}
