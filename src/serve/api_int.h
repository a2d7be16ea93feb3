/*
 * api_int.h - what the files of the API share (api.c routes and
 * authenticates a request, then hands it to the handler of its route in
 * api_session.c, api_snapshots.c, api_analyses.c or api_log.c): the
 * request on its way through, its answers, its query values, and the
 * arguments of the analyses run for it.
 */
#ifndef NV_SERVE_API_INT_H
#define NV_SERVE_API_INT_H

#include "core/buf.h"
#include "core/json.h"
#include "serve/parse.h"
#include "serve/serve_int.h"

#include <stdint.h>
#include <stdio.h>

/* The most segments of a path after /api/v1/. */
#define NV_API_MAX_SEGS 4

/* A request on its way through. */
struct nv_api_req {
    struct nv_serve *s;
    struct nv_http_req *r;
    struct nv_query q;
    char who[NV_KEY_NAME_MAX + 1];
    unsigned perms;
    int by_cookie;
    char key_hash[NV_SHA256_HEX], csrf[NV_TOKEN_SIZE];
    char path[512];
    char *seg[NV_API_MAX_SEGS];
    int nseg;
};

/* A JSON answer being written. */
struct nv_api_out {
    char *text;
    size_t len;
    FILE *f;
    struct nv_jsonw *w;
};

/* The arguments of an analysis, built up. */
struct nv_api_args {
    const char *v[16];
    int n;
    struct nv_buf key; /* the cache key: the arguments but the file */
};

/* ---- answers (api.c) ---- */

/* Answer a with the common headers (and extra header lines, or NULL). */
void nv_api_send(struct nv_api_req *q, const struct nv_answer *a,
                 const char *extra);

/* Answer an RFC 9457 problem. */
void nv_api_problem(struct nv_api_req *q, int status, const char *title,
                    const char *detail);

/* Answer the problem err describes, its status from its code. */
void nv_api_fail(struct nv_api_req *q, const struct nv_err *err);

/* Start a JSON answer into o; NULL when out of memory (then
 * nv_api_out_send answers 500). */
struct nv_jsonw *nv_api_out_open(struct nv_api_out *o);

/* Send what o holds with status (and extra headers), then free it. */
void nv_api_out_send(struct nv_api_req *q, struct nv_api_out *o, int status,
                     const char *extra);

/* ---- the request (api.c) ---- */

/* The value of cookie name in the Cookie header into out; 0 if absent. */
int nv_api_cookie(const struct nv_api_req *q, const char *name, char *out,
                  size_t size);

/* Whether the key whose hash is hash is valid; who and perms filled. */
int nv_api_key_valid(struct nv_api_req *q, const char *hash);

/* The snapshot ref names (an id or a prefix of 4 hex digits or more),
 * not withdrawn, into id; 0 after answering why not. */
int nv_api_snapshot(struct nv_api_req *q, const char *ref,
                    char id[NV_SHA256_HEX]);

/* Read the body, at most max bytes; 0 after answering why not. */
int nv_api_body(struct nv_api_req *q, size_t max, char **text, size_t *len);

/* The value of query parameter name into *v (NULL when absent); 0 after
 * answering 400 when it is not a word netvet may be given. */
int nv_api_word(struct nv_api_req *q, const char *name, const char **v);

/* The whole number of parameter name in [0, max] into *v (dflt when
 * absent); 0 after answering 400. */
int nv_api_number(struct nv_api_req *q, const char *name, int64_t dflt,
                  int64_t max, int64_t *v);

/* The page size of a list (1 to 1000, default 50) into *limit; 0 after
 * answering 400. */
int nv_api_page_limit(struct nv_api_req *q, int64_t *limit);

/* "--name=value" in q's arena; NULL when out of memory. */
const char *nv_api_opt(struct nv_api_req *q, const char *name,
                       const char *value);

/* ---- analyses (api_analyses.c) ---- */

/* Add argument s to a (and to its cache key). */
void nv_api_arg(struct nv_api_args *a, const char *s);

/* Add --name=value for query parameter param when given; 0 after
 * answering 400. */
int nv_api_pass(struct nv_api_req *q, struct nv_api_args *a, const char *param,
                const char *name);

/* A unique cache key for a, for what must not come from the cache. */
void nv_api_fresh(struct nv_api_args *a);

/* Run the analysis whose arguments are a, answering its document of
 * type (or 202 with its job); a decision (check, release) answered is
 * audited with target. */
void nv_api_analyse(struct nv_api_req *q, struct nv_api_args *a,
                    const char *type, const char *decision, const char *target);

/* ---- snapshots (api_snapshots.c) ---- */

/* The file of snapshot id, written once from the store, into path; 0
 * after answering why not. */
int nv_api_snapshot_file(struct nv_api_req *q, const char *id, char *path,
                         size_t size);

/* ---- the audit trail (api_log.c) ---- */

/* Audit the event; answer 500 and return 0 when it cannot be kept. */
int nv_api_audit(struct nv_api_req *q, const char *action, const char *target,
                 const char *message, int64_t *seq);

/* ---- the handlers of the routes ---- */

void nv_api_login(struct nv_api_req *q);
void nv_api_session(struct nv_api_req *q);
void nv_api_logout(struct nv_api_req *q);
void nv_api_upload(struct nv_api_req *q);
void nv_api_list(struct nv_api_req *q);
void nv_api_show(struct nv_api_req *q);
void nv_api_withdraw(struct nv_api_req *q);
void nv_api_model(struct nv_api_req *q);
void nv_api_analysis(struct nv_api_req *q);
void nv_api_diff(struct nv_api_req *q);
void nv_api_posture(struct nv_api_req *q);
void nv_api_screen(struct nv_api_req *q);
void nv_api_audit_list(struct nv_api_req *q);
void nv_api_checkpoint(struct nv_api_req *q);
void nv_api_proof(struct nv_api_req *q);
void nv_api_job(struct nv_api_req *q);

#endif
