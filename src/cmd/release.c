/*
 * release.c - `netvet release`: what may still be shared with partners,
 * over which channel, at which classification, and why.
 */
#include "core/alloc.h"
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "exposure/culprits.h"
#include "exposure/exposure.h"
#include "core/file.h"
#include "core/json.h"
#include "cmd/policyfile.h"
#include "policy/release.h"
#include "exposure/score.h"
#include "model/resolve.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char about[] =
    "Decide, for every partner, each of its channels (the flows that carry\n"
    "its traffic) and each classification, whether information may be\n"
    "released: allow, allow-if-encrypted, or deny.  A channel is judged by\n"
    "the worst level at which a high-risk or prohibited group reaches it\n"
    "(must > routed > failover > may), against the policy's release\n"
    "thresholds (`release CLASS tolerate LEVEL [encrypted LEVEL]`,\n"
    "docs/policy.md).  Each cell says which group, at which level, and\n"
    "which of its assets decided it.  With --item,\n"
    "decide one intelligence item (classification, releasable-to list,\n"
    "optionally a channel) instead.  Exit status 0 when everything asked\n"
    "may be released, 1 when something may not, 2 on bad input.";

static const char examples[] =
    "  netvet release examples/national/model.json --policy uk-2020\n"
    "  netvet release model.json --policy uk-2020 --item item.json\n"
    "  netvet release model.json --policy uk-2020 --json\n";

struct release_opts {
    struct nv_strlist packs, lists;
    const char *item;
    int json;
    struct nv_cli_evidence evidence;
};

struct ctx {
    const struct nv_model *m;
    const struct nv_exposure *x;
    struct nv_culprits *cf;
    const struct nv_policy *p;
};

/* One row of decisions: a partner's channel at every class (the matrix),
 * or, for an item, the partner's best channel in cell[0]. */
struct row {
    const struct nv_partner *pa;
    uint32_t flow; /* NV_NONE: no channel */
    struct nv_release_cell cell[NV_CLASS_COUNT];
};

/* Every decision of a run, made once; the text, the JSON and the evidence
 * log entry are all rendered from it, so what is logged is what was
 * printed. */
struct decisions {
    struct row *v;
    size_t n;
    int item;          /* rows of one cell each, for an item */
    enum nv_class cls; /* the item's classification */
    int denied;
};

/* The worst hostile group of channel f, its level and the assets that
 * give it. */
static void worst_text(const struct ctx *c, uint32_t f, char *out, size_t size)
{
    uint32_t g;
    enum nv_level lv = nv_score_hostile_level(c->x, f, &g);
    struct nv_err err = {0};
    size_t len;

    if (g == NV_NONE) {
        snprintf(out, size, "no high-risk group on any path");
        return;
    }
    snprintf(out, size, "%s at %s", c->x->groups.v[g].id, nv_level_names[lv]);
    if (nv_culprits_find(c->cf, f, g, &err))
        return;
    for (uint32_t i = 0; i < c->cf->nassets; i++) {
        len = strlen(out);
        snprintf(out + len, size - len, "%s%s", i ? ", " : " by ",
                 NV_ASSETS(c->m)[c->cf->assets[i]].id);
    }
}

/* Room for one row per partner channel, or per partner. */
static int alloc_rows(const struct nv_model *m, int item, struct decisions *d)
{
    size_t n = 0;

    for (uint32_t p = 0; p < NV_COUNT(m, NV_T_PARTNER); p++)
        n += item ? 1 : NV_PARTNERS(m)[p].channels.n;
    d->v = nv_calloc(n ? n : 1, sizeof *d->v);
    return d->v ? NV_EXIT_OK : NV_EXIT_INTERNAL;
}

static int decide_matrix(const struct ctx *c, struct decisions *d)
{
    if (alloc_rows(c->m, 0, d))
        return NV_EXIT_INTERNAL;
    for (uint32_t p = 0; p < NV_COUNT(c->m, NV_T_PARTNER); p++) {
        const struct nv_partner *pa = &NV_PARTNERS(c->m)[p];
        for (uint32_t k = 0; k < pa->channels.n; k++) {
            struct row *r = &d->v[d->n++];
            r->pa = pa;
            r->flow = pa->channels.v[k].idx;
            for (int cl = 0; cl < NV_CLASS_COUNT; cl++) {
                nv_release_decide(c->m, c->x, c->p, r->flow, (enum nv_class)cl,
                                  &r->cell[cl]);
                nv_release_name_assets(c->cf, r->flow, &r->cell[cl]);
                d->denied |= r->cell[cl].d != NV_RELEASE_ALLOW;
            }
        }
    }
    return NV_EXIT_OK;
}

static void matrix_text(const struct ctx *c, const struct decisions *d)
{
    char worst[256];

    printf("%-8s %-16s", "partner", "channel");
    for (int k = 0; k < NV_CLASS_COUNT; k++)
        printf(" %-18s", nv_class_names[k]);
    printf(" worst exposure to a high-risk group\n");
    for (size_t i = 0; i < d->n; i++) {
        const struct row *r = &d->v[i];
        printf("%-8s %-16s", r->pa->id, NV_FLOWS(c->m)[r->flow].id);
        for (int k = 0; k < NV_CLASS_COUNT; k++)
            printf(" %-18s", nv_release_names[r->cell[k].d]);
        worst_text(c, r->flow, worst, sizeof worst);
        printf(" %s%s\n", worst,
               NV_FLOWS(c->m)[r->flow].encrypted ? " (encrypted)" : "");
    }
    printf("\nthresholds decided by:\n");
    for (int k = 0; k < NV_CLASS_COUNT; k++) {
        const char *by = nv_policy_tolerance_source(c->p, (enum nv_class)k);
        printf("  %-13s %s\n", nv_class_names[k],
               by ? by : "no pack sets one: denied");
    }
}

static void matrix_json(struct nv_jsonw *w, const struct nv_model *m,
                        const struct decisions *d)
{
    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    nv_jsonw_key(w, "matrix");
    nv_jsonw_arr(w);
    for (size_t i = 0; i < d->n; i++) {
        const struct row *r = &d->v[i];
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "partner");
        nv_jsonw_str(w, r->pa->id);
        nv_jsonw_key(w, "channel");
        nv_jsonw_str(w, NV_FLOWS(m)[r->flow].id);
        nv_jsonw_key(w, "encrypted");
        nv_jsonw_bool(w, NV_FLOWS(m)[r->flow].encrypted);
        nv_jsonw_key(w, "decisions");
        nv_jsonw_obj(w);
        for (int k = 0; k < NV_CLASS_COUNT; k++) {
            nv_jsonw_key(w, nv_class_names[k]);
            nv_jsonw_obj(w);
            nv_jsonw_key(w, "decision");
            nv_jsonw_str(w, nv_release_names[r->cell[k].d]);
            nv_jsonw_key(w, "why");
            nv_jsonw_str(w, r->cell[k].why);
            nv_jsonw_obj_end(w);
        }
        nv_jsonw_obj_end(w);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
}

/* An intelligence item: its class, who it may go to, and perhaps the
 * channel it would travel on. */
struct item {
    enum nv_class cls;
    const struct nv_json *rel; /* array of partner ids */
    const char *channel;
};

/* Up to three of names[0..n) closest to s, ", "-separated, into out. */
static void closest(const char *s, const char *const *names, uint32_t n,
                    char *out, size_t size)
{
    size_t limit = strlen(s) / 3 + 1, used = 0;

    out[0] = '\0';
    for (size_t d = 0; d <= limit; d++)
        for (uint32_t i = 0; i < n && used + 1 < size; i++)
            if (nv_resolve_distance(s, names[i]) == d)
                used += (size_t)snprintf(out + used, size - used, "%s%s",
                                         used ? ", " : "", names[i]);
}

/* Whether name is one of names[0..n), in any case; if not, the closest
 * into near. */
static int known(const char *name, const char *const *names, uint32_t n,
                 char *near, size_t size)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcasecmp(name, names[i]) == 0)
            return 1;
    closest(name, names, n, near, size);
    return 0;
}

/* The ids of the model's partners (channels: of their channels). */
static const char **ids_of(const struct nv_model *m, int channels, uint32_t *n)
{
    uint32_t room = 1;
    const char **v;

    for (uint32_t p = 0; p < NV_COUNT(m, NV_T_PARTNER); p++)
        room += channels ? NV_PARTNERS(m)[p].channels.n : 1;
    v = nv_calloc(room, sizeof *v);
    *n = 0;
    for (uint32_t p = 0; v && p < NV_COUNT(m, NV_T_PARTNER); p++) {
        const struct nv_partner *pa = &NV_PARTNERS(m)[p];
        if (!channels)
            v[(*n)++] = pa->id;
        for (uint32_t k = 0; channels && k < pa->channels.n; k++)
            v[(*n)++] = NV_FLOWS(m)[pa->channels.v[k].idx].id;
    }
    return v;
}

/* One name of the item (a partner or the channel) that the model must
 * know; an error at its position, with suggestions, when it does not. */
static enum nv_rc check_name(const struct nv_model *m, const struct nv_file *f,
                             const char *path, const struct nv_json *j,
                             int channel, struct nv_err *err)
{
    uint32_t n;
    const char **ids = ids_of(m, channel, &n);
    char near[160];
    enum nv_rc rc = NV_OK;

    if (!ids)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    if (j->type != NV_JSON_STRING)
        rc = nv_json_error_at(err, NV_EPARSE, f->data, f->len, path, j->off,
                              "a %s is named by a string",
                              channel ? "channel" : "partner");
    else if (!known(j->u.str, ids, n, near, sizeof near))
        rc = nv_json_error_at(err, NV_EPARSE, f->data, f->len, path, j->off,
                              "no %s '%s' in the model%s%s%s",
                              channel ? "partner channel" : "partner", j->u.str,
                              near[0] ? "; did you mean " : "", near,
                              near[0] ? "?" : "");
    nv_free(ids);
    return rc;
}

/* Every partner and the channel of the item, known to the model. */
static enum nv_rc check_item(const struct nv_model *m, const struct nv_file *f,
                             const char *path, const struct nv_json *root,
                             const struct item *it, struct nv_err *err)
{
    const struct nv_json *ch = nv_json_get(root, "channel");
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < it->rel->len && !rc; i++)
        rc = check_name(m, f, path, &it->rel->u.items[i], 0, err);
    if (!rc && ch)
        rc = check_name(m, f, path, ch, 1, err);
    return rc;
}

static int read_item(const struct nv_model *m, const char *path,
                     struct nv_arena *a, struct item *it)
{
    struct nv_file f;
    struct nv_json *root;
    const struct nv_json *cls, *ch;
    struct nv_err err = {0};
    int k;
    enum nv_rc rc = nv_file_read(&f, path, (size_t)1 << 20, &err);
    int opened = rc == NV_OK;

    rc = rc ? rc : nv_json_parse(f.data, f.len, path, a, &root, &err);
    if (!rc) {
        cls = nv_json_get(root, "classification");
        it->rel = nv_json_get(root, "releasable_to");
        ch = nv_json_get(root, "channel");
        k = cls && cls->type == NV_JSON_STRING
                ? nv_name_index(nv_class_names, NV_CLASS_COUNT, cls->u.str,
                                cls->len)
                : -1;
        if (k < 0 || !it->rel || it->rel->type != NV_JSON_ARRAY)
            rc = nv_json_error_at(&err, NV_EPARSE, f.data, f.len, path,
                                  root->off,
                                  "an item needs \"classification\" (a "
                                  "level) and \"releasable_to\" (an array "
                                  "of partner ids)");
        it->cls = (enum nv_class)(k < 0 ? 0 : k);
        it->channel = ch && ch->type == NV_JSON_STRING ? ch->u.str : NULL;
    }
    if (!rc)
        rc = check_item(m, &f, path, root, it, &err);
    if (opened)
        nv_file_release(&f);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

static int releasable(const struct item *it, const char *partner)
{
    for (size_t i = 0; i < it->rel->len; i++)
        if (it->rel->u.items[i].type == NV_JSON_STRING &&
            strcasecmp(it->rel->u.items[i].u.str, partner) == 0)
            return 1;
    return 0;
}

/* The best channel of a partner for the item into r. */
static void best_channel(const struct ctx *c, const struct item *it,
                         struct row *r)
{
    struct nv_release_cell *best = &r->cell[0];

    r->flow = NV_NONE;
    best->d = NV_RELEASE_DENY;
    snprintf(best->why, sizeof best->why, "no channel%s%s",
             it->channel ? " named " : "", it->channel ? it->channel : "");
    for (uint32_t k = 0; k < r->pa->channels.n; k++) {
        uint32_t f = r->pa->channels.v[k].idx;
        struct nv_release_cell cell;
        if (it->channel && strcasecmp(NV_FLOWS(c->m)[f].id, it->channel) != 0)
            continue;
        nv_release_decide(c->m, c->x, c->p, f, it->cls, &cell);
        nv_release_name_assets(c->cf, f, &cell);
        if (r->flow == NV_NONE || cell.d < best->d) {
            *best = cell;
            r->flow = f;
        }
    }
}

static int decide_item(const struct ctx *c, const char *path,
                       struct decisions *d)
{
    struct nv_arena a;
    struct item it = {NV_CLASS_UNCLASSIFIED, NULL, NULL};
    int rc;

    nv_arena_init(&a);
    rc = read_item(c->m, path, &a, &it);
    if (!rc)
        rc = alloc_rows(c->m, 1, d);
    d->item = 1;
    d->cls = it.cls;
    for (uint32_t p = 0; !rc && p < NV_COUNT(c->m, NV_T_PARTNER); p++) {
        struct row *r = &d->v[d->n++];
        r->pa = &NV_PARTNERS(c->m)[p];
        r->flow = NV_NONE;
        r->cell[0] = (struct nv_release_cell){NV_RELEASE_DENY,
                                              "not releasable to this partner"};
        if (!releasable(&it, r->pa->id))
            continue;
        best_channel(c, &it, r);
        d->denied |= r->cell[0].d != NV_RELEASE_ALLOW;
    }
    nv_arena_release(&a);
    return rc;
}

static void item_text(const struct nv_model *m, const struct decisions *d)
{
    printf("item classified %s\n%-8s %-18s %-16s %s\n", nv_class_names[d->cls],
           "partner", "decision", "channel", "why");
    for (size_t i = 0; i < d->n; i++) {
        const struct row *r = &d->v[i];
        printf(
            "%-8s %-18s %-16s %s\n", r->pa->id, nv_release_names[r->cell[0].d],
            r->flow == NV_NONE ? "-" : NV_FLOWS(m)[r->flow].id, r->cell[0].why);
    }
}

static void item_json(struct nv_jsonw *w, const struct nv_model *m,
                      const struct decisions *d)
{
    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    nv_jsonw_key(w, "classification");
    nv_jsonw_str(w, nv_class_names[d->cls]);
    nv_jsonw_key(w, "decisions");
    nv_jsonw_arr(w);
    for (size_t i = 0; i < d->n; i++) {
        const struct row *r = &d->v[i];
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "partner");
        nv_jsonw_str(w, r->pa->id);
        nv_jsonw_key(w, "decision");
        nv_jsonw_str(w, nv_release_names[r->cell[0].d]);
        nv_jsonw_key(w, "channel");
        nv_jsonw_str_or_null(w, r->flow == NV_NONE ? NULL
                                                   : NV_FLOWS(m)[r->flow].id);
        nv_jsonw_key(w, "why");
        nv_jsonw_str(w, r->cell[0].why);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
}

/* The decisions as JSON: the --json document, and the log entry's. */
struct rendered {
    const struct nv_model *m;
    const struct decisions *d;
};

static void decisions_json(struct nv_jsonw *w, const struct rendered *r)
{
    if (r->d->item)
        item_json(w, r->m, r->d);
    else
        matrix_json(w, r->m, r->d);
}

static void log_decisions(struct nv_jsonw *w, const void *arg)
{
    const struct rendered *r = arg;

    nv_jsonw_key(w, r->d->item ? "item" : "release");
    decisions_json(w, r);
}

static int print_decisions(const struct ctx *c, const struct decisions *d,
                           int json)
{
    struct rendered r = {c->m, d};
    struct nv_err err = {0};
    struct nv_jsonw *w;

    if (!json) {
        if (d->item)
            item_text(c->m, d);
        else
            matrix_text(c, d);
        return NV_EXIT_OK;
    }
    w = nv_jsonw_new(stdout, 0);
    if (!w)
        return NV_EXIT_INTERNAL;
    decisions_json(w, &r);
    int rc = nv_jsonw_finish(w, &err) ? nv_cli_fail(&err) : NV_EXIT_OK;
    nv_jsonw_free(w);
    return rc;
}

static int run(const struct nv_cmd_spec *spec, const struct release_opts *o,
               struct nv_strlist *args)
{
    struct nv_model *m = NULL;
    struct nv_policy *p = NULL;
    struct nv_exposure x = {0};
    struct decisions d = {0};
    struct nv_culprits cf = {0};
    struct nv_err err = {0};
    int rc = nv_cli_load_policy(spec, &o->packs, &p);

    if (!rc)
        rc = nv_cli_load_model(spec, args, &o->lists, &m);
    if (!rc && nv_cli_exposure(m, 0, &x, &err))
        rc = nv_cli_fail(&err);
    if (!rc && nv_culprits_init(&cf, m, &x, &err))
        rc = nv_cli_fail(&err);
    struct ctx c = {m, &x, &cf, p};
    if (!rc)
        rc = o->item ? decide_item(&c, o->item, &d) : decide_matrix(&c, &d);
    if (!rc)
        rc = print_decisions(&c, &d, o->json);
    if (!rc) {
        struct rendered r = {m, &d};
        rc = nv_cli_evidence_record(&o->evidence, "release", log_decisions, &r);
    }
    nv_free(d.v);
    if (cf.m)
        nv_culprits_release(&cf);
    nv_exposure_release(&x);
    nv_model_free(m);
    nv_policy_free(p);
    return !rc && d.denied ? NV_EXIT_FINDINGS : rc;
}

int cmd_release(int argc, char **argv)
{
    struct release_opts o = {{NULL, 0}, {NULL, 0}, NULL, 0, {NULL, NULL}};
    const struct nv_opt opts[] = {
        {"policy", NV_OPT_LIST, &o.packs, "PACK",
         "a policy pack or file with release thresholds (repeatable)"},
        {"item", NV_OPT_STRING, &o.item, "ITEM.json",
         "decide one item: classification, releasable_to, channel"},
        {"json", NV_OPT_FLAG, &o.json, NULL, "print the decisions as JSON"},
        {"log", NV_OPT_STRING, &o.evidence.log, "DIR",
         "append the decisions to this evidence log"},
        {"log-key", NV_OPT_STRING, &o.evidence.key, "KEY",
         "private key that signs the log's checkpoints"},
        {"list", NV_OPT_LIST, &o.lists, "FILE",
         "screen unresolved vendors against this list (repeatable)"},
    };
    const struct nv_cmd_spec spec = {"release", "MODEL...",
                                     about,     examples,
                                     opts,      sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK)
        rc = nv_cli_evidence_check(&spec, &o.evidence);
    if (rc == NV_EXIT_OK)
        rc = run(&spec, &o, &args);
    nv_strlist_release(&args);
    nv_strlist_release(&o.packs);
    nv_strlist_release(&o.lists);
    return rc < 0 ? NV_EXIT_OK : rc;
}
