/*
 * jobs.c - analyses as jobs, and their cache.  A job runs netvet as a
 * child (run.h) on a thread of its own; at most `running` children run
 * at once and the others wait their turn.  A finished job is its cache
 * entry: the next request with the same key is answered from it, unless
 * it failed for want of time or of the machine (5xx), which is tried
 * again.  The list is bounded: the oldest finished jobs go first.
 */
#include "serve/serve_int.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/json.h"
#include "serve/run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Jobs kept (cached answers and jobs under way), and under way at most. */
#define MAX_JOBS 512
#define MAX_PENDING 64
/* The most output an analysis may print. */
#define MAX_OUTPUT ((size_t)256 << 20)
#define MAX_ARGS 16

struct job {
    char id[NV_JOB_ID];
    char *key, *url, *input;
    size_t input_len;
    char *argv[MAX_ARGS + 1];
    const char *type;
    int done;
    struct nv_answer ans;
    uint64_t used; /* when it was last answered from, for eviction */
    struct nv_jobs *owner;
    struct job *next;
};

struct nv_jobs {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    const char *exe;
    int running, max_running, seconds, pending;
    uint64_t clock;
    size_t n;
    struct job *list;
};

struct nv_jobs *nv_jobs_new(const char *exe, int running, int seconds)
{
    struct nv_jobs *j = nv_calloc(1, sizeof *j);

    if (!j)
        return NULL;
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->changed, NULL);
    j->exe = exe;
    j->max_running = running > 0 ? running : 1;
    j->seconds = seconds;
    return j;
}

void nv_answer_release(struct nv_answer *a)
{
    nv_free(a->body);
    a->body = NULL;
}

static void job_free(struct job *job)
{
    nv_free(job->key);
    nv_free(job->url);
    nv_free(job->input);
    for (int i = 0; i < MAX_ARGS && job->argv[i]; i++)
        nv_free(job->argv[i]);
    nv_answer_release(&job->ans);
    nv_free(job);
}

void nv_jobs_free(struct nv_jobs *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->lock);
    while (j->pending)
        pthread_cond_wait(&j->changed, &j->lock);
    pthread_mutex_unlock(&j->lock);
    while (j->list) {
        struct job *next = j->list->next;
        job_free(j->list);
        j->list = next;
    }
    pthread_cond_destroy(&j->changed);
    pthread_mutex_destroy(&j->lock);
    nv_free(j);
}

void nv_jobs_problem(struct nv_answer *out, int status, const char *title,
                     const char *detail, size_t detail_len)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct nv_jsonw *w = f ? nv_jsonw_new_alone(f, 0) : NULL;

    if (w) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "type");
        nv_jsonw_str(w, "about:blank");
        nv_jsonw_key(w, "title");
        nv_jsonw_str(w, title);
        nv_jsonw_key(w, "status");
        nv_jsonw_int(w, status);
        nv_jsonw_key(w, "detail");
        nv_jsonw_strn(w, detail, detail_len);
        nv_jsonw_obj_end(w);
        nv_jsonw_free(w);
    }
    if (f)
        fclose(f);
    out->status = status;
    out->type = "application/problem+json";
    out->body = nv_strndup(text ? text : "", text ? len : 0);
    out->len = out->body ? len : 0;
    free(text); /* open_memstream's buffer is the C library's */
}

/* The child's message: the last line of its stderr, without the
 * "netvet: " every message starts with. */
static void child_message(const struct nv_run_result *res, const char **s,
                          size_t *n)
{
    const char *t = res->errs ? res->errs : "";
    size_t len = res->errs_len;

    while (len && (t[len - 1] == '\n' || t[len - 1] == '\r'))
        len--;
    *s = t;
    for (size_t i = len; i > 0; i--)
        if (t[i - 1] == '\n') {
            *s = t + i;
            break;
        }
    *n = len - (size_t)(*s - t);
    if (*n >= 8 && memcmp(*s, "netvet: ", 8) == 0) {
        *s += 8;
        *n -= 8;
    }
}

/* The answer that the child's result makes. */
static void answer_of(struct job *job, struct nv_run_result *res)
{
    const char *msg;
    size_t n;

    child_message(res, &msg, &n);
    if (res->timed_out) {
        nv_jobs_problem(&job->ans, 504, "analysis timed out",
                        "the analysis took longer than allowed", 38);
    } else if (res->status == 0 || res->status == 1) {
        job->ans.status = 200;
        job->ans.type = job->type;
        job->ans.body = res->out;
        job->ans.len = res->out_len;
        res->out = NULL;
    } else if (res->status == 2) {
        nv_jobs_problem(&job->ans, 400, "bad request", msg, n);
    } else {
        nv_jobs_problem(&job->ans, 500, "analysis failed",
                        n ? msg : "the analysis stopped", n ? n : 20);
    }
}

static void *work(void *arg)
{
    struct job *job = arg;
    struct nv_jobs *j = job->owner;
    struct nv_run r = {j->exe,         (const char *const *)job->argv,
                       NULL,           job->input,
                       job->input_len, j->seconds,
                       MAX_OUTPUT};
    struct nv_run_result res = {0};
    struct nv_err err = {0};

    nv_err_clear(&err);
    pthread_mutex_lock(&j->lock);
    while (j->running >= j->max_running)
        pthread_cond_wait(&j->changed, &j->lock);
    j->running++;
    pthread_mutex_unlock(&j->lock);
    if (nv_run(&r, &res, &err))
        nv_jobs_problem(&job->ans, 500, "analysis failed", err.msg,
                        strlen(err.msg));
    else
        answer_of(job, &res);
    nv_run_result_release(&res);
    pthread_mutex_lock(&j->lock);
    j->running--;
    j->pending--;
    job->done = 1;
    pthread_cond_broadcast(&j->changed);
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

/* A finished job to make room with: the least recently used; NULL if
 * all are under way.  Called locked. */
static struct job **victim(struct nv_jobs *j)
{
    struct job **best = NULL;

    for (struct job **p = &j->list; *p; p = &(*p)->next)
        if ((*p)->done && (!best || (*p)->used < (*best)->used))
            best = p;
    return best;
}

static void evict(struct nv_jobs *j)
{
    struct job **p;

    while (j->n >= MAX_JOBS && (p = victim(j)) != NULL) {
        struct job *dead = *p;
        *p = dead->next;
        job_free(dead);
        j->n--;
    }
}

/* A copy of spec as a job; NULL when out of memory or random bytes. */
static struct job *job_new(const struct nv_job_spec *spec)
{
    struct job *job = nv_calloc(1, sizeof *job);
    unsigned char id[16];
    int ok = job != NULL && !nv_random(id, sizeof id, NULL);

    if (ok) {
        nv_hex(id, sizeof id, job->id);
        job->key = nv_strndup(spec->key, strlen(spec->key));
        job->url = nv_strndup(spec->url, strlen(spec->url));
        job->input =
            spec->input ? nv_strndup(spec->input, spec->input_len) : NULL;
        job->input_len = spec->input_len;
        job->type = spec->type;
        ok = job->key && job->url && (!spec->input || job->input);
    }
    for (int i = 0; ok && i < MAX_ARGS && spec->argv[i]; i++)
        ok = (job->argv[i] =
                  nv_strndup(spec->argv[i], strlen(spec->argv[i]))) != NULL;
    if (!ok && job)
        job_free(job);
    return ok ? job : NULL;
}

/* Start spec as a new job; NULL when it cannot be.  Called locked. */
static struct job *start(struct nv_jobs *j, const struct nv_job_spec *spec)
{
    struct job *job;
    pthread_t t;
    pthread_attr_t attr;
    int started;

    if (j->pending >= MAX_PENDING)
        return NULL;
    evict(j);
    job = job_new(spec);
    if (!job)
        return NULL;
    job->owner = j;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    started = pthread_create(&t, &attr, work, job) == 0;
    pthread_attr_destroy(&attr);
    if (!started) {
        job_free(job);
        return NULL;
    }
    j->pending++;
    job->next = j->list;
    j->list = job;
    j->n++;
    return job;
}

/* The job of key, that is under way or whose answer is kept. */
static struct job *lookup(struct nv_jobs *j, const char *key)
{
    for (struct job *job = j->list; job; job = job->next)
        if (strcmp(job->key, key) == 0 && (!job->done || job->ans.status < 500))
            return job;
    return NULL;
}

static void copy_answer(const struct job *job, struct nv_answer *out)
{
    *out = job->ans;
    out->body = nv_strndup(job->ans.body ? job->ans.body : "", job->ans.len);
    if (!out->body)
        nv_jobs_problem(out, 503, "out of memory", "out of memory", 13);
}

static void deadline(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

int nv_jobs_answer(struct nv_jobs *j, const struct nv_job_spec *spec,
                   int wait_ms, struct nv_answer *out, char *id)
{
    struct timespec until;
    struct job *job;
    int rc = 0;

    deadline(&until, wait_ms);
    pthread_mutex_lock(&j->lock);
    job = lookup(j, spec->key);
    if (!job)
        job = start(j, spec);
    while (job && !job->done &&
           pthread_cond_timedwait(&j->changed, &j->lock, &until) != ETIMEDOUT)
        ;
    if (!job) {
        rc = -1;
    } else if (job->done) {
        job->used = ++j->clock;
        copy_answer(job, out);
        rc = 1;
    } else {
        memcpy(id, job->id, NV_JOB_ID);
    }
    pthread_mutex_unlock(&j->lock);
    return rc;
}

/* The problem a failed job answered, as a value of the status (raw text
 * would lose the ':' the writer puts before a member's value). */
static void problem_value(struct nv_jsonw *w, const struct nv_answer *a)
{
    struct nv_arena arena;
    struct nv_json *doc = NULL;

    nv_arena_init(&arena);
    if (a->body &&
        !nv_json_parse(a->body, a->len, "problem", &arena, &doc, NULL))
        nv_jsonw_value(w, doc);
    else
        nv_jsonw_null(w);
    nv_arena_release(&arena);
}

static void status_json(const struct job *job, struct nv_jsonw *w)
{
    int failed = job->done && job->ans.status >= 400;

    nv_jsonw_obj(w);
    nv_jsonw_key(w, "id");
    nv_jsonw_str(w, job->id);
    nv_jsonw_key(w, "status");
    nv_jsonw_str(w, !job->done ? "running" : failed ? "failed" : "done");
    nv_jsonw_key(w, "result");
    nv_jsonw_str_or_null(w, job->done && !failed ? job->url : NULL);
    nv_jsonw_key(w, "problem");
    if (failed)
        problem_value(w, &job->ans);
    else
        nv_jsonw_null(w);
    nv_jsonw_obj_end(w);
}

int nv_jobs_status(struct nv_jobs *j, const char *id, struct nv_answer *out)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = NULL;
    struct nv_jsonw *w = NULL;
    struct job *job;

    pthread_mutex_lock(&j->lock);
    for (job = j->list; job && strcmp(job->id, id) != 0; job = job->next)
        ;
    if (job && (f = open_memstream(&text, &len)) != NULL &&
        (w = nv_jsonw_new_alone(f, 0)) != NULL) {
        status_json(job, w);
        nv_jsonw_free(w);
    }
    pthread_mutex_unlock(&j->lock);
    if (f)
        fclose(f);
    if (job) {
        out->status = 200;
        out->type = "application/json";
        out->body = nv_strndup(text ? text : "", text ? len : 0);
        out->len = out->body ? len : 0;
    }
    free(text);
    return job != NULL;
}
