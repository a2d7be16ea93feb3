/*
 * serve_int.h - what the files of the service share: the service
 * itself, sessions and attempt limits (auth.c), analyses as jobs with
 * their cache (jobs.c), and the answers (api.c).
 */
#ifndef NV_SERVE_INT_H
#define NV_SERVE_INT_H

#include "serve/serve.h"
#include "store/keys.h"

#include <pthread.h>
#include <stdint.h>

/* An answer: status, content type (static) and body (owned). */
struct nv_answer {
    int status;
    const char *type;
    char *body;
    size_t len;
};

void nv_answer_release(struct nv_answer *a);

/* ---- sessions and attempts (auth.c) ---- */

struct nv_auth;

/* At most max sessions at once. */
struct nv_auth *nv_auth_new(void);
void nv_auth_free(struct nv_auth *a);

/* Whether remote has failed too often lately (answer 429). */
int nv_auth_blocked(struct nv_auth *a, const char *remote);

/* Count a failed authentication of remote. */
void nv_auth_failed(struct nv_auth *a, const char *remote);

/* Hex of 32 random bytes, and the NUL. */
#define NV_TOKEN_SIZE 65

/* A new session for the key whose hash is key_hash: its token (the
 * cookie) and CSRF token.  NV_ELIMIT when there are too many. */
enum nv_rc nv_auth_login(struct nv_auth *a, const char *key_hash,
                         char token[NV_TOKEN_SIZE], char csrf[NV_TOKEN_SIZE],
                         struct nv_err *err) NV_WUR;

/* The key hash and CSRF token of the live session token; 0 if none. */
int nv_auth_session(struct nv_auth *a, const char *token,
                    char key_hash[NV_SHA256_HEX], char csrf[NV_TOKEN_SIZE]);

/* End the session token. */
void nv_auth_logout(struct nv_auth *a, const char *token);

/* ---- analyses (jobs.c) ---- */

struct nv_jobs;

/* Run at most running analyses at once, each for at most seconds. */
struct nv_jobs *nv_jobs_new(const char *exe, int running, int seconds);
void nv_jobs_free(struct nv_jobs *j);

/* What an analysis is: the cache key, the URL that answers it, the
 * child's argv and standard input, the content type of its output. */
struct nv_job_spec {
    const char *key, *url;
    const char *const *argv;
    const char *input;
    size_t input_len;
    const char *type;
};

/* The job's id: 32 hex digits and the NUL. */
#define NV_JOB_ID 33

/*
 * The answer to spec: from the cache, or from a run started now (or
 * already under way) that ends within wait_ms.  Returns 1 with *out
 * filled, 0 with job (NV_JOB_ID bytes) naming the job still running,
 * -1 when no job can be started (too many).
 */
int nv_jobs_answer(struct nv_jobs *j, const struct nv_job_spec *spec,
                   int wait_ms, struct nv_answer *out, char *job);

/* A job's state as the JSON of GET /api/v1/jobs/ID into out; 0 if no
 * such job is known. */
int nv_jobs_status(struct nv_jobs *j, const char *id, struct nv_answer *out);

/* Turn a child's failure output into a problem answer. */
void nv_jobs_problem(struct nv_answer *out, int status, const char *title,
                     const char *detail, size_t detail_len);

/* ---- the service ---- */

struct nv_serve {
    struct nv_serve_config c;
    pthread_mutex_t lock; /* the store, the audit trail, the log */
    struct nv_store *store;
    struct nv_key *log_key;
    struct nv_auth *auth;
    struct nv_jobs *jobs;
    char dir[4096]; /* snapshot files, one per id */
};

/* Record who did action to target and why: a row of the audit trail
 * (its seq into *seq), and an entry of the evidence log when there is
 * one. */
enum nv_rc nv_serve_audit(struct nv_serve *s, const struct nv_serve_event *e,
                          int64_t *seq, struct nv_err *err) NV_WUR;

#endif
