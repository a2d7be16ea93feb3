/*
 * store.c - `netvet store`: snapshots of a network kept in one SQLite
 * file, listed, shown, compared, and its posture over time.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "cmd/history.h"
#include "cmd/policyfile.h"
#include "core/alloc.h"
#include "core/json.h"
#include "core/parse.h"
#include "store/posture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char about[] =
    "Keep the history of a network in one SQLite file (docs/store.md).\n"
    "A snapshot is a model's canonical JSON, kept whole and never changed,\n"
    "with who added it, when and why; its id is the SHA-256 of that text,\n"
    "so adding the same model twice keeps one snapshot, and a snapshot\n"
    "altered in the file is refused when read.  A snapshot is named by its\n"
    "id, a prefix of it (4 hex digits or more) that no other id has, last\n"
    "or prev.\n\n"
    "  init DB                       create a store\n"
    "  add DB MODEL... --message M   keep the model as a snapshot\n"
    "  list DB                       the snapshots, oldest first\n"
    "  show DB REF [-o FILE]         a snapshot; -o writes its model\n"
    "  diff DB A B                   as 'netvet diff', between snapshots\n"
    "  posture DB --policy PACK      one row per snapshot: flows a\n"
    "                                high-risk group reaches at each level,\n"
    "                                flows by vendor and country margin,\n"
    "                                score, violations by rule, high-risk\n"
    "                                share per layer\n\n"
    "Posture rows are kept in the store per snapshot, policy and date, and\n"
    "computed again by another netvet version.  'add' with --log DIR\n"
    "--log-key KEY records the new snapshot's id, message and author in\n"
    "the evidence log, so that its existence at that time can be proven.\n"
    "'store diff' exits 1 when the change made things worse, as 'diff'.";

static const char examples[] =
    "  netvet store init history.db\n"
    "  netvet store add history.db examples/national/model.json "
    "--message 'baseline'\n"
    "  netvet store list history.db\n"
    "  netvet store show history.db last -o model.json\n"
    "  netvet store diff history.db prev last --policy uk-2020\n"
    "  netvet store posture history.db --policy uk-2020\n";

struct store_opts {
    struct nv_strlist packs;
    const char *message, *author, *output, *date;
    int json;
    struct nv_cli_evidence evidence;
};

static int need_args(const struct nv_cmd_spec *spec,
                     const struct nv_strlist *args, size_t min, size_t max)
{
    if (args->n >= min && args->n <= max)
        return NV_EXIT_OK;
    return nv_cli_usage_error(spec, "expected %s", spec->synopsis);
}

static int do_init(const struct nv_cmd_spec *spec, const struct store_opts *o,
                   const struct nv_strlist *args)
{
    struct nv_err err = {0};
    int rc = need_args(spec, args, 2, 2);

    (void)o;
    nv_err_clear(&err);
    if (!rc && nv_store_create(args->items[1], &err))
        rc = nv_cli_fail(&err);
    if (!rc)
        printf("created store %s (schema version %d)\n", args->items[1],
               NV_STORE_SCHEMA);
    return rc;
}

/* The time of a new snapshot: now, or SOURCE_DATE_EPOCH when set (for
 * reproducible tests and builds). */
static void now_utc(char out[32])
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    int64_t epoch;
    time_t t = time(NULL);
    struct tm tm;

    if (env && !nv_parse_i64(env, strlen(env), 0, INT64_MAX / 2, &epoch))
        t = (time_t)epoch;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

struct added {
    const char *id, *message, *author, *store;
};

static void evidence(struct nv_jsonw *w, const void *ctx)
{
    const struct added *a = ctx;

    nv_jsonw_key(w, "snapshot");
    nv_jsonw_str(w, a->id);
    nv_jsonw_key(w, "store");
    nv_jsonw_str(w, a->store);
    nv_jsonw_key(w, "message");
    nv_jsonw_str(w, a->message);
    nv_jsonw_key(w, "author");
    nv_jsonw_str(w, a->author);
}

static int add_model(const struct store_opts *o, const char *path,
                     const struct nv_model *m)
{
    char id[NV_SHA256_HEX], now[32];
    const char *who = o->author ? o->author : getenv("USER");
    struct nv_snapshot_new sn = {NULL,       0,   who ? who : "unknown",
                                 o->message, now, {0}};
    struct nv_store *s = NULL;
    struct nv_err err = {0};
    int added = 0, rc = nv_cli_open_store(path, &s);

    nv_err_clear(&err);
    now_utc(now);
    for (int t = 0; t < NV_T_COUNT; t++)
        sn.counts[t] = m->t[t].n;
    if (!rc && nv_store_add_model(s, m, &sn, id, &added, &err))
        rc = nv_cli_fail(&err);
    nv_store_close(s);
    if (!rc && !added)
        printf("%s already stored: nothing added\n", id);
    if (rc || !added)
        return rc;
    printf("%s added (%u assets, %u flows)\n", id,
           (unsigned)sn.counts[NV_T_ASSET], (unsigned)sn.counts[NV_T_FLOW]);
    struct added a = {id, o->message, sn.author, path};
    return nv_cli_evidence_record(&o->evidence, "snapshot", evidence, &a);
}

static int do_add(const struct nv_cmd_spec *spec, const struct store_opts *o,
                  const struct nv_strlist *args)
{
    struct nv_strlist files = {args->items + 2, args->n - 2};
    struct nv_model *m = NULL;
    int rc = need_args(spec, args, 3, SIZE_MAX);

    if (!rc && (!o->message || !o->message[0]))
        rc = nv_cli_usage_error(spec, "say what changed: --message TEXT");
    if (!rc)
        rc = nv_cli_evidence_check(spec, &o->evidence);
    if (!rc)
        rc = nv_cli_load_model(spec, &files, NULL, &m);
    if (!rc)
        rc = add_model(o, args->items[1], m);
    nv_model_free(m);
    return rc;
}

static void json_snapshot(struct nv_jsonw *w, const struct nv_snapshot *sn)
{
    nv_jsonw_key(w, "seq");
    nv_jsonw_int(w, sn->seq);
    nv_jsonw_key(w, "id");
    nv_jsonw_str(w, sn->id);
    nv_jsonw_key(w, "time");
    nv_jsonw_str(w, sn->time);
    nv_jsonw_key(w, "author");
    nv_jsonw_str(w, sn->author);
    nv_jsonw_key(w, "message");
    nv_jsonw_str(w, sn->message);
    nv_jsonw_key(w, "bytes");
    nv_jsonw_int(w, sn->bytes);
    nv_jsonw_key(w, "assets");
    nv_jsonw_int(w, sn->counts[NV_T_ASSET]);
    nv_jsonw_key(w, "flows");
    nv_jsonw_int(w, sn->counts[NV_T_FLOW]);
}

static int print_list(const struct nv_snapshots *l, int json)
{
    struct nv_jsonw *w = json ? nv_jsonw_new(stdout, 1) : NULL;
    struct nv_err err = {0};

    if (json && !w)
        return NV_EXIT_INTERNAL;
    if (w) {
        nv_jsonw_obj(w);
        nv_jsonw_version(w);
        nv_jsonw_key(w, "snapshots");
        nv_jsonw_arr(w);
    }
    for (uint32_t i = 0; i < l->n; i++) {
        const struct nv_snapshot *sn = &l->v[i];
        if (w) {
            nv_jsonw_obj(w);
            json_snapshot(w, sn);
            nv_jsonw_obj_end(w);
        } else {
            printf("%3lld %.12s %s %-10s %7lld assets %5lld flows  %s\n",
                   (long long)sn->seq, sn->id, sn->time, sn->author,
                   (long long)sn->counts[NV_T_ASSET],
                   (long long)sn->counts[NV_T_FLOW], sn->message);
        }
    }
    if (!w)
        return NV_EXIT_OK;
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
    enum nv_rc rc = nv_jsonw_finish(w, &err);
    nv_jsonw_free(w);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

static int do_list(const struct nv_cmd_spec *spec, const struct store_opts *o,
                   const struct nv_strlist *args)
{
    struct nv_store *s = NULL;
    struct nv_snapshots l = {0};
    struct nv_err err = {0};
    int rc = need_args(spec, args, 2, 2);

    nv_err_clear(&err);
    if (!rc)
        rc = nv_cli_open_store(args->items[1], &s);
    if (!rc && nv_store_list(s, &l, &err))
        rc = nv_cli_fail(&err);
    if (!rc)
        rc = print_list(&l, o->json);
    nv_store_snapshots_release(&l);
    nv_store_close(s);
    return rc;
}

static int show_text(const struct store_opts *o, const struct nv_snapshot *sn,
                     const char *text, size_t len)
{
    struct nv_cli_out out;
    int rc;

    if (!o->output) {
        printf("snapshot %s\n  added   %s by %s\n  message %s\n  size    "
               "%lld bytes: %lld entities, %lld sites, %lld assets, %lld "
               "links, %lld flows, %lld partners\n",
               sn->id, sn->time, sn->author, sn->message, (long long)sn->bytes,
               (long long)sn->counts[0], (long long)sn->counts[1],
               (long long)sn->counts[2], (long long)sn->counts[3],
               (long long)sn->counts[4], (long long)sn->counts[5]);
        return NV_EXIT_OK;
    }
    rc = nv_cli_out_open(&out, o->output);
    if (rc)
        return rc;
    return nv_cli_out_close(&out, fwrite(text, 1, len, out.f) == len);
}

static int do_show(const struct nv_cmd_spec *spec, const struct store_opts *o,
                   const struct nv_strlist *args)
{
    struct nv_store *s = NULL;
    struct nv_snapshot sn;
    struct nv_arena a;
    struct nv_err err = {0};
    char id[NV_SHA256_HEX], *text = NULL;
    size_t len = 0;
    int rc = need_args(spec, args, 3, 3);

    nv_err_clear(&err);
    nv_arena_init(&a);
    if (!rc)
        rc = nv_cli_open_store(args->items[1], &s);
    if (!rc && (nv_store_resolve(s, args->items[2], id, &err) ||
                nv_store_get(s, id, &text, &len, &sn, &a, &err)))
        rc = nv_cli_fail(&err);
    if (!rc)
        rc = show_text(o, &sn, text, len);
    nv_free(text);
    nv_arena_release(&a);
    nv_store_close(s);
    return rc;
}

static int do_diff(const struct nv_cmd_spec *spec, const struct store_opts *o,
                   const struct nv_strlist *args)
{
    struct nv_store *s = NULL;
    struct nv_model *m[2] = {NULL, NULL};
    struct nv_policy *p = NULL;
    char id[2][NV_SHA256_HEX], name[2][80], date[16];
    int rc = need_args(spec, args, 4, 4);

    if (!rc && o->packs.n)
        rc = nv_cli_load_policy(spec, &o->packs, &p);
    if (!rc)
        rc = nv_cli_date(spec, o->date, date, sizeof date);
    if (!rc)
        rc = nv_cli_open_store(args->items[1], &s);
    if (!rc)
        rc = nv_cli_load_snapshots(
            s, args->items[1], (const char *const *)args->items + 2, 2, m, id);
    for (int i = 0; i < 2 && !rc; i++)
        snprintf(name[i], sizeof name[i], "%.12s", id[i]);
    if (!rc) {
        struct nv_cli_diff c = {name[0], name[1], p, date, o->json};
        rc = nv_cli_diff(&c, m[0], m[1]);
    }
    nv_model_free(m[0]);
    nv_model_free(m[1]);
    nv_policy_free(p);
    nv_store_close(s);
    return rc;
}

static void text_posture_head(void)
{
    printf("%3s %-12s %-20s", "#", "snapshot", "time");
    for (int l = 0; l < NV_LEVEL_COUNT; l++)
        printf(" %6s", nv_level_names[l]);
    for (int i = 1; i <= NV_MARGIN_MAX + 1; i++)
        printf(" %s%d", i > NV_MARGIN_MAX ? "vm>" : "vm=",
               i > NV_MARGIN_MAX ? NV_MARGIN_MAX : i);
    printf(" %8s %5s %5s", "score", "viol", "err");
    for (int l = 0; l < NV_LAYER_COUNT; l++)
        printf(" %5.5s", nv_layer_names[l]);
    printf("  message\n");
}

static void text_posture_row(const struct nv_snapshot *sn,
                             const struct nv_posture *ps)
{
    const char *sep = "\n    violations by rule: ";

    printf("%3lld %.12s %-20s", (long long)sn->seq, sn->id, sn->time);
    for (int l = 0; l < NV_LEVEL_COUNT; l++)
        printf(" %6u", ps->flows[l]);
    for (int i = 1; i <= NV_MARGIN_MAX + 1; i++)
        if (ps->margins_known)
            printf(" %4u", ps->margins[0][i]);
        else
            printf(" %4s", "-");
    printf(" %8.1f %5u %5u", ps->score, ps->violations, ps->errors);
    for (int l = 0; l < NV_LAYER_COUNT; l++)
        printf(" %4.0f%%", 100 * ps->share[l]);
    printf("  %s", sn->message);
    for (uint32_t r = 0; r < ps->nrules; r++) {
        if (!ps->rules[r].n)
            continue;
        printf("%s%s %u", sep, ps->rules[r].id, ps->rules[r].n);
        sep = ", ";
    }
    putchar('\n');
}

static int print_posture(const struct nv_snapshots *l,
                         const struct nv_posture *rows, const char *date,
                         int json)
{
    struct nv_jsonw *w = json ? nv_jsonw_new(stdout, 1) : NULL;
    struct nv_err err = {0};
    enum nv_rc rc;

    if (json && !w)
        return NV_EXIT_INTERNAL;
    if (!w) {
        printf("posture on %s: flows by the worst level a high-risk or "
               "prohibited group reaches them at; flows by vendor margin "
               "(vm=1: one vendor can cut them); high-risk share of each "
               "layer\n",
               date);
        text_posture_head();
        for (uint32_t i = 0; i < l->n; i++)
            text_posture_row(&l->v[i], &rows[i]);
        return NV_EXIT_OK;
    }
    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    nv_jsonw_key(w, "date");
    nv_jsonw_str(w, date);
    nv_jsonw_key(w, "snapshots");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < l->n; i++) {
        nv_jsonw_obj(w);
        json_snapshot(w, &l->v[i]);
        nv_jsonw_key(w, "posture");
        nv_posture_write(&rows[i], w);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
    rc = nv_jsonw_finish(w, &err);
    nv_jsonw_free(w);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

static int do_posture(const struct nv_cmd_spec *spec,
                      const struct store_opts *o, const struct nv_strlist *args)
{
    struct nv_store *s = NULL;
    struct nv_policy *p = NULL;
    struct nv_snapshots l = {0};
    struct nv_posture *rows = NULL;
    char key[NV_SHA256_HEX], date[16];
    int rc = need_args(spec, args, 2, 2);

    if (!rc)
        rc = nv_cli_load_policy_digest(spec, &o->packs, &p, key);
    if (!rc)
        rc = nv_cli_date(spec, o->date, date, sizeof date);
    if (!rc)
        rc = nv_cli_open_store(args->items[1], &s);
    if (!rc)
        rc = nv_cli_posture(s, args->items[1], p, key, date, &l, &rows);
    if (!rc)
        rc = print_posture(&l, rows, date, o->json);
    nv_cli_posture_free(rows, l.n);
    nv_store_snapshots_release(&l);
    nv_policy_free(p);
    nv_store_close(s);
    return rc;
}

typedef int (*store_fn)(const struct nv_cmd_spec *spec,
                        const struct store_opts *o,
                        const struct nv_strlist *args);

static const struct {
    const char *name, *synopsis;
    store_fn run;
} subs[] = {
    {"init", "init DB", do_init},
    {"add", "add DB MODEL... --message TEXT", do_add},
    {"list", "list DB", do_list},
    {"show", "show DB REF", do_show},
    {"diff", "diff DB A B", do_diff},
    {"posture", "posture DB --policy PACK...", do_posture},
};

static int run(const struct nv_cmd_spec *spec, const struct store_opts *o,
               const struct nv_strlist *args)
{
    if (args->n == 0)
        return nv_cli_usage_error(spec, "name a store command: init, add, "
                                        "list, show, diff or posture");
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(args->items[0], subs[i].name) != 0)
            continue;
        struct nv_cmd_spec sub = *spec;
        sub.synopsis = subs[i].synopsis;
        return subs[i].run(&sub, o, args);
    }
    return nv_cli_usage_error(spec,
                              "'%s' is not a store command (init, add, "
                              "list, show, diff, posture)",
                              args->items[0]);
}

int cmd_store(int argc, char **argv)
{
    struct store_opts o;
    memset(&o, 0, sizeof o);
    const struct nv_opt opts[] = {
        {"message", NV_OPT_STRING, &o.message, "TEXT",
         "add: what changed and why (required)"},
        {"author", NV_OPT_STRING, &o.author, "WHO",
         "add: who adds the snapshot (default $USER)"},
        {"log", NV_OPT_STRING, &o.evidence.log, "DIR",
         "add: record the new snapshot in this evidence log"},
        {"log-key", NV_OPT_STRING, &o.evidence.key, "KEY",
         "add: the private key that signs the log's checkpoint"},
        {"output", NV_OPT_STRING, &o.output, "FILE",
         "show: write the snapshot's model to FILE ('-': stdout)"},
        {"policy", NV_OPT_LIST, &o.packs, "PACK",
         "diff, posture: a policy pack or file (repeatable)"},
        {"date", NV_OPT_STRING, &o.date, "YYYY-MM-DD",
         "diff, posture: the day rules are checked for (default today)"},
        {"json", NV_OPT_FLAG, &o.json, NULL, "list, diff, posture: print JSON"},
    };
    const struct nv_cmd_spec spec = {"store", "COMMAND DB [ARGS]",
                                     about,   examples,
                                     opts,    sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK)
        rc = run(&spec, &o, &args);
    nv_strlist_release(&args);
    nv_strlist_release(&o.packs);
    return rc < 0 ? NV_EXIT_OK : rc;
}
