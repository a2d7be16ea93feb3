/*
 * release.c - `netvet release`: what may still be shared with partners,
 * over which channel, at which classification, and why.
 */
#include "core/alloc.h"
#include "cmd/cli.h"
#include "cmd/cmd.h"
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
    "(must > routed > may), against the policy's release thresholds\n"
    "(`release CLASS tolerate LEVEL [encrypted LEVEL]`, docs/policy.md).\n"
    "Each cell says which group, at which level, decided it.  With --item,\n"
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
    const struct nv_policy *p;
    struct nv_jsonw *w;
    int denied;
};

static void worst_text(const struct ctx *c, uint32_t f, char *out, size_t size)
{
    uint32_t g;
    enum nv_level lv = nv_score_hostile_level(c->x, f, &g);

    if (g == NV_NONE)
        snprintf(out, size, "no high-risk group on any path");
    else
        snprintf(out, size, "%s at %s", c->x->groups.v[g].id,
                 nv_level_names[lv]);
}

static void text_row(struct ctx *c, const struct nv_partner *pa, uint32_t f)
{
    char worst[128];

    printf("%-8s %-16s", pa->id, NV_FLOWS(c->m)[f].id);
    for (int k = 0; k < NV_CLASS_COUNT; k++) {
        struct nv_release_cell cell;
        nv_release_decide(c->m, c->x, c->p, f, (enum nv_class)k, &cell);
        c->denied |= cell.d != NV_RELEASE_ALLOW;
        printf(" %-18s", nv_release_names[cell.d]);
    }
    worst_text(c, f, worst, sizeof worst);
    printf(" %s%s\n", worst, NV_FLOWS(c->m)[f].encrypted ? " (encrypted)" : "");
}

static void json_row(struct ctx *c, const struct nv_partner *pa, uint32_t f)
{
    struct nv_jsonw *w = c->w;

    nv_jsonw_obj(w);
    nv_jsonw_key(w, "partner");
    nv_jsonw_str(w, pa->id);
    nv_jsonw_key(w, "channel");
    nv_jsonw_str(w, NV_FLOWS(c->m)[f].id);
    nv_jsonw_key(w, "encrypted");
    nv_jsonw_bool(w, NV_FLOWS(c->m)[f].encrypted);
    nv_jsonw_key(w, "decisions");
    nv_jsonw_obj(w);
    for (int k = 0; k < NV_CLASS_COUNT; k++) {
        struct nv_release_cell cell;
        nv_release_decide(c->m, c->x, c->p, f, (enum nv_class)k, &cell);
        c->denied |= cell.d != NV_RELEASE_ALLOW;
        nv_jsonw_key(w, nv_class_names[k]);
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "decision");
        nv_jsonw_str(w, nv_release_names[cell.d]);
        nv_jsonw_key(w, "why");
        nv_jsonw_str(w, cell.why);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_obj_end(w);
    nv_jsonw_obj_end(w);
}

static void matrix(struct ctx *c)
{
    if (c->w) {
        nv_jsonw_obj(c->w);
        nv_jsonw_key(c->w, "matrix");
        nv_jsonw_arr(c->w);
    } else {
        printf("%-8s %-16s", "partner", "channel");
        for (int k = 0; k < NV_CLASS_COUNT; k++)
            printf(" %-18s", nv_class_names[k]);
        printf(" worst exposure to a high-risk group\n");
    }
    for (uint32_t p = 0; p < NV_COUNT(c->m, NV_T_PARTNER); p++) {
        const struct nv_partner *pa = &NV_PARTNERS(c->m)[p];
        for (uint32_t k = 0; k < pa->channels.n; k++) {
            if (c->w)
                json_row(c, pa, pa->channels.v[k].idx);
            else
                text_row(c, pa, pa->channels.v[k].idx);
        }
    }
    if (c->w) {
        nv_jsonw_arr_end(c->w);
        nv_jsonw_obj_end(c->w);
        return;
    }
    printf("\nthresholds decided by:\n");
    for (int k = 0; k < NV_CLASS_COUNT; k++) {
        const char *by = nv_policy_tolerance_source(c->p, (enum nv_class)k);
        printf("  %-13s %s\n", nv_class_names[k],
               by ? by : "no pack sets one: denied");
    }
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
    struct nv_err err;
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

/* The best channel of a partner for the item: its decision and why. */
static uint32_t best_channel(const struct ctx *c, const struct nv_partner *pa,
                             const struct item *it,
                             struct nv_release_cell *best)
{
    uint32_t chosen = NV_NONE;

    best->d = NV_RELEASE_DENY;
    snprintf(best->why, sizeof best->why, "no channel%s%s",
             it->channel ? " named " : "", it->channel ? it->channel : "");
    for (uint32_t k = 0; k < pa->channels.n; k++) {
        uint32_t f = pa->channels.v[k].idx;
        struct nv_release_cell cell;
        if (it->channel && strcasecmp(NV_FLOWS(c->m)[f].id, it->channel) != 0)
            continue;
        nv_release_decide(c->m, c->x, c->p, f, it->cls, &cell);
        if (chosen == NV_NONE || cell.d < best->d) {
            *best = cell;
            chosen = f;
        }
    }
    return chosen;
}

static void item_partner(struct ctx *c, const struct nv_partner *pa,
                         const struct item *it)
{
    struct nv_release_cell cell = {NV_RELEASE_DENY,
                                   "not releasable to this partner"};
    uint32_t f =
        releasable(it, pa->id) ? best_channel(c, pa, it, &cell) : NV_NONE;

    c->denied |= releasable(it, pa->id) && cell.d != NV_RELEASE_ALLOW;
    if (!c->w) {
        printf("%-8s %-18s %-16s %s\n", pa->id, nv_release_names[cell.d],
               f == NV_NONE ? "-" : NV_FLOWS(c->m)[f].id, cell.why);
        return;
    }
    nv_jsonw_obj(c->w);
    nv_jsonw_key(c->w, "partner");
    nv_jsonw_str(c->w, pa->id);
    nv_jsonw_key(c->w, "decision");
    nv_jsonw_str(c->w, nv_release_names[cell.d]);
    nv_jsonw_key(c->w, "channel");
    nv_jsonw_str_or_null(c->w, f == NV_NONE ? NULL : NV_FLOWS(c->m)[f].id);
    nv_jsonw_key(c->w, "why");
    nv_jsonw_str(c->w, cell.why);
    nv_jsonw_obj_end(c->w);
}

static int decide_item(struct ctx *c, const char *path)
{
    struct nv_arena a;
    struct item it = {NV_CLASS_UNCLASSIFIED, NULL, NULL};
    int rc;

    nv_arena_init(&a);
    rc = read_item(c->m, path, &a, &it);
    if (!rc && c->w) {
        nv_jsonw_obj(c->w);
        nv_jsonw_key(c->w, "classification");
        nv_jsonw_str(c->w, nv_class_names[it.cls]);
        nv_jsonw_key(c->w, "decisions");
        nv_jsonw_arr(c->w);
    } else if (!rc) {
        printf("item classified %s\n%-8s %-18s %-16s %s\n",
               nv_class_names[it.cls], "partner", "decision", "channel", "why");
    }
    for (uint32_t p = 0; !rc && p < NV_COUNT(c->m, NV_T_PARTNER); p++)
        item_partner(c, &NV_PARTNERS(c->m)[p], &it);
    if (!rc && c->w) {
        nv_jsonw_arr_end(c->w);
        nv_jsonw_obj_end(c->w);
    }
    nv_arena_release(&a);
    return rc;
}

/* The decisions again, as JSON, into the evidence log's entry. */
struct evidence {
    struct ctx c;
    const char *item;
};

static void log_decisions(struct nv_jsonw *w, const void *arg)
{
    const struct evidence *e = arg;
    struct ctx c = e->c;
    c.w = w;
    nv_jsonw_key(w, e->item ? "item" : "release");
    if (e->item && decide_item(&c, e->item))
        nv_jsonw_null(w);
    else if (!e->item)
        matrix(&c);
}

static int run(const struct nv_cmd_spec *spec, const struct release_opts *o,
               struct nv_strlist *args)
{
    struct ctx c = {NULL, NULL, NULL, NULL, 0};
    struct nv_model *m = NULL;
    struct nv_policy *p = NULL;
    struct nv_exposure x = {0};
    struct nv_err err;
    int rc = nv_cli_load_policy(spec, &o->packs, &p);

    if (!rc)
        rc = nv_cli_load_model(spec, args, &o->lists, &m);
    if (!rc && nv_exposure_compute(m, 0, &x, &err))
        rc = nv_cli_fail(&err);
    c = (struct ctx){m, &x, p, o->json ? nv_jsonw_new(stdout, 0) : NULL, 0};
    if (!rc && o->json && !c.w)
        rc = NV_EXIT_INTERNAL;
    if (!rc && o->item)
        rc = decide_item(&c, o->item);
    else if (!rc)
        matrix(&c);
    if (!rc && c.w && nv_jsonw_finish(c.w, &err))
        rc = nv_cli_fail(&err);
    if (!rc) {
        struct evidence e = {c, o->item};
        rc = nv_cli_evidence_record(&o->evidence, "release", log_decisions, &e);
    }
    nv_jsonw_free(c.w);
    nv_exposure_release(&x);
    nv_model_free(m);
    nv_policy_free(p);
    return !rc && c.denied ? NV_EXIT_FINDINGS : rc;
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
