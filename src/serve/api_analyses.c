/*
 * api_analyses.c - the analyses, each netvet itself run as a child on a
 * snapshot's file with the options the query gives: assess, war game,
 * concentration, margin, check, release, plan and the report, the diff
 * of two snapshots, the posture over time, and screening names; each
 * answered from the cache, within --sync-wait, or as a job (202).
 */
#include "serve/api_int.h"

#include "core/alloc.h"

#include <stdio.h>
#include <string.h>

/* What `screen --json` prints: a JSON object a line. */
#define NDJSON "application/x-ndjson"

void nv_api_arg(struct nv_api_args *a, const char *s)
{
    if (a->n < 15 && s) {
        a->v[a->n++] = s;
        if (nv_buf_adds(&a->key, s) || nv_buf_addc(&a->key, '\n'))
            a->n = 15; /* cannot happen within the key's limit */
    }
}

/* Add --name=value for query parameter param when given; 0 after
 * answering 400. */
int nv_api_pass(struct nv_api_req *q, struct nv_api_args *a, const char *param,
                const char *name)
{
    const char *v;

    if (!nv_api_word(q, param, &v))
        return 0;
    if (v)
        nv_api_arg(a, nv_api_opt(q, name, v));
    return 1;
}

/* Add the group ("vendor:huawei") of parameter param as --vendor=...;
 * 0 after answering 400. */
static int group(struct nv_api_req *q, struct nv_api_args *a, const char *param,
                 int required)
{
    const char *v;
    char kind[16];
    size_t n;

    if (!nv_api_word(q, param, &v))
        return 0;
    if (!v && !required)
        return 1;
    n = v ? strcspn(v, ":") : 0;
    if (!v || !v[n] || n >= sizeof kind ||
        (strncmp(v, "vendor", n) && strncmp(v, "country", n) &&
         strncmp(v, "designation", n))) {
        nv_api_problem(
            q, 400, "bad request",
            "query:group: vendor:ID, country:CC or designation:NAME");
        return 0;
    }
    memcpy(kind, v, n);
    kind[n] = '\0';
    nv_api_arg(a, nv_api_opt(q, kind, v + n + 1));
    return 1;
}

/* The options of analysis kind; 0 after answering 400. */
static int analysis_args(struct nv_api_req *q, const char *kind,
                         struct nv_api_args *a)
{
    int ok = 1;

    if (!strcmp(kind, "assess")) {
        nv_api_arg(a, "assess");
        nv_api_arg(a, "--json");
        ok = nv_api_pass(q, a, "group", "group") &&
             nv_api_pass(q, a, "limit", "limit");
    } else if (!strcmp(kind, "margin")) {
        nv_api_arg(a, "assess");
        nv_api_arg(a, "--margin");
        nv_api_arg(a, "--json");
    } else if (!strcmp(kind, "wargame") || !strcmp(kind, "concentration")) {
        nv_api_arg(a, kind);
        nv_api_arg(a, "--json");
        ok = group(q, a, "group", kind[0] == 'w');
    } else if (!strcmp(kind, "report")) {
        nv_api_arg(a, "report");
        ok = group(q, a, "group", 0) && nv_api_pass(q, a, "policy", "policy");
        nv_api_arg(a, "--output=-");
    } else {
        nv_api_arg(a, kind); /* check, release, plan: a policy */
        nv_api_arg(a, "--json");
        ok = nv_api_pass(q, a, "policy", "policy") &&
             nv_api_pass(q, a, "date", "date") &&
             nv_api_pass(q, a, "deadline", "until");
    }
    return ok;
}

/* Answer the job spec: its result, or 202 with the job. */
static void run_job(struct nv_api_req *q, const struct nv_job_spec *spec,
                    const char *decision, const char *target)
{
    struct nv_answer a = {0};
    char id[NV_JOB_ID], loc[200];
    struct nv_api_out o;
    struct nv_jsonw *w;
    int rc = nv_jobs_answer(q->s->jobs, spec, q->s->c.wait_ms, &a, id);

    if (rc < 0) {
        nv_api_problem(q, 503, "busy",
                       "too many analyses under way: try later");
    } else if (rc > 0) {
        if (a.status != 200 || !decision ||
            nv_api_audit(q, decision, target, spec->url, NULL))
            nv_api_send(q, &a, NULL);
        nv_answer_release(&a);
    } else {
        snprintf(loc, sizeof loc, "Location: /api/v1/jobs/%s\r\n", id);
        if ((w = nv_api_out_open(&o)) != NULL) {
            nv_jsonw_obj(w);
            nv_jsonw_key(w, "job");
            nv_jsonw_str(w, id);
            nv_jsonw_key(w, "url");
            nv_jsonw_strn(w, loc + 10, strlen(loc) - 12);
            nv_jsonw_obj_end(w);
        }
        nv_api_out_send(q, &o, 202, loc);
    }
}

/* Run the analysis whose arguments are a (the file last), answering. */
void nv_api_analyse(struct nv_api_req *q, struct nv_api_args *a,
                    const char *type, const char *decision, const char *target)
{
    char url[700];
    struct nv_job_spec spec = {a->key.data, url, a->v, NULL, 0, type};

    snprintf(url, sizeof url, "%s%s%s", q->r->path, q->r->query[0] ? "?" : "",
             q->r->query);
    a->v[a->n] = NULL;
    run_job(q, &spec, decision, target);
}

void nv_api_analysis(struct nv_api_req *q)
{
    const char *kind = q->seg[2];
    char id[NV_SHA256_HEX], file[4200];
    struct nv_api_args a = {{"netvet"}, 1, {0}};
    int decision = !strcmp(kind, "check") || !strcmp(kind, "release");

    nv_buf_init(&a.key, 4096);
    if (nv_api_snapshot(q, q->seg[1], id) && analysis_args(q, kind, &a) &&
        nv_api_snapshot_file(q, id, file, sizeof file)) {
        nv_api_arg(&a,
                   id); /* the key names the snapshot, the file is its text */
        a.v[a.n - 1] = file;
        nv_api_analyse(
            q, &a, strcmp(kind, "report") ? "application/json" : "text/html",
            decision ? kind : NULL, id);
    }
    nv_buf_release(&a.key);
}

/* ---- over the store ---- */

/* A unique key, for what must not come from the cache (the log grows,
 * a store's posture changes with every snapshot). */
void nv_api_fresh(struct nv_api_args *a)
{
    static const char hexd[] = "0123456789abcdef";
    unsigned char b[16];
    char s[33];

    if (nv_random(b, sizeof b, NULL))
        memset(b, 0, sizeof b);
    for (int i = 0; i < 16; i++) {
        s[2 * i] = hexd[b[i] >> 4];
        s[2 * i + 1] = hexd[b[i] & 15];
    }
    s[32] = '\0';
    if (nv_buf_adds(&a->key, s))
        a->n = 15;
}

void nv_api_diff(struct nv_api_req *q)
{
    const char *from = nv_query_get(&q->q, "from"),
               *to = nv_query_get(&q->q, "to");
    char a_id[NV_SHA256_HEX], b_id[NV_SHA256_HEX];
    struct nv_api_args a = {{"netvet"}, 1, {0}};

    nv_buf_init(&a.key, 4096);
    if (!from || !to || !nv_serve_is_id(from) || !nv_serve_is_id(to)) {
        nv_api_problem(q, 400, "bad request",
                       "query:from, to: two snapshot ids");
    } else if (nv_api_snapshot(q, from, a_id) && nv_api_snapshot(q, to, b_id)) {
        nv_api_arg(&a, "store");
        nv_api_arg(&a, "diff");
        nv_api_arg(&a, q->s->c.store);
        nv_api_arg(&a, a_id);
        nv_api_arg(&a, b_id);
        nv_api_arg(&a, "--json");
        if (nv_api_pass(q, &a, "policy", "policy"))
            nv_api_analyse(q, &a, "application/json", NULL, NULL);
    }
    nv_buf_release(&a.key);
}

void nv_api_posture(struct nv_api_req *q)
{
    struct nv_api_args a = {{"netvet"}, 1, {0}};

    nv_buf_init(&a.key, 4096);
    nv_api_arg(&a, "store");
    nv_api_arg(&a, "posture");
    nv_api_arg(&a, q->s->c.store);
    nv_api_arg(&a, "--json");
    nv_api_fresh(&a);
    if (nv_api_pass(q, &a, "policy", "policy") &&
        nv_api_pass(q, &a, "date", "date"))
        nv_api_analyse(q, &a, "application/json", NULL, NULL);
    nv_buf_release(&a.key);
}

void nv_api_screen(struct nv_api_req *q)
{
    const char *type = nv_http_header(q->r, "Content-Type");
    struct nv_api_args a = {{"netvet", "screen", "--json"}, 3, {0}};
    struct nv_buf names;
    char *text = NULL, url[64] = "/api/v1/screen";
    unsigned char d[NV_SHA256_LEN];
    char hash[NV_SHA256_HEX];
    size_t len = 0;
    struct nv_err err = {0};

    nv_err_clear(&err);
    nv_buf_init(&names, (size_t)64 << 20);
    nv_buf_init(&a.key, 8192);
    if (nv_api_body(q, (size_t)64 << 20, &text, &len) &&
        nv_serve_names_body(text, len, type && strstr(type, "json") != NULL,
                            &names, &err))
        nv_api_fail(q, &err);
    else if (text) {
        for (size_t i = 0; i < q->s->c.nlists; i++)
            nv_api_arg(&a, nv_api_opt(q, "list", q->s->c.lists[i]));
        nv_api_arg(&a, "-");
        nv_sha256(names.data, names.len, d);
        nv_hex(d, sizeof d, hash);
        if (!nv_buf_adds(&a.key, hash)) {
            struct nv_job_spec spec = {a.key.data, url,       a.v,
                                       names.data, names.len, NDJSON};
            a.v[a.n] = NULL;
            run_job(q, &spec, NULL, NULL);
        }
    }
    nv_free(text);
    nv_buf_release(&names);
    nv_buf_release(&a.key);
}
