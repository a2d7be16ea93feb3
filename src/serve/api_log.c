/*
 * api_log.c - the record: the audit trail (a row for every change and
 * decision, and its list), the evidence log's checkpoint and proofs (as
 * `netvet log show` and `log prove` print them), and the state of jobs.
 */
#include "serve/api_int.h"

#include <stdio.h>
#include <string.h>

/* Audit the event; answer 500 and return 0 when it cannot be kept. */
int nv_api_audit(struct nv_api_req *q, const char *action, const char *target,
                 const char *message, int64_t *seq)
{
    struct nv_serve_event e = {q->who, action, target, message};
    struct nv_err err = {0};
    int64_t dummy;

    nv_err_clear(&err);
    if (!nv_serve_audit(q->s, &e, seq ? seq : &dummy, &err))
        return 1;
    nv_api_fail(q, &err);
    return 0;
}

/* ---- audit and log ---- */

static void audit_json(struct nv_jsonw *w, const struct nv_audit *a)
{
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "seq");
    nv_jsonw_int(w, a->seq);
    nv_jsonw_key(w, "who");
    nv_jsonw_str(w, a->who);
    nv_jsonw_key(w, "when");
    nv_jsonw_str(w, a->time);
    nv_jsonw_key(w, "action");
    nv_jsonw_str(w, a->action);
    nv_jsonw_key(w, "target");
    nv_jsonw_str(w, a->target);
    nv_jsonw_key(w, "message");
    nv_jsonw_str(w, a->message);
    nv_jsonw_key(w, "hash");
    nv_jsonw_str(w, a->hash);
    nv_jsonw_key(w, "log_index");
    if (a->log_index >= 0)
        nv_jsonw_int(w, a->log_index);
    else
        nv_jsonw_null(w);
    nv_jsonw_obj_end(w);
}

void nv_api_audit_list(struct nv_api_req *q)
{
    struct nv_audits l = {0};
    int64_t limit, cursor;
    struct nv_err err = {0};
    struct nv_api_out o;
    struct nv_jsonw *w;
    enum nv_rc rc;

    nv_err_clear(&err);
    if (!nv_api_page_limit(q, &limit) ||
        !nv_api_number(q, "cursor", 0, INT64_MAX, &cursor))
        return;
    pthread_mutex_lock(&q->s->lock);
    rc =
        nv_store_audit_list(q->s->store, cursor, (uint32_t)limit + 1, &l, &err);
    pthread_mutex_unlock(&q->s->lock);
    if (rc) {
        nv_api_fail(q, &err);
        return;
    }
    if ((w = nv_api_out_open(&o)) != NULL) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "audit");
        nv_jsonw_arr(w);
        for (uint32_t i = 0; i < l.n && i < limit; i++)
            audit_json(w, &l.v[i]);
        nv_jsonw_arr_end(w);
        nv_jsonw_key(w, "next");
        if (l.n > limit)
            nv_jsonw_int(w, l.v[limit - 1].seq);
        else
            nv_jsonw_null(w);
        nv_jsonw_obj_end(w);
    }
    nv_api_out_send(q, &o, 200, NULL);
    nv_store_audits_release(&l);
}

/* 0 after answering 404 when the service keeps no log. */
static int have_log(struct nv_api_req *q)
{
    if (q->s->c.log)
        return 1;
    nv_api_problem(q, 404, "not found",
                   "this service keeps no evidence log (--log)");
    return 0;
}

void nv_api_checkpoint(struct nv_api_req *q)
{
    struct nv_api_args a = {{"netvet", "log", "show"}, 3, {0}};

    nv_buf_init(&a.key, 4096);
    if (have_log(q)) {
        nv_api_arg(&a, q->s->c.log);
        nv_api_arg(&a, "--json");
        nv_api_fresh(&a);
        nv_api_analyse(q, &a, "application/json", NULL, NULL);
    }
    nv_buf_release(&a.key);
}

void nv_api_proof(struct nv_api_req *q)
{
    int inclusion = !strcmp(q->seg[1], "inclusion");
    struct nv_api_args a = {{"netvet", "log", "prove"}, 3, {0}};
    int64_t v;

    nv_buf_init(&a.key, 4096);
    if (have_log(q)) {
        nv_api_arg(&a, q->s->c.log);
        nv_api_fresh(&a);
        if (inclusion && nv_query_get(&q->q, "index") &&
            nv_api_number(q, "index", 0, INT64_MAX, &v) &&
            nv_api_pass(q, &a, "index", "index") &&
            nv_api_pass(q, &a, "size", "size"))
            nv_api_analyse(q, &a, "application/json", NULL, NULL);
        else if (!inclusion && nv_query_get(&q->q, "from") &&
                 nv_api_number(q, "from", 0, INT64_MAX, &v) &&
                 nv_api_number(q, "to", 0, INT64_MAX, &v) &&
                 nv_api_pass(q, &a, "from", "from") &&
                 nv_api_pass(q, &a, "to", "to"))
            nv_api_analyse(q, &a, "application/json", NULL, NULL);
        else if (!nv_query_get(&q->q, inclusion ? "index" : "from"))
            nv_api_problem(q, 400, "bad request",
                           inclusion ? "query:index: the entry to prove"
                                     : "query:from: the older size");
    }
    nv_buf_release(&a.key);
}

void nv_api_job(struct nv_api_req *q)
{
    struct nv_answer a = {0};

    if (!nv_jobs_status(q->s->jobs, q->seg[1], &a)) {
        nv_api_problem(q, 404, "not found", "no such job");
        return;
    }
    nv_api_send(q, &a, NULL);
    nv_answer_release(&a);
}
