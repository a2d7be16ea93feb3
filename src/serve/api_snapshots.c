/*
 * api_snapshots.c - snapshots: the list with its cursor, one snapshot
 * with what the page picks from (groups, sectors, classifications from
 * its assess), its model, its withdrawal, and uploads (run as `netvet
 * store add`, so a model loads exactly as on the command line); and the
 * snapshot's file the analyses run on.
 */
#include "serve/api_int.h"

#include "core/alloc.h"
#include "serve/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How long showing a snapshot waits for its groups (from assess). */
#define SHOW_WAIT_MS 10000

static void snapshot_json(struct nv_jsonw *w, const struct nv_snapshot *sn)
{
    nv_jsonw_key(w, "id");
    nv_jsonw_str(w, sn->id);
    nv_jsonw_key(w, "seq");
    nv_jsonw_int(w, sn->seq);
    nv_jsonw_key(w, "message");
    nv_jsonw_str(w, sn->message);
    nv_jsonw_key(w, "author");
    nv_jsonw_str(w, sn->author);
    nv_jsonw_key(w, "created");
    nv_jsonw_str(w, sn->time);
    nv_jsonw_key(w, "bytes");
    nv_jsonw_int(w, sn->bytes);
    nv_jsonw_key(w, "assets");
    nv_jsonw_int(w, sn->counts[2]);
    nv_jsonw_key(w, "sites");
    nv_jsonw_int(w, sn->counts[1]);
    nv_jsonw_key(w, "links");
    nv_jsonw_int(w, sn->counts[3]);
    nv_jsonw_key(w, "flows");
    nv_jsonw_int(w, sn->counts[4]);
}

/* Every snapshot not withdrawn, oldest first; 0 after answering. */
static int snapshots(struct nv_api_req *q, struct nv_snapshots *l)
{
    struct nv_err err = {0};
    enum nv_rc rc;
    uint32_t kept = 0;

    nv_err_clear(&err);
    pthread_mutex_lock(&q->s->lock);
    rc = nv_store_list(q->s->store, l, &err);
    for (uint32_t i = 0; !rc && i < l->n; i++) {
        int gone = 0;
        rc = nv_store_withdrawn(q->s->store, l->v[i].id, &gone, &err);
        if (!gone)
            l->v[kept++] = l->v[i];
    }
    pthread_mutex_unlock(&q->s->lock);
    l->n = kept;
    if (rc)
        nv_api_fail(q, &err);
    return !rc;
}

void nv_api_list(struct nv_api_req *q)
{
    struct nv_snapshots l = {0};
    int64_t limit, cursor;
    struct nv_api_out o;
    struct nv_jsonw *w;
    uint32_t i, shown = 0;

    if (!nv_api_page_limit(q, &limit) ||
        !nv_api_number(q, "cursor", INT64_MAX, INT64_MAX, &cursor) ||
        !snapshots(q, &l))
        return;
    if (!(w = nv_api_out_open(&o)))
        goto out;
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "snapshots");
    nv_jsonw_arr(w);
    for (i = l.n; i > 0 && shown < limit; i--) {
        if (l.v[i - 1].seq >= cursor)
            continue;
        nv_jsonw_obj(w);
        snapshot_json(w, &l.v[i - 1]);
        nv_jsonw_obj_end(w);
        shown++;
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_key(w, "next");
    while (i > 0 && l.v[i - 1].seq >= cursor)
        i--;
    if (i > 0)
        nv_jsonw_int(w, l.v[i].seq);
    else
        nv_jsonw_null(w);
    nv_jsonw_obj_end(w);
out:
    nv_api_out_send(q, &o, 200, NULL);
    nv_store_snapshots_release(&l);
}

void nv_api_model(struct nv_api_req *q)
{
    char id[NV_SHA256_HEX];
    struct nv_answer a = {200, "application/json", NULL, 0};
    struct nv_err err = {0};
    enum nv_rc rc;

    nv_err_clear(&err);
    if (!nv_api_snapshot(q, q->seg[1], id))
        return;
    pthread_mutex_lock(&q->s->lock);
    rc = nv_store_get(q->s->store, id, &a.body, &a.len, NULL, NULL, &err);
    pthread_mutex_unlock(&q->s->lock);
    if (rc)
        nv_api_fail(q, &err);
    else
        nv_api_send(q, &a, NULL);
    nv_answer_release(&a);
}

void nv_api_withdraw(struct nv_api_req *q)
{
    const char *message = nv_query_get(&q->q, "message");
    char id[NV_SHA256_HEX];
    struct nv_answer a = {204, "application/json", NULL, 0};
    struct nv_err err = {0};
    int64_t seq = 0;
    enum nv_rc rc;

    nv_err_clear(&err);
    if (!message || !*message) {
        nv_api_problem(q, 400, "bad request", "query:message: say why");
        return;
    }
    if (!nv_api_snapshot(q, q->seg[1], id) ||
        !nv_api_audit(q, "delete", id, message, &seq))
        return;
    pthread_mutex_lock(&q->s->lock);
    rc = nv_store_withdraw(q->s->store, id, seq, &err);
    pthread_mutex_unlock(&q->s->lock);
    if (rc)
        nv_api_fail(q, &err);
    else
        nv_api_send(q, &a, NULL);
}

/* ---- uploads ---- */

/* Write data to path, whole; 0 on failure. */
static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wbx");
    int ok = f && fwrite(data, 1, len, f) == len;

    if (f && fclose(f) != 0)
        ok = 0;
    return ok;
}

/* Answer the child's `store add`: 201 with the new id, audited. */
static void added(struct nv_api_req *q, const struct nv_run_result *res,
                  const char *message)
{
    char id[NV_SHA256_HEX], loc[200];
    struct nv_api_out o;
    struct nv_jsonw *w;

    if (res->out_len >= 64)
        memcpy(id, res->out, 64);
    id[res->out_len >= 64 ? 64 : 0] = '\0';
    if (strlen(id) != 64 || !nv_serve_is_id(id)) {
        nv_api_problem(q, 500, "internal error", "the store said no id");
        return;
    }
    if (strstr(res->out, " added") &&
        !nv_api_audit(q, "upload", id, message, NULL))
        return;
    snprintf(loc, sizeof loc, "Location: /api/v1/snapshots/%s\r\n", id);
    w = nv_api_out_open(&o);
    if (w) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "id");
        nv_jsonw_str(w, id);
        nv_jsonw_obj_end(w);
    }
    nv_api_out_send(q, &o, 201, loc);
}

/* Run `netvet store add` on the body, saved as file in dir. */
static void store_add(struct nv_api_req *q, const char *dir, const char *file,
                      const char *message)
{
    const char *argv[] = {"netvet",
                          "store",
                          "add",
                          q->s->c.store,
                          file,
                          nv_api_opt(q, "message", message),
                          nv_api_opt(q, "author", q->who),
                          NULL};
    struct nv_run r = {q->s->c.exe,     argv,           dir, NULL, 0,
                       q->s->c.seconds, (size_t)1 << 20};
    struct nv_run_result res = {0};
    struct nv_err err = {0};
    struct nv_answer a = {0};

    nv_err_clear(&err);
    if (!argv[5] || !argv[6] || nv_run(&r, &res, &err)) {
        nv_api_fail(q, &err);
        return;
    }
    if (res.status == 0) {
        added(q, &res, message);
    } else {
        const char *msg = res.errs ? res.errs : "";
        size_t n = res.errs_len;
        while (n && msg[n - 1] == '\n')
            n--;
        if (n >= 8 && memcmp(msg, "netvet: ", 8) == 0) {
            msg += 8;
            n -= 8;
        }
        nv_jobs_problem(&a, res.status == 2 ? 400 : 500,
                        res.status == 2 ? "bad model" : "upload failed", msg,
                        n);
        nv_api_send(q, &a, NULL);
        nv_answer_release(&a);
    }
    nv_run_result_release(&res);
}

void nv_api_upload(struct nv_api_req *q)
{
    const char *message = nv_query_get(&q->q, "message"), *format;
    char dir[4200], path[4300], file[64];
    char *text = NULL;
    size_t len = 0;

    if (!message || !*message) {
        nv_api_problem(q, 400, "bad request",
                       "query:message: say what changed");
        return;
    }
    if (!nv_api_word(q, "format", &format) ||
        !nv_api_body(q, q->s->c.max_body, &text, &len))
        return;
    snprintf(file, sizeof file, "upload%s%s", format ? "." : "",
             format && strlen(format) < 20 ? format : "");
    snprintf(dir, sizeof dir, "%s/up-XXXXXX", q->s->dir);
    if (!mkdtemp(dir)) {
        nv_api_problem(q, 500, "internal error", "cannot make a directory");
    } else {
        snprintf(path, sizeof path, "%s/%s", dir, file);
        if (write_file(path, text, len))
            store_add(q, dir, file, message);
        else
            nv_api_problem(q, 500, "internal error", "cannot keep the upload");
        unlink(path);
        rmdir(dir);
    }
    nv_free(text);
}

/* The file of snapshot id, written once from the store, into path. */
int nv_api_snapshot_file(struct nv_api_req *q, const char *id, char *path,
                         size_t size)
{
    char tmp[4400];
    char *text = NULL;
    size_t len = 0;
    struct nv_err err = {0};
    int ok;

    snprintf(path, size, "%s/%s.json", q->s->dir, id);
    if (access(path, R_OK) == 0)
        return 1;
    nv_err_clear(&err);
    pthread_mutex_lock(&q->s->lock);
    ok = !nv_store_get(q->s->store, id, &text, &len, NULL, NULL, &err);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    unlink(tmp);
    ok = ok && write_file(tmp, text, len) && rename(tmp, path) == 0;
    pthread_mutex_unlock(&q->s->lock);
    nv_free(text);
    if (!ok && err.rc)
        nv_api_fail(q, &err);
    else if (!ok)
        nv_api_problem(q, 500, "internal error",
                       "cannot write the snapshot's file");
    return ok;
}

/* ---- a snapshot with what the page picks from ---- */

/* Write the distinct values of member key of the flows as the array
 * name. */
static void distinct(struct nv_jsonw *w, const struct nv_json *flows,
                     const char *key, const char *name)
{
    const char *seen[64];
    size_t n = 0;

    nv_jsonw_key(w, name);
    nv_jsonw_arr(w);
    for (size_t i = 0; flows && i < flows->len && n < 64; i++) {
        const struct nv_json *v = nv_json_get(&flows->u.items[i], key);
        size_t k = 0;
        if (!v || v->type != NV_JSON_STRING)
            continue;
        while (k < n && strcmp(seen[k], v->u.str) != 0)
            k++;
        if (k == n) {
            seen[n++] = v->u.str;
            nv_jsonw_str(w, v->u.str);
        }
    }
    nv_jsonw_arr_end(w);
}

/* The groups, sectors and classifications of the assess document text
 * (null when it is not to be had). */
static void pickers(struct nv_jsonw *w, const char *text, size_t len)
{
    struct nv_arena a;
    struct nv_json *doc = NULL;
    const struct nv_json *groups = NULL, *flows = NULL;

    nv_arena_init(&a);
    if (text && !nv_json_parse(text, len, "assess", &a, &doc, NULL) &&
        doc->type == NV_JSON_OBJECT) {
        groups = nv_json_get(doc, "groups");
        flows = nv_json_get(doc, "flows");
    }
    nv_jsonw_key(w, "groups");
    if (groups && groups->type == NV_JSON_ARRAY)
        nv_jsonw_value(w, groups);
    else
        nv_jsonw_null(w);
    if (flows && flows->type == NV_JSON_ARRAY) {
        distinct(w, flows, "sector", "sectors");
        distinct(w, flows, "classification", "classifications");
    } else {
        nv_jsonw_key(w, "sectors");
        nv_jsonw_null(w);
        nv_jsonw_key(w, "classifications");
        nv_jsonw_null(w);
    }
    nv_arena_release(&a);
}

/* The assess document of snapshot id (NULL when it is not done within
 * the wait), from the cache as GET .../assess fills it. */
static void assessed(struct nv_api_req *q, const char *id,
                     struct nv_answer *out)
{
    char file[4200], url[200], job[NV_JOB_ID];
    struct nv_api_args a = {{"netvet", "assess", "--json"}, 3, {0}};
    struct nv_job_spec spec = {NULL, url, a.v, NULL, 0, "application/json"};

    nv_buf_init(&a.key, 4096);
    memset(out, 0, sizeof *out);
    if (nv_buf_adds(&a.key, "assess\n--json\n") ||
        !nv_api_snapshot_file(q, id, file, sizeof file)) {
        nv_buf_release(&a.key);
        return;
    }
    snprintf(url, sizeof url, "/api/v1/snapshots/%s/assess", id);
    nv_api_arg(&a, id);
    a.v[a.n - 1] = file;
    a.v[a.n] = NULL;
    spec.key = a.key.data;
    if (nv_jobs_answer(q->s->jobs, &spec, SHOW_WAIT_MS, out, job) == 1 &&
        out->status != 200)
        nv_answer_release(out);
    nv_buf_release(&a.key);
}

void nv_api_show(struct nv_api_req *q)
{
    struct nv_snapshots l = {0};
    struct nv_answer doc;
    char id[NV_SHA256_HEX];
    struct nv_api_out o;
    struct nv_jsonw *w;

    if (!nv_api_snapshot(q, q->seg[1], id) || !snapshots(q, &l))
        return;
    assessed(q, id, &doc);
    w = nv_api_out_open(&o);
    for (uint32_t i = 0; w && i < l.n; i++)
        if (strcmp(l.v[i].id, id) == 0) {
            nv_jsonw_obj(w);
            snapshot_json(w, &l.v[i]);
            pickers(w, doc.body, doc.len);
            nv_jsonw_obj_end(w);
        }
    nv_api_out_send(q, &o, 200, NULL);
    nv_answer_release(&doc);
    nv_store_snapshots_release(&l);
}
