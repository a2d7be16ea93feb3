/*
 * serve.h - the service of `netvet serve` (docs/serve.md): the JSON API
 * of /api/v1 and the web page over one history store, answering the
 * requests that http.h hands it.  Analyses are netvet itself, run as a
 * child process on the snapshot's file, so a request gets the very
 * document the command line prints, and a request that crashes or runs
 * away takes down only its child.
 */
#ifndef NV_SERVE_H
#define NV_SERVE_H

#include "core/crypto.h"
#include "core/err.h"
#include "serve/http.h"

#include <stddef.h>
#include <stdint.h>

struct nv_serve_config {
    const char *store;         /* the history store */
    const char *log, *log_key; /* evidence log and its private key, or NULL */
    const char *exe;           /* netvet's binary, run for analyses */
    size_t max_body;           /* the largest request body */
    int jobs;                  /* analyses run at once */
    int seconds;               /* the most one analysis may take */
    int wait_ms;               /* how long a request waits before 202 */
    const char *const *lists;  /* restricted-party lists for screening */
    size_t nlists;
};

struct nv_serve;

/*
 * A service over c->store (opened here, and migrated if older) with a
 * private directory for the snapshots' files.  Free with nv_serve_free.
 */
enum nv_rc nv_serve_new(const struct nv_serve_config *c, struct nv_serve **out,
                        struct nv_err *err) NV_WUR;

/* Answer request r; an nv_http_handler whose ctx is the nv_serve. */
void nv_serve_handle(void *srv, struct nv_http_req *r);

/* Wait for the analyses under way, remove the directory; NULL no-op. */
void nv_serve_free(struct nv_serve *s);

/* An API key: "nvk_" and 64 hex digits, and the NUL. */
#define NV_SERVE_KEY_SIZE 69

/* A new random key into key and its SHA-256 (what the store keeps). */
enum nv_rc nv_serve_key_new(char key[NV_SERVE_KEY_SIZE],
                            char hash[NV_SHA256_HEX],
                            struct nv_err *err) NV_WUR;

/* The SHA-256 (hex) of key, as the store keeps it. */
void nv_serve_key_hash(const char *key, char hash[NV_SHA256_HEX]);

/* "read,write,analyse,admin" (any of them) as enum nv_perm bits;
 * NV_EINVAL names a word that is none of them. */
enum nv_rc nv_serve_perms_parse(const char *text, unsigned *perms,
                                struct nv_err *err) NV_WUR;

/* The names of the bits of perms, comma-separated, into out. */
void nv_serve_perms_format(unsigned perms, char *out, size_t size);

/* What the audit trail records: who (a key's name) did action
 * ("upload", "delete", "check", "release", "key-add", "key-revoke") to
 * target (a snapshot id, a key's name) and why (message). */
struct nv_serve_event {
    const char *who, *action, *target, *message;
};

/*
 * Append e, as of now, to the audit trail of store st (its seq into
 * *seq) and, when log is not NULL, as an entry of the evidence log in
 * log signed with key: {"kind":"audit","time","who","action","target",
 * "message"}, whose SHA-256 the row keeps.  Not thread-safe.
 */
struct nv_store;
struct nv_key;
enum nv_rc nv_serve_record(struct nv_store *st, const char *log,
                           const struct nv_key *key,
                           const struct nv_serve_event *e, int64_t *seq,
                           struct nv_err *err) NV_WUR;

/* The current time as "YYYY-MM-DDTHH:MM:SSZ". */
void nv_serve_now(char out[32]);

/* The names of the permissions, in bit order. */
extern const char *const nv_serve_perm_names[4];

#endif
