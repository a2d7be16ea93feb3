/*
 * history.c - versions of a model named on the command line, and the
 * diff of two of them printed (history.h).
 */
#include "cmd/history.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/json.h"
#include "model/load.h"
#include "model/mdiff.h"
#include "model/schema.h"
#include "store/findings.h"
#include "store/posture.h"

#include "core/threads.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Lines of each kind of change printed as text; --json lists all. */
#define SHOWN 40

int nv_cli_open_store(const char *path, struct nv_store **s)
{
    struct nv_err err = {0};

    nv_err_clear(&err);
    if (nv_store_open(path, s, &err))
        return nv_cli_fail(&err);
    if (nv_store_backup(*s)[0])
        fprintf(stderr,
                "netvet: %s: store migrated from schema version %d to %d; "
                "the old file is kept as %s\n",
                path, nv_store_opened_version(*s), NV_STORE_SCHEMA,
                nv_store_backup(*s));
    return NV_EXIT_OK;
}

/*
 * Loading versions: the store is read here, in order; the models are
 * then parsed on a thread each, since a diff loads two and parsing is
 * most of its time.
 */
struct job {
    const struct nv_strlist *files; /* model files, or NULL: text */
    char *text;                     /* a snapshot's model */
    size_t len;
    char name[4200];
    struct nv_model *m;
    struct nv_err err;
    enum nv_rc rc;
};

struct jobs {
    struct job *v;
    unsigned n;
    atomic_uint next;
};

static void run_job(struct job *j)
{
    if (j->files) {
        j->rc = nv_load_model(j->files->items, j->files->n, &j->m, &j->err);
        return;
    }
    j->m = nv_model_new();
    j->rc = j->m ? nv_load_text(j->m, j->name, j->text, j->len, &j->err)
                 : nv_err_set(&j->err, NV_ENOMEM, "out of memory");
    if (!j->rc)
        j->rc = nv_model_finish(j->m, &j->err);
}

static void *job_worker(void *ctx)
{
    struct jobs *js = ctx;
    unsigned i;

    while ((i = atomic_fetch_add(&js->next, 1)) < js->n)
        run_job(&js->v[i]);
    return NULL;
}

/* Run the jobs, then report the first failure; on success each m[i] is
 * the model of job i. */
static int run_jobs(struct job *v, unsigned n, struct nv_model **m)
{
    struct jobs js = {v, n, 0};
    int rc = NV_EXIT_OK;

    nv_threads_run((int)n, job_worker, &js);
    for (unsigned i = 0; i < n; i++) {
        if (!rc && v[i].rc)
            rc = nv_cli_fail(&v[i].err);
        nv_free(v[i].text);
        if (rc || v[i].rc) {
            nv_model_free(v[i].m);
            v[i].m = NULL;
        }
    }
    for (unsigned i = 0; i < n; i++) {
        if (rc)
            nv_model_free(v[i].m);
        m[i] = rc ? NULL : v[i].m;
    }
    return rc;
}

/* Read snapshot ref of store s (at path) into job j. */
static int read_snapshot(struct nv_store *s, const char *path, const char *ref,
                         struct job *j, char id[NV_SHA256_HEX])
{
    nv_err_clear(&j->err);
    if (nv_store_resolve(s, ref, id, &j->err) ||
        nv_store_get(s, id, &j->text, &j->len, NULL, NULL, &j->err))
        return nv_cli_fail(&j->err);
    snprintf(j->name, sizeof j->name, "%s@%.12s", path, id);
    return NV_EXIT_OK;
}

int nv_cli_load_snapshots(struct nv_store *s, const char *path,
                          const char *const *refs, unsigned n,
                          struct nv_model **m, char (*ids)[NV_SHA256_HEX])
{
    struct job v[2];
    int rc = NV_EXIT_OK;

    memset(v, 0, sizeof v);
    for (unsigned i = 0; i < n && i < 2 && !rc; i++)
        rc = read_snapshot(s, path, refs[i], &v[i], ids[i]);
    if (!rc)
        return run_jobs(v, n < 2 ? n : 2, m);
    for (unsigned i = 0; i < 2; i++)
        nv_free(v[i].text);
    return rc;
}

int nv_cli_load_snapshot(struct nv_store *s, const char *path, const char *ref,
                         struct nv_model **m, char id[NV_SHA256_HEX])
{
    return nv_cli_load_snapshots(s, path, &ref, 1, m,
                                 (char(*)[NV_SHA256_HEX])id);
}

/* Whether arg is STORE@REF: no file itself, STORE one.  *at is the
 * separator (the last '@'). */
static int store_ref(const char *arg, const char **at)
{
    struct stat st;
    char store[4096];

    *at = strrchr(arg, '@');
    if (!*at || stat(arg, &st) == 0 || (size_t)(*at - arg) >= sizeof store)
        return 0;
    memcpy(store, arg, (size_t)(*at - arg));
    store[*at - arg] = '\0';
    return stat(store, &st) == 0 && S_ISREG(st.st_mode);
}

/* Make job j of one version named on the command line. */
static int version_job(const struct nv_cmd_spec *spec,
                       const struct nv_strlist *files, struct job *j)
{
    const char *at;
    char store[4096], id[NV_SHA256_HEX];
    struct nv_store *s = NULL;
    int rc;

    if (files->n == 0)
        return nv_cli_usage_error(spec, "name at least one MODEL file");
    if (files->n != 1 || !store_ref(files->items[0], &at)) {
        j->files = files;
        return NV_EXIT_OK;
    }
    memcpy(store, files->items[0], (size_t)(at - files->items[0]));
    store[at - files->items[0]] = '\0';
    rc = nv_cli_open_store(store, &s);
    if (!rc)
        rc = read_snapshot(s, store, at + 1, j, id);
    nv_store_close(s);
    return rc;
}

int nv_cli_load_version(const struct nv_cmd_spec *spec,
                        const struct nv_strlist *files, struct nv_model **m)
{
    struct job v;
    int rc;

    memset(&v, 0, sizeof v);
    rc = version_job(spec, files, &v);
    if (!rc)
        return run_jobs(&v, 1, m);
    nv_free(v.text);
    return rc;
}

int nv_cli_load_versions(const struct nv_cmd_spec *spec,
                         const struct nv_strlist files[2],
                         struct nv_model *m[2])
{
    struct job v[2];
    int rc = NV_EXIT_OK;

    memset(v, 0, sizeof v);
    for (int i = 0; i < 2 && !rc; i++)
        rc = version_job(spec, &files[i], &v[i]);
    if (!rc)
        return run_jobs(v, 2, m);
    nv_free(v[0].text);
    nv_free(v[1].text);
    return rc;
}

/* ---- the model's changes ---- */

struct out {
    const struct nv_model *a, *b;
    struct nv_jsonw *w; /* NULL: text */
    struct nv_buf buf;
};

static const char *key_of(struct out *o, const struct nv_mdiff_item *it)
{
    nv_buf_reset(&o->buf);
    if (it->kind == NV_MDIFF_REMOVED)
        (void)!nv_mdiff_key(o->a, it->table, it->a, &o->buf);
    else
        (void)!nv_mdiff_key(o->b, it->table, it->b, &o->buf);
    return o->buf.len ? o->buf.data : "";
}

static const char *value_of(struct out *o, const struct nv_model *m,
                            enum nv_table t, uint32_t i, int f)
{
    nv_buf_reset(&o->buf);
    (void)!nv_mdiff_value(m, t, i, f, &o->buf);
    return o->buf.len ? o->buf.data : "";
}

/* An added or removed record: the fields its file gave, id aside. */
static void text_fields(struct out *o, const struct nv_model *m,
                        enum nv_table t, uint32_t i)
{
    const struct nv_schema *s = &nv_schemas[t];
    uint32_t set =
        ((const struct nv_rec *)((const char *)m->t[t].v + (size_t)i * s->size))
            ->set;
    const char *sep = " (";

    for (int f = 0; f < s->nfields; f++) {
        if (!(set & (1u << f)) || (s->fields[f].flags & NV_F_ID))
            continue;
        printf("%s%s %s", sep, s->fields[f].name, value_of(o, m, t, i, f));
        sep = ", ";
    }
    printf("%s\n", sep[0] == ',' ? ")" : "");
}

static void text_change(struct out *o, const struct nv_mdiff_item *it)
{
    static const char mark[] = "+-~";
    const struct nv_schema *s = &nv_schemas[it->table];

    printf("  %c %s %s", mark[it->kind], s->noun, key_of(o, it));
    if (it->kind != NV_MDIFF_CHANGED) {
        text_fields(o, it->kind == NV_MDIFF_ADDED ? o->b : o->a, it->table,
                    it->kind == NV_MDIFF_ADDED ? it->b : it->a);
        return;
    }
    for (int f = 0, first = 1; f < s->nfields; f++) {
        if (!(it->fields & (1u << f)))
            continue;
        printf("%s %s %s", first ? ":" : ";", s->fields[f].name,
               value_of(o, o->a, it->table, it->a, f));
        printf(" -> %s", value_of(o, o->b, it->table, it->b, f));
        first = 0;
    }
    putchar('\n');
}

static void text_model(struct out *o, const struct nv_mdiff *d)
{
    uint32_t shown[NV_T_COUNT][3] = {{0}};

    printf("model: %u changes\n", d->n);
    for (int t = 0; t < NV_T_COUNT; t++)
        if (d->count[t][0] + d->count[t][1] + d->count[t][2])
            printf("  %s: %u added, %u removed, %u changed\n",
                   nv_schemas[t].name, d->count[t][NV_MDIFF_ADDED],
                   d->count[t][NV_MDIFF_REMOVED],
                   d->count[t][NV_MDIFF_CHANGED]);
    for (uint32_t i = 0; i < d->n; i++) {
        const struct nv_mdiff_item *it = &d->v[i];
        uint32_t k = shown[it->table][it->kind]++;
        if (k < SHOWN)
            text_change(o, it);
        else if (k == SHOWN)
            printf("  ... %u more %s %s (--json lists all)\n",
                   d->count[it->table][it->kind] - SHOWN,
                   nv_schemas[it->table].name, nv_mdiff_kind_names[it->kind]);
    }
}

static void json_change(struct out *o, const struct nv_mdiff_item *it)
{
    const struct nv_schema *s = &nv_schemas[it->table];
    struct nv_jsonw *w = o->w;

    nv_jsonw_obj(w);
    nv_jsonw_key(w, "table");
    nv_jsonw_str(w, s->name);
    nv_jsonw_key(w, "change");
    nv_jsonw_str(w, nv_mdiff_kind_names[it->kind]);
    nv_jsonw_key(w, "id");
    nv_jsonw_str(w, key_of(o, it));
    if (it->kind == NV_MDIFF_CHANGED) {
        nv_jsonw_key(w, "fields");
        nv_jsonw_arr(w);
        for (int f = 0; f < s->nfields; f++) {
            if (!(it->fields & (1u << f)))
                continue;
            nv_jsonw_obj(w);
            nv_jsonw_key(w, "name");
            nv_jsonw_str(w, s->fields[f].name);
            nv_jsonw_key(w, "old");
            nv_jsonw_str(w, value_of(o, o->a, it->table, it->a, f));
            nv_jsonw_key(w, "new");
            nv_jsonw_str(w, value_of(o, o->b, it->table, it->b, f));
            nv_jsonw_obj_end(w);
        }
        nv_jsonw_arr_end(w);
    }
    nv_jsonw_obj_end(w);
}

static void json_model(struct out *o, const struct nv_mdiff *d)
{
    struct nv_jsonw *w = o->w;

    nv_jsonw_key(w, "model");
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "counts");
    nv_jsonw_obj(w);
    for (int t = 0; t < NV_T_COUNT; t++) {
        nv_jsonw_key(w, nv_schemas[t].name);
        nv_jsonw_obj(w);
        for (int k = 0; k < 3; k++) {
            nv_jsonw_key(w, nv_mdiff_kind_names[k]);
            nv_jsonw_int(w, d->count[t][k]);
        }
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_obj_end(w);
    nv_jsonw_key(w, "changes");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < d->n; i++)
        json_change(o, &d->v[i]);
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
}

/* ---- the findings they moved ---- */

static const char *flow_id(const struct out *o, const struct nv_fdiff_level *l)
{
    return NV_FLOWS(o->b)[l->fb].id;
}

static void text_levels(const struct out *o, const struct nv_fdiff *d)
{
    printf("exposure: %u levels changed, %u of them to high-risk or "
           "prohibited groups rose\n",
           d->nlevels, d->rose);
    for (uint32_t i = 0; i < d->nlevels && i < SHOWN; i++) {
        const struct nv_fdiff_level *l = &d->levels[i];
        printf("  %s %-16s %-24s %s -> %s%s%s\n", l->to > l->from ? "^" : "v",
               flow_id(o, l), l->group, nv_level_names[l->from],
               nv_level_names[l->to], l->hostile ? "  (high-risk)" : "",
               l->fa == NV_NONE ? "  (new flow)" : "");
    }
    if (d->nlevels > SHOWN)
        printf("  ... %u more (--json lists all)\n", d->nlevels - SHOWN);
}

/* "2 (vendor:a, vendor:b)", "more than 3", "0 (ends not connected)" */
static void text_margin(const struct nv_findings *f, const struct nv_margin *mg)
{
    if (mg->k > NV_MARGIN_MAX) {
        printf("more than %d", NV_MARGIN_MAX);
        return;
    }
    printf("%d (%s", mg->k, mg->k ? "" : "ends not connected");
    for (int i = 0; i < mg->k; i++)
        printf("%s%s", i ? ", " : "", f->x.groups.v[mg->witness[i]].id);
    putchar(')');
}

static void text_margins(const struct out *o, const struct nv_findings f[2],
                         const struct nv_fdiff *d)
{
    if (!d->margins_known) {
        printf("margin: not compared (too many groups reach the flows to "
               "work margins out)\n");
        return;
    }
    printf("margin: %u changed, %u fell\n", d->nmargins, d->fell);
    for (uint32_t i = 0; i < d->nmargins && i < SHOWN; i++) {
        const struct nv_fdiff_margin *c = &d->margins[i];
        int rose = c->from.k && c->to.k > c->from.k;
        printf("  %s %-16s %-8s ",
               c->fell ? "v"
               : rose  ? "^"
                       : "~",
               NV_FLOWS(o->b)[c->fb].id, nv_margin_kind_names[c->kind]);
        text_margin(&f[0], &c->from);
        printf(" -> ");
        text_margin(&f[1], &c->to);
        printf("%s\n", c->fa == NV_NONE ? "  (new flow)" : "");
    }
    if (d->nmargins > SHOWN)
        printf("  ... %u more (--json lists all)\n", d->nmargins - SHOWN);
}

static void text_violations(const struct nv_cli_diff *c,
                            const struct nv_fdiff *d)
{
    uint32_t added = 0;

    for (uint32_t i = 0; i < d->nviolations; i++)
        added += d->violations[i].added;
    printf("violations: %u new (%u of rules of severity error), %u "
           "resolved\n",
           added, d->new_errors, d->nviolations - added);
    for (uint32_t i = 0; i < d->nviolations && i < SHOWN; i++) {
        const struct nv_fdiff_violation *v = &d->violations[i];
        struct nv_rule_info r;
        nv_policy_rule(c->p, v->v->rule, &r);
        printf("  %s %s [%s] %s: %s\n", v->added ? "+" : "-", r.id,
               v->error ? "error" : "warning", nv_violation_item(v->m, v->v),
               v->v->why);
    }
    if (d->nviolations > SHOWN)
        printf("  ... %u more (--json lists all)\n", d->nviolations - SHOWN);
}

static void text_releases(const struct out *o, const struct nv_fdiff *d)
{
    printf("release: %u decisions changed\n", d->nreleases);
    for (uint32_t i = 0; i < d->nreleases && i < SHOWN; i++) {
        const struct nv_fdiff_release *r = &d->releases[i];
        printf("  %-8s %-16s %-13s %s -> %s: %s\n",
               NV_PARTNERS(o->b)[r->partner].id, NV_FLOWS(o->b)[r->flow].id,
               nv_class_names[r->c], nv_release_names[r->from],
               nv_release_names[r->to], r->why);
    }
    if (d->nreleases > SHOWN)
        printf("  ... %u more (--json lists all)\n", d->nreleases - SHOWN);
}

static void text_scores(const struct nv_fdiff *d)
{
    printf("risk score: %.1f -> %.1f (%+.1f); high-risk share of layers "
           "%.1f -> %.1f\n",
           d->network[0], d->network[1], d->network[1] - d->network[0],
           d->layers[0], d->layers[1]);
    for (uint32_t i = 0; i < d->nscores; i++)
        printf("  flow %-16s %6.1f -> %6.1f (%+.1f)\n", d->scores[i].flow,
               d->scores[i].from, d->scores[i].to,
               d->scores[i].to - d->scores[i].from);
}

static void json_levels(const struct out *o, const struct nv_fdiff *d)
{
    struct nv_jsonw *w = o->w;

    nv_jsonw_key(w, "exposure");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < d->nlevels; i++) {
        const struct nv_fdiff_level *l = &d->levels[i];
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "flow");
        nv_jsonw_str(w, flow_id(o, l));
        nv_jsonw_key(w, "group");
        nv_jsonw_str(w, l->group);
        nv_jsonw_key(w, "old");
        nv_jsonw_str(w, nv_level_names[l->from]);
        nv_jsonw_key(w, "new");
        nv_jsonw_str(w, nv_level_names[l->to]);
        nv_jsonw_key(w, "hostile");
        nv_jsonw_bool(w, l->hostile);
        nv_jsonw_key(w, "new_flow");
        nv_jsonw_bool(w, l->fa == NV_NONE);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

static void json_margin(struct nv_jsonw *w, const char *key,
                        const struct nv_findings *f, const struct nv_margin *mg)
{
    nv_jsonw_key(w, key);
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "k");
    nv_jsonw_int(w, mg->k);
    nv_jsonw_key(w, "witness");
    nv_jsonw_arr(w);
    for (int i = 0; i < mg->k && mg->k <= NV_MARGIN_MAX; i++)
        nv_jsonw_str(w, f->x.groups.v[mg->witness[i]].id);
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
}

/* "margins": [...], or null when they were not compared. */
static void json_margins(const struct out *o, const struct nv_findings f[2],
                         const struct nv_fdiff *d)
{
    struct nv_jsonw *w = o->w;

    nv_jsonw_key(w, "margins");
    if (!d->margins_known) {
        nv_jsonw_null(w);
        return;
    }
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < d->nmargins; i++) {
        const struct nv_fdiff_margin *c = &d->margins[i];
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "flow");
        nv_jsonw_str(w, NV_FLOWS(o->b)[c->fb].id);
        nv_jsonw_key(w, "kind");
        nv_jsonw_str(w, nv_margin_kind_names[c->kind]);
        json_margin(w, "old", &f[0], &c->from);
        json_margin(w, "new", &f[1], &c->to);
        nv_jsonw_key(w, "fell");
        nv_jsonw_bool(w, c->fell);
        nv_jsonw_key(w, "new_flow");
        nv_jsonw_bool(w, c->fa == NV_NONE);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

static void json_violations(const struct out *o, const struct nv_cli_diff *c,
                            const struct nv_fdiff *d)
{
    struct nv_jsonw *w = o->w;

    nv_jsonw_key(w, "violations");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < d->nviolations; i++) {
        const struct nv_fdiff_violation *v = &d->violations[i];
        struct nv_rule_info r;
        nv_policy_rule(c->p, v->v->rule, &r);
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "change");
        nv_jsonw_str(w, v->added ? "new" : "resolved");
        nv_jsonw_key(w, "rule");
        nv_jsonw_str(w, r.id);
        nv_jsonw_key(w, "severity");
        nv_jsonw_str(w, v->error ? "error" : "warning");
        nv_jsonw_key(w, "item");
        nv_jsonw_str(w, nv_violation_item(v->m, v->v));
        nv_jsonw_key(w, "why");
        nv_jsonw_str(w, v->v->why);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

static void json_releases(const struct out *o, const struct nv_fdiff *d)
{
    struct nv_jsonw *w = o->w;

    nv_jsonw_key(w, "release");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < d->nreleases; i++) {
        const struct nv_fdiff_release *r = &d->releases[i];
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "partner");
        nv_jsonw_str(w, NV_PARTNERS(o->b)[r->partner].id);
        nv_jsonw_key(w, "channel");
        nv_jsonw_str(w, NV_FLOWS(o->b)[r->flow].id);
        nv_jsonw_key(w, "classification");
        nv_jsonw_str(w, nv_class_names[r->c]);
        nv_jsonw_key(w, "old");
        nv_jsonw_str(w, nv_release_names[r->from]);
        nv_jsonw_key(w, "new");
        nv_jsonw_str(w, nv_release_names[r->to]);
        nv_jsonw_key(w, "why");
        nv_jsonw_str(w, r->why);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

static double round3(double v)
{
    return (double)(long long)(v * 1000 + (v < 0 ? -0.5 : 0.5)) / 1000;
}

static void json_scores(const struct out *o, const struct nv_fdiff *d)
{
    struct nv_jsonw *w = o->w;

    nv_jsonw_key(w, "score");
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "old");
    nv_jsonw_num(w, round3(d->network[0]));
    nv_jsonw_key(w, "new");
    nv_jsonw_num(w, round3(d->network[1]));
    nv_jsonw_key(w, "layers_old");
    nv_jsonw_num(w, round3(d->layers[0]));
    nv_jsonw_key(w, "layers_new");
    nv_jsonw_num(w, round3(d->layers[1]));
    nv_jsonw_key(w, "contributors");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < d->nscores; i++) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "flow");
        nv_jsonw_str(w, d->scores[i].flow);
        nv_jsonw_key(w, "old");
        nv_jsonw_num(w, round3(d->scores[i].from));
        nv_jsonw_key(w, "new");
        nv_jsonw_num(w, round3(d->scores[i].to));
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
}

static void print_text(struct out *o, const struct nv_cli_diff *c,
                       const struct nv_mdiff *md, const struct nv_findings f[2],
                       const struct nv_fdiff *fd)
{
    printf("diff %s -> %s\n", c->old_name, c->new_name);
    text_model(o, md);
    text_levels(o, fd);
    text_margins(o, f, fd);
    if (c->p) {
        printf("rules checked on %s\n", c->date);
        text_violations(c, fd);
        text_releases(o, fd);
    }
    text_scores(fd);
    if (nv_fdiff_worse(fd))
        printf("worse: %u exposures to high-risk or prohibited groups rose, "
               "%u rules of severity error newly broken\n",
               fd->rose, fd->new_errors);
    else
        printf("not worse: no exposure to a high-risk or prohibited group "
               "rose, no rule of severity error newly broken\n");
}

static void print_json(struct out *o, const struct nv_cli_diff *c,
                       const struct nv_mdiff *md, const struct nv_findings f[2],
                       const struct nv_fdiff *fd)
{
    struct nv_jsonw *w = o->w;

    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    nv_jsonw_key(w, "old");
    nv_jsonw_str(w, c->old_name);
    nv_jsonw_key(w, "new");
    nv_jsonw_str(w, c->new_name);
    nv_jsonw_key(w, "date");
    nv_jsonw_str_or_null(w, c->p ? c->date : NULL);
    json_model(o, md);
    nv_jsonw_key(w, "findings");
    nv_jsonw_obj(w);
    json_levels(o, fd);
    json_margins(o, f, fd);
    if (c->p) {
        json_violations(o, c, fd);
        json_releases(o, fd);
    }
    json_scores(o, fd);
    nv_jsonw_obj_end(w);
    nv_jsonw_key(w, "worse");
    nv_jsonw_bool(w, nv_fdiff_worse(fd));
    nv_jsonw_obj_end(w);
}

/* The two versions are analysed at once, each on half the cores. */
struct analysis {
    const struct nv_cli_diff *c;
    const struct nv_model *m[2];
    struct nv_findings f[2];
    struct nv_err err[2];
    enum nv_rc rc[2];
    atomic_uint next;
    int threads;
};

static void *analysis_worker(void *ctx)
{
    struct analysis *an = ctx;
    unsigned i;

    while ((i = atomic_fetch_add(&an->next, 1)) < 2)
        an->rc[i] = nv_findings_compute(an->m[i], an->c->p, an->c->date,
                                        an->threads, &an->f[i], &an->err[i]);
    return NULL;
}

static enum nv_rc analyse(struct analysis *an, struct nv_err *err)
{
    int half = nv_threads_count(0) / 2;

    an->threads = half > 0 ? half : 1;
    nv_threads_run(2, analysis_worker, an);
    for (int i = 0; i < 2; i++)
        if (an->rc[i]) {
            *err = an->err[i];
            if (!an->rc[1 - i])
                nv_findings_release(&an->f[1 - i]);
            return an->rc[i];
        }
    return NV_OK;
}

int nv_cli_diff(const struct nv_cli_diff *c, const struct nv_model *a,
                const struct nv_model *b)
{
    struct out o = {a, b, NULL, {0}};
    struct analysis an;
    struct nv_mdiff md = {0};
    struct nv_fdiff fd = {0};
    struct nv_err err = {0};
    enum nv_rc rc;

    memset(&an, 0, sizeof an);
    an.c = c;
    an.m[0] = a;
    an.m[1] = b;
    nv_err_clear(&err);
    nv_buf_init(&o.buf, (size_t)1 << 20);
    rc = nv_mdiff_compute(a, b, &md, &err);
    if (!rc)
        rc = analyse(&an, &err);
    if (!rc)
        rc = nv_fdiff_compute(&an.f[0], &an.f[1], c->p, &fd, &err);
    if (!rc && c->json && !(o.w = nv_jsonw_new(stdout, 1)))
        rc = nv_err_set(&err, NV_ENOMEM, "out of memory");
    if (!rc && o.w) {
        print_json(&o, c, &md, an.f, &fd);
        rc = nv_jsonw_finish(o.w, &err);
    } else if (!rc) {
        print_text(&o, c, &md, an.f, &fd);
    }
    int worse = !rc && nv_fdiff_worse(&fd);
    nv_jsonw_free(o.w);
    nv_buf_release(&o.buf);
    nv_fdiff_release(&fd);
    if (!an.rc[0] && !an.rc[1]) {
        nv_findings_release(&an.f[0]);
        nv_findings_release(&an.f[1]);
    }
    nv_mdiff_release(&md);
    if (rc)
        return nv_cli_fail(&err);
    return worse ? NV_EXIT_FINDINGS : NV_EXIT_OK;
}

/* ---- posture over time ---- */

/* The posture of snapshot id, computed and kept under key. */
static enum nv_rc compute_row(struct nv_store *s, const char *path,
                              const char *id, const struct nv_policy *p,
                              const char *key, const char *date,
                              struct nv_posture *row)
{
    char sid[NV_SHA256_HEX], *text = NULL;
    size_t len = 0;
    struct nv_model *m = NULL;
    struct nv_findings f = {0};
    struct nv_err err = {0};
    FILE *mem;
    struct nv_jsonw *w;
    enum nv_rc rc = NV_OK;

    nv_err_clear(&err);
    if (nv_cli_load_snapshot(s, path, id, &m, sid))
        return NV_EINVAL; /* printed */
    rc = nv_findings_compute(m, p, date, 0, &f, &err);
    if (!rc)
        rc = nv_posture_compute(&f, p, row, &err);
    mem = rc ? NULL : open_memstream(&text, &len);
    w = mem ? nv_jsonw_new(mem, 0) : NULL;
    if (!rc && w) {
        nv_posture_write(row, w);
        rc = nv_jsonw_finish(w, &err);
    }
    nv_jsonw_free(w);
    if (mem && fclose(mem) == 0 && !rc && w)
        rc = nv_store_cache_put(s, id, key, text, len, &err);
    free(text); /* open_memstream's buffer comes from malloc */
    nv_findings_release(&f);
    nv_model_free(m);
    if (rc)
        nv_cli_fail(&err);
    return rc;
}

static enum nv_rc posture_row(struct nv_store *s, const char *path,
                              const char *id, const struct nv_policy *p,
                              const char *key, const char *date,
                              struct nv_posture *row)
{
    char *text = NULL;
    size_t len = 0;
    struct nv_err err = {0};
    enum nv_rc rc;

    nv_err_clear(&err);
    rc = nv_store_cache_get(s, id, key, &text, &len, &err);
    if (!rc && text)
        rc = nv_posture_read(text, len, path, row, &err);
    nv_free(text);
    if (rc) {
        nv_cli_fail(&err);
        return rc;
    }
    return text ? NV_OK : compute_row(s, path, id, p, key, date, row);
}

int nv_cli_posture(struct nv_store *s, const char *path,
                   const struct nv_policy *p, const char *key, const char *date,
                   struct nv_snapshots *list, struct nv_posture **rows)
{
    char cache_key[200];
    struct nv_err err = {0};
    struct nv_posture *r = NULL;
    uint32_t done = 0;

    nv_err_clear(&err);
    /* "posture2": rows gained margins; rows kept before are not read. */
    snprintf(cache_key, sizeof cache_key, "posture2 %s %s", key, date);
    if (nv_store_list(s, list, &err))
        return nv_cli_fail(&err);
    r = nv_calloc((size_t)list->n + 1, sizeof *r);
    if (!r) {
        nv_store_snapshots_release(list);
        return NV_EXIT_INTERNAL;
    }
    while (done < list->n && !posture_row(s, path, list->v[done].id, p,
                                          cache_key, date, &r[done]))
        done++;
    if (done < list->n) {
        nv_cli_posture_free(r, done);
        nv_store_snapshots_release(list);
        return NV_EXIT_USAGE;
    }
    *rows = r;
    return NV_EXIT_OK;
}

void nv_cli_posture_free(struct nv_posture *rows, uint32_t n)
{
    for (uint32_t i = 0; rows && i < n; i++)
        nv_posture_release(&rows[i]);
    nv_free(rows);
}
